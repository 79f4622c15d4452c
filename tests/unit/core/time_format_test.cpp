#include "core/time_format.h"

#include <gtest/gtest.h>

namespace fg {
namespace {

TEST(TimeFormatTest, Iso8601RoundTrip) {
  auto t = ParseIso8601("2049-12-31T23:59:59Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(ToEpochMillis(*t), 2524607999000);
  EXPECT_EQ(FormatIso8601(*t), "2049-12-31T23:59:59Z");
}

TEST(TimeFormatTest, Iso8601AcceptsFractionsOfAnyLength) {
  EXPECT_EQ(ToEpochMillis(*ParseIso8601("2024-02-01T12:30:00.5Z")) % 1000, 500);
  EXPECT_EQ(ToEpochMillis(*ParseIso8601("2024-02-01T12:30:00.500Z")) % 1000, 500);
  EXPECT_EQ(ToEpochMillis(*ParseIso8601("2024-02-01T12:30:00.500000Z")) % 1000, 500);
}

struct BadTime {
  const char* text;
};

class Iso8601RejectTest : public testing::TestWithParam<BadTime> {};

TEST_P(Iso8601RejectTest, Rejects) { EXPECT_FALSE(ParseIso8601(GetParam().text).has_value()); }

INSTANTIATE_TEST_SUITE_P(Malformed, Iso8601RejectTest,
                         testing::Values(BadTime{""}, BadTime{"2024-01-01"},
                                         BadTime{"2024-01-01T00:00:00"},
                                         BadTime{"2024-01-01T00:00:00+01:00"},
                                         BadTime{"2024-13-01T00:00:00Z"},
                                         BadTime{"2024-02-30T00:00:00Z"},
                                         BadTime{"2024-01-01T00:00:00.Z"},
                                         BadTime{"2024-01-01T00:00:00Zjunk"}));

TEST(TimeFormatTest, AmzDate) {
  auto t = ParseAmzDate("20261122T020944Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatAmzDate(*t), "20261122T020944Z");
  EXPECT_EQ(FormatAmzDay(*t), "20261122");
  EXPECT_FALSE(ParseAmzDate("20261122T020944").has_value());
  EXPECT_FALSE(ParseAmzDate("2026-11-22T02:09:44Z").has_value());
}

TEST(TimeFormatTest, Durations) {
  EXPECT_EQ(ParseDuration("0s")->count(), 0);
  EXPECT_EQ(ParseDuration("90s")->count(), 90'000);
  EXPECT_EQ(ParseDuration("2h")->count(), 7'200'000);
  EXPECT_EQ(ParseDuration("15m")->count(), 900'000);
  EXPECT_EQ(ParseDuration("45")->count(), 45'000);
  EXPECT_FALSE(ParseDuration("").has_value());
  EXPECT_FALSE(ParseDuration("-1s").has_value());
  EXPECT_FALSE(ParseDuration("2x").has_value());
  EXPECT_FALSE(ParseDuration("h").has_value());
  EXPECT_FALSE(ParseDuration("99999999999999999999s").has_value());
}

}  // namespace
}  // namespace fg
