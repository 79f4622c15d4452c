#include "pki/certificate.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include "core/time_format.h"
#include "pki/key.h"
#include "pki/openssl_ptr.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::FixtureFingerprint;
using testing::LoadCert;
using testing::ReadFixture;

const std::vector<std::string> kAllCertificates = {
    "root-ca",
    "ca1",
    "ca2",
    "rogue-ca",
    "device-rsa-1",
    "device-rsa-2",
    "device-rsa-3",
    "device-ec-1",
    "device-ec-2",
    "device-rsa-sha384",
    "device-rsa-sha512",
    "device-ec-sha384",
    "device-ec-sha512",
    "device-dsa",
    "device-selfsigned",
    "device-expired",
    "device-not-yet-valid",
    "device-sha1",
    "device-md5",
    "device-rogue",
    "verification-ca1",
    "verification-ca1-rogue-key",
    "verification-ca1-wrong-cn",
};

TEST(CertificateTest, IdIsSha256OfDerAsComputedByOpenSslCli) {
  for (const auto& name : kAllCertificates) {
    const Certificate cert = LoadCert(name);
    EXPECT_EQ(cert.Id(), FixtureFingerprint(name)) << name;
    EXPECT_EQ(cert.Id().size(), 64u);
  }
}

TEST(CertificateTest, DerRoundTrip) {
  const std::string der = ReadFixture("device-rsa-1.der");
  auto from_der = Certificate::FromDer(der);
  ASSERT_TRUE(from_der) << from_der.error().ToString();
  EXPECT_EQ(from_der->Der(), der);
  EXPECT_EQ(from_der->Id(), FixtureFingerprint("device-rsa-1"));
  const Certificate from_pem = LoadCert("device-rsa-1");
  EXPECT_EQ(from_pem.Der(), der);
  EXPECT_TRUE(from_pem.SameAs(*from_der));
  EXPECT_FALSE(from_pem.SameAs(LoadCert("device-rsa-2")));
}

// Found by fuzz/pki_certificate: d2i_X509 accepted a signature BIT STRING whose "unused bits"
// byte claims padding that is not zero. Such a second encoding of a certificate would hash to a
// second certificate id, so it must be refused.
TEST(CertificateTest, RejectsNonCanonicalDer) {
  auto cert = Certificate::FromPem(ReadFixture("device-ec-1.pem"));
  ASSERT_TRUE(cert) << cert.error().ToString();
  std::string der = cert->Der();
  ASSERT_GT(der.size(), 358u);
  ASSERT_EQ(der[358], '\0')
      << "fixture layout changed: offset 358 is no longer the unused-bits byte";
  der[358] = '\x04';
  auto mangled = Certificate::FromDer(der);
  ASSERT_FALSE(mangled);
  EXPECT_EQ(mangled.error().code, ErrorCode::kCertificateValidation);
  EXPECT_NE(mangled.error().message.find("canonical"), std::string::npos)
      << mangled.error().message;
}

TEST(CertificateTest, PemRoundTrip) {
  const Certificate cert = LoadCert("device-ec-1");
  auto again = Certificate::FromPem(cert.Pem());
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->Id(), cert.Id());
  EXPECT_EQ(cert.Pem(), ReadFixture("device-ec-1.pem"));
}

TEST(CertificateTest, AcceptsSurroundingWhitespaceAndCrlf) {
  std::string pem = ReadFixture("device-rsa-1.pem");
  std::string crlf;
  for (char c : pem) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  for (const std::string& input : {"\n  " + pem + "\n\n \t", crlf}) {
    auto cert = Certificate::FromPem(input);
    ASSERT_TRUE(cert) << cert.error().ToString();
    EXPECT_EQ(cert->Id(), FixtureFingerprint("device-rsa-1"));
  }
}

struct BadInput {
  const char* name;
  std::string input;
  bool pem;                  // FromPem, else FromDer
  const char* message_part;  // must appear in the error message
};

