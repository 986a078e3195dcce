/* ============================================================== sandbox output ===
 * The output folder (policy output_dir) and its quota.
 *
 * Level 2: the payload never touches the host folder. /output is a private tmpfs whose size
 * is output_quota_bytes (rounded down to whole pages, at least one page), so the kernel
 * fails writes past the quota with ENOSPC inside the sandbox, and its pages count against
 * the run's memory cgroup. init opens the tmpfs root after mounting it and passes that fd
 * to the parent over a socketpair (SCM_RIGHTS) before the payload starts. The parent's fd
 * keeps the tmpfs alive after the sandbox's namespaces are gone. When every process of the
 * run is dead, the parent copies the tree into output_dir and closes the fd, which frees
 * the tmpfs.
 *
 * SECURITY: the payload built the tree that the parent copies, so the copy trusts nothing
 * in it. It walks with openat(O_NOFOLLOW) from the tmpfs root fd, copies only folders and
 * regular files, skips symbolic links, FIFOs, sockets and devices, and stays on the tmpfs.
 * On the host side it writes below the output_dir fd only. It never follows a symbolic link
 * that the host folder contains and never writes into a FIFO or device there. It creates
 * files with mode 0644 and folders with 0755, both minus the umask.
 * A root caller copies with the payload's uid and gid as its file system ids (setfsuid), as
 * if the payload wrote the files itself. The files then belong to the payload's user, and
 * host permissions apply to that user, so the copy cannot put content the payload chose
 * into a root-owned file or a file that only root may write. Any other caller is the
 * payload's own user already.
 * The copy writes at most output_quota_bytes. The tmpfs size alone would not guarantee
 * that, because hard links and sparse files make the copy larger than the tmpfs's blocks.
 *
 * Level 1 has no mount namespace, so the payload writes to output_dir directly. There
 * RLIMIT_FSIZE caps each file at the quota, and the parent measures the folder before and
 * after the run (the total is only checked, not enforced).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* Bounds of the level 2 /output tmpfs and of the copy out of it. Hard links give one inode
 * several entries, so the copy's entry bound is larger than the inode bound. */
#define SL__OUTPUT_MAX_INODES 16384u
#define SL__OUTPUT_MAX_ENTRIES 65536u
#define SL__OUTPUT_MAX_DEPTH 64

/* f_type of a tmpfs in statfs (TMPFS_MAGIC in <linux/magic.h>). */
#define SL__OUTPUT_TMPFS_MAGIC 0x01021994

/* How many skipped entries the copy names in the policy's log before it only counts. */
#define SL__OUTPUT_LOG_MAX 8

/* Bounds of one level 1 output folder measurement (see "Output folder" in sandbox.h). */
#define SL__DU_MAX_ENTRIES 65536u
#define SL__DU_MAX_DEPTH 64

/* The output folder of one run. */
typedef struct sl__output {
    int level;
    int host_fd;        /* output_dir, open while the run lasts; -1 without output_dir */
    int tmpfs_fd;       /* level 2: root of the /output tmpfs, received from init; else -1 */
    uint64_t quota;     /* output_quota_bytes */
    uint64_t base;      /* level 1: bytes measured under output_dir before the run */
    uid_t uid;          /* level 2: the payload's identity, which a root caller copies as */
    gid_t gid;
    sl_log_fn log;
    void *log_user;
} sl__output;

static void sl__output_init(sl__output *out)
{
    memset(out, 0, sizeof(*out));
    out->host_fd = -1;
    out->tmpfs_fd = -1;
}

static void sl__output_close(sl__output *out)
{
    if (out->host_fd >= 0) {
        close(out->host_fd);
        out->host_fd = -1;
    }
    if (out->tmpfs_fd >= 0) {
        close(out->tmpfs_fd);
        out->tmpfs_fd = -1;
    }
}

/* Returns the size of the level 2 /output tmpfs for `quota`: whole pages, never more than
 * the quota, and at least one page because tmpfs reads size 0 as unlimited. */
