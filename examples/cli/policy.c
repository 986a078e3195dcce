/* Sandbox policy from SKILLLITE_* environment variables and command-line flags, shared by
 * `run`, `exec` and `sandbox`. */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>
#include <string.h>

const char cli_policy_help[] =
    "Sandbox options:\n"
    "  --level N              1 (limits only, no isolation), 2 (sandbox, default) or\n"
    "                         3 (sandbox after the security scan)\n"
    "  --timeout MS           wall-clock limit in milliseconds (default 30000)\n"
    "  --memory BYTES         memory limit, at least 1M; K, M and G suffixes are powers\n"
    "                         of 1024 (default 512M)\n"
    "  --cpu SECONDS          CPU time limit (default 30)\n"
    "  --max-procs N          maximum processes and threads (default 64); at least 2 at\n"
    "                         levels 2 and 3, where the sandbox's init process counts\n"
    "  --network              share the host network. Default at levels 2 and 3: an empty\n"
    "                         network namespace with only loopback, where TCP bind and\n"
    "                         connect fail with EACCES even on 127.0.0.1 (Landlock) and\n"
    "                         UDP on loopback works. Level 1 has no network isolation\n"
    "  --no-network           keep the network off even when SKILLLITE_NETWORK=1\n"
    "  --allow-subprocess     let the program start other programs\n"
    "  --output-dir DIR       levels 2 and 3: the program gets an empty /output (a tmpfs\n"
    "                         of at most 64 MiB); after the run its regular files and\n"
    "                         folders are copied into host folder DIR, without following\n"
    "                         symbolic links, adding or overwriting files only. Level 1:\n"
    "                         the program writes to DIR itself\n"
    "  --ro PATH              bind host PATH read-only at the same path (repeatable)\n"
    "  --rw PATH              bind host PATH read-write at the same path (repeatable)\n"
    "  --env NAME             copy variable NAME from this environment (repeatable)\n"
    "  --setenv NAME=VALUE    set a variable for the program (repeatable)\n"
    "  --waive LAYER[,LAYER]  allow level 2 to run when the kernel lacks these layers\n"
    "                         (repeatable): seccomp, landlock or cgroup. The namespaces\n"
    "                         are one unit and rlimits and no_new_privs are always on,\n"
    "                         so those cannot be waived\n"
    "\n"
    "Environment (flags override these):\n"
    "  SKILLLITE_LEVEL        default for --level\n"
    "  SKILLLITE_TIMEOUT_MS   default for --timeout\n"
    "  SKILLLITE_MEMORY       default for --memory (suffixes allowed)\n"
    "  SKILLLITE_NETWORK      1, true, yes or on: as --network; 0, false, no or off: as\n"
    "                         --no-network\n";

/* Parses a whole number from 1 to `max` (suffixes allowed when `allow_suffix`). */
static int cli_parse_positive(const char *text, int allow_suffix, uint64_t max, uint64_t *out)
{
    if (cli_parse_size(text, allow_suffix, max, out) != 0 || *out == 0) {
        return -1;
    }
    return 0;
}

/* Parses a boolean word. Returns 1, 0, or -1 for anything else. */
static int cli_parse_bool(const char *text)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(text, yes[i]) == 0) {
            return 1;
        }
        if (strcmp(text, no[i]) == 0) {
            return 0;
        }
    }
    return -1;
}

/* Knobs that both a flag and an environment variable set, in the order of `knob` bits
 * in cli_policy.flag_knobs. */
static const char *const cli_knobs[] = {"level", "timeout", "memory", "network"};

static unsigned cli_knob_bit(const char *knob)
{
    unsigned i;

    for (i = 0; i < sizeof(cli_knobs) / sizeof(cli_knobs[0]); i++) {
        if (strcmp(knob, cli_knobs[i]) == 0) {
            return 1u << i;
        }
    }
    return 0;
}

/* Sets one of the knobs that both a flag and a variable can set. `origin` names the flag
 * or variable in the error message. Returns 0 or CLI_EXIT_USAGE. */
