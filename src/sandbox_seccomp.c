/* ============================================================= sandbox seccomp ===
 * The seccomp-bpf layer: a classic BPF program built before fork from the tables below and
 * installed in the child right before exec.
 *
 * The filter is a denylist (default action ALLOW). Python, node and bash use a broad and
 * changing set of syscalls (threads, epoll, io helpers, vDSO fallbacks), and an allowlist
 * would break them with every runtime or libc update. The filesystem and network are bounded
 * by the namespaces and Landlock. This layer removes the kernel interfaces that those layers
 * do not cover and that have a history of escapes: io_uring, ptrace, keyrings, BPF, nested
 * namespaces, the mount API, terminal injection and foreign syscall ABIs.
 *
 * Program shape:
 *   1. architecture check: any other audit arch (i386 `int 0x80` on x86_64) kills the process
 *   2. on x86_64, syscall numbers with the x32 bit set kill the process
 *   3. one block per table entry: compare the syscall number, then (for argument rules) load
 *      the low 32 bits of one argument and compare it. Every block that matched ends in RET.
 *   4. RET ALLOW
 *
 * NOTE: the blocks are tested one after another, so an allowed syscall walks the whole
 * program (157 instructions on x86_64). That cost about 0.13 us per syscall in a getppid()
 * loop on an x86_64 VM with the BPF JIT on; a binary search over syscall numbers would cut it.
 *
 * SECURITY: arguments are compared on their low 32 bits only, and only for syscalls whose
 * kernel parameter is 32 bits wide (clone flags are cut with lower_32_bits(), unshare rejects
 * high bits with EINVAL, ioctl cmd and personality are `unsigned int`, socket family and
 * protocol are `int`), so setting high bits cannot skip a rule.
 */

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SL__SECCOMP_ARCH AUDIT_ARCH_X86_64
/* Syscall numbers with this bit set select the x32 ABI, which shares the x86_64 audit arch. */
#define SL__SECCOMP_X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define SL__SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "skilllite.h: the seccomp filter supports x86_64 and aarch64 only; add this " \
    "architecture's AUDIT_ARCH_* value and syscall checks to src/sandbox_seccomp.c"
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "skilllite.h: the seccomp filter reads the low 32 bits of arguments at " \
    "little-endian offsets; add big-endian offsets to src/sandbox_seccomp.c"
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#endif
#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

/* Fallback numbers for syscalls that older kernel headers lack. Numbers from 424 on are the
 * same on every architecture (the unified syscall table since Linux 5.1). */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif

/* Namespace flags of clone() and unshare(). CLONE_NEWTIME (0x80) is only meaningful for
 * unshare() and clone3(): in clone() the low byte is the exit signal. */
#define SL__CLONE_NEWTIME 0x00000080u
#define SL__CLONE_NS_FLAGS                                                                  \
    ((uint32_t)(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |  \
                CLONE_NEWPID | CLONE_NEWNET))

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#define SL__NETLINK_ROUTE 0 /* NETLINK_ROUTE from <linux/netlink.h> */

/* Offsets into struct seccomp_data. */
#define SL__SECCOMP_NR_OFFSET ((uint32_t)offsetof(struct seccomp_data, nr))
#define SL__SECCOMP_ARCH_OFFSET ((uint32_t)offsetof(struct seccomp_data, arch))
#define SL__SECCOMP_ARG_LOW(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8u * (i)))

typedef struct sl__bpf {
    struct sock_filter *filter;
    unsigned short len;
    sl_allocator alloc;
} sl__bpf;

/* A syscall denied whatever its arguments. */
typedef struct sl__seccomp_deny {
    int nr;
    int err; /* errno returned to the caller */
} sl__seccomp_deny;

/* SECURITY: every entry names the threat it blocks. Syscalls that do not exist on one
 * architecture are guarded by #ifdef. */
