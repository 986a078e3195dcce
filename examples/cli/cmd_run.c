/* `skilllite run` and `skilllite exec`: run a skill's entry point or one of its scripts in
 * the sandbox, and report the result. */
#define _XOPEN_SOURCE 700 /* realpath */

#include "common.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_run_help[] =
    "Usage: skilllite run [OPTIONS] DIR [JSON|@FILE|-]\n"
    "\n"
    "Loads and validates the skill in folder DIR, then runs its entry point in the sandbox\n"
    "with the JSON input on stdin. The input is the JSON argument, the content of FILE\n"
    "for @FILE, or stdin for '-'. Without an input argument, stdin is read when it is not\n"
    "a terminal, and {} is sent otherwise (also when stdin is empty).\n"
    "\n"
    "When the skill's stdout is JSON it is printed as it came; other output is printed as\n"
    "text after the line 'skilllite: output is not JSON; shown as text' on stderr. The\n"
    "skill's stderr is copied to stderr.\n"
    "\n"
    "Options:\n"
    "  --json                 print one object: {\"ok\", \"exit_code\", \"signal\", \"output\"\n"
    "                         (or \"output_text\"), \"stderr\", \"limit\", \"layers\",\n"
    "                         \"wall_ms\", ...}\n"
    "  -y, --yes              level 3: accept high-severity findings without asking\n"
    "  --allow-critical       level 3: with --yes, also accept critical findings\n"
    "                         (below level 3 both are ignored, with a note)\n"
    "  -h, --help             show this help\n"
    "\n"
    "%s"
    "\n"
    "Exit status: 0 success, 1 the skill failed, 2 invalid arguments or input, 3 invalid\n"
    "skill, 4 the sandbox could not start, 5 a limit ended the run, 6 scan findings denied.\n";

const char cmd_exec_help[] =
    "Usage: skilllite exec [OPTIONS] DIR SCRIPT [ARGS...]\n"
    "\n"
    "Runs SCRIPT, a path relative to the skill folder DIR, in the sandbox with ARGS as its\n"
    "arguments. Everything after SCRIPT goes to the script unchanged. The interpreter\n"
    "comes from the extension (.py python3, .js/.mjs/.cjs node, .sh/.bash bash) or the\n"
    "script's #! line. Output is reported as for 'run'.\n"
    "\n"
    "Options:\n"
    "  --input JSON|@FILE|-   bytes for the script's stdin (default: stdin when it is not\n"
    "                         a terminal, else nothing); not required to be JSON\n"
    "  --json                 print one object as 'run --json' does\n"
    "  -y, --yes              level 3: accept high-severity findings without asking\n"
    "  --allow-critical       level 3: with --yes, also accept critical findings\n"
    "                         (below level 3 both are ignored, with a note)\n"
    "  -h, --help             show this help\n"
    "\n"
    "%s"
    "\n"
    "Exit status: as for 'run'.\n";

/* ---- Reporting a run ------------------------------------------------------------------ */

/* Returns 1 when `len` bytes of `data` are one JSON value. */
static int cli_output_is_json(const char *data, size_t len)
{
    sl_doc *doc;

    if (len == 0) {
        return 0;
    }
    doc = sl_json_parse(data, len, NULL, NULL);
    if (doc == NULL) {
        return 0;
    }
    sl_doc_free(doc);
    return 1;
}

