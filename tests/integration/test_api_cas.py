"""CA certificates through the real AWS clients (Debian's AWS CLI v2 and boto3) against a running
`fleetguard serve`, with every certificate made on the fly by the `openssl` command line: a new
CA, the account's registration code, a verification certificate (CN = the code, signed by the
CA), device certificates under the CA, and the refused cases.

Each scenario runs once per client (dualclient.IotClient) with its own fresh CA, because a
DEFAULT-mode CA can be registered only once per region.
"""

import unittest

from dualclient import KINDS, IotApiTestCase
from opensslpki import Pki


class CaApiTest(IotApiTestCase):
    def new_ca_with_verification(self, iot, name):
        """A fresh CA and its verification certificate for the caller's registration code."""
        ca = self.pki.new_ca(name)
        code = iot("GetRegistrationCode")["registrationCode"]
        self.assertRegex(code, r"^[0-9a-f]{64}$")
        _, csr = self.pki.new_csr(name + "-verification", code)
        verification = self.pki.sign(csr, ca, name + "-verification")
        return ca, Pki.read(verification)

    def ca_arn(self, certificate_id, account=None):
        return self.arn(f"cacert/{certificate_id}", account)

    def test_registration_code_is_stable_until_deleted(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind, self.other)
                code = iot("GetRegistrationCode")["registrationCode"]
                self.assertEqual(iot("GetRegistrationCode")["registrationCode"], code)
                iot("DeleteRegistrationCode")
                self.assertIotError("ResourceNotFoundException", iot, "DeleteRegistrationCode")
                fresh = iot("GetRegistrationCode")["registrationCode"]
                self.assertNotEqual(fresh, code)

    def test_ca_and_device_certificates_made_by_openssl(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                ca, verification = self.new_ca_with_verification(iot, f"ca-{kind}")
                ca_pem = Pki.read(ca[1])
                ca_id = Pki.certificate_id(ca[1])
                out = iot("RegisterCACertificate", caCertificate=ca_pem,
                          verificationCertificate=verification, setAsActive=True,
                          allowAutoRegistration=True,
                          registrationConfig={"templateName": f"jitp-{kind}"},
                          tags=[{"Key": "team", "Value": "fleet"}])
                self.assertEqual(out["certificateId"], ca_id)
                self.assertEqual(out["certificateArn"], self.ca_arn(ca_id))

                d = iot("DescribeCACertificate", certificateId=ca_id)
                desc = d["certificateDescription"]
                self.assertEqual(desc["status"], "ACTIVE")
                self.assertEqual(desc["autoRegistrationStatus"], "ENABLE")
                self.assertEqual(desc["certificateMode"], "DEFAULT")
                self.assertEqual(desc["ownedBy"], self.owner["accountId"])
                self.assertEqual(desc["certificatePem"].strip(), ca_pem.strip())
                self.assertEqual(d["registrationConfig"], {"templateName": f"jitp-{kind}"})
                listed = iot("ListCACertificates", templateName=f"jitp-{kind}")["certificates"]
                self.assertEqual([c["certificateId"] for c in listed], [ca_id])

                # Registering it again, in this account or (DEFAULT mode) in another.
                self.assertIotError("ResourceAlreadyExistsException", iot, "RegisterCACertificate",
                                    caCertificate=ca_pem, verificationCertificate=verification)

                # Device certificates signed by the CA, found by issuer or named explicitly.
                devices = []
                for i, explicit in enumerate((False, True)):
                    pem = Pki.read(self.pki.device(f"dev-{kind}-{i}", ca))
                    params = {"certificatePem": pem, "status": "ACTIVE"}
                    if explicit:
                        params["caCertificatePem"] = ca_pem
                    reg = iot("RegisterCertificate", **params)
                    self.assertEqual(reg["certificateId"], Pki.certificate_id_of_text(pem))
                    cd = iot("DescribeCertificate", certificateId=reg["certificateId"])
                    self.assertEqual(cd["certificateDescription"]["caCertificateId"], ca_id)
                    self.assertEqual(cd["certificateDescription"]["status"], "ACTIVE")
                    devices.append(reg["certificateId"])
                by_ca = iot("ListCertificatesByCA", caCertificateId=ca_id)["certificates"]
                self.assertEqual(sorted(c["certificateId"] for c in by_ca), sorted(devices))
                # The deprecated setAsActive still works when no status is given.
                pem = Pki.read(self.pki.device(f"dev-{kind}-legacy", ca))
                legacy = iot("RegisterCertificate", certificatePem=pem, setAsActive=True)
                self.assertEqual(iot("DescribeCertificate", certificateId=legacy["certificateId"])
                                 ["certificateDescription"]["status"], "ACTIVE")
                devices.append(legacy["certificateId"])

                # A SHA-1 device certificate under a good CA is still refused.
                sha1 = Pki.read(self.pki.device(f"dev-{kind}-sha1", ca, digest="sha1"))
                self.assertIotError("CertificateValidationException", iot, "RegisterCertificate",
                                    certificatePem=sha1)
                # A certificate from a CA nobody registered.
                rogue_ca = self.pki.new_ca(f"rogue-{kind}")
                rogue = Pki.read(self.pki.device(f"dev-{kind}-rogue", rogue_ca))
                self.assertIotError("CertificateValidationException", iot, "RegisterCertificate",
                                    certificatePem=rogue)
                # Another account cannot see or touch the CA.
                stranger = self.iot(kind, self.other)
                self.assertIotError("ResourceNotFoundException", stranger,
                                    "DescribeCACertificate", certificateId=ca_id)
                self.assertIotError("ResourceNotFoundException", stranger, "UpdateCACertificate",
                                    certificateId=ca_id, newStatus="INACTIVE")

                # Life cycle: an ACTIVE CA, or one with certificates, is not deleted.
                self.assertIotError("CertificateStateException", iot, "DeleteCACertificate",
                                    certificateId=ca_id)
                iot("UpdateCACertificate", certificateId=ca_id, newStatus="INACTIVE",
                    removeAutoRegistration=True)
                desc = iot("DescribeCACertificate", certificateId=ca_id)["certificateDescription"]
                self.assertEqual(desc["status"], "INACTIVE")
                self.assertEqual(desc["autoRegistrationStatus"], "DISABLE")
                self.assertIotError("CertificateStateException", iot, "DeleteCACertificate",
                                    certificateId=ca_id)
                for device in devices:
                    iot("UpdateCertificate", certificateId=device, newStatus="INACTIVE")
                    iot("DeleteCertificate", certificateId=device)
                iot("DeleteCACertificate", certificateId=ca_id)
                self.assertIotError("ResourceNotFoundException", iot, "DescribeCACertificate",
                                    certificateId=ca_id)

    def test_sni_only_ca_without_verification(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                ca = self.pki.new_ca(f"sni-{kind}")
                ca_id = Pki.certificate_id(ca[1])
                # The same SNI_ONLY CA may be registered in several accounts.
                for account in (self.owner, self.other):
                    out = self.iot(kind, account)("RegisterCACertificate",
                                                  caCertificate=Pki.read(ca[1]),
                                                  certificateMode="SNI_ONLY", setAsActive=True)
                    self.assertEqual(out["certificateId"], ca_id)
                desc = iot("DescribeCACertificate", certificateId=ca_id)["certificateDescription"]
                self.assertEqual(desc["certificateMode"], "SNI_ONLY")
                listed = [c["certificateId"] for c in iot("ListCACertificates")["certificates"]]
                self.assertIn(ca_id, listed)

    def test_refused_registrations(self):
        for kind in KINDS:
            with self.subTest(client=kind):
                iot = self.iot(kind)
                ca, verification = self.new_ca_with_verification(iot, f"bad-{kind}")
                ca_pem = Pki.read(ca[1])
                # CN is not this account's registration code.
                _, csr = self.pki.new_csr(f"bad-{kind}-cn", "0" * 64)
                wrong_cn = Pki.read(self.pki.sign(csr, ca, f"bad-{kind}-cn"))
                # The right CN, but signed by another CA's key.
                other_ca = self.pki.new_ca(f"bad-{kind}-other")
                code = iot("GetRegistrationCode")["registrationCode"]
                _, csr2 = self.pki.new_csr(f"bad-{kind}-key", code)
                wrong_key = Pki.read(self.pki.sign(csr2, other_ca, f"bad-{kind}-key"))
                # The other account's registration code.
                other_code = self.iot(kind, self.other)("GetRegistrationCode")["registrationCode"]
                _, csr3 = self.pki.new_csr(f"bad-{kind}-acct", other_code)
                other_account = Pki.read(self.pki.sign(csr3, ca, f"bad-{kind}-acct"))
                device = Pki.read(self.pki.device(f"bad-{kind}-device", ca))
                cases = [
                    ("RegistrationCodeValidationException", {"verificationCertificate": wrong_cn}),
                    ("RegistrationCodeValidationException",
                     {"verificationCertificate": other_account}),
                    ("CertificateValidationException", {"verificationCertificate": wrong_key}),
                    ("CertificateValidationException",
                     {"caCertificate": device, "verificationCertificate": verification}),
                    ("InvalidRequestException", {}),  # DEFAULT mode needs a verification cert
                    ("InvalidRequestException",
                     {"verificationCertificate": verification, "certificateMode": "SNI"}),
                    ("InvalidRequestException",
                     {"verificationCertificate": verification,
                      "registrationConfig": {"templateName": "has space"}}),
                    ("InvalidRequestException",
                     {"verificationCertificate": verification,
                      "tags": [{"Key": "k" * 129, "Value": "v"}]}),
                ]
                for code_expected, extra in cases:
                    params = {"caCertificate": ca_pem, **extra}
                    with self.subTest(case=code_expected, members=sorted(extra)):
                        self.assertIotError(code_expected, iot, "RegisterCACertificate", **params)
                self.assertIotError("InvalidRequestException", iot, "DescribeCACertificate",
                                    certificateId="z" * 64)
                self.assertIotError("ResourceNotFoundException", iot, "DescribeCACertificate",
                                    certificateId="b" * 64)
                self.assertIotError("InvalidRequestException", iot, "UpdateCACertificate",
                                    certificateId="b" * 64, newStatus="REGISTER_INACTIVE")
                # None of the refused registrations left a CA behind.
                self.assertIotError("ResourceNotFoundException", iot, "DescribeCACertificate",
                                    certificateId=Pki.certificate_id(ca[1]))


if __name__ == "__main__":
    unittest.main()
