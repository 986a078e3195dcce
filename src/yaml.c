/* ======================================================================== yaml ===
 *
 * A line scanner for block structure plus recursive descent for nodes. Block-context
 * functions share one invariant. When a node parser returns SL_OK, `pos` is at the first
 * character of the next content line (blank and comment lines skipped), and `indent` is
 * that line's indentation, or -1 at the end of input or at a document marker. Indentation
 * is counted in bytes, which equals columns because only spaces (and the ASCII `- `
 * indicator of compact nodes) can precede it.
 */

#include <locale.h>
#include <math.h>

typedef struct sl__yaml_slot {
    const sl_value *map;
    const sl_value *key;
} sl__yaml_slot;

typedef struct sl__yaml {
    const char *text;
    size_t len;
    size_t pos;
    size_t line_start;   /* offset of the first byte of the line holding `pos` */
    int indent;          /* indentation of the current content line; -1 at the end */
    sl_doc *doc;
    sl_error *err;
    sl_allocator alloc;
    sl_buf buf;          /* scratch for the scalar being read */
    int typed;
    int max_depth;
    int allow_duplicates;
    size_t base_offset;
    int base_line;
    size_t mark_off;     /* position cache: line and column of byte `mark_off` */
    int mark_line;
    int mark_col;
    sl__yaml_slot *slots; /* open-addressing set of (mapping, key) for duplicate checks */
    size_t slot_cap;
    size_t slot_count;
    const char *key;     /* key whose value is being read, for error messages */
    size_t key_len;
} sl__yaml;

/* Source position of a node that is created later than its text is seen. */
typedef struct sl__yaml_mark {
    size_t off;
    int line;
    int col;
} sl__yaml_mark;

enum { SL__YAML_EOL, SL__YAML_COMMENT, SL__YAML_COLON, SL__YAML_FLOW };

SKILLLITE_API void sl_yaml_options_init(sl_yaml_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->typed = 0;
    opt->max_depth = 64;
    opt->max_bytes = (size_t)1 << 20;
    opt->allow_duplicate_keys = 0;
    opt->base_offset = 0;
    opt->base_line = 1;
}

/* ------------------------------------------------------------- characters, lines --- */

static unsigned char sl__yaml_ch(const sl__yaml *p, size_t off)
{
    return off < p->len ? (unsigned char)p->text[off] : 0;
}

static int sl__yaml_is_ws(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int sl__yaml_is_break(unsigned char c)
{
    return c == '\n' || c == '\r';
}

/* White space, a line break or the end of input (the input contains no NUL bytes). */
static int sl__yaml_is_blankz(unsigned char c)
{
    return c == 0 || sl__yaml_is_ws(c) || sl__yaml_is_break(c);
}

static int sl__yaml_is_flow_indicator(unsigned char c)
{
    return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

/* Consumes one line break (CRLF, LF or a lone CR) at `pos`. */
static void sl__yaml_eat_break(sl__yaml *p)
{
    if (sl__yaml_ch(p, p->pos) == '\r') {
        p->pos++;
    }
    if (sl__yaml_ch(p, p->pos) == '\n') {
        p->pos++;
    }
    p->line_start = p->pos;
}

static void sl__yaml_skip_to_break(sl__yaml *p)
{
    while (p->pos < p->len && !sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
        p->pos++;
    }
}

/* A `---` or `...` line at column 1 starts or ends a document. */
static int sl__yaml_is_doc_marker(const sl__yaml *p, size_t off)
{
    unsigned char c = sl__yaml_ch(p, off);

    if (c != '-' && c != '.') {
        return 0;
    }
    return sl__yaml_ch(p, off + 1) == c && sl__yaml_ch(p, off + 2) == c &&
           sl__yaml_is_blankz(sl__yaml_ch(p, off + 3));
}

/* Computes the 1-based line and column (in code points) of `off`. Nodes are placed in
 * increasing order, so the cache makes placing every node linear in the input size. */
static void sl__yaml_locate(sl__yaml *p, size_t off, int *line, int *col)
{
    size_t i;

    if (off < p->mark_off) {
        p->mark_off = 0;
        p->mark_line = 1;
        p->mark_col = 1;
    }
    for (i = p->mark_off; i < off && i < p->len; i++) {
        unsigned char c = (unsigned char)p->text[i];

        if (c == '\n' || (c == '\r' && sl__yaml_ch(p, i + 1) != '\n')) {
            p->mark_line++;
            p->mark_col = 1;
        } else if ((c & 0xC0) != 0x80 && c != '\r') {
            p->mark_col++;
        }
    }
    p->mark_off = off;
    *line = p->mark_line;
    *col = p->mark_col;
}

/* Line number of `off` as reported to the caller. */
static int sl__yaml_line_of(sl__yaml *p, size_t off)
{
    int line;
    int col;

    sl__yaml_locate(p, off, &line, &col);
    return p->base_line - 1 + line;
}

static sl__yaml_mark sl__yaml_mark_at(sl__yaml *p, size_t off)
{
    sl__yaml_mark m;

    m.off = off;
    sl__yaml_locate(p, off, &m.line, &m.col);
    return m;
}

static void sl__yaml_place_mark(const sl__yaml *p, sl_value *v, sl__yaml_mark m)
{
    sl_value_set_position(v, p->base_offset + m.off, p->base_line - 1 + m.line, m.col);
}

static void sl__yaml_place(sl__yaml *p, sl_value *v, size_t off)
{
    sl__yaml_place_mark(p, v, sl__yaml_mark_at(p, off));
}

/* ----------------------------------------------------------------------- errors --- */

static int sl__yaml_fail(sl__yaml *p, int code, size_t off, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Fills the error with `code` at byte `off` of the text, with the base offsets applied. */
static int sl__yaml_fail(sl__yaml *p, int code, size_t off, const char *fmt, ...)
{
    char message[SL_ERROR_MESSAGE_MAX];
    va_list ap;
    int line;
    int col;

    if (p->err == NULL) {
        return code;
    }
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    sl__error(p->err, code, "%s", message);
    sl__yaml_locate(p, off, &line, &col);
    p->err->offset = p->base_offset + off;
    p->err->line = p->base_line - 1 + line;
    p->err->column = col;
    return code;
}

/* Length of `s` cut to at most `max` bytes on a UTF-8 character boundary, for quoting
 * input in messages. */
static int sl__yaml_clip(const char *s, size_t len, size_t max)
{
    if (len <= max) {
        return (int)len;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) {
        max--;
    }
    return (int)max;
}

/* Length of the line text starting at `off`, clipped for a message. */
static int sl__yaml_line_excerpt(const sl__yaml *p, size_t off)
{
    size_t end = off;

    while (end < p->len && !sl__yaml_is_break(sl__yaml_ch(p, end))) {
        end++;
    }
    return sl__yaml_clip(p->text + off, end - off, 40);
}

static int sl__yaml_oom(sl__yaml *p)
{
    return sl__error(p->err, SL_ENOMEM, "out of memory while parsing YAML");
}

/* Rejects input that is not UTF-8 or contains control characters YAML does not allow. */
static int sl__yaml_check_text(sl__yaml *p)
{
    size_t bad = 0;
    size_t i;

    if (!sl__utf8_valid(p->text, p->len, &bad)) {
        return sl__yaml_fail(p, SL_EYAML_UTF8, bad,
                             "invalid UTF-8 byte 0x%02X; save the text as UTF-8",
                             (unsigned)(unsigned char)p->text[bad]);
    }
    for (i = 0; i < p->len; i++) {
        unsigned char c = (unsigned char)p->text[i];

        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            return sl__yaml_fail(p, SL_EYAML_SYNTAX, i,
                                 "control character U+%04X is not allowed in YAML; remove it "
                                 "or write it as an escape in a double-quoted string",
                                 (unsigned)c);
        }
    }
    return SL_OK;
}

/* ------------------------------------------------------------------ line scanner --- */

/* Moves from the start of a line to the first content line at or after it, skipping
 * blank and comment lines, and sets `indent`. */
static int sl__yaml_scan_lines(sl__yaml *p)
{
    for (;;) {
        size_t start = p->pos;
        size_t tab = SIZE_MAX;
        unsigned char c;

        p->line_start = start;
        while (sl__yaml_ch(p, p->pos) == ' ') {
            p->pos++;
        }
        if (p->pos - start > (size_t)INT_MAX / 2) {
            return sl__yaml_fail(p, SL_ELIMIT, p->pos, "indentation is too deep");
        }
        while (sl__yaml_is_ws(c = sl__yaml_ch(p, p->pos))) {
            tab = tab == SIZE_MAX && c == '\t' ? p->pos : tab;
            p->pos++;
        }

        if (c == 0) {
            p->indent = -1;
            return SL_OK;
        }
        if (sl__yaml_is_break(c)) {
            sl__yaml_eat_break(p);
            continue;
        }
        if (c == '#') {
            sl__yaml_skip_to_break(p);
            continue;
        }

        if (tab != SIZE_MAX) {
            return sl__yaml_fail(p, SL_EYAML_TAB, tab,
                                 "a tab is used as indentation; YAML indents with spaces "
                                 "only, so replace the tab with spaces");
        }
        p->indent = (int)(p->pos - start);
        if (p->indent == 0 && sl__yaml_is_doc_marker(p, p->pos)) {
            p->indent = -1;
        }
        return SL_OK;
    }
}

/* Ends the line after a node: allows white space and a comment, then scans to the next
 * content line. `node_name` names the node in the message about stray text. */
static int sl__yaml_end_line(sl__yaml *p, const char *node_name)
{
    int spaced = p->pos == p->line_start;
    unsigned char c;

    while (sl__yaml_is_ws(c = sl__yaml_ch(p, p->pos))) {
        p->pos++;
        spaced = 1;
    }
    if (c == '#' && spaced) {
        sl__yaml_skip_to_break(p);
        c = sl__yaml_ch(p, p->pos);
    }

    if (c == 0) {
        p->indent = -1;
        return SL_OK;
    }
    if (sl__yaml_is_break(c)) {
        sl__yaml_eat_break(p);
        return sl__yaml_scan_lines(p);
    }

    if (c == ':') {
        return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                             "unexpected ':' after the %s; a mapping key must be a plain or "
                             "quoted scalar on its own line, so quote the whole value",
                             node_name);
    }
    return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                         "unexpected text \"%.*s\" after the %s; quote the whole value "
                         "or move the text to the next line",
                         sl__yaml_line_excerpt(p, p->pos), p->text + p->pos, node_name);
}

