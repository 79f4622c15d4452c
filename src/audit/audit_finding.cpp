#include "audit/audit_finding.h"

namespace fg::audit {

std::string_view AuditSeverityName(AuditSeverity severity) {
  switch (severity) {
    case AuditSeverity::kCritical:
      return "CRITICAL";
    case AuditSeverity::kHigh:
      return "HIGH";
    case AuditSeverity::kMedium:
      return "MEDIUM";
    case AuditSeverity::kLow:
      return "LOW";
  }
  return "CRITICAL";
}

std::string_view ResourceTypeName(ResourceType type) {
  switch (type) {
    case ResourceType::kDeviceCertificate:
      return "DEVICE_CERTIFICATE";
    case ResourceType::kClientId:
      return "CLIENT_ID";
  }
  return "DEVICE_CERTIFICATE";
}

}  // namespace fg::audit
