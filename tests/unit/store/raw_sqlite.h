#pragma once

// Raw SQLite access for store tests that must reach past SqliteStore: to build foreign or older
// files, inject faults, or read a query plan. Handles are owned (store/sqlite/sqlite_handle.h),
// so a failing assertion cannot leak them.

#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/sqlite_handle.h"

namespace fg::store::testing {

// Opens `path` read-write; a null handle (with a test failure) if it cannot.
inline SqliteDbPtr RawOpen(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open(path.c_str(), &raw);
  SqliteDbPtr db(raw);  // sqlite3_open hands out a handle even when it fails
  EXPECT_EQ(rc, SQLITE_OK) << path;
  return rc == SQLITE_OK ? std::move(db) : SqliteDbPtr();
}

// Runs `sql` (one or more statements) against the file at `path`.
inline void RawExec(const std::string& path, const char* sql) {
  SqliteDbPtr db = RawOpen(path);
  ASSERT_NE(db, nullptr);
  const int rc = sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db.get());
}

// The "detail" column of EXPLAIN QUERY PLAN for `sql`, one line per plan step.
inline std::string QueryPlan(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &raw, nullptr);
  SqliteStmtPtr stmt(raw);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db);
  std::string plan;
  while (stmt != nullptr && sqlite3_step(stmt.get()) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 3));
    plan += "\n";
  }
  return plan;
}

}  // namespace fg::store::testing
