/* Sandbox tests: real runs of /bin/sh, python3, node and bash under levels 1 and 2.
 * Tests that need user namespaces, a cgroup or an interpreter probe for it and skip with
 * the reason (a failure under SKILLLITE_TEST_MUST_WORK=1). */
#define _GNU_SOURCE 1
#include "skilllite.h"
#include "test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Like REQUIRE(call == SL_OK), and prints the error report on failure. */
#define REQUIRE_OK(call)                                                            \
    do {                                                                            \
        int rc_ = (call);                                                           \
        if (rc_ != SL_OK) {                                                         \
            sl_test_fail(__FILE__, __LINE__, "%s == %d (%s: %s)", #call, rc_,       \
                         e.stage, e.message);                                       \
            return;                                                                 \
        }                                                                           \
    } while (0)

/* Returns 1 when level 2 can run here; otherwise fills `reason`. */
static int level2_ready(char *reason, size_t size)
{
    sl_sandbox_support s;
    unsigned need = SL_LAYER_USERNS | SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_NETNS;

    if (sl_sandbox_probe(&s, NULL) != SL_OK) {
        snprintf(reason, size, "sl_sandbox_probe failed");
        return 0;
    }
    if ((s.available & need) != need) {
        snprintf(reason, size, "namespaces unavailable: %s", s.reasons[0]);
        return 0;
    }
    return 1;
}

#define NEED_LEVEL2()                                                               \
    do {                                                                            \
        char reason_[200];                                                             \
        if (!level2_ready(reason_, sizeof(reason_))) {                                    \
            SKIP(reason_);                                                             \
        }                                                                           \
    } while (0)

/* A level 2 policy that runs on machines without a usable cgroup too. */
static void policy_level(sl_sandbox_policy *p, int level)
{
    sl_sandbox_policy_init(p);
    p->level = level;
    p->timeout_ms = 10000;
    p->waive_layers = SL_LAYER_CGROUP;
}

static int run_sh(const sl_sandbox_policy *p, const char *script, const char *input,
                  sl_sandbox_result *r, sl_error *e)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};

    return sl_sandbox_exec(p, argv, input, input != NULL ? strlen(input) : 0, r, e);
}

/* Returns 1 when `name` resolves on PATH to a binary (not only a shim script). */
static int have_program(const char *name)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    const char *argv[] = {name, "--version", NULL};
    int rc;

    policy_level(&p, 1);
    rc = sl_sandbox_exec(&p, argv, NULL, 0, &r, NULL);
    sl_sandbox_result_free(&r);
    return rc == SL_OK;
}

/* Makes a host folder the sandbox user can write into; `tmpl` is "" on failure. */
static void make_dir(char *tmpl)
{
    if (mkdtemp(tmpl) == NULL) {
        tmpl[0] = '\0';
        return;
    }
    chmod(tmpl, 0777);
}

static unsigned sandbox_uid(void)
{
    return geteuid() == 0 ? 65534u : (unsigned)geteuid();
}

TEST(sandbox_names_and_defaults)
{
    sl_sandbox_policy p;
    char buf[64];

    CHECK_STR(sl_sandbox_layer_name(SL_LAYER_SECCOMP), "seccomp");
    CHECK_STR(sl_sandbox_layer_name(SL_LAYER_SCAN), "scan");
    CHECK_STR(sl_sandbox_layer_name(3), "unknown");
    CHECK_STR(sl_sandbox_layers_str(SL_LAYER_USERNS | SL_LAYER_CGROUP, buf, sizeof(buf)),
              "userns cgroup");
    CHECK_STR(sl_sandbox_layers_str(SL_LAYER_USERNS | SL_LAYER_CGROUP, buf, 10), "userns");
    CHECK_STR(sl_sandbox_limit_name(SL_LIMIT_FILE_SIZE), "file_size");
    CHECK_STR(sl_sandbox_limit_name(99), "unknown");
    sl_sandbox_policy_init(&p);
    CHECK_INT(p.level, 2);
    CHECK_INT(p.timeout_ms, 30000);
    CHECK_INT(p.memory_bytes, 512u << 20);
    CHECK_INT(p.stdout_max, 1u << 20);
    CHECK_INT(p.uid, -1);
    CHECK_INT(p.waive_layers, 0);
    CHECK_INT(p.output_quota_bytes, 64u << 20);
    CHECK_INT(p.use_cgroup, 1);
    CHECK_INT(p.network, 0);
}

/* Sets one policy field to an invalid value. */
typedef void (*policy_edit_fn)(sl_sandbox_policy *p);

static void edit_level_4(sl_sandbox_policy *p) { p->level = 4; }
static void edit_timeout_0(sl_sandbox_policy *p) { p->timeout_ms = 0; }
static void edit_cpu_0(sl_sandbox_policy *p) { p->cpu_seconds = 0; }
static void edit_memory_small(sl_sandbox_policy *p) { p->memory_bytes = 4096; }
static void edit_processes_0(sl_sandbox_policy *p) { p->max_processes = 0; }
static void edit_open_files_3(sl_sandbox_policy *p) { p->max_open_files = 3; }
static void edit_file_bytes_0(sl_sandbox_policy *p) { p->max_file_bytes = 0; }
static void edit_tmpfs_0(sl_sandbox_policy *p) { p->tmpfs_bytes = 0; }
static void edit_stdout_0(sl_sandbox_policy *p) { p->stdout_max = 0; }
static void edit_stderr_big(sl_sandbox_policy *p) { p->stderr_max = ((size_t)1 << 30) + 1; }
static void edit_quota_0(sl_sandbox_policy *p) { p->output_quota_bytes = 0; }
static void edit_network_2(sl_sandbox_policy *p) { p->network = 2; }
static void edit_cgroup_2(sl_sandbox_policy *p) { p->use_cgroup = 2; }
static void edit_uid_minus_2(sl_sandbox_policy *p) { p->uid = -2; }
static void edit_waive_userns(sl_sandbox_policy *p) { p->waive_layers = SL_LAYER_USERNS; }

static void edit_domains(sl_sandbox_policy *p)
{
    static const char *const domains[] = {"example.com", NULL};

    p->allowed_domains = domains;
}

TEST(sandbox_policy_range_errors)
{
    static const struct {
        policy_edit_fn edit;
        const char *message;
    } cases[] = {
        {edit_level_4, "policy level 4 is invalid; use 1, 2 or 3"},
        {edit_timeout_0, "policy timeout_ms is 0; set a wall-clock limit of 1 ms or more "
                         "(default 30000)"},
        {edit_cpu_0, "policy cpu_seconds is 0; set 1 or more (default 30)"},
        {edit_memory_small, "policy memory_bytes 4096 is too small; set 1048576 (1 MiB) or "
                            "more (default 512 MiB)"},
        {edit_processes_0, "policy max_processes is 0; set 1 or more (default 64)"},
        {edit_open_files_3, "policy max_open_files 3 is invalid; use 4 to 1048576 "
                            "(default 256)"},
        {edit_file_bytes_0, "policy max_file_bytes is 0; set 1 or more (default 64 MiB)"},
        {edit_tmpfs_0, "policy tmpfs_bytes is 0, which tmpfs reads as unlimited; set 1 or "
                       "more (default 64 MiB)"},
        {edit_stdout_0, "policy stdout_max 0 is invalid; use 1 to 1073741824 (1 GiB; "
                        "default 1 MiB)"},
        {edit_stderr_big, "policy stderr_max 1073741825 is invalid; use 1 to 1073741824 "
                          "(1 GiB; default 1 MiB)"},
        {edit_quota_0, "policy output_quota_bytes is 0; set 1 or more (default 64 MiB)"},
        {edit_network_2, "policy network 2 is invalid; use 0 or 1"},
        {edit_domains, "policy allowed_domains is set, but the domain allowlist is not "
                       "implemented yet; leave it NULL, and use network = 1 to share the "
                       "host network"},
        {edit_cgroup_2, "policy use_cgroup 2 is invalid; use 0 or 1"},
        {edit_uid_minus_2, "policy uid/gid -2/-1 is invalid; use -1 (the default identity) "
                           "or an id from 1 to 4294967294"},
        {edit_waive_userns, "policy waive_layers 0x1 is invalid; only SL_LAYER_SECCOMP, "
                            "SL_LAYER_LANDLOCK and SL_LAYER_CGROUP (0x1c0) can be waived"},
    };
    const char *argv[] = {"/bin/true", NULL};
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sl_sandbox_policy p;
        sl_sandbox_result r;
        sl_sandbox_run *run = (sl_sandbox_run *)(void *)&p; /* non-NULL, never used */
        sl_error e;

        sl_sandbox_policy_init(&p);
        cases[i].edit(&p);
        CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e), SL_ESANDBOX_POLICY);
        CHECK_INT(e.code, SL_ESANDBOX_POLICY);
        CHECK_STR(e.message, cases[i].message);
        CHECK_INT(r.stdout_data == NULL, 1);
        CHECK_INT(sl_sandbox_spawn(&p, argv, NULL, 0, &run, &e), SL_ESANDBOX_POLICY);
        CHECK(run == NULL);
    }
}

TEST(sandbox_policy_errors)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"/bin/true", NULL};
    const char *missing[] = {"/nonexistent/program", NULL};

    policy_level(&p, 0);
    CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e), SL_ESANDBOX_POLICY);
    policy_level(&p, 1);
    p.timeout_ms = 0;
    CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e), SL_ESANDBOX_POLICY);
    policy_level(&p, 1);
    p.uid = 0;
    CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e), SL_ESANDBOX_POLICY);
    policy_level(&p, 1);
    CHECK_INT(sl_sandbox_exec(&p, missing, NULL, 0, &r, &e), SL_ESANDBOX_EXEC);
    CHECK_STR(e.stage, "resolve program");
    CHECK_INT(e.sys_errno, ENOENT);
    CHECK_INT(sl_sandbox_exec(NULL, argv, NULL, 0, &r, &e), SL_EINVAL);
    CHECK_INT(r.stdout_data == NULL, 1);
}

