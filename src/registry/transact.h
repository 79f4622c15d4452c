#pragma once

// Conveniences over RegistryStore::Transact for code that computes a value in a transaction,
// and for turning a Find* result into "the row, or a typed error".

#include <optional>
#include <string>
#include <utility>

#include "core/result.h"
#include "registry/registry_store.h"

namespace fg::registry {

// Runs `fn(tx) -> Result<T>` in one transaction; the value is returned iff the transaction
// committed.
template <typename T, typename Fn>
Result<T> TransactValue(RegistryStore& store, Fn&& fn) {
  std::optional<T> out;
  auto r = store.Transact([&](RegistryTx& tx) -> Result<void> {
    Result<T> value = fn(tx);
    if (!value) {
      return Fail(value.error());
    }
    out = std::move(*value);
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return std::move(*out);
}

// The found row, or `code` with `message` when the store found none; store errors pass through.
template <typename T>
Result<T> Require(Result<std::optional<T>> found, ErrorCode code, std::string message) {
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(code, std::move(message));
  }
  return std::move(**found);
}

// The calling account; kNotFound if it does not exist.
inline Result<Account> RequireAccount(RegistryTx& tx, std::string_view account_id) {
  return Require(tx.FindAccount(account_id), ErrorCode::kNotFound, "account does not exist");
}

}  // namespace fg::registry
