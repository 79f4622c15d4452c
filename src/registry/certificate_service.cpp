#include "registry/certificate_service.h"

#include <vector>

#include "pki/random.h"
#include "pki/signature_policy.h"
#include "pki/verification.h"
#include "registry/arn.h"
#include "registry/names.h"
#include "registry/revision.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

// AWS CertificatePem: 1..65536 characters.
constexpr size_t kMaxPemSize = 65536;

// Parses untrusted PEM and applies the signature-algorithm policy that every registered or
// issued certificate must meet.
Result<pki::Certificate> ParseAcceptable(std::string_view pem, std::string_view what) {
  if (pem.empty() || pem.size() > kMaxPemSize) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + " must be 1 to 65536 characters");
  }
  auto cert = pki::Certificate::FromPem(pem);
  if (!cert) {
    Error error = cert.error();
    error.code = ErrorCode::kCertificateValidation;
    error.message = std::string(what) + ": " + error.message;
    return Fail(std::move(error));
  }
  if (auto r = pki::CheckSignatureAlgorithm(*cert); !r) {
    return Fail(r.error());
  }
  return cert;
}

Result<CertificateStatus> RegistrationStatus(std::optional<CertificateStatus> status) {
  const CertificateStatus s = status.value_or(CertificateStatus::kInactive);
  if (s != CertificateStatus::kActive && s != CertificateStatus::kInactive &&
      s != CertificateStatus::kRevoked) {
    return Fail(ErrorCode::kInvalidArgument,
                "status must be ACTIVE, INACTIVE or REVOKED, not " + std::string(ToString(s)));
  }
  return s;
}

CertificateRecord NewRecord(std::string_view account_id, const pki::Certificate& cert,
                            CertificateStatus status, CertificateMode mode,
                            std::optional<std::string> ca_certificate_id, TimePoint now) {
  CertificateRecord r;
  r.account_id = std::string(account_id);
  r.certificate_id = cert.Id();
  r.pem = cert.Pem();
  r.status = status;
  r.mode = mode;
  r.ca_certificate_id = std::move(ca_certificate_id);
  r.owned_by = std::string(account_id);
  r.creation_date = now;
  r.last_modified_date = now;
  r.customer_version = 1;
  r.generation_id = pki::RandomUuid();
  r.not_before = cert.NotBefore();
  r.not_after = cert.NotAfter();
  return r;
}

// kAlreadyExists carrying the existing certificate's id and ARN, as AWS returns them.
Result<void> CheckNotRegisteredHere(RegistryTx& tx, const Account& account,
                                    const std::string& certificate_id) {
  auto existing = tx.FindCertificate(account.id, certificate_id);
  if (!existing) {
    return Fail(existing.error());
  }
  if (*existing) {
    Error error;
    error.code = ErrorCode::kAlreadyExists;
    error.message = "the certificate is already registered in this account";
    error.resource_id = certificate_id;
    error.resource_arn = CertificateArn(account.region, account.id, certificate_id);
    return Fail(std::move(error));
  }
  return Ok();
}

Result<void> CheckNoDefaultRegistrationElsewhere(RegistryTx& tx, std::string_view account_id,
                                                 const std::string& certificate_id) {
  auto all = tx.FindCertificateInAllAccounts(certificate_id);
  if (!all) {
    return Fail(all.error());
  }
  for (const CertificateRecord& other : *all) {
    if (other.account_id != account_id && other.mode == CertificateMode::kDefault) {
      return Fail(ErrorCode::kCertificateConflict,
                  "the certificate is registered in DEFAULT mode in another account; register "
                  "it without a CA (SNI_ONLY) to use it in several accounts");
    }
  }
  return Ok();
}

struct ResolvedCa {
  CaCertificateRecord record;
  pki::Certificate cert;
};

