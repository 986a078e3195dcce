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
