#!/usr/bin/env bash
# End to end: when nothing comes back, the collector says why, within
# seconds, in one plain sentence (an unregistered key, a wrong validator
# key, a wrong endpoint, a stopped loader or validator), and `collector
# doctor` gives one line and its own exit status per outcome.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ >/dev/null
EX="$SRC/collector/examples"
FILE="$EX/financial_flows_2023_KAZ.json"
ETC="$E2E_DIR/etc"

# run CONF ARGS...: runs the collector with that configuration; sets OUT,
# RC and SECS (how long it took).
run() {
    local conf=$1 start
    shift
    start=$(date +%s)
    OUT=$("$BUILD/collector" --config "$conf" "$@" 2>&1) && RC=0 || RC=$?
    SECS=$(($(date +%s) - start))
    echo "$OUT" | sed 's/^/    /'
}
says() { grep -q -- "$1" <<<"$OUT"; }

# A working setup: the doctor finds nothing to fix.
run "$ETC/collector-AFG.conf" doctor
check "doctor: all steps ok (exit 0)" [ "$RC" = 0 ]
check "doctor: the round trip is named" says "round trip.*ok"
sql_is "doctor's probe stores nothing" "SELECT count(*) FROM dcp.submission" 0

# An unregistered key: said within seconds, not after the whole wait.
"$BUILD/collector" keygen "$E2E_DIR/keys/stranger.key" >/dev/null
sed "s#collector-KAZ.key#stranger.key#; s#/collectors/KAZ/#/collectors/stranger/#" \
    "$ETC/collector-KAZ.conf" > "$ETC/collector-stranger.conf"
run "$ETC/collector-stranger.conf" --wait_s=60 submit "$FILE"
check "unregistered key: exit 1" [ "$RC" = 1 ]
check "unregistered key: says the key is not registered" says "refused this collector's key: it is not registered"
check "unregistered key: said within seconds ($SECS s)" [ "$SECS" -le 15 ]
check "unregistered key: the response stays in the outbox" says "safe in the outbox"
run "$ETC/collector-stranger.conf" doctor
check "doctor: unregistered key exits 6" [ "$RC" = 6 ]

# The validator's key in the configuration is not the validator's.
"$BUILD/collector" keygen "$E2E_DIR/keys/impostor.key" >/dev/null
sed "s#^validator_public_key = .*#validator_public_key = $E2E_DIR/keys/impostor.key.pub#" \
    "$ETC/collector-AFG.conf" > "$ETC/collector-wrongserver.conf"
run "$ETC/collector-wrongserver.conf" --wait_s=60 submit "$EX/precursors_2023_AFG.json"
check "wrong validator key: exit 1" [ "$RC" = 1 ]
check "wrong validator key: says so" says "validator_public_key"
check "wrong validator key: said within seconds ($SECS s)" [ "$SECS" -le 15 ]
run "$ETC/collector-wrongserver.conf" doctor
check "doctor: wrong validator key exits 7" [ "$RC" = 7 ]

# Nothing listens at the endpoint (port 1 on loopback refuses).
run "$ETC/collector-AFG.conf" --endpoint=tcp://127.0.0.1:1 --wait_s=4 submit "$EX/precursors_2023_AFG.json"
check "wrong endpoint: exit 1" [ "$RC" = 1 ]
check "wrong endpoint: cannot connect" says "cannot connect to tcp://127.0.0.1:1"
run "$ETC/collector-AFG.conf" --endpoint=tcp://127.0.0.1:1 doctor
check "doctor: wrong endpoint exits 5" [ "$RC" = 5 ]

# The loader is stopped: connected, but no answer.
"$STACK" kill loader "$E2E_DIR"
run "$ETC/collector-AFG.conf" --wait_s=6 submit "$EX/precursors_2023_AFG.json"
check "stopped loader: exit 1" [ "$RC" = 1 ]
check "stopped loader: connected but no answer" says "connected to .* but no answer yet"
run "$ETC/collector-AFG.conf" doctor
check "doctor: no answer exits 8" [ "$RC" = 8 ]

# The validator is stopped: cannot connect, said while waiting.
"$STACK" kill validator "$E2E_DIR"
run "$ETC/collector-AFG.conf" --wait_s=4 send
check "stopped validator: exit 1" [ "$RC" = 1 ]
check "stopped validator: cannot connect" says "cannot connect to"
check "stopped validator: progress while waiting" says "waiting for 1 receipt"

# Once the pipeline is back, the waiting response goes through.
"$STACK" start loader "$E2E_DIR" >/dev/null
"$STACK" start validator "$E2E_DIR" >/dev/null
run "$ETC/collector-AFG.conf" --wait_s=30 send
check "pipeline back: the response is accepted" says "ACCEPTED"

# Key file readable by others, key file missing.
chmod 644 "$E2E_DIR/keys/stranger.key"
run "$ETC/collector-stranger.conf" doctor
check "doctor: key file readable by others exits 4" [ "$RC" = 4 ]
check "doctor: says chmod 600" says "chmod 600"
run "$ETC/collector-stranger.conf" --key_file="$E2E_DIR/keys/none.key" doctor
check "doctor: missing key file exits 3" [ "$RC" = 3 ]

finish
