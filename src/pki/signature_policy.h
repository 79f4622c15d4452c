#pragma once

// AWS IoT's certificate signature-algorithm policy ("Certificate signing algorithms supported by
// AWS IoT"): SHA256/384/512WITHRSA, DSA_WITH_SHA256 and ECDSA-WITH-SHA256/384/512.
// Applied to every certificate we register or accept. Thread-safe.

#include "core/result.h"
#include "pki/certificate.h"

namespace fg::pki {

// Ok if the certificate's signature algorithm is one of the seven above (decided by NID, so an
// OID alias cannot slip through a string compare). Otherwise kCertificateValidation, e.g.
// "unsupported signature algorithm: sha1WithRSAEncryption".
Result<void> CheckSignatureAlgorithm(const Certificate& cert);

}  // namespace fg::pki
