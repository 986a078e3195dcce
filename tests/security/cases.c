/* The case table, the judges and the result matrix of the security suite.
 *
 * A case names a probe script, its arguments (with placeholders the harness fills per run)
 * and a judge. Each case runs once per column: levels 1, 2 and 3 of the CLI, then the peer
 * sandboxes that are installed. Its judge turns the effect on the host into one row of the
 * matrix, or into several rows for the batch probes (syscalls.py, fs_checks.py). */
#define _GNU_SOURCE

#include "cases.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    J_PASSWD, J_SECRET_FILE, J_SECRET_SSH, J_SECRET_ENV, J_FILE_CREATED, J_ROOT_LIST, J_TCP,
    J_DNS, J_LISTEN, J_SUBPROC, J_PROC_LIST, J_SIGNAL, J_MEMORY, J_FORK, J_CPU, J_SYSINFO,
    J_ENV_NAMES, J_ABSTRACT, J_UNIX_PATH, J_ORPHAN, J_TMPFS, J_OUTPUT_CAP, J_SYMLINK, J_OWNER,
    J_TTY, J_SYSCALLS, J_FSCHECKS, J_QUOTA, J_QUOTA_PEAK, J_CROSS_RUN,
    J_MOUNTINFO
};

typedef struct sec_case {
    const char *id;       /* row name (batch probes: a prefix) */
    const char *category;
    const char *script;   /* relative to the skill folder */
    const char *args;     /* space-separated, with {placeholders} */
    const char *flags;    /* extra CLI flags, with {placeholders} */
    int judge;
    int original;         /* one of the 20 original cases (or a node/bash variant of one) */
    int timeout_ms;       /* the CLI's --timeout; 0: 10000 */
} sec_case;

/* NOTE: the ids of node and bash variants end in .js / .sh so the table reads as
 * "case (language)"; Python has no suffix. */
static const sec_case sec_cases[] = {
    /* The 20 original cases, Python. */
    {"read_passwd", "files", "py/read_passwd.py", "", "", J_PASSWD, 1, 0},
    {"read_ssh_key", "files", "py/read_ssh_key.py", "{home}", "", J_SECRET_SSH, 1, 0},
    {"write_host_tmp", "files", "py/write_tmp.py", "{tmpfile}", "", J_FILE_CREATED, 1, 0},
    {"path_traversal", "files", "py/traversal.py", "{rel} {relfar}", "", J_SECRET_FILE, 1, 0},
    {"list_root", "files", "py/list_root.py", "", "", J_ROOT_LIST, 1, 0},
    {"http_request", "network", "py/http_get.py", "{port}", "", J_TCP, 1, 0},
    {"dns_lookup", "network", "py/dns.py", "{udp} {gaimode} sl-sec-made-up-name.invalid", "",
     J_DNS, 1, 0},
    {"listen_port", "network", "py/listen.py", "{lport}", "", J_LISTEN, 1, 0},
    {"os_system", "processes", "py/os_system.py", "", "", J_SUBPROC, 1, 0},
    {"subprocess", "processes", "py/subprocess_run.py", "", "", J_SUBPROC, 1, 0},
    {"list_processes", "processes", "py/list_procs.py", "", "", J_PROC_LIST, 1, 0},
    {"signal_process", "processes", "py/kill_proc.py", "{pid}", "", J_SIGNAL, 1, 0},
    {"memory_bomb", "resources", "py/memory_bomb.py", "", "--memory 128M", J_MEMORY, 1, 0},
    {"fork_bomb", "resources", "py/fork_bomb.py", "", "", J_FORK, 1, 0},
    {"cpu_loop", "resources", "py/cpu_loop.py", "", "", J_CPU, 1, 2000},
    {"dynamic_import", "language", "py/dyn_import.py", "", "", J_SUBPROC, 1, 0},
    {"eval_exec", "language", "py/eval_exec.py", "", "", J_SUBPROC, 1, 0},
    {"replace_builtin", "language", "py/replace_builtin.py", "{canary}", "", J_SECRET_FILE, 1,
     0},
    {"read_env", "secrets", "py/env_vars.py", "", "", J_SECRET_ENV, 1, 0},
    {"system_info", "secrets", "py/sysinfo.py", "", "", J_SYSINFO, 1, 0},

    /* The same cases in node and bash, where the runtime has a way to try them. */
    {"read_passwd.js", "files", "node/read_passwd.js", "", "", J_PASSWD, 1, 0},
    {"read_ssh_key.js", "files", "node/read_ssh_key.js", "{home}", "", J_SECRET_SSH, 1, 0},
    {"write_host_tmp.js", "files", "node/write_tmp.js", "{tmpfile}", "", J_FILE_CREATED, 1, 0},
    {"list_root.js", "files", "node/list_root.js", "", "", J_ROOT_LIST, 1, 0},
    {"http_request.js", "network", "node/http.js", "{port}", "", J_TCP, 1, 0},
    {"subprocess.js", "processes", "node/subprocess.js", "", "", J_SUBPROC, 1, 0},
    {"list_processes.js", "processes", "node/list_procs.js", "", "", J_PROC_LIST, 1, 0},
    {"signal_process.js", "processes", "node/kill_proc.js", "{pid}", "", J_SIGNAL, 1, 0},
    {"read_env.js", "secrets", "node/env_vars.js", "", "", J_SECRET_ENV, 1, 0},
    {"read_passwd.sh", "files", "sh/read_passwd.sh", "", "", J_PASSWD, 1, 0},
    {"read_ssh_key.sh", "files", "sh/read_ssh_key.sh", "{home}", "", J_SECRET_SSH, 1, 0},
    {"write_host_tmp.sh", "files", "sh/write_tmp.sh", "{tmpfile}", "", J_FILE_CREATED, 1, 0},
    {"path_traversal.sh", "files", "sh/traversal.sh", "{rel} {relfar}", "", J_SECRET_FILE, 1,
     0},
    {"list_root.sh", "files", "sh/list_root.sh", "", "", J_ROOT_LIST, 1, 0},
    {"http_request.sh", "network", "sh/http.sh", "{port}", "", J_TCP, 1, 0},
    {"list_processes.sh", "processes", "sh/list_procs.sh", "", "", J_PROC_LIST, 1, 0},
    {"signal_process.sh", "processes", "sh/kill_proc.sh", "{pid}", "", J_SIGNAL, 1, 0},
    {"read_env.sh", "secrets", "sh/env_vars.sh", "", "", J_SECRET_ENV, 1, 0},

    /* The threat classes of sandbox-threats.md. */
    {"sys", "seccomp", "py/syscalls.py", "", "", J_SYSCALLS, 0, 0},
    {"fs", "fs-proc", "py/fs_checks.py", "", "", J_FSCHECKS, 0, 0},
    {"abstract_unix_socket", "sockets", "py/abstract_unix.py", "{abstract}", "", J_ABSTRACT, 0,
     0},
    {"pathname_unix_socket", "sockets", "py/path_unix.py", "{sock}", "", J_UNIX_PATH, 0, 0},
    {"host_env_names", "secrets", "py/env_vars.py", "", "", J_ENV_NAMES, 0, 0},
    {"orphan_daemon", "lifetime", "py/orphan.py", "", "", J_ORPHAN, 0, 0},
    {"tmpfs_cap_tmp", "resources", "py/tmpfs_fill.py", "/tmp {tag}", "", J_TMPFS, 0, 0},
    {"tmpfs_cap_dev_shm", "resources", "py/tmpfs_fill.py", "/dev/shm {tag}", "", J_TMPFS, 0, 0},
    {"output_cap", "resources", "py/output_flood.py", "", "", J_OUTPUT_CAP, 0, 0},
    {"output_symlink", "files", "py/output_symlink.py", "{out} {target} {outhost}",
     "--output-dir {outhost}", J_SYMLINK, 0, 0},
    {"payload_host_uid", "identity", "py/owner_uid.py", "{out} {outhost}",
     "--output-dir {outhost}", J_OWNER, 0, 0},
    {"tty_inject", "terminal", "py/tty_inject.py", "", "", J_TTY, 0, 0},
    {"output_quota", "resources", "py/tmpfs_fill.py", "{out} {tag} keep",
     "--output-dir {outhost}", J_QUOTA, 0, 0},
    {"output_quota_peak", "resources", "py/tmpfs_fill.py", "{out} {tag}",
     "--output-dir {outhost}", J_QUOTA_PEAK, 0, 0},
    {"tmp_shared_across_runs", "files", "py/cross_run.py", "write {tmpfile}", "", J_CROSS_RUN,
     0, 0},
    {"scan_gate_sibling_import", "scan-gate", "py/import_clean.py", "", "", J_SUBPROC, 0, 0},
    {"mountinfo_host_path", "info", "py/mountinfo.py", "", "", J_MOUNTINFO, 0, 0},
};

