#pragma once

// Reading X.501 distinguished names. Internal to fg::pki.

#include <string>

#include "pki/openssl_ptr.h"

namespace fg::pki {

// The last (most specific) commonName as UTF-8, or "" if there is none or it cannot be decoded.
std::string CommonNameOf(const X509_NAME& name);

// One-line RFC 2253 form ("CN=Device 1,O=Example"); UTF-8 is kept rather than escaped.
std::string NameToRfc2253(const X509_NAME& name);

}  // namespace fg::pki