/* ----------------------------------------------------------------- duplicate keys --- */

static size_t sl__yaml_hash(const sl_value *map, sl_str key)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < key.len; i++) {
        h = (h ^ (unsigned char)key.ptr[i]) * 1099511628211ULL;
    }
    h ^= (uint64_t)(uintptr_t)map * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 29));
}

static int sl__yaml_slots_grow(sl__yaml *p)
{
    size_t cap = p->slot_cap == 0 ? 64 : p->slot_cap * 2;
    sl__yaml_slot *slots;
    size_t i;

    if (cap > SIZE_MAX / 2 / sizeof(sl__yaml_slot)) {
        return SL_ENOMEM;
    }
    slots = (sl__yaml_slot *)sl__calloc(&p->alloc, cap, sizeof(sl__yaml_slot));
    if (slots == NULL) {
        return SL_ENOMEM;
    }
    for (i = 0; i < p->slot_cap; i++) {
        if (p->slots[i].map != NULL) {
            size_t j = sl__yaml_hash(p->slots[i].map, sl_value_str(p->slots[i].key)) & (cap - 1);

            while (slots[j].map != NULL) {
                j = (j + 1) & (cap - 1);
            }
            slots[j] = p->slots[i];
        }
    }
    sl__free(&p->alloc, p->slots, p->slot_cap * sizeof(sl__yaml_slot));
    p->slots = slots;
    p->slot_cap = cap;
    return SL_OK;
}

/* Records `key` in `map`, or sets *first to the earlier key with the same text. A hash
 * set keeps mappings with many keys linear. */
static int sl__yaml_key_add(sl__yaml *p, const sl_value *map, const sl_value *key,
                            const sl_value **first)
{
    sl_str s = sl_value_str(key);
    size_t i;

    *first = NULL;
    if ((p->slot_count + 1) * 2 > p->slot_cap && sl__yaml_slots_grow(p) != SL_OK) {
        return sl__yaml_oom(p);
    }
    i = sl__yaml_hash(map, s) & (p->slot_cap - 1);
    while (p->slots[i].map != NULL) {
        sl_str t = sl_value_str(p->slots[i].key);

        if (p->slots[i].map == map && t.len == s.len && memcmp(t.ptr, s.ptr, s.len) == 0) {
            *first = p->slots[i].key;
            return SL_OK;
        }
        i = (i + 1) & (p->slot_cap - 1);
    }
    p->slots[i].map = map;
    p->slots[i].key = key;
    p->slot_count++;
    return SL_OK;
}

/* Appends `key: value` to `map` unless the key repeats: then an error, or with
 * allow_duplicate_keys the first member wins. */
static int sl__yaml_map_add(sl__yaml *p, sl_value *map, sl_value *key, sl_value *value)
{
    const sl_value *first;
    sl_str s = sl_value_str(key);
    int rc = sl__yaml_key_add(p, map, key, &first);

    if (rc != SL_OK) {
        return rc;
    }
    if (first != NULL) {
        if (p->allow_duplicates) {
            return SL_OK;
        }
        return sl__yaml_fail(p, SL_EYAML_DUPLICATE, sl_value_offset(key) - p->base_offset,
                             "duplicate key \"%.*s\" (first defined at line %d); remove one "
                             "of them", sl__yaml_clip(s.ptr, s.len, 60), s.ptr,
                             sl_value_line(first));
    }
    if (sl_value_append(p->doc, map, key, value) != SL_OK) {
        return sl__yaml_oom(p);
    }
    return SL_OK;
}

/* ------------------------------------------------------------------------ scalars --- */

static int sl__yaml_new_null(sl__yaml *p, sl__yaml_mark m, sl_value **out)
{
    *out = sl_value_new_null(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place_mark(p, *out, m);
    return SL_OK;
}

/* Makes a string value from the scratch buffer. */
static int sl__yaml_new_str(sl__yaml *p, size_t off, int flags, sl_value **out)
{
    if (p->buf.failed) {
        return sl__yaml_oom(p);
    }
    *out = sl_value_new_strn(p->doc, p->buf.data, p->buf.len);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place(p, *out, off);
    sl_value_set_flags(*out, flags);
    return SL_OK;
}

/* Counts the leading digits of `s` in `base` (8, 10 or 16). */
static size_t sl__yaml_digits(const char *s, size_t n, int base)
{
    size_t i = 0;

    while (i < n) {
        int d = sl__hex_digit((unsigned char)s[i]);

        if (d < 0 || d >= base) {
            break;
        }
        i++;
    }
    return i;
}

/* Matches the YAML 1.2 core schema float:
 * [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int sl__yaml_is_float(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t whole = sl__yaml_digits(s + i, n - i, 10);
    size_t frac = 0;

    i += whole;
    if (i < n && s[i] == '.') {
        i++;
        frac = sl__yaml_digits(s + i, n - i, 10);
        i += frac;
    }
    if (whole == 0 && frac == 0) {
        return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp;

        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        exp = sl__yaml_digits(s + i, n - i, 10);
        if (exp == 0) {
            return 0;
        }
        i += exp;
    }
    return i == n;
}

/* strtod on NUL-terminated `s`, with '.' swapped for the locale's decimal point, because
 * YAML numbers always use '.' whatever the host's locale. */
static double sl__yaml_strtod(char *s)
{
    const char *point = localeconv()->decimal_point;
    char *dot = strchr(s, '.');

    if (dot != NULL && point != NULL && point[0] != '\0' && point[0] != '.' &&
        point[1] == '\0') {
        *dot = point[0];
    }
    return strtod(s, NULL);
}

/* Parses `n` digits in `base` up to `limit`; returns 0 on overflow. */
static int sl__yaml_uint(const char *s, size_t n, int base, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t d = (uint64_t)sl__hex_digit((unsigned char)s[i]);

        if (v > (limit - d) / (uint64_t)base) {
            return 0;
        }
        v = v * (uint64_t)base + d;
    }
    *out = v;
    return 1;
}

