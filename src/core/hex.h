#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fg {

// Lowercase hex of `bytes` ("0a1b...").
std::string HexEncode(std::span<const uint8_t> bytes);
std::string HexEncode(std::string_view bytes);

// Decodes upper- or lowercase hex; nullopt on odd length or a non-hex character.
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex);

// True if `s` is exactly `len` hex digits (any case).
bool IsHex(std::string_view s, size_t len);

}  // namespace fg
