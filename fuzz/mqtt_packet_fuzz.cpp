// Target: mqtt::DecodePacket for every packet type in the 3.1.1 and 5.0 layouts (properties,
// reason codes, subscription options), and mqtt::Encode on what it accepts.
//
// Input: byte 0 selects the layout (odd: 5.0, even: 3.1.1), byte 1 is the fixed header's first
// byte (type and flags), the rest is the packet body. Seeds hold one valid packet of each type.
//
// Invariant: a decoded packet re-encodes to a fixed header plus a body that decodes to an equal
// packet (the encoder's REQUIREs hold for everything the decoder accepts).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/variable_byte_integer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fg::mqtt::ProtocolVersion;
  if (size < 2) {
    return 0;
  }
  const ProtocolVersion version =
      (data[0] & 1u) != 0 ? ProtocolVersion::kV5 : ProtocolVersion::kV311;
  const std::uint8_t first_byte = data[1];
  const std::span<const std::uint8_t> body(data + 2, size - 2);

  auto packet = fg::mqtt::DecodePacket(first_byte, body, version);
  if (!packet) {
    FG_FUZZ_CHECK(!packet.error().message.empty(), "every refusal says why");
    return 0;
  }
  const std::vector<std::uint8_t> wire = fg::mqtt::Encode(*packet, version);
  FG_FUZZ_CHECK(!wire.empty(), "an encoded packet has a fixed header");
  const std::span<const std::uint8_t> after_type = std::span<const std::uint8_t>(wire).subspan(1);
  auto length = fg::mqtt::ParseVarInt(after_type);
  FG_FUZZ_CHECK(length && length->complete, "the encoder writes a valid remaining length");
  const std::span<const std::uint8_t> again_body = after_type.subspan(length->length);
  FG_FUZZ_CHECK(again_body.size() == length->value, "remaining length matches the body");
  auto again = fg::mqtt::DecodePacket(wire[0], again_body, version);
  FG_FUZZ_CHECK(again.has_value(), "a re-encoded packet must decode");
  FG_FUZZ_CHECK(*again == *packet, "decode(encode(p)) == p");
  return 0;
}
