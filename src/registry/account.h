#pragma once

// Accounts and their access keys: value types, stored by RegistryTx and managed by
// AccountService.

#include <string>

#include "core/clock.h"

namespace fg::registry {

struct Account {
  std::string id;               // 12 decimal digits, like an AWS account id
  std::string name;             // operator-chosen label, not unique
  std::string region;           // "us-east-1"
  std::string endpoint_prefix;  // 14 lowercase alphanumerics; SNI "<prefix>-ats.iot.<region>..."
  TimePoint created;

  bool operator==(const Account&) const = default;
};

// A SigV4 access key. The secret is never stored in plaintext: `sealed_secret` is the output of
// pki::SecretBox::Seal and only AccountService opens it.
struct AccessKey {
  std::string access_key_id;  // "AKIA" + 16 uppercase alphanumerics
  std::string account_id;
  std::string sealed_secret;  // opaque bytes
  TimePoint created;
  bool enabled = true;

  bool operator==(const AccessKey&) const = default;
};

}  // namespace fg::registry