static uint64_t sl__output_tmpfs_bytes(uint64_t quota)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t unit = page > 0 ? (uint64_t)page : 4096u;
    uint64_t whole = quota - quota % unit;

    return whole >= unit ? whole : unit;
}

/* ------------------------------------------------------- level 1: measurement --- */

/* One measurement of an output folder. */
typedef struct sl__du {
    uint64_t bytes;
    uint32_t entries;
    int incomplete;  /* 1 when the walk hit a bound or could not open a folder */
    dev_t dev;       /* the folder's file system; other mounts below it are not entered */
} sl__du;

/* The bytes one entry occupies: the larger of its allocated blocks and, for a regular file,
 * its apparent size, so that sparse files and many empty files both count. */
static uint64_t sl__du_entry_bytes(const struct stat *st)
{
    uint64_t blocks = (uint64_t)st->st_blocks * 512u;
    uint64_t size = S_ISREG(st->st_mode) && st->st_size > 0 ? (uint64_t)st->st_size : 0;

    return size > blocks ? size : blocks;
}

static void sl__du_add(sl__du *du, uint64_t bytes)
{
    du->bytes = du->bytes + bytes < du->bytes ? UINT64_MAX : du->bytes + bytes;
}

/* Adds every entry below the open folder `fd` (closed here) to `du`.
 * SECURITY: never follows a symbolic link (fstatat AT_SYMLINK_NOFOLLOW, openat O_NOFOLLOW)
 * and never opens anything but a folder, so the payload's links, FIFOs and devices cannot
 * lead the host elsewhere or block it. An entry that vanished or changed type since it was
 * listed (a payload still running) is skipped. Any other failure makes the walk incomplete,
 * which counts as over the quota, so a folder the payload made unreadable hides nothing. */
static void sl__du_walk(int fd, int depth, sl__du *du)
{
    DIR *dir = fdopendir(fd);
    struct dirent *ent;

    if (dir == NULL) {
        close(fd);
        du->incomplete = 1;
        return;
    }
    for (;;) {
        struct stat st;
        int sub;

        errno = 0;
        ent = readdir(dir);
        if (ent == NULL) {
            du->incomplete |= errno != 0;
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (++du->entries > SL__DU_MAX_ENTRIES) {
            du->incomplete = 1;
            break;
        }
        if (fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            du->incomplete |= errno != ENOENT;
            continue;
        }
        sl__du_add(du, sl__du_entry_bytes(&st));
        if (!S_ISDIR(st.st_mode) || st.st_dev != du->dev) {
            continue;
        }
        if (depth >= SL__DU_MAX_DEPTH) {
            du->incomplete = 1;
            break;
        }
        sub = openat(dirfd(dir), ent->d_name,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            du->incomplete |= errno != ENOENT && errno != ENOTDIR && errno != ELOOP;
            continue;
        }
        sl__du_walk(sub, depth + 1, du);
        if (du->incomplete) {
            break;
        }
    }
    closedir(dir);
}

/* Measures the folder open as `root_fd`, through a new open file description, because a
 * walk moves the directory offset. */
static void sl__du_measure(int root_fd, sl__du *du)
{
    struct stat st;
    int fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    memset(du, 0, sizeof(*du));
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        du->incomplete = 1;
        return;
    }
    du->dev = st.st_dev;
    sl__du_add(du, sl__du_entry_bytes(&st));
    sl__du_walk(fd, 1, du);
}

/* --------------------------------------------------------------- before the run --- */

/* Returns the uid the payload runs as: the policy's, else the caller's, else nobody when
 * the caller is root (the same rule the spawner applies). */
static int64_t sl__output_payload_uid(const sl_sandbox_policy *pol)
{
    if (pol->uid >= 0) {
        return pol->uid;
    }
    return geteuid() == 0 ? 65534 : (int64_t)geteuid();
}

