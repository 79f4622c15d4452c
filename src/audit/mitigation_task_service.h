#pragma once

// AWS StartAuditMitigationActionsTask / DescribeAuditMitigationActionsTask /
// ListAuditMitigationActionsTasks / ListAuditMitigationActionsExecutions /
// CancelAuditMitigationActionsTask. Starting a task only records it (IN_PROGRESS);
// MitigationExecutor runs it. Thread-safe if the store is; `store` and `clock` must outlive it.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_store.h"
#include "audit/mitigation_task.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

struct StartMitigationTaskRequest {
  std::string task_id;
  MitigationTaskTarget target;
  std::map<std::string, std::vector<std::string>> actions_mapping;
  std::string client_request_token;
};

class MitigationTaskService {
 public:
  // AWS quota: 10 mitigation tasks in progress at once per account.
  static constexpr int kMaxInProgressTasks = 10;
  static constexpr size_t kMaxActionsPerCheck = 5;
  static constexpr size_t kMaxFindingIds = 25;
  static constexpr size_t kMaxReasonCodes = 25;

  MitigationTaskService(AuditStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records the task and returns its id. Idempotent: the same task id with the same
  // clientRequestToken returns the id again and changes nothing.
  // Errors:
  // - kAlreadyExists (AWS TaskAlreadyExistsException): the task id exists with another token,
  //   or the token was used by another task;
  // - kInvalidArgument: a bad task id or token; a target with both or neither of auditTaskId
  //   and findingIds, a reason-code filter without auditTaskId, a filter naming a check that
  //   is not in the mapping or a reason code that check cannot produce, 0 or more than 25
  //   finding ids or reason codes; an empty mapping, an unknown check, 0 or more than 5 (or
  //   repeated) actions for a check, an action whose type AWS does not allow for that check;
  //   an audit task that is not COMPLETED;
  // - kNotFound: the audit task, a finding or an action does not exist;
  // - kLimitExceeded: 10 mitigation tasks of the account are IN_PROGRESS.
  Result<std::string> Start(std::string_view account_id, const StartMitigationTaskRequest& request);

  // kInvalidArgument for a bad id; kNotFound.
  Result<AuditMitigationTask> Describe(std::string_view account_id, std::string_view task_id);

  // Ordered by (start time, id). kInvalidArgument if end < start.
  Result<Page<AuditMitigationTask>> List(std::string_view account_id,
                                         const MitigationTaskQuery& query, const PageRequest& page);

  // The executions of one finding in one task (AWS requires both), in action order, filtered
  // by status when set. kInvalidArgument for bad ids; kNotFound if the task does not exist.
  Result<Page<MitigationExecution>> ListExecutions(
      std::string_view account_id, std::string_view task_id, std::string_view finding_id,
      const std::optional<MitigationExecutionStatus>& status, const PageRequest& page);

  // An IN_PROGRESS task becomes CANCELED; the executor stops before the next finding and marks
  // the findings it did not reach CANCELED. Actions already taken are not rolled back.
  // kNotFound; kInvalidArgument if the task is not IN_PROGRESS.
  Result<void> Cancel(std::string_view account_id, std::string_view task_id);

 private:
  AuditStore& store_;
  const Clock& clock_;
};

}  // namespace fg::audit
