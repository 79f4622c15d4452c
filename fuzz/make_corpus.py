#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/: valid MQTT packets of every type in 3.1.1 and 5.0
(encoded here, independently of the C++ encoder), the PKI fixtures, SigV4-signed requests built
from the golden vectors of reference section 1.4, and rest-json bodies of real operations.

Deterministic; rerun after changing it and commit the output. Files that the fuzzer found
(crash-*) are never touched."""

import base64
import hashlib
import hmac
import json
import pathlib
import struct
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT.parent / "tests" / "fixtures" / "pki"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# --- MQTT (3.1.1 and 5.0 spec layouts) -----------------------------------------------------------

def vbi(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def u16(n):
    return struct.pack(">H", n)


def u32(n):
    return struct.pack(">I", n)


def s(text):
    raw = text.encode() if isinstance(text, str) else text
    return u16(len(raw)) + raw


def props(*items):
    body = b"".join(items)
    return vbi(len(body)) + body


def packet(first, body):
    return bytes([first]) + vbi(len(body)) + body


def connect(version, client_id, keep_alive=60, clean=True, will=None, user=None, password=None,
            connect_props=b"", will_props=b""):
    flags = 0x02 if clean else 0
    payload = s(client_id)
    if will:
        topic, message, qos, retain = will
        flags |= 0x04 | (qos << 3) | (0x20 if retain else 0)
        payload += (props(will_props) if version == 5 else b"") + s(topic) + s(message)
    if user is not None:
        flags |= 0x80
        payload += s(user)
    if password is not None:
        flags |= 0x40
        payload += s(password)
    header = s("MQTT") + bytes([version, flags]) + u16(keep_alive)
    if version == 5:
        header += props(connect_props)
    return packet(0x10, header + payload)


def mqtt_packets(v):
    """name -> whole packet, every type, in layout v (4 or 5)."""
    p5 = v == 5
    user_prop = bytes([0x26]) + s("region") + s("eu-west-1")
    pk = {}
    pk["connect-minimal"] = connect(v, "thing-1")
    pk["connect-will-user-pass"] = connect(
        v, "sensor/42", keep_alive=1200, clean=False, will=("things/sensor-42/lwt", "gone", 1, True),
        user="operator", password=b"\x00\x01secret",
        connect_props=(bytes([0x11]) + u32(3600) + bytes([0x21]) + u16(20) + bytes([0x27]) + u32(65536)
                       + user_prop) if p5 else b"",
        will_props=(bytes([0x18]) + u32(30) + bytes([0x01, 0x01]) + bytes([0x03]) + s("text/plain"))
        if p5 else b"")
    pk["connect-empty-client-id"] = connect(v, "", keep_alive=0)
    pk["connack"] = packet(0x20, b"\x00\x00" + (props(bytes([0x22]) + u16(8) + bytes([0x24, 0x01])
                                                      + bytes([0x25, 0x01])) if p5 else b""))
    pk["connack-refused"] = packet(0x20, b"\x00" + (b"\x86" + props() if p5 else b"\x04"))
    pk["publish-qos0"] = packet(0x30, s("things/thing-1/telemetry") + (props() if p5 else b"")
                                + b'{"temp":21.5}')
    pk["publish-qos1-retain"] = packet(
        0x33, s("$aws/things/thing-1/shadow/update") + u16(7)
        + (props(bytes([0x01, 0x01]) + bytes([0x02]) + u32(60) + bytes([0x03]) + s("application/json")
                 + bytes([0x08]) + s("replies/thing-1") + bytes([0x09]) + s(b"\x01\x02\x03")
                 + user_prop + bytes([0x23]) + u16(1)) if p5 else b"")
        + b'{"state":{"reported":{"on":true}}}')
    pk["publish-dup-qos1-empty-payload"] = packet(0x3A, s("a/b") + u16(65535) + (props() if p5 else b""))
    pk["puback"] = packet(0x40, u16(7))
    if p5:
        pk["puback-reason"] = packet(0x40, u16(7) + b"\x10" + props(bytes([0x1F]) + s("no subscribers")))
    pk["pubrec"] = packet(0x50, u16(8))
    pk["pubrel"] = packet(0x62, u16(8))
    pk["pubcomp"] = packet(0x70, u16(8))
    sub_opts = (lambda q: bytes([q | 0x04 | 0x08 | 0x10])) if p5 else (lambda q: bytes([q]))
    pk["subscribe"] = packet(0x82, u16(2) + (props(bytes([0x0B]) + vbi(300) + user_prop) if p5 else b"")
                             + s("things/+/telemetry") + sub_opts(1) + s("$aws/events/#") + sub_opts(0)
                             + s("#") + sub_opts(0))
    pk["suback"] = packet(0x90, u16(2) + (props() if p5 else b"") + b"\x01\x00\x80")
    pk["unsubscribe"] = packet(0xA2, u16(3) + (props(user_prop) if p5 else b"") + s("things/+/telemetry")
                               + s("#"))
    pk["unsuback"] = packet(0xB0, u16(3) + (props() + b"\x00\x11" if p5 else b""))
    pk["pingreq"] = packet(0xC0, b"")
    pk["pingresp"] = packet(0xD0, b"")
    pk["disconnect"] = packet(0xE0, b"")
    if p5:
        pk["disconnect-with-will"] = packet(0xE0, b"\x04" + props(bytes([0x11]) + u32(0)
                                                                  + bytes([0x1F]) + s("bye")))
        pk["auth"] = packet(0xF0, b"\x18" + props(bytes([0x15]) + s("SCRAM-SHA-1")
                                                  + bytes([0x16]) + s(b"\x00\x01")))
    return pk


def split_fixed_header(whole):
    i = 1
    while whole[i] & 0x80:
        i += 1
    return whole[0], whole[i + 1:]


def mqtt_corpora():
    for v in (4, 5):
        tag = "v311" if v == 4 else "v5"
        pk = mqtt_packets(v)
        for name, whole in pk.items():
            first, body = split_fixed_header(whole)
            write("mqtt_packet", f"{tag}-{name}", bytes([v, first]) + body)
            write("mqtt_framer", f"{tag}-{name}", whole)
            if name.startswith("connect"):
                write("mqtt_connect", f"{tag}-{name}", body)
            if name.startswith("connack"):
                write("mqtt_connect", f"{tag}-{name}-as-connect-body", body)
        # A device's whole conversation, as the session sees it after the TLS handshake.
        session = (pk["connect-will-user-pass"] + pk["subscribe"] + pk["publish-qos0"]
                   + pk["publish-qos1-retain"] + pk["puback"] + pk["pingreq"] + pk["unsubscribe"]
                   + pk["disconnect"])
        write("mqtt_framer", f"{tag}-session-stream", session)
        # ReplayBytes takes its chunk size from the first byte, which is the CONNECT type byte here.
        write("mqtt_session", f"{tag}-session-stream", session)
        write("mqtt_session", f"{tag}-connect-then-silence", pk["connect-minimal"])
        write("mqtt_session", f"{tag}-publish-before-connect", pk["publish-qos0"] + pk["connect-minimal"])
        write("mqtt_session", f"{tag}-second-connect", pk["connect-minimal"] + pk["connect-minimal"])
        write("mqtt_session", f"{tag}-subscribe-over-limit",
              pk["connect-minimal"] + b"".join(
                  packet(0x82, u16(i + 1) + (props() if v == 5 else b"")
                         + b"".join(s(f"t/{i}/{j}") + b"\x01" for j in range(9)))
                  for i in range(7)))
    write("mqtt_framer", "huge-remaining-length", b"\x30\xff\xff\xff\x7f" + b"x" * 16)
    write("mqtt_framer", "five-byte-length", b"\x30\x80\x80\x80\x80\x01")
    write("mqtt_framer", "non-minimal-length", b"\xc0\x80\x00")
    write("mqtt_framer", "truncated-publish", b"\x30\x10\x00\x03a/b")
    write("mqtt_session", "empty", b"")
    write("mqtt_session", "garbage", bytes(range(256)))
    write("mqtt_session", "v311-mqtt31-name", packet(0x10, s("MQIsdp") + b"\x03\x02\x00\x3c" + s("old")))

    topics = {
        "plain": "things/thing-1/telemetry\0things/thing-1/telemetry",
        "plus": "things/+/telemetry\0things/thing-9/telemetry",
        "hash": "things/#\0things/a/b/c/d",
        "dollar": "#\0$aws/things/thing-1/shadow/update",
        "plus-dollar": "+/things/x\0$aws/things/x",
        "empty-levels": "+/+\0/",
        "bad-filter": "a/#/b\0a/x/b",
        "bad-topic": "a/b\0a/+",
        "too-deep": "a/b/c/d/e/f/g/h/i\0a/b/c/d/e/f/g/h/i",
        "no-separator": "sport/tennis/player1/#",
        "utf8": "caf\u00e9/+\0caf\u00e9/cr\u00e8me",
    }
    for name, text in topics.items():
        write("mqtt_topic", name, text)
    subscriptions = {
        "overlap": "things/#\nthings/+/telemetry\n#\n+/+/+\nthings/thing-1/telemetry\n"
                   "things/+/telemetry\n>things/thing-1/telemetry\n>things/thing-2/status\n"
                   ">$aws/events/presence\n",
        "dollar": "$aws/#\n#\n+/events/#\n>$aws/events/presence/connected/thing-1\n>a\n",
        "empty-levels": "/\n+/\n/+\n+/+\n#\n>/\n>//\n",
        "replace": "a/b\na/b\na/b\na/b\na/b\n>a/b\n",
    }
    for name, text in subscriptions.items():
        write("mqtt_subscriptions", name, text)


# --- PKI fixtures ---------------------------------------------------------------------------------

def pki_corpora():
    for f in sorted(FIXTURES.iterdir()):
        if f.suffix in (".pem", ".der"):
            write("pki_certificate", f.name, f.read_bytes())
        elif f.suffix == ".csr":
            write("pki_csr", f.name, f.read_bytes())
        elif f.suffix == ".key":
            write("pki_key", f.name, f.read_bytes())
    # DER forms of a few certificates, and a public key, from the PEM fixtures.
    for name in ("ca1", "device-ec-1", "device-rsa-sha512", "device-dsa"):
        text = (FIXTURES / f"{name}.pem").read_text()
        b64 = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
        write("pki_certificate", f"{name}.der", base64.b64decode(b64))
    write("pki_key", "public-ec.pem",
          "-----BEGIN PUBLIC KEY-----\n"
          "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7\n"
          "Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==\n"
          "-----END PUBLIC KEY-----\n")


# --- SigV4 requests (reference section 1.4) -------------------------------------------------------

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
AMZ_DATE = "20261122T020944Z"
HOST = "127.0.0.1:18448"


def quote(text, safe):
    out = []
    for b in text.encode():
        c = chr(b)
        if c.isalnum() and b < 128 or c in "-_.~" or c in safe:
            out.append(c)
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def unquote(text):
    return urllib.parse.unquote(text)


def sign(method, target, headers, body, service="iot", region="us-east-1", akid=AKID):
    path, _, query = target.partition("?")
    pairs = []
    for part in query.split("&") if query else []:
        k, _, val = part.partition("=")
        pairs.append((quote(unquote(k), ""), quote(unquote(val), "")))
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    signed = sorted(h.lower() for h in headers)
    lookup = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{h}:{' '.join(lookup[h].split())}\n" for h in signed)
    creq = "\n".join([method, quote(path, "/~"), canonical_query, canonical_headers,
                      ";".join(signed), hashlib.sha256(body.encode()).hexdigest()])
    day = AMZ_DATE[:8]
    scope = f"{day}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", AMZ_DATE, scope, hashlib.sha256(creq.encode()).hexdigest()])
    key = ("AWS4" + SECRET).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return (f"AWS4-HMAC-SHA256 Credential={akid}/{scope}, SignedHeaders={';'.join(signed)}, "
            f"Signature={sig}")


def http_text(method, target, headers, body=""):
    lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return "\n".join(lines) + "\n\n" + body


def signed_request(method, target, body="", extra=None, **kw):
    headers = {"Host": HOST, "X-Amz-Date": AMZ_DATE}
    if body:
        headers["Content-Type"] = "application/json"
    headers.update(extra or {})
    auth = sign(method, target, headers, body, **kw)
    all_headers = dict(headers)
    all_headers["Authorization"] = auth
    all_headers["User-Agent"] = "Boto3/1.43.11 md/Botocore#1.43.11"
    return http_text(method, target, all_headers, body)


GOLDEN_1 = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=44b0845bd6be1413a058a378698d0c568d731759000fcfa568c4d9fb29399b6c")
GOLDEN_2 = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=97f54fd544d0ff8f9cf555008b0f820a36786770d39a9a99360bc90c53ff274b")


def api_corpora():
    target1 = "/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Acert%2Fabc?recursive=true&pageSize=5"
    golden1 = http_text("POST", target1, {"Host": HOST, "X-Amz-Date": AMZ_DATE, "Authorization": GOLDEN_1})
    assert sign("POST", target1, {"Host": HOST, "X-Amz-Date": AMZ_DATE}, "") == GOLDEN_1
    write("api_sigv4", "golden-1-attached-policies", golden1)
    target2 = "/cacertificate/" + "b" * 64 + "?newStatus=INACTIVE"
    body2 = '{"removeAutoRegistration": true}'
    golden2 = http_text("PUT", target2, {"Host": HOST, "X-Amz-Date": AMZ_DATE,
                                         "Content-Type": "application/json", "Authorization": GOLDEN_2},
                        body2)
    write("api_sigv4", "golden-2-update-ca-certificate", golden2)
    write("api_sigv4", "execute-api-service",
          signed_request("GET", "/certificates?pageSize=2&isAscendingOrder=false", service="execute-api"))
    write("api_sigv4", "principal-header",
          signed_request("PUT", "/things/thing-1/principals",
                         extra={"x-amzn-principal": "arn:aws:iot:us-east-1:123456789012:cert/" + "a" * 64}))
    write("api_sigv4", "security-token",
          signed_request("GET", "/things", extra={"X-Amz-Security-Token": "FQoGZXIvYXdzEXAMPLE"}))
    write("api_sigv4", "unknown-key", signed_request("GET", "/things", akid="AKIDUNKNOWN"))
    write("api_sigv4", "unavailable-key", signed_request("GET", "/things", akid="AKIDUNAVAILABLE"))
    write("api_sigv4", "wrong-region", signed_request("GET", "/things", region="eu-west-1"))
    write("api_sigv4", "missing-authorization",
          http_text("GET", "/things", {"Host": HOST, "X-Amz-Date": AMZ_DATE}))
    write("api_sigv4", "repeated-header-and-spaces",
          signed_request("POST", "/certificate/register", '{"certificatePem":"x"}',
                         extra={"X-Custom": "  a   b  "}))

    for name, text in {
        "describe-certificate": "GET /certificates/" + "a" * 64,
        "list-certificates": "GET /certificates?pageSize=25&isAscendingOrder=true&marker=abc%3D",
        "attached-policies-arn": "POST " + target1,
        "add-thing-to-group": "PUT /thing-groups/addThingToThingGroup\n\n"
                              '{"thingGroupName":"g1","thingName":"t1"}',
        "thing-group-label": "GET /thing-groups/my%2Fgroup",
        "method-not-allowed": "PATCH /certificates/abc",
        "empty-label": "GET /certificates//",
        "bad-percent": "GET /things/a%zz",
        "audit-tasks": "GET /audit/tasks?startTime=2024-01-01T00%3A00%3A00Z&endTime=2024-02-01T12%3A30%3A00.500000Z",
        "register-certificate": "POST /certificate/register?setAsActive=true\nContent-Type: application/json\n\n"
                                '{"certificatePem":"-----BEGIN CERTIFICATE-----","status":"ACTIVE"}',
        "repeated-query": "GET /certificates?pageSize=1&pageSize=2",
        "not-json-body": "POST /certificate/register\n\n[1,2",
    }.items():
        write("api_router", name, text + ("\n" if "\n\n" not in text else ""))

    pem = (FIXTURES / "device-ec-1.pem").read_text()
    ca_pem = (FIXTURES / "ca1.pem").read_text()
    csr = (FIXTURES / "csr-rsa.csr").read_text()
    bodies = {
        "register-certificate": {"certificatePem": pem, "caCertificatePem": ca_pem, "status": "ACTIVE"},
        "register-certificate-without-ca": {"certificatePem": pem, "status": "INACTIVE"},
        "register-ca-certificate": {"caCertificate": ca_pem, "verificationCertificate": pem,
                                    "registrationConfig": {"templateBody": "{}", "roleArn":
                                                           "arn:aws:iam::123456789012:role/JITP"},
                                    "tags": [{"Key": "team", "Value": "fleet"}],
                                    "certificateMode": "DEFAULT"},
        "update-ca-certificate": {"removeAutoRegistration": True},
        "create-certificate-from-csr": {"certificateSigningRequest": csr},
        "transfer-certificate": {"transferMessage": "to the factory account"},
        "create-thing": {"thingTypeName": "sensor", "attributePayload":
                         {"attributes": {"model": "x1", "serial": "0042"}, "merge": False}},
        "create-thing-group": {"parentGroupName": "plant-1", "thingGroupProperties":
                               {"thingGroupDescription": "line 3 sensors",
                                "attributePayload": {"attributes": {"line": "3"}}}},
        "add-thing-to-thing-group": {"thingGroupName": "quarantine", "thingName": "thing-1",
                                     "overrideDynamicGroups": False},
        "list-audit-findings": {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK",
                                "resourceIdentifier": {"deviceCertificateId": "a" * 64},
                                "maxResults": 25, "startTime": 1541022751.983, "endTime": 1700000000,
                                "listSuppressedFindings": True},
        "create-audit-suppression": {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK",
                                     "resourceIdentifier": {"deviceCertificateId": "b" * 64},
                                     "expirationDate": 1893456000, "suppressIndefinitely": False,
                                     "description": "known shared bench device",
                                     "clientRequestToken": "0f9b8c9e-2d3c-4f53-9e0a-5c6b7d8e9f00"},
        "start-on-demand-audit-task": {"targetCheckNames": ["DEVICE_CERTIFICATE_SHARED_CHECK"]},
        "create-scheduled-audit": {"frequency": "MONTHLY", "dayOfMonth": "LAST",
                                   "targetCheckNames": ["DEVICE_CERTIFICATE_SHARED_CHECK"]},
        "update-account-audit-configuration": {
            "roleArn": "arn:aws:iam::123456789012:role/Audit",
            "auditCheckConfigurations": {"DEVICE_CERTIFICATE_SHARED_CHECK": {"enabled": True}}},
        "nulls-and-wrong-types": {"certificatePem": None, "status": 5, "maxResults": 1.5,
                                  "startTime": "2024-01-01", "targetCheckNames": [1, None]},
    }
    for name, body in bodies.items():
        write("api_json_body", name, json.dumps(body))
    write("api_json_body", "empty", "")
    write("api_json_body", "not-an-object", "[]")
    write("api_json_body", "deep-nesting", "[" * 64 + "]" * 64)
    write("api_json_body", "duplicate-keys", '{"status":"ACTIVE","status":"REVOKED"}')
    write("api_json_body", "big-numbers", '{"maxResults":1e400,"startTime":-1e30,"endTime":9223372036854775808}')

    for name, text in {
        "list-certificates": "pageSize=25&isAscendingOrder=true&marker=YWJj",
        "attached-policies": "recursive=true&pageSize=5",
        "encoded": "a%20b=c%2Fd&empty=&flag&%E2%82%AC=%e2%82%ac",
        "bad-percent": "k=%G1",
        "timestamps": "startTime=2024-01-01T00%3A00%3A00Z&endTime=2024-02-01T12%3A30%3A00.500000Z",
        "marker-shaped": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
        "certificate-id": "a" * 64,
        "day-of-month": "LAST",
    }.items():
        write("api_query", name, text)


# --- TLS record layer (fuzz/tls_record_fuzz.cpp: the first byte picks the mode) ---------------

# RFC 8448 section 3: the client's first application_data record (50 bytes 00..31).
RFC8448_CLIENT_RECORD = bytes.fromhex(
    "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e"
    "2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4")


def tls_record_corpora():
    rec = RFC8448_CLIENT_RECORD
    write("tls_record", "tls13-rfc8448-client-record", b"\x00" + rec)
    write("tls_record", "tls13-rfc8448-two-records-one-truncated", b"\x00" + rec + rec[:30])
    write("tls_record", "tls13-tampered-tag", b"\x00" + rec[:-1] + bytes([rec[-1] ^ 1]))
    write("tls_record", "tls13-change-cipher-spec", b"\x00" + bytes.fromhex("140303000101"))
    write("tls_record", "tls13-oversize-header", b"\x00" + bytes.fromhex("1703034101"))
    write("tls_record", "tls13-chacha-junk", b"\x01" + bytes.fromhex("1703030020") + bytes(32))
    write("tls_record", "tls12-gcm-junk", b"\x02" + bytes.fromhex("1703030020") + bytes(32))
    write("tls_record", "tls12-gcm-handshake", b"\x02" + bytes.fromhex("1603030020") + bytes(32))
    write("tls_record", "tls12-chacha-short", b"\x03" + bytes.fromhex("170303000a") + bytes(10))
    write("tls_record", "tls12-bad-version", b"\x03" + bytes.fromhex("1703010020") + bytes(32))
    # Modes 4 and 5: (inner type, length, content) pieces that the harness seals.
    pieces = {
        "app-data": [(23, b"hello")],
        "key-update-requested": [(22, b"\x18\x00\x00\x01\x01"), (23, b"after")],
        "key-update-not-requested": [(22, b"\x18\x00\x00\x01\x00"), (23, b"after")],
        "two-key-updates": [(22, b"\x18\x00\x00\x01\x01"), (22, b"\x18\x00\x00\x01\x01"),
                            (23, b"x")],
        "key-update-bad-request": [(22, b"\x18\x00\x00\x01\x02")],
        "close-notify": [(23, b"bye"), (21, b"\x01\x00")],
        "fatal-alert": [(21, b"\x02\x28")],
        "all-zero-inner": [(0, b"\x00\x00")],
        "new-session-ticket": [(22, b"\x04\x00\x00\x01\x00")],
        "split-handshake": [(22, b"\x18\x00")],
        "heartbeat": [(24, b"\x01")],
    }
    for name, items in pieces.items():
        body = b"".join(bytes([t, len(c)]) + c for t, c in items)
        write("tls_record", f"sealed-aes-{name}", b"\x04" + body)
        write("tls_record", f"sealed-chacha-{name}", b"\x05" + body)


if __name__ == "__main__":
    mqtt_corpora()
    pki_corpora()
    api_corpora()
    tls_record_corpora()
