#pragma once

// Validation of the identifiers and free-text fields the registry accepts, with the limits of
// the AWS model (aws-iot-api.md §2.2). Every function returns kInvalidArgument with a message
// naming the field; none echoes more than a short prefix of the input.

#include <string>
#include <string_view>

#include "core/result.h"
#include "registry/thing.h"

namespace fg::registry {

// 12 decimal digits.
Result<void> ValidateAccountId(std::string_view account_id);
// 64 hex digits, optionally prefixed "0x" (the model's pattern); returns the canonical
// lowercase form without prefix, which is how ids are stored.
Result<std::string> NormalizeCertificateId(std::string_view certificate_id);
// Lowercase letters, digits and '-', 1..32 characters ("us-east-1").
Result<void> ValidateRegion(std::string_view region);
// ThingName / ThingGroupName / ThingTypeName: 1..128 of [a-zA-Z0-9:_-].
Result<void> ValidateThingName(std::string_view name);
Result<void> ValidateThingGroupName(std::string_view name);
Result<void> ValidateThingTypeName(std::string_view name);
// Attribute names ..128 of [a-zA-Z0-9_.,@/:#-] (non-empty), values ..800 of
// [a-zA-Z0-9_.,@/:#=[]-]; at most 50 attributes.
Result<void> ValidateAttributes(const Attributes& attributes);
// Message/rejectReason: at most 128 characters.
Result<void> ValidateMessage(std::string_view field, std::string_view text);

}  // namespace fg::registry
