// AuditScheduler over a ManualClock: on-time starts, no double runs across restarts, one
// catch-up run after downtime, month ends and leap years, atomic start, retention, the thread.

#include "audit/audit_scheduler.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TimePoint Iso(const char* s) { return ParseIso8601(s).value(); }

class AuditSchedulerTest : public AuditFixture {
 protected:
  std::unique_ptr<AuditScheduler> MakeScheduler(AuditSchedulerOptions options = {}) {
    auto scheduler = AuditScheduler::Create(store_, clock_, ids_, *runner_, executor_, options);
    EXPECT_TRUE(scheduler.has_value());
    return std::move(*scheduler);
  }

  TickReport Tick(AuditScheduler& scheduler, TimePoint now) {
    clock_.Set(now);
    auto report = scheduler.Tick(now);
    EXPECT_TRUE(report.has_value()) << report.error().ToString();
    return report.value_or(TickReport{});
  }

  std::vector<AuditTask> ScheduledTasks() {
    std::vector<AuditTask> out;
    for (const auto& [key, task] : store_.Snapshot().tasks) {
      if (task.type == AuditTaskType::kScheduled) {
        out.push_back(task);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.start_time < b.start_time; });
    return out;
  }
};

TEST_F(AuditSchedulerTest, DailyRunsOnceADayAndWindowsChain) {
  EnableChecks();
  LogOneClone();
  ASSERT_TRUE(schedules_.Create(kAccount, "daily", {AuditFrequency::kDaily, {}, {}, {kShared}}));
  auto scheduler = MakeScheduler();

  TickReport before = Tick(*scheduler, kT0 + hours(23));
  EXPECT_TRUE(before.started_task_ids.empty());
  EXPECT_EQ(before.next_due, kT0 + hours(24));

  TickReport first = Tick(*scheduler, kT0 + hours(24));
  ASSERT_EQ(first.started_task_ids.size(), 1u);
  EXPECT_EQ(first.audit_tasks_run, 1);
  EXPECT_EQ(first.next_due, kT0 + hours(48));
  EXPECT_TRUE(Tick(*scheduler, kT0 + hours(24)).started_task_ids.empty());
  EXPECT_TRUE(Tick(*scheduler, kT0 + hours(47)).started_task_ids.empty());
  ASSERT_EQ(Tick(*scheduler, kT0 + hours(48)).started_task_ids.size(), 1u);

  auto tasks = ScheduledTasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].scheduled_audit_name, "daily");
  EXPECT_EQ(tasks[0].status, AuditTaskStatus::kCompleted);
  // First run: 31-day lookback. Second: from the first start, both shifted by the settle lag.
  const AuditWindow first_window{kT0 + hours(24) - kAuditLookback, kT0 + hours(22)};
  const AuditWindow second_window{kT0 + hours(22), kT0 + hours(46)};
  EXPECT_EQ(tasks[0].window, first_window);
  EXPECT_EQ(tasks[1].window, second_window);
  EXPECT_EQ(tasks[1].previous_start, kT0 + hours(24));
  EXPECT_EQ(schedules_.Describe(kAccount, "daily")->last_start, kT0 + hours(48));
}

TEST_F(AuditSchedulerTest, ARestartNeitherSkipsNorRepeats) {
  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "daily", {AuditFrequency::kDaily, {}, {}, {kShared}}));
  {
    auto scheduler = MakeScheduler();
    ASSERT_EQ(Tick(*scheduler, kT0 + hours(24)).started_task_ids.size(), 1u);
  }
  // A new scheduler over the same store: the schedule's last start is remembered.
  auto restarted = MakeScheduler();
  EXPECT_TRUE(Tick(*restarted, kT0 + hours(24) + milliseconds(1)).started_task_ids.empty());
  // Down for three days: the missed run happens once on return, not three times.
  ASSERT_EQ(Tick(*restarted, kT0 + hours(24 * 4 + 5)).started_task_ids.size(), 1u);
  EXPECT_TRUE(Tick(*restarted, kT0 + hours(24 * 4 + 6)).started_task_ids.empty());
  EXPECT_EQ(ScheduledTasks().size(), 2u);
  // Its window covers the downtime: nothing is skipped.
  EXPECT_EQ(ScheduledTasks()[1].window->start, kT0 + hours(22));
}

TEST_F(AuditSchedulerTest, MonthlyThirtyFirstAcrossALeapFebruary) {
  EnableChecks();
  clock_.Set(Iso("2032-01-15T00:00:00Z"));
  ASSERT_TRUE(
      schedules_.Create(kAccount, "monthly", {AuditFrequency::kMonthly, {}, "31", {kShared}}));
  auto scheduler = MakeScheduler();
  std::vector<std::string> started;
  for (TimePoint day = Iso("2032-01-15T12:00:00Z"); day < Iso("2032-05-15T00:00:00Z");
       day += hours(24)) {
    // Tick at 00:00 and at noon of every day.
    for (TimePoint t : {day - hours(12), day}) {
      if (!Tick(*scheduler, t).started_task_ids.empty()) {
        started.push_back(FormatIso8601(t));
      }
    }
  }
  EXPECT_EQ(started, (std::vector<std::string>{"2032-01-31T00:00:00Z", "2032-02-29T00:00:00Z",
                                               "2032-03-31T00:00:00Z", "2032-04-30T00:00:00Z"}));
}

