// MitigationExecutor: action order, failure skips the rest, suppressed findings untouched,
// cancellation, crash recovery, execution records and statistics.

#include "audit/mitigation_executor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using S = MitigationExecutionStatus;

class MitigationExecutorTest : public AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    EnableChecks();
    ASSERT_TRUE(actions_.Create(kAccount, "deactivate", kRoleArn, Deactivate()).has_value());
    ASSERT_TRUE(actions_.Create(kAccount, "notify", kRoleArn, Publish()).has_value());
    ASSERT_TRUE(actions_.Create(kAccount, "quarantine", kRoleArn, Quarantine()).has_value());
  }

  // Certificates 'a' and 'c' are each shared by two devices.
  void LogTwoClones() {
    LogOneClone();
    sessions_.log[kAccount].push_back({CertId('c'),
                                       {Session(5, "dev-5", At(-hours(8)), At(-hours(6))),
                                        Session(6, "dev-6", At(-hours(7)), At(-hours(5)))}});
  }

  std::string StartTask(const std::string& audit_task_id, std::vector<std::string> actions,
                        std::string id = "mt-1") {
    StartMitigationTaskRequest r;
    r.task_id = id;
    r.target.audit_task_id = audit_task_id;
    r.actions_mapping[kShared] = std::move(actions);
    r.client_request_token = "tok-" + id;
    auto started = mitigations_.Start(kAccount, r);
    EXPECT_TRUE(started.has_value()) << started.error().ToString();
    return *started;
  }

  std::vector<MitigationExecution> Executions(const std::string& task_id,
                                              const std::string& finding_id) {
    auto page = mitigations_.ListExecutions(kAccount, task_id, finding_id, std::nullopt, {});
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    return page->items;
  }
};

TEST_F(MitigationExecutorTest, RunsEveryActionInOrderAndRecordsExecutions) {
  LogOneClone();
  const AuditTask audit = RunOnDemand();
  const std::string finding_id = FindingsOf(audit.task_id).at(0).finding_id;
  const std::string id = StartTask(audit.task_id, {"deactivate", "quarantine", "notify"});
  clock_.Advance(hours(1));
  auto task = executor_.Run(kAccount, id);
  ASSERT_TRUE(task.has_value()) << task.error().ToString();
  EXPECT_EQ(task->status, MitigationTaskStatus::kCompleted);
  EXPECT_EQ(task->end_time, kT0 + hours(1));
  const MitigationCheckStatistics want{1, 0, 1, 0, 0};
  EXPECT_EQ(task->statistics.at(kShared), want);

  ASSERT_EQ(updater_.calls.size(), 1u);
  EXPECT_EQ(updater_.calls[0], std::pair(std::string(kAccount), CertId('a')));
  ASSERT_EQ(adder_.calls.size(), 1u);
  EXPECT_EQ(adder_.calls[0].second, std::vector<std::string>{"quarantine"});
  ASSERT_EQ(publisher_.findings.size(), 1u);
  EXPECT_EQ(publisher_.findings[0].first, kTarget);
  EXPECT_EQ(publisher_.findings[0].second.finding.finding_id, finding_id);
  EXPECT_EQ(publisher_.findings[0].second.mitigation_task_id, id);
  EXPECT_EQ(publisher_.findings[0].second.action_name, "notify");

  auto executions = Executions(id, finding_id);
  ASSERT_EQ(executions.size(), 3u);
  const std::vector<std::string> names{"deactivate", "quarantine", "notify"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(executions[i].action_name, names[i]);
    EXPECT_EQ(executions[i].status, S::kCompleted);
    EXPECT_EQ(executions[i].start_time, kT0 + hours(1));
    EXPECT_EQ(executions[i].end_time, kT0 + hours(1));
    EXPECT_EQ(executions[i].action_id, actions_.Describe(kAccount, names[i])->id);
  }
  // Running a finished task again does nothing.
  ASSERT_TRUE(executor_.Run(kAccount, id).has_value());
  EXPECT_EQ(updater_.calls.size(), 1u);
}

