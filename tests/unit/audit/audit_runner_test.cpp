// AuditRunner: windows, findings with isSuppressed, per-check statuses and counts,
// cancellation, failures, crash recovery and the completion notification.

#include "audit/audit_runner.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_checks.h"
#include "audit/shared_certificate_engine.h"
#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using AuditRunnerTest = AuditFixture;

TEST_F(AuditRunnerTest, OnDemandRunFindsExactlyTheClone) {
  EnableChecks();
  LogOneClone();
  const AuditTask task = RunOnDemand();
  EXPECT_EQ(task.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(task.end_time, kT0);
  const AuditWindow want{kT0 - kAuditLookback, kT0 - kDefaultSettleLag};
  EXPECT_EQ(task.window, want);
  ASSERT_EQ(sessions_.windows.size(), 1u);
  EXPECT_EQ(sessions_.windows[0], want);
  const AuditCheckDetails& details = task.checks.at(kShared);
  EXPECT_EQ(details.run_status, AuditCheckRunStatus::kCompletedNonCompliant);
  EXPECT_EQ(details.compliant, false);
  EXPECT_EQ(details.total_resources, 2);
  EXPECT_EQ(details.non_compliant_resources, 1);
  EXPECT_EQ(details.suppressed_non_compliant_resources, 0);

  auto findings = FindingsOf(task.task_id);
  ASSERT_EQ(findings.size(), 1u);
  const AuditFindingRecord& f = findings[0];
  EXPECT_EQ(f.finding_id.size(), 36u);
  EXPECT_EQ(f.task_start_time, kT0);
  EXPECT_EQ(f.finding_time, kT0);
  EXPECT_FALSE(f.is_suppressed);
  EXPECT_EQ(f.finding.check_name, kShared);
  EXPECT_EQ(f.finding.reason_for_non_compliance_code, kCertificateSharedReasonCode);
  EXPECT_EQ(f.finding.non_compliant_resource.identifier.device_certificate_id, CertId('a'));
  ASSERT_EQ(f.finding.related_resources.size(), 2u);
  EXPECT_EQ(f.finding.related_resources[0].identifier.client_id, "dev-2");  // newest first
  EXPECT_EQ(f.finding.related_resources[1].identifier.client_id, "dev-1");
}

TEST_F(AuditRunnerTest, SettleLagDecidesWhetherRecentOverlapCounts) {
  struct Case {
    std::chrono::milliseconds lag;
    bool finds;
  };
  for (const Case c : {Case{hours(0), true}, Case{hours(2), false}, Case{minutes(30), true}}) {
    AuditRunnerOptions options;
    options.settle_lag = c.lag;
    MakeRunner(options);
    EnableChecks();
    // Two devices overlap only during the last hour.
    sessions_.log[kAccount] = {{CertId('d'),
                                {Session(1, "x", At(-hours(1)), std::nullopt),
                                 Session(2, "y", At(-minutes(50)), std::nullopt)}}};
    const AuditTask task = RunOnDemand();
    EXPECT_EQ(FindingsOf(task.task_id).size(), c.finds ? 1u : 0u) << c.lag.count();
    EXPECT_EQ(task.window->end, kT0 - c.lag);
  }
}

TEST_F(AuditRunnerTest, SuppressedFindingIsStoredFlaggedAndNotCounted) {
  EnableChecks();
  LogOneClone();
  ResourceIdentifier cert;
  cert.device_certificate_id = CertId('a');
  ASSERT_TRUE(suppressions_.Create(kAccount, {kShared, cert, std::nullopt, true, "", "t"}));
  const AuditTask task = RunOnDemand();
  const AuditCheckDetails& details = task.checks.at(kShared);
  EXPECT_EQ(details.run_status, AuditCheckRunStatus::kCompletedCompliant);
  EXPECT_EQ(details.compliant, true);
  EXPECT_EQ(details.non_compliant_resources, 0);
  EXPECT_EQ(details.suppressed_non_compliant_resources, 1);
  auto findings = FindingsOf(task.task_id);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].is_suppressed);
  EXPECT_EQ(ComputeTaskStatistics(task).compliant_checks, 1);
}

TEST_F(AuditRunnerTest, ExpiredSuppressionNoLongerSuppresses) {
  EnableChecks();
  LogOneClone();
  ResourceIdentifier cert;
  cert.device_certificate_id = CertId('a');
  ASSERT_TRUE(
      suppressions_.Create(kAccount, {kShared, cert, kT0 + hours(1), std::nullopt, "", "t"}));
  clock_.Advance(hours(1));  // exactly at the expiration: no longer active
  const AuditTask task = RunOnDemand();
  EXPECT_EQ(task.checks.at(kShared).non_compliant_resources, 1);
  EXPECT_FALSE(FindingsOf(task.task_id).at(0).is_suppressed);
}

