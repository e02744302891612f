#!/usr/bin/env bash
# End to end: the promises of proto/README.md that concern ids and the
# connection, checked with the Python clients (tests/clients), CURVE on.
#
#   - a never-used submission id is never answered "replayed", even when
#     the bytes were rejected before under another id (rejections are kept
#     under the id the client sent, not the id inside the bytes);
#   - a misframed message whose id frame is readable gets its receipt under
#     that id, and the text says what was wrong with the framing;
#   - the validator's security log names the claimed country;
#   - an unregistered key sees its handshake fail and gets no receipt; a
#     message over max_message gets no receipt and the server goes on.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" IRN KAZ >/dev/null
ENDPOINT=$(awk '/^endpoint/ {print $3}' "$E2E_DIR/etc/collector-IRN.conf")
PUB="$E2E_DIR/keys/validator.key.pub"

hostile() {  # hostile CASE[,CASE...]: sends them as IRN, output in $out
    out=$(/usr/bin/python3 "$SRC/tests/clients/hostile.py" "$ENDPOINT" "$PUB" \
          "$E2E_DIR/keys/collector-IRN.key" IRN "$1" 2>&1) && rc=0 || rc=$?
    echo "$out" | sed 's/^/     /'
}

# Per message of $out: "sid receipt_id receipt_submission_id status replayed".
receipts() {
    awk '$1 == "case" {sid = $4} $1 == "receipt_id" {rid = $2}
         $1 == "receipt_submission_id" {bid = $2} $1 == "status" {st = $2}
         $1 == "replayed" {print sid, rid, bid, st, $2}' <<<"$out"
}

# --- a never-used id is never "replayed" ------------------------------------
# The same (empty) bytes under three new ids: all rejected, none replayed,
# each answered under its own id.
hostile empty_payload,empty_payload,empty_payload
check "three empty submissions: three receipts" [ "$(receipts | wc -l)" = 3 ]
check "... none replayed" [ "$(receipts | awk '$5 != "false"' | wc -l)" = 0 ]
check "... each under the id sent (frame and Receipt)" \
    [ "$(receipts | awk '$1 == $2 && $1 == $3 && $4 == "RECEIPT_REJECTED"' | wc -l)" = 3 ]
# One empty frame (no id can be read from it), then two empty submissions.
hostile empty_frame,empty_payload,empty_payload
check "empty frame: rejected, WIRE-FRAMING, under no id" \
    [ "$(receipts | head -1 | awk '{print $2, $3, $4}')" = "- - RECEIPT_REJECTED" ]
check "empty frame: the problem is WIRE-FRAMING" grep -q "problem SEVERITY_ERROR WIRE-FRAMING" <<<"$out"
check "... the two empty submissions after it are not replayed" \
    [ "$(receipts | tail -2 | awk '$5 == "false" && $1 == $2' | wc -l)" = 2 ]
sql_is "every empty submission kept under its own id" \
    "SELECT count(DISTINCT submission_id) FROM dcp.quarantine WHERE length(raw) = 0
     AND submission_id <> ''" 5

# --- misframed messages with a readable id -----------------------------------
for case in wrong_signature two_frames; do
    hostile "$case"
    check "$case: receipt under the id sent" \
        [ "$(receipts | awk '$1 == $2 && $1 == $3 {print $4}')" = RECEIPT_REJECTED ]
    check "$case: WIRE-FRAMING" grep -q "problem SEVERITY_ERROR WIRE-FRAMING" <<<"$out"
done
sql_is "the wrong signature's text names the signature, not the frame count" \
    "SELECT problems->0->>'message' LIKE '%first frame is not the protocol signature%\"DCP2\"%'
            AND problems->0->>'message' NOT LIKE '%got 3%'
     FROM dcp.quarantine WHERE raw IS NOT NULL AND problems::text LIKE '%DCP2%'" t

# --- the security log names the claimed country ------------------------------
hostile wrong_country
check "wrong country: AUTH-COUNTRY" grep -q "problem SEVERITY_ERROR AUTH-COUNTRY" <<<"$out"
sid=$(awk '$1 == "case" {print $4}' <<<"$out")
check "security log line: submission and claimed country, each itself" \
    grep -q "refused submission for another country.* submission=$sid .*country=IRN claimed=KAZ" \
    "$E2E_DIR/log/validator.log"

# --- an unregistered key: handshake refused, no receipt, stop ----------------
"$BUILD/collector" keygen "$E2E_DIR/keys/stranger.key" >/dev/null
start=$(date +%s)
out=$(/usr/bin/python3 "$SRC/tests/clients/submit.py" "$ENDPOINT" "$PUB" \
      "$E2E_DIR/keys/stranger.key" IRN 2>&1) && rc=0 || rc=$?
echo "$out"
check "unregistered key: the client sees the handshake refused (exit 3)" [ "$rc" = 3 ]
check "... at once, not after the receipt timeout" [ $(($(date +%s) - start)) -lt 10 ]
check "... and says to stop retrying" grep -q "stop retrying" <<<"$out"

# --- over max_message: no receipt, the connection is dropped, server fine -----
out=$(/usr/bin/python3 "$SRC/tests/clients/submit.py" "$ENDPOINT" "$PUB" \
      "$E2E_DIR/keys/collector-IRN.key" IRN "$(cat /proc/sys/kernel/random/uuid)" $((17 << 20)) 2>&1) \
    && rc=0 || rc=$?
echo "$out"
check "a client refuses locally what is over the limit (exit 4)" [ "$rc" = 4 ]
hostile over_max_message,valid
check "over max_message sent anyway: no receipt" grep -q "^no receipt" <<<"$out"
check "... the server dropped the connection (the client's monitor says so)" \
    grep -q "^event DISCONNECTED" <<<"$out"
check "... and the same socket, reconnected by libzmq, is answered again" \
    [ "$(receipts | awk '{print $4}')" = RECEIPT_ACCEPTED ]
check "validator still running" kill -0 "$(cat "$E2E_DIR/run/validator.pid")"

finish
