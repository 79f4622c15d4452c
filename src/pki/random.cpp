#include "pki/random.h"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include <openssl/rand.h>

#include "core/hex.h"
#include "pki/crypto_error.h"

namespace fg::pki {
namespace {

void FillRandom(unsigned char* out, size_t n) {
  // RAND_bytes takes an int; fill large requests in chunks.
  while (n > 0) {
    const size_t chunk = n > static_cast<size_t>(INT_MAX) ? static_cast<size_t>(INT_MAX) : n;
    CheckCrypto(RAND_bytes(out, static_cast<int>(chunk)) == 1, "RAND_bytes");
    out += chunk;
    n -= chunk;
  }
}

}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(out.data()), n);
  return out;
}

std::string RandomHex(size_t n_bytes) { return HexEncode(std::string_view(RandomBytes(n_bytes))); }

std::string RandomString(size_t len, std::string_view alphabet) {
  if (alphabet.empty() || alphabet.size() > 256) {
    std::fprintf(stderr, "RandomString: alphabet size %zu outside [1, 256]\n", alphabet.size());
    std::abort();
  }
  // Accept a byte only below the largest multiple of the alphabet size that fits in a byte, so
  // every character is equally likely.
  const unsigned size = static_cast<unsigned>(alphabet.size());
  const unsigned limit = 256U - (256U % size);
  std::string out;
  out.reserve(len);
  unsigned char buf[64];
  while (out.size() < len) {
    FillRandom(buf, sizeof(buf));
    for (unsigned char b : buf) {
      if (b < limit && out.size() < len) {
        out.push_back(alphabet[b % size]);
      }
    }
  }
  return out;
}

std::string RandomUuid() {
  unsigned char b[16];
  FillRandom(b, sizeof(b));
  // RFC 4122 4.4: version 4 in the high nibble of octet 6, variant 10xx in octet 8.
  b[6] = static_cast<unsigned char>((b[6] & 0x0fU) | 0x40U);
  b[8] = static_cast<unsigned char>((b[8] & 0x3fU) | 0x80U);
  const std::string hex = HexEncode(std::span<const uint8_t>(b, sizeof(b)));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace fg::pki
