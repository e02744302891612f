#!/usr/bin/env bash
# End to end: only registered keys may connect; a key may only submit for
# its own country; a revoked key is refused after SIGHUP.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ >/dev/null
EX="$SRC/collector/examples"

# An unregistered key: refused at the handshake, nothing is stored.
"$BUILD/collector" keygen "$E2E_DIR/keys/stranger.key" >/dev/null
sed "s#collector-KAZ.key#stranger.key#; s#/collectors/KAZ/#/collectors/stranger/#" \
    "$E2E_DIR/etc/collector-KAZ.conf" > "$E2E_DIR/etc/collector-stranger.conf"
out=$("$BUILD/collector" --config "$E2E_DIR/etc/collector-stranger.conf" --wait_s=3 \
      --timeout_ms=1000 submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
echo "$out"
check "unregistered key gets no receipt (exit 1)" [ "$rc" = 1 ]
check "validator logged the refused key" grep -q "refused connection from unregistered key" \
    "$E2E_DIR/log/validator.log"
sql_is "nothing stored from the stranger" "SELECT count(*) FROM dcp.submission" 0

# KAZ's key submitting Afghanistan's response.
out=$(collector KAZ --wait_s=30 submit "$EX/precursors_2023_AFG.json") && rc=0 || rc=$?
echo "$out"
check "wrong country is rejected (exit 1)" [ "$rc" = 1 ]
check "receipt names AUTH-COUNTRY" grep -q "AUTH-COUNTRY" <<<"$out"
sql_is "security event stored" "SELECT count(*) FROM dcp.security_event" 1
sql_is "wrong-country submission kept in quarantine" "SELECT count(*) FROM dcp.quarantine" 1
# The rightful sender's identical bytes are not blocked by that rejection.
out=$(collector AFG submit "$EX/precursors_2023_AFG.json") && rc=0 || rc=$?
echo "$out"
check "same bytes from the rightful country are accepted" [ "$rc" = 0 ]

# Revocation: remove KAZ from the registry, SIGHUP, then try again.
out=$(collector KAZ submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
check "KAZ may submit before revocation" [ "$rc" = 0 ]
sed -i '/ KAZ /d' "$E2E_DIR/etc/partners.txt"
reload_registry validator
rm -rf "$E2E_DIR/collectors/KAZ/outbox"
out=$(collector KAZ --wait_s=3 --timeout_ms=1000 submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
echo "$out"
check "revoked key is refused after SIGHUP" [ "$rc" = 1 ]
check "revoked key gets no ACCEPTED receipt" bash -c '! grep -q ACCEPTED <<<"$1"' _ "$out"

finish
