#pragma once

// Runs audit mitigation actions tasks (AWS dd-mitigation-actions semantics):
// - the findings are the target's: every finding of the audit task whose check the mapping
//   names (narrowed by the reason-code filter when there is one), or the listed finding ids
//   whose check the mapping names;
// - per finding, the check's actions run in the listed order; the first failure is recorded
//   (FAILED, with its ErrorCodeName and message) and the finding's remaining actions are
//   SKIPPED;
// - a suppressed finding is never acted on: all its executions are SKIPPED;
// - a cancellation is noticed before each finding: the findings not reached get CANCELED
//   executions; nothing already done is rolled back;
// - each finding's executions and the task's statistics are committed together, so a crash
//   mid-task resumes (RunPending) with the findings that have no executions yet. An action may
//   then run twice for the finding being processed at the crash; all three actions are
//   idempotent (deactivate, add to group) or at-least-once (publish).
// The task ends FAILED if any finding failed, CANCELED if it was canceled, else COMPLETED.
//
// Thread-safety: Run and RunPending from one thread at a time (the mitigation thread). Every
// reference must outlive the executor.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_store.h"
#include "audit/certificate_updater.h"
#include "audit/mitigation_task.h"
#include "audit/notification_publisher.h"
#include "audit/thing_group_adder.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

class MitigationExecutor {
 public:
  MitigationExecutor(AuditStore& store, const Clock& clock, CertificateUpdater& certificates,
                     ThingGroupAdder& groups, NotificationPublisher& publisher)
      : store_(store),
        clock_(clock),
        certificates_(certificates),
        groups_(groups),
        publisher_(publisher) {}

  // Runs the task to its end and returns it. A task that is not IN_PROGRESS is returned
  // unchanged. Errors: kNotFound for no such task; store errors (the task stays IN_PROGRESS).
  Result<AuditMitigationTask> Run(std::string_view account_id, std::string_view task_id);

  // Runs every IN_PROGRESS mitigation task of every account, oldest first; returns how many.
  Result<int> RunPending();

  // How one finding ended, for the task's statistics.
  enum class Outcome { kSucceeded, kFailed, kSkipped, kCanceled };

 private:
  struct Plan {
    AuditMitigationTask task;
    std::vector<AuditFindingRecord> findings;
    std::set<std::string> done;  // findings that already have executions
  };
  struct FindingRun {
    std::vector<MitigationExecution> executions;
    Outcome outcome = Outcome::kSucceeded;
  };

  Result<Plan> Load(std::string_view account_id, std::string_view task_id);
  Result<bool> IsCanceled(std::string_view account_id, std::string_view task_id);
  // Runs (or skips, or cancels) the finding's actions in order; touches no store.
  FindingRun ExecuteFinding(const AuditMitigationTask& task, const AuditFindingRecord& finding,
                            bool canceled);
  // Stores the finding's executions and counts it, in one transaction.
  Result<void> Commit(std::string_view account_id, std::string_view task_id,
                      const std::string& check, const FindingRun& run);
  // COMPLETED or FAILED, unless the task was canceled meanwhile.
  Result<AuditMitigationTask> Finish(std::string_view account_id, std::string_view task_id);
  Result<void> Act(const AuditMitigationTask& task, const MitigationAction& action,
                   const AuditFindingRecord& finding);

  AuditStore& store_;
  const Clock& clock_;
  CertificateUpdater& certificates_;
  ThingGroupAdder& groups_;
  NotificationPublisher& publisher_;
};

}  // namespace fg::audit
