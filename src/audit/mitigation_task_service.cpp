#include "audit/mitigation_task_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "audit/audit_checks.h"
#include "audit/audit_names.h"

namespace fg::audit {
namespace {

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

tl::unexpected<Error> TaskExists(std::string message) {
  return Fail(ErrorCode::kAlreadyExists, std::move(message));
}

Result<std::string> Canonical(const std::string& check) {
  auto canonical = CanonicalCheckName(check);
  if (!canonical) {
    return Invalid("unknown audit check name '" + check.substr(0, 128) + "'");
  }
  return std::string(*canonical);
}

// Everything that can be checked without the store; returns the mapping with current check
// names.
Result<std::map<std::string, std::vector<std::string>>> ValidateRequest(
    const StartMitigationTaskRequest& request) {
  if (auto r = ValidateMitigationTaskId(request.task_id); !r) {
    return Fail(r.error());
  }
  if (auto r = ValidateClientRequestToken(request.client_request_token); !r) {
    return Fail(r.error());
  }
  const MitigationTaskTarget& target = request.target;
  if (target.audit_task_id.has_value() == !target.finding_ids.empty()) {
    return Invalid("target must name either an auditTaskId or findingIds");
  }
  if (target.audit_task_id) {
    if (auto r = ValidateAuditTaskId(*target.audit_task_id); !r) {
      return Fail(r.error());
    }
  } else {
    if (target.finding_ids.size() > MitigationTaskService::kMaxFindingIds) {
      return Invalid("findingIds must list 1 to 25 findings");
    }
    for (const std::string& id : target.finding_ids) {
      if (auto r = ValidateFindingId(id); !r) {
        return Fail(r.error());
      }
    }
  }
  if (!target.reason_code_filter.empty() && !target.audit_task_id) {
    return Invalid("auditCheckToReasonCodeFilter requires auditTaskId");
  }
  if (request.actions_mapping.empty()) {
    return Invalid("auditCheckToActionsMapping must map at least one check");
  }
  std::map<std::string, std::vector<std::string>> mapping;
  for (const auto& [check, actions] : request.actions_mapping) {
    auto canonical = Canonical(check);
    if (!canonical) {
      return Fail(canonical.error());
    }
    if (actions.empty() || actions.size() > MitigationTaskService::kMaxActionsPerCheck) {
      return Invalid("each check must map to 1 to 5 mitigation actions");
    }
    std::set<std::string> seen;
    for (const std::string& action : actions) {
      if (auto r = ValidateMitigationActionName(action); !r) {
        return Fail(r.error());
      }
      if (!seen.insert(action).second) {
        return Invalid("a check lists mitigation action " + action + " twice");
      }
    }
    mapping[*canonical] = actions;
  }
  for (const auto& [check, codes] : target.reason_code_filter) {
    auto canonical = Canonical(check);
    if (!canonical) {
      return Fail(canonical.error());
    }
    if (!mapping.contains(*canonical)) {
      return Invalid("auditCheckToReasonCodeFilter names " + *canonical +
                     ", which auditCheckToActionsMapping does not map");
    }
    if (codes.empty() || codes.size() > MitigationTaskService::kMaxReasonCodes) {
      return Invalid("each check must filter on 1 to 25 reason codes");
    }
    auto known = CheckReasonCodes(*canonical);
    for (const std::string& code : codes) {
      if (std::find(known.begin(), known.end(), code) == known.end()) {
        return Invalid(*canonical + " has no reason code '" + code.substr(0, 128) + "'");
      }
    }
  }
  return mapping;
}

Result<AuditMitigationTask> RequireTask(AuditTx& tx, std::string_view account_id,
                                        std::string_view task_id) {
  auto found = tx.FindMitigationTask(account_id, task_id);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(ErrorCode::kNotFound,
                "audit mitigation actions task " + std::string(task_id) + " does not exist");
  }
  return std::move(**found);
}

// The target's audit task or findings exist and can be mitigated.
Result<void> CheckTarget(AuditTx& tx, std::string_view account_id,
                         const MitigationTaskTarget& target) {
  if (target.audit_task_id) {
    auto task = tx.FindAuditTask(account_id, *target.audit_task_id);
    if (!task) {
      return Fail(task.error());
    }
    if (!*task) {
      return Fail(ErrorCode::kNotFound, "audit task " + *target.audit_task_id + " does not exist");
    }
    if ((*task)->status != AuditTaskStatus::kCompleted) {
      return Invalid("audit task " + *target.audit_task_id + " is " +
                     std::string(ToString((*task)->status)) + ", not COMPLETED");
    }
    return Ok();
  }
  for (const std::string& id : target.finding_ids) {
    auto finding = tx.FindFinding(account_id, id);
    if (!finding) {
      return Fail(finding.error());
    }
    if (!*finding) {
      return Fail(ErrorCode::kNotFound, "audit finding " + id + " does not exist");
    }
  }
  return Ok();
}

}  // namespace

