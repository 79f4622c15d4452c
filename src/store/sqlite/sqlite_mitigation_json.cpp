// JSON codecs of the mitigation action and mitigation task columns.

#include <utility>

#include "audit/audit_enums.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_audit_json.h"
#include "store/sqlite/sqlite_json_fields.h"

namespace fg::store {
namespace {

namespace json = boost::json;

using audit::MitigationAction;
using audit::MitigationActionParams;
using audit::MitigationCheckStatistics;

// Member names are AWS's MitigationActionParams members; the value of each is an object.
constexpr std::string_view kUpdateDeviceCertificate = "updateDeviceCertificateParams";
constexpr std::string_view kUpdateCaCertificate = "updateCACertificateParams";
constexpr std::string_view kAddThingsToThingGroup = "addThingsToThingGroupParams";
constexpr std::string_view kReplaceDefaultPolicyVersion = "replaceDefaultPolicyVersionParams";
constexpr std::string_view kEnableIotLogging = "enableIoTLoggingParams";
constexpr std::string_view kPublishFindingToSns = "publishFindingToSnsParams";

json::object EncodeParamsObject(const MitigationActionParams& p) {
  json::object out;
  if (p.update_device_certificate) {
    out[kUpdateDeviceCertificate] = json::object{{"action", p.update_device_certificate->action}};
  }
  if (p.update_ca_certificate) {
    out[kUpdateCaCertificate] = json::object{{"action", p.update_ca_certificate->action}};
  }
  if (p.add_things_to_thing_group) {
    json::object a;
    a["thingGroupNames"] = ToJsonList(p.add_things_to_thing_group->thing_group_names);
    if (p.add_things_to_thing_group->override_dynamic_groups) {
      a["overrideDynamicGroups"] = *p.add_things_to_thing_group->override_dynamic_groups;
    }
    out[kAddThingsToThingGroup] = std::move(a);
  }
  if (p.replace_default_policy_version) {
    out[kReplaceDefaultPolicyVersion] =
        json::object{{"templateName", p.replace_default_policy_version->template_name}};
  }
  if (p.enable_iot_logging) {
    out[kEnableIotLogging] =
        json::object{{"roleArnForLogging", p.enable_iot_logging->role_arn_for_logging},
                     {"logLevel", p.enable_iot_logging->log_level}};
  }
  if (p.publish_finding_to_sns) {
    out[kPublishFindingToSns] = json::object{{"topicArn", p.publish_finding_to_sns->topic_arn}};
  }
  return out;
}

// Reads the one string member `field` of the params member `name`, if `name` is present.
Result<std::optional<std::string>> ParamString(const json::object& doc, std::string_view name,
                                               std::string_view field, const JsonFields& fields) {
  if (!doc.contains(name)) {
    return std::optional<std::string>();
  }
  auto o = fields.Object(doc, name);
  if (!o) {
    return Fail(o.error());
  }
  auto value = fields.String(**o, field);
  if (!value) {
    return Fail(value.error());
  }
  return std::optional<std::string>(std::move(*value));
}

Result<MitigationActionParams> DecodeParamsObject(const json::object& doc,
                                                  const JsonFields& fields) {
  MitigationActionParams p;
  auto device = ParamString(doc, kUpdateDeviceCertificate, "action", fields);
  auto ca = ParamString(doc, kUpdateCaCertificate, "action", fields);
  auto policy = ParamString(doc, kReplaceDefaultPolicyVersion, "templateName", fields);
  auto sns = ParamString(doc, kPublishFindingToSns, "topicArn", fields);
  auto logging_role = ParamString(doc, kEnableIotLogging, "roleArnForLogging", fields);
  auto logging_level = ParamString(doc, kEnableIotLogging, "logLevel", fields);
  for (const auto* r : {&device, &ca, &policy, &sns, &logging_role, &logging_level}) {
    if (!*r) {
      return Fail(r->error());
    }
  }
  if (*device) {
    p.update_device_certificate = audit::UpdateDeviceCertificateParams{std::move(**device)};
  }
  if (*ca) {
    p.update_ca_certificate = audit::UpdateCaCertificateParams{std::move(**ca)};
  }
  if (*policy) {
    p.replace_default_policy_version =
        audit::ReplaceDefaultPolicyVersionParams{std::move(**policy)};
  }
  if (*sns) {
    p.publish_finding_to_sns = audit::PublishFindingToSnsParams{std::move(**sns)};
  }
  if (*logging_role) {
    p.enable_iot_logging =
        audit::EnableIotLoggingParams{std::move(**logging_role), std::move(**logging_level)};
  }
  if (doc.contains(kAddThingsToThingGroup)) {
    auto o = fields.Object(doc, kAddThingsToThingGroup);
    if (!o) {
      return Fail(o.error());
    }
    const json::value* names = (*o)->if_contains("thingGroupNames");
    if (names == nullptr) {
      return Fail(fields.Corrupt("member thingGroupNames is missing"));
    }
    auto list = fields.StringList(*names, "thingGroupNames");
    auto override_dynamic = fields.OptionalBool(**o, "overrideDynamicGroups");
    if (!list || !override_dynamic) {
      return Fail(!list ? list.error() : override_dynamic.error());
    }
    p.add_things_to_thing_group =
        audit::AddThingsToThingGroupParams{std::move(*list), *override_dynamic};
  }
  return p;
}

Result<MitigationAction> DecodeAction(const json::value& v, const JsonFields& fields) {
  auto o = fields.AsObject(v, "action");
  if (!o) {
    return Fail(o.error());
  }
  const json::object& a = **o;
  auto account = fields.String(a, "accountId");
  auto name = fields.String(a, "name");
  auto id = fields.String(a, "id");
  auto type_name = fields.String(a, "type");
  auto role = fields.String(a, "roleArn");
  auto params = fields.Object(a, "params");
  auto created = fields.Int(a, "createdMs");
  auto modified = fields.Int(a, "lastModifiedMs");
  if (!account || !name || !id || !type_name || !role || !params || !created || !modified) {
    return Fail(fields.Corrupt("action member missing or of the wrong type"));
  }
  auto type = audit::ParseMitigationActionType(*type_name);
  if (!type) {
    return Fail(fields.Corrupt(type.error().message));
  }
  auto decoded = DecodeParamsObject(**params, fields);
  if (!decoded) {
    return Fail(decoded.error());
  }
  MitigationAction action;
  action.account_id = std::move(*account);
  action.name = std::move(*name);
  action.id = std::move(*id);
  action.type = *type;
  action.role_arn = std::move(*role);
  action.params = std::move(*decoded);
  action.created = FromEpochMillis(*created);
  action.last_modified = FromEpochMillis(*modified);
  return action;
}

}  // namespace

std::string EncodeActionParams(const MitigationActionParams& params) {
  return SerializeJson(EncodeParamsObject(params));
}

Result<MitigationActionParams> DecodeActionParams(std::string_view text) {
  const JsonFields fields("mitigation_actions.params");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  return DecodeParamsObject(*doc, fields);
}

std::string EncodeStringListMap(const std::map<std::string, std::vector<std::string>>& map) {
  json::object out;
  for (const auto& [key, list] : map) {
    out[key] = ToJsonList(list);
  }
  return SerializeJson(out);
}

Result<std::map<std::string, std::vector<std::string>>> DecodeStringListMap(
    std::string_view text, std::string_view column) {
  const JsonFields fields(column);
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& member : *doc) {
    auto list = fields.StringList(member.value(), member.key());
    if (!list) {
      return Fail(list.error());
    }
    out.emplace(std::string(member.key()), std::move(*list));
  }
  return out;
}

