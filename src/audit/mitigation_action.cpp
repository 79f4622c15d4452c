#include "audit/mitigation_action.h"

namespace fg::audit {

Result<MitigationActionType> ActionTypeOf(const MitigationActionParams& params) {
  int set = 0;
  MitigationActionType type = MitigationActionType::kPublishFindingToSns;
  auto note = [&](bool present, MitigationActionType t) {
    if (present) {
      ++set;
      type = t;
    }
  };
  note(params.update_device_certificate.has_value(),
       MitigationActionType::kUpdateDeviceCertificate);
  note(params.update_ca_certificate.has_value(), MitigationActionType::kUpdateCaCertificate);
  note(params.add_things_to_thing_group.has_value(), MitigationActionType::kAddThingsToThingGroup);
  note(params.replace_default_policy_version.has_value(),
       MitigationActionType::kReplaceDefaultPolicyVersion);
  note(params.enable_iot_logging.has_value(), MitigationActionType::kEnableIotLogging);
  note(params.publish_finding_to_sns.has_value(), MitigationActionType::kPublishFindingToSns);
  if (set != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "actionParams must set exactly one action's parameters");
  }
  return type;
}

}  // namespace fg::audit
