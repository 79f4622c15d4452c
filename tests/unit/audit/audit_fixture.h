#pragma once

// Shared parts for the audit domain tests: a FakeAuditStore, a ManualClock at 2030-01-01Z,
// predictable ids, recording fakes of the mitigation and notification seams, an in-memory
// connection log, and every service wired as the app will wire them.

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_configuration_service.h"
#include "audit/audit_runner.h"
#include "audit/audit_task_service.h"
#include "audit/certificate_updater.h"
#include "audit/finding_service.h"
#include "audit/id_generator.h"
#include "audit/mitigation_action_service.h"
#include "audit/mitigation_executor.h"
#include "audit/mitigation_task_service.h"
#include "audit/notification_publisher.h"
#include "audit/scheduled_audit_service.h"
#include "audit/session_source_factory.h"
#include "audit/suppression_service.h"
#include "audit/thing_group_adder.h"
#include "core/clock.h"
#include "unit/audit/fake_audit_store.h"

namespace fg::audit::testing {

inline constexpr char kAccount[] = "111111111111";
inline constexpr char kOtherAccount[] = "222222222222";
inline constexpr char kRoleArn[] = "arn:aws:iam::111111111111:role/audit";
inline constexpr char kTarget[] = "ops-webhook";
inline const std::string kShared(kDeviceCertificateSharedCheck);
// 2030-01-01T00:00:00Z, a Tuesday.
inline const TimePoint kT0 = FromEpochSeconds(1893456000);

inline std::string CertId(char c) { return std::string(64, c); }

inline TimePoint At(std::chrono::milliseconds offset) { return kT0 + offset; }

// Task ids 00..01, 00..02, ...; UUIDs 00000000-0000-4000-8000-000000000001, ...
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewAuditTaskId() override {
    char buf[33];
    std::snprintf(buf, sizeof(buf), "%032d", ++tasks_);
    return buf;
  }
  std::string NewUuid() override {
    char buf[37];
    std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012d", ++uuids_);
    return buf;
  }

 private:
  int tasks_ = 0;
  int uuids_ = 0;
};

class RecordingPublisher final : public NotificationPublisher {
 public:
  bool HasTarget(std::string_view target) const override {
    return targets.contains(std::string(target));
  }
  Result<void> PublishFinding(std::string_view target, const FindingNotification& n) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (fail_findings) {
        return Fail(ErrorCode::kUnavailable, "webhook unreachable");
      }
      findings.emplace_back(std::string(target), n);
    }
    if (on_finding) {
      on_finding();
    }
    return Ok();
  }
  Result<void> PublishAuditCompletion(std::string_view target,
                                      const AuditCompletionNotification& n) override {
    std::lock_guard<std::mutex> lock(mu);
    completions.emplace_back(std::string(target), n);
    return Ok();
  }

  std::set<std::string> targets{kTarget};
  bool fail_findings = false;
  std::function<void()> on_finding;  // runs after each published finding
  std::mutex mu;
  std::vector<std::pair<std::string, FindingNotification>> findings;
  std::vector<std::pair<std::string, AuditCompletionNotification>> completions;
};

class RecordingCertificateUpdater final : public CertificateUpdater {
 public:
  Result<void> DeactivateCertificate(std::string_view account,
                                     std::string_view certificate_id) override {
    calls.emplace_back(std::string(account), std::string(certificate_id));
    if (failing.contains(std::string(certificate_id))) {
      return Fail(ErrorCode::kCertificateState, "certificate is REVOKED");
    }
    return Ok();
  }
  std::set<std::string> failing;
  std::vector<std::pair<std::string, std::string>> calls;
};

class RecordingThingGroupAdder final : public ThingGroupAdder {
 public:
  Result<void> AddThingsOfCertificate(std::string_view, std::string_view certificate_id,
                                      const std::vector<std::string>& groups, bool) override {
    calls.emplace_back(std::string(certificate_id), groups);
    if (fail) {
      return Fail(ErrorCode::kNotFound, "thing group quarantine does not exist");
    }
    return Ok();
  }
  bool fail = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> calls;
};

// The connection log of each account, served as an InMemorySessionSource; records the windows
// the runner asked for.
class InMemorySessionSourceFactory final : public SessionSourceFactory {
 public:
  Result<std::unique_ptr<SessionSource>> Open(std::string_view account,
                                              const AuditWindow& window) override {
    windows.push_back(window);
    if (fail) {
      return Fail(ErrorCode::kUnavailable, "connection log unavailable");
    }
    return std::unique_ptr<SessionSource>(
        std::make_unique<InMemorySessionSource>(log[std::string(account)]));
  }
  std::map<std::string, std::vector<CertificateSessions>> log;
  std::vector<AuditWindow> windows;
  bool fail = false;
};

