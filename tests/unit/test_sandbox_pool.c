/* Warm pool tests: pooled runs must look exactly like cold level 2 runs from inside, every
 * entry serves one run, and freeing the pool leaves no process and no cgroup behind.
 * Tests that need user namespaces skip with the reason (a failure under
 * SKILLLITE_TEST_MUST_WORK=1). */
#define _GNU_SOURCE 1
#include "skilllite.h"
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define POOL_REQUIRE_OK(call)                                                       \
    do {                                                                            \
        int rc_ = (call);                                                           \
        if (rc_ != SL_OK) {                                                         \
            sl_test_fail(__FILE__, __LINE__, "%s == %d (%s: %s)", #call, rc_,       \
                         e.stage, e.message);                                       \
            return;                                                                 \
        }                                                                           \
    } while (0)

static int pool_level2_ready(char *reason, size_t size)
{
    sl_sandbox_support s;
    unsigned need = SL_LAYER_USERNS | SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_NETNS;

    if (sl_sandbox_probe(&s, NULL) != SL_OK || (s.available & need) != need) {
        snprintf(reason, size, "namespaces unavailable: %s", s.reasons[0]);
        return 0;
    }
    return 1;
}

#define POOL_NEED_LEVEL2()                                                          \
    do {                                                                            \
        char reason_[200];                                                          \
        if (!pool_level2_ready(reason_, sizeof(reason_))) {                         \
            SKIP(reason_);                                                          \
        }                                                                           \
    } while (0)

static void pool_policy(sl_sandbox_policy *p)
{
    sl_sandbox_policy_init(p);
    p->timeout_ms = 10000;
    p->waive_layers = SL_LAYER_CGROUP;
}

static int pool_make(const sl_sandbox_policy *p, unsigned size, sl_sandbox_pool **pool,
                     sl_error *e)
{
    sl_sandbox_pool_config c;

    sl_sandbox_pool_config_init(&c);
    c.policy = p;
    c.size = size;
    return sl_sandbox_pool_new(&c, pool, e);
}

/* One pooled run to the end. */
static int pool_exec(sl_sandbox_pool *pool, const char *const *argv, const char *input,
                     sl_sandbox_result *r, sl_error *e)
{
    sl_sandbox_run *run;
    int rc;

    memset(r, 0, sizeof(*r));
    rc = sl_sandbox_pool_spawn(pool, argv, input, input != NULL ? strlen(input) : 0, &run, e);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_sandbox_poll(run, -1, e);
    if (rc == SL_OK) {
        rc = sl_sandbox_take_result(run, r);
    }
    sl_sandbox_free(run);
    return rc;
}

static int pool_sh(sl_sandbox_pool *pool, const char *script, sl_sandbox_result *r,
                   sl_error *e)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};

    return pool_exec(pool, argv, NULL, r, e);
}

/* Counts this process's children, from the parent pid in /proc/N/stat. */
static int pool_count_children(void)
{
    DIR *d = opendir("/proc");
    struct dirent *ent;
    int count = 0;

    while (d != NULL && (ent = readdir(d)) != NULL) {
        char path[300];
        char buf[512];
        char *close_paren;
        FILE *f;
        int ppid = 0;

        if (ent->d_name[0] < '0' || ent->d_name[0] > '9') {
            continue;
        }
        snprintf(path, sizeof(path), "/proc/%s/stat", ent->d_name);
        f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        if (fgets(buf, sizeof(buf), f) != NULL && (close_paren = strrchr(buf, ')')) != NULL &&
            sscanf(close_paren + 1, " %*c %d", &ppid) == 1 && ppid == (int)getpid()) {
            count++;
        }
        fclose(f);
    }
    if (d != NULL) {
        closedir(d);
    }
    return count;
}

/* Counts the v1 run cgroups this process created: their names carry its pid. */
static int pool_count_cgroups(void)
{
    static const char *const dirs[] = {"/sys/fs/cgroup/memory/skilllite",
                                       "/sys/fs/cgroup/pids/skilllite"};
    char prefix[64];
    int count = 0;
    size_t i;

    snprintf(prefix, sizeof(prefix), "run-%d-", (int)getpid());
    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *ent;

        while (d != NULL && (ent = readdir(d)) != NULL) {
            count += strncmp(ent->d_name, prefix, strlen(prefix)) == 0;
        }
        if (d != NULL) {
            closedir(d);
        }
    }
    return count;
}

