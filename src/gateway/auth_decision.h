#pragma once

// The input and output of device authentication (gateway::Authenticator): what the TLS layer
// saw, and either the device's identity or a typed refusal, plus the events to publish.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "gateway/account_message.h"
#include "pki/certificate.h"
#include "registry/connection_log.h"
#include "registry/enums.h"

namespace fg::gateway {

// What the TLS listener knows after the handshake, as plain values. Cheap to copy.
struct ConnectionAttempt {
  std::string server_name;  // SNI as sent; empty without SNI
  // The client's certificate, parsed once per connection: pki::Certificate::FromReceived on the
  // X509 the handshake already parsed and the bytes the client sent. nullopt if the client sent
  // none; an error is refused as kMalformedCertificate.
  std::optional<Result<pki::Certificate>> leaf;
  std::string alpn;                // negotiated ALPN protocol; empty if none
  bool require_mqtt_alpn = false;  // the 443-style listener: ALPN must be x-amzn-mqtt-ca
  std::string peer_ip;
  uint16_t peer_port = 0;
  TimePoint now;
};

// AWS's ALPN protocol id for MQTT over mutual TLS on port 443.
inline constexpr std::string_view kMqttAlpn = "x-amzn-mqtt-ca";

// How the account was chosen.
enum class AccountSelection : uint8_t {
  kSni,          // the server name named the account's endpoint
  kCertificate,  // no usable SNI: the certificate's single DEFAULT-mode registration (legacy)
};

struct Identity {
  std::string account_id;
  std::string certificate_id;
  registry::CertificateMode mode = registry::CertificateMode::kDefault;
  std::optional<std::string> ca_certificate_id;  // the registered CA it was verified against
  AccountSelection selected_by = AccountSelection::kSni;

  bool operator==(const Identity&) const = default;
};

enum class RefusalReason : uint8_t {
  kNoClientCertificate,
  kMalformedCertificate,   // the leaf does not parse, or was not sent in canonical DER
  kAlpnMismatch,           // 443-style listener without ALPN x-amzn-mqtt-ca
  kBadSignatureAlgorithm,  // not on AWS's allow-list (SHA-1, MD5, ...)
  kExpired,
  kNotYetValid,
  kUnknownEndpoint,      // SNI names no account, and the legacy path did not apply
  kSniRequired,          // no SNI, and the certificate has only SNI_ONLY registrations
  kAmbiguousWithoutSni,  // no SNI, and several DEFAULT registrations (should not exist)
  kNotRegistered,        // not registered in the selected account
  kInactive,             // INACTIVE (or the deprecated REGISTER_INACTIVE)
  kRevoked,
  kPendingTransfer,
  kPendingActivation,    // registered earlier by JITR, not yet activated
  kJitrRegistered,       // registered just now by JITR as PENDING_ACTIVATION
  kCaInactive,           // registered with a CA that is not ACTIVE (or no longer exists)
  kChainInvalid,         // the chain does not verify against the registered CA
  kRegistryUnavailable,  // the store failed; the device may retry
};

// "CERTIFICATE_REVOKED" etc.; the connection log's `reason` column.
std::string_view RefusalReasonName(RefusalReason reason);

struct Refusal {
  RefusalReason reason = RefusalReason::kNotRegistered;
  std::string detail;          // for the operator's log; never sent to the device
  std::string account_id;      // when an account was determined
  std::string certificate_id;  // when the leaf parsed

  bool operator==(const Refusal&) const = default;
};

struct AuthDecision {
  std::variant<Identity, Refusal> outcome;
  // Events to publish whatever the outcome (the JITR "registered" event), through
  // Broker::PublishEvent.
  std::vector<AccountMessage> events;

  bool accepted() const { return std::holds_alternative<Identity>(outcome); }
  // REQUIRES: accepted() / !accepted() respectively.
  const Identity& identity() const { return std::get<Identity>(outcome); }
  const Refusal& refusal() const { return std::get<Refusal>(outcome); }
};

// The connection-log row for a refused connection. `id` is a fresh UUID.
registry::RefusedConnection MakeRefusedRecord(const ConnectionAttempt& attempt,
                                              const Refusal& refusal, std::string_view node_id);

}  // namespace fg::gateway
