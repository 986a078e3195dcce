/* Shared pieces of the skilllite command-line tool: exit statuses, error reporting, the
 * option parser, input reading, sandbox policy flags and run reports. Every command file
 * includes this header; the CLI uses only the public API of skilllite.h.
 */
#ifndef SKILLLITE_CLI_COMMON_H
#define SKILLLITE_CLI_COMMON_H

#include "skilllite.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses of every command except `sandbox`, which passes on the command's own
 * status (see cmd_sandbox.c). The same table is in `skilllite --help` and docs/CLI.md. */
enum {
    CLI_EXIT_OK = 0,            /* success */
    CLI_EXIT_FAILED = 1,        /* the skill failed, scan findings, or an internal error */
    CLI_EXIT_USAGE = 2,         /* invalid arguments, options or input */
    CLI_EXIT_INVALID_SKILL = 3, /* the skill folder or SKILL.md is invalid */
    CLI_EXIT_SANDBOX = 4,       /* the sandbox could not start the run */
    CLI_EXIT_LIMIT = 5,         /* a limit ended the run (timeout, memory, CPU, ...) */
    CLI_EXIT_DENIED = 6         /* the scanner's findings were not confirmed */
};

/* Largest input accepted from an argument, a file or stdin. */
#define CLI_INPUT_MAX (16u * 1024u * 1024u)

/* Options that every command shares. */
typedef struct cli_context {
    int json;            /* --json: one JSON value on stdout, errors included */
    const char *command; /* the command being run, for messages */
} cli_context;

/* ---- Errors ------------------------------------------------------------------------- */

/* Prints "skilllite: error: MESSAGE" on stderr and, in --json mode, an error object on
 * stdout. Returns `status`, so a command can `return cli_fail(...)`. */
