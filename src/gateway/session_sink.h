#pragma once

// The broker's handle on one live connection. The net layer implements it per connection
// (the connection owns its mqtt::Session on its strand); tests use a recording fake.
//
// Thread-safety: the broker calls Deliver and Kick from whatever thread routes the message or
// decides the disconnect, possibly several at once, and never while holding its own lock. An
// implementation must not block and must not call the broker synchronously: it posts the
// work to the connection's strand, which then calls mqtt::Session::Deliver /
// OnServerDisconnect and carries out the resulting actions (including Broker::Detach).

#include "mqtt/message.h"
#include "mqtt/packet.h"
#include "mqtt/session.h"

namespace fg::gateway {

class SessionSink {
 public:
  virtual ~SessionSink() = default;

  // A message routed to this session, at the QoS its subscription granted.
  virtual void Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) = 0;

  // End the session on the server's initiative (takeover, certificate no longer ACTIVE, ...).
  virtual void Kick(mqtt::ServerDisconnectCause cause) = 0;
};

}  // namespace fg::gateway
