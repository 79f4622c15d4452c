#pragma once

// Owning handles for SQLite objects. Nothing else in fleetguard calls sqlite3_close_v2 or
// sqlite3_finalize (ARCHITECTURE/STYLE §6).

#include <memory>

#include <sqlite3.h>

namespace fg::store {

struct SqliteDbDeleter {
  // close_v2 defers the close until every statement is finalized, so destruction order
  // between a connection and its cached statements cannot leak or crash.
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

struct SqliteStmtDeleter {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

using SqliteDbPtr = std::unique_ptr<sqlite3, SqliteDbDeleter>;
using SqliteStmtPtr = std::unique_ptr<sqlite3_stmt, SqliteStmtDeleter>;

}  // namespace fg::store
