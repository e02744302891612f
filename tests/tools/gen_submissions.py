#!/usr/bin/env python3
"""Writes N synthetic but valid response files for load and fault tests.

usage: gen_submissions.py OUTDIR N [--collectors K] [--rows R] [--seed S]
                          [--countries ISO3,...|all] [--revisions]
                          [--revision-pct P] [--series S] [--kind KIND]

Files go to OUTDIR/c<i>/ (i < K), spread round-robin; within a folder the
file names sort in the order the files were made.

Default mode: each (country, questionnaire, year) series is used once while
there are unused ones; past that, files repeat a series without declaring a
revision, so the loader rejects them (V-ENV-06) and keeps them in
quarantine: they still must be stored exactly once.  --series S uses only S
series, so that files past the first S repeat one (the fault test makes half
of its files such repeats).  Prints the number of unique series used.

--countries ISO3,...  collector i reports for country i only (one CURVE key
    is registered for one country), cycling through the years 1992-2025.
--revisions  once every year of a country has been used, the next files are
    revisions: revision_no + 1 and supersedes_submission_id pointing at the
    previous file of that series, so every file is accepted, provided each
    collector sends its files in name order (the loader takes a revision
    only on top of the one it supersedes).  Ids are time-ordered UUIDs
    (version 7 layout) so that they sort in that order too.
--revision-pct P  (with --countries) a stated mix instead: P % of the files
    are revisions, the rest first submissions of a year, each its own
    (country, questionnaire, year) series.  Uses as many of the countries
    given as the first submissions need (a precursor series per year
    1990-2025, 1992-2025 first; financial flows 2008-2025), one folder per
    country (--collectors is ignored): folder c<i> holds country i's first
    submissions, then its revisions in order (each supersedes the previous
    file of its series; the revisions go round the series, so a series gets
    at most one more than any other).  Prints
    "countries=C first_submissions=F revisions=R".
--countries all  every country of the reference data in use today, Paris
    Pact partners first.
--kind precursors|financial_flows  only that questionnaire (default both).

The precursor payload is written with string templates rather than
json.dump, which makes a million seizure rows in a few seconds.
"""
import argparse
import csv
import json
import os
import random
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REFDATA = os.path.join(HERE, "..", "..", "libdcp", "refdata")
# Years of the --countries mode: from 1992, when every substance below was in
# Table I or II (earlier years draw V-PRE-01 warnings), to the last full year.
FIRST_YEAR, LAST_YEAR = 1992, 2025
# Years --revision-pct adds to a country's precursor series when it needs
# more (a V-PRE-01 warning on some substances, still accepted).
EXTRA_YEARS = [1990, 1991]
CODES = ["AA", "ACET", "ETHER", "HCL", "KMNO4", "MEK", "TOL", "H2SO4"]
ORIGINS = ["AFG", "IRN", "PAK", "CHN", "IND", "UNKNOWN", "TUR", "KAZ"]
BASES = ["LABEL", "DOCUMENTS", "INVESTIGATION", "FORENSIC", "ASSUMED"]


def countries(partners_first=False):
    with open(os.path.join(REFDATA, "countries.csv"), newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if not r["valid_to"]]
    if partners_first:
        rows.sort(key=lambda r: r["paris_pact_partner"] != "t")   # stable: partners, then others
    return [r["iso3"] for r in rows]


def seizure_rows(rows, rnd):
    """JSON text of R seizure rows (varied substances, units, origins)."""
    out = []
    randint, choice, random_ = rnd.randint, rnd.choice, rnd.random
    for i in range(rows):
        code = CODES[i % len(CODES)]
        solid = code == "KMNO4"
        unit = "KG" if solid else ("KG" if random_() < 0.5 else "L")
        conc = '"96"' if code in ("HCL", "H2SO4") else '""'
        origin = ""
        if random_() < 0.3:
            origin = (', "origin_countries": ["%s"], "origin_basis": "%s"'
                      % (choice(ORIGINS), choice(BASES)))
        out.append(
            '{"substance_code": "%s", "physical_form": "%s", '
            '"quantity": {"value": "%d.%d", "status": "REPORTED", "unit": "%s"}, '
            '"concentration_pct": %s, "number_of_seizures": %d%s}'
            % (code, "BULK_SOLID" if solid else "BULK_LIQUID", randint(1, 9999),
               randint(0, 9), unit, conc, randint(1, 40), origin))
    return "[" + ", ".join(out) + "]"


