// Target: mqtt::Framer::Next (fixed header, remaining length, every packet type in the 3.1.1 and
// 5.0 layouts), mqtt::ParseVarInt / VarIntSize / AppendVarInt, mqtt::Encode.
//
// Invariants checked on every input:
//  - feeding the stream whole and one byte at a time yields the same packets and the same
//    final error (the framer must not depend on how TCP splits the bytes);
//  - every packet the framer yields re-encodes to bytes that frame and decode to an equal packet;
//  - a complete Variable Byte Integer is minimal and re-encodes to the bytes it came from.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "mqtt/variable_byte_integer.h"

namespace fg::mqtt {
namespace {

// Small enough that the fuzzer reaches kPacketTooLarge with short inputs.
constexpr std::size_t kMaxPacketSize = 4096;

struct FrameOutcome {
  std::vector<Packet> packets;
  std::optional<CodecErrc> error;  // nullopt: input ended cleanly or inside a packet
  std::size_t buffered = 0;
};

FrameOutcome FrameAll(std::span<const std::uint8_t> input, ProtocolVersion version,
                      std::size_t chunk) {
  Framer framer(kMaxPacketSize);
  framer.set_version(version);
  FrameOutcome outcome;
  for (std::size_t pos = 0; pos < input.size() && !outcome.error; pos += chunk) {
    std::span<const std::uint8_t> piece = input.subspan(pos, std::min(chunk, input.size() - pos));
    while (true) {
      auto next = framer.Next(piece);
      if (!next) {
        outcome.error = next.error().code;
        break;
      }
      if (!next->has_value()) {
        FG_FUZZ_CHECK(piece.empty(), "nullopt only once the chunk is consumed");
        break;
      }
      outcome.packets.push_back(std::move(**next));
    }
  }
  outcome.buffered = framer.buffered_bytes();
  return outcome;
}

void CheckRoundTrip(const Packet& packet, ProtocolVersion version) {
  const std::vector<std::uint8_t> wire = Encode(packet, version);
  Framer framer(wire.size());
  // CONNECT carries its own level; every other packet is read in the negotiated layout.
  framer.set_version(version);
  std::span<const std::uint8_t> rest(wire);
  auto again = framer.Next(rest);
  FG_FUZZ_CHECK(again.has_value(), "a re-encoded packet must decode");
  FG_FUZZ_CHECK(again->has_value(), "a re-encoded packet is complete");
  FG_FUZZ_CHECK(rest.empty(), "a re-encoded packet has no trailing bytes");
  FG_FUZZ_CHECK(**again == packet, "decode(encode(p)) == p");
}

void CheckVarInt(std::span<const std::uint8_t> input) {
  auto parsed = ParseVarInt(input);
  if (!parsed || !parsed->complete) {
    return;
  }
  FG_FUZZ_CHECK(parsed->value <= kMaxVariableByteInteger, "VBI in range");
  FG_FUZZ_CHECK(parsed->length >= 1 && parsed->length <= 4, "VBI is 1..4 bytes");
  FG_FUZZ_CHECK(VarIntSize(parsed->value) == parsed->length, "only minimal VBIs are accepted");
  std::vector<std::uint8_t> again;
  AppendVarInt(again, parsed->value);
  FG_FUZZ_CHECK(std::equal(again.begin(), again.end(), input.begin()), "VBI re-encodes");
}

}  // namespace
}  // namespace fg::mqtt

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fg::mqtt::ProtocolVersion;
  const std::span<const std::uint8_t> input(data, size);
  fg::mqtt::CheckVarInt(input.size() > 1 ? input.subspan(1) : input);
  for (ProtocolVersion version : {ProtocolVersion::kV311, ProtocolVersion::kV5}) {
    const fg::mqtt::FrameOutcome whole = fg::mqtt::FrameAll(input, version, size + 1);
    const fg::mqtt::FrameOutcome bytewise = fg::mqtt::FrameAll(input, version, 1);
    FG_FUZZ_CHECK(whole.packets == bytewise.packets, "same packets whatever the split");
    FG_FUZZ_CHECK(whole.error == bytewise.error, "same error whatever the split");
    if (!whole.error) {
      FG_FUZZ_CHECK(whole.buffered == bytewise.buffered, "same partial packet whatever the split");
    }
    for (const fg::mqtt::Packet& packet : whole.packets) {
      fg::mqtt::CheckRoundTrip(packet, version);
    }
  }
  return 0;
}
