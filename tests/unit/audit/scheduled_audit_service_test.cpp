// ScheduledAuditService: Create/Describe/List/Update/DeleteScheduledAudit rules.

#include "audit/scheduled_audit_service.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using ScheduledAuditServiceTest = AuditFixture;

ScheduledAuditSpec Daily() { return {AuditFrequency::kDaily, {}, {}, {kShared}}; }

TEST_F(ScheduledAuditServiceTest, CreateDescribeList) {
  EnableChecks();
  auto created = schedules_.Create(kAccount, "weekly-mon",
                                   {AuditFrequency::kWeekly, DayOfWeek::kMon, {}, {kShared}});
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  EXPECT_EQ(created->created, kT0);
  EXPECT_FALSE(created->last_start.has_value());
  auto described = schedules_.Describe(kAccount, "weekly-mon");
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(*described, *created);
  ASSERT_TRUE(schedules_.Create(kAccount, "a-daily", Daily()).has_value());
  auto listed = schedules_.List(kAccount, {1, ""});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].name, "a-daily");
  auto rest = schedules_.List(kAccount, {1, listed->next_cursor});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].name, "weekly-mon");
  EXPECT_TRUE(rest->next_cursor.empty());
  EXPECT_TRUE(schedules_.List(kOtherAccount, {})->items.empty());
}

struct CreateCase {
  const char* name;
  std::string schedule_name;
  ScheduledAuditSpec spec;
  ErrorCode code;
};

TEST_F(ScheduledAuditServiceTest, CreateRejects) {
  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "taken", Daily()).has_value());
  using F = AuditFrequency;
  const std::vector<CreateCase> cases = {
      {"bad name", "has space", Daily(), ErrorCode::kInvalidArgument},
      {"empty name", "", Daily(), ErrorCode::kInvalidArgument},
      {"weekly without day", "w", {F::kWeekly, {}, {}, {kShared}}, ErrorCode::kInvalidArgument},
      {"biweekly without day", "b", {F::kBiweekly, {}, {}, {kShared}}, ErrorCode::kInvalidArgument},
      {"monthly without day", "m", {F::kMonthly, {}, {}, {kShared}}, ErrorCode::kInvalidArgument},
      {"monthly day 32", "m", {F::kMonthly, {}, "32", {kShared}}, ErrorCode::kInvalidArgument},
      {"daily with a weekday",
       "d",
       {F::kDaily, DayOfWeek::kMon, {}, {kShared}},
       ErrorCode::kInvalidArgument},
      {"no checks", "n", {F::kDaily, {}, {}, {}}, ErrorCode::kInvalidArgument},
      {"disabled check",
       "x",
       {F::kDaily, {}, {}, {"LOGGING_DISABLED_CHECK"}},
       ErrorCode::kInvalidArgument},
      {"unknown check", "u", {F::kDaily, {}, {}, {"NOPE"}}, ErrorCode::kInvalidArgument},
      {"taken name", "taken", Daily(), ErrorCode::kAlreadyExists},
  };
  for (const auto& c : cases) {
    auto r = schedules_.Create(kAccount, c.schedule_name, c.spec);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  }
  EXPECT_EQ(store_.Snapshot().schedules.size(), 1u);
}

TEST_F(ScheduledAuditServiceTest, AtMostFivePerAccount) {
  EnableChecks();
  for (int i = 0; i < ScheduledAuditService::kMaxScheduledAudits; ++i) {
    ASSERT_TRUE(schedules_.Create(kAccount, "s" + std::to_string(i), Daily()).has_value());
  }
  auto sixth = schedules_.Create(kAccount, "s5", Daily());
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code, ErrorCode::kLimitExceeded);
  ASSERT_TRUE(schedules_.Delete(kAccount, "s0").has_value());
  EXPECT_TRUE(schedules_.Create(kAccount, "s5", Daily()).has_value());
}

TEST_F(ScheduledAuditServiceTest, UpdateMergesAndRevalidates) {
  EnableChecks();
  ASSERT_TRUE(
      schedules_.Create(kAccount, "s", {AuditFrequency::kWeekly, DayOfWeek::kMon, {}, {kShared}}));
  clock_.Advance(std::chrono::hours(1));
  // Switching to MONTHLY drops the weekday and needs a day of month.
  ScheduledAuditUpdate monthly_without_day;
  monthly_without_day.frequency = AuditFrequency::kMonthly;
  auto r = schedules_.Update(kAccount, "s", monthly_without_day);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

  ScheduledAuditUpdate monthly = monthly_without_day;
  monthly.day_of_month = "LAST";
  auto updated = schedules_.Update(kAccount, "s", monthly);
  ASSERT_TRUE(updated.has_value()) << updated.error().ToString();
  EXPECT_EQ(updated->frequency, AuditFrequency::kMonthly);
  EXPECT_FALSE(updated->day_of_week.has_value());
  EXPECT_EQ(updated->day_of_month, "LAST");
  EXPECT_EQ(updated->last_modified, kT0 + std::chrono::hours(1));
  EXPECT_EQ(updated->created, kT0);

  ScheduledAuditUpdate weekday_on_monthly;
  weekday_on_monthly.day_of_week = DayOfWeek::kFri;
  EXPECT_EQ(schedules_.Update(kAccount, "s", weekday_on_monthly).error().code,
            ErrorCode::kInvalidArgument);
  ScheduledAuditUpdate disabled_check;
  disabled_check.target_check_names = std::vector<std::string>{"LOGGING_DISABLED_CHECK"};
  EXPECT_EQ(schedules_.Update(kAccount, "s", disabled_check).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(schedules_.Describe(kAccount, "s")->day_of_month, "LAST");
  EXPECT_EQ(schedules_.Update(kAccount, "missing", monthly).error().code, ErrorCode::kNotFound);
}

TEST_F(ScheduledAuditServiceTest, DescribeAndDeleteMissing) {
  EXPECT_EQ(schedules_.Describe(kAccount, "missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(schedules_.Delete(kAccount, "missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(schedules_.Describe(kAccount, "bad name").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::audit::testing
