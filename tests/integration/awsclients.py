"""Real AWS clients pointed at a running fleetguard: Debian's AWS CLI v2 and boto3.

The `aws` first on PATH may be a pip-installed v1 CLI, so the v2 CLI is called by its Debian path.
Credentials come from the account JSON that `fleetguard init` / `account create` print, through
the environment only (never a shared config file), so tests cannot leak into each other.
"""

import json
import os
import subprocess

import boto3
import botocore.config

AWS_CLI = "/usr/bin/aws"


def _env(account):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": account["accessKeyId"],
        "AWS_SECRET_ACCESS_KEY": account["secretAccessKey"],
        "AWS_DEFAULT_REGION": account["region"],
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    return env


class CliError(Exception):
    def __init__(self, code, message, stderr):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.stderr = stderr


def aws(server, account, *args, input_text=None, timeout=120):
    """Runs `/usr/bin/aws iot ARGS` against `server` as `account`; returns parsed JSON output
    (None for empty output). Raises CliError with the AWS error code on failure."""
    cmd = [AWS_CLI, "--endpoint-url", server.api_url, "--output", "json", "iot", *args]
    proc = subprocess.run(cmd, env=_env(account), capture_output=True, text=True,
                          input=input_text, timeout=timeout)
    if proc.returncode != 0:
        # "An error occurred (ResourceNotFoundException) when calling the X operation: msg"
        code, message = "", proc.stderr.strip()
        if "An error occurred (" in proc.stderr:
            rest = proc.stderr.split("An error occurred (", 1)[1]
            code = rest.split(")", 1)[0]
            message = rest.split(": ", 1)[1].strip() if ": " in rest else ""
        raise CliError(code, message, proc.stderr)
    out = proc.stdout.strip()
    return json.loads(out) if out else None


def boto3_client(server, account, service="iot"):
    """A boto3 client for `account` against `server`, with retries off so that an error is
    seen once and a test fails fast."""
    session = boto3.session.Session(
        aws_access_key_id=account["accessKeyId"],
        aws_secret_access_key=account["secretAccessKey"],
        region_name=account["region"])
    return session.client(
        service, endpoint_url=server.api_url,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                      connect_timeout=10, read_timeout=60))


def error_code(exc):
    """The AWS error code of a botocore ClientError."""
    return exc.response["Error"]["Code"]
