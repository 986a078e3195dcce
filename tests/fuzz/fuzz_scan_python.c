/* libFuzzer target: the scanner over arbitrary bytes read as python (see scan_target.h). */
#define SKILLLITE_IMPLEMENTATION
#include "scan_target.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    return fuzz_scan(data, size, SL_SCAN_LANG_PYTHON);
}
