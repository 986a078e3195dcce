/* ===================================================================== sandbox ===
 *
 * Runs a command (a skill's python, node or bash script, or any program) as a child
 * confined by the kernel, with the input on stdin and both outputs captured.
 *
 * Levels:
 *   1  no isolation, but the resource limits, the wall-clock timeout and a clean
 *      environment still apply.
 *   2  the sandbox: new user, mount, PID, network, IPC and UTS namespaces, a private
 *      read-only root, a size-capped tmpfs as the only writable place, seccomp-bpf,
 *      Landlock, no capabilities, no_new_privs, resource limits and a cgroup.
 *   3  level 2 after the static scanner's gate. Every spawn first scans work_dir. Findings
 *      at or above high run only when the policy's `confirm` callback approves them, and
 *      critical ones also need `allow_critical` (see sl_scan_gate).
 *
 * Fail closed: when the kernel refuses a layer that the level needs, spawning fails with
 * the layer's SL_ESANDBOX_* code and a message that names the layer and the likely fix.
 * A layer is skipped only when the policy waives it by name (`waive_layers`), and every
 * result lists the layers that were active.
 *
 * Two ways to run:
 *   blocking      sl_sandbox_exec() returns when the run is over.
 *   non-blocking  sl_sandbox_spawn(), then sl_sandbox_poll() from the host's own loop; the
 *                 fd from sl_sandbox_fd() becomes readable whenever poll can make progress,
 *                 so a game or editor can add it to its own poll/epoll set.
 *
 * Thread safety: a policy is read-only during a spawn; a run object belongs to one thread
 * at a time. Spawning from several threads at once is safe.
 */

/* Isolation layers, as bits of sl_sandbox_result.layers and sl_sandbox_policy.waive_layers. */
#define SL_LAYER_USERNS (1u << 0)
#define SL_LAYER_MOUNTNS (1u << 1)
#define SL_LAYER_PIDNS (1u << 2)
#define SL_LAYER_NETNS (1u << 3)
#define SL_LAYER_IPCNS (1u << 4)
#define SL_LAYER_UTSNS (1u << 5)
#define SL_LAYER_SECCOMP (1u << 6)
#define SL_LAYER_LANDLOCK (1u << 7)
#define SL_LAYER_CGROUP (1u << 8)
#define SL_LAYER_RLIMITS (1u << 9)
#define SL_LAYER_NO_NEW_PRIVS (1u << 10)
#define SL_LAYER_SCAN (1u << 11)
#define SL_LAYER_COUNT 12

/* Returns the short name of one layer bit ("userns", "seccomp", ...), or "unknown". */
SKILLLITE_API const char *sl_sandbox_layer_name(unsigned layer);

/* Writes the names of the layers in `layers` separated by spaces into `out` (always
 * NUL-terminated, truncated to `size`). Returns `out`. */
SKILLLITE_API char *sl_sandbox_layers_str(unsigned layers, char *out, size_t size);

/* Which limit ended a run, for a host to switch on. */
typedef enum sl_sandbox_limit {
    SL_LIMIT_NONE = 0,      /* the command ended by itself (exit or its own signal) */
    SL_LIMIT_TIMEOUT = 1,   /* wall-clock timeout */
    SL_LIMIT_CPU = 2,       /* CPU time (RLIMIT_CPU) */
    SL_LIMIT_MEMORY = 3,    /* memory: the cgroup's OOM killer acted */
    SL_LIMIT_PIDS = 4,      /* process/thread count: a fork failed at the cgroup's pids.max */
    SL_LIMIT_OUTPUT = 5,    /* captured output over its cap with kill_on_output_limit set */
    SL_LIMIT_FILE_SIZE = 6, /* RLIMIT_FSIZE (SIGXFSZ) or the output quota, which is also
                               reported for a run that exited by itself */
    SL_LIMIT_KILLED = 7     /* the host called sl_sandbox_kill() */
} sl_sandbox_limit;

/* Returns "none", "timeout", "cpu", "memory", "pids", "output", "file_size" or "killed". */
SKILLLITE_API const char *sl_sandbox_limit_name(int limit);

/* Everything a run may do. Fill with sl_sandbox_policy_init(), then edit. String arrays
 * are NULL-terminated and only read during the spawn call. Spawning rejects a value outside
 * its documented range with SL_ESANDBOX_POLICY and a message that names the field and the
 * range. */