static int64_t sl__output_payload_gid(const sl_sandbox_policy *pol)
{
    if (pol->gid >= 0) {
        return pol->gid;
    }
    return geteuid() == 0 ? 65534 : (int64_t)getegid();
}

/* Returns 1 when the payload's uid/gid may create files in the folder `fd` by its mode
 * bits (write and search). NOTE: ACLs and supplementary groups are not consulted, so a
 * folder shared only through them is reported as not writable. */
static int sl__output_writable(int fd, const sl_sandbox_policy *pol)
{
    struct stat st;
    int64_t uid = sl__output_payload_uid(pol);
    int64_t gid = sl__output_payload_gid(pol);

    if (fstat(fd, &st) != 0) {
        return 0;
    }
    if ((int64_t)st.st_uid == uid) {
        return (st.st_mode & (S_IWUSR | S_IXUSR)) == (S_IWUSR | S_IXUSR);
    }
    if ((int64_t)st.st_gid == gid) {
        return (st.st_mode & (S_IWGRP | S_IXGRP)) == (S_IWGRP | S_IXGRP);
    }
    return (st.st_mode & (S_IWOTH | S_IXOTH)) == (S_IWOTH | S_IXOTH);
}

/* Opens output_dir before the run; level 1 also measures it. Returns SL_OK (also without
 * output_dir) or SL_ESANDBOX_POLICY. At level 2 the folder must not be a symbolic link,
 * because the copy goes to the folder opened here and a link could be swapped before. */
static int sl__output_open(sl__output *out, const sl_sandbox_policy *pol, sl_error *err)
{
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    sl__du du;
    int saved;

    out->level = pol->level;
    out->quota = pol->output_quota_bytes;
    out->log = pol->log;
    out->log_user = pol->log_user;
    if (pol->output_dir == NULL) {
        return SL_OK;
    }
    if (pol->level >= 2) {
        flags |= O_NOFOLLOW;
    }
    out->host_fd = open(pol->output_dir, flags);
    if (out->host_fd < 0) {
        saved = errno;
        if (saved == ELOOP || (saved == ENOTDIR && pol->level >= 2)) {
            return sl__error_sys(err, SL_ESANDBOX_POLICY, "open output_dir", saved,
                                 "output_dir \"%s\" is a symbolic link or not a folder; pass "
                                 "the real folder", pol->output_dir);
        }
        return sl__error_sys(err, SL_ESANDBOX_POLICY, "open output_dir", saved,
                             "cannot open output_dir \"%s\": %s; pass an existing folder",
                             pol->output_dir, strerror(saved));
    }
    if (!sl__output_writable(out->host_fd, pol)) {
        return sl__error(err, SL_ESANDBOX_POLICY,
                         "output_dir \"%s\" is not writable by uid %lld, the user the sandbox "
                         "runs as, so its files would be lost; give that user write access "
                         "(chown or chmod the folder) or pass another folder",
                         pol->output_dir, (long long)sl__output_payload_uid(pol));
    }
    if (pol->level >= 2) {
        return SL_OK;
    }
    sl__du_measure(out->host_fd, &du);
    if (du.incomplete) {
        return sl__error(err, SL_ESANDBOX_POLICY, "cannot measure output_dir \"%s\" for its "
                         "quota: it holds more than %u entries, folders nested deeper than "
                         "%d, or a folder the caller cannot open; pass an empty folder",
                         pol->output_dir, SL__DU_MAX_ENTRIES, SL__DU_MAX_DEPTH);
    }
    out->base = du.bytes;
    return SL_OK;
}

/* --------------------------------------------------------------- fd passing --- */

/* Creates the socketpair that carries the /output tmpfs fd from init to the parent, both
 * ends close-on-exec and above 2 (the child moves its pipes onto 0-2). Returns 0 or -1
 * with errno set. */
