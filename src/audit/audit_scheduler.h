#pragma once

// Starts scheduled audits on time and drives the audit and mitigation work:
// Tick(now) (1) starts every scheduled audit whose next run (audit_schedule.h) is due, writing
// the new task and the schedule's last start in one transaction, so that after a restart a
// run is neither skipped nor repeated; (2) runs every IN_PROGRESS audit task (AuditRunner) and
// mitigation task (MitigationExecutor), including on-demand ones and ones a crash interrupted;
// (3) purges audit tasks, findings and mitigation tasks older than the 90-day retention.
//
// Tests call Tick with a ManualClock's time. In production Start() runs Tick on the scheduler's
// own thread whenever a schedule is due, at least every poll interval, and at once after
// Wake() (which the API calls after StartOnDemandAuditTask / StartAuditMitigationActionsTask).
// Audits and mitigations therefore run one at a time on that thread, never on an I/O thread.
//
// Thread-safety: Tick must not run concurrently with itself (do not call it while the thread
// runs); Wake and Stop are safe from any thread. Every reference must outlive the scheduler.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_runner.h"
#include "audit/audit_store.h"
#include "audit/id_generator.h"
#include "audit/mitigation_executor.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

struct AuditSchedulerOptions {
  // The UTC time of day at which scheduled audits start; in [0, 24 h).
  std::chrono::milliseconds time_of_day{0};
  // The longest the thread sleeps between two ticks; > 0.
  std::chrono::milliseconds poll_interval = std::chrono::minutes(1);
};

struct TickReport {
  std::vector<std::string> started_task_ids;  // scheduled tasks started by this tick
  int audit_tasks_run = 0;
  int mitigation_tasks_run = 0;
  PurgeCounts purged;
  // The earliest next run over all schedules after this tick; nullopt without schedules.
  std::optional<TimePoint> next_due;
};

class AuditScheduler {
 public:
  // kInvalidArgument for a time of day outside [0, 24 h) or a non-positive poll interval.
  static Result<std::unique_ptr<AuditScheduler>> Create(AuditStore& store, const Clock& clock,
                                                        IdGenerator& ids, AuditRunner& runner,
                                                        MitigationExecutor& executor,
                                                        const AuditSchedulerOptions& options);
  ~AuditScheduler();
  AuditScheduler(const AuditScheduler&) = delete;
  AuditScheduler& operator=(const AuditScheduler&) = delete;

  // One pass at `now`, as described above. Stops at the first store error (the next tick
  // retries); a schedule started before the error stays started.
  Result<TickReport> Tick(TimePoint now);

  // Starts the thread (no effect if it runs). The thread logs nothing: the last tick's error,
  // if any, is available from LastError().
  void Start();
  // Makes the thread tick now.
  void Wake();
  // Stops and joins the thread after its current tick. Idempotent; the destructor calls it.
  void Stop();
  std::optional<Error> LastError() const;

 private:
  AuditScheduler(AuditStore& store, const Clock& clock, IdGenerator& ids, AuditRunner& runner,
                 MitigationExecutor& executor, const AuditSchedulerOptions& options)
      : store_(store),
        clock_(clock),
        ids_(ids),
        runner_(runner),
        executor_(executor),
        options_(options) {}

  Result<void> StartDueAudits(TimePoint now, TickReport& report);
  void Loop(const std::stop_token& stop);

  AuditStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  AuditRunner& runner_;
  MitigationExecutor& executor_;
  AuditSchedulerOptions options_;

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  bool woken_ = false;               // guarded by mu_
  std::optional<Error> last_error_;  // guarded by mu_
  std::jthread thread_;
};

}  // namespace fg::audit