int cli_explain_failure(const sl_sandbox_policy *policy, const sl_sandbox_result *r,
                               const char *what)
{
    switch (r->limit) {
    case SL_LIMIT_NONE:
        break;
    case SL_LIMIT_TIMEOUT:
        cli_error_note("%s timed out after %u ms; raise the limit with --timeout MS", what,
                       (unsigned)policy->timeout_ms);
        return CLI_EXIT_LIMIT;
    case SL_LIMIT_CPU:
        cli_error_note("%s used its %u s of CPU time; raise the limit with --cpu SECONDS",
                       what, (unsigned)policy->cpu_seconds);
        return CLI_EXIT_LIMIT;
    case SL_LIMIT_MEMORY:
        cli_error_note("%s ran out of its %llu bytes of memory; raise the limit with "
                       "--memory BYTES", what, (unsigned long long)policy->memory_bytes);
        return CLI_EXIT_LIMIT;
    case SL_LIMIT_PIDS:
        cli_error_note("%s reached the limit of %u processes; raise it with --max-procs N",
                       what, (unsigned)policy->max_processes);
        return CLI_EXIT_LIMIT;
    case SL_LIMIT_FILE_SIZE:
        cli_error_note("%s wrote past the file size limit or the /output quota", what);
        return CLI_EXIT_LIMIT;
    default:
        cli_error_note("%s was stopped by the %s limit", what, sl_sandbox_limit_name(r->limit));
        return CLI_EXIT_LIMIT;
    }
    if (!r->exited) {
        cli_error_note("%s was killed by signal %d", what, r->signal);
        return CLI_EXIT_FAILED;
    }
    if (r->exit_code != 0) {
        cli_error_note("%s exited with status %d", what, r->exit_code);
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

/* Returns 1 when `len` bytes of `data` contain one of the NULL-terminated `needles`. */
static int cli_text_has_any(const char *data, size_t len, const char *const *needles)
{
    size_t i;

    for (; *needles != NULL; needles++) {
        size_t n = strlen(*needles);

        for (i = 0; n <= len && i <= len - n; i++) {
            if (memcmp(data + i, *needles, n) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

void cli_note_permission_hint(const sl_sandbox_policy *policy, const sl_sandbox_result *r)
{
    static const char *const denied[] = {"PermissionError", "EACCES", "Permission denied",
                                         NULL};
    /* Python tracebacks name subprocess.py and Popen; node prints "spawn ... EACCES". */
    static const char *const subprocess[] = {"subprocess", "Popen", "spawn", "os.exec",
                                             "execv", NULL};
    /* Python shows the failing line (sock.connect, s.bind(...), urlopen); node prints
     * "connect EACCES" or "listen EACCES". */
    static const char *const network[] = {"socket", "connect", "bind(", "listen", "urlopen",
                                          NULL};

    if (policy->level < 2 || r->limit != SL_LIMIT_NONE || (r->exited && r->exit_code == 0) ||
        r->stderr_data == NULL || !cli_text_has_any(r->stderr_data, r->stderr_len, denied)) {
        return;
    }
    if (!policy->allow_subprocess &&
        cli_text_has_any(r->stderr_data, r->stderr_len, subprocess)) {
        fputs("skilllite: note: the permission error in the program's stderr looks like a "
              "blocked subprocess; pass --allow-subprocess to let it start other programs\n",
              stderr);
    } else if (!policy->network && cli_text_has_any(r->stderr_data, r->stderr_len, network)) {
        fputs("skilllite: note: the permission error in the program's stderr looks like a "
              "blocked network call; without --network, TCP bind and connect fail even on "
              "127.0.0.1, so pass --network to allow them\n", stderr);
    }
}

/* Builds the --json report of a run. */
static int cli_report_json(cli_context *ctx, const sl_sandbox_result *r, int ok)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *root;
    sl_value *layers;
    sl_doc *output = NULL;
    int status;

    if (doc == NULL) {
        return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
    }
    root = sl_value_new_object(doc);
    layers = sl_value_new_array(doc);
    sl_value_set(doc, root, "ok", sl_value_new_bool(doc, ok));
    sl_value_set(doc, root, "exit_code",
                 r->exited ? sl_value_new_int(doc, r->exit_code) : sl_value_new_null(doc));
    sl_value_set(doc, root, "signal", sl_value_new_int(doc, r->signal));
    if (r->stdout_len > 0) {
        output = sl_json_parse(r->stdout_data, r->stdout_len, NULL, NULL);
    }
    if (output != NULL) {
        /* NOTE: sl_json_write writes the parsed value again, so an integer beyond int64
         * comes back as a double. The text output (without --json) keeps the exact bytes. */
        sl_value_set(doc, root, "output", sl_value_copy(doc, sl_doc_root(output)));
        sl_doc_free(output);
    } else {
        sl_value_set(doc, root, "output", sl_value_new_null(doc));
        sl_value_set(doc, root, "output_text",
                     sl_value_new_strn(doc, r->stdout_data != NULL ? r->stdout_data : "",
                                       r->stdout_len));
    }
    sl_value_set(doc, root, "stderr",
                 sl_value_new_strn(doc, r->stderr_data != NULL ? r->stderr_data : "",
                                   r->stderr_len));
    sl_value_set(doc, root, "stdout_truncated", sl_value_new_bool(doc, r->stdout_truncated));
    sl_value_set(doc, root, "stderr_truncated", sl_value_new_bool(doc, r->stderr_truncated));
    sl_value_set(doc, root, "limit", sl_value_new_str(doc, sl_sandbox_limit_name(r->limit)));
    cli_layers_to_json(doc, layers, r->layers);
    sl_value_set(doc, root, "layers", layers);
    sl_value_set(doc, root, "wall_ms", sl_value_new_int(doc, (int64_t)(r->wall_ns / 1000000u)));
    sl_value_set(doc, root, "cpu_ms", sl_value_new_int(doc, (int64_t)(r->cpu_ns / 1000000u)));
    sl_value_set(doc, root, "peak_memory_bytes",
                 sl_value_new_int(doc, (int64_t)r->peak_memory_bytes));
    sl_value_set(doc, root, "output_bytes_written",
                 sl_value_new_int(doc, (int64_t)r->output_bytes_written));
    sl_value_set(doc, root, "output_files_written",
                 sl_value_new_int(doc, (int64_t)r->output_files_written));
    sl_value_set(doc, root, "output_entries_skipped",
                 sl_value_new_int(doc, (int64_t)r->output_entries_skipped));
    status = cli_print_json(ctx, root);
    sl_doc_free(doc);
    return status;
}

int cli_report_run(cli_context *ctx, const sl_sandbox_policy *policy,
                   const sl_sandbox_result *result, const char *what)
{
    int status;

    if (ctx->json) {
        status = cli_explain_failure(policy, result, what);
        cli_note_permission_hint(policy, result);
        if (cli_report_json(ctx, result, status == CLI_EXIT_OK) != 0) {
            return CLI_EXIT_FAILED;
        }
        return status;
    }

    if (result->stdout_len > 0 && !cli_output_is_json(result->stdout_data, result->stdout_len)) {
        fputs("skilllite: output is not JSON; shown as text\n", stderr);
        fflush(stderr);
    }
    cli_write_text(stdout, result->stdout_data, result->stdout_len);
    if (result->stdout_truncated) {
        cli_warn("stdout was cut at %zu bytes", result->stdout_len);
    }
    cli_write_text(stderr, result->stderr_data, result->stderr_len);
    if (result->stderr_truncated) {
        cli_warn("stderr was cut at %zu bytes", result->stderr_len);
    }
    status = cli_explain_failure(policy, result, what);
    cli_note_permission_hint(policy, result);
    return status;
}

/* ---- Shared steps of run and exec ----------------------------------------------------- */

/* Options of run and exec besides the policy flags. */
typedef struct cli_run_options {
    cli_policy policy;
    int yes;            /* --yes */
    int allow_critical; /* --allow-critical */
    const char *input;  /* --input (exec) */
    int help;
} cli_run_options;

/* Handles one option of run or exec. Returns 0, or an exit status. */
static int cli_run_option(cli_context *ctx, cli_parser *p, cli_run_options *o, int exec)
{
    int handled = cli_common_option(ctx, p, &o->help);

    if (handled == 0) {
        handled = cli_policy_option(ctx, p, &o->policy);
    }
    if (handled < 0) {
        return -handled;
    }
    if (handled > 0) {
        return 0;
    }
    if (cli_is(p, "--yes", "-y")) {
        o->yes = 1;
        return cli_no_value(ctx, p);
    }
    if (cli_is(p, "--allow-critical", NULL)) {
        o->allow_critical = 1;
        return cli_no_value(ctx, p);
    }
    if (exec && cli_is(p, "--input", NULL)) {
        return cli_value(ctx, p, &o->input);
    }
    return cli_unknown_option(ctx, p);
}

/* Notes --yes and --allow-critical given below level 3, where no scan runs to confirm. */
static void cli_note_level3_options(const cli_run_options *o)
{
    if (o->policy.policy.level == 3 || (!o->yes && !o->allow_critical)) {
        return;
    }
    fprintf(stderr, "skilllite: note: %s only %s at --level 3, where the security scan runs; "
            "ignored at level %d\n",
            o->yes && o->allow_critical ? "--yes and --allow-critical"
                                        : (o->yes ? "--yes" : "--allow-critical"),
            o->yes && o->allow_critical ? "matter" : "matters", o->policy.policy.level);
}

/* Prints every diagnostic of `skill` with at least `min_severity` to stderr, except those
 * of check `skip_check` (0 skips none). */
static void cli_print_diagnostics(const sl_skill *skill, int min_severity, int skip_check)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);

        if ((int)d->severity >= min_severity && (skip_check == 0 || (int)d->check != skip_check)) {
            fprintf(stderr, "%s:%d:%d: %s: %s\n", d->path, d->line, d->column,
                    d->severity == SL_SEVERITY_ERROR ? "error" : "warning", d->message);
        }
    }
}

/* Loads the skill in `dir` for running. With `need_entry` (run) and no entry point, the
 * entry-point warnings are left out, because cli_fail_no_entry prints them as the error.
 * Returns 0 or an exit status after the message. */
static int cli_load_for_run(cli_context *ctx, const char *dir, int need_entry, sl_skill **skill)
{
    sl_skill_options opt;
    sl_error err;
    int rc;

    sl_skill_options_init(&opt);
    opt.flags |= SL_SKILL_KEEP_ON_ERROR;
    rc = sl_skill_load(dir, &opt, skill, &err);
    if (rc != SL_OK && *skill != NULL) {
        cli_print_diagnostics(*skill, SL_SEVERITY_WARNING, 0);
        sl_skill_free(*skill);
        *skill = NULL;
        return cli_fail(ctx, CLI_EXIT_INVALID_SKILL, "skill folder '%s' is invalid; fix the "
                        "errors above ('skilllite validate %s' checks it again)", dir, dir);
    }
    if (rc == SL_ENOTFOUND) {
        return cli_fail_skill_dir(ctx, dir);
    }
    if (rc != SL_OK) {
        return cli_fail_error(ctx, CLI_EXIT_INVALID_SKILL, &err, NULL, NULL);
    }
    cli_print_diagnostics(*skill, SL_SEVERITY_WARNING,
                          need_entry && sl_skill_entry_point(*skill)[0] == '\0'
                              ? SL_SKILL_CHECK_ENTRY_POINT
                              : 0);
    return 0;
}

/* Prints why `skill` has no entry point to run: the library's entry-point diagnostic when
 * there is one (a missing entry_point file, several scripts), else how to add one. */
static int cli_fail_no_entry(cli_context *ctx, const sl_skill *skill)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);

        if (d->check == SL_SKILL_CHECK_ENTRY_POINT) {
            return cli_fail(ctx, CLI_EXIT_INVALID_SKILL, "skill '%s' has no entry point to "
                            "run: %s:%d:%d: %s", sl_skill_name(skill), d->path, d->line,
                            d->column, d->message);
        }
    }
    return cli_fail(ctx, CLI_EXIT_INVALID_SKILL, "skill '%s' has no entry point; add "
                    "'entry_point: scripts/main.py' to its SKILL.md or a scripts/main.* "
                    "file", sl_skill_name(skill));
}

