#include "store/sqlite/sqlite_attribute_rows.h"

#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {

Result<registry::Attributes> LoadAttributes(SqliteConnection& conn, const AttributeTable& table,
                                            std::string_view account_id, std::string_view owner) {
  auto stmt = conn.Prepare(table.select_sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, owner);
  registry::Attributes out;
  while (true) {
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return out;
    }
    out.emplace(stmt->Text(0), stmt->Text(1));
  }
}

Result<void> StoreAttributes(SqliteConnection& conn, const AttributeTable& table,
                             std::string_view account_id, std::string_view owner,
                             const registry::Attributes& attributes) {
  {
    auto del = conn.Prepare(table.delete_sql);
    if (!del) {
      return Fail(del.error());
    }
    del->Bind(1, account_id).Bind(2, owner);
    if (auto r = del->Run(); !r) {
      return r;
    }
  }
  for (const auto& [name, value] : attributes) {
    auto ins = conn.Prepare(table.insert_sql);
    if (!ins) {
      return Fail(ins.error());
    }
    ins->Bind(1, account_id).Bind(2, owner).Bind(3, name).Bind(4, value);
    if (auto r = ins->Run(); !r) {
      return r;
    }
  }
  return Ok();
}

}  // namespace fg::store
