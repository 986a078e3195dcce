/* `skilllite list`, `info` and `validate` on the example skills and the test fixtures in
 * tests/cli/fixtures. There bad-name and no-description have only warnings, no-frontmatter
 * and unsafe-entry have one error each, and not-json is valid. */
#include "cli_util.h"
#include "test.h"

#include <unistd.h>

#define FIXTURES "tests/cli/fixtures"

/* ---- list ------------------------------------------------------------------------------- */

TEST(list_example_skills)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "list", "examples/skills") == 0);
    CHECK_INT(o.status, 0);
    CHECK(strncmp(o.out, "calculator  Adds, subtracts, multiplies or divides two numbers", 62) ==
          0);
    CHECK(cli_contains(o.out, "\nfile-list   Lists the files and folders at a path"));
    CHECK(cli_contains(o.out, "\ntext-stats  Counts the characters, words, lines"));
    CHECK_INT(o.err_len, 0);
    cli_output_free(&o);
}

TEST(list_example_skills_json)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *skills;

    REQUIRE(CLI_RUN(&o, NULL, "list", "--json", "examples/skills") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_doc_root(doc), "root")), "examples/skills");
    skills = sl_value_get(sl_doc_root(doc), "skills");
    REQUIRE(sl_value_count(skills) == 3);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 0), "name")), "calculator");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 0), "language")), "python");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 0), "path")),
              "examples/skills/calculator");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 1), "name")), "file-list");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 1), "language")), "bash");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 2), "name")), "text-stats");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_at(skills, 2), "entry_point")),
              "scripts/index.js");
    CHECK_INT(sl_value_bool(sl_value_get(sl_value_at(skills, 2), "valid")), 1);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(list_fixtures_marks_invalid)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "list", FIXTURES) == 0);
    CHECK_INT(o.status, 0);
    CHECK(cli_contains(o.out, "no-frontmatter  (invalid: SKILL.md does not start with"));
    CHECK(cli_contains(o.out, "unsafe-entry    (invalid: entry_point"));
    CHECK(cli_contains(o.out, "not-json        A fixture that prints plain text"));
    cli_output_free(&o);
}

TEST(list_missing_folder)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "list", FIXTURES "/nope") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: error: ", 18) == 0);
    cli_output_free(&o);
}

/* ---- info ------------------------------------------------------------------------------- */

TEST(info_calculator)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "info", "examples/skills/calculator") == 0);
    CHECK_INT(o.status, 0);
    CHECK(strncmp(o.out, "name:          calculator\n", 26) == 0);
    CHECK(cli_contains(o.out, "\nlicense:       MIT\n"));
    CHECK(cli_contains(o.out, "\nversion:       1.0\n"));
    CHECK(cli_contains(o.out, "\nentry point:   scripts/main.py ("));
    CHECK(cli_contains(o.out, "/examples/skills/calculator/scripts/main.py)\n"));
    CHECK(cli_contains(o.out, "\nlanguage:      python\n"));
    CHECK(cli_contains(o.out, "\nmetadata:\n  author: skilllite.h examples\n"));
    CHECK(cli_contains(o.out, "\ndiagnostics:   none\n"));
    cli_output_free(&o);
}

TEST(info_json_fields)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *root;

    REQUIRE(CLI_RUN(&o, NULL, "--json", "info", "examples/skills/text-stats") == 0);
    CHECK_INT(o.status, 0);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    root = sl_doc_root(doc);
    CHECK_INT(sl_value_bool(sl_value_get(root, "valid")), 1);
    CHECK_STR(sl_value_cstr(sl_value_get(root, "name")), "text-stats");
    CHECK_STR(sl_value_cstr(sl_value_get(root, "license")), "MIT");
    CHECK_STR(sl_value_cstr(sl_value_get(root, "entry_point")), "scripts/index.js");
    CHECK_STR(sl_value_cstr(sl_value_get(root, "language")), "node");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(root, "frontmatter"), "entry_point")),
              "scripts/index.js");
    CHECK_INT(sl_value_count(sl_value_get(root, "diagnostics")), 0);
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(info_shows_diagnostics)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "info", FIXTURES "/bad-name") == 0);
    CHECK_INT(o.status, 0);
    CHECK(cli_contains(o.out, "\ndiagnostics:\n" FIXTURES "/bad-name/SKILL.md:2:7: warning: "));
    CHECK(cli_contains(o.out, "\nentry point:   none (an instruction-only skill)\n"));
    cli_output_free(&o);
}

TEST(info_invalid_skill)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "info", FIXTURES "/unsafe-entry") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.out, FIXTURES "/unsafe-entry/SKILL.md:4:14: error: entry_point "));
    CHECK(cli_contains(o.out, "\"../calculator/scripts/main.py\" leaves the skill folder"));
    cli_output_free(&o);
}

TEST(info_missing_folder)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "info", FIXTURES "/nope") == 0);
    CHECK_INT(o.status, 2);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "info") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "info needs a skill folder"));
    cli_output_free(&o);
}

/* ---- validate --------------------------------------------------------------------------- */

TEST(validate_example_skills)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "examples/skills") == 0);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.out, "examples/skills/calculator: skill \"calculator\": valid, 0 errors, "
                     "0 warnings\n"
                     "examples/skills/file-list: skill \"file-list\": valid, 0 errors, "
                     "0 warnings\n"
                     "examples/skills/text-stats: skill \"text-stats\": valid, 0 errors, "
                     "0 warnings\n"
                     "3 skills checked: 0 errors, 0 warnings\n");
    cli_output_free(&o);
}