/* Resolves a core schema integer. Returns 1 when `s` is one (then *out is the value, or
 * NULL when out of memory), 0 otherwise. */
static int sl__yaml_resolve_int(sl__yaml *p, char *s, size_t n, sl_value **out)
{
    int negative = s[0] == '-';
    size_t sign = (negative || s[0] == '+') ? 1 : 0;
    uint64_t v;

    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        int base = s[1] == 'o' ? 8 : 16;

        /* NOTE: an octal or hex integer beyond int64 stays a string. */
        if (sl__yaml_digits(s + 2, n - 2, base) != n - 2 ||
            !sl__yaml_uint(s + 2, n - 2, base, (uint64_t)INT64_MAX, &v)) {
            return 0;
        }
        *out = sl_value_new_int(p->doc, (int64_t)v);
        return 1;
    }
    if (n == sign || sl__yaml_digits(s + sign, n - sign, 10) != n - sign) {
        return 0;
    }

    if (!sl__yaml_uint(s + sign, n - sign, 10, (uint64_t)INT64_MAX + (uint64_t)negative, &v)) {
        *out = sl_value_new_real(p->doc, sl__yaml_strtod(s));
    } else if (negative && v == (uint64_t)INT64_MAX + 1) {
        *out = sl_value_new_int(p->doc, INT64_MIN);
    } else {
        *out = sl_value_new_int(p->doc, negative ? -(int64_t)v : (int64_t)v);
    }
    return 1;
}

static int sl__yaml_is_one_of(const char *s, const char *a, const char *b, const char *c)
{
    return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0;
}

/* Applies the YAML 1.2 core schema to the plain scalar in the scratch buffer. Returns 1
 * when it resolves to a non-string (then *out is the value, or NULL when out of memory),
 * 0 when it stays a string. */
static int sl__yaml_resolve(sl__yaml *p, sl_value **out)
{
    char *s = p->buf.data;
    size_t n = p->buf.len;
    const char *unsigned_s = s + ((s[0] == '-' || s[0] == '+') ? 1 : 0);

    if (sl__yaml_is_one_of(s, "null", "Null", "NULL") || strcmp(s, "~") == 0) {
        *out = sl_value_new_null(p->doc);
    } else if (sl__yaml_is_one_of(s, "true", "True", "TRUE")) {
        *out = sl_value_new_bool(p->doc, 1);
    } else if (sl__yaml_is_one_of(s, "false", "False", "FALSE")) {
        *out = sl_value_new_bool(p->doc, 0);
    } else if (sl__yaml_is_one_of(unsigned_s, ".inf", ".Inf", ".INF")) {
        *out = sl_value_new_real(p->doc, s[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    } else if (sl__yaml_is_one_of(s, ".nan", ".NaN", ".NAN")) {
        *out = sl_value_new_real(p->doc, NAN);
    } else if (sl__yaml_resolve_int(p, s, n, out)) {
        return 1;
    } else if (sl__yaml_is_float(s, n)) {
        *out = sl_value_new_real(p->doc, sl__yaml_strtod(s));
    } else {
        return 0;
    }
    return 1;
}

/* Makes the value of a plain scalar from the scratch buffer: a string, or with `typed`
 * set, whatever the core schema resolves it to. */
static int sl__yaml_new_plain(sl__yaml *p, size_t off, int typed, sl_value **out)
{
    if (p->buf.failed) {
        return sl__yaml_oom(p);
    }
    if (typed && p->buf.len > 0 && sl__yaml_resolve(p, out)) {
        if (*out == NULL) {
            return sl__yaml_oom(p);
        }
        sl__yaml_place(p, *out, off);
        return SL_OK;
    }
    return sl__yaml_new_str(p, off, 0, out);
}

/* --------------------------------------------------------------- plain scalars --- */

/* Scans plain-scalar text on the current line from `pos` and returns why it stopped: end
 * of line, a comment, a ':' indicator (`pos` at the ':') or a flow indicator. *end is the
 * end of the text with trailing white space trimmed. */
static int sl__yaml_plain_line(sl__yaml *p, int flow, size_t *end)
{
    *end = p->pos;
    for (;;) {
        unsigned char c = sl__yaml_ch(p, p->pos);

        if (c == 0 || sl__yaml_is_break(c)) {
            return SL__YAML_EOL;
        }
        if (sl__yaml_is_ws(c)) {
            p->pos++;
            if (sl__yaml_ch(p, p->pos) == '#') {
                return SL__YAML_COMMENT;
            }
            continue;
        }
        if (c == ':') {
            unsigned char next = sl__yaml_ch(p, p->pos + 1);

            if (sl__yaml_is_blankz(next) || (flow && sl__yaml_is_flow_indicator(next))) {
                return SL__YAML_COLON;
            }
        }
        if (flow && sl__yaml_is_flow_indicator(c)) {
            return SL__YAML_FLOW;
        }
        p->pos++;
        *end = p->pos;
    }
}

/* Reports a plain scalar that starts with a character YAML reserves for other syntax. */
static int sl__yaml_check_plain_start(sl__yaml *p, int flow)
{
    unsigned char c = sl__yaml_ch(p, p->pos);
    unsigned char next = sl__yaml_ch(p, p->pos + 1);
    const char *s = p->text + p->pos;
    int n;

    if (strchr("&*!@`%|>#'\"[]{},-?:", c) == NULL || c == 0) {
        return SL_OK;
    }
    /* Only errors need the excerpt, so most values skip this scan of the line. */
    n = sl__yaml_line_excerpt(p, p->pos);
    if (c == '&' || c == '*' || c == '!') {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "'%c' starts %s, which this YAML subset does not support; if "
                             "\"%.*s\" is text, quote the value", c,
                             c == '&' ? "an anchor (&name)"
                             : c == '*' ? "an alias (*name)" : "a tag (!tag)", n, s);
    }
    if (c == '@' || c == '`' || c == '%' || c == '|' || c == '>' || c == '#' || c == '\'' ||
        c == '"' || c == '[' || c == '{' || c == ']' || c == '}' || c == ',') {
        return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                             "'%c' cannot start a plain value here; if \"%.*s\" is text, "
                             "quote the value", c, n, s);
    }
    if ((c == '-' || c == '?' || c == ':') &&
        (sl__yaml_is_blankz(next) || (flow && sl__yaml_is_flow_indicator(next)))) {
        return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                             "unexpected indicator '%c' here; if \"%.*s\" is text, quote "
                             "the value", c, n, s);
    }
    return SL_OK;
}

/* Reports ": " inside a plain value, the most common YAML mistake in frontmatter. */
static int sl__yaml_colon_error(sl__yaml *p, int continued)
{
    const char *hint = continued ? "; if this line starts a new key, unindent it" : "";

    if (p->key != NULL) {
        int n = sl__yaml_clip(p->key, p->key_len, 60);

        return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                             "mapping values are not allowed here: the plain value of "
                             "\"%.*s\" contains \": \"; quote the whole value or use a "
                             "block scalar (%.*s: >-)%s", n, p->key, n, p->key, hint);
    }
    return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                         "mapping values are not allowed here: a plain value contains "
                         "\": \"; quote the whole value or use a block scalar (>-)%s", hint);
}

/* From the line break after plain text, looks for a line that continues the scalar and
 * appends the folding (a space, or one newline per blank line). Sets *more to 0 when
 * the scalar ends; the caller then restores `pos`. */
