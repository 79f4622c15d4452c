#pragma once

// RFC 3986 percent-encoding as AWS rest-json clients and SigV4 use it. Pure functions.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::api {

// Decodes "%XY" escapes (either hex case). '+' stays '+': AWS clients encode a space as %20, and
// SigV4 treats '+' literally. nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s);

// Encodes every byte except the unreserved set A-Z a-z 0-9 - _ . ~ and the bytes in `safe`,
// as "%XY" with uppercase hex (SigV4 canonical form).
std::string PercentEncode(std::string_view s, std::string_view safe = "");

// Query parameters after decoding, in key order; a repeated key keeps every value.
using QueryParams = std::multimap<std::string, std::string, std::less<>>;

// Parses a raw query string ("a=1&b=x%20y"). Empty segments are skipped and a key without '='
// gets the value "". Returns kInvalidArgument on malformed percent-encoding.
Result<QueryParams> ParseQueryString(std::string_view raw_query);

}  // namespace fg::api
