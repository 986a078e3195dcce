/* ======================================================================== json === */

#include <inttypes.h>
#include <math.h>

#define SL__JSON_DEFAULT_MAX_DEPTH 512
#define SL__JSON_WRITE_MAX_DEPTH 10000

/* Objects with fewer members than this look for a duplicate key by a linear scan. Larger
 * ones get a hash table, so a 100k-member object is not quadratic. */
#define SL__JSON_HASH_THRESHOLD 8

/* Maximum length of a key or number quoted in an error message, in bytes. */
#define SL__JSON_QUOTE_MAX 40

#if defined(__GNUC__) || defined(__clang__)
#define SL__JSON_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SL__JSON_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------------ shared helpers --- */

/* Returns the length (1 to 4) of the valid UTF-8 sequence at `s` and stores its code point.
 * Returns 0 for an overlong form, a surrogate, a value above U+10FFFF, a stray
 * continuation byte or a sequence cut short by `avail`. */
static size_t sl__json_utf8_decode(const unsigned char *s, size_t avail, unsigned long *cp)
{
    unsigned long c = s[0];
    unsigned long min;
    size_t n;
    size_t k;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n) {
        return 0;
    }

    for (k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *cp = c;
    return n;
}

static int sl__json_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII letters only: isalpha() would depend on the locale. */
static int sl__json_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads the signed exponent digits that start at `i`, saturating at 10^15. That keeps the
 * result exact for any input shorter than 10^15 bytes, because beyond that the value is 0
 * or infinite whatever the digits are. */
static long long sl__json_read_exponent(const char *s, size_t n, size_t i)
{
    long long exponent = 0;
    int negative = 0;

    if (i < n && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        i++;
    }
    while (i < n && sl__json_is_digit((unsigned char)s[i])) {
        if (exponent < 1000000000000000LL) {
            exponent = exponent * 10 + (s[i] - '0');
        }
        i++;
    }
    return negative ? -exponent : exponent;
}

/* Converts number text that already matches the JSON number grammar to the nearest
 * double. strtod takes its radix character from LC_NUMERIC, so the text is rewritten as
 * [-]DIGITSe[-]EXPONENT, a form without a radix character that every locale reads the
 * same way. Returns SL_OK, or SL_ENOMEM when a long number needs a buffer and `a` fails. */
static int sl__json_text_to_double(const char *s, size_t n, const sl_allocator *a, double *out)
{
    char local[128];
    char *buf = local;
    size_t cap = sizeof(local);
    size_t i = 0;
    size_t o = 0;
    long long exponent = 0;
    long long fraction_digits = 0;

    if (n > SIZE_MAX - 32) {
        return SL_ENOMEM;
    }
    if (n + 32 > cap) {
        cap = n + 32;
        buf = (char *)sl__malloc(a, cap);
        if (buf == NULL) {
            return SL_ENOMEM;
        }
    }

    if (i < n && s[i] == '-') {
        buf[o++] = s[i++];
    }
    while (i < n && sl__json_is_digit((unsigned char)s[i])) {
        buf[o++] = s[i++];
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && sl__json_is_digit((unsigned char)s[i])) {
            buf[o++] = s[i++];
            if (fraction_digits < 1000000000000000LL) {
                fraction_digits++;
            }
        }
    }

    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        exponent = sl__json_read_exponent(s, n, i + 1);
    }
    exponent -= fraction_digits;

    snprintf(buf + o, cap - o, "e%lld", exponent);
    *out = strtod(buf, NULL);
    if (buf != local) {
        sl__free(a, buf, cap);
    }
    return SL_OK;
}

/* Copies `len` bytes of `s` into `out` for an error message: quotes and backslashes are
 * escaped, control bytes written as \xNN, and text past SL__JSON_QUOTE_MAX bytes cut at a
 * code point boundary and marked with "...". */
static void sl__json_quote(const char *s, size_t len, char *out, size_t cap)
{
    size_t take = len;
    size_t i;
    size_t o = 0;

    if (take > SL__JSON_QUOTE_MAX) {
        take = SL__JSON_QUOTE_MAX;
        while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80) {
            take--;
        }
    }
    for (i = 0; i < take && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (take < len && o + 4 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* --------------------------------------------------------------------------- reader --- */

/* One open array or object. `slots` is the duplicate-key hash table of a large object:
 * open addressing, each slot a member index + 1, 0 for empty. */
typedef struct sl__json_frame {
    sl_value *container;
    size_t *slots;
    size_t slot_count;
} sl__json_frame;

typedef struct sl__json_parser {
    const char *text;
    size_t len;
    size_t pos;
    int max_depth;
    int allow_duplicate_keys;
    sl_allocator alloc;
    sl_doc *doc;
    sl_error *err;

    /* Line and column at `loc_offset`. Values start at increasing offsets, so moving this
     * cursor forward keeps position tracking linear in the input size. */
    size_t loc_offset;
    int loc_line;
    int loc_column;

    sl__json_frame *frames;
    size_t depth;
    size_t frame_cap;
    sl_value *pending_key;  /* key of the object member whose value comes next */
    int after_comma;        /* the last token was ',', for the trailing-comma message */
    sl_buf scratch;         /* unescaped string content */
    uint64_t seed;          /* hash seed for duplicate-key tables */
} sl__json_parser;

enum { SL__JSON_VALUE, SL__JSON_KEY, SL__JSON_AFTER, SL__JSON_DONE };

static int sl__json_fail(sl__json_parser *p, int code, size_t at, const char *fmt, ...)
    SL__JSON_PRINTF(4, 5);

/* Reports error `code` at byte `at` with a formatted message; returns `code`. */
static int sl__json_fail(sl__json_parser *p, int code, size_t at, const char *fmt, ...)
{
    char message[SL_ERROR_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    return sl__error_at(p->err, code, p->text, p->len, at, "%s", message);
}

static int sl__json_nomem(sl__json_parser *p)
{
    return sl__json_fail(p, SL_ENOMEM, p->pos, "out of memory while parsing JSON");
}

/* Describes the byte at `at` for a message: "'x'", "U+00E9", "byte 0x0A" or
 * "end of input". */
static const char *sl__json_describe(const sl__json_parser *p, size_t at, char out[24])
{
    const unsigned char *s = (const unsigned char *)p->text;
    unsigned long cp;

    if (at >= p->len) {
        return "end of input";
    }
    if (s[at] >= 0x21 && s[at] <= 0x7E) {
        snprintf(out, 24, "'%c'", s[at]);
    } else if (s[at] >= 0x80 && sl__json_utf8_decode(s + at, p->len - at, &cp) > 0) {
        snprintf(out, 24, "U+%04lX", cp);
    } else {
        snprintf(out, 24, "byte 0x%02X", s[at]);
    }
    return out;
}

/* Moves the position cursor to `offset` and returns its line and column, counted the way
 * sl_locate counts them: CRLF and a lone CR are one line break, columns are code points. */
static void sl__json_locate(sl__json_parser *p, size_t offset, int *line, int *column)
{
    const unsigned char *s = (const unsigned char *)p->text;
    size_t i;

    for (i = p->loc_offset; i < offset; i++) {
        unsigned char c = s[i];
        int crlf = c == '\r' && i + 1 < p->len && s[i + 1] == '\n';

        if (c == '\n' || (c == '\r' && !crlf)) {
            p->loc_line += p->loc_line < INT_MAX;
            p->loc_column = 1;
        } else if (c != '\r' && (c & 0xC0) != 0x80) {
            p->loc_column += p->loc_column < INT_MAX;
        }
    }
    p->loc_offset = offset;
    *line = p->loc_line;
    *column = p->loc_column;
}

static void sl__json_mark(sl__json_parser *p, sl_value *v, size_t offset)
{
    int line;
    int column;

    sl__json_locate(p, offset, &line, &column);
    sl_value_set_position(v, offset, line, column);
}

static void sl__json_skip_space(sl__json_parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];

        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return;
        }
        p->pos++;
    }
}