static int sl__yaml_plain_continue(sl__yaml *p, int parent_indent, int flow, int *more)
{
    size_t blanks = 0;

    *more = 0;
    while (sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
        size_t spaces;
        size_t tab = SIZE_MAX;
        unsigned char c;

        sl__yaml_eat_break(p);
        while (sl__yaml_ch(p, p->pos) == ' ') {
            p->pos++;
        }
        spaces = p->pos - p->line_start;
        while (sl__yaml_is_ws(c = sl__yaml_ch(p, p->pos))) {
            tab = tab == SIZE_MAX && c == '\t' ? p->pos : tab;
            p->pos++;
        }

        if (sl__yaml_is_break(c)) {
            blanks++;
            continue;
        }
        if (c == 0 || c == '#' || (spaces == 0 && sl__yaml_is_doc_marker(p, p->pos))) {
            return SL_OK;
        }
        if (flow && (sl__yaml_is_flow_indicator(c) ||
                     (c == ':' && (sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1)) ||
                                   sl__yaml_is_flow_indicator(sl__yaml_ch(p, p->pos + 1)))))) {
            return SL_OK;
        }
        if (!flow && (long)spaces <= (long)parent_indent) {
            return SL_OK;
        }
        if (!flow && tab != SIZE_MAX) {
            return sl__yaml_fail(p, SL_EYAML_TAB, tab,
                                 "a tab is used as indentation; YAML indents with spaces "
                                 "only, so replace the tab with spaces");
        }

        if (blanks == 0) {
            sl_buf_putc(&p->buf, ' ');
        }
        for (; blanks > 0; blanks--) {
            sl_buf_putc(&p->buf, '\n');
        }
        *more = 1;
        return SL_OK;
    }
    return SL_OK;
}

/* Reads a plain scalar, folding continuation lines that are indented more than
 * `parent_indent` (block context) or that stay inside the collection (flow context).
 * Leaves `pos` right after the last text. */
static int sl__yaml_plain(sl__yaml *p, int parent_indent, int flow, int typed, sl_value **out)
{
    size_t start = p->pos;
    int continued = 0;

    sl_buf_reset(&p->buf);
    for (;;) {
        size_t from = p->pos;
        size_t end;
        size_t line_start;
        int more;
        int stop = sl__yaml_plain_line(p, flow, &end);
        int rc;

        if (stop == SL__YAML_COLON && !flow) {
            return sl__yaml_colon_error(p, continued);
        }
        sl_buf_append(&p->buf, p->text + from, end - from);
        if (stop != SL__YAML_EOL) {
            p->pos = end;
            break;
        }

        line_start = p->line_start;
        rc = sl__yaml_plain_continue(p, parent_indent, flow, &more);
        if (rc != SL_OK) {
            return rc;
        }
        if (!more) {
            p->pos = end;
            p->line_start = line_start;
            break;
        }
        continued = 1;
    }
    return sl__yaml_new_plain(p, start, typed, out);
}

/* -------------------------------------------------------------- quoted scalars --- */

/* Reads `count` hex digits of an escape at `pos` into *cp. */
static int sl__yaml_hex_escape(sl__yaml *p, size_t count, unsigned long *cp)
{
    size_t i;

    *cp = 0;
    for (i = 0; i < count; i++) {
        int d = sl__hex_digit(sl__yaml_ch(p, p->pos + i));

        if (d < 0) {
            return sl__yaml_fail(p, SL_EYAML_SCALAR, p->pos - 2,
                                 "escape '\\%c' needs %d hex digits; write '\\\\' for a "
                                 "literal backslash", p->text[p->pos - 1], (int)count);
        }
        *cp = *cp * 16 + (unsigned long)d;
    }
    p->pos += count;
    return SL_OK;
}

/* Decodes \x, \u or \U at `pos` (after the letter). A \u surrogate pair, as JSON writers
 * emit it, is joined into one code point; a lone surrogate is an error. */
static int sl__yaml_code_escape(sl__yaml *p, unsigned char kind)
{
    size_t at = p->pos - 2;
    size_t digits = 8;
    unsigned long cp;
    char utf8[4];
    int rc;

    if (kind == 'x') {
        digits = 2;
    } else if (kind == 'u') {
        digits = 4;
    }
    rc = sl__yaml_hex_escape(p, digits, &cp);

    if (rc != SL_OK) {
        return rc;
    }
    if (kind == 'u' && cp >= 0xD800 && cp <= 0xDBFF && sl__yaml_ch(p, p->pos) == '\\' &&
        sl__yaml_ch(p, p->pos + 1) == 'u') {
        unsigned long low;

        p->pos += 2;
        rc = sl__yaml_hex_escape(p, 4, &low);
        if (rc != SL_OK) {
            return rc;
        }
        if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return sl__yaml_fail(p, SL_EYAML_SCALAR, at,
                             "escape '\\%c' gives U+%04lX, which is not a Unicode scalar "
                             "value; write the character itself", kind, cp);
    }
    sl_buf_append(&p->buf, utf8, sl__utf8_encode(cp, utf8));
    return SL_OK;
}

/* Skips the leading white space of continuation lines inside a quoted scalar and counts
 * blank lines. `start` is the opening quote, for the error at the end of input. */
static int sl__yaml_quoted_breaks(sl__yaml *p, size_t start, size_t *blanks)
{
    *blanks = 0;
    for (;;) {
        if (sl__yaml_is_doc_marker(p, p->pos)) {
            return sl__yaml_fail(p, SL_EYAML_SCALAR, p->pos,
                                 "document marker (--- or ...) inside a quoted string; "
                                 "add the closing quote before it");
        }
        while (sl__yaml_is_ws(sl__yaml_ch(p, p->pos))) {
            p->pos++;
        }
        if (p->pos >= p->len) {
            return sl__yaml_fail(p, SL_EYAML_SCALAR, start,
                                 "unterminated quoted string; add the closing %c",
                                 p->text[start]);
        }
        if (!sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
            return SL_OK;
        }
        sl__yaml_eat_break(p);
        (*blanks)++;
    }
}

/* Byte length of the UTF-8 character whose first byte is `lead`. */
static int sl__yaml_char_len(unsigned char lead)
{
    if (lead < 0x80) {
        return 1;
    }
    if (lead < 0xE0) {
        return 2;
    }
    return lead < 0xF0 ? 3 : 4;
}

/* Decodes the escape at `pos` (a backslash) in a double-quoted scalar. */
static int sl__yaml_escape(sl__yaml *p, size_t start)
{
    static const char simple_in[] = "0abtnvfre \"/\\\t";
    static const char simple_out[] = "\0\a\b\t\n\v\f\r\x1b \"/\\\t";
    unsigned char e = sl__yaml_ch(p, p->pos + 1);
    const char *hit = e != 0 ? strchr(simple_in, e) : NULL;
    size_t blanks;
    int rc;

    p->pos += 2;
    if (hit != NULL) {
        sl_buf_putc(&p->buf, simple_out[hit - simple_in]);
        return SL_OK;
    }
    switch (e) {
    case 'N': sl_buf_append(&p->buf, "\xC2\x85", 2); return SL_OK;
    case '_': sl_buf_append(&p->buf, "\xC2\xA0", 2); return SL_OK;
    case 'L': sl_buf_append(&p->buf, "\xE2\x80\xA8", 3); return SL_OK;
    case 'P': sl_buf_append(&p->buf, "\xE2\x80\xA9", 3); return SL_OK;
    case 'x':
    case 'u':
    case 'U':
        return sl__yaml_code_escape(p, e);
    case '\r':
    case '\n':
        /* An escaped line break joins the lines without a space. */
        p->pos--;
        sl__yaml_eat_break(p);
        rc = sl__yaml_quoted_breaks(p, start, &blanks);
        for (; rc == SL_OK && blanks > 0; blanks--) {
            sl_buf_putc(&p->buf, '\n');
        }
        return rc;
    default:
        break;
    }
    if (e == 0) {
        return sl__yaml_fail(p, SL_EYAML_SCALAR, start,
                             "unterminated quoted string; add the closing \"");
    }
    return sl__yaml_fail(p, SL_EYAML_SCALAR, p->pos - 2,
                         "invalid escape '\\%.*s' in a double-quoted string; write '\\\\' "
                         "for a literal backslash", sl__yaml_char_len(e), p->text + p->pos - 1);
}

