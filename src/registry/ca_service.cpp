#include "registry/ca_service.h"

#include <vector>

#include "pki/certificate.h"
#include "pki/random.h"
#include "pki/signature_policy.h"
#include "pki/validity.h"
#include "pki/verification.h"
#include "registry/arn.h"
#include "registry/names.h"
#include "registry/revision.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

constexpr size_t kMaxPemSize = 65536;
constexpr size_t kMaxTemplateBody = 10240;
constexpr size_t kMaxTemplateName = 36;
constexpr size_t kMinRoleArn = 20;
constexpr size_t kMaxRoleArn = 2048;

Result<pki::Certificate> ParsePem(std::string_view pem, std::string_view what) {
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
  return cert;
}

Result<void> ValidateRegistrationConfig(const RegistrationConfig& config) {
  if (config.template_body.size() > kMaxTemplateBody) {
    return Fail(ErrorCode::kInvalidArgument, "templateBody must be at most 10240 characters");
  }
  if (!config.role_arn.empty() &&
      (config.role_arn.size() < kMinRoleArn || config.role_arn.size() > kMaxRoleArn)) {
    return Fail(ErrorCode::kInvalidArgument, "roleArn must be 20 to 2048 characters");
  }
  if (config.template_name.size() > kMaxTemplateName) {
    return Fail(ErrorCode::kInvalidArgument, "templateName must be at most 36 characters");
  }
  for (char c : config.template_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return Fail(ErrorCode::kInvalidArgument, "templateName may contain only [0-9A-Za-z_-]");
    }
  }
  return Ok();
}

// The CA-level checks that need no store: a CA certificate, an allowed signature algorithm,
// inside its validity period now.
Result<pki::Certificate> ParseCa(std::string_view pem, TimePoint now) {
  auto ca = ParsePem(pem, "caCertificate");
  if (!ca) {
    return Fail(ca.error());
  }
  if (!ca->IsCa()) {
    return Fail(ErrorCode::kCertificateValidation,
                "caCertificate is not a CA certificate (basicConstraints CA:TRUE is missing)");
  }
  if (auto r = pki::CheckSignatureAlgorithm(*ca); !r) {
    return Fail(r.error());
  }
  if (auto r = pki::CheckValidity(*ca, now); !r) {
    return Fail(r.error());
  }
  return ca;
}

Result<void> CheckUniqueness(RegistryTx& tx, const Account& account, const pki::Certificate& ca,
                             CertificateMode mode) {
  auto mine = tx.FindCaCertificate(account.id, ca.Id());
  if (!mine) {
    return Fail(mine.error());
  }
  if (*mine) {
    Error error;
    error.code = ErrorCode::kAlreadyExists;
    error.message = "the CA certificate is already registered in this account";
    error.resource_id = ca.Id();
    error.resource_arn = CaCertificateArn(account.region, account.id, ca.Id());
    return Fail(std::move(error));
  }
  if (mode != CertificateMode::kDefault) {
    return Ok();
  }
  auto all = tx.FindCaCertificateInAllAccounts(ca.Id());
  if (!all) {
    return Fail(all.error());
  }
  for (const CaCertificateRecord& other : *all) {
    if (other.mode != CertificateMode::kDefault) {
      continue;
    }
    auto owner = RequireAccount(tx, other.account_id);
    if (!owner) {
      return Fail(owner.error());
    }
    if (owner->region == account.region) {
      Error error;
      error.code = ErrorCode::kAlreadyExists;
      error.message =
          "the CA certificate is registered in DEFAULT mode by another account in this region; "
          "register it in SNI_ONLY mode instead";
      error.resource_id = ca.Id();
      return Fail(std::move(error));
    }
  }
  return Ok();
}

}  // namespace

Result<std::string> CaService::GetRegistrationCode(std::string_view account_id) {
  return TransactValue<std::string>(store_, [&](RegistryTx& tx) -> Result<std::string> {
    if (auto account = RequireAccount(tx, account_id); !account) {
      return Fail(account.error());
    }
    auto code = tx.FindRegistrationCode(account_id);
    if (!code) {
      return Fail(code.error());
    }
    if (*code) {
      return std::move(**code);
    }
    std::string fresh = pki::RandomHex(32);
    if (auto r = tx.PutRegistrationCode(account_id, fresh); !r) {
      return Fail(r.error());
    }
    return fresh;
  });
}

