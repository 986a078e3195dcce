#!/bin/sh
# Runs every test program and sums their "N passed, N failed, N skipped" lines into one
# closing line of the same form. Exit status 1 when any case failed or a program crashed.
BUILD=${BUILD:-build}
export SKILLLITE_BIN="$PWD/$BUILD/skilllite"
total_pass=0
total_fail=0
total_skip=0
status=0

run_program() {
    name=$1
    shift
    echo "== $name"
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed, [0-9]* failed' || true
    line=$(printf '%s\n' "$out" | grep '^[0-9]* passed, [0-9]* failed' | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: exited with status $rc before printing its summary"
        total_fail=$((total_fail + 1))
        status=1
        return
    fi
    echo "$name: $line"
    p=$(echo "$line" | sed 's/^\([0-9]*\) passed.*/\1/')
    f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
    s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + ${s:-0}))
    if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
        status=1
    fi
}

run_program unit "$BUILD/test_unit"
for t in $FUZZ_TARGETS; do
    run_program "replay_$t" "$BUILD/replay_$t" "tests/fuzz/corpus/$t"
done
if [ -x "$BUILD/test_cli" ]; then
    run_program cli "$BUILD/test_cli"
fi
if [ -x "$BUILD/test_security" ]; then
    run_program security "$BUILD/test_security"
fi

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
exit $status