static int sl__output_socketpair(int fds[2])
{
    int i;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        fds[0] = fds[1] = -1;
        return -1;
    }
    for (i = 0; i < 2; i++) {
        int moved;

        if (fds[i] > 2) {
            continue;
        }
        moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
        if (moved < 0) {
            int saved = errno;

            close(fds[0]);
            close(fds[1]);
            fds[0] = fds[1] = -1;
            errno = saved;
            return -1;
        }
        close(fds[i]);
        fds[i] = moved;
    }
    return 0;
}

/* Opens the folder `path` (the mounted /output tmpfs) and sends its fd over `sock`; closes
 * both. Runs in init between clone and the payload's fork, so it makes system calls only:
 * no allocation, no stdio. Returns 0 or -errno. */
static int sl__output_send(int sock, const char *path)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cmsg;
    char byte = 'o';
    ssize_t n;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0) {
        rc = -errno;
        close(sock);
        return rc;
    }
    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        rc = n < 0 ? -errno : -EIO;
    }
    close(fd);
    close(sock);
    return rc;
}

/* Receives the /output tmpfs fd that init sent over `sock` (not closed here). init sends
 * it before the payload starts, so after a successful setup it is waiting in the socket.
 * SECURITY: only init has the other end, and the fd must be a folder on a tmpfs, so the
 * copy after the run reads the run's /output and nothing else. Returns SL_OK or
 * SL_ESANDBOX_SPAWN. */
static int sl__output_receive(sl__output *out, int sock, sl_error *err)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct msghdr msg;
    struct iovec iov;
    struct cmsghdr *cmsg;
    struct statfs sf;
    struct stat st;
    char byte = 0;
    ssize_t n;
    int fds[4];
    int saved;
    size_t count = 0;
    size_t i;

    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    iov.iov_base = &byte;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    saved = n < 0 ? errno : EPROTO;
    cmsg = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (cmsg != NULL && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
        cmsg->cmsg_len >= CMSG_LEN(0)) {
        count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        count = count < 4 ? count : 4;
        memcpy(fds, CMSG_DATA(cmsg), count * sizeof(int));
    }
    for (i = 1; i < count; i++) {
        close(fds[i]);
    }
    if (count != 1 || (msg.msg_flags & MSG_CTRUNC) != 0) {
        if (count >= 1) {
            close(fds[0]);
        }
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "receive /output", saved,
                             "the sandbox's init did not pass the /output folder to the "
                             "parent; the run cannot copy its output and was not started");
    }
    if (fstatfs(fds[0], &sf) != 0 || (unsigned long)sf.f_type != SL__OUTPUT_TMPFS_MAGIC ||
        fstat(fds[0], &st) != 0 || !S_ISDIR(st.st_mode)) {
        close(fds[0]);
        return sl__error_sys(err, SL_ESANDBOX_SPAWN, "receive /output", EPROTO,
                             "the sandbox's init passed an fd that is not the /output tmpfs");
    }
    out->tmpfs_fd = fds[0];
    return SL_OK;
}

/* ------------------------------------------------------- level 2: copy out --- */

/* State of one copy from the tmpfs into output_dir. */
typedef struct sl__output_copy {
    const sl__output *out;
    dev_t dev;            /* the tmpfs; entries on another file system are skipped */
    uint64_t budget;      /* bytes the copy may still write to the host */
    uint64_t bytes;       /* bytes written to the host */
    uint32_t files;       /* regular files copied completely */
    uint32_t skipped;     /* entries left out */
    uint32_t entries;     /* entries visited */
    int cut;              /* 1 when the quota or an entry bound left something out */
    char buf[65536];      /* the copy buffer */
    char path[512];       /* the entry's path below /output, for the log; may be cut short */
    size_t path_len;
    char notes[SL__OUTPUT_LOG_MAX][640]; /* log lines of the first skipped entries */
} sl__output_copy;

