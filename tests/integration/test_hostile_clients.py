"""Hostile clients against a real `fleetguard serve`: each is cut off by a deadline or a limit
while normal clients (a boto3 call and a paho MQTT connect with a registered certificate) keep
being served.

The deadlines in force are the compiled-in defaults (docs/security.md section 2): `serve` has no
flag or --config value for them yet, so the deadline cases wait for the real ones (10 s each)
and check the close came neither early nor much late.
"""

import collections
import os
import resource
import selectors
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import unittest

from awsclients import boto3_client
from fgtest import FIXTURES, FG_BIN, DataDir, Server
from test_gateway import mqtt_port

# Defaults of net::MqttListenerOptions / mqtt::Limits / net::HttpServerOptions.
HANDSHAKE_DEADLINE = 10.0
CONNECT_DEADLINE = 10.0
REFUSAL_DEADLINE = 2.0
HEADER_DEADLINE = 10.0
BODY_LIMIT = 1024 * 1024
HEADER_LIMIT = 8 * 1024
MAX_PACKET_SIZE = 128 * 1024 + 2048  # whole packet; a 3-byte remaining length above 16 KiB
# How late a close may come on two busy cores, and how early (the client starts its clock a
# little after the server's accept).
LATE = 8.0
EARLY = 1.0
FLOOD = 2000


def raise_nofile(wanted):
    """Raises this process's soft RLIMIT_NOFILE (inherited by servers started later); returns
    the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def drain_output(server):
    """Reads the server's output (spdlog writes to stdout) so that a full pipe never blocks it;
    keeps the tail."""
    tail = collections.deque(maxlen=500)

    def run(stream):
        try:
            for line in stream:
                tail.append(line)
        except (OSError, ValueError):
            pass  # closed by Server.stop()

    for stream in (server.proc.stdout, server.proc.stderr):
        threading.Thread(target=run, args=(stream,), daemon=True).start()
    return tail


def host_port(address):
    host, port = address.rsplit(":", 1)
    return host, int(port)


def vbi(n):
    """MQTT's variable byte integer encoding of n."""
    out = bytearray()
    while True:
        n, digit = n >> 7, n & 0x7F
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def wait_closed(sock, timeout):
    """Seconds until the peer closed `sock` (EOF or reset), discarding whatever it sends; None
    if it is still open after `timeout`."""
    start = time.monotonic()
    while True:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            if not sock.recv(4096):
                return time.monotonic() - start
        except (socket.timeout, TimeoutError):
            return None
        except (ssl.SSLError, OSError):
            return time.monotonic() - start


