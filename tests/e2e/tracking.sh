#!/usr/bin/env bash
# End to end: response tracking, country groups and review.  A stack takes
# the examples plus probes (a partner that sent nothing, a PARTIAL response,
# an on-time response, a precursor file with one seizure row and nothing
# else); then, as the analyst, the tracking view says who was expected, who
# answered, late or on time, how complete; the group views count what they
# leave out; "which partners have not submitted the financial-flows
# questionnaire for 2023, by subregion?" is one SELECT (the query of
# loader/DATA_DICTIONARY.md); and a reviewer approves, queries and rejects
# through dcp.review(), which analysts cannot call, leaving audit rows
# nobody can change.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN >/dev/null
EX="$SRC/collector/examples"
year_now=$(date -u +%Y)

# Probes, made from the examples.
python3 - "$EX" "$E2E_DIR" "$year_now" <<'PY'
import json, sys, uuid
ex, out, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
ff = json.load(open(ex + "/financial_flows_2023_KAZ.json"))
# AFG, 2023, PARTIAL coverage.
doc = json.loads(json.dumps(ff))
doc.update(submission_id=str(uuid.uuid4()), reporting_country="AFG",
           geographic_coverage="PARTIAL", coverage_note="provinces under control of the reporting agency")
json.dump(doc, open(out + "/afg_ff_partial.json", "w"))
# KAZ, the current year: its deadline (30 June next year) has not passed.
doc = json.loads(json.dumps(ff))
doc.update(submission_id=str(uuid.uuid4()), reporting_year=now, completed_on="%d-01-02" % now,
           finalised_at="%d-01-02T10:00:00Z" % now)
json.dump(doc, open(out + "/kaz_ff_now.json", "w"))
# IRN, precursors 2022: one seizure row and nothing else.
pre = json.load(open(ex + "/precursors_2023_AFG.json"))
doc = {k: v for k, v in pre.items() if k != "precursors"}
doc.update(submission_id=str(uuid.uuid4()), reporting_country="IRN", reporting_year=2022,
           completed_on="2023-03-01", finalised_at="2023-03-01T10:00:00Z")
seizure = dict(pre["precursors"]["seizures"][0])
seizure["origin_countries"] = ["PAK"]
doc["precursors"] = {"seizures": [seizure]}
json.dump(doc, open(out + "/irn_pre_one_row.json", "w"))
PY

submit() {  # submit ISO3 FILE
    local out rc
    out=$(collector "$1" submit "$2") && rc=0 || rc=$?
    check "$(basename "$2") accepted" [ "$rc" = 0 ]
    [ "$rc" = 0 ] || echo "$out"
}
submit KAZ "$EX/financial_flows_2023_KAZ.json"
submit AFG "$EX/precursors_2023_AFG.json"
submit IRN "$EX/precursors_2023_IRN_csv.json"
submit AFG "$E2E_DIR/afg_ff_partial.json"
submit KAZ "$E2E_DIR/kaz_ff_now.json"
submit IRN "$E2E_DIR/irn_pre_one_row.json"
sql_is "six submissions stored" "SELECT count(*) FROM dcp.submission" 6

