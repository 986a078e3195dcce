/* ==================================================================== scan_lex ===
 * Tokenizers for the scanner: Python, JavaScript/TypeScript and shell. Each is one pass
 * over the bytes with a small explicit state stack (string interpolations, command
 * substitutions), so the time is linear in the input and nothing backtracks beyond a
 * bounded look-ahead. Tokens keep their byte span in the source; string literals and
 * shell words also get their decoded value (escapes and quotes removed) in a side pool,
 * which is what the rules look at.
 */

#include <errno.h>
#include <string.h>

/* Token kinds. */
#define SL__TK_IDENT 1      /* identifier or keyword */
#define SL__TK_STRING 2     /* string literal (one piece of an interpolated string) */
#define SL__TK_NUMBER 3
#define SL__TK_OP 4         /* operator or punctuation */
#define SL__TK_NEWLINE 5    /* end of a logical line (Python, shell) */
#define SL__TK_WORD 6       /* shell word piece, quotes removed */
#define SL__TK_REDIR 7      /* shell redirection operator, with its fd prefix */
#define SL__TK_SUB_OPEN 8   /* shell $( ` <( >( */
#define SL__TK_SUB_CLOSE 9  /* shell ) or ` that closes a substitution */
#define SL__TK_HEREDOC 10   /* shell here-document body */
#define SL__TK_REGEX 11     /* JavaScript regular expression literal */

/* Token flags. */
#define SL__TF_DYNAMIC 0x0001   /* interpolation: f-string field, ${} or $var inside */
#define SL__TF_BYTES 0x0002     /* Python bytes literal */
#define SL__TF_ESCAPED 0x0004   /* written with \x, \u or octal escapes */
#define SL__TF_JOIN_NEXT 0x0008 /* shell: the next token continues the same word */
#define SL__TF_QUOTED 0x0010    /* shell: quotes in the word; heredoc: quoted delimiter */
#define SL__TF_ASSIGN 0x0020    /* shell: NAME=value word */
#define SL__TF_PROCSUB 0x0040   /* shell: <( or >( */
#define SL__TF_BACKTICK 0x0080  /* shell: ` substitution */
#define SL__TF_TEMPLATE 0x0100  /* JavaScript template literal piece */

/* Hard limits of the tokenizers. Inputs beyond them fail with SL_ELIMIT rather than
 * being read partially, because a partial read could hide code. */
#define SL__LEX_MAX_NEST 64         /* interpolations or substitutions inside each other */
#define SL__LEX_MAX_TOKENS 8000000u /* per file */
#define SL__LEX_MAX_HEREDOCS 16     /* here-documents started on one line */
#define SL__LEX_REGEX_SCAN 4096     /* bytes looked at for a JS regex literal */

typedef struct sl__tok {
    uint32_t off;    /* byte offset of the raw token */
    uint32_t len;    /* raw length */
    uint32_t val;    /* STRING, WORD, HEREDOC: offset of the decoded value in the pool */
    uint32_t vlen;   /* decoded length */
    int32_t match;   /* index of the matching bracket or substitution token, -1 if none */
    uint16_t kind;
    uint16_t flags;
} sl__tok;

/* An open string interpolation (Python f-string field, JS template `${`). */
typedef struct sl__interp {
    unsigned char quote;  /* ' " or ` */
    unsigned char triple; /* Python triple-quoted */
    unsigned char raw;    /* Python raw string */
    unsigned char bytes;
    int depth;            /* bracket depth at which the field's closing } returns */
} sl__interp;

typedef struct sl__lex {
    sl_allocator alloc;
    const char *src;
    size_t len;
    sl__tok *toks;
    size_t ntok;
    size_t cap;
    sl_buf pool;         /* decoded values */
    int status;          /* SL_OK, or the first error */
    sl_error *err;
    const char *path;    /* for error messages */
} sl__lex;

static void sl__lex_init(sl__lex *lx, const sl_allocator *alloc, const char *path,
                         const char *src, size_t len, sl_error *err)
{
    memset(lx, 0, sizeof(*lx));
    lx->alloc = sl__allocator_resolve(alloc);
    lx->src = src;
    lx->len = len;
    lx->path = path != NULL ? path : "(input)";
    lx->err = err;
    sl_buf_init(&lx->pool, &lx->alloc);
}

static void sl__lex_free(sl__lex *lx)
{
    sl__free(&lx->alloc, lx->toks, lx->cap * sizeof(sl__tok));
    lx->toks = NULL;
    lx->cap = 0;
    lx->ntok = 0;
    sl_buf_free(&lx->pool);
}

static int sl__lex_fail(sl__lex *lx, int code, size_t offset, const char *what)
{
    if (lx->status == SL_OK) {
        lx->status = code;
        if (code == SL_ENOMEM) {
            sl__error(lx->err, code, "out of memory while scanning '%s'", lx->path);
        } else {
            sl__error_at(lx->err, code, lx->src, lx->len, offset,
                         "%s: cannot scan: %s; split or simplify the file", lx->path, what);
        }
    }
    return lx->status;
}

