/* Tests of the skill module: SKILL.md split, validation, lenient recovery, entry points and
 * discovery. Fixture folders live in tests/data/skills/; paths are relative to the repo
 * root, where the test runner starts. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, symlink */
#include "skilllite.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIXTURES "tests/data/skills/"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s);
    size_t b = strlen(suffix);

    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int parse_text(const char *text, const char *dir_name, int flags, sl_skill **out,
                      sl_error *err)
{
    sl_skill_options opt;

    sl_skill_options_init(&opt);
    opt.flags = flags;
    return sl_skill_parse(text, strlen(text), dir_name, &opt, out, err);
}

static int load_fixture(const char *name, int flags, sl_skill **out, sl_error *err)
{
    char path[256];
    sl_skill_options opt;

    snprintf(path, sizeof(path), FIXTURES "%s", name);
    sl_skill_options_init(&opt);
    opt.flags = flags;
    return sl_skill_load(path, &opt, out, err);
}

/* ------------------------------------------------------------------- fixtures --- */

TEST(skill_load_python_fixture)
{
    sl_skill *skill = NULL;
    sl_error err;
    sl_str body;
    const sl_value *tools;

    REQUIRE(load_fixture("py-skill", 0, &skill, &err) == SL_OK);
    CHECK_INT(err.code, SL_OK);
    CHECK_STR(sl_skill_name(skill), "py-skill");
    CHECK_STR(sl_skill_description(skill),
              "Adds two numbers. Use it when the user asks for a sum.");
    CHECK_STR(sl_skill_license(skill), "MIT");
    CHECK_STR(sl_skill_compatibility(skill), "Requires python3");
    CHECK_STR(sl_skill_version(skill), "1.2");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_skill_metadata(skill), "author")), "tests");
    tools = sl_skill_allowed_tools(skill);
    CHECK_INT(sl_value_kind(tools), SL_VALUE_STRING);
    CHECK_STR(sl_value_cstr(tools), "Read Bash(python3:*)");
    CHECK_INT(sl_value_count(sl_skill_frontmatter(skill)), 6);
    CHECK_STR(sl_skill_entry_point(skill), "scripts/main.py");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_PYTHON);
    CHECK(sl_skill_entry_path(skill)[0] == '/');
    CHECK(ends_with(sl_skill_entry_path(skill), "/tests/data/skills/py-skill/scripts/main.py"));
    CHECK(sl_skill_dir(skill)[0] == '/');
    CHECK(ends_with(sl_skill_dir(skill), "/tests/data/skills/py-skill"));
    CHECK(ends_with(sl_skill_md_path(skill), "/tests/data/skills/py-skill/SKILL.md"));
    CHECK_INT(sl_skill_is_lenient(skill), 0);
    CHECK_INT(sl_skill_diagnostic_count(skill), 0);
    CHECK(sl_skill_diagnostic_at(skill, 0) == NULL);
    body = sl_skill_body(skill);
    CHECK_INT(sl_skill_body_offset(skill), 216);
    CHECK_INT(sl_skill_body_line(skill), 12);
    CHECK_MEM(body.ptr, body.len, "# Py skill\n\nRun `scripts/main.py` with JSON on stdin.");
    CHECK_INT(body.ptr[body.len], '\0');
    sl_skill_free(skill);
}

TEST(skill_title_case_name_warns)
{
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(load_fixture("title-case", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_name(skill), "Title Case Skill");
    REQUIRE(sl_skill_diagnostic_count(skill) == 2);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->check, SL_SKILL_CHECK_NAME);
    CHECK_INT(d->result, SL_OK);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 7);
    CHECK_INT(d->offset, 10);
    CHECK(ends_with(d->path, "/title-case/SKILL.md"));
    CHECK(strstr(d->message, "\"title-case-skill\"") != NULL);
    d = sl_skill_diagnostic_at(skill, 1);
    CHECK_INT(d->check, SL_SKILL_CHECK_NAME_DIR);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 7);
    CHECK(strstr(d->message, "\"title-case\"") != NULL);
    sl_skill_free(skill);
}

TEST(skill_strict_turns_warning_into_error)
{
    sl_skill *skill = NULL;
    sl_error err;

    CHECK_INT(load_fixture("title-case", SL_SKILL_STRICT, &skill, &err), SL_ESKILL_FIELD);
    CHECK(skill == NULL);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 7);
    CHECK_INT(err.offset, 10);
    CHECK(strstr(err.message, "title-case/SKILL.md:2:7: name \"Title Case Skill\"") != NULL);
}

TEST(skill_name_differs_from_folder)
{
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(load_fixture("other-folder", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_name(skill), "not-this-folder");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_NAME_DIR);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 7);
    CHECK(strstr(d->message, "\"other-folder\"") != NULL);
    sl_skill_free(skill);
}

TEST(skill_missing_description_warns)
{
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;

    CHECK_INT(load_fixture("no-description", 0, &skill, &err), SL_OK);
    REQUIRE(skill != NULL);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->check, SL_SKILL_CHECK_DESCRIPTION);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 1);
    CHECK_INT(d->offset, 4);
    CHECK(strstr(d->message, "description is missing") != NULL);
    CHECK_STR(sl_skill_description(skill), "");
    CHECK_STR(sl_skill_name(skill), "no-description");
    CHECK_STR(sl_skill_license(skill), "MIT");
    sl_skill_free(skill);

    CHECK_INT(load_fixture("no-description", SL_SKILL_STRICT, &skill, &err), SL_ESKILL_FIELD);
    CHECK(skill == NULL);
}

TEST(skill_no_frontmatter_fails)
{
    sl_skill *skill = NULL;
    sl_error err;

    CHECK_INT(load_fixture("no-frontmatter", 0, &skill, &err), SL_ESKILL_NO_FRONTMATTER);
    CHECK(skill == NULL);
    CHECK_INT(err.line, 1);
    CHECK_INT(err.column, 1);
    CHECK_INT(err.offset, 0);
    CHECK(strstr(err.message, "does not start with a `---` line") != NULL);
}

