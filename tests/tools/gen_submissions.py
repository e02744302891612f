#!/usr/bin/env python3
"""Writes N synthetic but valid response files for load and fault tests.

usage: gen_submissions.py OUTDIR N [--collectors K] [--rows R] [--seed S]

Files go to OUTDIR/c<i>/ (i < K), spread round-robin.  Each (country,
questionnaire, year) series is used once while there are unused ones; past
that, files repeat a series without declaring a revision, so the loader
rejects them (V-ENV-06) and keeps them in quarantine: they still must be
stored exactly once.  Prints the number of unique series used.
"""
import argparse
import csv
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REFDATA = os.path.join(HERE, "..", "..", "libdcp", "refdata")


def countries():
    with open(os.path.join(REFDATA, "countries.csv"), newline="", encoding="utf-8") as f:
        return [r["iso3"] for r in csv.DictReader(f) if not r["valid_to"]]


def precursors(sid, cc, year, rows, rnd):
    seizures = []
    codes = ["AA", "ACET", "ETHER", "HCL", "KMNO4", "MEK", "TOL", "H2SO4"]
    for i in range(rows):
        code = codes[i % len(codes)]
        unit = "KG" if code == "KMNO4" else rnd.choice(["KG", "L"])
        seizures.append({
            "substance_code": code,
            "physical_form": "BULK_SOLID" if code == "KMNO4" else "BULK_LIQUID",
            "quantity": {"value": f"{rnd.randint(1, 99999)}.{rnd.randint(0, 9)}", "status": "REPORTED", "unit": unit},
            "concentration_pct": "96" if code in ("HCL", "H2SO4") else "",
            "number_of_seizures": rnd.randint(1, 40),
        })
    return {
        "submission_id": sid, "schema_version": 1, "questionnaire": "precursors",
        "form_version": "PC-2024.1", "reporting_country": cc, "reporting_year": year,
        "finalised_at": f"{year + 1}-03-01T10:00:00Z", "completed_on": f"{year + 1}-03-01",
        "geographic_coverage": "NATIONAL",
        "focal_point": {"name": "Synthetic focal point", "agency": "Drug control agency",
                        "email": "focal.point@example.org"},
        "precursors": {"seizures": seizures},
    }


def finflows(sid, cc, year, rnd):
    total = rnd.randint(100, 90000)
    return {
        "submission_id": sid, "schema_version": 1, "questionnaire": "financial_flows",
        "form_version": "FF-2010.1", "reporting_country": cc, "reporting_year": year,
        "finalised_at": f"{year + 1}-03-01T10:00:00Z", "completed_on": f"{year + 1}-03-01",
        "geographic_coverage": "NATIONAL",
        "focal_point": {"name": "Synthetic focal point", "agency": "FIU",
                        "email": "focal.point@example.org"},
        "financial_flows": {
            "legal": {"ml_offence_exists": "yes", "drug_trafficking_is_ml_predicate": "yes",
                      "fiu_exists": "yes", "fiu_model": "ADMINISTRATIVE"},
            "str": {"received_total": total, "received_drug_related": total // 3,
                    "disseminated_total": "not available"},
            "enforcement": [{"stage": "INVESTIGATION", "scope": "ML_ALL", "count_unit": "CASES",
                             "counting_rule": "STARTED_IN_YEAR", "value": rnd.randint(0, 500)}],
        },
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--collectors", type=int, default=1)
    ap.add_argument("--rows", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    series = [(cc, "precursors", y) for cc in countries() for y in range(1995, 2025)]
    series += [(cc, "financial_flows", y) for cc in countries() for y in range(2010, 2025)]
    rnd.shuffle(series)
    for i in range(a.collectors):
        os.makedirs(os.path.join(a.outdir, f"c{i}"), exist_ok=True)
    for i in range(a.n):
        cc, kind, year = series[i % len(series)]
        sid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        doc = precursors(sid, cc, year, a.rows, rnd) if kind == "precursors" else finflows(sid, cc, year, rnd)
        path = os.path.join(a.outdir, f"c{i % a.collectors}", f"{i:06d}_{cc}_{year}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
    print(min(a.n, len(series)))


if __name__ == "__main__":
    main()
