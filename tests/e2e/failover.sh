#!/usr/bin/env bash
# Failover test: the loader follows a PostgreSQL failover and never
# acknowledges what the surviving server does not hold.
#
# A primary (the stack's) and a streaming standby made from it with
# pg_basebackup -R, both throwaway, both on a Unix socket and a loopback TCP
# port.  The loader's connection string names both hosts with
# target_session_attrs=read-write, as in production (deploy/README.md).  A
# collector sends a stream of submissions; mid-stream the primary's WAL
# sender is held, so that the primary has commits the standby never gets,
# then the primary is killed with SIGKILL (every process of it, as when its
# machine dies) and the standby is promoted.  None of those lost commits may
# have been acknowledged; every submission the collector holds an ACCEPTED
# receipt for must be on the promoted server exactly once, and the
# collector's outbox must end with every submission accepted (it resends
# what had no receipt; the loader answers a resend of a stored one from the
# database).
#
# Why synchronous replication makes that hold: the loader sends a receipt
# only after its COMMIT returned.  With synchronous_standby_names set on the
# primary (and synchronous_commit at its default, on), the primary answers a
# COMMIT only once the standby has flushed that commit's WAL to its disk.
# So whatever the loader was told is committed is on the standby too, and
# promotion keeps it; a transaction the primary committed but could not get
# onto the standby before it died never got its COMMIT answered (the
# connection broke while waiting), so no receipt went out for it, and the
# batch is written again on the promoted server (a resend of something that
# did reach it is recognised by its id: stored once).  With asynchronous
# replication the loader could acknowledge a commit that the standby never
# received, and the promoted server would not have it.
. "$(dirname "$0")/lib/common.sh"

N=${DCP_FAILOVER_N:-300}
export DCP_INSECURE=1  # the collector submits for many countries (see faults.sh)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
STANDBY="$E2E_DIR/pg2"

# The standby is not the stack's: stop it before the common cleanup, which
# stops everything else and removes the folder.  (exit) hands the test's
# status on to it.
failover_cleanup() {
    local rc=$?
    set +e
    [ -f "$STANDBY/data/postmaster.pid" ] &&
        as_pg "$bindir/pg_ctl" -D "$STANDBY/data" -m immediate -w stop >/dev/null 2>&1
    (exit "$rc")
    e2e_cleanup
}
trap failover_cleanup EXIT

