#!/usr/bin/python3
"""Sends one crafted, hostile message to a validator, as a registered collector.

Written from proto/README.md like submit.py: protobuf classes are generated
with protoc into a temporary folder, the socket is a ZeroMQ DEALER with
CURVE.  Each CASE below starts from a valid response and breaks one thing,
at the byte level where the protobuf library would refuse to (invalid UTF-8,
a NUL inside a string, field number 0), or in the framing.  tests/e2e/hostile.sh
holds the table of cases and the receipt each one must get.

usage: hostile.py ENDPOINT VALIDATOR_PUB KEY_FILE COUNTRY CASE[,CASE...]
       hostile.py --list

Several cases separated by commas are sent in that order on one socket,
each under a new submission id, each receipt awaited before the next send
(tests/e2e/contract.sh uses this: a never-used id must never be "replayed").
Prints, per case, the id sent and the receipt, one fact a line:
    case empty_payload sid <uuid> bytes 0
    receipt_id <id frame of the receipt, "-" if empty>
    receipt_submission_id <Receipt.submission_id, "-" if empty>
    status RECEIPT_REJECTED
    replayed false
    problem SEVERITY_ERROR WIRE-DECODE <path>
and "event NAME" for what the connection did meanwhile (HANDSHAKE_SUCCEEDED,
DISCONNECTED, HANDSHAKE_FAILED_AUTH ...), from a socket monitor.
or "no receipt" if none came (exit 3).  Exit 0 when every receipt came.
"""
import random
import sys
import time
import uuid

import zmq
from zmq.utils.monitor import recv_monitor_message

from dcpclient import load_proto, read_key

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
SQL_INJECTION = "'); DROP TABLE dcp.submission; --"


pb = None  # the generated module, set by main()


# --- valid starting points ---------------------------------------------------

def financial_flows(sid, country, year=2023):
    """A small, valid financial-flows response (the one of submit.py)."""
    sub = pb.Submission(
        submission_id=sid, schema_version=1,
        questionnaire=pb.QUESTIONNAIRE_FINANCIAL_FLOWS, form_version="FF-2010.1",
        reporting_country=country, reporting_year=year,
        finalised_at=f"{year + 1}-03-01T10:00:00Z", completed_on=f"{year + 1}-03-01",
        geographic_coverage="NATIONAL",
        focal_point=pb.FocalPoint(name="Hostile test", agency="FIU", email="fp@example.org"),
    )
    ff = sub.financial_flows
    ff.legal.ml_offence_exists = pb.TRI_YES
    ff.legal.drug_trafficking_is_ml_predicate = pb.TRI_YES
    ff.legal.fiu_exists = pb.TRI_YES
    ff.legal.fiu_model = "ADMINISTRATIVE"
    ff.str.received_total.status = pb.OBS_REPORTED
    ff.str.received_total.value = 1200
    ff.str.disseminated_total.status = pb.OBS_NOT_AVAILABLE
    row = ff.enforcement.add(stage="INVESTIGATION", scope="ML_ALL", count_unit="CASES",
                             counting_rule="STARTED_IN_YEAR")
    row.value.status = pb.OBS_ESTIMATED
    row.value.value = 40
    return sub


def incident(incident_id):
    return pb.Incident(
        incident_id=incident_id, incident_type="SEIZURE", incident_date="2023-06-14",
        substances=[pb.IncidentSubstance(
            substance_code="AA",
            quantity=pb.Quantity(status=pb.OBS_REPORTED, value="120", unit="KG"))],
        route=[pb.RouteLeg(country="TUR", role="ORIGIN"),
               pb.RouteLeg(country="IRN", role="DESTINATION")])


def precursors(sid, country, year=2023):
    """A small, valid precursors response: one incident."""
    sub = pb.Submission(
        submission_id=sid, schema_version=1,
        questionnaire=pb.QUESTIONNAIRE_PRECURSORS, form_version="PC-2024.1",
        reporting_country=country, reporting_year=year,
        finalised_at=f"{year + 1}-03-01T10:00:00Z", completed_on=f"{year + 1}-03-01",
        geographic_coverage="NATIONAL",
        focal_point=pb.FocalPoint(name="Hostile test", agency="Customs"),
    )
    sub.precursors.incidents.append(incident("IR-2023-0001"))
    return sub


def frames(sid, payload):
    """The three frames of proto/README.md."""
    return [b"DCP1", sid.encode(), payload]


