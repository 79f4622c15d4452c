"""`serve --mqtt-alpn-listen`: AWS IoT's port-443 style device listener, where the client must
negotiate ALPN `x-amzn-mqtt-ca`, next to the ordinary one that does not ask for it. Real clients:
paho-mqtt with an ssl.SSLContext that offers the protocol, and `openssl s_client -alpn`.
"""

import os
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt

from awsclients import boto3_client
from fgtest import FG_BIN, DataDir, Server

ALPN = "x-amzn-mqtt-ca"
TIMEOUT = 10


def port_of(address):
    return int(address.rsplit(":", 1)[1])


class AlpnListenerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.server = Server(cls.data, "--mqtt-alpn-listen", "127.0.0.1:0")
        cls.iot = boto3_client(cls.server, cls.account)
        cls.work = tempfile.mkdtemp(prefix="fg-alpn-")
        created = cls.iot.create_keys_and_certificate(setAsActive=True)
        cls.cert = os.path.join(cls.work, "device.pem")
        cls.key = os.path.join(cls.work, "device.key")
        with open(cls.cert, "w") as f:
            f.write(created["certificatePem"])
        with open(cls.key, "w") as f:
            f.write(created["keyPair"]["PrivateKey"])

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.data.cleanup()

    def context(self, protocols):
        ctx = ssl.create_default_context(cafile=self.account["rootCaFile"])
        ctx.load_cert_chain(self.cert, self.key)
        if protocols:
            ctx.set_alpn_protocols(protocols)
        return ctx

    def connect(self, port, protocols, client_id):
        """(CONNACK return code or None, the connected client or None) for a paho client."""
        connack = threading.Event()
        result = {}

        def on_connect(client, userdata, flags, rc, properties=None):
            result["rc"] = rc if isinstance(rc, int) else rc.value
            connack.set()

        client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv311)
        client.tls_set_context(self.context(protocols))
        client.on_connect = on_connect
        client.on_disconnect = lambda c, u, rc, p=None: (connack.set(), c.disconnect())
        try:
            client.connect(self.account["dataEndpoint"], port, keepalive=60)
        except (ssl.SSLError, OSError):
            return None, None
        client.loop_start()
        connack.wait(TIMEOUT)
        rc = result.get("rc")
        if rc != 0:
            client.loop_stop()
            return rc, None
        return rc, client

    def s_client(self, port, *alpn):
        """`openssl s_client`'s output for a mutual-TLS handshake (stdin closed at once)."""
        proc = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername",
             self.account["dataEndpoint"], "-CAfile", self.account["rootCaFile"], "-cert",
             self.cert, "-key", self.key, "-verify_return_error", *alpn],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        return proc.stdout + proc.stderr

    def test_serve_prints_both_device_ports(self):
        self.assertEqual(set(self.server.ports), {"api", "mqtt", "mqttAlpn"})
        self.assertNotEqual(self.server.ports["mqtt"], self.server.ports["mqttAlpn"])
        self.assertTrue(self.server.ports["mqttAlpn"].startswith("127.0.0.1:"))

    def test_device_with_alpn_publishes_and_receives(self):
        port = port_of(self.server.ports["mqttAlpn"])
        rc, sub = self.connect(port, [ALPN], "alpn-sub")
        self.assertEqual(rc, 0)
        received = threading.Event()
        messages = []
        subscribed = threading.Event()
        sub.on_message = lambda c, u, m: (messages.append(m.payload), received.set())
        sub.on_subscribe = lambda *a: subscribed.set()
        try:
            sub.subscribe("alpn/t", qos=1)
            self.assertTrue(subscribed.wait(TIMEOUT))
            # Offered among others, as browsers and SDKs do: the server picks its own.
            rc, pub = self.connect(port, ["http/1.1", ALPN], "alpn-pub")
            self.assertEqual(rc, 0)
            pub.publish("alpn/t", b"over 443", qos=1).wait_for_publish(TIMEOUT)
            pub.disconnect()
            pub.loop_stop()
            self.assertTrue(received.wait(TIMEOUT), "the message did not arrive")
            self.assertEqual(messages, [b"over 443"])
        finally:
            sub.disconnect()
            sub.loop_stop()

    def test_device_without_alpn_is_not_authorised_there_but_is_on_the_other_port(self):
        rc, client = self.connect(port_of(self.server.ports["mqttAlpn"]), None, "no-alpn")
        self.assertIsNone(client)
        self.assertEqual(rc, 5, "CONNACK 'not authorised' expected")
        rc, client = self.connect(port_of(self.server.ports["mqttAlpn"]), ["mqtt"], "other-alpn")
        self.assertEqual(rc, 5)
        # The ordinary listener does not ask for ALPN.
        rc, client = self.connect(port_of(self.server.ports["mqtt"]), None, "plain")
        self.assertEqual(rc, 0)
        client.disconnect()
        client.loop_stop()
        reasons = self.refusals()
        self.assertGreaterEqual(reasons.count("ALPN_MISMATCH"), 2, reasons)

    def refusals(self):
        deadline = time.monotonic() + 5
        while True:
            db = sqlite3.connect(os.path.join(self.data.path, "fleetguard.db"))
            try:
                rows = [r[0] for r in db.execute("SELECT reason FROM refused_connections")]
            finally:
                db.close()
            if rows.count("ALPN_MISMATCH") >= 2 or time.monotonic() > deadline:
                return rows
            time.sleep(0.1)

    def test_openssl_s_client_negotiates_the_protocol_only_when_offered(self):
        port = port_of(self.server.ports["mqttAlpn"])
        offered = self.s_client(port, "-alpn", ALPN)
        self.assertIn(f"ALPN protocol: {ALPN}", offered)
        self.assertIn("Verify return code: 0 (ok)", offered)
        # Without it the handshake completes but nothing is negotiated; the authenticator then
        # refuses the connection (above).
        self.assertIn("No ALPN negotiated", self.s_client(port))
        self.assertIn("No ALPN negotiated", self.s_client(port, "-alpn", "mqtt"))


if __name__ == "__main__":
    unittest.main()