/* Appends a token; returns its index, or -1 after recording an error. */
static long sl__lex_push(sl__lex *lx, int kind, size_t off, size_t len, int flags)
{
    sl__tok *t;

    if (lx->status != SL_OK) {
        return -1;
    }
    if (lx->ntok == lx->cap) {
        size_t ncap = lx->cap == 0 ? 256 : lx->cap * 2;
        sl__tok *p;
        if (lx->ntok >= SL__LEX_MAX_TOKENS) {
            sl__lex_fail(lx, SL_ELIMIT, off, "more than 8000000 tokens");
            return -1;
        }
        p = (sl__tok *)sl__realloc(&lx->alloc, lx->toks, lx->cap * sizeof(sl__tok),
                                   ncap * sizeof(sl__tok));
        if (p == NULL) {
            sl__lex_fail(lx, SL_ENOMEM, off, "");
            return -1;
        }
        lx->toks = p;
        lx->cap = ncap;
    }
    t = &lx->toks[lx->ntok];
    t->off = (uint32_t)off;
    t->len = (uint32_t)len;
    t->val = (uint32_t)off;
    t->vlen = (uint32_t)len;
    t->match = -1;
    t->kind = (uint16_t)kind;
    t->flags = (uint16_t)flags;
    return (long)lx->ntok++;
}

/* Text of token `i`: the decoded value for strings, words and heredocs, else the source. */
static const char *sl__tok_text(const sl__lex *lx, size_t i, size_t *len)
{
    const sl__tok *t = &lx->toks[i];

    *len = t->vlen;
    if (t->kind == SL__TK_STRING || t->kind == SL__TK_WORD || t->kind == SL__TK_HEREDOC) {
        return lx->pool.data != NULL ? lx->pool.data + t->val : "";
    }
    return lx->src + t->off;
}

/* Returns 1 when token `i` exists, has `kind` and its text is exactly `s`. */
static int sl__tok_is(const sl__lex *lx, size_t i, int kind, const char *s)
{
    size_t len;
    const char *p;

    if (i >= lx->ntok || lx->toks[i].kind != kind) {
        return 0;
    }
    p = sl__tok_text(lx, i, &len);
    if (len == 0 || p[0] != s[0]) {
        return 0;
    }
    return strlen(s) == len && memcmp(p, s, len) == 0;
}