typedef struct sl_sandbox_policy {
    int level;                     /* 1, 2 or 3; default 2 */

    /* Limits. None of them can be 0: each must be at least the minimum given here. */
    uint32_t timeout_ms;           /* wall clock, >= 1; default 30000 */
    uint32_t cpu_seconds;          /* RLIMIT_CPU, >= 1; default 30 */
    uint64_t memory_bytes;         /* cgroup memory limit, else RLIMIT_DATA; >= 1 MiB; default
                                      512 MiB. With the cgroup, the kernel's OOM killer ends the
                                      run (SL_LIMIT_MEMORY). With RLIMIT_DATA only, allocations
                                      fail with ENOMEM and the payload decides what happens
                                      (python raises MemoryError, node throws or aborts), so `limit`
                                      stays SL_LIMIT_NONE */
    uint32_t max_processes;        /* cgroup pids.max, else RLIMIT_NPROC; >= 1; default 64.
                                      A run whose fork fails at the cgroup's pids.max is killed
                                      at the next 250 ms check (SL_LIMIT_PIDS) */
    uint32_t max_open_files;       /* RLIMIT_NOFILE, 4 to 1048576; default 256 */
    uint64_t max_file_bytes;       /* RLIMIT_FSIZE: size of any one file, >= 1; default
                                      64 MiB. At level 1 with output_dir set, the smaller of
                                      this and output_quota_bytes applies */
    uint64_t tmpfs_bytes;          /* size of the private /tmp and /dev/shm, >= 1 (tmpfs reads
                                      0 as unlimited); default 64 MiB */
    size_t stdout_max;             /* bytes of stdout kept, 1 to 1 GiB; default 1 MiB */
    size_t stderr_max;             /* bytes of stderr kept, 1 to 1 GiB; default 1 MiB */
    int kill_on_output_limit;      /* 1: kill the run when an output passes its cap; default 0
                                      (the rest is read and dropped; `*_truncated` is set) */

    /* Filesystem. Paths are host paths. */
    const char *work_dir;          /* bound read-only at /skill and used as the cwd; may be NULL */
    const char *output_dir;        /* optional host folder that receives what the run
                                      writes to /output; see "Output folder" below */
    uint64_t output_quota_bytes;   /* bytes the run may write to output_dir, >= 1; default
                                      64 MiB. See "Output folder" below */
    const char *const *read_only_paths;  /* extra host paths bound read-only at the same path */
    const char *const *read_write_paths; /* extra host paths bound read-write at the same path */

    /* Network. */
    int network;                   /* 0 (default): no network. At level 2 an empty network
                                      namespace with loopback only, no DNS (names resolve from
                                      /etc/hosts), and with Landlock ABI 4+ TCP bind and
                                      connect fail with EACCES, also on 127.0.0.1. UDP and
                                      Unix socketpairs keep working. Level 1 has no network
                                      isolation at all.
                                      1: share the host's network namespace, DNS and TLS
                                      certificates; no TCP denial */
    const char *const *allowed_domains; /* must be NULL: the domain allowlist is not
                                      implemented yet */

    /* Processes. */
    int allow_subprocess;          /* 1: the payload may exec other programs (a bash script
                                      always may run the system's command folders); default 0.
                                      Enforced by Landlock at level 2 only */

    /* Identity. -1 picks the default: the caller's uid/gid, or nobody (65534) when the caller
       is root, because the payload must never be host uid 0. Only a root caller may pick
       another id. The payload sees the same number inside the user namespace. */
    int64_t uid;
    int64_t gid;

    /* Environment: empty plus PATH, HOME=/tmp, TMPDIR=/tmp, LANG=C.UTF-8, then
       SKILLLITE_SKILL_DIR (/skill, or work_dir at level 1) when work_dir is set and
       SKILLLITE_OUTPUT_DIR (/output, or output_dir at level 1) when output_dir is set,
       then these. */
    const char *const *env_pass;   /* names copied from the host environment when set */
    const char *const *env_set;    /* "NAME=value" entries */

    unsigned waive_layers;         /* SL_LAYER_SECCOMP, _LANDLOCK and _CGROUP bits that may be
                                      missing at level 2 (a waived layer still runs when it
                                      works); the namespaces are one unit and cannot be waived */

    const sl_allocator *alloc;     /* NULL: default allocator */
    sl_log_fn log;                 /* optional diagnostics */
    void *log_user;

    int use_cgroup;                /* 1 (default): put the run in a cgroup when one is usable.
                                      0: never, so memory and processes fall back to
                                      RLIMIT_DATA and RLIMIT_NPROC and `layers` lacks
                                      SL_LAYER_CGROUP, also at level 2 */

    /* Level 3: the static scanner's gate runs on work_dir before the run (required then).
     * Findings at or above high need `confirm` to return 1 (NULL blocks them), and critical
     * findings also need `allow_critical`. See sl_scan_gate in the scan module.
     * NOTE: approving findings does not widen the sandbox: a confirmed skill that runs
     * subprocesses still needs `allow_subprocess`, and one that uses the network `network`. */
    sl_scan_confirm_fn confirm;
    void *confirm_user;
    int allow_critical;            /* 1: critical findings may run when confirm() approves */
    const sl_scanner *scanner;     /* NULL: the built-in rules */
    sl_scan_registry *scan_registry; /* with scan_id: the registry that issued it */
    const char *scan_id;           /* an earlier scan's id: the run proceeds only when the
                                      files still hash the same (SL_ESCAN_MISMATCH otherwise).
                                      It does not replace confirmation, and any gate decision,
                                      a block included, uses it up (SL_ESCAN_EXPIRED after) */
} sl_sandbox_policy;

