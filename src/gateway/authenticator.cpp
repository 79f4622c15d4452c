#include "gateway/authenticator.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "gateway/endpoint_name.h"
#include "gateway/jitr_registration.h"
#include "gateway/lifecycle_events.h"
#include "pki/signature_policy.h"
#include "pki/verification.h"

namespace fg::gateway {

using registry::CertificateMode;
using registry::CertificateStatus;

// One decision. Every step returns nullopt when, in FetchMode::kCachedOnly, it would need the
// store; otherwise a decision.
class Authenticator::Run {
 public:
  Run(Authenticator& auth, const ConnectionAttempt& attempt, FetchMode mode)
      : auth_(auth), attempt_(attempt), mode_(mode) {}

  std::optional<AuthDecision> Decide();

 private:
  AuthDecision Refuse(RefusalReason reason, std::string detail) {
    return AuthDecision{Refusal{reason, std::move(detail), account_id_, certificate_id_},
                        std::move(events_)};
  }
  AuthDecision StoreFailure(const Error& error) {
    return Refuse(RefusalReason::kRegistryUnavailable, error.ToString());
  }
  // The checks that need no registry; nullopt if the leaf passes them.
  std::optional<AuthDecision> CheckLeaf();
  std::optional<AuthDecision> DecideWithoutAccount(const Registrations& registrations);
  std::optional<AuthDecision> CheckRegistration(const CertificateRegistration& registration,
                                                AccountSelection selected_by);
  std::optional<AuthDecision> TryJustInTimeRegistration();