inline SessionInterval Session(uint64_t id, std::string client, TimePoint connect,
                               std::optional<TimePoint> disconnect) {
  SessionInterval s;
  s.session_id = id;
  s.client_id = std::move(client);
  s.source_ip = "203.0.113." + std::to_string(id);
  s.connect_ms = ToEpochMillis(connect);
  s.last_packet_ms = ToEpochMillis(disconnect.value_or(connect));
  if (disconnect) {
    s.disconnect_ms = ToEpochMillis(*disconnect);
    s.disconnect_reason = "CLIENT_INITIATED_DISCONNECT";
  }
  return s;
}

class AuditFixture : public ::testing::Test {
 protected:
  AuditFixture()
      : clock_(kT0),
        config_(store_, publisher_),
        tasks_(store_, clock_, ids_),
        schedules_(store_, clock_),
        findings_(store_),
        suppressions_(store_, clock_),
        actions_(store_, clock_, ids_, publisher_),
        mitigations_(store_, clock_),
        executor_(store_, clock_, updater_, adder_, publisher_) {}

  void SetUp() override { MakeRunner(AuditRunnerOptions{}); }

  void MakeRunner(AuditRunnerOptions options) {
    auto runner = AuditRunner::Create(store_, sessions_, publisher_, clock_, ids_, options);
    ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
    runner_ = std::move(*runner);
  }

  // Enables DEVICE_CERTIFICATE_SHARED_CHECK (and `more`) for kAccount.
  void EnableChecks(std::vector<std::string> more = {}) {
    AuditConfigurationUpdate update;
    update.role_arn = kRoleArn;
    update.checks[kShared].enabled = true;
    for (const std::string& name : more) {
      update.checks[name].enabled = true;
    }
    auto r = config_.Update(kAccount, update);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // cert 'a' shared by two devices for an hour; cert 'b' used by one device that reconnects.
  void LogOneClone() {
    sessions_.log[kAccount] = {
        {CertId('a'),
         {Session(1, "dev-1", At(-std::chrono::hours(5)), At(-std::chrono::hours(3))),
          Session(2, "dev-2", At(-std::chrono::hours(4)), std::nullopt)}},
        {CertId('b'),
         {Session(3, "dev-3", At(-std::chrono::hours(6)), At(-std::chrono::hours(5))),
          Session(4, "dev-3", At(-std::chrono::hours(5)), std::nullopt)}},
    };
  }

  // Starts an on-demand SHARED audit and runs it.
  AuditTask RunOnDemand() {
    auto id = tasks_.StartOnDemand(kAccount, {kShared});
    EXPECT_TRUE(id.has_value()) << id.error().ToString();
    auto run = runner_->Run(kAccount, *id);
    EXPECT_TRUE(run.has_value()) << run.error().ToString();
    return run->task;
  }

  std::vector<AuditFindingRecord> FindingsOf(const std::string& task_id) {
    ListFindingsRequest request;
    request.task_id = task_id;
    auto page = findings_.List(kAccount, request, PageRequest{250, ""});
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    return page->items;
  }

  MitigationActionParams Deactivate() {
    MitigationActionParams p;
    p.update_device_certificate = UpdateDeviceCertificateParams{"DEACTIVATE"};
    return p;
  }
  MitigationActionParams Publish(std::string topic = kTarget) {
    MitigationActionParams p;
    p.publish_finding_to_sns = PublishFindingToSnsParams{std::move(topic)};
    return p;
  }
  MitigationActionParams Quarantine() {
    MitigationActionParams p;
    p.add_things_to_thing_group = AddThingsToThingGroupParams{{"quarantine"}, std::nullopt};
    return p;
  }

  FakeAuditStore store_;
  ManualClock clock_;
  SequentialIdGenerator ids_;
  RecordingPublisher publisher_;
  RecordingCertificateUpdater updater_;
  RecordingThingGroupAdder adder_;
  InMemorySessionSourceFactory sessions_;
  AuditConfigurationService config_;
  AuditTaskService tasks_;
  ScheduledAuditService schedules_;
  FindingService findings_;
  SuppressionService suppressions_;
  MitigationActionService actions_;
  MitigationTaskService mitigations_;
  MitigationExecutor executor_;
  std::unique_ptr<AuditRunner> runner_;
};

}  // namespace fg::audit::testing
