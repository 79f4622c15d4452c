#pragma once

// Accounts and their SigV4 access keys. Account ids (12 digits), endpoint prefixes
// (14 lowercase alphanumerics), access key ids ("AKIA" + 16) and secrets (40 characters) are
// drawn from the CSPRNG; the secret is sealed with the SecretBox (associated data = the key
// id) before it reaches the store, and is returned in plaintext only by CreateAccount /
// CreateAccessKey (once, to show the operator) and LookupAccessKey (to verify a signature).
//
// Thread-safe if the store is (every call is one transaction). `store`, `box` and `clock`
// must outlive the service.

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "pki/secret_box.h"
#include "registry/account.h"
#include "registry/page.h"
#include "registry/registry_store.h"

namespace fg::registry {

struct AccessKeyCredentials {
  Account account;
  std::string access_key_id;
  std::string secret_access_key;  // plaintext
};

class AccountService {
 public:
  AccountService(RegistryStore& store, const pki::SecretBox& box, const Clock& clock)
      : store_(store), box_(box), clock_(clock) {}

  // A new account with one access key. kInvalidArgument for an empty or over-long (> 128)
  // name or a malformed region.
  Result<AccessKeyCredentials> CreateAccount(std::string_view name, std::string_view region);

  // An additional access key for an existing account (kNotFound otherwise).
  Result<AccessKeyCredentials> CreateAccessKey(std::string_view account_id);

  // For SigV4 verification: the account and plaintext secret of an enabled key.
  // kUnauthenticated if the key is unknown or disabled (the same error, so that a caller
  // cannot probe which keys exist); kCorrupt if the sealed secret does not open.
  Result<AccessKeyCredentials> LookupAccessKey(std::string_view access_key_id);

  // kNotFound if there is no such account.
  Result<Account> Describe(std::string_view account_id);
  Result<Account> FindByEndpointPrefix(std::string_view endpoint_prefix);
  // In account-id order.
  Result<Page<Account>> List(const PageRequest& page);

 private:
  Result<AccessKeyCredentials> AddKey(RegistryTx& tx, const Account& account);

  RegistryStore& store_;
  const pki::SecretBox& box_;
  const Clock& clock_;
};

}  // namespace fg::registry