TEST(sandbox_level1_exit_code_and_output)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;

    policy_level(&p, 1);
    REQUIRE(run_sh(&p, "read x; echo \"in:$x\"; echo oops >&2; exit 5", "abc\n", &r, &e) ==
            SL_OK);
    CHECK_INT(r.exited, 1);
    CHECK_INT(r.exit_code, 5);
    CHECK_INT(r.signal, 0);
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_MEM(r.stdout_data, r.stdout_len, "in:abc\n");
    CHECK_MEM(r.stderr_data, r.stderr_len, "oops\n");
    CHECK_INT(r.layers & SL_LAYER_USERNS, 0);
    CHECK_INT(r.layers & SL_LAYER_RLIMITS, SL_LAYER_RLIMITS);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_level1_clean_env_and_uid)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char expected[128];
    const char *pass[] = {"SL_TEST_PASSED", NULL};

    setenv("SL_TEST_SECRET", "hunter2", 1);
    setenv("SL_TEST_PASSED", "visible", 1);
    policy_level(&p, 1);
    p.env_pass = pass;
    REQUIRE_OK(run_sh(&p, "echo ${SL_TEST_SECRET:-unset} ${SL_TEST_PASSED:-unset} $HOME $(id -u)",
                   NULL, &r, &e));
    snprintf(expected, sizeof(expected), "unset visible /tmp %u\n", sandbox_uid());
    CHECK_MEM(r.stdout_data, r.stdout_len, expected);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_true_and_exit_3)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"/bin/true", NULL};
    unsigned ns = SL_LAYER_USERNS | SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_NETNS |
                  SL_LAYER_IPCNS | SL_LAYER_UTSNS | SL_LAYER_NO_NEW_PRIVS | SL_LAYER_RLIMITS;

    NEED_LEVEL2();
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_INT(r.exited, 1);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.stdout_len, 0);
    CHECK_STR(r.stdout_data, "");
    CHECK_INT(r.layers & ns, ns);
    CHECK(r.wall_ns > 0);
    sl_sandbox_result_free(&r);

    REQUIRE_OK(run_sh(&p, "exit 3", NULL, &r, &e));
    CHECK_INT(r.exited, 1);
    CHECK_INT(r.exit_code, 3);
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    sl_sandbox_result_free(&r);

    REQUIRE_OK(run_sh(&p, "kill -TERM $$", NULL, &r, &e));
    CHECK_INT(r.exited, 0);
    CHECK_INT(r.signal, SIGTERM);
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_layers_are_active)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    sl_sandbox_support s;
    const char *argv[] = {"/bin/true", NULL};

    NEED_LEVEL2();
    sl_sandbox_probe(&s, NULL);
    sl_sandbox_policy_init(&p);
    p.timeout_ms = 10000;
    p.waive_layers = (s.available & SL_LAYER_CGROUP) ? 0 : SL_LAYER_CGROUP;
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_INT(r.layers & SL_LAYER_SECCOMP, SL_LAYER_SECCOMP);
    if (s.landlock_abi > 0) {
        CHECK_INT(r.layers & SL_LAYER_LANDLOCK, SL_LAYER_LANDLOCK);
        CHECK_INT(r.landlock_abi, s.landlock_abi);
    }
    CHECK_INT(r.layers & SL_LAYER_CGROUP, s.available & SL_LAYER_CGROUP);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_hides_host_files_and_ids)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char canary[64];
    char script[1024];
    char expected[512];
    int fd;

    NEED_LEVEL2();
    snprintf(canary, sizeof(canary), "/tmp/sl-canary-%d", (int)getpid());
    fd = open(canary, O_CREAT | O_WRONLY, 0644);
    REQUIRE(fd >= 0);
    close(fd);
    setenv("SL_TEST_SECRET", "hunter2", 1);
    snprintf(script, sizeof(script),
             "cat /etc/shadow >/dev/null 2>&1 && echo shadow=readable || echo shadow=denied\n"
             "test -e /root && echo root=present || echo root=absent\n"
             "test -e /home && echo home=present || echo home=absent\n"
             "test -e /sys/kernel && echo sys=present || echo sys=absent\n"
             "test -e %s && echo canary=visible || echo canary=hidden\n"
             "(echo x > /usr/sl-probe) 2>/dev/null && echo usr=writable || echo usr=readonly\n"
             "(echo x > /sl-probe) 2>/dev/null && echo slash=writable || echo slash=readonly\n"
             "(echo x > /etc/passwd) 2>/dev/null && echo etc=writable || echo etc=readonly\n"
             "echo x > /tmp/ok && echo tmp=writable\n"
             "echo uid=$(id -u) host=$(hostname) secret=${SL_TEST_SECRET:-unset}\n"
             "grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status\n"
             "ls /dev | tr '\\n' ' '; echo\n",
             canary);
    policy_level(&p, 2);
    REQUIRE_OK(run_sh(&p, script, NULL, &r, &e));
    snprintf(expected, sizeof(expected),
             "shadow=denied\nroot=absent\nhome=absent\nsys=absent\ncanary=hidden\n"
             "usr=readonly\nslash=readonly\netc=readonly\ntmp=writable\n"
             "uid=%u host=sandbox secret=unset\n"
             "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
             "CapBnd:\t0000000000000000\n"
             "fd full null random shm stderr stdin stdout urandom zero \n",
             sandbox_uid());
    CHECK_MEM(r.stdout_data, r.stdout_len, expected);
    CHECK_INT(r.exit_code, 0);
    sl_sandbox_result_free(&r);
    unlink(canary);
}

TEST(sandbox_proc_shows_only_the_run)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char *tok;
    char *save = NULL;
    int count = 0;

    NEED_LEVEL2();
    policy_level(&p, 2);
    REQUIRE_OK(run_sh(&p, "sleep 5 & ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '", NULL, &r,
                   &e));
    REQUIRE(r.stdout_data != NULL);
    /* sh, sleep, ls, grep and tr at most; init (PID 1) is invisible because it is not
       dumpable, and no host pid appears. */
    for (tok = strtok_r(r.stdout_data, " ", &save); tok != NULL;
         tok = strtok_r(NULL, " ", &save)) {
        CHECK(atoi(tok) >= 2);
        CHECK(atoi(tok) < 20);
        count++;
    }
    CHECK(count >= 2);
    CHECK(count <= 5);
    sl_sandbox_result_free(&r);
}

/* Opens a TCP listener on 127.0.0.1 (never another address) and returns its fd and port. */
static int listen_loopback(int *port)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (s < 0) {
        return -1;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(s, 4) != 0 ||
        getsockname(s, (struct sockaddr *)&addr, &len) != 0) {
        close(s);
        return -1;
    }
    *port = (int)ntohs(addr.sin_port);
    return s;
}

/* Returns the Landlock ABI the sandbox uses here, 0 when none. */
static int landlock_abi(void)
{
    sl_sandbox_support s;

    return sl_sandbox_probe(&s, NULL) == SL_OK ? s.landlock_abi : 0;
}

/* With network = 0: the host's listener is unreachable, TCP bind and connect fail with
 * EACCES when Landlock has network rules (ABI 4+), and UDP over the private loopback
 * still works. */
TEST(sandbox_network_is_private)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char script[1024];
    int port = 0;
    int s;

    NEED_LEVEL2();
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    s = listen_loopback(&port);
    REQUIRE(s >= 0);
    snprintf(script, sizeof(script),
             "import socket\n"
             "c = socket.socket(); c.settimeout(2)\n"
             "try:\n    c.connect(('127.0.0.1', %d)); print('host=reached')\n"
             "except OSError as e: print('host=%%d' %% e.errno)\n"
             "srv = socket.socket()\n"
             "try:\n    srv.bind(('127.0.0.1', 0)); print('bind=ok')\n"
             "except OSError as e: print('bind=%%d' %% e.errno)\n"
             "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
             "v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
             "v.sendto(b'ping', u.getsockname()); print('udp=' + u.recv(4).decode())\n",
             port);
    {
        const char *argv[] = {"python3", "-c", script, NULL};
        policy_level(&p, 2);
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    }
    if (landlock_abi() >= 4) {
        CHECK_INT(r.layers & SL_LAYER_LANDLOCK, SL_LAYER_LANDLOCK);
        CHECK_MEM(r.stdout_data, r.stdout_len, "host=13\nbind=13\nudp=ping\n");
    } else {
        CHECK_MEM(r.stdout_data, r.stdout_len, "host=111\nbind=ok\nudp=ping\n");
    }
    CHECK_MEM(r.stderr_data, r.stderr_len, "");
    CHECK_INT(r.layers & SL_LAYER_NETNS, SL_LAYER_NETNS);
    sl_sandbox_result_free(&r);
    close(s);
}

/* network = 1 shares the host's network namespace: a listener the test opens on 127.0.0.1
 * gets the payload's connection and bytes; the same script fails with network = 0. */
TEST(sandbox_network_shared_reaches_host_loopback)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char script[512];
    char buf[8] = "";
    struct pollfd pfd;
    int port = 0;
    int s;
    int c;

    NEED_LEVEL2();
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    s = listen_loopback(&port);
    REQUIRE(s >= 0);
    snprintf(script, sizeof(script),
             "import socket\n"
             "try:\n"
             "    c = socket.create_connection(('127.0.0.1', %d), timeout=2)\n"
             "    c.sendall(b'hi'); c.close(); print('connected')\n"
             "except OSError as e: print('errno=%%d' %% e.errno)\n",
             port);
    {
        const char *argv[] = {"python3", "-c", script, NULL};

        policy_level(&p, 2);
        p.network = 1;
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "connected\n");
        CHECK_INT(r.layers & SL_LAYER_NETNS, 0);
        CHECK_INT(r.exit_code, 0);
        sl_sandbox_result_free(&r);
        /* The connection waits in the listener's backlog with the payload's bytes. */
        pfd.fd = s;
        pfd.events = POLLIN;
        pfd.revents = 0;
        REQUIRE(poll(&pfd, 1, 2000) == 1);
        c = accept(s, NULL, NULL);
        REQUIRE(c >= 0);
        CHECK_INT(read(c, buf, sizeof(buf) - 1), 2);
        CHECK_STR(buf, "hi");
        close(c);

        p.network = 0;
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len,
                  landlock_abi() >= 4 ? "errno=13\n" : "errno=111\n");
        CHECK_INT(r.layers & SL_LAYER_NETNS, SL_LAYER_NETNS);
        sl_sandbox_result_free(&r);
        pfd.revents = 0;
        CHECK_INT(poll(&pfd, 1, 0), 0);
    }
    close(s);
}

