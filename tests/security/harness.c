/* The host side of the security suite: the temporary folder with its canaries, the
 * listeners on 127.0.0.1, the canary process and the runner that starts the CLI (or a peer
 * sandbox) and collects what it printed. Nothing here talks to any address other than
 * 127.0.0.1 or touches a host file outside the suite's own temporary folder, except the
 * names the write probes try to create in /tmp, which the suite removes. */
#define _GNU_SOURCE

#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Top-level names the sandbox itself may show at /; any other host name in a listing of /
 * comes from the host. */
static const char *const sec_sandbox_root_names[] = {
    "bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "dev", "proc",
    "tmp", "sys", "run", "skill", "output", NULL};

static long sec_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sec_random_token(char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[SEC_TOKEN_LEN / 2];
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t i;

    if (fd >= 0) {
        ssize_t n = read(fd, raw, sizeof(raw));
        got = n > 0 ? (size_t)n : 0;
        close(fd);
    }
    for (i = got; i < sizeof(raw); i++) {
        raw[i] = (unsigned char)(rand() ^ (int)time(NULL));
    }
    for (i = 0; i < sizeof(raw); i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[SEC_TOKEN_LEN] = '\0';
}

int sec_have_program(const char *name, char *path, size_t size)
{
    const char *p = getenv("PATH");

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ':');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

        if ((size_t)snprintf(path, size, "%.*s/%s", (int)len, p, name) < size &&
            access(path, X_OK) == 0) {
            return 1;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

/* Writes `text` to `path` with `mode`. Returns 0 or -1. */
static int sec_write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    size_t len = strlen(text);
    int ok;

    if (fd < 0) {
        return -1;
    }
    ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    chmod(path, mode);
    return ok ? 0 : -1;
}

/* Reads a whole small file into a malloc'd string; NULL on failure. */
static char *sec_read_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *buf;
    size_t len = 0;
    size_t cap = 4096;
    ssize_t n;

    if (fd < 0) {
        return NULL;
    }
    buf = (char *)malloc(cap + 1);
    while (buf != NULL && (n = read(fd, buf + len, cap - len)) > 0) {
        len += (size_t)n;
        if (len == cap) {
            char *grown = (char *)realloc(buf, cap * 2 + 1);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    close(fd);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

/* Copies the folder `from` to `to` (regular files 0644, folders 0755). */
static int sec_copy_tree(const char *from, const char *to)
{
    DIR *d = opendir(from);
    struct dirent *e;
    int rc = 0;

    if (d == NULL || mkdir(to, 0755) != 0) {
        if (d != NULL) {
            closedir(d);
        }
        return -1;
    }
    chmod(to, 0755);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char src[PATH_MAX];
        char dst[PATH_MAX];
        struct stat st;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
        snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
        if (lstat(src, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = sec_copy_tree(src, dst);
        } else if (S_ISREG(st.st_mode)) {
            char *text = sec_read_file(src);
            rc = text != NULL ? sec_write_file(dst, text, 0644) : -1;
            free(text);
        }
    }
    closedir(d);
    return rc;
}

/* Removes a folder tree without following symbolic links. */
static void sec_remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;

    if (d != NULL) {
        while ((e = readdir(d)) != NULL) {
            char child[PATH_MAX];
            struct stat st;

            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
                sec_remove_tree(child);
            } else {
                unlink(child);
            }
        }
        closedir(d);
    }
    rmdir(path);
}

static int sec_socket_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        return -1;
    }
    return ntohs(a.sin_port);
}

/* Opens a socket bound to 127.0.0.1:0 and returns it (listening for TCP). */
static int sec_loopback_socket(int type, int *port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        return -1;
    }
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        (type == SOCK_STREAM && listen(fd, 64) != 0)) {
        close(fd);
        return -1;
    }
    *port = sec_socket_port(fd);
    return fd;
}

/* Opens a Unix listener; `abstract` puts `name` in the abstract namespace. */
static int sec_unix_listener(const char *name, int abstract)
{
    struct sockaddr_un a;
    socklen_t len;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        return -1;
    }
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    if (abstract) {
        snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "%s", name);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
    } else {
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", name);
        len = (socklen_t)sizeof(a);
    }
    if (bind(fd, (struct sockaddr *)&a, len) != 0 || listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    if (!abstract) {
        chmod(name, 0777);
    }
    return fd;
}

