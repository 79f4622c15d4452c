#pragma once

// Standard base64 (RFC 4648 §4, alphabet A-Z a-z 0-9 + /, '=' padding): the form the model's
// Marker pattern [A-Za-z0-9+/]+={0,2} expects. Pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace fg::api {

std::string Base64Encode(std::string_view bytes);

// Strict decoding: the length must be a multiple of 4, padding only at the end, and the unused
// bits of the last character zero, so every byte string has exactly one accepted encoding.
// nullopt otherwise.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace fg::api
