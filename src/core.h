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
