/* ================================================================ sandbox pool ===
 * The warm pool (see sandbox.h): entries prepared ahead of time, one run each.
 *
 * An entry is started like a cold level 2 run (sl__clone_child with a plan built from the
 * template), except that the plan has no program, and init forks a payload that runs
 * sl__child_pool_payload: it prepares everything that does not depend on the program,
 * writes "r" on its control socket, and waits for the request. The host side here keeps,
 * per entry, the pipes of the future run, the control socket, init's pid and the cgroup.
 * sl_sandbox_pool_spawn moves them into an ordinary sl_sandbox_run.
 *
 * States: EMPTY (slot free) -> STARTING (cloned; the plan is kept for error messages) ->
 * READY ("r" received; the plan is freed) -> EMPTY (handed to a run, or discarded).
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SL__POOL_SIZE_MAX 64u

enum { SL__ENTRY_EMPTY = 0, SL__ENTRY_STARTING, SL__ENTRY_READY };

typedef struct sl__pool_entry {
    int state;
    pid_t pid;             /* init of the entry's namespaces */
    int in_w, out_r, err_r, setup_r, status_r, ctrl;
    int output_r;          /* with output_dir: the socket on which init sends the /output
                              tmpfs; received at hand-over; else -1 */
    uid_t uid;             /* the payload's ids, which the copy out of /output uses */
    gid_t gid;
    sl__cgroup cgroup;
    int have_cgroup;
    unsigned layers;       /* the layers its plan set up (Landlock is added per run) */
    sl__plan *plan;        /* while STARTING: what error messages name */
} sl__pool_entry;

struct sl_sandbox_pool {
    sl_allocator alloc;
    sl_sandbox_policy policy;   /* the template (its strings belong to the caller) */
    unsigned size;
    int refill_on_spawn;
    sl__pool_entry *entries;
    sl__bpf bpf;                /* one seccomp program for every entry */
    int have_bpf;
    int landlock_abi;           /* 0 when Landlock is missing and waived */
    sl__cgroup_base cgroup_base; /* the hierarchies, discovered by the first entry */
    sl__arena arena;            /* program prefixes */
    const char **prefixes;
    size_t prefix_count;
    int epfd;
    sl_sandbox_pool_stats stats;
};

SKILLLITE_API void sl_sandbox_pool_config_init(sl_sandbox_pool_config *config)
{
    if (config == NULL) {
        return;
    }
    memset(config, 0, sizeof(*config));
    config->size = 2;
    config->refill_on_spawn = 1;
}

/* ---------------------------------------------------------------------- entries --- */

static void sl__pool_entry_reset(sl__pool_entry *entry)
{
    memset(entry, 0, sizeof(*entry));
    entry->in_w = entry->out_r = entry->err_r = entry->setup_r = entry->status_r = -1;
    entry->ctrl = entry->output_r = -1;
    entry->cgroup.procs_fd = -1;
    entry->cgroup.pids_procs_fd = -1;
}

static void sl__pool_plan_release(sl_sandbox_pool *pool, sl__pool_entry *entry)
{
    if (entry->plan != NULL) {
        sl__plan_free(entry->plan);
        sl__free(&pool->alloc, entry->plan, sizeof(*entry->plan));
        entry->plan = NULL;
    }
}

/* Kills the entry's init (the kernel then kills its whole namespace), reaps it, removes its
 * cgroup and frees the slot. */
