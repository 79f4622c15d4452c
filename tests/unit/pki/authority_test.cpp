#include "pki/authority.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "pki/key.h"
#include "pki/signature_policy.h"
#include "pki/verification.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::kReferenceTime;
using testing::LoadCert;
using testing::ReadFixture;

CertificateAuthority LoadCa1() {
  auto ca = CertificateAuthority::Load(ReadFixture("ca1.pem"), ReadFixture("ca1.key"));
  EXPECT_TRUE(ca) << ca.error().ToString();
  return *ca;
}

// The X.509 extension of `nid` in OpenSSL's text form, e.g. "TLS Web Client Authentication".
std::string ExtensionText(const Certificate& cert, int nid) {
  const int index = X509_get_ext_by_NID(cert.Raw(), nid, -1);
  if (index < 0) {
    return "";
  }
  X509_EXTENSION* ext = X509_get_ext(cert.Raw(), index);
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509V3_EXT_print(bio.get(), ext, 0, 0);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

bool ExtensionCritical(const Certificate& cert, int nid) {
  const int index = X509_get_ext_by_NID(cert.Raw(), nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert.Raw(), index)) == 1;
}

TEST(CertificateAuthorityTest, LoadChecksTheKeyAndCaFlag) {
  EXPECT_TRUE(CertificateAuthority::Load(ReadFixture("ca2.pem"), ReadFixture("ca2.key")));
  struct Case {
    const char* cert;
    const char* key;
    ErrorCode code;
  };
  const Case cases[] = {
      {"ca1.pem", "ca2.key", ErrorCode::kInvalidArgument},                    // someone else's key
      {"device-rsa-1.pem", "device-rsa-1.key", ErrorCode::kInvalidArgument},  // not a CA
      {"ca1.pem", "ca1.pem", ErrorCode::kInvalidArgument},                    // no key at all
      {"ca1.key", "ca1.key", ErrorCode::kCertificateValidation},              // no certificate
  };
  for (const auto& c : cases) {
    auto ca = CertificateAuthority::Load(ReadFixture(c.cert), ReadFixture(c.key));
    ASSERT_FALSE(ca) << c.cert << " + " << c.key;
    EXPECT_EQ(ca.error().code, c.code) << ca.error().message;
  }
}

TEST(CertificateAuthorityTest, IssuesAClientCertificateThatChainsToIt) {
  const CertificateAuthority ca = LoadCa1();
  auto keys = GenerateEcKeyPair();
  ASSERT_TRUE(keys);
  CertificateAuthority::IssueOptions options;
  options.common_name = "thing-42";
  options.dns_names = {"thing-42.example.com", "*.devices.example.com"};
  options.not_before = kReferenceTime;
  options.not_after = kReferenceTime + std::chrono::hours(24 * 365);
  auto cert = ca.Issue(keys->public_key_pem, options);
  ASSERT_TRUE(cert) << cert.error().ToString();

  EXPECT_EQ(cert->Subject(), "CN=thing-42");
  EXPECT_EQ(cert->Issuer(), "CN=Test Device CA 1");
  EXPECT_EQ(cert->NotBefore(), options.not_before);
  EXPECT_EQ(cert->NotAfter(), options.not_after);
  EXPECT_EQ(cert->SignatureAlgorithm(), "SHA256WITHRSA");
  EXPECT_TRUE(CheckSignatureAlgorithm(*cert));
  EXPECT_FALSE(cert->IsCa());
  EXPECT_TRUE(SignedBy(*cert, ca.Cert()));
  const std::vector<Certificate> trusted = {ca.Cert()};
  EXPECT_TRUE(VerifyChain(*cert, trusted, kReferenceTime));
  EXPECT_EQ(cert->PublicKeyPem(), keys->public_key_pem);

  EXPECT_TRUE(ExtensionCritical(*cert, NID_basic_constraints));
  EXPECT_TRUE(ExtensionCritical(*cert, NID_key_usage));
  EXPECT_EQ(ExtensionText(*cert, NID_key_usage), "Digital Signature");
  EXPECT_EQ(ExtensionText(*cert, NID_ext_key_usage), "TLS Web Client Authentication");
  EXPECT_EQ(ExtensionText(*cert, NID_subject_alt_name),
            "DNS:thing-42.example.com, DNS:*.devices.example.com");
  EXPECT_FALSE(ExtensionText(*cert, NID_subject_key_identifier).empty());
  // The AKI is CA 1's SKI.
  EXPECT_NE(ExtensionText(*cert, NID_authority_key_identifier)
                .find(ExtensionText(ca.Cert(), NID_subject_key_identifier).substr(0, 20)),
            std::string::npos);

  // 16 random octets with the top bits 01: 32 hex digits, positive.
  const std::string serial = cert->SerialNumberHex();
  EXPECT_EQ(serial.size(), 32u) << serial;
  EXPECT_TRUE(serial[0] >= '4' && serial[0] <= '7') << serial;
}

