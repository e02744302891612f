#!/usr/bin/env bash
# End to end: the analysts' report on the example answers, run as the
# analyst role through deploy/stack.sh.  The HTML for 2023 opens in headless
# Chromium with no console error and no request leaving the page, every
# chart and the route map drew (canvas with many colours); the screenshot is
# kept in the build folder; the PDF has pages; KAZ's asset figures are in US
# dollars where a rate exists and NULL with a reason where none does; the
# SDMX-CSV reads back to the database's figures and statuses.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN PAK >/dev/null
EX="$SRC/collector/examples"
collector KAZ submit "$EX/financial_flows_2023_KAZ.json" >/dev/null
# A partner's text that tries to end the page's script: it must stay text.
python3 - "$EX/precursors_2023_AFG.json" "$E2E_DIR/afg.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["precursors"]["incidents"][0]["incident_id"] = "X</script><script>window.__pwned=1</script>"
json.dump(doc, open(sys.argv[2], "w"))
PY
out=$(collector AFG submit "$E2E_DIR/afg.json" 2>&1) && rc=0 || rc=$?
check "AFG answer with a hostile incident id accepted" [ "$rc" = 0 ]
collector IRN submit "$EX/precursors_2023_IRN_csv.json" >/dev/null
# A probe: PAK answers precursors for part of the country only (left out of
# the cross-country totals, counted in the data notes) with an incident
# whose acetic anhydride figure covers several substances (drawn apart).
python3 - "$EX/precursors_2023_AFG.json" "$E2E_DIR/pak.json" <<'PY'
import json, sys, uuid
doc = json.load(open(sys.argv[1]))
doc.update(submission_id=str(uuid.uuid4()), reporting_country="PAK", geographic_coverage="PARTIAL",
           coverage_note="probe: two provinces only")
pc = doc["precursors"]
for k in ("non_scheduled", "diversion_methods", "stopped_shipments", "labs", "licit_trade", "routes"):
    pc.pop(k, None)
pc["seizures"] = [{"substance_code": "AA", "physical_form": "BULK_SOLID", "quantity": "1000 KG"}]
pc["incidents"] = [{
    "incident_id": "PROBE-PAK-1", "incident_type": "SEIZURE", "incident_date": "2023-06-01",
    "location": {"admin_area": "Balochistan"},
    "substances": [{"substance_code": "AA", "quantity": "300 KG", "mixed_substances": True},
                   {"substance_code": "HCL", "quantity": "40 KG"}],
    "transport_mode": "ROAD",
    "route": [{"country": "IRN", "role": "ORIGIN"}, {"country": "PAK", "role": "TRANSIT"},
              {"country": "AFG", "role": "DESTINATION"}]}]
json.dump(doc, open(sys.argv[2], "w"))
PY
collector PAK submit "$E2E_DIR/pak.json" >/dev/null
sql_is "four answers stored" "SELECT count(*) FROM dcp.submission" 4
report() { "$STACK" report "$E2E_DIR" "$@"; }
asql() { "$STACK" analyst "$E2E_DIR" -qtA -c "$1"; }
# A frozen baseline (as an analyst may freeze one): the report shows it as
# the baseline of AFG's acetic anhydride; other figures fall back to the
# figure as first reported.
check "an analyst freezes AFG's acetic anhydride of 2023 as a baseline" \
    asql "SELECT dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'AFG', 2023, 'e2e report')"
ART="$BUILD/test-artifacts"
mkdir -p "$ART"

# --- HTML -------------------------------------------------------------------
html="$E2E_DIR/report-2023.html"
out=$(report html --year 2023 --out "$html" 2>&1) && rc=0 || rc=$?
echo "$out"
check "report html exits 0 as the analyst role" [ "$rc" = 0 ]
check "the page forbids network loads (Content-Security-Policy)" \
    grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$html"
check "nothing in the page points at the network" \
    bash -c "! grep -Eiq '(src|href)=\"(https?:)?//' '$html'"
check "every </script> closes one of the page's own scripts" \
    [ "$(grep -oi '<script' "$html" | wc -l)" = "$(grep -oi '</script' "$html" | wc -l)" ]
