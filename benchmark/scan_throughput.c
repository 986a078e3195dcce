/* Measures the scanner's throughput over a tree of source files, and doubles as a
 * robustness run: every file is scanned on its own, and a crash or a hang shows here.
 *
 * Usage: scan_throughput DIR [EXT...]   (default extensions: .py .js .mjs .cjs .sh)
 * Prints one line per failed file and a summary: files, MB, seconds, MB/s, findings by
 * severity, the slowest file. Reading the files is not timed; scanning is.
 *
 * Build: cc -O2 -I. -o build/scan_throughput benchmark/scan_throughput.c
 */
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct totals {
    size_t files;
    size_t bytes;
    size_t failed;
    uint64_t ns;
    size_t by_severity[5];
    uint64_t slowest_ns;
    char slowest[4096];
    char **exts;
    int nexts;
    const sl_scanner *scanner;
} totals;

static int wanted(const totals *t, const char *name)
{
    size_t n = strlen(name);
    int k;

    for (k = 0; k < t->nexts; k++) {
        size_t e = strlen(t->exts[k]);
        if (n > e && strcmp(name + n - e, t->exts[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void scan_one(totals *t, const char *path)
{
    char *data;
    size_t len;
    sl_error err;
    sl_scan_report *report = NULL;
    uint64_t start;
    uint64_t ns;
    size_t k;

    if (sl_file_read(path, 0, NULL, &data, &len, &err) != SL_OK) {
        return;
    }
    start = sl_time_now_ns();
    if (sl_scanner_scan_text(t->scanner, path, data, len, -1, &report, &err) != SL_OK) {
        printf("FAIL %s: %s\n", path, err.message);
        t->failed++;
    }
    ns = sl_time_now_ns() - start;
    t->ns += ns;
    t->files++;
    t->bytes += len;
    if (ns > t->slowest_ns) {
        t->slowest_ns = ns;
        snprintf(t->slowest, sizeof(t->slowest), "%s", path);
    }
    for (k = 0; k < sl_scan_report_count(report); k++) {
        t->by_severity[sl_scan_report_at(report, k)->severity]++;
    }
    sl_scan_report_free(report);
    sl_free(NULL, data, len + 1);
}

static void walk(totals *t, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (strcmp(e->d_name, "site-packages") != 0) {
                walk(t, path);
            }
        } else if (S_ISREG(st.st_mode) && wanted(t, e->d_name)) {
            scan_one(t, path);
        }
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    static char *defaults[] = {".py", ".js", ".mjs", ".cjs", ".sh"};
    totals t;
    sl_scanner *scanner;
    sl_error err;
    double seconds;

    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [EXT...]\n", argv[0]);
        return 2;
    }
    memset(&t, 0, sizeof(t));
    t.exts = argc > 2 ? argv + 2 : defaults;
    t.nexts = argc > 2 ? argc - 2 : 5;
    if (sl_scanner_new(NULL, &scanner, &err) != SL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    t.scanner = scanner;
    walk(&t, argv[1]);
    sl_scanner_free(scanner);
    seconds = (double)t.ns / 1e9;
    printf("%zu files, %.1f MB, %.3f s, %.1f MB/s, %zu failed\n", t.files,
           (double)t.bytes / 1e6, seconds, seconds > 0 ? (double)t.bytes / 1e6 / seconds : 0.0,
           t.failed);
    printf("findings: %zu critical, %zu high, %zu medium, %zu low\n", t.by_severity[4],
           t.by_severity[3], t.by_severity[2], t.by_severity[1]);
    printf("slowest: %s (%.1f ms)\n", t.slowest, (double)t.slowest_ns / 1e6);
    return t.failed == 0 ? 0 : 1;
}
