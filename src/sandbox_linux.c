/* =============================================================== sandbox linux ===
 * The Linux spawner: plan, clone, id maps, mounts, limits, exec, and the parent's loop.
 *
 * Process tree of a level 2 run:
 *
 *   host process (this library)
 *     +-- init      clone() into new user, mount, PID, network, IPC and UTS namespaces.
 *         |         PID 1 of the new PID namespace. Builds the mount tree, brings up
 *         |         loopback, drops to the sandbox uid and every capability, turns
 *         |         non-dumpable, then only reaps children and forwards signals.
 *         +-- payload   PID 2: setsid, rlimits, no_new_privs, Landlock, seccomp, execve.
 *
 * The run ends with the payload, whatever its descendants do with the pipes. When the
 * payload exits, or when the parent sends SL__STOP_SIGNAL (deadline, limit, host kill), init
 * kills every other process of the namespace and reaps them all, so that their CPU time
 * adds up in its own rusage. Then it exits. If init does not exit within SL__STOP_GRACE_NS, the parent
 * kills it, and the kernel kills whatever is left in the namespace. Level 1 forks the
 * payload directly and kills its session and cgroup after it exits.
 *
 * Everything the children need is prepared before clone (sl__plan): argv, envp, every
 * path string, the list of mount steps, the BPF program, the Landlock ruleset and the
 * cgroup. Between clone and execve the children make raw system calls only: no allocator,
 * no stdio, no locks, and no glibc wrappers that talk to other threads. setresuid and
 * friends go through syscall(), because glibc's wrappers signal every thread of the parent,
 * and those threads do not exist in the child. A failing step writes {stage, errno, index}
 * to a close-on-exec pipe, and the parent turns it into an sl_error with the stage name.
 */

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* System calls newer than some supported C libraries; the numbers from 424 on are the same
 * on every architecture. */
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#endif
#ifndef PR_CAP_AMBIENT_CLEAR_ALL
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
/* statfs f_flags bit for relatime (ST_RELATIME in <sys/statvfs.h>); the lower ST_* bits
 * equal their MS_* counterparts. */
#define SL__ST_RELATIME 0x1000

/* struct mount_attr and its flags from <linux/mount.h>, which clashes with <sys/mount.h>
 * on older C libraries. */
typedef struct sl__mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
} sl__mount_attr;
#define SL__MOUNT_ATTR_RDONLY 0x1u
#define SL__MOUNT_ATTR_NOSUID 0x2u
#define SL__MOUNT_ATTR_NODEV 0x4u
#define SL__MOUNT_ATTR_NOEXEC 0x8u

/* capset(2) structures from <linux/capability.h>, version 3 (two 32-bit words). */
typedef struct sl__cap_header {
    uint32_t version;
    int pid;
} sl__cap_header;
typedef struct sl__cap_data {
    uint32_t effective;
    uint32_t permitted;
    uint32_t inheritable;
} sl__cap_data;
#define SL__CAP_VERSION_3 0x20080522u

/* Mount point of the new root while init assembles it. Mounting over /tmp hides the host's
 * /tmp from the rest of the setup, so every caller path is opened before clone and bound
 * through /proc/self/fd/N. The mount is private to the new mount namespace. */
#define SL__STAGE_ROOT "/tmp"

/* PATH inside the sandbox and at level 1 (the interpreter's own bin folder goes first). */
#define SL__SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"

/* The uid and gid of "nobody", the default identity of the payload for a root caller. */
#define SL__NOBODY 65534

/* How long the parent keeps reading the pipes after the payload was reaped, for data
 * still in flight (level 2) or for descendants that escaped the kill (level 1). */
#define SL__DRAIN_NS (100ull * 1000000ull)

/* How long init may take to kill and reap the run after the parent asked it to stop, before
 * the parent kills init itself (and loses the CPU time of the processes init did not reap). */
#define SL__STOP_GRACE_NS (200ull * 1000000ull)

/* Period of the checks made while a run is going: the cgroup's OOM and pids.max events.
 * Runs without a cgroup make no checks. */
#define SL__WATCH_NS (250ull * 1000000ull)

/* The signal that requests a level 2 init to kill and reap every process of the run. init
 * honours it only from outside its PID namespace (si_pid 0), which means from the parent. */
#define SL__STOP_SIGNAL SIGUSR1

/* --------------------------------------------------------------------- profiling --- */

/* Timestamps of the spawn's steps, for benchmark/spawn_profile.c. Compiled in only with
 * SKILLLITE_SANDBOX_PROFILE; a release build has no trace of them. The tool points
 * sl__prof_slots at a MAP_SHARED page, so the children's marks reach it too (the clock is
 * CLOCK_MONOTONIC, which every namespace here shares). */
enum {
    SL__PF_SPAWN, SL__PF_QUOTA, SL__PF_RESOLVE, SL__PF_ENV_IDS, SL__PF_CGROUP,
    SL__PF_SECCOMP, SL__PF_LANDLOCK, SL__PF_PLAN, SL__PF_PIPES, SL__PF_CLONE, SL__PF_IDMAP,
    SL__PF_SYNC, SL__PF_SETUP_DONE, SL__PF_POLL_READY, SL__PF_REAPED, SL__PF_CG_DESTROY,
    SL__PF_FINISHED, SL__PF_FREED,
    SL__PF_I_START, SL__PF_I_SYNC, SL__PF_I_STDIO, SL__PF_I_CG_JOIN, SL__PF_I_SOURCES,
    SL__PF_I_IDS, SL__PF_I_PRIVATE, SL__PF_I_ROOT, SL__PF_I_OPS, SL__PF_I_USERNS,
    SL__PF_I_PIVOT, SL__PF_I_DETACH, SL__PF_I_ROOT_RO, SL__PF_I_LOOPBACK, SL__PF_I_HOSTNAME,
    SL__PF_I_CAPS, SL__PF_I_DUMPABLE, SL__PF_I_FORKED,
    SL__PF_X_START, SL__PF_X_SETSID, SL__PF_X_RLIMIT, SL__PF_X_CHDIR, SL__PF_X_NNP,
    SL__PF_X_LANDLOCK, SL__PF_X_CLOSE, SL__PF_X_SECCOMP,
    SL__PF_I_PAYLOAD_EXIT, SL__PF_I_END, SL__PF_CG_ATTACH, SL__PF_I_CG_WAIT,
    SL__PF_OP_BASE,            /* + SL__OP_* kind: summed ns of that mount step kind */
    SL__PF_BIND_ATTR = SL__PF_OP_BASE + 16, /* summed ns of the attribute half of binds */
    SL__PF_OP_COUNT_BASE,      /* + kind: how many steps of that kind */
    SL__PF_SLOTS = SL__PF_OP_COUNT_BASE + 16
};

#ifdef SKILLLITE_SANDBOX_PROFILE
static uint64_t *sl__prof_slots; /* profile builds only: owned by the profiling tool */
#define SL__PROF(slot)                                                                     \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)] = sl_time_now_ns();                                     \
        }                                                                                  \
    } while (0)
#define SL__PROF_NOW() sl_time_now_ns()
#define SL__PROF_ADD(slot, t0)                                                             \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)] += sl_time_now_ns() - (t0);                             \
        }                                                                                  \
    } while (0)
#define SL__PROF_COUNT(slot)                                                               \
    do {                                                                                   \
        if (sl__prof_slots != NULL) {                                                      \
            sl__prof_slots[(slot)]++;                                                      \
        }                                                                                  \
    } while (0)
#else
#define SL__PROF(slot) ((void)0)
#define SL__PROF_NOW() 0
#define SL__PROF_ADD(slot, t0) ((void)(t0))
#define SL__PROF_COUNT(slot) ((void)0)
#endif

/* ------------------------------------------------------------------------ stages --- */

/* Steps that can fail after clone. The parent maps each to a name (sl_error.stage), the
 * layer's error code and a hint with the likely fix. */
enum {
    SL__ST_OPEN_SOURCE = 1,
    SL__ST_MAKE_PRIVATE,
    SL__ST_ROOT_TMPFS,
    SL__ST_MKDIR,
    SL__ST_TOUCH,
    SL__ST_BIND,
    SL__ST_BIND_FLAGS,
    SL__ST_SYMLINK,
    SL__ST_TMPFS,
    SL__ST_PROC,
    SL__ST_WRITE_FILE,
    SL__ST_REMOUNT_RO,
    SL__ST_USERNS_LIMIT,
    SL__ST_PIVOT,
    SL__ST_DETACH_OLD,
    SL__ST_ROOT_RO,
    SL__ST_LOOPBACK,
    SL__ST_HOSTNAME,
    SL__ST_CGROUP,
    SL__ST_SETGROUPS,
    SL__ST_SETGID,
    SL__ST_SETUID,
    SL__ST_CAPS,
    SL__ST_DUMPABLE,
    SL__ST_FORK,
    SL__ST_SETSID,
    SL__ST_DUP,
    SL__ST_RLIMIT,
    SL__ST_CHDIR,
    SL__ST_NO_NEW_PRIVS,
    SL__ST_LANDLOCK,
    SL__ST_CLOSE_FDS,
    SL__ST_SECCOMP,
    SL__ST_EXEC,
    SL__ST_POOL_REQUEST,
    SL__ST_OUTPUT_SEND,
    SL__ST_COUNT
};

typedef struct sl__stage_info {
    const char *name;
    int code;
} sl__stage_info;

static const sl__stage_info sl__stages[SL__ST_COUNT] = {
    {"", SL_ESANDBOX_SPAWN},
    {"open bind source", SL_ESANDBOX_MOUNTNS},
    {"make / private", SL_ESANDBOX_MOUNTNS},
    {"mount root tmpfs", SL_ESANDBOX_MOUNTNS},
    {"mkdir", SL_ESANDBOX_MOUNTNS},
    {"create file", SL_ESANDBOX_MOUNTNS},
    {"bind mount", SL_ESANDBOX_MOUNTNS},
    {"remount bind", SL_ESANDBOX_MOUNTNS},
    {"symlink", SL_ESANDBOX_MOUNTNS},
    {"mount tmpfs", SL_ESANDBOX_MOUNTNS},
    {"mount /proc", SL_ESANDBOX_PIDNS},
    {"write file", SL_ESANDBOX_MOUNTNS},
    {"remount read-only", SL_ESANDBOX_MOUNTNS},
    {"limit user namespaces", SL_ESANDBOX_USERNS},
    {"pivot_root", SL_ESANDBOX_MOUNTNS},
    {"detach old root", SL_ESANDBOX_MOUNTNS},
    {"remount / read-only", SL_ESANDBOX_MOUNTNS},
    {"bring up loopback", SL_ESANDBOX_NETNS},
    {"sethostname", SL_ESANDBOX_UTSNS},
    {"join cgroup", SL_ESANDBOX_CGROUP},
    {"setgroups", SL_ESANDBOX_IDMAP},
    {"setresgid", SL_ESANDBOX_IDMAP},
    {"setresuid", SL_ESANDBOX_IDMAP},
    {"drop capabilities", SL_ESANDBOX_USERNS},
    {"set non-dumpable", SL_ESANDBOX_PIDNS},
    {"fork payload", SL_ESANDBOX_SPAWN},
    {"setsid", SL_ESANDBOX_SPAWN},
    {"dup2 stdio", SL_ESANDBOX_SPAWN},
    {"setrlimit", SL_ESANDBOX_RLIMIT},
    {"chdir", SL_ESANDBOX_SPAWN},
    {"no_new_privs", SL_ESANDBOX_SPAWN},
    {"landlock_restrict_self", SL_ESANDBOX_LANDLOCK},
    {"close fds", SL_ESANDBOX_SPAWN},
    {"seccomp", SL_ESANDBOX_SECCOMP},
    {"execve", SL_ESANDBOX_EXEC},
    {"pool request", SL_ESANDBOX_SPAWN},
    {"send /output", SL_ESANDBOX_MOUNTNS},
};

/* What a child writes to the setup pipe when a step fails. */
typedef struct sl__child_msg {
    int32_t stage;
    int32_t err;
    int32_t index; /* mount step index, or -1 */
    int32_t unused;
} sl__child_msg;

/* ------------------------------------------------------------------------- plan --- */

/* One step of building the sandbox's file system, executed in order by init. */
enum {
    SL__OP_MKDIR = 1,  /* path */
    SL__OP_TOUCH,      /* path: empty file to bind a file over */
    SL__OP_BIND,       /* src onto path, then `attr` (SL__MOUNT_ATTR_*) on the whole tree */
    SL__OP_SYMLINK,    /* path -> src */
    SL__OP_TMPFS,      /* tmpfs at path with `data` options and `flags` */
    SL__OP_PROC,       /* proc at path */
    SL__OP_WRITE,      /* file at path with `len` bytes of src */
    SL__OP_REMOUNT_RO  /* make the mount at path read-only (not recursive) */
};

typedef struct sl__mount_op {
    int kind;
    const char *path;   /* absolute, under SL__STAGE_ROOT */
    const char *src;
    const char *data;
    size_t len;
    unsigned long flags;
    unsigned attr;
} sl__mount_op;

typedef struct sl__limit {
    int resource;
    struct rlimit value;
} sl__limit;

#define SL__MAX_LIMITS 8
#define SL__MAX_FDS 64

/* Everything decided before clone. Strings live in the arena; the plan is freed once
 * the payload has exec'd (or failed). */
typedef struct sl__plan {
    sl__arena arena;
    const sl_sandbox_policy *policy;
    int level;
    int caller_root;
    const char *exe;          /* path passed to execve (host path = sandbox path) */
    const char *exe_prefix;   /* host folder bound read-only for it, or NULL */
    char **argv;
    char **envp;
    const char *cwd;
    sl__mount_op *ops;
    size_t op_count;
    size_t op_cap;
    int source_fds[SL__MAX_FDS]; /* fd numbers of caller paths, bound via /proc/self/fd */
    const char *source_paths[SL__MAX_FDS]; /* canonical: realpath() of the caller's path */
    dev_t source_devs[SL__MAX_FDS];  /* identity of what the parent checked, compared by init */
    ino_t source_inos[SL__MAX_FDS];
    int source_fd_count;
    uid_t uid;                /* the payload's uid, the same number inside and on the host */
    gid_t gid;
    sl__limit limits[SL__MAX_LIMITS];
    int limit_count;
    const char *uid_map;      /* "uid uid 1\n" */
    const char *gid_map;
    int landlock_fd;          /* -1 when no Landlock */
    int landlock_abi;
    uint64_t landlock_dev_rights;   /* rights the child grants on /dev */
    uint64_t landlock_tmp_rights;   /* rights on /tmp and /dev/shm */
    uint64_t landlock_read_rights;  /* rights on / (the sandbox's whole view) */
    sl__bpf bpf;
    int have_bpf;
    int bpf_borrowed;         /* 1: `bpf` belongs to a pool or context; the plan never frees it */
    sl__cgroup cgroup;
    int have_cgroup;          /* cg.version != 0 */
    sl__cgroup_base *cgroup_base; /* hierarchies a pool discovered once; NULL: per run */
    unsigned layers;
    pid_t parent_pid;
    /* fds the children use */
    int stdin_r, stdout_w, stderr_w, setup_w, status_w, sync_r;
    int output_w;             /* level 2 with output_dir: init's end of the socket that passes
                                 the /output tmpfs to the parent */
    int pool_ctrl;            /* pool entry: the payload's end of the control socket; else -1 */
    int cgroup_deferred;      /* level 2: the parent creates the cgroup while init builds the
                                 sandbox, moves init into it, and then sends 'c' (or 'n' for
                                 no cgroup) on the sync pipe; init forks the payload after */
    int cgroup_limit_count;   /* limit_count without RLIMIT_DATA and RLIMIT_NPROC */
} sl__plan;

