#include "registry/account_service.h"

#include "pki/random.h"
#include "registry/names.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr size_t kMaxAccountNameLength = 128;
// Random identifiers collide only by astronomically bad luck, but a retry is cheaper than an
// argument about it.
constexpr int kIdAttempts = 5;

bool IsAlreadyExists(const Result<void>& r) {
  return !r && r.error().code == ErrorCode::kAlreadyExists;
}

}  // namespace

Result<AccessKeyCredentials> AccountService::AddKey(RegistryTx& tx, const Account& account) {
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    AccessKey key;
    key.access_key_id = "AKIA" + pki::RandomString(16, kUpperAlnum);
    key.account_id = account.id;
    const std::string secret = pki::RandomString(40, kSecretAlphabet);
    key.sealed_secret = box_.Seal(secret, key.access_key_id);
    key.created = clock_.Now();
    key.enabled = true;
    auto inserted = tx.InsertAccessKey(key);
    if (IsAlreadyExists(inserted)) {
      continue;
    }
    if (!inserted) {
      return Fail(inserted.error());
    }
    return AccessKeyCredentials{account, key.access_key_id, secret};
  }
  return Fail(ErrorCode::kInternal, "could not allocate a unique access key id");
}

Result<AccessKeyCredentials> AccountService::CreateAccount(std::string_view name,
                                                           std::string_view region) {
  if (name.empty() || name.size() > kMaxAccountNameLength) {
    return Fail(ErrorCode::kInvalidArgument, "account name must be 1 to 128 characters");
  }
  if (auto r = ValidateRegion(region); !r) {
    return Fail(r.error());
  }
  AccessKeyCredentials out;
  auto r = store_.Transact([&](RegistryTx& tx) -> Result<void> {
    for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
      Account account{pki::RandomString(12, kDigits), std::string(name), std::string(region),
                      pki::RandomString(14, kLowerAlnum), clock_.Now()};
      auto inserted = tx.InsertAccount(account);
      if (IsAlreadyExists(inserted)) {
        continue;
      }
      if (!inserted) {
        return inserted;
      }
      auto key = AddKey(tx, account);
      if (!key) {
        return Fail(key.error());
      }
      out = std::move(*key);
      return Ok();
    }
    return Fail(ErrorCode::kInternal, "could not allocate a unique account id");
  });
  if (!r) {
    return Fail(r.error());
  }
  return out;
}

Result<AccessKeyCredentials> AccountService::CreateAccessKey(std::string_view account_id) {
  return TransactValue<AccessKeyCredentials>(
      store_, [&](RegistryTx& tx) -> Result<AccessKeyCredentials> {
        auto account =
            Require(tx.FindAccount(account_id), ErrorCode::kNotFound, "account does not exist");
        if (!account) {
          return Fail(account.error());
        }
        return AddKey(tx, *account);
      });
}

Result<AccessKeyCredentials> AccountService::LookupAccessKey(std::string_view access_key_id) {
  auto found = TransactValue<std::pair<AccessKey, Account>>(
      store_, [&](RegistryTx& tx) -> Result<std::pair<AccessKey, Account>> {
        auto key = tx.FindAccessKey(access_key_id);
        if (!key) {
          return Fail(key.error());
        }
        if (!*key || !(*key)->enabled) {
          return Fail(ErrorCode::kUnauthenticated, "the access key id is not valid");
        }
        auto account = Require(tx.FindAccount((*key)->account_id), ErrorCode::kCorrupt,
                               "access key belongs to a missing account");
        if (!account) {
          return Fail(account.error());
        }
        return std::make_pair(std::move(**key), std::move(*account));
      });
  if (!found) {
    return Fail(found.error());
  }
  auto& [key, account] = *found;
  auto secret = box_.Open(key.sealed_secret, key.access_key_id);
  if (!secret) {
    return Fail(secret.error());
  }
  return AccessKeyCredentials{std::move(account), std::move(key.access_key_id), std::move(*secret)};
}

Result<Account> AccountService::Describe(std::string_view account_id) {
  return TransactValue<Account>(store_, [&](RegistryTx& tx) {
    return Require(tx.FindAccount(account_id), ErrorCode::kNotFound, "account does not exist");
  });
}

Result<Account> AccountService::FindByEndpointPrefix(std::string_view endpoint_prefix) {
  return TransactValue<Account>(store_, [&](RegistryTx& tx) {
    return Require(tx.FindAccountByEndpointPrefix(endpoint_prefix), ErrorCode::kNotFound,
                   "no account has this endpoint");
  });
}

Result<Page<Account>> AccountService::List(const PageRequest& page) {
  return TransactValue<Page<Account>>(store_,
                                      [&](RegistryTx& tx) { return tx.ListAccounts(page); });
}

}  // namespace fg::registry