/* Appends "/name" to the logged path and returns the length to restore afterwards. */
static size_t sl__output_path_push(sl__output_copy *c, const char *name)
{
    size_t mark = c->path_len;
    int n = snprintf(c->path + mark, sizeof(c->path) - mark, "/%s", name);

    if (n > 0) {
        c->path_len += (size_t)n < sizeof(c->path) - mark ? (size_t)n
                                                           : sizeof(c->path) - mark - 1;
    }
    return mark;
}

static void sl__output_path_pop(sl__output_copy *c, size_t mark)
{
    c->path_len = mark;
    c->path[mark] = '\0';
}

/* Counts the current entry as skipped and keeps a note for the log (the first few only).
 * The notes go to the log after the copy, because a root caller copies with the payload's
 * file system ids, which the host's log callback must not run with. The name comes from the
 * payload, so control characters are replaced. */
static void sl__output_skip(sl__output_copy *c, const char *reason, int sys_errno)
{
    char shown[sizeof(c->path)];
    size_t i;

    c->skipped++;
    if (c->out->log == NULL || c->skipped > SL__OUTPUT_LOG_MAX) {
        return;
    }
    for (i = 0; i < c->path_len; i++) {
        unsigned char ch = (unsigned char)c->path[i];
        shown[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    shown[i] = '\0';
    snprintf(c->notes[c->skipped - 1], sizeof(c->notes[0]),
             "output copy: skipped /output%s: %s%s%s%s", shown, reason,
             sys_errno != 0 ? " (" : "", sys_errno != 0 ? strerror(sys_errno) : "",
             sys_errno != 0 ? ")" : "");
}

/* Copies `size` bytes from `src` to `dst`. Returns 0 or an errno value. Every byte written
 * counts in `c->bytes` and leaves the budget, also when a later write fails. */
static int sl__output_copy_data(sl__output_copy *c, int src, int dst, uint64_t size)
{
    while (size > 0) {
        size_t want = size < sizeof(c->buf) ? (size_t)size : sizeof(c->buf);
        ssize_t got = read(src, c->buf, want);
        size_t done = 0;

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return errno;
        }
        if (got == 0) {
            return 0; /* the file is shorter than its listed size; what it has is copied */
        }
        while (done < (size_t)got) {
            ssize_t w = write(dst, c->buf + done, (size_t)got - done);

            if (w < 0 && errno == EINTR) {
                continue;
            }
            if (w <= 0) {
                return w < 0 ? errno : EIO;
            }
            done += (size_t)w;
            c->bytes += (uint64_t)w;
            c->budget -= (uint64_t)w;
        }
        size -= (uint64_t)got;
    }
    return 0;
}

/* Opens (creating or truncating) the host file `name` below `dst_dir` for the copy.
 * Returns the fd, or -1 after counting the entry as skipped.
 * SECURITY: an existing symbolic link, folder, FIFO or device at that name is never opened
 * for writing, and neither is a file with other hard links, whose other names would change
 * too. Set-user-ID and set-group-ID bits of an existing file are cleared before the payload's
 * bytes go in, because a root caller's write keeps them. */
static int sl__output_open_host_file(sl__output_copy *c, int dst_dir, const char *name)
{
    struct stat st;
    int fd;

    if (fstatat(dst_dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode)) {
            sl__output_skip(c, "output_dir has a symbolic link with this name", 0);
            return -1;
        }
        if (!S_ISREG(st.st_mode)) {
            sl__output_skip(c, "output_dir has a folder or special file with this name", 0);
            return -1;
        }
        if (st.st_nlink > 1) {
            sl__output_skip(c, "the file in output_dir has other hard links", 0);
            return -1;
        }
    } else if (errno != ENOENT) {
        sl__output_skip(c, "cannot inspect the name in output_dir", errno);
        return -1;
    }
    fd = openat(dst_dir, name,
                O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                0644);
    if (fd < 0) {
        sl__output_skip(c, errno == ELOOP ? "output_dir has a symbolic link with this name"
                                          : "cannot create the file in output_dir",
                        errno == ELOOP ? 0 : errno);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        sl__output_skip(c, "the name in output_dir is not a regular file", 0);
        return -1;
    }
    if ((st.st_mode & (S_ISUID | S_ISGID)) != 0 && fchmod(fd, st.st_mode & 0777) != 0) {
        close(fd);
        sl__output_skip(c, "cannot clear the set-ID bits of the file in output_dir", errno);
        return -1;
    }
    return fd;
}

