#include "store/sqlite/sqlite_connection.h"

#include <string>

namespace fg::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 allocates a handle even on failure; it must be closed either way.
  SqliteDbPtr db(raw);
  if (rc != SQLITE_OK) {
    return Fail(SqliteError(db.get(), rc, "open " + path));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(std::move(db)));
  sqlite3* handle = conn->raw();
  if (int r = sqlite3_extended_result_codes(handle, 1); r != SQLITE_OK) {
    return Fail(SqliteError(handle, r, "enable extended result codes"));
  }
  if (int r = sqlite3_busy_timeout(handle, kBusyTimeoutMs); r != SQLITE_OK) {
    return Fail(SqliteError(handle, r, "set busy timeout"));
  }
  if (auto r = conn->ApplySettings(); !r) {
    return Fail(r.error());
  }
  return conn;
}

Result<void> SqliteConnection::ApplySettings() {
  std::string effective;
  {
    // journal_mode reports the mode in effect; an in-memory database stays "memory". The
    // statement is scoped so that it is reset before the pragmas below, which are no-ops
    // while a statement keeps a read transaction open.
    auto mode = Prepare("PRAGMA journal_mode = WAL");
    if (!mode) {
      return Fail(mode.error());
    }
    auto row = mode->Step();
    if (!row) {
      return Fail(row.error());
    }
    effective = *row ? mode->Text(0) : std::string();
  }
  if (effective != "wal" && effective != "memory") {
    return Fail(ErrorCode::kUnavailable,
                "sqlite: cannot enable WAL (journal mode '" + effective + "')");
  }
  // FULL syncs the WAL on every commit: an acknowledged write survives power loss, which
  // NORMAL (the usual WAL pairing) does not promise.
  if (auto r = Exec("PRAGMA synchronous = FULL"); !r) {
    return r;
  }
  if (auto r = Exec("PRAGMA foreign_keys = ON"); !r) {
    return r;
  }
  auto fk = QueryInt("PRAGMA foreign_keys");
  if (!fk) {
    return Fail(fk.error());
  }
  if (*fk != 1) {
    return Fail(ErrorCode::kInternal, "sqlite: this build does not enforce foreign keys");
  }
  return Ok();
}

Result<Statement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    SqliteStmtPtr stmt(raw);
    if (rc != SQLITE_OK) {
      return Fail(SqliteError(db_.get(), rc, "prepare"));
    }
    if (stmt == nullptr || (tail != nullptr && tail != sql.data() + sql.size())) {
      return Fail(ErrorCode::kInternal, "sqlite: expected exactly one statement");
    }
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  return Statement(db_.get(), it->second.get());
}

Result<void> SqliteConnection::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return Fail(SqliteError(db_.get(), rc, sql));
  }
  return Ok();
}

Result<int64_t> SqliteConnection::QueryInt(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  auto row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  if (!*row) {
    return Fail(ErrorCode::kInternal, "sqlite: query returned no row");
  }
  return stmt->Int(0);
}

}  // namespace fg::store
