/* ===================================================================== sandbox ===
 *
 * The portable part of the sandbox: names, the policy defaults and the result. The Linux
 * spawner lives in sandbox_linux.c, which comes after the layer files (seccomp, Landlock,
 * cgroup) in the amalgamation.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const sl__layer_names[SL_LAYER_COUNT] = {
    "userns", "mountns", "pidns", "netns", "ipcns", "utsns",
    "seccomp", "landlock", "cgroup", "rlimits", "no_new_privs", "scan"
};

SKILLLITE_API const char *sl_sandbox_layer_name(unsigned layer)
{
    int i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        if (layer == (1u << i)) {
            return sl__layer_names[i];
        }
    }
    return "unknown";
}

SKILLLITE_API char *sl_sandbox_layers_str(unsigned layers, char *out, size_t size)
{
    size_t used = 0;
    int i;

    if (out == NULL || size == 0) {
        return out;
    }
    out[0] = '\0';
    for (i = 0; i < SL_LAYER_COUNT; i++) {
        const char *name = sl__layer_names[i];
        size_t len = strlen(name);
        size_t sep = used > 0 ? 1 : 0;

        if ((layers & (1u << i)) == 0) {
            continue;
        }
        if (used + sep + len + 1 > size) {
            break;
        }
        if (sep) {
            out[used++] = ' ';
        }
        memcpy(out + used, name, len);
        used += len;
        out[used] = '\0';
    }
    return out;
}

SKILLLITE_API const char *sl_sandbox_limit_name(int limit)
{
    switch (limit) {
    case SL_LIMIT_NONE: return "none";
    case SL_LIMIT_TIMEOUT: return "timeout";
    case SL_LIMIT_CPU: return "cpu";
    case SL_LIMIT_MEMORY: return "memory";
    case SL_LIMIT_PIDS: return "pids";
    case SL_LIMIT_OUTPUT: return "output";
    case SL_LIMIT_FILE_SIZE: return "file_size";
    case SL_LIMIT_KILLED: return "killed";
    default: return "unknown";
    }
}

SKILLLITE_API void sl_sandbox_policy_init(sl_sandbox_policy *policy)
{
    if (policy == NULL) {
        return;
    }
    memset(policy, 0, sizeof(*policy));
    policy->level = 2;
    policy->timeout_ms = 30000;
    policy->cpu_seconds = 30;
    policy->memory_bytes = (uint64_t)512 << 20;
    policy->max_processes = 64;
    policy->max_open_files = 256;
    policy->max_file_bytes = (uint64_t)64 << 20;
    policy->tmpfs_bytes = (uint64_t)64 << 20;
    policy->stdout_max = (size_t)1 << 20;
    policy->stderr_max = (size_t)1 << 20;
    policy->output_quota_bytes = (uint64_t)64 << 20;
    policy->uid = -1;
    policy->gid = -1;
    policy->use_cgroup = 1;
}

/* Upper bounds of the policy fields that have one. */
#define SL__OUTPUT_CAP_MAX ((size_t)1 << 30)
#define SL__OPEN_FILES_MAX 1048576u /* the kernel's default fs.nr_open */

/* Rejects a policy field outside its documented range. The message names the field, the
 * value and the valid range. Returns SL_OK or SL_ESANDBOX_POLICY. */
static int sl__sandbox_policy_check(const sl_sandbox_policy *pol, sl_error *err)
{
    const unsigned waivable = SL_LAYER_SECCOMP | SL_LAYER_LANDLOCK | SL_LAYER_CGROUP;

    if (pol->level < 1 || pol->level > 3) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy level %d is invalid; use 1, 2 or 3",
                         pol->level);
    }
    if (pol->timeout_ms == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy timeout_ms is 0; set a wall-clock "
                         "limit of 1 ms or more (default 30000)");
    }
    if (pol->cpu_seconds == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy cpu_seconds is 0; set 1 or more "
                         "(default 30)");
    }
    if (pol->memory_bytes < ((uint64_t)1 << 20)) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy memory_bytes %llu is too small; set "
                         "1048576 (1 MiB) or more (default 512 MiB)",
                         (unsigned long long)pol->memory_bytes);
    }
    if (pol->max_processes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_processes is 0; set 1 or more "
                         "(default 64)");
    }
    if (pol->max_open_files < 4 || pol->max_open_files > SL__OPEN_FILES_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_open_files %u is invalid; use 4 "
                         "to %u (default 256)", (unsigned)pol->max_open_files,
                         SL__OPEN_FILES_MAX);
    }
    if (pol->max_file_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_file_bytes is 0; set 1 or more "
                         "(default 64 MiB)");
    }
    if (pol->tmpfs_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy tmpfs_bytes is 0, which tmpfs reads "
                         "as unlimited; set 1 or more (default 64 MiB)");
    }
    if (pol->stdout_max == 0 || pol->stdout_max > SL__OUTPUT_CAP_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy stdout_max %zu is invalid; use 1 to "
                         "%zu (1 GiB; default 1 MiB)", pol->stdout_max, SL__OUTPUT_CAP_MAX);
    }
    if (pol->stderr_max == 0 || pol->stderr_max > SL__OUTPUT_CAP_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy stderr_max %zu is invalid; use 1 to "
                         "%zu (1 GiB; default 1 MiB)", pol->stderr_max, SL__OUTPUT_CAP_MAX);
    }
    if (pol->output_quota_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy output_quota_bytes is 0; set 1 or "
                         "more (default 64 MiB)");
    }
    if (pol->kill_on_output_limit != 0 && pol->kill_on_output_limit != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy kill_on_output_limit %d is invalid; "
                         "use 0 or 1", pol->kill_on_output_limit);
    }
    if (pol->network != 0 && pol->network != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy network %d is invalid; use 0 or 1",
                         pol->network);
    }
    if (pol->allowed_domains != NULL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy allowed_domains is set, but the "
                         "domain allowlist is not implemented yet; leave it NULL, and use "
                         "network = 1 to share the host network");
    }
    if (pol->allow_subprocess != 0 && pol->allow_subprocess != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy allow_subprocess %d is invalid; use "
                         "0 or 1", pol->allow_subprocess);
    }
    if (pol->use_cgroup != 0 && pol->use_cgroup != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy use_cgroup %d is invalid; use 0 or 1",
                         pol->use_cgroup);
    }
    if (pol->uid < -1 || pol->uid > 0xfffffffeLL || pol->gid < -1 || pol->gid > 0xfffffffeLL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy uid/gid %lld/%lld is invalid; use -1 "
                         "(the default identity) or an id from 1 to 4294967294",
                         (long long)pol->uid, (long long)pol->gid);
    }
    if ((pol->waive_layers & ~waivable) != 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy waive_layers 0x%x is invalid; only "
                         "SL_LAYER_SECCOMP, SL_LAYER_LANDLOCK and SL_LAYER_CGROUP (0x%x) can "
                         "be waived", pol->waive_layers, waivable);
    }
    return SL_OK;
}

SKILLLITE_API void sl_sandbox_result_free(sl_sandbox_result *result)
{
    if (result == NULL) {
        return;
    }
    sl__free(result->alloc, result->stdout_data, result->stdout_len + 1);
    sl__free(result->alloc, result->stderr_data, result->stderr_len + 1);
    memset(result, 0, sizeof(*result));
}
