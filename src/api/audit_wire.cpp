#include "api/audit_wire.h"

#include <algorithm>

#include <boost/json/array.hpp>

#include "api/request_members.h"
#include "api/validation.h"
#include "audit/audit_enums.h"

namespace fg::api {
namespace {

// The model's ClientId has no length limit; MQTT 5 client ids go to 65535 bytes, but the audit
// keys suppressions by it (audit::ResourceKey caps it at 128).
constexpr size_t kMaxClientIdLength = 128;

// The ResourceIdentifier members fleetguard's checks never produce (reference §5).
constexpr std::string_view kUnsupportedIdentifierMembers[] = {
    "caCertificateId",
    "cognitoIdentityPoolId",
    "policyVersionIdentifier",
    "account",
    "iamRoleArn",
    "roleAliasArn",
    "issuerCertificateIdentifier",
    "deviceCertificateArn",
};

// The members of one ResourceIdentifier `r`, the member `name` of its parent.
Result<audit::ResourceIdentifier> ReadIdentifier(const JsonReader& r, std::string_view name) {
  for (std::string_view member : kUnsupportedIdentifierMembers) {
    if (const boost::json::value* v = r.object().if_contains(member);
        v != nullptr && !v->is_null()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Member '" + r.MemberPath(member) +
                      "' is not supported: fleetguard's audit checks identify resources by "
                      "deviceCertificateId or clientId");
    }
  }
  auto certificate = OptShapedString(r, "deviceCertificateId", Shape::kCertificateId);
  if (!certificate) {
    return Fail(certificate.error());
  }
  auto client = r.OptString("clientId");
  if (!client) {
    return Fail(client.error());
  }
  if (certificate->has_value() == client->has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Member '" + std::string(name) +
                    "' must set exactly one of deviceCertificateId and clientId");
  }
  audit::ResourceIdentifier identifier;
  if (certificate->has_value()) {
    identifier.device_certificate_id = **certificate;
  } else {
    if ((*client)->empty() || (*client)->size() > kMaxClientIdLength) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Member '" + r.MemberPath("clientId") + "' must have 1.." +
                      std::to_string(kMaxClientIdLength) + " characters");
    }
    identifier.client_id = **client;
  }
  return identifier;
}

}  // namespace

boost::json::object ResourceIdentifierJson(const audit::ResourceIdentifier& identifier) {
  boost::json::object out;
  if (!identifier.device_certificate_id.empty()) {
    out["deviceCertificateId"] = identifier.device_certificate_id;
  }
  if (!identifier.client_id.empty()) {
    out["clientId"] = identifier.client_id;
  }
  return out;
}

boost::json::object AuditResourceJson(const audit::AuditResource& resource) {
  boost::json::object out;
  out["resourceType"] = audit::ResourceTypeName(resource.type);
  out["resourceIdentifier"] = ResourceIdentifierJson(resource.identifier);
  if (!resource.additional_info.empty()) {
    boost::json::object info;
    for (const auto& [key, value] : resource.additional_info) {
      info[key] = value;
    }
    out["additionalInfo"] = std::move(info);
  }
  return out;
}

boost::json::object AuditFindingJson(const audit::AuditFindingRecord& record, size_t max_related) {
  const audit::AuditFinding& f = record.finding;
  boost::json::object out;
  out["findingId"] = record.finding_id;
  out["taskId"] = record.task_id;
  out["checkName"] = f.check_name;
  out["taskStartTime"] = EpochSecondsValue(record.task_start_time);
  out["findingTime"] = EpochSecondsValue(record.finding_time);
  out["severity"] = audit::AuditSeverityName(f.severity);
  out["nonCompliantResource"] = AuditResourceJson(f.non_compliant_resource);
  boost::json::array related;
  const size_t count = std::min(max_related, f.related_resources.size());
  for (size_t i = 0; i < count; ++i) {
    related.push_back(AuditResourceJson(f.related_resources[i]));
  }
  out["relatedResources"] = std::move(related);
  out["reasonForNonCompliance"] = f.reason_for_non_compliance;
  out["reasonForNonComplianceCode"] = f.reason_for_non_compliance_code;
  out["isSuppressed"] = record.is_suppressed;
  return out;
}

