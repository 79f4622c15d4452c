#pragma once

// A CA certificate registered in one account.

#include <optional>
#include <string>

#include "core/clock.h"
#include "registry/enums.h"

namespace fg::registry {

// AWS RegistrationConfig: the just-in-time provisioning template attached to a CA.
struct RegistrationConfig {
  std::string template_body;
  std::string role_arn;
  std::string template_name;

  bool operator==(const RegistrationConfig&) const = default;
};

struct CaCertificateRecord {
  std::string account_id;
  std::string certificate_id;  // lowercase hex SHA-256 of the DER
  std::string pem;
  std::string subject;  // as pki::Certificate::Subject(); device certs are matched by issuer
  CaCertificateStatus status = CaCertificateStatus::kInactive;
  AutoRegistrationStatus auto_registration = AutoRegistrationStatus::kDisable;
  CertificateMode mode = CertificateMode::kDefault;
  std::string owned_by;
  TimePoint creation_date;
  TimePoint last_modified_date;
  int64_t customer_version = 1;
  std::string generation_id;
  TimePoint not_before;
  TimePoint not_after;
  RegistrationConfig registration_config;

  bool operator==(const CaCertificateRecord&) const = default;
};

}  // namespace fg::registry
