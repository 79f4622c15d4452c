#pragma once

// The connection log: one record per MQTT session and one per refused connection, written by
// the gateway (through gateway::ConnectionLogWriter, in batches, off the I/O threads) and read
// by the audit (DEVICE_CERTIFICATE_SHARED_CHECK). Value types plus the storage seam; the
// SQLite and PostgreSQL stores implement ConnectionLogStore, tests use an in-memory fake.
//
// Header-only on purpose: it holds only value types and a pure interface, so the gateway, the
// stores and the audit can share it without a library of their own.
//
// Times are milliseconds since the epoch (fg::TimePoint); stores keep millisecond precision.
// Disconnect reasons use AWS's lifecycle-event vocabulary ("CLIENT_INITIATED_DISCONNECT",
// "CONNECTION_LOST", "DUPLICATE_CLIENTID", ..., mqtt::DisconnectReasonName).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace fg::registry {

// One MQTT session: from a successful CONNACK to the end of the connection.
struct SessionRecord {
  std::string session_id;  // RFC 4122 v4 UUID, lowercase; the primary key
  std::string account_id;
  std::string certificate_id;  // 64 lowercase hex
  std::string client_id;       // as the client sent it, or the server-assigned one
  std::string source_ip;       // "203.0.113.7" or "2001:db8::1", no brackets, no port
  uint16_t source_port = 0;
  int mqtt_version = 4;        // protocol level: 4 (3.1.1) or 5
  int keep_alive_s = 0;        // after the server's clamp
  TimePoint connect_time;      // when CONNACK was sent
  TimePoint last_packet_time;  // last packet received from the client (starts at connect_time)
  std::optional<TimePoint> disconnect_time;  // nullopt while the session is live
  std::string disconnect_reason;             // empty while live
  std::string node_id;                       // the gateway node that served the session

  bool operator==(const SessionRecord&) const = default;
};

// A TLS or MQTT connection that never became a session (refused certificate, unknown endpoint,
// CONNECT refused, ...).
struct RefusedConnection {
  std::string id;  // RFC 4122 v4 UUID; makes a retried AppendBatch idempotent
  TimePoint time;
  std::string account_id;      // empty if no account could be determined
  std::string certificate_id;  // empty if the client presented no (parsable) certificate
  std::string sni;             // the server name as sent; empty without SNI
  std::string source_ip;
  uint16_t source_port = 0;
  std::string reason;  // gateway::RefusalReasonName, e.g. "CERTIFICATE_REVOKED"
  std::string node_id;

  bool operator==(const RefusedConnection&) const = default;
};

// Events the gateway appends. Applying them in order must give the same rows as applying them
// again (AppendBatch is retried after an ambiguous failure), so every event is idempotent.

// Inserts the session. A session_id that already exists is left unchanged.
struct SessionOpened {
  SessionRecord session;  // disconnect_time/disconnect_reason are unset
  bool operator==(const SessionOpened&) const = default;
};

// Raises last_packet_time to `last_packet_time` (never lowers it). Ignored for an unknown
// session_id.
struct SessionActivity {
  std::string session_id;
  TimePoint last_packet_time;
  bool operator==(const SessionActivity&) const = default;
};

// Closes the session: sets disconnect_time and disconnect_reason, and raises last_packet_time
// as SessionActivity does. Ignored for an unknown session_id; a session already closed keeps
// its first close.
struct SessionClosed {
  std::string session_id;
  TimePoint last_packet_time;
  TimePoint disconnect_time;
  std::string disconnect_reason;
  bool operator==(const SessionClosed&) const = default;
};

// Inserts the refused connection; an id that already exists is left unchanged.
struct ConnectionRefused {
  RefusedConnection refused;
  bool operator==(const ConnectionRefused&) const = default;
};

using ConnectionLogEvent =
    std::variant<SessionOpened, SessionActivity, SessionClosed, ConnectionRefused>;

// Position after which a paged session query continues (keyset pagination).
struct SessionCursor {
  std::string certificate_id;
  TimePoint connect_time;
  std::string session_id;
  bool operator==(const SessionCursor&) const = default;
};

// The sessions of one account that overlap [window_start, window_end]: connect_time <=
// window_end and (disconnect_time is unset or disconnect_time >= window_start). Both bounds
// inclusive.
struct SessionQuery {
  std::string account_id;
  TimePoint window_start;
  TimePoint window_end;
  std::optional<SessionCursor> after;  // continue strictly after this position
  size_t limit = 1000;                 // at most this many rows; 0 means 1000
};

struct RefusedQuery {
  std::string account_id;  // "" selects refusals without an account
  TimePoint window_start;  // inclusive
  TimePoint window_end;    // inclusive
  size_t limit = 1000;     // the first `limit` in (time, id) order; 0 means 1000
};

// Storage of the connection log. Implementations must be thread-safe (the writer thread
// appends while the audit reads). Errors: kUnavailable (busy, connection lost; retrying may
// succeed), kCorrupt, kInternal; never "not found" for a query with no rows.
class ConnectionLogStore {
 public:
  virtual ~ConnectionLogStore() = default;

  // Applies `events` in order in one transaction: all or none. Durable once it returns Ok.
  // Safe to call again with the same events after a failure (every event is idempotent).
  virtual Result<void> AppendBatch(std::span<const ConnectionLogEvent> events) = 0;

  // Records that `node_id` was alive at `at` (an upsert of one row per node; never lowers the
  // stored time).
  virtual Result<void> Heartbeat(std::string_view node_id, TimePoint at) = 0;

  // At start-up, before the node serves: closes every session of `node_id` that has no
  // disconnect_time, with disconnect_time = the node's last heartbeat (or, if the node has
  // none, the session's last_packet_time) but never earlier than the session's
  // last_packet_time, and disconnect_reason = "CONNECTION_LOST". Returns how many it closed.
  virtual Result<int64_t> CloseOrphanedSessions(std::string_view node_id) = 0;

  // For the audit: query.limit sessions overlapping the window, ordered by (certificate_id,
  // connect_time, session_id), starting strictly after query.after. Fewer than the limit means
  // the end was reached. kInvalidArgument if window_end < window_start.
  virtual Result<std::vector<SessionRecord>> ListSessions(const SessionQuery& query) = 0;

  // Refused connections of an account in the window, ordered by (time, id).
  virtual Result<std::vector<RefusedConnection>> ListRefused(const RefusedQuery& query) = 0;
};

}  // namespace fg::registry