static void sec_start_canary(sec_env *env)
{
    pid_t pid = fork();

    if (pid == 0) {
        char *argv[3];
        int fd;

        argv[0] = env->canary_name;
        argv[1] = (char *)"120";
        argv[2] = NULL;
        for (fd = 3; fd < 1024; fd++) {
            close(fd);
        }
        execv("/bin/sleep", argv);
        _exit(127);
    }
    env->canary_pid = pid;
}

int sec_env_canary_dead(sec_env *env)
{
    int status;

    if (env->canary_pid <= 0) {
        return 1;
    }
    if (waitpid(env->canary_pid, &status, WNOHANG) == env->canary_pid) {
        env->canary_pid = 0;
        return 1;
    }
    return 0;
}

void sec_env_ensure_canary(sec_env *env)
{
    if (sec_env_canary_dead(env)) {
        sec_start_canary(env);
    }
}

/* Builds the CLI's environment: the host's, minus PATH, HOME and SKILLLITE_*, plus a fixed
 * PATH, the fake HOME, the canary secret and a host-only marker variable. */
static int sec_build_env(sec_env *env)
{
    size_t n = 0;
    size_t k = 0;
    size_t i;
    const char *keep_path = getenv("SKILLLITE_SECURITY_KEEP_PATH");
    char buf[PATH_MAX + 64];

    while (environ[n] != NULL) {
        n++;
    }
    env->cli_env = (char **)calloc(n + 8, sizeof(char *));
    if (env->cli_env == NULL) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *e = environ[i];

        if (strncmp(e, "HOME=", 5) == 0 || strncmp(e, "SKILLLITE_", 10) == 0 ||
            (strncmp(e, "PATH=", 5) == 0 && !(keep_path && keep_path[0] == '1'))) {
            continue;
        }
        env->cli_env[k++] = strdup(e);
    }
    if (!(keep_path && keep_path[0] == '1')) {
        env->cli_env[k++] = strdup("PATH=/usr/local/bin:/usr/bin:/bin");
    }
    snprintf(buf, sizeof(buf), "HOME=%s", env->home);
    env->cli_env[k++] = strdup(buf);
    snprintf(buf, sizeof(buf), "SKILLLITE_CANARY_SECRET=%s", env->env_secret);
    env->cli_env[k++] = strdup(buf);
    env->cli_env[k++] = strdup("SL_SEC_HOST_ONLY=1");
    env->cli_env[k] = NULL;
    return 0;
}

/* Collects the host's top-level names that the sandbox has no reason to show. */
static void sec_collect_root_names(sec_env *env)
{
    DIR *d = opendir("/");
    struct dirent *e;
    size_t used = 0;

    env->root_names[0] = '\0';
    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        size_t i;
        int known = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;

        for (i = 0; !known && sec_sandbox_root_names[i] != NULL; i++) {
            known = strcmp(e->d_name, sec_sandbox_root_names[i]) == 0;
        }
        if (!known && used + strlen(e->d_name) + 2 < sizeof(env->root_names)) {
            used += (size_t)snprintf(env->root_names + used, sizeof(env->root_names) - used,
                                     "%s\n", e->d_name);
        }
    }
    closedir(d);
}

static int sec_setup_files(sec_env *env, const char *probes_dir)
{
    char path[PATH_MAX + 32];
    char text[256];

    snprintf(env->skill, sizeof(env->skill), "%s/probes", env->tmp);
    if (sec_copy_tree(probes_dir, env->skill) != 0) {
        fprintf(stderr, "security: cannot copy %s to %s: %s\n", probes_dir, env->skill,
                strerror(errno));
        return -1;
    }
    /* NOTE: every canary is world-readable on purpose. The suite measures what the
     * sandbox's view of the file system hides, not what file modes already hide (a root
     * caller's runs are nobody, who could not read a 0600 file anyway). */
    snprintf(env->home, sizeof(env->home), "%s/home", env->tmp);
    snprintf(path, sizeof(path), "%s/.ssh", env->home);
    if (mkdir(env->home, 0755) != 0 || mkdir(path, 0755) != 0) {
        return -1;
    }
    chmod(env->home, 0755);
    chmod(path, 0755);
    snprintf(path, sizeof(path), "%s/.ssh/id_rsa", env->home);
    snprintf(text, sizeof(text), "%s\n", env->ssh_secret);
    if (sec_write_file(path, text, 0644) != 0) {
        return -1;
    }
    snprintf(env->canary, sizeof(env->canary), "%s/outside-secret.txt", env->tmp);
    snprintf(text, sizeof(text), "%s\n", env->file_secret);
    if (sec_write_file(env->canary, text, 0644) != 0) {
        return -1;
    }
    snprintf(env->link_target, sizeof(env->link_target), "%s/link-target.txt", env->tmp);
    if (sec_write_file(env->link_target, "original\n", 0666) != 0) {
        return -1;
    }
    snprintf(env->out_dir, sizeof(env->out_dir), "%s/out", env->tmp);
    if (mkdir(env->out_dir, 0777) != 0) {
        return -1;
    }
    chmod(env->out_dir, 0777);
    snprintf(path, sizeof(path), "%s/sock", env->tmp);
    if (mkdir(path, 0755) != 0) {
        return -1;
    }
    chmod(path, 0755);
    snprintf(env->sock_path, sizeof(env->sock_path), "%s/sock/agent.sock", env->tmp);
    return 0;
}

