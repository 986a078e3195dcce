/* Compares sl_skill_parse with PyYAML over the real SKILL.md files of the shared corpus.
 *
 * tests/data/corpus_expected.json (written once by tests/data/gen_corpus_expected.py) lists
 * every SKILL.md with the fields PyYAML read. For each file this test asserts: no crash;
 * name and description equal PyYAML's where PyYAML parsed the frontmatter; where PyYAML
 * failed, a YAML warning with a position and still a name when a `name:` line exists; and
 * line >= 1, column >= 1 on every diagnostic. The corpus lives outside the repository, so
 * the test skips when ../shared/corpus/skills is missing.
 *
 * Known differences from PyYAML are listed in corpus_exceptions below, one per file, with
 * the reason. None of name, description, license or compatibility in the corpus is a typed
 * scalar (the generator records the tag when one is), so YAML 1.1 typing needs no entry.
 */
#include "skilllite.h"
#include "test.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CORPUS_DIR "../shared/corpus/skills"
#define CORPUS_EXPECTED "tests/data/corpus_expected.json"

/* Files where our result may differ from PyYAML's, and why. The corpus needs none today:
 * no name or description in it is a typed scalar, none uses a YAML 1.1-only line break
 * (U+0085, U+2028, U+2029 in a folded scalar), and the YAML reader accepts every file
 * PyYAML accepts. Add an entry here instead of weakening a check. */
static const struct {
    const char *path;
    const char *reason;
} corpus_exceptions[] = {
    { NULL, NULL },
};

static const char *corpus_exception(const char *path)
{
    size_t i;

    for (i = 0; i < sizeof(corpus_exceptions) / sizeof(corpus_exceptions[0]); i++) {
        if (corpus_exceptions[i].path != NULL && strcmp(corpus_exceptions[i].path, path) == 0) {
            return corpus_exceptions[i].reason;
        }
    }
    return NULL;
}

typedef struct corpus_counts {
    int files;
    int no_frontmatter;
    int pyyaml_ok;
    int pyyaml_failed;
    int loaded;
    int load_errors;
    int lenient;
    int names_equal;
    int descriptions_equal;
    int warnings;
    int errors;
    int exceptions;
} corpus_counts;

static int str_equals(const char *actual, sl_str expected)
{
    return strlen(actual) == expected.len && memcmp(actual, expected.ptr, expected.len) == 0;
}

/* Checks the positions of every diagnostic and counts them. */
static void check_diagnostics(const sl_skill *skill, const char *path, corpus_counts *counts)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);

        if (d->line < 1 || d->column < 1) {
            sl_test_fail(__FILE__, __LINE__, "%s: diagnostic %zu at %d:%d: %s", path, i,
                         d->line, d->column, d->message);
        }
        if (d->severity == SL_SEVERITY_ERROR) {
            counts->errors++;
        } else {
            counts->warnings++;
        }
    }
}

static const sl_diagnostic *find_check(const sl_skill *skill, int check)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        if (sl_skill_diagnostic_at(skill, i)->check == check) {
            return sl_skill_diagnostic_at(skill, i);
        }
    }
    return NULL;
}

/* Compares one field with PyYAML's text; a missing name falls back to the folder name. */
static void check_field(const sl_skill *skill, const sl_value *entry, const char *field,
                        const char *actual, const char *path, int *equal_count)
{
    const sl_value *expected = sl_value_get(entry, field);

    if (expected == NULL) {
        return;
    }
    if (str_equals(actual, sl_value_str(expected))) {
        (*equal_count)++;
        return;
    }
    sl_test_fail(__FILE__, __LINE__, "%s: %s is \"%.120s\", PyYAML gives \"%.120s\"%s", path,
                 field, actual, sl_value_cstr(expected),
                 sl_skill_is_lenient(skill) ? " (our YAML reader rejected the file)" : "");
}