TEST(sandbox_pool_config_errors)
{
    sl_sandbox_pool_config c;
    sl_sandbox_policy p;
    sl_sandbox_pool *pool = (sl_sandbox_pool *)&c;
    sl_error e;

    sl_sandbox_pool_config_init(&c);
    CHECK(c.policy == NULL);
    CHECK_INT((int)c.size, 2);
    CHECK_INT(c.refill_on_spawn, 1);
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_EINVAL);
    CHECK(pool == NULL);
    CHECK_INT(sl_sandbox_pool_new(NULL, &pool, NULL), SL_EINVAL);

    pool_policy(&p);
    c.policy = &p;
    p.level = 1;
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
    CHECK_STR(e.message, "pool policy level 1 has no sandbox to prepare; use level 2 or 3, "
                         "or sl_sandbox_spawn for level 1");
    p.level = 2;
    c.size = 0;
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
    CHECK_STR(e.message, "pool size 0 is invalid; use 1 to 64 (default 2)");
    c.size = 65;
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
    c.size = 1;
    c.refill_on_spawn = 2;
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
    CHECK_STR(e.message, "pool refill_on_spawn 2 is invalid; use 0 or 1");
    c.refill_on_spawn = 1;
    p.timeout_ms = 0;
    CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
    p.timeout_ms = 10000;
    {
        const char *const programs[] = {"sl-no-such-program-xyz", NULL};
        c.programs = programs;
        CHECK_INT(sl_sandbox_pool_new(&c, &pool, &e), SL_ESANDBOX_POLICY);
        CHECK(strstr(e.message, "sl-no-such-program-xyz") != NULL);
        c.programs = NULL;
    }
    CHECK(pool == NULL);

    /* NULL pools are accepted where the API says so. */
    sl_sandbox_pool_free(NULL);
    CHECK_INT(sl_sandbox_pool_refill(NULL, NULL), SL_OK);
    CHECK_INT(sl_sandbox_pool_fd(NULL), -1);
    CHECK_INT(sl_sandbox_pool_spawn(NULL, NULL, NULL, 0, NULL, &e), SL_EINVAL);
}

/* The same probe script gives the same output in a pooled run and in a cold run. */
TEST(sandbox_pool_isolation_matches_cold)
{
    static const char script[] =
        "cat /etc/shadow >/dev/null 2>&1 && echo shadow=readable || echo shadow=denied\n"
        "test -e /root && echo root=present || echo root=absent\n"
        "(echo x > /usr/sl-probe) 2>/dev/null && echo usr=writable || echo usr=readonly\n"
        "echo x > /tmp/ok && echo tmp=writable\n"
        "echo uid=$(id -u) host=$(hostname) pwd=$(pwd)\n"
        "grep -E '^(Cap(Eff|Prm|Bnd)|NoNewPrivs|Seccomp):' /proc/self/status\n"
        "ls /proc > /tmp/pids; grep -cE '^[0-9]+$' /tmp/pids\n"
        "ls /proc/self/fd | tr '\\n' ' '; echo\n"
        "ls /dev | tr '\\n' ' '; echo\n"
        "echo cgroups=$(grep -c ':/skilllite' /proc/self/cgroup)\n";
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result cold;
    sl_sandbox_result warm;
    sl_sandbox_pool_stats st;
    sl_error e;

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.ready, 1);
    CHECK_INT((int)st.starting, 0);
    POOL_REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &cold, &e));
    POOL_REQUIRE_OK(pool_exec(pool, argv, NULL, &warm, &e));
    REQUIRE(cold.stdout_data != NULL && warm.stdout_data != NULL);
    CHECK_STR(warm.stdout_data, cold.stdout_data);
    CHECK(strstr(warm.stdout_data, "shadow=denied\nroot=absent\nusr=readonly\n"
                                   "tmp=writable\n") != NULL);
    CHECK(strstr(warm.stdout_data, "NoNewPrivs:\t1\nSeccomp:\t2\n") != NULL);
    CHECK(strstr(warm.stdout_data, "\n0 1 2 3 \n") != NULL);
    CHECK_STR(warm.stderr_data, "");
    CHECK_INT(warm.exit_code, 0);
    CHECK_INT(warm.exited, 1);
    CHECK_INT((int)warm.layers, (int)cold.layers);
    if (warm.layers & SL_LAYER_CGROUP) {
        /* v1: the memory and pids hierarchies both show the run's own cgroup */
        CHECK(strstr(warm.stdout_data, "\ncgroups=2\n") != NULL);
    }
    CHECK_INT(warm.landlock_abi, cold.landlock_abi);
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.pooled_runs, 1);
    CHECK_INT((int)st.cold_runs, 0);
    sl_sandbox_result_free(&cold);
    sl_sandbox_result_free(&warm);
    sl_sandbox_pool_free(pool);
}