/* printf into the plan's arena; NULL when out of memory. */
static char *sl__plan_strf(sl__plan *plan, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *sl__plan_strf(sl__plan *plan, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return NULL;
    }
    s = (char *)sl__arena_alloc(&plan->arena, (size_t)n + 1);
    if (s == NULL) {
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static sl__mount_op *sl__plan_op(sl__plan *plan, int kind, const char *sandbox_path)
{
    sl__mount_op *op;

    if (sandbox_path == NULL) {
        return NULL;
    }
    if (plan->op_count == plan->op_cap) {
        size_t cap = plan->op_cap == 0 ? 64 : plan->op_cap * 2;
        sl__mount_op *grown = (sl__mount_op *)sl__arena_alloc(&plan->arena, cap * sizeof(sl__mount_op));

        if (grown == NULL) {
            return NULL;
        }
        if (plan->op_count > 0) {
            memcpy(grown, plan->ops, plan->op_count * sizeof(sl__mount_op));
        }
        plan->ops = grown;
        plan->op_cap = cap;
    }
    op = &plan->ops[plan->op_count++];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    op->path = sl__plan_strf(plan, "%s%s", SL__STAGE_ROOT, sandbox_path);
    return op->path != NULL ? op : NULL;
}

/* Adds MKDIR steps for `sandbox_path` and each missing parent, once each. */
static int sl__plan_mkdirs(sl__plan *plan, const char *sandbox_path)
{
    char buf[PATH_MAX];
    size_t len = strlen(sandbox_path);
    size_t i;

    if (len == 0 || len >= sizeof(buf)) {
        return SL_EINVAL;
    }
    memcpy(buf, sandbox_path, len + 1);
    for (i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            size_t j;
            int seen = 0;

            buf[i] = '\0';
            for (j = 0; j < plan->op_count && !seen; j++) {
                const sl__mount_op *op = &plan->ops[j];
                seen = op->kind == SL__OP_MKDIR &&
                       strcmp(op->path + strlen(SL__STAGE_ROOT), buf) == 0;
            }
            if (!seen && sl__plan_op(plan, SL__OP_MKDIR, buf) == NULL) {
                return SL_ENOMEM;
            }
            buf[i] = saved;
        }
    }
    return SL_OK;
}

/* Adds the steps that put host `src` (a path or "/proc/self/fd/N") at `sandbox_path`. */
static int sl__plan_bind(sl__plan *plan, const char *src, const char *sandbox_path,
                         int is_dir, unsigned attr)
{
    sl__mount_op *op;
    char parent[PATH_MAX];
    const char *slash = strrchr(sandbox_path, '/');
    int rc;

    if (is_dir) {
        rc = sl__plan_mkdirs(plan, sandbox_path);
    } else {
        size_t n = (size_t)(slash - sandbox_path);

        if (n >= sizeof(parent)) {
            return SL_EINVAL;
        }
        memcpy(parent, sandbox_path, n);
        parent[n] = '\0';
        rc = n > 0 ? sl__plan_mkdirs(plan, parent) : SL_OK;
        if (rc == SL_OK && sl__plan_op(plan, SL__OP_TOUCH, sandbox_path) == NULL) {
            rc = SL_ENOMEM;
        }
    }
    if (rc != SL_OK) {
        return rc;
    }
    op = sl__plan_op(plan, SL__OP_BIND, sandbox_path);
    if (op == NULL) {
        return SL_ENOMEM;
    }
    op->src = src;
    op->attr = attr;
    return SL_OK;
}

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* openat2's `struct open_how` and resolve flags (Linux 5.6), declared here so that older
 * kernel headers still build. */
typedef struct sl__open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
} sl__open_how;

#define SL__RESOLVE_NO_MAGICLINKS 0x02
#define SL__RESOLVE_NO_SYMLINKS 0x04

/* Opens `path` with O_PATH without following a symlink anywhere in it (openat2 with
 * RESOLVE_NO_SYMLINKS). A kernel without openat2 gets O_NOFOLLOW, which guards the last
 * component only. Async-signal-safe (system calls only). Returns the fd, or -1 and errno. */
static int sl__open_nofollow(const char *path)
{
    sl__open_how how;
    long fd;

    how.flags = O_PATH | O_CLOEXEC;
    how.mode = 0;
    how.resolve = SL__RESOLVE_NO_SYMLINKS | SL__RESOLVE_NO_MAGICLINKS;
    fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
    if (fd >= 0 || errno != ENOSYS) {
        return (int)fd;
    }
    return open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
}

/* Plans a bind of a caller path through an fd. The parent opens the path (O_PATH) to check
 * it and to reserve the fd number. init reopens it onto the same number at its start,
 * because a mount of the parent's namespace cannot be a bind source in the new one. From
 * then on the bind goes through the fd, so later changes to the path (a symlink swapped in
 * by the payload of an earlier run, say) cannot change what the sandbox gets.
 * SECURITY: blocks symlink races between resolving a caller path and binding it. */
static int sl__plan_bind_host(sl__plan *plan, const char *host, const char *sandbox_path,
                              unsigned attr, sl_error *err)
{
    char canonical[PATH_MAX];
    struct stat st;
    const char *src;
    int fd;

    if (plan->source_fd_count >= SL__MAX_FDS) {
        return sl__error(err, SL_ESANDBOX_POLICY, "sandbox policy binds more than %d paths; "
                         "bind a common parent folder instead", SL__MAX_FDS);
    }
    /* SECURITY: the path is resolved once, here. Every later open of it (by init, in its
     * own mount namespace) refuses symlinks and must find the same inode, so a symlink or
     * folder swapped in between cannot redirect the bind. */
    if (realpath(host, canonical) == NULL) {
        int saved = errno;

        return sl__error_sys(err, SL_ESANDBOX_POLICY, "realpath bind source", saved,
                             "cannot resolve \"%s\" to bind it at %s: %s; check that the path "
                             "exists and is readable", host, sandbox_path, strerror(saved));
    }
    fd = sl__open_nofollow(canonical);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int saved = errno;

        if (fd >= 0) {
            close(fd);
        }
        return sl__error_sys(err, SL_ESANDBOX_POLICY, "open bind source", saved,
                             "cannot open \"%s\" to bind it at %s: %s; check that the path "
                             "exists, is readable and is not being replaced", canonical,
                             sandbox_path, strerror(saved));
    }
    plan->source_paths[plan->source_fd_count] = sl__arena_strndup(&plan->arena, canonical,
                                                                  strlen(canonical));
    plan->source_devs[plan->source_fd_count] = st.st_dev;
    plan->source_inos[plan->source_fd_count] = st.st_ino;
    plan->source_fds[plan->source_fd_count++] = fd;
    src = sl__plan_strf(plan, "/proc/self/fd/%d", fd);
    if (src == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    return sl__plan_bind(plan, src, sandbox_path, S_ISDIR(st.st_mode), attr);
}

/* Returns 1 when `path` is inside one of the system folders bound at every level 2 run. */
static int sl__path_is_system(const char *path)
{
    static const char *const roots[] = {"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/"};
    size_t i;

    for (i = 0; i < SL__ARRAY_LEN(roots); i++) {
        if (strncmp(path, roots[i], strlen(roots[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when `path` is an executable regular file that does not start with "#!". */
static int sl__is_binary(const char *path, int *is_script)
{
    struct stat st;
    char head[2];
    int fd;
    ssize_t n;

    *is_script = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        return 0;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    n = read(fd, head, sizeof(head));
    close(fd);
    *is_script = n == 2 && head[0] == '#' && head[1] == '!';
    return !*is_script;
}

/* Finds `name` the way the sandbox runs it and stores its resolved real path in `out`.
 *
 * A name with a slash is used as given. Otherwise every folder of the host's PATH is
 * tried in order, and a candidate that is a `#!` script is skipped in favour of a later
 * binary: version-manager shims (pyenv, nodenv, asdf) are shell scripts that need the
 * manager's own files and environment, which the sandbox does not have. When only scripts
 * exist, the first one is used. The result has every symlink resolved, so that its folder
 * can be bound and the path is the same inside the sandbox. */
static int sl__resolve_program(const char *name, char *out, size_t size, sl_error *err)
{
    const char *path = getenv("PATH");
    char candidate[PATH_MAX];
    char first_script[PATH_MAX];
    const char *p;
    int is_script;

    first_script[0] = '\0';
    if (strchr(name, '/') != NULL) {
        if (realpath(name, candidate) == NULL) {
            return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", errno,
                                 "program \"%s\" not found: %s", name, strerror(errno));
        }
        goto found;
    }
    if (path == NULL || path[0] == '\0') {
        path = SL__SANDBOX_PATH;
    }
    for (p = path; *p != '\0';) {
        const char *end = strchr(p, ':');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

        if (n > 0 && n + 1 + strlen(name) < sizeof(candidate)) {
            memcpy(candidate, p, n);
            candidate[n] = '/';
            strcpy(candidate + n + 1, name);
            if (sl__is_binary(candidate, &is_script)) {
                goto found;
            }
            if (is_script && first_script[0] == '\0') {
                strcpy(first_script, candidate);
            }
        }
        p += n;
        if (*p == ':') {
            p++;
        }
    }
    if (first_script[0] == '\0') {
        return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", ENOENT,
                             "program \"%s\" not found in PATH; install it or pass an "
                             "absolute path", name);
    }
    strcpy(candidate, first_script);
found:
    if (realpath(candidate, out) == NULL || strlen(out) + 1 > size) {
        return sl__error_sys(err, SL_ESANDBOX_EXEC, "resolve program", errno,
                             "cannot resolve \"%s\": %s", candidate, strerror(errno));
    }
    return SL_OK;
}

/* The folder to bind for a program outside the system folders: the install prefix for
 * ".../bin/prog" (python's lib folder and node's modules sit beside bin), else the
 * program's own folder. */
static const char *sl__program_prefix(sl__plan *plan, const char *exe)
{
    const char *slash = strrchr(exe, '/');
    size_t dir_len = (size_t)(slash - exe);
    const char *dir_slash;

    if (dir_len == 0) {
        return NULL;
    }
    dir_slash = exe + dir_len;
    while (dir_slash > exe && dir_slash[-1] != '/') {
        dir_slash--;
    }
    if (dir_slash > exe + 1 && (size_t)(exe + dir_len - dir_slash) == 3 &&
        strncmp(dir_slash, "bin", 3) == 0) {
        return sl__arena_strndup(&plan->arena, exe, (size_t)(dir_slash - 1 - exe));
    }
    return sl__arena_strndup(&plan->arena, exe, dir_len);
}

/* Builds argv (copied) with argv[0] kept as the caller wrote it. */
static int sl__plan_argv(sl__plan *plan, const char *const *argv)
{
    size_t n = 0;
    size_t i;

    while (argv[n] != NULL) {
        n++;
    }
    plan->argv = (char **)sl__arena_alloc(&plan->arena, (n + 1) * sizeof(char *));
    if (plan->argv == NULL) {
        return SL_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        plan->argv[i] = sl__arena_strndup(&plan->arena, argv[i], strlen(argv[i]));
        if (plan->argv[i] == NULL) {
            return SL_ENOMEM;
        }
    }
    plan->argv[n] = NULL;
    return SL_OK;
}

/* Sets NAME=value in the environment array, replacing an earlier entry of the same name. */
static int sl__env_put(sl__plan *plan, size_t *count, size_t cap, const char *entry)
{
    const char *eq = strchr(entry, '=');
    size_t name_len;
    size_t i;

    if (eq == NULL || eq == entry) {
        return SL_EINVAL;
    }
    name_len = (size_t)(eq - entry) + 1;
    for (i = 0; i < *count; i++) {
        if (strncmp(plan->envp[i], entry, name_len) == 0) {
            break;
        }
    }
    if (i == *count) {
        if (*count + 1 >= cap) {
            return SL_ELIMIT;
        }
        (*count)++;
    }
    plan->envp[i] = sl__arena_strndup(&plan->arena, entry, strlen(entry));
    return plan->envp[i] != NULL ? SL_OK : SL_ENOMEM;
}

/* SECURITY: the environment starts empty, so host secrets (API keys, tokens, SSH agent
 * sockets) reach the payload only when the policy names them. */
static int sl__plan_env(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    size_t cap = 10;
    size_t count = 0;
    size_t i;
    const char *path;
    const char *dirs[2] = { NULL, NULL };
    int rc = SL_OK;

    for (i = 0; pol->env_pass != NULL && pol->env_pass[i] != NULL; i++) {
        cap++;
    }
    for (i = 0; pol->env_set != NULL && pol->env_set[i] != NULL; i++) {
        cap++;
    }
    plan->envp = (char **)sl__arena_calloc(&plan->arena, cap * sizeof(char *));
    path = plan->exe_prefix != NULL
               ? sl__plan_strf(plan, "PATH=%s/bin:%s", plan->exe_prefix, SL__SANDBOX_PATH)
               : "PATH=" SL__SANDBOX_PATH;
    if (plan->envp == NULL || path == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while building the environment");
    }
    rc |= sl__env_put(plan, &count, cap, path);
    rc |= sl__env_put(plan, &count, cap, "HOME=/tmp");
    rc |= sl__env_put(plan, &count, cap, "TMPDIR=/tmp");
    rc |= sl__env_put(plan, &count, cap, "LANG=C.UTF-8");

    /* Where the skill's files and its output folder are, at every level, so a script never
     * has to guess whether it runs at level 1 (host paths) or level 2 (/skill, /output). */
    if (pol->work_dir != NULL) {
        dirs[0] = sl__plan_strf(plan, "SKILLLITE_SKILL_DIR=%s",
                                plan->level >= 2 ? "/skill" : pol->work_dir);
        rc |= dirs[0] != NULL ? sl__env_put(plan, &count, cap, dirs[0]) : SL_ENOMEM;
    }
    if (pol->output_dir != NULL) {
        dirs[1] = sl__plan_strf(plan, "SKILLLITE_OUTPUT_DIR=%s",
                                plan->level >= 2 ? "/output" : pol->output_dir);
        rc |= dirs[1] != NULL ? sl__env_put(plan, &count, cap, dirs[1]) : SL_ENOMEM;
    }
    for (i = 0; rc == SL_OK && pol->env_pass != NULL && pol->env_pass[i] != NULL; i++) {
        const char *value = getenv(pol->env_pass[i]);
        const char *entry;

        if (value == NULL || strchr(pol->env_pass[i], '=') != NULL) {
            continue;
        }
        entry = sl__plan_strf(plan, "%s=%s", pol->env_pass[i], value);
        rc = entry != NULL ? sl__env_put(plan, &count, cap, entry) : SL_ENOMEM;
    }
    for (i = 0; rc == SL_OK && pol->env_set != NULL && pol->env_set[i] != NULL; i++) {
        rc = sl__env_put(plan, &count, cap, pol->env_set[i]);
        if (rc == SL_EINVAL) {
            return sl__error(err, SL_EINVAL, "policy env_set[%zu] \"%.60s\" is not "
                             "NAME=value; write it as NAME=value", i, pol->env_set[i]);
        }
    }
    if (rc != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while building the environment");
    }
    return SL_OK;
}

/* Picks the payload's identity. Inside the user namespace the payload sees the same uid
 * and gid numbers as on the host, so file owners read the same in both places.
 * SECURITY: the payload is never host uid 0. A root caller gets nobody (65534) by default;
 * DAC checks on host files then see an unprivileged owner, which is what blocks writes
 * through /proc/sys and other root-owned files the mounts expose. */
static int sl__plan_ids(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    uid_t self_uid = geteuid();
    gid_t self_gid = getegid();

    plan->caller_root = self_uid == 0;
    if (plan->caller_root) {
        plan->uid = pol->uid >= 0 ? (uid_t)pol->uid : SL__NOBODY;
        plan->gid = pol->gid >= 0 ? (gid_t)pol->gid : SL__NOBODY;
    } else {
        plan->uid = pol->uid >= 0 ? (uid_t)pol->uid : self_uid;
        plan->gid = pol->gid >= 0 ? (gid_t)pol->gid : self_gid;
        if (plan->uid != self_uid || plan->gid != self_gid) {
            return sl__error(err, SL_ESANDBOX_POLICY, "policy uid %lld / gid %lld differ from "
                             "the caller's %u / %u; without root the sandbox can only run as "
                             "the caller, so leave uid and gid at -1",
                             (long long)pol->uid, (long long)pol->gid, (unsigned)self_uid,
                             (unsigned)self_gid);
        }
    }
    if (plan->uid == 0 || plan->gid == 0 || pol->uid > 0xfffffffeLL || pol->gid > 0xfffffffeLL) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy uid/gid %lld/%lld is invalid: the "
                         "payload must never run as host uid or gid 0; pick an unprivileged "
                         "id or leave them at -1", (long long)pol->uid, (long long)pol->gid);
    }
    plan->uid_map = sl__plan_strf(plan, "%u %u 1\n", (unsigned)plan->uid, (unsigned)plan->uid);
    plan->gid_map = sl__plan_strf(plan, "%u %u 1\n", (unsigned)plan->gid, (unsigned)plan->gid);
    if (plan->uid_map == NULL || plan->gid_map == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    return SL_OK;
}

/* Adds one rlimit, never above the caller's own hard limit (raising it needs privilege). */
static void sl__plan_limit(sl__plan *plan, int resource, uint64_t value)
{
    struct rlimit cur;
    rlim_t v = value >= (uint64_t)RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)value;
    sl__limit *l;

    if (plan->limit_count >= SL__MAX_LIMITS) {
        return;
    }
    if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && v > cur.rlim_max) {
        v = cur.rlim_max;
    }
    l = &plan->limits[plan->limit_count++];
    l->resource = resource;
    l->value.rlim_cur = v;
    l->value.rlim_max = v;
}

/* SECURITY: blocks resource exhaustion of the host. Every run gets caps on CPU time, file
 * size, open files and core dumps, and on memory and process count when no cgroup has them. */
static void sl__plan_limits(sl__plan *plan)
{
    const sl_sandbox_policy *pol = plan->policy;

    sl__plan_limit(plan, RLIMIT_CPU, pol->cpu_seconds);
    if (plan->limit_count > 0 && plan->limits[0].value.rlim_max != RLIM_INFINITY) {
        /* SIGXCPU at the soft limit; SIGKILL one second later if the payload catches it. */
        plan->limits[0].value.rlim_max = plan->limits[0].value.rlim_cur + 1;
    }
    /* At level 1 no single file may pass the output quota either; the total is checked by
     * the parent. Level 2 needs no such cap: its /output tmpfs fails writes past the quota
     * with ENOSPC, which the payload can handle, where SIGXFSZ would kill it. */
    sl__plan_limit(plan, RLIMIT_FSIZE,
                   plan->level < 2 && pol->output_dir != NULL &&
                           pol->output_quota_bytes < pol->max_file_bytes
                       ? pol->output_quota_bytes
                       : pol->max_file_bytes);
    sl__plan_limit(plan, RLIMIT_NOFILE, pol->max_open_files);
    sl__plan_limit(plan, RLIMIT_CORE, 0);
    plan->cgroup_limit_count = plan->limit_count;
    if (!plan->have_cgroup) {
        sl__plan_limit(plan, RLIMIT_DATA, pol->memory_bytes);
        sl__plan_limit(plan, RLIMIT_NPROC, pol->max_processes);
    }
}

/* Binds a system folder (or recreates it as the same symlink) when the host has it. */
static int sl__plan_system_dir(sl__plan *plan, const char *path)
{
    struct stat st;
    char target[PATH_MAX];
    ssize_t n;
    sl__mount_op *op;

    if (lstat(path, &st) != 0) {
        return SL_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0) {
            return SL_OK;
        }
        target[n] = '\0';
        op = sl__plan_op(plan, SL__OP_SYMLINK, path);
        if (op == NULL || (op->src = sl__arena_strndup(&plan->arena, target, (size_t)n)) == NULL) {
            return SL_ENOMEM;
        }
        return SL_OK;
    }
    if (!S_ISDIR(st.st_mode)) {
        return SL_OK;
    }
    return sl__plan_bind(plan, path, path, 1,
                         SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NODEV);
}

