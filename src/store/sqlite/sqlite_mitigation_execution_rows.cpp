// SqliteAuditTx: the executions of mitigation actions tasks, one per (finding, action).

#include <limits>

#include "audit/audit_enums.h"
#include "store/sqlite/sqlite_audit_tx.h"
#include "store/sqlite/sqlite_keyset_page.h"
#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_time_columns.h"

namespace fg::store {
namespace {

using audit::MitigationExecution;

constexpr char kExecutionColumns[] =
    "SELECT account_id, task_id, finding_id, action_index, action_name, action_id, status, "
    "start_ms, end_ms, error_code, message FROM mitigation_executions";

Result<MitigationExecution> ReadExecution(const Statement& s) {
  const int64_t index = s.Int(3);
  if (index < std::numeric_limits<int>::min() || index > std::numeric_limits<int>::max()) {
    return Fail(ErrorCode::kCorrupt, "stored mitigation_executions.action_index is out of range");
  }
  auto status = audit::ParseMitigationExecutionStatus(s.Text(6));
  if (!status) {
    return Fail(CorruptValue("mitigation execution status", status.error()));
  }
  MitigationExecution e;
  e.account_id = s.Text(0);
  e.task_id = s.Text(1);
  e.finding_id = s.Text(2);
  e.action_index = static_cast<int>(index);
  e.action_name = s.Text(4);
  e.action_id = s.Text(5);
  e.status = *status;
  e.start_time = OptionalTimeColumn(s, 7);
  e.end_time = OptionalTimeColumn(s, 8);
  e.error_code = s.Text(9);
  e.message = s.Text(10);
  return e;
}

// Names the missing parent when a foreign key refuses a child row.
Result<void> WithParent(Result<void> r, std::string_view task_id) {
  if (!r && r.error().code == ErrorCode::kNotFound) {
    Error error = r.error();
    error.message = "audit mitigation actions task " + std::string(task_id) + " does not exist (" +
                    error.message + ")";
    return Fail(std::move(error));
  }
  return r;
}

}  // namespace

Result<void> SqliteAuditTx::PutExecution(const MitigationExecution& e) {
  auto stmt = conn_.Prepare(
      "INSERT INTO mitigation_executions (account_id, task_id, finding_id, action_index, "
      "action_name, action_id, status, start_ms, end_ms, error_code, message) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (account_id, task_id, finding_id, action_index) DO UPDATE SET "
      "action_name = excluded.action_name, action_id = excluded.action_id, "
      "status = excluded.status, start_ms = excluded.start_ms, end_ms = excluded.end_ms, "
      "error_code = excluded.error_code, message = excluded.message");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, e.account_id)
      .Bind(2, e.task_id)
      .Bind(3, e.finding_id)
      .Bind(4, int64_t{e.action_index})
      .Bind(5, e.action_name)
      .Bind(6, e.action_id)
      .Bind(7, audit::ToString(e.status))
      .Bind(8, OptionalMillis(e.start_time))
      .Bind(9, OptionalMillis(e.end_time))
      .Bind(10, e.error_code)
      .Bind(11, e.message);
  return WithParent(stmt->Run(), e.task_id);
}

Result<std::vector<MitigationExecution>> SqliteAuditTx::ListExecutions(
    std::string_view account_id, std::string_view task_id,
    const std::optional<std::string>& finding_id) {
  SqlBuilder query(std::string(kExecutionColumns) + " WHERE account_id = ? AND task_id = ?",
                   {std::string(account_id), std::string(task_id)});
  if (finding_id) {
    query.And("finding_id = ?", {*finding_id});
  }
  query.Then("ORDER BY finding_id, action_index");
  return QueryAll<MitigationExecution>(conn_, query, ReadExecution);
}

}  // namespace fg::store
