#include "audit/device_key.h"

#include <gtest/gtest.h>

namespace fg::audit {
namespace {

struct KeyCase {
  const char* client_id;
  const char* stripped;  // the key under kStripHashNumberSuffix
};

class DeviceKeyTest : public testing::TestWithParam<KeyCase> {};

TEST_P(DeviceKeyTest, StripRule) {
  const KeyCase& c = GetParam();
  EXPECT_EQ(DeviceKey(c.client_id, DeviceKeyRule::kStripHashNumberSuffix), c.stripped);
  EXPECT_EQ(DeviceKey(c.client_id, DeviceKeyRule::kClientId), c.client_id);
}

INSTANTIATE_TEST_SUITE_P(Table, DeviceKeyTest,
                         testing::Values(KeyCase{"thing#2", "thing"}, KeyCase{"thing#12", "thing"},
                                         KeyCase{"thing", "thing"}, KeyCase{"thing#", "thing#"},
                                         KeyCase{"thing#x2", "thing#x2"},
                                         KeyCase{"thing2", "thing2"}, KeyCase{"#2", "#2"},
                                         KeyCase{"a#b#3", "a#b"}, KeyCase{"", ""},
                                         KeyCase{"thing#2#3", "thing#2"}));

TEST(DeviceKeyRuleTest, NamesRoundTrip) {
  for (DeviceKeyRule rule : {DeviceKeyRule::kClientId, DeviceKeyRule::kStripHashNumberSuffix}) {
    EXPECT_EQ(ParseDeviceKeyRule(DeviceKeyRuleName(rule)), rule);
  }
  EXPECT_FALSE(ParseDeviceKeyRule("client_id").has_value());
  EXPECT_FALSE(ParseDeviceKeyRule("").has_value());
}

}  // namespace
}  // namespace fg::audit