static int sl__plan_write(sl__plan *plan, const char *path, const char *content)
{
    sl__mount_op *op = sl__plan_op(plan, SL__OP_WRITE, path);

    if (op == NULL || content == NULL) {
        return SL_ENOMEM;
    }
    op->src = content;
    op->len = strlen(content);
    return SL_OK;
}

/* A minimal /etc: the sandbox user and nobody, localhost, and no DNS.
 * SECURITY: the host's /etc (shadow, ssh keys, machine-id, credentials) stays invisible. */
static int sl__plan_etc(sl__plan *plan)
{
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    const char *passwd;
    const char *group;
    struct stat st;
    int rc = sl__plan_mkdirs(plan, "/etc");

    if (plan->uid == SL__NOBODY) {
        passwd = "nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n";
    } else {
        passwd = sl__plan_strf(plan, "sandbox:x:%u:%u:sandbox:/tmp:/bin/sh\n"
                               "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                               (unsigned)plan->uid, (unsigned)plan->gid);
    }
    if (plan->gid == SL__NOBODY) {
        group = "nogroup:x:65534:\n";
    } else {
        group = sl__plan_strf(plan, "sandbox:x:%u:\nnogroup:x:65534:\n", (unsigned)plan->gid);
    }
    rc |= sl__plan_write(plan, "/etc/passwd", passwd);
    rc |= sl__plan_write(plan, "/etc/group", group);
    rc |= sl__plan_write(plan, "/etc/hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n");
    rc |= sl__plan_write(plan, "/etc/hostname", "sandbox\n");
    if (plan->policy->network) {
        rc |= sl__plan_write(plan, "/etc/nsswitch.conf",
                             "passwd: files\ngroup: files\nhosts: files dns\n");
        if (stat("/etc/resolv.conf", &st) == 0 && S_ISREG(st.st_mode)) {
            rc |= sl__plan_bind(plan, "/etc/resolv.conf", "/etc/resolv.conf", 0, ro);
        }
        if (stat("/etc/ssl", &st) == 0 && S_ISDIR(st.st_mode)) {
            rc |= sl__plan_bind(plan, "/etc/ssl", "/etc/ssl", 1, ro);
        }
    } else {
        /* Names resolve from /etc/hosts only, so a lookup fails at once instead of waiting
           for a DNS server that the empty network namespace cannot reach. Resolvers that
           skip nsswitch (c-ares in node's dns.resolve, static Go programs) read resolv.conf:
           its one server is the namespace's own loopback, where nothing listens, so their
           queries fail with ECONNREFUSED and never leave the namespace. */
        rc |= sl__plan_write(plan, "/etc/nsswitch.conf",
                             "passwd: files\ngroup: files\nhosts: files\n");
        rc |= sl__plan_write(plan, "/etc/resolv.conf",
                             "# no DNS inside the sandbox: nothing listens on this loopback\n"
                             "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }
    /* The loader cache speeds up every exec; Debian's /usr/bin links go through
       /etc/alternatives. Both are read-only and hold no secrets. */
    if (stat("/etc/ld.so.cache", &st) == 0 && S_ISREG(st.st_mode)) {
        rc |= sl__plan_bind(plan, "/etc/ld.so.cache", "/etc/ld.so.cache", 0, ro);
    }
    if (stat("/etc/alternatives", &st) == 0 && S_ISDIR(st.st_mode)) {
        rc |= sl__plan_bind(plan, "/etc/alternatives", "/etc/alternatives", 1, ro);
    }
    return rc == SL_OK ? SL_OK : SL_ENOMEM;
}

/* A minimal /dev: a few character devices bound from the host, the usual links, and a
 * private /dev/shm. SECURITY: no disks, no ttys, no /dev/mem; the payload sees nothing
 * it could use to reach hardware or another terminal. */
static int sl__plan_dev(sl__plan *plan)
{
    static const char *const nodes[] = {"null", "zero", "full", "random", "urandom"};
    static const char *const links[][2] = {
        {"/dev/fd", "/proc/self/fd"}, {"/dev/stdin", "/proc/self/fd/0"},
        {"/dev/stdout", "/proc/self/fd/1"}, {"/dev/stderr", "/proc/self/fd/2"}};
    char host[32];
    sl__mount_op *op;
    size_t i;
    int rc = sl__plan_mkdirs(plan, "/dev");

    op = sl__plan_op(plan, SL__OP_TMPFS, "/dev");
    if (rc != SL_OK || op == NULL) {
        return SL_ENOMEM;
    }
    op->data = "mode=0755,size=64k,nr_inodes=64";
    op->flags = MS_NOSUID | MS_NOEXEC;
    for (i = 0; i < SL__ARRAY_LEN(nodes); i++) {
        snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
        rc = sl__plan_bind(plan, sl__arena_strndup(&plan->arena, host, strlen(host)),
                           sl__arena_strndup(&plan->arena, host, strlen(host)), 0,
                           SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NOEXEC);
        if (rc != SL_OK) {
            return rc;
        }
    }
    for (i = 0; i < SL__ARRAY_LEN(links); i++) {
        op = sl__plan_op(plan, SL__OP_SYMLINK, links[i][0]);
        if (op == NULL) {
            return SL_ENOMEM;
        }
        op->src = links[i][1];
    }
    if (sl__plan_mkdirs(plan, "/dev/shm") != SL_OK) {
        return SL_ENOMEM;
    }
    op = sl__plan_op(plan, SL__OP_TMPFS, "/dev/shm");
    if (op == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=1777,size=%llu",
                             (unsigned long long)plan->policy->tmpfs_bytes);
    op->flags = MS_NOSUID | MS_NODEV;
    op = sl__plan_op(plan, SL__OP_REMOUNT_RO, "/dev");
    return op != NULL && plan->ops[plan->op_count - 2].data != NULL ? SL_OK : SL_ENOMEM;
}

/* /proc for the new PID namespace and a size-capped private /tmp.
 * SECURITY: a fresh /proc shows only the sandbox's processes; subset=pid hides /proc/sys,
 * /proc/kcore and the other system-wide files. A private /tmp blocks leaving files for
 * later runs or host tools. */
static int sl__plan_proc_tmp(sl__plan *plan)
{
    sl__mount_op *op;

    if (sl__plan_mkdirs(plan, "/proc") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_PROC, "/proc")) == NULL) {
        return SL_ENOMEM;
    }
    op->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (sl__plan_mkdirs(plan, "/tmp") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_TMPFS, "/tmp")) == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=1777,size=%llu",
                             (unsigned long long)plan->policy->tmpfs_bytes);
    op->flags = MS_NOSUID | MS_NODEV;
    return op->data != NULL ? SL_OK : SL_ENOMEM;
}

/* /output: a private tmpfs of the output quota's size, which the parent copies into
 * output_dir after the run (src/sandbox_output.c).
 * SECURITY: the payload never writes to the host folder, so the host disk never receives
 * more than the quota, and the payload cannot read or delete what the folder held. */
static int sl__plan_output(sl__plan *plan)
{
    sl__mount_op *op;

    if (sl__plan_mkdirs(plan, "/output") != SL_OK ||
        (op = sl__plan_op(plan, SL__OP_TMPFS, "/output")) == NULL) {
        return SL_ENOMEM;
    }
    op->data = sl__plan_strf(plan, "mode=0755,size=%llu,nr_inodes=%u",
                             (unsigned long long)sl__output_tmpfs_bytes(
                                 plan->policy->output_quota_bytes),
                             SL__OUTPUT_MAX_INODES);
    op->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    return op->data != NULL ? SL_OK : SL_ENOMEM;
}

/* Caller paths: the program's prefix, work_dir at /skill, the output tmpfs at /output,
 * extras. */
static int sl__plan_caller_paths(sl__plan *plan, sl_error *err)
{
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    static const unsigned rw = SL__MOUNT_ATTR_NOSUID | SL__MOUNT_ATTR_NODEV;
    const sl_sandbox_policy *pol = plan->policy;
    size_t i;
    int rc = SL_OK;

    if (plan->exe_prefix != NULL) {
        rc = sl__plan_bind_host(plan, plan->exe_prefix, plan->exe_prefix, ro, err);
    }
    if (rc == SL_OK && pol->work_dir != NULL) {
        rc = sl__plan_bind_host(plan, pol->work_dir, "/skill", ro, err);
    }
    if (rc == SL_OK && pol->output_dir != NULL && sl__plan_output(plan) != SL_OK) {
        rc = sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox mounts");
    }
    for (i = 0; rc == SL_OK && pol->read_only_paths != NULL && pol->read_only_paths[i]; i++) {
        rc = sl__plan_bind_host(plan, pol->read_only_paths[i], pol->read_only_paths[i], ro,
                                err);
    }
    for (i = 0; rc == SL_OK && pol->read_write_paths != NULL && pol->read_write_paths[i];
         i++) {
        rc = sl__plan_bind_host(plan, pol->read_write_paths[i], pol->read_write_paths[i], rw,
                                err);
    }
    return rc;
}

/* The whole mount tree of a level 2 run, in the order init builds it. */
static int sl__plan_mounts(sl__plan *plan, sl_error *err)
{
    static const char *const system_dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32",
                                              "/lib64", "/libx32"};
    size_t i;
    int rc = SL_OK;

    for (i = 0; rc == SL_OK && i < SL__ARRAY_LEN(system_dirs); i++) {
        rc = sl__plan_system_dir(plan, system_dirs[i]);
    }
    if (rc == SL_OK) {
        rc = sl__plan_etc(plan);
    }
    if (rc == SL_OK) {
        rc = sl__plan_dev(plan);
    }
    if (rc == SL_OK) {
        rc = sl__plan_proc_tmp(plan);
    }
    if (rc != SL_OK) {
        return sl__error(err, rc, "out of memory while planning the sandbox mounts");
    }
    return sl__plan_caller_paths(plan, err);
}

/* ------------------------------------------------------------ child: helpers --- */

static void sl__child_fail(int fd, int stage, int err, int index)
{
    sl__child_msg msg;
    ssize_t w;

    msg.stage = stage;
    msg.err = err;
    msg.index = index;
    msg.unused = 0;
    do {
        w = write(fd, &msg, sizeof(msg));
    } while (w < 0 && errno == EINTR);
    _exit(127);
}

static int sl__write_all(int fd, const void *data, size_t len)
{
    const char *p = (const char *)data;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Restores default dispositions, because a host's handlers must never run in the child
 * and ignored signals (SIGPIPE, often) would stay ignored across execve. */
static void sl__child_reset_signals(void)
{
    struct sigaction sa;
    int sig;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            sigaction(sig, &sa, NULL);
        }
    }
}

static void sl__child_unblock_signals(void)
{
    sigset_t none;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Moves the pipe ends onto 0, 1 and 2. The parent made sure they are all above 2. */
static int sl__child_stdio(const sl__plan *plan)
{
    if (dup2(plan->stdin_r, 0) < 0 || dup2(plan->stdout_w, 1) < 0 ||
        dup2(plan->stderr_w, 2) < 0) {
        return -errno;
    }
    return 0;
}

/* Closes every fd from `low` up, except `keep`.
 * SECURITY: no host fd (sockets, files, the host's own pipes) survives into the payload. */
static int sl__child_close_from(int low, int keep)
{
    long r;
    int fd;

    if (keep >= low) {
        if (keep > low && syscall(SYS_close_range, (unsigned)low, (unsigned)keep - 1, 0u) != 0) {
            goto fallback;
        }
        low = keep + 1;
    }
    r = syscall(SYS_close_range, (unsigned)low, ~0u, 0u);
    if (r == 0) {
        return 0;
    }
fallback:
    for (fd = low; fd < 65536; fd++) {
        if (fd != keep) {
            close(fd);
        }
    }
    return 0;
}

/* Closes every fd from 3 up, except `a` and `b` (both above 2). */
static void sl__child_close_except(int a, int b)
{
    int lo = a < b ? a : b;
    int hi = a < b ? b : a;

    if (lo > 3) {
        syscall(SYS_close_range, 3u, (unsigned)lo - 1, 0u);
    }
    if (hi > lo + 1) {
        syscall(SYS_close_range, (unsigned)lo + 1, (unsigned)hi - 1, 0u);
    }
    sl__child_close_from(hi + 1, -1);
}

static int sl__child_rlimits(const sl__plan *plan)
{
    int i;

    for (i = 0; i < plan->limit_count; i++) {
        if (setrlimit(plan->limits[i].resource, &plan->limits[i].value) != 0) {
            return -errno;
        }
    }
    return 0;
}

/* Switches to the payload's uid and gid with raw system calls.
 * SECURITY: drops the supplementary groups of a root caller (group 0 and friends), then
 * the gid, then the uid, so nothing of the host's root identity reaches the payload. */
static void sl__child_set_ids(const sl__plan *plan, int fd)
{
    if (plan->caller_root && syscall(SYS_setgroups, 0, NULL) != 0) {
        sl__child_fail(fd, SL__ST_SETGROUPS, errno, -1);
    }
    if (syscall(SYS_setresgid, plan->gid, plan->gid, plan->gid) != 0) {
        sl__child_fail(fd, SL__ST_SETGID, errno, -1);
    }
    if (syscall(SYS_setresuid, plan->uid, plan->uid, plan->uid) != 0) {
        sl__child_fail(fd, SL__ST_SETUID, errno, -1);
    }
}

/* SECURITY: empties the bounding, ambient, effective, permitted and inheritable sets, so
 * no process of the run holds a capability, even over its own namespaces. */
static int sl__child_drop_caps(void)
{
    sl__cap_header header;
    sl__cap_data data[2];
    int cap;

    for (cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
            return -errno;
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        return -errno;
    }
    header.version = SL__CAP_VERSION_3;
    header.pid = 0;
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capset, &header, data) != 0) {
        return -errno;
    }
    return 0;
}

/* ------------------------------------------------------------- child: mounts --- */

/* Reopens every caller path in init's mount namespace onto the fd number the parent
 * reserved for it. Runs before the ids change, with the caller's own access rights. */
static void sl__child_open_sources(const sl__plan *plan, int fd)
{
    int i;

    for (i = 0; i < plan->source_fd_count; i++) {
        int opened = sl__open_nofollow(plan->source_paths[i]);
        struct stat st;

        if (opened < 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        if (fstat(opened, &st) != 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        /* SECURITY: a different inode means the path was replaced after the parent's
         * check; bind nothing rather than what took its place. */
        if (st.st_dev != plan->source_devs[i] || st.st_ino != plan->source_inos[i]) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, ESTALE, -1 - i);
        }
        if (dup3(opened, plan->source_fds[i], O_CLOEXEC) < 0) {
            sl__child_fail(fd, SL__ST_OPEN_SOURCE, errno, -1 - i);
        }
        close(opened);
    }
}

/* Adds `attr` to the mount tree at `path`. mount_setattr (Linux 5.12+) covers submounts
 * too. Older kernels get a remount of the top mount, which repeats the flags the kernel
 * locked on it because a user namespace may not clear them. */
static int sl__child_restrict(const char *path, unsigned attr)
{
    sl__mount_attr ma;
    struct statfs sf;
    unsigned long flags = MS_REMOUNT | MS_BIND;

    memset(&ma, 0, sizeof(ma));
    ma.attr_set = attr;
    if (syscall(SYS_mount_setattr, AT_FDCWD, path, (unsigned)AT_RECURSIVE, &ma, sizeof(ma)) ==
        0) {
        return 0;
    }
    if (errno != ENOSYS) {
        return -errno;
    }
    if (statfs(path, &sf) != 0) {
        return -errno;
    }
    flags |= (unsigned long)sf.f_flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
                                          MS_NOATIME | MS_NODIRATIME);
    if (sf.f_flags & SL__ST_RELATIME) {
        flags |= MS_RELATIME;
    }
    flags |= (attr & SL__MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) |
             (attr & SL__MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
             (attr & SL__MOUNT_ATTR_NODEV ? MS_NODEV : 0) |
             (attr & SL__MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0);
    return mount(NULL, path, NULL, flags, NULL) == 0 ? 0 : -errno;
}

/* Mounts /proc; hidepid=invisible,subset=pid needs Linux 5.8. On older kernels a plain
 * proc is mounted and its system-wide writable parts are made read-only. */
