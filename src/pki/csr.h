#pragma once

// A parsed PKCS#10 certificate signing request (RFC 2986), the input of
// CreateCertificateFromCsr. Parsing is strict and never throws. Move-only; a const
// CertificateRequest may be read from several threads.

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

class CertificateRequest {
 public:
  // Exactly one "CERTIFICATE REQUEST" (or legacy "NEW CERTIFICATE REQUEST") PEM block, with
  // only whitespace around it, whose DER is consumed entirely. kInvalidArgument otherwise (AWS
  // answers a malformed CSR with InvalidRequestException).
  static Result<CertificateRequest> FromPem(std::string_view pem);

  // kCertificateValidation if the CSR is not signed by the private key of its own public key
  // (proof of possession, RFC 2986 section 3).
  Result<void> VerifySignature() const;

  // The AWS device key policy (see CheckDeviceKeyPolicy in key.h): kInvalidArgument for RSA
  // below 2048 bits, EC curves other than P-256/P-384/P-521, and other key types.
  Result<void> CheckKeyPolicy() const;

  // SubjectPublicKeyInfo PEM of the requested key.
  std::string PublicKeyPem() const;
  // The (last) subject commonName, "" if none.
  std::string SubjectCommonName() const;

  // Borrowed; valid while this object lives.
  EVP_PKEY* PublicKey() const;
  X509_REQ* Raw() const { return req_.get(); }

 private:
  explicit CertificateRequest(X509ReqPtr req) : req_(std::move(req)) {}

  X509ReqPtr req_;
};

}  // namespace fg::pki
