"""fleetguard's own TLS record layer (it takes over from OpenSSL after the handshake,
net/tls_channel.h) with real clients: mosquitto_pub and mosquitto_sub forced to TLS 1.2 and to
TLS 1.3, carrying a payload that spans several TLS records each way, and closing cleanly.

Device endpoints resolve to loopback as in test_gateway.py (libnss-myhostname)."""

import os
import subprocess
import tempfile
import unittest

from awsclients import boto3_client
from fgtest import FG_BIN, DataDir, Server

PAYLOAD_BYTES = 60 * 1024  # about four records of 2^14 bytes


class TlsRecordLayerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.server = Server(cls.data)
        cls.iot = boto3_client(cls.server, cls.account)
        cls.work = tempfile.mkdtemp(prefix="fg-tlsrec-")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.data.cleanup()

    def new_device(self):
        created = self.iot.create_keys_and_certificate(setAsActive=True)
        base = os.path.join(self.work, created["certificateId"][:16])
        with open(base + ".pem", "w") as f:
            f.write(created["certificatePem"])
        with open(base + ".key", "w") as f:
            f.write(created["keyPair"]["PrivateKey"])
        return base + ".pem", base + ".key"

    def common(self, tls_version):
        port = self.server.ports["mqtt"].rsplit(":", 1)[1]
        return ["-h", self.account["dataEndpoint"], "-p", port,
                "--cafile", self.account["rootCaFile"], "--tls-version", tls_version]

    def publish_large_message(self, tls_version):
        sub_cert, sub_key = self.new_device()
        pub_cert, pub_key = self.new_device()
        # Printable, so that mosquitto_sub's text output compares exactly; no two records alike.
        payload = "".join(f"{i:08x}" for i in range(PAYLOAD_BYTES // 8))
        payload_file = os.path.join(self.work, f"payload-{tls_version}")
        with open(payload_file, "w") as f:
            f.write(payload)
        topic = f"big/{tls_version}"
        # Retained, so the subscriber gets it whenever its SUBSCRIBE lands: client to server
        # in the PUBLISH, server to client in the retained delivery.
        pub = subprocess.run(
            ["mosquitto_pub", *self.common(tls_version), "--cert", pub_cert, "--key", pub_key,
             "-i", f"pub-{tls_version}", "-t", topic, "-q", "1", "-r", "-f", payload_file],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(pub.returncode, 0, pub.stderr)
        sub = subprocess.run(
            ["mosquitto_sub", *self.common(tls_version), "--cert", sub_cert, "--key", sub_key,
             "-i", f"sub-{tls_version}", "-t", topic, "-q", "1", "-C", "1", "-W", "20"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(sub.returncode, 0, sub.stderr)
        self.assertEqual(len(sub.stdout.strip()), len(payload))
        self.assertEqual(sub.stdout.strip(), payload)

    def test_tls12_large_message_both_ways(self):
        self.publish_large_message("tlsv1.2")

    def test_tls13_large_message_both_ways(self):
        self.publish_large_message("tlsv1.3")


if __name__ == "__main__":
    unittest.main()
