// SqliteRegistryTx: things, principal attachments, thing groups and membership.

#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {
namespace {

using registry::Attributes;
using registry::Page;
using registry::PageRequest;
using registry::Thing;
using registry::ThingGroup;
using registry::ThingPrincipal;

constexpr std::string_view kThingColumns =
    "SELECT account_id, name, id, type_name, version, created_ms FROM things ";
constexpr std::string_view kGroupColumns =
    "SELECT account_id, name, id, parent_name, description, version, created_ms "
    "FROM thing_groups ";

std::string Sql(std::string_view head, std::string_view tail) {
  std::string sql(head);
  sql += tail;
  return sql;
}

Result<Thing> ReadThing(const Statement& s) {
  Thing t;
  t.account_id = s.Text(0);
  t.name = s.Text(1);
  t.id = s.Text(2);
  t.type_name = s.Text(3);
  t.version = s.Int(4);
  t.created = FromEpochMillis(s.Int(5));
  return t;
}

Result<ThingGroup> ReadGroup(const Statement& s) {
  ThingGroup g;
  g.account_id = s.Text(0);
  g.name = s.Text(1);
  g.id = s.Text(2);
  g.parent_name = s.OptionalText(3);
  g.description = s.Text(4);
  g.version = s.Int(5);
  g.created = FromEpochMillis(s.Int(6));
  return g;
}

Result<ThingPrincipal> ReadPrincipal(const Statement& s) {
  ThingPrincipal p;
  p.account_id = s.Text(0);
  p.thing_name = s.Text(1);
  p.certificate_id = s.Text(2);
  auto type = registry::ParseThingPrincipalType(s.Text(3));
  if (!type) {
    return Fail(CorruptValue("thing principal type", type.error()));
  }
  p.type = *type;
  p.attached = FromEpochMillis(s.Int(4));
  return p;
}

Result<std::string> ReadName(const Statement& s) { return s.Text(0); }

// Attribute rows live in `table` (thing_attributes or thing_group_attributes) keyed by
// (account_id, <owner_column>, name).
struct AttributeTable {
  std::string_view select_sql;
  std::string_view delete_sql;
  std::string_view insert_sql;
};

constexpr AttributeTable kThingAttributes{
    "SELECT name, value FROM thing_attributes WHERE account_id = ?1 AND thing_name = ?2",
    "DELETE FROM thing_attributes WHERE account_id = ?1 AND thing_name = ?2",
    "INSERT INTO thing_attributes (account_id, thing_name, name, value) "
    "VALUES (?1, ?2, ?3, ?4)"};

constexpr AttributeTable kGroupAttributes{
    "SELECT name, value FROM thing_group_attributes WHERE account_id = ?1 AND group_name = ?2",
    "DELETE FROM thing_group_attributes WHERE account_id = ?1 AND group_name = ?2",
    "INSERT INTO thing_group_attributes (account_id, group_name, name, value) "
    "VALUES (?1, ?2, ?3, ?4)"};

Result<Attributes> LoadAttributes(SqliteConnection& conn, const AttributeTable& table,
                                  std::string_view account_id, std::string_view owner) {
  auto stmt = conn.Prepare(table.select_sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, owner);
  Attributes out;
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
                             const Attributes& attributes) {
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

template <typename T>
Result<void> FillAttributes(SqliteConnection& conn, const AttributeTable& table, T& item) {
  auto attributes = LoadAttributes(conn, table, item.account_id, item.name);
  if (!attributes) {
    return Fail(attributes.error());
  }
  item.attributes = std::move(*attributes);
  return Ok();
}

template <typename T>
Result<Page<T>> FinishNamePage(SqliteConnection& conn, const AttributeTable& table,
                               std::vector<T> rows, const PageRequest& page) {
  Page<T> out;
  out.items = std::move(rows);
  if (out.items.size() > static_cast<size_t>(page.page_size)) {
    out.items.pop_back();
    out.next_cursor = registry::EncodeNameCursor(out.items.back().name);
  }
  for (T& item : out.items) {
    if (auto r = FillAttributes(conn, table, item); !r) {
      return Fail(r.error());
    }
  }
  return out;
}

}  // namespace

Result<void> SqliteRegistryTx::InsertThing(const Thing& thing) {
  auto stmt = conn_.Prepare(
      "INSERT INTO things (account_id, name, id, type_name, version, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, thing.account_id)
      .Bind(2, thing.name)
      .Bind(3, thing.id)
      .Bind(4, thing.type_name)
      .Bind(5, thing.version)
      .Bind(6, ToEpochMillis(thing.created));
  if (auto r = stmt->Run(); !r) {
    return r;
  }
  return StoreAttributes(conn_, kThingAttributes, thing.account_id, thing.name, thing.attributes);
}

Result<void> SqliteRegistryTx::UpdateThing(const Thing& thing) {
  auto stmt = conn_.Prepare(
      "UPDATE things SET id = ?3, type_name = ?4, version = ?5, created_ms = ?6 "
      "WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, thing.account_id)
      .Bind(2, thing.name)
      .Bind(3, thing.id)
      .Bind(4, thing.type_name)
      .Bind(5, thing.version)
      .Bind(6, ToEpochMillis(thing.created));
  if (auto r = RunUpdate(*stmt, "thing"); !r) {
    return r;
  }
  return StoreAttributes(conn_, kThingAttributes, thing.account_id, thing.name, thing.attributes);
}

Result<bool> SqliteRegistryTx::DeleteThing(std::string_view account_id, std::string_view name) {
  auto stmt = conn_.Prepare("DELETE FROM things WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, name);
  return RunDelete(*stmt);
}

Result<std::optional<Thing>> SqliteRegistryTx::FindThing(std::string_view account_id,
                                                         std::string_view name) {
  std::optional<Thing> thing;
  {
    auto stmt = conn_.Prepare(Sql(kThingColumns, "WHERE account_id = ?1 AND name = ?2"));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id).Bind(2, name);
    auto found = ReadOne<Thing>(*stmt, ReadThing);
    if (!found) {
      return Fail(found.error());
    }
    thing = std::move(*found);
  }
  if (thing) {
    if (auto r = FillAttributes(conn_, kThingAttributes, *thing); !r) {
      return Fail(r.error());
    }
  }
  return thing;
}

Result<Page<Thing>> SqliteRegistryTx::ListThings(std::string_view account_id,
                                                 const registry::ThingFilter& filter,
                                                 const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto after = registry::DecodeNameCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  std::vector<Thing> rows;
  {
    // The prefix match compares a substring rather than using LIKE, so '%' and '_' in a
    // value are literal characters.
    auto stmt = conn_.Prepare(Sql(
        kThingColumns,
        "WHERE account_id = ?1 AND (?2 IS NULL OR name > ?2) AND (?3 IS NULL OR type_name = ?3) "
        "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM thing_attributes a WHERE "
        "a.account_id = things.account_id AND a.thing_name = things.name AND a.name = ?4 AND "
        "(?5 IS NULL OR (CASE WHEN ?6 THEN substr(a.value, 1, length(?5)) = ?5 "
        "ELSE a.value = ?5 END)))) ORDER BY name LIMIT ?7"));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id)
        .Bind(2, *after)
        .Bind(3, filter.type_name)
        .Bind(4, filter.attribute_name)
        .Bind(5, filter.attribute_value)
        .Bind(6, int64_t{filter.use_prefix_attribute_value ? 1 : 0})
        .Bind(7, int64_t{page.page_size} + 1);
    auto read = ReadAll<Thing>(*stmt, ReadThing);
    if (!read) {
      return Fail(read.error());
    }
    rows = std::move(*read);
  }
  return FinishNamePage(conn_, kThingAttributes, std::move(rows), page);
}

Result<void> SqliteRegistryTx::UpsertThingPrincipal(const ThingPrincipal& principal) {
  auto stmt = conn_.Prepare(
      "INSERT INTO thing_principals (account_id, thing_name, certificate_id, type, attached_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_id, thing_name, certificate_id) "
      "DO UPDATE SET type = excluded.type");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, principal.account_id)
      .Bind(2, principal.thing_name)
      .Bind(3, principal.certificate_id)
      .Bind(4, registry::ToString(principal.type))
      .Bind(5, ToEpochMillis(principal.attached));
  return stmt->Run();
}

Result<bool> SqliteRegistryTx::DeleteThingPrincipal(std::string_view account_id,
                                                    std::string_view thing_name,
                                                    std::string_view certificate_id) {
  auto stmt = conn_.Prepare(
      "DELETE FROM thing_principals WHERE account_id = ?1 AND thing_name = ?2 AND "
      "certificate_id = ?3");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, thing_name).Bind(3, certificate_id);
  return RunDelete(*stmt);
}

