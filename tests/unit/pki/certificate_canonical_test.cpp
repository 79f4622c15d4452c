// Non-canonical DER *inside* the signed tbsCertificate. Whoever holds the signing key (a device
// with a self-signed certificate, a CA owner) can re-encode a certificate's TBS (same key,
// subject, serial, everything) and sign it again: OpenSSL keeps the TBS bytes it received and
// re-emits them, so the certificate re-encodes to itself and would hash to a second id. These
// tests build such certificates with a valid signature and check that every entry point refuses
// them while the canonical twin, signed the same way, is accepted.

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "der_tree.h"
#include "pki/certificate.h"
#include "pki/key.h"
#include "pki/memory_bio.h"
#include "pki/openssl_ptr.h"
#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::DerNode;
using testing::EncodeDerTree;
using testing::LoadCert;
using testing::ParseDerTree;
using testing::ReadFixture;

// tbsCertificate's fields, RFC 5280 §4.1 (every fixture used here is v3 with extensions).
constexpr size_t kVersion = 0;
constexpr size_t kSerial = 1;
constexpr size_t kIssuer = 3;
constexpr size_t kValidity = 4;
constexpr size_t kSubject = 5;
constexpr size_t kSpki = 6;
constexpr size_t kExtensions = 7;

DerNode& Extension(DerNode& tbs, size_t i) {
  return tbs.children[kExtensions].children[0].children[i];
}

// Applies `change` to the DER inside an extension's extnValue OCTET STRING.
void ChangeExtnValue(DerNode& extension, const std::function<void(DerNode&)>& change) {
  DerNode& extn_value = extension.children.back();
  auto value = ParseDerTree(extn_value.content);
  ASSERT_TRUE(value.has_value());
  change(*value);
  extn_value.content = EncodeDerTree(*value);
}

DerNode Utf8Atv(const std::string& oid_der, const std::string& text) {
  DerNode oid{"\x06", false, oid_der, {}};
  DerNode value{"\x0c", false, text, {}};
  return DerNode{"\x30", true, "", {oid, value}};
}

// The certificate `fixture` with its TBS replaced by `tbs`, signed with `signer_key` the way
// OpenSSL signs (the fixtures are RSA with SHA-256, so the signature is deterministic and an
// unchanged TBS gives back the fixture byte for byte).
std::string Resign(const std::string& fixture, const DerNode& tbs, const std::string& signer_key) {
  auto cert = ParseDerTree(LoadCert(fixture).Der());
  auto key = ParsePrivateKeyPem(ReadFixture(signer_key + ".key"));
  if (!cert || !key) {
    ADD_FAILURE() << "cannot load " << fixture << " / " << signer_key;
    return "";
  }
  const std::string tbs_der = EncodeDerTree(tbs);
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  size_t sig_len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(tbs_der.data());
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &sig_len, data, tbs_der.size()) != 1) {
    ADD_FAILURE() << "EVP_DigestSign setup failed";
    return "";
  }
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len, data,
                     tbs_der.size()) != 1) {
    ADD_FAILURE() << "EVP_DigestSign failed";
    return "";
  }
  sig.resize(sig_len);
  cert->children[0] = tbs;
  cert->children[2].content = std::string(1, '\0') + sig;
  return EncodeDerTree(*cert);
}

struct Variant {
  const char* name;
  const char* fixture;  // its TBS is changed and signed again by `signer`
  const char* signer;
  std::function<void(DerNode& tbs)> non_canonical;
  // The same certificate in DER; nullptr: the fixture itself.
  std::function<void(DerNode& tbs)> canonical;
};

const std::string kCommonNameOid = "\x55\x04\x03";
const std::string kOrganizationOid = "\x55\x04\x0a";

