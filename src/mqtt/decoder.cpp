#include "mqtt/decoder.h"

#include "mqtt/topic.h"
#include "mqtt/wire_reader.h"

namespace fg::mqtt {
namespace {

using Body = std::span<const std::uint8_t>;

constexpr bool IsV5(ProtocolVersion v) { return v == ProtocolVersion::kV5; }

CodecResult<void> ExpectFlags(std::uint8_t flags, std::uint8_t expected, const char* packet) {
  if (flags != expected) {
    // MQTT-2.2.2-2: reserved flag bits that differ from table 2-2 make the packet malformed.
    return Malformed(std::string(packet) + " fixed header flags are reserved");
  }
  return {};
}

CodecResult<std::uint16_t> ReadPacketId(WireReader& r) {
  FG_MQTT_TRY(id, r.ReadU16());
  if (id == 0) {
    return Malformed("packet identifier 0");  // MQTT-2.3.1-1
  }
  return id;
}

CodecResult<void> ExpectEnd(const WireReader& r, const char* packet) {
  if (!r.empty()) {
    return Malformed(std::string("bytes left over after ") + packet);
  }
  return {};
}

CodecResult<Packet> DecodePublish(std::uint8_t flags, Body body, ProtocolVersion version) {
  PublishPacket p;
  p.dup = (flags & 0x08) != 0;
  p.retain = (flags & 0x01) != 0;
  const auto qos = static_cast<std::uint8_t>((flags >> 1) & 0x03);
  if (qos == 3) {
    return Malformed("PUBLISH QoS 3");  // MQTT-3.3.1-4
  }
  p.qos = static_cast<QoS>(qos);
  if (p.qos == QoS::kAtMostOnce && p.dup) {
    return Malformed("PUBLISH QoS 0 with DUP set");  // MQTT-3.3.1-2
  }
  WireReader r(body);
  FG_MQTT_TRY(topic, r.ReadUtf8());
  if (HasWildcard(topic)) {
    return ProtocolViolation("PUBLISH topic name contains a wildcard");  // MQTT-3.3.2-2
  }
  p.topic = std::move(topic);
  if (p.qos != QoS::kAtMostOnce) {
    FG_MQTT_TRY(id, ReadPacketId(r));
    p.packet_id = id;
  }
  if (IsV5(version)) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kPublish));
    p.properties = std::move(props);
  }
  // A zero-length topic is allowed only in MQTT 5 with a Topic Alias (§3.3.2.1, §3.3.2.3.4).
  if (p.topic.empty() &&
      (!IsV5(version) || FindProperty(p.properties, PropertyId::kTopicAlias) == nullptr)) {
    return ProtocolViolation("PUBLISH topic name is empty");
  }
  p.payload = r.ReadRest();
  return p;
}

CodecResult<Packet> DecodePuback(std::uint8_t flags, Body body, ProtocolVersion version) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0, "PUBACK"));
  WireReader r(body);
  PubackPacket p;
  FG_MQTT_TRY(id, ReadPacketId(r));
  p.packet_id = id;
  // §3.4.2.1: the reason code and then the properties may be omitted.
  if (IsV5(version) && !r.empty()) {
    FG_MQTT_TRY(code, r.ReadByte());
    p.reason_code = static_cast<ReasonCode>(code);
    if (!r.empty()) {
      FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kPuback));
      p.properties = std::move(props);
    }
  }
  FG_MQTT_CHECK(ExpectEnd(r, "PUBACK"));
  return p;
}