Result<std::vector<ThingPrincipal>> SqliteRegistryTx::ListThingPrincipals(
    std::string_view account_id, std::string_view thing_name) {
  auto stmt = conn_.Prepare(
      "SELECT account_id, thing_name, certificate_id, type, attached_ms FROM thing_principals "
      "WHERE account_id = ?1 AND thing_name = ?2 ORDER BY certificate_id");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, thing_name);
  return ReadAll<ThingPrincipal>(*stmt, ReadPrincipal);
}

Result<std::vector<ThingPrincipal>> SqliteRegistryTx::ListPrincipalThings(
    std::string_view account_id, std::string_view certificate_id) {
  auto stmt = conn_.Prepare(
      "SELECT account_id, thing_name, certificate_id, type, attached_ms FROM thing_principals "
      "WHERE account_id = ?1 AND certificate_id = ?2 ORDER BY thing_name");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, certificate_id);
  return ReadAll<ThingPrincipal>(*stmt, ReadPrincipal);
}

Result<void> SqliteRegistryTx::InsertThingGroup(const ThingGroup& group) {
  auto stmt = conn_.Prepare(
      "INSERT INTO thing_groups (account_id, name, id, parent_name, description, version, "
      "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, group.account_id)
      .Bind(2, group.name)
      .Bind(3, group.id)
      .Bind(4, group.parent_name)
      .Bind(5, group.description)
      .Bind(6, group.version)
      .Bind(7, ToEpochMillis(group.created));
  if (auto r = stmt->Run(); !r) {
    return r;
  }
  return StoreAttributes(conn_, kGroupAttributes, group.account_id, group.name, group.attributes);
}

Result<void> SqliteRegistryTx::UpdateThingGroup(const ThingGroup& group) {
  auto stmt = conn_.Prepare(
      "UPDATE thing_groups SET id = ?3, parent_name = ?4, description = ?5, version = ?6, "
      "created_ms = ?7 WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, group.account_id)
      .Bind(2, group.name)
      .Bind(3, group.id)
      .Bind(4, group.parent_name)
      .Bind(5, group.description)
      .Bind(6, group.version)
      .Bind(7, ToEpochMillis(group.created));
  if (auto r = RunUpdate(*stmt, "thing group"); !r) {
    return r;
  }
  return StoreAttributes(conn_, kGroupAttributes, group.account_id, group.name, group.attributes);
}

Result<bool> SqliteRegistryTx::DeleteThingGroup(std::string_view account_id,
                                                std::string_view name) {
  auto stmt = conn_.Prepare("DELETE FROM thing_groups WHERE account_id = ?1 AND name = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, name);
  return RunDelete(*stmt);
}

Result<std::optional<ThingGroup>> SqliteRegistryTx::FindThingGroup(std::string_view account_id,
                                                                   std::string_view name) {
  std::optional<ThingGroup> group;
  {
    auto stmt = conn_.Prepare(Sql(kGroupColumns, "WHERE account_id = ?1 AND name = ?2"));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id).Bind(2, name);
    auto found = ReadOne<ThingGroup>(*stmt, ReadGroup);
    if (!found) {
      return Fail(found.error());
    }
    group = std::move(*found);
  }
  if (group) {
    if (auto r = FillAttributes(conn_, kGroupAttributes, *group); !r) {
      return Fail(r.error());
    }
  }
  return group;
}

Result<Page<ThingGroup>> SqliteRegistryTx::ListThingGroups(std::string_view account_id,
                                                           const registry::ThingGroupFilter& filter,
                                                           const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto after = registry::DecodeNameCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  std::vector<ThingGroup> rows;
  {
    auto stmt =
        conn_.Prepare(Sql(kGroupColumns,
                          "WHERE account_id = ?1 AND (?2 IS NULL OR name > ?2) AND "
                          "(?3 IS NULL OR parent_name = ?3) AND substr(name, 1, length(?4)) = ?4 "
                          "ORDER BY name LIMIT ?5"));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id)
        .Bind(2, *after)
        .Bind(3, filter.parent_name)
        .Bind(4, filter.name_prefix)
        .Bind(5, int64_t{page.page_size} + 1);
    auto read = ReadAll<ThingGroup>(*stmt, ReadGroup);
    if (!read) {
      return Fail(read.error());
    }
    rows = std::move(*read);
  }
  return FinishNamePage(conn_, kGroupAttributes, std::move(rows), page);
}

Result<std::vector<ThingGroup>> SqliteRegistryTx::ListChildThingGroups(
    std::string_view account_id, std::string_view parent_name) {
  std::vector<ThingGroup> rows;
  {
    auto stmt = conn_.Prepare(
        Sql(kGroupColumns, "WHERE account_id = ?1 AND parent_name = ?2 ORDER BY name"));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, account_id).Bind(2, parent_name);
    auto read = ReadAll<ThingGroup>(*stmt, ReadGroup);
    if (!read) {
      return Fail(read.error());
    }
    rows = std::move(*read);
  }
  for (ThingGroup& group : rows) {
    if (auto r = FillAttributes(conn_, kGroupAttributes, group); !r) {
      return Fail(r.error());
    }
  }
  return rows;
}

