// SqliteAuditTx: account audit configurations, scheduled audits and suppressions.

#include "audit/audit_enums.h"
#include "store/sqlite/sqlite_audit_json.h"
#include "store/sqlite/sqlite_audit_tx.h"
#include "store/sqlite/sqlite_keyset_page.h"
#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_time_columns.h"

namespace fg::store {
namespace {

using audit::AuditConfiguration;
using audit::AuditSuppression;
using audit::ScheduledAudit;

constexpr char kScheduledColumns[] =
    "SELECT account_id, name, frequency, day_of_week, day_of_month, target_check_names, "
    "created_ms, last_modified_ms, last_start_ms FROM scheduled_audits";

constexpr char kSuppressionColumns[] =
    "SELECT account_id, check_name, resource_key, device_certificate_id, client_id, "
    "expiration_ms, suppress_indefinitely, description, client_request_token "
    "FROM audit_suppressions";

Result<AuditConfiguration> ReadConfiguration(const Statement& s) {
  auto targets = DecodeNotificationTargets(s.Text(2));
  if (!targets) {
    return Fail(targets.error());
  }
  auto checks = DecodeCheckConfigs(s.Text(3));
  if (!checks) {
    return Fail(checks.error());
  }
  AuditConfiguration c;
  c.account_id = s.Text(0);
  c.role_arn = s.Text(1);
  c.notification_targets = std::move(*targets);
  c.checks = std::move(*checks);
  return c;
}

Result<ScheduledAudit> ReadScheduled(const Statement& s) {
  ScheduledAudit a;
  a.account_id = s.Text(0);
  a.name = s.Text(1);
  auto frequency = audit::ParseAuditFrequency(s.Text(2));
  if (!frequency) {
    return Fail(CorruptValue("scheduled audit frequency", frequency.error()));
  }
  a.frequency = *frequency;
  if (auto day = s.OptionalText(3)) {
    auto parsed = audit::ParseDayOfWeek(*day);
    if (!parsed) {
      return Fail(CorruptValue("scheduled audit day of week", parsed.error()));
    }
    a.day_of_week = *parsed;
  }
  a.day_of_month = s.OptionalText(4);
  auto checks = DecodeStringList(s.Text(5), "scheduled_audits.target_check_names");
  if (!checks) {
    return Fail(checks.error());
  }
  a.target_check_names = std::move(*checks);
  a.created = FromEpochMillis(s.Int(6));
  a.last_modified = FromEpochMillis(s.Int(7));
  a.last_start = OptionalTimeColumn(s, 8);
  return a;
}

// Binds every column in kScheduledColumns order, as ?1..?9.
void BindScheduled(Statement& stmt, const ScheduledAudit& a) {
  std::optional<std::string> day_of_week;
  if (a.day_of_week) {
    day_of_week = std::string(audit::ToString(*a.day_of_week));
  }
  stmt.Bind(1, a.account_id)
      .Bind(2, a.name)
      .Bind(3, audit::ToString(a.frequency))
      .Bind(4, day_of_week)
      .Bind(5, a.day_of_month)
      .Bind(6, EncodeStringList(a.target_check_names))
      .Bind(7, ToEpochMillis(a.created))
      .Bind(8, ToEpochMillis(a.last_modified))
      .Bind(9, OptionalMillis(a.last_start));
}

Result<AuditSuppression> ReadSuppression(const Statement& s) {
  AuditSuppression a;
  a.account_id = s.Text(0);
  a.check_name = s.Text(1);
  a.resource_key = s.Text(2);
  a.resource.device_certificate_id = s.Text(3);
  a.resource.client_id = s.Text(4);
  a.expiration = OptionalTimeColumn(s, 5);
  a.suppress_indefinitely = s.Int(6) != 0;
  a.description = s.Text(7);
  a.client_request_token = s.Text(8);
  return a;
}

// Binds every column in kSuppressionColumns order, as ?1..?9.
void BindSuppression(Statement& stmt, const AuditSuppression& a) {
  stmt.Bind(1, a.account_id)
      .Bind(2, a.check_name)
      .Bind(3, a.resource_key)
      .Bind(4, a.resource.device_certificate_id)
      .Bind(5, a.resource.client_id)
      .Bind(6, OptionalMillis(a.expiration))
      .Bind(7, int64_t{a.suppress_indefinitely ? 1 : 0})
      .Bind(8, a.description)
      .Bind(9, a.client_request_token);
}

}  // namespace

Result<std::optional<AuditConfiguration>> SqliteAuditTx::FindConfiguration(
    std::string_view account_id) {
  auto stmt = conn_.Prepare(
      "SELECT account_id, role_arn, notification_targets, checks FROM audit_configurations "
      "WHERE account_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return ReadOne<AuditConfiguration>(*stmt, ReadConfiguration);
}

Result<void> SqliteAuditTx::PutConfiguration(const AuditConfiguration& config) {
  auto stmt = conn_.Prepare(
      "INSERT INTO audit_configurations (account_id, role_arn, notification_targets, checks) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id) DO UPDATE SET role_arn = "
      "excluded.role_arn, "
      "notification_targets = excluded.notification_targets, checks = excluded.checks");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, config.account_id)
      .Bind(2, config.role_arn)
      .Bind(3, EncodeNotificationTargets(config.notification_targets))
      .Bind(4, EncodeCheckConfigs(config.checks));
  return stmt->Run();
}

Result<bool> SqliteAuditTx::DeleteConfiguration(std::string_view account_id) {
  auto stmt = conn_.Prepare("DELETE FROM audit_configurations WHERE account_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return RunDelete(*stmt);
}

Result<void> SqliteAuditTx::InsertScheduledAudit(const ScheduledAudit& a) {
  auto stmt = conn_.Prepare(
      "INSERT INTO scheduled_audits (account_id, name, frequency, day_of_week, day_of_month, "
      "target_check_names, created_ms, last_modified_ms, last_start_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindScheduled(*stmt, a);
  return stmt->Run();
}

Result<void> SqliteAuditTx::UpdateScheduledAudit(const ScheduledAudit& a) {
  auto stmt = conn_.Prepare(
      "UPDATE scheduled_audits SET frequency = ?3, day_of_week = ?4, day_of_month = ?5, "
      "target_check_names = ?6, created_ms = ?7, last_modified_ms = ?8, last_start_ms = ?9 "
      "WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindScheduled(*stmt, a);
  return RunUpdate(*stmt, "scheduled audit");
}

Result<bool> SqliteAuditTx::DeleteScheduledAudit(std::string_view account_id,
                                                 std::string_view name) {
  auto stmt = conn_.Prepare("DELETE FROM scheduled_audits WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, name);
  return RunDelete(*stmt);
}

Result<std::optional<ScheduledAudit>> SqliteAuditTx::FindScheduledAudit(std::string_view account_id,
                                                                        std::string_view name) {
  SqlBuilder query(std::string(kScheduledColumns) + " WHERE account_id = ? AND name = ?",
                   {std::string(account_id), std::string(name)});
  auto rows = QueryAll<ScheduledAudit>(conn_, query, ReadScheduled);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return std::optional<ScheduledAudit>();
  }
  return std::optional<ScheduledAudit>(std::move(rows->front()));
}

Result<audit::Page<ScheduledAudit>> SqliteAuditTx::ListScheduledAudits(
    std::string_view account_id, const audit::PageRequest& page) {
  SqlBuilder query(std::string(kScheduledColumns) + " WHERE account_id = ?",
                   {std::string(account_id)});
  if (auto r = AddNameKeyset(query, "name", page); !r) {
    return Fail(r.error());
  }
  auto rows = QueryAll<ScheduledAudit>(conn_, query, ReadScheduled);
  if (!rows) {
    return Fail(rows.error());
  }
  return FinishPage(std::move(*rows), page,
                    [](const ScheduledAudit& a) { return registry::EncodeNameCursor(a.name); });
}

Result<std::vector<ScheduledAudit>> SqliteAuditTx::ListAllScheduledAudits(
    std::string_view account_id) {
  SqlBuilder query(std::string(kScheduledColumns) + " WHERE account_id = ?",
                   {std::string(account_id)});
  query.Then("ORDER BY name");
  return QueryAll<ScheduledAudit>(conn_, query, ReadScheduled);
}

Result<std::vector<ScheduledAudit>> SqliteAuditTx::ListScheduledAuditsOfAllAccounts() {
  SqlBuilder query(std::string(kScheduledColumns) + " ORDER BY account_id, name", {});
  return QueryAll<ScheduledAudit>(conn_, query, ReadScheduled);
}

Result<void> SqliteAuditTx::InsertSuppression(const AuditSuppression& s) {
  auto stmt = conn_.Prepare(
      "INSERT INTO audit_suppressions (account_id, check_name, resource_key, "
      "device_certificate_id, client_id, expiration_ms, suppress_indefinitely, description, "
      "client_request_token) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindSuppression(*stmt, s);
  return stmt->Run();
}

Result<void> SqliteAuditTx::UpdateSuppression(const AuditSuppression& s) {
  auto stmt = conn_.Prepare(
      "UPDATE audit_suppressions SET device_certificate_id = ?4, client_id = ?5, "
      "expiration_ms = ?6, suppress_indefinitely = ?7, description = ?8, "
      "client_request_token = ?9 WHERE account_id = ?1 AND check_name = ?2 AND resource_key = ?3");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindSuppression(*stmt, s);
  return RunUpdate(*stmt, "audit suppression");
}

Result<bool> SqliteAuditTx::DeleteSuppression(std::string_view account_id,
                                              std::string_view check_name,
                                              std::string_view resource_key) {
  auto stmt = conn_.Prepare(
      "DELETE FROM audit_suppressions WHERE account_id = ?1 AND check_name = ?2 AND "
      "resource_key = ?3");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, check_name).Bind(3, resource_key);
  return RunDelete(*stmt);
}

Result<std::optional<AuditSuppression>> SqliteAuditTx::FindSuppression(
    std::string_view account_id, std::string_view check_name, std::string_view resource_key) {
  SqlBuilder query(std::string(kSuppressionColumns) +
                       " WHERE account_id = ? AND check_name = ? AND resource_key = ?",
                   {std::string(account_id), std::string(check_name), std::string(resource_key)});
  auto rows = QueryAll<AuditSuppression>(conn_, query, ReadSuppression);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return std::optional<AuditSuppression>();
  }
  return std::optional<AuditSuppression>(std::move(rows->front()));
}

Result<std::vector<AuditSuppression>> SqliteAuditTx::ListSuppressions(
    std::string_view account_id, const std::optional<std::string>& check_name,
    const std::optional<std::string>& resource_key) {
  SqlBuilder query(std::string(kSuppressionColumns) + " WHERE account_id = ?",
                   {std::string(account_id)});
  if (check_name) {
    query.And("check_name = ?", {*check_name});
  }
  if (resource_key) {
    query.And("resource_key = ?", {*resource_key});
  }
  query.Then("ORDER BY check_name, resource_key");
  return QueryAll<AuditSuppression>(conn_, query, ReadSuppression);
}

}  // namespace fg::store
