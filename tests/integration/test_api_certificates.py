"""Device certificates through the real AWS clients (Debian's AWS CLI v2 and boto3) against a
running `fleetguard serve`: the life cycle, paging over 300 certificates, registration without
a CA in two accounts, transfers, CreateCertificateFromCsr, DescribeEndpoint, and the error code
of every refused case.

Each scenario runs once per client (dualclient.IotClient), except the paging test, which uses
each client's own paging machinery (the CLI's --page-size, boto3's paginator).
"""

import base64
import concurrent.futures
import os
import unittest

from awsclients import aws, boto3_client, error_code
from dualclient import KINDS, IotApiTestCase, IotError
from fgtest import FIXTURES, SOURCE_DIR
from opensslpki import Pki

UNKNOWN_ID = "a" * 64


class CertificateApiTestCase(IotApiTestCase):
    def cert_arn(self, certificate_id, account=None):
        return self.arn(f"cert/{certificate_id}", account)

    def describe(self, iot, certificate_id):
        return iot("DescribeCertificate", certificateId=certificate_id)["certificateDescription"]


class CertificateLifeCycleTest(CertificateApiTestCase):
    def test_create_describe_deactivate_revoke_delete(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                created = iot("CreateKeysAndCertificate", setAsActive=True)
                cid = created["certificateId"]
                self.assertEqual(cid, Pki.certificate_id_of_text(created["certificatePem"]))
                self.assertEqual(created["certificateArn"], self.cert_arn(cid))
                self.assertIn("BEGIN PUBLIC KEY", created["keyPair"]["PublicKey"])
                self.assertIn("PRIVATE KEY", created["keyPair"]["PrivateKey"])

                d = self.describe(iot, cid)
                self.assertEqual(d["status"], "ACTIVE")
                self.assertEqual(d["ownedBy"], self.owner["accountId"])
                self.assertEqual(d["certificateMode"], "DEFAULT")
                self.assertEqual(d["certificatePem"], created["certificatePem"])
                self.assertIn("notAfter", d["validity"])
                # Newest first by default.
                newest = iot("ListCertificates", pageSize=1)["certificates"][0]
                self.assertEqual(newest["certificateId"], cid)

                self.assertIotError("CertificateStateException", iot, "DeleteCertificate",
                                    certificateId=cid)
                iot("UpdateCertificate", certificateId=cid, newStatus="INACTIVE")
                self.assertEqual(self.describe(iot, cid)["status"], "INACTIVE")
                iot("UpdateCertificate", certificateId=cid, newStatus="REVOKED")
                self.assertEqual(self.describe(iot, cid)["status"], "REVOKED")
                self.assertIotError("CertificateStateException", iot, "UpdateCertificate",
                                    certificateId=cid, newStatus="ACTIVE")
                iot("DeleteCertificate", certificateId=cid)
                self.assertIotError("ResourceNotFoundException", iot, "DescribeCertificate",
                                    certificateId=cid)

    def test_inactive_by_default_and_force_delete(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                cid = iot("CreateKeysAndCertificate")["certificateId"]
                self.assertEqual(self.describe(iot, cid)["status"], "INACTIVE")
                iot("DeleteCertificate", certificateId=cid, forceDelete=True)
                self.assertIotError("ResourceNotFoundException", iot, "DescribeCertificate",
                                    certificateId=cid)

    def test_create_certificate_from_openssl_csr(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                _, csr = self.pki.new_csr(f"csr-{kind}", f"device-from-csr-{kind}")
                csr_pem = Pki.read(csr)
                out = iot("CreateCertificateFromCsr", certificateSigningRequest=csr_pem,
                          setAsActive=True)
                self.assertNotIn("keyPair", out)
                self.assertEqual(out["certificateId"], Pki.certificate_id_of_text(out["certificatePem"]))
                self.assertEqual(out["certificateArn"], self.cert_arn(out["certificateId"]))
                # The certificate carries the CSR's key.
                self.assertEqual(Pki.public_key_of_pem(out["certificatePem"]),
                                 Pki.public_key_of_pem(csr_pem, kind="req"))
                self.assertEqual(self.describe(iot, out["certificateId"])["status"], "ACTIVE")
                self.assertIotError("InvalidRequestException", iot, "CreateCertificateFromCsr",
                                    certificateSigningRequest="x" * 4097)

    def test_register_without_ca_in_two_accounts(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                pem = Pki.read(self.pki.self_signed(f"multi-{kind}"))
                cid = Pki.certificate_id_of_text(pem)
                for account in (self.owner, self.other):
                    iot = self.iot(kind, account)
                    out = iot("RegisterCertificateWithoutCA", certificatePem=pem, status="ACTIVE")
                    self.assertEqual(out["certificateId"], cid)
                    self.assertEqual(out["certificateArn"], self.cert_arn(cid, account))
                    d = self.describe(iot, cid)
                    self.assertEqual(d["certificateMode"], "SNI_ONLY")
                    self.assertEqual(d["ownedBy"], account["accountId"])
                    self.assertEqual(d["status"], "ACTIVE")
                    self.assertNotIn("caCertificateId", d)
                # A second registration in the same account: ResourceAlreadyExists with the id.
                err = self.assertIotError("ResourceAlreadyExistsException", self.iot(kind),
                                          "RegisterCertificateWithoutCA", certificatePem=pem)
                if kind == "boto3":
                    self.assertEqual(err.response.get("resourceId"), cid)
                    self.assertEqual(err.response.get("resourceArn"), self.cert_arn(cid))
                # Each account changes only its own registration.
                self.iot(kind)("UpdateCertificate", certificateId=cid, newStatus="INACTIVE")
                self.assertEqual(self.describe(self.iot(kind, self.other), cid)["status"],
                                 "ACTIVE")

    def test_describe_endpoint_for_every_type(self):
        prefix = self.owner["dataEndpoint"].split("-ats.iot.", 1)[0]
        suffix = f"iot.{self.owner['region']}.{self.data.domain}"
        expected = {
            "iot:Data-ATS": f"{prefix}-ats.{suffix}",
            "iot:Data": f"{prefix}.{suffix}",
            "iot:CredentialProvider": f"{prefix}.credentials.{suffix}",
            "iot:Jobs": f"{prefix}.jobs.{suffix}",
        }
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                for endpoint_type, host in expected.items():
                    out = iot("DescribeEndpoint", endpointType=endpoint_type)
                    self.assertEqual(out["endpointAddress"], host)
                self.assertEqual(iot("DescribeEndpoint")["endpointAddress"],
                                 self.owner["dataEndpoint"])
                other = self.iot(kind, self.other)("DescribeEndpoint")["endpointAddress"]
                self.assertEqual(other, self.other["dataEndpoint"])
                self.assertNotEqual(other, expected["iot:Data-ATS"])
                self.assertIotError("InvalidRequestException", iot, "DescribeEndpoint",
                                    endpointType="iot:Data-Legacy")


class CertificateTransferTest(CertificateApiTestCase):
    def start_transfer(self, kind, message="take it"):
        source = self.iot(kind)
        cid = source("CreateKeysAndCertificate")["certificateId"]
        out = source("TransferCertificate", certificateId=cid,
                     targetAwsAccount=self.other["accountId"], transferMessage=message)
        self.assertEqual(out["transferredCertificateArn"], self.cert_arn(cid))
        d = self.describe(source, cid)
        self.assertEqual(d["status"], "PENDING_TRANSFER")
        self.assertEqual(d["transferData"]["transferMessage"], message)
        return source, self.iot(kind, self.other), cid

    def test_accept_with_set_as_active(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                source, target, cid = self.start_transfer(kind)
                target("AcceptCertificateTransfer", certificateId=cid, setAsActive=True)
                d = self.describe(target, cid)
                self.assertEqual(d["status"], "ACTIVE")
                self.assertEqual(d["ownedBy"], self.other["accountId"])
                self.assertEqual(d["previousOwnedBy"], self.owner["accountId"])
                self.assertEqual(d["certificateArn"], self.cert_arn(cid, self.other))
                self.assertIn("acceptDate", d["transferData"])
                self.assertIotError("ResourceNotFoundException", source, "DescribeCertificate",
                                    certificateId=cid)
                self.assertIotError("TransferAlreadyCompletedException", target,
                                    "AcceptCertificateTransfer", certificateId=cid)

    def test_reject(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                source, target, cid = self.start_transfer(kind)
                target("RejectCertificateTransfer", certificateId=cid, rejectReason="not mine")
                d = self.describe(source, cid)
                self.assertEqual(d["status"], "INACTIVE")
                self.assertEqual(d["transferData"]["rejectReason"], "not mine")
                self.assertIotError("ResourceNotFoundException", target, "DescribeCertificate",
                                    certificateId=cid)
                self.assertIotError("TransferAlreadyCompletedException", source,
                                    "CancelCertificateTransfer", certificateId=cid)

    def test_cancel(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                source, target, cid = self.start_transfer(kind)
                source("CancelCertificateTransfer", certificateId=cid)
                self.assertEqual(self.describe(source, cid)["status"], "INACTIVE")
                with self.assertRaises(IotError):
                    target("AcceptCertificateTransfer", certificateId=cid)
                self.assertEqual(self.describe(source, cid)["status"], "INACTIVE")

    def test_refused_transfers(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                active = iot("CreateKeysAndCertificate", setAsActive=True)["certificateId"]
                self.assertIotError("CertificateStateException", iot, "TransferCertificate",
                                    certificateId=active, targetAwsAccount=self.other["accountId"])
                self.assertIotError("ResourceNotFoundException", iot, "TransferCertificate",
                                    certificateId=UNKNOWN_ID,
                                    targetAwsAccount=self.other["accountId"])
                self.assertIotError("InvalidRequestException", iot, "TransferCertificate",
                                    certificateId=active, targetAwsAccount="12345678901x")
                self.assertIotError("InvalidRequestException", iot, "TransferCertificate",
                                    certificateId=active, targetAwsAccount=self.other["accountId"],
                                    transferMessage="m" * 129)


class CertificateRefusedTest(CertificateApiTestCase):
    def test_error_code_of_each_refused_case(self):
        sha1_pem = Pki.read(os.path.join(FIXTURES, "device-sha1.pem"))
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                stranger = self.iot(kind, self.other)
                mine = iot("CreateKeysAndCertificate")["certificateId"]
                cases = [
                    ("ResourceNotFoundException", iot, "DescribeCertificate",
                     {"certificateId": UNKNOWN_ID}),
                    ("ResourceNotFoundException", iot, "UpdateCertificate",
                     {"certificateId": UNKNOWN_ID, "newStatus": "ACTIVE"}),
                    ("InvalidRequestException", iot, "DescribeCertificate",
                     {"certificateId": "z" * 64}),
                    ("InvalidRequestException", iot, "DeleteCertificate",
                     {"certificateId": "0x" + "g" * 62}),
                    ("InvalidRequestException", iot, "UpdateCertificate",
                     {"certificateId": mine, "newStatus": "SUSPENDED"}),
                    ("InvalidRequestException", iot, "ListCertificates", {"pageSize": 251}),
                    ("InvalidRequestException", iot, "ListCertificatesByCA",
                     {"caCertificateId": "not-hex-" + "0" * 56}),
                    # Another account's keys: the certificate does not exist for them.
                    ("ResourceNotFoundException", stranger, "DescribeCertificate",
                     {"certificateId": mine}),
                    ("ResourceNotFoundException", stranger, "UpdateCertificate",
                     {"certificateId": mine, "newStatus": "ACTIVE"}),
                    ("ResourceNotFoundException", stranger, "DeleteCertificate",
                     {"certificateId": mine}),
                    # SHA-1 signatures are refused (fixture device-sha1).
                    ("CertificateValidationException", iot, "RegisterCertificateWithoutCA",
                     {"certificatePem": sha1_pem}),
                    ("CertificateValidationException", iot, "RegisterCertificateWithoutCA",
                     {"certificatePem": "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                        "-----END CERTIFICATE-----\n"}),
                    ("InvalidRequestException", iot, "RegisterCertificateWithoutCA",
                     {"certificatePem": "x" * 65537}),
                    ("InvalidRequestException", iot, "RegisterCertificateWithoutCA",
                     {"certificatePem": sha1_pem, "status": "PENDING_TRANSFER"}),
                ]
                for code, client, operation, params in cases:
                    with self.subTest(operation=operation, params=str(params)[:80]):
                        self.assertIotError(code, client, operation, **params)
                self.assertEqual(self.describe(iot, mine)["status"], "INACTIVE")

    def test_non_canonical_twin_of_a_registered_certificate(self):
        """The holder of a self-signed certificate's key re-encodes its tbsCertificate (a
        long-form length, BOOLEAN TRUE as 0x01) and signs it again: same key, subject and serial,
        valid signature, other bytes. It must not register as a second certificate (seeds from
        fuzz/corpus/pki_certificate, built by tests/unit/pki/certificate_canonical_test.cpp)."""
        corpus = os.path.join(SOURCE_DIR, "fuzz", "corpus", "pki_certificate")
        twins = []
        for seed in ("noncanonical-tbs-long-form-length-of-the-issuer-name.der",
                     "noncanonical-tbs-critical-boolean-true-as-0x01.der"):
            with open(os.path.join(corpus, seed), "rb") as f:
                body = base64.encodebytes(f.read()).decode().replace("\n", "")
            lines = [body[i:i + 64] for i in range(0, len(body), 64)]
            twins.append("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) +
                         "\n-----END CERTIFICATE-----\n")
        pem = Pki.read(os.path.join(FIXTURES, "device-selfsigned.pem"))
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                account = self.other if kind == KINDS[0] else self.owner
                registered = self.iot(kind, account)("RegisterCertificateWithoutCA",
                                                     certificatePem=pem, status="ACTIVE")
                self.assertEqual(registered["certificateId"], Pki.certificate_id_of_text(pem))
                for twin in twins:
                    error = self.assertIotError("CertificateValidationException", iot,
                                                "RegisterCertificateWithoutCA",
                                                certificatePem=twin, status="ACTIVE")
                    self.assertIn("not in canonical DER form", error.message)

    def test_forged_marker_is_refused(self):
        boto = boto3_client(self.server, self.owner)
        self._clients.append(boto)
        with self.assertRaises(Exception) as caught:
            boto.list_certificates(marker="QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")
        self.assertEqual(error_code(caught.exception), "InvalidRequestException")

    def test_bad_signature(self):
        forged = dict(self.owner, secretAccessKey="x" * 40)
        unknown = dict(self.owner, accessKeyId="AKIA" + "Z" * 16)
        for kind in KINDS:
            with self.subTest(client=kind):
                self.assertIotError("InvalidSignatureException", self.iot(kind, forged),
                                    "ListCertificates")
                self.assertIotError("UnrecognizedClientException", self.iot(kind, unknown),
                                    "ListCertificates")


class CertificatePagingTest(CertificateApiTestCase):
    COUNT = 300

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pager = cls.data.create_account("pager")
        boto = boto3_client(cls.server, cls.pager)
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                futures = [pool.submit(boto.create_keys_and_certificate, setAsActive=(i % 3 == 0))
                           for i in range(cls.COUNT)]
                cls.created = {f.result()["certificateId"] for f in futures}
        finally:
            boto.close()

    def cli_list(self, *args):
        return aws(self.server, self.pager, "list-certificates", *args)

    def boto_pages(self, **kwargs):
        boto = boto3_client(self.server, self.pager)
        self._clients.append(boto)
        paginator = boto.get_paginator("list_certificates")
        return list(paginator.paginate(PaginationConfig={"PageSize": 7}, **kwargs))

    def assertComplete(self, ids):
        self.assertEqual(len(ids), self.COUNT, "duplicates or gaps")
        self.assertEqual(set(ids), self.created)

    def test_cli_pages_with_page_size_7(self):
        self.assertEqual(len(self.created), self.COUNT)
        # The IoT model's own member is called pageSize, so the CLI treats --page-size as a
        # manual paging argument: one request per call, continued with --marker.
        newest_first, marker, pages = [], None, 0
        while True:
            out = self.cli_list("--page-size", "7", *(["--marker", marker] if marker else []))
            self.assertLessEqual(len(out["certificates"]), 7)
            newest_first += [c["certificateId"] for c in out["certificates"]]
            pages += 1
            marker = out.get("nextMarker")
            if not marker:
                break
            self.assertEqual(len(out["certificates"]), 7)
        self.assertEqual(pages, -(-self.COUNT // 7))
        self.assertComplete(newest_first)
        # Without --page-size the CLI pages automatically through nextMarker (25 a page).
        self.assertEqual([c["certificateId"] for c in self.cli_list()["certificates"]],
                         newest_first)
        oldest_first = [c["certificateId"] for c in
                        self.cli_list("--ascending-order")["certificates"]]
        self.assertEqual(oldest_first, newest_first[::-1])
        # Resuming from the CLI's own token continues exactly where the first call stopped.
        head = self.cli_list("--max-items", "30")
        self.assertEqual(len(head["certificates"]), 30)
        tail = self.cli_list("--starting-token", head["NextToken"])
        self.assertEqual([c["certificateId"] for c in head["certificates"] + tail["certificates"]],
                         newest_first)

    def test_boto3_paginator_with_page_size_7(self):
        pages = self.boto_pages()
        self.assertEqual(len(pages), -(-self.COUNT // 7))
        for page in pages[:-1]:
            self.assertEqual(len(page["certificates"]), 7)
            self.assertTrue(page["nextMarker"])
        self.assertNotIn("nextMarker", pages[-1])
        newest_first = [c["certificateId"] for p in pages for c in p["certificates"]]
        self.assertComplete(newest_first)
        created = [c["creationDate"] for p in pages for c in p["certificates"]]
        self.assertEqual(created, sorted(created, reverse=True))
        ascending = [c["certificateId"] for p in self.boto_pages(ascendingOrder=True)
                     for c in p["certificates"]]
        self.assertEqual(ascending, newest_first[::-1])

    def test_markers_survive_a_restart(self):
        # The marker's MAC key is derived from the data directory's secret.key, not made per
        # process, so a client can finish its listing after the server restarts.
        before = boto3_client(self.server, self.pager)
        first = before.list_certificates(pageSize=100)
        before.close()
        self.assertEqual(len(first["certificates"]), 100)
        self.restart_server()
        for kind in KINDS:
            with self.subTest(client=kind):
                rest = self.iot(kind, self.pager)("ListCertificates", pageSize=250,
                                                  marker=first["nextMarker"])
                self.assertNotIn("nextMarker", rest)
                self.assertComplete([c["certificateId"]
                                     for c in first["certificates"] + rest["certificates"]])

    def test_raw_markers_and_page_size_limits(self):
        boto = boto3_client(self.server, self.pager)
        self._clients.append(boto)
        first = boto.list_certificates(pageSize=250)
        self.assertEqual(len(first["certificates"]), 250)
        second = boto.list_certificates(pageSize=250, marker=first["nextMarker"])
        self.assertEqual(len(second["certificates"]), self.COUNT - 250)
        self.assertNotIn("nextMarker", second)
        self.assertEqual(len(boto.list_certificates()["certificates"]), 25)  # the default
        # A marker is bound to its account: the owner cannot use the pager's.
        owner = boto3_client(self.server, self.owner)
        self._clients.append(owner)
        with self.assertRaises(Exception) as caught:
            owner.list_certificates(marker=first["nextMarker"])
        self.assertEqual(error_code(caught.exception), "InvalidRequestException")


if __name__ == "__main__":
    unittest.main()
