/* skilllite.h - an agent-skills engine in one header: SKILL.md parsing, a static
 * security scanner and a kernel sandbox for running a skill's scripts.
 *
 * USAGE
 *   In exactly one C file:
 *       #define SKILLLITE_IMPLEMENTATION
 *       #include "skilllite.h"
 *   Include skilllite.h before any other header in that file, because the implementation
 *   sets _GNU_SOURCE. Other C and C++ files include it without the define.
 *
 * CONFIGURATION MACROS (define before the include; all optional)
 *   SKILLLITE_IMPLEMENTATION   compile the implementation into this file
 *   SKILLLITE_STATIC           make every function static (implementation and use in one file)
 *   SKILLLITE_API              linkage of public functions (default: extern)
 *   SKILLLITE_MALLOC(n), SKILLLITE_REALLOC(p, n), SKILLLITE_FREE(p)
 *                              default allocator (default: malloc, realloc, free); define all
 *                              three or none. A runtime sl_allocator in a config overrides it.
 *
 * LIMITATIONS
 *   - Linux only for now. The implementation must be compiled as C (C99 or later); C++
 *     hosts include the declarations and put the implementation in a .c file.
 *   - The YAML reader implements the subset real SKILL.md frontmatter uses, not all of
 *     YAML 1.2: anchors, aliases, tags and multiple documents are reported as errors.
 *
 * MODULES (each has a guide above its declarations)
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
#define SKILLLITE_API static
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
 * byte offset, line and column.
 *
 * Writer: compact or pretty (2-space indent). Escapes every control character; invalid
 * UTF-8 in a string value is written as U+FFFD, so the output is always valid UTF-8.
 * NaN and infinities are an error (SL_EJSON_TYPE).
 */

typedef struct sl_json_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int max_depth;              /* maximum nesting of arrays and objects; default 512 */
    size_t max_bytes;           /* maximum input length; 0 means no limit; default 0 */
    int allow_duplicate_keys;   /* 1: keep every member of a repeated key; default 0 */
} sl_json_options;

/* Fills `opt` with the defaults above. */
SKILLLITE_API void sl_json_options_init(sl_json_options *opt);

/* Parses `len` bytes of JSON text into a new document. `opt` may be NULL for the defaults.
 * Returns the document (free with sl_doc_free), or NULL with `err` filled. */
SKILLLITE_API sl_doc *sl_json_parse(const char *text, size_t len, const sl_json_options *opt,
                                    sl_error *err);

/* Writer flags. */
#define SL_JSON_PRETTY 1  /* newlines and 2-space indentation */
#define SL_JSON_ASCII 2   /* escape every non-ASCII character as \uXXXX */

/* Appends the JSON text of `v` to `out`. Returns SL_OK, SL_EJSON_TYPE (NaN, infinity),
 * SL_EJSON_DEPTH (deeper than 10000) or SL_ENOMEM; on error `out` keeps what it had. */
SKILLLITE_API int sl_json_write(const sl_value *v, int flags, sl_buf *out, sl_error *err);

/* Returns the JSON text of `v` as a new NUL-terminated string (free with
 * sl_free(alloc, s, *len + 1)), or NULL with `err` filled. `len` may be NULL. */
SKILLLITE_API char *sl_json_to_string(const sl_value *v, int flags, const sl_allocator *alloc,
                                      size_t *len, sl_error *err);
/* End file src/json.h */

/* Begin file src/yaml.h */
/* ======================================================================== yaml ===
 *
 * The subset of YAML that SKILL.md frontmatter uses, read into the same value tree as JSON:
 * block mappings and sequences (indentless `key:\n- item` too), flow sequences and
 * mappings over several lines with trailing commas, plain, single- and double-quoted
 * scalars with every escape and line folding, literal and folded block scalars with
 * chomping and indentation indicators, comments, CRLF, a UTF-8 BOM.
 *
 * Scalars stay strings unless `typed` is set, so `version: 1.10` keeps its text. An empty
 * value (`key:` with nothing after it) is null in both modes. Anchors, aliases, tags,
 * directives and a second document are errors with line and column, never a misparse.
 */

typedef struct sl_yaml_options {
    const sl_allocator *alloc;  /* NULL: default allocator */
    int typed;                  /* 1: YAML 1.2 core schema (null, bool, int, float); default 0 */
    int max_depth;              /* maximum nesting; default 64 */
    size_t max_bytes;           /* maximum input length; default 1 MiB; 0 means no limit */
    int allow_duplicate_keys;   /* 1: keep the first of a repeated key; default 0 (error) */
    size_t base_offset;         /* added to every reported offset (text cut from a file) */
    int base_line;              /* line number of the text's first line; default 1 */
} sl_yaml_options;

/* Fills `opt` with the defaults above. */
SKILLLITE_API void sl_yaml_options_init(sl_yaml_options *opt);

/* Parses one YAML document of `len` bytes. `opt` may be NULL for the defaults. Returns the
 * document (its root is an object for frontmatter, but any node type is accepted; an empty
 * text gives a NULL root), or NULL with `err` filled (code, offset, line, column). */
SKILLLITE_API sl_doc *sl_yaml_parse(const char *text, size_t len, const sl_yaml_options *opt,
                                    sl_error *err);
/* End file src/yaml.h */

/* Begin file src/skill.h */
/* skill: not written yet */
/* End file src/skill.h */

/* Begin file src/scan.h */
/* scan: not written yet */
/* End file src/scan.h */

/* Begin file src/sandbox.h */
/* sandbox: not written yet */
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
/* json: not written yet */
/* End file src/json.c */

/* Begin file src/yaml.c */
/* yaml: not written yet */
/* End file src/yaml.c */

/* Begin file src/skill.c */
/* skill: not written yet */
/* End file src/skill.c */

/* Begin file src/scan_lex.c */
/* scan_lex: not written yet */
/* End file src/scan_lex.c */

/* Begin file src/scan.c */
/* scan: not written yet */
/* End file src/scan.c */

/* Begin file src/sandbox.c */
/* sandbox: not written yet */
/* End file src/sandbox.c */

/* Begin file src/sandbox_linux.c */
/* sandbox_linux: not written yet */
/* End file src/sandbox_linux.c */

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
