#include "audit/audit_task.h"

#include <utility>

namespace fg::audit {

AuditTask NewAuditTask(std::string_view account_id, std::string task_id, AuditTaskType type,
                       TimePoint start_time, const std::vector<std::string>& checks) {
  AuditTask task;
  task.account_id = std::string(account_id);
  task.task_id = std::move(task_id);
  task.type = type;
  task.status = AuditTaskStatus::kInProgress;
  task.start_time = start_time;
  for (const std::string& check : checks) {
    task.checks.emplace(check, AuditCheckDetails{});
  }
  return task;
}

AuditTaskStatistics ComputeTaskStatistics(const AuditTask& task) {
  AuditTaskStatistics stats;
  for (const auto& [name, details] : task.checks) {
    ++stats.total_checks;
    switch (details.run_status) {
      case AuditCheckRunStatus::kInProgress:
        ++stats.in_progress_checks;
        break;
      case AuditCheckRunStatus::kWaitingForDataCollection:
        ++stats.waiting_for_data_collection_checks;
        break;
      case AuditCheckRunStatus::kCanceled:
        ++stats.canceled_checks;
        break;
      case AuditCheckRunStatus::kCompletedCompliant:
        ++stats.compliant_checks;
        break;
      case AuditCheckRunStatus::kCompletedNonCompliant:
        ++stats.non_compliant_checks;
        break;
      case AuditCheckRunStatus::kFailed:
        ++stats.failed_checks;
        break;
    }
  }
  return stats;
}

}  // namespace fg::audit