Result<pki::Certificate> ParseStoredCa(const CaCertificateRecord& record) {
  auto cert = pki::Certificate::FromPem(record.pem);
  if (!cert) {
    return Fail(ErrorCode::kCorrupt,
                "stored CA certificate " + record.certificate_id + " does not parse");
  }
  return cert;
}

// The registered CA of this account that signed `cert`: the given one, or the unique one
// found by issuer name and signature.
Result<ResolvedCa> ResolveCa(RegistryTx& tx, std::string_view account_id,
                             const pki::Certificate& cert,
                             const std::optional<pki::Certificate>& given_ca) {
  if (given_ca) {
    auto record =
        Require(tx.FindCaCertificate(account_id, given_ca->Id()), ErrorCode::kCertificateValidation,
                "the CA certificate is not registered in this account");
    if (!record) {
      return Fail(record.error());
    }
    if (!pki::SignedBy(cert, *given_ca)) {
      return Fail(ErrorCode::kCertificateValidation,
                  "the certificate was not signed by the given CA certificate");
    }
    return ResolvedCa{std::move(*record), *given_ca};
  }
  auto candidates = tx.FindCaCertificatesBySubject(account_id, cert.Issuer());
  if (!candidates) {
    return Fail(candidates.error());
  }
  std::vector<ResolvedCa> matches;
  for (CaCertificateRecord& record : *candidates) {
    auto ca = ParseStoredCa(record);
    if (!ca) {
      return Fail(ca.error());
    }
    if (pki::SignedBy(cert, *ca)) {
      matches.push_back(ResolvedCa{std::move(record), std::move(*ca)});
    }
  }
  if (matches.empty()) {
    return Fail(ErrorCode::kCertificateValidation,
                "no CA certificate registered in this account signed the certificate");
  }
  if (matches.size() > 1) {
    return Fail(ErrorCode::kCertificateConflict,
                "several registered CA certificates with the same subject and key match; pass "
                "caCertificatePem");
  }
  return std::move(matches.front());
}

}  // namespace

void CertificateService::PublishAll(const std::vector<StatusEvent>& events) const {
  for (const StatusEvent& event : events) {
    events_.Publish(event);
  }
}

Result<CertificateRecord> CertificateService::PublishRegistered(
    Result<CertificateRecord> registered) const {
  if (registered) {
    events_.Publish(CertificateRegisteredEvent(*registered));
  }
  return registered;
}

Result<CertificateRecord> CertificateService::InsertNew(
    std::string_view account_id, const pki::Certificate& cert, CertificateStatus status,
    CertificateMode mode, std::optional<std::string> ca_certificate_id) {
  if (auto r = pki::CheckSignatureAlgorithm(cert); !r) {
    return Fail(r.error());
  }
  return PublishRegistered(
      TransactValue<CertificateRecord>(store_, [&](RegistryTx& tx) -> Result<CertificateRecord> {
        auto account = RequireAccount(tx, account_id);
        if (!account) {
          return Fail(account.error());
        }
        CertificateRecord record =
            NewRecord(account_id, cert, status, mode, ca_certificate_id, clock_.Now());
        if (auto r = tx.InsertCertificate(record); !r) {
          return Fail(r.error());
        }
        return record;
      }));
}

Result<CreatedCertificate> CertificateService::CreateKeysAndCertificate(std::string_view account_id,
                                                                        bool set_as_active) {
  auto issued = pki::CreateKeysAndCertificate(issuer_, clock_.Now());
  if (!issued) {
    return Fail(issued.error());
  }
  auto record = InsertNew(account_id, issued->cert,
                          set_as_active ? CertificateStatus::kActive : CertificateStatus::kInactive,
                          CertificateMode::kDefault, std::nullopt);
  if (!record) {
    return Fail(record.error());
  }
  return CreatedCertificate{std::move(*record), std::move(issued->keys.private_key_pem),
                            std::move(issued->keys.public_key_pem)};
}

