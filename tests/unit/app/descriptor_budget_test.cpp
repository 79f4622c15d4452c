// Fitting max_connections to RLIMIT_NOFILE (app/descriptor_budget.h).

#include "app/descriptor_budget.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace fg::app {
namespace {

TEST(DescriptorBudgetTest, SplitsWhatIsLeftAfterTheReserve) {
  struct Case {
    uint64_t nofile;
    size_t mqtt_listeners;
    size_t mqtt;
    size_t http;
  };
  const Case cases[] = {
      // 1,048,576 - 128 reserved: HTTP its default cap, MQTT the rest.
      {1'048'576, 1, 1'048'576 - 128 - 1024, 1024},
      {1'048'576, 2, (1'048'576 - 128 - 1024) / 2, 1024},
      // 1024 - 128 = 896: HTTP an eighth.
      {1024, 1, 896 - 112, 112},
      {256, 1, 112, 16},
      // Below the reserve every share is still one connection.
      {100, 1, 1, 1},
      {0, 2, 1, 1},
  };
  for (const Case& c : cases) {
    ConnectionBudget b = FitConnections(c.nofile, c.mqtt_listeners);
    EXPECT_EQ(b.mqtt_per_listener, c.mqtt) << c.nofile;
    EXPECT_EQ(b.http, c.http) << c.nofile;
    if (c.nofile > kReservedDescriptors + 2) {
      EXPECT_LE(kReservedDescriptors + b.http + b.mqtt_per_listener * c.mqtt_listeners, c.nofile);
    }
  }
}

TEST(DescriptorBudgetTest, RaisesTheSoftLimitToTheHardOne) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max <= 64) {
    GTEST_SKIP() << "hard RLIMIT_NOFILE too low to lower the soft one";
  }
  rlimit lowered = saved;
  lowered.rlim_cur = 64;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  auto raised = RaiseDescriptorLimit();
  rlimit now{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_TRUE(raised.has_value()) << raised.error().ToString();
  EXPECT_EQ(raised->before, 64u);
  EXPECT_EQ(raised->now, now.rlim_cur);
  EXPECT_GT(now.rlim_cur, 64u);
  if (saved.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(now.rlim_cur, saved.rlim_max);
  }
}

}  // namespace
}  // namespace fg::app
