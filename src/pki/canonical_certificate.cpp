#include "pki/canonical_certificate.h"

#include <string>
#include <vector>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "pki/openssl_ptr.h"
#include "pki/strict_der.h"

namespace fg::pki {
namespace {

auto NotCanonical(std::string_view what) {
  ERR_clear_error();
  return Fail(ErrorCode::kCertificateValidation,
              "certificate is not in canonical DER form" +
                  (what.empty() ? std::string() : ": " + std::string(what)));
}

std::string_view View(const unsigned char* data, int len) {
  return {reinterpret_cast<const char*>(data), static_cast<size_t>(len)};
}

// i2d_X509 writes back the TBS bytes d2i_X509 received, so this compares the rest: the outer
// SEQUENCE, signatureAlgorithm and signatureValue (e.g. non-zero padding bits in the signature,
// which d2i_X509 accepts and i2d_X509 clears).
Result<void> CheckReEncodesToItself(X509& x509, std::string_view der) {
  unsigned char* out = nullptr;
  const int len = i2d_X509(&x509, &out);
  if (len <= 0) {
    return NotCanonical("");
  }
  OpensslBytesPtr owned(out);
  if (View(out, len) != der) {
    return NotCanonical("");
  }
  return Ok();
}

// DER leaves out a field equal to its DEFAULT (X.690 §11.5); OpenSSL keeps the TBS bytes and
// re-encodes an explicit version v1 and an explicit critical FALSE as present, so neither shows
// up in a re-encoding. RFC 5280 §4.1: version [0] EXPLICIT Version DEFAULT v1, and
// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }.
Result<void> CheckTbsDefaults(std::string_view der) {
  constexpr unsigned char kVersionTag = 0xa0;
  constexpr unsigned char kExtensionsTag = 0xa3;
  constexpr unsigned char kBooleanTag = 0x01;
  const std::vector<DerElement> certificate = StrictDerElements(der);
  if (certificate.empty()) {
    return NotCanonical("no tbsCertificate");
  }
  for (const DerElement& field : StrictDerElements(certificate[0].whole)) {
    if (field.identifier == kVersionTag && field.content == std::string_view("\x02\x01\x00", 3)) {
      return NotCanonical("version v1 (the DEFAULT) written out");
    }
    if (field.identifier != kExtensionsTag) {
      continue;
    }
    for (const DerElement& sequence : StrictDerElements(field.whole)) {
      for (const DerElement& extension : StrictDerElements(sequence.whole)) {
        const std::vector<DerElement> parts = StrictDerElements(extension.whole);
        if (parts.size() == 3 && parts[1].identifier == kBooleanTag &&
            parts[1].content == std::string_view("\0", 1)) {
          return NotCanonical("an extension's critical FALSE (the DEFAULT) written out");
        }
      }
    }
  }
  return Ok();
}

Result<void> CheckExtensions(const X509& x509) {
  for (int i = 0; i < X509_get_ext_count(&x509); ++i) {
    X509_EXTENSION* ext = X509_get_ext(&x509, i);
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
    const std::string_view bytes = View(ASN1_STRING_get0_data(value), ASN1_STRING_length(value));
    if (auto strict = CheckStrictDer(bytes); !strict) {
      return NotCanonical("extension " + std::to_string(i) + ": " + strict.error().message);
    }
    const X509V3_EXT_METHOD* method = X509V3_EXT_get(ext);
    if (method == nullptr || method->it == nullptr) {
      continue;
    }
    const ASN1_ITEM* item = ASN1_ITEM_ptr(method->it);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    Asn1ValuePtr parsed(ASN1_item_d2i(nullptr, &p, static_cast<long>(bytes.size()), item),
                        Asn1ItemFree{item});
    if (parsed == nullptr) {
      // Malformed for its type: FromOwnedX509's extension check or the verifier says so; this
      // check is about a second encoding of a value, which needs a value.
      ERR_clear_error();
      continue;
    }
    unsigned char* out = nullptr;
    const int len = ASN1_item_i2d(parsed.get(), &out, item);
    if (len <= 0) {
      return NotCanonical("extension " + std::to_string(i) + " cannot be re-encoded");
    }
    OpensslBytesPtr owned(out);
    if (View(out, len) != bytes) {
      return NotCanonical("extension " + std::to_string(i) + " differs from its re-encoding");
    }
  }
  return Ok();
}

// RSA's RSAPublicKey and DSA's INTEGER are DER inside the subjectPublicKey BIT STRING, and
// OpenSSL's key decoders are as lenient as its certificate decoder.
Result<void> CheckPublicKey(const X509& x509) {
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* key = nullptr;
  int key_len = 0;
  if (X509_PUBKEY_get0_param(&algorithm, &key, &key_len, nullptr, X509_get_X509_PUBKEY(&x509)) !=
      1) {
    return NotCanonical("no subject public key");
  }
  const int nid = OBJ_obj2nid(algorithm);
  if (nid != NID_rsaEncryption && nid != NID_rsassaPss && nid != NID_dsa) {
    return Ok();
  }
  if (auto strict = CheckStrictDer(View(key, key_len)); !strict) {
    return NotCanonical("subject public key: " + strict.error().message);
  }
  return Ok();
}

}  // namespace

Result<void> CheckCanonicalCertificate(X509& x509, std::string_view der) {
  if (auto same = CheckReEncodesToItself(x509, der); !same) {
    return same;
  }
  if (auto strict = CheckStrictDer(der); !strict) {
    return NotCanonical(strict.error().message);
  }
  if (auto defaults = CheckTbsDefaults(der); !defaults) {
    return defaults;
  }
  if (auto extensions = CheckExtensions(x509); !extensions) {
    return extensions;
  }
  return CheckPublicKey(x509);
}

}  // namespace fg::pki
