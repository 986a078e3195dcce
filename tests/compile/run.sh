#!/bin/sh
# Compile matrix for the generated header: declarations as C99/C11/C++11/C++17,
# the implementation as C99/C11, static mode, split declarations/implementation, a C++
# host linked with a C implementation, and a check that only sl_ symbols are exported.
# Runs with gcc and clang; every build uses -Wall -Wextra -Wpedantic -Werror.
set -u
BUILD=${BUILD:-build}
OUT="$BUILD/compile"
mkdir -p "$OUT"
WARN="-Wall -Wextra -Wpedantic -Werror"
failed=0
passed=0

step() {
    name=$1
    shift
    if "$@" >"$OUT/log.txt" 2>&1; then
        passed=$((passed + 1))
    else
        echo "FAIL compile $name: $*"
        sed 's/^/    /' "$OUT/log.txt" | head -n 30
        failed=$((failed + 1))
    fi
}

for cc in gcc clang; do
    case $cc in gcc) cxx=g++ ;; clang) cxx=clang++ ;; esac
    for std in c99 c11; do
        step "$cc $std declarations" $cc -std=$std $WARN -I. -c tests/compile/decl.c -o "$OUT/decl-$cc-$std.o"
        step "$cc $std implementation" $cc -std=$std $WARN -I. -c tests/compile/impl.c -o "$OUT/impl-$cc-$std.o"
        step "$cc $std static mode" $cc -std=$std $WARN -I. tests/compile/static_mode.c -o "$OUT/static-$cc-$std"
        step "$cc $std static mode runs" "$OUT/static-$cc-$std"
        step "$cc $std split units" $cc -std=$std $WARN -I. tests/compile/split_main.c tests/compile/impl.c -o "$OUT/split-$cc-$std"
        step "$cc $std split units run" "$OUT/split-$cc-$std"
    done
    for std in c++11 c++17; do
        step "$cxx $std declarations" $cxx -std=$std $WARN -I. -c tests/compile/decl.cpp -o "$OUT/decl-$cxx-$std.o"
        step "$cxx $std host links C implementation" $cxx -std=$std $WARN -I. "$OUT/decl-$cxx-$std.o" "$OUT/impl-$cc-c11.o" -o "$OUT/cxxhost-$cc-$std"
        step "$cxx $std host runs" "$OUT/cxxhost-$cc-$std"
    done
done

# The host examples from the README compile with both compilers and run the calculator.
for cc in gcc clang; do
    case $cc in gcc) cxx=g++ ;; clang) cxx=clang++ ;; esac
    step "$cc examples/host/minimal.c" $cc -std=c11 $WARN -I. examples/host/minimal.c -o "$OUT/minimal-$cc"
    step "$cc examples/host/poll_loop.c" $cc -std=c11 $WARN -I. examples/host/poll_loop.c -o "$OUT/poll-$cc"
    step "$cxx examples/host/host.cpp" $cxx -std=c++17 $WARN -I. examples/host/host.cpp "$OUT/impl-$cc-c11.o" -o "$OUT/hostcpp-$cc"
done
expect_output() {
    name=$1
    expected=$2
    shift 2
    actual=$("$@" 2>&1)
    if [ "$actual" = "$expected" ]; then
        passed=$((passed + 1))
    else
        echo "FAIL $name: output \"$actual\", expected \"$expected\""
        failed=$((failed + 1))
    fi
}
expect_output "minimal host runs the calculator" 'exit 0, output {"result": 42}' "$OUT/minimal-gcc"
expect_output "C++ host runs the calculator" 'calculator: exit 0, output {"result": 42}' "$OUT/hostcpp-clang"
case $("$OUT/poll-gcc" 2>&1) in
    "after "*" frames: exit 0, output {\"result\": 42}") passed=$((passed + 1)) ;;
    *) echo "FAIL poll-loop host: $("$OUT/poll-gcc" 2>&1)"; failed=$((failed + 1)) ;;
esac

# Only sl_ names may be exported: a vendored header must not collide with the host.
exported=$(nm -g --defined-only "$OUT/impl-gcc-c11.o" | awk '{print $3}' | grep -v '^sl_' || true)
if [ -n "$exported" ]; then
    echo "FAIL compile exported symbols without the sl_ prefix: $exported"
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