static void sl__pool_entry_discard(sl_sandbox_pool *pool, sl__pool_entry *entry)
{
    if (entry->state == SL__ENTRY_EMPTY) {
        return;
    }
    if (entry->ctrl >= 0) {
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->ctrl, NULL);
    }
    if (entry->setup_r >= 0) {
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->setup_r, NULL);
    }
    if (entry->pid > 0) {
        kill(entry->pid, SIGKILL);
        while (waitpid(entry->pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    sl__close(&entry->in_w);
    sl__close(&entry->out_r);
    sl__close(&entry->err_r);
    sl__close(&entry->setup_r);
    sl__close(&entry->status_r);
    sl__close(&entry->ctrl);
    sl__close(&entry->output_r);
    if (entry->have_cgroup) {
        sl__cgroup_destroy(&entry->cgroup);
    }
    sl__pool_plan_release(pool, entry);
    sl__pool_entry_reset(entry);
}

/* Builds the plan of an entry: the template's whole sandbox, plus the prefixes of the
 * configured programs, and no program. On failure the plan is freed. */
static int sl__pool_plan_build(sl_sandbox_pool *pool, sl__plan *plan, sl_error *err)
{
    const sl_sandbox_policy *pol = &pool->policy;
    static const unsigned ro = SL__MOUNT_ATTR_RDONLY | SL__MOUNT_ATTR_NOSUID |
                               SL__MOUNT_ATTR_NODEV;
    size_t i;
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pol->alloc);
    plan->policy = pol;
    plan->level = 2;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->output_w = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->parent_pid = getpid();
    plan->cgroup_base = &pool->cgroup_base;
    plan->layers = SL_LAYER_RLIMITS | SL_LAYER_NO_NEW_PRIVS | SL_LAYER_USERNS |
                   SL_LAYER_MOUNTNS | SL_LAYER_PIDNS | SL_LAYER_IPCNS | SL_LAYER_UTSNS |
                   (pol->network ? 0 : SL_LAYER_NETNS);
    plan->bpf = pool->bpf;
    plan->have_bpf = pool->have_bpf;
    plan->bpf_borrowed = 1;
    if (plan->have_bpf) {
        plan->layers |= SL_LAYER_SECCOMP;
    }
    sl__plan_landlock_rights(plan, pool->landlock_abi);
    plan->cwd = pol->work_dir != NULL ? "/skill" : "/tmp";
    rc = sl__plan_ids(plan, err);
    if (rc == SL_OK) {
        rc = sl__plan_cgroup(plan, err);
    }
    if (rc == SL_OK) {
        sl__plan_limits(plan);
        rc = sl__plan_mounts(plan, err);
    }
    for (i = 0; rc == SL_OK && i < pool->prefix_count; i++) {
        rc = sl__plan_bind_host(plan, pool->prefixes[i], pool->prefixes[i], ro, err);
    }
    if (rc != SL_OK) {
        sl__cgroup_destroy(&plan->cgroup);
        sl__plan_free(plan);
    }
    return rc;
}

static int sl__pool_watch(sl_sandbox_pool *pool, int fd)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    return epoll_ctl(pool->epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* Creates the entry's control socket and, for a template with output_dir, the socket that
 * carries the /output tmpfs (as a cold spawn does). Returns SL_OK or an error; on failure
 * nothing stays open. */
static int sl__pool_entry_sockets(const sl_sandbox_pool *pool, int ctrl[2], int output[2],
                                  sl_error *err)
{
    int saved;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctrl) != 0 ||
        sl__fd_above_stdio(&ctrl[0]) != 0 || sl__fd_above_stdio(&ctrl[1]) != 0) {
        saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create a pool entry's control socket: %s",
                             strerror(saved));
    }
    if (pool->policy.output_dir != NULL && sl__output_socketpair(output) != 0) {
        saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "socketpair", saved,
                             "cannot create the socket that passes a pool entry's /output: "
                             "%s", strerror(saved));
    }
    return SL_OK;
}

/* Starts an entry in the free slot `entry`: plan, pipes, clone, id maps. Does not wait for
 * it to become ready. */
