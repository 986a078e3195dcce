/* `skilllite status` (what the kernel offers) and `skilllite sandbox` (run any command
 * under the policy that `run` uses). */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

const char cmd_status_help[] =
    "Usage: skilllite status [OPTIONS]\n"
    "\n"
    "Probes the kernel and lists each isolation layer of level 2 as available or missing,\n"
    "with the reason and the fix for a missing one, then whether level 2 can run.\n"
    "\n"
    "Options:\n"
    "  --json        print {\"kernel\", \"layers\": [{\"name\", \"available\", \"reason\"}],\n"
    "                \"landlock_abi\", \"cgroup_version\", \"level2\", \"missing\"}\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 the probe ran (also when layers are missing), 4 the probe failed.\n";

const char cmd_sandbox_help[] =
    "Usage: skilllite sandbox [OPTIONS] [--] COMMAND [ARGS...]\n"
    "\n"
    "Runs COMMAND (an absolute path or a name looked up in PATH) under the same sandbox as\n"
    "'run'. Options end at '--' or at the first argument that is not an option. Stdin is\n"
    "passed to the command when it is not a terminal. The command's stdout and stderr are\n"
    "captured and printed after it ends, byte for byte.\n"
    "\n"
    "Options:\n"
    "  --work-dir DIR         bind DIR read-only at /skill and start the command there\n"
    "  --json                 print one object as 'run --json' does\n"
    "  -h, --help             show this help\n"
    "\n"
    "The sandbox options below apply, except --level 3, which only 'run' and 'exec' take.\n"
    "\n"
    "%s"
    "\n"
    "Exit status: the command's own exit status, or 128+N when signal N ended it (a\n"
    "limit ends the command with SIGKILL: 137; a message on stderr names the limit),\n"
    "125 invalid options or the sandbox could not start, 126 the command could not be\n"
    "executed, 127 the command was not found.\n";

/* Exit statuses of `sandbox`, chosen like env(1) and timeout(1) so they do not hide the
 * command's own small statuses. */
enum {
    CLI_SANDBOX_EXIT_ERROR = 125,
    CLI_SANDBOX_EXIT_CANNOT_EXEC = 126,
    CLI_SANDBOX_EXIT_NOT_FOUND = 127,
    CLI_SANDBOX_EXIT_SIGNAL_BASE = 128
};

/* ---- status ----------------------------------------------------------------------------- */

/* Layers that level 2 uses; SL_LAYER_SCAN belongs to level 3 and is not a kernel feature. */
#define CLI_LEVEL2_LAYERS (((1u << SL_LAYER_COUNT) - 1u) & ~SL_LAYER_SCAN)

/* Returns "Linux 6.1.0 x86_64" or "unknown" in `out`. */
static void cli_kernel_name(char *out, size_t size)
{
    struct utsname u;

    if (uname(&u) != 0) {
        snprintf(out, size, "unknown");
        return;
    }
    snprintf(out, size, "%s %s %s", u.sysname, u.release, u.machine);
}

static int cli_status_json(cli_context *ctx, const sl_sandbox_support *support,
                           const char *kernel)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *root;
    sl_value *layers;
    sl_value *missing;
    unsigned i;
    int status;

    if (doc == NULL) {
        return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
    }
    root = sl_value_new_object(doc);
    layers = sl_value_new_array(doc);
    missing = sl_value_new_array(doc);
    for (i = 0; i < SL_LAYER_COUNT; i++) {
        unsigned bit = 1u << i;
        sl_value *item;
        int available = (support->available & bit) != 0;

        if ((CLI_LEVEL2_LAYERS & bit) == 0) {
            continue;
        }
        item = sl_value_new_object(doc);
        sl_value_set(doc, item, "name", sl_value_new_str(doc, sl_sandbox_layer_name(bit)));
        sl_value_set(doc, item, "available", sl_value_new_bool(doc, available));
        sl_value_set(doc, item, "reason", sl_value_new_str(doc, available ? ""
                                                                          : support->reasons[i]));
        sl_value_push(doc, layers, item);
        if (!available) {
            sl_value_push(doc, missing, sl_value_new_str(doc, sl_sandbox_layer_name(bit)));
        }
    }
    sl_value_set(doc, root, "kernel", sl_value_new_str(doc, kernel));
    sl_value_set(doc, root, "layers", layers);
    sl_value_set(doc, root, "landlock_abi", sl_value_new_int(doc, support->landlock_abi));
    sl_value_set(doc, root, "cgroup_version", sl_value_new_int(doc, support->cgroup_version));
    sl_value_set(doc, root, "level2", sl_value_new_bool(doc, sl_value_count(missing) == 0));
    sl_value_set(doc, root, "missing", missing);
    status = cli_print_json(ctx, root);
    sl_doc_free(doc);
    return status;
}

