/* ======================================================================= skill ===
 * SKILL.md split, validation, entry-point resolution and discovery.
 */

#include <dirent.h>
#include <strings.h>

#define SL__SKILL_MAX_BYTES_DEFAULT ((size_t)1 << 20)
#define SL__SKILL_MAX_DIRS_DEFAULT 10000
#define SL__SKILL_NAME_MAX 64
#define SL__SKILL_DESCRIPTION_MAX 1024
#define SL__SKILL_COMPATIBILITY_MAX 500
/* Bytes of a script read to find its `#!` line. */
#define SL__SKILL_SHEBANG_MAX 256

struct sl_skill {
    sl_allocator alloc;
    sl__arena arena;      /* strings, diagnostics' messages, the SKILL.md copy */
    sl_doc *doc;          /* frontmatter value tree */
    const char *text;     /* copy of SKILL.md, NUL-terminated */
    char *text_mut;       /* the same copy, writable */
    size_t text_len;
    size_t yaml_offset;   /* start of the frontmatter's first line, for missing fields */
    const sl_value *frontmatter;
    const sl_value *metadata;
    const sl_value *allowed_tools;
    const char *name;
    const char *description;
    const char *license;
    const char *compatibility;
    const char *version;
    const char *entry_point;
    const char *entry_path;
    const char *dir;
    const char *md_path;
    sl_language language;
    int lenient;
    sl_str body;
    size_t body_offset;
    int body_line;
    sl_diagnostic *diags;
    size_t diag_count;
    size_t diag_cap;
};

struct sl_skill_dir_list {
    sl_allocator alloc;
    char **items;
    size_t count;
    size_t cap;
};

static const char *const sl__language_names[] = { "unknown", "python", "node", "bash" };

SKILLLITE_API const char *sl_language_name(sl_language language)
{
    if ((int)language < 0 || (size_t)language >= SL__ARRAY_LEN(sl__language_names)) {
        return "unknown";
    }
    return sl__language_names[language];
}

static const char *const sl__skill_check_names[] = {
    "unknown", "frontmatter", "yaml", "name", "name-dir", "description", "compatibility",
    "license", "metadata", "allowed-tools", "spelling", "entry-point", "language", "encoding"
};

SKILLLITE_API const char *sl_skill_check_name(int check)
{
    if (check < 0 || (size_t)check >= SL__ARRAY_LEN(sl__skill_check_names)) {
        return "unknown";
    }
    return sl__skill_check_names[check];
}

SKILLLITE_API void sl_skill_options_init(sl_skill_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->max_bytes = SL__SKILL_MAX_BYTES_DEFAULT;
    opt->max_dirs = SL__SKILL_MAX_DIRS_DEFAULT;
}

/* ------------------------------------------------------------------ diagnostics --- */

/* Records a diagnostic at byte `offset` of SKILL.md. Returns SL_OK or SL_ENOMEM. */
static int sl__skill_diag(sl_skill *skill, sl_severity severity, int check, int result,
                          size_t offset, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static int sl__skill_diag(sl_skill *skill, sl_severity severity, int check, int result,
                          size_t offset, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    sl_diagnostic *d;

    if (skill->diag_count == skill->diag_cap) {
        size_t cap = skill->diag_cap == 0 ? 8 : skill->diag_cap * 2;
        sl_diagnostic *grown;

        if (cap > SIZE_MAX / sizeof(sl_diagnostic)) {
            return SL_ENOMEM;
        }
        grown = (sl_diagnostic *)sl__realloc(&skill->alloc, skill->diags,
                                             skill->diag_cap * sizeof(sl_diagnostic),
                                             cap * sizeof(sl_diagnostic));
        if (grown == NULL) {
            return SL_ENOMEM;
        }
        skill->diags = grown;
        skill->diag_cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);

    d = &skill->diags[skill->diag_count];
    d->message = sl__arena_strndup(&skill->arena, message, strlen(message));
    if (d->message == NULL) {
        return SL_ENOMEM;
    }
    d->severity = severity;
    d->check = check;
    d->result = result;
    d->path = skill->md_path;
    d->offset = offset > skill->text_len ? skill->text_len : offset;
    sl_locate(skill->text, skill->text_len, d->offset, &d->line, &d->column);
    skill->diag_count++;
    return SL_OK;
}

/* Returns the first ERROR, or with SL_SKILL_STRICT the first diagnostic of any kind. */
static const sl_diagnostic *sl__skill_failure(const sl_skill *skill, int flags)
{
    size_t i;

    for (i = 0; i < skill->diag_count; i++) {
        if (skill->diags[i].severity == SL_SEVERITY_ERROR) {
            return &skill->diags[i];
        }
    }
    if ((flags & SL_SKILL_STRICT) != 0 && skill->diag_count > 0) {
        return &skill->diags[0];
    }
    return NULL;
}

static int sl__skill_report(const sl_diagnostic *d, sl_error *err)
{
    int code = d->result != SL_OK ? d->result : SL_ESKILL_FIELD;

    if (d->severity == SL_SEVERITY_WARNING) {
        code = SL_ESKILL_FIELD;  /* a warning promoted by SL_SKILL_STRICT */
    }
    sl__error(err, code, "%s:%d:%d: %s", d->path, d->line, d->column, d->message);
    if (err != NULL) {
        err->offset = d->offset;
        err->line = d->line;
        err->column = d->column;
    }
    return code;
}

/* ------------------------------------------------------------------------ split --- */

/* End of the line starting at `pos` (the '\n' or `len`). */
static size_t sl__skill_line_end(const char *text, size_t len, size_t pos)
{
    const char *nl = (const char *)memchr(text + pos, '\n', len - pos);

    return nl != NULL ? (size_t)(nl - text) : len;
}

/* Returns 1 when [pos, end) is `fence` followed only by spaces, tabs or a CR. */
static int sl__skill_is_fence(const char *text, size_t pos, size_t end, const char *fence)
{
    while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
                         text[end - 1] == '\r')) {
        end--;
    }
    return end - pos == 3 && memcmp(text + pos, fence, 3) == 0;
}

typedef struct sl__skill_split {
    size_t open;        /* offset of the opening `---` */
    size_t yaml_start;  /* first byte of the frontmatter */
    size_t yaml_end;    /* start of the closing fence line */
    size_t body_start;  /* first byte after the closing fence line */
} sl__skill_split;

static int sl__skill_split_text(sl_skill *skill, sl__skill_split *sp)
{
    const char *t = skill->text;
    size_t len = skill->text_len;
    size_t pos = 0;
    size_t end;

    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3;
    }
    sp->open = pos;
    end = sl__skill_line_end(t, len, pos);
    if (!sl__skill_is_fence(t, pos, end, "---")) {
        sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_FRONTMATTER,
                       SL_ESKILL_NO_FRONTMATTER, 0,
                       "SKILL.md does not start with a `---` line; put the frontmatter "
                       "(name and description) between two `---` lines at the top");
        return SL_ESKILL_NO_FRONTMATTER;
    }
    sp->yaml_start = end < len ? end + 1 : len;
    skill->yaml_offset = sp->yaml_start;

    /* Line-anchored search, so `---` inside a value or a rule in the body is harmless. */
    pos = sp->yaml_start;
    while (pos < len) {
        end = sl__skill_line_end(t, len, pos);
        if (sl__skill_is_fence(t, pos, end, "---") || sl__skill_is_fence(t, pos, end, "...")) {
            sp->yaml_end = pos;
            sp->body_start = end < len ? end + 1 : len;
            return SL_OK;
        }
        pos = end + 1;
    }
    sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_FRONTMATTER, SL_ESKILL_UNTERMINATED,
                   sp->open,
                   "the frontmatter opened here has no closing `---` line; add a line with "
                   "`---` after the last frontmatter field");
    return SL_ESKILL_UNTERMINATED;
}

