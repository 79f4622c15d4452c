#pragma once

// Device certificates: issuing, registration, status, deletion and transfers between accounts.
// Every rule about device certificates lives here (the REST layer only maps errors).
//
// Every call names the calling account and sees only that account's certificates; a
// certificate id registered in another account is "not found" here. Every call runs in one
// store transaction; status-change events are published after it commits.
//
// Thread-safe if the store is. `store`, `events`, `clock` and `issuer` must outlive the
// service.
//
// Decisions beyond the AWS documentation (see the methods for details):
// - A DEFAULT-mode registration of a certificate already registered in DEFAULT mode in another
//   account is refused with kCertificateConflict (multi-account registration is SNI_ONLY only).
// - A certificate registered with an SNI_ONLY CA gets mode SNI_ONLY; with a DEFAULT CA, DEFAULT.
// - SNI_ONLY certificates are not transferred (kInvalidArgument): register them in the other
//   account instead. On acceptance, the CA link is kept only if the target account has the same
//   CA registered.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "pki/authority.h"
#include "registry/certificate_record.h"
#include "registry/page.h"
#include "registry/registry_store.h"
#include "registry/status_events.h"

namespace fg::registry {

struct CreatedCertificate {
  CertificateRecord record;
  std::string private_key_pem;  // empty for CreateCertificateFromCsr
  std::string public_key_pem;
};

struct RegisterCertificateRequest {
  std::string certificate_pem;
  std::optional<std::string> ca_certificate_pem;
  // ACTIVE, INACTIVE or REVOKED (the documented values); INACTIVE when unset.
  std::optional<CertificateStatus> status;
};

class CertificateService {
 public:
  CertificateService(RegistryStore& store, StatusEventPublisher& events, const Clock& clock,
                     const pki::CertificateAuthority& issuer)
      : store_(store), events_(events), clock_(clock), issuer_(issuer) {}

  // AWS CreateKeysAndCertificate: a new key pair and a certificate signed by `issuer`, in
  // DEFAULT mode without a registered CA; ACTIVE if `set_as_active`, else INACTIVE.
  Result<CreatedCertificate> CreateKeysAndCertificate(std::string_view account_id,
                                                      bool set_as_active);
  // AWS CreateCertificateFromCsr. kInvalidArgument / kCertificateValidation from the CSR checks.
  Result<CreatedCertificate> CreateCertificateFromCsr(std::string_view account_id,
                                                      std::string_view csr_pem, bool set_as_active);

  // AWS RegisterCertificate. Errors, in the order checked:
  // kInvalidArgument (status not ACTIVE/INACTIVE/REVOKED, PEM over 64 KiB);
  // kCertificateValidation (unparsable certificate or CA PEM, signature algorithm not allowed);
  // kAlreadyExists with resource_id/resource_arn (already registered in this account);
  // kCertificateValidation (no CA registered in this account signed it, or the given CA is not
  // registered here); kCertificateConflict (several registered CAs match; pass the CA PEM);
  // kCertificateState (the CA is not ACTIVE); kCertificateValidation (the chain does not verify
  // at clock time: expired, not yet valid, ...); kCertificateConflict (registered in DEFAULT
  // mode in another account).
  Result<CertificateRecord> RegisterCertificate(std::string_view account_id,
                                                const RegisterCertificateRequest& request);

  // AWS RegisterCertificateWithoutCA: mode SNI_ONLY, no CA, allowed in several accounts.
  // Errors as RegisterCertificate's first three steps.
  Result<CertificateRecord> RegisterCertificateWithoutCa(std::string_view account_id,
                                                         std::string_view certificate_pem,
                                                         std::optional<CertificateStatus> status);

  // kInvalidArgument for a malformed id; kNotFound if not registered in this account.
  Result<CertificateRecord> Describe(std::string_view account_id, std::string_view certificate_id);
  Result<Page<CertificateRecord>> List(std::string_view account_id, const PageRequest& page);
  Result<Page<CertificateRecord>> ListByCa(std::string_view account_id,
                                           std::string_view ca_certificate_id,
                                           const PageRequest& page);

  // AWS UpdateCertificate. `new_status` must be ACTIVE, INACTIVE or REVOKED (else
  // kInvalidArgument); the current status is an idempotent success; nothing leaves REVOKED and
  // PENDING_TRANSFER changes only through the transfer calls (kCertificateState).
  Result<void> UpdateStatus(std::string_view account_id, std::string_view certificate_id,
                            CertificateStatus new_status);

  // AWS DeleteCertificate. Guards in order: ACTIVE -> kCertificateState; PENDING_TRANSFER ->
  // kCertificateState; attached to things -> kDeleteConflict. `force_delete` only matters once
  // policies exist (it will skip the attached-policies guard).
  Result<void> Delete(std::string_view account_id, std::string_view certificate_id,
                      bool force_delete);

  // AWS TransferCertificate, called by the owner. kInvalidArgument for a malformed or own
  // target account, a message over 128 characters or an SNI_ONLY certificate; kNotFound for an
  // unknown certificate or target account; kCertificateState unless INACTIVE;
  // kTransferConflict if attached to things or already registered in the target.
  // The certificate becomes PENDING_TRANSFER.
  Result<CertificateRecord> Transfer(std::string_view account_id, std::string_view certificate_id,
                                     std::string_view target_account_id,
                                     std::string_view transfer_message);
  // Called by the target: the certificate moves to the target account (owned_by = target,
  // previous_owned_by = source), ACTIVE if `set_as_active`, else INACTIVE.
  // kTransferAlreadyCompleted if the transfer was already accepted or rejected; kNotFound if
  // there is no transfer to this account; kTransferConflict if the target registered the
  // certificate meanwhile.
  Result<void> AcceptTransfer(std::string_view account_id, std::string_view certificate_id,
                              bool set_as_active);
  // Called by the target: the certificate returns to INACTIVE in the source account.
  Result<void> RejectTransfer(std::string_view account_id, std::string_view certificate_id,
                              std::string_view reject_reason);
  // Called by the source before acceptance: back to INACTIVE, transfer data cleared.
  // kTransferAlreadyCompleted after acceptance or rejection; kInvalidArgument if no transfer
  // is pending.
  Result<void> CancelTransfer(std::string_view account_id, std::string_view certificate_id);

 private:
  Result<CertificateRecord> InsertNew(std::string_view account_id, const pki::Certificate& cert,
                                      CertificateStatus status, CertificateMode mode,
                                      std::optional<std::string> ca_certificate_id);
  void PublishAll(const std::vector<StatusEvent>& events) const;
  // Publishes the registration event of a committed insert; passes `registered` through.
  Result<CertificateRecord> PublishRegistered(Result<CertificateRecord> registered) const;

  RegistryStore& store_;
  StatusEventPublisher& events_;
  const Clock& clock_;
  const pki::CertificateAuthority& issuer_;
};

}  // namespace fg::registry
