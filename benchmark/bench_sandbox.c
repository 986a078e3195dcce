/* bench_sandbox: the sandbox's cost inside an embedding host, against bare posix_spawn.
 *
 * Build (make bench does this):
 *     cc -std=c11 -O2 -I. -o build/bench_sandbox benchmark/bench_sandbox.c
 *
 * For every workload (/bin/true, python3 -c 'print(1)', node -e 0, the calculator skill) it
 * runs three modes in rotating rounds, so that drift on the machine hits all of them alike:
 *   bare    posix_spawn with stdin, stdout and stderr on pipes, as a host without a sandbox
 *           would run the command (same clean environment as the sandbox gives);
 *   level1  sl_sandbox_exec at level 1 (limits and a clean environment, no isolation);
 *   level2  sl_sandbox_exec at level 2 (namespaces, seccomp, Landlock, cgroup).
 * The calculator runs end to end in the sandbox modes: sl_skill_load, sl_skill_run,
 * sl_skill_free per run; bare runs `python3 <skill>/scripts/main.py` with the same input.
 *
 * Then throughput: a batch of runs with `-c` in flight at once (sl_sandbox_spawn, poll() on
 * sl_sandbox_fd, sl_sandbox_poll; no threads), against as many bare children in flight.
 * Host memory: getrusage(RUSAGE_SELF).ru_maxrss and the resident set from /proc/self/statm
 * before and after the sandbox runs. The sandbox tree's peak comes from
 * sl_sandbox_result.peak_memory_bytes.
 *
 * Output: a table on stdout and JSON in benchmark/results/sandbox.json (-o to change).
 * All workloads are local programs; none of them touches the network.
 */
#define _GNU_SOURCE
#define SKILLLITE_IMPLEMENTATION
#include "skilllite.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MODE_BARE 0
#define MODE_L1 1
#define MODE_L2 2
#define MODE_COUNT 3
static const char *const mode_names[MODE_COUNT] = {"bare", "level1", "level2"};

#define CALC_INPUT "{\"operation\": \"add\", \"a\": 15, \"b\": 27}"

typedef struct workload {
    const char *name;
    const char *argv[4];       /* bare and sandbox argv; argv[0] absolute */
    const char *input;
    const char *expect;        /* substring the first run's stdout must contain */
    int is_skill;              /* 1: sandbox modes go through sl_skill_load + sl_skill_run */
} workload;

typedef struct options {
    int runs;
    int warmup;
    int concurrency;
    int batch;                 /* runs per throughput batch */
    int batch_repeats;
    int spaced;                /* rounds with a pause before every run */
    int gap_ms;                /* the pause */
    const char *only;          /* comma-separated workload names, NULL for all */
    const char *output;
    const char *skill_dir;
    const char *python;
    const char *node;
} options;

/* Per workload and mode: latencies and what the sandbox reported. */
typedef struct series {
    uint64_t *wall_ns;         /* measured around the call, per run */
    uint64_t *lib_wall_ns;     /* sl_sandbox_result.wall_ns */
    uint64_t *peak_bytes;      /* sl_sandbox_result.peak_memory_bytes */
    uint64_t *cpu_ns;          /* sl_sandbox_result.cpu_ns */
    int count;
    unsigned layers;
    int landlock_abi;
    char error[512];           /* non-empty when the mode failed and was dropped */
    double batch_seconds[16];  /* elapsed per throughput batch */
    uint64_t spawn_call_ns_median; /* sl_sandbox_spawn's own time, last batch */
    long rss_before_kib, rss_after_kib; /* statm resident set around this mode's runs */
    uint64_t *spaced_ns;       /* latency of runs that follow a pause of gap_ms */
    int spaced_count;
} series;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static long rss_kib(void)
{
    long pages_total = 0, pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) {
        return -1;
    }
    if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) {
        pages_resident = -1;
    }
    fclose(f);
    return pages_resident < 0 ? -1 : pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The 1-minute load average; other work on the machine skews the times. */
static double loadavg1(void)
{
    double load = -1.0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f != NULL) {
        if (fscanf(f, "%lf", &load) != 1) {
            load = -1.0;
        }
        fclose(f);
    }
    return load;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile q (0..100) of sorted values, linear between the closest ranks. */
static double percentile_sorted(const double *v, int n, double q)
{
    double pos;
    int low, high;
    if (n <= 0) {
        return 0.0;
    }
    pos = (n - 1) * q / 100.0;
    low = (int)pos;
    high = low + 1 < n ? low + 1 : n - 1;
    return v[low] + (v[high] - v[low]) * (pos - low);
}