/* Skips whole blank lines at the start of the body and trims trailing whitespace. */
static void sl__skill_set_body(sl_skill *skill, size_t start)
{
    const char *t = skill->text;
    size_t len = skill->text_len;
    size_t pos = start;

    while (pos < len) {
        size_t end = sl__skill_line_end(t, len, pos);
        size_t i = pos;

        while (i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r')) {
            i++;
        }
        if (i < end || end == len) {
            break;
        }
        pos = end + 1;
    }
    while (len > pos && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r' ||
                         t[len - 1] == '\n')) {
        len--;
    }
    if (pos > len) {
        pos = len;
    }
    /* The copy is ours, so the body can end in a NUL; only trailing whitespace is lost. */
    if (len < skill->text_len) {
        skill->text_mut[len] = '\0';
    }
    skill->body.ptr = t + pos;
    skill->body.len = len - pos;
    skill->body_offset = pos;
    sl_locate(t, skill->text_len, pos, &skill->body_line, NULL);
}

/* ---------------------------------------------------------------- lenient reader --- */

static int sl__skill_is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static sl_value *sl__skill_new_string(sl_doc *doc, const char *s, size_t len, size_t offset,
                                      const sl_skill *skill)
{
    sl_value *v = sl_value_new_strn(doc, s, len);
    int line;
    int column;

    if (v != NULL) {
        sl_locate(skill->text, skill->text_len, offset, &line, &column);
        sl_value_set_position(v, offset, line, column);
    }
    return v;
}

/* Appends the continuation lines after `end` (indented or blank lines) to `out`, joined
 * with `sep`, and returns where the next top-level line starts. */
static size_t sl__skill_lenient_continue(const char *t, size_t len, size_t end, char sep,
                                         sl_buf *out)
{
    size_t pos = end < len ? end + 1 : len;

    while (pos < len) {
        size_t line_end = sl__skill_line_end(t, len, pos);
        size_t a = pos;
        size_t b = line_end;

        if (t[pos] != ' ' && t[pos] != '\t' && t[pos] != '\r' && t[pos] != '\n') {
            break;
        }
        while (a < b && (t[a] == ' ' || t[a] == '\t')) {
            a++;
        }
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r')) {
            b--;
        }
        if (b > a) {
            if (out->len > 0) {
                sl_buf_putc(out, sep);
            }
            sl_buf_append(out, t + a, b - a);
        }
        pos = line_end < len ? line_end + 1 : len;
    }
    return pos;
}

/* Reads top-level `key: value` lines of [start, end) as strings, the fallback for
 * frontmatter the YAML reader rejects (nearly always an unquoted `: ` in a description).
 * A value is the rest of the line, trimmed, with indented continuation lines joined; a
 * value fully wrapped in matching quotes loses them. A repeated key keeps the first.
 * Returns the document, or NULL when no key line was found or memory ran out (`*nomem`). */
static sl_doc *sl__skill_lenient(sl_skill *skill, size_t start, size_t end, int *nomem)
{
    const char *t = skill->text;
    sl_doc *doc = sl_doc_new(&skill->alloc);
    sl_value *root;
    sl_buf value;
    size_t pos = start;
    size_t keys = 0;

    *nomem = 0;
    root = doc != NULL ? sl_value_new_object(doc) : NULL;
    if (root == NULL) {
        sl_doc_free(doc);
        *nomem = 1;
        return NULL;
    }
    sl_doc_set_root(doc, root);
    sl_buf_init(&value, &skill->alloc);

    while (pos < end) {
        size_t line_end = sl__skill_line_end(t, end, pos);
        size_t k = pos;
        size_t v;
        size_t v_end = line_end;
        size_t next = line_end < end ? line_end + 1 : end;
        char sep = ' ';
        sl_value *key_value;
        sl_value *item;

        while (k < line_end && sl__skill_is_key_char(t[k])) {
            k++;
        }
        if (k == pos || k >= line_end || t[k] != ':' ||
            (k + 1 < line_end && t[k + 1] != ' ' && t[k + 1] != '\t' && t[k + 1] != '\r')) {
            pos = next;
            continue;
        }
        v = k + 1;
        while (v < v_end && (t[v] == ' ' || t[v] == '\t')) {
            v++;
        }
        while (v_end > v && (t[v_end - 1] == ' ' || t[v_end - 1] == '\t' ||
                             t[v_end - 1] == '\r')) {
            v_end--;
        }
        sl_buf_reset(&value);
        if (v_end > v && (t[v] == '|' || t[v] == '>')) {
            sep = t[v] == '|' ? '\n' : ' ';
            v = v_end;  /* a block scalar header; the text is on the next lines */
        } else if (v_end - v >= 2 && (t[v] == '"' || t[v] == '\'') && t[v_end - 1] == t[v]) {
            v++;
            v_end--;
        }
        sl_buf_append(&value, t + v, v_end - v);
        next = sl__skill_lenient_continue(t, end, line_end, sep, &value);
        if (value.failed) {
            break;
        }
        if (sl_value_getn(root, t + pos, k - pos) == NULL) {
            key_value = sl__skill_new_string(doc, t + pos, k - pos, pos, skill);
            item = sl__skill_new_string(doc, sl_buf_cstr(&value), value.len, v, skill);
            if (key_value == NULL || item == NULL ||
                sl_value_append(doc, root, key_value, item) != SL_OK) {
                value.failed = 1;
                break;
            }
            keys++;
        }
        pos = next;
    }
    if (value.failed) {
        *nomem = 1;
    }
    sl_buf_free(&value);
    if (*nomem || keys == 0) {
        sl_doc_free(doc);
        return NULL;
    }
    return doc;
}

/* ------------------------------------------------------------------- validation --- */

static const char *sl__skill_kind(const sl_value *v)
{
    switch (sl_value_kind(v)) {
    case SL_VALUE_NULL: return "empty";
    case SL_VALUE_BOOL: return "a boolean";
    case SL_VALUE_INT: return "an integer";
    case SL_VALUE_REAL: return "a number";
    case SL_VALUE_STRING: return "a string";
    case SL_VALUE_ARRAY: return "a list";
    case SL_VALUE_OBJECT: return "a mapping";
    }
    return "of unknown type";
}

/* Finds top-level member `key`; returns its value and stores its key node in `*key_node`
 * (both NULL when absent). */
static const sl_value *sl__skill_member(const sl_value *root, const char *key,
                                        const sl_value **key_node)
{
    size_t n = sl_value_count(root);
    size_t i;

    for (i = 0; i < n; i++) {
        const sl_value *k = sl_value_key_at(root, i);
        sl_str s = sl_value_str(k);

        if (s.len == strlen(key) && memcmp(s.ptr, key, s.len) == 0) {
            *key_node = k;
            return sl_value_at(root, i);
        }
    }
    *key_node = NULL;
    return NULL;
}

/* Returns the offset a diagnostic about a member points at: the value when it has a
 * position of its own (a null value from `key:` has none worth showing), else the key,
 * else the frontmatter's first line. */
static size_t sl__skill_where(const sl_skill *skill, const sl_value *key, const sl_value *v)
{
    if (v != NULL && sl_value_kind(v) != SL_VALUE_NULL && sl_value_line(v) >= 1) {
        return sl_value_offset(v);
    }
    if (key != NULL && sl_value_line(key) >= 1) {
        return sl_value_offset(key);
    }
    return skill->yaml_offset;
}

