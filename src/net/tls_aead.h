#pragma once

// One AEAD operation of the TLS record layer (net-internal; no Asio, no SSL object). Each call
// keys a thread-local EVP_CIPHER_CTX afresh, so a connection keeps only its key and IV (bytes),
// not an OpenSSL cipher context: AES and ChaCha20 key setup is about 100 ns, an idle context
// about 1 KiB per direction.
//
// Thread-safe (each thread has its own context). The last key used stays in the thread's context
// until the next call on that thread overwrites it.

#include <span>

#include "net/tls_traffic_keys.h"

namespace fg::net {

// Encrypts `plaintext` (the concatenation of the pieces, so TLS 1.3's content type byte needs
// no copy) into `out`, followed by the 16-byte tag. REQUIRES: key.size() ==
// AeadKeyLength(aead), nonce.size() == 12, out.size() == total plaintext size + 16. Aborts only
// if OpenSSL fails with these valid parameters (pki/crypto_error.h).
void AeadSeal(TlsAead aead, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
              std::span<const uint8_t> aad, std::span<const uint8_t> plaintext,
              std::span<const uint8_t> plaintext_tail, std::span<uint8_t> out);

// Decrypts `sealed` (ciphertext then tag) into `out` and checks the tag. Returns false if the
// tag does not verify (the record was forged, corrupted or keyed differently); `out` then holds
// garbage that the caller must not use. REQUIRES: sealed.size() >= 16, out.size() ==
// sealed.size() - 16, key and nonce as for AeadSeal.
bool AeadOpen(TlsAead aead, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
              std::span<const uint8_t> aad, std::span<const uint8_t> sealed,
              std::span<uint8_t> out);

}  // namespace fg::net
