/* The result matrix of the security suite: one row per judged case, one column per
 * sandbox configuration. */
#ifndef SKILLLITE_SECURITY_CASES_H
#define SKILLLITE_SECURITY_CASES_H

#include "harness.h"

enum {
    SEC_COL_L1, SEC_COL_L2, SEC_COL_L3, SEC_COL_BWRAP, SEC_COL_FIREJAIL, SEC_COL_SRT,
    SEC_COL_COUNT
};

/* Cell status. */
enum { SEC_NA = 0, SEC_GOOD = 1, SEC_BAD = 2 };

/* Row kind: judged by an effect on the host, by the exact errno of a syscall, or shown
 * for information only (a leak no kernel sandbox can prevent; never asserted). */
enum { SEC_KIND_EFFECT = 0, SEC_KIND_ERRNO = 1, SEC_KIND_INFO = 2 };

typedef struct sec_row {
    char id[64];
    char category[16];
    int original;                      /* one of the 20 original cases or a variant */
    int kind;
    char expect[16];                   /* errno rows: the expected answer */
    int status[SEC_COL_COUNT];
    char cell[SEC_COL_COUNT][24];      /* contained, LEAKED, blocked, n/a, error, an errno */
    char detail[SEC_COL_COUNT][200];
    char limit[SEC_COL_COUNT][24];     /* resource rows: the CLI's "limit" */
} sec_row;

#define SEC_MAX_ROWS 160

typedef struct sec_matrix {
    int built;
    int usable;
    char why[300];                     /* why the matrix could not be built */
    int column_on[SEC_COL_COUNT];
    int peer_installed[SEC_COL_COUNT];
    char peer_note[SEC_COL_COUNT][200]; /* why an installed peer could not run */
    sec_row rows[SEC_MAX_ROWS];
    size_t row_count;
} sec_matrix;

/* Runs every case in every column once. Returns 0, or -1 with sec_matrix_get()->why set. */
int sec_matrix_build(void);

sec_matrix *sec_matrix_get(void);

const char *sec_column_name(int col);

/* Kills the canary; for signal handlers. */
void sec_emergency_stop(void);

/* Undoes everything sec_matrix_build set up on the host. */
void sec_matrix_teardown(void);

#endif /* SKILLLITE_SECURITY_CASES_H */
