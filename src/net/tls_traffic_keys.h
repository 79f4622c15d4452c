#pragma once

// Traffic keys for fleetguard's own TLS record layer (net-internal; no Asio, no SSL object): the
// TLS 1.3 key schedule's last steps (HKDF-Expand-Label, RFC 8446 §7.1, §7.2, §7.3) and the
// TLS 1.2 key block (RFC 5246 §6.3), for the AEAD suites the device listener allows.
//
// Every type here that holds key material clears it when destroyed or overwritten. Functions
// are thread-safe. OpenSSL failures with our own parameters abort (pki/crypto_error.h): they
// mean memory exhaustion or a broken library, not bad input.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace fg::net {

// The AEADs of TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256 and
// of the TLS 1.2 ECDHE suites with the same ciphers. The hash (HKDF in TLS 1.3, the PRF in
// TLS 1.2) is SHA-384 for AES-256-GCM and SHA-256 for the other two, in both versions.
enum class TlsAead : uint8_t { kAes128Gcm, kAes256Gcm, kChacha20Poly1305 };

inline constexpr size_t kAeadTagLength = 16;
inline constexpr size_t kAeadNonceLength = 12;

size_t AeadKeyLength(TlsAead aead);
// The hash's output length: the length of a TLS 1.3 traffic secret.
size_t AeadHashLength(TlsAead aead);

// Up to 48 bytes of key material, cleared on destruction and before being overwritten. A value
// type (copies copy the bytes), so a connection holds its keys inline, not on the heap.
class SecretBytes {
 public:
  static constexpr size_t kMaxSize = 48;

  SecretBytes() = default;
  // REQUIRES: bytes.size() <= kMaxSize (a longer input is truncated in release builds).
  explicit SecretBytes(std::span<const uint8_t> bytes);
  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  ~SecretBytes();

  std::span<const uint8_t> bytes() const { return {bytes_.data(), size_}; }
  size_t size() const { return size_; }
  bool operator==(const SecretBytes& other) const;  // constant time in the shorter length

 private:
  std::array<uint8_t, kMaxSize> bytes_{};
  uint8_t size_ = 0;
};

// The key and the IV of one direction. `iv` is 12 bytes, except TLS 1.2 AES-GCM's 4-byte salt
// (RFC 5288 §3; the other 8 nonce bytes travel in each record).
struct TrafficKeys {
  SecretBytes key;
  SecretBytes iv;
};

// HKDF-Expand-Label(secret, label, "", length) with the AEAD's hash (RFC 8446 §7.1); `label`
// without the "tls13 " prefix. REQUIRES: length <= SecretBytes::kMaxSize, label.size() <= 100.
SecretBytes HkdfExpandLabel(TlsAead aead, std::span<const uint8_t> secret, std::string_view label,
                            size_t length);

// [sender]_write_key and [sender]_write_iv from a TLS 1.3 traffic secret (RFC 8446 §7.3).
TrafficKeys Tls13TrafficKeys(TlsAead aead, const SecretBytes& traffic_secret);

// application_traffic_secret_N+1 from _N, after a KeyUpdate (RFC 8446 §7.2).
SecretBytes Tls13NextTrafficSecret(TlsAead aead, const SecretBytes& traffic_secret);

struct Tls12KeyBlock {
  TrafficKeys client;  // client_write_key, client_write_IV
  TrafficKeys server;  // server_write_key, server_write_IV
};

// The key block of an AEAD suite (no MAC keys): PRF(master_secret, "key expansion",
// server_random + client_random) with the suite's hash (RFC 5246 §6.3, RFC 5288 §3, RFC 7905).
// REQUIRES: master_secret is 48 bytes and each random 32 (what the handshake produced).
Tls12KeyBlock Tls12Keys(TlsAead aead, std::span<const uint8_t> master_secret,
                        std::span<const uint8_t> client_random,
                        std::span<const uint8_t> server_random);

}  // namespace fg::net
