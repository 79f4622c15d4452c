#pragma once

#include <cstdint>
#include <span>

#include "mqtt/codec_error.h"
#include "mqtt/packet.h"

namespace fg::mqtt {

// Decodes one whole packet from its fixed header's first byte and its body (the
// `remaining length` bytes after the fixed header). Pure function; never throws.
//
// `version` is the version negotiated by CONNECT; it selects the 3.1.1 or 5.0 layout of every
// packet except CONNECT, which carries its own protocol level. Errors (see CodecErrc):
//  - kMalformedPacket: reserved type 0 (or 15 in 3.1.1), reserved flag bits set, QoS 3,
//    truncated fields, bad UTF-8 or U+0000, packet id 0 where one is required, bytes left over;
//  - kProtocolError: rules the layout cannot express (wildcards in a PUBLISH topic, an empty
//    SUBSCRIBE, repeated properties, QoS 2 flow packets PUBREC/PUBREL/PUBCOMP, which fleetguard
//    does not accept because it never grants QoS 2);
//  - kUnsupportedProtocolVersion: CONNECT with level other than 4/5, or the MQTT 3.1 name.
CodecResult<Packet> DecodePacket(std::uint8_t first_byte, std::span<const std::uint8_t> body,
                                 ProtocolVersion version);

// The CONNECT and CONNACK parsers on their own (also fuzz targets). `flags` is the low nibble
// of the first byte.
CodecResult<ConnectPacket> DecodeConnect(std::uint8_t flags, std::span<const std::uint8_t> body);
CodecResult<ConnackPacket> DecodeConnack(std::uint8_t flags, std::span<const std::uint8_t> body,
                                         ProtocolVersion version);

}  // namespace fg::mqtt