TEST_F(AuditSchedulerTest, WeeklyAndBiweeklyOnTheirWeekday) {
  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "weekly",
                                {AuditFrequency::kWeekly, DayOfWeek::kFri, {}, {kShared}}));
  ASSERT_TRUE(schedules_.Create(kAccount, "biweekly",
                                {AuditFrequency::kBiweekly, DayOfWeek::kFri, {}, {kShared}}));
  AuditSchedulerOptions options;
  options.time_of_day = hours(3);
  auto scheduler = MakeScheduler(options);
  std::map<std::string, std::vector<std::string>> runs;
  for (TimePoint t = kT0; t < kT0 + hours(24 * 35); t += hours(1)) {
    Tick(*scheduler, t);
  }
  for (const AuditTask& task : ScheduledTasks()) {
    runs[*task.scheduled_audit_name].push_back(FormatIso8601(task.start_time));
  }
  EXPECT_EQ(runs["weekly"],
            (std::vector<std::string>{"2030-01-04T03:00:00Z", "2030-01-11T03:00:00Z",
                                      "2030-01-18T03:00:00Z", "2030-01-25T03:00:00Z",
                                      "2030-02-01T03:00:00Z"}));
  EXPECT_EQ(runs["biweekly"],
            (std::vector<std::string>{"2030-01-04T03:00:00Z", "2030-01-18T03:00:00Z",
                                      "2030-02-01T03:00:00Z"}));
}

TEST_F(AuditSchedulerTest, StartingIsAtomic) {
  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "daily", {AuditFrequency::kDaily, {}, {}, {kShared}}));
  auto scheduler = MakeScheduler();
  clock_.Set(kT0 + hours(24));
  // Tick: 1 list schedules, 2 start (fails at commit).
  store_.FailTransaction(2);
  auto failed = scheduler->Tick(kT0 + hours(24));
  ASSERT_FALSE(failed.has_value());
  EXPECT_TRUE(ScheduledTasks().empty());
  EXPECT_FALSE(schedules_.Describe(kAccount, "daily")->last_start.has_value());
  // The next tick starts it exactly once.
  EXPECT_EQ(Tick(*scheduler, kT0 + hours(24)).started_task_ids.size(), 1u);
  EXPECT_EQ(ScheduledTasks().size(), 1u);
}

TEST_F(AuditSchedulerTest, TickRunsPendingWorkAndPurgesAfterNinetyDays) {
  EnableChecks();
  LogOneClone();
  auto scheduler = MakeScheduler();
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(id.has_value());
  TickReport report = Tick(*scheduler, kT0);
  EXPECT_EQ(report.audit_tasks_run, 1);
  EXPECT_EQ(tasks_.Describe(kAccount, *id)->status, AuditTaskStatus::kCompleted);
  ASSERT_EQ(FindingsOf(*id).size(), 1u);

  EXPECT_EQ(Tick(*scheduler, kT0 + hours(24 * 90)).purged, PurgeCounts{});
  const PurgeCounts purged = Tick(*scheduler, kT0 + hours(24 * 90) + milliseconds(1)).purged;
  EXPECT_EQ(purged.audit_tasks, 1);
  EXPECT_EQ(purged.findings, 1);
  EXPECT_TRUE(store_.Snapshot().findings.empty());
}

TEST_F(AuditSchedulerTest, CreateRejectsBadOptions) {
  for (AuditSchedulerOptions options :
       {AuditSchedulerOptions{hours(24), std::chrono::minutes(1)},
        AuditSchedulerOptions{milliseconds(-1), std::chrono::minutes(1)},
        AuditSchedulerOptions{hours(0), milliseconds(0)}}) {
    auto r = AuditScheduler::Create(store_, clock_, ids_, *runner_, executor_, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(AuditSchedulerTest, ThreadRunsWorkWhenWoken) {
  EnableChecks();
  LogOneClone();
  AuditSchedulerOptions options;
  options.poll_interval = std::chrono::hours(1);  // only Wake can make it tick again
  auto scheduler = MakeScheduler(options);
  scheduler->Start();
  scheduler->Start();  // idempotent
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(id.has_value());
  scheduler->Wake();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (tasks_.Describe(kAccount, *id)->status == AuditTaskStatus::kInProgress &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  scheduler->Stop();
  scheduler->Stop();
  EXPECT_EQ(tasks_.Describe(kAccount, *id)->status, AuditTaskStatus::kCompleted);
  EXPECT_FALSE(scheduler->LastError().has_value());
}

}  // namespace
}  // namespace fg::audit::testing
