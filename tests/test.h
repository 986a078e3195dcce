/* Minimal test runner shared by every test program.
 *
 * A test file defines cases with TEST(name) { ... }; each registers itself before main runs
 * (a GCC/Clang constructor), so adding a file to a program adds its cases. Exactly one file
 * per program defines TEST_MAIN before including this header. The program prints one line
 * per failed check and ends with "N passed, N failed, N skipped". Arguments select cases
 * whose name contains any of them.
 *
 * SKIP("reason") ends a case as skipped, unless SKILLLITE_TEST_MUST_WORK=1 is set in the
 * environment, where a skip counts as a failure (CI sets it where the kernel feature exists).
 */
#ifndef SKILLLITE_TEST_H
#define SKILLLITE_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*sl_test_fn)(void);

typedef struct sl_test_case {
    const char *name;
    const char *file;
    sl_test_fn fn;
} sl_test_case;

void sl_test_register(const char *name, const char *file, sl_test_fn fn);
void sl_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_test_skip(const char *file, int line, const char *reason);
int sl_test_case_failed(void);

#define TEST(name)                                                                  \
    static void test_##name(void);                                                  \
    __attribute__((constructor)) static void test_register_##name(void)             \
    {                                                                               \
        sl_test_register(#name, __FILE__, test_##name);                             \
    }                                                                               \
    static void test_##name(void)

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            sl_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                   \
        }                                                                           \
    } while (0)

/* Stops the case when the condition fails (for preconditions of later checks). */
#define REQUIRE(cond)                                                               \
    do {                                                                            \
        if (!(cond)) {                                                              \
            sl_test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);                 \
            return;                                                                 \
        }                                                                           \
    } while (0)

#define CHECK_INT(actual, expected)                                                 \
    do {                                                                            \
        long long sl_t_a = (long long)(actual);                                     \
        long long sl_t_e = (long long)(expected);                                   \
        if (sl_t_a != sl_t_e) {                                                     \
            sl_test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #actual,  \
                         sl_t_a, sl_t_e);                                           \
        }                                                                           \
    } while (0)

#define CHECK_STR(actual, expected)                                                 \
    do {                                                                            \
        const char *sl_t_a = (actual);                                              \
        const char *sl_t_e = (expected);                                            \
        if (sl_t_a == NULL || strcmp(sl_t_a, sl_t_e) != 0) {                        \
            sl_test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"",       \
                         #actual, sl_t_a ? sl_t_a : "(null)", sl_t_e);              \
        }                                                                           \
    } while (0)

/* Compares a byte range with explicit length against a C string. */
#define CHECK_MEM(ptr, len, expected)                                               \
    do {                                                                            \
        const char *sl_t_p = (const char *)(ptr);                                   \
        size_t sl_t_l = (size_t)(len);                                              \
        const char *sl_t_e = (expected);                                            \
        if (sl_t_l != strlen(sl_t_e) || memcmp(sl_t_p, sl_t_e, sl_t_l) != 0) {      \
            sl_test_fail(__FILE__, __LINE__, "%s == \"%.*s\", expected \"%s\"",     \
                         #ptr, (int)sl_t_l, sl_t_p, sl_t_e);                        \
        }                                                                           \
    } while (0)

#define SKIP(reason)                                                                \
    do {                                                                            \
        sl_test_skip(__FILE__, __LINE__, (reason));                                 \
        return;                                                                     \
    } while (0)

#ifdef TEST_MAIN
#include <stdarg.h>

static sl_test_case sl_test_cases[4096];
static int sl_test_count;
static int sl_test_current_failed;
static int sl_test_current_skipped;
static const char *sl_test_current_name;

void sl_test_register(const char *name, const char *file, sl_test_fn fn)
{
    if (sl_test_count < (int)(sizeof(sl_test_cases) / sizeof(sl_test_cases[0]))) {
        sl_test_cases[sl_test_count].name = name;
        sl_test_cases[sl_test_count].file = file;
        sl_test_cases[sl_test_count].fn = fn;
        sl_test_count++;
    }
}

void sl_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stdout, "FAIL %s (%s:%d): ", sl_test_current_name, file, line);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    sl_test_current_failed = 1;
}

int sl_test_case_failed(void)
{
    return sl_test_current_failed;
}

void sl_test_skip(const char *file, int line, const char *reason)
{
    const char *must = getenv("SKILLLITE_TEST_MUST_WORK");

    if (must != NULL && strcmp(must, "1") == 0) {
        sl_test_fail(file, line, "skipped with SKILLLITE_TEST_MUST_WORK=1: %s", reason);
        return;
    }
    fprintf(stdout, "SKIP %s: %s\n", sl_test_current_name, reason);
    sl_test_current_skipped = 1;
}

static int sl_test_selected(const char *name, int argc, char **argv)
{
    int i;

    if (argc <= 1) {
        return 1;
    }
    for (i = 1; i < argc; i++) {
        if (strstr(name, argv[i]) != NULL) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int i;
    const char *verbose = getenv("SKILLLITE_TEST_VERBOSE");

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; i < sl_test_count; i++) {
        if (!sl_test_selected(sl_test_cases[i].name, argc, argv)) {
            continue;
        }
        sl_test_current_name = sl_test_cases[i].name;
        sl_test_current_failed = 0;
        sl_test_current_skipped = 0;
        if (verbose != NULL && verbose[0] == '1') {
            fprintf(stdout, "RUN  %s\n", sl_test_current_name);
        }
        sl_test_cases[i].fn();
        if (sl_test_current_failed) {
            failed++;
        } else if (sl_test_current_skipped) {
            skipped++;
        } else {
            passed++;
        }
    }
    fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed == 0 ? 0 : 1;
}
#endif /* TEST_MAIN */

#endif /* SKILLLITE_TEST_H */
