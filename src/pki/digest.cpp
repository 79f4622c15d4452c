#include "pki/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "core/hex.h"
#include "pki/crypto_error.h"
#include "pki/openssl_ptr.h"

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

std::string HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                       size_t length) {
  // RFC 5869 §2.3: L <= 255 * HashLen. Callers pass fixed lengths, so this is a programming error.
  CheckCrypto(length > 0 && length <= 255 * 32, "HKDF output length");
  static const unsigned char kEmpty = 0;
  auto bytes = [](std::string_view v) {
    return v.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(v.data());
  };
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  CheckCrypto(ctx != nullptr, "EVP_PKEY_CTX_new_id(HKDF)");
  CheckCrypto(EVP_PKEY_derive_init(ctx.get()) == 1, "EVP_PKEY_derive_init(HKDF)");
  CheckCrypto(EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) == 1, "HKDF digest");
  CheckCrypto(
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), bytes(salt), static_cast<int>(salt.size())) == 1,
      "HKDF salt");
  CheckCrypto(EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), bytes(ikm), static_cast<int>(ikm.size())) == 1,
              "HKDF key");
  CheckCrypto(
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), bytes(info), static_cast<int>(info.size())) == 1,
      "HKDF info");
  std::string out(length, '\0');
  size_t out_len = length;
  CheckCrypto(
      EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len) == 1 &&
          out_len == length,
      "EVP_PKEY_derive(HKDF)");
  return out;
}

}  // namespace fg::pki
