#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "mqtt/codec_error.h"
#include "mqtt/framer.h"
#include "mqtt/limits.h"
#include "mqtt/outbound_window.h"
#include "mqtt/session_actions.h"
#include "mqtt/session_state.h"

namespace fg::mqtt {

// Why the server ends a live session on its own initiative.
enum class ServerDisconnectCause : std::uint8_t {
  kSessionTakenOver,    // same client id connected again: DUPLICATE_CLIENTID, v5 0x8E
  kNotAuthorized,       // the certificate left ACTIVE: AUTH_ERROR, v5 0x87
  kServerShuttingDown,  // SERVER_INITIATED_DISCONNECT, v5 0x8B
  kAdministrative,      // DeleteConnection API: API_INITIATED_DISCONNECT, v5 0x98
};

// One MQTT connection's protocol state, as AWS IoT Core behaves (sans-I/O: bytes and time in,
// Actions out; it never touches a socket or a clock of its own). The driver calls the On*
// methods and carries out the returned actions in order.
//
// Life cycle: kAwaitingConnect -> (CONNECT accepted) kConnected -> kClosed; or
// kAwaitingConnect -> kClosed. Once closed every input returns no actions; exactly one
// DisconnectRecord followed by CloseConnection is emitted on the way to kClosed.
//
// Rules (AWS IoT "differences from the MQTT specification" and quotas, MQTT 5 sections):
//  - The first packet must be CONNECT, within limits.connect_timeout of construction; a second
//    CONNECT is a protocol error (MQTT-3.1.0-2).
//  - Client id: at most max_client_id_length bytes and not starting with '$' (reserved for
//    server-generated ids), else CONNACK 3.1.1 0x02 / v5 0x85. An empty client id gets a
//    server-assigned "$fg-<session id>" (v5 Assigned Client Identifier), except in 3.1.1 with
//    Clean Session 0, which MQTT-3.1.3-8 requires refusing with 0x02.
//  - Keep-alive clamped (ClampKeepAlive); v5 CONNACK carries Server Keep Alive when changed.
//    No packet for 1.5 x keep-alive: MQTT_KEEP_ALIVE_TIMEOUT (v5 DISCONNECT 0x8D).
//  - QoS 2 PUBLISH: disconnect (v5 0x9B); a will with QoS 2 is refused at CONNECT (0x9B).
//    QoS 1 PUBLISH gets PUBACK after DeliverMessage. SUBSCRIBE QoS 2 is granted QoS 1.
//  - Payload over max_payload: disconnect (v5 0x95). Topic over the topic limits: disconnect
//    (v5 0x90). Bad filters get SUBACK 0x80 / v5 0x8F; more than max_subscriptions get 0x80 /
//    v5 0x97; a SUBSCRIBE with more than max_topic_filters_per_subscribe filters fails every
//    filter with 0x97. Shared subscriptions ($share/) are not supported (v5 0x9E).
//  - Not offered in v5 CONNACK, so refused if used: topic aliases (0x94), subscription
//    identifiers (0xA1), enhanced authentication (CONNECT with Authentication Method gets
//    0x8C; an AUTH packet is a protocol error).
//  - 3.1.1 has no server DISCONNECT: errors there just close. Where 3.1.1 has no CONNACK
//    code for a refusal, the connection is closed without CONNACK (MQTT-3.2.2-6 allows it).
//  - Will: published on every end except a DISCONNECT with reason 0x00 (v5 0x04 asks for it),
//    and not for administrative disconnects with prevent_will, nor before CONNACK. A v5 Will
//    Delay Interval is capped by the session's expiry (§3.1.3.2.2: the will goes when the
//    session ends, if that comes first).
//  - Persistent sessions (AWS "MQTT persistent sessions"): 3.1.1 Clean Session 0 gets
//    limits.persistent_session_expiry_seconds; v5 gets its Session Expiry Interval capped at
//    that value (CONNACK carries the value used when it differs, §3.2.2.3.2). A v5
//    DISCONNECT may change the interval, except from 0 to non-zero (MQTT-3.14.2-2, protocol
//    error). With Clean Start 0 the CONNACK waits for OnResume (see SessionEstablished);
//    bytes that arrive behind the CONNECT wait with it. An established session with a
//    non-zero expiry hands its SessionState out in DisconnectRecord::persisted, however it
//    ends.
//
// Memory: an idle connected session holds a few strings (client id, will) and empty vectors;
// the framer buffers only partial packets. Not thread-safe: one strand per connection.
class Session {
 public:
  // `limits` must outlive the session. `accepted_at` starts the CONNECT deadline.
  Session(const Limits& limits, TimePoint accepted_at);

