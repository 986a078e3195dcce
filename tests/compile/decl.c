/* Declarations only, compiled as C99 and C11: every public type and a few calls. */
#include "skilllite.h"

#include <stdio.h>

int sl_compile_decl_check(void);

int sl_compile_decl_check(void)
{
    sl_error err;
    sl_buf buf;
    sl_sandbox_policy policy;
    sl_sandbox_result result;
    sl_json_options json;
    sl_yaml_options yaml;

    (void)policy;
    (void)result;
    (void)json;
    (void)yaml;
    sl_error_clear(&err);
    sl_buf_init(&buf, NULL);
    return err.code + (int)buf.len + (sl_version_string() != NULL);
}
