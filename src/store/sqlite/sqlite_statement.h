#pragma once

// A prepared statement in use: bind parameters, step, read columns. Values are only ever
// bound, never formatted into SQL text.
//
// A Statement borrows a cached sqlite3_stmt from its SqliteConnection and resets it (and
// clears its bindings) when destroyed, so it must not outlive that connection. Binding errors
// are remembered and reported by the next Step/Run, so call sites need not check every Bind.
// Not thread-safe; used under the owning store's lock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "core/result.h"

namespace fg::store {

// Maps a SQLite result code to a fleetguard error: unique/primary-key violations to
// kAlreadyExists, foreign-key violations to kNotFound, busy/locked/I-O/full to kUnavailable,
// corrupt/not-a-database to kCorrupt, anything else to kInternal. `what` names the operation.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, int64_t value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::string>& text);
  Statement& Bind(int index, const std::optional<int64_t>& value);

  // True if a row is available, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows.
  Result<void> Run();
  // Number of rows changed by the last Run (sqlite3_changes).
  int64_t Changes() const;

  // Column accessors for the current row (0-based). NULL reads as "" / 0.
  std::string Text(int column) const;
  std::string Blob(int column) const;
  int64_t Int(int column) const;
  bool IsNull(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;

 private:
  void Remember(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;  // borrowed from the connection's cache
  int bind_rc_ = SQLITE_OK;
};

}  // namespace fg::store
