#!/usr/bin/env bash
# End to end, as an operator sees it: two validators and two loaders on one
# PostgreSQL share the traffic; /metrics counters match what was sent;
# /readyz follows the database; bad configuration stops a program at start
# with the file, line and key; the collector agent takes files dropped into
# its inbox; SIGTERM stops every stage with exit status 0.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN >/dev/null
. <(tr ' ' '\n' < "$E2E_DIR/ports")
port() { free_port; }
get() { python3 -c 'import sys,urllib.request
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode())' "$1"; }
metric() { get "$1" | awk -v m="$2" '$1 == m {print $2}'; }
status() { get "$1" | sed -n 1p; }   # reads all of get's output: no broken pipe

# --- configuration errors name file, line and key ---------------------------
printf 'bind = tcp://127.0.0.1:1\nhwm = lots\n' > "$E2E_DIR/etc/bad.conf"
out=$("$BUILD/validator" --config "$E2E_DIR/etc/bad.conf" 2>&1) && rc=0 || rc=$?
check "bad config stops the validator (exit 2)" [ "$rc" = 2 ]
check "message names file, line and key" grep -q "bad.conf:2: key \"hwm\": expected a non-negative integer" <<<"$out"
printf 'bnid = tcp://127.0.0.1:1\n' > "$E2E_DIR/etc/bad2.conf"
out=$("$BUILD/loader" --config "$E2E_DIR/etc/bad2.conf" 2>&1) && rc=0 || rc=$?
check "unknown key stops the loader" grep -q 'bad2.conf:1: unknown key "bnid"' <<<"$out"
check "--version prints the version" bash -c "'$BUILD/collector' --version | grep -q '^collector [0-9]'"
check "--help lists every option with its default" bash -c "'$BUILD/loader' --help | grep -q 'batch_max_items.*default: '"

# --- a second loader and a second validator ---------------------------------
l2=$(port); l2m=$(port); v2=$(port); v2m=$(port)
sed -e "s#^bind = .*#bind = tcp://127.0.0.1:$l2#" -e "s#^metrics = .*#metrics = 127.0.0.1:$l2m#" \
    "$E2E_DIR/etc/loader.conf" > "$E2E_DIR/etc/loader2.conf"
sed -i "s#^loaders = .*#loaders = tcp://127.0.0.1:$loader,tcp://127.0.0.1:$l2#" "$E2E_DIR/etc/validator.conf"
sed -e "s#^bind = .*#bind = tcp://127.0.0.1:$v2#" -e "s#^metrics = .*#metrics = 127.0.0.1:$v2m#" \
    "$E2E_DIR/etc/validator.conf" > "$E2E_DIR/etc/validator2.conf"
"$STACK" kill validator "$E2E_DIR"           # restart with both loaders
"$STACK" start validator "$E2E_DIR"
for s in loader2 validator2; do
    bin=${s%2}
    setsid "$BUILD/$bin" --config "$E2E_DIR/etc/$s.conf" >> "$E2E_DIR/log/$s.log" 2>&1 < /dev/null &
    echo $! > "$E2E_DIR/run/$s.pid"