CodecResult<Subscription> ReadSubscription(WireReader& r, ProtocolVersion version) {
  Subscription s;
  FG_MQTT_TRY(filter, r.ReadUtf8());
  s.filter = std::move(filter);
  FG_MQTT_TRY(options, r.ReadByte());
  const std::uint8_t reserved = IsV5(version) ? 0xC0 : 0xFC;
  if ((options & reserved) != 0) {
    return Malformed("SUBSCRIBE options reserved bits set");  // MQTT-3.8.3-5
  }
  if ((options & 0x03) == 3) {
    return Malformed("SUBSCRIBE requested QoS 3");  // MQTT-3-8.3-4
  }
  s.max_qos = static_cast<QoS>(options & 0x03);
  if (IsV5(version)) {
    s.no_local = (options & 0x04) != 0;
    s.retain_as_published = (options & 0x08) != 0;
    s.retain_handling = static_cast<std::uint8_t>((options >> 4) & 0x03);
    if (s.retain_handling == 3) {
      return ProtocolViolation("SUBSCRIBE retain handling 3");  // §3.8.3.1
    }
  }
  return s;
}

CodecResult<Packet> DecodeSubscribe(std::uint8_t flags, Body body, ProtocolVersion version) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0x02, "SUBSCRIBE"));  // MQTT-3.8.1-1
  WireReader r(body);
  SubscribePacket p;
  FG_MQTT_TRY(id, ReadPacketId(r));
  p.packet_id = id;
  if (IsV5(version)) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kSubscribe));
    p.properties = std::move(props);
  }
  while (!r.empty()) {
    FG_MQTT_TRY(s, ReadSubscription(r, version));
    p.subscriptions.push_back(std::move(s));
  }
  if (p.subscriptions.empty()) {
    return ProtocolViolation("SUBSCRIBE without a topic filter");  // MQTT-3.8.3-3
  }
  return p;
}

CodecResult<std::vector<ReasonCode>> ReadReasonCodes(WireReader& r) {
  std::vector<ReasonCode> codes;
  while (!r.empty()) {
    FG_MQTT_TRY(code, r.ReadByte());
    codes.push_back(static_cast<ReasonCode>(code));
  }
  return codes;
}

CodecResult<Packet> DecodeSuback(std::uint8_t flags, Body body, ProtocolVersion version) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0, "SUBACK"));
  WireReader r(body);
  SubackPacket p;
  FG_MQTT_TRY(id, ReadPacketId(r));
  p.packet_id = id;
  if (IsV5(version)) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kSuback));
    p.properties = std::move(props);
  }
  FG_MQTT_TRY(codes, ReadReasonCodes(r));
  if (codes.empty()) {
    return ProtocolViolation("SUBACK without return codes");
  }
  if (!IsV5(version)) {
    for (ReasonCode c : codes) {
      const auto v = static_cast<std::uint8_t>(c);
      if (v > 2 && v != 0x80) {
        return Malformed("SUBACK return code is reserved");  // 3.1.1 §3.9.3
      }
    }
  }
  p.reason_codes = std::move(codes);
  return p;
}

CodecResult<Packet> DecodeUnsubscribe(std::uint8_t flags, Body body, ProtocolVersion version) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0x02, "UNSUBSCRIBE"));  // MQTT-3.10.1-1
  WireReader r(body);
  UnsubscribePacket p;
  FG_MQTT_TRY(id, ReadPacketId(r));
  p.packet_id = id;
  if (IsV5(version)) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kUnsubscribe));
    p.properties = std::move(props);
  }
  while (!r.empty()) {
    FG_MQTT_TRY(filter, r.ReadUtf8());
    p.filters.push_back(std::move(filter));
  }
  if (p.filters.empty()) {
    return ProtocolViolation("UNSUBSCRIBE without a topic filter");  // MQTT-3.10.3-2
  }
  return p;
}

CodecResult<Packet> DecodeUnsuback(std::uint8_t flags, Body body, ProtocolVersion version) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0, "UNSUBACK"));
  WireReader r(body);
  UnsubackPacket p;
  FG_MQTT_TRY(id, ReadPacketId(r));
  p.packet_id = id;
  if (IsV5(version)) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kUnsuback));
    p.properties = std::move(props);
    FG_MQTT_TRY(codes, ReadReasonCodes(r));
    if (codes.empty()) {
      return ProtocolViolation("UNSUBACK without reason codes");
    }
    p.reason_codes = std::move(codes);
  }
  FG_MQTT_CHECK(ExpectEnd(r, "UNSUBACK"));
  return p;
}