def envelope(sid, kind, form, cc, year, revision, supersedes):
    doc = {
        "submission_id": sid, "schema_version": 1, "questionnaire": kind,
        "form_version": form, "reporting_country": cc, "reporting_year": year,
        "finalised_at": f"{year + 1}-03-01T10:00:00Z", "completed_on": f"{year + 1}-03-01",
        "geographic_coverage": "NATIONAL",
    }
    if revision:
        doc.update(revision_no=revision, supersedes_submission_id=supersedes,
                   revision_reason="CORRECTION")
    return doc


def precursors(sid, cc, year, rows, rnd, revision=0, supersedes=""):
    doc = envelope(sid, "precursors", "PC-2024.1", cc, year, revision, supersedes)
    doc["focal_point"] = {"name": "Synthetic focal point", "agency": "Drug control agency",
                          "email": "focal.point@example.org"}
    head = json.dumps(doc)
    return head[:-1] + ', "precursors": {"seizures": ' + seizure_rows(rows, rnd) + "}}"


def finflows(sid, cc, year, rnd, revision=0, supersedes=""):
    total = rnd.randint(100, 90000)
    doc = envelope(sid, "financial_flows", "FF-2010.1", cc, year, revision, supersedes)
    doc["focal_point"] = {"name": "Synthetic focal point", "agency": "FIU",
                          "email": "focal.point@example.org"}
    doc["financial_flows"] = {
        "legal": {"ml_offence_exists": "yes", "drug_trafficking_is_ml_predicate": "yes",
                  "fiu_exists": "yes", "fiu_model": "ADMINISTRATIVE"},
        "str": {"received_total": total, "received_drug_related": total // 3,
                "disseminated_total": "not available"},
        "enforcement": [{"stage": "INVESTIGATION", "scope": "ML_ALL", "count_unit": "CASES",
                         "counting_rule": "STARTED_IN_YEAR", "value": rnd.randint(0, 500)}],
    }
    return json.dumps(doc)


def ordered_uuid(seq, rnd, base_ms=int(time.time() * 1000)):
    """UUID version 7 whose millisecond field is the generation time plus SEQ,
    so that ids sort in the order they were made (and differ between runs)."""
    n = ((base_ms + seq) & ((1 << 48) - 1)) << 80
    n |= 0x7 << 76
    n |= rnd.getrandbits(12) << 64
    n |= 0x2 << 62
    n |= rnd.getrandbits(62)
    return str(uuid.UUID(int=n))


def make(kind, sid, cc, year, rows, rnd, revision=0, supersedes=""):
    if kind == "precursors":
        return precursors(sid, cc, year, rows, rnd, revision, supersedes)
    return finflows(sid, cc, year, rnd, revision, supersedes)


