#pragma once

// The HTTP `Date` header format, IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
// SigV4 accepts it in place of X-Amz-Date. Pure functions.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace fg::api {

// Second precision; milliseconds are dropped.
std::string FormatHttpDate(TimePoint t);

// Strict IMF-fixdate only (the obsolete RFC 850 and asctime forms are refused). nullopt on any
// deviation, including a day name that does not match the date.
std::optional<TimePoint> ParseHttpDate(std::string_view s);

}  // namespace fg::api