#define SEC_CASE_COUNT (sizeof(sec_cases) / sizeof(sec_cases[0]))

/* Expected outcome of each check in syscalls.py at level 2. */
typedef struct sec_errno_expect {
    const char *name;
    const char *expect; /* an errno name, "fail" (any error), or "ok" */
} sec_errno_expect;

static const sec_errno_expect sec_sys_expect[] = {
    {"io_uring_setup", "EPERM"}, {"io_uring_enter", "EPERM"}, {"io_uring_register", "EPERM"},
    {"ptrace_traceme", "EPERM"}, {"process_vm_readv", "EPERM"}, {"process_vm_writev", "EPERM"},
    {"keyctl", "EPERM"}, {"add_key", "EPERM"}, {"request_key", "EPERM"}, {"bpf", "EPERM"},
    {"perf_event_open", "EPERM"}, {"userfaultfd", "EPERM"}, {"unshare_newuser", "EPERM"},
    {"unshare_newuser_hibit", "EPERM"}, {"unshare_newns", "EPERM"},
    {"unshare_newns_hibit", "EPERM"}, {"unshare_newnet", "EPERM"}, {"unshare_newpid", "EPERM"},
    {"unshare_newuts_newipc", "EPERM"}, {"clone_newuser", "EPERM"},
    {"clone_newuser_hibit", "EPERM"}, {"clone_newns", "EPERM"}, {"clone3", "ENOSYS"},
    {"setns", "EPERM"}, {"mount", "EPERM"}, {"umount2", "EPERM"}, {"pivot_root", "EPERM"},
    {"open_tree", "EPERM"}, {"move_mount", "EPERM"}, {"fsopen", "EPERM"}, {"fsconfig", "EPERM"},
    {"fsmount", "EPERM"}, {"fspick", "EPERM"}, {"mount_setattr", "EPERM"},
    {"personality_query", "ok"}, {"personality_linux", "ok"},
    {"personality_addr_no_randomize", "EPERM"}, {"personality_addr_no_randomize_hibit", "EPERM"},
    {"ioctl_tiocsti", "EPERM"}, {"ioctl_tiocsti_hibit", "EPERM"}, {"ioctl_tioclinux", "EPERM"},
    {"ioctl_tioclinux_hibit", "EPERM"}, {"socket_unix_stream", "EPERM"},
    {"socket_unix_dgram", "EPERM"}, {"socket_unix_cloexec", "EPERM"},
    {"socket_unix_hibit", "EPERM"}, {"socketpair_unix", "ok"}, {"socket_packet", "fail"},
    {"socket_vsock", "fail"}, {"socket_netlink_audit", "fail"},
    {"socket_netlink_uevent", "fail"}, {"socket_netlink_sock_diag", "fail"},
    {"x32_getpid", "fail"},
};

/* Rows made from fs_checks.py. */
static const char *const sec_fs_rows[] = {
    "proc_self_exe_not_writable", "interpreter_not_writable", "proc_sys_hidden_or_ro",
    "proc_sysrq_not_writable", "sys_hidden_or_ro", "proc_kcore_absent", "uid_not_0",
    "capeff_zero", "pid1_mem_closed", "pid1_environ_closed", "inherited_fds_closed",
};

#define SEC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sec_column_names[SEC_COL_COUNT] = {
    "level 1", "level 2", "level 3", "bwrap", "firejail", "srt"};

static sec_matrix sec_m;
static sec_env sec_e;
static int sec_run_counter;
static char sec_bin[PATH_MAX];
static char sec_peer_path[SEC_COL_COUNT][PATH_MAX];

sec_matrix *sec_matrix_get(void)
{
    return &sec_m;
}

const char *sec_column_name(int col)
{
    return sec_column_names[col];
}

/* ---- rows ------------------------------------------------------------------------------ */

static sec_row *sec_row_get(const char *id, const char *category, int original, int kind)
{
    size_t i;
    sec_row *row;
    int c;

    for (i = 0; i < sec_m.row_count; i++) {
        if (strcmp(sec_m.rows[i].id, id) == 0) {
            return &sec_m.rows[i];
        }
    }
    if (sec_m.row_count >= SEC_MAX_ROWS) {
        return NULL;
    }
    row = &sec_m.rows[sec_m.row_count++];
    memset(row, 0, sizeof(*row));
    snprintf(row->id, sizeof(row->id), "%s", id);
    snprintf(row->category, sizeof(row->category), "%s", category);
    row->original = original;
    row->kind = kind;
    for (c = 0; c < SEC_COL_COUNT; c++) {
        row->status[c] = SEC_NA;
        snprintf(row->cell[c], sizeof(row->cell[c]), "n/a");
    }
    return row;
}

static void sec_set(sec_row *row, int col, int status, const char *cell, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void sec_set(sec_row *row, int col, int status, const char *cell, const char *fmt, ...)
{
    va_list ap;

    if (row == NULL) {
        return;
    }
    row->status[col] = status;
    snprintf(row->cell[col], sizeof(row->cell[col]), "%s", cell);
    row->detail[col][0] = '\0';
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(row->detail[col], sizeof(row->detail[col]), fmt, ap);
        va_end(ap);
    }
}

static void sec_effect(sec_row *row, int col, int leaked, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets an effect-judged cell: LEAKED when the effect was seen, else contained. */
static void sec_effect(sec_row *row, int col, int leaked, const char *fmt, ...)
{
    va_list ap;

    if (row == NULL) {
        return;
    }
    row->status[col] = leaked ? SEC_BAD : SEC_GOOD;
    snprintf(row->cell[col], sizeof(row->cell[col]), "%s", leaked ? "LEAKED" : "contained");
    row->detail[col][0] = '\0';
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(row->detail[col], sizeof(row->detail[col]), fmt, ap);
        va_end(ap);
    }
}

/* ---- argv ------------------------------------------------------------------------------ */

typedef struct sec_argv {
    char *v[96];
    int n;
    char store[16384];
    size_t used;
} sec_argv;

