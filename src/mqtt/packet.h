#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mqtt/properties.h"
#include "mqtt/reason_code.h"

namespace fg::mqtt {

// Value types for every MQTT control packet fleetguard reads or writes (MQTT 3.1.1 and 5.0).
// Plain structs with no invariants of their own: the decoder guarantees what it returns is
// valid per spec, and the encoder's callers build valid ones. Binary fields (payloads,
// passwords) are std::string because it is compact for short values and binary-safe.

enum class ProtocolVersion : std::uint8_t {
  kV311 = 4,  // MQTT 3.1.1, protocol level 4
  kV5 = 5,    // MQTT 5.0, protocol level 5
};

enum class PacketType : std::uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kUnsubscribe = 10,
  kUnsuback = 11,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
  kAuth = 15,
};

enum class QoS : std::uint8_t { kAtMostOnce = 0, kAtLeastOnce = 1, kExactlyOnce = 2 };

std::string_view PacketTypeName(PacketType type);

struct Will {
  std::string topic;
  std::string payload;
  QoS qos = QoS::kAtMostOnce;
  bool retain = false;
  Properties properties;  // v5 Will Properties (§3.1.3.2)

  bool operator==(const Will&) const = default;
};

struct ConnectPacket {
  ProtocolVersion version = ProtocolVersion::kV311;
  bool clean_start = true;  // "Clean Session" in 3.1.1
  std::uint16_t keep_alive = 0;
  std::string client_id;
  std::optional<Will> will;
  std::optional<std::string> username;
  std::optional<std::string> password;
  Properties properties;

  bool operator==(const ConnectPacket&) const = default;
};

// reason_code is the v5 code; for 3.1.1 the encoder writes V311ConnectReturnCode(reason_code).
struct ConnackPacket {
  bool session_present = false;
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;

  bool operator==(const ConnackPacket&) const = default;
};

struct PublishPacket {
  bool dup = false;
  QoS qos = QoS::kAtMostOnce;
  bool retain = false;
  std::string topic;
  std::uint16_t packet_id = 0;  // non-zero iff qos > 0
  Properties properties;
  std::string payload;

  bool operator==(const PublishPacket&) const = default;
};

// PUBACK. In 3.1.1 only packet_id goes on the wire.
struct PubackPacket {
  std::uint16_t packet_id = 0;
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;

  bool operator==(const PubackPacket&) const = default;
};

// One entry of a SUBSCRIBE payload. The v5 Subscription Options (§3.8.3.1) are zero in 3.1.1.
struct Subscription {
  std::string filter;
  QoS max_qos = QoS::kAtMostOnce;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;  // 0..2

  bool operator==(const Subscription&) const = default;
};

struct SubscribePacket {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<Subscription> subscriptions;  // at least one

  bool operator==(const SubscribePacket&) const = default;
};

// Per filter: kSuccess / kGrantedQos1 / kGrantedQos2 or a failure code. In 3.1.1 every
// failure is written as 0x80.
struct SubackPacket {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<ReasonCode> reason_codes;

  bool operator==(const SubackPacket&) const = default;
};

struct UnsubscribePacket {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<std::string> filters;  // at least one

  bool operator==(const UnsubscribePacket&) const = default;
};

// In 3.1.1 only packet_id goes on the wire; reason_codes is empty after decoding one.
struct UnsubackPacket {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<ReasonCode> reason_codes;

  bool operator==(const UnsubackPacket&) const = default;
};

struct PingreqPacket {
  bool operator==(const PingreqPacket&) const = default;
};

struct PingrespPacket {
  bool operator==(const PingrespPacket&) const = default;
};

// In 3.1.1 DISCONNECT has no body (and only clients send it).
struct DisconnectPacket {
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;

  bool operator==(const DisconnectPacket&) const = default;
};

// MQTT 5 only (§3.15). fleetguard does not do enhanced authentication; it decodes AUTH so it
// can refuse it with the right reason code.
struct AuthPacket {
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;

  bool operator==(const AuthPacket&) const = default;
};

using Packet = std::variant<ConnectPacket, ConnackPacket, PublishPacket, PubackPacket,
                            SubscribePacket, SubackPacket, UnsubscribePacket, UnsubackPacket,
                            PingreqPacket, PingrespPacket, DisconnectPacket, AuthPacket>;

PacketType TypeOf(const Packet& packet);

}  // namespace fg::mqtt
