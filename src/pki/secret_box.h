#pragma once

// Authenticated encryption of small secrets at rest (e.g. the secret half of access keys in the
// database) with AES-256-GCM. The 32-byte key lives in a 0600 file in the data directory; losing
// it makes every sealed value unreadable, and changing it is not supported yet.
//
// Sealed format: 12-byte random nonce || ciphertext || 16-byte tag. Random 96-bit nonces are
// safe for far more than the 2^32 seals NIST SP 800-38D 8.3 allows per key, which no fleetguard
// deployment approaches.
//
// Immutable after FromKey; safe to use from any number of threads. The key is wiped from
// memory when the last copy is destroyed.

#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::pki {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  // Plaintexts above this are a programming error (this is for small secrets) and abort.
  static constexpr size_t kMaxPlaintextSize = 1 << 20;

  // kInvalidArgument unless `key32` is exactly 32 bytes.
  static Result<SecretBox> FromKey(std::string_view key32);
  // 32 fresh random bytes for FromKey.
  static std::string NewKey();

  SecretBox(const SecretBox& other) = default;
  SecretBox& operator=(const SecretBox& other) = default;
  SecretBox(SecretBox&& other) noexcept = default;
  SecretBox& operator=(SecretBox&& other) noexcept = default;
  ~SecretBox();

  // `associated_data` (e.g. the owning row's id) is authenticated but not stored; Open must be
  // given the same value, so a sealed secret cannot be moved to another row unnoticed.
  std::string Seal(std::string_view plaintext, std::string_view associated_data = {}) const;

  // kCorrupt if `sealed` is too short, was made with another key or associated data, or was
  // modified in any way.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data = {}) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}

  std::string key_;
};

}  // namespace fg::pki
