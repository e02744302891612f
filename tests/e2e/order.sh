#!/usr/bin/env bash
# Order under faults (issue 14): revision chains sent while the pipeline
# breaks must be stored complete and in order.
#
# TJK: 34 series (precursors, 1992-2025), each a first submission, revision
# 1 and revision 2, sent with one `collector submit` (files given in the
# order they were made) while the loader is killed and PostgreSQL is down;
# then PostgreSQL and the loader come back, PostgreSQL crashes and restarts
# under load, and the validator is killed and restarted.  UZB: a first
# submission and its revision 1 for each of 34 series dropped together into
# the inbox of a running agent (`collector run`), named so that their names
# sort against the order they were written: the agent takes them oldest
# first.
#
# Afterwards every submission is accepted once, nothing is in quarantine,
# each series' chain is whole (revision k supersedes revision k-1), its
# current submission is its last revision and its first reported one is
# revision 0, and the loader never met a revision before its predecessor:
# no revision had to wait (loader/store_order.c, "Order of revisions") and no
# predecessor arrived late.  CURVE on, one key per country.
. "$(dirname "$0")/lib/common.sh"

SERIES=34
t_start=$(date +%s)
"$STACK" up "$E2E_DIR" TJK UZB >/dev/null
# Rows enough that the stream lasts a few seconds once the pipeline is back,
# so the faults below strike while it flows.
python3 "$SRC/tests/tools/gen_submissions.py" "$E2E_DIR/tjk" $((3 * SERIES)) --rows 1500 \
    --countries TJK --revisions --kind precursors >/dev/null
python3 "$SRC/tests/tools/gen_submissions.py" "$E2E_DIR/uzb" $((2 * SERIES)) --rows 3 \
    --countries UZB --revisions --kind precursors --seed 2 >/dev/null
