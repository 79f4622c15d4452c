#include "pki/asn1_time.h"

#include <chrono>
#include <ctime>

#include <openssl/err.h>

#include "pki/crypto_error.h"

namespace fg::pki {

Result<TimePoint> FromAsn1Time(const ASN1_TIME& t) {
  // ASN1_TIME_check enforces the RFC 5280 shapes; ASN1_TIME_to_tm alone is more lenient.
  if (ASN1_TIME_check(&t) != 1) {
    ERR_clear_error();
    return Fail(ErrorCode::kCertificateValidation, "malformed ASN.1 time in certificate");
  }
  std::tm tm{};
  if (ASN1_TIME_to_tm(&t, &tm) != 1) {
    ERR_clear_error();
    return Fail(ErrorCode::kCertificateValidation, "malformed ASN.1 time in certificate");
  }
  using namespace std::chrono;
  const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                           day{static_cast<unsigned>(tm.tm_mday)}};
  if (!ymd.ok()) {
    return Fail(ErrorCode::kCertificateValidation, "invalid calendar date in certificate");
  }
  const sys_seconds secs =
      sys_days(ymd) + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec);
  return time_point_cast<milliseconds>(secs);
}

Asn1TimePtr ToAsn1Time(TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  Asn1TimePtr out(ASN1_TIME_set(nullptr, static_cast<time_t>(secs)));
  CheckCrypto(out != nullptr, "ASN1_TIME_set");
  return out;
}

}  // namespace fg::pki