/* A lookup with network = 0 fails at once from /etc/hosts and never reaches a DNS server:
 * the namespace has only "lo", nsswitch lists files only, and resolv.conf's one server is
 * that loopback. The name is under .invalid, which no DNS server may resolve. */
TEST(sandbox_name_lookup_fails_fast)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {
        "python3", "-c",
        "import socket\n"
        "try:\n    socket.getaddrinfo('skilllite-test.example.invalid', 80); print('resolved')\n"
        "except socket.gaierror as e: print('gaierror', e.errno)\n"
        "print([l.split(':')[0].strip() for l in open('/proc/self/net/dev').readlines()[2:]])\n"
        "print([l for l in open('/etc/nsswitch.conf') if l.startswith('hosts:')][0], end='')\n"
        "print([l for l in open('/etc/resolv.conf') if l.startswith('nameserver')][0], end='')\n",
        NULL};

    NEED_LEVEL2();
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    REQUIRE(r.layers & SL_LAYER_NETNS);
    CHECK_MEM(r.stdout_data, r.stdout_len,
              "gaierror -2\n['lo']\nhosts: files\nnameserver 127.0.0.1\n");
    CHECK_MEM(r.stderr_data, r.stderr_len, "");
    CHECK(r.wall_ns < 2000000000u);
    sl_sandbox_result_free(&r);
}

/* node's dns.resolve uses c-ares, which reads resolv.conf itself and ignores nsswitch. */
TEST(sandbox_node_dns_resolve_fails_fast)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {
        "node", "-e",
        "require('dns').resolve4('skilllite-test.example.invalid', (err) => "
        "console.log(err ? err.code : 'resolved'));",
        NULL};

    NEED_LEVEL2();
    if (!have_program("node")) {
        SKIP("node not found on PATH");
    }
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    REQUIRE(r.layers & SL_LAYER_NETNS);
    CHECK_MEM(r.stdout_data, r.stdout_len, "ECONNREFUSED\n");
    CHECK(r.wall_ns < 2000000000u);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_python_json_roundtrip)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"python3", "-c",
                          "import json, sys\n"
                          "d = json.load(sys.stdin)\n"
                          "print(json.dumps({'result': d['a'] + d['b']}))\n",
                          NULL};
    int level;

    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        policy_level(&p, level);
        REQUIRE_OK(sl_sandbox_exec(&p, argv, "{\"a\": 15, \"b\": 27}", 18, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "{\"result\": 42}\n");
        CHECK_MEM(r.stderr_data, r.stderr_len, "");
        CHECK_INT(r.exit_code, 0);
        sl_sandbox_result_free(&r);
    }
}

/* A python outside the system folders (pyenv here) gets its install prefix bound. */
TEST(sandbox_python_outside_usr)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char path[1024] = "";
    DIR *d;
    struct dirent *ent;
    const char *home = getenv("HOME");
    char versions[300];

    NEED_LEVEL2();
    snprintf(versions, sizeof(versions), "%s/.pyenv/versions", home != NULL ? home : "/");
    d = opendir(versions);
    while (d != NULL && (ent = readdir(d)) != NULL) {
        if (strncmp(ent->d_name, "3.", 2) == 0) {
            snprintf(path, sizeof(path), "%s/%s/bin/python3", versions, ent->d_name);
            if (access(path, X_OK) == 0) {
                break;
            }
            path[0] = '\0';
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    if (path[0] == '\0') {
        SKIP("no pyenv python 3 under $HOME/.pyenv/versions");
    }
    {
        const char *argv[] = {path, "-c", "import sys, json; print(json.dumps([1 + 1]))", NULL};
        policy_level(&p, 2);
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "[2]\n");
        CHECK_INT(r.exit_code, 0);
        sl_sandbox_result_free(&r);
    }
}

TEST(sandbox_node_and_bash)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *node[] = {"node", "-e",
                          "let d = ''; process.stdin.on('data', c => d += c).on('end', () => {"
                          " const o = JSON.parse(d);"
                          " console.log(JSON.stringify({result: o.a + o.b})); });",
                          NULL};
    const char *bash[] = {"bash", "-c", "read -r line; echo \"got:${line}\" ${BASH_VERSINFO[0]}",
                          NULL};

    NEED_LEVEL2();
    policy_level(&p, 2);
    if (have_program("node")) {
        REQUIRE_OK(sl_sandbox_exec(&p, node, "{\"a\":15,\"b\":27}", 15, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "{\"result\":42}\n");
        CHECK_MEM(r.stderr_data, r.stderr_len, "");
        sl_sandbox_result_free(&r);
    }
    REQUIRE_OK(sl_sandbox_exec(&p, bash, "hello\n", 6, &r, &e));
    REQUIRE(r.stdout_len > 10);
    CHECK_MEM(r.stdout_data, 10, "got:hello ");
    CHECK_INT(r.exit_code, 0);
    sl_sandbox_result_free(&r);
    if (!have_program("node")) {
        SKIP("node not found on PATH");
    }
}

/* Returns 1 when a host process has `marker` in its command line. */
static int host_has_process(const char *marker)
{
    DIR *d = opendir("/proc");
    struct dirent *ent;
    int found = 0;

    while (d != NULL && !found && (ent = readdir(d)) != NULL) {
        char path[300];
        char cmd[512];
        ssize_t n;
        int fd;
        ssize_t i;

        if (ent->d_name[0] < '0' || ent->d_name[0] > '9') {
            continue;
        }
        snprintf(path, sizeof(path), "/proc/%s/cmdline", ent->d_name);
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            continue;
        }
        n = read(fd, cmd, sizeof(cmd) - 1);
        close(fd);
        if (n <= 0) {
            continue;
        }
        for (i = 0; i < n; i++) {
            if (cmd[i] == '\0') {
                cmd[i] = ' ';
            }
        }
        cmd[n] = '\0';
        found = strstr(cmd, marker) != NULL;
    }
    if (d != NULL) {
        closedir(d);
    }
    return found;
}

TEST(sandbox_timeout_kills_the_tree)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out_dir[] = "/tmp/sl-out-XXXXXX";
    char late[128];
    char marker[32];
    char script[256];
    struct timespec pause = {1, 200000000};

    NEED_LEVEL2();
    make_dir(out_dir);
    REQUIRE(out_dir[0] != '\0');
    policy_level(&p, 2);
    p.timeout_ms = 500;
    p.output_dir = out_dir;
    /* The sleep's duration carries this process's pid, so parallel test runs on the same
       host do not see each other's sleeps. */
    snprintf(marker, sizeof(marker), "sleep 31.%d", (int)getpid());
    snprintf(script, sizeof(script), "(sleep 1; echo late > /output/late) & %s & "
             "echo started > /output/started; sleep 10", marker);
    REQUIRE(run_sh(&p, script, NULL, &r, &e) == SL_OK);
    CHECK_INT(r.limit, SL_LIMIT_TIMEOUT);
    CHECK_INT(r.exited, 0);
    CHECK_INT(r.signal, SIGKILL);
    CHECK(r.wall_ns >= 500000000u);
    CHECK(r.wall_ns < 1000000000u);
    sl_sandbox_result_free(&r);
    CHECK(!host_has_process(marker));
    snprintf(late, sizeof(late), "%s/started", out_dir);
    CHECK_INT(access(late, F_OK), 0);
    unlink(late);
    nanosleep(&pause, NULL);
    snprintf(late, sizeof(late), "%s/late", out_dir);
    CHECK_INT(access(late, F_OK), -1);
    unlink(late);
    rmdir(out_dir);
}

/* Returns the state letter of `pid` from /proc ('R', 'S', 'Z', ...), or 'Z' when it is
 * gone: a killed orphan stays a zombie until the host's init reaps it. */
static int process_state(pid_t pid)
{
    char path[64];
    char buf[256];
    char *close_paren;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        return 'Z';
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) {
        return 'Z';
    }
    buf[n] = '\0';
    close_paren = strrchr(buf, ')');
    return close_paren != NULL && close_paren[1] == ' ' ? close_paren[2] : '?';
}

TEST(sandbox_level1_timeout_kills_children)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out_dir[] = "/tmp/sl-out-XXXXXX";
    char script[256];
    char pid_path[128];
    char buf[32] = "";
    int fd;
    pid_t child;

    make_dir(out_dir);
    REQUIRE(out_dir[0] != '\0');
    snprintf(script, sizeof(script), "sleep 30 & echo $! > %s/pid; sleep 30", out_dir);
    policy_level(&p, 1);
    p.timeout_ms = 300;
    REQUIRE_OK(run_sh(&p, script, NULL, &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_TIMEOUT);
    CHECK(r.wall_ns < 1000000000u);
    sl_sandbox_result_free(&r);
    snprintf(pid_path, sizeof(pid_path), "%s/pid", out_dir);
    fd = open(pid_path, O_RDONLY);
    REQUIRE(fd >= 0);
    CHECK(read(fd, buf, sizeof(buf) - 1) > 0);
    close(fd);
    child = (pid_t)atoi(buf);
    REQUIRE(child > 0);
    CHECK_INT(process_state(child), 'Z');
    unlink(pid_path);
    rmdir(out_dir);
}

