#!/usr/bin/env bash
# End to end: example responses travel collector -> validator -> loader ->
# PostgreSQL with CURVE on; resends are stored once; an invalid response is
# rejected with every problem and kept in quarantine; a client written in
# Python from proto/README.md alone can submit.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN >/dev/null
EX="$SRC/collector/examples"

out=$(collector KAZ submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
echo "$out"
check "financial flows example accepted (exit 0)" [ "$rc" = 0 ]
check "receipt says ACCEPTED" grep -q "ACCEPTED" <<<"$out"

out=$(collector AFG submit "$EX/precursors_2023_AFG.json") && rc=0 || rc=$?
echo "$out"
check "precursors example accepted (exit 0)" [ "$rc" = 0 ]

sql_is "two current submissions stored" "SELECT count(*) FROM dcp.submission" 2
sql_is "acetic anhydride seizures reach the analyst view" \
    "SELECT count(*) > 0 FROM dcp.v_aa_seizures_kg WHERE reporting_country = 'AFG'" t

# The same file again: same id, stored once, receipt says so.
out=$(collector AFG submit "$EX/precursors_2023_AFG.json") && rc=0 || rc=$?
check "resubmitting the same file exits 0" [ "$rc" = 0 ]
sql_is "resubmission added no row" "SELECT count(*) FROM dcp.submission" 2

# Send the same bytes again with an empty outbox (as another machine would):
# the loader answers from its records.
rm -rf "$E2E_DIR/collectors/AFG/outbox"
out=$(collector AFG submit "$EX/precursors_2023_AFG.json") && rc=0 || rc=$?
echo "$out"
check "resend from a fresh outbox is accepted" [ "$rc" = 0 ]
check "resend receipt says it was stored before" grep -q "stored before" <<<"$out"
sql_is "resend added no row" "SELECT count(*) FROM dcp.submission" 2

# An invalid file: the offline check refuses to send it...
out=$(collector AFG submit "$EX/broken.json") && rc=0 || rc=$?
echo "$out"
check "broken file is refused offline (exit 1)" [ "$rc" = 1 ]
check "offline check lists several problems" [ "$(grep -c ' error ' <<<"$out")" -ge 3 ]
# ...and when sent anyway, the validator rejects it and it is kept.
out=$(collector AFG --send-invalid submit "$EX/broken.json") && rc=0 || rc=$?
echo "$out"
check "broken file sent anyway is rejected (exit 1)" [ "$rc" = 1 ]
check "receipt says REJECTED" grep -q "REJECTED" <<<"$out"
sql_is "rejected submission kept in quarantine" "SELECT count(*) FROM dcp.quarantine" 1

# A client in another language, from the contract alone.
pyout=$(/usr/bin/python3 "$SRC/tests/clients/submit.py" \
    "$(awk '/^endpoint/ {print $3}' "$E2E_DIR/etc/collector-IRN.conf")" \
    "$E2E_DIR/keys/validator.key.pub" "$E2E_DIR/keys/collector-IRN.key" IRN 2>&1) && rc=0 || rc=$?
echo "$pyout"
check "python client's submission accepted" [ "$rc" = 0 ]
sql_is "python client's submission stored" \
    "SELECT count(*) FROM dcp.submission WHERE reporting_country = 'IRN'" 1

finish
