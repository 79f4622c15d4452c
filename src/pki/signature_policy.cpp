#include "pki/signature_policy.h"

#include <algorithm>
#include <array>

#include <openssl/obj_mac.h>

namespace fg::pki {
namespace {

constexpr std::array<int, 7> kAllowedSignatureNids = {
    NID_sha256WithRSAEncryption, NID_sha384WithRSAEncryption, NID_sha512WithRSAEncryption,
    NID_dsa_with_SHA256,         NID_ecdsa_with_SHA256,       NID_ecdsa_with_SHA384,
    NID_ecdsa_with_SHA512,
};

}  // namespace

Result<void> CheckSignatureAlgorithm(const Certificate& cert) {
  const int nid = cert.SignatureNid();
  if (nid != NID_undef && std::find(kAllowedSignatureNids.begin(), kAllowedSignatureNids.end(),
                                    nid) != kAllowedSignatureNids.end()) {
    return Ok();
  }
  return Fail(ErrorCode::kCertificateValidation,
              "unsupported signature algorithm: " + cert.SignatureAlgorithm());
}

}  // namespace fg::pki
