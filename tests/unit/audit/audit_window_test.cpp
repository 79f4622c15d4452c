#include "audit/audit_window.h"

#include <chrono>
#include <optional>
#include <ostream>

#include <gtest/gtest.h>

namespace fg::audit {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// 2024-06-01T00:00:00Z, an arbitrary fixed reference.
const TimePoint kT = FromEpochMillis(1'717'200'000'000);
constexpr milliseconds kDays31 = hours(24 * 31);

struct OnDemandCase {
  const char* name;
  TimePoint task_start;
  TimePoint check_run;
  milliseconds lag;
  AuditWindow expected;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const OnDemandCase& c, std::ostream* os) { *os << c.name; }

class OnDemandWindowTest : public testing::TestWithParam<OnDemandCase> {};

TEST_P(OnDemandWindowTest, Window) {
  const OnDemandCase& c = GetParam();
  auto w = OnDemandWindow(c.task_start, c.check_run, c.lag);
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  EXPECT_EQ(w->start_ms(), c.expected.start_ms());
  EXPECT_EQ(w->end_ms(), c.expected.end_ms());
}

INSTANTIATE_TEST_SUITE_P(
    Edges, OnDemandWindowTest,
    testing::Values(
        OnDemandCase{"DefaultLag",
                     kT,
                     kT + minutes(10),
                     kDefaultSettleLag,
                     {kT - kDays31, kT + minutes(10) - hours(2)}},
        OnDemandCase{
            "ZeroLag", kT, kT + minutes(10), milliseconds(0), {kT - kDays31, kT + minutes(10)}},
        OnDemandCase{"RunAtStart", kT, kT, hours(2), {kT - kDays31, kT - hours(2)}},
        OnDemandCase{
            "LagOfExactlyLookbackGivesEmptyWindow", kT, kT, kDays31, {kT - kDays31, kT - kDays31}}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(AuditWindowTest, OnDemandRejectsBadInput) {
  EXPECT_EQ(OnDemandWindow(kT, kT, milliseconds(-1)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(OnDemandWindow(kT, kT - milliseconds(1), hours(2)).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(OnDemandWindow(kT, kT, kDays31 + milliseconds(1)).error().code,
            ErrorCode::kInvalidArgument);
}

struct ScheduledCase {
  const char* name;
  std::optional<TimePoint> previous;
  TimePoint this_start;
  milliseconds lag;
  AuditWindow expected;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const ScheduledCase& c, std::ostream* os) { *os << c.name; }

class ScheduledWindowTest : public testing::TestWithParam<ScheduledCase> {};

TEST_P(ScheduledWindowTest, Window) {
  const ScheduledCase& c = GetParam();
  auto w = ScheduledWindow(c.previous, c.this_start, c.lag);
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  EXPECT_EQ(w->start_ms(), c.expected.start_ms());
  EXPECT_EQ(w->end_ms(), c.expected.end_ms());
}

INSTANTIATE_TEST_SUITE_P(
    Edges, ScheduledWindowTest,
    testing::Values(
        ScheduledCase{"Daily", kT - hours(24), kT, hours(2), {kT - hours(26), kT - hours(2)}},
        ScheduledCase{"DailyZeroLag", kT - hours(24), kT, milliseconds(0), {kT - hours(24), kT}},
        ScheduledCase{
            "FirstRunFallsBackTo31Days", std::nullopt, kT, hours(2), {kT - kDays31, kT - hours(2)}},
        ScheduledCase{"LongPauseIsCappedAt31Days",
                      kT - hours(24 * 90),
                      kT,
                      hours(2),
                      {kT - kDays31, kT - hours(2)}},
        ScheduledCase{
            "PreviousExactly31DaysAgo", kT - kDays31, kT, hours(2), {kT - kDays31, kT - hours(2)}},
        ScheduledCase{
            "SameStartGivesEmptyWindow", kT, kT, hours(2), {kT - hours(2), kT - hours(2)}}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(AuditWindowTest, ConsecutiveScheduledWindowsTileWithoutGapOrOverlap) {
  auto first = ScheduledWindow(kT - hours(48), kT - hours(24), hours(2));
  auto second = ScheduledWindow(kT - hours(24), kT, hours(2));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->end, second->start);
}

TEST(AuditWindowTest, ScheduledRejectsBadInput) {
  EXPECT_EQ(ScheduledWindow(kT, kT, milliseconds(-1)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ScheduledWindow(kT + milliseconds(1), kT, hours(2)).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(AuditWindowTest, EmptyWindow) {
  EXPECT_TRUE((AuditWindow{kT, kT}).empty());
  EXPECT_FALSE((AuditWindow{kT, kT + milliseconds(1)}).empty());
}

}  // namespace
}  // namespace fg::audit