TEST(skill_unterminated_fails_at_fence)
{
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;

    CHECK_INT(load_fixture("unterminated", 0, &skill, &err), SL_ESKILL_UNTERMINATED);
    CHECK_INT(err.line, 1);
    CHECK_INT(err.column, 1);

    CHECK_INT(parse_text("---\nname: x\n", NULL, SL_SKILL_KEEP_ON_ERROR, &skill, &err),
              SL_ESKILL_UNTERMINATED);
    REQUIRE(skill != NULL);
    d = sl_skill_diagnostic_at(skill, 0);
    REQUIRE(d != NULL);
    CHECK_INT(d->check, SL_SKILL_CHECK_FRONTMATTER);
    CHECK_INT(d->result, SL_ESKILL_UNTERMINATED);
    CHECK_STR(d->path, "SKILL.md");
    sl_skill_free(skill);

    /* The opening fence alone, without a line break. */
    CHECK_INT(parse_text("---", NULL, 0, &skill, &err), SL_ESKILL_UNTERMINATED);
}

TEST(skill_crlf_and_bom)
{
    sl_skill *skill = NULL;
    sl_str body;

    REQUIRE(load_fixture("crlf-bom", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_name(skill), "crlf-bom");
    CHECK_STR(sl_skill_description(skill), "Written on Windows with a BOM.");
    CHECK_INT(sl_skill_diagnostic_count(skill), 0);
    body = sl_skill_body(skill);
    CHECK_MEM(body.ptr, body.len, "# Title\r\nText.");
    CHECK_INT(sl_skill_body_offset(skill), 79);
    CHECK_INT(sl_skill_body_line(skill), 6);
    sl_skill_free(skill);
}

TEST(skill_crlf_positions)
{
    sl_skill *skill = NULL;
    const sl_diagnostic *d;
    const char *text = "---\r\nname: Bad Name\r\ndescription: d\r\n---\r\n";

    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 7);
    CHECK_INT(d->offset, 11);
    CHECK_STR(sl_skill_name(skill), "Bad Name");
    sl_skill_free(skill);
}

TEST(skill_dashes_in_value_and_body)
{
    sl_skill *skill = NULL;
    sl_str body;

    REQUIRE(load_fixture("rules-in-body", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_description(skill),
              "Dashes --- inside a value do not end the frontmatter");
    body = sl_skill_body(skill);
    CHECK_MEM(body.ptr, body.len, "# Part one\n\n---\n\n# Part two\n---");
    CHECK_INT(sl_skill_body_offset(skill), 96);
    CHECK_INT(sl_skill_body_line(skill), 5);
    sl_skill_free(skill);
}

TEST(skill_closing_fence_variants)
{
    sl_skill *skill = NULL;
    sl_str body;

    /* `...` closes too; trailing blanks on fences are tolerated; `----` is not a fence. */
    REQUIRE(parse_text("--- \t\nname: a\ndescription: b\n...\nrest", NULL, 0, &skill, NULL) ==
            SL_OK);
    body = sl_skill_body(skill);
    CHECK_MEM(body.ptr, body.len, "rest");
    CHECK_INT(sl_skill_body_line(skill), 5);
    sl_skill_free(skill);

    CHECK_INT(parse_text("----\nname: a\n---\n", NULL, 0, &skill, NULL),
              SL_ESKILL_NO_FRONTMATTER);
    CHECK_INT(parse_text("\n---\nname: a\n---\n", NULL, 0, &skill, NULL),
              SL_ESKILL_NO_FRONTMATTER);
    CHECK_INT(parse_text("", NULL, 0, &skill, NULL), SL_ESKILL_NO_FRONTMATTER);

    /* A closing fence at the very end of the file gives an empty body. */
    REQUIRE(parse_text("---\nname: a\ndescription: b\n---", NULL, 0, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_body(skill).len, 0);
    CHECK_INT(sl_skill_body_offset(skill), 30);
    sl_skill_free(skill);
}

TEST(skill_entry_point_escape_rejected)
{
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;

    CHECK_INT(load_fixture("escape-entry", 0, &skill, &err), SL_ESKILL_FIELD);
    CHECK(skill == NULL);
    CHECK_INT(err.line, 4);
    CHECK_INT(err.column, 14);
    CHECK(strstr(err.message, "entry_point \"../../etc/passwd\" leaves the skill folder") !=
          NULL);

    CHECK_INT(load_fixture("escape-entry", SL_SKILL_KEEP_ON_ERROR, &skill, &err),
              SL_ESKILL_FIELD);
    REQUIRE(skill != NULL);
    d = sl_skill_diagnostic_at(skill, 0);
    REQUIRE(d != NULL);
    CHECK_INT(d->check, SL_SKILL_CHECK_ENTRY_POINT);
    CHECK_INT(d->severity, SL_SEVERITY_ERROR);
    CHECK_STR(sl_skill_entry_point(skill), "");
    CHECK_STR(sl_skill_entry_path(skill), "");
    sl_skill_free(skill);
}

TEST(skill_entry_point_paths_from_memory)
{
    static const char *const bad[] = {
        "/bin/sh", "../x.py", "scripts/../../x.py", "scripts/..", "a\\b.py"
    };
    char text[256];
    sl_skill *skill = NULL;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "---\nname: a\ndescription: b\nentry_point: %s\n---\n",
                 bad[i]);
        CHECK_INT(parse_text(text, NULL, 0, &skill, NULL), SL_ESKILL_FIELD);
        CHECK(skill == NULL);
    }
    REQUIRE(parse_text("---\nname: a\ndescription: b\nentry_point: ..x/tool.mjs\n---\n", NULL,
                       0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "..x/tool.mjs");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_NODE);
    CHECK_STR(sl_skill_entry_path(skill), "");
    sl_skill_free(skill);
}

