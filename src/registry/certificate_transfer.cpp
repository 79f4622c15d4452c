// CertificateService: TransferCertificate, AcceptCertificateTransfer,
// RejectCertificateTransfer and CancelCertificateTransfer.
//
// A pending transfer is the source account's row in PENDING_TRANSFER with transfer data naming
// the target. Acceptance moves the row to the target account and keeps the transfer data (with
// acceptDate); rejection keeps it on the source row (with rejectDate). Those kept records are
// how a second Accept/Reject/Cancel is recognised as "already completed".

#include "registry/certificate_service.h"
#include "registry/names.h"
#include "registry/revision.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

// The source row of a transfer to `target_account_id` that is still pending, if any, and
// whether a completed transfer to (or from) this account exists.
struct TransferLookup {
  std::optional<CertificateRecord> pending;
  bool completed = false;
};

Result<TransferLookup> FindTransfer(RegistryTx& tx, std::string_view target_account_id,
                                    const std::string& certificate_id) {
  auto all = tx.FindCertificateInAllAccounts(certificate_id);
  if (!all) {
    return Fail(all.error());
  }
  TransferLookup out;
  for (CertificateRecord& record : *all) {
    if (!record.transfer || record.transfer->target_account_id != target_account_id) {
      continue;
    }
    if (record.status == CertificateStatus::kPendingTransfer && !record.transfer->Completed()) {
      out.pending = std::move(record);
    } else if (record.transfer->Completed()) {
      out.completed = true;
    }
  }
  return out;
}

Result<CertificateRecord> RequirePendingFor(RegistryTx& tx, std::string_view account_id,
                                            const std::string& certificate_id) {
  auto lookup = FindTransfer(tx, account_id, certificate_id);
  if (!lookup) {
    return Fail(lookup.error());
  }
  if (lookup->pending) {
    return std::move(*lookup->pending);
  }
  if (lookup->completed) {
    return Fail(ErrorCode::kTransferAlreadyCompleted,
                "the transfer of this certificate was already completed");
  }
  return Fail(ErrorCode::kNotFound,
              "no transfer of certificate " + certificate_id + " to this account is pending");
}

}  // namespace

Result<CertificateRecord> CertificateService::Transfer(std::string_view account_id,
                                                       std::string_view certificate_id,
                                                       std::string_view target_account_id,
                                                       std::string_view transfer_message) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  if (auto r = ValidateAccountId(target_account_id); !r) {
    return Fail(r.error());
  }
  if (target_account_id == account_id) {
    return Fail(ErrorCode::kInvalidArgument, "a certificate cannot be transferred to its owner");
  }
  if (auto r = ValidateMessage("transferMessage", transfer_message); !r) {
    return Fail(r.error());
  }
  std::vector<StatusEvent> events;
  auto result =
      TransactValue<CertificateRecord>(store_, [&](RegistryTx& tx) -> Result<CertificateRecord> {
        auto record = Require(tx.FindCertificate(account_id, *id), ErrorCode::kNotFound,
                              "certificate " + *id + " does not exist");
        if (!record) {
          return Fail(record.error());
        }
        if (auto target = RequireAccount(tx, target_account_id); !target) {
          return Fail(ErrorCode::kNotFound, "the target account does not exist");
        }
        if (record->mode == CertificateMode::kSniOnly) {
          return Fail(ErrorCode::kInvalidArgument,
                      "SNI_ONLY certificates are not transferred; register the certificate "
                      "without a CA in the target account instead");
        }
        if (record->status != CertificateStatus::kInactive) {
          return Fail(ErrorCode::kCertificateState,
                      "only INACTIVE certificates can be transferred, this one is " +
                          std::string(ToString(record->status)));
        }
        auto things = tx.ListPrincipalThings(account_id, *id);
        if (!things) {
          return Fail(things.error());
        }
        if (!things->empty()) {
          return Fail(ErrorCode::kTransferConflict,
                      "the certificate is attached to things; detach it first");
        }
        auto in_target = tx.FindCertificate(target_account_id, *id);
        if (!in_target) {
          return Fail(in_target.error());
        }
        if (*in_target) {
          return Fail(ErrorCode::kTransferConflict,
                      "the certificate is already registered in the target account");
        }
        const CertificateStatus old_status = record->status;
        record->status = CertificateStatus::kPendingTransfer;
        record->transfer = TransferData{std::string(target_account_id),
                                        std::string(transfer_message),
                                        "",
                                        clock_.Now(),
                                        std::nullopt,
                                        std::nullopt};
        Touch(*record, clock_.Now());
        if (auto u = tx.UpdateCertificate(*record); !u) {
          return Fail(u.error());
        }
        events.push_back(CertificateEvent(*record, old_status));
        return std::move(*record);
      });
  if (result) {
    PublishAll(events);
  }
  return result;
}

