/* `skilllite run` and `skilllite exec` with the example skills and the test fixtures.
 * Each skill runs at level 1 (no kernel features needed) and at level 2 when the kernel
 * offers it. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, lstat */

#include "cli_util.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CALCULATOR "examples/skills/calculator"
#define TEXT_STATS "examples/skills/text-stats"
#define FILE_LIST "examples/skills/file-list"
#define NOT_JSON "tests/cli/fixtures/not-json"

/* Skips the case unless python3 is installed (and level 2 works, for level "2"). */
#define REQUIRE_RUNTIME(program, level)                                             \
    do {                                                                            \
        if (!cli_have_program(program)) {                                           \
            SKIP(program " is not installed");                                      \
        }                                                                           \
        if (strcmp((level), "2") == 0 && cli_level2_missing()[0] != '\0') {         \
            SKIP(cli_level2_missing());                                             \
        }                                                                           \
    } while (0)

/* Returns the integer at `key` of the JSON object on stdout, or -999999 when absent. */
static int64_t stdout_int(const cli_output *o, const char *key)
{
    sl_doc *doc = cli_stdout_json(o);
    const sl_value *v;
    int64_t n = -999999;

    if (doc == NULL) {
        return n;
    }
    v = sl_value_get(sl_doc_root(doc), key);
    if (sl_value_kind(v) == SL_VALUE_INT) {
        n = sl_value_int(v);
    }
    sl_doc_free(doc);
    return n;
}

/* ---- calculator ---------------------------------------------------------------------- */

static void check_calculator_add(const char *level)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", level, CALCULATOR,
                    "{\"operation\":\"add\",\"a\":15,\"b\":27}") == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    CHECK(strcmp(o.out, "{\"result\": 42}\n") == 0 || strcmp(o.out, "{\"result\":42}\n") == 0);
    cli_output_free(&o);
}

TEST(run_calculator_add_level1)
{
    REQUIRE_RUNTIME("python3", "1");
    check_calculator_add("1");
}

TEST(run_calculator_add_level2)
{
    REQUIRE_RUNTIME("python3", "2");
    check_calculator_add("2");
}

TEST(run_calculator_default_level)
{
    cli_output o;

    REQUIRE_RUNTIME("python3", "2");
    REQUIRE(CLI_RUN(&o, NULL, "run", CALCULATOR, "{\"operation\":\"add\",\"a\":15,\"b\":27}") ==
            0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);
}

static void check_calculator_divide_by_zero(const char *level)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", level, CALCULATOR,
                    "{\"operation\":\"divide\",\"a\":1,\"b\":0}") == 0);
    CHECK_INT(o.status, 1);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "error")), "division by zero");
    CHECK(cli_contains(o.err, "skilllite: error: the skill exited with status 1\n"));
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_divide_by_zero_level1)
{
    REQUIRE_RUNTIME("python3", "1");
    check_calculator_divide_by_zero("1");
}

TEST(run_divide_by_zero_level2)
{
    REQUIRE_RUNTIME("python3", "2");
    check_calculator_divide_by_zero("2");
}

TEST(run_input_from_file)
{
    cli_output o;
    const char *path;
    char arg[128];

    REQUIRE_RUNTIME("python3", "1");
    path = cli_temp_file("{\"operation\": \"multiply\", \"a\": 6, \"b\": 7}\n");
    REQUIRE(path != NULL);
    snprintf(arg, sizeof(arg), "@%s", path);
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", CALCULATOR, arg) == 0);
    unlink(path);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);
}

TEST(run_input_file_missing)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", CALCULATOR, "@/nonexistent/input.json") ==
            0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "skilllite: error: cannot read the input file: "));
    CHECK(cli_contains(o.err, "/nonexistent/input.json"));
    cli_output_free(&o);
}

TEST(run_input_from_stdin)
{
    cli_output o;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(CLI_RUN(&o, "{\"operation\":\"subtract\",\"a\":50,\"b\":8}", "run", "--level", "1",
                    CALCULATOR) == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, "{\"operation\":\"divide\",\"a\":84,\"b\":2}", "run", "--level", "1",
                    CALCULATOR, "-") == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);
}

TEST(run_invalid_json_argument)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", CALCULATOR,
                    "{\"operation\":\"add\",\"a\":15,") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: error: argument:1:27: ", 33) == 0);
    CHECK_INT(o.out_len, 0);
    cli_output_free(&o);
}

TEST(run_invalid_json_stdin_position)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, "{\n  \"a\": tru\n}", "run", "--level", "1", CALCULATOR, "-") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: error: <stdin>:2:11: ", 32) == 0);
    cli_output_free(&o);
}