static int sl__child_proc(const sl__mount_op *op)
{
    static const char *const masked[] = {"/sys", "/sysrq-trigger", "/irq", "/bus"};
    char path[PATH_MAX];
    size_t base = strlen(op->path);
    size_t i;

    if (mount("proc", op->path, "proc", op->flags, "hidepid=invisible,subset=pid") == 0) {
        return 0;
    }
    if (mount("proc", op->path, "proc", op->flags, NULL) != 0) {
        return -errno;
    }
    for (i = 0; i < SL__ARRAY_LEN(masked); i++) {
        size_t n = strlen(masked[i]);

        if (base + n + 1 > sizeof(path)) {
            return -ENAMETOOLONG;
        }
        memcpy(path, op->path, base);
        memcpy(path + base, masked[i], n + 1);
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) {
            if (errno == ENOENT) {
                continue;
            }
            return -errno;
        }
        if (sl__child_restrict(path, SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                                         SL__MOUNT_ATTR_NODEV | SL__MOUNT_ATTR_NOEXEC) != 0) {
            return -errno;
        }
    }
    return 0;
}

static int sl__child_write_file(const sl__mount_op *op)
{
    int fd = open(op->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    int rc;

    if (fd < 0) {
        return -errno;
    }
    rc = sl__write_all(fd, op->src, op->len) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

/* Runs one mount step. Returns 0 or -errno, and the stage in `*stage`. */
static int sl__child_op(const sl__mount_op *op, int *stage)
{
    int fd;

    switch (op->kind) {
    case SL__OP_MKDIR:
        *stage = SL__ST_MKDIR;
        return mkdir(op->path, 0755) == 0 || errno == EEXIST ? 0 : -errno;
    case SL__OP_TOUCH:
        *stage = SL__ST_TOUCH;
        fd = open(op->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            return -errno;
        }
        close(fd);
        return 0;
    case SL__OP_BIND:
        *stage = SL__ST_BIND;
        if (mount(op->src, op->path, NULL, MS_BIND | MS_REC, NULL) != 0) {
            return -errno;
        }
        *stage = SL__ST_BIND_FLAGS;
        {
            uint64_t t0 = SL__PROF_NOW();
            int r = sl__child_restrict(op->path, op->attr);

            SL__PROF_ADD(SL__PF_BIND_ATTR, t0);
            return r;
        }
    case SL__OP_SYMLINK:
        *stage = SL__ST_SYMLINK;
        return symlink(op->src, op->path) == 0 || errno == EEXIST ? 0 : -errno;
    case SL__OP_TMPFS:
        *stage = SL__ST_TMPFS;
        return mount("tmpfs", op->path, "tmpfs", op->flags, op->data) == 0 ? 0 : -errno;
    case SL__OP_PROC:
        *stage = SL__ST_PROC;
        return sl__child_proc(op);
    case SL__OP_WRITE:
        *stage = SL__ST_WRITE_FILE;
        return sl__child_write_file(op);
    case SL__OP_REMOUNT_RO:
        *stage = SL__ST_REMOUNT_RO;
        return mount(NULL, op->path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID,
                     NULL) == 0 ? 0 : -errno;
    default:
        *stage = SL__ST_MKDIR;
        return -EINVAL;
    }
}

/* SECURITY: a payload that gets a nested user namespace regains every capability over
 * it, the first step of most unprivileged kernel exploits. seccomp denies the syscalls too,
 * and this limit still applies when seccomp is waived. The ucount table is chosen by the writer's
 * user namespace, so the host's /proc (still mounted here) reaches the sandbox's own. */
static int sl__child_limit_userns(void)
{
    int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        return -errno;
    }
    rc = write(fd, "0\n", 2) == 2 ? 0 : -errno;
    close(fd);
    return rc;
}

/* Builds the new root on a tmpfs, then pivots into it.
 * SECURITY: the payload's whole file system view is this tree: read-only system folders,
 * a synthetic /etc, minimal /dev, fresh /proc, private /tmp, and the caller's binds. The
 * host root is detached, so no path leads back to it. */
static void sl__child_mounts(const sl__plan *plan, int fd)
{
    size_t i;
    int stage = 0;
    int rc;

    /* SECURITY: no mount event propagates back to the host, or in from it. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        sl__child_fail(fd, SL__ST_MAKE_PRIVATE, errno, -1);
    }
    SL__PROF(SL__PF_I_PRIVATE);
    if (mount("tmpfs", SL__STAGE_ROOT, "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=0755,size=1m,nr_inodes=4096") != 0) {
        sl__child_fail(fd, SL__ST_ROOT_TMPFS, errno, -1);
    }
    SL__PROF(SL__PF_I_ROOT);
    for (i = 0; i < plan->op_count; i++) {
        uint64_t t0 = SL__PROF_NOW();

        rc = sl__child_op(&plan->ops[i], &stage);
        if (rc != 0) {
            sl__child_fail(fd, stage, -rc, (int)i);
        }
        SL__PROF_ADD(SL__PF_OP_BASE + plan->ops[i].kind, t0);
        SL__PROF_COUNT(SL__PF_OP_COUNT_BASE + plan->ops[i].kind);
    }
    SL__PROF(SL__PF_I_OPS);
    rc = sl__child_limit_userns();
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_USERNS_LIMIT, -rc, -1);
    }
    SL__PROF(SL__PF_I_USERNS);
    /* pivot_root(".", ".") stacks the old root on the new one; detaching "." removes it. */
    if (chdir(SL__STAGE_ROOT) != 0 || syscall(SYS_pivot_root, ".", ".") != 0) {
        sl__child_fail(fd, SL__ST_PIVOT, errno, -1);
    }
    SL__PROF(SL__PF_I_PIVOT);
    if (umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) {
        sl__child_fail(fd, SL__ST_DETACH_OLD, errno, -1);
    }
    SL__PROF(SL__PF_I_DETACH);
    /* SECURITY: the root itself is read-only; /tmp, /dev/shm and /output are the only
     * writable places. */
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) !=
        0) {
        sl__child_fail(fd, SL__ST_ROOT_RO, errno, -1);
    }
    SL__PROF(SL__PF_I_ROOT_RO);
}

/* Brings up "lo" in the new network namespace so 127.0.0.1 works inside. */
static int sl__child_loopback(void)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc = 0;

    if (s < 0) {
        return -errno;
    }
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        rc = -errno;
    } else {
        ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
            rc = -errno;
        }
    }
    close(s);
    return rc;
}

/* -------------------------------------------------------- child: Landlock fix-up --- */

/* Grants `rights` beneath `path` in the child, for places that exist only inside the
 * sandbox (its tmpfs /tmp, /dev, /proc and root), which the parent could not open. */
static int sl__child_landlock_allow(int ruleset_fd, const char *path, uint64_t rights)
{
    unsigned char attr[SL__LANDLOCK_PATH_BENEATH_SIZE];
    int32_t fd = open(path, O_PATH | O_CLOEXEC | O_DIRECTORY);
    long r;

    if (fd < 0) {
        return -errno;
    }
    memcpy(attr, &rights, sizeof(rights));
    memcpy(attr + sizeof(rights), &fd, sizeof(fd));
    r = syscall(__NR_landlock_add_rule, ruleset_fd, SL__LANDLOCK_RULE_PATH_BENEATH, attr, 0);
    close(fd);
    return r == 0 ? 0 : -errno;
}

static int sl__child_landlock(const sl__plan *plan)
{
    int rc;

    if (plan->landlock_fd < 0) {
        return 0;
    }
    if (plan->level >= 2) {
        rc = sl__child_landlock_allow(plan->landlock_fd, "/", plan->landlock_read_rights);
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/tmp", plan->landlock_tmp_rights);
        }
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/dev/shm",
                                          plan->landlock_tmp_rights);
        }
        if (rc == 0) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/dev", plan->landlock_dev_rights);
        }
        if (rc == 0 && plan->policy->output_dir != NULL) {
            rc = sl__child_landlock_allow(plan->landlock_fd, "/output",
                                          plan->landlock_tmp_rights);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return sl__landlock_enforce(plan->landlock_fd);
}

/* ------------------------------------------------------------- child: payload --- */

/* The last steps before execve, shared by both levels. Never returns. */
static void sl__child_exec(const sl__plan *plan)
{
    int fd = plan->setup_w;
    int rc;

    if (chdir(plan->cwd) != 0) {
        sl__child_fail(fd, SL__ST_CHDIR, errno, -1);
    }
    SL__PROF(SL__PF_X_CHDIR);
    /* SECURITY: setuid binaries and file capabilities stop working, so the payload can
     * never gain privileges by exec. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_NO_NEW_PRIVS, errno, -1);
    }
    SL__PROF(SL__PF_X_NNP);
    rc = sl__child_landlock(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_LANDLOCK, -rc, -1);
    }
    SL__PROF(SL__PF_X_LANDLOCK);
    sl__child_close_from(3, fd);
    /* The limits come after the fds are closed: with RLIMIT_NOFILE below the number of fds
     * the host has open, the O_PATH opens of the Landlock step above would fail (EMFILE). */
    rc = sl__child_rlimits(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_RLIMIT, -rc, -1);
    }
    SL__PROF(SL__PF_X_RLIMIT);
    sl__child_unblock_signals();
    SL__PROF(SL__PF_X_CLOSE);
    /* SECURITY: seccomp comes last, so its filter never has to allow the setup above. */
    if (plan->have_bpf) {
        rc = sl__seccomp_install(&plan->bpf);
        if (rc != 0) {
            sl__child_fail(fd, SL__ST_SECCOMP, -rc, -1);
        }
    }
    SL__PROF(SL__PF_X_SECCOMP);
    execve(plan->exe, plan->argv, plan->envp);
    sl__child_fail(fd, SL__ST_EXEC, errno, -1);
}

/* The payload at level 2, PID 2 of the namespace. */
static void sl__child_payload(const sl__plan *plan)
{
    SL__PROF(SL__PF_X_START);
    /* SECURITY: a new session has no controlling terminal, so TIOCSTI-style injection
     * into the host's terminal is impossible. */
    if (setsid() < 0) {
        sl__child_fail(plan->setup_w, SL__ST_SETSID, errno, -1);
    }
    SL__PROF(SL__PF_X_SETSID);
    sl__child_exec(plan);
}

/* The payload at level 1, a direct child of the host. */
static void sl__child_level1(const sl__plan *plan)
{
    int fd = plan->setup_w;
    int rc;

    sl__child_reset_signals();
    /* NOTE: the parent-death signal fires when the spawning thread exits, so a host that
     * spawns from a short-lived thread loses the run with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != plan->parent_pid) {
        _exit(127);
    }
    if (setsid() < 0) {
        sl__child_fail(fd, SL__ST_SETSID, errno, -1);
    }
    if (plan->have_cgroup && (rc = sl__cgroup_join(&plan->cgroup)) != 0) {
        sl__child_fail(fd, SL__ST_CGROUP, -rc, -1);
    }
    rc = sl__child_stdio(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_DUP, -rc, -1);
    }
    if (plan->caller_root) {
        sl__child_set_ids(plan, fd);
    }
    sl__child_exec(plan);
}

/* ------------------------------------------------------- child: pool payload --- */

/* The request a pool entry's payload waits for: this header (with the Landlock ruleset fd
 * attached as SCM_RIGHTS when the run has one), then `blob_len` bytes holding the program
 * path, the argv strings and the envp strings, each NUL-terminated. */
typedef struct sl__pool_request {
    uint32_t magic;
    uint32_t argc;
    uint32_t envc;
    uint32_t blob_len;
} sl__pool_request;

#define SL__POOL_MAGIC 0x736c706fu
#define SL__POOL_BLOB_MAX ((uint32_t)4 << 20)  /* argv + envp bytes of one pooled run */
#define SL__POOL_STRINGS_MAX 65536u            /* argv + envp entries of one pooled run */

/* Reads the run request into memory mapped here (no allocator in the child) and points the
 * plan's exe, argv, envp and landlock_fd at it. Returns 0, or -errno (-EPROTO for a malformed
 * request). Exits quietly when the pool closed the socket. */
static int sl__child_pool_receive(sl__plan *plan)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    sl__pool_request req;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cm;
    size_t ptr_bytes;
    size_t got = 0;
    char **ptrs;
    char *blob;
    char *p;
    ssize_t n;
    uint32_t i;

    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &req;
    iov.iov_len = sizeof(req);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(plan->pool_ctrl, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        _exit(0); /* the pool was freed: this entry is never used */
    }
    if (n != (ssize_t)sizeof(req) || req.magic != SL__POOL_MAGIC ||
        req.blob_len == 0 || req.blob_len > SL__POOL_BLOB_MAX || req.argc == 0 ||
        req.argc > SL__POOL_STRINGS_MAX || req.envc > SL__POOL_STRINGS_MAX ||
        (msg.msg_flags & MSG_CTRUNC) != 0) {
        return n < 0 ? -errno : -EPROTO;
    }
    plan->landlock_fd = -1;
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len == CMSG_LEN(sizeof(int))) {
            memcpy(&plan->landlock_fd, CMSG_DATA(cm), sizeof(int));
        }
    }
    ptr_bytes = ((size_t)req.argc + req.envc + 2) * sizeof(char *);
    ptrs = (char **)mmap(NULL, ptr_bytes + req.blob_len, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ptrs == MAP_FAILED) {
        return -errno;
    }
    blob = (char *)ptrs + ptr_bytes;
    while (got < req.blob_len) {
        n = read(plan->pool_ctrl, blob + got, req.blob_len - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : -EPROTO;
        }
        got += (size_t)n;
    }
    if (blob[req.blob_len - 1] != '\0') {
        return -EPROTO;
    }
    /* exe, then argc argv strings, then envc envp strings; nothing may be left over. */
    p = blob;
    plan->exe = p;
    p += strlen(p) + 1;
    for (i = 0; i < req.argc + req.envc; i++) {
        if (p >= blob + req.blob_len) {
            return -EPROTO;
        }
        ptrs[i < req.argc ? i : i + 1] = p;
        p += strlen(p) + 1;
    }
    if (p != blob + req.blob_len) {
        return -EPROTO;
    }
    ptrs[req.argc] = NULL;
    ptrs[req.argc + 1 + req.envc] = NULL;
    plan->argv = ptrs;
    plan->envp = ptrs + req.argc + 1;
    return 0;
}

/* The payload of a pool entry, PID 2 of its namespace: does every step that does not depend
 * on the program, reports "ready" on the control socket, waits for one request, then does
 * the rest and execs. Never returns.
 * SECURITY: seccomp goes on before the wait, so the idle process is already confined; the
 * filter allows what remains (recvmsg, mmap, read, landlock_*, close_range, execve). While
 * idle the process holds only its stdio pipes, the setup pipe and the control socket, all
 * made by the pool for this entry, and it is non-dumpable (inherited from init). */
static void sl__child_pool_payload(const sl__plan *entry)
{
    sl__plan copy = *entry; /* this process's own memory: the request fills it in */
    sl__plan *plan = &copy;
    int fd = plan->setup_w;
    int rc;

    if (setsid() < 0) {
        sl__child_fail(fd, SL__ST_SETSID, errno, -1);
    }
    if (chdir(plan->cwd) != 0) {
        sl__child_fail(fd, SL__ST_CHDIR, errno, -1);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_NO_NEW_PRIVS, errno, -1);
    }
    sl__child_close_except(fd, plan->pool_ctrl);
    if (plan->have_bpf) {
        rc = sl__seccomp_install(&plan->bpf);
        if (rc != 0) {
            sl__child_fail(fd, SL__ST_SECCOMP, -rc, -1);
        }
    }
    if (sl__write_all(plan->pool_ctrl, "r", 1) != 0) {
        _exit(127);
    }
    rc = sl__child_pool_receive(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_POOL_REQUEST, -rc, -1);
    }
    rc = sl__child_landlock(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_LANDLOCK, -rc, -1);
    }
    sl__child_close_from(3, fd);
    rc = sl__child_rlimits(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_RLIMIT, -rc, -1);
    }
    sl__child_unblock_signals();
    execve(plan->exe, plan->argv, plan->envp);
    sl__child_fail(fd, SL__ST_EXEC, errno, -1);
}

/* Entry point of the vfork-style payload clone (see sl__child_init). */
static int sl__child_payload_entry(void *arg)
{
    sl__child_payload((const sl__plan *)arg);
    return 127;
}

/* Stack of the vfork-style payload clone: only the steps before execve run on it. */
#define SL__PAYLOAD_STACK_SIZE ((size_t)256 << 10)

/* AddressSanitizer cannot follow a clone onto another stack (it prints a warning into the
 * payload's stderr), so sanitizer builds fork the payload the plain way. */
#if defined(__SANITIZE_ADDRESS__)
#define SL__PAYLOAD_VFORK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SL__PAYLOAD_VFORK 0
#endif
#endif
#ifndef SL__PAYLOAD_VFORK
#define SL__PAYLOAD_VFORK 1
#endif

/* ---------------------------------------------------------------- child: init --- */

/* Ends the run from inside: kills every other process of the namespace and reaps them all,
 * so that their CPU time adds up in init's rusage, which the parent reads with wait4. Writes
 * the payload's wait status to the status pipe when init reaps it here. Never returns. */
