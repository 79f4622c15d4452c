#pragma once

// Assembles and signs one X.509 v3 certificate. Internal to fg::pki (used by
// CertificateAuthority); the callers choose every field, this class only encodes them and
// checks the inputs that could come from a request (names). Not thread-safe; use one per
// certificate.

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "pki/certificate.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

class X509Builder {
 public:
  // Starts a v3 certificate with a random positive 16-byte serial number. Aborts on allocation
  // or CSPRNG failure.
  X509Builder();

  // kInvalidArgument unless 1..64 bytes (RFC 5280 ub-common-name) without NUL.
  Result<void> SetSubjectCommonName(std::string_view common_name);
  // The issuer name is copied from `issuer_subject`.
  void SetIssuerName(const X509_NAME& issuer_subject);
  // For a self-signed certificate. REQUIRES: SetSubjectCommonName succeeded.
  void SetIssuerToSubject();
  // kInvalidArgument unless not_before < not_after.
  Result<void> SetValidity(TimePoint not_before, TimePoint not_after);
  void SetPublicKey(EVP_PKEY& key);

  // Adds an extension written in OpenSSL config syntax. `value` must be a constant chosen by
  // our code, never request data. `issuer` supplies the authority key id; nullptr means this
  // certificate is its own issuer.
  Result<void> AddExtension(int nid, const char* value, X509* issuer);
  // subjectAltName with one dNSName per entry; kInvalidArgument on a malformed host name.
  Result<void> AddDnsNames(const std::vector<std::string>& dns_names);

  // Signs with `key` and SHA-256. The builder must not be reused afterwards.
  Result<Certificate> Sign(EVP_PKEY& key);

 private:
  X509Ptr x509_;
};

// True for a DNS host name (RFC 1123 labels, at most 253 chars) with an optional leading "*.".
bool IsValidDnsName(std::string_view name);

}  // namespace fg::pki
