# Threat classes judged by errno: each check runs in a forked child (a namespace change or
# a seccomp kill must not touch the next check) and prints one line:
#     SYS <check> ok|<ERRNO NAME>|SIG<n>
# Numbers are for x86_64; other machines print one SKIP line.
import ctypes
import errno
import os
import platform
import socket
import sys

if platform.machine() != "x86_64":
    print("SKIP syscall numbers are for x86_64, this is " + platform.machine())
    sys.exit(0)

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
HI = 1 << 32
C = ctypes.c_ulong

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
SIGCHLD = 17
TIOCSTI = 0x5412
TIOCLINUX = 0x541C



class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def raw(nr, *args):
    """Calls syscall(nr, args...) with every argument as a 64-bit value."""
    ctypes.set_errno(0)
    r = libc.syscall(C(nr), *[C(a & 0xFFFFFFFFFFFFFFFF) for a in args])
    return r, ctypes.get_errno()


KEEP = []


def cstr(text):
    """Returns the address of a NUL-terminated copy of text that lives until exit."""
    b = ctypes.create_string_buffer(text)
    KEEP.append(b)
    return ctypes.addressof(b)


def zeros(n):
    b = ctypes.create_string_buffer(n)
    KEEP.append(b)
    return ctypes.addressof(b)


def c_process_vm(nr):
    local = IoVec(zeros(8), 8)
    remote = IoVec(zeros(8), 8)
    return raw(nr, os.getpid(), ctypes.addressof(local), 1, ctypes.addressof(remote), 1, 0)


def c_clone(flags):
    r, e = raw(56, flags | SIGCHLD, 0, 0, 0, 0)
    if r == 0:
        os._exit(0)  # the clone worked and this is the new process
    if r > 0:
        os.waitpid(r, 0)
    return r, e


def c_setns():
    fd = os.open("/proc/self/ns/uts", os.O_RDONLY)
    return raw(308, fd, 0)


def c_socket(family, kind, proto=0):
    return raw(41, family, kind, proto)


def c_socketpair():
    sv = (ctypes.c_int * 2)()
    return raw(53, 1, 1, 0, ctypes.addressof(sv))


def c_x32_getpid():
    return raw(39 | 0x40000000)


