#pragma once

// Topics and JSON payloads of the events AWS IoT Core publishes about devices, as the AWS IoT
// developer guide documents them ("Lifecycle events", "Just-in-time registration"):
//   $aws/events/presence/connected/<clientId>
//   $aws/events/presence/disconnected/<clientId>
//   $aws/events/presence/connect_failed/<clientId>
//   $aws/events/certificates/registered/<caCertificateId>
// Times are epoch milliseconds as JSON numbers ("timestamp"), except JITR's
// certificateRegistrationTimestamp, which AWS sends as a string of epoch milliseconds.
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "gateway/account_message.h"
#include "mqtt/disconnect_reason.h"

namespace fg::gateway {

// The session facts every presence event carries.
struct PresenceSession {
  std::string account_id;
  std::string client_id;
  std::string session_id;    // sessionIdentifier
  std::string principal_id;  // principalIdentifier: the certificate id
  std::string source_ip;     // ipAddress (connected and connect_failed only)
  int64_t version_number = 0;
};

// AWS publishes no lifecycle events for client ids containing '+' or '#' (they would not be
// valid topic names).
bool HasLifecycleEvents(std::string_view client_id);

// {clientId, timestamp, eventType:"connected", sessionIdentifier, principalIdentifier,
//  ipAddress, versionNumber}
AccountMessage ConnectedEvent(const PresenceSession& session, TimePoint at);

// {clientId, timestamp, eventType:"disconnected", sessionIdentifier, principalIdentifier,
//  clientInitiatedDisconnect, disconnectReason, versionNumber}
AccountMessage DisconnectedEvent(const PresenceSession& session, TimePoint at,
                                 bool client_initiated, mqtt::DisconnectReason reason);

// {clientId, timestamp, eventType:"connect_failed", connectFailureReason:"AUTHORIZATION_FAILED",
//  principalIdentifier, sessionIdentifier, ipAddress}
AccountMessage ConnectFailedEvent(const PresenceSession& session, TimePoint at);

// Just-in-time registration: {certificateId, caCertificateId, timestamp,
// certificateStatus:"PENDING_ACTIVATION", awsAccountId, certificateRegistrationTimestamp}.
AccountMessage CertificateRegisteredEvent(std::string_view account_id,
                                          std::string_view certificate_id,
                                          std::string_view ca_certificate_id,
                                          TimePoint registered_at, TimePoint at);

}  // namespace fg::gateway