/* Reports a failed sl_skill_run or sl_sandbox_exec call. */
static int cli_fail_spawn(cli_context *ctx, const sl_error *err)
{
    unsigned layer = cli_layer_for_result(err->code);
    char hint[300];

    cli_layer_hint(layer, hint, sizeof(hint));
    return cli_fail_error(ctx, cli_status_for_result(err->code), err, NULL, hint);
}

/* Approves in the library's own level 3 gate what cli_scan_gate already confirmed. */
static int cli_gate_approved(void *user, const sl_scan_report *report)
{
    (void)user;
    (void)report;
    return 1;
}

/* Applies the level 3 gate when the policy sets level 3. Returns 0 to go on. The CLI asks
 * the user first (with the report on a terminal); the library then scans the folder again
 * right before the spawn, so content changed in between is still caught. */
static int cli_gate(cli_context *ctx, cli_run_options *o, const char *path)
{
    int status;

    if (o->policy.policy.level != 3) {
        return 0;
    }
    status = cli_scan_gate(ctx, path, o->yes, o->allow_critical);
    if (status == 0) {
        o->policy.policy.confirm = cli_gate_approved;
        o->policy.policy.allow_critical = o->yes && o->allow_critical;
    }
    return status;
}

/* ---- run -------------------------------------------------------------------------------- */