/* Links a new value into the open container, or makes it the root. */
static int sl__json_attach(sl__json_parser *p, sl_value *v)
{
    sl__json_frame *top;
    int rc;

    if (p->depth == 0) {
        sl_doc_set_root(p->doc, v);
        return SL_OK;
    }

    top = &p->frames[p->depth - 1];
    if (sl_value_kind(top->container) == SL_VALUE_ARRAY) {
        rc = sl_value_push(p->doc, top->container, v);
    } else {
        rc = sl_value_append(p->doc, top->container, p->pending_key, v);
    }
    return rc == SL_OK ? SL_OK : sl__json_nomem(p);
}

static int sl__json_push_frame(sl__json_parser *p, sl_value *container)
{
    sl__json_frame *f;

    if (p->depth == p->frame_cap) {
        size_t cap = p->frame_cap == 0 ? 16 : p->frame_cap * 2;

        if (cap > SIZE_MAX / sizeof(sl__json_frame)) {
            return sl__json_nomem(p);
        }
        f = (sl__json_frame *)sl__realloc(&p->alloc, p->frames,
                                          p->frame_cap * sizeof(sl__json_frame),
                                          cap * sizeof(sl__json_frame));
        if (f == NULL) {
            return sl__json_nomem(p);
        }
        p->frames = f;
        p->frame_cap = cap;
    }

    f = &p->frames[p->depth++];
    f->container = container;
    f->slots = NULL;
    f->slot_count = 0;
    return SL_OK;
}

static void sl__json_pop_frame(sl__json_parser *p)
{
    sl__json_frame *f = &p->frames[--p->depth];

    sl__free(&p->alloc, f->slots, f->slot_count * sizeof(size_t));
    f->slots = NULL;
}

/* ------------------------------------------------------------------ duplicate keys --- */

