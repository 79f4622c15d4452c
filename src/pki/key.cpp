#include "pki/key.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "pki/crypto_error.h"
#include "pki/memory_bio.h"

namespace fg::pki {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;

// Refuses to prompt for a passphrase: an encrypted key simply fails to load.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return 0; }

Result<EvpPkeyPtr> Generate(EVP_PKEY_CTX& ctx, std::string_view what) {
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(&ctx, &raw) != 1) {
    return Fail(ErrorCode::kInternal,
                std::string(what) + " key generation failed: " + LastCryptoError());
  }
  return EvpPkeyPtr(raw);
}

Result<EvpPkeyPtr> GenerateRsa(int bits) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  CheckCrypto(ctx != nullptr, "EVP_PKEY_CTX_new_from_name(RSA)");
  CheckCrypto(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init(RSA)");
  CheckCrypto(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) == 1,
              "EVP_PKEY_CTX_set_rsa_keygen_bits");
  return Generate(*ctx, "RSA");
}

Result<EvpPkeyPtr> GenerateP256() {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  CheckCrypto(ctx != nullptr, "EVP_PKEY_CTX_new_from_name(EC)");
  CheckCrypto(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init(EC)");
  CheckCrypto(EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") == 1, "EVP_PKEY_CTX_set_group_name");
  return Generate(*ctx, "EC");
}

Result<KeyPair> ToKeyPair(Result<EvpPkeyPtr> key) {
  if (!key) {
    return Fail(key.error());
  }
  return KeyPair{PrivateKeyToPem(**key), PublicKeyToPem(**key)};
}

// The curve's NID for an EC key, or NID_undef (explicit parameters, unknown curve).
int CurveNid(const EVP_PKEY& key) {
  char name[80] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) !=
      1) {
    ERR_clear_error();
    return NID_undef;
  }
  const int nid = OBJ_sn2nid(name);
  return nid != NID_undef ? nid : EC_curve_nist2nid(name);
}

}  // namespace

Result<EvpPkeyPtr> GenerateKey(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kEcP256 ? GenerateP256() : GenerateRsa(kMinRsaBits);
}

Result<KeyPair> GenerateRsaKeyPair(int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return Fail(ErrorCode::kInvalidArgument,
                "RSA key size " + std::to_string(bits) + " outside [2048, 16384]");
  }
  return ToKeyPair(GenerateRsa(bits));
}

Result<KeyPair> GenerateEcKeyPair() { return ToKeyPair(GenerateP256()); }

Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem) {
  auto bio = ReadOnlyMemBio(pem);
  if (!bio) {
    return Fail(bio.error());
  }
  ERR_clear_error();
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, &NoPassphrase, nullptr));
  if (key == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot parse private key PEM (unencrypted PKCS#8, RSA or EC expected): " +
                    LastCryptoError());
  }
  return key;
}

Result<EvpPkeyPtr> ParsePublicKeyPem(std::string_view pem) {
  auto bio = ReadOnlyMemBio(pem);
  if (!bio) {
    return Fail(bio.error());
  }
  ERR_clear_error();
  EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio->get(), nullptr, &NoPassphrase, nullptr));
  if (key == nullptr) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "cannot parse public key PEM (\"BEGIN PUBLIC KEY\" expected): " + LastCryptoError());
  }
  return key;
}

std::string PrivateKeyToPem(const EVP_PKEY& key) {
  BioPtr bio = WritableMemBio();
  CheckCrypto(PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
              "PEM_write_bio_PrivateKey");
  return MemBioContents(*bio);
}

std::string PublicKeyToPem(const EVP_PKEY& key) {
  BioPtr bio = WritableMemBio();
  CheckCrypto(PEM_write_bio_PUBKEY(bio.get(), &key) == 1, "PEM_write_bio_PUBKEY");
  return MemBioContents(*bio);
}

Result<void> CheckDeviceKeyPolicy(const EVP_PKEY& key) {
  const int type = EVP_PKEY_get_base_id(&key);
  if (type == EVP_PKEY_RSA) {
    const int bits = EVP_PKEY_get_bits(&key);
    if (bits < kMinRsaBits) {
      return Fail(ErrorCode::kInvalidArgument, "RSA key of " + std::to_string(bits) +
                                                   " bits is too small; at least 2048 needed");
    }
    return Ok();
  }
  if (type == EVP_PKEY_EC) {
    const int curve = CurveNid(key);
    if (curve == NID_X9_62_prime256v1 || curve == NID_secp384r1 || curve == NID_secp521r1) {
      return Ok();
    }
    const char* name = curve == NID_undef ? nullptr : OBJ_nid2sn(curve);
    return Fail(ErrorCode::kInvalidArgument, std::string("EC curve ") +
                                                 (name != nullptr ? name : "(unnamed)") +
                                                 " is not supported; use P-256, P-384 or P-521");
  }
  const char* type_name = OBJ_nid2sn(type);
  return Fail(ErrorCode::kInvalidArgument, std::string("unsupported key type ") +
                                               (type_name != nullptr ? type_name : "unknown") +
                                               "; use RSA (>= 2048 bits) or EC P-256/P-384/P-521");
}

bool SamePublicKey(const EVP_PKEY& a, const EVP_PKEY& b) {
  const bool same = EVP_PKEY_eq(&a, &b) == 1;
  ERR_clear_error();
  return same;
}

}  // namespace fg::pki
