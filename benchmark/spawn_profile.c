/* spawn_profile: where the time of one level 2 spawn goes, and paired latency runs.
 *
 * Build (from the repository root, after amalgamate.py):
 *     cc -std=c11 -O2 -I. -o build/spawn_profile benchmark/spawn_profile.c
 *
 * Usage:
 *     spawn_profile [-n RUNS] [-g] [-p] [-m MODES] [-s POOL_SIZE] [-c CONC] -- PROGRAM [ARGS]
 *   -n RUNS   paired rounds (default 200)
 *   -g        no cgroup (policy.use_cgroup = 0)
 *   -p        step breakdown: the median time of every spawn step, from marks the spawner
 *             sets when compiled with SKILLLITE_SANDBOX_PROFILE (this file defines it)
 *   -m MODES  comma list of bare, cold, pool (default bare,cold,pool)
 *   -s SIZE   pool size (default 2)
 *   -c CONC   also run RUNS runs per mode with CONC in flight at once (poll loop, no threads)
 *
 * Modes: bare = fork + exec with pipes and waitpid; cold = sl_sandbox_exec at level 2;
 * pool = sl_sandbox_pool_spawn (refill inside the spawn, as the default config does);
 * pool-idle = the same, with the refill done outside the timed part (a host that refills
 * in its idle time).
 * Every round runs each mode once, in rotating order, so drift on the machine hits all alike.
 * The program runs locally and touches no network.
 */
#define SKILLLITE_IMPLEMENTATION
#define SKILLLITE_SANDBOX_PROFILE
#include "skilllite.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { M_BARE, M_COLD, M_POOL, M_IDLE, M_COUNT };
static const char *const mode_names[M_COUNT] = {"bare", "cold", "pool", "pool-idle"};

typedef struct step {
    int slot;
    const char *name;
} step;

/* The marks in the order a run passes them. A row shows the time since the latest earlier
 * mark of either process, because the parent and the children overlap. */
static const step steps[] = {
    {SL__PF_SPAWN, "spawn entry"},
    {SL__PF_QUOTA, "output quota measure"},
    {SL__PF_RESOLVE, "resolve program (PATH walk, realpath)"},
    {SL__PF_ENV_IDS, "argv, env, ids"},
    {SL__PF_SECCOMP, "seccomp build"},
    {SL__PF_LANDLOCK, "landlock ruleset (ELF interp, rules)"},
    {SL__PF_PLAN, "mount plan + rlimits"},
    {SL__PF_PIPES, "pipes"},
    {SL__PF_I_START, "clone -> init runs"},
    {SL__PF_CLONE, "clone returns in parent"},
    {SL__PF_IDMAP, "uid/gid map writes"},
    {SL__PF_SYNC, "sync write"},
    {SL__PF_CGROUP, "cgroup create (parent, overlaps init)"},
    {SL__PF_CG_ATTACH, "cgroup attach init + 'c' (parent)"},
    {SL__PF_I_SYNC, "init wakes"},
    {SL__PF_I_STDIO, "init dup2 stdio"},
    {SL__PF_I_CG_JOIN, "init cgroup join"},
    {SL__PF_I_SOURCES, "init reopen bind sources"},
    {SL__PF_I_IDS, "init setresuid/gid"},
    {SL__PF_I_PRIVATE, "make / private (rec)"},
    {SL__PF_I_ROOT, "root tmpfs"},
    {SL__PF_I_OPS, "mount steps (see below)"},
    {SL__PF_I_USERNS, "max_user_namespaces=0"},
    {SL__PF_I_PIVOT, "pivot_root"},
    {SL__PF_I_DETACH, "detach old root"},
    {SL__PF_I_ROOT_RO, "remount / read-only"},
    {SL__PF_I_LOOPBACK, "loopback up"},
    {SL__PF_I_HOSTNAME, "sethostname"},
    {SL__PF_I_CAPS, "drop caps"},
    {SL__PF_I_DUMPABLE, "non-dumpable"},
    {SL__PF_I_CG_WAIT, "init waits for the cgroup"},
    {SL__PF_X_START, "fork payload"},
    {SL__PF_X_SETSID, "payload setsid"},
    {SL__PF_X_CHDIR, "payload chdir"},
    {SL__PF_X_NNP, "payload no_new_privs"},
    {SL__PF_X_LANDLOCK, "payload landlock rules + restrict"},
    {SL__PF_X_RLIMIT, "payload close fds + rlimits"},
    {SL__PF_X_CLOSE, "payload unblock signals"},
    {SL__PF_X_SECCOMP, "payload seccomp install"},
    {SL__PF_SETUP_DONE, "execve -> parent sees setup EOF"},
    {SL__PF_POLL_READY, "parent epoll/pidfd/timer setup"},
    {SL__PF_I_PAYLOAD_EXIT, "payload runs and exits (init sees it)"},
    {SL__PF_I_END, "init kill(-1) + reap all"},
    {SL__PF_REAPED, "init exit -> parent reaps (ns teardown)"},
    {SL__PF_CG_DESTROY, "finish + cgroup destroy"},
    {SL__PF_FINISHED, "result"},
    {SL__PF_FREED, "free run"},
};

