#pragma once

// An audit finding suppression (AWS CreateAuditSuppression / DescribeAuditSuppression) as
// stored. Suppressed findings are still produced, flagged isSuppressed, not counted as
// non-compliant, and never mitigated.

#include <optional>
#include <string>

#include "audit/audit_finding.h"
#include "core/clock.h"

namespace fg::audit {

struct AuditSuppression {
  std::string account_id;
  std::string check_name;  // current check name
  ResourceIdentifier resource;
  std::string resource_key;  // ResourceKey(resource); with check_name, the key in the account
  // Exactly one of the two is meaningful: an expiration, or suppress_indefinitely.
  std::optional<TimePoint> expiration;
  bool suppress_indefinitely = false;
  std::string description;           // at most 1000 printable characters
  std::string client_request_token;  // the creating request's idempotency token
  friend bool operator==(const AuditSuppression&, const AuditSuppression&) = default;

  // Whether it suppresses findings made at `at`: indefinitely, or until its expiration
  // (exclusive).
  bool IsActiveAt(TimePoint at) const {
    return suppress_indefinitely || (expiration.has_value() && at < *expiration);
  }
};

}  // namespace fg::audit
