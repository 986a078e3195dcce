/* ======================================================================== core ===
 * Private helpers here (sl__*) are `static` and shared by every later module of the
 * amalgamation, the way SQLite's amalgamation shares its internals.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if !defined(SKILLLITE_MALLOC) && !defined(SKILLLITE_REALLOC) && !defined(SKILLLITE_FREE)
#define SKILLLITE_MALLOC(size) malloc(size)
#define SKILLLITE_REALLOC(ptr, size) realloc(ptr, size)
#define SKILLLITE_FREE(ptr) free(ptr)
#elif !defined(SKILLLITE_MALLOC) || !defined(SKILLLITE_REALLOC) || !defined(SKILLLITE_FREE)
#error "skilllite.h: define all of SKILLLITE_MALLOC, SKILLLITE_REALLOC and SKILLLITE_FREE, or none"
#endif

#define SL__UNUSED(x) ((void)(x))

/* Marks a private helper that later modules share. Such helpers are `static`, so a build
 * that leaves those modules out (a partial amalgamation) must not warn about them. */
#if defined(__GNUC__) || defined(__clang__)
#define SL__SHARED static __attribute__((unused))
#else
#define SL__SHARED static
#endif
#define SL__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- version, results --- */

SKILLLITE_API const char *sl_version_string(void)
{
    return SKILLLITE_VERSION_STRING;
}

SKILLLITE_API const char *sl_result_str(int code)
{
    switch (code) {
    case SL_OK: return "success";
    case SL_ENOMEM: return "out of memory";
    case SL_EINVAL: return "invalid argument";
    case SL_EIO: return "system call failed";
    case SL_ENOTFOUND: return "not found";
    case SL_ELIMIT: return "limit exceeded";
    case SL_EUNSUPPORTED: return "not supported on this platform or build";
    case SL_ETIMEOUT: return "timed out";
    case SL_EAGAIN: return "not finished yet";
    case SL_ESTATE: return "object in wrong state for this call";
    case SL_EDENIED: return "denied by policy";
    case SL_EJSON_SYNTAX: return "JSON syntax error";
    case SL_EJSON_EOF: return "JSON text ended early";
    case SL_EJSON_UTF8: return "JSON text is not valid UTF-8";
    case SL_EJSON_ESCAPE: return "invalid JSON string escape";
    case SL_EJSON_NUMBER: return "invalid JSON number";
    case SL_EJSON_DEPTH: return "JSON nesting too deep";
    case SL_EJSON_DUPLICATE: return "duplicate JSON object key";
    case SL_EJSON_TRAILING: return "text after the JSON value";
    case SL_EJSON_CONTROL: return "control character in JSON string";
    case SL_EJSON_TYPE: return "value cannot be written as JSON";
    case SL_EYAML_SYNTAX: return "YAML syntax error";
    case SL_EYAML_INDENT: return "invalid YAML indentation";
    case SL_EYAML_UNSUPPORTED: return "YAML feature not supported in frontmatter";
    case SL_EYAML_DUPLICATE: return "duplicate YAML mapping key";
    case SL_EYAML_SCALAR: return "invalid YAML scalar";
    case SL_EYAML_UTF8: return "YAML text is not valid UTF-8";
    case SL_EYAML_TAB: return "tab used for YAML indentation";
    case SL_EYAML_DEPTH: return "YAML nesting too deep";
    case SL_ESKILL_NO_FRONTMATTER: return "SKILL.md has no frontmatter";
    case SL_ESKILL_UNTERMINATED: return "SKILL.md frontmatter is not closed";
    case SL_ESKILL_FRONTMATTER: return "SKILL.md frontmatter is not a mapping";
    case SL_ESKILL_FIELD: return "SKILL.md field missing or invalid";
    case SL_ESKILL_NO_ENTRY: return "skill has no entry point";
    case SL_ESKILL_LANGUAGE: return "unsupported script language";
    case SL_ESKILL_NOT_SKILL: return "folder is not a skill";
    case SL_ESCAN: return "scan failed";
    case SL_ESCAN_RULES: return "invalid scanner rule file";
    case SL_ESCAN_EXPIRED: return "scan id unknown, expired or used";
    case SL_ESCAN_MISMATCH: return "content changed since the scan";
    case SL_ESCAN_BLOCKED: return "scan findings need confirmation";
    case SL_ESANDBOX_SPAWN: return "sandbox spawn failed";
    case SL_ESANDBOX_USERNS: return "user namespace unavailable";
    case SL_ESANDBOX_MOUNTNS: return "mount namespace or mount failed";
    case SL_ESANDBOX_PIDNS: return "PID namespace unavailable";
    case SL_ESANDBOX_NETNS: return "network namespace unavailable";
    case SL_ESANDBOX_IPCNS: return "IPC namespace unavailable";
    case SL_ESANDBOX_UTSNS: return "UTS namespace unavailable";
    case SL_ESANDBOX_SECCOMP: return "seccomp filter unavailable";
    case SL_ESANDBOX_LANDLOCK: return "Landlock unavailable";
    case SL_ESANDBOX_CGROUP: return "cgroup unavailable";
    case SL_ESANDBOX_RLIMIT: return "resource limit failed";
    case SL_ESANDBOX_EXEC: return "exec failed";
    case SL_ESANDBOX_IDMAP: return "uid/gid mapping failed";
    case SL_ESANDBOX_POLICY: return "invalid sandbox policy";
    default: return "unknown error";
    }
}