static uint64_t sl__json_hash(const sl__json_parser *p, sl_str key)
{
    uint64_t h = p->seed;
    size_t i;

    for (i = 0; i < key.len; i++) {
        h ^= (unsigned char)key.ptr[i];
        h *= 0x100000001B3ULL;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    return h;
}

static int sl__json_key_equal(sl_str a, sl_str b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Returns the index of the member of the frame's object whose key is `key`, or SIZE_MAX.
 * When there is none and `index` is not SIZE_MAX, the empty slot is given to `index`. */
static size_t sl__json_probe(const sl__json_parser *p, sl__json_frame *f, sl_str key,
                             size_t index)
{
    size_t mask = f->slot_count - 1;
    size_t i = (size_t)sl__json_hash(p, key) & mask;

    while (f->slots[i] != 0) {
        size_t member = f->slots[i] - 1;

        if (sl__json_key_equal(sl_value_str(sl_value_key_at(f->container, member)), key)) {
            return member;
        }
        i = (i + 1) & mask;
    }
    if (index != SIZE_MAX) {
        f->slots[i] = index + 1;
    }
    return SIZE_MAX;
}

/* Rebuilds the table of frame `f` from its `count` members, sized so that one more member
 * leaves the load at or below 1/4. */
static int sl__json_rehash(sl__json_parser *p, sl__json_frame *f, size_t count)
{
    size_t slot_count = 32;
    size_t *slots;
    size_t i;

    while (slot_count < (count + 1) * 4) {
        if (slot_count > SIZE_MAX / 2 / sizeof(size_t)) {
            return sl__json_nomem(p);
        }
        slot_count *= 2;
    }
    slots = (size_t *)sl__calloc(&p->alloc, slot_count, sizeof(size_t));
    if (slots == NULL) {
        return sl__json_nomem(p);
    }

    sl__free(&p->alloc, f->slots, f->slot_count * sizeof(size_t));
    f->slots = slots;
    f->slot_count = slot_count;
    for (i = 0; i < count; i++) {
        sl__json_probe(p, f, sl_value_str(sl_value_key_at(f->container, i)), i);
    }
    return SL_OK;
}

/* Stores in *earlier the index of a member of the open object with the same key as `key`
 * (SIZE_MAX when there is none) and records `key` as the next member. */
static int sl__json_find_duplicate(sl__json_parser *p, sl_value *key, size_t *earlier)
{
    sl__json_frame *f = &p->frames[p->depth - 1];
    size_t count = sl_value_count(f->container);
    sl_str k = sl_value_str(key);
    size_t i;
    int rc;

    *earlier = SIZE_MAX;
    if (f->slots == NULL && count < SL__JSON_HASH_THRESHOLD) {
        for (i = 0; i < count; i++) {
            if (sl__json_key_equal(sl_value_str(sl_value_key_at(f->container, i)), k)) {
                *earlier = i;
                return SL_OK;
            }
        }
        return SL_OK;
    }

    if ((count + 1) * 2 > f->slot_count) {
        rc = sl__json_rehash(p, f, count);
        if (rc != SL_OK) {
            return rc;
        }
    }
    *earlier = sl__json_probe(p, f, k, count);
    return SL_OK;
}

static int sl__json_check_key(sl__json_parser *p, sl_value *key)
{
    char quoted[SL__JSON_QUOTE_MAX * 4 + 8];
    sl_value *first;
    size_t earlier;
    sl_str k;
    int rc;

    if (p->allow_duplicate_keys) {
        return SL_OK;
    }
    rc = sl__json_find_duplicate(p, key, &earlier);
    if (rc != SL_OK || earlier == SIZE_MAX) {
        return rc;
    }

    k = sl_value_str(key);
    sl__json_quote(k.ptr, k.len, quoted, sizeof(quoted));
    first = sl_value_key_at(p->frames[p->depth - 1].container, earlier);
    return sl__json_fail(p, SL_EJSON_DUPLICATE, sl_value_offset(key),
                         "duplicate object key \"%s\" (first at line %d, column %d); "
                         "remove one or set allow_duplicate_keys",
                         quoted, sl_value_line(first), sl_value_column(first));
}

/* ------------------------------------------------------------------------- strings --- */

/* Reads the 4 hex digits of a \u escape at `at`. */
static int sl__json_scan_hex4(sl__json_parser *p, size_t at, unsigned long *cp)
{
    char found[24];
    size_t k;

    *cp = 0;
    for (k = 0; k < 4; k++) {
        int h;

        if (at + k >= p->len) {
            return sl__json_fail(p, SL_EJSON_EOF, p->len,
                                 "unterminated \\u escape: expected 4 hex digits, found end "
                                 "of input");
        }
        h = sl__hex_digit((unsigned char)p->text[at + k]);
        if (h < 0) {
            return sl__json_fail(p, SL_EJSON_ESCAPE, at + k,
                                 "invalid \\u escape: expected 4 hex digits, found %s",
                                 sl__json_describe(p, at + k, found));
        }
        *cp = (*cp << 4) | (unsigned long)h;
    }
    return SL_OK;
}

/* Validates the \u escape at `*at` (the backslash), pairing a high surrogate with the low
 * surrogate escape that must follow; advances `*at` past it. */
static int sl__json_scan_unicode(sl__json_parser *p, size_t *at)
{
    size_t i = *at;
    size_t j = i + 6;
    unsigned long cp;
    unsigned long low;
    int rc;

    rc = sl__json_scan_hex4(p, i + 2, &cp);
    if (rc != SL_OK) {
        return rc;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return sl__json_fail(p, SL_EJSON_ESCAPE, i,
                             "unpaired low surrogate \\u%04lX in string; it must follow a high "
                             "surrogate \\uD800-\\uDBFF", cp);
    }
    if (cp < 0xD800 || cp > 0xDBFF) {
        *at = j;
        return SL_OK;
    }

    if (j >= p->len || (p->text[j] == '\\' && j + 1 >= p->len)) {
        return sl__json_fail(p, SL_EJSON_EOF, p->len,
                             "expected a low surrogate escape after \\u%04lX, found end of "
                             "input", cp);
    }
    if (p->text[j] != '\\' || p->text[j + 1] != 'u') {
        return sl__json_fail(p, SL_EJSON_ESCAPE, i,
                             "unpaired high surrogate \\u%04lX in string; a low surrogate "
                             "\\uDC00-\\uDFFF escape must follow it", cp);
    }
    rc = sl__json_scan_hex4(p, j + 2, &low);
    if (rc != SL_OK) {
        return rc;
    }
    if (low < 0xDC00 || low > 0xDFFF) {
        return sl__json_fail(p, SL_EJSON_ESCAPE, i,
                             "unpaired high surrogate \\u%04lX in string; it is followed by "
                             "\\u%04lX, not by a low surrogate \\uDC00-\\uDFFF", cp, low);
    }
    *at = j + 6;
    return SL_OK;
}

/* Validates the escape sequence at `*at` (the backslash) and advances past it. */
static int sl__json_scan_escape(sl__json_parser *p, size_t *at)
{
    size_t i = *at;
    char found[24];
    char c;

    if (i + 1 >= p->len) {
        return sl__json_fail(p, SL_EJSON_EOF, p->len,
                             "unterminated escape sequence: expected a character after '\\', "
                             "found end of input");
    }
    c = p->text[i + 1];
    if (c == 'u') {
        return sl__json_scan_unicode(p, at);
    }
    if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
        c == 't') {
        *at = i + 2;
        return SL_OK;
    }

    if ((unsigned char)c >= 0x21 && (unsigned char)c <= 0x7E) {
        return sl__json_fail(p, SL_EJSON_ESCAPE, i,
                             "invalid escape '\\%c' in string; valid escapes are \\\" \\\\ \\/ "
                             "\\b \\f \\n \\r \\t and \\uXXXX", c);
    }
    return sl__json_fail(p, SL_EJSON_ESCAPE, i,
                         "invalid escape: '\\' followed by %s in string; write a backslash "
                         "as \\\\", sl__json_describe(p, i + 1, found));
}

static int sl__json_control(sl__json_parser *p, size_t at)
{
    unsigned char c = (unsigned char)p->text[at];
    char hint[8];

    switch (c) {
    case '\b': snprintf(hint, sizeof(hint), "\\b"); break;
    case '\f': snprintf(hint, sizeof(hint), "\\f"); break;
    case '\n': snprintf(hint, sizeof(hint), "\\n"); break;
    case '\r': snprintf(hint, sizeof(hint), "\\r"); break;
    case '\t': snprintf(hint, sizeof(hint), "\\t"); break;
    default: snprintf(hint, sizeof(hint), "\\u%04X", c); break;
    }
    return sl__json_fail(p, SL_EJSON_CONTROL, at,
                         "raw control character 0x%02X in string; escape it as %s", c, hint);
}

/* Validates the string starting at p->pos (the opening quote) in input order, so the first
 * problem is the one reported. Stores the offset of the closing quote in *end and whether
 * any escape occurs in *escaped. */
static int sl__json_scan_string(sl__json_parser *p, size_t *end, int *escaped)
{
    const unsigned char *s = (const unsigned char *)p->text;
    size_t i = p->pos + 1;
    unsigned long cp;
    int rc;

    *escaped = 0;
    for (;;) {
        size_t n;

        if (i >= p->len) {
            return sl__json_fail(p, SL_EJSON_EOF, p->len,
                                 "unterminated string: expected '\"' to close the string that "
                                 "starts at byte %zu, found end of input", p->pos);
        }
        if (s[i] == '"') {
            *end = i;
            return SL_OK;
        }
        if (s[i] == '\\') {
            *escaped = 1;
            rc = sl__json_scan_escape(p, &i);
            if (rc != SL_OK) {
                return rc;
            }
            continue;
        }
        if (s[i] < 0x20) {
            return sl__json_control(p, i);
        }

        n = sl__json_utf8_decode(s + i, p->len - i, &cp);
        if (n == 0) {
            return sl__json_fail(p, SL_EJSON_UTF8, i,
                                 "invalid UTF-8 sequence starting with byte 0x%02X in string; "
                                 "JSON text must be UTF-8", s[i]);
        }
        i += n;
    }
}

static unsigned long sl__json_read_hex4(const char *s)
{
    unsigned long cp = 0;
    int k;

    for (k = 0; k < 4; k++) {
        cp = (cp << 4) | (unsigned long)sl__hex_digit((unsigned char)s[k]);
    }
    return cp;
}

/* Decodes the escapes of already validated string content in place; returns the new
 * length. Every escape is at least as long as its UTF-8 result, so writing never passes
 * reading. */
static size_t sl__json_unescape(char *s, size_t len)
{
    size_t r = 0;
    size_t w = 0;

    while (r < len) {
        unsigned long cp;

        if (s[r] != '\\') {
            s[w++] = s[r++];
            continue;
        }
        switch (s[r + 1]) {
        case 'b': s[w++] = '\b'; break;
        case 'f': s[w++] = '\f'; break;
        case 'n': s[w++] = '\n'; break;
        case 'r': s[w++] = '\r'; break;
        case 't': s[w++] = '\t'; break;
        case 'u': break;
        default: s[w++] = s[r + 1]; break;
        }
        if (s[r + 1] != 'u') {
            r += 2;
            continue;
        }

        cp = sl__json_read_hex4(s + r + 2);
        r += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (sl__json_read_hex4(s + r + 2) - 0xDC00);
            r += 6;
        }
        w += sl__utf8_encode(cp, s + w);
    }
    return w;
}

