#pragma once

// AWS DescribeAccountAuditConfiguration / UpdateAccountAuditConfiguration /
// DeleteAccountAuditConfiguration. Every call names the calling account and sees only its
// configuration. Thread-safe if the store is; `store` and `targets` must outlive the service.
//
// Checks: any of AWS's 17 check names (and the legacy aliases, stored under the current name)
// may be enabled; fleetguard runs DEVICE_CERTIFICATE_SHARED_CHECK, and an enabled check it does
// not run reports FAILED / CHECK_NOT_SUPPORTED in every audit task (see audit_checks.h).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_configuration.h"
#include "audit/audit_store.h"
#include "audit/notification_publisher.h"
#include "core/result.h"

namespace fg::audit {

// UpdateAccountAuditConfiguration's body. Unset members leave the stored value; a check or a
// notification type that is present replaces the stored entry for that check or type.
struct AuditConfigurationUpdate {
  std::optional<std::string> role_arn;
  std::map<std::string, AuditNotificationTarget> notification_targets;
  std::map<std::string, AuditCheckConfig> checks;
};

class AuditConfigurationService {
 public:
  AuditConfigurationService(AuditStore& store, const NotificationPublisher& targets)
      : store_(store), targets_(targets) {}

  // The account's configuration with every one of the 17 checks listed (absent ones as
  // disabled). An account that never configured the audit gets an empty role ARN and every
  // check disabled, as on AWS.
  Result<AuditConfiguration> Describe(std::string_view account_id);

  // Errors (kInvalidArgument): a first update without roleArn or without an enabled check; a
  // role ARN outside 20..2048 characters; an unknown check name; a configuration name other
  // than the check's own threshold (CERT_AGE_THRESHOLD_IN_DAYS for DEVICE_CERTIFICATE_AGE_CHECK,
  // CERT_EXPIRATION_THRESHOLD_IN_DAYS for DEVICE_CERTIFICATE_EXPIRING_CHECK) or a value that is
  // not a whole number of days in 30..3652; a notification type other than "SNS"; an enabled
  // target without a targetArn or naming no configured notification target; disabling a check
  // that a scheduled audit targets.
  Result<void> Update(std::string_view account_id, const AuditConfigurationUpdate& update);

  // Restores the defaults (every check disabled). With `delete_scheduled_audits` the account's
  // scheduled audits are deleted too; without it, kInvalidArgument while any exists.
  // kNotFound if the account has no stored configuration.
  Result<void> Delete(std::string_view account_id, bool delete_scheduled_audits);

 private:
  AuditStore& store_;
  const NotificationPublisher& targets_;
};

// The current names of `names` (legacy aliases resolved), sorted and de-duplicated.
// Errors (kInvalidArgument): an empty list, an unknown check name, or a check that `config`
// does not enable ("check X is not enabled"); a missing configuration enables nothing.
Result<std::vector<std::string>> ResolveEnabledChecks(
    const std::optional<AuditConfiguration>& config, const std::vector<std::string>& names);

}  // namespace fg::audit
