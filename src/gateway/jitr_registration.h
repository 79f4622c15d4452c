#pragma once

// The registry write behind just-in-time registration (AWS "Just-in-time registration of
// device certificates"): a certificate signed by a CA with auto-registration enabled is
// registered as PENDING_ACTIVATION on its first connection. The registry's CertificateService
// has no call for this (RegisterCertificate accepts only ACTIVE/INACTIVE/REVOKED), so this is a
// narrow function over RegistryStore::Transact that applies the same rules as
// RegisterCertificate for a DEFAULT-mode CA.

#include "core/clock.h"
#include "core/result.h"
#include "pki/certificate.h"
#include "registry/certificate_record.h"
#include "registry/registry_store.h"

namespace fg::gateway {

struct JitrResult {
  registry::CertificateRecord record;
  bool inserted = false;  // false: already registered here (e.g. by a concurrent connection)
};

// In one transaction: if `leaf` is already registered in `account_id`, returns that record
// unchanged. Otherwise re-reads the CA `ca_certificate_id` and requires it ACTIVE, DEFAULT mode
// and auto-registration ENABLE (else kCertificateState), requires that no other account holds
// a DEFAULT-mode registration of `leaf` (else kCertificateConflict), and inserts `leaf` as
// PENDING_ACTIVATION, DEFAULT mode, with that CA, created at `now`.
// REQUIRES: the caller checked that the CA signed `leaf` and that the chain verifies at `now`.
// Blocking (a store write). Thread-safe if the store is.
Result<JitrResult> RegisterPendingActivation(registry::RegistryStore& store,
                                             std::string_view account_id,
                                             const pki::Certificate& leaf,
                                             std::string_view ca_certificate_id, TimePoint now);

}  // namespace fg::gateway