int cmd_run(cli_context *ctx, int argc, char **argv)
{
    cli_run_options o;
    cli_parser p;
    const char *dir = NULL;
    const char *input_spec = NULL;
    sl_skill *skill = NULL;
    cli_input input;
    sl_sandbox_result result;
    sl_error err;
    int kind;
    int status;

    memset(&o, 0, sizeof(o));
    cli_policy_init(&o.policy);
    status = 0;
    cli_parser_init(&p, argc, argv, 0);
    while (status == 0 && (kind = cli_next(&p)) != CLI_ARG_END) {
        if (kind == CLI_ARG_OPTION) {
            status = cli_run_option(ctx, &p, &o, 0);
        } else if (dir == NULL) {
            dir = p.arg;
        } else if (input_spec == NULL) {
            input_spec = p.arg;
        } else {
            status = cli_fail(ctx, CLI_EXIT_USAGE, "unexpected argument '%s'; run takes a "
                              "folder and one input", p.arg);
        }
    }
    if (o.help) {
        return cli_print_help(cmd_run_help);
    }
    if (status == 0) {
        status = cli_policy_apply_env(ctx, &o.policy);
    }
    if (status != 0) {
        return status;
    }
    cli_note_level3_options(&o);
    if (dir == NULL) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "run needs a skill folder: skilllite run DIR "
                        "[JSON|@FILE|-]");
    }

    status = cli_load_for_run(ctx, dir, 1, &skill);
    if (status != 0) {
        return status;
    }
    if (sl_skill_entry_point(skill)[0] == '\0') {
        status = cli_fail_no_entry(ctx, skill);
        sl_skill_free(skill);
        return status;
    }
    status = cli_input_read(ctx, input_spec, "{}", &input);
    if (status == 0) {
        status = cli_input_parse_json(ctx, &input, NULL);
    }
    if (status == 0) {
        status = cli_gate(ctx, &o, sl_skill_dir(skill));
    }
    if (status == 0 && !o.policy.policy.network && sl_skill_wants_network(skill)) {
        /* The host decides on network access; the SKILL.md text is only a hint. */
        fprintf(stderr, "skilllite: note: SKILL.md says \"%s\"; the skill runs without network "
                "access unless you pass --network\n", sl_skill_compatibility(skill));
    }
    if (status == 0) {
        if (sl_skill_run(skill, &o.policy.policy, input.data, input.len, &result, &err) != SL_OK) {
            status = cli_fail_spawn(ctx, &err);
        } else {
            status = cli_report_run(ctx, &o.policy.policy, &result, "the skill");
            sl_sandbox_result_free(&result);
        }
    }
    cli_input_free(&input);
    sl_skill_free(skill);
    return status;
}

