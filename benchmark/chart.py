#!/usr/bin/env python3
"""Draw the median latency per sandbox and workload as an SVG bar chart.

Reads benchmark/results/sandbox.json (bench_sandbox: bare and the library at level 1 and
2) and benchmark/results/peers.json (peers.py: bare, the skilllite CLI, bwrap, firejail,
srt); either may be missing. Each harness has its own bare bar, because the two run at
different times and start processes differently. The y axis is logarithmic because the runners differ by two orders
of magnitude. Standard library only.

Usage: python3 benchmark/chart.py [--results DIR] [-o docs/benchmark-latency.svg]
"""

import argparse
import json
import math
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["true", "python", "node", "calculator"]
WORKLOAD_LABELS = {
    "true": "/bin/true",
    "python": "python3 -c 'print(1)'",
    "node": "node -e 0",
    "calculator": "calculator skill",
}
# (key, label, colour); the keys are filled in by collect().
SERIES = [
    ("libbare", "bare, in-process harness", "#cfcfcf"),
    ("lib1", "skilllite library, level 1, back to back", "#90caf9"),
    ("lib2", "skilllite library, level 2, back to back", "#1e88e5"),
    ("lib2s", "skilllite library, level 2, after a pause", "#5c6bc0"),
    ("bare", "bare, process harness", "#757575"),
    ("cli", "skilllite CLI (level 2)", "#0d47a1"),
    ("bwrap", "bubblewrap", "#43a047"),
    ("firejail", "firejail", "#fb8c00"),
    ("srt", "sandbox-runtime (srt)", "#e53935"),
]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def collect(results_dir):
    """Return {series_key: {workload: median_ms}} from whatever results exist."""
    data = {key: {} for key, _, _ in SERIES}
    lib = load(os.path.join(results_dir, "sandbox.json"))
    peers = load(os.path.join(results_dir, "peers.json"))
    if lib:
        for workload, modes in lib.get("workloads", {}).items():
            for mode, key in (("level1", "lib1"), ("level2", "lib2")):
                if "p50_ms" in modes.get(mode, {}):
                    data[key][workload] = modes[mode]["p50_ms"]
            if "spaced_p50_ms" in modes.get("level2", {}):
                data["lib2s"][workload] = modes["level2"]["spaced_p50_ms"]
            if "p50_ms" in modes.get("bare", {}):
                data["libbare"][workload] = modes["bare"]["p50_ms"]
    if peers:
        for workload, runners in peers.get("results", {}).items():
            for runner, stats in runners.items():
                key = "cli" if runner == "skilllite" else runner
                if key in data and "median_ms" in stats:
                    data[key][workload] = stats["median_ms"]
    return data


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_ms(ms):
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 10:
        return "%.1f" % ms
    return "%.2f" % ms


def render(data, title):
    series = [(k, label, colour) for k, label, colour in SERIES if data[k]]
    workloads = [w for w in WORKLOADS if any(w in data[k] for k, _, _ in series)]
    if not series or not workloads:
        raise SystemExit("chart.py: no results found; run make bench first")

    values = [v for k, _, _ in series for v in data[k].values() if v > 0]
    low = 10 ** math.floor(math.log10(min(values)))
    high = 10 ** math.ceil(math.log10(max(values)))

    bar_w, gap, group_gap = 18, 3, 36
    left, top, plot_h = 70, 60, 360
    group_w = len(series) * (bar_w + gap) - gap
    plot_w = len(workloads) * (group_w + group_gap) + group_gap
    legend_h = 22 * ((len(series) + 1) // 2) + 10
    width = left + plot_w + 20
    height = top + plot_h + 70 + legend_h

    def y_of(ms):
        frac = (math.log10(ms) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return top + plot_h - frac * plot_h

    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
        'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (
            width, height, width, height),
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        '<text x="%d" y="28" font-size="16" font-weight="bold">%s</text>' % (left, esc(title)),
        '<text x="%d" y="46" fill="#555555">median wall time per run, ms, log scale; '
        'lower is better</text>' % left,
    ]

    decade = low
    while decade <= high * 1.0001:
        y = y_of(decade)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#dddddd"/>' % (
            left, y, left + plot_w, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end" fill="#555555">%s</text>' % (
            left - 6, y + 4, ("%g" % decade)))
        decade *= 10
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>' % (
        left, top + plot_h, left + plot_w, top + plot_h))

    for gi, workload in enumerate(workloads):
        x0 = left + group_gap + gi * (group_w + group_gap)
        for si, (key, label, colour) in enumerate(series):
            ms = data[key].get(workload)
            if not ms or ms <= 0:
                continue
            x = x0 + si * (bar_w + gap)
            y = y_of(ms)
            out.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s">'
                       '<title>%s, %s: %s ms</title></rect>' % (
                           x, y, bar_w, top + plot_h - y, colour, esc(label),
                           esc(WORKLOAD_LABELS[workload]), fmt_ms(ms)))
            out.append('<text x="%.1f" y="%.1f" font-size="9" text-anchor="start" '
                       'transform="rotate(-90 %.1f %.1f)">%s</text>' % (
                           x + bar_w / 2 + 3, y - 3, x + bar_w / 2 + 3, y - 3, fmt_ms(ms)))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (
            x0 + group_w / 2, top + plot_h + 20, esc(WORKLOAD_LABELS[workload])))

    ly = top + plot_h + 50
    for si, (key, label, colour) in enumerate(series):
        lx = left + (si % 2) * 330
        yy = ly + (si // 2) * 22
        out.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/>' % (lx, yy, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 20, yy + 11, esc(label)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", default=os.path.join(ROOT, "benchmark", "results"),
                        help="folder with sandbox.json and peers.json")
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "docs",
                                                               "benchmark-latency.svg"))
    parser.add_argument("--title", default="Sandboxed start-up latency (2-core VM)")
    args = parser.parse_args()
    svg = render(collect(args.results), args.title)
    with open(args.output, "w") as f:
        f.write(svg)
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
