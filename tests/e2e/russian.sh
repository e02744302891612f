#!/usr/bin/env bash
# End to end, no stack needed: the collector in Russian.  `collector check`
# speaks Russian with --lang ru (before or after the command) and with
# LANG=ru_RU.UTF-8 on a machine that has no Russian locale installed, and
# English by default; Russian status words are accepted in JSON, CSV and
# workbook answers; `collector template` writes its JSON comments and its
# workbook (labels, instructions, drop-down words) in Russian, and the
# Russian workbook, filled in, reads back.  Also checks that every marked
# message has a Russian translation (collector/po/update.sh --check).
. "$(dirname "$0")/lib/common.sh"

C="$BUILD/collector"
EX="$SRC/collector/examples"
W="$E2E_DIR/ru"
mkdir -p "$W"
run() {  # run ENV... -- ARGS...: the collector with a clean language environment
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 "${envs[@]}" \
        "$C" --outbox="$W/outbox" --country=AFG "$@"
}

check "every marked message has a Russian translation" "$SRC/collector/po/update.sh" --check

out=$(run -- check "$EX/broken.json" --lang ru) && rc=0 || rc=$?
head -5 <<<"$out"
check "check --lang ru fails a broken file" [ "$rc" = 1 ]
check "the summary is in Russian (36 ошибок)" grep -q "broken.json: 36 ошибок" <<<"$out"
check "a rule message is in Russian" \
    grep -Eq "ошибка +REQUIRED в /form_version: не указано form_version: укажите версию" <<<"$out"
check "a reading message is in Russian" \
    grep -q "JSON-TYPE в /focal_point: ожидался объект, а найдено: список" <<<"$out"
check "a message with figures keeps them (range of schema_version)" \
    grep -q "в этом поле хранится от 0 до 4294967295" <<<"$out"

out=$(run LANG=ru_RU.UTF-8 -- check "$EX/broken.json") && rc=0 || rc=$?
check "LANG=ru_RU.UTF-8 chooses Russian without an installed ru locale" \
    grep -q "не указано form_version" <<<"$out"
out=$(run LANG=ru_RU.UTF-8 -- --lang=en check "$EX/broken.json") || true
check "--lang en overrides LANG" grep -q "36 errors, 0 other notes" <<<"$out"
out=$(run -- check "$EX/broken.json") || true
check "English stays the default" grep -q "error   REQUIRED at /form_version: form_version is missing" <<<"$out"

# Russian status words in a JSON response and in a CSV table.
python3 - "$EX/precursors_2023_AFG.json" "$W/words.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["precursors"]["seizures"]
s[0]["quantity"] = "Нет данных"
s[1]["quantity"]["status"] = "оценка"
s[2]["number_of_seizures"] = "н/д"
json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False)
PY
out=$(run -- check "$W/words.json" --lang ru) && rc=0 || rc=$?
echo "$out"
check "Russian status words are accepted in JSON" [ "$rc" = 0 ]
check "an accepted file says ОК" grep -q "words.json: ОК" <<<"$out"
cp "$EX/precursors_2023_IRN_csv.json" "$EX/incidents.csv" "$W/"
sed '3s/,estimated,/,оценка,/; 2s/,17,/,н\/д,/' "$EX/seizures.csv" > "$W/seizures.csv"
check "the CSV file holds the Russian words" grep -q "оценка" "$W/seizures.csv"
out=$(run -- check "$W/precursors_2023_IRN_csv.json") && rc=0 || rc=$?
echo "$out"
check "Russian status words are accepted in CSV" [ "$rc" = 0 ]
sed '3s/,оценка,/,примерно,/' "$W/seizures.csv" > "$W/bad.csv" && mv "$W/bad.csv" "$W/seizures.csv"
out=$(run -- check "$W/precursors_2023_IRN_csv.json" --lang ru) || true
echo "$out"
check "an unknown word is reported in Russian at its CSV cell" \
    grep -q "seizures.csv:3:[0-9]*: столбец 5 \"quantity_status\": неизвестное значение \"примерно\"" <<<"$out"

