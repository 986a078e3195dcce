/* ============================================================ sandbox landlock ===
 * The Landlock layer: a ruleset built before fork from host paths, enforced in the child
 * with landlock_restrict_self() after no_new_privs.
 *
 * Rules attach to inodes, not to path strings, so a path opened here on the host keeps
 * its rule when the same inode appears in the child through a bind mount at another place.
 *
 * The constants are defined here because the installed <linux/landlock.h> is often older
 * than the running kernel (Debian 12 ships ABI 2 headers). Values from the kernel's
 * include/uapi/linux/landlock.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444 /* unified syscall table, every architecture */
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

/* The highest ABI this code handles. ABI 7 only adds audit-log flags, ABI 8 thread sync.
 * TODO: ABI 9 adds a right for connecting to pathname Unix sockets; handle it once the
 * policy has a Unix socket option. */
#define SL__LANDLOCK_ABI_MAX 7

#define SL__LANDLOCK_CREATE_RULESET_VERSION (1u << 0)
#define SL__LANDLOCK_RULE_PATH_BENEATH 1
#define SL__LANDLOCK_RULE_NET_PORT 2

/* Filesystem rights, by the ABI that introduced them. */
#define SL__LL_FS_EXECUTE (1ull << 0)
#define SL__LL_FS_WRITE_FILE (1ull << 1)
#define SL__LL_FS_READ_FILE (1ull << 2)
#define SL__LL_FS_READ_DIR (1ull << 3)
#define SL__LL_FS_REMOVE_DIR (1ull << 4)
#define SL__LL_FS_REMOVE_FILE (1ull << 5)
#define SL__LL_FS_MAKE_CHAR (1ull << 6)
#define SL__LL_FS_MAKE_DIR (1ull << 7)
#define SL__LL_FS_MAKE_REG (1ull << 8)
#define SL__LL_FS_MAKE_SOCK (1ull << 9)
#define SL__LL_FS_MAKE_FIFO (1ull << 10)
#define SL__LL_FS_MAKE_BLOCK (1ull << 11)
#define SL__LL_FS_MAKE_SYM (1ull << 12)
#define SL__LL_FS_ABI1 ((1ull << 13) - 1)     /* bits 0-12 */
#define SL__LL_FS_REFER (1ull << 13)          /* ABI 2: link/rename across directories */
#define SL__LL_FS_TRUNCATE (1ull << 14)       /* ABI 3 */
#define SL__LL_FS_IOCTL_DEV (1ull << 15)      /* ABI 5: ioctl on character/block devices */

/* Rights that apply to a file as opposed to a directory; a rule on a non-directory may only
 * carry these, or landlock_add_rule fails with EINVAL. */
#define SL__LL_FS_FILE_RIGHTS                                                             \
    (SL__LL_FS_EXECUTE | SL__LL_FS_WRITE_FILE | SL__LL_FS_READ_FILE | SL__LL_FS_TRUNCATE | \
     SL__LL_FS_IOCTL_DEV)

/* Network rights (ABI 4) and scopes (ABI 6). */
#define SL__LL_NET_BIND_TCP (1ull << 0)
#define SL__LL_NET_CONNECT_TCP (1ull << 1)
#define SL__LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0)
#define SL__LL_SCOPE_SIGNAL (1ull << 1)

/* struct landlock_ruleset_attr as of ABI 6. Older kernels accept a larger size when the
 * extra fields are zero, but the size passed is still cut to the fields the ABI defines. */
typedef struct sl__landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
} sl__landlock_ruleset_attr;

/* struct landlock_path_beneath_attr is packed (12 bytes: u64 allowed_access, s32 parent_fd),
 * so it is assembled in a byte array instead of relying on a compiler attribute. */
#define SL__LANDLOCK_PATH_BENEATH_SIZE 12

typedef struct sl__landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
} sl__landlock_net_port_attr;

typedef struct sl__landlock_spec {
    const char *const *read_paths;  /* NULL-terminated; may be NULL */
    const char *const *write_paths;
    const char *const *exec_paths;
    int deny_tcp;                   /* 1: deny TCP bind and connect (ABI 4+) */
    int abi;                        /* from sl__landlock_abi(); 1..SL__LANDLOCK_ABI_MAX */
} sl__landlock_spec;

/* Returns the highest Landlock ABI that both the kernel and this code support, or 0 when
 * Landlock is missing or disabled. One syscall, nothing cached. */
SL__SHARED int sl__landlock_abi(void)
{
    long abi = syscall(__NR_landlock_create_ruleset, NULL, (size_t)0,
                       SL__LANDLOCK_CREATE_RULESET_VERSION);

    if (abi <= 0) {
        return 0;
    }
    return abi > SL__LANDLOCK_ABI_MAX ? SL__LANDLOCK_ABI_MAX : (int)abi;
}

/* Returns every filesystem right that `abi` defines. */
static uint64_t sl__landlock_fs_rights(int abi)
{
    uint64_t rights = SL__LL_FS_ABI1;

    if (abi >= 2) {
        rights |= SL__LL_FS_REFER;
    }
    if (abi >= 3) {
        rights |= SL__LL_FS_TRUNCATE;
    }
    if (abi >= 5) {
        rights |= SL__LL_FS_IOCTL_DEV;
    }
    return rights;
}

/* Adds one path rule. A missing path is skipped, because there is no inode to grant access
 * to. A symlink as the last component is rejected: a rule on it would cover the link itself,
 * and following it would let the link's owner choose what the rule covers. Returns SL_OK or
 * SL_ESANDBOX_LANDLOCK.
 * NOTE: symlinks in earlier components are followed; callers pass resolved paths. */
