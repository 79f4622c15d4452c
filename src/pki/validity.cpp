#include "pki/validity.h"

#include <chrono>

#include "core/time_format.h"

namespace fg::pki {

Result<void> CheckValidity(const Certificate& cert, TimePoint now) {
  // X.509 times have one-second granularity and notAfter names the last valid second, so
  // 23:59:59.999 is still within a notAfter of 23:59:59.
  now = std::chrono::floor<std::chrono::seconds>(now);
  if (now < cert.NotBefore()) {
    return Fail(ErrorCode::kCertificateValidation,
                "certificate not valid before " + FormatIso8601(cert.NotBefore()));
  }
  if (now > cert.NotAfter()) {
    return Fail(ErrorCode::kCertificateValidation,
                "certificate expired at " + FormatIso8601(cert.NotAfter()));
  }
  return Ok();
}

}  // namespace fg::pki
