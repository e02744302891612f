#!/usr/bin/python3
"""A client in another language, written from proto/README.md alone.

Generates Python code from the .proto files with protoc, builds a small
financial-flows Submission, sends it to a validator over ZeroMQ with CURVE,
waits for the Receipt and prints it.  It follows the client rules of
proto/README.md that matter for one message: refuse locally what is over
the message size limit (the server would drop the connection and answer
nothing), and watch the handshake, so that a key the server does not know
ends the attempt at once ("stop retrying, tell the user") instead of
waiting for a receipt that cannot come.

Exit status: 0 accepted, 1 another final receipt, 2 no receipt in time
(resend later), 3 key refused by the server (do not retry), 4 message too
large (do not retry).

usage: submit.py ENDPOINT VALIDATOR_PUB KEY_FILE COUNTRY [SUBMISSION_ID [PAD_BYTES]]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import zmq
from zmq.utils.monitor import recv_monitor_message

MAX_MESSAGE = 16 << 20   # the validator's default max_message, bytes


def read_key(path, name):
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == name and parts[1] == "=":
                return parts[2].encode()
    raise SystemExit(f"{path}: no {name}")


def main():
    endpoint, server_pub, key_file, country = sys.argv[1:5]
    sid = sys.argv[5] if len(sys.argv) > 5 else str(uuid.uuid4())
    proto_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")
    out = tempfile.mkdtemp(prefix="dcp-py-")
    subprocess.run(["protoc", f"-I{proto_dir}", f"--python_out={out}",
                    os.path.join(proto_dir, "dcp_submission.proto")], check=True)
    sys.path.insert(0, out)
    import dcp_submission_pb2 as pb
    shutil.rmtree(out)  # loaded: leave no temporary folder behind

    sub = pb.Submission(
        submission_id=sid, schema_version=1,
        questionnaire=pb.QUESTIONNAIRE_FINANCIAL_FLOWS, form_version="FF-2010.1",
        reporting_country=country, reporting_year=2023,
        finalised_at="2024-03-01T10:00:00Z", completed_on="2024-03-01",
        geographic_coverage="NATIONAL",
        focal_point=pb.FocalPoint(name="Python client", agency="FIU", email="fp@example.org"),
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

    if len(sys.argv) > 6:   # padding for the size test: a long coverage note
        sub.coverage_note = "a" * int(sys.argv[6])
    frames = [b"DCP1", sid.encode(), sub.SerializeToString()]
    if sum(len(f) for f in frames) > MAX_MESSAGE:
        print(f"message of {sum(len(f) for f in frames)} bytes is over the limit of "
              f"{MAX_MESSAGE}: not sent")
        return 4

    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.curve_serverkey = read_key(server_pub, "public-key")
    sock.curve_publickey = read_key(key_file, "public-key")
    sock.curve_secretkey = read_key(key_file, "secret-key")
    sock.linger = 0
    monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED
                                      | zmq.EVENT_HANDSHAKE_FAILED_AUTH
                                      | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                                      | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)
    sock.connect(endpoint)
    sock.send_multipart(frames)
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    try:
        deadline = time.monotonic() + 15
        while True:
            ready = dict(poller.poll(max(0, int((deadline - time.monotonic()) * 1000))))
            if not ready:
                print("no receipt within 15 s")
                return 2
            if monitor in ready:
                event = recv_monitor_message(monitor)
                if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                    # ZAP said 400: the key is not registered (or was revoked).
                    print(f"key refused by the server (handshake failed, status "
                          f"{event['value']}): not registered; stop retrying and ask the "
                          f"coordinating office to register the public key")
                    return 3
                if event["event"] != zmq.EVENT_HANDSHAKE_SUCCEEDED:
                    print(f"handshake failed (event {event['event']}): wrong server key?")
                    return 3
            if sock in ready:
                break
        reply = sock.recv_multipart()
    finally:
        sock.disable_monitor()
        monitor.close()
        sock.close()
        ctx.term()
    assert reply[0] == b"DCP1" and reply[1] == sid.encode(), reply[:2]
    receipt = pb.Receipt()
    receipt.ParseFromString(reply[2])
    print(f"{receipt.submission_id} {pb.ReceiptStatus.Name(receipt.status)} replayed={receipt.replayed}")
    for p in receipt.problems:
        print(f"  {pb.Severity.Name(p.severity)} {p.code} {p.path}: {p.message}")
    return 0 if receipt.status == pb.RECEIPT_ACCEPTED else 1


if __name__ == "__main__":
    sys.exit(main())
