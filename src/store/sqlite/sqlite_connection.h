#pragma once

// One SQLite connection with fleetguard's settings and a cache of prepared statements.
//
// Open() applies: extended result codes, busy_timeout, WAL journal (except for ":memory:"),
// synchronous=FULL (a committed transaction survives kill -9 and power loss), foreign_keys=ON.
// It does not migrate the schema; see sqlite_schema.h.
//
// Not thread-safe: the owner serializes all use (SqliteStore holds a mutex).

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_statement.h"

namespace fg::store {

class SqliteConnection {
 public:
  // kUnavailable if the file cannot be opened or created, kCorrupt if it is not a SQLite
  // database.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);

  // A statement from the cache, prepared on first use. `sql` must be one statement with
  // parameters for every value; kInternal if it does not compile.
  Result<Statement> Prepare(std::string_view sql);

  // Runs fixed SQL text without parameters or results (DDL, BEGIN, COMMIT, PRAGMA setters).
  // Never pass text that contains a value.
  Result<void> Exec(const char* sql);

  // Reads the single integer a fixed query returns (PRAGMA getters, COUNT(*)).
  Result<int64_t> QueryInt(std::string_view sql);

  sqlite3* raw() { return db_.get(); }

 private:
  explicit SqliteConnection(SqliteDbPtr db) : db_(std::move(db)) {}
  Result<void> ApplySettings();

  // Declared before the cache so that statements are finalized first; close_v2 would cope
  // either way.
  SqliteDbPtr db_;
  std::unordered_map<std::string, SqliteStmtPtr> cache_;
};

}  // namespace fg::store