/* ------------------------------------------------------------------------- errors --- */

SKILLLITE_API void sl_error_clear(sl_error *err)
{
    if (err == NULL) {
        return;
    }
    memset(err, 0, sizeof(*err));
}

SKILLLITE_API void sl_locate(const char *text, size_t len, size_t offset, int *line, int *column)
{
    size_t i;
    int l = 1;
    int c = 1;

    if (offset > len) {
        offset = len;
    }
    for (i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (ch == '\r') {
            /* A lone CR is a line break; in CRLF the LF does the counting. */
            if (i + 1 < len && text[i + 1] == '\n') {
                continue;
            }
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count lead bytes only, so a column is a code point */
        }
    }
    if (line != NULL) {
        *line = l;
    }
    if (column != NULL) {
        *column = c;
    }
}

static void sl__error_vset(sl_error *err, int code, const char *fmt, va_list ap)
{
    if (err == NULL) {
        return;
    }
    sl_error_clear(err);
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

/* Sets `err` (when not NULL) and returns `code`, so callers can `return sl__error(...)`. */
SL__SHARED int sl__error(sl_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

SL__SHARED int sl__error(sl_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sl__error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Like sl__error, plus the byte offset into `text` and its line and column. */
SL__SHARED int sl__error_at(sl_error *err, int code, const char *text, size_t len, size_t offset,
                        const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

SL__SHARED int sl__error_at(sl_error *err, int code, const char *text, size_t len, size_t offset,
                        const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return code;
    }
    va_start(ap, fmt);
    sl__error_vset(err, code, fmt, ap);
    va_end(ap);
    err->offset = offset > len ? len : offset;
    sl_locate(text, len, offset, &err->line, &err->column);
    return code;
}

/* Like sl__error, plus the failing stage and the errno it saw. */
SL__SHARED int sl__error_sys(sl_error *err, int code, const char *stage, int saved_errno,
                         const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

SL__SHARED int sl__error_sys(sl_error *err, int code, const char *stage, int saved_errno,
                         const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return code;
    }
    va_start(ap, fmt);
    sl__error_vset(err, code, fmt, ap);
    va_end(ap);
    err->sys_errno = saved_errno;
    snprintf(err->stage, sizeof(err->stage), "%s", stage != NULL ? stage : "");
    return code;
}

/* ---------------------------------------------------------------------- allocator --- */

static void *sl__default_alloc(void *user, size_t size)
{
    SL__UNUSED(user);
    return SKILLLITE_MALLOC(size);
}

static void *sl__default_realloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    SL__UNUSED(user);
    SL__UNUSED(old_size);
    return SKILLLITE_REALLOC(ptr, new_size);
}

static void sl__default_free(void *user, void *ptr, size_t size)
{
    SL__UNUSED(user);
    SL__UNUSED(size);
    SKILLLITE_FREE(ptr);
}

static const sl_allocator sl__default_allocator = {
    sl__default_alloc, sl__default_realloc, sl__default_free, NULL
};

SKILLLITE_API const sl_allocator *sl_allocator_default(void)
{
    return &sl__default_allocator;
}

/* Fills the members a host left NULL, so later code can call through without checks. A
 * partial allocator (alloc set, free NULL) would mix heaps, so it is replaced whole. */
SL__SHARED sl_allocator sl__allocator_resolve(const sl_allocator *alloc)
{
    if (alloc == NULL || alloc->alloc == NULL || alloc->realloc == NULL || alloc->free == NULL) {
        return sl__default_allocator;
    }
    return *alloc;
}

SL__SHARED void *sl__malloc(const sl_allocator *a, size_t size)
{
    if (a == NULL) {
        a = &sl__default_allocator;
    }
    return a->alloc(a->user, size == 0 ? 1 : size);
}

SL__SHARED void *sl__calloc(const sl_allocator *a, size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    p = sl__malloc(a, count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

SL__SHARED void *sl__realloc(const sl_allocator *a, void *ptr, size_t old_size, size_t new_size)
{
    if (a == NULL) {
        a = &sl__default_allocator;
    }
    if (ptr == NULL) {
        return a->alloc(a->user, new_size == 0 ? 1 : new_size);
    }
    return a->realloc(a->user, ptr, old_size, new_size == 0 ? 1 : new_size);
}

SL__SHARED void sl__free(const sl_allocator *a, void *ptr, size_t size)
{
    if (ptr == NULL) {
        return;
    }
    if (a == NULL) {
        a = &sl__default_allocator;
    }
    a->free(a->user, ptr, size);
}

SKILLLITE_API void sl_free(const sl_allocator *alloc, void *ptr, size_t size)
{
    sl_allocator a = sl__allocator_resolve(alloc);
    sl__free(&a, ptr, size);
}

/* Copies `len` bytes into new NUL-terminated memory of `len + 1` bytes. */
SL__SHARED char *sl__strndup(const sl_allocator *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX) {
        return NULL;
    }
    p = (char *)sl__malloc(a, len + 1);
    if (p != NULL) {
        if (len > 0) {
            memcpy(p, s, len);
        }
        p[len] = '\0';
    }
    return p;
}

/* -------------------------------------------------------------------------- arena --- */

/* Bump allocator that owns every node and string of a parsed document. Blocks are
 * chained and released together; single allocations are never freed. */
typedef struct sl__arena_block {
    struct sl__arena_block *next;
    size_t size;  /* usable bytes after the header */
    size_t used;
} sl__arena_block;

typedef struct sl__arena {
    sl_allocator alloc;
    sl__arena_block *head;
    size_t total;  /* bytes of all blocks, for limits */
} sl__arena;

#define SL__ARENA_MIN_BLOCK 4096
#define SL__ARENA_ALIGN 16

SL__SHARED void sl__arena_init(sl__arena *arena, const sl_allocator *alloc)
{
    arena->alloc = sl__allocator_resolve(alloc);
    arena->head = NULL;
    arena->total = 0;
}

static size_t sl__arena_header_size(void)
{
    return (sizeof(sl__arena_block) + SL__ARENA_ALIGN - 1) & ~(size_t)(SL__ARENA_ALIGN - 1);
}

SL__SHARED void *sl__arena_alloc(sl__arena *arena, size_t size)
{
    sl__arena_block *b = arena->head;
    size_t header = sl__arena_header_size();
    size_t need;

    if (size > SIZE_MAX - SL__ARENA_ALIGN - header) {
        return NULL;
    }
    need = (size + SL__ARENA_ALIGN - 1) & ~(size_t)(SL__ARENA_ALIGN - 1);
    if (b == NULL || b->size - b->used < need) {
        size_t block_size = need > SL__ARENA_MIN_BLOCK ? need : SL__ARENA_MIN_BLOCK;

        /* Grow blocks with the document so a large one needs few of them. */
        if (arena->total / 2 > block_size && arena->total / 2 < ((size_t)1 << 26)) {
            block_size = arena->total / 2;
        }
        b = (sl__arena_block *)sl__malloc(&arena->alloc, header + block_size);
        if (b == NULL) {
            return NULL;
        }
        b->next = arena->head;
        b->size = block_size;
        b->used = 0;
        arena->head = b;
        arena->total += block_size;
    }
    b->used += need;
    return (char *)b + header + (b->used - need);
}

SL__SHARED void *sl__arena_calloc(sl__arena *arena, size_t size)
{
    void *p = sl__arena_alloc(arena, size);

    if (p != NULL) {
        memset(p, 0, size);
    }
    return p;
}

SL__SHARED char *sl__arena_strndup(sl__arena *arena, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX) {
        return NULL;
    }
    p = (char *)sl__arena_alloc(arena, len + 1);
    if (p != NULL) {
        if (len > 0) {
            memcpy(p, s, len);
        }
        p[len] = '\0';
    }
    return p;
}

SL__SHARED void sl__arena_free(sl__arena *arena)
{
    sl__arena_block *b = arena->head;
    size_t header = sl__arena_header_size();

    while (b != NULL) {
        sl__arena_block *next = b->next;
        sl__free(&arena->alloc, b, header + b->size);
        b = next;
    }
    arena->head = NULL;
    arena->total = 0;
}

/* ------------------------------------------------------------------------- buffer --- */

SKILLLITE_API void sl_buf_init(sl_buf *buf, const sl_allocator *alloc)
{
    memset(buf, 0, sizeof(*buf));
    buf->alloc = alloc;
}

static int sl__buf_reserve(sl_buf *buf, size_t extra)
{
    size_t need;
    size_t cap;
    char *p;
    sl_allocator a;

    if (buf->failed) {
        return SL_ENOMEM;
    }
    if (extra > SIZE_MAX - buf->len - 1) {
        buf->failed = 1;
        return SL_ENOMEM;
    }
    need = buf->len + extra + 1;
    if (buf->max != 0 && buf->len + extra > buf->max) {
        buf->failed = 1;
        return SL_ELIMIT;
    }
    if (need <= buf->cap) {
        return SL_OK;
    }
    cap = buf->cap < 64 ? 64 : buf->cap;
    while (cap < need) {
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    a = sl__allocator_resolve(buf->alloc);
    p = (char *)sl__realloc(&a, buf->data, buf->cap, cap);
    if (p == NULL) {
        buf->failed = 1;
        return SL_ENOMEM;
    }
    buf->data = p;
    buf->cap = cap;
    return SL_OK;
}

SKILLLITE_API int sl_buf_append(sl_buf *buf, const void *data, size_t len)
{
    int rc = sl__buf_reserve(buf, len);

    if (rc != SL_OK) {
        return rc;
    }
    if (len > 0) {
        memcpy(buf->data + buf->len, data, len);
    }
    buf->len += len;
    buf->data[buf->len] = '\0';
    return SL_OK;
}

SKILLLITE_API int sl_buf_append_str(sl_buf *buf, const char *cstr)
{
    return sl_buf_append(buf, cstr, strlen(cstr));
}

SKILLLITE_API int sl_buf_putc(sl_buf *buf, int ch)
{
    char c = (char)ch;
    return sl_buf_append(buf, &c, 1);
}

SKILLLITE_API int sl_buf_appendf(sl_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int n;
    int rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf->failed = 1;
        return SL_EINVAL;
    }
    rc = sl__buf_reserve(buf, (size_t)n);
    if (rc != SL_OK) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return SL_OK;
}

SKILLLITE_API const char *sl_buf_cstr(sl_buf *buf)
{
    if (buf->data == NULL) {
        return "";
    }
    return buf->data;
}

SKILLLITE_API char *sl_buf_detach(sl_buf *buf, size_t *len)
{
    char *p;
    sl_allocator a = sl__allocator_resolve(buf->alloc);

    if (buf->data == NULL) {
        p = sl__strndup(&a, "", 0);
    } else if (buf->cap != buf->len + 1) {
        /* Shrink so the caller frees exactly len + 1 bytes, as documented. */
        p = (char *)sl__realloc(&a, buf->data, buf->cap, buf->len + 1);
        if (p == NULL) {
            return NULL;
        }
    } else {
        p = buf->data;
    }
    if (p == NULL) {
        return NULL;
    }
    if (len != NULL) {
        *len = buf->len;
    }
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->failed = 0;
    return p;
}

SKILLLITE_API void sl_buf_reset(sl_buf *buf)
{
    buf->len = 0;
    buf->failed = 0;
    if (buf->data != NULL) {
        buf->data[0] = '\0';
    }
}

SKILLLITE_API void sl_buf_free(sl_buf *buf)
{
    sl_allocator a;

    if (buf == NULL) {
        return;
    }
    a = sl__allocator_resolve(buf->alloc);
    sl__free(&a, buf->data, buf->cap);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->failed = 0;
}

/* ------------------------------------------------------------------------ sha-256 --- */

static const uint32_t sl__sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2
};

#define SL__ROTR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sl__sha256_block(sl_sha256 *ctx, const unsigned char *p)
{
    uint32_t w[64];
    uint32_t a, b, c, d, e, f, g, h;
    int i;

    for (i = 0; i < 16; i++) {
        w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
               ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
    }
    for (i = 16; i < 64; i++) {
        uint32_t s0 = SL__ROTR32(w[i - 15], 7) ^ SL__ROTR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = SL__ROTR32(w[i - 2], 17) ^ SL__ROTR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }

    a = ctx->state[0];
    b = ctx->state[1];
    c = ctx->state[2];
    d = ctx->state[3];
    e = ctx->state[4];
    f = ctx->state[5];
    g = ctx->state[6];
    h = ctx->state[7];
    for (i = 0; i < 64; i++) {
        uint32_t s1 = SL__ROTR32(e, 6) ^ SL__ROTR32(e, 11) ^ SL__ROTR32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + s1 + ch + sl__sha256_k[i] + w[i];
        uint32_t s0 = SL__ROTR32(a, 2) ^ SL__ROTR32(a, 13) ^ SL__ROTR32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    ctx->state[0] += a;
    ctx->state[1] += b;
    ctx->state[2] += c;
    ctx->state[3] += d;
    ctx->state[4] += e;
    ctx->state[5] += f;
    ctx->state[6] += g;
    ctx->state[7] += h;
}

SKILLLITE_API void sl_sha256_init(sl_sha256 *ctx)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

    memcpy(ctx->state, iv, sizeof(iv));
    ctx->bytes = 0;
    ctx->block_len = 0;
}

SKILLLITE_API void sl_sha256_update(sl_sha256 *ctx, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    ctx->bytes += len;
    while (len > 0) {
        size_t take = 64 - ctx->block_len;
        if (take > len) {
            take = len;
        }
        memcpy(ctx->block + ctx->block_len, p, take);
        ctx->block_len += take;
        p += take;
        len -= take;
        if (ctx->block_len == 64) {
            sl__sha256_block(ctx, ctx->block);
            ctx->block_len = 0;
        }
    }
}

SKILLLITE_API void sl_sha256_final(sl_sha256 *ctx, unsigned char digest[32])
{
    uint64_t bits = ctx->bytes * 8;
    unsigned char pad = 0x80;
    unsigned char zero = 0;
    unsigned char length[8];
    int i;

    sl_sha256_update(ctx, &pad, 1);
    while (ctx->block_len != 56) {
        sl_sha256_update(ctx, &zero, 1);
    }
    for (i = 0; i < 8; i++) {
        length[i] = (unsigned char)(bits >> (56 - 8 * i));
    }
    sl_sha256_update(ctx, length, 8);
    for (i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (unsigned char)ctx->state[i];
    }
}

SKILLLITE_API void sl_sha256_hex(const void *data, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char digest[32];
    sl_sha256 ctx;
    int i;

    sl_sha256_init(&ctx);
    sl_sha256_update(&ctx, data, len);
    sl_sha256_final(&ctx, digest);
    for (i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

/* --------------------------------------------------------------------- time, files --- */

SKILLLITE_API uint64_t sl_time_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Formats a message and passes it to `log` when set; nothing happens otherwise. */
SL__SHARED void sl__log(sl_log_fn log, void *user, int level, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

SL__SHARED void sl__log(sl_log_fn log, void *user, int level, const char *fmt, ...)
{
    char message[512];
    va_list ap;

    if (log == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    log(user, level, message);
}

SKILLLITE_API int sl_file_read(const char *path, size_t max_bytes, const sl_allocator *alloc,
                               char **data, size_t *len, sl_error *err)
{
    sl_allocator a = sl__allocator_resolve(alloc);
    struct stat st;
    char *buf;
    size_t cap;
    size_t used = 0;
    int fd;

    *data = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        return sl__error_sys(err, e == ENOENT ? SL_ENOTFOUND : SL_EIO, "open", e,
                             "cannot open '%s': %s", path, strerror(e));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        return sl__error_sys(err, SL_EIO, "fstat", e, "'%s' is not a regular file", path);
    }
    if (max_bytes != 0 && (uint64_t)st.st_size > (uint64_t)max_bytes) {
        close(fd);
        return sl__error(err, SL_ELIMIT, "'%s' is %lld bytes, over the limit of %zu bytes",
                         path, (long long)st.st_size, max_bytes);
    }
    cap = (size_t)st.st_size + 1;
    buf = (char *)sl__malloc(&a, cap);
    if (buf == NULL) {
        close(fd);
        return sl__error(err, SL_ENOMEM, "out of memory reading '%s'", path);
    }

    /* Read to EOF rather than trusting st_size, which can change under us. */
    for (;;) {
        ssize_t n;

        if (used + 1 == cap) {
            size_t ncap = cap * 2;
            char *p;
            if (max_bytes != 0 && used >= max_bytes) {
                sl__free(&a, buf, cap);
                close(fd);
                return sl__error(err, SL_ELIMIT, "'%s' grew past the limit of %zu bytes", path,
                                 max_bytes);
            }
            p = (char *)sl__realloc(&a, buf, cap, ncap);
            if (p == NULL) {
                sl__free(&a, buf, cap);
                close(fd);
                return sl__error(err, SL_ENOMEM, "out of memory reading '%s'", path);
            }
            buf = p;
            cap = ncap;
        }
        n = read(fd, buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int e = errno;
            sl__free(&a, buf, cap);
            close(fd);
            return sl__error_sys(err, SL_EIO, "read", e, "cannot read '%s': %s", path, strerror(e));
        }
        if (n == 0) {
            break;
        }
        used += (size_t)n;
    }
    close(fd);
    if (max_bytes != 0 && used > max_bytes) {
        sl__free(&a, buf, cap);
        return sl__error(err, SL_ELIMIT, "'%s' is over the limit of %zu bytes", path, max_bytes);
    }
    if (cap != used + 1) {
        char *p = (char *)sl__realloc(&a, buf, cap, used + 1);
        if (p == NULL) {
            sl__free(&a, buf, cap);
            return sl__error(err, SL_ENOMEM, "out of memory reading '%s'", path);
        }
        buf = p;
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return SL_OK;
}

/* Returns the value of hexadecimal digit `c` (0-9, a-f, A-F), or -1 for any other byte. */
SL__SHARED int sl__hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Returns 1 when [s, s+len) is valid UTF-8 (no overlongs, no surrogates, max U+10FFFF),
 * else 0 with the offset of the first bad byte in *bad (when not NULL). */
SL__SHARED int sl__utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned cp;
        size_t k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            goto invalid;
        }
        if (len - i <= n) {
            goto invalid;
        }
        for (k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                goto invalid;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            goto invalid;
        }
        i += n + 1;
    }
    return 1;

invalid:
    if (bad != NULL) {
        *bad = i;
    }
    return 0;
}

/* Counts code points in valid UTF-8 (lead bytes only). */
SL__SHARED size_t sl__utf8_count(const char *s, size_t len)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* Encodes code point `cp` (max U+10FFFF, no surrogates) into `out`; returns the length. */
SL__SHARED size_t sl__utf8_encode(unsigned long cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
