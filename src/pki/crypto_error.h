#pragma once

// The PKI component's policy on OpenSSL failures (ARCHITECTURE.md 5):
// - A call whose failure can be caused by the input (parsing, verifying, a key the caller gave
//   us) returns a Result carrying LastCryptoError() in the message.
// - A call with parameters we built ourselves (hashing, MAC, RAND_bytes, encoding our own
//   objects) cannot fail except through memory exhaustion or a broken library/CSPRNG; that is
//   unrecoverable, so CheckCrypto() logs the OpenSSL error queue to stderr and aborts. Continuing
//   with a zeroed digest or a predictable "random" secret would be worse than crashing.

#include <string>
#include <string_view>

namespace fg::pki {

// Drains this thread's OpenSSL error queue into one "; "-separated string ("" if empty).
std::string LastCryptoError();

// Aborts the process with `what` and the OpenSSL error queue if `ok` is false.
void CheckCrypto(bool ok, std::string_view what);

}  // namespace fg::pki