int cli_fail(cli_context *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same as cli_fail for a library error: the message of `err`, with "SOURCE:LINE:COLUMN: "
 * in front when `err` has a position and its message does not start with one already.
 * `source` may be NULL. `hint`, when not NULL, is appended as the fix. */
int cli_fail_error(cli_context *ctx, int status, const sl_error *err, const char *source,
                   const char *hint);

/* Prints "skilllite: warning: MESSAGE" on stderr (never on stdout). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "skilllite: error: MESSAGE" on stderr only, for a failure whose details are
 * already part of the command's JSON output. */
void cli_error_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Maps a library result code to an exit status: SL_EINVAL, SL_ESANDBOX_POLICY and the
 * SL_EJSON_* codes to 2, SL_EYAML_* and SL_ESKILL_* to 3, SL_ESANDBOX_* to 4, SL_ETIMEOUT
 * to 5, SL_EDENIED and SL_ESCAN_BLOCKED to 6, everything else to 1. */
int cli_status_for_result(int code);

/* Returns the SL_LAYER_* bit behind an SL_ESANDBOX_* layer code, or 0 for other codes. */
unsigned cli_layer_for_result(int code);

/* Writes the fix for a missing layer `layer` into `hint`: 'skilllite status', --waive
 * when the layer can be waived, and --level 1. Writes "" for layer 0. */
void cli_layer_hint(unsigned layer, char *hint, size_t size);

/* ---- Option parser ------------------------------------------------------------------ */

/* Walks argv one argument at a time. Options are `--name`, `--name=value`,
 * `--name value` and the short `-h`; "--" ends the options. */
typedef struct cli_parser {
    int argc;
    char **argv;
    int index;                /* next argument to read */
    const char *arg;          /* the current argument */
    char name[48];            /* current option without its "=value" part */
    const char *inline_value; /* text after "=", or NULL */
    int options_done;         /* set after "--" */
} cli_parser;

enum { CLI_ARG_END = 0, CLI_ARG_OPTION = 1, CLI_ARG_POSITIONAL = 2 };

void cli_parser_init(cli_parser *p, int argc, char **argv, int first);

/* Reads the next argument. Returns CLI_ARG_END, CLI_ARG_OPTION (name in p->name) or
 * CLI_ARG_POSITIONAL (text in p->arg). A lone "-" is positional. */
int cli_next(cli_parser *p);

/* Returns 1 when the current option is `long_name` or `short_name` (either may be NULL). */
int cli_is(const cli_parser *p, const char *long_name, const char *short_name);

/* Stores the option's value (inline or the next argument) in `*value`. Returns 0, or
 * prints a usage error and returns CLI_EXIT_USAGE when the value is missing. */
int cli_value(cli_context *ctx, cli_parser *p, const char **value);

/* Rejects an option that takes no value but was given one (`--json=1`). */
int cli_no_value(cli_context *ctx, const cli_parser *p);

/* Prints the usage error for an unknown option and returns CLI_EXIT_USAGE. */
int cli_unknown_option(cli_context *ctx, const cli_parser *p);

/* Handles the options every command accepts: --json and --help. Returns 1 when it
 * consumed the option (and sets *help for --help), 0 when the option is not a common
 * one, or -CLI_EXIT_USAGE after printing an error. */
int cli_common_option(cli_context *ctx, cli_parser *p, int *help);

/* Parses a non-negative decimal number with an optional K, M or G suffix (powers of 1024)
 * when `allow_suffix` is set. Returns 0, or -1 for text that is not such a number or
 * that overflows `max`. */
int cli_parse_size(const char *text, int allow_suffix, uint64_t max, uint64_t *out);

/* ---- Input -------------------------------------------------------------------------- */

/* Input bytes and where they came from. */
typedef struct cli_input {
    char *data;         /* NUL-terminated; free with cli_input_free */
    size_t len;
    char source[256];   /* "argument", "<stdin>" or the file path, for messages */
} cli_input;

/* Reads the input named by `spec`. NULL means stdin when it is not a terminal and not
 * empty, else `fallback`. "-" is stdin, "@PATH" a file, and anything else the text itself.
 * Returns 0 or an exit status after printing the error. */
int cli_input_read(cli_context *ctx, const char *spec, const char *fallback, cli_input *in);

void cli_input_free(cli_input *in);

/* Parses the input as JSON. On failure prints "SOURCE:LINE:COLUMN: message" and returns
 * CLI_EXIT_USAGE. On success returns 0 and `*doc` (NULL allowed to only validate). */
int cli_input_parse_json(cli_context *ctx, const cli_input *in, sl_doc **doc);

/* ---- Sandbox policy flags ----------------------------------------------------------- */

#define CLI_MAX_LIST 64

/* Layers that --waive accepts: the ones sl_sandbox_policy.waive_layers may contain. */
#define CLI_WAIVABLE_LAYERS (SL_LAYER_SECCOMP | SL_LAYER_LANDLOCK | SL_LAYER_CGROUP)

/* Smallest --memory the library accepts (sl_sandbox_policy.memory_bytes). */
#define CLI_MEMORY_MIN (1024u * 1024u)

/* Smallest --max-procs that can start a run at levels 2 and 3: the payload plus the
 * sandbox's init process in the PID namespace. */
#define CLI_MIN_PROCS_ISOLATED 2u

/* A sandbox policy plus the storage for its string lists. */
typedef struct cli_policy {
    sl_sandbox_policy policy;
    const char *read_only[CLI_MAX_LIST + 1];
    const char *read_write[CLI_MAX_LIST + 1];
    const char *env_pass[CLI_MAX_LIST + 1];
    const char *env_set[CLI_MAX_LIST + 1];
    size_t read_only_count;
    size_t read_write_count;
    size_t env_pass_count;
    size_t env_set_count;
    unsigned flag_knobs;  /* knobs set by a flag, which the environment must not change */
} cli_policy;

/* Fills the library defaults. */
void cli_policy_init(cli_policy *cp);

/* Handles one policy flag (--level, --timeout, --memory, ...). Returns 1 when the option
 * was a policy flag and valid, 0 when it is not a policy flag, or -CLI_EXIT_USAGE after
 * printing an error. */
int cli_policy_option(cli_context *ctx, cli_parser *p, cli_policy *cp);

/* Applies SKILLLITE_LEVEL, SKILLLITE_TIMEOUT_MS, SKILLLITE_MEMORY and SKILLLITE_NETWORK to
 * the knobs that no flag set, so flags override the environment, then checks the values
 * that depend on the level (--max-procs). Call it after parsing. Returns 0 or
 * CLI_EXIT_USAGE after printing which variable or flag is invalid. */
int cli_policy_apply_env(cli_context *ctx, cli_policy *cp);

/* Help text for the policy flags, shared by the `run`, `exec` and `sandbox` help. */
extern const char cli_policy_help[];

/* ---- Output ------------------------------------------------------------------------- */

/* Writes `v` as compact JSON and a newline to stdout. Returns 0 or CLI_EXIT_FAILED. */
int cli_print_json(cli_context *ctx, const sl_value *v);

/* Adds the names of the SL_LAYER_* bits in `layers` to `array` as strings. */
int cli_layers_to_json(sl_doc *doc, sl_value *array, unsigned layers);

/* Writes `len` bytes to a stream and adds a newline when the text does not end with one. */
void cli_write_text(FILE *stream, const char *data, size_t len);

/* Prints "skilllite: error: ..." on stderr for a run that did not succeed: the limit that
 * ended it with the flag that raises it, the signal, or the exit status. `what` names the
 * program ("the skill"). Returns CLI_EXIT_LIMIT, CLI_EXIT_FAILED, or 0 for a success. */
int cli_explain_failure(const sl_sandbox_policy *policy, const sl_sandbox_result *result,
                        const char *what);

/* Prints one "skilllite: note:" line when a failed run's stderr shows a permission error
 * that --network or --allow-subprocess would likely fix at levels 2 and 3: EACCES,
 * "Permission denied" or PermissionError together with a socket or a subprocess call.
 * Prints nothing for a run that succeeded or that a limit ended. */
void cli_note_permission_hint(const sl_sandbox_policy *policy,
                              const sl_sandbox_result *result);

/* Reports a finished sandbox run, as `run` and `exec` do: the output as JSON or text,
 * the run's stderr, and a message for a failure or a limit that names the flag to raise
 * (from `policy`). `what` names the program in messages ("the skill"). Returns the exit
 * status: 0, CLI_EXIT_FAILED or CLI_EXIT_LIMIT. */
int cli_report_run(cli_context *ctx, const sl_sandbox_policy *policy,
                   const sl_sandbox_result *result, const char *what);

/* ---- Commands ----------------------------------------------------------------------- */

/* Each command takes the arguments after its name and returns the exit status. */
int cmd_run(cli_context *ctx, int argc, char **argv);
int cmd_exec(cli_context *ctx, int argc, char **argv);
int cmd_list(cli_context *ctx, int argc, char **argv);
int cmd_info(cli_context *ctx, int argc, char **argv);
int cmd_validate(cli_context *ctx, int argc, char **argv);
int cmd_status(cli_context *ctx, int argc, char **argv);
int cmd_sandbox(cli_context *ctx, int argc, char **argv);
int cmd_scan(cli_context *ctx, int argc, char **argv);

/* Help text of each command, printed by `skilllite help COMMAND` and `COMMAND --help`. */
extern const char cmd_run_help[];
extern const char cmd_exec_help[];
extern const char cmd_list_help[];
extern const char cmd_info_help[];
extern const char cmd_validate_help[];
extern const char cmd_status_help[];
extern const char cmd_sandbox_help[];
extern const char cmd_scan_help[];

/* Prints a help text to stdout and returns CLI_EXIT_OK. Help texts are printf formats
 * whose one optional %s is replaced by cli_policy_help. */
int cli_print_help(const char *text);

/* Returns 1 when a `/`-separated path has a ".." component. */
int cli_path_has_dotdot(const char *path);

/* Writes the message for a skill folder `dir` that the library could not open
 * (SL_ENOTFOUND): not found, not a folder, or a file given in place of its folder.
 * `run`, `exec`, `info` and `validate` word this case the same way. */
void cli_skill_dir_message(const char *dir, char *out, size_t size);

/* Prints the cli_skill_dir_message error with cli_fail. Returns CLI_EXIT_USAGE. */
int cli_fail_skill_dir(cli_context *ctx, const char *dir);

/* The level 3 gate (cmd_scan.c): scans the skill folder `path` and decides whether the
 * run may go on. High findings need `yes` or a "y" typed at the prompt on a terminal.
 * Critical findings need both `yes` and `allow_critical`. Returns 0 to go on, or
 * CLI_EXIT_DENIED after printing the findings and the reason. */
int cli_scan_gate(cli_context *ctx, const char *path, int yes, int allow_critical);

#endif /* SKILLLITE_CLI_COMMON_H */
