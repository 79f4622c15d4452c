#include "pki/random.h"

#include <array>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/hex.h"

namespace fg::pki {
namespace {

TEST(RandomTest, BytesHaveRequestedLengthAndDiffer) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  // 2^-256 chance of a false failure.
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(RandomTest, HexIsLowercaseHexOfTwiceTheLength) {
  const std::string h = RandomHex(32);
  EXPECT_TRUE(IsHex(h, 64));
  for (char c : h) {
    EXPECT_FALSE(c >= 'A' && c <= 'F') << h;
  }
}

TEST(RandomTest, StringUsesOnlyTheAlphabetAndHasTheLength) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  for (size_t len : {0u, 1u, 20u, 40u, 1000u}) {
    const std::string s = RandomString(len, alphabet);
    EXPECT_EQ(s.size(), len);
    EXPECT_EQ(s.find_first_not_of(alphabet), std::string::npos) << s;
  }
}

TEST(RandomTest, StringCoversANonPowerOfTwoAlphabetRoughlyEvenly) {
  // 3 symbols: a modulo-biased draw from bytes would favour 'a' (86/256 vs 85/256), which this
  // cannot detect; it checks only that every symbol appears with a sane frequency.
  const std::string s = RandomString(30000, "abc");
  std::array<int, 3> counts{};
  for (char c : s) {
    counts[static_cast<size_t>(c - 'a')]++;
  }
  for (int n : counts) {
    EXPECT_GT(n, 9000);
    EXPECT_LT(n, 11000);
  }
}

TEST(RandomTest, SingleSymbolAlphabet) { EXPECT_EQ(RandomString(5, "x"), "xxxxx"); }

TEST(RandomTest, UuidIsVersion4Lowercase) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string u = RandomUuid();
    ASSERT_EQ(u.size(), 36u) << u;
    EXPECT_EQ(u[8], '-');
    EXPECT_EQ(u[13], '-');
    EXPECT_EQ(u[18], '-');
    EXPECT_EQ(u[23], '-');
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    std::string digits = u;
    std::erase(digits, '-');
    EXPECT_TRUE(IsHex(digits, 32)) << u;
    for (char c : digits) {
      EXPECT_FALSE(c >= 'A' && c <= 'F') << u;
    }
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(RandomDeathTest, EmptyAlphabetAborts) { EXPECT_DEATH(RandomString(3, ""), "alphabet size"); }

}  // namespace
}  // namespace fg::pki
