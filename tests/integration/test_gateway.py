"""The device gateway with real MQTT clients: mosquitto_pub/mosquitto_sub and paho-mqtt, against
a real `fleetguard serve`, with certificates created through the AWS API (boto3).

Device endpoints are <prefix>-ats.iot.<region>.localhost (`fleetguard init --domain localhost`),
which resolve to loopback through libnss-myhostname (scripts/setup installs it). The clients
verify the server certificate against the data directory's root CA and send the endpoint as SNI.
"""

import hashlib
import json
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
from fgtest import FIXTURES, FG_BIN, DataDir, Server

CONNECT_TIMEOUT = 10


def mqtt_port(server):
    return int(server.ports["mqtt"].rsplit(":", 1)[1])


def cert_id(pem_text):
    der = ssl.PEM_cert_to_DER_cert(pem_text)
    return hashlib.sha256(der).hexdigest()


class Device:
    """A paho client with a certificate; records CONNACK, disconnects and messages."""

    def __init__(self, server, account, cert_file, key_file, client_id, host=None,
                 protocol=mqtt.MQTTv311, weak=False):
        self.connack = threading.Event()
        self.gone = threading.Event()
        self.rc = None
        self.disconnected_at = None
        self.messages = []
        self.subscribed = threading.Event()
        ctx = ssl.create_default_context(cafile=account["rootCaFile"])
        if weak:
            # Lets the client present a SHA-1-signed fixture; the server is what must refuse it.
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        if cert_file:
            ctx.load_cert_chain(cert_file, key_file)
        self.client = mqtt.Client(client_id=client_id, protocol=protocol)
        self.client.tls_set_context(ctx)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, m.payload))
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.host = host or account["dataEndpoint"]
        self.port = mqtt_port(server)

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self.rc = rc if isinstance(rc, int) else rc.value
        self.connack.set()

    def _on_disconnect(self, client, userdata, rc, properties=None):
        if self.disconnected_at is None:
            self.disconnected_at = time.monotonic()
        self.gone.set()
        # Ends paho's network loop instead of letting it reconnect (no takeover fights).
        client.disconnect()

    def connect(self):
        """CONNACK's return code, or None if the connection ended without one."""
        try:
            self.client.connect(self.host, self.port, keepalive=60)
        except (ssl.SSLError, OSError):
            return None
        self.client.loop_start()
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while time.monotonic() < deadline:
            if self.connack.wait(0.05):
                return self.rc
            if self.gone.is_set():
                return None
        return None

    def subscribe(self, topic):
        self.subscribed.clear()
        self.client.subscribe(topic, qos=1)
        assert self.subscribed.wait(CONNECT_TIMEOUT), "no SUBACK"

    def wait_message(self, timeout=CONNECT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.messages:
            time.sleep(0.02)
        return self.messages[0] if self.messages else None

    def close(self):
        self.client.loop_stop()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class GatewayTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.other = cls.data.create_account("other")
        cls.server = Server(cls.data)
        cls.iot = boto3_client(cls.server, cls.account)
        cls.iot_other = boto3_client(cls.server, cls.other)
        cls.work = tempfile.mkdtemp(prefix="fg-gw-")
        cls.devices = []

    @classmethod
    def tearDownClass(cls):
        try:
            # Stopped with devices still connected: their sessions end as the server's.
            cls.server.stop()
            for d in cls.devices:
                d.close()
            cls._check_connection_log()
        finally:
            cls.data.cleanup()

    # The connection log, read with sqlite3 after the server stopped: every session closed with
    # AWS's reasons, every refusal recorded. (tearDownClass failures are reported as errors.)
    @classmethod
    def _check_connection_log(cls):
        db = sqlite3.connect(os.path.join(cls.data.path, "fleetguard.db"))
        try:
            open_rows = db.execute(
                "SELECT COUNT(*) FROM sessions WHERE disconnect_ms IS NULL").fetchone()[0]
            sessions = db.execute(
                "SELECT account_id, client_id, disconnect_reason, source_ip, node_id, "
                "connect_ms <= last_packet_ms AND last_packet_ms <= disconnect_ms FROM sessions"
            ).fetchall()
            refused = {r[0] for r in db.execute("SELECT reason FROM refused_connections")}
        finally:
            db.close()
        if open_rows:
            raise AssertionError(f"{open_rows} sessions left open after stop")
        reasons = {r[2] for r in sessions}
        for expected in ("CLIENT_INITIATED_DISCONNECT", "DUPLICATE_CLIENTID", "AUTH_ERROR",
                         "SERVER_INITIATED_DISCONNECT"):
            if expected not in reasons:
                raise AssertionError(f"no session closed with {expected}: {reasons}")
        for row in sessions:
            if row[3] != "127.0.0.1" or not row[4].startswith("node-") or row[5] != 1:
                raise AssertionError(f"bad session row {row}")
        for expected in ("NO_CLIENT_CERTIFICATE", "CERTIFICATE_NOT_REGISTERED",
                         "CERTIFICATE_INACTIVE", "CERTIFICATE_REVOKED", "CERTIFICATE_EXPIRED",
                         "UNSUPPORTED_SIGNATURE_ALGORITHM", "JITR_REGISTERED", "CA_INACTIVE"):
            if expected not in refused:
                raise AssertionError(f"no refused connection with {expected}: {refused}")

    def new_device(self, iot=None, status=True):
        created = (iot or self.iot).create_keys_and_certificate(setAsActive=status)
        base = os.path.join(self.work, created["certificateId"][:16])
        with open(base + ".pem", "w") as f:
            f.write(created["certificatePem"])
        with open(base + ".key", "w") as f:
            f.write(created["keyPair"]["PrivateKey"])
        return created["certificateId"], base + ".pem", base + ".key"

    def device(self, cert, key, client_id, account=None, **kw):
        d = Device(self.server, account or self.account, cert, key, client_id, **kw)
        self.devices.append(d)
        return d

    def rows(self, sql, *params):
        db = sqlite3.connect(os.path.join(self.data.path, "fleetguard.db"))
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def wait_rows(self, sql, *params, timeout=5, count=1):
        """The query's rows once there are at least `count` (or whatever there is at the
        timeout): the connection log is written asynchronously."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.rows(sql, *params)
            if len(rows) >= count or time.monotonic() > deadline:
                return rows
            time.sleep(0.1)

    # ---- publish / subscribe with mosquitto's clients ------------------------------------------

    def test_mosquitto_clients_publish_and_subscribe(self):
        _, sub_cert, sub_key = self.new_device()
        _, pub_cert, pub_key = self.new_device()
        common = ["-h", self.account["dataEndpoint"], "-p", str(mqtt_port(self.server)),
                  "--cafile", self.account["rootCaFile"]]
        sub = subprocess.Popen(
            ["mosquitto_sub", *common, "--cert", sub_cert, "--key", sub_key, "-i", "mosq-sub",
             "-t", "dt/+/temp", "-q", "1", "-C", "1", "-W", "15", "-v"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Wait until the subscriber's session is in the connection log, then a little for
            # its SUBSCRIBE.
            self.assertTrue(self.wait_rows(
                "SELECT 1 FROM sessions WHERE client_id='mosq-sub'", timeout=10))
            time.sleep(0.5)
            pub = subprocess.run(
                ["mosquitto_pub", *common, "--cert", pub_cert, "--key", pub_key, "-i", "mosq-pub",
                 "-t", "dt/kitchen/temp", "-m", '{"t":21.5}', "-q", "1"],
                capture_output=True, text=True, timeout=30)
            self.assertEqual(pub.returncode, 0, pub.stderr)
            out, err = sub.communicate(timeout=20)
        finally:
            if sub.poll() is None:
                sub.kill()
        self.assertEqual(sub.returncode, 0, err)
        self.assertEqual(out.strip(), 'dt/kitchen/temp {"t":21.5}')

    def test_mosquitto_pub_is_told_not_authorised(self):
        cid, cert, key = self.new_device()
        self.iot.update_certificate(certificateId=cid, newStatus="INACTIVE")
        pub = subprocess.run(
            ["mosquitto_pub", "-h", self.account["dataEndpoint"], "-p",
             str(mqtt_port(self.server)), "--cafile", self.account["rootCaFile"], "--cert", cert,
             "--key", key, "-i", "inactive-pub", "-t", "x", "-m", "y"],
            capture_output=True, text=True, timeout=30)
        self.assertNotEqual(pub.returncode, 0)
        self.assertIn("not authori", pub.stderr.lower())

    # ---- refusals -------------------------------------------------------------------------------

    def test_refused_devices(self):
        _, active_cert, active_key = self.new_device()
        inactive_id, inactive_cert, inactive_key = self.new_device(status=False)
        revoked_id, revoked_cert, revoked_key = self.new_device()
        self.iot.update_certificate(certificateId=revoked_id, newStatus="REVOKED")
        other_id, other_cert, other_key = self.new_device(iot=self.iot_other)
        fx = lambda name: (os.path.join(FIXTURES, name + ".pem"), os.path.join(FIXTURES, name + ".key"))
        cases = [
            ("unregistered", *fx("device-rsa-1"), {}),
            ("registered in another account", other_cert, other_key, {}),
            ("inactive", inactive_cert, inactive_key, {}),
            ("revoked", revoked_cert, revoked_key, {}),
            # SHA-1 and expired certificates cannot be registered through the API; presented,
            # they are refused (unit tests cover the policy path on registered ones).
            ("expired fixture", *fx("device-expired"), {}),
            ("SHA-1 fixture", *fx("device-sha1"), {"weak": True}),
            ("right certificate, other account's SNI", active_cert, active_key,
             {"host": self.other["dataEndpoint"]}),
        ]
        for name, cert, key, kw in cases:
            for protocol, code in ((mqtt.MQTTv311, 5), (mqtt.MQTTv5, 135)):
                with self.subTest(name, protocol=protocol):
                    d = self.device(cert, key, "refused-" + name[:8].replace(" ", "-"),
                                    protocol=protocol, **kw)
                    self.assertEqual(d.connect(), code)
                    self.assertTrue(d.gone.wait(5), "connection not closed after the refusal")
        # The right certificate with its own SNI is fine.
        ok = self.device(active_cert, active_key, "refusal-control")
        self.assertEqual(ok.connect(), 0)
        reasons = {r[0] for r in self.wait_rows(
            "SELECT reason FROM refused_connections WHERE certificate_id=?", revoked_id)}
        self.assertEqual(reasons, {"CERTIFICATE_REVOKED"})

    def test_no_client_certificate_is_refused_at_the_handshake(self):
        d = self.device(None, None, "no-cert")
        self.assertIsNone(d.connect())
        self.assertTrue(self.wait_rows(
            "SELECT 1 FROM refused_connections WHERE reason='NO_CLIENT_CERTIFICATE'"))

    def test_deactivated_ca_refuses_its_devices(self):
        ca_id, ca_dir = self.register_ca(auto_registration=False)
        cert, key = self.issue(ca_dir, "ca-device")
        with open(cert) as f:
            pem = f.read()
        with open(os.path.join(ca_dir, "ca.pem")) as f:
            ca_pem = f.read()
        self.iot.register_certificate(certificatePem=pem, caCertificatePem=ca_pem, setAsActive=True)
        d = self.device(cert, key, "ca-device-1")
        self.assertEqual(d.connect(), 0)
        self.iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
        self.assertTrue(d.gone.wait(2), "live session not dropped when its CA was deactivated")
        again = self.device(cert, key, "ca-device-2")
        self.assertEqual(again.connect(), 5)

    def test_registration_and_deletion_take_effect_at_once(self):
        ca_id, ca_dir = self.register_ca(auto_registration=False)
        cert, key = self.issue(ca_dir, "late-device")
        with open(cert) as f:
            pem = f.read()
        with open(os.path.join(ca_dir, "ca.pem")) as f:
            ca_pem = f.read()
        new_id = cert_id(pem)
        # Refused while unregistered, which leaves "not registered" in the gateway's cache (it
        # would serve that for seconds if the registry did not announce the registration).
        self.assertEqual(self.device(cert, key, "late-1").connect(), 5)
        self.iot.register_certificate(certificatePem=pem, caCertificatePem=ca_pem,
                                      setAsActive=True)
        self.assertEqual(self.device(cert, key, "late-2").connect(), 0)
        self.iot.update_certificate(certificateId=new_id, newStatus="INACTIVE")
        # Refused as INACTIVE, which is cached too (minutes), until the deletion is announced.
        self.assertEqual(self.device(cert, key, "late-3").connect(), 5)
        self.iot.delete_certificate(certificateId=new_id)
        self.assertEqual(self.device(cert, key, "late-4").connect(), 5)
        rows = self.wait_rows("SELECT reason FROM refused_connections WHERE certificate_id=?",
                              new_id, count=3)
        self.assertEqual(sorted(r[0] for r in rows),
                         ["CERTIFICATE_INACTIVE", "CERTIFICATE_NOT_REGISTERED",
                          "CERTIFICATE_NOT_REGISTERED"])

    def test_refused_client_id_gets_a_connect_failed_event(self):
        _, watcher_cert, watcher_key = self.new_device()
        watcher = self.device(watcher_cert, watcher_key, "cf-watcher")
        self.assertEqual(watcher.connect(), 0)
        watcher.subscribe("$aws/events/presence/connect_failed/+")
        inactive_id, cert, key = self.new_device(status=False)
        for protocol in (mqtt.MQTTv311, mqtt.MQTTv5):
            with self.subTest(protocol=protocol):
                watcher.messages.clear()
                refused = self.device(cert, key, "cf-inactive", protocol=protocol)
                self.assertIn(refused.connect(), (5, 135))
                message = watcher.wait_message()
                self.assertIsNotNone(message, "no connect_failed event")
                self.assertEqual(message[0], "$aws/events/presence/connect_failed/cf-inactive")
                event = json.loads(message[1])
                self.assertEqual(event["clientId"], "cf-inactive")
                self.assertEqual(event["eventType"], "connect_failed")
                self.assertEqual(event["connectFailureReason"], "AUTHORIZATION_FAILED")
                self.assertEqual(event["principalIdentifier"], inactive_id)
                self.assertEqual(event["ipAddress"], "127.0.0.1")
                self.assertTrue(event["sessionIdentifier"])
                self.assertIsInstance(event["timestamp"], int)
        # None for an accepted client, nor for a refusal in another account, nor for a client
        # id that cannot be a topic level; a control event after them shows they were not sent.
        watcher.messages.clear()
        _, ok_cert, ok_key = self.new_device()
        self.assertEqual(self.device(ok_cert, ok_key, "cf-accepted").connect(), 0)
        _, other_cert, other_key = self.new_device(iot=self.iot_other, status=False)
        self.assertEqual(
            self.device(other_cert, other_key, "cf-other", account=self.other).connect(), 5)
        self.assertEqual(self.device(cert, key, "cf+wild").connect(), 5)
        self.assertEqual(self.device(cert, key, "cf-control").connect(), 5)
        message = watcher.wait_message()
        self.assertIsNotNone(message, "no connect_failed event for the control")
        self.assertEqual([m[0] for m in watcher.messages],
                         ["$aws/events/presence/connect_failed/cf-control"])

    # ---- multi-account, JITR, takeover, revocation -----------------------------------------------

    def test_sni_only_certificate_reaches_each_account_by_its_host_name(self):
        cert = os.path.join(FIXTURES, "device-ec-1.pem")
        key = os.path.join(FIXTURES, "device-ec-1.key")
        with open(cert) as f:
            pem = f.read()
        for iot in (self.iot, self.iot_other):
            iot.register_certificate_without_ca(certificatePem=pem, status="ACTIVE")
        for account in (self.account, self.other):
            d = self.device(cert, key, "sni-only-" + account["accountId"], account=account)
            self.assertEqual(d.connect(), 0, account["dataEndpoint"])
        rows = self.wait_rows(
            "SELECT DISTINCT account_id FROM sessions WHERE certificate_id=?", cert_id(pem),
            count=2)
        self.assertEqual({r[0] for r in rows},
                         {self.account["accountId"], self.other["accountId"]})

    def test_just_in_time_registration(self):
        ca_id, ca_dir = self.register_ca(auto_registration=True)
        _, watcher_cert, watcher_key = self.new_device()
        watcher = self.device(watcher_cert, watcher_key, "jitr-watcher")
        self.assertEqual(watcher.connect(), 0)
        watcher.subscribe(f"$aws/events/certificates/registered/{ca_id}")
        cert, key = self.issue(ca_dir, "jitr-device")
        with open(cert) as f:
            new_id = cert_id(f.read())
        d = self.device(cert, key, "jitr-device")
        self.assertEqual(d.connect(), 5)
        described = self.iot.describe_certificate(certificateId=new_id)["certificateDescription"]
        self.assertEqual(described["status"], "PENDING_ACTIVATION")
        self.assertEqual(described["caCertificateId"], ca_id)
        message = watcher.wait_message()
        self.assertIsNotNone(message, "no registered event")
        event = json.loads(message[1])
        self.assertEqual(event["certificateId"], new_id)
        self.assertEqual(event["caCertificateId"], ca_id)
        self.assertEqual(event["certificateStatus"], "PENDING_ACTIVATION")
        self.assertEqual(event["awsAccountId"], self.account["accountId"])

    def test_same_client_id_takes_over(self):
        _, cert1, key1 = self.new_device()
        _, cert2, key2 = self.new_device()
        first = self.device(cert1, key1, "twin")
        self.assertEqual(first.connect(), 0)
        second = self.device(cert2, key2, "twin")
        self.assertEqual(second.connect(), 0)
        self.assertTrue(first.gone.wait(5), "the older connection was not dropped")
        self.assertFalse(second.gone.is_set())
        rows = self.wait_rows("SELECT disconnect_reason FROM sessions WHERE client_id='twin' "
                              "AND disconnect_reason='DUPLICATE_CLIENTID'")
        self.assertEqual(len(rows), 1)

    def test_revoked_certificate_loses_its_live_session_within_a_second(self):
        cid, cert, key = self.new_device()
        d = self.device(cert, key, "soon-revoked", protocol=mqtt.MQTTv5)
        self.assertEqual(d.connect(), 0)
        self.iot.update_certificate(certificateId=cid, newStatus="REVOKED")
        revoked_at = time.monotonic()
        self.assertTrue(d.gone.wait(1.0), "live session not dropped within a second")
        self.assertLess(d.disconnected_at - revoked_at, 1.0)
        # The session row exists from CONNACK on; its disconnect is written asynchronously.
        rows = self.wait_rows("SELECT disconnect_reason FROM sessions WHERE certificate_id=? "
                              "AND disconnect_reason != ''", cid)
        self.assertEqual(rows, [("AUTH_ERROR",)])

    # ---- helpers ----------------------------------------------------------------------------

    def register_ca(self, auto_registration):
        """A fresh CA registered (ACTIVE) in the first account; returns (caId, its directory)."""
        ca_dir = tempfile.mkdtemp(dir=self.work)
        code = self.iot.get_registration_code()["registrationCode"]
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                "-subj", f"/CN=gateway test CA {os.path.basename(ca_dir)}",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=ca_dir)
        self.issue(ca_dir, "verification", cn=code)
        with open(os.path.join(ca_dir, "ca.pem")) as f:
            ca_pem = f.read()
        with open(os.path.join(ca_dir, "verification.pem")) as f:
            verification = f.read()
        out = self.iot.register_ca_certificate(
            caCertificate=ca_pem, verificationCertificate=verification, setAsActive=True,
            allowAutoRegistration=auto_registration)
        return out["certificateId"], ca_dir

    def issue(self, ca_dir, name, cn=None):
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", f"/CN={cn or name}",
                cwd=ca_dir)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "30", "-sha256", "-out", name + ".pem", cwd=ca_dir)
        return os.path.join(ca_dir, name + ".pem"), os.path.join(ca_dir, name + ".key")


if __name__ == "__main__":
    unittest.main()