Result<void> CertificateService::AcceptTransfer(std::string_view account_id,
                                                std::string_view certificate_id,
                                                bool set_as_active) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  std::vector<StatusEvent> events;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    if (auto account = RequireAccount(tx, account_id); !account) {
      return Fail(account.error());
    }
    auto source = RequirePendingFor(tx, account_id, *id);
    if (!source) {
      return Fail(source.error());
    }
    auto mine = tx.FindCertificate(account_id, *id);
    if (!mine) {
      return Fail(mine.error());
    }
    if (*mine) {
      return Fail(ErrorCode::kTransferConflict,
                  "the certificate was registered in this account meanwhile");
    }
    const TimePoint now = clock_.Now();
    CertificateRecord moved = *source;
    moved.account_id = std::string(account_id);
    moved.owned_by = std::string(account_id);
    moved.previous_owned_by = source->account_id;
    moved.status = set_as_active ? CertificateStatus::kActive : CertificateStatus::kInactive;
    moved.transfer->accept_date = now;
    // The CA link only survives if the same CA is registered in the target account.
    if (moved.ca_certificate_id) {
      auto ca = tx.FindCaCertificate(account_id, *moved.ca_certificate_id);
      if (!ca) {
        return Fail(ca.error());
      }
      if (!*ca) {
        moved.ca_certificate_id.reset();
      }
    }
    Touch(moved, now);
    if (auto d = tx.DeleteCertificate(source->account_id, *id); !d) {
      return Fail(d.error());
    }
    if (auto i = tx.InsertCertificate(moved); !i) {
      return i;
    }
    events.push_back(CertificateEvent(moved, CertificateStatus::kPendingTransfer));
    return Ok();
  });
  if (!r) {
    return r;
  }
  PublishAll(events);
  return Ok();
}

Result<void> CertificateService::RejectTransfer(std::string_view account_id,
                                                std::string_view certificate_id,
                                                std::string_view reject_reason) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  if (auto r = ValidateMessage("rejectReason", reject_reason); !r) {
    return Fail(r.error());
  }
  std::vector<StatusEvent> events;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto source = RequirePendingFor(tx, account_id, *id);
    if (!source) {
      return Fail(source.error());
    }
    const TimePoint now = clock_.Now();
    source->status = CertificateStatus::kInactive;
    source->transfer->reject_reason = std::string(reject_reason);
    source->transfer->reject_date = now;
    Touch(*source, now);
    if (auto u = tx.UpdateCertificate(*source); !u) {
      return u;
    }
    events.push_back(CertificateEvent(*source, CertificateStatus::kPendingTransfer));
    return Ok();
  });
  if (!r) {
    return r;
  }
  PublishAll(events);
  return Ok();
}

Result<void> CertificateService::CancelTransfer(std::string_view account_id,
                                                std::string_view certificate_id) {
  auto id = NormalizeCertificateId(certificate_id);
  if (!id) {
    return Fail(id.error());
  }
  std::vector<StatusEvent> events;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto record = tx.FindCertificate(account_id, *id);
    if (!record) {
      return Fail(record.error());
    }
    if (!*record) {
      // Accepted transfers leave no row behind in the source account.
      auto all = tx.FindCertificateInAllAccounts(*id);
      if (!all) {
        return Fail(all.error());
      }
      for (const CertificateRecord& other : *all) {
        if (other.previous_owned_by == std::string(account_id) && other.transfer &&
            other.transfer->accept_date) {
          return Fail(ErrorCode::kTransferAlreadyCompleted, "the transfer was already accepted");
        }
      }
      return Fail(ErrorCode::kNotFound, "certificate " + *id + " does not exist");
    }
    CertificateRecord& cert = **record;
    if (cert.status != CertificateStatus::kPendingTransfer) {
      if (cert.transfer && cert.transfer->Completed()) {
        return Fail(ErrorCode::kTransferAlreadyCompleted, "the transfer was already completed");
      }
      return Fail(ErrorCode::kInvalidArgument, "no transfer of this certificate is pending");
    }
    cert.status = CertificateStatus::kInactive;
    cert.transfer.reset();
    Touch(cert, clock_.Now());
    if (auto u = tx.UpdateCertificate(cert); !u) {
      return u;
    }
    events.push_back(CertificateEvent(cert, CertificateStatus::kPendingTransfer));
    return Ok();
  });
  if (!r) {
    return r;
  }
  PublishAll(events);
  return Ok();
}

}  // namespace fg::registry
