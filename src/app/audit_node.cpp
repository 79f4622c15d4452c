#include "app/audit_node.h"

#include <algorithm>
#include <thread>

#include "app/audit_adapters.h"
#include "audit/audit_configuration_service.h"
#include "audit/audit_runner.h"
#include "audit/audit_scheduler.h"
#include "audit/audit_task_service.h"
#include "audit/finding_service.h"
#include "audit/id_generator.h"
#include "audit/mitigation_action_service.h"
#include "audit/mitigation_executor.h"
#include "audit/mitigation_task_service.h"
#include "audit/scheduled_audit_service.h"
#include "audit/shared_certificate_engine.h"
#include "audit/suppression_service.h"
#include "store/sqlite/sqlite_session_source.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::app {

// Declared in dependency order, so that destruction runs the other way.
struct AuditNode::Parts {
  std::string region;
  audit::RandomIdGenerator ids;
  std::unique_ptr<store::SqliteSessionSourceFactory> sessions;
  std::unique_ptr<TargetNotificationPublisher> publisher;
  std::unique_ptr<RegistryCertificateUpdater> certificate_updater;
  std::unique_ptr<RegistryThingGroupAdder> group_adder;
  std::unique_ptr<audit::AuditConfigurationService> configuration;
  std::unique_ptr<audit::AuditTaskService> tasks;
  std::unique_ptr<audit::ScheduledAuditService> scheduled_audits;
  std::unique_ptr<audit::FindingService> findings;
  std::unique_ptr<audit::SuppressionService> suppressions;
  std::unique_ptr<audit::MitigationActionService> mitigation_actions;
  std::unique_ptr<audit::MitigationTaskService> mitigation_tasks;
  std::unique_ptr<audit::AuditRunner> runner;
  std::unique_ptr<audit::MitigationExecutor> executor;
  std::unique_ptr<audit::AuditScheduler> scheduler;
};

AuditNode::AuditNode(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

AuditNode::~AuditNode() { Stop(); }

Result<std::unique_ptr<AuditNode>> AuditNode::Create(store::SqliteStore& store,
                                                     registry::CertificateService& certificates,
                                                     registry::ThingService& things,
                                                     registry::ThingGroupService& groups,
                                                     const Clock& clock, AuditNodeOptions options) {
  audit::AuditStore& audit_store = store;
  auto p = std::make_unique<Parts>();
  p->region = options.region;
  p->sessions = std::make_unique<store::SqliteSessionSourceFactory>(store);
  const std::chrono::milliseconds webhook_timeout = options.webhook_timeout;
  p->publisher = std::make_unique<TargetNotificationPublisher>(
      std::move(options.targets),
      [webhook_timeout](const WebhookUrl& url, std::string_view json) {
        return PostJson(url, json, webhook_timeout);
      },
      std::move(options.mqtt));
  p->certificate_updater = std::make_unique<RegistryCertificateUpdater>(certificates);
  p->group_adder = std::make_unique<RegistryThingGroupAdder>(things, groups, options.region);
  p->configuration = std::make_unique<audit::AuditConfigurationService>(audit_store, *p->publisher);
  p->tasks = std::make_unique<audit::AuditTaskService>(audit_store, clock, p->ids);
  p->scheduled_audits = std::make_unique<audit::ScheduledAuditService>(audit_store, clock);
  p->findings = std::make_unique<audit::FindingService>(audit_store);
  p->suppressions = std::make_unique<audit::SuppressionService>(audit_store, clock);
  p->mitigation_actions =
      std::make_unique<audit::MitigationActionService>(audit_store, clock, p->ids, *p->publisher);
  p->mitigation_tasks = std::make_unique<audit::MitigationTaskService>(audit_store, clock);

  audit::AuditRunnerOptions runner_options;
  runner_options.settle_lag = options.settle_lag;
  // One engine worker per core: the audit thread is the only one that runs checks.
  runner_options.worker_count =
      std::clamp(std::thread::hardware_concurrency(), 1u, audit::kMaxAuditWorkers);
  auto runner = audit::AuditRunner::Create(audit_store, *p->sessions, *p->publisher, clock, p->ids,
                                           runner_options);
  if (!runner) {
    return Fail(runner.error());
  }
  p->runner = std::move(*runner);
  p->executor = std::make_unique<audit::MitigationExecutor>(
      audit_store, clock, *p->certificate_updater, *p->group_adder, *p->publisher);
  auto scheduler = audit::AuditScheduler::Create(audit_store, clock, p->ids, *p->runner,
                                                 *p->executor, audit::AuditSchedulerOptions{});
  if (!scheduler) {
    return Fail(scheduler.error());
  }
  p->scheduler = std::move(*scheduler);
  return std::unique_ptr<AuditNode>(new AuditNode(std::move(p)));
}

api::AuditServices AuditNode::Services(api::PageTokenCodec* page_tokens) const {
  api::AuditServices s;
  s.configuration = parts_->configuration.get();
  s.tasks = parts_->tasks.get();
  s.scheduled_audits = parts_->scheduled_audits.get();
  s.findings = parts_->findings.get();
  s.suppressions = parts_->suppressions.get();
  s.mitigation_actions = parts_->mitigation_actions.get();
  s.mitigation_tasks = parts_->mitigation_tasks.get();
  s.region = parts_->region;
  s.page_tokens = page_tokens;
  audit::AuditScheduler* scheduler = parts_->scheduler.get();
  s.wake = [scheduler] { scheduler->Wake(); };
  return s;
}

void AuditNode::Start() { parts_->scheduler->Start(); }

void AuditNode::Stop() {
  if (parts_ && parts_->scheduler) {
    parts_->scheduler->Stop();
  }
}

}  // namespace fg::app