/* Output folder. Level 2 (and 3): /output starts EMPTY inside the sandbox. It is a private
 * tmpfs of output_quota_bytes (rounded down to whole pages, at least one page; at most
 * 16384 files and folders; nosuid, nodev, noexec), so a write past the quota fails with
 * ENOSPC inside the run, and its pages count against the run's memory limit. The host
 * disk never receives more than the quota. After every process of the run has ended, the
 * spawner copies the tree into output_dir with the payload's file system identity (the
 * caller's own, or for a root caller the payload's uid and gid, so host permissions apply
 * as they would to the payload and the files are not owned by root): folders and regular
 * files only, files with mode 0644 and folders 0755 (minus the umask). The run cannot read
 * or delete what output_dir held before. It can only add files or overwrite files of the
 * same name that its user may write. A skill that needs input files gets them through
 * work_dir or read_only_paths. The copy runs inside sl_sandbox_poll (or sl_sandbox_exec)
 * when the run ends.
 *
 * The copy skips, and counts in output_entries_skipped: symbolic links, FIFOs, sockets and
 * device nodes; entries nested deeper than 64 folders; entries past the first 65536; a file
 * whose size exceeds what is left of output_quota_bytes (hard links and sparse files can
 * make the copy larger than the tmpfs); a name where output_dir already has a symbolic link
 * (never followed), a folder where the run wrote a file, a file where the run made a folder
 * (with everything in it), a FIFO or device, or a file with other hard links; and a file or
 * folder the run made unreadable. A run that was not reaped (sl_sandbox_free before the
 * end) copies nothing.
 *
 * SL_LIMIT_FILE_SIZE is reported, when no other limit ended the run, if at the end the tmpfs
 * was full up to at most one page or had no inode left, or if the quota or an entry bound
 * left something out of the copy.
 * A write that failed with ENOSPC does not stop the run by itself.
 *
 * Level 1 has no mount namespace: the payload writes to output_dir directly. RLIMIT_FSIZE
 * stops any single file at the quota (SIGXFSZ, SL_LIMIT_FILE_SIZE), and the total is only
 * measured after the run (the spawner measures the folder before it too), so a level 1 run
 * can put more than the quota on the disk. A run over the quota gets SL_LIMIT_FILE_SIZE,
 * and what it wrote is kept. A measurement walks the folder without following symbolic
 * links or crossing into other mounts, and adds, per entry, the larger of the apparent size
 * and the allocated blocks. A walk that meets more than 65536 entries, a tree deeper than
 * 64 folders or a folder it cannot open counts as over the quota. Before the run, such a
 * folder fails the spawn with SL_ESANDBOX_POLICY instead. */

/* Fills `policy` with the defaults documented above. */
SKILLLITE_API void sl_sandbox_policy_init(sl_sandbox_policy *policy);

/* Outcome of a run. Outputs are NUL-terminated (the NUL is not counted) and owned by the
 * result; free them with sl_sandbox_result_free(). */
