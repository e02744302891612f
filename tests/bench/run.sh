#!/usr/bin/env bash
# run.sh: the pipeline against PostgreSQL's own bulk load (issue 6).
#
#   tests/bench/run.sh [--submissions N] [--rows R] [--collectors K]
#                      [--revisions PCT] [--window W] [--latency-n M]
#                      [--out FILE] [--keep] [--log-statements] [--copy-runs C]
#
# In one run, on a throwaway stack (deploy/stack.sh up: PostgreSQL with its
# default settings and the project's schema, loader, validator, CURVE on):
#
#   1. generates N valid precursor responses of R seizure rows each with
#      tests/tools/gen_submissions.py --revision-pct PCT (default 12): PCT %
#      are revisions (each supersedes the previous file of its series), the
#      rest first submissions of a year, each its own (country, year) series,
#      as in a real reporting round.  A CURVE key is registered for one
#      country, so there is one collector per country: as many countries as
#      the first submissions need (36 years each, 1990-2025: 245 countries
#      for the defaults' 8,800; the reference data has 249 to give, so 12 %
#      is the smallest revision share 10,000 submissions allow), Paris Pact
#      partners first.  Every submission is accepted
#      (none lands in quarantine) as long as each collector sends in order,
#      which the collector does.  --revisions 98.6 gives the mix of the
#      figures before session 3 (4 countries, nearly all revisions);
#   2. takes the files into the outboxes (`collector take`, timed on its
#      own: that is the focal point's side, not the pipeline);
#   3. sends them over K lanes at once, each lane running the collectors of
#      its share of the countries one after the other (`collector send`:
#      CURVE, full validation, COMMIT before each receipt), and times it from
#      the first send to the last receipt (the collectors log both);
#   4. loads the very same rows (exported from dcp.pc_seizure) with
#      `psql \copy` into a table with the columns and constraints of
#      dcp.pc_seizure (primary key, checks, foreign key to dcp.submission);
#   5. measures the latency of M single one-row submissions on the idle
#      pipeline (tests/bench/latency.py: send to receipt);
#   6. reads the peak RSS (VmHWM) of the validator and the loader.
#
# Prints one summary line
#   pipeline_rows_per_s=… copy_rows_per_s=… ratio=… p50_ms=… p99_ms=… peak_rss_kb_validator=… peak_rss_kb_loader=… mix=first:F,revisions:R
# and writes every figure as JSON to FILE (default tests/bench/results/latest.json).
# Everything runs under one temporary folder, removed at the end with every
# process started here (--keep: all but the data, to read the stages' logs;
# --log-statements: also every statement's duration in log/postgresql.log,
# which costs some speed).  Not part of the test command (ctest).
#
# Sizes: the defaults (10,000 x 100 = 1,000,000 rows, 4 collectors) take
# about 80 s on a 2-core machine (a third of it taking the files into the
# outboxes); --submissions 100000 takes about ten minutes and ~6 GB of /tmp.
# Figures and the profile: tests/bench/README.md.
# Environment: DCP_BUILD_DIR (default ./build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
export DCP_BUILD_DIR=${DCP_BUILD_DIR:-$src/build}
build=$DCP_BUILD_DIR
STACK="$src/deploy/stack.sh"

N=10000 R=100 K=4 REV_PCT=12 W="" LAT_N=200 OUT="$here/results/latest.json" KEEP=0 LOG_STATEMENTS=0 COPY_RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
    --submissions) N=$2; shift 2 ;;
    --rows) R=$2; shift 2 ;;
    --collectors) K=$2; shift 2 ;;
    --revisions) REV_PCT=$2; shift 2 ;;
    --window) W=$2; shift 2 ;;
    --latency-n) LAT_N=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --copy-runs) COPY_RUNS=$2; shift 2 ;;
    --log-statements) LOG_STATEMENTS=1; KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -x "$build/collector" ] || { echo "run.sh: build first (cmake --build $build)" >&2; exit 1; }