static const char *const op_names[] = {"", "mkdir", "touch", "bind (mount + attr)", "symlink",
                                       "tmpfs", "proc", "write file", "remount ro"};

static uint64_t now_ns(void)
{
    return sl_time_now_ns();
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_us(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_u64);
    return n > 0 ? (double)v[n / 2] / 1000.0 : 0.0;
}

static double pct_us(uint64_t *v, int n, int pct)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_u64);
    return n > 0 ? (double)v[(size_t)n * (size_t)pct / 100 < (size_t)n
                                 ? (size_t)n * (size_t)pct / 100
                                 : (size_t)n - 1] / 1000.0
                 : 0.0;
}

/* fork + exec with stdin, stdout and stderr on pipes; reads the output, waits. */
static int run_bare(char *const *argv, char *const *envp)
{
    int in[2], out[2];
    char buf[4096];
    pid_t pid;
    int st;

    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(in[1]);
    while (read(out[0], buf, sizeof(buf)) > 0) {
    }
    close(out[0]);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int check_result(const char *mode, int rc, const sl_sandbox_result *res,
                        const sl_error *err)
{
    if (rc != SL_OK) {
        fprintf(stderr, "%s: %s\n", mode, err->message);
        return -1;
    }
    if (!res->exited || res->exit_code != 0) {
        fprintf(stderr, "%s: exit %d signal %d stderr %.200s\n", mode, res->exit_code,
                res->signal, res->stderr_data != NULL ? res->stderr_data : "");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 200;
    int profile = 0;
    int no_cgroup = 0;
    int pool_size = 2;
    int conc = 0;
    int want[M_COUNT] = {1, 1, 1, 1};
    const char *const *prog;
    char *bare_argv[16];
    char *bare_env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", NULL};
    char exe[PATH_MAX];
    sl_sandbox_policy pol;
    sl_sandbox_pool *pool = NULL;
    sl_sandbox_pool *idle_pool = NULL;
    const char *programs[2] = {NULL, NULL};
    sl_error err;
    uint64_t *lat[M_COUNT];
    uint64_t **marks = NULL;
    uint64_t *page = NULL;
    int i, m, opt;

    while ((opt = getopt(argc, argv, "n:gpm:s:c:")) != -1) {
        switch (opt) {
        case 'n': runs = atoi(optarg); break;
        case 'g': no_cgroup = 1; break;
        case 'p': profile = 1; break;
        case 's': pool_size = atoi(optarg); break;
        case 'c': conc = atoi(optarg); break;
        case 'm':
            memset(want, 0, sizeof(want));
            for (m = 0; m < M_COUNT; m++) {
                char name[32];
                snprintf(name, sizeof(name), ",%s,", mode_names[m]);
                char list[256];
                snprintf(list, sizeof(list), ",%s,", optarg);
                want[m] = strstr(list, name) != NULL;
            }
            break;
        default:
            fprintf(stderr, "usage: spawn_profile [-n RUNS] [-g] [-p] [-m MODES] [-s SIZE] "
                            "[-c CONC] -- PROGRAM [ARGS]\n");
            return 2;
        }
    }
    if (optind >= argc || runs < 1 || argc - optind > 14) {
        fprintf(stderr, "spawn_profile: give the program to run after --\n");
        return 2;
    }
    prog = (const char *const *)(argv + optind);
    if (realpath(prog[0], exe) == NULL) {
        fprintf(stderr, "spawn_profile: %s: %s\n", prog[0], strerror(errno));
        return 2;
    }
    bare_argv[0] = exe;
    for (i = 1; prog[i] != NULL; i++) {
        bare_argv[i] = (char *)prog[i];
    }
    bare_argv[i] = NULL;

    sl_sandbox_policy_init(&pol);
    pol.level = 2;
    pol.use_cgroup = no_cgroup ? 0 : 1;
    if (want[M_POOL] || want[M_IDLE]) {
        sl_sandbox_pool_config cfg;

        sl_sandbox_pool_config_init(&cfg);
        cfg.policy = &pol;
        cfg.size = (unsigned)pool_size;
        programs[0] = prog[0];
        cfg.programs = programs;
        if (want[M_POOL] && sl_sandbox_pool_new(&cfg, &pool, &err) != SL_OK) {
            fprintf(stderr, "pool: %s\n", err.message);
            return 1;
        }
        cfg.refill_on_spawn = 0;
        if (want[M_IDLE] && sl_sandbox_pool_new(&cfg, &idle_pool, &err) != SL_OK) {
            fprintf(stderr, "pool: %s\n", err.message);
            return 1;
        }
    }
    if (profile) {
        page = (uint64_t *)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                -1, 0);
        marks = (uint64_t **)calloc(SL__PF_SLOTS, sizeof(*marks));
        for (i = 0; i < SL__PF_SLOTS; i++) {
            marks[i] = (uint64_t *)calloc((size_t)runs, sizeof(uint64_t));
        }
    }
    for (m = 0; m < M_COUNT; m++) {
        lat[m] = (uint64_t *)calloc((size_t)runs, sizeof(uint64_t));
    }

    for (i = -5; i < runs; i++) {  /* five warm-up rounds */
        int k;

        for (k = 0; k < M_COUNT; k++) {
            int mode = (k + (i < 0 ? 0 : i)) % M_COUNT;
            sl_sandbox_result res;
            uint64_t t0;
            int rc = SL_OK;

            if (!want[mode]) {
                continue;
            }
            memset(&res, 0, sizeof(res));
            sl_error_clear(&err);
            if (mode == M_COLD && profile) {
                memset(page, 0, 4096);
                sl__prof_slots = page;
            }
            t0 = now_ns();
            if (mode == M_BARE) {
                rc = run_bare(bare_argv, bare_env);
            } else if (mode == M_COLD) {
                rc = sl_sandbox_exec(&pol, prog, NULL, 0, &res, &err);
            } else {
                sl_sandbox_run *run = NULL;

                rc = sl_sandbox_pool_spawn(mode == M_POOL ? pool : idle_pool, prog, NULL, 0,
                                           &run, &err);
                if (rc == SL_OK) {
                    rc = sl_sandbox_poll(run, -1, &err);
                    sl_sandbox_take_result(run, &res);
                    sl_sandbox_free(run);
                }
            }
            if (i >= 0) {
                lat[mode][i] = now_ns() - t0;
            }
            sl__prof_slots = NULL;
            if (mode == M_BARE ? rc != 0 : check_result(mode_names[mode], rc, &res, &err) != 0) {
                fprintf(stderr, "%s failed\n", mode_names[mode]);
                return 1;
            }
            sl_sandbox_result_free(&res);
            if (mode == M_COLD && profile && i >= 0) {
                int s;

                for (s = 0; s < SL__PF_SLOTS; s++) {
                    marks[s][i] = page[s];
                }
            }
            if (mode == M_IDLE) {
                /* The idle host: refill, and let the entry get ready before the next run. */
                sl_sandbox_pool_stats st;

                sl_sandbox_pool_refill(idle_pool, NULL);
                do {
                    struct pollfd pfd;

                    pfd.fd = sl_sandbox_pool_fd(idle_pool);
                    pfd.events = POLLIN;
                    poll(&pfd, 1, 100);
                    sl_sandbox_pool_refill(idle_pool, NULL);
                    sl_sandbox_pool_get_stats(idle_pool, &st);
                } while (st.starting > 0);
            }
        }
    }

    printf("program: %s%s, %d paired rounds, cgroup %s\n", exe, prog[1] ? " ..." : "", runs,
           no_cgroup ? "off" : "on");
    printf("%-6s %10s %10s %10s\n", "mode", "median ms", "p10 ms", "p90 ms");
    for (m = 0; m < M_COUNT; m++) {
        if (want[m]) {
            double p10 = pct_us(lat[m], runs, 10) / 1000.0;
            double p90 = pct_us(lat[m], runs, 90) / 1000.0;
            printf("%-6s %10.3f %10.3f %10.3f\n", mode_names[m], median_us(lat[m], runs) / 1000.0,
                   p10, p90);
        }
    }

    if (profile) {
        uint64_t *d = (uint64_t *)calloc((size_t)runs, sizeof(uint64_t));
        size_t s;
        int k;

        printf("\nstep breakdown, cold level 2 (median us since the latest earlier mark of "
               "either process)\n");
        for (s = 1; s < sizeof(steps) / sizeof(steps[0]); s++) {
            int n = 0;

            for (i = 0; i < runs; i++) {
                uint64_t cur = marks[steps[s].slot][i];
                uint64_t prev = 0;
                size_t j;

                /* The latest earlier mark of either process: parent and children overlap. */
                for (j = 0; j < s; j++) {
                    uint64_t t = marks[steps[j].slot][i];
                    if (t != 0 && t <= cur && t > prev) {
                        prev = t;
                    }
                }
                if (cur != 0 && prev != 0) {
                    d[n++] = cur - prev;
                }
            }
            if (n > 0) {
                printf("  %-44s %9.1f\n", steps[s].name, median_us(d, n));
            }
        }
        for (i = 0; i < runs; i++) {
            d[i] = marks[SL__PF_FREED][i] - marks[SL__PF_SPAWN][i];
        }
        printf("  %-44s %9.1f\n", "total (spawn entry -> run freed)", median_us(d, runs));
        printf("mount steps inside 'mount steps' (median us summed per kind, count):\n");
        for (k = 1; k < (int)(sizeof(op_names) / sizeof(op_names[0])); k++) {
            for (i = 0; i < runs; i++) {
                d[i] = marks[SL__PF_OP_BASE + k][i];
            }
            if (marks[SL__PF_OP_COUNT_BASE + k][0] > 0) {
                printf("  %-44s %9.1f  x%llu\n", op_names[k], median_us(d, runs),
                       (unsigned long long)marks[SL__PF_OP_COUNT_BASE + k][0]);
            }
        }
        for (i = 0; i < runs; i++) {
            d[i] = marks[SL__PF_BIND_ATTR][i];
        }
        printf("  %-44s %9.1f\n", "  of which bind attributes (mount_setattr)",
               median_us(d, runs));
        free(d);
    }

    if (conc > 0) {
        printf("\nthroughput: %d runs, %d in flight\n", runs, conc);
        for (m = M_COLD; m < M_COUNT; m++) {
            sl_sandbox_run **flight;
            int started = 0, done = 0;
            uint64_t t0;

            if (!want[m]) {
                continue;
            }
            flight = (sl_sandbox_run **)calloc((size_t)conc, sizeof(*flight));
            t0 = now_ns();
            while (done < runs) {
                struct pollfd pfd[64];
                int k, n = 0;

                for (k = 0; k < conc; k++) {
                    if (flight[k] == NULL && started < runs) {
                        int rc = m != M_COLD
                                     ? sl_sandbox_pool_spawn(m == M_POOL ? pool : idle_pool,
                                                             prog, NULL, 0, &flight[k], &err)
                                     : sl_sandbox_spawn(&pol, prog, NULL, 0, &flight[k], &err);
                        if (rc != SL_OK) {
                            fprintf(stderr, "%s: %s\n", mode_names[m], err.message);
                            return 1;
                        }
                        started++;
                    }
                }
                for (k = 0; k < conc; k++) {
                    if (flight[k] != NULL) {
                        pfd[n].fd = sl_sandbox_fd(flight[k]);
                        pfd[n].events = POLLIN;
                        n++;
                    }
                }
                if (m != M_COLD) {
                    pfd[n].fd = sl_sandbox_pool_fd(m == M_POOL ? pool : idle_pool);
                    pfd[n].events = POLLIN;
                    n++;
                }
                poll(pfd, (nfds_t)n, 100);
                if (m != M_COLD) {
                    sl_sandbox_pool_refill(m == M_POOL ? pool : idle_pool, NULL);
                }
                for (k = 0; k < conc; k++) {
                    if (flight[k] != NULL && sl_sandbox_poll(flight[k], 0, &err) == SL_OK) {
                        sl_sandbox_result res;

                        sl_sandbox_take_result(flight[k], &res);
                        if (!res.exited || res.exit_code != 0) {
                            fprintf(stderr, "%s: run failed\n", mode_names[m]);
                            return 1;
                        }
                        sl_sandbox_result_free(&res);
                        sl_sandbox_free(flight[k]);
                        flight[k] = NULL;
                        done++;
                    }
                }
            }
            printf("%-6s %8.1f ms total, %7.1f runs/s\n", mode_names[m],
                   (double)(now_ns() - t0) / 1e6, runs / ((double)(now_ns() - t0) / 1e9));
            free(flight);
        }
        {
            /* bare: fork + exec with up to conc children at once */
            int started = 0, done = 0, inflight = 0;
            uint64_t t0 = now_ns();

            while (done < runs) {
                int st;

                while (inflight < conc && started < runs) {
                    pid_t pid = fork();

                    if (pid == 0) {
                        int null = open("/dev/null", O_RDWR);
                        dup2(null, 0);
                        dup2(null, 1);
                        dup2(null, 2);
                        execve(bare_argv[0], bare_argv, bare_env);
                        _exit(127);
                    }
                    started++;
                    inflight++;
                }
                if (wait(&st) > 0) {
                    done++;
                    inflight--;
                }
            }
            printf("%-6s %8.1f ms total, %7.1f runs/s\n", "bare",
                   (double)(now_ns() - t0) / 1e6, runs / ((double)(now_ns() - t0) / 1e9));
        }
    }
    if (pool != NULL || idle_pool != NULL) {
        sl_sandbox_pool_stats st;

        sl_sandbox_pool_get_stats(pool != NULL ? pool : idle_pool, &st);
        printf("\npool: %llu pooled runs, %llu cold fallbacks, %llu entries started, "
               "%llu lost\n", (unsigned long long)st.pooled_runs,
               (unsigned long long)st.cold_runs, (unsigned long long)st.entries_started,
               (unsigned long long)st.entries_lost);
    }
    sl_sandbox_pool_free(pool);
    sl_sandbox_pool_free(idle_pool);
    return 0;
}
