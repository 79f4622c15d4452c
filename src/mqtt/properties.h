#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mqtt/codec_error.h"

namespace fg::mqtt {

class WireReader;

// MQTT 5 property identifiers (§2.2.2.2, table 2-4).
enum class PropertyId : std::uint8_t {
  kPayloadFormatIndicator = 0x01,
  kMessageExpiryInterval = 0x02,
  kContentType = 0x03,
  kResponseTopic = 0x08,
  kCorrelationData = 0x09,
  kSubscriptionIdentifier = 0x0B,
  kSessionExpiryInterval = 0x11,
  kAssignedClientIdentifier = 0x12,
  kServerKeepAlive = 0x13,
  kAuthenticationMethod = 0x15,
  kAuthenticationData = 0x16,
  kRequestProblemInformation = 0x17,
  kWillDelayInterval = 0x18,
  kRequestResponseInformation = 0x19,
  kResponseInformation = 0x1A,
  kServerReference = 0x1C,
  kReasonString = 0x1F,
  kReceiveMaximum = 0x21,
  kTopicAliasMaximum = 0x22,
  kTopicAlias = 0x23,
  kMaximumQos = 0x24,
  kRetainAvailable = 0x25,
  kUserProperty = 0x26,
  kMaximumPacketSize = 0x27,
  kWildcardSubscriptionAvailable = 0x28,
  kSubscriptionIdentifierAvailable = 0x29,
  kSharedSubscriptionAvailable = 0x2A,
};

// One property. Integer-valued properties (byte, two-byte, four-byte, variable byte) use
// `number`; string and binary ones use `value`; a User Property is the pair (`value`, `value2`).
struct Property {
  PropertyId id = PropertyId::kUserProperty;
  std::uint32_t number = 0;
  std::string value;
  std::string value2;

  static Property Number(PropertyId id, std::uint32_t number);
  static Property String(PropertyId id, std::string value);
  static Property User(std::string name, std::string value);

  bool operator==(const Property&) const = default;
};

// Properties in wire order. Empty for MQTT 3.1.1 packets. A vector (not a map) keeps an empty
// set free of allocations and preserves User Property order, which MQTT-3.3.2-18 requires.
using Properties = std::vector<Property>;

// The first property with `id`, or nullptr. The pointer is valid while `props` is unchanged.
const Property* FindProperty(const Properties& props, PropertyId id);

// Where a property block appears; each context allows its own identifiers (table 2-4).
enum class PropertyContext : std::uint8_t {
  kConnect,
  kConnack,
  kPublish,
  kWill,
  kPuback,
  kSubscribe,
  kSuback,
  kUnsubscribe,
  kUnsuback,
  kDisconnect,
  kAuth,
};

// Reads a Property Length then that many bytes of properties (§2.2.2). Errors:
//  - kMalformedPacket: truncated block, unknown identifier, identifier not allowed in `context`
//    (§2.2.2.2: "a Control Packet which contains an Identifier which is not valid for its
//    packet type ... is a Malformed Packet"), bad UTF-8 in a string property;
//  - kProtocolError: a property repeated where the spec forbids it (only User Property, and
//    Subscription Identifier in PUBLISH, may repeat), or an out-of-range value (a boolean
//    property other than 0/1, Receive Maximum / Maximum Packet Size / Topic Alias /
//    Subscription Identifier of 0).
CodecResult<Properties> DecodeProperties(WireReader& reader, PropertyContext context);

// Appends Property Length then the properties. REQUIRES: values in range for their type.
void EncodeProperties(std::vector<std::uint8_t>& out, const Properties& props);

// Bytes EncodeProperties appends, including the Property Length prefix.
std::size_t EncodedPropertiesSize(const Properties& props);

}  // namespace fg::mqtt