static int cli_policy_set(cli_context *ctx, cli_policy *cp, const char *knob, const char *origin,
                          const char *value)
{
    uint64_t n;
    int b;

    if (strncmp(origin, "--", 2) == 0) {
        cp->flag_knobs |= cli_knob_bit(knob);
    }
    if (strcmp(knob, "level") == 0) {
        if (strcmp(value, "1") != 0 && strcmp(value, "2") != 0 && strcmp(value, "3") != 0) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "%s must be 1, 2 or 3, got '%s'", origin, value);
        }
        cp->policy.level = value[0] - '0';
    } else if (strcmp(knob, "timeout") == 0) {
        if (cli_parse_positive(value, 0, UINT32_MAX, &n) != 0) {
            return cli_fail(ctx, CLI_EXIT_USAGE,
                            "%s must be milliseconds from 1 to %u, got '%s'", origin,
                            (unsigned)UINT32_MAX, value);
        }
        cp->policy.timeout_ms = (uint32_t)n;
    } else if (strcmp(knob, "memory") == 0) {
        if (cli_parse_size(value, 1, UINT64_MAX, &n) != 0) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "%s must be a byte count of at least 1M, "
                            "such as 268435456 or 256M, got '%s'", origin, value);
        }
        if (n < CLI_MEMORY_MIN) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "%s must be at least 1M (1048576 bytes), "
                            "got '%s'", origin, value);
        }
        cp->policy.memory_bytes = n;
    } else if (strcmp(knob, "network") == 0) {
        b = cli_parse_bool(value);
        if (b < 0) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "%s must be 1 or 0 (or true/false), got '%s'",
                            origin, value);
        }
        cp->policy.network = b;
    }
    return 0;
}

void cli_policy_init(cli_policy *cp)
{
    memset(cp, 0, sizeof(*cp));
    sl_sandbox_policy_init(&cp->policy);
}

int cli_policy_apply_env(cli_context *ctx, cli_policy *cp)
{
    static const char *const variables[] = {
        "SKILLLITE_LEVEL", "SKILLLITE_TIMEOUT_MS", "SKILLLITE_MEMORY", "SKILLLITE_NETWORK",
    };
    size_t i;

    for (i = 0; i < sizeof(variables) / sizeof(variables[0]); i++) {
        const char *value = getenv(variables[i]);
        char origin[64];
        int status;

        if (value == NULL || value[0] == '\0' || (cp->flag_knobs & (1u << i)) != 0) {
            continue;
        }
        snprintf(origin, sizeof(origin), "environment variable %s", variables[i]);
        status = cli_policy_set(ctx, cp, cli_knobs[i], origin, value);
        if (status != 0) {
            return status;
        }
    }

    /* Checked here because --level may come after --max-procs or from SKILLLITE_LEVEL. */
    if (cp->policy.level >= 2 && cp->policy.max_processes < CLI_MIN_PROCS_ISOLATED) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "--max-procs must be at least %u at level %d, "
                        "because the sandbox's init process counts as one, got %u",
                        CLI_MIN_PROCS_ISOLATED, cp->policy.level,
                        (unsigned)cp->policy.max_processes);
    }
    return 0;
}

/* Appends `value` to a NULL-terminated list of at most CLI_MAX_LIST entries. */
static int cli_list_add(cli_context *ctx, const cli_parser *p, const char **list, size_t *count,
                        const char *value)
{
    if (*count >= CLI_MAX_LIST) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "option %s is given more than %d times",
                        p->name, CLI_MAX_LIST);
    }
    list[(*count)++] = value;
    list[*count] = NULL;
    return 0;
}

/* Returns 1 when `name` is a valid environment variable name: a letter or underscore,
 * then letters, digits and underscores. */
static int cli_env_name_valid(const char *name, size_t len)
{
    size_t i;

    if (len == 0 || (name[0] >= '0' && name[0] <= '9')) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Returns the SL_LAYER_* bit named `len` bytes of `name`, or 0 for an unknown name. */
static unsigned cli_layer_by_name(const char *name, size_t len)
{
    unsigned i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        const char *known = sl_sandbox_layer_name(1u << i);

        if (strlen(known) == len && strncmp(known, name, len) == 0) {
            return 1u << i;
        }
    }
    return 0;
}

/* Prints why the layer `bit`, named `len` bytes of `name`, cannot be waived. */
static int cli_policy_waive_rejected(cli_context *ctx, const char *name, size_t len,
                                     unsigned bit)
{
    const char *why;

    if (bit == 0) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "--waive: unknown layer '%.*s'; the layers that "
                        "can be waived are seccomp, landlock and cgroup", (int)len, name);
    }
    if (bit == SL_LAYER_SCAN) {
        why = "the scan is part of --level 3, so use --level 2 to run without it";
    } else if (bit == SL_LAYER_RLIMITS || bit == SL_LAYER_NO_NEW_PRIVS) {
        why = "rlimits and no_new_privs are always on, at every level";
    } else {
        why = "the namespaces (userns, mountns, pidns, netns, ipcns, utsns) are one unit that "
              "level 2 needs; use --level 1 to run without isolation";
    }
    return cli_fail(ctx, CLI_EXIT_USAGE, "--waive: layer '%.*s' cannot be waived, only "
                    "seccomp, landlock and cgroup can; %s", (int)len, name, why);
}

/* Adds each layer named in the comma-separated `value` to waive_layers. */
static int cli_policy_waive(cli_context *ctx, cli_policy *cp, const char *value)
{
    const char *s = value;

    while (*s != '\0') {
        const char *end = strchr(s, ',');
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        unsigned bit = cli_layer_by_name(s, len);

        if (bit == 0 || (bit & CLI_WAIVABLE_LAYERS) == 0) {
            return cli_policy_waive_rejected(ctx, s, len, bit);
        }
        cp->policy.waive_layers |= bit;
        s += len;
        if (*s == ',') {
            s++;
        }
    }
    return 0;
}

