#include "audit/audit_names.h"

#include <algorithm>

namespace fg::audit {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

Result<void> ValidateToken(std::string_view field, std::string_view s, size_t max,
                           std::string_view extra) {
  if (s.empty() || s.size() > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " must be 1 to " + std::to_string(max) + " characters");
  }
  const bool ok = std::all_of(s.begin(), s.end(), [&](char c) {
    return IsAlnum(c) || extra.find(c) != std::string_view::npos;
  });
  if (!ok) {
    std::string allowed;
    for (char c : extra) {
      allowed += " '";
      allowed += c;
      allowed += "'";
    }
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " may contain only letters, digits and" + allowed);
  }
  return Ok();
}

}  // namespace

Result<void> ValidateScheduledAuditName(std::string_view name) {
  return ValidateToken("scheduledAuditName", name, 128, "_-");
}

Result<void> ValidateMitigationActionName(std::string_view name) {
  return ValidateToken("actionName", name, 128, "_-");
}

Result<void> ValidateMitigationTaskId(std::string_view task_id) {
  return ValidateToken("taskId", task_id, 128, "_-");
}

Result<void> ValidateAuditTaskId(std::string_view task_id) {
  return ValidateToken("taskId", task_id, 40, "-");
}

Result<void> ValidateFindingId(std::string_view finding_id) {
  return ValidateToken("findingId", finding_id, 128, "_-");
}

Result<void> ValidateClientRequestToken(std::string_view token) {
  return ValidateToken("clientRequestToken", token, 64, "_-");
}

Result<void> ValidateRoleArn(std::string_view field, std::string_view arn) {
  if (arn.size() < 20 || arn.size() > 2048) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must be 20 to 2048 characters");
  }
  return Ok();
}

Result<void> ValidateAuditDescription(std::string_view description) {
  if (description.size() > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "description must be at most 1000 characters");
  }
  const bool printable = std::all_of(description.begin(), description.end(),
                                     [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!printable) {
    return Fail(ErrorCode::kInvalidArgument,
                "description may contain only printable characters and spaces");
  }
  return Ok();
}

}  // namespace fg::audit
