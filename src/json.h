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
