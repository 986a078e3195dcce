# Case: read system information: host name, user name, home folder, kernel.
import os
import pwd
import socket

print("HOSTNAME=" + socket.gethostname())
try:
    with open("/etc/hostname") as f:
        print("ETC_HOSTNAME=" + f.read().strip())
except OSError as e:
    print("ETC_HOSTNAME_ERROR=%d" % e.errno)
try:
    pw = pwd.getpwuid(os.getuid())
    print("USER=" + pw.pw_name)
    print("PWHOME=" + pw.pw_dir)
except KeyError:
    print("USER_UNKNOWN=%d" % os.getuid())
print("HOME=" + os.environ.get("HOME", ""))
print("UNAME=" + " ".join(os.uname()))