static void sec_push(sec_argv *a, const char *s)
{
    size_t len = strlen(s) + 1;

    if (a->n + 1 >= (int)SEC_ARRAY_LEN(a->v) || a->used + len > sizeof(a->store)) {
        return;
    }
    memcpy(a->store + a->used, s, len);
    a->v[a->n++] = a->store + a->used;
    a->v[a->n] = NULL;
    a->used += len;
}

/* Per-run values of the placeholders. */
typedef struct sec_vars {
    char tmpfile[PATH_MAX];
    int col;
} sec_vars;

/* Expands one {placeholder} token. */
static void sec_expand(const char *token, const sec_vars *v, char *out, size_t size)
{
    int peer = v->col >= SEC_COL_BWRAP;
    int level1 = v->col == SEC_COL_L1;

    if (strcmp(token, "{home}") == 0) {
        snprintf(out, size, "%s", sec_e.home);
    } else if (strcmp(token, "{tmpfile}") == 0) {
        snprintf(out, size, "%s", v->tmpfile);
    } else if (strcmp(token, "{rel}") == 0) {
        snprintf(out, size, "../outside-secret.txt");
    } else if (strcmp(token, "{relfar}") == 0) {
        snprintf(out, size, "../../../../../../../..%s", sec_e.canary);
    } else if (strcmp(token, "{canary}") == 0) {
        snprintf(out, size, "%s", sec_e.canary);
    } else if (strcmp(token, "{port}") == 0) {
        snprintf(out, size, "%d", sec_e.tcp_port);
    } else if (strcmp(token, "{udp}") == 0) {
        snprintf(out, size, "%d", sec_e.udp_port);
    } else if (strcmp(token, "{gaimode}") == 0) {
        /* SECURITY (of the test): level 1 shares the host network, where getaddrinfo would
         * ask a real resolver; the probe skips that part there. */
        snprintf(out, size, "%s", level1 ? "nogai" : "gai");
    } else if (strcmp(token, "{lport}") == 0) {
        snprintf(out, size, "%d", sec_e.listen_port);
    } else if (strcmp(token, "{pid}") == 0) {
        snprintf(out, size, "%d", (int)sec_e.canary_pid);
    } else if (strcmp(token, "{abstract}") == 0) {
        snprintf(out, size, "%s", sec_e.abstract_name);
    } else if (strcmp(token, "{sock}") == 0) {
        snprintf(out, size, "%s", sec_e.sock_path);
    } else if (strcmp(token, "{out}") == 0) {
        snprintf(out, size, "%s", level1 || (peer && v->col != SEC_COL_BWRAP) ? sec_e.out_dir
                                                                              : "/output");
    } else if (strcmp(token, "{outhost}") == 0) {
        snprintf(out, size, "%s", sec_e.out_dir);
    } else if (strcmp(token, "{target}") == 0) {
        snprintf(out, size, "%s", sec_e.link_target);
    } else if (strcmp(token, "{tag}") == 0) {
        snprintf(out, size, "%s", sec_e.tag);
    } else {
        snprintf(out, size, "%s", token);
    }
}

/* Splits `tmpl` at spaces and pushes each expanded token. */
static void sec_push_template(sec_argv *a, const char *tmpl, const sec_vars *v)
{
    char copy[1024];
    char *save = NULL;
    char *tok;

    snprintf(copy, sizeof(copy), "%s", tmpl);
    for (tok = strtok_r(copy, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        char expanded[PATH_MAX + 64];
        sec_expand(tok, v, expanded, sizeof(expanded));
        sec_push(a, expanded);
    }
}

static const char *sec_interpreter(const char *script)
{
    size_t len = strlen(script);

    if (len > 3 && strcmp(script + len - 3, ".js") == 0) {
        return "/usr/bin/node";
    }
    if (len > 3 && strcmp(script + len - 3, ".sh") == 0) {
        return "/usr/bin/bash";
    }
    return "/usr/bin/python3";
}

static int sec_case_timeout(const sec_case *c)
{
    return c->timeout_ms > 0 ? c->timeout_ms : 10000;
}

/* The skill folder a CLI run uses: the whole probes skill at levels 1 and 2. At level 3
 * every case gets a folder of its own (with the sibling module the import case needs), so
 * the scan judges that case alone whether it scans the script or the whole folder. */
static const char *sec_skill_for(const sec_case *c, int col, char *buf, size_t size)
{
    const char *files[3];
    char name[32];
    size_t index = (size_t)(c - sec_cases);

    if (col != SEC_COL_L3 || index >= SEC_CASE_COUNT) {
        return sec_e.skill;
    }
    files[0] = c->script;
    files[1] = strcmp(c->script, "py/import_clean.py") == 0 ? "py/import_payload.py" : NULL;
    files[2] = NULL;
    snprintf(name, sizeof(name), "level3-case-%zu", index);
    if (sec_env_make_skill(&sec_e, name, files, buf, size) != 0) {
        fprintf(stderr, "security: cannot make the level 3 folder %s\n", buf);
        return sec_e.skill;
    }
    return buf;
}

static void sec_build_cli(sec_argv *a, const sec_case *c, const sec_vars *v)
{
    char num[32];
    char skill[PATH_MAX];

    sec_push(a, sec_bin);
    sec_push(a, "exec");
    sec_push(a, "--json");
    sec_push(a, "--level");
    snprintf(num, sizeof(num), "%d", v->col - SEC_COL_L1 + 1);
    sec_push(a, num);
    sec_push(a, "--timeout");
    snprintf(num, sizeof(num), "%d", sec_case_timeout(c));
    sec_push(a, num);
    sec_push_template(a, c->flags, v);
    sec_push(a, sec_skill_for(c, v->col, skill, sizeof(skill)));
    sec_push(a, c->script);
    sec_push_template(a, c->args, v);
    sec_push(a, sec_e.tag);
}

/* bubblewrap with the settings its documentation gives for an untrusted program: every
 * namespace, a new session, no capabilities, a clean environment, read-only system
 * folders, a private /tmp, and death with its parent. */
static void sec_build_bwrap(sec_argv *a, const sec_case *c, const sec_vars *v)
{
    static const char *const links[] = {"bin", "sbin", "lib", "lib64", "lib32"};
    size_t i;
    char path[PATH_MAX];

    sec_push(a, sec_peer_path[SEC_COL_BWRAP]);
    sec_push(a, "--unshare-all");
    sec_push(a, "--die-with-parent");
    sec_push(a, "--new-session");
    sec_push(a, "--cap-drop");
    sec_push(a, "ALL");
    sec_push(a, "--clearenv");
    sec_push(a, "--setenv");
    sec_push(a, "PATH");
    sec_push(a, "/usr/bin:/bin");
    sec_push(a, "--setenv");
    sec_push(a, "HOME");
    sec_push(a, "/tmp");
    sec_push(a, "--ro-bind");
    sec_push(a, "/usr");
    sec_push(a, "/usr");
    for (i = 0; i < SEC_ARRAY_LEN(links); i++) {
        struct stat st;
        char target[64];

        snprintf(path, sizeof(path), "/%s", links[i]);
        if (lstat(path, &st) != 0) {
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            snprintf(target, sizeof(target), "usr/%s", links[i]);
            sec_push(a, "--symlink");
            sec_push(a, target);
        } else {
            sec_push(a, "--ro-bind");
            sec_push(a, path);
        }
        sec_push(a, path);
    }
    sec_push(a, "--ro-bind-try");
    sec_push(a, "/etc/alternatives");
    sec_push(a, "/etc/alternatives");
    sec_push(a, "--ro-bind-try");
    sec_push(a, "/etc/ld.so.cache");
    sec_push(a, "/etc/ld.so.cache");
    sec_push(a, "--proc");
    sec_push(a, "/proc");
    sec_push(a, "--dev");
    sec_push(a, "/dev");
    sec_push(a, "--tmpfs");
    sec_push(a, "/tmp");
    sec_push(a, "--ro-bind");
    sec_push(a, sec_e.skill);
    sec_push(a, "/skill");
    if (strstr(c->flags, "--output-dir") != NULL) {
        sec_push(a, "--bind");
        sec_push(a, sec_e.out_dir);
        sec_push(a, "/output");
    }
    sec_push(a, "--chdir");
    sec_push(a, "/skill");
    sec_push(a, "--");
    sec_push(a, sec_interpreter(c->script));
    sec_push(a, c->script);
    sec_push_template(a, c->args, v);
    sec_push(a, sec_e.tag);
}

/* firejail with its default profile plus the options its documentation suggests for
 * untrusted programs: no network, private home (the skill folder), private /tmp and /dev,
 * no capabilities, its seccomp filter, no_new_privs. */
static void sec_build_firejail(sec_argv *a, const sec_case *c, const sec_vars *v)
{
    char opt[PATH_MAX + 16];
    char script[PATH_MAX * 2];

    sec_push(a, sec_peer_path[SEC_COL_FIREJAIL]);
    sec_push(a, "--quiet");
    sec_push(a, "--net=none");
    snprintf(opt, sizeof(opt), "--private=%s", sec_e.skill);
    sec_push(a, opt);
    sec_push(a, "--private-tmp");
    sec_push(a, "--private-dev");
    sec_push(a, "--caps.drop=all");
    sec_push(a, "--seccomp");
    sec_push(a, "--nonewprivs");
    if (getuid() != 0) {
        sec_push(a, "--noroot"); /* firejail refuses --noroot for a root caller */
    }
    sec_push(a, sec_interpreter(c->script));
    snprintf(script, sizeof(script), "%s/%s", sec_e.real_home, c->script);
    sec_push(a, script);
    sec_push_template(a, c->args, v);
    sec_push(a, sec_e.tag);
}

/* srt takes one command line; each argument is quoted for the shell. */
static void sec_build_srt(sec_argv *a, const sec_case *c, const sec_vars *v)
{
    sec_argv inner;
    char line[8192];
    size_t used = 0;
    int i;

    memset(&inner, 0, sizeof(inner));
    sec_push(&inner, sec_interpreter(c->script));
    snprintf(line, sizeof(line), "%s/%s", sec_e.skill, c->script);
    sec_push(&inner, line);
    sec_push_template(&inner, c->args, v);
    sec_push(&inner, sec_e.tag);
    line[0] = '\0';
    for (i = 0; i < inner.n && used + strlen(inner.v[i]) + 4 < sizeof(line); i++) {
        used += (size_t)snprintf(line + used, sizeof(line) - used, "%s'%s'", i ? " " : "",
                                 inner.v[i]);
    }
    sec_push(a, sec_peer_path[SEC_COL_SRT]);
    sec_push(a, line);
}

/* ---- judges ---------------------------------------------------------------------------- */

static int sec_has(const sec_run *r, const char *needle)
{
    return r->text != NULL && needle[0] != '\0' && strstr(r->text, needle) != NULL;
}

/* Host /etc/passwd lines (other than nobody and the sandbox's own user) in the output. */
static void sec_judge_passwd(sec_row *row, int col, const sec_run *r)
{
    char *copy = strdup(sec_e.passwd != NULL ? sec_e.passwd : "");
    char *save = NULL;
    char *line;
    char users[128] = "";
    int hits = 0;

    for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "nobody:", 7) == 0 || strncmp(line, "sandbox:", 8) == 0 ||
            line[0] == '\0') {
            continue;
        }
        if (sec_has(r, line)) {
            if (hits++ < 3) {
                size_t len = strcspn(line, ":");
                size_t used = strlen(users);
                snprintf(users + used, sizeof(users) - used, "%s%.*s", used ? "," : "",
                         (int)len, line);
            }
        }
    }
    free(copy);
    sec_effect(row, col, hits > 0, hits ? "%d host lines (%s)" : NULL, hits, users);
}

