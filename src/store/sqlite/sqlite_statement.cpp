#include "store/sqlite/sqlite_statement.h"

#include <string>

namespace fg::store {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  Error error;
  switch (rc) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      error.code = ErrorCode::kAlreadyExists;
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      error.code = ErrorCode::kNotFound;
      break;
    default:
      switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
          error.code = ErrorCode::kUnavailable;
          break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
          error.code = ErrorCode::kCorrupt;
          break;
        default:
          error.code = ErrorCode::kInternal;
          break;
      }
  }
  error.message = "sqlite: ";
  error.message += what;
  error.message += ": ";
  // The connection's message is more specific than the code's when it refers to this call.
  error.message += (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db)
                                                                         : sqlite3_errstr(rc);
  return error;
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    // Both only report the error of the last step, which Step() already returned.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

void Statement::Remember(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

Statement& Statement::Bind(int index, std::string_view text) {
  Remember(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  Remember(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  Remember(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull(int index) {
  Remember(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return Fail(SqliteError(db_, bind_rc_, "bind"));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return Fail(SqliteError(db_, rc, sqlite3_sql(stmt_)));
}

Result<void> Statement::Run() {
  auto row = Step();
  if (!row) {
    return Fail(row.error());
  }
  if (*row) {
    return Fail(ErrorCode::kInternal, "sqlite: statement returned rows where none were expected");
  }
  return Ok();
}

int64_t Statement::Changes() const { return sqlite3_changes64(db_); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::string Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) {
    return {};
  }
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Text(column);
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int(column);
}

}  // namespace fg::store
