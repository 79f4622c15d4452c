#include "pki/csr.h"

#include <string>

#include <gtest/gtest.h>

#include "pki/key.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::ReadFixture;

TEST(CertificateRequestTest, GoodCsrParsesAndVerifies) {
  for (const char* name : {"csr-rsa", "csr-ec-p384"}) {
    auto csr = CertificateRequest::FromPem(ReadFixture(std::string(name) + ".csr"));
    ASSERT_TRUE(csr) << name << ": " << csr.error().ToString();
    EXPECT_TRUE(csr->VerifySignature()) << name;
    EXPECT_TRUE(csr->CheckKeyPolicy()) << name;
    EXPECT_EQ(csr->SubjectCommonName(), name);
    auto pub = ParsePublicKeyPem(csr->PublicKeyPem());
    auto priv = ParsePrivateKeyPem(ReadFixture(std::string(name) + ".key"));
    ASSERT_TRUE(pub && priv);
    EXPECT_TRUE(SamePublicKey(**pub, **priv));
  }
}

TEST(CertificateRequestTest, BrokenSignatureParsesButFailsVerification) {
  auto csr = CertificateRequest::FromPem(ReadFixture("csr-broken-signature.csr"));
  ASSERT_TRUE(csr) << csr.error().ToString();
  auto verified = csr->VerifySignature();
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kCertificateValidation);
  EXPECT_NE(verified.error().message.find("signature"), std::string::npos);
}

TEST(CertificateRequestTest, KeyPolicyTable) {
  struct Case {
    const char* file;
    const char* message_part;
  };
  const Case cases[] = {
      {"csr-rsa-1024.csr", "1024 bits is too small"},
      {"csr-ec-secp256k1.csr", "secp256k1 is not supported"},
  };
  for (const auto& c : cases) {
    auto csr = CertificateRequest::FromPem(ReadFixture(c.file));
    ASSERT_TRUE(csr) << c.file;
    EXPECT_TRUE(csr->VerifySignature()) << c.file;
    auto policy = csr->CheckKeyPolicy();
    ASSERT_FALSE(policy) << c.file;
    EXPECT_EQ(policy.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(policy.error().message.find(c.message_part), std::string::npos)
        << policy.error().message;
  }
}

TEST(CertificateRequestTest, StrictParsingRejectsBadInputs) {
  const std::string good = ReadFixture("csr-rsa.csr");
  const std::string cases[] = {
      "",
      "garbage",
      good + good,
      good + "trailing",
      good.substr(0, good.size() / 2),
      ReadFixture("device-rsa-1.pem"),
      ReadFixture("csr-rsa.key"),
      "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n",
  };
  for (const auto& input : cases) {
    auto csr = CertificateRequest::FromPem(input);
    ASSERT_FALSE(csr) << input;
    EXPECT_EQ(csr.error().code, ErrorCode::kInvalidArgument) << csr.error().message;
  }
}

}  // namespace
}  // namespace fg::pki
