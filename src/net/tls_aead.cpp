#include "net/tls_aead.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "pki/crypto_error.h"
#include "pki/openssl_ptr.h"

namespace fg::net {
namespace {

const EVP_CIPHER* FetchedCipher(const char* name) {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  pki::CheckCrypto(cipher != nullptr, name);
  return cipher;
}

// Fetched once per process (a fetch walks the provider tables).
const EVP_CIPHER* Cipher(TlsAead aead) {
  static const pki::EvpCipherPtr aes128(const_cast<EVP_CIPHER*>(FetchedCipher("AES-128-GCM")));
  static const pki::EvpCipherPtr aes256(const_cast<EVP_CIPHER*>(FetchedCipher("AES-256-GCM")));
  static const pki::EvpCipherPtr chacha(
      const_cast<EVP_CIPHER*>(FetchedCipher("ChaCha20-Poly1305")));
  switch (aead) {
    case TlsAead::kAes128Gcm:
      return aes128.get();
    case TlsAead::kAes256Gcm:
      return aes256.get();
    case TlsAead::kChacha20Poly1305:
      break;
  }
  return chacha.get();
}

// Keys the thread's context. Passing the cipher only when it changes lets OpenSSL keep the
// provider's context and just re-key it, instead of freeing and allocating one per record.
EVP_CIPHER_CTX* KeyedContext(TlsAead aead, std::span<const uint8_t> key,
                             std::span<const uint8_t> nonce, int encrypt) {
  thread_local pki::EvpCipherCtxPtr ctx;
  thread_local const EVP_CIPHER* current = nullptr;
  if (!ctx) {
    ctx.reset(EVP_CIPHER_CTX_new());
    pki::CheckCrypto(ctx != nullptr, "EVP_CIPHER_CTX_new");
  }
  const EVP_CIPHER* cipher = Cipher(aead);
  // GCM's and ChaCha20-Poly1305's default IV length is the 12 bytes TLS uses.
  const bool ok = EVP_CipherInit_ex2(ctx.get(), cipher == current ? nullptr : cipher, key.data(),
                                     nonce.data(), encrypt, nullptr) == 1;
  current = ok ? cipher : nullptr;
  pki::CheckCrypto(ok, "EVP_CipherInit_ex2");
  return ctx.get();
}

void AddAad(EVP_CIPHER_CTX* ctx, std::span<const uint8_t> aad) {
  int n = 0;
  pki::CheckCrypto(
      EVP_CipherUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1,
      "EVP_CipherUpdate(aad)");
}

}  // namespace

void AeadSeal(TlsAead aead, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
              std::span<const uint8_t> aad, std::span<const uint8_t> plaintext,
              std::span<const uint8_t> plaintext_tail, std::span<uint8_t> out) {
  EVP_CIPHER_CTX* ctx = KeyedContext(aead, key, nonce, 1);
  AddAad(ctx, aad);
  size_t written = 0;
  for (std::span<const uint8_t> piece : {plaintext, plaintext_tail}) {
    if (piece.empty()) {
      continue;
    }
    int n = 0;
    pki::CheckCrypto(EVP_CipherUpdate(ctx, out.data() + written, &n, piece.data(),
                                      static_cast<int>(piece.size())) == 1,
                     "EVP_CipherUpdate");
    written += static_cast<size_t>(n);
  }
  int n = 0;
  pki::CheckCrypto(EVP_CipherFinal_ex(ctx, out.data() + written, &n) == 1, "EVP_CipherFinal_ex");
  written += static_cast<size_t>(n);
  pki::CheckCrypto(
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, kAeadTagLength, out.data() + written) == 1,
      "EVP_CTRL_AEAD_GET_TAG");
}

bool AeadOpen(TlsAead aead, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
              std::span<const uint8_t> aad, std::span<const uint8_t> sealed,
              std::span<uint8_t> out) {
  const size_t body = sealed.size() - kAeadTagLength;
  EVP_CIPHER_CTX* ctx = KeyedContext(aead, key, nonce, 0);
  AddAad(ctx, aad);
  int n = 0;
  if (body > 0) {
    pki::CheckCrypto(
        EVP_CipherUpdate(ctx, out.data(), &n, sealed.data(), static_cast<int>(body)) == 1,
        "EVP_CipherUpdate");
  }
  // SET_TAG takes a non-const pointer but only copies from it.
  pki::CheckCrypto(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, kAeadTagLength,
                                       const_cast<uint8_t*>(sealed.data() + body)) == 1,
                   "EVP_CTRL_AEAD_SET_TAG");
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx, out.data() + n, &tail) != 1) {
    ERR_clear_error();  // a forged record is the peer's doing, not a library failure
    return false;
  }
  return true;
}

}  // namespace fg::net
