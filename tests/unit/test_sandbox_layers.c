/* The sandbox's kernel layers (seccomp-bpf, Landlock, cgroup), judged by effect. Small
 * python, node and bash probes run through sl_sandbox_exec and print one "name=result" line
 * per check, where the result is "ok" or the errno name. The expected errno values are
 * exact, because each one shows which layer decided. For example, without the filter
 * clone3(NULL) fails with EFAULT instead of ENOSYS, and ptrace(PTRACE_TRACEME) succeeds.
 *
 * A test skips when the kernel refuses the sandbox or the layer it checks, unless
 * SKILLLITE_TEST_MUST_WORK=1. */
#include "skilllite.h"
#include "test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Older C library headers lack the newer syscall names; the numbers are the same on
 * every architecture from 424 on. */
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

#define LAYERS_PYTHON "/usr/bin/python3"
#define LAYERS_NODE "/usr/bin/node"
#define LAYERS_BASH "/bin/bash"

/* Fills `policy` with the defaults and a timeout that keeps a stuck probe short. */
static void layers_policy(sl_sandbox_policy *policy)
{
    sl_sandbox_policy_init(policy);
    policy->timeout_ms = 20000;
}

/* Runs argv under `policy`. Returns SL_OK, or an error with a skip reason in `why` when the
 * sandbox cannot run here. */
static int layers_run(const sl_sandbox_policy *policy, const char *const *argv,
                      sl_sandbox_result *result, char *why, size_t why_size)
{
    sl_error err;
    int rc;

    memset(result, 0, sizeof(*result));
    rc = sl_sandbox_exec(policy, argv, "", 0, result, &err);
    if (rc != SL_OK) {
        snprintf(why, why_size, "sandbox refused: %s (%s, stage %s)", err.message,
                 sl_result_str(rc), err.stage);
    }
    return rc;
}

/* Copies the value of the "name=value" line of `out` into `value` ("(missing)" if absent). */
static const char *layers_value(const char *out, const char *name, char *value, size_t size)
{
    size_t name_len = strlen(name);
    const char *line = out;

    snprintf(value, size, "(missing)");
    while (line != NULL && *line != '\0') {
        if (strncmp(line, name, name_len) == 0 && line[name_len] == '=') {
            const char *start = line + name_len + 1;
            const char *end = strchr(start, '\n');
            size_t len = end != NULL ? (size_t)(end - start) : strlen(start);
            snprintf(value, size, "%.*s", (int)len, start);
            break;
        }
        line = strchr(line, '\n');
        if (line != NULL) {
            line++;
        }
    }
    return value;
}

/* Prints the probe's output when a case failed, so the errno lines are visible. */
static void layers_dump(const sl_sandbox_result *result)
{
    if (sl_test_case_failed()) {
        printf("  stdout: %s\n  stderr: %s\n", result->stdout_data ? result->stdout_data : "",
               result->stderr_data ? result->stderr_data : "");
    }
}

/* A python preamble: sc(nr, args...) calls syscall(2) with every argument passed as a full
 * 64-bit value and returns "ok" or the errno name. */
#define LAYERS_PY_PREAMBLE                                                                  \
    "import ctypes, errno, os, socket, sys, threading\n"                                    \
    "libc = ctypes.CDLL(None, use_errno=True)\n"                                            \
    "libc.syscall.restype = ctypes.c_long\n"                                                \
    "def sc(nr, *args):\n"                                                                  \
    "    ctypes.set_errno(0)\n"                                                             \
    "    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_ulong(a) for a in args])\n"         \
    "    return 'ok' if r >= 0 else errno.errorcode.get(ctypes.get_errno(), '?')\n"        \
    "def tryit(fn):\n"                                                                      \
    "    try:\n"                                                                            \
    "        fn()\n"                                                                        \
    "        return 'ok'\n"                                                                 \
    "    except OSError as e:\n"                                                            \
    "        return errno.errorcode.get(e.errno, '?')\n"                                    \
    "def out(name, value):\n"                                                               \
    "    print(name + '=' + value, flush=True)\n"

