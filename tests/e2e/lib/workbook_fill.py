#!/usr/bin/env python3
"""workbook_fill.py: fills a precursor workbook made by `collector template
precursors FILE.xlsx` as a person would, and writes the same answers as a
JSON response (its "twin"), for tests/e2e/workbook.sh.

    workbook_fill.py TEMPLATE.xlsx OUT.xlsx OUT.json YEAR ID TWIN_ID [mistakes]

The workbook is edited at the XML level (zip + ElementTree): cells are put
where the template's own column names (row 3) and field names (Envelope,
column C) say, so the test follows the layout the collector wrote.  On
purpose the cells come in the shapes spreadsheets produce: inline strings, a
number typed as text, dates as serial numbers.  With "mistakes", a quantity
reads "lots" (a reading error) and an incident date falls outside the year
(a rule finding)."""
import datetime
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ET.register_namespace("", M)
ET.register_namespace("r", R)
q = lambda tag: "{%s}%s" % (M, tag)

src, out_xlsx, out_json, year, sub_id, twin_id = sys.argv[1:7]
mistakes = len(sys.argv) > 7
year = int(year)

def serial(d):  # 1900 date system, as Excel and LibreOffice store dates
    return (d - datetime.date(1899, 12, 30)).days

zin = zipfile.ZipFile(src)
parts = {n: zin.read(n) for n in zin.namelist()}
shared = [
    "".join(t.text or "" for t in si.iter(q("t")))
    for si in ET.fromstring(parts["xl/sharedStrings.xml"]).findall(q("si"))
]
rels = {r.get("Id"): r.get("Target")
        for r in ET.fromstring(parts["xl/_rels/workbook.xml.rels"])}
sheets = {s.get("name"): "xl/" + rels[s.get("{%s}id" % R)]
          for s in ET.fromstring(parts["xl/workbook.xml"]).find(q("sheets"))}
trees = {}

def col_of(ref):
    return re.match(r"[A-Z]+", ref).group(0)