TEST(run_invalid_json_file_position)
{
    cli_output o;
    const char *path;
    char arg[128];
    char expected[160];

    path = cli_temp_file("[1, 2,, 3]");
    REQUIRE(path != NULL);
    snprintf(arg, sizeof(arg), "@%s", path);
    snprintf(expected, sizeof(expected), "skilllite: error: %s:1:7: ", path);
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", CALCULATOR, arg) == 0);
    unlink(path);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, expected, strlen(expected)) == 0);
    cli_output_free(&o);
}

TEST(run_invalid_input_json_mode)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *error;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--json", "--level", "1", CALCULATOR, "{\"a\":}") == 0);
    CHECK_INT(o.status, 2);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    error = sl_value_get(sl_doc_root(doc), "error");
    CHECK_INT(sl_value_int(sl_value_get(error, "line")), 1);
    CHECK_INT(sl_value_int(sl_value_get(error, "column")), 6);
    CHECK_STR(sl_value_cstr(sl_value_get(error, "file")), "argument");
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_json_report)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(CLI_RUN(&o, NULL, "--json", "run", "--level", "1", CALCULATOR,
                    "{\"operation\":\"add\",\"a\":15,\"b\":27}") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_bool(sl_value_get(root, "ok")), 1);
    CHECK_INT(sl_value_int(sl_value_get(root, "exit_code")), 0);
    CHECK_INT(sl_value_int(sl_value_get(sl_value_get(root, "output"), "result")), 42);
    CHECK(sl_value_get(root, "output_text") == NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(root, "stderr")), "");
    CHECK_STR(sl_value_cstr(sl_value_get(root, "limit")), "none");
    CHECK_INT(sl_value_kind(sl_value_get(root, "layers")), SL_VALUE_ARRAY);
    CHECK_INT(sl_value_kind(sl_value_get(root, "wall_ms")), SL_VALUE_INT);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_json_report_failure)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(CLI_RUN(&o, NULL, "run", "--json", "--level", "1", CALCULATOR,
                    "{\"operation\":\"pow\",\"a\":1,\"b\":2}") == 0);
    CHECK_INT(o.status, 1);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_bool(sl_value_get(root, "ok")), 0);
    CHECK_INT(sl_value_int(sl_value_get(root, "exit_code")), 2);
    CHECK(cli_contains(sl_value_cstr(sl_value_get(sl_value_get(root, "output"), "error")),
                       "field \"operation\" must be one of add, subtract, multiply, divide"));
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_output_not_json)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", NOT_JSON) == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "hello, not json\n");
    CHECK_STR(o.err, "skilllite: output is not JSON; shown as text\na note\n");
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "run", "--json", "--level", "1", NOT_JSON) == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_STR(sl_value_cstr(sl_value_get(root, "output_text")), "hello, not json\n");
    CHECK_INT(sl_value_kind(sl_value_get(root, "output")), SL_VALUE_NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(root, "stderr")), "a note\n");
    sl_doc_free(doc);
    cli_output_free(&o);
}

/* The --json report counts what the run copied into --output-dir and what it skipped. */
TEST(run_json_report_output_dir)
{
    char dir[] = "/tmp/sl-cli-out-XXXXXX";
    char path[128];
    cli_output o;
    sl_doc *doc;
    const sl_value *root;
    struct stat st;

    REQUIRE_RUNTIME("sh", "2");
    REQUIRE(mkdtemp(dir) != NULL);
    REQUIRE(chmod(dir, 0777) == 0); /* a root caller's copy runs as uid 65534 */
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--json", "--output-dir", dir, "--", "/bin/sh", "-c",
                    "printf abc > /output/a; mkdir /output/d; printf hello > /output/d/b; "
                    "ln -s /etc/hostname /output/link") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_bytes_written")), 8);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_files_written")), 2);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_entries_skipped")), 1);
    CHECK_STR(sl_value_cstr(sl_value_get(root, "limit")), "none");
    sl_doc_free(doc);
    cli_output_free(&o);
    snprintf(path, sizeof(path), "%s/d/b", dir);
    REQUIRE(stat(path, &st) == 0);
    CHECK_INT(st.st_size, 5);
    unlink(path);
    snprintf(path, sizeof(path), "%s/link", dir);
    CHECK(lstat(path, &st) != 0);
    snprintf(path, sizeof(path), "%s/d", dir);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/a", dir);
    REQUIRE(stat(path, &st) == 0);
    CHECK_INT(st.st_size, 3);
    unlink(path);
    rmdir(dir);

    /* Without --output-dir the fields are there and 0. */
    REQUIRE(CLI_RUN(&o, NULL, "run", "--json", "--level", "1", NOT_JSON) == 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_bytes_written")), 0);
    CHECK_INT(sl_value_kind(sl_value_get(root, "output_files_written")), SL_VALUE_INT);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_files_written")), 0);
    CHECK_INT(sl_value_int(sl_value_get(root, "output_entries_skipped")), 0);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_invalid_skill)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", "tests/cli/fixtures/unsafe-entry") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.err, "/tests/cli/fixtures/unsafe-entry/SKILL.md:4:14: error: "
                              "entry_point \"../calculator/scripts/main.py\" leaves"));
    CHECK(cli_contains(o.err, "skilllite: error: skill folder 'tests/cli/fixtures/"
                              "unsafe-entry' is invalid"));
    CHECK_INT(o.out_len, 0);
    cli_output_free(&o);
}