done
for ((i = 0; i < 100; i++)); do
    [ "$(status "http://127.0.0.1:$v2m/readyz")" = 200 ] && break
    sleep 0.1
done
check "second validator ready" [ "$(status "http://127.0.0.1:$v2m/readyz")" = 200 ]

# 200 synthetic submissions from one collector spread over both validators.
python3 "$SRC/tests/tools/gen_submissions.py" "$E2E_DIR/data" 200 --rows 2 >/dev/null
"$STACK" register "$E2E_DIR" C00 >/dev/null
sed -i "s#^endpoint = .*#endpoint = tcp://127.0.0.1:$validator,tcp://127.0.0.1:$v2#; s#^insecure = .*#insecure = false#" \
    "$E2E_DIR/etc/collector-C00.conf"
# C00 is a test key allowed for every country: register it once per country
# the generator used, so CURVE and the country check stay on.
key=$(awk '/public-key/ {print $3}' "$E2E_DIR/keys/collector-C00.key.pub")
sed -i "/ C00 /d" "$E2E_DIR/etc/partners.txt"
# (the registry maps a key to ONE country: submit only the files of one country)
# (awk, not head: head stops reading, and under pipefail ls's SIGPIPE
# would fail the script now and then)
cc=$(ls "$E2E_DIR/data/c0" | awk -F_ 'NR == 1 {print $2}')
echo "$key $cc test collector" >> "$E2E_DIR/etc/partners.txt"
reload_registry validator validator2
# Make 40 files of that one country, distinct years, both questionnaires.
mkdir -p "$E2E_DIR/data/one"
i=0
for y in $(seq 1995 2024); do
    sed -e "s/\"reporting_country\": \"[A-Z]*\"/\"reporting_country\": \"$cc\"/" \
        -e "s/\"reporting_year\": [0-9]*/\"reporting_year\": $y/" \
        -e "s/\"submission_id\": \"[^\"]*\"/\"submission_id\": \"$(python3 -c 'import uuid; print(uuid.uuid4())')\"/" \
        -e "s/\"finalised_at\": \"[0-9]*/\"finalised_at\": \"$((y + 1))/" \
        -e "s/\"completed_on\": \"[0-9]*/\"completed_on\": \"$((y + 1))/" \
        "$(grep -l '"precursors"' "$E2E_DIR"/data/c0/*.json | awk 'NR == 1')" > "$E2E_DIR/data/one/p$y.json"
    i=$((i + 1))
done
n=$(ls "$E2E_DIR/data/one" | wc -l)
out=$(collector C00 submit "$E2E_DIR"/data/one/*.json) && rc=0 || rc=$?
check "$n submissions through two validators and two loaders accepted" [ "$rc" = 0 ]
sql_is "all stored once" "SELECT count(*) FROM dcp.submission WHERE reporting_country = '$cc'" "$n"

r1=$(metric "http://127.0.0.1:$validator_metrics/metrics" dcp_validator_received_total)
r2=$(metric "http://127.0.0.1:$v2m/metrics" dcp_validator_received_total)
a1=$(metric "http://127.0.0.1:$loader_metrics/metrics" dcp_loader_accepted_total)
a2=$(metric "http://127.0.0.1:$l2m/metrics" dcp_loader_accepted_total)
echo "validators received $r1 + $r2, loaders accepted $a1 + $a2 (of $n)"
check "validators' received counters add up to the traffic" [ "$((r1 + r2))" -ge "$n" ]
check "both validators took part" test "$r1" -gt 0 -a "$r2" -gt 0
check "loaders' accepted counters add up to the traffic" [ "$((a1 + a2))" = "$n" ]
check "both loaders took part" test "$a1" -gt 0 -a "$a2" -gt 0
out=$(collector AFG --send-invalid submit "$SRC/collector/examples/broken.json") || true
by_reason=$({ get "http://127.0.0.1:$validator_metrics/metrics"; get "http://127.0.0.1:$v2m/metrics"; } |
    grep -c '^dcp_validator_rejected_by_reason_total{reason="ENV-ID"} 1' || true)
check "rejections are counted by reason" [ "$by_reason" = 1 ]

# --- readiness follows the database ----------------------------------------
check "loader ready with the database" [ "$(status "http://127.0.0.1:$loader_metrics/readyz")" = 200 ]
"$STACK" pg-kill "$E2E_DIR"
"$STACK" psql "$E2E_DIR" -c 'select 1' >/dev/null 2>&1 || true
ready=200
for ((i = 0; i < 100; i++)); do   # the loader pings an idle database every 5 s
    ready=$(status "http://127.0.0.1:$loader_metrics/readyz")
    [ "$ready" = 503 ] && break
    sleep 0.1
done
check "loader not ready while the database is down" [ "$ready" = 503 ]
"$STACK" pg-start "$E2E_DIR"
for ((i = 0; i < 100; i++)); do
    ready=$(status "http://127.0.0.1:$loader_metrics/readyz")
    [ "$ready" = 200 ] && break
    sleep 0.1
done
check "loader ready again after the database came back" [ "$ready" = 200 ]
check "loader still alive after the database went away" kill -0 "$(cat "$E2E_DIR/run/loader.pid")"
check "healthz answers" [ "$(status "http://127.0.0.1:$loader_metrics/healthz")" = 200 ]

# --- the collector agent ----------------------------------------------------
am=$(port)
setsid "$SRC/deploy/stack.sh" collector "$E2E_DIR" AFG --scan_ms=200 --metrics=127.0.0.1:$am run \
    >> "$E2E_DIR/log/agent.log" 2>&1 < /dev/null &
echo $! > "$E2E_DIR/run/agent.pid"
inbox="$E2E_DIR/collectors/AFG/inbox"
for ((i = 0; i < 50; i++)); do [ -d "$inbox" ] && break; sleep 0.1; done
cp "$SRC/collector/examples/precursors_2023_AFG.json" "$inbox/.part" && mv "$inbox/.part" "$inbox/afg.json"
ob="$E2E_DIR/collectors/AFG/outbox"
for ((i = 0; i < 150; i++)); do
    [ -n "$(ls "$ob/accepted" 2>/dev/null)" ] && break
    sleep 0.2
done
check "agent took the dropped file and got it accepted" [ -n "$(ls "$ob/accepted" 2>/dev/null)" ]
check "agent's metrics count the accepted submission" \
    [ "$(metric "http://127.0.0.1:$am/metrics" dcp_collector_accepted_total)" = 1 ]
check "agent's outbox is drained" [ "$(metric "http://127.0.0.1:$am/metrics" dcp_collector_outstanding)" = 0 ]
check "inbox emptied" [ -z "$(ls "$inbox")" ]  # ls hides the set-aside .invalid- files
check "original kept beside its receipt" bash -c "ls '$ob'/accepted/*/original '$ob'/accepted/*/receipt.pb >/dev/null"
cp "$SRC/collector/examples/broken.json" "$inbox/.part" && mv "$inbox/.part" "$inbox/bad.json"
for ((i = 0; i < 50; i++)); do [ -f "$inbox/.invalid-bad.json.problems.txt" ] && break; sleep 0.2; done
check "an invalid dropped file is set aside with its problems" \
    grep -q "V-ENV-01\|JSON-" "$inbox/.invalid-bad.json.problems.txt"
out=$(collector AFG status)
check "collector status lists the accepted submission" grep -q "^accepted" <<<"$out"

# --- SIGTERM: every stage exits 0 -------------------------------------------
for s in agent validator2 loader2; do
    pid=$(cat "$E2E_DIR/run/$s.pid")
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null && rc=0 || rc=$?
    check "$s exits 0 on SIGTERM" [ "$rc" = 0 ]
    rm -f "$E2E_DIR/run/$s.pid"
done
finish
