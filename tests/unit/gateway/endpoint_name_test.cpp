#include "gateway/endpoint_name.h"

#include <gtest/gtest.h>

namespace fg::gateway {
namespace {

TEST(EndpointNameTest, ParsesAtsAndLegacyForms) {
  struct Case {
    const char* sni;
    EndpointName expected;
  };
  const std::vector<Case> cases = {
      {"a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com",
       {"a1b2c3d4e5f6g7", "us-east-1", "amazonaws.com", true}},
      {"a1b2c3d4e5f6g7.iot.us-east-1.amazonaws.com",
       {"a1b2c3d4e5f6g7", "us-east-1", "amazonaws.com", false}},
      {"A1B2C3D4E5F6G7-ATS.IoT.EU-West-1.AmazonAWS.com.",
       {"a1b2c3d4e5f6g7", "eu-west-1", "amazonaws.com", true}},
      {"abc-ats.iot.local.localhost", {"abc", "local", "localhost", true}},
      {"abc-ats.iot.us-east-1.fleet.example.org", {"abc", "us-east-1", "fleet.example.org", true}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sni);
    auto parsed = ParseEndpointName(c.sni);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c.expected);
  }
}

TEST(EndpointNameTest, RejectsOtherNames) {
  const std::vector<std::string> cases = {
      "",
      ".",
      "localhost",
      "mqtt.example.com",
      "abc-ats.iot.us-east-1",               // no domain
      "abc-ats.data.us-east-1.example.com",  // second label is not "iot"
      "-ats.iot.us-east-1.example.com",      // empty prefix
      "ab_c-ats.iot.us-east-1.example.com",  // '_' is not a DNS label character
      "ab-c.iot.us-east-1.example.com",      // '-' inside the prefix
      "abc-ats..iot.us-east-1.example.com",  // empty label
      "abc-ats.iot.us-east-1.example.com..",
      "abc-ats.iot.us east-1.example.com",
      std::string("abc-ats.iot.us-east-1.exa\0mple.com", 34),
      "abc-ats.iot.us-east-1.exämple.com",
      "abc-ats.iot." + std::string(64, 'r') + ".example.com",
      "abc-ats.iot.us-east-1." + std::string(250, 'd'),
  };
  for (const std::string& sni : cases) {
    SCOPED_TRACE(sni);
    EXPECT_FALSE(ParseEndpointName(sni).has_value());
  }
}

}  // namespace
}  // namespace fg::gateway
