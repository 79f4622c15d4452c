#pragma once

// The storage seam of the audit domain: account audit configurations, scheduled audits, audit
// tasks, findings, suppressions, mitigation actions, mitigation tasks and their executions.
// Services (the only place rules live) run every read-check-write sequence inside one
// AuditStore::Transact call, as the registry does (registry/registry_store.h). A SQLite
// implementation belongs in src/store/sqlite; tests use tests/unit/audit/fake_audit_store.h.
//
// Conventions for every AuditTx method (the same as RegistryTx):
// - Find* returns nullopt when the row does not exist; an Error means the store failed
//   (kUnavailable, kCorrupt, kInternal), never "not found".
// - Insert* returns kAlreadyExists when the key is taken; Update* returns kNotFound when the
//   row is missing and otherwise replaces every column of the row; Delete* returns whether a
//   row was deleted.
// - Rows that belong to a parent (findings and executions to a task) return kNotFound on
//   insert when the parent is missing; deleting the parent deletes them (PurgeBefore).
// - Every row carries its account_id and every call names the account; no call ever returns
//   another account's rows (except the *OfAllAccounts / *ByStatus calls the scheduler uses).
// - Store implementations hold no rules: they do not check statuses, limits or ownership.
// - Times are fg::TimePoint at millisecond precision and must round-trip exactly.
// - Lists with a PageRequest use keyset pagination (registry/page.h): `page_size` items at
//   most and a next_cursor iff more remain. Time-ordered lists use EncodeTimeCursor(time, id)
//   of the last item; name-ordered lists use EncodeNameCursor(name). A cursor that does not
//   decode is kInvalidArgument. Rows inserted or deleted between pages cause neither
//   duplicates nor gaps among the other rows.
// - Composite members (maps, vectors, the finding body, mitigation params) may be stored as one
//   serialised column; they are never queried except as the filters below say.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_configuration.h"
#include "audit/audit_enums.h"
#include "audit/audit_finding_record.h"
#include "audit/audit_suppression.h"
#include "audit/audit_task.h"
#include "audit/mitigation_action.h"
#include "audit/mitigation_task.h"
#include "audit/scheduled_audit.h"
#include "core/clock.h"
#include "core/result.h"
#include "registry/page.h"

namespace fg::audit {

using registry::Page;
using registry::PageRequest;

// ListAuditTasks: tasks with start_time in [start, end] (both inclusive) and, when set, the
// given type and status. Ordered by (start_time, task_id).
struct AuditTaskQuery {
  TimePoint start;
  TimePoint end;
  std::optional<AuditTaskType> type;
  std::optional<AuditTaskStatus> status;
};

// ListAuditFindings. Every set member filters (AND):
// - task_id: findings of that task;
// - start/end: finding_time in [start, end] (both inclusive; each bound optional);
// - check_name: equal;
// - resource_key: ResourceKey(finding.non_compliant_resource.identifier) equal;
// - suppressed: is_suppressed equal.
// Ordered by (finding_time, finding_id).
struct FindingQuery {
  std::optional<std::string> task_id;
  std::optional<TimePoint> start;
  std::optional<TimePoint> end;
  std::optional<std::string> check_name;
  std::optional<std::string> resource_key;
  std::optional<bool> suppressed;
};

// ListAuditMitigationActionsTasks: tasks with start_time in [start, end] (both inclusive) and,
// when set: target.audit_task_id equal; finding_id contained in target.finding_ids or named by
// one of the task's executions; status equal. Ordered by (start_time, task_id).
struct MitigationTaskQuery {
  TimePoint start;
  TimePoint end;
  std::optional<std::string> audit_task_id;
  std::optional<std::string> finding_id;
  std::optional<MitigationTaskStatus> status;
};

struct PurgeCounts {
  int64_t audit_tasks = 0;
  int64_t findings = 0;
  int64_t mitigation_tasks = 0;
  int64_t executions = 0;
  friend bool operator==(const PurgeCounts&, const PurgeCounts&) = default;
};

// One open transaction. Valid only inside the AuditStore::Transact callback that received it;
// not thread-safe (used by the one thread running that callback).
class AuditTx {
 public:
  virtual ~AuditTx() = default;