def client_hello(server_name):
    """A real TLS ClientHello for `server_name`, as bytes (nothing is sent)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname=server_name)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class HostileClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        # Before the server starts, so that it inherits room for the flood too.
        cls.nofile = raise_nofile(FLOOD + 1024)
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.server = Server(cls.data)
        cls.log = drain_output(cls.server)
        cls.iot = boto3_client(cls.server, cls.account)
        cls.work = tempfile.mkdtemp(prefix="fg-hostile-")
        created = cls.iot.create_keys_and_certificate(setAsActive=True)
        cls.cert = os.path.join(cls.work, "device.pem")
        cls.key = os.path.join(cls.work, "device.key")
        with open(cls.cert, "w") as f:
            f.write(created["certificatePem"])
        with open(cls.key, "w") as f:
            f.write(created["keyPair"]["PrivateKey"])
        cls.normal_count = 0

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.data.cleanup()

    def tearDown(self):
        self.assertIsNone(self.server.proc.poll(),
                          "the server died: " + "".join(list(self.log)[-20:]))

    # ---- normal clients ---------------------------------------------------------------------

    def assert_served(self, server=None, iot=None):
        """A normal boto3 call and a normal MQTT connect (and QoS 1 publish) succeed now. The
        device is mosquitto_pub in its own process: with a flood's sockets open here, a client in
        this process would get a descriptor above 1023, which select() (paho) cannot watch."""
        server = server or self.server
        (iot or self.iot).list_things(maxResults=1)
        type(self).normal_count += 1
        pub = subprocess.run(
            ["mosquitto_pub", "-h", self.account["dataEndpoint"], "-p", str(mqtt_port(server)),
             "--cafile", self.account["rootCaFile"], "--cert", self.cert, "--key", self.key,
             "-i", f"normal-{self.normal_count}", "-t", "normal/t", "-m", "x", "-q", "1"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(pub.returncode, 0, "a normal device was not served: " + pub.stderr)

    # ---- connections ------------------------------------------------------------------------

    def mqtt_socket(self, server=None):
        return socket.create_connection(host_port((server or self.server).ports["mqtt"]),
                                        timeout=10)

    def api_socket(self):
        return socket.create_connection(host_port(self.server.ports["api"]), timeout=10)

    def tls_session(self, cert, key):
        """A completed mutual-TLS connection to the MQTT port with SNI, sending nothing."""
        ctx = ssl.create_default_context(cafile=self.account["rootCaFile"])
        ctx.load_cert_chain(cert, key)
        tls = ctx.wrap_socket(self.mqtt_socket(), server_hostname=self.account["dataEndpoint"])
        return tls

    def assert_cut_off(self, cases, deadline_of):
        """Waits for each (name, socket) of `cases` to be closed by the server, one after another
        (they run concurrently), and checks each close came at its deadline."""
        start = time.monotonic()
        for name, sock in cases:
            with self.subTest(name):
                deadline = deadline_of(name)
                left = deadline + LATE - (time.monotonic() - start)
                closed = wait_closed(sock, max(left, 0.1))
                sock.close()
                self.assertIsNotNone(closed, f"still open {deadline + LATE:.0f} s after start")
                elapsed = time.monotonic() - start
                self.assertGreaterEqual(elapsed, deadline - EARLY, "closed before its deadline")

    # ---- MQTT listener ----------------------------------------------------------------------

    def test_tls_handshake_that_stalls_is_cut_off_at_the_handshake_deadline(self):
        hello = client_hello(self.account["dataEndpoint"])
        self.assertGreater(len(hello), 100)
        cases = []
        for name, data in (("nothing sent", b""),
                           ("half a ClientHello", hello[:len(hello) // 2]),
                           ("whole ClientHello, then silence", hello),
                           ("a TLS record header only", hello[:5])):
            sock = self.mqtt_socket()
            sock.sendall(data)
            cases.append((name, sock))
        self.assert_served()
        self.assert_cut_off(cases, lambda name: HANDSHAKE_DEADLINE)
        self.assert_served()

    def test_tls_without_connect_is_cut_off_at_the_connect_deadline(self):
        unregistered = (os.path.join(FIXTURES, "device-rsa-1.pem"),
                        os.path.join(FIXTURES, "device-rsa-1.key"))
        cases = [("registered device, no CONNECT", self.tls_session(self.cert, self.key)),
                 ("unregistered certificate, no CONNECT", self.tls_session(*unregistered))]
        self.assert_served()
        deadlines = {cases[0][0]: CONNECT_DEADLINE, cases[1][0]: REFUSAL_DEADLINE}
        self.assert_cut_off(cases, deadlines.get)
        self.assert_served()

    def test_huge_remaining_length_is_refused_before_buffering(self):
        cases = [
            # CONNECT announcing 268,435,455 bytes (the largest VBI), then a little of it.
            ("largest remaining length", bytes([0x10, 0xFF, 0xFF, 0xFF, 0x7F]) + b"\x00" * 64),
            # One byte over the default max_packet_size (128 KiB + 2 KiB, header included).
            ("just over max_packet_size", b"\x10" + vbi(MAX_PACKET_SIZE - 4 + 1)),
            ("a five-byte remaining length", bytes([0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])),
            ("PUBLISH before CONNECT, 200 MB", bytes([0x30, 0x80, 0x80, 0x80, 0x60])),
        ]
        for name, data in cases:
            with self.subTest(name):
                tls = self.tls_session(self.cert, self.key)
                start = time.monotonic()
                tls.sendall(data)
                closed = wait_closed(tls, CONNECT_DEADLINE - 2)
                tls.close()
                # Well before the CONNECT deadline: the limit, not the timer, ended it.
                self.assertIsNotNone(closed, "not closed at once")
                self.assertLess(time.monotonic() - start, 3.0)
        self.assert_served()

    def test_announced_packet_is_never_buffered_ahead_of_its_bytes(self):
        # A CONNECT announcing just under the limit, sent slowly: the server may only hold what
        # arrived, so its resident memory must not jump by the announced size per connection.
        header = b"\x10" + vbi(MAX_PACKET_SIZE - 4)
        rss_before, data_before = self.server_memory_kib()
        socks = []
        for _ in range(200):
            tls = self.tls_session(self.cert, self.key)
            tls.sendall(header + b"\x00\x04MQTT")
            socks.append(tls)
        time.sleep(0.5)
        rss_after, data_after = self.server_memory_kib()
        still_open = 0
        for s in socks:
            s.setblocking(False)
            try:
                s.recv(1)
            except ssl.SSLWantReadError:
                still_open += 1  # nothing to read and not closed: waiting for the body
            except (ssl.SSLError, OSError):
                pass
            s.close()
        print(f"\n200 connections announcing {MAX_PACKET_SIZE - 4} bytes: RSS "
              f"+{rss_after - rss_before} KiB, data +{data_after - data_before} KiB")
        # At the limit is legal: the server must wait for the bytes, not refuse.
        self.assertEqual(still_open, len(socks))
        # 200 x 130 KiB would be 26 MB; TLS and session state for 200 connections is far less.
        self.assertLess(rss_after - rss_before, 12 * 1024)
        self.assertLess(data_after - data_before, 12 * 1024)
        self.assert_served()

    def server_memory_kib(self):
        """(VmRSS, VmData) of the server. VmData also counts reserved but untouched memory (a
        buffer of 130 KiB is mmap'ed by malloc and would not show in VmRSS until written)."""
        fields = {}
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmData"):
                    fields[name] = int(rest.split()[0])
        return fields["VmRSS"], fields["VmData"]

    def test_thousands_of_idle_connections(self):
        count = min(FLOOD, self.nofile - 200)
        if count < FLOOD:
            print(f"\nRLIMIT_NOFILE is {self.nofile}: flooding with {count} connections")
        flood = []
        try:
            for _ in range(count):
                s = self.mqtt_socket()
                s.setblocking(False)
                flood.append(s)
            started = time.monotonic()
            self.assert_served()
            # Every flood connection is ended by the handshake deadline.
            sel = selectors.DefaultSelector()
            for s in flood:
                sel.register(s, selectors.EVENT_READ)
            open_left = len(flood)
            limit = started + HANDSHAKE_DEADLINE + LATE + 5
            while open_left and time.monotonic() < limit:
                for key, _ in sel.select(timeout=0.5):
                    try:
                        data = key.fileobj.recv(4096)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        sel.unregister(key.fileobj)
                        open_left -= 1
            sel.close()
            self.assertEqual(open_left, 0, f"{open_left} of {len(flood)} still open")
            self.assertGreaterEqual(time.monotonic() - started, HANDSHAKE_DEADLINE - EARLY)
        finally:
            for s in flood:
                s.close()
        self.assert_served()

    def test_peers_that_connect_and_close_at_once(self):
        # Port scanners and load-balancer health checks: the server accepts connections whose
        # peer is already gone (FIN or RST). This once deadlocked the accept loop.
        addr = host_port(self.server.ports["mqtt"])
        for i in range(1000):
            s = socket.create_connection(addr, timeout=10)
            if i % 2:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        self.assert_served()

    # ---- control plane HTTP -----------------------------------------------------------------

    def test_http_header_trickle_is_cut_off_at_the_header_deadline(self):
        sock = self.api_socket()
        stop = threading.Event()
        request = (b"GET /things HTTP/1.1\r\nHost: localhost\r\nX-Trickle: " + b"a" * 1000)

        def trickle():
            for i in range(len(request)):
                if stop.is_set():
                    return
                try:
                    sock.send(request[i:i + 1])
                except OSError:
                    return
                time.sleep(0.1)

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        try:
            self.assert_served()
            self.assert_cut_off([("one header byte every 100 ms", sock)],
                                lambda name: HEADER_DEADLINE)
        finally:
            stop.set()
            sender.join(5)
        self.assert_served()

    def http_exchange(self, head, body=b""):
        """Sends `head` (and `body`) on a fresh connection; returns (status, seconds to close)."""
        sock = self.api_socket()
        try:
            sock.sendall(head + body)
            sock.settimeout(10)
            response = b""
            while b"\r\n" not in response:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                response += chunk
            status = int(response.split(b" ", 2)[1]) if response else None
            return status, wait_closed(sock, 5)
        finally:
            sock.close()

    def test_http_over_the_limits_is_refused_and_closed(self):
        over = BODY_LIMIT + 1
        cases = [
            ("Content-Length over body_limit, body not sent",
             b"POST /things/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: %d\r\n\r\n" % over, b"", 413),
            ("Content-Length of 1 TB", b"POST /things/big HTTP/1.1\r\nHost: x\r\n"
             b"Content-Length: 1099511627776\r\n\r\n", b"", 413),
            # Refused at the chunk header; the client has not sent the chunk's bytes.
            ("chunk size over body_limit", b"POST /things/big HTTP/1.1\r\nHost: x\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % over, b"", 413),
            ("header section over header_limit", b"GET /things HTTP/1.1\r\nHost: x\r\n"
             b"X-Big: " + b"a" * (HEADER_LIMIT + 1) + b"\r\n\r\n", b"", 431),
        ]
        for name, head, body, expected in cases:
            with self.subTest(name):
                status, closed = self.http_exchange(head, body)
                self.assertEqual(status, expected)
                self.assertIsNotNone(closed, "connection kept open after the refusal")
        self.assert_served()

    # ---- file descriptors run out -----------------------------------------------------------

    def test_server_out_of_file_descriptors_serves_again_after_the_flood(self):
        # A second server whose soft RLIMIT_NOFILE is low, flooded past it: accept fails with
        # EMFILE meanwhile; once the flood ends it must accept again.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        try:
            small = Server(self.data)
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        small_log = drain_output(small)
        flood = []
        try:
            iot = boto3_client(small, self.account)
            iot.list_things(maxResults=1)
            for _ in range(600):
                flood.append(self.mqtt_socket(small))
            time.sleep(1.0)
            self.assertIsNone(small.proc.poll(), "died out of file descriptors")
            for s in flood:
                s.close()
            flood = []
            # The accepted ones see EOF at once; the queued ones are accepted and see it too.
            deadline = time.monotonic() + 15
            while True:
                try:
                    self.assert_served(small, iot)
                    break
                except Exception:  # noqa: BLE001 -- retried until the deadline
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            self.assertTrue(any("accept failed" in line for line in small_log),
                            "the flood never exhausted the descriptors: the test proves nothing")
        finally:
            for s in flood:
                s.close()
            self.assertIsNone(small.proc.poll(), "died: " + "".join(list(small_log)[-20:]))
            small.stop()


if __name__ == "__main__":
    unittest.main()