TEST(sandbox_stdout_cap)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    int level;

    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        policy_level(&p, level);
        p.stdout_max = 4096;
        REQUIRE(run_sh(&p, "head -c 10485760 /dev/zero | tr '\\0' x; echo done >&2", NULL,
                       &r, &e) == SL_OK);
        CHECK_INT(r.stdout_len, 4096);
        CHECK_INT(r.stdout_truncated, 1);
        CHECK_INT(r.stdout_data[0], 'x');
        CHECK_INT(r.stdout_data[4095], 'x');
        CHECK_INT(r.stdout_data[4096], '\0');
        CHECK_MEM(r.stderr_data, r.stderr_len, "done\n");
        CHECK_INT(r.stderr_truncated, 0);
        CHECK_INT(r.exited, 1);
        CHECK_INT(r.exit_code, 0);
        CHECK_INT(r.limit, SL_LIMIT_NONE);
        sl_sandbox_result_free(&r);
    }
}

TEST(sandbox_output_limit_kills)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;

    NEED_LEVEL2();
    policy_level(&p, 2);
    p.stdout_max = 100;
    p.kill_on_output_limit = 1;
    REQUIRE(run_sh(&p, "while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done", NULL, &r,
                   &e) == SL_OK);
    CHECK_INT(r.limit, SL_LIMIT_OUTPUT);
    CHECK_INT(r.stdout_len, 100);
    CHECK_INT(r.stdout_truncated, 1);
    CHECK_INT(r.exited, 0);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_grandchild_does_not_hold_the_run)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    int level;

    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        policy_level(&p, level);
        REQUIRE_OK(run_sh(&p, "sleep 100 & echo started", NULL, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "started\n");
        CHECK_INT(r.exit_code, 0);
        CHECK(r.wall_ns < 500000000u);
        sl_sandbox_result_free(&r);
    }
}

TEST(sandbox_cpu_and_file_size_limits)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;

    NEED_LEVEL2();
    policy_level(&p, 2);
    p.cpu_seconds = 1;
    REQUIRE(run_sh(&p, "while :; do :; done", NULL, &r, &e) == SL_OK);
    CHECK_INT(r.limit, SL_LIMIT_CPU);
    CHECK_INT(r.signal, SIGXCPU);
    /* rusage samples CPU time at scheduler ticks and may report well under the 1 s the
       kernel enforced, so this only checks that the time was counted. */
    CHECK(r.cpu_ns >= 500000000u);
    sl_sandbox_result_free(&r);

    policy_level(&p, 2);
    p.max_file_bytes = 65536;
    REQUIRE_OK(run_sh(&p, "exec head -c 1000000 /dev/zero > /tmp/big", NULL, &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.signal, SIGXFSZ);
    sl_sandbox_result_free(&r);
}

TEST(sandbox_memory_limit_with_cgroup)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    sl_sandbox_support s;
    const char *argv[] = {"python3", "-c", "b = bytearray(256 << 20); print(len(b))", NULL};

    NEED_LEVEL2();
    sl_sandbox_probe(&s, NULL);
    if (!(s.available & SL_LAYER_CGROUP)) {
        SKIP("no usable cgroup (needs a delegated cgroup v2 subtree or root with v1)");
    }
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    sl_sandbox_policy_init(&p);
    p.memory_bytes = 64u << 20;
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_INT(r.layers & SL_LAYER_CGROUP, SL_LAYER_CGROUP);
    CHECK_INT(r.limit, SL_LIMIT_MEMORY);
    CHECK_INT(r.signal, SIGKILL);
    CHECK(r.peak_memory_bytes > (32u << 20));
    CHECK(r.peak_memory_bytes <= (64u << 20));
    sl_sandbox_result_free(&r);
}

TEST(sandbox_nested_userns_denied)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"python3", "-c",
                          "import ctypes, os\n"
                          "libc = ctypes.CDLL(None, use_errno=True)\n"
                          "print(libc.unshare(0x10000000), os.strerror(ctypes.get_errno()))\n",
                          NULL};

    NEED_LEVEL2();
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_MEM(r.stdout_data, r.stdout_len, "-1 Operation not permitted\n");
    sl_sandbox_result_free(&r);
}

TEST(sandbox_allow_subprocess)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    sl_sandbox_support s;
    const char *argv[] = {"python3", "-c",
                          "import subprocess\n"
                          "try:\n    print(subprocess.run(['/bin/echo', 'ran'],"
                          " capture_output=True).stdout.decode(), end='')\n"
                          "except OSError as e: print(type(e).__name__)\n",
                          NULL};

    NEED_LEVEL2();
    sl_sandbox_probe(&s, NULL);
    if (s.landlock_abi == 0) {
        SKIP("Landlock unavailable; allow_subprocess is enforced by Landlock");
    }
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_MEM(r.stdout_data, r.stdout_len, "PermissionError\n");
    sl_sandbox_result_free(&r);
    p.allow_subprocess = 1;
    REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
    CHECK_MEM(r.stdout_data, r.stdout_len, "ran\n");
    sl_sandbox_result_free(&r);
}

TEST(sandbox_nonblocking_poll_loop)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_sandbox_run *run = NULL;
    sl_error e;
    const char *argv[] = {"/bin/sh", "-c", "echo one; sleep 0.2; echo two", NULL};
    int wakeups = 0;
    int rc;

    NEED_LEVEL2();
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_spawn(&p, argv, NULL, 0, &run, &e));
    CHECK(sl_sandbox_fd(run) >= 0);
    CHECK_INT(sl_sandbox_take_result(run, &r), SL_ESTATE);
    for (;;) {
        struct pollfd pfd;

        pfd.fd = sl_sandbox_fd(run);
        pfd.events = POLLIN;
        pfd.revents = 0;
        REQUIRE(poll(&pfd, 1, 2000) == 1);
        wakeups++;
        rc = sl_sandbox_poll(run, 0, &e);
        if (rc != SL_EAGAIN) {
            break;
        }
        REQUIRE(wakeups < 1000);
    }
    CHECK_INT(rc, SL_OK);
    CHECK(wakeups >= 2);
    REQUIRE(sl_sandbox_take_result(run, &r) == SL_OK);
    CHECK_MEM(r.stdout_data, r.stdout_len, "one\ntwo\n");
    CHECK_INT(r.exit_code, 0);
    sl_sandbox_result_free(&r);
    sl_sandbox_free(run);
}

TEST(sandbox_kill_reports_killed)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_sandbox_run *run = NULL;
    sl_error e;
    const char *argv[] = {"/bin/sleep", "10", NULL};
    int level;

    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        policy_level(&p, level);
        REQUIRE_OK(sl_sandbox_spawn(&p, argv, NULL, 0, &run, &e));
        CHECK_INT(sl_sandbox_poll(run, 50, &e), SL_EAGAIN);
        sl_sandbox_kill(run);
        CHECK_INT(sl_sandbox_poll(run, 2000, &e), SL_OK);
        REQUIRE(sl_sandbox_take_result(run, &r) == SL_OK);
        CHECK_INT(r.limit, SL_LIMIT_KILLED);
        CHECK_INT(r.exited, 0);
        CHECK_INT(r.signal, SIGKILL);
        CHECK(r.wall_ns < 1000000000u);
        sl_sandbox_result_free(&r);
        sl_sandbox_free(run);
    }
}

TEST(sandbox_free_while_running)
{
    sl_sandbox_policy p;
    sl_sandbox_run *run = NULL;
    sl_error e;
    const char *argv[] = {"/bin/sleep", "10", NULL};

    NEED_LEVEL2();
    policy_level(&p, 2);
    REQUIRE_OK(sl_sandbox_spawn(&p, argv, "x", 1, &run, &e));
    sl_sandbox_free(run);
    sl_sandbox_free(NULL);
}

TEST(sandbox_exec_failure_names_the_stage)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char dir[] = "/tmp/sl-exec-XXXXXX";
    char prog[64];
    int fd;
    const char *argv[] = {prog, NULL};

    NEED_LEVEL2();
    make_dir(dir);
    REQUIRE(dir[0] != '\0');
    snprintf(prog, sizeof(prog), "%s/prog", dir);
    fd = open(prog, O_CREAT | O_WRONLY, 0755);
    REQUIRE(fd >= 0);
    CHECK(write(fd, "\x7f" "ELF-not-really", 15) == 15);
    close(fd);
    policy_level(&p, 2);
    CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e), SL_ESANDBOX_EXEC);
    CHECK_STR(e.stage, "execve");
    CHECK_INT(e.sys_errno, ENOEXEC);
    CHECK(strstr(e.message, prog) != NULL);
    CHECK_INT(r.stdout_data == NULL, 1);
    unlink(prog);
    rmdir(dir);
}

