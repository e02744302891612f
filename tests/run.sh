#!/usr/bin/env bash
# run.sh: installs what is missing, builds, and runs every test with ctest:
# once in a normal build and once under AddressSanitizer and
# UndefinedBehaviorSanitizer; then fuzzes the decoders for a minute
# (tests/fuzz/run.sh).  Exits non-zero if any test fails; ends with one
# summary line.
#
#   tests/run.sh            the default suite (everything but the soak test)
#   tests/run.sh --soak     also the soak test: the fault test with 20,000
#                           submissions instead of 4,000 (normal build only)
#   tests/run.sh -R store   only tests matching a ctest regex (both builds,
#                           no fuzzing); any ctest option may follow
#
# Tests run in parallel (ctest -j, DCP_TEST_JOBS, default cores + 1: the
# end-to-end tests spend much of their time waiting for processes and the
# network).  Each test has its own folder, ports and PostgreSQL cluster; the
# fault test asks for both cores (tests/CMakeLists.txt).  ctest prints each
# test's time.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
"$src/deploy/install-deps.sh"

soak=0
args=()
for a in "$@"; do
    if [ "$a" = --soak ]; then soak=1; else args+=("$a"); fi
done

jobs=$(nproc)
test_jobs=${DCP_TEST_JOBS:-$((jobs + 1))}
status=0
passed=0
failed=0
t_start=$SECONDS
log=$(mktemp /tmp/dcp-run.XXXXXX)
build_log=$(mktemp /tmp/dcp-run-build.XXXXXX)
build_pid=""
cleanup() {
    # the background build is a process group of its own (setsid)
    [ -n "$build_pid" ] && kill -- "-$build_pid" 2>/dev/null
    rm -f "$log" "$build_log"
}
trap cleanup EXIT
# Adds ctest's "N% tests passed, F tests failed out of T" to the totals.
count() {
    local line t f
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
    [ -n "$line" ] || { failed=$((failed + 1)); return; }   # ctest did not even finish
    f=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    t=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + t - f))
    failed=$((failed + f))
}
configure() {  # configure VARIANT: the build folder, configured
    local flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCP_WERROR=ON)
    [ "$1" = asan ] && flags+=(-DDCP_SANITIZE=ON)
    cmake -S "$src" -B "$src/build-test-$1" -G Ninja "${flags[@]}" >/dev/null
}
run_tests() {  # run_tests VARIANT
    local variant=$1 t0=$SECONDS select=(-LE soak)
    echo "== test ($variant)"
    # detect_leaks: libzmq keeps a few static buffers for the process
    # lifetime; suppressions name them instead of disabling the check.
    export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1"
    export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # The soak test (label soak) only with --soak, and only in the normal
    # build: under the sanitizers 20,000 submissions take several minutes
    # and find nothing the default 4,000 do not.
    if [ "$soak" = 1 ] && [ "$variant" = release ]; then select=(); export DCP_SOAK=1; fi
    (cd "$src/build-test-$variant" &&
        ctest --output-on-failure --timeout 600 -j "$test_jobs" "${select[@]}" "${args[@]}") 2>&1 |
        tee "$log" || status=1
    count
    echo "== test ($variant): $((SECONDS - t0)) s"
}

# One initdb for every test cluster of this run (tests/pg.sh copies it).
"$src/tests/pg.sh" template

t0=$SECONDS
echo "== build (release)"
configure release
cmake --build "$src/build-test-release" -j "$jobs"
echo "== build (release): $((SECONDS - t0)) s"

# The sanitizer build compiles while the normal build's tests run: those
# mostly wait (for processes, sockets, PostgreSQL), and nice keeps the
# compiler from slowing them much.
t0=$SECONDS
configure asan
setsid nice -n 10 cmake --build "$src/build-test-asan" -j "$jobs" > "$build_log" 2>&1 < /dev/null &
build_pid=$!

run_tests release

echo "== build (asan)"
if wait "$build_pid"; then
    build_pid=""
    echo "== build (asan): done $((SECONDS - t0)) s after it started"
else
    build_pid=""
    cat "$build_log"
    echo "== build (asan): FAILED"
    echo "all builds: $passed passed, $((failed + 1)) failed in $((SECONDS - t_start)) s"
    exit 1
fi
run_tests asan

# A short fuzzing run (clang, libFuzzer; tests/fuzz/run.sh SECONDS for a
# longer one), skipped when only some tests were asked for.
if [ ${#args[@]} = 0 ]; then
    t0=$SECONDS
    if "$src/tests/fuzz/run.sh" 30; then
        passed=$((passed + 1))
    else
        status=1
        failed=$((failed + 1))
    fi
    echo "== fuzz: $((SECONDS - t0)) s"
fi
# One closing line for both builds and the fuzz run.
echo "all builds: $passed passed, $failed failed in $((SECONDS - t_start)) s"
[ "$failed" = 0 ] || status=1
exit $status
