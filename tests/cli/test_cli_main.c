/* Global behaviour of the CLI: help for every command, version, unknown commands. */
#include "cli_util.h"
#include "test.h"

static const char *const commands[] = {
    "run", "exec", "list", "info", "validate", "scan", "status", "sandbox",
};

TEST(cli_help_global)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "--help") == 0);
    CHECK_INT(o.status, 0);
    CHECK(strncmp(o.out, "Usage: skilllite [--json] COMMAND", 33) == 0);
    CHECK(cli_contains(o.out, "  6  denied: scan findings were not confirmed\n"));
    CHECK_INT(o.err_len, 0);
    cli_output_free(&o);
}

TEST(cli_help_every_command)
{
    size_t i;

    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        cli_output o;
        char usage[64];

        snprintf(usage, sizeof(usage), "Usage: skilllite %s ", commands[i]);
        REQUIRE(CLI_RUN(&o, NULL, commands[i], "--help") == 0);
        CHECK_INT(o.status, 0);
        CHECK(strncmp(o.out, usage, strlen(usage)) == 0);
        CHECK(cli_contains(o.out, "Exit status"));
        /* The policy help is substituted into the texts of run, exec and sandbox. */
        CHECK(!cli_contains(o.out, "%s"));
        cli_output_free(&o);

        REQUIRE(CLI_RUN(&o, NULL, "help", commands[i]) == 0);
        CHECK_INT(o.status, 0);
        CHECK(strncmp(o.out, usage, strlen(usage)) == 0);
        cli_output_free(&o);

        REQUIRE(CLI_RUN(&o, NULL, commands[i], "-h") == 0);
        CHECK_INT(o.status, 0);
        CHECK(strncmp(o.out, usage, strlen(usage)) == 0);
        cli_output_free(&o);
    }
}

TEST(cli_help_lists_policy_flags)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--help") == 0);
    CHECK(cli_contains(o.out, "  --memory BYTES"));
    CHECK(cli_contains(o.out, "  --waive LAYER[,LAYER]"));
    CHECK(cli_contains(o.out, "  SKILLLITE_TIMEOUT_MS"));
    cli_output_free(&o);
}

TEST(cli_version)
{
    cli_output o;
    char expected[64];

    snprintf(expected, sizeof(expected), "skilllite %s\n", SKILLLITE_VERSION_STRING);
    REQUIRE(CLI_RUN(&o, NULL, "--version") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, expected);
    cli_output_free(&o);
}

TEST(cli_unknown_command)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "frobnicate") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: unknown command 'frobnicate'; 'skilllite --help' lists "
                     "the commands\n");
    CHECK_INT(o.out_len, 0);
    cli_output_free(&o);
}

TEST(cli_unknown_command_json)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "--json", "frobnicate") == 0);
    CHECK_INT(o.status, 2);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_bool(sl_value_get(sl_doc_root(doc), "ok")), 0);
    CHECK_INT(sl_value_int(sl_value_get(sl_doc_root(doc), "status")), 2);
    CHECK(cli_contains(sl_value_cstr(sl_value_get(sl_value_get(sl_doc_root(doc), "error"),
                                                  "message")),
                       "unknown command 'frobnicate'"));
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(cli_no_command)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "--json", "--json") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "skilllite: error: no command given"));
    cli_output_free(&o);
}

TEST(cli_unknown_global_option)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "--frob", "list") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "skilllite: error: unknown option '--frob'"));
    cli_output_free(&o);
}

TEST(cli_unknown_command_option)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "list", "--frob") == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: unknown option '--frob' for 'list'; see 'skilllite list "
                     "--help'\n");
    cli_output_free(&o);
}

TEST(cli_help_unknown_command)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "help", "frobnicate") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "unknown command 'frobnicate'"));
    cli_output_free(&o);
}