TEST(sandbox_bind_paths)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char work[] = "/tmp/sl-work-XXXXXX";
    char out[] = "/tmp/sl-out-XXXXXX";
    char path[128];
    char buf[16] = "";
    int fd;

    NEED_LEVEL2();
    make_dir(work);
    make_dir(out);
    REQUIRE(work[0] != '\0');
    REQUIRE(out[0] != '\0');
    chmod(work, 0755);
    snprintf(path, sizeof(path), "%s/data.txt", work);
    fd = open(path, O_CREAT | O_WRONLY, 0644);
    REQUIRE(fd >= 0);
    CHECK(write(fd, "skill-data\n", 11) == 11);
    close(fd);
    policy_level(&p, 2);
    p.work_dir = work;
    p.output_dir = out;
    REQUIRE(run_sh(&p, "pwd; cat data.txt; (echo x > /skill/new) 2>/dev/null || echo ro; "
                       "echo result > /output/r.txt",
                   NULL, &r, &e) == SL_OK);
    CHECK_MEM(r.stdout_data, r.stdout_len, "/skill\nskill-data\nro\n");
    sl_sandbox_result_free(&r);
    snprintf(path, sizeof(path), "%s/r.txt", out);
    fd = open(path, O_RDONLY);
    REQUIRE(fd >= 0);
    CHECK_INT(read(fd, buf, sizeof(buf) - 1), 7);
    CHECK_STR(buf, "result\n");
    close(fd);
    unlink(path);
    snprintf(path, sizeof(path), "%s/data.txt", work);
    unlink(path);
    rmdir(work);
    rmdir(out);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(skill_run_python_calculator)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    sl_skill *skill = NULL;
    char root[] = "/tmp/sl-skill-XXXXXX";
    char dir[128];
    char scripts[160];
    int level;

    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    make_dir(root);
    REQUIRE(root[0] != '\0');
    chmod(root, 0755);
    snprintf(dir, sizeof(dir), "%s/calc", root);
    snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
    REQUIRE(mkdir(dir, 0755) == 0);
    REQUIRE(mkdir(scripts, 0755) == 0);
    write_file(dir, "SKILL.md", "---\nname: calc\ndescription: Adds two numbers.\n---\nAdd.\n");
    write_file(scripts, "helper.py", "def add(a, b):\n    return a + b\n");
    write_file(scripts, "main.py", "import json, sys\nfrom helper import add\n"
               "d = json.load(sys.stdin)\nprint(json.dumps({'result': add(d['a'], d['b'])}))\n");
    REQUIRE(sl_skill_load(dir, NULL, &skill, &e) == SL_OK);
    for (level = 1; level <= 2; level++) {
        char reason[200];

        if (level == 2 && !level2_ready(reason, sizeof(reason))) {
            break;
        }
        policy_level(&p, level);
        REQUIRE_OK(sl_skill_run(skill, &p, "{\"a\": 15, \"b\": 27}", 18, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "{\"result\": 42}\n");
        CHECK_MEM(r.stderr_data, r.stderr_len, "");
        CHECK_INT(r.exit_code, 0);
        sl_sandbox_result_free(&r);
    }
    p.work_dir = "/tmp";
    CHECK_INT(sl_skill_run(skill, &p, "{}", 2, &r, &e), SL_ESANDBOX_POLICY);
    sl_skill_free(skill);
    write_file(scripts, "main.py", "");
    snprintf(scripts, sizeof(scripts), "%s/scripts/helper.py", dir);
    unlink(scripts);
    snprintf(scripts, sizeof(scripts), "%s/scripts/main.py", dir);
    unlink(scripts);
    snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
    rmdir(scripts);
    snprintf(scripts, sizeof(scripts), "%s/SKILL.md", dir);
    unlink(scripts);
    rmdir(dir);
    rmdir(root);
}

TEST(skill_run_without_entry_point)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    sl_skill *skill = NULL;
    const char *md = "---\nname: notes\ndescription: Instructions only.\n---\nRead me.\n";

    REQUIRE(sl_skill_parse(md, strlen(md), "notes", NULL, &skill, &e) == SL_OK);
    policy_level(&p, 2);
    CHECK_INT(sl_skill_run(skill, &p, "{}", 2, &r, &e), SL_ESKILL_NO_ENTRY);
    CHECK(strstr(e.message, "notes") != NULL);
    sl_skill_free(skill);
}

TEST(sandbox_probe_reports)
{
    sl_sandbox_support s;

    CHECK_INT(sl_sandbox_probe(&s, NULL), SL_OK);
    CHECK_INT(s.available & SL_LAYER_RLIMITS, SL_LAYER_RLIMITS);
    if (s.available & SL_LAYER_USERNS) {
        CHECK_STR(s.reasons[0], "");
    } else {
        CHECK(strstr(s.reasons[0], "user namespaces") != NULL);
    }
    CHECK_INT((s.available & SL_LAYER_LANDLOCK) != 0, s.landlock_abi > 0);
    CHECK_INT((s.available & SL_LAYER_CGROUP) != 0, s.cgroup_version != 0);
    CHECK_INT(sl_sandbox_probe(NULL, NULL), SL_EINVAL);
}

/* ------------------------------------------------------------------ output quota --- */

/* Removes `path` and everything below it, without following symbolic links. */
static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *ent;

    if (lstat(path, &st) != 0) {
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    d = opendir(path);
    while (d != NULL && (ent = readdir(d)) != NULL) {
        char child[1024];

        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        snprintf(child, sizeof(child), "%s/%s", path, ent->d_name);
        remove_tree(child);
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(path);
}

/* The bytes the spawner counts for one entry: the larger of the allocated blocks and, for
 * a regular file, the size. */
static unsigned long long entry_bytes(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    unsigned long long blocks;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (lstat(path, &st) != 0) {
        return 0;
    }
    blocks = (unsigned long long)st.st_blocks * 512u;
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > blocks) {
        return (unsigned long long)st.st_size;
    }
    return blocks;
}

static long long file_size(const char *dir, const char *name)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return lstat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Level 1 has no mounts, but output_dir still gets its quota. */
/* sl_sandbox_spawn returns before the payload's execve: a failure of the children's setup
 * comes from sl_sandbox_poll, with the same code and message as sl_sandbox_exec returns. */
TEST(sandbox_setup_failure_reported_by_poll)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_sandbox_run *run = NULL;
    sl_error e;
    sl_error again;
    sl_error via_exec;
    char dir[] = "/tmp/sl-setup-XXXXXX";
    char out[] = "/tmp/sl-setup-out-XXXXXX";
    char prog[64];
    int fd;
    int level;
    const char *argv[] = {prog, NULL};
    char reason[200];
    int ready = level2_ready(reason, sizeof(reason));

    make_dir(dir);
    make_dir(out);
    REQUIRE(dir[0] != '\0' && out[0] != '\0');
    snprintf(prog, sizeof(prog), "%s/prog", dir);
    fd = open(prog, O_CREAT | O_WRONLY, 0755);
    REQUIRE(fd >= 0);
    CHECK(write(fd, "\x7f" "ELF-not-really", 15) == 15);
    close(fd);
    for (level = 1; level <= 3; level++) {
        struct pollfd pfd;

        if (level >= 2 && !ready) {
            break;
        }
        policy_level(&p, level >= 2 ? 2 : 1);
        if (level == 3) {
            p.output_dir = out; /* the /output socket is closed with the failed setup */
        }
        CHECK_INT(sl_sandbox_spawn(&p, argv, "input", 5, &run, &e), SL_OK);
        REQUIRE(run != NULL);
        pfd.fd = sl_sandbox_fd(run);
        pfd.events = POLLIN;
        pfd.revents = 0;
        CHECK_INT(poll(&pfd, 1, 5000), 1);
        CHECK_INT(sl_sandbox_poll(run, -1, &e), SL_ESANDBOX_EXEC);
        CHECK_STR(e.stage, "execve");
        CHECK_INT(e.sys_errno, ENOEXEC);
        CHECK(strstr(e.message, prog) != NULL);
        /* The run stays ended with that error. */
        CHECK_INT(sl_sandbox_poll(run, 0, &again), SL_ESANDBOX_EXEC);
        CHECK_STR(again.message, e.message);
        CHECK_INT(sl_sandbox_poll(run, 0, NULL), SL_ESANDBOX_EXEC);
        sl_sandbox_kill(run);
        CHECK_INT(sl_sandbox_take_result(run, &r), SL_ESTATE);
        sl_sandbox_free(run);
        run = NULL;
        CHECK_INT(sl_sandbox_exec(&p, argv, NULL, 0, &r, &via_exec), SL_ESANDBOX_EXEC);
        CHECK_STR(via_exec.message, e.message);
        CHECK_STR(via_exec.stage, e.stage);
        CHECK_INT(r.stdout_data == NULL, 1);
    }
    unlink(prog);
    rmdir(dir);
    remove_tree(out);
    if (!ready) {
        SKIP(reason);
    }
}

/* A run killed before its payload reached execve ends as killed, not as a setup failure. */
TEST(sandbox_kill_during_setup)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_sandbox_run *run = NULL;
    sl_error e;
    char out[] = "/tmp/sl-killsetup-XXXXXX";
    const char *argv[] = {"/bin/sleep", "10", NULL};
    int level;
    char reason[200];
    int ready = level2_ready(reason, sizeof(reason));

    make_dir(out);
    REQUIRE(out[0] != '\0');
    for (level = 1; level <= 3; level++) {
        if (level >= 2 && !ready) {
            break;
        }
        policy_level(&p, level >= 2 ? 2 : 1);
        if (level == 3) {
            p.output_dir = out;
        }
        CHECK_INT(sl_sandbox_spawn(&p, argv, NULL, 0, &run, &e), SL_OK);
        REQUIRE(run != NULL);
        sl_sandbox_kill(run);
        CHECK_INT(sl_sandbox_poll(run, 5000, &e), SL_OK);
        REQUIRE(sl_sandbox_take_result(run, &r) == SL_OK);
        CHECK_INT(r.limit, SL_LIMIT_KILLED);
        CHECK_INT(r.exited, 0);
        CHECK_INT(r.signal, SIGKILL);
        CHECK(r.wall_ns < 2000000000u);
        sl_sandbox_result_free(&r);
        sl_sandbox_free(run);
        run = NULL;
    }
    remove_tree(out);
    if (!ready) {
        SKIP(reason);
    }
}

