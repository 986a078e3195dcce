#!/usr/bin/env python3
"""Write the benchmark tables into docs/BENCHMARKS.md.

Reads benchmark/results/{sandbox,peers,parse}.json (each may be missing), describes this
machine, and replaces every block between `<!-- BEGIN generated:NAME -->` and
`<!-- END generated:NAME -->` in the page with a fresh table. Text outside the markers is
left alone, so the hand-written analysis stays. Standard library only.

Usage: python3 benchmark/report.py [--results DIR] [--doc docs/BENCHMARKS.md] [--print]
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["true", "python", "node", "calculator"]
LABELS = {
    "true": "`/bin/true`",
    "python": "`python3 -c 'print(1)'`",
    "node": "`node -e 0`",
    "calculator": "calculator skill",
}
PEER_LABELS = {
    "bare": "bare",
    "skilllite": "skilllite CLI",
    "bwrap": "bubblewrap",
    "firejail": "firejail",
    "srt": "srt",
}

# The goals from the project's performance claim: (id, text).
GOALS = [
    ("python", "sandboxed python run (level 2) within 10% of bare python"),
    ("true", "sandboxed `/bin/true` (level 2) within 1.5 ms of bare"),
    ("parallel", "100 runs at 10 in flight (level 2) within 15% of bare"),
    ("memory", "host's added memory under 1 MiB"),
]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def first_line(argv):
    if not argv or not (os.path.isabs(argv[0]) or shutil.which(argv[0])):
        return None
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).decode(errors="replace").strip()
    return text.splitlines()[0] if text else None


def machine(peers):
    cpu, cores = "unknown", 0
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and cpu == "unknown":
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("processor"):
                cores += 1
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    distro = "unknown"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    versions = (peers or {}).get("versions", {})
    rows = [
        ("CPU", "%s, %d cores as seen by the VM (`nproc` %d)" % (cpu, cores, os.cpu_count())),
        ("memory", "%.1f GiB" % (mem_kib / 1048576.0)),
        ("kernel", platform.release()),
        ("distribution", distro),
        ("compiler", first_line(["cc", "--version"]) or "unknown"),
        ("python", versions.get("python") or first_line(["/usr/bin/python3", "--version"])),
        ("node", versions.get("node") or first_line(["/usr/bin/node", "--version"])),
        ("bubblewrap", versions.get("bwrap") or first_line(["bwrap", "--version"])),
        ("firejail", versions.get("firejail") or first_line(["firejail", "--version"])),
        ("srt", versions.get("srt") or "not installed"),
    ]
    lines = ["| what | value |", "| --- | --- |"]
    for name, value in rows:
        lines.append("| %s | %s |" % (name, value or "not installed"))
    return "\n".join(lines)


def ms(value):
    if value is None:
        return "-"
    if value >= 100:
        return "%.0f" % value
    if value >= 10:
        return "%.1f" % value
    return "%.2f" % value


def library_table(lib):
    if not lib:
        return "_No library results yet: run `make bench`._"
    lines = [
        "%d paired rounds per workload after %d warm-up rounds; skilllite %s; 1-minute "
        "load average %.2f before, %.2f after." % (
            lib["runs"], lib["warmup"], lib.get("version", ""),
            lib.get("loadavg1_before", -1), lib.get("loadavg1_after", -1)),
        "",
        "| workload | mode | p50 ms | p95 ms | p99 ms | x bare (paired) | added ms | "
        "p50 ms after a %d ms pause | sandbox peak MiB |" % lib.get("gap_ms", 0),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for w in WORKLOADS:
        modes = lib["workloads"].get(w)
        if not modes:
            continue
        for mode in ("bare", "level1", "level2"):
            s = modes.get(mode, {})
            if "error" in s:
                lines.append("| %s | %s | failed: %s | | | | | | |" % (
                    LABELS[w], mode, s["error"].replace("|", "\\|")[:160]))
                continue
            ratio = "%.3f" % s["ratio_to_bare"] if "ratio_to_bare" in s else "-"
            added = "%+.2f" % s["added_ms"] if "added_ms" in s else "-"
            peak = ("%.1f" % (s["peak_memory_bytes_p50"] / 1048576.0)
                    if "peak_memory_bytes_p50" in s else "-")
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                LABELS[w], mode, ms(s["p50_ms"]), ms(s["p95_ms"]), ms(s["p99_ms"]), ratio,
                added, ms(s.get("spaced_p50_ms")), peak))
    layers = None
    for w in WORKLOADS:
        layers = (lib["workloads"].get(w) or {}).get("level2", {}).get("layers") or layers
    if layers:
        lines += ["", "Layers active at level 2: %s." % layers]
    return "\n".join(lines)


def throughput_table(lib):
    if not lib:
        return "_No library results yet: run `make bench`._"
    c = lib["concurrency"]
    lines = [
        "Batches of %d runs with %d in flight, median of %d batches per mode; "
        "runs/s at 1 is 1000 / p50." % (lib["batch"], c, lib["batch_repeats"]),
        "",
        "| workload | mode | runs/s at 1 | runs/s at %d | batch s | batch x bare | "
        "sl_sandbox_spawn call ms (p50 of the last batch) |" % c,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    key = "runs_per_s_c%d" % c
    for w in WORKLOADS:
        modes = lib["workloads"].get(w)
        if not modes:
            continue
        bare_batch = modes.get("bare", {}).get("batch_s_median")
        for mode in ("bare", "level1", "level2"):
            s = modes.get(mode, {})
            if "p50_ms" not in s:
                continue
            batch = s.get("batch_s_median")
            ratio = "%.3f" % (batch / bare_batch) if batch and bare_batch and mode != "bare" \
                else "-"
            lines.append("| %s | %s | %.0f | %s | %s | %s | %s |" % (
                LABELS[w], mode, s["runs_per_s_c1"],
                "%.0f" % s[key] if key in s else "failed", "%.3f" % batch if batch else "-",
                ratio, ms(s.get("spawn_call_ms_p50")) if mode != "bare" else "-"))
    mem = lib.get("host_memory", {})
    if mem:
        lines += ["", "Host process: peak RSS %d KiB before the first run, %d KiB after %d "
                  "sandbox runs (%+d KiB); resident set %d KiB before, %d KiB after." % (
                      mem["maxrss_kib_before"], mem["maxrss_kib_after"], mem["sandbox_runs"],
                      mem["maxrss_kib_after"] - mem["maxrss_kib_before"],
                      mem["rss_kib_before"], mem["rss_kib_after"])]
    return "\n".join(lines)


def peers_table(peers):
    if not peers:
        return "_No peer results yet: run `make bench-peers`._"
    lines = [
        "%d paired rounds per workload after %d warm-up rounds (peers.py, %s); load "
        "average %s before, %s after. CPU ms is what wait4 reports: the runner and the "
        "processes it reaped itself, so it misses payloads reaped inside a PID namespace." % (
            peers["runs"], peers["warmup"], peers["date"],
            "/".join("%.2f" % x for x in peers.get("loadavg_before") or []) or "-",
            "/".join("%.2f" % x for x in peers.get("loadavg_after") or []) or "-"),
        "",
        "| workload | runner | median ms | p95 ms | x bare (paired) | added ms | CPU ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for w in WORKLOADS:
        runners = peers["results"].get(w)
        if not runners:
            continue
        for r in ("bare", "skilllite", "bwrap", "firejail", "srt"):
            s = runners.get(r)
            if s is None:
                continue
            if "error" in s:
                lines.append("| %s | %s | failed: %s | | | | |" % (
                    LABELS[w], PEER_LABELS[r], (s["error"] or "").replace("|", "\\|")[:160]))
                continue
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                LABELS[w], PEER_LABELS[r], ms(s["median_ms"]), ms(s["p95_ms"]),
                "%.2f" % s["ratio_to_bare"] if "ratio_to_bare" in s else "-",
                "%+.2f" % s["added_ms"] if "added_ms" in s else "-", ms(s["cpu_ms_median"])))
    for r, why in sorted(peers.get("skipped", {}).items()):
        lines.append("")
        lines.append("Skipped %s: %s" % (PEER_LABELS.get(r, r), why))
    return "\n".join(lines)


def cold_table(peers):
    calc = (peers or {}).get("results", {}).get("calculator")
    if not calc:
        return "_No calculator results yet: run `make bench-peers`._"
    lines = [
        "| runner | first run ms (fresh process, no warm-up) | warm median ms |",
        "| --- | ---: | ---: |",
    ]
    for r in ("bare", "skilllite", "bwrap", "firejail", "srt"):
        s = calc.get(r)
        if s and "median_ms" in s:
            lines.append("| %s | %s | %s |" % (PEER_LABELS[r], ms(s["first_ms"]),
                                               ms(s["median_ms"])))
    return "\n".join(lines)


def parse_table(parse):
    if not parse:
        return "_No parser results yet: run `make bench`._"
    lines = ["| operation | library | time per call | MB/s | items/s |",
             "| --- | --- | ---: | ---: | ---: |"]
    for r in parse["rows"]:
        if not r["ok"]:
            lines.append("| %s | %s | failed | | |" % (r["operation"], r["library"]))
            continue
        t = r["ms_per_call"]
        per = "%.2f us" % (t * 1e3) if t < 1 else "%.2f ms" % t
        lines.append("| %s | %s | %s | %s | %s |" % (
            r["operation"], r["library"], per,
            "%.1f" % r["mb_per_s"] if r["bytes_per_call"] else "-",
            "%.0f %s" % (r["items_per_s"], r["item"]) if r["items_per_call"] else "-"))
    return "\n".join(lines)


def goals_table(lib):
    if not lib:
        return "_No library results yet: run `make bench`._"
    wl = lib["workloads"]

    def level2(w):
        return (wl.get(w) or {}).get("level2", {})

    def spaced_note(w):
        """The same comparison for runs that follow a pause, when measured."""
        bare = (wl.get(w) or {}).get("bare", {}).get("spaced_p50_ms")
        mine = level2(w).get("spaced_p50_ms")
        if not bare or not mine:
            return ""
        return "; after a %d ms pause %+.2f ms (x%.2f)" % (lib.get("gap_ms", 0), mine - bare,
                                                          mine / bare)

    def verdict(ok):
        return "met" if ok else "**not met**"

    lines = ["| goal | measured | verdict |", "| --- | --- | --- |"]
    for goal, text in GOALS:
        if goal == "python":
            s = level2("python")
            if "ratio_to_bare" not in s:
                lines.append("| %s | no result | - |" % text)
                continue
            lines.append("| %s | x%.3f (%+.2f ms)%s | %s |" % (
                text, s["ratio_to_bare"], s["added_ms"], spaced_note("python"),
                verdict(s["ratio_to_bare"] <= 1.10)))
        elif goal == "true":
            s = level2("true")
            if "added_ms" not in s:
                lines.append("| %s | no result | - |" % text)
                continue
            lines.append("| %s | %+.2f ms (x%.2f)%s | %s |" % (
                text, s["added_ms"], s["ratio_to_bare"], spaced_note("true"),
                verdict(s["added_ms"] <= 1.5)))
        elif goal == "parallel":
            parts, ok = [], True
            for w in WORKLOADS:
                bare = (wl.get(w) or {}).get("bare", {}).get("batch_s_median")
                mine = level2(w).get("batch_s_median")
                if bare and mine:
                    parts.append("%s x%.2f" % (w, mine / bare))
                    ok = ok and mine / bare <= 1.15
            lines.append("| %s | %s | %s |" % (text, ", ".join(parts) or "no result",
                                               verdict(ok) if parts else "-"))
        elif goal == "memory":
            mem = lib.get("host_memory")
            if not mem:
                lines.append("| %s | no result | - |" % text)
                continue
            added = mem["maxrss_kib_after"] - mem["maxrss_kib_before"]
            lines.append("| %s | peak RSS %+d KiB over %d runs | %s |" % (
                text, added, mem["sandbox_runs"], verdict(added < 1024)))
    return "\n".join(lines)


def replace_blocks(text, blocks):
    for name, body in blocks.items():
        pattern = re.compile(r"(<!-- BEGIN generated:%s -->\n).*?(<!-- END generated:%s -->)"
                             % (re.escape(name), re.escape(name)), re.S)
        if not pattern.search(text):
            print("report.py: no generated:%s markers in the page; block skipped" % name)
            continue
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", default=os.path.join(ROOT, "benchmark", "results"))
    parser.add_argument("--doc", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    parser.add_argument("--print", action="store_true", help="print the tables, write nothing")
    args = parser.parse_args()

    lib = load(os.path.join(args.results, "sandbox.json"))
    peers = load(os.path.join(args.results, "peers.json"))
    parse = load(os.path.join(args.results, "parse.json"))
    blocks = {
        "date": "Numbers last generated on %s." % time.strftime("%Y-%m-%d"),
        "machine": machine(peers),
        "library": library_table(lib),
        "throughput": throughput_table(lib),
        "peers": peers_table(peers),
        "cold": cold_table(peers),
        "parse": parse_table(parse),
        "goals": goals_table(lib),
    }
    if args.print:
        for name, body in blocks.items():
            print("## %s\n\n%s\n" % (name, body))
        return
    with open(args.doc) as f:
        text = f.read()
    with open(args.doc, "w") as f:
        f.write(replace_blocks(text, blocks))
    print("updated " + args.doc)


if __name__ == "__main__":
    main()