static double percentile_u64(const uint64_t *values, int n, double q)
{
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double r;
    int i;
    for (i = 0; i < n; i++) {
        v[i] = (double)values[i];
    }
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    r = percentile_sorted(v, n, q);
    free(v);
    return r;
}

/* Median of the per-round ratios a[i] / b[i]. */
static double paired_ratio(const uint64_t *a, const uint64_t *b, int n)
{
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double r;
    int i;
    for (i = 0; i < n; i++) {
        v[i] = b[i] ? (double)a[i] / (double)b[i] : 0.0;
    }
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    r = percentile_sorted(v, n, 50);
    free(v);
    return r;
}

/* Median of the per-round differences a[i] - b[i], in ms. */
static double paired_delta_ms(const uint64_t *a, const uint64_t *b, int n)
{
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double r;
    int i;
    for (i = 0; i < n; i++) {
        v[i] = ((double)a[i] - (double)b[i]) / 1e6;
    }
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    r = percentile_sorted(v, n, 50);
    free(v);
    return r;
}

/* ---------------------------------------------------------------- bare children --- */

static char *const bare_env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp",
                                 "TMPDIR=/tmp", "LANG=C.UTF-8", NULL};

/* One bare child with its output pipes. */
typedef struct bare_run {
    pid_t pid;
    int out_fd;
    int err_fd;
    char first_out[256];       /* start of stdout, for the output check */
    size_t first_len;
} bare_run;

/* Starts `w` with posix_spawn, writes its input and closes stdin. Returns 0 or an errno. */
static int bare_start(const workload *w, bare_run *run)
{
    int in_pipe[2], out_pipe[2], err_pipe[2];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    size_t input_len = strlen(w->input);
    int rc;

    memset(run, 0, sizeof(*run));
    if (pipe2(in_pipe, O_CLOEXEC) != 0) {
        return errno;
    }
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        return errno;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    /* A new session, like the sandbox's children: with the kernel's autogroup scheduling
     * each session gets its own CPU share, so sharing the harness's session would put the
     * bare children at a disadvantage when other work runs on the machine. */
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    rc = posix_spawn(&run->pid, w->argv[0], &fa, &attr, (char *const *)w->argv, bare_env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        return rc;
    }

    /* The workloads' inputs are under 100 bytes, far below the pipe buffer, so this write
     * does not block. */
    if (input_len > 0 && write(in_pipe[1], w->input, input_len) != (ssize_t)input_len) {
        rc = errno;
    }
    close(in_pipe[1]);
    run->out_fd = out_pipe[0];
    run->err_fd = err_pipe[0];
    return rc;
}

/* Reads what is available on `*fd`; closes it at end of file. */
static void bare_drain(bare_run *run, int *fd, int keep)
{
    char buf[4096];
    ssize_t n = read(*fd, buf, sizeof(buf));
    if (n > 0) {
        if (keep && run->first_len < sizeof(run->first_out) - 1) {
            size_t room = sizeof(run->first_out) - 1 - run->first_len;
            size_t take = (size_t)n < room ? (size_t)n : room;
            memcpy(run->first_out + run->first_len, buf, take);
            run->first_len += take;
            run->first_out[run->first_len] = '\0';
        }
        return;
    }
    if (n < 0 && errno == EINTR) {
        return;
    }
    close(*fd);
    *fd = -1;
}

/* Reaps the child after both pipes closed. Returns its wait status. */
static int bare_reap(bare_run *run)
{
    int status = 0;
    while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/* Runs `w` bare to the end. Returns the wait status, or -1 when the spawn failed. */
static int bare_exec(const workload *w, bare_run *run)
{
    if (bare_start(w, run) != 0) {
        return -1;
    }
    while (run->out_fd >= 0 || run->err_fd >= 0) {
        struct pollfd p[2];
        int n = 0;
        if (run->out_fd >= 0) {
            p[n].fd = run->out_fd;
            p[n++].events = POLLIN;
        }
        if (run->err_fd >= 0) {
            p[n].fd = run->err_fd;
            p[n++].events = POLLIN;
        }
        if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) {
            return -1;
        }
        if (run->out_fd >= 0 && p[0].revents) {
            bare_drain(run, &run->out_fd, 1);
        }
        if (run->err_fd >= 0 && p[n - 1].revents && p[n - 1].fd == run->err_fd) {
            bare_drain(run, &run->err_fd, 0);
        }
    }
    return bare_reap(run);
}

/* ------------------------------------------------------------------ sandbox runs --- */

static void policy_for(sl_sandbox_policy *policy, int mode)
{
    sl_sandbox_policy_init(policy);
    policy->level = mode == MODE_L1 ? 1 : 2;
}

/* Runs `w` in the sandbox at `mode` with the blocking API. Fills `result` (caller frees).
 * Returns SL_OK or the library's error with `err` filled. */
