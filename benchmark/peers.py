#!/usr/bin/env python3
"""Time the same workloads bare, under the skilllite CLI and under peer sandboxes.

Runners: bare (no sandbox), skilllite (`build/skilllite sandbox --` at its default level 2,
and `build/skilllite run` for the calculator skill), bwrap, firejail and srt
(@anthropic-ai/sandbox-runtime). A runner that is not installed, or whose check run fails,
is skipped and its error output is recorded; nothing is retried with weaker settings.

The runs are paired: every round runs each runner once on the same workload, in an order
that rotates from round to round, so that drift on this shared machine affects all runners
alike. A runner's ratio to bare is the median of its per-round ratios.

Every process is started with os.posix_spawn and reaped with os.wait4, so the timing covers
spawn to exit and wait4 also reports the CPU time of the runner and the processes it reaped.
NOTE: wait4's ru_maxrss is not reported because posix_spawn uses vfork, and the child then
inherits this Python process's peak RSS as its own.

Only the standard library is used. All workloads are local: no runner is given network
access, and srt's own proxy listens on localhost.

Usage: python3 benchmark/peers.py [-n RUNS] [-w WARMUP] [--workload NAME ...]
                                  [--runner NAME ...] [-o FILE]
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# SKILLLITE_BENCH_SKILL may name another skill folder whose entry point is scripts/main.py.
SKILL_DIR = os.path.abspath(os.environ.get("SKILLLITE_BENCH_SKILL") or
                            os.path.join(ROOT, "examples", "skills", "calculator"))
CALC_INPUT = '{"operation": "add", "a": 15, "b": 27}'
PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"

# Each workload: the command, the stdin text and a check on stdout for the first run.
WORKLOADS = {
    "true": {"argv": ["/bin/true"], "input": "", "expect": ""},
    "python": {"argv": [PYTHON, "-c", "print(1)"], "input": "", "expect": "1"},
    "node": {"argv": [NODE, "-e", "0"], "input": "", "expect": ""},
    "calculator": {
        "argv": [PYTHON, os.path.join(SKILL_DIR, "scripts", "main.py")],
        "input": CALC_INPUT,
        "expect": "42",
    },
}

# The environment every runner gets, so that no runner pays for a larger one.
CLEAN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


def shell_join(argv):
    """Quote argv for `sh -c` (srt takes one command string)."""
    return " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)


def find_srt():
    local = os.path.join(ROOT, "benchmark", "node_modules", ".bin", "srt")
    if os.access(local, os.X_OK):
        return local
    return shutil.which("srt")


def skilllite_cli():
    """build/skilllite, or the binary that SKILLLITE_BENCH_CLI names."""
    path = os.environ.get("SKILLLITE_BENCH_CLI") or os.path.join(ROOT, "build", "skilllite")
    return os.path.abspath(path) if os.access(path, os.X_OK) else None


def bwrap_prefix():
    """bubblewrap's strict setup: every namespace, a read-only /usr, a fresh /proc, /dev
    and /tmp, no capabilities, uid 65534 and an empty environment."""
    prefix = [
        "bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
        "--cap-drop", "ALL", "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--ro-bind", SKILL_DIR, SKILL_DIR, "--chdir", "/tmp",
        "--clearenv",
    ]
    for name, value in CLEAN_ENV.items():
        prefix += ["--setenv", name, value]
    return prefix


FIREJAIL_PREFIX = [
    "firejail", "--quiet", "--noprofile", "--net=none", "--private", "--private-dev",
    "--private-tmp", "--caps.drop=all", "--nonewprivs", "--seccomp",
]


def runner_command(runner, workload):
    """Return (argv, stdin_text) for `workload` under `runner`."""
    spec = WORKLOADS[workload]
    argv, text = spec["argv"], spec["input"]
    if runner == "bare":
        return argv, text
    if runner == "skilllite":
        if workload == "calculator":
            return [skilllite_cli(), "run", SKILL_DIR, CALC_INPUT], ""
        return [skilllite_cli(), "sandbox", "--"] + argv, text
    if runner == "bwrap":
        return bwrap_prefix() + argv, text
    if runner == "firejail":
        return FIREJAIL_PREFIX + argv, text
    if runner == "srt":
        return [find_srt(), "-c", shell_join(argv)], text
    raise ValueError("unknown runner " + runner)


def runner_missing(runner):
    """Return why `runner` cannot run here, or None when its program is installed."""
    if runner == "bare":
        return None
    if runner == "skilllite":
        return None if skilllite_cli() else "build/skilllite not built (run make first)"
    if runner == "srt":
        return None if find_srt() else "srt not installed (make bench-peers installs it)"
    return None if shutil.which(runner) else runner + " not installed"


class Spawner:
    """Starts one command with stdin from a file and both outputs discarded."""

    def __init__(self, tmpdir):
        self.tmpdir = tmpdir
        self.inputs = {}

    def input_path(self, text):
        if text not in self.inputs:
            path = os.path.join(self.tmpdir, "input%d" % len(self.inputs))
            with open(path, "w") as f:
                f.write(text)
            self.inputs[text] = path
        return self.inputs[text]

    def run(self, argv, text):
        """Return (status, wall_ns, cpu_ns) for one run."""
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, self.input_path(text), os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0),
        ]
        start = time.perf_counter_ns()
        # Every runner starts in a new session, as the sandboxes start their payloads: with
        # autogroup scheduling a session is one CPU share, and sharing this script's session
        # would change how much CPU a run gets when other work runs on the machine.
        pid = os.posix_spawnp(argv[0], argv, CLEAN_ENV, file_actions=actions, setsid=True)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter_ns() - start
        cpu = int((usage.ru_utime + usage.ru_stime) * 1e9)
        return status, wall, cpu


def check_run(argv, text, expect):
    """Run once with captured output; return None when it worked, else the error text."""
    try:
        proc = subprocess.run(argv, input=text.encode(), capture_output=True, env=CLEAN_ENV,
                              timeout=60, start_new_session=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    out = proc.stdout.decode(errors="replace")
    err = proc.stderr.decode(errors="replace").strip()
    if proc.returncode != 0:
        return "exit status %d: %s" % (proc.returncode, err[-600:])
    if expect and expect not in out:
        return "expected %r in stdout, got %r (stderr: %s)" % (expect, out[:200], err[-300:])
    return None


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks, q in [0, 100]."""
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def summarize(ns_values):
    ms = sorted(v / 1e6 for v in ns_values)
    mean = sum(ms) / len(ms)
    var = sum((v - mean) ** 2 for v in ms) / max(1, len(ms) - 1)
    return {
        "n": len(ms), "min_ms": ms[0], "median_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99), "max_ms": ms[-1],
        "mean_ms": mean, "stddev_ms": var ** 0.5,
    }