int sec_env_make_skill(sec_env *env, const char *name, const char *const *files, char *out,
                       size_t size)
{
    char path[PATH_MAX + 64];
    char text[512];
    struct stat st;
    size_t i;

    if ((size_t)snprintf(out, size, "%s/%s", env->tmp, name) >= size) {
        return -1;
    }
    if (stat(out, &st) == 0) {
        return 0;
    }
    if (mkdir(out, 0755) != 0) {
        return -1;
    }
    chmod(out, 0755);
    snprintf(path, sizeof(path), "%s/SKILL.md", out);
    snprintf(text, sizeof(text), "---\nname: %s\ndescription: One probe of the sandbox security "
             "suite, alone in its folder so that a level 3 scan judges only this case.\n---\n",
             name);
    if (sec_write_file(path, text, 0644) != 0) {
        return -1;
    }
    for (i = 0; files[i] != NULL; i++) {
        char src[PATH_MAX + 64];
        const char *slash = strrchr(files[i], '/');
        char *content;
        int rc;

        if (slash != NULL) {
            snprintf(path, sizeof(path), "%s/%.*s", out, (int)(slash - files[i]), files[i]);
            mkdir(path, 0755);
            chmod(path, 0755);
        }
        snprintf(src, sizeof(src), "%s/%s", env->skill, files[i]);
        snprintf(path, sizeof(path), "%s/%s", out, files[i]);
        content = sec_read_file(src);
        rc = content != NULL ? sec_write_file(path, content, 0644) : -1;
        free(content);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int sec_setup_listeners(sec_env *env)
{
    int port = 0;
    int probe;

    env->tcp_fd = sec_loopback_socket(SOCK_STREAM, &env->tcp_port);
    env->udp_fd = sec_loopback_socket(SOCK_DGRAM, &env->udp_port);
    env->abstract_fd = sec_unix_listener(env->abstract_name, 1);
    env->unix_fd = sec_unix_listener(env->sock_path, 0);
    /* A free port for the probe that listens: bind, read the number, close. */
    probe = sec_loopback_socket(SOCK_STREAM, &port);
    if (probe >= 0) {
        close(probe);
    }
    env->listen_port = port;
    if (env->tcp_fd < 0 || env->udp_fd < 0 || env->abstract_fd < 0 || env->unix_fd < 0 ||
        port <= 0) {
        fprintf(stderr, "security: cannot open the listeners on 127.0.0.1: %s\n",
                strerror(errno));
        return -1;
    }
    return 0;
}

int sec_env_setup(sec_env *env, const char *probes_dir)
{
    struct passwd *pw;
    char hex[SEC_TOKEN_LEN + 1];

    if (env->ready) {
        return 0;
    }
    memset(env, 0, sizeof(*env));
    env->tcp_fd = env->udp_fd = env->abstract_fd = env->unix_fd = env->secret_fd = -1;
    snprintf(env->tmp, sizeof(env->tmp), "/tmp/sl-sec-XXXXXX");
    if (mkdtemp(env->tmp) == NULL) {
        fprintf(stderr, "security: mkdtemp failed: %s\n", strerror(errno));
        return -1;
    }
    chmod(env->tmp, 0755);
    sec_random_token(env->file_secret);
    sec_random_token(env->ssh_secret);
    sec_random_token(env->env_secret);
    sec_random_token(hex);
    snprintf(env->tag, sizeof(env->tag), "sltag%.16s", hex);
    snprintf(env->canary_name, sizeof(env->canary_name), "slcanary%.16s", hex + 16);
    snprintf(env->abstract_name, sizeof(env->abstract_name), "sl-sec-%.16s", hex);
    env->ready = 1; /* from here on, teardown has something to undo */

    if (sec_setup_files(env, probes_dir) != 0 || sec_setup_listeners(env) != 0) {
        return -1;
    }
    env->secret_fd = open(env->canary, O_RDONLY | O_CLOEXEC);
    gethostname(env->hostname, sizeof(env->hostname) - 1);
    pw = getpwuid(getuid());
    if (pw != NULL) {
        snprintf(env->user, sizeof(env->user), "%s", pw->pw_name);
        snprintf(env->real_home, sizeof(env->real_home), "%s", pw->pw_dir);
    }
    env->passwd = sec_read_file("/etc/passwd");
    sec_collect_root_names(env);
    if (sec_build_env(env) != 0) {
        return -1;
    }
    sec_start_canary(env);
    return 0;
}

static int sec_read_cmdline(pid_t pid, char *buf, size_t size)
{
    char path[64];
    int fd;
    ssize_t n;
    ssize_t i;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (buf[i] == '\0') {
            buf[i] = ' ';
        }
    }
    buf[n] = '\0';
    return 0;
}

/* Counts (and with `kill_them` kills) the processes whose command line holds the tag. */
static int sec_scan_tagged(sec_env *env, int kill_them)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int count = 0;
    pid_t self = getpid();

    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        char cmd[4096];
        pid_t pid = (pid_t)atoi(e->d_name);

        if (pid <= 0 || pid == self || sec_read_cmdline(pid, cmd, sizeof(cmd)) != 0) {
            continue;
        }
        if (strstr(cmd, env->tag) != NULL) {
            count++;
            if (kill_them) {
                kill(pid, SIGKILL);
            }
        }
    }
    closedir(d);
    return count;
}

