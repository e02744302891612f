#!/usr/bin/env bash
# End to end: the spreadsheet workbook.  `collector template precursors
# form.xlsx` writes it; a script fills it in as a person would (inline
# strings, a number typed as text, dates as serial numbers) and LibreOffice
# saves it again (renumbered styles, shared strings of its own); the saved
# workbook passes `collector check`, is submitted, and lands with the same
# rows as its JSON twin (the same answers, sent as a revision of it).  A
# workbook with mistakes is refused with each one at its Sheet!Cell.
. "$(dirname "$0")/lib/common.sh"

if ! command -v soffice >/dev/null 2>&1; then
    echo "SKIP: LibreOffice (soffice) is not installed; deploy/install-deps.sh installs it"
    exit 0  # the stack was not started; nothing to clean but the folder
fi

W="$E2E_DIR/wb"
mkdir -p "$W/lo"
year=$(( $(date -u +%Y) - 1 ))
id=$(python3 -c 'import uuid; print(uuid.uuid4())')
twin_id=$(python3 -c 'import uuid; print(uuid.uuid4())')

"$STACK" up "$E2E_DIR" AFG >/dev/null

out=$(collector AFG --country=AFG template precursors "$W/form.xlsx") && rc=0 || rc=$?
echo "$out"
check "template writes form.xlsx" [ "$rc" = 0 -a -s "$W/form.xlsx" ]
check "the template is a zip archive with the section sheets" \
    python3 -c 'import sys, zipfile; w = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode();
sys.exit(not all(s in w for s in ("Instructions", "Envelope", "P1_seizures", "P6_incidents", "Lists")))' "$W/form.xlsx"

python3 "$SRC/tests/e2e/lib/workbook_fill.py" "$W/form.xlsx" "$W/filled.xlsx" "$W/twin.json" \
    "$year" "$id" "$twin_id"
python3 "$SRC/tests/e2e/lib/workbook_fill.py" "$W/form.xlsx" "$W/mistakes.xlsx" "$W/unused.json" \
    "$year" "$(python3 -c 'import uuid; print(uuid.uuid4())')" "$twin_id" mistakes

# LibreOffice saves both again, as a focal point's office suite would.
soffice --headless "-env:UserInstallation=file://$W/lo/profile" --convert-to xlsx \
    --outdir "$W/lo" "$W/filled.xlsx" "$W/mistakes.xlsx" >"$W/lo/convert.log" 2>&1 || true
check "LibreOffice re-saved the workbooks" [ -s "$W/lo/filled.xlsx" -a -s "$W/lo/mistakes.xlsx" ]
check "LibreOffice wrote the workbook its own way (not the same bytes)" \
    bash -c "! cmp -s '$W/filled.xlsx' '$W/lo/filled.xlsx'"

out=$(collector AFG check "$W/lo/filled.xlsx") && rc=0 || rc=$?
echo "$out"
check "the re-saved workbook passes collector check" [ "$rc" = 0 ]

out=$(collector AFG check "$W/lo/mistakes.xlsx") && rc=0 || rc=$?
echo "$out"
check "a workbook with mistakes fails the check" [ "$rc" = 1 ]
check "a word for a number is reported at its cell (P1_seizures!C5)" \
    grep -q "mistakes.xlsx:P1_seizures!C5: column \"quantity\": \"lots\" is not an answer" <<<"$out"
check "a rule finding is placed at the cell of its answer (P6_incidents!C4)" \
    grep -q "V-PRE-10 at mistakes.xlsx:P6_incidents!C4" <<<"$out"

out=$(collector AFG submit "$W/lo/filled.xlsx") && rc=0 || rc=$?
echo "$out"
check "the workbook is accepted" [ "$rc" = 0 ]
check "the outbox keeps the workbook as it was sent" \
    cmp -s "$W/lo/filled.xlsx" "$E2E_DIR/collectors/AFG/outbox/accepted/$id/original"

out=$(collector AFG submit "$W/twin.json") && rc=0 || rc=$?
echo "$out"
check "the JSON twin is accepted (as revision 1 of the workbook)" [ "$rc" = 0 ]

sql_is "both stored" \
    "SELECT count(*) FROM dcp.submission WHERE submission_id IN ('$id', '$twin_id')" 2
sql_is "the workbook's envelope as written (country, year, signed, focal point)" \
    "SELECT reporting_country || ' ' || reporting_year || ' ' || completed_on
       FROM dcp.submission WHERE submission_id = '$id'" "AFG $year $((year + 1))-03-28"
# The same rows, table by table: every column but the submission's id.
for t in pc_seizure pc_incident pc_incident_substance pc_incident_route submission_agency; do
    sql_is "$t: the workbook and the JSON twin stored the same rows" \
        "WITH a AS (SELECT to_jsonb(t) - 'submission_id' AS r FROM dcp.$t t WHERE submission_id = '$id'),
              b AS (SELECT to_jsonb(t) - 'submission_id' AS r FROM dcp.$t t WHERE submission_id = '$twin_id')
         SELECT (SELECT count(*) FROM a) > 0 AND (SELECT count(*) FROM a) = (SELECT count(*) FROM b)
            AND NOT EXISTS (SELECT r FROM a EXCEPT SELECT r FROM b)
            AND NOT EXISTS (SELECT r FROM b EXCEPT SELECT r FROM a)" t
done
sql_is "text-typed number, estimate and not-available count stored as such" \
    "SELECT quantity_value || ' ' || quantity_status || ' ' || number_of_seizures_status
       FROM dcp.pc_seizure WHERE submission_id = '$id' AND substance_code = 'ACET'" \
    "2140 ESTIMATED NOT_AVAILABLE"
sql_is "dates typed as date cells stored as dates" \
    "SELECT string_agg(DISTINCT incident_date::text, ',' ORDER BY incident_date::text)
       FROM dcp.pc_incident WHERE submission_id = '$id'" "$year-02-11,$year-06-30"

finish
