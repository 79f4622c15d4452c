#include "mqtt/encoder.h"

#include <cassert>
#include <cstring>

#include "mqtt/variable_byte_integer.h"
#include "mqtt/wire_writer.h"

namespace fg::mqtt {
namespace {

using Out = std::vector<std::uint8_t>;

constexpr bool IsV5(ProtocolVersion v) { return v == ProtocolVersion::kV5; }

std::uint8_t FirstByte(PacketType type, unsigned flags) {
  return static_cast<std::uint8_t>((static_cast<unsigned>(type) << 4) | flags);
}

void Body(Out& out, const ConnectPacket& c, ProtocolVersion) {
  const bool v5 = IsV5(c.version);
  AppendString(out, "MQTT");
  AppendByte(out, static_cast<std::uint8_t>(c.version));
  unsigned flags = 0;
  if (c.username) {
    flags |= 0x80;
  }
  if (c.password) {
    flags |= 0x40;
  }
  if (c.will) {
    flags |= 0x04 | (static_cast<unsigned>(c.will->qos) << 3) | (c.will->retain ? 0x20u : 0u);
  }
  if (c.clean_start) {
    flags |= 0x02;
  }
  AppendByte(out, static_cast<std::uint8_t>(flags));
  AppendU16(out, c.keep_alive);
  if (v5) {
    EncodeProperties(out, c.properties);
  }
  AppendString(out, c.client_id);
  if (c.will) {
    if (v5) {
      EncodeProperties(out, c.will->properties);
    }
    AppendString(out, c.will->topic);
    AppendString(out, c.will->payload);
  }
  if (c.username) {
    AppendString(out, *c.username);
  }
  if (c.password) {
    AppendString(out, *c.password);
  }
}

void Body(Out& out, const ConnackPacket& c, ProtocolVersion version) {
  AppendByte(out, c.session_present ? 1 : 0);
  if (IsV5(version)) {
    AppendByte(out, static_cast<std::uint8_t>(c.reason_code));
    EncodeProperties(out, c.properties);
  } else {
    AppendByte(out, V311ConnectReturnCode(c.reason_code).value_or(3));
  }
}

void Body(Out& out, const PublishPacket& p, ProtocolVersion version) {
  AppendString(out, p.topic);
  if (p.qos != QoS::kAtMostOnce) {
    assert(p.packet_id != 0 && "QoS > 0 PUBLISH needs a packet id");
    AppendU16(out, p.packet_id);
  }
  if (IsV5(version)) {
    EncodeProperties(out, p.properties);
  }
  AppendRaw(out, p.payload);
}

void Body(Out& out, const PubackPacket& p, ProtocolVersion version) {
  AppendU16(out, p.packet_id);
  if (IsV5(version) && (p.reason_code != ReasonCode::kSuccess || !p.properties.empty())) {
    AppendByte(out, static_cast<std::uint8_t>(p.reason_code));
    if (!p.properties.empty()) {
      EncodeProperties(out, p.properties);
    }
  }
}

void Body(Out& out, const SubscribePacket& p, ProtocolVersion version) {
  AppendU16(out, p.packet_id);
  if (IsV5(version)) {
    EncodeProperties(out, p.properties);
  }
  for (const Subscription& s : p.subscriptions) {
    AppendString(out, s.filter);
    unsigned options = static_cast<unsigned>(s.max_qos);
    if (IsV5(version)) {
      options |= (s.no_local ? 0x04u : 0u) | (s.retain_as_published ? 0x08u : 0u) |
                 (static_cast<unsigned>(s.retain_handling) << 4);
    }
    AppendByte(out, static_cast<std::uint8_t>(options));
  }
}

void Body(Out& out, const SubackPacket& p, ProtocolVersion version) {
  AppendU16(out, p.packet_id);
  if (IsV5(version)) {
    EncodeProperties(out, p.properties);
  }
  for (ReasonCode code : p.reason_codes) {
    if (!IsV5(version) && IsFailure(code)) {
      code = ReasonCode::kUnspecifiedError;  // 3.1.1 has the single failure code 0x80
    }
    AppendByte(out, static_cast<std::uint8_t>(code));
  }
}

void Body(Out& out, const UnsubscribePacket& p, ProtocolVersion version) {
  AppendU16(out, p.packet_id);
  if (IsV5(version)) {
    EncodeProperties(out, p.properties);
  }
  for (const std::string& f : p.filters) {
    AppendString(out, f);
  }
}

void Body(Out& out, const UnsubackPacket& p, ProtocolVersion version) {
  AppendU16(out, p.packet_id);
  if (IsV5(version)) {
    EncodeProperties(out, p.properties);
    for (ReasonCode code : p.reason_codes) {
      AppendByte(out, static_cast<std::uint8_t>(code));
    }
  }
}

void Body(Out&, const PingreqPacket&, ProtocolVersion) {}
void Body(Out&, const PingrespPacket&, ProtocolVersion) {}

template <typename T>
void ReasonAndProperties(Out& out, const T& p) {
  if (p.reason_code != ReasonCode::kSuccess || !p.properties.empty()) {
    AppendByte(out, static_cast<std::uint8_t>(p.reason_code));
    if (!p.properties.empty()) {
      EncodeProperties(out, p.properties);
    }
  }
}

void Body(Out& out, const DisconnectPacket& p, ProtocolVersion version) {
  if (IsV5(version)) {
    ReasonAndProperties(out, p);
  }
}

void Body(Out& out, const AuthPacket& p, ProtocolVersion) { ReasonAndProperties(out, p); }

unsigned FixedFlags(const Packet& packet) {
  if (const auto* p = std::get_if<PublishPacket>(&packet)) {
    return (p->dup ? 0x08u : 0u) | (static_cast<unsigned>(p->qos) << 1) | (p->retain ? 1u : 0u);
  }
  const PacketType type = TypeOf(packet);
  return (type == PacketType::kSubscribe || type == PacketType::kUnsubscribe) ? 0x02u : 0u;
}

}  // namespace

void EncodeTo(Out& out, const Packet& packet, ProtocolVersion version) {
  // Write the body after a 5-byte gap (1 type byte + the longest remaining length), then close
  // the gap once the length is known: one pass, and no second buffer for large payloads.
  const std::size_t start = out.size();
  out.resize(start + 5);
  std::visit([&](const auto& p) { Body(out, p, version); }, packet);
  const std::size_t body_len = out.size() - start - 5;
  assert(body_len <= kMaxVariableByteInteger && "packet larger than MQTT allows");
  std::uint8_t* base = out.data() + start;
  base[0] = FirstByte(TypeOf(packet), FixedFlags(packet));
  std::size_t header_len = 1;
  auto remaining = static_cast<std::uint32_t>(body_len);
  do {
    auto b = static_cast<std::uint8_t>(remaining & 0x7Fu);
    remaining >>= 7;
    base[header_len++] = remaining != 0 ? static_cast<std::uint8_t>(b | 0x80u) : b;
  } while (remaining != 0);
  const std::size_t gap = 5 - header_len;
  if (gap > 0 && body_len > 0) {
    std::memmove(base + header_len, base + 5, body_len);
  }
  out.resize(out.size() - gap);
}

Out Encode(const Packet& packet, ProtocolVersion version) {
  Out out;
  EncodeTo(out, packet, version);
  return out;
}

}  // namespace fg::mqtt
