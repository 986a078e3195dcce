// Declarations only, compiled as C++11 and C++17, linked against the C implementation.
#include "skilllite.h"

#include <cstdio>
#include <cstring>

int main()
{
    sl_error err;
    sl_error_clear(&err);

    sl_doc *doc = sl_doc_new(nullptr);
    sl_value *obj = sl_value_new_object(doc);
    sl_value_set(doc, obj, "answer", sl_value_new_int(doc, 42));
    sl_doc_set_root(doc, obj);

    size_t len = 0;
    char *text = sl_json_to_string(obj, 0, nullptr, &len, &err);
    int ok = text != nullptr && std::strcmp(text, "{\"answer\":42}") == 0;
    std::printf("%s %s\n", sl_version_string(), text != nullptr ? text : err.message);
    sl_free(nullptr, text, len + 1);
    sl_doc_free(doc);
    return ok ? 0 : 1;
}