static int layers_have(const char *path, char *why, size_t size)
{
    if (access(path, X_OK) != 0) {
        snprintf(why, size, "%s not installed", path);
        return 0;
    }
    return 1;
}

/* Returns 1 when the result lists every layer in `layers`; else sets a skip reason. */
static int layers_active(const sl_sandbox_result *result, unsigned layers, char *why,
                         size_t size)
{
    char names[256];

    if ((result->layers & layers) == layers) {
        return 1;
    }
    snprintf(why, size, "layers not active: %s",
             sl_sandbox_layers_str(layers & ~result->layers, names, sizeof(names)));
    return 0;
}

TEST(layers_seccomp_denies_syscalls)
{
    char script[4096];
    char why[512];
    char value[64];
    const char *argv[4];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    /* Syscall numbers come from this host's headers, so the probe matches the architecture.
       clone3 is 435 everywhere. Bits set in the upper half of a 64-bit argument must not
       skip a rule. */
    snprintf(script, sizeof(script),
             LAYERS_PY_PREAMBLE
             "HIGH = 1 << 32\n"
             "out('io_uring_setup', sc(%d, 1, 0))\n"
             "out('ptrace_traceme', sc(%d, 0, 0, 0, 0))\n"
             "out('unshare_newuser', sc(%d, 0x10000000))\n"
             "out('unshare_newuser_high', sc(%d, 0x10000000 | HIGH))\n"
             "out('clone_newuser', sc(%d, 0x10000000 | 17, 0, 0, 0, 0))\n"
             "out('clone3', sc(435, 0, 0))\n"
             "out('personality_addr_no_randomize', sc(%d, 0x0040000))\n"
             "out('personality_query', sc(%d, 0xffffffff))\n"
             "out('ioctl_tiocsti_high', sc(%d, 0, 0x5412 | HIGH, 0))\n"
             "out('socket_packet', tryit(lambda: socket.socket(17, socket.SOCK_RAW, 0)))\n"
             "out('socket_unix', tryit(lambda: socket.socket(socket.AF_UNIX)))\n"
             "out('socket_unix_high', sc(%d, 1 | HIGH, 1, 0))\n"
             "out('socket_netlink_route', tryit(lambda: socket.socket(16, 3, 0)))\n"
             "out('socket_netlink_audit', tryit(lambda: socket.socket(16, 3, 9)))\n"
             "out('socketpair', tryit(lambda: socket.socketpair()))\n"
             "out('mount', sc(%d, 0, 0, 0, 0, 0))\n",
             (int)SYS_io_uring_setup, (int)SYS_ptrace, (int)SYS_unshare, (int)SYS_unshare,
             (int)SYS_clone, (int)SYS_personality, (int)SYS_personality, (int)SYS_ioctl,
             (int)SYS_socket, (int)SYS_mount);
    argv[0] = LAYERS_PYTHON;
    argv[1] = "-c";
    argv[2] = script;
    argv[3] = NULL;
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_SECCOMP, why, sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_STR(layers_value(result.stdout_data, "io_uring_setup", value, sizeof(value)), "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "ptrace_traceme", value, sizeof(value)), "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "unshare_newuser", value, sizeof(value)),
              "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "unshare_newuser_high", value, sizeof(value)),
              "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "clone_newuser", value, sizeof(value)), "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "clone3", value, sizeof(value)), "ENOSYS");
    CHECK_STR(layers_value(result.stdout_data, "personality_addr_no_randomize", value,
                           sizeof(value)), "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "personality_query", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "ioctl_tiocsti_high", value, sizeof(value)),
              "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "socket_packet", value, sizeof(value)),
              "EAFNOSUPPORT");
    CHECK_STR(layers_value(result.stdout_data, "socket_unix", value, sizeof(value)), "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "socket_unix_high", value, sizeof(value)),
              "EPERM");
    CHECK_STR(layers_value(result.stdout_data, "socket_netlink_route", value, sizeof(value)),
              "ok");
    CHECK_STR(layers_value(result.stdout_data, "socket_netlink_audit", value, sizeof(value)),
              "EPROTONOSUPPORT");
    CHECK_STR(layers_value(result.stdout_data, "socketpair", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "mount", value, sizeof(value)), "EPERM");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

