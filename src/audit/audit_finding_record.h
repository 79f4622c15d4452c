#pragma once

// A finding as stored and as ListAuditFindings / DescribeAuditFinding return it: the check's
// AuditFinding plus what only the task layer knows (ids, times, isSuppressed).

#include <string>
#include <string_view>

#include "audit/audit_finding.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// Findings (and audit tasks) are kept this long, as on AWS; then the scheduler purges them.
inline constexpr std::chrono::milliseconds kFindingRetention = std::chrono::hours(24 * 90);

struct AuditFindingRecord {
  std::string account_id;
  std::string finding_id;  // RFC 4122 v4 UUID, lowercase
  std::string task_id;
  TimePoint task_start_time;
  TimePoint finding_time;
  // True iff an active suppression covered the non-compliant resource when the finding was
  // made. Fixed at that time: later suppressions do not change stored findings (AWS applies
  // suppressions to audits that run after them).
  bool is_suppressed = false;
  AuditFinding finding;  // check_name is a current check name
  friend bool operator==(const AuditFindingRecord&, const AuditFindingRecord&) = default;
};

// A ResourceIdentifier as one string, the key that suppressions and finding filters compare:
// "deviceCertificateId:<64 lowercase hex>" or "clientId:<id>".
// Errors (kInvalidArgument): no member or more than one member set; a device certificate id
// that is not 64 hex digits (an optional "0x" prefix and uppercase are accepted and
// normalised); an empty or over-long (> 128) client id.
Result<std::string> ResourceKey(const ResourceIdentifier& identifier);

}  // namespace fg::audit