static int sandbox_exec(const options *opt, const workload *w, int mode,
                        sl_sandbox_result *result, sl_error *err)
{
    sl_sandbox_policy policy;
    policy_for(&policy, mode);
    if (w->is_skill) {
        sl_skill *skill = NULL;
        int rc = sl_skill_load(opt->skill_dir, NULL, &skill, err);
        if (rc != SL_OK) {
            memset(result, 0, sizeof(*result));
            return rc;
        }
        rc = sl_skill_run(skill, &policy, w->input, strlen(w->input), result, err);
        sl_skill_free(skill);
        return rc;
    }
    return sl_sandbox_exec(&policy, w->argv, w->input, strlen(w->input), result, err);
}

/* Checks the first run of a mode. Returns 1 when it is usable, else fills s->error. */
static int check_output(series *s, const char *mode, int exited, int code, const char *out,
                        const char *errtext, const workload *w)
{
    if (!exited || code != 0) {
        snprintf(s->error, sizeof(s->error), "%s %s: exit %d (exited=%d), stderr: %.300s",
                 w->name, mode, code, exited, errtext ? errtext : "");
        return 0;
    }
    if (w->expect[0] != '\0' && (out == NULL || strstr(out, w->expect) == NULL)) {
        snprintf(s->error, sizeof(s->error), "%s %s: expected \"%s\" in stdout, got \"%.200s\"",
                 w->name, mode, w->expect, out ? out : "");
        return 0;
    }
    return 1;
}

/* One timed run of `mode`. Returns 1 on success, 0 when the mode failed (s->error set). */
static int run_once(const options *opt, const workload *w, int mode, series *s, int record,
                    int first)
{
    uint64_t start, elapsed;

    if (mode == MODE_BARE) {
        bare_run run;
        int status;
        start = now_ns();
        status = bare_exec(w, &run);
        elapsed = now_ns() - start;
        if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            snprintf(s->error, sizeof(s->error), "%s bare: wait status %d", w->name, status);
            return 0;
        }
        if (first && !check_output(s, "bare", 1, 0, run.first_out, "", w)) {
            return 0;
        }
        if (record) {
            s->wall_ns[s->count++] = elapsed;
        }
        return 1;
    } else {
        sl_sandbox_result result;
        sl_error err;
        int rc;
        sl_error_clear(&err);
        start = now_ns();
        rc = sandbox_exec(opt, w, mode, &result, &err);
        elapsed = now_ns() - start;
        if (rc != SL_OK) {
            snprintf(s->error, sizeof(s->error), "%s %s: %s (%s, stage %s, errno %d)",
                     w->name, mode_names[mode], err.message, sl_result_str(rc), err.stage,
                     err.sys_errno);
            return 0;
        }
        if ((first || !result.exited || result.exit_code != 0) &&
            !check_output(s, mode_names[mode], result.exited, result.exit_code,
                          result.stdout_data, result.stderr_data, w)) {
            sl_sandbox_result_free(&result);
            return 0;
        }
        if (record) {
            s->wall_ns[s->count] = elapsed;
            s->lib_wall_ns[s->count] = result.wall_ns;
            s->peak_bytes[s->count] = result.peak_memory_bytes;
            s->cpu_ns[s->count] = result.cpu_ns;
            s->count++;
        }
        s->layers = result.layers;
        s->landlock_abi = result.landlock_abi;
        sl_sandbox_result_free(&result);
        return 1;
    }
}

/* ------------------------------------------------------------------- throughput --- */

/* Runs `total` bare children with at most `width` in flight. Returns seconds, or -1. */
static double bare_batch(const workload *w, int total, int width)
{
    bare_run *runs = calloc((size_t)width, sizeof(bare_run));
    int *active = calloc((size_t)width, sizeof(int));
    struct pollfd *p = calloc((size_t)width * 2, sizeof(struct pollfd));
    int started = 0, done = 0, i, failed = 0;
    uint64_t start = now_ns();

    while (done < total && !failed) {
        int n = 0;
        for (i = 0; i < width && started < total; i++) {
            if (!active[i]) {
                if (bare_start(w, &runs[i]) != 0) {
                    failed = 1;
                    break;
                }
                active[i] = 1;
                started++;
            }
        }
        for (i = 0; i < width; i++) {
            if (active[i]) {
                p[n].fd = runs[i].out_fd;
                p[n++].events = POLLIN;
                p[n].fd = runs[i].err_fd;
                p[n++].events = POLLIN;
            }
        }
        if (n == 0) {
            break;
        }
        if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) {
            failed = 1;
            break;
        }
        n = 0;
        for (i = 0; i < width; i++) {
            if (!active[i]) {
                continue;
            }
            if (runs[i].out_fd >= 0 && p[n].revents) {
                bare_drain(&runs[i], &runs[i].out_fd, 0);
            }
            if (runs[i].err_fd >= 0 && p[n + 1].revents) {
                bare_drain(&runs[i], &runs[i].err_fd, 0);
            }
            n += 2;
            if (runs[i].out_fd < 0 && runs[i].err_fd < 0) {
                bare_reap(&runs[i]);
                active[i] = 0;
                done++;
            }
        }
    }
    free(runs);
    free(active);
    free(p);
    return failed ? -1.0 : (double)(now_ns() - start) / 1e9;
}