static void cli_status_text(const sl_sandbox_support *support, const char *kernel)
{
    char missing[256];
    unsigned lacking;
    unsigned i;

    printf("kernel: %s\n\n", kernel);
    for (i = 0; i < SL_LAYER_COUNT; i++) {
        unsigned bit = 1u << i;

        if ((CLI_LEVEL2_LAYERS & bit) == 0) {
            continue;
        }
        printf("  %-13s ", sl_sandbox_layer_name(bit));
        if ((support->available & bit) == 0) {
            printf("missing    %s\n", support->reasons[i]);
        } else if (bit == SL_LAYER_LANDLOCK) {
            printf("available  (ABI %d)\n", support->landlock_abi);
        } else if (bit == SL_LAYER_CGROUP) {
            printf("available  (cgroup v%d)\n", support->cgroup_version);
        } else {
            printf("available\n");
        }
    }

    lacking = CLI_LEVEL2_LAYERS & ~support->available;
    sl_sandbox_layers_str(lacking, missing, sizeof(missing));
    printf("\nlevel 1: available (limits only, no isolation)\n");
    if (missing[0] == '\0') {
        printf("level 2: available\n");
        return;
    }
    printf("level 2: unavailable, missing: %s\n", missing);
    if ((lacking & ~CLI_WAIVABLE_LAYERS) != 0) {
        /* Only seccomp, landlock and cgroup can be waived. */
        printf("         fix the layers above, or use --level 1 to run without isolation\n");
        return;
    }
    for (i = 0; missing[i] != '\0'; i++) {
        if (missing[i] == ' ') {
            missing[i] = ',';
        }
    }
    printf("         fix the layers above, or pass --waive %s to accept less isolation\n",
           missing);
}

int cmd_status(cli_context *ctx, int argc, char **argv)
{
    cli_parser p;
    sl_sandbox_support support;
    sl_error err;
    char kernel[256];
    int help = 0;
    int kind;

    cli_parser_init(&p, argc, argv, 0);
    while ((kind = cli_next(&p)) != CLI_ARG_END) {
        int handled;

        if (kind == CLI_ARG_POSITIONAL) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "status takes no arguments, got '%s'", p.arg);
        }
        handled = cli_common_option(ctx, &p, &help);
        if (handled < 0) {
            return -handled;
        }
        if (handled == 0) {
            return cli_unknown_option(ctx, &p);
        }
    }
    if (help) {
        return cli_print_help(cmd_status_help);
    }

    memset(&support, 0, sizeof(support));
    if (sl_sandbox_probe(&support, &err) != SL_OK) {
        return cli_fail_error(ctx, CLI_EXIT_SANDBOX, &err, NULL, NULL);
    }
    cli_kernel_name(kernel, sizeof(kernel));
    if (ctx->json) {
        return cli_status_json(ctx, &support, kernel);
    }
    cli_status_text(&support, kernel);
    return CLI_EXIT_OK;
}

/* ---- sandbox ---------------------------------------------------------------------------- */

/* Returns the exit status that mirrors how the command ended. */
static int cli_sandbox_exit_status(const sl_sandbox_result *r)
{
    if (r->exited) {
        return r->exit_code & 0xff;
    }
    /* NOTE: a limit normally ends the run with SIGKILL and the library reports that
     * signal. When it reports none, 9 (SIGKILL) is used. */
    return CLI_SANDBOX_EXIT_SIGNAL_BASE + (r->signal > 0 ? r->signal : 9);
}

/* Prints the captured output and the reason for an abnormal end; returns the status. */
static int cli_sandbox_report(cli_context *ctx, const sl_sandbox_policy *policy,
                              const sl_sandbox_result *r)
{
    int status = cli_sandbox_exit_status(r);

    if (ctx->json) {
        /* cli_report_run prints the object and the limit message; the exit status here
         * is the command's own, so the report's status is not used. */
        cli_report_run(ctx, policy, r, "the command");
        return status;
    }
    if (r->stdout_len > 0) {
        fwrite(r->stdout_data, 1, r->stdout_len, stdout);
        fflush(stdout);
    }
    if (r->stderr_len > 0) {
        fwrite(r->stderr_data, 1, r->stderr_len, stderr);
        fflush(stderr);
    }
    if (r->stdout_truncated) {
        cli_warn("stdout was cut at %zu bytes", r->stdout_len);
    }
    if (r->stderr_truncated) {
        cli_warn("stderr was cut at %zu bytes", r->stderr_len);
    }
    if (r->limit != SL_LIMIT_NONE || !r->exited) {
        cli_explain_failure(policy, r, "the command");
    }
    cli_note_permission_hint(policy, r);
    return status;
}

