#!/usr/bin/env bash
# End to end, issue 12: what an analyst (role dcp_analyst, login "analyst")
# sees on a stack loaded with the examples plus probe submissions:
#   IRN 2023: one acetic anhydride row "no seizures" and one "not available";
#             a quantity in M3 and one in ML;
#   AFG 2023: the example, whose incident holds 15,520 L of AA and 250 kg of
#             HCl (never added together);
#   PAK 2023: PARTIAL coverage, with a mixed-substance incident figure.
# Every section is readable through a view, every stored column reaches one,
# no total shows 0 for a figure that was not reported as 0, kilograms are
# never added across substances, mixed figures stay apart and PARTIAL
# coverage is left out of cross-country totals, with a count.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN PAK >/dev/null
EX="$SRC/collector/examples"

python3 - "$EX/precursors_2023_AFG.json" "$E2E_DIR" <<'PY'
import json, sys, uuid
base = json.load(open(sys.argv[1]))
out = sys.argv[2]

def probe(country, coverage, seizures, incidents):
    doc = json.loads(json.dumps(base))
    doc["submission_id"] = str(uuid.uuid4())
    doc["reporting_country"] = country
    doc["geographic_coverage"] = coverage
    if coverage == "PARTIAL":
        doc["coverage_note"] = "probe: two provinces only"
    pc = doc["precursors"]
    pc["seizures"] = seizures
    pc["incidents"] = incidents
    for k in ("non_scheduled", "diversion_methods", "stopped_shipments", "labs",
              "licit_trade", "routes"):
        pc.pop(k, None)
    json.dump(doc, open(f"{out}/probe_{country}.json", "w"))

probe("IRN", "NATIONAL", [
    {"substance_code": "AA", "physical_form": "BULK_LIQUID", "no_seizures": True,
     "origin_countries": ["IRN"]},
    {"substance_code": "AA", "physical_form": "BULK_LIQUID",
     "quantity": {"status": "not available", "unit": "L"}, "origin_countries": ["UNKNOWN"]},
    {"substance_code": "ACET", "physical_form": "BULK_LIQUID", "quantity": "2 M3"},
    {"substance_code": "ETHER", "physical_form": "BULK_LIQUID", "quantity": "5000 ML"},
], [])
probe("PAK", "PARTIAL", [
    {"substance_code": "AA", "physical_form": "BULK_SOLID", "quantity": "1000 KG"},
], [{
    "incident_id": "PROBE-PAK-1", "incident_type": "SEIZURE", "incident_date": "2023-06-01",
    "location": {"admin_area": "Balochistan"},
    "substances": [
        {"substance_code": "AA", "quantity": "300 KG", "mixed_substances": True},
        {"substance_code": "HCL", "quantity": "40 KG"},
    ],
    "transport_mode": "ROAD",
    "route": [{"country": "IRN", "role": "ORIGIN"}, {"country": "AFG", "role": "DESTINATION"}],
}])
PY

for cc in AFG IRN PAK; do
    f="$EX/precursors_2023_AFG.json"
    [ "$cc" = AFG ] || f="$E2E_DIR/probe_$cc.json"
    out=$(collector "$cc" submit "$f") && rc=0 || rc=$?
    check "$cc precursors accepted" [ "$rc" = 0 ]
    [ "$rc" = 0 ] || echo "$out"
done
out=$(collector KAZ submit "$EX/financial_flows_2023_KAZ.json") && rc=0 || rc=$?
check "KAZ financial flows accepted" [ "$rc" = 0 ]

