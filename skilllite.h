/* skilllite.h - an agent-skills engine in one header: SKILL.md parsing and validation, a
 * static security scanner, and a Linux kernel sandbox that runs a skill's python, node or
 * bash script with no access to the host's files (beyond read-only system folders), its
 * processes, its network or its secrets.
 *
 * USAGE
 *   In exactly one C file:
 *       #define SKILLLITE_IMPLEMENTATION
 *       #include "skilllite.h"
 *   Include skilllite.h before any other header in that file, because the implementation
 *   sets _GNU_SOURCE. Other C and C++ files include it without the define. No other file,
 *   build step or library is needed (libc only).
 *
 *   Running a skill:
 *       sl_skill *skill;
 *       sl_sandbox_policy policy;
 *       sl_sandbox_result result;
 *       sl_error err;
 *       if (sl_skill_load("skills/calculator", NULL, &skill, &err) != SL_OK) { ... }
 *       sl_sandbox_policy_init(&policy);       // level 2: the full sandbox
 *       if (sl_skill_run(skill, &policy, json, json_len, &result, &err) != SL_OK) { ... }
 *       // result.exit_code, result.stdout_data, result.limit, result.layers
 *       sl_sandbox_result_free(&result);
 *       sl_skill_free(skill);
 *
 * CONFIGURATION MACROS (define before the include; all optional)
 *   SKILLLITE_IMPLEMENTATION   compile the implementation into this file
 *   SKILLLITE_STATIC           make every function static (implementation and use in one file)
 *   SKILLLITE_API              linkage of public functions (default: extern)
 *   SKILLLITE_MALLOC(n), SKILLLITE_REALLOC(p, n), SKILLLITE_FREE(p)
 *                              default allocator (default: malloc, realloc, free); define all
 *                              three or none. A runtime sl_allocator in a config overrides it.
 *
 * CONVENTIONS
 *   - Every fallible call returns an sl_result (SL_OK is 0, errors are negative) and takes an
 *     optional sl_error * that receives the code, a message naming the value and the fix,
 *     the byte offset, line and column for parse errors, the saved errno and the failing
 *     stage. The library never prints, exits or aborts on bad input.
 *   - Objects are created from option structs filled by *_init() and freed by *_free(),
 *     which accepts NULL. Strings crossing the API are UTF-8 with explicit lengths (sl_str).
 *   - There is no global mutable state and the library starts no threads.
 *
 * LIMITATIONS
 *   - Linux only for now (x86_64 and aarch64 seccomp tables). The implementation must be
 *     compiled as C (C99 or later); C++ hosts include the declarations and put the
 *     implementation in a .c file.
 *   - The YAML reader implements the subset real SKILL.md frontmatter uses, not all of
 *     YAML 1.2: anchors, aliases, tags and multiple documents are reported as errors.
 *   - The sandbox needs unprivileged user namespaces (or root) for level 2; where the kernel
 *     refuses one, level 2 fails with a message naming the layer and the fix, and never
 *     runs the script unconfined.
 *
 * MODULES (each has a guide above its declarations; grep for "=== name ===")
 *   core     results, sl_error, allocator, byte buffer, SHA-256, clock
 *   value    the value tree every parser returns, and the builder
 *   json     RFC 8259 reader and writer
 *   yaml     the frontmatter subset of YAML
 *   skill    SKILL.md parsing and validation, discovery, entry points
 *   scan     static security scanner for python, JavaScript and shell
 *   sandbox  run a script under namespaces, seccomp, Landlock and limits
 */

#if defined(SKILLLITE_IMPLEMENTATION) && !defined(SKILLLITE_IMPLEMENTATION_INCLUDED)
/* The implementation needs Linux and POSIX declarations that glibc hides unless
 * _GNU_SOURCE is set before the first system header, hence this comes first. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1
#endif
#endif

#ifndef SKILLLITE_H
#define SKILLLITE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Begin file src/core.h */
/* ======================================================================== core ===
 *
 * Result codes, error reports, the allocator, a growable byte buffer, string views,
 * SHA-256, a monotonic clock and the log callback. Every other module builds on these.
 */

/* Public linkage. Define SKILLLITE_STATIC before including to make every function
 * `static` (one translation unit only), or SKILLLITE_API yourself for a DLL build. */
#ifndef SKILLLITE_API
#ifdef SKILLLITE_STATIC
#if defined(__GNUC__) || defined(__clang__)
#define SKILLLITE_API static __attribute__((unused))
#else
#define SKILLLITE_API static
#endif
#else
#define SKILLLITE_API extern
#endif
#endif

#define SKILLLITE_VERSION_MAJOR 0
#define SKILLLITE_VERSION_MINOR 1
#define SKILLLITE_VERSION_PATCH 0
#define SKILLLITE_VERSION_STRING "0.1.0"
/* One integer for compile-time comparisons: 0x00MMmmpp. */
#define SKILLLITE_VERSION_NUMBER \
    ((SKILLLITE_VERSION_MAJOR << 16) | (SKILLLITE_VERSION_MINOR << 8) | SKILLLITE_VERSION_PATCH)

/* Result codes. SL_OK is 0 and every error is negative. Codes are grouped by subsystem
 * in blocks of 100, only ever appended, and never renumbered, so a host may store them. */
typedef enum sl_result {
    SL_OK = 0,

    /* General. */
    SL_ENOMEM = -1,        /* an allocation failed */
    SL_EINVAL = -2,        /* an argument is invalid (NULL where not allowed, bad flag) */
    SL_EIO = -3,           /* a read, write or other system call failed; see sys_errno */
    SL_ENOTFOUND = -4,     /* a file, key or skill does not exist */
    SL_ELIMIT = -5,        /* an input exceeds a configured hard limit */
    SL_EUNSUPPORTED = -6,  /* not available on this platform or build */
    SL_ETIMEOUT = -7,      /* a deadline passed */
    SL_EAGAIN = -8,        /* not finished yet; call again (non-blocking APIs) */
    SL_ESTATE = -9,        /* the object is in the wrong state for this call */
    SL_EDENIED = -10,      /* refused by policy or by the host's confirmation callback */

    /* JSON reader and writer. */
    SL_EJSON_SYNTAX = -100,     /* unexpected character or token */
    SL_EJSON_EOF = -101,        /* the text ended inside a value */
    SL_EJSON_UTF8 = -102,       /* invalid UTF-8 byte sequence */
    SL_EJSON_ESCAPE = -103,     /* invalid escape or unpaired surrogate in a string */
    SL_EJSON_NUMBER = -104,     /* malformed number */
    SL_EJSON_DEPTH = -105,      /* nesting deeper than the configured limit */
    SL_EJSON_DUPLICATE = -106,  /* an object repeats a key */
    SL_EJSON_TRAILING = -107,   /* text after the top-level value */
    SL_EJSON_CONTROL = -108,    /* raw control character inside a string */
    SL_EJSON_TYPE = -109,       /* the writer met a value it cannot encode (NaN, Inf) */

    /* YAML frontmatter subset. */
    SL_EYAML_SYNTAX = -200,      /* structure the subset cannot read */
    SL_EYAML_INDENT = -201,      /* inconsistent or invalid indentation */
    SL_EYAML_UNSUPPORTED = -202, /* anchor, alias, tag, directive or second document */
    SL_EYAML_DUPLICATE = -203,   /* a mapping repeats a key */
    SL_EYAML_SCALAR = -204,      /* malformed quoted or block scalar */
    SL_EYAML_UTF8 = -205,        /* invalid UTF-8 */
    SL_EYAML_TAB = -206,         /* a tab used as indentation */
    SL_EYAML_DEPTH = -207,       /* nesting deeper than the configured limit */

    /* SKILL.md and skill folders. */
    SL_ESKILL_NO_FRONTMATTER = -300, /* SKILL.md does not start with a `---` line */
    SL_ESKILL_UNTERMINATED = -301,   /* no closing `---` line after the frontmatter */
    SL_ESKILL_FRONTMATTER = -302,    /* the frontmatter is not a mapping */
    SL_ESKILL_FIELD = -303,          /* a required field is missing or unusable */
    SL_ESKILL_NO_ENTRY = -304,       /* no runnable entry point could be found */
    SL_ESKILL_LANGUAGE = -305,       /* the entry point's language is not supported */
    SL_ESKILL_NOT_SKILL = -306,      /* the folder has no SKILL.md */

    /* Static scanner. */
    SL_ESCAN = -400,            /* the scan itself failed */
    SL_ESCAN_RULES = -401,      /* a custom rule file is invalid */
    SL_ESCAN_EXPIRED = -402,    /* a scan id is unknown, expired or already used */
    SL_ESCAN_MISMATCH = -403,   /* the content no longer matches the scanned hash */
    SL_ESCAN_BLOCKED = -404,    /* findings require confirmation that was not given */

    /* Sandbox. One code per isolation layer, so a host can switch on what is missing. */
    SL_ESANDBOX_SPAWN = -500,    /* fork, pipe, exec or another spawn step failed */
    SL_ESANDBOX_USERNS = -501,   /* user namespace refused */
    SL_ESANDBOX_MOUNTNS = -502,  /* mount namespace or a mount step refused */
    SL_ESANDBOX_PIDNS = -503,    /* PID namespace refused */
    SL_ESANDBOX_NETNS = -504,    /* network namespace refused, or loopback setup failed */
    SL_ESANDBOX_IPCNS = -505,    /* IPC namespace refused */
    SL_ESANDBOX_UTSNS = -506,    /* UTS namespace refused */
    SL_ESANDBOX_SECCOMP = -507,  /* seccomp filter could not be installed */
    SL_ESANDBOX_LANDLOCK = -508, /* Landlock missing or refused */
    SL_ESANDBOX_CGROUP = -509,   /* cgroup could not be created or joined */
    SL_ESANDBOX_RLIMIT = -510,   /* a resource limit could not be set */
    SL_ESANDBOX_EXEC = -511,     /* the interpreter or command could not be executed */
    SL_ESANDBOX_IDMAP = -512,    /* uid/gid map could not be written */
    SL_ESANDBOX_POLICY = -513    /* the policy is inconsistent */
} sl_result;

/* Returns a short static English description of `code`; never NULL. */
SKILLLITE_API const char *sl_result_str(int code);

/* Returns the library version "MAJOR.MINOR.PATCH" of the compiled implementation,
 * to compare with SKILLLITE_VERSION_STRING from the header a host compiled against. */
SKILLLITE_API const char *sl_version_string(void);

#define SL_ERROR_MESSAGE_MAX 320
#define SL_ERROR_STAGE_MAX 40

/* Error report filled by every fallible call that takes an `sl_error *` (NULL allowed).
 * Caller-owned and plain data: no cleanup needed. */
typedef struct sl_error {
    int code;                             /* an sl_result value; SL_OK when no error */
    char message[SL_ERROR_MESSAGE_MAX];   /* NUL-terminated English text, names value + fix */
    size_t offset;                        /* byte offset into the parsed input, parse errors */
    int line;                             /* 1-based line of `offset`, 0 when not a parse error */
    int column;                           /* 1-based column in code points, 0 when none */
    int sys_errno;                        /* errno saved at the failure, 0 when none */
    char stage[SL_ERROR_STAGE_MAX];       /* failing step, e.g. "landlock_restrict_self" */
} sl_error;

/* Resets `err` to SL_OK with empty strings. NULL does nothing. */
SKILLLITE_API void sl_error_clear(sl_error *err);

/* Computes the 1-based line and column (in UTF-8 code points) of byte `offset` in `text`.
 * A CRLF pair counts as one line break. `offset` past `len` is clamped. */
SKILLLITE_API void sl_locate(const char *text, size_t len, size_t offset, int *line, int *column);

/* Allocator. `realloc` receives the old size and `free` the size given at allocation, so
 * arena and pool allocators need no headers. Any member left NULL in a config means the
 * default: SKILLLITE_MALLOC, SKILLLITE_REALLOC and SKILLLITE_FREE (malloc, realloc, free
 * unless the host defines all three before the implementation). */
typedef struct sl_allocator {
    void *(*alloc)(void *user, size_t size);
    void *(*realloc)(void *user, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *user, void *ptr, size_t size);
    void *user;
} sl_allocator;

/* Returns the default allocator (the SKILLLITE_MALLOC family). Never NULL. */
SKILLLITE_API const sl_allocator *sl_allocator_default(void);

/* Read-only view of UTF-8 text with an explicit length; `ptr` is not NUL-terminated
 * unless a function says so. */
typedef struct sl_str {
    const char *ptr;
    size_t len;
} sl_str;

/* Growable byte buffer. Zero-initialised or sl_buf_init'd before use. After a failed
 * append the buffer is marked `failed`, keeps its earlier content, and ignores further
 * appends, so a sequence of appends can be checked once at the end. `data` is always
 * NUL-terminated when `len > 0` or after sl_buf_cstr(). */
typedef struct sl_buf {
    char *data;
    size_t len;
    size_t cap;
    const sl_allocator *alloc;  /* NULL means the default allocator */
    int failed;                 /* nonzero after an allocation failure or limit */
    size_t max;                 /* hard cap on len; 0 means SIZE_MAX */
} sl_buf;

SKILLLITE_API void sl_buf_init(sl_buf *buf, const sl_allocator *alloc);

/* Appends `len` bytes. Returns SL_OK, SL_ENOMEM or SL_ELIMIT (past `max`). */
SKILLLITE_API int sl_buf_append(sl_buf *buf, const void *data, size_t len);
SKILLLITE_API int sl_buf_append_str(sl_buf *buf, const char *cstr);
SKILLLITE_API int sl_buf_putc(sl_buf *buf, int ch);

/* Appends printf-formatted text. Same return values as sl_buf_append. */
SKILLLITE_API int sl_buf_appendf(sl_buf *buf, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Returns a NUL-terminated pointer to the content ("" for an empty buffer). The pointer
 * stays valid until the next append or sl_buf_free. */
SKILLLITE_API const char *sl_buf_cstr(sl_buf *buf);

/* Hands the content to the caller, who frees it with the buffer's allocator (`free` of
 * `*len + 1` bytes), and resets the buffer. Returns NULL on allocation failure. */
SKILLLITE_API char *sl_buf_detach(sl_buf *buf, size_t *len);

SKILLLITE_API void sl_buf_reset(sl_buf *buf);
SKILLLITE_API void sl_buf_free(sl_buf *buf);

/* Frees memory that the library returned to the caller (detached buffers, strings from
 * *_to_string functions) with the allocator that made it. `size` is the byte count the
 * returning function documents, usually strlen + 1. */
SKILLLITE_API void sl_free(const sl_allocator *alloc, void *ptr, size_t size);

/* SHA-256 (FIPS 180-4), incremental. */
typedef struct sl_sha256 {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t block_len;
} sl_sha256;

SKILLLITE_API void sl_sha256_init(sl_sha256 *ctx);
SKILLLITE_API void sl_sha256_update(sl_sha256 *ctx, const void *data, size_t len);
SKILLLITE_API void sl_sha256_final(sl_sha256 *ctx, unsigned char digest[32]);

/* Writes the 64 lowercase hex digits of SHA-256(data) and a NUL to `hex`. */
SKILLLITE_API void sl_sha256_hex(const void *data, size_t len, char hex[65]);

/* Returns a monotonic clock reading in nanoseconds (CLOCK_MONOTONIC). */
SKILLLITE_API uint64_t sl_time_now_ns(void);

/* Log levels for the optional log callback that top-level configs take. */
enum { SL_LOG_DEBUG = 0, SL_LOG_INFO = 1, SL_LOG_WARN = 2, SL_LOG_ERROR = 3 };

/* Log callback. `message` is NUL-terminated, valid only during the call, and never
 * contains a secret from an llm config. */
typedef void (*sl_log_fn)(void *user, int level, const char *message);

/* Reads a whole regular file into a NUL-terminated buffer allocated with `alloc` (NULL:
 * default); free it with sl_free(alloc, data, *len + 1). Files larger than `max_bytes`
 * fail with SL_ELIMIT. Returns SL_OK, SL_ENOTFOUND, SL_EIO, SL_ELIMIT or SL_ENOMEM. */
SKILLLITE_API int sl_file_read(const char *path, size_t max_bytes, const sl_allocator *alloc,
                               char **data, size_t *len, sl_error *err);
/* End file src/core.h */

/* Begin file src/value.h */
/* ======================================================================= value ===
 *
 * The value tree that the JSON reader, the YAML reader and the builder all produce: null,
 * bool, 64-bit integer, double, string, array and object. A document (`sl_doc`) owns every
 * value and string in one arena and frees them with one sl_doc_free call. Every value keeps
 * the byte offset, line and column where its text started, so SKILL.md warnings can point
 * at the field. Object members keep their order; keys are string values with positions.
 *
 * Thread safety: a document may be read from several threads at once; building or freeing
 * it needs exclusive access.
 */

typedef enum sl_value_type {
    SL_VALUE_NULL = 0,
    SL_VALUE_BOOL = 1,
    SL_VALUE_INT = 2,     /* integer that fits in int64_t, kept exact */
    SL_VALUE_REAL = 3,    /* any other number, as double */
    SL_VALUE_STRING = 4,  /* UTF-8 with explicit length; may contain NUL */
    SL_VALUE_ARRAY = 5,
    SL_VALUE_OBJECT = 6
} sl_value_type;

typedef struct sl_value sl_value;
typedef struct sl_doc sl_doc;

/* Creates an empty document (root NULL). `alloc` may be NULL for the default allocator.
 * Returns NULL when out of memory. */
SKILLLITE_API sl_doc *sl_doc_new(const sl_allocator *alloc);

/* Frees the document and every value in it. NULL does nothing. */
SKILLLITE_API void sl_doc_free(sl_doc *doc);

/* Returns the root value, or NULL for an empty document. */
SKILLLITE_API sl_value *sl_doc_root(const sl_doc *doc);
SKILLLITE_API void sl_doc_set_root(sl_doc *doc, sl_value *root);

/* Inspection. Every accessor accepts NULL and then returns the zero value (type NULL,
 * false, 0, an empty string, count 0, NULL child), so lookups can be chained:
 * sl_value_str(sl_value_get(sl_value_get(root, "metadata"), "author")). */
SKILLLITE_API sl_value_type sl_value_kind(const sl_value *v);
SKILLLITE_API const char *sl_value_type_name(sl_value_type type); /* "null", "bool", ... */
SKILLLITE_API int sl_value_is_null(const sl_value *v);  /* 1 for a NULL pointer too */
SKILLLITE_API int sl_value_bool(const sl_value *v);
SKILLLITE_API int64_t sl_value_int(const sl_value *v);    /* REAL values are truncated */
SKILLLITE_API double sl_value_real(const sl_value *v);    /* INT values are converted */

/* String content. The view is NUL-terminated and lives as long as the document. */
SKILLLITE_API sl_str sl_value_str(const sl_value *v);
/* Same content as a C string ("" for non-strings); embedded NULs cut it short. */
SKILLLITE_API const char *sl_value_cstr(const sl_value *v);

/* Number of elements (array) or members (object); 0 for other types. */
SKILLLITE_API size_t sl_value_count(const sl_value *v);
/* Element `index` of an array, or the value of member `index` of an object. */
SKILLLITE_API sl_value *sl_value_at(const sl_value *v, size_t index);
/* Key of member `index` of an object, as a string value (with its own position). */
SKILLLITE_API sl_value *sl_value_key_at(const sl_value *v, size_t index);
/* Value of the first member named `key` (NUL-terminated), or NULL. Linear search. */
SKILLLITE_API sl_value *sl_value_get(const sl_value *v, const char *key);
SKILLLITE_API sl_value *sl_value_getn(const sl_value *v, const char *key, size_t key_len);

/* Source position where the value's text started; 0 for values built by hand. */
SKILLLITE_API size_t sl_value_offset(const sl_value *v);
SKILLLITE_API int sl_value_line(const sl_value *v);
SKILLLITE_API int sl_value_column(const sl_value *v);
/* Style flags a reader recorded: SL_VALUE_QUOTED for a quoted or block YAML scalar. */
SKILLLITE_API int sl_value_flags(const sl_value *v);
#define SL_VALUE_QUOTED 1

/* Returns 1 when both trees are equal (same types, same content, same member order). */
SKILLLITE_API int sl_value_equal(const sl_value *a, const sl_value *b);

/* Builder. Every constructor allocates in `doc` and returns NULL when out of memory; the
 * new value belongs to `doc` and must only be linked into trees of the same document. */
SKILLLITE_API sl_value *sl_value_new_null(sl_doc *doc);
SKILLLITE_API sl_value *sl_value_new_bool(sl_doc *doc, int b);
SKILLLITE_API sl_value *sl_value_new_int(sl_doc *doc, int64_t i);
SKILLLITE_API sl_value *sl_value_new_real(sl_doc *doc, double d);
SKILLLITE_API sl_value *sl_value_new_strn(sl_doc *doc, const char *s, size_t len);
SKILLLITE_API sl_value *sl_value_new_str(sl_doc *doc, const char *cstr);
SKILLLITE_API sl_value *sl_value_new_array(sl_doc *doc);
SKILLLITE_API sl_value *sl_value_new_object(sl_doc *doc);
/* Deep-copies `v` (from any document) into `doc`, positions included. */
SKILLLITE_API sl_value *sl_value_copy(sl_doc *doc, const sl_value *v);

/* Appends `item` to `array`. Returns SL_OK, SL_EINVAL (not an array) or SL_ENOMEM. */
SKILLLITE_API int sl_value_push(sl_doc *doc, sl_value *array, sl_value *item);

/* Appends member `key` = `item` to `object` without checking for an existing key (readers
 * check duplicates themselves). Returns SL_OK, SL_EINVAL or SL_ENOMEM. */
SKILLLITE_API int sl_value_append(sl_doc *doc, sl_value *object, sl_value *key, sl_value *item);

/* Sets member `key` to `item`, replacing the first member with that key or appending.
 * The builder's usual call: sl_value_set(doc, obj, "result", sl_value_new_int(doc, 42)).
 * A NULL `item` (a failed constructor) returns SL_ENOMEM, so calls can be nested. */
SKILLLITE_API int sl_value_set(sl_doc *doc, sl_value *object, const char *key, sl_value *item);
SKILLLITE_API int sl_value_setn(sl_doc *doc, sl_value *object, const char *key, size_t key_len,
                                sl_value *item);

/* Records where a value came from; readers call this, builders need not. */
SKILLLITE_API void sl_value_set_position(sl_value *v, size_t offset, int line, int column);
SKILLLITE_API void sl_value_set_flags(sl_value *v, int flags);
/* End file src/value.h */

/* Begin file src/json.h */
/* ======================================================================== json ===
 *
 * RFC 8259 reader and writer over the value tree.
 *
 * Reader: strict. UTF-8 is validated; \uXXXX escapes with surrogate pairs are decoded and
 * an unpaired surrogate is an error; \u0000 is kept (strings carry explicit lengths);
 * integers that fit in int64_t are kept exact as SL_VALUE_INT, other numbers become
 * SL_VALUE_REAL; nesting deeper than `max_depth` is an error; a repeated object key is an
 * error unless `allow_duplicate_keys` is set. Every error fills sl_error with its code,
 * byte offset, line and column, and every value records where its text starts.
 *
 * Choices where RFC 8259 leaves room:
 *   - A UTF-8 byte order mark at the start is rejected (SL_EJSON_SYNTAX at offset 0).
 *   - A number too large for a double (1e400) is rejected with SL_EJSON_NUMBER, so every
 *     parsed document can be written back. A number too small (1e-400) becomes 0.0.
 *   - "-0" is the integer 0; "-0.0" is the real -0.0.
 *   - Number conversion does not depend on the C locale (LC_NUMERIC).
 *
 * Writer: compact or pretty (2-space indent, `"key": value`, empty containers as [] and
 * {}, no final newline). Escapes '"', '\\' and every control character (\b \f \n \r \t, the
 * others as \u00XX), and U+2028 and U+2029 so the output is safe inside JavaScript. Invalid
 * UTF-8 in a string or key is written as one U+FFFD per bad byte, so the output is always
 * valid UTF-8. Integers are exact; a double is written with the fewest of 15, 16 or 17
 * significant digits that read back as the same double, always with a '.' or an exponent
 * (1.0 is "1.0"), so it reads back as SL_VALUE_REAL. NaN and infinities are an error
 * (SL_EJSON_TYPE).
 *
 * Example:
 *     sl_error err;
 *     sl_doc *doc = sl_json_parse(text, len, NULL, &err);
 *     if (doc == NULL) {
 *         fprintf(stderr, "input.json:%d:%d: %s\n", err.line, err.column, err.message);
 *     } else {
 *         printf("%s\n", sl_value_cstr(sl_value_get(sl_doc_root(doc), "name")));
 *         sl_doc_free(doc);
 *     }
 */

typedef struct sl_json_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int max_depth;              /* maximum nesting of arrays and objects; default 512;
                                   0 or less means the default */
    size_t max_bytes;           /* maximum input length; 0 means no limit; default 0 */
    int allow_duplicate_keys;   /* 1: keep every member of a repeated key; default 0 */
} sl_json_options;

/* Fills `opt` with the defaults above. */
SKILLLITE_API void sl_json_options_init(sl_json_options *opt);

/* Parses `len` bytes of JSON text into a new document. `text` need not be NUL-terminated
 * and may be NULL when `len` is 0; `opt` may be NULL for the defaults; `err` may be NULL.
 * Returns the document (free with sl_doc_free; it does not point into `text`), or NULL with
 * `err` filled: SL_EJSON_* for invalid text (SL_EJSON_EOF for empty input), SL_ELIMIT when
 * `len` exceeds max_bytes, SL_EINVAL for NULL text with a nonzero `len`, SL_ENOMEM.
 * Thread safety: concurrent calls are safe. */
SKILLLITE_API sl_doc *sl_json_parse(const char *text, size_t len, const sl_json_options *opt,
                                    sl_error *err);

/* Writer flags. */
#define SL_JSON_PRETTY 1  /* newlines and 2-space indentation */
#define SL_JSON_ASCII 2   /* escape every non-ASCII character as \uXXXX (lowercase hex,
                             a surrogate pair above U+FFFF) */

/* Appends the JSON text of `v` (any value, not only a document root) to `out`. `err` may
 * be NULL. Returns SL_OK, SL_EJSON_TYPE (NaN, infinity), SL_EJSON_DEPTH (arrays and
 * objects nested deeper than 10000), SL_ELIMIT (past out->max), SL_ENOMEM (also when `out`
 * was already marked failed) or SL_EINVAL (NULL `v` or `out`, unknown flags). On error
 * `out` keeps its earlier content and is usable again. */
SKILLLITE_API int sl_json_write(const sl_value *v, int flags, sl_buf *out, sl_error *err);

/* Returns the JSON text of `v` as a new NUL-terminated string allocated with `alloc` (NULL:
 * default); free it with sl_free(alloc, s, len + 1). Returns NULL with `err` filled on the
 * errors of sl_json_write. `len` and `err` may be NULL. */
SKILLLITE_API char *sl_json_to_string(const sl_value *v, int flags, const sl_allocator *alloc,
                                      size_t *len, sl_error *err);
/* End file src/json.h */

/* Begin file src/yaml.h */
/* ======================================================================== yaml ===
 *
 * The subset of YAML that SKILL.md frontmatter uses, read into the same value tree as
 * JSON. It covers:
 * - block mappings and sequences at any depth, indentless `key:\n- item` sequences and
 *   compact `- key: value` entries;
 * - flow sequences and mappings, nested and over several lines, with trailing commas and
 *   JSON-style quoted keys (`{"a":1}`);
 * - plain scalars folded over several lines, with `:` allowed where no space follows it
 *   (URLs, `Bash(git:*)`);
 * - single- and double-quoted scalars with line folding and every YAML escape;
 * - literal and folded block scalars with chomping and indentation indicators;
 * - comments, blank lines, CRLF line ends, a UTF-8 BOM and one leading `---`.
 *
 * Scalars stay strings unless `typed` is set, so `version: 1.10` keeps its text. An empty
 * value (`key:` with nothing after it) is null in both modes. Anchors, aliases, tags,
 * directives, complex keys (`? `) and a second document are SL_EYAML_UNSUPPORTED errors
 * with line and column, never a misparse.
 *
 * A plain value that contains ": " is an error, as in every conforming YAML parser
 * (`description: Triggers: x`). The message names the key and the fix: quote the value
 * or use a block scalar (`description: >-`).
 *
 * Where YAML 1.2 and PyYAML differ, this reader follows YAML 1.2. It accepts `?` inside
 * plain scalars in flow collections, tabs as separation inside flow collections and in
 * blank lines, and joins a JSON-style \uD83D\uDE00 surrogate pair into one character.
 */

typedef struct sl_yaml_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int typed;                  /* 1: YAML 1.2 core schema (null, bool, int, float); default 0 */
    int max_depth;              /* maximum nesting; default 64 (values <= 0 mean 64) */
    size_t max_bytes;           /* maximum input length; default 1 MiB; 0 means no limit */
    int allow_duplicate_keys;   /* 1: keep the first of a repeated key; default 0 (error) */
    size_t base_offset;         /* added to every reported offset (text cut from a file) */
    int base_line;              /* line number of the text's first line; default 1 */
} sl_yaml_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_yaml_options_init(sl_yaml_options *opt);

/* Parses one YAML document of `len` bytes (`text` need not be NUL-terminated, and may be
 * NULL when `len` is 0). `opt` may be NULL for the defaults; `err` may be NULL.
 *
 * Returns a new document that the caller frees with sl_doc_free. Its root is usually an
 * object for frontmatter, but any node type is accepted, and a text without content gives
 * a NULL root. Every value and key records its position: the byte offset plus
 * `base_offset`, the line counted from `base_line`, and the column in code points.
 * Quoted and block scalars carry the SL_VALUE_QUOTED flag.
 *
 * On failure returns NULL and fills `err` with the code, message, offset, line and
 * column:
 *   SL_EYAML_SYNTAX       structure error, ": " in a plain value, a reserved character
 *                         (`@`, backtick, `%`) starting a plain value, unterminated flow
 *   SL_EYAML_INDENT       a line indented inconsistently with the lines around it
 *   SL_EYAML_UNSUPPORTED  anchor, alias, tag, directive, complex key, second document
 *   SL_EYAML_DUPLICATE    a mapping repeats a key (reported at the second one)
 *   SL_EYAML_SCALAR       unterminated quote, invalid escape, bad block scalar header
 *   SL_EYAML_UTF8         invalid UTF-8
 *   SL_EYAML_TAB          a tab used as indentation
 *   SL_EYAML_DEPTH        nesting deeper than `max_depth`
 *   SL_ELIMIT             `len` above `max_bytes`
 *   SL_ENOMEM, SL_EINVAL  out of memory; NULL `text` with a nonzero `len`
 *
 * NOTE: nesting recurses, a few stack frames per level, so a very large `max_depth` lets
 * hostile input exhaust the stack.
 *
 * Thread safety: parallel calls are safe, because each one works on its own document.
 *
 *     sl_error err;
 *     sl_doc *doc = sl_yaml_parse(text, len, NULL, &err);
 *     if (doc == NULL) {
 *         fprintf(stderr, "SKILL.md:%d:%d: %s\n", err.line, err.column, err.message);
 *         return err.code;
 *     }
 *     name = sl_value_cstr(sl_value_get(sl_doc_root(doc), "name"));
 */
SKILLLITE_API sl_doc *sl_yaml_parse(const char *text, size_t len, const sl_yaml_options *opt,
                                    sl_error *err);
/* End file src/yaml.h */

/* Begin file src/skill.h */
/* ======================================================================= skill ===
 *
 * SKILL.md loading: split the frontmatter from the Markdown body, read the frontmatter with
 * the YAML subset, validate it against the Agent Skills specification, find the skill's
 * entry-point script and its language, and discover skill folders below a root.
 *
 * Loading is lenient, as the Agent Skills client guide recommends: a skill that breaks a
 * rule but is still usable loads with WARNING diagnostics, and only a skill that cannot be
 * used fails with an ERROR. Every diagnostic carries the SKILL.md path, line, column and
 * byte offset of the field it is about (the key for a wrong key, the value for a wrong
 * value, the first frontmatter line for a missing field).
 *
 *   case                                               severity  check
 *   -------------------------------------------------  --------  -------------------------
 *   SKILL.md missing in the folder                     (return code SL_ESKILL_NOT_SKILL only)
 *   SKILL.md unreadable or larger than max_bytes       (return code SL_EIO / SL_ELIMIT only)
 *   no `---` first line                                ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   no closing `---` or `...` line                     ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   YAML invalid, lenient line reader recovered        WARNING   SL_SKILL_CHECK_YAML
 *   YAML invalid, lenient reader found no `key:` line  ERROR     SL_SKILL_CHECK_YAML
 *   frontmatter empty or not a mapping                 ERROR     SL_SKILL_CHECK_FRONTMATTER
 *   name missing, empty or not a string; the folder    WARNING   SL_SKILL_CHECK_NAME
 *     name is used instead
 *   name missing and no folder name to fall back on    ERROR     SL_SKILL_CHECK_NAME
 *   name not lowercase a-z 0-9 and single hyphens,     WARNING   SL_SKILL_CHECK_NAME
 *     leading or trailing hyphen, over 64 characters
 *   name differs from the folder name                  WARNING   SL_SKILL_CHECK_NAME_DIR
 *   description missing, empty, blank or not a string  WARNING   SL_SKILL_CHECK_DESCRIPTION
 *   description over 1024 code points                  WARNING   SL_SKILL_CHECK_DESCRIPTION
 *   compatibility not a string, empty, over 500        WARNING   SL_SKILL_CHECK_COMPATIBILITY
 *   license not a string                               WARNING   SL_SKILL_CHECK_LICENSE
 *   metadata not a mapping, or a value not a string    WARNING   SL_SKILL_CHECK_METADATA
 *   allowed-tools a list (accepted) or another type    WARNING   SL_SKILL_CHECK_ALLOWED_TOOLS
 *   a known misspelling (`user-invokable`, ...)        WARNING   SL_SKILL_CHECK_SPELLING
 *   entry_point absolute, with `..`, or a symlink      ERROR     SL_SKILL_CHECK_ENTRY_POINT
 *     that leaves the skill folder
 *   entry_point names a missing or non-regular file    WARNING   SL_SKILL_CHECK_ENTRY_POINT
 *   entry point whose language is not recognised       WARNING   SL_SKILL_CHECK_LANGUAGE
 *   invalid UTF-8 in the body                          WARNING   SL_SKILL_CHECK_ENCODING
 *   any warning when SL_SKILL_STRICT is set            the load fails with SL_ESKILL_FIELD
 *
 * Other top-level keys are vendor extensions and are kept without a diagnostic. Scalars are
 * read as text (the YAML reader's untyped mode), so `version: 1.10` stays "1.10" and a
 * metadata value such as `github_stars: 69661` is a string, as the specification wants.
 *
 * NOTE: the name check is ASCII-only, like the Anthropic and OpenAI validators, so a
 * non-ASCII lowercase name that the reference validator accepts gets a warning here.
 *
 * Thread safety: a loaded sl_skill is read-only and may be read from several threads.
 */

/* Script language of a skill's entry point. */
typedef enum sl_language {
    SL_LANGUAGE_UNKNOWN = 0,
    SL_LANGUAGE_PYTHON = 1,  /* .py, or a python/python3 shebang */
    SL_LANGUAGE_NODE = 2,    /* .js .mjs .cjs, or a node/nodejs shebang */
    SL_LANGUAGE_BASH = 3     /* .sh .bash, or a bash/sh shebang */
} sl_language;

/* Returns "unknown", "python", "node" or "bash"; "unknown" for out-of-range values. */
SKILLLITE_API const char *sl_language_name(sl_language language);

/* Severity of a diagnostic. A WARNING leaves the skill usable; an ERROR fails the load. */
typedef enum sl_severity {
    SL_SEVERITY_WARNING = 1,
    SL_SEVERITY_ERROR = 2
} sl_severity;

/* What a diagnostic is about. Values are only ever appended. */
typedef enum sl_skill_check {
    SL_SKILL_CHECK_FRONTMATTER = 1,    /* fences, or the frontmatter is not a mapping */
    SL_SKILL_CHECK_YAML = 2,           /* the YAML reader rejected the frontmatter */
    SL_SKILL_CHECK_NAME = 3,           /* `name` missing or malformed */
    SL_SKILL_CHECK_NAME_DIR = 4,       /* `name` differs from the folder name */
    SL_SKILL_CHECK_DESCRIPTION = 5,    /* `description` missing, empty or too long */
    SL_SKILL_CHECK_COMPATIBILITY = 6,  /* `compatibility` not a string or too long */
    SL_SKILL_CHECK_LICENSE = 7,        /* `license` not a string */
    SL_SKILL_CHECK_METADATA = 8,       /* `metadata` not a map of strings */
    SL_SKILL_CHECK_ALLOWED_TOOLS = 9,  /* `allowed-tools` not a string */
    SL_SKILL_CHECK_SPELLING = 10,      /* a known misspelling of a field name */
    SL_SKILL_CHECK_ENTRY_POINT = 11,   /* `entry_point` unsafe, missing or not a file */
    SL_SKILL_CHECK_LANGUAGE = 12,      /* the entry point's language is not recognised */
    SL_SKILL_CHECK_ENCODING = 13       /* invalid UTF-8 in the body */
} sl_skill_check;

/* Returns a short stable identifier for `check` ("frontmatter", "yaml", "name",
 * "name-dir", ...) for tools that print or filter diagnostics; "unknown" when out of range. */
SKILLLITE_API const char *sl_skill_check_name(int check);

/* One finding about a SKILL.md. All strings live as long as the skill that owns it. */
typedef struct sl_diagnostic {
    sl_severity severity;
    int check;            /* an sl_skill_check value */
    int result;           /* the sl_result behind it: SL_OK for a plain rule violation, the
                             SL_EYAML_* code for YAML, SL_ESKILL_* for an ERROR */
    const char *message;  /* English sentence naming the field, the problem and the fix */
    const char *path;     /* SKILL.md path (sl_skill_md_path) */
    int line;             /* 1-based line in SKILL.md; always >= 1 */
    int column;           /* 1-based column in code points; always >= 1 */
    size_t offset;        /* byte offset in SKILL.md */
} sl_diagnostic;

/* Option flags for sl_skill_options.flags. */
#define SL_SKILL_STRICT 1         /* any WARNING fails the load with SL_ESKILL_FIELD */
#define SL_SKILL_KEEP_ON_ERROR 2  /* on failure still return the skill, so a validator can
                                     list every diagnostic; the return code stays the error */
#define SL_SKILL_NO_LENIENT 4     /* no line-based fallback when the YAML is invalid */

typedef struct sl_skill_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    size_t max_bytes;           /* maximum SKILL.md size; default 1 MiB (1048576) */
    int flags;                  /* SL_SKILL_* flags; default 0 */
    size_t max_dirs;            /* discovery: maximum folders examined; default 10000 */
} sl_skill_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_skill_options_init(sl_skill_options *opt);

typedef struct sl_skill sl_skill;

/* Loads the skill in folder `dir`: finds its SKILL.md (`SKILL.md` first, else any case of
 * the name such as `skill.md` or `SKILL.MD`), parses and validates it with the folder's
 * name, and resolves the entry point inside the folder.
 *
 * Entry point: the frontmatter's `entry_point`, a relative path that must stay inside the
 * folder after resolving symlinks. Without it, `scripts/main.*`, then `scripts/index.*`
 * (extensions tried in the order .py .js .mjs .cjs .sh .bash), else the only script in
 * `scripts/`, meaning a file with one of those extensions or a recognised shebang. A skill
 * without any is still loaded, because instruction-only skills exist, and
 * sl_skill_entry_point returns "". A declared entry_point that is rejected is not replaced
 * by a guess.
 *
 * `opt` may be NULL for the defaults. On success returns SL_OK and stores a new skill in
 * `*out` (free with sl_skill_free). On failure returns SL_EINVAL (NULL argument),
 * SL_ESKILL_NOT_SKILL (no SKILL.md), SL_ENOTFOUND (no folder), SL_EIO, SL_ELIMIT,
 * SL_ENOMEM, or the result of the first ERROR diagnostic (SL_ESKILL_NO_FRONTMATTER,
 * SL_ESKILL_UNTERMINATED, SL_ESKILL_FRONTMATTER, SL_ESKILL_FIELD, an SL_EYAML_* code), with
 * `err` filled from it ("path:line:column: message" and its position). `*out` is then NULL
 * unless SL_SKILL_KEEP_ON_ERROR is set and the file could be read.
 *
 * Example:
 *     sl_skill *skill;
 *     sl_error err;
 *     if (sl_skill_load("skills/weather", NULL, &skill, &err) != SL_OK) {
 *         fprintf(stderr, "%s\n", err.message);
 *     } else {
 *         printf("%s: %s\n", sl_skill_name(skill), sl_skill_description(skill));
 *         sl_skill_free(skill);
 *     }
 */
SKILLLITE_API int sl_skill_load(const char *dir, const sl_skill_options *opt, sl_skill **out,
                                sl_error *err);

/* Parses SKILL.md text of `len` bytes from memory without touching the file system.
 * `dir_name` is the name of the folder the text came from, used to check and to stand in
 * for `name`; NULL or "" skips both. Diagnostics name the path "SKILL.md". The entry point
 * is only the frontmatter's `entry_point` (checked as a path, language from the extension)
 * and sl_skill_entry_path returns "". Returns the same codes as sl_skill_load except the
 * file-system ones; `text` need not be NUL-terminated and is copied. */
SKILLLITE_API int sl_skill_parse(const char *text, size_t len, const char *dir_name,
                                 const sl_skill_options *opt, sl_skill **out, sl_error *err);

/* Frees the skill and every string and value it returned. NULL does nothing. */
SKILLLITE_API void sl_skill_free(sl_skill *skill);

/* Field accessors. Each returns a NUL-terminated string owned by the skill, valid until
 * sl_skill_free, and "" (never NULL) when the field is absent or `skill` is NULL.
 * NOTE: a YAML value with an escaped NUL is cut short at it; read the frontmatter value
 * tree for the full bytes. */
/* `name` as written; the folder name when the frontmatter has no usable name. */
SKILLLITE_API const char *sl_skill_name(const sl_skill *skill);
/* `description` as the YAML reader produced it (a `|` block keeps its final newline). */
SKILLLITE_API const char *sl_skill_description(const sl_skill *skill);
SKILLLITE_API const char *sl_skill_license(const sl_skill *skill);
SKILLLITE_API const char *sl_skill_compatibility(const sl_skill *skill);

/* Returns 1 when the skill's `compatibility` text says it needs network access ("network",
 * "internet", "网络" or "联网", not preceded by "no", "without" or "offline"), else 0.
 * It is a hint for the host, which decides whether to grant sl_sandbox_policy.network;
 * the library never turns the network on by itself. */
SKILLLITE_API int sl_skill_wants_network(const sl_skill *skill);
/* Top-level `version`, else `metadata.version`. */
SKILLLITE_API const char *sl_skill_version(const sl_skill *skill);
/* Entry-point script relative to the skill folder ("scripts/main.py"), "" for none. */
SKILLLITE_API const char *sl_skill_entry_point(const sl_skill *skill);
/* Absolute host path of the entry-point script with symlinks resolved; "" for none or
 * when the skill was parsed from memory. NOTE: at level 2 the host path is not visible
 * inside the sandbox, where the skill folder is /skill: an argv built for sl_sandbox_spawn
 * or the pool names "/skill/" + sl_skill_entry_point(), with work_dir = sl_skill_dir(). */
SKILLLITE_API const char *sl_skill_entry_path(const sl_skill *skill);
/* Absolute skill folder with symlinks resolved; "" for a skill parsed from memory. */
SKILLLITE_API const char *sl_skill_dir(const sl_skill *skill);
/* Path of SKILL.md (absolute after sl_skill_load, "SKILL.md" after sl_skill_parse). */
SKILLLITE_API const char *sl_skill_md_path(const sl_skill *skill);

/* Language of the entry point: from its extension, else its `#!` line. UNKNOWN when there
 * is no entry point or it is not recognised. */
SKILLLITE_API sl_language sl_skill_language(const sl_skill *skill);

/* Value trees, owned by the skill; NULL when absent. */
/* The whole frontmatter mapping (from the lenient reader when the YAML was invalid). */
SKILLLITE_API const sl_value *sl_skill_frontmatter(const sl_skill *skill);
SKILLLITE_API const sl_value *sl_skill_metadata(const sl_skill *skill);
/* `allowed-tools` as given: a string (space-separated per the specification) or a list. */
SKILLLITE_API const sl_value *sl_skill_allowed_tools(const sl_skill *skill);

/* Returns 1 when the YAML reader rejected the frontmatter and it was read after a repair:
 * either the offending top-level values were quoted and the YAML read again, or, when that
 * failed too, the lenient line reader took top-level `key: value` lines as strings. The
 * SL_SKILL_CHECK_YAML warning says which. */
SKILLLITE_API int sl_skill_is_lenient(const sl_skill *skill);

/* Markdown body after the closing fence, leading blank lines and trailing whitespace
 * removed; a view into the skill's copy of SKILL.md, NUL-terminated. */
SKILLLITE_API sl_str sl_skill_body(const sl_skill *skill);
/* Byte offset and 1-based line in SKILL.md where the body starts (0 for a NULL skill). */
SKILLLITE_API size_t sl_skill_body_offset(const sl_skill *skill);
SKILLLITE_API int sl_skill_body_line(const sl_skill *skill);

/* Diagnostics in the order found. `at` returns NULL past the end; the pointer stays valid
 * until sl_skill_free. */
SKILLLITE_API size_t sl_skill_diagnostic_count(const sl_skill *skill);
SKILLLITE_API const sl_diagnostic *sl_skill_diagnostic_at(const sl_skill *skill, size_t index);

/* A sorted list of skill folder paths from sl_skill_discover. */
typedef struct sl_skill_dir_list sl_skill_dir_list;

/* Finds skill folders under `root`: `root` itself when it contains a SKILL.md (any case of
 * the name), otherwise every child and grandchild folder that contains one. A skill folder is
 * not searched further, so files below it belong to it. Folders whose name starts with
 * `.` and `node_modules` are skipped (`root` itself may be a dot-folder), symlinked
 * folders below `root` are not followed, and paths are `root` + "/" + relative path in
 * byte order.
 *
 * `opt` may be NULL (only alloc and max_dirs are used). Returns SL_OK with a new list in
 * `*out` (possibly empty; free with sl_skill_dir_list_free), SL_EINVAL, SL_ENOTFOUND
 * (`root` is not a folder), SL_ELIMIT (more than max_dirs folders examined), SL_EIO or
 * SL_ENOMEM; `*out` is NULL on failure. */
SKILLLITE_API int sl_skill_discover(const char *root, const sl_skill_options *opt,
                                    sl_skill_dir_list **out, sl_error *err);

/* Number of folders in the list; 0 for NULL. */
SKILLLITE_API size_t sl_skill_dir_list_count(const sl_skill_dir_list *list);
/* Folder `index` as a NUL-terminated path owned by the list; NULL past the end. */
SKILLLITE_API const char *sl_skill_dir_list_at(const sl_skill_dir_list *list, size_t index);
/* Frees the list and its paths. NULL does nothing. */
SKILLLITE_API void sl_skill_dir_list_free(sl_skill_dir_list *list);
/* End file src/skill.h */

/* Begin file src/scan.h */
/* ======================================================================== scan ===
 *
 * Static security scanner for a skill's files: Python, JavaScript/TypeScript and shell
 * scripts, plus the Markdown of SKILL.md and references/. Each script is read by a
 * tokenizer (never by regular expressions over raw text), so comments and plain string
 * literals do not trigger rules (`model.eval()`, `re.compile`, a comment that mentions
 * exec) while a string that reaches an executing call does.
 *
 * What the analysis follows, per file:
 *   - import aliases (`import subprocess as sp`, `from os import system as run`,
 *     `const { exec } = require("node:child_process")`, `import * as cp from ...`);
 *   - names built at run time: `__import__`, `importlib.import_module`, `getattr(builtins,
 *     "ex" + "ec")`, `globals()["eval"]`, `global["ev" + "al"]`, computed members;
 *   - constant folding of string literals: `+`, `"".join([...])`, `chr()` sequences,
 *     `String.fromCharCode`, `[::-1]` and `.split("").reverse().join("")`, and cheap
 *     decoders (`bytes.fromhex`, base64, rot13, `atob`, `Buffer.from(s, "base64")`);
 *   - which values came from a decoder or from the network, through variables, so
 *     `exec(base64.b64decode(blob))` and `eval(requests.get(url).text)` are distinguished
 *     from a plain `eval`;
 *   - shell pipelines, `$(...)`, backticks, `eval`, `sh -c`, heredocs fed to an
 *     interpreter, and command strings handed to a shell from Python or JavaScript (they
 *     are scanned as shell in turn).
 *
 * Rules have stable ids (`py-exec-shell`, `js-dynamic-code`, `sh-download-exec`, ...), a
 * category, a severity and a message; sl_scanner_rule_count and sl_scanner_rule_at list
 * them (the project's docs/SCANNER.md also gives the measured recall and false-positive
 * rate). A YAML rule file
 * can add token or substring rules, disable rules and change severities.
 *
 * Confirmation flow: a report carries the SHA-256 of exactly what was scanned. A
 * registry issues a scan id bound to that hash, which expires (300 s by default) and can
 * be consumed once. sl_scan_gate is the one call a runner makes before executing a skill:
 *
 *     sl_scan_gate_options gate;
 *     sl_scan_report *report = NULL;
 *     sl_scan_gate_options_init(&gate);
 *     gate.confirm = ask_user;              // int ask_user(void *, const sl_scan_report *)
 *     gate.registry = registry;             // optional, with gate.scan_id from an earlier scan
 *     gate.scan_id = scan_id;
 *     rc = sl_scan_gate(&gate, "skills/weather", &report, &err);
 *     // SL_OK: run it. SL_ESCAN_BLOCKED, SL_ESCAN_EXPIRED, SL_ESCAN_MISMATCH: do not.
 *     sl_scan_report_free(report);
 *
 * SECURITY: the scanner is a tripwire for careless or plainly hostile skills, not a proof
 * of safety. Code can hide behavior in ways a static reader cannot follow (data read at
 * run time, deep indirection), so the sandbox stays the boundary that contains a skill.
 *
 * Thread safety: a scanner is read-only during scans and may be shared by threads once its
 * rules are loaded. A report is read-only. A registry is not synchronised: a host that
 * uses one from several threads must lock around each call.
 */

/* Severity of a finding. Values are ordered, so `severity >= SL_SCAN_HIGH` works. */
typedef enum sl_scan_severity {
    SL_SCAN_LOW = 1,       /* worth knowing; the default gate does not ask about it */
    SL_SCAN_MEDIUM = 2,    /* capability a reviewer should see (network, subprocess) */
    SL_SCAN_HIGH = 3,      /* dangerous capability; a run needs the host's confirmation */
    SL_SCAN_CRITICAL = 4   /* clearly hostile pattern; a run needs confirmation AND override */
} sl_scan_severity;

/* Returns "low", "medium", "high" or "critical"; "unknown" for other values. */
SKILLLITE_API const char *sl_scan_severity_name(int severity);

/* Parses a severity name of `len` bytes (case-insensitive). Returns the sl_scan_severity
 * value, or 0 when the name is not one of the four. */
SKILLLITE_API int sl_scan_severity_parse(const char *name, size_t len);

/* Language a file is scanned as. */
typedef enum sl_scan_language {
    SL_SCAN_LANG_NONE = 0,    /* hashed but not scanned (binary, data, unknown type) */
    SL_SCAN_LANG_PYTHON = 1,
    SL_SCAN_LANG_JS = 2,      /* JavaScript and TypeScript */
    SL_SCAN_LANG_SHELL = 3,   /* sh and bash */
    SL_SCAN_LANG_TEXT = 4     /* Markdown and plain text: SKILL.md, references/ */
} sl_scan_language;

/* Returns "none", "python", "javascript", "shell" or "text"; "none" when out of range. */
SKILLLITE_API const char *sl_scan_language_name(int language);

/* Picks the language of a file from its extension (.py, .js .mjs .cjs .ts .tsx .jsx,
 * .sh .bash, .md .markdown .txt .rst), else from a `#!` line in `text` (may be NULL).
 * Text with a NUL byte in its first 8 KiB is binary: SL_SCAN_LANG_NONE. */
SKILLLITE_API int sl_scan_language_detect(const char *path, const char *text, size_t len);

/* One finding. Every string is NUL-terminated and owned by the report. */
typedef struct sl_scan_finding {
    const char *rule_id;   /* stable id, e.g. "py-exec-shell" */
    const char *category;  /* e.g. "process", "network", "secrets" */
    int severity;          /* sl_scan_severity, after any override from a rule file */
    const char *message;   /* what the code does and why it matters */
    const char *path;      /* file path as given (relative to the skill folder for a scan
                              of a folder) */
    int line;              /* 1-based */
    int column;            /* 1-based, in UTF-8 code points */
    size_t offset;         /* byte offset in the file */
    const char *snippet;   /* the source line, trimmed, at most 160 bytes */
} sl_scan_finding;

/* A rule as the scanner stores it (built in or from a rule file). */
typedef struct sl_scan_rule_info {
    const char *id;
    const char *category;
    int severity;          /* current severity, after overrides */
    int language;          /* sl_scan_language it applies to; SL_SCAN_LANG_NONE for rules
                              about files themselves (binaries, symlinks) and for custom
                              rules, whose `languages:` list may name several */
    const char *message;
    int enabled;           /* 0 when a rule file disabled it */
    int custom;            /* 1 for a rule from a rule file */
} sl_scan_rule_info;

/* Scanner settings. Fill with sl_scan_config_init, then edit. */
typedef struct sl_scan_config {
    const sl_allocator *alloc;  /* NULL: default allocator */
    size_t max_file_bytes;      /* a larger file fails the scan with SL_ELIMIT; default 8 MiB */
    size_t max_total_bytes;     /* all files of one scan together; default 64 MiB */
    size_t max_files;           /* files (and symlinks) in one folder scan; default 4096 */
    size_t max_findings;        /* findings kept per report; more are only counted;
                                   default 1000 */
    int min_severity;           /* findings below this are dropped; default SL_SCAN_LOW */
} sl_scan_config;

/* Fills `config` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_config_init(sl_scan_config *config);

typedef struct sl_scanner sl_scanner;
typedef struct sl_scan_report sl_scan_report;

/* Creates a scanner with the built-in rules. `config` may be NULL for the defaults.
 * Returns SL_OK with `*out` set (free with sl_scanner_free), SL_EINVAL or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_new(const sl_scan_config *config, sl_scanner **out, sl_error *err);

/* Frees the scanner and its rules. Reports made with it stay valid. NULL does nothing. */
SKILLLITE_API void sl_scanner_free(sl_scanner *scanner);

/* Loads a rule file (the YAML subset of the yaml module) of `len` bytes. `source_name`
 * (may be NULL) names it in error messages. The format:
 *
 *     rules:                        # new rules
 *       - id: acme-telemetry        # lowercase letters, digits and '-'; must be new
 *         severity: high            # low, medium, high or critical
 *         category: network         # free text; default "custom"
 *         message: Sends usage data to the vendor.
 *         languages: [python, javascript]   # python, javascript, shell, text, any;
 *                                           # default any
 *         pattern: telemetry . send (       # either: tokens separated by spaces, matched
 *                                           # in order against the code's tokens;
 *                                           # $STRING and $ANY match any string or token
 *         substring: telemetry.example.com  # or: bytes matched anywhere in the file,
 *                                           # comments included
 *     disable: [py-network, js-network]     # rule ids to switch off
 *     severity:                             # new severities for existing rules
 *       py-exec-process: low
 *
 * Several files may be loaded; later ones win. On error nothing of the file is applied
 * and the call returns SL_ESCAN_RULES with the line and column of the bad value (an
 * unknown key, an unknown rule id, a bad severity, a pattern and a substring together),
 * or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_load_rules(sl_scanner *scanner, const char *text, size_t len,
                                        const char *source_name, sl_error *err);

/* Reads a rule file from `path` (at most 1 MiB) and loads it as above. Adds SL_ENOTFOUND,
 * SL_EIO and SL_ELIMIT for the read. */
SKILLLITE_API int sl_scanner_load_rules_file(sl_scanner *scanner, const char *path,
                                             sl_error *err);

/* Number of rules (built in, then custom) and rule `index` copied into `*info`. The
 * strings stay valid until sl_scanner_free. Returns 0 past the end, else 1. */
SKILLLITE_API size_t sl_scanner_rule_count(const sl_scanner *scanner);
SKILLLITE_API int sl_scanner_rule_at(const sl_scanner *scanner, size_t index,
                                     sl_scan_rule_info *info);

/* One in-memory file to scan. */
typedef struct sl_scan_source {
    const char *path;   /* name used in findings and in the hash; not NULL */
    const char *text;   /* content, `len` bytes; need not be NUL-terminated */
    size_t len;
    int language;       /* sl_scan_language, or -1 to detect from path and content */
} sl_scan_source;

/* Scans `count` sources in the given order. `scanner` may be NULL for the built-in rules
 * with default limits. The report's hash covers every source, in order, with its path.
 * Returns SL_OK with `*out` set (free with sl_scan_report_free), SL_EINVAL, SL_ELIMIT (a
 * file or the total over its limit) or SL_ENOMEM. */
SKILLLITE_API int sl_scanner_scan_sources(const sl_scanner *scanner,
                                          const sl_scan_source *sources, size_t count,
                                          sl_scan_report **out, sl_error *err);

/* Scans one in-memory file; sugar for sl_scanner_scan_sources with one source. */
SKILLLITE_API int sl_scanner_scan_text(const sl_scanner *scanner, const char *path,
                                       const char *text, size_t len, int language,
                                       sl_scan_report **out, sl_error *err);

/* Scans every file below folder `dir`: SKILL.md, scripts/, references/, and everything
 * else, because all of it ships with the skill. Files are taken in byte order of their
 * path relative to `dir` ("SKILL.md", "references/api.md", "scripts/main.py"), and `.git`
 * folders are skipped. Symlinks are not followed: their target text is hashed, and one
 * that leaves the folder is a finding. Files whose language is unknown are hashed
 * without being scanned.
 *
 * The hash is SHA-256 over, for each entry in that order: the relative path, a 0 byte,
 * the type byte ('f' file, 'l' symlink), the content length as 8 bytes big-endian, and
 * the content (the link target for a symlink), after the 18 bytes "skilllite-scan-v1" NUL.
 * sl_scanner_scan_sources uses the same layout with type 'f'.
 *
 * Returns the codes of sl_scanner_scan_sources plus SL_ENOTFOUND (no folder) and SL_EIO. */
SKILLLITE_API int sl_scanner_scan_dir(const sl_scanner *scanner, const char *dir,
                                      sl_scan_report **out, sl_error *err);

/* Frees a report. NULL does nothing. */
SKILLLITE_API void sl_scan_report_free(sl_scan_report *report);

/* Findings, sorted by path, then line, then column, then rule id. `at` returns NULL past
 * the end; the pointer stays valid until sl_scan_report_free. */
SKILLLITE_API size_t sl_scan_report_count(const sl_scan_report *report);
SKILLLITE_API const sl_scan_finding *sl_scan_report_at(const sl_scan_report *report,
                                                       size_t index);

/* Number of kept findings with exactly `severity`. */
SKILLLITE_API size_t sl_scan_report_count_severity(const sl_scan_report *report, int severity);

/* Highest severity among the findings, 0 when there are none. */
SKILLLITE_API int sl_scan_report_max_severity(const sl_scan_report *report);

/* Findings over max_findings that were counted but not kept. */
SKILLLITE_API size_t sl_scan_report_dropped(const sl_scan_report *report);

/* SHA-256 (64 lowercase hex digits, NUL-terminated) of what was scanned, as described at
 * sl_scanner_scan_dir; "" for NULL. Owned by the report. */
SKILLLITE_API const char *sl_scan_report_sha256(const sl_scan_report *report);

/* Number of files hashed and bytes read for the report. */
SKILLLITE_API size_t sl_scan_report_file_count(const sl_scan_report *report);
SKILLLITE_API size_t sl_scan_report_bytes(const sl_scan_report *report);

/* Writes "N findings: C critical, H high, M medium, L low" (no newline) into `out`,
 * always NUL-terminated and truncated to `size`. Returns `out`. */
SKILLLITE_API char *sl_scan_report_summary(const sl_scan_report *report, char *out,
                                           size_t size);

/* Report formats for sl_scan_report_write. */
typedef enum sl_scan_format {
    SL_SCAN_FORMAT_TEXT = 0,   /* "path:line:col: severity [rule] message", the snippet on
                                  the next line, then the summary line followed by
                                  " (N files, N bytes)" */
    SL_SCAN_FORMAT_JSON = 1,   /* {"sha256","files","bytes","summary":{...},"findings":[...]} */
    SL_SCAN_FORMAT_SARIF = 2   /* SARIF 2.1.0: one run, tool.driver.name "skilllite" */
} sl_scan_format;

/* Appends the report in `format` to `out`. `flags` takes SL_JSON_PRETTY for the JSON
 * formats. Returns SL_OK, SL_EINVAL (bad format) or SL_ENOMEM; on error `out` may hold a
 * partial report. */
SKILLLITE_API int sl_scan_report_write(const sl_scan_report *report, int format, int flags,
                                       sl_buf *out, sl_error *err);

/* ---------------------------------------------------------------- scan ids --- */

/* Size of a scan id buffer: "scan-" + 32 hex digits + NUL, rounded up. */
#define SL_SCAN_ID_SIZE 40

typedef struct sl_scan_registry sl_scan_registry;

/* Registry settings. Fill with sl_scan_registry_config_init, then edit. */
typedef struct sl_scan_registry_config {
    const sl_allocator *alloc;  /* NULL: default allocator */
    uint32_t ttl_seconds;       /* lifetime of an id; default 300 */
    size_t max_entries;         /* live ids at once; default 1024 */
    /* Clock in nanoseconds, monotonic; NULL: sl_time_now_ns. Tests pass a fake clock. */
    uint64_t (*clock)(void *user);
    void *clock_user;
} sl_scan_registry_config;

/* Fills `config` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_registry_config_init(sl_scan_registry_config *config);

/* Creates an empty registry. `config` may be NULL. Returns SL_OK with `*out` set (free
 * with sl_scan_registry_free), SL_EINVAL or SL_ENOMEM. */
SKILLLITE_API int sl_scan_registry_new(const sl_scan_registry_config *config,
                                       sl_scan_registry **out, sl_error *err);

/* Frees the registry and every id in it. NULL does nothing. */
SKILLLITE_API void sl_scan_registry_free(sl_scan_registry *registry);

/* Issues a new random id bound to the report's SHA-256, valid for ttl_seconds and one
 * consume, and writes it NUL-terminated to `id`. Returns SL_OK, SL_EINVAL, SL_ELIMIT
 * (max_entries live ids) or SL_EIO (no randomness from getrandom or /dev/urandom). */
SKILLLITE_API int sl_scan_registry_issue(sl_scan_registry *registry,
                                         const sl_scan_report *report,
                                         char id[SL_SCAN_ID_SIZE], sl_error *err);

/* Consumes `id` for content whose hash is `sha256_hex` (64 hex digits). The id is spent by
 * this call whatever the outcome, so a mismatch cannot be retried. Returns SL_OK,
 * SL_ESCAN_EXPIRED (unknown, expired or already used), SL_ESCAN_MISMATCH (bound to other
 * content) or SL_EINVAL. */
SKILLLITE_API int sl_scan_registry_consume(sl_scan_registry *registry, const char *id,
                                           const char *sha256_hex, sl_error *err);

/* Number of ids that are neither expired nor used. */
SKILLLITE_API size_t sl_scan_registry_live(sl_scan_registry *registry);

/* ------------------------------------------------------------------- gate --- */

/* Host confirmation. Receives the report of the content about to run; returns 1 to
 * approve, anything else to refuse. Called at most once per gate call. */
typedef int (*sl_scan_confirm_fn)(void *user, const sl_scan_report *report);

/* What sl_scan_gate decides with. Fill with sl_scan_gate_options_init, then edit. */
typedef struct sl_scan_gate_options {
    const sl_scanner *scanner;     /* NULL: built-in rules, default limits */
    sl_scan_registry *registry;    /* needed when scan_id is set */
    const char *scan_id;           /* NULL: no earlier scan; else it must be live and bound
                                      to exactly the content found now, and is consumed */
    sl_scan_confirm_fn confirm;    /* NULL: anything needing confirmation is blocked */
    void *confirm_user;
    int confirm_severity;          /* findings at or above this need confirm(); default
                                      SL_SCAN_HIGH */
    int allow_critical;            /* 1: critical findings may run when confirm() approves;
                                      0 (default): they are always blocked */
} sl_scan_gate_options;

/* Fills `opt` with the defaults above. NULL does nothing. */
SKILLLITE_API void sl_scan_gate_options_init(sl_scan_gate_options *opt);

/* Decides whether the skill in folder `dir` may run. Scans it (sl_scanner_scan_dir), then:
 *   1. with a scan id, consumes it against the report's hash: SL_ESCAN_EXPIRED or
 *      SL_ESCAN_MISMATCH when it is not live or the files changed since that scan;
 *   2. a critical finding without `allow_critical`: SL_ESCAN_BLOCKED, confirm() is not
 *      called;
 *   3. any finding at or above `confirm_severity` (critical included): confirm() must
 *      return 1, else SL_ESCAN_BLOCKED;
 *   4. otherwise SL_OK.
 * `opt` may be NULL for the defaults. `report` may be NULL; otherwise it receives the
 * report whenever the scan itself succeeded (also when blocked), to free with
 * sl_scan_report_free, and NULL on a scan error. Errors of the scan itself pass through.
 *
 * NOTE: the gate reads the files once, so a host that runs them later must make sure
 * they cannot change in between. The sandbox binds the folder read-only, but the host's
 * copy can still change before the bind. */
SKILLLITE_API int sl_scan_gate(const sl_scan_gate_options *opt, const char *dir,
                               sl_scan_report **report, sl_error *err);

/* Same decision for in-memory files (see sl_scanner_scan_sources). */
SKILLLITE_API int sl_scan_gate_sources(const sl_scan_gate_options *opt,
                                       const sl_scan_source *sources, size_t count,
                                       sl_scan_report **report, sl_error *err);

/* Same decision for a loaded skill: gates its folder, sl_skill_dir(skill). A skill parsed
 * from memory has no folder and gives SL_EINVAL. */
SKILLLITE_API int sl_scan_gate_skill(const sl_scan_gate_options *opt, const sl_skill *skill,
                                     sl_scan_report **report, sl_error *err);
/* End file src/scan.h */

/* Begin file src/sandbox.h */
/* ===================================================================== sandbox ===
 *
 * Runs a command (a skill's python, node or bash script, or any program) as a child
 * confined by the kernel, with the input on stdin and both outputs captured.
 *
 * Levels:
 *   1  no isolation, but the resource limits, the wall-clock timeout and a clean
 *      environment still apply.
 *   2  the sandbox: new user, mount, PID, network, IPC and UTS namespaces, a private
 *      read-only root, a size-capped tmpfs as the only writable place, seccomp-bpf,
 *      Landlock, no capabilities, no_new_privs, resource limits and a cgroup.
 *   3  level 2 after the static scanner's gate. Every spawn first scans work_dir. Findings
 *      at or above high run only when the policy's `confirm` callback approves them, and
 *      critical ones also need `allow_critical` (see sl_scan_gate).
 *
 * Fail closed: when the kernel refuses a layer that the level needs, spawning fails with
 * the layer's SL_ESANDBOX_* code and a message that names the layer and the likely fix.
 * A layer is skipped only when the policy waives it by name (`waive_layers`), and every
 * result lists the layers that were active.
 *
 * Two ways to run:
 *   blocking      sl_sandbox_exec() returns when the run is over.
 *   non-blocking  sl_sandbox_spawn(), then sl_sandbox_poll() from the host's own loop; the
 *                 fd from sl_sandbox_fd() becomes readable whenever poll can make progress,
 *                 so a game or editor can add it to its own poll/epoll set.
 *
 * Thread safety: a policy is read-only during a spawn; a run object belongs to one thread
 * at a time. Spawning from several threads at once is safe.
 */

/* Isolation layers, as bits of sl_sandbox_result.layers and sl_sandbox_policy.waive_layers. */
#define SL_LAYER_USERNS (1u << 0)
#define SL_LAYER_MOUNTNS (1u << 1)
#define SL_LAYER_PIDNS (1u << 2)
#define SL_LAYER_NETNS (1u << 3)
#define SL_LAYER_IPCNS (1u << 4)
#define SL_LAYER_UTSNS (1u << 5)
#define SL_LAYER_SECCOMP (1u << 6)
#define SL_LAYER_LANDLOCK (1u << 7)
#define SL_LAYER_CGROUP (1u << 8)
#define SL_LAYER_RLIMITS (1u << 9)
#define SL_LAYER_NO_NEW_PRIVS (1u << 10)
#define SL_LAYER_SCAN (1u << 11)
#define SL_LAYER_COUNT 12

/* Returns the short name of one layer bit ("userns", "seccomp", ...), or "unknown". */
SKILLLITE_API const char *sl_sandbox_layer_name(unsigned layer);

/* Writes the names of the layers in `layers` separated by spaces into `out` (always
 * NUL-terminated, truncated to `size`). Returns `out`. */
SKILLLITE_API char *sl_sandbox_layers_str(unsigned layers, char *out, size_t size);

/* Which limit ended a run, for a host to switch on. */
typedef enum sl_sandbox_limit {
    SL_LIMIT_NONE = 0,      /* the command ended by itself (exit or its own signal) */
    SL_LIMIT_TIMEOUT = 1,   /* wall-clock timeout */
    SL_LIMIT_CPU = 2,       /* CPU time (RLIMIT_CPU) */
    SL_LIMIT_MEMORY = 3,    /* memory: the cgroup's OOM killer acted */
    SL_LIMIT_PIDS = 4,      /* process/thread count: a fork failed at the cgroup's pids.max */
    SL_LIMIT_OUTPUT = 5,    /* captured output over its cap with kill_on_output_limit set */
    SL_LIMIT_FILE_SIZE = 6, /* RLIMIT_FSIZE (SIGXFSZ) or the output quota, which is also
                               reported for a run that exited by itself */
    SL_LIMIT_KILLED = 7     /* the host called sl_sandbox_kill() */
} sl_sandbox_limit;

/* Returns "none", "timeout", "cpu", "memory", "pids", "output", "file_size" or "killed". */
SKILLLITE_API const char *sl_sandbox_limit_name(int limit);

/* Everything a run may do. Fill with sl_sandbox_policy_init(), then edit. String arrays
 * are NULL-terminated and only read during the spawn call. Spawning rejects a value outside
 * its documented range with SL_ESANDBOX_POLICY and a message that names the field and the
 * range. */
typedef struct sl_sandbox_policy {
    int level;                     /* 1, 2 or 3; default 2 */

    /* Limits. None of them can be 0: each must be at least the minimum given here. */
    uint32_t timeout_ms;           /* wall clock, >= 1; default 30000 */
    uint32_t cpu_seconds;          /* RLIMIT_CPU, >= 1; default 30 */
    uint64_t memory_bytes;         /* cgroup memory limit, else RLIMIT_DATA; >= 1 MiB; default
                                      512 MiB. With the cgroup, the kernel's OOM killer ends the
                                      run (SL_LIMIT_MEMORY). With RLIMIT_DATA only, allocations
                                      fail with ENOMEM and the payload decides what happens
                                      (python raises MemoryError, node throws or aborts), so `limit`
                                      stays SL_LIMIT_NONE */
    uint32_t max_processes;        /* cgroup pids.max, else RLIMIT_NPROC; >= 1; default 64.
                                      A run whose fork fails at the cgroup's pids.max is killed
                                      at the next 250 ms check (SL_LIMIT_PIDS) */
    uint32_t max_open_files;       /* RLIMIT_NOFILE, 4 to 1048576; default 256 */
    uint64_t max_file_bytes;       /* RLIMIT_FSIZE: size of any one file, >= 1; default
                                      64 MiB. At level 1 with output_dir set, the smaller of
                                      this and output_quota_bytes applies */
    uint64_t tmpfs_bytes;          /* size of the private /tmp and /dev/shm, >= 1 (tmpfs reads
                                      0 as unlimited); default 64 MiB */
    size_t stdout_max;             /* bytes of stdout kept, 1 to 1 GiB; default 1 MiB */
    size_t stderr_max;             /* bytes of stderr kept, 1 to 1 GiB; default 1 MiB */
    int kill_on_output_limit;      /* 1: kill the run when an output passes its cap; default 0
                                      (the rest is read and dropped; `*_truncated` is set) */

    /* Filesystem. Paths are host paths. */
    const char *work_dir;          /* bound read-only at /skill and used as the cwd; may be NULL */
    const char *output_dir;        /* optional host folder that receives what the run
                                      writes to /output; see "Output folder" below */
    uint64_t output_quota_bytes;   /* bytes the run may write to output_dir, >= 1; default
                                      64 MiB. See "Output folder" below */
    const char *const *read_only_paths;  /* extra host paths bound read-only at the same path */
    const char *const *read_write_paths; /* extra host paths bound read-write at the same path */

    /* Network. */
    int network;                   /* 0 (default): no network. At level 2 an empty network
                                      namespace with loopback only, no DNS (names resolve from
                                      /etc/hosts), and with Landlock ABI 4+ TCP bind and
                                      connect fail with EACCES, also on 127.0.0.1. UDP and
                                      Unix socketpairs keep working. Level 1 has no network
                                      isolation at all.
                                      1: share the host's network namespace, DNS and TLS
                                      certificates; no TCP denial */
    const char *const *allowed_domains; /* must be NULL: the domain allowlist is not
                                      implemented yet */

    /* Processes. */
    int allow_subprocess;          /* 1: the payload may exec other programs (a bash script
                                      always may run the system's command folders); default 0.
                                      Enforced by Landlock at level 2 only */

    /* Identity. -1 picks the default: the caller's uid/gid, or nobody (65534) when the caller
       is root, because the payload must never be host uid 0. Only a root caller may pick
       another id. The payload sees the same number inside the user namespace. */
    int64_t uid;
    int64_t gid;

    /* Environment: empty plus PATH, HOME=/tmp, TMPDIR=/tmp, LANG=C.UTF-8, then
       SKILLLITE_SKILL_DIR (/skill, or work_dir at level 1) when work_dir is set and
       SKILLLITE_OUTPUT_DIR (/output, or output_dir at level 1) when output_dir is set,
       then these. */
    const char *const *env_pass;   /* names copied from the host environment when set */
    const char *const *env_set;    /* "NAME=value" entries */

    unsigned waive_layers;         /* SL_LAYER_SECCOMP, _LANDLOCK and _CGROUP bits that may be
                                      missing at level 2 (a waived layer still runs when it
                                      works); the namespaces are one unit and cannot be waived */

    const sl_allocator *alloc;     /* NULL: default allocator */
    sl_log_fn log;                 /* optional diagnostics */
    void *log_user;

    int use_cgroup;                /* 1 (default): put the run in a cgroup when one is usable.
                                      0: never, so memory and processes fall back to
                                      RLIMIT_DATA and RLIMIT_NPROC and `layers` lacks
                                      SL_LAYER_CGROUP, also at level 2 */

    /* Level 3: the static scanner's gate runs on work_dir before the run (required then).
     * Findings at or above high need `confirm` to return 1 (NULL blocks them), and critical
     * findings also need `allow_critical`. See sl_scan_gate in the scan module.
     * NOTE: approving findings does not widen the sandbox: a confirmed skill that runs
     * subprocesses still needs `allow_subprocess`, and one that uses the network `network`. */
    sl_scan_confirm_fn confirm;
    void *confirm_user;
    int allow_critical;            /* 1: critical findings may run when confirm() approves */
    const sl_scanner *scanner;     /* NULL: the built-in rules */
    sl_scan_registry *scan_registry; /* with scan_id: the registry that issued it */
    const char *scan_id;           /* an earlier scan's id: the run proceeds only when the
                                      files still hash the same (SL_ESCAN_MISMATCH otherwise).
                                      It does not replace confirmation, and any gate decision,
                                      a block included, uses it up (SL_ESCAN_EXPIRED after) */
} sl_sandbox_policy;

/* Output folder. Level 2 (and 3): /output starts EMPTY inside the sandbox. It is a private
 * tmpfs of output_quota_bytes (rounded down to whole pages, at least one page; at most
 * 16384 files and folders; nosuid, nodev, noexec), so a write past the quota fails with
 * ENOSPC inside the run, and its pages count against the run's memory limit. The host
 * disk never receives more than the quota. After every process of the run has ended, the
 * spawner copies the tree into output_dir with the payload's file system identity (the
 * caller's own, or for a root caller the payload's uid and gid, so host permissions apply
 * as they would to the payload and the files are not owned by root): folders and regular
 * files only, files with mode 0644 and folders 0755 (minus the umask). The run cannot read
 * or delete what output_dir held before. It can only add files or overwrite files of the
 * same name that its user may write. A skill that needs input files gets them through
 * work_dir or read_only_paths. The copy runs inside sl_sandbox_poll (or sl_sandbox_exec)
 * when the run ends.
 *
 * The copy skips, and counts in output_entries_skipped: symbolic links, FIFOs, sockets and
 * device nodes; entries nested deeper than 64 folders; entries past the first 65536; a file
 * whose size exceeds what is left of output_quota_bytes (hard links and sparse files can
 * make the copy larger than the tmpfs); a name where output_dir already has a symbolic link
 * (never followed), a folder where the run wrote a file, a file where the run made a folder
 * (with everything in it), a FIFO or device, or a file with other hard links; and a file or
 * folder the run made unreadable. A run that was not reaped (sl_sandbox_free before the
 * end) copies nothing.
 *
 * SL_LIMIT_FILE_SIZE is reported, when no other limit ended the run, if at the end the tmpfs
 * was full up to at most one page or had no inode left, or if the quota or an entry bound
 * left something out of the copy.
 * A write that failed with ENOSPC does not stop the run by itself.
 *
 * Level 1 has no mount namespace: the payload writes to output_dir directly. RLIMIT_FSIZE
 * stops any single file at the quota (SIGXFSZ, SL_LIMIT_FILE_SIZE), and the total is only
 * measured after the run (the spawner measures the folder before it too), so a level 1 run
 * can put more than the quota on the disk. A run over the quota gets SL_LIMIT_FILE_SIZE,
 * and what it wrote is kept. A measurement walks the folder without following symbolic
 * links or crossing into other mounts, and adds, per entry, the larger of the apparent size
 * and the allocated blocks. A walk that meets more than 65536 entries, a tree deeper than
 * 64 folders or a folder it cannot open counts as over the quota. Before the run, such a
 * folder fails the spawn with SL_ESANDBOX_POLICY instead. */

/* Fills `policy` with the defaults documented above. */
SKILLLITE_API void sl_sandbox_policy_init(sl_sandbox_policy *policy);

/* Outcome of a run. Outputs are NUL-terminated (the NUL is not counted) and owned by the
 * result; free them with sl_sandbox_result_free(). */
typedef struct sl_sandbox_result {
    int exited;                    /* 1 when the command exited normally */
    int exit_code;                 /* its exit status when `exited` */
    int signal;                    /* the terminating signal, 0 when `exited` */
    int limit;                     /* an sl_sandbox_limit: which limit ended the run */

    char *stdout_data;
    size_t stdout_len;
    int stdout_truncated;          /* 1 when stdout passed stdout_max and was cut */
    char *stderr_data;
    size_t stderr_len;
    int stderr_truncated;

    uint64_t wall_ns;              /* from spawn to the end of the run */
    uint64_t cpu_ns;               /* user + system CPU time of the run's processes. Level 2
                                      counts every process of the run, also after a kill
                                      (unless init missed its 200 ms grace and was killed).
                                      Level 1 counts the payload and the children it waited
                                      for, not those killed with it */
    uint64_t peak_memory_bytes;    /* cgroup peak, else the largest child's max RSS */
    unsigned layers;               /* SL_LAYER_* bits that were active */
    int landlock_abi;              /* Landlock ABI used, 0 when none */
    uint64_t output_bytes_written; /* level 2: bytes copied into output_dir. Level 1: bytes
                                      the run added under output_dir (after minus before, 0
                                      when it shrank). 0 without output_dir */

    const sl_allocator *alloc;     /* allocator of the outputs: the policy's pointer, which
                                      must stay valid until sl_sandbox_result_free */

    uint32_t output_files_written;   /* level 2: regular files copied into output_dir
                                        completely; 0 at level 1 */
    uint32_t output_entries_skipped; /* level 2: entries of /output that the copy left out
                                        (see "Output folder"); 0 at level 1 */
} sl_sandbox_result;

/* Frees the outputs and zeroes the result. NULL does nothing. */
SKILLLITE_API void sl_sandbox_result_free(sl_sandbox_result *result);

/* Runs `argv` (argv[0] is an absolute path or a name looked up in PATH) under `policy`
 * with `input` on stdin, and waits for the end. Returns SL_OK when the command ran, even if
 * it failed or a limit ended it (see `result`). Otherwise `err` is filled, `result` is
 * zeroed, and the code is one of: SL_EINVAL; SL_ESANDBOX_POLICY (a policy value out of
 * range); another SL_ESANDBOX_* code (a layer the kernel rejected); SL_ENOMEM; and at
 * level 3 the gate's SL_ESCAN_BLOCKED (findings not confirmed) or SL_ESCAN_EXPIRED and
 * SL_ESCAN_MISMATCH (a stale scan id). */
SKILLLITE_API int sl_sandbox_exec(const sl_sandbox_policy *policy, const char *const *argv,
                                  const void *input, size_t input_len,
                                  sl_sandbox_result *result, sl_error *err);

/* A run in progress (non-blocking API). */
typedef struct sl_sandbox_run sl_sandbox_run;

/* Starts `argv` under `policy` and returns at once; the input is copied. Returns SL_OK with
 * `*run` set, or one of sl_sandbox_exec's errors when it is found before the children
 * exist. Those are the policy check, the level 3 gate, a program not found, planning, and
 * the parent's part of the setup (clone, uid and gid maps, the run's cgroup). The call does
 * not wait for the payload's execve, so sl_sandbox_poll reports the child's setup failures,
 * with the same code, stage and message that sl_sandbox_exec returns for them. Input
 * written before the payload's execve waits in the stdin pipe. */
SKILLLITE_API int sl_sandbox_spawn(const sl_sandbox_policy *policy, const char *const *argv,
                                   const void *input, size_t input_len,
                                   sl_sandbox_run **run, sl_error *err);

/* Returns a file descriptor, owned by the run, that becomes readable when sl_sandbox_poll()
 * can make progress: the setup ended, output arrived, the command ended or the deadline
 * passed. */
SKILLLITE_API int sl_sandbox_fd(const sl_sandbox_run *run); /* -1 for a NULL run */

/* Advances the run, waiting at most `timeout_ms` (0: do not wait, -1: until the end).
 * Returns SL_EAGAIN while it is running and SL_OK once it has ended, after which
 * sl_sandbox_take_result() hands over the result. Other codes end the run:
 *   SL_EINVAL            NULL run
 *   SL_ESANDBOX_SPAWN    a system call of the host side failed (`err` names it)
 *   SL_ESANDBOX_*        the child's setup failed at that layer (SL_ESANDBOX_EXEC for
 *                        execve), with `err` naming the stage and the fix
 *   SL_ETIMEOUT          the setup was not over by the deadline
 * After a setup failure the children are killed and reaped, and every later poll returns
 * the same code and message. There is no result (SL_ESTATE), and the host frees the run.
 * A run killed by sl_sandbox_kill() during its setup ends with SL_OK and SL_LIMIT_KILLED. */
SKILLLITE_API int sl_sandbox_poll(sl_sandbox_run *run, int timeout_ms, sl_error *err);

/* Ends the run by killing every process of it. At level 2 the sandbox's init kills and reaps
 * them, so their CPU time is counted, and after 200 ms the spawner kills init itself. The
 * next polls report the end with SL_LIMIT_KILLED. */
SKILLLITE_API void sl_sandbox_kill(sl_sandbox_run *run);

/* Moves the finished run's result into `result`. Returns SL_OK, SL_ESTATE while running
 * or after a setup failure, or SL_EINVAL for a NULL argument. */
SKILLLITE_API int sl_sandbox_take_result(sl_sandbox_run *run, sl_sandbox_result *result);

/* Kills the run if it is still going, reaps it and frees everything. NULL does nothing. */
SKILLLITE_API void sl_sandbox_free(sl_sandbox_run *run);

/* What this kernel offers, for `skilllite status` and for hosts that want to decide early. */
typedef struct sl_sandbox_support {
    unsigned available;            /* SL_LAYER_* bits the kernel offers to this process */
    int landlock_abi;              /* highest Landlock ABI, 0 when none */
    int cgroup_version;            /* 2, 1, or 0 when no usable cgroup */
    char reasons[SL_LAYER_COUNT][160]; /* for each missing layer: why, and how to enable it */
} sl_sandbox_support;

/* Probes the kernel (forks a short-lived child for the namespace checks). Returns SL_OK
 * with `support` filled, or SL_EINVAL for a NULL `support`. */
SKILLLITE_API int sl_sandbox_probe(sl_sandbox_support *support, sl_error *err);

/* Runs `skill`'s entry point with its interpreter (python3, node or bash, looked up in
 * PATH) under `policy`, with `input_json` on stdin. `skill`, `policy` and `result` must
 * not be NULL (SL_EINVAL). The skill folder becomes the policy's work_dir (read-only at
 * /skill); a policy with another work_dir is rejected. At level 3 the scanner's gate reads
 * the whole skill folder first (see sl_sandbox_policy.confirm). Returns as
 * sl_sandbox_exec, plus SL_ESKILL_NO_ENTRY when the skill has no entry point and
 * SL_ESKILL_LANGUAGE when its language is unknown. */
SKILLLITE_API int sl_skill_run(const sl_skill *skill, const sl_sandbox_policy *policy,
                               const char *input_json, size_t input_len,
                               sl_sandbox_result *result, sl_error *err);

/* ---------------------------------------------------------------- warm pool --- */

/* A warm pool of level 2 sandboxes, for hosts that run many commands under one policy.
 *
 * Each entry is a sandbox built ahead of time: fresh user, mount, PID, network, IPC and UTS
 * namespaces, its own root with a fresh tmpfs /tmp and a fresh /proc, its own cgroup, and a
 * payload process that has dropped every capability, set no_new_privs and installed the
 * seccomp filter, and now waits on a control socket. sl_sandbox_pool_spawn() sends it argv
 * and the environment; the payload enforces Landlock for that program and execs it. An
 * entry serves exactly ONE run and is then discarded; nothing of one run is visible to the
 * next. The run object is an ordinary one: poll, kill, take the result and free it with the
 * sl_sandbox_* calls above.
 *
 * Every run of a pool uses the template policy given at creation: the same work_dir,
 * output_dir, extra paths, network setting, limits and environment rules. A host that needs
 * another shape (another work_dir, say) uses another pool or sl_sandbox_spawn(). With
 * output_dir, every entry mounts its own empty /output tmpfs, and the run copies it into
 * output_dir at the end exactly as a cold run does (see "Output folder"). A program
 * that the entries cannot see (outside the system folders and not named in
 * `programs`) runs through a cold sl_sandbox_spawn() with the template policy, and
 * `cold_runs` in the stats counts it.
 *
 * Refilling: no thread is created. sl_sandbox_pool_refill() replaces used and dead entries
 * without waiting for them to become ready; sl_sandbox_pool_spawn() calls it after handing
 * the run to an entry when `refill_on_spawn` is set. sl_sandbox_pool_fd() becomes readable when an
 * entry became ready or died, so a host can call sl_sandbox_pool_refill() from its own loop.
 *
 * Security: an idle entry holds no host fd, only the pipes and the control socket the pool
 * made for it; it is non-dumpable, dies with the thread that started it (PR_SET_PDEATHSIG,
 * as a cold run does) and is killed by sl_sandbox_pool_free(). Its cgroup is removed then.
 * NOTE: an entry's CPU time and peak memory include its own preparation (about 1 ms of CPU
 * and a few hundred KiB).
 * NOTE: the pool finds the host's cgroup hierarchies (and removes run cgroups that dead
 * processes left behind) once, for its first entry. A host that later moves itself into
 * another cgroup keeps getting run cgroups under the old parent until it makes a new pool.
 *
 * Thread safety: a pool belongs to one thread at a time. */
typedef struct sl_sandbox_pool sl_sandbox_pool;

typedef struct sl_sandbox_pool_config {
    const sl_sandbox_policy *policy; /* template, level 2 or 3; required. Copied, but the
                                        strings and arrays it points to must stay valid until
                                        sl_sandbox_pool_free */
    unsigned size;                   /* entries kept ready, 1 to 64; default 2 */
    const char *const *programs;     /* optional, NULL-terminated: programs (PATH names or
                                        paths) outside the system folders, for example a
                                        pyenv python, whose install prefix every entry binds
                                        read-only so that pooled runs can exec them */
    int refill_on_spawn;             /* 1 (default): sl_sandbox_pool_spawn starts the
                                        replacement entry after handing the run over. 0:
                                        only sl_sandbox_pool_refill does */
} sl_sandbox_pool_config;

/* Counters of a pool, for hosts and tests. */
typedef struct sl_sandbox_pool_stats {
    unsigned ready;                  /* entries waiting for a run */
    unsigned starting;               /* entries still being prepared */
    uint64_t pooled_runs;            /* runs served by an entry */
    uint64_t cold_runs;              /* runs that fell back to sl_sandbox_spawn */
    uint64_t entries_started;
    uint64_t entries_lost;           /* entries that died or failed before use */
} sl_sandbox_pool_stats;

/* Fills `config` with the defaults above (policy NULL). */
SKILLLITE_API void sl_sandbox_pool_config_init(sl_sandbox_pool_config *config);

/* Creates a pool and prepares its entries, waiting until all are ready (at most the
 * template's timeout_ms), so that a layer the kernel refuses fails here with the same code
 * and message as a cold spawn would. Returns SL_OK with `*pool` set, SL_EINVAL, SL_ENOMEM,
 * SL_ESANDBOX_POLICY (a level 1 template, a size out of range, a program not found) or an
 * SL_ESANDBOX_* code. Free with sl_sandbox_pool_free(). */
SKILLLITE_API int sl_sandbox_pool_new(const sl_sandbox_pool_config *config,
                                      sl_sandbox_pool **pool, sl_error *err);

/* Starts `argv` in a ready entry with `input` on stdin (copied) and returns once the entry
 * has the request, without waiting for the payload's execve, like sl_sandbox_spawn(): the
 * failures of the payload's last steps (Landlock, execve) are reported by sl_sandbox_poll.
 * When no entry is ready it waits for one that is being prepared, and when none is, it runs
 * a cold sl_sandbox_spawn() with the template policy. Returns as sl_sandbox_spawn(). The run
 * does not depend on the pool: it may outlive it. */
SKILLLITE_API int sl_sandbox_pool_spawn(sl_sandbox_pool *pool, const char *const *argv,
                                        const void *input, size_t input_len,
                                        sl_sandbox_run **run, sl_error *err);

/* Collects entries that became ready or died, and starts new ones until `size` entries are
 * ready or starting. Never waits for an entry. Returns SL_OK, or the error of an entry whose
 * preparation failed (the entry is discarded; the next refill tries again). NULL does
 * nothing. */
SKILLLITE_API int sl_sandbox_pool_refill(sl_sandbox_pool *pool, sl_error *err);

/* Returns an fd that becomes readable when an entry became ready or died; then call
 * sl_sandbox_pool_refill(). Owned by the pool; -1 for NULL. */
SKILLLITE_API int sl_sandbox_pool_fd(const sl_sandbox_pool *pool);

/* Fills `stats`. NULL pool or stats does nothing. */
SKILLLITE_API void sl_sandbox_pool_get_stats(const sl_sandbox_pool *pool,
                                             sl_sandbox_pool_stats *stats);

/* Kills every idle or starting entry, reaps it, removes its cgroup and frees the pool. Runs
 * already handed out are not affected. NULL does nothing. */
SKILLLITE_API void sl_sandbox_pool_free(sl_sandbox_pool *pool);
/* End file src/sandbox.h */

#ifdef __cplusplus
}
#endif

#endif /* SKILLLITE_H */

#if defined(SKILLLITE_IMPLEMENTATION) && !defined(SKILLLITE_IMPLEMENTATION_INCLUDED)
#define SKILLLITE_IMPLEMENTATION_INCLUDED

#ifdef __cplusplus
#error "skilllite.h: compile the implementation (SKILLLITE_IMPLEMENTATION) in a C file; C++ files include the declarations only"
#endif
#if !defined(__linux__)
#error "skilllite.h: this version implements Linux only; macOS (Seatbelt) is planned"
#endif

/* Begin file src/core.c */
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
/* End file src/core.c */

/* Begin file src/value.c */
/* ======================================================================= value === */

typedef struct sl__member {
    sl_value *key;
    sl_value *value;
} sl__member;

struct sl_value {
    sl_value_type type;
    int flags;
    int line;
    int column;
    size_t offset;
    union {
        int b;
        int64_t i;
        double d;
        struct {
            const char *ptr;
            size_t len;
        } s;
        struct {
            sl_value **items;
            size_t count;
            size_t cap;
        } a;
        struct {
            sl__member *members;
            size_t count;
            size_t cap;
        } o;
    } u;
};

struct sl_doc {
    sl__arena arena;
    sl_value *root;
};

SKILLLITE_API sl_doc *sl_doc_new(const sl_allocator *alloc)
{
    sl_allocator a = sl__allocator_resolve(alloc);
    sl_doc *doc = (sl_doc *)sl__malloc(&a, sizeof(sl_doc));

    if (doc == NULL) {
        return NULL;
    }
    sl__arena_init(&doc->arena, &a);
    doc->root = NULL;
    return doc;
}

SKILLLITE_API void sl_doc_free(sl_doc *doc)
{
    sl_allocator a;

    if (doc == NULL) {
        return;
    }
    a = doc->arena.alloc;
    sl__arena_free(&doc->arena);
    sl__free(&a, doc, sizeof(sl_doc));
}

SKILLLITE_API sl_value *sl_doc_root(const sl_doc *doc)
{
    return doc == NULL ? NULL : doc->root;
}

SKILLLITE_API void sl_doc_set_root(sl_doc *doc, sl_value *root)
{
    if (doc != NULL) {
        doc->root = root;
    }
}

/* ----------------------------------------------------------------------- accessors --- */

SKILLLITE_API sl_value_type sl_value_kind(const sl_value *v)
{
    return v == NULL ? SL_VALUE_NULL : v->type;
}

SKILLLITE_API const char *sl_value_type_name(sl_value_type type)
{
    switch (type) {
    case SL_VALUE_NULL: return "null";
    case SL_VALUE_BOOL: return "bool";
    case SL_VALUE_INT: return "integer";
    case SL_VALUE_REAL: return "number";
    case SL_VALUE_STRING: return "string";
    case SL_VALUE_ARRAY: return "array";
    case SL_VALUE_OBJECT: return "object";
    }
    return "unknown";
}

SKILLLITE_API int sl_value_is_null(const sl_value *v)
{
    return v == NULL || v->type == SL_VALUE_NULL;
}

SKILLLITE_API int sl_value_bool(const sl_value *v)
{
    return v != NULL && v->type == SL_VALUE_BOOL && v->u.b;
}

SKILLLITE_API int64_t sl_value_int(const sl_value *v)
{
    if (v == NULL) {
        return 0;
    }
    if (v->type == SL_VALUE_INT) {
        return v->u.i;
    }
    if (v->type == SL_VALUE_REAL) {
        /* Clamp so the conversion is defined for every double, NaN included. */
        if (!(v->u.d > -9223372036854775808.0)) {
            return v->u.d != v->u.d ? 0 : INT64_MIN;
        }
        if (v->u.d >= 9223372036854775808.0) {
            return INT64_MAX;
        }
        return (int64_t)v->u.d;
    }
    return 0;
}

SKILLLITE_API double sl_value_real(const sl_value *v)
{
    if (v == NULL) {
        return 0.0;
    }
    if (v->type == SL_VALUE_REAL) {
        return v->u.d;
    }
    if (v->type == SL_VALUE_INT) {
        return (double)v->u.i;
    }
    return 0.0;
}

SKILLLITE_API sl_str sl_value_str(const sl_value *v)
{
    sl_str s;

    if (v == NULL || v->type != SL_VALUE_STRING) {
        s.ptr = "";
        s.len = 0;
        return s;
    }
    s.ptr = v->u.s.ptr;
    s.len = v->u.s.len;
    return s;
}

SKILLLITE_API const char *sl_value_cstr(const sl_value *v)
{
    return sl_value_str(v).ptr;
}

SKILLLITE_API size_t sl_value_count(const sl_value *v)
{
    if (v == NULL) {
        return 0;
    }
    if (v->type == SL_VALUE_ARRAY) {
        return v->u.a.count;
    }
    if (v->type == SL_VALUE_OBJECT) {
        return v->u.o.count;
    }
    return 0;
}

SKILLLITE_API sl_value *sl_value_at(const sl_value *v, size_t index)
{
    if (v == NULL) {
        return NULL;
    }
    if (v->type == SL_VALUE_ARRAY && index < v->u.a.count) {
        return v->u.a.items[index];
    }
    if (v->type == SL_VALUE_OBJECT && index < v->u.o.count) {
        return v->u.o.members[index].value;
    }
    return NULL;
}

SKILLLITE_API sl_value *sl_value_key_at(const sl_value *v, size_t index)
{
    if (v == NULL || v->type != SL_VALUE_OBJECT || index >= v->u.o.count) {
        return NULL;
    }
    return v->u.o.members[index].key;
}

SKILLLITE_API sl_value *sl_value_getn(const sl_value *v, const char *key, size_t key_len)
{
    size_t i;

    if (v == NULL || v->type != SL_VALUE_OBJECT || key == NULL) {
        return NULL;
    }
    for (i = 0; i < v->u.o.count; i++) {
        const sl_value *k = v->u.o.members[i].key;
        if (k->u.s.len == key_len && memcmp(k->u.s.ptr, key, key_len) == 0) {
            return v->u.o.members[i].value;
        }
    }
    return NULL;
}

SKILLLITE_API sl_value *sl_value_get(const sl_value *v, const char *key)
{
    if (key == NULL) {
        return NULL;
    }
    return sl_value_getn(v, key, strlen(key));
}

SKILLLITE_API size_t sl_value_offset(const sl_value *v)
{
    return v == NULL ? 0 : v->offset;
}

SKILLLITE_API int sl_value_line(const sl_value *v)
{
    return v == NULL ? 0 : v->line;
}

SKILLLITE_API int sl_value_column(const sl_value *v)
{
    return v == NULL ? 0 : v->column;
}

SKILLLITE_API int sl_value_flags(const sl_value *v)
{
    return v == NULL ? 0 : v->flags;
}

SKILLLITE_API void sl_value_set_position(sl_value *v, size_t offset, int line, int column)
{
    if (v != NULL) {
        v->offset = offset;
        v->line = line;
        v->column = column;
    }
}

SKILLLITE_API void sl_value_set_flags(sl_value *v, int flags)
{
    if (v != NULL) {
        v->flags = flags;
    }
}

SKILLLITE_API int sl_value_equal(const sl_value *a, const sl_value *b)
{
    size_t i;

    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (a->type != b->type) {
        return 0;
    }
    switch (a->type) {
    case SL_VALUE_NULL: return 1;
    case SL_VALUE_BOOL: return (a->u.b != 0) == (b->u.b != 0);
    case SL_VALUE_INT: return a->u.i == b->u.i;
    case SL_VALUE_REAL: return a->u.d == b->u.d;
    case SL_VALUE_STRING:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
    case SL_VALUE_ARRAY:
        if (a->u.a.count != b->u.a.count) {
            return 0;
        }
        for (i = 0; i < a->u.a.count; i++) {
            if (!sl_value_equal(a->u.a.items[i], b->u.a.items[i])) {
                return 0;
            }
        }
        return 1;
    case SL_VALUE_OBJECT:
        if (a->u.o.count != b->u.o.count) {
            return 0;
        }
        for (i = 0; i < a->u.o.count; i++) {
            if (!sl_value_equal(a->u.o.members[i].key, b->u.o.members[i].key) ||
                !sl_value_equal(a->u.o.members[i].value, b->u.o.members[i].value)) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------- builder --- */

static sl_value *sl__value_new(sl_doc *doc, sl_value_type type)
{
    sl_value *v;

    if (doc == NULL) {
        return NULL;
    }
    v = (sl_value *)sl__arena_calloc(&doc->arena, sizeof(sl_value));
    if (v != NULL) {
        v->type = type;
    }
    return v;
}

SKILLLITE_API sl_value *sl_value_new_null(sl_doc *doc)
{
    return sl__value_new(doc, SL_VALUE_NULL);
}

SKILLLITE_API sl_value *sl_value_new_bool(sl_doc *doc, int b)
{
    sl_value *v = sl__value_new(doc, SL_VALUE_BOOL);

    if (v != NULL) {
        v->u.b = b != 0;
    }
    return v;
}

SKILLLITE_API sl_value *sl_value_new_int(sl_doc *doc, int64_t i)
{
    sl_value *v = sl__value_new(doc, SL_VALUE_INT);

    if (v != NULL) {
        v->u.i = i;
    }
    return v;
}

SKILLLITE_API sl_value *sl_value_new_real(sl_doc *doc, double d)
{
    sl_value *v = sl__value_new(doc, SL_VALUE_REAL);

    if (v != NULL) {
        v->u.d = d;
    }
    return v;
}

SKILLLITE_API sl_value *sl_value_new_strn(sl_doc *doc, const char *s, size_t len)
{
    sl_value *v = sl__value_new(doc, SL_VALUE_STRING);

    if (v == NULL) {
        return NULL;
    }
    v->u.s.ptr = sl__arena_strndup(&doc->arena, s, len);
    if (v->u.s.ptr == NULL) {
        return NULL;
    }
    v->u.s.len = len;
    return v;
}

SKILLLITE_API sl_value *sl_value_new_str(sl_doc *doc, const char *cstr)
{
    if (cstr == NULL) {
        return NULL;
    }
    return sl_value_new_strn(doc, cstr, strlen(cstr));
}

SKILLLITE_API sl_value *sl_value_new_array(sl_doc *doc)
{
    return sl__value_new(doc, SL_VALUE_ARRAY);
}

SKILLLITE_API sl_value *sl_value_new_object(sl_doc *doc)
{
    return sl__value_new(doc, SL_VALUE_OBJECT);
}

/* Grows an arena-backed vector of `elem` bytes per slot to hold one more. The old slots
 * stay in the arena until the document is freed; doubling keeps that waste under 2x. */
static int sl__vector_grow(sl_doc *doc, void **items, size_t count, size_t *cap, size_t elem)
{
    size_t ncap;
    void *p;

    if (count < *cap) {
        return SL_OK;
    }
    ncap = *cap == 0 ? 4 : *cap * 2;
    if (ncap > SIZE_MAX / elem) {
        return SL_ENOMEM;
    }
    p = sl__arena_alloc(&doc->arena, ncap * elem);
    if (p == NULL) {
        return SL_ENOMEM;
    }
    if (count > 0) {
        memcpy(p, *items, count * elem);
    }
    *items = p;
    *cap = ncap;
    return SL_OK;
}

SKILLLITE_API int sl_value_push(sl_doc *doc, sl_value *array, sl_value *item)
{
    void *items;
    int rc;

    if (doc == NULL || array == NULL || array->type != SL_VALUE_ARRAY) {
        return SL_EINVAL;
    }
    if (item == NULL) {
        return SL_ENOMEM;
    }
    items = array->u.a.items;
    rc = sl__vector_grow(doc, &items, array->u.a.count, &array->u.a.cap, sizeof(sl_value *));
    if (rc != SL_OK) {
        return rc;
    }
    array->u.a.items = (sl_value **)items;
    array->u.a.items[array->u.a.count++] = item;
    return SL_OK;
}

SKILLLITE_API int sl_value_append(sl_doc *doc, sl_value *object, sl_value *key, sl_value *item)
{
    void *members;
    int rc;

    if (doc == NULL || object == NULL || object->type != SL_VALUE_OBJECT) {
        return SL_EINVAL;
    }
    if (key == NULL || item == NULL) {
        return SL_ENOMEM;
    }
    if (key->type != SL_VALUE_STRING) {
        return SL_EINVAL;
    }
    members = object->u.o.members;
    rc = sl__vector_grow(doc, &members, object->u.o.count, &object->u.o.cap, sizeof(sl__member));
    if (rc != SL_OK) {
        return rc;
    }
    object->u.o.members = (sl__member *)members;
    object->u.o.members[object->u.o.count].key = key;
    object->u.o.members[object->u.o.count].value = item;
    object->u.o.count++;
    return SL_OK;
}

SKILLLITE_API int sl_value_setn(sl_doc *doc, sl_value *object, const char *key, size_t key_len,
                                sl_value *item)
{
    size_t i;

    if (doc == NULL || object == NULL || object->type != SL_VALUE_OBJECT || key == NULL) {
        return SL_EINVAL;
    }
    if (item == NULL) {
        return SL_ENOMEM;
    }
    for (i = 0; i < object->u.o.count; i++) {
        sl_value *k = object->u.o.members[i].key;
        if (k->u.s.len == key_len && memcmp(k->u.s.ptr, key, key_len) == 0) {
            object->u.o.members[i].value = item;
            return SL_OK;
        }
    }
    return sl_value_append(doc, object, sl_value_new_strn(doc, key, key_len), item);
}

SKILLLITE_API int sl_value_set(sl_doc *doc, sl_value *object, const char *key, sl_value *item)
{
    if (key == NULL) {
        return SL_EINVAL;
    }
    return sl_value_setn(doc, object, key, strlen(key), item);
}

/* Deep copy with an explicit depth guard, because `v` may come from untrusted input. */
static sl_value *sl__value_copy(sl_doc *doc, const sl_value *v, int depth)
{
    sl_value *c = NULL;
    size_t i;

    if (v == NULL || depth > 10000) {
        return NULL;
    }
    switch (v->type) {
    case SL_VALUE_NULL: c = sl_value_new_null(doc); break;
    case SL_VALUE_BOOL: c = sl_value_new_bool(doc, v->u.b); break;
    case SL_VALUE_INT: c = sl_value_new_int(doc, v->u.i); break;
    case SL_VALUE_REAL: c = sl_value_new_real(doc, v->u.d); break;
    case SL_VALUE_STRING: c = sl_value_new_strn(doc, v->u.s.ptr, v->u.s.len); break;
    case SL_VALUE_ARRAY:
        c = sl_value_new_array(doc);
        for (i = 0; c != NULL && i < v->u.a.count; i++) {
            if (sl_value_push(doc, c, sl__value_copy(doc, v->u.a.items[i], depth + 1)) != SL_OK) {
                return NULL;
            }
        }
        break;
    case SL_VALUE_OBJECT:
        c = sl_value_new_object(doc);
        for (i = 0; c != NULL && i < v->u.o.count; i++) {
            sl_value *k = sl__value_copy(doc, v->u.o.members[i].key, depth + 1);
            sl_value *x = sl__value_copy(doc, v->u.o.members[i].value, depth + 1);
            if (sl_value_append(doc, c, k, x) != SL_OK) {
                return NULL;
            }
        }
        break;
    }
    if (c != NULL) {
        c->flags = v->flags;
        c->offset = v->offset;
        c->line = v->line;
        c->column = v->column;
    }
    return c;
}

SKILLLITE_API sl_value *sl_value_copy(sl_doc *doc, const sl_value *v)
{
    return sl__value_copy(doc, v, 0);
}
/* End file src/value.c */

/* Begin file src/json.c */
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
/* End file src/json.c */

/* Begin file src/yaml.c */
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
/* End file src/yaml.c */

/* Begin file src/skill.c */
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
/* End file src/skill.c */

/* Begin file src/scan_lex.c */
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
/* End file src/scan_lex.c */

/* Begin file src/scan_rules.c */
/* ================================================================== scan_rules ===
 * The rule table, finding emission, and the analyzers that walk each language's tokens:
 * a small expression evaluator for Python and JavaScript (aliases, constant folding,
 * value flags such as "decoded" or "from the network"), a command and pipeline walker
 * for shell, and a line and phrase reader for Markdown.
 */

#include <stdint.h>
#include <string.h>

/* What a rule detects. Each language maps a class to its own rule id (sl__rule_defs). */
enum {
    SL__C_EXEC_SHELL,      /* a command string run by a shell */
    SL__C_EXEC_PROCESS,    /* a program started without a shell */
    SL__C_DYNAMIC_CODE,    /* eval, exec, compile, Function, vm, shell eval */
    SL__C_DECODE_EXEC,     /* decoded data reaches an executing call */
    SL__C_OBFUSCATED,      /* a dangerous function reached through a built name */
    SL__C_DYNAMIC_IMPORT,  /* a module imported by a computed name */
    SL__C_DESERIALIZE,     /* pickle, marshal, unsafe YAML */
    SL__C_NETWORK,         /* network access */
    SL__C_DOWNLOAD_EXEC,   /* downloaded data executed */
    SL__C_SECRET,          /* credential or key files */
    SL__C_METADATA,        /* cloud instance metadata service */
    SL__C_ENV_EXFIL,       /* the whole environment collected, and network used */
    SL__C_WRITE_OUTSIDE,   /* writes or deletes outside the working folder */
    SL__C_PERSISTENCE,     /* cron, shell rc files, systemd, git hooks, ssh keys */
    SL__C_REVERSE_SHELL,   /* a shell wired to a socket */
    SL__C_MINER,           /* cryptocurrency miner */
    SL__C_FFI,             /* native code through ctypes or an FFI module */
    SL__C_NATIVE_EXEC,     /* executable memory from a scripting language */
    SL__C_OPAQUE,          /* very long or high-entropy literal */
    SL__C_DESTRUCTIVE,     /* wipes the home folder or the file system */
    SL__C_DISABLE_SAFETY,  /* turns off a firewall, SELinux, history, ... */
    SL__C_LD_PRELOAD,      /* library injection through the dynamic loader */
    SL__C_PRIVILEGE,       /* sudo, su, setuid */
    SL__C_OBF_COMMAND,     /* shell command name written with escapes or split quotes */
    SL__C_PASTE_TERMINAL,  /* Markdown requests pasting a command into a terminal */
    SL__C_PROMPT_INJECTION,/* Markdown tells the agent to ignore or hide instructions */
    SL__C_BINARY,          /* the skill ships a compiled executable */
    SL__C_SYMLINK,         /* a symlink that leaves the skill folder */
    SL__C_COUNT
};

typedef struct sl__rule_def {
    const char *id;
    int language;
    int cls;
    int severity;
    const char *category;
    const char *message;
} sl__rule_def;

#define SL__PY SL_SCAN_LANG_PYTHON
#define SL__JS SL_SCAN_LANG_JS
#define SL__SH SL_SCAN_LANG_SHELL
#define SL__MD SL_SCAN_LANG_TEXT
#define SL__LOW SL_SCAN_LOW
#define SL__MED SL_SCAN_MEDIUM
#define SL__HIGH SL_SCAN_HIGH
#define SL__CRIT SL_SCAN_CRITICAL

/* The built-in rules. Ids are stable: hosts and rule files refer to them. Severity
 * follows what a hostile skill needs: capabilities that ordinary tools also use are
 * medium, capabilities that let a script escape review are high, and patterns that only
 * attacks use are critical. */
static const sl__rule_def sl__rule_defs[] = {
    /* --- Python --- */
    /* os.system, os.popen, subprocess with shell=True: any string becomes a command. */
    {"py-exec-shell", SL__PY, SL__C_EXEC_SHELL, SL__HIGH, "process",
     "Runs a command line through a shell; a shell string can run any program the user can"},
    /* subprocess.run([...]), os.exec*, os.spawn*: starts another program. */
    {"py-exec-process", SL__PY, SL__C_EXEC_PROCESS, SL__MED, "process",
     "Starts another program; it runs outside what this script's code shows"},
    /* eval, exec, compile: runs code that is not in the file. */
    {"py-dynamic-code", SL__PY, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs Python code built at run time (eval, exec or compile), which review cannot see"},
    /* exec(base64.b64decode(...)), exec(marshal.loads(...)), os.system(bytes.fromhex(...)) */
    {"py-decode-exec", SL__PY, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, zlib, marshal, rot13, char codes) and executes it"},
    /* getattr(builtins, "ex" + "ec"), __import__("o" + "s").system */
    {"py-obfuscated-call", SL__PY, SL__C_OBFUSCATED, SL__CRIT, "obfuscation",
     "Calls a dangerous function through a name assembled at run time, a way to hide it"},
    /* __import__(name), importlib.import_module(name) with a computed name */
    {"py-dynamic-import", SL__PY, SL__C_DYNAMIC_IMPORT, SL__MED, "dynamic-code",
     "Imports a module whose name is computed at run time, so review cannot tell which"},
    /* pickle.loads, marshal.loads, yaml.load without SafeLoader */
    {"py-unsafe-deserialize", SL__PY, SL__C_DESERIALIZE, SL__MED, "dynamic-code",
     "Deserializes with pickle, marshal or unsafe YAML, which can run code from the data"},
    /* socket, urllib, requests, httpx, ... */
    {"py-network", SL__PY, SL__C_NETWORK, SL__MED, "network",
     "Opens a network connection; data can leave the machine or code can come in"},
    /* exec(requests.get(url).text), urlretrieve + chmod +x */
    {"py-download-exec", SL__PY, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Downloads data and executes it, so the code that runs is not the code reviewed"},
    /* ~/.ssh/id_rsa, ~/.aws/credentials, .env, /etc/shadow, ... */
    {"py-secret-read", SL__PY, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    /* 169.254.169.254, metadata.google.internal */
    {"py-cloud-metadata", SL__PY, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* dict(os.environ) / os.environ.items() together with network access */
    {"py-env-exfil", SL__PY, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Collects the whole environment (where API keys live) in a file that uses the network"},
    /* open("/etc/...", "w"), shutil.rmtree("/..."), paths under ~ */
    {"py-write-outside", SL__PY, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    /* crontab, ~/.bashrc, systemd units, .git/hooks, authorized_keys */
    {"py-persistence", SL__PY, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Touches a place that runs code later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    /* socket + os.dup2 + pty.spawn("/bin/sh") */
    {"py-reverse-shell", SL__PY, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    /* stratum+tcp://, xmrig */
    {"py-miner", SL__PY, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* import ctypes, cffi */
    {"py-ffi", SL__PY, SL__C_FFI, SL__MED, "native-code",
     "Calls native code through ctypes or cffi, outside Python's own checks"},
    /* ctypes with mmap PROT_EXEC, VirtualAlloc, mprotect */
    {"py-native-exec", SL__PY, SL__C_NATIVE_EXEC, SL__CRIT, "native-code",
     "Makes memory executable from Python, the usual way to run injected machine code"},
    /* a 300-character base64 blob, a 20 KB single-line literal */
    {"py-opaque-literal", SL__PY, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- JavaScript and TypeScript --- */
    /* child_process.exec / execSync, spawn with shell: true */
    {"js-exec-shell", SL__JS, SL__C_EXEC_SHELL, SL__HIGH, "process",
     "Runs a command line through a shell; a shell string can run any program the user can"},
    /* child_process.spawn / execFile / fork */
    {"js-exec-process", SL__JS, SL__C_EXEC_PROCESS, SL__MED, "process",
     "Starts another program; it runs outside what this script's code shows"},
    /* eval, new Function, vm.runIn*Context, setTimeout("code") */
    {"js-dynamic-code", SL__JS, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs JavaScript built at run time (eval, Function, vm), which review cannot see"},
    /* eval(atob(...)), Function(Buffer.from(s, "base64").toString()) */
    {"js-decode-exec", SL__JS, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, char codes, URI escapes) and executes it"},
    /* global["ev" + "al"], require("child_" + "process") */
    {"js-obfuscated-call", SL__JS, SL__C_OBFUSCATED, SL__CRIT, "obfuscation",
     "Calls a dangerous function through a name assembled at run time, a way to hide it"},
    /* require(name) with a computed name */
    {"js-dynamic-require", SL__JS, SL__C_DYNAMIC_IMPORT, SL__MED, "dynamic-code",
     "Loads a module whose name is computed at run time, so review cannot tell which"},
    /* fetch, http(s).request, net.connect, axios */
    {"js-network", SL__JS, SL__C_NETWORK, SL__MED, "network",
     "Opens a network connection; data can leave the machine or code can come in"},
    /* eval(await (await fetch(u)).text()) */
    {"js-download-exec", SL__JS, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Downloads data and executes it, so the code that runs is not the code reviewed"},
    {"js-secret-read", SL__JS, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    {"js-cloud-metadata", SL__JS, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* JSON.stringify(process.env) with network access */
    {"js-env-exfil", SL__JS, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Collects the whole environment (where API keys live) in a file that uses the network"},
    {"js-write-outside", SL__JS, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    {"js-persistence", SL__JS, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Touches a place that runs code later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    /* net.connect + spawn("/bin/sh") */
    {"js-reverse-shell", SL__JS, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    {"js-miner", SL__JS, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* ffi-napi, koffi, process.dlopen */
    {"js-ffi", SL__JS, SL__C_FFI, SL__MED, "native-code",
     "Loads native code through an FFI module or process.dlopen"},
    {"js-opaque-literal", SL__JS, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- shell --- */
    /* curl ... | sh, bash <(curl ...), sh -c "$(wget -O- ...)" */
    {"sh-download-exec", SL__SH, SL__C_DOWNLOAD_EXEC, SL__CRIT, "download-exec",
     "Pipes or passes a download straight into an interpreter, so unreviewed code runs"},
    /* echo ... | base64 -d | sh, eval "$(printf '\x..')" */
    {"sh-decode-exec", SL__SH, SL__C_DECODE_EXEC, SL__CRIT, "obfuscation",
     "Decodes hidden data (base64, hex, rot13, reversed text) and runs it"},
    /* eval, sh -c "$var" */
    {"sh-dynamic-code", SL__SH, SL__C_DYNAMIC_CODE, SL__HIGH, "dynamic-code",
     "Runs shell code built at run time (eval, sh -c with a variable), which review cannot "
     "see"},
    /* c"u"rl, $'\x63url', \curl */
    {"sh-obfuscated-command", SL__SH, SL__C_OBF_COMMAND, SL__MED, "obfuscation",
     "Writes a command name with escapes or split quotes, which hides it from a reader"},
    /* curl, wget, nc, ssh, scp */
    {"sh-network", SL__SH, SL__C_NETWORK, SL__MED, "network",
     "Uses the network (curl, wget, nc, ssh, ...); data can leave or code can come in"},
    /* /dev/tcp, nc -e, socat exec:, mkfifo + nc */
    {"sh-reverse-shell", SL__SH, SL__C_REVERSE_SHELL, SL__CRIT, "reverse-shell",
     "Connects a shell to a network socket, giving a remote party control of the machine"},
    {"sh-secret-read", SL__SH, SL__C_SECRET, SL__HIGH, "secrets",
     "Refers to a credential file (SSH keys, cloud credentials, .env, /etc/shadow)"},
    {"sh-cloud-metadata", SL__SH, SL__C_METADATA, SL__HIGH, "secrets",
     "Contacts the cloud metadata service, which hands out the machine's credentials"},
    /* env | curl -d @- ..., printenv with network use */
    {"sh-env-exfil", SL__SH, SL__C_ENV_EXFIL, SL__HIGH, "exfiltration",
     "Dumps the whole environment (where API keys live) in a script that uses the network"},
    /* > /etc/..., cp to ~/..., rm under / */
    {"sh-write-outside", SL__SH, SL__C_WRITE_OUTSIDE, SL__MED, "filesystem",
     "Writes or deletes a file outside the skill's working folder"},
    /* crontab, >> ~/.bashrc, systemctl enable, .git/hooks, authorized_keys */
    {"sh-persistence", SL__SH, SL__C_PERSISTENCE, SL__HIGH, "persistence",
     "Installs something that runs later (cron, shell rc files, systemd, git hooks, SSH "
     "authorized_keys)"},
    {"sh-miner", SL__SH, SL__C_MINER, SL__CRIT, "miner",
     "Refers to cryptocurrency mining (pool address or miner program)"},
    /* rm -rf ~, rm -rf /, mkfs, dd of=/dev/sda */
    {"sh-destructive", SL__SH, SL__C_DESTRUCTIVE, SL__CRIT, "destructive",
     "Deletes or overwrites the home folder, the root file system or a disk"},
    /* setenforce 0, ufw disable, iptables -F, unset HISTFILE */
    {"sh-disable-safety", SL__SH, SL__C_DISABLE_SAFETY, SL__HIGH, "defense-evasion",
     "Turns off a protection (firewall, SELinux, AppArmor, audit, shell history)"},
    /* LD_PRELOAD=/tmp/x.so */
    {"sh-ld-preload", SL__SH, SL__C_LD_PRELOAD, SL__HIGH, "native-code",
     "Injects a library into programs through LD_PRELOAD or DYLD_INSERT_LIBRARIES"},
    /* sudo, su, doas, chmod u+s */
    {"sh-privilege", SL__SH, SL__C_PRIVILEGE, SL__MED, "privilege",
     "Asks for more privileges (sudo, su, setuid bits)"},
    {"sh-opaque-literal", SL__SH, SL__C_OPAQUE, SL__MED, "obfuscation",
     "Contains a very long or high-entropy literal, a common way to hide a payload"},

    /* --- Markdown: SKILL.md and references/ --- */
    /* "run: curl https://x | bash" in prose (code blocks are scanned as shell) */
    {"md-download-exec", SL__MD, SL__C_DOWNLOAD_EXEC, SL__CRIT, "instructions",
     "Tells the reader to pipe a download into a shell, which runs unreviewed code"},
    /* "paste this into your terminal" */
    {"md-paste-terminal", SL__MD, SL__C_PASTE_TERMINAL, SL__MED, "instructions",
     "Asks the user or agent to paste a command into a terminal, bypassing review"},
    /* "disable the sandbox", "--dangerously-skip-permissions" */
    {"md-disable-safety", SL__MD, SL__C_DISABLE_SAFETY, SL__HIGH, "instructions",
     "Tells the reader to turn off a safety measure (sandbox, antivirus, confirmation)"},
    /* "ignore previous instructions", "do not tell the user" */
    {"md-prompt-injection", SL__MD, SL__C_PROMPT_INJECTION, SL__HIGH, "instructions",
     "Tells the agent to ignore its instructions or hide actions from the user"},
    /* "read ~/.ssh/id_rsa" */
    {"md-secret-read", SL__MD, SL__C_SECRET, SL__HIGH, "instructions",
     "Mentions a credential file or the cloud metadata service in the instructions"},

    /* --- the skill's files themselves --- */
    /* an ELF, Mach-O or PE file in the skill */
    {"file-executable-binary", SL_SCAN_LANG_NONE, SL__C_BINARY, SL__MED, "native-code",
     "Ships a compiled executable, which cannot be reviewed like a script"},
    /* scripts/x -> /etc/passwd, data -> ../../.ssh */
    {"file-symlink-escape", SL_SCAN_LANG_NONE, SL__C_SYMLINK, SL__HIGH, "filesystem",
     "Contains a symlink that points outside the skill folder"},
};

#define SL__RULE_BUILTIN_COUNT (sizeof(sl__rule_defs) / sizeof(sl__rule_defs[0]))

/* ------------------------------------------------------------------ objects --- */

/* Kinds of custom rule matchers. */
#define SL__MATCH_NONE 0
#define SL__MATCH_TOKENS 1
#define SL__MATCH_SUBSTRING 2

typedef struct sl__rule {
    const char *id;
    const char *category;
    const char *message;
    int severity;
    int language;        /* built in: its language; custom: -1 for any */
    unsigned languages;  /* custom: bit (1 << language) per language */
    int enabled;
    int custom;
    int match;           /* SL__MATCH_* for custom rules */
    const char *text;    /* substring bytes, or the pattern */
    size_t text_len;
    sl_str *tokens;      /* token pattern */
    size_t ntokens;
} sl__rule;

/* Sink and folding functions, by qualified name (see sl__sinks). */
typedef struct sl__sink_slot {
    const char *name;
    size_t len;
    uint32_t hash;
    int action;
    unsigned langs;
} sl__sink_slot;

struct sl_scanner {
    sl_allocator alloc;
    sl_scan_config cfg;
    sl__arena arena;          /* custom rule strings */
    sl__rule *rules;
    size_t nrules;
    size_t cap;
    int16_t by_class[5][SL__C_COUNT];  /* rule index per language and class, -1 none */
    sl__sink_slot *sinks;     /* open addressing, power-of-two size */
    size_t sink_mask;
    uint8_t needle_pairs[8192];  /* bit per lowercase byte pair that starts a needle */
};

struct sl_scan_report {
    sl_allocator alloc;
    sl__arena arena;
    sl_scan_finding *findings;
    size_t count;
    size_t cap;
    size_t dropped;
    char sha256[65];
    size_t files;
    size_t bytes;
};

/* State of one scan call. */
typedef struct sl__scan {
    const sl_scanner *scanner;
    sl_scan_report *report;
    sl_error *err;
    int status;
    const char **interned;     /* per rule: id, category, message copied into the report */
    size_t fold_budget;        /* bytes the constant folder may still produce */
} sl__scan;

#define SL__MAX_PER_RULE 50   /* findings of one rule kept per file */
#define SL__SUBSCAN_DEPTH 3   /* strings scanned as code inside code */

/* File-level facts that combined rules look at. */
enum {
    SL__F_NETWORK, SL__F_SOCKET, SL__F_DUP2, SL__F_PTY, SL__F_PROCESS, SL__F_SHELLSTR,
    SL__F_ENV_WHOLE, SL__F_DOWNLOAD_FILE, SL__F_CHMOD_EXEC, SL__F_CTYPES, SL__F_EXEC_MEM,
    SL__F_MKFIFO, SL__F_NETCAT, SL__F_DYN_EVAL, SL__F_WRITE_FILE, SL__F_COUNT
};

/* The file a finding is reported in, shared by the scans of strings inside it. */
typedef struct sl__root {
    const char *path;       /* report-owned */
    const char *text;
    size_t len;
    uint32_t *lines;        /* line start offsets, built on the first finding */
    size_t nlines;
    uint64_t *seen;         /* (rule, offset) keys already reported, open addressing */
    size_t seen_mask;
    size_t seen_count;
    uint16_t *per_rule;     /* findings kept per rule */
} sl__root;

/* A variable or alias and what it currently holds. */
typedef struct sl__var {
    const char *name;
    size_t len;
    uint32_t hash;
    int used;
    struct sl__val *val;
} sl__var;

/* A value as far as the evaluator tracks it. */
#define SL__V_NONE 0    /* unknown */
#define SL__V_NAME 1    /* a module, function or attribute with a qualified name */
#define SL__V_STR 2     /* a known string */
#define SL__V_LIST 3    /* a list of known strings */
#define SL__V_INTS 4    /* a list of known integers */
#define SL__V_INT 5     /* a known integer */
#define SL__V_METHOD 6  /* a method of a known string or list, not called yet */

#define SL__VF_DECODED 0x01     /* produced by a decoder */
#define SL__VF_OBFUSCATED 0x02  /* assembled from pieces or reached indirectly */
#define SL__VF_NETWORK 0x04     /* read from the network */
#define SL__VF_ENV 0x08         /* the whole environment */
#define SL__VF_GENERATED 0x10   /* a list built by a comprehension over known integers */
#define SL__VF_CHR_OF_VAR 0x20  /* chr(x) of an unknown x, for chr(c) for c in [...] */
#define SL__VF_LITERAL 0x40     /* exactly one plain literal token */

typedef struct sl__val {
    int kind;
    unsigned flags;
    const char *s;          /* NAME: qualified name; STR: bytes; METHOD: method name;
                               NONE: last attribute name when known */
    size_t len;
    const sl_str *items;    /* LIST */
    const int64_t *ints;    /* INTS */
    size_t count;
    int64_t num;            /* INT */
    const struct sl__val *base;  /* METHOD */
    size_t off;             /* byte offset where the expression starts */
} sl__val;

typedef struct sl__file sl__file;

/* One piece of code or text being analyzed: a whole file, or a string inside one. */
struct sl__file {
    sl__scan *scan;
    sl__root *root;
    sl__file *parent;
    sl__lex lx;
    int language;
    int depth;            /* 0 for a file, +1 per string scanned as code */
    size_t base;          /* root offset of this text's byte 0 when `exact` */
    int exact;            /* offsets map 1:1 onto the root; else all go to `anchor` */
    size_t anchor;
    sl__arena arena;      /* values, folded strings, variables */
    sl__var *vars;
    size_t var_mask;
    size_t var_count;
    const char *stars[8]; /* modules imported with `from m import *` */
    int nstars;
    int display;          /* > 0 while evaluating arguments of print() and the like */
    size_t *pending;      /* token ranges left for later at the depth limit */
    size_t npending;
    size_t pending_cap;
    unsigned facts;
    size_t fact_at[SL__F_COUNT];   /* root offset of each fact's first sighting */
    struct sl__sub *sub_head;      /* strings queued to be scanned as code */
    struct sl__sub *sub_tail;
};

/* -------------------------------------------------------------- emission --- */

static int sl__scan_fail(sl__scan *scan, int code)
{
    if (scan->status == SL_OK) {
        scan->status = code;
        if (code == SL_ENOMEM) {
            sl__error(scan->err, code, "out of memory while scanning");
        }
    }
    return scan->status;
}

/* Maps an offset of `f`'s text to an offset of the root file. */
static size_t sl__root_offset(const sl__file *f, size_t off)
{
    return f->exact ? f->base + off : f->anchor;
}

static int sl__root_lines(sl__scan *scan, sl__root *root)
{
    const sl_allocator *a = &scan->report->alloc;
    size_t count = 1;
    size_t i;

    if (root->lines != NULL) {
        return SL_OK;
    }
    for (i = 0; i < root->len; i++) {
        count += root->text[i] == '\n';
    }
    root->lines = (uint32_t *)sl__calloc(a, count, sizeof(uint32_t));
    if (root->lines == NULL) {
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    root->nlines = 0;
    root->lines[root->nlines++] = 0;
    for (i = 0; i < root->len; i++) {
        if (root->text[i] == '\n' && root->nlines < count) {
            root->lines[root->nlines++] = (uint32_t)(i + 1);
        }
    }
    return SL_OK;
}

/* Returns 1 the first time (rule, offset) is seen for this root, else 0. */
static int sl__root_first(sl__scan *scan, sl__root *root, size_t rule, size_t off)
{
    const sl_allocator *a = &scan->report->alloc;
    uint64_t key = ((uint64_t)(rule + 1) << 40) ^ (uint64_t)off;
    size_t k;

    if (root->seen == NULL || (root->seen_count + 1) * 2 > root->seen_mask + 1) {
        size_t ncap = root->seen == NULL ? 64 : (root->seen_mask + 1) * 2;
        uint64_t *table = (uint64_t *)sl__calloc(a, ncap, sizeof(uint64_t));
        if (table == NULL) {
            sl__scan_fail(scan, SL_ENOMEM);
            return 0;
        }
        if (root->seen != NULL) {
            for (k = 0; k <= root->seen_mask; k++) {
                if (root->seen[k] != 0) {
                    size_t j = (size_t)(root->seen[k] * 0x9E3779B97F4A7C15ull) & (ncap - 1);
                    while (table[j] != 0) {
                        j = (j + 1) & (ncap - 1);
                    }
                    table[j] = root->seen[k];
                }
            }
            sl__free(a, root->seen, (root->seen_mask + 1) * sizeof(uint64_t));
        }
        root->seen = table;
        root->seen_mask = ncap - 1;
    }
    k = (size_t)(key * 0x9E3779B97F4A7C15ull) & root->seen_mask;
    while (root->seen[k] != 0) {
        if (root->seen[k] == key) {
            return 0;
        }
        k = (k + 1) & root->seen_mask;
    }
    root->seen[k] = key;
    root->seen_count++;
    return 1;
}

/* Copies the rule's strings into the report once, so reports outlive the scanner. */
static int sl__intern_rule(sl__scan *scan, size_t rule)
{
    const sl__rule *r = &scan->scanner->rules[rule];
    sl__arena *arena = &scan->report->arena;

    if (scan->interned[rule * 3] != NULL) {
        return SL_OK;
    }
    scan->interned[rule * 3] = sl__arena_strndup(arena, r->id, strlen(r->id));
    scan->interned[rule * 3 + 1] = sl__arena_strndup(arena, r->category, strlen(r->category));
    scan->interned[rule * 3 + 2] = sl__arena_strndup(arena, r->message, strlen(r->message));
    if (scan->interned[rule * 3] == NULL || scan->interned[rule * 3 + 1] == NULL ||
        scan->interned[rule * 3 + 2] == NULL) {
        scan->interned[rule * 3] = NULL;
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    return SL_OK;
}

/* Builds the trimmed source line around `off`, cut to 160 bytes on a UTF-8 boundary. */
static const char *sl__snippet(sl__scan *scan, const sl__root *root, size_t line_start)
{
    size_t a = line_start;
    size_t b = line_start;

    while (b < root->len && root->text[b] != '\n') {
        b++;
    }
    while (a < b && (root->text[a] == ' ' || root->text[a] == '\t')) {
        a++;
    }
    while (b > a && (root->text[b - 1] == ' ' || root->text[b - 1] == '\t' ||
                     root->text[b - 1] == '\r')) {
        b--;
    }
    if (b - a > 160) {
        b = a + 160;
        while (b > a && ((unsigned char)root->text[b] & 0xC0) == 0x80) {
            b--;
        }
    }
    return sl__arena_strndup(&scan->report->arena, root->text + a, b - a);
}

static int sl__report_push(sl__scan *scan, const sl_scan_finding *finding)
{
    sl_scan_report *rep = scan->report;

    if (rep->count == rep->cap) {
        size_t ncap = rep->cap == 0 ? 32 : rep->cap * 2;
        sl_scan_finding *p = (sl_scan_finding *)sl__realloc(
            &rep->alloc, rep->findings, rep->cap * sizeof(*p), ncap * sizeof(*p));
        if (p == NULL) {
            return sl__scan_fail(scan, SL_ENOMEM);
        }
        rep->findings = p;
        rep->cap = ncap;
    }
    rep->findings[rep->count++] = *finding;
    return SL_OK;
}

/* Reports rule `rule` (scanner index) at byte `root_off` of the root file. */
static void sl__emit_rule(sl__scan *scan, sl__root *root, size_t rule, size_t root_off)
{
    const sl__rule *r = &scan->scanner->rules[rule];
    sl_scan_finding finding;
    size_t lo = 0;
    size_t hi;
    size_t line_start;
    const char *p;

    if (scan->status != SL_OK || !r->enabled || r->severity < scan->scanner->cfg.min_severity) {
        return;
    }
    if (root_off > root->len) {
        root_off = root->len;
    }
    if (!sl__root_first(scan, root, rule, root_off)) {
        return;
    }
    if (root->per_rule[rule] >= SL__MAX_PER_RULE ||
        scan->report->count >= scan->scanner->cfg.max_findings) {
        scan->report->dropped++;
        return;
    }
    root->per_rule[rule]++;
    if (sl__root_lines(scan, root) != SL_OK || sl__intern_rule(scan, rule) != SL_OK) {
        return;
    }
    hi = root->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (root->lines[mid] <= root_off) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    line_start = root->lines[lo];
    memset(&finding, 0, sizeof(finding));
    finding.rule_id = scan->interned[rule * 3];
    finding.category = scan->interned[rule * 3 + 1];
    finding.message = scan->interned[rule * 3 + 2];
    finding.severity = r->severity;
    finding.path = root->path;
    finding.line = (int)lo + 1;
    p = root->text + line_start;
    finding.column = (int)sl__utf8_count(p, root_off - line_start) + 1;
    finding.offset = root_off;
    finding.snippet = sl__snippet(scan, root, line_start);
    if (finding.snippet == NULL) {
        sl__scan_fail(scan, SL_ENOMEM);
        return;
    }
    sl__report_push(scan, &finding);
}

/* Reports class `cls` in `f`'s language at offset `off` of `f`'s text. */
static void sl__emit(sl__file *f, int cls, size_t off)
{
    int rule = f->scan->scanner->by_class[f->language][cls];

    if (rule >= 0) {
        sl__emit_rule(f->scan, f->root, (size_t)rule, sl__root_offset(f, off));
    }
}

/* Same, with an offset that is already in the root file. */
static void sl__emit_root(sl__file *f, int cls, size_t root_off)
{
    int rule = f->scan->scanner->by_class[f->language][cls];

    if (rule >= 0) {
        sl__emit_rule(f->scan, f->root, (size_t)rule, root_off);
    }
}

/* Records a fact at `off` of `f`'s text (the first sighting wins). */
static void sl__fact(sl__file *f, int fact, size_t off)
{
    if (!(f->facts & (1u << fact))) {
        f->facts |= 1u << fact;
        f->fact_at[fact] = sl__root_offset(f, off);
    }
}

static int sl__has(const sl__file *f, int fact)
{
    return (f->facts & (1u << fact)) != 0;
}

/* ---------------------------------------------------------------- needles --- */

/* Text inside string literals, shell words and prose that gives a string away. Matched
 * case-insensitively anywhere in the string, except `component` needles, which must be a
 * whole path component (so ".env" matches "app/.env" but not ".envrc" or "a.env"). */
typedef struct sl__needle {
    const char *text;
    int cls;           /* SL__C_SECRET, SL__C_METADATA, SL__C_PERSISTENCE, ... */
    int component;
    int strong;        /* also reported in Markdown prose */
} sl__needle;

static const sl__needle sl__needles[] = {
    /* credentials */
    {".ssh", SL__C_SECRET, 1, 0},
    {"id_rsa", SL__C_SECRET, 0, 1},
    {"id_dsa", SL__C_SECRET, 0, 1},
    {"id_ecdsa", SL__C_SECRET, 0, 1},
    {"id_ed25519", SL__C_SECRET, 0, 1},
    {".aws/credentials", SL__C_SECRET, 0, 1},
    {".aws/config", SL__C_SECRET, 0, 0},
    {".azure", SL__C_SECRET, 1, 0},
    {".config/gcloud", SL__C_SECRET, 0, 1},
    {"application_default_credentials.json", SL__C_SECRET, 0, 1},
    {".kube/config", SL__C_SECRET, 0, 1},
    {".docker/config.json", SL__C_SECRET, 0, 1},
    {".netrc", SL__C_SECRET, 1, 0},
    {".pgpass", SL__C_SECRET, 1, 0},
    {".npmrc", SL__C_SECRET, 1, 0},
    {".pypirc", SL__C_SECRET, 1, 0},
    {".git-credentials", SL__C_SECRET, 1, 1},
    {".env", SL__C_SECRET, 1, 0},
    {"/etc/shadow", SL__C_SECRET, 0, 1},
    {"/etc/gshadow", SL__C_SECRET, 0, 1},
    {"/etc/sudoers", SL__C_SECRET, 0, 0},
    {".bash_history", SL__C_SECRET, 0, 0},
    {".zsh_history", SL__C_SECRET, 0, 0},
    {".gnupg", SL__C_SECRET, 1, 0},
    {".password-store", SL__C_SECRET, 1, 0},
    {"login data", SL__C_SECRET, 0, 0},
    {"cookies.sqlite", SL__C_SECRET, 0, 0},
    {"logins.json", SL__C_SECRET, 0, 0},
    {"wallet.dat", SL__C_SECRET, 0, 1},
    {"login.keychain", SL__C_SECRET, 0, 1},
    {"/var/run/secrets/kubernetes.io", SL__C_SECRET, 0, 1},
    /* cloud metadata services (AWS, GCP, Azure, Alibaba, ECS task role) */
    {"169.254.169.254", SL__C_METADATA, 0, 1},
    {"metadata.google.internal", SL__C_METADATA, 0, 1},
    {"100.100.100.200", SL__C_METADATA, 0, 1},
    {"fd00:ec2::254", SL__C_METADATA, 0, 1},
    {"169.254.170.2", SL__C_METADATA, 0, 1},
    {"/latest/meta-data", SL__C_METADATA, 0, 1},
    {"/computemetadata/v1", SL__C_METADATA, 0, 1},
    /* places that run code later */
    {".bashrc", SL__C_PERSISTENCE, 1, 0},
    {".bash_profile", SL__C_PERSISTENCE, 1, 0},
    {".bash_login", SL__C_PERSISTENCE, 1, 0},
    {".profile", SL__C_PERSISTENCE, 1, 0},
    {".zshrc", SL__C_PERSISTENCE, 1, 0},
    {".zprofile", SL__C_PERSISTENCE, 1, 0},
    {".zshenv", SL__C_PERSISTENCE, 1, 0},
    {"/etc/profile", SL__C_PERSISTENCE, 0, 0},
    {"/etc/bash.bashrc", SL__C_PERSISTENCE, 0, 0},
    {"/etc/cron", SL__C_PERSISTENCE, 0, 0},
    {"/var/spool/cron", SL__C_PERSISTENCE, 0, 0},
    {"/etc/systemd/", SL__C_PERSISTENCE, 0, 0},
    {".config/systemd", SL__C_PERSISTENCE, 0, 0},
    {"/lib/systemd/system", SL__C_PERSISTENCE, 0, 0},
    {"/etc/init.d", SL__C_PERSISTENCE, 0, 0},
    {"/etc/rc.local", SL__C_PERSISTENCE, 0, 0},
    {".config/autostart", SL__C_PERSISTENCE, 0, 0},
    {"/etc/xdg/autostart", SL__C_PERSISTENCE, 0, 0},
    {"launchagents", SL__C_PERSISTENCE, 0, 0},
    {"launchdaemons", SL__C_PERSISTENCE, 0, 0},
    {".git/hooks", SL__C_PERSISTENCE, 0, 0},
    {"authorized_keys", SL__C_PERSISTENCE, 0, 0},
    {"/etc/ld.so.preload", SL__C_PERSISTENCE, 0, 0},
    {"/etc/update-motd.d", SL__C_PERSISTENCE, 0, 0},
    {"sitecustomize.py", SL__C_PERSISTENCE, 0, 0},
    /* shells wired to sockets */
    {"/dev/tcp/", SL__C_REVERSE_SHELL, 0, 1},
    {"/dev/udp/", SL__C_REVERSE_SHELL, 0, 1},
    {"nc -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"ncat -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"netcat -e ", SL__C_REVERSE_SHELL, 0, 1},
    {"-e /bin/sh", SL__C_REVERSE_SHELL, 0, 1},
    {"-e /bin/bash", SL__C_REVERSE_SHELL, 0, 1},
    {"bash -i >&", SL__C_REVERSE_SHELL, 0, 1},
    {"sh -i >&", SL__C_REVERSE_SHELL, 0, 1},
    {"exec:/bin/", SL__C_REVERSE_SHELL, 0, 1},
    {"exec:bash", SL__C_REVERSE_SHELL, 0, 1},
    /* miners and mining pools */
    {"stratum+tcp://", SL__C_MINER, 0, 1},
    {"stratum+ssl://", SL__C_MINER, 0, 1},
    {"stratum2+tcp://", SL__C_MINER, 0, 1},
    {"xmrig", SL__C_MINER, 0, 1},
    {"minerd", SL__C_MINER, 1, 1},
    {"cpuminer", SL__C_MINER, 0, 1},
    {"cryptonight", SL__C_MINER, 0, 1},
    {"nicehash", SL__C_MINER, 0, 1},
    {"minexmr", SL__C_MINER, 0, 1},
    {"supportxmr", SL__C_MINER, 0, 1},
    {"moneroocean", SL__C_MINER, 0, 1},
    {"hashvault.pro", SL__C_MINER, 0, 1},
    {"nanopool.org", SL__C_MINER, 0, 1},
    {"--donate-level", SL__C_MINER, 0, 1},
    {"coinhive", SL__C_MINER, 0, 1},
    {"ethminer", SL__C_MINER, 0, 1},
    {"lolminer", SL__C_MINER, 0, 1},
};

#define SL__NEEDLE_COUNT (sizeof(sl__needles) / sizeof(sl__needles[0]))

static unsigned char sl__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static unsigned sl__pair(unsigned char a, unsigned char b)
{
    return ((unsigned)sl__lower(a) << 8) | sl__lower(b);
}

static void sl__needles_index(sl_scanner *s)
{
    size_t k;

    memset(s->needle_pairs, 0, sizeof(s->needle_pairs));
    for (k = 0; k < SL__NEEDLE_COUNT; k++) {
        const unsigned char *t = (const unsigned char *)sl__needles[k].text;
        unsigned p = sl__pair(t[0], t[1]);
        s->needle_pairs[p >> 3] |= (uint8_t)(1u << (p & 7));
    }
}

static int sl__is_path_sep(unsigned char c)
{
    return c == '/' || c == '\\' || c == '~' || c == '"' || c == '\'' || c == ' ' ||
           c == '=' || c == ':' || c == '@' || c == '<' || c == '>' || c == '$' || c == '}';
}

/* Case-insensitive compare of `n` bytes of `s` with lowercase `t`. */
static int sl__eq_nocase(const char *s, const char *t, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (sl__lower((unsigned char)s[k]) != (unsigned char)t[k]) {
            return 0;
        }
    }
    return 1;
}

/* Finds needles in `s`. Calls `hit` for the first match of each class (bit `classes`
 * filters which classes count; `strong_only` keeps only needles marked strong). Returns
 * the classes found, as bits (1 << cls). */
static unsigned sl__needles_find(const sl_scanner *sc, const char *s, size_t len,
                                 unsigned classes, int strong_only)
{
    unsigned found = 0;
    size_t i;
    size_t k;

    for (i = 0; i + 1 < len; i++) {
        unsigned p = sl__pair((unsigned char)s[i], (unsigned char)s[i + 1]);
        if (!(sc->needle_pairs[p >> 3] & (1u << (p & 7)))) {
            continue;
        }
        for (k = 0; k < SL__NEEDLE_COUNT; k++) {
            const sl__needle *nd = &sl__needles[k];
            unsigned bit = 1u << nd->cls;
            size_t n;
            if ((unsigned char)nd->text[0] != sl__lower((unsigned char)s[i]) ||
                (unsigned char)nd->text[1] != sl__lower((unsigned char)s[i + 1]) ||
                !(classes & bit) || (found & bit) || (strong_only && !nd->strong)) {
                continue;
            }
            n = strlen(nd->text);
            if (n > len - i || !sl__eq_nocase(s + i, nd->text, n)) {
                continue;
            }
            if (nd->component && ((i > 0 && !sl__is_path_sep((unsigned char)s[i - 1])) ||
                                  (i + n < len && !sl__is_path_sep((unsigned char)s[i + n]) &&
                                   s[i + n] != '.'))) {
                continue;
            }
            if (nd->component && i + n < len && s[i + n] == '.' && nd->cls == SL__C_SECRET) {
                /* ".env.example" and ".env.sample" are templates, not secrets */
                continue;
            }
            found |= bit;
        }
    }
    return found;
}

#define SL__CLASSES_MENTION ((1u << SL__C_SECRET) | (1u << SL__C_METADATA) | \
                             (1u << SL__C_PERSISTENCE))
#define SL__CLASSES_ALWAYS ((1u << SL__C_REVERSE_SHELL) | (1u << SL__C_MINER))

/* Checks a string value of `f` at offset `off`. In a display context (print, help text,
 * echo) only reverse shells and miners count, because mentioning a path is not using it. */
static void sl__check_string(sl__file *f, const char *s, size_t len, size_t off)
{
    unsigned classes = SL__CLASSES_ALWAYS | (f->display > 0 ? 0 : SL__CLASSES_MENTION);
    unsigned found = sl__needles_find(f->scan->scanner, s, len, classes, 0);
    int cls;

    for (cls = 0; found != 0 && cls < SL__C_COUNT; cls++) {
        if (found & (1u << cls)) {
            sl__emit(f, cls, off);
        }
    }
}

/* log2(x) for x > 0 without libm: scale into [1, 2), then the atanh series of the
 * natural logarithm, which converges fast there (|y| <= 1/3). */
static double sl__log2(double x)
{
    double y;
    double y2;
    double term;
    double ln = 0.0;
    int e = 0;
    int k;

    while (x < 1.0) {
        x *= 2.0;
        e--;
    }
    while (x >= 2.0) {
        x /= 2.0;
        e++;
    }
    y = (x - 1.0) / (x + 1.0);
    y2 = y * y;
    term = y;
    for (k = 1; k < 40; k += 2) {
        ln += term / k;
        term *= y2;
    }
    return e + 2.0 * ln / 0.6931471805599453;
}

/* Shannon entropy of the bytes, in bits per byte. */
static double sl__entropy(const unsigned char *s, size_t len)
{
    size_t counts[256];
    double h = 0.0;
    size_t k;

    memset(counts, 0, sizeof(counts));
    for (k = 0; k < len; k++) {
        counts[s[k]]++;
    }
    for (k = 0; k < 256; k++) {
        if (counts[k] != 0) {
            double p = (double)counts[k] / (double)len;
            h -= p * sl__log2(p);
        }
    }
    return h;
}

/* Flags a literal that is very long or looks like an encoded blob: 256+ bytes that are
 * all base64 or hex characters, or 256+ bytes with entropy of 5.2 bits per byte or more
 * (English prose stays near 4.2 and base64 reaches 6), or 64 KiB without whitespace. */
static void sl__check_opaque(sl__file *f, const char *s, size_t len, size_t off)
{
    size_t k;
    size_t b64 = 0;
    size_t hex = 0;
    size_t space = 0;

    if (len < 256) {
        return;
    }
    for (k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        int is_hex = sl__hex_digit(c) >= 0;
        hex += is_hex;
        b64 += is_hex || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '+' ||
               c == '/' || c == '=' || c == '-' || c == '_';
        space += c == ' ' || c == '\n' || c == '\t';
    }
    if (b64 == len || hex == len || (len >= 65536 && space * 200 < len) ||
        sl__entropy((const unsigned char *)s, len > 65536 ? 65536 : len) >= 5.2) {
        sl__emit(f, SL__C_OPAQUE, off);
    }
}

/* Returns 1 when a literal path written to is outside the working folder: absolute
 * paths other than /tmp, /dev/null and the standard streams, ~ and $HOME paths, and
 * paths that climb out with "..". */
static int sl__path_outside(const char *p, size_t len)
{
    static const char *const inside[] = {
        "/tmp/", "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/dev/shm/",
        "/output/", "/proc/self/fd/", "/var/tmp/", NULL
    };
    size_t k;

    if (len == 0) {
        return 0;
    }
    if (p[0] == '~' || (len >= 5 && memcmp(p, "$HOME", 5) == 0) ||
        (len >= 7 && memcmp(p, "${HOME}", 7) == 0)) {
        return 1;
    }
    if (len >= 3 && memcmp(p, "../", 3) == 0) {
        return 1;
    }
    if (p[0] != '/' || (len >= 5 && memcmp(p, "/dev/", 5) == 0)) {
        return 0; /* relative, or a device (disks are the destructive rules' business) */
    }
    if ((len == 4 && memcmp(p, "/tmp", 4) == 0) || (len == 7 && memcmp(p, "/output", 7) == 0)) {
        return 0;
    }
    for (k = 0; inside[k] != NULL; k++) {
        size_t n = strlen(inside[k]);
        if (len >= n && memcmp(p, inside[k], n) == 0) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------- values, variables --- */

static uint32_t sl__hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t k;

    for (k = 0; k < len; k++) {
        h = (h ^ (unsigned char)s[k]) * 16777619u;
    }
    return h;
}

static int sl__streq(const char *s, size_t len, const char *lit)
{
    if (len == 0) {
        return lit[0] == '\0';
    }
    return s[0] == lit[0] && strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static int sl__starts(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static int sl__ends(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s + len - n, lit, n) == 0;
}

static void sl__val_none(sl__val *v, size_t off)
{
    memset(v, 0, sizeof(*v));
    v->kind = SL__V_NONE;
    v->off = off;
}

static int sl__val_name_is(const sl__val *v, const char *name)
{
    return v->kind == SL__V_NAME && sl__streq(v->s, v->len, name);
}

/* Takes `n` bytes of folding budget; returns 0 when the file's budget is spent, so
 * adversarial concatenation chains cannot make folding quadratic. */
static int sl__budget(sl__file *f, size_t n)
{
    if (f->scan->fold_budget < n) {
        return 0;
    }
    f->scan->fold_budget -= n;
    return 1;
}

/* Copies bytes into the file arena; NULL (with the scan failed) when out of memory. */
static char *sl__fdup(sl__file *f, const char *s, size_t len)
{
    char *p = sl__arena_strndup(&f->arena, s, len);

    if (p == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
    }
    return p;
}

/* Makes `v` a string of `len` bytes copied from `s` (kind NONE when over budget). */
static void sl__val_set_str(sl__file *f, sl__val *v, const char *s, size_t len, unsigned flags)
{
    char *p;

    if (!sl__budget(f, len + 1) || (p = sl__fdup(f, s, len)) == NULL) {
        v->kind = SL__V_NONE;
        v->flags |= flags & ~SL__VF_LITERAL;
        return;
    }
    v->kind = SL__V_STR;
    v->s = p;
    v->len = len;
    v->flags |= flags;
}

/* Longest qualified name the evaluator builds; longer chains become unknown. */
#define SL__NAME_MAX 200

/* Strips the prefixes that only name where a global lives ("builtins.", "globalThis.",
 * "window.", ...), so `builtins.exec` and `exec` reach the same sink. */
static void sl__name_normalize(const char **s, size_t *len)
{
    static const char *const prefixes[] = {
        "builtins.", "__builtins__.", "__builtin__.", "globalThis.", "global.", "window.",
        "self.", "node:", NULL
    };
    int again = 1;

    while (again) {
        size_t k;
        again = 0;
        for (k = 0; prefixes[k] != NULL; k++) {
            size_t n = strlen(prefixes[k]);
            if (*len > n && memcmp(*s, prefixes[k], n) == 0) {
                *s += n;
                *len -= n;
                again = 1;
            }
        }
    }
}

/* Makes `v` the name `a` + "." + `b` (or just `a` when `b` is NULL). */
static void sl__val_set_name(sl__file *f, sl__val *v, const char *a, size_t alen,
                             const char *b, size_t blen)
{
    char buf[SL__NAME_MAX + 2];
    const char *s = buf;
    size_t len = alen;
    char *p;

    if (alen + (b != NULL ? blen + 1 : 0) > SL__NAME_MAX) {
        v->kind = SL__V_NONE;
        return;
    }
    memcpy(buf, a, alen);
    if (b != NULL) {
        buf[len++] = '.';
        memcpy(buf + len, b, blen);
        len += blen;
    }
    sl__name_normalize(&s, &len);
    p = sl__fdup(f, s, len);
    v->kind = p != NULL ? SL__V_NAME : SL__V_NONE;
    v->s = p;
    v->len = len;
}

/* Variable table: open addressing keyed by the name's bytes in the source (or arena). */
#define SL__VARS_MAX 65536

static sl__var *sl__var_slot(sl__file *f, const char *name, size_t len, int create)
{
    uint32_t h = sl__hash(name, len);
    size_t k;

    if (f->vars == NULL || (create && (f->var_count + 1) * 2 > f->var_mask + 1)) {
        size_t ncap = f->vars == NULL ? 64 : (f->var_mask + 1) * 2;
        sl__var *table;
        if (!create) {
            return NULL;
        }
        if (f->var_count >= SL__VARS_MAX) {
            return NULL;
        }
        table = (sl__var *)sl__arena_calloc(&f->arena, ncap * sizeof(sl__var));
        if (table == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return NULL;
        }
        for (k = 0; f->vars != NULL && k <= f->var_mask; k++) {
            if (f->vars[k].used) {
                size_t j = f->vars[k].hash & (ncap - 1);
                while (table[j].used) {
                    j = (j + 1) & (ncap - 1);
                }
                table[j] = f->vars[k];
            }
        }
        f->vars = table;
        f->var_mask = ncap - 1;
    }
    k = h & f->var_mask;
    while (f->vars[k].used) {
        if (f->vars[k].hash == h && f->vars[k].len == len &&
            memcmp(f->vars[k].name, name, len) == 0) {
            return &f->vars[k];
        }
        k = (k + 1) & f->var_mask;
    }
    if (!create) {
        return NULL;
    }
    f->vars[k].used = 1;
    f->vars[k].name = name;
    f->vars[k].len = len;
    f->vars[k].hash = h;
    f->vars[k].val = NULL;
    f->var_count++;
    return &f->vars[k];
}

/* Binds `name` to a copy of `v` (a value built on the stack points only into the arena or
 * the source, so a shallow copy is enough). */
static void sl__var_set(sl__file *f, const char *name, size_t len, const sl__val *v)
{
    sl__var *slot = sl__var_slot(f, name, len, 1);
    sl__val *copy;

    if (slot == NULL) {
        return;
    }
    copy = (sl__val *)sl__arena_alloc(&f->arena, sizeof(sl__val));
    if (copy == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    *copy = *v;
    copy->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    slot->val = copy;
}

static const sl__val *sl__var_get(sl__file *f, const char *name, size_t len)
{
    sl__var *slot = sl__var_slot(f, name, len, 0);
    return slot != NULL ? slot->val : NULL;
}

/* ------------------------------------------------------------------- sinks --- */

/* What a call does, for the evaluator. */
enum {
    SL__A_ROOT = 1,     /* not a function: the first part of known dotted names */
    SL__A_SHELL,        /* runs argument 0 through a shell */
    SL__A_PROCESS,      /* starts a program (argv list or program name) */
    SL__A_CODE,         /* runs argument 0 as code of the same language */
    SL__A_CODE_STRING,  /* setTimeout and friends: code only when given a string */
    SL__A_DESERIALIZE,  /* pickle-like loaders */
    SL__A_YAML_LOAD,    /* yaml.load: unsafe unless a safe Loader is named */
    SL__A_MARSHAL,      /* marshal.loads: deserializes, and the result is decoded code */
    SL__A_NETWORK,      /* network request; the result is network data */
    SL__A_SOCKET,       /* raw socket */
    SL__A_DOWNLOAD,     /* network straight to a file */
    SL__A_DUP2,         /* os.dup2, for reverse shells */
    SL__A_PTY,          /* pty.spawn */
    SL__A_FFI,          /* native code */
    SL__A_OPEN,         /* open(path, mode) */
    SL__A_WRITE0,       /* writes or deletes the path in argument 0 */
    SL__A_WRITE1,       /* writes the path in argument 1 (copy and move destinations) */
    SL__A_CHMOD,        /* chmod; executable bits are a fact */
    SL__A_IMPORT,       /* __import__, import_module, require, import() */
    SL__A_GETATTR,      /* getattr(obj, name) */
    SL__A_GLOBALS,      /* globals(), locals(), vars() */
    SL__A_CHR,          /* chr(n) */
    SL__A_BYTES,        /* bytes([...]), bytearray([...]) */
    SL__A_FROMHEX,      /* bytes.fromhex, binascii.unhexlify */
    SL__A_B64,          /* base64 decoders */
    SL__A_CODECS,       /* codecs.decode/encode(s, "rot13" | "hex" | "base64") */
    SL__A_DECOMPRESS,   /* zlib and friends: decoded, content unknown */
    SL__A_MAP,          /* map(chr, [...]) */
    SL__A_REVERSED,     /* reversed(s) */
    SL__A_PASS,         /* returns argument 0 (str, expanduser, Path, promisify) */
    SL__A_JOINPATH,     /* os.path.join */
    SL__A_ENV_ITEMS,    /* os.environ.items() and the like: the whole environment */
    SL__A_ENV_COPY,     /* os.environ.copy(): usually handed to a child process */
    SL__A_FROMCHARCODE, /* String.fromCharCode(...) */
    SL__A_ATOB,         /* atob */
    SL__A_BUFFER_FROM,  /* Buffer.from(s, encoding) */
    SL__A_URIDECODE,    /* decodeURIComponent, unescape */
    SL__A_DISPLAY,      /* print, console.log: arguments are shown, not used */
    SL__A_REQUIRE_FN    /* createRequire(): returns a require function */
};

#define SL__LP (1u << SL_SCAN_LANG_PYTHON)
#define SL__LJ (1u << SL_SCAN_LANG_JS)

typedef struct sl__sink {
    const char *name;
    int action;
    unsigned langs;
} sl__sink;

/* Functions the evaluator recognises, by the qualified name an expression resolves to. */
static const sl__sink sl__sinks[] = {
    /* Python: processes */
    {"os.system", SL__A_SHELL, SL__LP}, {"os.popen", SL__A_SHELL, SL__LP},
    {"os.popen2", SL__A_SHELL, SL__LP}, {"os.popen3", SL__A_SHELL, SL__LP},
    {"commands.getoutput", SL__A_SHELL, SL__LP},
    {"commands.getstatusoutput", SL__A_SHELL, SL__LP},
    {"subprocess.getoutput", SL__A_SHELL, SL__LP},
    {"subprocess.getstatusoutput", SL__A_SHELL, SL__LP},
    {"platform.popen", SL__A_SHELL, SL__LP},
    {"asyncio.create_subprocess_shell", SL__A_SHELL, SL__LP},
    {"subprocess.run", SL__A_PROCESS, SL__LP}, {"subprocess.call", SL__A_PROCESS, SL__LP},
    {"subprocess.check_call", SL__A_PROCESS, SL__LP},
    {"subprocess.check_output", SL__A_PROCESS, SL__LP},
    {"subprocess.Popen", SL__A_PROCESS, SL__LP},
    {"asyncio.create_subprocess_exec", SL__A_PROCESS, SL__LP},
    {"os.execl", SL__A_PROCESS, SL__LP}, {"os.execle", SL__A_PROCESS, SL__LP},
    {"os.execlp", SL__A_PROCESS, SL__LP}, {"os.execlpe", SL__A_PROCESS, SL__LP},
    {"os.execv", SL__A_PROCESS, SL__LP}, {"os.execve", SL__A_PROCESS, SL__LP},
    {"os.execvp", SL__A_PROCESS, SL__LP}, {"os.execvpe", SL__A_PROCESS, SL__LP},
    {"os.spawnl", SL__A_PROCESS, SL__LP}, {"os.spawnle", SL__A_PROCESS, SL__LP},
    {"os.spawnlp", SL__A_PROCESS, SL__LP}, {"os.spawnv", SL__A_PROCESS, SL__LP},
    {"os.spawnve", SL__A_PROCESS, SL__LP}, {"os.spawnvp", SL__A_PROCESS, SL__LP},
    {"os.posix_spawn", SL__A_PROCESS, SL__LP}, {"os.posix_spawnp", SL__A_PROCESS, SL__LP},
    {"os.startfile", SL__A_PROCESS, SL__LP}, {"pty.spawn", SL__A_PTY, SL__LP},
    {"os.dup2", SL__A_DUP2, SL__LP},
    /* Python: code */
    {"eval", SL__A_CODE, SL__LP | SL__LJ}, {"exec", SL__A_CODE, SL__LP},
    {"compile", SL__A_CODE, SL__LP}, {"execfile", SL__A_CODE, SL__LP},
    {"types.FunctionType", SL__A_CODE, SL__LP}, {"types.CodeType", SL__A_CODE, SL__LP},
    {"pickle.loads", SL__A_DESERIALIZE, SL__LP}, {"pickle.load", SL__A_DESERIALIZE, SL__LP},
    {"pickle.Unpickler", SL__A_DESERIALIZE, SL__LP},
    {"cPickle.loads", SL__A_DESERIALIZE, SL__LP}, {"_pickle.loads", SL__A_DESERIALIZE, SL__LP},
    {"dill.loads", SL__A_DESERIALIZE, SL__LP}, {"dill.load", SL__A_DESERIALIZE, SL__LP},
    {"shelve.open", SL__A_DESERIALIZE, SL__LP},
    {"jsonpickle.decode", SL__A_DESERIALIZE, SL__LP},
    {"pandas.read_pickle", SL__A_DESERIALIZE, SL__LP},
    {"yaml.unsafe_load", SL__A_DESERIALIZE, SL__LP},
    {"yaml.load", SL__A_YAML_LOAD, SL__LP}, {"yaml.load_all", SL__A_YAML_LOAD, SL__LP},
    {"marshal.loads", SL__A_MARSHAL, SL__LP}, {"marshal.load", SL__A_MARSHAL, SL__LP},
    {"__import__", SL__A_IMPORT, SL__LP}, {"importlib.import_module", SL__A_IMPORT, SL__LP},
    {"importlib.__import__", SL__A_IMPORT, SL__LP},
    {"getattr", SL__A_GETATTR, SL__LP}, {"globals", SL__A_GLOBALS, SL__LP},
    {"locals", SL__A_GLOBALS, SL__LP}, {"vars", SL__A_GLOBALS, SL__LP},
    /* Python: network */
    {"socket.socket", SL__A_SOCKET, SL__LP}, {"socket.create_connection", SL__A_SOCKET, SL__LP},
    {"socket.fromfd", SL__A_SOCKET, SL__LP}, {"asyncio.open_connection", SL__A_SOCKET, SL__LP},
    {"urllib.request.urlopen", SL__A_NETWORK, SL__LP},
    {"urllib.request.urlretrieve", SL__A_DOWNLOAD, SL__LP},
    {"urllib.request.build_opener", SL__A_NETWORK, SL__LP},
    {"urllib.urlopen", SL__A_NETWORK, SL__LP}, {"urllib.urlretrieve", SL__A_DOWNLOAD, SL__LP},
    {"urllib2.urlopen", SL__A_NETWORK, SL__LP},
    {"http.client.HTTPConnection", SL__A_NETWORK, SL__LP},
    {"http.client.HTTPSConnection", SL__A_NETWORK, SL__LP},
    {"requests.get", SL__A_NETWORK, SL__LP}, {"requests.post", SL__A_NETWORK, SL__LP},
    {"requests.put", SL__A_NETWORK, SL__LP}, {"requests.patch", SL__A_NETWORK, SL__LP},
    {"requests.delete", SL__A_NETWORK, SL__LP}, {"requests.head", SL__A_NETWORK, SL__LP},
    {"requests.request", SL__A_NETWORK, SL__LP}, {"requests.Session", SL__A_NETWORK, SL__LP},
    {"requests.session", SL__A_NETWORK, SL__LP},
    {"httpx.get", SL__A_NETWORK, SL__LP}, {"httpx.post", SL__A_NETWORK, SL__LP},
    {"httpx.put", SL__A_NETWORK, SL__LP}, {"httpx.request", SL__A_NETWORK, SL__LP},
    {"httpx.stream", SL__A_NETWORK, SL__LP}, {"httpx.Client", SL__A_NETWORK, SL__LP},
    {"httpx.AsyncClient", SL__A_NETWORK, SL__LP},
    {"aiohttp.ClientSession", SL__A_NETWORK, SL__LP}, {"aiohttp.request", SL__A_NETWORK, SL__LP},
    {"ftplib.FTP", SL__A_NETWORK, SL__LP}, {"ftplib.FTP_TLS", SL__A_NETWORK, SL__LP},
    {"smtplib.SMTP", SL__A_NETWORK, SL__LP}, {"smtplib.SMTP_SSL", SL__A_NETWORK, SL__LP},
    {"telnetlib.Telnet", SL__A_NETWORK, SL__LP}, {"paramiko.SSHClient", SL__A_NETWORK, SL__LP},
    {"websocket.create_connection", SL__A_NETWORK, SL__LP},
    {"websockets.connect", SL__A_NETWORK, SL__LP},
    {"urllib3.PoolManager", SL__A_NETWORK, SL__LP}, {"urllib3.request", SL__A_NETWORK, SL__LP},
    {"pycurl.Curl", SL__A_NETWORK, SL__LP},
    {"xmlrpc.client.ServerProxy", SL__A_NETWORK, SL__LP},
    {"wget.download", SL__A_DOWNLOAD, SL__LP},
    /* Python: native code */
    {"ctypes.CDLL", SL__A_FFI, SL__LP}, {"ctypes.cdll.LoadLibrary", SL__A_FFI, SL__LP},
    {"ctypes.PyDLL", SL__A_FFI, SL__LP}, {"ctypes.WinDLL", SL__A_FFI, SL__LP},
    {"ctypes.CFUNCTYPE", SL__A_FFI, SL__LP}, {"ctypes.memmove", SL__A_FFI, SL__LP},
    {"ctypes.cast", SL__A_FFI, SL__LP}, {"cffi.FFI", SL__A_FFI, SL__LP},
    /* Python: files */
    {"open", SL__A_OPEN, SL__LP}, {"io.open", SL__A_OPEN, SL__LP},
    {"codecs.open", SL__A_OPEN, SL__LP},
    {"shutil.copy", SL__A_WRITE1, SL__LP}, {"shutil.copy2", SL__A_WRITE1, SL__LP},
    {"shutil.copyfile", SL__A_WRITE1, SL__LP}, {"shutil.copytree", SL__A_WRITE1, SL__LP},
    {"shutil.move", SL__A_WRITE1, SL__LP}, {"os.rename", SL__A_WRITE1, SL__LP},
    {"os.replace", SL__A_WRITE1, SL__LP}, {"os.symlink", SL__A_WRITE1, SL__LP},
    {"os.link", SL__A_WRITE1, SL__LP},
    {"os.remove", SL__A_WRITE0, SL__LP}, {"os.unlink", SL__A_WRITE0, SL__LP},
    {"os.rmdir", SL__A_WRITE0, SL__LP}, {"os.removedirs", SL__A_WRITE0, SL__LP},
    {"shutil.rmtree", SL__A_WRITE0, SL__LP}, {"os.truncate", SL__A_WRITE0, SL__LP},
    {"os.chmod", SL__A_CHMOD, SL__LP}, {"os.lchmod", SL__A_CHMOD, SL__LP},
    /* Python: folding */
    {"chr", SL__A_CHR, SL__LP}, {"bytes", SL__A_BYTES, SL__LP},
    {"bytearray", SL__A_BYTES, SL__LP}, {"bytes.fromhex", SL__A_FROMHEX, SL__LP},
    {"bytearray.fromhex", SL__A_FROMHEX, SL__LP}, {"binascii.unhexlify", SL__A_FROMHEX, SL__LP},
    {"binascii.a2b_hex", SL__A_FROMHEX, SL__LP},
    {"base64.b64decode", SL__A_B64, SL__LP}, {"base64.standard_b64decode", SL__A_B64, SL__LP},
    {"base64.urlsafe_b64decode", SL__A_B64, SL__LP}, {"base64.decodebytes", SL__A_B64, SL__LP},
    {"base64.decodestring", SL__A_B64, SL__LP}, {"binascii.a2b_base64", SL__A_B64, SL__LP},
    {"base64.b32decode", SL__A_DECOMPRESS, SL__LP}, {"base64.b16decode", SL__A_FROMHEX, SL__LP},
    {"base64.b85decode", SL__A_DECOMPRESS, SL__LP}, {"base64.a85decode", SL__A_DECOMPRESS, SL__LP},
    {"codecs.decode", SL__A_CODECS, SL__LP}, {"codecs.encode", SL__A_CODECS, SL__LP},
    {"zlib.decompress", SL__A_DECOMPRESS, SL__LP}, {"gzip.decompress", SL__A_DECOMPRESS, SL__LP},
    {"bz2.decompress", SL__A_DECOMPRESS, SL__LP}, {"lzma.decompress", SL__A_DECOMPRESS, SL__LP},
    {"map", SL__A_MAP, SL__LP}, {"reversed", SL__A_REVERSED, SL__LP},
    {"str", SL__A_PASS, SL__LP}, {"os.path.expanduser", SL__A_PASS, SL__LP},
    {"os.path.expandvars", SL__A_PASS, SL__LP}, {"os.path.abspath", SL__A_PASS, SL__LP},
    {"os.path.normpath", SL__A_PASS, SL__LP}, {"os.path.realpath", SL__A_PASS, SL__LP},
    {"os.fsdecode", SL__A_PASS, SL__LP}, {"os.fspath", SL__A_PASS, SL__LP},
    {"pathlib.Path", SL__A_PASS, SL__LP}, {"pathlib.PurePath", SL__A_PASS, SL__LP},
    {"pathlib.PosixPath", SL__A_PASS, SL__LP},
    {"os.path.join", SL__A_JOINPATH, SL__LP},
    {"os.environ.items", SL__A_ENV_ITEMS, SL__LP}, {"os.environ.keys", SL__A_ENV_ITEMS, SL__LP},
    {"os.environ.values", SL__A_ENV_ITEMS, SL__LP},
    {"os.environ.copy", SL__A_ENV_COPY, SL__LP},
    {"print", SL__A_DISPLAY, SL__LP}, {"logging.debug", SL__A_DISPLAY, SL__LP},
    {"logging.info", SL__A_DISPLAY, SL__LP}, {"logging.warning", SL__A_DISPLAY, SL__LP},
    {"logging.error", SL__A_DISPLAY, SL__LP}, {"logging.critical", SL__A_DISPLAY, SL__LP},
    {"logging.exception", SL__A_DISPLAY, SL__LP},
    {"sys.stdout.write", SL__A_DISPLAY, SL__LP}, {"sys.stderr.write", SL__A_DISPLAY, SL__LP},

    /* JavaScript: processes */
    {"child_process.exec", SL__A_SHELL, SL__LJ}, {"child_process.execSync", SL__A_SHELL, SL__LJ},
    {"child_process.spawn", SL__A_PROCESS, SL__LJ},
    {"child_process.spawnSync", SL__A_PROCESS, SL__LJ},
    {"child_process.execFile", SL__A_PROCESS, SL__LJ},
    {"child_process.execFileSync", SL__A_PROCESS, SL__LJ},
    {"child_process.fork", SL__A_PROCESS, SL__LJ},
    {"Deno.run", SL__A_PROCESS, SL__LJ}, {"Deno.Command", SL__A_PROCESS, SL__LJ},
    {"Bun.spawn", SL__A_PROCESS, SL__LJ}, {"Bun.spawnSync", SL__A_PROCESS, SL__LJ},
    {"execa", SL__A_PROCESS, SL__LJ}, {"execa.command", SL__A_SHELL, SL__LJ},
    {"shelljs.exec", SL__A_SHELL, SL__LJ},
    /* JavaScript: code */
    {"Function", SL__A_CODE, SL__LJ}, {"vm.runInThisContext", SL__A_CODE, SL__LJ},
    {"vm.runInNewContext", SL__A_CODE, SL__LJ}, {"vm.runInContext", SL__A_CODE, SL__LJ},
    {"vm.Script", SL__A_CODE, SL__LJ}, {"vm.compileFunction", SL__A_CODE, SL__LJ},
    {"vm.SourceTextModule", SL__A_CODE, SL__LJ},
    {"setTimeout", SL__A_CODE_STRING, SL__LJ}, {"setInterval", SL__A_CODE_STRING, SL__LJ},
    {"setImmediate", SL__A_CODE_STRING, SL__LJ},
    {"require", SL__A_IMPORT, SL__LJ}, {"import", SL__A_IMPORT, SL__LJ},
    {"module.require", SL__A_IMPORT, SL__LJ},
    {"process.mainModule.require", SL__A_IMPORT, SL__LJ},
    {"module.createRequire", SL__A_REQUIRE_FN, SL__LJ},
    {"createRequire", SL__A_REQUIRE_FN, SL__LJ},
    /* JavaScript: network */
    {"fetch", SL__A_NETWORK, SL__LJ}, {"http.request", SL__A_NETWORK, SL__LJ},
    {"http.get", SL__A_NETWORK, SL__LJ}, {"https.request", SL__A_NETWORK, SL__LJ},
    {"https.get", SL__A_NETWORK, SL__LJ}, {"http2.connect", SL__A_NETWORK, SL__LJ},
    {"net.connect", SL__A_SOCKET, SL__LJ}, {"net.createConnection", SL__A_SOCKET, SL__LJ},
    {"net.Socket", SL__A_SOCKET, SL__LJ}, {"tls.connect", SL__A_SOCKET, SL__LJ},
    {"dgram.createSocket", SL__A_SOCKET, SL__LJ},
    {"axios", SL__A_NETWORK, SL__LJ}, {"axios.get", SL__A_NETWORK, SL__LJ},
    {"axios.post", SL__A_NETWORK, SL__LJ}, {"axios.request", SL__A_NETWORK, SL__LJ},
    {"axios.create", SL__A_NETWORK, SL__LJ}, {"XMLHttpRequest", SL__A_NETWORK, SL__LJ},
    {"WebSocket", SL__A_NETWORK, SL__LJ}, {"ws", SL__A_NETWORK, SL__LJ},
    {"got", SL__A_NETWORK, SL__LJ}, {"got.get", SL__A_NETWORK, SL__LJ},
    {"got.post", SL__A_NETWORK, SL__LJ}, {"node-fetch", SL__A_NETWORK, SL__LJ},
    {"request", SL__A_NETWORK, SL__LJ}, {"superagent.get", SL__A_NETWORK, SL__LJ},
    {"superagent.post", SL__A_NETWORK, SL__LJ}, {"undici.request", SL__A_NETWORK, SL__LJ},
    {"undici.fetch", SL__A_NETWORK, SL__LJ},
    /* JavaScript: native code */
    {"process.dlopen", SL__A_FFI, SL__LJ}, {"ffi-napi.Library", SL__A_FFI, SL__LJ},
    {"ffi.Library", SL__A_FFI, SL__LJ}, {"koffi.load", SL__A_FFI, SL__LJ},
    /* JavaScript: files */
    {"fs.writeFile", SL__A_WRITE0, SL__LJ}, {"fs.writeFileSync", SL__A_WRITE0, SL__LJ},
    {"fs.appendFile", SL__A_WRITE0, SL__LJ}, {"fs.appendFileSync", SL__A_WRITE0, SL__LJ},
    {"fs.createWriteStream", SL__A_WRITE0, SL__LJ}, {"fs.unlink", SL__A_WRITE0, SL__LJ},
    {"fs.unlinkSync", SL__A_WRITE0, SL__LJ}, {"fs.rm", SL__A_WRITE0, SL__LJ},
    {"fs.rmSync", SL__A_WRITE0, SL__LJ}, {"fs.rmdir", SL__A_WRITE0, SL__LJ},
    {"fs.rmdirSync", SL__A_WRITE0, SL__LJ}, {"fs.truncate", SL__A_WRITE0, SL__LJ},
    {"fs.copyFile", SL__A_WRITE1, SL__LJ}, {"fs.copyFileSync", SL__A_WRITE1, SL__LJ},
    {"fs.rename", SL__A_WRITE1, SL__LJ}, {"fs.renameSync", SL__A_WRITE1, SL__LJ},
    {"fs.symlink", SL__A_WRITE1, SL__LJ}, {"fs.symlinkSync", SL__A_WRITE1, SL__LJ},
    {"fs.cp", SL__A_WRITE1, SL__LJ}, {"fs.cpSync", SL__A_WRITE1, SL__LJ},
    {"fs.chmod", SL__A_CHMOD, SL__LJ}, {"fs.chmodSync", SL__A_CHMOD, SL__LJ},
    /* JavaScript: folding */
    {"String.fromCharCode", SL__A_FROMCHARCODE, SL__LJ},
    {"String.fromCodePoint", SL__A_FROMCHARCODE, SL__LJ},
    {"atob", SL__A_ATOB, SL__LJ}, {"Buffer.from", SL__A_BUFFER_FROM, SL__LJ},
    {"decodeURIComponent", SL__A_URIDECODE, SL__LJ}, {"decodeURI", SL__A_URIDECODE, SL__LJ},
    {"unescape", SL__A_URIDECODE, SL__LJ},
    {"zlib.inflateSync", SL__A_DECOMPRESS, SL__LJ}, {"zlib.gunzipSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.unzipSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.inflateRawSync", SL__A_DECOMPRESS, SL__LJ},
    {"zlib.brotliDecompressSync", SL__A_DECOMPRESS, SL__LJ},
    {"util.promisify", SL__A_PASS, SL__LJ}, {"String", SL__A_PASS, SL__LJ},
    {"console.log", SL__A_DISPLAY, SL__LJ}, {"console.info", SL__A_DISPLAY, SL__LJ},
    {"console.warn", SL__A_DISPLAY, SL__LJ}, {"console.error", SL__A_DISPLAY, SL__LJ},
    {"console.debug", SL__A_DISPLAY, SL__LJ},
    {"process.stdout.write", SL__A_DISPLAY, SL__LJ},
    {"process.stderr.write", SL__A_DISPLAY, SL__LJ},
    /* globals that only prefix other names */
    {"__builtins__", SL__A_ROOT, SL__LP}, {"builtins", SL__A_ROOT, SL__LP},
    {"globalThis", SL__A_ROOT, SL__LJ}, {"global", SL__A_ROOT, SL__LJ},
    {"window", SL__A_ROOT, SL__LJ}, {"process", SL__A_ROOT, SL__LJ},
    {"sys", SL__A_ROOT, SL__LP},
};

#define SL__SINK_COUNT (sizeof(sl__sinks) / sizeof(sl__sinks[0]))

static int sl__sink_insert(sl_scanner *sc, const char *name, size_t len, int action,
                           unsigned langs)
{
    uint32_t h = sl__hash(name, len);
    size_t k = h & sc->sink_mask;

    while (sc->sinks[k].name != NULL) {
        sl__sink_slot *s = &sc->sinks[k];
        if (s->hash == h && s->len == len && memcmp(s->name, name, len) == 0) {
            if (s->action == SL__A_ROOT && action != SL__A_ROOT) {
                s->action = action;
            }
            s->langs |= langs;
            return 0;
        }
        k = (k + 1) & sc->sink_mask;
    }
    sc->sinks[k].name = name;
    sc->sinks[k].len = len;
    sc->sinks[k].hash = h;
    sc->sinks[k].action = action;
    sc->sinks[k].langs = langs;
    return 1;
}

/* Builds the sink hash table: every name, plus the first component of dotted names as a
 * ROOT so that `os` in `os.system` resolves even where the import is not visible (a string
 * run by exec, a code block in SKILL.md). */
static int sl__sinks_build(sl_scanner *sc)
{
    size_t cap = 1024;
    size_t k;

    sc->sinks = (sl__sink_slot *)sl__calloc(&sc->alloc, cap, sizeof(sl__sink_slot));
    if (sc->sinks == NULL) {
        return SL_ENOMEM;
    }
    sc->sink_mask = cap - 1;
    for (k = 0; k < SL__SINK_COUNT; k++) {
        const char *name = sl__sinks[k].name;
        const char *dot = strchr(name, '.');
        sl__sink_insert(sc, name, strlen(name), sl__sinks[k].action, sl__sinks[k].langs);
        if (dot != NULL) {
            sl__sink_insert(sc, name, (size_t)(dot - name), SL__A_ROOT, sl__sinks[k].langs);
        }
    }
    return SL_OK;
}

static const sl__sink_slot *sl__sink_find(const sl_scanner *sc, const char *name, size_t len,
                                          int language)
{
    uint32_t h = sl__hash(name, len);
    size_t k = h & sc->sink_mask;

    while (sc->sinks[k].name != NULL) {
        const sl__sink_slot *s = &sc->sinks[k];
        if (s->hash == h && s->len == len && memcmp(s->name, name, len) == 0) {
            return (s->langs & (1u << language)) ? s : NULL;
        }
        k = (k + 1) & sc->sink_mask;
    }
    return NULL;
}

static int sl__sink_action(const sl__file *f, const sl__val *v)
{
    const sl__sink_slot *s;

    if (v->kind != SL__V_NAME) {
        return 0;
    }
    s = sl__sink_find(f->scan->scanner, v->s, v->len, f->language);
    return s != NULL ? s->action : 0;
}

/* ---------------------------------------------------------------- decoders --- */

static int sl__b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

/* Decodes base64 (standard or URL-safe, padding and other bytes skipped) into `out`,
 * which has room for len * 3 / 4 + 3 bytes. Returns the decoded length. */
static size_t sl__b64_decode(const char *s, size_t len, char *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    size_t k;

    for (k = 0; k < len; k++) {
        int v = sl__b64_value((unsigned char)s[k]);
        if (v < 0) {
            continue;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xFF);
        }
    }
    return n;
}

/* Decodes hex digit pairs, skipping whitespace, into `out` (room for len / 2 + 1). */
static size_t sl__hex_decode(const char *s, size_t len, char *out)
{
    size_t n = 0;
    int hi = -1;
    size_t k;

    for (k = 0; k < len; k++) {
        int v = sl__hex_digit((unsigned char)s[k]);
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (char)(hi * 16 + v);
            hi = -1;
        }
    }
    return n;
}

static void sl__rot13(char *s, size_t len)
{
    size_t k;

    for (k = 0; k < len; k++) {
        char c = s[k];
        if (c >= 'a' && c <= 'z') {
            s[k] = (char)('a' + (c - 'a' + 13) % 26);
        } else if (c >= 'A' && c <= 'Z') {
            s[k] = (char)('A' + (c - 'A' + 13) % 26);
        }
    }
}

/* Decodes %XX escapes (and %uXXXX as one byte per code unit below 256). */
static size_t sl__percent_decode(const char *s, size_t len, char *out)
{
    size_t n = 0;
    size_t k;

    for (k = 0; k < len; k++) {
        if (s[k] == '%' && k + 2 < len && sl__hex_digit((unsigned char)s[k + 1]) >= 0 &&
            sl__hex_digit((unsigned char)s[k + 2]) >= 0) {
            out[n++] = (char)(sl__hex_digit((unsigned char)s[k + 1]) * 16 +
                              sl__hex_digit((unsigned char)s[k + 2]));
            k += 2;
        } else {
            out[n++] = s[k];
        }
    }
    return n;
}

/* Kinds of decoding for sl__val_decode. */
#define SL__DEC_B64 1
#define SL__DEC_HEX 2
#define SL__DEC_ROT13 3
#define SL__DEC_PERCENT 4

/* Replaces string `v` by its decoding; any other value becomes unknown but decoded. The
 * result is checked for needles, since hiding them is why strings get encoded. */
static void sl__val_decode(sl__file *f, sl__val *v, int how)
{
    char *buf;
    size_t n;

    v->flags = (v->flags | SL__VF_DECODED | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    if (v->kind != SL__V_STR || !sl__budget(f, v->len + 4)) {
        v->kind = SL__V_NONE;
        return;
    }
    buf = (char *)sl__arena_alloc(&f->arena, v->len + 4);
    if (buf == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        v->kind = SL__V_NONE;
        return;
    }
    if (how == SL__DEC_B64) {
        n = sl__b64_decode(v->s, v->len, buf);
    } else if (how == SL__DEC_HEX) {
        n = sl__hex_decode(v->s, v->len, buf);
    } else if (how == SL__DEC_PERCENT) {
        n = sl__percent_decode(v->s, v->len, buf);
    } else {
        memcpy(buf, v->s, v->len);
        n = v->len;
        sl__rot13(buf, n);
    }
    buf[n] = '\0';
    v->s = buf;
    v->len = n;
    sl__check_string(f, buf, n, v->off);
}

/* --------------------------------------------------------------- evaluator --- */

/* Bracket nesting evaluated recursively. Deeper groups are queued and evaluated later
 * from the top, so every token is still looked at and the C stack stays small. */
#define SL__EVAL_DEPTH 32

static size_t sl__eval_expr(sl__file *f, size_t i, size_t end, int depth, sl__val *out);
static unsigned sl__eval_seq(sl__file *f, size_t i, size_t end, int depth, int stmt,
                             sl__val *last);
static void sl__subscan_queue(sl__file *f, int language, const char *s, size_t len,
                              size_t off);

static const sl__tok *sl__t(const sl__file *f, size_t i)
{
    return &f->lx.toks[i];
}

static int sl__op(const sl__file *f, size_t i, const char *s)
{
    return sl__tok_is(&f->lx, i, SL__TK_OP, s);
}

static int sl__kw(const sl__file *f, size_t i, const char *s)
{
    return sl__tok_is(&f->lx, i, SL__TK_IDENT, s);
}

static const char *sl__raw(const sl__file *f, size_t i, size_t *len)
{
    *len = f->lx.toks[i].len;
    return f->lx.src + f->lx.toks[i].off;
}

/* Index of the bracket closing the one at `open`, or `end` when it is not inside. */
static size_t sl__close_of(const sl__file *f, size_t open, size_t end)
{
    int32_t m = f->lx.toks[open].match;
    return (m > (int32_t)open && (size_t)m < end) ? (size_t)m : end;
}

/* Returns 1 for tokens that end an expression: , ; ) ] } : and assignments. */
static int sl__is_term(const sl__file *f, size_t i)
{
    const sl__tok *t = sl__t(f, i);
    const char *p = f->lx.src + t->off;

    if (t->kind == SL__TK_NEWLINE) {
        return 1;
    }
    if (t->kind == SL__TK_IDENT) {
        /* Python's `as` belongs to import, with and except, never to an expression */
        return f->language == SL__PY && t->len == 2 && p[0] == 'a' && p[1] == 's';
    }
    if (t->kind != SL__TK_OP) {
        return 0;
    }
    if (t->len == 1) {
        return sl__in_set((unsigned char)p[0], ",;)]}:=");
    }
    if (p[t->len - 1] != '=') {
        return 0;
    }
    return !sl__streq(p, t->len, "==") && !sl__streq(p, t->len, "!=") &&
           !sl__streq(p, t->len, "<=") && !sl__streq(p, t->len, ">=") &&
           !sl__streq(p, t->len, "===") && !sl__streq(p, t->len, "!==");
}

static int sl__in_words(const char *s, size_t len, const char *const *words)
{
    size_t k;

    if (len == 0) {
        return 0;
    }
    for (k = 0; words[k] != NULL; k++) {
        if (words[k][0] == s[0] && sl__streq(s, len, words[k])) {
            return 1;
        }
    }
    return 0;
}

static const char *const sl__py_keywords[] = {
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
    "yield", "None", "True", "False", NULL
};

static const char *const sl__js_keywords[] = {
    "as", "async", "await", "break", "case", "catch", "class", "const", "continue",
    "debugger", "default", "delete", "do", "else", "export", "extends", "finally", "for",
    "function", "if", "import", "in", "instanceof", "let", "new", "of", "return", "static",
    "super", "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with",
    "yield", "null", "true", "false", "undefined", "satisfies", NULL
};

/* JavaScript keywords that begin a statement: after an operand they mean the previous
 * statement ended without a semicolon. */
static const char *const sl__js_stmt_keywords[] = {
    "const", "let", "var", "import", "export", "return", "throw", "if", "for", "while", "do",
    "switch", "try", "break", "continue", "function", "class", NULL
};

static int sl__is_keyword(const sl__file *f, size_t i)
{
    size_t len;
    const char *s;

    if (sl__t(f, i)->kind != SL__TK_IDENT) {
        return 0;
    }
    s = sl__raw(f, i, &len);
    return sl__in_words(s, len, f->language == SL__PY ? sl__py_keywords : sl__js_keywords);
}

/* Returns 1 when token `i` starts a new JavaScript statement after an operand. */
static int sl__js_new_statement(const sl__file *f, size_t i, size_t end)
{
    size_t len;
    const char *s;

    if (f->language != SL__JS || sl__t(f, i)->kind != SL__TK_IDENT) {
        return 0;
    }
    s = sl__raw(f, i, &len);
    if (sl__in_words(s, len, sl__js_stmt_keywords)) {
        return 1;
    }
    return i + 1 < end && sl__op(f, i + 1, "=");
}

/* Parses an integer literal (decimal, 0x, 0o, 0b, and JavaScript's legacy 0755 octal). */
static int sl__parse_int(const char *s, size_t len, int js, int64_t *out)
{
    int base = 10;
    size_t k = 0;
    uint64_t v = 0;

    if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
        base = 16;
        k = 2;
    } else if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'o') {
        base = 8;
        k = 2;
    } else if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'b') {
        base = 2;
        k = 2;
    } else if (js && len >= 2 && s[0] == '0') {
        base = 8;
        k = 1;
    }
    if (k == len) {
        return 0;
    }
    for (; k < len; k++) {
        int d = sl__hex_digit((unsigned char)s[k]);
        if (s[k] == '_') {
            continue;
        }
        if (d < 0 || d >= base || v > (UINT64_MAX >> 5)) {
            return 0;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = (int64_t)(v & 0x7FFFFFFFFFFFFFFFull);
    return 1;
}

/* Resolves an identifier: a variable or alias, else a known global or module name. */
static void sl__resolve_ident(sl__file *f, size_t i, sl__val *v)
{
    size_t len;
    const char *s = sl__raw(f, i, &len);
    const sl__val *var = sl__var_get(f, s, len);
    size_t off = sl__t(f, i)->off;
    int k;

    sl__val_none(v, off);
    if (var != NULL) {
        *v = *var;
        v->off = off;
        return;
    }
    v->s = s; /* an unknown name, kept for sl__display_method */
    v->len = len;
    if (sl__sink_find(f->scan->scanner, s, len, f->language) != NULL) {
        v->kind = SL__V_NAME;
        v->s = s;
        v->len = len;
        return;
    }
    for (k = 0; k < f->nstars; k++) {
        char buf[SL__NAME_MAX];
        size_t n = strlen(f->stars[k]);
        if (n + 1 + len < sizeof(buf)) {
            memcpy(buf, f->stars[k], n);
            buf[n] = '.';
            memcpy(buf + n + 1, s, len);
            if (sl__sink_find(f->scan->scanner, buf, n + 1 + len, f->language) != NULL) {
                sl__val_set_name(f, v, buf, n + 1 + len, NULL, 0);
                return;
            }
        }
    }
}

/* Applies `.name` to `v`. */
static void sl__attr(sl__file *f, sl__val *v, const char *name, size_t len)
{
    v->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (v->kind == SL__V_NAME) {
        sl__val_set_name(f, v, v->s, v->len, name, len);
        if (sl__val_name_is(v, "fs.promises")) {
            v->len = 2;
        }
        return;
    }
    if (v->kind == SL__V_STR || v->kind == SL__V_LIST || v->kind == SL__V_INTS) {
        sl__val *base = (sl__val *)sl__arena_alloc(&f->arena, sizeof(sl__val));
        if (base == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        *base = *v;
        v->kind = SL__V_METHOD;
        v->base = base;
    } else {
        v->kind = SL__V_NONE;
    }
    v->s = name;
    v->len = len;
}

/* Concatenates `b` onto `a` for `+`. */
static void sl__concat(sl__file *f, sl__val *a, const sl__val *b)
{
    unsigned flags = (a->flags | b->flags) & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    char *p;

    if (a->kind == SL__V_STR && b->kind == SL__V_STR && sl__budget(f, a->len + b->len + 1)) {
        p = (char *)sl__arena_alloc(&f->arena, a->len + b->len + 1);
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            a->kind = SL__V_NONE;
            return;
        }
        memcpy(p, a->s, a->len);
        memcpy(p + a->len, b->s, b->len);
        p[a->len + b->len] = '\0';
        a->s = p;
        a->len += b->len;
        a->flags = flags | SL__VF_OBFUSCATED;
        sl__check_string(f, a->s, a->len, a->off);
        return;
    }
    if (a->kind == SL__V_INT && b->kind == SL__V_INT) {
        a->num += b->num;
        a->flags = flags;
        return;
    }
    a->kind = SL__V_NONE;
    a->s = NULL;
    a->flags = flags;
}

/* Joins known strings with `sep`; the result replaces `v`. */
static void sl__join(sl__file *f, sl__val *v, const sl_str *items, size_t count,
                     const char *sep, size_t sep_len, unsigned flags)
{
    size_t total = 0;
    size_t k;
    char *p;

    for (k = 0; k < count; k++) {
        total += items[k].len + (k > 0 ? sep_len : 0);
        if (total > (1u << 24)) {
            v->kind = SL__V_NONE;
            return;
        }
    }
    if (!sl__budget(f, total + 1) || (p = (char *)sl__arena_alloc(&f->arena, total + 1)) == NULL) {
        v->kind = SL__V_NONE;
        return;
    }
    total = 0;
    for (k = 0; k < count; k++) {
        if (k > 0) {
            memcpy(p + total, sep, sep_len);
            total += sep_len;
        }
        memcpy(p + total, items[k].ptr, items[k].len);
        total += items[k].len;
    }
    p[total] = '\0';
    v->kind = SL__V_STR;
    v->s = p;
    v->len = total;
    v->flags = (v->flags | flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    sl__check_string(f, p, total, v->off);
}

/* Makes `v` a list of one-character strings from known integers (chr() over a list). */
static void sl__ints_to_chars(sl__file *f, sl__val *v, const int64_t *ints, size_t count)
{
    sl_str *items;
    char *buf;
    size_t k;
    size_t used = 0;

    if (!sl__budget(f, count * (sizeof(sl_str) + 4)) ||
        (items = (sl_str *)sl__arena_alloc(&f->arena, count * sizeof(sl_str) + 1)) == NULL ||
        (buf = (char *)sl__arena_alloc(&f->arena, count * 4 + 1)) == NULL) {
        v->kind = SL__V_NONE;
        return;
    }
    for (k = 0; k < count; k++) {
        unsigned long cp = ints[k] < 0 || ints[k] > 0x10FFFF ? 0xFFFD : (unsigned long)ints[k];
        size_t n = sl__utf8_encode(cp, buf + used);
        items[k].ptr = buf + used;
        items[k].len = n;
        used += n;
    }
    v->kind = SL__V_LIST;
    v->items = items;
    v->count = count;
    v->flags = (v->flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
}

/* Arguments of one call, as far as the actions need them. */
typedef struct sl__call {
    sl__val arg[4];       /* first positional arguments */
    size_t nargs;         /* positional arguments seen */
    unsigned flags;       /* value flags of everything inside the parentheses */
    sl__val mode;         /* Python keyword `mode` */
    int has_mode;
    int64_t *ints;        /* String.fromCharCode: every argument, when all are integers */
    size_t nints;
    int ints_ok;
    size_t open;
    size_t close;
} sl__call;

static int sl__is_shell_name(const char *s, size_t len)
{
    static const char *const shells[] = {
        "sh", "bash", "zsh", "dash", "ksh", "ash", "csh", "tcsh", "fish", "cmd", "cmd.exe",
        "powershell", "powershell.exe", "pwsh", NULL
    };
    size_t k = len;

    while (k > 0 && s[k - 1] != '/' && s[k - 1] != '\\') {
        k--;
    }
    return len > k && sl__in_words(s + k, len - k, shells);
}

/* Returns the interpreter language of a program name: python, node or a shell. */
static int sl__interpreter(const char *s, size_t len)
{
    size_t k = len;

    while (k > 0 && s[k - 1] != '/') {
        k--;
    }
    s += k;
    len -= k;
    if (sl__starts(s, len, "python") || sl__streq(s, len, "py")) {
        return SL__PY;
    }
    if (sl__streq(s, len, "node") || sl__streq(s, len, "nodejs") || sl__streq(s, len, "deno") ||
        sl__streq(s, len, "bun")) {
        return SL__JS;
    }
    if (sl__is_shell_name(s, len)) {
        return SL__SH;
    }
    return 0;
}

/* Looks at an argv list handed to a process call: `sh -c CODE`, `python -c CODE` and
 * `node -e CODE` have their code scanned in that language; any other command line is
 * scanned as shell, quoted word by word, to catch `chmod +x`, `nc -e`, `crontab`, .... */
static void sl__argv_scan(sl__file *f, const sl_str *items, size_t count, size_t off)
{
    int lang;
    size_t k;
    sl_buf line;

    if (count == 0) {
        return;
    }
    lang = sl__interpreter(items[0].ptr, items[0].len);
    if (sl__is_shell_name(items[0].ptr, items[0].len)) {
        sl__fact(f, SL__F_SHELLSTR, off);
    }
    for (k = 1; lang != 0 && k + 1 < count; k++) {
        if (sl__streq(items[k].ptr, items[k].len, "-c") ||
            (lang == SL__JS && (sl__streq(items[k].ptr, items[k].len, "-e") ||
                                sl__streq(items[k].ptr, items[k].len, "--eval")))) {
            sl__subscan_queue(f, lang, items[k + 1].ptr, items[k + 1].len, off);
            return;
        }
    }
    sl_buf_init(&line, &f->arena.alloc);
    for (k = 0; k < count && line.len < 65536; k++) {
        size_t j;
        sl_buf_append(&line, k > 0 ? " '" : "'", k > 0 ? 2 : 1);
        for (j = 0; j < items[k].len; j++) {
            if (items[k].ptr[j] == '\'') {
                sl_buf_append(&line, "'\\''", 4);
            } else {
                sl_buf_putc(&line, items[k].ptr[j]);
            }
        }
        sl_buf_putc(&line, '\'');
    }
    if (line.failed) {
        sl__scan_fail(f->scan, SL_ENOMEM);
    } else {
        char *copy = sl__fdup(f, line.data, line.len);
        if (copy != NULL) {
            sl__subscan_queue(f, SL__SH, copy, line.len, off);
        }
    }
    sl_buf_free(&line);
}

/* Findings shared by every executing call: what reached it decides how bad it is. */
static void sl__exec_input(sl__file *f, const sl__val *callee, unsigned flags, size_t off)
{
    if (flags & SL__VF_DECODED) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    if (flags & SL__VF_NETWORK) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (callee->flags & SL__VF_OBFUSCATED) {
        sl__emit(f, SL__C_OBFUSCATED, off);
    }
}

/* Scans the tokens of a call for `shell=True` or `shell: true`. */
static int sl__call_has_shell(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i + 2 < c->close; i++) {
        if (sl__kw(f, i, "shell") && (sl__op(f, i + 1, "=") || sl__op(f, i + 1, ":")) &&
            (sl__kw(f, i + 2, "True") || sl__kw(f, i + 2, "true"))) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when an identifier or literal in the call sets an executable bit. */
static int sl__call_chmod_exec(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i < c->close; i++) {
        const sl__tok *t = sl__t(f, i);
        size_t len;
        const char *s;
        int64_t n;
        if (t->kind == SL__TK_IDENT) {
            s = sl__raw(f, i, &len);
            if (sl__starts(s, len, "S_IX") || sl__streq(s, len, "S_IEXEC") ||
                sl__starts(s, len, "S_IRWX")) {
                return 1;
            }
        } else if (t->kind == SL__TK_NUMBER) {
            s = sl__raw(f, i, &len);
            if (sl__parse_int(s, len, f->language == SL__JS, &n) && (n & 0111) != 0 &&
                n <= 07777) {
                return 1;
            }
        } else if (t->kind == SL__TK_STRING) {
            s = sl__tok_text(&f->lx, i, &len);
            if (sl__streq(s, len, "+x") || sl__streq(s, len, "755") || sl__streq(s, len, "777") ||
                sl__streq(s, len, "0755")) {
                return 1;
            }
        }
    }
    return 0;
}

/* Scans the tokens of yaml.load(...) for a safe loader. */
static int sl__call_safe_loader(const sl__file *f, const sl__call *c)
{
    size_t i;

    for (i = c->open + 1; i < c->close; i++) {
        size_t len;
        const char *s;
        if (sl__t(f, i)->kind == SL__TK_IDENT) {
            s = sl__raw(f, i, &len);
            if (sl__streq(s, len, "SafeLoader") || sl__streq(s, len, "CSafeLoader") ||
                sl__streq(s, len, "BaseLoader")) {
                return 1;
            }
        }
    }
    return 0;
}

static void sl__write_path(sl__file *f, const sl__val *path, size_t off)
{
    sl__fact(f, SL__F_WRITE_FILE, off);
    if (path->kind == SL__V_STR && sl__path_outside(path->s, path->len)) {
        sl__emit(f, SL__C_WRITE_OUTSIDE, off);
    }
}

/* Process and shell calls. */
static void sl__act_process(sl__file *f, const sl__val *callee, const sl__call *c, int shell,
                            sl__val *out)
{
    size_t off = callee->off;
    const sl__val *a0 = &c->arg[0];

    sl__fact(f, SL__F_PROCESS, off);
    if (c->nargs >= 1 && a0->kind == SL__V_LIST && a0->count >= 2 &&
        sl__is_shell_name(a0->items[0].ptr, a0->items[0].len) &&
        sl__streq(a0->items[1].ptr, a0->items[1].len, "-c")) {
        shell = 1; /* ["bash", "-c", "..."] hands a command line to a shell */
    }
    sl__emit(f, shell ? SL__C_EXEC_SHELL : SL__C_EXEC_PROCESS, off);
    sl__exec_input(f, callee, c->flags, off);
    if (c->nargs >= 1 && a0->kind == SL__V_STR) {
        if (sl__is_shell_name(a0->s, a0->len)) {
            sl__fact(f, SL__F_SHELLSTR, off);
        }
        if (c->nargs >= 2 && c->arg[1].kind == SL__V_LIST && !shell) {
            /* spawn("sh", ["-c", code]) */
            size_t n = c->arg[1].count;
            sl_str *items = (sl_str *)sl__arena_alloc(&f->arena, (n + 1) * sizeof(sl_str));
            if (items == NULL) {
                sl__scan_fail(f->scan, SL_ENOMEM);
                return;
            }
            items[0].ptr = a0->s;
            items[0].len = a0->len;
            if (n > 0) {
                memcpy(items + 1, c->arg[1].items, n * sizeof(sl_str));
            }
            sl__argv_scan(f, items, n + 1, off);
        } else {
            sl__subscan_queue(f, SL__SH, a0->s, a0->len, off);
        }
    } else if (c->nargs >= 1 && a0->kind == SL__V_LIST) {
        sl__argv_scan(f, a0->items, a0->count, off);
    }
    sl__val_none(out, off);
}

/* eval, exec, Function, vm.*: the code string is scanned as the same language. */
static void sl__act_code(sl__file *f, const sl__val *callee, const sl__call *c, sl__val *out)
{
    size_t off = callee->off;
    const sl__val *code = &c->arg[0];

    if (sl__val_name_is(callee, "Function") && c->nargs >= 1 && c->nargs <= 4) {
        code = &c->arg[c->nargs - 1];
    }
    sl__emit(f, SL__C_DYNAMIC_CODE, off);
    sl__exec_input(f, callee, c->flags, off);
    if (c->nargs >= 1 && code->kind == SL__V_STR) {
        sl__subscan_queue(f, f->language, code->s, code->len, off);
    }
    if (c->nargs >= 1 && !(code->flags & SL__VF_LITERAL)) {
        /* a variable may change after its first value (d += chunk) */
        sl__fact(f, SL__F_DYN_EVAL, off);
    }
    sl__val_none(out, off);
}

/* __import__, import_module, require, import(): the result names the module. */
static void sl__act_import(sl__file *f, const sl__val *callee, const sl__call *c, sl__val *out)
{
    static const char *const ffi_modules[] = {
        "ffi-napi", "ffi", "node-ffi", "koffi", "ref-napi", "ctypes", "cffi", NULL
    };
    const sl__val *name = &c->arg[0];
    const char *s;
    size_t len;

    sl__val_none(out, callee->off);
    if (c->nargs < 1 || name->kind != SL__V_STR) {
        sl__emit(f, SL__C_DYNAMIC_IMPORT, callee->off);
        return;
    }
    if (!(name->flags & SL__VF_LITERAL)) {
        sl__emit(f, SL__C_DYNAMIC_IMPORT, callee->off);
    }
    s = name->s;
    len = name->len;
    sl__name_normalize(&s, &len);
    if (sl__streq(s, len, "fs/promises")) {
        len = 2;
    }
    if (len > 0 && sl__in_words(s, len, ffi_modules)) {
        sl__emit(f, SL__C_FFI, callee->off);
        sl__fact(f, SL__F_CTYPES, callee->off);
    }
    sl__val_set_name(f, out, s, len, NULL, 0);
    out->flags = (name->flags | callee->flags) & (SL__VF_OBFUSCATED | SL__VF_DECODED);
    if (!(name->flags & SL__VF_LITERAL)) {
        out->flags |= SL__VF_OBFUSCATED;
    }
}

/* getattr(obj, "name"), globals()["name"], vars(obj). */
static void sl__act_getattr(sl__file *f, const sl__val *callee, const sl__call *c, int action,
                            sl__val *out)
{
    sl__val_none(out, callee->off);
    if (action == SL__A_GLOBALS) {
        if (c->nargs == 0) {
            sl__val_set_name(f, out, "__dict__", 8, NULL, 0);
        } else if (c->arg[0].kind == SL__V_NAME) {
            sl__val_set_name(f, out, c->arg[0].s, c->arg[0].len, "__dict__", 8);
        }
        return;
    }
    if (c->nargs >= 2 && c->arg[0].kind == SL__V_NAME && c->arg[1].kind == SL__V_STR) {
        sl__val_set_name(f, out, c->arg[0].s, c->arg[0].len, c->arg[1].s, c->arg[1].len);
        out->flags = c->arg[0].flags | c->arg[1].flags | SL__VF_OBFUSCATED;
    }
}

/* Reverses a known string or list (`[::-1]`, reversed(), .reverse()); anything else
 * becomes unknown. */
static void sl__reverse(sl__file *f, sl__val *v)
{
    size_t k;

    v->flags = (v->flags | SL__VF_OBFUSCATED) & ~SL__VF_LITERAL;
    if (v->kind == SL__V_STR && sl__budget(f, v->len + 1)) {
        char *p = (char *)sl__arena_alloc(&f->arena, v->len + 1);
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        for (k = 0; k < v->len; k++) {
            p[k] = v->s[v->len - 1 - k];
        }
        p[v->len] = '\0';
        v->s = p;
        sl__check_string(f, p, v->len, v->off);
        return;
    }
    if (v->kind == SL__V_LIST && sl__budget(f, v->count * sizeof(sl_str))) {
        sl_str *items = (sl_str *)sl__arena_alloc(&f->arena, v->count * sizeof(sl_str) + 1);
        if (items == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            v->kind = SL__V_NONE;
            return;
        }
        for (k = 0; k < v->count; k++) {
            items[k] = v->items[v->count - 1 - k];
        }
        v->items = items;
        return;
    }
    v->kind = SL__V_NONE;
}

/* Folding calls that build strings: chr, bytes, fromhex, base64, codecs, map, ... */
static void sl__act_fold(sl__file *f, const sl__val *callee, sl__call *c, int action,
                         sl__val *out)
{
    const sl__val *a0 = &c->arg[0];
    const sl__val *a1 = &c->arg[1];
    char ch[4];

    *out = c->nargs >= 1 ? *a0 : *out;
    out->off = callee->off;
    out->flags = c->flags & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (c->nargs == 0) {
        out->kind = SL__V_NONE;
        return;
    }
    switch (action) {
    case SL__A_CHR:
        if (a0->kind == SL__V_INT && a0->num >= 0 && a0->num <= 0x10FFFF) {
            sl__val_set_str(f, out, ch, sl__utf8_encode((unsigned long)a0->num, ch),
                            SL__VF_OBFUSCATED);
        } else {
            out->kind = SL__V_NONE;
            out->flags |= SL__VF_CHR_OF_VAR;
        }
        break;
    case SL__A_BYTES:
        if (a0->kind == SL__V_INTS) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, a0->ints, a0->count);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
            } else {
                out->kind = SL__V_NONE;
            }
        } else if (a0->kind != SL__V_STR) {
            out->kind = SL__V_NONE;
        }
        break;
    case SL__A_FROMHEX:
        sl__val_decode(f, out, SL__DEC_HEX);
        break;
    case SL__A_B64:
    case SL__A_ATOB:
        sl__val_decode(f, out, SL__DEC_B64);
        break;
    case SL__A_URIDECODE:
        if (a0->kind == SL__V_STR && memchr(a0->s, '%', a0->len) != NULL) {
            sl__val_decode(f, out, SL__DEC_PERCENT);
        }
        break;
    case SL__A_BUFFER_FROM:
    case SL__A_CODECS:
        if (c->nargs >= 2 && a1->kind == SL__V_STR) {
            if (sl__starts(a1->s, a1->len, "rot")) {
                sl__val_decode(f, out, SL__DEC_ROT13);
            } else if (sl__starts(a1->s, a1->len, "hex")) {
                sl__val_decode(f, out, SL__DEC_HEX);
            } else if (sl__starts(a1->s, a1->len, "base64")) {
                sl__val_decode(f, out, SL__DEC_B64);
            }
        } else if (a0->kind == SL__V_INTS) {
            sl__act_fold(f, callee, c, SL__A_BYTES, out);
        }
        break;
    case SL__A_DECOMPRESS:
        out->kind = SL__V_NONE;
        out->flags |= SL__VF_DECODED | SL__VF_OBFUSCATED;
        break;
    case SL__A_MAP:
        if (sl__val_name_is(a0, "chr") && c->nargs >= 2 && a1->kind == SL__V_INTS) {
            sl__ints_to_chars(f, out, a1->ints, a1->count);
        } else {
            out->kind = SL__V_NONE;
        }
        break;
    case SL__A_REVERSED:
        sl__reverse(f, out);
        break;
    case SL__A_FROMCHARCODE:
        if (c->ints_ok && c->nints > 0) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, c->ints, c->nints);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
                break;
            }
        } else if (c->nargs == 1 && a0->kind == SL__V_INTS) {
            sl__val tmp = *out;
            sl__ints_to_chars(f, &tmp, a0->ints, a0->count);
            if (tmp.kind == SL__V_LIST) {
                sl__join(f, out, tmp.items, tmp.count, "", 0, 0);
                break;
            }
        }
        out->kind = SL__V_NONE;
        break;
    default: /* SL__A_PASS */
        break;
    }
}

/* Returns 1 when the string value contains any byte of `set`. */
static int sl__mem_any(const sl__val *v, const char *set)
{
    size_t k;

    for (k = 0; k < v->len; k++) {
        if (sl__in_set((unsigned char)v->s[k], set)) {
            return 1;
        }
    }
    return 0;
}

/* Calls a method of a known string or list ("".join, .split, .reverse, .lower, ...). */
static void sl__act_method(sl__file *f, const sl__val *m, const sl__call *c, sl__val *out)
{
    const sl__val *base = m->base;
    const sl__val *a0 = &c->arg[0];
    const char *name = m->s;
    size_t len = m->len;

    *out = *base;
    out->off = m->off;
    out->flags = (base->flags | c->flags) & ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR);
    if (base->kind == SL__V_STR) {
        if (sl__streq(name, len, "join") && c->nargs == 1 && a0->kind == SL__V_LIST) {
            sl__join(f, out, a0->items, a0->count, base->s, base->len, a0->flags);
        } else if (sl__streq(name, len, "join") && c->nargs == 1 && a0->kind == SL__V_STR &&
                   base->len == 0) {
            *out = *a0;
            out->off = m->off;
            out->flags |= SL__VF_OBFUSCATED;
        } else if (sl__in_words(name, len, (const char *const[]){
                       "decode", "encode", "toString", "valueOf", "strip", "trim", "lstrip",
                       "rstrip", "casefold", NULL})) {
            /* keeps the known string; surrounding whitespace does not matter for names */
        } else if (sl__in_words(name, len, (const char *const[]){
                       "lower", "upper", "toLowerCase", "toUpperCase", NULL})) {
            size_t k;
            char *p = sl__budget(f, base->len + 1) ? sl__fdup(f, base->s, base->len) : NULL;
            int up = name[0] == 'u' || name[2] == 'U';
            if (p == NULL) {
                out->kind = SL__V_NONE;
                return;
            }
            for (k = 0; k < base->len; k++) {
                char ch = p[k];
                if (up && ch >= 'a' && ch <= 'z') {
                    p[k] = (char)(ch - 32);
                } else if (!up && ch >= 'A' && ch <= 'Z') {
                    p[k] = (char)(ch + 32);
                }
            }
            out->s = p;
            out->flags |= SL__VF_OBFUSCATED;
            sl__check_string(f, p, base->len, out->off);
        } else if (sl__streq(name, len, "split") && c->nargs == 1 && a0->kind == SL__V_STR &&
                   a0->len == 0) {
            sl_str *items;
            size_t k;
            if (!sl__budget(f, base->len * sizeof(sl_str)) ||
                (items = (sl_str *)sl__arena_alloc(&f->arena,
                                                   base->len * sizeof(sl_str) + 1)) == NULL) {
                out->kind = SL__V_NONE;
                return;
            }
            for (k = 0; k < base->len; k++) {
                items[k].ptr = base->s + k;
                items[k].len = 1;
            }
            out->kind = SL__V_LIST;
            out->items = items;
            out->count = base->len;
        } else if (sl__streq(name, len, "replace") && c->nargs == 2 && a0->kind == SL__V_STR &&
                   a0->len > 0 && c->arg[1].kind == SL__V_STR) {
            sl_buf b;
            size_t k = 0;
            sl_buf_init(&b, &f->arena.alloc);
            while (k < base->len && b.len < (1u << 20)) {
                if (base->len - k >= a0->len && memcmp(base->s + k, a0->s, a0->len) == 0) {
                    sl_buf_append(&b, c->arg[1].s, c->arg[1].len);
                    k += a0->len;
                } else {
                    sl_buf_putc(&b, base->s[k++]);
                }
            }
            out->kind = SL__V_NONE;
            if (!b.failed) {
                sl__val_set_str(f, out, b.len > 0 ? b.data : "", b.len, SL__VF_OBFUSCATED);
                sl__check_string(f, out->s, out->len, out->off);
            }
            sl_buf_free(&b);
        } else {
            out->kind = SL__V_NONE;
        }
    } else if (base->kind == SL__V_LIST) {
        if (sl__streq(name, len, "reverse")) {
            sl__reverse(f, out);
        } else if (sl__streq(name, len, "join")) {
            if (c->nargs == 0) {
                sl__join(f, out, base->items, base->count, ",", 1, 0);
            } else if (a0->kind == SL__V_STR) {
                sl__join(f, out, base->items, base->count, a0->s, a0->len, 0);
            } else {
                out->kind = SL__V_NONE;
            }
        } else {
            out->kind = SL__V_NONE;
        }
    } else {
        out->kind = SL__V_NONE;
    }
}

/* Applies what the callee does, given its evaluated arguments; `callee` becomes the
 * call's result. */
static void sl__apply(sl__file *f, sl__val *callee, sl__call *c, int action)
{
    size_t off = callee->off;
    sl__val out;

    sl__val_none(&out, off);
    if ((c->flags & SL__VF_ENV) && action != SL__A_SHELL && action != SL__A_PROCESS &&
        action != SL__A_PTY && action != SL__A_ENV_COPY) {
        sl__fact(f, SL__F_ENV_WHOLE, off);
    }
    switch (action) {
    case SL__A_SHELL:
        sl__act_process(f, callee, c, 1, &out);
        break;
    case SL__A_PTY:
        sl__fact(f, SL__F_PTY, off);
        sl__act_process(f, callee, c, 0, &out);
        break;
    case SL__A_PROCESS:
        sl__act_process(f, callee, c, sl__call_has_shell(f, c), &out);
        break;
    case SL__A_CODE_STRING:
        /* setTimeout("code") runs code, setTimeout(fn) does not */
        if (c->nargs == 0 || c->arg[0].kind != SL__V_STR) {
            break;
        }
        /* fall through */
    case SL__A_CODE:
        sl__act_code(f, callee, c, &out);
        break;
    case SL__A_YAML_LOAD:
        if (sl__call_safe_loader(f, c)) {
            break;
        }
        /* fall through */
    case SL__A_DESERIALIZE:
    case SL__A_MARSHAL:
        sl__emit(f, SL__C_DESERIALIZE, off);
        sl__exec_input(f, callee, c->flags, off);
        if (action == SL__A_MARSHAL) {
            out.flags = SL__VF_DECODED;
        }
        break;
    case SL__A_SOCKET:
        sl__fact(f, SL__F_SOCKET, off);
        /* fall through */
    case SL__A_DOWNLOAD:
        if (action == SL__A_DOWNLOAD) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        /* fall through */
    case SL__A_NETWORK:
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        out.flags = SL__VF_NETWORK;
        break;
    case SL__A_DUP2:
        sl__fact(f, SL__F_DUP2, off);
        break;
    case SL__A_FFI:
        sl__emit(f, SL__C_FFI, off);
        sl__fact(f, SL__F_CTYPES, off);
        break;
    case SL__A_OPEN:
        if ((c->has_mode && c->mode.kind == SL__V_STR && sl__mem_any(&c->mode, "wax+")) ||
            (c->nargs >= 2 && c->arg[1].kind == SL__V_STR && sl__mem_any(&c->arg[1], "wax+"))) {
            sl__write_path(f, &c->arg[0], off);
        }
        break;
    case SL__A_WRITE0:
        sl__write_path(f, &c->arg[0], off);
        if ((c->flags & SL__VF_NETWORK) != 0) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        break;
    case SL__A_WRITE1:
        sl__write_path(f, &c->arg[1], off);
        break;
    case SL__A_CHMOD:
        if (sl__call_chmod_exec(f, c)) {
            sl__fact(f, SL__F_CHMOD_EXEC, off);
        }
        break;
    case SL__A_IMPORT:
        sl__act_import(f, callee, c, &out);
        break;
    case SL__A_GETATTR:
    case SL__A_GLOBALS:
        sl__act_getattr(f, callee, c, action, &out);
        break;
    case SL__A_CHR: case SL__A_BYTES: case SL__A_FROMHEX: case SL__A_B64:
    case SL__A_CODECS: case SL__A_DECOMPRESS: case SL__A_MAP: case SL__A_REVERSED:
    case SL__A_PASS: case SL__A_FROMCHARCODE: case SL__A_ATOB: case SL__A_BUFFER_FROM:
    case SL__A_URIDECODE:
        sl__act_fold(f, callee, c, action, &out);
        break;
    case SL__A_JOINPATH: {
        size_t k;
        int all = c->nargs >= 1 && c->nargs <= 4;
        for (k = 0; all && k < c->nargs; k++) {
            all = c->arg[k].kind == SL__V_STR;
        }
        out.flags = c->flags & ~SL__VF_LITERAL;
        if (all) {
            sl_str items[4];
            size_t first = 0;
            for (k = 0; k < c->nargs; k++) {
                items[k].ptr = c->arg[k].s;
                items[k].len = c->arg[k].len;
                if (items[k].len > 0 && items[k].ptr[0] == '/') {
                    first = k;
                }
            }
            sl__join(f, &out, items + first, c->nargs - first, "/", 1, 0);
        }
        break;
    }
    case SL__A_ENV_ITEMS:
        out.flags = SL__VF_ENV;
        break;
    case SL__A_REQUIRE_FN:
        sl__val_set_name(f, &out, "require", 7, NULL, 0);
        break;
    default:
        if (callee->kind == SL__V_NONE) {
            out.flags = callee->flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_OBFUSCATED);
            if ((c->flags & SL__VF_NETWORK) && callee->s != NULL &&
                sl__streq(callee->s, callee->len, "write")) {
                sl__fact(f, SL__F_DOWNLOAD_FILE, off); /* f.write(response.content) */
            }
        }
        break;
    }
    *callee = out;
}

static int sl__display_method(const sl__val *callee)
{
    static const char *const names[] = {
        "info", "debug", "warning", "warn", "error", "exception", "critical", "log", NULL
    };
    if (callee->kind != SL__V_NONE || callee->s == NULL || callee->len == 0) {
        return 0;
    }
    /* logger.info(...), raise ValueError(...): the text is a message */
    return sl__in_words(callee->s, callee->len, names) ||
           sl__ends(callee->s, callee->len, "Error") ||
           sl__ends(callee->s, callee->len, "Exception") ||
           sl__ends(callee->s, callee->len, "Warning");
}

/* Queues a token range for evaluation from the top (the depth limit was reached). */
static void sl__pending_push(sl__file *f, size_t start, size_t end, int stmt)
{
    if (f->npending + 3 > f->pending_cap) {
        size_t ncap = f->pending_cap == 0 ? 48 : f->pending_cap * 2;
        size_t *p = (size_t *)sl__arena_alloc(&f->arena, ncap * sizeof(size_t));
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return;
        }
        if (f->npending > 0) {
            memcpy(p, f->pending, f->npending * sizeof(size_t));
        }
        f->pending = p;
        f->pending_cap = ncap;
    }
    f->pending[f->npending++] = start;
    f->pending[f->npending++] = end;
    f->pending[f->npending++] = (size_t)stmt;
}

/* Collects an integer argument for String.fromCharCode. */
static void sl__call_int(sl__file *f, sl__call *c, const sl__val *v)
{
    if (!c->ints_ok) {
        return;
    }
    if (v->kind != SL__V_INT || c->nints >= 65536) {
        c->ints_ok = 0;
        return;
    }
    if ((c->nints & (c->nints - 1)) == 0) {
        size_t ncap = c->nints == 0 ? 16 : c->nints * 2;
        int64_t *p = (int64_t *)sl__arena_alloc(&f->arena, ncap * sizeof(int64_t));
        if (p == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            c->ints_ok = 0;
            return;
        }
        if (c->nints > 0) {
            memcpy(p, c->ints, c->nints * sizeof(int64_t));
        }
        c->ints = p;
    }
    c->ints[c->nints++] = v->num;
}

/* Evaluates the arguments of a call at `open` and applies the callee. Returns the index
 * after the closing parenthesis. */
static size_t sl__eval_call(sl__file *f, size_t open, size_t end, int depth, sl__val *callee)
{
    static const char *const help_words[] = {"help", "description", "epilog", "usage", NULL};
    size_t close = sl__close_of(f, open, end);
    int action = sl__sink_action(f, callee);
    int display = action == SL__A_DISPLAY || sl__display_method(callee);
    int new_arg = 1;
    size_t i = open + 1;
    sl__call c;

    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        sl__val_none(callee, callee->off);
        return close + 1;
    }
    memset(&c, 0, sizeof(c));
    c.open = open;
    c.close = close;
    c.ints_ok = action == SL__A_FROMCHARCODE;
    f->display += display;
    while (i < close && f->scan->status == SL_OK) {
        const char *kw = NULL;
        size_t kw_len = 0;
        int kw_display = 0;
        sl__val v;
        if (sl__op(f, i, ",")) {
            new_arg = 1;
            i++;
            continue;
        }
        if (sl__is_term(f, i)) {
            i++;
            continue;
        }
        if (f->language == SL__PY && new_arg && sl__t(f, i)->kind == SL__TK_IDENT &&
            i + 1 < close && sl__op(f, i + 1, "=")) {
            kw = sl__raw(f, i, &kw_len);
            kw_display = sl__in_words(kw, kw_len, help_words);
            i += 2;
        }
        f->display += kw_display;
        i = sl__eval_expr(f, i, close, depth + 1, &v);
        f->display -= kw_display;
        c.flags |= v.flags;
        if (!new_arg) {
            continue;
        }
        new_arg = 0;
        if (kw != NULL) {
            if (sl__streq(kw, kw_len, "mode")) {
                c.mode = v;
                c.has_mode = 1;
            }
            continue;
        }
        if (c.nargs < 4) {
            c.arg[c.nargs] = v;
        }
        c.nargs++;
        sl__call_int(f, &c, &v);
    }
    f->display -= display;
    if (callee->kind == SL__V_METHOD) {
        sl__val out;
        sl__act_method(f, callee, &c, &out);
        *callee = out;
    } else {
        sl__apply(f, callee, &c, action);
    }
    return close + 1;
}

/* Evaluates `v[...]` with the bracket at `open`. */
static size_t sl__eval_subscript(sl__file *f, size_t open, size_t end, int depth, sl__val *v)
{
    size_t close = sl__close_of(f, open, end);
    sl__val idx;
    unsigned flags;

    v->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
    if (close == open + 5 && sl__op(f, open + 1, ":") && sl__op(f, open + 2, ":") &&
        sl__op(f, open + 3, "-") && sl__tok_is(&f->lx, open + 4, SL__TK_NUMBER, "1")) {
        sl__reverse(f, v);
        return close + 1;
    }
    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        v->kind = SL__V_NONE;
        return close + 1;
    }
    flags = sl__eval_seq(f, open + 1, close, depth + 1, 0, &idx);
    if (v->kind == SL__V_NAME && idx.kind == SL__V_STR) {
        const char *n = v->s;
        size_t len = v->len;
        unsigned keep = v->flags | idx.flags | SL__VF_OBFUSCATED;
        if (f->language == SL__JS) {
            sl__val_set_name(f, v, n, len, idx.s, idx.len);
        } else if (sl__streq(n, len, "__dict__") || sl__streq(n, len, "sys.modules")) {
            sl__val_set_name(f, v, idx.s, idx.len, NULL, 0);
        } else if (sl__ends(n, len, ".__dict__")) {
            sl__val_set_name(f, v, n, len - 9, idx.s, idx.len);
        } else {
            v->kind = SL__V_NONE;
        }
        v->flags = keep & ~SL__VF_LITERAL;
    } else if (v->kind == SL__V_LIST && idx.kind == SL__V_INT && idx.num >= 0 &&
               (size_t)idx.num < v->count) {
        const sl_str *item = &v->items[idx.num];
        v->kind = SL__V_STR;
        v->s = item->ptr;
        v->len = item->len;
        v->flags |= SL__VF_OBFUSCATED;
    } else if (v->kind == SL__V_STR && idx.kind == SL__V_INT && idx.num >= 0 &&
               (size_t)idx.num < v->len) {
        v->s += idx.num;
        v->len = 1;
        v->flags |= SL__VF_OBFUSCATED;
    } else {
        v->kind = SL__V_NONE;
        v->s = NULL;
        v->flags |= flags & (SL__VF_NETWORK | SL__VF_DECODED);
    }
    return close + 1;
}

/* Evaluates one string literal (JavaScript) or a run of adjacent ones (Python). */
static size_t sl__eval_strings(sl__file *f, size_t i, size_t end, sl__val *v)
{
    size_t first = i;
    size_t count = 0;
    int dynamic = 0;
    int escaped = 0;

    while (i < end && sl__t(f, i)->kind == SL__TK_STRING) {
        size_t len;
        const char *s = sl__tok_text(&f->lx, i, &len);
        const sl__tok *t = sl__t(f, i);
        sl__check_string(f, s, len, t->off);
        sl__check_opaque(f, s, len, t->off);
        dynamic |= (t->flags & SL__TF_DYNAMIC) != 0;
        escaped |= (t->flags & SL__TF_ESCAPED) != 0;
        count++;
        i++;
        if (f->language != SL__PY || dynamic) {
            break;
        }
    }
    if (dynamic) {
        return i;
    }
    if (count == 1) {
        v->kind = SL__V_STR;
        v->s = sl__tok_text(&f->lx, first, &v->len);
        v->flags = SL__VF_LITERAL | (escaped ? SL__VF_OBFUSCATED : 0);
        return i;
    }
    {
        size_t total = 0;
        size_t k;
        char *p;
        for (k = first; k < i; k++) {
            total += sl__t(f, k)->vlen;
        }
        if (!sl__budget(f, total + 1) ||
            (p = (char *)sl__arena_alloc(&f->arena, total + 1)) == NULL) {
            return i;
        }
        total = 0;
        for (k = first; k < i; k++) {
            size_t len;
            const char *s = sl__tok_text(&f->lx, k, &len);
            memcpy(p + total, s, len);
            total += len;
        }
        p[total] = '\0';
        v->kind = SL__V_STR;
        v->s = p;
        v->len = total;
        v->flags = escaped ? SL__VF_OBFUSCATED : 0;
    }
    return i;
}

/* Evaluates a list display `[...]` at `open`: known strings or integers become a LIST or
 * INTS value. */
static size_t sl__eval_list(sl__file *f, size_t open, size_t end, int depth, sl__val *v)
{
    size_t close = sl__close_of(f, open, end);
    size_t i = open + 1;
    size_t n = 0;
    size_t seen = 0;
    size_t cap = 0;
    sl_str *strs = NULL;
    int64_t *ints = NULL;
    int all_str = 1;
    int all_int = 1;
    sl__val item;
    sl__val single;

    if (depth >= SL__EVAL_DEPTH) {
        sl__pending_push(f, open + 1, close, 0);
        return close + 1;
    }
    sl__val_none(&single, v->off);
    while (i < close && f->scan->status == SL_OK) {
        if (sl__is_term(f, i)) {
            all_str &= !sl__op(f, i, ":");
            all_int &= !sl__op(f, i, ":");
            i++;
            continue;
        }
        i = sl__eval_expr(f, i, close, depth + 1, &item);
        v->flags |= item.flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV);
        single = item;
        seen++;
        all_str &= item.kind == SL__V_STR;
        all_int &= item.kind == SL__V_INT;
        if ((!all_str && !all_int) || n >= (1u << 20)) {
            all_str = all_int = 0;
            continue;
        }
        if (n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            void *p = sl__arena_alloc(&f->arena, ncap * (all_str ? sizeof(sl_str)
                                                                 : sizeof(int64_t)));
            if (p == NULL || !sl__budget(f, ncap * sizeof(sl_str))) {
                all_str = all_int = 0;
                continue;
            }
            if (all_str) {
                if (n > 0) {
                    memcpy(p, strs, n * sizeof(sl_str));
                }
                strs = (sl_str *)p;
            } else {
                if (n > 0) {
                    memcpy(p, ints, n * sizeof(int64_t));
                }
                ints = (int64_t *)p;
            }
            cap = ncap;
        }
        if (all_str) {
            strs[n].ptr = item.s;
            strs[n].len = item.len;
        } else {
            ints[n] = item.num;
        }
        n++;
    }
    if (seen == 1 && single.kind == SL__V_LIST && (single.flags & SL__VF_GENERATED)) {
        *v = single;
    } else if (n > 0 && all_str) {
        v->kind = SL__V_LIST;
        v->items = strs;
        v->count = n;
    } else if (n > 0 && all_int) {
        v->kind = SL__V_INTS;
        v->ints = ints;
        v->count = n;
    }
    return close + 1;
}

/* Identifiers that mark native code made executable. */
static void sl__note_exec_memory(sl__file *f, size_t i)
{
    static const char *const names[] = {
        "PROT_EXEC", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_READ", "VirtualAlloc",
        "VirtualProtect", "mprotect", NULL
    };
    size_t len;
    const char *s = sl__raw(f, i, &len);

    if ((s[0] == 'P' || s[0] == 'V' || s[0] == 'm') && sl__in_words(s, len, names)) {
        sl__fact(f, SL__F_EXEC_MEM, sl__t(f, i)->off);
    }
}

static size_t sl__eval_primary(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *s;

    sl__val_none(v, t->off);
    if (t->kind == SL__TK_STRING) {
        return sl__eval_strings(f, i, end, v);
    }
    if (t->kind == SL__TK_NUMBER) {
        s = sl__raw(f, i, &len);
        if (sl__parse_int(s, len, f->language == SL__JS, &v->num)) {
            v->kind = SL__V_INT;
        }
        return i + 1;
    }
    if (t->kind == SL__TK_IDENT) {
        s = sl__raw(f, i, &len);
        if (f->language == SL__JS && sl__streq(s, len, "import") && i + 1 < end &&
            sl__op(f, i + 1, "(")) {
            v->kind = SL__V_NAME;
            v->s = s;
            v->len = len;
            return i + 1;
        }
        if (f->language == SL__JS && sl__streq(s, len, "function")) {
            i++;
            if (i < end && sl__op(f, i, "*")) {
                i++;
            }
            return (i < end && sl__t(f, i)->kind == SL__TK_IDENT) ? i + 1 : i;
        }
        if (sl__is_keyword(f, i)) {
            return i + 1;
        }
        sl__note_exec_memory(f, i);
        sl__resolve_ident(f, i, v);
        return i + 1;
    }
    if (t->kind != SL__TK_OP || t->len != 1) {
        return i + 1;
    }
    s = f->lx.src + t->off;
    if (s[0] == '(' || s[0] == '{') {
        size_t close = sl__close_of(f, i, end);
        int stmt = s[0] == '{' && f->language == SL__JS;
        if (depth >= SL__EVAL_DEPTH) {
            sl__pending_push(f, i + 1, close, stmt);
            return close + 1;
        }
        v->flags = sl__eval_seq(f, i + 1, close, depth + 1, stmt, s[0] == '(' ? v : NULL);
        v->off = t->off;
        if (s[0] == '{') {
            v->flags &= ~SL__VF_ENV; /* {...process.env} is usually a child's environment */
        }
        v->flags &= ~SL__VF_LITERAL;
        return close + 1;
    }
    if (s[0] == '[') {
        return sl__eval_list(f, i, end, depth, v);
    }
    return i + 1;
}

static size_t sl__eval_trailers(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    while (i < end && f->scan->status == SL_OK) {
        int optional = sl__op(f, i, "?.");
        if ((sl__op(f, i, ".") || optional) && i + 1 < end &&
            sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t len;
            const char *s = sl__raw(f, i + 1, &len);
            sl__note_exec_memory(f, i + 1);
            sl__attr(f, v, s, len);
            i += 2;
            continue;
        }
        if (optional) {
            i++;
        }
        if (i < end && sl__op(f, i, "(")) {
            size_t close = sl__close_of(f, i, end);
            if (f->language == SL__JS && close + 1 < end && sl__op(f, close + 1, "{")) {
                /* `name(params) {` is a method definition, not a call */
                sl__eval_seq(f, i + 1, close, depth + 1, 0, NULL);
                sl__val_none(v, v->off);
                return close + 1;
            }
            i = sl__eval_call(f, i, end, depth, v);
            continue;
        }
        if (i < end && sl__op(f, i, "[")) {
            i = sl__eval_subscript(f, i, end, depth, v);
            continue;
        }
        break;
    }
    if (sl__val_name_is(v, f->language == SL__PY ? "os.environ" : "process.env")) {
        v->flags |= SL__VF_ENV;
    }
    return i;
}

static size_t sl__eval_unary(sl__file *f, size_t i, size_t end, int depth, sl__val *v)
{
    static const char *const prefix[] = {
        "new", "await", "typeof", "void", "delete", "yield", "not", NULL
    };
    int negate = 0;

    while (i < end) {
        const sl__tok *t = sl__t(f, i);
        size_t len;
        const char *s = sl__raw(f, i, &len);
        if (t->kind == SL__TK_OP && (sl__streq(s, len, "-") || sl__streq(s, len, "+") ||
                                     sl__streq(s, len, "~") || sl__streq(s, len, "!") ||
                                     sl__streq(s, len, "*") || sl__streq(s, len, "**") ||
                                     sl__streq(s, len, "..."))) {
            negate ^= s[0] == '-';
            i++;
        } else if (t->kind == SL__TK_IDENT && sl__in_words(s, len, prefix)) {
            i++;
        } else {
            break;
        }
    }
    if (i >= end) {
        sl__val_none(v, 0);
        return i;
    }
    i = sl__eval_primary(f, i, end, depth, v);
    i = sl__eval_trailers(f, i, end, depth, v);
    if (negate && v->kind == SL__V_INT) {
        v->num = -v->num;
    }
    return i;
}

/* Evaluates one expression from `i` until a terminator. Binary operators other than `+`
 * make the value unknown but keep its flags, so `exec(a if c else decode(b))` is still
 * marked as receiving decoded data. */
static size_t sl__eval_expr(sl__file *f, size_t i, size_t end, int depth, sl__val *out)
{
    sl__val rhs;
    int have = 0;

    sl__val_none(out, i < end ? sl__t(f, i)->off : 0);
    while (i < end && !sl__is_term(f, i) && f->scan->status == SL_OK) {
        size_t before = i;
        if (!have) {
            i = sl__eval_unary(f, i, end, depth, out);
            have = 1;
        } else if (sl__op(f, i, "+")) {
            i = sl__eval_unary(f, i + 1, end, depth, &rhs);
            sl__concat(f, out, &rhs);
        } else if ((out->flags & SL__VF_CHR_OF_VAR) && sl__kw(f, i, "for") && i + 2 < end &&
                   sl__kw(f, i + 2, "in")) {
            /* chr(c) for c in [104, 105] */
            i = sl__eval_unary(f, i + 3, end, depth, &rhs);
            if (rhs.kind == SL__V_INTS) {
                sl__ints_to_chars(f, out, rhs.ints, rhs.count);
                out->flags |= SL__VF_GENERATED;
            } else {
                out->kind = SL__V_NONE;
            }
            out->flags &= ~SL__VF_CHR_OF_VAR;
        } else if (sl__js_new_statement(f, i, end)) {
            break;
        } else {
            if (sl__t(f, i)->kind == SL__TK_OP || sl__is_keyword(f, i)) {
                i++;
            }
            if (i < end && !sl__is_term(f, i)) {
                i = sl__eval_unary(f, i, end, depth, &rhs);
                out->flags |= rhs.flags & (SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV |
                                           SL__VF_OBFUSCATED);
            }
            out->kind = SL__V_NONE;
            out->s = NULL;
            out->flags &= ~(SL__VF_LITERAL | SL__VF_CHR_OF_VAR | SL__VF_GENERATED);
        }
        if (i == before) {
            i++;
        }
    }
    return i;
}

/* ------------------------------------------------------------- statements --- */

/* Reads a dotted name `a.b.c` at `i` into `buf`; returns the index after it. */
static size_t sl__dotted(const sl__file *f, size_t i, size_t end, char *buf, size_t cap,
                         size_t *len)
{
    *len = 0;
    while (i < end && sl__t(f, i)->kind == SL__TK_IDENT) {
        size_t n;
        const char *s = sl__raw(f, i, &n);
        if (*len + n + 1 >= cap) {
            *len = 0;
            return i + 1;
        }
        if (*len > 0) {
            buf[(*len)++] = '.';
        }
        memcpy(buf + *len, s, n);
        *len += n;
        i++;
        if (i + 1 < end && sl__op(f, i, ".") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

static int sl__is_ffi_module(const char *s, size_t len)
{
    return sl__streq(s, len, "ctypes") || sl__starts(s, len, "ctypes.") ||
           sl__streq(s, len, "cffi") || sl__streq(s, len, "_ctypes");
}

/* Binds `name` (source bytes) to the module or member `full`. */
static void sl__bind_name(sl__file *f, const char *name, size_t name_len, const char *full,
                          size_t full_len)
{
    sl__val v;

    sl__val_none(&v, 0);
    if (full != NULL) {
        sl__val_set_name(f, &v, full, full_len, NULL, 0);
    }
    sl__var_set(f, name, name_len, &v);
}

static int sl__stmt_end(const sl__file *f, size_t i)
{
    return sl__t(f, i)->kind == SL__TK_NEWLINE || sl__op(f, i, ";");
}

/* import a.b as c, d */
static size_t sl__py_import(sl__file *f, size_t i, size_t end)
{
    char buf[SL__NAME_MAX];
    size_t len;

    i++;
    while (i < end && !sl__stmt_end(f, i)) {
        size_t start = i;
        i = sl__dotted(f, i, end, buf, sizeof(buf), &len);
        if (len == 0) {
            i = i > start ? i : start + 1;
            continue;
        }
        if (sl__is_ffi_module(buf, len)) {
            sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
            sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
        }
        if (i + 1 < end && sl__kw(f, i, "as") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t n;
            const char *alias = sl__raw(f, i + 1, &n);
            sl__bind_name(f, alias, n, buf, len);
            i += 2;
        } else {
            size_t n;
            const char *first = sl__raw(f, start, &n);
            sl__bind_name(f, first, n, first, n);
        }
        if (i < end && sl__op(f, i, ",")) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* from a.b import c as d, e   /   from a import *   /   from . import x */
static size_t sl__py_from(sl__file *f, size_t i, size_t end)
{
    char module[SL__NAME_MAX];
    size_t mlen = 0;
    int relative = 0;
    size_t start;

    i++;
    while (i < end && (sl__op(f, i, ".") || sl__op(f, i, "..."))) {
        relative = 1;
        i++;
    }
    start = i;
    i = sl__dotted(f, i, end, module, sizeof(module), &mlen);
    if (mlen > 0 && sl__is_ffi_module(module, mlen)) {
        sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
        sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
    }
    if (i >= end || !sl__kw(f, i, "import")) {
        return i;
    }
    i++;
    while (i < end && !sl__stmt_end(f, i)) {
        size_t n;
        const char *name;
        if (sl__op(f, i, "(") || sl__op(f, i, ")") || sl__op(f, i, ",")) {
            i++;
            continue;
        }
        if (sl__op(f, i, "*")) {
            if (!relative && mlen > 0 && f->nstars < 8) {
                f->stars[f->nstars] = sl__fdup(f, module, mlen);
                f->nstars += f->stars[f->nstars] != NULL;
            }
            i++;
            continue;
        }
        if (sl__t(f, i)->kind != SL__TK_IDENT) {
            break;
        }
        name = sl__raw(f, i, &n);
        {
            char full[SL__NAME_MAX * 2];
            size_t flen = 0;
            const char *bind = name;
            size_t bind_len = n;
            if (mlen + n + 2 < sizeof(full)) {
                memcpy(full, module, mlen);
                full[mlen] = '.';
                memcpy(full + mlen + 1, name, n);
                flen = mlen + 1 + n;
            }
            if (i + 2 < end && sl__kw(f, i + 1, "as") && sl__t(f, i + 2)->kind == SL__TK_IDENT) {
                bind = sl__raw(f, i + 2, &bind_len);
                i += 2;
            }
            sl__bind_name(f, bind, bind_len, relative || flen == 0 ? NULL : full, flen);
        }
        i++;
    }
    return i;
}

/* Returns 1 when the token at `i` begins its line (no indentation). */
static int sl__at_column_one(const sl__file *f, size_t i)
{
    size_t off = sl__t(f, i)->off;
    return off == 0 || f->lx.src[off - 1] == '\n';
}

/* for a, b in EXPR: the targets take the flags of EXPR. */
static size_t sl__py_for(sl__file *f, size_t i, size_t end, int depth)
{
    size_t targets = i + 1;
    size_t in = targets;
    sl__val v;
    size_t k;

    while (in < end && !sl__kw(f, in, "in") && !sl__stmt_end(f, in) && in - targets < 32) {
        in++;
    }
    if (in >= end || !sl__kw(f, in, "in")) {
        return i + 1;
    }
    i = sl__eval_expr(f, in + 1, end, depth, &v);
    if (v.flags & SL__VF_ENV) {
        sl__fact(f, SL__F_ENV_WHOLE, sl__t(f, in)->off);
    }
    v.kind = SL__V_NONE;
    v.flags &= SL__VF_NETWORK | SL__VF_DECODED;
    for (k = targets; k < in; k++) {
        if (sl__t(f, k)->kind == SL__TK_IDENT) {
            size_t n;
            const char *s = sl__raw(f, k, &n);
            sl__var_set(f, s, n, &v);
        }
    }
    return i;
}

/* with EXPR as NAME, EXPR as NAME: */
static size_t sl__py_with(sl__file *f, size_t i, size_t end, int depth)
{
    sl__val v;

    i++;
    while (i < end && !sl__op(f, i, ":") && !sl__stmt_end(f, i)) {
        size_t before = i;
        if (sl__op(f, i, ",") || sl__op(f, i, "(") || sl__op(f, i, ")")) {
            i++;
            continue;
        }
        i = sl__eval_expr(f, i, end, depth, &v);
        if (i + 1 < end && sl__kw(f, i, "as") && sl__t(f, i + 1)->kind == SL__TK_IDENT) {
            size_t n;
            const char *s = sl__raw(f, i + 1, &n);
            sl__var_set(f, s, n, &v);
            i += 2;
        }
        if (i == before) {
            i++;
        }
    }
    return i;
}

/* Stores the value of an assignment into each plain name target. */
static void sl__assign(sl__file *f, const size_t *names, size_t count, sl__val *v, int aug)
{
    size_t k;

    if (count > 1) {
        v->kind = SL__V_NONE;
        v->flags &= SL__VF_NETWORK | SL__VF_DECODED | SL__VF_ENV;
    }
    for (k = 0; k < count; k++) {
        size_t n;
        const char *s = sl__raw(f, names[k], &n);
        if (aug) {
            const sl__val *old = sl__var_get(f, s, n);
            sl__val cur;
            if (old == NULL) {
                sl__val_none(&cur, v->off);
            } else {
                cur = *old;
            }
            sl__concat(f, &cur, v);
            sl__var_set(f, s, n, &cur);
        } else {
            sl__var_set(f, s, n, v);
        }
    }
}

/* a = b = EXPR, a, b = EXPR, a: T = EXPR, a += EXPR. Returns `i` when not an assignment. */
static size_t sl__py_assign(sl__file *f, size_t i, size_t end, int depth)
{
    size_t names[8];
    size_t count = 0;
    size_t j = i;
    int aug = 0;
    sl__val v;

    for (;;) {
        size_t group = count;
        while (j < end && sl__t(f, j)->kind == SL__TK_IDENT && !sl__is_keyword(f, j)) {
            if (count < 8) {
                names[count++] = j;
            }
            j++;
            if (j < end && sl__op(f, j, ",")) {
                j++;
                continue;
            }
            break;
        }
        if (count == group || j >= end) {
            return i;
        }
        if (sl__op(f, j, ":") && count == 1) {
            /* annotation: skip to `=` on this line */
            while (j < end && !sl__op(f, j, "=") && !sl__stmt_end(f, j)) {
                j++;
            }
        }
        if (j < end && sl__op(f, j, "=")) {
            j++;
            if (j + 1 < end && sl__t(f, j)->kind == SL__TK_IDENT && sl__op(f, j + 1, "=")) {
                continue; /* chained a = b = ... */
            }
            break;
        }
        if (j < end && sl__op(f, j, "+=") && count == 1) {
            aug = 1;
            j++;
            break;
        }
        return i;
    }
    j = sl__eval_expr(f, j, end, depth, &v);
    sl__assign(f, names, count, &v, aug);
    return j;
}

/* Handles a Python statement keyword or assignment at `i`; returns `i` when there is
 * none, so the caller evaluates an expression instead. */
static size_t sl__py_statement(sl__file *f, size_t i, size_t end, int depth)
{
    const sl__tok *t = sl__t(f, i);
    size_t n;
    const char *s;

    if (t->kind == SL__TK_STRING) {
        size_t j = i;
        while (j < end && sl__t(f, j)->kind == SL__TK_STRING) {
            j++;
        }
        if (j >= end || sl__stmt_end(f, j)) {
            /* a docstring: text, not data */
            sl__val v;
            f->display++;
            j = sl__eval_expr(f, i, end, depth, &v);
            f->display--;
            return j;
        }
        return i;
    }
    if (t->kind != SL__TK_IDENT) {
        return i;
    }
    s = sl__raw(f, i, &n);
    if (sl__streq(s, n, "import")) {
        return sl__py_import(f, i, end);
    }
    if (sl__streq(s, n, "from")) {
        return sl__py_from(f, i, end);
    }
    if ((sl__streq(s, n, "def") || sl__streq(s, n, "class")) && i + 1 < end &&
        sl__t(f, i + 1)->kind == SL__TK_IDENT) {
        if (sl__at_column_one(f, i)) {
            size_t len;
            const char *name = sl__raw(f, i + 1, &len);
            sl__bind_name(f, name, len, NULL, 0);
        }
        return i + 2;
    }
    if (sl__streq(s, n, "async")) {
        return i + 1 < end ? sl__py_statement(f, i + 1, end, depth) : i + 1;
    }
    if (sl__streq(s, n, "global") || sl__streq(s, n, "nonlocal")) {
        while (i < end && !sl__stmt_end(f, i)) {
            i++;
        }
        return i;
    }
    if (sl__streq(s, n, "for")) {
        return sl__py_for(f, i, end, depth);
    }
    if (sl__streq(s, n, "with")) {
        return sl__py_with(f, i, end, depth);
    }
    return sl__py_assign(f, i, end, depth);
}

/* The module a JavaScript import or require names, normalized. */
static void sl__js_module_bind(sl__file *f, const char *local, size_t local_len,
                               const char *module, size_t mlen, const char *member,
                               size_t member_len)
{
    sl__val v;

    sl__val_none(&v, 0);
    sl__val_set_name(f, &v, module, mlen, member, member_len);
    sl__var_set(f, local, local_len, &v);
}

/* import X from "m"; import * as X from "m"; import {a as b} from "m"; import "m" */
static size_t sl__js_import(sl__file *f, size_t i, size_t end)
{
    static const char *const ffi_modules[] = {"ffi-napi", "ffi", "node-ffi", "koffi", NULL};
    size_t start = i;
    size_t from = 0;
    size_t k;
    const char *module;
    size_t mlen;

    i++;
    for (k = i; k < end && k - i < 512 && !sl__op(f, k, ";"); k++) {
        if (sl__t(f, k)->kind == SL__TK_STRING) {
            from = k;
            break;
        }
    }
    if (from == 0) {
        return i;
    }
    module = sl__tok_text(&f->lx, from, &mlen);
    sl__name_normalize(&module, &mlen);
    if (sl__streq(module, mlen, "fs/promises")) {
        mlen = 2;
    }
    if (sl__in_words(module, mlen, ffi_modules)) {
        sl__emit(f, SL__C_FFI, sl__t(f, start)->off);
        sl__fact(f, SL__F_CTYPES, sl__t(f, start)->off);
    }
    for (k = i; k < from; k++) {
        size_t n;
        const char *s;
        if (sl__t(f, k)->kind != SL__TK_IDENT || sl__is_keyword(f, k) || sl__kw(f, k, "from") ||
            sl__kw(f, k, "type")) {
            continue;
        }
        s = sl__raw(f, k, &n);
        if (k > i && sl__kw(f, k - 1, "as")) {
            if (k >= i + 2 && sl__op(f, k - 2, "*")) {
                sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
            } else if (k >= i + 2 && sl__t(f, k - 2)->kind == SL__TK_IDENT) {
                size_t m;
                const char *member = sl__raw(f, k - 2, &m);
                sl__js_module_bind(f, s, n, module, mlen, member, m);
            }
        } else if (k + 1 < from && sl__kw(f, k + 1, "as")) {
            continue;
        } else if (k > i && (sl__op(f, k - 1, "{") || sl__op(f, k - 1, ","))) {
            /* a named import, unless it is the default one before a comma */
            int named = 0;
            size_t b;
            for (b = k; b > i; b--) {
                if (sl__op(f, b - 1, "{")) {
                    named = 1;
                    break;
                }
                if (sl__op(f, b - 1, "}")) {
                    break;
                }
            }
            if (named) {
                sl__js_module_bind(f, s, n, module, mlen, s, n);
            } else {
                sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
            }
        } else {
            sl__js_module_bind(f, s, n, module, mlen, NULL, 0);
        }
    }
    return from + 1;
}

/* const {a, b: c} = EXPR: each local gets the member of EXPR's name. */
static void sl__js_destructure(sl__file *f, size_t open, size_t close, const sl__val *v)
{
    size_t k;

    for (k = open + 1; k < close; k++) {
        size_t n;
        size_t m;
        const char *key;
        const char *local;
        sl__val item;
        if (sl__t(f, k)->kind != SL__TK_IDENT || (k > open + 1 && !sl__op(f, k - 1, ",") &&
                                                   !sl__op(f, k - 1, "{"))) {
            continue;
        }
        key = sl__raw(f, k, &n);
        local = key;
        m = n;
        if (k + 2 < close && sl__op(f, k + 1, ":") && sl__t(f, k + 2)->kind == SL__TK_IDENT) {
            local = sl__raw(f, k + 2, &m);
        }
        item = *v;
        if (v->kind == SL__V_NAME) {
            sl__val_set_name(f, &item, v->s, v->len, key, n);
        } else {
            item.kind = SL__V_NONE;
        }
        sl__var_set(f, local, m, &item);
    }
}

/* const|let|var declarations. */
static size_t sl__js_declare(sl__file *f, size_t i, size_t end, int depth)
{
    sl__val v;

    i++;
    while (i < end && f->scan->status == SL_OK) {
        size_t name = i;
        size_t open = 0;
        size_t close = 0;
        if (sl__t(f, i)->kind == SL__TK_IDENT && !sl__is_keyword(f, i)) {
            i++;
        } else if (sl__op(f, i, "{") || sl__op(f, i, "[")) {
            open = i;
            close = sl__close_of(f, i, end);
            i = close + 1;
        } else {
            return i;
        }
        if (i < end && sl__op(f, i, ":")) {
            while (i < end && !sl__op(f, i, "=") && !sl__op(f, i, ",") && !sl__op(f, i, ";")) {
                i = (sl__op(f, i, "(") || sl__op(f, i, "[") || sl__op(f, i, "{"))
                        ? sl__close_of(f, i, end) + 1 : i + 1;
            }
        }
        if (i < end && sl__op(f, i, "=")) {
            i = sl__eval_expr(f, i + 1, end, depth, &v);
            if (open != 0 && sl__op(f, open, "{")) {
                sl__js_destructure(f, open, close, &v);
            } else if (open == 0) {
                size_t n;
                const char *s = sl__raw(f, name, &n);
                sl__var_set(f, s, n, &v);
            }
        }
        if (i < end && sl__op(f, i, ",")) {
            i++;
            continue;
        }
        return i;
    }
    return i;
}

static size_t sl__js_statement(sl__file *f, size_t i, size_t end, int depth)
{
    size_t n;
    const char *s;

    if (sl__t(f, i)->kind != SL__TK_IDENT) {
        return i;
    }
    s = sl__raw(f, i, &n);
    if (sl__streq(s, n, "export")) {
        i++;
        if (i < end && sl__kw(f, i, "default")) {
            i++;
        }
        return i < end ? sl__js_statement(f, i, end, depth) : i;
    }
    if (sl__streq(s, n, "const") || sl__streq(s, n, "let") || sl__streq(s, n, "var")) {
        return sl__js_declare(f, i, end, depth);
    }
    if (sl__streq(s, n, "import") && i + 1 < end && !sl__op(f, i + 1, "(") &&
        !sl__op(f, i + 1, ".")) {
        return sl__js_import(f, i, end);
    }
    if (i + 1 < end && sl__op(f, i + 1, "=") && !sl__is_keyword(f, i)) {
        sl__val v;
        size_t j = sl__eval_expr(f, i + 2, end, depth, &v);
        sl__var_set(f, s, n, &v);
        return j;
    }
    return i;
}

/* Evaluates every expression in [i, end). With `stmt` set, statements (imports,
 * assignments, declarations) are recognised at their starts. Returns the union of the
 * value flags seen; `last` (may be NULL) gets the last expression's value. */
static unsigned sl__eval_seq(sl__file *f, size_t i, size_t end, int depth, int stmt,
                             sl__val *last)
{
    unsigned flags = 0;
    int at_start = 1;
    sl__val v;

    if (last != NULL) {
        sl__val_none(last, i < end ? sl__t(f, i)->off : 0);
    }
    while (i < end && f->scan->status == SL_OK) {
        size_t j;
        if (sl__is_term(f, i)) {
            if (stmt && (sl__t(f, i)->kind == SL__TK_NEWLINE || sl__op(f, i, ";") ||
                         sl__op(f, i, ":"))) {
                at_start = 1;
            }
            i++;
            continue;
        }
        if (stmt && at_start) {
            at_start = 0;
            j = f->language == SL__PY ? sl__py_statement(f, i, end, depth)
                                      : sl__js_statement(f, i, end, depth);
            if (j != i) {
                i = j;
                continue;
            }
        }
        j = sl__eval_expr(f, i, end, depth, &v);
        if (j == i) {
            j++;
        }
        flags |= v.flags;
        if (last != NULL) {
            *last = v;
        }
        if (stmt && j < end && !sl__is_term(f, j)) {
            at_start = 1;
        }
        i = j;
    }
    return flags;
}

/* ---------------------------------------------------------------- sub-scans --- */

/* A string found to be code (a shell command, an exec() argument, a Markdown code block),
 * analyzed after the current text so the C stack does not grow with it. */
typedef struct sl__sub {
    int language;
    const char *text;
    size_t len;
    int exact;      /* offsets map onto the root (heredocs and code blocks) */
    size_t base;    /* root offset of text[0] when exact */
    size_t anchor;  /* root offset that findings go to otherwise */
    struct sl__sub *next;
} sl__sub;

static void sl__subscan_push(sl__file *f, int language, const char *s, size_t len, int exact,
                             size_t base, size_t anchor)
{
    sl__sub *e;

    if (f->depth >= SL__SUBSCAN_DEPTH || len == 0 || language == 0) {
        return;
    }
    e = (sl__sub *)sl__arena_calloc(&f->arena, sizeof(sl__sub));
    if (e == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    e->language = language;
    e->text = s;
    e->len = len;
    e->exact = exact;
    e->base = base;
    e->anchor = anchor;
    if (f->sub_tail != NULL) {
        f->sub_tail->next = e;
    } else {
        f->sub_head = e;
    }
    f->sub_tail = e;
}

/* Queues a string value (decoded, so positions inside it are not in the file). */
static void sl__subscan_queue(sl__file *f, int language, const char *s, size_t len,
                              size_t off)
{
    sl__subscan_push(f, language, s, len, 0, 0, sl__root_offset(f, off));
}

/* Queues bytes [off, off + len) of this file's own text, keeping exact positions. */
static void sl__subscan_range(sl__file *f, int language, size_t off, size_t len)
{
    sl__subscan_push(f, language, f->lx.src + off, len, f->exact, sl__root_offset(f, off),
                     sl__root_offset(f, off));
}

/* ------------------------------------------------------- python, javascript --- */

/* Rules that need two things seen anywhere in the same file. */
static void sl__combined_rules(sl__file *f)
{
    /* socket + dup2 + a shell, or socket + pty.spawn, or socket + spawn("/bin/sh") */
    if (sl__has(f, SL__F_SOCKET) &&
        ((sl__has(f, SL__F_DUP2) && (sl__has(f, SL__F_PROCESS) || sl__has(f, SL__F_SHELLSTR))) ||
         sl__has(f, SL__F_PTY) || (sl__has(f, SL__F_PROCESS) && sl__has(f, SL__F_SHELLSTR)))) {
        int at = sl__has(f, SL__F_DUP2) ? SL__F_DUP2
                 : sl__has(f, SL__F_PTY) ? SL__F_PTY : SL__F_PROCESS;
        sl__emit_root(f, SL__C_REVERSE_SHELL, f->fact_at[at]);
    }
    if (sl__has(f, SL__F_MKFIFO) && sl__has(f, SL__F_NETCAT)) {
        sl__emit_root(f, SL__C_REVERSE_SHELL, f->fact_at[SL__F_MKFIFO]);
    }
    if (sl__has(f, SL__F_ENV_WHOLE) && sl__has(f, SL__F_NETWORK)) {
        sl__emit_root(f, SL__C_ENV_EXFIL, f->fact_at[SL__F_ENV_WHOLE]);
    }
    /* a download saved to a file that is then made executable */
    /* JavaScript saves downloads in callbacks the evaluator does not follow, so any file
     * write counts there; Python needs network data seen reaching the file */
    if ((sl__has(f, SL__F_DOWNLOAD_FILE) ||
         (f->language == SL__JS && sl__has(f, SL__F_NETWORK) && sl__has(f, SL__F_WRITE_FILE))) &&
        sl__has(f, SL__F_CHMOD_EXEC)) {
        sl__emit_root(f, SL__C_DOWNLOAD_EXEC, f->fact_at[SL__F_CHMOD_EXEC]);
    }
    if (f->language == SL__JS && sl__has(f, SL__F_NETWORK) && sl__has(f, SL__F_DYN_EVAL)) {
        /* callback style: https.get(url, r => r.on("data", d => eval(d))) */
        sl__emit_root(f, SL__C_DOWNLOAD_EXEC, f->fact_at[SL__F_DYN_EVAL]);
    }
    if (sl__has(f, SL__F_CTYPES) && sl__has(f, SL__F_EXEC_MEM)) {
        sl__emit_root(f, SL__C_NATIVE_EXEC, f->fact_at[SL__F_EXEC_MEM]);
    }
}

static void sl__analyze_code(sl__file *f)
{
    sl__eval_seq(f, 0, f->lx.ntok, 0, 1, NULL);
    while (f->npending > 0 && f->scan->status == SL_OK) {
        size_t stmt = f->pending[--f->npending];
        size_t end = f->pending[--f->npending];
        size_t start = f->pending[--f->npending];
        sl__eval_seq(f, start, end, 0, (int)stmt, NULL);
    }
}

/* -------------------------------------------------------------------- shell --- */

/* Traits a finished command adds to its pipeline and substitution. */
#define SL__T_DOWNLOAD 0x01  /* writes downloaded data to stdout (curl, wget -O-) */
#define SL__T_DECODE 0x02    /* decodes its input (base64 -d, xxd -r, rev, rot13 tr) */
#define SL__T_INTERP 0x04    /* runs code from stdin or an argument */
#define SL__T_NETCAT 0x08    /* a raw network pipe (nc, telnet, socat) */
#define SL__T_ENVDUMP 0x10   /* prints the whole environment */
#define SL__T_NETWORK 0x20

typedef struct sl__sh_cmd {
    size_t first;       /* first token */
    long name;          /* token of the command name, -1 before it is seen */
    int skip_opts;      /* after sudo/env/...: option words still to skip */
    int skip_next;      /* the next word is an option's value */
    int name_pos_sub;   /* a substitution is where the name would be */
    unsigned name_sub;  /* traits of that substitution */
    unsigned arg_sub;   /* traits of substitutions among the arguments */
    unsigned procsub;   /* traits of <( ) arguments */
    long heredoc;       /* token of a << redirection, -1 */
    long prefix;        /* first prefix word (sudo, env, ...), -1 when none */
    int piped;          /* came after | */
} sl__sh_cmd;

typedef struct sl__sh_frame {
    sl__sh_cmd cmd;
    unsigned pipe;      /* traits of the earlier commands of the current pipeline */
    unsigned all;       /* traits of every command in the frame */
    int name_pos;       /* this substitution opened in name position */
    int procsub;        /* this is <( ) or >( ) */
} sl__sh_frame;

/* Here-documents waiting for their body, by redirection token. */
typedef struct sl__sh_doc {
    long redir;
    int language;       /* interpreter that reads the body, 0 for data */
} sl__sh_doc;

typedef struct sl__sh_state {
    sl__file *f;
    sl__sh_frame frames[SL__LEX_MAX_NEST + 1];
    int nframes;
    sl__sh_doc docs[SL__LEX_MAX_HEREDOCS];
    int ndocs;
} sl__sh_state;

static const char *sl__word(const sl__file *f, size_t i, size_t *len)
{
    return sl__tok_text(&f->lx, i, len);
}

static void sl__basename(const char **s, size_t *len)
{
    size_t k = *len;

    while (k > 0 && (*s)[k - 1] != '/') {
        k--;
    }
    *s += k;
    *len -= k;
}

static void sl__cmd_reset(sl__sh_cmd *c, size_t first, int piped)
{
    memset(c, 0, sizeof(*c));
    c->first = first;
    c->name = -1;
    c->heredoc = -1;
    c->prefix = -1;
    c->piped = piped;
}

/* Iterates the argument words of a command: skips substitutions and redirection
 * targets. Returns the next argument token at or after `k`, or `end`. */
static size_t sl__next_arg(const sl__file *f, size_t k, size_t end)
{
    while (k < end) {
        const sl__tok *t = sl__t(f, k);
        if (t->kind == SL__TK_WORD) {
            if (k > 0 && sl__t(f, k - 1)->kind == SL__TK_REDIR) {
                k++;
                continue;
            }
            return k;
        }
        if (t->kind == SL__TK_SUB_OPEN && t->match > (int32_t)k) {
            k = (size_t)t->match + 1;
            continue;
        }
        k++;
    }
    return end;
}

/* Returns 1 when some argument word equals one of `words`. */
static int sl__has_arg(const sl__file *f, const sl__sh_cmd *c, size_t end,
                       const char *const *words)
{
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        if (sl__in_words(w, len, words)) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when some argument word contains `needle` (case-insensitive, lowercase). */
static int sl__arg_contains(const sl__file *f, const sl__sh_cmd *c, size_t end,
                            const char *needle)
{
    size_t n = strlen(needle);
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        size_t j;
        const char *w = sl__word(f, k, &len);
        for (j = 0; j + n <= len; j++) {
            if (sl__eq_nocase(w + j, needle, n)) {
                return 1;
            }
        }
    }
    return 0;
}

static size_t sl__arg_count(const sl__file *f, const sl__sh_cmd *c, size_t end)
{
    size_t count = 0;
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        count++;
    }
    return count;
}

/* Returns 1 when a single-dash option cluster (-rf) or a long option contains `letter`. */
static int sl__has_flag(const sl__file *f, const sl__sh_cmd *c, size_t end, char letter,
                        const char *long_opt)
{
    size_t k;

    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        if (len >= 2 && w[0] == '-' && w[1] != '-' && memchr(w + 1, letter, len - 1) != NULL) {
            return 1;
        }
        if (long_opt != NULL && sl__streq(w, len, long_opt)) {
            return 1;
        }
    }
    return 0;
}

/* A command name written so a reader does not see it: escapes, or quotes around part of
 * it (c"u"rl). Fully quoted names ("./run.sh") are ordinary. */
/* Returns 1 when the decoded word can name a program (`curl`, `/usr/bin/nc`, `x86_64-gcc`):
 * two or more of letters, digits and `_.+/-`, one of them a letter. JSON in a Markdown code
 * span (`{"result": 42}`) or a `$'\t'` case pattern decodes to something else. */
static int sl__scan_command_like(const char *w, size_t len)
{
    size_t k;
    int letter = 0;

    if (len < 2) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        char c = w[k];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            letter = 1;
        } else if (!(c >= '0' && c <= '9') && strchr("_.+/-", c) == NULL) {
            return 0;
        }
    }
    return letter;
}

static int sl__name_obfuscated(const sl__file *f, size_t i)
{
    const sl__tok *t = sl__t(f, i);
    const char *raw = f->lx.src + t->off;
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (!sl__scan_command_like(w, len)) {
        return 0;
    }
    if (t->flags & SL__TF_ESCAPED) {
        return 1;
    }
    if (t->len == len && memcmp(raw, w, len) == 0) {
        return 0;
    }
    if (t->len == len + 2 && (raw[0] == '"' || raw[0] == '\'') && raw[t->len - 1] == raw[0] &&
        memcmp(raw + 1, w, len) == 0) {
        return 0;
    }
    return len > 0;
}

/* Returns the language that an interpreter command runs, 0 when the scanner does not read
 * that language. `*kind` is 1 for any interpreter and 0 for other commands. */
static int sl__sh_interp(const char *s, size_t len, int *kind)
{
    static const char *const others[] = {
        "perl", "ruby", "php", "lua", "pwsh", "powershell", "osascript", "tclsh", NULL
    };
    int lang = sl__interpreter(s, len);

    *kind = lang != 0 || sl__in_words(s, len, others) || sl__starts(s, len, "python") ||
            sl__starts(s, len, "perl") || sl__starts(s, len, "ruby");
    return lang;
}

/* Checks a word used as a path that the command writes or deletes. */
static void sl__sh_write_target(sl__file *f, size_t k)
{
    size_t len;
    const char *w = sl__word(f, k, &len);

    if (sl__path_outside(w, len)) {
        sl__emit(f, SL__C_WRITE_OUTSIDE, sl__t(f, k)->off);
    }
}

/* rm -r with the root, home or a system folder as target. */
static int sl__rm_destroys(const char *w, size_t len)
{
    static const char *const targets[] = {
        "/", "/*", "~", "~/", "~/*", "$HOME", "${HOME}", "$HOME/", "$HOME/*", "${HOME}/",
        "/home", "/etc", "/usr", "/var", "/boot", "/bin", "/lib", "/root", "/opt", "/srv",
        "--no-preserve-root", NULL
    };
    return sl__in_words(w, len, targets);
}

/* Network commands. Returns their traits. */
static unsigned sl__sh_network(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                               size_t bl, size_t off)
{
    static const char *const downloaders[] = {
        "curl", "wget", "fetch", "aria2c", "lwp-download", "lwp-request", "http", "https",
        "xh", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", NULL
    };
    static const char *const netcats[] = {"nc", "ncat", "netcat", "socat", "telnet", NULL};
    static const char *const remote[] = {
        "ssh", "scp", "sftp", "ftp", "tftp", "smbclient", "nmap", "rsync", NULL
    };
    static const char *const exec_opts[] = {
        "-e", "-c", "--exec", "--sh-exec", "--lua-exec", NULL
    };
    static const char *const out_opts[] = {"-o", "-O", "--output", "--remote-name", NULL};
    static const char *const stdout_opts[] = {"-O-", "-qO-", "-O", "-", NULL};

    if (sl__in_words(b, bl, downloaders)) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        if (sl__streq(b, bl, "wget") ? !sl__has_arg(f, c, end, stdout_opts)
                                     : sl__has_arg(f, c, end, out_opts)) {
            sl__fact(f, SL__F_DOWNLOAD_FILE, off);
        }
        return SL__T_DOWNLOAD | SL__T_NETWORK;
    }
    if (sl__in_words(b, bl, netcats)) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        sl__fact(f, SL__F_NETCAT, off);
        if ((!sl__streq(b, bl, "socat") && sl__has_arg(f, c, end, exec_opts)) ||
            (sl__streq(b, bl, "socat") && (sl__arg_contains(f, c, end, "exec:") ||
                                           sl__arg_contains(f, c, end, "system:")))) {
            sl__emit(f, SL__C_REVERSE_SHELL, off);
        }
        return SL__T_NETCAT | SL__T_NETWORK;
    }
    if (sl__in_words(b, bl, remote) &&
        (!sl__streq(b, bl, "rsync") || sl__arg_contains(f, c, end, ":"))) {
        sl__emit(f, SL__C_NETWORK, off);
        sl__fact(f, SL__F_NETWORK, off);
        return SL__T_NETWORK;
    }
    return 0;
}

/* Interpreters: code from a pipe, a substitution, -c, <( ) or a here-document. */
static unsigned sl__sh_interpreter(sl__sh_state *st, const sl__sh_cmd *c, size_t end,
                                   const char *b, size_t bl, size_t off, unsigned pipe)
{
    sl__file *f = st->f;
    int any;
    int lang = sl__sh_interp(b, bl, &any);
    size_t k;

    if (!any) {
        return 0;
    }
    if (c->piped && (pipe & SL__T_DOWNLOAD)) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->piped && (pipe & SL__T_DECODE)) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    if (c->piped && (pipe & SL__T_NETCAT)) {
        sl__emit(f, SL__C_REVERSE_SHELL, off);
    }
    if (c->procsub & SL__T_DOWNLOAD) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->procsub & SL__T_DECODE) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        size_t code;
        if (!sl__streq(w, len, "-c") && !sl__streq(w, len, "-e") &&
            !sl__streq(w, len, "--eval") && !sl__streq(w, len, "-ic")) {
            continue;
        }
        code = k + 1;
        if (c->arg_sub & (SL__T_DOWNLOAD | SL__T_DECODE)) {
            /* sh -c "$(curl ...)" */
            sl__emit(f, (c->arg_sub & SL__T_DOWNLOAD) ? SL__C_DOWNLOAD_EXEC : SL__C_DECODE_EXEC,
                     off);
        }
        if (code < end && sl__t(f, code)->kind == SL__TK_SUB_OPEN) {
            sl__emit(f, SL__C_DYNAMIC_CODE, off);
        } else if (code < end && sl__t(f, code)->kind == SL__TK_WORD) {
            const sl__tok *t = sl__t(f, code);
            if ((t->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT)) != 0) {
                sl__emit(f, SL__C_DYNAMIC_CODE, off);
            }
            if (lang != 0) {
                const char *s = sl__word(f, code, &len);
                sl__subscan_queue(f, lang, s, len, t->off);
            }
        }
        break;
    }
    if (c->heredoc >= 0 && lang != 0 && st->ndocs < SL__LEX_MAX_HEREDOCS) {
        st->docs[st->ndocs].redir = c->heredoc;
        st->docs[st->ndocs].language = lang;
        st->ndocs++;
    }
    return SL__T_INTERP;
}

/* eval, source and ., and commands whose name is computed. */
static void sl__sh_eval(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                        size_t bl, size_t off, unsigned pipe)
{
    size_t k;
    int literal = 1;
    sl_buf code;

    if (sl__streq(b, bl, "source") || sl__streq(b, bl, ".")) {
        if ((c->procsub & SL__T_DOWNLOAD) || (c->arg_sub & SL__T_DOWNLOAD) ||
            (c->piped && (pipe & SL__T_DOWNLOAD))) {
            sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
        }
        if ((c->procsub & SL__T_DECODE) || (c->piped && (pipe & SL__T_DECODE))) {
            sl__emit(f, SL__C_DECODE_EXEC, off);
        }
        return;
    }
    if (!sl__streq(b, bl, "eval")) {
        return;
    }
    sl__emit(f, SL__C_DYNAMIC_CODE, off);
    if (c->arg_sub & SL__T_DOWNLOAD) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
    }
    if (c->arg_sub & SL__T_DECODE) {
        sl__emit(f, SL__C_DECODE_EXEC, off);
    }
    /* eval of literal text: scan the text as shell */
    sl_buf_init(&code, &f->arena.alloc);
    for (k = (size_t)c->name + 1; k < end; k++) {
        const sl__tok *t = sl__t(f, k);
        size_t len;
        const char *w;
        if (t->kind != SL__TK_WORD || (t->flags & SL__TF_DYNAMIC)) {
            literal = t->kind == SL__TK_WORD;
            if (!literal) {
                break;
            }
            continue;
        }
        w = sl__word(f, k, &len);
        sl_buf_append(&code, w, len);
        sl_buf_putc(&code, ' ');
    }
    if (literal && code.len > 0 && !code.failed) {
        char *copy = sl__fdup(f, code.data, code.len);
        if (copy != NULL) {
            sl__subscan_queue(f, SL__SH, copy, code.len, off);
        }
    }
    sl_buf_free(&code);
}

/* Decoders; returns SL__T_DECODE when the command decodes. */
static unsigned sl__sh_decoder(const sl__file *f, const sl__sh_cmd *c, size_t end,
                               const char *b, size_t bl)
{
    static const char *const always[] = {
        "gunzip", "zcat", "bunzip2", "unxz", "xzcat", "uudecode", "rev", "lzcat", NULL
    };
    static const char *const decode_opts[] = {"-d", "--decode", "-D", "-r", "-rp", "-pr",
                                              NULL};
    size_t k;

    if (sl__in_words(b, bl, always)) {
        return SL__T_DECODE;
    }
    if ((sl__streq(b, bl, "base64") || sl__streq(b, bl, "base32") || sl__streq(b, bl, "basenc") ||
         sl__streq(b, bl, "xxd") || sl__streq(b, bl, "gzip") || sl__streq(b, bl, "bzip2") ||
         sl__streq(b, bl, "xz") || sl__streq(b, bl, "openssl")) &&
        sl__has_arg(f, c, end, decode_opts)) {
        return SL__T_DECODE;
    }
    if (sl__streq(b, bl, "tr") && sl__arg_contains(f, c, end, "n-za-m")) {
        return SL__T_DECODE;
    }
    if (sl__streq(b, bl, "printf") || sl__streq(b, bl, "echo")) {
        for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
             k = sl__next_arg(f, k + 1, end)) {
            const sl__tok *t = sl__t(f, k);
            const char *raw = f->lx.src + t->off;
            size_t j;
            for (j = 0; j + 2 < t->len; j++) {
                if (raw[j] == '\\' && (raw[j + 1] == 'x' || raw[j + 1] == '0' ||
                                       (raw[j + 1] >= '1' && raw[j + 1] <= '7'))) {
                    return SL__T_DECODE;
                }
            }
            if (t->flags & SL__TF_ESCAPED) {
                return SL__T_DECODE;
            }
        }
    }
    return 0;
}

/* Persistence, protections switched off, privileges. */
static void sl__sh_system(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                          size_t bl, size_t off)
{
    static const char *const only_list[] = {"-l", NULL};
    static const char *const enable[] = {"enable", "link", NULL};
    static const char *const disable[] = {"stop", "disable", "mask", "kill", NULL};
    static const char *const guards[] = {
        "firewalld", "ufw", "apparmor", "auditd", "iptables", "nftables", "fail2ban",
        "clamav-daemon", "falcon-sensor", "osqueryd", "wazuh-agent", "selinux", NULL
    };
    static const char *const launch[] = {"load", "bootstrap", "submit", "enable", NULL};
    static const char *const flush[] = {"-F", "--flush", "-X", NULL};
    static const char *const privileged[] = {"su", "doas", "pkexec", "sudo", "runas", NULL};
    size_t nargs = sl__arg_count(f, c, end);

    if (sl__streq(b, bl, "crontab") &&
        !(nargs == 1 && sl__has_arg(f, c, end, only_list))) {
        sl__emit(f, SL__C_PERSISTENCE, off);
    } else if ((sl__streq(b, bl, "systemctl") && sl__has_arg(f, c, end, enable)) ||
               (sl__streq(b, bl, "launchctl") && sl__has_arg(f, c, end, launch)) ||
               sl__streq(b, bl, "update-rc.d") || sl__streq(b, bl, "chkconfig") ||
               sl__streq(b, bl, "rc-update") || sl__streq(b, bl, "at")) {
        sl__emit(f, SL__C_PERSISTENCE, off);
    }
    if ((sl__streq(b, bl, "systemctl") || sl__streq(b, bl, "service")) &&
        sl__has_arg(f, c, end, disable) && sl__has_arg(f, c, end, guards)) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
    if ((sl__streq(b, bl, "setenforce") && sl__arg_contains(f, c, end, "0")) ||
        (sl__streq(b, bl, "ufw") && sl__arg_contains(f, c, end, "disable")) ||
        ((sl__streq(b, bl, "iptables") || sl__streq(b, bl, "ip6tables")) &&
         (sl__has_arg(f, c, end, flush) || sl__arg_contains(f, c, end, "accept"))) ||
        (sl__streq(b, bl, "spctl") && sl__arg_contains(f, c, end, "--master-disable")) ||
        (sl__streq(b, bl, "csrutil") && sl__arg_contains(f, c, end, "disable")) ||
        (sl__streq(b, bl, "history") && sl__has_flag(f, c, end, 'c', NULL)) ||
        (sl__streq(b, bl, "unset") && sl__arg_contains(f, c, end, "histfile")) ||
        (sl__streq(b, bl, "set") && sl__arg_contains(f, c, end, "history") &&
         sl__arg_contains(f, c, end, "+o")) ||
        (sl__streq(b, bl, "auditctl") && (sl__has_flag(f, c, end, 'D', NULL) ||
                                          sl__arg_contains(f, c, end, "-e")))) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
    if (sl__in_words(b, bl, privileged)) {
        sl__emit(f, SL__C_PRIVILEGE, off);
    }
}

/* rm, cp, mv, tee, dd, mkfs, chmod. */
static void sl__sh_files(sl__file *f, const sl__sh_cmd *c, size_t end, const char *b,
                         size_t bl, size_t off)
{
    static const char *const last_is_dest[] = {"cp", "mv", "install", "ln", "rsync", NULL};
    static const char *const all_targets[] = {"tee", "touch", "mkdir", "truncate", "shred",
                                              NULL};
    size_t k;
    size_t last = end;

    if (sl__starts(b, bl, "mkfs") || sl__streq(b, bl, "wipefs")) {
        sl__emit(f, SL__C_DESTRUCTIVE, off);
        return;
    }
    for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
         k = sl__next_arg(f, k + 1, end)) {
        size_t len;
        const char *w = sl__word(f, k, &len);
        last = k;
        if (sl__streq(b, bl, "rm") && sl__has_flag(f, c, end, 'r', "--recursive") &&
            sl__rm_destroys(w, len)) {
            sl__emit(f, SL__C_DESTRUCTIVE, off);
        } else if (sl__streq(b, bl, "rm") && len > 0 && w[0] != '-') {
            sl__sh_write_target(f, k);
        }
        if (sl__streq(b, bl, "rm") && sl__has_flag(f, c, end, 'R', NULL) &&
            sl__rm_destroys(w, len)) {
            sl__emit(f, SL__C_DESTRUCTIVE, off);
        }
        if (sl__streq(b, bl, "dd") && sl__starts(w, len, "of=")) {
            if (sl__starts(w + 3, len - 3, "/dev/sd") || sl__starts(w + 3, len - 3, "/dev/nvme") ||
                sl__starts(w + 3, len - 3, "/dev/hd") || sl__starts(w + 3, len - 3, "/dev/vd") ||
                sl__starts(w + 3, len - 3, "/dev/xvd") ||
                sl__starts(w + 3, len - 3, "/dev/mmcblk")) {
                sl__emit(f, SL__C_DESTRUCTIVE, off);
            } else if (sl__path_outside(w + 3, len - 3)) {
                sl__emit(f, SL__C_WRITE_OUTSIDE, sl__t(f, k)->off);
            }
        }
        if (sl__in_words(b, bl, all_targets) && len > 0 && w[0] != '-') {
            sl__sh_write_target(f, k);
        }
        if (sl__streq(b, bl, "chmod")) {
            if (sl__streq(w, len, "+s") || sl__ends(w, len, "+s") ||
                (len == 4 && (w[0] == '4' || w[0] == '2' || w[0] == '6'))) {
                sl__emit(f, SL__C_PRIVILEGE, off);
            }
            if (sl__ends(w, len, "+x") || sl__streq(w, len, "755") || sl__streq(w, len, "777") ||
                sl__streq(w, len, "700") || sl__streq(w, len, "775") ||
                sl__streq(w, len, "0755")) {
                sl__fact(f, SL__F_CHMOD_EXEC, off);
            }
        }
    }
    if (last < end && sl__in_words(b, bl, last_is_dest)) {
        sl__sh_write_target(f, last);
    }
}

/* Assignment words (NAME=value) before a command or after export/declare. A literal
 * value is remembered, so `c=curl; $c url | sh` resolves the command name. */
static void sl__sh_assignment(sl__file *f, size_t k)
{
    size_t len;
    const char *w = sl__word(f, k, &len);
    size_t off = sl__t(f, k)->off;
    const char *eq = (const char *)memchr(w, '=', len);

    if (eq != NULL && eq > w && eq[-1] != '+' &&
        !(sl__t(f, k)->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT))) {
        sl__val v;
        sl__val_none(&v, off);
        v.kind = SL__V_STR;
        v.s = eq + 1;
        v.len = len - (size_t)(eq + 1 - w);
        sl__var_set(f, w, (size_t)(eq - w), &v);
    }

    if (sl__starts(w, len, "LD_PRELOAD=") || sl__starts(w, len, "LD_LIBRARY_PATH=/tmp") ||
        sl__starts(w, len, "DYLD_INSERT_LIBRARIES=")) {
        sl__emit(f, SL__C_LD_PRELOAD, off);
    }
    if (sl__streq(w, len, "HISTFILE=/dev/null") || sl__streq(w, len, "HISTFILE=") ||
        sl__streq(w, len, "HISTSIZE=0") || sl__streq(w, len, "HISTFILESIZE=0")) {
        sl__emit(f, SL__C_DISABLE_SAFETY, off);
    }
}

/* Analyzes the command of the top frame, which ends before token `end`, and folds its
 * traits into the frame's pipeline. */
static void sl__sh_finish(sl__sh_state *st, size_t end)
{
    static const char *const dumpers[] = {"env", "printenv", NULL};
    static const char *const declare[] = {"export", "declare", "typeset", "readonly", "local",
                                          NULL};
    sl__file *f = st->f;
    sl__sh_frame *fr = &st->frames[st->nframes - 1];
    sl__sh_cmd *c = &fr->cmd;
    unsigned traits = 0;
    const char *b;
    size_t bl;
    size_t off;
    size_t k;

    if (c->name < 0 && c->prefix >= 0 && !c->name_pos_sub) {
        /* a lone `env` prints the whole environment */
        size_t pl;
        const char *p = sl__word(f, (size_t)c->prefix, &pl);
        if (sl__streq(p, pl, "env")) {
            fr->pipe |= SL__T_ENVDUMP;
            fr->all |= SL__T_ENVDUMP;
            sl__fact(f, SL__F_ENV_WHOLE, sl__t(f, (size_t)c->prefix)->off);
        }
        return;
    }
    if (c->name < 0) {
        if (c->name_pos_sub) {
            /* $(...) as the command: what it prints is run */
            off = sl__t(f, c->first)->off;
            if (c->name_sub & SL__T_DECODE) {
                sl__emit(f, SL__C_DECODE_EXEC, off);
            }
            if (c->name_sub & SL__T_DOWNLOAD) {
                sl__emit(f, SL__C_DOWNLOAD_EXEC, off);
            }
        }
        return;
    }
    off = sl__t(f, (size_t)c->name)->off;
    b = sl__word(f, (size_t)c->name, &bl);
    if (bl > 1 && b[0] == '$' && (sl__t(f, (size_t)c->name)->flags & SL__TF_JOIN_NEXT) == 0) {
        /* $name or ${name} holding a literal command */
        const char *v = b + 1;
        size_t vl = bl - 1;
        const sl__val *val;
        if (vl > 2 && v[0] == '{' && v[vl - 1] == '}') {
            v++;
            vl -= 2;
        }
        val = sl__var_get(f, v, vl);
        if (val != NULL && val->kind == SL__V_STR) {
            b = val->s;
            bl = val->len;
        }
    }
    sl__basename(&b, &bl);
    if ((sl__t(f, (size_t)c->name)->flags & (SL__TF_DYNAMIC | SL__TF_JOIN_NEXT)) == 0 &&
        sl__name_obfuscated(f, (size_t)c->name)) {
        sl__emit(f, SL__C_OBF_COMMAND, off);
    }
    traits |= sl__sh_network(f, c, end, b, bl, off);
    traits |= sl__sh_interpreter(st, c, end, b, bl, off, fr->pipe);
    traits |= sl__sh_decoder(f, c, end, b, bl);
    sl__sh_eval(f, c, end, b, bl, off, fr->pipe);
    sl__sh_system(f, c, end, b, bl, off);
    sl__sh_files(f, c, end, b, bl, off);
    if ((sl__in_words(b, bl, dumpers) && sl__arg_count(f, c, end) == 0) ||
        (sl__streq(b, bl, "set") && sl__arg_count(f, c, end) == 0) ||
        (sl__streq(b, bl, "export") && sl__has_flag(f, c, end, 'p', NULL))) {
        traits |= SL__T_ENVDUMP;
        sl__fact(f, SL__F_ENV_WHOLE, off);
    }
    if ((fr->pipe & SL__T_ENVDUMP) && (traits & SL__T_NETWORK)) {
        sl__emit(f, SL__C_ENV_EXFIL, off);
    }
    if (sl__streq(b, bl, "mkfifo")) {
        sl__fact(f, SL__F_MKFIFO, off);
    }
    if (sl__in_words(b, bl, declare)) {
        for (k = sl__next_arg(f, (size_t)c->name + 1, end); k < end;
             k = sl__next_arg(f, k + 1, end)) {
            sl__sh_assignment(f, k);
        }
    }
    fr->pipe |= traits;
    fr->all |= traits;
}

static int sl__sh_reserved(const char *w, size_t len)
{
    static const char *const words[] = {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
        "esac", "in", NULL
    };
    return sl__in_words(w, len, words);
}

/* Words before the real command: sudo, env, nohup, timeout 5, xargs -I {} ... */
static int sl__sh_prefix(sl__file *f, sl__sh_cmd *c, size_t i)
{
    static const char *const prefixes[] = {
        "sudo", "doas", "env", "nohup", "exec", "command", "builtin", "time", "nice",
        "timeout", "xargs", "busybox", "stdbuf", "setsid", "ionice", "unbuffer", "nocorrect",
        NULL
    };
    static const char *const with_value[] = {
        "-u", "-g", "-n", "-I", "-P", "-L", "-d", "-s", "-E", "-C", "-p", "-k", "-c", "-i", NULL
    };
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (c->skip_next) {
        c->skip_next = 0;
        return 1;
    }
    if (c->skip_opts && len > 0 && w[0] == '-') {
        c->skip_next = sl__in_words(w, len, with_value);
        return 1;
    }
    if (c->skip_opts && len > 0 && w[0] >= '0' && w[0] <= '9') {
        return 1; /* timeout 10, nice 5 */
    }
    if (t->flags & SL__TF_JOIN_NEXT) {
        return 0;
    }
    if (sl__in_words(w, len, prefixes)) {
        if (sl__streq(w, len, "sudo") || sl__streq(w, len, "doas")) {
            sl__emit(f, SL__C_PRIVILEGE, t->off);
        }
        if (c->prefix < 0) {
            c->prefix = (long)i;
        }
        c->skip_opts = 1;
        return 1;
    }
    return 0;
}

/* Checks one word: needles, blobs, /proc/.../environ, and redirection targets. */
static void sl__sh_word(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    const sl__sh_cmd *c = &st->frames[st->nframes - 1].cmd;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);
    int redir = i > 0 && sl__t(f, i - 1)->kind == SL__TK_REDIR;
    int display = 0;

    if (!redir && c->name >= 0 && (size_t)c->name != i) {
        size_t bl;
        const char *b = sl__word(f, (size_t)c->name, &bl);
        sl__basename(&b, &bl);
        display = sl__streq(b, bl, "echo") || sl__streq(b, bl, "printf");
    }
    f->display += display;
    sl__check_string(f, w, len, t->off);
    f->display -= display;
    sl__check_opaque(f, w, len, t->off);
    if (sl__starts(w, len, "/proc/") && sl__ends(w, len, "/environ")) {
        sl__fact(f, SL__F_ENV_WHOLE, t->off);
    }
    if (redir) {
        size_t rl;
        const char *r = sl__raw(f, i - 1, &rl);
        if (memchr(r, '>', rl) != NULL && !(len > 0 && w[0] >= '0' && w[0] <= '9' && len <= 2)) {
            sl__sh_write_target(f, i);
        }
    }
}

/* A here-document body: scanned as code when an interpreter reads it, else as data. */
static void sl__sh_heredoc_body(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *body = sl__word(f, i, &len);
    int k;

    for (k = 0; k < st->ndocs; k++) {
        if (st->docs[k].redir == (long)t->match) {
            sl__subscan_range(f, st->docs[k].language, t->off, t->len);
            st->docs[k] = st->docs[--st->ndocs];
            return;
        }
    }
    sl__check_string(f, body, len, t->off);
    sl__check_opaque(f, body, len, t->off);
}

/* A word in command position or after it. */
static void sl__sh_command_word(sl__sh_state *st, size_t i)
{
    sl__file *f = st->f;
    sl__sh_cmd *c = &st->frames[st->nframes - 1].cmd;
    const sl__tok *t = sl__t(f, i);
    size_t len;
    const char *w = sl__word(f, i, &len);

    if (c->name >= 0 || c->name_pos_sub) {
        return;
    }
    if (t->flags & SL__TF_ASSIGN) {
        sl__sh_assignment(f, i);
        return;
    }
    if (!(t->flags & SL__TF_QUOTED) &&
        (sl__sh_reserved(w, len) || sl__streq(w, len, "$") || sl__streq(w, len, ">"))) {
        return;
    }
    if (sl__sh_prefix(f, c, i)) {
        return;
    }
    c->name = (long)i;
}

static void sl__sh_sub_open(sl__sh_state *st, size_t i)
{
    sl__sh_frame *parent = &st->frames[st->nframes - 1];
    sl__sh_frame *fr;

    if (st->nframes > SL__LEX_MAX_NEST) {
        return;
    }
    fr = &st->frames[st->nframes++];
    memset(fr, 0, sizeof(*fr));
    sl__cmd_reset(&fr->cmd, i + 1, 0);
    fr->procsub = (sl__t(st->f, i)->flags & SL__TF_PROCSUB) != 0;
    fr->name_pos = !fr->procsub && parent->cmd.name < 0 && !parent->cmd.name_pos_sub &&
                   !(i > 0 && sl__t(st->f, i - 1)->kind == SL__TK_WORD &&
                     (sl__t(st->f, i - 1)->flags & SL__TF_JOIN_NEXT));
}

static void sl__sh_sub_close(sl__sh_state *st, size_t i)
{
    sl__sh_frame *fr;
    sl__sh_cmd *pc;
    unsigned traits;

    if (st->nframes <= 1) {
        return;
    }
    sl__sh_finish(st, i);
    fr = &st->frames[st->nframes - 1];
    traits = fr->all | fr->pipe;
    st->nframes--;
    pc = &st->frames[st->nframes - 1].cmd;
    if (fr->name_pos) {
        pc->name_pos_sub = 1;
        pc->name_sub |= traits;
    } else if (fr->procsub) {
        pc->procsub |= traits;
    } else {
        pc->arg_sub |= traits;
    }
}

static void sl__analyze_shell(sl__file *f)
{
    sl__sh_state *st = (sl__sh_state *)sl__arena_calloc(&f->arena, sizeof(sl__sh_state));
    size_t i;

    if (st == NULL) {
        sl__scan_fail(f->scan, SL_ENOMEM);
        return;
    }
    st->f = f;
    st->nframes = 1;
    sl__cmd_reset(&st->frames[0].cmd, 0, 0);
    for (i = 0; i < f->lx.ntok && f->scan->status == SL_OK; i++) {
        const sl__tok *t = sl__t(f, i);
        sl__sh_frame *fr = &st->frames[st->nframes - 1];
        switch (t->kind) {
        case SL__TK_WORD:
            sl__sh_word(st, i);
            if (!(i > 0 && sl__t(f, i - 1)->kind == SL__TK_REDIR)) {
                sl__sh_command_word(st, i);
            }
            break;
        case SL__TK_SUB_OPEN:
            sl__sh_sub_open(st, i);
            break;
        case SL__TK_SUB_CLOSE:
            sl__sh_sub_close(st, i);
            break;
        case SL__TK_REDIR:
            if (sl__starts(f->lx.src + t->off, t->len, "<<") &&
                !sl__starts(f->lx.src + t->off, t->len, "<<<")) {
                fr->cmd.heredoc = (long)i + 1;
            }
            break;
        case SL__TK_HEREDOC:
            sl__sh_heredoc_body(st, i);
            break;
        case SL__TK_OP:
        case SL__TK_NEWLINE: {
            int pipe = t->kind == SL__TK_OP && (sl__op(f, i, "|") || sl__op(f, i, "|&"));
            if (t->kind == SL__TK_NEWLINE && fr->cmd.piped && fr->cmd.name < 0 &&
                fr->cmd.prefix < 0 && !fr->cmd.name_pos_sub) {
                break; /* `curl x |` then the next line: the pipeline goes on */
            }
            sl__sh_finish(st, i);
            if (!pipe) {
                fr->pipe = 0;
            }
            sl__cmd_reset(&fr->cmd, i + 1, pipe);
            break;
        }
        default:
            break;
        }
    }
    while (st->nframes > 1) {
        sl__sh_sub_close(st, f->lx.ntok);
    }
    sl__sh_finish(st, f->lx.ntok);
}

/* ----------------------------------------------------------------- markdown --- */

/* A phrase: word groups that must appear in order, each within `window` words of the
 * previous one. Words compare case-insensitively. */
typedef struct sl__phrase {
    int cls;
    int window;
    const char *const *groups[4];
    int negatable;   /* "does not ask you to disable the sandbox" does not count */
} sl__phrase;

static const char *const sl__w_paste[] = {"paste", "copy-paste", "copy-and-paste", NULL};
static const char *const sl__w_terminal[] = {
    "terminal", "shell", "console", "powershell", "cmd", "command-line", "bash", "zsh",
    "iterm", NULL
};
static const char *const sl__w_run_box[] = {"win+r", "windows+r", "cmd+space", NULL};
static const char *const sl__w_disable[] = {
    "disable", "disabling", "deactivate", "bypass", "bypassing", "circumvent", "off",
    "ignore", "suppress", "override", "kill", "uninstall", NULL
};
static const char *const sl__w_guard[] = {
    "sandbox", "sandboxing", "antivirus", "anti-virus", "firewall", "defender", "gatekeeper",
    "selinux", "apparmor", "sip", "uac", "safety", "security", "guardrails", "scanner",
    "protections", "edr", "av", "xprotect", NULL
};
static const char *const sl__w_flags[] = {
    "--dangerously-skip-permissions", "--no-sandbox", "--disable-web-security",
    "--unsafe-perm", "--allow-dangerously-skip-permissions", "--dangerously-bypass-approvals",
    NULL
};
static const char *const sl__w_ignore[] = {
    "ignore", "disregard", "forget", "override", NULL
};
static const char *const sl__w_prior[] = {
    "previous", "prior", "above", "earlier", "all", "any", "your", "system", "other", NULL
};
static const char *const sl__w_instructions[] = {
    "instructions", "instruction", "prompt", "prompts", "rules", "guidelines", "directives",
    NULL
};
static const char *const sl__w_negate[] = {
    "not", "never", "without", "don't", "dont", "avoid", NULL
};
static const char *const sl__w_tell[] = {
    "tell", "telling", "inform", "informing", "mention", "mentioning", "notify",
    "notifying", "alert", "alerting", "reveal", "revealing", NULL
};
static const char *const sl__w_user[] = {"user", "users", "human", "operator", "owner", NULL};
static const char *const sl__w_hide[] = {"hide", "conceal", NULL};
static const char *const sl__w_from[] = {"from", NULL};

static const sl__phrase sl__phrases[] = {
    /* "paste the following command into your terminal" */
    {SL__C_PASTE_TERMINAL, 8, {sl__w_paste, sl__w_terminal, NULL, NULL}, 1},
    /* "press Win+R and paste" */
    {SL__C_PASTE_TERMINAL, 1, {sl__w_run_box, NULL, NULL, NULL}, 0},
    /* "disable the sandbox", "turn off antivirus" */
    {SL__C_DISABLE_SAFETY, 3, {sl__w_disable, sl__w_guard, NULL, NULL}, 1},
    /* "claude --dangerously-skip-permissions" */
    {SL__C_DISABLE_SAFETY, 1, {sl__w_flags, NULL, NULL, NULL}, 0},
    /* "ignore all previous instructions" */
    {SL__C_PROMPT_INJECTION, 3, {sl__w_ignore, sl__w_prior, sl__w_instructions, NULL}, 1},
    /* "do not tell the user" */
    {SL__C_PROMPT_INJECTION, 3, {sl__w_negate, sl__w_tell, sl__w_user, NULL}, 0},
    /* "hide this from the user" */
    {SL__C_PROMPT_INJECTION, 4, {sl__w_hide, sl__w_from, sl__w_user, NULL}, 1},
};

typedef struct sl__words {
    uint32_t *off;
    uint32_t *len;
    size_t count;
    size_t cap;
} sl__words;

static int sl__word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '\'' || c == '+' || c == '-';
}

static void sl__words_add(sl__file *f, sl__words *w, size_t off, size_t len)
{
    if (w->count == w->cap) {
        size_t ncap = w->cap == 0 ? 256 : w->cap * 2;
        uint32_t *o = (uint32_t *)sl__arena_alloc(&f->arena, ncap * sizeof(uint32_t));
        uint32_t *l = (uint32_t *)sl__arena_alloc(&f->arena, ncap * sizeof(uint32_t));
        if (o == NULL || l == NULL) {
            sl__scan_fail(f->scan, SL_ENOMEM);
            return;
        }
        if (w->count > 0) {
            memcpy(o, w->off, w->count * sizeof(uint32_t));
            memcpy(l, w->len, w->count * sizeof(uint32_t));
        }
        w->off = o;
        w->len = l;
        w->cap = ncap;
    }
    w->off[w->count] = (uint32_t)off;
    w->len[w->count] = (uint32_t)len;
    w->count++;
}

static int sl__word_in(const sl__file *f, const sl__words *w, size_t k,
                       const char *const *group)
{
    const char *s = f->lx.src + w->off[k];
    size_t len = w->len[k];
    size_t g;

    for (g = 0; group[g] != NULL; g++) {
        if (strlen(group[g]) == len && sl__eq_nocase(s, group[g], len)) {
            return 1;
        }
    }
    return 0;
}

static void sl__phrases_match(sl__file *f, const sl__words *w)
{
    size_t p;

    for (p = 0; p < sizeof(sl__phrases) / sizeof(sl__phrases[0]); p++) {
        const sl__phrase *ph = &sl__phrases[p];
        size_t k;
        for (k = 0; k < w->count; k++) {
            size_t at = k;
            int g;
            if (!sl__word_in(f, w, k, ph->groups[0])) {
                continue;
            }
            if (ph->negatable) {
                size_t b = k > 5 ? k - 5 : 0;
                while (b < k && !sl__word_in(f, w, b, sl__w_negate)) {
                    b++;
                }
                if (b < k) {
                    continue;
                }
            }
            for (g = 1; g < 4 && ph->groups[g] != NULL; g++) {
                size_t j;
                size_t limit = at + 1 + (size_t)ph->window;
                for (j = at + 1; j < w->count && j < limit; j++) {
                    if (sl__word_in(f, w, j, ph->groups[g])) {
                        break;
                    }
                }
                if (j >= w->count || j >= limit) {
                    break;
                }
                at = j;
            }
            if (g == 4 || ph->groups[g] == NULL) {
                sl__emit(f, ph->cls, w->off[k]);
            }
        }
    }
}

/* The language of a fenced code block from its info string. */
static int sl__fence_language(const char *s, size_t len)
{
    static const char *const sh[] = {
        "sh", "bash", "shell", "console", "zsh", "terminal", "shell-session", "sh-session", NULL
    };
    static const char *const py[] = {"python", "py", "python3", NULL};
    static const char *const js[] = {
        "js", "javascript", "node", "ts", "typescript", "mjs", "cjs", "jsx", "tsx", NULL
    };
    char lower[16];
    size_t k;

    if (len == 0) {
        return SL__SH;
    }
    if (len >= sizeof(lower)) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        lower[k] = (char)sl__lower((unsigned char)s[k]);
    }
    if (sl__in_words(lower, len, sh)) {
        return SL__SH;
    }
    if (sl__in_words(lower, len, py)) {
        return SL__PY;
    }
    return sl__in_words(lower, len, js) ? SL__JS : 0;
}

/* "curl ... | sh" written in prose, outside code spans. */
static void sl__md_pipe_line(sl__file *f, const char *s, size_t a, size_t b)
{
    static const char *const fetch[] = {"curl ", "wget ", "iwr ", "invoke-webrequest", NULL};
    static const char *const pipes[] = {
        "| sh", "|sh", "| bash", "|bash", "| sudo", "|sudo", "| zsh", "| python", "|python",
        "| iex", "|iex", "| node", NULL
    };
    int got_fetch = 0;
    int got_pipe = 0;
    size_t i;
    size_t k;

    for (i = a; i < b && !(got_fetch && got_pipe); i++) {
        for (k = 0; fetch[k] != NULL && !got_fetch; k++) {
            size_t n = strlen(fetch[k]);
            got_fetch = n <= b - i && sl__eq_nocase(s + i, fetch[k], n);
        }
        for (k = 0; pipes[k] != NULL && got_fetch && !got_pipe; k++) {
            size_t n = strlen(pipes[k]);
            got_pipe = n <= b - i && sl__eq_nocase(s + i, pipes[k], n);
        }
    }
    if (got_fetch && got_pipe) {
        sl__emit(f, SL__C_DOWNLOAD_EXEC, a);
    }
}

/* A prose line: code spans are scanned as shell, the rest gives words for phrases. */
static void sl__md_prose(sl__file *f, sl__words *w, size_t a, size_t b)
{
    const char *s = f->lx.src;
    size_t i = a;
    size_t seg = a;

    while (i < b) {
        if (s[i] == '`') {
            size_t ticks = 0;
            size_t j;
            while (i + ticks < b && s[i + ticks] == '`') {
                ticks++;
            }
            for (j = i + ticks; j + ticks <= b; j++) {
                size_t t = 0;
                while (t < ticks && s[j + t] == '`') {
                    t++;
                }
                if (t == ticks) {
                    break;
                }
            }
            if (j + ticks <= b) {
                sl__md_pipe_line(f, s, seg, i);
                sl__subscan_range(f, SL__SH, i + ticks, j - i - ticks);
                i = j + ticks;
                seg = i;
                continue;
            }
            i += ticks;
            continue;
        }
        if (sl__word_char((unsigned char)s[i])) {
            size_t j = i;
            while (j < b && sl__word_char((unsigned char)s[j])) {
                j++;
            }
            sl__words_add(f, w, i, j - i);
            i = j;
            continue;
        }
        i++;
    }
    sl__md_pipe_line(f, s, seg, b);
    {
        unsigned found = sl__needles_find(f->scan->scanner, s + a, b - a,
                                          (1u << SL__C_SECRET) | (1u << SL__C_METADATA), 1);
        if (found != 0) {
            sl__emit(f, SL__C_SECRET, a);
        }
    }
}

static void sl__analyze_text(sl__file *f)
{
    const char *s = f->lx.src;
    size_t n = f->lx.len;
    size_t i = 0;
    int in_fence = 0;
    char fence_char = 0;
    size_t fence_len = 0;
    int fence_lang = 0;
    size_t block = 0;
    sl__words words;

    memset(&words, 0, sizeof(words));
    while (i < n && f->scan->status == SL_OK) {
        size_t end = i;
        size_t p = i;
        size_t ticks = 0;
        while (end < n && s[end] != '\n') {
            end++;
        }
        while (p < end && p - i < 3 && s[p] == ' ') {
            p++;
        }
        while (p + ticks < end && (s[p + ticks] == '`' || s[p + ticks] == '~') &&
               s[p + ticks] == s[p]) {
            ticks++;
        }
        if (ticks >= 3 && (!in_fence || (s[p] == fence_char && ticks >= fence_len))) {
            if (!in_fence) {
                size_t info = p + ticks;
                size_t info_end;
                while (info < end && s[info] == ' ') {
                    info++;
                }
                for (info_end = info; info_end < end && s[info_end] != ' ' &&
                                      s[info_end] != '\r' && s[info_end] != '{';
                     info_end++) {
                }
                in_fence = 1;
                fence_char = s[p];
                fence_len = ticks;
                fence_lang = sl__fence_language(s + info, info_end - info);
                block = end < n ? end + 1 : n;
            } else {
                in_fence = 0;
                sl__subscan_range(f, fence_lang, block, i - block);
            }
        } else if (!in_fence) {
            sl__md_prose(f, &words, i, end);
        }
        i = end < n ? end + 1 : n;
    }
    if (in_fence && block < n) {
        sl__subscan_range(f, fence_lang, block, n - block);
    }
    sl__phrases_match(f, &words);
}

/* ------------------------------------------------------------- custom rules --- */

static int sl__pattern_at(const sl__file *f, size_t i, const sl__rule *r, size_t *end)
{
    size_t p = 0;

    while (p < r->ntokens) {
        const sl_str *pt = &r->tokens[p];
        size_t len;
        const char *s;
        if (i >= f->lx.ntok) {
            return 0;
        }
        if (sl__t(f, i)->kind == SL__TK_NEWLINE) {
            i++;
            continue;
        }
        s = sl__tok_text(&f->lx, i, &len);
        if (sl__streq(pt->ptr, pt->len, "$ANY")) {
            /* any one token */
        } else if (sl__streq(pt->ptr, pt->len, "$STRING")) {
            if (sl__t(f, i)->kind != SL__TK_STRING && sl__t(f, i)->kind != SL__TK_HEREDOC) {
                return 0;
            }
        } else if (len != pt->len || memcmp(s, pt->ptr, len) != 0) {
            return 0;
        }
        i++;
        p++;
    }
    *end = i;
    return 1;
}

/* Runs the rule file's rules over `f`. Substring rules look at the root file once. */
static void sl__custom_rules(sl__file *f)
{
    const sl_scanner *sc = f->scan->scanner;
    size_t r;

    for (r = SL__RULE_BUILTIN_COUNT; r < sc->nrules; r++) {
        const sl__rule *rule = &sc->rules[r];
        if (!rule->enabled || !(rule->languages & (1u << f->language))) {
            continue;
        }
        if (rule->match == SL__MATCH_SUBSTRING && f->depth == 0) {
            const char *s = f->root->text;
            size_t n = f->root->len;
            size_t i;
            for (i = 0; rule->text_len > 0 && i + rule->text_len <= n; i++) {
                if (s[i] == rule->text[0] && memcmp(s + i, rule->text, rule->text_len) == 0) {
                    sl__emit_rule(f->scan, f->root, r, i);
                    i += rule->text_len - 1;
                }
            }
        } else if (rule->match == SL__MATCH_TOKENS && f->language != SL__MD) {
            size_t i;
            for (i = 0; i < f->lx.ntok; i++) {
                size_t end;
                if (sl__t(f, i)->kind != SL__TK_NEWLINE && sl__pattern_at(f, i, rule, &end)) {
                    sl__emit_rule(f->scan, f->root, r, sl__root_offset(f, sl__t(f, i)->off));
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ driver --- */

static void sl__file_init(sl__file *f, sl__scan *scan, sl__root *root, int language,
                          const char *text, size_t len)
{
    memset(f, 0, sizeof(*f));
    f->scan = scan;
    f->root = root;
    f->language = language;
    f->exact = 1;
    sl__arena_init(&f->arena, &scan->report->alloc);
    sl__lex_init(&f->lx, &scan->report->alloc, root->path, text, len, NULL);
}

static void sl__file_free(sl__file *f)
{
    sl__lex_free(&f->lx);
    sl__arena_free(&f->arena);
}

static int sl__analyze(sl__file *f);

static void sl__run_subs(sl__file *f)
{
    sl__sub *e;

    for (e = f->sub_head; e != NULL && f->scan->status == SL_OK; e = e->next) {
        sl__file child;
        int k;
        sl__file_init(&child, f->scan, f->root, e->language, e->text, e->len);
        child.parent = f;
        child.depth = f->depth + 1;
        child.exact = e->exact;
        child.base = e->base;
        child.anchor = e->anchor;
        sl__analyze(&child);
        for (k = 0; k < SL__F_COUNT; k++) {
            if (sl__has(&child, k) && !sl__has(f, k)) {
                f->facts |= 1u << k;
                f->fact_at[k] = child.fact_at[k];
            }
        }
        sl__file_free(&child);
    }
}

/* Analyzes `f` and the strings inside it found to be code. A tokenizer limit fails a
 * whole file (fail closed) but is ignored inside strings, which are only extra checks. */
static int sl__analyze(sl__file *f)
{
    if (f->language == SL__MD) {
        sl__analyze_text(f);
    } else {
        int rc;
        f->lx.err = f->depth == 0 ? f->scan->err : NULL;
        rc = sl__lex_run(&f->lx, f->language);
        if (rc != SL_OK) {
            if (f->depth == 0 || rc == SL_ENOMEM) {
                return sl__scan_fail(f->scan, rc);
            }
            return SL_OK;
        }
        if (f->language == SL__SH) {
            sl__analyze_shell(f);
        } else {
            sl__analyze_code(f);
        }
    }
    sl__run_subs(f);
    sl__combined_rules(f);
    sl__custom_rules(f);
    return f->scan->status;
}
/* End file src/scan_rules.c */

/* Begin file src/scan.c */
/* ======================================================================== scan ===
 * Scanner objects, what a scan reads (sources, folders) and hashes, reports and their
 * formats, rule files, the scan id registry and the gate.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* ------------------------------------------------------------------ names --- */

SKILLLITE_API const char *sl_scan_severity_name(int severity)
{
    switch (severity) {
    case SL_SCAN_LOW: return "low";
    case SL_SCAN_MEDIUM: return "medium";
    case SL_SCAN_HIGH: return "high";
    case SL_SCAN_CRITICAL: return "critical";
    default: return "unknown";
    }
}

SKILLLITE_API int sl_scan_severity_parse(const char *name, size_t len)
{
    int s;

    if (name == NULL) {
        return 0;
    }
    for (s = SL_SCAN_LOW; s <= SL_SCAN_CRITICAL; s++) {
        const char *n = sl_scan_severity_name(s);
        if (strlen(n) == len && sl__eq_nocase(name, n, len)) {
            return s;
        }
    }
    return 0;
}

SKILLLITE_API const char *sl_scan_language_name(int language)
{
    switch (language) {
    case SL_SCAN_LANG_PYTHON: return "python";
    case SL_SCAN_LANG_JS: return "javascript";
    case SL_SCAN_LANG_SHELL: return "shell";
    case SL_SCAN_LANG_TEXT: return "text";
    default: return "none";
    }
}

/* Language from a `#!` line: the interpreter's name, or the one after `env`. */
static int sl__shebang_language(const char *text, size_t len)
{
    size_t end = 2;
    size_t k;

    while (end < len && end < 256 && text[end] != '\n') {
        end++;
    }
    for (k = 2; k < end; k++) {
        const char *w = text + k;
        size_t n = 0;
        int lang;
        while (k + n < end && text[k + n] != ' ' && text[k + n] != '\t' && text[k + n] != '\r') {
            n++;
        }
        lang = sl__interpreter(w, n);
        if (lang != 0) {
            return lang;
        }
        k += n;
    }
    return SL_SCAN_LANG_NONE;
}

SKILLLITE_API int sl_scan_language_detect(const char *path, const char *text, size_t len)
{
    static const char *const py[] = {"py", "pyw", NULL};
    static const char *const js[] = {"js", "mjs", "cjs", "ts", "tsx", "jsx", "mts", "cts", NULL};
    static const char *const sh[] = {"sh", "bash", "zsh", "ksh", NULL};
    static const char *const md[] = {"md", "markdown", "txt", "rst", "mdx", NULL};
    const char *dot = NULL;
    const char *p;
    char ext[12];
    size_t n = 0;

    for (p = path != NULL ? path : ""; *p != '\0'; p++) {
        if (*p == '/') {
            dot = NULL;
        } else if (*p == '.') {
            dot = p + 1;
        }
    }
    if (dot != NULL) {
        while (dot[n] != '\0' && n + 1 < sizeof(ext)) {
            ext[n] = (char)sl__lower((unsigned char)dot[n]);
            n++;
        }
        if (dot[n] == '\0' && n > 0) {
            if (sl__in_words(ext, n, py)) {
                return SL_SCAN_LANG_PYTHON;
            }
            if (sl__in_words(ext, n, js)) {
                return SL_SCAN_LANG_JS;
            }
            if (sl__in_words(ext, n, sh)) {
                return SL_SCAN_LANG_SHELL;
            }
            if (sl__in_words(ext, n, md)) {
                return SL_SCAN_LANG_TEXT;
            }
        }
    }
    if (text == NULL || memchr(text, '\0', len < 8192 ? len : 8192) != NULL) {
        return SL_SCAN_LANG_NONE;
    }
    if (len >= 2 && text[0] == '#' && text[1] == '!') {
        return sl__shebang_language(text, len);
    }
    return SL_SCAN_LANG_NONE;
}

/* --------------------------------------------------------------- scanner --- */

SKILLLITE_API void sl_scan_config_init(sl_scan_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->max_file_bytes = (size_t)8 << 20;
    config->max_total_bytes = (size_t)64 << 20;
    config->max_files = 4096;
    config->max_findings = 1000;
    config->min_severity = SL_SCAN_LOW;
}

static int sl__scanner_grow(sl_scanner *sc, size_t need)
{
    size_t ncap;
    sl__rule *p;

    if (need <= sc->cap) {
        return SL_OK;
    }
    ncap = sc->cap == 0 ? 128 : sc->cap * 2;
    while (ncap < need) {
        ncap *= 2;
    }
    p = (sl__rule *)sl__realloc(&sc->alloc, sc->rules, sc->cap * sizeof(sl__rule),
                                ncap * sizeof(sl__rule));
    if (p == NULL) {
        return SL_ENOMEM;
    }
    sc->rules = p;
    sc->cap = ncap;
    return SL_OK;
}

SKILLLITE_API int sl_scanner_new(const sl_scan_config *config, sl_scanner **out, sl_error *err)
{
    sl_allocator a;
    sl_scanner *sc;
    size_t k;

    if (out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_new: out is NULL");
    }
    *out = NULL;
    a = sl__allocator_resolve(config != NULL ? config->alloc : NULL);
    sc = (sl_scanner *)sl__calloc(&a, 1, sizeof(sl_scanner));
    if (sc == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scanner");
    }
    sc->alloc = a;
    if (config != NULL) {
        sc->cfg = *config;
    } else {
        sl_scan_config_init(&sc->cfg);
    }
    sc->cfg.alloc = NULL;
    sl__arena_init(&sc->arena, &sc->alloc);
    memset(sc->by_class, 0xFF, sizeof(sc->by_class));
    if (sl__scanner_grow(sc, SL__RULE_BUILTIN_COUNT) != SL_OK || sl__sinks_build(sc) != SL_OK) {
        sl_scanner_free(sc);
        return sl__error(err, SL_ENOMEM, "out of memory creating a scanner");
    }
    for (k = 0; k < SL__RULE_BUILTIN_COUNT; k++) {
        const sl__rule_def *d = &sl__rule_defs[k];
        sl__rule *r = &sc->rules[k];
        memset(r, 0, sizeof(*r));
        r->id = d->id;
        r->category = d->category;
        r->message = d->message;
        r->severity = d->severity;
        r->language = d->language;
        r->languages = 1u << d->language;
        r->enabled = 1;
        sc->by_class[d->language][d->cls] = (int16_t)k;
    }
    sc->nrules = SL__RULE_BUILTIN_COUNT;
    sl__needles_index(sc);
    *out = sc;
    return SL_OK;
}

SKILLLITE_API void sl_scanner_free(sl_scanner *scanner)
{
    sl_allocator a;

    if (scanner == NULL) {
        return;
    }
    a = scanner->alloc;
    sl__free(&a, scanner->rules, scanner->cap * sizeof(sl__rule));
    sl__free(&a, scanner->sinks, (scanner->sink_mask + 1) * sizeof(sl__sink_slot));
    sl__arena_free(&scanner->arena);
    sl__free(&a, scanner, sizeof(sl_scanner));
}

SKILLLITE_API size_t sl_scanner_rule_count(const sl_scanner *scanner)
{
    return scanner != NULL ? scanner->nrules : 0;
}

SKILLLITE_API int sl_scanner_rule_at(const sl_scanner *scanner, size_t index,
                                     sl_scan_rule_info *info)
{
    const sl__rule *r;

    if (scanner == NULL || info == NULL || index >= scanner->nrules) {
        return 0;
    }
    r = &scanner->rules[index];
    info->id = r->id;
    info->category = r->category;
    info->severity = r->severity;
    info->language = r->custom ? -1 : r->language;
    info->message = r->message;
    info->enabled = r->enabled;
    info->custom = r->custom;
    return 1;
}

static long sl__rule_find(const sl_scanner *sc, const char *id, size_t len)
{
    size_t k;

    for (k = 0; k < sc->nrules; k++) {
        if (sl__streq(id, len, sc->rules[k].id)) {
            return (long)k;
        }
    }
    return -1;
}

/* ------------------------------------------------------------ scan inputs --- */

/* One entry of what a scan hashes: a file, a symlink, or another non-folder entry. */
typedef struct sl__entry {
    char *path;
    char *text;        /* content; symlink target */
    size_t len;
    char type;         /* 'f' file, 'l' symlink, 'o' other (fifo, socket, device) */
    int language;
    int owned;         /* text was read by the scan and is freed with it */
} sl__entry;

static void sl__hash_entry(sl_sha256 *h, const sl__entry *e)
{
    unsigned char len8[8];
    uint64_t n = (uint64_t)e->len;
    int k;

    for (k = 7; k >= 0; k--) {
        len8[k] = (unsigned char)(n & 0xFF);
        n >>= 8;
    }
    sl_sha256_update(h, e->path, strlen(e->path) + 1);
    sl_sha256_update(h, &e->type, 1);
    sl_sha256_update(h, len8, 8);
    sl_sha256_update(h, e->text, e->len);
}

static int sl__is_binary_executable(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;

    if (len >= 4 && u[0] == 0x7F && u[1] == 'E' && u[2] == 'L' && u[3] == 'F') {
        return 1;
    }
    if (len >= 4 && ((u[0] == 0xFE && u[1] == 0xED && u[2] == 0xFA) ||
                     (u[1] == 0xFA && u[2] == 0xED && u[3] == 0xFE) ||
                     (u[0] == 0xCA && u[1] == 0xFE && u[2] == 0xBA && u[3] == 0xBE))) {
        return 1;
    }
    return len >= 64 && u[0] == 'M' && u[1] == 'Z';
}

/* Returns 1 when a symlink at `path` (relative to the skill folder) with `target` leaves
 * the folder: absolute targets, or more `..` than the link's own depth. */
static int sl__symlink_escapes(const char *path, const char *target, size_t len)
{
    int depth = 0;
    size_t k;

    if (len == 0 || target[0] == '/') {
        return 1;
    }
    for (k = 0; path[k] != '\0'; k++) {
        depth += path[k] == '/';
    }
    k = 0;
    while (k < len) {
        size_t n = 0;
        while (k + n < len && target[k + n] != '/') {
            n++;
        }
        if (n == 2 && target[k] == '.' && target[k + 1] == '.') {
            if (--depth < 0) {
                return 1;
            }
        } else if (!(n == 1 && target[k] == '.') && n > 0) {
            depth++;
        }
        k += n + 1;
    }
    return 0;
}

static int sl__scan_entry(sl__scan *scan, const sl__entry *e, const char *path_copy)
{
    const sl_scanner *sc = scan->scanner;
    sl__root root;
    sl__file f;
    int language = e->language;
    int rc = SL_OK;

    memset(&root, 0, sizeof(root));
    root.path = path_copy;
    root.text = e->text;
    root.len = e->len;
    root.per_rule = (uint16_t *)sl__calloc(&scan->report->alloc, sc->nrules, sizeof(uint16_t));
    if (root.per_rule == NULL) {
        return sl__scan_fail(scan, SL_ENOMEM);
    }
    scan->fold_budget = e->len * 16 + ((size_t)1 << 20);
    if (e->type == 'l') {
        if (sl__symlink_escapes(e->path, e->text, e->len)) {
            int rule = sc->by_class[SL_SCAN_LANG_NONE][SL__C_SYMLINK];
            sl__emit_rule(scan, &root, (size_t)rule, 0);
        }
    } else if (e->type == 'f') {
        if (language < 0) {
            language = sl_scan_language_detect(e->path, e->text, e->len);
        }
        if (language == SL_SCAN_LANG_NONE) {
            if (sl__is_binary_executable(e->text, e->len)) {
                int rule = sc->by_class[SL_SCAN_LANG_NONE][SL__C_BINARY];
                root.len = 0; /* no snippet from binary bytes */
                sl__emit_rule(scan, &root, (size_t)rule, 0);
            }
        } else if (language >= SL_SCAN_LANG_PYTHON && language <= SL_SCAN_LANG_TEXT) {
            sl__file_init(&f, scan, &root, language, e->text, e->len);
            rc = sl__analyze(&f);
            sl__file_free(&f);
        }
    }
    sl__free(&scan->report->alloc, root.lines, root.nlines * sizeof(uint32_t));
    sl__free(&scan->report->alloc, root.seen, (root.seen_mask + 1) * sizeof(uint64_t));
    sl__free(&scan->report->alloc, root.per_rule, sc->nrules * sizeof(uint16_t));
    return rc;
}

static int sl__finding_cmp(const void *pa, const void *pb)
{
    const sl_scan_finding *a = (const sl_scan_finding *)pa;
    const sl_scan_finding *b = (const sl_scan_finding *)pb;
    int c = strcmp(a->path, b->path);

    if (c != 0) {
        return c;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->column != b->column) {
        return a->column < b->column ? -1 : 1;
    }
    return strcmp(a->rule_id, b->rule_id);
}

static void sl__report_free_parts(sl_scan_report *r)
{
    sl_allocator a = r->alloc;

    sl__free(&a, r->findings, r->cap * sizeof(sl_scan_finding));
    sl__arena_free(&r->arena);
    sl__free(&a, r, sizeof(*r));
}

SKILLLITE_API void sl_scan_report_free(sl_scan_report *report)
{
    if (report != NULL) {
        sl__report_free_parts(report);
    }
}

/* Scans `entries` (in hash order) into a new report. */
static int sl__scan_entries(const sl_scanner *sc, const sl__entry *entries, size_t count,
                            sl_scan_report **out, sl_error *err)
{
    static const char magic[] = "skilllite-scan-v1";
    sl_scan_report *rep;
    sl__scan scan;
    sl_sha256 h;
    unsigned char digest[32];
    size_t total = 0;
    size_t k;

    rep = (sl_scan_report *)sl__calloc(&sc->alloc, 1, sizeof(*rep));
    if (rep == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan report");
    }
    rep->alloc = sc->alloc;
    sl__arena_init(&rep->arena, &rep->alloc);
    memset(&scan, 0, sizeof(scan));
    scan.scanner = sc;
    scan.report = rep;
    scan.err = err;
    scan.interned = (const char **)sl__calloc(&rep->alloc, sc->nrules * 3, sizeof(char *));
    if (scan.interned == NULL) {
        sl__report_free_parts(rep);
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan report");
    }
    sl_sha256_init(&h);
    sl_sha256_update(&h, magic, sizeof(magic));
    for (k = 0; k < count && scan.status == SL_OK; k++) {
        const sl__entry *e = &entries[k];
        const char *path_copy;
        if (e->len > sc->cfg.max_file_bytes) {
            sl__scan_fail(&scan, SL_ELIMIT);
            sl__error(err, SL_ELIMIT, "%s: %zu bytes is over the scanner's max_file_bytes (%zu); "
                      "raise the limit or remove the file", e->path, e->len,
                      sc->cfg.max_file_bytes);
            break;
        }
        total += e->len;
        if (total > sc->cfg.max_total_bytes) {
            sl__scan_fail(&scan, SL_ELIMIT);
            sl__error(err, SL_ELIMIT, "%s: the files add up to more than the scanner's "
                      "max_total_bytes (%zu)", e->path, sc->cfg.max_total_bytes);
            break;
        }
        sl__hash_entry(&h, e);
        rep->files++;
        rep->bytes += e->len;
        path_copy = sl__arena_strndup(&rep->arena, e->path, strlen(e->path));
        if (path_copy == NULL) {
            sl__scan_fail(&scan, SL_ENOMEM);
            break;
        }
        sl__scan_entry(&scan, e, path_copy);
    }
    sl__free(&rep->alloc, scan.interned, sc->nrules * 3 * sizeof(char *));
    if (scan.status != SL_OK) {
        if (scan.status == SL_ENOMEM) {
            sl__error(err, SL_ENOMEM, "out of memory while scanning");
        }
        sl__report_free_parts(rep);
        return scan.status;
    }
    sl_sha256_final(&h, digest);
    for (k = 0; k < 32; k++) {
        static const char hex[] = "0123456789abcdef";
        rep->sha256[2 * k] = hex[digest[k] >> 4];
        rep->sha256[2 * k + 1] = hex[digest[k] & 15];
    }
    rep->sha256[64] = '\0';
    if (rep->count > 1) {
        qsort(rep->findings, rep->count, sizeof(sl_scan_finding), sl__finding_cmp);
    }
    *out = rep;
    return SL_OK;
}

/* Runs `fn` with `scanner`, or with a temporary scanner holding the built-in rules. */
static int sl__with_scanner(const sl_scanner *scanner, const sl__entry *entries, size_t count,
                            sl_scan_report **out, sl_error *err)
{
    sl_scanner *tmp = NULL;
    int rc;

    if (scanner != NULL) {
        return sl__scan_entries(scanner, entries, count, out, err);
    }
    rc = sl_scanner_new(NULL, &tmp, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl__scan_entries(tmp, entries, count, out, err);
    sl_scanner_free(tmp);
    return rc;
}

SKILLLITE_API int sl_scanner_scan_sources(const sl_scanner *scanner,
                                          const sl_scan_source *sources, size_t count,
                                          sl_scan_report **out, sl_error *err)
{
    sl_allocator a = sl__allocator_resolve(scanner != NULL ? &scanner->alloc : NULL);
    sl__entry *entries;
    size_t k;
    int rc;

    if (out == NULL || (sources == NULL && count > 0)) {
        return sl__error(err, SL_EINVAL, "sl_scanner_scan_sources: %s is NULL",
                         out == NULL ? "out" : "sources");
    }
    *out = NULL;
    entries = (sl__entry *)sl__calloc(&a, count + 1, sizeof(sl__entry));
    if (entries == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory scanning %zu sources", count);
    }
    for (k = 0; k < count; k++) {
        if (sources[k].path == NULL || (sources[k].text == NULL && sources[k].len > 0)) {
            sl__free(&a, entries, (count + 1) * sizeof(sl__entry));
            return sl__error(err, SL_EINVAL, "sl_scanner_scan_sources: source %zu has a NULL "
                             "%s", k, sources[k].path == NULL ? "path" : "text");
        }
        entries[k].path = (char *)sources[k].path;
        entries[k].text = (char *)(sources[k].text != NULL ? sources[k].text : "");
        entries[k].len = sources[k].len;
        entries[k].type = 'f';
        entries[k].language = sources[k].language;
    }
    rc = sl__with_scanner(scanner, entries, count, out, err);
    sl__free(&a, entries, (count + 1) * sizeof(sl__entry));
    return rc;
}

SKILLLITE_API int sl_scanner_scan_text(const sl_scanner *scanner, const char *path,
                                       const char *text, size_t len, int language,
                                       sl_scan_report **out, sl_error *err)
{
    sl_scan_source src;

    src.path = path != NULL ? path : "(input)";
    src.text = text;
    src.len = len;
    src.language = language;
    return sl_scanner_scan_sources(scanner, &src, 1, out, err);
}

/* ------------------------------------------------------------ folder walk --- */

typedef struct sl__walk {
    sl_allocator alloc;
    const sl_scan_config *cfg;
    sl__entry *entries;
    size_t count;
    size_t cap;
    size_t total;
    sl_error *err;
} sl__walk;

static void sl__walk_free(sl__walk *w)
{
    size_t k;

    for (k = 0; k < w->count; k++) {
        sl__free(&w->alloc, w->entries[k].path, strlen(w->entries[k].path) + 1);
        if (w->entries[k].owned) {
            sl__free(&w->alloc, w->entries[k].text, w->entries[k].len + 1);
        }
    }
    sl__free(&w->alloc, w->entries, w->cap * sizeof(sl__entry));
}

/* Reads a regular file without following a symlink swapped in after lstat. */
static int sl__read_nofollow(sl__walk *w, const char *full, sl__entry *e)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    size_t used = 0;
    size_t cap;
    char *buf;

    if (fd < 0) {
        int saved = errno;
        return sl__error_sys(w->err, SL_EIO, "open", saved, "cannot open '%s': %s", full,
                             strerror(saved));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sl__error(w->err, SL_EIO, "'%s' changed while the skill was scanned", full);
    }
    if ((uint64_t)st.st_size > (uint64_t)w->cfg->max_file_bytes) {
        close(fd);
        return sl__error(w->err, SL_ELIMIT, "'%s' is %lld bytes, over the scanner's "
                         "max_file_bytes (%zu); raise the limit or remove the file", full,
                         (long long)st.st_size, w->cfg->max_file_bytes);
    }
    cap = (size_t)st.st_size + 1;
    buf = (char *)sl__malloc(&w->alloc, cap);
    if (buf == NULL) {
        close(fd);
        return sl__error(w->err, SL_ENOMEM, "out of memory reading '%s'", full);
    }
    for (;;) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            sl__free(&w->alloc, buf, cap);
            close(fd);
            return sl__error_sys(w->err, SL_EIO, "read", saved, "cannot read '%s': %s", full,
                                 strerror(saved));
        }
        if (n == 0 || used + (size_t)n == cap - 1) {
            used += (size_t)n;
            break;
        }
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    e->text = buf;
    e->len = used;
    e->owned = 1;
    if (used + 1 != cap) {
        /* the file shrank: keep the buffer size in sync for the free */
        char *p = (char *)sl__realloc(&w->alloc, buf, cap, used + 1);
        if (p == NULL) {
            sl__free(&w->alloc, buf, cap);
            e->text = NULL;
            return sl__error(w->err, SL_ENOMEM, "out of memory reading '%s'", full);
        }
        e->text = p;
    }
    return SL_OK;
}

static int sl__walk_add(sl__walk *w, const char *rel, const char *full, const struct stat *st)
{
    sl__entry *e;
    int rc = SL_OK;

    if (w->count >= w->cfg->max_files) {
        return sl__error(w->err, SL_ELIMIT, "the skill has more than %zu files (the scanner's "
                         "max_files); raise the limit or remove files", w->cfg->max_files);
    }
    if (w->count == w->cap) {
        size_t ncap = w->cap == 0 ? 64 : w->cap * 2;
        sl__entry *p = (sl__entry *)sl__realloc(&w->alloc, w->entries,
                                                w->cap * sizeof(sl__entry),
                                                ncap * sizeof(sl__entry));
        if (p == NULL) {
            return sl__error(w->err, SL_ENOMEM, "out of memory listing the skill's files");
        }
        w->entries = p;
        w->cap = ncap;
    }
    e = &w->entries[w->count];
    memset(e, 0, sizeof(*e));
    e->language = -1;
    e->path = sl__strndup(&w->alloc, rel, strlen(rel));
    if (e->path == NULL) {
        return sl__error(w->err, SL_ENOMEM, "out of memory listing the skill's files");
    }
    if (S_ISREG(st->st_mode)) {
        e->type = 'f';
        rc = sl__read_nofollow(w, full, e);
    } else if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlink(full, target, sizeof(target) - 1);
        e->type = 'l';
        if (n < 0) {
            n = 0;
        }
        e->text = sl__strndup(&w->alloc, target, (size_t)n);
        e->len = (size_t)n;
        e->owned = 1;
        rc = e->text == NULL ? sl__error(w->err, SL_ENOMEM, "out of memory") : SL_OK;
    } else {
        e->type = 'o';
        e->text = (char *)"";
    }
    if (rc != SL_OK) {
        sl__free(&w->alloc, e->path, strlen(e->path) + 1);
        return rc;
    }
    w->total += e->len;
    w->count++;
    if (w->total > w->cfg->max_total_bytes) {
        return sl__error(w->err, SL_ELIMIT, "the skill's files add up to more than %zu bytes "
                         "(the scanner's max_total_bytes)", w->cfg->max_total_bytes);
    }
    return SL_OK;
}

/* Lists `dir` (full path `full`, relative prefix `rel`) recursively. */
static int sl__walk_dir(sl__walk *w, const char *full, const char *rel, int depth)
{
    DIR *d;
    struct dirent *de;
    int rc = SL_OK;

    if (depth > 32) {
        return sl__error(w->err, SL_ELIMIT, "'%s' is nested more than 32 folders deep", full);
    }
    d = opendir(full);
    if (d == NULL) {
        int saved = errno;
        return sl__error_sys(w->err, saved == ENOENT ? SL_ENOTFOUND : SL_EIO, "opendir", saved,
                             "cannot open folder '%s': %s", full, strerror(saved));
    }
    while (rc == SL_OK && (de = readdir(d)) != NULL) {
        char child_full[4096];
        char child_rel[4096];
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            strcmp(de->d_name, ".git") == 0) {
            continue;
        }
        if ((size_t)snprintf(child_full, sizeof(child_full), "%s/%s", full, de->d_name) >=
                sizeof(child_full) ||
            (size_t)snprintf(child_rel, sizeof(child_rel), "%s%s%s", rel, rel[0] ? "/" : "",
                             de->d_name) >= sizeof(child_rel)) {
            rc = sl__error(w->err, SL_ELIMIT, "path too long under '%s'", full);
            break;
        }
        if (lstat(child_full, &st) != 0) {
            int saved = errno;
            rc = sl__error_sys(w->err, SL_EIO, "lstat", saved, "cannot stat '%s': %s",
                               child_full, strerror(saved));
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = sl__walk_dir(w, child_full, child_rel, depth + 1);
        } else {
            rc = sl__walk_add(w, child_rel, child_full, &st);
        }
    }
    closedir(d);
    return rc;
}

static int sl__entry_cmp(const void *pa, const void *pb)
{
    return strcmp(((const sl__entry *)pa)->path, ((const sl__entry *)pb)->path);
}

SKILLLITE_API int sl_scanner_scan_dir(const sl_scanner *scanner, const char *dir,
                                      sl_scan_report **out, sl_error *err)
{
    sl_scan_config defaults;
    sl__walk w;
    struct stat st;
    int rc;

    if (out == NULL || dir == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_scan_dir: %s is NULL",
                         out == NULL ? "out" : "dir");
    }
    *out = NULL;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int saved = errno;
        return sl__error_sys(err, SL_ENOTFOUND, "stat", saved, "'%s' is not a folder", dir);
    }
    sl_scan_config_init(&defaults);
    memset(&w, 0, sizeof(w));
    w.alloc = sl__allocator_resolve(scanner != NULL ? &scanner->alloc : NULL);
    w.cfg = scanner != NULL ? &scanner->cfg : &defaults;
    w.err = err;
    rc = sl__walk_dir(&w, dir, "", 0);
    if (rc == SL_OK) {
        if (w.count > 1) {
            qsort(w.entries, w.count, sizeof(sl__entry), sl__entry_cmp);
        }
        rc = sl__with_scanner(scanner, w.entries, w.count, out, err);
    }
    sl__walk_free(&w);
    return rc;
}

/* ----------------------------------------------------------------- report --- */

SKILLLITE_API size_t sl_scan_report_count(const sl_scan_report *report)
{
    return report != NULL ? report->count : 0;
}

SKILLLITE_API const sl_scan_finding *sl_scan_report_at(const sl_scan_report *report,
                                                       size_t index)
{
    return report != NULL && index < report->count ? &report->findings[index] : NULL;
}

SKILLLITE_API size_t sl_scan_report_count_severity(const sl_scan_report *report, int severity)
{
    size_t n = 0;
    size_t k;

    for (k = 0; report != NULL && k < report->count; k++) {
        n += report->findings[k].severity == severity;
    }
    return n;
}

SKILLLITE_API int sl_scan_report_max_severity(const sl_scan_report *report)
{
    int max = 0;
    size_t k;

    for (k = 0; report != NULL && k < report->count; k++) {
        if (report->findings[k].severity > max) {
            max = report->findings[k].severity;
        }
    }
    return max;
}

SKILLLITE_API size_t sl_scan_report_dropped(const sl_scan_report *report)
{
    return report != NULL ? report->dropped : 0;
}

SKILLLITE_API const char *sl_scan_report_sha256(const sl_scan_report *report)
{
    return report != NULL ? report->sha256 : "";
}

SKILLLITE_API size_t sl_scan_report_file_count(const sl_scan_report *report)
{
    return report != NULL ? report->files : 0;
}

SKILLLITE_API size_t sl_scan_report_bytes(const sl_scan_report *report)
{
    return report != NULL ? report->bytes : 0;
}

SKILLLITE_API char *sl_scan_report_summary(const sl_scan_report *report, char *out,
                                           size_t size)
{
    if (out == NULL || size == 0) {
        return out;
    }
    snprintf(out, size, "%zu finding%s: %zu critical, %zu high, %zu medium, %zu low",
             sl_scan_report_count(report), sl_scan_report_count(report) == 1 ? "" : "s",
             sl_scan_report_count_severity(report, SL_SCAN_CRITICAL),
             sl_scan_report_count_severity(report, SL_SCAN_HIGH),
             sl_scan_report_count_severity(report, SL_SCAN_MEDIUM),
             sl_scan_report_count_severity(report, SL_SCAN_LOW));
    return out;
}

static void sl__write_text(const sl_scan_report *r, sl_buf *out)
{
    char summary[160];
    size_t k;

    for (k = 0; k < r->count; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        sl_buf_appendf(out, "%s:%d:%d: %s [%s] %s\n", fd->path, fd->line, fd->column,
                       sl_scan_severity_name(fd->severity), fd->rule_id, fd->message);
        if (fd->snippet[0] != '\0') {
            sl_buf_appendf(out, "    %s\n", fd->snippet);
        }
    }
    sl_buf_appendf(out, "%s (%zu file%s, %zu bytes", sl_scan_report_summary(r, summary,
                                                                           sizeof(summary)),
                   r->files, r->files == 1 ? "" : "s", r->bytes);
    if (r->dropped > 0) {
        sl_buf_appendf(out, ", %zu more not listed", r->dropped);
    }
    sl_buf_append_str(out, ")\n");
}

/* Builds value trees with sl_value_* and reports ENOMEM once at the end. */
typedef struct sl__jb {
    sl_doc *doc;
    const sl_allocator *alloc;
    int failed;
} sl__jb;

static sl_value *sl__jb_check(sl__jb *b, sl_value *v)
{
    if (v == NULL) {
        b->failed = 1;
    }
    return v;
}

static void sl__jb_set(sl__jb *b, sl_value *obj, const char *key, sl_value *v)
{
    if (obj == NULL || sl_value_set(b->doc, obj, key, v) != SL_OK) {
        b->failed = 1;
    }
}

static void sl__jb_push(sl__jb *b, sl_value *arr, sl_value *v)
{
    if (arr == NULL || v == NULL || sl_value_push(b->doc, arr, v) != SL_OK) {
        b->failed = 1;
    }
}

static sl_value *sl__json_report(sl__jb *b, const sl_scan_report *r)
{
    sl_doc *d = b->doc;
    sl_value *root = sl__jb_check(b, sl_value_new_object(d));
    sl_value *summary = sl__jb_check(b, sl_value_new_object(d));
    sl_value *list = sl__jb_check(b, sl_value_new_array(d));
    int s;
    size_t k;

    sl__jb_set(b, root, "tool", sl_value_new_str(d, "skilllite"));
    sl__jb_set(b, root, "version", sl_value_new_str(d, SKILLLITE_VERSION_STRING));
    sl__jb_set(b, root, "sha256", sl_value_new_str(d, r->sha256));
    sl__jb_set(b, root, "files", sl_value_new_int(d, (int64_t)r->files));
    sl__jb_set(b, root, "bytes", sl_value_new_int(d, (int64_t)r->bytes));
    sl__jb_set(b, summary, "total", sl_value_new_int(d, (int64_t)r->count));
    for (s = SL_SCAN_CRITICAL; s >= SL_SCAN_LOW; s--) {
        sl__jb_set(b, summary, sl_scan_severity_name(s),
                   sl_value_new_int(d, (int64_t)sl_scan_report_count_severity(r, s)));
    }
    sl__jb_set(b, summary, "dropped", sl_value_new_int(d, (int64_t)r->dropped));
    sl__jb_set(b, root, "summary", summary);
    for (k = 0; k < r->count && !b->failed; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        sl_value *o = sl__jb_check(b, sl_value_new_object(d));
        sl__jb_set(b, o, "rule", sl_value_new_str(d, fd->rule_id));
        sl__jb_set(b, o, "category", sl_value_new_str(d, fd->category));
        sl__jb_set(b, o, "severity", sl_value_new_str(d, sl_scan_severity_name(fd->severity)));
        sl__jb_set(b, o, "message", sl_value_new_str(d, fd->message));
        sl__jb_set(b, o, "path", sl_value_new_str(d, fd->path));
        sl__jb_set(b, o, "line", sl_value_new_int(d, fd->line));
        sl__jb_set(b, o, "column", sl_value_new_int(d, fd->column));
        sl__jb_set(b, o, "snippet", sl_value_new_str(d, fd->snippet));
        sl__jb_push(b, list, o);
    }
    sl__jb_set(b, root, "findings", list);
    return root;
}

static const char *sl__sarif_level(int severity)
{
    if (severity >= SL_SCAN_HIGH) {
        return "error";
    }
    return severity == SL_SCAN_MEDIUM ? "warning" : "note";
}

/* Percent-encodes a relative path for a SARIF artifact URI. */
static sl_value *sl__uri(sl__jb *b, const char *path)
{
    sl_buf u;
    sl_value *v;
    const unsigned char *p;

    sl_buf_init(&u, b->alloc);
    for (p = (const unsigned char *)path; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
            sl_buf_putc(&u, *p);
        } else {
            sl_buf_appendf(&u, "%%%02X", *p);
        }
    }
    v = u.failed ? NULL : sl_value_new_strn(b->doc, u.len > 0 ? u.data : "", u.len);
    sl_buf_free(&u);
    return sl__jb_check(b, v);
}

/* One SARIF result. `index` is the rule's position in the driver's rules array. */
static sl_value *sl__sarif_result(sl__jb *b, const sl_scan_finding *fd, size_t index)
{
    sl_doc *d = b->doc;
    sl_value *res = sl__jb_check(b, sl_value_new_object(d));
    sl_value *msg = sl__jb_check(b, sl_value_new_object(d));
    sl_value *locs = sl__jb_check(b, sl_value_new_array(d));
    sl_value *loc = sl__jb_check(b, sl_value_new_object(d));
    sl_value *phys = sl__jb_check(b, sl_value_new_object(d));
    sl_value *art = sl__jb_check(b, sl_value_new_object(d));
    sl_value *region = sl__jb_check(b, sl_value_new_object(d));
    sl_value *snip = sl__jb_check(b, sl_value_new_object(d));

    sl__jb_set(b, res, "ruleId", sl_value_new_str(d, fd->rule_id));
    sl__jb_set(b, res, "ruleIndex", sl_value_new_int(d, (int64_t)index));
    sl__jb_set(b, res, "level", sl_value_new_str(d, sl__sarif_level(fd->severity)));
    sl__jb_set(b, msg, "text", sl_value_new_str(d, fd->message));
    sl__jb_set(b, res, "message", msg);
    sl__jb_set(b, art, "uri", sl__uri(b, fd->path));
    sl__jb_set(b, phys, "artifactLocation", art);
    sl__jb_set(b, region, "startLine", sl_value_new_int(d, fd->line));
    sl__jb_set(b, region, "startColumn", sl_value_new_int(d, fd->column));
    sl__jb_set(b, snip, "text", sl_value_new_str(d, fd->snippet));
    sl__jb_set(b, region, "snippet", snip);
    sl__jb_set(b, phys, "region", region);
    sl__jb_set(b, loc, "physicalLocation", phys);
    sl__jb_push(b, locs, loc);
    sl__jb_set(b, res, "locations", locs);
    return res;
}

static sl_value *sl__sarif_rule(sl__jb *b, const sl_scan_finding *fd)
{
    sl_doc *d = b->doc;
    sl_value *rule = sl__jb_check(b, sl_value_new_object(d));
    sl_value *desc = sl__jb_check(b, sl_value_new_object(d));
    sl_value *conf = sl__jb_check(b, sl_value_new_object(d));
    sl_value *props = sl__jb_check(b, sl_value_new_object(d));

    sl__jb_set(b, rule, "id", sl_value_new_str(d, fd->rule_id));
    sl__jb_set(b, desc, "text", sl_value_new_str(d, fd->message));
    sl__jb_set(b, rule, "shortDescription", desc);
    sl__jb_set(b, conf, "level", sl_value_new_str(d, sl__sarif_level(fd->severity)));
    sl__jb_set(b, rule, "defaultConfiguration", conf);
    sl__jb_set(b, props, "category", sl_value_new_str(d, fd->category));
    sl__jb_set(b, props, "severity", sl_value_new_str(d, sl_scan_severity_name(fd->severity)));
    sl__jb_set(b, rule, "properties", props);
    return rule;
}

static sl_value *sl__sarif_report(sl__jb *b, const sl_scan_report *r)
{
    sl_doc *d = b->doc;
    sl_value *root = sl__jb_check(b, sl_value_new_object(d));
    sl_value *runs = sl__jb_check(b, sl_value_new_array(d));
    sl_value *run = sl__jb_check(b, sl_value_new_object(d));
    sl_value *tool = sl__jb_check(b, sl_value_new_object(d));
    sl_value *driver = sl__jb_check(b, sl_value_new_object(d));
    sl_value *rules = sl__jb_check(b, sl_value_new_array(d));
    sl_value *results = sl__jb_check(b, sl_value_new_array(d));
    const char **ids = NULL;
    size_t nids = 0;
    size_t k;

    sl__jb_set(b, root, "$schema", sl_value_new_str(d, "https://json.schemastore.org/"
                                                       "sarif-2.1.0.json"));
    sl__jb_set(b, root, "version", sl_value_new_str(d, "2.1.0"));
    sl__jb_set(b, driver, "name", sl_value_new_str(d, "skilllite"));
    sl__jb_set(b, driver, "version", sl_value_new_str(d, SKILLLITE_VERSION_STRING));
    if (r->count > 0) {
        ids = (const char **)sl__calloc(&r->alloc, r->count, sizeof(char *));
        b->failed |= ids == NULL;
    }
    for (k = 0; k < r->count && !b->failed; k++) {
        const sl_scan_finding *fd = &r->findings[k];
        size_t j;
        for (j = 0; j < nids && strcmp(ids[j], fd->rule_id) != 0; j++) {
        }
        if (j == nids) {
            ids[nids++] = fd->rule_id;
            sl__jb_push(b, rules, sl__sarif_rule(b, fd));
        }
        sl__jb_push(b, results, sl__sarif_result(b, fd, j));
    }
    sl__free(&r->alloc, (void *)ids, r->count * sizeof(char *));
    sl__jb_set(b, driver, "rules", rules);
    sl__jb_set(b, tool, "driver", driver);
    sl__jb_set(b, run, "tool", tool);
    sl__jb_set(b, run, "results", results);
    sl__jb_push(b, runs, run);
    sl__jb_set(b, root, "runs", runs);
    return root;
}

SKILLLITE_API int sl_scan_report_write(const sl_scan_report *report, int format, int flags,
                                       sl_buf *out, sl_error *err)
{
    sl__jb b;
    sl_value *root;
    int rc;

    if (report == NULL || out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scan_report_write: %s is NULL",
                         report == NULL ? "report" : "out");
    }
    if (format == SL_SCAN_FORMAT_TEXT) {
        sl__write_text(report, out);
        return out->failed ? sl__error(err, SL_ENOMEM, "out of memory writing the report")
                           : SL_OK;
    }
    if (format != SL_SCAN_FORMAT_JSON && format != SL_SCAN_FORMAT_SARIF) {
        return sl__error(err, SL_EINVAL, "sl_scan_report_write: unknown format %d; use "
                         "SL_SCAN_FORMAT_TEXT, _JSON or _SARIF", format);
    }
    b.doc = sl_doc_new(&report->alloc);
    b.alloc = &report->alloc;
    b.failed = b.doc == NULL;
    if (b.failed) {
        return sl__error(err, SL_ENOMEM, "out of memory writing the report");
    }
    root = format == SL_SCAN_FORMAT_JSON ? sl__json_report(&b, report)
                                         : sl__sarif_report(&b, report);
    if (b.failed || root == NULL) {
        sl_doc_free(b.doc);
        return sl__error(err, SL_ENOMEM, "out of memory writing the report");
    }
    rc = sl_json_write(root, flags & SL_JSON_PRETTY, out, err);
    sl_doc_free(b.doc);
    return rc;
}

/* ------------------------------------------------------------- rule files --- */

/* Reports a rule file error at the position of value `v`. */
static int sl__rules_error(sl_error *err, const char *name, const char *text, size_t len,
                           const sl_value *v, const char *what)
{
    int line = sl_value_line(v) > 0 ? sl_value_line(v) : 1;
    int column = sl_value_column(v) > 0 ? sl_value_column(v) : 1;

    sl__error_at(err, SL_ESCAN_RULES, text, len, sl_value_offset(v), "%s:%d:%d: %s", name,
                 line, column, what);
    return SL_ESCAN_RULES;
}

static int sl__rule_id_valid(sl_str id)
{
    size_t k;

    if (id.len == 0 || id.len > 64) {
        return 0;
    }
    for (k = 0; k < id.len; k++) {
        char c = id.ptr[k];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && k > 0))) {
            return 0;
        }
    }
    return 1;
}

/* Parses a `languages` value into language bits. Returns 0 on an unknown name. */
static unsigned sl__rule_languages(const sl_value *v, const sl_value **bad)
{
    unsigned bits = 0;
    size_t n = sl_value_kind(v) == SL_VALUE_ARRAY ? sl_value_count(v) : 1;
    size_t k;

    for (k = 0; k < n; k++) {
        const sl_value *item = sl_value_kind(v) == SL_VALUE_ARRAY ? sl_value_at(v, k) : v;
        sl_str s = sl_value_str(item);
        if (sl_value_kind(item) != SL_VALUE_STRING) {
            *bad = item;
            return 0;
        }
        if (sl__streq(s.ptr, s.len, "python")) {
            bits |= 1u << SL_SCAN_LANG_PYTHON;
        } else if (sl__streq(s.ptr, s.len, "javascript") || sl__streq(s.ptr, s.len, "js") ||
                   sl__streq(s.ptr, s.len, "typescript")) {
            bits |= 1u << SL_SCAN_LANG_JS;
        } else if (sl__streq(s.ptr, s.len, "shell") || sl__streq(s.ptr, s.len, "bash") ||
                   sl__streq(s.ptr, s.len, "sh")) {
            bits |= 1u << SL_SCAN_LANG_SHELL;
        } else if (sl__streq(s.ptr, s.len, "text") || sl__streq(s.ptr, s.len, "markdown")) {
            bits |= 1u << SL_SCAN_LANG_TEXT;
        } else if (sl__streq(s.ptr, s.len, "any")) {
            bits |= 0x1Eu;
        } else {
            *bad = item;
            return 0;
        }
    }
    return bits;
}

/* Copies the token pattern (words separated by blanks) into the scanner arena. */
static int sl__rule_pattern(sl_scanner *sc, sl__rule *r, sl_str p)
{
    size_t count = 0;
    size_t k = 0;

    r->tokens = (sl_str *)sl__arena_alloc(&sc->arena, 32 * sizeof(sl_str));
    if (r->tokens == NULL) {
        return SL_ENOMEM;
    }
    while (k < p.len) {
        size_t n = 0;
        while (k < p.len && (p.ptr[k] == ' ' || p.ptr[k] == '\t')) {
            k++;
        }
        while (k + n < p.len && p.ptr[k + n] != ' ' && p.ptr[k + n] != '\t') {
            n++;
        }
        if (n == 0) {
            break;
        }
        if (count == 32) {
            return SL_ELIMIT;
        }
        r->tokens[count].ptr = sl__arena_strndup(&sc->arena, p.ptr + k, n);
        if (r->tokens[count].ptr == NULL) {
            return SL_ENOMEM;
        }
        r->tokens[count].len = n;
        count++;
        k += n;
    }
    r->ntokens = count;
    return count == 0 ? SL_EINVAL : SL_OK;
}

typedef struct sl__rules_ctx {
    sl_scanner *sc;
    const char *name;
    const char *text;
    size_t len;
    sl_error *err;
} sl__rules_ctx;

static int sl__rules_fail(sl__rules_ctx *c, const sl_value *v, const char *what)
{
    return sl__rules_error(c->err, c->name, c->text, c->len, v, what);
}

/* Reads one entry of `rules:` into `r` (strings in the scanner arena). */
static int sl__rule_read(sl__rules_ctx *c, const sl_value *item, sl__rule *r, size_t first_new)
{
    static const char *const keys[] = {
        "id", "severity", "category", "message", "languages", "pattern", "substring", NULL
    };
    const sl_value *id = sl_value_get(item, "id");
    const sl_value *sev = sl_value_get(item, "severity");
    const sl_value *msg = sl_value_get(item, "message");
    const sl_value *cat = sl_value_get(item, "category");
    const sl_value *langs = sl_value_get(item, "languages");
    const sl_value *pat = sl_value_get(item, "pattern");
    const sl_value *sub = sl_value_get(item, "substring");
    const sl_value *bad = NULL;
    size_t k;
    int rc;

    if (sl_value_kind(item) != SL_VALUE_OBJECT) {
        return sl__rules_fail(c, item, "each entry of 'rules' must be a mapping with id, "
                              "severity, message and a pattern or substring");
    }
    for (k = 0; k < sl_value_count(item); k++) {
        sl_str key = sl_value_str(sl_value_key_at(item, k));
        if (!sl__in_words(key.ptr, key.len, keys)) {
            return sl__rules_fail(c, sl_value_key_at(item, k), "unknown key in a rule; use id, "
                                  "severity, category, message, languages, pattern or substring");
        }
    }
    if (sl_value_kind(id) != SL_VALUE_STRING || !sl__rule_id_valid(sl_value_str(id))) {
        return sl__rules_fail(c, id != NULL ? id : item, "rule 'id' must be 1-64 lowercase "
                              "letters, digits and '-'");
    }
    if (sl__rule_find(c->sc, sl_value_str(id).ptr, sl_value_str(id).len) >= 0) {
        return sl__rules_fail(c, id, "rule 'id' is already defined; pick a new id");
    }
    for (k = first_new; k < c->sc->nrules; k++) {
        if (sl__streq(sl_value_str(id).ptr, sl_value_str(id).len, c->sc->rules[k].id)) {
            return sl__rules_fail(c, id, "rule 'id' repeats an id of this file");
        }
    }
    memset(r, 0, sizeof(*r));
    r->severity = sl_scan_severity_parse(sl_value_str(sev).ptr, sl_value_str(sev).len);
    if (sl_value_kind(sev) != SL_VALUE_STRING || r->severity == 0) {
        return sl__rules_fail(c, sev != NULL ? sev : item, "rule 'severity' must be low, medium, "
                              "high or critical");
    }
    if (sl_value_kind(msg) != SL_VALUE_STRING || sl_value_str(msg).len == 0) {
        return sl__rules_fail(c, msg != NULL ? msg : item, "rule 'message' must be a non-empty "
                              "string saying what the code does");
    }
    if (cat != NULL && sl_value_kind(cat) != SL_VALUE_STRING) {
        return sl__rules_fail(c, cat, "rule 'category' must be a string");
    }
    r->languages = langs == NULL ? 0x1Eu : sl__rule_languages(langs, &bad);
    if (r->languages == 0) {
        return sl__rules_fail(c, bad != NULL ? bad : langs, "unknown language; use python, "
                              "javascript, shell, text or any");
    }
    if ((pat == NULL) == (sub == NULL)) {
        return sl__rules_fail(c, pat != NULL ? pat : item, "a rule needs exactly one of "
                              "'pattern' and 'substring'");
    }
    if (sl_value_kind(pat != NULL ? pat : sub) != SL_VALUE_STRING ||
        sl_value_str(pat != NULL ? pat : sub).len == 0) {
        return sl__rules_fail(c, pat != NULL ? pat : sub, "'pattern' and 'substring' must be "
                              "non-empty strings");
    }
    r->id = sl__arena_strndup(&c->sc->arena, sl_value_str(id).ptr, sl_value_str(id).len);
    r->message = sl__arena_strndup(&c->sc->arena, sl_value_str(msg).ptr, sl_value_str(msg).len);
    r->category = cat != NULL ? sl__arena_strndup(&c->sc->arena, sl_value_str(cat).ptr,
                                                  sl_value_str(cat).len)
                              : "custom";
    if (r->id == NULL || r->message == NULL || r->category == NULL) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    r->language = -1;
    r->enabled = 1;
    r->custom = 1;
    if (sub != NULL) {
        r->match = SL__MATCH_SUBSTRING;
        r->text_len = sl_value_str(sub).len;
        r->text = sl__arena_strndup(&c->sc->arena, sl_value_str(sub).ptr, r->text_len);
        return r->text == NULL ? sl__error(c->err, SL_ENOMEM, "out of memory loading rules")
                               : SL_OK;
    }
    r->match = SL__MATCH_TOKENS;
    rc = sl__rule_pattern(c->sc, r, sl_value_str(pat));
    if (rc == SL_ENOMEM) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    if (rc != SL_OK) {
        return sl__rules_fail(c, pat, "'pattern' must be 1-32 tokens separated by spaces");
    }
    return SL_OK;
}

/* Checks the `disable` list and `severity` map against the rules known after this file's
 * new rules; nothing is applied yet. */
static int sl__rules_check_changes(sl__rules_ctx *c, const sl_value *disable,
                                   const sl_value *sev)
{
    size_t k;

    if (disable != NULL && sl_value_kind(disable) != SL_VALUE_ARRAY) {
        return sl__rules_fail(c, disable, "'disable' must be a list of rule ids");
    }
    for (k = 0; k < sl_value_count(disable); k++) {
        const sl_value *v = sl_value_at(disable, k);
        if (sl_value_kind(v) != SL_VALUE_STRING ||
            sl__rule_find(c->sc, sl_value_str(v).ptr, sl_value_str(v).len) < 0) {
            char what[200];

            snprintf(what, sizeof(what), "unknown rule id \"%.80s\" in 'disable'; list the "
                     "ids with sl_scanner_rule_count and sl_scanner_rule_at",
                     sl_value_cstr(v));
            return sl__rules_fail(c, v, what);
        }
    }
    if (sev != NULL && sl_value_kind(sev) != SL_VALUE_OBJECT) {
        return sl__rules_fail(c, sev, "'severity' must map rule ids to low, medium, high or "
                              "critical");
    }
    for (k = 0; k < sl_value_count(sev); k++) {
        const sl_value *key = sl_value_key_at(sev, k);
        const sl_value *v = sl_value_at(sev, k);
        if (sl__rule_find(c->sc, sl_value_str(key).ptr, sl_value_str(key).len) < 0) {
            char what[200];

            snprintf(what, sizeof(what), "unknown rule id \"%.80s\" in 'severity'",
                     sl_value_cstr(key));
            return sl__rules_fail(c, key, what);
        }
        if (sl_value_kind(v) != SL_VALUE_STRING ||
            sl_scan_severity_parse(sl_value_str(v).ptr, sl_value_str(v).len) == 0) {
            return sl__rules_fail(c, v, "severity must be low, medium, high or critical");
        }
    }
    return SL_OK;
}

static int sl__rules_apply(sl__rules_ctx *c, const sl_value *root)
{
    const sl_value *rules = sl_value_get(root, "rules");
    const sl_value *disable = sl_value_get(root, "disable");
    const sl_value *sev = sl_value_get(root, "severity");
    sl_scanner *sc = c->sc;
    size_t first_new = sc->nrules;
    size_t k;
    int rc;

    for (k = 0; k < sl_value_count(root); k++) {
        sl_str key = sl_value_str(sl_value_key_at(root, k));
        if (!sl__streq(key.ptr, key.len, "rules") && !sl__streq(key.ptr, key.len, "disable") &&
            !sl__streq(key.ptr, key.len, "severity")) {
            return sl__rules_fail(c, sl_value_key_at(root, k), "unknown top-level key; use "
                                  "rules, disable or severity");
        }
    }
    if (rules != NULL && sl_value_kind(rules) != SL_VALUE_ARRAY) {
        return sl__rules_fail(c, rules, "'rules' must be a list of rule mappings");
    }
    if (sl__scanner_grow(sc, sc->nrules + sl_value_count(rules)) != SL_OK) {
        return sl__error(c->err, SL_ENOMEM, "out of memory loading rules");
    }
    for (k = 0; k < sl_value_count(rules); k++) {
        rc = sl__rule_read(c, sl_value_at(rules, k), &sc->rules[sc->nrules], first_new);
        if (rc != SL_OK) {
            sc->nrules = first_new;
            return rc;
        }
        sc->nrules++;
    }
    rc = sl__rules_check_changes(c, disable, sev);
    if (rc != SL_OK) {
        sc->nrules = first_new;
        return rc;
    }
    for (k = 0; k < sl_value_count(disable); k++) {
        sl_str id = sl_value_str(sl_value_at(disable, k));
        sc->rules[sl__rule_find(sc, id.ptr, id.len)].enabled = 0;
    }
    for (k = 0; k < sl_value_count(sev); k++) {
        sl_str id = sl_value_str(sl_value_key_at(sev, k));
        sl_str v = sl_value_str(sl_value_at(sev, k));
        sc->rules[sl__rule_find(sc, id.ptr, id.len)].severity = sl_scan_severity_parse(v.ptr,
                                                                                       v.len);
    }
    return SL_OK;
}

SKILLLITE_API int sl_scanner_load_rules(sl_scanner *scanner, const char *text, size_t len,
                                        const char *source_name, sl_error *err)
{
    sl_yaml_options opt;
    sl_error yerr;
    sl_doc *doc;
    sl__rules_ctx c;
    const sl_value *root;
    int rc;

    if (scanner == NULL || (text == NULL && len > 0)) {
        return sl__error(err, SL_EINVAL, "sl_scanner_load_rules: %s is NULL",
                         scanner == NULL ? "scanner" : "text");
    }
    c.sc = scanner;
    c.name = source_name != NULL ? source_name : "rules";
    c.text = text != NULL ? text : "";
    c.len = len;
    c.err = err;
    sl_yaml_options_init(&opt);
    opt.alloc = &scanner->alloc;
    sl_error_clear(&yerr);
    doc = sl_yaml_parse(c.text, len, &opt, &yerr);
    if (doc == NULL) {
        if (yerr.code == SL_ENOMEM) {
            return sl__error(err, SL_ENOMEM, "out of memory loading rules");
        }
        sl__error_at(err, SL_ESCAN_RULES, c.text, len, yerr.offset, "%s:%d:%d: invalid YAML: %s",
                     c.name, yerr.line, yerr.column, yerr.message);
        return SL_ESCAN_RULES;
    }
    root = sl_doc_root(doc);
    if (root != NULL && sl_value_kind(root) != SL_VALUE_OBJECT) {
        rc = sl__rules_fail(&c, root, "a rule file must be a mapping with rules, disable or "
                            "severity");
    } else {
        rc = sl__rules_apply(&c, root);
    }
    sl_doc_free(doc);
    return rc;
}

SKILLLITE_API int sl_scanner_load_rules_file(sl_scanner *scanner, const char *path,
                                             sl_error *err)
{
    char *data;
    size_t len;
    int rc;

    if (scanner == NULL || path == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scanner_load_rules_file: %s is NULL",
                         scanner == NULL ? "scanner" : "path");
    }
    rc = sl_file_read(path, (size_t)1 << 20, &scanner->alloc, &data, &len, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_scanner_load_rules(scanner, data, len, path, err);
    sl_free(&scanner->alloc, data, len + 1);
    return rc;
}

/* --------------------------------------------------------------- registry --- */

typedef struct sl__scan_id {
    char id[SL_SCAN_ID_SIZE];
    char sha256[65];
    uint64_t expires;
    int live;
} sl__scan_id;

struct sl_scan_registry {
    sl_allocator alloc;
    sl_scan_registry_config cfg;
    sl__scan_id *ids;
};

SKILLLITE_API void sl_scan_registry_config_init(sl_scan_registry_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->ttl_seconds = 300;
    config->max_entries = 1024;
}

SKILLLITE_API int sl_scan_registry_new(const sl_scan_registry_config *config,
                                       sl_scan_registry **out, sl_error *err)
{
    sl_allocator a;
    sl_scan_registry *r;

    if (out == NULL) {
        return sl__error(err, SL_EINVAL, "sl_scan_registry_new: out is NULL");
    }
    *out = NULL;
    if (config != NULL && (config->max_entries == 0 || config->max_entries > 1000000)) {
        return sl__error(err, SL_EINVAL, "sl_scan_registry_new: max_entries %zu is out of "
                         "range; use 1 to 1000000", config->max_entries);
    }
    a = sl__allocator_resolve(config != NULL ? config->alloc : NULL);
    r = (sl_scan_registry *)sl__calloc(&a, 1, sizeof(*r));
    if (r == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan registry");
    }
    r->alloc = a;
    if (config != NULL) {
        r->cfg = *config;
    } else {
        sl_scan_registry_config_init(&r->cfg);
    }
    r->ids = (sl__scan_id *)sl__calloc(&a, r->cfg.max_entries, sizeof(sl__scan_id));
    if (r->ids == NULL) {
        sl__free(&a, r, sizeof(*r));
        return sl__error(err, SL_ENOMEM, "out of memory creating a scan registry");
    }
    *out = r;
    return SL_OK;
}

SKILLLITE_API void sl_scan_registry_free(sl_scan_registry *registry)
{
    sl_allocator a;

    if (registry == NULL) {
        return;
    }
    a = registry->alloc;
    sl__free(&a, registry->ids, registry->cfg.max_entries * sizeof(sl__scan_id));
    sl__free(&a, registry, sizeof(*registry));
}

static uint64_t sl__registry_now(const sl_scan_registry *r)
{
    return r->cfg.clock != NULL ? r->cfg.clock(r->cfg.clock_user) : sl_time_now_ns();
}

/* Fills `buf` with `len` random bytes from getrandom, else /dev/urandom. */
static int sl__random(unsigned char *buf, size_t len)
{
    size_t got = 0;
    int fd;

#if defined(__linux__) && defined(SYS_getrandom)
    while (got < len) {
        long n = syscall(SYS_getrandom, buf + got, len - got, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    if (got == len) {
        return SL_OK;
    }
#endif
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return SL_EIO;
    }
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            return SL_EIO;
        }
        got += (size_t)n;
    }
    close(fd);
    return SL_OK;
}

SKILLLITE_API size_t sl_scan_registry_live(sl_scan_registry *registry)
{
    uint64_t now;
    size_t n = 0;
    size_t k;

    if (registry == NULL) {
        return 0;
    }
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        n += registry->ids[k].live && now < registry->ids[k].expires;
    }
    return n;
}

SKILLLITE_API int sl_scan_registry_issue(sl_scan_registry *registry,
                                         const sl_scan_report *report,
                                         char id[SL_SCAN_ID_SIZE], sl_error *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];
    sl__scan_id *slot = NULL;
    uint64_t now;
    size_t k;

    if (registry == NULL || report == NULL || id == NULL) {
        const char *what = "id";
        if (registry == NULL) {
            what = "registry";
        } else if (report == NULL) {
            what = "report";
        }
        return sl__error(err, SL_EINVAL, "sl_scan_registry_issue: %s is NULL", what);
    }
    id[0] = '\0';
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        sl__scan_id *e = &registry->ids[k];
        if (e->live && now >= e->expires) {
            e->live = 0;
        }
        if (!e->live && slot == NULL) {
            slot = e;
        }
    }
    if (slot == NULL) {
        return sl__error(err, SL_ELIMIT, "the scan registry holds %zu live ids (max_entries); "
                         "consume or let some expire first", registry->cfg.max_entries);
    }
    if (sl__random(rnd, sizeof(rnd)) != SL_OK) {
        return sl__error_sys(err, SL_EIO, "getrandom", errno, "no random bytes for a scan id "
                             "from getrandom or /dev/urandom");
    }
    memcpy(slot->id, "scan-", 5);
    for (k = 0; k < sizeof(rnd); k++) {
        slot->id[5 + 2 * k] = hex[rnd[k] >> 4];
        slot->id[6 + 2 * k] = hex[rnd[k] & 15];
    }
    slot->id[5 + 2 * sizeof(rnd)] = '\0';
    memcpy(slot->sha256, report->sha256, sizeof(slot->sha256));
    slot->expires = now + (uint64_t)registry->cfg.ttl_seconds * 1000000000ull;
    slot->live = 1;
    memcpy(id, slot->id, SL_SCAN_ID_SIZE);
    return SL_OK;
}

SKILLLITE_API int sl_scan_registry_consume(sl_scan_registry *registry, const char *id,
                                           const char *sha256_hex, sl_error *err)
{
    uint64_t now;
    size_t k;

    if (registry == NULL || id == NULL || sha256_hex == NULL) {
        const char *what = "sha256_hex";
        if (registry == NULL) {
            what = "registry";
        } else if (id == NULL) {
            what = "id";
        }
        return sl__error(err, SL_EINVAL, "sl_scan_registry_consume: %s is NULL", what);
    }
    now = sl__registry_now(registry);
    for (k = 0; k < registry->cfg.max_entries; k++) {
        sl__scan_id *e = &registry->ids[k];
        if (!e->live || strncmp(e->id, id, SL_SCAN_ID_SIZE) != 0) {
            continue;
        }
        e->live = 0;
        if (now >= e->expires) {
            break;
        }
        if (strncmp(e->sha256, sha256_hex, 65) != 0) {
            return sl__error(err, SL_ESCAN_MISMATCH, "scan id '%.40s' was issued for other "
                             "content (sha256 %.12s...); the files changed since that scan, so "
                             "scan them again", id, e->sha256);
        }
        return SL_OK;
    }
    return sl__error(err, SL_ESCAN_EXPIRED, "scan id '%.40s' is unknown, expired or already "
                     "used; scan the skill again for a new id", id);
}

/* ------------------------------------------------------------------- gate --- */

SKILLLITE_API void sl_scan_gate_options_init(sl_scan_gate_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->confirm_severity = SL_SCAN_HIGH;
}

/* Applies the gate's decision to a finished report. */
static int sl__gate_decide(const sl_scan_gate_options *opt, const sl_scan_report *report,
                           sl_error *err)
{
    size_t critical = sl_scan_report_count_severity(report, SL_SCAN_CRITICAL);
    int threshold = opt->confirm_severity > 0 ? opt->confirm_severity : SL_SCAN_HIGH;
    char summary[160];
    int rc;

    if (opt->scan_id != NULL) {
        if (opt->registry == NULL) {
            return sl__error(err, SL_EINVAL, "sl_scan_gate: scan_id is set but registry is "
                             "NULL");
        }
        rc = sl_scan_registry_consume(opt->registry, opt->scan_id, report->sha256, err);
        if (rc != SL_OK) {
            return rc;
        }
    }
    sl_scan_report_summary(report, summary, sizeof(summary));
    if (critical > 0 && !opt->allow_critical) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; critical findings run only with "
                         "the critical override and the host's confirmation", summary);
    }
    if (sl_scan_report_max_severity(report) < threshold) {
        return SL_OK;
    }
    if (opt->confirm == NULL) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; these findings need the host's "
                         "confirmation and no confirm callback is set", summary);
    }
    if (opt->confirm(opt->confirm_user, report) != 1) {
        return sl__error(err, SL_ESCAN_BLOCKED, "blocked: %s; the host did not confirm the "
                         "run", summary);
    }
    return SL_OK;
}

static int sl__gate_finish(const sl_scan_gate_options *opt, int rc, sl_scan_report *rep,
                           sl_scan_report **report, sl_error *err)
{
    sl_scan_gate_options defaults;

    if (rc != SL_OK) {
        return rc;
    }
    if (opt == NULL) {
        sl_scan_gate_options_init(&defaults);
        opt = &defaults;
    }
    rc = sl__gate_decide(opt, rep, err);
    if (report != NULL) {
        *report = rep;
    } else {
        sl_scan_report_free(rep);
    }
    return rc;
}

SKILLLITE_API int sl_scan_gate(const sl_scan_gate_options *opt, const char *dir,
                               sl_scan_report **report, sl_error *err)
{
    sl_scan_report *rep = NULL;
    int rc;

    if (report != NULL) {
        *report = NULL;
    }
    rc = sl_scanner_scan_dir(opt != NULL ? opt->scanner : NULL, dir, &rep, err);
    return sl__gate_finish(opt, rc, rep, report, err);
}

SKILLLITE_API int sl_scan_gate_sources(const sl_scan_gate_options *opt,
                                       const sl_scan_source *sources, size_t count,
                                       sl_scan_report **report, sl_error *err)
{
    sl_scan_report *rep = NULL;
    int rc;

    if (report != NULL) {
        *report = NULL;
    }
    rc = sl_scanner_scan_sources(opt != NULL ? opt->scanner : NULL, sources, count, &rep, err);
    return sl__gate_finish(opt, rc, rep, report, err);
}

SKILLLITE_API int sl_scan_gate_skill(const sl_scan_gate_options *opt, const sl_skill *skill,
                                     sl_scan_report **report, sl_error *err)
{
    const char *dir = sl_skill_dir(skill);

    if (report != NULL) {
        *report = NULL;
    }
    if (skill == NULL || dir[0] == '\0') {
        return sl__error(err, SL_EINVAL, "sl_scan_gate_skill: %s; load the skill from its "
                         "folder with sl_skill_load", skill == NULL ? "skill is NULL"
                                                                    : "the skill has no folder");
    }
    return sl_scan_gate(opt, dir, report, err);
}
/* End file src/scan.c */

/* Begin file src/sandbox.c */
/* ===================================================================== sandbox ===
 *
 * The portable part of the sandbox: names, the policy defaults and the result. The Linux
 * spawner lives in sandbox_linux.c, which comes after the layer files (seccomp, Landlock,
 * cgroup) in the amalgamation.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const sl__layer_names[SL_LAYER_COUNT] = {
    "userns", "mountns", "pidns", "netns", "ipcns", "utsns",
    "seccomp", "landlock", "cgroup", "rlimits", "no_new_privs", "scan"
};

SKILLLITE_API const char *sl_sandbox_layer_name(unsigned layer)
{
    int i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        if (layer == (1u << i)) {
            return sl__layer_names[i];
        }
    }
    return "unknown";
}

SKILLLITE_API char *sl_sandbox_layers_str(unsigned layers, char *out, size_t size)
{
    size_t used = 0;
    int i;

    if (out == NULL || size == 0) {
        return out;
    }
    out[0] = '\0';
    for (i = 0; i < SL_LAYER_COUNT; i++) {
        const char *name = sl__layer_names[i];
        size_t len = strlen(name);
        size_t sep = used > 0 ? 1 : 0;

        if ((layers & (1u << i)) == 0) {
            continue;
        }
        if (used + sep + len + 1 > size) {
            break;
        }
        if (sep) {
            out[used++] = ' ';
        }
        memcpy(out + used, name, len);
        used += len;
        out[used] = '\0';
    }
    return out;
}

SKILLLITE_API const char *sl_sandbox_limit_name(int limit)
{
    switch (limit) {
    case SL_LIMIT_NONE: return "none";
    case SL_LIMIT_TIMEOUT: return "timeout";
    case SL_LIMIT_CPU: return "cpu";
    case SL_LIMIT_MEMORY: return "memory";
    case SL_LIMIT_PIDS: return "pids";
    case SL_LIMIT_OUTPUT: return "output";
    case SL_LIMIT_FILE_SIZE: return "file_size";
    case SL_LIMIT_KILLED: return "killed";
    default: return "unknown";
    }
}

SKILLLITE_API void sl_sandbox_policy_init(sl_sandbox_policy *policy)
{
    if (policy == NULL) {
        return;
    }
    memset(policy, 0, sizeof(*policy));
    policy->level = 2;
    policy->timeout_ms = 30000;
    policy->cpu_seconds = 30;
    policy->memory_bytes = (uint64_t)512 << 20;
    policy->max_processes = 64;
    policy->max_open_files = 256;
    policy->max_file_bytes = (uint64_t)64 << 20;
    policy->tmpfs_bytes = (uint64_t)64 << 20;
    policy->stdout_max = (size_t)1 << 20;
    policy->stderr_max = (size_t)1 << 20;
    policy->output_quota_bytes = (uint64_t)64 << 20;
    policy->uid = -1;
    policy->gid = -1;
    policy->use_cgroup = 1;
}

/* Upper bounds of the policy fields that have one. */
#define SL__OUTPUT_CAP_MAX ((size_t)1 << 30)
#define SL__OPEN_FILES_MAX 1048576u /* the kernel's default fs.nr_open */

/* Rejects a policy field outside its documented range. The message names the field, the
 * value and the valid range. Returns SL_OK or SL_ESANDBOX_POLICY. */
static int sl__sandbox_policy_check(const sl_sandbox_policy *pol, sl_error *err)
{
    const unsigned waivable = SL_LAYER_SECCOMP | SL_LAYER_LANDLOCK | SL_LAYER_CGROUP;

    if (pol->level < 1 || pol->level > 3) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy level %d is invalid; use 1, 2 or 3",
                         pol->level);
    }
    if (pol->timeout_ms == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy timeout_ms is 0; set a wall-clock "
                         "limit of 1 ms or more (default 30000)");
    }
    if (pol->cpu_seconds == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy cpu_seconds is 0; set 1 or more "
                         "(default 30)");
    }
    if (pol->memory_bytes < ((uint64_t)1 << 20)) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy memory_bytes %llu is too small; set "
                         "1048576 (1 MiB) or more (default 512 MiB)",
                         (unsigned long long)pol->memory_bytes);
    }
    if (pol->max_processes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_processes is 0; set 1 or more "
                         "(default 64)");
    }
    if (pol->max_open_files < 4 || pol->max_open_files > SL__OPEN_FILES_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_open_files %u is invalid; use 4 "
                         "to %u (default 256)", (unsigned)pol->max_open_files,
                         SL__OPEN_FILES_MAX);
    }
    if (pol->max_file_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy max_file_bytes is 0; set 1 or more "
                         "(default 64 MiB)");
    }
    if (pol->tmpfs_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy tmpfs_bytes is 0, which tmpfs reads "
                         "as unlimited; set 1 or more (default 64 MiB)");
    }
    if (pol->stdout_max == 0 || pol->stdout_max > SL__OUTPUT_CAP_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy stdout_max %zu is invalid; use 1 to "
                         "%zu (1 GiB; default 1 MiB)", pol->stdout_max, SL__OUTPUT_CAP_MAX);
    }
    if (pol->stderr_max == 0 || pol->stderr_max > SL__OUTPUT_CAP_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy stderr_max %zu is invalid; use 1 to "
                         "%zu (1 GiB; default 1 MiB)", pol->stderr_max, SL__OUTPUT_CAP_MAX);
    }
    if (pol->output_quota_bytes == 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy output_quota_bytes is 0; set 1 or "
                         "more (default 64 MiB)");
    }
    if (pol->kill_on_output_limit != 0 && pol->kill_on_output_limit != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy kill_on_output_limit %d is invalid; "
                         "use 0 or 1", pol->kill_on_output_limit);
    }
    if (pol->network != 0 && pol->network != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy network %d is invalid; use 0 or 1",
                         pol->network);
    }
    if (pol->allowed_domains != NULL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy allowed_domains is set, but the "
                         "domain allowlist is not implemented yet; leave it NULL, and use "
                         "network = 1 to share the host network");
    }
    if (pol->allow_subprocess != 0 && pol->allow_subprocess != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy allow_subprocess %d is invalid; use "
                         "0 or 1", pol->allow_subprocess);
    }
    if (pol->use_cgroup != 0 && pol->use_cgroup != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy use_cgroup %d is invalid; use 0 or 1",
                         pol->use_cgroup);
    }
    if (pol->uid < -1 || pol->uid > 0xfffffffeLL || pol->gid < -1 || pol->gid > 0xfffffffeLL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy uid/gid %lld/%lld is invalid; use -1 "
                         "(the default identity) or an id from 1 to 4294967294",
                         (long long)pol->uid, (long long)pol->gid);
    }
    if ((pol->waive_layers & ~waivable) != 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy waive_layers 0x%x is invalid; only "
                         "SL_LAYER_SECCOMP, SL_LAYER_LANDLOCK and SL_LAYER_CGROUP (0x%x) can "
                         "be waived", pol->waive_layers, waivable);
    }
    return SL_OK;
}

SKILLLITE_API void sl_sandbox_result_free(sl_sandbox_result *result)
{
    if (result == NULL) {
        return;
    }
    sl__free(result->alloc, result->stdout_data, result->stdout_len + 1);
    sl__free(result->alloc, result->stderr_data, result->stderr_len + 1);
    memset(result, 0, sizeof(*result));
}
/* End file src/sandbox.c */

/* Begin file src/sandbox_seccomp.c */
/* ============================================================= sandbox seccomp ===
 * The seccomp-bpf layer: a classic BPF program built before fork from the tables below and
 * installed in the child right before exec.
 *
 * The filter is a denylist (default action ALLOW). Python, node and bash use a broad and
 * changing set of syscalls (threads, epoll, io helpers, vDSO fallbacks), and an allowlist
 * would break them with every runtime or libc update. The filesystem and network are bounded
 * by the namespaces and Landlock. This layer removes the kernel interfaces that those layers
 * do not cover and that have a history of escapes: io_uring, ptrace, keyrings, BPF, nested
 * namespaces, the mount API, terminal injection and foreign syscall ABIs.
 *
 * Program shape:
 *   1. architecture check: any other audit arch (i386 `int 0x80` on x86_64) kills the process
 *   2. on x86_64, syscall numbers with the x32 bit set kill the process
 *   3. one block per table entry: compare the syscall number, then (for argument rules) load
 *      the low 32 bits of one argument and compare it. Every block that matched ends in RET.
 *   4. RET ALLOW
 *
 * NOTE: the blocks are tested one after another, so an allowed syscall walks the whole
 * program (157 instructions on x86_64). That cost about 0.13 us per syscall in a getppid()
 * loop on an x86_64 VM with the BPF JIT on; a binary search over syscall numbers would cut it.
 *
 * SECURITY: arguments are compared on their low 32 bits only, and only for syscalls whose
 * kernel parameter is 32 bits wide (clone flags are cut with lower_32_bits(), unshare rejects
 * high bits with EINVAL, ioctl cmd and personality are `unsigned int`, socket family and
 * protocol are `int`), so setting high bits cannot skip a rule.
 */

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SL__SECCOMP_ARCH AUDIT_ARCH_X86_64
/* Syscall numbers with this bit set select the x32 ABI, which shares the x86_64 audit arch. */
#define SL__SECCOMP_X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define SL__SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "skilllite.h: the seccomp filter supports x86_64 and aarch64 only; add this " \
    "architecture's AUDIT_ARCH_* value and syscall checks to src/sandbox_seccomp.c"
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "skilllite.h: the seccomp filter reads the low 32 bits of arguments at " \
    "little-endian offsets; add big-endian offsets to src/sandbox_seccomp.c"
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#endif
#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

/* Fallback numbers for syscalls that older kernel headers lack. Numbers from 424 on are the
 * same on every architecture (the unified syscall table since Linux 5.1). */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif

/* Namespace flags of clone() and unshare(). CLONE_NEWTIME (0x80) is only meaningful for
 * unshare() and clone3(): in clone() the low byte is the exit signal. */
#define SL__CLONE_NEWTIME 0x00000080u
#define SL__CLONE_NS_FLAGS                                                                  \
    ((uint32_t)(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |  \
                CLONE_NEWPID | CLONE_NEWNET))

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#define SL__NETLINK_ROUTE 0 /* NETLINK_ROUTE from <linux/netlink.h> */

/* Offsets into struct seccomp_data. */
#define SL__SECCOMP_NR_OFFSET ((uint32_t)offsetof(struct seccomp_data, nr))
#define SL__SECCOMP_ARCH_OFFSET ((uint32_t)offsetof(struct seccomp_data, arch))
#define SL__SECCOMP_ARG_LOW(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8u * (i)))

typedef struct sl__bpf {
    struct sock_filter *filter;
    unsigned short len;
    sl_allocator alloc;
} sl__bpf;

/* A syscall denied whatever its arguments. */
typedef struct sl__seccomp_deny {
    int nr;
    int err; /* errno returned to the caller */
} sl__seccomp_deny;

/* SECURITY: every entry names the threat it blocks. Syscalls that do not exist on one
 * architecture are guarded by #ifdef. */
static const sl__seccomp_deny sl__seccomp_denied[] = {
    /* io_uring performs I/O from kernel workers that seccomp does not filter, so it bypasses
       this filter, and it has been a steady source of kernel privilege escalations. */
    {__NR_io_uring_setup, EPERM},
    {__NR_io_uring_enter, EPERM},
    {__NR_io_uring_register, EPERM},

    /* Reading or writing another process's memory or state (ptrace, /proc/N/mem-like access,
       stealing its file descriptors, comparing its kernel objects, advising its memory). */
    {__NR_ptrace, EPERM},
    {__NR_process_vm_readv, EPERM},
    {__NR_process_vm_writev, EPERM},
    {__NR_pidfd_getfd, EPERM},
    {__NR_kcmp, EPERM},
    {__NR_process_madvise, EPERM},
    {__NR_move_pages, EPERM},    /* moves another process's pages between NUMA nodes */
    {__NR_migrate_pages, EPERM}, /* same, for all pages of a process */

    /* Kernel keyrings are not isolated by namespaces the way files are. */
    {__NR_keyctl, EPERM},
    {__NR_add_key, EPERM},
    {__NR_request_key, EPERM},

    /* Large attack surface interfaces: eBPF programs, performance counters (side channels),
       userfaultfd (turns kernel races into reliable exploits), fanotify. */
    {__NR_bpf, EPERM},
    {__NR_perf_event_open, EPERM},
    {__NR_userfaultfd, EPERM},
    {__NR_fanotify_init, EPERM},

    /* Kernel code, system state and devices: never a skill's business. */
    {__NR_kexec_load, EPERM},
#ifdef __NR_kexec_file_load
    {__NR_kexec_file_load, EPERM},
#endif
    {__NR_init_module, EPERM},
    {__NR_finit_module, EPERM},
    {__NR_delete_module, EPERM},
    {__NR_reboot, EPERM},
    {__NR_swapon, EPERM},
    {__NR_swapoff, EPERM},
    {__NR_acct, EPERM},
    {__NR_quotactl, EPERM},
    {__NR_quotactl_fd, EPERM},
    {__NR_syslog, EPERM}, /* kernel log: addresses and other processes' messages */
    {__NR_vhangup, EPERM},
    {__NR_settimeofday, EPERM},
    {__NR_clock_settime, EPERM},
    {__NR_adjtimex, EPERM},      /* NOTE: also denies read-only queries (modes == 0) */
    {__NR_clock_adjtime, EPERM}, /* the argument is a pointer, so seccomp cannot see modes */
#ifdef __NR_iopl
    {__NR_iopl, EPERM}, /* raw I/O port access */
#endif
#ifdef __NR_ioperm
    {__NR_ioperm, EPERM},
#endif
#ifdef __NR_modify_ldt
    {__NR_modify_ldt, EPERM}, /* 16-bit segments: a past source of kernel bugs */
#endif
#ifdef __NR_uselib
    {__NR_uselib, EPERM},
#endif
#ifdef __NR_lookup_dcookie
    {__NR_lookup_dcookie, EPERM},
#endif
#ifdef __NR_nfsservctl
    {__NR_nfsservctl, EPERM},
#endif

    /* File handles open any inode of a mounted filesystem by number, bypassing path checks
       (the "shocker" container escape). */
    {__NR_open_by_handle_at, EPERM},
    {__NR_name_to_handle_at, EPERM},

    /* Nested namespaces and the mount API: a payload that builds its own user namespace or
       mount tree regains capabilities and can undo the sandbox's view of the filesystem. */
    {__NR_setns, EPERM},
    {__NR_mount, EPERM},
    {__NR_umount2, EPERM},
    {__NR_pivot_root, EPERM},
    {__NR_chroot, EPERM},
    {__NR_open_tree, EPERM},
    {__NR_open_tree_attr, EPERM},
    {__NR_move_mount, EPERM},
    {__NR_fsopen, EPERM},
    {__NR_fsconfig, EPERM},
    {__NR_fsmount, EPERM},
    {__NR_fspick, EPERM},
    {__NR_mount_setattr, EPERM},

    /* clone3 passes its flags in a struct that seccomp cannot read. ENOSYS makes glibc and
       language runtimes fall back to clone(), whose flags the rule below checks. */
    {__NR_clone3, ENOSYS},
};

/* How an argument rule decides. */
enum {
    SL__ARG_DENY_IF_MASK = 1, /* deny when (low word & value[0]) != 0 */
    SL__ARG_DENY_IF_EQUAL,    /* deny when the low word equals one of the values */
    SL__ARG_ALLOW_IF_EQUAL    /* allow when the low word equals one of the values, else deny */
};

#define SL__SECCOMP_MAX_VALUES 4

/* A syscall whose verdict depends on the low 32 bits of one argument. */
typedef struct sl__seccomp_arg_rule {
    int nr;
    unsigned arg;  /* argument index, 0-5 */
    int kind;      /* SL__ARG_* */
    int err;       /* errno when denied */
    unsigned count; /* number of values used */
    uint32_t values[SL__SECCOMP_MAX_VALUES];
} sl__seccomp_arg_rule;

static const sl__seccomp_arg_rule sl__seccomp_arg_rules[] = {
    /* SECURITY: a nested user namespace gives the payload a full capability set over new
       namespaces, the entry point of most unprivileged kernel exploits; new mount, PID or
       network namespaces would let it rebuild its view of the system. Threads and fork use
       clone() without these flags and keep working. */
    {__NR_clone, 0, SL__ARG_DENY_IF_MASK, EPERM, 1, {SL__CLONE_NS_FLAGS, 0, 0, 0}},
    {__NR_unshare, 0, SL__ARG_DENY_IF_MASK, EPERM, 1,
     {SL__CLONE_NS_FLAGS | SL__CLONE_NEWTIME, 0, 0, 0}},

    /* SECURITY: TIOCSTI pushes characters into a terminal's input queue and TIOCLINUX can
       paste the console selection. With an inherited tty, either one runs commands in the
       host shell after the sandbox exits. */
    {__NR_ioctl, 1, SL__ARG_DENY_IF_EQUAL, EPERM, 2, {TIOCSTI, TIOCLINUX, 0, 0}},

    /* SECURITY: personality flags such as ADDR_NO_RANDOMIZE or READ_IMPLIES_EXEC weaken
       exploit mitigations for the payload and its children. Only the query (0xffffffff) and
       PER_LINUX (0) are allowed. */
    {__NR_personality, 0, SL__ARG_ALLOW_IF_EQUAL, EPERM, 2, {0u, 0xffffffffu, 0, 0}},
};

/* What socket() may create, by address family (argument 0). */
enum {
    SL__SOCKET_ALLOW = 1,
    SL__SOCKET_DENY,         /* return `err` */
    SL__SOCKET_NETLINK_ROUTE /* allow only protocol NETLINK_ROUTE (argument 2) */
};

typedef struct sl__seccomp_family {
    uint32_t family;
    int verdict; /* SL__SOCKET_* */
    int err;     /* errno for SL__SOCKET_DENY */
} sl__seccomp_family;

static const sl__seccomp_family sl__seccomp_families[] = {
    /* IPv4 and IPv6 stay: the network namespace contains them (loopback only unless the
       policy shares the host network). */
    {AF_INET, SL__SOCKET_ALLOW, 0},
    {AF_INET6, SL__SOCKET_ALLOW, 0},
    /* SECURITY: pathname Unix sockets reach host daemons (docker.sock, D-Bus, ssh-agent)
       through any bound path; socketpair() still works for local IPC. */
    {AF_UNIX, SL__SOCKET_DENY, EPERM},
    /* glibc's getaddrinfo and if_nameindex query interfaces over NETLINK_ROUTE; the other
       netlink protocols (audit, uevents, netfilter, ...) reach kernel subsystems. */
    {AF_NETLINK, SL__SOCKET_NETLINK_ROUTE, 0},
};
/* Every other family (AF_PACKET, AF_VSOCK, AF_KEY, AF_ALG, AF_BLUETOOTH, ...) fails as if the
 * kernel lacked it, which programs already handle. */
#define SL__SOCKET_DEFAULT_ERRNO EAFNOSUPPORT

/* ------------------------------------------------------------------ BPF emitter --- */

/* Emits instructions in two passes: the first (code == NULL) only counts them, so the second
 * writes into one exactly sized allocation. */
typedef struct sl__bpf_emitter {
    struct sock_filter *code;
    size_t len;
    size_t cap;
    int failed; /* nonzero after a jump offset or the length went out of range */
} sl__bpf_emitter;

static void sl__bpf_emit(sl__bpf_emitter *e, unsigned short code, uint32_t k, unsigned jt,
                         unsigned jf)
{
    struct sock_filter *insn;

    if (jt > 255 || jf > 255 || e->len >= BPF_MAXINSNS) {
        e->failed = 1;
        return;
    }
    if (e->code != NULL) {
        if (e->len >= e->cap) {
            e->failed = 1;
            return;
        }
        insn = &e->code[e->len];
        insn->code = code;
        insn->jt = (unsigned char)jt;
        insn->jf = (unsigned char)jf;
        insn->k = k;
    }
    e->len++;
}

#define SL__BPF_LOAD(e, offset) sl__bpf_emit((e), BPF_LD | BPF_W | BPF_ABS, (offset), 0, 0)
#define SL__BPF_RET(e, value) sl__bpf_emit((e), BPF_RET | BPF_K, (value), 0, 0)
#define SL__BPF_JEQ(e, value, jt, jf) \
    sl__bpf_emit((e), BPF_JMP | BPF_JEQ | BPF_K, (value), (jt), (jf))

static uint32_t sl__seccomp_errno(int err)
{
    return SECCOMP_RET_ERRNO | ((uint32_t)err & SECCOMP_RET_DATA);
}

/* Block: JEQ nr; RET ERRNO. */
static void sl__seccomp_emit_deny(sl__bpf_emitter *e, const sl__seccomp_deny *d)
{
    SL__BPF_JEQ(e, (uint32_t)d->nr, 0, 1);
    SL__BPF_RET(e, sl__seccomp_errno(d->err));
}

/* Block for an argument rule. Layout, with n values:
 *   0      JEQ nr, else skip the block
 *   1      LD low word of the argument
 *   2..    the comparisons (one JSET, or n JEQ)
 *   HIT    RET (the verdict when a comparison matched)
 *   MISS   RET (the verdict otherwise) */
static void sl__seccomp_emit_arg_rule(sl__bpf_emitter *e, const sl__seccomp_arg_rule *r)
{
    uint32_t deny = sl__seccomp_errno(r->err);
    unsigned compares = r->kind == SL__ARG_DENY_IF_MASK ? 1 : r->count;
    unsigned i;

    SL__BPF_JEQ(e, (uint32_t)r->nr, 0, compares + 3);
    SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(r->arg));
    if (r->kind == SL__ARG_DENY_IF_MASK) {
        sl__bpf_emit(e, BPF_JMP | BPF_JSET | BPF_K, r->values[0], 0, 1);
    } else {
        for (i = 0; i < compares; i++) {
            /* Jump to HIT on a match; the last comparison falls to MISS otherwise. */
            SL__BPF_JEQ(e, r->values[i], compares - 1 - i, i + 1 == compares ? 1 : 0);
        }
    }
    if (r->kind == SL__ARG_ALLOW_IF_EQUAL) {
        SL__BPF_RET(e, SECCOMP_RET_ALLOW);
        SL__BPF_RET(e, deny);
    } else {
        SL__BPF_RET(e, deny);
        SL__BPF_RET(e, SECCOMP_RET_ALLOW);
    }
}

/* Block for socket(). Layout, with m families:
 *   0          JEQ nr, else skip the block
 *   1          LD low word of argument 0 (the family)
 *   2..m+1     JEQ family_j -> its verdict slot
 *   m+2        RET ERRNO(default)
 *   slots      RET verdict (1 instruction), or for the NETLINK_ROUTE check:
 *              LD argument 2; JEQ NETLINK_ROUTE; RET ALLOW; RET ERRNO(EPROTONOSUPPORT) */
static void sl__seccomp_emit_socket(sl__bpf_emitter *e)
{
    const size_t m = SL__ARRAY_LEN(sl__seccomp_families);
    unsigned slot[SL__ARRAY_LEN(sl__seccomp_families)];
    unsigned pos = (unsigned)m + 3; /* first slot, relative to the block start */
    size_t j;

    for (j = 0; j < m; j++) {
        slot[j] = pos;
        pos += sl__seccomp_families[j].verdict == SL__SOCKET_NETLINK_ROUTE ? 4 : 1;
    }

    SL__BPF_JEQ(e, (uint32_t)__NR_socket, 0, pos - 1);
    SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(0));
    for (j = 0; j < m; j++) {
        unsigned here = (unsigned)j + 2;
        SL__BPF_JEQ(e, sl__seccomp_families[j].family, slot[j] - (here + 1), 0);
    }
    SL__BPF_RET(e, sl__seccomp_errno(SL__SOCKET_DEFAULT_ERRNO));

    for (j = 0; j < m; j++) {
        const sl__seccomp_family *f = &sl__seccomp_families[j];
        if (f->verdict == SL__SOCKET_ALLOW) {
            SL__BPF_RET(e, SECCOMP_RET_ALLOW);
        } else if (f->verdict == SL__SOCKET_DENY) {
            SL__BPF_RET(e, sl__seccomp_errno(f->err));
        } else {
            SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(2));
            SL__BPF_JEQ(e, SL__NETLINK_ROUTE, 0, 1);
            SL__BPF_RET(e, SECCOMP_RET_ALLOW);
            SL__BPF_RET(e, sl__seccomp_errno(EPROTONOSUPPORT));
        }
    }
}

/* ----------------------------------------------------------------- build, install --- */

/* Emits the whole program: the architecture checks, one block per table entry, ALLOW. */
static void sl__seccomp_emit_program(sl__bpf_emitter *e)
{
    size_t i;

    /* SECURITY: the syscall number means something else under another ABI, so a filter
       written for x86_64 numbers must kill i386 (int 0x80) and x32 calls outright. */
    SL__BPF_LOAD(e, SL__SECCOMP_ARCH_OFFSET);
    SL__BPF_JEQ(e, SL__SECCOMP_ARCH, 1, 0);
    SL__BPF_RET(e, SECCOMP_RET_KILL_PROCESS);
    SL__BPF_LOAD(e, SL__SECCOMP_NR_OFFSET);
#ifdef SL__SECCOMP_X32_BIT
    sl__bpf_emit(e, BPF_JMP | BPF_JGE | BPF_K, SL__SECCOMP_X32_BIT, 0, 1);
    SL__BPF_RET(e, SECCOMP_RET_KILL_PROCESS);
#endif

    for (i = 0; i < SL__ARRAY_LEN(sl__seccomp_denied); i++) {
        sl__seccomp_emit_deny(e, &sl__seccomp_denied[i]);
    }
    for (i = 0; i < SL__ARRAY_LEN(sl__seccomp_arg_rules); i++) {
        sl__seccomp_emit_arg_rule(e, &sl__seccomp_arg_rules[i]);
    }
    sl__seccomp_emit_socket(e);
    SL__BPF_RET(e, SECCOMP_RET_ALLOW);
}

/* Builds the filter into `out`, allocated with the policy's allocator (NULL policy: the
 * default allocator); free it with sl__seccomp_release. The policy has no seccomp options
 * yet, so every run gets the same filter. Returns SL_OK, SL_ENOMEM or SL_ESANDBOX_SECCOMP. */
SL__SHARED int sl__seccomp_build(const sl_sandbox_policy *policy, sl__bpf *out, sl_error *err)
{
    sl__bpf_emitter e;

    memset(out, 0, sizeof(*out));
    out->alloc = sl__allocator_resolve(policy != NULL ? policy->alloc : NULL);

    memset(&e, 0, sizeof(e));
    sl__seccomp_emit_program(&e);
    if (e.failed != 0) {
        return sl__error_sys(err, SL_ESANDBOX_SECCOMP, "seccomp_build", 0,
                             "seccomp: the filter is longer than the BPF limit of %d "
                             "instructions or a jump is out of range; shorten the tables in "
                             "src/sandbox_seccomp.c", BPF_MAXINSNS);
    }

    e.cap = e.len;
    e.len = 0;
    e.code = (struct sock_filter *)sl__calloc(&out->alloc, e.cap, sizeof(*e.code));
    if (e.code == NULL) {
        return sl__error(err, SL_ENOMEM, "seccomp: out of memory for a %zu-instruction filter",
                         e.cap);
    }
    sl__seccomp_emit_program(&e);

    out->filter = e.code;
    out->len = (unsigned short)e.len;
    return SL_OK;
}

/* Frees the program; a zeroed or released program is accepted. */
SL__SHARED void sl__seccomp_release(sl__bpf *prog)
{
    if (prog == NULL || prog->filter == NULL) {
        return;
    }
    sl__free(&prog->alloc, prog->filter, (size_t)prog->len * sizeof(*prog->filter));
    prog->filter = NULL;
    prog->len = 0;
}

/* Installs the filter on the calling thread. Runs in the child between fork and exec, so it
 * only makes raw syscalls (async-signal-safe). Sets no_new_privs first, which the kernel
 * requires without CAP_SYS_ADMIN (setting it twice is harmless). Returns 0 or -errno. */
SL__SHARED int sl__seccomp_install(const sl__bpf *prog)
{
    struct sock_fprog fprog;

    if (prog == NULL || prog->filter == NULL || prog->len == 0) {
        return -EINVAL;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return -errno;
    }
    fprog.len = prog->len;
    fprog.filter = prog->filter;
    if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0) {
        return 0;
    }
    if (errno != ENOSYS) {
        return -errno;
    }
    /* Kernels before 3.17 only have the prctl interface. */
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) {
        return -errno;
    }
    return 0;
}
/* End file src/sandbox_seccomp.c */

/* Begin file src/sandbox_landlock.c */
/* ============================================================ sandbox landlock ===
 * The Landlock layer: a ruleset built before fork from host paths, enforced in the child
 * with landlock_restrict_self() after no_new_privs.
 *
 * Rules attach to inodes, not to path strings, so a path opened here on the host keeps
 * its rule when the same inode appears in the child through a bind mount at another place.
 *
 * The constants are defined here because the installed <linux/landlock.h> is often older
 * than the running kernel (Debian 12 ships ABI 2 headers). Values from the kernel's
 * include/uapi/linux/landlock.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444 /* unified syscall table, every architecture */
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

/* The highest ABI this code handles. ABI 7 only adds audit-log flags, ABI 8 thread sync.
 * TODO: ABI 9 adds a right for connecting to pathname Unix sockets; handle it once the
 * policy has a Unix socket option. */
#define SL__LANDLOCK_ABI_MAX 7

#define SL__LANDLOCK_CREATE_RULESET_VERSION (1u << 0)
#define SL__LANDLOCK_RULE_PATH_BENEATH 1
#define SL__LANDLOCK_RULE_NET_PORT 2

/* Filesystem rights, by the ABI that introduced them. */
#define SL__LL_FS_EXECUTE (1ull << 0)
#define SL__LL_FS_WRITE_FILE (1ull << 1)
#define SL__LL_FS_READ_FILE (1ull << 2)
#define SL__LL_FS_READ_DIR (1ull << 3)
#define SL__LL_FS_REMOVE_DIR (1ull << 4)
#define SL__LL_FS_REMOVE_FILE (1ull << 5)
#define SL__LL_FS_MAKE_CHAR (1ull << 6)
#define SL__LL_FS_MAKE_DIR (1ull << 7)
#define SL__LL_FS_MAKE_REG (1ull << 8)
#define SL__LL_FS_MAKE_SOCK (1ull << 9)
#define SL__LL_FS_MAKE_FIFO (1ull << 10)
#define SL__LL_FS_MAKE_BLOCK (1ull << 11)
#define SL__LL_FS_MAKE_SYM (1ull << 12)
#define SL__LL_FS_ABI1 ((1ull << 13) - 1)     /* bits 0-12 */
#define SL__LL_FS_REFER (1ull << 13)          /* ABI 2: link/rename across directories */
#define SL__LL_FS_TRUNCATE (1ull << 14)       /* ABI 3 */
#define SL__LL_FS_IOCTL_DEV (1ull << 15)      /* ABI 5: ioctl on character/block devices */

/* Rights that apply to a file as opposed to a directory; a rule on a non-directory may only
 * carry these, or landlock_add_rule fails with EINVAL. */
#define SL__LL_FS_FILE_RIGHTS                                                             \
    (SL__LL_FS_EXECUTE | SL__LL_FS_WRITE_FILE | SL__LL_FS_READ_FILE | SL__LL_FS_TRUNCATE | \
     SL__LL_FS_IOCTL_DEV)

/* Network rights (ABI 4) and scopes (ABI 6). */
#define SL__LL_NET_BIND_TCP (1ull << 0)
#define SL__LL_NET_CONNECT_TCP (1ull << 1)
#define SL__LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0)
#define SL__LL_SCOPE_SIGNAL (1ull << 1)

/* struct landlock_ruleset_attr as of ABI 6. Older kernels accept a larger size when the
 * extra fields are zero, but the size passed is still cut to the fields the ABI defines. */
typedef struct sl__landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
} sl__landlock_ruleset_attr;

/* struct landlock_path_beneath_attr is packed (12 bytes: u64 allowed_access, s32 parent_fd),
 * so it is assembled in a byte array instead of relying on a compiler attribute. */
#define SL__LANDLOCK_PATH_BENEATH_SIZE 12

typedef struct sl__landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
} sl__landlock_net_port_attr;

typedef struct sl__landlock_spec {
    const char *const *read_paths;  /* NULL-terminated; may be NULL */
    const char *const *write_paths;
    const char *const *exec_paths;
    int deny_tcp;                   /* 1: deny TCP bind and connect (ABI 4+) */
    int abi;                        /* from sl__landlock_abi(); 1..SL__LANDLOCK_ABI_MAX */
} sl__landlock_spec;

/* Returns the highest Landlock ABI that both the kernel and this code support, or 0 when
 * Landlock is missing or disabled. One syscall, nothing cached. */
SL__SHARED int sl__landlock_abi(void)
{
    long abi = syscall(__NR_landlock_create_ruleset, NULL, (size_t)0,
                       SL__LANDLOCK_CREATE_RULESET_VERSION);

    if (abi <= 0) {
        return 0;
    }
    return abi > SL__LANDLOCK_ABI_MAX ? SL__LANDLOCK_ABI_MAX : (int)abi;
}

/* Returns every filesystem right that `abi` defines. */
static uint64_t sl__landlock_fs_rights(int abi)
{
    uint64_t rights = SL__LL_FS_ABI1;

    if (abi >= 2) {
        rights |= SL__LL_FS_REFER;
    }
    if (abi >= 3) {
        rights |= SL__LL_FS_TRUNCATE;
    }
    if (abi >= 5) {
        rights |= SL__LL_FS_IOCTL_DEV;
    }
    return rights;
}

/* Adds one path rule. A missing path is skipped, because there is no inode to grant access
 * to. A symlink as the last component is rejected: a rule on it would cover the link itself,
 * and following it would let the link's owner choose what the rule covers. Returns SL_OK or
 * SL_ESANDBOX_LANDLOCK.
 * NOTE: symlinks in earlier components are followed; callers pass resolved paths. */
static int sl__landlock_add_path(int ruleset_fd, const char *path, uint64_t rights,
                                 sl_error *err)
{
    unsigned char attr[SL__LANDLOCK_PATH_BENEATH_SIZE];
    struct stat st;
    int32_t fd;
    int saved;

    fd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return SL_OK;
        }
        saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock: cannot open \"%s\" for a rule: %s; check that the "
                             "path is readable by the caller", path, strerror(saved));
    }
    if (fstat(fd, &st) != 0) {
        saved = errno;
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock: cannot stat \"%s\": %s", path, strerror(saved));
    }
    if (S_ISLNK(st.st_mode)) {
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", ELOOP,
                             "landlock: \"%s\" is a symbolic link; pass the resolved target "
                             "path (realpath) instead", path);
    }
    if (!S_ISDIR(st.st_mode)) {
        rights &= SL__LL_FS_FILE_RIGHTS;
    }

    memcpy(attr, &rights, sizeof(rights));
    memcpy(attr + sizeof(rights), &fd, sizeof(fd));
    if (syscall(__NR_landlock_add_rule, ruleset_fd, SL__LANDLOCK_RULE_PATH_BENEATH, attr, 0)
        != 0) {
        saved = errno;
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock_add_rule \"%s\" failed: %s", path, strerror(saved));
    }
    close(fd);
    return SL_OK;
}

static int sl__landlock_add_paths(int ruleset_fd, const char *const *paths, uint64_t rights,
                                  sl_error *err)
{
    size_t i;
    int rc;

    if (paths == NULL) {
        return SL_OK;
    }
    for (i = 0; paths[i] != NULL; i++) {
        rc = sl__landlock_add_path(ruleset_fd, paths[i], rights, err);
        if (rc != SL_OK) {
            return rc;
        }
    }
    return SL_OK;
}

/* Creates the ruleset for `spec` and adds its rules, before fork. On success `*ruleset_fd`
 * is a close-on-exec fd that the caller closes after the child has enforced it. Rights:
 * read_paths get read_file and read_dir, exec_paths also execute, write_paths every right
 * the ABI defines. Everything not granted is denied, including TCP bind and connect when
 * `deny_tcp` (ABI 4+), and from ABI 6 abstract Unix sockets and signals that leave the
 * sandbox. Returns SL_OK, SL_EINVAL or SL_ESANDBOX_LANDLOCK with the stage set. */
SL__SHARED int sl__landlock_prepare(const sl__landlock_spec *spec, int *ruleset_fd,
                                    sl_error *err)
{
    sl__landlock_ruleset_attr attr;
    size_t attr_size = sizeof(uint64_t);
    uint64_t all;
    uint64_t read_rights;
    int fd;
    int rc;
    int abi;

    if (ruleset_fd == NULL || spec == NULL) {
        return sl__error(err, SL_EINVAL, "landlock: spec and ruleset_fd must not be NULL");
    }
    *ruleset_fd = -1;
    abi = spec->abi > SL__LANDLOCK_ABI_MAX ? SL__LANDLOCK_ABI_MAX : spec->abi;
    if (abi < 1) {
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_create_ruleset", EOPNOTSUPP,
                             "landlock: the kernel does not offer Landlock; enable "
                             "CONFIG_SECURITY_LANDLOCK and add landlock to the lsm= boot "
                             "parameter, or waive the layer (waive_layers |= "
                             "SL_LAYER_LANDLOCK)");
    }

    all = sl__landlock_fs_rights(abi);
    memset(&attr, 0, sizeof(attr));
    attr.handled_access_fs = all;
    if (abi >= 4) {
        attr_size = 2 * sizeof(uint64_t);
        if (spec->deny_tcp) {
            /* SECURITY: with a handled right and no net rule, every port is denied. */
            attr.handled_access_net = SL__LL_NET_BIND_TCP | SL__LL_NET_CONNECT_TCP;
        }
    }
    if (abi >= 6) {
        attr_size = sizeof(attr);
        /* SECURITY: abstract Unix sockets have no path for a rule to cover, and a signal
           could reach a process outside the sandbox when the PID namespace is waived. The
           scopes limit both to processes inside this Landlock domain. */
        attr.scoped = SL__LL_SCOPE_ABSTRACT_UNIX_SOCKET | SL__LL_SCOPE_SIGNAL;
    }

    fd = (int)syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0u);
    if (fd < 0) {
        int saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_create_ruleset", saved,
                             "landlock_create_ruleset (ABI %d) failed: %s", abi,
                             strerror(saved));
    }
    /* The syscall sets O_CLOEXEC on the ruleset fd itself. */

    read_rights = SL__LL_FS_READ_FILE | SL__LL_FS_READ_DIR;
    rc = sl__landlock_add_paths(fd, spec->read_paths, read_rights, err);
    if (rc == SL_OK) {
        rc = sl__landlock_add_paths(fd, spec->exec_paths, read_rights | SL__LL_FS_EXECUTE, err);
    }
    if (rc == SL_OK) {
        rc = sl__landlock_add_paths(fd, spec->write_paths, all, err);
    }
    if (rc != SL_OK) {
        close(fd);
        return rc;
    }
    *ruleset_fd = fd;
    return SL_OK;
}

/* Enforces the ruleset on the calling thread. Runs in the child after PR_SET_NO_NEW_PRIVS,
 * so it makes one raw syscall (async-signal-safe). Returns 0 or -errno. */
SL__SHARED int sl__landlock_enforce(int ruleset_fd)
{
    if (ruleset_fd < 0) {
        return -EBADF;
    }
    if (syscall(__NR_landlock_restrict_self, ruleset_fd, 0u) != 0) {
        return -errno;
    }
    return 0;
}
/* End file src/sandbox_landlock.c */

/* Begin file src/sandbox_cgroup.c */
/* ============================================================== sandbox cgroup ===
 * The cgroup layer: one fresh cgroup per run with a memory limit and a process limit, so a
 * memory or fork bomb hits a limit that counts every process of the run (RLIMIT_NPROC counts
 * per user and ignores root; RLIMIT_DATA counts per process).
 *
 * Which hierarchy:
 *   v2  when the caller's cgroup (or its parent, for a host that moved itself into a leaf of a
 *       delegated subtree) already enables memory and pids in cgroup.subtree_control and is
 *       writable. The run cgroup is created there as "skilllite-run-...". The library never
 *       moves the host process and never enables controllers itself, because the cgroup v2
 *       "no internal processes" rule would require moving the host.
 *   v1  when the memory and pids controllers are mounted as v1 hierarchies and the caller may
 *       create directories there (in practice root): "<mount>/skilllite/run-..." in each.
 *       NOTE: this sits under the hierarchy's root, not under the caller's own cgroup, so a
 *       memory limit set on the host process's v1 cgroup does not cover the run.
 *   0   otherwise; the spawner then falls back to rlimits and reports no cgroup layer.
 *
 * Run names are "run-<pid>-<tid>-<monotonic ns>-<attempt>". A name that exists already
 * (EEXIST) is retried with the next attempt number, so two runs never share a cgroup. The
 * pid lets a later run remove the empty cgroups that a dead process left behind.
 *
 * Finding the hierarchies reads /proc/self/mountinfo and /proc/self/cgroup, which costs
 * about as much as creating the run cgroup itself. A caller that creates many run cgroups
 * (the warm pool) keeps an sl__cgroup_base: discovered once, with the stale-directory scan
 * done once. A cold spawn discovers per run.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SL__CGROUP_PATH_MAX 256
#define SL__CGROUP_FILE_MAX 4096 /* bytes read from one cgroup control file */
#define SL__CGROUP_V1_PARENT "skilllite"
#define SL__CGROUP_V2_PREFIX "skilllite-"

typedef struct sl__cgroup {
    int version;                        /* 2, 1, or 0 when no usable cgroup */
    int procs_fd;                       /* cgroup.procs of `path`, open for writing; -1 */
    char path[SL__CGROUP_PATH_MAX];     /* v2: the run cgroup; v1: the memory one */
    int pids_procs_fd;                  /* v1: cgroup.procs of `pids_path`; -1 otherwise */
    char pids_path[SL__CGROUP_PATH_MAX]; /* v1: the run cgroup in the pids hierarchy */
    int no_processes;                   /* 1: every process of the run is known to be dead
                                           (the init of its PID namespace was reaped), so
                                           destroy skips the kill loop */
} sl__cgroup;

/* Where run cgroups go, as discovered from the host's mounts and the caller's own cgroup.
 * NOTE: a kept base does not notice a host that later moves itself to another cgroup or
 * mounts another hierarchy. A pool keeps using the hierarchies it found first. */
typedef struct sl__cgroup_base {
    int discovered;                          /* 1 once the fields below are filled */
    int stale_checked;                       /* 1 once stale run cgroups were removed */
    char v2_parent[SL__CGROUP_PATH_MAX];     /* usable cgroup v2 parent; "" when none */
    char memory_mount[SL__CGROUP_PATH_MAX];  /* v1 memory hierarchy; "" when not mounted */
    char pids_mount[SL__CGROUP_PATH_MAX];    /* v1 pids hierarchy; "" when not mounted */
} sl__cgroup_base;

/* ------------------------------------------------------------------ file helpers --- */

/* Reads a small control file into `buf` (NUL-terminated). Returns the length or -errno. */
static ssize_t sl__cgroup_read(const char *dir, const char *name, char *buf, size_t size)
{
    char path[SL__CGROUP_PATH_MAX + 64];
    size_t len = 0;
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        return -ENAMETOOLONG;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            close(fd);
            return -saved;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

/* Writes `value` to a control file in one write() (the kernel parses one write per value).
 * Returns 0 or -errno. */
static int sl__cgroup_write(const char *dir, const char *name, const char *value)
{
    char path[SL__CGROUP_PATH_MAX + 64];
    size_t len = strlen(value);
    ssize_t n;
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        return -ENAMETOOLONG;
    }
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    do {
        n = write(fd, value, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        int saved = errno;
        close(fd);
        return -saved;
    }
    close(fd);
    return (size_t)n == len ? 0 : -EIO;
}

/* Returns the number after `key` and a space at the start of a line of `text` (the "key
 * value" format of memory.events, pids.events and memory.oom_control), or 0. */
static uint64_t sl__cgroup_keyed(const char *text, const char *key)
{
    size_t key_len = strlen(key);
    const char *line = text;

    while (line != NULL && *line != '\0') {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == ' ') {
            return strtoull(line + key_len + 1, NULL, 10);
        }
        line = strchr(line, '\n');
        if (line != NULL) {
            line++;
        }
    }
    return 0;
}

/* Returns 1 when the space-separated `list` contains `word`. */
static int sl__cgroup_has_word(const char *list, const char *word)
{
    size_t word_len = strlen(word);
    const char *p = list;

    while (*p != '\0') {
        while (*p == ' ' || *p == '\n') {
            p++;
        }
        if (strncmp(p, word, word_len) == 0
            && (p[word_len] == ' ' || p[word_len] == '\n' || p[word_len] == '\0')) {
            return 1;
        }
        while (*p != '\0' && *p != ' ' && *p != '\n') {
            p++;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- finding mounts --- */

/* Returns 1 when the mountinfo `line` describes the cgroup2 hierarchy (`controller` NULL)
 * or the v1 hierarchy whose super options list `controller`, with its mount point in `out`.
 * Format: "id parent major:minor root mount_point options [optional...] - fstype source
 * super_options". Mount points with spaces are escaped as \040 and are skipped. */
static int sl__cgroup_mountinfo_match(const char *line, const char *controller, char *out,
                                      size_t size)
{
    char mount_point[SL__CGROUP_PATH_MAX];
    char fstype[32];
    char options[256];
    const char *sep = strstr(line, " - ");
    char *opt;
    char *save = NULL;

    if (sep == NULL || sscanf(line, "%*s %*s %*s %*s %255s", mount_point) != 1
        || sscanf(sep + 3, "%31s %*s %255s", fstype, options) != 2
        || strchr(mount_point, '\\') != NULL || strlen(mount_point) >= size) {
        return 0;
    }
    if (controller == NULL) {
        if (strcmp(fstype, "cgroup2") != 0) {
            return 0;
        }
    } else {
        int listed = 0;
        if (strcmp(fstype, "cgroup") != 0) {
            return 0;
        }
        for (opt = strtok_r(options, ",", &save); opt != NULL;
             opt = strtok_r(NULL, ",", &save)) {
            listed |= strcmp(opt, controller) == 0;
        }
        if (!listed) {
            return 0;
        }
    }
    memcpy(out, mount_point, strlen(mount_point) + 1);
    return 1;
}

/* Finds, in one pass over /proc/self/mountinfo, the first cgroup2 mount point and the first
 * v1 hierarchies with the memory and the pids controller (see sl__cgroup_mountinfo_match).
 * A mount that is not found leaves its field "". */
static void sl__cgroup_find_mounts(sl__cgroup_base *base, char *v2_mount, size_t size)
{
    char line[1024];
    int skipping = 0;
    FILE *f = fopen("/proc/self/mountinfo", "re");

    v2_mount[0] = '\0';
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        int complete = strchr(line, '\n') != NULL;
        /* A line longer than the buffer cannot be a cgroup mount we can use; skip it whole. */
        if (!skipping && complete && strstr(line, " - cgroup") != NULL) {
            if (v2_mount[0] == '\0') {
                (void)sl__cgroup_mountinfo_match(line, NULL, v2_mount, size);
            }
            if (base->memory_mount[0] == '\0') {
                (void)sl__cgroup_mountinfo_match(line, "memory", base->memory_mount,
                                                 sizeof(base->memory_mount));
            }
            if (base->pids_mount[0] == '\0') {
                (void)sl__cgroup_mountinfo_match(line, "pids", base->pids_mount,
                                                 sizeof(base->pids_mount));
            }
        }
        skipping = !complete;
    }
    fclose(f);
}

/* Finds the caller's cgroup v2 path (the "0::" line of /proc/self/cgroup). */
static int sl__cgroup_own_v2_path(char *out, size_t size)
{
    char buf[4096];
    const char *line = buf;

    if (sl__cgroup_read("/proc/self", "cgroup", buf, sizeof(buf)) <= 0) {
        return 0;
    }
    while (line != NULL && *line != '\0') {
        if (strncmp(line, "0::", 3) == 0) {
            const char *end = strchr(line, '\n');
            size_t len = end != NULL ? (size_t)(end - line - 3) : strlen(line + 3);
            if (len >= size) {
                return 0;
            }
            memcpy(out, line + 3, len);
            out[len] = '\0';
            return 1;
        }
        line = strchr(line, '\n');
        if (line != NULL) {
            line++;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- run directory --- */

/* Removes run cgroups in `dir` whose name starts with `prefix` and whose creator pid is gone
 * (a crashed host). Best effort: rmdir only succeeds on an empty cgroup. */
static void sl__cgroup_remove_stale(const char *dir, const char *prefix)
{
    size_t prefix_len = strlen(prefix);
    DIR *d = opendir(dir);
    struct dirent *entry;

    if (d == NULL) {
        return;
    }
    while ((entry = readdir(d)) != NULL) {
        char path[SL__CGROUP_PATH_MAX + 64];
        char *end;
        long pid;

        if (strncmp(entry->d_name, prefix, prefix_len) != 0) {
            continue;
        }
        pid = strtol(entry->d_name + prefix_len, &end, 10);
        if (pid <= 0 || *end != '-' || pid == (long)getpid()) {
            continue;
        }
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) {
            continue;
        }
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name) < sizeof(path)) {
            (void)rmdir(path);
        }
    }
    closedir(d);
}

/* Creates "<parent>/<prefix><pid>-<tid>-<ns>" and writes its path to `out`. Returns 0 or
 * -errno (-ENAMETOOLONG when the path does not fit). */
static int sl__cgroup_mkdir_run(const char *parent, const char *prefix, char *out, size_t size)
{
    long tid = (long)syscall(SYS_gettid);
    int attempt;

    for (attempt = 0; attempt < 16; attempt++) {
        unsigned long long now = (unsigned long long)sl_time_now_ns();
        size_t n = (size_t)snprintf(out, size, "%s/%s%ld-%ld-%llu-%d", parent, prefix,
                                    (long)getpid(), tid, now, attempt);
        if (n >= size) {
            return -ENAMETOOLONG;
        }
        if (mkdir(out, 0755) == 0) {
            return 0;
        }
        if (errno != EEXIST) {
            return -errno;
        }
    }
    return -EEXIST;
}

static int sl__cgroup_open_procs(const char *dir)
{
    char path[SL__CGROUP_PATH_MAX + 64];

    if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return open(path, O_WRONLY | O_CLOEXEC);
}

/* Formats `value` as decimal, or "max" for 0 when `zero_is_max`. */
static void sl__cgroup_format(char *out, size_t size, uint64_t value, int zero_is_max)
{
    if (value == 0 && zero_is_max) {
        snprintf(out, size, "max");
    } else {
        snprintf(out, size, "%llu", (unsigned long long)value);
    }
}

/* ----------------------------------------------------------------------- v2 setup --- */

/* Picks the cgroup v2 parent for the run below the cgroup2 `mount`: the caller's cgroup
 * when its subtree_control already enables memory and pids, else its parent under the same
 * condition. */
static int sl__cgroup_v2_parent(const char *mount, char *out, size_t size)
{
    char own[SL__CGROUP_PATH_MAX];
    char dir[SL__CGROUP_PATH_MAX];
    char control[512];
    int level;

    if (mount[0] == '\0' || !sl__cgroup_own_v2_path(own, sizeof(own))) {
        return 0;
    }
    for (level = 0; level < 2; level++) {
        if ((size_t)snprintf(dir, sizeof(dir), "%s%s", mount, strcmp(own, "/") == 0 ? "" : own)
            >= sizeof(dir)) {
            return 0;
        }
        if (sl__cgroup_read(dir, "cgroup.subtree_control", control, sizeof(control)) >= 0
            && sl__cgroup_has_word(control, "memory") && sl__cgroup_has_word(control, "pids")
            && access(dir, W_OK) == 0) {
            /* Moving the child from the caller's cgroup needs write access to cgroup.procs
               of the common ancestor, which is `dir` itself at both levels. */
            char procs[SL__CGROUP_PATH_MAX + 16];
            snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
            if (access(procs, W_OK) == 0 && strlen(dir) < size) {
                memcpy(out, dir, strlen(dir) + 1);
                return 1;
            }
        }
        if (strcmp(own, "/") == 0) {
            return 0;
        }
        *strrchr(own, '/') = '\0';
        if (own[0] == '\0') {
            own[0] = '/';
            own[1] = '\0';
        }
    }
    return 0;
}

/* Creates the run cgroup under `parent` and sets memory.max, memory.swap.max,
 * memory.oom.group and pids.max. `remove_stale` 1: first removes stale run cgroups.
 * NOTE: this v2 path has not run in the unit tests yet, because their host's cgroup2
 * hierarchy had no controllers. Only the v1 path is tested. */
static int sl__cgroup_setup_v2(const sl_sandbox_policy *policy, sl__cgroup *cg,
                               const char *parent, int remove_stale, sl_error *err)
{
    char value[32];
    int rc;

    if (remove_stale) {
        sl__cgroup_remove_stale(parent, SL__CGROUP_V2_PREFIX "run-");
    }
    rc = sl__cgroup_mkdir_run(parent, SL__CGROUP_V2_PREFIX "run-", cg->path, sizeof(cg->path));
    if (rc != 0) {
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_mkdir", -rc,
                             "cgroup v2: cannot create a run cgroup under \"%s\": %s", parent,
                             strerror(-rc));
    }
    cg->version = 2;

    sl__cgroup_format(value, sizeof(value), policy->memory_bytes, 1);
    rc = sl__cgroup_write(cg->path, "memory.max", value);
    if (rc == 0) {
        /* Without swap the limit ends in an OOM kill instead of a slow swap storm. */
        int swap = sl__cgroup_write(cg->path, "memory.swap.max", "0");
        (void)swap; /* absent when the kernel has no swap accounting */
        /* SECURITY: an OOM kill takes the whole run, so no half-dead process tree keeps
           running with its siblings gone. */
        rc = sl__cgroup_write(cg->path, "memory.oom.group", "1");
    }
    if (rc == 0) {
        sl__cgroup_format(value, sizeof(value), policy->max_processes, 1);
        rc = sl__cgroup_write(cg->path, "pids.max", value);
    }
    if (rc != 0) {
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_limits", -rc,
                             "cgroup v2: cannot set the limits of \"%s\": %s", cg->path,
                             strerror(-rc));
    }
    cg->procs_fd = sl__cgroup_open_procs(cg->path);
    if (cg->procs_fd < 0) {
        int saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_open", saved,
                             "cgroup v2: cannot open \"%s/cgroup.procs\": %s", cg->path,
                             strerror(saved));
    }
    return SL_OK;
}

/* ----------------------------------------------------------------------- v1 setup --- */

/* Creates "<mount>/skilllite/run-..." in one v1 hierarchy, after removing stale run cgroups
 * when `remove_stale` is 1. Returns 0, or -errno with -EACCES/-EPERM/-EROFS/-ENOENT meaning
 * "not usable" rather than a failure. */
static int sl__cgroup_v1_mkdir(const char *mount, int remove_stale, char *out, size_t size)
{
    char parent[SL__CGROUP_PATH_MAX];

    if ((size_t)snprintf(parent, sizeof(parent), "%s/" SL__CGROUP_V1_PARENT, mount)
        >= sizeof(parent)) {
        return -ENAMETOOLONG;
    }
    if (mkdir(parent, 0755) != 0 && errno != EEXIST) {
        return -errno;
    }
    if (remove_stale) {
        sl__cgroup_remove_stale(parent, "run-");
    }
    return sl__cgroup_mkdir_run(parent, "run-", out, size);
}

static int sl__cgroup_setup_v1(const sl_sandbox_policy *policy, sl__cgroup *cg,
                               const char *memory_mount, const char *pids_mount,
                               int remove_stale, sl_error *err)
{
    char value[32];
    int rc;

    rc = sl__cgroup_v1_mkdir(memory_mount, remove_stale, cg->path, sizeof(cg->path));
    if (rc == 0) {
        cg->version = 1; /* from here on, destroy removes what exists */
        rc = sl__cgroup_v1_mkdir(pids_mount, remove_stale, cg->pids_path,
                                 sizeof(cg->pids_path));
        if (rc != 0) {
            cg->pids_path[0] = '\0';
        }
    }
    if (rc != 0) {
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_mkdir", -rc,
                             "cgroup v1: cannot create a run cgroup under \"%s\" and \"%s\": "
                             "%s", memory_mount, pids_mount, strerror(-rc));
    }

    if (policy->memory_bytes > 0) {
        sl__cgroup_format(value, sizeof(value), policy->memory_bytes, 0);
        rc = sl__cgroup_write(cg->path, "memory.limit_in_bytes", value);
        if (rc == 0) {
            /* memory+swap may not be lower than memory, hence the order. Absent without
               swap accounting. */
            int swap = sl__cgroup_write(cg->path, "memory.memsw.limit_in_bytes", value);
            (void)swap;
        }
    }
    if (rc == 0) {
        sl__cgroup_format(value, sizeof(value), policy->max_processes, 1);
        rc = sl__cgroup_write(cg->pids_path, "pids.max", value);
    }
    if (rc != 0) {
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_limits", -rc,
                             "cgroup v1: cannot set the limits of \"%s\": %s", cg->path,
                             strerror(-rc));
    }

    cg->procs_fd = sl__cgroup_open_procs(cg->path);
    if (cg->procs_fd >= 0) {
        cg->pids_procs_fd = sl__cgroup_open_procs(cg->pids_path);
    }
    if (cg->procs_fd < 0 || cg->pids_procs_fd < 0) {
        int saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_CGROUP, "cgroup_open", saved,
                             "cgroup v1: cannot open cgroup.procs of \"%s\": %s", cg->path,
                             strerror(saved));
    }
    return SL_OK;
}

/* --------------------------------------------------------------------- interface --- */

SL__SHARED void sl__cgroup_destroy(sl__cgroup *cg);

static void sl__cgroup_reset(sl__cgroup *cg)
{
    memset(cg, 0, sizeof(*cg));
    cg->procs_fd = -1;
    cg->pids_procs_fd = -1;
}

/* Returns 1 when a setup failure means "this hierarchy is not ours to use" (no permission to
 * create a cgroup) rather than a broken cgroup. */
static int sl__cgroup_unusable(const sl_error *local)
{
    return strcmp(local->stage, "cgroup_mkdir") == 0
           && (local->sys_errno == EACCES || local->sys_errno == EPERM
               || local->sys_errno == EROFS);
}

SL__SHARED void sl__cgroup_base_init(sl__cgroup_base *base)
{
    memset(base, 0, sizeof(*base));
}

/* Fills `base` from the host's mounts and the caller's own cgroup. */
static void sl__cgroup_base_discover(sl__cgroup_base *base)
{
    char v2_mount[SL__CGROUP_PATH_MAX];

    sl__cgroup_base_init(base);
    sl__cgroup_find_mounts(base, v2_mount, sizeof(v2_mount));
    if (!sl__cgroup_v2_parent(v2_mount, base->v2_parent, sizeof(base->v2_parent))) {
        base->v2_parent[0] = '\0';
    }
    base->discovered = 1;
}

/* Creates the run's cgroup before fork and sets its limits from `policy` (memory_bytes,
 * max_processes; 0 means no limit), in the hierarchies of `base`, which it discovers first
 * when the caller has not. Removes stale run cgroups the first time a base is used. Tries
 * v2, then v1. Sets `cg->version` to 0 and returns SL_OK when no cgroup is usable, with the
 * reason sent to the policy's log. Returns SL_ESANDBOX_CGROUP when a usable hierarchy failed
 * midway, after cleaning up. Always initialises `cg`, so sl__cgroup_destroy may follow any
 * return. */
SL__SHARED int sl__cgroup_create_in(const sl_sandbox_policy *policy, sl__cgroup_base *base,
                                    sl__cgroup *cg, sl_error *err)
{
    sl_error local;
    int remove_stale;
    int rc;

    sl__cgroup_reset(cg);
    if (!base->discovered) {
        sl__cgroup_base_discover(base);
    }
    remove_stale = !base->stale_checked;
    base->stale_checked = 1;

    if (base->v2_parent[0] != '\0') {
        sl_error_clear(&local);
        rc = sl__cgroup_setup_v2(policy, cg, base->v2_parent, remove_stale, &local);
        if (rc == SL_OK) {
            return SL_OK;
        }
        sl__cgroup_destroy(cg);
        sl__cgroup_reset(cg);
        if (!sl__cgroup_unusable(&local)) {
            if (err != NULL) {
                *err = local;
            }
            return rc;
        }
        sl__log(policy->log, policy->log_user, SL_LOG_INFO, "%s", local.message);
    }

    if (base->memory_mount[0] == '\0' || base->pids_mount[0] == '\0') {
        sl__log(policy->log, policy->log_user, SL_LOG_INFO,
                "cgroup: no delegated cgroup v2 subtree with memory and pids enabled and no "
                "cgroup v1 memory and pids hierarchies; using rlimits only");
        return SL_OK;
    }
    sl_error_clear(&local);
    rc = sl__cgroup_setup_v1(policy, cg, base->memory_mount, base->pids_mount, remove_stale,
                             &local);
    if (rc == SL_OK) {
        return SL_OK;
    }
    sl__cgroup_destroy(cg);
    sl__cgroup_reset(cg);
    if (!sl__cgroup_unusable(&local)) {
        if (err != NULL) {
            *err = local;
        }
        return rc;
    }
    sl__log(policy->log, policy->log_user, SL_LOG_INFO, "%s; using rlimits only",
            local.message);
    return SL_OK;
}

/* sl__cgroup_create_in with hierarchies discovered for this call alone. */
SL__SHARED int sl__cgroup_create(const sl_sandbox_policy *policy, sl__cgroup *cg,
                                 sl_error *err)
{
    sl__cgroup_base base;

    sl__cgroup_base_init(&base);
    return sl__cgroup_create_in(policy, &base, cg, err);
}

/* Moves process `pid` into the run's cgroup(s) by writing it to the cgroup.procs fds
 * opened before fork. It is async-signal-safe (no allocation, no stdio), so the child may
 * call it between fork and exec, and the spawning parent calls it to move init. Returns 0
 * (also when there is no cgroup) or -errno. */
SL__SHARED int sl__cgroup_join_pid(const sl__cgroup *cg, pid_t pid)
{
    char digits[24];
    char text[24];
    unsigned long value = (unsigned long)pid;
    size_t n = 0;
    size_t len = 0;
    int fds[2];
    int i;

    if (cg == NULL || cg->version == 0) {
        return 0;
    }
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0 && n < sizeof(digits));
    while (n > 0) {
        text[len++] = digits[--n];
    }
    text[len++] = '\n';

    fds[0] = cg->procs_fd;
    fds[1] = cg->pids_procs_fd;
    for (i = 0; i < 2; i++) {
        ssize_t w;

        if (fds[i] < 0) {
            if (i == 0) {
                return -EBADF;
            }
            continue;
        }
        do {
            w = write(fds[i], text, len);
        } while (w < 0 && errno == EINTR);
        if (w < 0) {
            return -errno;
        }
        if ((size_t)w != len) {
            return -EIO;
        }
    }
    return 0;
}

/* Moves the calling process into the run's cgroup(s); see sl__cgroup_join_pid. The pid is
 * the caller's pid in its own PID namespace, which is also how the kernel reads it. */
SL__SHARED int sl__cgroup_join(const sl__cgroup *cg)
{
    return sl__cgroup_join_pid(cg, getpid());
}

/* Sends SIGKILL to every pid listed in `dir`/cgroup.procs. Returns the number signalled. */
static int sl__cgroup_kill_listed(const char *dir)
{
    char buf[SL__CGROUP_FILE_MAX];
    const char *p = buf;
    int count = 0;

    if (dir[0] == '\0' || sl__cgroup_read(dir, "cgroup.procs", buf, sizeof(buf)) <= 0) {
        return 0;
    }
    while (*p != '\0') {
        char *end;
        long pid = strtol(p, &end, 10);
        if (end == p) {
            break;
        }
        /* NOTE: a pid read here may exit and be reused before the kill. The window is tiny,
           and killing the PID namespace's init remains the spawner's main teardown. */
        if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0) {
            count++;
        }
        p = end;
        while (*p == '\n') {
            p++;
        }
    }
    return count;
}

/* Kills every process of the run. v2 uses cgroup.kill (Linux 5.14+), which also catches
 * processes forked during the kill. On v1 and older v2 kernels, each listed pid gets SIGKILL
 * and the listing repeats until it is empty (at most 1000 rounds, 1 ms apart). */
SL__SHARED void sl__cgroup_kill(sl__cgroup *cg)
{
    struct timespec pause = {0, 1000000};
    int round;

    if (cg == NULL || cg->version == 0) {
        return;
    }
    if (cg->version == 2 && sl__cgroup_write(cg->path, "cgroup.kill", "1") == 0) {
        return;
    }
    for (round = 0; round < 1000; round++) {
        int signalled = sl__cgroup_kill_listed(cg->path);
        if (cg->version == 1) {
            signalled += sl__cgroup_kill_listed(cg->pids_path);
        }
        if (signalled == 0) {
            return;
        }
        nanosleep(&pause, NULL);
    }
}

/* Returns the run's peak memory in bytes (v2 memory.peak, Linux 5.19+; v1
 * memory.max_usage_in_bytes), or 0 when unknown. */
SL__SHARED uint64_t sl__cgroup_peak_memory(const sl__cgroup *cg)
{
    char buf[64];
    const char *name;

    if (cg == NULL || cg->version == 0) {
        return 0;
    }
    name = cg->version == 2 ? "memory.peak" : "memory.max_usage_in_bytes";
    if (sl__cgroup_read(cg->path, name, buf, sizeof(buf)) <= 0) {
        return 0;
    }
    return strtoull(buf, NULL, 10);
}

/* Returns SL_LIMIT_MEMORY when the OOM killer acted in the run's cgroup, SL_LIMIT_PIDS when a
 * fork or clone failed at pids.max, else SL_LIMIT_NONE. */
SL__SHARED int sl__cgroup_limit_hit(const sl__cgroup *cg)
{
    char buf[SL__CGROUP_FILE_MAX];
    const char *pids_dir;

    if (cg == NULL || cg->version == 0) {
        return SL_LIMIT_NONE;
    }
    if (sl__cgroup_read(cg->path, cg->version == 2 ? "memory.events" : "memory.oom_control",
                        buf, sizeof(buf)) > 0
        && sl__cgroup_keyed(buf, "oom_kill") > 0) {
        return SL_LIMIT_MEMORY;
    }
    pids_dir = cg->version == 2 ? cg->path : cg->pids_path;
    if (sl__cgroup_read(pids_dir, "pids.events", buf, sizeof(buf)) > 0
        && sl__cgroup_keyed(buf, "max") > 0) {
        return SL_LIMIT_PIDS;
    }
    return SL_LIMIT_NONE;
}

/* Removes one cgroup directory, retrying while exiting processes still keep it busy. */
static void sl__cgroup_rmdir(const char *dir)
{
    struct timespec pause = {0, 1000000};
    int attempt;

    if (dir[0] == '\0') {
        return;
    }
    for (attempt = 0; attempt < 1000; attempt++) {
        if (rmdir(dir) == 0 || errno != EBUSY) {
            return;
        }
        nanosleep(&pause, NULL);
    }
}

/* Kills what is left in the run (unless `no_processes` says nothing is), removes its
 * cgroup(s) and closes the fds. Safe on a cgroup that sl__cgroup_create initialised, whatever
 * it returned, and safe to call twice. */
SL__SHARED void sl__cgroup_destroy(sl__cgroup *cg)
{
    if (cg == NULL) {
        return;
    }
    if (cg->procs_fd >= 0) {
        close(cg->procs_fd);
        cg->procs_fd = -1;
    }
    if (cg->pids_procs_fd >= 0) {
        close(cg->pids_procs_fd);
        cg->pids_procs_fd = -1;
    }
    if (cg->version != 0) {
        if (!cg->no_processes) {
            sl__cgroup_kill(cg);
        }
        sl__cgroup_rmdir(cg->path);
        sl__cgroup_rmdir(cg->pids_path);
    }
    cg->version = 0;
    cg->no_processes = 0;
    cg->path[0] = '\0';
    cg->pids_path[0] = '\0';
}
/* End file src/sandbox_cgroup.c */

/* Begin file src/sandbox_output.c */
/* ============================================================== sandbox output ===
 * The output folder (policy output_dir) and its quota.
 *
 * Level 2: the payload never touches the host folder. /output is a private tmpfs whose size
 * is output_quota_bytes (rounded down to whole pages, at least one page), so the kernel
 * fails writes past the quota with ENOSPC inside the sandbox, and its pages count against
 * the run's memory cgroup. init opens the tmpfs root after mounting it and passes that fd
 * to the parent over a socketpair (SCM_RIGHTS) before the payload starts. The parent's fd
 * keeps the tmpfs alive after the sandbox's namespaces are gone. When every process of the
 * run is dead, the parent copies the tree into output_dir and closes the fd, which frees
 * the tmpfs.
 *
 * SECURITY: the payload built the tree that the parent copies, so the copy trusts nothing
 * in it. It walks with openat(O_NOFOLLOW) from the tmpfs root fd, copies only folders and
 * regular files, skips symbolic links, FIFOs, sockets and devices, and stays on the tmpfs.
 * On the host side it writes below the output_dir fd only. It never follows a symbolic link
 * that the host folder contains and never writes into a FIFO or device there. It creates
 * files with mode 0644 and folders with 0755, both minus the umask.
 * A root caller copies with the payload's uid and gid as its file system ids (setfsuid), as
 * if the payload wrote the files itself. The files then belong to the payload's user, and
 * host permissions apply to that user, so the copy cannot put content the payload chose
 * into a root-owned file or a file that only root may write. Any other caller is the
 * payload's own user already.
 * The copy writes at most output_quota_bytes. The tmpfs size alone would not guarantee
 * that, because hard links and sparse files make the copy larger than the tmpfs's blocks.
 *
 * Level 1 has no mount namespace, so the payload writes to output_dir directly. There
 * RLIMIT_FSIZE caps each file at the quota, and the parent measures the folder before and
 * after the run (the total is only checked, not enforced).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* Bounds of the level 2 /output tmpfs and of the copy out of it. Hard links give one inode
 * several entries, so the copy's entry bound is larger than the inode bound. */
#define SL__OUTPUT_MAX_INODES 16384u
#define SL__OUTPUT_MAX_ENTRIES 65536u
#define SL__OUTPUT_MAX_DEPTH 64

/* f_type of a tmpfs in statfs (TMPFS_MAGIC in <linux/magic.h>). */
#define SL__OUTPUT_TMPFS_MAGIC 0x01021994

/* How many skipped entries the copy names in the policy's log before it only counts. */
#define SL__OUTPUT_LOG_MAX 8

/* Bounds of one level 1 output folder measurement (see "Output folder" in sandbox.h). */
#define SL__DU_MAX_ENTRIES 65536u
#define SL__DU_MAX_DEPTH 64

/* The output folder of one run. */
typedef struct sl__output {
    int level;
    int host_fd;        /* output_dir, open while the run lasts; -1 without output_dir */
    int tmpfs_fd;       /* level 2: root of the /output tmpfs, received from init; else -1 */
    uint64_t quota;     /* output_quota_bytes */
    uint64_t base;      /* level 1: bytes measured under output_dir before the run */
    uid_t uid;          /* level 2: the payload's identity, which a root caller copies as */
    gid_t gid;
    sl_log_fn log;
    void *log_user;
} sl__output;

static void sl__output_init(sl__output *out)
{
    memset(out, 0, sizeof(*out));
    out->host_fd = -1;
    out->tmpfs_fd = -1;
}

static void sl__output_close(sl__output *out)
{
    if (out->host_fd >= 0) {
        close(out->host_fd);
        out->host_fd = -1;
    }
    if (out->tmpfs_fd >= 0) {
        close(out->tmpfs_fd);
        out->tmpfs_fd = -1;
    }
}

/* Returns the size of the level 2 /output tmpfs for `quota`: whole pages, never more than
 * the quota, and at least one page because tmpfs reads size 0 as unlimited. */
static uint64_t sl__output_tmpfs_bytes(uint64_t quota)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t unit = page > 0 ? (uint64_t)page : 4096u;
    uint64_t whole = quota - quota % unit;

    return whole >= unit ? whole : unit;
}

/* ------------------------------------------------------- level 1: measurement --- */

/* One measurement of an output folder. */
typedef struct sl__du {
    uint64_t bytes;
    uint32_t entries;
    int incomplete;  /* 1 when the walk hit a bound or could not open a folder */
    dev_t dev;       /* the folder's file system; other mounts below it are not entered */
} sl__du;

/* The bytes one entry occupies: the larger of its allocated blocks and, for a regular file,
 * its apparent size, so that sparse files and many empty files both count. */
static uint64_t sl__du_entry_bytes(const struct stat *st)
{
    uint64_t blocks = (uint64_t)st->st_blocks * 512u;
    uint64_t size = S_ISREG(st->st_mode) && st->st_size > 0 ? (uint64_t)st->st_size : 0;

    return size > blocks ? size : blocks;
}

static void sl__du_add(sl__du *du, uint64_t bytes)
{
    du->bytes = du->bytes + bytes < du->bytes ? UINT64_MAX : du->bytes + bytes;
}

/* Adds every entry below the open folder `fd` (closed here) to `du`.
 * SECURITY: never follows a symbolic link (fstatat AT_SYMLINK_NOFOLLOW, openat O_NOFOLLOW)
 * and never opens anything but a folder, so the payload's links, FIFOs and devices cannot
 * lead the host elsewhere or block it. An entry that vanished or changed type since it was
 * listed (a payload still running) is skipped. Any other failure makes the walk incomplete,
 * which counts as over the quota, so a folder the payload made unreadable hides nothing. */
static void sl__du_walk(int fd, int depth, sl__du *du)
{
    DIR *dir = fdopendir(fd);
    struct dirent *ent;

    if (dir == NULL) {
        close(fd);
        du->incomplete = 1;
        return;
    }
    for (;;) {
        struct stat st;
        int sub;

        errno = 0;
        ent = readdir(dir);
        if (ent == NULL) {
            du->incomplete |= errno != 0;
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (++du->entries > SL__DU_MAX_ENTRIES) {
            du->incomplete = 1;
            break;
        }
        if (fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            du->incomplete |= errno != ENOENT;
            continue;
        }
        sl__du_add(du, sl__du_entry_bytes(&st));
        if (!S_ISDIR(st.st_mode) || st.st_dev != du->dev) {
            continue;
        }
        if (depth >= SL__DU_MAX_DEPTH) {
            du->incomplete = 1;
            break;
        }
        sub = openat(dirfd(dir), ent->d_name,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            du->incomplete |= errno != ENOENT && errno != ENOTDIR && errno != ELOOP;
            continue;
        }
        sl__du_walk(sub, depth + 1, du);
        if (du->incomplete) {
            break;
        }
    }
    closedir(dir);
}

/* Measures the folder open as `root_fd`, through a new open file description, because a
 * walk moves the directory offset. */
static void sl__du_measure(int root_fd, sl__du *du)
{
    struct stat st;
    int fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    memset(du, 0, sizeof(*du));
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        du->incomplete = 1;
        return;
    }
    du->dev = st.st_dev;
    sl__du_add(du, sl__du_entry_bytes(&st));
    sl__du_walk(fd, 1, du);
}

/* --------------------------------------------------------------- before the run --- */

/* Returns the uid the payload runs as: the policy's, else the caller's, else nobody when
 * the caller is root (the same rule the spawner applies). */
static int64_t sl__output_payload_uid(const sl_sandbox_policy *pol)
{
    if (pol->uid >= 0) {
        return pol->uid;
    }
    return geteuid() == 0 ? 65534 : (int64_t)geteuid();
}

static int64_t sl__output_payload_gid(const sl_sandbox_policy *pol)
{
    if (pol->gid >= 0) {
        return pol->gid;
    }
    return geteuid() == 0 ? 65534 : (int64_t)getegid();
}

/* Returns 1 when the payload's uid/gid may create files in the folder `fd` by its mode
 * bits (write and search). NOTE: ACLs and supplementary groups are not consulted, so a
 * folder shared only through them is reported as not writable. */
static int sl__output_writable(int fd, const sl_sandbox_policy *pol)
{
    struct stat st;
    int64_t uid = sl__output_payload_uid(pol);
    int64_t gid = sl__output_payload_gid(pol);

    if (fstat(fd, &st) != 0) {
        return 0;
    }
    if ((int64_t)st.st_uid == uid) {
        return (st.st_mode & (S_IWUSR | S_IXUSR)) == (S_IWUSR | S_IXUSR);
    }
    if ((int64_t)st.st_gid == gid) {
        return (st.st_mode & (S_IWGRP | S_IXGRP)) == (S_IWGRP | S_IXGRP);
    }
    return (st.st_mode & (S_IWOTH | S_IXOTH)) == (S_IWOTH | S_IXOTH);
}

/* Opens output_dir before the run; level 1 also measures it. Returns SL_OK (also without
 * output_dir) or SL_ESANDBOX_POLICY. At level 2 the folder must not be a symbolic link,
 * because the copy goes to the folder opened here and a link could be swapped before. */
static int sl__output_open(sl__output *out, const sl_sandbox_policy *pol, sl_error *err)
{
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    sl__du du;
    int saved;

    out->level = pol->level;
    out->quota = pol->output_quota_bytes;
    out->log = pol->log;
    out->log_user = pol->log_user;
    if (pol->output_dir == NULL) {
        return SL_OK;
    }
    if (pol->level >= 2) {
        flags |= O_NOFOLLOW;
    }
    out->host_fd = open(pol->output_dir, flags);
    if (out->host_fd < 0) {
        saved = errno;
        if (saved == ELOOP || (saved == ENOTDIR && pol->level >= 2)) {
            return sl__error_sys(err, SL_ESANDBOX_POLICY, "open output_dir", saved,
                                 "output_dir \"%s\" is a symbolic link or not a folder; pass "
                                 "the real folder", pol->output_dir);
        }
        return sl__error_sys(err, SL_ESANDBOX_POLICY, "open output_dir", saved,
                             "cannot open output_dir \"%s\": %s; pass an existing folder",
                             pol->output_dir, strerror(saved));
    }
    if (!sl__output_writable(out->host_fd, pol)) {
        return sl__error(err, SL_ESANDBOX_POLICY,
                         "output_dir \"%s\" is not writable by uid %lld, the user the sandbox "
                         "runs as, so its files would be lost; give that user write access "
                         "(chown or chmod the folder) or pass another folder",
                         pol->output_dir, (long long)sl__output_payload_uid(pol));
    }
    if (pol->level >= 2) {
        return SL_OK;
    }
    sl__du_measure(out->host_fd, &du);
    if (du.incomplete) {
        return sl__error(err, SL_ESANDBOX_POLICY, "cannot measure output_dir \"%s\" for its "
                         "quota: it holds more than %u entries, folders nested deeper than "
                         "%d, or a folder the caller cannot open; pass an empty folder",
                         pol->output_dir, SL__DU_MAX_ENTRIES, SL__DU_MAX_DEPTH);
    }
    out->base = du.bytes;
    return SL_OK;
}

/* --------------------------------------------------------------- fd passing --- */

/* Creates the socketpair that carries the /output tmpfs fd from init to the parent, both
 * ends close-on-exec and above 2 (the child moves its pipes onto 0-2). Returns 0 or -1
 * with errno set. */
static int sl__output_socketpair(int fds[2])
{
    int i;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        fds[0] = fds[1] = -1;
        return -1;
    }
    for (i = 0; i < 2; i++) {
        int moved;

        if (fds[i] > 2) {
            continue;
        }
        moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
        if (moved < 0) {
            int saved = errno;

            close(fds[0]);
            close(fds[1]);
            fds[0] = fds[1] = -1;
            errno = saved;
            return -1;
        }
        close(fds[i]);
        fds[i] = moved;
    }
    return 0;
}

/* Opens the folder `path` (the mounted /output tmpfs) and sends its fd over `sock`; closes
 * both. Runs in init between clone and the payload's fork, so it makes system calls only:
 * no allocation, no stdio. Returns 0 or -errno. */
static int sl__output_send(int sock, const char *path)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cmsg;
    char byte = 'o';
    ssize_t n;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0) {
        rc = -errno;
        close(sock);
        return rc;
    }
    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        rc = n < 0 ? -errno : -EIO;
    }
    close(fd);
    close(sock);
    return rc;
}

/* Receives the /output tmpfs fd that init sent over `sock` (not closed here). init sends
 * it before the payload starts, so after a successful setup it is waiting in the socket.
 * SECURITY: only init has the other end, and the fd must be a folder on a tmpfs, so the
 * copy after the run reads the run's /output and nothing else. Returns SL_OK or
 * SL_ESANDBOX_SPAWN. */
static int sl__output_receive(sl__output *out, int sock, sl_error *err)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cmsg;
    struct statfs sf;
    struct stat st;
    char byte = 0;
    ssize_t n;
    int fds[4];
    int saved;
    size_t count = 0;
    size_t i;

    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    saved = n < 0 ? errno : EPROTO;
    cmsg = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (cmsg != NULL && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
        cmsg->cmsg_len >= CMSG_LEN(0)) {
        count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        count = count < 4 ? count : 4;
        memcpy(fds, CMSG_DATA(cmsg), count * sizeof(int));
    }
    for (i = 1; i < count; i++) {
        close(fds[i]);
    }
    if (count != 1 || (msg.msg_flags & MSG_CTRUNC) != 0) {
        if (count >= 1) {
            close(fds[0]);
        }
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "receive /output", saved,
                             "the sandbox's init did not pass the /output folder to the "
                             "parent; the run cannot copy its output and was not started");
    }
    if (fstatfs(fds[0], &sf) != 0 || (unsigned long)sf.f_type != SL__OUTPUT_TMPFS_MAGIC ||
        fstat(fds[0], &st) != 0 || !S_ISDIR(st.st_mode)) {
        close(fds[0]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "receive /output", EPROTO,
                             "the sandbox's init passed an fd that is not the /output tmpfs");
    }
    out->tmpfs_fd = fds[0];
    return SL_OK;
}

/* ------------------------------------------------------- level 2: copy out --- */

/* State of one copy from the tmpfs into output_dir. */
typedef struct sl__output_copy {
    const sl__output *out;
    dev_t dev;            /* the tmpfs; entries on another file system are skipped */
    uint64_t budget;      /* bytes the copy may still write to the host */
    uint64_t bytes;       /* bytes written to the host */
    uint32_t files;       /* regular files copied completely */
    uint32_t skipped;     /* entries left out */
    uint32_t entries;     /* entries visited */
    int cut;              /* 1 when the quota or an entry bound left something out */
    char buf[65536];      /* the copy buffer */
    char path[512];       /* the entry's path below /output, for the log; may be cut short */
    size_t path_len;
    char notes[SL__OUTPUT_LOG_MAX][640]; /* log lines of the first skipped entries */
} sl__output_copy;

/* Appends "/name" to the logged path and returns the length to restore afterwards. */
static size_t sl__output_path_push(sl__output_copy *c, const char *name)
{
    size_t mark = c->path_len;
    int n = snprintf(c->path + mark, sizeof(c->path) - mark, "/%s", name);

    if (n > 0) {
        c->path_len += (size_t)n < sizeof(c->path) - mark ? (size_t)n
                                                           : sizeof(c->path) - mark - 1;
    }
    return mark;
}

static void sl__output_path_pop(sl__output_copy *c, size_t mark)
{
    c->path_len = mark;
    c->path[mark] = '\0';
}

/* Counts the current entry as skipped and keeps a note for the log (the first few only).
 * The notes go to the log after the copy, because a root caller copies with the payload's
 * file system ids, which the host's log callback must not run with. The name comes from the
 * payload, so control characters are replaced. */
static void sl__output_skip(sl__output_copy *c, const char *reason, int sys_errno)
{
    char shown[sizeof(c->path)];
    size_t i;

    c->skipped++;
    if (c->out->log == NULL || c->skipped > SL__OUTPUT_LOG_MAX) {
        return;
    }
    for (i = 0; i < c->path_len; i++) {
        unsigned char ch = (unsigned char)c->path[i];
        shown[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    shown[i] = '\0';
    snprintf(c->notes[c->skipped - 1], sizeof(c->notes[0]),
             "output copy: skipped /output%s: %s%s%s%s", shown, reason,
             sys_errno != 0 ? " (" : "", sys_errno != 0 ? strerror(sys_errno) : "",
             sys_errno != 0 ? ")" : "");
}

/* Copies `size` bytes from `src` to `dst`. Returns 0 or an errno value. Every byte written
 * counts in `c->bytes` and leaves the budget, also when a later write fails. */
static int sl__output_copy_data(sl__output_copy *c, int src, int dst, uint64_t size)
{
    while (size > 0) {
        size_t want = size < sizeof(c->buf) ? (size_t)size : sizeof(c->buf);
        ssize_t got = read(src, c->buf, want);
        size_t done = 0;

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return errno;
        }
        if (got == 0) {
            return 0; /* the file is shorter than its listed size; what it has is copied */
        }
        while (done < (size_t)got) {
            ssize_t w = write(dst, c->buf + done, (size_t)got - done);

            if (w < 0 && errno == EINTR) {
                continue;
            }
            if (w <= 0) {
                return w < 0 ? errno : EIO;
            }
            done += (size_t)w;
            c->bytes += (uint64_t)w;
            c->budget -= (uint64_t)w;
        }
        size -= (uint64_t)got;
    }
    return 0;
}

/* Opens (creating or truncating) the host file `name` below `dst_dir` for the copy.
 * Returns the fd, or -1 after counting the entry as skipped.
 * SECURITY: an existing symbolic link, folder, FIFO or device at that name is never opened
 * for writing, and neither is a file with other hard links, whose other names would change
 * too. Set-user-ID and set-group-ID bits of an existing file are cleared before the payload's
 * bytes go in, because a root caller's write keeps them. */
static int sl__output_open_host_file(sl__output_copy *c, int dst_dir, const char *name)
{
    struct stat st;
    int fd;

    if (fstatat(dst_dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode)) {
            sl__output_skip(c, "output_dir has a symbolic link with this name", 0);
            return -1;
        }
        if (!S_ISREG(st.st_mode)) {
            sl__output_skip(c, "output_dir has a folder or special file with this name", 0);
            return -1;
        }
        if (st.st_nlink > 1) {
            sl__output_skip(c, "the file in output_dir has other hard links", 0);
            return -1;
        }
    } else if (errno != ENOENT) {
        sl__output_skip(c, "cannot inspect the name in output_dir", errno);
        return -1;
    }
    fd = openat(dst_dir, name,
                O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                0644);
    if (fd < 0) {
        sl__output_skip(c, errno == ELOOP ? "output_dir has a symbolic link with this name"
                                          : "cannot create the file in output_dir",
                        errno == ELOOP ? 0 : errno);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        sl__output_skip(c, "the name in output_dir is not a regular file", 0);
        return -1;
    }
    if ((st.st_mode & (S_ISUID | S_ISGID)) != 0 && fchmod(fd, st.st_mode & 0777) != 0) {
        close(fd);
        sl__output_skip(c, "cannot clear the set-ID bits of the file in output_dir", errno);
        return -1;
    }
    return fd;
}

/* Copies the regular file `name` of the tmpfs folder `src_dir` into `dst_dir`. */
static void sl__output_copy_file(sl__output_copy *c, int src_dir, int dst_dir, const char *name)
{
    struct stat st;
    int src;
    int dst;
    int rc;

    src = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (src < 0) {
        sl__output_skip(c, "cannot open the file", errno);
        return;
    }
    if (fstat(src, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != c->dev) {
        close(src);
        sl__output_skip(c, "not a regular file on the /output tmpfs", 0);
        return;
    }
    if ((uint64_t)st.st_size > c->budget) {
        close(src);
        c->cut = 1;
        sl__output_skip(c, "larger than what is left of output_quota_bytes", 0);
        return;
    }
    dst = sl__output_open_host_file(c, dst_dir, name);
    if (dst < 0) {
        close(src);
        return;
    }
    rc = sl__output_copy_data(c, src, dst, (uint64_t)st.st_size);
    close(src);
    if (close(dst) != 0 && rc == 0) {
        rc = errno;
    }
    if (rc != 0) {
        /* NOTE: the part written so far stays in output_dir (and in output_bytes_written). */
        sl__output_skip(c, "copy failed", rc);
        return;
    }
    c->files++;
}

static void sl__output_copy_dir(sl__output_copy *c, int src_fd, int dst_fd, int depth);

/* Creates (or reuses) the folder `name` in `dst_dir` and copies the tmpfs folder into it. */
static void sl__output_copy_subdir(sl__output_copy *c, int src_dir, int dst_dir,
                                   const char *name, int depth)
{
    struct stat st;
    int src;
    int dst;

    if (depth >= SL__OUTPUT_MAX_DEPTH) {
        c->cut = 1;
        sl__output_skip(c, "nested deeper than 64 folders", 0);
        return;
    }
    src = openat(src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (src < 0) {
        sl__output_skip(c, "cannot open the folder", errno);
        return;
    }
    if (fstat(src, &st) != 0 || st.st_dev != c->dev) {
        close(src);
        sl__output_skip(c, "not a folder on the /output tmpfs", 0);
        return;
    }
    if (mkdirat(dst_dir, name, 0755) != 0 && errno != EEXIST) {
        sl__output_skip(c, "cannot create the folder in output_dir", errno);
        close(src);
        return;
    }
    /* SECURITY: O_NOFOLLOW, so a symbolic link that output_dir has at this name (EEXIST
     * above) is not entered. */
    dst = openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dst < 0) {
        int saved = errno;

        close(src);
        if (saved == ELOOP || saved == ENOTDIR) {
            sl__output_skip(c, "output_dir has a file or symbolic link with this name", 0);
        } else {
            sl__output_skip(c, "cannot open the folder in output_dir", saved);
        }
        return;
    }
    sl__output_copy_dir(c, src, dst, depth + 1);
    close(dst);
}

/* Copies one entry of the tmpfs folder `src_dir`, by its type. */
static void sl__output_copy_entry(sl__output_copy *c, int src_dir, int dst_dir,
                                  const char *name, int depth)
{
    struct stat st;

    if (fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        sl__output_skip(c, "cannot inspect the entry", errno);
    } else if (st.st_dev != c->dev) {
        sl__output_skip(c, "on another file system", 0);
    } else if (S_ISREG(st.st_mode)) {
        sl__output_copy_file(c, src_dir, dst_dir, name);
    } else if (S_ISDIR(st.st_mode)) {
        sl__output_copy_subdir(c, src_dir, dst_dir, name, depth);
    } else if (S_ISLNK(st.st_mode)) {
        sl__output_skip(c, "symbolic link", 0);
    } else if (S_ISFIFO(st.st_mode)) {
        sl__output_skip(c, "FIFO", 0);
    } else if (S_ISSOCK(st.st_mode)) {
        sl__output_skip(c, "socket", 0);
    } else {
        sl__output_skip(c, "device node", 0);
    }
}

/* Copies every entry of the tmpfs folder `src_fd` (closed here) into the host folder
 * `dst_fd` (left open). Names come from readdir, so they never contain '/'. */
static void sl__output_copy_dir(sl__output_copy *c, int src_fd, int dst_fd, int depth)
{
    DIR *dir = fdopendir(src_fd);
    struct dirent *ent;

    if (dir == NULL) {
        close(src_fd);
        sl__output_skip(c, "cannot list the folder", errno);
        return;
    }
    for (;;) {
        size_t mark;

        errno = 0;
        ent = readdir(dir);
        if (ent == NULL) {
            if (errno != 0) {
                sl__output_skip(c, "cannot list the rest of the folder", errno);
            }
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (c->entries >= SL__OUTPUT_MAX_ENTRIES) {
            c->cut = 1;
            sl__output_skip(c, "more than 65536 entries; the copy stops here", 0);
            break;
        }
        c->entries++;
        mark = sl__output_path_push(c, ent->d_name);
        sl__output_copy_entry(c, dirfd(dir), dst_fd, ent->d_name, depth);
        sl__output_path_pop(c, mark);
    }
    closedir(dir);
}

/* Returns 1 when the tmpfs is full up to at most one page or has no inode left, so a write
 * or a file creation in the run may have failed with ENOSPC. */
static int sl__output_tmpfs_full(int tmpfs_fd)
{
    struct statfs sf;
    uint64_t total;
    uint64_t used;
    uint64_t unit;

    if (fstatfs(tmpfs_fd, &sf) != 0 || sf.f_bsize <= 0) {
        return 0;
    }
    unit = (uint64_t)sf.f_bsize;
    total = (uint64_t)sf.f_blocks * unit;
    used = ((uint64_t)sf.f_blocks - (uint64_t)sf.f_bfree) * unit;
    return (used > 0 && used + unit >= total) || (sf.f_files > 0 && sf.f_ffree == 0);
}

/* Sets this thread's file system ids to `uid` and `gid`, and stores the previous ones.
 * Returns 1 when both took effect (setfsuid reports no failure, so the result is read back).
 * An fsuid other than 0 drops the file capabilities (CAP_DAC_OVERRIDE, CAP_FOWNER, ...) from
 * the effective set, and fsuid 0 restores them. CAP_SETGID is not one of them, so the gid
 * can follow the uid either way. */
static int sl__output_become(uid_t uid, gid_t gid, uid_t *old_uid, gid_t *old_gid)
{
    *old_uid = (uid_t)setfsuid(uid);
    *old_gid = (gid_t)setfsgid(gid);
    return (uid_t)setfsuid((uid_t)-1) == uid && (gid_t)setfsgid((gid_t)-1) == gid;
}

/* Walks the tmpfs into output_dir with this thread's file system ids as they are. */
static void sl__output_walk(sl__output_copy *c)
{
    struct stat st;
    int src = openat(c->out->tmpfs_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    /* A new open file description, because the walk moves the directory offset. */
    if (src >= 0 && fstat(src, &st) == 0) {
        c->dev = st.st_dev;
        sl__output_copy_dir(c, src, c->out->host_fd, 1);
    } else {
        int saved = errno;

        if (src >= 0) {
            close(src);
        }
        sl__output_skip(c, "cannot open the /output tmpfs", saved);
    }
}

/* Copies the /output tmpfs into output_dir, with the payload's file system ids when the
 * caller is root. Fills the output counts of `res` and returns SL_LIMIT_FILE_SIZE when the
 * tmpfs is full or the quota or an entry bound cut the copy, else SL_LIMIT_NONE. */
static int sl__output_copy_out(const sl__output *out, sl_sandbox_result *res,
                               const sl_allocator *alloc)
{
    sl__output_copy *c;
    int full = sl__output_tmpfs_full(out->tmpfs_fd);
    int as_payload = geteuid() == 0 && out->uid != 0;
    uid_t saved_uid = 0;
    gid_t saved_gid = 0;
    uid_t ignored_uid;
    gid_t ignored_gid;
    uint32_t i;
    int switched = 1;

    /* The state (about 70 KiB with the copy buffer and the notes) lives on the heap, so a
     * host thread with a small stack can finish a run. */
    c = (sl__output_copy *)sl__malloc(alloc, sizeof(*c));
    if (c == NULL) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: out of memory; nothing "
                "was copied into output_dir");
        return SL_LIMIT_NONE;
    }
    memset(c, 0, sizeof(*c));
    c->out = out;
    c->budget = out->quota;
    if (as_payload) {
        switched = sl__output_become(out->uid, out->gid, &saved_uid, &saved_gid);
    }
    if (switched) {
        sl__output_walk(c);
    }
    if (as_payload && !sl__output_become(saved_uid, saved_gid, &ignored_uid, &ignored_gid)) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: cannot restore this "
                "thread's file system ids to %u and %u", (unsigned)saved_uid,
                (unsigned)saved_gid);
    }
    if (!switched) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: cannot switch to the "
                "payload's uid %u and gid %u; nothing was copied", (unsigned)out->uid,
                (unsigned)out->gid);
    }
    for (i = 0; i < c->skipped && i < SL__OUTPUT_LOG_MAX; i++) {
        sl__log(out->log, out->log_user, SL_LOG_WARN, "%s", c->notes[i]);
    }
    if (c->skipped > SL__OUTPUT_LOG_MAX) {
        sl__log(out->log, out->log_user, SL_LOG_WARN, "output copy: skipped %u entries in all",
                (unsigned)c->skipped);
    }
    res->output_bytes_written = c->bytes;
    res->output_files_written = c->files;
    res->output_entries_skipped = c->skipped;
    full = full || c->cut;
    sl__free(alloc, c, sizeof(*c));
    return full ? SL_LIMIT_FILE_SIZE : SL_LIMIT_NONE;
}

/* --------------------------------------------------------------- after the run --- */

/* Finishes the output folder of a run whose processes are all gone: level 2 copies the tmpfs
 * into output_dir, level 1 measures what the run added. Fills the output fields of `res`,
 * sets `res->limit` to SL_LIMIT_FILE_SIZE when the quota was reached and no other limit
 * ended the run, and closes the fds. NOTE: the copy runs inside sl_sandbox_poll and takes
 * as long as writing up to output_quota_bytes to the host disk. */
static void sl__output_finish(sl__output *out, sl_sandbox_result *res, const sl_allocator *alloc)
{
    int limit = SL_LIMIT_NONE;

    if (out->host_fd < 0) {
        return;
    }
    if (out->tmpfs_fd >= 0) {
        limit = sl__output_copy_out(out, res, alloc);
    } else if (out->level < 2) {
        sl__du du;

        sl__du_measure(out->host_fd, &du);
        res->output_bytes_written = du.bytes > out->base ? du.bytes - out->base : 0;
        if (du.incomplete || res->output_bytes_written > out->quota) {
            limit = SL_LIMIT_FILE_SIZE;
        }
    }
    if (limit != SL_LIMIT_NONE && res->limit == SL_LIMIT_NONE) {
        res->limit = limit;
    }
    sl__output_close(out);
}
/* End file src/sandbox_output.c */

/* Begin file src/sandbox_gate.c */
/* ================================================================ sandbox gate ===
 * Level 3: the static scanner's gate, run on the policy's work_dir before every spawn.
 */

/* Scans policy->work_dir and decides with the policy's confirmation settings, exactly as
 * sl_scan_gate does. Returns SL_OK at levels 1 and 2, and at level 3 when the gate lets
 * the run go. Otherwise it returns the gate's code with `err` filled: SL_ESCAN_BLOCKED,
 * SL_ESCAN_EXPIRED, SL_ESCAN_MISMATCH, or the scan's own error. */
static int sl__sandbox_gate(const sl_sandbox_policy *policy, sl_error *err)
{
    sl_scan_gate_options gate;
    sl_scan_report *report = NULL;
    int rc;

    if (policy == NULL || policy->level != 3) {
        return SL_OK;
    }

    /* SECURITY: level 3 must never run code it did not scan, so a run without a folder
     * to scan is rejected rather than treated as level 2. */
    if (policy->work_dir == NULL) {
        return sl__error(err, SL_ESANDBOX_POLICY,
                         "level 3 scans work_dir before the run, but work_dir is NULL; set "
                         "it to the folder of the code to run, or run a skill with "
                         "sl_skill_run");
    }

    sl_scan_gate_options_init(&gate);
    gate.scanner = policy->scanner;
    gate.registry = policy->scan_registry;
    gate.scan_id = policy->scan_id;
    gate.confirm = policy->confirm;
    gate.confirm_user = policy->confirm_user;
    gate.allow_critical = policy->allow_critical;
    rc = sl_scan_gate(&gate, policy->work_dir, &report, err);
    sl_scan_report_free(report);
    return rc;
}
/* End file src/sandbox_gate.c */

/* Begin file src/sandbox_linux.c */
/* =============================================================== sandbox linux ===
 * The Linux spawner: plan, clone, id maps, mounts, limits, exec, and the parent's loop.
 *
 * Process tree of a level 2 run:
 *
 *   host process (this library)
 *     +-- init      clone() into new user, mount, PID, network, IPC and UTS namespaces.
 *         |         PID 1 of the new PID namespace. Builds the mount tree, brings up
 *         |         loopback, drops to the sandbox uid and every capability, turns
 *         |         non-dumpable, then only reaps children and forwards signals.
 *         +-- payload   PID 2: setsid, rlimits, no_new_privs, Landlock, seccomp, execve.
 *
 * The run ends with the payload, whatever its descendants do with the pipes. When the
 * payload exits, or when the parent sends SL__STOP_SIGNAL (deadline, limit, host kill), init
 * kills every other process of the namespace and reaps them all, so that their CPU time
 * adds up in its own rusage. Then it exits. If init does not exit within SL__STOP_GRACE_NS, the parent
 * kills it, and the kernel kills whatever is left in the namespace. Level 1 forks the
 * payload directly and kills its session and cgroup after it exits.
 *
 * Everything the children need is prepared before clone (sl__plan): argv, envp, every
 * path string, the list of mount steps, the BPF program, the Landlock ruleset and the
 * cgroup. Between clone and execve the children make raw system calls only: no allocator,
 * no stdio, no locks, and no glibc wrappers that talk to other threads. setresuid and
 * friends go through syscall(), because glibc's wrappers signal every thread of the parent,
 * and those threads do not exist in the child. A failing step writes {stage, errno, index}
 * to a close-on-exec pipe, and the parent turns it into an sl_error with the stage name.
 */

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* System calls newer than some supported C libraries; the numbers from 424 on are the same
 * on every architecture. */
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#endif
#ifndef PR_CAP_AMBIENT_CLEAR_ALL
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
/* statfs f_flags bit for relatime (ST_RELATIME in <sys/statvfs.h>); the lower ST_* bits
 * equal their MS_* counterparts. */
#define SL__ST_RELATIME 0x1000

/* struct mount_attr and its flags from <linux/mount.h>, which clashes with <sys/mount.h>
 * on older C libraries. */
typedef struct sl__mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
} sl__mount_attr;
#define SL__MOUNT_ATTR_RDONLY 0x1u
#define SL__MOUNT_ATTR_NOSUID 0x2u
#define SL__MOUNT_ATTR_NODEV 0x4u
#define SL__MOUNT_ATTR_NOEXEC 0x8u

/* capset(2) structures from <linux/capability.h>, version 3 (two 32-bit words). */
typedef struct sl__cap_header {
    uint32_t version;
    int pid;
} sl__cap_header;
typedef struct sl__cap_data {
    uint32_t effective;
    uint32_t permitted;
    uint32_t inheritable;
} sl__cap_data;
#define SL__CAP_VERSION_3 0x20080522u

/* Mount point of the new root while init assembles it. Mounting over /tmp hides the host's
 * /tmp from the rest of the setup, so every caller path is opened before clone and bound
 * through /proc/self/fd/N. The mount is private to the new mount namespace. */
#define SL__STAGE_ROOT "/tmp"

/* PATH inside the sandbox and at level 1 (the interpreter's own bin folder goes first). */
#define SL__SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"

/* The uid and gid of "nobody", the default identity of the payload for a root caller. */
#define SL__NOBODY 65534

/* How long the parent keeps reading the pipes after the payload was reaped, for data
 * still in flight (level 2) or for descendants that escaped the kill (level 1). */
#define SL__DRAIN_NS (100ull * 1000000ull)

/* How long init may take to kill and reap the run after the parent asked it to stop, before
 * the parent kills init itself (and loses the CPU time of the processes init did not reap). */
#define SL__STOP_GRACE_NS (200ull * 1000000ull)

/* Period of the checks made while a run is going: the cgroup's OOM and pids.max events.
 * Runs without a cgroup make no checks. */
#define SL__WATCH_NS (250ull * 1000000ull)

/* The signal that requests a level 2 init to kill and reap every process of the run. init
 * honours it only from outside its PID namespace (si_pid 0), which means from the parent. */
#define SL__STOP_SIGNAL SIGUSR1

/* --------------------------------------------------------------------- profiling --- */

/* Timestamps of the spawn's steps, for benchmark/spawn_profile.c. Compiled in only with
 * SKILLLITE_SANDBOX_PROFILE; a release build has no trace of them. The tool points
 * sl__prof_slots at a MAP_SHARED page, so the children's marks reach it too (the clock is
 * CLOCK_MONOTONIC, which every namespace here shares). */
enum {
    SL__PF_SPAWN, SL__PF_QUOTA, SL__PF_RESOLVE, SL__PF_ENV_IDS, SL__PF_CGROUP,
    SL__PF_SECCOMP, SL__PF_LANDLOCK, SL__PF_PLAN, SL__PF_PIPES, SL__PF_CLONE, SL__PF_IDMAP,
    SL__PF_SYNC, SL__PF_SETUP_DONE, SL__PF_POLL_READY, SL__PF_REAPED, SL__PF_CG_DESTROY,
    SL__PF_FINISHED, SL__PF_FREED,
    SL__PF_I_START, SL__PF_I_SYNC, SL__PF_I_STDIO, SL__PF_I_CG_JOIN, SL__PF_I_SOURCES,
    SL__PF_I_IDS, SL__PF_I_PRIVATE, SL__PF_I_ROOT, SL__PF_I_OPS, SL__PF_I_USERNS,
    SL__PF_I_PIVOT, SL__PF_I_DETACH, SL__PF_I_ROOT_RO, SL__PF_I_LOOPBACK, SL__PF_I_HOSTNAME,
    SL__PF_I_CAPS, SL__PF_I_DUMPABLE, SL__PF_I_FORKED,
    SL__PF_X_START, SL__PF_X_SETSID, SL__PF_X_RLIMIT, SL__PF_X_CHDIR, SL__PF_X_NNP,
    SL__PF_X_LANDLOCK, SL__PF_X_CLOSE, SL__PF_X_SECCOMP,
    SL__PF_I_PAYLOAD_EXIT, SL__PF_I_END, SL__PF_CG_ATTACH, SL__PF_I_CG_WAIT,
    SL__PF_OP_BASE,            /* + SL__OP_* kind: summed ns of that mount step kind */
    SL__PF_BIND_ATTR = SL__PF_OP_BASE + 16, /* summed ns of the attribute half of binds */
    SL__PF_OP_COUNT_BASE,      /* + kind: how many steps of that kind */
    SL__PF_SLOTS = SL__PF_OP_COUNT_BASE + 16
};

#ifdef SKILLLITE_SANDBOX_PROFILE
static uint64_t *sl__prof_slots; /* profile builds only: owned by the profiling tool */
#define SL__PROF(slot)                                                                     \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)] = sl_time_now_ns();                                     \
        }                                                                                  \
    } while (0)
#define SL__PROF_NOW() sl_time_now_ns()
#define SL__PROF_ADD(slot, t0)                                                             \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)] += sl_time_now_ns() - (t0);                             \
        }                                                                                  \
    } while (0)
#define SL__PROF_COUNT(slot)                                                               \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)]++;                                                      \
        }                                                                                  \
    } while (0)
#else
#define SL__PROF(slot) ((void)0)
#define SL__PROF_NOW() 0
#define SL__PROF_ADD(slot, t0) ((void)(t0))
#define SL__PROF_COUNT(slot) ((void)0)
#endif

/* ------------------------------------------------------------------------ stages --- */

/* Steps that can fail after clone. The parent maps each to a name (sl_error.stage), the
 * layer's error code and a hint with the likely fix. */
enum {
    SL__ST_OPEN_SOURCE = 1,
    SL__ST_MAKE_PRIVATE,
    SL__ST_ROOT_TMPFS,
    SL__ST_MKDIR,
    SL__ST_TOUCH,
    SL__ST_BIND,
    SL__ST_BIND_FLAGS,
    SL__ST_SYMLINK,
    SL__ST_TMPFS,
    SL__ST_PROC,
    SL__ST_WRITE_FILE,
    SL__ST_REMOUNT_RO,
    SL__ST_USERNS_LIMIT,
    SL__ST_PIVOT,
    SL__ST_DETACH_OLD,
    SL__ST_ROOT_RO,
    SL__ST_LOOPBACK,
    SL__ST_HOSTNAME,
    SL__ST_CGROUP,
    SL__ST_SETGROUPS,
    SL__ST_SETGID,
    SL__ST_SETUID,
    SL__ST_CAPS,
    SL__ST_DUMPABLE,
    SL__ST_FORK,
    SL__ST_SETSID,
    SL__ST_DUP,
    SL__ST_RLIMIT,
    SL__ST_CHDIR,
    SL__ST_NO_NEW_PRIVS,
    SL__ST_LANDLOCK,
    SL__ST_CLOSE_FDS,
    SL__ST_SECCOMP,
    SL__ST_EXEC,
    SL__ST_POOL_REQUEST,
    SL__ST_OUTPUT_SEND,
    SL__ST_COUNT
};

typedef struct sl__stage_info {
    const char *name;
    int code;
} sl__stage_info;

static const sl__stage_info sl__stages[SL__ST_COUNT] = {
    {"", SL_ESANDBOX_SPAWN},
    {"open bind source", SL_ESANDBOX_MOUNTNS},
    {"make / private", SL_ESANDBOX_MOUNTNS},
    {"mount root tmpfs", SL_ESANDBOX_MOUNTNS},
    {"mkdir", SL_ESANDBOX_MOUNTNS},
    {"create file", SL_ESANDBOX_MOUNTNS},
    {"bind mount", SL_ESANDBOX_MOUNTNS},
    {"remount bind", SL_ESANDBOX_MOUNTNS},
    {"symlink", SL_ESANDBOX_MOUNTNS},
    {"mount tmpfs", SL_ESANDBOX_MOUNTNS},
    {"mount /proc", SL_ESANDBOX_PIDNS},
    {"write file", SL_ESANDBOX_MOUNTNS},
    {"remount read-only", SL_ESANDBOX_MOUNTNS},
    {"limit user namespaces", SL_ESANDBOX_USERNS},
    {"pivot_root", SL_ESANDBOX_MOUNTNS},
    {"detach old root", SL_ESANDBOX_MOUNTNS},
    {"remount / read-only", SL_ESANDBOX_MOUNTNS},
    {"bring up loopback", SL_ESANDBOX_NETNS},
    {"sethostname", SL_ESANDBOX_UTSNS},
    {"join cgroup", SL_ESANDBOX_CGROUP},
    {"setgroups", SL_ESANDBOX_IDMAP},
    {"setresgid", SL_ESANDBOX_IDMAP},
    {"setresuid", SL_ESANDBOX_IDMAP},
    {"drop capabilities", SL_ESANDBOX_USERNS},
    {"set non-dumpable", SL_ESANDBOX_PIDNS},
    {"fork payload", SL_ESANDBOX_SPAWN},
    {"setsid", SL_ESANDBOX_SPAWN},
    {"dup2 stdio", SL_ESANDBOX_SPAWN},
    {"setrlimit", SL_ESANDBOX_RLIMIT},
    {"chdir", SL_ESANDBOX_SPAWN},
    {"no_new_privs", SL_ESANDBOX_SPAWN},
    {"landlock_restrict_self", SL_ESANDBOX_LANDLOCK},
    {"close fds", SL_ESANDBOX_SPAWN},
    {"seccomp", SL_ESANDBOX_SECCOMP},
    {"execve", SL_ESANDBOX_EXEC},
    {"pool request", SL_ESANDBOX_SPAWN},
    {"send /output", SL_ESANDBOX_MOUNTNS},
};

/* What a child writes to the setup pipe when a step fails. */
typedef struct sl__child_msg {
    int32_t stage;
    int32_t err;
    int32_t index; /* mount step index, or -1 */
    int32_t unused;
} sl__child_msg;

/* ------------------------------------------------------------------------- plan --- */

/* One step of building the sandbox's file system, executed in order by init. */
enum {
    SL__OP_MKDIR = 1,  /* path */
    SL__OP_TOUCH,      /* path: empty file to bind a file over */
    SL__OP_BIND,       /* src onto path, then `attr` (SL__MOUNT_ATTR_*) on the whole tree */
    SL__OP_SYMLINK,    /* path -> src */
    SL__OP_TMPFS,      /* tmpfs at path with `data` options and `flags` */
    SL__OP_PROC,       /* proc at path */
    SL__OP_WRITE,      /* file at path with `len` bytes of src */
    SL__OP_REMOUNT_RO  /* make the mount at path read-only (not recursive) */
};

typedef struct sl__mount_op {
    int kind;
    const char *path;   /* absolute, under SL__STAGE_ROOT */
    const char *src;
    const char *data;
    size_t len;
    unsigned long flags;
    unsigned attr;
} sl__mount_op;

typedef struct sl__limit {
    int resource;
    struct rlimit value;
} sl__limit;

#define SL__MAX_LIMITS 8
#define SL__MAX_FDS 64

/* Everything decided before clone. Strings live in the arena; the plan is freed once
 * the payload has exec'd (or failed). */
typedef struct sl__plan {
    sl__arena arena;
    const sl_sandbox_policy *policy;
    int level;
    int caller_root;
    const char *exe;          /* path passed to execve (host path = sandbox path) */
    const char *exe_prefix;   /* host folder bound read-only for it, or NULL */
    char **argv;
    char **envp;
    const char *cwd;
    sl__mount_op *ops;
    size_t op_count;
    size_t op_cap;
    int source_fds[SL__MAX_FDS]; /* fd numbers of caller paths, bound via /proc/self/fd */
    const char *source_paths[SL__MAX_FDS]; /* canonical: realpath() of the caller's path */
    dev_t source_devs[SL__MAX_FDS];  /* identity of what the parent checked, compared by init */
    ino_t source_inos[SL__MAX_FDS];
    int source_fd_count;
    uid_t uid;                /* the payload's uid, the same number inside and on the host */
    gid_t gid;
    sl__limit limits[SL__MAX_LIMITS];
    int limit_count;
    const char *uid_map;      /* "uid uid 1\n" */
    const char *gid_map;
    int landlock_fd;          /* -1 when no Landlock */
    int landlock_abi;
    uint64_t landlock_dev_rights;   /* rights the child grants on /dev */
    uint64_t landlock_tmp_rights;   /* rights on /tmp and /dev/shm */
    uint64_t landlock_read_rights;  /* rights on / (the sandbox's whole view) */
    sl__bpf bpf;
    int have_bpf;
    int bpf_borrowed;         /* 1: `bpf` belongs to a pool or context; the plan never frees it */
    sl__cgroup cgroup;
    int have_cgroup;          /* cg.version != 0 */
    sl__cgroup_base *cgroup_base; /* hierarchies a pool discovered once; NULL: per run */
    unsigned layers;
    pid_t parent_pid;
    /* fds the children use */
    int stdin_r, stdout_w, stderr_w, setup_w, status_w, sync_r;
    int output_w;             /* level 2 with output_dir: init's end of the socket that passes
                                 the /output tmpfs to the parent */
    int pool_ctrl;            /* pool entry: the payload's end of the control socket; else -1 */
    int cgroup_deferred;      /* level 2: the parent creates the cgroup while init builds the
                                 sandbox, moves init into it, and then sends 'c' (or 'n' for
                                 no cgroup) on the sync pipe; init forks the payload after */
    int cgroup_limit_count;   /* limit_count without RLIMIT_DATA and RLIMIT_NPROC */
} sl__plan;

/* printf into the plan's arena; NULL when out of memory. */
static char *sl__plan_strf(sl__plan *plan, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *sl__plan_strf(sl__plan *plan, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return NULL;
    }
    s = (char *)sl__arena_alloc(&plan->arena, (size_t)n + 1);
    if (s == NULL) {
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static sl__mount_op *sl__plan_op(sl__plan *plan, int kind, const char *sandbox_path)
{
    sl__mount_op *op;

    if (sandbox_path == NULL) {
        return NULL;
    }
    if (plan->op_count == plan->op_cap) {
        size_t cap = plan->op_cap == 0 ? 64 : plan->op_cap * 2;
        sl__mount_op *grown = (sl__mount_op *)sl__arena_alloc(&plan->arena, cap * sizeof(sl__mount_op));

        if (grown == NULL) {
            return NULL;
        }
        if (plan->op_count > 0) {
            memcpy(grown, plan->ops, plan->op_count * sizeof(sl__mount_op));
        }
        plan->ops = grown;
        plan->op_cap = cap;
    }
    op = &plan->ops[plan->op_count++];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    op->path = sl__plan_strf(plan, "%s%s", SL__STAGE_ROOT, sandbox_path);
    return op->path != NULL ? op : NULL;
}

/* Adds MKDIR steps for `sandbox_path` and each missing parent, once each. */
static int sl__plan_mkdirs(sl__plan *plan, const char *sandbox_path)
{
    char buf[PATH_MAX];
    size_t len = strlen(sandbox_path);
    size_t i;

    if (len == 0 || len >= sizeof(buf)) {
        return SL_EINVAL;
    }
    memcpy(buf, sandbox_path, len + 1);
    for (i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            size_t j;
            int seen = 0;

            buf[i] = '\0';
            for (j = 0; j < plan->op_count && !seen; j++) {
                const sl__mount_op *op = &plan->ops[j];
                seen = op->kind == SL__OP_MKDIR &&
                       strcmp(op->path + strlen(SL__STAGE_ROOT), buf) == 0;
            }
            if (!seen && sl__plan_op(plan, SL__OP_MKDIR, buf) == NULL) {
                return SL_ENOMEM;
            }
            buf[i] = saved;
        }
    }
    return SL_OK;
}

/* Adds the steps that put host `src` (a path or "/proc/self/fd/N") at `sandbox_path`. */
static int sl__plan_bind(sl__plan *plan, const char *src, const char *sandbox_path,
                         int is_dir, unsigned attr)
{
    sl__mount_op *op;
    char parent[PATH_MAX];
    const char *slash = strrchr(sandbox_path, '/');
    int rc;

    if (is_dir) {
        rc = sl__plan_mkdirs(plan, sandbox_path);
    } else {
        size_t n = (size_t)(slash - sandbox_path);

        if (n >= sizeof(parent)) {
            return SL_EINVAL;
        }
        memcpy(parent, sandbox_path, n);
        parent[n] = '\0';
        rc = n > 0 ? sl__plan_mkdirs(plan, parent) : SL_OK;
        if (rc == SL_OK && sl__plan_op(plan, SL__OP_TOUCH, sandbox_path) == NULL) {
            rc = SL_ENOMEM;
        }
    }
    if (rc != SL_OK) {
        return rc;
    }
    op = sl__plan_op(plan, SL__OP_BIND, sandbox_path);
    if (op == NULL) {
        return SL_ENOMEM;
    }
    op->src = src;
    op->attr = attr;
    return SL_OK;
}

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* openat2's `struct open_how` and resolve flags (Linux 5.6), declared here so that older
 * kernel headers still build. */
typedef struct sl__open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
} sl__open_how;

#define SL__RESOLVE_NO_MAGICLINKS 0x02
#define SL__RESOLVE_NO_SYMLINKS 0x04

/* Opens `path` with O_PATH without following a symlink anywhere in it (openat2 with
 * RESOLVE_NO_SYMLINKS). A kernel without openat2 gets O_NOFOLLOW, which guards the last
 * component only. Async-signal-safe (system calls only). Returns the fd, or -1 and errno. */
static int sl__open_nofollow(const char *path)
{
    sl__open_how how;
    long fd;

    how.flags = O_PATH | O_CLOEXEC;
    how.mode = 0;
    how.resolve = SL__RESOLVE_NO_SYMLINKS | SL__RESOLVE_NO_MAGICLINKS;
    fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
    if (fd >= 0 || errno != ENOSYS) {
        return (int)fd;
    }
    return open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
}

/* Plans a bind of a caller path through an fd. The parent opens the path (O_PATH) to check
 * it and to reserve the fd number. init reopens it onto the same number at its start,
 * because a mount of the parent's namespace cannot be a bind source in the new one. From
 * then on the bind goes through the fd, so later changes to the path (a symlink swapped in
 * by the payload of an earlier run, say) cannot change what the sandbox gets.
 * SECURITY: blocks symlink races between resolving a caller path and binding it. */
static int sl__plan_bind_host(sl__plan *plan, const char *host, const char *sandbox_path,
                              unsigned attr, sl_error *err)
{
    char canonical[PATH_MAX];
    struct stat st;
    const char *src;
    int fd;

    if (plan->source_fd_count >= SL__MAX_FDS) {
        return sl__error(err, SL_ESANDBOX_POLICY, "sandbox policy binds more than %d paths; "
                         "bind a common parent folder instead", SL__MAX_FDS);
    }
    /* SECURITY: the path is resolved once, here. Every later open of it (by init, in its
     * own mount namespace) refuses symlinks and must find the same inode, so a symlink or
     * folder swapped in between cannot redirect the bind. */
    if (realpath(host, canonical) == NULL) {
        int saved = errno;

        return sl__error_sys(err, SL_ESANDBOX_POLICY, "realpath bind source", saved,
                             "cannot resolve \"%s\" to bind it at %s: %s; check that the path "
                             "exists and is readable", host, sandbox_path, strerror(saved));
    }
    fd = sl__open_nofollow(canonical);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int saved = errno;

        if (fd >= 0) {
            close(fd);
        }
        return sl__error_sys(err, SL_ESANDBOX_POLICY, "open bind source", saved,
                             "cannot open \"%s\" to bind it at %s: %s; check that the path "
                             "exists, is readable and is not being replaced", canonical,
                             sandbox_path, strerror(saved));
    }
    plan->source_paths[plan->source_fd_count] = sl__arena_strndup(&plan->arena, canonical,
                                                                  strlen(canonical));
    plan->source_devs[plan->source_fd_count] = st.st_dev;
    plan->source_inos[plan->source_fd_count] = st.st_ino;
    plan->source_fds[plan->source_fd_count++] = fd;
    src = sl__plan_strf(plan, "/proc/self/fd/%d", fd);
    if (src == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    return sl__plan_bind(plan, src, sandbox_path, S_ISDIR(st.st_mode), attr);
}

/* Returns 1 when `path` is inside one of the system folders bound at every level 2 run. */
static int sl__path_is_system(const char *path)
{
    static const char *const roots[] = {"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/"};
    size_t i;

    for (i = 0; i < SL__ARRAY_LEN(roots); i++) {
        if (strncmp(path, roots[i], strlen(roots[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when `path` is an executable regular file that does not start with "#!". */
static int sl__is_binary(const char *path, int *is_script)
{
    struct stat st;
    char head[2];
    int fd;
    ssize_t n;

    *is_script = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        return 0;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    n = read(fd, head, sizeof(head));
    close(fd);
    *is_script = n == 2 && head[0] == '#' && head[1] == '!';
    return !*is_script;
}

/* Finds `name` the way the sandbox runs it and stores its resolved real path in `out`.
 *
 * A name with a slash is used as given. Otherwise every folder of the host's PATH is
 * tried in order, and a candidate that is a `#!` script is skipped in favour of a later
 * binary: version-manager shims (pyenv, nodenv, asdf) are shell scripts that need the
 * manager's own files and environment, which the sandbox does not have. When only scripts
 * exist, the first one is used. The result has every symlink resolved, so that its folder
 * can be bound and the path is the same inside the sandbox. */
static int sl__resolve_program(const char *name, char *out, size_t size, sl_error *err)
{
    const char *path = getenv("PATH");
    char candidate[PATH_MAX];
    char first_script[PATH_MAX];
    const char *p;
    int is_script;

    first_script[0] = '\0';
    if (strchr(name, '/') != NULL) {
        if (realpath(name, candidate) == NULL) {
            return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", errno,
                                 "program \"%s\" not found: %s", name, strerror(errno));
        }
        goto found;
    }
    if (path == NULL || path[0] == '\0') {
        path = SL__SANDBOX_PATH;
    }
    for (p = path; *p != '\0';) {
        const char *end = strchr(p, ':');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

        if (n > 0 && n + 1 + strlen(name) < sizeof(candidate)) {
            memcpy(candidate, p, n);
            candidate[n] = '/';
            strcpy(candidate + n + 1, name);
            if (sl__is_binary(candidate, &is_script)) {
                goto found;
            }
            if (is_script && first_script[0] == '\0') {
                strcpy(first_script, candidate);
            }
        }
        p += n;
        if (*p == ':') {
            p++;
        }
    }
    if (first_script[0] == '\0') {
        return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", ENOENT,
                             "program \"%s\" not found in PATH; install it or pass an "
                             "absolute path", name);
    }
    strcpy(candidate, first_script);
found:
    if (realpath(candidate, out) == NULL || strlen(out) + 1 > size) {
        return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", errno,
                             "cannot resolve \"%s\": %s", candidate, strerror(errno));
    }
    return SL_OK;
}

/* The folder to bind for a program outside the system folders: the install prefix for
 * ".../bin/prog" (python's lib folder and node's modules sit beside bin), else the
 * program's own folder. */
static const char *sl__program_prefix(sl__plan *plan, const char *exe)
{
    const char *slash = strrchr(exe, '/');
    size_t dir_len = (size_t)(slash - exe);
    const char *dir_slash;

    if (dir_len == 0) {
        return NULL;
    }
    dir_slash = exe + dir_len;
    while (dir_slash > exe && dir_slash[-1] != '/') {
        dir_slash--;
    }
    if (dir_slash > exe + 1 && (size_t)(exe + dir_len - dir_slash) == 3 &&
        strncmp(dir_slash, "bin", 3) == 0) {
        return sl__arena_strndup(&plan->arena, exe, (size_t)(dir_slash - 1 - exe));
    }
    return sl__arena_strndup(&plan->arena, exe, dir_len);
}

/* Builds argv (copied) with argv[0] kept as the caller wrote it. */
static int sl__plan_argv(sl__plan *plan, const char *const *argv)
{
    size_t n = 0;
    size_t i;

    while (argv[n] != NULL) {
        n++;
    }
    plan->argv = (char **)sl__arena_alloc(&plan->arena, (n + 1) * sizeof(char *));
    if (plan->argv == NULL) {
        return SL_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        plan->argv[i] = sl__arena_strndup(&plan->arena, argv[i], strlen(argv[i]));
        if (plan->argv[i] == NULL) {
            return SL_ENOMEM;
        }
    }
    plan->argv[n] = NULL;
    return SL_OK;
}

/* Sets NAME=value in the environment array, replacing an earlier entry of the same name. */
static int sl__env_put(sl__plan *plan, size_t *count, size_t cap, const char *entry)
{
    const char *eq = strchr(entry, '=');
    size_t name_len;
    size_t i;

    if (eq == NULL || eq == entry) {
        return SL_EINVAL;
    }
    name_len = (size_t)(eq - entry) + 1;
    for (i = 0; i < *count; i++) {
        if (strncmp(plan->envp[i], entry, name_len) == 0) {
            break;
        }
    }
    if (i == *count) {
        if (*count + 1 >= cap) {
            return SL_ELIMIT;
        }
        (*count)++;
    }
    plan->envp[i] = sl__arena_strndup(&plan->arena, entry, strlen(entry));
    return plan->envp[i] != NULL ? SL_OK : SL_ENOMEM;
}

/* SECURITY: the environment starts empty, so host secrets (API keys, tokens, SSH agent
 * sockets) reach the payload only when the policy names them. */
static int sl__plan_env(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    size_t cap = 10;
    size_t count = 0;
    size_t i;
    const char *path;
    const char *dirs[2] = { NULL, NULL };
    int rc = SL_OK;

    for (i = 0; pol->env_pass != NULL && pol->env_pass[i] != NULL; i++) {
        cap++;
    }
    for (i = 0; pol->env_set != NULL && pol->env_set[i] != NULL; i++) {
        cap++;
    }
    plan->envp = (char **)sl__arena_calloc(&plan->arena, cap * sizeof(char *));
    path = plan->exe_prefix != NULL
               ? sl__plan_strf(plan, "PATH=%s/bin:%s", plan->exe_prefix, SL__SANDBOX_PATH)
               : "PATH=" SL__SANDBOX_PATH;
    if (plan->envp == NULL || path == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while building the environment");
    }
    rc |= sl__env_put(plan, &count, cap, path);
    rc |= sl__env_put(plan, &count, cap, "HOME=/tmp");
    rc |= sl__env_put(plan, &count, cap, "TMPDIR=/tmp");
    rc |= sl__env_put(plan, &count, cap, "LANG=C.UTF-8");

    /* Where the skill's files and its output folder are, at every level, so a script never
     * has to guess whether it runs at level 1 (host paths) or level 2 (/skill, /output). */
    if (pol->work_dir != NULL) {
        dirs[0] = sl__plan_strf(plan, "SKILLLITE_SKILL_DIR=%s",
                                plan->level >= 2 ? "/skill" : pol->work_dir);
        rc |= dirs[0] != NULL ? sl__env_put(plan, &count, cap, dirs[0]) : SL_ENOMEM;
    }
    if (pol->output_dir != NULL) {
        dirs[1] = sl__plan_strf(plan, "SKILLLITE_OUTPUT_DIR=%s",
                                plan->level >= 2 ? "/output" : pol->output_dir);
        rc |= dirs[1] != NULL ? sl__env_put(plan, &count, cap, dirs[1]) : SL_ENOMEM;
    }
    for (i = 0; rc == SL_OK && pol->env_pass != NULL && pol->env_pass[i] != NULL; i++) {
        const char *value = getenv(pol->env_pass[i]);
        const char *entry;

        if (value == NULL || strchr(pol->env_pass[i], '=') != NULL) {
            continue;
        }
        entry = sl__plan_strf(plan, "%s=%s", pol->env_pass[i], value);
        rc = entry != NULL ? sl__env_put(plan, &count, cap, entry) : SL_ENOMEM;
    }
    for (i = 0; rc == SL_OK && pol->env_set != NULL && pol->env_set[i] != NULL; i++) {
        rc = sl__env_put(plan, &count, cap, pol->env_set[i]);
        if (rc == SL_EINVAL) {
            return sl__error(err, SL_EINVAL, "policy env_set[%zu] \"%.60s\" is not "
                             "NAME=value; write it as NAME=value", i, pol->env_set[i]);
        }
    }
    if (rc != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while building the environment");
    }
    return SL_OK;
}

/* Picks the payload's identity. Inside the user namespace the payload sees the same uid
 * and gid numbers as on the host, so file owners read the same in both places.
 * SECURITY: the payload is never host uid 0. A root caller gets nobody (65534) by default;
 * DAC checks on host files then see an unprivileged owner, which is what blocks writes
 * through /proc/sys and other root-owned files the mounts expose. */
static int sl__plan_ids(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    uid_t self_uid = geteuid();
    gid_t self_gid = getegid();

    plan->caller_root = self_uid == 0;
    if (plan->caller_root) {
        plan->uid = pol->uid >= 0 ? (uid_t)pol->uid : SL__NOBODY;
        plan->gid = pol->gid >= 0 ? (gid_t)pol->gid : SL__NOBODY;
    } else {
        plan->uid = pol->uid >= 0 ? (uid_t)pol->uid : self_uid;
        plan->gid = pol->gid >= 0 ? (gid_t)pol->gid : self_gid;
        if (plan->uid != self_uid || plan->gid != self_gid) {
            return sl__error(err, SL_ESANDBOX_POLICY, "policy uid %lld / gid %lld differ from "
                             "the caller's %u / %u; without root the sandbox can only run as "
                             "the caller, so leave uid and gid at -1",
                             (long long)pol->uid, (long long)pol->gid, (unsigned)self_uid,
                             (unsigned)self_gid);
        }
    }
    if (plan->uid == 0 || plan->gid == 0 || pol->uid > 0xfffffffeLL || pol->gid > 0xfffffffeLL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy uid/gid %lld/%lld is invalid: the "
                         "payload must never run as host uid or gid 0; pick an unprivileged "
                         "id or leave them at -1", (long long)pol->uid, (long long)pol->gid);
    }
    plan->uid_map = sl__plan_strf(plan, "%u %u 1\n", (unsigned)plan->uid, (unsigned)plan->uid);
    plan->gid_map = sl__plan_strf(plan, "%u %u 1\n", (unsigned)plan->gid, (unsigned)plan->gid);
    if (plan->uid_map == NULL || plan->gid_map == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    return SL_OK;
}

/* Adds one rlimit, never above the caller's own hard limit (raising it needs privilege). */
static void sl__plan_limit(sl__plan *plan, int resource, uint64_t value)
{
    struct rlimit cur;
    rlim_t v = value >= (uint64_t)RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)value;
    sl__limit *l;

    if (plan->limit_count >= SL__MAX_LIMITS) {
        return;
    }
    if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && v > cur.rlim_max) {
        v = cur.rlim_max;
    }
    l = &plan->limits[plan->limit_count++];
    l->resource = resource;
    l->value.rlim_cur = v;
    l->value.rlim_max = v;
}

/* SECURITY: blocks resource exhaustion of the host. Every run gets caps on CPU time, file
 * size, open files and core dumps, and on memory and process count when no cgroup has them. */
static void sl__plan_limits(sl__plan *plan)
{
    const sl_sandbox_policy *pol = plan->policy;

    sl__plan_limit(plan, RLIMIT_CPU, pol->cpu_seconds);
    if (plan->limit_count > 0 && plan->limits[0].value.rlim_max != RLIM_INFINITY) {
        /* SIGXCPU at the soft limit; SIGKILL one second later if the payload catches it. */
        plan->limits[0].value.rlim_max = plan->limits[0].value.rlim_cur + 1;
    }
    /* At level 1 no single file may pass the output quota either; the total is checked by
     * the parent. Level 2 needs no such cap: its /output tmpfs fails writes past the quota
     * with ENOSPC, which the payload can handle, where SIGXFSZ would kill it. */
    sl__plan_limit(plan, RLIMIT_FSIZE,
                   plan->level < 2 && pol->output_dir != NULL &&
                           pol->output_quota_bytes < pol->max_file_bytes
                       ? pol->output_quota_bytes
                       : pol->max_file_bytes);
    sl__plan_limit(plan, RLIMIT_NOFILE, pol->max_open_files);
    sl__plan_limit(plan, RLIMIT_CORE, 0);
    plan->cgroup_limit_count = plan->limit_count;
    if (!plan->have_cgroup) {
        sl__plan_limit(plan, RLIMIT_DATA, pol->memory_bytes);
        sl__plan_limit(plan, RLIMIT_NPROC, pol->max_processes);
    }
}

/* Binds a system folder (or recreates it as the same symlink) when the host has it. */
static int sl__plan_system_dir(sl__plan *plan, const char *path)
{
    struct stat st;
    char target[PATH_MAX];
    ssize_t n;
    sl__mount_op *op;

    if (lstat(path, &st) != 0) {
        return SL_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0) {
            return SL_OK;
        }
        target[n] = '\0';
        op = sl__plan_op(plan, SL__OP_SYMLINK, path);
        if (op == NULL || (op->src = sl__arena_strndup(&plan->arena, target, (size_t)n)) == NULL) {
            return SL_ENOMEM;
        }
        return SL_OK;
    }
    if (!S_ISDIR(st.st_mode)) {
        return SL_OK;
    }
    return sl__plan_bind(plan, path, path, 1,
                         SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NODEV);
}

static int sl__plan_write(sl__plan *plan, const char *path, const char *content)
{
    sl__mount_op *op = sl__plan_op(plan, SL__OP_WRITE, path);

    if (op == NULL || content == NULL) {
        return SL_ENOMEM;
    }
    op->src = content;
    op->len = strlen(content);
    return SL_OK;
}

/* A minimal /etc: the sandbox user and nobody, localhost, and no DNS.
 * SECURITY: the host's /etc (shadow, ssh keys, machine-id, credentials) stays invisible. */
static int sl__plan_etc(sl__plan *plan)
{
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    const char *passwd;
    const char *group;
    struct stat st;
    int rc = sl__plan_mkdirs(plan, "/etc");

    if (plan->uid == SL__NOBODY) {
        passwd = "nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n";
    } else {
        passwd = sl__plan_strf(plan, "sandbox:x:%u:%u:sandbox:/tmp:/bin/sh\n"
                               "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                               (unsigned)plan->uid, (unsigned)plan->gid);
    }
    if (plan->gid == SL__NOBODY) {
        group = "nogroup:x:65534:\n";
    } else {
        group = sl__plan_strf(plan, "sandbox:x:%u:\nnogroup:x:65534:\n", (unsigned)plan->gid);
    }
    rc |= sl__plan_write(plan, "/etc/passwd", passwd);
    rc |= sl__plan_write(plan, "/etc/group", group);
    rc |= sl__plan_write(plan, "/etc/hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n");
    rc |= sl__plan_write(plan, "/etc/hostname", "sandbox\n");
    if (plan->policy->network) {
        rc |= sl__plan_write(plan, "/etc/nsswitch.conf",
                             "passwd: files\ngroup: files\nhosts: files dns\n");
        if (stat("/etc/resolv.conf", &st) == 0 && S_ISREG(st.st_mode)) {
            rc |= sl__plan_bind(plan, "/etc/resolv.conf", "/etc/resolv.conf", 0, ro);
        }
        if (stat("/etc/ssl", &st) == 0 && S_ISDIR(st.st_mode)) {
            rc |= sl__plan_bind(plan, "/etc/ssl", "/etc/ssl", 1, ro);
        }
    } else {
        /* Names resolve from /etc/hosts only, so a lookup fails at once instead of waiting
           for a DNS server that the empty network namespace cannot reach. Resolvers that
           skip nsswitch (c-ares in node's dns.resolve, static Go programs) read resolv.conf:
           its one server is the namespace's own loopback, where nothing listens, so their
           queries fail with ECONNREFUSED and never leave the namespace. */
        rc |= sl__plan_write(plan, "/etc/nsswitch.conf",
                             "passwd: files\ngroup: files\nhosts: files\n");
        rc |= sl__plan_write(plan, "/etc/resolv.conf",
                             "# no DNS inside the sandbox: nothing listens on this loopback\n"
                             "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }
    /* The loader cache speeds up every exec; Debian's /usr/bin links go through
       /etc/alternatives. Both are read-only and hold no secrets. */
    if (stat("/etc/ld.so.cache", &st) == 0 && S_ISREG(st.st_mode)) {
        rc |= sl__plan_bind(plan, "/etc/ld.so.cache", "/etc/ld.so.cache", 0, ro);
    }
    if (stat("/etc/alternatives", &st) == 0 && S_ISDIR(st.st_mode)) {
        rc |= sl__plan_bind(plan, "/etc/alternatives", "/etc/alternatives", 1, ro);
    }
    return rc == SL_OK ? SL_OK : SL_ENOMEM;
}

/* A minimal /dev: a few character devices bound from the host, the usual links, and a
 * private /dev/shm. SECURITY: no disks, no ttys, no /dev/mem; the payload sees nothing
 * it could use to reach hardware or another terminal. */
static int sl__plan_dev(sl__plan *plan)
{
    static const char *const nodes[] = {"null", "zero", "full", "random", "urandom"};
    static const char *const links[][2] = {
        {"/dev/fd", "/proc/self/fd"}, {"/dev/stdin", "/proc/self/fd/0"},
        {"/dev/stdout", "/proc/self/fd/1"}, {"/dev/stderr", "/proc/self/fd/2"}};
    char host[32];
    sl__mount_op *op;
    size_t i;
    int rc = sl__plan_mkdirs(plan, "/dev");

    op = sl__plan_op(plan, SL__OP_TMPFS, "/dev");
    if (rc != SL_OK || op == NULL) {
        return SL_ENOMEM;
    }
    op->data = "mode=0755,size=64k,nr_inodes=64";
    op->flags = MS_NOSUID | MS_NOEXEC;
    for (i = 0; i < SL__ARRAY_LEN(nodes); i++) {
        snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
        rc = sl__plan_bind(plan, sl__arena_strndup(&plan->arena, host, strlen(host)),
                           sl__arena_strndup(&plan->arena, host, strlen(host)), 0,
                           SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NOEXEC);
        if (rc != SL_OK) {
            return rc;
        }
    }
    for (i = 0; i < SL__ARRAY_LEN(links); i++) {
        op = sl__plan_op(plan, SL__OP_SYMLINK, links[i][0]);
        if (op == NULL) {
            return SL_ENOMEM;
        }
        op->src = links[i][1];
    }
    if (sl__plan_mkdirs(plan, "/dev/shm") != SL_OK) {
        return SL_ENOMEM;
    }
    op = sl__plan_op(plan, SL__OP_TMPFS, "/dev/shm");
    if (op == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=1777,size=%llu",
                             (unsigned long long)plan->policy->tmpfs_bytes);
    op->flags = MS_NOSUID | MS_NODEV;
    op = sl__plan_op(plan, SL__OP_REMOUNT_RO, "/dev");
    return op != NULL && plan->ops[plan->op_count - 2].data != NULL ? SL_OK : SL_ENOMEM;
}

/* /proc for the new PID namespace and a size-capped private /tmp.
 * SECURITY: a fresh /proc shows only the sandbox's processes; subset=pid hides /proc/sys,
 * /proc/kcore and the other system-wide files. A private /tmp blocks leaving files for
 * later runs or host tools. */
static int sl__plan_proc_tmp(sl__plan *plan)
{
    sl__mount_op *op;

    if (sl__plan_mkdirs(plan, "/proc") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_PROC, "/proc")) == NULL) {
        return SL_ENOMEM;
    }
    op->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (sl__plan_mkdirs(plan, "/tmp") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_TMPFS, "/tmp")) == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=1777,size=%llu",
                             (unsigned long long)plan->policy->tmpfs_bytes);
    op->flags = MS_NOSUID | MS_NODEV;
    return op->data != NULL ? SL_OK : SL_ENOMEM;
}

/* /output: a private tmpfs of the output quota's size, which the parent copies into
 * output_dir after the run (src/sandbox_output.c).
 * SECURITY: the payload never writes to the host folder, so the host disk never receives
 * more than the quota, and the payload cannot read or delete what the folder held. */
static int sl__plan_output(sl__plan *plan)
{
    sl__mount_op *op;

    if (sl__plan_mkdirs(plan, "/output") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_TMPFS, "/output")) == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=0755,size=%llu,nr_inodes=%u",
                             (unsigned long long)sl__output_tmpfs_bytes(
                                 plan->policy->output_quota_bytes),
                             SL__OUTPUT_MAX_INODES);
    op->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    return op->data != NULL ? SL_OK : SL_ENOMEM;
}

/* Caller paths: the program's prefix, work_dir at /skill, the output tmpfs at /output,
 * extras. */
static int sl__plan_caller_paths(sl__plan *plan, sl_error *err)
{
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    static const unsigned rw = SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NODEV;
    const sl_sandbox_policy *pol = plan->policy;
    size_t i;
    int rc = SL_OK;

    if (plan->exe_prefix != NULL) {
        rc = sl__plan_bind_host(plan, plan->exe_prefix, plan->exe_prefix, ro, err);
    }
    if (rc == SL_OK && pol->work_dir != NULL) {
        rc = sl__plan_bind_host(plan, pol->work_dir, "/skill", ro, err);
    }
    if (rc == SL_OK && pol->output_dir != NULL && sl__plan_output(plan) != SL_OK) {
        rc = sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox mounts");
    }
    for (i = 0; rc == SL_OK && pol->read_only_paths != NULL && pol->read_only_paths[i]; i++) {
        rc = sl__plan_bind_host(plan, pol->read_only_paths[i], pol->read_only_paths[i], ro,
                                err);
    }
    for (i = 0; rc == SL_OK && pol->read_write_paths != NULL && pol->read_write_paths[i];
         i++) {
        rc = sl__plan_bind_host(plan, pol->read_write_paths[i], pol->read_write_paths[i], rw,
                                err);
    }
    return rc;
}

/* The whole mount tree of a level 2 run, in the order init builds it. */
static int sl__plan_mounts(sl__plan *plan, sl_error *err)
{
    static const char *const system_dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32",
                                              "/lib64", "/libx32"};
    size_t i;
    int rc = SL_OK;

    for (i = 0; rc == SL_OK && i < SL__ARRAY_LEN(system_dirs); i++) {
        rc = sl__plan_system_dir(plan, system_dirs[i]);
    }
    if (rc == SL_OK) {
        rc = sl__plan_etc(plan);
    }
    if (rc == SL_OK) {
        rc = sl__plan_dev(plan);
    }
    if (rc == SL_OK) {
        rc = sl__plan_proc_tmp(plan);
    }
    if (rc != SL_OK) {
        return sl__error(err, rc, "out of memory while planning the sandbox mounts");
    }
    return sl__plan_caller_paths(plan, err);
}

/* ------------------------------------------------------------ child: helpers --- */

static void sl__child_fail(int fd, int stage, int err, int index)
{
    sl__child_msg msg;
    ssize_t w;

    msg.stage = stage;
    msg.err = err;
    msg.index = index;
    msg.unused = 0;
    do {
        w = write(fd, &msg, sizeof(msg));
    } while (w < 0 && errno == EINTR);
    _exit(127);
}

static int sl__write_all(int fd, const void *data, size_t len)
{
    const char *p = (const char *)data;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Restores default dispositions, because a host's handlers must never run in the child
 * and ignored signals (SIGPIPE, often) would stay ignored across execve. */
static void sl__child_reset_signals(void)
{
    struct sigaction sa;
    int sig;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            sigaction(sig, &sa, NULL);
        }
    }
}

static void sl__child_unblock_signals(void)
{
    sigset_t none;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Moves the pipe ends onto 0, 1 and 2. The parent made sure they are all above 2. */
static int sl__child_stdio(const sl__plan *plan)
{
    if (dup2(plan->stdin_r, 0) < 0 || dup2(plan->stdout_w, 1) < 0 ||
        dup2(plan->stderr_w, 2) < 0) {
        return -errno;
    }
    return 0;
}

/* Closes every fd from `low` up, except `keep`.
 * SECURITY: no host fd (sockets, files, the host's own pipes) survives into the payload. */
static int sl__child_close_from(int low, int keep)
{
    long r;
    int fd;

    if (keep >= low) {
        if (keep > low && syscall(SYS_close_range, (unsigned)low, (unsigned)keep - 1, 0u) != 0) {
            goto fallback;
        }
        low = keep + 1;
    }
    r = syscall(SYS_close_range, (unsigned)low, ~0u, 0u);
    if (r == 0) {
        return 0;
    }
fallback:
    for (fd = low; fd < 65536; fd++) {
        if (fd != keep) {
            close(fd);
        }
    }
    return 0;
}

/* Closes every fd from 3 up, except `a` and `b` (both above 2). */
static void sl__child_close_except(int a, int b)
{
    int lo = a < b ? a : b;
    int hi = a < b ? b : a;

    if (lo > 3) {
        syscall(SYS_close_range, 3u, (unsigned)lo - 1, 0u);
    }
    if (hi > lo + 1) {
        syscall(SYS_close_range, (unsigned)lo + 1, (unsigned)hi - 1, 0u);
    }
    sl__child_close_from(hi + 1, -1);
}

static int sl__child_rlimits(const sl__plan *plan)
{
    int i;

    for (i = 0; i < plan->limit_count; i++) {
        if (setrlimit(plan->limits[i].resource, &plan->limits[i].value) != 0) {
            return -errno;
        }
    }
    return 0;
}

/* Switches to the payload's uid and gid with raw system calls.
 * SECURITY: drops the supplementary groups of a root caller (group 0 and friends), then
 * the gid, then the uid, so nothing of the host's root identity reaches the payload. */
static void sl__child_set_ids(const sl__plan *plan, int fd)
{
    if (plan->caller_root && syscall(SYS_setgroups, 0, NULL) != 0) {
        sl__child_fail(fd, SL__ST_SETGROUPS, errno, -1);
    }
    if (syscall(SYS_setresgid, plan->gid, plan->gid, plan->gid) != 0) {
        sl__child_fail(fd, SL__ST_SETGID, errno, -1);
    }
    if (syscall(SYS_setresuid, plan->uid, plan->uid, plan->uid) != 0) {
        sl__child_fail(fd, SL__ST_SETUID, errno, -1);
    }
}

/* SECURITY: empties the bounding, ambient, effective, permitted and inheritable sets, so
 * no process of the run holds a capability, even over its own namespaces. */
static int sl__child_drop_caps(void)
{
    sl__cap_header header;
    sl__cap_data data[2];
    int cap;

    for (cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
            return -errno;
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        return -errno;
    }
    header.version = SL__CAP_VERSION_3;
    header.pid = 0;
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capset, &header, data) != 0) {
        return -errno;
    }
    return 0;
}

/* ------------------------------------------------------------- child: mounts --- */

/* Reopens every caller path in init's mount namespace onto the fd number the parent
 * reserved for it. Runs before the ids change, with the caller's own access rights. */
static void sl__child_open_sources(const sl__plan *plan, int fd)
{
    int i;

    for (i = 0; i < plan->source_fd_count; i++) {
        int opened = sl__open_nofollow(plan->source_paths[i]);
        struct stat st;

        if (opened < 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        if (fstat(opened, &st) != 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        /* SECURITY: a different inode means the path was replaced after the parent's
         * check; bind nothing rather than what took its place. */
        if (st.st_dev != plan->source_devs[i] || st.st_ino != plan->source_inos[i]) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, ESTALE, -1 - i);
        }
        if (dup3(opened, plan->source_fds[i], O_CLOEXEC) < 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        close(opened);
    }
}

/* Adds `attr` to the mount tree at `path`. mount_setattr (Linux 5.12+) covers submounts
 * too. Older kernels get a remount of the top mount, which repeats the flags the kernel
 * locked on it because a user namespace may not clear them. */
static int sl__child_restrict(const char *path, unsigned attr)
{
    sl__mount_attr ma;
    struct statfs sf;
    unsigned long flags = MS_REMOUNT | MS_BIND;

    memset(&ma, 0, sizeof(ma));
    ma.attr_set = attr;
    if (syscall(SYS_mount_setattr, AT_FDCWD, path, (unsigned)AT_RECURSIVE, &ma, sizeof(ma)) ==
        0) {
        return 0;
    }
    if (errno != ENOSYS) {
        return -errno;
    }
    if (statfs(path, &sf) != 0) {
        return -errno;
    }
    flags |= (unsigned long)sf.f_flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
                                          MS_NOATIME | MS_NODIRATIME);
    if (sf.f_flags & SL__ST_RELATIME) {
        flags |= MS_RELATIME;
    }
    flags |= (attr & SL__MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) |
             (attr & SL__MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
             (attr & SL__MOUNT_ATTR_NODEV ? MS_NODEV : 0) |
             (attr & SL__MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0);
    return mount(NULL, path, NULL, flags, NULL) == 0 ? 0 : -errno;
}

/* Mounts /proc; hidepid=invisible,subset=pid needs Linux 5.8. On older kernels a plain
 * proc is mounted and its system-wide writable parts are made read-only. */
static int sl__child_proc(const sl__mount_op *op)
{
    static const char *const masked[] = {"/sys", "/sysrq-trigger", "/irq", "/bus"};
    char path[PATH_MAX];
    size_t base = strlen(op->path);
    size_t i;

    if (mount("proc", op->path, "proc", op->flags, "hidepid=invisible,subset=pid") == 0) {
        return 0;
    }
    if (mount("proc", op->path, "proc", op->flags, NULL) != 0) {
        return -errno;
    }
    for (i = 0; i < SL__ARRAY_LEN(masked); i++) {
        size_t n = strlen(masked[i]);

        if (base + n + 1 > sizeof(path)) {
            return -ENAMETOOLONG;
        }
        memcpy(path, op->path, base);
        memcpy(path + base, masked[i], n + 1);
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) {
            if (errno == ENOENT) {
                continue;
            }
            return -errno;
        }
        if (sl__child_restrict(path, SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                                         SL__MOUNT_ATTR_NODEV | SL__MOUNT_ATTR_NOEXEC) != 0) {
            return -errno;
        }
    }
    return 0;
}

static int sl__child_write_file(const sl__mount_op *op)
{
    int fd = open(op->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    int rc;

    if (fd < 0) {
        return -errno;
    }
    rc = sl__write_all(fd, op->src, op->len) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

/* Runs one mount step. Returns 0 or -errno, and the stage in `*stage`. */
static int sl__child_op(const sl__mount_op *op, int *stage)
{
    int fd;

    switch (op->kind) {
    case SL__OP_MKDIR:
        *stage = SL__ST_MKDIR;
        return mkdir(op->path, 0755) == 0 || errno == EEXIST ? 0 : -errno;
    case SL__OP_TOUCH:
        *stage = SL__ST_TOUCH;
        fd = open(op->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            return -errno;
        }
        close(fd);
        return 0;
    case SL__OP_BIND:
        *stage = SL__ST_BIND;
        if (mount(op->src, op->path, NULL, MS_BIND | MS_REC, NULL) != 0) {
            return -errno;
        }
        *stage = SL__ST_BIND_FLAGS;
        {
            uint64_t t0 = SL__PROF_NOW();
            int r = sl__child_restrict(op->path, op->attr);

            SL__PROF_ADD(SL__PF_BIND_ATTR, t0);
            return r;
        }
    case SL__OP_SYMLINK:
        *stage = SL__ST_SYMLINK;
        return symlink(op->src, op->path) == 0 || errno == EEXIST ? 0 : -errno;
    case SL__OP_TMPFS:
        *stage = SL__ST_TMPFS;
        return mount("tmpfs", op->path, "tmpfs", op->flags, op->data) == 0 ? 0 : -errno;
    case SL__OP_PROC:
        *stage = SL__ST_PROC;
        return sl__child_proc(op);
    case SL__OP_WRITE:
        *stage = SL__ST_WRITE_FILE;
        return sl__child_write_file(op);
    case SL__OP_REMOUNT_RO:
        *stage = SL__ST_REMOUNT_RO;
        return mount(NULL, op->path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID,
                     NULL) == 0 ? 0 : -errno;
    default:
        *stage = SL__ST_MKDIR;
        return -EINVAL;
    }
}

/* SECURITY: a payload that gets a nested user namespace regains every capability over
 * it, the first step of most unprivileged kernel exploits. seccomp denies the syscalls too,
 * and this limit still applies when seccomp is waived. The ucount table is chosen by the writer's
 * user namespace, so the host's /proc (still mounted here) reaches the sandbox's own. */
static int sl__child_limit_userns(void)
{
    int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        return -errno;
    }
    rc = write(fd, "0\n", 2) == 2 ? 0 : -errno;
    close(fd);
    return rc;
}

/* Builds the new root on a tmpfs, then pivots into it.
 * SECURITY: the payload's whole file system view is this tree: read-only system folders,
 * a synthetic /etc, minimal /dev, fresh /proc, private /tmp, and the caller's binds. The
 * host root is detached, so no path leads back to it. */
static void sl__child_mounts(const sl__plan *plan, int fd)
{
    size_t i;
    int stage = 0;
    int rc;

    /* SECURITY: no mount event propagates back to the host, or in from it. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        sl__child_fail(fd, SL__ST_MAKE_PRIVATE, errno, -1);
    }
    SL__PROF(SL__PF_I_PRIVATE);
    if (mount("tmpfs", SL__STAGE_ROOT, "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=0755,size=1m,nr_inodes=4096") != 0) {
        sl__child_fail(fd, SL__ST_ROOT_TMPFS, errno, -1);
    }
    SL__PROF(SL__PF_I_ROOT);
    for (i = 0; i < plan->op_count; i++) {
        uint64_t t0 = SL__PROF_NOW();

        rc = sl__child_op(&plan->ops[i], &stage);
        if (rc != 0) {
            sl__child_fail(fd, stage, -rc, (int)i);
        }
        SL__PROF_ADD(SL__PF_OP_BASE + plan->ops[i].kind, t0);
        SL__PROF_COUNT(SL__PF_OP_COUNT_BASE + plan->ops[i].kind);
    }
    SL__PROF(SL__PF_I_OPS);
    rc = sl__child_limit_userns();
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_USERNS_LIMIT, -rc, -1);
    }
    SL__PROF(SL__PF_I_USERNS);
    /* pivot_root(".", ".") stacks the old root on the new one; detaching "." removes it. */
    if (chdir(SL__STAGE_ROOT) != 0 || syscall(SYS_pivot_root, ".", ".") != 0) {
        sl__child_fail(fd, SL__ST_PIVOT, errno, -1);
    }
    SL__PROF(SL__PF_I_PIVOT);
    if (umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) {
        sl__child_fail(fd, SL__ST_DETACH_OLD, errno, -1);
    }
    SL__PROF(SL__PF_I_DETACH);
    /* SECURITY: the root itself is read-only; /tmp, /dev/shm and /output are the only
     * writable places. */
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) !=
        0) {
        sl__child_fail(fd, SL__ST_ROOT_RO, errno, -1);
    }
    SL__PROF(SL__PF_I_ROOT_RO);
}

/* Brings up "lo" in the new network namespace so 127.0.0.1 works inside. */
static int sl__child_loopback(void)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc = 0;

    if (s < 0) {
        return -errno;
    }
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        rc = -errno;
    } else {
        ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
            rc = -errno;
        }
    }
    close(s);
    return rc;
}

/* -------------------------------------------------------- child: Landlock fix-up --- */

/* Grants `rights` beneath `path` in the child, for places that exist only inside the
 * sandbox (its tmpfs /tmp, /dev, /proc and root), which the parent could not open. */
static int sl__child_landlock_allow(int ruleset_fd, const char *path, uint64_t rights)
{
    unsigned char attr[SL__LANDLOCK_PATH_BENEATH_SIZE];
    int32_t fd = open(path, O_PATH | O_CLOEXEC | O_DIRECTORY);
    long r;

    if (fd < 0) {
        return -errno;
    }
    memcpy(attr, &rights, sizeof(rights));
    memcpy(attr + sizeof(rights), &fd, sizeof(fd));
    r = syscall(__NR_landlock_add_rule, ruleset_fd, SL__LANDLOCK_RULE_PATH_BENEATH, attr, 0);
    close(fd);
    return r == 0 ? 0 : -errno;
}

static int sl__child_landlock(const sl__plan *plan)
{
    int rc;

    if (plan->landlock_fd < 0) {
        return 0;
    }
    if (plan->level >= 2) {
        rc = sl__child_landlock_allow(plan->landlock_fd, "/", plan->landlock_read_rights);
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/tmp", plan->landlock_tmp_rights);
        }
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/dev/shm",
                                          plan->landlock_tmp_rights);
        }
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/dev", plan->landlock_dev_rights);
        }
        if (rc == 0 && plan->policy->output_dir != NULL) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/output",
                                          plan->landlock_tmp_rights);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return sl__landlock_enforce(plan->landlock_fd);
}

/* ------------------------------------------------------------- child: payload --- */

/* The last steps before execve, shared by both levels. Never returns. */
static void sl__child_exec(const sl__plan *plan)
{
    int fd = plan->setup_w;
    int rc;

    if (chdir(plan->cwd) != 0) {
        sl__child_fail(fd, SL__ST_CHDIR, errno, -1);
    }
    SL__PROF(SL__PF_X_CHDIR);
    /* SECURITY: setuid binaries and file capabilities stop working, so the payload can
     * never gain privileges by exec. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_NO_NEW_PRIVS, errno, -1);
    }
    SL__PROF(SL__PF_X_NNP);
    rc = sl__child_landlock(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_LANDLOCK, -rc, -1);
    }
    SL__PROF(SL__PF_X_LANDLOCK);
    sl__child_close_from(3, fd);
    /* The limits come after the fds are closed: with RLIMIT_NOFILE below the number of fds
     * the host has open, the O_PATH opens of the Landlock step above would fail (EMFILE). */
    rc = sl__child_rlimits(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_RLIMIT, -rc, -1);
    }
    SL__PROF(SL__PF_X_RLIMIT);
    sl__child_unblock_signals();
    SL__PROF(SL__PF_X_CLOSE);
    /* SECURITY: seccomp comes last, so its filter never has to allow the setup above. */
    if (plan->have_bpf) {
        rc = sl__seccomp_install(&plan->bpf);
        if (rc != 0) {
            sl__child_fail(fd, SL__ST_SECCOMP, -rc, -1);
        }
    }
    SL__PROF(SL__PF_X_SECCOMP);
    execve(plan->exe, plan->argv, plan->envp);
    sl__child_fail(fd, SL__ST_EXEC, errno, -1);
}

/* The payload at level 2, PID 2 of the namespace. */
static void sl__child_payload(const sl__plan *plan)
{
    SL__PROF(SL__PF_X_START);
    /* SECURITY: a new session has no controlling terminal, so TIOCSTI-style injection
     * into the host's terminal is impossible. */
    if (setsid() < 0) {
        sl__child_fail(plan->setup_w, SL__ST_SETSID, errno, -1);
    }
    SL__PROF(SL__PF_X_SETSID);
    sl__child_exec(plan);
}

/* The payload at level 1, a direct child of the host. */
static void sl__child_level1(const sl__plan *plan)
{
    int fd = plan->setup_w;
    int rc;

    sl__child_reset_signals();
    /* NOTE: the parent-death signal fires when the spawning thread exits, so a host that
     * spawns from a short-lived thread loses the run with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != plan->parent_pid) {
        _exit(127);
    }
    if (setsid() < 0) {
        sl__child_fail(fd, SL__ST_SETSID, errno, -1);
    }
    if (plan->have_cgroup && (rc = sl__cgroup_join(&plan->cgroup)) != 0) {
        sl__child_fail(fd, SL__ST_CGROUP, -rc, -1);
    }
    rc = sl__child_stdio(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_DUP, -rc, -1);
    }
    if (plan->caller_root) {
        sl__child_set_ids(plan, fd);
    }
    sl__child_exec(plan);
}

/* ------------------------------------------------------- child: pool payload --- */

/* The request a pool entry's payload waits for: this header (with the Landlock ruleset fd
 * attached as SCM_RIGHTS when the run has one), then `blob_len` bytes holding the program
 * path, the argv strings and the envp strings, each NUL-terminated. */
typedef struct sl__pool_request {
    uint32_t magic;
    uint32_t argc;
    uint32_t envc;
    uint32_t blob_len;
} sl__pool_request;

#define SL__POOL_MAGIC 0x736c706fu
#define SL__POOL_BLOB_MAX ((uint32_t)4 << 20)  /* argv + envp bytes of one pooled run */
#define SL__POOL_STRINGS_MAX 65536u            /* argv + envp entries of one pooled run */

/* Reads the run request into memory mapped here (no allocator in the child) and points the
 * plan's exe, argv, envp and landlock_fd at it. Returns 0, or -errno (-EPROTO for a malformed
 * request). Exits quietly when the pool closed the socket. */
static int sl__child_pool_receive(sl__plan *plan)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    sl__pool_request req;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cm;
    size_t ptr_bytes;
    size_t got = 0;
    char **ptrs;
    char *blob;
    char *p;
    ssize_t n;
    uint32_t i;

    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &req;
    iov.iov_len = sizeof(req);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(plan->pool_ctrl, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        _exit(0); /* the pool was freed: this entry is never used */
    }
    if (n != (ssize_t)sizeof(req) || req.magic != SL__POOL_MAGIC ||
        req.blob_len == 0 || req.blob_len > SL__POOL_BLOB_MAX || req.argc == 0 ||
        req.argc > SL__POOL_STRINGS_MAX || req.envc > SL__POOL_STRINGS_MAX ||
        (msg.msg_flags & MSG_CTRUNC) != 0) {
        return n < 0 ? -errno : -EPROTO;
    }
    plan->landlock_fd = -1;
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len == CMSG_LEN(sizeof(int))) {
            memcpy(&plan->landlock_fd, CMSG_DATA(cm), sizeof(int));
        }
    }
    ptr_bytes = ((size_t)req.argc + req.envc + 2) * sizeof(char *);
    ptrs = (char **)mmap(NULL, ptr_bytes + req.blob_len, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ptrs == MAP_FAILED) {
        return -errno;
    }
    blob = (char *)ptrs + ptr_bytes;
    while (got < req.blob_len) {
        n = read(plan->pool_ctrl, blob + got, req.blob_len - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : -EPROTO;
        }
        got += (size_t)n;
    }
    if (blob[req.blob_len - 1] != '\0') {
        return -EPROTO;
    }
    /* exe, then argc argv strings, then envc envp strings; nothing may be left over. */
    p = blob;
    plan->exe = p;
    p += strlen(p) + 1;
    for (i = 0; i < req.argc + req.envc; i++) {
        if (p >= blob + req.blob_len) {
            return -EPROTO;
        }
        ptrs[i < req.argc ? i : i + 1] = p;
        p += strlen(p) + 1;
    }
    if (p != blob + req.blob_len) {
        return -EPROTO;
    }
    ptrs[req.argc] = NULL;
    ptrs[req.argc + 1 + req.envc] = NULL;
    plan->argv = ptrs;
    plan->envp = ptrs + req.argc + 1;
    return 0;
}

/* The payload of a pool entry, PID 2 of its namespace: does every step that does not depend
 * on the program, reports "ready" on the control socket, waits for one request, then does
 * the rest and execs. Never returns.
 * SECURITY: seccomp goes on before the wait, so the idle process is already confined; the
 * filter allows what remains (recvmsg, mmap, read, landlock_*, close_range, execve). While
 * idle the process holds only its stdio pipes, the setup pipe and the control socket, all
 * made by the pool for this entry, and it is non-dumpable (inherited from init). */
static void sl__child_pool_payload(const sl__plan *entry)
{
    sl__plan copy = *entry; /* this process's own memory: the request fills it in */
    sl__plan *plan = &copy;
    int fd = plan->setup_w;
    int rc;

    if (setsid() < 0) {
        sl__child_fail(fd, SL__ST_SETSID, errno, -1);
    }
    if (chdir(plan->cwd) != 0) {
        sl__child_fail(fd, SL__ST_CHDIR, errno, -1);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_NO_NEW_PRIVS, errno, -1);
    }
    sl__child_close_except(fd, plan->pool_ctrl);
    if (plan->have_bpf) {
        rc = sl__seccomp_install(&plan->bpf);
        if (rc != 0) {
            sl__child_fail(fd, SL__ST_SECCOMP, -rc, -1);
        }
    }
    if (sl__write_all(plan->pool_ctrl, "r", 1) != 0) {
        _exit(127);
    }
    rc = sl__child_pool_receive(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_POOL_REQUEST, -rc, -1);
    }
    rc = sl__child_landlock(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_LANDLOCK, -rc, -1);
    }
    sl__child_close_from(3, fd);
    rc = sl__child_rlimits(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_RLIMIT, -rc, -1);
    }
    sl__child_unblock_signals();
    execve(plan->exe, plan->argv, plan->envp);
    sl__child_fail(fd, SL__ST_EXEC, errno, -1);
}

/* Entry point of the vfork-style payload clone (see sl__child_init). */
static int sl__child_payload_entry(void *arg)
{
    sl__child_payload((const sl__plan *)arg);
    return 127;
}

/* Stack of the vfork-style payload clone: only the steps before execve run on it. */
#define SL__PAYLOAD_STACK_SIZE ((size_t)256 << 10)

/* AddressSanitizer cannot follow a clone onto another stack (it prints a warning into the
 * payload's stderr), so sanitizer builds fork the payload the plain way. */
#if defined(__SANITIZE_ADDRESS__)
#define SL__PAYLOAD_VFORK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SL__PAYLOAD_VFORK 0
#endif
#endif
#ifndef SL__PAYLOAD_VFORK
#define SL__PAYLOAD_VFORK 1
#endif

/* ---------------------------------------------------------------- child: init --- */

/* Ends the run from inside: kills every other process of the namespace and reaps them all,
 * so that their CPU time adds up in init's rusage, which the parent reads with wait4. Writes
 * the payload's wait status to the status pipe when init reaps it here. Never returns. */
static void sl__init_end(pid_t payload, int status_fd, int have_status, int exit_code)
{
    int32_t status;
    pid_t pid;
    int st;

    kill(-1, SIGKILL);
    for (;;) {
        pid = waitpid(-1, &st, __WALL);
        if (pid < 0) {
            if (errno == EINTR) {
                continue;
            }
            break; /* ECHILD: nothing is left */
        }
        if (pid == payload && !have_status) {
            status = st;
            sl__write_all(status_fd, &status, sizeof(status));
            have_status = 1;
            exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
    }
    SL__PROF(SL__PF_I_END);
    _exit(exit_code);
}

/* PID 1's loop: reap every child, forward termination signals, and end the run when the
 * payload exits or the parent sends SL__STOP_SIGNAL. The payload's status also goes to the
 * status pipe, because PID 1 cannot die by a signal it sends itself. */
static void sl__init_loop(pid_t payload, int status_fd)
{
    sigset_t set;
    siginfo_t info;
    int32_t status;
    pid_t pid;
    int st;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SL__STOP_SIGNAL);
    for (;;) {
        int sig = sigwaitinfo(&set, &info);

        if (sig < 0) {
            continue;
        }
        if (sig == SL__STOP_SIGNAL) {
            /* SECURITY: only a sender outside the namespace (the parent) has si_pid 0; a
             * payload could only end its own run this way, but it is ignored anyway. */
            if (info.si_pid == 0) {
                sl__init_end(payload, status_fd, 0, 128 + SIGKILL);
            }
            continue;
        }
        if (sig != SIGCHLD) {
            kill(-1, sig);
            continue;
        }
        while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
            if (pid == payload) {
                SL__PROF(SL__PF_I_PAYLOAD_EXIT);
                status = st;
                sl__write_all(status_fd, &status, sizeof(status));
                sl__init_end(payload, status_fd, 1,
                             WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            }
        }
    }
}

/* PID 1 of a level 2 run. Never returns. */
static void sl__child_init(const sl__plan *plan)
{
    int fd = plan->setup_w;
    sl__plan own;
    char go;
    pid_t payload;
    int rc;

    SL__PROF(SL__PF_I_START);
    sl__child_reset_signals();
    /* SECURITY: the run dies with the host instead of living on as an orphan. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (read(plan->sync_r, &go, 1) != 1) {
        _exit(127); /* the parent failed to write the id maps and reports it itself */
    }
    SL__PROF(SL__PF_I_SYNC);
    rc = sl__child_stdio(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_DUP, -rc, -1);
    }
    SL__PROF(SL__PF_I_STDIO);
    if (plan->have_cgroup && (rc = sl__cgroup_join(&plan->cgroup)) != 0) {
        sl__child_fail(fd, SL__ST_CGROUP, -rc, -1);
    }
    SL__PROF(SL__PF_I_CG_JOIN);
    sl__child_open_sources(plan, fd);
    SL__PROF(SL__PF_I_SOURCES);
    /* The ids change before the mounts: files created in the new tmpfs need an owner that
     * is mapped in the namespace (host root is not, and the kernel fails with EOVERFLOW). The
     * capabilities over the namespace stay until sl__child_drop_caps, because the user
     * namespace maps no uid 0 whose loss would clear them. Caller paths are bound through
     * fds opened by the parent, so the unprivileged uid needs no access to their parents. */
    sl__child_set_ids(plan, fd);
    SL__PROF(SL__PF_I_IDS);
    sl__child_mounts(plan, fd);
    /* The parent keeps the /output tmpfs alive through this fd and copies it out after the
     * run. Sent before the payload exists, so the payload never holds the socket. */
    if (plan->policy->output_dir != NULL && (rc = sl__output_send(plan->output_w,
                                                                  "/output")) != 0) {
        sl__child_fail(fd, SL__ST_OUTPUT_SEND, -rc, -1);
    }
    if (!plan->policy->network && (rc = sl__child_loopback()) != 0) {
        sl__child_fail(fd, SL__ST_LOOPBACK, -rc, -1);
    }
    SL__PROF(SL__PF_I_LOOPBACK);
    if (sethostname("sandbox", 7) != 0) {
        sl__child_fail(fd, SL__ST_HOSTNAME, errno, -1);
    }
    SL__PROF(SL__PF_I_HOSTNAME);
    rc = sl__child_drop_caps();
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_CAPS, -rc, -1);
    }
    SL__PROF(SL__PF_I_CAPS);
    /* SECURITY: init is the one process of the run without seccomp and Landlock; being
     * non-dumpable keeps the payload from opening its /proc/1/mem or ptracing it. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_DUMPABLE, errno, -1);
    }
    SL__PROF(SL__PF_I_DUMPABLE);
    if (plan->cgroup_deferred) {
        /* SECURITY: the payload must start inside the run's cgroup, so init waits until the
         * parent has moved it there ('c') or decided that the run has none ('n'). */
        if (read(plan->sync_r, &go, 1) != 1 || (go != 'c' && go != 'n')) {
            _exit(127); /* the parent failed and reports it itself */
        }
        if (go == 'c') {
            own = *plan; /* the cgroup limits memory and processes: drop the rlimit stand-ins */
            own.limit_count = own.cgroup_limit_count;
            plan = &own;
        }
    }
    SL__PROF(SL__PF_I_CG_WAIT);
    if (plan->pool_ctrl >= 0 || !SL__PAYLOAD_VFORK) {
        /* A pool entry's payload waits for its request, so init must not wait for it. */
        payload = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);
        if (payload == 0 && plan->pool_ctrl >= 0) {
            sl__child_pool_payload(plan);
        } else if (payload == 0) {
            sl__child_payload(plan);
        }
    } else {
        /* The payload shares init's memory until its execve (CLONE_VM | CLONE_VFORK), which
         * skips copying init's page tables and the copy-on-write faults after them. init is
         * suspended meanwhile, and the payload touches only its own stack and kernel state
         * that is per process (fd table, cwd, limits, credentials, seccomp). */
        void *stack = mmap(NULL, SL__PAYLOAD_STACK_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

        if (stack == MAP_FAILED) {
            sl__child_fail(fd, SL__ST_FORK, errno, -1);
        }
        payload = clone(sl__child_payload_entry, (char *)stack + SL__PAYLOAD_STACK_SIZE,
                        CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)plan);
        munmap(stack, SL__PAYLOAD_STACK_SIZE);
    }
    if (payload < 0) {
        sl__child_fail(fd, SL__ST_FORK, errno, -1);
    }
    SL__PROF(SL__PF_I_FORKED);
    /* init keeps only the status pipe; the payload's exec closes the setup pipe. */
    sl__child_close_from(0, plan->status_w);
    sl__init_loop(payload, plan->status_w);
}

/* -------------------------------------------------------------- parent: errors --- */

/* Returns the likely fix for a failed stage, or "". */
static const char *sl__stage_hint(int stage, int err)
{
    switch (stage) {
    case SL__ST_PROC:
        return "; the kernel refuses a new /proc when the host's /proc has hidden parts "
               "(a container runtime's masks): run on a host or in a container with an "
               "unmasked /proc";
    case SL__ST_LANDLOCK:
        return "; Landlock is missing or disabled: add landlock to the lsm= boot parameter "
               "or waive the landlock layer";
    case SL__ST_SECCOMP:
        return "; the kernel lacks CONFIG_SECCOMP_FILTER, or waive the seccomp layer";
    case SL__ST_CGROUP:
        return "; the cgroup could not be joined: check cgroup delegation or waive the "
               "cgroup layer";
    case SL__ST_EXEC:
        return err == ENOENT ? "; the program or its interpreter is not visible inside the "
                               "sandbox: bind its folder with read_only_paths"
                             : "";
    case SL__ST_BIND:
        return err == EACCES ? "; the payload's uid cannot reach the bind source: make it "
                               "readable by that uid"
                             : "";
    case SL__ST_SETUID:
    case SL__ST_SETGID:
    case SL__ST_SETGROUPS:
        return "; the uid or gid is not mapped in the user namespace";
    case SL__ST_CHDIR:
        return "; the working folder must be searchable by the payload's uid";
    case SL__ST_USERNS_LIMIT:
        return "; the kernel lacks per-namespace user.max_user_namespaces (Linux 4.9+)";
    default:
        return "";
    }
}

static int sl__child_error(const sl__plan *plan, const sl__child_msg *msg, sl_error *err)
{
    int stage = msg->stage > 0 && msg->stage < SL__ST_COUNT ? msg->stage : 0;
    const sl__stage_info *info = &sl__stages[stage];
    const char *subject = "";

    if (msg->index >= 0 && (size_t)msg->index < plan->op_count) {
        subject = plan->ops[msg->index].path + strlen(SL__STAGE_ROOT);
    } else if (msg->index < -1 && -1 - msg->index < plan->source_fd_count) {
        subject = plan->source_paths[-1 - msg->index];
    } else if (stage == SL__ST_EXEC) {
        subject = plan->exe;
    } else if (stage == SL__ST_CHDIR) {
        subject = plan->cwd;
    }
    return sl__error_sys(err, info->code, info->name, msg->err,
                         "sandbox setup failed at %s%s%s%s: %s%s", info->name,
                         subject[0] ? " \"" : "", subject, subject[0] ? "\"" : "",
                         strerror(msg->err),
                         sl__stage_hint(stage, msg->err));
}

/* Reads the bytes in the setup pipe into `msg` (`*got` bytes so far). Returns SL_EAGAIN
 * while the pipe is open and the report incomplete (after at most one read with data, so a
 * blocking pipe does not block here once poll reported it readable), SL_OK at EOF without a report (every
 * process closed its end: the payload exec'd), or the error of a complete report. */
static int sl__setup_read(const sl__plan *plan, int setup_r, sl__child_msg *msg, size_t *got,
                          sl_error *err)
{
    for (;;) {
        ssize_t n = read(setup_r, (char *)msg + *got, sizeof(*msg) - *got);

        if (n > 0) {
            *got += (size_t)n;
            if (*got == sizeof(*msg)) {
                return sl__child_error(plan, msg, err);
            }
            return SL_EAGAIN; /* the rest comes with the next readiness */
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return SL_EAGAIN;
        }
        return *got == 0 ? SL_OK
                         : sl__error(err, SL_ESANDBOX_SPAWN, "sandbox setup sent a short "
                                     "report");
    }
}

static int sl__clone_error(int saved, sl_error *err)
{
    const char *hint;

    switch (saved) {
    case EPERM:
    case EACCES:
        hint = "user namespaces are disabled: set kernel.unprivileged_userns_clone=1 or, on "
               "Ubuntu 24.04, kernel.apparmor_restrict_unprivileged_userns=0; inside a "
               "container allow unshare/clone in its seccomp profile";
        break;
    case ENOSPC:
        hint = "the user namespace limit is reached or zero: raise user.max_user_namespaces";
        break;
    case EINVAL:
        hint = "the kernel lacks user, PID or network namespaces (CONFIG_USER_NS, "
               "CONFIG_PID_NS, CONFIG_NET_NS)";
        break;
    default:
        hint = "see clone(2)";
        break;
    }
    return sl__error_sys(err, SL_ESANDBOX_USERNS, "clone", saved,
                         "cannot create the sandbox namespaces: %s; %s", strerror(saved), hint);
}

/* ------------------------------------------------------------------ parent: run --- */

struct sl_sandbox_run {
    sl_allocator alloc;
    const sl_allocator *result_alloc;
    int level;
    pid_t pid;          /* init (level 2) or the payload (level 1) */
    int pidfd;          /* -1 when the kernel lacks pidfd_open */
    int epfd;
    int timerfd;
    int in_fd;
    int out_fd;
    int err_fd;
    int status_fd;      /* level 2: the payload's wait status from init */
    char *input;
    size_t input_len;
    size_t input_off;
    char *out;
    size_t out_len, out_cap, out_max;
    int out_truncated;
    char *err;
    size_t err_len, err_cap, err_max;
    int err_truncated;
    int kill_on_output_limit;
    uint64_t start_ns;
    uint64_t deadline_ns;
    uint64_t drain_until_ns;
    uint64_t stop_at_ns;     /* 0; else when the stop request turns into a hard kill, and
                                UINT64_MAX once that kill was sent */
    uint64_t watch_at_ns;    /* next in-run check; UINT64_MAX when there is nothing to check */
    uint64_t cpu_limit_ns;
    sl__output output;       /* output_dir and, at level 2, the /output tmpfs */
    int limit;
    int reaped;
    int wait_status;
    int payload_status;
    int have_payload_status;
    struct rusage usage;
    sl__cgroup cgroup;
    int have_cgroup;
    unsigned layers;
    int landlock_abi;
    int finished;
    sl_sandbox_result result;
    /* The children's setup, from clone until the payload exec'd (see sl__run_setup_step). */
    int setup_fd;            /* read end of the setup pipe, in the epoll set; -1 when over */
    sl__child_msg setup_msg; /* a failure report being read */
    size_t setup_got;
    sl__plan *setup_plan;    /* names the failed step in the message; freed when over */
    int output_sock;         /* level 2 with output_dir: init passes the /output tmpfs here */
    uint32_t timeout_ms;
    int setup_rc;            /* SL_OK, or the setup failure that ended the run */
    sl_error setup_error;    /* its message, returned by every later poll */
};

static void sl__plan_free(sl__plan *plan);
static void sl__spawn_abort(sl_sandbox_run *run);

static void sl__close(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Moves `*fd` above 2, so the child's dup2 onto 0-2 cannot clobber another pipe end. */
static int sl__fd_above_stdio(int *fd)
{
    int moved;

    if (*fd > 2) {
        return 0;
    }
    moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0) {
        return -1;
    }
    close(*fd);
    *fd = moved;
    return 0;
}

static int sl__pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return -1;
    }
    if (sl__fd_above_stdio(&fds[0]) != 0 || sl__fd_above_stdio(&fds[1]) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

/* Writes to a pipe without raising SIGPIPE in the host: the signal is blocked for this
 * thread and a SIGPIPE this write caused is consumed. Returns write()'s result. */
static ssize_t sl__write_nosigpipe(int fd, const void *data, size_t len)
{
    sigset_t pipe_set;
    sigset_t old;
    sigset_t pending;
    int was_pending;
    ssize_t w;
    int saved;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    w = write(fd, data, len);
    saved = errno;
    if (w < 0 && saved == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return w;
}

/* Marks the run's top process as reaped.
 * SECURITY: at level 2 that process is the init of the run's PID namespace, and the kernel
 * kills and reaps every other process of the namespace before init can be reaped. Only init
 * was moved into the run's cgroup, and nothing outside the namespace can join it, so the
 * cgroup is known to be empty and needs no kill loop. */
static void sl__run_set_reaped(sl_sandbox_run *run)
{
    run->reaped = 1;
    if (run->level >= 2) {
        run->cgroup.no_processes = 1;
    }
}

/* Sends SIGKILL to every process of the run. */
static void sl__run_kill_all(sl_sandbox_run *run)
{
    if (!run->reaped) {
        if (run->pidfd < 0 || syscall(SYS_pidfd_send_signal, run->pidfd, SIGKILL, NULL, 0) != 0) {
            kill(run->pid, SIGKILL);
        }
    }
    if (run->level < 2) {
        /* The payload's session: its pgid is its pid, which stays reserved while the group
           exists, even after the payload itself was reaped. */
        kill(-run->pid, SIGKILL);
    }
    if (run->have_cgroup && !run->cgroup.no_processes) {
        sl__cgroup_kill(&run->cgroup);
    }
}

/* Ends the run for a limit or the host. At level 2, init gets the request to kill and reap
 * every process itself, so their CPU time reaches cpu_ns. If init has not exited
 * SL__STOP_GRACE_NS later, sl__run_step kills it. Level 1 is killed at once. */
static void sl__run_stop(sl_sandbox_run *run)
{
    if (run->stop_at_ns != 0) {
        return;
    }
    if (run->level < 2 || run->reaped) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
        return;
    }
    if (run->pidfd >= 0
            ? syscall(SYS_pidfd_send_signal, run->pidfd, SL__STOP_SIGNAL, NULL, 0) != 0
            : kill(run->pid, SL__STOP_SIGNAL) != 0) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
        return;
    }
    run->stop_at_ns = sl_time_now_ns() + SL__STOP_GRACE_NS;
}

/* Arms the timer at `at_ns` (absolute, CLOCK_MONOTONIC), or disarms it for UINT64_MAX. */
static void sl__run_arm_timer(sl_sandbox_run *run, uint64_t at_ns, uint64_t interval_ns)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    if (at_ns == UINT64_MAX) {
        timerfd_settime(run->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
        return;
    }
    if (at_ns == 0) {
        at_ns = 1;
    }
    its.it_value.tv_sec = (time_t)(at_ns / 1000000000u);
    its.it_value.tv_nsec = (long)(at_ns % 1000000000u);
    its.it_interval.tv_sec = (time_t)(interval_ns / 1000000000u);
    its.it_interval.tv_nsec = (long)(interval_ns % 1000000000u);
    timerfd_settime(run->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Appends to a capped output buffer; bytes past the cap are dropped and flagged. */
static void sl__run_keep(sl_sandbox_run *run, char **buf, size_t *len, size_t *cap,
                         size_t max, int *truncated, const char *data, size_t n)
{
    size_t room = *len < max ? max - *len : 0;
    size_t take = n < room ? n : room;

    if (take < n) {
        *truncated = 1;
        if (run->kill_on_output_limit && run->limit == SL_LIMIT_NONE && !run->reaped) {
            run->limit = SL_LIMIT_OUTPUT;
            sl__run_stop(run);
        }
    }
    if (take == 0) {
        return;
    }
    if (*len + take + 1 > *cap) {
        size_t want = *cap == 0 ? 4096 : *cap;
        char *grown;

        while (want < *len + take + 1) {
            want *= 2;
        }
        if (want > max + 1) {
            want = max + 1;
        }
        grown = (char *)sl__realloc(&run->alloc, *buf, *cap, want);
        if (grown == NULL) {
            *truncated = 1; /* NOTE: out of memory drops output like the cap does */
            return;
        }
        *buf = grown;
        *cap = want;
    }
    memcpy(*buf + *len, data, take);
    *len += take;
}

/* Closes one of the run's fds in its epoll set. Removed first, because a child that has not
 * reached execve yet has a copy of the pipe end, which would keep the closed fd in the set
 * (always writable or at EOF: the loop would spin). */
static void sl__run_unwatch(sl_sandbox_run *run, int *fd)
{
    if (*fd >= 0 && run->epfd >= 0) {
        epoll_ctl(run->epfd, EPOLL_CTL_DEL, *fd, NULL);
    }
    sl__close(fd);
}

/* Reads what a pipe has now; closes it at EOF. At most 1 MiB per call, so a flooding
 * payload cannot starve the timeout check. */
static void sl__run_read(sl_sandbox_run *run, int is_err)
{
    char chunk[65536];
    int *fd = is_err ? &run->err_fd : &run->out_fd;
    int i;

    for (i = 0; i < 16 && *fd >= 0; i++) {
        ssize_t n = read(*fd, chunk, sizeof(chunk));

        if (n > 0) {
            if (is_err) {
                sl__run_keep(run, &run->err, &run->err_len, &run->err_cap, run->err_max,
                             &run->err_truncated, chunk, (size_t)n);
            } else {
                sl__run_keep(run, &run->out, &run->out_len, &run->out_cap, run->out_max,
                             &run->out_truncated, chunk, (size_t)n);
            }
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        sl__run_unwatch(run, fd);
    }
}

static void sl__run_write_input(sl_sandbox_run *run)
{
    while (run->in_fd >= 0 && run->input_off < run->input_len) {
        ssize_t w = sl__write_nosigpipe(run->in_fd, run->input + run->input_off,
                                        run->input_len - run->input_off);
        if (w > 0) {
            run->input_off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && errno == EAGAIN) {
            return;
        }
        break; /* EPIPE: the payload closed stdin, which is its right */
    }
    sl__run_unwatch(run, &run->in_fd);
}

/* Reaps the run's top process when it has exited. */
static void sl__run_check_exit(sl_sandbox_run *run)
{
    int32_t status;
    pid_t r;

    if (run->reaped) {
        return;
    }
    do {
        r = wait4(run->pid, &run->wait_status, WNOHANG, &run->usage);
    } while (r < 0 && errno == EINTR);
    if (r != run->pid) {
        return;
    }
    SL__PROF(SL__PF_REAPED);
    sl__run_set_reaped(run);
    sl__close(&run->pidfd);
    if (run->status_fd >= 0 && read(run->status_fd, &status, sizeof(status)) ==
                                   (ssize_t)sizeof(status)) {
        run->payload_status = status;
        run->have_payload_status = 1;
    }
    sl__close(&run->status_fd);
    if (run->level < 2) {
        sl__run_kill_all(run); /* descendants that outlived the payload */
    }
    run->drain_until_ns = sl_time_now_ns() + SL__DRAIN_NS;
    sl__run_arm_timer(run, run->drain_until_ns, 0);
}

/* ---------------------------------------------------------- parent: output folder --- */

/* Opens output_dir for the run (see sl__output_open in src/sandbox_output.c). */
static int sl__run_quota_start(sl_sandbox_run *run, const sl_sandbox_policy *pol, sl_error *err)
{
    return sl__output_open(&run->output, pol, err);
}

/* The in-run checks: an OOM kill or a failed fork at pids.max in the cgroup. A hit ends the
 * run with that limit. */
static void sl__run_watch(sl_sandbox_run *run)
{
    int hit = SL_LIMIT_NONE;

    if (run->have_cgroup) {
        hit = sl__cgroup_limit_hit(&run->cgroup);
    }
    if (hit != SL_LIMIT_NONE) {
        if (run->limit == SL_LIMIT_NONE) {
            run->limit = hit;
        }
        sl__run_stop(run);
    }
}

/* Returns the limit that ended a run, from the signal and the cgroup when no deadline or
 * kill ended it. */
static int sl__run_limit(sl_sandbox_run *run, int exited, int code, int sig)
{
    uint64_t cpu = (uint64_t)run->usage.ru_utime.tv_sec * 1000000000u +
                   (uint64_t)run->usage.ru_utime.tv_usec * 1000u +
                   (uint64_t)run->usage.ru_stime.tv_sec * 1000000000u +
                   (uint64_t)run->usage.ru_stime.tv_usec * 1000u;
    int hit;

    if (run->limit != SL_LIMIT_NONE) {
        return run->limit;
    }
    if (!exited && sig == SIGXCPU) {
        return SL_LIMIT_CPU;
    }
    if (!exited && sig == SIGXFSZ) {
        return SL_LIMIT_FILE_SIZE;
    }
    if (!exited && sig == SIGKILL && run->cpu_limit_ns > 0 && cpu >= run->cpu_limit_ns) {
        return SL_LIMIT_CPU;
    }
    if (run->have_cgroup && !(exited && code == 0)) {
        hit = sl__cgroup_limit_hit(&run->cgroup);
        if (hit != SL_LIMIT_NONE) {
            return hit;
        }
    }
    return SL_LIMIT_NONE;
}

static char *sl__run_take_output(sl_sandbox_run *run, char **buf, size_t len, size_t cap)
{
    char *out = *buf;

    if (out == NULL) {
        out = (char *)sl__malloc(&run->alloc, 1);
        cap = 1;
        if (out == NULL) {
            return NULL;
        }
    }
    if (cap != len + 1) {
        char *fitted = (char *)sl__realloc(&run->alloc, out, cap, len + 1);
        if (fitted != NULL) {
            out = fitted;
        } else if (cap < len + 1) {
            return NULL;
        }
    }
    out[len] = '\0';
    *buf = NULL;
    return out;
}

static void sl__run_finish(sl_sandbox_run *run)
{
    sl_sandbox_result *res = &run->result;
    int st = run->have_payload_status ? run->payload_status : run->wait_status;
    int exited = WIFEXITED(st);
    int code = exited ? WEXITSTATUS(st) : 0;
    int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;

    if (run->level >= 2 && !run->have_payload_status) {
        /* init was killed (deadline, kill, host), which killed the payload with it. */
        exited = 0;
        code = 0;
        sig = SIGKILL;
    }
    sl__close(&run->in_fd);
    sl__close(&run->out_fd);
    sl__close(&run->err_fd);
    memset(res, 0, sizeof(*res));
    res->exited = exited;
    res->exit_code = code;
    res->signal = exited ? 0 : sig;
    res->limit = sl__run_limit(run, exited, code, sig);
    /* At level 2 every process of the run is gone (init reaps them all before it exits), so
     * nothing changes the /output tmpfs while it is copied out. */
    sl__output_finish(&run->output, res, &run->alloc);
    res->wall_ns = sl_time_now_ns() - run->start_ns;
    /* init reaps every process before it exits, so its rusage covers the whole run.
     * NOTE: when init missed the SL__STOP_GRACE_NS deadline and was killed, the processes it
     * had not reaped yet are missing from cpu_ns. */
    res->cpu_ns = (uint64_t)run->usage.ru_utime.tv_sec * 1000000000u +
                  (uint64_t)run->usage.ru_utime.tv_usec * 1000u +
                  (uint64_t)run->usage.ru_stime.tv_sec * 1000000000u +
                  (uint64_t)run->usage.ru_stime.tv_usec * 1000u;
    res->peak_memory_bytes = (uint64_t)run->usage.ru_maxrss * 1024u;
    if (run->have_cgroup) {
        uint64_t peak = sl__cgroup_peak_memory(&run->cgroup);
        if (peak > 0) {
            res->peak_memory_bytes = peak;
        }
        sl__cgroup_destroy(&run->cgroup);
        run->have_cgroup = 0;
    }
    SL__PROF(SL__PF_CG_DESTROY);
    res->layers = run->layers;
    res->landlock_abi = run->landlock_abi;
    res->alloc = run->result_alloc;
    res->stdout_truncated = run->out_truncated;
    res->stderr_truncated = run->err_truncated;
    res->stdout_len = run->out_len;
    res->stderr_len = run->err_len;
    res->stdout_data = sl__run_take_output(run, &run->out, run->out_len, run->out_cap);
    res->stderr_data = sl__run_take_output(run, &run->err, run->err_len, run->err_cap);
    if (res->stdout_data == NULL || res->stderr_data == NULL) {
        /* NOTE: the outputs are dropped when the final 1-byte allocation fails. */
        sl__free(&run->alloc, res->stdout_data, res->stdout_len + 1);
        sl__free(&run->alloc, res->stderr_data, res->stderr_len + 1);
        res->stdout_data = NULL;
        res->stderr_data = NULL;
        res->stdout_len = 0;
        res->stderr_len = 0;
    }
    run->finished = 1;
    SL__PROF(SL__PF_FINISHED);
}

/* Arms the timer for the next thing sl__run_step must do without an fd event: the deadline,
 * an in-run check, the end of the stop grace or of the drain. Without a pidfd, the 10 ms
 * ticker set up by sl__run_setup_poll stays until the run is reaped. */
static void sl__run_rearm(sl_sandbox_run *run)
{
    uint64_t at;

    if (run->reaped) {
        at = run->drain_until_ns;
    } else if (run->pidfd < 0) {
        return;
    } else if (run->stop_at_ns != 0) {
        at = run->stop_at_ns;  /* UINT64_MAX after the kill: the pidfd wakes the loop */
    } else {
        at = run->deadline_ns < run->watch_at_ns ? run->deadline_ns : run->watch_at_ns;
    }
    sl__run_arm_timer(run, at, 0);
}

/* Closes what only the setup needed: the setup pipe, the /output socket and the plan. */
static void sl__run_setup_done(sl_sandbox_run *run)
{
    sl__run_unwatch(run, &run->setup_fd);
    sl__close(&run->output_sock);
    if (run->setup_plan != NULL) {
        sl__plan_free(run->setup_plan);
        sl__free(&run->alloc, run->setup_plan, sizeof(*run->setup_plan));
        run->setup_plan = NULL;
    }
}

/* Follows the children's setup: EOF on the setup pipe means the payload exec'd, a report
 * means a step failed. A failure (or a setup still going at the deadline) ends the run: the
 * children are killed and reaped, and sl_sandbox_poll returns the error from then on.
 * Returns SL_OK while the run goes on. */
static int sl__run_setup_step(sl_sandbox_run *run)
{
    sl_error e;
    int rc;

    if (run->setup_fd < 0) {
        return SL_OK;
    }
    rc = sl__setup_read(run->setup_plan, run->setup_fd, &run->setup_msg, &run->setup_got, &e);
    if (rc == SL_EAGAIN) {
        if (sl_time_now_ns() < run->deadline_ns) {
            return SL_OK;
        }
        rc = sl__error_sys(&e, SL_ETIMEOUT, "sandbox setup", ETIMEDOUT,
                           "sandbox setup did not finish within the %u ms timeout",
                           (unsigned)run->timeout_ms);
    }
    if (rc == SL_OK) {
        SL__PROF(SL__PF_SETUP_DONE);
        if (run->output_sock >= 0) {
            /* init sent the tmpfs before it forked the payload, so it is queued by now,
               unless the host killed the run during the setup. */
            rc = sl__output_receive(&run->output, run->output_sock, &e);
            if (rc != SL_OK && run->stop_at_ns != 0) {
                rc = SL_OK; /* killed: the run ends without an /output copy */
            }
        }
    }
    sl__run_setup_done(run);
    if (rc != SL_OK) {
        run->setup_rc = rc;
        run->setup_error = e;
        sl__spawn_abort(run);
        run->stop_at_ns = UINT64_MAX;
    }
    return rc;
}

/* Does every piece of work that is possible now, without waiting. */
static void sl__run_step(sl_sandbox_run *run)
{
    uint64_t now;
    uint64_t ticks;

    while (read(run->timerfd, &ticks, sizeof(ticks)) > 0) {
    }
    if (sl__run_setup_step(run) != SL_OK) {
        return;
    }
    sl__run_write_input(run);
    sl__run_read(run, 0);
    sl__run_read(run, 1);
    sl__run_check_exit(run);
    /* Once the top process is reaped, every write end of the setup pipe is closed, so the
     * report (or EOF) is there now. A failed setup must not turn into a result. */
    if (run->reaped && sl__run_setup_step(run) != SL_OK) {
        return;
    }
    now = sl_time_now_ns();
    if (!run->reaped && now >= run->deadline_ns && run->limit == SL_LIMIT_NONE) {
        run->limit = SL_LIMIT_TIMEOUT;
        sl__run_stop(run);
    }
    if (!run->reaped && run->stop_at_ns == 0 && now >= run->watch_at_ns) {
        sl__run_watch(run);
        run->watch_at_ns = now + SL__WATCH_NS;
    }
    if (!run->reaped && run->stop_at_ns != 0 && run->stop_at_ns != UINT64_MAX &&
        now >= run->stop_at_ns) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
    }
    if (run->reaped && ((run->out_fd < 0 && run->err_fd < 0) || now >= run->drain_until_ns)) {
        sl__run_finish(run);
        return;
    }
    sl__run_rearm(run);
}

/* ----------------------------------------------------------------- parent: spawn --- */

/* Releases what the children inherited at clone (the caller paths' fds, the Landlock
 * ruleset, the seccomp program) and keeps the arena, whose strings name a failed step. */
static void sl__plan_drop_fds(sl__plan *plan)
{
    int i;

    for (i = 0; i < plan->source_fd_count; i++) {
        sl__close(&plan->source_fds[i]);
    }
    sl__close(&plan->landlock_fd);
    if (plan->have_bpf && !plan->bpf_borrowed) {
        sl__seccomp_release(&plan->bpf);
    }
    plan->have_bpf = 0;
    plan->policy = NULL; /* the caller's policy outlives only the spawn call */
}

static void sl__plan_free(sl__plan *plan)
{
    sl__plan_drop_fds(plan);
    plan->source_fd_count = 0;
    sl__arena_free(&plan->arena);
}

/* Returns the resolved path of the ELF program interpreter (the dynamic loader) named in
 * `exe`'s PT_INTERP header, or NULL for a static, 32-bit or non-ELF program. */
static const char *sl__elf_interp(sl__plan *plan, const char *exe)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    char interp[PATH_MAX];
    char real[PATH_MAX];
    const char *found = NULL;
    int fd = open(exe, O_RDONLY | O_CLOEXEC);
    unsigned i;

    if (fd < 0) {
        return NULL;
    }
    if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(ph) || eh.e_phnum > 256) {
        close(fd);
        return NULL;
    }
    for (i = 0; i < eh.e_phnum && found == NULL; i++) {
        if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) !=
                (ssize_t)sizeof(ph) ||
            ph.p_type != PT_INTERP) {
            continue;
        }
        if (ph.p_filesz == 0 || ph.p_filesz >= sizeof(interp) ||
            pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) {
            break;
        }
        interp[ph.p_filesz] = '\0';
        if (realpath(interp, real) != NULL) {
            found = sl__arena_strndup(&plan->arena, real, strlen(real));
        }
    }
    close(fd);
    return found;
}

/* Returns `path` with symlinks resolved, or `path` itself when it cannot be resolved (the
 * bind then reports the error); NULL when out of memory. */
static const char *sl__plan_realpath(sl__plan *plan, const char *path)
{
    char real[PATH_MAX];

    if (realpath(path, real) == NULL) {
        return path;
    }
    return sl__arena_strndup(&plan->arena, real, strlen(real));
}

/* Returns 1 for a shell, which runs the system's commands by design. */
static int sl__is_shell(const char *exe)
{
    const char *base = strrchr(exe, '/');

    base = base != NULL ? base + 1 : exe;
    return strcmp(base, "sh") == 0 || strcmp(base, "bash") == 0 || strcmp(base, "dash") == 0;
}

/* The paths Landlock lets the payload execute. With allow_subprocess off and a program
 * that is neither a shell nor a `#!` script: the program, its install prefix and its
 * dynamic loader only, so any later execve fails with EACCES. Otherwise also the system
 * folders that are real folders (a symlink like /bin -> usr/bin is covered by /usr). */
static size_t sl__plan_exec_paths(sl__plan *plan, const char **paths, size_t max)
{
    static const char *const system_dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64"};
    const char *loader = sl__elf_interp(plan, plan->exe);
    size_t n = 0;
    size_t i;

    paths[n++] = plan->exe;
    if (plan->exe_prefix != NULL) {
        paths[n++] = plan->exe_prefix;
    }
    if (loader != NULL) {
        paths[n++] = loader;
    }
    if (!plan->policy->allow_subprocess && loader != NULL && !sl__is_shell(plan->exe)) {
        return n;
    }
    for (i = 0; i < SL__ARRAY_LEN(system_dirs) && n < max; i++) {
        struct stat st;

        if (lstat(system_dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            paths[n++] = system_dirs[i];
        }
    }
    return n;
}

/* The rights the child grants on the places that exist only inside the sandbox. */
static void sl__plan_landlock_rights(sl__plan *plan, int abi)
{
    uint64_t all = sl__landlock_fs_rights(abi);

    plan->landlock_tmp_rights = all & ~(uint64_t)SL__LL_FS_EXECUTE;
    plan->landlock_read_rights = SL__LL_FS_READ_FILE | SL__LL_FS_READ_DIR;
    plan->landlock_dev_rights = all & (SL__LL_FS_READ_FILE | SL__LL_FS_WRITE_FILE |
                                       SL__LL_FS_READ_DIR | SL__LL_FS_TRUNCATE |
                                       SL__LL_FS_IOCTL_DEV);
}

/* Prepares Landlock for a level 2 run. The payload may execute what sl__plan_exec_paths
 * allows and write the rw extras and the sandbox's own tmpfs places (/output too). It may
 * read everything the mount tree shows. The child adds the rules for places that exist
 * only inside the sandbox.
 * SECURITY: a second wall behind the mount namespace; it enforces allow_subprocess, and
 * scopes abstract Unix sockets and signals to the sandbox (ABI 6). */
static int sl__plan_landlock(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    const char *exec_paths[12];
    const char *write_paths[SL__MAX_FDS + 2];
    sl__landlock_spec spec;
    size_t w = 0;
    size_t i;

    plan->landlock_abi = sl__landlock_abi();
    memset(&spec, 0, sizeof(spec));
    spec.abi = plan->landlock_abi;
    if (spec.abi <= 0) {
        return sl__landlock_prepare(&spec, &plan->landlock_fd, err);
    }
    exec_paths[sl__plan_exec_paths(plan, exec_paths, SL__ARRAY_LEN(exec_paths) - 1)] = NULL;
    /* Resolved like the binds, because a Landlock rule on a symlink would cover the link. */
    for (i = 0; pol->read_write_paths != NULL && pol->read_write_paths[i] && w < SL__MAX_FDS;
         i++) {
        write_paths[w++] = sl__plan_realpath(plan, pol->read_write_paths[i]);
    }
    write_paths[w] = NULL;
    for (i = 0; i < w; i++) {
        if (write_paths[i] == NULL) {
            return sl__error(err, SL_ENOMEM, "out of memory while planning Landlock rules");
        }
    }
    spec.exec_paths = exec_paths;
    spec.write_paths = write_paths;
    /* SECURITY: with network = 0 the empty network namespace is the first wall and this is
     * the second: TCP bind and connect fail with EACCES (ABI 4+), so a bug in the namespace
     * setup still leaves no TCP path out. It also denies the payload's own loopback TCP. */
    spec.deny_tcp = pol->network == 0;

    sl__plan_landlock_rights(plan, spec.abi);
    return sl__landlock_prepare(&spec, &plan->landlock_fd, err);
}

/* Creates the run's cgroup. A failure at level 2 is an error unless the policy waives the
 * layer; then it is left out of `layers`. */
static int sl__plan_cgroup(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    sl_error local;
    int rc;

    if (!pol->use_cgroup) {
        rc = SL_OK; /* the policy opted out: RLIMIT_DATA and RLIMIT_NPROC take over */
    } else {
        rc = plan->cgroup_base != NULL
                 ? sl__cgroup_create_in(pol, plan->cgroup_base, &plan->cgroup, &local)
                 : sl__cgroup_create(pol, &plan->cgroup, &local);
    }
    SL__PROF(SL__PF_CGROUP);
    plan->have_cgroup = rc == SL_OK && plan->cgroup.version != 0;
    if (plan->have_cgroup) {
        plan->layers |= SL_LAYER_CGROUP;
    } else if (plan->level >= 2 && pol->use_cgroup &&
               !(pol->waive_layers & SL_LAYER_CGROUP)) {
        if (rc != SL_OK) {
            if (err != NULL) {
                *err = local;
            }
            return rc;
        }
        return sl__error(err, SL_ESANDBOX_CGROUP, "no usable cgroup for the run's memory "
                         "and process limits: delegate a cgroup v2 subtree with memory and "
                         "pids enabled (or run as root with cgroup v1), or waive the cgroup "
                         "layer (waive_layers |= SL_LAYER_CGROUP)");
    }
    return SL_OK;
}

/* Adds the optional layers (seccomp, Landlock, cgroup). A layer that fails at level 2 is
 * an error unless the policy waives it; then it is left out of `layers`. */
static int sl__plan_layers(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    sl_error local;
    int rc;

    SL__PROF(SL__PF_ENV_IDS);
    if (plan->level >= 2 && pol->use_cgroup) {
        plan->cgroup_deferred = 1; /* see sl__spawn_cgroup */
        rc = SL_OK;
    } else {
        rc = sl__plan_cgroup(plan, err);
    }
    if (rc != SL_OK || plan->level < 2) {
        return rc;
    }
    rc = sl__seccomp_build(pol, &plan->bpf, &local);
    SL__PROF(SL__PF_SECCOMP);
    plan->have_bpf = rc == SL_OK;
    if (plan->have_bpf) {
        plan->layers |= SL_LAYER_SECCOMP;
    } else if (!(pol->waive_layers & SL_LAYER_SECCOMP)) {
        if (err != NULL) {
            *err = local;
        }
        return rc;
    }
    rc = sl__plan_landlock(plan, &local);
    SL__PROF(SL__PF_LANDLOCK);
    if (rc == SL_OK) {
        plan->layers |= SL_LAYER_LANDLOCK;
    } else {
        plan->landlock_abi = 0;
        if (!(pol->waive_layers & SL_LAYER_LANDLOCK)) {
            if (err != NULL) {
                *err = local;
            }
            return rc;
        }
    }
    return SL_OK;
}

static int sl__plan_check(const sl_sandbox_policy *pol, const char *const *argv, sl_error *err)
{
    if (pol == NULL || argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
        return sl__error(err, SL_EINVAL, "sandbox: policy and a non-empty argv are required");
    }
    return sl__sandbox_policy_check(pol, err);
}

/* Builds everything the children need. On failure `plan` is freed. */
static int sl__plan_build(sl__plan *plan, const sl_sandbox_policy *pol,
                          const char *const *argv, sl_error *err)
{
    char exe[PATH_MAX];
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pol->alloc);
    plan->policy = pol;
    plan->level = pol->level;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->parent_pid = getpid();
    plan->layers = SL_LAYER_RLIMITS | SL_LAYER_NO_NEW_PRIVS;
    /* Level 3 builds the same sandbox as level 2; its scan gate ran before the plan. */
    if (plan->level >= 2) {
        plan->layers |= SL_LAYER_USERNS | SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_IPCNS |
                        SL_LAYER_UTSNS | (pol->network ? 0 : SL_LAYER_NETNS);
    }
    rc = sl__resolve_program(argv[0], exe, sizeof(exe), err);
    SL__PROF(SL__PF_RESOLVE);
    if (rc == SL_OK) {
        plan->exe = sl__arena_strndup(&plan->arena, exe, strlen(exe));
        if (plan->level >= 2 && plan->exe != NULL && !sl__path_is_system(plan->exe)) {
            plan->exe_prefix = sl__program_prefix(plan, plan->exe);
        }
        rc = plan->exe == NULL || sl__plan_argv(plan, argv) != SL_OK
                 ? sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox")
                 : SL_OK;
    }
    if (rc == SL_OK) {
        rc = sl__plan_env(plan, err);
    }
    if (rc == SL_OK) {
        rc = sl__plan_ids(plan, err);
    }
    if (rc == SL_OK) {
        rc = sl__plan_layers(plan, err);
    }
    if (rc == SL_OK) {
        sl__plan_limits(plan);
        if (plan->level >= 2) {
            plan->cwd = pol->work_dir != NULL ? "/skill" : "/tmp";
            rc = sl__plan_mounts(plan, err);
        } else {
            /* In the arena, because a setup failure names it after the spawn call. */
            plan->cwd = pol->work_dir != NULL
                            ? sl__arena_strndup(&plan->arena, pol->work_dir,
                                                strlen(pol->work_dir))
                            : "/";
            if (plan->cwd == NULL) {
                rc = sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
            }
        }
    }
    if (rc != SL_OK) {
        sl__cgroup_destroy(&plan->cgroup);
        sl__plan_free(plan);
    }
    return rc;
}

static int sl__write_proc_file(pid_t pid, const char *name, const char *text)
{
    char path[64];
    int fd;
    int rc;

    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    rc = sl__write_all(fd, text, strlen(text));
    if (rc != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return close(fd);
}

/* Writes init's uid and gid maps.
 * SECURITY: the map contains exactly one id, the payload's, so no other host id (root
 * above all) exists inside. A caller without CAP_SETGID must deny setgroups first, which
 * also stops the payload from dropping groups to get around group-deny permissions. */
static int sl__write_id_maps(const sl__plan *plan, pid_t pid, sl_error *err)
{
    const char *stage = "write setgroups";

    if (!plan->caller_root && sl__write_proc_file(pid, "setgroups", "deny") != 0) {
        goto fail;
    }
    stage = "write uid_map";
    if (sl__write_proc_file(pid, "uid_map", plan->uid_map) != 0) {
        goto fail;
    }
    stage = "write gid_map";
    if (sl__write_proc_file(pid, "gid_map", plan->gid_map) != 0) {
        goto fail;
    }
    return SL_OK;
fail:
    return sl__error_sys(err, SL_ESANDBOX_IDMAP, stage, errno,
                         "sandbox setup failed at %s (uid %u, gid %u): %s; an unprivileged "
                         "caller can only map its own uid and gid", stage,
                         (unsigned)plan->uid, (unsigned)plan->gid, strerror(errno));
}

/* Waits for the children's setup result: EOF on the setup pipe means execve succeeded. */
static int sl__wait_setup(const sl__plan *plan, int setup_r, uint64_t deadline_ns,
                          sl_error *err)
{
    sl__child_msg msg;
    size_t got = 0;
    int rc = SL_EAGAIN;

    while (rc == SL_EAGAIN) {
        struct pollfd pfd;
        uint64_t now = sl_time_now_ns();
        int wait_ms = now >= deadline_ns ? 0 : (int)((deadline_ns - now) / 1000000u) + 1;

        pfd.fd = setup_r;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, wait_ms) == 0) {
            return sl__error_sys(err, SL_ETIMEOUT, "sandbox setup", ETIMEDOUT,
                                 "sandbox setup did not finish within the %u ms timeout",
                                 (unsigned)plan->policy->timeout_ms);
        }
        rc = sl__setup_read(plan, setup_r, &msg, &got, err);
    }
    return rc;
}

static void sl__run_free_fds(sl_sandbox_run *run)
{
    sl__close(&run->pidfd);
    sl__close(&run->epfd);
    sl__close(&run->timerfd);
    sl__close(&run->in_fd);
    sl__close(&run->out_fd);
    sl__close(&run->err_fd);
    sl__close(&run->status_fd);
    sl__close(&run->setup_fd);
    sl__close(&run->output_sock);
    sl__output_close(&run->output);
}

static int sl__run_new(const sl_sandbox_policy *pol, const void *input, size_t input_len,
                       sl_sandbox_run **out)
{
    sl_allocator a = sl__allocator_resolve(pol->alloc);
    sl_sandbox_run *run = (sl_sandbox_run *)sl__calloc(&a, 1, sizeof(*run));

    if (run == NULL) {
        return SL_ENOMEM;
    }
    run->alloc = a;
    run->result_alloc = pol->alloc;
    run->pidfd = run->epfd = run->timerfd = -1;
    run->in_fd = run->out_fd = run->err_fd = run->status_fd = -1;
    run->setup_fd = run->output_sock = -1;
    run->timeout_ms = pol->timeout_ms;
    run->level = pol->level;
    run->out_max = pol->stdout_max;
    run->err_max = pol->stderr_max;
    run->kill_on_output_limit = pol->kill_on_output_limit;
    run->cpu_limit_ns = (uint64_t)pol->cpu_seconds * 1000000000u;
    sl__output_init(&run->output);
    run->watch_at_ns = UINT64_MAX;
    run->cgroup.procs_fd = -1;
    run->cgroup.pids_procs_fd = -1;
    if (input_len > 0) {
        run->input = (char *)sl__malloc(&a, input_len);
        if (run->input == NULL) {
            sl__free(&a, run, sizeof(*run));
            return SL_ENOMEM;
        }
        memcpy(run->input, input, input_len);
        run->input_len = input_len;
    }
    *out = run;
    return SL_OK;
}

static void sl__run_release(sl_sandbox_run *run)
{
    sl_allocator a = run->alloc;

    sl__run_setup_done(run);
    sl__run_free_fds(run);
    if (run->have_cgroup) {
        sl__cgroup_destroy(&run->cgroup);
    }
    sl__free(&a, run->input, run->input_len);
    sl__free(&a, run->out, run->out_cap);
    sl__free(&a, run->err, run->err_cap);
    sl_sandbox_result_free(&run->result);
    sl__free(&a, run, sizeof(*run));
}

/* The pollable side: epoll over the pipes, the pidfd and the timer. */
static int sl__run_setup_poll(sl_sandbox_run *run, sl_error *err)
{
    struct epoll_event ev;
    int fds[5];
    uint32_t events[5];
    int i;

    run->pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0u);
    run->epfd = epoll_create1(EPOLL_CLOEXEC);
    run->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (run->epfd < 0 || run->timerfd < 0) {
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll", errno,
                             "cannot create the run's epoll or timer fd: %s", strerror(errno));
    }
    fds[0] = run->out_fd;
    events[0] = EPOLLIN;
    fds[1] = run->err_fd;
    events[1] = EPOLLIN;
    fds[2] = run->timerfd;
    events[2] = EPOLLIN;
    fds[3] = run->in_fd;
    events[3] = EPOLLOUT;
    fds[4] = run->setup_fd;
    events[4] = EPOLLIN;
    for (i = 0; i < 5; i++) {
        memset(&ev, 0, sizeof(ev));
        ev.events = events[i];
        ev.data.fd = fds[i];
        if (fds[i] >= 0 && epoll_ctl(run->epfd, EPOLL_CTL_ADD, fds[i], &ev) != 0) {
            return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_ctl", errno,
                                 "cannot watch the run's fds: %s", strerror(errno));
        }
    }
    if (run->pidfd >= 0) {
        memset(&ev, 0, sizeof(ev));
        ev.events = EPOLLIN;
        ev.data.fd = run->pidfd;
        epoll_ctl(run->epfd, EPOLL_CTL_ADD, run->pidfd, &ev);
        sl__run_rearm(run);
    } else {
        /* Kernels before 5.3: no pidfd, so the timer ticks every 10 ms to check for exit. */
        sl__run_arm_timer(run, sl_time_now_ns() + 10000000u, 10000000u);
    }
    fcntl(run->out_fd, F_SETFL, O_NONBLOCK);
    fcntl(run->err_fd, F_SETFL, O_NONBLOCK);
    if (run->in_fd >= 0) {
        fcntl(run->in_fd, F_SETFL, O_NONBLOCK);
    }
    if (run->setup_fd >= 0) {
        fcntl(run->setup_fd, F_SETFL, O_NONBLOCK);
    }
    return SL_OK;
}

/* Clones the top process with every signal blocked, so no host handler runs in it before
 * sl__child_reset_signals. Returns the pid, 0 in the child (which never returns), or -1. */
static pid_t sl__clone_child(sl__plan *plan)
{
    unsigned long flags = SIGCHLD;
    sigset_t all;
    sigset_t old;
    pid_t pid;
    int saved;

    if (plan->level >= 2) {
        /* SECURITY: each namespace removes one shared view: users and capabilities, the
         * mount tree, processes, the network, System V IPC, and the host name. */
        flags |= CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
        if (!plan->policy->network) {
            flags |= CLONE_NEWNET;
        }
    }
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        if (plan->level >= 2) {
            sl__child_init(plan);
        }
        sl__child_level1(plan);
    }
    saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return pid;
}

typedef struct sl__spawn_pipes {
    int in[2], out[2], err[2], setup[2], status[2], sync[2];
} sl__spawn_pipes;

static void sl__pipes_close(sl__spawn_pipes *p)
{
    int *all = &p->in[0];
    size_t i;

    for (i = 0; i < sizeof(*p) / sizeof(int); i++) {
        sl__close(&all[i]);
    }
}

static int sl__pipes_open(sl__spawn_pipes *p, int level, sl_error *err)
{
    int *all = &p->in[0];
    size_t i;
    int ok;

    for (i = 0; i < sizeof(*p) / sizeof(int); i++) {
        all[i] = -1;
    }
    ok = sl__pipe(p->in) == 0 && sl__pipe(p->out) == 0 && sl__pipe(p->err) == 0 &&
         sl__pipe(p->setup) == 0;
    if (ok && level >= 2) {
        ok = sl__pipe(p->status) == 0 && sl__pipe(p->sync) == 0;
    }
    if (!ok) {
        int saved = errno;
        sl__pipes_close(p);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "pipe", saved,
                             "cannot create the run's pipes: %s", strerror(saved));
    }
    return SL_OK;
}

/* The deferred cgroup of a level 2 run: created while init builds the sandbox (the two
 * overlap, which takes the cgroup's cost off the spawn's critical path), init moved into it
 * by the parent, then 'c' or 'n' to init. The cgroup belongs to the run from here on, so a
 * failure is cleaned up with it. */
static int sl__spawn_cgroup(sl_sandbox_run *run, sl__plan *plan, int sync_w, sl_error *err)
{
    int rc = sl__plan_cgroup(plan, err);

    run->cgroup = plan->cgroup;
    run->have_cgroup = plan->have_cgroup;
    plan->have_cgroup = 0;
    if (rc != SL_OK) {
        return rc;
    }
    if (run->have_cgroup) {
        rc = sl__cgroup_join_pid(&run->cgroup, run->pid);
        if (rc != 0) {
            return sl__error_sys(err, SL_ESANDBOX_CGROUP, "join cgroup", -rc,
                                 "cannot move the sandbox init into its cgroup \"%s\": %s%s",
                                 run->cgroup.path, strerror(-rc),
                                 sl__stage_hint(SL__ST_CGROUP, -rc));
        }
        run->layers |= SL_LAYER_CGROUP;
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    if (sl__write_nosigpipe(sync_w, run->have_cgroup ? "c" : "n", 1) != 1) {
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                             "the sandbox init process died during setup: %s",
                             strerror(errno));
    }
    return SL_OK;
}

/* Starts the children and does the parent's part of the setup (id maps, cgroup placement),
 * which init waits for. Returns without waiting for the payload's execve. */
static int sl__spawn_start(sl_sandbox_run *run, sl__plan *plan, sl_error *err)
{
    sl__spawn_pipes p;
    int output[2] = {-1, -1}; /* level 2 with output_dir: carries the /output tmpfs fd */
    int rc;

    rc = sl__pipes_open(&p, plan->level, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (plan->level >= 2 && plan->policy->output_dir != NULL &&
        sl__output_socketpair(output) != 0) {
        int saved = errno;
        sl__pipes_close(&p);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create the socket that passes /output: %s",
                             strerror(saved));
    }
    plan->output_w = output[1];
    SL__PROF(SL__PF_PIPES);
    plan->stdin_r = p.in[0];
    plan->stdout_w = p.out[1];
    plan->stderr_w = p.err[1];
    plan->setup_w = p.setup[1];
    plan->status_w = p.status[1];
    plan->sync_r = p.sync[0];
    run->pid = sl__clone_child(plan);
    SL__PROF(SL__PF_CLONE);
    if (run->pid < 0) {
        int saved = errno;
        sl__pipes_close(&p);
        sl__close(&output[0]);
        sl__close(&output[1]);
        return plan->level >= 2 ? sl__clone_error(saved, err)
                                : sl__error_sys(err, SL_ESANDBOX_SPAWN, "fork", saved,
                                                "cannot fork: %s", strerror(saved));
    }
    run->in_fd = p.in[1];
    run->out_fd = p.out[0];
    run->err_fd = p.err[0];
    run->status_fd = p.status[0];
    p.in[1] = p.out[0] = p.err[0] = p.status[0] = -1;
    sl__close(&p.in[0]);
    sl__close(&p.out[1]);
    sl__close(&p.err[1]);
    sl__close(&p.setup[1]);
    sl__close(&p.status[1]);
    sl__close(&p.sync[0]);
    sl__close(&output[1]);

    rc = SL_OK;
    if (plan->level >= 2) {
        rc = sl__write_id_maps(plan, run->pid, err);
        SL__PROF(SL__PF_IDMAP);
        if (rc == SL_OK && sl__write_nosigpipe(p.sync[1], "g", 1) != 1) {
            rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                               "the sandbox init process died before setup: %s",
                               strerror(errno));
        }
        SL__PROF(SL__PF_SYNC);
        if (rc == SL_OK && plan->cgroup_deferred) {
            rc = sl__spawn_cgroup(run, plan, p.sync[1], err);
            SL__PROF(SL__PF_CG_ATTACH);
        }
        sl__close(&p.sync[1]);
    }
    if (rc != SL_OK) {
        sl__close(&p.setup[0]);
        sl__close(&output[0]);
        return rc;
    }
    /* The rest of the setup is the children's: sl_sandbox_poll follows it on the setup pipe
     * (see sl__run_setup_step). */
    run->setup_fd = p.setup[0];
    run->output_sock = output[0];
    run->output.uid = plan->uid;
    run->output.gid = plan->gid;
    return SL_OK;
}

/* Kills and reaps a run whose spawn failed. */
static void sl__spawn_abort(sl_sandbox_run *run)
{
    if (run->pid > 0 && !run->reaped) {
        kill(run->pid, SIGKILL);
        if (run->level < 2) {
            kill(-run->pid, SIGKILL);
        }
        while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR) {
        }
        sl__run_set_reaped(run);
    }
}

SKILLLITE_API int sl_sandbox_spawn(const sl_sandbox_policy *policy, const char *const *argv,
                                   const void *input, size_t input_len,
                                   sl_sandbox_run **out, sl_error *err)
{
    sl_sandbox_run *run = NULL;
    sl__plan *plan;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || (input == NULL && input_len > 0)) {
        return sl__error(err, SL_EINVAL, "sandbox: `input` may be NULL only with length 0 "
                         "(and sl_sandbox_spawn needs a `run` pointer)");
    }
    rc = sl__plan_check(policy, argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl__sandbox_gate(policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (sl__run_new(policy, input, input_len, &run) != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    run->start_ns = sl_time_now_ns();
    SL__PROF(SL__PF_SPAWN);
    run->deadline_ns = run->start_ns + (uint64_t)policy->timeout_ms * 1000000u;
    rc = sl__run_quota_start(run, policy, err);
    if (rc != SL_OK) {
        sl__run_release(run);
        return rc;
    }
    SL__PROF(SL__PF_QUOTA);
    /* On the heap: the run keeps the plan until the setup is over, to name a failed step. */
    plan = (sl__plan *)sl__malloc(&run->alloc, sizeof(*plan));
    if (plan == NULL) {
        sl__run_release(run);
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    rc = sl__plan_build(plan, policy, argv, err);
    SL__PROF(SL__PF_PLAN);
    if (rc != SL_OK) {
        sl__free(&run->alloc, plan, sizeof(*plan));
        sl__run_release(run);
        return rc;
    }
    run->cgroup = plan->cgroup;
    run->have_cgroup = plan->have_cgroup;
    if (run->have_cgroup) {
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    run->layers = plan->layers | (policy->level == 3 ? SL_LAYER_SCAN : 0u);
    run->landlock_abi = plan->layers & SL_LAYER_LANDLOCK ? plan->landlock_abi : 0;

    rc = sl__spawn_start(run, plan, err);
    /* The children hold their own copies of the plan's fds from here on. */
    sl__plan_drop_fds(plan);
    run->setup_plan = plan;
    if (rc == SL_OK) {
        rc = sl__run_setup_poll(run, err);
    }
    SL__PROF(SL__PF_POLL_READY);
    if (rc != SL_OK) {
        sl__spawn_abort(run);
        sl__run_release(run);
        return rc;
    }
    sl_error_clear(err);
    *out = run;
    return SL_OK;
}

SKILLLITE_API int sl_sandbox_fd(const sl_sandbox_run *run)
{
    return run != NULL ? run->epfd : -1;
}

SKILLLITE_API int sl_sandbox_poll(sl_sandbox_run *run, int timeout_ms, sl_error *err)
{
    uint64_t until;

    if (run == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_poll: `run` must not be NULL");
    }
    until = timeout_ms < 0 ? UINT64_MAX : sl_time_now_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        struct epoll_event events[8];
        uint64_t now;
        int wait_ms;

        if (!run->finished && run->setup_rc == SL_OK) {
            sl__run_step(run);
        }
        if (run->setup_rc != SL_OK) {
            if (err != NULL) {
                *err = run->setup_error;
            }
            return run->setup_rc;
        }
        if (run->finished) {
            return SL_OK;
        }
        now = sl_time_now_ns();
        if (now >= until) {
            return SL_EAGAIN;
        }
        wait_ms = until == UINT64_MAX || until - now > 1000000000u
                      ? 1000
                      : (int)((until - now + 999999u) / 1000000u);
        if (epoll_wait(run->epfd, events, 8, wait_ms) < 0 && errno != EINTR) {
            return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_wait", errno,
                                 "waiting for the run failed: %s", strerror(errno));
        }
    }
}

SKILLLITE_API void sl_sandbox_kill(sl_sandbox_run *run)
{
    if (run == NULL || run->finished || run->reaped) {
        return;
    }
    if (run->limit == SL_LIMIT_NONE) {
        run->limit = SL_LIMIT_KILLED;
    }
    sl__run_stop(run);
}

SKILLLITE_API int sl_sandbox_take_result(sl_sandbox_run *run, sl_sandbox_result *result)
{
    if (run == NULL || result == NULL) {
        return SL_EINVAL;
    }
    if (!run->finished) {
        return SL_ESTATE;
    }
    *result = run->result;
    memset(&run->result, 0, sizeof(run->result));
    return SL_OK;
}

SKILLLITE_API void sl_sandbox_free(sl_sandbox_run *run)
{
    if (run == NULL) {
        return;
    }
    if (!run->reaped) {
        sl__run_kill_all(run);
        while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR) {
        }
        sl__run_set_reaped(run);
    }
    sl__run_release(run);
    SL__PROF(SL__PF_FREED);
}

SKILLLITE_API int sl_sandbox_exec(const sl_sandbox_policy *policy, const char *const *argv,
                                  const void *input, size_t input_len,
                                  sl_sandbox_result *result, sl_error *err)
{
    sl_sandbox_run *run;
    int rc;

    if (result == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_exec: `result` must not be NULL");
    }
    memset(result, 0, sizeof(*result));
    rc = sl_sandbox_spawn(policy, argv, input, input_len, &run, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_sandbox_poll(run, -1, err);
    if (rc == SL_OK) {
        sl_sandbox_take_result(run, result);
    }
    sl_sandbox_free(run);
    return rc;
}

/* ---------------------------------------------------------------------- probe --- */

/* Tries each namespace in a short-lived child; returns the SL_LAYER_* bits that worked. */
static unsigned sl__probe_namespaces(void)
{
    static const struct {
        int flag;
        unsigned layer;
    } spaces[] = {{CLONE_NEWNS, SL_LAYER_MOUNTNS}, {CLONE_NEWPID, SL_LAYER_PIDNS},
                  {CLONE_NEWNET, SL_LAYER_NETNS}, {CLONE_NEWIPC, SL_LAYER_IPCNS},
                  {CLONE_NEWUTS, SL_LAYER_UTSNS}};
    sigset_t all;
    sigset_t old;
    pid_t pid;
    int status;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        unsigned bits = 0;
        size_t i;

        if (unshare(CLONE_NEWUSER) == 0) {
            bits |= 1u;
            for (i = 0; i < SL__ARRAY_LEN(spaces); i++) {
                if (unshare(spaces[i].flag) == 0) {
                    bits |= 2u << i;
                }
            }
        }
        _exit((int)bits);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        return 0;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return 0;
        }
    }
    if (!WIFEXITED(status)) {
        return 0;
    }
    {
        unsigned bits = (unsigned)WEXITSTATUS(status);
        unsigned layers = bits & 1u ? SL_LAYER_USERNS : 0;
        size_t i;

        for (i = 0; i < SL__ARRAY_LEN(spaces); i++) {
            if (bits & (2u << i)) {
                layers |= spaces[i].layer;
            }
        }
        return layers;
    }
}

static void sl__probe_reason(sl_sandbox_support *s, unsigned layer, const char *text)
{
    int i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        if (layer == (1u << i)) {
            snprintf(s->reasons[i], sizeof(s->reasons[i]), "%s", text);
        }
    }
}

SKILLLITE_API int sl_sandbox_probe(sl_sandbox_support *support, sl_error *err)
{
    sl_sandbox_policy pol;
    sl__cgroup cg;
    sl_error local;
    uint32_t action = SECCOMP_RET_ERRNO;

    if (support == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_probe: `support` must not be NULL");
    }
    memset(support, 0, sizeof(*support));
    support->available = sl__probe_namespaces() | SL_LAYER_RLIMITS | SL_LAYER_SCAN;
    if (!(support->available & SL_LAYER_USERNS)) {
        sl__probe_reason(support, SL_LAYER_USERNS,
                         "user namespaces are disabled: set kernel.unprivileged_userns_clone=1 "
                         "or, on Ubuntu 24.04, kernel.apparmor_restrict_unprivileged_userns=0");
    }
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0) {
        support->available |= SL_LAYER_NO_NEW_PRIVS;
    }
    if (syscall(__NR_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action) == 0) {
        support->available |= SL_LAYER_SECCOMP;
    } else {
        sl__probe_reason(support, SL_LAYER_SECCOMP,
                         "seccomp filters are unavailable: build the kernel with "
                         "CONFIG_SECCOMP_FILTER");
    }
    support->landlock_abi = sl__landlock_abi();
    if (support->landlock_abi > 0) {
        support->available |= SL_LAYER_LANDLOCK;
    } else {
        sl__probe_reason(support, SL_LAYER_LANDLOCK,
                         "Landlock is disabled: enable CONFIG_SECURITY_LANDLOCK and add "
                         "landlock to the lsm= boot parameter");
    }
    sl_sandbox_policy_init(&pol);
    if (sl__cgroup_create(&pol, &cg, &local) == SL_OK && cg.version != 0) {
        support->available |= SL_LAYER_CGROUP;
        support->cgroup_version = cg.version;
    } else {
        sl__probe_reason(support, SL_LAYER_CGROUP,
                         "no usable cgroup: delegate a cgroup v2 subtree with memory and pids "
                         "enabled (systemd-run --user -p Delegate=yes), or run as root with v1");
    }
    sl__cgroup_destroy(&cg);
    sl_error_clear(err);
    return SL_OK;
}

/* ------------------------------------------------------------------ skill runs --- */

/* Interpreter per language. Python runs with -B (no .pyc written into the skill folder)
 * and -s (no user site-packages); -I is not used because it also drops the script's
 * folder from sys.path, which skills use to import their own modules. */
static int sl__skill_argv(sl_language language, const char *script, char *exe, size_t size,
                          const char **argv, sl_error *err)
{
    const char *name;
    int n = 0;
    int rc;

    switch (language) {
    case SL_LANGUAGE_PYTHON: name = "python3"; break;
    case SL_LANGUAGE_NODE: name = "node"; break;
    case SL_LANGUAGE_BASH: name = "bash"; break;
    default:
        return sl__error(err, SL_ESKILL_LANGUAGE, "the skill's entry point language is "
                         "unknown; use a .py, .js or .sh script or a #! line");
    }
    rc = sl__resolve_program(name, exe, size, err);
    if (rc != SL_OK) {
        return rc;
    }
    argv[n++] = exe;
    if (language == SL_LANGUAGE_PYTHON) {
        argv[n++] = "-B";
        argv[n++] = "-s";
    }
    argv[n++] = script;
    argv[n] = NULL;
    return SL_OK;
}

SKILLLITE_API int sl_skill_run(const sl_skill *skill, const sl_sandbox_policy *policy,
                               const char *input_json, size_t input_len,
                               sl_sandbox_result *result, sl_error *err)
{
    sl_sandbox_policy pol;
    char exe[PATH_MAX];
    char script[PATH_MAX];
    const char *argv[6];
    const char *dir;
    const char *entry;
    int rc;

    if (result != NULL) {
        memset(result, 0, sizeof(*result));
    }
    if (skill == NULL || policy == NULL || result == NULL) {
        return sl__error(err, SL_EINVAL, "sl_skill_run: skill, policy and result must not be "
                         "NULL");
    }
    dir = sl_skill_dir(skill);
    entry = sl_skill_entry_point(skill);
    if (entry[0] == '\0' || dir[0] == '\0' || sl_skill_entry_path(skill)[0] == '\0') {
        return sl__error(err, SL_ESKILL_NO_ENTRY, "skill \"%s\" has no entry point to run; "
                         "add scripts/main.py (or .js, .sh) or set entry_point in SKILL.md",
                         sl_skill_name(skill));
    }
    pol = *policy;
    if (pol.work_dir != NULL && strcmp(pol.work_dir, dir) != 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy work_dir \"%s\" differs from the "
                         "skill folder \"%s\"; leave work_dir NULL for skill runs",
                         pol.work_dir, dir);
    }
    pol.work_dir = dir;
    if (pol.level >= 2) {
        /* The skill folder is at /skill inside; entry_point is relative to it. */
        if ((size_t)snprintf(script, sizeof(script), "/skill/%s", entry) >= sizeof(script)) {
            return sl__error(err, SL_ELIMIT, "entry point path is too long");
        }
    } else {
        snprintf(script, sizeof(script), "%s", sl_skill_entry_path(skill));
    }
    rc = sl__skill_argv(sl_skill_language(skill), script, exe, sizeof(exe), argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    return sl_sandbox_exec(&pol, argv, input_json, input_json != NULL ? input_len : 0, result,
                           err);
}
/* End file src/sandbox_linux.c */

/* Begin file src/sandbox_pool.c */
/* ================================================================ sandbox pool ===
 * The warm pool (see sandbox.h): entries prepared ahead of time, one run each.
 *
 * An entry is started like a cold level 2 run (sl__clone_child with a plan built from the
 * template), except that the plan has no program, and init forks a payload that runs
 * sl__child_pool_payload: it prepares everything that does not depend on the program,
 * writes "r" on its control socket, and waits for the request. The host side here keeps,
 * per entry, the pipes of the future run, the control socket, init's pid and the cgroup.
 * sl_sandbox_pool_spawn moves them into an ordinary sl_sandbox_run.
 *
 * States: EMPTY (slot free) -> STARTING (cloned; the plan is kept for error messages) ->
 * READY ("r" received; the plan is freed) -> EMPTY (handed to a run, or discarded).
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SL__POOL_SIZE_MAX 64u

enum { SL__ENTRY_EMPTY = 0, SL__ENTRY_STARTING, SL__ENTRY_READY };

typedef struct sl__pool_entry {
    int state;
    pid_t pid;             /* init of the entry's namespaces */
    int in_w, out_r, err_r, setup_r, status_r, ctrl;
    int output_r;          /* with output_dir: the socket on which init sends the /output
                              tmpfs; received at hand-over; else -1 */
    uid_t uid;             /* the payload's ids, which the copy out of /output uses */
    gid_t gid;
    sl__cgroup cgroup;
    int have_cgroup;
    unsigned layers;       /* the layers its plan set up (Landlock is added per run) */
    sl__plan *plan;        /* while STARTING: what error messages name */
} sl__pool_entry;

struct sl_sandbox_pool {
    sl_allocator alloc;
    sl_sandbox_policy policy;   /* the template (its strings belong to the caller) */
    unsigned size;
    int refill_on_spawn;
    sl__pool_entry *entries;
    sl__bpf bpf;                /* one seccomp program for every entry */
    int have_bpf;
    int landlock_abi;           /* 0 when Landlock is missing and waived */
    sl__cgroup_base cgroup_base; /* the hierarchies, discovered by the first entry */
    sl__arena arena;            /* program prefixes */
    const char **prefixes;
    size_t prefix_count;
    int epfd;
    sl_sandbox_pool_stats stats;
};

SKILLLITE_API void sl_sandbox_pool_config_init(sl_sandbox_pool_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->size = 2;
    config->refill_on_spawn = 1;
}

/* ---------------------------------------------------------------------- entries --- */

static void sl__pool_entry_reset(sl__pool_entry *entry)
{
    memset(entry, 0, sizeof(*entry));
    entry->in_w = entry->out_r = entry->err_r = entry->setup_r = entry->status_r = -1;
    entry->ctrl = entry->output_r = -1;
    entry->cgroup.procs_fd = -1;
    entry->cgroup.pids_procs_fd = -1;
}

static void sl__pool_plan_release(sl_sandbox_pool *pool, sl__pool_entry *entry)
{
    if (entry->plan != NULL) {
        sl__plan_free(entry->plan);
        sl__free(&pool->alloc, entry->plan, sizeof(*entry->plan));
        entry->plan = NULL;
    }
}

/* Kills the entry's init (the kernel then kills its whole namespace), reaps it, removes its
 * cgroup and frees the slot. */
static void sl__pool_entry_discard(sl_sandbox_pool *pool, sl__pool_entry *entry)
{
    if (entry->state == SL__ENTRY_EMPTY) {
        return;
    }
    if (entry->ctrl >= 0) {
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->ctrl, NULL);
    }
    if (entry->setup_r >= 0) {
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->setup_r, NULL);
    }
    if (entry->pid > 0) {
        kill(entry->pid, SIGKILL);
        while (waitpid(entry->pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    sl__close(&entry->in_w);
    sl__close(&entry->out_r);
    sl__close(&entry->err_r);
    sl__close(&entry->setup_r);
    sl__close(&entry->status_r);
    sl__close(&entry->ctrl);
    sl__close(&entry->output_r);
    if (entry->have_cgroup) {
        sl__cgroup_destroy(&entry->cgroup);
    }
    sl__pool_plan_release(pool, entry);
    sl__pool_entry_reset(entry);
}

/* Builds the plan of an entry: the template's whole sandbox, plus the prefixes of the
 * configured programs, and no program. On failure the plan is freed. */
static int sl__pool_plan_build(sl_sandbox_pool *pool, sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = &pool->policy;
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    size_t i;
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pol->alloc);
    plan->policy = pol;
    plan->level = 2;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->output_w = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->parent_pid = getpid();
    plan->cgroup_base = &pool->cgroup_base;
    plan->layers = SL_LAYER_RLIMITS | SL_LAYER_NO_NEW_PRIVS | SL_LAYER_USERNS |
                   SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_IPCNS | SL_LAYER_UTSNS |
                   (pol->network ? 0 : SL_LAYER_NETNS);
    plan->bpf = pool->bpf;
    plan->have_bpf = pool->have_bpf;
    plan->bpf_borrowed = 1;
    if (plan->have_bpf) {
        plan->layers |= SL_LAYER_SECCOMP;
    }
    sl__plan_landlock_rights(plan, pool->landlock_abi);
    plan->cwd = pol->work_dir != NULL ? "/skill" : "/tmp";
    rc = sl__plan_ids(plan, err);
    if (rc == SL_OK) {
        rc = sl__plan_cgroup(plan, err);
    }
    if (rc == SL_OK) {
        sl__plan_limits(plan);
        rc = sl__plan_mounts(plan, err);
    }
    for (i = 0; rc == SL_OK && i < pool->prefix_count; i++) {
        rc = sl__plan_bind_host(plan, pool->prefixes[i], pool->prefixes[i], ro, err);
    }
    if (rc != SL_OK) {
        sl__cgroup_destroy(&plan->cgroup);
        sl__plan_free(plan);
    }
    return rc;
}

static int sl__pool_watch(sl_sandbox_pool *pool, int fd)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    return epoll_ctl(pool->epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* Creates the entry's control socket and, for a template with output_dir, the socket that
 * carries the /output tmpfs (as a cold spawn does). Returns SL_OK or an error; on failure
 * nothing stays open. */
static int sl__pool_entry_sockets(const sl_sandbox_pool *pool, int ctrl[2], int output[2],
                                  sl_error *err)
{
    int saved;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctrl) != 0 ||
        sl__fd_above_stdio(&ctrl[0]) != 0 || sl__fd_above_stdio(&ctrl[1]) != 0) {
        saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create a pool entry's control socket: %s",
                             strerror(saved));
    }
    if (pool->policy.output_dir != NULL && sl__output_socketpair(output) != 0) {
        saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create the socket that passes a pool entry's /output: "
                             "%s", strerror(saved));
    }
    return SL_OK;
}

/* Starts an entry in the free slot `entry`: plan, pipes, clone, id maps. Does not wait for
 * it to become ready. */
static int sl__pool_entry_start(sl_sandbox_pool *pool, sl__pool_entry *entry, sl_error *err)
{
    sl__spawn_pipes p;
    int ctrl[2] = {-1, -1};
    int output[2] = {-1, -1};
    sl__plan *plan;
    int rc;

    plan = (sl__plan *)sl__malloc(&pool->alloc, sizeof(*plan));
    if (plan == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a pool entry");
    }
    rc = sl__pool_plan_build(pool, plan, err);
    if (rc != SL_OK) {
        sl__free(&pool->alloc, plan, sizeof(*plan));
        return rc;
    }
    entry->plan = plan;
    entry->state = SL__ENTRY_STARTING;
    entry->cgroup = plan->cgroup;
    entry->have_cgroup = plan->have_cgroup; /* init joins it through the plan's fds */
    entry->layers = plan->layers;
    entry->uid = plan->uid;
    entry->gid = plan->gid;
    rc = sl__pipes_open(&p, 2, err);
    if (rc != SL_OK) {
        sl__pool_entry_discard(pool, entry);
        return rc;
    }
    rc = sl__pool_entry_sockets(pool, ctrl, output, err);
    if (rc != SL_OK) {
        sl__pipes_close(&p);
        sl__pool_entry_discard(pool, entry);
        return rc;
    }
    plan->output_w = output[1];
    plan->stdin_r = p.in[0];
    plan->stdout_w = p.out[1];
    plan->stderr_w = p.err[1];
    plan->setup_w = p.setup[1];
    plan->status_w = p.status[1];
    plan->sync_r = p.sync[0];
    plan->pool_ctrl = ctrl[1];
    entry->pid = sl__clone_child(plan);
    if (entry->pid < 0) {
        int saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        sl__close(&output[0]);
        sl__close(&output[1]);
        sl__pipes_close(&p);
        entry->pid = 0;
        sl__pool_entry_discard(pool, entry);
        return sl__clone_error(saved, err);
    }
    pool->stats.entries_started++;
    entry->in_w = p.in[1];
    entry->out_r = p.out[0];
    entry->err_r = p.err[0];
    entry->setup_r = p.setup[0];
    entry->status_r = p.status[0];
    entry->ctrl = ctrl[0];
    entry->output_r = output[0];
    p.in[1] = p.out[0] = p.err[0] = p.setup[0] = p.status[0] = -1;
    sl__close(&ctrl[1]);
    sl__close(&output[1]);
    plan->pool_ctrl = -1;
    plan->output_w = -1;
    rc = sl__write_id_maps(plan, entry->pid, err);
    if (rc == SL_OK && sl__write_nosigpipe(p.sync[1], "g", 1) != 1) {
        rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                           "the sandbox init process of a pool entry died before setup: %s",
                           strerror(errno));
    }
    sl__pipes_close(&p);
    if (rc == SL_OK && (sl__pool_watch(pool, entry->ctrl) != 0 ||
                        sl__pool_watch(pool, entry->setup_r) != 0)) {
        rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_ctl", errno,
                           "cannot watch a pool entry: %s", strerror(errno));
    }
    if (rc != SL_OK) {
        sl__pool_entry_discard(pool, entry);
    }
    return rc;
}

/* Returns 1 when `fd` is readable now. */
static int sl__pool_readable(int fd)
{
    struct pollfd pfd;

    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    return poll(&pfd, 1, 0) > 0;
}

/* Advances one entry without waiting: STARTING becomes READY on "r"; an entry whose setup
 * pipe is readable failed or died, and is discarded. Returns SL_OK, or the setup error of a
 * STARTING entry. */
static int sl__pool_entry_check(sl_sandbox_pool *pool, sl__pool_entry *entry, sl_error *err)
{
    char c;
    int rc = SL_OK;

    if (entry->state == SL__ENTRY_EMPTY) {
        return SL_OK;
    }
    if (entry->state == SL__ENTRY_STARTING && recv(entry->ctrl, &c, 1, MSG_DONTWAIT) == 1 &&
        c == 'r') {
        entry->state = SL__ENTRY_READY;
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->ctrl, NULL);
        sl__pool_plan_release(pool, entry);
    }
    if (!sl__pool_readable(entry->setup_r)) {
        return SL_OK;
    }
    if (entry->state == SL__ENTRY_STARTING) {
        /* A report, or EOF when init died before its payload could say why. */
        rc = sl__wait_setup(entry->plan, entry->setup_r, sl_time_now_ns(), err);
        if (rc == SL_OK) {
            rc = sl__error(err, SL_ESANDBOX_SPAWN, "a pool entry ended during its setup "
                           "without a report; check the kernel log and the cgroup limits");
        }
    }
    pool->stats.entries_lost++;
    sl__pool_entry_discard(pool, entry);
    return rc;
}

SKILLLITE_API int sl_sandbox_pool_refill(sl_sandbox_pool *pool, sl_error *err)
{
    unsigned i;
    int first = SL_OK;

    if (pool == NULL) {
        return SL_OK;
    }
    for (i = 0; i < pool->size; i++) {
        sl__pool_entry *entry = &pool->entries[i];
        sl_error local;
        int rc = sl__pool_entry_check(pool, entry, &local);

        if (rc == SL_OK && entry->state == SL__ENTRY_EMPTY) {
            rc = sl__pool_entry_start(pool, entry, &local);
        }
        if (rc != SL_OK && first == SL_OK) {
            first = rc;
            if (err != NULL) {
                *err = local;
            }
        }
    }
    if (first == SL_OK) {
        sl_error_clear(err);
    }
    return first;
}

/* Waits until some entry is READY, or none is STARTING, or `deadline_ns`. Returns the index
 * of a ready entry, or -1. A setup error ends the wait with it in `*rc`. */
static int sl__pool_wait_ready(sl_sandbox_pool *pool, uint64_t deadline_ns, int *rc,
                               sl_error *err)
{
    for (;;) {
        struct epoll_event events[8];
        uint64_t now;
        int starting = 0;
        unsigned i;

        for (i = 0; i < pool->size; i++) {
            sl__pool_entry *entry = &pool->entries[i];

            *rc = sl__pool_entry_check(pool, entry, err);
            if (*rc != SL_OK) {
                return -1;
            }
            if (entry->state == SL__ENTRY_READY) {
                return (int)i;
            }
            starting += entry->state == SL__ENTRY_STARTING;
        }
        now = sl_time_now_ns();
        if (starting == 0 || now >= deadline_ns) {
            return -1;
        }
        epoll_wait(pool->epfd, events, 8, (int)((deadline_ns - now) / 1000000u) + 1);
    }
}

SKILLLITE_API int sl_sandbox_pool_fd(const sl_sandbox_pool *pool)
{
    return pool != NULL ? pool->epfd : -1;
}

SKILLLITE_API void sl_sandbox_pool_get_stats(const sl_sandbox_pool *pool,
                                             sl_sandbox_pool_stats *stats)
{
    unsigned i;

    if (pool == NULL || stats == NULL) {
        return;
    }
    *stats = pool->stats;
    stats->ready = 0;
    stats->starting = 0;
    for (i = 0; i < pool->size; i++) {
        stats->ready += pool->entries[i].state == SL__ENTRY_READY;
        stats->starting += pool->entries[i].state == SL__ENTRY_STARTING;
    }
}

SKILLLITE_API void sl_sandbox_pool_free(sl_sandbox_pool *pool)
{
    sl_allocator a;
    unsigned i;

    if (pool == NULL) {
        return;
    }
    a = pool->alloc;
    for (i = 0; pool->entries != NULL && i < pool->size; i++) {
        sl__pool_entry_discard(pool, &pool->entries[i]);
    }
    sl__free(&a, pool->entries, (size_t)pool->size * sizeof(*pool->entries));
    if (pool->have_bpf) {
        sl__seccomp_release(&pool->bpf);
    }
    sl__close(&pool->epfd);
    sl__arena_free(&pool->arena);
    sl__free(&a, pool, sizeof(*pool));
}

/* ----------------------------------------------------------------------- create --- */

/* Resolves the configured programs and keeps the install prefix of each one outside the
 * system folders. */
static int sl__pool_programs(sl_sandbox_pool *pool, const char *const *programs, sl_error *err)
{
    sl__plan scratch;
    size_t n = 0;
    size_t i;

    while (programs != NULL && programs[n] != NULL) {
        n++;
    }
    if (n == 0) {
        return SL_OK;
    }
    if (n > 16) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool programs lists %zu programs; name "
                         "at most 16", n);
    }
    pool->prefixes = (const char **)sl__arena_calloc(&pool->arena, n * sizeof(char *));
    if (pool->prefixes == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
    }
    memset(&scratch, 0, sizeof(scratch));
    scratch.arena = pool->arena;
    for (i = 0; i < n; i++) {
        char exe[PATH_MAX];
        const char *prefix;
        size_t j;
        int rc = sl__resolve_program(programs[i], exe, sizeof(exe), err);

        if (rc != SL_OK) {
            pool->arena = scratch.arena;
            return rc == SL_ESANDBOX_EXEC ? SL_ESANDBOX_POLICY : rc;
        }
        if (sl__path_is_system(exe)) {
            continue;
        }
        prefix = sl__program_prefix(&scratch, exe);
        if (prefix == NULL) {
            pool->arena = scratch.arena;
            return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
        }
        for (j = 0; j < pool->prefix_count && strcmp(pool->prefixes[j], prefix) != 0; j++) {
        }
        if (j == pool->prefix_count) {
            pool->prefixes[pool->prefix_count++] = prefix;
        }
    }
    pool->arena = scratch.arena;
    return SL_OK;
}

/* Builds what every entry shares: the seccomp program and the Landlock ABI, with the same
 * fail-closed rules as a cold spawn. */
static int sl__pool_layers(sl_sandbox_pool *pool, sl_error *err)
{
    const sl_sandbox_policy *pol = &pool->policy;
    sl_error local;
    int rc;

    rc = sl__seccomp_build(pol, &pool->bpf, &local);
    pool->have_bpf = rc == SL_OK;
    if (!pool->have_bpf && !(pol->waive_layers & SL_LAYER_SECCOMP)) {
        if (err != NULL) {
            *err = local;
        }
        return rc;
    }
    pool->landlock_abi = sl__landlock_abi();
    if (pool->landlock_abi <= 0 && !(pol->waive_layers & SL_LAYER_LANDLOCK)) {
        sl__landlock_spec spec;
        int fd;

        memset(&spec, 0, sizeof(spec));
        return sl__landlock_prepare(&spec, &fd, err); /* fails with the layer's message */
    }
    return SL_OK;
}

SKILLLITE_API int sl_sandbox_pool_new(const sl_sandbox_pool_config *config,
                                      sl_sandbox_pool **out, sl_error *err)
{
    sl_sandbox_pool *pool;
    sl_allocator a;
    uint64_t deadline;
    unsigned i;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (config == NULL || out == NULL || config->policy == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_pool_new: config, config->policy and "
                         "pool must not be NULL");
    }
    rc = sl__sandbox_policy_check(config->policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (config->policy->level < 2) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool policy level 1 has no sandbox to "
                         "prepare; use level 2 or 3, or sl_sandbox_spawn for level 1");
    }
    if (config->size == 0 || config->size > SL__POOL_SIZE_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool size %u is invalid; use 1 to %u "
                         "(default 2)", config->size, SL__POOL_SIZE_MAX);
    }
    if (config->refill_on_spawn != 0 && config->refill_on_spawn != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool refill_on_spawn %d is invalid; use 0 "
                         "or 1", config->refill_on_spawn);
    }
    a = sl__allocator_resolve(config->policy->alloc);
    pool = (sl_sandbox_pool *)sl__calloc(&a, 1, sizeof(*pool));
    if (pool == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
    }
    pool->alloc = a;
    pool->policy = *config->policy;
    pool->size = config->size;
    pool->refill_on_spawn = config->refill_on_spawn;
    sl__cgroup_base_init(&pool->cgroup_base);
    pool->epfd = epoll_create1(EPOLL_CLOEXEC);
    sl__arena_init(&pool->arena, config->policy->alloc);
    pool->entries = (sl__pool_entry *)sl__calloc(&a, pool->size, sizeof(*pool->entries));
    if (pool->entries == NULL || pool->epfd < 0) {
        rc = pool->epfd < 0 ? sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll", errno,
                                            "cannot create the pool's epoll fd: %s",
                                            strerror(errno))
                            : sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
        sl_sandbox_pool_free(pool);
        return rc;
    }
    for (i = 0; i < pool->size; i++) {
        sl__pool_entry_reset(&pool->entries[i]);
    }
    rc = sl__pool_layers(pool, err);
    if (rc == SL_OK) {
        rc = sl__pool_programs(pool, config->programs, err);
    }
    if (rc == SL_OK) {
        rc = sl_sandbox_pool_refill(pool, err);
    }
    /* Fail closed at creation: wait until every entry is ready or one reported an error. */
    deadline = sl_time_now_ns() + (uint64_t)pool->policy.timeout_ms * 1000000u;
    while (rc == SL_OK) {
        struct epoll_event events[8];
        sl_sandbox_pool_stats st;
        uint64_t now;

        for (i = 0; rc == SL_OK && i < pool->size; i++) {
            rc = sl__pool_entry_check(pool, &pool->entries[i], err);
        }
        sl_sandbox_pool_get_stats(pool, &st);
        now = sl_time_now_ns();
        if (rc != SL_OK || st.ready == pool->size) {
            break;
        }
        if (st.starting == 0) {
            rc = sl__error(err, SL_ESANDBOX_SPAWN, "pool entries died during their setup "
                           "without a report; check the kernel log");
        } else if (now >= deadline) {
            rc = sl__error_sys(err, SL_ETIMEOUT, "pool setup", ETIMEDOUT, "pool entries were "
                               "not ready within the %u ms timeout",
                               (unsigned)pool->policy.timeout_ms);
        } else {
            epoll_wait(pool->epfd, events, 8, (int)((deadline - now) / 1000000u) + 1);
        }
    }
    if (rc != SL_OK) {
        sl_sandbox_pool_free(pool);
        return rc;
    }
    *out = pool;
    sl_error_clear(err);
    return SL_OK;
}

/* ------------------------------------------------------------------------ spawn --- */

/* Sends the request to the entry's payload: the header with the Landlock ruleset fd, then
 * the strings. Returns 0 or -errno (EPIPE: the entry died). */
static int sl__pool_send(int ctrl, const sl__plan *plan, int landlock_fd, sl__arena *arena)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    sl__pool_request req;
    struct msghdr msg;
    struct iovec iov;
    size_t blob_len = strlen(plan->exe) + 1;
    size_t argc = 0;
    size_t envc = 0;
    size_t off = 0;
    size_t i;
    char *blob;
    ssize_t n;

    while (plan->argv[argc] != NULL) {
        blob_len += strlen(plan->argv[argc++]) + 1;
    }
    while (plan->envp[envc] != NULL) {
        blob_len += strlen(plan->envp[envc++]) + 1;
    }
    if (blob_len > SL__POOL_BLOB_MAX || argc > SL__POOL_STRINGS_MAX ||
        envc > SL__POOL_STRINGS_MAX) {
        return -E2BIG;
    }
    blob = (char *)sl__arena_alloc(arena, blob_len);
    if (blob == NULL) {
        return -ENOMEM;
    }
    memcpy(blob, plan->exe, strlen(plan->exe) + 1);
    off = strlen(plan->exe) + 1;
    for (i = 0; i < argc; i++) {
        memcpy(blob + off, plan->argv[i], strlen(plan->argv[i]) + 1);
        off += strlen(plan->argv[i]) + 1;
    }
    for (i = 0; i < envc; i++) {
        memcpy(blob + off, plan->envp[i], strlen(plan->envp[i]) + 1);
        off += strlen(plan->envp[i]) + 1;
    }
    req.magic = SL__POOL_MAGIC;
    req.argc = (uint32_t)argc;
    req.envc = (uint32_t)envc;
    req.blob_len = (uint32_t)blob_len;
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &req;
    iov.iov_len = sizeof(req);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (landlock_fd >= 0) {
        struct cmsghdr *cm;

        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &landlock_fd, sizeof(int));
    }
    do {
        n = sendmsg(ctrl, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(req)) {
        return n < 0 ? -errno : -EIO;
    }
    for (off = 0; off < blob_len;) {
        n = send(ctrl, blob + off, blob_len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : -EIO;
        }
        off += (size_t)n;
    }
    return 0;
}

/* The per-run part of a pooled spawn, before an entry is picked: program, argv, env and
 * the Landlock ruleset. Returns SL_OK, 1 when the program needs a cold spawn, or an error. */
static int sl__pool_run_plan(sl_sandbox_pool *pool, sl__plan *plan, const char *const *argv,
                             sl_error *err)
{
    char exe[PATH_MAX];
    size_t i;
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pool->policy.alloc);
    plan->policy = &pool->policy;
    plan->level = 2;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->cwd = pool->policy.work_dir != NULL ? "/skill" : "/tmp";
    rc = sl__resolve_program(argv[0], exe, sizeof(exe), err);
    if (rc != SL_OK) {
        return rc;
    }
    plan->exe = sl__arena_strndup(&plan->arena, exe, strlen(exe));
    if (plan->exe == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    if (!sl__path_is_system(plan->exe)) {
        plan->exe_prefix = sl__program_prefix(plan, plan->exe);
        for (i = 0; plan->exe_prefix != NULL && i < pool->prefix_count &&
                    strcmp(pool->prefixes[i], plan->exe_prefix) != 0;
             i++) {
        }
        if (plan->exe_prefix == NULL || i == pool->prefix_count) {
            return 1; /* not visible in the entries */
        }
    }
    if (sl__plan_argv(plan, argv) != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    rc = sl__plan_env(plan, err);
    if (rc == SL_OK && pool->landlock_abi > 0) {
        sl_error local;

        rc = sl__plan_landlock(plan, &local);
        if (rc == SL_OK) {
            plan->layers |= SL_LAYER_LANDLOCK;
        } else if (pool->policy.waive_layers & SL_LAYER_LANDLOCK) {
            rc = SL_OK;
            plan->landlock_abi = 0;
        } else if (err != NULL) {
            *err = local;
        }
    }
    return rc;
}

/* Hands `entry` the request and turns it into a run, which takes `plan` over on success
 * (allocated with the pool's allocator, which is the run's). On failure the entry is
 * discarded, and `*retry` is 1 when another entry may work (this one died before the request). */
static int sl__pool_start_run(sl_sandbox_pool *pool, sl__pool_entry *entry, sl__plan *plan,
                              sl_sandbox_run *run, int *retry, sl_error *err)
{
    int rc;

    *retry = 0;
    rc = sl__pool_send(entry->ctrl, plan, plan->landlock_fd, &plan->arena);
    if (rc != 0) {
        *retry = rc == -EPIPE || rc == -ECONNRESET;
        pool->stats.entries_lost += *retry;
        sl__pool_entry_discard(pool, entry);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "pool request", -rc,
                             "cannot hand the run to a pool entry: %s", strerror(-rc));
    }
    epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->setup_r, NULL);
    run->pid = entry->pid;
    run->in_fd = entry->in_w;
    run->out_fd = entry->out_r;
    run->err_fd = entry->err_r;
    run->status_fd = entry->status_r;
    run->cgroup = entry->cgroup;
    run->have_cgroup = entry->have_cgroup;
    run->layers = entry->layers | (plan->layers & SL_LAYER_LANDLOCK) |
                  (pool->policy.level == 3 ? SL_LAYER_SCAN : 0u);
    run->landlock_abi = plan->layers & SL_LAYER_LANDLOCK ? plan->landlock_abi : 0;
    if (run->have_cgroup) {
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    /* The rest of the payload's setup (Landlock, execve) is followed by sl_sandbox_poll on
     * the setup pipe, as for a cold run. The request is queued on the control socket, where
     * it stays readable after this end is closed. init sent the /output tmpfs before it
     * forked the payload, which sent "r" after that, so that fd is queued too. */
    run->setup_fd = entry->setup_r;
    run->output_sock = entry->output_r;
    run->output.uid = entry->uid;
    run->output.gid = entry->gid;
    sl__plan_drop_fds(plan);
    run->setup_plan = plan;
    entry->setup_r = entry->output_r = -1;
    sl__close(&entry->ctrl);
    sl__pool_entry_reset(entry); /* the run owns the pid, the fds and the cgroup now */
    return sl__run_setup_poll(run, err);
}

/* Frees a per-run plan that no run took over. */
static void sl__pool_run_plan_free(sl_sandbox_pool *pool, sl__plan *plan)
{
    if (plan != NULL) {
        sl__plan_free(plan);
        sl__free(&pool->alloc, plan, sizeof(*plan));
    }
}

SKILLLITE_API int sl_sandbox_pool_spawn(sl_sandbox_pool *pool, const char *const *argv,
                                        const void *input, size_t input_len,
                                        sl_sandbox_run **out, sl_error *err)
{
    sl_sandbox_run *run = NULL;
    sl__plan *plan;
    int retry = 1;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (pool == NULL || out == NULL || (input == NULL && input_len > 0)) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_pool_spawn: `pool` and `run` must not "
                         "be NULL, and `input` only NULL with length 0");
    }
    rc = sl__plan_check(&pool->policy, argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    /* SECURITY: a level 3 template scans work_dir before every run, pooled or not. */
    rc = sl__sandbox_gate(&pool->policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    /* On the heap: the run keeps the plan until its payload exec'd, to name a failed step. */
    plan = (sl__plan *)sl__malloc(&pool->alloc, sizeof(*plan));
    if (plan == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    rc = sl__pool_run_plan(pool, plan, argv, err);
    if (rc == 1) {
        sl__pool_run_plan_free(pool, plan);
        pool->stats.cold_runs++;
        /* NOTE: at level 3 the cold spawn scans work_dir a second time. */
        return sl_sandbox_spawn(&pool->policy, argv, input, input_len, out, err);
    }
    if (rc == SL_OK && sl__run_new(&pool->policy, input, input_len, &run) != SL_OK) {
        rc = sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    if (rc == SL_OK) {
        run->start_ns = sl_time_now_ns();
        run->deadline_ns = run->start_ns + (uint64_t)pool->policy.timeout_ms * 1000000u;
        rc = sl__run_quota_start(run, &pool->policy, err);
    }
    while (rc == SL_OK && retry) {
        int index = sl__pool_wait_ready(pool, run->deadline_ns, &rc, err);

        if (rc != SL_OK) {
            break;
        }
        if (index < 0) {
            /* Nothing ready or coming: a cold spawn is the quickest way now (at level 3 it
               scans work_dir again). */
            sl__run_release(run);
            sl__pool_run_plan_free(pool, plan);
            pool->stats.cold_runs++;
            rc = sl_sandbox_spawn(&pool->policy, argv, input, input_len, out, err);
            if (pool->refill_on_spawn) {
                sl_sandbox_pool_refill(pool, NULL);
            }
            return rc;
        }
        rc = sl__pool_start_run(pool, &pool->entries[index], plan, run, &retry, err);
        if (run->setup_plan == plan) {
            plan = NULL; /* the run frees it */
        }
        if (rc != SL_OK && retry) {
            rc = SL_OK; /* that entry had died: take the next one */
            continue;
        }
        break;
    }
    sl__pool_run_plan_free(pool, plan);
    if (rc != SL_OK) {
        if (run != NULL) {
            sl__spawn_abort(run);
            sl__run_release(run);
        }
        return rc;
    }
    pool->stats.pooled_runs++;
    if (pool->refill_on_spawn) {
        sl_sandbox_pool_refill(pool, NULL);
    }
    sl_error_clear(err);
    *out = run;
    return SL_OK;
}
/* End file src/sandbox_pool.c */

#endif /* SKILLLITE_IMPLEMENTATION */

/*
   MIT License

   Copyright (c) 2026 the skilllite.h developers

   Permission is hereby granted, free of charge, to any person obtaining a copy
   of this software and associated documentation files (the "Software"), to deal
   in the Software without restriction, including without limitation the rights
   to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
   copies of the Software, and to permit persons to whom the Software is
   furnished to do so, subject to the following conditions:

   The above copyright notice and this permission notice shall be included in all
   copies or substantial portions of the Software.

   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
   IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
   FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
   LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
   OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
   SOFTWARE.
*/