/* Handles white space inside a quoted scalar: kept inside a line, folded across lines
 * (one line break becomes a space, each blank line a newline). */
static int sl__yaml_quoted_space(sl__yaml *p, size_t start)
{
    size_t from = p->pos;
    size_t blanks;
    int rc;

    while (sl__yaml_is_ws(sl__yaml_ch(p, p->pos))) {
        p->pos++;
    }
    if (!sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
        if (p->pos >= p->len) {
            return sl__yaml_fail(p, SL_EYAML_SCALAR, start,
                                 "unterminated quoted string; add the closing %c",
                                 p->text[start]);
        }
        sl_buf_append(&p->buf, p->text + from, p->pos - from);
        return SL_OK;
    }
    sl__yaml_eat_break(p);
    rc = sl__yaml_quoted_breaks(p, start, &blanks);
    if (rc != SL_OK) {
        return rc;
    }
    if (blanks == 0) {
        sl_buf_putc(&p->buf, ' ');
    }
    for (; blanks > 0; blanks--) {
        sl_buf_putc(&p->buf, '\n');
    }
    return SL_OK;
}

/* Reads a single- or double-quoted scalar at `pos`; leaves `pos` after the closing
 * quote. */
static int sl__yaml_quoted(sl__yaml *p, sl_value **out)
{
    size_t start = p->pos;
    unsigned char quote = sl__yaml_ch(p, p->pos);

    sl_buf_reset(&p->buf);
    p->pos++;
    for (;;) {
        unsigned char c = sl__yaml_ch(p, p->pos);
        size_t from = p->pos;
        int rc = SL_OK;

        if (quote == '\'' && c == '\'' && sl__yaml_ch(p, p->pos + 1) == '\'') {
            sl_buf_putc(&p->buf, '\'');
            p->pos += 2;
        } else if (c == quote) {
            p->pos++;
            break;
        } else if (quote == '"' && c == '\\') {
            rc = sl__yaml_escape(p, start);
        } else if (sl__yaml_is_blankz(c)) {
            rc = sl__yaml_quoted_space(p, start);
        } else {
            while (!sl__yaml_is_blankz(c) && c != quote && !(quote == '"' && c == '\\')) {
                c = sl__yaml_ch(p, ++p->pos);
            }
            sl_buf_append(&p->buf, p->text + from, p->pos - from);
        }
        if (rc != SL_OK) {
            return rc;
        }
    }
    return sl__yaml_new_str(p, start, SL_VALUE_QUOTED, out);
}

/* --------------------------------------------------------------- block scalars --- */

/* Reads the header after '|' or '>': chomping (-, +) and indentation (1-9) indicators in
 * either order, then an optional comment. */
static int sl__yaml_block_header(sl__yaml *p, int *chomp, int *increment)
{
    int i;
    unsigned char c;

    for (i = 0; i < 2; i++) {
        c = sl__yaml_ch(p, p->pos);
        if ((c == '-' || c == '+') && *chomp == 0) {
            *chomp = c == '-' ? -1 : 1;
        } else if (c >= '1' && c <= '9' && *increment == 0) {
            *increment = c - '0';
        } else if (c == '0') {
            return sl__yaml_fail(p, SL_EYAML_SCALAR, p->pos,
                                 "the indentation indicator of a block scalar must be 1-9, "
                                 "not 0");
        } else {
            break;
        }
        p->pos++;
    }

    c = sl__yaml_ch(p, p->pos);
    while (sl__yaml_is_ws(c)) {
        c = sl__yaml_ch(p, ++p->pos);
    }
    if (c == '#' && sl__yaml_is_ws(sl__yaml_ch(p, p->pos - 1))) {
        sl__yaml_skip_to_break(p);
    } else if (!sl__yaml_is_blankz(c)) {
        return sl__yaml_fail(p, SL_EYAML_SCALAR, p->pos,
                             "unexpected text after the block scalar header; only '-', '+', "
                             "a digit 1-9 and a comment may follow '|' or '>', so put the "
                             "text on the next line, indented");
    }
    sl__yaml_eat_break(p);
    return SL_OK;
}

/* Consumes up to `indent` spaces of each following line and counts the blank lines. */
static size_t sl__yaml_block_breaks(sl__yaml *p, size_t indent)
{
    size_t breaks = 0;

    for (;;) {
        while (p->pos - p->line_start < indent && sl__yaml_ch(p, p->pos) == ' ') {
            p->pos++;
        }
        if (!sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
            return breaks;
        }
        sl__yaml_eat_break(p);
        breaks++;
    }
}

/* Detects the content indentation from the leading lines: the most spaces among the
 * leading blank lines and the first text line, at least `min_indent`. */
static size_t sl__yaml_block_detect(sl__yaml *p, size_t min_indent, size_t *breaks)
{
    size_t max = 0;

    *breaks = 0;
    for (;;) {
        while (sl__yaml_ch(p, p->pos) == ' ') {
            p->pos++;
        }
        if (p->pos - p->line_start > max) {
            max = p->pos - p->line_start;
        }
        if (!sl__yaml_is_break(sl__yaml_ch(p, p->pos))) {
            break;
        }
        sl__yaml_eat_break(p);
        (*breaks)++;
    }
    return max > min_indent ? max : min_indent;
}

static void sl__yaml_put_newlines(sl__yaml *p, size_t count)
{
    for (; count > 0; count--) {
        sl_buf_putc(&p->buf, '\n');
    }
}

/* Reads the lines of a block scalar at content indentation `indent` into the scratch
 * buffer. Folding joins two text lines with a space unless either is more indented (then
 * the line break is kept), and chomping decides the final line breaks: strip (-1) none,
 * clip (0) one, keep (1) all. `breaks` counts the blank lines already read. */
static void sl__yaml_block_body(sl__yaml *p, size_t indent, int folded, int chomp,
                                size_t breaks)
{
    int line_break = 0;

    while (p->pos - p->line_start == indent && p->pos < p->len) {
        int text_first = !sl__yaml_is_ws(sl__yaml_ch(p, p->pos));
        size_t from = p->pos;

        sl__yaml_put_newlines(p, breaks);
        sl__yaml_skip_to_break(p);
        sl_buf_append(&p->buf, p->text + from, p->pos - from);
        line_break = p->pos < p->len;
        sl__yaml_eat_break(p);
        breaks = sl__yaml_block_breaks(p, indent);
        if (p->pos - p->line_start != indent || p->pos >= p->len) {
            break;
        }
        if (folded && text_first && !sl__yaml_is_ws(sl__yaml_ch(p, p->pos))) {
            if (breaks == 0) {
                sl_buf_putc(&p->buf, ' ');
            }
        } else {
            sl_buf_putc(&p->buf, '\n');
        }
    }

    if (chomp != -1 && line_break) {
        sl_buf_putc(&p->buf, '\n');
    }
    if (chomp == 1) {
        sl__yaml_put_newlines(p, breaks);
    }
}

/* Reads a literal (|) or folded (>) block scalar at `pos`. */
static int sl__yaml_block_scalar(sl__yaml *p, int parent_indent, sl_value **out)
{
    size_t start = p->pos;
    int folded = sl__yaml_ch(p, p->pos) == '>';
    int chomp = 0;
    int increment = 0;
    size_t base = parent_indent < 0 ? 0 : (size_t)parent_indent;
    size_t indent;
    size_t breaks;
    int rc;

    p->pos++;
    rc = sl__yaml_block_header(p, &chomp, &increment);
    if (rc != SL_OK) {
        return rc;
    }
    sl_buf_reset(&p->buf);
    if (increment > 0) {
        indent = base + (size_t)increment;
        breaks = sl__yaml_block_breaks(p, indent);
    } else {
        indent = sl__yaml_block_detect(p, base + 1, &breaks);
    }
    sl__yaml_block_body(p, indent, folded, chomp, breaks);

    rc = sl__yaml_new_str(p, start, SL_VALUE_QUOTED, out);
    if (rc != SL_OK) {
        return rc;
    }
    if (p->pos >= p->len) {
        p->indent = -1;
        return SL_OK;
    }
    /* The line that ended the scalar is the next content line, or blank or a comment. */
    p->pos = p->line_start;
    return sl__yaml_scan_lines(p);
}