static int sl__skill_has_text(sl_str s)
{
    size_t i;

    for (i = 0; i < s.len; i++) {
        if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n' && s.ptr[i] != '\r') {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 for lowercase a-z, 0-9 and single inner hyphens. */
static int sl__skill_name_valid(sl_str s)
{
    size_t i;

    if (s.len == 0 || s.ptr[0] == '-' || s.ptr[s.len - 1] == '-') {
        return 0;
    }
    for (i = 0; i < s.len; i++) {
        char c = s.ptr[i];

        if (c == '-' && i > 0 && s.ptr[i - 1] == '-') {
            return 0;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* Writes the valid name closest to `s` into `out` (lowercased, other runs turned into one
 * hyphen, at most 64 characters) for the fix in a message. */
static void sl__skill_name_suggest(sl_str s, char out[SL__SKILL_NAME_MAX + 1])
{
    size_t n = 0;
    size_t i;
    int dash = 0;

    for (i = 0; i < s.len && n < SL__SKILL_NAME_MAX; i++) {
        char c = s.ptr[i];

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0) {
                out[n++] = '-';
                if (n == SL__SKILL_NAME_MAX) {
                    break;
                }
            }
            out[n++] = c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    /* A name cut at 64 characters ends at a word boundary when there is one. */
    if (i < s.len && memchr(out, '-', n) != NULL) {
        while (n > 0 && out[n - 1] != '-') {
            n--;
        }
    }
    while (n > 0 && out[n - 1] == '-') {
        n--;
    }
    out[n] = '\0';
}

static int sl__skill_check_name_field(sl_skill *skill, const char *dir_name)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "name", &key);
    sl_str s = sl_value_str(v);
    size_t at = sl__skill_where(skill, key, v);
    int have_dir = dir_name != NULL && dir_name[0] != '\0';
    int rc;

    if (sl_value_kind(v) != SL_VALUE_STRING || !sl__skill_has_text(s)) {
        const char *problem = v == NULL ? "missing"
                              : sl_value_kind(v) == SL_VALUE_STRING ? "empty"
                                                                    : sl__skill_kind(v);
        if (!have_dir) {
            return sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_NAME,
                                  SL_ESKILL_FIELD, at,
                                  "name is %s and no folder name is known; add a line "
                                  "such as `name: my-skill` to the frontmatter", problem);
        }
        skill->name = dir_name;
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_NAME, SL_OK, at,
                              "name is %s, so the folder name \"%s\" is used; add "
                              "`name: %s` to the frontmatter", problem, dir_name, dir_name);
    }
    skill->name = sl_value_cstr(v);

    if (sl__utf8_count(s.ptr, s.len) > SL__SKILL_NAME_MAX) {
        rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_NAME, SL_OK, at,
                            "name \"%.64s...\" has %zu characters; the maximum is 64",
                            s.ptr, sl__utf8_count(s.ptr, s.len));
        if (rc != SL_OK) {
            return rc;
        }
    }
    if (!sl__skill_name_valid(s)) {
        char suggestion[SL__SKILL_NAME_MAX + 1];

        sl__skill_name_suggest(s, suggestion);
        rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_NAME, SL_OK, at,
                            "name \"%.80s\" is not valid: use lowercase letters a-z, digits "
                            "and single hyphens, not at the start or end (e.g. \"%s\")",
                            s.ptr, suggestion[0] != '\0' ? suggestion : "my-skill");
        if (rc != SL_OK) {
            return rc;
        }
    }
    if (have_dir && strcmp(s.ptr, dir_name) != 0) {
        rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_NAME_DIR, SL_OK, at,
                            "name \"%.80s\" differs from the folder name \"%.80s\"; rename "
                            "the folder or the skill so they match", s.ptr, dir_name);
        if (rc != SL_OK) {
            return rc;
        }
    }
    return SL_OK;
}

static int sl__skill_check_description(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "description", &key);
    sl_str s = sl_value_str(v);
    size_t at = sl__skill_where(skill, key, v);
    size_t count;

    /* NOTE: a missing or empty description is a warning, not an error: the skill still
     * runs, and YAML readers accept such files, but an agent cannot choose the skill well
     * without one. */
    if (v == NULL) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_DESCRIPTION, SL_OK, at,
                              "description is missing; add `description:` saying what the "
                              "skill does and when to use it");
    }
    if (sl_value_kind(v) != SL_VALUE_STRING || !sl__skill_has_text(s)) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_DESCRIPTION, SL_OK, at,
                              "description is %s; write one string saying what the skill "
                              "does and when to use it",
                              sl_value_kind(v) != SL_VALUE_STRING ? sl__skill_kind(v)
                              : s.len == 0                        ? "empty"
                                                                  : "blank");
    }
    skill->description = sl_value_cstr(v);
    count = sl__utf8_count(s.ptr, s.len);
    if (count > SL__SKILL_DESCRIPTION_MAX) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_DESCRIPTION, SL_OK,
                              at, "description has %zu characters; the maximum is 1024, so "
                              "shorten it and move details into the body", count);
    }
    return SL_OK;
}

/* Checks that an optional member is a string; returns it as a C string or "". */
static int sl__skill_optional_string(sl_skill *skill, const char *field, int check,
                                     const char **out)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, field, &key);

    *out = "";
    if (key == NULL) {
        return SL_OK;
    }
    if (sl_value_kind(v) != SL_VALUE_STRING) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, check, SL_OK,
                              sl__skill_where(skill, key, v),
                              "%s is %s; write it as one string or remove it", field,
                              sl__skill_kind(v));
    }
    *out = sl_value_cstr(v);
    return SL_OK;
}

static int sl__skill_check_compatibility(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v;
    sl_str s;
    size_t count;
    int rc = sl__skill_optional_string(skill, "compatibility", SL_SKILL_CHECK_COMPATIBILITY,
                                       &skill->compatibility);

    if (rc != SL_OK || skill->compatibility[0] == '\0') {
        v = sl__skill_member(skill->frontmatter, "compatibility", &key);
        if (rc == SL_OK && sl_value_kind(v) == SL_VALUE_STRING) {
            rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_COMPATIBILITY,
                                SL_OK, sl__skill_where(skill, key, v),
                                "compatibility is empty; describe what the skill needs "
                                "(products, packages, network) or remove it");
        }
        return rc;
    }
    v = sl__skill_member(skill->frontmatter, "compatibility", &key);
    s = sl_value_str(v);
    count = sl__utf8_count(s.ptr, s.len);
    if (count > SL__SKILL_COMPATIBILITY_MAX) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_COMPATIBILITY, SL_OK,
                              sl_value_offset(v), "compatibility has %zu characters; the "
                              "maximum is 500", count);
    }
    return SL_OK;
}

static int sl__skill_check_metadata(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "metadata", &key);
    size_t i;
    int rc;

    if (key == NULL) {
        return SL_OK;
    }
    if (sl_value_kind(v) != SL_VALUE_OBJECT) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_METADATA, SL_OK,
                              sl__skill_where(skill, key, v),
                              "metadata is %s; write it as a mapping of names to strings",
                              sl__skill_kind(v));
    }
    skill->metadata = v;
    for (i = 0; i < sl_value_count(v); i++) {
        const sl_value *item = sl_value_at(v, i);
        const sl_value *item_key = sl_value_key_at(v, i);

        if (sl_value_kind(item) == SL_VALUE_STRING) {
            continue;
        }
        rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_METADATA, SL_OK,
                            sl__skill_where(skill, item_key, item),
                            "metadata value \"%.80s\" is %s; metadata maps names to strings, "
                            "so quote the value or move it to a top-level field",
                            sl_value_cstr(item_key), sl__skill_kind(item));
        if (rc != SL_OK) {
            return rc;
        }
    }
    return SL_OK;
}

static int sl__skill_check_allowed_tools(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "allowed-tools", &key);
    size_t at = sl__skill_where(skill, key, v);

    if (key == NULL || sl_value_kind(v) == SL_VALUE_STRING) {
        skill->allowed_tools = v;
        return SL_OK;
    }
    if (sl_value_kind(v) == SL_VALUE_ARRAY) {
        skill->allowed_tools = v;
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ALLOWED_TOOLS, SL_OK,
                              at, "allowed-tools is a list; it is accepted, but the "
                              "specification expects one space-separated string such as "
                              "`allowed-tools: Read Bash(git:*)`");
    }
    return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ALLOWED_TOOLS, SL_OK, at,
                          "allowed-tools is %s and is ignored; write one space-separated "
                          "string such as `allowed-tools: Read Bash(git:*)`",
                          sl__skill_kind(v));
}

/* Field names that real skills misspell, with the spelling readers look for. */
static const char *const sl__skill_misspellings[][2] = {
    { "user-invokable", "user-invocable" },
    { "allowed_tools", "allowed-tools" },
    { "allowedTools", "allowed-tools" },
    { "entry-point", "entry_point" },
    { "entrypoint", "entry_point" },
    { "entryPoint", "entry_point" },
    { "Name", "name" },
    { "Description", "description" },
};

static int sl__skill_check_spelling(sl_skill *skill)
{
    size_t n = sl_value_count(skill->frontmatter);
    size_t i;
    size_t j;
    int rc;

    for (i = 0; i < n; i++) {
        const sl_value *key = sl_value_key_at(skill->frontmatter, i);
        sl_str s = sl_value_str(key);

        for (j = 0; j < SL__ARRAY_LEN(sl__skill_misspellings); j++) {
            const char *wrong = sl__skill_misspellings[j][0];

            if (s.len != strlen(wrong) || memcmp(s.ptr, wrong, s.len) != 0) {
                continue;
            }
            rc = sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_SPELLING, SL_OK,
                                sl__skill_where(skill, key, NULL),
                                "field \"%s\" is not recognised; did you mean \"%s\"?", wrong,
                                sl__skill_misspellings[j][1]);
            if (rc != SL_OK) {
                return rc;
            }
        }
    }
    return SL_OK;
}

