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

// ThingGroupNames: 1..10; SnsTopicArn: ..350 (reference §2.2, §5).
constexpr size_t kMaxThingGroupNames = 10;
constexpr size_t kMaxTopicArnLength = 350;

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

// Each reader takes one member of AWS's MitigationActionParams union (reference §5).
Result<audit::UpdateDeviceCertificateParams> ReadDeviceCertificateParams(const JsonReader& r) {
  auto action = r.String("action");
  if (!action) {
    return Fail(action.error());
  }
  return audit::UpdateDeviceCertificateParams{std::move(*action)};
}

Result<audit::UpdateCaCertificateParams> ReadCaCertificateParams(const JsonReader& r) {
  auto action = r.String("action");
  if (!action) {
    return Fail(action.error());
  }
  return audit::UpdateCaCertificateParams{std::move(*action)};
}

Result<audit::AddThingsToThingGroupParams> ReadAddThingsParams(const JsonReader& r) {
  auto names = r.StringList("thingGroupNames");
  if (!names) {
    return Fail(names.error());
  }
  const std::string member = r.MemberPath("thingGroupNames");
  if (auto ok = ValidateListSize(member, names->size(), 1, kMaxThingGroupNames); !ok) {
    return Fail(ok.error());
  }
  for (const std::string& group : *names) {
    if (auto ok = Validate(Shape::kThingGroupName, member, group); !ok) {
      return Fail(ok.error());
    }
  }
  auto override_dynamic = r.OptBool("overrideDynamicGroups");
  if (!override_dynamic) {
    return Fail(override_dynamic.error());
  }
  return audit::AddThingsToThingGroupParams{std::move(*names), *override_dynamic};
}

Result<audit::ReplaceDefaultPolicyVersionParams> ReadPolicyParams(const JsonReader& r) {
  auto template_name = r.String("templateName");
  if (!template_name) {
    return Fail(template_name.error());
  }
  return audit::ReplaceDefaultPolicyVersionParams{std::move(*template_name)};
}

Result<audit::EnableIotLoggingParams> ReadLoggingParams(const JsonReader& r) {
  auto role = r.String("roleArnForLogging");
  if (!role) {
    return Fail(role.error());
  }
  if (auto ok = Validate(Shape::kRoleArn, r.MemberPath("roleArnForLogging"), *role); !ok) {
    return Fail(ok.error());
  }
  auto level = r.String("logLevel");
  if (!level) {
    return Fail(level.error());
  }
  return audit::EnableIotLoggingParams{std::move(*role), std::move(*level)};
}

Result<audit::PublishFindingToSnsParams> ReadSnsParams(const JsonReader& r) {
  auto topic = r.String("topicArn");
  if (!topic) {
    return Fail(topic.error());
  }
  if (topic->size() > kMaxTopicArnLength) {
    return Fail(ErrorCode::kInvalidArgument,
                "Member '" + r.MemberPath("topicArn") + "' must be at most 350 characters");
  }
  return audit::PublishFindingToSnsParams{std::move(*topic)};
}

// Reads the optional structure `name` of `r` into `slot`.
template <typename T, typename ReadFn>
Result<void> ReadInto(const JsonReader& r, std::string_view name, ReadFn read,
                      std::optional<T>& slot) {
  auto value = ReadOptStruct<T>(r, name, read);
  if (!value) {
    return Fail(value.error());
  }
  slot = std::move(*value);
  return Ok();
}

Result<audit::MitigationActionParams> ReadMitigationActionParams(const JsonReader& r) {
  audit::MitigationActionParams p;
  if (auto ok = ReadInto(r, "updateDeviceCertificateParams", ReadDeviceCertificateParams,
                         p.update_device_certificate);
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadInto(r, "updateCACertificateParams", ReadCaCertificateParams,
                         p.update_ca_certificate);
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadInto(r, "addThingsToThingGroupParams", ReadAddThingsParams,
                         p.add_things_to_thing_group);
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadInto(r, "replaceDefaultPolicyVersionParams", ReadPolicyParams,
                         p.replace_default_policy_version);
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadInto(r, "enableIoTLoggingParams", ReadLoggingParams, p.enable_iot_logging);
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ReadInto(r, "publishFindingToSnsParams", ReadSnsParams, p.publish_finding_to_sns);
      !ok) {
    return Fail(ok.error());
  }
  return p;
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
  auto reader = body.OptObject(name);
  if (!reader) {
    return Fail(reader.error());
  }
  if (!reader->has_value()) {
    return std::optional<audit::ResourceIdentifier>();
  }
  const JsonReader& r = **reader;
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
  return std::optional<audit::ResourceIdentifier>(std::move(identifier));
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

boost::json::object MitigationActionParamsJson(const audit::MitigationActionParams& p) {
  boost::json::object out;
  if (p.update_device_certificate) {
    out["updateDeviceCertificateParams"] = {{"action", p.update_device_certificate->action}};
  }
  if (p.update_ca_certificate) {
    out["updateCACertificateParams"] = {{"action", p.update_ca_certificate->action}};
  }
  if (p.add_things_to_thing_group) {
    boost::json::array names;
    for (const std::string& group : p.add_things_to_thing_group->thing_group_names) {
      names.emplace_back(group);
    }
    boost::json::object params;
    params["thingGroupNames"] = std::move(names);
    if (p.add_things_to_thing_group->override_dynamic_groups) {
      params["overrideDynamicGroups"] = *p.add_things_to_thing_group->override_dynamic_groups;
    }
    out["addThingsToThingGroupParams"] = std::move(params);
  }
  if (p.replace_default_policy_version) {
    out["replaceDefaultPolicyVersionParams"] = {
        {"templateName", p.replace_default_policy_version->template_name}};
  }
  if (p.enable_iot_logging) {
    out["enableIoTLoggingParams"] = {
        {"roleArnForLogging", p.enable_iot_logging->role_arn_for_logging},
        {"logLevel", p.enable_iot_logging->log_level}};
  }
  if (p.publish_finding_to_sns) {
    out["publishFindingToSnsParams"] = {{"topicArn", p.publish_finding_to_sns->topic_arn}};
  }
  return out;
}

Result<std::optional<audit::MitigationActionParams>> ReadOptMitigationActionParams(
    const JsonReader& body, std::string_view name) {
  return ReadOptStruct<audit::MitigationActionParams>(body, name, ReadMitigationActionParams);
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
