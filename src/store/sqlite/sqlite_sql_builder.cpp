#include "store/sqlite/sqlite_sql_builder.h"

namespace fg::store {

SqlBuilder::SqlBuilder(std::string_view head, std::initializer_list<SqlValue> head_values)
    : sql_(head), values_(head_values) {}

SqlBuilder& SqlBuilder::And(std::string_view condition, std::initializer_list<SqlValue> values) {
  sql_ += " AND ";
  sql_ += condition;
  values_.insert(values_.end(), values);
  return *this;
}

SqlBuilder& SqlBuilder::Then(std::string_view text, std::initializer_list<SqlValue> values) {
  sql_ += ' ';
  sql_ += text;
  values_.insert(values_.end(), values);
  return *this;
}

void SqlBuilder::BindTo(Statement& stmt) const {
  int index = 1;
  for (const SqlValue& value : values_) {
    std::visit([&](const auto& v) { stmt.Bind(index, v); }, value);
    ++index;
  }
}

}  // namespace fg::store