/* Runs `total` sandbox runs at `mode` with at most `width` in flight, with the
 * non-blocking API. Returns seconds, or -1 with s->error set. */
static double sandbox_batch(const options *opt, const workload *w, int mode, int total,
                            int width, series *s, uint64_t *spawn_ns, int *spawn_count)
{
    sl_sandbox_run **runs = calloc((size_t)width, sizeof(*runs));
    struct pollfd *p = calloc((size_t)width, sizeof(struct pollfd));
    int *slot_of = calloc((size_t)width, sizeof(int));
    const char *skill_argv[3];
    const char *const *argv = w->argv;
    sl_sandbox_policy policy;
    int started = 0, done = 0, i, failed = 0;
    uint64_t start;

    policy_for(&policy, mode);
    if (w->is_skill) {
        /* The same command sl_skill_run builds: the interpreter on the entry point, with
         * the skill folder as the work folder. */
        policy.work_dir = opt->skill_dir;
        skill_argv[0] = opt->python;
        skill_argv[1] = "scripts/main.py";
        skill_argv[2] = NULL;
        argv = skill_argv;
    }

    start = now_ns();
    while (done < total && !failed) {
        int n = 0;
        for (i = 0; i < width && started < total; i++) {
            if (runs[i] == NULL) {
                sl_error err;
                uint64_t t0 = now_ns();
                int rc = sl_sandbox_spawn(&policy, argv, w->input, strlen(w->input), &runs[i],
                                          &err);
                spawn_ns[(*spawn_count)++] = now_ns() - t0;
                if (rc != SL_OK) {
                    snprintf(s->error, sizeof(s->error), "%s %s spawn: %s (%s)", w->name,
                             mode_names[mode], err.message, sl_result_str(rc));
                    runs[i] = NULL;
                    failed = 1;
                    break;
                }
                started++;
            }
        }
        for (i = 0; i < width; i++) {
            if (runs[i] != NULL) {
                p[n].fd = sl_sandbox_fd(runs[i]);
                p[n].events = POLLIN;
                slot_of[n++] = i;
            }
        }
        if (failed || n == 0) {
            break;
        }
        if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) {
            failed = 1;
            break;
        }
        for (i = 0; i < n; i++) {
            sl_sandbox_run *run = runs[slot_of[i]];
            sl_error err;
            int rc;
            if (p[i].revents == 0) {
                continue;
            }
            rc = sl_sandbox_poll(run, 0, &err);
            if (rc == SL_EAGAIN) {
                continue;
            }
            if (rc == SL_OK) {
                sl_sandbox_result result;
                sl_sandbox_take_result(run, &result);
                if (!result.exited || result.exit_code != 0) {
                    snprintf(s->error, sizeof(s->error), "%s %s batch: exit %d: %.300s",
                             w->name, mode_names[mode], result.exit_code,
                             result.stderr_data ? result.stderr_data : "");
                    failed = 1;
                }
                sl_sandbox_result_free(&result);
            } else {
                snprintf(s->error, sizeof(s->error), "%s %s poll: %s (%s)", w->name,
                         mode_names[mode], err.message, sl_result_str(rc));
                failed = 1;
            }
            sl_sandbox_free(run);
            runs[slot_of[i]] = NULL;
            done++;
        }
    }
    for (i = 0; i < width; i++) {
        sl_sandbox_free(runs[i]);
    }
    free(runs);
    free(p);
    free(slot_of);
    return failed ? -1.0 : (double)(now_ns() - start) / 1e9;
}

/* ----------------------------------------------------------------------- report --- */

typedef struct workload_report {
    const workload *w;
    series s[MODE_COUNT];
    int active[MODE_COUNT];
} workload_report;

static double ms_percentile(const series *s, double q)
{
    return percentile_u64(s->wall_ns, s->count, q) / 1e6;
}

