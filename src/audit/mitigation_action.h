#pragma once

// A mitigation action (AWS CreateMitigationAction / DescribeMitigationAction) as stored. The
// params mirror AWS's MitigationActionParams union: exactly one member is set, and that member
// decides the action's type.

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_enums.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// DeviceCertificateUpdateAction / CACertificateUpdateAction: "DEACTIVATE" is the only value.
inline constexpr std::string_view kDeactivateAction = "DEACTIVATE";

struct UpdateDeviceCertificateParams {
  std::string action;  // "DEACTIVATE"
  friend bool operator==(const UpdateDeviceCertificateParams&,
                         const UpdateDeviceCertificateParams&) = default;
};

struct UpdateCaCertificateParams {
  std::string action;  // "DEACTIVATE"
  friend bool operator==(const UpdateCaCertificateParams&,
                         const UpdateCaCertificateParams&) = default;
};

struct AddThingsToThingGroupParams {
  std::vector<std::string> thing_group_names;  // 1..10
  std::optional<bool> override_dynamic_groups;
  friend bool operator==(const AddThingsToThingGroupParams&,
                         const AddThingsToThingGroupParams&) = default;
};

struct ReplaceDefaultPolicyVersionParams {
  std::string template_name;  // "BLANK_POLICY"
  friend bool operator==(const ReplaceDefaultPolicyVersionParams&,
                         const ReplaceDefaultPolicyVersionParams&) = default;
};

struct EnableIotLoggingParams {
  std::string role_arn_for_logging;
  std::string log_level;
  friend bool operator==(const EnableIotLoggingParams&, const EnableIotLoggingParams&) = default;
};

// `topic_arn` names a fleetguard notification target (NotificationPublisher::HasTarget).
struct PublishFindingToSnsParams {
  std::string topic_arn;  // ..350
  friend bool operator==(const PublishFindingToSnsParams&,
                         const PublishFindingToSnsParams&) = default;
};

struct MitigationActionParams {
  std::optional<UpdateDeviceCertificateParams> update_device_certificate;
  std::optional<UpdateCaCertificateParams> update_ca_certificate;
  std::optional<AddThingsToThingGroupParams> add_things_to_thing_group;
  std::optional<ReplaceDefaultPolicyVersionParams> replace_default_policy_version;
  std::optional<EnableIotLoggingParams> enable_iot_logging;
  std::optional<PublishFindingToSnsParams> publish_finding_to_sns;
  friend bool operator==(const MitigationActionParams&, const MitigationActionParams&) = default;
};

// The type the set member stands for; kInvalidArgument unless exactly one member is set.
Result<MitigationActionType> ActionTypeOf(const MitigationActionParams& params);

struct MitigationAction {
  std::string account_id;
  std::string name;  // 1..128 of [a-zA-Z0-9_-]; the key within the account
  std::string id;    // RFC 4122 v4 UUID, fixed at creation
  MitigationActionType type = MitigationActionType::kPublishFindingToSns;
  std::string role_arn;  // 20..2048
  MitigationActionParams params;
  TimePoint created;
  TimePoint last_modified;
  friend bool operator==(const MitigationAction&, const MitigationAction&) = default;
};

}  // namespace fg::audit
