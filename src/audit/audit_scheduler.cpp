#include "audit/audit_scheduler.h"

#include <utility>

#include "audit/audit_finding_record.h"
#include "audit/audit_schedule.h"

namespace fg::audit {

Result<std::unique_ptr<AuditScheduler>> AuditScheduler::Create(
    AuditStore& store, const Clock& clock, IdGenerator& ids, AuditRunner& runner,
    MitigationExecutor& executor, const AuditSchedulerOptions& options) {
  if (options.time_of_day < std::chrono::milliseconds(0) ||
      options.time_of_day >= std::chrono::hours(24)) {
    return Fail(ErrorCode::kInvalidArgument, "the audit time of day must be within one day");
  }
  if (options.poll_interval <= std::chrono::milliseconds(0)) {
    return Fail(ErrorCode::kInvalidArgument, "the scheduler poll interval must be positive");
  }
  return std::unique_ptr<AuditScheduler>(
      new AuditScheduler(store, clock, ids, runner, executor, options));
}

AuditScheduler::~AuditScheduler() { Stop(); }

Result<void> AuditScheduler::StartDueAudits(TimePoint now, TickReport& report) {
  auto schedules = TransactValue<std::vector<ScheduledAudit>>(
      store_, [](AuditTx& tx) { return tx.ListScheduledAuditsOfAllAccounts(); });
  if (!schedules) {
    return Fail(schedules.error());
  }
  for (const ScheduledAudit& listed : *schedules) {
    std::optional<std::string> started_id;
    auto started = TransactValue<std::optional<TimePoint>>(
        store_, [&](AuditTx& tx) -> Result<std::optional<TimePoint>> {
          // Re-read inside the transaction: the schedule may have been updated, deleted or
          // started since it was listed.
          auto found = tx.FindScheduledAudit(listed.account_id, listed.name);
          if (!found) {
            return Fail(found.error());
          }
          if (!*found) {
            return std::optional<TimePoint>();
          }
          ScheduledAudit schedule = std::move(**found);
          if (NextScheduledRun(schedule, options_.time_of_day) > now) {
            return std::optional<TimePoint>(NextScheduledRun(schedule, options_.time_of_day));
          }
          AuditTask task =
              NewAuditTask(schedule.account_id, ids_.NewAuditTaskId(), AuditTaskType::kScheduled,
                           now, schedule.target_check_names);
          task.scheduled_audit_name = schedule.name;
          task.previous_start = schedule.last_start;
          if (auto r = tx.InsertAuditTask(task); !r) {
            return Fail(r.error());
          }
          schedule.last_start = now;
          if (auto r = tx.UpdateScheduledAudit(schedule); !r) {
            return Fail(r.error());
          }
          started_id = task.task_id;
          return std::optional<TimePoint>(NextScheduledRun(schedule, options_.time_of_day));
        });
    if (!started) {
      return Fail(started.error());
    }
    if (started_id) {
      report.started_task_ids.push_back(std::move(*started_id));
    }
    if (*started && (!report.next_due || **started < *report.next_due)) {
      report.next_due = **started;
    }
  }
  return Ok();
}

Result<TickReport> AuditScheduler::Tick(TimePoint now) {
  TickReport report;
  if (auto r = StartDueAudits(now, report); !r) {
    return Fail(r.error());
  }
  auto audits = runner_.RunPending();
  if (!audits) {
    return Fail(audits.error());
  }
  report.audit_tasks_run = *audits;
  auto mitigations = executor_.RunPending();
  if (!mitigations) {
    return Fail(mitigations.error());
  }
  report.mitigation_tasks_run = *mitigations;
  auto purged = TransactValue<PurgeCounts>(
      store_, [&](AuditTx& tx) { return tx.PurgeBefore(now - kFindingRetention); });
  if (!purged) {
    return Fail(purged.error());
  }
  report.purged = *purged;
  return report;
}

void AuditScheduler::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) {
    return;
  }
  thread_ = std::jthread([this](const std::stop_token& stop) { Loop(stop); });
}

void AuditScheduler::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void AuditScheduler::Stop() {
  std::jthread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    thread = std::move(thread_);
  }
  if (thread.joinable()) {
    thread.request_stop();
    cv_.notify_all();
    thread.join();
  }
}

std::optional<Error> AuditScheduler::LastError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

void AuditScheduler::Loop(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    const TimePoint now = clock_.Now();
    auto report = Tick(now);
    auto wait = options_.poll_interval;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_error_ = report ? std::nullopt : std::optional<Error>(report.error());
    }
    if (report && report->next_due) {
      wait = std::min(wait, std::max(std::chrono::milliseconds(0), *report->next_due - now));
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, stop, wait, [this] { return woken_; });
    woken_ = false;
  }
}

}  // namespace fg::audit
