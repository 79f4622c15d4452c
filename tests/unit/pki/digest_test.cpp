#include "pki/digest.h"

#include <string>

#include <gtest/gtest.h>

#include "core/hex.h"

namespace fg::pki {
namespace {

std::string Bytes(size_t n, char c) { return std::string(n, c); }

std::string Unhex(std::string_view hex) {
  auto v = HexDecode(hex);
  EXPECT_TRUE(v.has_value()) << hex;
  return v ? std::string(v->begin(), v->end()) : std::string();
}

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, RawMatchesHex) { EXPECT_EQ(HexEncode(Sha256("abc")), Sha256Hex("abc")); }

struct HmacCase {
  const char* name;
  std::string key;
  std::string data;
  const char* expected_hex;  // full or truncated (test case 5) output
};

// RFC 4231 section 4, HMAC-SHA-256 outputs.
TEST(HmacSha256Test, Rfc4231Vectors) {
  const HmacCase cases[] = {
      {"case1", Bytes(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case3", Bytes(20, '\xaa'), Bytes(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case4", Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), Bytes(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case5", Bytes(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {"case6", Bytes(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case7", Bytes(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) {
    const std::string got = HexEncode(HmacSha256(c.key, c.data));
    const std::string expected = c.expected_hex;
    EXPECT_EQ(got.substr(0, expected.size()), expected) << c.name;
  }
}

TEST(HmacSha256Test, EmptyKeyAndData) {
  // Independent value from Python's hmac module (not an RFC vector).
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Test, KeyAndDataMatter) {
  EXPECT_NE(HmacSha256("k1", "data"), HmacSha256("k2", "data"));
  EXPECT_NE(HmacSha256("k", "data1"), HmacSha256("k", "data2"));
}

// RFC 5869 Appendix A, test cases 1 (with salt and info) and 3 (no salt, no info).
TEST(HkdfSha256Test, Rfc5869Vectors) {
  struct Case {
    std::string ikm_hex, salt_hex, info_hex, okm_hex;
  };
  const Case cases[] = {
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
       "f0f1f2f3f4f5f6f7f8f9",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
  auto bytes = [](const std::string& hex) {
    auto v = HexDecode(hex);
    return std::string(v->begin(), v->end());
  };
  for (const Case& c : cases) {
    std::string okm = HkdfSha256(bytes(c.ikm_hex), bytes(c.salt_hex), bytes(c.info_hex), 42);
    EXPECT_EQ(HexEncode(okm), c.okm_hex);
  }
}

TEST(HkdfSha256Test, LabelsGiveIndependentKeys) {
  const std::string secret = Bytes(32, 'k');
  EXPECT_NE(HkdfSha256(secret, "", "a", 32), HkdfSha256(secret, "", "b", 32));
  EXPECT_EQ(HkdfSha256(secret, "", "a", 32), HkdfSha256(secret, "", "a", 32));
}

}  // namespace
}  // namespace fg::pki
