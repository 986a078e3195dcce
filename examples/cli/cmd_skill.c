/* `skilllite list`, `info` and `validate`: discover, describe and check skill folders. */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_list_help[] =
    "Usage: skilllite list [OPTIONS] [DIR]\n"
    "\n"
    "Lists the skills in DIR and its child and grandchild folders, one per line with the\n"
    "name and the first line of the description. DIR defaults to ./skills when that\n"
    "folder exists, else the current folder. Deeper folders are not searched, so from\n"
    "the repository root use 'skilllite list examples/skills'. Invalid skills are listed\n"
    "with their first error.\n"
    "\n"
    "Options:\n"
    "  --json        print {\"root\", \"skills\": [{\"name\", \"description\", \"path\",\n"
    "                \"entry_point\", \"language\", \"valid\", \"errors\", \"warnings\"}]}\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 (also when no skill was found), 2 DIR is not a folder.\n";

const char cmd_info_help[] =
    "Usage: skilllite info [OPTIONS] DIR\n"
    "\n"
    "Shows every field of the skill in folder DIR: name, description, license,\n"
    "compatibility, version, metadata, allowed tools, other frontmatter fields, the entry\n"
    "point and its language, and every diagnostic with file:line:col.\n"
    "\n"
    "Options:\n"
    "  --json        print one object with the fields, \"frontmatter\" and \"diagnostics\"\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 the skill loads, 2 DIR not found, 3 the skill is invalid.\n";

const char cmd_validate_help[] =
    "Usage: skilllite validate [OPTIONS] DIR...\n"
    "\n"
    "Checks the SKILL.md of each skill folder DIR against the Agent Skills specification.\n"
    "A DIR without a SKILL.md is searched for skills in its child and grandchild folders.\n"
    "Every problem is printed as\n"
    "\n"
    "    FILE:LINE:COLUMN: warning|error: MESSAGE [CHECK]\n"
    "\n"
    "followed by one summary line. Warnings leave a skill usable; errors make it invalid.\n"
    "\n"
    "Options:\n"
    "  --strict      count warnings as errors and print them as 'error:'\n"
    "  --json        print {\"ok\", \"errors\", \"warnings\", \"skills\": [{\"path\", \"name\",\n"
    "                \"valid\", \"diagnostics\": [...]}]}\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 2 a DIR is not a folder, 3 any error.\n";

/* Options of list, info and validate. */
typedef struct cli_skill_options {
    int help;
    int strict;
    const char *paths[CLI_MAX_LIST];
    size_t path_count;
} cli_skill_options;

/* Parses the arguments of list, info and validate; `max_paths` bounds the positionals. */
static int cli_skill_args(cli_context *ctx, int argc, char **argv, size_t max_paths,
                          int allow_strict, cli_skill_options *o)
{
    cli_parser p;
    int kind;

    memset(o, 0, sizeof(*o));
    cli_parser_init(&p, argc, argv, 0);
    while ((kind = cli_next(&p)) != CLI_ARG_END) {
        int handled;

        if (kind == CLI_ARG_POSITIONAL) {
            if (o->path_count >= max_paths) {
                return cli_fail(ctx, CLI_EXIT_USAGE, "unexpected argument '%s'; see "
                                "'skilllite %s --help'", p.arg, ctx->command);
            }
            o->paths[o->path_count++] = p.arg;
            continue;
        }
        handled = cli_common_option(ctx, &p, &o->help);
        if (handled < 0) {
            return -handled;
        }
        if (handled > 0) {
            continue;
        }
        if (allow_strict && cli_is(&p, "--strict", NULL)) {
            o->strict = 1;
            continue;
        }
        return cli_unknown_option(ctx, &p);
    }
    return 0;
}

static int cli_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Loads a skill and keeps it even when it has errors, so its diagnostics can be shown.
 * Returns the load result; `*skill` may be NULL when the file could not be read. */
static int cli_load(const char *dir, int strict, sl_skill **skill, sl_error *err)
{
    sl_skill_options opt;

    sl_skill_options_init(&opt);
    opt.flags |= SL_SKILL_KEEP_ON_ERROR;
    if (strict) {
        opt.flags |= SL_SKILL_STRICT;
    }
    return sl_skill_load(dir, &opt, skill, err);
}

