#pragma once

// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 over byte strings. Used for certificate fingerprints,
// SigV4, token hashing and deriving purpose keys. Thread-safe; never fails (a library failure
// aborts, see crypto_error.h).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fg::pki {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

// Lowercase hex of Sha256(data), 64 characters.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA-256 (RFC 2104) with any key length, including empty.
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// HKDF-SHA-256 (RFC 5869): `length` bytes (1..8160) derived from the input keying material
// `ikm` with `salt` (may be empty) and the purpose label `info`. Different labels give
// independent keys from one secret.
std::string HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                       size_t length);

}  // namespace fg::pki
