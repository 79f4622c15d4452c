#include "api/mitigation_params_wire.h"

#include <boost/json/array.hpp>

#include "api/validation.h"

namespace fg::api {
namespace {

// ThingGroupNames: 1..10; SnsTopicArn: ..350 (reference §2.2, §5).
constexpr size_t kMaxThingGroupNames = 10;
constexpr size_t kMaxTopicArnLength = 350;

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

}  // namespace fg::api