static int sl__pool_entry_start(sl_sandbox_pool *pool, sl__pool_entry *entry, sl_error *err)
{
    sl__spawn_pipes p;
    int ctrl[2] = {-1, -1};
    int output[2] = {-1, -1};
    sl__plan *plan;
    int rc;

    plan = (sl__plan *)sl__malloc(&pool->alloc, sizeof(*plan));
    if (plan == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a pool entry");
    }
    rc = sl__pool_plan_build(pool, plan, err);
    if (rc != SL_OK) {
        sl__free(&pool->alloc, plan, sizeof(*plan));
        return rc;
    }
    entry->plan = plan;
    entry->state = SL__ENTRY_STARTING;
    entry->cgroup = plan->cgroup;
    entry->have_cgroup = plan->have_cgroup; /* init joins it through the plan's fds */
    entry->layers = plan->layers;
    entry->uid = plan->uid;
    entry->gid = plan->gid;
    rc = sl__pipes_open(&p, 2, err);
    if (rc != SL_OK) {
        sl__pool_entry_discard(pool, entry);
        return rc;
    }
    rc = sl__pool_entry_sockets(pool, ctrl, output, err);
    if (rc != SL_OK) {
        sl__pipes_close(&p);
        sl__pool_entry_discard(pool, entry);
        return rc;
    }
    plan->output_w = output[1];
    plan->stdin_r = p.in[0];
    plan->stdout_w = p.out[1];
    plan->stderr_w = p.err[1];
    plan->setup_w = p.setup[1];
    plan->status_w = p.status[1];
    plan->sync_r = p.sync[0];
    plan->pool_ctrl = ctrl[1];
    entry->pid = sl__clone_child(plan);
    if (entry->pid < 0) {
        int saved = errno;
        sl__close(&ctrl[0]);
        sl__close(&ctrl[1]);
        sl__close(&output[0]);
        sl__close(&output[1]);
        sl__pipes_close(&p);
        entry->pid = 0;
        sl__pool_entry_discard(pool, entry);
        return sl__clone_error(saved, err);
    }
    pool->stats.entries_started++;
    entry->in_w = p.in[1];
    entry->out_r = p.out[0];
    entry->err_r = p.err[0];
    entry->setup_r = p.setup[0];
    entry->status_r = p.status[0];
    entry->ctrl = ctrl[0];
    entry->output_r = output[0];
    p.in[1] = p.out[0] = p.err[0] = p.setup[0] = p.status[0] = -1;
    sl__close(&ctrl[1]);
    sl__close(&output[1]);
    plan->pool_ctrl = -1;
    plan->output_w = -1;
    rc = sl__write_id_maps(plan, entry->pid, err);
    if (rc == SL_OK && sl__write_nosigpipe(p.sync[1], "g", 1) != 1) {
        rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "start init", errno,
                           "the sandbox init process of a pool entry died before setup: %s",
                           strerror(errno));
    }
    sl__pipes_close(&p);
    if (rc == SL_OK && (sl__pool_watch(pool, entry->ctrl) != 0 ||
                        sl__pool_watch(pool, entry->setup_r) != 0)) {
        rc = sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll_ctl", errno,
                           "cannot watch a pool entry: %s", strerror(errno));
    }
    if (rc != SL_OK) {
        sl__pool_entry_discard(pool, entry);
    }
    return rc;
}

/* Returns 1 when `fd` is readable now. */
static int sl__pool_readable(int fd)
{
    struct pollfd pfd;

    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    return poll(&pfd, 1, 0) > 0;
}

/* Advances one entry without waiting: STARTING becomes READY on "r"; an entry whose setup
 * pipe is readable failed or died, and is discarded. Returns SL_OK, or the setup error of a
 * STARTING entry. */
static int sl__pool_entry_check(sl_sandbox_pool *pool, sl__pool_entry *entry, sl_error *err)
{
    char c;
    int rc = SL_OK;

    if (entry->state == SL__ENTRY_EMPTY) {
        return SL_OK;
    }
    if (entry->state == SL__ENTRY_STARTING && recv(entry->ctrl, &c, 1, MSG_DONTWAIT) == 1 &&
        c == 'r') {
        entry->state = SL__ENTRY_READY;
        epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->ctrl, NULL);
        sl__pool_plan_release(pool, entry);
    }
    if (!sl__pool_readable(entry->setup_r)) {
        return SL_OK;
    }
    if (entry->state == SL__ENTRY_STARTING) {
        /* A report, or EOF when init died before its payload could say why. */
        rc = sl__wait_setup(entry->plan, entry->setup_r, sl_time_now_ns(), err);
        if (rc == SL_OK) {
            rc = sl__error(err, SL_ESANDBOX_SPAWN, "a pool entry ended during its setup "
                           "without a report; check the kernel log and the cgroup limits");
        }
    }
    pool->stats.entries_lost++;
    sl__pool_entry_discard(pool, entry);
    return rc;
}

