#pragma once

// Decides whether a TLS client may connect, and as whom (issue 4, "TLS and authentication"),
// from plain values the TLS listener hands over after the handshake. The TLS layer has already
// proved possession of the leaf's private key; this decides everything else:
//
//  1. a client certificate was presented (and, on a 443-style listener, ALPN x-amzn-mqtt-ca);
//  2. its signature algorithm is on AWS's allow-list, and `now` is within its validity;
//  3. the account: SNI "<prefix>-ats.iot.<region>.<domain>" (or legacy "<prefix>.iot...") names
//     an account by endpoint prefix, in that account's region. Without SNI or with a name that
//     names no account, the certificate's single DEFAULT-mode registration decides (the legacy
//     behaviour); SNI_ONLY registrations then refuse (kSniRequired / kUnknownEndpoint);
//  4. it is registered in that account and ACTIVE;
//  5. if it was registered with a CA: that CA is still registered and ACTIVE, and the leaf
//     verifies against it at `now` (pki::VerifyChain). Only the registered CA is trusted; other
//     certificates the client sent are ignored.
// Just-in-time registration: when the SNI-selected account has the certificate unregistered
// but one of its CAs with auto-registration ENABLE (DEFAULT mode, ACTIVE) signed it and the
// chain verifies, the certificate is registered as PENDING_ACTIVATION, the decision carries the
// $aws/events/certificates/registered/<caId> event, and the connection is refused
// (kJitrRegistered). A PENDING_ACTIVATION certificate presented again yields the same event and
// kPendingActivation.
//
// Thread-safe. `cache` and `store` must outlive the authenticator.

#include <optional>

#include "gateway/auth_decision.h"
#include "gateway/identity_cache.h"
#include "registry/registry_store.h"

namespace fg::gateway {

class Authenticator {
 public:
  Authenticator(IdentityCache& cache, registry::RegistryStore& store)
      : cache_(cache), store_(store) {}

  // The full decision. May block on the store (cache misses, the JITR write): call it from the
  // worker pool, never from an I/O thread. A store failure refuses with kRegistryUnavailable.
  AuthDecision Authenticate(const ConnectionAttempt& attempt);

  // The decision if it can be made from the cache alone, without blocking; nullopt if it needs
  // the store (then call Authenticate off the I/O thread). Safe on an I/O thread.
  std::optional<AuthDecision> TryAuthenticateCached(const ConnectionAttempt& attempt);

 private:
  class Run;

  IdentityCache& cache_;
  registry::RegistryStore& store_;
};

}  // namespace fg::gateway