/* A file that run 1 leaves in /tmp and /dev/shm, and a process it leaves behind, are gone in
 * run 2: every entry is used once. */
TEST(sandbox_pool_entries_are_single_use)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_sandbox_pool_stats st;
    sl_error e;
    int i;

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    POOL_REQUIRE_OK(pool_make(&p, 2, &pool, &e));
    for (i = 0; i < 3; i++) {
        POOL_REQUIRE_OK(pool_sh(pool,
                                "ls /tmp /dev/shm | tr '\\n' ' '; echo; "
                                "ls /proc > /tmp/pids; grep -cE '^[0-9]+$' /tmp/pids; "
                                "echo left > /tmp/left; echo left > /dev/shm/left; "
                                "(sleep 30 &) ; true", &r, &e));
        /* Only the shell and its `ls` may be listed: `ls` writes to a file rather than a
         * pipe so that no concurrently started `grep` is counted. */
        CHECK_STR(r.stdout_data, "/dev/shm:  /tmp: \n2\n");
        CHECK_INT(r.exit_code, 0);
        sl_sandbox_result_free(&r);
    }
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.pooled_runs, 3);
    CHECK_INT((int)st.cold_runs, 0);
    CHECK(st.entries_started >= 4);
    sl_sandbox_pool_free(pool);
}

/* stdin reaches the payload, and argv and the environment are the run's own. */
TEST(sandbox_pool_input_argv_env)
{
    const char *argv[] = {"/bin/sh", "-c", "cat; echo \"[$1][$2]\"; env | sort | tr '\\n' ' '",
                          "sh", "a b", "", NULL};
    const char *const env_set[] = {"SL_POOL_TEST=yes", NULL};
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_error e;

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    p.env_set = env_set;
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    POOL_REQUIRE_OK(pool_exec(pool, argv, "{\"x\": 1}\n", &r, &e));
    CHECK_STR(r.stdout_data, "{\"x\": 1}\n[a b][]\nHOME=/tmp LANG=C.UTF-8 "
                             "PATH=/usr/local/bin:/usr/bin:/bin PWD=/tmp SL_POOL_TEST=yes "
                             "TMPDIR=/tmp ");
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_free(pool);
}

/* The network namespace of an entry is empty: the host's loopback listener is unreachable,
 * and loopback works inside as in a cold run. */
TEST(sandbox_pool_network_is_private)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_sandbox_result cold;
    sl_error e;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    char script[1024];
    int s;

    POOL_NEED_LEVEL2();
    if (access("/usr/bin/python3", X_OK) != 0) {
        SKIP("/usr/bin/python3 not found");
    }
    s = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(s >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(s, 1) == 0);
    REQUIRE(getsockname(s, (struct sockaddr *)&a, &len) == 0);
    snprintf(script, sizeof(script),
             "import socket\n"
             "c = socket.socket(); c.settimeout(2)\n"
             "try:\n    c.connect(('127.0.0.1', %d)); print('host=reached')\n"
             "except OSError as e: print('host=%%d' %% e.errno)\n"
             "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
             "v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
             "v.sendto(b'ping', u.getsockname()); print('udp=' + u.recv(4).decode())\n",
             (int)ntohs(a.sin_port));
    pool_policy(&p);
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    {
        const char *argv[] = {"/usr/bin/python3", "-c", script, NULL};
        POOL_REQUIRE_OK(pool_exec(pool, argv, NULL, &r, &e));
        POOL_REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &cold, &e));
    }
    REQUIRE(r.stdout_data != NULL && cold.stdout_data != NULL);
    CHECK(strncmp(r.stdout_data, "host=reached", 12) != 0);
    CHECK_STR(r.stdout_data, cold.stdout_data);
    CHECK(strstr(r.stdout_data, "udp=ping\n") != NULL);
    CHECK_INT(r.layers & SL_LAYER_NETNS, SL_LAYER_NETNS);
    sl_sandbox_result_free(&r);
    sl_sandbox_result_free(&cold);
    sl_sandbox_pool_free(pool);
    close(s);
}

