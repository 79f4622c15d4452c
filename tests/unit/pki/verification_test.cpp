#include "pki/verification.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::kReferenceTime;
using testing::LoadCert;

constexpr std::string_view kRegistrationCode =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(VerifyChainTest, Table) {
  struct Case {
    const char* leaf;
    std::vector<const char*> trusted;
    bool ok;
    const char* message_part;
  };
  const Case cases[] = {
      // CA 1 is an intermediate: trusting it alone needs the partial-chain flag.
      {"device-rsa-1", {"ca1"}, true, ""},
      {"device-rsa-2", {"ca1", "ca2"}, true, ""},
      {"device-ec-1", {"ca2"}, true, ""},
      {"device-ec-2", {"ca1", "ca2", "rogue-ca"}, true, ""},
      {"device-rsa-3", {"root-ca", "ca1"}, true, ""},
      {"device-rsa-1", {"ca2"}, false, "unable to get local issuer certificate"},
      {"device-rogue", {"ca1", "ca2"}, false, "unable to get local issuer certificate"},
      {"device-expired", {"ca1"}, false, "certificate has expired"},
      {"device-not-yet-valid", {"ca1"}, false, "certificate is not yet valid"},
      {"device-selfsigned", {"ca1", "ca2"}, false, "self-signed certificate"},
      {"device-ec-1", {"ca1"}, false, "unable to get local issuer certificate"},
      // Trusting the root alone does not help: CA 1 is not presented.
      {"device-rsa-1", {"root-ca"}, false, "unable to get local issuer certificate"},
      {"device-rsa-1", {}, false, "no trusted CA"},
      // Security level 2: weak digests fail even when the chain is otherwise sound.
      {"device-sha1", {"ca1"}, false, "digest algorithm too weak"},
      {"device-md5", {"ca1"}, false, "digest algorithm too weak"},
      {"device-rsa-sha512", {"ca1"}, true, ""},
      {"device-ec-sha384", {"ca2"}, true, ""},
  };
  for (const auto& c : cases) {
    std::vector<Certificate> trusted;
    for (const char* name : c.trusted) {
      trusted.push_back(LoadCert(name));
    }
    auto result = VerifyChain(LoadCert(c.leaf), trusted, kReferenceTime);
    EXPECT_EQ(result.has_value(), c.ok) << c.leaf;
    if (!c.ok && !result) {
      EXPECT_EQ(result.error().code, ErrorCode::kCertificateValidation);
      EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
          << c.leaf << ": " << result.error().message;
    }
  }
}

TEST(VerifyChainTest, UsesTheGivenTimeNotTheWallClock) {
  const std::vector<Certificate> ca1 = {LoadCert("ca1")};
  const Certificate good = LoadCert("device-rsa-1");
  EXPECT_TRUE(VerifyChain(good, ca1, *ParseIso8601("2059-12-31T00:00:00Z")));
  auto late = VerifyChain(good, ca1, *ParseIso8601("2061-01-01T00:00:00Z"));
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("expired"), std::string::npos) << late.error().message;
}

TEST(RegistrationProofTest, Table) {
  struct Case {
    const char* verification;
    std::string code;
    bool ok;
    ErrorCode code_on_error;
  };
  const Case cases[] = {
      {"verification-ca1", std::string(kRegistrationCode), true, ErrorCode::kInternal},
      {"verification-ca1-rogue-key", std::string(kRegistrationCode), false,
       ErrorCode::kCertificateValidation},
      {"verification-ca1-wrong-cn", std::string(kRegistrationCode), false,
       ErrorCode::kRegistrationCodeValidation},
      {"verification-ca1", "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
       false, ErrorCode::kRegistrationCodeValidation},
      {"verification-ca1", std::string(kRegistrationCode.substr(0, 63)), false,
       ErrorCode::kRegistrationCodeValidation},
      {"verification-ca1", "", false, ErrorCode::kRegistrationCodeValidation},
      // A device certificate signed by CA 1 is not a proof: its CN is not the code.
      {"device-rsa-1", std::string(kRegistrationCode), false,
       ErrorCode::kRegistrationCodeValidation},
  };
  const Certificate ca1 = LoadCert("ca1");
  for (const auto& c : cases) {
    auto result = VerifyRegistrationProof(ca1, LoadCert(c.verification), c.code);
    EXPECT_EQ(result.has_value(), c.ok) << c.verification << " / " << c.code;
    if (!c.ok && !result) {
      EXPECT_EQ(result.error().code, c.code_on_error)
          << c.verification << ": " << result.error().message;
    }
  }
}

TEST(RegistrationProofTest, OtherCaKeyRejectsTheGoodProof) {
  auto result =
      VerifyRegistrationProof(LoadCert("ca2"), LoadCert("verification-ca1"), kRegistrationCode);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCertificateValidation);
}

TEST(SignedByTest, Table) {
  struct Case {
    const char* leaf;
    const char* ca;
    bool signed_by;
  };
  const Case cases[] = {
      {"device-rsa-1", "ca1", true},
      {"device-ec-1", "ca2", true},
      {"ca1", "root-ca", true},
      {"root-ca", "root-ca", true},
      {"device-rsa-1", "ca2", false},
      {"device-rsa-1", "root-ca", false},
      {"device-rogue", "ca1", false},
      {"device-selfsigned", "ca1", false},
      {"verification-ca1-rogue-key", "ca1", false},
      {"device-expired", "ca1", true},  // SignedBy ignores validity
      {"device-sha1", "ca1", true},     // and the signature policy
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SignedBy(LoadCert(c.leaf), LoadCert(c.ca)), c.signed_by) << c.leaf << " by " << c.ca;
  }
}

}  // namespace
}  // namespace fg::pki