/* Parses the string at p->pos into a new string value positioned at its opening quote. */
static int sl__json_string(sl__json_parser *p, sl_value **out)
{
    size_t start = p->pos;
    const char *content = p->text + start + 1;
    size_t end = start;
    size_t len;
    int escaped;
    int rc;

    rc = sl__json_scan_string(p, &end, &escaped);
    if (rc != SL_OK) {
        return rc;
    }
    len = end - start - 1;

    if (escaped) {
        sl_buf_reset(&p->scratch);
        if (sl_buf_append(&p->scratch, content, len) != SL_OK) {
            return sl__json_nomem(p);
        }
        len = sl__json_unescape(p->scratch.data, len);
        content = p->scratch.data;
    }
    *out = sl_value_new_strn(p->doc, content, len);
    if (*out == NULL) {
        return sl__json_nomem(p);
    }
    sl__json_mark(p, *out, start);
    p->pos = end + 1;
    return SL_OK;
}

/* ------------------------------------------------------------------------- numbers --- */

/* Consumes a run of digits at `*i`; the caller has checked the first one. */
static void sl__json_skip_digits(const sl__json_parser *p, size_t *i)
{
    while (*i < p->len && sl__json_is_digit((unsigned char)p->text[*i])) {
        (*i)++;
    }
}

/* Requires a digit at `i`, the position after `what` (a sign, '.' or an exponent). */
static int sl__json_need_digit(sl__json_parser *p, size_t i, const char *what)
{
    char found[24];

    if (i >= p->len) {
        return sl__json_fail(p, SL_EJSON_EOF, i, "expected a digit after %s in number, found "
                             "end of input", what);
    }
    if (!sl__json_is_digit((unsigned char)p->text[i])) {
        return sl__json_fail(p, SL_EJSON_NUMBER, i, "expected a digit after %s in number, "
                             "found %s", what, sl__json_describe(p, i, found));
    }
    return SL_OK;
}

/* Checks the number at p->pos against the RFC 8259 grammar; stores its end in *end and
 * whether it is an integer (no fraction, no exponent) in *integer. */
static int sl__json_scan_number(sl__json_parser *p, size_t *end, int *integer)
{
    const char *s = p->text;
    size_t i = p->pos;
    char found[24];
    int rc;

    *integer = 1;
    if (s[i] == '-') {
        i++;
    }
    rc = sl__json_need_digit(p, i, "'-'");
    if (rc != SL_OK) {
        return rc;
    }
    if (s[i] == '0' && i + 1 < p->len && sl__json_is_digit((unsigned char)s[i + 1])) {
        return sl__json_fail(p, SL_EJSON_NUMBER, i + 1,
                             "invalid number: a leading zero must not be followed by a digit");
    }
    sl__json_skip_digits(p, &i);

    if (i < p->len && s[i] == '.') {
        *integer = 0;
        rc = sl__json_need_digit(p, ++i, "'.'");
        if (rc != SL_OK) {
            return rc;
        }
        sl__json_skip_digits(p, &i);
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        *integer = 0;
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        rc = sl__json_need_digit(p, i, "the exponent");
        if (rc != SL_OK) {
            return rc;
        }
        sl__json_skip_digits(p, &i);
    }

    /* "0x1F", "1.2.3" and "1e5e" would otherwise read as a number plus a stray token. */
    if (i < p->len && (sl__json_is_alpha((unsigned char)s[i]) || s[i] == '.' || s[i] == '+' ||
                       s[i] == '-' || s[i] == '_')) {
        return sl__json_fail(p, SL_EJSON_NUMBER, i, "invalid number: unexpected %s",
                             sl__json_describe(p, i, found));
    }
    *end = i;
    return SL_OK;
}