static int sl__is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int sl__is_ident_char(unsigned char c)
{
    return sl__is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Reads up to `max` hex digits at s[*i]; returns the value or -1 when there is none. */
static long sl__read_hex(const unsigned char *s, size_t n, size_t *i, int max)
{
    long v = 0;
    int k = 0;

    while (k < max && *i < n && sl__hex_digit(s[*i]) >= 0) {
        v = v * 16 + sl__hex_digit(s[*i]);
        (*i)++;
        k++;
    }
    return k == 0 ? -1 : v;
}

static void sl__pool_codepoint(sl__lex *lx, unsigned long cp)
{
    char out[4];
    size_t n;

    if (cp > 0x10FFFF) {
        cp = 0xFFFD;
    }
    n = sl__utf8_encode(cp, out);
    sl_buf_append(&lx->pool, out, n);
}

/* Operators that are longer than one byte, longest first so the first match wins. */
static const char *const sl__ops_py[] = {
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ">>", "<<", NULL
};

static const char *const sl__ops_js[] = {
    ">>>=", "===", "!==", "**=", "<<=", ">>=", ">>>", "...", "&&=", "||=", "?\?=", "=>", "==",
    "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=",
    "|=", "^=", "**", "<<", ">>", NULL
};

static size_t sl__op_length(const char *const *ops, const char *s, size_t rest)
{
    size_t k;

    for (k = 0; ops[k] != NULL; k++) {
        size_t n;
        if (ops[k][0] != s[0]) {
            continue;
        }
        n = strlen(ops[k]);
        if (n <= rest && memcmp(s, ops[k], n) == 0) {
            return n;
        }
    }
    return 1;
}

/* Skips a number literal of either language: digits, letters (hex, exponents, suffixes),
 * '_', '.', and a sign right after an exponent letter. */
static size_t sl__skip_number(const unsigned char *s, size_t n, size_t i)
{
    int hex = (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'));

    while (i < n) {
        unsigned char c = s[i];
        if (sl__is_ident_char(c) || c == '.') {
            i++;
        } else if ((c == '+' || c == '-') && !hex && (s[i - 1] == 'e' || s[i - 1] == 'E')) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* ------------------------------------------------------------------ python --- */

/* Decodes one backslash escape of a Python (or, with js set, JavaScript) string at
 * s[*i] (just after the backslash) into the pool. Returns 1 when the escape was a
 * numeric one (\x, \u, octal), which obfuscation tends to use. */
static int sl__decode_escape(sl__lex *lx, const unsigned char *s, size_t n, size_t *i,
                             int bytes, int js)
{
    unsigned char c = s[*i];
    long v;
    size_t j;

    (*i)++;
    switch (c) {
    case '\n':
        return 0;
    case '\r':
        if (*i < n && s[*i] == '\n') {
            (*i)++;
        }
        return 0;
    case 'n': sl_buf_putc(&lx->pool, '\n'); return 0;
    case 't': sl_buf_putc(&lx->pool, '\t'); return 0;
    case 'r': sl_buf_putc(&lx->pool, '\r'); return 0;
    case 'a': sl_buf_putc(&lx->pool, js ? 'a' : '\a'); return 0;
    case 'b': sl_buf_putc(&lx->pool, '\b'); return 0;
    case 'f': sl_buf_putc(&lx->pool, '\f'); return 0;
    case 'v': sl_buf_putc(&lx->pool, '\v'); return 0;
    case 'x':
        j = *i;
        v = sl__read_hex(s, n, &j, 2);
        if (v < 0 || j - *i != 2) {
            sl_buf_append(&lx->pool, "\\x", 2);
            return 0;
        }
        *i = j;
        if (bytes || v < 0x80) {
            sl_buf_putc(&lx->pool, (int)v);
        } else {
            sl__pool_codepoint(lx, (unsigned long)v);
        }
        return 1;
    case 'u':
    case 'U':
        if (bytes || (c == 'U' && js)) {
            break;
        }
        j = *i;
        if (js && j < n && s[j] == '{') {
            j++;
            v = sl__read_hex(s, n, &j, 6);
            if (v >= 0 && j < n && s[j] == '}') {
                *i = j + 1;
                sl__pool_codepoint(lx, (unsigned long)v);
                return 1;
            }
            break;
        }
        v = sl__read_hex(s, n, &j, c == 'u' ? 4 : 8);
        if (v < 0 || j - *i != (c == 'u' ? 4u : 8u)) {
            break;
        }
        *i = j;
        sl__pool_codepoint(lx, (unsigned long)v);
        return 1;
    default:
        if (c >= '0' && c <= '7') {
            v = c - '0';
            for (j = 0; j < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; j++) {
                v = v * 8 + (s[*i] - '0');
                (*i)++;
            }
            if (bytes || v < 0x80) {
                sl_buf_putc(&lx->pool, (int)(v & 0xFF));
            } else {
                sl__pool_codepoint(lx, (unsigned long)v);
            }
            return v != 0 || j > 0;
        }
        if (c == '\\' || c == '\'' || c == '"' || c == '`') {
            sl_buf_putc(&lx->pool, c);
            return 0;
        }
        break;
    }
    /* Unknown escape: JavaScript drops the backslash, Python keeps it. */
    if (!js) {
        sl_buf_putc(&lx->pool, '\\');
    }
    sl_buf_putc(&lx->pool, c);
    return 0;
}

/* Scans the body of a Python string from s[i] (after the opening quote, or after the `}`
 * of an f-string field) and pushes it as one STRING token starting at `start`. Returns
 * the position after the closing quote, or after a `{` that opens an f-string field, in
 * which case *opened is set. */
static size_t sl__lex_py_body(sl__lex *lx, size_t start, size_t i, const sl__interp *st,
                              int fmt, int *opened)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    size_t val = lx->pool.len;
    int flags = (st->bytes ? SL__TF_BYTES : 0) | (*opened ? SL__TF_DYNAMIC : 0);
    long t;

    *opened = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == st->quote && (!st->triple || (i + 2 < n && s[i + 1] == c && s[i + 2] == c))) {
            i += st->triple ? 3 : 1;
            break;
        }
        if (c == '\n' && !st->triple) {
            break; /* unterminated: end the string at the line end */
        }
        if (c == '\\' && i + 1 < n) {
            if (st->raw) {
                sl_buf_putc(&lx->pool, c);
                sl_buf_putc(&lx->pool, s[i + 1]);
                i += 2;
            } else {
                i++;
                if (sl__decode_escape(lx, s, n, &i, st->bytes, 0)) {
                    flags |= SL__TF_ESCAPED;
                }
            }
            continue;
        }
        if (fmt && (c == '{' || c == '}')) {
            if (i + 1 < n && s[i + 1] == c) {
                sl_buf_putc(&lx->pool, c);
                i += 2;
                continue;
            }
            if (c == '{') {
                *opened = 1;
                flags |= SL__TF_DYNAMIC;
                i++;
                break;
            }
        }
        sl_buf_putc(&lx->pool, c);
        i++;
    }
    if (lx->pool.failed) {
        sl__lex_fail(lx, SL_ENOMEM, i, "");
        return n;
    }
    t = sl__lex_push(lx, SL__TK_STRING, start, i - start, flags);
    if (t >= 0) {
        lx->toks[t].val = (uint32_t)val;
        lx->toks[t].vlen = (uint32_t)(lx->pool.len - val);
    }
    return i;
}

/* Returns 1 when s[0..len) is a Python string prefix (r, b, u, f and their pairs). */
static int sl__py_prefix(const unsigned char *s, size_t len, sl__interp *st, int *fmt)
{
    size_t k;

    st->raw = 0;
    st->bytes = 0;
    *fmt = 0;
    if (len > 2) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        unsigned char c = (unsigned char)(s[k] | 0x20);
        if (c == 'r' && !st->raw) {
            st->raw = 1;
        } else if (c == 'b' && !st->bytes && !*fmt) {
            st->bytes = 1;
        } else if (c == 'f' && !*fmt && !st->bytes) {
            *fmt = 1;
        } else if (c == 'u' && len == 1) {
            continue;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Starts a string at s[q] (the quote) whose prefix begins at `start`. */
static size_t sl__lex_py_string(sl__lex *lx, size_t start, size_t q, sl__interp *st, int fmt,
                                sl__interp *stack, int *nstack, int depth)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    int opened = 0;
    size_t i;

    st->quote = s[q];
    st->triple = (q + 2 < n && s[q + 1] == s[q] && s[q + 2] == s[q]);
    i = sl__lex_py_body(lx, start, q + (st->triple ? 3 : 1), st, fmt, &opened);
    if (opened) {
        if (*nstack >= SL__LEX_MAX_NEST) {
            sl__lex_fail(lx, SL_ELIMIT, i, "f-strings nested more than 64 deep");
            return n;
        }
        st->depth = depth;
        stack[(*nstack)++] = *st;
    }
    return i;
}

static void sl__lex_python(sl__lex *lx)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    size_t i = 0;
    int depth = 0;
    sl__interp stack[SL__LEX_MAX_NEST];
    int nstack = 0;

    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        i = 3;
    }
    while (i < n && lx->status == SL_OK) {
        unsigned char c = s[i];
        size_t j;

        if (c == '\n') {
            if (depth == 0 && lx->ntok > 0 && lx->toks[lx->ntok - 1].kind != SL__TK_NEWLINE) {
                sl__lex_push(lx, SL__TK_NEWLINE, i, 1, 0);
            }
            i++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
        } else if (c == '#') {
            while (i < n && s[i] != '\n') {
                i++;
            }
        } else if (c == '\\') {
            i += (i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) ? 2 : 1;
        } else if (sl__is_ident_start(c)) {
            sl__interp st;
            int fmt;
            for (j = i; j < n && sl__is_ident_char(s[j]); j++) {
            }
            if (j < n && (s[j] == '"' || s[j] == '\'') && sl__py_prefix(s + i, j - i, &st, &fmt)) {
                i = sl__lex_py_string(lx, i, j, &st, fmt, stack, &nstack, depth);
            } else {
                sl__lex_push(lx, SL__TK_IDENT, i, j - i, 0);
                i = j;
            }
        } else if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < n && s[i + 1] >= '0' &&
                                                s[i + 1] <= '9')) {
            j = sl__skip_number(s, n, i);
            sl__lex_push(lx, SL__TK_NUMBER, i, j - i, 0);
            i = j;
        } else if (c == '"' || c == '\'') {
            sl__interp st;
            int fmt;
            sl__py_prefix(s, 0, &st, &fmt);
            i = sl__lex_py_string(lx, i, i, &st, 0, stack, &nstack, depth);
        } else if (c == '}' && nstack > 0 && stack[nstack - 1].depth == depth) {
            /* The f-string field ends: continue the string body after the brace. */
            int opened = 1;
            sl__interp st = stack[--nstack];
            i = sl__lex_py_body(lx, i, i + 1, &st, 1, &opened);
            if (opened) {
                stack[nstack++] = st;
            }
        } else {
            size_t len = sl__op_length(sl__ops_py, (const char *)s + i, n - i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            sl__lex_push(lx, SL__TK_OP, i, len, 0);
            i += len;
        }
    }
}