TEST(skill_single_script_is_entry)
{
    sl_skill *skill = NULL;

    REQUIRE(load_fixture("single-script", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "scripts/tool.sh");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_BASH);
    CHECK(ends_with(sl_skill_entry_path(skill), "/single-script/scripts/tool.sh"));
    CHECK_INT(sl_skill_diagnostic_count(skill), 0);
    sl_skill_free(skill);
}

TEST(skill_shebang_only_script)
{
    sl_skill *skill = NULL;

    REQUIRE(load_fixture("shebang-only", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "scripts/run");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_PYTHON);
    sl_skill_free(skill);
}

TEST(skill_lowercase_file_name)
{
    sl_skill *skill = NULL;

    REQUIRE(load_fixture("lower-md", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_name(skill), "lower-md");
    CHECK(ends_with(sl_skill_md_path(skill), "/lower-md/skill.md"));
    CHECK_STR(sl_skill_entry_point(skill), "");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_UNKNOWN);
    sl_skill_free(skill);
}

TEST(skill_load_not_a_skill)
{
    sl_skill *skill = NULL;
    sl_error err;

    CHECK_INT(sl_skill_load(FIXTURES "collection", NULL, &skill, &err), SL_ESKILL_NOT_SKILL);
    CHECK(skill == NULL);
    CHECK_INT(sl_skill_load(FIXTURES "does-not-exist", NULL, &skill, &err), SL_ENOTFOUND);
    CHECK_INT(sl_skill_load(NULL, NULL, &skill, &err), SL_EINVAL);
    CHECK_INT(sl_skill_load(FIXTURES "py-skill", NULL, NULL, &err), SL_EINVAL);
}

/* ------------------------------------------------------- temporary folder trees --- */

static int write_file(const char *dir, const char *rel, const char *content)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    f = fopen(path, "wb");
    if (f == NULL) {
        return 0;
    }
    fputs(content, f);
    fclose(f);
    return 1;
}

static int make_dir(const char *dir, const char *rel)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return mkdir(path, 0755) == 0;
}

static void remove_tree(const char *dir)
{
    char cmd[600];

    /* Only ever a mkdtemp folder under /tmp. */
    if (strncmp(dir, "/tmp/sl-skill-", 14) == 0) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            fprintf(stdout, "note: could not remove %s\n", dir);
        }
    }
}

#define MINIMAL(name) "---\nname: " name "\ndescription: d\n---\n"

TEST(skill_entry_symlink_escape_rejected)
{
    char root[] = "/tmp/sl-skill-XXXXXX";
    char path[600];
    sl_skill *skill = NULL;
    sl_error err;

    REQUIRE(mkdtemp(root) != NULL);
    REQUIRE(make_dir(root, "outside"));
    REQUIRE(write_file(root, "outside/evil.py", "print(1)\n"));
    REQUIRE(make_dir(root, "s1"));
    REQUIRE(make_dir(root, "s1/scripts"));
    REQUIRE(write_file(root, "s1/SKILL.md", MINIMAL("s1")));
    snprintf(path, sizeof(path), "%s/s1/scripts/main.py", root);
    REQUIRE(symlink("../../outside/evil.py", path) == 0);

    /* A default entry point that is a symlink out of the folder. */
    snprintf(path, sizeof(path), "%s/s1", root);
    CHECK_INT(sl_skill_load(path, NULL, &skill, &err), SL_ESKILL_FIELD);
    CHECK(skill == NULL);
    CHECK(strstr(err.message, "symlink that leads out of the skill folder") != NULL);

    /* A declared entry point through a symlinked folder. */
    REQUIRE(make_dir(root, "s2"));
    REQUIRE(write_file(root, "s2/SKILL.md", "---\nname: s2\ndescription: d\n"
                                            "entry_point: lib/evil.py\n---\n"));
    snprintf(path, sizeof(path), "%s/s2/lib", root);
    REQUIRE(symlink("../outside", path) == 0);
    snprintf(path, sizeof(path), "%s/s2", root);
    CHECK_INT(sl_skill_load(path, NULL, &skill, &err), SL_ESKILL_FIELD);
    CHECK_INT(err.line, 4);
    CHECK_INT(err.column, 14);

    /* A symlink that stays inside is fine, and the resolved path is reported. */
    REQUIRE(make_dir(root, "s3"));
    REQUIRE(make_dir(root, "s3/scripts"));
    REQUIRE(write_file(root, "s3/SKILL.md", MINIMAL("s3")));
    REQUIRE(write_file(root, "s3/real.js", "console.log(1)\n"));
    snprintf(path, sizeof(path), "%s/s3/scripts/index.js", root);
    REQUIRE(symlink("../real.js", path) == 0);
    snprintf(path, sizeof(path), "%s/s3", root);
    REQUIRE(sl_skill_load(path, NULL, &skill, &err) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "scripts/index.js");
    CHECK(ends_with(sl_skill_entry_path(skill), "/s3/real.js"));
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_NODE);
    sl_skill_free(skill);
    remove_tree(root);
}