static const char *sl__skill_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');

    if (dot == NULL || (slash != NULL && dot < slash) || dot == path ||
        (slash != NULL && dot == slash + 1)) {
        return "";
    }
    return dot;
}

static sl_language sl__skill_language_from_extension(const char *path)
{
    const char *ext = sl__skill_extension(path);

    if (strcmp(ext, ".py") == 0) {
        return SL_LANGUAGE_PYTHON;
    }
    if (strcmp(ext, ".js") == 0 || strcmp(ext, ".mjs") == 0 || strcmp(ext, ".cjs") == 0) {
        return SL_LANGUAGE_NODE;
    }
    if (strcmp(ext, ".sh") == 0 || strcmp(ext, ".bash") == 0) {
        return SL_LANGUAGE_BASH;
    }
    return SL_LANGUAGE_UNKNOWN;
}

/* Returns 1 when `rel` is a relative path with no `..` component, no backslash and no
 * NUL, so that joining it to the skill folder cannot leave the folder lexically. */
static int sl__skill_relative_path_safe(sl_str rel)
{
    size_t i = 0;

    if (rel.len == 0 || rel.ptr[0] == '/' || memchr(rel.ptr, '\0', rel.len) != NULL ||
        memchr(rel.ptr, '\\', rel.len) != NULL) {
        return 0;
    }
    while (i < rel.len) {
        size_t start = i;

        while (i < rel.len && rel.ptr[i] != '/') {
            i++;
        }
        if (i - start == 2 && rel.ptr[start] == '.' && rel.ptr[start + 1] == '.') {
            return 0;
        }
        i++;
    }
    return 1;
}

/* Reads the declared `entry_point`; the folder checks happen in sl__skill_resolve_entry. */
static int sl__skill_check_entry_point(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "entry_point", &key);
    size_t at = sl__skill_where(skill, key, v);
    sl_str s = sl_value_str(v);

    if (key == NULL) {
        return SL_OK;
    }
    if (sl_value_kind(v) != SL_VALUE_STRING || s.len == 0) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ENTRY_POINT, SL_OK,
                              at, "entry_point is %s and is ignored; write a path relative "
                              "to the skill folder such as `scripts/main.py`",
                              sl_value_kind(v) == SL_VALUE_STRING ? "empty"
                                                                  : sl__skill_kind(v));
    }
    /* SECURITY: the entry point is executed, so a path that leaves the skill folder would
     * let a skill run any file the host can read. */
    if (!sl__skill_relative_path_safe(s)) {
        return sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_ENTRY_POINT,
                              SL_ESKILL_FIELD, at,
                              "entry_point \"%.200s\" leaves the skill folder; write a "
                              "relative path without `..` such as `scripts/main.py`", s.ptr);
    }
    skill->entry_point = sl_value_cstr(v);
    skill->language = sl__skill_language_from_extension(skill->entry_point);
    return SL_OK;
}

/* Runs every frontmatter check; returns SL_ENOMEM or SL_OK (findings become diagnostics). */
static int sl__skill_validate(sl_skill *skill, const char *dir_name)
{
    const sl_value *version;
    int rc;

    rc = sl__skill_check_name_field(skill, dir_name);
    if (rc == SL_OK) {
        rc = sl__skill_check_description(skill);
    }
    if (rc == SL_OK) {
        rc = sl__skill_optional_string(skill, "license", SL_SKILL_CHECK_LICENSE,
                                       &skill->license);
    }
    if (rc == SL_OK) {
        rc = sl__skill_check_compatibility(skill);
    }
    if (rc == SL_OK) {
        rc = sl__skill_check_metadata(skill);
    }
    if (rc == SL_OK) {
        rc = sl__skill_check_allowed_tools(skill);
    }
    if (rc == SL_OK) {
        rc = sl__skill_check_spelling(skill);
    }
    if (rc == SL_OK) {
        rc = sl__skill_check_entry_point(skill);
    }
    version = sl_value_get(skill->frontmatter, "version");
    if (sl_value_kind(version) != SL_VALUE_STRING) {
        version = sl_value_get(skill->metadata, "version");
    }
    if (sl_value_kind(version) == SL_VALUE_STRING) {
        skill->version = sl_value_cstr(version);
    }
    return rc;
}

/* ------------------------------------------------------------------------ parse --- */

static sl_skill *sl__skill_new(const sl_skill_options *opt)
{
    sl_allocator a = sl__allocator_resolve(opt != NULL ? opt->alloc : NULL);
    sl_skill *skill = (sl_skill *)sl__calloc(&a, 1, sizeof(sl_skill));

    if (skill == NULL) {
        return NULL;
    }
    skill->alloc = a;
    sl__arena_init(&skill->arena, &a);
    skill->name = "";
    skill->description = "";
    skill->license = "";
    skill->compatibility = "";
    skill->version = "";
    skill->entry_point = "";
    skill->entry_path = "";
    skill->dir = "";
    skill->md_path = "SKILL.md";
    skill->body.ptr = "";
    return skill;
}

SKILLLITE_API void sl_skill_free(sl_skill *skill)
{
    sl_allocator a;

    if (skill == NULL) {
        return;
    }
    a = skill->alloc;
    sl_doc_free(skill->doc);
    sl__free(&a, skill->diags, skill->diag_cap * sizeof(sl_diagnostic));
    sl__arena_free(&skill->arena);
    sl__free(&a, skill, sizeof(sl_skill));
}

/* ------------------------------------------------------------- quote and retry --- */

#define SL__SKILL_REPAIR_MAX 8

/* Bytes inserted by quoting values: `at` is where the value started, in the text as it
 * was right before that repair, and `added` how many bytes the repair inserted there. */
typedef struct sl__skill_repairs {
    size_t at[SL__SKILL_REPAIR_MAX];
    size_t added[SL__SKILL_REPAIR_MAX];
    int count;
} sl__skill_repairs;

/* Maps every value's offset in the repaired text back to the original SKILL.md. Quoting
 * inserts bytes but no line breaks, so lines and columns stay right and only offsets move.
 * Depth is bounded by the YAML reader's own nesting limit. */
static void sl__skill_unshift(sl_value *v, const sl__skill_repairs *r, size_t base)
{
    size_t n = sl_value_count(v);
    size_t i;
    int j;

    if (v == NULL) {
        return;
    }
    if (sl_value_offset(v) >= base) {
        size_t local = sl_value_offset(v) - base;

        for (j = r->count - 1; j >= 0; j--) {
            if (local > r->at[j]) {
                local -= r->added[j];
            }
        }
        sl_value_set_position(v, base + local, sl_value_line(v), sl_value_column(v));
    }
    for (i = 0; i < n; i++) {
        sl__skill_unshift(sl_value_key_at(v, i), r, base);
        sl__skill_unshift(sl_value_at(v, i), r, base);
    }
}

/* Rewrites the top-level line `key: plain value` around byte `at` of `in` as
 * `key: "value"` (escaping `\` and `"`) into `out`. Returns 1 and records the repair when
 * the line has that shape, 0 when it does not, SL_ENOMEM on allocation failure. */
static int sl__skill_quote_line(const sl_buf *in, size_t at, sl_buf *out, sl__skill_repairs *r)
{
    const char *t = in->data;
    size_t start = at;
    size_t end = at;
    size_t k;
    size_t v;
    size_t added = 2;

    while (start > 0 && t[start - 1] != '\n') {
        start--;
    }
    while (end < in->len && t[end] != '\n' && t[end] != '\r') {
        end++;
    }
    for (k = start; k < end && sl__skill_is_key_char(t[k]); k++) {
    }
    if (k == start || k + 1 >= end || t[k] != ':' || t[k + 1] != ' ') {
        return 0;
    }
    for (v = k + 1; v < end && t[v] == ' '; v++) {
    }
    if (v >= end || strchr("\"'[{|>&*!%@`#", t[v]) != NULL) {
        return 0;
    }
    while (end > v && (t[end - 1] == ' ' || t[end - 1] == '\t')) {
        end--;
    }

    sl_buf_reset(out);
    sl_buf_append(out, t, v);
    sl_buf_putc(out, '"');
    for (k = v; k < end; k++) {
        if (t[k] == '\\' || t[k] == '"') {
            sl_buf_putc(out, '\\');
            added++;
        }
        sl_buf_putc(out, t[k]);
    }
    sl_buf_putc(out, '"');
    sl_buf_append(out, t + end, in->len - end);
    if (out->failed) {
        return SL_ENOMEM;
    }
    r->at[r->count] = v;
    r->added[r->count] = added;
    r->count++;
    return 1;
}

