#include "registry/names.h"

#include <algorithm>

#include "core/hex.h"

namespace fg::registry {
namespace {

constexpr size_t kMaxNameLength = 128;
constexpr size_t kMaxAttributeValueLength = 800;
constexpr size_t kMaxAttributes = 50;
constexpr size_t kMaxMessageLength = 128;
constexpr size_t kMaxRegionLength = 32;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool AllOf(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return IsAlnum(c) || extra.find(c) != std::string_view::npos; });
}

tl::unexpected<Error> Invalid(std::string_view field, std::string_view why) {
  std::string message(field);
  message += ' ';
  message += why;
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

Result<void> ValidateRegistryName(std::string_view field, std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return Invalid(field, "must be 1 to 128 characters");
  }
  if (!AllOf(name, ":_-")) {
    return Invalid(field, "may contain only letters, digits, ':', '_' and '-'");
  }
  return Ok();
}

}  // namespace

Result<void> ValidateAccountId(std::string_view account_id) {
  if (account_id.size() != 12 || !std::all_of(account_id.begin(), account_id.end(),
                                              [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid("account id", "must be 12 digits");
  }
  return Ok();
}

Result<std::string> NormalizeCertificateId(std::string_view certificate_id) {
  if (certificate_id.starts_with("0x")) {
    certificate_id.remove_prefix(2);
  }
  if (!IsHex(certificate_id, 64)) {
    return Invalid("certificate id", "must be 64 hex digits");
  }
  std::string out(certificate_id);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

Result<void> ValidateRegion(std::string_view region) {
  const bool ok = !region.empty() && region.size() <= kMaxRegionLength &&
                  std::all_of(region.begin(), region.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                  });
  if (!ok) {
    return Invalid("region", "must be 1 to 32 lowercase letters, digits or '-'");
  }
  return Ok();
}

Result<void> ValidateThingName(std::string_view name) {
  return ValidateRegistryName("thing name", name);
}

Result<void> ValidateThingGroupName(std::string_view name) {
  return ValidateRegistryName("thing group name", name);
}

Result<void> ValidateThingTypeName(std::string_view name) {
  return ValidateRegistryName("thing type name", name);
}

Result<void> ValidateAttributes(const Attributes& attributes) {
  if (attributes.size() > kMaxAttributes) {
    return Invalid("attributes", "may hold at most 50 entries");
  }
  for (const auto& [name, value] : attributes) {
    if (name.empty() || name.size() > kMaxNameLength || !AllOf(name, "_.,@/:#-")) {
      return Invalid("attribute name", "must be 1 to 128 of [a-zA-Z0-9_.,@/:#-]");
    }
    if (value.size() > kMaxAttributeValueLength || !AllOf(value, "_.,@/:#=[]-")) {
      return Invalid("attribute value", "must be at most 800 of [a-zA-Z0-9_.,@/:#=[]-]");
    }
  }
  return Ok();
}

Result<void> ValidateMessage(std::string_view field, std::string_view text) {
  if (text.size() > kMaxMessageLength) {
    return Invalid(field, "must be at most 128 characters");
  }
  return Ok();
}

}  // namespace fg::registry
