#include "core/hex.h"

#include <gtest/gtest.h>

namespace fg {
namespace {

TEST(HexTest, EncodesLowercase) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xab, 0xff};
  EXPECT_EQ(HexEncode(std::span<const uint8_t>(bytes)), "000fabff");
}

TEST(HexTest, RoundTripsAnyCase) {
  auto decoded = HexDecode("00FfaB");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(HexEncode(std::span<const uint8_t>(*decoded)), "00ffab");
}

TEST(HexTest, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
  EXPECT_FALSE(IsHex("abcg", 4));
  EXPECT_FALSE(IsHex("abc", 4));
  EXPECT_TRUE(IsHex("ABcd", 4));
}

}  // namespace
}  // namespace fg
