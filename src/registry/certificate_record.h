#pragma once

// A device certificate as registered in one account. The same certificate (same id) may be
// registered in several accounts (multi-account registration), so a record is identified by
// (account_id, certificate_id).

#include <optional>
#include <string>

#include "core/clock.h"
#include "registry/enums.h"

namespace fg::registry {

// The state of the certificate's latest transfer (AWS TransferData plus the target account).
// Present from TransferCertificate until the transfer is cancelled; kept after acceptance or
// rejection so that acting on a completed transfer can be recognised.
struct TransferData {
  std::string target_account_id;
  std::string transfer_message;
  std::string reject_reason;
  std::optional<TimePoint> transfer_date;
  std::optional<TimePoint> accept_date;
  std::optional<TimePoint> reject_date;

  bool Completed() const { return accept_date.has_value() || reject_date.has_value(); }
  bool operator==(const TransferData&) const = default;
};

struct CertificateRecord {
  std::string account_id;
  std::string certificate_id;  // lowercase hex SHA-256 of the DER
  std::string pem;
  CertificateStatus status = CertificateStatus::kInactive;
  CertificateMode mode = CertificateMode::kDefault;
  // The registered CA (in the same account) that signed it; empty for certificates issued by
  // fleetguard itself and for SNI_ONLY registrations.
  std::optional<std::string> ca_certificate_id;
  std::string owned_by;
  std::optional<std::string> previous_owned_by;
  TimePoint creation_date;
  TimePoint last_modified_date;
  int64_t customer_version = 1;  // incremented on every change
  std::string generation_id;     // new uuid on every change
  TimePoint not_before;
  TimePoint not_after;
  std::optional<TransferData> transfer;

  bool operator==(const CertificateRecord&) const = default;
};

}  // namespace fg::registry
