#include "audit/audit_finding_record.h"

#include <algorithm>
#include <iterator>

#include "core/hex.h"

namespace fg::audit {
namespace {

// MQTT client ids as AWS IoT accepts them (limits page: 128 bytes).
constexpr size_t kMaxClientIdLength = 128;

}  // namespace

Result<std::string> ResourceKey(const ResourceIdentifier& identifier) {
  const bool has_cert = !identifier.device_certificate_id.empty();
  const bool has_client = !identifier.client_id.empty();
  if (has_cert == has_client) {
    return Fail(ErrorCode::kInvalidArgument,
                "resourceIdentifier must set exactly one of deviceCertificateId and clientId");
  }
  if (has_cert) {
    std::string_view id = identifier.device_certificate_id;
    if (id.starts_with("0x")) {
      id.remove_prefix(2);
    }
    if (!IsHex(id, 64)) {
      return Fail(ErrorCode::kInvalidArgument, "deviceCertificateId must be 64 hex digits");
    }
    std::string key = "deviceCertificateId:";
    std::transform(id.begin(), id.end(), std::back_inserter(key), [](char c) {
      return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return key;
  }
  if (identifier.client_id.size() > kMaxClientIdLength) {
    return Fail(ErrorCode::kInvalidArgument, "clientId must be at most 128 characters");
  }
  return "clientId:" + identifier.client_id;
}

}  // namespace fg::audit
