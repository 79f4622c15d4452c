"""Crash safety: `fleetguard serve` killed with SIGKILL at random moments while boto3 writes to the
registry and paho devices hold sessions, then restarted on the same data directory.

Checked after every kill and restart:
  - every write the API acknowledged is there with the acknowledged state (a write that was in
    flight when the process died may or may not be; both outcomes are accepted, and the one
    found is what later rounds build on);
  - `PRAGMA integrity_check` on fleetguard.db, opened read-only while no server runs, says ok;
  - the sessions the dead node left open are closed with CONNECTION_LOST once it is back, before
    any device reconnects; after the final clean stop no session is open.

The kill moments come from a seeded RNG; the seed is printed and FG_CRASH_SEED replays it.
"""

import os
import random
import signal
import sqlite3
import tempfile
import threading
import time
import unittest

import botocore.exceptions

from awsclients import boto3_client
from fgtest import FG_BIN, DataDir, Server
from test_gateway import Device

ROUNDS = 8
DEVICE_CERTS = 3
# Each round writes for a random time in this range (seconds) before the kill.
KILL_AFTER = (0.4, 2.5)
CERT_STATES = ("ACTIVE", "INACTIVE")


def open_readonly(db_path):
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def query(db_path, sql, *params):
    db = open_readonly(db_path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


class Ledger:
    """What the API acknowledged, and the one write that may have been in flight at the kill."""

    def __init__(self):
        self.certs = {}          # certificateId -> acknowledged status
        self.things = set()      # acknowledged thing names
        self.pending_cert = None  # (certificateId, status) of an unacknowledged update
        self.pending_thing = None
        self.acked = 0


class Writer(threading.Thread):
    """Sequential API writes until the server dies; records each acknowledged one."""

    def __init__(self, iot, rng, ledger, round_no):
        super().__init__(daemon=True)
        self.iot, self.rng, self.ledger, self.round_no = iot, rng, ledger, round_no
        self.unexpected = None  # an API error that is not the connection dying

    def run(self):
        n = 0
        try:
            while True:
                n += 1
                self.step(n)
        except (botocore.exceptions.EndpointConnectionError,
                botocore.exceptions.ConnectionClosedError,
                botocore.exceptions.ReadTimeoutError,
                botocore.exceptions.HTTPClientError):
            return  # the server was killed mid-request
        except Exception as e:  # noqa: BLE001 -- reported by the test thread
            self.unexpected = e

    def step(self, n):
        ledger = self.ledger
        op = self.rng.choice(("create_cert", "update_cert", "update_cert", "create_thing"))
        if op == "update_cert" and ledger.certs:
            cid = self.rng.choice(sorted(ledger.certs))
            status = "INACTIVE" if ledger.certs[cid] == "ACTIVE" else "ACTIVE"
            ledger.pending_cert = (cid, status)
            self.iot.update_certificate(certificateId=cid, newStatus=status)
            ledger.certs[cid] = status
            ledger.pending_cert = None
        elif op == "create_thing":
            name = f"crash-thing-{self.round_no}-{n}"
            ledger.pending_thing = name
            self.iot.create_thing(thingName=name)
            ledger.things.add(name)
            ledger.pending_thing = None
        else:
            active = self.rng.random() < 0.5
            created = self.iot.create_keys_and_certificate(setAsActive=active)
            ledger.certs[created["certificateId"]] = "ACTIVE" if active else "INACTIVE"
        ledger.acked += 1


class CrashSafetyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.db_path = os.path.join(cls.data.path, "fleetguard.db")
        cls.work = tempfile.mkdtemp(prefix="fg-crash-")
        cls.devices = []

    @classmethod
    def tearDownClass(cls):
        for d in cls.devices:
            d.close()
        cls.data.cleanup()

    def device_certs(self, iot):
        out = []
        for i in range(DEVICE_CERTS):
            created = iot.create_keys_and_certificate(setAsActive=True)
            base = os.path.join(self.work, f"device-{i}")
            with open(base + ".pem", "w") as f:
                f.write(created["certificatePem"])
            with open(base + ".key", "w") as f:
                f.write(created["keyPair"]["PrivateKey"])
            out.append((base + ".pem", base + ".key"))
        return out

    def connect_devices(self, server, certs, round_no, count):
        connected = 0
        for i in range(count):
            cert, key = certs[i % len(certs)]
            d = Device(server, self.account, cert, key, f"crash-r{round_no}-{i}")
            self.devices.append(d)
            if d.connect() == 0:
                connected += 1
        return connected

    def check_ledger(self, iot, ledger):
        """Every acknowledged write is there; resolves the in-flight one to what was found."""
        pending_cert, pending_thing = ledger.pending_cert, ledger.pending_thing
        for cid, status in sorted(ledger.certs.items()):
            found = iot.describe_certificate(certificateId=cid)["certificateDescription"]["status"]
            allowed = {status}
            if pending_cert and pending_cert[0] == cid:
                allowed.add(pending_cert[1])
            self.assertIn(found, allowed, f"certificate {cid}: acknowledged {status}")
            ledger.certs[cid] = found
        for name in sorted(ledger.things):
            self.assertEqual(iot.describe_thing(thingName=name)["thingName"], name)
        if pending_thing:
            try:
                iot.describe_thing(thingName=pending_thing)
                ledger.things.add(pending_thing)
            except iot.exceptions.ResourceNotFoundException:
                pass
        ledger.pending_cert = ledger.pending_thing = None

    def assert_integrity(self, when):
        rows = query(self.db_path, "PRAGMA integrity_check")
        self.assertEqual(rows, [("ok",)], f"integrity_check {when}")

    def test_acknowledged_writes_survive_sigkill(self):
        seed = int(os.environ.get("FG_CRASH_SEED", str(random.SystemRandom().randrange(2**32))))
        print(f"\ncrash-safety seed: FG_CRASH_SEED={seed}", flush=True)
        rng = random.Random(seed)
        ledger = Ledger()
        node_id = None
        left_open_total = 0
        server = Server(self.data)
        try:
            iot = boto3_client(server, self.account)
            certs = self.device_certs(iot)
            for round_no in range(ROUNDS):
                with self.subTest(round=round_no):
                    self.assertEqual(self.connect_devices(server, certs, round_no, 2), 2)
                    writer = Writer(iot, random.Random(rng.random()), ledger, round_no)
                    writer.start()
                    # More devices arrive while the writes run, so some kills land mid-connect.
                    late = threading.Thread(
                        target=self.connect_devices, args=(server, certs, f"{round_no}l", 3),
                        daemon=True)
                    late.start()
                    time.sleep(rng.uniform(*KILL_AFTER))
                    server.proc.send_signal(signal.SIGKILL)
                    server.proc.wait(timeout=10)
                    server.stop()
                    writer.join(timeout=30)
                    late.join(timeout=30)
                    self.assertFalse(writer.is_alive(), "writer did not notice the kill")
                    self.assertIsNone(writer.unexpected, f"API error: {writer.unexpected!r}")

                    self.assert_integrity(f"after the kill in round {round_no}")
                    left_open = query(self.db_path, "SELECT session_id, node_id FROM sessions "
                                      "WHERE disconnect_ms IS NULL")
                    left_open_total += len(left_open)
                    for _, node in left_open:
                        node_id = node_id or node
                        self.assertEqual(node, node_id, "sessions of another node")

                    server = Server(self.data)
                    iot = boto3_client(server, self.account)
                    # Closed at start-up, before the ports line: nothing open, nothing reopened.
                    for session_id, _ in left_open:
                        self.assertEqual(
                            query(self.db_path, "SELECT disconnect_reason, disconnect_ms >= "
                                  "connect_ms FROM sessions WHERE session_id=?", session_id),
                            [("CONNECTION_LOST", 1)], f"session {session_id}")
                    self.assertEqual(query(self.db_path, "SELECT COUNT(*) FROM sessions WHERE "
                                           "disconnect_ms IS NULL"), [(0,)])
                    self.check_ledger(iot, ledger)
            # Devices on the last server, then a clean stop: every session ends as the server's.
            self.assertEqual(self.connect_devices(server, certs, "final", 2), 2)
        finally:
            self.assertEqual(server.stop(), 0)
        self.assert_integrity("after the clean stop")
        self.assertEqual(query(self.db_path, "SELECT COUNT(*) FROM sessions WHERE "
                               "disconnect_ms IS NULL"), [(0,)])
        print(f"crash-safety: {ROUNDS} kills, {ledger.acked} acknowledged writes "
              f"({len(ledger.certs)} certificates, {len(ledger.things)} things), "
              f"{left_open_total} sessions left open and closed as CONNECTION_LOST", flush=True)
        # Otherwise the test would have proved nothing about either.
        self.assertGreater(ledger.acked, ROUNDS)
        self.assertGreater(left_open_total, 0)


if __name__ == "__main__":
    unittest.main()
