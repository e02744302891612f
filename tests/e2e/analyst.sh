#!/usr/bin/env bash
# The analyst questions of proto/QUESTIONNAIRE.md section 8, answered by the
# queries kept in loader/queries/ and run AS dcp_analyst (the read-only
# role), on a stack loaded with the examples plus purpose-built probe
# submissions (tests/e2e/lib/analyst_probes.py): "no seizures" beside "not
# available", a mixed-substance incident, volumes in ML and M3, a revision
# that moves a key figure by +46 % (V-X-03), PARTIAL responses, and a
# partner that did not submit (TKM).  Each query's answer is asserted.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG KAZ IRN PAK UZB TJK KGZ >/dev/null
EX="$SRC/collector/examples"
Q="$SRC/loader/queries"
P="$E2E_DIR/probes"
mkdir -p "$P"
python3 "$SRC/tests/e2e/lib/analyst_probes.py" "$P" "$EX/financial_flows_2023_KAZ.json" >/dev/null

submit() {  # submit ISO3 FILE: must be accepted
    local out rc
    out=$(collector "$1" submit "$2" 2>&1) && rc=0 || rc=$?
    check "$(basename "$2") accepted" [ "$rc" = 0 ]
    [ "$rc" = 0 ] || echo "$out"
    LAST_OUT=$out
}
submit KAZ "$EX/financial_flows_2023_KAZ.json"
submit AFG "$EX/precursors_2023_AFG.json"
submit IRN "$EX/precursors_2023_IRN_csv.json"
submit TJK "$P/tjk_pc.json"
submit PAK "$P/pak_pc_2022.json"
submit PAK "$P/pak_pc_r0.json"
submit PAK "$P/pak_pc_r1.json"
check "the +46 % revision is accepted with a V-X-03 warning naming both figures" \
    grep -q "V-X-03.*from 19963 kg to 29214 kg (+46.3 %)" <<<"$LAST_OUT"
submit UZB "$P/uzb_pc.json"
submit KGZ "$P/kgz_ff.json"
# TKM, a partner since 2003, sends nothing for 2023.

# An analyst freezes the first-reported PAK figure as a baseline (8.13).
an() { "$STACK" analyst "$E2E_DIR" -qtA -F'|' "$@"; }
an -c "SELECT value FROM dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'PAK', 2023,
                                            'probe: pillar III baseline')" >/dev/null

# q NAME: the output of loader/queries/NAME.sql run as the analyst
# (unaligned, '|' between columns).
q() { an -f "$Q/$1.sql" 2>&1; }
# has NAME "description" LINE-REGEX: some line of the answer matches
has() {
    local out
    out=$(q "$1")
    CHECKS=$((CHECKS + 1))
    if grep -Eq -- "$3" <<<"$out"; then
        echo "ok   $1: $2"
    else
        echo "FAIL $1: $2 (no line matches '$3'); answer:"
        echo "$out" | head -40
        FAILS=$((FAILS + 1))
    fi
}
hasnt() {
    local out
    out=$(q "$1")
    CHECKS=$((CHECKS + 1))
    if ! grep -Eq -- "$3" <<<"$out" && ! grep -q "ERROR" <<<"$out"; then
        echo "ok   $1: $2"
    else
        echo "FAIL $1: $2 (a line matches '$3', or an error); answer:"
        echo "$out" | head -40
        FAILS=$((FAILS + 1))
    fi
}

