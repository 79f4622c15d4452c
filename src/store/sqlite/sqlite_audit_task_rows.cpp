// SqliteAuditTx: audit tasks, findings and retention.

#include "audit/audit_enums.h"
#include "store/sqlite/sqlite_audit_json.h"
#include "store/sqlite/sqlite_audit_tx.h"
#include "store/sqlite/sqlite_finding_sql.h"
#include "store/sqlite/sqlite_keyset_page.h"
#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_time_columns.h"

namespace fg::store {
namespace {

using audit::AuditFindingRecord;
using audit::AuditTask;
using audit::AuditTaskStatus;

constexpr char kTaskColumns[] =
    "SELECT account_id, task_id, type, status, start_ms, end_ms, scheduled_audit_name, "
    "previous_start_ms, window_start_ms, window_end_ms, checks FROM audit_tasks";

constexpr char kFindingColumns[] =
    "SELECT account_id, finding_id, task_id, task_start_ms, finding_ms, check_name, "
    "is_suppressed, body FROM audit_findings";

Result<AuditTask> ReadTask(const Statement& s) {
  AuditTask t;
  t.account_id = s.Text(0);
  t.task_id = s.Text(1);
  auto type = audit::ParseAuditTaskType(s.Text(2));
  if (!type) {
    return Fail(CorruptValue("audit task type", type.error()));
  }
  t.type = *type;
  auto status = audit::ParseAuditTaskStatus(s.Text(3));
  if (!status) {
    return Fail(CorruptValue("audit task status", status.error()));
  }
  t.status = *status;
  t.start_time = FromEpochMillis(s.Int(4));
  t.end_time = OptionalTimeColumn(s, 5);
  t.scheduled_audit_name = s.OptionalText(6);
  t.previous_start = OptionalTimeColumn(s, 7);
  auto window_start = OptionalTimeColumn(s, 8);
  auto window_end = OptionalTimeColumn(s, 9);
  if (window_start.has_value() != window_end.has_value()) {
    return Fail(ErrorCode::kCorrupt, "stored audit task window has only one bound");
  }
  if (window_start) {
    t.window = audit::AuditWindow{*window_start, *window_end};
  }
  auto checks = DecodeCheckDetails(s.Text(10));
  if (!checks) {
    return Fail(checks.error());
  }
  t.checks = std::move(*checks);
  return t;
}

// Binds every column in kTaskColumns order, as ?1..?11.
void BindTask(Statement& stmt, const AuditTask& t) {
  std::optional<int64_t> window_start;
  std::optional<int64_t> window_end;
  if (t.window) {
    window_start = t.window->start_ms();
    window_end = t.window->end_ms();
  }
  stmt.Bind(1, t.account_id)
      .Bind(2, t.task_id)
      .Bind(3, audit::ToString(t.type))
      .Bind(4, audit::ToString(t.status))
      .Bind(5, ToEpochMillis(t.start_time))
      .Bind(6, OptionalMillis(t.end_time))
      .Bind(7, t.scheduled_audit_name)
      .Bind(8, OptionalMillis(t.previous_start))
      .Bind(9, window_start)
      .Bind(10, window_end)
      .Bind(11, EncodeCheckDetails(t.checks));
}

Result<AuditFindingRecord> ReadFinding(const Statement& s) {
  auto body = DecodeFindingBody(s.Text(7));
  if (!body) {
    return Fail(body.error());
  }
  AuditFindingRecord f;
  f.account_id = s.Text(0);
  f.finding_id = s.Text(1);
  f.task_id = s.Text(2);
  f.task_start_time = FromEpochMillis(s.Int(3));
  f.finding_time = FromEpochMillis(s.Int(4));
  f.finding = std::move(*body);
  f.finding.check_name = s.Text(5);
  f.is_suppressed = s.Int(6) != 0;
  return f;
}

// One DELETE of PurgeBefore: ?1 is the cutoff, ?2 (when set) the status a task keeps while it
// runs.
struct PurgeStep {
  const char* sql;
  std::optional<std::string_view> running_status;
};

Result<int64_t> RunPurgeStep(SqliteConnection& conn, const PurgeStep& step, TimePoint cutoff) {
  auto stmt = conn.Prepare(step.sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, ToEpochMillis(cutoff));
  if (step.running_status) {
    stmt->Bind(2, *step.running_status);
  }
  if (auto r = stmt->Run(); !r) {
    return Fail(r.error());
  }
  return stmt->Changes();
}

}  // namespace

Result<void> SqliteAuditTx::InsertAuditTask(const AuditTask& task) {
  auto stmt = conn_.Prepare(
      "INSERT INTO audit_tasks (account_id, task_id, type, status, start_ms, end_ms, "
      "scheduled_audit_name, previous_start_ms, window_start_ms, window_end_ms, checks) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindTask(*stmt, task);
  return stmt->Run();
}

Result<void> SqliteAuditTx::UpdateAuditTask(const AuditTask& task) {
  auto stmt = conn_.Prepare(
      "UPDATE audit_tasks SET type = ?3, status = ?4, start_ms = ?5, end_ms = ?6, "
      "scheduled_audit_name = ?7, previous_start_ms = ?8, window_start_ms = ?9, "
      "window_end_ms = ?10, checks = ?11 WHERE account_id = ?1 AND task_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindTask(*stmt, task);
  return RunUpdate(*stmt, "audit task");
}

Result<std::optional<AuditTask>> SqliteAuditTx::FindAuditTask(std::string_view account_id,
                                                              std::string_view task_id) {
  auto stmt = conn_.Prepare(std::string(kTaskColumns) + " WHERE account_id = ?1 AND task_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, task_id);
  return ReadOne<AuditTask>(*stmt, ReadTask);
}

Result<audit::Page<AuditTask>> SqliteAuditTx::ListAuditTasks(std::string_view account_id,
                                                             const audit::AuditTaskQuery& q,
                                                             const audit::PageRequest& page) {
  SqlBuilder query(std::string(kTaskColumns) + " WHERE account_id = ?", {std::string(account_id)});
  query.And("start_ms >= ?", {ToEpochMillis(q.start)}).And("start_ms <= ?", {ToEpochMillis(q.end)});
  if (q.type) {
    query.And("type = ?", {std::string(audit::ToString(*q.type))});
  }
  if (q.status) {
    query.And("status = ?", {std::string(audit::ToString(*q.status))});
  }
  if (auto r = AddTimeKeyset(query, "start_ms", "task_id", page); !r) {
    return Fail(r.error());
  }
  auto rows = QueryAll<AuditTask>(conn_, query, ReadTask);
  if (!rows) {
    return Fail(rows.error());
  }
  return FinishPage(std::move(*rows), page, [](const AuditTask& t) {
    return registry::EncodeTimeCursor(t.start_time, t.task_id);
  });
}

Result<int64_t> SqliteAuditTx::CountAuditTasks(std::string_view account_id,
                                               audit::AuditTaskType type, AuditTaskStatus status) {
  auto stmt = conn_.Prepare(
      "SELECT count(*) FROM audit_tasks WHERE account_id = ?1 AND type = ?2 AND status = ?3");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, audit::ToString(type)).Bind(3, audit::ToString(status));
  auto count =
      ReadOne<int64_t>(*stmt, [](const Statement& s) -> Result<int64_t> { return s.Int(0); });
  if (!count) {
    return Fail(count.error());
  }
  return count->value_or(0);
}

Result<std::vector<AuditTask>> SqliteAuditTx::ListAuditTasksByStatus(AuditTaskStatus status) {
  SqlBuilder query(std::string(kTaskColumns) + " WHERE status = ?",
                   {std::string(audit::ToString(status))});
  query.Then("ORDER BY start_ms, task_id");
  return QueryAll<AuditTask>(conn_, query, ReadTask);
}

Result<void> SqliteAuditTx::InsertFinding(const AuditFindingRecord& f) {
  auto stmt = conn_.Prepare(
      "INSERT INTO audit_findings (account_id, finding_id, task_id, task_start_ms, finding_ms, "
      "check_name, resource_key, is_suppressed, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  // A resource without a valid key matches no resource filter, as in the contract; the store
  // holds no rules, so it keeps the finding rather than refuse it.
  auto key = audit::ResourceKey(f.finding.non_compliant_resource.identifier);
  std::optional<std::string> resource_key;
  if (key) {
    resource_key = std::move(*key);
  }
  stmt->Bind(1, f.account_id)
      .Bind(2, f.finding_id)
      .Bind(3, f.task_id)
      .Bind(4, ToEpochMillis(f.task_start_time))
      .Bind(5, ToEpochMillis(f.finding_time))
      .Bind(6, f.finding.check_name)
      .Bind(7, resource_key)
      .Bind(8, int64_t{f.is_suppressed ? 1 : 0})
      .Bind(9, EncodeFindingBody(f.finding));
  if (auto r = stmt->Run(); !r) {
    Error error = r.error();
    if (error.code == ErrorCode::kNotFound) {
      error.message = "audit task " + f.task_id + " does not exist (" + error.message + ")";
    }
    return Fail(std::move(error));
  }
  return Ok();
}

Result<std::optional<AuditFindingRecord>> SqliteAuditTx::FindFinding(std::string_view account_id,
                                                                     std::string_view finding_id) {
  auto stmt =
      conn_.Prepare(std::string(kFindingColumns) + " WHERE account_id = ?1 AND finding_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, finding_id);
  return ReadOne<AuditFindingRecord>(*stmt, ReadFinding);
}

Result<SqlBuilder> FindingListQuery(std::string_view account_id, const audit::FindingQuery& q,
                                    const audit::PageRequest& page) {
  SqlBuilder query(std::string(kFindingColumns) + " WHERE account_id = ?",
                   {std::string(account_id)});
  if (q.task_id) {
    query.And("task_id = ?", {*q.task_id});
  }
  if (q.resource_key) {
    query.And("resource_key = ?", {*q.resource_key});
  }
  if (q.check_name) {
    query.And("check_name = ?", {*q.check_name});
  }
  if (q.start) {
    query.And("finding_ms >= ?", {ToEpochMillis(*q.start)});
  }
  if (q.end) {
    query.And("finding_ms <= ?", {ToEpochMillis(*q.end)});
  }
  if (q.suppressed) {
    query.And("is_suppressed = ?", {int64_t{*q.suppressed ? 1 : 0}});
  }
  if (auto r = AddTimeKeyset(query, "finding_ms", "finding_id", page); !r) {
    return Fail(r.error());
  }
  return query;
}

Result<audit::Page<AuditFindingRecord>> SqliteAuditTx::ListFindings(
    std::string_view account_id, const audit::FindingQuery& q, const audit::PageRequest& page) {
  auto query = FindingListQuery(account_id, q, page);
  if (!query) {
    return Fail(query.error());
  }
  auto rows = QueryAll<AuditFindingRecord>(conn_, *query, ReadFinding);
  if (!rows) {
    return Fail(rows.error());
  }
  return FinishPage(std::move(*rows), page, [](const AuditFindingRecord& f) {
    return registry::EncodeTimeCursor(f.finding_time, f.finding_id);
  });
}

Result<audit::PurgeCounts> SqliteAuditTx::PurgeBefore(TimePoint cutoff) {
  // Children are deleted (and counted) before their parents; the cascades in the schema then
  // have nothing left to do, but keep the tables consistent if a parent is deleted elsewhere.
  const std::string_view task_running = audit::ToString(AuditTaskStatus::kInProgress);
  const std::string_view mitigation_running =
      audit::ToString(audit::MitigationTaskStatus::kInProgress);
  const PurgeStep steps[] = {
      {"DELETE FROM mitigation_executions WHERE (account_id, task_id) IN (SELECT account_id, "
       "task_id FROM mitigation_tasks WHERE start_ms < ?1 AND status <> ?2)",
       mitigation_running},
      {"DELETE FROM mitigation_tasks WHERE start_ms < ?1 AND status <> ?2", mitigation_running},
      {"DELETE FROM audit_findings WHERE (account_id, task_id) IN (SELECT account_id, task_id "
       "FROM audit_tasks WHERE start_ms < ?1 AND status <> ?2)",
       task_running},
      {"DELETE FROM audit_findings WHERE finding_ms < ?1", std::nullopt},
      {"DELETE FROM audit_tasks WHERE start_ms < ?1 AND status <> ?2", task_running},
  };
  int64_t counts[std::size(steps)] = {};
  for (size_t i = 0; i < std::size(steps); ++i) {
    auto n = RunPurgeStep(conn_, steps[i], cutoff);
    if (!n) {
      return Fail(n.error());
    }
    counts[i] = *n;
  }
  audit::PurgeCounts out;
  out.executions = counts[0];
  out.mitigation_tasks = counts[1];
  out.findings = counts[2] + counts[3];
  out.audit_tasks = counts[4];
  return out;
}

}  // namespace fg::store