static void sl__init_end(pid_t payload, int status_fd, int have_status, int exit_code)
{
    int32_t status;
    pid_t pid;
    int st;

    kill(-1, SIGKILL);
    for (;;) {
        pid = waitpid(-1, &st, __WALL);
        if (pid < 0) {
            if (errno == EINTR) {
                continue;
            }
            break; /* ECHILD: nothing is left */
        }
        if (pid == payload && !have_status) {
            status = st;
            sl__write_all(status_fd, &status, sizeof(status));
            have_status = 1;
            exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
    }
    SL__PROF(SL__PF_I_END);
    _exit(exit_code);
}

/* PID 1's loop: reap every child, forward termination signals, and end the run when the
 * payload exits or the parent sends SL__STOP_SIGNAL. The payload's status also goes to the
 * status pipe, because PID 1 cannot die by a signal it sends itself. */
static void sl__init_loop(pid_t payload, int status_fd)
{
    sigset_t set;
    siginfo_t info;
    int32_t status;
    pid_t pid;
    int st;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SL__STOP_SIGNAL);
    for (;;) {
        int sig = sigwaitinfo(&set, &info);

        if (sig < 0) {
            continue;
        }
        if (sig == SL__STOP_SIGNAL) {
            /* SECURITY: only a sender outside the namespace (the parent) has si_pid 0; a
             * payload could only end its own run this way, but it is ignored anyway. */
            if (info.si_pid == 0) {
                sl__init_end(payload, status_fd, 0, 128 + SIGKILL);
            }
            continue;
        }
        if (sig != SIGCHLD) {
            kill(-1, sig);
            continue;
        }
        while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
            if (pid == payload) {
                SL__PROF(SL__PF_I_PAYLOAD_EXIT);
                status = st;
                sl__write_all(status_fd, &status, sizeof(status));
                sl__init_end(payload, status_fd, 1,
                             WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            }
        }
    }
}

/* PID 1 of a level 2 run. Never returns. */
static void sl__child_init(const sl__plan *plan)
{
    int fd = plan->setup_w;
    sl__plan own;
    char go;
    pid_t payload;
    int rc;

    SL__PROF(SL__PF_I_START);
    sl__child_reset_signals();
    /* SECURITY: the run dies with the host instead of living on as an orphan. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (read(plan->sync_r, &go, 1) != 1) {
        _exit(127); /* the parent failed to write the id maps and reports it itself */
    }
    SL__PROF(SL__PF_I_SYNC);
    rc = sl__child_stdio(plan);
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_DUP, -rc, -1);
    }
    SL__PROF(SL__PF_I_STDIO);
    if (plan->have_cgroup && (rc = sl__cgroup_join(&plan->cgroup)) != 0) {
        sl__child_fail(fd, SL__ST_CGROUP, -rc, -1);
    }
    SL__PROF(SL__PF_I_CG_JOIN);
    sl__child_open_sources(plan, fd);
    SL__PROF(SL__PF_I_SOURCES);
    /* The ids change before the mounts: files created in the new tmpfs need an owner that
     * is mapped in the namespace (host root is not, and the kernel fails with EOVERFLOW). The
     * capabilities over the namespace stay until sl__child_drop_caps, because the user
     * namespace maps no uid 0 whose loss would clear them. Caller paths are bound through
     * fds opened by the parent, so the unprivileged uid needs no access to their parents. */
    sl__child_set_ids(plan, fd);
    SL__PROF(SL__PF_I_IDS);
    sl__child_mounts(plan, fd);
    /* The parent keeps the /output tmpfs alive through this fd and copies it out after the
     * run. Sent before the payload exists, so the payload never holds the socket. */
    if (plan->policy->output_dir != NULL && (rc = sl__output_send(plan->output_w,
                                                                  "/output")) != 0) {
        sl__child_fail(fd, SL__ST_OUTPUT_SEND, -rc, -1);
    }
    if (!plan->policy->network && (rc = sl__child_loopback()) != 0) {
        sl__child_fail(fd, SL__ST_LOOPBACK, -rc, -1);
    }
    SL__PROF(SL__PF_I_LOOPBACK);
    if (sethostname("sandbox", 7) != 0) {
        sl__child_fail(fd, SL__ST_HOSTNAME, errno, -1);
    }
    SL__PROF(SL__PF_I_HOSTNAME);
    rc = sl__child_drop_caps();
    if (rc != 0) {
        sl__child_fail(fd, SL__ST_CAPS, -rc, -1);
    }
    SL__PROF(SL__PF_I_CAPS);
    /* SECURITY: init is the one process of the run without seccomp and Landlock; being
     * non-dumpable keeps the payload from opening its /proc/1/mem or ptracing it. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        sl__child_fail(fd, SL__ST_DUMPABLE, errno, -1);
    }
    SL__PROF(SL__PF_I_DUMPABLE);
    if (plan->cgroup_deferred) {
        /* SECURITY: the payload must start inside the run's cgroup, so init waits until the
         * parent has moved it there ('c') or decided that the run has none ('n'). */
        if (read(plan->sync_r, &go, 1) != 1 || (go != 'c' && go != 'n')) {
            _exit(127); /* the parent failed and reports it itself */
        }
        if (go == 'c') {
            own = *plan; /* the cgroup limits memory and processes: drop the rlimit stand-ins */
            own.limit_count = own.cgroup_limit_count;
            plan = &own;
        }
    }
    SL__PROF(SL__PF_I_CG_WAIT);
    if (plan->pool_ctrl >= 0 || !SL__PAYLOAD_VFORK) {
        /* A pool entry's payload waits for its request, so init must not wait for it. */
        payload = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);
        if (payload == 0 && plan->pool_ctrl >= 0) {
            sl__child_pool_payload(plan);
        } else if (payload == 0) {
            sl__child_payload(plan);
        }
    } else {
        /* The payload shares init's memory until its execve (CLONE_VM | CLONE_VFORK), which
         * skips copying init's page tables and the copy-on-write faults after them. init is
         * suspended meanwhile, and the payload touches only its own stack and kernel state
         * that is per process (fd table, cwd, limits, credentials, seccomp). */
        void *stack = mmap(NULL, SL__PAYLOAD_STACK_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

        if (stack == MAP_FAILED) {
            sl__child_fail(fd, SL__ST_FORK, errno, -1);
        }
        payload = clone(sl__child_payload_entry, (char *)stack + SL__PAYLOAD_STACK_SIZE,
                        CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)plan);
        munmap(stack, SL__PAYLOAD_STACK_SIZE);
    }
    if (payload < 0) {
        sl__child_fail(fd, SL__ST_FORK, errno, -1);
    }
    SL__PROF(SL__PF_I_FORKED);
    /* init keeps only the status pipe; the payload's exec closes the setup pipe. */
    sl__child_close_from(0, plan->status_w);
    sl__init_loop(payload, plan->status_w);
}

/* -------------------------------------------------------------- parent: errors --- */

/* Returns the likely fix for a failed stage, or "". */
static const char *sl__stage_hint(int stage, int err)
{
    switch (stage) {
    case SL__ST_PROC:
        return "; the kernel refuses a new /proc when the host's /proc has hidden parts "
               "(a container runtime's masks): run on a host or in a container with an "
               "unmasked /proc";
    case SL__ST_LANDLOCK:
        return "; Landlock is missing or disabled: add landlock to the lsm= boot parameter "
               "or waive the landlock layer";
    case SL__ST_SECCOMP:
        return "; the kernel lacks CONFIG_SECCOMP_FILTER, or waive the seccomp layer";
    case SL__ST_CGROUP:
        return "; the cgroup could not be joined: check cgroup delegation or waive the "
               "cgroup layer";
    case SL__ST_EXEC:
        return err == ENOENT ? "; the program or its interpreter is not visible inside the "
                               "sandbox: bind its folder with read_only_paths"
                             : "";
    case SL__ST_BIND:
        return err == EACCES ? "; the payload's uid cannot reach the bind source: make it "
                               "readable by that uid"
                             : "";
    case SL__ST_SETUID:
    case SL__ST_SETGID:
    case SL__ST_SETGROUPS:
        return "; the uid or gid is not mapped in the user namespace";
    case SL__ST_CHDIR:
        return "; the working folder must be searchable by the payload's uid";
    case SL__ST_USERNS_LIMIT:
        return "; the kernel lacks per-namespace user.max_user_namespaces (Linux 4.9+)";
    default:
        return "";
    }
}

static int sl__child_error(const sl__plan *plan, const sl__child_msg *msg, sl_error *err)
{
    int stage = msg->stage > 0 && msg->stage < SL__ST_COUNT ? msg->stage : 0;
    const sl__stage_info *info = &sl__stages[stage];
    const char *subject = "";

    if (msg->index >= 0 && (size_t)msg->index < plan->op_count) {
        subject = plan->ops[msg->index].path + strlen(SL__STAGE_ROOT);
    } else if (msg->index < -1 && -1 - msg->index < plan->source_fd_count) {
        subject = plan->source_paths[-1 - msg->index];
    } else if (stage == SL__ST_EXEC) {
        subject = plan->exe;
    } else if (stage == SL__ST_CHDIR) {
        subject = plan->cwd;
    }
    return sl__error_sys(err, info->code, info->name, msg->err,
                         "sandbox setup failed at %s%s%s%s: %s%s", info->name,
                         subject[0] ? " \"" : "", subject, subject[0] ? "\"" : "",
                         strerror(msg->err),
                         sl__stage_hint(stage, msg->err));
}

/* Reads the bytes in the setup pipe into `msg` (`*got` bytes so far). Returns SL_EAGAIN
 * while the pipe is open and the report incomplete (after at most one read with data, so a
 * blocking pipe does not block here once poll reported it readable), SL_OK at EOF without a report (every
 * process closed its end: the payload exec'd), or the error of a complete report. */
static int sl__setup_read(const sl__plan *plan, int setup_r, sl__child_msg *msg, size_t *got,
                          sl_error *err)
{
    for (;;) {
        ssize_t n = read(setup_r, (char *)msg + *got, sizeof(*msg) - *got);

        if (n > 0) {
            *got += (size_t)n;
            if (*got == sizeof(*msg)) {
                return sl__child_error(plan, msg, err);
            }
            return SL_EAGAIN; /* the rest comes with the next readiness */
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return SL_EAGAIN;
        }
        return *got == 0 ? SL_OK
                         : sl__error(err, SL_ESANDBOX_SPAWN, "sandbox setup sent a short "
                                     "report");
    }
}

static int sl__clone_error(int saved, sl_error *err)
{
    const char *hint;

    switch (saved) {
    case EPERM:
    case EACCES:
        hint = "user namespaces are disabled: set kernel.unprivileged_userns_clone=1 or, on "
               "Ubuntu 24.04, kernel.apparmor_restrict_unprivileged_userns=0; inside a "
               "container allow unshare/clone in its seccomp profile";
        break;
    case ENOSPC:
        hint = "the user namespace limit is reached or zero: raise user.max_user_namespaces";
        break;
    case EINVAL:
        hint = "the kernel lacks user, PID or network namespaces (CONFIG_USER_NS, "
               "CONFIG_PID_NS, CONFIG_NET_NS)";
        break;
    default:
        hint = "see clone(2)";
        break;
    }
    return sl__error_sys(err, SL_ESANDBOX_USERNS, "clone", saved,
                         "cannot create the sandbox namespaces: %s; %s", strerror(saved), hint);
}

/* ------------------------------------------------------------------ parent: run --- */

struct sl_sandbox_run {
    sl_allocator alloc;
    const sl_allocator *result_alloc;
    int level;
    pid_t pid;          /* init (level 2) or the payload (level 1) */
    int pidfd;          /* -1 when the kernel lacks pidfd_open */
    int epfd;
    int timerfd;
    int in_fd;
    int out_fd;
    int err_fd;
    int status_fd;      /* level 2: the payload's wait status from init */
    char *input;
    size_t input_len;
    size_t input_off;
    char *out;
    size_t out_len, out_cap, out_max;
    int out_truncated;
    char *err;
    size_t err_len, err_cap, err_max;
    int err_truncated;
    int kill_on_output_limit;
    uint64_t start_ns;
    uint64_t deadline_ns;
    uint64_t drain_until_ns;
    uint64_t stop_at_ns;     /* 0; else when the stop request turns into a hard kill, and
                                UINT64_MAX once that kill was sent */
    uint64_t watch_at_ns;    /* next in-run check; UINT64_MAX when there is nothing to check */
    uint64_t cpu_limit_ns;
    sl__output output;       /* output_dir and, at level 2, the /output tmpfs */
    int limit;
    int reaped;
    int wait_status;
    int payload_status;
    int have_payload_status;
    struct rusage usage;
    sl__cgroup cgroup;
    int have_cgroup;
    unsigned layers;
    int landlock_abi;
    int finished;
    sl_sandbox_result result;
    /* The children's setup, from clone until the payload exec'd (see sl__run_setup_step). */
    int setup_fd;            /* read end of the setup pipe, in the epoll set; -1 when over */
    sl__child_msg setup_msg; /* a failure report being read */
    size_t setup_got;
    sl__plan *setup_plan;    /* names the failed step in the message; freed when over */
    int output_sock;         /* level 2 with output_dir: init passes the /output tmpfs here */
    uint32_t timeout_ms;
    int setup_rc;            /* SL_OK, or the setup failure that ended the run */
    sl_error setup_error;    /* its message, returned by every later poll */
};

static void sl__plan_free(sl__plan *plan);
static void sl__spawn_abort(sl_sandbox_run *run);

static void sl__close(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Moves `*fd` above 2, so the child's dup2 onto 0-2 cannot clobber another pipe end. */
static int sl__fd_above_stdio(int *fd)
{
    int moved;

    if (*fd > 2) {
        return 0;
    }
    moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0) {
        return -1;
    }
    close(*fd);
    *fd = moved;
    return 0;
}

static int sl__pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return -1;
    }
    if (sl__fd_above_stdio(&fds[0]) != 0 || sl__fd_above_stdio(&fds[1]) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

/* Writes to a pipe without raising SIGPIPE in the host: the signal is blocked for this
 * thread and a SIGPIPE this write caused is consumed. Returns write()'s result. */
static ssize_t sl__write_nosigpipe(int fd, const void *data, size_t len)
{
    sigset_t pipe_set;
    sigset_t old;
    sigset_t pending;
    int was_pending;
    ssize_t w;
    int saved;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    w = write(fd, data, len);
    saved = errno;
    if (w < 0 && saved == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return w;
}

/* Marks the run's top process as reaped.
 * SECURITY: at level 2 that process is the init of the run's PID namespace, and the kernel
 * kills and reaps every other process of the namespace before init can be reaped. Only init
 * was moved into the run's cgroup, and nothing outside the namespace can join it, so the
 * cgroup is known to be empty and needs no kill loop. */
static void sl__run_set_reaped(sl_sandbox_run *run)
{
    run->reaped = 1;
    if (run->level >= 2) {
        run->cgroup.no_processes = 1;
    }
}

/* Sends SIGKILL to every process of the run. */
static void sl__run_kill_all(sl_sandbox_run *run)
{
    if (!run->reaped) {
        if (run->pidfd < 0 || syscall(SYS_pidfd_send_signal, run->pidfd, SIGKILL, NULL, 0) != 0) {
            kill(run->pid, SIGKILL);
        }
    }
    if (run->level < 2) {
        /* The payload's session: its pgid is its pid, which stays reserved while the group
           exists, even after the payload itself was reaped. */
        kill(-run->pid, SIGKILL);
    }
    if (run->have_cgroup && !run->cgroup.no_processes) {
        sl__cgroup_kill(&run->cgroup);
    }
}

/* Ends the run for a limit or the host. At level 2, init gets the request to kill and reap
 * every process itself, so their CPU time reaches cpu_ns. If init has not exited
 * SL__STOP_GRACE_NS later, sl__run_step kills it. Level 1 is killed at once. */
static void sl__run_stop(sl_sandbox_run *run)
{
    if (run->stop_at_ns != 0) {
        return;
    }
    if (run->level < 2 || run->reaped) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
        return;
    }
    if (run->pidfd >= 0
            ? syscall(SYS_pidfd_send_signal, run->pidfd, SL__STOP_SIGNAL, NULL, 0) != 0
            : kill(run->pid, SL__STOP_SIGNAL) != 0) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
        return;
    }
    run->stop_at_ns = sl_time_now_ns() + SL__STOP_GRACE_NS;
}