boost::json::object FindingNotificationJson(const audit::FindingNotification& notification) {
  boost::json::object out;
  out["finding"] = AuditFindingJson(notification.finding);
  out["mitigationActionsTaskId"] = notification.mitigation_task_id;
  out["actionName"] = notification.action_name;
  return out;
}

boost::json::object AuditCompletionJson(const audit::AuditCompletionNotification& n) {
  boost::json::object out;
  out["accountId"] = n.account_id;
  out["taskId"] = n.task_id;
  out["taskStatus"] = audit::ToString(n.task_status);
  out["taskType"] = audit::ToString(n.task_type);
  if (n.scheduled_audit_name) {
    out["scheduledAuditName"] = *n.scheduled_audit_name;
  }
  out["failedChecksCount"] = n.failed_checks;
  out["canceledChecksCount"] = n.canceled_checks;
  out["nonCompliantChecksCount"] = n.non_compliant_checks;
  out["compliantChecksCount"] = n.compliant_checks;
  out["totalChecksCount"] = n.total_checks;
  // The notification schema has taskStartTime as an integer of epoch milliseconds, unlike the
  // API's epoch seconds (audit-semantics.md §3).
  out["taskStartTime"] = ToEpochMillis(n.task_start_time);
  boost::json::array details;
  for (const audit::AuditNotificationCheck& check : n.audit_details) {
    boost::json::object d;
    d["checkName"] = check.check_name;
    d["checkRunStatus"] = audit::ToString(check.run_status);
    d["nonCompliantResourcesCount"] = check.non_compliant_resources;
    d["suppressedNonCompliantResourcesCount"] = check.suppressed_non_compliant_resources;
    d["totalResourcesCount"] = check.total_resources;
    if (!check.error_code.empty()) {
      d["errorCode"] = check.error_code;
    }
    if (!check.message.empty()) {
      d["message"] = check.message;
    }
    details.push_back(std::move(d));
  }
  out["auditDetails"] = std::move(details);
  return out;
}

Result<std::optional<audit::ResourceIdentifier>> ReadOptResourceIdentifier(const JsonReader& body,
                                                                           std::string_view name) {
  return ReadOptStruct<audit::ResourceIdentifier>(
      body, name, [name](const JsonReader& r) { return ReadIdentifier(r, name); });
}

Result<audit::ResourceIdentifier> ReadResourceIdentifier(const JsonReader& body,
                                                         std::string_view name) {
  auto identifier = ReadOptResourceIdentifier(body, name);
  if (!identifier) {
    return Fail(identifier.error());
  }
  if (!identifier->has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Missing required member '" + body.MemberPath(name) + "'");
  }
  return std::move(**identifier);
}

Result<std::optional<std::map<std::string, std::vector<std::string>>>> ReadStringListMap(
    const JsonReader& body, std::string_view name) {
  using MapType = std::map<std::string, std::vector<std::string>>;
  return ReadOptStruct<MapType>(body, name, [](const JsonReader& r) -> Result<MapType> {
    MapType out;
    for (const auto& member : r.object()) {
      auto list = r.StringList(member.key());
      if (!list) {
        return Fail(list.error());
      }
      out.emplace(std::string(member.key()), std::move(*list));
    }
    return out;
  });
}

Result<std::optional<std::map<std::string, JsonReader>>> ReadObjectMap(const JsonReader& body,
                                                                       std::string_view name) {
  using MapType = std::map<std::string, JsonReader>;
  return ReadOptStruct<MapType>(body, name, [](const JsonReader& r) -> Result<MapType> {
    MapType out;
    for (const auto& member : r.object()) {
      auto value = r.Object(member.key());
      if (!value) {
        return Fail(value.error());
      }
      out.emplace(std::string(member.key()), *value);
    }
    return out;
  });
}

Result<TimePoint> RequiredQueryTimestamp(const RequestContext& ctx, std::string_view name) {
  auto t = ctx.QueryTimestamp(name);
  if (!t) {
    return Fail(t.error());
  }
  if (!t->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member '" + std::string(name) + "'");
  }
  return **t;
}

}  // namespace fg::api
