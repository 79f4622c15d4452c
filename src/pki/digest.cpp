#include "pki/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/hex.h"
#include "pki/crypto_error.h"

namespace fg::pki {

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  const int rc = EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  CheckCrypto(rc == 1 && len == out.size(), "EVP_Digest(sha256)");
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  // HMAC() with a non-null output buffer is the one-shot API and is not deprecated in 3.0.
  // A zero-length key must still be passed as a valid pointer.
  static const unsigned char kEmpty = 0;
  // RFC 2104 replaces a key longer than the block size by its hash, so pre-hashing an
  // (absurdly) oversized key gives the same MAC and keeps the length within HMAC()'s int.
  Sha256Digest hashed_key{};
  std::string_view k = key;
  if (k.size() > 64) {
    hashed_key = Sha256(k);
    k = std::string_view(reinterpret_cast<const char*>(hashed_key.data()), hashed_key.size());
  }
  const void* key_ptr = k.empty() ? &kEmpty : static_cast<const void*>(k.data());
  const unsigned char* rc =
      HMAC(EVP_sha256(), key_ptr, static_cast<int>(k.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  CheckCrypto(rc != nullptr && len == out.size(), "HMAC(sha256)");
  return out;
}

}  // namespace fg::pki