static int sl__landlock_add_path(int ruleset_fd, const char *path, uint64_t rights,
                                 sl_error *err)
{
    unsigned char attr[SL__LANDLOCK_PATH_BENEATH_SIZE];
    struct stat st;
    int32_t fd;
    int saved;

    fd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return SL_OK;
        }
        saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock: cannot open \"%s\" for a rule: %s; check that the "
                             "path is readable by the caller", path, strerror(saved));
    }
    if (fstat(fd, &st) != 0) {
        saved = errno;
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock: cannot stat \"%s\": %s", path, strerror(saved));
    }
    if (S_ISLNK(st.st_mode)) {
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", ELOOP,
                             "landlock: \"%s\" is a symbolic link; pass the resolved target "
                             "path (realpath) instead", path);
    }
    if (!S_ISDIR(st.st_mode)) {
        rights &= SL__LL_FS_FILE_RIGHTS;
    }

    memcpy(attr, &rights, sizeof(rights));
    memcpy(attr + sizeof(rights), &fd, sizeof(fd));
    if (syscall(__NR_landlock_add_rule, ruleset_fd, SL__LANDLOCK_RULE_PATH_BENEATH, attr, 0)
        != 0) {
        saved = errno;
        close(fd);
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_add_rule", saved,
                             "landlock_add_rule \"%s\" failed: %s", path, strerror(saved));
    }
    close(fd);
    return SL_OK;
}

static int sl__landlock_add_paths(int ruleset_fd, const char *const *paths, uint64_t rights,
                                  sl_error *err)
{
    size_t i;
    int rc;

    if (paths == NULL) {
        return SL_OK;
    }
    for (i = 0; paths[i] != NULL; i++) {
        rc = sl__landlock_add_path(ruleset_fd, paths[i], rights, err);
        if (rc != SL_OK) {
            return rc;
        }
    }
    return SL_OK;
}

/* Creates the ruleset for `spec` and adds its rules, before fork. On success `*ruleset_fd`
 * is a close-on-exec fd that the caller closes after the child has enforced it. Rights:
 * read_paths get read_file and read_dir, exec_paths also execute, write_paths every right
 * the ABI defines. Everything not granted is denied, including TCP bind and connect when
 * `deny_tcp` (ABI 4+), and from ABI 6 abstract Unix sockets and signals that leave the
 * sandbox. Returns SL_OK, SL_EINVAL or SL_ESANDBOX_LANDLOCK with the stage set. */
SL__SHARED int sl__landlock_prepare(const sl__landlock_spec *spec, int *ruleset_fd,
                                    sl_error *err)
{
    sl__landlock_ruleset_attr attr;
    size_t attr_size = sizeof(uint64_t);
    uint64_t all;
    uint64_t read_rights;
    int fd;
    int rc;
    int abi;

    if (ruleset_fd == NULL || spec == NULL) {
        return sl__error(err, SL_EINVAL, "landlock: spec and ruleset_fd must not be NULL");
    }
    *ruleset_fd = -1;
    abi = spec->abi > SL__LANDLOCK_ABI_MAX ? SL__LANDLOCK_ABI_MAX : spec->abi;
    if (abi < 1) {
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_create_ruleset", EOPNOTSUPP,
                             "landlock: the kernel does not offer Landlock; enable "
                             "CONFIG_SECURITY_LANDLOCK and add landlock to the lsm= boot "
                             "parameter, or waive the layer (waive_layers |= "
                             "SL_LAYER_LANDLOCK)");
    }

    all = sl__landlock_fs_rights(abi);
    memset(&attr, 0, sizeof(attr));
    attr.handled_access_fs = all;
    if (abi >= 4) {
        attr_size = 2 * sizeof(uint64_t);
        if (spec->deny_tcp) {
            /* SECURITY: with a handled right and no net rule, every port is denied. */
            attr.handled_access_net = SL__LL_NET_BIND_TCP | SL__LL_NET_CONNECT_TCP;
        }
    }
    if (abi >= 6) {
        attr_size = sizeof(attr);
        /* SECURITY: abstract Unix sockets have no path for a rule to cover, and a signal
           could reach a process outside the sandbox when the PID namespace is waived. The
           scopes limit both to processes inside this Landlock domain. */
        attr.scoped = SL__LL_SCOPE_ABSTRACT_UNIX_SOCKET | SL__LL_SCOPE_SIGNAL;
    }

    fd = (int)syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0u);
    if (fd < 0) {
        int saved = errno;
        return sl__error_sys(err, SL_ESANDBOX_LANDLOCK, "landlock_create_ruleset", saved,
                             "landlock_create_ruleset (ABI %d) failed: %s", abi,
                             strerror(saved));
    }
    /* The syscall sets O_CLOEXEC on the ruleset fd itself. */

    read_rights = SL__LL_FS_READ_FILE | SL__LL_FS_READ_DIR;
    rc = sl__landlock_add_paths(fd, spec->read_paths, read_rights, err);
    if (rc == SL_OK) {
        rc = sl__landlock_add_paths(fd, spec->exec_paths, read_rights | SL__LL_FS_EXECUTE, err);
    }
    if (rc == SL_OK) {
        rc = sl__landlock_add_paths(fd, spec->write_paths, all, err);
    }
    if (rc != SL_OK) {
        close(fd);
        return rc;
    }
    *ruleset_fd = fd;
    return SL_OK;
}

/* Enforces the ruleset on the calling thread. Runs in the child after PR_SET_NO_NEW_PRIVS,
 * so it makes one raw syscall (async-signal-safe). Returns 0 or -errno. */
SL__SHARED int sl__landlock_enforce(int ruleset_fd)
{
    if (ruleset_fd < 0) {
        return -EBADF;
    }
    if (syscall(__NR_landlock_restrict_self, ruleset_fd, 0u) != 0) {
        return -errno;
    }
    return 0;
}
