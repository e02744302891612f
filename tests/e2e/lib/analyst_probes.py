#!/usr/bin/env python3
"""analyst_probes.py: the purpose-built submissions of tests/e2e/analyst.sh.

Writes response files into OUT (argument 1; argument 2 is the financial
flows example whose sections the KGZ probe reuses), each made to probe one trap an
analyst's total can fall into (issue 12).  Figures are invented.

  tjk_pc.json      TJK 2023: acetic anhydride "no seizures" in one row and
                   "not available" in another -> the total is unknown (NULL),
                   never 0
  pak_pc_r0.json   PAK 2023: 19,963 kg acetic anhydride, one incident whose
                   figure covers two substances (mixed_substances), one
                   incident in millilitres and one in cubic metres
  pak_pc_r1.json   its revision: 29,214 kg (+46 %): V-X-03 warns, the first
                   figure stays readable (written by analyst.sh with the id
                   of revision 0)
  pak_pc_2022.json PAK 2022 on an older form: 15,000 kg (trends, form break)
  uzb_pc.json      UZB 2023: PARTIAL geographic coverage, 1,000 kg
  kgz_ff.json      KGZ 2023: a financial-flows response with PARTIAL coverage
  TKM              (no file): a partner that did not submit for 2023
"""
import copy
import json
import sys
import uuid

out = sys.argv[1]


def envelope(country, questionnaire, coverage="NATIONAL"):
    return {
        "submission_id": str(uuid.uuid4()),
        "schema_version": 1,
        "questionnaire": questionnaire,
        "form_version": "PR-2023.1" if questionnaire == "precursors" else "FF-2010.1",
        "reporting_country": country,
        "reporting_year": 2023,
        "finalised_at": "2024-04-01T09:00:00Z",
        "completed_on": "2024-04-01",
        "geographic_coverage": coverage,
        "revision_no": 0,
        "language": "en",
        "focal_point": {"name": "Probe Focal Point", "agency": "Probe agency",
                        "email": "probe@example.org"},
    }


def write(name, doc):
    with open(f"{out}/{name}", "w") as fp:
        json.dump(doc, fp, indent=1)


tjk = envelope("TJK", "precursors")
tjk["precursors"] = {"seizures": [
    {"substance_code": "AA", "physical_form": "BULK_LIQUID", "no_seizures": True,
     "quantity": {"status": "not applicable", "unit": "L"}},
    {"substance_code": "AA", "physical_form": "SOLUTION",
     "quantity": {"status": "not available", "unit": "L"}, "origin_countries": ["UNKNOWN"]},
]}
write("tjk_pc.json", tjk)

pak = envelope("PAK", "precursors")
pak["precursors"] = {
    "seizures": [
        {"substance_code": "AA", "physical_form": "BULK_LIQUID", "quantity": "19963 KG",
         "number_of_seizures": 12, "origin_countries": ["AFG"], "origin_basis": "INVESTIGATION"},
    ],
    "incidents": [
        {"incident_id": "PROBE-PAK-MIXED", "incident_type": "SEIZURE", "incident_date": "2023-03-10",
         "substances": [
             {"substance_code": "AA", "quantity": "3000 KG", "mixed_substances": True,
              "package_type": "DRUM", "package_count": 15},
         ],
         "declared_description": "industrial solvent", "concealment": "MISDECLARED",
         "transport_mode": "ROAD",
         "route": [{"country": "PAK", "role": "ORIGIN"}, {"country": "AFG", "role": "DESTINATION"}]},
        {"incident_id": "PROBE-PAK-ML", "incident_type": "SEIZURE", "incident_date": "2023-05-20",
         "substances": [{"substance_code": "AA", "quantity": "500000 ML"}],
         "transport_mode": "ROAD",
         "route": [{"country": "IRN", "role": "ORIGIN"}, {"country": "PAK", "role": "TRANSIT"},
                   {"country": "AFG", "role": "DESTINATION"}]},
        {"incident_id": "PROBE-PAK-M3", "incident_type": "SEIZURE", "incident_date": "2023-08-02",
         "substances": [{"substance_code": "AA", "quantity": "2 M3"}],
         "transport_mode": "SEA",
         "route": [{"country": "CHN", "role": "ORIGIN"}, {"country": "PAK", "role": "DESTINATION"}],
         "linked_money": {"amount": "12000", "currency": "USD"}},
    ],
}
write("pak_pc_r0.json", pak)
rev = copy.deepcopy(pak)
rev["submission_id"] = str(uuid.uuid4())
rev["revision_no"] = 1
rev["supersedes_submission_id"] = pak["submission_id"]
rev["revision_reason"] = "CORRECTION"
rev["precursors"]["seizures"][0]["quantity"] = "29214 KG"
write("pak_pc_r1.json", rev)

# PAK 2022 on an older form: a year before, for trends and their breaks
old = envelope("PAK", "precursors")
old.update(reporting_year=2022, form_version="PR-2022.1", finalised_at="2023-04-01T09:00:00Z",
           completed_on="2023-04-01")
old["precursors"] = {"seizures": [
    {"substance_code": "AA", "physical_form": "BULK_LIQUID", "quantity": "15000 KG",
     "number_of_seizures": 8},
]}
write("pak_pc_2022.json", old)

uzb = envelope("UZB", "precursors", "PARTIAL")
uzb["coverage_note"] = "customs data only (probe)"
uzb["precursors"] = {"seizures": [
    {"substance_code": "AA", "physical_form": "BULK_LIQUID", "quantity": "1000 KG",
     "number_of_seizures": 2},
]}
write("uzb_pc.json", uzb)

# KGZ: the KAZ example's sections with other figures, PARTIAL coverage
kgz = envelope("KGZ", "financial_flows", "PARTIAL")
kgz["coverage_note"] = "FIU data only (probe)"
kgz["financial_flows"] = json.load(open(sys.argv[2]))["financial_flows"]
kgz["financial_flows"]["str"]["received_total"] = 5000
del kgz["financial_flows"]["str"]["received_by_sector"]
kgz["financial_flows"]["str"]["disseminated_total"] = 1200
write("kgz_ff.json", kgz)
print(pak["submission_id"])