static double batch_median(const series *s, int repeats)
{
    double v[16];
    int i, n = 0;
    for (i = 0; i < repeats && i < 16; i++) {
        if (s->batch_seconds[i] > 0) {
            v[n++] = s->batch_seconds[i];
        }
    }
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n ? percentile_sorted(v, n, 50) : 0.0;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

static void print_table(const options *opt, workload_report *reps, int nrep)
{
    int i, m;
    printf("\n%-11s %-7s %8s %8s %8s %7s %8s %9s %9s %9s %9s\n", "workload", "mode",
           "p50_ms", "p95_ms", "p99_ms", "x bare", "+ms", "spaced_ms", "runs/s@1", "runs/s@c",
           "peak_MiB");
    for (i = 0; i < nrep; i++) {
        workload_report *r = &reps[i];
        for (m = 0; m < MODE_COUNT; m++) {
            series *s = &r->s[m];
            double seq_rate, conc;
            if (!r->active[m]) {
                printf("%-11s %-7s failed: %.120s\n", r->w->name, mode_names[m], s->error);
                continue;
            }
            seq_rate = s->count ? 1e3 / (percentile_u64(s->wall_ns, s->count, 50) / 1e6) : 0;
            conc = batch_median(s, opt->batch_repeats);
            printf("%-11s %-7s %8.2f %8.2f %8.2f", r->w->name, mode_names[m],
                   ms_percentile(s, 50), ms_percentile(s, 95), ms_percentile(s, 99));
            if (m == MODE_BARE || !r->active[MODE_BARE]) {
                printf(" %7s %8s", "-", "-");
            } else {
                printf(" %7.3f %8.2f", paired_ratio(s->wall_ns, r->s[0].wall_ns, s->count),
                       paired_delta_ms(s->wall_ns, r->s[0].wall_ns, s->count));
            }
            printf(" %9.2f", percentile_u64(s->spaced_ns, s->spaced_count, 50) / 1e6);
            printf(" %9.1f %9.1f", seq_rate, conc > 0 ? opt->batch / conc : 0.0);
            if (m == MODE_BARE) {
                printf(" %9s\n", "-");
            } else {
                printf(" %9.1f\n", percentile_u64(s->peak_bytes, s->count, 50) / 1048576.0);
            }
        }
    }
}

static void write_json(const options *opt, workload_report *reps, int nrep, long maxrss0,
                       long maxrss1, long rss0, long rss1, long sandbox_runs, double load0)
{
    FILE *f;
    int i, m;
    char layers[256];
    char dir[PATH_MAX];
    char *slash;

    snprintf(dir, sizeof(dir), "%s", opt->output);
    slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
        mkdir(dir, 0755);
    }
    f = fopen(opt->output, "w");
    if (f == NULL) {
        fprintf(stderr, "bench_sandbox: failed to write %s: %s\n", opt->output, strerror(errno));
        return;
    }
    fprintf(f, "{\n  \"tool\": \"benchmark/bench_sandbox.c\",\n");
    fprintf(f, "  \"version\": \"%s\",\n", sl_version_string());
    fprintf(f, "  \"runs\": %d, \"warmup\": %d, \"concurrency\": %d, \"batch\": %d, "
               "\"batch_repeats\": %d, \"spaced\": %d, \"gap_ms\": %d,\n",
            opt->runs, opt->warmup, opt->concurrency, opt->batch, opt->batch_repeats,
            opt->spaced, opt->gap_ms);
    fprintf(f, "  \"loadavg1_before\": %.2f, \"loadavg1_after\": %.2f,\n", load0, loadavg1());
    fprintf(f, "  \"host_memory\": {\"maxrss_kib_before\": %ld, \"maxrss_kib_after\": %ld, "
               "\"rss_kib_before\": %ld, \"rss_kib_after\": %ld, \"sandbox_runs\": %ld},\n",
            maxrss0, maxrss1, rss0, rss1, sandbox_runs);
    fprintf(f, "  \"workloads\": {\n");
    for (i = 0; i < nrep; i++) {
        workload_report *r = &reps[i];
        fprintf(f, "    ");
        json_string(f, r->w->name);
        fprintf(f, ": {\n      \"argv\": [");
        for (m = 0; r->w->argv[m] != NULL; m++) {
            fprintf(f, m ? ", " : "");
            json_string(f, r->w->argv[m]);
        }
        fprintf(f, "],\n");
        for (m = 0; m < MODE_COUNT; m++) {
            series *s = &r->s[m];
            fprintf(f, "      \"%s\": {", mode_names[m]);
            if (!r->active[m]) {
                fprintf(f, "\"error\": ");
                json_string(f, s->error);
                fprintf(f, "}%s\n", m + 1 < MODE_COUNT ? "," : "");
                continue;
            }
            fprintf(f, "\"n\": %d, \"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f, "
                       "\"min_ms\": %.4f, \"max_ms\": %.4f",
                    s->count, ms_percentile(s, 50), ms_percentile(s, 95), ms_percentile(s, 99),
                    ms_percentile(s, 0), ms_percentile(s, 100));
            if (m != MODE_BARE && r->active[MODE_BARE]) {
                fprintf(f, ", \"ratio_to_bare\": %.4f, \"added_ms\": %.4f",
                        paired_ratio(s->wall_ns, r->s[0].wall_ns, s->count),
                        paired_delta_ms(s->wall_ns, r->s[0].wall_ns, s->count));
            }
            fprintf(f, ", \"runs_per_s_c1\": %.2f",
                    1e3 / (percentile_u64(s->wall_ns, s->count, 50) / 1e6));
            if (s->spaced_count > 0) {
                fprintf(f, ", \"spaced_n\": %d, \"spaced_p50_ms\": %.4f, \"spaced_p95_ms\": %.4f",
                        s->spaced_count, percentile_u64(s->spaced_ns, s->spaced_count, 50) / 1e6,
                        percentile_u64(s->spaced_ns, s->spaced_count, 95) / 1e6);
            }
            if (batch_median(s, opt->batch_repeats) > 0) {
                fprintf(f, ", \"batch_s_median\": %.4f, \"runs_per_s_c%d\": %.2f",
                        batch_median(s, opt->batch_repeats), opt->concurrency,
                        opt->batch / batch_median(s, opt->batch_repeats));
            }
            if (m != MODE_BARE) {
                sl_sandbox_layers_str(s->layers, layers, sizeof(layers));
                fprintf(f, ", \"lib_wall_ms_p50\": %.4f, \"cpu_ms_p50\": %.4f, "
                           "\"peak_memory_bytes_p50\": %.0f, \"spawn_call_ms_p50\": %.4f, "
                           "\"rss_kib_before\": %ld, \"rss_kib_after\": %ld, "
                           "\"landlock_abi\": %d, \"layers\": ",
                        percentile_u64(s->lib_wall_ns, s->count, 50) / 1e6,
                        percentile_u64(s->cpu_ns, s->count, 50) / 1e6,
                        percentile_u64(s->peak_bytes, s->count, 50),
                        s->spawn_call_ns_median / 1e6, s->rss_before_kib, s->rss_after_kib,
                        s->landlock_abi);
                json_string(f, layers);
            }
            if (s->error[0] != '\0') {
                fprintf(f, ", \"batch_error\": ");
                json_string(f, s->error);
            }
            fprintf(f, "}%s\n", m + 1 < MODE_COUNT ? "," : "");
        }
        fprintf(f, "    }%s\n", i + 1 < nrep ? "," : "");
    }
    fprintf(f, "  }\n}\n");
    fclose(f);
    printf("wrote %s\n", opt->output);
}