def patched(sub, marker, replacement):
    """SUB's bytes with MARKER (a text set in a string field) replaced by
    bytes of the same length that the protobuf library would not write."""
    assert len(marker) == len(replacement)
    data = sub.SerializeToString()
    assert data.count(marker) == 1
    return data.replace(marker, replacement)


# --- the cases: each returns the frames to send --------------------------------

def case_valid(sid, cc):
    """The valid response, for the year 2023: ACCEPTED."""
    return frames(sid, financial_flows(sid, cc).SerializeToString())


def case_valid_precursors(sid, cc):
    return frames(sid, precursors(sid, cc).SerializeToString())


def case_truncated(sid, cc):
    """The valid response cut in the middle of a field."""
    data = financial_flows(sid, cc).SerializeToString()
    return frames(sid, data[:len(data) // 2])


def case_random_bytes(sid, cc):
    """512 random bytes (fixed seed, so the case never changes)."""
    return frames(sid, random.Random(20240301).randbytes(512))


def case_schema_2(sid, cc):
    sub = financial_flows(sid, cc)
    sub.schema_version = 2
    return frames(sid, sub.SerializeToString())


def case_text_10mb(sid, cc):
    """10 MB in coverage_note: under the validator's max_message (16 MiB),
    so it is decoded and the rules measure it."""
    sub = financial_flows(sid, cc)
    sub.coverage_note = "a" * 10_000_000
    return frames(sid, sub.SerializeToString())


def case_invalid_utf8(sid, cc):
    """coverage_note "T\\xfcrkiye": Latin-1, not UTF-8."""
    sub = financial_flows(sid, cc)
    sub.coverage_note = "T?rkiye"
    return frames(sid, patched(sub, b"T?rkiye", b"T\xfcrkiye"))


def case_nul_in_text(sid, cc):
    """coverage_note "x\\0y": a C reader would see "x"."""
    sub = financial_flows(sid, cc)
    sub.coverage_note = "x?y"
    return frames(sid, patched(sub, b"x?y", b"x\x00y"))


def case_field_zero(sid, cc):
    """An extra field numbered 0 (forbidden), its tag as the overlong varint 82 00."""
    data = financial_flows(sid, cc).SerializeToString()
    return frames(sid, data + b"\x82\x00\x01x")


def case_negative_count(sid, cc):
    sub = financial_flows(sid, cc)
    sub.financial_flows.str.received_total.value = -5
    return frames(sid, sub.SerializeToString())


def case_int64_min(sid, cc):
    """Count 2^63 on the wire: read as int64 it wraps to the most negative number."""
    sub = financial_flows(sid, cc)
    sub.financial_flows.str.received_total.value = INT64_MIN
    return frames(sid, sub.SerializeToString())


def case_int64_max(sid, cc):
    """int64 max in counts, for the year 2022: a legal int64; the outcomes of
    a cooperation row are summed with saturation, so 3 x max does not wrap
    (V-FIN-09 warns that they exceed the requests)."""
    sub = financial_flows(sid, cc, year=2022)
    ff = sub.financial_flows
    ff.str.received_total.value = INT64_MAX
    row = ff.cooperation.add(instrument="MLA", direction="RECEIVED")
    for name, value in (("requests", 1), ("executed", INT64_MAX), ("refused", INT64_MAX),
                        ("pending_at_year_end", INT64_MAX)):
        getattr(row, name).status = pb.OBS_REPORTED
        getattr(row, name).value = value
    return frames(sid, sub.SerializeToString())


def case_decimal_40_digits(sid, cc):
    """A 40-digit amount: past the 30 digits a decimal may have."""
    sub = financial_flows(sid, cc)
    money = sub.financial_flows.str.cash_declarations_value
    money.status = pb.OBS_REPORTED
    money.amount = "1234567890" * 4
    money.currency = "USD"
    return frames(sid, sub.SerializeToString())


def case_unknown_country(sid, cc):
    sub = financial_flows(sid, cc)
    sub.reporting_country = "ZZZ"
    return frames(sid, sub.SerializeToString())


def case_wrong_country(sid, cc):
    """A registered country, but not the one of this key."""
    sub = financial_flows(sid, cc)
    sub.reporting_country = "KAZ" if cc != "KAZ" else "AFG"
    return frames(sid, sub.SerializeToString())


def case_sql_injection(sid, cc):
    """SQL in free text, for the year 2021: plain text to the pipeline."""
    sub = financial_flows(sid, cc, year=2021)
    sub.coverage_note = SQL_INJECTION
    sub.financial_flows.challenges.challenge_text = SQL_INJECTION
    return frames(sid, sub.SerializeToString())


def case_duplicate_incident(sid, cc):
    """The same national reference on two incidents."""
    sub = precursors(sid, cc)
    sub.precursors.incidents.append(incident("IR-2023-0001"))
    return frames(sid, sub.SerializeToString())


def case_empty_payload(sid, cc):
    """A zero-length third frame: a valid, empty protobuf message."""
    return frames(sid, b"")


def case_empty_frame(sid, cc):
    """One empty frame: misframed, and no id can be read from it."""
    return [b""]


def case_two_frames(sid, cc):
    """No "DCP1" frame: [id, Submission]."""
    return frames(sid, financial_flows(sid, cc).SerializeToString())[1:]


def case_wrong_signature(sid, cc):
    """A future protocol version: "DCP2"."""
    return [b"DCP2"] + frames(sid, financial_flows(sid, cc).SerializeToString())[1:]


def case_over_max_message(sid, cc):
    """17 MiB, over the validator's max_message (16 MiB): the connection is
    dropped before anything is read; nothing can be answered."""
    sub = financial_flows(sid, cc)
    sub.coverage_note = "a" * (17 << 20)
    return frames(sid, sub.SerializeToString())


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


EVENTS = {zmq.EVENT_DISCONNECTED: "DISCONNECTED",
          zmq.EVENT_HANDSHAKE_SUCCEEDED: "HANDSHAKE_SUCCEEDED",
          zmq.EVENT_HANDSHAKE_FAILED_AUTH: "HANDSHAKE_FAILED_AUTH",
          zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL: "HANDSHAKE_FAILED_PROTOCOL",
          zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL: "HANDSHAKE_FAILED_NO_DETAIL"}


def send_case(sock, monitor, case, country, timeout_ms):
    """Sends CASE under a fresh id on SOCK and prints its receipt.  Returns
    0 (a receipt came), 3 (none) or 4 (a malformed reply)."""
    sid = str(uuid.uuid4())
    message = CASES[case](sid, country)
    sock.send_multipart(message)
    print(f"case {case} sid {sid} bytes {sum(len(f) for f in message)}")
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        ready = dict(poller.poll(max(0, int((deadline - time.monotonic()) * 1000))))
        if not ready:
            print("no receipt")
            return 3
        if monitor in ready:   # what the connection did meanwhile
            event = recv_monitor_message(monitor)
            print(f"event {EVENTS.get(event['event'], event['event'])}")
        if sock in ready:
            break
    reply = sock.recv_multipart()
    if len(reply) != 3 or reply[0] != b"DCP1":
        print(f"malformed reply of {len(reply)} frames")
        return 4
    receipt = pb.Receipt()
    receipt.ParseFromString(reply[2])
    print(f"receipt_id {reply[1].decode(errors='replace') or '-'}")
    print(f"receipt_submission_id {receipt.submission_id or '-'}")
    print(f"status {pb.ReceiptStatus.Name(receipt.status)}")
    print(f"replayed {'true' if receipt.replayed else 'false'}")
    for p in receipt.problems:
        print(f"problem {pb.Severity.Name(p.severity)} {p.code} {p.path or '-'}")
    return 0


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 6 or not all(c in CASES for c in sys.argv[5].split(",")):
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, server_pub, key_file, country, cases = sys.argv[1:6]
    global pb
    pb = load_proto()

    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.curve_serverkey = read_key(server_pub, "public-key")
    sock.curve_publickey = read_key(key_file, "public-key")
    sock.curve_secretkey = read_key(key_file, "secret-key")
    sock.linger = 0
    mask = 0
    for event in EVENTS:
        mask |= event
    monitor = sock.get_monitor_socket(mask)
    sock.connect(endpoint)
    rc = 0
    try:
        # One after the other, each receipt awaited: the order is the test.
        for case in cases.split(","):
            timeout_ms = 5000 if case == "over_max_message" else 30000
            rc = send_case(sock, monitor, case, country, timeout_ms) or rc
    finally:
        sock.disable_monitor()
        monitor.close()
        sock.close()
        ctx.term()
    return rc


if __name__ == "__main__":
    sys.exit(main())