TEST(sandbox_output_quota_level1)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-quota-XXXXXX";
    char script[256];

    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 1);
    p.output_dir = out;
    p.output_quota_bytes = 10000;
    snprintf(script, sizeof(script),
             "head -c 8000 /dev/zero > %s/a; head -c 8000 /dev/zero > %s/b", out, out);
    REQUIRE_OK(run_sh(&p, script, NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.output_bytes_written, entry_bytes(out, "a") + entry_bytes(out, "b"));
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* An output folder the spawner cannot measure within its bounds is rejected up front. */
TEST(sandbox_output_dir_too_deep)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-quota-XXXXXX";
    char path[1024];
    char expected[400];
    size_t len;
    int i;

    make_dir(out);
    REQUIRE(out[0] != '\0');
    len = (size_t)snprintf(path, sizeof(path), "%s", out);
    for (i = 0; i < 65; i++) {
        len += (size_t)snprintf(path + len, sizeof(path) - len, "/d");
        REQUIRE(mkdir(path, 0755) == 0);
    }
    policy_level(&p, 1);
    p.output_dir = out;
    CHECK_INT(run_sh(&p, "true", NULL, &r, &e), SL_ESANDBOX_POLICY);
    snprintf(expected, sizeof(expected),
             "cannot measure output_dir \"%s\" for its quota: it holds more than 65536 "
             "entries, folders nested deeper than 64, or a folder the caller cannot open; "
             "pass an empty folder", out);
    CHECK_STR(e.message, expected);
    p.output_dir = "/nonexistent/sl-out";
    CHECK_INT(run_sh(&p, "true", NULL, &r, &e), SL_ESANDBOX_POLICY);
    CHECK_STR(e.stage, "open output_dir");
    CHECK_INT(e.sys_errno, ENOENT);
    remove_tree(out);
}

/* ------------------------------------------------------- memory, CPU and processes --- */

static int have_cgroup(void)
{
    sl_sandbox_support s;

    return sl_sandbox_probe(&s, NULL) == SL_OK && (s.available & SL_LAYER_CGROUP) != 0;
}

/* Touches every page (b'x' * n), so the memory is really used, not only reserved. */
static const char *const python_bomb[] = {
    "python3", "-c", "chunks = []\nwhile True:\n    chunks.append(b'x' * (100 << 20))\n", NULL};

TEST(sandbox_python_memory_bomb_cgroup)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    int level;

    if (!have_cgroup()) {
        SKIP("no usable cgroup (needs a delegated cgroup v2 subtree or root with v1)");
    }
    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        sl_sandbox_policy_init(&p);
        p.level = level;
        p.timeout_ms = 20000;
        p.memory_bytes = 128u << 20;
        REQUIRE_OK(sl_sandbox_exec(&p, python_bomb, NULL, 0, &r, &e));
        CHECK_INT(r.layers & SL_LAYER_CGROUP, SL_LAYER_CGROUP);
        CHECK_INT(r.limit, SL_LIMIT_MEMORY);
        CHECK_INT(r.exited, 0);
        CHECK_INT(r.signal, SIGKILL);
        CHECK(r.peak_memory_bytes <= (128u << 20));
        CHECK(r.wall_ns < 10000000000ull);
        sl_sandbox_result_free(&r);
    }
}

/* Without a cgroup, RLIMIT_DATA makes the allocation fail: python raises MemoryError and
 * exits by itself, which the result reports as the payload's own exit. */
TEST(sandbox_python_memory_bomb_rlimit)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *tail = "MemoryError\n";
    int level;

    if (!have_program("python3")) {
        SKIP("python3 not found on PATH");
    }
    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            NEED_LEVEL2();
        }
        policy_level(&p, level);
        p.use_cgroup = 0;
        p.memory_bytes = 128u << 20;
        REQUIRE_OK(sl_sandbox_exec(&p, python_bomb, NULL, 0, &r, &e));
        CHECK_INT(r.layers & SL_LAYER_CGROUP, 0);
        CHECK_INT(r.limit, SL_LIMIT_NONE);
        CHECK_INT(r.exited, 1);
        CHECK_INT(r.exit_code, 1);
        REQUIRE(r.stderr_len >= strlen(tail));
        CHECK_STR(r.stderr_data + r.stderr_len - strlen(tail), tail);
        CHECK(r.peak_memory_bytes < (128u << 20));
        CHECK(r.wall_ns < 10000000000ull);
        sl_sandbox_result_free(&r);
    }
}

/* node reserves far more address space than it uses, so check that the default limits do
 * not break an ordinary run with large arrays, with or without the cgroup. */
TEST(sandbox_node_big_arrays_run)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"node", "-e",
                          "const a = [];\n"
                          "for (let i = 0; i < 20; i++) a.push(new Array(1e6).fill(i));\n"
                          "console.log(a.length, a[19][999999]);\n",
                          NULL};
    int use_cgroup;

    NEED_LEVEL2();
    if (!have_program("node")) {
        SKIP("node not found on PATH");
    }
    for (use_cgroup = 0; use_cgroup <= 1; use_cgroup++) {
        sl_sandbox_policy_init(&p);
        p.timeout_ms = 20000;
        p.use_cgroup = use_cgroup;
        p.waive_layers = SL_LAYER_CGROUP;
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        CHECK_MEM(r.stdout_data, r.stdout_len, "20 19\n");
        CHECK_MEM(r.stderr_data, r.stderr_len, "");
        CHECK_INT(r.exit_code, 0);
        CHECK_INT(r.limit, SL_LIMIT_NONE);
        CHECK(r.peak_memory_bytes > (100u << 20));
        sl_sandbox_result_free(&r);
    }
}

/* A node memory bomb under the default 512 MiB: the cgroup's OOM killer ends it, and
 * without the cgroup RLIMIT_DATA makes the Buffer allocation throw. */
TEST(sandbox_node_memory_bomb)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"node", "-e",
                          "const a = [];\nfor (;;) a.push(Buffer.alloc(64 << 20, 1));\n", NULL};
    int use_cgroup;

    NEED_LEVEL2();
    if (!have_program("node")) {
        SKIP("node not found on PATH");
    }
    for (use_cgroup = 0; use_cgroup <= 1; use_cgroup++) {
        if (use_cgroup && !have_cgroup()) {
            SKIP("no usable cgroup (needs a delegated cgroup v2 subtree or root with v1)");
        }
        sl_sandbox_policy_init(&p);
        p.timeout_ms = 20000;
        p.use_cgroup = use_cgroup;
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        if (use_cgroup) {
            CHECK_INT(r.limit, SL_LIMIT_MEMORY);
            CHECK_INT(r.signal, SIGKILL);
            CHECK(r.peak_memory_bytes <= (512u << 20));
        } else {
            CHECK_INT(r.limit, SL_LIMIT_NONE);
            CHECK_INT(r.exited, 1);
            CHECK_INT(r.exit_code, 1);
            CHECK(strstr(r.stderr_data, "RangeError: Array buffer allocation failed") != NULL);
            CHECK(r.peak_memory_bytes < (512u << 20));
        }
        CHECK(r.wall_ns < 10000000000ull);
        sl_sandbox_result_free(&r);
    }
}

/* A level 2 run killed at its deadline still reports the CPU time of every process. */
TEST(sandbox_cpu_time_of_killed_run)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;

    NEED_LEVEL2();
    policy_level(&p, 2);
    p.timeout_ms = 1000;
    REQUIRE_OK(run_sh(&p, "while :; do :; done & while :; do :; done", NULL, &r, &e));
    CHECK_INT(r.limit, SL_LIMIT_TIMEOUT);
    CHECK_INT(r.signal, SIGKILL);
    /* Two busy processes for one second. Without the processes killed at the deadline,
       cpu_ns would be init's own time, about 1 ms. The bound leaves room for a host whose
       other work takes most of its CPUs. */
    CHECK(r.cpu_ns >= 250000000u);
    CHECK(r.cpu_ns <= 2u * r.wall_ns + 100000000u);
    sl_sandbox_result_free(&r);
}

/* Runs a fork bomb with `marker` in its command line and checks that it ended within the
 * timeout with `limit`, and that no process with the marker is left on the host. */
static void check_fork_bomb(const sl_sandbox_policy *p, const char *const *argv,
                            const char *marker, int limit)
{
    sl_sandbox_result r;
    sl_error e;
    struct timespec pause = {0, 50000000};

    REQUIRE_OK(sl_sandbox_exec(p, argv, NULL, 0, &r, &e));
    CHECK_INT(r.limit, limit);
    CHECK(r.wall_ns < (uint64_t)p->timeout_ms * 1000000u + 500000000u);
    sl_sandbox_result_free(&r);
    nanosleep(&pause, NULL);
    CHECK(!host_has_process(marker));
}

/* The classic bash bomb returns at once, and the run ends with the payload: init kills
 * every process it left behind. Kept alive by a sleep, the bomb hits pids.max and the
 * in-run check kills it; the python loop fails at pids.max by itself. */
TEST(sandbox_fork_bombs_hit_pids_limit)
{
    sl_sandbox_policy p;
    char marker[64];
    char bash_bomb[128];
    char bash_bomb_alive[128];
    char python_fork[160];
    const char *bash_argv[] = {"bash", "-c", bash_bomb, NULL};
    const char *bash_alive_argv[] = {"bash", "-c", bash_bomb_alive, NULL};
    const char *python_argv[] = {"python3", "-c", python_fork, NULL};

    NEED_LEVEL2();
    if (!have_cgroup()) {
        SKIP("no usable cgroup (needs a delegated cgroup v2 subtree or root with v1)");
    }
    snprintf(marker, sizeof(marker), "sl-bomb-%d", (int)getpid());
    snprintf(bash_bomb, sizeof(bash_bomb), ":(){ :|:& };: # %s", marker);
    snprintf(bash_bomb_alive, sizeof(bash_bomb_alive), ":(){ :|:& };:; sleep 30 # %s",
             marker);
    snprintf(python_fork, sizeof(python_fork), "import os\nwhile True:\n    os.fork()\n# %s",
             marker);
    sl_sandbox_policy_init(&p);
    p.timeout_ms = 5000;
    check_fork_bomb(&p, bash_argv, marker, SL_LIMIT_NONE);
    check_fork_bomb(&p, bash_alive_argv, marker, SL_LIMIT_PIDS);
    if (have_program("python3")) {
        check_fork_bomb(&p, python_argv, marker, SL_LIMIT_PIDS);
    }
}

/* Without the cgroup, RLIMIT_NPROC bounds the bombs: the bash one runs until the timeout,
 * and the python one fails its fork and exits (limit none: no cgroup saw the failure). */
