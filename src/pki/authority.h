#pragma once

// A certificate authority that fleetguard itself operates (the stand-in for "Amazon Root CA"):
// it signs the certificates of CreateKeysAndCertificate and CreateCertificateFromCsr, and the
// gateway's server certificates.
//
// A CertificateAuthority is immutable after creation; copies share the key. Issue() and the
// free functions below are safe to call from any number of threads at once.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "pki/certificate.h"
#include "pki/key.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

class CertificateAuthority {
 public:
  // A CA certificate (PEM; must have basicConstraints CA:TRUE) and its private key (unencrypted
  // PEM). kCertificateValidation if the certificate does not parse; kInvalidArgument if the key
  // does not parse, the certificate is not a CA, or the key is not the certificate's key.
  static Result<CertificateAuthority> Load(std::string_view cert_pem, std::string_view key_pem);

  // A new self-signed root: fresh key (RSA-2048 by default, or P-256), SHA-256 signature,
  // critical basicConstraints CA:TRUE and keyUsage keyCertSign/cRLSign, SKI/AKI, a random
  // serial. kInvalidArgument for an empty or over-long (> 64 bytes) name or an empty period.
  static Result<CertificateAuthority> Generate(std::string_view common_name, TimePoint not_before,
                                               TimePoint not_after,
                                               KeyAlgorithm algorithm = KeyAlgorithm::kRsa2048);

  const Certificate& Cert() const { return cert_; }
  // Unencrypted PKCS#8 PEM; store it only in a 0600 file.
  std::string PrivateKeyPem() const;

  struct IssueOptions {
    std::string common_name;
    std::vector<std::string> dns_names;  // subjectAltName dNSName entries; may be empty
    TimePoint not_before;
    TimePoint not_after;  // not clamped to the CA's own notAfter
    bool server_auth = false;
    bool client_auth = true;
  };

  // Signs an end-entity certificate for `public_key_pem` (SubjectPublicKeyInfo PEM): v3, random
  // positive 16-byte serial, SHA-256, subject CN only, issuer = this CA's subject, critical
  // basicConstraints CA:FALSE, critical keyUsage (digitalSignature, plus keyEncipherment for
  // RSA), extendedKeyUsage from the options, SKI, AKI and subjectAltName dNSNames.
  // kInvalidArgument if the key does not parse or fails CheckDeviceKeyPolicy, or the options are
  // invalid (common name, DNS names, an empty validity period).
  Result<Certificate> Issue(std::string_view public_key_pem, const IssueOptions& options) const;
  // The same for an already-parsed public key (not modified).
  Result<Certificate> Issue(EVP_PKEY& public_key, const IssueOptions& options) const;

 private:
  CertificateAuthority(Certificate cert, std::shared_ptr<EVP_PKEY> key)
      : cert_(std::move(cert)), key_(std::move(key)) {}

  Certificate cert_;
  std::shared_ptr<EVP_PKEY> key_;
};

// AWS IoT's CreateKeysAndCertificate: a fresh RSA-2048 key pair and a certificate for it with
// subject "CN=AWS IoT Certificate", client authentication, notBefore = `now` (whole seconds) and
// notAfter = 2049-12-31T23:59:59Z exactly, signed by `ca`.
struct IssuedCertificate {
  Certificate cert;
  KeyPair keys;
};
Result<IssuedCertificate> CreateKeysAndCertificate(const CertificateAuthority& ca, TimePoint now);

// AWS IoT's CreateCertificateFromCsr: parses the CSR (kInvalidArgument if malformed), verifies
// its signature (kCertificateValidation if broken), applies the device key policy
// (kInvalidArgument), then issues a client certificate for the CSR's key with the CSR's CN
// (or "AWS IoT Certificate" if it has none), notBefore = `now`, notAfter =
// 2049-12-31T23:59:59Z. Each call yields a distinct certificate (fresh serial).
Result<Certificate> CreateCertificateFromCsr(const CertificateAuthority& ca,
                                             std::string_view csr_pem, TimePoint now);

// 2049-12-31T23:59:59Z, the notAfter of every certificate AWS IoT generates.
TimePoint AwsIotCertificateNotAfter();

}  // namespace fg::pki
