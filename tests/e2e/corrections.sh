#!/usr/bin/env bash
# End to end: a correction is never lost.  A focal point submits a file,
# edits a figure (18,450 L -> 19,450 L of acetic anhydride) and keeps its
# submission_id: `submit` refuses the edited file and says how to send it;
# `revise` sends it as revision 1 and the database shows the new figure as
# current and the old one in the first-reported view.  `show` and `status`
# tell the story; a rejected file fixed and revised hides its rejection.
. "$(dirname "$0")/lib/common.sh"

"$STACK" up "$E2E_DIR" AFG >/dev/null
EX="$SRC/collector/examples"
W="$E2E_DIR/work"
mkdir -p "$W"
cp "$EX/precursors_2023_AFG.json" "$W/response.json"
id=$(sed -n 's/.*"submission_id": *"\([^"]*\)".*/\1/p' "$W/response.json" | awk 'NR == 1')

out=$(collector AFG submit "$W/response.json") && rc=0 || rc=$?
echo "$out"
check "first submission accepted" [ "$rc" = 0 ]

aa_litres() {  # the 18,450 L (or edited) acetic anhydride row of AFG 2023 in a view
    sql "SELECT s.revision_no || ':' || p.quantity_value
           FROM dcp.pc_seizure p JOIN dcp.$1 s USING (submission_id)
          WHERE s.reporting_country = 'AFG' AND s.reporting_year = 2023
            AND p.substance_code = 'AA' AND p.quantity_unit = 'L'
            AND p.quantity_value IN (18450, 19450)"
}

# The same file under another name: the receipt it got, labelled with the
# file that was sent and when.
cp "$W/response.json" "$W/copy.json"
out=$(collector AFG submit "$W/copy.json") && rc=0 || rc=$?
echo "$out"
check "identical content again exits 0" [ "$rc" = 0 ]
check "identical content names the file sent and when" \
    grep -q "copy.json: the same content was sent on 20.* from $W/response.json" <<<"$out"

# The edit, keeping the id as the template advises.
sed -i 's/"quantity": "18450 L"/"quantity": "19450 L"/' "$W/response.json"
check "the edit changed the file" grep -q '"19450 L"' "$W/response.json"
out=$(collector AFG submit "$W/response.json") && rc=0 || rc=$?
echo "$out"
check "edited file with the same id is refused (exit 1)" [ "$rc" = 1 ]
check "refusal is not an ACCEPTED receipt" bash -c '! grep -q ACCEPTED <<<"$1"' _ "$out"
check "refusal says the id was sent with other content, when and from which file" \
    grep -q "submission $id was already sent with other content on 20.* from $W/response.json" <<<"$out"
check "refusal gives the command to send the correction" \
    grep -q "collector revise $id $W/response.json" <<<"$out"
out=$(collector AFG take "$W/response.json") && rc=0 || rc=$?
check "take refuses it too" [ "$rc" = 1 ]
sql_is "nothing new stored" "SELECT count(*) FROM dcp.submission" 1

out=$(collector AFG revise "$id" "$W/response.json" --reason "not a reason") && rc=0 || rc=$?
check "an unknown --reason is wrong usage (exit 2)" [ "$rc" = 2 ]

out=$(collector AFG revise "$id" "$W/response.json") && rc=0 || rc=$?
echo "$out"
check "revise is accepted (exit 0)" [ "$rc" = 0 ]
check "revise says revision 1, what it supersedes and the default reason" \
    grep -q "revision 1 of AFG precursors 2023 as submission .* (supersedes $id, reason CORRECTION, the default" <<<"$out"
check "revise prints an ACCEPTED receipt" grep -q "ACCEPTED" <<<"$out"
rev1=$(sed -n 's/.* as submission \([0-9a-f-]*\) (supersedes.*/\1/p' <<<"$out" | awk 'NR == 1')
sql_is "revision 1 is current, with reason CORRECTION and supersedes the first" \
    "SELECT revision_no || ' ' || revision_reason || ' ' || supersedes FROM dcp.submission WHERE is_current" \
    "1 CORRECTION $id"
check "current data holds the new figure" [ "$(aa_litres v_submissions_current)" = "1:19450" ]
check "first-reported view keeps revision 0 with the old figure" \
    [ "$(aa_litres v_submissions_first_reported)" = "0:18450" ]
sql_is "the analysts' seizure view shows the new figure" \
    "SELECT quantity_value FROM dcp.v_precursor_seizures WHERE reporting_country = 'AFG'
      AND substance_code = 'AA' AND quantity_unit = 'L' AND quantity_value IN (18450, 19450)" 19450

# Again: nothing new is sent, whichever way.
out=$(collector AFG revise "$id" "$W/response.json") && rc=0 || rc=$?
echo "$out"
check "revising the same file again sends nothing (exit 0)" [ "$rc" = 0 ]
check "it says revision 1 holds these answers" grep -q "nothing to correct: revision 1, submission $rev1" <<<"$out"
out=$(collector AFG submit "$W/response.json") && rc=0 || rc=$?
echo "$out"
check "submitting the revised file again shows revision 1's receipt (exit 0)" [ "$rc" = 0 ]
check "it names revision 1" grep -q "sent before as revision 1, submission $rev1" <<<"$out"
sql_is "still two submissions" "SELECT count(*) FROM dcp.submission" 2

