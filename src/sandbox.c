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
