# Case: TIOCSTI through the controlling terminal. The harness gives the CLI a pseudo
# terminal as its controlling terminal and reads it afterwards; the injected command would
# run in the user's shell once the skill ends.
import fcntl
import os
import termios

text = b"echo TTY-INJECTED\n"
fds = [0, 1, 2]
try:
    fds.append(os.open("/dev/tty", os.O_RDWR))
    print("OPENED /dev/tty")
except OSError as e:
    print("/dev/tty error", e.errno)
for fd in fds:
    try:
        for ch in text:
            fcntl.ioctl(fd, termios.TIOCSTI, bytes([ch]))
        print("INJECTED on", fd)
    except OSError as e:
        print("fd", fd, "error", e.errno)