/* Every real SKILL.md of the shared corpus: each skill is reported with its name, and the
 * only errors are the 6 files without frontmatter, which YAML readers reject too and
 * which are summarised as "(no name)". */
TEST(validate_whole_corpus)
{
    cli_output o;
    const char *p;
    int skills = 0;
    int errors = 0;
    int frontmatter_errors = 0;
    int unnamed = 0;

    if (access("../shared/corpus/skills", R_OK) != 0) {
        SKIP("../shared/corpus/skills is not present beside the repository");
    }
    REQUIRE(CLI_RUN(&o, NULL, "validate", "../shared/corpus/skills") == 0);
    CHECK_INT(o.status, 3);
    for (p = o.out; (p = strstr(p, ": skill ")) != NULL; p++) {
        skills++;
        unnamed += strncmp(p, ": skill (no name): invalid", 26) == 0;
    }
    for (p = o.out; (p = strstr(p, ": error: ")) != NULL; p++) {
        errors++;
        frontmatter_errors += strncmp(p, ": error: SKILL.md does not start with a `---` line",
                                      50) == 0;
    }
    CHECK_INT(skills, 203);
    CHECK_INT(unnamed, 6); /* the files without frontmatter have no name */
    CHECK_INT(errors, 6);
    CHECK_INT(frontmatter_errors, 6);
    CHECK(cli_contains(o.out, "\n203 skills checked: 6 errors, "));
    CHECK(cli_contains(o.out, "food-order: skill \"food-order\": valid, 0 errors, 2 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_warnings_only)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", FIXTURES "/bad-name") == 0);
    CHECK_INT(o.status, 0);
    CHECK(strncmp(o.out, FIXTURES "/bad-name/SKILL.md:2:7: warning: name \"Bad_Name\" ",
                  strlen(FIXTURES "/bad-name/SKILL.md:2:7: warning: name \"Bad_Name\" ")) == 0);
    CHECK(cli_contains(o.out, " [name]\n" FIXTURES "/bad-name/SKILL.md:2:7: warning: "));
    CHECK(cli_contains(o.out, "differs from the folder name \"bad-name\""));
    CHECK(cli_contains(o.out, "\n1 skill checked: 0 errors, 2 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_strict_counts_warnings)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "--strict", FIXTURES "/bad-name") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.out, "\n1 skill checked: 2 errors, 0 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_fixtures_positions)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", FIXTURES) == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.out, FIXTURES "/no-description/SKILL.md:2:1: warning: description is "
                                       "missing"));
    CHECK(cli_contains(o.out, FIXTURES "/no-frontmatter/SKILL.md:1:1: error: SKILL.md does not "
                                       "start with a `---` line"));
    CHECK(cli_contains(o.out, FIXTURES "/unsafe-entry/SKILL.md:4:14: error: "));
    CHECK(cli_contains(o.out, " [entry-point]\n"));
    CHECK(cli_contains(o.out, "5 skills checked: 2 errors, 3 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_several_folders)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "examples/skills/calculator",
                    FIXTURES "/unsafe-entry") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.out, "2 skills checked: 1 error, 0 warnings\n"));
    cli_output_free(&o);
}

TEST(validate_json)
{
    cli_output o;
    sl_doc *doc;
    const sl_value *skill;
    const sl_value *diag;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "--json", FIXTURES "/unsafe-entry") == 0);
    CHECK_INT(o.status, 3);
    doc = cli_stdout_json(&o);
    REQUIRE(doc != NULL);
    CHECK_INT(sl_value_bool(sl_value_get(sl_doc_root(doc), "ok")), 0);
    CHECK_INT(sl_value_int(sl_value_get(sl_doc_root(doc), "errors")), 1);
    skill = sl_value_at(sl_value_get(sl_doc_root(doc), "skills"), 0);
    CHECK_INT(sl_value_bool(sl_value_get(skill, "valid")), 0);
    diag = sl_value_at(sl_value_get(skill, "diagnostics"), 0);
    CHECK_STR(sl_value_cstr(sl_value_get(diag, "file")), FIXTURES "/unsafe-entry/SKILL.md");
    CHECK_INT(sl_value_int(sl_value_get(diag, "line")), 4);
    CHECK_INT(sl_value_int(sl_value_get(diag, "column")), 14);
    CHECK_STR(sl_value_cstr(sl_value_get(diag, "severity")), "error");
    CHECK_STR(sl_value_cstr(sl_value_get(diag, "check")), "entry-point");
    sl_doc_free(doc);
    cli_output_free(&o);
}

TEST(validate_missing_folder)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", FIXTURES "/nope") == 0);
    CHECK_INT(o.status, 2);
    CHECK(strncmp(o.err, "skilllite: error: ", 18) == 0);
    cli_output_free(&o);

    REQUIRE(CLI_RUN(&o, NULL, "validate") == 0);
    CHECK_INT(o.status, 2);
    CHECK(cli_contains(o.err, "validate needs at least one skill folder"));
    cli_output_free(&o);
}

TEST(validate_folder_without_skills)
{
    cli_output o;

    REQUIRE(CLI_RUN(&o, NULL, "validate", "src") == 0);
    CHECK_INT(o.status, 3);
    CHECK(cli_contains(o.out, "src: error: no SKILL.md in the folder or its subfolders\n"));
    cli_output_free(&o);
}
