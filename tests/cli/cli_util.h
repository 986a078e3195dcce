/* Helpers for the CLI end-to-end tests: run the real skilllite binary (SKILLLITE_BIN,
 * default build/skilllite) with arguments and stdin, and capture its exit status and both
 * outputs. Paths in the tests are relative to the repository root, where `make test` runs. */
#ifndef SKILLLITE_TEST_CLI_UTIL_H
#define SKILLLITE_TEST_CLI_UTIL_H

#include <stddef.h>

#include "skilllite.h"

/* What one run of the CLI produced. */
typedef struct cli_output {
    int status;   /* exit status, 128+N for signal N, -1 when the run itself failed */
    char *out;    /* stdout, NUL-terminated */
    size_t out_len;
    char *err;    /* stderr, NUL-terminated */
    size_t err_len;
} cli_output;

/* Runs the CLI with `argv` (NULL-terminated, without the program name). `input` is sent
 * on stdin (NULL: stdin is /dev/null). `env` is a NULL-terminated list of "NAME=VALUE"
 * entries set in the child, or NULL. The SKILLLITE_LEVEL, SKILLLITE_TIMEOUT_MS,
 * SKILLLITE_MEMORY and SKILLLITE_NETWORK variables of the test's own environment are
 * removed first, so they cannot change a test. A run over 60 s is killed. */
int cli_run_argv(cli_output *o, const char *const *env, const char *input,
                 const char *const *argv);

/* Variadic form: CLI_RUN(&o, input, "run", dir, json) */
int cli_run(cli_output *o, const char *input, ...);
#define CLI_RUN(o, input, ...) cli_run((o), (input), __VA_ARGS__, (const char *)NULL)

void cli_output_free(cli_output *o);

/* Returns 1 when `haystack` contains `needle`. */
int cli_contains(const char *haystack, const char *needle);

/* Parses the whole stdout as JSON; NULL when it is not JSON. Free with sl_doc_free. */
sl_doc *cli_stdout_json(const cli_output *o);

/* Returns an empty string when level 2 runs here, else the reason to skip (the layers
 * that `skilllite status --json` lists as missing). Probed once per test program. */
const char *cli_level2_missing(void);

/* Returns 1 when `name` is an executable in PATH (python3, node, bash). */
int cli_have_program(const char *name);

/* Writes `text` to a new temporary file and returns its path (static storage, one at a
 * time), or NULL. */
const char *cli_temp_file(const char *text);

#endif /* SKILLLITE_TEST_CLI_UTIL_H */
