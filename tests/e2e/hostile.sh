#!/usr/bin/env bash
# End to end: a registered partner sending hostile bytes.  A key in the
# registry is only a licence to be answered, not to be trusted: every
# crafted message below must get a precise, final receipt (or, over
# max_message, a dropped connection), be kept in quarantine when rejected,
# and leave the validator and the loader running for everyone else.
#
# Each row of the table sends one message built by tests/clients/hostile.py
# (read its cases for the bytes) as Iran's collector, with CURVE on, and
# names the receipt status and the EXACT set of error codes it must carry;
# CODE@PATH also pins where the problem is.  Warnings and infos are not
# part of the set (the examples are for 2023, so V-ENV-05 "late" is there).
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" IRN KAZ >/dev/null
ENDPOINT=$(awk '/^endpoint/ {print $3}' "$E2E_DIR/etc/collector-IRN.conf")

hostile() {  # hostile CASE: sends it, leaves the printed receipt in $out
    out=$(/usr/bin/python3 "$SRC/tests/clients/hostile.py" "$ENDPOINT" \
          "$E2E_DIR/keys/validator.key.pub" "$E2E_DIR/keys/collector-IRN.key" IRN "$1" 2>&1) \
        && rc=0 || rc=$?
}

REJECTED_CASES=0
expect() {  # expect CASE STATUS "CODE[@PATH] ..."
    local case=$1 status=$2 want=$3
    hostile "$case"
    local got_status got_errors want_codes item missing=""
    got_status=$(awk '$1 == "status" {sub("RECEIPT_", "", $2); print $2}' <<<"$out")
    got_errors=$(awk '$1 == "problem" && $2 == "SEVERITY_ERROR" {print $3}' <<<"$out" | sort -u | xargs)
    want_codes=$(tr ' ' '\n' <<<"$want" | sed 's/@.*//' | grep . | sort -u | xargs || true)
    for item in $want; do
        case $item in
        *@*) grep -qx "problem SEVERITY_ERROR ${item%%@*} ${item#*@}" <<<"$out" || missing+=" $item" ;;
        esac
    done
    CHECKS=$((CHECKS + 1))
    if [ "$rc" = 0 ] && [ "$got_status" = "$status" ] && [ "$got_errors" = "$want_codes" ] \
       && [ -z "$missing" ]; then
        printf 'ok   %-20s %-8s %s\n' "$case" "$status" "${want:--}"
    else
        printf 'FAIL %-20s expected %s [%s], got %s [%s]%s\n' "$case" "$status" "$want" \
            "${got_status:-no receipt}" "$got_errors" "${missing:+; missing$missing}"
        echo "$out" | sed 's/^/     /'
        FAILS=$((FAILS + 1))
    fi
    [ "$got_status" = REJECTED ] && REJECTED_CASES=$((REJECTED_CASES + 1))
    return 0
}

# case                 receipt   error codes, exactly
expect valid_precursors ACCEPTED ""
expect truncated       REJECTED "WIRE-DECODE"
expect random_bytes    REJECTED "WIRE-DECODE"
expect field_zero      REJECTED "WIRE-DECODE"
expect nul_in_text     REJECTED "WIRE-DECODE"
expect schema_2        REJECTED "ENV-SCHEMA@/schema_version"
expect text_10mb       REJECTED "TEXT-LENGTH@/coverage_note"
# protobuf-c does not check UTF-8 on decoding, so the rules do, with a path.
expect invalid_utf8    REJECTED "TEXT-UTF8@/coverage_note"
expect negative_count  REJECTED "V-GEN-05@/financial_flows/str/received_total/value"
expect int64_min       REJECTED "V-GEN-05@/financial_flows/str/received_total/value"
expect int64_max       ACCEPTED ""
check "int64 max: outcomes summed without wrapping (V-FIN-09 warning)" \
    grep -qx "problem SEVERITY_WARNING V-FIN-09 /financial_flows/cooperation/0" <<<"$out"
expect decimal_40_digits REJECTED "V-GEN-06@/financial_flows/str/cash_declarations_value/amount"
# An unknown code is also not the key's country.
expect unknown_country REJECTED "V-ENV-01@/reporting_country AUTH-COUNTRY@/reporting_country"
expect wrong_country   REJECTED "AUTH-COUNTRY@/reporting_country"
expect sql_injection   ACCEPTED ""
expect duplicate_incident REJECTED "V-PRE-15@/precursors/incidents/1/incident_id"
# Zero bytes are a valid, empty protobuf message: the rules list what is missing.
expect empty_payload   REJECTED "WIRE-ID-MISMATCH@/submission_id ENV-ID ENV-SCHEMA ENV-KIND \
ENV-PAYLOAD REQUIRED V-ENV-01 V-ENV-02"
expect two_frames      REJECTED "WIRE-FRAMING"
expect wrong_signature REJECTED "WIRE-FRAMING"

# Over max_message: the validator drops the connection, answers nothing,
# and keeps running.
hostile over_max_message
printf '%s\n' "${out%%$'\n'*}"
check "over max_message: no receipt" [ "$rc" = 3 ]
check "over max_message: validator still running" kill -0 "$(cat "$E2E_DIR/run/validator.pid")"

# Valid traffic keeps flowing, and nothing died on the way.
expect valid ACCEPTED ""
check "validator still running" kill -0 "$(cat "$E2E_DIR/run/validator.pid")"
check "loader still running" kill -0 "$(cat "$E2E_DIR/run/loader.pid")"

# What the database kept.
sql_is "every rejected message kept in quarantine" \
    "SELECT count(*) FROM dcp.quarantine" "$REJECTED_CASES"
# The loader decodes the forwarded bytes again with the same codec, so it
# sorts them as the validator did: 4 undecodable, 2 wrong-country, the rest
# invalid.
sql_is "quarantine reasons" \
    "SELECT string_agg(reason || '=' || n, ' ' ORDER BY reason)
     FROM (SELECT reason, count(*) AS n FROM dcp.quarantine GROUP BY reason) r" \
    "invalid=$((REJECTED_CASES - 6)) undecodable=4 wrong_country=2"
sql_is "the two wrong-country messages are security events" \
    "SELECT count(*) FROM dcp.security_event" 2
sql_is "accepted: precursors, int64 max, SQL text, valid" "SELECT count(*) FROM dcp.submission" 4
sql_is "dcp.submission survived the SQL text" \
    "SELECT count(*) FROM dcp.submission WHERE reporting_year = 2021" 1
sql_is "SQL text stored verbatim (coverage_note)" \
    "SELECT coverage_note FROM dcp.submission WHERE reporting_year = 2021" \
    "'); DROP TABLE dcp.submission; --"
sql_is "SQL text stored verbatim (challenge_text)" \
    "SELECT challenge_text FROM dcp.ff_challenge JOIN dcp.submission USING (submission_id)
     WHERE reporting_year = 2021" "'); DROP TABLE dcp.submission; --"
sql_is "int64 max stored exactly" \
    "SELECT s.received_total_value || ' ' || c.executed_value FROM dcp.ff_str s
     JOIN dcp.ff_cooperation c USING (submission_id) JOIN dcp.submission USING (submission_id)
     WHERE reporting_year = 2022" "9223372036854775807 9223372036854775807"
sql_is "the 10 MB text is kept whole in quarantine" \
    "SELECT count(*) FROM dcp.quarantine WHERE length(raw) > 10000000" 1

finish