/* Handles the flags that take a number. Returns 1 when `p` is one of them (status set). */
static int cli_policy_number_option(cli_context *ctx, cli_parser *p, cli_policy *cp,
                                    int *status)
{
    const char *value;
    uint64_t n;

    if (cli_is(p, "--level", NULL) || cli_is(p, "--timeout", NULL) ||
        cli_is(p, "--memory", NULL)) {
        *status = cli_value(ctx, p, &value);
        if (*status == 0) {
            *status = cli_policy_set(ctx, cp, p->name + 2, p->name, value);
        }
        return 1;
    }
    if (cli_is(p, "--cpu", NULL) || cli_is(p, "--max-procs", NULL)) {
        *status = cli_value(ctx, p, &value);
        if (*status != 0) {
            return 1;
        }
        if (cli_parse_positive(value, 0, UINT32_MAX, &n) != 0) {
            *status = cli_fail(ctx, CLI_EXIT_USAGE, "%s must be a whole number from 1 to %u, "
                               "got '%s'", p->name, (unsigned)UINT32_MAX, value);
            return 1;
        }
        if (cli_is(p, "--cpu", NULL)) {
            cp->policy.cpu_seconds = (uint32_t)n;
        } else {
            cp->policy.max_processes = (uint32_t)n;
        }
        return 1;
    }
    return 0;
}

/* Handles the flags that take a path or a name. Returns 1 when `p` is one of them. */
static int cli_policy_list_option(cli_context *ctx, cli_parser *p, cli_policy *cp, int *status)
{
    const char *value;

    if (!cli_is(p, "--output-dir", NULL) && !cli_is(p, "--ro", NULL) &&
        !cli_is(p, "--rw", NULL) && !cli_is(p, "--env", NULL) && !cli_is(p, "--setenv", NULL) &&
        !cli_is(p, "--waive", NULL)) {
        return 0;
    }
    *status = cli_value(ctx, p, &value);
    if (*status != 0) {
        return 1;
    }
    if (value[0] == '\0') {
        *status = cli_fail(ctx, CLI_EXIT_USAGE, "option %s needs a non-empty value", p->name);
    } else if (cli_is(p, "--output-dir", NULL)) {
        cp->policy.output_dir = value;
    } else if (cli_is(p, "--ro", NULL)) {
        *status = cli_list_add(ctx, p, cp->read_only, &cp->read_only_count, value);
        cp->policy.read_only_paths = cp->read_only;
    } else if (cli_is(p, "--rw", NULL)) {
        *status = cli_list_add(ctx, p, cp->read_write, &cp->read_write_count, value);
        cp->policy.read_write_paths = cp->read_write;
    } else if (cli_is(p, "--env", NULL)) {
        if (!cli_env_name_valid(value, strlen(value))) {
            *status = cli_fail(ctx, CLI_EXIT_USAGE, "--env needs a variable name such as "
                               "MY_TOKEN, got '%s'", value);
            return 1;
        }
        *status = cli_list_add(ctx, p, cp->env_pass, &cp->env_pass_count, value);
        cp->policy.env_pass = cp->env_pass;
    } else if (cli_is(p, "--setenv", NULL)) {
        const char *eq = strchr(value, '=');

        if (eq == NULL || !cli_env_name_valid(value, (size_t)(eq - value))) {
            *status = cli_fail(ctx, CLI_EXIT_USAGE, "--setenv needs NAME=VALUE with a name of "
                               "letters, digits and '_', got '%s'", value);
            return 1;
        }
        *status = cli_list_add(ctx, p, cp->env_set, &cp->env_set_count, value);
        cp->policy.env_set = cp->env_set;
    } else {
        *status = cli_policy_waive(ctx, cp, value);
    }
    return 1;
}

int cli_policy_option(cli_context *ctx, cli_parser *p, cli_policy *cp)
{
    int status = 0;

    if (cli_policy_number_option(ctx, p, cp, &status) ||
        cli_policy_list_option(ctx, p, cp, &status)) {
        return status == 0 ? 1 : -status;
    }
    if (cli_is(p, "--network", NULL) || cli_is(p, "--no-network", NULL) ||
        cli_is(p, "--allow-subprocess", NULL)) {
        status = cli_no_value(ctx, p);
        if (status != 0) {
            return -status;
        }
        if (cli_is(p, "--allow-subprocess", NULL)) {
            cp->policy.allow_subprocess = 1;
        } else {
            cp->policy.network = cli_is(p, "--network", NULL);
            cp->flag_knobs |= cli_knob_bit("network");
        }
        return 1;
    }
    return 0;
}