/* ------------------------------------------------------------ flow collections --- */

static int sl__yaml_flow_node(sl__yaml *p, int depth, sl_value **out);

/* Skips white space, line breaks and comments inside a flow collection that opened at
 * `open`. */
static int sl__yaml_flow_skip(sl__yaml *p, size_t open)
{
    for (;;) {
        unsigned char c = sl__yaml_ch(p, p->pos);

        if (sl__yaml_is_ws(c)) {
            p->pos++;
        } else if (sl__yaml_is_break(c)) {
            sl__yaml_eat_break(p);
            if (sl__yaml_is_doc_marker(p, p->pos)) {
                return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                                     "document marker inside the flow collection that opens "
                                     "at line %d; close it with '%c' first",
                                     sl__yaml_line_of(p, open),
                                     p->text[open] == '[' ? ']' : '}');
            }
        } else if (c == '#' && (p->pos == p->line_start ||
                                sl__yaml_is_ws(sl__yaml_ch(p, p->pos - 1)))) {
            sl__yaml_skip_to_break(p);
        } else if (c == 0) {
            return sl__yaml_fail(p, SL_EYAML_SYNTAX, open,
                                 "unterminated flow %s: the text ends before its closing "
                                 "'%c'", p->text[open] == '[' ? "sequence" : "mapping",
                                 p->text[open] == '[' ? ']' : '}');
        } else {
            return SL_OK;
        }
    }
}

static int sl__yaml_check_depth(sl__yaml *p, int depth)
{
    if (depth >= p->max_depth) {
        return sl__yaml_fail(p, SL_EYAML_DEPTH, p->pos,
                             "nesting is deeper than the limit of %d levels (max_depth)",
                             p->max_depth);
    }
    return SL_OK;
}

/* True at a ':' that separates a key from its value in flow context. After a quoted or
 * flow key (JSON style) the ':' needs no space after it. */
static int sl__yaml_flow_colon(const sl__yaml *p, int json_key)
{
    unsigned char next = sl__yaml_ch(p, p->pos + 1);

    return sl__yaml_ch(p, p->pos) == ':' &&
           (json_key || sl__yaml_is_blankz(next) || sl__yaml_is_flow_indicator(next));
}

/* Reads the value after a flow ':' (at `pos`); an omitted value is null. */
static int sl__yaml_flow_value(sl__yaml *p, size_t open, unsigned char close, int depth,
                               sl_value **out)
{
    int rc;

    p->pos++;
    rc = sl__yaml_flow_skip(p, open);
    if (rc != SL_OK) {
        return rc;
    }
    if (sl__yaml_ch(p, p->pos) == ',' || sl__yaml_ch(p, p->pos) == close) {
        return sl__yaml_new_null(p, sl__yaml_mark_at(p, p->pos), out);
    }
    return sl__yaml_flow_node(p, depth, out);
}

/* Reads a flow mapping key: a quoted or plain scalar, always a string. */
static int sl__yaml_flow_key(sl__yaml *p, sl_value **key)
{
    unsigned char c = sl__yaml_ch(p, p->pos);
    unsigned char next = sl__yaml_ch(p, p->pos + 1);
    int rc;

    if (c == '[' || c == '{' || (c == '?' && sl__yaml_is_blankz(next))) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "complex mapping keys (collections or '? ') are not supported; "
                             "use a plain or quoted string as the key");
    }
    if (c == ':' && (sl__yaml_is_blankz(next) || sl__yaml_is_flow_indicator(next))) {
        return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                             "missing key before ':' in a flow mapping; write the key "
                             "before the ':'");
    }
    if (c == '"' || c == '\'') {
        return sl__yaml_quoted(p, key);
    }
    rc = sl__yaml_check_plain_start(p, 1);
    if (rc != SL_OK) {
        return rc;
    }
    return sl__yaml_plain(p, -1, 1, 0, key);
}

/* Ends a flow entry: a ',' (consumed) or the closing bracket (left in place). */
static int sl__yaml_flow_next(sl__yaml *p, size_t open, unsigned char close)
{
    int rc = sl__yaml_flow_skip(p, open);
    unsigned char c = sl__yaml_ch(p, p->pos);

    if (rc != SL_OK) {
        return rc;
    }
    if (c == ',') {
        p->pos++;
        return SL_OK;
    }
    if (c == close) {
        return SL_OK;
    }
    return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                         "expected ',' or '%c' in the flow %s that opens at line %d, found "
                         "\"%.*s\"; quote values that contain flow indicators", close,
                         close == ']' ? "sequence" : "mapping", sl__yaml_line_of(p, open),
                         sl__yaml_line_excerpt(p, p->pos), p->text + p->pos);
}

/* Wraps a `key: value` entry of a flow sequence into a one-member mapping. */
static int sl__yaml_flow_pair(sl__yaml *p, size_t open, sl_value *key, int depth,
                              sl_value **out)
{
    sl_value *value;
    int rc;

    if (sl_value_kind(key) != SL_VALUE_STRING) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, sl_value_offset(key) - p->base_offset,
                             "complex mapping keys (collections) are not supported; use a "
                             "plain or quoted string as the key");
    }
    rc = sl__yaml_check_depth(p, depth);
    if (rc != SL_OK) {
        return rc;
    }
    *out = sl_value_new_object(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl_value_set_position(*out, sl_value_offset(key), sl_value_line(key),
                          sl_value_column(key));
    rc = sl__yaml_flow_value(p, open, ']', depth + 1, &value);
    if (rc != SL_OK) {
        return rc;
    }
    return sl__yaml_map_add(p, *out, key, value);
}

static int sl__yaml_flow_seq(sl__yaml *p, int depth, sl_value **out)
{
    size_t open = p->pos;
    int rc = sl__yaml_check_depth(p, depth);

    if (rc != SL_OK) {
        return rc;
    }
    *out = sl_value_new_array(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place(p, *out, open);
    p->pos++;
    for (;;) {
        sl_value *item;
        unsigned char first;

        rc = sl__yaml_flow_skip(p, open);
        if (rc != SL_OK) {
            return rc;
        }
        first = sl__yaml_ch(p, p->pos);
        if (first == ']') {
            p->pos++;
            return SL_OK;
        }

        rc = sl__yaml_flow_node(p, depth + 1, &item);
        if (rc == SL_OK) {
            rc = sl__yaml_flow_skip(p, open);
        }
        if (rc == SL_OK &&
            sl__yaml_flow_colon(p, first == '"' || first == '\'' || first == '[' ||
                                       first == '{')) {
            rc = sl__yaml_flow_pair(p, open, item, depth + 1, &item);
        }
        if (rc != SL_OK) {
            return rc;
        }
        if (sl_value_push(p->doc, *out, item) != SL_OK) {
            return sl__yaml_oom(p);
        }
        rc = sl__yaml_flow_next(p, open, ']');
        if (rc != SL_OK) {
            return rc;
        }
    }
}

static int sl__yaml_flow_map(sl__yaml *p, int depth, sl_value **out)
{
    size_t open = p->pos;
    int rc = sl__yaml_check_depth(p, depth);

    if (rc != SL_OK) {
        return rc;
    }
    *out = sl_value_new_object(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place(p, *out, open);
    p->pos++;
    for (;;) {
        sl_value *key;
        sl_value *value;
        unsigned char first;

        rc = sl__yaml_flow_skip(p, open);
        if (rc != SL_OK) {
            return rc;
        }
        first = sl__yaml_ch(p, p->pos);
        if (first == '}') {
            p->pos++;
            return SL_OK;
        }

        rc = sl__yaml_flow_key(p, &key);
        if (rc == SL_OK) {
            rc = sl__yaml_flow_skip(p, open);
        }
        if (rc != SL_OK) {
            return rc;
        }
        if (sl__yaml_flow_colon(p, first == '"' || first == '\'')) {
            rc = sl__yaml_flow_value(p, open, '}', depth + 1, &value);
        } else {
            rc = sl__yaml_new_null(p, sl__yaml_mark_at(p, p->pos), &value);
        }
        if (rc == SL_OK) {
            rc = sl__yaml_map_add(p, *out, key, value);
        }
        if (rc == SL_OK) {
            rc = sl__yaml_flow_next(p, open, '}');
        }
        if (rc != SL_OK) {
            return rc;
        }
    }
}

/* Reads one node inside a flow collection. */
static int sl__yaml_flow_node(sl__yaml *p, int depth, sl_value **out)
{
    unsigned char c = sl__yaml_ch(p, p->pos);
    int rc;

    if (c == '[') {
        return sl__yaml_flow_seq(p, depth, out);
    }
    if (c == '{') {
        return sl__yaml_flow_map(p, depth, out);
    }
    if (c == '"' || c == '\'') {
        return sl__yaml_quoted(p, out);
    }
    if (c == '?' && sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1))) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "complex mapping keys ('? ') are not supported; use a plain or "
                             "quoted string as the key");
    }
    rc = sl__yaml_check_plain_start(p, 1);
    if (rc != SL_OK) {
        return rc;
    }
    return sl__yaml_plain(p, -1, 1, p->typed, out);
}

