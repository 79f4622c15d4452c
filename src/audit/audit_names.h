#pragma once

// Validation of the identifiers and free-text fields of the audit API, with the limits of the
// AWS model (aws-iot-api.md section 2.2). Every function returns kInvalidArgument with a message
// naming the field; none echoes the input.

#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::audit {

// ScheduledAuditName: 1..128 of [a-zA-Z0-9_-].
Result<void> ValidateScheduledAuditName(std::string_view name);
// MitigationActionName: 1..128 of [a-zA-Z0-9_-] (the model's min is 0; an empty name could
// not appear in a URI path).
Result<void> ValidateMitigationActionName(std::string_view name);
// MitigationActionsTaskId: 1..128 of [a-zA-Z0-9_-].
Result<void> ValidateMitigationTaskId(std::string_view task_id);
// AuditTaskId: 1..40 of [a-zA-Z0-9-].
Result<void> ValidateAuditTaskId(std::string_view task_id);
// FindingId: 1..128 of [a-zA-Z0-9_-].
Result<void> ValidateFindingId(std::string_view finding_id);
// ClientRequestToken: 1..64 of [a-zA-Z0-9_-].
Result<void> ValidateClientRequestToken(std::string_view token);
// RoleArn: 20..2048 characters.
Result<void> ValidateRoleArn(std::string_view field, std::string_view arn);
// AuditDescription: at most 1000 characters, printable ASCII or space (the model's
// [\p{Graph}\x20]*, restricted to ASCII).
Result<void> ValidateAuditDescription(std::string_view description);

}  // namespace fg::audit