/* ------------------------------------------------------------------------- main --- */

static int wanted(const options *opt, const char *name)
{
    const char *p = opt->only;
    size_t len = strlen(name);
    if (p == NULL) {
        return 1;
    }
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0) {
            return 1;
        }
        p += n + (end ? 1 : 0);
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_sandbox [-n RUNS] [-w WARMUP] [-c CONCURRENCY] [-b BATCH]\n"
            "                     [-s SPACED] [--gap MS]\n"
            "                     [--workload true,python,node,calculator] [-o FILE]\n"
            "                     [--skill DIR] [--python PATH] [--node PATH]\n"
            "  -n      timed rounds per workload (default 200)\n"
            "  -w      untimed rounds first (default 10)\n"
            "  -c      runs in flight in the throughput batches (default 10)\n"
            "  -b      runs per throughput batch (default 100; 3 batches per mode)\n"
            "  -s      rounds with a pause before every run (default 20)\n"
            "  --gap   that pause in ms (default 100)\n");
}

static int parse_int(const char *s, int min, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < min || v > 1000000) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int parse_args(int argc, char **argv, options *opt)
{
    int i = 1;
    while (i < argc) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = v != NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            exit(0);
        } else if (strcmp(a, "-n") == 0) {
            ok = ok && parse_int(v, 1, &opt->runs);
        } else if (strcmp(a, "-w") == 0) {
            ok = ok && parse_int(v, 0, &opt->warmup);
        } else if (strcmp(a, "-c") == 0) {
            ok = ok && parse_int(v, 1, &opt->concurrency);
        } else if (strcmp(a, "-b") == 0) {
            ok = ok && parse_int(v, 1, &opt->batch);
        } else if (strcmp(a, "-s") == 0) {
            ok = ok && parse_int(v, 0, &opt->spaced);
        } else if (strcmp(a, "--gap") == 0) {
            ok = ok && parse_int(v, 0, &opt->gap_ms);
        } else if (strcmp(a, "--workload") == 0) {
            opt->only = v;
        } else if (strcmp(a, "-o") == 0) {
            opt->output = v;
        } else if (strcmp(a, "--skill") == 0) {
            opt->skill_dir = v;
        } else if (strcmp(a, "--python") == 0) {
            opt->python = v;
        } else if (strcmp(a, "--node") == 0) {
            opt->node = v;
        } else {
            fprintf(stderr, "bench_sandbox: unknown option \"%s\"\n", a);
            usage();
            return 0;
        }
        if (!ok) {
            fprintf(stderr, "bench_sandbox: option %s needs a valid value\n", a);
            usage();
            return 0;
        }
        i += 2;
    }
    return 1;
}

