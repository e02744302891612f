#!/usr/bin/env bash
# run.sh: installs what is missing, builds, and runs every test with ctest:
# once in a normal build and once under AddressSanitizer and
# UndefinedBehaviorSanitizer; then fuzzes the decoders for a minute
# (tests/fuzz/run.sh).  Exits non-zero if any test fails.
#
#   tests/run.sh            everything
#   tests/run.sh -R store   only tests matching a ctest regex (both builds)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
"$src/deploy/install-deps.sh"

jobs=$(nproc)
status=0
passed=0
failed=0
log=$(mktemp /tmp/dcp-run.XXXXXX)
trap 'rm -f "$log"' EXIT
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
for variant in release asan; do
    dir="$src/build-test-$variant"
    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCP_WERROR=ON)
    [ "$variant" = asan ] && flags+=(-DDCP_SANITIZE=ON)
    echo "== build ($variant)"
    cmake -S "$src" -B "$dir" -G Ninja "${flags[@]}" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "== test ($variant)"
    # detect_leaks: libzmq keeps a few static buffers for the process
    # lifetime; suppressions name them instead of disabling the check.
    export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1"
    export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # The fault test sends 20,000 submissions in the normal build; under the
    # sanitizers (several times slower) it sends 4,000 with the same faults.
    if [ "$variant" = asan ]; then export DCP_FAULT_N=4000; else unset DCP_FAULT_N; fi
    (cd "$dir" && ctest --output-on-failure --timeout 600 "$@") 2>&1 | tee "$log" || status=1
    count
done
# A short fuzzing run (clang, libFuzzer; tests/fuzz/run.sh SECONDS for a
# longer one), skipped when only some tests were asked for.
if [ $# = 0 ]; then
    if "$src/tests/fuzz/run.sh" 30; then
        passed=$((passed + 1))
    else
        status=1
        failed=$((failed + 1))
    fi
fi
# One closing line for both builds and the fuzz run.
echo "all builds: $passed passed, $failed failed"
[ "$failed" = 0 ] || status=1
exit $status
