#pragma once

// Keyset pages over a SqlBuilder query (registry/page.h): the cursor becomes a row-value
// condition on the index order, one row more than the page is read to learn whether another
// page follows, and the cursor of the next page names the last row returned. The audit lists
// are always ascending (audit_store.h), so PageRequest::order is not consulted.
// Not thread-safe; used under the owning store's lock.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/page.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_sql_builder.h"

namespace fg::store {

// Adds "(time_col, id_col) > cursor ORDER BY time_col, id_col LIMIT page_size + 1".
// kInvalidArgument for a page request out of range or a cursor EncodeTimeCursor did not make.
Result<void> AddTimeKeyset(SqlBuilder& query, std::string_view time_col, std::string_view id_col,
                           const registry::PageRequest& page);

// Adds "name_col > cursor ORDER BY name_col LIMIT page_size + 1". Errors as AddTimeKeyset,
// for EncodeNameCursor cursors.
Result<void> AddNameKeyset(SqlBuilder& query, std::string_view name_col,
                           const registry::PageRequest& page);

// Prepares and runs `query`, reading every row with `read(stmt) -> Result<T>`.
template <typename T, typename ReadFn>
Result<std::vector<T>> QueryAll(SqliteConnection& conn, const SqlBuilder& query, ReadFn read) {
  auto stmt = conn.Prepare(query.sql());
  if (!stmt) {
    return Fail(stmt.error());
  }
  query.BindTo(*stmt);
  return ReadAll<T>(*stmt, read);
}

// Turns the page_size + 1 rows of a keyset query into a page; `cursor(last_item)` encodes the
// next page's cursor when a row beyond the page was read.
template <typename T, typename CursorFn>
registry::Page<T> FinishPage(std::vector<T> rows, const registry::PageRequest& page,
                             CursorFn cursor) {
  registry::Page<T> out;
  out.items = std::move(rows);
  if (out.items.size() > static_cast<size_t>(page.page_size)) {
    out.items.pop_back();
    out.next_cursor = cursor(out.items.back());
  }
  return out;
}

}  // namespace fg::store
