#include "pki/verification.h"

#include <chrono>
#include <string>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "pki/constant_time.h"
#include "pki/crypto_error.h"

namespace fg::pki {
namespace {

constexpr int kChainSecurityLevel = 2;

bool SignatureVerifies(const Certificate& cert, const Certificate& signer) {
  ERR_clear_error();
  // X509_verify returns 1 on success, 0 on mismatch and -1 on errors (e.g. a key type that
  // cannot verify this algorithm); only 1 counts.
  const bool ok = X509_verify(cert.Raw(), X509_get0_pubkey(signer.Raw())) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<void> VerifyRegistrationProof(const Certificate& ca, const Certificate& verification_cert,
                                     std::string_view registration_code) {
  if (registration_code.empty() ||
      !ConstantTimeEquals(verification_cert.SubjectCommonName(), registration_code)) {
    return Fail(ErrorCode::kRegistrationCodeValidation,
                "the verification certificate's common name is not the registration code");
  }
  if (!SignatureVerifies(verification_cert, ca)) {
    return Fail(ErrorCode::kCertificateValidation,
                "the verification certificate is not signed by the CA certificate's private key");
  }
  return Ok();
}

Result<void> VerifyChain(const Certificate& leaf, std::span<const Certificate> trusted_cas,
                         TimePoint at) {
  if (trusted_cas.empty()) {
    return Fail(ErrorCode::kCertificateValidation,
                "certificate chain verification failed: no trusted CA certificate");
  }
  X509StorePtr store(X509_STORE_new());
  CheckCrypto(store != nullptr, "X509_STORE_new");
  for (const auto& ca : trusted_cas) {
    // X509_STORE_add_cert takes its own reference. A duplicate of an added certificate is not an
    // error in OpenSSL 3.0, so any failure here is resource exhaustion.
    CheckCrypto(X509_STORE_add_cert(store.get(), ca.Raw()) == 1, "X509_STORE_add_cert");
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  CheckCrypto(ctx != nullptr, "X509_STORE_CTX_new");
  CheckCrypto(X509_STORE_CTX_init(ctx.get(), store.get(), leaf.Raw(), nullptr) == 1,
              "X509_STORE_CTX_init");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(seconds));
  X509_VERIFY_PARAM_set_depth(param, kMaxChainDepth);
  // Outside a TLS handshake the verify context has no security level, and then OpenSSL 3.0
  // accepts MD5 and SHA-1 signatures and 1024-bit RSA keys. Level 2 (112-bit security) refuses
  // them, which matches AWS IoT's algorithm list and its 2048-bit RSA minimum.
  X509_VERIFY_PARAM_set_auth_level(param, kChainSecurityLevel);
  CheckCrypto(X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN) == 1,
              "X509_VERIFY_PARAM_set_flags");
  ERR_clear_error();
  if (X509_verify_cert(ctx.get()) == 1) {
    return Ok();
  }
  const int err = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  ERR_clear_error();
  return Fail(ErrorCode::kCertificateValidation,
              std::string("certificate chain verification failed: ") +
                  X509_verify_cert_error_string(err) + " (depth " + std::to_string(depth) + ")");
}

bool SignedBy(const Certificate& leaf, const Certificate& ca) {
  if (X509_NAME_cmp(X509_get_issuer_name(leaf.Raw()), X509_get_subject_name(ca.Raw())) != 0) {
    return false;
  }
  return SignatureVerifies(leaf, ca);
}

}  // namespace fg::pki