TEST(CertificateAuthorityTest, ServerCertificateUsage) {
  const CertificateAuthority ca = LoadCa1();
  auto keys = GenerateRsaKeyPair();
  ASSERT_TRUE(keys);
  CertificateAuthority::IssueOptions options;
  options.common_name = "localhost";
  options.dns_names = {"localhost"};
  options.not_before = kReferenceTime;
  options.not_after = kReferenceTime + std::chrono::hours(1);
  options.server_auth = true;
  options.client_auth = false;
  auto cert = ca.Issue(keys->public_key_pem, options);
  ASSERT_TRUE(cert) << cert.error().ToString();
  EXPECT_EQ(ExtensionText(*cert, NID_ext_key_usage), "TLS Web Server Authentication");
  EXPECT_EQ(ExtensionText(*cert, NID_key_usage), "Digital Signature, Key Encipherment");
}

TEST(CertificateAuthorityTest, IssueRejectsBadOptions) {
  const CertificateAuthority ca = LoadCa1();
  auto keys = GenerateEcKeyPair();
  ASSERT_TRUE(keys);
  CertificateAuthority::IssueOptions good;
  good.common_name = "ok";
  good.not_before = kReferenceTime;
  good.not_after = kReferenceTime + std::chrono::hours(1);
  ASSERT_TRUE(ca.Issue(keys->public_key_pem, good));

  struct Case {
    const char* name;
    CertificateAuthority::IssueOptions options;
    std::string key_pem;
  };
  auto with = [&](auto change) {
    CertificateAuthority::IssueOptions o = good;
    change(o);
    return o;
  };
  const std::string weak_key = [] {
    auto k = ParsePrivateKeyPem(ReadFixture("csr-rsa-1024.key"));
    return k ? PublicKeyToPem(**k) : std::string();
  }();
  const Case cases[] = {
      {"empty cn", with([](auto& o) { o.common_name = ""; }), keys->public_key_pem},
      {"long cn", with([](auto& o) { o.common_name = std::string(65, 'a'); }),
       keys->public_key_pem},
      {"nul in cn", with([](auto& o) { o.common_name = std::string("a\0b", 3); }),
       keys->public_key_pem},
      {"empty period", with([](auto& o) { o.not_after = o.not_before; }), keys->public_key_pem},
      {"inverted period", with([](auto& o) { o.not_after = o.not_before - std::chrono::hours(1); }),
       keys->public_key_pem},
      {"san injection", with([](auto& o) { o.dns_names = {"a.com,DNS:evil.com"}; }),
       keys->public_key_pem},
      {"san empty", with([](auto& o) { o.dns_names = {""}; }), keys->public_key_pem},
      {"san label dash", with([](auto& o) { o.dns_names = {"-a.com"}; }), keys->public_key_pem},
      {"weak key", good, weak_key},
      {"not a key", good, "garbage"},
      {"private key pem", good, keys->private_key_pem},
  };
  for (const auto& c : cases) {
    auto cert = ca.Issue(c.key_pem, c.options);
    ASSERT_FALSE(cert) << c.name;
    EXPECT_EQ(cert.error().code, ErrorCode::kInvalidArgument)
        << c.name << ": " << cert.error().message;
  }
}

TEST(CertificateAuthorityTest, GenerateMakesAUsableRoot) {
  for (auto algorithm : {KeyAlgorithm::kRsa2048, KeyAlgorithm::kEcP256}) {
    auto ca =
        CertificateAuthority::Generate("fleetguard local CA", kReferenceTime,
                                       kReferenceTime + std::chrono::hours(24 * 3650), algorithm);
    ASSERT_TRUE(ca) << ca.error().ToString();
    EXPECT_TRUE(ca->Cert().IsCa());
    EXPECT_TRUE(ca->Cert().IsSelfSigned());
    EXPECT_TRUE(ExtensionCritical(ca->Cert(), NID_basic_constraints));
    EXPECT_EQ(ExtensionText(ca->Cert(), NID_key_usage), "Certificate Sign, CRL Sign");
    EXPECT_EQ(ca->Cert().Subject(), "CN=fleetguard local CA");
    EXPECT_TRUE(CheckSignatureAlgorithm(ca->Cert()));
    EXPECT_EQ(ca->Cert().SignatureAlgorithm(),
              algorithm == KeyAlgorithm::kRsa2048 ? "SHA256WITHRSA" : "ECDSA-WITH-SHA256");

    // What `fleetguard init` writes must load back.
    auto reloaded = CertificateAuthority::Load(ca->Cert().Pem(), ca->PrivateKeyPem());
    ASSERT_TRUE(reloaded) << reloaded.error().ToString();
    EXPECT_EQ(reloaded->Cert().Id(), ca->Cert().Id());

    auto issued = CreateKeysAndCertificate(*reloaded, kReferenceTime);
    ASSERT_TRUE(issued) << issued.error().ToString();
    const std::vector<Certificate> trusted = {ca->Cert()};
    EXPECT_TRUE(VerifyChain(issued->cert, trusted, kReferenceTime));
  }
}