Result<CreatedCertificate> CertificateService::CreateCertificateFromCsr(std::string_view account_id,
                                                                        std::string_view csr_pem,
                                                                        bool set_as_active) {
  auto cert = pki::CreateCertificateFromCsr(issuer_, csr_pem, clock_.Now());
  if (!cert) {
    return Fail(cert.error());
  }
  auto record = InsertNew(account_id, *cert,
                          set_as_active ? CertificateStatus::kActive : CertificateStatus::kInactive,
                          CertificateMode::kDefault, std::nullopt);
  if (!record) {
    return Fail(record.error());
  }
  return CreatedCertificate{std::move(*record), "", cert->PublicKeyPem()};
}

Result<CertificateRecord> CertificateService::RegisterCertificate(
    std::string_view account_id, const RegisterCertificateRequest& request) {
  auto status = RegistrationStatus(request.status);
  if (!status) {
    return Fail(status.error());
  }
  auto cert = ParseAcceptable(request.certificate_pem, "certificatePem");
  if (!cert) {
    return Fail(cert.error());
  }
  std::optional<pki::Certificate> given_ca;
  if (request.ca_certificate_pem) {
    auto ca = ParseAcceptable(*request.ca_certificate_pem, "caCertificatePem");
    if (!ca) {
      return Fail(ca.error());
    }
    given_ca = std::move(*ca);
  }
  const TimePoint now = clock_.Now();
  auto registered =
      TransactValue<CertificateRecord>(store_, [&](RegistryTx& tx) -> Result<CertificateRecord> {
        auto account = RequireAccount(tx, account_id);
        if (!account) {
          return Fail(account.error());
        }
        if (auto r = CheckNotRegisteredHere(tx, *account, cert->Id()); !r) {
          return Fail(r.error());
        }
        auto ca = ResolveCa(tx, account_id, *cert, given_ca);
        if (!ca) {
          return Fail(ca.error());
        }
        if (ca->record.status != CaCertificateStatus::kActive) {
          return Fail(ErrorCode::kCertificateState, "the CA certificate is not ACTIVE");
        }
        const pki::Certificate trusted[] = {ca->cert};
        if (auto r = pki::VerifyChain(*cert, trusted, now); !r) {
          return Fail(r.error());
        }
        const CertificateMode mode = ca->record.mode;
        if (mode == CertificateMode::kDefault) {
          if (auto r = CheckNoDefaultRegistrationElsewhere(tx, account_id, cert->Id()); !r) {
            return Fail(r.error());
          }
        }
        CertificateRecord record =
            NewRecord(account_id, *cert, *status, mode, ca->record.certificate_id, now);
        if (auto r = tx.InsertCertificate(record); !r) {
          return Fail(r.error());
        }
        return record;
      });
  return PublishRegistered(std::move(registered));
}

Result<CertificateRecord> CertificateService::RegisterCertificateWithoutCa(
    std::string_view account_id, std::string_view certificate_pem,
    std::optional<CertificateStatus> status) {
  auto checked_status = RegistrationStatus(status);
  if (!checked_status) {
    return Fail(checked_status.error());
  }
  auto cert = ParseAcceptable(certificate_pem, "certificatePem");
  if (!cert) {
    return Fail(cert.error());
  }
  auto registered =
      TransactValue<CertificateRecord>(store_, [&](RegistryTx& tx) -> Result<CertificateRecord> {
        auto account = RequireAccount(tx, account_id);
        if (!account) {
          return Fail(account.error());
        }
        if (auto r = CheckNotRegisteredHere(tx, *account, cert->Id()); !r) {
          return Fail(r.error());
        }
        CertificateRecord record = NewRecord(account_id, *cert, *checked_status,
                                             CertificateMode::kSniOnly, std::nullopt, clock_.Now());
        if (auto r = tx.InsertCertificate(record); !r) {
          return Fail(r.error());
        }
        return record;
      });
  return PublishRegistered(std::move(registered));
}