[ "$K" -ge 1 ] || { echo "run.sh: --collectors must be at least 1" >&2; exit 2; }
# Every country in use, Paris Pact partners first: the generator reports for
# the first ones (folder c<i> is COUNTRIES[i]); the latency probe gets the
# next one, whose series nothing else touches.
mapfile -t COUNTRIES < <(python3 - "$src/libdcp/refdata/countries.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")) if not r["valid_to"]]
rows.sort(key=lambda r: r["paris_pact_partner"] != "t")
print("\n".join(r["iso3"] for r in rows))
PY
)

dir=$(mktemp -d /tmp/dcp-bench.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
    local rc=$?
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    [ "$KEEP" = 1 ] && cp "$dir/pg/server.log" "$dir/log/postgresql.log" 2>/dev/null
    "$STACK" down "$dir" >/dev/null 2>&1 || true
    "$src/tests/pg.sh" destroy "$dir/pg" >/dev/null 2>&1 || true
    if [ "$KEEP" = 1 ]; then
        rm -rf "$dir/pg" "$dir/data" "$dir"/collectors/*/outbox "$dir/seizure.tsv"
        echo "run.sh: logs kept in $dir" >&2
    else
        rm -rf "$dir"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted"; exit 130' INT TERM

now() { date +%s.%N; }
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
sql() { "$STACK" psql "$dir" -qtA -c "$1"; }
# user+system CPU seconds of a process so far
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# user+system CPU seconds of the PostgreSQL server and its live children
pg_cpu_s() {
    local pm total=0 c
    pm=$(head -n1 "$dir/pg/data/postmaster.pid")
    for p in "$pm" $(pgrep -P "$pm"); do
        c=$(cpu_s "$p")
        total=$(echo "$total + $c" | bc -l)
    done
    echo "$total"
}

say "generating $N submissions x $R rows, $REV_PCT % of them revisions"
t0=$(now)
# the last country is kept for the latency probe
mix=$(python3 "$src/tests/tools/gen_submissions.py" "$dir/data" "$N" --rows "$R" \
    --countries "$(IFS=,; echo "${COUNTRIES[*]:0:${#COUNTRIES[@]}-1}")" \
    --revision-pct "$REV_PCT" --kind precursors)
t_gen=$(echo "$(now) - $t0" | bc -l)
eval "$mix"   # countries= first_submissions= revisions=
ccs=("${COUNTRIES[@]:0:countries}")
lat_cc=${COUNTRIES[$countries]}
[ "$K" -le "$countries" ] || K=$countries
say "$first_submissions first submissions and $revisions revisions for $countries countries, $K lanes"
# lane LANE: the folder indexes of the countries it sends for
lane() { local c; for ((c = $1; c < countries; c += K)); do echo "$c"; done; }

say "starting PostgreSQL, loader and validator (CURVE on)"
unset DCP_INSECURE DCP_PG_NO_FSYNC   # CURVE on, PostgreSQL durable, as in production
"$STACK" up "$dir" "${ccs[@]}" "$lat_cc" >/dev/null
if [ "$LOG_STATEMENTS" = 1 ]; then
    sql "ALTER SYSTEM SET log_min_duration_statement = 0" >/dev/null
    sql "SELECT pg_reload_conf()" >/dev/null
fi
vpid=$(cat "$dir/run/validator.pid")
lpid=$(cat "$dir/run/loader.pid")

say "taking the files into $countries outboxes"
t0=$(now)
for ((i = 0; i < K; i++)); do
    ( for c in $(lane "$i"); do
          (cd "$dir/data/c$c" && "$STACK" collector "$dir" "${ccs[$c]}" take ./*.json) || exit 1
      done ) > "$dir/log/take-$i.out" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "run.sh: collector take failed:" >&2; tail -n 5 "$dir"/log/take-*.out >&2; exit 1; }; done
pids=()
t_take=$(echo "$(now) - $t0" | bc -l)

sql "CHECKPOINT" >/dev/null
say "sending over $K lanes"
v_cpu0=$(cpu_s "$vpid"); l_cpu0=$(cpu_s "$lpid"); pg_cpu0=$(pg_cpu_s)
t0=$(now)
for ((i = 0; i < K; i++)); do
    # `times` in the subshell: the CPU time of the collectors it waited for.
    ( rc=0
      for c in $(lane "$i"); do
          "$STACK" collector "$dir" "${ccs[$c]}" --log_level=info --wait_s=0 ${W:+--window=$W} send \
              >> "$dir/log/send-$i.out" 2>> "$dir/log/send-$i.log" || rc=1
      done
      times > "$dir/log/send-$i.times"; exit $rc ) &
    pids+=($!)
done
send_failed=0
for p in "${pids[@]}"; do wait "$p" || send_failed=1; done
pids=()
t_send_wall=$(echo "$(now) - $t0" | bc -l)
v_cpu=$(echo "$(cpu_s "$vpid") - $v_cpu0" | bc -l)
l_cpu=$(echo "$(cpu_s "$lpid") - $l_cpu0" | bc -l)
pg_cpu=$(echo "$(pg_cpu_s) - $pg_cpu0" | bc -l)
# second line of `times`: children's user and system time, "XmY.YYYs"
c_cpu=$(awk 'FNR == 2 { for (f = 1; f <= 2; f++) { split($f, a, /[ms]/); t += a[1] * 60 + a[2] } }
             END { printf "%.2f", t }' "$dir"/log/send-*.times)
read -r n_sub n_rows n_quar < <(sql "SELECT (SELECT count(*) FROM dcp.submission),
    (SELECT count(*) FROM dcp.pc_seizure), (SELECT count(*) FROM dcp.quarantine)" | tr '|' ' ')
read -r raw_avg raw_stored_avg < <(sql "SELECT round(avg(octet_length(raw))), round(avg(pg_column_size(raw)))
    FROM dcp.submission" | tr '|' ' ')
batches=$(curl -s "http://127.0.0.1:$(sed 's/.*loader_metrics=\([0-9]*\).*/\1/' "$dir/ports")/metrics" |
          awk '$1 == "dcp_loader_batches_total" {print $2}' || true)