static void alloc_series(series *s, int runs)
{
    size_t n = (size_t)runs;
    memset(s, 0, sizeof(*s));
    s->wall_ns = calloc(n, sizeof(uint64_t));
    s->lib_wall_ns = calloc(n, sizeof(uint64_t));
    s->peak_bytes = calloc(n, sizeof(uint64_t));
    s->cpu_ns = calloc(n, sizeof(uint64_t));
}

static void alloc_spaced(series *s, int spaced)
{
    s->spaced_ns = calloc((size_t)(spaced > 0 ? spaced : 1), sizeof(uint64_t));
}

/* Runs one workload: rotating rounds of the three modes, then the spaced runs, then the
 * throughput batches. */
static void bench_workload(const options *opt, workload_report *r, uint64_t *spawn_ns,
                           long *sandbox_runs)
{
    int round, k, m;

    for (m = 0; m < MODE_COUNT; m++) {
        r->active[m] = 1;
    }
    for (round = 0; round < opt->warmup + opt->runs; round++) {
        int record = round >= opt->warmup;
        if (round == opt->warmup) {
            for (m = 1; m < MODE_COUNT; m++) {
                r->s[m].rss_before_kib = rss_kib();
            }
        }
        for (k = 0; k < MODE_COUNT; k++) {
            m = (round + k) % MODE_COUNT;
            if (!r->active[m]) {
                continue;
            }
            if (!run_once(opt, r->w, m, &r->s[m], record, round == 0)) {
                fprintf(stderr, "bench_sandbox: %s\n", r->s[m].error);
                r->active[m] = 0;
                continue;
            }
            if (m != MODE_BARE) {
                (*sandbox_runs)++;
            }
        }
    }
    for (m = 1; m < MODE_COUNT; m++) {
        r->s[m].rss_after_kib = rss_kib();
    }

    /* Spaced runs: a host that runs a skill now and then starts each run after a pause,
     * which the back-to-back rounds above never do. Kernel state that a quick succession
     * keeps warm (for example an RCU grace period that cgroup migration waits for) shows
     * up only here. */
    for (round = 0; round < opt->spaced; round++) {
        for (k = 0; k < MODE_COUNT; k++) {
            struct timespec pause;
            series *s;
            uint64_t start;
            m = (round + k) % MODE_COUNT;
            if (!r->active[m]) {
                continue;
            }
            s = &r->s[m];
            pause.tv_sec = opt->gap_ms / 1000;
            pause.tv_nsec = (long)(opt->gap_ms % 1000) * 1000000L;
            nanosleep(&pause, NULL);
            start = now_ns();
            if (!run_once(opt, r->w, m, s, 0, 0)) {
                fprintf(stderr, "bench_sandbox: spaced run: %s\n", s->error);
                r->active[m] = 0;
                continue;
            }
            s->spaced_ns[s->spaced_count++] = now_ns() - start;
            if (m != MODE_BARE) {
                (*sandbox_runs)++;
            }
        }
    }

    /* Throughput batches, modes interleaved per repeat. */
    for (round = 0; round < opt->batch_repeats; round++) {
        for (k = 0; k < MODE_COUNT; k++) {
            double secs;
            int count = 0;
            m = (round + k) % MODE_COUNT;
            if (!r->active[m] || (round > 0 && r->s[m].batch_seconds[0] < 0)) {
                continue;
            }
            if (m == MODE_BARE) {
                secs = bare_batch(r->w, opt->batch, opt->concurrency);
            } else {
                secs = sandbox_batch(opt, r->w, m, opt->batch, opt->concurrency, &r->s[m],
                                     spawn_ns, &count);
                *sandbox_runs += count;
                if (count > 0) {
                    qsort(spawn_ns, (size_t)count, sizeof(uint64_t), cmp_u64);
                    r->s[m].spawn_call_ns_median = spawn_ns[count / 2];
                }
            }
            r->s[m].batch_seconds[round] = secs;
            if (secs < 0) {
                fprintf(stderr, "bench_sandbox: %s throughput failed: %s\n", r->w->name,
                        r->s[m].error);
            }
        }
    }
}

