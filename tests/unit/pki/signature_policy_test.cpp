#include "pki/signature_policy.h"

#include <string>

#include <gtest/gtest.h>

#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::LoadCert;

struct PolicyCase {
  const char* fixture;
  const char* algorithm;  // Certificate::SignatureAlgorithm()
  bool accepted;
};

TEST(SignaturePolicyTest, EveryFixture) {
  const PolicyCase cases[] = {
      {"root-ca", "SHA256WITHRSA", true},
      {"ca1", "SHA256WITHRSA", true},
      {"ca2", "ECDSA-WITH-SHA256", true},
      {"rogue-ca", "SHA256WITHRSA", true},
      {"device-rsa-1", "SHA256WITHRSA", true},
      {"device-rsa-2", "SHA256WITHRSA", true},
      {"device-rsa-3", "SHA256WITHRSA", true},
      {"device-ec-1", "ECDSA-WITH-SHA256", true},
      {"device-ec-2", "ECDSA-WITH-SHA256", true},
      {"device-rsa-sha384", "SHA384WITHRSA", true},
      {"device-rsa-sha512", "SHA512WITHRSA", true},
      {"device-ec-sha384", "ECDSA-WITH-SHA384", true},
      {"device-ec-sha512", "ECDSA-WITH-SHA512", true},
      {"device-dsa", "DSA_WITH_SHA256", true},
      {"device-selfsigned", "SHA256WITHRSA", true},
      {"device-expired", "SHA256WITHRSA", true},
      {"device-not-yet-valid", "SHA256WITHRSA", true},
      {"device-rogue", "SHA256WITHRSA", true},
      {"verification-ca1", "SHA256WITHRSA", true},
      {"device-sha1", "sha1WithRSAEncryption", false},
      {"device-md5", "md5WithRSAEncryption", false},
  };
  for (const auto& c : cases) {
    const Certificate cert = LoadCert(c.fixture);
    EXPECT_EQ(cert.SignatureAlgorithm(), c.algorithm) << c.fixture;
    auto result = CheckSignatureAlgorithm(cert);
    EXPECT_EQ(result.has_value(), c.accepted) << c.fixture;
    if (!c.accepted && !result) {
      EXPECT_EQ(result.error().code, ErrorCode::kCertificateValidation);
      EXPECT_EQ(result.error().message,
                std::string("unsupported signature algorithm: ") + c.algorithm);
    }
  }
}

}  // namespace
}  // namespace fg::pki
