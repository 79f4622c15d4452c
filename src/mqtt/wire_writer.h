#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace fg::mqtt {

// Big-endian appenders for the encoder (MQTT 5 §1.5). REQUIRES for the string forms: at most
// 65535 bytes; the encoder's callers guarantee it (everything we send either came through the
// decoder, which enforces it, or is built by the server from bounded values).
void AppendByte(std::vector<std::uint8_t>& out, std::uint8_t v);
void AppendU16(std::vector<std::uint8_t>& out, std::uint16_t v);
void AppendU32(std::vector<std::uint8_t>& out, std::uint32_t v);
void AppendString(std::vector<std::uint8_t>& out, std::string_view s);  // UTF-8 or binary
void AppendRaw(std::vector<std::uint8_t>& out, std::string_view bytes);

}  // namespace fg::mqtt