TEST(CertificateTest, StrictParsingRejectsBadInputs) {
  const std::string pem1 = ReadFixture("device-rsa-1.pem");
  const std::string der1 = ReadFixture("device-rsa-1.der");
  std::string truncated_pem = pem1.substr(0, pem1.size() / 2);
  std::string no_end = pem1.substr(0, pem1.find("-----END"));
  std::string bad_base64 = pem1;
  bad_base64[40] = '*';
  std::string encrypted = pem1;
  encrypted.insert(encrypted.find('\n') + 1,
                   "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n");
  const BadInput cases[] = {
      {"empty pem", "", true, "empty"},
      {"whitespace pem", " \n\t\n", true, "empty"},
      {"garbage", "this is not a certificate", true, "not PEM"},
      {"leading garbage", "hello\n" + pem1, true, "not PEM"},
      {"two certs", ReadFixture("two-certs.pem"), true, "more than one"},
      {"trailing garbage", pem1 + "garbage\n", true, "after the certificate"},
      {"trailing nul", pem1 + std::string(1, '\0'), true, "after the certificate"},
      {"truncated pem", truncated_pem, true, "malformed"},
      {"missing end line", no_end, true, "malformed"},
      {"bad base64", bad_base64, true, "malformed"},
      {"private key pem", ReadFixture("device-rsa-1.key"), true, "PRIVATE KEY"},
      {"csr pem", ReadFixture("csr-rsa.csr"), true, "CERTIFICATE REQUEST"},
      {"encrypted pem headers", encrypted, true, "headers"},
      {"der as pem", der1, true, "not PEM"},
      {"empty der", "", false, "empty"},
      {"truncated der", ReadFixture("truncated.der"), false, "malformed"},
      {"der trailing byte", der1 + std::string(1, '\0'), false, "1 trailing bytes"},
      {"der garbage", "\x30\x03\x02\x01\x01", false, "malformed"},
      {"pem as der", pem1, false, "malformed"},
  };
  for (const auto& c : cases) {
    auto cert = c.pem ? Certificate::FromPem(c.input) : Certificate::FromDer(c.input);
    ASSERT_FALSE(cert) << c.name;
    EXPECT_EQ(cert.error().code, ErrorCode::kCertificateValidation) << c.name;
    EXPECT_NE(cert.error().message.find(c.message_part), std::string::npos)
        << c.name << ": " << cert.error().message;
  }
}

TEST(CertificateTest, RejectsOversizedInput) {
  auto cert = Certificate::FromPem("-----BEGIN CERTIFICATE-----\n" + std::string(2 << 20, 'A'));
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().code, ErrorCode::kCertificateValidation);
}

