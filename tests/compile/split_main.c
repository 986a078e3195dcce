/* Declarations in this unit, the implementation in impl.c: the usual vendoring layout. */
#include "skilllite.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *text = "{\"a\": [1, 2.5, \"x\"]}";
    sl_error err;
    sl_doc *doc = sl_json_parse(text, strlen(text), NULL, &err);
    int ok;

    if (doc == NULL) {
        printf("parse failed: %s\n", err.message);
        return 1;
    }
    ok = sl_value_int(sl_value_at(sl_value_get(sl_doc_root(doc), "a"), 0)) == 1;
    sl_doc_free(doc);
    printf("%s\n", ok ? "split ok" : "split wrong value");
    return ok ? 0 : 1;
}
