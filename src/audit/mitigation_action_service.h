#pragma once

// AWS CreateMitigationAction / DescribeMitigationAction / ListMitigationActions /
// UpdateMitigationAction / DeleteMitigationAction. Thread-safe if the store is; every
// reference must outlive the service.
//
// Supported action types: UPDATE_DEVICE_CERTIFICATE (DEACTIVATE), ADD_THINGS_TO_THING_GROUP and
// PUBLISH_FINDING_TO_SNS (topicArn names a fleetguard notification target). The other three
// AWS types act on CA certificates, policies and logging, which no check fleetguard runs can
// flag; creating one is kInvalidArgument ("not supported by fleetguard") rather than an action
// that could only fail later.

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_store.h"
#include "audit/id_generator.h"
#include "audit/mitigation_action.h"
#include "audit/notification_publisher.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// The action type of `params` after checking them. kInvalidArgument unless exactly one member
// is set and it is valid: DEACTIVATE as the certificate action; 1..10 distinct valid thing
// group names; a topicArn of 1..350 characters that names a configured notification target;
// and the type is supported (see above).
Result<MitigationActionType> ValidateActionParams(const MitigationActionParams& params,
                                                  const NotificationPublisher& targets);

class MitigationActionService {
 public:
  MitigationActionService(AuditStore& store, const Clock& clock, IdGenerator& ids,
                          const NotificationPublisher& targets)
      : store_(store), clock_(clock), ids_(ids), targets_(targets) {}

  // kInvalidArgument for a bad name, role ARN (20..2048) or params; kAlreadyExists (with the
  // existing action's id) for a taken name.
  Result<MitigationAction> Create(std::string_view account_id, std::string_view name,
                                  std::string_view role_arn, const MitigationActionParams& params);
  // kNotFound if there is no such action.
  Result<MitigationAction> Describe(std::string_view account_id, std::string_view name);
  // In name order, filtered by type when set.
  Result<Page<MitigationAction>> List(std::string_view account_id,
                                      const std::optional<MitigationActionType>& type,
                                      const PageRequest& page);
  // Unset members keep the stored value. kNotFound; kInvalidArgument as Create, and for params
  // of another type than the action's (the type is fixed at creation).
  Result<MitigationAction> Update(std::string_view account_id, std::string_view name,
                                  const std::optional<std::string>& role_arn,
                                  const std::optional<MitigationActionParams>& params);
  // A missing action is a success (AWS lists no ResourceNotFound for this call). Tasks that
  // already started keep their copy of the action (actionsDefinition).
  Result<void> Delete(std::string_view account_id, std::string_view name);

 private:
  AuditStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NotificationPublisher& targets_;
};

}  // namespace fg::audit