/* Retries a frontmatter the YAML reader rejected after quoting the offending top-level
 * value, for up to SL__SKILL_REPAIR_MAX lines, as the Agent Skills client guide suggests
 * for the common `description: text with: a colon`. Returns the document with offsets in
 * SKILL.md coordinates, or NULL (with `*nomem` set when out of memory). */
static sl_doc *sl__skill_quote_retry(sl_skill *skill, const sl_yaml_options *opt,
                                     const sl_error *first, size_t start, size_t end,
                                     int *nomem)
{
    sl__skill_repairs repairs;
    sl_buf cur;
    sl_buf next;
    sl_error err = *first;
    sl_doc *doc = NULL;

    repairs.count = 0;
    sl_buf_init(&cur, &skill->alloc);
    sl_buf_init(&next, &skill->alloc);
    if (sl_buf_append(&cur, skill->text + start, end - start) != SL_OK) {
        *nomem = 1;
        return NULL;
    }

    while (doc == NULL && repairs.count < SL__SKILL_REPAIR_MAX && err.code != SL_ENOMEM &&
           err.offset >= opt->base_offset) {
        sl_buf swap;
        int rc = sl__skill_quote_line(&cur, err.offset - opt->base_offset, &next, &repairs);

        if (rc != 1) {
            *nomem = rc == SL_ENOMEM;
            break;
        }
        swap = cur;
        cur = next;
        next = swap;
        sl_error_clear(&err);
        doc = sl_yaml_parse(cur.data, cur.len, opt, &err);
    }
    if (doc == NULL && err.code == SL_ENOMEM) {
        *nomem = 1;
    }
    if (doc != NULL) {
        sl__skill_unshift(sl_doc_root(doc), &repairs, opt->base_offset);
    }
    sl_buf_free(&cur);
    sl_buf_free(&next);
    return doc;
}

/* Reads the frontmatter with the YAML reader, falling back to the lenient reader. */
static int sl__skill_read_frontmatter(sl_skill *skill, const sl__skill_split *sp, int flags)
{
    sl_yaml_options yopt;
    sl_error yerr;
    sl_doc *doc;
    int nomem = 0;
    const char *how = "";
    const sl_value *root;

    sl_yaml_options_init(&yopt);
    yopt.alloc = &skill->alloc;
    yopt.typed = 0;
    yopt.max_bytes = 0;  /* the whole file was already checked against max_bytes */
    yopt.base_offset = sp->yaml_start;
    sl_locate(skill->text, skill->text_len, sp->yaml_start, &yopt.base_line, NULL);
    sl_error_clear(&yerr);
    doc = sl_yaml_parse(skill->text + sp->yaml_start, sp->yaml_end - sp->yaml_start, &yopt,
                        &yerr);
    if (doc == NULL) {
        int yaml_code = yerr.code != SL_OK ? yerr.code : SL_EYAML_SYNTAX;

        if (yaml_code == SL_ENOMEM) {
            return SL_ENOMEM;
        }
        if ((flags & SL_SKILL_NO_LENIENT) == 0) {
            doc = sl__skill_quote_retry(skill, &yopt, &yerr, sp->yaml_start, sp->yaml_end,
                                        &nomem);
            how = "the value was read as if quoted";
            if (doc == NULL && !nomem) {
                doc = sl__skill_lenient(skill, sp->yaml_start, sp->yaml_end, &nomem);
                how = "top-level `key: value` lines were read instead";
            }
            if (nomem) {
                sl_doc_free(doc);
                return SL_ENOMEM;
            }
        }
        /* The YAML reader's message usually names the fix already; add the common one
         * (an unquoted ": " in a value) when it does not. */
        if (sl__skill_diag(skill, doc != NULL ? SL_SEVERITY_WARNING : SL_SEVERITY_ERROR,
                           SL_SKILL_CHECK_YAML, doc != NULL ? SL_OK : yaml_code,
                           yerr.offset, "invalid YAML in the frontmatter: %s%s; %s",
                           yerr.message,
                           strstr(yerr.message, "quote") != NULL
                               ? ""
                               : " (if a value contains \": \", quote it or use "
                                 "`description: >-` with the text on the next lines)",
                           doc != NULL ? how
                           : (flags & SL_SKILL_NO_LENIENT) != 0
                               ? "the line-based fallback is off (SL_SKILL_NO_LENIENT)"
                               : "no `key: value` line could be read either") !=
            SL_OK) {
            sl_doc_free(doc);
            return SL_ENOMEM;
        }
        if (doc == NULL) {
            return SL_OK;
        }
        skill->lenient = 1;
    }
    skill->doc = doc;
    root = sl_doc_root(doc);
    if (sl_value_kind(root) != SL_VALUE_OBJECT) {
        return sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_FRONTMATTER,
                              SL_ESKILL_FRONTMATTER,
                              root != NULL ? sl_value_offset(root) : sp->yaml_start,
                              "the frontmatter is %s, not a mapping; write `key: value` "
                              "lines such as `name: my-skill`",
                              root != NULL ? sl__skill_kind(root) : "empty");
    }
    skill->frontmatter = root;
    return SL_OK;
}

/* Parses skill->text into fields and diagnostics. Returns SL_OK or SL_ENOMEM; problems in
 * the text are diagnostics. */
static int sl__skill_parse_text(sl_skill *skill, const char *dir_name, int flags)
{
    sl__skill_split sp;
    size_t bad;
    int rc;

    if (sl__skill_split_text(skill, &sp) != SL_OK) {
        return skill->diag_count > 0 ? SL_OK : SL_ENOMEM;
    }
    rc = sl__skill_read_frontmatter(skill, &sp, flags);
    if (rc != SL_OK) {
        return rc;
    }
    if (skill->frontmatter != NULL) {
        rc = sl__skill_validate(skill, dir_name);
        if (rc != SL_OK) {
            return rc;
        }
    }
    sl__skill_set_body(skill, sp.body_start);
    if (!sl__utf8_valid(skill->body.ptr, skill->body.len, &bad)) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ENCODING, SL_OK,
                              skill->body_offset + bad,
                              "the body has an invalid UTF-8 byte here; save SKILL.md as "
                              "UTF-8");
    }
    return SL_OK;
}

/* Finishes a load or parse: decides the result, fills `err`, hands out or frees `skill`. */
static int sl__skill_finish(sl_skill *skill, int rc, int flags, sl_skill **out, sl_error *err)
{
    const sl_diagnostic *failure;

    if (rc != SL_OK) {
        sl_skill_free(skill);
        return sl__error(err, rc, "out of memory while loading SKILL.md");
    }
    failure = sl__skill_failure(skill, flags);
    if (failure == NULL) {
        sl_error_clear(err);
        *out = skill;
        return SL_OK;
    }
    rc = sl__skill_report(failure, err);
    if ((flags & SL_SKILL_KEEP_ON_ERROR) != 0) {
        *out = skill;
    } else {
        sl_skill_free(skill);
    }
    return rc;
}

/* Copies `len` bytes of SKILL.md into the skill's arena. */
static int sl__skill_set_text(sl_skill *skill, const char *text, size_t len)
{
    char *copy = sl__arena_strndup(&skill->arena, len > 0 ? text : "", len);

    if (copy == NULL) {
        return SL_ENOMEM;
    }
    skill->text = copy;
    skill->text_mut = copy;
    skill->text_len = len;
    return SL_OK;
}

