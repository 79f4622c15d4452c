// Target: pki::Certificate::FromPem and pki::Certificate::FromDer (the certificatePem /
// caCertificate / verificationCertificate inputs of RegisterCertificate, RegisterCertificate-
// WithoutCA and RegisterCACertificate), with every accessor the registry reads from the result.
//
// The input is offered both as PEM text and as DER bytes. Invariants on an accepted certificate:
//  - Id() is the lowercase hex SHA-256 of Der() (the AWS certificateId);
//  - FromDer(Der()) and FromPem(Pem()) give the same certificate (same id, SameAs);
//  - strict DER (s2n): FromDer keeps the caller's bytes as Der(), so a certificate is only
//    accepted if OpenSSL's re-encoding of the parsed X509 (FromX509) is byte-identical;
//    otherwise one certificate could be registered under two ids;
//  - the same inside the signed part, which OpenSSL re-encodes as received: an accepted
//    certificate is strict DER throughout (the noncanonical-tbs-* seeds are refused).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "pki/certificate.h"
#include "pki/digest.h"
#include "pki/strict_der.h"

namespace fg::pki {
namespace {

void Exercise(const Certificate& cert) {
  FG_FUZZ_CHECK(cert.Id() == Sha256Hex(cert.Der()), "certificateId is SHA-256 of the DER");
  FG_FUZZ_CHECK(cert.Id().size() == 64, "certificateId is 64 hex characters");
  FG_FUZZ_CHECK(CheckStrictDer(cert.Der()).has_value(), "an accepted certificate is strict DER");
  (void)cert.Subject();
  (void)cert.Issuer();
  (void)cert.SubjectCommonName();
  (void)cert.SerialNumberHex();
  (void)cert.NotBefore();
  (void)cert.NotAfter();
  (void)cert.SignatureAlgorithm();
  (void)cert.SignatureNid();
  (void)cert.PublicKeyPem();
  (void)cert.IsCa();
  (void)cert.IsSelfSigned();

  auto from_der = Certificate::FromDer(cert.Der());
  FG_FUZZ_CHECK(from_der.has_value(), "an accepted certificate's DER is accepted again");
  FG_FUZZ_CHECK(from_der->SameAs(cert), "FromDer(Der()) is the same certificate");
  auto from_pem = Certificate::FromPem(cert.Pem());
  FG_FUZZ_CHECK(from_pem.has_value(), "an accepted certificate's PEM is accepted again");
  FG_FUZZ_CHECK(from_pem->Id() == cert.Id(), "FromPem(Pem()) has the same id");

  auto reencoded = Certificate::FromX509(*cert.Raw());
  FG_FUZZ_CHECK(reencoded.has_value(), "an accepted certificate's X509 is accepted again");
  FG_FUZZ_CHECK(reencoded->Id() == cert.Id(),
                "accepted DER is canonical: re-encoding the parsed certificate gives the same id");
}

}  // namespace
}  // namespace fg::pki

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto cert = fg::pki::Certificate::FromPem(input)) {
    fg::pki::Exercise(*cert);
  } else {
    FG_FUZZ_CHECK(!cert.error().message.empty(), "every refusal says why");
  }
  if (auto cert = fg::pki::Certificate::FromDer(input)) {
    fg::pki::Exercise(*cert);
  }
  return 0;
}
