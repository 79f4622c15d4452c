#include "store/sqlite/sqlite_row_ops.h"

#include <string>

namespace fg::store {

Result<void> RunUpdate(Statement& stmt, std::string_view what) {
  if (auto r = stmt.Run(); !r) {
    return r;
  }
  if (stmt.Changes() == 0) {
    return Fail(ErrorCode::kNotFound, std::string(what) + " does not exist");
  }
  return Ok();
}

Result<bool> RunDelete(Statement& stmt) {
  if (auto r = stmt.Run(); !r) {
    Error error = r.error();
    if (error.code == ErrorCode::kNotFound) {
      error.code = ErrorCode::kDeleteConflict;
    }
    return Fail(std::move(error));
  }
  return stmt.Changes() > 0;
}

std::string Sql(std::string_view head, std::string_view tail) {
  std::string sql(head);
  sql += tail;
  return sql;
}

Error CorruptValue(std::string_view column, const Error& parse_error) {
  Error error;
  error.code = ErrorCode::kCorrupt;
  error.message = "stored ";
  error.message += column;
  error.message += " is invalid: ";
  error.message += parse_error.message;
  return error;
}

}  // namespace fg::store