  // Account audit configuration: at most one per account. Put inserts or replaces.
  virtual Result<std::optional<AuditConfiguration>> FindConfiguration(
      std::string_view account_id) = 0;
  virtual Result<void> PutConfiguration(const AuditConfiguration& config) = 0;
  virtual Result<bool> DeleteConfiguration(std::string_view account_id) = 0;

  // Scheduled audits, keyed by (account_id, name). Name order.
  virtual Result<void> InsertScheduledAudit(const ScheduledAudit& audit) = 0;
  virtual Result<void> UpdateScheduledAudit(const ScheduledAudit& audit) = 0;
  virtual Result<bool> DeleteScheduledAudit(std::string_view account_id, std::string_view name) = 0;
  virtual Result<std::optional<ScheduledAudit>> FindScheduledAudit(std::string_view account_id,
                                                                   std::string_view name) = 0;
  virtual Result<Page<ScheduledAudit>> ListScheduledAudits(std::string_view account_id,
                                                           const PageRequest& page) = 0;
  // Every scheduled audit of the account (AWS allows 5), in name order.
  virtual Result<std::vector<ScheduledAudit>> ListAllScheduledAudits(
      std::string_view account_id) = 0;
  // For the scheduler: every account's scheduled audits, ordered by (account_id, name).
  virtual Result<std::vector<ScheduledAudit>> ListScheduledAuditsOfAllAccounts() = 0;

  // Audit tasks, keyed by (account_id, task_id). Task ids are globally unique in practice
  // (random), but the key includes the account.
  virtual Result<void> InsertAuditTask(const AuditTask& task) = 0;
  virtual Result<void> UpdateAuditTask(const AuditTask& task) = 0;
  virtual Result<std::optional<AuditTask>> FindAuditTask(std::string_view account_id,
                                                         std::string_view task_id) = 0;
  virtual Result<Page<AuditTask>> ListAuditTasks(std::string_view account_id,
                                                 const AuditTaskQuery& query,
                                                 const PageRequest& page) = 0;
  virtual Result<int64_t> CountAuditTasks(std::string_view account_id, AuditTaskType type,
                                          AuditTaskStatus status) = 0;
  // For the runner: every account's tasks in `status`, ordered by (start_time, task_id).
  virtual Result<std::vector<AuditTask>> ListAuditTasksByStatus(AuditTaskStatus status) = 0;

  // Findings, keyed by (account_id, finding_id). Insert returns kNotFound if the task
  // (account_id, task_id) does not exist.
  virtual Result<void> InsertFinding(const AuditFindingRecord& finding) = 0;
  virtual Result<std::optional<AuditFindingRecord>> FindFinding(std::string_view account_id,
                                                                std::string_view finding_id) = 0;
  virtual Result<Page<AuditFindingRecord>> ListFindings(std::string_view account_id,
                                                        const FindingQuery& query,
                                                        const PageRequest& page) = 0;

  // Retention, across all accounts: deletes findings with finding_time < cutoff; audit tasks
  // not IN_PROGRESS with start_time < cutoff, with all their findings; mitigation tasks not
  // IN_PROGRESS with start_time < cutoff, with their executions.
  virtual Result<PurgeCounts> PurgeBefore(TimePoint cutoff) = 0;