TEST(sandbox_fork_bomb_without_cgroup)
{
    sl_sandbox_policy p;
    char marker[64];
    char bash_bomb[128];
    char python_fork[160];
    const char *bash_argv[] = {"bash", "-c", bash_bomb, NULL};
    const char *python_argv[] = {"python3", "-c", python_fork, NULL};

    NEED_LEVEL2();
    snprintf(marker, sizeof(marker), "sl-bomb-rlimit-%d", (int)getpid());
    snprintf(bash_bomb, sizeof(bash_bomb), ":(){ :|:& };:; sleep 30 # %s", marker);
    snprintf(python_fork, sizeof(python_fork), "import os\nwhile True:\n    os.fork()\n# %s",
             marker);
    sl_sandbox_policy_init(&p);
    p.timeout_ms = 2000;
    p.use_cgroup = 0;
    check_fork_bomb(&p, bash_argv, marker, SL_LIMIT_TIMEOUT);
    if (have_program("python3")) {
        check_fork_bomb(&p, python_argv, marker, SL_LIMIT_NONE);
    }
}

/* An fd the host opened without O_CLOEXEC never reaches the payload. */
TEST(sandbox_host_fds_do_not_leak)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    const char *argv[] = {"/bin/ls", "/proc/self/fd", NULL};
    int fd = open("/etc/hostname", O_RDONLY);
    int high;
    int level;

    REQUIRE(fd >= 0);
    high = dup2(fd, 100);
    REQUIRE(high == 100);
    for (level = 1; level <= 2; level++) {
        if (level == 2) {
            char reason[200];

            if (!level2_ready(reason, sizeof(reason))) {
                break;
            }
        }
        policy_level(&p, level);
        REQUIRE_OK(sl_sandbox_exec(&p, argv, NULL, 0, &r, &e));
        /* 0-2 are the pipes; 3 is ls's own handle on /proc/self/fd. */
        CHECK_MEM(r.stdout_data, r.stdout_len, "0\n1\n2\n3\n");
        sl_sandbox_result_free(&r);
    }
    close(high);
    close(fd);
}

/* ------------------------------------------------- output folder: tmpfs and copy --- */

/* Reads dir/name into `buf` (NUL-terminated, at most size - 1 bytes). Returns the length
 * read, or -1 when the file cannot be opened. */
static long read_host(const char *dir, const char *name, char *buf, size_t size)
{
    char path[512];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    buf[0] = '\0';
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return (long)n;
}

/* Returns the number of entries in `dir` besides "." and "..", or -1. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    int n = 0;

    if (d == NULL) {
        return -1;
    }
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Returns the lstat mode of dir/name, or 0 when it does not exist. */
static unsigned host_mode(const char *dir, const char *name)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return lstat(path, &st) == 0 ? (unsigned)st.st_mode : 0u;
}

/* A stream of 160 MiB into /output with a 16 MiB quota: the payload gets ENOSPC, and the
 * host folder receives exactly the 16 MiB the tmpfs held. */
TEST(sandbox_output_tmpfs_stops_a_stream)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    p.output_quota_bytes = 16u << 20;
    REQUIRE_OK(run_sh(&p, "head -c 167772160 /dev/zero > /output/big; echo status $?", NULL,
                      &r, &e));
    CHECK_INT(r.exited, 1);
    CHECK_INT(r.exit_code, 0);
    CHECK_MEM(r.stdout_data, r.stdout_len, "status 1\n");
    CHECK(r.stderr_data != NULL && strstr(r.stderr_data, "No space left on device") != NULL);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(file_size(out, "big"), 16 << 20);
    CHECK_INT(r.output_bytes_written, 16u << 20);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 0);
    CHECK_INT(count_entries(out), 1);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* Ten 16 MiB files against a 16 MiB quota, then deleted: every file after the first fails,
 * and nothing reaches the host. The run is not reported as over the quota, because the
 * tmpfs is empty at the end. */