static void sec_judge_root_list(sec_row *row, int col, const sec_run *r)
{
    char copy[sizeof(sec_e.root_names)];
    char names[128] = "";
    char *save = NULL;
    char *name;
    int hits = 0;

    snprintf(copy, sizeof(copy), "%s", sec_e.root_names);
    for (name = strtok_r(copy, "\n", &save); name != NULL; name = strtok_r(NULL, "\n", &save)) {
        char needle[300];

        snprintf(needle, sizeof(needle), "DIR:%s\n", name);
        if (sec_has(r, needle)) {
            size_t used = strlen(names);
            if (hits++ < 4) {
                snprintf(names + used, sizeof(names) - used, "%s%s", used ? "," : "", name);
            }
        }
    }
    sec_effect(row, col, hits > 0, hits ? "host names: %s" : NULL, names);
}

static void sec_judge_sysinfo(sec_row *row, int col, const sec_run *r)
{
    char n[PATH_MAX + 32];
    const char *what = NULL;

    snprintf(n, sizeof(n), "HOSTNAME=%s\n", sec_e.hostname);
    if (sec_has(r, n)) {
        what = "host name";
    }
    snprintf(n, sizeof(n), "ETC_HOSTNAME=%s\n", sec_e.hostname);
    if (what == NULL && sec_has(r, n)) {
        what = "host name";
    }
    snprintf(n, sizeof(n), "USER=%s\n", sec_e.user);
    if (what == NULL && sec_has(r, n)) {
        what = "user name";
    }
    snprintf(n, sizeof(n), "PWHOME=%s\n", sec_e.real_home);
    if (what == NULL && sec_has(r, n)) {
        what = "home path";
    }
    snprintf(n, sizeof(n), "HOME=%s\n", sec_e.real_home);
    if (what == NULL && sec_has(r, n)) {
        what = "home path";
    }
    snprintf(n, sizeof(n), "HOME=%s\n", sec_e.home);
    if (what == NULL && sec_has(r, n)) {
        what = "caller's HOME";
    }
    sec_effect(row, col, what != NULL, what ? "%s" : NULL, what);
}

/* Host variable names (other than the few a sandbox sets itself) in "ENV NAME=" lines. */
static void sec_judge_env_names(sec_row *row, int col, const sec_run *r)
{
    static const char *const own[] = {"PATH", "HOME", "TMPDIR", "LANG", "PWD", "SHLVL", "_",
                                      "OLDPWD", NULL};
    char names[128] = "";
    int hits = 0;
    size_t i;

    for (i = 0; sec_e.cli_env[i] != NULL; i++) {
        const char *e = sec_e.cli_env[i];
        size_t len = strcspn(e, "=");
        char needle[256];
        size_t k;
        int skip = 0;

        for (k = 0; own[k] != NULL; k++) {
            skip |= strlen(own[k]) == len && strncmp(own[k], e, len) == 0;
        }
        if (skip || len > 200) {
            continue;
        }
        snprintf(needle, sizeof(needle), "ENV %.*s=", (int)len, e);
        if (sec_has(r, needle)) {
            size_t used = strlen(names);
            if (hits++ < 3) {
                snprintf(names + used, sizeof(names) - used, "%s%.*s", used ? "," : "",
                         (int)len, e);
            }
        }
    }
    sec_effect(row, col, hits > 0, hits ? "%d host names (%s)" : NULL, hits, names);
}