stored() {
    sql "SELECT (SELECT count(*) FROM dcp.submission) + (SELECT count(*) FROM dcp.quarantine)" \
        2>/dev/null || echo 0
}
wait_stored() {  # wait until at least $1 are stored (or $2 seconds)
    for ((w = 0; w < $2 * 10; w++)); do
        [ "$(stored)" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

# The loader is killed and PostgreSQL is down: the validator takes nothing,
# so the collectors time out, round after round, with entries waiting
# behind a full window.
"$STACK" kill loader "$E2E_DIR"
"$STACK" pg-kill "$E2E_DIR" >/dev/null
opts=(--timeout_ms=1500 --backoff_min_ms=200 --backoff_max_ms=1000 --window=16)
(
    cd "$E2E_DIR/tjk/c0"
    rc=0
    "$STACK" collector "$E2E_DIR" TJK "${opts[@]}" --wait_s=80 --log_level=info submit ./*.json \
        > "$E2E_DIR/log/submit.log" 2>&1 || rc=$?
    echo "$rc" > "$E2E_DIR/submit.rc"
) &
echo $! > "$E2E_DIR/run/submit.pid"
setsid "$STACK" collector "$E2E_DIR" UZB "${opts[@]}" --scan_ms=200 --log_level=info run \
    >> "$E2E_DIR/log/agent.log" 2>&1 < /dev/null &
echo $! > "$E2E_DIR/run/agent.pid"

# Dropped together, written in chain order, named against it.
mkdir -p "$E2E_DIR/drop"
base=$(( $(date +%s) - 1000 ))
k=0
for f in $(ls "$E2E_DIR/uzb/c0"/*.json | sort); do
    name=$(printf 'z%04d.json' $((9999 - k)))
    cp "$f" "$E2E_DIR/drop/$name"
    touch -d "@$((base + k))" "$E2E_DIR/drop/$name"
    k=$((k + 1))
done
inbox="$E2E_DIR/collectors/UZB/inbox"
mkdir -p "$inbox"
for f in $(ls -tr "$E2E_DIR/drop"); do mv "$E2E_DIR/drop/$f" "$inbox/"; done

sleep 4
echo "fault: PostgreSQL and the loader back after $(( $(date +%s) - t_start )) s"
"$STACK" pg-start "$E2E_DIR" >/dev/null
"$STACK" start loader "$E2E_DIR"
wait_stored 20 30 || echo "warning: slow start"
echo "fault at $(stored) stored: PostgreSQL immediate shutdown under load"
"$STACK" pg-kill "$E2E_DIR" >/dev/null
sleep 2
"$STACK" pg-start "$E2E_DIR" >/dev/null
wait_stored 60 30 || true
echo "fault at $(stored) stored: SIGKILL validator"
"$STACK" kill validator "$E2E_DIR"
sleep 1
"$STACK" start validator "$E2E_DIR"

total=$((5 * SERIES))
wait "$(cat "$E2E_DIR/run/submit.pid")" 2>/dev/null || true
rm -f "$E2E_DIR/run/submit.pid"
wait_stored "$total" 40 || true
for ((w = 0; w < 200; w++)); do  # the agent's outbox empties
    [ -z "$(ls -A "$E2E_DIR/collectors/UZB/outbox/pending" 2>/dev/null)" ] && break
    sleep 0.1
done
echo "stored $(stored) of $total in $(( $(date +%s) - t_start )) s"
agent=$(cat "$E2E_DIR/run/agent.pid")
kill -TERM "$agent" 2>/dev/null || true
wait "$agent" 2>/dev/null || true
rm -f "$E2E_DIR/run/agent.pid"

check "collector submit exits 0 (every file accepted)" [ "$(cat "$E2E_DIR/submit.rc" 2>/dev/null)" = 0 ]
sql_is "every submission stored once, none in quarantine" \
    "SELECT count(*) || ' ' || count(DISTINCT submission_id) || ' '
         || (SELECT count(*) FROM dcp.quarantine) FROM dcp.submission" "$total $total 0"
pending=$(find "$E2E_DIR"/collectors/*/outbox/pending -mindepth 1 -maxdepth 1 | wc -l)
accepted=$(find "$E2E_DIR"/collectors/*/outbox/accepted -name receipt.pb | wc -l)
check "every outbox empty, a receipt for each submission" [ "$pending $accepted" = "0 $total" ]
sql_is "each chain whole: revision k supersedes revision k-1 of its series" \
    "SELECT count(*) FROM dcp.submission r JOIN dcp.submission p ON r.supersedes = p.submission_id
      WHERE r.revision_no = p.revision_no + 1 AND r.reporting_country = p.reporting_country
        AND r.questionnaire = p.questionnaire AND r.reporting_year = p.reporting_year" \
    $((3 * SERIES))
sql_is "each series' current submission is its last revision (TJK 2, UZB 1)" \
    "SELECT count(*) FILTER (WHERE reporting_country = 'TJK' AND revision_no = 2) || ' '
         || count(*) FILTER (WHERE reporting_country = 'UZB' AND revision_no = 1)
       FROM dcp.v_submissions_current" "$SERIES $SERIES"
sql_is "each series' first reported submission is revision 0" \
    "SELECT count(*) FROM dcp.v_submissions_first_reported WHERE revision_no = 0" $((2 * SERIES))
sql_is "stored in order: no revision committed before its predecessor" \
    "SELECT count(*) FROM dcp.submission r JOIN dcp.submission p ON r.supersedes = p.submission_id
      WHERE r.stored_at < p.stored_at" 0
sql_is "no V-ENV-06 finding (nothing arrived out of order)" \
    "SELECT count(*) FROM dcp.finding WHERE rule = 'V-ENV-06'" 0
waited=$(grep -c "revision waits for its predecessor" "$E2E_DIR/log/loader.log" || true)
check "the loader never met a revision before its predecessor" [ "$waited" = 0 ]
resent=$(grep -o 'resent=[0-9]*' "$E2E_DIR/log/submit.log" | tail -1 || true)
echo "collector submit: ${resent:-resent=?} (the faults made it resend)"
finish
