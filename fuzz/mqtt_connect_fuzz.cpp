// Target: mqtt::DecodeConnect (protocol name and level, connect flags, keep-alive, CONNECT and
// Will properties, client id, will, username, password) and mqtt::DecodeConnack, the first bytes
// any device (or, for CONNACK, any broker we might bridge to) sends.
//
// Input: the CONNECT body (the bytes after the fixed header), with flags 0 as the spec requires.
// The same bytes are also offered to DecodeConnack in both layouts, and with the reserved flag
// bits of the fixed header set, which must always be refused.
//
// Invariant: an accepted CONNECT re-encodes and decodes to an equal packet.

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
  const std::span<const std::uint8_t> body(data, size);

  auto connect = fg::mqtt::DecodeConnect(0, body);
  FG_FUZZ_CHECK(!fg::mqtt::DecodeConnect(0x01, body).has_value(),
                "CONNECT with reserved fixed-header flags is malformed (MQTT-2.1.3-1)");
  if (connect) {
    FG_FUZZ_CHECK(
        connect->version == ProtocolVersion::kV311 || connect->version == ProtocolVersion::kV5,
        "only levels 4 and 5 are accepted");
    if (connect->version == ProtocolVersion::kV311) {
      FG_FUZZ_CHECK(connect->properties.empty(), "3.1.1 has no properties");
    }
    const std::vector<std::uint8_t> wire = fg::mqtt::Encode(*connect, connect->version);
    const std::span<const std::uint8_t> after_type = std::span<const std::uint8_t>(wire).subspan(1);
    auto length = fg::mqtt::ParseVarInt(after_type);
    FG_FUZZ_CHECK(length && length->complete, "the encoder writes a valid remaining length");
    auto again = fg::mqtt::DecodeConnect(wire[0] & 0x0Fu, after_type.subspan(length->length));
    FG_FUZZ_CHECK(again.has_value(), "a re-encoded CONNECT must decode");
    FG_FUZZ_CHECK(*again == *connect, "decode(encode(connect)) == connect");
  }

  for (ProtocolVersion version : {ProtocolVersion::kV311, ProtocolVersion::kV5}) {
    (void)fg::mqtt::DecodeConnack(0, body, version);
  }
  return 0;
}
