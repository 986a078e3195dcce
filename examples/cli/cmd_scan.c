/* `skilllite scan` and the level 3 gate that `run` and `exec` apply before a run. */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_scan_help[] =
    "Usage: skilllite scan [OPTIONS] DIR|FILE\n"
    "\n"
    "Statically scans a skill folder (every file in it) or one script for dangerous code:\n"
    "running commands, dynamic code, downloads that get executed, secrets, and more.\n"
    "\n"
    "Options:\n"
    "  --threshold SEVERITY   low, medium, high or critical: the lowest severity that\n"
    "                         makes the exit status 1 (default high)\n"
    "  --rules FILE           load a YAML rule file (repeatable)\n"
    "  --json                 the report as JSON\n"
    "  --sarif                the report as SARIF 2.1.0\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 no finding at or above the threshold, 1 such findings, 2 an error\n"
    "(invalid option, missing path, the scan failed).\n";

#define CLI_MAX_RULE_FILES 16

/* Largest single file `scan FILE` reads; the scanner applies its own, lower limit. */
#define CLI_SCAN_FILE_MAX (64u * 1024u * 1024u)

/* ---- scan ------------------------------------------------------------------------------- */

typedef struct cli_scan_options {
    int format;             /* sl_scan_format */
    int threshold;          /* sl_scan_severity */
    const char *rules[CLI_MAX_RULE_FILES];
    size_t rule_count;
    const char *target;
    int help;
} cli_scan_options;

static int cli_scan_option(cli_context *ctx, cli_parser *p, cli_scan_options *o)
{
    const char *value;
    int status;
    int handled = cli_common_option(ctx, p, &o->help);

    if (handled != 0) {
        return handled < 0 ? -handled : 0;
    }
    if (cli_is(p, "--sarif", NULL)) {
        o->format = SL_SCAN_FORMAT_SARIF;
        return cli_no_value(ctx, p);
    }
    if (cli_is(p, "--threshold", NULL)) {
        status = cli_value(ctx, p, &value);
        if (status != 0) {
            return status;
        }
        o->threshold = sl_scan_severity_parse(value, strlen(value));
        if (o->threshold == 0) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "--threshold must be low, medium, high or "
                            "critical, got '%s'", value);
        }
        return 0;
    }
    if (cli_is(p, "--rules", NULL)) {
        status = cli_value(ctx, p, &value);
        if (status != 0) {
            return status;
        }
        if (o->rule_count >= CLI_MAX_RULE_FILES) {
            return cli_fail(ctx, CLI_EXIT_USAGE, "--rules is given more than %d times",
                            CLI_MAX_RULE_FILES);
        }
        o->rules[o->rule_count++] = value;
        return 0;
    }
    return cli_unknown_option(ctx, p);
}

/* Scans `o->target` with `scanner`. Returns SL_OK or the library error. */
static int cli_scan_target(const sl_scanner *scanner, const char *target,
                           sl_scan_report **report, sl_error *err)
{
    struct stat st;
    char *text;
    size_t len;
    int rc;

    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        return sl_scanner_scan_dir(scanner, target, report, err);
    }
    rc = sl_file_read(target, CLI_SCAN_FILE_MAX, NULL, &text, &len, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_scanner_scan_text(scanner, target, text, len, -1, report, err);
    sl_free(NULL, text, len + 1);
    return rc;
}

int cmd_scan(cli_context *ctx, int argc, char **argv)
{
    cli_scan_options o;
    cli_parser p;
    sl_scanner *scanner = NULL;
    sl_scan_report *report = NULL;
    sl_error err;
    sl_buf out;
    size_t i;
    int kind;
    int status = 0;

    memset(&o, 0, sizeof(o));
    o.format = SL_SCAN_FORMAT_TEXT;
    o.threshold = SL_SCAN_HIGH;
    cli_parser_init(&p, argc, argv, 0);
    while (status == 0 && (kind = cli_next(&p)) != CLI_ARG_END) {
        if (kind == CLI_ARG_OPTION) {
            status = cli_scan_option(ctx, &p, &o);
        } else if (o.target == NULL) {
            o.target = p.arg;
        } else {
            status = cli_fail(ctx, CLI_EXIT_USAGE, "unexpected argument '%s'; scan takes one "
                              "folder or file", p.arg);
        }
    }
    if (o.help) {
        return cli_print_help(cmd_scan_help);
    }
    if (status != 0) {
        return status;
    }
    if (ctx->json && o.format == SL_SCAN_FORMAT_TEXT) {
        o.format = SL_SCAN_FORMAT_JSON;
    }
    if (o.target == NULL) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "scan needs a skill folder or a file: "
                        "skilllite scan DIR|FILE");
    }

    if (sl_scanner_new(NULL, &scanner, &err) != SL_OK) {
        return cli_fail_error(ctx, CLI_EXIT_USAGE, &err, NULL, NULL);
    }
    for (i = 0; i < o.rule_count && status == 0; i++) {
        if (sl_scanner_load_rules_file(scanner, o.rules[i], &err) != SL_OK) {
            status = cli_fail_error(ctx, CLI_EXIT_USAGE, &err, o.rules[i], NULL);
        }
    }
    if (status == 0 && cli_scan_target(scanner, o.target, &report, &err) != SL_OK) {
        status = cli_fail_error(ctx, CLI_EXIT_USAGE, &err, NULL, NULL);
    }
    if (status == 0) {
        sl_buf_init(&out, NULL);
        if (sl_scan_report_write(report, o.format, 0, &out, &err) != SL_OK) {
            status = cli_fail_error(ctx, CLI_EXIT_USAGE, &err, NULL, NULL);
        } else {
            cli_write_text(stdout, out.data, out.len);
            status = sl_scan_report_max_severity(report) >= o.threshold ? CLI_EXIT_FAILED
                                                                        : CLI_EXIT_OK;
        }
        sl_buf_free(&out);
    }
    sl_scan_report_free(report);
    sl_scanner_free(scanner);
    return status;
}

