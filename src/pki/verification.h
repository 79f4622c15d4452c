#pragma once

// Signature and chain checks between certificates: RegisterCACertificate's proof of possession,
// RegisterCertificate's "signed by a registered CA" and the gateway's chain check at an injected
// time. Thread-safe: the certificates are only read.

#include <span>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "pki/certificate.h"

namespace fg::pki {

// RegisterCACertificate: the verification certificate's subject CN must equal the account's
// registration code (compared in constant time) -> else kRegistrationCodeValidation; and it must
// be signed by `ca`'s private key -> else kCertificateValidation.
Result<void> VerifyRegistrationProof(const Certificate& ca, const Certificate& verification_cert,
                                     std::string_view registration_code);

// Verifies `leaf` up to one of `trusted_cas` with X509_verify_cert at time `at` (not the wall
// clock). Any trusted CA may be an intermediate (X509_V_FLAG_PARTIAL_CHAIN); at most
// kMaxChainDepth intermediate CAs between the leaf and the trust anchor (OpenSSL's verify
// depth, which counts neither end). Only `trusted_cas` are used to build the chain. Runs at
// OpenSSL security level 2, so MD5/SHA-1 signatures and RSA keys under 2048 bits fail. Expiry,
// signatures, basicConstraints and critical extensions are checked by OpenSSL.
// kCertificateValidation with X509_verify_cert_error_string's text ("certificate has expired") on
// failure, including when `trusted_cas` is empty.
inline constexpr int kMaxChainDepth = 5;
Result<void> VerifyChain(const Certificate& leaf, std::span<const Certificate> trusted_cas,
                         TimePoint at);

// True if `leaf`'s issuer name equals `ca`'s subject and `ca`'s key verifies `leaf`'s signature.
bool SignedBy(const Certificate& leaf, const Certificate& ca);

}  // namespace fg::pki
