// AuditTaskService: StartOnDemandAuditTask, DescribeAuditTask, ListAuditTasks, CancelAuditTask.

#include "audit/audit_task_service.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using AuditTaskServiceTest = AuditFixture;

TEST_F(AuditTaskServiceTest, StartRecordsAnInProgressTask) {
  EnableChecks();
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
  EXPECT_EQ(id->size(), 32u);
  auto task = tasks_.Describe(kAccount, *id);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->status, AuditTaskStatus::kInProgress);
  EXPECT_EQ(task->type, AuditTaskType::kOnDemand);
  EXPECT_EQ(task->start_time, kT0);
  ASSERT_EQ(task->checks.size(), 1u);
  EXPECT_EQ(task->checks.at(kShared).run_status, AuditCheckRunStatus::kInProgress);
  EXPECT_EQ(ComputeTaskStatistics(*task).in_progress_checks, 1);
  // Invisible to another account.
  EXPECT_EQ(tasks_.Describe(kOtherAccount, *id).error().code, ErrorCode::kNotFound);
}

TEST_F(AuditTaskServiceTest, TargetChecksMustBeEnabled) {
  for (const std::vector<std::string>& names :
       {std::vector<std::string>{kShared}, std::vector<std::string>{}}) {
    auto r = tasks_.StartOnDemand(kAccount, names);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EnableChecks();
  for (const std::vector<std::string>& names : {std::vector<std::string>{"LOGGING_DISABLED_CHECK"},
                                                {"UNKNOWN_CHECK"},
                                                {kShared, "CONFLICTING_CLIENT_IDS_CHECK"}}) {
    auto r = tasks_.StartOnDemand(kAccount, names);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(store_.Snapshot().tasks.empty());
}

TEST_F(AuditTaskServiceTest, AtMostTenOnDemandTasksInProgress) {
  EnableChecks();
  std::vector<std::string> ids;
  for (int i = 0; i < AuditTaskService::kMaxInProgressOnDemandTasks; ++i) {
    auto id = tasks_.StartOnDemand(kAccount, {kShared});
    ASSERT_TRUE(id.has_value()) << i;
    ids.push_back(*id);
  }
  auto eleventh = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_FALSE(eleventh.has_value());
  EXPECT_EQ(eleventh.error().code, ErrorCode::kLimitExceeded);
  // Another account has its own quota; a finished task frees a slot.
  AuditConfigurationUpdate other;
  other.role_arn = kRoleArn;
  other.checks[kShared].enabled = true;
  ASSERT_TRUE(config_.Update(kOtherAccount, other).has_value());
  EXPECT_TRUE(tasks_.StartOnDemand(kOtherAccount, {kShared}).has_value());
  ASSERT_TRUE(tasks_.Cancel(kAccount, ids[0]).has_value());
  EXPECT_TRUE(tasks_.StartOnDemand(kAccount, {kShared}).has_value());
}

TEST_F(AuditTaskServiceTest, CancelOnlyInProgress) {
  EnableChecks();
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(id.has_value());
  clock_.Advance(hours(1));
  ASSERT_TRUE(tasks_.Cancel(kAccount, *id).has_value());
  auto task = tasks_.Describe(kAccount, *id);
  EXPECT_EQ(task->status, AuditTaskStatus::kCanceled);
  EXPECT_EQ(task->end_time, kT0 + hours(1));
  EXPECT_EQ(task->checks.at(kShared).run_status, AuditCheckRunStatus::kCanceled);
  EXPECT_EQ(ComputeTaskStatistics(*task).canceled_checks, 1);

  auto again = tasks_.Cancel(kAccount, *id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);

  LogOneClone();
  const AuditTask done = RunOnDemand();
  ASSERT_EQ(done.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(tasks_.Cancel(kAccount, done.task_id).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(tasks_.Cancel(kAccount, std::string(32, 'f')).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tasks_.Cancel(kAccount, "bad_id").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(AuditTaskServiceTest, ListFiltersByTimeTypeAndStatusAndPages) {
  EnableChecks();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(*tasks_.StartOnDemand(kAccount, {kShared}));
    clock_.Advance(hours(1));
  }
  ASSERT_TRUE(tasks_.Cancel(kAccount, ids[1]).has_value());

  AuditTaskQuery all{kT0, kT0 + hours(10), std::nullopt, std::nullopt};
  std::vector<std::string> seen;
  PageRequest page{2, ""};
  do {
    auto listed = tasks_.List(kAccount, all, page);
    ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
    EXPECT_LE(listed->items.size(), 2u);
    for (const auto& t : listed->items) {
      seen.push_back(t.task_id);
    }
    page.cursor = listed->next_cursor;
  } while (!page.cursor.empty());
  EXPECT_EQ(seen, ids);

  AuditTaskQuery window{kT0 + hours(1), kT0 + hours(3), std::nullopt, std::nullopt};
  EXPECT_EQ(tasks_.List(kAccount, window, {})->items.size(), 3u);  // both bounds inclusive
  AuditTaskQuery canceled{kT0, kT0 + hours(10), AuditTaskType::kOnDemand,
                          AuditTaskStatus::kCanceled};
  auto only = tasks_.List(kAccount, canceled, {});
  ASSERT_EQ(only->items.size(), 1u);
  EXPECT_EQ(only->items[0].task_id, ids[1]);
  AuditTaskQuery scheduled{kT0, kT0 + hours(10), AuditTaskType::kScheduled, std::nullopt};
  EXPECT_TRUE(tasks_.List(kAccount, scheduled, {})->items.empty());
}

TEST_F(AuditTaskServiceTest, ListRejectsBadRanges) {
  clock_.Set(kT0 + hours(24 * 100));
  const TimePoint now = clock_.Now();
  struct Case {
    const char* name;
    AuditTaskQuery query;
    PageRequest page;
  };
  const std::vector<Case> cases = {
      {"end before start", {now - hours(1), now - hours(2), {}, {}}, {}},
      {"start beyond retention", {now - hours(24 * 91), now, {}, {}}, {}},
      {"page size 0", {now - hours(1), now, {}, {}}, {0, ""}},
      {"page size 251", {now - hours(1), now, {}, {}}, {251, ""}},
      {"garbage cursor", {now - hours(1), now, {}, {}}, {25, "garbage"}},
  };
  for (const auto& c : cases) {
    auto r = tasks_.List(kAccount, c.query, c.page);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
  EXPECT_TRUE(tasks_.List(kAccount, {now - hours(24 * 89), now, {}, {}}, {}).has_value());
}

}  // namespace
}  // namespace fg::audit::testing