asql() { "$STACK" analyst "$E2E_DIR" -qtA -c "$1"; }
asql_is() {  # asql_is "description" "query" expected, as the analyst
    local got
    got=$(asql "$2" 2>&1 || true)
    CHECKS=$((CHECKS + 1))
    if [ "$got" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$3', got '$got'"
        FAILS=$((FAILS + 1))
    fi
}

# --- every section reachable, nothing denied -------------------------------
denied=""
for v in $(asql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'dcp' AND c.relkind = 'v' ORDER BY 1"); do
    asql "SELECT count(*) FROM dcp.$v" >/dev/null 2>&1 || denied="$denied $v"
done
check "the analyst can read every view of schema dcp (denied:${denied:- none})" [ -z "$denied" ]
asql_is "every column of every ff_/pc_ table is shown by a view the analyst may read" \
    "SELECT coalesce(string_agg(c.relname || '.' || a.attname, ' '), 'none')
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'dcp' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND (c.relname LIKE 'ff\\_%' OR c.relname LIKE 'pc\\_%')
        AND NOT EXISTS (
            SELECT 1 FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid
            JOIN pg_class v ON v.oid = w.ev_class
            JOIN pg_attribute va ON va.attrelid = v.oid AND va.attname = a.attname
           WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = c.oid
             AND d.refobjsubid = a.attnum AND v.relkind = 'v'
             AND has_table_privilege(v.oid, 'SELECT'))" none
asql_is "no view the analyst reads has focal-point contact data" \
    "SELECT count(*) FROM pg_attribute a JOIN pg_class v ON v.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = v.relnamespace
      WHERE n.nspname = 'dcp' AND v.relkind = 'v' AND has_table_privilege(v.oid, 'SELECT')
        AND a.attname IN ('focal_point_name', 'focal_point_email', 'focal_point_phone',
                          'focal_point_title')" 0
check "the tables themselves stay closed to the analyst" \
    bash -c '! "$0" analyst "$1" -qtA -c "SELECT 1 FROM dcp.ff_legal" >/dev/null 2>&1' "$STACK" "$E2E_DIR"
asql_is "section B (legal framework) through its view" \
    "SELECT fiu_exists IS NOT NULL FROM dcp.v_ff_legal WHERE reporting_country = 'KAZ'" t
asql_is "P8 routes with their route code" \
    "SELECT string_agg(country || ':' || coalesce(route_code, '-'), ' ' ORDER BY ord)
       FROM dcp.v_pc_routes WHERE reporting_country = 'AFG'" "IRN:OTHER PAK:SOUTHERN UZB:NORTHERN AFG:-"
asql_is "incidents in full: place, coordinates, concealment, declared, nationalities, money, PICS" \
    "SELECT place || ' ' || latitude || ' ' || longitude || ' ' || concealment || ' ' || declared_description
            || ' ' || array_to_string(persons_nationalities, ',') || ' ' || linked_money_amount
            || ' ' || communicated_via_pics
       FROM dcp.v_pc_incidents WHERE incident_id = 'EX-AFG-2023-0417'" \
    "Islam Qala 34.6640 61.0580 MISDECLARED motor oil AFG,IRN 50000 true"
asql_is "packages of an incident substance" \
    "SELECT package_type || ' ' || package_count_value FROM dcp.v_pc_incident_substances
      WHERE incident_id = 'EX-AFG-2023-0417' AND substance_code = 'AA'" "JERRYCAN 700"

# --- a confirmed zero is 0 REPORTED ------------------------------------------
asql_is "no_seizures is stored as the value 0 with status REPORTED" \
    "SELECT quantity_value || ' ' || quantity_status || ' ' || quantity_kg || ' '
            || number_of_seizures_value || ' ' || number_of_seizures_status
       FROM dcp.v_precursor_seizures WHERE reporting_country = 'IRN' AND no_seizures" \
    "0 REPORTED 0 0 REPORTED"

asql_is "the rules raise no finding on the confirmed zero" \
    "SELECT count(*) FROM dcp.v_findings
      WHERE reporting_country = 'IRN' AND path LIKE '/precursors/seizures/0%'" 0

# --- honest totals --------------------------------------------------------------
asql_is "AA no_seizures + not available: kg_total NULL, not 0, with a status and a count" \
    "SELECT coalesce(kg_total::text, 'NULL') || ' ' || total_status || ' ' || rows_without_kg
            || ' ' || rows || ' ' || confirmed_no_seizures
       FROM dcp.v_aa_seizures_kg WHERE reporting_country = 'IRN'" "NULL INCOMPLETE 1 2 false"
asql_is "the same per substance in v_pc_seizure_kg" \
    "SELECT coalesce(kg_total::text, 'NULL') || ' ' || total_status || ' ' || n_missing
       FROM dcp.v_pc_seizure_kg WHERE reporting_country = 'IRN' AND substance_code = 'AA'" \
    "NULL INCOMPLETE 1"
asql_is "M3 and ML are converted to litres" \
    "SELECT string_agg(substance_code || ' ' || quantity_litres::numeric(12,3), ', ' ORDER BY substance_code)
       FROM dcp.v_precursor_seizures WHERE reporting_country = 'IRN' AND quantity_litres IS NOT NULL" \
    "ACET 2000.000, ETHER 5.000"
asql_is "a confirmed zero alone totals 0 with status CONFIRMED_ZERO" \
    "SELECT total_status FROM dcp.v_pc_seizure_kg WHERE reporting_country = 'AFG' AND substance_code = 'KMNO4'" \
    "CONFIRMED_ZERO"
asql_is "cross-country AA total: NULL (IRN missing), PARTIAL PAK left out and counted" \
    "SELECT coalesce(kg_total::text, 'NULL') || ' ' || total_status || ' ' || n_countries || ' '
            || n_partial_left_out || ' ' || array_to_string(countries_missing, ',')
       FROM dcp.v_pc_seizure_kg_by_year WHERE reporting_year = 2023 AND substance_code = 'AA'" \
    "NULL INCOMPLETE 2 1 IRN"
asql_is "ACET cross-country total adds AFG and IRN, PAK (PARTIAL) has none" \
    "SELECT total_status || ' ' || n_countries || ' ' || n_partial_left_out
       FROM dcp.v_pc_seizure_kg_by_year WHERE reporting_year = 2023 AND substance_code = 'ACET'" \
    "REPORTED 2 0"

# --- routes per substance --------------------------------------------------------
asql_is "an incident with AA and HCl has no single kg figure" \
    "SELECT coalesce(quantity_kg::text, 'NULL') || ' ' || quantity_kg_status || ' ' || n_substances
       FROM dcp.v_incident_routes WHERE incident_id = 'EX-AFG-2023-0417'" "NULL SEVERAL_SUBSTANCES 2"
asql_is "per substance: AA and HCl kept apart" \
    "SELECT string_agg(substance || ' ' || quantity_kg, ', ' ORDER BY substance)
       FROM dcp.v_incident_route_substances WHERE incident_id = 'EX-AFG-2023-0417'" \
    "AA 16792.64, HCL 250"
asql_is "a single-substance incident keeps its kg" \
    "SELECT quantity_kg_status || ' ' || (quantity_kg > 0)
       FROM dcp.v_incident_routes WHERE incident_id = 'EX-AFG-2023-1102'" "REPORTED true"
asql_is "the mixed-substance figure is on a row of its own" \
    "SELECT string_agg(substance || ' ' || mixed_substances || ' ' || quantity_kg, ', ' ORDER BY substance)
       FROM dcp.v_incident_route_substances WHERE incident_id = 'PROBE-PAK-1'" \
    "AA true 300, HCL false 40"
asql_is "the mixed incident has no single kg either" \
    "SELECT quantity_kg_status FROM dcp.v_incident_routes WHERE incident_id = 'PROBE-PAK-1'" \
    "MIXED_SUBSTANCES"
asql_is "AA flow IRN -> AFG: AFG's incident only, PAK's (PARTIAL, mixed) apart" \
    "SELECT string_agg(mixed_substances || ' ' || coalesce(quantity_kg::text, 'NULL') || ' '
                       || n_incidents || ' ' || n_partial_left_out, ', ' ORDER BY mixed_substances)
       FROM dcp.v_incident_flows WHERE reporting_year = 2023 AND substance = 'AA'
        AND origin = 'IRN' AND destination = 'AFG'" \
    "false 16792.64 1 0, true NULL 0 1"

# --- cooperation: UNKNOWN kept apart from ALL --------------------------------
asql_is "cooperation rows carry a drug scope, never folding UNKNOWN into ALL" \
    "SELECT count(*) FILTER (WHERE drug_scope IS NULL) || ' ' ||
            count(*) FILTER (WHERE drug_related = 'UNKNOWN' AND drug_scope <> 'UNKNOWN')
       FROM dcp.v_ff_cooperation" "0 0"
asql_is "STR totals and sectors apart: no sector row in the totals view" \
    "SELECT (SELECT count(*) FROM dcp.v_ff_str WHERE reporting_country = 'KAZ') || ' ' ||
            (SELECT count(*) > 0 FROM dcp.v_ff_str_sectors WHERE reporting_country = 'KAZ')" "1 true"

# --- comments ---------------------------------------------------------------
asql_is "\\d+ describes the columns (COMMENT ON from the loader's description)" \
    "SELECT col_description('dcp.v_ff_legal'::regclass, attnum) IS NOT NULL
       FROM pg_attribute WHERE attrelid = 'dcp.v_ff_legal'::regclass AND attname = 'fiu_exists'" t

finish