static const sl__seccomp_deny sl__seccomp_denied[] = {
    /* io_uring performs I/O from kernel workers that seccomp does not filter, so it bypasses
       this filter, and it has been a steady source of kernel privilege escalations. */
    {__NR_io_uring_setup, EPERM},
    {__NR_io_uring_enter, EPERM},
    {__NR_io_uring_register, EPERM},

    /* Reading or writing another process's memory or state (ptrace, /proc/N/mem-like access,
       stealing its file descriptors, comparing its kernel objects, advising its memory). */
    {__NR_ptrace, EPERM},
    {__NR_process_vm_readv, EPERM},
    {__NR_process_vm_writev, EPERM},
    {__NR_pidfd_getfd, EPERM},
    {__NR_kcmp, EPERM},
    {__NR_process_madvise, EPERM},
    {__NR_move_pages, EPERM},    /* moves another process's pages between NUMA nodes */
    {__NR_migrate_pages, EPERM}, /* same, for all pages of a process */

    /* Kernel keyrings are not isolated by namespaces the way files are. */
    {__NR_keyctl, EPERM},
    {__NR_add_key, EPERM},
    {__NR_request_key, EPERM},

    /* Large attack surface interfaces: eBPF programs, performance counters (side channels),
       userfaultfd (turns kernel races into reliable exploits), fanotify. */
    {__NR_bpf, EPERM},
    {__NR_perf_event_open, EPERM},
    {__NR_userfaultfd, EPERM},
    {__NR_fanotify_init, EPERM},

    /* Kernel code, system state and devices: never a skill's business. */
    {__NR_kexec_load, EPERM},
#ifdef __NR_kexec_file_load
    {__NR_kexec_file_load, EPERM},
#endif
    {__NR_init_module, EPERM},
    {__NR_finit_module, EPERM},
    {__NR_delete_module, EPERM},
    {__NR_reboot, EPERM},
    {__NR_swapon, EPERM},
    {__NR_swapoff, EPERM},
    {__NR_acct, EPERM},
    {__NR_quotactl, EPERM},
    {__NR_quotactl_fd, EPERM},
    {__NR_syslog, EPERM}, /* kernel log: addresses and other processes' messages */
    {__NR_vhangup, EPERM},
    {__NR_settimeofday, EPERM},
    {__NR_clock_settime, EPERM},
    {__NR_adjtimex, EPERM},      /* NOTE: also denies read-only queries (modes == 0) */
    {__NR_clock_adjtime, EPERM}, /* the argument is a pointer, so seccomp cannot see modes */
#ifdef __NR_iopl
    {__NR_iopl, EPERM}, /* raw I/O port access */
#endif
#ifdef __NR_ioperm
    {__NR_ioperm, EPERM},
#endif
#ifdef __NR_modify_ldt
    {__NR_modify_ldt, EPERM}, /* 16-bit segments: a past source of kernel bugs */
#endif
#ifdef __NR_uselib
    {__NR_uselib, EPERM},
#endif
#ifdef __NR_lookup_dcookie
    {__NR_lookup_dcookie, EPERM},
#endif
#ifdef __NR_nfsservctl
    {__NR_nfsservctl, EPERM},
#endif

    /* File handles open any inode of a mounted filesystem by number, bypassing path checks
       (the "shocker" container escape). */
    {__NR_open_by_handle_at, EPERM},
    {__NR_name_to_handle_at, EPERM},

    /* Nested namespaces and the mount API: a payload that builds its own user namespace or
       mount tree regains capabilities and can undo the sandbox's view of the filesystem. */
    {__NR_setns, EPERM},
    {__NR_mount, EPERM},
    {__NR_umount2, EPERM},
    {__NR_pivot_root, EPERM},
    {__NR_chroot, EPERM},
    {__NR_open_tree, EPERM},
    {__NR_open_tree_attr, EPERM},
    {__NR_move_mount, EPERM},
    {__NR_fsopen, EPERM},
    {__NR_fsconfig, EPERM},
    {__NR_fsmount, EPERM},
    {__NR_fspick, EPERM},
    {__NR_mount_setattr, EPERM},

    /* clone3 passes its flags in a struct that seccomp cannot read. ENOSYS makes glibc and
       language runtimes fall back to clone(), whose flags the rule below checks. */
    {__NR_clone3, ENOSYS},
};

/* How an argument rule decides. */
enum {
    SL__ARG_DENY_IF_MASK = 1, /* deny when (low word & value[0]) != 0 */
    SL__ARG_DENY_IF_EQUAL,    /* deny when the low word equals one of the values */
    SL__ARG_ALLOW_IF_EQUAL    /* allow when the low word equals one of the values, else deny */
};

#define SL__SECCOMP_MAX_VALUES 4

/* A syscall whose verdict depends on the low 32 bits of one argument. */
typedef struct sl__seccomp_arg_rule {
    int nr;
    unsigned arg;  /* argument index, 0-5 */
    int kind;      /* SL__ARG_* */
    int err;       /* errno when denied */
    unsigned count; /* number of values used */
    uint32_t values[SL__SECCOMP_MAX_VALUES];
} sl__seccomp_arg_rule;