/* Counts the diagnostics of `skill` with `severity`. */
static size_t cli_count_severity(const sl_skill *skill, int severity)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        if ((int)sl_skill_diagnostic_at(skill, i)->severity == severity) {
            n++;
        }
    }
    return n;
}

/* Returns the first error diagnostic of `skill`, or NULL. */
static const sl_diagnostic *cli_first_error(const sl_skill *skill)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);

        if (d->severity == SL_SEVERITY_ERROR) {
            return d;
        }
    }
    return NULL;
}

/* Returns the part of `path` after the last '/'. */
static const char *cli_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

/* Builds the JSON array of a skill's diagnostics. `dir` is the folder as the user named
 * it, so "file" reads like the text output. */
static sl_value *cli_diagnostics_json(sl_doc *doc, const sl_skill *skill, const char *dir)
{
    sl_value *array = sl_value_new_array(doc);
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);
        sl_value *item = sl_value_new_object(doc);
        char file[4096];

        snprintf(file, sizeof(file), "%s/%s", dir, cli_base_name(d->path));
        sl_value_set(doc, item, "file", sl_value_new_str(doc, file));
        sl_value_set(doc, item, "line", sl_value_new_int(doc, d->line));
        sl_value_set(doc, item, "column", sl_value_new_int(doc, d->column));
        sl_value_set(doc, item, "offset", sl_value_new_int(doc, (int64_t)d->offset));
        sl_value_set(doc, item, "severity", sl_value_new_str(doc, d->severity == SL_SEVERITY_ERROR
                                                                      ? "error"
                                                                      : "warning"));
        sl_value_set(doc, item, "check", sl_value_new_str(doc, sl_skill_check_name(d->check)));
        sl_value_set(doc, item, "message", sl_value_new_str(doc, d->message));
        sl_value_push(doc, array, item);
    }
    return array;
}

/* Prints the diagnostics of `skill` as FILE:LINE:COLUMN: SEVERITY: MESSAGE [CHECK]. With
 * `strict` (validate --strict) warnings are labelled "error", as they are counted. */
static void cli_print_diagnostics(FILE *stream, const sl_skill *skill, const char *dir,
                                  int strict)
{
    size_t i;

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);
        int error = strict || d->severity == SL_SEVERITY_ERROR;

        fprintf(stream, "%s/%s:%d:%d: %s: %s [%s]\n", dir, cli_base_name(d->path), d->line,
                d->column, error ? "error" : "warning", d->message,
                sl_skill_check_name(d->check));
    }
}

/* ---- list ------------------------------------------------------------------------------- */

/* Prints the first line of `text`, cut to `max` bytes with "..." when longer. */
static void cli_print_first_line(const char *text, size_t max)
{
    size_t len = strcspn(text, "\r\n");

    if (len > max) {
        /* Step back to a UTF-8 lead byte so the cut never splits a character. */
        len = max;
        while (len > 0 && ((unsigned char)text[len] & 0xC0u) == 0x80u) {
            len--;
        }
        printf("%.*s...\n", (int)len, text);
        return;
    }
    printf("%.*s\n", (int)len, text);
}

/* Adds one skill to the --json list. */
static void cli_list_json_item(sl_doc *doc, sl_value *skills, const char *path,
                               const sl_skill *skill, int rc, const sl_error *err)
{
    sl_value *item = sl_value_new_object(doc);

    sl_value_set(doc, item, "name", sl_value_new_str(doc, sl_skill_name(skill)));
    sl_value_set(doc, item, "description", sl_value_new_str(doc, sl_skill_description(skill)));
    sl_value_set(doc, item, "path", sl_value_new_str(doc, path));
    sl_value_set(doc, item, "entry_point", sl_value_new_str(doc, sl_skill_entry_point(skill)));
    sl_value_set(doc, item, "language",
                 sl_value_new_str(doc, sl_language_name(sl_skill_language(skill))));
    sl_value_set(doc, item, "valid", sl_value_new_bool(doc, rc == SL_OK));
    sl_value_set(doc, item, "errors",
                 sl_value_new_int(doc, (int64_t)cli_count_severity(skill, SL_SEVERITY_ERROR)));
    sl_value_set(doc, item, "warnings",
                 sl_value_new_int(doc, (int64_t)cli_count_severity(skill, SL_SEVERITY_WARNING)));
    if (rc != SL_OK) {
        sl_value_set(doc, item, "error", sl_value_new_str(doc, err->message));
    }
    sl_value_push(doc, skills, item);
}

