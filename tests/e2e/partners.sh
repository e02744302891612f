#!/usr/bin/env bash
# End to end: partner keys managed with "validator partner" (through
# "stack.sh partner"), never by editing the registry: a key added is
# accepted, a rotated-out key refused and its successor accepted, a revoked
# key refused at once, on a connection already open too, all without
# restarting the validator.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG >/dev/null
EX="$SRC/collector/examples"
VLOG="$E2E_DIR/log/validator.log"
vpid=$(cat "$E2E_DIR/run/validator.pid")

# KAZ's focal point makes its own key pair and sends the .pub file.
"$BUILD/collector" keygen "$E2E_DIR/keys/kaz.key" >/dev/null
"$BUILD/collector" keygen "$E2E_DIR/keys/kaz2.key" >/dev/null
conf="$E2E_DIR/etc/collector-KAZ.conf"
sed "s#collector-AFG.key#kaz.key#; s#/collectors/AFG/#/collectors/KAZ/#" \
    "$E2E_DIR/etc/collector-AFG.conf" > "$conf"
mkdir -p "$E2E_DIR/collectors/KAZ"
kaz() { "$BUILD/collector" --config "$conf" "$@"; }

# The same response under another id and year: each one a new series.
variant() {  # variant YEAR -> path
    local f="$E2E_DIR/ff-$1.json"
    sed "s/\"reporting_year\": 2023/\"reporting_year\": $1/; s/6b1f3c9e-2d47-4a8b-9c15-7e0a3f5d8b21/6b1f3c9e-2d47-4a8b-9c15-7e0a3f5d$1/" \
        "$EX/financial_flows_2023_KAZ.json" > "$f"
    echo "$f"
}

reloads() { grep -c 'reloaded partner registry' "$VLOG" || true; }

wait_reloads() {  # wait_reloads N: the validator has read the registry N times
    local i
    for ((i = 0; i < 100; i++)); do
        [ "$(reloads)" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

wait_sql() {  # wait_sql QUERY EXPECTED SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(sql "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# Not registered yet: refused at the handshake.
out=$(kaz --wait_s=3 --timeout_ms=1000 submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
check "an unregistered key is refused" [ "$rc" = 1 ]
rm -rf "$E2E_DIR/collectors/KAZ/outbox"

# Refusals leave the registry as it was.
cp "$E2E_DIR/etc/partners.txt" "$E2E_DIR/partners.before"
out=$("$STACK" partner "$E2E_DIR" add "$E2E_DIR/keys/kaz.key.pub" XYZ 2>&1) && rc=0 || rc=$?
check "an unknown country is refused" [ "$rc" = 1 ]
check "the refusal names the country" grep -q '"XYZ" is not a current ISO' <<<"$out"
out=$("$STACK" partner "$E2E_DIR" add "$E2E_DIR/keys/collector-AFG.key.pub" KAZ 2>&1) && rc=0 || rc=$?
check "a key registered already is refused" [ "$rc" = 1 ]
check "registry unchanged by refusals" cmp -s "$E2E_DIR/etc/partners.txt" "$E2E_DIR/partners.before"

# Add: the validator reloads at once and the key is accepted.
out=$("$STACK" partner "$E2E_DIR" add "$E2E_DIR/keys/kaz.key.pub" KAZ FIU of Kazakhstan) && rc=0 || rc=$?
echo "$out"
check "partner add succeeds" [ "$rc" = 0 ]
check "partner add signals the validator" grep -q "SIGHUP" <<<"$out"
check "the validator reloaded the registry" wait_reloads 1
check "the other lines are kept" grep -q "^# <public key> <ISO3> <name>" "$E2E_DIR/etc/partners.txt"
out=$(kaz --wait_s=30 submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
echo "$out"
check "the added key's submission is accepted" [ "$rc" = 0 ]
check "partner list shows KAZ" bash -c "'$STACK' partner '$E2E_DIR' list | grep -q '  KAZ  FIU of Kazakhstan'"

# Rotate, naming the old key by its first 8 characters as the logs do.
old=$(awk '/public-key/ {print $3}' "$E2E_DIR/keys/kaz.key.pub")
out=$("$STACK" partner "$E2E_DIR" rotate "${old:0:8}" "$E2E_DIR/keys/kaz2.key.pub") && rc=0 || rc=$?
echo "$out"
check "partner rotate succeeds" [ "$rc" = 0 ]
check "the validator reloaded the registry again" wait_reloads 2
out=$(kaz --wait_s=3 --timeout_ms=1000 submit "$(variant 2022)") && rc=0 || rc=$?
check "the rotated-out key is refused" [ "$rc" = 1 ]
rm -rf "$E2E_DIR/collectors/KAZ/outbox"
sed -i "s#kaz.key#kaz2.key#" "$conf"
out=$(kaz --wait_s=30 submit "$(variant 2022)") && rc=0 || rc=$?
echo "$out"
check "the new key is accepted, with the same country" [ "$rc" = 0 ]

# Revoke while an agent holds a connection open: its next submission is
# refused (AUTH-KEY) without a reconnect, and a new connection is refused
# at the handshake.
mkdir -p "$E2E_DIR/collectors/KAZ/inbox"
setsid "$BUILD/collector" --config "$conf" --scan_ms=200 run \
    >> "$E2E_DIR/log/agent-KAZ.log" 2>&1 < /dev/null &
echo $! > "$E2E_DIR/run/agent-KAZ.pid"
cp "$(variant 2021)" "$E2E_DIR/collectors/KAZ/inbox/ff-2021.json"
check "the agent's submission is stored" \
    wait_sql "SELECT count(*) FROM dcp.submission WHERE reporting_year = 2021" 1 30
out=$("$STACK" partner "$E2E_DIR" revoke "$E2E_DIR/keys/kaz2.key.pub") && rc=0 || rc=$?
echo "$out"
check "partner revoke succeeds" [ "$rc" = 0 ]
check "the validator reloaded the registry a third time" wait_reloads 3
check "the revoked line stays as a comment" grep -q "^# revoked .*KAZ  FIU of Kazakhstan" \
    "$E2E_DIR/etc/partners.txt"
cp "$(variant 2020)" "$E2E_DIR/collectors/KAZ/inbox/ff-2020.json"
check "the open connection's next submission is refused (AUTH-KEY)" \
    wait_sql "SELECT count(*) FROM dcp.security_event" 1 30
sql_is "nothing stored from the revoked key" \
    "SELECT count(*) FROM dcp.submission WHERE reporting_year = 2020" 0
out=$(kaz --wait_s=3 --timeout_ms=1000 submit "$(variant 2019)") && rc=0 || rc=$?
check "a new connection with the revoked key is refused" [ "$rc" = 1 ]
check "the validator was never restarted" [ "$(cat "$E2E_DIR/run/validator.pid")" = "$vpid" ]
check "the validator is still the same process" kill -0 "$vpid"

finish
