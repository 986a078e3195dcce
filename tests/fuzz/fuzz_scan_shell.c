/* libFuzzer target: the scanner over arbitrary bytes read as shell. Checks that every
 * finding points inside the input and that the report can be written in every format. */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    sl_scan_report *report = NULL;
    sl_buf out;
    size_t k;

    if (sl_scanner_scan_text(NULL, "fuzz", (const char *)data, size, SL_SCAN_LANG_SHELL, &report,
                             NULL) != SL_OK) {
        return 0;
    }
    for (k = 0; k < sl_scan_report_count(report); k++) {
        const sl_scan_finding *f = sl_scan_report_at(report, k);
        if (f->offset > size || f->line < 1 || f->column < 1) {
            abort();
        }
    }
    sl_buf_init(&out, NULL);
    sl_scan_report_write(report, SL_SCAN_FORMAT_TEXT, 0, &out, NULL);
    sl_scan_report_write(report, SL_SCAN_FORMAT_SARIF, 0, &out, NULL);
    sl_buf_free(&out);
    sl_scan_report_free(report);
    return 0;
}