std::vector<Variant> Variants() {
  return {
      {"long-form length of the whole TBS", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.length_padding = 1; }, nullptr},
      {"long-form length of the [0] version", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kVersion].length_padding = 1; }, nullptr},
      {"long-form length of the serial number", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kSerial].length_padding = 2; }, nullptr},
      {"long-form length of the issuer Name", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kIssuer].length_padding = 1; }, nullptr},
      {"long-form length of a subject attribute", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kSubject].children[0].children[0].length_padding = 1; },
       nullptr},
      {"long-form length of the subject commonName string", "device-selfsigned",
       "device-selfsigned",
       [](DerNode& tbs) {
         tbs.children[kSubject].children[0].children[0].children[1].length_padding = 1;
       },
       nullptr},
      {"long-form length of notAfter", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kValidity].children[1].length_padding = 1; }, nullptr},
      {"long-form length of the key's AlgorithmIdentifier", "device-selfsigned",
       "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kSpki].children[0].length_padding = 1; }, nullptr},
      {"long-form length of an Extension", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { Extension(tbs, 2).length_padding = 1; }, nullptr},
      {"indefinite length of the validity", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kValidity].indefinite_length = true; }, nullptr},
      {"high-tag-number form of the serial's INTEGER tag", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { tbs.children[kSerial].identifier = "\x1f\x02"; }, nullptr},
      {"critical BOOLEAN TRUE as 0x01", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) { Extension(tbs, 0).children[1].content = "\x01"; }, nullptr},
      {"critical FALSE (the DEFAULT) written out", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) {
         auto& eku = Extension(tbs, 2).children;
         eku.insert(eku.begin() + 1, DerNode{"\x01", false, std::string(1, '\0'), {}});
       },
       nullptr},
      {"long-form length inside basicConstraints' extnValue", "device-selfsigned",
       "device-selfsigned",
       [](DerNode& tbs) {
         ChangeExtnValue(Extension(tbs, 0), [](DerNode& v) { v.length_padding = 1; });
       },
       nullptr},
      {"cA TRUE as 0x01 inside basicConstraints", "root-ca", "root-ca",
       [](DerNode& tbs) {
         ChangeExtnValue(Extension(tbs, 0), [](DerNode& v) { v.children[0].content = "\x01"; });
       },
       nullptr},
      {"cA FALSE (the DEFAULT) written out inside basicConstraints", "device-selfsigned",
       "device-selfsigned",
       [](DerNode& tbs) {
         ChangeExtnValue(Extension(tbs, 0), [](DerNode& v) {
           v.children.push_back(DerNode{"\x01", false, std::string(1, '\0'), {}});
         });
       },
       nullptr},
      {"version v1 (the DEFAULT) written out", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) {
         tbs.children.pop_back();
         tbs.children[kVersion].children[0].content = std::string(1, '\0');
       },
       [](DerNode& tbs) {
         // A v1 certificate: no version field, no extensions.
         tbs.children.pop_back();
         tbs.children.erase(tbs.children.begin());
       }},
      {"multi-valued RDN with its SET OF unsorted", "device-selfsigned", "device-selfsigned",
       [](DerNode& tbs) {
         tbs.children[kSubject].children[0].children = {
             Utf8Atv(kCommonNameOid, "device-selfsigned"), Utf8Atv(kOrganizationOid, "Example")};
       },
       [](DerNode& tbs) {
         // DER sorts a SET OF by the encodings of its elements (X.690 §11.6): O's is shorter.
         tbs.children[kSubject].children[0].children = {
             Utf8Atv(kOrganizationOid, "Example"), Utf8Atv(kCommonNameOid, "device-selfsigned")};
       }},
      {"CA-signed: long-form length of the subject Name", "device-rsa-1", "ca1",
       [](DerNode& tbs) { tbs.children[kSubject].length_padding = 1; }, nullptr},
  };
}

// The variant's two encodings, both validly signed.
struct Twins {
  std::string canonical;
  std::string non_canonical;
};

Twins Build(const Variant& v) {
  const std::string fixture_der = LoadCert(v.fixture).Der();
  auto tbs = ParseDerTree(fixture_der);
  if (!tbs) {
    ADD_FAILURE() << v.fixture << " does not parse";
    return {};
  }
  DerNode canonical = tbs->children[0];
  DerNode non_canonical = canonical;
  v.non_canonical(non_canonical);
  if (v.canonical) {
    v.canonical(canonical);
  }
  return {Resign(v.fixture, canonical, v.signer), Resign(v.fixture, non_canonical, v.signer)};
}

