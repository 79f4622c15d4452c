#pragma once

// CA certificates and CA registration codes. Every rule about CAs lives here.
//
// Every call names the calling account and sees only its CAs. Thread-safe if the store is;
// `store`, `events` and `clock` must outlive the service. Status changes are published after
// commit.
//
// Decisions: a DEFAULT-mode CA already registered in DEFAULT mode by another account of the
// same region gives kAlreadyExists with resource_id set and no resource_arn (the ARN would
// reveal the other account). A verification certificate passed for an SNI_ONLY registration
// is ignored.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "registry/ca_certificate_record.h"
#include "registry/page.h"
#include "registry/registry_store.h"
#include "registry/status_events.h"

namespace fg::registry {

struct RegisterCaRequest {
  std::string ca_certificate_pem;
  std::optional<std::string> verification_certificate_pem;  // required in DEFAULT mode
  bool set_as_active = false;
  bool allow_auto_registration = false;
  RegistrationConfig registration_config;
  CertificateMode mode = CertificateMode::kDefault;
};

struct UpdateCaRequest {
  std::optional<CaCertificateStatus> new_status;
  std::optional<AutoRegistrationStatus> new_auto_registration;
  std::optional<RegistrationConfig> registration_config;
  bool remove_auto_registration = false;  // sets DISABLE
};

class CaService {
 public:
  // At most this many CA certificates with the same subject per account (AWS quota).
  static constexpr size_t kMaxCasPerSubject = 10;

  CaService(RegistryStore& store, StatusEventPublisher& events, const Clock& clock)
      : store_(store), events_(events), clock_(clock) {}

  // AWS GetRegistrationCode: the account's 64-hex code, created on first use.
  Result<std::string> GetRegistrationCode(std::string_view account_id);
  // AWS DeleteRegistrationCode; kNotFound if the account has none. The next
  // GetRegistrationCode creates a new code.
  Result<void> DeleteRegistrationCode(std::string_view account_id);

  // AWS RegisterCACertificate. Errors, in the order checked: kInvalidArgument (auto-registration
  // in SNI_ONLY mode, no verification certificate in DEFAULT mode, bad registration config);
  // kCertificateValidation (unparsable, not a CA, signature algorithm not allowed, outside its
  // validity at clock time, unparsable verification certificate, verification certificate not
  // signed by the CA's key); kAlreadyExists (already registered in this account, with id and
  // ARN; or DEFAULT mode in another account of the region); kRegistrationCodeValidation (no
  // registration code, or the verification certificate's CN is not the code); kLimitExceeded
  // (10 CAs with this subject already).
  Result<CaCertificateRecord> Register(std::string_view account_id,
                                       const RegisterCaRequest& request);

  // kInvalidArgument for a malformed id; kNotFound if not registered in this account.
  Result<CaCertificateRecord> Describe(std::string_view account_id,
                                       std::string_view certificate_id);
  // In (creation date, id) order, in page.order. A non-empty `template_name` keeps only the CAs
  // whose registration config names that template (AWS ListCACertificates templateName).
  Result<Page<CaCertificateRecord>> List(std::string_view account_id, const PageRequest& page,
                                         std::string_view template_name = "");

  // AWS UpdateCACertificate. kInvalidArgument when enabling auto-registration on an SNI_ONLY
  // CA or combining ENABLE with remove_auto_registration.
  Result<void> Update(std::string_view account_id, std::string_view certificate_id,
                      const UpdateCaRequest& request);

  // AWS DeleteCACertificate: kCertificateState unless INACTIVE and no certificate registered in
  // this account references it.
  Result<void> Delete(std::string_view account_id, std::string_view certificate_id);

 private:
  RegistryStore& store_;
  StatusEventPublisher& events_;
  const Clock& clock_;
};

}  // namespace fg::registry