int sec_kill_tagged(sec_env *env)
{
    int n = sec_scan_tagged(env, 1);
    int status;

    while (waitpid(-1, &status, WNOHANG) > 0) {
        if (env->canary_pid > 0 && kill(env->canary_pid, 0) != 0) {
            env->canary_pid = 0;
        }
    }
    return n;
}

void sec_env_teardown(sec_env *env)
{
    size_t i;

    if (!env->ready) {
        return;
    }
    if (env->canary_pid > 0) {
        kill(env->canary_pid, SIGKILL);
        waitpid(env->canary_pid, NULL, 0);
        env->canary_pid = 0;
    }
    sec_kill_tagged(env);
    if (env->tcp_fd >= 0) {
        close(env->tcp_fd);
    }
    if (env->udp_fd >= 0) {
        close(env->udp_fd);
    }
    if (env->abstract_fd >= 0) {
        close(env->abstract_fd);
    }
    if (env->unix_fd >= 0) {
        close(env->unix_fd);
    }
    if (env->secret_fd >= 0) {
        close(env->secret_fd);
    }
    if (env->tmp[0] != '\0') {
        sec_remove_tree(env->tmp);
    }
    for (i = 0; env->cli_env != NULL && env->cli_env[i] != NULL; i++) {
        free(env->cli_env[i]);
    }
    free(env->cli_env);
    free(env->passwd);
    memset(env, 0, sizeof(*env));
}

/* Accepts and closes every pending connection; returns how many there were. */
static int sec_accept_all(int fd)
{
    int n = 0;
    int c;

    while (fd >= 0 && (c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
        close(c);
        n++;
    }
    return n;
}

static int sec_recv_all(int fd)
{
    char buf[2048];
    int n = 0;

    while (fd >= 0 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
        n++;
    }
    return n;
}

void sec_env_drain(sec_env *env)
{
    sec_accept_all(env->tcp_fd);
    sec_recv_all(env->udp_fd);
    sec_accept_all(env->abstract_fd);
    sec_accept_all(env->unix_fd);
}

int sec_env_tcp_hit(sec_env *env)
{
    return sec_accept_all(env->tcp_fd) > 0;
}

int sec_env_udp_hit(sec_env *env)
{
    return sec_recv_all(env->udp_fd) > 0;
}

int sec_env_abstract_hit(sec_env *env)
{
    return sec_accept_all(env->abstract_fd) > 0;
}

int sec_env_unix_hit(sec_env *env)
{
    return sec_accept_all(env->unix_fd) > 0;
}

/* Tries one connection to 127.0.0.1:port from the host, waiting at most 20 ms. */
static int sec_try_connect(int port)
{
    struct sockaddr_in a;
    struct pollfd p;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int ok = 0;
    int soerr = 0;
    socklen_t len = sizeof(soerr);

    if (fd < 0) {
        return 0;
    }
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        ok = 1;
    } else if (errno == EINPROGRESS) {
        p.fd = fd;
        p.events = POLLOUT;
        if (poll(&p, 1, 20) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
            soerr == 0) {
            ok = 1;
        }
    }
    close(fd);
    return ok;
}

