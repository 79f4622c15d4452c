// The audit domain end to end, in memory: connection log -> on-demand audit -> exactly the
// expected finding -> a suppression flags the next audit's finding -> a mitigation task on the
// first audit deactivates through the updater and publishes through the publisher, and one on
// the second audit touches nothing.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using S = MitigationExecutionStatus;

class AuditEndToEndTest : public AuditFixture {};

TEST_F(AuditEndToEndTest, SessionsToFindingToSuppressionToMitigation) {
  AuditRunnerOptions options;
  options.settle_lag = std::chrono::milliseconds(0);
  MakeRunner(options);
  AuditConfigurationUpdate config;
  config.role_arn = kRoleArn;
  config.checks[kShared].enabled = true;
  config.notification_targets["SNS"] = {kTarget, kRoleArn, true};
  ASSERT_TRUE(config_.Update(kAccount, config).has_value());

  // Certificate a: two devices at once (the clone), one of them still connected.
  // Certificate b: one device that only reconnects, once under a new client id after a silent
  // drop (its old session's last packet is before the new connect).
  SessionInterval ghost = Session(4, "dev-b", At(-hours(3)), At(-hours(2)));
  ghost.last_packet_ms = ToEpochMillis(At(-hours(2) - minutes(30)));
  ghost.disconnect_reason = "MQTT_KEEP_ALIVE_TIMEOUT";
  sessions_.log[kAccount] = {
      {CertId('a'),
       {Session(1, "sensor-1", At(-hours(6)), std::nullopt),
        Session(2, "sensor-1-clone", At(-hours(5)), At(-hours(4)))}},
      {CertId('b'),
       {Session(3, "dev-b", At(-hours(10)), At(-hours(9))), ghost,
        Session(5, "dev-b-new", At(-hours(2) - minutes(20)), std::nullopt)}},
  };

  // 1. On-demand audit: exactly one finding, for certificate a, with both sessions.
  auto first_id = tasks_.StartOnDemand(kAccount, {kShared});
  ASSERT_TRUE(first_id.has_value());
  auto first_run = runner_->Run(kAccount, *first_id);
  ASSERT_TRUE(first_run.has_value()) << first_run.error().ToString();
  EXPECT_FALSE(first_run->notification_error.has_value());
  const AuditTask& first = first_run->task;
  EXPECT_EQ(first.status, AuditTaskStatus::kCompleted);
  EXPECT_EQ(first.window->end, kT0);
  EXPECT_EQ(first.checks.at(kShared).run_status, AuditCheckRunStatus::kCompletedNonCompliant);
  EXPECT_EQ(first.checks.at(kShared).total_resources, 2);
  auto first_findings = FindingsOf(*first_id);
  ASSERT_EQ(first_findings.size(), 1u);
  const AuditFindingRecord& finding = first_findings[0];
  EXPECT_EQ(finding.finding.non_compliant_resource.identifier.device_certificate_id, CertId('a'));
  EXPECT_EQ(finding.finding.non_compliant_resource.additional_info.at("MAX_CONCURRENT_DEVICES"),
            "2");
  ASSERT_EQ(finding.finding.related_resources.size(), 2u);
  const auto& newest = finding.finding.related_resources[0];
  EXPECT_EQ(newest.identifier.client_id, "sensor-1-clone");
  EXPECT_EQ(newest.additional_info.at("CONNECTION_TIME"),
            std::to_string(ToEpochMillis(At(-hours(5)))));
  EXPECT_EQ(newest.additional_info.at("DISCONNECTION_TIME"),
            std::to_string(ToEpochMillis(At(-hours(4)))));
  EXPECT_FALSE(finding.finding.related_resources[1].additional_info.contains(
      "DISCONNECTION_TIME"));  // still connected
  EXPECT_FALSE(finding.is_suppressed);
  ASSERT_EQ(publisher_.completions.size(), 1u);
  EXPECT_EQ(publisher_.completions[0].second.non_compliant_checks, 1);

  // 2. The operator suppresses certificate a; the next audit still reports it, flagged.
  ResourceIdentifier cert_a;
  cert_a.device_certificate_id = CertId('a');
  ASSERT_TRUE(suppressions_.Create(
      kAccount, {kShared, cert_a, kT0 + hours(24 * 7), std::nullopt, "investigating", "sup-1"}));
  clock_.Advance(minutes(10));
  const AuditTask second = RunOnDemand();
  auto second_findings = FindingsOf(second.task_id);
  ASSERT_EQ(second_findings.size(), 1u);
  EXPECT_TRUE(second_findings[0].is_suppressed);
  EXPECT_EQ(second.checks.at(kShared).run_status, AuditCheckRunStatus::kCompletedCompliant);
  EXPECT_EQ(second.checks.at(kShared).suppressed_non_compliant_resources, 1);
  ListFindingsRequest suppressed;
  suppressed.list_suppressed = true;
  EXPECT_EQ(findings_.List(kAccount, suppressed, {})->items.size(), 1u);

  // 3. Mitigation of the first audit: deactivate, then publish to the webhook target.
  ASSERT_TRUE(actions_.Create(kAccount, "deactivate", kRoleArn, Deactivate()).has_value());
  ASSERT_TRUE(actions_.Create(kAccount, "notify-ops", kRoleArn, Publish()).has_value());
  StartMitigationTaskRequest request;
  request.task_id = "mitigate-clone";
  request.target.audit_task_id = *first_id;
  request.actions_mapping[kShared] = {"deactivate", "notify-ops"};
  request.client_request_token = "req-1";
  ASSERT_TRUE(mitigations_.Start(kAccount, request).has_value());
  auto mitigated = executor_.Run(kAccount, "mitigate-clone");
  ASSERT_TRUE(mitigated.has_value()) << mitigated.error().ToString();
  EXPECT_EQ(mitigated->status, MitigationTaskStatus::kCompleted);
  ASSERT_EQ(updater_.calls.size(), 1u);
  EXPECT_EQ(updater_.calls[0], std::pair(std::string(kAccount), CertId('a')));
  ASSERT_EQ(publisher_.findings.size(), 1u);
  EXPECT_EQ(publisher_.findings[0].first, kTarget);
  EXPECT_EQ(publisher_.findings[0].second.finding, finding);
  auto executions =
      mitigations_.ListExecutions(kAccount, "mitigate-clone", finding.finding_id, std::nullopt, {});
  ASSERT_TRUE(executions.has_value());
  ASSERT_EQ(executions->items.size(), 2u);
  EXPECT_EQ(executions->items[0].action_name, "deactivate");
  EXPECT_EQ(executions->items[0].status, S::kCompleted);
  EXPECT_EQ(executions->items[1].action_name, "notify-ops");
  EXPECT_EQ(executions->items[1].status, S::kCompleted);

  // 4. Mitigating the second audit touches nothing: its only finding is suppressed.
  request.task_id = "mitigate-suppressed";
  request.target.audit_task_id = second.task_id;
  request.client_request_token = "req-2";
  ASSERT_TRUE(mitigations_.Start(kAccount, request).has_value());
  auto untouched = executor_.Run(kAccount, "mitigate-suppressed");
  ASSERT_TRUE(untouched.has_value());
  EXPECT_EQ(untouched->statistics.at(kShared).skipped_findings, 1);
  EXPECT_EQ(updater_.calls.size(), 1u);
  EXPECT_EQ(publisher_.findings.size(), 1u);
  auto skipped = mitigations_.ListExecutions(kAccount, "mitigate-suppressed",
                                             second_findings[0].finding_id, S::kSkipped, {});
  ASSERT_TRUE(skipped.has_value());
  EXPECT_EQ(skipped->items.size(), 2u);
}

}  // namespace
}  // namespace fg::audit::testing
