// JSON codecs of the audit configuration, scheduled audit, audit task and finding columns.

#include "store/sqlite/sqlite_audit_json.h"

#include <array>

#include "audit/audit_enums.h"
#include "store/sqlite/sqlite_json_fields.h"

namespace fg::store {
namespace {

namespace json = boost::json;

using audit::AuditCheckConfig;
using audit::AuditCheckDetails;
using audit::AuditFinding;
using audit::AuditNotificationTarget;
using audit::AuditResource;
using audit::AuditSeverity;
using audit::ResourceType;

constexpr std::array kSeverities = {AuditSeverity::kCritical, AuditSeverity::kHigh,
                                    AuditSeverity::kMedium, AuditSeverity::kLow};
constexpr std::array kResourceTypes = {ResourceType::kDeviceCertificate, ResourceType::kClientId};

// The audit layer has no parsers for these two wire names, so the stored name is matched
// against every value (a value missing here fails the round-trip test, not silently).
template <typename Enum, size_t N, typename NameFn>
Result<Enum> ParseByName(const std::array<Enum, N>& values, NameFn name, std::string_view text,
                         const JsonFields& fields) {
  for (Enum value : values) {
    if (name(value) == text) {
      return value;
    }
  }
  return Fail(fields.Corrupt("unknown name " + std::string(text)));
}

json::object EncodeResource(const AuditResource& r) {
  json::object identifier;
  identifier["deviceCertificateId"] = r.identifier.device_certificate_id;
  identifier["clientId"] = r.identifier.client_id;
  json::object out;
  out["resourceType"] = audit::ResourceTypeName(r.type);
  out["resourceIdentifier"] = std::move(identifier);
  out["additionalInfo"] = ToJsonMap(r.additional_info);
  return out;
}

Result<AuditResource> DecodeResource(const json::value& v, const JsonFields& fields) {
  auto o = fields.AsObject(v, "resource");
  if (!o) {
    return Fail(o.error());
  }
  auto type_name = fields.String(**o, "resourceType");
  if (!type_name) {
    return Fail(type_name.error());
  }
  auto type = ParseByName(kResourceTypes, audit::ResourceTypeName, *type_name, fields);
  auto identifier = fields.Object(**o, "resourceIdentifier");
  if (!type || !identifier) {
    return Fail(!type ? type.error() : identifier.error());
  }
  auto cert = fields.String(**identifier, "deviceCertificateId");
  auto client = fields.String(**identifier, "clientId");
  const json::value* info = (*o)->if_contains("additionalInfo");
  if (!cert || !client || info == nullptr) {
    return Fail(!cert     ? cert.error()
                : !client ? client.error()
                          : fields.Corrupt("member additionalInfo is missing"));
  }
  auto additional = fields.StringMap(*info, "additionalInfo");
  if (!additional) {
    return Fail(additional.error());
  }
  AuditResource r;
  r.type = *type;
  r.identifier.device_certificate_id = std::move(*cert);
  r.identifier.client_id = std::move(*client);
  r.additional_info = std::move(*additional);
  return r;
}

Result<AuditCheckDetails> DecodeDetails(const json::value& v, const JsonFields& fields) {
  auto o = fields.AsObject(v, "check details");
  if (!o) {
    return Fail(o.error());
  }
  auto status_name = fields.String(**o, "runStatus");
  if (!status_name) {
    return Fail(status_name.error());
  }
  auto status = audit::ParseAuditCheckRunStatus(*status_name);
  if (!status) {
    return Fail(fields.Corrupt(status.error().message));
  }
  auto compliant = fields.OptionalBool(**o, "compliant");
  auto total = fields.Int(**o, "totalResources");
  auto non_compliant = fields.Int(**o, "nonCompliantResources");
  auto suppressed = fields.Int(**o, "suppressedNonCompliantResources");
  auto error_code = fields.String(**o, "errorCode");
  auto message = fields.String(**o, "message");
  if (!compliant || !total || !non_compliant || !suppressed || !error_code || !message) {
    return Fail(fields.Corrupt("check details member missing or of the wrong type"));
  }
  return AuditCheckDetails{*status,
                           *compliant,
                           *total,
                           *non_compliant,
                           *suppressed,
                           std::move(*error_code),
                           std::move(*message)};
}

}  // namespace

std::string EncodeNotificationTargets(
    const std::map<std::string, AuditNotificationTarget>& targets) {
  json::object out;
  for (const auto& [type, target] : targets) {
    json::object t;
    t["targetArn"] = target.target_arn;
    t["roleArn"] = target.role_arn;
    t["enabled"] = target.enabled;
    out[type] = std::move(t);
  }
  return SerializeJson(out);
}

Result<std::map<std::string, AuditNotificationTarget>> DecodeNotificationTargets(
    std::string_view text) {
  const JsonFields fields("audit_configurations.notification_targets");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::map<std::string, AuditNotificationTarget> out;
  for (const auto& member : *doc) {
    auto t = fields.AsObject(member.value(), member.key());
    if (!t) {
      return Fail(t.error());
    }
    auto arn = fields.String(**t, "targetArn");
    auto role = fields.String(**t, "roleArn");
    auto enabled = fields.Bool(**t, "enabled");
    if (!arn || !role || !enabled) {
      return Fail(!arn ? arn.error() : !role ? role.error() : enabled.error());
    }
    out.emplace(std::string(member.key()),
                AuditNotificationTarget{std::move(*arn), std::move(*role), *enabled});
  }
  return out;
}

std::string EncodeCheckConfigs(const std::map<std::string, AuditCheckConfig>& checks) {
  json::object out;
  for (const auto& [name, check] : checks) {
    json::object c;
    c["enabled"] = check.enabled;
    c["configuration"] = ToJsonMap(check.configuration);
    out[name] = std::move(c);
  }
  return SerializeJson(out);
}

Result<std::map<std::string, AuditCheckConfig>> DecodeCheckConfigs(std::string_view text) {
  const JsonFields fields("audit_configurations.checks");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::map<std::string, AuditCheckConfig> out;
  for (const auto& member : *doc) {
    auto c = fields.AsObject(member.value(), member.key());
    if (!c) {
      return Fail(c.error());
    }
    auto enabled = fields.Bool(**c, "enabled");
    const json::value* configuration = (*c)->if_contains("configuration");
    if (!enabled || configuration == nullptr) {
      return Fail(!enabled ? enabled.error() : fields.Corrupt("member configuration is missing"));
    }
    auto map = fields.StringMap(*configuration, "configuration");
    if (!map) {
      return Fail(map.error());
    }
    out.emplace(std::string(member.key()), AuditCheckConfig{*enabled, std::move(*map)});
  }
  return out;
}

std::string EncodeStringList(const std::vector<std::string>& list) {
  return SerializeJson(ToJsonList(list));
}

Result<std::vector<std::string>> DecodeStringList(std::string_view text, std::string_view column) {
  const JsonFields fields(column);
  auto doc = fields.ParseArray(text);
  if (!doc) {
    return Fail(doc.error());
  }
  return fields.StringList(json::value(std::move(*doc)), "list");
}

std::string EncodeCheckDetails(const std::map<std::string, AuditCheckDetails>& checks) {
  json::object out;
  for (const auto& [name, d] : checks) {
    json::object c;
    c["runStatus"] = audit::ToString(d.run_status);
    if (d.compliant) {
      c["compliant"] = *d.compliant;
    }
    c["totalResources"] = d.total_resources;
    c["nonCompliantResources"] = d.non_compliant_resources;
    c["suppressedNonCompliantResources"] = d.suppressed_non_compliant_resources;
    c["errorCode"] = d.error_code;
    c["message"] = d.message;
    out[name] = std::move(c);
  }
  return SerializeJson(out);
}

Result<std::map<std::string, AuditCheckDetails>> DecodeCheckDetails(std::string_view text) {
  const JsonFields fields("audit_tasks.checks");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::map<std::string, AuditCheckDetails> out;
  for (const auto& member : *doc) {
    auto details = DecodeDetails(member.value(), fields);
    if (!details) {
      return Fail(details.error());
    }
    out.emplace(std::string(member.key()), std::move(*details));
  }
  return out;
}

std::string EncodeFindingBody(const AuditFinding& finding) {
  json::array related;
  for (const AuditResource& r : finding.related_resources) {
    related.emplace_back(EncodeResource(r));
  }
  json::object out;
  out["severity"] = audit::AuditSeverityName(finding.severity);
  out["nonCompliantResource"] = EncodeResource(finding.non_compliant_resource);
  out["relatedResources"] = std::move(related);
  out["reasonForNonCompliance"] = finding.reason_for_non_compliance;
  out["reasonForNonComplianceCode"] = finding.reason_for_non_compliance_code;
  return SerializeJson(out);
}

Result<AuditFinding> DecodeFindingBody(std::string_view text) {
  const JsonFields fields("audit_findings.body");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  auto severity_name = fields.String(*doc, "severity");
  if (!severity_name) {
    return Fail(severity_name.error());
  }
  auto severity = ParseByName(kSeverities, audit::AuditSeverityName, *severity_name, fields);
  const json::value* resource = doc->if_contains("nonCompliantResource");
  if (!severity || resource == nullptr) {
    return Fail(!severity ? severity.error()
                          : fields.Corrupt("member nonCompliantResource is missing"));
  }
  auto non_compliant = DecodeResource(*resource, fields);
  auto related = fields.Array(*doc, "relatedResources");
  auto reason = fields.String(*doc, "reasonForNonCompliance");
  auto reason_code = fields.String(*doc, "reasonForNonComplianceCode");
  if (!non_compliant || !related || !reason || !reason_code) {
    return Fail(!non_compliant ? non_compliant.error()
                : !related     ? related.error()
                : !reason      ? reason.error()
                               : reason_code.error());
  }
  AuditFinding f;
  f.severity = *severity;
  f.non_compliant_resource = std::move(*non_compliant);
  for (const json::value& v : **related) {
    auto r = DecodeResource(v, fields);
    if (!r) {
      return Fail(r.error());
    }
    f.related_resources.push_back(std::move(*r));
  }
  f.reason_for_non_compliance = std::move(*reason);
  f.reason_for_non_compliance_code = std::move(*reason_code);
  return f;
}

}  // namespace fg::store