std::string EncodeActionDefinitions(const std::vector<MitigationAction>& actions) {
  json::array out;
  for (const MitigationAction& a : actions) {
    json::object o;
    o["accountId"] = a.account_id;
    o["name"] = a.name;
    o["id"] = a.id;
    o["type"] = audit::ToString(a.type);
    o["roleArn"] = a.role_arn;
    o["params"] = EncodeParamsObject(a.params);
    o["createdMs"] = ToEpochMillis(a.created);
    o["lastModifiedMs"] = ToEpochMillis(a.last_modified);
    out.emplace_back(std::move(o));
  }
  return SerializeJson(out);
}

Result<std::vector<MitigationAction>> DecodeActionDefinitions(std::string_view text) {
  const JsonFields fields("mitigation_tasks.actions_definition");
  auto doc = fields.ParseArray(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::vector<MitigationAction> out;
  for (const json::value& v : *doc) {
    auto action = DecodeAction(v, fields);
    if (!action) {
      return Fail(action.error());
    }
    out.push_back(std::move(*action));
  }
  return out;
}

std::string EncodeMitigationStatistics(
    const std::map<std::string, MitigationCheckStatistics>& statistics) {
  json::object out;
  for (const auto& [check, s] : statistics) {
    out[check] = json::object{{"totalFindings", s.total_findings},
                              {"failedFindings", s.failed_findings},
                              {"succeededFindings", s.succeeded_findings},
                              {"skippedFindings", s.skipped_findings},
                              {"canceledFindings", s.canceled_findings}};
  }
  return SerializeJson(out);
}

Result<std::map<std::string, MitigationCheckStatistics>> DecodeMitigationStatistics(
    std::string_view text) {
  const JsonFields fields("mitigation_tasks.statistics");
  auto doc = fields.ParseObject(text);
  if (!doc) {
    return Fail(doc.error());
  }
  std::map<std::string, MitigationCheckStatistics> out;
  for (const auto& member : *doc) {
    auto o = fields.AsObject(member.value(), member.key());
    if (!o) {
      return Fail(o.error());
    }
    auto total = fields.Int(**o, "totalFindings");
    auto failed = fields.Int(**o, "failedFindings");
    auto succeeded = fields.Int(**o, "succeededFindings");
    auto skipped = fields.Int(**o, "skippedFindings");
    auto canceled = fields.Int(**o, "canceledFindings");
    for (const auto* r : {&total, &failed, &succeeded, &skipped, &canceled}) {
      if (!*r) {
        return Fail(r->error());
      }
    }
    out.emplace(std::string(member.key()),
                MitigationCheckStatistics{*total, *failed, *succeeded, *skipped, *canceled});
  }
  return out;
}

}  // namespace fg::store