def bench_workload(spawner, workload, runners, runs, warmup):
    commands = {r: runner_command(r, workload) for r in runners}
    first = {}
    samples = {r: [] for r in runners}
    cpu = {r: [] for r in runners}
    failures = {}

    for round_index in range(warmup + runs):
        shift = round_index % len(runners)
        order = runners[shift:] + runners[:shift]
        for r in order:
            if r in failures:
                continue
            argv, text = commands[r]
            status, wall, cpu_ns = spawner.run(argv, text)
            if status != 0:
                failures[r] = "run %d: wait status %d" % (round_index, status)
                continue
            if r not in first:
                first[r] = wall / 1e6
            if round_index >= warmup:
                samples[r].append(wall)
                cpu[r].append(cpu_ns)

    result = {}
    for r in runners:
        if r in failures:
            result[r] = {"error": failures[r]}
            continue
        stats = summarize(samples[r])
        stats["first_ms"] = first[r]
        stats["cpu_ms_median"] = sorted(cpu[r])[len(cpu[r]) // 2] / 1e6
        if "bare" in samples and r != "bare" and "bare" not in failures:
            ratios = sorted(a / b for a, b in zip(samples[r], samples["bare"]))
            stats["ratio_to_bare"] = percentile(ratios, 50)
            deltas = sorted((a - b) / 1e6 for a, b in zip(samples[r], samples["bare"]))
            stats["added_ms"] = percentile(deltas, 50)
        result[r] = stats
    return result


def tool_version(argv):
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).decode(errors="replace").strip()
    return text.splitlines()[0] if text else None


