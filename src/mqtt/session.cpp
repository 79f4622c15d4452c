#include "mqtt/session.h"

#include <algorithm>
#include <iterator>

#include "mqtt/encoder.h"
#include "mqtt/topic.h"

namespace fg::mqtt {

std::uint16_t ClampKeepAlive(std::uint16_t requested, const Limits& limits) {
  if (requested == 0 || requested > limits.max_keep_alive_seconds) {
    return limits.max_keep_alive_seconds;
  }
  return std::max(requested, limits.min_keep_alive_seconds);
}

Session::Session(const Limits& limits, TimePoint accepted_at)
    : limits_(&limits),
      framer_(limits.max_packet_size),
      accepted_at_(accepted_at),
      last_packet_at_(accepted_at),
      outbound_(limits.outbound) {}

void Session::OnAuthenticated(std::string principal_id, std::string session_id) {
  authenticated_ = true;
  principal_id_ = std::move(principal_id);
  session_id_ = std::move(session_id);
}

Actions Session::OnBytes(std::span<const std::uint8_t> chunk, TimePoint now) {
  Actions out;
  if (state_ == State::kClosed) {
    return out;
  }
  if (!authenticated_) {
    End({DisconnectReason::kAuthError, std::nullopt, false, false,
         "bytes before the connection was authenticated"},
        now, out);
    return out;
  }
  if (state_ == State::kResuming) {
    pending_input_.insert(pending_input_.end(), chunk.begin(), chunk.end());
    return out;
  }
  // A deadline that passed before these bytes were read still counts (the tick may be late).
  CheckTimers(now, out);
  while (state_ != State::kClosed) {
    auto next = framer_.Next(chunk);
    if (!next) {
      HandleCodecError(next.error(), now, out);
      break;
    }
    if (!next->has_value()) {
      break;
    }
    last_packet_at_ = now;
    HandlePacket(std::move(**next), now, out);
    if (state_ == State::kResuming) {
      // Nothing behind the CONNECT may be answered before the CONNACK that OnResume sends.
      pending_input_.insert(pending_input_.end(), chunk.begin(), chunk.end());
      break;
    }
  }
  return out;
}

Actions Session::OnResume(std::optional<SessionState> stored, TimePoint now) {
  Actions out;
  if (state_ != State::kResuming) {
    return out;
  }
  state_ = State::kConnected;
  std::vector<PublishPacket> resend;
  const bool present = stored.has_value() && stored->version == version();
  if (present) {
    subscriptions_ = std::move(stored->subscriptions);
    resend = outbound_.Restore(std::move(stored->unacknowledged), std::move(stored->pending));
  }
  ConnackPacket ack = std::move(*pending_connack_);
  pending_connack_.reset();
  ack.session_present = present;
  Send(ack, out);
  for (PublishPacket& p : resend) {
    if (version() != ProtocolVersion::kV5) {
      p.properties.clear();
    }
    Send(p, out);
  }
  if (!pending_input_.empty()) {
    std::vector<std::uint8_t> input;
    input.swap(pending_input_);
    Actions more = OnBytes(input, now);
    std::move(more.begin(), more.end(), std::back_inserter(out));
  }
  return out;
}

Actions Session::OnTick(TimePoint now) {
  Actions out;
  CheckTimers(now, out);
  return out;
}

Actions Session::OnConnectionLost(TimePoint now) {
  Actions out;
  if (state_ != State::kClosed) {
    End({DisconnectReason::kConnectionLost, std::nullopt, true, false,
         "connection closed without DISCONNECT"},
        now, out);
  }
  return out;
}

Actions Session::OnServerDisconnect(ServerDisconnectCause cause, TimePoint now, bool prevent_will) {
  Actions out;
  if (state_ == State::kClosed) {
    return out;
  }
  switch (cause) {
    case ServerDisconnectCause::kSessionTakenOver:
      End({DisconnectReason::kDuplicateClientId, ReasonCode::kSessionTakenOver, true, false,
           "another connection took over this client id"},
          now, out);
      break;
    case ServerDisconnectCause::kNotAuthorized:
      End({DisconnectReason::kAuthError, ReasonCode::kNotAuthorized, true, false,
           "the certificate is no longer authorized"},
          now, out);
      break;
    case ServerDisconnectCause::kServerShuttingDown:
      End({DisconnectReason::kServerInitiatedDisconnect, ReasonCode::kServerShuttingDown, true,
           false, "server shutting down"},
          now, out);
      break;
    case ServerDisconnectCause::kAdministrative:
      End({DisconnectReason::kApiInitiatedDisconnect, ReasonCode::kAdministrativeAction,
           !prevent_will, false, "disconnected through the API"},
          now, out);
      break;
  }
  return out;
}

Actions Session::Deliver(const ApplicationMessage& message, QoS granted, TimePoint) {
  Actions out;
  if (state_ != State::kConnected) {
    return out;
  }
  const QoS qos = std::min(message.qos, std::min(granted, QoS::kAtLeastOnce));
  if (client_max_packet_ != 0) {
    // Conservative size bound: fixed header 5, topic 2+n, id 2, properties, payload.
    const std::size_t size = 5 + 2 + message.topic.size() + 2 +
                             EncodedPropertiesSize(message.properties) + message.payload.size();
    if (size > client_max_packet_) {
      return out;  // MQTT-3.1.2-25: discard as if delivered
    }
  }
  Delivery d = outbound_.Offer(message, qos);
  if (d.packet) {
    if (version() != ProtocolVersion::kV5) {
      d.packet->properties.clear();
    }
    Send(std::move(*d.packet), out);
  }
  return out;
}

std::optional<TimePoint> Session::NextDeadline() const {
  switch (state_) {
    case State::kAwaitingConnect:
      return accepted_at_ + limits_->connect_timeout;
    case State::kResuming:
    case State::kConnected:
      return last_packet_at_ + std::chrono::milliseconds(std::int64_t{keep_alive_} * 1500);
    case State::kClosed:
      return std::nullopt;
  }
  return std::nullopt;
}

void Session::CheckTimers(TimePoint now, Actions& out) {
  const auto deadline = NextDeadline();
  if (!deadline || now < *deadline) {
    return;
  }
  if (state_ == State::kAwaitingConnect) {
    End({DisconnectReason::kClientError, std::nullopt, false, false,
         "no CONNECT within the connect timeout"},
        now, out);
    return;
  }
  // MQTT-3.1.2-24: nothing received for 1.5 x keep-alive.
  End({DisconnectReason::kMqttKeepAliveTimeout, ReasonCode::kKeepAliveTimeout, true, false,
       "keep-alive timeout"},
      now, out);
}

void Session::Send(const Packet& packet, Actions& out) const {
  out.push_back(SendBytes{Encode(packet, version())});
}

void Session::End(Ending ending, TimePoint now, Actions& out) {
  // kResuming counts as established: SessionEstablished went out, so the driver attaches.
  // No DISCONNECT then, as no CONNACK preceded it.
  const bool established = state_ == State::kConnected || state_ == State::kResuming;
  if (state_ == State::kConnected && ending.v5_code && version() == ProtocolVersion::kV5) {
    Send(DisconnectPacket{*ending.v5_code, {}}, out);
  }
  const bool will_sent = established && ending.send_will && will_ != nullptr;
  if (will_sent) {
    PublishWill will;
    will.message.topic = std::move(will_->topic);
    will.message.payload = std::move(will_->payload);
    will.message.qos = will_->qos;
    will.message.retain = will_->retain;
    if (const Property* delay = FindProperty(will_->properties, PropertyId::kWillDelayInterval)) {
      will.delay_seconds = std::min(delay->number, session_expiry_);
    }
    for (Property& p : will_->properties) {
      if (p.id != PropertyId::kWillDelayInterval) {
        will.message.properties.push_back(std::move(p));
      }
    }
    out.push_back(std::move(will));
  }
  will_.reset();
  DisconnectRecord record{ending.reason, ending.client_initiated,  established,
                          will_sent,     std::move(ending.detail), now,
                          std::nullopt};
  if (established && session_expiry_ > 0) {
    auto [unacknowledged, pending] = outbound_.TakeState();
    record.persisted = SessionState{version(), session_expiry_, subscriptions_,
                                    std::move(unacknowledged), std::move(pending)};
  }
  pending_input_.clear();
  out.push_back(std::move(record));
  out.push_back(CloseConnection{});
  state_ = State::kClosed;
}

void Session::HandleCodecError(const CodecError& error, TimePoint now, Actions& out) {
  if (state_ == State::kAwaitingConnect && error.code == CodecErrc::kUnsupportedProtocolVersion) {
    // 3.1.1 §3.1.2.2: CONNACK 0x01 then close. The client's version is unknown, so the
    // CONNACK uses the 3.1.1 layout, which every version can read this far.
    out.push_back(
        SendBytes{Encode(ConnackPacket{false, ReasonCode::kUnsupportedProtocolVersion, {}},
                         ProtocolVersion::kV311)});
  }
  End({DisconnectReason::kClientError, error.reason(), true, false, error.ToString()}, now, out);
}

void Session::ProtocolError(ReasonCode code, std::string detail, TimePoint now, Actions& out) {
  End({DisconnectReason::kClientError, code, true, false, std::move(detail)}, now, out);
}

void Session::HandlePacket(Packet packet, TimePoint now, Actions& out) {
  if (state_ == State::kAwaitingConnect) {
    if (auto* connect = std::get_if<ConnectPacket>(&packet)) {
      HandleConnect(std::move(*connect), now, out);
    } else {
      End({DisconnectReason::kClientError, std::nullopt, false, false,
           "first packet was not CONNECT"},  // MQTT-3.1.0-1
          now, out);
    }
    return;
  }
  switch (TypeOf(packet)) {
    case PacketType::kPublish:
      HandlePublish(std::move(std::get<PublishPacket>(packet)), out);
      return;
    case PacketType::kPuback:
      for (PublishPacket& p : outbound_.OnPuback(std::get<PubackPacket>(packet).packet_id)) {
        if (version() != ProtocolVersion::kV5) {
          p.properties.clear();
        }
        Send(p, out);
      }
      return;
    case PacketType::kSubscribe:
      HandleSubscribe(std::get<SubscribePacket>(packet), out);
      return;
    case PacketType::kUnsubscribe:
      HandleUnsubscribe(std::get<UnsubscribePacket>(packet), out);
      return;
    case PacketType::kPingreq:
      Send(PingrespPacket{}, out);
      return;
    case PacketType::kDisconnect:
      HandleDisconnect(std::get<DisconnectPacket>(packet), now, out);
      return;
    case PacketType::kConnect:
      ProtocolError(ReasonCode::kProtocolError, "second CONNECT", now, out);  // MQTT-3.1.0-2
      return;
    default:
      // AUTH without an Authentication Method, or a server-to-client packet type.
      ProtocolError(ReasonCode::kProtocolError,
                    std::string("unexpected ") + std::string(PacketTypeName(TypeOf(packet))), now,
                    out);
      return;
  }
}

}  // namespace fg::mqtt
