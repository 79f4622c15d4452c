#include "api/http_date.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace fg::api {
namespace {

TEST(HttpDateTest, FormatsAndParsesImfFixdate) {
  TimePoint t = *ParseAmzDate("19941106T084937Z");
  EXPECT_EQ(FormatHttpDate(t), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), t);
  TimePoint golden = *ParseAmzDate("20261122T020944Z");
  EXPECT_EQ(ParseHttpDate(FormatHttpDate(golden)), golden);
}

TEST(HttpDateTest, RejectsEverythingElse) {
  for (const char* bad : {"", "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
                          "Sun Nov  6 08:49:37 1994",            // asctime
                          "Mon, 06 Nov 1994 08:49:37 GMT",       // wrong day name
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Xyz 1994 08:49:37 GMT",
                          "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ",
                          "Sun, 0a Nov 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(ParseHttpDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace fg::api