analyst() { "$STACK" analyst "$E2E_DIR" -qtA -c "$1" 2>&1; }
analyst_is() {  # analyst_is "description" "query" expected
    local got
    got=$(analyst "$2" || true)
    CHECKS=$((CHECKS + 1))
    if [ "$got" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$3', got '$got'"
        FAILS=$((FAILS + 1))
    fi
}

# --- tracking -------------------------------------------------------------
analyst_is "a 2023 response received in $year_now is late" \
    "SELECT expected, received, late, timeliness, revision_no, n_revisions FROM dcp.v_response_tracking
      WHERE reporting_country = 'KAZ' AND questionnaire = 'financial_flows' AND reporting_year = 2023" \
    "t|t|t|late|0|1"
analyst_is "a response for the current year is on time" \
    "SELECT received, late, timeliness FROM dcp.v_response_tracking
      WHERE reporting_country = 'KAZ' AND questionnaire = 'financial_flows' AND reporting_year = $year_now" \
    "t|f|on_time"
analyst_is "a partner that sent nothing is overdue" \
    "SELECT country_name, m49_subregion, expected, received, timeliness, coalesce(review_state, '-')
       FROM dcp.v_response_tracking
      WHERE reporting_country = 'TJK' AND questionnaire = 'financial_flows' AND reporting_year = 2023" \
    "Tajikistan|Central Asia|t|f|overdue|-"
analyst_is "Australia is expected only from 2013 (Phase IV)" \
    "SELECT string_agg(reporting_year || ':' || expected, ',' ORDER BY reporting_year)
       FROM dcp.v_response_tracking
      WHERE reporting_country = 'AUS' AND questionnaire = 'financial_flows' AND reporting_year IN (2010, 2013)" \
    "2010:false,2013:true"
analyst_is "the PARTIAL response is flagged" \
    "SELECT partial, geographic_coverage FROM dcp.v_response_tracking
      WHERE reporting_country = 'AFG' AND questionnaire = 'financial_flows' AND reporting_year = 2023" \
    "t|PARTIAL"
analyst_is "one seizure row and nothing else: complete in the file, not against the questionnaire" \
    "SELECT completeness_pct_in_file, completeness_pct < 50, array_to_string(sections_missing, ',')
       FROM dcp.v_response_tracking
      WHERE reporting_country = 'IRN' AND questionnaire = 'precursors' AND reporting_year = 2022" \
    "100.00|t|P2,P3,P4,P5,P6,P7,P8"
analyst_is "the complete precursor example misses no section" \
    "SELECT cardinality(sections_missing), completeness_pct > 80 FROM dcp.v_response_tracking
      WHERE reporting_country = 'AFG' AND questionnaire = 'precursors' AND reporting_year = 2023" \
    "0|t"

# The question of issue 12, as kept in loader/DATA_DICTIONARY.md.
analyst_is "partners without a 2023 financial-flows response, by subregion (one SELECT)" \
    "SELECT m49_subregion, string_agg(reporting_country, ',' ORDER BY reporting_country)
       FROM dcp.v_response_tracking
      WHERE questionnaire = 'financial_flows' AND reporting_year = 2023 AND expected AND NOT received
      GROUP BY m49_subregion ORDER BY m49_subregion" \
    "Australia and New Zealand|AUS
Central Asia|KGZ,TJK,TKM,UZB
Eastern Asia|CHN,JPN
Eastern Europe|BGR,BLR,CZE,HUN,MDA,POL,ROU,RUS,SVK,UKR
Northern America|CAN,USA
Northern Europe|DNK,EST,FIN,GBR,IRL,LTU,LVA,NOR,SWE
Southern Asia|IND,IRN,PAK
Southern Europe|ALB,BIH,ESP,GRC,HRV,ITA,MKD,MLT,MNE,PRT,SRB,SVN
Western Asia|ARE,ARM,AZE,CYP,GEO,TUR
Western Europe|AUT,BEL,CHE,DEU,FRA,LUX,NLD"

# --- groups ---------------------------------------------------------------
analyst_is "Central Asia 2023: 5 members expected, 1 received, 4 named as missing" \
    "SELECT n_members, n_expected, n_received, n_not_received, not_received[1]
       FROM dcp.v_group_coverage
      WHERE group_code = 'M49_143' AND questionnaire = 'financial_flows' AND reporting_year = 2023" \
    "5|5|1|4|Kyrgyzstan (KGZ)"
analyst_is "programme group counts the PARTIAL response apart" \
    "SELECT n_expected, n_received, n_partial FROM dcp.v_group_coverage
      WHERE group_code = 'UNODC_RP_AFG' AND questionnaire = 'financial_flows' AND reporting_year = 2023" \
    "8|2|1"
analyst_is "group total of STRs: NULL while countries are missing, with what is left out" \
    "SELECT n_expected, n_in_total, n_partial_left_out, n_not_submitted, sum_of_known, total IS NULL, total_status
       FROM dcp.v_group_indicator_totals
      WHERE group_code = 'UNODC_RP_AFG' AND indicator = 'STR_RECEIVED' AND reporting_year = 2023" \
    "8|1|1|6|412350|t|incomplete"
analyst_is "group members carry names and dates" \
    "SELECT member_name, from_year, joined FROM dcp.v_country_groups
      WHERE group_code = 'PARIS_PACT' AND member = 'AUS'" \
    "Australia|2013|Phase IV"
out=$(analyst "SELECT count(*) FROM dcp_review.v_focal_points" || true)
check "analysts cannot read focal-point contacts" grep -q "permission denied for schema dcp_review" <<<"$out"
out=$(analyst "SELECT count(*) FROM dcp_review.v_quarantine" || true)
check "analysts cannot read quarantine reasons" grep -q "permission denied for schema dcp_review" <<<"$out"

# --- review ---------------------------------------------------------------
sql "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reviewer') THEN
       CREATE ROLE reviewer LOGIN PASSWORD 'reviewer-pw'; END IF; END \$\$; GRANT dcp_reviewer TO reviewer" >/dev/null
echo "*:*:*:reviewer:reviewer-pw" >> "$PGPASSFILE"   # the stack's cluster takes passwords only
reviewer() { psql "$(sed 's/user=postgres/user=reviewer/' "$E2E_DIR/pg/conninfo")" -X -qtA -c "$1" 2>&1; }
kaz=$(sql "SELECT submission_id FROM dcp.submission WHERE reporting_country = 'KAZ' AND reporting_year = 2023")
afg=$(sql "SELECT submission_id FROM dcp.submission WHERE reporting_country = 'AFG' AND questionnaire = 'financial_flows'")

out=$(analyst "SELECT dcp.review('$kaz', 'approved', 'looks fine')" || true)
check "analyst cannot call dcp.review()" grep -q "permission denied for function review" <<<"$out"
out=$(reviewer "SELECT dcp.review('$kaz', 'approved', 'checked against the FIU annual report')" || true)
check "reviewer approves (an audit id comes back)" grep -qE '^[0-9]+$' <<<"$out"
out=$(reviewer "SELECT dcp.review('$afg', 'rejected', '')" || true)
check "rejecting needs a note" grep -q "needs a note" <<<"$out"
out=$(reviewer "SELECT dcp.review('$afg', 'queried', 'coverage note: which provinces?')" || true)
check "reviewer queries" grep -qE '^[0-9]+$' <<<"$out"
analyst_is "the tracking view shows the review state and note" \
    "SELECT reporting_country || ':' || review_state || ':' || coalesce(review_note, '-')
       FROM dcp.v_response_tracking
      WHERE questionnaire = 'financial_flows' AND reporting_year = 2023 AND received
      ORDER BY reporting_country" \
    "AFG:queried:coverage note: which provinces?
KAZ:approved:checked against the FIU annual report"
analyst_is "approved-only forms: one approved submission, one country in the approved total" \
    "SELECT (SELECT count(*) FROM dcp.v_submissions_approved), n_in_total, n_not_available
       FROM dcp.v_group_indicator_totals_approved
      WHERE group_code = 'M49_034' AND indicator = 'STR_RECEIVED' AND reporting_year = 2023" \
    "1|0|1"
out=$(reviewer "SELECT reviewed_by, from_state, to_state FROM dcp_review.v_review_log ORDER BY id" || true)
check "audit rows say who, from and to" \
    [ "$out" = "reviewer|received|approved
reviewer|received|queried" ]
out=$(reviewer "SELECT count(*) FROM dcp_review.v_focal_points WHERE focal_point_email IS NOT NULL" || true)
check "reviewer reads focal-point contacts" [ "$out" = 6 ]
out=$(reviewer "SELECT count(*) FROM dcp_review.v_quarantine" || true)
check "reviewer reads the quarantine" grep -qE '^[0-9]+$' <<<"$out"
out=$(reviewer "UPDATE dcp.review_audit SET note = 'changed'" || true)
check "reviewer cannot update the audit" grep -q "permission denied" <<<"$out"
out=$(sql "UPDATE dcp.review_audit SET note = 'changed'" 2>&1 || true)
check "not even the owner can update the audit" grep -q "append-only" <<<"$out"
out=$(sql "DELETE FROM dcp.review_audit" 2>&1 || true)
check "not even the owner can delete from the audit" grep -q "append-only" <<<"$out"
out=$(sql "UPDATE dcp.submission SET review_state = 'approved' WHERE submission_id = '$afg'" 2>&1 || true)
check "review_state changes only through dcp.review()" grep -q "only through dcp.review" <<<"$out"
sql_is "two audit rows, unchanged" "SELECT count(*) FROM dcp.review_audit WHERE note <> 'changed'" 2

finish