cp "$html" "$ART/report-2023.html"
# pagedata FILE EXPR: EXPR (Python, over D = the page's JSON) holds.
pagedata() {
    python3 -c "
import json, re, sys
t = open(sys.argv[1], encoding='utf-8').read()
D = json.loads(re.search(r'<script type=\"application/json\" id=\"report-data\">(.*?)</script>', t, re.S).group(1))
sys.exit(0 if ($2) else 1)" "$1"
}
check "the data notes name the PARTIAL response left out of the totals" \
    pagedata "$html" "D['notes']['left_out'] == [{'questionnaire': 'precursors', 'country': 'PAK'}]"
check "the acetic anhydride total of 2023 leaves PAK out and says so" \
    pagedata "$html" "[(t['n_partial_left_out'], t['n_countries']) for t in D['seizures']['totals']
                      if t['year'] == 2023 and t['substance'] == 'AA'] == [(1, 2)]"
check "the mixed-substance figure is a line of its own on the map" \
    pagedata "$html" "any(r['incident_id'] == 'PROBE-PAK-1' and r['substance'] == 'AA' and r['mixed']
                          for r in D['routes']['incidents'])"
check "the baseline section shows the frozen baseline and first-reported figures" \
    pagedata "$html" "any(r['country'] == 'AFG' and r['indicator'] == 'P1_SEIZED_KG' and r['scope'] == 'AA'
                          and r['baseline_kind'].startswith('frozen') for r in D['baseline'])
                      and any(r['baseline_kind'].startswith('as first reported') for r in D['baseline'])"
check "a NULL total is missing with its status, never 0" \
    pagedata "$html" "all((r['kg'] is None) == (r['total_status'] in ('INCOMPLETE', 'NOT_AVAILABLE'))
                          for r in D['seizures']['countries'] + D['routes']['incidents'])"

result=$(NODE_PATH="$BUILD/report-npm/node_modules" timeout 60 \
         node "$SRC/tests/e2e/lib/report_page.js" "$html" "$ART/report-2023.png") && rc=0 || rc=$?