SKILLLITE_API int sl_skill_parse(const char *text, size_t len, const char *dir_name,
                                 const sl_skill_options *opt, sl_skill **out, sl_error *err)
{
    sl_skill_options defaults;
    sl_skill *skill;
    const char *dir_copy = NULL;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || (text == NULL && len > 0)) {
        return sl__error(err, SL_EINVAL, "sl_skill_parse: `out` is NULL, or `text` is NULL "
                         "with a nonzero length");
    }
    if (opt == NULL) {
        sl_skill_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->max_bytes != 0 && len > opt->max_bytes) {
        return sl__error(err, SL_ELIMIT, "SKILL.md has %zu bytes, more than the limit of %zu "
                         "(sl_skill_options.max_bytes)", len, opt->max_bytes);
    }
    skill = sl__skill_new(opt);
    if (skill == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while loading SKILL.md");
    }
    rc = sl__skill_set_text(skill, text, len);
    if (rc == SL_OK && dir_name != NULL && dir_name[0] != '\0') {
        dir_copy = sl__arena_strndup(&skill->arena, dir_name, strlen(dir_name));
        rc = dir_copy != NULL ? SL_OK : SL_ENOMEM;
    }
    if (rc == SL_OK) {
        rc = sl__skill_parse_text(skill, dir_copy, opt->flags);
    }
    return sl__skill_finish(skill, rc, opt->flags, out, err);
}

/* ------------------------------------------------------------------ file system --- */

/* Joins `a` + "/" + `b` in the skill's arena. */
static char *sl__skill_join(sl__arena *arena, const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    char *p;

    while (la > 1 && a[la - 1] == '/') {
        la--;
    }
    if (la > SIZE_MAX - lb - 2) {
        return NULL;
    }
    p = (char *)sl__arena_alloc(arena, la + lb + 2);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb);
    p[la + 1 + lb] = '\0';
    return p;
}

static int sl__skill_is_regular(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int sl__skill_ascii_caseeq(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

        if (ca != cb) {
            return 0;
        }
        a++;
        b++;
    }
    return *a == *b;
}

/* Finds the SKILL.md of folder `dir`: `SKILL.md` when it is a regular file, else the
 * byte-wise smallest name equal to "skill.md" ignoring ASCII case. Writes the name into
 * `name` and returns 1, or returns 0. */
static int sl__skill_find_md(const char *dir, char name[16])
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *e;
    int found = 0;

    if (snprintf(path, sizeof(path), "%s/SKILL.md", dir) >= (int)sizeof(path)) {
        return 0;
    }
    if (sl__skill_is_regular(path)) {
        memcpy(name, "SKILL.md", 9);
        return 1;
    }
    d = opendir(dir);
    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        if (!sl__skill_ascii_caseeq(e->d_name, "skill.md") ||
            (found && strcmp(e->d_name, name) >= 0)) {
            continue;
        }
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path) &&
            sl__skill_is_regular(path)) {
            memcpy(name, e->d_name, 9);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

/* Reads the interpreter from a `#!` line: python, node or bash. */
static sl_language sl__skill_language_from_shebang(const char *path)
{
    char head[SL__SKILL_SHEBANG_MAX + 1];
    const char *p;
    const char *word;
    size_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t got;

    if (fd < 0) {
        return SL_LANGUAGE_UNKNOWN;
    }
    got = read(fd, head, SL__SKILL_SHEBANG_MAX);
    close(fd);
    if (got < 2 || head[0] != '#' || head[1] != '!') {
        return SL_LANGUAGE_UNKNOWN;
    }
    head[got] = '\0';
    head[strcspn(head, "\r\n")] = '\0';

    /* Take the last path segment of the first word; after `env`, the first non-option. */
    p = head + 2;
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        word = p;
        n = strcspn(p, " \t");
        if (n == 0) {
            return SL_LANGUAGE_UNKNOWN;
        }
        p += n;
        while (memchr(word, '/', n) != NULL) {
            const char *slash = (const char *)memchr(word, '/', n);

            n -= (size_t)(slash + 1 - word);
            word = slash + 1;
        }
        if ((n == 3 && memcmp(word, "env", 3) == 0) || (n > 0 && word[0] == '-')) {
            continue;
        }
        break;
    }
    if (n >= 6 && memcmp(word, "python", 6) == 0) {
        return SL_LANGUAGE_PYTHON;
    }
    if ((n == 4 && memcmp(word, "node", 4) == 0) || (n == 6 && memcmp(word, "nodejs", 6) == 0)) {
        return SL_LANGUAGE_NODE;
    }
    if ((n == 4 && memcmp(word, "bash", 4) == 0) || (n == 2 && memcmp(word, "sh", 2) == 0)) {
        return SL_LANGUAGE_BASH;
    }
    return SL_LANGUAGE_UNKNOWN;
}

static sl_language sl__skill_language_of(const char *path)
{
    sl_language lang = sl__skill_language_from_extension(path);

    return lang != SL_LANGUAGE_UNKNOWN ? lang : sl__skill_language_from_shebang(path);
}

/* Outcome of resolving a relative path inside the skill folder. */
enum { SL__ENTRY_OK, SL__ENTRY_MISSING, SL__ENTRY_NOT_FILE, SL__ENTRY_ESCAPES };

/* Resolves `rel` below the real skill folder and stores the real path in `*real_out`.
 * SECURITY: symlinks are resolved before the prefix check, so a link pointing outside the
 * folder is caught. The sandbox must still open the file it runs itself, because the
 * folder can change between this check and the run. */
static int sl__skill_resolve_inside(sl_skill *skill, const char *rel, const char **real_out)
{
    char resolved[PATH_MAX];
    const char *joined = sl__skill_join(&skill->arena, skill->dir, rel);
    size_t dir_len = strlen(skill->dir);
    struct stat st;

    *real_out = NULL;
    if (joined == NULL) {
        return SL_ENOMEM;
    }
    if (realpath(joined, resolved) == NULL) {
        return SL__ENTRY_MISSING;
    }
    if (strncmp(resolved, skill->dir, dir_len) != 0 ||
        (resolved[dir_len] != '/' && strcmp(skill->dir, "/") != 0)) {
        return SL__ENTRY_ESCAPES;
    }
    if (stat(resolved, &st) != 0 || !S_ISREG(st.st_mode)) {
        return SL__ENTRY_NOT_FILE;
    }
    *real_out = sl__arena_strndup(&skill->arena, resolved, strlen(resolved));
    return *real_out != NULL ? SL__ENTRY_OK : SL_ENOMEM;
}

static const char *const sl__skill_script_extensions[] = {
    ".py", ".js", ".mjs", ".cjs", ".sh", ".bash"
};

/* Returns 1 when scripts/NAME looks like a runnable script: a known extension or a
 * recognised `#!` line. */
static int sl__skill_is_script(const char *scripts_dir, const char *name)
{
    char path[PATH_MAX];

    if (name[0] == '.') {
        return 0;
    }
    if (sl__skill_language_from_extension(name) != SL_LANGUAGE_UNKNOWN) {
        return 1;
    }
    if (snprintf(path, sizeof(path), "%s/%s", scripts_dir, name) >= (int)sizeof(path)) {
        return 0;
    }
    return sl__skill_is_regular(path) &&
           sl__skill_language_from_shebang(path) != SL_LANGUAGE_UNKNOWN;
}

/* Picks scripts/main.*, then scripts/index.*, then the only script in scripts/. Stores
 * the relative path in the arena, or NULL when there is no candidate; then `other`
 * receives "a.py, b.py" when scripts/ has several scripts and none is the obvious one. */