static const sl__seccomp_arg_rule sl__seccomp_arg_rules[] = {
    /* SECURITY: a nested user namespace gives the payload a full capability set over new
       namespaces, the entry point of most unprivileged kernel exploits; new mount, PID or
       network namespaces would let it rebuild its view of the system. Threads and fork use
       clone() without these flags and keep working. */
    {__NR_clone, 0, SL__ARG_DENY_IF_MASK, EPERM, 1, {SL__CLONE_NS_FLAGS, 0, 0, 0}},
    {__NR_unshare, 0, SL__ARG_DENY_IF_MASK, EPERM, 1,
     {SL__CLONE_NS_FLAGS | SL__CLONE_NEWTIME, 0, 0, 0}},

    /* SECURITY: TIOCSTI pushes characters into a terminal's input queue and TIOCLINUX can
       paste the console selection. With an inherited tty, either one runs commands in the
       host shell after the sandbox exits. */
    {__NR_ioctl, 1, SL__ARG_DENY_IF_EQUAL, EPERM, 2, {TIOCSTI, TIOCLINUX, 0, 0}},

    /* SECURITY: personality flags such as ADDR_NO_RANDOMIZE or READ_IMPLIES_EXEC weaken
       exploit mitigations for the payload and its children. Only the query (0xffffffff) and
       PER_LINUX (0) are allowed. */
    {__NR_personality, 0, SL__ARG_ALLOW_IF_EQUAL, EPERM, 2, {0u, 0xffffffffu, 0, 0}},
};

/* What socket() may create, by address family (argument 0). */
enum {
    SL__SOCKET_ALLOW = 1,
    SL__SOCKET_DENY,         /* return `err` */
    SL__SOCKET_NETLINK_ROUTE /* allow only protocol NETLINK_ROUTE (argument 2) */
};

typedef struct sl__seccomp_family {
    uint32_t family;
    int verdict; /* SL__SOCKET_* */
    int err;     /* errno for SL__SOCKET_DENY */
} sl__seccomp_family;

static const sl__seccomp_family sl__seccomp_families[] = {
    /* IPv4 and IPv6 stay: the network namespace contains them (loopback only unless the
       policy shares the host network). */
    {AF_INET, SL__SOCKET_ALLOW, 0},
    {AF_INET6, SL__SOCKET_ALLOW, 0},
    /* SECURITY: pathname Unix sockets reach host daemons (docker.sock, D-Bus, ssh-agent)
       through any bound path; socketpair() still works for local IPC. */
    {AF_UNIX, SL__SOCKET_DENY, EPERM},
    /* glibc's getaddrinfo and if_nameindex query interfaces over NETLINK_ROUTE; the other
       netlink protocols (audit, uevents, netfilter, ...) reach kernel subsystems. */
    {AF_NETLINK, SL__SOCKET_NETLINK_ROUTE, 0},
};
/* Every other family (AF_PACKET, AF_VSOCK, AF_KEY, AF_ALG, AF_BLUETOOTH, ...) fails as if the
 * kernel lacked it, which programs already handle. */
#define SL__SOCKET_DEFAULT_ERRNO EAFNOSUPPORT

/* ------------------------------------------------------------------ BPF emitter --- */

/* Emits instructions in two passes: the first (code == NULL) only counts them, so the second
 * writes into one exactly sized allocation. */
typedef struct sl__bpf_emitter {
    struct sock_filter *code;
    size_t len;
    size_t cap;
    int failed; /* nonzero after a jump offset or the length went out of range */
} sl__bpf_emitter;

static void sl__bpf_emit(sl__bpf_emitter *e, unsigned short code, uint32_t k, unsigned jt,
                         unsigned jf)
{
    struct sock_filter *insn;

    if (jt > 255 || jf > 255 || e->len >= BPF_MAXINSNS) {
        e->failed = 1;
        return;
    }
    if (e->code != NULL) {
        if (e->len >= e->cap) {
            e->failed = 1;
            return;
        }
        insn = &e->code[e->len];
        insn->code = code;
        insn->jt = (unsigned char)jt;
        insn->jf = (unsigned char)jf;
        insn->k = k;
    }
    e->len++;
}