CHECKS = [
    ("io_uring_setup", lambda: raw(425, 1, zeros(120))),
    ("io_uring_enter", lambda: raw(426, 0, 1, 0, 0, 0, 0)),
    ("io_uring_register", lambda: raw(427, 0, 0, 0, 0)),
    ("ptrace_traceme", lambda: raw(101, 0, 0, 0, 0)),
    ("process_vm_readv", lambda: c_process_vm(310)),
    ("process_vm_writev", lambda: c_process_vm(311)),
    ("keyctl", lambda: raw(250, 0, -3, 0)),
    ("add_key", lambda: raw(248, cstr(b"user"), cstr(b"sl-probe"), cstr(b"x"), 1, -2)),
    ("request_key", lambda: raw(249, cstr(b"user"), cstr(b"sl-probe-none"), 0, 0)),
    ("bpf", lambda: raw(321, 5, zeros(8), 8)),
    ("perf_event_open", lambda: raw(298, zeros(128), 0, -1, -1, 0)),
    ("userfaultfd", lambda: raw(323, 0)),
    ("unshare_newuser", lambda: raw(272, CLONE_NEWUSER)),
    ("unshare_newuser_hibit", lambda: raw(272, CLONE_NEWUSER | HI)),
    ("unshare_newns", lambda: raw(272, CLONE_NEWNS)),
    ("unshare_newns_hibit", lambda: raw(272, CLONE_NEWNS | HI)),
    ("unshare_newnet", lambda: raw(272, CLONE_NEWNET)),
    ("unshare_newpid", lambda: raw(272, CLONE_NEWPID)),
    ("unshare_newuts_newipc", lambda: raw(272, CLONE_NEWUTS | CLONE_NEWIPC)),
    ("clone_newuser", lambda: c_clone(CLONE_NEWUSER)),
    ("clone_newuser_hibit", lambda: c_clone(CLONE_NEWUSER | HI)),
    ("clone_newns", lambda: c_clone(CLONE_NEWNS)),
    # size 0 is invalid, so a clone3 that gets through fails with EINVAL and starts nothing
    ("clone3", lambda: raw(435, zeros(88), 0)),
    ("setns", c_setns),
    # The mount family gets arguments that can do nothing even where the call is allowed:
    # NULL or missing paths and closed fds. A filter that denies by number answers EPERM.
    ("mount", lambda: raw(165, 0, 0, 0, 0, 0)),
    ("umount2", lambda: raw(166, cstr(b"/nonexistent-sl-probe"), 0)),
    ("pivot_root", lambda: raw(155, 0, 0)),
    ("open_tree", lambda: raw(428, -100, cstr(b"/nonexistent-sl-probe"), 0)),
    ("move_mount", lambda: raw(429, -1, cstr(b""), -1, cstr(b""), 0)),
    ("fsopen", lambda: raw(430, cstr(b"sl-no-such-fs"), 0)),
    ("fsconfig", lambda: raw(431, -1, 0, 0, 0, 0)),
    ("fsmount", lambda: raw(432, -1, 0, 0)),
    ("fspick", lambda: raw(433, -100, cstr(b"/nonexistent-sl-probe"), 0)),
    ("mount_setattr", lambda: raw(442, -1, cstr(b"/nonexistent-sl-probe"), 0, zeros(32), 32)),
    ("personality_query", lambda: raw(135, 0xFFFFFFFF)),
    ("personality_linux", lambda: raw(135, 0)),
    ("personality_addr_no_randomize", lambda: raw(135, 0x0040000)),
    ("personality_addr_no_randomize_hibit", lambda: raw(135, 0x0040000 | HI)),
    ("ioctl_tiocsti", lambda: raw(16, 0, TIOCSTI, cstr(b" "))),
    ("ioctl_tiocsti_hibit", lambda: raw(16, 0, TIOCSTI | HI, cstr(b" "))),
    ("ioctl_tioclinux", lambda: raw(16, 0, TIOCLINUX, zeros(8))),
    ("ioctl_tioclinux_hibit", lambda: raw(16, 0, TIOCLINUX | HI, zeros(8))),
    ("socket_unix_stream", lambda: c_socket(1, 1)),
    ("socket_unix_dgram", lambda: c_socket(1, 2)),
    ("socket_unix_cloexec", lambda: c_socket(1, 1 | 0o2000000)),
    ("socket_unix_hibit", lambda: c_socket(1 | HI, 1)),
    ("socketpair_unix", c_socketpair),
    ("socket_packet", lambda: c_socket(17, 3, 0x0300)),
    ("socket_vsock", lambda: c_socket(40, 1)),
    ("socket_netlink_audit", lambda: c_socket(16, 3, 9)),
    ("socket_netlink_uevent", lambda: c_socket(16, 3, 15)),
    ("socket_netlink_sock_diag", lambda: c_socket(16, 3, 4)),
    ("x32_getpid", c_x32_getpid),
]


def run_check(name, fn):
    """Runs fn in a child; the child sends "ok" or the errno name through a pipe."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            r, e = fn()
            word = "ok" if r >= 0 else errno.errorcode.get(e, "E%d" % e)
        except Exception as ex:  # a probe bug, not a result
            word = "PYERR:" + type(ex).__name__
        os.write(wfd, word.encode())
        os._exit(0)
    os.close(wfd)
    data = b""
    while True:
        chunk = os.read(rfd, 64)
        if not chunk:
            break
        data += chunk
    os.close(rfd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and not data:
        return "SIG%d" % os.WTERMSIG(status)
    return data.decode() or "nothing"


for name, fn in CHECKS:
    print("SYS", name, run_check(name, fn), flush=True)
