#pragma once

// What UPDATE_DEVICE_CERTIFICATE (DEACTIVATE) needs from the registry. The app implements it
// over registry::CertificateService, whose status change also makes the gateway drop the
// certificate's live sessions (registry status events). Tests use a recording fake.

#include <string_view>

#include "core/result.h"

namespace fg::audit {

class CertificateUpdater {
 public:
  virtual ~CertificateUpdater() = default;

  // Sets the account's certificate to INACTIVE. Idempotent: an already INACTIVE certificate is
  // a success. Errors: kNotFound (no such certificate in the account); kCertificateState (a
  // status that cannot become INACTIVE, e.g. REVOKED or PENDING_TRANSFER); store errors.
  // Thread-safety: called from the mitigation thread; implementations must be thread-safe.
  virtual Result<void> DeactivateCertificate(std::string_view account_id,
                                             std::string_view certificate_id) = 0;
};

}  // namespace fg::audit
