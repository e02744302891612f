"""sdmx_readback.py: checks an SDMX-CSV file written by `report sdmx` against
the database's figures (tests/e2e/report.sh).

    python3 sdmx_readback.py REPORT.csv DB.csv SDMX.md

DB.csv holds one row per figure, as the views give them: dataflow, country,
indicator, measure, scope, breakdown, year, value, status, unit.  Every
figure must appear once in the file with the same value (compared as
decimals) and our status, OBS_STATUS / CONF_STATUS as the mapping table in
SDMX.md says, an empty OBS_VALUE when there is no value (never 0), and the
series keys must be unique.  Exit status 0 when all agree."""
import csv
import re
import sys
from collections import Counter
from decimal import Decimal


def mapping(md_path):
    """The status table of SDMX.md: | OUR_STATUS | OBS | CONF | meaning |."""
    out = {}
    for line in open(md_path, encoding="utf-8"):
        m = re.match(r"\|\s*`([A-Z_]+)`\s*\|\s*`([A-Z])`\s*\|\s*`([A-Z])`\s*\|", line)
        if m:
            out[m.group(1)] = (m.group(2), m.group(3))
    return out


def norm(v):
    return "" if v in ("", None) else str(Decimal(v).normalize())


def main():
    report, db, md = sys.argv[1:4]
    statuses = mapping(md)
    problems = []
    if len(statuses) < 8:
        problems.append("SDMX.md lists %d statuses, expected 8" % len(statuses))
    with open(report, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    keys = Counter()
    got = Counter()
    for r in rows:
        key = tuple(r[k] for k in ("STRUCTURE_ID", "FREQ", "REF_AREA", "INDICATOR", "MEASURE",
                                   "SCOPE", "BREAKDOWN", "ITEM", "TIME_PERIOD"))
        keys[key] += 1
        st = r["DCP_STATUS"]
        if statuses.get(st) != (r["OBS_STATUS"], r["CONF_STATUS"]):
            problems.append("status %s mapped to %s/%s" % (st, r["OBS_STATUS"], r["CONF_STATUS"]))
        has_value = st in ("REPORTED", "ESTIMATED", "PROVISIONAL")
        if has_value != (r["OBS_VALUE"] != ""):
            problems.append("OBS_VALUE %r with status %s" % (r["OBS_VALUE"], st))
        if r["UNIT_MULT"] != "0":
            problems.append("UNIT_MULT %r" % r["UNIT_MULT"])
        flow = re.match(r"DCP:(\w+)\(1\.0\)$", r["STRUCTURE_ID"]).group(1)
        got[(flow, r["REF_AREA"], r["INDICATOR"], r["MEASURE"], r["SCOPE"], r["BREAKDOWN"],
             r["TIME_PERIOD"], norm(r["OBS_VALUE"]), st, r["UNIT_MEASURE"])] += 1
    dup = [k for k, n in keys.items() if n > 1]
    if dup:
        problems.append("%d series keys appear twice, e.g. %s" % (len(dup), dup[0]))
    want = Counter()
    with open(db, newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            flow, area, ind, meas, scope, brk, year, value, st, unit = r
            want[(flow, area, ind, meas, scope or "_Z", brk or "_Z", year, norm(value), st,
                  unit or "_Z")] += 1
    for k in (want - got):
        problems.append("in the database, not in the file: %s" % (k,))
    for k in (got - want):
        problems.append("in the file, not in the database: %s" % (k,))
    missing = sum(1 for r in rows if r["OBS_VALUE"] == "")
    print("sdmx readback: %d observations (%d without value), %d figures in the database, %d problems"
          % (len(rows), missing, sum(want.values()), len(problems)))
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