TEST(sandbox_output_write_then_delete)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    p.output_quota_bytes = 16u << 20;
    REQUIRE_OK(run_sh(&p, "for i in 0 1 2 3 4 5 6 7 8 9; do "
                          "head -c 16777216 /dev/zero > /output/f$i 2>/dev/null || echo full $i; "
                          "done; rm -f /output/f*; ls -A /output | wc -l",
                      NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_MEM(r.stdout_data, r.stdout_len,
              "full 1\nfull 2\nfull 3\nfull 4\nfull 5\nfull 6\nfull 7\nfull 8\nfull 9\n0\n");
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_INT(r.output_bytes_written, 0);
    CHECK_INT(r.output_files_written, 0);
    CHECK_INT(r.output_entries_skipped, 0);
    CHECK_INT(count_entries(out), 0);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* While the run goes, the host folder stays as it was; the copy happens at the end. */
TEST(sandbox_output_host_untouched_during_run)
{
    sl_sandbox_policy p;
    sl_sandbox_run *run = NULL;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    const char *argv[] = {"/bin/sh", "-c", "head -c 1000000 /dev/zero > /output/a; "
                          "echo written; sleep 2", NULL};
    int seen_empty = 0;
    int i;

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    REQUIRE_OK(sl_sandbox_spawn(&p, argv, NULL, 0, &run, &e));
    for (i = 0; i < 100; i++) {
        int rc = sl_sandbox_poll(run, 10, &e);

        CHECK_INT(rc, SL_EAGAIN);
        if (rc != SL_EAGAIN) {
            break;
        }
        if (count_entries(out) != 0) {
            break;
        }
        seen_empty++;
    }
    CHECK_INT(seen_empty, 100);
    REQUIRE_OK(sl_sandbox_poll(run, -1, &e));
    REQUIRE_OK(sl_sandbox_take_result(run, &r));
    sl_sandbox_free(run);
    CHECK_MEM(r.stdout_data, r.stdout_len, "written\n");
    CHECK_INT(file_size(out, "a"), 1000000);
    CHECK_INT(r.output_bytes_written, 1000000);
    CHECK_INT(r.output_files_written, 1);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* A link the payload made is not copied, and a link the host folder already has is never
 * followed, for a file or a folder. */
TEST(sandbox_output_symlinks_not_followed)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char side[] = "/tmp/sl-side-XXXXXX";
    char path[256];
    char target[256];
    char buf[64];

    NEED_LEVEL2();
    make_dir(out);
    make_dir(side);
    REQUIRE(out[0] != '\0' && side[0] != '\0');
    write_file(side, "target", "original\n");
    snprintf(target, sizeof(target), "%s/target", side);
    chmod(target, 0666);
    snprintf(path, sizeof(path), "%s/y", out);
    REQUIRE(symlink(target, path) == 0);
    snprintf(target, sizeof(target), "%s/sub", side);
    REQUIRE(mkdir(target, 0777) == 0);
    chmod(target, 0777);
    snprintf(path, sizeof(path), "%s/d", out);
    REQUIRE(symlink(target, path) == 0);
    policy_level(&p, 2);
    p.output_dir = out;

    REQUIRE_OK(run_sh(&p, "ln -s /etc/passwd /output/x; echo payload > /output/y; "
                          "mkdir /output/d; echo inner > /output/d/f; ls -A /output",
                      NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_MEM(r.stdout_data, r.stdout_len, "d\nx\ny\n");
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_INT(r.output_files_written, 0);
    CHECK_INT(r.output_entries_skipped, 3);
    CHECK_INT(r.output_bytes_written, 0);
    CHECK_INT(host_mode(out, "x"), 0);
    CHECK(S_ISLNK(host_mode(out, "y")));
    CHECK(S_ISLNK(host_mode(out, "d")));
    CHECK_INT(read_host(side, "target", buf, sizeof(buf)), 9);
    CHECK_STR(buf, "original\n");
    CHECK_INT(count_entries(target), 0);
    sl_sandbox_result_free(&r);
    remove_tree(out);
    remove_tree(side);
}

/* Writes "1\n2\n...\nN\n" into `buf`; returns its length. */
static size_t seq_text(char *buf, size_t size, int n)
{
    size_t len = 0;
    int i;

    for (i = 1; i <= n && len < size; i++) {
        len += (size_t)snprintf(buf + len, size - len, "%d\n", i);
    }
    return len;
}

/* Nested folders and files copy out byte for byte, with mode 0644 (folders 0755) minus the
 * umask and the payload's owner. /output starts empty: the host's files are invisible
 * inside, one the run does not write stays, one it writes is replaced. */
TEST(sandbox_output_tree_copied_exactly)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char path[256];
    char buf[256];
    static char expected[160000];
    static char got[160000];
    size_t seq_len = seq_text(expected, sizeof(expected), 20000);
    mode_t mask = umask(0);
    struct stat st;
    int fd;
    ssize_t n;

    umask(mask);
    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    write_file(out, "old", "kept\n");
    write_file(out, "over", "before\n");
    snprintf(path, sizeof(path), "%s/over", out);
    chmod(path, 0666);
    policy_level(&p, 2);
    p.output_dir = out;

    REQUIRE_OK(run_sh(&p, "ls -A /output; mkdir -p /output/a/b/c; printf top > /output/top; "
                          "printf 'deep\\n' > /output/a/b/c/deep; : > /output/a/empty; "
                          "printf new > /output/over; seq 1 20000 > /output/a/b/seq; "
                          "chmod 4755 /output/top",
                      NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_MEM(r.stdout_data, r.stdout_len, "");
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_INT(r.output_files_written, 5);
    CHECK_INT(r.output_entries_skipped, 0);
    CHECK_INT(r.output_bytes_written, 3 + 5 + 0 + 3 + seq_len);
    sl_sandbox_result_free(&r);

    CHECK_INT(read_host(out, "old", buf, sizeof(buf)), 5);
    CHECK_STR(buf, "kept\n");
    CHECK_INT(read_host(out, "over", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "new");
    CHECK_INT(read_host(out, "top", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "top");
    CHECK_INT(read_host(out, "a/b/c/deep", buf, sizeof(buf)), 5);
    CHECK_STR(buf, "deep\n");
    CHECK_INT(read_host(out, "a/empty", buf, sizeof(buf)), 0);
    snprintf(path, sizeof(path), "%s/a/b/seq", out);
    fd = open(path, O_RDONLY);
    REQUIRE(fd >= 0);
    n = read(fd, got, sizeof(got));
    close(fd);
    CHECK_INT(n, (long)seq_len);
    CHECK(n == (ssize_t)seq_len && memcmp(got, expected, seq_len) == 0);

    CHECK_INT(host_mode(out, "top") & 07777, 0644 & ~mask);
    CHECK_INT(host_mode(out, "a") & 07777, 0755 & ~mask);
    CHECK_INT(host_mode(out, "a/b/c") & 07777, 0755 & ~mask);
    snprintf(path, sizeof(path), "%s/top", out);
    REQUIRE(stat(path, &st) == 0);
    CHECK_INT(st.st_uid, sandbox_uid());
    CHECK_INT(count_entries(out), 4);
    remove_tree(out);
}

/* FIFOs and symbolic links are skipped, one count each; the regular file beside them is
 * copied. */
TEST(sandbox_output_special_files_skipped)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char buf[16];

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    REQUIRE_OK(run_sh(&p, "mkfifo /output/p; mkdir /output/d; mkfifo /output/d/q; "
                          "ln -s nowhere /output/dangling; echo ok > /output/f",
                      NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_NONE);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 3);
    CHECK_INT(r.output_bytes_written, 3);
    CHECK_INT(read_host(out, "f", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "ok\n");
    CHECK_INT(host_mode(out, "p"), 0);
    CHECK_INT(host_mode(out, "dangling"), 0);
    CHECK(S_ISDIR(host_mode(out, "d")));
    CHECK_INT(host_mode(out, "d/q"), 0);
    CHECK_INT(count_entries(out), 2);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* Hard links share the tmpfs's blocks, but each name would be a full copy on the host; the
 * copy stops at the quota. */
TEST(sandbox_output_hard_links_capped_by_quota)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    p.output_quota_bytes = 1u << 20;
    REQUIRE_OK(run_sh(&p, "head -c 600000 /dev/zero > /output/a; ln /output/a /output/b", NULL,
                      &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 1);
    CHECK_INT(r.output_bytes_written, 600000);
    CHECK_INT(count_entries(out), 1);
    /* Which name comes first depends on the tmpfs's directory order. */
    CHECK_INT((file_size(out, "a") == 600000) + (file_size(out, "b") == 600000), 1);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* A sparse file takes no tmpfs blocks but its full size on the host: over the quota, it is
 * skipped. */
TEST(sandbox_output_sparse_file_over_quota)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    p.output_quota_bytes = 1u << 20;
    REQUIRE_OK(run_sh(&p, "truncate -s 8M /output/sparse && echo ok > /output/small", NULL,
                      &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 1);
    CHECK_INT(r.output_bytes_written, 3);
    CHECK_INT(file_size(out, "sparse"), -1);
    CHECK_INT(file_size(out, "small"), 3);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* Folders nested deeper than 64 levels stop the copy at level 64, which counts as one
 * skipped entry. */
TEST(sandbox_output_depth_limit)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char rel[256];
    size_t len = 0;
    int i;

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    REQUIRE_OK(run_sh(&p, "d=/output; for i in $(seq 1 70); do d=$d/d; done; mkdir -p $d", NULL,
                      &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.output_files_written, 0);
    CHECK_INT(r.output_entries_skipped, 1);
    sl_sandbox_result_free(&r);
    for (i = 0; i < 63; i++) {
        len += (size_t)snprintf(rel + len, sizeof(rel) - len, "%sd", i > 0 ? "/" : "");
    }
    CHECK(S_ISDIR(host_mode(out, rel)));
    snprintf(rel + len, sizeof(rel) - len, "/d");
    CHECK_INT(host_mode(out, rel), 0);
    remove_tree(out);
}

/* A file the payload made unreadable is skipped; the copy reads with the payload's
 * identity, also for a root caller. */
TEST(sandbox_output_unreadable_file_skipped)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    REQUIRE_OK(run_sh(&p, "echo x > /output/u; chmod 000 /output/u; echo y > /output/v", NULL,
                      &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 1);
    CHECK_INT(file_size(out, "u"), -1);
    CHECK_INT(file_size(out, "v"), 2);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* A root caller copies with the payload's identity: a root-owned file in output_dir that
 * the payload's user may not write is left alone, and new files belong to that user. */
TEST(sandbox_output_root_copies_as_payload)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char path[256];
    char buf[32];
    struct stat st;

    NEED_LEVEL2();
    if (geteuid() != 0) {
        SKIP("needs a root caller");
    }
    make_dir(out);
    REQUIRE(out[0] != '\0');
    write_file(out, "locked", "root's\n");
    snprintf(path, sizeof(path), "%s/locked", out);
    chmod(path, 0644);
    policy_level(&p, 2);
    p.output_dir = out;
    REQUIRE_OK(run_sh(&p, "echo mine > /output/locked; echo new > /output/fresh", NULL, &r,
                      &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.output_files_written, 1);
    CHECK_INT(r.output_entries_skipped, 1);
    CHECK_INT(read_host(out, "locked", buf, sizeof(buf)), 7);
    CHECK_STR(buf, "root's\n");
    snprintf(path, sizeof(path), "%s/fresh", out);
    REQUIRE(stat(path, &st) == 0);
    CHECK_INT(st.st_uid, 65534);
    CHECK_INT(st.st_gid, 65534);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* At level 2 the host folder is opened once without following a symbolic link. */
TEST(sandbox_output_dir_symlink_rejected)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char link[64];
    char expected[256];

    make_dir(out);
    REQUIRE(out[0] != '\0');
    snprintf(link, sizeof(link), "%s-link", out);
    REQUIRE(symlink(out, link) == 0);
    policy_level(&p, 2);
    p.output_dir = link;
    CHECK_INT(run_sh(&p, "true", NULL, &r, &e), SL_ESANDBOX_POLICY);
    CHECK_STR(e.stage, "open output_dir");
    CHECK_INT(e.sys_errno, ENOTDIR); /* what O_DIRECTORY | O_NOFOLLOW gives for a link */
    snprintf(expected, sizeof(expected), "output_dir \"%s\" is a symbolic link or not a "
             "folder; pass the real folder", link);
    CHECK_STR(e.message, expected);
    unlink(link);
    remove_tree(out);
}

/* The tmpfs holds at most 16384 inodes, its root included: file 16384 fails with ENOSPC,
 * the copy gets every file, and the full tmpfs is reported. */
TEST(sandbox_output_inode_limit)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    policy_level(&p, 2);
    p.output_dir = out;
    p.timeout_ms = 30000;
    REQUIRE_OK(run_sh(&p, "i=0; while true > /output/f$i; do i=$((i+1)); "
                          "[ $i -gt 20000 ] && break; done 2>/dev/null; echo $i",
                      NULL, &r, &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_MEM(r.stdout_data, r.stdout_len, "16383\n");
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(r.output_files_written, 16383);
    CHECK_INT(r.output_entries_skipped, 0);
    CHECK_INT(r.output_bytes_written, 0);
    CHECK_INT(count_entries(out), 16383);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* Level 1 keeps the direct folder: the payload sees what it held, a single file stops at
 * the quota by RLIMIT_FSIZE, and the copy counts stay 0. */
TEST(sandbox_output_level1_direct_folder)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    char out[] = "/tmp/sl-outq-XXXXXX";
    char script[256];

    make_dir(out);
    REQUIRE(out[0] != '\0');
    write_file(out, "old", "kept\n");
    policy_level(&p, 1);
    p.output_dir = out;
    p.output_quota_bytes = 10000;
    snprintf(script, sizeof(script), "cat %s/old; exec head -c 20000 /dev/zero > %s/big",
             out, out);
    REQUIRE_OK(run_sh(&p, script, NULL, &r, &e));
    CHECK_MEM(r.stdout_data, r.stdout_len, "kept\n");
    CHECK_INT(r.exited, 0);
    CHECK_INT(r.signal, SIGXFSZ);
    CHECK_INT(r.limit, SL_LIMIT_FILE_SIZE);
    CHECK_INT(file_size(out, "big"), 10000);
    CHECK_INT(r.output_bytes_written, entry_bytes(out, "big"));
    CHECK_INT(r.output_files_written, 0);
    CHECK_INT(r.output_entries_skipped, 0);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}

/* Collects log messages, one per line, for the test below. */
typedef struct log_lines {
    char text[4096];
    size_t len;
} log_lines;

static void collect_log(void *user, int level, const char *message)
{
    log_lines *lines = (log_lines *)user;
    int n;

    (void)level;
    n = snprintf(lines->text + lines->len, sizeof(lines->text) - lines->len, "%s\n", message);
    if (n > 0 && (size_t)n < sizeof(lines->text) - lines->len) {
        lines->len += (size_t)n;
    }
}

/* Each skipped entry is named in the policy's log with its reason; control characters of
 * the payload's names are replaced, so a name cannot forge log lines. */
TEST(sandbox_output_skips_are_logged)
{
    sl_sandbox_policy p;
    sl_sandbox_result r;
    sl_error e;
    log_lines lines;
    char out[] = "/tmp/sl-outq-XXXXXX";

    NEED_LEVEL2();
    make_dir(out);
    REQUIRE(out[0] != '\0');
    memset(&lines, 0, sizeof(lines));
    policy_level(&p, 2);
    p.output_dir = out;
    p.log = collect_log;
    p.log_user = &lines;
    REQUIRE_OK(run_sh(&p, "mkdir /output/d; ln -s x \"/output/d/a$(printf '\\nb')\"", NULL, &r,
                      &e));
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.output_entries_skipped, 1);
    CHECK(strstr(lines.text, "output copy: skipped /output/d/a?b: symbolic link\n") != NULL);
    sl_sandbox_result_free(&r);
    remove_tree(out);
}