/* -------------------------------------------------------------- javascript --- */

/* Words after which a `/` starts a regular expression rather than a division. */
static int sl__js_regex_keyword(const char *s, size_t len)
{
    static const char *const words[] = {
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
        "case", "do", "else", "yield", "await", NULL
    };
    size_t k;

    for (k = 0; words[k] != NULL; k++) {
        if (strlen(words[k]) == len && memcmp(words[k], s, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Decides from the previous token whether a `/` begins a regex literal. */
static int sl__js_regex_allowed(const sl__lex *lx)
{
    const sl__tok *t;
    unsigned char c;

    if (lx->ntok == 0) {
        return 1;
    }
    t = &lx->toks[lx->ntok - 1];
    if (t->kind == SL__TK_IDENT) {
        return sl__js_regex_keyword(lx->src + t->off, t->len);
    }
    if (t->kind == SL__TK_NUMBER || t->kind == SL__TK_STRING || t->kind == SL__TK_REGEX) {
        return 0;
    }
    c = (unsigned char)lx->src[t->off];
    if (t->len == 1 && (c == ')' || c == ']' || c == '}')) {
        return 0;
    }
    if (t->len == 2 && (memcmp(lx->src + t->off, "++", 2) == 0 ||
                        memcmp(lx->src + t->off, "--", 2) == 0)) {
        return 0;
    }
    return 1;
}

/* Returns the end of a regex literal starting at s[i] == '/', or 0 when the line ends
 * first (then the slash is an operator). */
static size_t sl__js_regex_end(const unsigned char *s, size_t n, size_t i)
{
    size_t limit = n - i > SL__LEX_REGEX_SCAN ? i + SL__LEX_REGEX_SCAN : n;
    int cls = 0;

    for (i++; i < limit; i++) {
        unsigned char c = s[i];
        if (c == '\n' || c == '\r') {
            return 0;
        }
        if (c == '\\') {
            i++;
        } else if (c == '[') {
            cls = 1;
        } else if (c == ']') {
            cls = 0;
        } else if (c == '/' && !cls) {
            for (i++; i < n && sl__is_ident_char(s[i]); i++) {
            }
            return i;
        }
    }
    return 0;
}

/* Scans a JS string or template body from s[i]; see sl__lex_py_body. */
static size_t sl__lex_js_body(sl__lex *lx, size_t start, size_t i, unsigned char quote,
                              int *opened)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    size_t val = lx->pool.len;
    int flags = (quote == '`' ? SL__TF_TEMPLATE : 0) | (*opened ? SL__TF_DYNAMIC : 0);
    long t;

    *opened = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == quote) {
            i++;
            break;
        }
        if ((c == '\n' || c == '\r') && quote != '`') {
            break;
        }
        if (c == '\\' && i + 1 < n) {
            i++;
            if (sl__decode_escape(lx, s, n, &i, 0, 1)) {
                flags |= SL__TF_ESCAPED;
            }
            continue;
        }
        if (quote == '`' && c == '$' && i + 1 < n && s[i + 1] == '{') {
            *opened = 1;
            flags |= SL__TF_DYNAMIC;
            i += 2;
            break;
        }
        sl_buf_putc(&lx->pool, c);
        i++;
    }
    if (lx->pool.failed) {
        sl__lex_fail(lx, SL_ENOMEM, i, "");
        return n;
    }
    t = sl__lex_push(lx, SL__TK_STRING, start, i - start, flags);
    if (t >= 0) {
        lx->toks[t].val = (uint32_t)val;
        lx->toks[t].vlen = (uint32_t)(lx->pool.len - val);
    }
    return i;
}

static size_t sl__js_skip_comment(const unsigned char *s, size_t n, size_t i)
{
    if (s[i + 1] == '/') {
        while (i < n && s[i] != '\n') {
            i++;
        }
        return i;
    }
    for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++) {
    }
    return i + 2 > n ? n : i + 2;
}

