#pragma once

// The client identities of the connect benchmark: one certificate and private key per simulated
// device, loaded (and parsed) before any connection is timed.
//
// Layout: `<dir>/<name>.pem` (one certificate) beside `<dir>/<name>.key` (its unencrypted private
// key); a .pem without a .key (a CA, a verification certificate) is skipped. Identities come
// back sorted by file name, so runs use the same certificates in the same order.

#include <cstddef>
#include <string>
#include <vector>

#include "core/result.h"
#include "pki/certificate.h"
#include "pki/openssl_ptr.h"

namespace fg::bench {

struct DeviceIdentity {
  std::string name;  // file stem, e.g. "device-00042"
  pki::Certificate cert;
  pki::EvpPkeyPtr key;
};

// Loads up to `limit` identities from `dir`. Errors: kNotFound (no such directory, or fewer
// than `limit` identities in it), kInvalidArgument (a file that does not parse, or a key that
// is not the certificate's key; the message names the file).
Result<std::vector<DeviceIdentity>> LoadDeviceIdentities(const std::string& dir, size_t limit);

}  // namespace fg::bench
