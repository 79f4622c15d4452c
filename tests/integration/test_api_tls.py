"""The control plane over HTTPS (`serve --api-tls`), with the installation's own root CA."""

import os
import socket
import ssl
import subprocess
import unittest
import urllib.request
import warnings

import boto3
import botocore.exceptions

from awsclients import AWS_CLI
from fgtest import FleetguardTestCase, Server


class ApiTlsTest(FleetguardTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(cls.data, "--api-tls")
        cls.port = cls.server.ports["api"].rsplit(":", 1)[1]
        cls.https_url = f"https://localhost:{cls.port}"
        cls.root_ca = cls.data.first_account["rootCaFile"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        super().tearDownClass()

    def test_boto3_over_https_trusting_the_root_ca(self):
        account = self.data.first_account
        session = boto3.session.Session(aws_access_key_id=account["accessKeyId"],
                                        aws_secret_access_key=account["secretAccessKey"],
                                        region_name=account["region"])
        iot = session.client("iot", endpoint_url=self.https_url, verify=self.root_ca)
        created = iot.create_keys_and_certificate(setAsActive=True)
        described = iot.describe_certificate(certificateId=created["certificateId"])
        self.assertEqual(described["certificateDescription"]["status"], "ACTIVE")

    def test_aws_cli_over_https_with_ca_bundle(self):
        account = self.data.first_account
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=account["accessKeyId"],
                   AWS_SECRET_ACCESS_KEY=account["secretAccessKey"],
                   AWS_DEFAULT_REGION=account["region"], AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_MAX_ATTEMPTS="1")
        proc = subprocess.run([AWS_CLI, "--endpoint-url", self.https_url, "--ca-bundle",
                               self.root_ca, "iot", "describe-endpoint"],
                              env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(account["dataEndpoint"], proc.stdout)

    def test_a_client_that_does_not_trust_the_root_ca_refuses_the_server(self):
        account = self.data.first_account
        session = boto3.session.Session(aws_access_key_id=account["accessKeyId"],
                                        aws_secret_access_key=account["secretAccessKey"],
                                        region_name=account["region"])
        iot = session.client("iot", endpoint_url=self.https_url, verify=True)
        with self.assertRaises(botocore.exceptions.SSLError):
            iot.list_certificates()

    def test_plain_http_on_the_tls_port_gets_no_answer(self):
        with self.assertRaises(Exception):
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/certificates", timeout=10)

    def test_tls_1_1_is_refused_by_the_server(self):
        # SECLEVEL=0 lets this client offer TLS 1.1, so the refusal must come from the server:
        # its "protocol version" alert (70).
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.root_ca)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        with socket.create_connection(("127.0.0.1", int(self.port)), timeout=10) as raw:
            with self.assertRaises(ssl.SSLError) as caught:
                ctx.wrap_socket(raw, server_hostname="localhost")
        self.assertIn("PROTOCOL_VERSION", str(caught.exception).upper())

if __name__ == "__main__":
    unittest.main()
