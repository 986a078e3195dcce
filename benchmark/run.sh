#!/bin/sh
# Builds and runs the benchmarks, then rewrites the tables in docs/BENCHMARKS.md and the
# chart docs/benchmark-latency.svg. Called by `make bench` and `make bench-peers`.
#
#   sh benchmark/run.sh           library (bench_sandbox), parsers (bench_parse) and the
#                                 peer sandboxes that are installed (peers.py)
#   sh benchmark/run.sh --peers   installs bubblewrap, firejail, ripgrep and socat with
#                                 apt-get and sandbox-runtime (srt) with npm into
#                                 benchmark/node_modules, then runs peers.py only
#
# Environment: CC, BUILD (default build), PYTHON (default python3), RESULTS (default
# benchmark/results), BENCH_FLAGS (extra bench_sandbox options, e.g. "-n 50"),
# PEERS_FLAGS (extra peers.py options, e.g. "-n 10").
set -eu

cd "$(dirname "$0")/.."
CC=${CC:-cc}
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-python3}
RESULTS=${RESULTS:-benchmark/results}
WARN="-Wall -Wextra -Wpedantic -Werror"
mkdir -p "$BUILD" "$RESULTS"

if [ "${1:-}" = "--peers" ]; then
    # srt needs ripgrep and socat at run time; it reports them missing otherwise.
    if ! command -v bwrap >/dev/null || ! command -v firejail >/dev/null ||
        ! command -v rg >/dev/null || ! command -v socat >/dev/null; then
        packages="bubblewrap firejail ripgrep socat"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y $packages ||
            { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $packages; } ||
            echo "run.sh: apt-get could not install $packages; peers.py skips the" \
                "missing runners" >&2
    fi
    if [ ! -x benchmark/node_modules/.bin/srt ]; then
        npm install --prefix benchmark --no-save --no-package-lock --no-audit --no-fund \
            @anthropic-ai/sandbox-runtime ||
            echo "run.sh: npm could not install @anthropic-ai/sandbox-runtime; peers.py" \
                "skips srt" >&2
    fi
    # shellcheck disable=SC2086
    "$PYTHON" benchmark/peers.py -o "$RESULTS/peers.json" ${PEERS_FLAGS:-}
else
    parse_defs=""
    parse_libs=""
    if [ -f /usr/include/cjson/cJSON.h ]; then
        parse_defs="$parse_defs -DBENCH_WITH_CJSON"
        parse_libs="$parse_libs -lcjson"
    else
        echo "run.sh: libcjson-dev not installed; the cJSON column is skipped" >&2
    fi
    if [ -f /usr/include/yaml.h ]; then
        parse_defs="$parse_defs -DBENCH_WITH_LIBYAML"
        parse_libs="$parse_libs -lyaml"
    else
        echo "run.sh: libyaml-dev not installed; the libyaml column is skipped" >&2
    fi

    # shellcheck disable=SC2086
    "$CC" -std=c11 $WARN -O2 -g -I. -o "$BUILD/bench_sandbox" benchmark/bench_sandbox.c
    # The scanner row needs the scan module implemented; without it the build is retried
    # without that row.
    # shellcheck disable=SC2086
    if ! "$CC" -std=c11 $WARN -O2 -g -I. $parse_defs -DBENCH_WITH_SCAN \
        -o "$BUILD/bench_parse" benchmark/bench_parse.c $parse_libs; then
        echo "run.sh: bench_parse does not build with the scanner; the scanner row is" \
            "skipped" >&2
        # shellcheck disable=SC2086
        "$CC" -std=c11 $WARN -O2 -g -I. $parse_defs -o "$BUILD/bench_parse" \
            benchmark/bench_parse.c $parse_libs
    fi

    # shellcheck disable=SC2086
    "$BUILD/bench_sandbox" -o "$RESULTS/sandbox.json" ${BENCH_FLAGS:-}
    "$BUILD/bench_parse" "$RESULTS"
    # shellcheck disable=SC2086
    "$PYTHON" benchmark/peers.py -o "$RESULTS/peers.json" ${PEERS_FLAGS:-}
fi

"$PYTHON" benchmark/chart.py --results "$RESULTS" -o docs/benchmark-latency.svg
"$PYTHON" benchmark/report.py --results "$RESULTS" --doc docs/BENCHMARKS.md