/* Arms the timer at `at_ns` (absolute, CLOCK_MONOTONIC), or disarms it for UINT64_MAX. */
static void sl__run_arm_timer(sl_sandbox_run *run, uint64_t at_ns, uint64_t interval_ns)
{
    struct itimerspec its;

    memset(&its, 0, sizeof(its));
    if (at_ns == UINT64_MAX) {
        timerfd_settime(run->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
        return;
    }
    if (at_ns == 0) {
        at_ns = 1;
    }
    its.it_value.tv_sec = (time_t)(at_ns / 1000000000u);
    its.it_value.tv_nsec = (long)(at_ns % 1000000000u);
    its.it_interval.tv_sec = (time_t)(interval_ns / 1000000000u);
    its.it_interval.tv_nsec = (long)(interval_ns % 1000000000u);
    timerfd_settime(run->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Appends to a capped output buffer; bytes past the cap are dropped and flagged. */
static void sl__run_keep(sl_sandbox_run *run, char **buf, size_t *len, size_t *cap,
                         size_t max, int *truncated, const char *data, size_t n)
{
    size_t room = *len < max ? max - *len : 0;
    size_t take = n < room ? n : room;

    if (take < n) {
        *truncated = 1;
        if (run->kill_on_output_limit && run->limit == SL_LIMIT_NONE && !run->reaped) {
            run->limit = SL_LIMIT_OUTPUT;
            sl__run_stop(run);
        }
    }
    if (take == 0) {
        return;
    }
    if (*len + take + 1 > *cap) {
        size_t want = *cap == 0 ? 4096 : *cap;
        char *grown;

        while (want < *len + take + 1) {
            want *= 2;
        }
        if (want > max + 1) {
            want = max + 1;
        }
        grown = (char *)sl__realloc(&run->alloc, *buf, *cap, want);
        if (grown == NULL) {
            *truncated = 1; /* NOTE: out of memory drops output like the cap does */
            return;
        }
        *buf = grown;
        *cap = want;
    }
    memcpy(*buf + *len, data, take);
    *len += take;
}

/* Closes one of the run's fds in its epoll set. Removed first, because a child that has not
 * reached execve yet has a copy of the pipe end, which would keep the closed fd in the set
 * (always writable or at EOF: the loop would spin). */
static void sl__run_unwatch(sl_sandbox_run *run, int *fd)
{
    if (*fd >= 0 && run->epfd >= 0) {
        epoll_ctl(run->epfd, EPOLL_CTL_DEL, *fd, NULL);
    }
    sl__close(fd);
}

/* Reads what a pipe has now; closes it at EOF. At most 1 MiB per call, so a flooding
 * payload cannot starve the timeout check. */
static void sl__run_read(sl_sandbox_run *run, int is_err)
{
    char chunk[65536];
    int *fd = is_err ? &run->err_fd : &run->out_fd;
    int i;

    for (i = 0; i < 16 && *fd >= 0; i++) {
        ssize_t n = read(*fd, chunk, sizeof(chunk));

        if (n > 0) {
            if (is_err) {
                sl__run_keep(run, &run->err, &run->err_len, &run->err_cap, run->err_max,
                             &run->err_truncated, chunk, (size_t)n);
            } else {
                sl__run_keep(run, &run->out, &run->out_len, &run->out_cap, run->out_max,
                             &run->out_truncated, chunk, (size_t)n);
            }
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        sl__run_unwatch(run, fd);
    }
}

static void sl__run_write_input(sl_sandbox_run *run)
{
    while (run->in_fd >= 0 && run->input_off < run->input_len) {
        ssize_t w = sl__write_nosigpipe(run->in_fd, run->input + run->input_off,
                                        run->input_len - run->input_off);
        if (w > 0) {
            run->input_off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && errno == EAGAIN) {
            return;
        }
        break; /* EPIPE: the payload closed stdin, which is its right */
    }
    sl__run_unwatch(run, &run->in_fd);
}

/* Reaps the run's top process when it has exited. */
static void sl__run_check_exit(sl_sandbox_run *run)
{
    int32_t status;
    pid_t r;

    if (run->reaped) {
        return;
    }
    do {
        r = wait4(run->pid, &run->wait_status, WNOHANG, &run->usage);
    } while (r < 0 && errno == EINTR);
    if (r != run->pid) {
        return;
    }
    SL__PROF(SL__PF_REAPED);
    sl__run_set_reaped(run);
    sl__close(&run->pidfd);
    if (run->status_fd >= 0 && read(run->status_fd, &status, sizeof(status)) ==
                                   (ssize_t)sizeof(status)) {
        run->payload_status = status;
        run->have_payload_status = 1;
    }
    sl__close(&run->status_fd);
    if (run->level < 2) {
        sl__run_kill_all(run); /* descendants that outlived the payload */
    }
    run->drain_until_ns = sl_time_now_ns() + SL__DRAIN_NS;
    sl__run_arm_timer(run, run->drain_until_ns, 0);
}

/* ---------------------------------------------------------- parent: output folder --- */

/* Opens output_dir for the run (see sl__output_open in src/sandbox_output.c). */
static int sl__run_quota_start(sl_sandbox_run *run, const sl_sandbox_policy *pol, sl_error *err)
{
    return sl__output_open(&run->output, pol, err);
}

/* The in-run checks: an OOM kill or a failed fork at pids.max in the cgroup. A hit ends the
 * run with that limit. */
static void sl__run_watch(sl_sandbox_run *run)
{
    int hit = SL_LIMIT_NONE;

    if (run->have_cgroup) {
        hit = sl__cgroup_limit_hit(&run->cgroup);
    }
    if (hit != SL_LIMIT_NONE) {
        if (run->limit == SL_LIMIT_NONE) {
            run->limit = hit;
        }
        sl__run_stop(run);
    }
}

/* Returns the limit that ended a run, from the signal and the cgroup when no deadline or
 * kill ended it. */
static int sl__run_limit(sl_sandbox_run *run, int exited, int code, int sig)
{
    uint64_t cpu = (uint64_t)run->usage.ru_utime.tv_sec * 1000000000u +
                   (uint64_t)run->usage.ru_utime.tv_usec * 1000u +
                   (uint64_t)run->usage.ru_stime.tv_sec * 1000000000u +
                   (uint64_t)run->usage.ru_stime.tv_usec * 1000u;
    int hit;

    if (run->limit != SL_LIMIT_NONE) {
        return run->limit;
    }
    if (!exited && sig == SIGXCPU) {
        return SL_LIMIT_CPU;
    }
    if (!exited && sig == SIGXFSZ) {
        return SL_LIMIT_FILE_SIZE;
    }
    if (!exited && sig == SIGKILL && run->cpu_limit_ns > 0 && cpu >= run->cpu_limit_ns) {
        return SL_LIMIT_CPU;
    }
    if (run->have_cgroup && !(exited && code == 0)) {
        hit = sl__cgroup_limit_hit(&run->cgroup);
        if (hit != SL_LIMIT_NONE) {
            return hit;
        }
    }
    return SL_LIMIT_NONE;
}

static char *sl__run_take_output(sl_sandbox_run *run, char **buf, size_t len, size_t cap)
{
    char *out = *buf;

    if (out == NULL) {
        out = (char *)sl__malloc(&run->alloc, 1);
        cap = 1;
        if (out == NULL) {
            return NULL;
        }
    }
    if (cap != len + 1) {
        char *fitted = (char *)sl__realloc(&run->alloc, out, cap, len + 1);
        if (fitted != NULL) {
            out = fitted;
        } else if (cap < len + 1) {
            return NULL;
        }
    }
    out[len] = '\0';
    *buf = NULL;
    return out;
}

static void sl__run_finish(sl_sandbox_run *run)
{
    sl_sandbox_result *res = &run->result;
    int st = run->have_payload_status ? run->payload_status : run->wait_status;
    int exited = WIFEXITED(st);
    int code = exited ? WEXITSTATUS(st) : 0;
    int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;

    if (run->level >= 2 && !run->have_payload_status) {
        /* init was killed (deadline, kill, host), which killed the payload with it. */
        exited = 0;
        code = 0;
        sig = SIGKILL;
    }
    sl__close(&run->in_fd);
    sl__close(&run->out_fd);
    sl__close(&run->err_fd);
    memset(res, 0, sizeof(*res));
    res->exited = exited;
    res->exit_code = code;
    res->signal = exited ? 0 : sig;
    res->limit = sl__run_limit(run, exited, code, sig);
    /* At level 2 every process of the run is gone (init reaps them all before it exits), so
     * nothing changes the /output tmpfs while it is copied out. */
    sl__output_finish(&run->output, res, &run->alloc);
    res->wall_ns = sl_time_now_ns() - run->start_ns;
    /* init reaps every process before it exits, so its rusage covers the whole run.
     * NOTE: when init missed the SL__STOP_GRACE_NS deadline and was killed, the processes it
     * had not reaped yet are missing from cpu_ns. */
    res->cpu_ns = (uint64_t)run->usage.ru_utime.tv_sec * 1000000000u +
                  (uint64_t)run->usage.ru_utime.tv_usec * 1000u +
                  (uint64_t)run->usage.ru_stime.tv_sec * 1000000000u +
                  (uint64_t)run->usage.ru_stime.tv_usec * 1000u;
    res->peak_memory_bytes = (uint64_t)run->usage.ru_maxrss * 1024u;
    if (run->have_cgroup) {
        uint64_t peak = sl__cgroup_peak_memory(&run->cgroup);
        if (peak > 0) {
            res->peak_memory_bytes = peak;
        }
        sl__cgroup_destroy(&run->cgroup);
        run->have_cgroup = 0;
    }
    SL__PROF(SL__PF_CG_DESTROY);
    res->layers = run->layers;
    res->landlock_abi = run->landlock_abi;
    res->alloc = run->result_alloc;
    res->stdout_truncated = run->out_truncated;
    res->stderr_truncated = run->err_truncated;
    res->stdout_len = run->out_len;
    res->stderr_len = run->err_len;
    res->stdout_data = sl__run_take_output(run, &run->out, run->out_len, run->out_cap);
    res->stderr_data = sl__run_take_output(run, &run->err, run->err_len, run->err_cap);
    if (res->stdout_data == NULL || res->stderr_data == NULL) {
        /* NOTE: the outputs are dropped when the final 1-byte allocation fails. */
        sl__free(&run->alloc, res->stdout_data, res->stdout_len + 1);
        sl__free(&run->alloc, res->stderr_data, res->stderr_len + 1);
        res->stdout_data = NULL;
        res->stderr_data = NULL;
        res->stdout_len = 0;
        res->stderr_len = 0;
    }
    run->finished = 1;
    SL__PROF(SL__PF_FINISHED);
}

/* Arms the timer for the next thing sl__run_step must do without an fd event: the deadline,
 * an in-run check, the end of the stop grace or of the drain. Without a pidfd, the 10 ms
 * ticker set up by sl__run_setup_poll stays until the run is reaped. */
static void sl__run_rearm(sl_sandbox_run *run)
{
    uint64_t at;

    if (run->reaped) {
        at = run->drain_until_ns;
    } else if (run->pidfd < 0) {
        return;
    } else if (run->stop_at_ns != 0) {
        at = run->stop_at_ns;  /* UINT64_MAX after the kill: the pidfd wakes the loop */
    } else {
        at = run->deadline_ns < run->watch_at_ns ? run->deadline_ns : run->watch_at_ns;
    }
    sl__run_arm_timer(run, at, 0);
}

/* Closes what only the setup needed: the setup pipe, the /output socket and the plan. */
static void sl__run_setup_done(sl_sandbox_run *run)
{
    sl__run_unwatch(run, &run->setup_fd);
    sl__close(&run->output_sock);
    if (run->setup_plan != NULL) {
        sl__plan_free(run->setup_plan);
        sl__free(&run->alloc, run->setup_plan, sizeof(*run->setup_plan));
        run->setup_plan = NULL;
    }
}

/* Follows the children's setup: EOF on the setup pipe means the payload exec'd, a report
 * means a step failed. A failure (or a setup still going at the deadline) ends the run: the
 * children are killed and reaped, and sl_sandbox_poll returns the error from then on.
 * Returns SL_OK while the run goes on. */
static int sl__run_setup_step(sl_sandbox_run *run)
{
    sl_error e;
    int rc;

    if (run->setup_fd < 0) {
        return SL_OK;
    }
    rc = sl__setup_read(run->setup_plan, run->setup_fd, &run->setup_msg, &run->setup_got, &e);
    if (rc == SL_EAGAIN) {
        if (sl_time_now_ns() < run->deadline_ns) {
            return SL_OK;
        }
        rc = sl__error_sys(&e, SL_ETIMEOUT, "sandbox setup", ETIMEDOUT,
                           "sandbox setup did not finish within the %u ms timeout",
                           (unsigned)run->timeout_ms);
    }
    if (rc == SL_OK) {
        SL__PROF(SL__PF_SETUP_DONE);
        if (run->output_sock >= 0) {
            /* init sent the tmpfs before it forked the payload, so it is queued by now,
               unless the host killed the run during the setup. */
            rc = sl__output_receive(&run->output, run->output_sock, &e);
            if (rc != SL_OK && run->stop_at_ns != 0) {
                rc = SL_OK; /* killed: the run ends without an /output copy */
            }
        }
    }
    sl__run_setup_done(run);
    if (rc != SL_OK) {
        run->setup_rc = rc;
        run->setup_error = e;
        sl__spawn_abort(run);
        run->stop_at_ns = UINT64_MAX;
    }
    return rc;
}

/* Does every piece of work that is possible now, without waiting. */
static void sl__run_step(sl_sandbox_run *run)
{
    uint64_t now;
    uint64_t ticks;

    while (read(run->timerfd, &ticks, sizeof(ticks)) > 0) {
    }
    if (sl__run_setup_step(run) != SL_OK) {
        return;
    }
    sl__run_write_input(run);
    sl__run_read(run, 0);
    sl__run_read(run, 1);
    sl__run_check_exit(run);
    /* Once the top process is reaped, every write end of the setup pipe is closed, so the
     * report (or EOF) is there now. A failed setup must not turn into a result. */
    if (run->reaped && sl__run_setup_step(run) != SL_OK) {
        return;
    }
    now = sl_time_now_ns();
    if (!run->reaped && now >= run->deadline_ns && run->limit == SL_LIMIT_NONE) {
        run->limit = SL_LIMIT_TIMEOUT;
        sl__run_stop(run);
    }
    if (!run->reaped && run->stop_at_ns == 0 && now >= run->watch_at_ns) {
        sl__run_watch(run);
        run->watch_at_ns = now + SL__WATCH_NS;
    }
    if (!run->reaped && run->stop_at_ns != 0 && run->stop_at_ns != UINT64_MAX &&
        now >= run->stop_at_ns) {
        run->stop_at_ns = UINT64_MAX;
        sl__run_kill_all(run);
    }
    if (run->reaped && ((run->out_fd < 0 && run->err_fd < 0) || now >= run->drain_until_ns)) {
        sl__run_finish(run);
        return;
    }
    sl__run_rearm(run);
}

/* ----------------------------------------------------------------- parent: spawn --- */

/* Releases what the children inherited at clone (the caller paths' fds, the Landlock
 * ruleset, the seccomp program) and keeps the arena, whose strings name a failed step. */
static void sl__plan_drop_fds(sl__plan *plan)
{
    int i;

    for (i = 0; i < plan->source_fd_count; i++) {
        sl__close(&plan->source_fds[i]);
    }
    sl__close(&plan->landlock_fd);
    if (plan->have_bpf && !plan->bpf_borrowed) {
        sl__seccomp_release(&plan->bpf);
    }
    plan->have_bpf = 0;
    plan->policy = NULL; /* the caller's policy outlives only the spawn call */
}

static void sl__plan_free(sl__plan *plan)
{
    sl__plan_drop_fds(plan);
    plan->source_fd_count = 0;
    sl__arena_free(&plan->arena);
}

/* Returns the resolved path of the ELF program interpreter (the dynamic loader) named in
 * `exe`'s PT_INTERP header, or NULL for a static, 32-bit or non-ELF program. */
static const char *sl__elf_interp(sl__plan *plan, const char *exe)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    char interp[PATH_MAX];
    char real[PATH_MAX];
    const char *found = NULL;
    int fd = open(exe, O_RDONLY | O_CLOEXEC);
    unsigned i;

    if (fd < 0) {
        return NULL;
    }
    if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(ph) || eh.e_phnum > 256) {
        close(fd);
        return NULL;
    }
    for (i = 0; i < eh.e_phnum && found == NULL; i++) {
        if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) !=
                (ssize_t)sizeof(ph) ||
            ph.p_type != PT_INTERP) {
            continue;
        }
        if (ph.p_filesz == 0 || ph.p_filesz >= sizeof(interp) ||
            pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) {
            break;
        }
        interp[ph.p_filesz] = '\0';
        if (realpath(interp, real) != NULL) {
            found = sl__arena_strndup(&plan->arena, real, strlen(real));
        }
    }
    close(fd);
    return found;
}

/* Returns `path` with symlinks resolved, or `path` itself when it cannot be resolved (the
 * bind then reports the error); NULL when out of memory. */
static const char *sl__plan_realpath(sl__plan *plan, const char *path)
{
    char real[PATH_MAX];

    if (realpath(path, real) == NULL) {
        return path;
    }
    return sl__arena_strndup(&plan->arena, real, strlen(real));
}

/* Returns 1 for a shell, which runs the system's commands by design. */
static int sl__is_shell(const char *exe)
{
    const char *base = strrchr(exe, '/');

    base = base != NULL ? base + 1 : exe;
    return strcmp(base, "sh") == 0 || strcmp(base, "bash") == 0 || strcmp(base, "dash") == 0;
}

/* The paths Landlock lets the payload execute. With allow_subprocess off and a program
 * that is neither a shell nor a `#!` script: the program, its install prefix and its
 * dynamic loader only, so any later execve fails with EACCES. Otherwise also the system
 * folders that are real folders (a symlink like /bin -> usr/bin is covered by /usr). */