/* ------------------------------------------------------------------ block nodes --- */

static int sl__yaml_block_node(sl__yaml *p, int indent, int parent_indent, int nested,
                               int depth, sl_value **out);

/* Looks ahead, without consuming, whether the line at `pos` starts with a mapping key:
 * a plain scalar or a one-line quoted scalar followed by ':' and white space. */
static int sl__yaml_is_key(sl__yaml *p)
{
    size_t save = p->pos;
    unsigned char quote = sl__yaml_ch(p, p->pos);
    int is_key = 0;
    size_t end;

    if (quote == '"' || quote == '\'') {
        p->pos++;
        for (;;) {
            unsigned char c = sl__yaml_ch(p, p->pos);

            if (c == 0 || sl__yaml_is_break(c) ||
                (c == '\\' && sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1)))) {
                break;
            }
            if (c == quote && !(quote == '\'' && sl__yaml_ch(p, p->pos + 1) == '\'')) {
                p->pos++;
                while (sl__yaml_is_ws(sl__yaml_ch(p, p->pos))) {
                    p->pos++;
                }
                is_key = sl__yaml_ch(p, p->pos) == ':' &&
                         sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1));
                break;
            }
            p->pos += (c == '\\' && quote == '"') || c == '\'' ? 2 : 1;
        }
    } else if (strchr("&*!@`%|>#[]{},", quote) == NULL) {
        is_key = sl__yaml_plain_line(p, 0, &end) == SL__YAML_COLON;
    }
    p->pos = save;
    return is_key;
}

/* Reads a block mapping key and its ':' indicator; leaves `pos` after the ':'. */
static int sl__yaml_block_key(sl__yaml *p, sl_value **key)
{
    size_t start = p->pos;
    size_t line_start = p->line_start;
    unsigned char c = sl__yaml_ch(p, p->pos);
    int rc;

    if (c == '"' || c == '\'') {
        rc = sl__yaml_quoted(p, key);
    } else {
        rc = sl__yaml_check_plain_start(p, 0);
        if (rc == SL_OK && !sl__yaml_is_key(p)) {
            return sl__yaml_fail(p, SL_EYAML_SYNTAX, start,
                                 "expected a mapping key followed by ':', found \"%.*s\"; "
                                 "add ': ' after the key, or indent the line more to "
                                 "continue the value above", sl__yaml_line_excerpt(p, start),
                                 p->text + start);
        }
        if (rc == SL_OK) {
            size_t end;

            sl__yaml_plain_line(p, 0, &end);
            sl_buf_reset(&p->buf);
            sl_buf_append(&p->buf, p->text + start, end - start);
            p->pos = end;
            rc = sl__yaml_new_plain(p, start, 0, key);
        }
    }
    if (rc != SL_OK) {
        return rc;
    }

    while (sl__yaml_is_ws(sl__yaml_ch(p, p->pos))) {
        p->pos++;
    }
    if (p->line_start != line_start || sl__yaml_ch(p, p->pos) != ':' ||
        !sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1))) {
        return sl__yaml_fail(p, SL_EYAML_SYNTAX, start,
                             "expected ': ' after the mapping key; a key must be on one "
                             "line and end with ':' and a space");
    }
    p->pos++;
    return SL_OK;
}

/* Reads the value after a block ':' or '-' indicator (at `pos`). The value is either on
 * the same line or on the following more-indented lines. After a key, it may also be an
 * indentless sequence at the key's own indentation. Anything else leaves it null. */
static int sl__yaml_block_value(sl__yaml *p, int parent_indent, int in_map, int depth,
                                sl_value **out)
{
    sl__yaml_mark after = sl__yaml_mark_at(p, p->pos);
    size_t at = p->pos;
    unsigned char c;
    int rc;

    while (sl__yaml_is_ws(sl__yaml_ch(p, at))) {
        at++;
    }
    c = sl__yaml_ch(p, at);
    if (c != '#' && c != 0 && !sl__yaml_is_break(c)) {
        size_t column = at - p->line_start;

        p->pos = at;
        if (column > (size_t)INT_MAX / 2) {
            return sl__yaml_fail(p, SL_ELIMIT, p->pos, "indentation is too deep");
        }
        return sl__yaml_block_node(p, (int)column, parent_indent, !in_map, depth, out);
    }

    rc = sl__yaml_end_line(p, "value");
    if (rc != SL_OK) {
        return rc;
    }
    if (p->indent > parent_indent) {
        return sl__yaml_block_node(p, p->indent, parent_indent, 1, depth, out);
    }
    if (in_map && p->indent == parent_indent && sl__yaml_ch(p, p->pos) == '-' &&
        sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1))) {
        return sl__yaml_block_node(p, p->indent, parent_indent, 1, depth, out);
    }
    return sl__yaml_new_null(p, after, out);
}

static int sl__yaml_block_map(sl__yaml *p, int indent, int depth, sl_value **out)
{
    int rc = sl__yaml_check_depth(p, depth);

    if (rc != SL_OK) {
        return rc;
    }
    *out = sl_value_new_object(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place(p, *out, p->pos);
    for (;;) {
        const char *outer_key = p->key;
        size_t outer_len = p->key_len;
        sl_value *key;
        sl_value *value;

        rc = sl__yaml_block_key(p, &key);
        if (rc != SL_OK) {
            return rc;
        }
        p->key = sl_value_str(key).ptr;
        p->key_len = sl_value_str(key).len;
        rc = sl__yaml_block_value(p, indent, 1, depth + 1, &value);
        p->key = outer_key;
        p->key_len = outer_len;
        if (rc == SL_OK) {
            rc = sl__yaml_map_add(p, *out, key, value);
        }
        if (rc != SL_OK) {
            return rc;
        }

        if (p->indent < indent) {
            return SL_OK;
        }
        if (p->indent > indent) {
            return sl__yaml_fail(p, SL_EYAML_INDENT, p->pos,
                                 "unexpected indentation: this line is indented more than "
                                 "the mapping keys above (column %d); align it with them",
                                 indent + 1);
        }
        if (sl__yaml_ch(p, p->pos) == '-' && sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1))) {
            return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                                 "a sequence entry '-' at the indentation of mapping keys; "
                                 "put it right under a key that has no value, or indent it");
        }
    }
}

