// Target: pki::CertificateRequest::FromPem (the certificateSigningRequest of
// CreateCertificateFromCsr) and what the operation does next: VerifySignature (proof of
// possession), CheckKeyPolicy, PublicKeyPem, SubjectCommonName.
//
// Invariant: the public key of an accepted CSR serialises to a PEM that pki::ParsePublicKeyPem
// accepts and that holds the same key.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "pki/csr.h"
#include "pki/key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto csr = fg::pki::CertificateRequest::FromPem(input);
  if (!csr) {
    FG_FUZZ_CHECK(!csr.error().message.empty(), "every refusal says why");
    return 0;
  }
  (void)csr->VerifySignature();
  (void)csr->CheckKeyPolicy();
  (void)csr->SubjectCommonName();
  const std::string public_pem = csr->PublicKeyPem();
  auto key = fg::pki::ParsePublicKeyPem(public_pem);
  FG_FUZZ_CHECK(key.has_value(), "the requested key's PEM parses");
  FG_FUZZ_CHECK(csr->PublicKey() != nullptr, "an accepted CSR has a key");
  FG_FUZZ_CHECK(fg::pki::SamePublicKey(**key, *csr->PublicKey()), "the PEM holds the same key");
  return 0;
}
