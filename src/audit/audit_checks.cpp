#include "audit/audit_checks.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "audit/audit_finding.h"

namespace fg::audit {
namespace {

// Which group of mitigation actions AWS allows for a check (dd-mitigation-actions table).
enum class ActionGroup { kDeviceCertificate, kCaCertificate, kPolicy, kLogging, kSnsOnly };

constexpr std::array<std::string_view, 1> kSharedCodes{kCertificateSharedReasonCode};
constexpr std::array<std::string_view, 1> kConflictingCodes{
    "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS"};
constexpr std::array<std::string_view, 2> kExpiringCodes{"CERTIFICATE_APPROACHING_EXPIRATION",
                                                         "CERTIFICATE_PAST_EXPIRATION"};
constexpr std::array<std::string_view, 1> kAgeCodes{"CERTIFICATE_PAST_AGE_THRESHOLD"};
constexpr std::array<std::string_view, 2> kKeyQualityCodes{
    "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361", "CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166"};
constexpr std::array<std::string_view, 1> kRevokedCodes{"CERTIFICATE_REVOKED_BY_ISSUER"};
constexpr std::array<std::string_view, 1> kIntermediateCodes{"INTERMEDIATE_CA_REVOKED_BY_ISSUER"};
constexpr std::array<std::string_view, 2> kUnauthCognitoCodes{
    "ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"};
constexpr std::array<std::string_view, 3> kAuthCognitoCodes{
    "ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS",
    "ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
    "ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS"};
constexpr std::array<std::string_view, 1> kPolicyPermissiveCodes{
    "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"};
constexpr std::array<std::string_view, 2> kPolicyMisconfigCodes{
    "POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT",
    "TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS"};
constexpr std::array<std::string_view, 6> kRoleAliasPermissiveCodes{
    "ALLOWS_BROAD_ACCESS_TO_USED_SERVICES",
    "ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES",
    "ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS",
    "ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS",
    "ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS",
    "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"};
constexpr std::array<std::string_view, 1> kRoleAliasUnusedCodes{"ALLOWS_ACCESS_TO_UNUSED_SERVICES"};
constexpr std::array<std::string_view, 1> kLoggingCodes{"LOGGING_DISABLED"};

struct CheckInfo {
  std::string_view name;
  std::span<const std::string_view> reason_codes;
  ActionGroup actions;
  bool supported;
};

// Sorted by name (AllAuditCheckNames relies on it).
constexpr std::array<CheckInfo, 17> kChecks{{
    {"AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", kAuthCognitoCodes, ActionGroup::kSnsOnly,
     false},
    {"CA_CERTIFICATE_EXPIRING_CHECK", kExpiringCodes, ActionGroup::kCaCertificate, false},
    {"CA_CERTIFICATE_KEY_QUALITY_CHECK", kKeyQualityCodes, ActionGroup::kCaCertificate, false},
    {"CONFLICTING_CLIENT_IDS_CHECK", kConflictingCodes, ActionGroup::kSnsOnly, false},
    // Not in any AWS table; by analogy with the other device-certificate checks.
    {"DEVICE_CERTIFICATE_AGE_CHECK", kAgeCodes, ActionGroup::kDeviceCertificate, false},
    {"DEVICE_CERTIFICATE_EXPIRING_CHECK", kExpiringCodes, ActionGroup::kDeviceCertificate, false},
    {"DEVICE_CERTIFICATE_KEY_QUALITY_CHECK", kKeyQualityCodes, ActionGroup::kDeviceCertificate,
     false},
    {kDeviceCertificateSharedCheck, kSharedCodes, ActionGroup::kDeviceCertificate, true},
    {"INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK", kIntermediateCodes,
     ActionGroup::kDeviceCertificate, false},
    {"IOT_POLICY_OVERLY_PERMISSIVE_CHECK", kPolicyPermissiveCodes, ActionGroup::kPolicy, false},
    {"IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK", kPolicyMisconfigCodes, ActionGroup::kPolicy,
     false},
    {"IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK", kRoleAliasUnusedCodes,
     ActionGroup::kSnsOnly, false},
    {"IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK", kRoleAliasPermissiveCodes, ActionGroup::kSnsOnly,
     false},
    {"LOGGING_DISABLED_CHECK", kLoggingCodes, ActionGroup::kLogging, false},
    {"REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK", kRevokedCodes, ActionGroup::kCaCertificate,
     false},
    {"REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK", kRevokedCodes,
     ActionGroup::kDeviceCertificate, false},
    {"UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", kUnauthCognitoCodes,
     ActionGroup::kSnsOnly, false},
}};

constexpr std::array<std::string_view, 17> kNames = [] {
  std::array<std::string_view, 17> names{};
  for (size_t i = 0; i < kChecks.size(); ++i) {
    names[i] = kChecks[i].name;
  }
  return names;
}();

// Legacy names still printed in AWS's suppression, mitigation and SNS-schema tables.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kLegacy{{
    {"REVOKED_CA_CERT_CHECK", "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK"},
    {"CA_CERT_APPROACHING_EXPIRATION_CHECK", "CA_CERTIFICATE_EXPIRING_CHECK"},
    {"DEVICE_CERT_APPROACHING_EXPIRATION_CHECK", "DEVICE_CERTIFICATE_EXPIRING_CHECK"},
    {"REVOKED_DEVICE_CERT_CHECK", "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK"},
    {"IOT_POLICY_UNRESTRICTED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK"},
    {"UNAUTHENTICATED_COGNITO_IDENTITY_UNRESTRICTED_ACCESS_CHECK",
     "UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK"},
    {"AUTHENTICATED_COGNITO_IDENTITY_UNRESTRICTED_ACCESS_CHECK",
     "AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK"},
}};

const CheckInfo* Find(std::string_view canonical) {
  for (const CheckInfo& info : kChecks) {
    if (info.name == canonical) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace

std::span<const std::string_view> AllAuditCheckNames() { return kNames; }

std::optional<std::string_view> CanonicalCheckName(std::string_view name) {
  if (const CheckInfo* info = Find(name)) {
    return info->name;
  }
  for (const auto& [legacy, current] : kLegacy) {
    if (legacy == name) {
      return current;
    }
  }
  return std::nullopt;
}

bool IsSupportedCheck(std::string_view canonical) {
  const CheckInfo* info = Find(canonical);
  return info != nullptr && info->supported;
}

std::span<const std::string_view> CheckReasonCodes(std::string_view canonical) {
  const CheckInfo* info = Find(canonical);
  if (info == nullptr) {
    return {};
  }
  return info->reason_codes;
}

bool IsActionAllowedForCheck(MitigationActionType type, std::string_view canonical) {
  const CheckInfo* info = Find(canonical);
  if (info == nullptr) {
    return false;
  }
  switch (type) {
    case MitigationActionType::kPublishFindingToSns:
      return true;
    case MitigationActionType::kUpdateDeviceCertificate:
    case MitigationActionType::kAddThingsToThingGroup:
      return info->actions == ActionGroup::kDeviceCertificate;
    case MitigationActionType::kUpdateCaCertificate:
      return info->actions == ActionGroup::kCaCertificate;
    case MitigationActionType::kReplaceDefaultPolicyVersion:
      return info->actions == ActionGroup::kPolicy;
    case MitigationActionType::kEnableIotLogging:
      return info->actions == ActionGroup::kLogging;
  }
  return false;
}

}  // namespace fg::audit