TEST_F(AuditRunnerTest, UnsupportedAndDisabledChecksFailWithTheirCodes) {
  EnableChecks({"CONFLICTING_CLIENT_IDS_CHECK", "LOGGING_DISABLED_CHECK"});
  LogOneClone();
  auto id = tasks_.StartOnDemand(
      kAccount, {kShared, "CONFLICTING_CLIENT_IDS_CHECK", "LOGGING_DISABLED_CHECK"});
  ASSERT_TRUE(id.has_value());
  AuditConfigurationUpdate disable;
  disable.checks["LOGGING_DISABLED_CHECK"].enabled = false;
  ASSERT_TRUE(config_.Update(kAccount, disable).has_value());

  auto run = runner_->Run(kAccount, *id);
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  const AuditTask& task = run->task;
  EXPECT_EQ(task.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(task.checks.at(kShared).run_status, AuditCheckRunStatus::kCompletedNonCompliant);
  const auto& unsupported = task.checks.at("CONFLICTING_CLIENT_IDS_CHECK");
  EXPECT_EQ(unsupported.run_status, AuditCheckRunStatus::kFailed);
  EXPECT_EQ(unsupported.error_code, kCheckNotSupportedErrorCode);
  const auto& disabled = task.checks.at("LOGGING_DISABLED_CHECK");
  EXPECT_EQ(disabled.run_status, AuditCheckRunStatus::kFailed);
  EXPECT_EQ(disabled.error_code, kAuditCheckDisabledErrorCode);
  const AuditTaskStatistics stats = ComputeTaskStatistics(task);
  EXPECT_EQ(stats.total_checks, 3);
  EXPECT_EQ(stats.failed_checks, 2);
  EXPECT_EQ(stats.non_compliant_checks, 1);
}

TEST_F(AuditRunnerTest, UnreadableLogFailsTheCheckWithoutFindings) {
  EnableChecks();
  sessions_.fail = true;
  const AuditTask task = RunOnDemand();
  EXPECT_EQ(task.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(task.checks.at(kShared).run_status, AuditCheckRunStatus::kFailed);
  EXPECT_EQ(task.checks.at(kShared).error_code, kCheckInternalErrorCode);
  EXPECT_TRUE(store_.Snapshot().findings.empty());
}

TEST_F(AuditRunnerTest, CanceledBeforeRunIsLeftAlone) {
  EnableChecks();
  LogOneClone();
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(tasks_.Cancel(kAccount, *id).has_value());
  auto run = runner_->Run(kAccount, *id);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->task.status, AuditTaskStatus::kCanceled);
  EXPECT_TRUE(sessions_.windows.empty());
  EXPECT_TRUE(store_.Snapshot().findings.empty());
  EXPECT_EQ(runner_->Run(kAccount, std::string(32, 'e')).error().code, ErrorCode::kNotFound);
}

// Runs a hook on the first read of the connection log: something else (an operator's
// CancelAuditTask, another node's runner) happening while the check runs.
class HookedSource final : public SessionSource {
 public:
  HookedSource(std::vector<CertificateSessions> certs, std::function<void()> hook)
      : inner_(std::move(certs)), hook_(std::move(hook)) {}
  Result<std::optional<CertificateSessions>> Next() override {
    if (++calls_ == 1) {
      hook_();
    }
    return inner_.Next();
  }

 private:
  InMemorySessionSource inner_;
  std::function<void()> hook_;
  int calls_ = 0;
};

class HookedFactory final : public SessionSourceFactory {
 public:
  Result<std::unique_ptr<SessionSource>> Open(std::string_view, const AuditWindow&) override {
    return std::unique_ptr<SessionSource>(std::make_unique<HookedSource>(certs, hook));
  }
  std::vector<CertificateSessions> certs;
  std::function<void()> hook;
};

TEST_F(AuditRunnerTest, CancelMidCheckStopsAndStoresNoFindings) {
  EnableChecks();
  LogOneClone();
  HookedFactory factory;
  factory.certs = sessions_.log[kAccount];
  AuditRunnerOptions options;
  options.cancel_poll_interval = 1;
  auto runner = AuditRunner::Create(store_, factory, publisher_, clock_, ids_, options);
  ASSERT_TRUE(runner.has_value());
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  factory.hook = [&] { ASSERT_TRUE(tasks_.Cancel(kAccount, *id).has_value()); };
  auto run = (*runner)->Run(kAccount, *id);
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  EXPECT_EQ(run->task.status, AuditTaskStatus::kCanceled);
  EXPECT_EQ(run->task.checks.at(kShared).run_status, AuditCheckRunStatus::kCanceled);
  EXPECT_TRUE(store_.Snapshot().findings.empty());
}

TEST_F(AuditRunnerTest, TwoRunnersOnOneTaskStoreItsFindingsOnce) {
  EnableChecks();
  LogOneClone();
  HookedFactory factory;
  factory.certs = sessions_.log[kAccount];
  auto slow = AuditRunner::Create(store_, factory, publisher_, clock_, ids_, AuditRunnerOptions{});
  ASSERT_TRUE(slow.has_value());
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  // While the slow runner reads the log, another runner completes the same task.
  factory.hook = [&] { ASSERT_TRUE(runner_->Run(kAccount, *id).has_value()); };
  auto run = (*slow)->Run(kAccount, *id);
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  EXPECT_EQ(run->task.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(FindingsOf(*id).size(), 1u);
  EXPECT_EQ(store_.Snapshot().findings.size(), 1u);
}

TEST_F(AuditRunnerTest, StoreFailureLeavesTaskInProgressAndARerunAddsNoDuplicates) {
  EnableChecks();
  LogOneClone();
  auto id = tasks_.StartOnDemand(kAccount, {kShared});
  // Run: 1 load, 2 suppressions, 3 commit of the check (fails).
  store_.FailTransaction(3);
  auto failed = runner_->Run(kAccount, *id);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(tasks_.Describe(kAccount, *id)->status, AuditTaskStatus::kInProgress);
  EXPECT_TRUE(store_.Snapshot().findings.empty());

  auto ran = runner_->RunPending();
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(*ran, 1);
  EXPECT_EQ(tasks_.Describe(kAccount, *id)->status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(FindingsOf(*id).size(), 1u);
  EXPECT_EQ(*runner_->RunPending(), 0);
}

TEST_F(AuditRunnerTest, CompletionNotificationGoesToTheEnabledTarget) {
  EnableChecks();
  LogOneClone();
  RunOnDemand();
  EXPECT_TRUE(publisher_.completions.empty());  // no target configured

  AuditConfigurationUpdate notify;
  notify.notification_targets["SNS"] = {kTarget, kRoleArn, true};
  ASSERT_TRUE(config_.Update(kAccount, notify).has_value());
  const AuditTask task = RunOnDemand();
  ASSERT_EQ(publisher_.completions.size(), 1u);
  const auto& [target, n] = publisher_.completions[0];
  EXPECT_EQ(target, kTarget);
  EXPECT_EQ(n.account_id, kAccount);
  EXPECT_EQ(n.task_id, task.task_id);
  EXPECT_EQ(n.task_status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(n.task_type, AuditTaskType::kOnDemand);
  EXPECT_EQ(n.total_checks, 1);
  EXPECT_EQ(n.non_compliant_checks, 1);
  ASSERT_EQ(n.audit_details.size(), 1u);
  EXPECT_EQ(n.audit_details[0].check_name, kShared);
  EXPECT_EQ(n.audit_details[0].non_compliant_resources, 1);
  EXPECT_EQ(n.audit_details[0].total_resources, 2);
}

TEST_F(AuditRunnerTest, ScheduledWindowStartsAtThePreviousStart) {
  EnableChecks();
  AuditTask task =
      NewAuditTask(kAccount, std::string(32, '9'), AuditTaskType::kScheduled, kT0, {kShared});
  task.previous_start = kT0 - hours(24);
  ASSERT_TRUE(store_.Transact([&](AuditTx& tx) { return tx.InsertAuditTask(task); }));
  auto run = runner_->Run(kAccount, task.task_id);
  ASSERT_TRUE(run.has_value());
  const AuditWindow want{kT0 - hours(26), kT0 - hours(2)};
  EXPECT_EQ(run->task.window, want);
}

TEST_F(AuditRunnerTest, CreateRejectsBadOptions) {
  std::vector<AuditRunnerOptions> bad(5);
  bad[0].settle_lag = std::chrono::milliseconds(-1);
  bad[1].worker_count = 0;
  bad[2].worker_count = kMaxAuditWorkers + 1;
  bad[3].cancel_poll_interval = 0;
  bad[4].shared_check.tolerance = std::chrono::milliseconds(-1);
  for (const auto& options : bad) {
    auto r = AuditRunner::Create(store_, sessions_, publisher_, clock_, ids_, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace fg::audit::testing
