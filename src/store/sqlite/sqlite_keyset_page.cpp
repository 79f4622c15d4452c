#include "store/sqlite/sqlite_keyset_page.h"

namespace fg::store {

Result<void> AddTimeKeyset(SqlBuilder& query, std::string_view time_col, std::string_view id_col,
                           const registry::PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return r;
  }
  auto after = registry::DecodeTimeCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  const std::string columns = "(" + std::string(time_col) + ", " + std::string(id_col) + ")";
  if (*after) {
    query.And(columns + " > (?, ?)", {(*after)->millis, (*after)->id});
  }
  query.Then("ORDER BY " + std::string(time_col) + ", " + std::string(id_col) + " LIMIT ?",
             {int64_t{page.page_size} + 1});
  return Ok();
}

Result<void> AddNameKeyset(SqlBuilder& query, std::string_view name_col,
                           const registry::PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return r;
  }
  auto after = registry::DecodeNameCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  if (*after) {
    query.And(std::string(name_col) + " > ?", {**after});
  }
  query.Then("ORDER BY " + std::string(name_col) + " LIMIT ?", {int64_t{page.page_size} + 1});
  return Ok();
}

}  // namespace fg::store