typedef struct sl_sandbox_result {
    int exited;                    /* 1 when the command exited normally */
    int exit_code;                 /* its exit status when `exited` */
    int signal;                    /* the terminating signal, 0 when `exited` */
    int limit;                     /* an sl_sandbox_limit: which limit ended the run */

    char *stdout_data;
    size_t stdout_len;
    int stdout_truncated;          /* 1 when stdout passed stdout_max and was cut */
    char *stderr_data;
    size_t stderr_len;
    int stderr_truncated;

    uint64_t wall_ns;              /* from spawn to the end of the run */
    uint64_t cpu_ns;               /* user + system CPU time of the run's processes. Level 2
                                      counts every process of the run, also after a kill
                                      (unless init missed its 200 ms grace and was killed).
                                      Level 1 counts the payload and the children it waited
                                      for, not those killed with it */
    uint64_t peak_memory_bytes;    /* cgroup peak, else the largest child's max RSS */
    unsigned layers;               /* SL_LAYER_* bits that were active */
    int landlock_abi;              /* Landlock ABI used, 0 when none */
    uint64_t output_bytes_written; /* level 2: bytes copied into output_dir. Level 1: bytes
                                      the run added under output_dir (after minus before, 0
                                      when it shrank). 0 without output_dir */

    const sl_allocator *alloc;     /* allocator of the outputs: the policy's pointer, which
                                      must stay valid until sl_sandbox_result_free */

    uint32_t output_files_written;   /* level 2: regular files copied into output_dir
                                        completely; 0 at level 1 */
    uint32_t output_entries_skipped; /* level 2: entries of /output that the copy left out
                                        (see "Output folder"); 0 at level 1 */
} sl_sandbox_result;

/* Frees the outputs and zeroes the result. NULL does nothing. */
SKILLLITE_API void sl_sandbox_result_free(sl_sandbox_result *result);

/* Runs `argv` (argv[0] is an absolute path or a name looked up in PATH) under `policy`
 * with `input` on stdin, and waits for the end. Returns SL_OK when the command ran, even if
 * it failed or a limit ended it (see `result`). Otherwise `err` is filled, `result` is
 * zeroed, and the code is one of: SL_EINVAL; SL_ESANDBOX_POLICY (a policy value out of
 * range); another SL_ESANDBOX_* code (a layer the kernel rejected); SL_ENOMEM; and at
 * level 3 the gate's SL_ESCAN_BLOCKED (findings not confirmed) or SL_ESCAN_EXPIRED and
 * SL_ESCAN_MISMATCH (a stale scan id). */
SKILLLITE_API int sl_sandbox_exec(const sl_sandbox_policy *policy, const char *const *argv,
                                  const void *input, size_t input_len,
                                  sl_sandbox_result *result, sl_error *err);

/* A run in progress (non-blocking API). */
typedef struct sl_sandbox_run sl_sandbox_run;

/* Starts `argv` under `policy` and returns at once; the input is copied. Returns SL_OK with
 * `*run` set, or one of sl_sandbox_exec's errors when it is found before the children
 * exist. Those are the policy check, the level 3 gate, a program not found, planning, and
 * the parent's part of the setup (clone, uid and gid maps, the run's cgroup). The call does
 * not wait for the payload's execve, so sl_sandbox_poll reports the child's setup failures,
 * with the same code, stage and message that sl_sandbox_exec returns for them. Input
 * written before the payload's execve waits in the stdin pipe. */
SKILLLITE_API int sl_sandbox_spawn(const sl_sandbox_policy *policy, const char *const *argv,
                                   const void *input, size_t input_len,
                                   sl_sandbox_run **run, sl_error *err);

/* Returns a file descriptor, owned by the run, that becomes readable when sl_sandbox_poll()
 * can make progress: the setup ended, output arrived, the command ended or the deadline
 * passed. */
SKILLLITE_API int sl_sandbox_fd(const sl_sandbox_run *run); /* -1 for a NULL run */

/* Advances the run, waiting at most `timeout_ms` (0: do not wait, -1: until the end).
 * Returns SL_EAGAIN while it is running and SL_OK once it has ended, after which
 * sl_sandbox_take_result() hands over the result. Other codes end the run:
 *   SL_EINVAL            NULL run
 *   SL_ESANDBOX_SPAWN    a system call of the host side failed (`err` names it)
 *   SL_ESANDBOX_*        the child's setup failed at that layer (SL_ESANDBOX_EXEC for
 *                        execve), with `err` naming the stage and the fix
 *   SL_ETIMEOUT          the setup was not over by the deadline
 * After a setup failure the children are killed and reaped, and every later poll returns
 * the same code and message. There is no result (SL_ESTATE), and the host frees the run.
 * A run killed by sl_sandbox_kill() during its setup ends with SL_OK and SL_LIMIT_KILLED. */
