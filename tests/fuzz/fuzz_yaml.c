/* libFuzzer target for the YAML reader: parses every input untyped and typed, with a small
 * depth limit in one of the runs, and walks the tree so every node is read. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

static size_t walk(const sl_value *v)
{
    size_t n = 1;
    size_t i;

    for (i = 0; i < sl_value_count(v); i++) {
        n += walk(sl_value_key_at(v, i));
        n += walk(sl_value_at(v, i));
    }
    n += sl_value_str(v).len + (size_t)sl_value_line(v) + (size_t)sl_value_column(v);
    return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    sl_yaml_options opt;
    sl_error err;
    sl_doc *doc;
    int typed;

    for (typed = 0; typed <= 1; typed++) {
        sl_yaml_options_init(&opt);
        opt.typed = typed;
        opt.max_depth = typed ? 8 : 64;
        opt.base_offset = 10;
        opt.base_line = 2;
        doc = sl_yaml_parse((const char *)data, size, &opt, &err);
        if (doc != NULL) {
            (void)walk(sl_doc_root(doc));
            sl_doc_free(doc);
        } else if (err.code == SL_OK || err.message[0] == '\0') {
            __builtin_trap(); /* every failure must come with a code and a message */
        }
    }
    return 0;
}