  // Suppressions, keyed by (account_id, check_name, resource_key).
  virtual Result<void> InsertSuppression(const AuditSuppression& suppression) = 0;
  virtual Result<void> UpdateSuppression(const AuditSuppression& suppression) = 0;
  virtual Result<bool> DeleteSuppression(std::string_view account_id, std::string_view check_name,
                                         std::string_view resource_key) = 0;
  virtual Result<std::optional<AuditSuppression>> FindSuppression(
      std::string_view account_id, std::string_view check_name, std::string_view resource_key) = 0;
  // The account's suppressions, filtered by check name and/or resource key when set, ordered
  // by (check_name, resource_key).
  virtual Result<std::vector<AuditSuppression>> ListSuppressions(
      std::string_view account_id, const std::optional<std::string>& check_name,
      const std::optional<std::string>& resource_key) = 0;

  // Mitigation actions, keyed by (account_id, name). Name order.
  virtual Result<void> InsertMitigationAction(const MitigationAction& action) = 0;
  virtual Result<void> UpdateMitigationAction(const MitigationAction& action) = 0;
  virtual Result<bool> DeleteMitigationAction(std::string_view account_id,
                                              std::string_view name) = 0;
  virtual Result<std::optional<MitigationAction>> FindMitigationAction(std::string_view account_id,
                                                                       std::string_view name) = 0;
  virtual Result<Page<MitigationAction>> ListMitigationActions(
      std::string_view account_id, const std::optional<MitigationActionType>& type,
      const PageRequest& page) = 0;

  // Mitigation tasks, keyed by (account_id, task_id); (account_id, client_request_token) is
  // unique too. Insert returns kAlreadyExists if either is taken.
  virtual Result<void> InsertMitigationTask(const AuditMitigationTask& task) = 0;
  virtual Result<void> UpdateMitigationTask(const AuditMitigationTask& task) = 0;
  virtual Result<std::optional<AuditMitigationTask>> FindMitigationTask(
      std::string_view account_id, std::string_view task_id) = 0;
  virtual Result<std::optional<AuditMitigationTask>> FindMitigationTaskByToken(
      std::string_view account_id, std::string_view client_request_token) = 0;
  virtual Result<Page<AuditMitigationTask>> ListMitigationTasks(std::string_view account_id,
                                                                const MitigationTaskQuery& query,
                                                                const PageRequest& page) = 0;
  virtual Result<int64_t> CountMitigationTasks(std::string_view account_id,
                                               MitigationTaskStatus status) = 0;
  // For the executor: every account's mitigation tasks in `status`, by (start_time, task_id).
  virtual Result<std::vector<AuditMitigationTask>> ListMitigationTasksByStatus(
      MitigationTaskStatus status) = 0;

  // Executions, keyed by (account_id, task_id, finding_id, action_index). Put inserts or
  // replaces; kNotFound if the mitigation task does not exist.
  virtual Result<void> PutExecution(const MitigationExecution& execution) = 0;
  // The task's executions (of one finding when set), ordered by (finding_id, action_index).
  virtual Result<std::vector<MitigationExecution>> ListExecutions(
      std::string_view account_id, std::string_view task_id,
      const std::optional<std::string>& finding_id) = 0;
};

class AuditStore {
 public:
  using TxFn = std::function<Result<void>(AuditTx&)>;

  virtual ~AuditStore() = default;

  // Runs `fn` in one serializable transaction and commits iff `fn` returns a value; the error
  // of `fn`, or of the commit, is returned unchanged, and on any error nothing `fn` wrote is
  // kept. Once Transact returns a value the changes are durable. `fn` must not call Transact
  // (that returns kInternal) and must not keep the AuditTx. Thread-safe: concurrent callers are
  // serialized.
  virtual Result<void> Transact(const TxFn& fn) = 0;
};

// Runs `fn(tx) -> Result<T>` in one transaction; the value is returned iff it committed.
template <typename T, typename Fn>
Result<T> TransactValue(AuditStore& store, Fn&& fn) {
  std::optional<T> out;
  auto r = store.Transact([&](AuditTx& tx) -> Result<void> {
    Result<T> value = fn(tx);
    if (!value) {
      return Fail(value.error());
    }
    out = std::move(*value);
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return std::move(*out);
}

}  // namespace fg::audit