SKILLLITE_API int sl_sandbox_poll(sl_sandbox_run *run, int timeout_ms, sl_error *err);

/* Ends the run by killing every process of it. At level 2 the sandbox's init kills and reaps
 * them, so their CPU time is counted, and after 200 ms the spawner kills init itself. The
 * next polls report the end with SL_LIMIT_KILLED. */
SKILLLITE_API void sl_sandbox_kill(sl_sandbox_run *run);

/* Moves the finished run's result into `result`. Returns SL_OK, SL_ESTATE while running
 * or after a setup failure, or SL_EINVAL for a NULL argument. */
SKILLLITE_API int sl_sandbox_take_result(sl_sandbox_run *run, sl_sandbox_result *result);

/* Kills the run if it is still going, reaps it and frees everything. NULL does nothing. */
SKILLLITE_API void sl_sandbox_free(sl_sandbox_run *run);

/* What this kernel offers, for `skilllite status` and for hosts that want to decide early. */
typedef struct sl_sandbox_support {
    unsigned available;            /* SL_LAYER_* bits the kernel offers to this process */
    int landlock_abi;              /* highest Landlock ABI, 0 when none */
    int cgroup_version;            /* 2, 1, or 0 when no usable cgroup */
    char reasons[SL_LAYER_COUNT][160]; /* for each missing layer: why, and how to enable it */
} sl_sandbox_support;

/* Probes the kernel (forks a short-lived child for the namespace checks). Returns SL_OK
 * with `support` filled, or SL_EINVAL for a NULL `support`. */
SKILLLITE_API int sl_sandbox_probe(sl_sandbox_support *support, sl_error *err);

/* Runs `skill`'s entry point with its interpreter (python3, node or bash, looked up in
 * PATH) under `policy`, with `input_json` on stdin. `skill`, `policy` and `result` must
 * not be NULL (SL_EINVAL). The skill folder becomes the policy's work_dir (read-only at
 * /skill); a policy with another work_dir is rejected. At level 3 the scanner's gate reads
 * the whole skill folder first (see sl_sandbox_policy.confirm). Returns as
 * sl_sandbox_exec, plus SL_ESKILL_NO_ENTRY when the skill has no entry point and
 * SL_ESKILL_LANGUAGE when its language is unknown. */
SKILLLITE_API int sl_skill_run(const sl_skill *skill, const sl_sandbox_policy *policy,
                               const char *input_json, size_t input_len,
                               sl_sandbox_result *result, sl_error *err);

/* ---------------------------------------------------------------- warm pool --- */

/* A warm pool of level 2 sandboxes, for hosts that run many commands under one policy.
 *
 * Each entry is a sandbox built ahead of time: fresh user, mount, PID, network, IPC and UTS
 * namespaces, its own root with a fresh tmpfs /tmp and a fresh /proc, its own cgroup, and a
 * payload process that has dropped every capability, set no_new_privs and installed the
 * seccomp filter, and now waits on a control socket. sl_sandbox_pool_spawn() sends it argv
 * and the environment; the payload enforces Landlock for that program and execs it. An
 * entry serves exactly ONE run and is then discarded; nothing of one run is visible to the
 * next. The run object is an ordinary one: poll, kill, take the result and free it with the
 * sl_sandbox_* calls above.
 *
 * Every run of a pool uses the template policy given at creation: the same work_dir,
 * output_dir, extra paths, network setting, limits and environment rules. A host that needs
 * another shape (another work_dir, say) uses another pool or sl_sandbox_spawn(). With
 * output_dir, every entry mounts its own empty /output tmpfs, and the run copies it into
 * output_dir at the end exactly as a cold run does (see "Output folder"). A program
 * that the entries cannot see (outside the system folders and not named in
 * `programs`) runs through a cold sl_sandbox_spawn() with the template policy, and
 * `cold_runs` in the stats counts it.
 *
 * Refilling: no thread is created. sl_sandbox_pool_refill() replaces used and dead entries
 * without waiting for them to become ready; sl_sandbox_pool_spawn() calls it after handing
 * the run to an entry when `refill_on_spawn` is set. sl_sandbox_pool_fd() becomes readable when an
 * entry became ready or died, so a host can call sl_sandbox_pool_refill() from its own loop.
 *
 * Security: an idle entry holds no host fd, only the pipes and the control socket the pool
 * made for it; it is non-dumpable, dies with the thread that started it (PR_SET_PDEATHSIG,
 * as a cold run does) and is killed by sl_sandbox_pool_free(). Its cgroup is removed then.
 * NOTE: an entry's CPU time and peak memory include its own preparation (about 1 ms of CPU
 * and a few hundred KiB).
 * NOTE: the pool finds the host's cgroup hierarchies (and removes run cgroups that dead
 * processes left behind) once, for its first entry. A host that later moves itself into
 * another cgroup keeps getting run cgroups under the old parent until it makes a new pool.
 *
 * Thread safety: a pool belongs to one thread at a time. */
