#pragma once

// The registry's enumerations and their AWS wire names (botocore model, aws-iot-api.md §3).
// ToString returns the exact wire name; Parse accepts exactly the wire name (case-sensitive,
// as AWS does) and returns kInvalidArgument naming the rejected value otherwise.

#include <string_view>

#include "core/result.h"

namespace fg::registry {

enum class CertificateStatus {
  kActive,
  kInactive,
  kRevoked,
  kPendingTransfer,
  kRegisterInactive,
  kPendingActivation,
};

enum class CaCertificateStatus { kActive, kInactive };

enum class AutoRegistrationStatus { kEnable, kDisable };

// DEFAULT: the certificate is bound to one account and authenticates without SNI routing.
// SNI_ONLY: registered without a CA (multi-account registration); the device must send SNI.
enum class CertificateMode { kDefault, kSniOnly };

enum class ThingPrincipalType { kExclusiveThing, kNonExclusiveThing };

std::string_view ToString(CertificateStatus v);
std::string_view ToString(CaCertificateStatus v);
std::string_view ToString(AutoRegistrationStatus v);
std::string_view ToString(CertificateMode v);
std::string_view ToString(ThingPrincipalType v);

Result<CertificateStatus> ParseCertificateStatus(std::string_view s);
Result<CaCertificateStatus> ParseCaCertificateStatus(std::string_view s);
Result<AutoRegistrationStatus> ParseAutoRegistrationStatus(std::string_view s);
Result<CertificateMode> ParseCertificateMode(std::string_view s);
Result<ThingPrincipalType> ParseThingPrincipalType(std::string_view s);

}  // namespace fg::registry