/* Limits end pooled runs as they end cold ones. */
TEST(sandbox_pool_timeout_and_output_cap)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_error e;

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    p.timeout_ms = 400;
    p.stdout_max = 10;
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    POOL_REQUIRE_OK(pool_sh(pool, "sleep 10 & sleep 10", &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_TIMEOUT);
    CHECK_INT(r.exited, 0);
    CHECK_INT(r.signal, SIGKILL);
    CHECK(r.wall_ns >= 400000000u);
    CHECK(r.wall_ns < 1500000000u);
    sl_sandbox_result_free(&r);

    POOL_REQUIRE_OK(pool_sh(pool, "echo 0123456789abcdef", &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_MEM(r.stdout_data, r.stdout_len, "0123456789");
    CHECK_INT(r.stdout_truncated, 1);
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_free(pool);

    p.kill_on_output_limit = 1;
    p.timeout_ms = 10000;
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    POOL_REQUIRE_OK(pool_sh(pool, "while :; do echo 0123456789; done", &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_OUTPUT);
    CHECK_INT(r.stdout_truncated, 1);
    CHECK_INT((int)r.stdout_len, 10);
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_free(pool);
}

/* Creates a temporary folder that a root caller's payload (nobody) may write, or leaves
 * `tmpl` empty. */
static void pool_make_dir(char *tmpl)
{
    if (mkdtemp(tmpl) == NULL || chmod(tmpl, 0777) != 0) {
        tmpl[0] = '\0';
    }
}

/* Returns the size of dir/name, or -1 when it does not exist. */
static long long pool_file_size(const char *dir, const char *name)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return lstat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Reads dir/name into `buf` (NUL-terminated); returns the length or -1. */
static long pool_read_file(const char *dir, const char *name, char *buf, size_t size)
{
    char path[512];
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (long)n;
}

/* Removes the files and the one folder level that the output tests create. */
static void pool_remove_out(const char *dir)
{
    static const char *const names[] = {"x", "sub/y", "sub", "big", NULL};
    char path[512];
    size_t i;

    for (i = 0; names[i] != NULL; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (unlink(path) != 0) {
            rmdir(path);
        }
    }
    rmdir(dir);
}

/* A template with output_dir: every pooled run gets its own empty /output tmpfs, the host
 * folder receives what the run wrote, and the quota holds as in a cold run. */
TEST(sandbox_pool_output_dir)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_sandbox_pool_stats st;
    sl_error e;
    char out[] = "/tmp/sl-pool-out-XXXXXX";
    char buf[64];

    POOL_NEED_LEVEL2();
    pool_make_dir(out);
    REQUIRE(out[0] != '\0');
    pool_policy(&p);
    p.output_dir = out;
    p.output_quota_bytes = 1u << 20;
    POOL_REQUIRE_OK(pool_make(&p, 2, &pool, &e));

    POOL_REQUIRE_OK(pool_sh(pool, "ls -A /output | wc -l; printf hello > /output/x; "
                                  "mkdir /output/sub && printf abc > /output/sub/y",
                            &r, &e));
    CHECK_STR(r.stdout_data, "0\n");
    CHECK_STR(r.stderr_data, "");
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_INT((int)r.output_bytes_written, 8);
    CHECK_INT((int)r.output_files_written, 2);
    CHECK_INT((int)r.output_entries_skipped, 0);
    CHECK_INT((int)pool_read_file(out, "x", buf, sizeof(buf)), 5);
    CHECK_STR(buf, "hello");
    CHECK_INT((int)pool_read_file(out, "sub/y", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "abc");
    sl_sandbox_result_free(&r);

    /* The next entry starts empty again, and a stream past the quota fails inside with
       ENOSPC while the host receives exactly the tmpfs's 1 MiB. */
    POOL_REQUIRE_OK(pool_sh(pool, "ls -A /output | wc -l; "
                                  "head -c 3000000 /dev/zero > /output/big; echo status $?",
                            &r, &e));
    CHECK_STR(r.stdout_data, "0\nstatus 1\n");
    CHECK(r.stderr_data != NULL && strstr(r.stderr_data, "No space left on device") != NULL);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT((int)pool_file_size(out, "big"), 1 << 20);
    CHECK_INT((int)r.output_bytes_written, 1 << 20);
    CHECK_INT((int)r.output_files_written, 1);
    CHECK_INT((int)pool_file_size(out, "x"), 5);
    sl_sandbox_result_free(&r);

    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.pooled_runs, 2);
    CHECK_INT((int)st.cold_runs, 0);
    CHECK_INT((int)st.entries_lost, 0);
    sl_sandbox_pool_free(pool);
    pool_remove_out(out);
}

/* sl_sandbox_pool_spawn returns before the payload's execve: a run killed at once ends as
 * killed, and one that goes on reads the input written before its execve. */
TEST(sandbox_pool_spawn_does_not_wait_for_exec)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_run *run = NULL;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-pool-kill-XXXXXX";
    const char *sleeper[] = {"/bin/sleep", "10", NULL};
    const char *cat[] = {"/bin/cat", NULL};

    POOL_NEED_LEVEL2();
    pool_make_dir(out);
    REQUIRE(out[0] != '\0');
    pool_policy(&p);
    p.output_dir = out;
    POOL_REQUIRE_OK(pool_make(&p, 2, &pool, &e));
    CHECK_INT(sl_sandbox_pool_spawn(pool, sleeper, NULL, 0, &run, &e), SL_OK);
    REQUIRE(run != NULL);
    sl_sandbox_kill(run);
    CHECK_INT(sl_sandbox_poll(run, 5000, &e), SL_OK);
    REQUIRE(sl_sandbox_take_result(run, &r) == SL_OK);
    CHECK_INT(r.limit, SL_LIMIT_KILLED);
    CHECK_INT(r.exited, 0);
    CHECK_INT(r.signal, SIGKILL);
    sl_sandbox_result_free(&r);
    sl_sandbox_free(run);
    run = NULL;
    POOL_REQUIRE_OK(pool_exec(pool, cat, "before exec", &r, &e));
    CHECK_STR(r.stdout_data, "before exec");
    CHECK_INT(r.exit_code, 0);
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_free(pool);
    pool_remove_out(out);
}

/* A program the entries cannot see runs cold; a missing one fails like a cold spawn; an
 * exec failure inside an entry names the stage. */
TEST(sandbox_pool_fallback_and_errors)
{
    const char *missing[] = {"sl-no-such-program-xyz", NULL};
    const char *not_exec[] = {"/etc/hostname", NULL}; /* outside the entries: runs cold */
    const char *a_dir[] = {"/usr/bin/.", NULL};       /* inside them: fails in the entry */
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_run *run = NULL;
    sl_sandbox_result r;
    sl_sandbox_pool_stats st;
    sl_error e;
    char dir[] = "/tmp/sl-pool-XXXXXX";
    char prog[64];
    FILE *f;

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    CHECK_INT(sl_sandbox_pool_spawn(pool, missing, NULL, 0, &run, &e), SL_ESANDBOX_EXEC);
    CHECK(run == NULL);
    /* The cold spawn returns before the payload's execve: its poll reports the failure. */
    CHECK_INT(sl_sandbox_pool_spawn(pool, not_exec, NULL, 0, &run, &e), SL_OK);
    REQUIRE(run != NULL);
    CHECK_INT(sl_sandbox_poll(run, -1, &e), SL_ESANDBOX_EXEC);
    CHECK_STR(e.stage, "execve");
    CHECK(strstr(e.message, "sandbox setup failed at execve \"/etc/hostname\"") != NULL);
    CHECK_INT(sl_sandbox_take_result(run, &r), SL_ESTATE);
    sl_sandbox_free(run);
    run = NULL;
    /* A pooled run returns once the entry has the request: its poll reports the failure. */
    CHECK_INT(sl_sandbox_pool_spawn(pool, a_dir, NULL, 0, &run, &e), SL_OK);
    REQUIRE(run != NULL);
    CHECK_INT(sl_sandbox_poll(run, -1, &e), SL_ESANDBOX_EXEC);
    CHECK_STR(e.stage, "execve");
    CHECK_STR(e.message, "sandbox setup failed at execve \"/usr/bin\": Permission denied");
    CHECK_INT(sl_sandbox_poll(run, 0, &e), SL_ESANDBOX_EXEC);
    CHECK_INT(sl_sandbox_take_result(run, &r), SL_ESTATE);
    sl_sandbox_free(run);
    run = NULL;
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.cold_runs, 1);
    CHECK_INT((int)st.pooled_runs, 1); /* the entry took the /usr/bin/. run */

    /* A script outside the system folders: its folder is not in the entries. */
    REQUIRE(mkdtemp(dir) != NULL);
    REQUIRE(chmod(dir, 0755) == 0); /* a root caller's payload runs as nobody */
    snprintf(prog, sizeof(prog), "%s/hello", dir);
    f = fopen(prog, "w");
    REQUIRE(f != NULL);
    fputs("#!/bin/sh\necho hello\n", f);
    fclose(f);
    REQUIRE(chmod(prog, 0755) == 0);
    {
        const char *argv[] = {prog, NULL};
        POOL_REQUIRE_OK(pool_exec(pool, argv, NULL, &r, &e));
    }
    CHECK_STR(r.stdout_data, "hello\n");
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)st.cold_runs, 2);
    sl_sandbox_pool_free(pool);

    /* Named in `programs`, the same script runs pooled. */
    {
        sl_sandbox_pool_config c;
        const char *const programs[] = {prog, NULL};
        const char *argv[] = {prog, NULL};

        sl_sandbox_pool_config_init(&c);
        c.policy = &p;
        c.size = 1;
        c.programs = programs;
        POOL_REQUIRE_OK(sl_sandbox_pool_new(&c, &pool, &e));
        POOL_REQUIRE_OK(pool_exec(pool, argv, NULL, &r, &e));
        CHECK_STR(r.stdout_data, "hello\n");
        sl_sandbox_result_free(&r);
        sl_sandbox_pool_get_stats(pool, &st);
        CHECK_INT((int)st.cold_runs, 0);
        CHECK_INT((int)st.pooled_runs, 1);
        sl_sandbox_pool_free(pool);
    }
    unlink(prog);
    rmdir(dir);
}