TEST(run_warnings_printed)
{
    cli_output o;

    /* A missing description is a warning: the skill still loads, and has no entry point. */
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", "tests/cli/fixtures/no-description") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.err, "/tests/cli/fixtures/no-description/SKILL.md:2:1: warning: "
                              "description is missing"));
    CHECK(cli_contains(o.err, "skilllite: error: skill 'no-description' has no entry point"));
    cli_output_free(&o);
}

TEST(run_missing_folder)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "tests/cli/fixtures/does-not-exist", "{}") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "skill folder 'tests/cli/fixtures/does-not-exist' not found"));
    cli_output_free(&o);
}

TEST(run_without_folder)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "run needs a skill folder"));
    cli_output_free(&o);
}

TEST(run_bad_policy_flags)
{
    static const char *const cases[][2] = {
        {"--level", "4"},
        {"--timeout", "0"},
        {"--timeout", "12ms"},
        {"--memory", "12X"},
        {"--memory", "99999999999999999999"},
        {"--cpu", "-1"},
        {"--max-procs", ""},
        {"--waive", "userns,frob"},
        {"--setenv", "1BAD=x"},
        {"--env", "A-B"},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cli_output o;

        REQUIRE(CLI_RUN(&o, NULL, "run", cases[i][0], cases[i][1], CALCULATOR, "{}") == 0);
        CHECK_INT(o.status, 2);
        CHECK(strncmp(o.err, "skilllite: error: ", 18) == 0);
        CHECK(cli_contains(o.err, cases[i][0]));
        cli_output_free(&o);
    }
}

TEST(run_policy_flag_missing_value)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", CALCULATOR, "{}", "--timeout") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "option --timeout needs a value"));
    cli_output_free(&o);
}

TEST(run_environment_invalid)
{
    static const char *const env[] = {"SKILLLITE_TIMEOUT_MS=soon", NULL};
    static const char *const argv[] = {"run", CALCULATOR, "{}", NULL};
    cli_output o;

    REQUIRE(cli_run_argv(&o, env, NULL, argv) == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: environment variable SKILLLITE_TIMEOUT_MS must be "
                     "milliseconds from 1 to 4294967295, got 'soon'\n");
    cli_output_free(&o);
}

TEST(run_flag_overrides_environment)
{
    static const char *const env[] = {"SKILLLITE_LEVEL=7", NULL};
    static const char *const argv[] = {
        "run", "--level", "1", CALCULATOR, "{\"operation\":\"add\",\"a\":40,\"b\":2}", NULL,
    };
    cli_output o;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(cli_run_argv(&o, env, NULL, argv) == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);
}

TEST(run_environment_level)
{
    static const char *const env[] = {"SKILLLITE_LEVEL=1", NULL};
    static const char *const argv[] = {
        "run", "--json", CALCULATOR, "{\"operation\":\"add\",\"a\":40,\"b\":2}", NULL,
    };
    cli_output o;
    sl_doc *doc;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(cli_run_argv(&o, env, NULL, argv) == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    /* Level 1 has no namespaces, so the report lists no userns layer. */
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(doc), "layers")) < 11, 1);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_timeout_limit)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "1", "--timeout", "300", NOT_JSON,
                    "scripts/sleep.sh", "10") == 0);
    CHECK_INT(o.status, 5);
    CHECK(cli_contains(o.err, "skilllite: error: the script timed out after 300 ms; raise the "
                              "limit with --timeout MS\n"));
    cli_output_free(&o);
}

/* ---- text-stats and file-list -------------------------------------------------------- */