say "loading the same $n_rows rows with psql \\copy, $COPY_RUNS times"
sql "\\copy (SELECT * FROM dcp.pc_seizure) TO '$dir/seizure.tsv'"
chmod 644 "$dir/seizure.tsv"
sql "CREATE SCHEMA bench;
     CREATE TABLE bench.pc_seizure (LIKE dcp.pc_seizure INCLUDING ALL);
     ALTER TABLE bench.pc_seizure ADD FOREIGN KEY (submission_id)
         REFERENCES dcp.submission ON DELETE RESTRICT" >/dev/null
# The pipeline started on a quiet database; so does each \copy: nothing
# left for autovacuum to do, nothing dirty.  The time taken is the median
# of the runs (a run on this shared machine varies by up to 40 %).
sql "VACUUM ANALYZE" >/dev/null
copy_times=()
for ((r = 0; r < COPY_RUNS; r++)); do
    sql "TRUNCATE bench.pc_seizure" >/dev/null
    sql "CHECKPOINT" >/dev/null
    t0=$(now)
    sql "\\copy bench.pc_seizure FROM '$dir/seizure.tsv'" >/dev/null
    copy_times+=("$(echo "$(now) - $t0" | bc -l)")
done
t_copy=$(printf '%s\n' "${copy_times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
n_copy=$(sql "SELECT count(*) FROM bench.pc_seizure")

say "latency: $LAT_N single one-row submissions on the idle pipeline"
. <(tr ' ' '\n' < "$dir/ports")
lat_line=$(/usr/bin/python3 "$here/latency.py" "tcp://127.0.0.1:$validator" \
    "$dir/keys/validator.key.pub" "$dir/keys/collector-$lat_cc.key" "$lat_cc" "$LAT_N")

rss_v=$(awk '/^VmHWM/ {print $2}' "/proc/$vpid/status")
rss_l=$(awk '/^VmHWM/ {print $2}' "/proc/$lpid/status")

mkdir -p "$(dirname "$OUT")"
python3 - "$dir" "$OUT" <<PY
import json, re, sys, datetime, platform, os
d, out = sys.argv[1], sys.argv[2]
def ts(line):
    m = re.search(r"ts=(\S+)Z", line)
    return datetime.datetime.fromisoformat(m.group(1)).timestamp()
starts, ends, resent = [], [], 0
for i in range($K):
    for line in open(f"{d}/log/send-{i}.log"):
        if 'msg=sending ' in line or 'msg="sending"' in line:
            starts.append(ts(line))
        elif 'msg="sending done"' in line:
            ends.append(ts(line))
            resent += int(re.search(r"resent=(\d+)", line).group(1))
t_send = max(ends) - min(starts)
lat = dict(kv.split("=") for kv in "$lat_line".split()[1:])
rows, subs = $n_rows, $n_sub
pipe = rows / t_send
copy = $n_copy / $t_copy
cpu = open("/proc/cpuinfo").read()
model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
r = {
    "pipeline_rows_per_s": round(pipe), "copy_rows_per_s": round(copy),
    "ratio": round(pipe / copy, 3),
    "p50_ms": float(lat["p50_ms"]), "p99_ms": float(lat["p99_ms"]),
    "peak_rss_kb_validator": $rss_v, "peak_rss_kb_loader": $rss_l,
    "pipeline_submissions_per_s": round(subs / t_send, 1),
    "pipeline_seconds": round(t_send, 3), "send_wall_seconds": round($t_send_wall, 3),
    "take_seconds": round($t_take, 3), "take_submissions_per_s": round($N / $t_take, 1),
    "take_rows_per_s": round($N * $R / $t_take),
    "generate_seconds": round($t_gen, 3), "copy_seconds": round($t_copy, 3),
    "latency": {k: float(v) for k, v in lat.items()},
    "cpu_seconds_during_send": {"validator": round($v_cpu, 2), "loader": round($l_cpu, 2),
                                "postgresql": round($pg_cpu, 2), "collectors": round($c_cpu, 2)},
    "copy_seconds_each": [round(float(x), 3) for x in "${copy_times[*]}".split()],
    "submissions": $N, "rows_per_submission": $R, "lanes": $K, "collectors": $countries,
    "mix": {"revision_pct": $REV_PCT, "first_submissions": $first_submissions,
            "revisions": $revisions, "countries": $countries},
    "window": "${W:-default}", "stored_submissions": subs, "stored_rows": rows,
    "copied_rows": $n_copy, "quarantined": $n_quar, "resent": resent,
    "loader_batches": int(float("${batches:-0}" or 0)),
    "raw_bytes_avg": int("$raw_avg" or 0), "raw_stored_bytes_avg": int("$raw_stored_avg" or 0),
    "machine": {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
                "mem_kb": int(re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read()).group(1)),
                "postgresql": "$(sql "SHOW server_version")"},
    "date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
}
json.dump(r, open(out, "w"), indent=2)
open(out, "a").write("\n")
print("pipeline_rows_per_s=%d copy_rows_per_s=%d ratio=%.3f p50_ms=%.2f p99_ms=%.2f "
      "peak_rss_kb_validator=%d peak_rss_kb_loader=%d mix=first:%d,revisions:%d"
      % (r["pipeline_rows_per_s"], r["copy_rows_per_s"], r["ratio"], r["p50_ms"], r["p99_ms"],
         r["peak_rss_kb_validator"], r["peak_rss_kb_loader"], $first_submissions, $revisions))
print("details: %.1f submissions/s over %.2f s (first send to last receipt), take %.0f files/s, "
      "copy %.2f s (median of %s), loader batches %s, CPU s during send: validator %.1f loader %.1f "
      "postgres %.1f collectors %.1f; %s"
      % (r["pipeline_submissions_per_s"], t_send, r["take_submissions_per_s"], $t_copy,
         " ".join("%.2f" % x for x in r["copy_seconds_each"]), r["loader_batches"], $v_cpu, $l_cpu,
         $pg_cpu, $c_cpu, out), file=sys.stderr)
PY

want_rows=$((N * R))
if [ "$send_failed" != 0 ] || [ "$n_sub" != "$N" ] || [ "$n_rows" != "$want_rows" ] || [ "$n_quar" != 0 ] \
   || [ "$n_copy" != "$n_rows" ]; then
    echo "run.sh: INVALID RUN: stored $n_sub of $N submissions, $n_rows of $want_rows rows," \
         "$n_quar quarantined, $n_copy copied (see the collector output)" >&2
    exit 1
fi
