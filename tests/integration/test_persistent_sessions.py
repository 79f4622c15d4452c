"""MQTT persistent sessions with paho-mqtt (MQTT 3.1.1 Clean Session 0, MQTT 5 Clean Start 0
with a Session Expiry Interval) against a real `fleetguard serve`: a device subscribes at QoS 1
and goes away, another device publishes, the first comes back with Session Present 1 and gets
the message without subscribing again.

The subscriber's disconnect is awaited through its lifecycle event
($aws/events/presence/disconnected/<clientId>), which the broker publishes once the session is
stored, so the publish cannot race the disconnect.
"""

import os
import ssl
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from awsclients import boto3_client
from fgtest import FG_BIN, DataDir, Server

TIMEOUT = 10


class Client:
    """A paho client with a certificate that records CONNACK flags and messages."""

    def __init__(self, test, client_id, cert, protocol=mqtt.MQTTv311, clean=True, expiry=None):
        self.connack = threading.Event()
        self.subscribed = threading.Event()
        self.session_present = None
        self.rc = None
        self.messages = []
        self.protocol = protocol
        self.clean = clean
        self.expiry = expiry
        ctx = ssl.create_default_context(cafile=test.account["rootCaFile"])
        ctx.load_cert_chain(*cert)
        if protocol == mqtt.MQTTv5:
            self.client = mqtt.Client(client_id=client_id, protocol=protocol)
        else:
            self.client = mqtt.Client(client_id=client_id, protocol=protocol, clean_session=clean)
        self.client.tls_set_context(ctx)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda c, u, m: self.messages.append(
            (m.topic, m.payload.decode(), m.qos))
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.host = test.account["dataEndpoint"]
        self.port = int(test.server.ports["mqtt"].rsplit(":", 1)[1])

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self.session_present = bool(flags.get("session present"))
        self.rc = rc if isinstance(rc, int) else rc.value
        self.connack.set()

    def connect(self):
        if self.protocol == mqtt.MQTTv5:
            props = None
            if self.expiry is not None:
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = self.expiry
            self.client.connect(self.host, self.port, keepalive=60, clean_start=self.clean,
                                properties=props)
        else:
            self.client.connect(self.host, self.port, keepalive=60)
        self.client.loop_start()
        assert self.connack.wait(TIMEOUT), "no CONNACK"
        assert self.rc == 0, f"CONNACK {self.rc}"
        return self

    def subscribe(self, topic):
        self.subscribed.clear()
        self.client.subscribe(topic, qos=1)
        assert self.subscribed.wait(TIMEOUT), "no SUBACK"

    def publish(self, topic, payload):
        info = self.client.publish(topic, payload, qos=1)
        info.wait_for_publish(TIMEOUT)
        assert info.is_published(), "no PUBACK"

    def wait_messages(self, count):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.02)
        return list(self.messages)

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


class PersistentSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.server = Server(cls.data)
        cls.iot = boto3_client(cls.server, cls.account)
        cls.work = tempfile.mkdtemp(prefix="fg-ps-")
        cls.device_cert = cls.new_certificate()
        cls.publisher = Client(cls, "ps-publisher", cls.new_certificate()).connect()
        cls.watcher = Client(cls, "ps-watcher", cls.new_certificate()).connect()
        cls.watcher.subscribe("$aws/events/presence/disconnected/#")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.publisher.close()
            cls.watcher.close()
            cls.server.stop()
        finally:
            cls.data.cleanup()

    @classmethod
    def new_certificate(cls):
        created = cls.iot.create_keys_and_certificate(setAsActive=True)
        base = os.path.join(cls.work, created["certificateId"][:16])
        with open(base + ".pem", "w") as f:
            f.write(created["certificatePem"])
        with open(base + ".key", "w") as f:
            f.write(created["keyPair"]["PrivateKey"])
        return base + ".pem", base + ".key"

    def client(self, client_id, **kw):
        return Client(self, client_id, self.device_cert, **kw)

    def disconnect_and_wait(self, client, client_id):
        before = sum(1 for t, _, _ in self.watcher.messages if t.endswith("/" + client_id))
        client.close()
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            seen = sum(1 for t, _, _ in self.watcher.messages if t.endswith("/" + client_id))
            if seen > before:
                return
            time.sleep(0.02)
        self.fail(f"no disconnected event for {client_id}")

    def assert_receives_nothing_more(self, client, name):
        """Nothing routed to `client` apart from a sentinel published after the checked
        publish: deliveries from one publisher to one subscriber keep their order."""
        sentinel = "ps/sentinel/" + name
        count = len(client.messages)
        client.subscribe(sentinel)
        self.publisher.publish(sentinel, "sentinel")
        self.assertEqual(client.wait_messages(count + 1)[count:], [(sentinel, "sentinel", 1)])

    def away_and_back(self, client_id, topic, **kw):
        """Subscribes as a new session, goes away, gets a publish queued, comes back."""
        first = self.client(client_id, **kw).connect()
        self.assertFalse(first.session_present, "a new session is not present")
        first.subscribe(topic + "/#")
        self.disconnect_and_wait(first, client_id)
        self.publisher.publish(topic + "/a", "while away")
        return self.client(client_id, **kw).connect()

    def test_v311_clean_session_0_resumes_and_gets_what_was_queued(self):
        back = self.away_and_back("ps-v311", "ps/v311", clean=False)
        self.assertTrue(back.session_present)
        self.assertEqual(back.wait_messages(1), [("ps/v311/a", "while away", 1)])
        # Still subscribed, without a SUBSCRIBE.
        self.publisher.publish("ps/v311/b", "live")
        self.assertEqual(back.wait_messages(2)[1], ("ps/v311/b", "live", 1))
        self.disconnect_and_wait(back, "ps-v311")

        # Clean Session 1 discards the stored session: nothing present afterwards either.
        clean = self.client("ps-v311", clean=True).connect()
        self.assertFalse(clean.session_present)
        self.disconnect_and_wait(clean, "ps-v311")
        again = self.client("ps-v311", clean=False).connect()
        self.assertFalse(again.session_present)
        self.publisher.publish("ps/v311/c", "nobody subscribed")
        self.assert_receives_nothing_more(again, "v311")
        self.assertEqual(again.messages, [("ps/sentinel/v311", "sentinel", 1)])
        again.close()

    def test_v5_clean_start_0_with_session_expiry_resumes(self):
        back = self.away_and_back("ps-v5", "ps/v5", protocol=mqtt.MQTTv5, clean=False,
                                  expiry=600)
        self.assertTrue(back.session_present)
        self.assertEqual(back.wait_messages(1), [("ps/v5/a", "while away", 1)])
        back.close()

    def test_v5_without_session_expiry_ends_with_the_connection(self):
        back = self.away_and_back("ps-v5-zero", "ps/v5zero", protocol=mqtt.MQTTv5, clean=False)
        self.assertFalse(back.session_present)
        self.assert_receives_nothing_more(back, "v5zero")
        self.assertEqual(back.messages, [("ps/sentinel/v5zero", "sentinel", 1)])
        back.close()

    def test_a_3_1_1_session_is_not_resumed_as_mqtt_5(self):
        first = self.client("ps-cross", clean=False).connect()
        first.subscribe("ps/cross/#")
        self.disconnect_and_wait(first, "ps-cross")
        back = self.client("ps-cross", protocol=mqtt.MQTTv5, clean=False, expiry=600).connect()
        self.assertFalse(back.session_present)
        back.close()


if __name__ == "__main__":
    unittest.main()