static int sl__skill_find_default_entry(sl_skill *skill, const char **rel_out, char *other,
                                        size_t other_size)
{
    static const char *const stems[] = { "main", "index" };
    char rel[64];
    char only[sizeof(((struct dirent *)0)->d_name) + 16];
    const char *scripts_dir;
    size_t i;
    size_t j;
    size_t count = 0;
    DIR *d;
    struct dirent *e;

    *rel_out = NULL;
    other[0] = '\0';
    for (i = 0; i < SL__ARRAY_LEN(stems); i++) {
        for (j = 0; j < SL__ARRAY_LEN(sl__skill_script_extensions); j++) {
            const char *full;

            snprintf(rel, sizeof(rel), "scripts/%s%s", stems[i], sl__skill_script_extensions[j]);
            full = sl__skill_join(&skill->arena, skill->dir, rel);
            if (full == NULL) {
                return SL_ENOMEM;
            }
            if (sl__skill_is_regular(full)) {
                *rel_out = sl__arena_strndup(&skill->arena, rel, strlen(rel));
                return *rel_out != NULL ? SL_OK : SL_ENOMEM;
            }
        }
    }

    scripts_dir = sl__skill_join(&skill->arena, skill->dir, "scripts");
    if (scripts_dir == NULL) {
        return SL_ENOMEM;
    }
    d = opendir(scripts_dir);
    if (d == NULL) {
        return SL_OK;
    }
    while ((e = readdir(d)) != NULL && count < 3) {
        if (sl__skill_is_script(scripts_dir, e->d_name)) {
            size_t used = strlen(other);

            snprintf(only, sizeof(only), "scripts/%s", e->d_name);
            snprintf(other + used, other_size - used, "%s%.100s", used > 0 ? ", " : "",
                     count < 2 ? e->d_name : "...");
            count++;
        }
    }
    closedir(d);
    if (count < 2) {
        other[0] = '\0';
    }
    if (count == 1) {
        *rel_out = sl__arena_strndup(&skill->arena, only, strlen(only));
        return *rel_out != NULL ? SL_OK : SL_ENOMEM;
    }
    return SL_OK;
}

/* Resolves the entry point of a loaded skill; findings become diagnostics. */
static int sl__skill_resolve_entry(sl_skill *skill)
{
    const sl_value *key;
    const sl_value *v = sl__skill_member(skill->frontmatter, "entry_point", &key);
    size_t at = sl__skill_where(skill, key, v);
    int declared = skill->entry_point[0] != '\0';
    const char *rel = skill->entry_point;
    const char *real = NULL;
    int rc;

    if (!declared && key != NULL) {
        return SL_OK;  /* a declared entry_point that was rejected is not replaced by a guess */
    }
    if (!declared) {
        char several[256];

        rc = sl__skill_find_default_entry(skill, &rel, several, sizeof(several));
        if (rc == SL_OK && rel == NULL && several[0] != '\0') {
            return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ENTRY_POINT,
                                  SL_OK, skill->yaml_offset,
                                  "no entry point: scripts/ has several scripts (%s) and "
                                  "none is named main or index; set `entry_point:` to the "
                                  "one to run", several);
        }
        if (rc != SL_OK || rel == NULL) {
            return rc;
        }
        at = skill->yaml_offset;
    }
    rc = sl__skill_resolve_inside(skill, rel, &real);
    if (rc == SL_ENOMEM) {
        return rc;
    }
    if (rc == SL__ENTRY_ESCAPES) {
        skill->entry_point = "";
        skill->language = SL_LANGUAGE_UNKNOWN;
        return sl__skill_diag(skill, SL_SEVERITY_ERROR, SL_SKILL_CHECK_ENTRY_POINT,
                              SL_ESKILL_FIELD, at,
                              "entry point \"%.200s\" is a symlink that leads out of the skill "
                              "folder; replace it with the script itself", rel);
    }
    if (rc != SL__ENTRY_OK) {
        skill->entry_point = "";
        skill->language = SL_LANGUAGE_UNKNOWN;
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_ENTRY_POINT, SL_OK,
                              at, "entry_point \"%.200s\" %s; fix the path or remove the field",
                              rel, rc == SL__ENTRY_MISSING ? "does not exist"
                                                           : "is not a regular file");
    }
    skill->entry_point = rel;
    skill->entry_path = real;
    skill->language = sl__skill_language_of(real);
    if (skill->language == SL_LANGUAGE_UNKNOWN) {
        return sl__skill_diag(skill, SL_SEVERITY_WARNING, SL_SKILL_CHECK_LANGUAGE, SL_OK, at,
                              "the language of entry point \"%.200s\" is not recognised; use "
                              "a .py, .js, .mjs, .cjs, .sh or .bash file or a `#!` line for "
                              "python, node or bash", rel);
    }
    return SL_OK;
}

/* Returns the folder name to validate against: the last component of `dir` as given (so
 * a symlinked skill folder is checked by the name the user typed), or of `real` for "." and
 * "..". */
static const char *sl__skill_dir_name(sl__arena *arena, const char *dir, const char *real)
{
    size_t end = strlen(dir);
    size_t start;

    while (end > 0 && dir[end - 1] == '/') {
        end--;
    }
    start = end;
    while (start > 0 && dir[start - 1] != '/') {
        start--;
    }
    if (end == start || (end - start == 1 && dir[start] == '.') ||
        (end - start == 2 && dir[start] == '.' && dir[start + 1] == '.')) {
        const char *slash = strrchr(real, '/');

        dir = slash != NULL ? slash + 1 : real;
        start = 0;
        end = strlen(dir);
    }
    return sl__arena_strndup(arena, dir + start, end - start);
}

SKILLLITE_API int sl_skill_load(const char *dir, const sl_skill_options *opt, sl_skill **out,
                                sl_error *err)
{
    sl_skill_options defaults;
    char real[PATH_MAX];
    char md_name[16];
    struct stat st;
    sl_skill *skill;
    const char *dir_name;
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (dir == NULL || out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_skill_load: `dir` and `out` must not be NULL");
    }
    if (opt == NULL) {
        sl_skill_options_init(&defaults);
        opt = &defaults;
    }
    if (realpath(dir, real) == NULL || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return sl__error(err, SL_ENOTFOUND, "skill folder '%s' does not exist or is not a "
                         "folder", dir);
    }
    if (!sl__skill_find_md(real, md_name)) {
        return sl__error(err, SL_ESKILL_NOT_SKILL, "folder '%s' has no SKILL.md; a skill "
                         "folder needs a SKILL.md file with name and description", dir);
    }
    skill = sl__skill_new(opt);
    if (skill == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while loading SKILL.md");
    }
    skill->dir = sl__arena_strndup(&skill->arena, real, strlen(real));
    skill->md_path = skill->dir != NULL ? sl__skill_join(&skill->arena, real, md_name) : NULL;
    dir_name = sl__skill_dir_name(&skill->arena, dir, real);
    if (skill->dir == NULL || skill->md_path == NULL || dir_name == NULL) {
        sl_skill_free(skill);
        return sl__error(err, SL_ENOMEM, "out of memory while loading SKILL.md");
    }

    rc = sl_file_read(skill->md_path, opt->max_bytes != 0 ? opt->max_bytes : SIZE_MAX - 1,
                      &skill->alloc, &data, &len, err);
    if (rc != SL_OK) {
        sl_skill_free(skill);
        return rc;
    }
    rc = sl__skill_set_text(skill, data, len);
    sl__free(&skill->alloc, data, len + 1);
    if (rc == SL_OK) {
        rc = sl__skill_parse_text(skill, dir_name, opt->flags);
    }
    if (rc == SL_OK && skill->frontmatter != NULL) {
        rc = sl__skill_resolve_entry(skill);
    }
    return sl__skill_finish(skill, rc, opt->flags, out, err);
}

/* -------------------------------------------------------------------- accessors --- */

/* Returns `s`, or "" for a NULL skill or an unset field, so accessors never return NULL. */
static const char *sl__skill_cstr(const sl_skill *skill, const char *s)
{
    return skill != NULL && s != NULL ? s : "";
}

SKILLLITE_API const char *sl_skill_name(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->name : NULL);
}

SKILLLITE_API const char *sl_skill_description(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->description : NULL);
}

SKILLLITE_API const char *sl_skill_license(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->license : NULL);
}

SKILLLITE_API const char *sl_skill_compatibility(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->compatibility : NULL);
}

/* Returns 1 when one of `words` ends right before `at` in `text`, ignoring ASCII case and
 * the spaces in between. */
static int sl__skill_negated(const char *text, size_t at)
{
    static const char *const words[] = { "no", "without", "offline", "not need", NULL };
    size_t end = at;
    int i;

    while (end > 0 && text[end - 1] == ' ') {
        end--;
    }
    for (i = 0; words[i] != NULL; i++) {
        size_t n = strlen(words[i]);

        if (end >= n && strncasecmp(text + end - n, words[i], n) == 0 &&
            (end == n || text[end - n - 1] == ' ' || text[end - n - 1] == ',' ||
             text[end - n - 1] == '(')) {
            return 1;
        }
    }
    return 0;
}

