#include "registry/enums.h"

#include "core/name_table.h"

namespace fg::registry {
namespace {

constexpr NameTable<CertificateStatus, 6> kCertificateStatusNames{
    "certificate status",
    {{
        {CertificateStatus::kActive, "ACTIVE"},
        {CertificateStatus::kInactive, "INACTIVE"},
        {CertificateStatus::kRevoked, "REVOKED"},
        {CertificateStatus::kPendingTransfer, "PENDING_TRANSFER"},
        {CertificateStatus::kRegisterInactive, "REGISTER_INACTIVE"},
        {CertificateStatus::kPendingActivation, "PENDING_ACTIVATION"},
    }}};

constexpr NameTable<CaCertificateStatus, 2> kCaStatusNames{
    "CA certificate status",
    {{
        {CaCertificateStatus::kActive, "ACTIVE"},
        {CaCertificateStatus::kInactive, "INACTIVE"},
    }}};

constexpr NameTable<AutoRegistrationStatus, 2> kAutoRegistrationNames{
    "auto-registration status",
    {{
        {AutoRegistrationStatus::kEnable, "ENABLE"},
        {AutoRegistrationStatus::kDisable, "DISABLE"},
    }}};

constexpr NameTable<CertificateMode, 2> kModeNames{"certificate mode",
                                                   {{
                                                       {CertificateMode::kDefault, "DEFAULT"},
                                                       {CertificateMode::kSniOnly, "SNI_ONLY"},
                                                   }}};

constexpr NameTable<ThingPrincipalType, 2> kPrincipalTypeNames{
    "thing principal type",
    {{
        {ThingPrincipalType::kExclusiveThing, "EXCLUSIVE_THING"},
        {ThingPrincipalType::kNonExclusiveThing, "NON_EXCLUSIVE_THING"},
    }}};

}  // namespace

std::string_view ToString(CertificateStatus v) { return kCertificateStatusNames.Name(v); }
std::string_view ToString(CaCertificateStatus v) { return kCaStatusNames.Name(v); }
std::string_view ToString(AutoRegistrationStatus v) { return kAutoRegistrationNames.Name(v); }
std::string_view ToString(CertificateMode v) { return kModeNames.Name(v); }
std::string_view ToString(ThingPrincipalType v) { return kPrincipalTypeNames.Name(v); }

Result<CertificateStatus> ParseCertificateStatus(std::string_view s) {
  return kCertificateStatusNames.Parse(s);
}
Result<CaCertificateStatus> ParseCaCertificateStatus(std::string_view s) {
  return kCaStatusNames.Parse(s);
}
Result<AutoRegistrationStatus> ParseAutoRegistrationStatus(std::string_view s) {
  return kAutoRegistrationNames.Parse(s);
}
Result<CertificateMode> ParseCertificateMode(std::string_view s) { return kModeNames.Parse(s); }
Result<ThingPrincipalType> ParseThingPrincipalType(std::string_view s) {
  return kPrincipalTypeNames.Parse(s);
}

}  // namespace fg::registry