TEST(skill_entry_point_missing_and_unknown)
{
    char root[] = "/tmp/sl-skill-XXXXXX";
    char path[600];
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(mkdtemp(root) != NULL);
    REQUIRE(make_dir(root, "m"));
    REQUIRE(write_file(root, "m/SKILL.md", "---\nname: m\ndescription: d\n"
                                           "entry_point: scripts/gone.py\n---\n"));
    snprintf(path, sizeof(path), "%s/m", root);
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_ENTRY_POINT);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->line, 4);
    CHECK_INT(d->column, 14);
    sl_skill_free(skill);

    REQUIRE(make_dir(root, "u"));
    REQUIRE(write_file(root, "u/SKILL.md", "---\nname: u\ndescription: d\n"
                                           "entry_point: tool.rb\n---\n"));
    REQUIRE(write_file(root, "u/tool.rb", "#!/usr/bin/env ruby\nputs 1\n"));
    snprintf(path, sizeof(path), "%s/u", root);
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "tool.rb");
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_UNKNOWN);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->check, SL_SKILL_CHECK_LANGUAGE);
    sl_skill_free(skill);

    /* Shebang forms: env with options, absolute interpreter paths, versioned python. */
    REQUIRE(make_dir(root, "b"));
    REQUIRE(write_file(root, "b/SKILL.md", "---\nname: b\ndescription: d\n"
                                           "entry_point: run\n---\n"));
    REQUIRE(write_file(root, "b/run", "#!/bin/bash -e\necho {}\n"));
    snprintf(path, sizeof(path), "%s/b", root);
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_BASH);
    sl_skill_free(skill);
    REQUIRE(write_file(root, "b/run", "#!/usr/bin/env -S node --no-warnings\n"));
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_NODE);
    sl_skill_free(skill);
    REQUIRE(write_file(root, "b/run", "#!/usr/local/bin/python3.12\r\n"));
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_language(skill), SL_LANGUAGE_PYTHON);
    sl_skill_free(skill);

    /* Two scripts and no main or index: no entry point, and a warning that names them. */
    REQUIRE(make_dir(root, "two"));
    REQUIRE(make_dir(root, "two/scripts"));
    REQUIRE(write_file(root, "two/SKILL.md", MINIMAL("two")));
    REQUIRE(write_file(root, "two/scripts/a.py", "\n"));
    REQUIRE(write_file(root, "two/scripts/b.sh", "\n"));
    snprintf(path, sizeof(path), "%s/two", root);
    REQUIRE(sl_skill_load(path, NULL, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_entry_point(skill), "");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->severity, SL_SEVERITY_WARNING);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->check, SL_SKILL_CHECK_ENTRY_POINT);
    CHECK(strstr(sl_skill_diagnostic_at(skill, 0)->message, "a.py") != NULL);
    CHECK(strstr(sl_skill_diagnostic_at(skill, 0)->message, "b.sh") != NULL);
    CHECK(strstr(sl_skill_diagnostic_at(skill, 0)->message, "set `entry_point:`") != NULL);
    sl_skill_free(skill);
    remove_tree(root);
}

TEST(skill_discover_nested_fixture)
{
    sl_skill_dir_list *list = NULL;
    sl_error err;

    REQUIRE(sl_skill_discover(FIXTURES "collection", NULL, &list, &err) == SL_OK);
    REQUIRE(sl_skill_dir_list_count(list) == 2);
    CHECK_STR(sl_skill_dir_list_at(list, 0), FIXTURES "collection/group/deep-skill");
    CHECK_STR(sl_skill_dir_list_at(list, 1), FIXTURES "collection/top-skill");
    CHECK(sl_skill_dir_list_at(list, 2) == NULL);
    sl_skill_dir_list_free(list);

    REQUIRE(sl_skill_discover(FIXTURES "py-skill/", NULL, &list, &err) == SL_OK);
    REQUIRE(sl_skill_dir_list_count(list) == 1);
    CHECK_STR(sl_skill_dir_list_at(list, 0), FIXTURES "py-skill");
    sl_skill_dir_list_free(list);

    CHECK_INT(sl_skill_discover(FIXTURES "py-skill/SKILL.md", NULL, &list, &err),
              SL_ENOTFOUND);
    CHECK(list == NULL);
    CHECK_INT(sl_skill_discover(NULL, NULL, &list, &err), SL_EINVAL);
    CHECK_INT(sl_skill_dir_list_count(NULL), 0);
    CHECK(sl_skill_dir_list_at(NULL, 0) == NULL);
    sl_skill_dir_list_free(NULL);
}

TEST(skill_discover_skips_and_sorts)
{
    char root[] = "/tmp/sl-skill-XXXXXX";
    char path[600];
    char expect[600];
    sl_skill_dir_list *list = NULL;
    sl_skill_options opt;
    sl_error err;
    static const char *const dirs[] = {
        "zeta", "alpha", "node_modules", "node_modules/pkg", ".hidden", ".hidden/h",
        "group", "group/b-skill", "group/a-skill", "deep", "deep/one", "deep/one/two",
        "upper", "plain-file-parent"
    };
    size_t i;

    REQUIRE(mkdtemp(root) != NULL);
    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        REQUIRE(make_dir(root, dirs[i]));
    }
    REQUIRE(write_file(root, "zeta/SKILL.md", MINIMAL("zeta")));
    REQUIRE(write_file(root, "alpha/SKILL.md", MINIMAL("alpha")));
    REQUIRE(write_file(root, "node_modules/pkg/SKILL.md", MINIMAL("pkg")));
    REQUIRE(write_file(root, ".hidden/h/SKILL.md", MINIMAL("h")));
    REQUIRE(write_file(root, "group/b-skill/SKILL.md", MINIMAL("b-skill")));
    REQUIRE(write_file(root, "group/a-skill/skill.md", MINIMAL("a-skill")));
    REQUIRE(write_file(root, "deep/one/two/SKILL.md", MINIMAL("two")));
    REQUIRE(write_file(root, "upper/SKILL.MD", MINIMAL("upper")));
    REQUIRE(write_file(root, "plain-file-parent/SKILL.md.bak", "x"));
    snprintf(path, sizeof(path), "%s/linked", root);
    REQUIRE(symlink("alpha", path) == 0);

    REQUIRE(sl_skill_discover(root, NULL, &list, &err) == SL_OK);
    REQUIRE(sl_skill_dir_list_count(list) == 5);
    snprintf(expect, sizeof(expect), "%s/alpha", root);
    CHECK_STR(sl_skill_dir_list_at(list, 0), expect);
    snprintf(expect, sizeof(expect), "%s/group/a-skill", root);
    CHECK_STR(sl_skill_dir_list_at(list, 1), expect);
    snprintf(expect, sizeof(expect), "%s/group/b-skill", root);
    CHECK_STR(sl_skill_dir_list_at(list, 2), expect);
    snprintf(expect, sizeof(expect), "%s/upper", root);
    CHECK_STR(sl_skill_dir_list_at(list, 3), expect);
    snprintf(expect, sizeof(expect), "%s/zeta", root);
    CHECK_STR(sl_skill_dir_list_at(list, 4), expect);
    sl_skill_dir_list_free(list);

    /* A dot-folder named as the root is searched. */
    snprintf(path, sizeof(path), "%s/.hidden", root);
    REQUIRE(sl_skill_discover(path, NULL, &list, &err) == SL_OK);
    CHECK_INT(sl_skill_dir_list_count(list), 1);
    sl_skill_dir_list_free(list);

    sl_skill_options_init(&opt);
    opt.max_dirs = 3;
    CHECK_INT(sl_skill_discover(root, &opt, &list, &err), SL_ELIMIT);
    CHECK(list == NULL);
    remove_tree(root);
}

