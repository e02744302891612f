#!/usr/bin/python3
"""Latency of single small submissions on an idle pipeline.

Sends N one-row precursor submissions one after the other over CURVE, as a
collector would (proto/README.md framing), and times each from the send to
the arrival of its receipt (the loader answers only after COMMIT).  Each
submission is a new accepted one: it takes the next year of COUNTRY's
series, and once every year is used, the next revision of a series (the
previous one is always committed by then, since sends are sequential).

usage: latency.py ENDPOINT VALIDATOR_PUB KEY_FILE COUNTRY N
prints: latency n=N accepted=A p50_ms=... p90_ms=... p99_ms=... max_ms=... mean_ms=...
"""
import os
import sys
import time
import uuid

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
from dcpclient import load_proto, read_key  # noqa: E402

FIRST_YEAR, LAST_YEAR = 1992, 2025


def percentile(sorted_ms, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100.0 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def main():
    endpoint, server_pub, key_file, country, n = sys.argv[1:6]
    n = int(n)
    pb = load_proto()

    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.curve_serverkey = read_key(server_pub, "public-key")
    sock.curve_publickey = read_key(key_file, "public-key")
    sock.curve_secretkey = read_key(key_file, "secret-key")
    sock.linger = 0
    sock.connect(endpoint)

    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    current = {}   # year -> (id, revision) of the current submission
    samples, accepted = [], 0
    for i in range(n + 1):          # the first one warms up the connection
        year = years[i % len(years)]
        sid = str(uuid.uuid4())
        sub = pb.Submission(
            submission_id=sid, schema_version=1,
            questionnaire=pb.QUESTIONNAIRE_PRECURSORS, form_version="PC-2024.1",
            reporting_country=country, reporting_year=year,
            finalised_at=f"{year + 1}-03-01T10:00:00Z", completed_on=f"{year + 1}-03-01",
            geographic_coverage="NATIONAL",
            focal_point=pb.FocalPoint(name="Latency probe", agency="Bench",
                                      email="fp@example.org"),
        )
        if year in current:
            sub.revision_no = current[year][1] + 1
            sub.supersedes_submission_id = current[year][0]
            sub.revision_reason = "CORRECTION"
        row = sub.precursors.seizures.add(substance_code="ACET", physical_form="BULK_LIQUID")
        row.quantity.status = pb.OBS_REPORTED
        row.quantity.value = "12.5"
        row.quantity.unit = "L"
        row.number_of_seizures.status = pb.OBS_REPORTED
        row.number_of_seizures.value = 2
        payload = sub.SerializeToString()
        t0 = time.perf_counter()
        sock.send_multipart([b"DCP1", sid.encode(), payload])
        while True:
            if not sock.poll(15000):
                raise SystemExit(f"latency: no receipt for {sid} within 15 s")
            frames = sock.recv_multipart()
            if len(frames) == 3 and frames[1] == sid.encode():
                break
        t1 = time.perf_counter()
        receipt = pb.Receipt()
        receipt.ParseFromString(frames[2])
        ok = receipt.status == pb.RECEIPT_ACCEPTED
        if ok:
            current[year] = (sid, sub.revision_no)
        if i == 0:
            continue
        accepted += ok
        samples.append((t1 - t0) * 1000.0)
    sock.close()
    ctx.term()
    s = sorted(samples)
    print("latency n=%d accepted=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f"
          % (len(s), accepted, percentile(s, 50), percentile(s, 90), percentile(s, 99), s[-1],
             sum(s) / len(s)))
    return 0 if accepted == len(s) else 1


if __name__ == "__main__":
    sys.exit(main())
