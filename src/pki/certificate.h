#pragma once

// An immutable, parsed X.509 certificate.
//
// Certificates arrive from untrusted sources (RegisterCertificate bodies, TLS peers), so the
// factories are strict (the s2n rule) and never throw: malformed input yields
// ErrorCode::kCertificateValidation with a message that says what was wrong.
//
// Copies are cheap: they share one immutable parsed state (the X509 plus its cached DER and
// fingerprint) through a reference count. A Certificate and its copies may be used from any
// number of threads at once; the OpenSSL extension cache is filled at parse time, so the const
// accessors only read.

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

class Certificate {
 public:
  // Exactly one "-----BEGIN CERTIFICATE-----" block. Only whitespace may precede or follow it;
  // encrypted-PEM headers, other block types (keys, CSRs), a second certificate, trailing
  // garbage, an empty input and a DER body with trailing bytes are all rejected.
  static Result<Certificate> FromPem(std::string_view pem);

  // A DER certificate; d2i must consume every byte, and the bytes must be the one DER encoding
  // of the certificate, inside the signed tbsCertificate too (pki/canonical_certificate.h):
  // kCertificateValidation "certificate is not in canonical DER form" otherwise.
  static Result<Certificate> FromDer(std::string_view der);

  // Takes a new reference to an already-parsed X509 (e.g. one this process built); `x509` itself
  // stays owned by the caller. The DER and the id are OpenSSL's re-encoding of it.
  static Result<Certificate> FromX509(X509& x509);

  // A certificate that OpenSSL has already parsed from `der` (a TLS peer's leaf: the X509 from
  // SSL_get0_peer_certificate and the bytes the peer sent for it), without parsing it again.
  // Takes a new reference to `x509`. The same rules as FromDer, so the id is SHA-256 of what
  // the peer sent: `der` must be exactly the canonical encoding of `x509`, the signed part
  // included (kCertificateValidation "not in canonical DER form" otherwise, which also covers
  // bytes of another certificate). Only reads `x509`.
  static Result<Certificate> FromReceived(X509& x509, std::string_view der);

  // Lowercase hex SHA-256 of the DER (64 chars): the AWS IoT certificateId.
  const std::string& Id() const;
  const std::string& Der() const;
  std::string Pem() const;

  // One-line RFC 2253 form, e.g. "CN=Test Device CA 1,O=Example".
  std::string Subject() const;
  std::string Issuer() const;
  // The (last) subject commonName as UTF-8; "" if the subject has none.
  std::string SubjectCommonName() const;
  // Uppercase hex of the serial number, without leading zero bytes.
  std::string SerialNumberHex() const;

  TimePoint NotBefore() const;
  TimePoint NotAfter() const;

  // AWS IoT's name for the signature algorithm ("SHA256WITHRSA", "ECDSA-WITH-SHA256",
  // "DSA_WITH_SHA256") when it has one, otherwise OpenSSL's long name ("sha1WithRSAEncryption"),
  // otherwise the dotted OID.
  std::string SignatureAlgorithm() const;
  // The OpenSSL NID of the signature algorithm (NID_undef if unknown); policy decides on this.
  int SignatureNid() const;

  // The subject public key as a SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
  std::string PublicKeyPem() const;

  // basicConstraints present with CA:TRUE.
  bool IsCa() const;
  // Issuer equals subject and the certificate's own key verifies its signature.
  bool IsSelfSigned() const;

  // True if both hold the same DER (compared in constant time).
  bool SameAs(const Certificate& other) const;

  // Borrowed; valid while this Certificate or a copy of it lives. Do not modify.
  X509* Raw() const;

 private:
  struct State;
  explicit Certificate(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  static Result<Certificate> FromOwnedX509(X509Ptr x509, std::string der);

  std::shared_ptr<const State> state_;
};

}  // namespace fg::pki