template <typename T>
CodecResult<Packet> DecodeEmpty(std::uint8_t flags, Body body, const char* name) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0, name));
  if (!body.empty()) {
    return Malformed(std::string(name) + " must have remaining length 0");
  }
  return T{};
}

// DISCONNECT and AUTH share a layout in MQTT 5: optional reason code, optional properties.
template <typename T>
CodecResult<Packet> DecodeReasonAndProperties(std::uint8_t flags, Body body,
                                              PropertyContext context, const char* name) {
  FG_MQTT_CHECK(ExpectFlags(flags, 0, name));
  WireReader r(body);
  T p;
  if (!r.empty()) {
    FG_MQTT_TRY(code, r.ReadByte());
    p.reason_code = static_cast<ReasonCode>(code);
    if (!r.empty()) {
      FG_MQTT_TRY(props, DecodeProperties(r, context));
      p.properties = std::move(props);
    }
  }
  FG_MQTT_CHECK(ExpectEnd(r, name));
  return p;
}

CodecResult<Packet> DecodeDisconnect(std::uint8_t flags, Body body, ProtocolVersion version) {
  if (!IsV5(version)) {
    return DecodeEmpty<DisconnectPacket>(flags, body, "DISCONNECT");
  }
  auto p = DecodeReasonAndProperties<DisconnectPacket>(flags, body, PropertyContext::kDisconnect,
                                                       "DISCONNECT");
  if (p && !IsDisconnectReasonCode(std::get<DisconnectPacket>(*p).reason_code)) {
    return ProtocolViolation("DISCONNECT reason code is not one of table 3-10");
  }
  return p;
}

CodecResult<Packet> DecodeAuth(std::uint8_t flags, Body body, ProtocolVersion version) {
  if (!IsV5(version)) {
    return Malformed("packet type 15 is reserved in MQTT 3.1.1");
  }
  auto p = DecodeReasonAndProperties<AuthPacket>(flags, body, PropertyContext::kAuth, "AUTH");
  if (p) {
    const ReasonCode code = std::get<AuthPacket>(*p).reason_code;
    if (code != ReasonCode::kSuccess && code != ReasonCode::kContinueAuthentication &&
        code != ReasonCode::kReAuthenticate) {
      return ProtocolViolation("AUTH reason code must be 0x00, 0x18 or 0x19");  // §3.15.2.1
    }
  }
  return p;
}

}  // namespace

CodecResult<Packet> DecodePacket(std::uint8_t first_byte, Body body, ProtocolVersion version) {
  const auto flags = static_cast<std::uint8_t>(first_byte & 0x0F);
  switch (first_byte >> 4) {
    case 1:
      return DecodeConnect(flags, body).map([](ConnectPacket c) { return Packet(std::move(c)); });
    case 2:
      return DecodeConnack(flags, body, version).map([](ConnackPacket c) {
        return Packet(std::move(c));
      });
    case 3:
      return DecodePublish(flags, body, version);
    case 4:
      return DecodePuback(flags, body, version);
    case 5:
    case 6:
    case 7:
      return ProtocolViolation("QoS 2 flow packets are not supported");
    case 8:
      return DecodeSubscribe(flags, body, version);
    case 9:
      return DecodeSuback(flags, body, version);
    case 10:
      return DecodeUnsubscribe(flags, body, version);
    case 11:
      return DecodeUnsuback(flags, body, version);
    case 12:
      return DecodeEmpty<PingreqPacket>(flags, body, "PINGREQ");
    case 13:
      return DecodeEmpty<PingrespPacket>(flags, body, "PINGRESP");
    case 14:
      return DecodeDisconnect(flags, body, version);
    case 15:
      return DecodeAuth(flags, body, version);
    default:
      return Malformed("packet type 0 is reserved");
  }
}

}  // namespace fg::mqtt
