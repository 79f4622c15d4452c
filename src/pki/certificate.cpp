#include "pki/certificate.h"

#include <algorithm>
#include <array>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "pki/asn1_time.h"
#include "pki/canonical_certificate.h"
#include "pki/constant_time.h"
#include "pki/crypto_error.h"
#include "pki/digest.h"
#include "pki/key.h"
#include "pki/memory_bio.h"
#include "pki/pem_block.h"
#include "pki/x509_name.h"

namespace fg::pki {

struct Certificate::State {
  X509Ptr x509;
  std::string der;
  std::string id;
  TimePoint not_before;
  TimePoint not_after;
};

namespace {

struct AwsAlgorithmName {
  int nid;
  const char* name;
};

// The names AWS IoT documents for its supported signature algorithms ("Certificate signing
// algorithms supported by AWS IoT"); the policy in signature_policy.cpp decides by NID.
constexpr std::array<AwsAlgorithmName, 7> kAwsAlgorithmNames = {{
    {NID_sha256WithRSAEncryption, "SHA256WITHRSA"},
    {NID_sha384WithRSAEncryption, "SHA384WITHRSA"},
    {NID_sha512WithRSAEncryption, "SHA512WITHRSA"},
    {NID_dsa_with_SHA256, "DSA_WITH_SHA256"},
    {NID_ecdsa_with_SHA256, "ECDSA-WITH-SHA256"},
    {NID_ecdsa_with_SHA384, "ECDSA-WITH-SHA384"},
    {NID_ecdsa_with_SHA512, "ECDSA-WITH-SHA512"},
}};

}  // namespace

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  auto der =
      ReadSinglePemBlock(pem, {"CERTIFICATE"}, "certificate", ErrorCode::kCertificateValidation);
  if (!der) {
    return Fail(der.error());
  }
  return FromDer(*der);
}

