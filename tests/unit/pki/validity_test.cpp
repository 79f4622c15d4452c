#include "pki/validity.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::kReferenceTime;
using testing::LoadCert;

TimePoint At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(TimePoint{});
}

TEST(ValidityTest, AtFixedTimes) {
  struct Case {
    const char* fixture;
    const char* at;
    bool valid;
    const char* message_part;
  };
  const Case cases[] = {
      {"device-rsa-1", "2030-01-01T00:00:00Z", true, ""},
      {"device-rsa-1", "2020-01-01T00:00:00Z", true, ""},      // notBefore is inclusive
      {"device-rsa-1", "2060-01-01T00:00:00Z", true, ""},      // notAfter is inclusive
      {"device-rsa-1", "2060-01-01T00:00:00.999Z", true, ""},  // same second
      {"device-rsa-1", "2060-01-01T00:00:01Z", false, "expired at 2060-01-01T00:00:00Z"},
      {"device-rsa-1", "2019-12-31T23:59:59.999Z", false, "not valid before 2020"},
      {"device-expired", "2030-01-01T00:00:00Z", false, "expired at 2002-01-01T00:00:00Z"},
      {"device-expired", "2001-06-01T00:00:00Z", true, ""},
      {"device-not-yet-valid", "2030-01-01T00:00:00Z", false,
       "not valid before 2090-01-01T00:00:00Z"},
      {"device-not-yet-valid", "2091-01-01T00:00:00Z", true, ""},
  };
  for (const auto& c : cases) {
    auto result = CheckValidity(LoadCert(c.fixture), At(c.at));
    EXPECT_EQ(result.has_value(), c.valid) << c.fixture << " at " << c.at;
    if (!c.valid && !result) {
      EXPECT_EQ(result.error().code, ErrorCode::kCertificateValidation);
      EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
          << result.error().message;
    }
  }
}

TEST(ValidityTest, FollowsAManualClock) {
  ManualClock clock(kReferenceTime);
  const Certificate cert = LoadCert("device-rsa-2");
  EXPECT_TRUE(CheckValidity(cert, clock.Now()));
  clock.Set(At("2070-01-01T00:00:00Z"));
  EXPECT_FALSE(CheckValidity(cert, clock.Now()));
}

}  // namespace
}  // namespace fg::pki
