#include "mqtt/topic.h"

#include <gtest/gtest.h>

#include "mqtt/retained_store.h"
#include "mqtt/subscription_table.h"

namespace fg::mqtt {
namespace {

TEST(TopicTest, NameAndFilterValidation) {
  struct Case {
    const char* s;
    bool name;
    bool filter;
  };
  for (const Case c : {
           Case{"a", true, true},       Case{"a/b/c", true, true},    Case{"/", true, true},
           Case{"a//b", true, true},    Case{"$SYS/x", true, true},   Case{"", false, false},
           Case{"#", false, true},      Case{"+", false, true},       Case{"a/#", false, true},
           Case{"a/+/b", false, true},  Case{"+/+", false, true},     Case{"/#", false, true},
           Case{"a/#/b", false, false}, Case{"a#", false, false},     Case{"a/b#", false, false},
           Case{"a+/b", false, false},  Case{"a/+b", false, false},   Case{"##", false, false},
           Case{"#/", false, false},    Case{"sport+", false, false},
       }) {
    EXPECT_EQ(IsValidTopicName(c.s), c.name) << c.s;
    EXPECT_EQ(IsValidTopicFilter(c.s), c.filter) << c.s;
  }
}

TEST(TopicTest, AwsLimits) {
  const TopicLimits limits;
  EXPECT_TRUE(WithinTopicLimits("a/b/c/d/e/f/g/h", limits));  // 7 slashes
  EXPECT_FALSE(WithinTopicLimits("a/b/c/d/e/f/g/h/i", limits));
  EXPECT_TRUE(WithinTopicLimits(std::string(256, 'x'), limits));
  EXPECT_FALSE(WithinTopicLimits(std::string(257, 'x'), limits));
  EXPECT_TRUE(WithinTopicLimits("a/b/c/d/e/f/g/h/i", TopicLimits{256, 8}));
}

struct MatchCase {
  const char* filter;
  const char* topic;
  bool match;
};

// MQTT 5 §4.7.1 examples plus the '$' rule of §4.7.2.
const MatchCase kMatchCases[] = {
    {"sport/tennis/player1/#", "sport/tennis/player1", true},
    {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
    {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
    {"sport/#", "sport", true},
    {"#", "sport/tennis", true},
    {"#", "/", true},
    {"sport/tennis/+", "sport/tennis/player1", true},
    {"sport/tennis/+", "sport/tennis/player1/ranking", false},
    {"sport/+", "sport", false},
    {"sport/+", "sport/", true},
    {"+/+", "/finance", true},
    {"/+", "/finance", true},
    {"+", "/finance", false},
    {"a/b", "a/b", true},
    {"a/b", "a/b/c", false},
    {"a/b/c", "a/b", false},
    {"A/b", "a/b", false},
    {"+/b", "a/b", true},
    {"a/+/c", "a//c", true},
    {"#", "$SYS/monitor", false},
    {"+/monitor", "$SYS/monitor", false},
    {"$SYS/#", "$SYS/monitor/clients", true},
    {"$SYS/monitor/+", "$SYS/monitor/clients", true},
    {"$aws/events/presence/+/#", "$aws/events/presence/connected/dev1", true},
    {"+/events/#", "$aws/events/x", false},
};

TEST(TopicTest, MatchingTable) {
  for (const auto& c : kMatchCases) {
    EXPECT_EQ(TopicMatches(c.filter, c.topic), c.match) << c.filter << " vs " << c.topic;
  }
}

TEST(SubscriptionTableTest, AgreesWithTopicMatchesOnTheTable) {
  SubscriptionTable table;
  std::vector<std::string> filters;
  for (const auto& c : kMatchCases) {
    if (std::find(filters.begin(), filters.end(), c.filter) == filters.end()) {
      filters.push_back(c.filter);
    }
  }
  for (std::size_t i = 0; i < filters.size(); ++i) {
    EXPECT_TRUE(table.Add(filters[i], i, {}));
  }
  for (const auto& c : kMatchCases) {
    const auto matched = table.Match(c.topic);
    std::vector<SubscriberId> expected;
    for (std::size_t i = 0; i < filters.size(); ++i) {
      if (TopicMatches(filters[i], c.topic)) {
        expected.push_back(i);
      }
    }
    std::vector<SubscriberId> got;
    for (const auto& m : matched) {
      got.push_back(m.id);
    }
    EXPECT_EQ(got, expected) << c.topic;
  }
}

TEST(SubscriptionTableTest, OverlapsAreDeliveredOnceAtTheHighestQos) {
  SubscriptionTable table;
  table.Add("a/+", 1, {QoS::kAtMostOnce, false, false});
  table.Add("a/#", 1, {QoS::kAtLeastOnce, true, false});
  table.Add("a/b", 2, {QoS::kAtMostOnce, false, false});
  EXPECT_FALSE(table.Add("a/b", 2, {QoS::kAtLeastOnce, false, false}));  // replaces
  EXPECT_EQ(table.size(), 3u);
  const auto m = table.Match("a/b");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].id, 1u);
  EXPECT_EQ(m[0].options.max_qos, QoS::kAtLeastOnce);
  EXPECT_TRUE(m[0].options.no_local);
  EXPECT_EQ(m[1].options.max_qos, QoS::kAtLeastOnce);
}

TEST(SubscriptionTableTest, RemovePrunesAndManySubscriptionsStayFast) {
  SubscriptionTable table;
  for (SubscriberId id = 0; id < 20'000; ++id) {
    table.Add("dev/" + std::to_string(id) + "/cmd", id, {});
  }
  table.Add("dev/+/cmd", 99'999, {});
  EXPECT_EQ(table.Match("dev/123/cmd").size(), 2u);
  EXPECT_TRUE(table.Remove("dev/123/cmd", 123));
  EXPECT_FALSE(table.Remove("dev/123/cmd", 123));
  EXPECT_FALSE(table.Remove("dev/nope/cmd", 1));
  EXPECT_EQ(table.Match("dev/123/cmd").size(), 1u);
  EXPECT_EQ(table.size(), 20'000u);
}

TEST(RetainedStoreTest, PutReplaceDeleteAndMatch) {
  RetainedStore store(2);
  ASSERT_TRUE(store.Put({"a/b", "1", QoS::kAtLeastOnce, true, {}}).has_value());
  ASSERT_TRUE(store.Put({"a/c", "2", QoS::kAtMostOnce, true, {}}).has_value());
  auto full = store.Put({"x", "3", QoS::kAtMostOnce, true, {}});
  ASSERT_FALSE(full.has_value());
  EXPECT_EQ(full.error().code, ErrorCode::kLimitExceeded);
  ASSERT_TRUE(store.Put({"a/b", "1b", QoS::kAtMostOnce, true, {}}).has_value());  // replace
  EXPECT_EQ(store.Match("a/+").size(), 2u);
  EXPECT_EQ(store.Match("a/b").at(0).payload, "1b");
  EXPECT_TRUE(store.Match("#").size() == 2u);
  ASSERT_TRUE(store.Put({"a/b", "", QoS::kAtMostOnce, true, {}}).has_value());  // delete
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.Match("a/b").empty());
  ASSERT_TRUE(store.Put({"$SYS/x", "s", QoS::kAtMostOnce, true, {}}).has_value());
  EXPECT_EQ(store.Match("#").size(), 1u);  // '$' topics not matched by '#'
}

}  // namespace
}  // namespace fg::mqtt
