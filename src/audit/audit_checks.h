#pragma once

// The catalogue of AWS IoT Device Defender audit checks (audit-semantics.md section 1): the 17
// current check names, the legacy names AWS's docs still show (accepted on input only), each
// check's reason codes, which mitigation action types AWS allows for it (section 4), and which
// checks fleetguard actually runs.
//
// Policy for checks fleetguard does not run: they may be enabled in the account configuration,
// named in scheduled audits and on-demand tasks, exactly as on AWS, so that scripts written for
// AWS work unchanged. When an audit task reaches such a check, its checkRunStatus is FAILED with
// errorCode kCheckNotSupportedErrorCode and a message saying fleetguard does not run it; the
// rest of the task runs normally. A name that is not an AWS check at all is kInvalidArgument.
//
// Pure functions; thread-safe.

#include <optional>
#include <span>
#include <string_view>

#include "audit/audit_enums.h"

namespace fg::audit {

// AuditCheckDetails.errorCode values. The first is AWS's (the check was disabled between the
// task's start and its run); the other two are fleetguard's.
inline constexpr std::string_view kAuditCheckDisabledErrorCode = "AUDIT_CHECK_DISABLED";
inline constexpr std::string_view kCheckNotSupportedErrorCode = "CHECK_NOT_SUPPORTED";
inline constexpr std::string_view kCheckInternalErrorCode = "INTERNAL_FAILURE";

// The 17 current AWS check names, in a fixed order (alphabetical).
std::span<const std::string_view> AllAuditCheckNames();

// The current name for a current or legacy check name (for example REVOKED_CA_CERT_CHECK ->
// REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK); nullopt for anything else. Case-sensitive.
std::optional<std::string_view> CanonicalCheckName(std::string_view name);

// True for the checks fleetguard runs (DEVICE_CERTIFICATE_SHARED_CHECK so far).
// REQUIRES: `canonical` is a current check name.
bool IsSupportedCheck(std::string_view canonical);

// The reasonForNonComplianceCode values the check can produce.
// REQUIRES: `canonical` is a current check name.
std::span<const std::string_view> CheckReasonCodes(std::string_view canonical);

// AWS's table of which action types may mitigate which check's findings
// (PUBLISH_FINDING_TO_SNS: every check).
// REQUIRES: `canonical` is a current check name.
bool IsActionAllowedForCheck(MitigationActionType type, std::string_view canonical);

}  // namespace fg::audit
