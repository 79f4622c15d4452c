#include "pki/csr.h"

#include <openssl/err.h>

#include "pki/crypto_error.h"
#include "pki/key.h"
#include "pki/pem_block.h"
#include "pki/x509_name.h"

namespace fg::pki {

Result<CertificateRequest> CertificateRequest::FromPem(std::string_view pem) {
  auto der = ReadSinglePemBlock(pem, {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"}, "CSR",
                                ErrorCode::kInvalidArgument);
  if (!der) {
    return Fail(der.error());
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der->data());
  const unsigned char* p = begin;
  ERR_clear_error();
  X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der->size())));
  if (req == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "malformed CSR (not PKCS#10 DER): " + LastCryptoError());
  }
  if (p != begin + der->size()) {
    return Fail(ErrorCode::kInvalidArgument, "trailing bytes after the CSR DER");
  }
  if (X509_REQ_get0_pubkey(req.get()) == nullptr) {
    ERR_clear_error();
    return Fail(ErrorCode::kInvalidArgument, "CSR public key is malformed or unsupported");
  }
  return CertificateRequest(std::move(req));
}

Result<void> CertificateRequest::VerifySignature() const {
  ERR_clear_error();
  // X509_REQ_verify returns 1 on success, 0 on a bad signature and -1 on other failures; all
  // but 1 mean no proof of possession.
  const int rc = X509_REQ_verify(req_.get(), PublicKey());
  if (rc != 1) {
    const std::string detail = LastCryptoError();
    return Fail(ErrorCode::kCertificateValidation,
                "CSR signature does not verify with its own public key" +
                    (detail.empty() ? std::string() : ": " + detail));
  }
  return Ok();
}

Result<void> CertificateRequest::CheckKeyPolicy() const {
  return CheckDeviceKeyPolicy(*PublicKey());
}

std::string CertificateRequest::PublicKeyPem() const { return PublicKeyToPem(*PublicKey()); }

std::string CertificateRequest::SubjectCommonName() const {
  return CommonNameOf(*X509_REQ_get_subject_name(req_.get()));
}

EVP_PKEY* CertificateRequest::PublicKey() const { return X509_REQ_get0_pubkey(req_.get()); }

}  // namespace fg::pki
