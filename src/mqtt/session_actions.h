#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "mqtt/disconnect_reason.h"
#include "mqtt/message.h"
#include "mqtt/session_state.h"
#include "mqtt/subscription_table.h"

namespace fg::mqtt {

// What a Session asks its driver (the gateway connection) to do. Each input returns them in
// the order they must be carried out.

// Write these bytes to the connection, in order with other SendBytes.
struct SendBytes {
  std::vector<std::uint8_t> bytes;
};

// Close the connection once the preceding SendBytes are flushed. Always the last action.
struct CloseConnection {};

// CONNECT accepted the client: register the client id (taking over any older session with
// the same id in the account), write the connection-log row, publish the connected event.
// With clean_start false the CONNACK is not sent yet: the driver looks up the stored session
// (Broker::Attach) and passes what it found to Session::OnResume, which sends the CONNACK
// with Session Present and the stored messages. With clean_start true the CONNACK is already
// out (Session Present 0) and OnResume is optional (it does nothing).
struct SessionEstablished {
  std::string client_id;
  bool client_id_assigned = false;  // empty id from the client; the server chose this one
  ProtocolVersion version = ProtocolVersion::kV311;
  std::uint16_t keep_alive_seconds = 0;  // after clamping
  bool clean_start = true;
  // How long the session outlives the connection (3.1.1: 0 or the persistent-session expiry;
  // v5: the Session Expiry Interval capped by the server). 0: a clean session.
  std::uint32_t session_expiry_seconds = 0;
  TimePoint at;
};

// Route an application message from this client to subscribers. If `message.retain`, the
// broker also updates the RetainedStore (an empty payload clears the topic).
struct DeliverMessage {
  ApplicationMessage message;
};

// Add (or replace) this session's subscription in the broker's SubscriptionTable and send it
// the matching retained messages (subject to `retain_handling`, v5 §3.8.3.1).
struct SubscribeRequest {
  std::string filter;
  SubscriptionOptions options;
  std::uint8_t retain_handling = 0;
  bool existed = false;  // replaces a subscription this session already had
};

struct UnsubscribeRequest {
  std::string filter;
};

// Publish the client's will. `delay_seconds` is the v5 Will Delay Interval (0 in 3.1.1); the
// broker waits that long and drops the will if the client id reconnects first (§3.1.3.2.2).
struct PublishWill {
  ApplicationMessage message;
  std::uint32_t delay_seconds = 0;
};

// The session is over (always emitted exactly once, just before CloseConnection). `established`
// is false when the connection never got a successful CONNACK: the gateway then records a
// refused connection rather than a session.
struct DisconnectRecord {
  DisconnectReason reason = DisconnectReason::kUnknown;
  bool client_initiated = false;
  bool established = false;
  bool will_sent = false;
  std::string detail;  // human-readable cause for logs
  TimePoint at;
  // Set when an established session with a non-zero expiry ends: what the broker keeps for
  // the client id until the session expires or is resumed. Its expiry_seconds is final (a v5
  // DISCONNECT may have changed it).
  std::optional<SessionState> persisted;
};

using Action = std::variant<SendBytes, CloseConnection, SessionEstablished, DeliverMessage,
                            SubscribeRequest, UnsubscribeRequest, PublishWill, DisconnectRecord>;
using Actions = std::vector<Action>;

}  // namespace fg::mqtt
