#pragma once

#include <cstdint>
#include <vector>

#include "mqtt/packet.h"

namespace fg::mqtt {

// Appends the wire form of `packet` to `out` in the layout of `version` (CONNECT uses its own
// `version` field instead). Used by the server for what it sends and by tests and the load
// generator for client packets.
//
// Version mapping: for 3.1.1 a CONNACK's v5 reason code becomes V311ConnectReturnCode (codes
// with no 3.1.1 equivalent become 0x03 Server unavailable), a SUBACK failure code becomes
// 0x80, and PUBACK/UNSUBACK/DISCONNECT lose their reason codes and properties. In 5.0, PUBACK
// and DISCONNECT use the short forms when the reason is Success and there are no properties.
//
// REQUIRES (not checked on the wire path; asserted in debug builds): strings at most 65535
// bytes, remaining length at most 268,435,455, packet ids non-zero where the type needs one,
// property values in range. Packets decoded by DecodePacket always satisfy this.
void EncodeTo(std::vector<std::uint8_t>& out, const Packet& packet, ProtocolVersion version);

// Convenience form of EncodeTo returning a fresh buffer.
std::vector<std::uint8_t> Encode(const Packet& packet, ProtocolVersion version);

}  // namespace fg::mqtt
