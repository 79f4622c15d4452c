#pragma once

// Small building blocks shared by the SqliteRegistryTx row files: running a mutation with
// the RegistryTx error conventions, reading rows into values, and keyed one-statement queries.
// Every value is bound as a parameter, never formatted into the SQL text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sqlite/sqlite_connection.h"
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

// `head` (a fixed column list) followed by `tail` (its WHERE clause and order).
std::string Sql(std::string_view head, std::string_view tail);

// Binds `values` as parameters ?1..?n in order.
template <typename... Values>
void BindAll(Statement& stmt, const Values&... values) {
  int index = 1;
  (stmt.Bind(index++, values), ...);
}

// Prepares `sql`, binds `keys` as ?1..?n and reads every row with `read`.
template <typename T, typename ReadFn, typename... Keys>
Result<std::vector<T>> SelectAll(SqliteConnection& conn, std::string_view sql, ReadFn read,
                                 const Keys&... keys) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAll(*stmt, keys...);
  return ReadAll<T>(*stmt, read);
}

// As SelectAll, for a query that matches at most one row.
template <typename T, typename ReadFn, typename... Keys>
Result<std::optional<T>> SelectOne(SqliteConnection& conn, std::string_view sql, ReadFn read,
                                   const Keys&... keys) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAll(*stmt, keys...);
  return ReadOne<T>(*stmt, read);
}

// Prepares the DELETE `sql`, binds `keys` as ?1..?n and runs it as RunDelete does.
template <typename... Keys>
Result<bool> DeleteWhere(SqliteConnection& conn, std::string_view sql, const Keys&... keys) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAll(*stmt, keys...);
  return RunDelete(*stmt);
}

// The enum a column holds, or CorruptValue(column, ...) when its stored name does not parse.
template <typename E>
Result<E> StoredEnum(Result<E> parsed, std::string_view column) {
  if (!parsed) {
    return Fail(CorruptValue(column, parsed.error()));
  }
  return parsed;
}

}  // namespace fg::store
