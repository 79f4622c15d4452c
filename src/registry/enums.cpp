#include "registry/enums.h"

#include <array>
#include <string>
#include <utility>

namespace fg::registry {
namespace {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<CertificateStatus, 6> kCertificateStatusNames{{
    {CertificateStatus::kActive, "ACTIVE"},
    {CertificateStatus::kInactive, "INACTIVE"},
    {CertificateStatus::kRevoked, "REVOKED"},
    {CertificateStatus::kPendingTransfer, "PENDING_TRANSFER"},
    {CertificateStatus::kRegisterInactive, "REGISTER_INACTIVE"},
    {CertificateStatus::kPendingActivation, "PENDING_ACTIVATION"},
}};

constexpr NameTable<CaCertificateStatus, 2> kCaStatusNames{{
    {CaCertificateStatus::kActive, "ACTIVE"},
    {CaCertificateStatus::kInactive, "INACTIVE"},
}};

constexpr NameTable<AutoRegistrationStatus, 2> kAutoRegistrationNames{{
    {AutoRegistrationStatus::kEnable, "ENABLE"},
    {AutoRegistrationStatus::kDisable, "DISABLE"},
}};

constexpr NameTable<CertificateMode, 2> kModeNames{{
    {CertificateMode::kDefault, "DEFAULT"},
    {CertificateMode::kSniOnly, "SNI_ONLY"},
}};

constexpr NameTable<ThingPrincipalType, 2> kPrincipalTypeNames{{
    {ThingPrincipalType::kExclusiveThing, "EXCLUSIVE_THING"},
    {ThingPrincipalType::kNonExclusiveThing, "NON_EXCLUSIVE_THING"},
}};

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) {
      return name;
    }
  }
  return "UNKNOWN";
}

template <typename E, size_t N>
Result<E> ParseName(const NameTable<E, N>& table, std::string_view what, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) {
      return value;
    }
  }
  std::string message = "invalid ";
  message += what;
  message += " '";
  // Echo at most a short prefix of untrusted input back into the message.
  message += s.substr(0, 64);
  message += "'";
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::string_view ToString(CertificateStatus v) { return NameOf(kCertificateStatusNames, v); }
std::string_view ToString(CaCertificateStatus v) { return NameOf(kCaStatusNames, v); }
std::string_view ToString(AutoRegistrationStatus v) { return NameOf(kAutoRegistrationNames, v); }
std::string_view ToString(CertificateMode v) { return NameOf(kModeNames, v); }
std::string_view ToString(ThingPrincipalType v) { return NameOf(kPrincipalTypeNames, v); }

Result<CertificateStatus> ParseCertificateStatus(std::string_view s) {
  return ParseName(kCertificateStatusNames, "certificate status", s);
}
Result<CaCertificateStatus> ParseCaCertificateStatus(std::string_view s) {
  return ParseName(kCaStatusNames, "CA certificate status", s);
}
Result<AutoRegistrationStatus> ParseAutoRegistrationStatus(std::string_view s) {
  return ParseName(kAutoRegistrationNames, "auto-registration status", s);
}
Result<CertificateMode> ParseCertificateMode(std::string_view s) {
  return ParseName(kModeNames, "certificate mode", s);
}
Result<ThingPrincipalType> ParseThingPrincipalType(std::string_view s) {
  return ParseName(kPrincipalTypeNames, "thing principal type", s);
}

}  // namespace fg::registry
