// SqliteAuditTx: mitigation actions and mitigation actions tasks (executions are in
// sqlite_mitigation_execution_rows.cpp).

#include "audit/audit_enums.h"
#include "store/sqlite/sqlite_audit_json.h"
#include "store/sqlite/sqlite_audit_tx.h"
#include "store/sqlite/sqlite_keyset_page.h"
#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_time_columns.h"

namespace fg::store {
namespace {

using audit::AuditMitigationTask;
using audit::MitigationAction;
using audit::MitigationTaskStatus;

constexpr char kActionColumns[] =
    "SELECT account_id, name, id, type, role_arn, params, created_ms, last_modified_ms "
    "FROM mitigation_actions";

constexpr char kTaskColumns[] =
    "SELECT account_id, task_id, client_request_token, status, start_ms, end_ms, audit_task_id, "
    "reason_code_filter, actions_mapping, actions_definition, statistics FROM mitigation_tasks";

// The finding filter of ListMitigationTasks: named by the target or by an execution.
constexpr char kNamesFinding[] =
    "(EXISTS (SELECT 1 FROM mitigation_task_findings f WHERE f.account_id = "
    "mitigation_tasks.account_id AND f.task_id = mitigation_tasks.task_id AND f.finding_id = ?) "
    "OR EXISTS (SELECT 1 FROM mitigation_executions e WHERE e.account_id = "
    "mitigation_tasks.account_id AND e.task_id = mitigation_tasks.task_id AND e.finding_id = ?))";

Result<MitigationAction> ReadAction(const Statement& s) {
  auto type = audit::ParseMitigationActionType(s.Text(3));
  if (!type) {
    return Fail(CorruptValue("mitigation action type", type.error()));
  }
  auto params = DecodeActionParams(s.Text(5));
  if (!params) {
    return Fail(params.error());
  }
  MitigationAction a;
  a.account_id = s.Text(0);
  a.name = s.Text(1);
  a.id = s.Text(2);
  a.type = *type;
  a.role_arn = s.Text(4);
  a.params = std::move(*params);
  a.created = FromEpochMillis(s.Int(6));
  a.last_modified = FromEpochMillis(s.Int(7));
  return a;
}

// Binds every column in kActionColumns order, as ?1..?8.
void BindAction(Statement& stmt, const MitigationAction& a) {
  stmt.Bind(1, a.account_id)
      .Bind(2, a.name)
      .Bind(3, a.id)
      .Bind(4, audit::ToString(a.type))
      .Bind(5, a.role_arn)
      .Bind(6, EncodeActionParams(a.params))
      .Bind(7, ToEpochMillis(a.created))
      .Bind(8, ToEpochMillis(a.last_modified));
}

// Reads everything but target.finding_ids, which live in mitigation_task_findings.
Result<AuditMitigationTask> ReadTask(const Statement& s) {
  auto status = audit::ParseMitigationTaskStatus(s.Text(3));
  if (!status) {
    return Fail(CorruptValue("mitigation task status", status.error()));
  }
  auto filter = DecodeStringListMap(s.Text(7), "mitigation_tasks.reason_code_filter");
  auto mapping = DecodeStringListMap(s.Text(8), "mitigation_tasks.actions_mapping");
  auto definition = DecodeActionDefinitions(s.Text(9));
  auto statistics = DecodeMitigationStatistics(s.Text(10));
  if (!filter || !mapping || !definition || !statistics) {
    return Fail(!filter       ? filter.error()
                : !mapping    ? mapping.error()
                : !definition ? definition.error()
                              : statistics.error());
  }
  AuditMitigationTask t;
  t.account_id = s.Text(0);
  t.task_id = s.Text(1);
  t.client_request_token = s.Text(2);
  t.status = *status;
  t.start_time = FromEpochMillis(s.Int(4));
  t.end_time = OptionalTimeColumn(s, 5);
  t.target.audit_task_id = s.OptionalText(6);
  t.target.reason_code_filter = std::move(*filter);
  t.actions_mapping = std::move(*mapping);
  t.actions_definition = std::move(*definition);
  t.statistics = std::move(*statistics);
  return t;
}

// Binds every column in kTaskColumns order, as ?1..?11.
void BindTask(Statement& stmt, const AuditMitigationTask& t) {
  stmt.Bind(1, t.account_id)
      .Bind(2, t.task_id)
      .Bind(3, t.client_request_token)
      .Bind(4, audit::ToString(t.status))
      .Bind(5, ToEpochMillis(t.start_time))
      .Bind(6, OptionalMillis(t.end_time))
      .Bind(7, t.target.audit_task_id)
      .Bind(8, EncodeStringListMap(t.target.reason_code_filter))
      .Bind(9, EncodeStringListMap(t.actions_mapping))
      .Bind(10, EncodeActionDefinitions(t.actions_definition))
      .Bind(11, EncodeMitigationStatistics(t.statistics));
}

}  // namespace

Result<void> SqliteAuditTx::InsertMitigationAction(const MitigationAction& action) {
  auto stmt = conn_.Prepare(
      "INSERT INTO mitigation_actions (account_id, name, id, type, role_arn, params, created_ms, "
      "last_modified_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAction(*stmt, action);
  return stmt->Run();
}

Result<void> SqliteAuditTx::UpdateMitigationAction(const MitigationAction& action) {
  auto stmt = conn_.Prepare(
      "UPDATE mitigation_actions SET id = ?3, type = ?4, role_arn = ?5, params = ?6, "
      "created_ms = ?7, last_modified_ms = ?8 WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAction(*stmt, action);
  return RunUpdate(*stmt, "mitigation action");
}

Result<bool> SqliteAuditTx::DeleteMitigationAction(std::string_view account_id,
                                                   std::string_view name) {
  auto stmt = conn_.Prepare("DELETE FROM mitigation_actions WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, name);
  return RunDelete(*stmt);
}

Result<std::optional<MitigationAction>> SqliteAuditTx::FindMitigationAction(
    std::string_view account_id, std::string_view name) {
  auto stmt = conn_.Prepare(std::string(kActionColumns) + " WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, name);
  return ReadOne<MitigationAction>(*stmt, ReadAction);
}

Result<audit::Page<MitigationAction>> SqliteAuditTx::ListMitigationActions(
    std::string_view account_id, const std::optional<audit::MitigationActionType>& type,
    const audit::PageRequest& page) {
  SqlBuilder query(std::string(kActionColumns) + " WHERE account_id = ?",
                   {std::string(account_id)});
  if (type) {
    query.And("type = ?", {std::string(audit::ToString(*type))});
  }
  if (auto r = AddNameKeyset(query, "name", page); !r) {
    return Fail(r.error());
  }
  auto rows = QueryAll<MitigationAction>(conn_, query, ReadAction);
  if (!rows) {
    return Fail(rows.error());
  }
  return FinishPage(std::move(*rows), page,
                    [](const MitigationAction& a) { return registry::EncodeNameCursor(a.name); });
}

Result<void> SqliteAuditTx::LoadTargetFindings(AuditMitigationTask& task) {
  auto stmt = conn_.Prepare(
      "SELECT finding_id FROM mitigation_task_findings WHERE account_id = ?1 AND task_id = ?2 "
      "ORDER BY position");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, task.account_id).Bind(2, task.task_id);
  auto ids = ReadAll<std::string>(
      *stmt, [](const Statement& s) -> Result<std::string> { return s.Text(0); });
  if (!ids) {
    return Fail(ids.error());
  }
  task.target.finding_ids = std::move(*ids);
  return Ok();
}

Result<void> SqliteAuditTx::SaveTargetFindings(const AuditMitigationTask& task) {
  auto clear =
      conn_.Prepare("DELETE FROM mitigation_task_findings WHERE account_id = ?1 AND task_id = ?2");
  if (!clear) {
    return Fail(clear.error());
  }
  clear->Bind(1, task.account_id).Bind(2, task.task_id);
  if (auto r = clear->Run(); !r) {
    return r;
  }
  int64_t position = 0;
  for (const std::string& finding_id : task.target.finding_ids) {
    auto insert = conn_.Prepare(
        "INSERT INTO mitigation_task_findings (account_id, task_id, position, finding_id) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!insert) {
      return Fail(insert.error());
    }
    insert->Bind(1, task.account_id).Bind(2, task.task_id).Bind(3, position++).Bind(4, finding_id);
    if (auto r = insert->Run(); !r) {
      return r;
    }
  }
  return Ok();
}

Result<void> SqliteAuditTx::InsertMitigationTask(const AuditMitigationTask& task) {
  auto stmt = conn_.Prepare(
      "INSERT INTO mitigation_tasks (account_id, task_id, client_request_token, status, "
      "start_ms, end_ms, audit_task_id, reason_code_filter, actions_mapping, actions_definition, "
      "statistics) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindTask(*stmt, task);
  if (auto r = stmt->Run(); !r) {
    return r;
  }
  return SaveTargetFindings(task);
}

Result<void> SqliteAuditTx::UpdateMitigationTask(const AuditMitigationTask& task) {
  auto stmt = conn_.Prepare(
      "UPDATE mitigation_tasks SET client_request_token = ?3, status = ?4, start_ms = ?5, "
      "end_ms = ?6, audit_task_id = ?7, reason_code_filter = ?8, actions_mapping = ?9, "
      "actions_definition = ?10, statistics = ?11 WHERE account_id = ?1 AND task_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindTask(*stmt, task);
  if (auto r = RunUpdate(*stmt, "audit mitigation actions task"); !r) {
    return r;
  }
  return SaveTargetFindings(task);
}

Result<std::optional<AuditMitigationTask>> SqliteAuditTx::FindMitigationTask(
    std::string_view account_id, std::string_view task_id) {
  SqlBuilder query(std::string(kTaskColumns) + " WHERE account_id = ? AND task_id = ?",
                   {std::string(account_id), std::string(task_id)});
  auto rows = QueryAll<AuditMitigationTask>(conn_, query, ReadTask);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return std::optional<AuditMitigationTask>();
  }
  if (auto r = LoadTargetFindings(rows->front()); !r) {
    return Fail(r.error());
  }
  return std::optional<AuditMitigationTask>(std::move(rows->front()));
}

Result<std::optional<AuditMitigationTask>> SqliteAuditTx::FindMitigationTaskByToken(
    std::string_view account_id, std::string_view client_request_token) {
  auto stmt = conn_.Prepare(
      "SELECT task_id FROM mitigation_tasks WHERE account_id = ?1 AND client_request_token = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, client_request_token);
  auto task_id = ReadOne<std::string>(
      *stmt, [](const Statement& s) -> Result<std::string> { return s.Text(0); });
  if (!task_id) {
    return Fail(task_id.error());
  }
  if (!*task_id) {
    return std::optional<AuditMitigationTask>();
  }
  return FindMitigationTask(account_id, **task_id);
}

Result<audit::Page<AuditMitigationTask>> SqliteAuditTx::ListMitigationTasks(
    std::string_view account_id, const audit::MitigationTaskQuery& q,
    const audit::PageRequest& page) {
  SqlBuilder query(std::string(kTaskColumns) + " WHERE account_id = ?", {std::string(account_id)});
  if (q.audit_task_id) {
    query.And("audit_task_id = ?", {*q.audit_task_id});
  }
  query.And("start_ms >= ?", {ToEpochMillis(q.start)}).And("start_ms <= ?", {ToEpochMillis(q.end)});
  if (q.status) {
    query.And("status = ?", {std::string(audit::ToString(*q.status))});
  }
  if (q.finding_id) {
    query.And(kNamesFinding, {*q.finding_id, *q.finding_id});
  }
  if (auto r = AddTimeKeyset(query, "start_ms", "task_id", page); !r) {
    return Fail(r.error());
  }
  auto rows = QueryAll<AuditMitigationTask>(conn_, query, ReadTask);
  if (!rows) {
    return Fail(rows.error());
  }
  auto out = FinishPage(std::move(*rows), page, [](const AuditMitigationTask& t) {
    return registry::EncodeTimeCursor(t.start_time, t.task_id);
  });
  for (AuditMitigationTask& task : out.items) {
    if (auto r = LoadTargetFindings(task); !r) {
      return Fail(r.error());
    }
  }
  return out;
}

Result<int64_t> SqliteAuditTx::CountMitigationTasks(std::string_view account_id,
                                                    MitigationTaskStatus status) {
  auto stmt =
      conn_.Prepare("SELECT count(*) FROM mitigation_tasks WHERE account_id = ?1 AND status = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, audit::ToString(status));
  auto count =
      ReadOne<int64_t>(*stmt, [](const Statement& s) -> Result<int64_t> { return s.Int(0); });
  if (!count) {
    return Fail(count.error());
  }
  return count->value_or(0);
}

Result<std::vector<AuditMitigationTask>> SqliteAuditTx::ListMitigationTasksByStatus(
    MitigationTaskStatus status) {
  SqlBuilder query(std::string(kTaskColumns) + " WHERE status = ?",
                   {std::string(audit::ToString(status))});
  query.Then("ORDER BY start_ms, task_id");
  auto rows = QueryAll<AuditMitigationTask>(conn_, query, ReadTask);
  if (!rows) {
    return Fail(rows.error());
  }
  for (AuditMitigationTask& task : *rows) {
    if (auto r = LoadTargetFindings(task); !r) {
      return Fail(r.error());
    }
  }
  return rows;
}

}  // namespace fg::store
