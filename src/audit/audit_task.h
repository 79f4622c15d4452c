#pragma once

// An audit task (AWS DescribeAuditTask / ListAuditTasks) as stored, and its statistics.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_enums.h"
#include "audit/audit_window.h"
#include "core/clock.h"

namespace fg::audit {

// AWS AuditCheckDetails for one check of one task.
struct AuditCheckDetails {
  AuditCheckRunStatus run_status = AuditCheckRunStatus::kInProgress;
  // Set once the check completed (COMPLETED_COMPLIANT or COMPLETED_NON_COMPLIANT).
  std::optional<bool> compliant;
  int64_t total_resources = 0;
  // Non-compliant resources that no suppression covers.
  int64_t non_compliant_resources = 0;
  int64_t suppressed_non_compliant_resources = 0;
  // Set for FAILED (see audit_checks.h for the codes) and CANCELED checks.
  std::string error_code;
  std::string message;
  friend bool operator==(const AuditCheckDetails&, const AuditCheckDetails&) = default;
};

struct AuditTask {
  std::string account_id;
  std::string task_id;  // 32 lowercase hex
  AuditTaskType type = AuditTaskType::kOnDemand;
  AuditTaskStatus status = AuditTaskStatus::kInProgress;
  TimePoint start_time;
  std::optional<TimePoint> end_time;                // set when the task leaves IN_PROGRESS
  std::optional<std::string> scheduled_audit_name;  // scheduled tasks only
  // Scheduled tasks only: the schedule's previous start (its window's start); nullopt for the
  // schedule's first run.
  std::optional<TimePoint> previous_start;
  // The window the checks looked at; set when the checks run.
  std::optional<AuditWindow> window;
  // Keyed by current check name; one entry per target check.
  std::map<std::string, AuditCheckDetails> checks;
  friend bool operator==(const AuditTask&, const AuditTask&) = default;
};

// AWS TaskStatistics.
struct AuditTaskStatistics {
  int total_checks = 0;
  int in_progress_checks = 0;
  int waiting_for_data_collection_checks = 0;
  int compliant_checks = 0;
  int non_compliant_checks = 0;
  int failed_checks = 0;
  int canceled_checks = 0;
  friend bool operator==(const AuditTaskStatistics&, const AuditTaskStatistics&) = default;
};

// A new IN_PROGRESS task whose `checks` are all IN_PROGRESS.
AuditTask NewAuditTask(std::string_view account_id, std::string task_id, AuditTaskType type,
                       TimePoint start_time, const std::vector<std::string>& checks);

// Counts the task's checks by run status. Pure.
AuditTaskStatistics ComputeTaskStatistics(const AuditTask& task);

}  // namespace fg::audit
