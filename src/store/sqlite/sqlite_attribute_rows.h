#pragma once

// The attribute rows of things and thing groups (thing_attributes, thing_group_attributes),
// keyed by (account_id, owner name, attribute name), and the name-keyed pages of their owners.
// Used by the SqliteRegistryTx row files inside its transaction; not thread-safe.

#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/page.h"
#include "registry/thing.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {

// The statements of one attribute table; each binds ?1 = account_id, ?2 = owner name.
struct AttributeTable {
  std::string_view select_sql;
  std::string_view delete_sql;
  std::string_view insert_sql;  // ?3 = attribute name, ?4 = value
};

inline constexpr AttributeTable kThingAttributes{
    "SELECT name, value FROM thing_attributes WHERE account_id = ?1 AND thing_name = ?2",
    "DELETE FROM thing_attributes WHERE account_id = ?1 AND thing_name = ?2",
    "INSERT INTO thing_attributes (account_id, thing_name, name, value) "
    "VALUES (?1, ?2, ?3, ?4)"};

inline constexpr AttributeTable kGroupAttributes{
    "SELECT name, value FROM thing_group_attributes WHERE account_id = ?1 AND group_name = ?2",
    "DELETE FROM thing_group_attributes WHERE account_id = ?1 AND group_name = ?2",
    "INSERT INTO thing_group_attributes (account_id, group_name, name, value) "
    "VALUES (?1, ?2, ?3, ?4)"};

Result<registry::Attributes> LoadAttributes(SqliteConnection& conn, const AttributeTable& table,
                                            std::string_view account_id, std::string_view owner);

// Replaces every attribute of `owner` with `attributes`.
Result<void> StoreAttributes(SqliteConnection& conn, const AttributeTable& table,
                             std::string_view account_id, std::string_view owner,
                             const registry::Attributes& attributes);

// `items` (things or thing groups: account_id, name, attributes) with their attributes loaded.
template <typename T>
Result<std::vector<T>> WithAttributes(SqliteConnection& conn, const AttributeTable& table,
                                      Result<std::vector<T>> items) {
  if (!items) {
    return items;
  }
  for (T& item : *items) {
    auto attributes = LoadAttributes(conn, table, item.account_id, item.name);
    if (!attributes) {
      return Fail(attributes.error());
    }
    item.attributes = std::move(*attributes);
  }
  return items;
}

template <typename T>
Result<std::optional<T>> WithAttributes(SqliteConnection& conn, const AttributeTable& table,
                                        Result<std::optional<T>> item) {
  if (!item || !item->has_value()) {
    return item;
  }
  auto attributes = LoadAttributes(conn, table, (*item)->account_id, (*item)->name);
  if (!attributes) {
    return Fail(attributes.error());
  }
  (*item)->attributes = std::move(*attributes);
  return item;
}

// Runs a name-keyed page query whose parameters are ?1 = account, ?2 = the name to start after
// (or NULL), ?3 = limit, and any further ones bound by `bind_extra(stmt)`; rows are read with
// `read` and get their attributes from `table`.
template <typename T, typename ReadFn, typename BindFn>
Result<registry::Page<T>> NamePage(SqliteConnection& conn, const AttributeTable& table,
                                   std::string_view sql, std::string_view account_id,
                                   const registry::PageRequest& page, ReadFn read,
                                   BindFn bind_extra) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto after = registry::DecodeNameCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  Result<std::vector<T>> rows = [&]() -> Result<std::vector<T>> {
    auto stmt = conn.Prepare(sql);
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id).Bind(2, *after).Bind(3, int64_t{page.page_size} + 1);
    bind_extra(*stmt);
    return ReadAll<T>(*stmt, read);
  }();
  if (!rows) {
    return Fail(rows.error());
  }
  registry::Page<T> out;
  out.items = std::move(*rows);
  if (out.items.size() > static_cast<size_t>(page.page_size)) {
    out.items.pop_back();
    out.next_cursor = registry::EncodeNameCursor(out.items.back().name);
  }
  auto filled = WithAttributes(conn, table, Result<std::vector<T>>(std::move(out.items)));
  if (!filled) {
    return Fail(filled.error());
  }
  out.items = std::move(*filled);
  return out;
}

}  // namespace fg::store