def col_num(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n

def text_of(c):
    v = c.find(q("v"))
    if c.get("t") == "s":
        return shared[int(v.text)]
    return v.text if v is not None else ""

def tree(sheet):
    if sheet not in trees:
        trees[sheet] = ET.fromstring(parts[sheets[sheet]])
    return trees[sheet]

def put(sheet, ref, value):
    """Sets cell REF: str as an inline string, int/float as a number."""
    data = tree(sheet).find(q("sheetData"))
    row_no = int(re.search(r"\d+", ref).group(0))
    row = next((r for r in data.findall(q("row")) if int(r.get("r")) == row_no), None)
    if row is None:
        row = ET.Element(q("row"), r=str(row_no))
        after = [r for r in data.findall(q("row")) if int(r.get("r")) < row_no]
        data.insert(list(data).index(after[-1]) + 1 if after else 0, row)
    cell = next((c for c in row.findall(q("c")) if c.get("r") == ref), None)
    if cell is None:
        cell = ET.Element(q("c"), r=ref)
        before = [c for c in row.findall(q("c")) if col_num(col_of(c.get("r"))) < col_num(col_of(ref))]
        row.insert(list(row).index(before[-1]) + 1 if before else 0, cell)
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        ET.SubElement(ET.SubElement(cell, q("is")), q("t")).text = value
    else:
        ET.SubElement(cell, q("v")).text = repr(value)

def columns(sheet):  # column name (row 3) -> letters
    row3 = next(r for r in tree(sheet).find(q("sheetData")) if r.get("r") == "3")
    return {text_of(c): col_of(c.get("r")) for c in row3.findall(q("c"))}

def fields(sheet):  # Envelope field (column C) -> row
    return {text_of(c): int(re.search(r"\d+", c.get("r")).group(0))
            for r in tree(sheet).find(q("sheetData")) for c in r.findall(q("c"))
            if col_of(c.get("r")) == "C"}

# --- the answers, once, for both files ------------------------------------
signed = datetime.date(year + 1, 3, 28)
envelope = {
    "submission_id": sub_id,
    "reporting_country": "AFG",
    "completed_on": signed,
    "focal_point.name": "Test Focal Point",
    "focal_point.agency": "Counter Narcotics Police",
    "focal_point.email": "fp@example.org",
    "contributing_agencies.0.name": "Customs Department",
    "contributing_agencies.0.type": "CUSTOMS",
    "contributing_agencies.1.name": "Counter Narcotics Police",
    "contributing_agencies.1.type": "POLICE",
}
seizures = [
    {"substance_code": "AA", "physical_form": "BULK_LIQUID", "quantity": 9870.5,
     "quantity.unit": "L", "concentration_pct": 99, "number_of_seizures": 17,
     "origin_countries": "TUR;IRQ", "origin_basis": "INVESTIGATION", "question_ref": "P1.1"},
    # a number typed as text, an estimate, a count not available
    {"substance_code": "ACET", "physical_form": "BULK_LIQUID", "quantity": "2140",
     "quantity.unit": "KG", "quantity.status": "estimated", "number_of_seizures": "not available",
     "origin_countries": "UNKNOWN", "origin_basis": "ASSUMED", "question_ref": "P1.2"},
]
d1, d2 = datetime.date(year, 2, 11), datetime.date(year, 6, 30)
incidents = [  # one row per substance; EX-1 has two
    {"incident_id": "EX-1", "incident_type": "SEIZURE", "incident_date": d1,
     "location.admin_area": "Herat", "location.place": "Islam Qala", "substance_code": "AA",
     "quantity": 4200, "quantity.unit": "L", "package_type": "DRUM", "package_count": 21,
     "route": "TUR:ORIGIN>IRN:TRANSIT>AFG:DESTINATION", "linked_money": "not available"},
    {"incident_id": "EX-1", "incident_type": "SEIZURE", "incident_date": d1,
     "location.admin_area": "Herat", "location.place": "Islam Qala", "substance_code": "HCL",
     "quantity": 180, "quantity.unit": "KG", "concentration_pct": 33, "package_type": "DRUM",
     "package_count": 1, "route": "TUR:ORIGIN>IRN:TRANSIT>AFG:DESTINATION",
     "linked_money": "not available"},
    {"incident_id": "EX-2", "incident_type": "SEIZURE", "incident_date": d2.isoformat(),
     "location.admin_area": "Nimroz", "substance_code": "AA", "quantity": 2750.25,
     "quantity.unit": "L", "package_type": "JERRYCAN", "package_count": 125,
     "route": "IRQ>IRN>AFG", "linked_money": 12000, "linked_money.currency": "USD"},
]
if mistakes:
    seizures[1]["quantity"] = "lots"
    incidents[0]["incident_date"] = incidents[1]["incident_date"] = datetime.date(year - 3, 2, 11)

# --- the workbook -------------------------------------------------------------
rows = fields("Envelope")
for key, value in envelope.items():
    put("Envelope", "B%d" % rows[key], serial(value) if isinstance(value, datetime.date) else value)
for sheet, table in (("P1_seizures", seizures), ("P6_incidents", incidents)):
    cols = columns(sheet)
    for i, answers in enumerate(table):
        for key, value in answers.items():
            if isinstance(value, datetime.date):
                value = serial(value)
            put(sheet, "%s%d" % (cols[key], 4 + i), value)
for name, t in trees.items():
    parts[sheets[name]] = ET.tostring(t, xml_declaration=True, encoding="UTF-8")
with zipfile.ZipFile(out_xlsx, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in parts.items():
        z.writestr(name, data)

# --- the JSON twin: the same answers, another submission (a revision) --------
def nest(flat):
    obj = {}
    for key, value in flat.items():
        if isinstance(value, datetime.date):
            value = value.isoformat()
        head, _, part = key.partition(".")
        if part and head in ("quantity", "linked_money", "location"):
            obj.setdefault(head + "." , {})[part] = value
        else:
            obj[key] = value
    for head in ("quantity", "linked_money", "location"):
        parts_ = obj.pop(head + ".", None)
        if parts_ is None:
            continue
        if head == "location":
            obj[head] = parts_
            continue
        whole = {"status": parts_.get("status", "reported")}
        value = obj.pop(head, None)
        if isinstance(value, str) and not re.match(r"^-?\d", value):
            whole = {"status": value}
        elif value is not None:
            whole["amount" if head == "linked_money" else "value"] = str(value)
        for part in ("unit", "currency"):
            if part in parts_:
                whole[part] = parts_[part]
        obj[head] = whole
    return obj

doc = {
    "submission_id": twin_id, "schema_version": 1, "questionnaire": "precursors",
    "form_version": "PR-2023.1", "reporting_country": "AFG", "reporting_year": year,
    "completed_on": signed.isoformat(), "geographic_coverage": "NATIONAL", "language": "en",
    "revision_no": 1, "supersedes_submission_id": sub_id, "revision_reason": "CORRECTION",
    "focal_point": {k.split(".")[1]: v for k, v in envelope.items() if k.startswith("focal_point.")},
    "contributing_agencies": [
        {"name": "Customs Department", "type": "CUSTOMS"},
        {"name": "Counter Narcotics Police", "type": "POLICE"}],
    "precursors": {"seizures": [], "incidents": []},
}
for s in seizures:
    row = nest(s)
    row["origin_countries"] = row["origin_countries"].split(";")
    doc["precursors"]["seizures"].append(row)
by_id = {}
for s in incidents:
    row = nest(s)
    inc = by_id.get(row["incident_id"])
    if inc is None:
        legs = row["route"].split(">")
        route = []
        for i, leg in enumerate(legs):
            country, _, role = leg.partition(":")
            role = role or ("ORIGIN" if i == 0 else "DESTINATION" if i == len(legs) - 1 else "TRANSIT")
            route.append({"country": country, "role": role})
        inc = by_id[row["incident_id"]] = {
            k: row[k] for k in ("incident_id", "incident_type", "incident_date", "location",
                                "linked_money") if k in row}
        inc["route"] = route
        inc["substances"] = []
        doc["precursors"]["incidents"].append(inc)
    inc["substances"].append({k: row[k] for k in ("substance_code", "quantity",
                                                   "concentration_pct", "package_type",
                                                   "package_count") if k in row})
json.dump(doc, open(out_json, "w"), indent=1)