#define SL__BPF_LOAD(e, offset) sl__bpf_emit((e), BPF_LD | BPF_W | BPF_ABS, (offset), 0, 0)
#define SL__BPF_RET(e, value) sl__bpf_emit((e), BPF_RET | BPF_K, (value), 0, 0)
#define SL__BPF_JEQ(e, value, jt, jf) \
    sl__bpf_emit((e), BPF_JMP | BPF_JEQ | BPF_K, (value), (jt), (jf))

static uint32_t sl__seccomp_errno(int err)
{
    return SECCOMP_RET_ERRNO | ((uint32_t)err & SECCOMP_RET_DATA);
}

/* Block: JEQ nr; RET ERRNO. */
static void sl__seccomp_emit_deny(sl__bpf_emitter *e, const sl__seccomp_deny *d)
{
    SL__BPF_JEQ(e, (uint32_t)d->nr, 0, 1);
    SL__BPF_RET(e, sl__seccomp_errno(d->err));
}

/* Block for an argument rule. Layout, with n values:
 *   0      JEQ nr, else skip the block
 *   1      LD low word of the argument
 *   2..    the comparisons (one JSET, or n JEQ)
 *   HIT    RET (the verdict when a comparison matched)
 *   MISS   RET (the verdict otherwise) */
static void sl__seccomp_emit_arg_rule(sl__bpf_emitter *e, const sl__seccomp_arg_rule *r)
{
    uint32_t deny = sl__seccomp_errno(r->err);
    unsigned compares = r->kind == SL__ARG_DENY_IF_MASK ? 1 : r->count;
    unsigned i;

    SL__BPF_JEQ(e, (uint32_t)r->nr, 0, compares + 3);
    SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(r->arg));
    if (r->kind == SL__ARG_DENY_IF_MASK) {
        sl__bpf_emit(e, BPF_JMP | BPF_JSET | BPF_K, r->values[0], 0, 1);
    } else {
        for (i = 0; i < compares; i++) {
            /* Jump to HIT on a match; the last comparison falls to MISS otherwise. */
            SL__BPF_JEQ(e, r->values[i], compares - 1 - i, i + 1 == compares ? 1 : 0);
        }
    }
    if (r->kind == SL__ARG_ALLOW_IF_EQUAL) {
        SL__BPF_RET(e, SECCOMP_RET_ALLOW);
        SL__BPF_RET(e, deny);
    } else {
        SL__BPF_RET(e, deny);
        SL__BPF_RET(e, SECCOMP_RET_ALLOW);
    }
}

/* Block for socket(). Layout, with m families:
 *   0          JEQ nr, else skip the block
 *   1          LD low word of argument 0 (the family)
 *   2..m+1     JEQ family_j -> its verdict slot
 *   m+2        RET ERRNO(default)
 *   slots      RET verdict (1 instruction), or for the NETLINK_ROUTE check:
 *              LD argument 2; JEQ NETLINK_ROUTE; RET ALLOW; RET ERRNO(EPROTONOSUPPORT) */
static void sl__seccomp_emit_socket(sl__bpf_emitter *e)
{
    const size_t m = SL__ARRAY_LEN(sl__seccomp_families);
    unsigned slot[SL__ARRAY_LEN(sl__seccomp_families)];
    unsigned pos = (unsigned)m + 3; /* first slot, relative to the block start */
    size_t j;

    for (j = 0; j < m; j++) {
        slot[j] = pos;
        pos += sl__seccomp_families[j].verdict == SL__SOCKET_NETLINK_ROUTE ? 4 : 1;
    }

    SL__BPF_JEQ(e, (uint32_t)__NR_socket, 0, pos - 1);
    SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(0));
    for (j = 0; j < m; j++) {
        unsigned here = (unsigned)j + 2;
        SL__BPF_JEQ(e, sl__seccomp_families[j].family, slot[j] - (here + 1), 0);
    }
    SL__BPF_RET(e, sl__seccomp_errno(SL__SOCKET_DEFAULT_ERRNO));

    for (j = 0; j < m; j++) {
        const sl__seccomp_family *f = &sl__seccomp_families[j];
        if (f->verdict == SL__SOCKET_ALLOW) {
            SL__BPF_RET(e, SECCOMP_RET_ALLOW);
        } else if (f->verdict == SL__SOCKET_DENY) {
            SL__BPF_RET(e, sl__seccomp_errno(f->err));
        } else {
            SL__BPF_LOAD(e, SL__SECCOMP_ARG_LOW(2));
            SL__BPF_JEQ(e, SL__NETLINK_ROUTE, 0, 1);
            SL__BPF_RET(e, SECCOMP_RET_ALLOW);
            SL__BPF_RET(e, sl__seccomp_errno(EPROTONOSUPPORT));
        }
    }
}

