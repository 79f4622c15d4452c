#include "audit/mitigation_executor.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fg::audit {
namespace {

using Outcome = MitigationExecutor::Outcome;

// The findings the task acts on, in the store's order (finding time, id) or the listed order.
Result<std::vector<AuditFindingRecord>> TargetFindings(AuditTx& tx,
                                                       const AuditMitigationTask& task) {
  std::vector<AuditFindingRecord> candidates;
  if (task.target.audit_task_id) {
    FindingQuery query;
    query.task_id = task.target.audit_task_id;
    PageRequest page{registry::kMaxPageSize, ""};
    do {
      auto listed = tx.ListFindings(task.account_id, query, page);
      if (!listed) {
        return Fail(listed.error());
      }
      for (AuditFindingRecord& f : listed->items) {
        candidates.push_back(std::move(f));
      }
      page.cursor = std::move(listed->next_cursor);
    } while (!page.cursor.empty());
  } else {
    for (const std::string& id : task.target.finding_ids) {
      auto found = tx.FindFinding(task.account_id, id);
      if (!found) {
        return Fail(found.error());
      }
      // A finding purged (90-day retention) since the task started has nothing left to act on.
      if (*found) {
        candidates.push_back(std::move(**found));
      }
    }
  }
  std::vector<AuditFindingRecord> out;
  const auto& filter = task.target.reason_code_filter;
  for (AuditFindingRecord& f : candidates) {
    const std::string& check = f.finding.check_name;
    if (!task.actions_mapping.contains(check)) {
      continue;
    }
    if (!filter.empty()) {
      auto codes = filter.find(check);
      if (codes == filter.end() ||
          std::find(codes->second.begin(), codes->second.end(),
                    f.finding.reason_for_non_compliance_code) == codes->second.end()) {
        continue;
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

void Count(MitigationCheckStatistics& stats, Outcome outcome) {
  ++stats.total_findings;
  switch (outcome) {
    case Outcome::kSucceeded:
      ++stats.succeeded_findings;
      break;
    case Outcome::kFailed:
      ++stats.failed_findings;
      break;
    case Outcome::kSkipped:
      ++stats.skipped_findings;
      break;
    case Outcome::kCanceled:
      ++stats.canceled_findings;
      break;
  }
}

const MitigationAction* FindAction(const AuditMitigationTask& task, const std::string& name) {
  for (const MitigationAction& action : task.actions_definition) {
    if (action.name == name) {
      return &action;
    }
  }
  return nullptr;
}

}  // namespace

Result<void> MitigationExecutor::Act(const AuditMitigationTask& task,
                                     const MitigationAction& action,
                                     const AuditFindingRecord& finding) {
  const AuditResource& resource = finding.finding.non_compliant_resource;
  const std::string& certificate_id = resource.identifier.device_certificate_id;
  const bool has_certificate =
      resource.type == ResourceType::kDeviceCertificate && !certificate_id.empty();
  switch (action.type) {
    case MitigationActionType::kUpdateDeviceCertificate:
      if (!has_certificate) {
        return Fail(ErrorCode::kInvalidArgument, "the finding names no device certificate");
      }
      return certificates_.DeactivateCertificate(task.account_id, certificate_id);
    case MitigationActionType::kAddThingsToThingGroup: {
      if (!has_certificate) {
        return Fail(ErrorCode::kInvalidArgument, "the finding names no device certificate");
      }
      const auto& params = *action.params.add_things_to_thing_group;
      return groups_.AddThingsOfCertificate(task.account_id, certificate_id,
                                            params.thing_group_names,
                                            params.override_dynamic_groups.value_or(false));
    }
    case MitigationActionType::kPublishFindingToSns:
      return publisher_.PublishFinding(action.params.publish_finding_to_sns->topic_arn,
                                       FindingNotification{finding, task.task_id, action.name});
    case MitigationActionType::kUpdateCaCertificate:
    case MitigationActionType::kReplaceDefaultPolicyVersion:
    case MitigationActionType::kEnableIotLogging:
      break;
  }
  return Fail(ErrorCode::kInvalidArgument,
              std::string(ToString(action.type)) + " is not supported by fleetguard");
}

Result<MitigationExecutor::Plan> MitigationExecutor::Load(std::string_view account_id,
                                                          std::string_view task_id) {
  return TransactValue<Plan>(store_, [&](AuditTx& tx) -> Result<Plan> {
    auto task = tx.FindMitigationTask(account_id, task_id);
    if (!task) {
      return Fail(task.error());
    }
    if (!*task) {
      return Fail(ErrorCode::kNotFound,
                  "audit mitigation actions task " + std::string(task_id) + " does not exist");
    }
    Plan plan{std::move(**task), {}, {}};
    if (plan.task.status != MitigationTaskStatus::kInProgress) {
      return plan;
    }
    auto findings = TargetFindings(tx, plan.task);
    if (!findings) {
      return Fail(findings.error());
    }
    plan.findings = std::move(*findings);
    // Findings that already have executions were finished by an earlier, interrupted run.
    auto executions = tx.ListExecutions(account_id, task_id, std::nullopt);
    if (!executions) {
      return Fail(executions.error());
    }
    for (const MitigationExecution& e : *executions) {
      plan.done.insert(e.finding_id);
    }
    return plan;
  });
}

Result<bool> MitigationExecutor::IsCanceled(std::string_view account_id, std::string_view task_id) {
  auto current = TransactValue<std::optional<AuditMitigationTask>>(
      store_, [&](AuditTx& tx) { return tx.FindMitigationTask(account_id, task_id); });
  if (!current) {
    return Fail(current.error());
  }
  return !*current || (*current)->status != MitigationTaskStatus::kInProgress;
}

MitigationExecutor::FindingRun MitigationExecutor::ExecuteFinding(const AuditMitigationTask& task,
                                                                  const AuditFindingRecord& finding,
                                                                  bool canceled) {
  const std::vector<std::string>& names = task.actions_mapping.at(finding.finding.check_name);
  FindingRun run;
  for (size_t i = 0; i < names.size(); ++i) {
    const MitigationAction* action = FindAction(task, names[i]);
    MitigationExecution e;
    e.account_id = task.account_id;
    e.task_id = task.task_id;
    e.finding_id = finding.finding_id;
    e.action_name = names[i];
    e.action_id = action != nullptr ? action->id : "";
    e.action_index = static_cast<int>(i);
    if (canceled) {
      run.outcome = Outcome::kCanceled;
      e.status = MitigationExecutionStatus::kCanceled;
      e.message = "the task was canceled";
    } else if (finding.is_suppressed) {
      // AWS: mitigation actions are not performed on suppressed findings.
      run.outcome = Outcome::kSkipped;
      e.status = MitigationExecutionStatus::kSkipped;
      e.message = "the finding is suppressed";
    } else if (run.outcome == Outcome::kFailed) {
      e.status = MitigationExecutionStatus::kSkipped;
      e.message = "an earlier action for this finding failed";
    } else {
      e.start_time = clock_.Now();
      Result<void> acted = action != nullptr
                               ? Act(task, *action, finding)
                               : Fail(ErrorCode::kInternal, "action missing from the task");
      e.end_time = clock_.Now();
      if (acted) {
        e.status = MitigationExecutionStatus::kCompleted;
      } else {
        run.outcome = Outcome::kFailed;
        e.status = MitigationExecutionStatus::kFailed;
        e.error_code = std::string(ErrorCodeName(acted.error().code));
        e.message = acted.error().message;
      }
    }
    run.executions.push_back(std::move(e));
  }
  return run;
}

Result<void> MitigationExecutor::Commit(std::string_view account_id, std::string_view task_id,
                                        const std::string& check, const FindingRun& run) {
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    for (const MitigationExecution& e : run.executions) {
      if (auto r = tx.PutExecution(e); !r) {
        return r;
      }
    }
    // Re-read: a concurrent cancel changed the status, which must survive this update.
    auto current = tx.FindMitigationTask(account_id, task_id);
    if (!current) {
      return Fail(current.error());
    }
    if (!*current) {
      return Fail(ErrorCode::kNotFound, "audit mitigation actions task disappeared");
    }
    Count((*current)->statistics[check], run.outcome);
    return tx.UpdateMitigationTask(**current);
  });
}

Result<AuditMitigationTask> MitigationExecutor::Finish(std::string_view account_id,
                                                       std::string_view task_id) {
  return TransactValue<AuditMitigationTask>(
      store_, [&](AuditTx& tx) -> Result<AuditMitigationTask> {
        auto current = tx.FindMitigationTask(account_id, task_id);
        if (!current) {
          return Fail(current.error());
        }
        if (!*current) {
          return Fail(ErrorCode::kNotFound, "audit mitigation actions task disappeared");
        }
        if ((*current)->status == MitigationTaskStatus::kInProgress) {
          bool failed = false;
          for (const auto& [check, stats] : (*current)->statistics) {
            failed = failed || stats.failed_findings > 0;
          }
          (*current)->status =
              failed ? MitigationTaskStatus::kFailed : MitigationTaskStatus::kCompleted;
          (*current)->end_time = clock_.Now();
          if (auto r = tx.UpdateMitigationTask(**current); !r) {
            return Fail(r.error());
          }
        }
        return std::move(**current);
      });
}

Result<AuditMitigationTask> MitigationExecutor::Run(std::string_view account_id,
                                                    std::string_view task_id) {
  auto plan = Load(account_id, task_id);
  if (!plan) {
    return Fail(plan.error());
  }
  if (plan->task.status != MitigationTaskStatus::kInProgress) {
    return std::move(plan->task);
  }
  bool canceled = false;
  for (const AuditFindingRecord& finding : plan->findings) {
    if (plan->done.contains(finding.finding_id)) {
      continue;
    }
    if (!canceled) {
      auto now_canceled = IsCanceled(account_id, task_id);
      if (!now_canceled) {
        return Fail(now_canceled.error());
      }
      canceled = *now_canceled;
    }
    const FindingRun run = ExecuteFinding(plan->task, finding, canceled);
    if (auto r = Commit(account_id, task_id, finding.finding.check_name, run); !r) {
      return Fail(r.error());
    }
  }
  return Finish(account_id, task_id);
}

Result<int> MitigationExecutor::RunPending() {
  auto pending = TransactValue<std::vector<AuditMitigationTask>>(store_, [](AuditTx& tx) {
    return tx.ListMitigationTasksByStatus(MitigationTaskStatus::kInProgress);
  });
  if (!pending) {
    return Fail(pending.error());
  }
  int ran = 0;
  for (const AuditMitigationTask& task : *pending) {
    auto r = Run(task.account_id, task.task_id);
    if (!r) {
      return Fail(r.error());
    }
    ++ran;
  }
  return ran;
}

}  // namespace fg::audit
