#pragma once

// Conversions between ASN.1 UTCTime/GeneralizedTime (RFC 5280 4.1.2.5) and fg::TimePoint.
// Internal to fg::pki.

#include "core/clock.h"
#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

// kCertificateValidation if `t` is not a well-formed RFC 5280 time.
Result<TimePoint> FromAsn1Time(const ASN1_TIME& t);

// UTCTime for 1950..2049 and GeneralizedTime otherwise, as RFC 5280 requires. Sub-second
// precision is dropped. Aborts on allocation failure.
Asn1TimePtr ToAsn1Time(TimePoint t);

}  // namespace fg::pki