X509Ptr ParseLeniently(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

TEST(CertificateCanonicalTest, ResigningAnUnchangedTbsGivesTheFixtureBack) {
  for (const char* name : {"device-selfsigned", "root-ca"}) {
    const Certificate fixture = LoadCert(name);
    auto tree = ParseDerTree(fixture.Der());
    ASSERT_TRUE(tree.has_value()) << name;
    EXPECT_EQ(Resign(name, tree->children[0], name), fixture.Der()) << name;
  }
  auto tree = ParseDerTree(LoadCert("device-rsa-1").Der());
  ASSERT_TRUE(tree.has_value());
  EXPECT_EQ(Resign("device-rsa-1", tree->children[0], "ca1"), LoadCert("device-rsa-1").Der());
}

// The variants are certificates OpenSSL parses, whose signature verifies and which OpenSSL
// re-encodes to the bytes it received (the gap): the refusals below are then ours.
TEST(CertificateCanonicalTest, OpenSslParsesTheVariantsAndReEncodesThemAsReceived) {
  for (const auto& v : Variants()) {
    const Twins twins = Build(v);
    X509Ptr x509 = ParseLeniently(twins.non_canonical);
    ASSERT_NE(x509, nullptr) << v.name;
    const Certificate signer = LoadCert(v.signer);
    EXPECT_EQ(X509_verify(x509.get(), X509_get0_pubkey(signer.Raw())), 1) << v.name;
    X509Ptr twin = ParseLeniently(twins.canonical);
    ASSERT_NE(twin, nullptr) << v.name;
    EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x509.get()), X509_get_subject_name(twin.get())),
              0)
        << v.name;
    EXPECT_EQ(
        ASN1_INTEGER_cmp(X509_get0_serialNumber(x509.get()), X509_get0_serialNumber(twin.get())), 0)
        << v.name;
    EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(x509.get()), X509_get0_pubkey(twin.get())), 1) << v.name;
    unsigned char* out = nullptr;
    const int len = i2d_X509(x509.get(), &out);
    ASSERT_GT(len, 0) << v.name;
    OpensslBytesPtr owned(out);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(out), static_cast<size_t>(len)),
              twins.non_canonical)
        << v.name;
  }
}

TEST(CertificateCanonicalTest, FromDerRefusesNonCanonicalDerInsideTheTbs) {
  for (const auto& v : Variants()) {
    const Twins twins = Build(v);
    auto canonical = Certificate::FromDer(twins.canonical);
    ASSERT_TRUE(canonical) << v.name << ": " << canonical.error().ToString();
    auto refused = Certificate::FromDer(twins.non_canonical);
    ASSERT_FALSE(refused) << v.name << ": accepted as " << refused->Id() << ", the DER twin is "
                          << canonical->Id();
    EXPECT_EQ(refused.error().code, ErrorCode::kCertificateValidation) << v.name;
    EXPECT_NE(refused.error().message.find("not in canonical DER form"), std::string::npos)
        << v.name << ": " << refused.error().message;
  }
}

TEST(CertificateCanonicalTest, FromPemRefusesNonCanonicalDerInsideTheTbs) {
  const Variant v = Variants().front();
  auto lenient = ParseLeniently(Build(v).non_canonical);
  ASSERT_NE(lenient, nullptr);
  BioPtr bio = WritableMemBio();
  ASSERT_EQ(PEM_write_bio_X509(bio.get(), lenient.get()), 1);
  auto refused = Certificate::FromPem(MemBioContents(*bio));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kCertificateValidation);
}

// The gateway's path: the X509 OpenSSL parsed from the handshake, and the bytes that were sent.
TEST(CertificateCanonicalTest, FromReceivedRefusesNonCanonicalDerInsideTheTbs) {
  for (const auto& v : Variants()) {
    const Twins twins = Build(v);
    X509Ptr canonical_x509 = ParseLeniently(twins.canonical);
    ASSERT_NE(canonical_x509, nullptr) << v.name;
    auto canonical = Certificate::FromReceived(*canonical_x509, twins.canonical);
    ASSERT_TRUE(canonical) << v.name << ": " << canonical.error().ToString();
    EXPECT_EQ(canonical->Der(), twins.canonical) << v.name;
    X509Ptr x509 = ParseLeniently(twins.non_canonical);
    ASSERT_NE(x509, nullptr) << v.name;
    auto refused = Certificate::FromReceived(*x509, twins.non_canonical);
    ASSERT_FALSE(refused) << v.name << ": accepted as " << refused->Id();
    EXPECT_EQ(refused.error().code, ErrorCode::kCertificateValidation) << v.name;
    EXPECT_NE(refused.error().message.find("not in canonical DER form"), std::string::npos)
        << v.name << ": " << refused.error().message;
  }
}

}  // namespace
}  // namespace fg::pki