"$STACK" up "$E2E_DIR" C00 >/dev/null
. <(tr ' ' '\n' < "$E2E_DIR/ports")
p1=$(cat "$E2E_DIR/pg/port")
p2=$(free_port)
at() {  # at PORT SQL: a query on one server, over loopback TCP
    psql -h 127.0.0.1 -p "$1" -U postgres -d dcp -X -qtA -v ON_ERROR_STOP=1 -c "$2"
}
wait_for() {  # wait_for SECONDS command...: until the command succeeds
    local t=$1
    shift
    for ((w = 0; w < t * 10; w++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# --- the standby ------------------------------------------------------------
mkdir -p "$STANDBY"
[ "$(id -u)" = 0 ] && chown postgres: "$STANDBY"
chmod 700 "$STANDBY"
# The cluster takes passwords only; the postgres user cannot read the
# stack's passfile (root's), so the password goes in the environment, and
# -R writes it into the standby's primary_conninfo.
PGPASSWORD=$(awk -F: '$4 == "postgres" { print $5 }' "$PGPASSFILE") \
    as_pg "$bindir/pg_basebackup" -h "$E2E_DIR/pg" -p "$p1" -U postgres -D "$STANDBY/data" \
    -R -X stream -c fast
as_pg "$bindir/pg_ctl" -D "$STANDBY/data" -l "$STANDBY/server.log" -w -t 60 \
    -o "-p $p2 -k $STANDBY -c listen_addresses=127.0.0.1" start >/dev/null
streaming() { [ "$(at "$p1" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ]; }
check "standby streams from the primary" wait_for 30 streaming
# Only now: with a synchronous standby named but not connected, every COMMIT
# on the primary would wait.  The standby's own copy of the settings (taken
# by pg_basebackup before this) names none, so once promoted it commits
# alone, as a lone survivor must.
at "$p1" "ALTER SYSTEM SET synchronous_standby_names = '*'" >/dev/null
at "$p1" "SELECT pg_reload_conf()" >/dev/null
sync_standby() { [ "$(at "$p1" "SELECT sync_state FROM pg_stat_replication")" = sync ]; }
check "standby is synchronous" wait_for 10 sync_standby

# --- the loader on both hosts -------------------------------------------------
# A URI with two hosts; libpq tries them in order and keeps the one that
# takes writes.  Pings and reconnections come quickly so the test is short.
conninfo="postgresql://loader_svc@127.0.0.1:$p1,127.0.0.1:$p2/dcp?target_session_attrs=read-write&connect_timeout=2"
sed -i "s#^database = .*#database = ${conninfo//&/\\&}#" "$E2E_DIR/etc/loader.conf"  # & is sed's
printf 'db_ping_ms = 300\nreconnect_max_ms = 500\n' >> "$E2E_DIR/etc/loader.conf"
"$STACK" kill loader "$E2E_DIR"
"$STACK" start loader "$E2E_DIR"
check "loader connected to the primary" grep -q "msg=\"connected to database\".*port=$p1" "$E2E_DIR/log/loader.log"

# --- a stream of submissions ------------------------------------------------
python3 "$SRC/tests/tools/gen_submissions.py" "$E2E_DIR/data" "$N" --rows 2 >/dev/null
ob="$E2E_DIR/collectors/C00/outbox"
(
    cd "$E2E_DIR/data/c0"
    files=(*.json)
    # In chunks, one `collector submit` after the other, so the stream is
    # still flowing when the primary dies.
    for ((k = 0; k < ${#files[@]}; k += 20)); do
        "$STACK" collector "$E2E_DIR" C00 --timeout_ms=2000 --backoff_max_ms=1000 --window=8 \
            --wait_s=60 submit "${files[@]:k:20}" >> "$E2E_DIR/log/collector.log" 2>&1 || true
    done
) &
echo $! > "$E2E_DIR/run/collector.pid"

count_on() { at "$1" "SELECT count(*) FROM dcp.submission" 2>/dev/null || echo 0; }
ids_on() {
    at "$1" "SELECT submission_id::text FROM dcp.submission
             UNION ALL SELECT submission_id FROM dcp.quarantine" | sort
}
at_least() { [ "$(count_on "$p1")" -ge "$1" ]; }
wait_for 60 at_least $((N / 3)) || echo "warning: slow start"

# --- the primary dies with commits in flight ----------------------------------
# First hold its WAL sender (SIGSTOP): the primary goes on committing
# locally, but cannot answer those COMMITs, since the standby confirms
# nothing.  Those are the commits a failover loses (checked at the end on
# the old primary's own data); the loader must not acknowledge any of them.
#
# The case under test must exist by construction, not by timing: a loader
# commit made just before the SIGSTOP may still reach the standby (sent,
# flushed there, only its confirmation unread), so the loader's commits
# alone do not prove that the primary holds anything the standby lacks.  A
# marker row inserted once the sender is stopped can never reach the
# standby: the primary commits it locally and waits (SyncRep) for a
# confirmation that cannot come.
at "$p1" "CREATE TABLE public.failover_marker (x int)" >/dev/null
sender=$(at "$p1" "SELECT pid FROM pg_stat_replication")
kill -STOP "$sender"
at "$p1" "INSERT INTO public.failover_marker VALUES (1)" >/dev/null 2>&1 &
marker_pid=$!
waiting_on() {  # waiting_on USER: a session of USER waits for the standby
    [ "$(at "$p1" "SELECT count(*) FROM pg_stat_activity
                   WHERE wait_event = 'SyncRep' AND usename = '$1'")" -ge 1 ]
}
check "the marker's COMMIT waits for the standby" wait_for 20 waiting_on postgres
check "the loader's COMMITs wait for the standby" wait_for 20 waiting_on loader_svc
sleep 0.3
# Then SIGKILL to the postmaster and to every process it started, at once:
# no shutdown, no last words to the clients, as when the machine is gone.
pm=$(as_pg head -n1 "$E2E_DIR/pg/data/postmaster.pid")
kill -KILL "$pm" $(pgrep -P "$pm") 2>/dev/null || true
t_kill=$(date +%s.%N)
gone() { ! kill -0 "$pm" 2>/dev/null; }
wait_for 10 gone
wait "$marker_pid" 2>/dev/null || true   # its connection broke: no answer
# A killed server leaves its small System V segment behind.
shm=$(as_pg sed -n 7p "$E2E_DIR/pg/data/postmaster.pid" | awk '{print $2}')
[ -n "$shm" ] && ipcrm -m "$shm" 2>/dev/null || true

# Nothing takes writes until the promotion: the loader must wait, not ready,
# and no receipt can be made; those the collector holds now are all the old
# primary's.
not_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$loader_metrics/readyz")" = 503 ]; }
check "loader not ready while no server takes writes" wait_for 10 not_ready
on_standby=$(ids_on "$p2")   # a hot standby answers reads
sleep 1
acked_before=$(ls "$ob/accepted" 2>/dev/null | sort)
echo "primary killed: $(grep -c . <<<"$on_standby") submissions on the standby," \
     "$(grep -c . <<<"$acked_before") acknowledged"
check "every submission acknowledged by then is on the standby" \
    [ -z "$(comm -23 <(echo "$acked_before") <(echo "$on_standby"))" ]
as_pg "$bindir/pg_ctl" -D "$STANDBY/data" -w promote >/dev/null
echo "standby promoted $(python3 -c "print(round($(date +%s.%N) - $t_kill, 1))") s after the kill"

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$loader_metrics/readyz")" = 200 ]; }
check "loader ready again, on the promoted server" wait_for 20 ready
check "loader connected to the promoted server" grep -q "msg=\"connected to database\".*port=$p2" "$E2E_DIR/log/loader.log"

wait "$(cat "$E2E_DIR/run/collector.pid")" 2>/dev/null || true
rm -f "$E2E_DIR/run/collector.pid"

# --- what the promoted server holds -------------------------------------------
stored=$(ids_on "$p2")
acked_after=$(ls "$ob/accepted" 2>/dev/null | sort)
pending=$(find "$ob/pending" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
missing() { comm -23 <(echo "$1") <(echo "$stored") | grep -c . || true; }
echo "promoted server holds $(grep -c . <<<"$stored") rows ($(sort -u <<<"$stored" | grep -c .) distinct);" \
     "collector: $(grep -c . <<<"$acked_after") accepted, $pending pending"
check "every acknowledged submission is on the promoted server" [ "$(missing "$acked_after")" = 0 ]
check "none stored twice" [ "$(grep -c . <<<"$stored")" = "$(sort -u <<<"$stored" | grep -c .)" ]
check "all $N stored, none in quarantine" [ "$(at "$p2" "SELECT count(*) FROM dcp.submission")" = "$N" ]
check "collector's outbox ends with every submission accepted" \
    [ "$pending:$(grep -c . <<<"$acked_after")" = "0:$N" ]
check "loader still running" kill -0 "$(cat "$E2E_DIR/run/loader.pid")"

# --- the old primary's own data ---------------------------------------------
# Started alone on another port (the loader does not know it: in production
# the old primary must be kept from coming back as a second primary), it
# recovers the commits it made while the standby confirmed nothing: none of
# them may have been acknowledged before the failover.
p3=$(free_port)
as_pg "$bindir/pg_ctl" -D "$E2E_DIR/pg/data" -l "$E2E_DIR/pg/server.log" -w -t 60 \
    -o "-p $p3 -k $E2E_DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null
lost=$(comm -23 <(ids_on "$p3") <(echo "$on_standby"))
echo "the old primary holds $(grep -c . <<<"$lost") submissions the standby never got"
check "the old primary committed what the standby never got (the case under test)" \
    [ "$(at "$p3" "SELECT count(*) FROM public.failover_marker"):$(at "$p2" "SELECT count(*) FROM public.failover_marker")" = 1:0 ]
check "none of those was acknowledged" [ -z "$(comm -12 <(echo "$lost") <(echo "$acked_before"))" ]
check "every line of the loader's log is logfmt" \
    bash -c "! grep -v '^ts=' '$E2E_DIR/log/loader.log'"
finish
