/* Runs the skilllite binary for the CLI tests; see cli_util.h. */
#define _XOPEN_SOURCE 700

#include "cli_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLI_MAX_ARGS 64
#define CLI_RUN_TIMEOUT_MS 60000

static const char *cli_binary(void)
{
    const char *bin = getenv("SKILLLITE_BIN");

    return bin != NULL && bin[0] != '\0' ? bin : "build/skilllite";
}

/* Child side after fork: set up the environment and exec the CLI. */
static void cli_child(const char *const *env, const char *const *argv, const int in_pipe[2],
                      const int out_pipe[2], const int err_pipe[2])
{
    static const char *const cleared[] = {
        "SKILLLITE_LEVEL", "SKILLLITE_TIMEOUT_MS", "SKILLLITE_MEMORY", "SKILLLITE_NETWORK",
    };
    const char *args[CLI_MAX_ARGS + 2];
    size_t i;

    /* The parent's ends must be closed here, or stdin would never reach end of file. */
    if (in_pipe[1] >= 0) {
        close(in_pipe[1]);
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    for (i = 0; i < sizeof(cleared) / sizeof(cleared[0]); i++) {
        unsetenv(cleared[i]);
    }
    for (i = 0; env != NULL && env[i] != NULL; i++) {
        putenv((char *)env[i]);
    }
    args[0] = cli_binary();
    for (i = 0; argv[i] != NULL && i < CLI_MAX_ARGS; i++) {
        args[i + 1] = argv[i];
    }
    args[i + 1] = NULL;
    execv(args[0], (char *const *)args);
    fprintf(stderr, "cannot execute %s: %s\n", args[0], strerror(errno));
    _exit(127);
}

/* Appends what `fd` has to `buf`. Returns 0 at end of file, 1 when more may come. */
static int cli_drain(int fd, sl_buf *buf)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof(chunk));

    if (n > 0) {
        sl_buf_append(buf, chunk, (size_t)n);
        return 1;
    }
    return n < 0 && errno == EINTR;
}

static long cli_elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Moves the input, stdout and stderr between the pipes and the buffers until both
 * outputs end or the time is up. Returns 0, or -1 on timeout. */
static int cli_pump(int in_fd, int out_fd, int err_fd, const char *input, sl_buf *out,
                    sl_buf *err)
{
    size_t input_len = input != NULL ? strlen(input) : 0;
    size_t written = 0;
    struct timespec start;

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (out_fd >= 0 || err_fd >= 0) {
        struct pollfd fds[3];
        long left = CLI_RUN_TIMEOUT_MS - cli_elapsed_ms(&start);

        if (left <= 0) {
            return -1;
        }
        fds[0].fd = out_fd;
        fds[0].events = POLLIN;
        fds[1].fd = err_fd;
        fds[1].events = POLLIN;
        fds[2].fd = in_fd;
        fds[2].events = POLLOUT;
        if (poll(fds, 3, (int)left) < 0 && errno != EINTR) {
            return -1;
        }
        if (fds[0].revents != 0 && !cli_drain(out_fd, out)) {
            close(out_fd);
            out_fd = -1;
        }
        if (fds[1].revents != 0 && !cli_drain(err_fd, err)) {
            close(err_fd);
            err_fd = -1;
        }
        if (in_fd >= 0 && fds[2].revents != 0) {
            ssize_t n = written < input_len ? write(in_fd, input + written, input_len - written)
                                            : 0;

            if (n > 0) {
                written += (size_t)n;
            }
            if (n <= 0 || written == input_len) {
                close(in_fd);
                in_fd = -1;
            }
        }
    }
    if (in_fd >= 0) {
        close(in_fd);
    }
    return 0;
}