/* Converts integer text to int64 in *out; returns 0 when it does not fit. */
static int sl__json_to_int64(const char *s, size_t n, int64_t *out)
{
    uint64_t limit = (uint64_t)INT64_MAX;
    uint64_t magnitude = 0;
    int negative = s[0] == '-';
    size_t i;

    if (negative) {
        limit += 1;
    }
    for (i = (size_t)negative; i < n; i++) {
        unsigned digit = (unsigned)(s[i] - '0');

        if (magnitude > (limit - digit) / 10) {
            return 0;
        }
        magnitude = magnitude * 10 + digit;
    }

    if (!negative) {
        *out = (int64_t)magnitude;
    } else if (magnitude == (uint64_t)INT64_MAX + 1) {
        *out = INT64_MIN;
    } else {
        *out = -(int64_t)magnitude;
    }
    return 1;
}

static int sl__json_number(sl__json_parser *p, sl_value **out)
{
    size_t start = p->pos;
    const char *s = p->text + start;
    char quoted[SL__JSON_QUOTE_MAX * 4 + 8];
    int64_t i;
    double d;
    size_t end = start;
    int integer;
    int rc;

    rc = sl__json_scan_number(p, &end, &integer);
    if (rc != SL_OK) {
        return rc;
    }

    if (integer && sl__json_to_int64(s, end - start, &i)) {
        *out = sl_value_new_int(p->doc, i);
    } else {
        if (sl__json_text_to_double(s, end - start, &p->alloc, &d) != SL_OK) {
            return sl__json_nomem(p);
        }
        if (isinf(d)) {
            sl__json_quote(s, end - start, quoted, sizeof(quoted));
            return sl__json_fail(p, SL_EJSON_NUMBER, start,
                                 "number %s is out of range for a double (about 1.8e308)",
                                 quoted);
        }
        *out = sl_value_new_real(p->doc, d);
    }
    if (*out == NULL) {
        return sl__json_nomem(p);
    }
    sl__json_mark(p, *out, start);
    p->pos = end;
    return SL_OK;
}

/* ------------------------------------------------------------------------- values --- */

static int sl__json_literal(sl__json_parser *p, const char *word, sl_value **out)
{
    size_t n = strlen(word);
    size_t k;

    for (k = 0; k < n; k++) {
        if (p->pos + k >= p->len) {
            return sl__json_fail(p, SL_EJSON_EOF, p->len,
                                 "expected '%s', found end of input", word);
        }
        if (p->text[p->pos + k] != word[k]) {
            return sl__json_fail(p, SL_EJSON_SYNTAX, p->pos + k,
                                 "invalid literal: expected '%s' (true, false and null are "
                                 "lowercase)", word);
        }
    }

    if (word[0] == 'n') {
        *out = sl_value_new_null(p->doc);
    } else {
        *out = sl_value_new_bool(p->doc, word[0] == 't');
    }
    if (*out == NULL) {
        return sl__json_nomem(p);
    }
    sl__json_mark(p, *out, p->pos);
    p->pos += n;
    return SL_OK;
}

static int sl__json_starts_with(const sl__json_parser *p, const char *word)
{
    size_t n = strlen(word);

    return p->len - p->pos >= n && memcmp(p->text + p->pos, word, n) == 0;
}

/* Reports the byte at p->pos, which cannot start a value. */
static int sl__json_unexpected_value(sl__json_parser *p)
{
    unsigned char c = (unsigned char)p->text[p->pos];
    unsigned long cp;
    char found[24];

    sl__json_describe(p, p->pos, found);
    if (c >= 0x80 && sl__json_utf8_decode((const unsigned char *)p->text + p->pos,
                                          p->len - p->pos, &cp) == 0) {
        return sl__json_fail(p, SL_EJSON_UTF8, p->pos,
                             "invalid UTF-8 sequence starting with byte 0x%02X; JSON text "
                             "must be UTF-8", c);
    }
    if (c == '+' || c == '.') {
        return sl__json_fail(p, SL_EJSON_NUMBER, p->pos,
                             "invalid number: a number starts with '-' or a digit, found %s",
                             found);
    }
    if (sl__json_starts_with(p, "NaN") || sl__json_starts_with(p, "Infinity")) {
        return sl__json_fail(p, SL_EJSON_NUMBER, p->pos,
                             "NaN and Infinity are not JSON numbers; use null or a string");
    }
    if ((c == ']' || c == '}') && p->after_comma) {
        return sl__json_fail(p, SL_EJSON_SYNTAX, p->pos,
                             "expected a value after ',', found %s; remove the trailing comma",
                             found);
    }
    return sl__json_fail(p, SL_EJSON_SYNTAX, p->pos,
                         "expected a value (object, array, string, number, true, false or "
                         "null), found %s", found);
}

/* Opens the array or object at p->pos, or closes it at once when it is empty. */
static int sl__json_open(sl__json_parser *p, int *state)
{
    int is_array = p->text[p->pos] == '[';
    sl_value *v;
    int rc;

    if (p->depth >= (size_t)p->max_depth) {
        return sl__json_fail(p, SL_EJSON_DEPTH, p->pos,
                             "%s nested deeper than %d levels; raise max_depth or flatten "
                             "the data", is_array ? "array" : "object", p->max_depth);
    }
    v = is_array ? sl_value_new_array(p->doc) : sl_value_new_object(p->doc);
    if (v == NULL) {
        return sl__json_nomem(p);
    }
    sl__json_mark(p, v, p->pos);
    rc = sl__json_attach(p, v);
    if (rc == SL_OK) {
        rc = sl__json_push_frame(p, v);
    }
    if (rc != SL_OK) {
        return rc;
    }

    p->pos++;
    p->after_comma = 0;
    sl__json_skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == (is_array ? ']' : '}')) {
        p->pos++;
        sl__json_pop_frame(p);
        *state = SL__JSON_AFTER;
        return SL_OK;
    }
    *state = is_array ? SL__JSON_VALUE : SL__JSON_KEY;
    return SL_OK;
}

static int sl__json_step_value(sl__json_parser *p, int *state)
{
    sl_value *v = NULL;
    int rc;

    sl__json_skip_space(p);
    if (p->pos >= p->len) {
        return sl__json_fail(p, SL_EJSON_EOF, p->len, "%s: expected a JSON value",
                             p->len == 0 ? "empty input" : "unexpected end of input");
    }

    switch (p->text[p->pos]) {
    case '[':
    case '{':
        return sl__json_open(p, state);
    case '"': rc = sl__json_string(p, &v); break;
    case 't': rc = sl__json_literal(p, "true", &v); break;
    case 'f': rc = sl__json_literal(p, "false", &v); break;
    case 'n': rc = sl__json_literal(p, "null", &v); break;
    default:
        if (p->text[p->pos] != '-' && !sl__json_is_digit((unsigned char)p->text[p->pos])) {
            return sl__json_unexpected_value(p);
        }
        rc = sl__json_number(p, &v);
        break;
    }
    if (rc == SL_OK) {
        rc = sl__json_attach(p, v);
    }
    *state = SL__JSON_AFTER;
    return rc;
}

