#include "gateway/jitr_registration.h"

#include <optional>
#include <string>

#include "pki/random.h"
#include "registry/transact.h"

namespace fg::gateway {
namespace {

using registry::CertificateMode;
using registry::CertificateRecord;
using registry::RegistryTx;

// Field for field what CertificateService's RegisterCertificate stores, so that the API shows
// a JITR certificate like any other.
CertificateRecord PendingRecord(std::string_view account_id, const pki::Certificate& leaf,
                                std::string_view ca_certificate_id, TimePoint now) {
  CertificateRecord r;
  r.account_id = std::string(account_id);
  r.certificate_id = leaf.Id();
  r.pem = leaf.Pem();
  r.status = registry::CertificateStatus::kPendingActivation;
  r.mode = CertificateMode::kDefault;
  r.ca_certificate_id = std::string(ca_certificate_id);
  r.owned_by = std::string(account_id);
  r.creation_date = now;
  r.last_modified_date = now;
  r.customer_version = 1;
  r.generation_id = pki::RandomUuid();
  r.not_before = leaf.NotBefore();
  r.not_after = leaf.NotAfter();
  return r;
}

Result<void> CheckCaAllowsAutoRegistration(RegistryTx& tx, std::string_view account_id,
                                           std::string_view ca_certificate_id) {
  auto ca = registry::Require(tx.FindCaCertificate(account_id, ca_certificate_id),
                              ErrorCode::kCertificateState, "the CA certificate is not registered");
  if (!ca) {
    return Fail(ca.error());
  }
  if (ca->status != registry::CaCertificateStatus::kActive ||
      ca->auto_registration != registry::AutoRegistrationStatus::kEnable ||
      ca->mode != CertificateMode::kDefault) {
    return Fail(ErrorCode::kCertificateState,
                "the CA certificate is not ACTIVE with auto-registration enabled in DEFAULT mode");
  }
  return Ok();
}

}  // namespace

Result<JitrResult> RegisterPendingActivation(registry::RegistryStore& store,
                                             std::string_view account_id,
                                             const pki::Certificate& leaf,
                                             std::string_view ca_certificate_id, TimePoint now) {
  return registry::TransactValue<JitrResult>(store, [&](RegistryTx& tx) -> Result<JitrResult> {
    auto existing = tx.FindCertificate(account_id, leaf.Id());
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      return JitrResult{std::move(**existing), false};
    }
    if (auto r = CheckCaAllowsAutoRegistration(tx, account_id, ca_certificate_id); !r) {
      return Fail(r.error());
    }
    auto elsewhere = tx.FindCertificateInAllAccounts(leaf.Id());
    if (!elsewhere) {
      return Fail(elsewhere.error());
    }
    for (const CertificateRecord& other : *elsewhere) {
      if (other.mode == CertificateMode::kDefault) {
        return Fail(ErrorCode::kCertificateConflict,
                    "the certificate is registered in DEFAULT mode in another account");
      }
    }
    CertificateRecord record = PendingRecord(account_id, leaf, ca_certificate_id, now);
    if (auto r = tx.InsertCertificate(record); !r) {
      return Fail(r.error());
    }
    return JitrResult{std::move(record), true};
  });
}

}  // namespace fg::gateway
