#include "mqtt/variable_byte_integer.h"

#include <cassert>

namespace fg::mqtt {

CodecResult<VarIntParse> ParseVarInt(std::span<const std::uint8_t> bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i >= bytes.size()) {
      return VarIntParse{};
    }
    const std::uint8_t b = bytes[i];
    value |= static_cast<std::uint32_t>(b & 0x7Fu) << (7 * i);
    if ((b & 0x80u) == 0) {
      if (i > 0 && b == 0) {
        return Malformed("variable byte integer is not minimally encoded");
      }
      return VarIntParse{true, value, i + 1};
    }
  }
  return Malformed("variable byte integer longer than 4 bytes");
}

std::size_t VarIntSize(std::uint32_t value) {
  assert(value <= kMaxVariableByteInteger && "caller bounds the value");
  if (value < 128u) {
    return 1;
  }
  if (value < 16'384u) {
    return 2;
  }
  if (value < 2'097'152u) {
    return 3;
  }
  return 4;
}

void AppendVarInt(std::vector<std::uint8_t>& out, std::uint32_t value) {
  assert(value <= kMaxVariableByteInteger && "caller bounds the value");
  do {
    auto b = static_cast<std::uint8_t>(value & 0x7Fu);
    value >>= 7;
    if (value != 0) {
      b = static_cast<std::uint8_t>(b | 0x80u);
    }
    out.push_back(b);
  } while (value != 0);
}

}  // namespace fg::mqtt
