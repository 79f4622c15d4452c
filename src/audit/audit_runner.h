#pragma once

// Runs audit tasks: for each of a task's checks, computes the audit window (audit_window.h),
// pulls the account's sessions through a SessionSourceFactory, runs the check engine, stores
// the findings with isSuppressed applied, and records the per-check status and counts. Then it
// completes the task and sends AWS's audit-completion notification to the account's SNS target
// when one is enabled.
//
// Per-check outcome:
//   COMPLETED_COMPLIANT      no unsuppressed non-compliant resource (suppressed ones may exist)
//   COMPLETED_NON_COMPLIANT  at least one unsuppressed non-compliant resource
//   FAILED                   errorCode AUDIT_CHECK_DISABLED (disabled since the task started),
//                            CHECK_NOT_SUPPORTED (fleetguard does not run it) or
//                            INTERNAL_FAILURE (the connection log could not be read)
//   CANCELED                 the task was canceled before the check finished
// A check's findings and status are committed together, and only while the task is still
// IN_PROGRESS, so a canceled task gains no findings afterwards and a crash mid-check leaves the
// task IN_PROGRESS to be run again (RunPending) without duplicate findings. The task is
// COMPLETED when every check has a final status, even if some FAILED (AWS reports failed
// checks in failedChecksCount of a COMPLETED task).
//
// Thread-safety: Run and RunPending may be called from one thread at a time (the audit
// thread); the services may cancel concurrently. Two runners over one shared store (two nodes)
// may both run a task: a check's result is committed only while that check is still
// IN_PROGRESS, so the first to finish wins and findings are never stored twice (the loser's
// work is wasted, not duplicated). Every reference must outlive the runner.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_store.h"
#include "audit/audit_task.h"
#include "audit/id_generator.h"
#include "audit/notification_publisher.h"
#include "audit/session_source_factory.h"
#include "audit/shared_certificate_check.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

struct AuditRunnerOptions {
  // L: how long the connection log needs to settle (`--audit-settle-lag`). 0 is allowed.
  std::chrono::milliseconds settle_lag = kDefaultSettleLag;
  SharedCheckOptions shared_check;
  unsigned worker_count = 1;
  // How many certificates the check reads between two looks at the task's status.
  unsigned cancel_poll_interval = 256;
};

struct AuditRunResult {
  AuditTask task;
  // Set if the completion notification could not be delivered (the task is unaffected).
  std::optional<Error> notification_error;
};

class AuditRunner {
 public:
  // kInvalidArgument for a negative settle lag, invalid check options, a worker count outside
  // [1, kMaxAuditWorkers] or a zero poll interval.
  static Result<std::unique_ptr<AuditRunner>> Create(AuditStore& store,
                                                     SessionSourceFactory& sessions,
                                                     NotificationPublisher& publisher,
                                                     const Clock& clock, IdGenerator& ids,
                                                     const AuditRunnerOptions& options);

  // Runs the task's unfinished checks and completes it. A task that is not IN_PROGRESS is
  // returned unchanged. Errors: kNotFound for no such task; store errors (the task then stays
  // IN_PROGRESS and a later run picks it up).
  Result<AuditRunResult> Run(std::string_view account_id, std::string_view task_id);

  // Runs every IN_PROGRESS task of every account, oldest first; returns how many it ran.
  // Stops at the first store error.
  Result<int> RunPending();

 private:
  AuditRunner(AuditStore& store, SessionSourceFactory& sessions, NotificationPublisher& publisher,
              const Clock& clock, IdGenerator& ids, const AuditRunnerOptions& options)
      : store_(store),
        sessions_(sessions),
        publisher_(publisher),
        clock_(clock),
        ids_(ids),
        options_(options) {}

  Result<AuditWindow> WindowFor(const AuditTask& task) const;
  // Runs (or fails) one check of the task and commits its result; returns false once the task
  // is no longer IN_PROGRESS (canceled).
  Result<bool> RunCheck(const AuditTask& task, const std::optional<AuditConfiguration>& config,
                        const std::string& check, const Result<AuditWindow>& window);
  // Marks the task COMPLETED unless it was canceled; returns it as stored.
  Result<AuditTask> Complete(std::string_view account_id, std::string_view task_id);
  // Runs one supported check and commits its result; returns false if the task was canceled.
  Result<bool> RunSharedCheck(const AuditTask& task, const std::string& check,
                              const AuditWindow& window);
  // Commits a check's details (and findings) iff the task is still IN_PROGRESS; returns
  // whether it was.
  Result<bool> CommitCheck(const AuditTask& task, const std::string& check,
                           const AuditCheckDetails& details,
                           const std::vector<AuditFindingRecord>& findings);
  std::optional<Error> Notify(const AuditTask& task);

  AuditStore& store_;
  SessionSourceFactory& sessions_;
  NotificationPublisher& publisher_;
  const Clock& clock_;
  IdGenerator& ids_;
  AuditRunnerOptions options_;
};

}  // namespace fg::audit