/* ------------------------------------------------------------ parse from memory --- */

TEST(skill_lenient_recovers_colon_in_value)
{
    const char *text = "---\nname: food\n"
                       "description: Order food. Triggers: order, reorder\n"
                       "homepage: https://example.com\n---\nBody\n";
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;

    REQUIRE(parse_text(text, "food", 0, &skill, &err) == SL_OK);
    CHECK_INT(sl_skill_is_lenient(skill), 1);
    CHECK_STR(sl_skill_name(skill), "food");
    CHECK_STR(sl_skill_description(skill), "Order food. Triggers: order, reorder");
    CHECK_STR(sl_value_cstr(sl_value_get(sl_skill_frontmatter(skill), "homepage")),
              "https://example.com");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_YAML);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->result, SL_OK);
    CHECK_INT(d->line, 3);
    CHECK_INT(d->column, 34);
    CHECK_INT(d->offset, 48);
    CHECK(strstr(d->message, "invalid YAML in the frontmatter: ") != NULL);
    CHECK(strstr(d->message, "(description: >-)") != NULL);
    CHECK(strstr(d->message, "the value was read as if quoted") != NULL);
    sl_skill_free(skill);

    /* Without the fallback the YAML error fails the load. */
    CHECK_INT(parse_text(text, "food", SL_SKILL_NO_LENIENT, &skill, &err), SL_EYAML_SYNTAX);
    CHECK_INT(err.code, SL_EYAML_SYNTAX);
    CHECK_INT(err.line, 3);
    CHECK_INT(err.column, 34);
    CHECK(strstr(err.message, "the line-based fallback is off") != NULL);
    CHECK(skill == NULL);
}

TEST(skill_quote_retry_keeps_structure_and_offsets)
{
    /* Two unquoted ": " values with a `"` and a `\`, then a flow mapping over several
     * lines: quoting both values must keep the mapping, and a diagnostic about the
     * mapping must point into the original text. */
    const char *text = "---\n"
                       "name: food\n"
                       "description: Order \"food\": fast \\ cheap\n"
                       "compatibility: Needs: network\n"
                       "metadata:\n"
                       "  {\n"
                       "    \"emoji\": \"x\",\n"
                       "    \"requires\": { \"bins\": [\"op\"] },\n"
                       "  }\n"
                       "---\n";
    sl_skill *skill = NULL;
    const sl_diagnostic *d;
    const sl_value *requires;
    const char *at;
    size_t i;
    int found;

    REQUIRE(parse_text(text, "food", 0, &skill, NULL) == SL_OK);
    CHECK_STR(sl_skill_description(skill), "Order \"food\": fast \\ cheap");
    CHECK_STR(sl_skill_compatibility(skill), "Needs: network");
    requires = sl_value_get(sl_skill_metadata(skill), "requires");
    CHECK_STR(sl_value_cstr(sl_value_at(sl_value_get(requires, "bins"), 0)), "op");

    /* The metadata warning (a mapping where a string belongs) points at `{ "bins"`. */
    at = strstr(text, "{ \"bins\"");
    found = 0;
    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        d = sl_skill_diagnostic_at(skill, i);
        if (d->check == SL_SKILL_CHECK_METADATA) {
            found++;
            CHECK_INT(d->offset, at - text);
            CHECK_INT(d->line, 8);
            CHECK_INT(d->column, 17);
        }
    }
    CHECK_INT(found, 1);
    CHECK_INT(sl_value_offset(sl_skill_metadata(skill)), strstr(text, "  {") - text + 2);
    CHECK_INT(sl_value_offset(sl_value_get(sl_skill_frontmatter(skill), "compatibility")),
              strstr(text, "Needs") - text);
    sl_skill_free(skill);
}