echo "$result" | head -c 3000
echo
check "the browser check ran" [ "$rc" = 0 ]
echo "screenshot: $ART/report-2023.png"
verdict() { python3 -c "import json,sys; r=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <<<"$result"; }
check "no console error" verdict "not r['console_errors']"
check "no page error" verdict "not r['page_errors']"
check "no request left the page" verdict "not r['requests']"
check "a partner's </script> stays text on the page" \
    verdict "not r['pwned'] and r['hostile_text_shown']"
check "seven charts and the map are on the page" verdict "len(r['charts']) == 7 and any(c['id'] == 'chart-routes' for c in r['charts'])"
check "every chart and the map drew (non-blank canvas)" \
    verdict "all(c['drawn'] and c['canvas'] and c['colours'] > 50 for c in r['charts'])"
check "the screenshot is a non-trivial PNG" \
    python3 -c "import sys; b=open(sys.argv[1],'rb').read(); sys.exit(0 if b[:8]==b'\x89PNG\r\n\x1a\n' and len(b) > 50000 else 1)" \
    "$ART/report-2023.png"

# --- PDF --------------------------------------------------------------------
pdf="$E2E_DIR/report-2023.pdf"
out=$(report html --year 2023 --out "$pdf" 2>&1) && rc=0 || rc=$?
check "report html --out FILE.pdf exits 0" [ "$rc" = 0 ]
check "the PDF is a PDF with pages" python3 -c "
import re, sys
b = open(sys.argv[1], 'rb').read()
pages = len(re.findall(rb'/Type\s*/Page[^s]', b))
print('pdf pages:', pages)
sys.exit(0 if b[:5] == b'%PDF-' and pages >= 2 else 1)" "$pdf"
cp "$pdf" "$ART/report-2023.pdf" 2>/dev/null || true

out=$(report html --year 2023 --group CENTRAL_ASIA --out "$E2E_DIR/g.html" 2>&1) && rc=0 || rc=$?
check "an unknown country group is refused, not reported empty" \
    bash -c "[ $rc = 1 ] && grep -q 'is unknown' <<<\"\$1\"" _ "$out"
check "the refusal lists the known groups" \
    bash -c "grep -q 'PARIS_PACT' <<<\"\$1\" && grep -q 'UNODC_RP_AFG' <<<\"\$1\"" _ "$out"
check "an unknown group wrote no page" [ ! -e "$E2E_DIR/g.html" ]
out=$(report html --year 2023 --group PARIS_PACT_ORGS --out "$E2E_DIR/g.html" 2>&1) && rc=0 || rc=$?
check "a group without member countries is refused, not reported empty" \
    bash -c "[ $rc = 1 ] && grep -q 'has no member country' <<<\"\$1\"" _ "$out"

# --- a country group: Afghanistan and neighbouring countries ------------------
ghtml="$E2E_DIR/report-2023-rp-afg.html"
out=$(report html --year 2023 --group UNODC_RP_AFG --out "$ghtml" 2>&1) && rc=0 || rc=$?
echo "$out"
check "report html --group UNODC_RP_AFG exits 0" [ "$rc" = 0 ]
cp "$ghtml" "$ART/report-2023-rp-afg.html"
gresult=$(NODE_PATH="$BUILD/report-npm/node_modules" timeout 60 \
          node "$SRC/tests/e2e/lib/report_page.js" "$ghtml" "$ART/report-2023-rp-afg.png") && rc=0 || rc=$?
check "the browser check of the group report ran" [ "$rc" = 0 ]
gverdict() { python3 -c "import json,sys; r=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <<<"$gresult"; }
check "group report: no console or page error, no request" \
    gverdict "not r['console_errors'] and not r['page_errors'] and not r['requests']"
check "group report: every chart and the map drew" \
    gverdict "len(r['charts']) == 7 and all(c['drawn'] and c['canvas'] and c['colours'] > 50 for c in r['charts'])"
check "group report: the tracking table lists Pakistan as not submitted" \
    gverdict "any('Pakistan (PAK)' in row and 'not submitted' in row for row in r['tracking_rows'])"
check "group report: KAZ precursors (not sent) listed as not submitted" \
    gverdict "any('(KAZ)' in row and 'precursors' in row and 'not submitted' in row for row in r['tracking_rows'])"
check "group report: only members of the group are tracked" \
    gverdict "r['tracking_rows'] and all(any('(%s)' % c in row for c in ('AFG','IRN','PAK','KAZ','KGZ','TJK','TKM','UZB')) for row in r['tracking_rows'])"

# --- money in US dollars ----------------------------------------------------
check "the analyst reads the USD view" [ "$(asql "SELECT count(*) FROM dcp.v_ff_assets_usd")" -gt 0 ]
sql_is "KZT frozen at the 2023 rate, original kept" \
    "SELECT amount || ' ' || currency || ' = ' || amount_usd || ' USD at ' || rate_units_per_usd || ' ' || rate_basis
       FROM dcp.v_ff_assets_usd WHERE reporting_country = 'KAZ' AND measure = 'FROZEN'" \
    "184500000.00 KZT = 404330.39 USD at 456.31 ANNUAL_AVERAGE"
sql_is "USD amounts are 1:1 by definition" \
    "SELECT amount_usd || ' ' || rate_basis FROM dcp.v_ff_assets_usd
      WHERE reporting_country = 'KAZ' AND measure = 'CONFISCATED'" "37800.00 DEFINITION"
sql_is "a not-available amount has no USD and says why" \
    "SELECT coalesce(amount_usd::text, 'NULL') || ' ' || usd_missing_reason FROM dcp.v_ff_assets_usd
      WHERE reporting_country = 'KAZ' AND measure = 'RECOVERED_REPATRIATED'" "NULL no amount: not_available"

# --- SDMX read back against the database ------------------------------------
csv="$E2E_DIR/report-2023.csv"
out=$(report sdmx --year 2023 --out "$csv" 2>&1) && rc=0 || rc=$?
check "report sdmx exits 0" [ "$rc" = 0 ]
cp "$csv" "$ART/report-2023.csv" 2>/dev/null || true
asql "COPY (SELECT 'DF_FINANCIAL_FLOWS', reporting_country, indicator, measure, scope, breakdown,
                   reporting_year, value, status, coalesce(currency, count_unit)
              FROM dcp.v_ff_indicators WHERE reporting_year = 2023
            UNION ALL
            SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZED', 'QUANTITY', physical_form,
                   substance_code, reporting_year, quantity_value, quantity_status, quantity_unit
              FROM dcp.v_precursor_seizures WHERE reporting_year = 2023
            UNION ALL
            SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZURES', 'COUNT', physical_form,
                   substance_code, reporting_year, number_of_seizures_value,
                   number_of_seizures_status, 'SEIZURES'
              FROM dcp.v_precursor_seizures WHERE reporting_year = 2023
            UNION ALL
            SELECT 'DF_PRECURSORS', reporting_country, 'PC_SEIZED_KG', 'QUANTITY', NULL,
                   substance_code, reporting_year, kg_total,
                   CASE WHEN kg_total IS NOT NULL AND statuses::text[] <@ ARRAY['REPORTED'] THEN 'REPORTED'
                        WHEN kg_total IS NOT NULL AND 'PROVISIONAL' = ANY (statuses::text[]) THEN 'PROVISIONAL'
                        WHEN kg_total IS NOT NULL THEN 'ESTIMATED'
                        WHEN cardinality(statuses) = 1 AND statuses[1]::text
                             NOT IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL') THEN statuses[1]::text
                        ELSE 'NOT_AVAILABLE' END, 'KG'
              FROM dcp.v_pc_seizure_kg WHERE reporting_year = 2023
            UNION ALL
            SELECT 'DF_PRECURSORS', reporting_country, 'PC_INCIDENTS', 'COUNT',
                   CASE WHEN mixed_substances THEN 'MIXED_SUBSTANCES' END, substance, reporting_year,
                   count(DISTINCT incident_id), 'REPORTED', 'INCIDENTS'
              FROM dcp.v_incident_route_substances WHERE reporting_year = 2023
             GROUP BY reporting_country, reporting_year, substance, mixed_substances
            UNION ALL
            SELECT 'DF_PRECURSORS', reporting_country, 'PC_INCIDENT_KG', 'QUANTITY',
                   CASE WHEN mixed_substances THEN 'MIXED_SUBSTANCES' END, substance, reporting_year,
                   CASE WHEN bool_and(quantity_kg IS NOT NULL) THEN sum(quantity_kg) END,
                   CASE WHEN NOT bool_and(quantity_kg IS NOT NULL)
                         AND count(DISTINCT statuses) = 1 AND min(cardinality(statuses)) = 1
                         AND min(statuses[1]::text) NOT IN ('REPORTED', 'ESTIMATED', 'PROVISIONAL')
                        THEN min(statuses[1]::text)
                        WHEN NOT bool_and(quantity_kg IS NOT NULL) THEN 'NOT_AVAILABLE'
                        WHEN bool_or('PROVISIONAL' = ANY (statuses::text[])) THEN 'PROVISIONAL'
                        WHEN bool_or('ESTIMATED' = ANY (statuses::text[])) THEN 'ESTIMATED'
                        ELSE 'REPORTED' END, 'KG'
              FROM dcp.v_incident_route_substances WHERE reporting_year = 2023
             GROUP BY reporting_country, reporting_year, substance, mixed_substances)
       TO STDOUT (FORMAT csv)" \
    > "$E2E_DIR/db.csv"
check "the SDMX file has the precursor totals and incidents, mixed figures apart" \
    bash -c "grep -q ',PC_SEIZED_KG,' '$csv' && grep -q ',PC_INCIDENTS,' '$csv' &&
             grep -q ',PC_INCIDENT_KG,QUANTITY,MIXED_SUBSTANCES,AA,' '$csv'"
check "every SDMX observation reads back to the database, statuses included" \
    python3 "$SRC/tests/e2e/lib/sdmx_readback.py" "$csv" "$E2E_DIR/db.csv" "$SRC/loader/report/SDMX.md"

out=$(report sdmx --year 2023 --group M49_143 --out "$E2E_DIR/central-asia.csv" 2>&1) && rc=0 || rc=$?
check "report sdmx --group M49_143 (Central Asia) keeps only KAZ" python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
print('central asia:', len(rows), 'observations', sorted({r['REF_AREA'] for r in rows}))
sys.exit(0 if rows and {r['REF_AREA'] for r in rows} == {'KAZ'} else 1)" "$E2E_DIR/central-asia.csv"

# A currency with no rate: NULL with the reason, never 0 nor the original.
sql "DELETE FROM dcp.ref_exchange_rates WHERE currency = 'KZT'" >/dev/null
sql_is "no KZT rate: amount_usd NULL with its reason" \
    "SELECT coalesce(amount_usd::text, 'NULL') || ' ' || usd_missing_reason FROM dcp.v_ff_assets_usd
      WHERE reporting_country = 'KAZ' AND measure = 'FROZEN'" "NULL no exchange rate for KZT in 2023"

finish