Result<CertificateRecord> CertificateService::Describe(std::string_view account_id,
                                                       std::string_view certificate_id) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  return TransactValue<CertificateRecord>(store_, [&](RegistryTx& tx) {
    return Require(tx.FindCertificate(account_id, *id), ErrorCode::kNotFound,
                   "certificate " + *id + " does not exist");
  });
}

Result<Page<CertificateRecord>> CertificateService::List(std::string_view account_id,
                                                         const PageRequest& page) {
  return TransactValue<Page<CertificateRecord>>(
      store_, [&](RegistryTx& tx) { return tx.ListCertificates(account_id, page); });
}

Result<Page<CertificateRecord>> CertificateService::ListByCa(std::string_view account_id,
                                                             std::string_view ca_certificate_id,
                                                             const PageRequest& page) {
  auto id = NormalizeCertificateId(ca_certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  return TransactValue<Page<CertificateRecord>>(
      store_, [&](RegistryTx& tx) { return tx.ListCertificatesByCa(account_id, *id, page); });
}

Result<void> CertificateService::UpdateStatus(std::string_view account_id,
                                              std::string_view certificate_id,
                                              CertificateStatus new_status) {
  if (new_status != CertificateStatus::kActive && new_status != CertificateStatus::kInactive &&
      new_status != CertificateStatus::kRevoked) {
    return Fail(ErrorCode::kInvalidArgument, "newStatus must be ACTIVE, INACTIVE or REVOKED, not " +
                                                 std::string(ToString(new_status)));
  }
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  std::vector<StatusEvent> events;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto record = Require(tx.FindCertificate(account_id, *id), ErrorCode::kNotFound,
                          "certificate " + *id + " does not exist");
    if (!record) {
      return Fail(record.error());
    }
    const CertificateStatus old_status = record->status;
    if (old_status == new_status) {
      return Ok();
    }
    if (old_status == CertificateStatus::kRevoked) {
      return Fail(ErrorCode::kCertificateState, "a REVOKED certificate cannot change status");
    }
    if (old_status == CertificateStatus::kPendingTransfer) {
      return Fail(ErrorCode::kCertificateState,
                  "the certificate is PENDING_TRANSFER; accept, reject or cancel the transfer");
    }
    record->status = new_status;
    Touch(*record, clock_.Now());
    if (auto u = tx.UpdateCertificate(*record); !u) {
      return u;
    }
    events.push_back(CertificateEvent(*record, old_status));
    return Ok();
  });
  if (!r) {
    return r;
  }
  PublishAll(events);
  return Ok();
}

Result<void> CertificateService::Delete(std::string_view account_id,
                                        std::string_view certificate_id, bool /*force_delete*/) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  std::optional<CertificateRecord> deleted_record;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto record = Require(tx.FindCertificate(account_id, *id), ErrorCode::kNotFound,
                          "certificate " + *id + " does not exist");
    if (!record) {
      return Fail(record.error());
    }
    if (record->status == CertificateStatus::kActive) {
      return Fail(ErrorCode::kCertificateState,
                  "an ACTIVE certificate cannot be deleted; deactivate it first");
    }
    if (record->status == CertificateStatus::kPendingTransfer) {
      return Fail(ErrorCode::kCertificateState,
                  "a PENDING_TRANSFER certificate cannot be deleted; cancel the transfer first");
    }
    auto things = tx.ListPrincipalThings(account_id, *id);
    if (!things) {
      return Fail(things.error());
    }
    if (!things->empty()) {
      return Fail(ErrorCode::kDeleteConflict, "the certificate is attached to " +
                                                  std::to_string(things->size()) +
                                                  " thing(s); detach it first");
    }
    auto deleted = tx.DeleteCertificate(account_id, *id);
    if (!deleted) {
      return Fail(deleted.error());
    }
    deleted_record = std::move(*record);
    return Ok();
  });
  if (!r) {
    return r;
  }
  if (deleted_record) {
    events_.Publish(CertificateDeletedEvent(*deleted_record));
  }
  return Ok();
}

}  // namespace fg::registry