typedef struct sl_sandbox_pool sl_sandbox_pool;

typedef struct sl_sandbox_pool_config {
    const sl_sandbox_policy *policy; /* template, level 2 or 3; required. Copied, but the
                                        strings and arrays it points to must stay valid until
                                        sl_sandbox_pool_free */
    unsigned size;                   /* entries kept ready, 1 to 64; default 2 */
    const char *const *programs;     /* optional, NULL-terminated: programs (PATH names or
                                        paths) outside the system folders, for example a
                                        pyenv python, whose install prefix every entry binds
                                        read-only so that pooled runs can exec them */
    int refill_on_spawn;             /* 1 (default): sl_sandbox_pool_spawn starts the
                                        replacement entry after handing the run over. 0:
                                        only sl_sandbox_pool_refill does */
} sl_sandbox_pool_config;

/* Counters of a pool, for hosts and tests. */
typedef struct sl_sandbox_pool_stats {
    unsigned ready;                  /* entries waiting for a run */
    unsigned starting;               /* entries still being prepared */
    uint64_t pooled_runs;            /* runs served by an entry */
    uint64_t cold_runs;              /* runs that fell back to sl_sandbox_spawn */
    uint64_t entries_started;
    uint64_t entries_lost;           /* entries that died or failed before use */
} sl_sandbox_pool_stats;

/* Fills `config` with the defaults above (policy NULL). */
SKILLLITE_API void sl_sandbox_pool_config_init(sl_sandbox_pool_config *config);

/* Creates a pool and prepares its entries, waiting until all are ready (at most the
 * template's timeout_ms), so that a layer the kernel refuses fails here with the same code
 * and message as a cold spawn would. Returns SL_OK with `*pool` set, SL_EINVAL, SL_ENOMEM,
 * SL_ESANDBOX_POLICY (a level 1 template, a size out of range, a program not found) or an
 * SL_ESANDBOX_* code. Free with sl_sandbox_pool_free(). */
SKILLLITE_API int sl_sandbox_pool_new(const sl_sandbox_pool_config *config,
                                      sl_sandbox_pool **pool, sl_error *err);

/* Starts `argv` in a ready entry with `input` on stdin (copied) and returns once the entry
 * has the request, without waiting for the payload's execve, like sl_sandbox_spawn(): the
 * failures of the payload's last steps (Landlock, execve) are reported by sl_sandbox_poll.
 * When no entry is ready it waits for one that is being prepared, and when none is, it runs
 * a cold sl_sandbox_spawn() with the template policy. Returns as sl_sandbox_spawn(). The run
 * does not depend on the pool: it may outlive it. */
SKILLLITE_API int sl_sandbox_pool_spawn(sl_sandbox_pool *pool, const char *const *argv,
                                        const void *input, size_t input_len,
                                        sl_sandbox_run **run, sl_error *err);

/* Collects entries that became ready or died, and starts new ones until `size` entries are
 * ready or starting. Never waits for an entry. Returns SL_OK, or the error of an entry whose
 * preparation failed (the entry is discarded; the next refill tries again). NULL does
 * nothing. */
SKILLLITE_API int sl_sandbox_pool_refill(sl_sandbox_pool *pool, sl_error *err);

/* Returns an fd that becomes readable when an entry became ready or died; then call
 * sl_sandbox_pool_refill(). Owned by the pool; -1 for NULL. */
SKILLLITE_API int sl_sandbox_pool_fd(const sl_sandbox_pool *pool);

/* Fills `stats`. NULL pool or stats does nothing. */
SKILLLITE_API void sl_sandbox_pool_get_stats(const sl_sandbox_pool *pool,
                                             sl_sandbox_pool_stats *stats);

/* Kills every idle or starting entry, reaps it, removes its cgroup and frees the pool. Runs
 * already handed out are not affected. NULL does nothing. */
SKILLLITE_API void sl_sandbox_pool_free(sl_sandbox_pool *pool);
