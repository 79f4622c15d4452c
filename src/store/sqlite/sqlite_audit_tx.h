#pragma once

// AuditTx over one SqliteConnection inside an open transaction (SqliteStore::Transact for
// audit::AuditStore creates it after BEGIN IMMEDIATE). The methods are split by table family
// across sqlite_audit_config_rows.cpp (configurations, scheduled audits, suppressions),
// sqlite_audit_task_rows.cpp (audit tasks, findings, retention), sqlite_mitigation_rows.cpp
// (mitigation actions and tasks) and sqlite_mitigation_execution_rows.cpp; the tables are
// migration 3 of sqlite_schema.cpp.
// Not thread-safe; lives only for one Transact callback.

#include "audit/audit_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace fg::store {

class SqliteAuditTx final : public audit::AuditTx {
 public:
  explicit SqliteAuditTx(SqliteConnection& conn) : conn_(conn) {}

  Result<std::optional<audit::AuditConfiguration>> FindConfiguration(
      std::string_view account_id) override;
  Result<void> PutConfiguration(const audit::AuditConfiguration& config) override;
  Result<bool> DeleteConfiguration(std::string_view account_id) override;

  Result<void> InsertScheduledAudit(const audit::ScheduledAudit& audit) override;
  Result<void> UpdateScheduledAudit(const audit::ScheduledAudit& audit) override;
  Result<bool> DeleteScheduledAudit(std::string_view account_id, std::string_view name) override;
  Result<std::optional<audit::ScheduledAudit>> FindScheduledAudit(std::string_view account_id,
                                                                  std::string_view name) override;
  Result<audit::Page<audit::ScheduledAudit>> ListScheduledAudits(
      std::string_view account_id, const audit::PageRequest& page) override;
  Result<std::vector<audit::ScheduledAudit>> ListAllScheduledAudits(
      std::string_view account_id) override;
  Result<std::vector<audit::ScheduledAudit>> ListScheduledAuditsOfAllAccounts() override;

  Result<void> InsertAuditTask(const audit::AuditTask& task) override;
  Result<void> UpdateAuditTask(const audit::AuditTask& task) override;
  Result<std::optional<audit::AuditTask>> FindAuditTask(std::string_view account_id,
                                                        std::string_view task_id) override;
  Result<audit::Page<audit::AuditTask>> ListAuditTasks(std::string_view account_id,
                                                       const audit::AuditTaskQuery& query,
                                                       const audit::PageRequest& page) override;
  Result<int64_t> CountAuditTasks(std::string_view account_id, audit::AuditTaskType type,
                                  audit::AuditTaskStatus status) override;
  Result<std::vector<audit::AuditTask>> ListAuditTasksByStatus(
      audit::AuditTaskStatus status) override;

  Result<void> InsertFinding(const audit::AuditFindingRecord& finding) override;
  Result<std::optional<audit::AuditFindingRecord>> FindFinding(
      std::string_view account_id, std::string_view finding_id) override;
  Result<audit::Page<audit::AuditFindingRecord>> ListFindings(
      std::string_view account_id, const audit::FindingQuery& query,
      const audit::PageRequest& page) override;

  Result<audit::PurgeCounts> PurgeBefore(TimePoint cutoff) override;

  Result<void> InsertSuppression(const audit::AuditSuppression& suppression) override;
  Result<void> UpdateSuppression(const audit::AuditSuppression& suppression) override;
  Result<bool> DeleteSuppression(std::string_view account_id, std::string_view check_name,
                                 std::string_view resource_key) override;
  Result<std::optional<audit::AuditSuppression>> FindSuppression(
      std::string_view account_id, std::string_view check_name,
      std::string_view resource_key) override;
  Result<std::vector<audit::AuditSuppression>> ListSuppressions(
      std::string_view account_id, const std::optional<std::string>& check_name,
      const std::optional<std::string>& resource_key) override;

  Result<void> InsertMitigationAction(const audit::MitigationAction& action) override;
  Result<void> UpdateMitigationAction(const audit::MitigationAction& action) override;
  Result<bool> DeleteMitigationAction(std::string_view account_id, std::string_view name) override;
  Result<std::optional<audit::MitigationAction>> FindMitigationAction(
      std::string_view account_id, std::string_view name) override;
  Result<audit::Page<audit::MitigationAction>> ListMitigationActions(
      std::string_view account_id, const std::optional<audit::MitigationActionType>& type,
      const audit::PageRequest& page) override;

  Result<void> InsertMitigationTask(const audit::AuditMitigationTask& task) override;
  Result<void> UpdateMitigationTask(const audit::AuditMitigationTask& task) override;
  Result<std::optional<audit::AuditMitigationTask>> FindMitigationTask(
      std::string_view account_id, std::string_view task_id) override;
  Result<std::optional<audit::AuditMitigationTask>> FindMitigationTaskByToken(
      std::string_view account_id, std::string_view client_request_token) override;
  Result<audit::Page<audit::AuditMitigationTask>> ListMitigationTasks(
      std::string_view account_id, const audit::MitigationTaskQuery& query,
      const audit::PageRequest& page) override;
  Result<int64_t> CountMitigationTasks(std::string_view account_id,
                                       audit::MitigationTaskStatus status) override;
  Result<std::vector<audit::AuditMitigationTask>> ListMitigationTasksByStatus(
      audit::MitigationTaskStatus status) override;

  Result<void> PutExecution(const audit::MitigationExecution& execution) override;
  Result<std::vector<audit::MitigationExecution>> ListExecutions(
      std::string_view account_id, std::string_view task_id,
      const std::optional<std::string>& finding_id) override;

 private:
  // Reads a mitigation task's target finding ids (mitigation_task_findings) into `task`.
  Result<void> LoadTargetFindings(audit::AuditMitigationTask& task);
  Result<void> SaveTargetFindings(const audit::AuditMitigationTask& task);

  SqliteConnection& conn_;
};

}  // namespace fg::store