Result<void> CaService::DeleteRegistrationCode(std::string_view account_id) {
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto deleted = tx.DeleteRegistrationCode(account_id);
    if (!deleted) {
      return Fail(deleted.error());
    }
    if (!*deleted) {
      return Fail(ErrorCode::kNotFound, "the account has no registration code");
    }
    return Ok();
  });
}

Result<CaCertificateRecord> CaService::Register(std::string_view account_id,
                                                const RegisterCaRequest& request) {
  const bool sni_only = request.mode == CertificateMode::kSniOnly;
  if (sni_only && request.allow_auto_registration) {
    return Fail(ErrorCode::kInvalidArgument,
                "auto-registration cannot be enabled for an SNI_ONLY CA certificate");
  }
  if (!sni_only && !request.verification_certificate_pem) {
    return Fail(ErrorCode::kInvalidArgument,
                "a verification certificate is required in DEFAULT mode");
  }
  if (auto r = ValidateRegistrationConfig(request.registration_config); !r) {
    return Fail(r.error());
  }
  const TimePoint now = clock_.Now();
  auto ca = ParseCa(request.ca_certificate_pem, now);
  if (!ca) {
    return Fail(ca.error());
  }
  std::optional<pki::Certificate> verification;
  if (!sni_only) {
    auto parsed = ParsePem(*request.verification_certificate_pem, "verificationCertificate");
    if (!parsed) {
      return Fail(parsed.error());
    }
    verification = std::move(*parsed);
  }
  auto registered = TransactValue<CaCertificateRecord>(
      store_, [&](RegistryTx& tx) -> Result<CaCertificateRecord> {
        auto account = RequireAccount(tx, account_id);
        if (!account) {
          return Fail(account.error());
        }
        if (auto r = CheckUniqueness(tx, *account, *ca, request.mode); !r) {
          return Fail(r.error());
        }
        if (verification) {
          auto code =
              Require(tx.FindRegistrationCode(account_id), ErrorCode::kRegistrationCodeValidation,
                      "the account has no registration code; call GetRegistrationCode");
          if (!code) {
            return Fail(code.error());
          }
          if (auto r = pki::VerifyRegistrationProof(*ca, *verification, *code); !r) {
            return Fail(r.error());
          }
        }
        auto same_subject = tx.FindCaCertificatesBySubject(account_id, ca->Subject());
        if (!same_subject) {
          return Fail(same_subject.error());
        }
        if (same_subject->size() >= kMaxCasPerSubject) {
          return Fail(ErrorCode::kLimitExceeded,
                      "at most 10 CA certificates with the same subject may be registered");
        }
        CaCertificateRecord record;
        record.account_id = std::string(account_id);
        record.certificate_id = ca->Id();
        record.pem = ca->Pem();
        record.subject = ca->Subject();
        record.status =
            request.set_as_active ? CaCertificateStatus::kActive : CaCertificateStatus::kInactive;
        record.auto_registration = request.allow_auto_registration
                                       ? AutoRegistrationStatus::kEnable
                                       : AutoRegistrationStatus::kDisable;
        record.mode = request.mode;
        record.owned_by = std::string(account_id);
        record.creation_date = now;
        record.last_modified_date = now;
        record.customer_version = 1;
        record.generation_id = pki::RandomUuid();
        record.not_before = ca->NotBefore();
        record.not_after = ca->NotAfter();
        record.registration_config = request.registration_config;
        if (auto r = tx.InsertCaCertificate(record); !r) {
          return Fail(r.error());
        }
        return record;
      });
  if (registered) {
    events_.Publish(CaCertificateRegisteredEvent(*registered));
  }
  return registered;
}

Result<CaCertificateRecord> CaService::Describe(std::string_view account_id,
                                                std::string_view certificate_id) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  return TransactValue<CaCertificateRecord>(store_, [&](RegistryTx& tx) {
    return Require(tx.FindCaCertificate(account_id, *id), ErrorCode::kNotFound,
                   "CA certificate " + *id + " does not exist");
  });
}