/* Finds "KEY value" at the start of a line; copies the value (to the end of the line). */
static int sec_line_value(const sec_run *r, const char *key, char *out, size_t size)
{
    const char *p = r->text;
    size_t klen = strlen(key);

    while (p != NULL && *p != '\0') {
        if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
            const char *v = p + klen + 1;
            size_t len = strcspn(v, "\n");
            snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), v);
            return 1;
        }
        p = strchr(p, '\n');
        if (p != NULL) {
            p++;
        }
    }
    return 0;
}

static void sec_judge_syscalls(int col, const sec_run *r)
{
    size_t i;
    int skipped = sec_has(r, "SKIP syscall numbers");

    for (i = 0; i < SEC_ARRAY_LEN(sec_sys_expect); i++) {
        const sec_errno_expect *x = &sec_sys_expect[i];
        char id[96];
        char key[96];
        char got[64];
        sec_row *row;

        snprintf(id, sizeof(id), "sys:%s", x->name);
        row = sec_row_get(id, "seccomp", 0, SEC_KIND_ERRNO);
        snprintf(row->expect, sizeof(row->expect), "%s", x->expect);
        snprintf(key, sizeof(key), "SYS %s", x->name);
        if (skipped) {
            sec_set(row, col, SEC_NA, "n/a", "not x86_64");
            continue;
        }
        if (!sec_line_value(r, key, got, sizeof(got))) {
            sec_set(row, col, SEC_BAD, "error", "no result line");
            continue;
        }
        if (strcmp(x->expect, "ok") == 0) {
            sec_set(row, col, strcmp(got, "ok") == 0 ? SEC_GOOD : SEC_BAD,
                    strcmp(got, "ok") == 0 ? "ok" : got, "expected ok, got %s", got);
        } else if (strcmp(got, "ok") == 0) {
            sec_set(row, col, SEC_BAD, "LEAKED", "the call worked; expected %s", x->expect);
        } else if (strcmp(x->expect, "fail") == 0 || strcmp(got, x->expect) == 0) {
            sec_set(row, col, SEC_GOOD, "contained", "%s", got);
        } else {
            /* It failed, but not with the filter's errno, so the kernel saw the call. */
            sec_set(row, col, SEC_BAD, got, "expected %s, got %s", x->expect, got);
        }
    }
}

static void sec_fs_set(const char *name, int col, int good, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void sec_fs_set(const char *name, int col, int good, const char *fmt, ...)
{
    char id[96];
    sec_row *row;
    va_list ap;

    snprintf(id, sizeof(id), "fs:%s", name);
    row = sec_row_get(id, "fs-proc", 0, SEC_KIND_EFFECT);
    if (row == NULL) {
        return;
    }
    sec_effect(row, col, !good, NULL);
    va_start(ap, fmt);
    vsnprintf(row->detail[col], sizeof(row->detail[col]), fmt, ap);
    va_end(ap);
}

static int sec_all_sys_writes_fail(const sec_run *r)
{
    const char *p = r->text;

    while (p != NULL && (p = strstr(p, "CHK sys_write ")) != NULL) {
        const char *end = strchr(p, '\n');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len >= 3 && strncmp(p + len - 3, " ok", 3) == 0) {
            return 0;
        }
        p += len;
    }
    return 1;
}

static void sec_judge_fs(int col, const sec_run *r)
{
    char v[256];
    char w[256];
    int have = sec_line_value(r, "CHK uid", v, sizeof(v));

    if (!have) {
        size_t i;
        for (i = 0; i < SEC_ARRAY_LEN(sec_fs_rows); i++) {
            char id[96];
            snprintf(id, sizeof(id), "fs:%s", sec_fs_rows[i]);
            sec_set(sec_row_get(id, "fs-proc", 0, SEC_KIND_EFFECT), col, SEC_BAD, "error",
                    "fs_checks.py printed nothing");
        }
        return;
    }
    sec_fs_set("uid_not_0", col, strcmp(v, "0") != 0, "uid %s", v);
    sec_line_value(r, "CHK capeff", v, sizeof(v));
    sec_fs_set("capeff_zero", col, strspn(v, "0") == strlen(v) && v[0] != '\0', "CapEff %s", v);
    sec_line_value(r, "CHK proc_self_exe_write", v, sizeof(v));
    sec_fs_set("proc_self_exe_not_writable", col, strcmp(v, "ok") != 0, "open: %s", v);
    sec_line_value(r, "CHK interpreter_write", v, sizeof(v));
    sec_fs_set("interpreter_not_writable", col, strcmp(v, "ok") != 0, "open: %s", v);
    sec_line_value(r, "CHK proc_sys_exists", v, sizeof(v));
    sec_line_value(r, "CHK proc_sys_write", w, sizeof(w));
    sec_fs_set("proc_sys_hidden_or_ro", col, strcmp(v, "no") == 0 || strcmp(w, "ok") != 0,
               "exists %s, core_pattern open: %s", v, w);
    sec_line_value(r, "CHK proc_sysrq_write", v, sizeof(v));
    sec_fs_set("proc_sysrq_not_writable", col, strcmp(v, "ok") != 0, "open: %s", v);
    sec_line_value(r, "CHK sys_entries", v, sizeof(v));
    sec_fs_set("sys_hidden_or_ro", col, sec_all_sys_writes_fail(r), "/sys entries %s", v);
    sec_line_value(r, "CHK kcore_exists", v, sizeof(v));
    sec_fs_set("proc_kcore_absent", col, strcmp(v, "no") == 0, "exists %s", v);
    sec_line_value(r, "CHK pid1_mem", v, sizeof(v));
    sec_fs_set("pid1_mem_closed", col, strcmp(v, "ok") != 0, "open: %s", v);
    sec_line_value(r, "CHK pid1_environ", v, sizeof(v));
    sec_fs_set("pid1_environ_closed", col, strcmp(v, "ok") != 0, "open: %s", v);
    sec_line_value(r, "CHK extra_fds", v, sizeof(v));
    sec_fs_set("inherited_fds_closed", col,
               strcmp(v, "none") == 0 && !sec_has(r, sec_e.file_secret), "fds: %.120s", v);
}

static void sec_judge_dns(sec_row *row, int col, const sec_run *r, int udp_hit)
{
    char v[64] = "";
    char result[16] = "";
    int ms = 0;
    int slow;

    if (sec_line_value(r, "GAI", v, sizeof(v))) {
        sscanf(v, "%15s %d", result, &ms);
    }
    slow = strcmp(result, "resolved") == 0 || ms >= 2000;
    if (udp_hit || slow) {
        sec_effect(row, col, 1, "%s%s", udp_hit ? "UDP query arrived " : "",
                   slow ? "getaddrinfo resolved or slow" : "");
    } else if (result[0] != '\0') {
        sec_effect(row, col, 0, "getaddrinfo failed in %d ms", ms);
    } else {
        sec_effect(row, col, 0, NULL);
    }
}

