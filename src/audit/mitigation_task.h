#pragma once

// An audit mitigation actions task (AWS StartAuditMitigationActionsTask /
// DescribeAuditMitigationActionsTask) and its executions, one per (finding, action), as stored.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_enums.h"
#include "audit/mitigation_action.h"
#include "core/clock.h"

namespace fg::audit {

// AWS AuditMitigationActionsTaskTarget: either `audit_task_id` (optionally narrowed by
// `reason_code_filter`, check name -> reason codes), or `finding_ids` (1..25).
struct MitigationTaskTarget {
  std::optional<std::string> audit_task_id;
  std::vector<std::string> finding_ids;
  std::map<std::string, std::vector<std::string>> reason_code_filter;
  friend bool operator==(const MitigationTaskTarget&, const MitigationTaskTarget&) = default;
};

// AWS TaskStatisticsForAuditCheck. A finding is counted once: succeeded when all its actions
// completed, failed when one failed, skipped when suppressed, canceled when the task was
// canceled before its actions ran.
struct MitigationCheckStatistics {
  int64_t total_findings = 0;
  int64_t failed_findings = 0;
  int64_t succeeded_findings = 0;
  int64_t skipped_findings = 0;
  int64_t canceled_findings = 0;
  friend bool operator==(const MitigationCheckStatistics&,
                         const MitigationCheckStatistics&) = default;
};

struct AuditMitigationTask {
  std::string account_id;
  std::string task_id;               // chosen by the caller: 1..128 of [a-zA-Z0-9_-]
  std::string client_request_token;  // unique per account
  MitigationTaskStatus status = MitigationTaskStatus::kInProgress;
  TimePoint start_time;
  std::optional<TimePoint> end_time;
  MitigationTaskTarget target;
  // AWS auditCheckToActionsMapping: current check name -> 1..5 action names, in run order.
  std::map<std::string, std::vector<std::string>> actions_mapping;
  // AWS actionsDefinition: the actions as they were when the task started, so that later
  // updates or deletions of an action do not change a running task.
  std::vector<MitigationAction> actions_definition;
  // Keyed by check name; filled as findings are processed.
  std::map<std::string, MitigationCheckStatistics> statistics;
  friend bool operator==(const AuditMitigationTask&, const AuditMitigationTask&) = default;
};

// AWS AuditMitigationActionExecutionMetadata.
struct MitigationExecution {
  std::string account_id;
  std::string task_id;
  std::string finding_id;
  std::string action_name;
  std::string action_id;
  // Position of the action in the check's list (0-based); with task_id and finding_id, the key.
  int action_index = 0;
  MitigationExecutionStatus status = MitigationExecutionStatus::kPending;
  std::optional<TimePoint> start_time;
  std::optional<TimePoint> end_time;
  std::string error_code;  // FAILED: the error's ErrorCodeName; SKIPPED/CANCELED: why
  std::string message;
  friend bool operator==(const MitigationExecution&, const MitigationExecution&) = default;
};

}  // namespace fg::audit