/* Copies the regular file `name` of the tmpfs folder `src_dir` into `dst_dir`. */
static void sl__output_copy_file(sl__output_copy *c, int src_dir, int dst_dir, const char *name)
{
    struct stat st;
    int src;
    int dst;
    int rc;

    src = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (src < 0) {
        sl__output_skip(c, "cannot open the file", errno);
        return;
    }
    if (fstat(src, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != c->dev) {
        close(src);
        sl__output_skip(c, "not a regular file on the /output tmpfs", 0);
        return;
    }
    if ((uint64_t)st.st_size > c->budget) {
        close(src);
        c->cut = 1;
        sl__output_skip(c, "larger than what is left of output_quota_bytes", 0);
        return;
    }
    dst = sl__output_open_host_file(c, dst_dir, name);
    if (dst < 0) {
        close(src);
        return;
    }
    rc = sl__output_copy_data(c, src, dst, (uint64_t)st.st_size);
    close(src);
    if (close(dst) != 0 && rc == 0) {
        rc = errno;
    }
    if (rc != 0) {
        /* NOTE: the part written so far stays in output_dir (and in output_bytes_written). */
        sl__output_skip(c, "copy failed", rc);
        return;
    }
    c->files++;
}

static void sl__output_copy_dir(sl__output_copy *c, int src_fd, int dst_fd, int depth);

/* Creates (or reuses) the folder `name` in `dst_dir` and copies the tmpfs folder into it. */
static void sl__output_copy_subdir(sl__output_copy *c, int src_dir, int dst_dir,
                                   const char *name, int depth)
{
    struct stat st;
    int src;
    int dst;

    if (depth >= SL__OUTPUT_MAX_DEPTH) {
        c->cut = 1;
        sl__output_skip(c, "nested deeper than 64 folders", 0);
        return;
    }
    src = openat(src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (src < 0) {
        sl__output_skip(c, "cannot open the folder", errno);
        return;
    }
    if (fstat(src, &st) != 0 || st.st_dev != c->dev) {
        close(src);
        sl__output_skip(c, "not a folder on the /output tmpfs", 0);
        return;
    }
    if (mkdirat(dst_dir, name, 0755) != 0 && errno != EEXIST) {
        sl__output_skip(c, "cannot create the folder in output_dir", errno);
        close(src);
        return;
    }
    /* SECURITY: O_NOFOLLOW, so a symbolic link that output_dir has at this name (EEXIST
     * above) is not entered. */
    dst = openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dst < 0) {
        int saved = errno;

        close(src);
        if (saved == ELOOP || saved == ENOTDIR) {
            sl__output_skip(c, "output_dir has a file or symbolic link with this name", 0);
        } else {
            sl__output_skip(c, "cannot open the folder in output_dir", saved);
        }
        return;
    }
    sl__output_copy_dir(c, src, dst, depth + 1);
    close(dst);
}

/* Copies one entry of the tmpfs folder `src_dir`, by its type. */
static void sl__output_copy_entry(sl__output_copy *c, int src_dir, int dst_dir,
                                  const char *name, int depth)
{
    struct stat st;

    if (fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        sl__output_skip(c, "cannot inspect the entry", errno);
    } else if (st.st_dev != c->dev) {
        sl__output_skip(c, "on another file system", 0);
    } else if (S_ISREG(st.st_mode)) {
        sl__output_copy_file(c, src_dir, dst_dir, name);
    } else if (S_ISDIR(st.st_mode)) {
        sl__output_copy_subdir(c, src_dir, dst_dir, name, depth);
    } else if (S_ISLNK(st.st_mode)) {
        sl__output_skip(c, "symbolic link", 0);
    } else if (S_ISFIFO(st.st_mode)) {
        sl__output_skip(c, "FIFO", 0);
    } else if (S_ISSOCK(st.st_mode)) {
        sl__output_skip(c, "socket", 0);
    } else {
        sl__output_skip(c, "device node", 0);
    }
}

/* Copies every entry of the tmpfs folder `src_fd` (closed here) into the host folder
 * `dst_fd` (left open). Names come from readdir, so they never contain '/'. */
static void sl__output_copy_dir(sl__output_copy *c, int src_fd, int dst_fd, int depth)
{
    DIR *dir = fdopendir(src_fd);
    struct dirent *ent;

    if (dir == NULL) {
        close(src_fd);
        sl__output_skip(c, "cannot list the folder", errno);
        return;
    }
    for (;;) {
        size_t mark;

        errno = 0;
        ent = readdir(dir);
        if (ent == NULL) {
            if (errno != 0) {
                sl__output_skip(c, "cannot list the rest of the folder", errno);
            }
            break;
        }
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        if (c->entries >= SL__OUTPUT_MAX_ENTRIES) {
            c->cut = 1;
            sl__output_skip(c, "more than 65536 entries; the copy stops here", 0);
            break;
        }
        c->entries++;
        mark = sl__output_path_push(c, ent->d_name);
        sl__output_copy_entry(c, dirfd(dir), dst_fd, ent->d_name, depth);
        sl__output_path_pop(c, mark);
    }
    closedir(dir);
}

/* Returns 1 when the tmpfs is full up to at most one page or has no inode left, so a write
 * or a file creation in the run may have failed with ENOSPC. */
static int sl__output_tmpfs_full(int tmpfs_fd)
{
    struct statfs sf;
    uint64_t total;
    uint64_t used;
    uint64_t unit;

    if (fstatfs(tmpfs_fd, &sf) != 0 || sf.f_bsize <= 0) {
        return 0;
    }
    unit = (uint64_t)sf.f_bsize;
    total = (uint64_t)sf.f_blocks * unit;
    used = ((uint64_t)sf.f_blocks - (uint64_t)sf.f_bfree) * unit;
    return (used > 0 && used + unit >= total) || (sf.f_files > 0 && sf.f_ffree == 0);
}

/* Sets this thread's file system ids to `uid` and `gid`, and stores the previous ones.
 * Returns 1 when both took effect (setfsuid reports no failure, so the result is read back).
 * An fsuid other than 0 drops the file capabilities (CAP_DAC_OVERRIDE, CAP_FOWNER, ...) from
 * the effective set, and fsuid 0 restores them. CAP_SETGID is not one of them, so the gid
 * can follow the uid either way. */
static int sl__output_become(uid_t uid, gid_t gid, uid_t *old_uid, gid_t *old_gid)
{
    *old_uid = (uid_t)setfsuid(uid);
    *old_gid = (gid_t)setfsgid(gid);
    return (uid_t)setfsuid((uid_t)-1) == uid && (gid_t)setfsgid((gid_t)-1) == gid;
}

/* Walks the tmpfs into output_dir with this thread's file system ids as they are. */
static void sl__output_walk(sl__output_copy *c)
{
    struct stat st;
    int src = openat(c->out->tmpfs_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    /* A new open file description, because the walk moves the directory offset. */
    if (src >= 0 && fstat(src, &st) == 0) {
        c->dev = st.st_dev;
        sl__output_copy_dir(c, src, c->out->host_fd, 1);
    } else {
        int saved = errno;

        if (src >= 0) {
            close(src);
        }
        sl__output_skip(c, "cannot open the /output tmpfs", saved);
    }
}

/* Copies the /output tmpfs into output_dir, with the payload's file system ids when the
 * caller is root. Fills the output counts of `res` and returns SL_LIMIT_FILE_SIZE when the
 * tmpfs is full or the quota or an entry bound cut the copy, else SL_LIMIT_NONE. */
static int sl__output_copy_out(const sl__output *out, sl_sandbox_result *res,
                               const sl_allocator *alloc)
{
    sl__output_copy *c;
    int full = sl__output_tmpfs_full(out->tmpfs_fd);
    int as_payload = geteuid() == 0 && out->uid != 0;
    uid_t saved_uid = 0;
    gid_t saved_gid = 0;
    uid_t ignored_uid;
    gid_t ignored_gid;
    uint32_t i;
    int switched = 1;

    /* The state (about 70 KiB with the copy buffer and the notes) lives on the heap, so a
     * host thread with a small stack can finish a run. */
    c = (sl__output_copy *)sl__malloc(alloc, sizeof(*c));
    if (c == NULL) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: out of memory; nothing "
                "was copied into output_dir");
        return SL_LIMIT_NONE;
    }
    memset(c, 0, sizeof(*c));
    c->out = out;
    c->budget = out->quota;
    if (as_payload) {
        switched = sl__output_become(out->uid, out->gid, &saved_uid, &saved_gid);
    }
    if (switched) {
        sl__output_walk(c);
    }
    if (as_payload && !sl__output_become(saved_uid, saved_gid, &ignored_uid, &ignored_gid)) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: cannot restore this "
                "thread's file system ids to %u and %u", (unsigned)saved_uid,
                (unsigned)saved_gid);
    }
    if (!switched) {
        sl__log(out->log, out->log_user, SL_LOG_ERROR, "output copy: cannot switch to the "
                "payload's uid %u and gid %u; nothing was copied", (unsigned)out->uid,
                (unsigned)out->gid);
    }
    for (i = 0; i < c->skipped && i < SL__OUTPUT_LOG_MAX; i++) {
        sl__log(out->log, out->log_user, SL_LOG_WARN, "%s", c->notes[i]);
    }
    if (c->skipped > SL__OUTPUT_LOG_MAX) {
        sl__log(out->log, out->log_user, SL_LOG_WARN, "output copy: skipped %u entries in all",
                (unsigned)c->skipped);
    }
    res->output_bytes_written = c->bytes;
    res->output_files_written = c->files;
    res->output_entries_skipped = c->skipped;
    full = full || c->cut;
    sl__free(alloc, c, sizeof(*c));
    return full ? SL_LIMIT_FILE_SIZE : SL_LIMIT_NONE;
}

