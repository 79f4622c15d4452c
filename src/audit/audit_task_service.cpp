#include "audit/audit_task_service.h"

#include <utility>

#include "audit/audit_configuration_service.h"
#include "audit/audit_finding_record.h"
#include "audit/audit_names.h"

namespace fg::audit {
namespace {

Result<AuditTask> RequireTask(AuditTx& tx, std::string_view account_id, std::string_view task_id) {
  auto found = tx.FindAuditTask(account_id, task_id);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(ErrorCode::kNotFound, "audit task " + std::string(task_id) + " does not exist");
  }
  return std::move(**found);
}

}  // namespace

Result<std::string> AuditTaskService::StartOnDemand(
    std::string_view account_id, const std::vector<std::string>& target_check_names) {
  return TransactValue<std::string>(store_, [&](AuditTx& tx) -> Result<std::string> {
    auto config = tx.FindConfiguration(account_id);
    if (!config) {
      return Fail(config.error());
    }
    auto checks = ResolveEnabledChecks(*config, target_check_names);
    if (!checks) {
      return Fail(checks.error());
    }
    auto running =
        tx.CountAuditTasks(account_id, AuditTaskType::kOnDemand, AuditTaskStatus::kInProgress);
    if (!running) {
      return Fail(running.error());
    }
    if (*running >= kMaxInProgressOnDemandTasks) {
      return Fail(ErrorCode::kLimitExceeded,
                  "at most 10 on-demand audit tasks may be in progress at once");
    }
    AuditTask task = NewAuditTask(account_id, ids_.NewAuditTaskId(), AuditTaskType::kOnDemand,
                                  clock_.Now(), *checks);
    if (auto r = tx.InsertAuditTask(task); !r) {
      return Fail(r.error());
    }
    return task.task_id;
  });
}

Result<AuditTask> AuditTaskService::Describe(std::string_view account_id,
                                             std::string_view task_id) {
  if (auto r = ValidateAuditTaskId(task_id); !r) {
    return Fail(r.error());
  }
  return TransactValue<AuditTask>(
      store_, [&](AuditTx& tx) { return RequireTask(tx, account_id, task_id); });
}

Result<Page<AuditTask>> AuditTaskService::List(std::string_view account_id,
                                               const AuditTaskQuery& query,
                                               const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  if (query.end < query.start) {
    return Fail(ErrorCode::kInvalidArgument, "endTime must not be before startTime");
  }
  // AWS: a startTime older than the retention is InvalidRequestException.
  if (query.start < clock_.Now() - kFindingRetention) {
    return Fail(ErrorCode::kInvalidArgument,
                "startTime must be within the last 90 days (audit retention)");
  }
  return TransactValue<Page<AuditTask>>(
      store_, [&](AuditTx& tx) { return tx.ListAuditTasks(account_id, query, page); });
}

Result<void> AuditTaskService::Cancel(std::string_view account_id, std::string_view task_id) {
  if (auto r = ValidateAuditTaskId(task_id); !r) {
    return r;
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto task = RequireTask(tx, account_id, task_id);
    if (!task) {
      return Fail(task.error());
    }
    if (task->status != AuditTaskStatus::kInProgress) {
      return Fail(ErrorCode::kInvalidArgument, "audit task " + std::string(task_id) + " is " +
                                                   std::string(ToString(task->status)) +
                                                   ", not IN_PROGRESS");
    }
    task->status = AuditTaskStatus::kCanceled;
    task->end_time = clock_.Now();
    for (auto& [name, details] : task->checks) {
      if (details.run_status == AuditCheckRunStatus::kInProgress ||
          details.run_status == AuditCheckRunStatus::kWaitingForDataCollection) {
        details.run_status = AuditCheckRunStatus::kCanceled;
      }
    }
    return tx.UpdateAuditTask(*task);
  });
}

}  // namespace fg::audit