/* Appends a chunk read from `fd` to a growing buffer capped at SEC_OUTPUT_MAX. Returns 0 at
 * EOF or error, 1 when more may come. */
static int sec_pump(int fd, char **buf, size_t *len, size_t *cap)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof(chunk));

    if (n < 0) {
        return errno == EAGAIN || errno == EINTR;
    }
    if (n == 0) {
        return 0;
    }
    if (*len + (size_t)n > SEC_OUTPUT_MAX) {
        n = (ssize_t)(SEC_OUTPUT_MAX - *len);
    }
    if (*len + (size_t)n + 1 > *cap) {
        size_t want = (*len + (size_t)n + 1) * 2;
        char *grown = (char *)realloc(*buf, want);
        if (grown == NULL) {
            return 0;
        }
        *buf = grown;
        *cap = want;
    }
    memcpy(*buf + *len, chunk, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return 1;
}

/* Undoes JSON string escapes over a whole buffer, so that text inside the CLI's --json
 * object can be searched like raw output. */
static size_t sec_unescape_into(const char *s, size_t len, char *out)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == '\\' && i + 1 < len) {
            char n = s[++i];
            switch (n) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                if (i + 4 < len) {
                    unsigned v = (unsigned)strtoul((char[]){s[i + 1], s[i + 2], s[i + 3],
                                                            s[i + 4], 0},
                                                   NULL, 16);
                    c = v < 0x80 ? (char)v : '?';
                    i += 4;
                }
                break;
            default: c = n; break;
            }
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