SKILLLITE_API int sl_sandbox_pool_refill(sl_sandbox_pool *pool, sl_error *err)
{
    unsigned i;
    int first = SL_OK;

    if (pool == NULL) {
        return SL_OK;
    }
    for (i = 0; i < pool->size; i++) {
        sl__pool_entry *entry = &pool->entries[i];
        sl_error local;
        int rc = sl__pool_entry_check(pool, entry, &local);

        if (rc == SL_OK && entry->state == SL__ENTRY_EMPTY) {
            rc = sl__pool_entry_start(pool, entry, &local);
        }
        if (rc != SL_OK && first == SL_OK) {
            first = rc;
            if (err != NULL) {
                *err = local;
            }
        }
    }
    if (first == SL_OK) {
        sl_error_clear(err);
    }
    return first;
}

/* Waits until some entry is READY, or none is STARTING, or `deadline_ns`. Returns the index
 * of a ready entry, or -1. A setup error ends the wait with it in `*rc`. */
static int sl__pool_wait_ready(sl_sandbox_pool *pool, uint64_t deadline_ns, int *rc,
                               sl_error *err)
{
    for (;;) {
        struct epoll_event events[8];
        uint64_t now;
        int starting = 0;
        unsigned i;

        for (i = 0; i < pool->size; i++) {
            sl__pool_entry *entry = &pool->entries[i];

            *rc = sl__pool_entry_check(pool, entry, err);
            if (*rc != SL_OK) {
                return -1;
            }
            if (entry->state == SL__ENTRY_READY) {
                return (int)i;
            }
            starting += entry->state == SL__ENTRY_STARTING;
        }
        now = sl_time_now_ns();
        if (starting == 0 || now >= deadline_ns) {
            return -1;
        }
        epoll_wait(pool->epfd, events, 8, (int)((deadline_ns - now) / 1000000u) + 1);
    }
}

SKILLLITE_API int sl_sandbox_pool_fd(const sl_sandbox_pool *pool)
{
    return pool != NULL ? pool->epfd : -1;
}

SKILLLITE_API void sl_sandbox_pool_get_stats(const sl_sandbox_pool *pool,
                                             sl_sandbox_pool_stats *stats)
{
    unsigned i;

    if (pool == NULL || stats == NULL) {
        return;
    }
    *stats = pool->stats;
    stats->ready = 0;
    stats->starting = 0;
    for (i = 0; i < pool->size; i++) {
        stats->ready += pool->entries[i].state == SL__ENTRY_READY;
        stats->starting += pool->entries[i].state == SL__ENTRY_STARTING;
    }
}

SKILLLITE_API void sl_sandbox_pool_free(sl_sandbox_pool *pool)
{
    sl_allocator a;
    unsigned i;

    if (pool == NULL) {
        return;
    }
    a = pool->alloc;
    for (i = 0; pool->entries != NULL && i < pool->size; i++) {
        sl__pool_entry_discard(pool, &pool->entries[i]);
    }
    sl__free(&a, pool->entries, (size_t)pool->size * sizeof(*pool->entries));
    if (pool->have_bpf) {
        sl__seccomp_release(&pool->bpf);
    }
    sl__close(&pool->epfd);
    sl__arena_free(&pool->arena);
    sl__free(&a, pool, sizeof(*pool));
}

/* ----------------------------------------------------------------------- create --- */

/* Resolves the configured programs and keeps the install prefix of each one outside the
 * system folders. */
