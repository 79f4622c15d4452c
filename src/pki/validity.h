#pragma once

// The validity-period check of RFC 5280 4.1.2.5, at an injected time. Thread-safe.

#include "core/clock.h"
#include "core/result.h"
#include "pki/certificate.h"

namespace fg::pki {

// Ok if NotBefore() <= now <= NotAfter() (both bounds inclusive, per RFC 5280). Otherwise
// kCertificateValidation: "certificate expired at 2002-01-01T00:00:00Z" or
// "certificate not valid before 2090-01-01T00:00:00Z".
Result<void> CheckValidity(const Certificate& cert, TimePoint now);

}  // namespace fg::pki