/* ---- exec ------------------------------------------------------------------------------- */

/* Returns the interpreter for `script` (absolute host path) from its extension or #! line,
 * or NULL when neither names python, node or bash. */
static const char *cli_interpreter_for(const char *script)
{
    static const struct {
        const char *suffix;
        const char *interpreter;
    } by_suffix[] = {
        {".py", "python3"}, {".js", "node"}, {".mjs", "node"}, {".cjs", "node"},
        {".sh", "bash"},    {".bash", "bash"},
    };
    size_t len = strlen(script);
    char line[256];
    FILE *f;
    size_t i;

    for (i = 0; i < sizeof(by_suffix) / sizeof(by_suffix[0]); i++) {
        size_t n = strlen(by_suffix[i].suffix);

        if (len > n && strcmp(script + len - n, by_suffix[i].suffix) == 0) {
            return by_suffix[i].interpreter;
        }
    }
    f = fopen(script, "r");
    if (f == NULL) {
        return NULL;
    }
    if (fgets(line, sizeof(line), f) == NULL || strncmp(line, "#!", 2) != 0) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    if (strstr(line, "python") != NULL) {
        return "python3";
    }
    if (strstr(line, "node") != NULL) {
        return "node";
    }
    if (strstr(line, "bash") != NULL || strstr(line, "sh") != NULL) {
        return "bash";
    }
    return NULL;
}

/* Checks that `script` names a regular file inside the skill folder and stores its
 * resolved host path in `resolved`. Returns 0 or an exit status after the message. */