/* --------------------------------------------------------------- after the run --- */

/* Finishes the output folder of a run whose processes are all gone: level 2 copies the tmpfs
 * into output_dir, level 1 measures what the run added. Fills the output fields of `res`,
 * sets `res->limit` to SL_LIMIT_FILE_SIZE when the quota was reached and no other limit
 * ended the run, and closes the fds. NOTE: the copy runs inside sl_sandbox_poll and takes
 * as long as writing up to output_quota_bytes to the host disk. */
static void sl__output_finish(sl__output *out, sl_sandbox_result *res, const sl_allocator *alloc)
{
    int limit = SL_LIMIT_NONE;

    if (out->host_fd < 0) {
        return;
    }
    if (out->tmpfs_fd >= 0) {
        limit = sl__output_copy_out(out, res, alloc);
    } else if (out->level < 2) {
        sl__du du;

        sl__du_measure(out->host_fd, &du);
        res->output_bytes_written = du.bytes > out->base ? du.bytes - out->base : 0;
        if (du.incomplete || res->output_bytes_written > out->quota) {
            limit = SL_LIMIT_FILE_SIZE;
        }
    }
    if (limit != SL_LIMIT_NONE && res->limit == SL_LIMIT_NONE) {
        res->limit = limit;
    }
    sl__output_close(out);
}