static void check_file(const sl_value *entry, corpus_counts *counts)
{
    const char *rel = sl_value_cstr(sl_value_get(entry, "path"));
    const char *dir = sl_value_cstr(sl_value_get(entry, "dir"));
    const char *frontmatter = sl_value_cstr(sl_value_get(entry, "frontmatter"));
    const char *exception = corpus_exception(rel);
    char path[1024];
    sl_skill_options opt;
    sl_skill *skill = NULL;
    sl_error err;
    char *data = NULL;
    size_t len = 0;
    int rc;

    counts->files++;
    snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, rel);
    if (sl_file_read(path, (size_t)1 << 20, NULL, &data, &len, &err) != SL_OK) {
        sl_test_fail(__FILE__, __LINE__, "%s: cannot read: %s", path, err.message);
        return;
    }
    sl_skill_options_init(&opt);
    opt.flags = SL_SKILL_KEEP_ON_ERROR;
    rc = sl_skill_parse(data, len, dir, &opt, &skill, &err);
    sl_free(NULL, data, len + 1);
    if (skill == NULL) {
        sl_test_fail(__FILE__, __LINE__, "%s: no skill returned (%d: %s)", rel, rc, err.message);
        return;
    }
    check_diagnostics(skill, rel, counts);
    if (rc == SL_OK) {
        counts->loaded++;
    } else {
        counts->load_errors++;
    }
    counts->lenient += sl_skill_is_lenient(skill);
    if (exception != NULL) {
        counts->exceptions++;
        sl_skill_free(skill);
        return;
    }

    if (strcmp(frontmatter, "none") == 0) {
        counts->no_frontmatter++;
        if (rc != SL_ESKILL_NO_FRONTMATTER) {
            sl_test_fail(__FILE__, __LINE__, "%s: result %d, expected no frontmatter", rel, rc);
        }
    } else if (sl_value_bool(sl_value_get(entry, "yaml_ok"))) {
        counts->pyyaml_ok++;
        if (sl_skill_is_lenient(skill)) {
            sl_test_fail(__FILE__, __LINE__, "%s: PyYAML reads it but our YAML reader does not: "
                         "%s", rel, find_check(skill, SL_SKILL_CHECK_YAML)->message);
        }
        check_field(skill, entry, "name", sl_skill_name(skill), rel, &counts->names_equal);
        check_field(skill, entry, "description", sl_skill_description(skill), rel,
                    &counts->descriptions_equal);
        if (sl_value_get(entry, "name") == NULL && strcmp(sl_skill_name(skill), dir) != 0) {
            sl_test_fail(__FILE__, __LINE__, "%s: no name, expected the folder name", rel);
        }
    } else {
        const sl_diagnostic *d = find_check(skill, SL_SKILL_CHECK_YAML);

        counts->pyyaml_failed++;
        if (d == NULL) {
            sl_test_fail(__FILE__, __LINE__, "%s: PyYAML fails but we report no YAML "
                         "diagnostic", rel);
        } else if (d->line != (int)sl_value_int(sl_value_get(entry, "yaml_error_line"))) {
            sl_test_fail(__FILE__, __LINE__, "%s: YAML error on line %d, PyYAML says %d", rel,
                         d->line, (int)sl_value_int(sl_value_get(entry, "yaml_error_line")));
        }
        if (sl_value_bool(sl_value_get(entry, "has_name_line")) &&
            (sl_skill_name(skill)[0] == '\0' || !sl_skill_is_lenient(skill))) {
            sl_test_fail(__FILE__, __LINE__, "%s: a `name:` line exists but no lenient name",
                         rel);
        }
    }
    sl_skill_free(skill);
}

TEST(skill_corpus_matches_pyyaml)
{
    struct stat st;
    sl_json_options jopt;
    sl_doc *doc;
    sl_error err;
    char *json = NULL;
    size_t json_len = 0;
    const sl_value *files;
    corpus_counts counts;
    size_t i;

    if (stat(CORPUS_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
        SKIP("the shared skill corpus " CORPUS_DIR " is not present beside the repository");
    }
    REQUIRE(sl_file_read(CORPUS_EXPECTED, (size_t)16 << 20, NULL, &json, &json_len, &err) ==
            SL_OK);
    sl_json_options_init(&jopt);
    doc = sl_json_parse(json, json_len, &jopt, &err);
    sl_free(NULL, json, json_len + 1);
    REQUIRE(doc != NULL);
    files = sl_value_get(sl_doc_root(doc), "files");
    REQUIRE(sl_value_count(files) > 0);
    CHECK_INT(sl_value_count(files), sl_value_int(sl_value_get(sl_doc_root(doc), "count")));

    memset(&counts, 0, sizeof(counts));
    for (i = 0; i < sl_value_count(files); i++) {
        check_file(sl_value_at(files, i), &counts);
    }
    sl_doc_free(doc);

    /* The counts of the corpus as generated; a change means the corpus or the reader moved. */
    CHECK_INT(counts.files, 203);
    CHECK_INT(counts.no_frontmatter, 6);
    CHECK_INT(counts.pyyaml_failed, 6);
    CHECK_INT(counts.pyyaml_ok + counts.pyyaml_failed + counts.no_frontmatter +
                  counts.exceptions, 203);
    /* The 6 failures are the files without frontmatter; an empty or missing description
     * (2 files) is a warning. */
    CHECK_INT(counts.loaded, 197);
    CHECK_INT(counts.load_errors, 6);
    CHECK_INT(counts.lenient, 6);
    /* Of the 191 files PyYAML reads, one has no name and one no description. */
    CHECK_INT(counts.names_equal, 190);
    CHECK_INT(counts.descriptions_equal, 190);
    fprintf(stdout, "corpus: %d files, %d loaded, %d failed to load, %d without frontmatter, "
            "%d rejected by PyYAML, %d read leniently, %d names and %d descriptions equal to "
            "PyYAML, %d warnings, %d errors, %d exceptions\n", counts.files, counts.loaded,
            counts.load_errors, counts.no_frontmatter, counts.pyyaml_failed, counts.lenient,
            counts.names_equal, counts.descriptions_equal, counts.warnings, counts.errors,
            counts.exceptions);
}