TEST_F(MitigationExecutorTest, AFailureSkipsTheRestOfThatFindingOnly) {
  LogTwoClones();
  updater_.failing.insert(CertId('a'));
  const AuditTask audit = RunOnDemand();
  const std::string id = StartTask(audit.task_id, {"deactivate", "notify"});
  auto task = executor_.Run(kAccount, id);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->status, MitigationTaskStatus::kFailed);
  const MitigationCheckStatistics want{2, 1, 1, 0, 0};
  EXPECT_EQ(task->statistics.at(kShared), want);
  // Only certificate c's finding was published: a's notify was skipped.
  ASSERT_EQ(publisher_.findings.size(), 1u);
  EXPECT_EQ(publisher_.findings[0]
                .second.finding.finding.non_compliant_resource.identifier.device_certificate_id,
            CertId('c'));
  for (const AuditFindingRecord& f : FindingsOf(audit.task_id)) {
    auto executions = Executions(id, f.finding_id);
    ASSERT_EQ(executions.size(), 2u);
    if (f.finding.non_compliant_resource.identifier.device_certificate_id == CertId('a')) {
      EXPECT_EQ(executions[0].status, S::kFailed);
      EXPECT_EQ(executions[0].error_code, "CertificateState");
      EXPECT_EQ(executions[0].message, "certificate is REVOKED");
      EXPECT_EQ(executions[1].status, S::kSkipped);
      EXPECT_FALSE(executions[1].start_time.has_value());
    } else {
      EXPECT_EQ(executions[0].status, S::kCompleted);
      EXPECT_EQ(executions[1].status, S::kCompleted);
    }
  }
  auto failed_only = mitigations_.ListExecutions(
      kAccount, id, FindingsOf(audit.task_id)[0].finding_id, S::kSkipped, {});
  ASSERT_TRUE(failed_only.has_value());
}

TEST_F(MitigationExecutorTest, ListedOrderIsTheRunOrder) {
  LogOneClone();
  publisher_.fail_findings = true;
  const AuditTask audit = RunOnDemand();
  const std::string id = StartTask(audit.task_id, {"notify", "deactivate"});
  auto task = executor_.Run(kAccount, id);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->status, MitigationTaskStatus::kFailed);
  EXPECT_TRUE(updater_.calls.empty());  // deactivate came after the failed publish
  auto executions = Executions(id, FindingsOf(audit.task_id)[0].finding_id);
  ASSERT_EQ(executions.size(), 2u);
  EXPECT_EQ(executions[0].action_name, "notify");
  EXPECT_EQ(executions[0].status, S::kFailed);
  EXPECT_EQ(executions[0].error_code, "Unavailable");
  EXPECT_EQ(executions[1].status, S::kSkipped);
}

TEST_F(MitigationExecutorTest, SuppressedFindingsAreNeverActedOn) {
  LogOneClone();
  ResourceIdentifier cert;
  cert.device_certificate_id = CertId('a');
  ASSERT_TRUE(suppressions_.Create(kAccount, {kShared, cert, std::nullopt, true, "", "t"}));
  const AuditTask audit = RunOnDemand();
  const auto findings = FindingsOf(audit.task_id);
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_TRUE(findings[0].is_suppressed);
  const std::string id = StartTask(audit.task_id, {"deactivate", "notify"});
  auto task = executor_.Run(kAccount, id);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->status, MitigationTaskStatus::kCompleted);
  const MitigationCheckStatistics want{1, 0, 0, 1, 0};
  EXPECT_EQ(task->statistics.at(kShared), want);
  EXPECT_TRUE(updater_.calls.empty());
  EXPECT_TRUE(publisher_.findings.empty());
  for (const auto& e : Executions(id, findings[0].finding_id)) {
    EXPECT_EQ(e.status, S::kSkipped);
    EXPECT_EQ(e.message, "the finding is suppressed");
  }
}

TEST_F(MitigationExecutorTest, FindingIdsTargetOnlyThoseFindings) {
  LogTwoClones();
  const AuditTask audit = RunOnDemand();
  std::string finding_c;
  for (const auto& f : FindingsOf(audit.task_id)) {
    if (f.finding.non_compliant_resource.identifier.device_certificate_id == CertId('c')) {
      finding_c = f.finding_id;
    }
  }
  StartMitigationTaskRequest r;
  r.task_id = "by-id";
  r.target.finding_ids = {finding_c};
  r.actions_mapping[kShared] = {"deactivate"};
  r.client_request_token = "tok";
  ASSERT_TRUE(mitigations_.Start(kAccount, r).has_value());
  ASSERT_TRUE(executor_.Run(kAccount, "by-id").has_value());
  ASSERT_EQ(updater_.calls.size(), 1u);
  EXPECT_EQ(updater_.calls[0].second, CertId('c'));
}