static int sl__pool_programs(sl_sandbox_pool *pool, const char *const *programs, sl_error *err)
{
    sl__plan scratch;
    size_t n = 0;
    size_t i;

    while (programs != NULL && programs[n] != NULL) {
        n++;
    }
    if (n == 0) {
        return SL_OK;
    }
    if (n > 16) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool programs lists %zu programs; name "
                         "at most 16", n);
    }
    pool->prefixes = (const char **)sl__arena_calloc(&pool->arena, n * sizeof(char *));
    if (pool->prefixes == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
    }
    memset(&scratch, 0, sizeof(scratch));
    scratch.arena = pool->arena;
    for (i = 0; i < n; i++) {
        char exe[PATH_MAX];
        const char *prefix;
        size_t j;
        int rc = sl__resolve_program(programs[i], exe, sizeof(exe), err);

        if (rc != SL_OK) {
            pool->arena = scratch.arena;
            return rc == SL_ESANDBOX_EXEC ? SL_ESANDBOX_POLICY : rc;
        }
        if (sl__path_is_system(exe)) {
            continue;
        }
        prefix = sl__program_prefix(&scratch, exe);
        if (prefix == NULL) {
            pool->arena = scratch.arena;
            return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
        }
        for (j = 0; j < pool->prefix_count && strcmp(pool->prefixes[j], prefix) != 0; j++) {
        }
        if (j == pool->prefix_count) {
            pool->prefixes[pool->prefix_count++] = prefix;
        }
    }
    pool->arena = scratch.arena;
    return SL_OK;
}

/* Builds what every entry shares: the seccomp program and the Landlock ABI, with the same
 * fail-closed rules as a cold spawn. */
static int sl__pool_layers(sl_sandbox_pool *pool, sl_error *err)
{
    const sl_sandbox_policy *pol = &pool->policy;
    sl_error local;
    int rc;

    rc = sl__seccomp_build(pol, &pool->bpf, &local);
    pool->have_bpf = rc == SL_OK;
    if (!pool->have_bpf && !(pol->waive_layers & SL_LAYER_SECCOMP)) {
        if (err != NULL) {
            *err = local;
        }
        return rc;
    }
    pool->landlock_abi = sl__landlock_abi();
    if (pool->landlock_abi <= 0 && !(pol->waive_layers & SL_LAYER_LANDLOCK)) {
        sl__landlock_spec spec;
        int fd;

        memset(&spec, 0, sizeof(spec));
        return sl__landlock_prepare(&spec, &fd, err); /* fails with the layer's message */
    }
    return SL_OK;
}

SKILLLITE_API int sl_sandbox_pool_new(const sl_sandbox_pool_config *config,
                                      sl_sandbox_pool **out, sl_error *err)
{
    sl_sandbox_pool *pool;
    sl_allocator a;
    uint64_t deadline;
    unsigned i;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (config == NULL || out == NULL || config->policy == NULL) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_pool_new: config, config->policy and "
                         "pool must not be NULL");
    }
    rc = sl__sandbox_policy_check(config->policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    if (config->policy->level < 2) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool policy level 1 has no sandbox to "
                         "prepare; use level 2 or 3, or sl_sandbox_spawn for level 1");
    }
    if (config->size == 0 || config->size > SL__POOL_SIZE_MAX) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool size %u is invalid; use 1 to %u "
                         "(default 2)", config->size, SL__POOL_SIZE_MAX);
    }
    if (config->refill_on_spawn != 0 && config->refill_on_spawn != 1) {
        return sl__error(err, SL_ESANDBOX_POLICY, "pool refill_on_spawn %d is invalid; use 0 "
                         "or 1", config->refill_on_spawn);
    }
    a = sl__allocator_resolve(config->policy->alloc);
    pool = (sl_sandbox_pool *)sl__calloc(&a, 1, sizeof(*pool));
    if (pool == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
    }
    pool->alloc = a;
    pool->policy = *config->policy;
    pool->size = config->size;
    pool->refill_on_spawn = config->refill_on_spawn;
    sl__cgroup_base_init(&pool->cgroup_base);
    pool->epfd = epoll_create1(EPOLL_CLOEXEC);
    sl__arena_init(&pool->arena, config->policy->alloc);
    pool->entries = (sl__pool_entry *)sl__calloc(&a, pool->size, sizeof(*pool->entries));
    if (pool->entries == NULL || pool->epfd < 0) {
        rc = pool->epfd < 0 ? sl__error_sys(err, SL_ESANDBOX_SPAWN, "epoll", errno,
                                            "cannot create the pool's epoll fd: %s",
                                            strerror(errno))
                            : sl__error(err, SL_ENOMEM, "out of memory while creating the pool");
        sl_sandbox_pool_free(pool);
        return rc;
    }
    for (i = 0; i < pool->size; i++) {
        sl__pool_entry_reset(&pool->entries[i]);
    }
    rc = sl__pool_layers(pool, err);
    if (rc == SL_OK) {
        rc = sl__pool_programs(pool, config->programs, err);
    }
    if (rc == SL_OK) {
        rc = sl_sandbox_pool_refill(pool, err);
    }
    /* Fail closed at creation: wait until every entry is ready or one reported an error. */
    deadline = sl_time_now_ns() + (uint64_t)pool->policy.timeout_ms * 1000000u;
    while (rc == SL_OK) {
        struct epoll_event events[8];
        sl_sandbox_pool_stats st;
        uint64_t now;

        for (i = 0; rc == SL_OK && i < pool->size; i++) {
            rc = sl__pool_entry_check(pool, &pool->entries[i], err);
        }
        sl_sandbox_pool_get_stats(pool, &st);
        now = sl_time_now_ns();
        if (rc != SL_OK || st.ready == pool->size) {
            break;
        }
        if (st.starting == 0) {
            rc = sl__error(err, SL_ESANDBOX_SPAWN, "pool entries died during their setup "
                           "without a report; check the kernel log");
        } else if (now >= deadline) {
            rc = sl__error_sys(err, SL_ETIMEOUT, "pool setup", ETIMEDOUT, "pool entries were "
                               "not ready within the %u ms timeout",
                               (unsigned)pool->policy.timeout_ms);
        } else {
            epoll_wait(pool->epfd, events, 8, (int)((deadline - now) / 1000000u) + 1);
        }
    }
    if (rc != SL_OK) {
        sl_sandbox_pool_free(pool);
        return rc;
    }
    *out = pool;
    sl_error_clear(err);
    return SL_OK;
}