# The JSON template in Russian.
out=$(run -- template precursors --lang ru) && rc=0 || rc=$?
check "template --lang ru works" [ "$rc" = 0 ]
check "its comments are in Russian" grep -q "Вопросник о прекурсорах (PP_PRECURSOR)" <<<"$out"
check "its answers are declared Russian" grep -q '"language": "ru"' <<<"$out"
check "it is still valid JSON" python3 -c 'import json, sys; json.loads(sys.stdin.read())' <<<"$out"
echo "$out" > "$W/template.json"
run -- check "$W/template.json" > "$W/check_ru.txt" || true
n_ru=$(head -1 "$W/check_ru.txt")
run -- template precursors > "$W/template_en.json"
run -- check "$W/template_en.json" > "$W/check_en.txt" || true
n_en=$(head -1 "$W/check_en.txt")
check "the Russian template reads like the English one ($n_en)" \
    [ "${n_ru#*: }" = "${n_en#*: }" ]

# The workbook in Russian: filled in by the script of workbook.sh, read back.
out=$(run -- template precursors "$W/form.xlsx" --lang ru) && rc=0 || rc=$?
echo "$out"
check "template FILE.xlsx --lang ru writes a workbook" [ "$rc" = 0 -a -s "$W/form.xlsx" ]
check "its message says so in Russian" grep -q "записан .*form.xlsx: заполните его" <<<"$out"
python3 - "$W/form.xlsx" <<'PY' > "$W/strings.txt"
import sys, zipfile
print(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())
PY
check "the instructions are in Russian" grep -q "Как заполнить эту книгу" "$W/strings.txt"
check "the labels are in Russian" grep -q "Изъятое количество: единица" "$W/strings.txt"
check "the drop-down lists offer Russian status words" grep -q "учтено в другом месте" "$W/strings.txt"
year=$(( $(date -u +%Y) - 1 ))
uuid() { python3 -c 'import uuid; print(uuid.uuid4())'; }
python3 "$SRC/tests/e2e/lib/workbook_fill.py" "$W/form.xlsx" "$W/filled.xlsx" "$W/twin.json" \
    "$year" "$(uuid)" "$(uuid)"
python3 "$SRC/tests/e2e/lib/workbook_fill.py" "$W/form.xlsx" "$W/mistakes.xlsx" "$W/unused.json" \
    "$year" "$(uuid)" "$(uuid)" mistakes
out=$(run -- check "$W/filled.xlsx" --lang ru) && rc=0 || rc=$?
echo "$out"
check "the filled Russian workbook passes the check" [ "$rc" = 0 ]
# the same workbook with Russian words picked from its drop-down lists
python3 - "$W/filled.xlsx" "$W/words.xlsx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1:]
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for n in zin.namelist():
        data = zin.read(n)
        if n.startswith("xl/worksheets/"):
            text = data.decode()
            # answers the fill script typed in English, as a Russian user picks them
            for en, ru in (("<t>estimated</t>", "<t>оценка</t>"),
                           ("<t>not available</t>", "<t>нет данных</t>"),
                           ("<t>yes</t>", "<t>да</t>"), ("<t>no</t>", "<t>нет</t>")):
                text = text.replace(en, ru)
            data = text.encode()
        zout.writestr(n, data)
PY
check "the workbook now holds Russian answers (оценка, нет данных)" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
t = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
sys.exit(not ("<t>оценка</t>" in t and "<t>нет данных</t>" in t))' "$W/words.xlsx"
out=$(run -- check "$W/words.xlsx") && rc=0 || rc=$?
echo "$out"
check "Russian words in workbook cells are accepted" [ "$rc" = 0 ]
out=$(run -- check "$W/mistakes.xlsx" --lang ru) && rc=0 || rc=$?
echo "$out"
check "a workbook with mistakes fails in Russian" [ "$rc" = 1 ]
check "a reading error is in Russian at its cell (P1_seizures!C5)" \
    grep -q "mistakes.xlsx:P1_seizures!C5: столбец \"quantity\": \"lots\" не является ответом" <<<"$out"
check "a rule finding is placed at its cell (P6_incidents!C4)" \
    grep -q "V-PRE-10 в mistakes.xlsx:P6_incidents!C4" <<<"$out"

finish
