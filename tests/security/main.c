/* build/test_security: the sandbox security suite (see docs/SECURITY.md).
 *
 * Runs every probe through the real CLI at levels 1, 2 and 3 and through the peer
 * sandboxes that are installed, prints the table of effects, then asserts:
 *   - level 2 contains every case (each effect absent, each syscall answered exactly);
 *   - level 3 blocks or contains the 20 original cases and their node/bash variants;
 *   - level 1 leaks the positive controls, which shows the detectors can see a leak.
 * Peer columns are informational and never required.
 *
 * Environment: SKILLLITE_BIN (default build/skilllite), SKILLLITE_SECURITY_CASES (comma
 * list of substrings of case ids to run), SKILLLITE_SECURITY_PEERS=0 (no peer columns),
 * SKILLLITE_SECURITY_TABLE=FILE (also write the table there), SKILLLITE_SECURITY_DETAILS=1
 * (print the detail of every cell, not only of failing ones). */
#define _GNU_SOURCE
#define TEST_MAIN
#include "test.h"

#include "cases.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sec_on_signal(int sig)
{
    sec_emergency_stop();
    _exit(128 + sig);
}

__attribute__((constructor)) static void sec_install_handlers(void)
{
    signal(SIGINT, sec_on_signal);
    signal(SIGTERM, sec_on_signal);
    signal(SIGHUP, sec_on_signal);
    atexit(sec_matrix_teardown);
}