int cli_run_argv(cli_output *o, const char *const *env, const char *input,
                 const char *const *argv)
{
    int in_pipe[2] = {-1, -1};
    int out_pipe[2];
    int err_pipe[2];
    sl_buf out;
    sl_buf err;
    pid_t pid;
    int wstatus;
    int timed_out;

    memset(o, 0, sizeof(*o));
    o->status = -1;
    if (input != NULL) {
        if (pipe(in_pipe) != 0) {
            return -1;
        }
    } else {
        in_pipe[0] = open("/dev/null", O_RDONLY);
    }
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        cli_child(env, argv, in_pipe, out_pipe, err_pipe);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);

    sl_buf_init(&out, NULL);
    sl_buf_init(&err, NULL);
    /* SIGPIPE would end the test program when the CLI exits without reading its input. */
    signal(SIGPIPE, SIG_IGN);
    timed_out = cli_pump(in_pipe[1], out_pipe[0], err_pipe[0], input, &out, &err) != 0;
    if (timed_out) {
        kill(pid, SIGKILL);
    }
    waitpid(pid, &wstatus, 0);
    if (WIFEXITED(wstatus)) {
        o->status = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        o->status = 128 + WTERMSIG(wstatus);
    }
    o->out = sl_buf_detach(&out, &o->out_len);
    o->err = sl_buf_detach(&err, &o->err_len);
    if (timed_out) {
        fprintf(stdout, "note: skilllite ran longer than %d ms and was killed\n",
                CLI_RUN_TIMEOUT_MS);
    }
    return 0;
}

int cli_run(cli_output *o, const char *input, ...)
{
    const char *argv[CLI_MAX_ARGS + 1];
    va_list ap;
    size_t n = 0;
    const char *arg;

    va_start(ap, input);
    while ((arg = va_arg(ap, const char *)) != NULL && n < CLI_MAX_ARGS) {
        argv[n++] = arg;
    }
    va_end(ap);
    argv[n] = NULL;
    return cli_run_argv(o, NULL, input, argv);
}

void cli_output_free(cli_output *o)
{
    if (o->out != NULL) {
        sl_free(NULL, o->out, o->out_len + 1);
    }
    if (o->err != NULL) {
        sl_free(NULL, o->err, o->err_len + 1);
    }
    memset(o, 0, sizeof(*o));
}

int cli_contains(const char *haystack, const char *needle)
{
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

sl_doc *cli_stdout_json(const cli_output *o)
{
    if (o->out == NULL) {
        return NULL;
    }
    return sl_json_parse(o->out, o->out_len, NULL, NULL);
}

const char *cli_level2_missing(void)
{
    static int probed;
    static char reason[512];
    cli_output o;
    sl_doc *doc;
    const char *argv[] = {"status", "--json", NULL};

    if (probed) {
        return reason;
    }
    probed = 1;
    snprintf(reason, sizeof(reason), "'skilllite status --json' failed");
    if (cli_run_argv(&o, NULL, NULL, argv) != 0) {
        return reason;
    }
    doc = cli_stdout_json(&o);
    if (doc != NULL) {
        const sl_value *root = sl_doc_root(doc);
        const sl_value *missing = sl_value_get(root, "missing");
        size_t i;

        if (sl_value_bool(sl_value_get(root, "level2"))) {
            reason[0] = '\0';
        } else {
            snprintf(reason, sizeof(reason), "level 2 sandbox unavailable here, missing:");
            for (i = 0; i < sl_value_count(missing); i++) {
                size_t used = strlen(reason);

                snprintf(reason + used, sizeof(reason) - used, " %s",
                         sl_value_cstr(sl_value_at(missing, i)));
            }
        }
        sl_doc_free(doc);
    }
    cli_output_free(&o);
    return reason;
}

int cli_have_program(const char *name)
{
    const char *path = getenv("PATH");
    char candidate[4096];

    while (path != NULL && *path != '\0') {
        const char *colon = strchr(path, ':');
        size_t len = colon != NULL ? (size_t)(colon - path) : strlen(path);

        snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)len, path, name);
        if (access(candidate, X_OK) == 0) {
            return 1;
        }
        path = colon != NULL ? colon + 1 : NULL;
    }
    return 0;
}

const char *cli_temp_file(const char *text)
{
    static char path[64];
    size_t len = strlen(text);
    int fd;

    snprintf(path, sizeof(path), "/tmp/skilllite-cli-test-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0) {
        return NULL;
    }
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}