void sec_run_argv(sec_env *env, char *const *argv, int deadline_ms, int listen_hook, int tty,
                  sec_run *r)
{
    int out_pipe[2];
    int err_pipe[2];
    int master = -1;
    int slave_keep = -1;
    char slave_name[128];
    size_t out_cap = 0;
    size_t err_cap = 0;
    long start;
    long end_seen = -1;
    int out_open = 1;
    int err_open = 1;
    int status = 0;
    int exited = 0;
    pid_t pid;
    long t;

    memset(r, 0, sizeof(*r));
    r->exit_status = -1;
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        return;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return;
    }
    if (tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 &&
            ptsname_r(master, slave_name, sizeof(slave_name)) == 0) {
            /* The harness keeps one end of the slave open, so the terminal never hangs up
             * and its input queue can be read after the run. */
            slave_keep = open(slave_name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        }
        if (slave_keep < 0) {
            tty = 0;
        }
    }
    start = sec_now_ms();
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        int fd;

        if (tty) {
            /* A new session, then the first terminal it opens becomes its controlling
             * terminal: the situation of a CLI started from a shell. */
            setsid();
            fd = open(slave_name, O_RDWR);
            if (fd >= 0) {
                close(fd);
            }
        } else {
            setpgid(0, 0);
        }
        dup2(devnull, 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        /* SECURITY (of the test): the secret file stays open as fd 9 without close-on-exec,
         * the inherited-fd leak that the sandbox must close before the payload runs. */
        if (env->secret_fd >= 0) {
            dup2(env->secret_fd, 9);
        }
        for (fd = 3; fd < 1024; fd++) {
            if (fd != 9) {
                close(fd);
            }
        }
        execve(argv[0], argv, env->cli_env);
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        return;
    }
    r->started = 1;
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);

    for (;;) {
        struct pollfd p[2];
        int np = 0;

        t = sec_now_ms();
        if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
            exited = 1;
            end_seen = t;
            r->wall_ms = t - start;
        }
        if (!exited && t - start > deadline_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            exited = 1;
            r->deadline_hit = 1;
            end_seen = t;
            r->wall_ms = t - start;
        }
        /* NOTE: after the end, wait for EOF at most 300 ms: a process that escaped the run
         * may hold the pipes open for its whole life. */
        if (exited && ((!out_open && !err_open) || t - end_seen > 300)) {
            break;
        }
        if (out_open) {
            p[np].fd = out_pipe[0];
            p[np++].events = POLLIN;
        }
        if (err_open) {
            p[np].fd = err_pipe[0];
            p[np++].events = POLLIN;
        }
        if (listen_hook && !exited && !r->listen_connected) {
            r->listen_connected = sec_try_connect(env->listen_port);
        }
        poll(p, (nfds_t)np, 20);
        if (out_open) {
            out_open = sec_pump(out_pipe[0], &r->out, &r->out_len, &out_cap);
        }
        if (err_open) {
            err_open = sec_pump(err_pipe[0], &r->err, &r->err_len, &err_cap);
        }
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (WIFEXITED(status)) {
        r->exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r->term_signal = WTERMSIG(status);
    }

    if (tty) {
        char buf[4096];
        ssize_t n;
        size_t used = 0;

        while (used + 1 < sizeof(buf) &&
               (n = read(slave_keep, buf + used, sizeof(buf) - 1 - used)) > 0) {
            used += (size_t)n;
        }
        fcntl(master, F_SETFL, O_NONBLOCK);
        while (used + 1 < sizeof(buf) &&
               (n = read(master, buf + used, sizeof(buf) - 1 - used)) > 0) {
            used += (size_t)n;
        }
        buf[used] = '\0';
        r->tty_injected = memmem(buf, used, "TTY-INJECTED", 12) != NULL;
    }
    if (master >= 0) {
        close(master);
    }
    if (slave_keep >= 0) {
        close(slave_keep);
    }

    /* Give a killed run 500 ms to disappear, then count what is left. */
    for (t = 0; t < 25 && sec_scan_tagged(env, 0) > 0; t++) {
        usleep(20000);
    }
    r->survivors = sec_scan_tagged(env, 0);
    sec_kill_tagged(env);

    r->text = (char *)malloc(r->out_len + r->err_len + 2);
    if (r->text != NULL) {
        size_t n = r->out != NULL ? sec_unescape_into(r->out, r->out_len, r->text) : 0;
        r->text[n++] = '\n';
        memcpy(r->text + n, r->err != NULL ? r->err : "", r->err_len);
        r->text[n + r->err_len] = '\0';
    }
}

void sec_run_free(sec_run *r)
{
    free(r->out);
    free(r->err);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

/* Finds `"key"` followed by `:` and returns the position after the colon and spaces. */
static const char *sec_json_member(const char *json, const char *key)
{
    char pattern[128];
    const char *p;

    snprintf(pattern, sizeof(pattern), "\"%s\"", key);
    p = json != NULL ? strstr(json, pattern) : NULL;
    while (p != NULL) {
        const char *q = p + strlen(pattern);
        while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r') {
            q++;
        }
        if (*q == ':') {
            q++;
            while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r') {
                q++;
            }
            return q;
        }
        p = strstr(p + 1, pattern);
    }
    return NULL;
}

const char *sec_json_string(const char *json, const char *key, char *out, size_t size)
{
    const char *p = sec_json_member(json, key);
    const char *end;
    char *tmp;
    size_t len;

    if (p == NULL || *p != '"' || size == 0) {
        return NULL;
    }
    p++;
    for (end = p; *end != '\0' && *end != '"'; end++) {
        if (*end == '\\' && end[1] != '\0') {
            end++;
        }
    }
    len = (size_t)(end - p);
    tmp = (char *)malloc(len + 1);
    if (tmp == NULL) {
        return NULL;
    }
    len = sec_unescape_into(p, len, tmp);
    snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), tmp);
    free(tmp);
    return out;
}

int sec_json_bool(const char *json, const char *key)
{
    const char *p = sec_json_member(json, key);

    if (p == NULL) {
        return -1;
    }
    if (strncmp(p, "true", 4) == 0) {
        return 1;
    }
    return strncmp(p, "false", 5) == 0 ? 0 : -1;
}

const char *sec_json_array(const char *json, const char *key, char *out, size_t size)
{
    const char *p = sec_json_member(json, key);
    const char *end;

    if (p == NULL || *p != '[' || size == 0) {
        return NULL;
    }
    end = strchr(p, ']');
    if (end == NULL) {
        return NULL;
    }
    snprintf(out, size, "%.*s", (int)(end - p - 1), p + 1);
    return out;
}
