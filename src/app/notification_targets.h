#pragma once

// fleetguard's notification targets: the stand-in for SNS behind PUBLISH_FINDING_TO_SNS and the
// audit-completion notification (docs/audit.md). A target has a name and delivers JSON to an
// http:// webhook and/or an MQTT topic on fleetguard's own broker, in the account whose audit
// produced the notification.
//
// Targets and the audit settle lag are configured in JSON, in the data directory's audit.json
// and in the --config file (whose keys win); every other key of those files is ignored here:
//
//   {"auditSettleLag": "0s",
//    "notificationTargets": {"ops": {"webhook": "http://10.0.0.5:8080/audit",
//                                    "mqttTopic": "fleetguard/audit/ops"}}}
//
// In the AWS API a target is named by an SNS-style ARN, arn:aws:sns:<region>:<account>:<name>
// (the region and account are not checked), or by its bare name.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "app/webhook_client.h"
#include "audit/notification_publisher.h"
#include "core/result.h"

namespace fg::app {

struct NotificationTarget {
  std::string name;
  std::optional<WebhookUrl> webhook;
  std::string mqtt_topic;  // empty: no MQTT delivery
};

struct AuditSettings {
  std::optional<std::chrono::milliseconds> settle_lag;
  std::map<std::string, NotificationTarget> targets;
};

// Reads the audit keys of one JSON configuration document; `source` names it in messages.
// kInvalidArgument for a document that is not a JSON object, an auditSettleLag that is not a
// duration string (core/time_format.h ParseDuration), a target name outside 1..256 of
// [A-Za-z0-9_-], a target with neither webhook nor mqttTopic, a bad webhook URL (https is
// refused), or an mqttTopic that is not a valid MQTT topic name (no wildcards).
Result<AuditSettings> ParseAuditSettings(std::string_view json, std::string_view source);

// The file's audit keys; an absent file yields empty settings. kUnavailable if it cannot be
// read; the errors of ParseAuditSettings.
Result<AuditSettings> LoadAuditSettings(const std::filesystem::path& file);

// `over`'s settle lag and targets replace `base`'s.
AuditSettings MergeAuditSettings(AuditSettings base, const AuditSettings& over);

// The target name an ARN or bare name stands for; nullopt for another kind of ARN.
std::optional<std::string> NotificationTargetName(std::string_view target_arn);

class TargetNotificationPublisher final : public audit::NotificationPublisher {
 public:
  // Delivers `json` to a webhook (PostJson with a deadline in production).
  using WebhookFn = std::function<Result<void>(const WebhookUrl& url, std::string_view json)>;
  // Publishes `payload` to `topic` in the account's topic space (Broker::PublishEvent).
  using MqttFn = std::function<void(const std::string& account_id, const std::string& topic,
                                    const std::string& payload)>;

  TargetNotificationPublisher(std::map<std::string, NotificationTarget> targets, WebhookFn webhook,
                              MqttFn mqtt)
      : targets_(std::move(targets)), webhook_(std::move(webhook)), mqtt_(std::move(mqtt)) {}

  bool HasTarget(std::string_view target_arn) const override;
  // The JSON is api::FindingNotificationJson / api::AuditCompletionJson. Both deliveries of a
  // target are attempted; kNotFound for an unknown target, kUnavailable if the webhook failed.
  // Thread-safe: the targets are immutable and the two functions must be thread-safe.
  Result<void> PublishFinding(std::string_view target_arn,
                              const audit::FindingNotification& notification) override;
  Result<void> PublishAuditCompletion(
      std::string_view target_arn, const audit::AuditCompletionNotification& notification) override;

 private:
  Result<void> Deliver(std::string_view target_arn, const std::string& account_id,
                       const std::string& json);

  const std::map<std::string, NotificationTarget> targets_;
  WebhookFn webhook_;
  MqttFn mqtt_;
};

}  // namespace fg::app