TEST(skill_lenient_reader_shapes)
{
    const char *text = "---\n"
                       "name: 'quoted-name'\n"
                       "description: >-\n"
                       "  First line: folded\n"
                       "  second line\n"
                       "extra: \"x\" y: z\n"
                       "name: second-name-ignored\n"
                       "---\n";
    sl_skill *skill = NULL;
    const sl_value *fm;

    REQUIRE(parse_text(text, "quoted-name", 0, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_is_lenient(skill), 1);
    CHECK_STR(sl_skill_name(skill), "quoted-name");
    CHECK_STR(sl_skill_description(skill), "First line: folded second line");
    fm = sl_skill_frontmatter(skill);
    CHECK_INT(sl_value_count(fm), 3);
    CHECK_STR(sl_value_cstr(sl_value_get(fm, "extra")), "\"x\" y: z");
    CHECK_INT(sl_value_line(sl_value_get(fm, "extra")), 6);
    CHECK_INT(sl_value_column(sl_value_get(fm, "extra")), 8);
    CHECK_INT(sl_value_line(sl_value_key_at(fm, 1)), 3);
    sl_skill_free(skill);
}

TEST(skill_lenient_failure_is_error)
{
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;
    int rc = parse_text("---\n\"never closed\n---\n", NULL, SL_SKILL_KEEP_ON_ERROR, &skill,
                        &err);

    CHECK_INT(rc, SL_EYAML_SCALAR);
    CHECK_INT(err.code, SL_EYAML_SCALAR);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 1);
    REQUIRE(skill != NULL);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_YAML);
    CHECK_INT(d->severity, SL_SEVERITY_ERROR);
    CHECK_INT(d->result, SL_EYAML_SCALAR);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 1);
    CHECK(strstr(d->message, "no `key: value` line could be read either") != NULL);
    CHECK(sl_skill_frontmatter(skill) == NULL);
    sl_skill_free(skill);
}

TEST(skill_empty_frontmatter_fails)
{
    sl_skill *skill = NULL;
    sl_error err;

    CHECK_INT(parse_text("---\n- a\n- b\n---\n", NULL, 0, &skill, &err),
              SL_ESKILL_FRONTMATTER);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 1);
    CHECK(strstr(err.message, "the frontmatter is a list, not a mapping") != NULL);

    CHECK_INT(parse_text("---\n---\nbody\n", NULL, 0, &skill, &err), SL_ESKILL_FRONTMATTER);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 1);
    CHECK(strstr(err.message, "the frontmatter is empty, not a mapping") != NULL);
}

TEST(skill_missing_name_uses_folder)
{
    sl_skill *skill = NULL;
    sl_error err;
    const sl_diagnostic *d;

    REQUIRE(parse_text("---\ndescription: d\n---\n", "my-dir", 0, &skill, &err) == SL_OK);
    CHECK_STR(sl_skill_name(skill), "my-dir");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_NAME);
    CHECK_INT(d->severity, SL_SEVERITY_WARNING);
    CHECK_INT(d->line, 2);
    CHECK_INT(d->column, 1);
    CHECK(strstr(d->message, "name is missing, so the folder name \"my-dir\" is used") != NULL);
    sl_skill_free(skill);

    CHECK_INT(parse_text("---\ndescription: d\n---\n", NULL, 0, &skill, &err), SL_ESKILL_FIELD);
    CHECK(strstr(err.message, "SKILL.md:2:1: name is missing and no folder name is known") !=
          NULL);

    /* An empty quoted name counts as missing, at the value's position. */
    REQUIRE(parse_text("---\ndescription: d\nname: ''\n---\n", "dir", 0, &skill, &err) ==
            SL_OK);
    CHECK_STR(sl_skill_name(skill), "dir");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->line, 3);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->column, 7);
    sl_skill_free(skill);
}

TEST(skill_name_rules)
{
    static const struct {
        const char *name;
        int warnings;
    } cases[] = {
        { "ok-name-2", 0 },   { "-lead", 1 },      { "trail-", 1 },  { "double--dash", 1 },
        { "under_score", 1 }, { "Upper", 1 },      { "a", 0 },       { "caf\xC3\xA9", 1 },
        { "x12345678901234567890123456789012345678901234567890123456789012a", 0 },
        { "x12345678901234567890123456789012345678901234567890123456789012ab", 1 },
    };
    char text[256];
    sl_skill *skill = NULL;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text), "---\nname: %s\ndescription: d\n---\n", cases[i].name);
        REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
        CHECK_INT(sl_skill_diagnostic_count(skill), cases[i].warnings);
        CHECK_STR(sl_skill_name(skill), cases[i].name);
        sl_skill_free(skill);
    }
}

TEST(skill_name_length_limit)
{
    char text[512];
    char name[80];
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    memset(name, 'a', 65);
    name[65] = '\0';
    snprintf(text, sizeof(text), "---\nname: %s\ndescription: d\n---\n", name);
    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_NAME);
    CHECK(strstr(d->message, "has 65 characters; the maximum is 64") != NULL);
    sl_skill_free(skill);
}

/* Builds "---\nname: n\n<field>: <count copies of unit>\n---\n". */
static char *repeat_field(const char *field, const char *unit, size_t count)
{
    size_t unit_len = strlen(unit);
    size_t size = 64 + strlen(field) + unit_len * count;
    char *text = (char *)malloc(size);
    size_t pos;
    size_t i;

    if (text == NULL) {
        return NULL;
    }
    pos = (size_t)snprintf(text, size, "---\nname: n\n%s: ", field);
    for (i = 0; i < count; i++) {
        memcpy(text + pos, unit, unit_len);
        pos += unit_len;
    }
    if (strcmp(field, "description") != 0) {
        pos += (size_t)snprintf(text + pos, size - pos, "\ndescription: d");
    }
    snprintf(text + pos, size - pos, "\n---\n");
    return text;
}

