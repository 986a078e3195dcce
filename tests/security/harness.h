/* Shared declarations of the sandbox security suite (build/test_security).
 *
 * The suite runs the probe scripts in tests/security/probes through the real CLI
 * (SKILLLITE_BIN, default build/skilllite) at levels 1, 2 and 3, and through bubblewrap and
 * firejail when they are installed, and judges every case by its effect on the host:
 * canary secrets in the output, host files created or changed, connections on listeners on
 * 127.0.0.1, canary processes listed or killed, runs that outlive their limits.
 *
 * harness.c  the host side: temporary folder, canaries, listeners, the process runner.
 * cases.c    the case table, the judges and the result matrix.
 * main.c     the test cases (assertions per level) and the printed table.
 */
#ifndef SKILLLITE_SECURITY_HARNESS_H
#define SKILLLITE_SECURITY_HARNESS_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define SEC_TOKEN_LEN 32

/* Everything the harness set up on the host for the probes to aim at. */
typedef struct sec_env {
    char tmp[64];               /* host temporary folder, mode 0755 */
    char skill[PATH_MAX];       /* the copy of the probes skill: tmp/probes */
    char home[PATH_MAX];        /* HOME of the CLI: tmp/home, with .ssh/id_rsa */
    char canary[PATH_MAX];      /* tmp/outside-secret.txt, next to the skill folder */
    char out_dir[PATH_MAX];     /* tmp/out, the host folder behind --output-dir */
    char link_target[PATH_MAX]; /* tmp/link-target.txt, aimed at by planted links */
    char sock_path[PATH_MAX];   /* tmp/sock/agent.sock, a pathname Unix listener */
    char abstract_name[64];     /* abstract Unix listener name, without the leading NUL */
    char tag[48];               /* public tag in every probe's argv, to find leftovers */
    char canary_name[48];       /* argv[0] of the canary process */

    char file_secret[SEC_TOKEN_LEN + 1]; /* content of `canary` */
    char ssh_secret[SEC_TOKEN_LEN + 1];  /* content of home/.ssh/id_rsa */
    char env_secret[SEC_TOKEN_LEN + 1];  /* SKILLLITE_CANARY_SECRET of the CLI */

    int tcp_fd, tcp_port;       /* TCP listener on 127.0.0.1 */
    int udp_fd, udp_port;       /* UDP socket on 127.0.0.1 (the fake DNS server) */
    int abstract_fd;            /* abstract Unix listener */
    int unix_fd;                /* pathname Unix listener */
    int listen_port;            /* a free port the "listen" probe binds */
    int secret_fd;              /* `canary` opened without O_CLOEXEC, inherited by the CLI */
    pid_t canary_pid;           /* a `sleep` the probes try to list and kill */

    char hostname[256];         /* host facts the system-info case must not reveal */
    char user[256];
    char real_home[PATH_MAX];
    char *passwd;               /* the host /etc/passwd */
    char root_names[2048];      /* host top-level names the sandbox has no reason to show,
                                   each followed by '\n' */
    char **cli_env;             /* environment of every CLI and peer run */
    int ready;
} sec_env;

/* One finished run of the CLI or a peer. */
typedef struct sec_run {
    int started;        /* 0 when the program could not be started */
    int exit_status;    /* exit status, or -1 when a signal ended it */
    int term_signal;
    int deadline_hit;   /* the harness had to kill it */
    long wall_ms;
    char *out;          /* stdout, NUL-terminated, at most SEC_OUTPUT_MAX bytes */
    size_t out_len;
    char *err;
    size_t err_len;
    char *text;         /* stdout + stderr with JSON string escapes undone, for searching */
    int survivors;      /* processes with the tag still alive 500 ms after the end */
    int listen_connected; /* the hook connected to env.listen_port during the run */
    int tty_injected;     /* the pseudo terminal received the injected text */
} sec_run;

#define SEC_OUTPUT_MAX (8u << 20)

/* Sets up the folder, canaries, listeners and canary process. Returns 0 or -1 with a
 * message on stderr. Idempotent. */
int sec_env_setup(sec_env *env, const char *probes_dir);

/* Creates the skill folder tmp/NAME with a SKILL.md and copies of `files` (paths relative
 * to the probes skill), so a level 3 scan sees one case and nothing else. Writes its path
 * to `out`. Returns 0 or -1. Reuses a folder made before. */
int sec_env_make_skill(sec_env *env, const char *name, const char *const *files, char *out,
                       size_t size);

/* Kills the canary, closes every listener, kills leftover tagged processes and removes the
 * temporary folder. Safe to call twice. */
void sec_env_teardown(sec_env *env);

/* Restarts the canary process when a probe killed it. */
void sec_env_ensure_canary(sec_env *env);

/* Returns 1 when the canary process is dead (and reaps it). */
int sec_env_canary_dead(sec_env *env);

/* Throws away whatever the listeners received so far. */
void sec_env_drain(sec_env *env);

/* Returns 1 when the TCP, UDP, abstract or pathname listener got a connection or datagram
 * since the last drain. */
int sec_env_tcp_hit(sec_env *env);
int sec_env_udp_hit(sec_env *env);
int sec_env_abstract_hit(sec_env *env);
int sec_env_unix_hit(sec_env *env);

/* Runs argv with env->cli_env, stdin /dev/null, the secret fd inherited, and waits at most
 * deadline_ms. `listen_hook`: try to connect to env->listen_port while it runs. `tty`: give
 * the run a pseudo terminal as its controlling terminal (not as stdin). */
void sec_run_argv(sec_env *env, char *const *argv, int deadline_ms, int listen_hook, int tty,
                  sec_run *r);

void sec_run_free(sec_run *r);

/* Kills every process whose command line holds env->tag (they were started by this suite)
 * and returns how many there were. */
int sec_kill_tagged(sec_env *env);

/* Returns the value of the JSON string member `key` from the CLI's --json output, unescaped
 * into `out` (truncated to `size`), or NULL when absent. */
const char *sec_json_string(const char *json, const char *key, char *out, size_t size);

/* Returns 1/0 for a boolean member, -1 when absent. */
int sec_json_bool(const char *json, const char *key);

/* Copies the raw text of an array member (between the brackets) into out; NULL if absent. */
const char *sec_json_array(const char *json, const char *key, char *out, size_t size);

/* Writes a random lowercase hex token of SEC_TOKEN_LEN characters. */
void sec_random_token(char *out);

/* Returns 1 when `name` is an executable found in PATH. */
int sec_have_program(const char *name, char *path, size_t size);

#endif /* SKILLLITE_SECURITY_HARNESS_H */
