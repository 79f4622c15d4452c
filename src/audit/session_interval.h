#pragma once

// The audit's own view of one MQTT session from the connection log. It is a plain value type so
// that the audit engine does not depend on the store: an adapter reads the store's session rows
// and fills these.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fg::audit {

struct SessionInterval {
  // The store's id for the session (for tie-breaks and for linking evidence back to the log).
  uint64_t session_id = 0;
  std::string client_id;
  // As the gateway saw the peer ("203.0.113.7" or "2001:db8::1"); empty if unknown.
  std::string source_ip;
  // Epoch milliseconds of the successful CONNACK. Failed connects are not sessions.
  int64_t connect_ms = 0;
  // Epoch milliseconds of the last packet received from the client. This, not the disconnect,
  // is where the session effectively ended: a half-open session whose device went silent and
  // reconnected under a new client id stops overlapping at its last packet. An adapter that has
  // no last-packet time fills in the disconnect time.
  int64_t last_packet_ms = 0;
  // Epoch milliseconds at which the broker closed the session; nullopt while it is open.
  std::optional<int64_t> disconnect_ms;
  // AWS lifecycle-event disconnectReason ("CLIENT_INITIATED_DISCONNECT", "CONNECTION_LOST", ...);
  // empty while open or if unknown.
  std::string disconnect_reason;
};

// All sessions of one certificate, in any order. The engine consumes the log one certificate at
// a time, so memory is bounded by the largest certificate, not by the whole log.
struct CertificateSessions {
  std::string certificate_id;
  std::vector<SessionInterval> sessions;
};

}  // namespace fg::audit
