#pragma once

// Strict reading of a single PEM block (RFC 7468) for inputs from untrusted callers: the s2n
// rule that an input holds exactly one object and nothing else. Internal to fg::pki.

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::pki {

// Decodes the one PEM block in `pem` and returns its DER body. Only whitespace may precede or
// follow the block. The label must be one of `labels` ("CERTIFICATE"). PEM headers (RFC 1421
// encryption) are refused. Every failure is `code` with a message naming `what` ("certificate").
Result<std::string> ReadSinglePemBlock(std::string_view pem,
                                       std::initializer_list<std::string_view> labels,
                                       std::string_view what, ErrorCode code);

}  // namespace fg::pki