/* ----------------------------------------------------------------- build, install --- */

/* Emits the whole program: the architecture checks, one block per table entry, ALLOW. */
static void sl__seccomp_emit_program(sl__bpf_emitter *e)
{
    size_t i;

    /* SECURITY: the syscall number means something else under another ABI, so a filter
       written for x86_64 numbers must kill i386 (int 0x80) and x32 calls outright. */
    SL__BPF_LOAD(e, SL__SECCOMP_ARCH_OFFSET);
    SL__BPF_JEQ(e, SL__SECCOMP_ARCH, 1, 0);
    SL__BPF_RET(e, SECCOMP_RET_KILL_PROCESS);
    SL__BPF_LOAD(e, SL__SECCOMP_NR_OFFSET);
#ifdef SL__SECCOMP_X32_BIT
    sl__bpf_emit(e, BPF_JMP | BPF_JGE | BPF_K, SL__SECCOMP_X32_BIT, 0, 1);
    SL__BPF_RET(e, SECCOMP_RET_KILL_PROCESS);
#endif

    for (i = 0; i < SL__ARRAY_LEN(sl__seccomp_denied); i++) {
        sl__seccomp_emit_deny(e, &sl__seccomp_denied[i]);
    }
    for (i = 0; i < SL__ARRAY_LEN(sl__seccomp_arg_rules); i++) {
        sl__seccomp_emit_arg_rule(e, &sl__seccomp_arg_rules[i]);
    }
    sl__seccomp_emit_socket(e);
    SL__BPF_RET(e, SECCOMP_RET_ALLOW);
}

/* Builds the filter into `out`, allocated with the policy's allocator (NULL policy: the
 * default allocator); free it with sl__seccomp_release. The policy has no seccomp options
 * yet, so every run gets the same filter. Returns SL_OK, SL_ENOMEM or SL_ESANDBOX_SECCOMP. */
SL__SHARED int sl__seccomp_build(const sl_sandbox_policy *policy, sl__bpf *out, sl_error *err)
{
    sl__bpf_emitter e;

    memset(out, 0, sizeof(*out));
    out->alloc = sl__allocator_resolve(policy != NULL ? policy->alloc : NULL);

    memset(&e, 0, sizeof(e));
    sl__seccomp_emit_program(&e);
    if (e.failed != 0) {
        return sl__error_sys(err, SL_ESANDBOX_SECCOMP, "seccomp_build", 0,
                             "seccomp: the filter is longer than the BPF limit of %d "
                             "instructions or a jump is out of range; shorten the tables in "
                             "src/sandbox_seccomp.c", BPF_MAXINSNS);
    }

    e.cap = e.len;
    e.len = 0;
    e.code = (struct sock_filter *)sl__calloc(&out->alloc, e.cap, sizeof(*e.code));
    if (e.code == NULL) {
        return sl__error(err, SL_ENOMEM, "seccomp: out of memory for a %zu-instruction filter",
                         e.cap);
    }
    sl__seccomp_emit_program(&e);

    out->filter = e.code;
    out->len = (unsigned short)e.len;
    return SL_OK;
}

/* Frees the program; a zeroed or released program is accepted. */
SL__SHARED void sl__seccomp_release(sl__bpf *prog)
{
    if (prog == NULL || prog->filter == NULL) {
        return;
    }
    sl__free(&prog->alloc, prog->filter, (size_t)prog->len * sizeof(*prog->filter));
    prog->filter = NULL;
    prog->len = 0;
}

/* Installs the filter on the calling thread. Runs in the child between fork and exec, so it
 * only makes raw syscalls (async-signal-safe). Sets no_new_privs first, which the kernel
 * requires without CAP_SYS_ADMIN (setting it twice is harmless). Returns 0 or -errno. */
SL__SHARED int sl__seccomp_install(const sl__bpf *prog)
{
    struct sock_fprog fprog;

    if (prog == NULL || prog->filter == NULL || prog->len == 0) {
        return -EINVAL;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return -errno;
    }
    fprog.len = prog->len;
    fprog.filter = prog->filter;
    if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0) {
        return 0;
    }
    if (errno != ENOSYS) {
        return -errno;
    }
    /* Kernels before 3.17 only have the prctl interface. */
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) {
        return -errno;
    }
    return 0;
}
