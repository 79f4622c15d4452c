#include "api/validation.h"

#include <string>

namespace fg::api {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Every byte is alphanumeric or one of `extra`; an empty value matches only when `allow_empty`.
bool AllOf(std::string_view value, std::string_view extra, bool allow_empty) {
  if (value.empty()) {
    return allow_empty;
  }
  for (char c : value) {
    if (!IsAsciiAlnum(c) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool AnyText(std::string_view) { return true; }
bool NameChars(std::string_view v) { return AllOf(v, ":_-", false); }
bool PolicyNameChars(std::string_view v) { return AllOf(v, "_+=,.@-", false); }
bool IdChars(std::string_view v) { return AllOf(v, "_-", false); }
bool AuditTaskIdChars(std::string_view v) { return AllOf(v, "-", false); }
bool AttributeNameChars(std::string_view v) { return AllOf(v, "_.,@/:#-", false); }
bool AttributeValueChars(std::string_view v) { return AllOf(v, "_.,@/:#=[]-", true); }
bool Digits(std::string_view v) {
  return !v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos;
}

bool HexId(std::string_view v) {
  if (v.size() >= 2 && v[0] == '0' && v[1] == 'x') {
    v.remove_prefix(2);
  }
  if (v.empty()) {
    return false;
  }
  for (char c : v) {
    if (!IsHexDigit(c)) {
      return false;
    }
  }
  return true;
}

bool MarkerChars(std::string_view v) {
  size_t pad = 0;
  while (pad < v.size() && v[v.size() - 1 - pad] == '=') {
    ++pad;
  }
  if (pad > 2) {
    return false;
  }
  return AllOf(v.substr(0, v.size() - pad), "+/", false);
}

bool GraphOrSpace(std::string_view v) {
  for (char c : v) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

// \p{L}\p{Z}\p{N} are Unicode classes; without ICU we accept every non-ASCII code point (the
// UTF-8 check has already run) and check the ASCII ones exactly.
bool TagKeyChars(std::string_view v) {
  for (char c : v) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || IsAsciiAlnum(c) || c == ' ' ||
        std::string_view("_.:/=+-@").find(c) != std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

bool DayOfMonthChars(std::string_view v) {
  if (v == "LAST") {
    return true;
  }
  if (v.empty() || v.size() > 2 || !Digits(v) || v[0] == '0') {
    return false;
  }
  int day = v.size() == 1 ? v[0] - '0' : (v[0] - '0') * 10 + (v[1] - '0');
  return day >= 1 && day <= 31;
}

struct ShapeRule {
  int64_t min_len;
  int64_t max_len;
  bool (*matches)(std::string_view);
  std::string_view pattern;  // for the message
};

ShapeRule RuleFor(Shape shape) {
  switch (shape) {
    case Shape::kCertificateId:
      return {64, 64, HexId, "(0x)?[a-fA-F0-9]+"};
    case Shape::kRegistrationCode:
      return {64, 64, HexId, "(0x)?[a-fA-F0-9]+"};
    case Shape::kThingName:
      return {1, 128, NameChars, "[a-zA-Z0-9:_-]+"};
    case Shape::kThingGroupName:
      return {1, 128, NameChars, "[a-zA-Z0-9:_-]+"};
    case Shape::kThingTypeName:
      return {1, 128, NameChars, "[a-zA-Z0-9:_-]+"};
    case Shape::kBillingGroupName:
      return {1, 128, NameChars, "[a-zA-Z0-9:_-]+"};
    case Shape::kPolicyName:
      return {1, 128, PolicyNameChars, "[\\w+=,.@-]+"};
    case Shape::kScheduledAuditName:
      return {1, 128, IdChars, "[a-zA-Z0-9_-]+"};
    case Shape::kMitigationActionName:
      return {0, 128, IdChars, "[a-zA-Z0-9_-]+"};
    case Shape::kAuditTaskId:
      return {1, 40, AuditTaskIdChars, "[a-zA-Z0-9\\-]+"};
    case Shape::kMitigationActionsTaskId:
      return {1, 128, IdChars, "[a-zA-Z0-9_-]+"};
    case Shape::kFindingId:
      return {1, 128, IdChars, "[a-zA-Z0-9_-]+"};
    case Shape::kMarker:
      return {0, 1024, MarkerChars, "[A-Za-z0-9+/]+={0,2}"};
    case Shape::kCertificatePem:
      return {1, 65536, AnyText, ""};
    case Shape::kCertificateSigningRequest:
      return {1, 4096, AnyText, ""};
    case Shape::kPolicyDocument:
      return {0, 404600, AnyText, ""};
    case Shape::kClientRequestToken:
      return {1, 64, IdChars, "^[a-zA-Z0-9-_]+$"};
    case Shape::kAttributeName:
      return {0, 128, AttributeNameChars, "[a-zA-Z0-9_.,@/:#-]+"};
    case Shape::kAttributeValue:
      return {0, 800, AttributeValueChars, "[a-zA-Z0-9_.,@/:#=\\[\\]-]*"};
    case Shape::kDayOfMonth:
      return {0, 4, DayOfMonthChars, "^([1-9]|[12][0-9]|3[01])$|^LAST$"};
    case Shape::kAwsAccountId:
      return {12, 12, Digits, "[0-9]+"};
    case Shape::kMessage:
      return {0, 128, AnyText, ""};
    case Shape::kAuditDescription:
      return {0, 1000, GraphOrSpace, "[\\p{Graph}\\x20]*"};
    case Shape::kThingGroupDescription:
      return {0, 2028, GraphOrSpace, "[\\p{Graph}\\x20]*"};
    case Shape::kRoleArn:
      return {20, 2048, AnyText, ""};
    case Shape::kTemplateName:
      return {1, 36, IdChars, "^[0-9A-Za-z_-]+$"};
    case Shape::kTemplateBody:
      return {0, 10240, AnyText, ""};
    case Shape::kTagKey:
      return {1, 128, TagKeyChars, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"};
    case Shape::kTagValue:
      return {0, 256, AnyText, ""};
    case Shape::kConfigValue:
      return {1, 64, AnyText, ""};
    case Shape::kEndpointType:
      return {0, 128, AnyText, ""};
  }
  return {0, 0, AnyText, ""};
}

}  // namespace

int64_t Utf16Length(std::string_view s) {
  int64_t units = 0;
  size_t i = 0;
  while (i < s.size()) {
    auto b0 = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return -1;
    }
    if (i + len > s.size()) {
      return -1;
    }
    for (size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (b & 0x3Fu);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF (RFC 3629 §3).
    static constexpr uint32_t kMinForLen[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    units += cp >= 0x10000 ? 2 : 1;
    i += len;
  }
  return units;
}

Result<void> Validate(Shape shape, std::string_view member, std::string_view value) {
  ShapeRule rule = RuleFor(shape);
  int64_t length = Utf16Length(value);
  std::string name(member);
  if (length < 0) {
    return Fail(ErrorCode::kInvalidArgument, "Value at '" + name + "' is not valid UTF-8");
  }
  if (length < rule.min_len) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value at '" + name + "' failed to satisfy constraint: Member must have length " +
                    "greater than or equal to " + std::to_string(rule.min_len));
  }
  if (length > rule.max_len) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value at '" + name + "' failed to satisfy constraint: Member must have length " +
                    "less than or equal to " + std::to_string(rule.max_len));
  }
  // Length 0 is governed by min_len alone; patterns with '+' would otherwise reject it twice.
  if (!value.empty() && !rule.matches(value)) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value at '" + name +
                    "' failed to satisfy constraint: Member must satisfy regular expression " +
                    "pattern: " + std::string(rule.pattern));
  }
  return Ok();
}

Result<void> ValidateRange(std::string_view member, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value '" + std::to_string(value) + "' at '" + std::string(member) +
                    "' failed to satisfy constraint: Member must have value between " +
                    std::to_string(min) + " and " + std::to_string(max));
  }
  return Ok();
}

Result<void> ValidatePageSize(std::string_view member, int64_t value) {
  return ValidateRange(member, value, kMinPageSize, kMaxPageSize);
}

Result<void> ValidateListSize(std::string_view member, size_t size, size_t min, size_t max) {
  if (size < min || size > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value at '" + std::string(member) +
                    "' failed to satisfy constraint: Member must have between " +
                    std::to_string(min) + " and " + std::to_string(max) + " elements");
  }
  return Ok();
}

Result<void> ValidateEnum(std::string_view member, std::string_view value,
                          std::initializer_list<std::string_view> allowed) {
  std::string set;
  for (std::string_view candidate : allowed) {
    if (candidate == value) {
      return Ok();
    }
    set += set.empty() ? "" : ", ";
    set += candidate;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "Value at '" + std::string(member) +
                  "' failed to satisfy constraint: Member must satisfy enum value set: [" + set +
                  "]");
}

}  // namespace fg::api
