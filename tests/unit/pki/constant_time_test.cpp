#include "pki/constant_time.h"

#include <string>

#include <gtest/gtest.h>

namespace fg::pki {
namespace {

TEST(ConstantTimeEqualsTest, Table) {
  struct Case {
    std::string a;
    std::string b;
    bool equal;
  };
  const Case cases[] = {
      {"", "", true},
      {"abc", "abc", true},
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {"abc", "abd", false},
      {"abc", "xbc", false},
      {"abc", "ab", false},
      {"", "a", false},
      {"ABC", "abc", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ConstantTimeEquals(c.a, c.b), c.equal) << c.a << " vs " << c.b;
    EXPECT_EQ(ConstantTimeEquals(c.b, c.a), c.equal) << c.b << " vs " << c.a;
  }
}

}  // namespace
}  // namespace fg::pki