static void sec_print_table(FILE *f, const sec_matrix *m, int details)
{
    size_t i;
    int c;

    fprintf(f, "| case | category |");
    for (c = 0; c < SEC_COL_COUNT; c++) {
        if (m->column_on[c]) {
            fprintf(f, " %s |", sec_column_name(c));
        }
    }
    fprintf(f, "\n|---|---|");
    for (c = 0; c < SEC_COL_COUNT; c++) {
        if (m->column_on[c]) {
            fprintf(f, "---|");
        }
    }
    fprintf(f, "\n");
    for (i = 0; i < m->row_count; i++) {
        const sec_row *r = &m->rows[i];
        char id[96];

        if (r->kind == SEC_KIND_ERRNO) {
            snprintf(id, sizeof(id), "%s (%s)", r->id, r->expect);
        } else {
            const char *mark = "";

            if (r->original) {
                mark = " *";
            } else if (r->kind == SEC_KIND_INFO) {
                mark = " (info)";
            }
            snprintf(id, sizeof(id), "%s%s", r->id, mark);
        }
        fprintf(f, "| %s | %s |", id, r->category);
        for (c = 0; c < SEC_COL_COUNT; c++) {
            if (m->column_on[c]) {
                fprintf(f, " %s |", r->cell[c]);
            }
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\n* one of the 20 original cases (or its node/bash variant); (info): shown, "
               "never asserted\n");
    for (c = SEC_COL_BWRAP; c < SEC_COL_COUNT; c++) {
        if (m->peer_installed[c] && !m->column_on[c]) {
            fprintf(f, "%s is installed but could not run a probe: %s\n", sec_column_name(c),
                    m->peer_note[c]);
        }
    }
    fprintf(f, "\nDetails%s:\n", details ? "" : " of the level 1-3 cells that are not contained");
    for (i = 0; i < m->row_count; i++) {
        const sec_row *r = &m->rows[i];

        for (c = 0; c < SEC_COL_COUNT; c++) {
            int show = details ? r->status[c] != SEC_NA
                               : c <= SEC_COL_L3 && r->status[c] == SEC_BAD;
            if (show && r->detail[c][0] != '\0') {
                fprintf(f, "  %-40s %-8s %-10s %s\n", r->id, sec_column_name(c), r->cell[c],
                        r->detail[c]);
            } else if (show) {
                fprintf(f, "  %-40s %-8s %s\n", r->id, sec_column_name(c), r->cell[c]);
            }
        }
    }
}

/* Builds the matrix once and prints it; returns NULL (with the reason printed) when the
 * suite cannot run here. */
static sec_matrix *sec_ensure(void)
{
    static int printed;
    sec_matrix *m;
    const char *table = getenv("SKILLLITE_SECURITY_TABLE");
    const char *details = getenv("SKILLLITE_SECURITY_DETAILS");
    int all = details != NULL && details[0] == '1';

    if (sec_matrix_build() != 0) {
        return NULL;
    }
    m = sec_matrix_get();
    if (!printed) {
        printed = 1;
        sec_print_table(stdout, m, all);
        if (table != NULL && table[0] != '\0') {
            FILE *f = fopen(table, "w");
            if (f != NULL) {
                sec_print_table(f, m, 1);
                fclose(f);
            }
        }
    }
    return m;
}

static const sec_row *sec_find(const sec_matrix *m, const char *id)
{
    size_t i;

    for (i = 0; i < m->row_count; i++) {
        if (strcmp(m->rows[i].id, id) == 0) {
            return &m->rows[i];
        }
    }
    return NULL;
}

TEST(security_level2_contains_every_case)
{
    sec_matrix *m = sec_ensure();
    size_t i;

    if (m == NULL) {
        SKIP(sec_matrix_get()->why);
    }
    REQUIRE(m->row_count > 0);
    for (i = 0; i < m->row_count; i++) {
        const sec_row *r = &m->rows[i];

        if (r->status[SEC_COL_L2] == SEC_BAD && r->kind != SEC_KIND_INFO) {
            sl_test_fail(__FILE__, __LINE__, "level 2, %s: %s (%s)", r->id, r->cell[SEC_COL_L2],
                         r->detail[SEC_COL_L2]);
        }
    }
}

TEST(security_level2_reports_the_limit)
{
    sec_matrix *m = sec_ensure();
    const sec_row *mem;
    const sec_row *cpu;

    if (m == NULL) {
        SKIP(sec_matrix_get()->why);
    }
    mem = sec_find(m, "memory_bomb");
    cpu = sec_find(m, "cpu_loop");
    if (mem == NULL || cpu == NULL) {
        SKIP("memory_bomb or cpu_loop not selected");
    }
    CHECK_STR(mem->limit[SEC_COL_L2], "memory");
    CHECK(strcmp(cpu->limit[SEC_COL_L2], "timeout") == 0 ||
          strcmp(cpu->limit[SEC_COL_L2], "cpu") == 0);
}

TEST(security_level3_blocks_or_contains_original_cases)
{
    sec_matrix *m = sec_ensure();
    size_t i;
    int n = 0;

    if (m == NULL) {
        SKIP(sec_matrix_get()->why);
    }
    for (i = 0; i < m->row_count; i++) {
        const sec_row *r = &m->rows[i];

        if (!r->original) {
            continue;
        }
        n++;
        if (r->status[SEC_COL_L3] != SEC_GOOD) {
            sl_test_fail(__FILE__, __LINE__, "level 3, %s: %s (%s)", r->id, r->cell[SEC_COL_L3],
                         r->detail[SEC_COL_L3]);
        }
    }
    if (n == 0) {
        SKIP("no original case selected");
    }
}

/* Level 1 has no isolation, so these must show as leaks; if they do not, a detector is
 * broken and every "contained" above means nothing. */
TEST(security_level1_positive_controls_leak)
{
    static const char *const controls[] = {"read_passwd", "list_root", "write_host_tmp",
                                           "http_request", "read_passwd.sh", "list_root.js"};
    sec_matrix *m = sec_ensure();
    size_t i;
    int n = 0;

    if (m == NULL) {
        SKIP(sec_matrix_get()->why);
    }
    for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++) {
        const sec_row *r = sec_find(m, controls[i]);

        if (r == NULL) {
            continue;
        }
        n++;
        if (strcmp(r->cell[SEC_COL_L1], "LEAKED") != 0) {
            sl_test_fail(__FILE__, __LINE__, "level 1, %s: %s, expected LEAKED (%s)",
                         controls[i], r->cell[SEC_COL_L1], r->detail[SEC_COL_L1]);
        }
    }
    if (n == 0) {
        SKIP("no positive control selected");
    }
}
