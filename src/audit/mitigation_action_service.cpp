#include "audit/mitigation_action_service.h"

#include <set>
#include <utility>

#include "audit/audit_names.h"
#include "registry/names.h"

namespace fg::audit {
namespace {

constexpr size_t kMaxThingGroups = 10;
constexpr size_t kMaxTopicArnLength = 350;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

Result<MitigationAction> RequireAction(AuditTx& tx, std::string_view account_id,
                                       std::string_view name) {
  auto found = tx.FindMitigationAction(account_id, name);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(ErrorCode::kNotFound, "mitigation action " + std::string(name) + " does not exist");
  }
  return std::move(**found);
}

}  // namespace

Result<MitigationActionType> ValidateActionParams(const MitigationActionParams& params,
                                                  const NotificationPublisher& targets) {
  auto type = ActionTypeOf(params);
  if (!type) {
    return type;
  }
  switch (*type) {
    case MitigationActionType::kUpdateDeviceCertificate:
      if (params.update_device_certificate->action != kDeactivateAction) {
        return Invalid("updateDeviceCertificateParams.action must be DEACTIVATE");
      }
      return type;
    case MitigationActionType::kAddThingsToThingGroup: {
      const auto& names = params.add_things_to_thing_group->thing_group_names;
      if (names.empty() || names.size() > kMaxThingGroups) {
        return Invalid("thingGroupNames must list 1 to 10 thing groups");
      }
      std::set<std::string> seen;
      for (const std::string& name : names) {
        if (auto r = registry::ValidateThingGroupName(name); !r) {
          return Fail(r.error());
        }
        if (!seen.insert(name).second) {
          return Invalid("thingGroupNames lists a group twice");
        }
      }
      return type;
    }
    case MitigationActionType::kPublishFindingToSns: {
      const std::string& topic = params.publish_finding_to_sns->topic_arn;
      if (topic.empty() || topic.size() > kMaxTopicArnLength) {
        return Invalid("topicArn must be 1 to 350 characters");
      }
      if (!targets.HasTarget(topic)) {
        return Invalid("topicArn names no notification target configured in fleetguard");
      }
      return type;
    }
    case MitigationActionType::kUpdateCaCertificate:
    case MitigationActionType::kReplaceDefaultPolicyVersion:
    case MitigationActionType::kEnableIotLogging:
      break;
  }
  return Invalid("mitigation action type " + std::string(ToString(*type)) +
                 " is not supported by fleetguard");
}

Result<MitigationAction> MitigationActionService::Create(std::string_view account_id,
                                                         std::string_view name,
                                                         std::string_view role_arn,
                                                         const MitigationActionParams& params) {
  if (auto r = ValidateMitigationActionName(name); !r) {
    return Fail(r.error());
  }
  if (auto r = ValidateRoleArn("roleArn", role_arn); !r) {
    return Fail(r.error());
  }
  auto type = ValidateActionParams(params, targets_);
  if (!type) {
    return Fail(type.error());
  }
  return TransactValue<MitigationAction>(store_, [&](AuditTx& tx) -> Result<MitigationAction> {
    auto existing = tx.FindMitigationAction(account_id, name);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      Error e;
      e.code = ErrorCode::kAlreadyExists;
      e.message = "mitigation action " + std::string(name) + " already exists";
      e.resource_id = (*existing)->id;
      return Fail(std::move(e));
    }
    MitigationAction action;
    action.account_id = std::string(account_id);
    action.name = std::string(name);
    action.id = ids_.NewUuid();
    action.type = *type;
    action.role_arn = std::string(role_arn);
    action.params = params;
    action.created = clock_.Now();
    action.last_modified = action.created;
    if (auto r = tx.InsertMitigationAction(action); !r) {
      return Fail(r.error());
    }
    return action;
  });
}

Result<MitigationAction> MitigationActionService::Describe(std::string_view account_id,
                                                           std::string_view name) {
  if (auto r = ValidateMitigationActionName(name); !r) {
    return Fail(r.error());
  }
  return TransactValue<MitigationAction>(
      store_, [&](AuditTx& tx) { return RequireAction(tx, account_id, name); });
}

Result<Page<MitigationAction>> MitigationActionService::List(
    std::string_view account_id, const std::optional<MitigationActionType>& type,
    const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  return TransactValue<Page<MitigationAction>>(
      store_, [&](AuditTx& tx) { return tx.ListMitigationActions(account_id, type, page); });
}

Result<MitigationAction> MitigationActionService::Update(
    std::string_view account_id, std::string_view name, const std::optional<std::string>& role_arn,
    const std::optional<MitigationActionParams>& params) {
  if (auto r = ValidateMitigationActionName(name); !r) {
    return Fail(r.error());
  }
  if (role_arn) {
    if (auto r = ValidateRoleArn("roleArn", *role_arn); !r) {
      return Fail(r.error());
    }
  }
  std::optional<MitigationActionType> new_type;
  if (params) {
    auto type = ValidateActionParams(*params, targets_);
    if (!type) {
      return Fail(type.error());
    }
    new_type = *type;
  }
  return TransactValue<MitigationAction>(store_, [&](AuditTx& tx) -> Result<MitigationAction> {
    auto action = RequireAction(tx, account_id, name);
    if (!action) {
      return Fail(action.error());
    }
    if (new_type && *new_type != action->type) {
      return Invalid("the type of a mitigation action cannot change");
    }
    if (role_arn) {
      action->role_arn = *role_arn;
    }
    if (params) {
      action->params = *params;
    }
    action->last_modified = clock_.Now();
    if (auto r = tx.UpdateMitigationAction(*action); !r) {
      return Fail(r.error());
    }
    return std::move(*action);
  });
}

Result<void> MitigationActionService::Delete(std::string_view account_id, std::string_view name) {
  if (auto r = ValidateMitigationActionName(name); !r) {
    return r;
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto deleted = tx.DeleteMitigationAction(account_id, name);
    if (!deleted) {
      return Fail(deleted.error());
    }
    return Ok();
  });
}

}  // namespace fg::audit
