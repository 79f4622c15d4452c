#pragma once

// The Device Defender audit of one node, built by the composition root: the audit services over
// the SQLite store, the runner reading the connection log, the mitigation executor acting
// through the registry (audit_adapters.h) and the notification targets
// (notification_targets.h), and the AuditScheduler thread that runs scheduled audits,
// on-demand audits and mitigation tasks off the request threads.
//
// Lifetime: every reference given to Create must outlive the AuditNode. Thread-safety: the
// services are thread-safe (the API calls them from any I/O thread); Start and Stop are for the
// composition root.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/audit_routes.h"
#include "app/notification_targets.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::registry {
class CertificateService;
class ThingGroupService;
class ThingService;
}  // namespace fg::registry

namespace fg::store {
class SqliteStore;
}  // namespace fg::store

namespace fg::app {

struct AuditNodeOptions {
  std::string region;
  std::chrono::milliseconds settle_lag = std::chrono::hours(2);
  std::map<std::string, NotificationTarget> targets;
  // Publishes a notification into an account's topic space on the node's broker. May be empty
  // (then MQTT targets deliver nothing).
  TargetNotificationPublisher::MqttFn mqtt;
  // Deadline of one webhook delivery.
  std::chrono::milliseconds webhook_timeout = std::chrono::seconds(5);
};

class AuditNode {
 public:
  // kInvalidArgument for a negative settle lag.
  static Result<std::unique_ptr<AuditNode>> Create(store::SqliteStore& store,
                                                   registry::CertificateService& certificates,
                                                   registry::ThingService& things,
                                                   registry::ThingGroupService& groups,
                                                   const Clock& clock, AuditNodeOptions options);
  ~AuditNode();
  AuditNode(const AuditNode&) = delete;
  AuditNode& operator=(const AuditNode&) = delete;

  // The handlers' view (api/audit_routes.h); `wake` wakes the scheduler thread.
  api::AuditServices Services(api::PageTokenCodec* page_tokens) const;

  // Starts the scheduler thread; it first resumes tasks a previous run left IN_PROGRESS.
  void Start();
  // Joins the scheduler thread after its current tick. Idempotent.
  void Stop();

 private:
  struct Parts;
  explicit AuditNode(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace fg::app