/* ------------------------------------------------------------------------ spawn --- */

/* Sends the request to the entry's payload: the header with the Landlock ruleset fd, then
 * the strings. Returns 0 or -errno (EPIPE: the entry died). */
static int sl__pool_send(int ctrl, const sl__plan *plan, int landlock_fd, sl__arena *arena)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    sl__pool_request req;
    struct msghdr msg;
    struct iovec iov;
    size_t blob_len = strlen(plan->exe) + 1;
    size_t argc = 0;
    size_t envc = 0;
    size_t off = 0;
    size_t i;
    char *blob;
    ssize_t n;

    while (plan->argv[argc] != NULL) {
        blob_len += strlen(plan->argv[argc++]) + 1;
    }
    while (plan->envp[envc] != NULL) {
        blob_len += strlen(plan->envp[envc++]) + 1;
    }
    if (blob_len > SL__POOL_BLOB_MAX || argc > SL__POOL_STRINGS_MAX ||
        envc > SL__POOL_STRINGS_MAX) {
        return -E2BIG;
    }
    blob = (char *)sl__arena_alloc(arena, blob_len);
    if (blob == NULL) {
        return -ENOMEM;
    }
    memcpy(blob, plan->exe, strlen(plan->exe) + 1);
    off = strlen(plan->exe) + 1;
    for (i = 0; i < argc; i++) {
        memcpy(blob + off, plan->argv[i], strlen(plan->argv[i]) + 1);
        off += strlen(plan->argv[i]) + 1;
    }
    for (i = 0; i < envc; i++) {
        memcpy(blob + off, plan->envp[i], strlen(plan->envp[i]) + 1);
        off += strlen(plan->envp[i]) + 1;
    }
    req.magic = SL__POOL_MAGIC;
    req.argc = (uint32_t)argc;
    req.envc = (uint32_t)envc;
    req.blob_len = (uint32_t)blob_len;
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &req;
    iov.iov_len = sizeof(req);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (landlock_fd >= 0) {
        struct cmsghdr *cm;

        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &landlock_fd, sizeof(int));
    }
    do {
        n = sendmsg(ctrl, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(req)) {
        return n < 0 ? -errno : -EIO;
    }
    for (off = 0; off < blob_len;) {
        n = send(ctrl, blob + off, blob_len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : -EIO;
        }
        off += (size_t)n;
    }
    return 0;
}

