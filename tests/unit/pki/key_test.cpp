#include "pki/key.h"

#include <string>

#include <gtest/gtest.h>

#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::ReadFixture;

TEST(KeyTest, GeneratedRsaPairMatchesAndPassesPolicy) {
  auto pair = GenerateRsaKeyPair();
  ASSERT_TRUE(pair) << pair.error().ToString();
  EXPECT_EQ(pair->private_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(pair->public_key_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  auto priv = ParsePrivateKeyPem(pair->private_key_pem);
  auto pub = ParsePublicKeyPem(pair->public_key_pem);
  ASSERT_TRUE(priv && pub);
  EXPECT_TRUE(SamePublicKey(**priv, **pub));
  EXPECT_EQ(EVP_PKEY_get_bits(priv->get()), 2048);
  EXPECT_TRUE(CheckDeviceKeyPolicy(**pub));
}

TEST(KeyTest, GeneratedEcPairIsP256) {
  auto pair = GenerateEcKeyPair();
  ASSERT_TRUE(pair) << pair.error().ToString();
  auto pub = ParsePublicKeyPem(pair->public_key_pem);
  ASSERT_TRUE(pub);
  EXPECT_EQ(EVP_PKEY_get_base_id(pub->get()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(pub->get()), 256);
  EXPECT_TRUE(CheckDeviceKeyPolicy(**pub));
}

TEST(KeyTest, RejectsOutOfRangeRsaSizes) {
  for (int bits : {0, 1024, 2047, 16385}) {
    auto pair = GenerateRsaKeyPair(bits);
    ASSERT_FALSE(pair) << bits;
    EXPECT_EQ(pair.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(KeyTest, DevicePolicyTable) {
  struct Case {
    const char* key_file;
    bool ok;
  };
  const Case cases[] = {
      {"device-rsa-1.key", true},
      {"device-ec-1.key", true},
      {"csr-ec-p384.key", true},
      {"csr-rsa-1024.key", false},
      {"csr-ec-secp256k1.key", false},
      {"device-dsa.key", false},  // DSA keys are never issued, only DSA signatures accepted
  };
  for (const auto& c : cases) {
    auto key = ParsePrivateKeyPem(ReadFixture(c.key_file));
    ASSERT_TRUE(key) << c.key_file;
    auto policy = CheckDeviceKeyPolicy(**key);
    EXPECT_EQ(policy.has_value(), c.ok) << c.key_file;
    if (!policy) {
      EXPECT_EQ(policy.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(KeyTest, ParseRejectsGarbageAndWrongKinds) {
  for (const std::string& input :
       {std::string(), std::string("garbage"), ReadFixture("device-rsa-1.pem")}) {
    auto priv = ParsePrivateKeyPem(input);
    ASSERT_FALSE(priv);
    EXPECT_EQ(priv.error().code, ErrorCode::kInvalidArgument);
    auto pub = ParsePublicKeyPem(input);
    ASSERT_FALSE(pub);
    EXPECT_EQ(pub.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(KeyTest, EncryptedKeyIsRefusedWithoutPrompting) {
  // "-----BEGIN ENCRYPTED PRIVATE KEY-----" with a body that would need a passphrase; the
  // parser must fail instead of reading from the terminal.
  auto key = ParsePrivateKeyPem(
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n"
      "-----END ENCRYPTED PRIVATE KEY-----\n");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::pki
