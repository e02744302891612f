#!/usr/bin/env bash
# update.sh: extracts the collector's translatable texts into dcp.pot and
# merges them into every LANG.po here; with --check, changes nothing and
# fails if a text has no translation (or a fuzzy one) in some LANG.po.
#
#   collector/po/update.sh            refresh collector/po/*.po (then translate)
#   collector/po/update.sh --check    what the test catalog_complete runs
#
# What is extracted: _() / N_() / dcp_i18n_ntext() everywhere in collector/
# and libdcp/, the message formats of the helpers that translate their
# format before formatting (dcp_rules.c s_add, the readers' s_report --
# csvread.c with csvrecords.c, and xlsxread.c with xlsxcells.c, whose
# s_report take the format at the same place -- field_report,
# dcp_findings_add), the workbook labels of wblayout.c (its W_* column
# macros), and the comment texts ("_key": "...") of the templates in
# collector/templates/*.json.  Needs gettext and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
check=0
[ "${1:-}" = --check ] && check=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

common=(--from-code=UTF-8 --language=C --no-wrap --add-location=file --package-name=dcp
        --keyword=_ --keyword=N_ --keyword=dcp_i18n_ntext:1,2
        --flag=dcp_i18n_ntext:1:pass-c-format --flag=dcp_i18n_ntext:2:pass-c-format
        --flag=_:1:pass-c-format
        --keyword=dcp_findings_add:5 --flag=dcp_findings_add:5:c-format
        --keyword=field_report:3 --flag=field_report:3:c-format)
# Helpers named alike in different files take their format at different
# places, so each of those files is its own run.
xgettext "${common[@]}" --keyword=s_add:5 --flag=s_add:5:c-format \
    -o "$work/rules.pot" libdcp/dcp_rules.c
xgettext "${common[@]}" --keyword=s_report:5 --flag=s_report:5:c-format \
    -o "$work/csv.pot" collector/csvread.c collector/csvrecords.c
xgettext "${common[@]}" --keyword=s_report:6 --flag=s_report:6:c-format \
    -o "$work/xlsx.pot" collector/xlsxread.c collector/xlsxcells.c
others=$(ls collector/*.c libdcp/*.c | grep -v -e dcp_rules.c -e csvread.c -e csvrecords.c \
         -e xlsxread.c -e xlsxcells.c)
wb=()
for m in W_TEXT W_WIDE W_LIST W_CODE W_NUM W_DATE W_QUANTITY W_COUNT W_MONEY W_FORM W_FF \
         W_FF_COUNT; do
    wb+=(--keyword=$m:2)
done
xgettext "${common[@]}" "${wb[@]}" -o "$work/code.pot" $others
python3 - "$work/templates.pot" collector/templates/*.json <<'PY'
import json, sys
out, files = sys.argv[1], sys.argv[2:]
seen = {}
def walk(v, where):
    if isinstance(v, dict):
        for k, x in v.items():
            if k.startswith('_') and isinstance(x, str) and x:
                seen.setdefault(x, set()).add(where)
            walk(x, where)
    elif isinstance(v, list):
        for x in v:
            walk(x, where)
for f in files:
    text = open(f, encoding='utf-8').read().replace('@REPORTING_YEAR@', '0')
    walk(json.loads(text), f)
def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'
with open(out, 'w', encoding='utf-8') as o:
    for s, where in seen.items():
        o.write('#: %s\n#, no-c-format\nmsgid %s\nmsgstr ""\n\n' % (' '.join(sorted(where)), q(s)))
PY
{
    printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    cat "$work/templates.pot"
} > "$work/templates-h.pot"
msgcat --use-first --no-wrap --to-code=UTF-8 -o "$work/dcp.pot" "$work/rules.pot" "$work/csv.pot" \
    "$work/xlsx.pot" "$work/code.pot" "$work/templates-h.pot"

status=0
for po in "$here"/*.po; do
    if [ $check = 1 ]; then
        msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$work/merged.po" "$po" "$work/dcp.pot"
        stats=$(msgfmt --check-format --statistics -o /dev/null "$work/merged.po" 2>&1)
        echo "$(basename "$po"): $stats"
        if echo "$stats" | grep -q -e fuzzy -e untranslated; then
            msgattrib --untranslated --no-wrap "$work/merged.po" | grep '^msgid' | head -20 >&2
            status=1
        fi
    else
        msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$po" "$work/dcp.pot"
    fi
done
exit $status
