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
# Round trip JSON -> protobuf -> PostgreSQL -> analyst view, "--" kept apart from 0.
sql_is "financial-flow indicators reach the analyst view" \
    "SELECT count(*) > 10 FROM dcp.v_ff_indicators WHERE reporting_country = 'KAZ' AND reporting_year = 2023" t
sql_is "'--' is stored as NOT_AVAILABLE with no value, never 0" \
    "SELECT coalesce(value::text, 'NULL') || ' ' || status FROM dcp.v_ff_indicators
      WHERE reporting_country = 'KAZ' AND indicator = 'STR_DISSEMINATION_DAYS'" "NULL NOT_AVAILABLE"
sql_is "litres of acetic anhydride converted by density, original kept" \
    "SELECT bool_and(quantity_kg_method LIKE 'density:%' AND quantity_kg <> quantity_value)
       FROM dcp.v_precursor_seizures WHERE reporting_country = 'AFG' AND substance_code = 'AA'
        AND quantity_unit = 'L'" t
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

# Revisions: a second response for KAZ 2023 without saying what it
# supersedes is refused; a proper revision becomes current, and the view of
# current data shows only it.
orig=$(sed -n 's/.*"submission_id": *"\([^"]*\)".*/\1/p' "$EX/financial_flows_2023_KAZ.json" | awk 'NR == 1')
python3 - "$EX/financial_flows_2023_KAZ.json" "$E2E_DIR" "$orig" <<'PY'
import json, sys, uuid
doc = json.load(open(sys.argv[1]))
doc["submission_id"] = str(uuid.uuid4())
doc["financial_flows"]["str"]["received_total"] = 99999
json.dump(doc, open(sys.argv[2] + "/kaz_dup.json", "w"))
doc["submission_id"] = str(uuid.uuid4())
doc.update(revision_no=1, supersedes_submission_id=sys.argv[3], revision_reason="CORRECTION")
json.dump(doc, open(sys.argv[2] + "/kaz_rev1.json", "w"))
PY
out=$(collector KAZ submit "$E2E_DIR/kaz_dup.json") && rc=0 || rc=$?
echo "$out"
check "second response for the same year without supersedes is rejected" [ "$rc" = 1 ]
check "rejection names V-ENV-06" grep -q "V-ENV-06" <<<"$out"
out=$(collector KAZ submit "$E2E_DIR/kaz_rev1.json") && rc=0 || rc=$?
echo "$out"
check "revision 1 is accepted" [ "$rc" = 0 ]
sql_is "current view shows revision 1 only" \
    "SELECT string_agg(revision_no::text, ',') FROM dcp.v_submissions_current WHERE reporting_country = 'KAZ'" 1
sql_is "current indicators show the revised value" \
    "SELECT value FROM dcp.v_ff_indicators WHERE reporting_country = 'KAZ'
      AND indicator = 'STR_RECEIVED' AND scope = 'ALL' AND breakdown IS NULL" 99999
sql_is "first-reported view keeps revision 0" \
    "SELECT revision_no FROM dcp.v_submissions_first_reported WHERE reporting_country = 'KAZ'" 0

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
sql_is "rejected submissions kept in quarantine" "SELECT count(*) FROM dcp.quarantine" 2

# A client in another language, from the contract alone.
pyout=$(/usr/bin/python3 "$SRC/tests/clients/submit.py" \
    "$(awk '/^endpoint/ {print $3}' "$E2E_DIR/etc/collector-IRN.conf")" \
    "$E2E_DIR/keys/validator.key.pub" "$E2E_DIR/keys/collector-IRN.key" IRN 2>&1) && rc=0 || rc=$?
echo "$pyout"
check "python client's submission accepted" [ "$rc" = 0 ]
sql_is "python client's submission stored" \
    "SELECT count(*) FROM dcp.submission WHERE reporting_country = 'IRN'" 1
check "a stored submission cannot be changed, even by the owner" \
    bash -c '! "$1" psql "$2" -qtA -c "UPDATE dcp.submission SET reporting_year = 1999" 2>/dev/null' _ "$STACK" "$E2E_DIR"
check "a stored submission cannot be deleted" \
    bash -c '! "$1" psql "$2" -qtA -c "DELETE FROM dcp.submission" 2>/dev/null' _ "$STACK" "$E2E_DIR"
check "the current flag can still move (as revisions do)" \
    "$STACK" psql "$E2E_DIR" -qtA -c "BEGIN; UPDATE dcp.submission SET is_current = is_current; ROLLBACK"
# A burst of revisions: 300 files for 34 series of one country, each the
# next revision of its series, sent with a window of 64 (the collector
# sends a series one at a time, so 34 travel at once).  The loader's writers
# each own a share of the series; every revision must still find its
# predecessor committed (no V-ENV-06), and the last one of each series be
# current.
"$STACK" register "$E2E_DIR" TJK >/dev/null
python3 "$SRC/tests/tools/gen_submissions.py" "$E2E_DIR/burst" 300 --collectors 1 --rows 3 \
    --countries TJK --revisions --kind precursors >/dev/null
(cd "$E2E_DIR/burst/c0" && "$STACK" collector "$E2E_DIR" TJK take ./*.json >/dev/null)
out=$(collector TJK --wait_s=120 send 2>&1) && rc=0 || rc=$?
check "a burst of 300 revisions is accepted (exit 0)" [ "$rc" = 0 ]
sql_is "every revision stored, none refused" \
    "SELECT (SELECT count(*) FROM dcp.submission WHERE reporting_country = 'TJK') || ' '
         || (SELECT count(*) FROM dcp.quarantine WHERE reporting_country = 'TJK')" "300 0"
sql_is "the last revision of each series is the current one" \
    "SELECT count(*) FROM dcp.submission s WHERE reporting_country = 'TJK' AND is_current
        AND revision_no = (SELECT max(revision_no) FROM dcp.submission t
                            WHERE t.reporting_country = s.reporting_country
                              AND t.questionnaire = s.questionnaire
                              AND t.reporting_year = s.reporting_year)" 34
sql_is "the loader wrote through two connections" \
    "SELECT count(DISTINCT pid) >= 2 FROM pg_stat_activity WHERE application_name = 'dcp-loader'" t

sql_is "nothing stored twice" \
    "SELECT count(*) - count(DISTINCT submission_id) FROM dcp.submission" 0

finish