/* Prints one skill as "NAME  DESCRIPTION" with the name padded to `width`. */
static void cli_list_text_item(const char *path, const sl_skill *skill, int rc,
                               const sl_error *err, int width)
{
    const sl_diagnostic *d;

    if (skill == NULL) {
        printf("%-*s  (invalid: %s)\n", width, cli_base_name(path), err->message);
        return;
    }
    printf("%-*s  ", width,
           sl_skill_name(skill)[0] != '\0' ? sl_skill_name(skill) : cli_base_name(path));
    d = cli_first_error(skill);
    if (rc != SL_OK) {
        printf("(invalid: %s)\n", d != NULL ? d->message : err->message);
        return;
    }
    cli_print_first_line(sl_skill_description(skill), 72);
}

int cmd_list(cli_context *ctx, int argc, char **argv)
{
    cli_skill_options o;
    const char *root;
    sl_skill_dir_list *list = NULL;
    sl_doc *doc = NULL;
    sl_value *skills = NULL;
    sl_error err;
    size_t i;
    int width = 4;
    int status = cli_skill_args(ctx, argc, argv, 1, 0, &o);

    if (o.help) {
        return cli_print_help(cmd_list_help);
    }
    if (status != 0) {
        return status;
    }
    root = o.path_count > 0 ? o.paths[0] : (cli_is_dir("skills") ? "skills" : ".");
    if (sl_skill_discover(root, NULL, &list, &err) != SL_OK) {
        return cli_fail_error(ctx, err.code == SL_ENOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_FAILED,
                              &err, NULL, "give a folder that contains skill folders");
    }
    for (i = 0; i < sl_skill_dir_list_count(list); i++) {
        int len = (int)strlen(cli_base_name(sl_skill_dir_list_at(list, i)));

        width = len > width && len <= 40 ? len : width;
    }
    if (ctx->json) {
        doc = sl_doc_new(NULL);
        skills = sl_value_new_array(doc);
    }

    for (i = 0; i < sl_skill_dir_list_count(list); i++) {
        const char *path = sl_skill_dir_list_at(list, i);
        sl_skill *skill = NULL;
        int rc = cli_load(path, 0, &skill, &err);

        if (ctx->json) {
            cli_list_json_item(doc, skills, path, skill, rc, &err);
        } else {
            cli_list_text_item(path, skill, rc, &err, width);
        }
        sl_skill_free(skill);
    }
    if (ctx->json) {
        sl_value *obj = sl_value_new_object(doc);

        sl_value_set(doc, obj, "root", sl_value_new_str(doc, root));
        sl_value_set(doc, obj, "skills", skills);
        status = cli_print_json(ctx, obj);
        sl_doc_free(doc);
    } else if (sl_skill_dir_list_count(list) == 0) {
        fprintf(stderr, "skilllite: note: no skills found in %s or its child and grandchild "
                "folders (deeper folders are not searched); name the folder that holds the "
                "skill folders, for example 'skilllite list examples/skills'\n", root);
    }
    sl_skill_dir_list_free(list);
    return status;
}

/* ---- info ------------------------------------------------------------------------------- */

/* Fields shown by name; other top-level frontmatter keys are listed as extensions. */
static const char *const cli_known_fields[] = {
    "name", "description", "license", "compatibility", "version", "metadata",
    "allowed-tools", "entry_point",
};

