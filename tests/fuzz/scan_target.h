/* Body shared by the scanner's libFuzzer targets: scans arbitrary bytes as `language`,
 * checks that every finding points inside the input, and writes the report in the text and
 * SARIF formats. Each fuzz_scan_*.c defines SKILLLITE_IMPLEMENTATION and picks a language. */
#ifndef SKILLLITE_FUZZ_SCAN_TARGET_H
#define SKILLLITE_FUZZ_SCAN_TARGET_H

#include "skilllite.h"

#include <stdlib.h>
#include <string.h>

static int fuzz_scan(const unsigned char *data, size_t size, int language)
{
    sl_scan_report *report = NULL;
    sl_buf out;
    size_t k;

    if (sl_scanner_scan_text(NULL, "fuzz", (const char *)data, size, language, &report, NULL) !=
        SL_OK) {
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

#endif
