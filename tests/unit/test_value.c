#include "skilllite.h"
#include "test.h"

TEST(value_builder_and_accessors)
{
    sl_doc *doc = sl_doc_new(NULL);
    sl_value *obj;
    sl_value *arr;

    REQUIRE(doc != NULL);
    obj = sl_value_new_object(doc);
    arr = sl_value_new_array(doc);
    CHECK_INT(sl_value_set(doc, obj, "result", sl_value_new_int(doc, 42)), SL_OK);
    CHECK_INT(sl_value_set(doc, obj, "name", sl_value_new_strn(doc, "a\0b", 3)), SL_OK);
    CHECK_INT(sl_value_push(doc, arr, sl_value_new_bool(doc, 1)), SL_OK);
    CHECK_INT(sl_value_push(doc, arr, sl_value_new_real(doc, 2.5)), SL_OK);
    CHECK_INT(sl_value_set(doc, obj, "list", arr), SL_OK);
    CHECK_INT(sl_value_set(doc, obj, "result", sl_value_new_int(doc, 43)), SL_OK);
    sl_doc_set_root(doc, obj);

    CHECK_INT(sl_value_count(obj), 3);
    CHECK_INT(sl_value_int(sl_value_get(obj, "result")), 43);
    CHECK_INT(sl_value_str(sl_value_get(obj, "name")).len, 3);
    CHECK_INT(sl_value_bool(sl_value_at(sl_value_get(obj, "list"), 0)), 1);
    CHECK(sl_value_real(sl_value_at(arr, 1)) == 2.5);
    CHECK_STR(sl_value_cstr(sl_value_key_at(obj, 2)), "list");
    CHECK(sl_value_get(obj, "missing") == NULL);
    CHECK_STR(sl_value_cstr(sl_value_get(sl_value_get(obj, "missing"), "x")), "");
    CHECK_INT(sl_value_kind(NULL), SL_VALUE_NULL);
    CHECK_INT(sl_value_push(doc, obj, sl_value_new_null(doc)), SL_EINVAL);
    CHECK_INT(sl_value_set(doc, obj, "x", NULL), SL_ENOMEM);
    sl_doc_free(doc);
    sl_doc_free(NULL);
}

TEST(value_copy_and_equal)
{
    sl_doc *a = sl_doc_new(NULL);
    sl_doc *b = sl_doc_new(NULL);
    sl_value *obj = sl_value_new_object(a);
    sl_value *copy;
    int i;

    for (i = 0; i < 100; i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", i);
        CHECK_INT(sl_value_set(a, obj, key, sl_value_new_int(a, i)), SL_OK);
    }
    sl_value_set_position(obj, 7, 2, 3);
    copy = sl_value_copy(b, obj);
    REQUIRE(copy != NULL);
    CHECK(sl_value_equal(obj, copy));
    CHECK_INT(sl_value_line(copy), 2);
    CHECK_INT(sl_value_int(sl_value_get(copy, "k99")), 99);
    CHECK_INT(sl_value_set(b, copy, "k99", sl_value_new_int(b, 0)), SL_OK);
    CHECK(!sl_value_equal(obj, copy));
    sl_doc_free(a);
    sl_doc_free(b);
}

TEST(value_real_to_int_clamps)
{
    sl_doc *doc = sl_doc_new(NULL);

    CHECK_INT(sl_value_int(sl_value_new_real(doc, 1e300)), INT64_MAX);
    CHECK_INT(sl_value_int(sl_value_new_real(doc, -1e300)), INT64_MIN);
    CHECK_INT(sl_value_int(sl_value_new_real(doc, -3.9)), -3);
    sl_doc_free(doc);
}