/* ---- The level 3 gate ------------------------------------------------------------------- */

typedef struct cli_gate_state {
    int yes;
    int allow_critical;
    int asked;     /* set once the prompt was shown */
    int printed;   /* the findings are already on stderr */
} cli_gate_state;

/* Prints the findings to stderr in the text format. */
static void cli_gate_print(const sl_scan_report *report)
{
    sl_buf out;

    sl_buf_init(&out, NULL);
    if (sl_scan_report_write(report, SL_SCAN_FORMAT_TEXT, 0, &out, NULL) == SL_OK) {
        cli_write_text(stderr, out.data, out.len);
    }
    sl_buf_free(&out);
}

/* Reads one line from stdin. Returns 1 for "y" or "yes" in any letter case. */
static int cli_gate_read_reply(void)
{
    char line[64];
    size_t n;
    size_t i;

    if (fgets(line, sizeof(line), stdin) == NULL) {
        fputc('\n', stderr); /* end the prompt line before the refusal message */
        return 0;
    }
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    for (i = 0; i < n; i++) {
        if (line[i] >= 'A' && line[i] <= 'Z') {
            line[i] = (char)(line[i] - 'A' + 'a');
        }
    }
    return strcmp(line, "y") == 0 || strcmp(line, "yes") == 0;
}

/* Confirmation callback for sl_scan_gate; the policy is in cli_scan_gate's comment. */
static int cli_gate_confirm(void *user, const sl_scan_report *report)
{
    cli_gate_state *state = (cli_gate_state *)user;

    if (sl_scan_report_max_severity(report) >= SL_SCAN_CRITICAL) {
        return state->yes && state->allow_critical;
    }
    if (state->yes) {
        return 1;
    }
    if (!isatty(STDIN_FILENO)) {
        return 0;
    }
    cli_gate_print(report);
    state->printed = 1;
    fputs("skilllite: the scan found high-severity code; run it anyway? [y/N] ", stderr);
    fflush(stderr);
    state->asked = 1;
    return cli_gate_read_reply();
}

int cli_scan_gate(cli_context *ctx, const char *path, int yes, int allow_critical)
{
    sl_scan_gate_options gate;
    cli_gate_state state;
    sl_scan_report *report = NULL;
    sl_error err;
    char summary[160];
    int critical;
    int rc;

    memset(&state, 0, sizeof(state));
    state.yes = yes;
    state.allow_critical = allow_critical;
    sl_scan_gate_options_init(&gate);
    gate.confirm = cli_gate_confirm;
    gate.confirm_user = &state;
    gate.allow_critical = yes && allow_critical;

    rc = sl_scan_gate(&gate, path, &report, &err);
    if (rc != SL_OK && rc != SL_ESCAN_BLOCKED) {
        sl_scan_report_free(report);
        return cli_fail_error(ctx, CLI_EXIT_DENIED, &err, NULL,
                              "the level 3 gate runs nothing it could not scan");
    }
    sl_scan_report_summary(report, summary, sizeof(summary));
    critical = sl_scan_report_max_severity(report) >= SL_SCAN_CRITICAL;
    if (rc == SL_OK) {
        if (sl_scan_report_count(report) > 0 && !state.printed) {
            fprintf(stderr, "skilllite: scan: %s\n", summary);
        }
        sl_scan_report_free(report);
        return 0;
    }

    if (!state.printed) {
        cli_gate_print(report);
    }
    sl_scan_report_free(report);
    if (critical) {
        return cli_fail(ctx, CLI_EXIT_DENIED, "the scan found critical code (%s); review it, "
                        "then pass --yes --allow-critical to run it anyway", summary);
    }
    if (state.asked) {
        return cli_fail(ctx, CLI_EXIT_DENIED, "the run was not confirmed (%s)", summary);
    }
    return cli_fail(ctx, CLI_EXIT_DENIED, "the scan found high-severity code (%s) and stdin is "
                    "not a terminal to ask; review it, then pass --yes to run it anyway",
                    summary);
}
