#pragma once

// Builds a query whose WHERE clause holds only the filters a call actually sets. Each
// combination becomes its own cached statement, and the planner sees plain equalities and
// ranges it can match to an index (a "?1 IS NULL OR col = ?1" filter would hide them).
//
// Only fixed SQL text from the code goes into the builder; every value is a parameter, bound by
// BindTo in the order the conditions were added. The text uses anonymous "?" parameters only.
// Not thread-safe; a value type used on one thread.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sqlite/sqlite_statement.h"

namespace fg::store {

using SqlValue = std::variant<std::string, int64_t>;

class SqlBuilder {
 public:
  // `head` is the statement up to and including its first condition, e.g.
  // "SELECT ... FROM t WHERE account_id = ?", with `head_values` for its parameters.
  SqlBuilder(std::string_view head, std::initializer_list<SqlValue> head_values);

  // Appends " AND <condition>"; `values` fill the condition's "?" in order.
  SqlBuilder& And(std::string_view condition, std::initializer_list<SqlValue> values);
  // Appends " <text>" (ORDER BY, LIMIT ...), with values for any "?" in it.
  SqlBuilder& Then(std::string_view text, std::initializer_list<SqlValue> values = {});

  const std::string& sql() const { return sql_; }
  // Binds every value as parameter 1..n.
  void BindTo(Statement& stmt) const;

 private:
  std::string sql_;
  std::vector<SqlValue> values_;
};

}  // namespace fg::store