static int sl__json_step_key(sl__json_parser *p, int *state)
{
    char quoted[SL__JSON_QUOTE_MAX * 4 + 8];
    char found[24];
    sl_value *key;
    sl_str k;
    int rc;

    sl__json_skip_space(p);
    if (p->pos >= p->len) {
        return sl__json_fail(p, SL_EJSON_EOF, p->len,
                             "expected an object key in double quotes, found end of input");
    }
    if (p->text[p->pos] != '"') {
        sl__json_describe(p, p->pos, found);
        if (p->text[p->pos] == '}' && p->after_comma) {
            return sl__json_fail(p, SL_EJSON_SYNTAX, p->pos,
                                 "expected an object key after ',', found '}'; remove the "
                                 "trailing comma");
        }
        return sl__json_fail(p, SL_EJSON_SYNTAX, p->pos,
                             "expected an object key in double quotes, found %s", found);
    }

    rc = sl__json_string(p, &key);
    if (rc == SL_OK) {
        rc = sl__json_check_key(p, key);
    }
    if (rc != SL_OK) {
        return rc;
    }

    sl__json_skip_space(p);
    if (p->pos >= p->len || p->text[p->pos] != ':') {
        k = sl_value_str(key);
        sl__json_quote(k.ptr, k.len, quoted, sizeof(quoted));
        return sl__json_fail(p, p->pos >= p->len ? SL_EJSON_EOF : SL_EJSON_SYNTAX, p->pos,
                             "expected ':' after object key \"%s\", found %s", quoted,
                             sl__json_describe(p, p->pos, found));
    }
    p->pos++;
    p->pending_key = key;
    *state = SL__JSON_VALUE;
    return SL_OK;
}

/* After a value: expects ',' or the closing bracket of the open container, or the end of
 * the text at the top level. */
static int sl__json_step_after(sl__json_parser *p, int *state)
{
    char found[24];
    int is_array;
    char close;

    p->after_comma = 0;
    sl__json_skip_space(p);
    if (p->depth == 0) {
        *state = SL__JSON_DONE;
        if (p->pos < p->len) {
            return sl__json_fail(p, SL_EJSON_TRAILING, p->pos,
                                 "unexpected %s after the JSON value; a JSON text holds "
                                 "exactly one value", sl__json_describe(p, p->pos, found));
        }
        return SL_OK;
    }

    is_array = sl_value_kind(p->frames[p->depth - 1].container) == SL_VALUE_ARRAY;
    close = is_array ? ']' : '}';
    if (p->pos < p->len && p->text[p->pos] == ',') {
        p->pos++;
        p->after_comma = 1;
        *state = is_array ? SL__JSON_VALUE : SL__JSON_KEY;
        return SL_OK;
    }
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        sl__json_pop_frame(p);
        return SL_OK;
    }
    return sl__json_fail(p, p->pos >= p->len ? SL_EJSON_EOF : SL_EJSON_SYNTAX, p->pos,
                         "expected ',' or '%c' after %s, found %s", close,
                         is_array ? "an array element" : "an object member",
                         sl__json_describe(p, p->pos, found));
}

static int sl__json_run(sl__json_parser *p)
{
    int state = SL__JSON_VALUE;
    int rc = SL_OK;

    while (rc == SL_OK && state != SL__JSON_DONE) {
        switch (state) {
        case SL__JSON_VALUE: rc = sl__json_step_value(p, &state); break;
        case SL__JSON_KEY: rc = sl__json_step_key(p, &state); break;
        default: rc = sl__json_step_after(p, &state); break;
        }
    }
    return rc;
}

static int sl__json_parser_init(sl__json_parser *p, const char *text, size_t len,
                                const sl_json_options *opt, sl_error *err)
{
    memset(p, 0, sizeof(*p));
    p->text = text;
    p->len = len;
    p->err = err;
    p->alloc = sl__allocator_resolve(opt->alloc);
    p->max_depth = opt->max_depth > 0 ? opt->max_depth : SL__JSON_DEFAULT_MAX_DEPTH;
    p->allow_duplicate_keys = opt->allow_duplicate_keys;
    p->loc_line = 1;
    p->loc_column = 1;
    sl_buf_init(&p->scratch, opt->alloc);

    /* NOTE: the seed only spreads keys over the table; results never depend on it. It is
     * not secret, so crafted colliding keys can still slow one large object down. */
    p->seed = 0xCBF29CE484222325ULL ^ (uint64_t)(uintptr_t)p ^ ((uint64_t)len << 32);

    if (opt->max_bytes != 0 && len > opt->max_bytes) {
        return sl__error(err, SL_ELIMIT, "JSON text is %zu bytes, over the max_bytes limit "
                         "of %zu; raise max_bytes to read it", len, opt->max_bytes);
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        return sl__json_fail(p, SL_EJSON_SYNTAX, 0,
                             "unexpected UTF-8 byte order mark (EF BB BF) at the start of the "
                             "JSON text; save the file as UTF-8 without a BOM");
    }
    p->doc = sl_doc_new(opt->alloc);
    return p->doc == NULL ? sl__json_nomem(p) : SL_OK;
}

static void sl__json_parser_release(sl__json_parser *p)
{
    while (p->depth > 0) {
        sl__json_pop_frame(p);
    }
    sl__free(&p->alloc, p->frames, p->frame_cap * sizeof(sl__json_frame));
    sl_buf_free(&p->scratch);
}

SKILLLITE_API void sl_json_options_init(sl_json_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->max_depth = SL__JSON_DEFAULT_MAX_DEPTH;
}

SKILLLITE_API sl_doc *sl_json_parse(const char *text, size_t len, const sl_json_options *opt,
                                    sl_error *err)
{
    sl_json_options defaults;
    sl__json_parser p;
    int rc;

    sl_error_clear(err);
    if (text == NULL && len > 0) {
        sl__error(err, SL_EINVAL, "sl_json_parse: text is NULL but len is %zu", len);
        return NULL;
    }
    if (opt == NULL) {
        sl_json_options_init(&defaults);
        opt = &defaults;
    }

    rc = sl__json_parser_init(&p, text == NULL ? "" : text, len, opt, err);
    if (rc == SL_OK) {
        rc = sl__json_run(&p);
    }
    sl__json_parser_release(&p);
    if (rc != SL_OK) {
        sl_doc_free(p.doc);
        return NULL;
    }
    return p.doc;
}

