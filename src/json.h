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
