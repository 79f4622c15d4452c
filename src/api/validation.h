#pragma once

// The model's scalar constraints (reference §2.2). Clients check only `required`, type and `min`,
// so the server enforces every `max` and `pattern` and answers InvalidRequestException.
// Pure functions; every failure is kInvalidArgument with a message naming the member.
//
// Patterns follow the model's Java regular expressions: \w and \p{Graph} are ASCII classes.
// Lengths are counted in UTF-16 code units, as the service counts them; a string that is not
// valid UTF-8 fails every check.

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "core/result.h"

namespace fg::api {

enum class Shape {
  kCertificateId,              // 64..64, (0x)?[a-fA-F0-9]+
  kRegistrationCode,           // 64..64, (0x)?[a-fA-F0-9]+
  kThingName,                  // 1..128, [a-zA-Z0-9:_-]+
  kThingGroupName,             // 1..128, [a-zA-Z0-9:_-]+
  kThingTypeName,              // 1..128, [a-zA-Z0-9:_-]+
  kBillingGroupName,           // 1..128, [a-zA-Z0-9:_-]+
  kPolicyName,                 // 1..128, [\w+=,.@-]+
  kScheduledAuditName,         // 1..128, [a-zA-Z0-9_-]+
  kMitigationActionName,       // ..128, [a-zA-Z0-9_-]+
  kAuditTaskId,                // 1..40, [a-zA-Z0-9\-]+
  kMitigationActionsTaskId,    // 1..128, [a-zA-Z0-9_-]+
  kFindingId,                  // 1..128, [a-zA-Z0-9_-]+
  kMarker,                     // ..1024, [A-Za-z0-9+/]+={0,2}
  kCertificatePem,             // 1..65536
  kCertificateSigningRequest,  // 1..4096
  kPolicyDocument,             // 0..404600
  kClientRequestToken,         // 1..64, ^[a-zA-Z0-9-_]+$
  kAttributeName,              // ..128, [a-zA-Z0-9_.,@/:#-]+
  kAttributeValue,             // ..800, [a-zA-Z0-9_.,@/:#=\[\]-]*
  kDayOfMonth,                 // 1..31 or LAST
  kAwsAccountId,               // 12..12, [0-9]+
  kMessage,                    // ..128
  kAuditDescription,           // ..1000, [\p{Graph}\x20]*
  kThingGroupDescription,      // ..2028, [\p{Graph}\x20]*
  kRoleArn,                    // 20..2048
  kTemplateName,               // 1..36, ^[0-9A-Za-z_-]+$
  kTemplateBody,               // 0..10240
  kTagKey,                     // 1..128, ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
  kTagValue,                   // 0..256
  kConfigValue,                // 1..64
  kEndpointType,               // ..128
};

// Checks `value` of member `member` against the shape's length range and pattern.
Result<void> Validate(Shape shape, std::string_view member, std::string_view value);

// PageSize / MaxResults / RegistryMaxResults: 1..250.
inline constexpr int64_t kMinPageSize = 1;
inline constexpr int64_t kMaxPageSize = 250;
Result<void> ValidatePageSize(std::string_view member, int64_t value);

// An integer in [min, max].
Result<void> ValidateRange(std::string_view member, int64_t value, int64_t min, int64_t max);

// A list with min..max elements (MitigationActionNameList 1..5, FindingIds 1..25, ...).
Result<void> ValidateListSize(std::string_view member, size_t size, size_t min, size_t max);

// One of the enum's values, compared exactly (AWS enums are case-sensitive).
Result<void> ValidateEnum(std::string_view member, std::string_view value,
                          std::initializer_list<std::string_view> allowed);

// Length in UTF-16 code units, or nullopt-equivalent -1 when `s` is not valid UTF-8.
int64_t Utf16Length(std::string_view s);

}  // namespace fg::api