static int cli_is_known_field(const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(cli_known_fields) / sizeof(cli_known_fields[0]); i++) {
        if (strcmp(key, cli_known_fields[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Prints a value as text: strings as they are, everything else as compact JSON. */
static void cli_print_value(const sl_value *v)
{
    sl_buf buf;

    if (sl_value_kind(v) == SL_VALUE_STRING) {
        sl_str s = sl_value_str(v);

        fwrite(s.ptr, 1, s.len, stdout);
        return;
    }
    sl_buf_init(&buf, NULL);
    if (sl_json_write(v, 0, &buf, NULL) == SL_OK) {
        fwrite(buf.data, 1, buf.len, stdout);
    }
    sl_buf_free(&buf);
}

/* Prints a field, indenting the continuation lines of a multi-line value. */
static void cli_print_field(const char *label, const char *value)
{
    size_t len = strlen(value);
    size_t i;

    printf("%-15s", label);
    for (i = 0; i < len; i++) {
        putchar(value[i]);
        if (value[i] == '\n' && i + 1 < len) {
            printf("%15s", "");
        }
    }
    if (len == 0 || value[len - 1] != '\n') {
        putchar('\n');
    }
}

/* Prints a field unless it is empty. */
static void cli_print_optional_field(const char *label, const char *value)
{
    if (value[0] != '\0') {
        cli_print_field(label, value);
    }
}

static void cli_info_text(const sl_skill *skill, const char *dir)
{
    const sl_value *fm = sl_skill_frontmatter(skill);
    const sl_value *metadata = sl_skill_metadata(skill);
    const sl_value *tools = sl_skill_allowed_tools(skill);
    char entry[4200];
    size_t i;

    cli_print_field("name:", sl_skill_name(skill));
    cli_print_field("description:", sl_skill_description(skill));
    cli_print_optional_field("license:", sl_skill_license(skill));
    cli_print_optional_field("compatibility:", sl_skill_compatibility(skill));
    cli_print_optional_field("version:", sl_skill_version(skill));
    cli_print_field("folder:", sl_skill_dir(skill));
    cli_print_field("SKILL.md:", sl_skill_md_path(skill));
    if (sl_skill_entry_point(skill)[0] != '\0') {
        snprintf(entry, sizeof(entry), "%s (%s)", sl_skill_entry_point(skill),
                 sl_skill_entry_path(skill));
    } else {
        snprintf(entry, sizeof(entry), "none (an instruction-only skill)");
    }
    cli_print_field("entry point:", entry);
    cli_print_field("language:", sl_language_name(sl_skill_language(skill)));
    if (tools != NULL) {
        printf("%-15s", "allowed-tools:");
        cli_print_value(tools);
        putchar('\n');
    }
    for (i = 0; i < sl_value_count(metadata); i++) {
        if (i == 0) {
            printf("metadata:\n");
        }
        printf("  %s: ", sl_value_cstr(sl_value_key_at(metadata, i)));
        cli_print_value(sl_value_at(metadata, i));
        putchar('\n');
    }
    for (i = 0; i < sl_value_count(fm); i++) {
        const char *key = sl_value_cstr(sl_value_key_at(fm, i));

        if (!cli_is_known_field(key)) {
            printf("extension:     %s: ", key);
            cli_print_value(sl_value_at(fm, i));
            putchar('\n');
        }
    }
    printf("body:          %zu bytes from line %d\n", sl_skill_body(skill).len,
           sl_skill_body_line(skill));
    if (sl_skill_is_lenient(skill)) {
        printf("note:          the frontmatter is not valid YAML; the yaml warning below "
               "says how it was read\n");
    }
    if (sl_skill_diagnostic_count(skill) == 0) {
        printf("diagnostics:   none\n");
    } else {
        printf("diagnostics:\n");
        cli_print_diagnostics(stdout, skill, dir, 0);
    }
}

static int cli_info_json(cli_context *ctx, const sl_skill *skill, const char *dir, int valid)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *o;
    int status;

    if (doc == NULL) {
        return cli_fail(ctx, CLI_EXIT_FAILED, "out of memory");
    }
    o = sl_value_new_object(doc);
    sl_value_set(doc, o, "valid", sl_value_new_bool(doc, valid));
    sl_value_set(doc, o, "name", sl_value_new_str(doc, sl_skill_name(skill)));
    sl_value_set(doc, o, "description", sl_value_new_str(doc, sl_skill_description(skill)));
    sl_value_set(doc, o, "license", sl_value_new_str(doc, sl_skill_license(skill)));
    sl_value_set(doc, o, "compatibility", sl_value_new_str(doc, sl_skill_compatibility(skill)));
    sl_value_set(doc, o, "version", sl_value_new_str(doc, sl_skill_version(skill)));
    sl_value_set(doc, o, "dir", sl_value_new_str(doc, sl_skill_dir(skill)));
    sl_value_set(doc, o, "skill_md", sl_value_new_str(doc, sl_skill_md_path(skill)));
    sl_value_set(doc, o, "entry_point", sl_value_new_str(doc, sl_skill_entry_point(skill)));
    sl_value_set(doc, o, "entry_path", sl_value_new_str(doc, sl_skill_entry_path(skill)));
    sl_value_set(doc, o, "language",
                 sl_value_new_str(doc, sl_language_name(sl_skill_language(skill))));
    sl_value_set(doc, o, "lenient", sl_value_new_bool(doc, sl_skill_is_lenient(skill)));
    sl_value_set(doc, o, "body_line", sl_value_new_int(doc, sl_skill_body_line(skill)));
    sl_value_set(doc, o, "body_bytes", sl_value_new_int(doc, (int64_t)sl_skill_body(skill).len));
    sl_value_set(doc, o, "frontmatter",
                 sl_skill_frontmatter(skill) != NULL
                     ? sl_value_copy(doc, sl_skill_frontmatter(skill))
                     : sl_value_new_null(doc));
    sl_value_set(doc, o, "diagnostics", cli_diagnostics_json(doc, skill, dir));
    status = cli_print_json(ctx, o);
    sl_doc_free(doc);
    return status;
}

int cmd_info(cli_context *ctx, int argc, char **argv)
{
    cli_skill_options o;
    sl_skill *skill = NULL;
    sl_error err;
    const char *dir;
    int rc;
    int status = cli_skill_args(ctx, argc, argv, 1, 0, &o);

    if (o.help) {
        return cli_print_help(cmd_info_help);
    }
    if (status != 0) {
        return status;
    }
    if (o.path_count == 0) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "info needs a skill folder: skilllite info DIR");
    }
    dir = o.paths[0];
    rc = cli_load(dir, 0, &skill, &err);
    if (rc == SL_ENOTFOUND) {
        return cli_fail_skill_dir(ctx, dir);
    }
    if (skill == NULL) {
        return cli_fail_error(ctx, CLI_EXIT_INVALID_SKILL, &err, NULL, NULL);
    }
    if (ctx->json) {
        status = cli_info_json(ctx, skill, dir, rc == SL_OK);
    } else {
        cli_info_text(skill, dir);
    }
    sl_skill_free(skill);
    if (status != 0) {
        return status;
    }
    return rc == SL_OK ? CLI_EXIT_OK : CLI_EXIT_INVALID_SKILL;
}

/* ---- validate --------------------------------------------------------------------------- */

/* Totals of one validate call. */
typedef struct cli_validate_totals {
    size_t skills;
    size_t errors;
    size_t warnings;
    int usage_error;
} cli_validate_totals;

/* Validates one skill folder and adds its diagnostics to the output and the totals. */
static void cli_validate_skill(cli_context *ctx, const char *dir, int strict, sl_doc *doc,
                               sl_value *skills, cli_validate_totals *totals)
{
    sl_skill *skill = NULL;
    sl_error err;
    int rc = cli_load(dir, strict, &skill, &err);
    size_t errors;
    size_t warnings;

    totals->skills++;
    if (skill == NULL) {
        /* The file could not be read: no diagnostics, only the error. */
        totals->errors++;
        if (ctx->json) {
            sl_value *item = sl_value_new_object(doc);

            sl_value_set(doc, item, "path", sl_value_new_str(doc, dir));
            sl_value_set(doc, item, "valid", sl_value_new_bool(doc, 0));
            sl_value_set(doc, item, "error", sl_value_new_str(doc, err.message));
            sl_value_set(doc, item, "diagnostics", sl_value_new_array(doc));
            sl_value_push(doc, skills, item);
        } else {
            printf("%s: error: %s\n", dir, err.message);
        }
        return;
    }

    errors = cli_count_severity(skill, SL_SEVERITY_ERROR);
    warnings = cli_count_severity(skill, SL_SEVERITY_WARNING);
    if (strict) {
        /* With --strict every warning fails the load, so it counts as an error. */
        errors += warnings;
        warnings = 0;
    } else if (rc != SL_OK && errors == 0) {
        errors = 1;
    }
    totals->errors += errors;
    totals->warnings += warnings;
    if (ctx->json) {
        sl_value *item = sl_value_new_object(doc);

        sl_value_set(doc, item, "path", sl_value_new_str(doc, dir));
        sl_value_set(doc, item, "name", sl_value_new_str(doc, sl_skill_name(skill)));
        sl_value_set(doc, item, "valid", sl_value_new_bool(doc, rc == SL_OK));
        sl_value_set(doc, item, "diagnostics", cli_diagnostics_json(doc, skill, dir));
        sl_value_push(doc, skills, item);
    } else {
        cli_print_diagnostics(stdout, skill, dir, strict);
        if (sl_skill_name(skill)[0] != '\0') {
            printf("%s: skill \"%s\": ", dir, sl_skill_name(skill));
        } else {
            printf("%s: skill (no name): ", dir);
        }
        printf("%s, %zu error%s, %zu warning%s\n", rc == SL_OK ? "valid" : "invalid", errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    }
    sl_skill_free(skill);
}

/* Validates `path`: the skill in it, or every skill found below it. */
static void cli_validate_path(cli_context *ctx, const char *path, int strict, sl_doc *doc,
                              sl_value *skills, cli_validate_totals *totals)
{
    sl_skill_dir_list *list = NULL;
    sl_error err;
    size_t i;

    if (sl_skill_discover(path, NULL, &list, &err) != SL_OK) {
        char message[1024];

        if (err.code == SL_ENOTFOUND) {
            cli_skill_dir_message(path, message, sizeof(message));
        } else {
            snprintf(message, sizeof(message), "%s", err.message);
        }
        cli_error_note("%s", message);
        totals->usage_error = 1;
        return;
    }
    if (sl_skill_dir_list_count(list) == 0) {
        if (!ctx->json) {
            printf("%s: error: no SKILL.md in the folder or its subfolders\n", path);
        }
        totals->errors++;
    }
    for (i = 0; i < sl_skill_dir_list_count(list); i++) {
        cli_validate_skill(ctx, sl_skill_dir_list_at(list, i), strict, doc, skills, totals);
    }
    sl_skill_dir_list_free(list);
}

int cmd_validate(cli_context *ctx, int argc, char **argv)
{
    cli_skill_options o;
    cli_validate_totals totals;
    sl_doc *doc = NULL;
    sl_value *skills = NULL;
    size_t i;
    int status = cli_skill_args(ctx, argc, argv, CLI_MAX_LIST, 1, &o);

    if (o.help) {
        return cli_print_help(cmd_validate_help);
    }
    if (status != 0) {
        return status;
    }
    if (o.path_count == 0) {
        return cli_fail(ctx, CLI_EXIT_USAGE, "validate needs at least one skill folder: "
                        "skilllite validate DIR...");
    }
    memset(&totals, 0, sizeof(totals));
    if (ctx->json) {
        doc = sl_doc_new(NULL);
        skills = sl_value_new_array(doc);
    }
    for (i = 0; i < o.path_count; i++) {
        cli_validate_path(ctx, o.paths[i], o.strict, doc, skills, &totals);
    }

    if (ctx->json) {
        sl_value *root = sl_value_new_object(doc);

        sl_value_set(doc, root, "ok", sl_value_new_bool(doc, totals.errors == 0 &&
                                                                 !totals.usage_error));
        sl_value_set(doc, root, "errors", sl_value_new_int(doc, (int64_t)totals.errors));
        sl_value_set(doc, root, "warnings", sl_value_new_int(doc, (int64_t)totals.warnings));
        sl_value_set(doc, root, "skills", skills);
        status = cli_print_json(ctx, root);
        sl_doc_free(doc);
        if (status != 0) {
            return status;
        }
    } else {
        printf("%zu skill%s checked: %zu error%s, %zu warning%s\n", totals.skills,
               totals.skills == 1 ? "" : "s", totals.errors, totals.errors == 1 ? "" : "s",
               totals.warnings, totals.warnings == 1 ? "" : "s");
    }
    if (totals.usage_error) {
        return CLI_EXIT_USAGE;
    }
    return totals.errors > 0 ? CLI_EXIT_INVALID_SKILL : CLI_EXIT_OK;
}
