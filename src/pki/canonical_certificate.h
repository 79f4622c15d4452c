#pragma once

// The rule that makes a certificate's id (SHA-256 of its DER) unique to the certificate: the
// bytes must be the one DER encoding of what OpenSSL parsed from them. Certificate::FromDer and
// Certificate::FromReceived apply it, so every certificate fleetguard takes in
// (RegisterCertificate, RegisterCertificateWithoutCA, RegisterCACertificate and its verification
// certificate, a TLS peer's leaf, JITR) passes through it.
//
// OpenSSL's d2i_X509 accepts BER and keeps the tbsCertificate exactly as received; i2d_X509
// writes those bytes back (and so does i2d_re_X509_tbs for the Names and extnValues inside),
// so comparing the re-encoding with the input only covers the outer SEQUENCE, the signature
// algorithm and the signature. Inside the signed part this checks:
//  - the whole certificate against CheckStrictDer (lengths, tags, BOOLEANs, SET order, times);
//  - the TBS's DEFAULT fields: an explicit version v1 or an explicit critical FALSE is refused;
//  - each extension's extnValue against CheckStrictDer and, for the extensions OpenSSL knows,
//    against its re-encoding from the parsed value (a DEFAULT such as basicConstraints' cA
//    FALSE written out);
//  - an RSA or DSA subjectPublicKey (itself DER) against CheckStrictDer.
// Not covered: an EC public key's point in compressed instead of uncompressed form (both are
// accepted; they are different bytes for the same key), and DEFAULTs inside extensions OpenSSL
// does not know (their extnValue still passes CheckStrictDer).
//
// CSRs are not checked this way on purpose: CreateCertificateFromCsr issues a new certificate
// from the request's key and subject, so a request's encoding never becomes an id.
//
// Cost: one structural pass over the bytes and one parse and re-encoding per known extension
// (docs/security.md has the measured figure). Reads `x509` only (the extension parse is of a
// copy), so it is safe wherever reading `x509` is. Never throws; returns
// ErrorCode::kCertificateValidation, "certificate is not in canonical DER form", followed by
// what was found where it is more than the re-encoding check.

#include <string_view>

#include <openssl/x509.h>

#include "core/result.h"

namespace fg::pki {

// REQUIRES: `x509` was parsed from `der`.
Result<void> CheckCanonicalCertificate(X509& x509, std::string_view der);

}  // namespace fg::pki