def versions():
    srt = find_srt()
    return {
        "python": tool_version([PYTHON, "--version"]),
        "node": tool_version([NODE, "--version"]),
        "bwrap": tool_version(["bwrap", "--version"]) if shutil.which("bwrap") else None,
        "firejail": tool_version(["firejail", "--version"]) if shutil.which("firejail")
        else None,
        "srt": tool_version([srt, "--version"]) if srt else None,
        "kernel": platform.release(),
    }


def loadavg():
    """Return the 1, 5 and 15 minute load averages, since other work skews the times."""
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except (OSError, ValueError):
        return None


def print_table(results):
    print("%-11s %-10s %9s %9s %9s %8s %9s %8s" % (
        "workload", "runner", "median_ms", "p95_ms", "first_ms", "x bare", "added_ms",
        "cpu_ms"))
    for workload, by_runner in results.items():
        for runner, s in by_runner.items():
            if "error" in s:
                print("%-11s %-10s skipped: %s" % (workload, runner, s["error"][:90]))
                continue
            print("%-11s %-10s %9.2f %9.2f %9.2f %8s %9s %8.2f" % (
                workload, runner, s["median_ms"], s["p95_ms"], s["first_ms"],
                "%.2f" % s["ratio_to_bare"] if "ratio_to_bare" in s else "-",
                "%.2f" % s["added_ms"] if "added_ms" in s else "-",
                s["cpu_ms_median"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=30, help="timed rounds per workload")
    parser.add_argument("-w", "--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--workload", action="append", choices=sorted(WORKLOADS),
                        help="workload to run (repeat for several; default all)")
    parser.add_argument("--runner", action="append",
                        choices=["bare", "skilllite", "bwrap", "firejail", "srt"],
                        help="runner to include besides bare (default all)")
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "benchmark", "results",
                                                               "peers.json"),
                        help="JSON result file")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("-n must be at least 1 and -w at least 0")

    workloads = args.workload or ["true", "python", "node", "calculator"]
    wanted = ["bare"] + [r for r in (args.runner or ["skilllite", "bwrap", "firejail", "srt"])
                         if r != "bare"]

    skipped = {}
    runners = []
    for r in wanted:
        why = runner_missing(r)
        if why is None:
            argv, text = runner_command(r, "python")
            why = check_run(argv, text, "1")
        if why is None:
            runners.append(r)
        else:
            skipped[r] = why
            print("skipping %s: %s" % (r, why), file=sys.stderr)

    load_before = loadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="skilllite-peers-") as tmpdir:
        spawner = Spawner(tmpdir)
        for workload in workloads:
            active = []
            for r in runners:
                argv, text = runner_command(r, workload)
                why = check_run(argv, text, WORKLOADS[workload]["expect"])
                if why is None:
                    active.append(r)
                else:
                    print("skipping %s on %s: %s" % (r, workload, why), file=sys.stderr)
            print("%s: %s" % (workload, ", ".join(active)), file=sys.stderr)
            results[workload] = bench_workload(spawner, workload, active, args.runs,
                                               args.warmup)
            for r in runners:
                if r not in active:
                    argv, text = runner_command(r, workload)
                    results[workload][r] = {"error": check_run(argv, text,
                                                               WORKLOADS[workload]["expect"])}

    report = {
        "tool": "benchmark/peers.py",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "runs": args.runs,
        "warmup": args.warmup,
        "versions": versions(),
        "commands": {w: {r: runner_command(r, w)[0] for r in runners} for w in workloads},
        "skipped": skipped,
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
        "results": results,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(report, f, indent=2)
    print_table(results)
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
