// Target: pki::ParsePrivateKeyPem (CA keys given to `fleetguard init`, test tools) and
// pki::ParsePublicKeyPem, with pki::CheckDeviceKeyPolicy and the PEM writers.
//
// Invariants: an accepted key writes out as PEM that parses again to the same public key; a
// private key and its public half are the same key.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "pki/key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto key = fg::pki::ParsePrivateKeyPem(input)) {
    (void)fg::pki::CheckDeviceKeyPolicy(**key);
    auto again = fg::pki::ParsePrivateKeyPem(fg::pki::PrivateKeyToPem(**key));
    FG_FUZZ_CHECK(again.has_value(), "a written private key parses");
    FG_FUZZ_CHECK(fg::pki::SamePublicKey(**again, **key), "same key after a round trip");
    auto public_half = fg::pki::ParsePublicKeyPem(fg::pki::PublicKeyToPem(**key));
    FG_FUZZ_CHECK(public_half.has_value(), "a private key's public half parses");
    FG_FUZZ_CHECK(fg::pki::SamePublicKey(**public_half, **key), "the halves match");
  }
  if (auto key = fg::pki::ParsePublicKeyPem(input)) {
    (void)fg::pki::CheckDeviceKeyPolicy(**key);
    auto again = fg::pki::ParsePublicKeyPem(fg::pki::PublicKeyToPem(**key));
    FG_FUZZ_CHECK(again.has_value(), "a written public key parses");
    FG_FUZZ_CHECK(fg::pki::SamePublicKey(**again, **key), "same key after a round trip");
  }
  return 0;
}
