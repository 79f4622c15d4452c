#pragma once

// Small building blocks shared by the SqliteRegistryTx row files: running a mutation with
// the RegistryTx error conventions, and reading rows into values.

#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sqlite/sqlite_statement.h"

namespace fg::store {

// Runs an UPDATE keyed by primary key; kNotFound naming `what` if no row matched.
Result<void> RunUpdate(Statement& stmt, std::string_view what);

// Runs a DELETE; true if a row was deleted. A row still referenced by others gives
// kDeleteConflict instead of the foreign-key kNotFound.
Result<bool> RunDelete(Statement& stmt);

// A stored enum name that no longer parses means the file was altered outside fleetguard.
Error CorruptValue(std::string_view column, const Error& parse_error);

// Reads every row with `read(stmt) -> Result<T>`.
template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(Statement& stmt, ReadFn read) {
  std::vector<T> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return out;
    }
    Result<T> value = read(stmt);
    if (!value) {
      return Fail(value.error());
    }
    out.push_back(std::move(*value));
  }
}

// Reads at most one row.
template <typename T, typename ReadFn>
Result<std::optional<T>> ReadOne(Statement& stmt, ReadFn read) {
  auto row = stmt.Step();
  if (!row) {
    return Fail(row.error());
  }
  if (!*row) {
    return std::optional<T>();
  }
  Result<T> value = read(stmt);
  if (!value) {
    return Fail(value.error());
  }
  return std::optional<T>(std::move(*value));
}

}  // namespace fg::store
