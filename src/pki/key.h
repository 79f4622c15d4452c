#pragma once

// Asymmetric key pairs: generation for CreateKeysAndCertificate and the built-in CA, parsing of
// PEM keys, and the device key policy of CreateCertificateFromCsr. Thread-safe.

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

struct KeyPair {
  std::string private_key_pem;  // unencrypted PKCS#8 ("-----BEGIN PRIVATE KEY-----")
  std::string public_key_pem;   // SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----")
};

enum class KeyAlgorithm { kRsa2048, kEcP256 };

// A fresh key pair as an OpenSSL key (for signing in-process, e.g. a generated CA).
Result<EvpPkeyPtr> GenerateKey(KeyAlgorithm algorithm);

// kInvalidArgument unless 2048 <= bits <= 16384.
Result<KeyPair> GenerateRsaKeyPair(int bits = 2048);
// NIST P-256 (prime256v1).
Result<KeyPair> GenerateEcKeyPair();

// Parses an unencrypted private key in PKCS#8, traditional RSA or SEC1 EC PEM form. Encrypted
// keys are refused (no passphrase prompt is ever shown). kInvalidArgument on any failure.
Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem);
// Parses a SubjectPublicKeyInfo PEM. kInvalidArgument on any failure.
Result<EvpPkeyPtr> ParsePublicKeyPem(std::string_view pem);

std::string PrivateKeyToPem(const EVP_PKEY& key);
std::string PublicKeyToPem(const EVP_PKEY& key);

// The AWS IoT device key policy (CreateCertificateFromCsr): RSA of at least 2048 bits, or EC on
// P-256, P-384 or P-521. Anything else is kInvalidArgument naming the key.
Result<void> CheckDeviceKeyPolicy(const EVP_PKEY& key);

// True if both hold the same public key (a private key matches its public half).
bool SamePublicKey(const EVP_PKEY& a, const EVP_PKEY& b);

}  // namespace fg::pki
