"""One calling convention over both real clients, so a scenario runs unchanged through Debian's
AWS CLI v2 (/usr/bin/aws) and boto3.

    iot = IotClient("cli", server, account)      # or "boto3"
    iot("DescribeCertificate", certificateId=cid)

Parameters use the model's member names (as boto3 does). For the CLI they become
`--kebab-case=value` arguments (the `=` form, because PEM values start with dashes); booleans
become `--flag` / `--no-flag`; dicts and lists are passed as JSON. Errors from either client are
raised as IotError with the AWS error code. The CLI's automatic paging is switched off
(`--no-paginate`) so both clients see exactly one response per call.
"""

import json

import botocore.exceptions
from botocore import xform_name

from awsclients import CliError, aws, boto3_client, error_code
from fgtest import FleetguardTestCase, Server
from opensslpki import Pki

KINDS = ("cli", "boto3")


class IotError(Exception):
    def __init__(self, code, message, response=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        # The parsed error body (boto3 only): modeled members such as resourceId land here.
        self.response = response or {}


def _snake(name):
    return xform_name(name)


def _kebab(name):
    return xform_name(name, "-")


class IotClient:
    def __init__(self, kind, server, account):
        assert kind in KINDS, kind
        self.kind = kind
        self.server = server
        self.account = account
        self._boto = boto3_client(server, account) if kind == "boto3" else None

    def close(self):
        if self._boto is not None:
            self._boto.close()

    def __call__(self, operation, **params):
        if self.kind == "boto3":
            try:
                out = getattr(self._boto, _snake(operation))(**params)
            except botocore.exceptions.ClientError as e:
                raise IotError(error_code(e), e.response.get("Error", {}).get("Message", ""),
                               e.response) from None
            out.pop("ResponseMetadata", None)
            return out
        args = [_kebab(operation)]
        for key, value in params.items():
            flag = "--" + _kebab(key)
            if isinstance(value, bool):
                args.append(flag if value else "--no-" + _kebab(key))
            elif isinstance(value, (dict, list)):
                args.append(f"{flag}={json.dumps(value)}")
            else:
                args.append(f"{flag}={value}")
        if operation.startswith("List"):
            args.append("--no-paginate")
        try:
            return aws(self.server, self.account, *args) or {}
        except CliError as e:
            raise IotError(e.code, e.message) from None


class IotApiTestCase(FleetguardTestCase):
    """Base class for the dual-client API tests: one data directory with the first account
    (`owner`) and a second one (`other`), one running server, one openssl PKI, and an
    `iot(kind, account)` factory whose clients are closed after each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.data.first_account
        cls.other = cls.data.create_account("other")
        cls.server = Server(cls.data)
        cls.pki = Pki()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.pki.cleanup()
        super().tearDownClass()

    @classmethod
    def restart_server(cls):
        """Stops `fleetguard serve` and starts it again on the same data directory (new ports)."""
        cls.server.stop()
        cls.server = Server(cls.data)

    def setUp(self):
        self._clients = []

    def tearDown(self):
        for client in self._clients:
            client.close()

    def iot(self, kind, account=None):
        client = IotClient(kind, self.server, account or self.owner)
        self._clients.append(client)
        return client

    def assertIotError(self, code, call, operation, **params):
        with self.assertRaises(IotError) as caught:
            call(operation, **params)
        self.assertEqual(caught.exception.code, code, str(caught.exception))
        return caught.exception

    def arn(self, resource, account=None):
        """arn:aws:iot:<region>:<account>:<resource>, for the owner unless `account` is given."""
        acct = account or self.owner
        return f"arn:aws:iot:{acct['region']}:{acct['accountId']}:{resource}"