SKILLLITE_API int sl_skill_wants_network(const sl_skill *skill)
{
    static const char *const needles[] = { "network", "internet", "\xe7\xbd\x91\xe7\xbb\x9c",
                                           "\xe8\x81\x94\xe7\xbd\x91", NULL };
    const char *text = sl_skill_compatibility(skill);
    size_t len = strlen(text);
    size_t at;
    int i;

    for (at = 0; at < len; at++) {
        for (i = 0; needles[i] != NULL; i++) {
            size_t n = strlen(needles[i]);

            if (len - at >= n && strncasecmp(text + at, needles[i], n) == 0 &&
                !sl__skill_negated(text, at)) {
                return 1;
            }
        }
    }
    return 0;
}

SKILLLITE_API const char *sl_skill_version(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->version : NULL);
}

SKILLLITE_API const char *sl_skill_entry_point(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->entry_point : NULL);
}

SKILLLITE_API const char *sl_skill_entry_path(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->entry_path : NULL);
}

SKILLLITE_API const char *sl_skill_dir(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->dir : NULL);
}

SKILLLITE_API const char *sl_skill_md_path(const sl_skill *skill)
{
    return sl__skill_cstr(skill, skill != NULL ? skill->md_path : NULL);
}

SKILLLITE_API sl_language sl_skill_language(const sl_skill *skill)
{
    return skill != NULL ? skill->language : SL_LANGUAGE_UNKNOWN;
}

SKILLLITE_API const sl_value *sl_skill_frontmatter(const sl_skill *skill)
{
    return skill != NULL ? skill->frontmatter : NULL;
}

SKILLLITE_API const sl_value *sl_skill_metadata(const sl_skill *skill)
{
    return skill != NULL ? skill->metadata : NULL;
}

SKILLLITE_API const sl_value *sl_skill_allowed_tools(const sl_skill *skill)
{
    return skill != NULL ? skill->allowed_tools : NULL;
}

SKILLLITE_API int sl_skill_is_lenient(const sl_skill *skill)
{
    return skill != NULL ? skill->lenient : 0;
}

SKILLLITE_API sl_str sl_skill_body(const sl_skill *skill)
{
    sl_str empty = { "", 0 };

    return skill != NULL ? skill->body : empty;
}

SKILLLITE_API size_t sl_skill_body_offset(const sl_skill *skill)
{
    return skill != NULL ? skill->body_offset : 0;
}

SKILLLITE_API int sl_skill_body_line(const sl_skill *skill)
{
    return skill != NULL ? skill->body_line : 0;
}

SKILLLITE_API size_t sl_skill_diagnostic_count(const sl_skill *skill)
{
    return skill != NULL ? skill->diag_count : 0;
}

SKILLLITE_API const sl_diagnostic *sl_skill_diagnostic_at(const sl_skill *skill, size_t index)
{
    return skill != NULL && index < skill->diag_count ? &skill->diags[index] : NULL;
}

/* -------------------------------------------------------------------- discovery --- */

static int sl__skill_list_push(sl_skill_dir_list *list, const char *path, size_t len)
{
    char *copy;

    if (list->count == list->cap) {
        size_t cap = list->cap == 0 ? 16 : list->cap * 2;
        char **grown;

        if (cap > SIZE_MAX / sizeof(char *)) {
            return SL_ENOMEM;
        }
        grown = (char **)sl__realloc(&list->alloc, list->items, list->cap * sizeof(char *),
                                     cap * sizeof(char *));
        if (grown == NULL) {
            return SL_ENOMEM;
        }
        list->items = grown;
        list->cap = cap;
    }
    copy = sl__strndup(&list->alloc, path, len);
    if (copy == NULL) {
        return SL_ENOMEM;
    }
    list->items[list->count++] = copy;
    return SL_OK;
}

SKILLLITE_API void sl_skill_dir_list_free(sl_skill_dir_list *list)
{
    sl_allocator a;
    size_t i;

    if (list == NULL) {
        return;
    }
    a = list->alloc;
    for (i = 0; i < list->count; i++) {
        sl__free(&a, list->items[i], strlen(list->items[i]) + 1);
    }
    sl__free(&a, list->items, list->cap * sizeof(char *));
    sl__free(&a, list, sizeof(*list));
}

SKILLLITE_API size_t sl_skill_dir_list_count(const sl_skill_dir_list *list)
{
    return list != NULL ? list->count : 0;
}

SKILLLITE_API const char *sl_skill_dir_list_at(const sl_skill_dir_list *list, size_t index)
{
    return list != NULL && index < list->count ? list->items[index] : NULL;
}

static int sl__skill_path_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct sl__skill_walk {
    sl_skill_dir_list *list;
    size_t dirs;
    size_t max_dirs;
    sl_error *err;
} sl__skill_walk;

/* Examines the folders in `dir`; a skill folder is added, any other is searched `depth`
 * more levels. `path` is a buffer holding `dir` and is restored before returning. */
static int sl__skill_walk_dir(sl__skill_walk *w, sl_buf *path, int depth)
{
    size_t base = path->len;
    DIR *d = opendir(sl_buf_cstr(path));
    struct dirent *e;
    int rc = SL_OK;

    if (d == NULL) {
        return SL_OK;  /* an unreadable subfolder contains no skill we could load */
    }
    while (rc == SL_OK && (e = readdir(d)) != NULL) {
        struct stat st;
        char md_name[16];

        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0) {
            continue;
        }
        path->len = base;
        if (base == 0 || path->data[base - 1] != '/') {
            sl_buf_putc(path, '/');
        }
        sl_buf_append_str(path, e->d_name);
        if (path->failed) {
            rc = SL_ENOMEM;
            break;
        }
        /* lstat: a symlinked folder is not followed, so a link cannot pull in a tree
         * outside the root or form a cycle. */
        if (lstat(sl_buf_cstr(path), &st) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        if (++w->dirs > w->max_dirs) {
            rc = sl__error(w->err, SL_ELIMIT, "more than %zu folders below the skills root; "
                           "raise sl_skill_options.max_dirs or pick a narrower root",
                           w->max_dirs);
            break;
        }
        if (sl__skill_find_md(sl_buf_cstr(path), md_name)) {
            rc = sl__skill_list_push(w->list, path->data, path->len);
        } else if (depth > 0) {
            rc = sl__skill_walk_dir(w, path, depth - 1);
        }
    }
    closedir(d);
    path->len = base;
    if (path->data != NULL) {
        path->data[base] = '\0';
    }
    return rc;
}

SKILLLITE_API int sl_skill_discover(const char *root, const sl_skill_options *opt,
                                    sl_skill_dir_list **out, sl_error *err)
{
    sl_allocator a;
    sl_skill_dir_list *list;
    sl__skill_walk walk;
    sl_buf path;
    struct stat st;
    char md_name[16];
    size_t root_len;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (root == NULL || out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_skill_discover: `root` and `out` must not be "
                         "NULL");
    }
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return sl__error(err, SL_ENOTFOUND, "skills root '%s' does not exist or is not a "
                         "folder", root);
    }
    a = sl__allocator_resolve(opt != NULL ? opt->alloc : NULL);
    list = (sl_skill_dir_list *)sl__calloc(&a, 1, sizeof(*list));
    if (list == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while discovering skills");
    }
    list->alloc = a;

    root_len = strlen(root);
    while (root_len > 1 && root[root_len - 1] == '/') {
        root_len--;
    }
    sl_buf_init(&path, &list->alloc);
    sl_buf_append(&path, root, root_len);
    if (path.failed) {
        rc = SL_ENOMEM;
    } else if (sl__skill_find_md(sl_buf_cstr(&path), md_name)) {
        rc = sl__skill_list_push(list, path.data, path.len);
    } else {
        walk.list = list;
        walk.dirs = 0;
        walk.max_dirs = opt != NULL && opt->max_dirs != 0 ? opt->max_dirs
                                                          : SL__SKILL_MAX_DIRS_DEFAULT;
        walk.err = err;
        rc = sl__skill_walk_dir(&walk, &path, 1);
    }
    sl_buf_free(&path);
    if (rc != SL_OK) {
        sl_skill_dir_list_free(list);
        if (rc == SL_ENOMEM) {
            sl__error(err, rc, "out of memory while discovering skills");
        }
        return rc;
    }
    if (list->count > 1) {
        qsort(list->items, list->count, sizeof(char *), sl__skill_path_cmp);
    }
    sl_error_clear(err);
    *out = list;
    return SL_OK;
}