  Authenticator& auth_;
  const ConnectionAttempt& attempt_;
  const FetchMode mode_;
  const pki::Certificate* leaf_ = nullptr;  // in attempt_, once CheckLeaf found it
  std::string certificate_id_;
  std::string account_id_;
  std::vector<AccountMessage> events_;
};

std::optional<AuthDecision> Authenticator::Run::CheckLeaf() {
  if (!attempt_.leaf) {
    return Refuse(RefusalReason::kNoClientCertificate, "no client certificate");
  }
  if (attempt_.require_mqtt_alpn && attempt_.alpn != kMqttAlpn) {
    return Refuse(RefusalReason::kAlpnMismatch,
                  "this listener requires ALPN " + std::string(kMqttAlpn));
  }
  if (!*attempt_.leaf) {
    return Refuse(RefusalReason::kMalformedCertificate, attempt_.leaf->error().message);
  }
  leaf_ = &**attempt_.leaf;
  certificate_id_ = leaf_->Id();
  // Local checks before any registry read: junk certificates cost no store access, and an
  // expired certificate is never auto-registered.
  if (auto r = pki::CheckSignatureAlgorithm(*leaf_); !r) {
    return Refuse(RefusalReason::kBadSignatureAlgorithm, r.error().message);
  }
  if (attempt_.now < leaf_->NotBefore()) {
    return Refuse(RefusalReason::kNotYetValid,
                  "certificate not valid before " + FormatIso8601(leaf_->NotBefore()));
  }
  if (attempt_.now > leaf_->NotAfter()) {
    return Refuse(RefusalReason::kExpired,
                  "certificate expired at " + FormatIso8601(leaf_->NotAfter()));
  }
  return std::nullopt;
}

std::optional<AuthDecision> Authenticator::Run::Decide() {
  if (auto refused = CheckLeaf()) {
    return refused;
  }
  std::shared_ptr<const registry::Account> account;
  if (auto name = ParseEndpointName(attempt_.server_name)) {
    auto found = auth_.cache_.AccountByPrefix(name->prefix, mode_);
    if (!found) {
      return std::nullopt;
    }
    if (!*found) {
      return StoreFailure(found->error());
    }
    // An endpoint is regional: another region's host name does not reach the account.
    if (**found != nullptr && (**found)->region == name->region) {
      account = **found;
    }
  }
  auto registrations = auth_.cache_.RegistrationsOf(certificate_id_, mode_);
  if (!registrations) {
    return std::nullopt;
  }
  if (!*registrations) {
    return StoreFailure(registrations->error());
  }
  const Registrations& all = ***registrations;
  if (account == nullptr) {
    return DecideWithoutAccount(all);
  }
  account_id_ = account->id;
  for (const CertificateRegistration& registration : all) {
    if (registration.account_id == account->id) {
      return CheckRegistration(registration, AccountSelection::kSni);
    }
  }
  return TryJustInTimeRegistration();
}

std::optional<AuthDecision> Authenticator::Run::DecideWithoutAccount(
    const Registrations& registrations) {
  const CertificateRegistration* only_default = nullptr;
  size_t defaults = 0;
  for (const CertificateRegistration& registration : registrations) {
    if (registration.mode == CertificateMode::kDefault) {
      only_default = &registration;
      ++defaults;
    }
  }
  if (defaults == 1) {
    account_id_ = only_default->account_id;
    return CheckRegistration(*only_default, AccountSelection::kCertificate);
  }
  if (defaults > 1) {
    return Refuse(RefusalReason::kAmbiguousWithoutSni,
                  "registered in DEFAULT mode in several accounts; send SNI");
  }
  if (!attempt_.server_name.empty()) {
    return Refuse(RefusalReason::kUnknownEndpoint,
                  "the server name '" + attempt_.server_name + "' names no account endpoint");
  }
  if (!registrations.empty()) {
    return Refuse(RefusalReason::kSniRequired,
                  "the certificate is registered only in SNI_ONLY mode; send SNI");
  }
  return Refuse(RefusalReason::kNotRegistered, "the certificate is not registered");
}

std::optional<AuthDecision> Authenticator::Run::CheckRegistration(
    const CertificateRegistration& registration, AccountSelection selected_by) {
  switch (registration.status) {
    case CertificateStatus::kActive:
      break;
    case CertificateStatus::kInactive:
    case CertificateStatus::kRegisterInactive:
      return Refuse(RefusalReason::kInactive, "the certificate is not ACTIVE");
    case CertificateStatus::kRevoked:
      return Refuse(RefusalReason::kRevoked, "the certificate is REVOKED");
    case CertificateStatus::kPendingTransfer:
      return Refuse(RefusalReason::kPendingTransfer, "the certificate is PENDING_TRANSFER");
    case CertificateStatus::kPendingActivation:
      // AWS republishes the registration event each time a PENDING_ACTIVATION certificate
      // connects, so a lost event does not strand the device.
      if (registration.ca_certificate_id) {
        events_.push_back(CertificateRegisteredEvent(registration.account_id, certificate_id_,
                                                     *registration.ca_certificate_id,
                                                     registration.creation_date, attempt_.now));
      }
      return Refuse(RefusalReason::kPendingActivation, "the certificate is PENDING_ACTIVATION");
  }
  if (registration.ca_certificate_id) {
    auto ca = auth_.cache_.Ca(registration.account_id, *registration.ca_certificate_id, mode_);
    if (!ca) {
      return std::nullopt;
    }
    if (!*ca) {
      return StoreFailure(ca->error());
    }
    const std::shared_ptr<const CachedCa>& cached = **ca;
    if (cached == nullptr || cached->record.status != registry::CaCertificateStatus::kActive) {
      return Refuse(RefusalReason::kCaInactive, "the certificate's CA is not ACTIVE");
    }
    // A reconnect skips the signature check (most of the gateway's own work per connect).
    const std::string& ca_id = cached->record.certificate_id;
    if (!auth_.cache_.ChainVerified(certificate_id_, ca_id, attempt_.now)) {
      const pki::Certificate trusted[] = {cached->cert};
      if (auto r = pki::VerifyChain(*leaf_, trusted, attempt_.now); !r) {
        return Refuse(RefusalReason::kChainInvalid, r.error().message);
      }
      auth_.cache_.RememberVerifiedChain(certificate_id_, ca_id,
                                         std::max(leaf_->NotBefore(), cached->cert.NotBefore()),
                                         std::min(leaf_->NotAfter(), cached->cert.NotAfter()));
    }
  }
  Identity identity{registration.account_id, certificate_id_, registration.mode,
                    registration.ca_certificate_id, selected_by};
  return AuthDecision{std::move(identity), std::move(events_)};
}

std::optional<AuthDecision> Authenticator::Run::TryJustInTimeRegistration() {
  auto cas = auth_.cache_.CasBySubject(account_id_, leaf_->Issuer(), mode_);
  if (!cas) {
    return std::nullopt;
  }
  if (!*cas) {
    return StoreFailure(cas->error());
  }
  const CachedCa* signer = nullptr;
  for (const CachedCa& ca : ***cas) {
    // Multi-account (SNI_ONLY) CAs never auto-register (AWS: "Multi-account registration ...
    // does not support JITR").
    if (ca.record.status == registry::CaCertificateStatus::kActive &&
        ca.record.auto_registration == registry::AutoRegistrationStatus::kEnable &&
        ca.record.mode == CertificateMode::kDefault && pki::SignedBy(*leaf_, ca.cert)) {
      signer = &ca;
      break;
    }
  }
  if (signer == nullptr) {
    return Refuse(RefusalReason::kNotRegistered,
                  "the certificate is not registered in this account");
  }
  const pki::Certificate trusted[] = {signer->cert};
  if (auto r = pki::VerifyChain(*leaf_, trusted, attempt_.now); !r) {
    return Refuse(RefusalReason::kChainInvalid, r.error().message);
  }
  if (mode_ == FetchMode::kCachedOnly) {
    return std::nullopt;
  }
  auto registered = RegisterPendingActivation(auth_.store_, account_id_, *leaf_,
                                              signer->record.certificate_id, attempt_.now);
  if (!registered) {
    if (registered.error().code == ErrorCode::kCertificateConflict ||
        registered.error().code == ErrorCode::kCertificateState) {
      return Refuse(RefusalReason::kNotRegistered, registered.error().message);
    }
    return StoreFailure(registered.error());
  }
  auth_.cache_.InvalidateCertificate(certificate_id_);
  const registry::CertificateRecord& record = registered->record;
  if (!registered->inserted) {
    // Another connection registered it first; judge what is stored now.
    return CheckRegistration(
        CertificateRegistration{record.account_id, record.status, record.mode,
                                record.ca_certificate_id, record.creation_date},
        AccountSelection::kSni);
  }
  events_.push_back(CertificateRegisteredEvent(account_id_, certificate_id_,
                                               signer->record.certificate_id, record.creation_date,
                                               attempt_.now));
  return Refuse(RefusalReason::kJitrRegistered,
                "registered just in time as PENDING_ACTIVATION; activate it and reconnect");
}

AuthDecision Authenticator::Authenticate(const ConnectionAttempt& attempt) {
  Run run(*this, attempt, FetchMode::kLoadOnMiss);
  std::optional<AuthDecision> decision = run.Decide();
  if (!decision) {
    // Cannot happen: only kCachedOnly reports a miss. Refuse rather than let a device in.
    return AuthDecision{
        Refusal{RefusalReason::kRegistryUnavailable, "internal: cache miss", "", ""}, {}};
  }
  return std::move(*decision);
}

std::optional<AuthDecision> Authenticator::TryAuthenticateCached(const ConnectionAttempt& attempt) {
  Run run(*this, attempt, FetchMode::kCachedOnly);
  return run.Decide();
}

}  // namespace fg::gateway
