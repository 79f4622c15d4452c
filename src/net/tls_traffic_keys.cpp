#include "net/tls_traffic_keys.h"

#include <algorithm>
#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "pki/crypto_error.h"
#include "pki/openssl_ptr.h"

namespace fg::net {
namespace {

const char* DigestName(TlsAead aead) { return aead == TlsAead::kAes256Gcm ? "SHA384" : "SHA256"; }

// Fetched once per process: EVP_KDF_fetch walks the provider tables, which costs more than the
// derivation itself.
EVP_KDF* FetchedKdf(const char* name) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, name, nullptr);
  pki::CheckCrypto(kdf != nullptr, name);
  return kdf;
}

EVP_KDF* Hkdf() {
  static const pki::EvpKdfPtr kdf(FetchedKdf("HKDF"));
  return kdf.get();
}

EVP_KDF* Tls1Prf() {
  static const pki::EvpKdfPtr kdf(FetchedKdf("TLS1-PRF"));
  return kdf.get();
}

void Derive(EVP_KDF* kdf, OSSL_PARAM* params, std::span<uint8_t> out) {
  pki::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(kdf));
  pki::CheckCrypto(ctx != nullptr, "EVP_KDF_CTX_new");
  pki::CheckCrypto(EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1,
                   "EVP_KDF_derive");
}

// The TLS 1.2 key block is at most 2 * 32 + 2 * 12 bytes.
constexpr size_t kMaxKeyBlock = 2 * 32 + 2 * 12;

}  // namespace

size_t AeadKeyLength(TlsAead aead) { return aead == TlsAead::kAes128Gcm ? 16 : 32; }

size_t AeadHashLength(TlsAead aead) { return aead == TlsAead::kAes256Gcm ? 48 : 32; }

SecretBytes::SecretBytes(std::span<const uint8_t> bytes) {
  size_ = static_cast<uint8_t>(std::min(bytes.size(), kMaxSize));
  std::copy_n(bytes.begin(), size_, bytes_.begin());
}

SecretBytes::SecretBytes(const SecretBytes& other) : bytes_(other.bytes_), size_(other.size_) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_ = other.bytes_;
  size_ = other.size_;
  return *this;
}

SecretBytes::~SecretBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

bool SecretBytes::operator==(const SecretBytes& other) const {
  return size_ == other.size_ && CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), size_) == 0;
}

SecretBytes HkdfExpandLabel(TlsAead aead, std::span<const uint8_t> secret, std::string_view label,
                            size_t length) {
  length = std::min(length, SecretBytes::kMaxSize);
  label = label.substr(0, 100);
  // struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; }
  std::string full_label = "tls13 ";
  full_label += label;
  std::vector<uint8_t> info;
  info.reserve(4 + full_label.size());
  info.push_back(static_cast<uint8_t>(length >> 8));
  info.push_back(static_cast<uint8_t>(length & 0xff));
  info.push_back(static_cast<uint8_t>(full_label.size()));
  info.insert(info.end(), full_label.begin(), full_label.end());
  info.push_back(0);  // empty context

  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(DigestName(aead)),
                                       0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
      OSSL_PARAM_construct_end()};
  std::array<uint8_t, SecretBytes::kMaxSize> out{};
  Derive(Hkdf(), params, std::span<uint8_t>(out.data(), length));
  SecretBytes result(std::span<const uint8_t>(out.data(), length));
  OPENSSL_cleanse(out.data(), out.size());
  return result;
}

TrafficKeys Tls13TrafficKeys(TlsAead aead, const SecretBytes& traffic_secret) {
  TrafficKeys keys;
  keys.key = HkdfExpandLabel(aead, traffic_secret.bytes(), "key", AeadKeyLength(aead));
  keys.iv = HkdfExpandLabel(aead, traffic_secret.bytes(), "iv", kAeadNonceLength);
  return keys;
}

SecretBytes Tls13NextTrafficSecret(TlsAead aead, const SecretBytes& traffic_secret) {
  return HkdfExpandLabel(aead, traffic_secret.bytes(), "traffic upd", AeadHashLength(aead));
}

Tls12KeyBlock Tls12Keys(TlsAead aead, std::span<const uint8_t> master_secret,
                        std::span<const uint8_t> client_random,
                        std::span<const uint8_t> server_random) {
  const size_t key_len = AeadKeyLength(aead);
  // RFC 5288 §3: a 4-byte implicit salt; RFC 7905 §2: a 12-byte IV.
  const size_t iv_len = aead == TlsAead::kChacha20Poly1305 ? kAeadNonceLength : 4;
  constexpr std::string_view kLabel = "key expansion";
  std::vector<uint8_t> seed(kLabel.begin(), kLabel.end());
  seed.insert(seed.end(), server_random.begin(), server_random.end());
  seed.insert(seed.end(), client_random.begin(), client_random.end());

  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(DigestName(aead)),
                                       0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SECRET, const_cast<uint8_t*>(master_secret.data()), master_secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed.data(), seed.size()),
      OSSL_PARAM_construct_end()};
  std::array<uint8_t, kMaxKeyBlock> block{};
  const size_t block_len = 2 * key_len + 2 * iv_len;
  Derive(Tls1Prf(), params, std::span<uint8_t>(block.data(), block_len));
  auto part = [&](size_t offset, size_t len) {
    return SecretBytes(std::span<const uint8_t>(block.data() + offset, len));
  };
  Tls12KeyBlock keys;
  keys.client.key = part(0, key_len);
  keys.server.key = part(key_len, key_len);
  keys.client.iv = part(2 * key_len, iv_len);
  keys.server.iv = part(2 * key_len + iv_len, iv_len);
  OPENSSL_cleanse(block.data(), block.size());
  return keys;
}

}  // namespace fg::net