TEST(skill_length_limits_count_code_points)
{
    sl_skill *skill = NULL;
    char *text;

    text = repeat_field("description", "\xC3\xA9", 1024);
    REQUIRE(text != NULL);
    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_diagnostic_count(skill), 0);
    CHECK_INT(strlen(sl_skill_description(skill)), 2048);
    sl_skill_free(skill);
    free(text);

    text = repeat_field("description", "\xC3\xA9", 1025);
    REQUIRE(text != NULL);
    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->check, SL_SKILL_CHECK_DESCRIPTION);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->line, 3);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->column, 14);
    CHECK(strstr(sl_skill_diagnostic_at(skill, 0)->message, "has 1025 characters") != NULL);
    sl_skill_free(skill);
    free(text);

    text = repeat_field("compatibility", "x", 500);
    REQUIRE(text != NULL);
    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    CHECK_INT(sl_skill_diagnostic_count(skill), 0);
    CHECK_INT(strlen(sl_skill_compatibility(skill)), 500);
    sl_skill_free(skill);
    free(text);

    text = repeat_field("compatibility", "x", 501);
    REQUIRE(text != NULL);
    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->check, SL_SKILL_CHECK_COMPATIBILITY);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->column, 16);
    sl_skill_free(skill);
    free(text);
}

TEST(skill_description_blank_or_wrong_type_warns)
{
    sl_skill *skill = NULL;
    sl_error err;

    CHECK_INT(parse_text("---\nname: a\ndescription: \"  \"\n---\n", NULL, SL_SKILL_STRICT,
                         &skill, &err),
              SL_ESKILL_FIELD);
    CHECK_INT(err.line, 3);
    CHECK_INT(err.column, 14);
    CHECK(strstr(err.message, "description is blank") != NULL);

    CHECK_INT(parse_text("---\nname: a\ndescription: \"\"\n---\n", NULL, SL_SKILL_STRICT, &skill,
                         &err),
              SL_ESKILL_FIELD);
    CHECK(strstr(err.message, "SKILL.md:3:14: description is empty") != NULL);

    CHECK_INT(parse_text("---\nname: a\ndescription:\n  - x\n---\n", NULL, SL_SKILL_STRICT,
                         &skill, &err),
              SL_ESKILL_FIELD);
    CHECK(strstr(err.message, "description is a list") != NULL);

    /* Without SL_SKILL_STRICT the skill loads with a warning and an empty description. */
    CHECK_INT(parse_text("---\nname: a\ndescription: \"\"\n---\n", NULL, 0, &skill, &err),
              SL_OK);
    REQUIRE(skill != NULL);
    CHECK_INT(sl_skill_diagnostic_count(skill), 1);
    CHECK_INT(sl_skill_diagnostic_at(skill, 0)->severity, SL_SEVERITY_WARNING);
    CHECK_STR(sl_skill_description(skill), "");
    sl_skill_free(skill);
}

TEST(skill_optional_fields_wrong_type_warn)
{
    const char *text = "---\n"
                       "name: a\n"
                       "description: d\n"
                       "metadata: text\n"
                       "allowed-tools:\n"
                       "  - Read\n"
                       "  - Bash\n"
                       "user-invokable: true\n"
                       "compatibility: ''\n"
                       "license:\n"
                       "  - MIT\n"
                       "---\n";
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 5);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_LICENSE);
    CHECK_INT(d->line, 11);
    d = sl_skill_diagnostic_at(skill, 1);
    CHECK_INT(d->check, SL_SKILL_CHECK_COMPATIBILITY);
    CHECK_INT(d->line, 9);
    CHECK_INT(d->column, 16);
    d = sl_skill_diagnostic_at(skill, 2);
    CHECK_INT(d->check, SL_SKILL_CHECK_METADATA);
    CHECK_INT(d->line, 4);
    CHECK_INT(d->column, 11);
    d = sl_skill_diagnostic_at(skill, 3);
    CHECK_INT(d->check, SL_SKILL_CHECK_ALLOWED_TOOLS);
    CHECK_INT(d->line, 6);
    CHECK(strstr(d->message, "allowed-tools is a list; it is accepted") != NULL);
    d = sl_skill_diagnostic_at(skill, 4);
    CHECK_INT(d->check, SL_SKILL_CHECK_SPELLING);
    CHECK_INT(d->line, 8);
    CHECK_INT(d->column, 1);
    CHECK(strstr(d->message, "did you mean \"user-invocable\"?") != NULL);

    CHECK_INT(sl_value_kind(sl_skill_allowed_tools(skill)), SL_VALUE_ARRAY);
    CHECK_INT(sl_value_count(sl_skill_allowed_tools(skill)), 2);
    CHECK(sl_skill_metadata(skill) == NULL);
    CHECK_STR(sl_skill_license(skill), "");
    CHECK_STR(sl_skill_compatibility(skill), "");
    sl_skill_free(skill);
}

TEST(skill_metadata_values_must_be_strings)
{
    const char *text = "---\n"
                       "name: a\n"
                       "description: d\n"
                       "metadata:\n"
                       "  author: me\n"
                       "  stars: 69661\n"
                       "  tags:\n"
                       "    - x\n"
                       "version: \"2.0\"\n"
                       "---\n";
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(parse_text(text, NULL, 0, &skill, NULL) == SL_OK);
    /* Scalars are read as text, so `stars: 69661` is the string "69661". */
    CHECK_STR(sl_value_cstr(sl_value_get(sl_skill_metadata(skill), "stars")), "69661");
    CHECK_STR(sl_skill_version(skill), "2.0");
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_METADATA);
    CHECK_INT(d->line, 8);
    CHECK_INT(d->column, 5);
    CHECK(strstr(d->message, "metadata value \"tags\" is a list") != NULL);
    sl_skill_free(skill);
}

TEST(skill_invalid_utf8_body_warns)
{
    const char text[] = "---\nname: a\ndescription: d\n---\nok \xFF bad\n";
    sl_skill *skill = NULL;
    const sl_diagnostic *d;

    REQUIRE(sl_skill_parse(text, sizeof(text) - 1, NULL, NULL, &skill, NULL) == SL_OK);
    REQUIRE(sl_skill_diagnostic_count(skill) == 1);
    d = sl_skill_diagnostic_at(skill, 0);
    CHECK_INT(d->check, SL_SKILL_CHECK_ENCODING);
    CHECK_INT(d->offset, 34);
    CHECK_INT(d->line, 5);
    CHECK_INT(d->column, 4);
    sl_skill_free(skill);
}