static size_t sl__plan_exec_paths(sl__plan *plan, const char **paths, size_t max)
{
    static const char *const system_dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64"};
    const char *loader = sl__elf_interp(plan, plan->exe);
    size_t n = 0;
    size_t i;

    paths[n++] = plan->exe;
    if (plan->exe_prefix != NULL) {
        paths[n++] = plan->exe_prefix;
    }
    if (loader != NULL) {
        paths[n++] = loader;
    }
    if (!plan->policy->allow_subprocess && loader != NULL && !sl__is_shell(plan->exe)) {
        return n;
    }
    for (i = 0; i < SL__ARRAY_LEN(system_dirs) && n < max; i++) {
        struct stat st;

        if (lstat(system_dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            paths[n++] = system_dirs[i];
        }
    }
    return n;
}

/* The rights the child grants on the places that exist only inside the sandbox. */
static void sl__plan_landlock_rights(sl__plan *plan, int abi)
{
    uint64_t all = sl__landlock_fs_rights(abi);

    plan->landlock_tmp_rights = all & ~(uint64_t)SL__LL_FS_EXECUTE;
    plan->landlock_read_rights = SL__LL_FS_READ_FILE | SL__LL_FS_READ_DIR;
    plan->landlock_dev_rights = all & (SL__LL_FS_READ_FILE | SL__LL_FS_WRITE_FILE |
                                       SL__LL_FS_READ_DIR | SL__LL_FS_TRUNCATE |
                                       SL__LL_FS_IOCTL_DEV);
}

/* Prepares Landlock for a level 2 run. The payload may execute what sl__plan_exec_paths
 * allows and write the rw extras and the sandbox's own tmpfs places (/output too). It may
 * read everything the mount tree shows. The child adds the rules for places that exist
 * only inside the sandbox.
 * SECURITY: a second wall behind the mount namespace; it enforces allow_subprocess, and
 * scopes abstract Unix sockets and signals to the sandbox (ABI 6). */
static int sl__plan_landlock(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    const char *exec_paths[12];
    const char *write_paths[SL__MAX_FDS + 2];
    sl__landlock_spec spec;
    size_t w = 0;
    size_t i;

    plan->landlock_abi = sl__landlock_abi();
    memset(&spec, 0, sizeof(spec));
    spec.abi = plan->landlock_abi;
    if (spec.abi <= 0) {
        return sl__landlock_prepare(&spec, &plan->landlock_fd, err);
    }
    exec_paths[sl__plan_exec_paths(plan, exec_paths, SL__ARRAY_LEN(exec_paths) - 1)] = NULL;
    /* Resolved like the binds, because a Landlock rule on a symlink would cover the link. */
    for (i = 0; pol->read_write_paths != NULL && pol->read_write_paths[i] && w < SL__MAX_FDS;
         i++) {
        write_paths[w++] = sl__plan_realpath(plan, pol->read_write_paths[i]);
    }
    write_paths[w] = NULL;
    for (i = 0; i < w; i++) {
        if (write_paths[i] == NULL) {
            return sl__error(err, SL_ENOMEM, "out of memory while planning Landlock rules");
        }
    }
    spec.exec_paths = exec_paths;
    spec.write_paths = write_paths;
    /* SECURITY: with network = 0 the empty network namespace is the first wall and this is
     * the second: TCP bind and connect fail with EACCES (ABI 4+), so a bug in the namespace
     * setup still leaves no TCP path out. It also denies the payload's own loopback TCP. */
    spec.deny_tcp = pol->network == 0;

    sl__plan_landlock_rights(plan, spec.abi);
    return sl__landlock_prepare(&spec, &plan->landlock_fd, err);
}

/* Creates the run's cgroup. A failure at level 2 is an error unless the policy waives the
 * layer; then it is left out of `layers`. */
static int sl__plan_cgroup(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    sl_error local;
    int rc;

    if (!pol->use_cgroup) {
        rc = SL_OK; /* the policy opted out: RLIMIT_DATA and RLIMIT_NPROC take over */
    } else {
        rc = plan->cgroup_base != NULL
                 ? sl__cgroup_create_in(pol, plan->cgroup_base, &plan->cgroup, &local)
                 : sl__cgroup_create(pol, &plan->cgroup, &local);
    }
    SL__PROF(SL__PF_CGROUP);
    plan->have_cgroup = rc == SL_OK && plan->cgroup.version != 0;
    if (plan->have_cgroup) {
        plan->layers |= SL_LAYER_CGROUP;
    } else if (plan->level >= 2 && pol->use_cgroup &&
               !(pol->waive_layers & SL_LAYER_CGROUP)) {
        if (rc != SL_OK) {
            if (err != NULL) {
                *err = local;
            }
            return rc;
        }
        return sl__error(err, SL_ESANDBOX_CGROUP, "no usable cgroup for the run's memory "
                         "and process limits: delegate a cgroup v2 subtree with memory and "
                         "pids enabled (or run as root with cgroup v1), or waive the cgroup "
                         "layer (waive_layers |= SL_LAYER_CGROUP)");
    }
    return SL_OK;
}

/* Adds the optional layers (seccomp, Landlock, cgroup). A layer that fails at level 2 is
 * an error unless the policy waives it; then it is left out of `layers`. */
static int sl__plan_layers(sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = plan->policy;
    sl_error local;
    int rc;

    SL__PROF(SL__PF_ENV_IDS);
    if (plan->level >= 2 && pol->use_cgroup) {
        plan->cgroup_deferred = 1; /* see sl__spawn_cgroup */
        rc = SL_OK;
    } else {
        rc = sl__plan_cgroup(plan, err);
    }
    if (rc != SL_OK || plan->level < 2) {
        return rc;
    }
    rc = sl__seccomp_build(pol, &plan->bpf, &local);
    SL__PROF(SL__PF_SECCOMP);
    plan->have_bpf = rc == SL_OK;
    if (plan->have_bpf) {
        plan->layers |= SL_LAYER_SECCOMP;
    } else if (!(pol->waive_layers & SL_LAYER_SECCOMP)) {
        if (err != NULL) {
            *err = local;
        }
        return rc;
    }
    rc = sl__plan_landlock(plan, &local);
    SL__PROF(SL__PF_LANDLOCK);
    if (rc == SL_OK) {
        plan->layers |= SL_LAYER_LANDLOCK;
    } else {
        plan->landlock_abi = 0;
        if (!(pol->waive_layers & SL_LAYER_LANDLOCK)) {
            if (err != NULL) {
                *err = local;
            }
            return rc;
        }
    }
    return SL_OK;
}

static int sl__plan_check(const sl_sandbox_policy *pol, const char *const *argv, sl_error *err)
{
    if (pol == NULL || argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
        return sl__error(err, SL_EINVAL, "sandbox: policy and a non-empty argv are required");
    }
    return sl__sandbox_policy_check(pol, err);
}

/* Builds everything the children need. On failure `plan` is freed. */
static int sl__plan_build(sl__plan *plan, const sl_sandbox_policy *pol,
                          const char *const *argv, sl_error *err)
{
    char exe[PATH_MAX];
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pol->alloc);
    plan->policy = pol;
    plan->level = pol->level;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->parent_pid = getpid();
    plan->layers = SL_LAYER_RLIMITS | SL_LAYER_NO_NEW_PRIVS;
    /* Level 3 builds the same sandbox as level 2; its scan gate ran before the plan. */
    if (plan->level >= 2) {
        plan->layers |= SL_LAYER_USERNS | SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_IPCNS |
                        SL_LAYER_UTSNS | (pol->network ? 0 : SL_LAYER_NETNS);
    }
    rc = sl__resolve_program(argv[0], exe, sizeof(exe), err);
    SL__PROF(SL__PF_RESOLVE);
    if (rc == SL_OK) {
        plan->exe = sl__arena_strndup(&plan->arena, exe, strlen(exe));
        if (plan->level >= 2 && plan->exe != NULL && !sl__path_is_system(plan->exe)) {
            plan->exe_prefix = sl__program_prefix(plan, plan->exe);
        }
        rc = plan->exe == NULL || sl__plan_argv(plan, argv) != SL_OK
                 ? sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox")
                 : SL_OK;
    }
    if (rc == SL_OK) {
        rc = sl__plan_env(plan, err);
    }
    if (rc == SL_OK) {
        rc = sl__plan_ids(plan, err);
    }
    if (rc == SL_OK) {
        rc = sl__plan_layers(plan, err);
    }
    if (rc == SL_OK) {
        sl__plan_limits(plan);
        if (plan->level >= 2) {
            plan->cwd = pol->work_dir != NULL ? "/skill" : "/tmp";
            rc = sl__plan_mounts(plan, err);
        } else {
            /* In the arena, because a setup failure names it after the spawn call. */
            plan->cwd = pol->work_dir != NULL
                            ? sl__arena_strndup(&plan->arena, pol->work_dir,
                                                strlen(pol->work_dir))
                            : "/";
            if (plan->cwd == NULL) {
                rc = sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
            }
        }
    }
    if (rc != SL_OK) {
        sl__cgroup_destroy(&plan->cgroup);
        sl__plan_free(plan);
    }
    return rc;
}

static int sl__write_proc_file(pid_t pid, const char *name, const char *text)
{
    char path[64];
    int fd;
    int rc;

    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    rc = sl__write_all(fd, text, strlen(text));
    if (rc != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return close(fd);
}

/* Writes init's uid and gid maps.
 * SECURITY: the map contains exactly one id, the payload's, so no other host id (root
 * above all) exists inside. A caller without CAP_SETGID must deny setgroups first, which
 * also stops the payload from dropping groups to get around group-deny permissions. */
static int sl__write_id_maps(const sl__plan *plan, pid_t pid, sl_error *err)
{
    const char *stage = "write setgroups";

    if (!plan->caller_root && sl__write_proc_file(pid, "setgroups", "deny") != 0) {
        goto fail;
    }
    stage = "write uid_map";
    if (sl__write_proc_file(pid, "uid_map", plan->uid_map) != 0) {
        goto fail;
    }
    stage = "write gid_map";
    if (sl__write_proc_file(pid, "gid_map", plan->gid_map) != 0) {
        goto fail;
    }
    return SL_OK;
fail:
    return sl__error_sys(err, SL_ESANDBOX_IDMAP, stage, errno,
                         "sandbox setup failed at %s (uid %u, gid %u): %s; an unprivileged "
                         "caller can only map its own uid and gid", stage,
                         (unsigned)plan->uid, (unsigned)plan->gid, strerror(errno));
}

/* Waits for the children's setup result: EOF on the setup pipe means execve succeeded. */
static int sl__wait_setup(const sl__plan *plan, int setup_r, uint64_t deadline_ns,
                          sl_error *err)
{
    sl__child_msg msg;
    size_t got = 0;
    int rc = SL_EAGAIN;

    while (rc == SL_EAGAIN) {
        struct pollfd pfd;
        uint64_t now = sl_time_now_ns();
        int wait_ms = now >= deadline_ns ? 0 : (int)((deadline_ns - now) / 1000000u) + 1;

        pfd.fd = setup_r;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, wait_ms) == 0) {
            return sl__error_sys(err, SL_ETIMEOUT, "sandbox setup", ETIMEDOUT,
                                 "sandbox setup did not finish within the %u ms timeout",
                                 (unsigned)plan->policy->timeout_ms);
        }
        rc = sl__setup_read(plan, setup_r, &msg, &got, err);
    }
    return rc;
}

static void sl__run_free_fds(sl_sandbox_run *run)
{
    sl__close(&run->pidfd);
    sl__close(&run->epfd);
    sl__close(&run->timerfd);
    sl__close(&run->in_fd);
    sl__close(&run->out_fd);
    sl__close(&run->err_fd);
    sl__close(&run->status_fd);
    sl__close(&run->setup_fd);
    sl__close(&run->output_sock);
    sl__output_close(&run->output);
}

static int sl__run_new(const sl_sandbox_policy *pol, const void *input, size_t input_len,
                       sl_sandbox_run **out)
{
    sl_allocator a = sl__allocator_resolve(pol->alloc);
    sl_sandbox_run *run = (sl_sandbox_run *)sl__calloc(&a, 1, sizeof(*run));

    if (run == NULL) {
        return SL_ENOMEM;
    }
    run->alloc = a;
    run->result_alloc = pol->alloc;
    run->pidfd = run->epfd = run->timerfd = -1;
    run->in_fd = run->out_fd = run->err_fd = run->status_fd = -1;
    run->setup_fd = run->output_sock = -1;
    run->timeout_ms = pol->timeout_ms;
    run->level = pol->level;
    run->out_max = pol->stdout_max;
    run->err_max = pol->stderr_max;
    run->kill_on_output_limit = pol->kill_on_output_limit;
    run->cpu_limit_ns = (uint64_t)pol->cpu_seconds * 1000000000u;
    sl__output_init(&run->output);
    run->watch_at_ns = UINT64_MAX;
    run->cgroup.procs_fd = -1;
    run->cgroup.pids_procs_fd = -1;
    if (input_len > 0) {
        run->input = (char *)sl__malloc(&a, input_len);
        if (run->input == NULL) {
            sl__free(&a, run, sizeof(*run));
            return SL_ENOMEM;
        }
        memcpy(run->input, input, input_len);
        run->input_len = input_len;
    }
    *out = run;
    return SL_OK;
}

static void sl__run_release(sl_sandbox_run *run)
{
    sl_allocator a = run->alloc;

    sl__run_setup_done(run);
    sl__run_free_fds(run);
    if (run->have_cgroup) {
        sl__cgroup_destroy(&run->cgroup);
    }
    sl__free(&a, run->input, run->input_len);
    sl__free(&a, run->out, run->out_cap);
    sl__free(&a, run->err, run->err_cap);
    sl_sandbox_result_free(&run->result);
    sl__free(&a, run, sizeof(*run));
}

/* The pollable side: epoll over the pipes, the pidfd and the timer. */
static int sl__run_setup_poll(sl_sandbox_run *run, sl_error *err)
{
    struct epoll_event ev;
    int fds[5];
    uint32_t events[5];
    int i;

    run->pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0u);
    run->epfd = epoll_create1(EPOLL_CLOEXEC);
    run->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (run->epfd < 0 || run->timerfd < 0) {
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll", errno,
                             "cannot create the run's epoll or timer fd: %s", strerror(errno));
    }
    fds[0] = run->out_fd;
    events[0] = EPOLLIN;
    fds[1] = run->err_fd;
    events[1] = EPOLLIN;
    fds[2] = run->timerfd;
    events[2] = EPOLLIN;
    fds[3] = run->in_fd;
    events[3] = EPOLLOUT;
    fds[4] = run->setup_fd;
    events[4] = EPOLLIN;
    for (i = 0; i < 5; i++) {
        memset(&ev, 0, sizeof(ev));
        ev.events = events[i];
        ev.data.fd = fds[i];
        if (fds[i] >= 0 && epoll_ctl(run->epfd, EPOLL_CTL_ADD, fds[i], &ev) != 0) {
            return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_ctl", errno,
                                 "cannot watch the run's fds: %s", strerror(errno));
        }
    }
    if (run->pidfd >= 0) {
        memset(&ev, 0, sizeof(ev));
        ev.events = EPOLLIN;
        ev.data.fd = run->pidfd;
        epoll_ctl(run->epfd, EPOLL_CTL_ADD, run->pidfd, &ev);
        sl__run_rearm(run);
    } else {
        /* Kernels before 5.3: no pidfd, so the timer ticks every 10 ms to check for exit. */
        sl__run_arm_timer(run, sl_time_now_ns() + 10000000u, 10000000u);
    }
    fcntl(run->out_fd, F_SETFL, O_NONBLOCK);
    fcntl(run->err_fd, F_SETFL, O_NONBLOCK);
    if (run->in_fd >= 0) {
        fcntl(run->in_fd, F_SETFL, O_NONBLOCK);
    }
    if (run->setup_fd >= 0) {
        fcntl(run->setup_fd, F_SETFL, O_NONBLOCK);
    }
    return SL_OK;
}

/* Clones the top process with every signal blocked, so no host handler runs in it before
 * sl__child_reset_signals. Returns the pid, 0 in the child (which never returns), or -1. */
static pid_t sl__clone_child(sl__plan *plan)
{
    unsigned long flags = SIGCHLD;
    sigset_t all;
    sigset_t old;
    pid_t pid;
    int saved;

    if (plan->level >= 2) {
        /* SECURITY: each namespace removes one shared view: users and capabilities, the
         * mount tree, processes, the network, System V IPC, and the host name. */
        flags |= CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
        if (!plan->policy->network) {
            flags |= CLONE_NEWNET;
        }
    }
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        if (plan->level >= 2) {
            sl__child_init(plan);
        }
        sl__child_level1(plan);
    }
    saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return pid;
}

typedef struct sl__spawn_pipes {
    int in[2], out[2], err[2], setup[2], status[2], sync[2];
} sl__spawn_pipes;

static void sl__pipes_close(sl__spawn_pipes *p)
{
    int *all = &p->in[0];
    size_t i;

    for (i = 0; i < sizeof(*p) / sizeof(int); i++) {
        sl__close(&all[i]);
    }
}

static int sl__pipes_open(sl__spawn_pipes *p, int level, sl_error *err)
{
    int *all = &p->in[0];
    size_t i;
    int ok;

    for (i = 0; i < sizeof(*p) / sizeof(int); i++) {
        all[i] = -1;
    }
    ok = sl__pipe(p->in) == 0 && sl__pipe(p->out) == 0 && sl__pipe(p->err) == 0 &&
         sl__pipe(p->setup) == 0;
    if (ok && level >= 2) {
        ok = sl__pipe(p->status) == 0 && sl__pipe(p->sync) == 0;
    }
    if (!ok) {
        int saved = errno;
        sl__pipes_close(p);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "pipe", saved,
                             "cannot create the run's pipes: %s", strerror(saved));
    }
    return SL_OK;
}

