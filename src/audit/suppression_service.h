#pragma once

// AWS CreateAuditSuppression / DescribeAuditSuppression / ListAuditSuppressions /
// UpdateAuditSuppression / DeleteAuditSuppression. A suppression is keyed by (check name,
// resource identifier) within the account. Suppressed findings are still produced, flagged
// isSuppressed, not counted as non-compliant, and never mitigated (AuditRunner,
// MitigationExecutor). Thread-safe if the store is; `store` and `clock` must outlive it.

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_store.h"
#include "audit/audit_suppression.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

struct SuppressionSpec {
  std::string check_name;
  ResourceIdentifier resource;
  std::optional<TimePoint> expiration;
  std::optional<bool> suppress_indefinitely;
  std::string description;
  std::string client_request_token;
};

// Unset members keep the stored value. Setting an expiration ends an indefinite suppression;
// setting suppress_indefinitely = true drops the expiration.
struct SuppressionUpdate {
  std::optional<TimePoint> expiration;
  std::optional<bool> suppress_indefinitely;
  std::optional<std::string> description;
};

class SuppressionService {
 public:
  SuppressionService(AuditStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Idempotent per clientRequestToken: repeating a create with the token that created the
  // suppression succeeds and changes nothing. Errors: kInvalidArgument for an unknown check, a
  // malformed resource identifier, neither or both of an expiration and
  // suppressIndefinitely=true, an expiration that is not in the future, a bad description or
  // token; kAlreadyExists if the key exists (created with another token).
  Result<AuditSuppression> Create(std::string_view account_id, const SuppressionSpec& spec);
  // kInvalidArgument for a bad check or identifier; kNotFound if there is none.
  Result<AuditSuppression> Describe(std::string_view account_id, std::string_view check_name,
                                    const ResourceIdentifier& resource);
  // kNotFound if there is none; kInvalidArgument as Create for the merged values.
  Result<AuditSuppression> Update(std::string_view account_id, std::string_view check_name,
                                  const ResourceIdentifier& resource,
                                  const SuppressionUpdate& update);
  // A missing suppression is a success (AWS lists no ResourceNotFound for this call).
  Result<void> Delete(std::string_view account_id, std::string_view check_name,
                      const ResourceIdentifier& resource);
  // Filtered by check and/or resource when set; ordered by expiration (AWS's ascendingOrder,
  // default true), an indefinite suppression counting as the latest, then by check and
  // resource.
  Result<Page<AuditSuppression>> List(std::string_view account_id,
                                      const std::optional<std::string>& check_name,
                                      const std::optional<ResourceIdentifier>& resource,
                                      bool ascending_order, const PageRequest& page);

 private:
  AuditStore& store_;
  const Clock& clock_;
};

}  // namespace fg::audit