static void check_text_stats(const char *level)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;
    const sl_value *top;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", level, TEXT_STATS,
                    "{\"text\": \"The cat sat. The cat ran!\\nDone\", \"top\": 2}") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_int(sl_value_get(root, "characters")), 30);
    CHECK_INT(sl_value_int(sl_value_get(root, "words")), 7);
    CHECK_INT(sl_value_int(sl_value_get(root, "lines")), 2);
    CHECK_INT(sl_value_int(sl_value_get(root, "sentences")), 3);
    top = sl_value_get(root, "top_words");
    REQUIRE(sl_value_count(top) == 2);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(top, 0), "word")), "cat");
    CHECK_INT(sl_value_int(sl_value_get(sl_value_at(top, 0), "count")), 2);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(top, 1), "word")), "the");
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_text_stats_level1)
{
    REQUIRE_RUNTIME("node", "1");
    check_text_stats("1");
}

TEST(run_text_stats_level2)
{
    REQUIRE_RUNTIME("node", "2");
    check_text_stats("2");
}

TEST(run_text_stats_counts_code_points)
{
    cli_output o;

    REQUIRE_RUNTIME("node", "1");
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", TEXT_STATS,
                    "{\"text\": \"h\\u00e9llo \\ud83c\\udf89\"}") == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "characters"), 7);
    CHECK_INT(stdout_int(&o, "words"), 1);
    cli_output_free(&o);
}

static void check_file_list(const char *level)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *entries;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", level, FILE_LIST, "{\"path\": \"scripts\"}") ==
            0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "path")), "scripts");
    entries = sl_value_get(sl_doc_root(doc), "entries");
    REQUIRE(sl_value_count(entries) == 1);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(entries, 0), "name")), "main.sh");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(entries, 0), "type")), "file");
    CHECK(sl_value_int(sl_value_get(sl_value_at(entries, 0), "size")) > 1000);
    CHECK_INT(sl_value_bool(sl_value_get(sl_doc_root(doc), "truncated")), 0);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(run_file_list_level1)
{
    REQUIRE_RUNTIME("bash", "1");
    check_file_list("1");
}

TEST(run_file_list_level2)
{
    REQUIRE_RUNTIME("bash", "2");
    check_file_list("2");
}

TEST(run_file_list_rejects_escape)
{
    static const char *const inputs[][2] = {
        {"{\"path\": \"../calculator\"}", "contains \"..\""},
        {"{\"path\": \"scripts/../..\"}", "contains \"..\""},
        {"{\"path\": \"/etc\"}", "is absolute"},
    };
    size_t i;

    REQUIRE_RUNTIME("bash", "1");
    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        cli_output o;
        sl_doc *doc;

        REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "1", FILE_LIST, inputs[i][0]) == 0);
        CHECK_INT(o.status, 1);
        doc = cli_stdout_json(&o);
        REQUIRE(doc != NULL);
        CHECK(cli_contains(sl_value_cstr(sl_value_get(sl_doc_root(doc), "error")),
                           inputs[i][1]));
        sl_doc_free(doc);
        cli_output_free(&o);
    }
}

/* ---- exec ----------------------------------------------------------------------------- */

TEST(exec_script_with_args)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "1", NOT_JSON, "scripts/args.sh", "one",
                    "two words", "--json") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "[one]\n[two words]\n[--json]\n");
    cli_output_free(&o);
}

TEST(exec_script_input)
{
    cli_output o;

    REQUIRE_RUNTIME("python3", "1");
    REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "1", "--input",
                    "{\"operation\":\"add\",\"a\":2,\"b\":40}", CALCULATOR,
                    "scripts/main.py") == 0);
    CHECK_INT(o.status, 0);
    CHECK_INT(stdout_int(&o, "result"), 42);
    cli_output_free(&o);
}

TEST(exec_script_level2)
{
    cli_output o;

    REQUIRE_RUNTIME("bash", "2");
    REQUIRE(CLI_RUN(&o, NULL, "exec", NOT_JSON, "scripts/args.sh", "x") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "[x]\n");
    cli_output_free(&o);
}

TEST(exec_rejects_paths_outside)
{
    static const char *const scripts[][2] = {
        {"../calculator/scripts/main.py", "contains '..'"},
        {"/bin/sh", "is absolute"},
        {"scripts/missing.sh", "is not a file in the skill folder"},
    };
    size_t i;

    for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
        cli_output o;

        REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "1", NOT_JSON, scripts[i][0]) == 0);
        CHECK_INT(o.status, 2);
        CHECK(cli_contains(o.err, scripts[i][1]));
        cli_output_free(&o);
    }
}

TEST(exec_without_script)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "exec", NOT_JSON) == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "exec needs a skill folder and a script"));
    cli_output_free(&o);
}
