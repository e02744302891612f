#!/usr/bin/env bash
# Fault test: several collectors submit thousands of responses while the
# validator and the loader are killed with SIGKILL and restarted and
# PostgreSQL is stopped with an immediate shutdown and restarted.  Afterwards
# every submission must be in PostgreSQL exactly once (accepted, or rejected
# and kept in quarantine), every outbox empty, and every collector must hold
# a receipt for each of its submissions.
#
# Runs without CURVE: each collector here submits for many countries (the
# one-key-one-country rule is tested in security.sh); the faults are the same.
# Size: DCP_FAULT_N (default 4000), DCP_FAULT_COLLECTORS (default 4).  The
# default suite sends 4,000 in both builds; the soak test (ctest label soak,
# `tests/run.sh --soak` or `DCP_SOAK=1 ctest -L soak`) sends 20,000 through
# the same faults.
#
# PostgreSQL keeps fsync on here, and the test's folder stays on disk
# (unlike the other end-to-end tests): what is tested is that nothing
# acknowledged is lost when the database is killed.
DCP_PG_NO_FSYNC=0
DCP_E2E_TMP=/tmp
# The soak test runs only when asked for (DCP_SOAK=1): a plain `ctest` in a
# build folder skips it (exit 77) rather than spend a minute or more on it.
if [ "${DCP_FAULT_SOAK:-0}" = 1 ] && [ "${DCP_SOAK:-0}" != 1 ]; then
    echo "skipped: the soak test runs with DCP_SOAK=1 (tests/run.sh --soak)"
    exit 77
fi
. "$(dirname "$0")/lib/common.sh"

N=${DCP_FAULT_N:-4000}
K=${DCP_FAULT_COLLECTORS:-4}
CHUNKS=10
export DCP_INSECURE=1
t_start=$(date +%s)

data="$E2E_DIR/data"
# Half the files repeat a series without declaring a revision: the loader
# rejects those (V-ENV-06) and keeps them in quarantine, so both outcomes go
# through the faults.
series=$(python3 "$SRC/tests/tools/gen_submissions.py" "$data" "$N" --collectors "$K" --rows 3 \
    --series $((N / 2)))
ccs=()
for ((i = 0; i < K; i++)); do ccs+=("C$(printf %02d "$i")"); done
"$STACK" up "$E2E_DIR" "${ccs[@]}" >/dev/null
echo "generated $N submissions ($series distinct series) for $K collectors"

# Each collector submits its files in chunks, one `collector submit` after the
# other, so that taking and sending overlap with the faults.
for ((i = 0; i < K; i++)); do
    (
        cd "$data/c$i"
        files=(*.json)
        per=$(( (${#files[@]} + CHUNKS - 1) / CHUNKS ))
        for ((k = 0; k < ${#files[@]}; k += per)); do
            "$STACK" collector "$E2E_DIR" "${ccs[$i]}" --timeout_ms=3000 --backoff_max_ms=2000 \
                --window=128 --wait_s=240 submit "${files[@]:k:per}" >> "$E2E_DIR/log/collector-$i.log" 2>&1 || true
        done
    ) &
    echo $! > "$E2E_DIR/run/collector-$i.pid"
done

# psql itself rather than through stack.sh, and 5 times a second: polling
# costs CPU the pipeline under test could use.
stored() {
    psql "$(cat "$E2E_DIR/pg/conninfo")" -X -qtA -c \
        "SELECT (SELECT count(*) FROM dcp.submission) + (SELECT count(*) FROM dcp.quarantine)" 2>/dev/null || echo 0
}
wait_stored() {  # wait until at least $1 are stored (or 120 s)
    for ((w = 0; w < 600; w++)); do
        [ "$(stored)" -ge "$1" ] && return 0
        sleep 0.2
    done
    return 1
}

at() { echo "$(($(date +%s) - t_start)) s"; }
wait_stored $((N / 10)) || echo "warning: slow start"
echo "fault 1 at $(stored) stored, $(at): SIGKILL validator"
"$STACK" kill validator "$E2E_DIR"
sleep 1   # the sleeps here are outages (collectors keep sending), not waits
"$STACK" start validator "$E2E_DIR"

wait_stored $((N * 3 / 10)) || true
echo "fault 2 at $(stored) stored, $(at): SIGKILL loader"
"$STACK" kill loader "$E2E_DIR"
sleep 1
"$STACK" start loader "$E2E_DIR"

wait_stored $((N / 2)) || true
echo "fault 3 at $(stored) stored, $(at): PostgreSQL immediate shutdown"
"$STACK" pg-kill "$E2E_DIR"
sleep 2
"$STACK" pg-start "$E2E_DIR"

for ((i = 0; i < K; i++)); do
    wait "$(cat "$E2E_DIR/run/collector-$i.pid")" 2>/dev/null || true
    rm -f "$E2E_DIR/run/collector-$i.pid"
done
t_end=$(date +%s)

pending=0; receipts=0
for ((i = 0; i < K; i++)); do
    ob="$E2E_DIR/collectors/${ccs[$i]}/outbox"
    pending=$((pending + $(find "$ob/pending" -mindepth 1 -maxdepth 1 | wc -l)))
    receipts=$((receipts + $(find "$ob/accepted" "$ob/rejected" -name receipt.pb | wc -l)))
done
read -r total distinct accepted quarantined < <(sql "
    SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE t = 'a'), count(*) FILTER (WHERE t = 'q')
      FROM (SELECT submission_id::text AS id, 'a' AS t FROM dcp.submission
            UNION ALL SELECT submission_id, 'q' FROM dcp.quarantine) s" | tr '|' ' ')
dups=$((total - distinct))
lost=$((N - distinct))
echo "sent=$N stored=$distinct accepted=$accepted quarantined=$quarantined duplicates=$dups lost=$lost pending=$pending receipts=$receipts seconds=$((t_end - t_start))"

check "no submission lost" [ "$lost" = 0 ]
check "one accepted per series, every repeat kept in quarantine" \
    test "$accepted" = "$series" -a "$quarantined" = $((N - series))
check "no submission stored twice" [ "$dups" = 0 ]
check "every outbox is empty" [ "$pending" = 0 ]
check "every collector holds a receipt for each submission" [ "$receipts" = "$N" ]
sql_is "one current revision per series" \
    "SELECT count(*) FROM (SELECT 1 FROM dcp.submission WHERE is_current
       GROUP BY reporting_country, questionnaire, reporting_year HAVING count(*) > 1) d" 0
finish
