#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "mqtt/codec_error.h"

namespace fg::mqtt {

// MQTT Variable Byte Integer (MQTT 5 §1.5.5, 3.1.1 §2.2.3): 7 bits per byte, at most 4 bytes.
inline constexpr std::uint32_t kMaxVariableByteInteger = 268'435'455;

struct VarIntParse {
  bool complete = false;    // false: `bytes` ended inside the integer; feed more
  std::uint32_t value = 0;  // valid when complete
  std::size_t length = 0;   // bytes consumed, valid when complete
};

// Parses a Variable Byte Integer at the start of `bytes`. Fails with kMalformedPacket if a
// fourth byte still has the continuation bit (a 5-byte encoding) or if the encoding is not
// minimal (MQTT-1.5.5-1: "MUST use the minimum number of bytes"; e.g. 0x80 0x00 for 0).
CodecResult<VarIntParse> ParseVarInt(std::span<const std::uint8_t> bytes);

// Number of bytes the minimal encoding of `value` takes (1..4).
// REQUIRES: value <= kMaxVariableByteInteger.
std::size_t VarIntSize(std::uint32_t value);

// Appends the minimal encoding of `value`. REQUIRES: value <= kMaxVariableByteInteger.
void AppendVarInt(std::vector<std::uint8_t>& out, std::uint32_t value);

}  // namespace fg::mqtt
