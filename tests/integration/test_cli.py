"""The `fleetguard` command-line contract: init, account create, serve, and their errors."""

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import unittest

from fgtest import FG_BIN, DataDir, Server, run_cli

EXPECTED_KEYS = {"accountId", "region", "accessKeyId", "secretAccessKey", "dataEndpoint", "rootCaFile"}


class InitTest(unittest.TestCase):
    def setUp(self):
        self.data = DataDir(region="eu-west-1", domain="example.test")

    def tearDown(self):
        self.data.cleanup()

    def test_prints_the_first_account(self):
        acct = self.data.first_account
        self.assertEqual(set(acct), EXPECTED_KEYS)
        self.assertRegex(acct["accountId"], r"^[0-9]{12}$")
        self.assertEqual(acct["region"], "eu-west-1")
        self.assertRegex(acct["accessKeyId"], r"^AKIA[A-Z0-9]{16}$")
        self.assertGreaterEqual(len(acct["secretAccessKey"]), 40)
        self.assertRegex(acct["dataEndpoint"], r"^[a-z0-9]{14}-ats\.iot\.eu-west-1\.example\.test$")
        self.assertTrue(os.path.isfile(acct["rootCaFile"]))

    def test_root_ca_verifies_the_server_certificate_for_the_data_endpoint(self):
        acct = self.data.first_account
        server_cert = os.path.join(self.data.path, "pki", "server.pem")
        proc = subprocess.run(["openssl", "verify", "-CAfile", acct["rootCaFile"],
                               "-verify_hostname", acct["dataEndpoint"], server_cert],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_private_keys_are_private(self):
        for name in os.listdir(os.path.join(self.data.path, "pki")):
            if name.endswith(".key"):
                mode = stat.S_IMODE(os.stat(os.path.join(self.data.path, "pki", name)).st_mode)
                self.assertEqual(mode & 0o077, 0, f"{name} is readable by others: {oct(mode)}")

    def test_second_init_changes_nothing_and_says_so(self):
        db = os.path.join(self.data.path, "fleetguard.db")
        before = {n: os.stat(os.path.join(self.data.path, "pki", n)).st_mtime_ns
                  for n in os.listdir(os.path.join(self.data.path, "pki"))}
        with open(db, "rb") as f:
            db_before = f.read()
        proc = run_cli("init", "--data-dir", self.data.path)
        self.assertEqual(proc.stdout, "")
        self.assertIn("already initialised", proc.stderr)
        after = {n: os.stat(os.path.join(self.data.path, "pki", n)).st_mtime_ns
                 for n in os.listdir(os.path.join(self.data.path, "pki"))}
        self.assertEqual(before, after)
        with open(db, "rb") as f:
            self.assertEqual(db_before, f.read())

    def test_account_create_gives_a_distinct_account(self):
        other = self.data.create_account("second")
        self.assertEqual(set(other), EXPECTED_KEYS)
        first = self.data.first_account
        self.assertNotEqual(other["accountId"], first["accountId"])
        self.assertNotEqual(other["accessKeyId"], first["accessKeyId"])
        self.assertNotEqual(other["dataEndpoint"], first["dataEndpoint"])
        self.assertEqual(other["rootCaFile"], first["rootCaFile"])


class ErrorTest(unittest.TestCase):
    def test_unknown_flag(self):
        proc = run_cli("init", "--no-such-flag", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(proc.stderr.strip())

    def test_account_create_on_uninitialised_dir(self):
        d = tempfile.mkdtemp()
        try:
            proc = run_cli("account", "create", "--data-dir", d, "--name", "x", check=False)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("not initialised", proc.stderr)
            self.assertEqual(os.listdir(d), [], "a failed command left files behind")
        finally:
            shutil.rmtree(d)

    def test_unwritable_data_dir(self):
        proc = run_cli("init", "--data-dir", "/proc/fleetguard-cannot-be-here", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(proc.stderr.strip())

    def test_bad_region(self):
        d = tempfile.mkdtemp()
        try:
            proc = run_cli("init", "--data-dir", d, "--region", "Not A Region!", check=False)
            self.assertNotEqual(proc.returncode, 0)
            self.assertEqual(os.listdir(d), [])
        finally:
            shutil.rmtree(d)

    def test_corrupt_database(self):
        data = DataDir()
        try:
            with open(os.path.join(data.path, "fleetguard.db"), "r+b") as f:
                f.write(b"this is not a sqlite database at all" * 100)
            proc = run_cli("account", "create", "--data-dir", data.path, "--name", "x", check=False)
            self.assertNotEqual(proc.returncode, 0)
            self.assertRegex(proc.stderr, re.compile("corrupt|not a (fleetguard|database)", re.I))
            proc = subprocess.run([FG_BIN, "serve", "--data-dir", data.path], capture_output=True,
                                  text=True, timeout=30)
            self.assertNotEqual(proc.returncode, 0)
        finally:
            data.cleanup()


class ServeTest(unittest.TestCase):
    def test_serve_prints_ports_and_stops_on_sigterm(self):
        data = DataDir()
        try:
            server = Server(data)
            self.assertRegex(server.ports["api"], r"^127\.0\.0\.1:[1-9][0-9]*$")
            self.assertRegex(server.ports["mqtt"], r"^127\.0\.0\.1:[1-9][0-9]*$")
            self.assertEqual(server.stop(), 0)
        finally:
            data.cleanup()

    def test_serve_refuses_an_uninitialised_dir(self):
        d = tempfile.mkdtemp()
        try:
            proc = subprocess.run([FG_BIN, "serve", "--data-dir", d], capture_output=True,
                                  text=True, timeout=30)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("not initialised", proc.stderr)
        finally:
            shutil.rmtree(d)


    def test_serve_prints_only_the_listeners_it_runs(self):
        data = DataDir()
        try:
            server = Server(data)
            self.assertEqual(set(server.ports), {"api", "mqtt"})
            self.assertEqual(server.stop(), 0)
            server = Server(data, "--mqtt-alpn-listen", "127.0.0.1:0")
            self.assertEqual(set(server.ports), {"api", "mqtt", "mqttAlpn"})
            self.assertRegex(server.ports["mqttAlpn"], r"^127\.0\.0\.1:[1-9][0-9]*$")
            self.assertEqual(server.stop(), 0)
        finally:
            data.cleanup()


class ServeConfigTest(unittest.TestCase):
    """serve --config: a bad file fails the start (exit 2) with one line naming the key, before
    anything listens. The accepted keys and their effect are tested in test_hostile_clients."""

    @classmethod
    def setUpClass(cls):
        cls.data = DataDir()
        cls.work = tempfile.mkdtemp(prefix="fg-config-")

    @classmethod
    def tearDownClass(cls):
        cls.data.cleanup()
        shutil.rmtree(cls.work, ignore_errors=True)

    def serve(self, config_text):
        path = os.path.join(self.work, "serve.json")
        with open(path, "w") as f:
            f.write(config_text)
        return subprocess.run(
            [FG_BIN, "serve", "--data-dir", self.data.path, "--api-listen", "127.0.0.1:0",
             "--mqtt-listen", "127.0.0.1:0", "--config", path],
            capture_output=True, text=True, timeout=30)

    def test_bad_configurations_are_refused_naming_the_key(self):
        cases = [
            ('{"mqtt": {"handshakeDeadlin": "5s"}}', "unknown key mqtt.handshakeDeadlin"),
            ('{"mqt": {}}', "unknown key mqt"),
            ('{"mqtt": {"maxPacketSize": 10}}', "mqtt.maxPacketSize is out of range 64.."),
            ('{"mqtt": {"maxConnections": 0}}', "mqtt.maxConnections is out of range"),
            ('{"mqtt": {"handshakeDeadline": 5}}', "mqtt.handshakeDeadline must be a duration"),
            ('{"mqtt": {"handshakeDeadline": "20m"}}', "mqtt.handshakeDeadline is out of range"),
            ('{"mqtt": {"maxPayload": 4096, "maxPacketSize": 1024}}',
             "mqtt.maxPayload (4096) must not exceed mqtt.maxPacketSize (1024)"),
            ('{"http": {"maxBodyBytes": "1MB"}}', "http.maxBodyBytes must be an integer"),
            ('{"http": {"headerDeadline": "50ms"}}', "http.headerDeadline is out of range"),
            ('{"auditSettleLag": "later"}', "auditSettleLag must be a duration"),
            ("not json", "not a JSON object"),
        ]
        for text, message in cases:
            with self.subTest(text):
                proc = self.serve(text)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(proc.stdout, "", "printed a ports line")
                self.assertIn(message, proc.stderr)
                self.assertIn("serve.json", proc.stderr)

    def test_missing_config_file_is_refused(self):
        proc = subprocess.run(
            [FG_BIN, "serve", "--data-dir", self.data.path, "--config",
             os.path.join(self.work, "absent.json")], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot open", proc.stderr)

    def test_a_valid_configuration_is_accepted_and_logged(self):
        path = os.path.join(self.work, "good.json")
        with open(path, "w") as f:
            json.dump({"mqtt": {"maxConnections": 50, "handshakeDeadline": "2s"},
                       "http": {"maxConnections": 7}}, f)
        server = Server(self.data, "--config", path)
        try:
            deadline = time.monotonic() + 10
            while "max connections" not in "".join(server.stderr_tail):
                self.assertLess(time.monotonic(), deadline, "no max connections line logged")
                time.sleep(0.1)
            self.assertIn("max connections: mqtt 50 per listener (configured), http 7 (configured)",
                          "".join(server.stderr_tail))
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