Result<Page<CaCertificateRecord>> CaService::List(std::string_view account_id,
                                                  const PageRequest& page,
                                                  std::string_view template_name) {
  if (auto valid = ValidatePageRequest(page); !valid) {
    return Fail(valid.error());
  }
  return TransactValue<Page<CaCertificateRecord>>(
      store_, [&](RegistryTx& tx) -> Result<Page<CaCertificateRecord>> {
        if (template_name.empty()) {
          return tx.ListCaCertificates(account_id, page);
        }
        // An account has few CAs, so the filter scans them in full store pages; the cursor
        // of the filtered page is the last CA returned, so keyset paging stays gap-free.
        PageRequest scan = page;
        scan.page_size = kMaxPageSize;
        Page<CaCertificateRecord> out;
        const auto wanted = static_cast<size_t>(page.page_size);
        while (true) {
          auto batch = tx.ListCaCertificates(account_id, scan);
          if (!batch) {
            return Fail(batch.error());
          }
          for (CaCertificateRecord& ca : batch->items) {
            if (ca.registration_config.template_name != template_name) {
              continue;
            }
            if (out.items.size() == wanted) {
              out.next_cursor =
                  EncodeTimeCursor(out.items.back().creation_date, out.items.back().certificate_id);
              return out;
            }
            out.items.push_back(std::move(ca));
          }
          if (batch->next_cursor.empty()) {
            return out;
          }
          scan.cursor = std::move(batch->next_cursor);
        }
      });
}

Result<void> CaService::Update(std::string_view account_id, std::string_view certificate_id,
                               const UpdateCaRequest& request) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  if (request.remove_auto_registration &&
      request.new_auto_registration == AutoRegistrationStatus::kEnable) {
    return Fail(ErrorCode::kInvalidArgument,
                "removeAutoRegistration contradicts newAutoRegistrationStatus ENABLE");
  }
  if (request.registration_config) {
    if (auto r = ValidateRegistrationConfig(*request.registration_config); !r) {
      return r;
    }
  }
  std::vector<StatusEvent> events;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto record = Require(tx.FindCaCertificate(account_id, *id), ErrorCode::kNotFound,
                          "CA certificate " + *id + " does not exist");
    if (!record) {
      return Fail(record.error());
    }
    if (request.new_auto_registration == AutoRegistrationStatus::kEnable &&
        record->mode == CertificateMode::kSniOnly) {
      return Fail(ErrorCode::kInvalidArgument,
                  "auto-registration cannot be enabled for an SNI_ONLY CA certificate");
    }
    const CaCertificateRecord before = *record;
    if (request.new_status) {
      record->status = *request.new_status;
    }
    if (request.new_auto_registration) {
      record->auto_registration = *request.new_auto_registration;
    }
    if (request.remove_auto_registration) {
      record->auto_registration = AutoRegistrationStatus::kDisable;
    }
    if (request.registration_config) {
      record->registration_config = *request.registration_config;
    }
    if (*record == before) {
      return Ok();
    }
    Touch(*record, clock_.Now());
    if (auto u = tx.UpdateCaCertificate(*record); !u) {
      return u;
    }
    // Auto-registration decides just-in-time registration, which the gateway caches too.
    if (record->status != before.status || record->auto_registration != before.auto_registration) {
      events.push_back(CaCertificateEvent(*record, before.status));
    }
    return Ok();
  });
  if (!r) {
    return r;
  }
  for (const StatusEvent& event : events) {
    events_.Publish(event);
  }
  return Ok();
}

Result<void> CaService::Delete(std::string_view account_id, std::string_view certificate_id) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  std::optional<CaCertificateRecord> deleted_record;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto record = Require(tx.FindCaCertificate(account_id, *id), ErrorCode::kNotFound,
                          "CA certificate " + *id + " does not exist");
    if (!record) {
      return Fail(record.error());
    }
    if (record->status != CaCertificateStatus::kInactive) {
      return Fail(ErrorCode::kCertificateState,
                  "an ACTIVE CA certificate cannot be deleted; deactivate it first");
    }
    auto signed_count = tx.CountCertificatesByCa(account_id, *id);
    if (!signed_count) {
      return Fail(signed_count.error());
    }
    if (*signed_count > 0) {
      return Fail(ErrorCode::kCertificateState,
                  std::to_string(*signed_count) +
                      " registered certificate(s) were signed by this CA; delete them first");
    }
    auto deleted = tx.DeleteCaCertificate(account_id, *id);
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
    events_.Publish(CaCertificateDeletedEvent(*deleted_record));
  }
  return Ok();
}

}  // namespace fg::registry