static void sl__lex_js(sl__lex *lx)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    size_t i = 0;
    int depth = 0;
    int stack[SL__LEX_MAX_NEST];
    int nstack = 0;

    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        i = 3;
    }
    if (i + 1 < n && s[i] == '#' && s[i + 1] == '!') {
        while (i < n && s[i] != '\n') {
            i++;
        }
    }
    while (i < n && lx->status == SL_OK) {
        unsigned char c = s[i];
        size_t j;

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            i++;
        } else if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
            i = sl__js_skip_comment(s, n, i);
        } else if (sl__is_ident_start(c) || c == '$' || c == '#') {
            for (j = i + 1; j < n && (sl__is_ident_char(s[j]) || s[j] == '$'); j++) {
            }
            sl__lex_push(lx, SL__TK_IDENT, i, j - i, 0);
            i = j;
        } else if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < n && s[i + 1] >= '0' &&
                                                s[i + 1] <= '9')) {
            j = sl__skip_number(s, n, i);
            sl__lex_push(lx, SL__TK_NUMBER, i, j - i, 0);
            i = j;
        } else if (c == '"' || c == '\'' || c == '`') {
            int opened = 0;
            i = sl__lex_js_body(lx, i, i + 1, c, &opened);
            if (opened) {
                if (nstack >= SL__LEX_MAX_NEST) {
                    sl__lex_fail(lx, SL_ELIMIT, i, "template literals nested more than 64 deep");
                    return;
                }
                stack[nstack++] = depth;
            }
        } else if (c == '}' && nstack > 0 && stack[nstack - 1] == depth) {
            int opened = 1;
            nstack--;
            i = sl__lex_js_body(lx, i, i + 1, '`', &opened);
            if (opened) {
                stack[nstack++] = depth;
            }
        } else if (c == '/' && sl__js_regex_allowed(lx) && (j = sl__js_regex_end(s, n, i)) != 0) {
            sl__lex_push(lx, SL__TK_REGEX, i, j - i, 0);
            i = j;
        } else {
            size_t len = sl__op_length(sl__ops_js, (const char *)s + i, n - i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            sl__lex_push(lx, SL__TK_OP, i, len, 0);
            i += len;
        }
    }
}

/* Fills `match` for ( [ { and their closers with a stack; unbalanced ones keep -1. */
static void sl__lex_match_brackets(sl__lex *lx)
{
    int32_t *stack;
    size_t top = 0;
    size_t i;

    if (lx->status != SL_OK || lx->ntok == 0) {
        return;
    }
    stack = (int32_t *)sl__malloc(&lx->alloc, lx->ntok * sizeof(int32_t));
    if (stack == NULL) {
        sl__lex_fail(lx, SL_ENOMEM, 0, "");
        return;
    }
    for (i = 0; i < lx->ntok; i++) {
        sl__tok *t = &lx->toks[i];
        char c;
        if (t->kind != SL__TK_OP || t->len != 1) {
            continue;
        }
        c = lx->src[t->off];
        if (c == '(' || c == '[' || c == '{') {
            stack[top++] = (int32_t)i;
        } else if (c == ')' || c == ']' || c == '}') {
            char open = '{';
            if (c == ')') {
                open = '(';
            } else if (c == ']') {
                open = '[';
            }
            if (top > 0 && lx->src[lx->toks[stack[top - 1]].off] == open) {
                top--;
                t->match = stack[top];
                lx->toks[stack[top]].match = (int32_t)i;
            }
        }
    }
    sl__free(&lx->alloc, stack, lx->ntok * sizeof(int32_t));
}

/* ------------------------------------------------------------------- shell --- */

/* Shell lexer state. A word is built piece by piece into the pool; `$(`, backticks and
 * `<(` inside it split it into pieces joined with SL__TF_JOIN_NEXT. */
#define SL__SH_CMD 0       /* command text: top level or inside $( ) <( ) */
#define SL__SH_BACKTICK 1  /* command text inside ` ` */
#define SL__SH_DQUOTE 2    /* inside "..." within a word */

typedef struct sl__sh_ctx {
    int type;
    int parens;     /* open ( ) inside this substitution */
    long open_tok;  /* SUB_OPEN token index */
} sl__sh_ctx;

typedef struct sl__sh_heredoc {
    size_t delim;       /* pool offset of the delimiter */
    size_t delim_len;
    int strip_tabs;     /* <<- */
    int quoted;
    long redir_tok;
} sl__sh_heredoc;

typedef struct sl__sh {
    sl__lex *lx;
    sl__sh_ctx ctx[SL__LEX_MAX_NEST];
    int nctx;
    int in_word;
    size_t word_start;
    size_t word_val;
    int word_flags;
    int continues;           /* the next piece continues the word of the last token */
    int want_delim;          /* the next word is a here-document delimiter */
    int delim_strip;
    sl__sh_heredoc docs[SL__LEX_MAX_HEREDOCS];
    int ndocs;
} sl__sh;

