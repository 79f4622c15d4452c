#include "audit/audit_runner.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_checks.h"
#include "audit/audit_finding_record.h"
#include "audit/shared_certificate_engine.h"

namespace fg::audit {
namespace {

// Wraps the connection log so that a long check notices a cancellation: every `interval`
// certificates it reads the task's status and, once it is no longer IN_PROGRESS, ends the
// check with an error.
class CancellableSource final : public SessionSource {
 public:
  CancellableSource(SessionSource& inner, AuditStore& store, const AuditTask& task,
                    unsigned interval)
      : inner_(inner), store_(store), task_(task), interval_(interval) {}

  Result<std::optional<CertificateSessions>> Next() override {
    if (++pulled_ % interval_ == 0) {
      auto status =
          TransactValue<AuditTaskStatus>(store_, [&](AuditTx& tx) -> Result<AuditTaskStatus> {
            auto found = tx.FindAuditTask(task_.account_id, task_.task_id);
            if (!found) {
              return Fail(found.error());
            }
            return *found ? (*found)->status : AuditTaskStatus::kCanceled;
          });
      if (!status) {
        return Fail(status.error());
      }
      if (*status != AuditTaskStatus::kInProgress) {
        canceled_ = true;
        return Fail(ErrorCode::kInternal, "audit task canceled");
      }
    }
    return inner_.Next();
  }

  bool canceled() const { return canceled_; }

