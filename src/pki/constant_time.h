#pragma once

// Comparison of secrets (signatures, tokens, registration codes, fingerprints) whose running
// time does not depend on where the first difference is. Thread-safe.

#include <string_view>

namespace fg::pki {

// True if `a` and `b` are byte-for-byte equal. The lengths are treated as public: unequal
// lengths return false at once; equal lengths are compared with CRYPTO_memcmp.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace fg::pki
