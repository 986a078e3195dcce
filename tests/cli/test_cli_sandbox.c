/* `skilllite status` and `skilllite sandbox`. Runs at level 1 need no kernel features;
 * level 2 cases skip when `skilllite status` reports a missing layer. */
#include "cli_util.h"
#include "test.h"

#define REQUIRE_LEVEL2()                                                            \
    do {                                                                            \
        if (cli_level2_missing()[0] != '\0') {                                      \
            SKIP(cli_level2_missing());                                             \
        }                                                                           \
    } while (0)

/* ---- status ----------------------------------------------------------------------------- */

TEST(status_text)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "status") == 0);
    CHECK_INT(o.status, 0);
    CHECK(strncmp(o.out, "kernel: Linux ", 14) == 0);
    CHECK(cli_contains(o.out, "\n  userns        "));
    CHECK(cli_contains(o.out, "\n  no_new_privs  "));
    CHECK(cli_contains(o.out, "\nlevel 1: available (limits only, no isolation)\n"));
    CHECK(cli_contains(o.out, "\nlevel 2: "));
    cli_output_free(&o);
}

TEST(status_json)
{
    static const char *const names[] = {
        "userns", "mountns", "pidns",  "netns",   "ipcns",        "utsns",
        "seccomp", "landlock", "cgroup", "rlimits", "no_new_privs",
    };
    cli_output o;
    sl_doc *doc;
    const sl_value *layers;
    size_t i;
    size_t missing = 0;

    REQUIRE(CLI_RUN(&o, NULL, "status", "--json") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    layers = sl_value_get(sl_doc_root(doc), "layers");
    REQUIRE(sl_value_count(layers) == sizeof(names) / sizeof(names[0]));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const sl_value *layer = sl_value_at(layers, i);
        int available = sl_value_bool(sl_value_get(layer, "available"));

        CHECK_STR(sl_value_cstr(sl_value_get(layer, "name")), names[i]);
        /* A missing layer always comes with a reason, an available one never. */
        CHECK_INT(sl_value_str(sl_value_get(layer, "reason")).len > 0, !available);
        missing += !available;
    }
    CHECK_INT(sl_value_count(sl_value_get(sl_doc_root(doc), "missing")), missing);
    CHECK_INT(sl_value_bool(sl_value_get(sl_doc_root(doc), "level2")), missing == 0);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(status_rejects_arguments)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "status", "extra") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: status takes no arguments, got 'extra'\n");
    cli_output_free(&o);
}

/* ---- sandbox ---------------------------------------------------------------------------- */

TEST(sandbox_echo_level1)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/bin/echo", "hi") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "hi\n");
    CHECK_INT(o.err_len, 0);
    cli_output_free(&o);
}

TEST(sandbox_echo_level2)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--", "/bin/echo", "hi") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "hi\n");
    cli_output_free(&o);
}

TEST(sandbox_command_without_dashes)
{
    cli_output o;

    /* Options end at the command, so "-n" belongs to echo. */
    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level=1", "echo", "-n", "hi") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "hi");
    cli_output_free(&o);
}

TEST(sandbox_exit_status_passes_through)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/bin/sh", "-c",
                    "echo out; echo err >&2; exit 7") == 0);
    CHECK_INT(o.status, 7);
    CHECK_STR(o.out, "out\n");
    CHECK_STR(o.err, "err\n");
    cli_output_free(&o);
}

TEST(sandbox_signal_status)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/bin/sh", "-c",
                    "kill -TERM $$") == 0);
    CHECK_INT(o.status, 128 + 15);
    CHECK(cli_contains(o.err, "skilllite: error: the command was killed by signal 15\n"));
    cli_output_free(&o);
}

TEST(sandbox_stdin_passes_through)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, "line one\nline two\n", "sandbox", "--level", "1", "--", "cat") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "line one\nline two\n");
    cli_output_free(&o);
}

TEST(sandbox_setenv)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--setenv", "GREETING=hello there",
                    "--", "/bin/sh", "-c", "echo \"$GREETING\"") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "hello there\n");
    cli_output_free(&o);
}

TEST(sandbox_timeout)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--timeout", "300", "--", "sleep",
                    "10") == 0);
    CHECK_INT(o.status, 128 + 9);
    CHECK(cli_contains(o.err, "skilllite: error: the command timed out after 300 ms; raise "
                              "the limit with --timeout MS\n"));
    cli_output_free(&o);
}

TEST(sandbox_json_report)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--json", "--level", "1", "--", "/bin/sh", "-c",
                    "printf '{\"n\": 5}'; exit 3") == 0);
    CHECK_INT(o.status, 3);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_bool(sl_value_get(root, "ok")), 0);
    CHECK_INT(sl_value_int(sl_value_get(root, "exit_code")), 3);
    CHECK_INT(sl_value_int(sl_value_get(sl_value_get(root, "output"), "n")), 5);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(sandbox_command_not_found)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1", "--", "/nonexistent/program") == 0);
    CHECK_INT(o.status, 127);
    CHECK(strncmp(o.err, "skilllite: error: ", 18) == 0);
    cli_output_free(&o);
}

TEST(sandbox_usage_errors)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "1") == 0);
    CHECK_INT(o.status, 125);
    CHECK(cli_contains(o.err, "sandbox needs a command"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--level", "3", "--", "/bin/true") == 0);
    CHECK_INT(o.status, 125);
    CHECK(cli_contains(o.err, "--level 3 scans a skill before it runs"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "sandbox", "--memory", "lots", "--", "/bin/true") == 0);
    CHECK_INT(o.status, 125);
    CHECK(cli_contains(o.err, "--memory must be a byte count"));
    cli_output_free(&o);
}