/* Returns 1 when `c` is a byte of `set` (never for NUL, which strchr would match). */
static int sl__in_set(unsigned char c, const char *set)
{
    return c != 0 && strchr(set, c) != NULL;
}

static int sl__sh_top(const sl__sh *sh)
{
    return sh->nctx > 0 ? sh->ctx[sh->nctx - 1].type : SL__SH_CMD;
}

static void sl__sh_begin_word(sl__sh *sh, size_t i)
{
    sh->in_word = 1;
    sh->word_start = i;
    sh->word_val = sh->lx->pool.len;
    sh->word_flags = 0;
}

/* Returns 1 when the decoded word is NAME=... (an assignment prefix). */
static int sl__sh_is_assign(const char *w, size_t len)
{
    size_t k;

    if (len == 0 || !(sl__is_ident_start((unsigned char)w[0]) && (unsigned char)w[0] < 0x80)) {
        return 0;
    }
    for (k = 1; k < len; k++) {
        if (w[k] == '=') {
            return 1;
        }
        if (!sl__is_ident_char((unsigned char)w[k]) || (unsigned char)w[k] >= 0x80) {
            return w[k] == '+' && k + 1 < len && w[k + 1] == '=';
        }
    }
    return 0;
}

/* Ends the current word piece at `end`; an empty piece that starts a word is dropped. */
static void sl__sh_flush(sl__sh *sh, size_t end, int join_next)
{
    sl__lex *lx = sh->lx;
    size_t vlen = lx->pool.len - sh->word_val;
    int continues = sh->continues;
    long t;

    if (!sh->in_word) {
        return;
    }
    sh->in_word = 0;
    if (vlen == 0 && end == sh->word_start && !continues) {
        return;
    }
    if (continues && lx->ntok > 0) {
        lx->toks[lx->ntok - 1].flags |= SL__TF_JOIN_NEXT;
    }
    t = sl__lex_push(lx, SL__TK_WORD, sh->word_start, end - sh->word_start,
                     sh->word_flags | (join_next ? SL__TF_JOIN_NEXT : 0));
    sh->continues = 0;
    if (t < 0) {
        return;
    }
    lx->toks[t].val = (uint32_t)sh->word_val;
    lx->toks[t].vlen = (uint32_t)vlen;
    if (!continues && vlen > 0 && sl__sh_is_assign(lx->pool.data + sh->word_val, vlen)) {
        lx->toks[t].flags |= SL__TF_ASSIGN;
    }
    if (sh->want_delim && !join_next) {
        sh->want_delim = 0;
        if (sh->ndocs < SL__LEX_MAX_HEREDOCS) {
            sl__sh_heredoc *d = &sh->docs[sh->ndocs++];
            d->delim = sh->word_val;
            d->delim_len = vlen;
            d->strip_tabs = sh->delim_strip;
            d->quoted = (sh->word_flags & SL__TF_QUOTED) != 0;
            d->redir_tok = t;
        }
    }
}

/* Opens a substitution ($( ` <( >( ) of `len` bytes at s[i]. */
static void sl__sh_open(sl__sh *sh, size_t i, size_t len, int type, int flags)
{
    long t;

    if (sh->nctx >= SL__LEX_MAX_NEST) {
        sl__lex_fail(sh->lx, SL_ELIMIT, i, "command substitutions nested more than 64 deep");
        return;
    }
    t = sl__lex_push(sh->lx, SL__TK_SUB_OPEN, i, len, flags);
    sh->ctx[sh->nctx].type = type;
    sh->ctx[sh->nctx].parens = 0;
    sh->ctx[sh->nctx].open_tok = t;
    sh->nctx++;
}

/* Closes the innermost substitution at s[i]; a word around it continues afterwards. */
static void sl__sh_close(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    long open = sh->ctx[sh->nctx - 1].open_tok;
    long t;

    sh->nctx--;
    t = sl__lex_push(lx, SL__TK_SUB_CLOSE, i, 1, 0);
    if (t >= 0 && open >= 0) {
        lx->toks[t].match = (int32_t)open;
        lx->toks[open].match = (int32_t)t;
    }
}

/* Handles `$` at s[i] inside a word; returns the next position. */
static size_t sl__sh_dollar(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    size_t j;

    if (i + 1 >= n) {
        sl_buf_putc(&lx->pool, '$');
        return i + 1;
    }
    if (s[i + 1] == '(' && !(i + 2 < n && s[i + 2] == '(')) {
        sl__sh_flush(sh, i, 1);
        sl__sh_open(sh, i, 2, SL__SH_CMD, sl__sh_top(sh) == SL__SH_DQUOTE ? SL__TF_QUOTED : 0);
        return i + 2;
    }
    if (s[i + 1] == '(' || s[i + 1] == '{') {
        /* $(( arithmetic )) or ${parameter}: kept as text of the word. */
        unsigned char open = s[i + 1];
        unsigned char close = open == '(' ? ')' : '}';
        int nest = 0;
        for (j = i + 1; j < n; j++) {
            if (s[j] == open) {
                nest++;
            } else if (s[j] == close && --nest == 0) {
                j++;
                break;
            }
        }
        sl_buf_append(&lx->pool, s + i, j - i);
        sh->word_flags |= SL__TF_DYNAMIC;
        return j;
    }
    if (sl__is_ident_start(s[i + 1]) || (s[i + 1] >= '0' && s[i + 1] <= '9') ||
        sl__in_set(s[i + 1], "@*#?$!-")) {
        j = i + 2;
        if (sl__is_ident_start(s[i + 1])) {
            while (j < n && sl__is_ident_char(s[j])) {
                j++;
            }
        }
        sl_buf_append(&lx->pool, s + i, j - i);
        sh->word_flags |= SL__TF_DYNAMIC;
        return j;
    }
    sl_buf_putc(&lx->pool, '$');
    return i + 1;
}

