#pragma once

// Cryptographically secure randomness from OpenSSL's CSPRNG (RAND_bytes), for serial numbers,
// registration codes, access keys, nonces and resource ids.
//
// Failure policy: if RAND_bytes fails, the CSPRNG is unseeded or broken. No caller can recover
// from that, and handing out a predictable key or nonce would be a silent security failure, so
// every function here aborts the process instead (see crypto_error.h). Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace fg::pki {

// `n` random bytes.
std::string RandomBytes(size_t n);

// `n_bytes` random bytes as lowercase hex (2 * n_bytes characters).
std::string RandomHex(size_t n_bytes);

// `len` characters drawn uniformly (rejection sampling, no modulo bias) from `alphabet`.
// REQUIRES: 1 <= alphabet.size() <= 256; a violation is a programming error and aborts.
std::string RandomString(size_t len, std::string_view alphabet);

// RFC 4122 version-4 UUID, lowercase: "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
std::string RandomUuid();

}  // namespace fg::pki