/* The per-run part of a pooled spawn, before an entry is picked: program, argv, env and
 * the Landlock ruleset. Returns SL_OK, 1 when the program needs a cold spawn, or an error. */
static int sl__pool_run_plan(sl_sandbox_pool *pool, sl__plan *plan, const char *const *argv,
                             sl_error *err)
{
    char exe[PATH_MAX];
    size_t i;
    int rc;

    memset(plan, 0, sizeof(*plan));
    sl__arena_init(&plan->arena, pool->policy.alloc);
    plan->policy = &pool->policy;
    plan->level = 2;
    plan->landlock_fd = -1;
    plan->pool_ctrl = -1;
    plan->cgroup.procs_fd = -1;
    plan->cgroup.pids_procs_fd = -1;
    plan->cwd = pool->policy.work_dir != NULL ? "/skill" : "/tmp";
    rc = sl__resolve_program(argv[0], exe, sizeof(exe), err);
    if (rc != SL_OK) {
        return rc;
    }
    plan->exe = sl__arena_strndup(&plan->arena, exe, strlen(exe));
    if (plan->exe == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    if (!sl__path_is_system(plan->exe)) {
        plan->exe_prefix = sl__program_prefix(plan, plan->exe);
        for (i = 0; plan->exe_prefix != NULL && i < pool->prefix_count &&
                    strcmp(pool->prefixes[i], plan->exe_prefix) != 0;
             i++) {
        }
        if (plan->exe_prefix == NULL || i == pool->prefix_count) {
            return 1; /* not visible in the entries */
        }
    }
    if (sl__plan_argv(plan, argv) != SL_OK) {
        return sl__error(err, SL_ENOMEM, "out of memory while planning the sandbox");
    }
    rc = sl__plan_env(plan, err);
    if (rc == SL_OK && pool->landlock_abi > 0) {
        sl_error local;

        rc = sl__plan_landlock(plan, &local);
        if (rc == SL_OK) {
            plan->layers |= SL_LAYER_LANDLOCK;
        } else if (pool->policy.waive_layers & SL_LAYER_LANDLOCK) {
            rc = SL_OK;
            plan->landlock_abi = 0;
        } else if (err != NULL) {
            *err = local;
        }
    }
    return rc;
}

/* Hands `entry` the request and turns it into a run, which takes `plan` over on success
 * (allocated with the pool's allocator, which is the run's). On failure the entry is
 * discarded, and `*retry` is 1 when another entry may work (this one died before the request). */
static int sl__pool_start_run(sl_sandbox_pool *pool, sl__pool_entry *entry, sl__plan *plan,
                              sl_sandbox_run *run, int *retry, sl_error *err)
{
    int rc;

    *retry = 0;
    rc = sl__pool_send(entry->ctrl, plan, plan->landlock_fd, &plan->arena);
    if (rc != 0) {
        *retry = rc == -EPIPE || rc == -ECONNRESET;
        pool->stats.entries_lost += *retry;
        sl__pool_entry_discard(pool, entry);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "pool request", -rc,
                             "cannot hand the run to a pool entry: %s", strerror(-rc));
    }
    epoll_ctl(pool->epfd, EPOLL_CTL_DEL, entry->setup_r, NULL);
    run->pid = entry->pid;
    run->in_fd = entry->in_w;
    run->out_fd = entry->out_r;
    run->err_fd = entry->err_r;
    run->status_fd = entry->status_r;
    run->cgroup = entry->cgroup;
    run->have_cgroup = entry->have_cgroup;
    run->layers = entry->layers | (plan->layers & SL_LAYER_LANDLOCK) |
                  (pool->policy.level == 3 ? SL_LAYER_SCAN : 0u);
    run->landlock_abi = plan->layers & SL_LAYER_LANDLOCK ? plan->landlock_abi : 0;
    if (run->have_cgroup) {
        run->watch_at_ns = run->start_ns + SL__WATCH_NS;
    }
    /* The rest of the payload's setup (Landlock, execve) is followed by sl_sandbox_poll on
     * the setup pipe, as for a cold run. The request is queued on the control socket, where
     * it stays readable after this end is closed. init sent the /output tmpfs before it
     * forked the payload, which sent "r" after that, so that fd is queued too. */
    run->setup_fd = entry->setup_r;
    run->output_sock = entry->output_r;
    run->output.uid = entry->uid;
    run->output.gid = entry->gid;
    sl__plan_drop_fds(plan);
    run->setup_plan = plan;
    entry->setup_r = entry->output_r = -1;
    sl__close(&entry->ctrl);
    sl__pool_entry_reset(entry); /* the run owns the pid, the fds and the cgroup now */
    return sl__run_setup_poll(run, err);
}