static void sec_judge_resources(const sec_case *c, sec_row *row, int col, const sec_run *r,
                                const char *limit)
{
    char v[128] = "";
    int n = 0;

    switch (c->judge) {
    case J_MEMORY:
        snprintf(row->limit[col], sizeof(row->limit[col]), "%s", limit);
        sec_effect(row, col, sec_has(r, "REACHED") || r->deadline_hit,
                   "limit %s, %ld ms%s", limit[0] ? limit : "-", r->wall_ms,
                   sec_has(r, "REACHED") ? ", 1 GiB allocated" : "");
        break;
    case J_FORK:
        if (sec_line_value(r, "FORKED", v, sizeof(v))) {
            n = atoi(v);
        }
        sec_effect(row, col, n >= 300 || r->survivors > 0 || r->deadline_hit,
                   "%d of 300 started, %d survived", n, r->survivors);
        break;
    case J_CPU:
        snprintf(row->limit[col], sizeof(row->limit[col]), "%s", limit);
        if (r->deadline_hit) {
            sec_effect(row, col, 1, "no limit: the harness killed it after %ld ms",
                       r->wall_ms);
        } else {
            sec_effect(row, col, r->survivors > 0, "limit %s after %ld ms",
                       limit[0] ? limit : "-", r->wall_ms);
        }
        break;
    case J_ORPHAN:
        sec_effect(row, col, r->survivors > 0, "%d survived", r->survivors);
        break;
    default: /* J_TMPFS */
        if (!sec_line_value(r, "WROTE_MB", v, sizeof(v))) {
            sec_set(row, col, SEC_BAD, "error", "no WROTE_MB line");
            break;
        }
        n = atoi(v);
        sec_effect(row, col, n >= 160 || strstr(v, "error") == NULL, "%s", v);
        break;
    }
}

/* Sums (and removes) the fill files the run left in the host output folder. */
static unsigned long long sec_take_fill_bytes(void)
{
    unsigned long long total = 0;
    int i;

    for (i = 0; i < 10; i++) {
        char path[PATH_MAX + 64];
        struct stat st;

        snprintf(path, sizeof(path), "%s/sl-sec-fill-%s-%d", sec_e.out_dir, sec_e.tag, i);
        if (stat(path, &st) == 0) {
            total += (unsigned long long)st.st_size;
            unlink(path);
        }
    }
    return total;
}

/* Judges the bytes a run may add to the host disk through --output-dir. The quota is
 * 64 MiB by default, and one 16 MiB file is allowed as slack. With `peak` the judge counts
 * what the run wrote before it deleted its files again, otherwise what stays on the host. */
static void sec_judge_quota(sec_row *row, int col, const sec_run *r, const char *limit,
                            int peak)
{
    char v[128] = "";
    unsigned long long left = sec_take_fill_bytes();
    int mib;

    sec_line_value(r, "WROTE_MB", v, sizeof(v));
    mib = atoi(v);
    if (peak) {
        sec_effect(row, col, mib > 80, "%s MiB written and deleted again, limit %s",
                   v[0] ? v : "?", limit[0] ? limit : "-");
    } else {
        sec_effect(row, col, left > (80ull << 20), "%llu MiB left on the host disk, limit %s",
                   left >> 20, limit[0] ? limit : "-");
    }
}

static void sec_judge_output_cap(sec_row *row, int col, const sec_run *r)
{
    if (col >= SEC_COL_BWRAP) {
        sec_effect(row, col, r->out_len >= (3u << 20), "%zu bytes passed through", r->out_len);
        return;
    }
    {
        size_t cap = 4u << 20;
        char *text = (char *)malloc(cap);
        int truncated = sec_json_bool(r->out, "stdout_truncated");
        size_t len = 0;

        if (text != NULL && sec_json_string(r->out, "output_text", text, cap) != NULL) {
            len = strlen(text);
        }
        free(text);
        const char *flag = "absent";

        if (truncated == 1) {
            flag = "true";
        } else if (truncated == 0) {
            flag = "false";
        }
        sec_effect(row, col, truncated != 1 || len > (1u << 20) + 64,
                   "stdout_truncated %s, %zu bytes kept", flag, len);
    }
}

static void sec_judge_symlink(sec_row *row, int col)
{
    FILE *f = fopen(sec_e.link_target, "r");
    char buf[256] = "";
    size_t n = f != NULL ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

    if (f != NULL) {
        fclose(f);
    }
    buf[n] = '\0';
    sec_effect(row, col, strcmp(buf, "original\n") != 0,
               strcmp(buf, "original\n") != 0 ? "host file changed" : NULL);
}

static void sec_judge_owner(sec_row *row, int col)
{
    char path[PATH_MAX + 16];
    struct stat st;

    snprintf(path, sizeof(path), "%s/owner", sec_e.out_dir);
    if (stat(path, &st) != 0) {
        sec_effect(row, col, 0, "no file written");
        return;
    }
    sec_effect(row, col, st.st_uid == 0, "host uid %u", (unsigned)st.st_uid);
}

/* Resets the output folder: empty, plus the planted pre-link; the link target restored. */
static void sec_reset_output(void)
{
    static const char *const names[] = {"pre-link", "new-link", "owner"};
    char path[PATH_MAX + 16];
    size_t i;
    FILE *f;

    for (i = 0; i < SEC_ARRAY_LEN(names); i++) {
        snprintf(path, sizeof(path), "%s/%s", sec_e.out_dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/pre-link", sec_e.out_dir);
    if (symlink(sec_e.link_target, path) != 0) {
        fprintf(stderr, "security: cannot plant %s: %s\n", path, strerror(errno));
    }
    f = fopen(sec_e.link_target, "w");
    if (f != NULL) {
        fputs("original\n", f);
        fclose(f);
    }
    chmod(sec_e.link_target, 0666);
}

/* The layers row, from the CLI's --json report of the first Python run of each level. */
static void sec_judge_layers(int col, const sec_run *r)
{
    static const char *const want[] = {"userns", "mountns", "pidns", "netns", "ipcns", "utsns",
                                       "seccomp", "landlock", "cgroup", "rlimits",
                                       "no_new_privs"};
    sec_row *row = sec_row_get("all_layers_active", "fail-closed", 0, SEC_KIND_EFFECT);
    char layers[512];
    char missing[160] = "";
    int have = 0;
    size_t i;

    if (row == NULL || row->status[col] != SEC_NA) {
        return;
    }
    if (sec_json_array(r->out, "layers", layers, sizeof(layers)) == NULL) {
        sec_set(row, col, SEC_BAD, "error", "no layers in the report");
        return;
    }
    for (i = 0; i < SEC_ARRAY_LEN(want); i++) {
        char quoted[32];
        snprintf(quoted, sizeof(quoted), "\"%s\"", want[i]);
        if (strstr(layers, quoted) != NULL) {
            have++;
        } else {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof(missing) - used, "%s%s", used ? " " : "", want[i]);
        }
    }
    {
        char cell[16];
        snprintf(cell, sizeof(cell), "%d/11", have);
        sec_set(row, col, have == 11 ? SEC_GOOD : SEC_BAD, cell,
                have == 11 ? "every layer active" : "missing: %s", missing);
    }
}

/* ---- one run ----------------------------------------------------------------------------- */

static int sec_is_cli(int col)
{
    return col <= SEC_COL_L3;
}

static const char *sec_batch_row_name(const sec_case *c, size_t i, char *buf, size_t size)
{
    if (c->judge == J_SYSCALLS) {
        if (i >= SEC_ARRAY_LEN(sec_sys_expect)) {
            return NULL;
        }
        snprintf(buf, size, "sys:%s", sec_sys_expect[i].name);
        return buf;
    }
    if (i >= SEC_ARRAY_LEN(sec_fs_rows)) {
        return NULL;
    }
    snprintf(buf, size, "fs:%s", sec_fs_rows[i]);
    return buf;
}

/* Marks every row of a case with one cell (a blocked or failed run). */
static void sec_mark_case(const sec_case *c, int col, int status, const char *cell,
                          const char *detail)
{
    if (c->judge == J_SYSCALLS || c->judge == J_FSCHECKS) {
        char id[96];
        size_t i;
        for (i = 0; sec_batch_row_name(c, i, id, sizeof(id)) != NULL; i++) {
            sec_row *row = sec_row_get(id, c->judge == J_SYSCALLS ? "seccomp" : "fs-proc", 0,
                                       c->judge == J_SYSCALLS ? SEC_KIND_ERRNO
                                                              : SEC_KIND_EFFECT);
            if (c->judge == J_SYSCALLS) {
                snprintf(row->expect, sizeof(row->expect), "%s", sec_sys_expect[i].expect);
            }
            sec_set(row, col, status, cell, "%s", detail);
        }
        return;
    }
    sec_set(sec_row_get(c->id, c->category, c->original, SEC_KIND_EFFECT), col, status, cell,
            "%s", detail);
}

/* Returns the first line of the run's stderr (the CLI's message) in `out`. */
static const char *sec_first_error_line(const sec_run *r, char *out, size_t size)
{
    const char *e = r->err != NULL ? r->err : "";
    size_t len = strcspn(e, "\n");

    snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), e);
    return out;
}

