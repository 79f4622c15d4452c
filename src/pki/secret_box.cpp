#include "pki/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "pki/crypto_error.h"
#include "pki/openssl_ptr.h"
#include "pki/random.h"

namespace fg::pki {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<SecretBox> SecretBox::FromKey(std::string_view key32) {
  if (key32.size() != kKeySize) {
    return Fail(ErrorCode::kInvalidArgument,
                "secret box key must be 32 bytes, got " + std::to_string(key32.size()));
  }
  return SecretBox(std::string(key32));
}

std::string SecretBox::NewKey() { return RandomBytes(kKeySize); }

SecretBox::~SecretBox() {
  if (!key_.empty()) {
    OPENSSL_cleanse(key_.data(), key_.size());
  }
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  CheckCrypto(plaintext.size() <= kMaxPlaintextSize && associated_data.size() <= kMaxPlaintextSize,
              "SecretBox::Seal: input larger than kMaxPlaintextSize");
  const std::string nonce = RandomBytes(kNonceSize);
  std::string out(kNonceSize + plaintext.size() + kTagSize, '\0');
  out.replace(0, kNonceSize, nonce);
  auto* ciphertext = reinterpret_cast<unsigned char*>(out.data() + kNonceSize);

  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  CheckCrypto(ctx != nullptr, "EVP_CIPHER_CTX_new");
  // The default GCM IV length is the 12 bytes we use.
  CheckCrypto(
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1,
      "EVP_EncryptInit_ex");
  int len = 0;
  if (!associated_data.empty()) {
    CheckCrypto(EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                                  static_cast<int>(associated_data.size())) == 1,
                "EVP_EncryptUpdate(aad)");
  }
  int total = 0;
  if (!plaintext.empty()) {
    CheckCrypto(EVP_EncryptUpdate(ctx.get(), ciphertext, &len, Bytes(plaintext),
                                  static_cast<int>(plaintext.size())) == 1,
                "EVP_EncryptUpdate");
    total = len;
  }
  CheckCrypto(EVP_EncryptFinal_ex(ctx.get(), ciphertext + total, &len) == 1, "EVP_EncryptFinal_ex");
  total += len;
  CheckCrypto(static_cast<size_t>(total) == plaintext.size(), "AES-GCM output length");
  CheckCrypto(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                                  ciphertext + plaintext.size()) == 1,
              "EVP_CTRL_GCM_GET_TAG");
  return out;
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (sealed.size() < kNonceSize + kTagSize) {
    return Fail(ErrorCode::kCorrupt, "sealed secret is too short");
  }
  if (sealed.size() > kNonceSize + kMaxPlaintextSize + kTagSize ||
      associated_data.size() > kMaxPlaintextSize) {
    return Fail(ErrorCode::kCorrupt, "sealed secret is too long");
  }
  const std::string_view nonce = sealed.substr(0, kNonceSize);
  const std::string_view ciphertext =
      sealed.substr(kNonceSize, sealed.size() - kNonceSize - kTagSize);
  std::string tag(sealed.substr(sealed.size() - kTagSize));

  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  CheckCrypto(ctx != nullptr, "EVP_CIPHER_CTX_new");
  CheckCrypto(
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1,
      "EVP_DecryptInit_ex");
  int len = 0;
  if (!associated_data.empty()) {
    CheckCrypto(EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                                  static_cast<int>(associated_data.size())) == 1,
                "EVP_DecryptUpdate(aad)");
  }
  std::string plaintext(ciphertext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  int total = 0;
  if (!ciphertext.empty()) {
    CheckCrypto(EVP_DecryptUpdate(ctx.get(), out, &len, Bytes(ciphertext),
                                  static_cast<int>(ciphertext.size())) == 1,
                "EVP_DecryptUpdate");
    total = len;
  }
  CheckCrypto(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                                  tag.data()) == 1,
              "EVP_CTRL_GCM_SET_TAG");
  // The tag is checked here; until then the plaintext must not be released.
  if (EVP_DecryptFinal_ex(ctx.get(), out + total, &len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    ERR_clear_error();
    return Fail(ErrorCode::kCorrupt,
                "sealed secret failed authentication (wrong key, wrong context or tampered)");
  }
  return plaintext;
}

}  // namespace fg::pki