/* Frees a per-run plan that no run took over. */
static void sl__pool_run_plan_free(sl_sandbox_pool *pool, sl__plan *plan)
{
    if (plan != NULL) {
        sl__plan_free(plan);
        sl__free(&pool->alloc, plan, sizeof(*plan));
    }
}

SKILLLITE_API int sl_sandbox_pool_spawn(sl_sandbox_pool *pool, const char *const *argv,
                                        const void *input, size_t input_len,
                                        sl_sandbox_run **out, sl_error *err)
{
    sl_sandbox_run *run = NULL;
    sl__plan *plan;
    int retry = 1;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (pool == NULL || out == NULL || (input == NULL && input_len > 0)) {
        return sl__error(err, SL_EINVAL, "sl_sandbox_pool_spawn: `pool` and `run` must not "
                         "be NULL, and `input` only NULL with length 0");
    }
    rc = sl__plan_check(&pool->policy, argv, err);
    if (rc != SL_OK) {
        return rc;
    }
    /* SECURITY: a level 3 template scans work_dir before every run, pooled or not. */
    rc = sl__sandbox_gate(&pool->policy, err);
    if (rc != SL_OK) {
        return rc;
    }
    /* On the heap: the run keeps the plan until its payload exec'd, to name a failed step. */
    plan = (sl__plan *)sl__malloc(&pool->alloc, sizeof(*plan));
    if (plan == NULL) {
        return sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    rc = sl__pool_run_plan(pool, plan, argv, err);
    if (rc == 1) {
        sl__pool_run_plan_free(pool, plan);
        pool->stats.cold_runs++;
        /* NOTE: at level 3 the cold spawn scans work_dir a second time. */
        return sl_sandbox_spawn(&pool->policy, argv, input, input_len, out, err);
    }
    if (rc == SL_OK && sl__run_new(&pool->policy, input, input_len, &run) != SL_OK) {
        rc = sl__error(err, SL_ENOMEM, "out of memory while starting a sandbox run");
    }
    if (rc == SL_OK) {
        run->start_ns = sl_time_now_ns();
        run->deadline_ns = run->start_ns + (uint64_t)pool->policy.timeout_ms * 1000000u;
        rc = sl__run_quota_start(run, &pool->policy, err);
    }
    while (rc == SL_OK && retry) {
        int index = sl__pool_wait_ready(pool, run->deadline_ns, &rc, err);

        if (rc != SL_OK) {
            break;
        }
        if (index < 0) {
            /* Nothing ready or coming: a cold spawn is the quickest way now (at level 3 it
               scans work_dir again). */
            sl__run_release(run);
            sl__pool_run_plan_free(pool, plan);
            pool->stats.cold_runs++;
            rc = sl_sandbox_spawn(&pool->policy, argv, input, input_len, out, err);
            if (pool->refill_on_spawn) {
                sl_sandbox_pool_refill(pool, NULL);
            }
            return rc;
        }
        rc = sl__pool_start_run(pool, &pool->entries[index], plan, run, &retry, err);
        if (run->setup_plan == plan) {
            plan = NULL; /* the run frees it */
        }
        if (rc != SL_OK && retry) {
            rc = SL_OK; /* that entry had died: take the next one */
            continue;
        }
        break;
    }
    sl__pool_run_plan_free(pool, plan);
    if (rc != SL_OK) {
        if (run != NULL) {
            sl__spawn_abort(run);
            sl__run_release(run);
        }
        return rc;
    }
    pool->stats.pooled_runs++;
    if (pool->refill_on_spawn) {
        sl_sandbox_pool_refill(pool, NULL);
    }
    sl_error_clear(err);
    *out = run;
    return SL_OK;
}