/* --------------------------------------------------------------------------- writer --- */

/* One open container on the writer's explicit stack, which keeps deep trees off the C
 * stack of the calling thread. */
typedef struct sl__json_wframe {
    const sl_value *container;
    size_t index;
} sl__json_wframe;

typedef struct sl__json_writer {
    sl_buf *out;
    int flags;
    int rc;  /* first append failure: SL_ENOMEM or SL_ELIMIT */
    sl_allocator alloc;
    sl__json_wframe *stack;
    size_t depth;
    size_t cap;
} sl__json_writer;

static void sl__json_put(sl__json_writer *w, const char *s, size_t n)
{
    int rc = sl_buf_append(w->out, s, n);

    if (rc != SL_OK && w->rc == SL_OK) {
        w->rc = rc;
    }
}

static void sl__json_put_str(sl__json_writer *w, const char *s)
{
    sl__json_put(w, s, strlen(s));
}

/* In pretty mode, starts a new line indented for `depth` open containers. */
static void sl__json_newline(sl__json_writer *w, size_t depth)
{
    static const char spaces[] = "                                ";
    size_t n;

    if (!(w->flags & SL_JSON_PRETTY)) {
        return;
    }
    sl__json_put(w, "\n", 1);
    for (n = depth * 2; n > 0;) {
        size_t take = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

        sl__json_put(w, spaces, take);
        n -= take;
    }
}

/* Writes one UTF-16 code unit (at most 0xFFFF) as \uXXXX with lowercase hex digits. */
static void sl__json_put_u(sl__json_writer *w, unsigned long unit)
{
    static const char digits[] = "0123456789abcdef";
    char esc[6];

    esc[0] = '\\';
    esc[1] = 'u';
    esc[2] = digits[(unit >> 12) & 15];
    esc[3] = digits[(unit >> 8) & 15];
    esc[4] = digits[(unit >> 4) & 15];
    esc[5] = digits[unit & 15];
    sl__json_put(w, esc, 6);
}

/* Writes `cp` as \uXXXX, or as a surrogate pair of escapes above U+FFFF. */
static void sl__json_put_escaped_cp(sl__json_writer *w, unsigned long cp)
{
    if (cp < 0x10000) {
        sl__json_put_u(w, cp);
        return;
    }
    cp -= 0x10000;
    sl__json_put_u(w, 0xD800 + (cp >> 10));
    sl__json_put_u(w, 0xDC00 + (cp & 0x3FF));
}

static void sl__json_put_ascii_escape(sl__json_writer *w, unsigned char c)
{
    switch (c) {
    case '"': sl__json_put(w, "\\\"", 2); break;
    case '\\': sl__json_put(w, "\\\\", 2); break;
    case '\b': sl__json_put(w, "\\b", 2); break;
    case '\f': sl__json_put(w, "\\f", 2); break;
    case '\n': sl__json_put(w, "\\n", 2); break;
    case '\r': sl__json_put(w, "\\r", 2); break;
    case '\t': sl__json_put(w, "\\t", 2); break;
    default: sl__json_put_u(w, c); break;
    }
}

/* Writes a non-ASCII sequence at `s` and returns how many bytes it used. An invalid byte
 * becomes U+FFFD on its own, so the output is valid UTF-8 whatever the input. */
static size_t sl__json_put_non_ascii(sl__json_writer *w, const unsigned char *s, size_t avail)
{
    unsigned long cp;
    size_t n = sl__json_utf8_decode(s, avail, &cp);

    if (n == 0) {
        cp = 0xFFFD;
    }
    if ((w->flags & SL_JSON_ASCII) || cp == 0x2028 || cp == 0x2029) {
        /* U+2028 and U+2029 end a line in JavaScript before ES2019, so they are escaped
         * to keep the output safe to embed in a script. */
        sl__json_put_escaped_cp(w, cp);
    } else if (n == 0) {
        sl__json_put(w, "\xEF\xBF\xBD", 3);
    } else {
        sl__json_put(w, (const char *)s, n);
    }
    return n == 0 ? 1 : n;
}

static void sl__json_put_string(sl__json_writer *w, sl_str str)
{
    const unsigned char *s = (const unsigned char *)str.ptr;
    size_t run = 0;
    size_t i = 0;

    sl__json_put(w, "\"", 1);
    while (i < str.len) {
        unsigned char c = s[i];

        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        sl__json_put(w, str.ptr + run, i - run);
        if (c < 0x80) {
            sl__json_put_ascii_escape(w, c);
            i++;
        } else {
            i += sl__json_put_non_ascii(w, s + i, str.len - i);
        }
        run = i;
    }
    sl__json_put(w, str.ptr + run, i - run);
    sl__json_put(w, "\"", 1);
}

/* Rewrites printf %g output in place so its radix character is '.' in every LC_NUMERIC
 * locale. Any run of bytes other than digits, signs and 'e' is the radix character, which
 * may take several bytes. Returns the new length. */
static size_t sl__json_fix_radix(char *s, size_t n)
{
    size_t r = 0;
    size_t w = 0;

    while (r < n) {
        char c = s[r];

        if (sl__json_is_digit((unsigned char)c) || c == '-' || c == '+' || c == 'e') {
            s[w++] = s[r++];
            continue;
        }
        s[w++] = '.';
        while (r < n && !sl__json_is_digit((unsigned char)s[r]) && s[r] != 'e') {
            r++;
        }
    }
    s[w] = '\0';
    return w;
}

/* Formats finite `d` as the shortest of %.15g, %.16g and %.17g that reads back as the same
 * double (%.17g always does). A result without '.' or an exponent gets ".0", so it reads
 * back as a real, not an integer. Returns the length written to `out`. */
static size_t sl__json_format_double(double d, char out[48])
{
    size_t n = 0;
    int precision;

    for (precision = 15; precision <= 17; precision++) {
        double back = 0.0;

        n = (size_t)snprintf(out, 40, "%.*g", precision, d);
        n = sl__json_fix_radix(out, n);
        sl__json_text_to_double(out, n, NULL, &back);
        if (back == d) {
            break;
        }
    }
    if (strchr(out, '.') == NULL && strchr(out, 'e') == NULL) {
        memcpy(out + n, ".0", 3);
        n += 2;
    }
    return n;
}