#if defined(__x86_64__)
TEST(layers_seccomp_kills_x32_syscall)
{
    /* getpid through the x32 ABI (0x40000000 | 39): the filter kills the whole process. */
    static const char script[] =
        LAYERS_PY_PREAMBLE
        "sc(0x40000000 | 39)\n"
        "out('survived', 'yes')\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_SECCOMP, why, sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK_INT(result.exited, 0);
    CHECK_INT(result.signal, SIGSYS);
    CHECK_MEM(result.stdout_data, result.stdout_len, "");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_seccomp_kills_i386_syscall)
{
    /* getpid through `int 0x80` (the i386 ABI, number 20), from machine code in an
       executable page: the filter's architecture check kills the process. */
    static const char script[] =
        "import ctypes, mmap\n"
        "code = bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3])\n"
        "m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "m.write(code)\n"
        "addr = ctypes.addressof(ctypes.c_char.from_buffer(m))\n"
        "ctypes.CFUNCTYPE(ctypes.c_int)(addr)()\n"
        "print('survived', flush=True)\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_SECCOMP, why, sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK_INT(result.exited, 0);
    CHECK_INT(result.signal, SIGSYS);
    CHECK_MEM(result.stdout_data, result.stdout_len, "");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}
#endif

TEST(layers_seccomp_keeps_python_working)
{
    static const char script[] =
        LAYERS_PY_PREAMBLE
        "box = []\n"
        "t = threading.Thread(target=lambda: box.append(1))\n"
        "t.start()\n"
        "t.join()\n"
        "out('thread', 'ok' if box == [1] else 'failed')\n"
        "a, b = socket.socketpair()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    a.sendall(b'from child')\n"
        "    os._exit(0)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "got = b.recv(64)\n"
        "out('fork_socketpair', 'ok' if got == b'from child' and status == 0 else 'failed')\n"
        "import subprocess\n"
        "rc = subprocess.run(['/bin/true']).returncode\n"
        "out('subprocess', 'ok' if rc == 0 else 'failed')\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    char value[64];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    policy.allow_subprocess = 1;
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_STR(layers_value(result.stdout_data, "thread", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "fork_socketpair", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "subprocess", value, sizeof(value)), "ok");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_seccomp_keeps_node_working)
{
    const char *argv[] = {LAYERS_NODE, "-e", "console.log(1)", NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_NODE, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_MEM(result.stdout_data, result.stdout_len, "1\n");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

/* A python skill's usual concurrency and scratch files: threads, tempfile in /tmp, a Unix
 * socketpair, and a multiprocessing Pool with the fork start method (its workers, its
 * semaphores in /dev/shm and its pipes), with no exec allowed. */
TEST(layers_python_threads_tempfile_multiprocessing)
{
    static const char script[] =
        LAYERS_PY_PREAMBLE
        "import multiprocessing, tempfile\n"
        "results = []\n"
        "workers = [threading.Thread(target=lambda i=i: results.append(i * i)) "
        "for i in range(4)]\n"
        "for w in workers: w.start()\n"
        "for w in workers: w.join()\n"
        "out('threads', 'ok' if sorted(results) == [0, 1, 4, 9] else repr(results))\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    with tempfile.NamedTemporaryFile('w+', dir=d) as f:\n"
        "        f.write('scratch'); f.flush(); f.seek(0)\n"
        "        ok = f.read() == 'scratch' and f.name.startswith('/tmp/')\n"
        "    out('tempfile', 'ok' if ok and os.listdir(d) == [] else 'failed')\n"
        "a, b = socket.socketpair()\n"
        "a.sendall(b'ping'); got = b.recv(4)\n"
        "out('socketpair', 'ok' if got == b'ping' else repr(got))\n"
        "def square(x):\n"
        "    return x * x\n"
        "ctx = multiprocessing.get_context('fork')\n"
        "with ctx.Pool(2) as pool:\n"
        "    squares = pool.map(square, range(10))\n"
        "out('pool_map', 'ok' if squares == [x * x for x in range(10)] else repr(squares))\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    char value[64];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_SECCOMP | SL_LAYER_LANDLOCK | SL_LAYER_PIDNS, why,
                       sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_INT(result.limit, SL_LIMIT_NONE);
    CHECK_STR(layers_value(result.stdout_data, "threads", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "tempfile", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "socketpair", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "pool_map", value, sizeof(value)), "ok");
    CHECK_STR(result.stderr_data, "");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

/* A node skill's child-free concurrency and scratch files: a worker thread that answers
 * over a MessageChannel port, and fs.mkdtemp plus a file in /tmp. */
TEST(layers_node_worker_threads_mkdtemp)
{
    static const char script[] =
        "const { Worker, MessageChannel } = require('worker_threads');\n"
        "const fs = require('fs'), os = require('os'), path = require('path');\n"
        "const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skill-'));\n"
        "fs.writeFileSync(path.join(dir, 'note'), 'scratch');\n"
        "const ok = dir.startsWith('/tmp/skill-') &&\n"
        "    fs.readFileSync(path.join(dir, 'note'), 'utf8') === 'scratch';\n"
        "fs.rmSync(dir, { recursive: true });\n"
        "console.log('mkdtemp=' + (ok && !fs.existsSync(dir) ? 'ok' : 'failed'));\n"
        "const { port1, port2 } = new MessageChannel();\n"
        "const w = new Worker(\"const { workerData } = require('worker_threads');\\n\" +\n"
        "    \"workerData.port.on('message', (n) => { workerData.port.postMessage(n * 2); \" +\n"
        "    \"workerData.port.close(); });\",\n"
        "    { eval: true, workerData: { port: port2 }, transferList: [port2] });\n"
        "port1.on('message', (v) => {\n"
        "    console.log('worker=' + (v === 42 ? 'ok' : String(v)));\n"
        "    port1.close();\n"
        "});\n"
        "w.on('error', (e) => { console.log('worker=' + e.message); process.exitCode = 1; });\n"
        "w.on('exit', (code) => console.log('worker_exit=' + code));\n"
        "port1.postMessage(21);\n";
    const char *argv[] = {LAYERS_NODE, "-e", script, NULL};
    char why[512];
    char value[64];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_NODE, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_SECCOMP | SL_LAYER_LANDLOCK | SL_LAYER_PIDNS, why,
                       sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_INT(result.limit, SL_LIMIT_NONE);
    CHECK_STR(layers_value(result.stdout_data, "mkdtemp", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "worker", value, sizeof(value)), "ok");
    CHECK_STR(layers_value(result.stdout_data, "worker_exit", value, sizeof(value)), "0");
    CHECK_STR(result.stderr_data, "");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_seccomp_keeps_bash_working)
{
    const char *argv[] = {LAYERS_BASH, "-c", "echo $((20 + 22)) | cat", NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_BASH, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_MEM(result.stdout_data, result.stdout_len, "42\n");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_landlock_denies_write_and_exec)
{
    /* /proc is a writable mount and a process may write its own comm, so only Landlock turns
       that write into EACCES. With allow_subprocess off, exec of another program is EACCES
       from Landlock's execute right. */
    static const char script[] =
        LAYERS_PY_PREAMBLE
        "out('write_proc_comm', tryit(lambda: open('/proc/self/comm', 'w').write('x')))\n"
        "out('exec_true', tryit(lambda: os.execv('/bin/true', ['true'])))\n"
        "out('read_proc_comm', tryit(lambda: open('/proc/self/comm').read()))\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    char value[64];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    if (!layers_active(&result, SL_LAYER_LANDLOCK, why, sizeof(why))) {
        sl_sandbox_result_free(&result);
        SKIP(why);
    }
    CHECK(result.landlock_abi >= 1);
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    CHECK_STR(layers_value(result.stdout_data, "write_proc_comm", value, sizeof(value)),
              "EACCES");
    CHECK_STR(layers_value(result.stdout_data, "exec_true", value, sizeof(value)), "EACCES");
    CHECK_STR(layers_value(result.stdout_data, "read_proc_comm", value, sizeof(value)), "ok");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_network_off_cannot_reach_host_tcp)
{
    /* A listener on the host's 127.0.0.1 must be unreachable with network = 0. */
    char script[1024];
    const char *argv[4];
    char why[512];
    char value[64];
    sl_sandbox_policy policy;
    sl_sandbox_result result;
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof(addr);
    int listener;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listener >= 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    REQUIRE(listen(listener, 4) == 0);
    REQUIRE(getsockname(listener, (struct sockaddr *)&addr, &addr_len) == 0);
    snprintf(script, sizeof(script),
             LAYERS_PY_PREAMBLE
             "s = socket.socket()\n"
             "s.settimeout(5)\n"
             "out('tcp_connect', tryit(lambda: s.connect(('127.0.0.1', %d))))\n",
             (int)ntohs(addr.sin_port));
    argv[0] = LAYERS_PYTHON;
    argv[1] = "-c";
    argv[2] = script;
    argv[3] = NULL;
    layers_policy(&policy);
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        close(listener);
        SKIP(why);
    }
    close(listener);
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 0);
    layers_value(result.stdout_data, "tcp_connect", value, sizeof(value));
    /* Landlock ABI 4 and later denies TCP connect first; below that the empty loopback of
     * the sandbox's network namespace refuses it. */
    CHECK_STR(value, result.landlock_abi >= 4 ? "EACCES" : "ECONNREFUSED");
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_cgroup_stops_memory_bomb)
{
    static const char script[] =
        "chunks = []\n"
        "for i in range(1024):\n"
        "    chunks.append(bytearray(1 << 20))\n"
        "print('survived', flush=True)\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    policy.memory_bytes = (uint64_t)96 << 20;
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    CHECK_INT(result.limit, SL_LIMIT_MEMORY);
    CHECK_MEM(result.stdout_data, result.stdout_len, "");
    if ((result.layers & SL_LAYER_CGROUP) != 0) {
        /* The OOM killer ends the run; the peak is the cgroup's, close to the limit. */
        CHECK_INT(result.exited, 0);
        CHECK_INT(result.signal, SIGKILL);
        CHECK(result.peak_memory_bytes > ((uint64_t)80 << 20));
        CHECK(result.peak_memory_bytes <= ((uint64_t)96 << 20));
    }
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}

TEST(layers_cgroup_stops_fork_bomb)
{
    /* Forks sleeping children until fork fails; the uncaught BlockingIOError then ends the
       payload with status 1. The sleepers die with the sandbox. */
    static const char script[] =
        "import os, sys, time\n"
        "for i in range(200):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
        "    print('child', i + 1, flush=True)\n";
    const char *argv[] = {LAYERS_PYTHON, "-c", script, NULL};
    char why[512];
    sl_sandbox_policy policy;
    sl_sandbox_result result;

    if (!layers_have(LAYERS_PYTHON, why, sizeof(why))) {
        SKIP(why);
    }
    layers_policy(&policy);
    policy.max_processes = 16;
    if (layers_run(&policy, argv, &result, why, sizeof(why)) != SL_OK) {
        SKIP(why);
    }
    CHECK(result.wall_ns < (uint64_t)15 * 1000000000u);
    CHECK_INT(result.exited, 1);
    CHECK_INT(result.exit_code, 1);
    REQUIRE(result.stdout_data != NULL);
    REQUIRE(result.stderr_data != NULL);
    /* pids.max counts the sandbox's init and python itself, so fewer than 16 children fit. */
    CHECK(strstr(result.stdout_data, "child 1\n") != NULL);
    CHECK(strstr(result.stdout_data, "child 16\n") == NULL);
    CHECK(strstr(result.stderr_data, "[Errno 11] Resource temporarily unavailable") != NULL);
    if ((result.layers & SL_LAYER_CGROUP) != 0) {
        CHECK_INT(result.limit, SL_LIMIT_PIDS);
    }
    layers_dump(&result);
    sl_sandbox_result_free(&result);
}
