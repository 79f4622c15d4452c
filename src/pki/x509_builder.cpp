#include "pki/x509_builder.h"

#include <openssl/err.h>

#include "pki/asn1_time.h"
#include "pki/crypto_error.h"
#include "pki/random.h"

namespace fg::pki {
namespace {

constexpr size_t kSerialBytes = 16;
constexpr size_t kMaxCommonNameBytes = 64;

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

bool IsValidDnsName(std::string_view name) {
  if (name.rfind("*.", 0) == 0) {
    name.remove_prefix(2);
  }
  if (name.empty() || name.size() > 253) {
    return false;
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) {
      end = name.size();
    }
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsLabelChar(c)) {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

X509Builder::X509Builder() : x509_(X509_new()) {
  CheckCrypto(x509_ != nullptr, "X509_new");
  CheckCrypto(X509_set_version(x509_.get(), X509_VERSION_3) == 1, "X509_set_version");
  // RFC 5280 4.1.2.2: positive, at most 20 octets; CA/Browser Forum asks for 64+ random bits.
  // Forcing the top bits to 01 keeps it positive and exactly 16 octets long.
  std::string serial = RandomBytes(kSerialBytes);
  serial[0] = static_cast<char>((static_cast<unsigned char>(serial[0]) & 0x3fU) | 0x40U);
  BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                         static_cast<int>(serial.size()), nullptr));
  CheckCrypto(bn != nullptr, "BN_bin2bn");
  Asn1IntegerPtr asn1(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  CheckCrypto(asn1 != nullptr, "BN_to_ASN1_INTEGER");
  CheckCrypto(X509_set_serialNumber(x509_.get(), asn1.get()) == 1, "X509_set_serialNumber");
}

Result<void> X509Builder::SetSubjectCommonName(std::string_view common_name) {
  if (common_name.empty() || common_name.size() > kMaxCommonNameBytes ||
      common_name.find('\0') != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "common name must be 1 to 64 bytes without NUL, got " +
                                                 std::to_string(common_name.size()) + " bytes");
  }
  X509NamePtr name(X509_NAME_new());
  CheckCrypto(name != nullptr, "X509_NAME_new");
  ERR_clear_error();
  if (X509_NAME_add_entry_by_NID(name.get(), NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "common name is not valid UTF-8: " + LastCryptoError());
  }
  CheckCrypto(X509_set_subject_name(x509_.get(), name.get()) == 1, "X509_set_subject_name");
  return Ok();
}

void X509Builder::SetIssuerName(const X509_NAME& issuer_subject) {
  CheckCrypto(X509_set_issuer_name(x509_.get(), &issuer_subject) == 1, "X509_set_issuer_name");
}

void X509Builder::SetIssuerToSubject() { SetIssuerName(*X509_get_subject_name(x509_.get())); }

Result<void> X509Builder::SetValidity(TimePoint not_before, TimePoint not_after) {
  if (!(not_before < not_after)) {
    return Fail(ErrorCode::kInvalidArgument, "notBefore must be earlier than notAfter");
  }
  Asn1TimePtr nb = ToAsn1Time(not_before);
  Asn1TimePtr na = ToAsn1Time(not_after);
  CheckCrypto(X509_set1_notBefore(x509_.get(), nb.get()) == 1, "X509_set1_notBefore");
  CheckCrypto(X509_set1_notAfter(x509_.get(), na.get()) == 1, "X509_set1_notAfter");
  return Ok();
}

void X509Builder::SetPublicKey(EVP_PKEY& key) {
  CheckCrypto(X509_set_pubkey(x509_.get(), &key) == 1, "X509_set_pubkey");
}

Result<void> X509Builder::AddExtension(int nid, const char* value, X509* issuer) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : x509_.get(), x509_.get(), nullptr, nullptr, 0);
  ERR_clear_error();
  X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (ext == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, std::string("cannot build extension ") +
                                                 OBJ_nid2sn(nid) + "=" + value + ": " +
                                                 LastCryptoError());
  }
  CheckCrypto(X509_add_ext(x509_.get(), ext.get(), -1) == 1, "X509_add_ext");
  return Ok();
}

Result<void> X509Builder::AddDnsNames(const std::vector<std::string>& dns_names) {
  if (dns_names.empty()) {
    return Ok();
  }
  GeneralNamesPtr names(GENERAL_NAMES_new());
  CheckCrypto(names != nullptr, "GENERAL_NAMES_new");
  for (const auto& dns : dns_names) {
    // Built as a GENERAL_NAME rather than a "DNS:a,DNS:b" config string, so a name can never
    // inject another entry; and it is validated because it may come from a request.
    if (!IsValidDnsName(dns)) {
      return Fail(ErrorCode::kInvalidArgument, "invalid DNS name for subjectAltName: " + dns);
    }
    Asn1StringPtr ia5(ASN1_IA5STRING_new());
    CheckCrypto(ia5 != nullptr, "ASN1_IA5STRING_new");
    CheckCrypto(ASN1_STRING_set(ia5.get(), dns.data(), static_cast<int>(dns.size())) == 1,
                "ASN1_STRING_set");
    GeneralNamePtr name(GENERAL_NAME_new());
    CheckCrypto(name != nullptr, "GENERAL_NAME_new");
    GENERAL_NAME_set0_value(name.get(), GEN_DNS, ia5.release());
    CheckCrypto(sk_GENERAL_NAME_push(names.get(), name.get()) > 0, "sk_GENERAL_NAME_push");
    static_cast<void>(name.release());  // now owned by `names`
  }
  CheckCrypto(
      X509_add1_ext_i2d(x509_.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1,
      "X509_add1_ext_i2d(subjectAltName)");
  return Ok();
}

Result<Certificate> X509Builder::Sign(EVP_PKEY& key) {
  ERR_clear_error();
  if (X509_sign(x509_.get(), &key, EVP_sha256()) <= 0) {
    return Fail(ErrorCode::kInternal, "signing the certificate failed: " + LastCryptoError());
  }
  // Re-parse the encoding so the result is exactly what a peer would decode.
  auto signed_cert = Certificate::FromX509(*x509_);
  if (!signed_cert) {
    return Fail(ErrorCode::kInternal,
                "issued certificate does not parse: " + signed_cert.error().message);
  }
  return Certificate::FromDer(signed_cert->Der());
}

}  // namespace fg::pki
