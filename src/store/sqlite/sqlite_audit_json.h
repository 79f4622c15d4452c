#pragma once

// The JSON text of the audit tables' composite columns (migration 3 in sqlite_schema.cpp).
// These values are only ever read back whole, never filtered on (audit_store.h), so a
// relational layout would buy nothing. Member names are fixed here and stored in files in the
// field: rename one only with a migration.
//
// Encode* never fails. Decode* returns kCorrupt naming the column when the stored text is not
// what Encode* wrote (altered outside fleetguard); it never throws.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_configuration.h"
#include "audit/audit_finding.h"
#include "audit/audit_task.h"
#include "audit/mitigation_action.h"
#include "audit/mitigation_task.h"
#include "core/result.h"

namespace fg::store {

// audit_configurations.notification_targets and .checks.
std::string EncodeNotificationTargets(
    const std::map<std::string, audit::AuditNotificationTarget>& targets);
Result<std::map<std::string, audit::AuditNotificationTarget>> DecodeNotificationTargets(
    std::string_view json);
std::string EncodeCheckConfigs(const std::map<std::string, audit::AuditCheckConfig>& checks);
Result<std::map<std::string, audit::AuditCheckConfig>> DecodeCheckConfigs(std::string_view json);

// A list of strings (scheduled_audits.target_check_names); `column` names it in errors.
std::string EncodeStringList(const std::vector<std::string>& list);
Result<std::vector<std::string>> DecodeStringList(std::string_view json, std::string_view column);

// audit_tasks.checks.
std::string EncodeCheckDetails(const std::map<std::string, audit::AuditCheckDetails>& checks);
Result<std::map<std::string, audit::AuditCheckDetails>> DecodeCheckDetails(std::string_view json);

// audit_findings.body: the finding without its check name, which is a column of its own.
std::string EncodeFindingBody(const audit::AuditFinding& finding);
Result<audit::AuditFinding> DecodeFindingBody(std::string_view json);

// mitigation_actions.params (sqlite_mitigation_json.cpp).
std::string EncodeActionParams(const audit::MitigationActionParams& params);
Result<audit::MitigationActionParams> DecodeActionParams(std::string_view json);

// check name -> list of strings (mitigation_tasks.reason_code_filter and .actions_mapping).
std::string EncodeStringListMap(const std::map<std::string, std::vector<std::string>>& map);
Result<std::map<std::string, std::vector<std::string>>> DecodeStringListMap(
    std::string_view json, std::string_view column);

// mitigation_tasks.actions_definition and .statistics.
std::string EncodeActionDefinitions(const std::vector<audit::MitigationAction>& actions);
Result<std::vector<audit::MitigationAction>> DecodeActionDefinitions(std::string_view json);
std::string EncodeMitigationStatistics(
    const std::map<std::string, audit::MitigationCheckStatistics>& statistics);
Result<std::map<std::string, audit::MitigationCheckStatistics>> DecodeMitigationStatistics(
    std::string_view json);

}  // namespace fg::store