int main(int argc, char **argv)
{
    static char skill_abs[PATH_MAX], script[PATH_MAX + 32];
    options opt;
    workload all[4];
    workload_report reps[4];
    uint64_t *spawn_ns;
    long maxrss0, maxrss1, rss0, rss1, sandbox_runs = 0;
    double load0 = loadavg1();
    int nw = 0, nrep = 0, i;

    memset(&opt, 0, sizeof(opt));
    opt.runs = 200;
    opt.warmup = 10;
    opt.concurrency = 10;
    opt.batch = 100;
    opt.batch_repeats = 3;
    opt.spaced = 20;
    opt.gap_ms = 100;
    opt.output = "benchmark/results/sandbox.json";
    opt.skill_dir = "examples/skills/calculator";
    opt.python = "/usr/bin/python3";
    opt.node = "/usr/bin/node";
    if (!parse_args(argc, argv, &opt)) {
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (realpath(opt.skill_dir, skill_abs) == NULL) {
        fprintf(stderr, "bench_sandbox: skill folder %s: %s (the calculator workload needs "
                        "it; pass --skill DIR)\n", opt.skill_dir, strerror(errno));
        skill_abs[0] = '\0';
    }
    opt.skill_dir = skill_abs;
    snprintf(script, sizeof(script), "%s/scripts/main.py", skill_abs);

    memset(all, 0, sizeof(all));
    all[nw].name = "true";
    all[nw].argv[0] = "/bin/true";
    all[nw].input = "";
    all[nw++].expect = "";
    all[nw].name = "python";
    all[nw].argv[0] = opt.python;
    all[nw].argv[1] = "-c";
    all[nw].argv[2] = "print(1)";
    all[nw].input = "";
    all[nw++].expect = "1";
    all[nw].name = "node";
    all[nw].argv[0] = opt.node;
    all[nw].argv[1] = "-e";
    all[nw].argv[2] = "0";
    all[nw].input = "";
    all[nw++].expect = "";
    if (skill_abs[0] != '\0') {
        all[nw].name = "calculator";
        all[nw].argv[0] = opt.python;
        all[nw].argv[1] = script;
        all[nw].input = CALC_INPUT;
        all[nw].expect = "42";
        all[nw++].is_skill = 1;
    }

    /* Everything the harness itself needs is allocated before the memory baseline. */
    memset(reps, 0, sizeof(reps));
    for (i = 0; i < nw; i++) {
        int m;
        if (!wanted(&opt, all[i].name)) {
            continue;
        }
        reps[nrep].w = &all[i];
        for (m = 0; m < MODE_COUNT; m++) {
            alloc_series(&reps[nrep].s[m], opt.runs);
            alloc_spaced(&reps[nrep].s[m], opt.spaced);
        }
        nrep++;
    }
    if (nrep == 0) {
        fprintf(stderr, "bench_sandbox: no workload matches \"%s\"\n", opt.only);
        return 2;
    }
    spawn_ns = calloc((size_t)opt.batch, sizeof(uint64_t));
    maxrss0 = maxrss_kib();
    rss0 = rss_kib();

    for (i = 0; i < nrep; i++) {
        fprintf(stderr, "bench_sandbox: %s (%d warmup + %d rounds, then %d x %d runs at %d "
                        "in flight)\n",
                reps[i].w->name, opt.warmup, opt.runs, opt.batch_repeats, opt.batch,
                opt.concurrency);
        bench_workload(&opt, &reps[i], spawn_ns, &sandbox_runs);
    }

    maxrss1 = maxrss_kib();
    rss1 = rss_kib();
    print_table(&opt, reps, nrep);
    printf("\nhost: peak RSS %ld KiB before, %ld KiB after %ld sandbox runs (+%ld KiB); "
           "resident %ld -> %ld KiB\n",
           maxrss0, maxrss1, sandbox_runs, maxrss1 - maxrss0, rss0, rss1);
    write_json(&opt, reps, nrep, maxrss0, maxrss1, rss0, rss1, sandbox_runs, load0);

    for (i = 0; i < nrep; i++) {
        int m;
        for (m = 0; m < MODE_COUNT; m++) {
            free(reps[i].s[m].wall_ns);
            free(reps[i].s[m].lib_wall_ns);
            free(reps[i].s[m].peak_bytes);
            free(reps[i].s[m].cpu_ns);
            free(reps[i].s[m].spaced_ns);
        }
    }
    free(spawn_ns);
    return 0;
}