/* For a CLI run, replaces the searchable text with the payload's own output (the
 * "output_text" and "stderr" members of the --json report) plus the CLI's stderr, so that
 * line-based judges see the probe's lines from their start. */
static void sec_cli_text(sec_run *r)
{
    size_t cap = r->out_len + r->err_len + 3;
    char *text = (char *)malloc(cap);
    size_t used;

    if (text == NULL || r->out == NULL ||
        sec_json_string(r->out, "output_text", text, cap) == NULL) {
        free(text);
        return;
    }
    used = strlen(text);
    text[used++] = '\n';
    if (sec_json_string(r->out, "stderr", text + used, cap - used) != NULL) {
        used += strlen(text + used);
    }
    text[used++] = '\n';
    text[used] = '\0';
    if (r->err != NULL && used + r->err_len < cap) {
        memcpy(text + used, r->err, r->err_len + 1);
    }
    free(r->text);
    r->text = text;
}

static void sec_run_case(const sec_case *c, int col)
{
    sec_argv a;
    sec_vars v;
    sec_run r;
    sec_row *row;
    char limit[32] = "";
    char msg[200];
    int deadline;
    int canary_died;

    memset(&a, 0, sizeof(a));
    memset(&v, 0, sizeof(v));
    v.col = col;
    snprintf(v.tmpfile, sizeof(v.tmpfile), "/tmp/sl-sec-write-%s-%d", sec_e.tag,
             ++sec_run_counter);
    if (col <= SEC_COL_L3) {
        sec_build_cli(&a, c, &v);
    } else if (col == SEC_COL_BWRAP) {
        sec_build_bwrap(&a, c, &v);
    } else if (col == SEC_COL_FIREJAIL) {
        sec_build_firejail(&a, c, &v);
    } else {
        sec_build_srt(&a, c, &v);
    }
    sec_env_ensure_canary(&sec_e);
    sec_env_drain(&sec_e);
    if (c->judge == J_SYMLINK || c->judge == J_OWNER) {
        sec_reset_output();
    }
    if (c->judge == J_QUOTA || c->judge == J_QUOTA_PEAK) {
        sec_take_fill_bytes();
    }
    /* The CLI enforces its own --timeout; the harness waits 5 s longer. A peer has no wall
     * limit, so its deadline is the case's timeout, and a peer that reaches it failed to
     * stop the run itself. */
    deadline = sec_case_timeout(c) + (sec_is_cli(col) ? 5000 : 0);
    sec_run_argv(&sec_e, a.v, deadline, c->judge == J_LISTEN, c->judge == J_TTY, &r);
    if (c->judge == J_CROSS_RUN && r.started && !(col == SEC_COL_L3 && r.exit_status == 6)) {
        /* The same case again, reading what the first run left behind. */
        sec_case again = *c;
        again.args = "read {tmpfile}";
        sec_run_free(&r);
        memset(&a, 0, sizeof(a));
        if (col <= SEC_COL_L3) {
            sec_build_cli(&a, &again, &v);
        } else if (col == SEC_COL_BWRAP) {
            sec_build_bwrap(&a, &again, &v);
        } else if (col == SEC_COL_FIREJAIL) {
            sec_build_firejail(&a, &again, &v);
        } else {
            sec_build_srt(&a, &again, &v);
        }
        sec_run_argv(&sec_e, a.v, deadline, 0, 0, &r);
    }
    canary_died = sec_env_canary_dead(&sec_e);
    if (sec_is_cli(col)) {
        sec_json_string(r.out, "limit", limit, sizeof(limit));
        sec_cli_text(&r);
    }

    if (!r.started) {
        sec_mark_case(c, col, SEC_BAD, "error", "could not start");
        sec_run_free(&r);
        return;
    }
    /* Exit status 6 is a refusal by the level 3 gate. Only a refusal because of scan
     * findings counts as blocked; the gate also refuses what it failed to scan. */
    if (col == SEC_COL_L3 && r.exit_status == 6 && r.err != NULL &&
        (strstr(r.err, "the scan found") != NULL || strstr(r.err, "not confirmed") != NULL)) {
        sec_mark_case(c, col, SEC_GOOD, "blocked", "the level 3 scan refused it");
        sec_run_free(&r);
        return;
    }
    if (sec_is_cli(col) && (r.exit_status == 2 || r.exit_status == 3 || r.exit_status == 4 ||
                            r.exit_status == 6)) {
        sec_first_error_line(&r, msg, sizeof(msg));
        sec_mark_case(c, col, SEC_BAD, "error", msg);
        sec_run_free(&r);
        return;
    }

    if (c->judge == J_SYSCALLS) {
        sec_judge_syscalls(col, &r);
        sec_run_free(&r);
        return;
    }
    if (c->judge == J_FSCHECKS) {
        sec_judge_fs(col, &r);
        sec_run_free(&r);
        return;
    }
    if (sec_is_cli(col) && strcmp(c->id, "read_passwd") == 0) {
        sec_judge_layers(col, &r);
    }
    row = sec_row_get(c->id, c->category, c->original, SEC_KIND_EFFECT);
    switch (c->judge) {
    case J_PASSWD:
        sec_judge_passwd(row, col, &r);
        break;
    case J_SECRET_FILE:
        sec_effect(row, col, sec_has(&r, sec_e.file_secret), NULL);
        break;
    case J_SECRET_SSH:
        sec_effect(row, col, sec_has(&r, sec_e.ssh_secret), NULL);
        break;
    case J_SECRET_ENV:
        sec_effect(row, col, sec_has(&r, sec_e.env_secret), NULL);
        break;
    case J_FILE_CREATED:
        sec_effect(row, col, access(v.tmpfile, F_OK) == 0, NULL);
        unlink(v.tmpfile);
        break;
    case J_ROOT_LIST:
        sec_judge_root_list(row, col, &r);
        break;
    case J_TCP:
        sec_effect(row, col, sec_env_tcp_hit(&sec_e), NULL);
        break;
    case J_DNS:
        sec_judge_dns(row, col, &r, sec_env_udp_hit(&sec_e));
        break;
    case J_LISTEN:
        sec_effect(row, col, r.listen_connected, NULL);
        break;
    case J_SUBPROC:
        sec_effect(row, col, sec_has(&r, "SUBPROC-42-RAN"), NULL);
        break;
    case J_PROC_LIST: {
        char needle[64];
        snprintf(needle, sizeof(needle), "PID %d ", (int)sec_e.canary_pid);
        sec_effect(row, col, sec_has(&r, sec_e.canary_name) || sec_has(&r, needle), NULL);
        break;
    }
    case J_SIGNAL:
        sec_effect(row, col, canary_died, NULL);
        break;
    case J_SYSINFO:
        sec_judge_sysinfo(row, col, &r);
        break;
    case J_ENV_NAMES:
        sec_judge_env_names(row, col, &r);
        break;
    case J_ABSTRACT:
        sec_effect(row, col, sec_env_abstract_hit(&sec_e), NULL);
        break;
    case J_UNIX_PATH:
        sec_effect(row, col, sec_env_unix_hit(&sec_e), NULL);
        break;
    case J_OUTPUT_CAP:
        sec_judge_output_cap(row, col, &r);
        break;
    case J_SYMLINK:
        sec_judge_symlink(row, col);
        break;
    case J_OWNER:
        sec_judge_owner(row, col);
        break;
    case J_TTY:
        sec_effect(row, col, r.tty_injected, NULL);
        break;
    case J_QUOTA:
    case J_QUOTA_PEAK:
        sec_judge_quota(row, col, &r, limit, c->judge == J_QUOTA_PEAK);
        break;
    case J_CROSS_RUN:
        sec_effect(row, col, sec_has(&r, "FOUND LEFT-BY-AN-EARLIER-RUN"), NULL);
        unlink(v.tmpfile);
        break;
    case J_MOUNTINFO:
        row->kind = SEC_KIND_INFO;
        sec_effect(row, col, sec_has(&r, sec_e.tmp), sec_has(&r, sec_e.tmp) ?
                   "the host path %s is readable in /proc/self/mountinfo" : NULL, sec_e.tmp);
        break;
    default:
        sec_judge_resources(c, row, col, &r, limit);
        break;
    }
    if (col == SEC_COL_L3 && row->detail[col][0] == '\0') {
        snprintf(row->detail[col], sizeof(row->detail[col]), "ran: the scan let it through");
    }
    /* A process of the run that outlived it is a finding in every case. */
    if (r.survivors > 0 && row->status[col] == SEC_GOOD) {
        sec_set(row, col, SEC_BAD, "LEAKED", "%d processes outlived the run", r.survivors);
    }
    sec_run_free(&r);
}