static int sl__yaml_block_seq(sl__yaml *p, int indent, int depth, sl_value **out)
{
    int rc = sl__yaml_check_depth(p, depth);

    if (rc != SL_OK) {
        return rc;
    }
    *out = sl_value_new_array(p->doc);
    if (*out == NULL) {
        return sl__yaml_oom(p);
    }
    sl__yaml_place(p, *out, p->pos);
    for (;;) {
        sl_value *item;

        p->pos++; /* the '-' */
        rc = sl__yaml_block_value(p, indent, 0, depth + 1, &item);
        if (rc != SL_OK) {
            return rc;
        }
        if (sl_value_push(p->doc, *out, item) != SL_OK) {
            return sl__yaml_oom(p);
        }

        if (p->indent > indent) {
            return sl__yaml_fail(p, SL_EYAML_INDENT, p->pos,
                                 "unexpected indentation: this line is indented more than "
                                 "the '-' entries above (column %d); align it with them",
                                 indent + 1);
        }
        if (p->indent < indent || sl__yaml_ch(p, p->pos) != '-' ||
            !sl__yaml_is_blankz(sl__yaml_ch(p, p->pos + 1))) {
            return SL_OK;
        }
    }
}

/* Reads a scalar or flow collection in block context and ends its line. */
static int sl__yaml_block_scalar_node(sl__yaml *p, int parent_indent, int depth,
                                      sl_value **out)
{
    unsigned char c = sl__yaml_ch(p, p->pos);
    const char *node_name = "value";
    int rc;

    if (c == '|' || c == '>') {
        return sl__yaml_block_scalar(p, parent_indent, out);
    }
    if (c == '[' || c == '{') {
        node_name = "flow collection";
        rc = sl__yaml_flow_node(p, depth, out);
    } else if (c == '"' || c == '\'') {
        node_name = "quoted string";
        rc = sl__yaml_quoted(p, out);
    } else {
        rc = sl__yaml_check_plain_start(p, 0);
        if (rc == SL_OK) {
            rc = sl__yaml_plain(p, parent_indent, 0, p->typed, out);
        }
    }
    if (rc != SL_OK) {
        return rc;
    }
    return sl__yaml_end_line(p, node_name);
}

/* Reads the block node at `pos`, which is at column `indent`. `nested` is 1 where a block
 * collection may start: at the start of a line or after '- '. Scalar continuation lines
 * must be indented more than `parent_indent`. */
static int sl__yaml_block_node(sl__yaml *p, int indent, int parent_indent, int nested,
                               int depth, sl_value **out)
{
    unsigned char c = sl__yaml_ch(p, p->pos);
    unsigned char next = sl__yaml_ch(p, p->pos + 1);

    if (c == '-' && sl__yaml_is_blankz(next)) {
        if (!nested) {
            return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                                 "a block sequence cannot start on the same line as its "
                                 "key; move '- ...' to the next line");
        }
        return sl__yaml_block_seq(p, indent, depth, out);
    }
    if (c == '?' && sl__yaml_is_blankz(next)) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "complex mapping keys ('? ') are not supported; use a plain or "
                             "quoted string as the key");
    }
    if (nested && sl__yaml_is_key(p)) {
        return sl__yaml_block_map(p, indent, depth, out);
    }
    return sl__yaml_block_scalar_node(p, parent_indent, depth, out);
}

/* --------------------------------------------------------------------- document --- */

/* Reports what follows the root node: a second document, a directive or a line that
 * belongs to no node. */
static int sl__yaml_trailing(sl__yaml *p, const sl_value *root)
{
    unsigned char c = sl__yaml_ch(p, p->pos);

    if (p->pos >= p->len) {
        return SL_OK;
    }
    if (p->indent == -1) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "'%c%c%c' starts or ends another YAML document; only one "
                             "document is supported, so remove the line", c, c, c);
    }
    if (c == '%' && p->indent == 0) {
        return sl__yaml_fail(p, SL_EYAML_UNSUPPORTED, p->pos,
                             "YAML directives (%%YAML, %%TAG) are not supported; remove the "
                             "line");
    }
    if (p->indent < sl_value_column(root) - 1) {
        return sl__yaml_fail(p, SL_EYAML_INDENT, p->pos,
                             "this line is indented less than the top-level node, which "
                             "starts at line %d; align it with the lines above",
                             sl_value_line(root));
    }
    return sl__yaml_fail(p, SL_EYAML_SYNTAX, p->pos,
                         "\"%.*s\" does not continue the top-level %s that starts at line "
                         "%d; check its indentation%s", sl__yaml_line_excerpt(p, p->pos),
                         p->text + p->pos, sl_value_type_name(sl_value_kind(root)),
                         sl_value_line(root),
                         sl_value_kind(root) == SL_VALUE_ARRAY ? " or start it with '- '" : "");
}

static int sl__yaml_document(sl__yaml *p, sl_value **root)
{
    int rc;

    *root = NULL;
    if (p->len >= 3 && memcmp(p->text, "\xEF\xBB\xBF", 3) == 0) {
        p->pos = 3;
        p->mark_off = 3;
    }
    rc = sl__yaml_scan_lines(p);
    if (rc != SL_OK) {
        return rc;
    }
    if (p->indent == 0 && sl__yaml_ch(p, p->pos) == '%') {
        return sl__yaml_trailing(p, NULL);
    }

    if (p->indent == -1 && p->pos < p->len && sl__yaml_ch(p, p->pos) == '-') {
        size_t at = p->pos + 3;

        p->pos = at;
        while (sl__yaml_is_ws(sl__yaml_ch(p, at))) {
            at++;
        }
        if (!sl__yaml_is_blankz(sl__yaml_ch(p, at)) && sl__yaml_ch(p, at) != '#') {
            p->pos = at;
            rc = sl__yaml_block_node(p, (int)(p->pos - p->line_start), -1, 0, 0, root);
        } else {
            rc = sl__yaml_end_line(p, "document marker");
            if (rc == SL_OK && p->indent >= 0) {
                rc = sl__yaml_block_node(p, p->indent, -1, 1, 0, root);
            }
        }
    } else if (p->indent >= 0) {
        rc = sl__yaml_block_node(p, p->indent, -1, 1, 0, root);
    }
    if (rc != SL_OK) {
        return rc;
    }
    return sl__yaml_trailing(p, *root);
}

SKILLLITE_API sl_doc *sl_yaml_parse(const char *text, size_t len, const sl_yaml_options *opt,
                                    sl_error *err)
{
    sl_yaml_options defaults;
    sl__yaml p;
    sl_value *root = NULL;
    int rc;

    sl_error_clear(err);
    if (opt == NULL) {
        sl_yaml_options_init(&defaults);
        opt = &defaults;
    }
    if (text == NULL && len > 0) {
        sl__error(err, SL_EINVAL, "sl_yaml_parse: text is NULL but len is %zu", len);
        return NULL;
    }
    if (opt->max_bytes != 0 && len > opt->max_bytes) {
        sl__error(err, SL_ELIMIT,
                  "the YAML text is %zu bytes, more than max_bytes (%zu); raise "
                  "sl_yaml_options.max_bytes to accept it", len, opt->max_bytes);
        return NULL;
    }

    memset(&p, 0, sizeof(p));
    p.text = text != NULL ? text : "";
    p.len = len;
    p.err = err;
    p.alloc = sl__allocator_resolve(opt->alloc);
    sl_buf_init(&p.buf, &p.alloc);
    p.typed = opt->typed;
    p.max_depth = opt->max_depth > 0 ? opt->max_depth : 64;
    p.allow_duplicates = opt->allow_duplicate_keys;
    p.base_offset = opt->base_offset;
    p.base_line = opt->base_line > 0 ? opt->base_line : 1;
    p.mark_line = 1;
    p.mark_col = 1;

    p.doc = sl_doc_new(&p.alloc);
    if (p.doc == NULL) {
        rc = sl__yaml_oom(&p);
    } else {
        rc = sl__yaml_check_text(&p);
    }
    if (rc == SL_OK) {
        rc = sl__yaml_document(&p, &root);
    }

    sl_buf_free(&p.buf);
    sl__free(&p.alloc, p.slots, p.slot_cap * sizeof(sl__yaml_slot));
    if (rc != SL_OK) {
        sl_doc_free(p.doc);
        return NULL;
    }
    sl_doc_set_root(p.doc, root);
    return p.doc;
}
