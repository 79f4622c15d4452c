#pragma once

// Turns a fuzz input into an api::HttpRequest, so that seeds are readable HTTP text and the
// fuzzer mutates real requests:
//
//   METHOD SP TARGET [SP anything] LF
//   Name: value LF            (any number; CR before LF is dropped; "Name:value" also works)
//   LF
//   body (every remaining byte)
//
// Total: every byte string gives some request (missing parts are empty), so no input is wasted.
// Values are not trimmed beyond one space after the colon, because SigV4's own canonicalisation
// of whitespace is under test.

#include <string_view>

#include "api/http_types.h"

namespace fg::fuzz {

api::HttpRequest ParseHttpText(std::string_view text);

}  // namespace fg::fuzz