/* Decodes a $'...' ANSI-C quoted string starting at s[i] == '$'. */
static size_t sl__sh_ansi_c(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;

    sh->word_flags |= SL__TF_QUOTED;
    for (i += 2; i < n && s[i] != '\''; ) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            if (s[i] == 'e' || s[i] == 'E') {
                sl_buf_putc(&lx->pool, 27);
                i++;
            } else if (sl__decode_escape(lx, s, n, &i, 1, 0)) {
                sh->word_flags |= SL__TF_ESCAPED;
            }
        } else {
            sl_buf_putc(&lx->pool, s[i++]);
        }
    }
    return i < n ? i + 1 : n;
}

/* Reads the bodies of the here-documents started on the line that ends at s[i]. */
static size_t sl__sh_heredocs(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    const char *s = lx->src;
    size_t n = lx->len;
    int k;

    for (k = 0; k < sh->ndocs; k++) {
        sl__sh_heredoc *d = &sh->docs[k];
        size_t body = i;
        size_t end = n;
        size_t val = lx->pool.len;
        long t;

        while (i < n) {
            size_t line = i;
            size_t stop;
            while (d->strip_tabs && line < n && s[line] == '\t') {
                line++;
            }
            for (stop = i; stop < n && s[stop] != '\n'; stop++) {
            }
            if (stop - line == d->delim_len &&
                (d->delim_len == 0 ||
                 memcmp(s + line, lx->pool.data + d->delim, d->delim_len) == 0)) {
                end = i;
                i = stop < n ? stop + 1 : n;
                break;
            }
            i = stop < n ? stop + 1 : n;
        }
        if (end == n) {
            end = i;
        }
        sl_buf_append(&lx->pool, s + body, end - body);
        t = sl__lex_push(lx, SL__TK_HEREDOC, body, end - body, d->quoted ? SL__TF_QUOTED : 0);
        if (t >= 0) {
            lx->toks[t].val = (uint32_t)val;
            lx->toks[t].vlen = (uint32_t)(end - body);
            lx->toks[t].match = (int32_t)d->redir_tok;
        }
    }
    sh->ndocs = 0;
    return i;
}

/* Returns the length of a redirection operator at s[i] (digits included), 0 if none. */
static size_t sl__sh_redir_len(const unsigned char *s, size_t n, size_t i, int *heredoc)
{
    size_t j = i;
    static const char *const ops[] = {
        "&>>", "<<<", "<<-", "<<", ">>", "<&", ">&", "&>", "<>", ">|", "<", ">", NULL
    };
    size_t k;

    *heredoc = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && j - i < 3) {
        j++;
    }
    for (k = 0; ops[k] != NULL; k++) {
        size_t len = strlen(ops[k]);
        if (len <= n - j && memcmp(s + j, ops[k], len) == 0) {
            if ((ops[k][0] == '&' && j != i) || (len == 1 && j + 1 < n && s[j + 1] == '(')) {
                return 0; /* "2&>" is not one operator; "<(" is process substitution */
            }
            *heredoc = (k == 2) ? 2 : (k == 3) ? 1 : 0;
            return j + len - i;
        }
    }
    return 0;
}

/* Handles one byte in command context outside a word; returns the next position. */
static size_t sl__sh_command_byte(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    unsigned char c = s[i];
    int top = sl__sh_top(sh);
    size_t len;
    int heredoc;

    if (c == ' ' || c == '\t' || c == '\r') {
        return i + 1;
    }
    if (c == '\\' && i + 1 < n && s[i + 1] == '\n') {
        return i + 2;
    }
    if (c == '\n') {
        sl__lex_push(lx, SL__TK_NEWLINE, i, 1, 0);
        return sh->ndocs > 0 ? sl__sh_heredocs(sh, i + 1) : i + 1;
    }
    if (c == '#') {
        while (i < n && s[i] != '\n') {
            i++;
        }
        return i;
    }
    if (c == ')' && top == SL__SH_CMD && sh->nctx > 0 && sh->ctx[sh->nctx - 1].parens == 0) {
        sl__sh_close(sh, i);
        sh->continues = 1;
        return i + 1;
    }
    if (c == '`' && top == SL__SH_BACKTICK) {
        sl__sh_close(sh, i);
        sh->continues = 1;
        return i + 1;
    }
    if ((c == '<' || c == '>') && i + 1 < n && s[i + 1] == '(') {
        sl__sh_open(sh, i, 2, SL__SH_CMD, SL__TF_PROCSUB);
        return i + 2;
    }
    len = sl__sh_redir_len(s, n, i, &heredoc);
    if (len > 0 && !(s[i] >= '0' && s[i] <= '9' && sh->continues)) {
        sl__lex_push(lx, SL__TK_REDIR, i, len, 0);
        if (heredoc) {
            sh->want_delim = 1;
            sh->delim_strip = heredoc == 2;
        }
        return i + len;
    }
    if (sl__in_set(c, "|&;()")) {
        len = (i + 1 < n && (s[i + 1] == c || (c == '|' && s[i + 1] == '&') ||
                             (c == ';' && s[i + 1] == '&'))) ? 2 : 1;
        if (c == '(' || c == ')') {
            len = 1;
            if (sh->nctx > 0) {
                sh->ctx[sh->nctx - 1].parens += c == '(' ? 1 : -1;
            }
        }
        sl__lex_push(lx, SL__TK_OP, i, len, 0);
        return i + len;
    }
    sl__sh_begin_word(sh, i);
    return i;
}

