#include "pki/crypto_error.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/err.h>

namespace fg::pki {

std::string LastCryptoError() {
  std::string out;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) {
      out += "; ";
    }
    out += buf;
  }
  return out;
}

void CheckCrypto(bool ok, std::string_view what) {
  if (ok) {
    return;
  }
  const std::string detail = LastCryptoError();
  std::fprintf(stderr, "fatal OpenSSL failure in %.*s: %s\n", static_cast<int>(what.size()),
               what.data(), detail.c_str());
  std::abort();
}

}  // namespace fg::pki