/* Freeing the pool kills and reaps its entries and removes their cgroups; a killed idle entry
 * is noticed and replaced. */
TEST(sandbox_pool_free_leaves_nothing)
{
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_pool_stats st;
    sl_sandbox_result r;
    sl_error e;
    int children_before = pool_count_children();
    int cgroups_before = pool_count_cgroups();

    POOL_NEED_LEVEL2();
    pool_policy(&p);
    POOL_REQUIRE_OK(pool_make(&p, 3, &pool, &e));
    CHECK_INT(pool_count_children(), children_before + 3);
    CHECK(sl_sandbox_pool_fd(pool) >= 0);
    POOL_REQUIRE_OK(pool_sh(pool, "true", &r, &e));
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_get_stats(pool, &st);
    CHECK_INT((int)(st.ready + st.starting), 3);
    sl_sandbox_pool_free(pool);
    CHECK_INT(pool_count_children(), children_before);
    CHECK_INT(pool_count_cgroups(), cgroups_before);
}

/* A host with more fds open than the run's RLIMIT_NOFILE: the limit applies to the payload
 * only, after the host's fds are closed, so the setup steps before it still get fds. */
TEST(sandbox_many_host_fds_small_nofile)
{
    const char *argv[] = {"/bin/sh", "-c", "ls /proc/self/fd | tr '\\n' ' '; ulimit -n", NULL};
    sl_sandbox_policy p;
    sl_sandbox_pool *pool;
    sl_sandbox_result r;
    sl_error e;
    int fds[300];
    int opened = 0;
    int i;

    POOL_NEED_LEVEL2();
    while (opened < 300 && (fds[opened] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
        opened++;
    }
    pool_policy(&p);
    p.max_open_files = 64;
    POOL_REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_STR(r.stdout_data, "0 1 2 3 64\n");
    sl_sandbox_result_free(&r);
    POOL_REQUIRE_OK(pool_make(&p, 1, &pool, &e));
    POOL_REQUIRE_OK(pool_exec(pool, argv, NULL, &r, &e));
    CHECK_STR(r.stdout_data, "0 1 2 3 64\n");
    sl_sandbox_result_free(&r);
    sl_sandbox_pool_free(pool);
    for (i = 0; i < opened; i++) {
        close(fds[i]);
    }
    CHECK_INT(opened, 300);
}