no_error() { ! grep -q "ERROR\|permission denied" <<<"$1"; }
for f in "$Q"/*.sql; do
    name=$(basename "$f" .sql)
    out=$(q "$name")
    check "$name runs as dcp_analyst without error" no_error "$out"
done

# '|' separates the columns: written [|] in the patterns below.
# 8.1 acetic anhydride by country: units, density, kg, shares.
has 01_aa_seizures '"no seizures" beside "not available" is NULL (INCOMPLETE, 1 missing), never 0' \
    '^TJK[|]Tajikistan[|]Central Asia[|]2023[|][^|]*[|][|][^|]*[|][^|]*[|][|]INCOMPLETE[|]1[|]f[|]'
has 01_aa_seizures 'litres converted with the density shown, original units kept' \
    '^AFG[|]Afghanistan[|]Southern Asia[|]2023[|]L[|]18450[|]1.082[|]density:AA-20C[|]19962.9[|]REPORTED[|]'
has 01_aa_seizures 'the revised figure, a complete subregion total and shares; the global total is NULL (TJK missing)' \
    '^PAK[|]Pakistan[|]Southern Asia[|]2023[|]KG[|][|][|]mass_unit[|]29214[|]REPORTED[|]0[|]f[|]59856.781[|]REPORTED[|][|]INCOMPLETE[|]48.8[|]48.8$'
has 01_aa_seizures 'PARTIAL coverage is flagged and left out of the shares' \
    '^UZB[|]Uzbekistan[|]Central Asia[|]2023[|]KG[|][|][|]mass_unit[|]1000[|]REPORTED[|]0[|]t[|].*[|][|]$'
# 8.2 trends
has 02_trends 'year-on-year change across a form change is computed and flagged as a break' \
    '^PAK[|]2023[|]29214[|]REPORTED[|]14214[|]94.8[|][|]PR-2023.1[|]t[|]f$'
has 02_trends 'a missing figure gives no change (never a change from 0)' '^TJK[|]2023[|][|]INCOMPLETE[|][|][|][|]'
# 8.3 routes
has 03_routes 'a mixed-substance figure is a flow of its own' \
    '^flow[|]2023[|]AA[|]t[|]PAK[|]AFG[|][|]3000[|]REPORTED[|]1[|]0$'
has 03_routes '... and not inside the acetic anhydride flow' '^flow[|]2023[|]AA[|]f[|]PAK[|]AFG[|][|]1298.4[|]REPORTED[|]1[|]0$'
has 03_routes 'cubic metres converted (2 M3 = 2,000 L = 2,164 kg)' '^flow[|]2023[|]AA[|]f[|]CHN[|]PAK[|][|]2164[|]REPORTED[|]1[|]0$'
has 03_routes 'per substance: acetic anhydride and HCl of one incident apart' '^flow[|]2023[|]HCL[|]f[|]IRN[|]AFG[|]PAK[|]250[|]REPORTED[|]1[|]0$'
hasnt 03_routes 'kilograms of different substances are never added (no 17042.64)' '17042[.]64'
has 03_routes 'route shift from the route codes of P8' '^route_shift[|]2023[|]AA[|]SOUTHERN[|]1[|]30.0[|]AFG$'
# 8.4 interdiction
has 04_interdiction 'the total is NULL while a country is missing, which one is said, PARTIAL left out' \
    '^2023[|][|]INCOMPLETE[|]59856.781[|]4[|]1[|][{]TJK[}][|]1[|]1.5[|][|][|][|]heroin manufacture estimates are not collected'
out=$(an -v aa_kg_per_kg_heroin=2 -f "$Q/04_interdiction.sql")
check "04_interdiction: the ratio is a parameter" grep -q '^2022|15000|REPORTED|15000|1|0||0|2|7500.0|' <<<"$out"
# 8.5 modus operandi
has 05_modus_operandi 'millilitres and cubic metres counted in litres (500 + 2,000)' \
    '^2023[|]package_type[|][(]not given[)]:AA[|]2[|]PAK[|]2500[|]2705$'
has 05_modus_operandi 'a mixed figure is flagged' '^2023[|]package_type[|]DRUM:AA [(]mixed[)][|]1[|]PAK[|][|]3000$'
has 05_modus_operandi 'misdeclarations counted' '^2023[|]misdeclared[|]yes[|]6[|]AFG,IRN,PAK[|]'
# 8.6 stopped against seized
has 06_stopped_vs_seized 'stopped shipments by exporting country' '^2023[|]IND[|]ACET[|]1[|]9492[|]0[|]0[|][|]0[|]0$'
has 06_stopped_vs_seized 'seized by origin, the mixed figure counted apart' '^2023[|]PAK[|]AA[|]0[|][|]0[|]1[|]1298.4[|]0[|]1$'
# 8.7 compliance
has 07_compliance 'a partner that did not submit is expected, not received, overdue' \
    '^TKM[|]Turkmenistan[|]Central Asia[|]precursors[|]2023[|]t[|]f[|]overdue[|]'
has 07_compliance 'revisions counted, the V-X-03 warning shows' \
    '^PAK[|]Pakistan[|]Southern Asia[|]precursors[|]2023[|]t[|]t[|]late[|]t[|]2[|]1[|]f[|][^|]*[|][^|]*[|]1[|]has_issues[|]1$'
has 07_compliance 'PARTIAL coverage shown' '^UZB[|]Uzbekistan[|]Central Asia[|]precursors[|]2023[|]t[|]t[|]late[|]t[|]1[|]0[|]t[|]'
out=$(an -c "SELECT m49_subregion, reporting_country FROM dcp.v_response_tracking
              WHERE questionnaire = 'financial_flows' AND reporting_year = 2023
                AND expected AND NOT received ORDER BY 1, 2" 2>&1)
check "partners without financial flows for 2023, by subregion, in one SELECT" \
    bash -c 'grep -qx "Central Asia|TKM" <<<"$1" && ! grep -q "|KAZ$" <<<"$1"' _ "$out"
# 8.8 AML funnel
has 08_aml_funnel 'a confidential figure gives no share, and is named' \
    '^KAZ[|]2023[|]f[|]412350[|]2315[|]0.45[|]0.02[|]CASES[|]CONCLUDED_IN_YEAR[|][|][|]74[|]12.2[|][|][|]CONVICTION:ML_AFGHAN_OPIATES=CONFIDENTIAL$'
has 08_aml_funnel 'the PARTIAL response is flagged' '^KGZ[|]2023[|]t[|]5000[|]1200[|]36.80[|]'
# 8.9 asset recovery
has 09_asset_recovery 'USD amounts as USD' '^KAZ[|]2023[|]SEIZED[|]VIRTUAL_ASSET[|]USD[|]1[|]0[|]212340.55[|]212340.55[|]1[|]'
has 09_asset_recovery 'other currencies converted by the year'"'"'s rate, the rate shown' \
    '^KAZ[|]2023[|]FROZEN[|]BANK_ACCOUNT[|]KZT[|]1[|]0[|]184500000[|]404330.39[|]456.31[|]National Bank of Kazakhstan'
has 09_asset_recovery 'an amount not available is NULL in USD too, and says why' \
    '^KAZ[|]2023[|]RECOVERED_REPATRIATED[|]BANK_ACCOUNT[|]USD[|]1[|]1[|][|][|][^|]*[|][^|]*[|]no amount: '
# 8.10 cooperation
has 10_cooperation 'an edge with response days and refusal rate' '^KAZ[|]RUS[|]MLA[|]RECEIVED[|]DRUG[|]2023[|]21[|]17[|]1[|]3[|]5.6[|]95[|]$'
has 10_cooperation 'no refusal rate when refusals are not applicable' \
    '^KAZ[|]MULTIPLE[|]FIU_EXCHANGE[|]SENT[|]UNKNOWN[|]2023[|]187[|]171[|][|]16[|][|][|]refused=NOT_APPLICABLE'
# 8.11 money-movement methods
has 11_money_methods 'hawala: prevalence, mean rank, trend votes' \
    '^2023[|]HAWALA_INFORMAL_MVTS[|]t[|]2[|]2[|]0[|]0[|]100.0[|]2[|]2.00[|]2[|]0[|]2[|]0[|]0$'
has 11_money_methods '"do not know" is no prevalence' '^2023[|]REAL_ESTATE[|]f[|]2[|]0[|]0[|]2[|][|]0[|]'
# 8.12 precursors and money
has 12_precursor_money_links 'an incident with its linked money and channel' \
    '^AFG[|]2023[|]EX-AFG-2023-0417[|]2023-04-17[|]AA,HCL[|]50000[|]USD[|]REPORTED[|]hawala[|]'
has 12_precursor_money_links 'the probe incident linked to money' '^PAK[|]2023[|]PROBE-PAK-M3[|]2023-08-02[|]AA[|]12000[|]USD[|]'
# 8.13 baselines
has 13_baselines 'the frozen first-reported figure against the revised one' \
    '^III[|]P1_SEIZED_KG[|]AA[|]kg[|]PAK[|]2023[|]19963[|]REPORTED[|]first_reported[|]2023[|]29214[|]REPORTED[|]9251[|]46.3[|]t[|]'
has 13_baselines 'and against the year before' '^III[|]P1_SEIZED_KG[|]AA[|]kg[|]PAK[|]2023[|]19963[|][^|]*[|][^|]*[|]2022[|]15000[|]REPORTED[|]-4963[|]-24.9[|]f[|]'
out=$(an -c "SELECT dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'PAK', 2023, 'again', 'current')" 2>&1) || true
check "a baseline is frozen once: freezing it again is refused" grep -q "baselines never move" <<<"$out"
# 8.14 reconciliation
has 14_reconciliation 'annual against incidents, and the first-reported figure beside the revised one' \
    '^PAK[|]2023[|]AA[|]29214[|]REPORTED[|]2[|]2705[|]1[|]9.3[|]19963[|]t[|][|][|]$'
has 14_reconciliation 'an unknown total stays unknown' '^TJK[|]2023[|]AA[|][|]INCOMPLETE[|]'
# First-reported section views (item 5) and the analyst's limits.
out=$(an -c "SELECT quantity_value FROM dcp.v_first_pc_seizure
              WHERE reporting_country = 'PAK' AND reporting_year = 2023" 2>&1)
check "the first-reported P1 figure stays readable for analysts" [ "$out" = 19963 ]
out=$(an -c "SELECT count(*) FROM dcp.pc_seizure" 2>&1) || true
check "the analyst still reads no base table" grep -q "permission denied" <<<"$out"

finish