Result<Certificate> Certificate::FromDer(std::string_view der) {
  if (der.empty()) {
    return Fail(ErrorCode::kCertificateValidation, "certificate DER is empty");
  }
  if (der.size() > kMaxEncodedInputSize) {
    return Fail(ErrorCode::kCertificateValidation, "certificate DER is too large");
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = begin;
  ERR_clear_error();
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (x509 == nullptr) {
    return Fail(ErrorCode::kCertificateValidation,
                "malformed certificate DER (truncated or not X.509): " + LastCryptoError());
  }
  if (p != begin + der.size()) {
    return Fail(ErrorCode::kCertificateValidation,
                std::to_string(static_cast<size_t>(begin + der.size() - p)) +
                    " trailing bytes after the DER certificate");
  }
  // A certificate's id is the hash of its DER, so a second encoding of the same certificate
  // would be a second id: registered again past the duplicate and multi-account checks.
  if (auto canonical = CheckCanonicalCertificate(*x509, der); !canonical) {
    return Fail(canonical.error());
  }
  return FromOwnedX509(std::move(x509), std::string(der));
}

Result<Certificate> Certificate::FromX509(X509& x509) {
  CheckCrypto(X509_up_ref(&x509) == 1, "X509_up_ref");
  X509Ptr owned(&x509);
  const int len = i2d_X509(owned.get(), nullptr);
  if (len <= 0) {
    return Fail(ErrorCode::kCertificateValidation,
                "certificate cannot be DER-encoded: " + LastCryptoError());
  }
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  CheckCrypto(i2d_X509(owned.get(), &p) == len, "i2d_X509");
  return FromOwnedX509(std::move(owned), std::move(der));
}

Result<Certificate> Certificate::FromReceived(X509& x509, std::string_view der) {
  if (der.empty()) {
    return Fail(ErrorCode::kCertificateValidation, "certificate DER is empty");
  }
  if (der.size() > kMaxEncodedInputSize) {
    return Fail(ErrorCode::kCertificateValidation, "certificate DER is too large");
  }
  CheckCrypto(X509_up_ref(&x509) == 1, "X509_up_ref");
  X509Ptr owned(&x509);
  // The canonical-DER rule of FromDer, without its d2i_X509 (in OpenSSL 3.0 the public-key
  // decoding inside it costs more than verifying the certificate): OpenSSL parsed `x509` from
  // `der`. A device sending another encoding of a registered certificate would otherwise get
  // another id, and JITR would register that encoding.
  if (auto canonical = CheckCanonicalCertificate(*owned, der); !canonical) {
    return Fail(canonical.error());
  }
  return FromOwnedX509(std::move(owned), std::string(der));
}

Result<Certificate> Certificate::FromOwnedX509(X509Ptr x509, std::string der) {
  // Computing the extension cache here both validates the extensions (OpenSSL marks malformed
  // ones EXFLAG_INVALID) and makes later const accessors read-only.
  if ((X509_get_extension_flags(x509.get()) & EXFLAG_INVALID) != 0) {
    ERR_clear_error();
    return Fail(ErrorCode::kCertificateValidation, "certificate has malformed extensions");
  }
  if (X509_get0_pubkey(x509.get()) == nullptr) {
    ERR_clear_error();
    return Fail(ErrorCode::kCertificateValidation,
                "certificate public key is malformed or of an unsupported type");
  }
  const ASN1_TIME* nb = X509_get0_notBefore(x509.get());
  const ASN1_TIME* na = X509_get0_notAfter(x509.get());
  if (nb == nullptr || na == nullptr) {
    return Fail(ErrorCode::kCertificateValidation, "certificate has no validity period");
  }
  auto not_before = FromAsn1Time(*nb);
  if (!not_before) {
    return Fail(not_before.error());
  }
  auto not_after = FromAsn1Time(*na);
  if (!not_after) {
    return Fail(not_after.error());
  }
  auto state = std::make_shared<State>();
  state->id = Sha256Hex(der);
  state->der = std::move(der);
  state->x509 = std::move(x509);
  state->not_before = *not_before;
  state->not_after = *not_after;
  return Certificate(std::move(state));
}

const std::string& Certificate::Id() const { return state_->id; }

const std::string& Certificate::Der() const { return state_->der; }

std::string Certificate::Pem() const {
  BioPtr bio = WritableMemBio();
  CheckCrypto(PEM_write_bio_X509(bio.get(), state_->x509.get()) == 1, "PEM_write_bio_X509");
  return MemBioContents(*bio);
}

std::string Certificate::Subject() const {
  return NameToRfc2253(*X509_get_subject_name(state_->x509.get()));
}

std::string Certificate::Issuer() const {
  return NameToRfc2253(*X509_get_issuer_name(state_->x509.get()));
}

std::string Certificate::SubjectCommonName() const {
  return CommonNameOf(*X509_get_subject_name(state_->x509.get()));
}

std::string Certificate::SerialNumberHex() const {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(state_->x509.get()), nullptr));
  CheckCrypto(bn != nullptr, "ASN1_INTEGER_to_BN");
  OpensslStringPtr hex(BN_bn2hex(bn.get()));
  CheckCrypto(hex != nullptr, "BN_bn2hex");
  return std::string(hex.get());
}

TimePoint Certificate::NotBefore() const { return state_->not_before; }

TimePoint Certificate::NotAfter() const { return state_->not_after; }

int Certificate::SignatureNid() const { return X509_get_signature_nid(state_->x509.get()); }

std::string Certificate::SignatureAlgorithm() const {
  const int nid = SignatureNid();
  const auto* aws = std::find_if(kAwsAlgorithmNames.begin(), kAwsAlgorithmNames.end(),
                                 [nid](const AwsAlgorithmName& a) { return a.nid == nid; });
  if (aws != kAwsAlgorithmNames.end()) {
    return aws->name;
  }
  if (nid != NID_undef) {
    if (const char* ln = OBJ_nid2ln(nid); ln != nullptr) {
      return ln;
    }
  }
  const X509_ALGOR* alg = nullptr;
  X509_get0_signature(nullptr, &alg, state_->x509.get());
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  char buf[128] = {};
  if (oid == nullptr || OBJ_obj2txt(buf, sizeof(buf), oid, 1) <= 0) {
    ERR_clear_error();
    return "unknown";
  }
  return buf;
}

std::string Certificate::PublicKeyPem() const {
  return PublicKeyToPem(*X509_get0_pubkey(state_->x509.get()));
}

bool Certificate::IsCa() const {
  return (X509_get_extension_flags(state_->x509.get()) & EXFLAG_CA) != 0;
}

bool Certificate::IsSelfSigned() const {
  const bool self_signed = X509_self_signed(state_->x509.get(), 1) == 1;
  ERR_clear_error();
  return self_signed;
}

bool Certificate::SameAs(const Certificate& other) const {
  return ConstantTimeEquals(state_->der, other.state_->der);
}

X509* Certificate::Raw() const { return state_->x509.get(); }

}  // namespace fg::pki
