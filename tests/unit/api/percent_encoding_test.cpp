#include "api/percent_encoding.h"

#include <gtest/gtest.h>

namespace fg::api {
namespace {

TEST(PercentEncodingTest, DecodesEitherCaseAndKeepsPlus) {
  EXPECT_EQ(PercentDecode("arn%3aaws%3A%2F").value_or(""), "arn:aws:/");
  EXPECT_EQ(PercentDecode("a+b%20c").value_or(""), "a+b c");
  EXPECT_EQ(PercentDecode("%00").value_or("x"), std::string(1, '\0'));
}

TEST(PercentEncodingTest, RejectsTruncatedOrNonHexEscapes) {
  for (const char* bad : {"%", "%2", "a%", "%zz", "%2g", "%%20"}) {
    EXPECT_FALSE(PercentDecode(bad)) << bad;
  }
}

TEST(PercentEncodingTest, EncodesAllButUnreservedAndSafe) {
  EXPECT_EQ(PercentEncode("aZ09-_.~ /:%+\xff"), "aZ09-_.~%20%2F%3A%25%2B%FF");
  EXPECT_EQ(PercentEncode("/a b/", "/"), "/a%20b/");
}

TEST(PercentEncodingTest, QueryKeepsRepeatsInKeyOrder) {
  auto q = ParseQueryString("b=2&a=1&&a=0&flag&e=");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ(q->count("a"), 2u);
  EXPECT_EQ(q->find("flag")->second, "");
  EXPECT_EQ(q->begin()->first, "a");
  EXPECT_FALSE(ParseQueryString("a=%2"));
  EXPECT_FALSE(ParseQueryString("%zz=1"));
}

}  // namespace
}  // namespace fg::api