Result<std::string> MitigationTaskService::Start(std::string_view account_id,
                                                 const StartMitigationTaskRequest& request) {
  auto mapping = ValidateRequest(request);
  if (!mapping) {
    return Fail(mapping.error());
  }
  return TransactValue<std::string>(store_, [&](AuditTx& tx) -> Result<std::string> {
    auto same_id = tx.FindMitigationTask(account_id, request.task_id);
    if (!same_id) {
      return Fail(same_id.error());
    }
    if (*same_id) {
      if ((*same_id)->client_request_token == request.client_request_token) {
        return request.task_id;
      }
      return TaskExists("audit mitigation actions task " + request.task_id + " already exists");
    }
    auto same_token = tx.FindMitigationTaskByToken(account_id, request.client_request_token);
    if (!same_token) {
      return Fail(same_token.error());
    }
    if (*same_token) {
      return TaskExists("clientRequestToken was already used by task " + (*same_token)->task_id);
    }
    auto running = tx.CountMitigationTasks(account_id, MitigationTaskStatus::kInProgress);
    if (!running) {
      return Fail(running.error());
    }
    if (*running >= kMaxInProgressTasks) {
      return Fail(ErrorCode::kLimitExceeded,
                  "at most 10 audit mitigation actions tasks may be in progress at once");
    }
    if (auto r = CheckTarget(tx, account_id, request.target); !r) {
      return Fail(r.error());
    }
    AuditMitigationTask task;
    task.account_id = std::string(account_id);
    task.task_id = request.task_id;
    task.client_request_token = request.client_request_token;
    task.status = MitigationTaskStatus::kInProgress;
    task.start_time = clock_.Now();
    task.target = request.target;
    task.actions_mapping = *mapping;
    std::set<std::string> defined;
    for (const auto& [check, actions] : *mapping) {
      for (const std::string& name : actions) {
        auto action = tx.FindMitigationAction(account_id, name);
        if (!action) {
          return Fail(action.error());
        }
        if (!*action) {
          return Fail(ErrorCode::kNotFound, "mitigation action " + name + " does not exist");
        }
        if (!IsActionAllowedForCheck((*action)->type, check)) {
          return Invalid("mitigation action " + name + " (" +
                         std::string(ToString((*action)->type)) + ") cannot mitigate " + check);
        }
        if (defined.insert(name).second) {
          task.actions_definition.push_back(std::move(**action));
        }
      }
    }
    // Canonical reason-code filter keys, as for the mapping.
    task.target.reason_code_filter.clear();
    for (const auto& [check, codes] : request.target.reason_code_filter) {
      task.target.reason_code_filter[std::string(*CanonicalCheckName(check))] = codes;
    }
    if (auto r = tx.InsertMitigationTask(task); !r) {
      return Fail(r.error());
    }
    return task.task_id;
  });
}

Result<AuditMitigationTask> MitigationTaskService::Describe(std::string_view account_id,
                                                            std::string_view task_id) {
  if (auto r = ValidateMitigationTaskId(task_id); !r) {
    return Fail(r.error());
  }
  return TransactValue<AuditMitigationTask>(
      store_, [&](AuditTx& tx) { return RequireTask(tx, account_id, task_id); });
}

Result<Page<AuditMitigationTask>> MitigationTaskService::List(std::string_view account_id,
                                                              const MitigationTaskQuery& query,
                                                              const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  if (query.end < query.start) {
    return Invalid("endTime must not be before startTime");
  }
  return TransactValue<Page<AuditMitigationTask>>(
      store_, [&](AuditTx& tx) { return tx.ListMitigationTasks(account_id, query, page); });
}

Result<Page<MitigationExecution>> MitigationTaskService::ListExecutions(
    std::string_view account_id, std::string_view task_id, std::string_view finding_id,
    const std::optional<MitigationExecutionStatus>& status, const PageRequest& page) {
  if (auto r = ValidateMitigationTaskId(task_id); !r) {
    return Fail(r.error());
  }
  if (auto r = ValidateFindingId(finding_id); !r) {
    return Fail(r.error());
  }
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto executions = TransactValue<std::vector<MitigationExecution>>(
      store_, [&](AuditTx& tx) -> Result<std::vector<MitigationExecution>> {
        if (auto task = RequireTask(tx, account_id, task_id); !task) {
          return Fail(task.error());
        }
        return tx.ListExecutions(account_id, task_id, std::string(finding_id));
      });
  if (!executions) {
    return Fail(executions.error());
  }
  // At most 5 executions per finding, so paging in memory by action position is enough.
  std::vector<std::pair<std::string, MitigationExecution>> keyed;
  for (MitigationExecution& e : *executions) {
    if (status && e.status != *status) {
      continue;
    }
    std::string key = std::to_string(e.action_index);
    keyed.emplace_back(std::move(key), std::move(e));
  }
  auto paged = registry::PaginateByName(std::move(keyed), page,
                                        [](const auto& entry) { return entry.first; });
  if (!paged) {
    return Fail(paged.error());
  }
  Page<MitigationExecution> out;
  out.next_cursor = std::move(paged->next_cursor);
  for (auto& entry : paged->items) {
    out.items.push_back(std::move(entry.second));
  }
  return out;
}

Result<void> MitigationTaskService::Cancel(std::string_view account_id, std::string_view task_id) {
  if (auto r = ValidateMitigationTaskId(task_id); !r) {
    return r;
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto task = RequireTask(tx, account_id, task_id);
    if (!task) {
      return Fail(task.error());
    }
    if (task->status != MitigationTaskStatus::kInProgress) {
      return Invalid("audit mitigation actions task " + std::string(task_id) + " is " +
                     std::string(ToString(task->status)) + ", not IN_PROGRESS");
    }
    task->status = MitigationTaskStatus::kCanceled;
    task->end_time = clock_.Now();
    return tx.UpdateMitigationTask(*task);
  });
}

}  // namespace fg::audit
