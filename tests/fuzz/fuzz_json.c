/* libFuzzer target for the JSON reader and writer.
 *
 * Every input is parsed under three option sets. A parse that succeeds is written in all
 * four writer modes and read back, and the tree must come back equal: the writer must
 * accept everything the reader accepts and emit text the reader accepts. A failed parse
 * must report a position inside the input, and the duplicate-key option may only change
 * the outcome of an input that has duplicate keys.
 */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <stdlib.h>

static void check_error(const sl_error *err, size_t size)
{
    if (err->code == SL_OK || err->message[0] == '\0' || err->offset > size) {
        abort();
    }
    if (err->code != SL_ENOMEM && err->code != SL_ELIMIT && (err->line < 1 || err->column < 1)) {
        abort();
    }
}

/* Writes `root` with `flags`, reads it back and requires an equal tree. */
static void check_round_trip(const sl_value *root, int flags)
{
    sl_json_options opt;
    sl_error err;
    size_t len = 0;
    char *text = sl_json_to_string(root, flags, NULL, &len, &err);
    sl_doc *back;

    if (text == NULL) {
        abort();
    }
    sl_json_options_init(&opt);
    opt.max_depth = 100000;
    opt.allow_duplicate_keys = 1;
    back = sl_json_parse(text, len, &opt, &err);
    if (back == NULL || !sl_value_equal(root, sl_doc_root(back))) {
        abort();
    }
    sl_doc_free(back);
    sl_free(NULL, text, len + 1);
}

static sl_doc *parse_with(const unsigned char *data, size_t size, int max_depth,
                          int allow_duplicate_keys, sl_error *err)
{
    sl_json_options opt;
    sl_doc *doc;

    sl_json_options_init(&opt);
    opt.max_depth = max_depth;
    opt.allow_duplicate_keys = allow_duplicate_keys;
    doc = sl_json_parse((const char *)data, size, &opt, err);
    if (doc == NULL) {
        check_error(err, size);
    }
    return doc;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const int depths[] = { 2, 16, 0 };
    size_t i;

    for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
        sl_error strict_err;
        sl_error lax_err;
        sl_doc *strict = parse_with(data, size, depths[i], 0, &strict_err);
        sl_doc *lax = parse_with(data, size, depths[i], 1, &lax_err);

        /* Allowing duplicates changes nothing for an input without them. */
        if (strict != NULL && (lax == NULL || !sl_value_equal(sl_doc_root(strict),
                                                              sl_doc_root(lax)))) {
            abort();
        }
        if (strict == NULL && strict_err.code != SL_EJSON_DUPLICATE &&
            (lax != NULL || lax_err.code != strict_err.code ||
             lax_err.offset != strict_err.offset)) {
            abort();
        }

        if (lax != NULL) {
            check_round_trip(sl_doc_root(lax), 0);
            check_round_trip(sl_doc_root(lax), SL_JSON_PRETTY);
            check_round_trip(sl_doc_root(lax), SL_JSON_ASCII);
            check_round_trip(sl_doc_root(lax), SL_JSON_PRETTY | SL_JSON_ASCII);
        }
        sl_doc_free(strict);
        sl_doc_free(lax);
    }
    return 0;
}