TEST_F(MitigationExecutorTest, ReasonCodeFilterSelectsMatchingFindings) {
  LogTwoClones();
  const AuditTask audit = RunOnDemand();
  StartMitigationTaskRequest r;
  r.task_id = "filtered";
  r.target.audit_task_id = audit.task_id;
  r.target.reason_code_filter[kShared] = {std::string(kCertificateSharedReasonCode)};
  r.actions_mapping[kShared] = {"deactivate"};
  r.client_request_token = "tok";
  ASSERT_TRUE(mitigations_.Start(kAccount, r).has_value());
  auto task = executor_.Run(kAccount, "filtered");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(updater_.calls.size(), 2u);
  EXPECT_EQ(task->statistics.at(kShared).total_findings, 2);
}

TEST_F(MitigationExecutorTest, CancelStopsBeforeTheNextFinding) {
  LogTwoClones();
  const AuditTask audit = RunOnDemand();
  const std::string id = StartTask(audit.task_id, {"notify", "deactivate"});
  publisher_.on_finding = [&] {
    publisher_.on_finding = nullptr;
    ASSERT_TRUE(mitigations_.Cancel(kAccount, id).has_value());
  };
  auto task = executor_.Run(kAccount, id);
  ASSERT_TRUE(task.has_value()) << task.error().ToString();
  EXPECT_EQ(task->status, MitigationTaskStatus::kCanceled);
  // The first finding's actions had started and are not rolled back; the second never ran.
  const MitigationCheckStatistics want{2, 0, 1, 0, 1};
  EXPECT_EQ(task->statistics.at(kShared), want);
  EXPECT_EQ(publisher_.findings.size(), 1u);
  EXPECT_EQ(updater_.calls.size(), 1u);
  int canceled = 0;
  for (const auto& f : FindingsOf(audit.task_id)) {
    for (const auto& e : Executions(id, f.finding_id)) {
      canceled += e.status == S::kCanceled ? 1 : 0;
    }
  }
  EXPECT_EQ(canceled, 2);
}

TEST_F(MitigationExecutorTest, CrashMidTaskResumesWithoutRedoingFinishedFindings) {
  LogTwoClones();
  const AuditTask audit = RunOnDemand();
  const std::string id = StartTask(audit.task_id, {"deactivate"});
  // Run: 1 load, 2 status check, 3 commit of finding 1, 4 status check, 5 commit (fails).
  store_.FailTransaction(5);
  auto crashed = executor_.Run(kAccount, id);
  ASSERT_FALSE(crashed.has_value());
  EXPECT_EQ(mitigations_.Describe(kAccount, id)->status, MitigationTaskStatus::kInProgress);
  EXPECT_EQ(mitigations_.Describe(kAccount, id)->statistics.at(kShared).total_findings, 1);

  auto resumed = executor_.RunPending();
  ASSERT_TRUE(resumed.has_value()) << resumed.error().ToString();
  EXPECT_EQ(*resumed, 1);
  auto task = mitigations_.Describe(kAccount, id);
  EXPECT_EQ(task->status, MitigationTaskStatus::kCompleted);
  EXPECT_EQ(task->statistics.at(kShared).total_findings, 2);
  EXPECT_EQ(task->statistics.at(kShared).succeeded_findings, 2);
  // The first finding ran once; the second ran in the crashed attempt and again on resume.
  ASSERT_EQ(updater_.calls.size(), 3u);
  EXPECT_NE(updater_.calls[0].second, updater_.calls[1].second);
  EXPECT_EQ(updater_.calls[1].second, updater_.calls[2].second);
}

TEST_F(MitigationExecutorTest, ListExecutionsNeedsAnExistingTaskAndValidIds) {
  EXPECT_EQ(mitigations_.ListExecutions(kAccount, "missing", "f-1", std::nullopt, {}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(mitigations_.ListExecutions(kAccount, "bad id", "f-1", std::nullopt, {}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(mitigations_.ListExecutions(kAccount, "t", "", std::nullopt, {}).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::audit::testing
