# Runs inside a Taskdeck task: what botocore/boto3 and the AWS CLI v2 see. Prints one line,
# `PYTHON-PROBE <json>`; secrets only as a SHA-256.
import hashlib
import json
import subprocess

import boto3
import botocore.session


def sha(s):
    return hashlib.sha256(str(s).encode()).hexdigest()


out = {}
try:
    creds = botocore.session.get_session().get_credentials()
    out["botocore"] = {
        "ok": creds is not None,
        "method": getattr(creds, "method", None),
        "accessKeyId": getattr(creds, "access_key", None),
        "secretSha256": sha(getattr(creds, "secret_key", "")),
    }
except Exception as e:  # noqa: BLE001 - the probe reports every failure as data
    out["botocore"] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
try:
    out["boto3Region"] = {"ok": True, "value": boto3.client("sqs").meta.region_name}
except Exception as e:  # noqa: BLE001
    out["boto3Region"] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
cli = subprocess.run(
    ["aws", "configure", "export-credentials", "--format", "process"],
    capture_output=True,
    text=True,
)
if cli.returncode == 0:
    doc = json.loads(cli.stdout)
    out["awsCli"] = {
        "ok": True,
        "accessKeyId": doc.get("AccessKeyId"),
        "secretSha256": sha(doc.get("SecretAccessKey")),
    }
else:
    out["awsCli"] = {"ok": False, "error": cli.stderr.strip()[-400:]}
print("PYTHON-PROBE " + json.dumps(out), flush=True)