static int sl__json_put_scalar(sl__json_writer *w, const sl_value *v, sl_error *err)
{
    char text[48];
    double d;

    switch (sl_value_kind(v)) {
    case SL_VALUE_BOOL: sl__json_put_str(w, sl_value_bool(v) ? "true" : "false"); break;
    case SL_VALUE_INT:
        snprintf(text, sizeof(text), "%" PRId64, sl_value_int(v));
        sl__json_put_str(w, text);
        break;
    case SL_VALUE_REAL:
        d = sl_value_real(v);
        if (isnan(d) || isinf(d)) {
            return sl__error(err, SL_EJSON_TYPE, "cannot write %s as JSON: JSON has no NaN or "
                             "infinity; store null or a string instead",
                             isnan(d) ? "NaN" : (d > 0 ? "infinity" : "-infinity"));
        }
        sl__json_put(w, text, sl__json_format_double(d, text));
        break;
    case SL_VALUE_STRING: sl__json_put_string(w, sl_value_str(v)); break;
    default: sl__json_put_str(w, "null"); break;
    }
    return SL_OK;
}

/* Writes the opening bracket of `v` and pushes it, or writes "[]" / "{}" when empty. */
static int sl__json_open_container(sl__json_writer *w, const sl_value *v, sl_error *err)
{
    int is_array = sl_value_kind(v) == SL_VALUE_ARRAY;

    if (sl_value_count(v) == 0) {
        sl__json_put_str(w, is_array ? "[]" : "{}");
        return SL_OK;
    }
    if (w->depth >= SL__JSON_WRITE_MAX_DEPTH) {
        return sl__error(err, SL_EJSON_DEPTH, "cannot write JSON nested deeper than %d "
                         "levels; flatten the data", SL__JSON_WRITE_MAX_DEPTH);
    }
    if (w->depth == w->cap) {
        size_t cap = w->cap == 0 ? 16 : w->cap * 2;
        sl__json_wframe *stack = (sl__json_wframe *)sl__realloc(
            &w->alloc, w->stack, w->cap * sizeof(*stack), cap * sizeof(*stack));

        if (stack == NULL) {
            return sl__error(err, SL_ENOMEM, "out of memory while writing JSON");
        }
        w->stack = stack;
        w->cap = cap;
    }

    w->stack[w->depth].container = v;
    w->stack[w->depth].index = 0;
    w->depth++;
    sl__json_put(w, is_array ? "[" : "{", 1);
    return SL_OK;
}

static int sl__json_put_value(sl__json_writer *w, const sl_value *v, sl_error *err)
{
    sl_value_type type = sl_value_kind(v);

    if (type == SL_VALUE_ARRAY || type == SL_VALUE_OBJECT) {
        return sl__json_open_container(w, v, err);
    }
    return sl__json_put_scalar(w, v, err);
}

/* Writes the next member or element of the innermost open container, or closes it. */
static int sl__json_write_step(sl__json_writer *w, sl_error *err)
{
    sl__json_wframe *top = &w->stack[w->depth - 1];
    const sl_value *c = top->container;
    int is_array = sl_value_kind(c) == SL_VALUE_ARRAY;
    size_t index = top->index;

    if (index == sl_value_count(c)) {
        w->depth--;
        sl__json_newline(w, w->depth);
        sl__json_put(w, is_array ? "]" : "}", 1);
        return SL_OK;
    }

    top->index++;
    if (index > 0) {
        sl__json_put(w, ",", 1);
    }
    sl__json_newline(w, w->depth);
    if (!is_array) {
        sl__json_put_string(w, sl_value_str(sl_value_key_at(c, index)));
        sl__json_put_str(w, (w->flags & SL_JSON_PRETTY) ? ": " : ":");
    }
    return sl__json_put_value(w, sl_value_at(c, index), err);
}

SKILLLITE_API int sl_json_write(const sl_value *v, int flags, sl_buf *out, sl_error *err)
{
    sl__json_writer w;
    size_t start;
    int rc;

    sl_error_clear(err);
    if (v == NULL || out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_json_write: %s is NULL", v == NULL ? "v" : "out");
    }
    if ((flags & ~(SL_JSON_PRETTY | SL_JSON_ASCII)) != 0) {
        return sl__error(err, SL_EINVAL, "sl_json_write: unknown flags 0x%x; use SL_JSON_PRETTY "
                         "and SL_JSON_ASCII", (unsigned)flags);
    }
    if (out->failed) {
        return sl__error(err, SL_ENOMEM, "sl_json_write: the output buffer is marked failed "
                         "by an earlier append; reset it first");
    }

    memset(&w, 0, sizeof(w));
    w.out = out;
    w.flags = flags;
    w.alloc = sl__allocator_resolve(out->alloc);
    start = out->len;
    rc = sl__json_put_value(&w, v, err);
    while (rc == SL_OK && w.depth > 0 && w.rc == SL_OK) {
        rc = sl__json_write_step(&w, err);
    }
    sl__free(&w.alloc, w.stack, w.cap * sizeof(sl__json_wframe));

    if (rc == SL_OK && w.rc == SL_ELIMIT) {
        rc = sl__error(err, SL_ELIMIT, "JSON output exceeds the output buffer's max of %zu "
                       "bytes; raise out->max", out->max);
    } else if (rc == SL_OK && w.rc != SL_OK) {
        rc = sl__error(err, w.rc, "out of memory while writing JSON");
    }
    if (rc != SL_OK) {
        out->len = start;
        out->failed = 0;
        if (out->data != NULL) {
            out->data[start] = '\0';
        }
    }
    return rc;
}

SKILLLITE_API char *sl_json_to_string(const sl_value *v, int flags, const sl_allocator *alloc,
                                      size_t *len, sl_error *err)
{
    sl_buf buf;
    char *s;
    int rc;

    sl_buf_init(&buf, alloc);
    rc = sl_json_write(v, flags, &buf, err);
    if (rc != SL_OK) {
        sl_buf_free(&buf);
        return NULL;
    }
    s = sl_buf_detach(&buf, len);
    if (s == NULL) {
        sl_buf_free(&buf);
        sl__error(err, SL_ENOMEM, "out of memory while writing JSON");
    }
    return s;
}
