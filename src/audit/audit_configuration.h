#pragma once

// An account's Device Defender audit configuration (AWS DescribeAccountAuditConfiguration /
// UpdateAccountAuditConfiguration): the role ARN, the notification targets and, per check,
// whether it is enabled. Value types; rules live in AuditConfigurationService.

#include <map>
#include <string>

namespace fg::audit {

// AuditNotificationType: "SNS" is the only type AWS has.
inline constexpr std::string_view kSnsNotificationType = "SNS";

// AuditNotificationTarget. There is no SNS in fleetguard: `target_arn` names a notification
// target configured in fleetguard (NotificationPublisher::HasTarget), which delivers to a
// webhook and/or an MQTT topic.
struct AuditNotificationTarget {
  std::string target_arn;
  std::string role_arn;
  bool enabled = false;
  friend bool operator==(const AuditNotificationTarget&, const AuditNotificationTarget&) = default;
};

// AuditCheckConfiguration. `configuration` is AWS's CheckCustomConfiguration
// (CERT_AGE_THRESHOLD_IN_DAYS, CERT_EXPIRATION_THRESHOLD_IN_DAYS -> string of 1..64).
struct AuditCheckConfig {
  bool enabled = false;
  std::map<std::string, std::string> configuration;
  friend bool operator==(const AuditCheckConfig&, const AuditCheckConfig&) = default;
};

struct AuditConfiguration {
  std::string account_id;
  std::string role_arn;
  // Keyed by notification type ("SNS").
  std::map<std::string, AuditNotificationTarget> notification_targets;
  // Keyed by current check name. A stored configuration may list only some checks; a check
  // that is absent is disabled.
  std::map<std::string, AuditCheckConfig> checks;
  friend bool operator==(const AuditConfiguration&, const AuditConfiguration&) = default;

  bool IsEnabled(const std::string& check_name) const {
    auto it = checks.find(check_name);
    return it != checks.end() && it->second.enabled;
  }
};

}  // namespace fg::audit
