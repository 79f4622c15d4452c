// Session's handling of CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE and DISCONNECT (the rules are
// listed in session.h). Split from session.cpp, which holds the life cycle and timers.

#include <algorithm>

#include "mqtt/encoder.h"
#include "mqtt/session.h"
#include "mqtt/topic.h"

namespace fg::mqtt {
namespace {

constexpr std::string_view kSharedPrefix = "$share/";
constexpr std::string_view kAssignedPrefix = "$fg-";

}  // namespace

void Session::RefuseConnect(ReasonCode code, std::string detail, TimePoint now, Actions& out) {
  if (version() == ProtocolVersion::kV5 || V311ConnectReturnCode(code).has_value()) {
    Send(ConnackPacket{false, code, {}}, out);
  }
  End({DisconnectReason::kClientError, std::nullopt, false, false, std::move(detail)}, now, out);
}

void Session::HandleConnect(ConnectPacket connect, TimePoint now, Actions& out) {
  framer_.set_version(connect.version);
  const bool v5 = connect.version == ProtocolVersion::kV5;
  if (v5 && FindProperty(connect.properties, PropertyId::kAuthenticationMethod) != nullptr) {
    RefuseConnect(ReasonCode::kBadAuthenticationMethod, "enhanced authentication", now, out);
    return;
  }
  bool assigned = false;
  if (connect.client_id.empty()) {
    if (!v5 && !connect.clean_start) {
      RefuseConnect(ReasonCode::kClientIdentifierNotValid, "empty client id with Clean Session 0",
                    now, out);  // MQTT-3.1.3-8
      return;
    }
    connect.client_id = std::string(kAssignedPrefix) + session_id_;
    assigned = true;
  } else if (connect.client_id.size() > limits_->max_client_id_length ||
             connect.client_id.front() == '$') {
    RefuseConnect(ReasonCode::kClientIdentifierNotValid,
                  "client id longer than the limit or starting with '$'", now, out);
    return;
  }
  if (connect.will) {
    const Will& w = *connect.will;
    if (w.qos == QoS::kExactlyOnce) {
      RefuseConnect(ReasonCode::kQosNotSupported, "will QoS 2", now, out);
      return;
    }
    if (!WithinTopicLimits(w.topic, limits_->topic)) {
      RefuseConnect(ReasonCode::kTopicNameInvalid, "will topic over the topic limits", now, out);
      return;
    }
    if (w.payload.size() > limits_->max_payload) {
      RefuseConnect(ReasonCode::kPacketTooLarge, "will payload over the limit", now, out);
      return;
    }
    will_ = std::make_unique<Will>(std::move(*connect.will));
  }
  if (const Property* max = FindProperty(connect.properties, PropertyId::kMaximumPacketSize)) {
    client_max_packet_ = max->number;
  }
  if (const Property* rm = FindProperty(connect.properties, PropertyId::kReceiveMaximum)) {
    outbound_.set_receive_maximum(static_cast<std::uint16_t>(rm->number));
  }
  keep_alive_ = ClampKeepAlive(connect.keep_alive, *limits_);
  session_expiry_ = ConnectSessionExpiry(connect);
  outbound_.set_keep_unacknowledged(session_expiry_ > 0);
  client_id_ = std::move(connect.client_id);
  last_packet_at_ = now;  // the keep-alive timer starts at CONNACK

  ConnackPacket ack;
  if (v5) {
    // §3.2.2.3: tell the client what this server does not do, so it does not try.
    if (keep_alive_ != connect.keep_alive) {
      ack.properties.push_back(Property::Number(PropertyId::kServerKeepAlive, keep_alive_));
    }
    if (assigned) {
      ack.properties.push_back(Property::String(PropertyId::kAssignedClientIdentifier, client_id_));
    }
    const Property* requested =
        FindProperty(connect.properties, PropertyId::kSessionExpiryInterval);
    if (requested != nullptr && requested->number != session_expiry_) {
      ack.properties.push_back(
          Property::Number(PropertyId::kSessionExpiryInterval, session_expiry_));
    }
    ack.properties.push_back(Property::Number(PropertyId::kMaximumQos, 1));
    ack.properties.push_back(Property::Number(PropertyId::kReceiveMaximum,
                                              static_cast<std::uint32_t>(std::clamp<std::size_t>(
                                                  limits_->outbound.max_inflight, 1, 65535))));
    ack.properties.push_back(Property::Number(
        PropertyId::kMaximumPacketSize, static_cast<std::uint32_t>(limits_->max_packet_size)));
    ack.properties.push_back(Property::Number(PropertyId::kSubscriptionIdentifierAvailable, 0));
    ack.properties.push_back(Property::Number(PropertyId::kSharedSubscriptionAvailable, 0));
  }
  if (connect.clean_start) {
    state_ = State::kConnected;
    Send(ack, out);  // Session Present 0 (MQTT-3.2.2-2)
  } else {
    state_ = State::kResuming;
    pending_connack_ = std::make_unique<ConnackPacket>(std::move(ack));
  }
  out.push_back(SessionEstablished{client_id_, assigned, connect.version, keep_alive_,
                                   connect.clean_start, session_expiry_, now});
}

std::uint32_t Session::ConnectSessionExpiry(const ConnectPacket& connect) const {
  const std::uint32_t cap = limits_->persistent_session_expiry_seconds;
  if (connect.version != ProtocolVersion::kV5) {
    return connect.clean_start ? 0 : cap;
  }
  // §3.1.2.11.2: absent means 0, the session ends with the connection; 0xFFFFFFFF ("never")
  // is capped like any other value.
  const Property* requested = FindProperty(connect.properties, PropertyId::kSessionExpiryInterval);
  return requested == nullptr ? 0 : std::min(requested->number, cap);
}

void Session::HandlePublish(PublishPacket publish, Actions& out) {
  const TimePoint now = last_packet_at_;
  if (FindProperty(publish.properties, PropertyId::kTopicAlias) != nullptr) {
    // Topic Alias Maximum is 0 (not sent), so any alias is invalid (MQTT-3.3.2-9).
    ProtocolError(ReasonCode::kTopicAliasInvalid, "topic alias not supported", now, out);
    return;
  }
  if (FindProperty(publish.properties, PropertyId::kSubscriptionIdentifier) != nullptr) {
    ProtocolError(ReasonCode::kProtocolError, "subscription identifier in a client PUBLISH", now,
                  out);  // MQTT-3.3.4-6
    return;
  }
  if (publish.qos == QoS::kExactlyOnce) {
    ProtocolError(ReasonCode::kQosNotSupported, "QoS 2 PUBLISH", now, out);  // MQTT-3.2.2-11
    return;
  }
  if (publish.payload.size() > limits_->max_payload) {
    ProtocolError(ReasonCode::kPacketTooLarge, "payload over the limit", now, out);
    return;
  }
  if (!WithinTopicLimits(publish.topic, limits_->topic)) {
    ProtocolError(ReasonCode::kTopicNameInvalid, "topic over the topic limits", now, out);
    return;
  }
  const QoS qos = publish.qos;
  const std::uint16_t id = publish.packet_id;
  out.push_back(
      DeliverMessage{ApplicationMessage{std::move(publish.topic), std::move(publish.payload), qos,
                                        publish.retain, std::move(publish.properties)}});
  if (qos == QoS::kAtLeastOnce) {
    Send(PubackPacket{id, ReasonCode::kSuccess, {}}, out);
  }
}

void Session::HandleSubscribe(const SubscribePacket& subscribe, Actions& out) {
  if (FindProperty(subscribe.properties, PropertyId::kSubscriptionIdentifier) != nullptr) {
    // Subscription Identifier Available is 0 in CONNACK (MQTT-3.8.2-... / §3.2.2.3.12).
    ProtocolError(ReasonCode::kSubscriptionIdentifiersNotSupported,
                  "subscription identifiers not supported", last_packet_at_, out);
    return;
  }
  SubackPacket ack;
  ack.packet_id = subscribe.packet_id;
  const bool too_many = subscribe.subscriptions.size() > limits_->max_topic_filters_per_subscribe;
  for (const Subscription& s : subscribe.subscriptions) {
    if (too_many) {
      ack.reason_codes.push_back(ReasonCode::kQuotaExceeded);
      continue;
    }
    if (!IsValidTopicFilter(s.filter) || !WithinTopicLimits(s.filter, limits_->topic)) {
      ack.reason_codes.push_back(ReasonCode::kTopicFilterInvalid);
      continue;
    }
    if (s.filter.starts_with(kSharedPrefix)) {
      ack.reason_codes.push_back(ReasonCode::kSharedSubscriptionsNotSupported);
      continue;
    }
    auto existing = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                                 [&](const auto& e) { return e.first == s.filter; });
    const bool existed = existing != subscriptions_.end();
    if (!existed && subscriptions_.size() >= limits_->max_subscriptions) {
      ack.reason_codes.push_back(ReasonCode::kQuotaExceeded);
      continue;
    }
    SubscriptionOptions options;
    options.max_qos = std::min(s.max_qos, QoS::kAtLeastOnce);  // AWS grants at most QoS 1
    options.no_local = s.no_local;
    options.retain_as_published = s.retain_as_published;
    if (existed) {
      existing->second = options;
    } else {
      subscriptions_.emplace_back(s.filter, options);
    }
    out.push_back(SubscribeRequest{s.filter, options, s.retain_handling, existed});
    ack.reason_codes.push_back(static_cast<ReasonCode>(options.max_qos));
  }
  Send(ack, out);
}