/* The deferred cgroup of a level 2 run: created while init builds the sandbox (the two
 * overlap, which takes the cgroup's cost off the spawn's critical path), init moved into it
 * by the parent, then 'c' or 'n' to init. The cgroup belongs to the run from here on, so a
 * failure is cleaned up with it. */
static int sl__spawn_cgroup(sl_sandbox_run *run, sl__plan *plan, int sync_w, sl_error *err)
{
    int rc = sl__plan_cgroup(plan, err);

    run->cgroup = plan->cgroup;
    run->have_cgroup = plan->have_cgroup;
    plan->have_cgroup = 0;
    if (rc != SL_OK) {
        return rc;
    }
    if (run->have_cgroup) {
        rc = sl__cgroup_join_pid(&run->cgroup, run->pid);
        if (rc != 0) {
            return sl__error_sys(err, SL_ESANDBOX_CGROUP, "join cgroup", -rc,
                                 "cannot move the sandbox init into its cgroup \"%s\": %s%s",
                                 run->cgroup.path, strerror(-rc),
                                 sl__stage_hint(SL__ST_CGROUP, -rc));
        }
        run->layers |= SL_LAYER_CGROUP;
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    if (sl__write_nosigpipe(sync_w, run->have_cgroup ? "c" : "n", 1) != 1) {
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                             "the sandbox init process died during setup: %s",
                             strerror(errno));
    }
    return SL_OK;
}

/* Starts the children and does the parent's part of the setup (id maps, cgroup placement),
 * which init waits for. Returns without waiting for the payload's execve. */
static int sl__spawn_start(sl_sandbox_run *run, sl__plan *plan, sl_error *err)
{
    sl__spawn_pipes p;
    int output[2] = {-1, -1}; /* level 2 with output_dir: carries the /output tmpfs fd */
    int rc;

    rc = sl__pipes_open(&p, plan->level, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (plan->level >= 2 && plan->policy->output_dir != NULL &&
        sl__output_socketpair(output) != 0) {
        int saved = errno;
        sl__pipes_close(&p);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create the socket that passes /output: %s",
                             strerror(saved));
    }
    plan->output_w = output[1];
    SL__PROF(SL__PF_PIPES);
    plan->stdin_r = p.in[0];
    plan->stdout_w = p.out[1];
    plan->stderr_w = p.err[1];
    plan->setup_w = p.setup[1];
    plan->status_w = p.status[1];
    plan->sync_r = p.sync[0];
    run->pid = sl__clone_child(plan);
    SL__PROF(SL__PF_CLONE);
    if (run->pid < 0) {
        int saved = errno;
        sl__pipes_close(&p);
        sl__close(&output[0]);
        sl__close(&output[1]);
        return plan->level >= 2 ? sl__clone_error(saved, err)
                                : sl__error_sys(err, SL_ESANDBOX_SPAWN, "fork", saved,
                                                "cannot fork: %s", strerror(saved));
    }
    run->in_fd = p.in[1];
    run->out_fd = p.out[0];
    run->err_fd = p.err[0];
    run->status_fd = p.status[0];
    p.in[1] = p.out[0] = p.err[0] = p.status[0] = -1;
    sl__close(&p.in[0]);
    sl__close(&p.out[1]);
    sl__close(&p.err[1]);
    sl__close(&p.setup[1]);
    sl__close(&p.status[1]);
    sl__close(&p.sync[0]);
    sl__close(&output[1]);

    rc = SL_OK;
    if (plan->level >= 2) {
        rc = sl__write_id_maps(plan, run->pid, err);
        SL__PROF(SL__PF_IDMAP);
        if (rc == SL_OK && sl__write_nosigpipe(p.sync[1], "g", 1) != 1) {
            rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                               "the sandbox init process died before setup: %s",
                               strerror(errno));
        }
        SL__PROF(SL__PF_SYNC);
        if (rc == SL_OK && plan->cgroup_deferred) {
            rc = sl__spawn_cgroup(run, plan, p.sync[1], err);
            SL__PROF(SL__PF_CG_ATTACH);
        }
        sl__close(&p.sync[1]);
    }
    if (rc != SL_OK) {
        sl__close(&p.setup[0]);
        sl__close(&output[0]);
        return rc;
    }
    /* The rest of the setup is the children's: sl_sandbox_poll follows it on the setup pipe
     * (see sl__run_setup_step). */
    run->setup_fd = p.setup[0];
    run->output_sock = output[0];
    run->output.uid = plan->uid;
    run->output.gid = plan->gid;
    return SL_OK;
}

/* Kills and reaps a run whose spawn failed. */
static void sl__spawn_abort(sl_sandbox_run *run)
{
    if (run->pid > 0 && !run->reaped) {
        kill(run->pid, SIGKILL);
        if (run->level < 2) {
            kill(-run->pid, SIGKILL);
        }
        while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR) {
        }
        sl__run_set_reaped(run);
    }
}

SKILLLITE_API int sl_sandbox_spawn(const sl_sandbox_policy *policy, const char *const *argv,
                                   const void *input, size_t input_len,
                                   sl_sandbox_run **out, sl_error *err)
{
    sl_sandbox_run *run = NULL;
    sl__plan *plan;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || (input == NULL && input_len > 0)) {
        return sl__error(err, SL_EINVAL, "sandbox: `input` may be NULL only with length 0 "
                         "(and sl_sandbox_spawn needs a `run` pointer)");
    }
    rc = sl__plan_check(policy, argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl__sandbox_gate(policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (sl__run_new(policy, input, input_len, &run) != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    run->start_ns = sl_time_now_ns();
    SL__PROF(SL__PF_SPAWN);
    run->deadline_ns = run->start_ns + (uint64_t)policy->timeout_ms * 1000000u;
    rc = sl__run_quota_start(run, policy, err);
    if (rc != SL_OK) {
        sl__run_release(run);
        return rc;
    }
    SL__PROF(SL__PF_QUOTA);
    /* On the heap: the run keeps the plan until the setup is over, to name a failed step. */
    plan = (sl__plan *)sl__malloc(&run->alloc, sizeof(*plan));
    if (plan == NULL) {
        sl__run_release(run);
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    rc = sl__plan_build(plan, policy, argv, err);
    SL__PROF(SL__PF_PLAN);
    if (rc != SL_OK) {
        sl__free(&run->alloc, plan, sizeof(*plan));
        sl__run_release(run);
        return rc;
    }
    run->cgroup = plan->cgroup;
    run->have_cgroup = plan->have_cgroup;
    if (run->have_cgroup) {
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    run->layers = plan->layers | (policy->level == 3 ? SL_LAYER_SCAN : 0u);
    run->landlock_abi = plan->layers & SL_LAYER_LANDLOCK ? plan->landlock_abi : 0;

    rc = sl__spawn_start(run, plan, err);
    /* The children hold their own copies of the plan's fds from here on. */
    sl__plan_drop_fds(plan);
    run->setup_plan = plan;
    if (rc == SL_OK) {
        rc = sl__run_setup_poll(run, err);
    }
    SL__PROF(SL__PF_POLL_READY);
    if (rc != SL_OK) {
        sl__spawn_abort(run);
        sl__run_release(run);
        return rc;
    }
    sl_error_clear(err);
    *out = run;
    return SL_OK;
}

SKILLLITE_API int sl_sandbox_fd(const sl_sandbox_run *run)
{
    return run != NULL ? run->epfd : -1;
}

SKILLLITE_API int sl_sandbox_poll(sl_sandbox_run *run, int timeout_ms, sl_error *err)
{
    uint64_t until;

    if (run == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_poll: `run` must not be NULL");
    }
    until = timeout_ms < 0 ? UINT64_MAX : sl_time_now_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        struct epoll_event events[8];
        uint64_t now;
        int wait_ms;

        if (!run->finished && run->setup_rc == SL_OK) {
            sl__run_step(run);
        }
        if (run->setup_rc != SL_OK) {
            if (err != NULL) {
                *err = run->setup_error;
            }
            return run->setup_rc;
        }
        if (run->finished) {
            return SL_OK;
        }
        now = sl_time_now_ns();
        if (now >= until) {
            return SL_EAGAIN;
        }
        wait_ms = until == UINT64_MAX || until - now > 1000000000u
                      ? 1000
                      : (int)((until - now + 999999u) / 1000000u);
        if (epoll_wait(run->epfd, events, 8, wait_ms) < 0 && errno != EINTR) {
            return sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_wait", errno,
                                 "waiting for the run failed: %s", strerror(errno));
        }
    }
}

SKILLLITE_API void sl_sandbox_kill(sl_sandbox_run *run)
{
    if (run == NULL || run->finished || run->reaped) {
        return;
    }
    if (run->limit == SL_LIMIT_NONE) {
        run->limit = SL_LIMIT_KILLED;
    }
    sl__run_stop(run);
}

SKILLLITE_API int sl_sandbox_take_result(sl_sandbox_run *run, sl_sandbox_result *result)
{
    if (run == NULL || result == NULL) {
        return SL_EINVAL;
    }
    if (!run->finished) {
        return SL_ESTATE;
    }
    *result = run->result;
    memset(&run->result, 0, sizeof(run->result));
    return SL_OK;
}

SKILLLITE_API void sl_sandbox_free(sl_sandbox_run *run)
{
    if (run == NULL) {
        return;
    }
    if (!run->reaped) {
        sl__run_kill_all(run);
        while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR) {
        }
        sl__run_set_reaped(run);
    }
    sl__run_release(run);
    SL__PROF(SL__PF_FREED);
}

SKILLLITE_API int sl_sandbox_exec(const sl_sandbox_policy *policy, const char *const *argv,
                                  const void *input, size_t input_len,
                                  sl_sandbox_result *result, sl_error *err)
{
    sl_sandbox_run *run;
    int rc;

    if (result == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_exec: `result` must not be NULL");
    }
    memset(result, 0, sizeof(*result));
    rc = sl_sandbox_spawn(policy, argv, input, input_len, &run, err);
    if (rc != SL_OK) {
        return rc;
    }
    rc = sl_sandbox_poll(run, -1, err);
    if (rc == SL_OK) {
        sl_sandbox_take_result(run, result);
    }
    sl_sandbox_free(run);
    return rc;
}

/* ---------------------------------------------------------------------- probe --- */

/* Tries each namespace in a short-lived child; returns the SL_LAYER_* bits that worked. */
static unsigned sl__probe_namespaces(void)
{
    static const struct {
        int flag;
        unsigned layer;
    } spaces[] = {{CLONE_NEWNS, SL_LAYER_MOUNTNS}, {CLONE_NEWPID, SL_LAYER_PIDNS},
                  {CLONE_NEWNET, SL_LAYER_NETNS}, {CLONE_NEWIPC, SL_LAYER_IPCNS},
                  {CLONE_NEWUTS, SL_LAYER_UTSNS}};
    sigset_t all;
    sigset_t old;
    pid_t pid;
    int status;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        unsigned bits = 0;
        size_t i;

        if (unshare(CLONE_NEWUSER) == 0) {
            bits |= 1u;
            for (i = 0; i < SL__ARRAY_LEN(spaces); i++) {
                if (unshare(spaces[i].flag) == 0) {
                    bits |= 2u << i;
                }
            }
        }
        _exit((int)bits);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        return 0;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return 0;
        }
    }
    if (!WIFEXITED(status)) {
        return 0;
    }
    {
        unsigned bits = (unsigned)WEXITSTATUS(status);
        unsigned layers = bits & 1u ? SL_LAYER_USERNS : 0;
        size_t i;

        for (i = 0; i < SL__ARRAY_LEN(spaces); i++) {
            if (bits & (2u << i)) {
                layers |= spaces[i].layer;
            }
        }
        return layers;
    }
}

static void sl__probe_reason(sl_sandbox_support *s, unsigned layer, const char *text)
{
    int i;

    for (i = 0; i < SL_LAYER_COUNT; i++) {
        if (layer == (1u << i)) {
            snprintf(s->reasons[i], sizeof(s->reasons[i]), "%s", text);
        }
    }
}

SKILLLITE_API int sl_sandbox_probe(sl_sandbox_support *support, sl_error *err)
{
    sl_sandbox_policy pol;
    sl__cgroup cg;
    sl_error local;
    uint32_t action = SECCOMP_RET_ERRNO;

    if (support == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_probe: `support` must not be NULL");
    }
    memset(support, 0, sizeof(*support));
    support->available = sl__probe_namespaces() | SL_LAYER_RLIMITS | SL_LAYER_SCAN;
    if (!(support->available & SL_LAYER_USERNS)) {
        sl__probe_reason(support, SL_LAYER_USERNS,
                         "user namespaces are disabled: set kernel.unprivileged_userns_clone=1 "
                         "or, on Ubuntu 24.04, kernel.apparmor_restrict_unprivileged_userns=0");
    }
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0) {
        support->available |= SL_LAYER_NO_NEW_PRIVS;
    }
    if (syscall(__NR_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action) == 0) {
        support->available |= SL_LAYER_SECCOMP;
    } else {
        sl__probe_reason(support, SL_LAYER_SECCOMP,
                         "seccomp filters are unavailable: build the kernel with "
                         "CONFIG_SECCOMP_FILTER");
    }
    support->landlock_abi = sl__landlock_abi();
    if (support->landlock_abi > 0) {
        support->available |= SL_LAYER_LANDLOCK;
    } else {
        sl__probe_reason(support, SL_LAYER_LANDLOCK,
                         "Landlock is disabled: enable CONFIG_SECURITY_LANDLOCK and add "
                         "landlock to the lsm= boot parameter");
    }
    sl_sandbox_policy_init(&pol);
    if (sl__cgroup_create(&pol, &cg, &local) == SL_OK && cg.version != 0) {
        support->available |= SL_LAYER_CGROUP;
        support->cgroup_version = cg.version;
    } else {
        sl__probe_reason(support, SL_LAYER_CGROUP,
                         "no usable cgroup: delegate a cgroup v2 subtree with memory and pids "
                         "enabled (systemd-run --user -p Delegate=yes), or run as root with v1");
    }
    sl__cgroup_destroy(&cg);
    sl_error_clear(err);
    return SL_OK;
}

/* ------------------------------------------------------------------ skill runs --- */

/* Interpreter per language. Python runs with -B (no .pyc written into the skill folder)
 * and -s (no user site-packages); -I is not used because it also drops the script's
 * folder from sys.path, which skills use to import their own modules. */
static int sl__skill_argv(sl_language language, const char *script, char *exe, size_t size,
                          const char **argv, sl_error *err)
{
    const char *name;
    int n = 0;
    int rc;

    switch (language) {
    case SL_LANGUAGE_PYTHON: name = "python3"; break;
    case SL_LANGUAGE_NODE: name = "node"; break;
    case SL_LANGUAGE_BASH: name = "bash"; break;
    default:
        return sl__error(err, SL_ESKILL_LANGUAGE, "the skill's entry point language is "
                         "unknown; use a .py, .js or .sh script or a #! line");
    }
    rc = sl__resolve_program(name, exe, size, err);
    if (rc != SL_OK) {
        return rc;
    }
    argv[n++] = exe;
    if (language == SL_LANGUAGE_PYTHON) {
        argv[n++] = "-B";
        argv[n++] = "-s";
    }
    argv[n++] = script;
    argv[n] = NULL;
    return SL_OK;
}

SKILLLITE_API int sl_skill_run(const sl_skill *skill, const sl_sandbox_policy *policy,
                               const char *input_json, size_t input_len,
                               sl_sandbox_result *result, sl_error *err)
{
    sl_sandbox_policy pol;
    char exe[PATH_MAX];
    char script[PATH_MAX];
    const char *argv[6];
    const char *dir;
    const char *entry;
    int rc;

    if (result != NULL) {
        memset(result, 0, sizeof(*result));
    }
    if (skill == NULL || policy == NULL || result == NULL) {
        return sl__error(err, SL_EINVAL, "sl_skill_run: skill, policy and result must not be "
                         "NULL");
    }
    dir = sl_skill_dir(skill);
    entry = sl_skill_entry_point(skill);
    if (entry[0] == '\0' || dir[0] == '\0' || sl_skill_entry_path(skill)[0] == '\0') {
        return sl__error(err, SL_ESKILL_NO_ENTRY, "skill \"%s\" has no entry point to run; "
                         "add scripts/main.py (or .js, .sh) or set entry_point in SKILL.md",
                         sl_skill_name(skill));
    }
    pol = *policy;
    if (pol.work_dir != NULL && strcmp(pol.work_dir, dir) != 0) {
        return sl__error(err, SL_ESANDBOX_POLICY, "policy work_dir \"%s\" differs from the "
                         "skill folder \"%s\"; leave work_dir NULL for skill runs",
                         pol.work_dir, dir);
    }
    pol.work_dir = dir;
    if (pol.level >= 2) {
        /* The skill folder is at /skill inside; entry_point is relative to it. */
        if ((size_t)snprintf(script, sizeof(script), "/skill/%s", entry) >= sizeof(script)) {
            return sl__error(err, SL_ELIMIT, "entry point path is too long");
        }
    } else {
        snprintf(script, sizeof(script), "%s", sl_skill_entry_path(skill));
    }
    rc = sl__skill_argv(sl_skill_language(skill), script, exe, sizeof(exe), argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    return sl_sandbox_exec(&pol, argv, input_json, input_json != NULL ? input_len : 0, result,
                           err);
}
