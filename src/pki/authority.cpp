#include "pki/authority.h"

#include <chrono>

#include "pki/csr.h"
#include "pki/x509_builder.h"

namespace fg::pki {
namespace {

constexpr std::string_view kAwsIotCommonName = "AWS IoT Certificate";

// RFC 5280 4.2.1.1: the AKI is the issuer's SKI when it has one. A loaded CA may lack an SKI,
// in which case OpenSSL cannot make "keyid:always"; fall back to issuer name and serial.
Result<void> AddAuthorityKeyId(X509Builder& builder, X509* issuer) {
  if (builder.AddExtension(NID_authority_key_identifier, "keyid:always", issuer)) {
    return Ok();
  }
  return builder.AddExtension(NID_authority_key_identifier, "issuer:always", issuer);
}

TimePoint WholeSeconds(TimePoint t) { return std::chrono::floor<std::chrono::seconds>(t); }

}  // namespace

Result<CertificateAuthority> CertificateAuthority::Load(std::string_view cert_pem,
                                                        std::string_view key_pem) {
  auto cert = Certificate::FromPem(cert_pem);
  if (!cert) {
    return Fail(cert.error());
  }
  if (!cert->IsCa()) {
    return Fail(ErrorCode::kInvalidArgument,
                "certificate " + cert->Subject() + " is not a CA (basicConstraints CA:TRUE)");
  }
  auto key = ParsePrivateKeyPem(key_pem);
  if (!key) {
    return Fail(key.error());
  }
  if (!SamePublicKey(*X509_get0_pubkey(cert->Raw()), **key)) {
    return Fail(ErrorCode::kInvalidArgument,
                "private key does not belong to CA certificate " + cert->Subject());
  }
  return CertificateAuthority(std::move(*cert), std::shared_ptr<EVP_PKEY>(std::move(*key)));
}

Result<CertificateAuthority> CertificateAuthority::Generate(std::string_view common_name,
                                                            TimePoint not_before,
                                                            TimePoint not_after,
                                                            KeyAlgorithm algorithm) {
  auto key = GenerateKey(algorithm);
  if (!key) {
    return Fail(key.error());
  }
  X509Builder builder;
  if (auto r = builder.SetSubjectCommonName(common_name); !r) {
    return Fail(r.error());
  }
  if (auto r = builder.SetValidity(WholeSeconds(not_before), WholeSeconds(not_after)); !r) {
    return Fail(r.error());
  }
  builder.SetIssuerToSubject();
  builder.SetPublicKey(**key);
  for (auto [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                            std::pair{NID_key_usage, "critical,keyCertSign,cRLSign"},
                            std::pair{NID_subject_key_identifier, "hash"},
                            std::pair{NID_authority_key_identifier, "keyid:always"}}) {
    if (auto r = builder.AddExtension(nid, value, nullptr); !r) {
      return Fail(ErrorCode::kInternal, r.error().message);
    }
  }
  auto cert = builder.Sign(**key);
  if (!cert) {
    return Fail(cert.error());
  }
  return CertificateAuthority(std::move(*cert), std::shared_ptr<EVP_PKEY>(std::move(*key)));
}

std::string CertificateAuthority::PrivateKeyPem() const { return PrivateKeyToPem(*key_); }

Result<Certificate> CertificateAuthority::Issue(std::string_view public_key_pem,
                                                const IssueOptions& options) const {
  auto key = ParsePublicKeyPem(public_key_pem);
  if (!key) {
    return Fail(key.error());
  }
  return Issue(**key, options);
}

Result<Certificate> CertificateAuthority::Issue(EVP_PKEY& public_key,
                                                const IssueOptions& options) const {
  if (auto r = CheckDeviceKeyPolicy(public_key); !r) {
    return Fail(r.error());
  }
  X509Builder builder;
  if (auto r = builder.SetSubjectCommonName(options.common_name); !r) {
    return Fail(r.error());
  }
  if (auto r =
          builder.SetValidity(WholeSeconds(options.not_before), WholeSeconds(options.not_after));
      !r) {
    return Fail(r.error());
  }
  builder.SetIssuerName(*X509_get_subject_name(cert_.Raw()));
  builder.SetPublicKey(public_key);
  // keyEncipherment only makes sense for RSA (RFC 5480 3 forbids it for EC keys).
  const bool rsa = EVP_PKEY_get_base_id(&public_key) == EVP_PKEY_RSA;
  const char* key_usage =
      rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature";
  std::string eku;
  if (options.server_auth) {
    eku = "serverAuth";
  }
  if (options.client_auth) {
    eku += eku.empty() ? "clientAuth" : ",clientAuth";
  }
  X509* issuer = cert_.Raw();
  auto ext = builder.AddExtension(NID_basic_constraints, "critical,CA:FALSE", issuer)
                 .and_then([&] { return builder.AddExtension(NID_key_usage, key_usage, issuer); })
                 .and_then([&] {
                   return eku.empty()
                              ? Ok()
                              : builder.AddExtension(NID_ext_key_usage, eku.c_str(), issuer);
                 })
                 .and_then([&] {
                   return builder.AddExtension(NID_subject_key_identifier, "hash", issuer);
                 })
                 .and_then([&] { return AddAuthorityKeyId(builder, issuer); });
  if (!ext) {
    return Fail(ErrorCode::kInternal, ext.error().message);
  }
  if (auto r = builder.AddDnsNames(options.dns_names); !r) {
    return Fail(r.error());
  }
  return builder.Sign(*key_);
}

TimePoint AwsIotCertificateNotAfter() {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days(year{2049} / December / 31) + hours(23) +
                                       minutes(59) + seconds(59));
}

Result<IssuedCertificate> CreateKeysAndCertificate(const CertificateAuthority& ca, TimePoint now) {
  auto keys = GenerateRsaKeyPair(2048);
  if (!keys) {
    return Fail(keys.error());
  }
  CertificateAuthority::IssueOptions options;
  options.common_name = std::string(kAwsIotCommonName);
  options.not_before = now;
  options.not_after = AwsIotCertificateNotAfter();
  auto cert = ca.Issue(keys->public_key_pem, options);
  if (!cert) {
    return Fail(cert.error());
  }
  return IssuedCertificate{std::move(*cert), std::move(*keys)};
}

Result<Certificate> CreateCertificateFromCsr(const CertificateAuthority& ca,
                                             std::string_view csr_pem, TimePoint now) {
  auto csr = CertificateRequest::FromPem(csr_pem);
  if (!csr) {
    return Fail(csr.error());
  }
  if (auto r = csr->VerifySignature(); !r) {
    return Fail(r.error());
  }
  if (auto r = csr->CheckKeyPolicy(); !r) {
    return Fail(r.error());
  }
  CertificateAuthority::IssueOptions options;
  options.common_name = csr->SubjectCommonName();
  if (options.common_name.empty()) {
    options.common_name = std::string(kAwsIotCommonName);
  }
  options.not_before = now;
  options.not_after = AwsIotCertificateNotAfter();
  return ca.Issue(*csr->PublicKey(), options);
}

}  // namespace fg::pki