def mix(a, ccs, kinds, rnd):
    """--revision-pct: first submissions of distinct series, then revisions."""
    per_country = [(kind, y) for kind in kinds
                   for y in (list(range(FIRST_YEAR, LAST_YEAR + 1)) + EXTRA_YEARS
                             if kind == "precursors" else range(2008, LAST_YEAR + 1))]
    n_rev = round(a.n * a.revision_pct / 100)
    n_first = a.n - n_rev
    n_cc = -(-n_first // len(per_country))
    if n_first == 0 or n_cc > len(ccs):
        raise SystemExit("gen_submissions.py: %d first submissions need %d countries of %d years; "
                         "%d given" % (n_first, n_cc, len(per_country), len(ccs)))
    for c in range(n_cc):
        os.makedirs(os.path.join(a.outdir, f"c{c}"), exist_ok=True)
    # The series in the order of their first submission: every country's
    # first year, then every country's second year, and so on.
    series = [(c, s) for s in range(len(per_country)) for c in range(n_cc)][:n_first]
    files = [(c, s, 0) for c, s in series]
    revision = {}
    for r in range(n_rev):
        c, s = series[r % n_first]
        revision[(c, s)] = revision.get((c, s), 0) + 1
        files.append((c, s, revision[(c, s)]))
    last_id = {}   # (country, series) -> id of its latest file
    seq = [0] * n_cc
    for i, (c, s, rev) in enumerate(files):
        kind, year = per_country[s]
        sid = ordered_uuid(i, rnd)
        text = make(kind, sid, ccs[c], year, a.rows, rnd, rev, last_id.get((c, s), ""))
        last_id[(c, s)] = sid
        path = os.path.join(a.outdir, f"c{c}", f"{seq[c]:07d}_{ccs[c]}_{year}_r{rev}.json")
        seq[c] += 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"countries={n_cc} first_submissions={n_first} revisions={n_rev}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--collectors", type=int, default=1)
    ap.add_argument("--rows", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--countries", default="")
    ap.add_argument("--revisions", action="store_true")
    ap.add_argument("--revision-pct", type=float)
    ap.add_argument("--series", type=int, default=0)
    ap.add_argument("--kind", choices=["precursors", "financial_flows"])
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    kinds = [a.kind] if a.kind else ["precursors", "financial_flows"]
    for i in range(a.collectors):
        os.makedirs(os.path.join(a.outdir, f"c{i}"), exist_ok=True)

    if a.revision_pct is not None and (a.revisions or not a.countries
                                       or not 0 <= a.revision_pct < 100):
        ap.error("--revision-pct needs --countries, goes without --revisions, and is 0 <= P < 100")
    if not a.countries:
        if a.revisions:
            ap.error("--revisions needs --countries")
        series = []
        if "precursors" in kinds:
            series += [(cc, "precursors", y) for cc in countries() for y in range(1995, 2025)]
        if "financial_flows" in kinds:
            series += [(cc, "financial_flows", y) for cc in countries() for y in range(2010, 2025)]
        rnd.shuffle(series)
        if a.series > 0:
            series = series[:a.series]
        for i in range(a.n):
            cc, kind, year = series[i % len(series)]
            sid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            path = os.path.join(a.outdir, f"c{i % a.collectors}", f"{i:06d}_{cc}_{year}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(make(kind, sid, cc, year, a.rows, rnd))
        print(min(a.n, len(series)))
        return

    ccs = countries(partners_first=True) if a.countries == "all" else a.countries.split(",")
    if a.revision_pct is not None:
        mix(a, ccs, kinds, rnd)
        return
    if len(ccs) < a.collectors:
        ap.error("--countries needs one country per collector")
    per_country = [(kind, y) for kind in kinds
                   for y in range(FIRST_YEAR if kind == "precursors" else 2008, LAST_YEAR + 1)]
    last_id = {}   # (collector, series index) -> id of its latest file
    used = set()
    for i in range(a.n):
        c, j = i % a.collectors, i // a.collectors   # j-th file of collector c
        cc = ccs[c]
        s = j % len(per_country)
        kind, year = per_country[s]
        revision = j // len(per_country)
        if revision and not a.revisions:
            revision = 0   # a repeat that the loader rejects (V-ENV-06)
        sid = ordered_uuid(i, rnd)
        text = make(kind, sid, cc, year, a.rows, rnd, revision, last_id.get((c, s), ""))
        if a.revisions:
            last_id[(c, s)] = sid
        used.add((cc, kind, year))
        path = os.path.join(a.outdir, f"c{c}", f"{j:07d}_{cc}_{year}_r{revision}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(len(used))


if __name__ == "__main__":
    main()
