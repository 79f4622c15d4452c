"""Shared harness for fleetguard's integration tests.

Starts the real `fleetguard` binary on a fresh data directory with port 0, reads the ports it
prints, and stops it at the end. Nothing here fakes fleetguard: tests talk to it over sockets
with real clients.
"""

import collections
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import select
import time
import unittest

FG_BIN = os.environ.get("FG_BIN", "")
SOURCE_DIR = os.environ.get("FG_SOURCE_DIR", os.path.abspath(os.path.join(__file__, "..", "..", "..")))
FIXTURES = os.path.join(SOURCE_DIR, "tests", "fixtures", "pki")


def run_cli(*args, check=True, timeout=60):
    """Runs `fleetguard ARGS`; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([FG_BIN, *args], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"fleetguard {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


class DataDir:
    """A temporary, initialised data directory."""

    def __init__(self, region="us-east-1", domain="localhost"):
        self.path = tempfile.mkdtemp(prefix="fg-it-")
        self.region = region
        self.domain = domain
        out = run_cli("init", "--data-dir", self.path, "--region", region, "--domain", domain)
        self.first_account = json.loads(out.stdout)

    def create_account(self, name):
        out = run_cli("account", "create", "--data-dir", self.path, "--name", name)
        return json.loads(out.stdout)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


class Server:
    """A running `fleetguard serve` on loopback with port-0 listeners."""

    def __init__(self, data_dir, *extra_args, preexec_fn=None, env=None):
        self.data_dir = data_dir
        self.proc = subprocess.Popen(
            [FG_BIN, "serve", "--data-dir", data_dir.path, "--api-listen", "127.0.0.1:0",
             "--mqtt-listen", "127.0.0.1:0", *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn,
            env=env)
        line = self._read_ports_line(timeout=30)
        self.ports = json.loads(line)
        # Keep reading both pipes, so that a server that logs a lot never blocks on a full pipe;
        # the tail of stderr is kept for failure messages.
        self.stderr_tail = collections.deque(maxlen=200)
        self._drains = [
            threading.Thread(target=self._drain, args=(self.proc.stdout, None), daemon=True),
            threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_tail),
                             daemon=True)]
        for t in self._drains:
            t.start()

    @staticmethod
    def _drain(stream, keep):
        for line in iter(stream.readline, ""):
            if keep is not None:
                keep.append(line)

    def _read_ports_line(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line:
                    return line
            if self.proc.poll() is not None:
                raise AssertionError(f"fleetguard serve exited early: {self.proc.stderr.read()}")
        self.proc.kill()
        raise AssertionError("fleetguard serve printed no ports line in time")

    @property
    def api_url(self):
        return f"http://{self.ports['api']}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in getattr(self, "_drains", []):
            t.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
        return self.proc.returncode


class FleetguardTestCase(unittest.TestCase):
    """Base class: one data directory per test class."""

    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()

    @classmethod
    def tearDownClass(cls):
        cls.data.cleanup()