static int cli_check_script(cli_context *ctx, const sl_skill *skill, const char *script,
                            char *resolved)
{
    const char *dir = sl_skill_dir(skill);
    size_t dir_len = strlen(dir);
    char joined[PATH_MAX];
    struct stat st;

    if (script[0] == '/') {
        return cli_fail(ctx, CLI_EXIT_USAGE, "script '%s' is absolute; give a path relative "
                        "to the skill folder, such as scripts/main.py", script);
    }
    if (cli_path_has_dotdot(script)) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "script '%s' contains '..'; give a path "
                        "inside the skill folder", script);
    }
    if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", dir, script) >= sizeof(joined) ||
        realpath(joined, resolved) == NULL || stat(resolved, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "script '%s' is not a file in the skill folder "
                        "%s", script, dir);
    }
    /* SECURITY: a symbolic link inside the skill must not lead to a host file, because the
     * sandbox would only see /skill anyway and the scan would check the wrong file. */
    if (strncmp(resolved, dir, dir_len) != 0 || resolved[dir_len] != '/') {
        return cli_fail(ctx, CLI_EXIT_USAGE, "script '%s' leads outside the skill folder "
                        "through a symbolic link", script);
    }
    return 0;
}

/* Runs the checked script with `args` and reports the result. */
static int cli_exec_script(cli_context *ctx, cli_run_options *o, const sl_skill *skill,
                           const char *script, const char *interpreter, int argc, char **args)
{
    const char **run_argv;
    cli_input input;
    sl_sandbox_result result;
    sl_error err;
    int status;
    int i;

    run_argv = (const char **)calloc((size_t)argc + 3, sizeof(*run_argv));
    if (run_argv == NULL) {
        return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
    }
    /* The working folder of the run is the skill folder, so a relative path works at
     * every level (at level 2 the folder is mounted at /skill). */
    run_argv[0] = interpreter;
    run_argv[1] = script;
    for (i = 0; i < argc; i++) {
        run_argv[i + 2] = args[i];
    }
    o->policy.policy.work_dir = sl_skill_dir(skill);

    status = cli_input_read(ctx, o->input, "", &input);
    if (status == 0) {
        if (sl_sandbox_exec(&o->policy.policy, run_argv, input.data, input.len, &result,
                            &err) != SL_OK) {
            status = cli_fail_spawn(ctx, &err);
        } else {
            status = cli_report_run(ctx, &o->policy.policy, &result, "the script");
            sl_sandbox_result_free(&result);
        }
        cli_input_free(&input);
    }
    free(run_argv);
    return status;
}

int cmd_exec(cli_context *ctx, int argc, char **argv)
{
    cli_run_options o;
    cli_parser p;
    const char *dir = NULL;
    const char *script = NULL;
    const char *interpreter;
    char resolved[PATH_MAX];
    sl_skill *skill = NULL;
    int kind;
    int status;

    memset(&o, 0, sizeof(o));
    cli_policy_init(&o.policy);
    status = 0;
    cli_parser_init(&p, argc, argv, 0);
    while (status == 0 && script == NULL && (kind = cli_next(&p)) != CLI_ARG_END) {
        if (kind == CLI_ARG_OPTION) {
            status = cli_run_option(ctx, &p, &o, 1);
        } else if (dir == NULL) {
            dir = p.arg;
        } else {
            script = p.arg;
        }
    }
    if (o.help) {
        return cli_print_help(cmd_exec_help);
    }
    if (status == 0) {
        status = cli_policy_apply_env(ctx, &o.policy);
    }
    if (status != 0) {
        return status;
    }
    cli_note_level3_options(&o);
    if (script == NULL) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "exec needs a skill folder and a script: "
                        "skilllite exec DIR SCRIPT [ARGS...]");
    }

    status = cli_load_for_run(ctx, dir, 0, &skill);
    if (status != 0) {
        return status;
    }
    status = cli_check_script(ctx, skill, script, resolved);
    if (status == 0) {
        interpreter = cli_interpreter_for(resolved);
        if (interpreter == NULL) {
            status = cli_fail(ctx, CLI_EXIT_USAGE, "cannot tell the language of '%s'; name it "
                              ".py, .js or .sh, or start it with a #! line for python3, node "
                              "or bash", script);
        }
    }
    if (status == 0) {
        /* The whole folder is scanned, because the script may import its other files. */
        status = cli_gate(ctx, &o, sl_skill_dir(skill));
    }
    if (status == 0) {
        status = cli_exec_script(ctx, &o, skill, script, interpreter, argc - p.index,
                                 argv + p.index);
    }
    sl_skill_free(skill);
    return status;
}
