/* `skilllite scan` and the level 3 gate of `run`. The fixtures in tests/cli/fixtures-scan
 * hold code the scanner flags behind conditions that are always false: risky-high (a
 * Python shell call, high) and risky-critical (a download piped into sh, critical). */
#include "cli_util.h"
#include "test.h"

#define RISKY_HIGH "tests/cli/fixtures-scan/risky-high"
#define RISKY_CRITICAL "tests/cli/fixtures-scan/risky-critical"

#define REQUIRE_LEVEL2()                                                            \
    do {                                                                            \
        if (cli_level2_missing()[0] != '\0') {                                      \
            SKIP(cli_level2_missing());                                             \
        }                                                                           \
    } while (0)

/* ---- scan ------------------------------------------------------------------------------- */

TEST(scan_example_skills_clean)
{
    static const char *const skills[] = {
        "examples/skills/calculator", "examples/skills/text-stats", "examples/skills/file-list",
    };
    size_t i;

    for (i = 0; i < sizeof(skills) / sizeof(skills[0]); i++) {
        cli_output o;

        REQUIRE(CLI_RUN(&o, NULL, "scan", skills[i]) == 0);
        CHECK_INT(o.status, 0);
        CHECK_INT(o.err_len, 0);
        cli_output_free(&o);
    }
}

TEST(scan_high_finding)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "scan", RISKY_HIGH) == 0);
    CHECK_INT(o.status, 1);
    CHECK(cli_contains(o.out, "scripts/main.py:7:"));
    CHECK(cli_contains(o.out, "[py-exec-shell]"));
    cli_output_free(&o);
}

TEST(scan_threshold)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--threshold", "critical", RISKY_HIGH) == 0);
    CHECK_INT(o.status, 0);
    CHECK(cli_contains(o.out, "[py-exec-shell]"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--threshold=critical", RISKY_CRITICAL) == 0);
    CHECK_INT(o.status, 1);
    CHECK(cli_contains(o.out, "[sh-download-exec]"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--threshold", "severe", RISKY_HIGH) == 0);
    CHECK_INT(o.status, 2);
    CHECK_STR(o.err, "skilllite: error: --threshold must be low, medium, high or critical, got "
                     "'severe'\n");
    cli_output_free(&o);
}

TEST(scan_single_file)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "scan", RISKY_HIGH "/scripts/main.py") == 0);
    CHECK_INT(o.status, 1);
    CHECK(cli_contains(o.out, "[py-exec-shell]"));
    cli_output_free(&o);
}

TEST(scan_json)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--json", RISKY_HIGH) == 0);
    CHECK_INT(o.status, 1);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_str(sl_value_get(sl_doc_root(doc), "sha256")).len, 64);
    CHECK(sl_value_count(sl_value_get(sl_doc_root(doc), "findings")) >= 1);
    CHECK(cli_contains(o.out, "\"py-exec-shell\""));
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(scan_sarif)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "scan", "--sarif", RISKY_CRITICAL) == 0);
    CHECK_INT(o.status, 1);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "version")), "2.1.0");
    CHECK(cli_contains(o.out, "sh-download-exec"));
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(scan_missing_path)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "scan", "tests/cli/fixtures-scan/nope") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: error: ", 18) == 0);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "scan") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "scan needs a skill folder or a file"));
    cli_output_free(&o);
}

/* ---- level 3 gate ----------------------------------------------------------------------- */

TEST(gate_clean_skill_runs)
{
    cli_output o;

    REQUIRE_LEVEL2();
    if (!cli_have_program("python3")) {
        SKIP("python3 is not installed");
    }
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", "examples/skills/calculator",
                    "{\"operation\":\"add\",\"a\":15,\"b\":27}") == 0);
    CHECK_INT(o.status, 0);
    CHECK(cli_contains(o.out, "42"));
    cli_output_free(&o);
}

TEST(gate_high_needs_yes)
{
    cli_output o;

    /* stdin is /dev/null, not a terminal, so the gate cannot prompt. */
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", RISKY_HIGH, "{}") == 0);
    CHECK_INT(o.status, 6);
    CHECK(cli_contains(o.err, "[py-exec-shell]"));
    CHECK(cli_contains(o.err, "stdin is not a terminal to ask; review it, then pass --yes"));
    CHECK_INT(o.out_len, 0);
    cli_output_free(&o);
}

TEST(gate_high_with_yes)
{
    cli_output o;

    REQUIRE_LEVEL2();
    if (!cli_have_program("python3")) {
        SKIP("python3 is not installed");
    }
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", "--yes", RISKY_HIGH, "{}") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "{\"result\": \"ran\"}\n");
    cli_output_free(&o);
}

TEST(gate_critical_needs_both_flags)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", "--yes", RISKY_CRITICAL, "{}") == 0);
    CHECK_INT(o.status, 6);
    CHECK(cli_contains(o.err, "[sh-download-exec]"));
    CHECK(cli_contains(o.err, "pass --yes --allow-critical"));
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", "--allow-critical", RISKY_CRITICAL, "{}") ==
            0);
    CHECK_INT(o.status, 6);
    cli_output_free(&o);
}

TEST(gate_critical_with_both_flags)
{
    cli_output o;

    REQUIRE_LEVEL2();
    REQUIRE(CLI_RUN(&o, NULL, "run", "--level", "3", "--yes", "--allow-critical", RISKY_CRITICAL,
                    "{}") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "{\"result\": \"ran\"}\n");
    cli_output_free(&o);
}

TEST(gate_denied_json)
{
    cli_output o;
    sl_doc *doc;

    REQUIRE(CLI_RUN(&o, NULL, "run", "--json", "--level", "3", RISKY_HIGH, "{}") == 0);
    CHECK_INT(o.status, 6);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_bool(sl_value_get(sl_doc_root(doc), "ok")), 0);
    CHECK_INT(sl_value_int(sl_value_get(sl_doc_root(doc), "status")), 6);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(gate_exec_script)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "exec", "--level", "3", RISKY_HIGH, "scripts/main.py") == 0);
    CHECK_INT(o.status, 6);
    cli_output_free(&o);
}
