#pragma once

// fleetguard's stand-in for SNS. A notification target is configured in fleetguard under a
// name (its "ARN" in the AWS API: publishFindingToSnsParams.topicArn and the SNS
// auditNotificationTargetConfigurations targetArn) and delivers JSON to an HTTP(S) webhook
// and/or an MQTT topic on fleetguard's own broker. The app implements this interface (and owns
// the JSON encoding, which must match the API's DescribeAuditFinding body for findings and
// AWS's audit notification schema "arn:aws:iot:::schema:auditnotification/1.0" for task
// completion). Tests use a recording fake.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_enums.h"
#include "audit/audit_finding_record.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// PUBLISH_FINDING_TO_SNS: the finding as DescribeAuditFinding returns it, plus which mitigation
// task and action published it.
struct FindingNotification {
  AuditFindingRecord finding;
  std::string mitigation_task_id;
  std::string action_name;
};

// One auditDetails entry of AWS's audit notification (final run states only).
struct AuditNotificationCheck {
  std::string check_name;
  AuditCheckRunStatus run_status = AuditCheckRunStatus::kCompletedCompliant;
  int64_t non_compliant_resources = 0;
  int64_t suppressed_non_compliant_resources = 0;
  int64_t total_resources = 0;
  std::string error_code;
  std::string message;
};

// AWS's audit-completion notification.
struct AuditCompletionNotification {
  std::string account_id;
  std::string task_id;
  AuditTaskStatus task_status = AuditTaskStatus::kCompleted;
  AuditTaskType task_type = AuditTaskType::kOnDemand;
  std::optional<std::string> scheduled_audit_name;
  int failed_checks = 0;
  int canceled_checks = 0;
  int non_compliant_checks = 0;
  int compliant_checks = 0;
  int total_checks = 0;
  TimePoint task_start_time;
  std::vector<AuditNotificationCheck> audit_details;
};

// Thread-safe; called from the audit and mitigation threads. Publish* return once the
// notification is handed to the target's delivery (at-least-once delivery is the target's
// concern). Errors: kNotFound for an unknown target; kUnavailable when delivery cannot be
// queued.
class NotificationPublisher {
 public:
  virtual ~NotificationPublisher() = default;

  // Whether a target of that name is configured (used to validate topicArn / targetArn).
  virtual bool HasTarget(std::string_view target_arn) const = 0;

  virtual Result<void> PublishFinding(std::string_view target_arn,
                                      const FindingNotification& notification) = 0;
  virtual Result<void> PublishAuditCompletion(std::string_view target_arn,
                                              const AuditCompletionNotification& notification) = 0;
};

}  // namespace fg::audit