TEST(CertificateTest, NamesAndDates) {
  const Certificate ca1 = LoadCert("ca1");
  EXPECT_EQ(ca1.Subject(), "CN=Test Device CA 1");
  EXPECT_EQ(ca1.Issuer(), "CN=Fleetguard Test Root CA");
  EXPECT_EQ(ca1.SubjectCommonName(), "Test Device CA 1");
  EXPECT_EQ(FormatIso8601(ca1.NotBefore()), "2020-01-01T00:00:00Z");
  // 2060 is past 2049, so this exercises GeneralizedTime.
  EXPECT_EQ(FormatIso8601(ca1.NotAfter()), "2060-01-01T00:00:00Z");
  const Certificate expired = LoadCert("device-expired");
  EXPECT_EQ(FormatIso8601(expired.NotBefore()), "2001-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(expired.NotAfter()), "2002-01-01T00:00:00Z");
  EXPECT_EQ(LoadCert("verification-ca1").SubjectCommonName(),
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(LoadCert("device-rsa-1").SerialNumberHex().empty());
}

TEST(CertificateTest, CaAndSelfSignedFlags) {
  struct Case {
    const char* name;
    bool ca;
    bool self_signed;
  };
  const Case cases[] = {
      {"root-ca", true, true},
      {"ca1", true, false},
      {"ca2", true, true},
      {"rogue-ca", true, true},
      {"device-rsa-1", false, false},
      {"device-ec-1", false, false},
      {"device-selfsigned", false, true},
      {"device-rogue", false, false},
      {"device-dsa", false, true},
  };
  for (const auto& c : cases) {
    const Certificate cert = LoadCert(c.name);
    EXPECT_EQ(cert.IsCa(), c.ca) << c.name;
    EXPECT_EQ(cert.IsSelfSigned(), c.self_signed) << c.name;
  }
}

TEST(CertificateTest, PublicKeyMatchesFixtureKey) {
  for (const char* name : {"device-rsa-1", "device-ec-1", "device-dsa"}) {
    const Certificate cert = LoadCert(name);
    auto pub = ParsePublicKeyPem(cert.PublicKeyPem());
    auto priv = ParsePrivateKeyPem(ReadFixture(std::string(name) + ".key"));
    ASSERT_TRUE(pub && priv) << name;
    EXPECT_TRUE(SamePublicKey(**pub, **priv)) << name;
  }
  auto other = ParsePrivateKeyPem(ReadFixture("device-rsa-2.key"));
  auto pub1 = ParsePublicKeyPem(LoadCert("device-rsa-1").PublicKeyPem());
  ASSERT_TRUE(other && pub1);
  EXPECT_FALSE(SamePublicKey(**pub1, **other));
}

TEST(CertificateTest, CopiesShareTheParsedCertificate) {
  const Certificate a = LoadCert("device-rsa-1");
  const Certificate b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(a.Raw(), b.Raw());
  EXPECT_EQ(b.Id(), FixtureFingerprint("device-rsa-1"));
}

TEST(CertificateTest, FromX509TakesItsOwnReference) {
  const Certificate original = LoadCert("device-ec-2");
  auto copy = Certificate::FromX509(*original.Raw());
  ASSERT_TRUE(copy) << copy.error().ToString();
  EXPECT_EQ(copy->Id(), original.Id());
  EXPECT_EQ(copy->Raw(), original.Raw());
}

// What the gateway does with a TLS peer: no second parse, the id of the bytes sent, and a
// reference of its own (the SSL that parsed it may be freed first).
TEST(CertificateTest, FromReceivedKeepsTheSentBytesAndItsOwnReference) {
  const std::string sent = LoadCert("device-ec-2").Der();
  const auto* p = reinterpret_cast<const unsigned char*>(sent.data());
  X509Ptr parsed(d2i_X509(nullptr, &p, static_cast<long>(sent.size())));
  ASSERT_NE(parsed, nullptr);
  auto cert = Certificate::FromReceived(*parsed, sent);
  ASSERT_TRUE(cert) << cert.error().ToString();
  EXPECT_EQ(cert->Raw(), parsed.get());
  parsed.reset();
  EXPECT_EQ(cert->Id(), FixtureFingerprint("device-ec-2"));
  EXPECT_EQ(cert->Der(), sent);
  EXPECT_EQ(cert->Subject(), LoadCert("device-ec-2").Subject());
}

TEST(CertificateTest, FromReceivedRefusesBytesThatAreNotTheCanonicalDerOfTheX509) {
  const Certificate cert = LoadCert("device-ec-1");
  std::string padded = cert.Der();
  padded[358] = '\x04';  // see RejectsNonCanonicalDer
  const auto* p = reinterpret_cast<const unsigned char*>(padded.data());
  X509Ptr lenient(d2i_X509(nullptr, &p, static_cast<long>(padded.size())));
  ASSERT_NE(lenient, nullptr);
  const std::vector<std::pair<X509*, std::string>> cases = {
      {lenient.get(), padded},
      {cert.Raw(), ""},
      {cert.Raw(), cert.Der() + "x"},
      {cert.Raw(), cert.Der().substr(1)},
      {cert.Raw(), LoadCert("device-ec-2").Der()},
  };
  for (const auto& [x509, sent] : cases) {
    auto refused = Certificate::FromReceived(*x509, sent);
    ASSERT_FALSE(refused) << sent.size();
    EXPECT_EQ(refused.error().code, ErrorCode::kCertificateValidation);
  }
}

}  // namespace
}  // namespace fg::pki
