# Threat classes judged by what the file system and /proc show. One line per check:
#     CHK <check> <value>
# Nothing is ever written: a file that opens for writing is closed again at once.
import os
import sys


def try_open(path, flags):
    try:
        fd = os.open(path, flags)
        os.close(fd)
        return "ok"
    except OSError as e:
        return "E%d" % e.errno


W = os.O_WRONLY | os.O_APPEND
print("CHK proc_self_exe_write", try_open("/proc/self/exe", W))
print("CHK interpreter_write", try_open(os.path.realpath(sys.executable), W))
print("CHK proc_sys_exists", "yes" if os.path.exists("/proc/sys/kernel") else "no")
print("CHK proc_sys_write", try_open("/proc/sys/kernel/core_pattern", W))
print("CHK proc_sysrq_write", try_open("/proc/sysrq-trigger", W))
try:
    print("CHK sys_entries", len(os.listdir("/sys")))
except OSError as e:
    print("CHK sys_entries E%d" % e.errno)
for p in ("/sys/kernel/mm/transparent_hugepage/enabled", "/sys/fs/cgroup/cgroup.procs",
          "/sys/kernel/uevent_helper"):
    print("CHK sys_write", p, try_open(p, W))
print("CHK kcore_exists", "yes" if os.path.exists("/proc/kcore") else "no")
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("Uid:"):
            print("CHK uid", line.split()[1])
        if line.startswith("CapEff:"):
            print("CHK capeff", line.split()[1])
print("CHK pid1_mem", try_open("/proc/1/mem", os.O_RDONLY))
print("CHK pid1_environ", try_open("/proc/1/environ", os.O_RDONLY))
listing = os.listdir("/proc/self/fd")
fds = []
for name in listing:
    try:
        target = os.readlink("/proc/self/fd/" + name)
    except OSError:
        continue  # the fd of the listing itself, closed by now
    if int(name) > 2:
        fds.append(name + ":" + target)
print("CHK extra_fds", " ".join(fds) if fds else "none")
for name in fds:
    fd = int(name.split(":")[0])
    try:
        os.lseek(fd, 0, 0)
        print("FD_CONTENT", fd, os.read(fd, 200))
    except OSError as e:
        print("FD_ERROR", fd, e.errno)
