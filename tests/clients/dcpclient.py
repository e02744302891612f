"""Helpers shared by the project's own Python test clients (hostile.py,
tests/bench/latency.py): generate the protobuf module from proto/ and read
key files.  submit.py does not use it on purpose: it shows a client written
from proto/README.md alone."""
import os
import shutil
import subprocess
import sys
import tempfile

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def load_proto():
    """Runs protoc on dcp_submission.proto and imports the result; the
    temporary folder is removed once the module is loaded."""
    out = tempfile.mkdtemp(prefix="dcp-py-")
    try:
        subprocess.run(["protoc", f"-I{PROTO_DIR}", f"--python_out={out}",
                        os.path.join(PROTO_DIR, "dcp_submission.proto")], check=True)
        sys.path.insert(0, out)
        import dcp_submission_pb2
        return dcp_submission_pb2
    finally:
        shutil.rmtree(out, ignore_errors=True)


def read_key(path, name):
    """The Z85 value of NAME ("public-key" or "secret-key") in a key file."""
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == name and parts[1] == "=":
                return parts[2].encode()
    raise SystemExit(f"{path}: no {name}")