# A second correction, named by the first id: revision 2 supersedes revision 1.
sed -i 's/"quantity": "19450 L"/"quantity": "19460 L"/' "$W/response.json"
out=$(collector AFG revise "$id" "$W/response.json" --reason late_data) && rc=0 || rc=$?
echo "$out"
check "second correction accepted as revision 2 of revision 1" \
    grep -q "revision 2 of AFG precursors 2023 as submission .* (supersedes $rev1, reason LATE_DATA)" <<<"$out"
sql_is "revision 2 is current" "SELECT revision_no FROM dcp.submission WHERE is_current" 2

# show: the receipt and what was stored; --json for programs.
out=$(collector AFG show "$rev1") && rc=0 || rc=$?
echo "$out"
check "show exits 0" [ "$rc" = 0 ]
check "show gives questionnaire, country and year" grep -q "^country, year  AFG 2023" <<<"$out"
check "show gives the revision" grep -q "^revision       1 (supersedes $id, reason CORRECTION)" <<<"$out"
check "show says it was revised since" grep -q "^revised by .*revision 2, accepted" <<<"$out"
check "show prints the receipt" grep -q "ACCEPTED as submission $rev1" <<<"$out"
out=$(collector AFG show "$rev1" --json)
check "show --json is JSON with the receipt" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["revision_no"] == 1 and d["supersedes_submission_id"] == sys.argv[2], d
assert d["receipt"]["status"] == "accepted" and d["receipt"]["stored_at"], d
assert all({"code", "severity", "path", "message"} <= set(p) for p in d["receipt"]["problems"])
' "$out" "$id"

# A rejected file, fixed and revised: the rejection leaves `status`.
python3 - "$EX/precursors_2023_AFG.json" "$W" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["submission_id"] = "0d5c7f3a-6b2e-4c1d-9a8f-2e4b6c8d0a13"
doc["reporting_year"] = 2022
doc["precursors"].pop("incidents", None)  # their dates are in 2023
doc["precursors"]["seizures"][0]["substance_code"] = "XXX"
json.dump(doc, open(sys.argv[2] + "/y2022.json", "w"), indent=1)
PY
out=$(collector AFG --send_invalid=true submit "$W/y2022.json") && rc=0 || rc=$?
echo "$out"
check "the 2022 file is rejected" grep -q "REJECTED" <<<"$out"
sed -i 's/"XXX"/"AA"/' "$W/y2022.json"
out=$(collector AFG submit "$W/y2022.json") && rc=0 || rc=$?
echo "$out"
check "the fixed file with the rejected id is refused with the way to send it" \
    grep -q "collector revise 0d5c7f3a-6b2e-4c1d-9a8f-2e4b6c8d0a13" <<<"$out"
out=$(collector AFG revise 0d5c7f3a-6b2e-4c1d-9a8f-2e4b6c8d0a13 "$W/y2022.json") && rc=0 || rc=$?
echo "$out"
check "revising a rejected first submission sends a new first submission (exit 0)" [ "$rc" = 0 ]
check "it says so" grep -q "sent as a new first submission" <<<"$out"
out=$(collector AFG status)
echo "$out"
check "status has the columns" grep -q "^state .*submission .*questionnaire .*cty .*year .*rev .*taken .*file" <<<"$out"
check "status shows revision 2 with its series" grep -q "^accepted .*precursors .*AFG 2023   2 " <<<"$out"
check "status hides the replaced rejection" bash -c '! grep -q "^rejected" <<<"$1"' _ "$out"
check "status says one rejection is hidden" grep -q "1 rejected submission replaced" <<<"$out"
out=$(collector AFG status --all)
check "status --all shows it" grep -q "^rejected  0d5c7f3a-6b2e-4c1d-9a8f-2e4b6c8d0a13 .*AFG 2022" <<<"$out"

# The agent: an edited file dropped into the inbox under an id already sent
# is set aside with the refusal beside it, not answered with an old receipt.
setsid "$SRC/deploy/stack.sh" collector "$E2E_DIR" AFG --scan_ms=200 run \
    >> "$E2E_DIR/log/agent.log" 2>&1 < /dev/null &
echo $! > "$E2E_DIR/run/agent.pid"
inbox="$E2E_DIR/collectors/AFG/inbox"
for ((i = 0; i < 50; i++)); do [ -d "$inbox" ] && break; sleep 0.1; done
sed 's/"quantity": "18450 L"/"quantity": "17450 L"/' "$EX/precursors_2023_AFG.json" > "$inbox/.part"
mv "$inbox/.part" "$inbox/edited.json"
for ((i = 0; i < 50; i++)); do [ -f "$inbox/.invalid-edited.json.problems.txt" ] && break; sleep 0.2; done
check "the agent sets the edited file aside with the way to send it" \
    grep -q "refused: submission $id was already sent with other content.*" "$inbox/.invalid-edited.json.problems.txt"
check "... and the revise command" grep -q "collector revise $id" "$inbox/.invalid-edited.json.problems.txt"
kill -TERM "$(cat "$E2E_DIR/run/agent.pid")"
sql_is "the agent stored nothing new" "SELECT count(*) FROM dcp.submission" 4

finish
