// CONNECT and CONNACK parsing (MQTT 3.1.1 §3.1-3.2, MQTT 5 §3.1-3.2). Declared in decoder.h.

#include "mqtt/decoder.h"
#include "mqtt/topic.h"
#include "mqtt/wire_reader.h"

namespace fg::mqtt {
namespace {

constexpr std::uint8_t kUsernameFlag = 0x80;
constexpr std::uint8_t kPasswordFlag = 0x40;
constexpr std::uint8_t kWillRetainFlag = 0x20;
constexpr std::uint8_t kWillQosMask = 0x18;
constexpr std::uint8_t kWillFlag = 0x04;
constexpr std::uint8_t kCleanStartFlag = 0x02;
constexpr std::uint8_t kReservedFlag = 0x01;

CodecResult<Will> DecodeWill(WireReader& r, ProtocolVersion version, std::uint8_t flags) {
  Will will;
  will.qos = static_cast<QoS>((flags & kWillQosMask) >> 3);
  will.retain = (flags & kWillRetainFlag) != 0;
  if (version == ProtocolVersion::kV5) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kWill));
    will.properties = std::move(props);
  }
  FG_MQTT_TRY(topic, r.ReadUtf8());
  // §3.1.3.3: the Will Topic is a Topic Name, so the PUBLISH rules apply (MQTT-3.3.2-2).
  if (!IsValidTopicName(topic)) {
    return ProtocolViolation("will topic is empty or contains a wildcard");
  }
  will.topic = std::move(topic);
  FG_MQTT_TRY(payload, r.ReadBinary());
  will.payload = std::move(payload);
  return will;
}

}  // namespace

CodecResult<ConnectPacket> DecodeConnect(std::uint8_t flags, std::span<const std::uint8_t> body) {
  if (flags != 0) {
    return Malformed("CONNECT fixed header flags must be 0");  // MQTT-2.2.2-1
  }
  WireReader r(body);
  FG_MQTT_TRY(name, r.ReadUtf8());
  FG_MQTT_TRY(level, r.ReadByte());
  if (name == "MQIsdp") {
    // MQTT 3.1: answer with CONNACK 0x01 rather than silently closing, as 3.1.1 §3.1.2.2 asks.
    return tl::unexpected(
        CodecError{CodecErrc::kUnsupportedProtocolVersion, "MQTT 3.1 is not supported"});
  }
  if (name != "MQTT") {
    return Malformed("CONNECT protocol name is not \"MQTT\"");  // MQTT-3.1.2-1
  }
  if (level != 4 && level != 5) {
    return tl::unexpected(
        CodecError{CodecErrc::kUnsupportedProtocolVersion,
                   "protocol level " + std::to_string(level) + " is not supported"});
  }
  ConnectPacket c;
  c.version = static_cast<ProtocolVersion>(level);
  FG_MQTT_TRY(cflags, r.ReadByte());
  if ((cflags & kReservedFlag) != 0) {
    return Malformed("CONNECT reserved flag must be 0");  // MQTT-3.1.2-3
  }
  const bool has_will = (cflags & kWillFlag) != 0;
  if ((cflags & kWillQosMask) == kWillQosMask) {
    return Malformed("will QoS 3");  // MQTT-3.1.2-14
  }
  if (!has_will && (cflags & (kWillQosMask | kWillRetainFlag)) != 0) {
    return Malformed("will QoS or retain set without the will flag");  // MQTT-3.1.2-13/-15
  }
  if (c.version == ProtocolVersion::kV311 && (cflags & kPasswordFlag) != 0 &&
      (cflags & kUsernameFlag) == 0) {
    return Malformed("password flag set without user name flag");  // MQTT-3.1.2-22
  }
  c.clean_start = (cflags & kCleanStartFlag) != 0;
  FG_MQTT_TRY(keep_alive, r.ReadU16());
  c.keep_alive = keep_alive;
  if (c.version == ProtocolVersion::kV5) {
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kConnect));
    c.properties = std::move(props);
  }
  FG_MQTT_TRY(client_id, r.ReadUtf8());
  c.client_id = std::move(client_id);
  if (has_will) {
    FG_MQTT_TRY(will, DecodeWill(r, c.version, cflags));
    c.will = std::move(will);
  }
  if ((cflags & kUsernameFlag) != 0) {
    FG_MQTT_TRY(username, r.ReadUtf8());
    c.username = std::move(username);
  }
  if ((cflags & kPasswordFlag) != 0) {
    FG_MQTT_TRY(password, r.ReadBinary());
    c.password = std::move(password);
  }
  if (!r.empty()) {
    return Malformed("bytes left over after the CONNECT payload");
  }
  return c;
}

CodecResult<ConnackPacket> DecodeConnack(std::uint8_t flags, std::span<const std::uint8_t> body,
                                         ProtocolVersion version) {
  if (flags != 0) {
    return Malformed("CONNACK fixed header flags must be 0");
  }
  WireReader r(body);
  FG_MQTT_TRY(ack_flags, r.ReadByte());
  if ((ack_flags & 0xFE) != 0) {
    return Malformed("CONNACK acknowledge flags bits 7-1 are reserved");  // MQTT-3.2.2-1
  }
  FG_MQTT_TRY(code, r.ReadByte());
  ConnackPacket c;
  c.session_present = (ack_flags & 0x01) != 0;
  if (version == ProtocolVersion::kV311) {
    auto mapped = FromV311ConnectReturnCode(code);
    if (!mapped) {
      return Malformed("CONNACK return code " + std::to_string(code) + " is reserved");
    }
    c.reason_code = *mapped;
  } else {
    c.reason_code = static_cast<ReasonCode>(code);
    FG_MQTT_TRY(props, DecodeProperties(r, PropertyContext::kConnack));
    c.properties = std::move(props);
  }
  if (!r.empty()) {
    return Malformed("bytes left over after CONNACK");
  }
  return c;
}

}  // namespace fg::mqtt