TEST(skill_parse_limits_and_arguments)
{
    sl_skill *skill = (sl_skill *)1;
    sl_skill_options opt;
    sl_error err;
    const char *text = MINIMAL("a");

    sl_skill_options_init(&opt);
    CHECK_INT(opt.max_bytes, 1048576);
    CHECK_INT(opt.max_dirs, 10000);
    CHECK_INT(opt.flags, 0);
    CHECK(opt.alloc == NULL);
    opt.max_bytes = 10;
    CHECK_INT(sl_skill_parse(text, strlen(text), NULL, &opt, &skill, &err), SL_ELIMIT);
    CHECK(skill == NULL);
    CHECK_INT(sl_skill_parse(NULL, 3, NULL, NULL, &skill, &err), SL_EINVAL);
    CHECK_INT(sl_skill_parse(text, strlen(text), NULL, NULL, NULL, &err), SL_EINVAL);
    CHECK_INT(sl_skill_parse(NULL, 0, NULL, NULL, &skill, &err), SL_ESKILL_NO_FRONTMATTER);

    sl_skill_free(NULL);
    CHECK_STR(sl_skill_name(NULL), "");
    CHECK_STR(sl_skill_entry_path(NULL), "");
    CHECK_INT(sl_skill_language(NULL), SL_LANGUAGE_UNKNOWN);
    CHECK_INT(sl_skill_diagnostic_count(NULL), 0);
    CHECK(sl_skill_frontmatter(NULL) == NULL);
    CHECK_INT(sl_skill_body(NULL).len, 0);
    CHECK_INT(sl_skill_body_line(NULL), 0);
}

TEST(skill_names_of_enums)
{
    CHECK_STR(sl_language_name(SL_LANGUAGE_UNKNOWN), "unknown");
    CHECK_STR(sl_language_name(SL_LANGUAGE_PYTHON), "python");
    CHECK_STR(sl_language_name(SL_LANGUAGE_NODE), "node");
    CHECK_STR(sl_language_name(SL_LANGUAGE_BASH), "bash");
    CHECK_STR(sl_language_name((sl_language)42), "unknown");
    CHECK_STR(sl_skill_check_name(SL_SKILL_CHECK_NAME_DIR), "name-dir");
    CHECK_STR(sl_skill_check_name(SL_SKILL_CHECK_ENCODING), "encoding");
    CHECK_STR(sl_skill_check_name(0), "unknown");
    CHECK_STR(sl_skill_check_name(99), "unknown");
}

/* Allocator that fails the N-th allocation, to prove every failure path frees. */
typedef struct failing_alloc {
    long countdown;
    long live;
} failing_alloc;

static void *failing_malloc(void *user, size_t size)
{
    failing_alloc *f = (failing_alloc *)user;

    if (f->countdown-- == 0) {
        return NULL;
    }
    f->live++;
    return malloc(size);
}

static void *failing_realloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    failing_alloc *f = (failing_alloc *)user;

    (void)old_size;
    if (f->countdown-- == 0) {
        return NULL;
    }
    return realloc(ptr, new_size);
}

static void failing_free(void *user, void *ptr, size_t size)
{
    failing_alloc *f = (failing_alloc *)user;

    (void)size;
    if (ptr != NULL) {
        f->live--;
    }
    free(ptr);
}

TEST(skill_allocation_failures_clean_up)
{
    const char *texts[] = {
        "---\nname: Title Case\ndescription: d\nmetadata:\n  a: b\n---\nbody\n",
        "---\nname: x\ndescription: Bad: colon here\nlicense: MIT\n---\nbody\n",
    };
    size_t t;

    for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        long n;
        int ok = 0;

        for (n = 0; n < 200 && !ok; n++) {
            failing_alloc f;
            sl_allocator a;
            sl_skill_options opt;
            sl_skill *skill = NULL;
            int rc;

            f.countdown = n;
            f.live = 0;
            a.alloc = failing_malloc;
            a.realloc = failing_realloc;
            a.free = failing_free;
            a.user = &f;
            sl_skill_options_init(&opt);
            opt.alloc = &a;
            rc = sl_skill_parse(texts[t], strlen(texts[t]), "dir", &opt, &skill, NULL);
            if (rc == SL_OK) {
                ok = 1;
                CHECK(sl_skill_diagnostic_count(skill) >= 1);
                sl_skill_free(skill);
            } else {
                CHECK_INT(rc, SL_ENOMEM);
                CHECK(skill == NULL);
            }
            CHECK_INT(f.live, 0);
        }
        CHECK(ok);
    }
}

TEST(skill_wants_network_from_compatibility)
{
    static const struct {
        const char *compatibility;
        int expected;
    } cases[] = {
        { "Requires Python 3.x, network access", 1 },
        { "Requires network access and valid Maton API key", 1 },
        { "Python 3.x\xef\xbc\x8c\xe9\x9c\x80\xe7\xbd\x91\xe7\xbb\x9c\xe6\x9d\x83\xe9\x99\x90", 1 },
        { "Needs Internet", 1 },
        { "Requires Python 3.x", 0 },
        { "Works offline, no network needed", 0 },
        { "Runs without network", 0 },
        { "Designed for Claude Code", 0 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        sl_skill *skill = NULL;

        snprintf(text, sizeof(text), "---\nname: n\ndescription: d\ncompatibility: %s\n---\n",
                 cases[i].compatibility);
        REQUIRE(parse_text(text, "n", 0, &skill, NULL) == SL_OK);
        CHECK_INT(sl_skill_wants_network(skill), cases[i].expected);
        sl_skill_free(skill);
    }
    CHECK_INT(sl_skill_wants_network(NULL), 0);
}