/* Handles one byte inside a word (command context or double quotes). */
static size_t sl__sh_word_byte(sl__sh *sh, size_t i)
{
    sl__lex *lx = sh->lx;
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t n = lx->len;
    unsigned char c = s[i];
    int dq = sl__sh_top(sh) == SL__SH_DQUOTE;

    if (dq && c == '"') {
        sh->nctx--;
        return i + 1;
    }
    if (!dq && sl__in_set(c, " \t\r\n;&|<>()")) {
        sl__sh_flush(sh, i, 0);
        return i;
    }
    if (!dq && c == '`' && sl__sh_top(sh) == SL__SH_BACKTICK) {
        sl__sh_flush(sh, i, 0);
        return i;
    }
    if (c == '\\' && i + 1 < n) {
        unsigned char d = s[i + 1];
        if (d == '\n') {
            return i + 2;
        }
        if (!dq || sl__in_set(d, "$`\"\\")) {
            sl_buf_putc(&lx->pool, d);
        } else {
            sl_buf_putc(&lx->pool, '\\');
            sl_buf_putc(&lx->pool, d);
        }
        return i + 2;
    }
    if (!dq && c == '\'') {
        size_t j;
        sh->word_flags |= SL__TF_QUOTED;
        for (j = i + 1; j < n && s[j] != '\''; j++) {
        }
        sl_buf_append(&lx->pool, s + i + 1, j - i - 1);
        return j < n ? j + 1 : n;
    }
    if (!dq && c == '"') {
        if (sh->nctx >= SL__LEX_MAX_NEST) {
            sl__lex_fail(lx, SL_ELIMIT, i, "quotes and substitutions nested more than 64 deep");
            return n;
        }
        sh->word_flags |= SL__TF_QUOTED;
        sh->ctx[sh->nctx].type = SL__SH_DQUOTE;
        sh->ctx[sh->nctx].parens = 0;
        sh->ctx[sh->nctx].open_tok = -1;
        sh->nctx++;
        return i + 1;
    }
    if (!dq && c == '$' && i + 1 < n && s[i + 1] == '\'') {
        return sl__sh_ansi_c(sh, i);
    }
    if (c == '$') {
        return sl__sh_dollar(sh, i);
    }
    if (c == '`') {
        sl__sh_flush(sh, i, 1);
        sl__sh_open(sh, i, 1, SL__SH_BACKTICK,
                    SL__TF_BACKTICK | (dq ? SL__TF_QUOTED : 0));
        return i + 1;
    }
    sl_buf_putc(&lx->pool, c);
    return i + 1;
}

static void sl__lex_shell(sl__lex *lx)
{
    sl__sh sh;
    size_t i = 0;
    size_t n = lx->len;

    memset(&sh, 0, sizeof(sh));
    sh.lx = lx;
    while (i < n && lx->status == SL_OK) {
        if (lx->pool.failed) {
            sl__lex_fail(lx, SL_ENOMEM, i, "");
            break;
        }
        if (sh.in_word || sl__sh_top(&sh) == SL__SH_DQUOTE) {
            if (!sh.in_word) {
                /* back in double quotes after a substitution: a new piece of the word */
                sl__sh_begin_word(&sh, i);
                sh.continues = 1;
            }
            i = sl__sh_word_byte(&sh, i);
        } else if (sh.continues && !sl__in_set((unsigned char)lx->src[i], " \t\r\n;&|<>()`")) {
            sl__sh_begin_word(&sh, i);
            sh.continues = 1;
            i = sl__sh_word_byte(&sh, i);
        } else {
            sh.continues = 0;
            i = sl__sh_command_byte(&sh, i);
        }
    }
    sl__sh_flush(&sh, n, 0);
    if (sh.ndocs > 0) {
        sl__sh_heredocs(&sh, n);
    }
    if (lx->pool.failed) {
        sl__lex_fail(lx, SL_ENOMEM, n, "");
    }
}

/* Tokenizes `lx->src` as `language`. Returns SL_OK, SL_ELIMIT or SL_ENOMEM. */
static int sl__lex_run(sl__lex *lx, int language)
{
    if (lx->len > 0xFFFFFFF0u) {
        return sl__lex_fail(lx, SL_ELIMIT, 0, "file larger than 4 GiB");
    }
    if (language == SL_SCAN_LANG_PYTHON) {
        sl__lex_python(lx);
    } else if (language == SL_SCAN_LANG_JS) {
        sl__lex_js(lx);
    } else if (language == SL_SCAN_LANG_SHELL) {
        sl__lex_shell(lx);
    }
    if (lx->status == SL_OK && lx->pool.failed) {
        sl__lex_fail(lx, SL_ENOMEM, 0, "");
    }
    if (language == SL_SCAN_LANG_PYTHON || language == SL_SCAN_LANG_JS) {
        sl__lex_match_brackets(lx);
    }
    return lx->status;
}
