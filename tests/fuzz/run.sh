#!/usr/bin/env bash
# run.sh: builds the libFuzzer harnesses with clang and runs each of them for
# a while on a corpus seeded from collector/examples.  Exits non-zero if a
# harness crashes, trips a sanitizer, leaks, or hangs; the input that did it
# is kept in the build folder's artifacts/ and the command to replay it is
# printed.  tests/run.sh runs it for 30 s per harness.
#
#   tests/fuzz/run.sh            30 s per harness (about a minute in all)
#   tests/fuzz/run.sh 3600       an hour per harness
#
# Environment: DCP_FUZZ_BUILD_DIR (default ./build-fuzz).  The corpus grows
# in DCP_FUZZ_BUILD_DIR/corpus/ and is reused by the next run.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
dir=${DCP_FUZZ_BUILD_DIR:-$src/build-fuzz}
max_len=1048576  # 1 MiB: the largest example is a few KiB; room to grow

echo "== fuzz: build ($dir)"
# Warnings are the gcc builds' job (tests/run.sh); the top level's gcc-only
# -Wno-format-truncation would otherwise stop clang.
cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_FLAGS=-Wno-unknown-warning-option -DDCP_WERROR=OFF \
      -DDCP_FUZZ=ON -DDCP_BUILD_TESTS=OFF >/dev/null
cmake --build "$dir" --target fuzz_submission fuzz_json fuzz_corpus -j "$(nproc)"

# Words the mutator may splice in: every field name of the contract as a
# JSON key (the JSON format uses the proto names) and the status words.
dict="$dir/json.dict"
{
    sed -n 's/^ *\(repeated \)\{0,1\}[A-Za-z0-9_.]* \([a-z_0-9]*\) = [0-9]*;.*/"\\"\2\\""/p' \
        "$src"/proto/*.proto | sort -u
    for w in REPORTED ESTIMATED PROVISIONAL NOT_AVAILABLE CONFIDENTIAL "not available" "--" \
             "n/a" true false null; do
        printf '"\\"%s\\""\n' "$w"
    done
} > "$dict"

# Both harnesses at once, one a core: the same seconds each, half the wait.
fuzz_one() {
    local harness=$1 corpus="$dir/corpus/$1" log="$dir/fuzz_$1.log" extra=()
    mkdir -p "$corpus" "$dir/artifacts"
    [ "$harness" = json ] && extra+=(-dict="$dict")
    # detect_leaks: every input must free what it allocates.
    if ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" UBSAN_OPTIONS="print_stacktrace=1" \
       "$dir/tests/fuzz/fuzz_$harness" -max_total_time="$seconds" -max_len=$max_len \
           -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
           -artifact_prefix="$dir/artifacts/$harness-" "${extra[@]}" \
           "$corpus" "$dir/tests/fuzz/seeds/$harness" > "$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "ok   $harness: $runs executions, $speed exec/s, corpus $(ls "$corpus" | wc -l) inputs"
    else
        grep -E "ERROR|SUMMARY|runtime error|Test unit written|abort" "$log" | awk 'NR <= 20' || true
        echo "FAIL $harness: see $log; replay with:"
        echo "     $dir/tests/fuzz/fuzz_$harness $(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" | awk 'NR == 1')"
        return 1
    fi
}

status=0
echo "== fuzz: submission and json for ${seconds} s each, side by side"
pids=()
for harness in submission json; do
    fuzz_one "$harness" > "$dir/fuzz_$harness.summary" &
    pids+=($!)
done
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || status=1
done
cat "$dir/fuzz_submission.summary" "$dir/fuzz_json.summary"
exit $status
