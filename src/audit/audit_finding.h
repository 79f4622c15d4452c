#pragma once

// Audit findings as value types that mirror AWS IoT's AuditFinding shape (botocore iot
// 2015-05-28: AuditFinding, NonCompliantResource, RelatedResource, ResourceIdentifier). The API
// layer serialises these to rest-json; the audit task layer adds findingId, taskId,
// taskStartTime, findingTime and isSuppressed, which a check cannot know.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fg::audit {

enum class AuditSeverity { kCritical, kHigh, kMedium, kLow };

// "CRITICAL", "HIGH", "MEDIUM", "LOW" as on the wire.
std::string_view AuditSeverityName(AuditSeverity severity);

// The resource types a check in fleetguard produces so far (AWS ResourceType has more).
enum class ResourceType { kDeviceCertificate, kClientId };

// "DEVICE_CERTIFICATE", "CLIENT_ID" as on the wire.
std::string_view ResourceTypeName(ResourceType type);

// AWS's ResourceIdentifier is a union: exactly the member that matches the resource type is set
// (deviceCertificateId for DEVICE_CERTIFICATE, clientId for CLIENT_ID).
struct ResourceIdentifier {
  std::string device_certificate_id;
  std::string client_id;
  friend bool operator==(const ResourceIdentifier&, const ResourceIdentifier&) = default;
};

// Used for both nonCompliantResource and relatedResources; both have the same three members.
// additional_info is AWS's map<string,string>; ordered so that output is deterministic.
struct AuditResource {
  ResourceType type = ResourceType::kDeviceCertificate;
  ResourceIdentifier identifier;
  std::map<std::string, std::string> additional_info;
  friend bool operator==(const AuditResource&, const AuditResource&) = default;
};

struct AuditFinding {
  std::string check_name;
  AuditSeverity severity = AuditSeverity::kCritical;
  AuditResource non_compliant_resource;
  std::vector<AuditResource> related_resources;
  std::string reason_for_non_compliance;
  std::string reason_for_non_compliance_code;
  friend bool operator==(const AuditFinding&, const AuditFinding&) = default;
};

// DEVICE_CERTIFICATE_SHARED_CHECK's fixed strings, verbatim from AWS.
inline constexpr std::string_view kDeviceCertificateSharedCheck = "DEVICE_CERTIFICATE_SHARED_CHECK";
inline constexpr std::string_view kCertificateSharedReasonCode =
    "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
inline constexpr std::string_view kCertificateSharedReason =
    "Certificate shared by one or more devices.";

// additionalInfo keys. The first two are AWS's (epoch-millisecond strings); the rest are
// fleetguard's extra evidence, added beside AWS's keys and never replacing them.
inline constexpr std::string_view kConnectionTimeKey = "CONNECTION_TIME";
inline constexpr std::string_view kDisconnectionTimeKey = "DISCONNECTION_TIME";
inline constexpr std::string_view kSourceIpKey = "SOURCE_IP";
inline constexpr std::string_view kDisconnectReasonKey = "DISCONNECT_REASON";
inline constexpr std::string_view kOverlapMsKey = "OVERLAP_MS";
inline constexpr std::string_view kMaxConcurrentDevicesKey = "MAX_CONCURRENT_DEVICES";

}  // namespace fg::audit