/* ---- peers ----------------------------------------------------------------------------- */

/* Runs a trivial script through a peer once. A peer that cannot start anything (for
 * example firejail without its setuid helper) gets a note with the reason, not a column. */
static int sec_peer_works(int col, char *why, size_t size)
{
    static const sec_case hello = {"hello", "", "py/list_root.py", "", "", J_ROOT_LIST, 0, 0};
    sec_argv a;
    sec_vars v;
    sec_run r;
    int ok;

    memset(&a, 0, sizeof(a));
    memset(&v, 0, sizeof(v));
    v.col = col;
    if (col == SEC_COL_BWRAP) {
        sec_build_bwrap(&a, &hello, &v);
    } else if (col == SEC_COL_FIREJAIL) {
        sec_build_firejail(&a, &hello, &v);
    } else {
        sec_build_srt(&a, &hello, &v);
    }
    sec_run_argv(&sec_e, a.v, 15000, 0, 0, &r);
    ok = r.started && r.exit_status == 0 && r.text != NULL && strstr(r.text, "DIR:") != NULL;
    if (!ok) {
        char line[160];
        sec_first_error_line(&r, line, sizeof(line));
        snprintf(why, size, "exit %d: %s", r.exit_status, line);
    }
    sec_run_free(&r);
    return ok;
}

/* ---- the matrix ------------------------------------------------------------------------ */

static int sec_case_selected(const sec_case *c)
{
    const char *filter = getenv("SKILLLITE_SECURITY_CASES");
    char copy[512];
    char *save = NULL;
    char *tok;

    if (filter == NULL || filter[0] == '\0') {
        return 1;
    }
    snprintf(copy, sizeof(copy), "%s", filter);
    for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (strstr(c->id, tok) != NULL) {
            return 1;
        }
    }
    return 0;
}

void sec_emergency_stop(void)
{
    if (sec_e.ready) {
        if (sec_e.canary_pid > 0) {
            kill(sec_e.canary_pid, SIGKILL);
        }
    }
}

void sec_matrix_teardown(void)
{
    sec_env_teardown(&sec_e);
}

int sec_matrix_build(void)
{
    const char *bin = getenv("SKILLLITE_BIN");
    const char *probes = getenv("SKILLLITE_SECURITY_PROBES");
    const char *peers = getenv("SKILLLITE_SECURITY_PEERS");
    static const char *const peer_names[] = {"bwrap", "firejail", "srt"};
    size_t i;
    int col;

    if (sec_m.built) {
        return sec_m.usable ? 0 : -1;
    }
    sec_m.built = 1;
    snprintf(sec_bin, sizeof(sec_bin), "%s", bin != NULL && bin[0] ? bin : "build/skilllite");
    if (access(sec_bin, X_OK) != 0) {
        snprintf(sec_m.why, sizeof(sec_m.why), "the CLI %.200s is not built (make "
                 "build/skilllite) or SKILLLITE_BIN is wrong", sec_bin);
        return -1;
    }
    if (sec_bin[0] != '/') {
        char cwd[PATH_MAX];
        char joined[PATH_MAX * 2];
        if (getcwd(cwd, sizeof(cwd)) != NULL &&
            (size_t)snprintf(joined, sizeof(joined), "%s/%s", cwd, sec_bin) < sizeof(sec_bin)) {
            memcpy(sec_bin, joined, strlen(joined) + 1);
        }
    }
    if (sec_env_setup(&sec_e, probes != NULL && probes[0] ? probes : "tests/security/probes")
        != 0) {
        snprintf(sec_m.why, sizeof(sec_m.why), "the host side of the suite could not be set up "
                 "(see the message above)");
        return -1;
    }
    sec_m.usable = 1;

    sec_m.column_on[SEC_COL_L1] = sec_m.column_on[SEC_COL_L2] = sec_m.column_on[SEC_COL_L3] = 1;
    for (i = 0; i < SEC_ARRAY_LEN(peer_names); i++) {
        col = SEC_COL_BWRAP + (int)i;
        if (peers != NULL && peers[0] == '0') {
            continue;
        }
        if (!sec_have_program(peer_names[i], sec_peer_path[col], sizeof(sec_peer_path[col]))) {
            continue;
        }
        if (sec_peer_works(col, sec_m.peer_note[col], sizeof(sec_m.peer_note[col]))) {
            sec_m.column_on[col] = 1;
        }
        sec_m.peer_installed[col] = 1;
    }

    for (i = 0; i < SEC_CASE_COUNT; i++) {
        if (!sec_case_selected(&sec_cases[i])) {
            continue;
        }
        for (col = 0; col < SEC_COL_COUNT; col++) {
            if (!sec_m.column_on[col]) {
                continue;
            }
            if (col == SEC_COL_FIREJAIL &&
                (sec_cases[i].judge == J_SYMLINK || sec_cases[i].judge == J_OWNER ||
                 sec_cases[i].judge == J_QUOTA || sec_cases[i].judge == J_QUOTA_PEAK)) {
                continue; /* no output folder in this configuration */
            }
            sec_run_case(&sec_cases[i], col);
        }
    }
    return 0;
}