void Session::HandleUnsubscribe(const UnsubscribePacket& unsubscribe, Actions& out) {
  UnsubackPacket ack;
  ack.packet_id = unsubscribe.packet_id;
  for (const std::string& filter : unsubscribe.filters) {
    auto it = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                           [&](const auto& e) { return e.first == filter; });
    if (it == subscriptions_.end()) {
      ack.reason_codes.push_back(ReasonCode::kNoSubscriptionExisted);
      continue;
    }
    subscriptions_.erase(it);
    out.push_back(UnsubscribeRequest{filter});
    ack.reason_codes.push_back(ReasonCode::kSuccess);
  }
  Send(ack, out);
}

void Session::HandleDisconnect(const DisconnectPacket& disconnect, TimePoint now, Actions& out) {
  // MQTT-3.14.4-3: a normal DISCONNECT discards the will; v5 0x04 asks for it to be sent.
  if (const Property* expiry =
          FindProperty(disconnect.properties, PropertyId::kSessionExpiryInterval)) {
    if (session_expiry_ == 0 && expiry->number > 0) {
      ProtocolError(ReasonCode::kProtocolError,
                    "DISCONNECT sets a Session Expiry Interval on a session that had none", now,
                    out);  // MQTT-3.14.2-2
      return;
    }
    session_expiry_ = std::min(expiry->number, limits_->persistent_session_expiry_seconds);
  }
  const bool with_will = disconnect.reason_code == ReasonCode::kDisconnectWithWill;
  End({DisconnectReason::kClientInitiatedDisconnect, std::nullopt, with_will, true,
       "client sent DISCONNECT"},
      now, out);
}

}  // namespace fg::mqtt
