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