TEST(CertificateAuthorityTest, GenerateRejectsBadInput) {
  EXPECT_FALSE(
      CertificateAuthority::Generate("", kReferenceTime, kReferenceTime + std::chrono::hours(1)));
  EXPECT_FALSE(CertificateAuthority::Generate("ca", kReferenceTime, kReferenceTime));
}

TEST(CreateKeysAndCertificateTest, AwsShape) {
  const CertificateAuthority ca = LoadCa1();
  const TimePoint now = kReferenceTime + std::chrono::milliseconds(1234);
  auto issued = CreateKeysAndCertificate(ca, now);
  ASSERT_TRUE(issued) << issued.error().ToString();
  const Certificate& cert = issued->cert;

  EXPECT_EQ(FormatIso8601(cert.NotAfter()), "2049-12-31T23:59:59Z");
  EXPECT_EQ(cert.NotAfter(), AwsIotCertificateNotAfter());
  EXPECT_EQ(FormatIso8601(cert.NotBefore()), "2030-01-01T00:00:01Z");
  EXPECT_EQ(cert.Subject(), "CN=AWS IoT Certificate");
  EXPECT_EQ(cert.SignatureAlgorithm(), "SHA256WITHRSA");
  EXPECT_EQ(ExtensionText(cert, NID_ext_key_usage), "TLS Web Client Authentication");

  const std::vector<Certificate> trusted = {ca.Cert()};
  EXPECT_TRUE(VerifyChain(cert, trusted, kReferenceTime + std::chrono::hours(1)));
  const std::vector<Certificate> wrong = {LoadCert("ca2"), LoadCert("rogue-ca")};
  EXPECT_FALSE(VerifyChain(cert, wrong, kReferenceTime + std::chrono::hours(1)));

  // The returned private key belongs to the certificate and is RSA-2048.
  auto priv = ParsePrivateKeyPem(issued->keys.private_key_pem);
  ASSERT_TRUE(priv);
  EXPECT_EQ(EVP_PKEY_get_base_id(priv->get()), EVP_PKEY_RSA);
  EXPECT_EQ(EVP_PKEY_get_bits(priv->get()), 2048);
  EXPECT_TRUE(SamePublicKey(**priv, *X509_get0_pubkey(cert.Raw())));
  EXPECT_EQ(cert.PublicKeyPem(), issued->keys.public_key_pem);

  auto second = CreateKeysAndCertificate(ca, now);
  ASSERT_TRUE(second);
  EXPECT_NE(second->cert.Id(), cert.Id());
  EXPECT_NE(second->keys.private_key_pem, issued->keys.private_key_pem);
}

TEST(CreateCertificateFromCsrTest, GoodCsrs) {
  const CertificateAuthority ca = LoadCa1();
  for (const char* name : {"csr-rsa", "csr-ec-p384"}) {
    const std::string csr = ReadFixture(std::string(name) + ".csr");
    auto cert = CreateCertificateFromCsr(ca, csr, kReferenceTime);
    ASSERT_TRUE(cert) << name << ": " << cert.error().ToString();
    EXPECT_EQ(cert->SubjectCommonName(), name);
    EXPECT_EQ(cert->NotAfter(), AwsIotCertificateNotAfter());
    auto priv = ParsePrivateKeyPem(ReadFixture(std::string(name) + ".key"));
    ASSERT_TRUE(priv);
    EXPECT_TRUE(SamePublicKey(**priv, *X509_get0_pubkey(cert->Raw()))) << name;
    const std::vector<Certificate> trusted = {ca.Cert()};
    EXPECT_TRUE(VerifyChain(*cert, trusted, kReferenceTime));
    // Reusing a CSR gives a distinct certificate each time.
    auto again = CreateCertificateFromCsr(ca, csr, kReferenceTime);
    ASSERT_TRUE(again);
    EXPECT_NE(again->Id(), cert->Id());
  }
}

TEST(CreateCertificateFromCsrTest, BadCsrs) {
  const CertificateAuthority ca = LoadCa1();
  struct Case {
    const char* file;
    ErrorCode code;
  };
  const Case cases[] = {
      {"csr-broken-signature.csr", ErrorCode::kCertificateValidation},
      {"csr-rsa-1024.csr", ErrorCode::kInvalidArgument},
      {"csr-ec-secp256k1.csr", ErrorCode::kInvalidArgument},
      {"device-rsa-1.pem", ErrorCode::kInvalidArgument},
      {"truncated.der", ErrorCode::kInvalidArgument},
  };
  for (const auto& c : cases) {
    auto cert = CreateCertificateFromCsr(ca, ReadFixture(c.file), kReferenceTime);
    ASSERT_FALSE(cert) << c.file;
    EXPECT_EQ(cert.error().code, c.code) << c.file << ": " << cert.error().message;
  }
}

}  // namespace
}  // namespace fg::pki
