#pragma once

// AWS StartOnDemandAuditTask / DescribeAuditTask / ListAuditTasks / CancelAuditTask. Starting
// a task only records it (IN_PROGRESS); AuditRunner runs it on the audit thread. Every call
// names the calling account and sees only its tasks. Thread-safe if the store is; `store`,
// `clock` and `ids` must outlive the service.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_store.h"
#include "audit/audit_task.h"
#include "audit/id_generator.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

class AuditTaskService {
 public:
  // AWS quota: 10 on-demand audits in progress at once per account, not adjustable.
  static constexpr int kMaxInProgressOnDemandTasks = 10;

  AuditTaskService(AuditStore& store, const Clock& clock, IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // Records a new on-demand task for the named checks and returns its id.
  // Errors: kInvalidArgument for an empty list, an unknown check or one that is not enabled;
  // kLimitExceeded while 10 on-demand tasks of the account are IN_PROGRESS.
  Result<std::string> StartOnDemand(std::string_view account_id,
                                    const std::vector<std::string>& target_check_names);

  // The task with its per-check details (ComputeTaskStatistics gives AWS's taskStatistics).
  // kInvalidArgument for a malformed id; kNotFound if there is no such task.
  Result<AuditTask> Describe(std::string_view account_id, std::string_view task_id);

  // Tasks that started in [query.start, query.end], ordered by (start time, id).
  // kInvalidArgument if end < start or if start is more than 90 days (the retention) ago.
  Result<Page<AuditTask>> List(std::string_view account_id, const AuditTaskQuery& query,
                               const PageRequest& page);

  // Cancels an IN_PROGRESS task: the task and every check still IN_PROGRESS become CANCELED;
  // checks that already finished keep their results. A running AuditRunner notices and stops.
  // kNotFound if there is no such task; kInvalidArgument if it is not IN_PROGRESS.
  Result<void> Cancel(std::string_view account_id, std::string_view task_id);

 private:
  AuditStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace fg::audit