/* Prints why `command` could not be executed (execve failed with EACCES): a folder, a
 * file without execute permission, or one the sandbox does not let run. */
static int cli_fail_not_executable(cli_context *ctx, const sl_error *err, const char *command)
{
    sl_error copy = *err; /* keeps the library's code, stage and errno for --json */
    struct stat st;

    if (strchr(command, '/') != NULL && stat(command, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(copy.message, sizeof(copy.message), "command '%s' is a folder, not a "
                 "program; give the path of an executable file", command);
    } else {
        snprintf(copy.message, sizeof(copy.message), "command '%s' is not executable "
                 "(permission denied); give a program file with execute permission, or run "
                 "a script through its interpreter, such as 'python3 SCRIPT'", command);
    }
    return cli_fail_error(ctx, CLI_SANDBOX_EXIT_CANNOT_EXEC, &copy, NULL, NULL);
}

/* Maps a failed sl_sandbox_exec of `command` to an exit status after printing the error. */
static int cli_sandbox_fail(cli_context *ctx, const sl_error *err, const char *command)
{
    unsigned layer = cli_layer_for_result(err->code);
    char hint[300];

    if (err->code == SL_ESANDBOX_EXEC && err->sys_errno == EACCES) {
        return cli_fail_not_executable(ctx, err, command);
    }
    if (err->code == SL_ESANDBOX_EXEC) {
        /* The library's message already names the program and the fix. */
        return cli_fail_error(ctx, err->sys_errno == ENOENT ? CLI_SANDBOX_EXIT_NOT_FOUND
                                                            : CLI_SANDBOX_EXIT_CANNOT_EXEC,
                              err, NULL, NULL);
    }
    cli_layer_hint(layer, hint, sizeof(hint));
    return cli_fail_error(ctx, CLI_SANDBOX_EXIT_ERROR, err, NULL, hint);
}

int cmd_sandbox(cli_context *ctx, int argc, char **argv)
{
    cli_policy cp;
    cli_parser p;
    cli_input input;
    sl_sandbox_result result;
    sl_error err;
    int command_index = -1;
    int help = 0;
    int kind;
    int status;

    cli_policy_init(&cp);
    status = 0;
    cli_parser_init(&p, argc, argv, 0);
    while (status == 0 && command_index < 0 && (kind = cli_next(&p)) != CLI_ARG_END) {
        int handled;

        if (kind == CLI_ARG_POSITIONAL) {
            command_index = p.index - 1;
            break;
        }
        handled = cli_common_option(ctx, &p, &help);
        if (handled == 0) {
            handled = cli_policy_option(ctx, &p, &cp);
        }
        if (handled < 0) {
            status = -handled;
        } else if (handled == 0 && cli_is(&p, "--work-dir", NULL)) {
            status = cli_value(ctx, &p, &cp.policy.work_dir);
        } else if (handled == 0) {
            status = cli_unknown_option(ctx, &p);
        }
    }
    if (help) {
        return cli_print_help(cmd_sandbox_help);
    }
    if (status == 0) {
        status = cli_policy_apply_env(ctx, &cp);
    }
    if (status != 0) {
        return CLI_SANDBOX_EXIT_ERROR;
    }
    if (command_index < 0) {
        return cli_fail(ctx, CLI_SANDBOX_EXIT_ERROR, "sandbox needs a command: skilllite "
                        "sandbox [OPTIONS] -- COMMAND [ARGS...]");
    }
    if (cp.policy.level == 3) {
        return cli_fail(ctx, CLI_SANDBOX_EXIT_ERROR, "--level 3 scans a skill before it runs "
                        "and is only for 'run' and 'exec'; use --level 2 for a command");
    }

    if (cli_input_read(ctx, NULL, "", &input) != 0) {
        return CLI_SANDBOX_EXIT_ERROR;
    }
    if (sl_sandbox_exec(&cp.policy, (const char *const *)(argv + command_index), input.data,
                        input.len, &result, &err) != SL_OK) {
        status = cli_sandbox_fail(ctx, &err, argv[command_index]);
    } else {
        status = cli_sandbox_report(ctx, &cp.policy, &result);
        sl_sandbox_result_free(&result);
    }
    cli_input_free(&input);
    return status;
}
