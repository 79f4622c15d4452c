#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mqtt/message.h"
#include "mqtt/packet.h"
#include "mqtt/subscription_table.h"

namespace fg::mqtt {

// What a persistent session carries from one network connection to the next (AWS IoT Core
// "MQTT persistent sessions": subscriptions and QoS 1 messages the client has not
// acknowledged). A value type: the Session hands it out in DisconnectRecord::persisted when a
// session with a non-zero expiry ends, the broker keeps it while the client is away (queueing
// matching QoS 1 messages into `pending`), and hands it back to Session::OnResume.
struct SessionState {
  // AWS does not resume across protocol versions ("Cross MQTT version persistent sessions are
  // not supported").
  ProtocolVersion version = ProtocolVersion::kV311;
  // How long the session outlives its connection, already capped by the server (> 0).
  std::uint32_t expiry_seconds = 0;
  std::vector<std::pair<std::string, SubscriptionOptions>> subscriptions;
  // QoS 1 PUBLISHes sent and not acknowledged, with their packet ids, in send order; resent
  // with DUP set on resume (MQTT-4.4.0-1).
  std::vector<PublishPacket> unacknowledged;
  // QoS 1 messages not yet sent (queued behind the in-flight window, or routed while the
  // client was away), oldest first.
  std::vector<ApplicationMessage> pending;

  // Payload bytes held in `unacknowledged` and `pending`.
  std::size_t PayloadBytes() const;
};

}  // namespace fg::mqtt