 private:
  SessionSource& inner_;
  AuditStore& store_;
  const AuditTask& task_;
  unsigned interval_;
  uint64_t pulled_ = 0;
  bool canceled_ = false;
};

AuditCheckDetails FailedCheck(std::string_view code, std::string message) {
  AuditCheckDetails details;
  details.run_status = AuditCheckRunStatus::kFailed;
  details.error_code = std::string(code);
  details.message = std::move(message);
  return details;
}

AuditCompletionNotification CompletionOf(const AuditTask& task) {
  AuditCompletionNotification n;
  n.account_id = task.account_id;
  n.task_id = task.task_id;
  n.task_status = task.status;
  n.task_type = task.type;
  n.scheduled_audit_name = task.scheduled_audit_name;
  n.task_start_time = task.start_time;
  const AuditTaskStatistics stats = ComputeTaskStatistics(task);
  n.failed_checks = stats.failed_checks;
  n.canceled_checks = stats.canceled_checks;
  n.non_compliant_checks = stats.non_compliant_checks;
  n.compliant_checks = stats.compliant_checks;
  n.total_checks = stats.total_checks;
  for (const auto& [name, details] : task.checks) {
    AuditNotificationCheck check;
    check.check_name = name;
    check.run_status = details.run_status;
    check.non_compliant_resources = details.non_compliant_resources;
    check.suppressed_non_compliant_resources = details.suppressed_non_compliant_resources;
    check.total_resources = details.total_resources;
    check.error_code = details.error_code;
    check.message = details.message;
    n.audit_details.push_back(std::move(check));
  }
  return n;
}

}  // namespace

Result<std::unique_ptr<AuditRunner>> AuditRunner::Create(AuditStore& store,
                                                         SessionSourceFactory& sessions,
                                                         NotificationPublisher& publisher,
                                                         const Clock& clock, IdGenerator& ids,
                                                         const AuditRunnerOptions& options) {
  if (options.settle_lag < std::chrono::milliseconds(0)) {
    return Fail(ErrorCode::kInvalidArgument, "the audit settle lag must not be negative");
  }
  if (auto r = ValidateSharedCheckOptions(options.shared_check); !r) {
    return Fail(r.error());
  }
  if (options.worker_count < 1 || options.worker_count > kMaxAuditWorkers) {
    return Fail(ErrorCode::kInvalidArgument, "audit worker count must be 1 to 64");
  }
  if (options.cancel_poll_interval == 0) {
    return Fail(ErrorCode::kInvalidArgument, "cancel poll interval must be positive");
  }
  return std::unique_ptr<AuditRunner>(
      new AuditRunner(store, sessions, publisher, clock, ids, options));
}

Result<AuditWindow> AuditRunner::WindowFor(const AuditTask& task) const {
  if (task.type == AuditTaskType::kOnDemand) {
    return OnDemandWindow(task.start_time, clock_.Now(), options_.settle_lag);
  }
  return ScheduledWindow(task.previous_start, task.start_time, options_.settle_lag);
}

Result<bool> AuditRunner::CommitCheck(const AuditTask& task, const std::string& check,
                                      const AuditCheckDetails& details,
                                      const std::vector<AuditFindingRecord>& findings) {
  return TransactValue<bool>(store_, [&](AuditTx& tx) -> Result<bool> {
    auto current = tx.FindAuditTask(task.account_id, task.task_id);
    if (!current) {
      return Fail(current.error());
    }
    if (!*current || (*current)->status != AuditTaskStatus::kInProgress) {
      return false;
    }
    // Another runner (a second node on a shared database) finished this check first; its
    // findings stand and these are dropped, so no check is ever stored twice.
    auto it = (*current)->checks.find(check);
    if (it == (*current)->checks.end() ||
        it->second.run_status != AuditCheckRunStatus::kInProgress) {
      return true;
    }
    for (const AuditFindingRecord& finding : findings) {
      if (auto r = tx.InsertFinding(finding); !r) {
        return Fail(r.error());
      }
    }
    (*current)->checks[check] = details;
    (*current)->window = task.window;
    if (auto r = tx.UpdateAuditTask(**current); !r) {
      return Fail(r.error());
    }
    return true;
  });
}

Result<bool> AuditRunner::RunSharedCheck(const AuditTask& task, const std::string& check,
                                         const AuditWindow& window) {
  auto source = sessions_.Open(task.account_id, window);
  if (!source) {
    return CommitCheck(task, check, FailedCheck(kCheckInternalErrorCode, source.error().ToString()),
                       {});
  }
  CancellableSource cancellable(**source, store_, task, options_.cancel_poll_interval);
  auto report =
      RunSharedCertificateCheck(cancellable, window, options_.shared_check, options_.worker_count);
  if (!report) {
    if (cancellable.canceled()) {
      return false;
    }
    return CommitCheck(task, check, FailedCheck(kCheckInternalErrorCode, report.error().ToString()),
                       {});
  }
  auto suppressions = TransactValue<std::vector<AuditSuppression>>(
      store_, [&](AuditTx& tx) { return tx.ListSuppressions(task.account_id, check, {}); });
  if (!suppressions) {
    return Fail(suppressions.error());
  }
  const TimePoint finding_time = clock_.Now();
  std::map<std::string, bool> suppressed_keys;
  for (const AuditSuppression& s : *suppressions) {
    if (s.IsActiveAt(finding_time)) {
      suppressed_keys[s.resource_key] = true;
    }
  }
  AuditCheckDetails details;
  details.total_resources = static_cast<int64_t>(report->certificates_checked);
  std::vector<AuditFindingRecord> findings;
  findings.reserve(report->findings.size());
  for (AuditFinding& finding : report->findings) {
    AuditFindingRecord record;
    record.account_id = task.account_id;
    record.finding_id = ids_.NewUuid();
    record.task_id = task.task_id;
    record.task_start_time = task.start_time;
    record.finding_time = finding_time;
    auto key = ResourceKey(finding.non_compliant_resource.identifier);
    record.is_suppressed = key && suppressed_keys.contains(*key);
    if (record.is_suppressed) {
      ++details.suppressed_non_compliant_resources;
    } else {
      ++details.non_compliant_resources;
    }
    record.finding = std::move(finding);
    findings.push_back(std::move(record));
  }
  // AWS: suppressed findings are not considered when deciding whether a check is compliant.
  details.compliant = details.non_compliant_resources == 0;
  details.run_status = *details.compliant ? AuditCheckRunStatus::kCompletedCompliant
                                          : AuditCheckRunStatus::kCompletedNonCompliant;
  return CommitCheck(task, check, details, findings);
}

Result<bool> AuditRunner::RunCheck(const AuditTask& task,
                                   const std::optional<AuditConfiguration>& config,
                                   const std::string& check, const Result<AuditWindow>& window) {
  if (!config || !config->IsEnabled(check)) {
    return CommitCheck(
        task, check,
        FailedCheck(kAuditCheckDisabledErrorCode, "the check was disabled after the task started"),
        {});
  }
  if (!IsSupportedCheck(check)) {
    return CommitCheck(task, check,
                       FailedCheck(kCheckNotSupportedErrorCode, "fleetguard does not run " + check),
                       {});
  }
  if (!window) {
    return CommitCheck(task, check, FailedCheck(kCheckInternalErrorCode, window.error().ToString()),
                       {});
  }
  return RunSharedCheck(task, check, *window);
}

Result<AuditTask> AuditRunner::Complete(std::string_view account_id, std::string_view task_id) {
  return TransactValue<AuditTask>(store_, [&](AuditTx& tx) -> Result<AuditTask> {
    auto current = tx.FindAuditTask(account_id, task_id);
    if (!current) {
      return Fail(current.error());
    }
    if (!*current) {
      return Fail(ErrorCode::kNotFound, "audit task " + std::string(task_id) + " disappeared");
    }
    // A task canceled meanwhile stays CANCELED.
    if ((*current)->status == AuditTaskStatus::kInProgress) {
      (*current)->status = AuditTaskStatus::kCompleted;
      (*current)->end_time = clock_.Now();
      if (auto r = tx.UpdateAuditTask(**current); !r) {
        return Fail(r.error());
      }
    }
    return std::move(**current);
  });
}

Result<AuditRunResult> AuditRunner::Run(std::string_view account_id, std::string_view task_id) {
  struct Loaded {
    AuditTask task;
    std::optional<AuditConfiguration> config;
  };
  auto loaded = TransactValue<Loaded>(store_, [&](AuditTx& tx) -> Result<Loaded> {
    auto task = tx.FindAuditTask(account_id, task_id);
    if (!task) {
      return Fail(task.error());
    }
    if (!*task) {
      return Fail(ErrorCode::kNotFound, "audit task " + std::string(task_id) + " does not exist");
    }
    auto config = tx.FindConfiguration(account_id);
    if (!config) {
      return Fail(config.error());
    }
    return Loaded{std::move(**task), std::move(*config)};
  });
  if (!loaded) {
    return Fail(loaded.error());
  }
  AuditTask& task = loaded->task;
  if (task.status != AuditTaskStatus::kInProgress) {
    return AuditRunResult{std::move(task), std::nullopt};
  }
  auto window = WindowFor(task);
  if (window) {
    task.window = *window;
  }
  const std::map<std::string, AuditCheckDetails> checks = task.checks;
  for (const auto& [check, details] : checks) {
    if (details.run_status != AuditCheckRunStatus::kInProgress) {
      continue;
    }
    Result<bool> still_running = RunCheck(task, loaded->config, check, window);
    if (!still_running) {
      return Fail(still_running.error());
    }
    if (!*still_running) {
      break;
    }
  }
  auto final_task = Complete(account_id, task_id);
  if (!final_task) {
    return Fail(final_task.error());
  }
  AuditRunResult result{std::move(*final_task), std::nullopt};
  if (loaded->config) {
    result.notification_error = Notify(result.task);
  }
  return result;
}

std::optional<Error> AuditRunner::Notify(const AuditTask& task) {
  auto config = TransactValue<std::optional<AuditConfiguration>>(
      store_, [&](AuditTx& tx) { return tx.FindConfiguration(task.account_id); });
  if (!config) {
    return config.error();
  }
  if (!*config) {
    return std::nullopt;
  }
  auto it = (*config)->notification_targets.find(std::string(kSnsNotificationType));
  if (it == (*config)->notification_targets.end() || !it->second.enabled) {
    return std::nullopt;
  }
  auto published = publisher_.PublishAuditCompletion(it->second.target_arn, CompletionOf(task));
  if (!published) {
    return published.error();
  }
  return std::nullopt;
}

Result<int> AuditRunner::RunPending() {
  auto pending = TransactValue<std::vector<AuditTask>>(
      store_, [](AuditTx& tx) { return tx.ListAuditTasksByStatus(AuditTaskStatus::kInProgress); });
  if (!pending) {
    return Fail(pending.error());
  }
  int ran = 0;
  for (const AuditTask& task : *pending) {
    auto r = Run(task.account_id, task.task_id);
    if (!r) {
      return Fail(r.error());
    }
    ++ran;
  }
  return ran;
}

}  // namespace fg::audit
