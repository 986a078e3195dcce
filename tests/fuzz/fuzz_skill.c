/* libFuzzer target: sl_skill_parse on arbitrary SKILL.md bytes, checking the invariants a
 * host relies on: every diagnostic has a position inside the text, accessors never return
 * NULL, and a failed parse returns no skill unless SL_SKILL_KEEP_ON_ERROR asked for it. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <stdlib.h>
#include <string.h>

static volatile unsigned sink;

static void check_skill(const sl_skill *skill, size_t size)
{
    size_t i;
    sl_str body = sl_skill_body(skill);

    for (i = 0; i < sl_skill_diagnostic_count(skill); i++) {
        const sl_diagnostic *d = sl_skill_diagnostic_at(skill, i);

        if (d->line < 1 || d->column < 1 || d->offset > size || d->message == NULL ||
            d->path == NULL) {
            abort();
        }
    }
    if (sl_skill_name(skill) == NULL || sl_skill_description(skill) == NULL ||
        sl_skill_entry_point(skill) == NULL || body.ptr == NULL ||
        sl_skill_body_offset(skill) + body.len > size) {
        abort();
    }
    /* Touch every byte the views claim, so ASan reports an out-of-bounds view. */
    for (i = 0; i < body.len; i++) {
        sink += (unsigned char)body.ptr[i];
    }
    (void)strlen(sl_skill_name(skill));
    (void)strlen(sl_skill_description(skill));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    sl_skill_options opt;
    sl_skill *skill = NULL;
    int rc;

    sl_skill_options_init(&opt);
    opt.flags = SL_SKILL_KEEP_ON_ERROR;
    rc = sl_skill_parse((const char *)data, size, "fuzz-skill", &opt, &skill, NULL);
    if (skill == NULL && rc != SL_ENOMEM && rc != SL_ELIMIT) {
        abort();
    }
    if (skill != NULL) {
        check_skill(skill, size);
        sl_skill_free(skill);
    }

    opt.flags = SL_SKILL_STRICT | SL_SKILL_NO_LENIENT;
    rc = sl_skill_parse((const char *)data, size, NULL, &opt, &skill, NULL);
    if ((rc == SL_OK) != (skill != NULL)) {
        abort();
    }
    if (skill != NULL) {
        check_skill(skill, size);
        sl_skill_free(skill);
    }
    return 0;
}