Result<bool> SqliteRegistryTx::AddThingToGroup(std::string_view account_id,
                                               std::string_view group_name,
                                               std::string_view thing_name) {
  auto stmt = conn_.Prepare(
      "INSERT INTO thing_group_members (account_id, group_name, thing_name) "
      "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, group_name).Bind(3, thing_name);
  if (auto r = stmt->Run(); !r) {
    return Fail(r.error());
  }
  return stmt->Changes() > 0;
}

Result<bool> SqliteRegistryTx::RemoveThingFromGroup(std::string_view account_id,
                                                    std::string_view group_name,
                                                    std::string_view thing_name) {
  auto stmt = conn_.Prepare(
      "DELETE FROM thing_group_members WHERE account_id = ?1 AND group_name = ?2 AND "
      "thing_name = ?3");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, group_name).Bind(3, thing_name);
  return RunDelete(*stmt);
}

Result<std::vector<std::string>> SqliteRegistryTx::ListThingsInGroup(std::string_view account_id,
                                                                     std::string_view group_name) {
  auto stmt = conn_.Prepare(
      "SELECT thing_name FROM thing_group_members WHERE account_id = ?1 AND group_name = ?2 "
      "ORDER BY thing_name");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, group_name);
  return ReadAll<std::string>(*stmt, ReadName);
}

Result<std::vector<std::string>> SqliteRegistryTx::ListGroupsForThing(std::string_view account_id,
                                                                      std::string_view thing_name) {
  auto stmt = conn_.Prepare(
      "SELECT group_name FROM thing_group_members WHERE account_id = ?1 AND thing_name = ?2 "
      "ORDER BY group_name");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, thing_name);
  return ReadAll<std::string>(*stmt, ReadName);
}

}  // namespace fg::store
