#pragma once

// In-memory BIOs: the bridge between std::string and OpenSSL's PEM/DER readers and writers.
// Internal to fg::pki.

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::pki {

// Inputs larger than this are rejected before OpenSSL sees them: no certificate, key or CSR we
// accept comes close, and it keeps sizes within OpenSSL's int lengths.
inline constexpr size_t kMaxEncodedInputSize = 1 << 20;

// A read-only BIO over `data`; `data` must outlive the BIO. kInvalidArgument if too large.
Result<BioPtr> ReadOnlyMemBio(std::string_view data);

// A new, empty, writable memory BIO. Aborts on allocation failure.
BioPtr WritableMemBio();

// Everything written to `bio` so far (or what is left to read from it).
std::string MemBioContents(BIO& bio);

}  // namespace fg::pki