  // The gateway's authentication result, before any bytes: `principal_id` (certificate id)
  // and `session_id` (unique per connection; used to build assigned client ids). Bytes that
  // arrive before this close the connection (AUTH_ERROR).
  void OnAuthenticated(std::string principal_id, std::string session_id);

  // Bytes read from the connection, in order, split anywhere.
  Actions OnBytes(std::span<const std::uint8_t> chunk, TimePoint now);

  // After SessionEstablished with clean_start false: what the broker found for this client id
  // (nullopt: no session, or one of another protocol version). Sends the CONNACK with
  // Session Present, restores the subscriptions, resends unacknowledged messages with DUP and
  // sends the stored ones, then handles any bytes that came behind the CONNECT. Does nothing
  // in any other state. REQUIRES: called before any other input once SessionEstablished was
  // returned (drivers call it while carrying out that action).
  Actions OnResume(std::optional<SessionState> stored, TimePoint now);

  // Time passed; call at NextDeadline() (calling more often is harmless).
  Actions OnTick(TimePoint now);

  // The transport failed or the peer closed without DISCONNECT: CONNECTION_LOST, will sent.
  Actions OnConnectionLost(TimePoint now);

  // The server ends the session (takeover, certificate revoked, shutdown, API).
  Actions OnServerDisconnect(ServerDisconnectCause cause, TimePoint now, bool prevent_will = false);

  // A message routed to this subscriber at `granted` QoS (the subscription's). Sent, queued or
  // dropped per OutboundWindow's policy; also dropped if larger than the client's v5 Maximum
  // Packet Size (MQTT-3.1.2-25) or if the session is not connected.
  Actions Deliver(const ApplicationMessage& message, QoS granted, TimePoint now);

  // When OnTick must next be called, or nullopt once closed.
  std::optional<TimePoint> NextDeadline() const;

  // kResuming: CONNECT with Clean Start 0 accepted, CONNACK waiting for OnResume.
  enum class State : std::uint8_t { kAwaitingConnect, kResuming, kConnected, kClosed };
  State state() const { return state_; }
  ProtocolVersion version() const { return framer_.version(); }
  const std::string& client_id() const { return client_id_; }
  const std::string& principal_id() const { return principal_id_; }
  std::uint16_t keep_alive_seconds() const { return keep_alive_; }
  std::uint32_t session_expiry_seconds() const { return session_expiry_; }
  // Live subscriptions (filter, options); still readable after close so the broker can remove
  // them from its table.
  const std::vector<std::pair<std::string, SubscriptionOptions>>& subscriptions() const {
    return subscriptions_;
  }
  const OutboundWindow& outbound() const { return outbound_; }

 private:
  struct Ending {
    DisconnectReason reason;
    std::optional<ReasonCode> v5_code;  // DISCONNECT to send, if the client speaks v5
    bool send_will;
    bool client_initiated;
    std::string detail;
  };

  void HandlePacket(Packet packet, TimePoint now, Actions& out);
  void HandleConnect(ConnectPacket connect, TimePoint now, Actions& out);
  void HandlePublish(PublishPacket publish, Actions& out);
  void HandleSubscribe(const SubscribePacket& subscribe, Actions& out);
  void HandleUnsubscribe(const UnsubscribePacket& unsubscribe, Actions& out);
  void HandleDisconnect(const DisconnectPacket& disconnect, TimePoint now, Actions& out);
  std::uint32_t ConnectSessionExpiry(const ConnectPacket& connect) const;
  void HandleCodecError(const CodecError& error, TimePoint now, Actions& out);
  void RefuseConnect(ReasonCode code, std::string detail, TimePoint now, Actions& out);
  void ProtocolError(ReasonCode code, std::string detail, TimePoint now, Actions& out);
  void CheckTimers(TimePoint now, Actions& out);
  void Send(const Packet& packet, Actions& out) const;
  void End(Ending ending, TimePoint now, Actions& out);

  const Limits* limits_;  // not owned
  State state_ = State::kAwaitingConnect;
  bool authenticated_ = false;
  Framer framer_;
  TimePoint accepted_at_;
  TimePoint last_packet_at_;
  std::uint16_t keep_alive_ = 0;
  std::uint32_t session_expiry_ = 0;
  std::uint32_t client_max_packet_ = 0;  // 0: no limit from the client
  std::string principal_id_;
  std::string session_id_;
  std::string client_id_;
  std::unique_ptr<Will> will_;  // heap only when the client set one
  // While kResuming: the CONNACK to send and the bytes read behind the CONNECT.
  std::unique_ptr<ConnackPacket> pending_connack_;
  std::vector<std::uint8_t> pending_input_;
  std::vector<std::pair<std::string, SubscriptionOptions>> subscriptions_;
  OutboundWindow outbound_;
};

}  // namespace fg::mqtt
