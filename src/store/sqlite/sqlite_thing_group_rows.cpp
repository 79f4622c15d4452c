// SqliteRegistryTx: thing groups and their members.

#include "store/sqlite/sqlite_attribute_rows.h"
#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {
namespace {

using registry::Page;
using registry::PageRequest;
using registry::ThingGroup;

constexpr std::string_view kGroupColumns =
    "SELECT account_id, name, id, parent_name, description, version, created_ms "
    "FROM thing_groups ";

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

// Binds the thing_groups columns in kGroupColumns order, as ?1..?7.
void BindGroup(Statement& stmt, const ThingGroup& g) {
  BindAll(stmt, g.account_id, g.name, g.id, g.parent_name, g.description, g.version,
          ToEpochMillis(g.created));
}

Result<std::string> ReadName(const Statement& s) { return s.Text(0); }

}  // namespace

Result<void> SqliteRegistryTx::InsertThingGroup(const ThingGroup& group) {
  auto stmt = conn_.Prepare(
      "INSERT INTO thing_groups (account_id, name, id, parent_name, description, version, "
      "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindGroup(*stmt, group);
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
  BindGroup(*stmt, group);
  if (auto r = RunUpdate(*stmt, "thing group"); !r) {
    return r;
  }
  return StoreAttributes(conn_, kGroupAttributes, group.account_id, group.name, group.attributes);
}

Result<bool> SqliteRegistryTx::DeleteThingGroup(std::string_view account_id,
                                                std::string_view name) {
  return DeleteWhere(conn_, "DELETE FROM thing_groups WHERE account_id = ?1 AND name = ?2",
                     account_id, name);
}

Result<std::optional<ThingGroup>> SqliteRegistryTx::FindThingGroup(std::string_view account_id,
                                                                   std::string_view name) {
  return WithAttributes(
      conn_, kGroupAttributes,
      SelectOne<ThingGroup>(conn_, Sql(kGroupColumns, "WHERE account_id = ?1 AND name = ?2"),
                            ReadGroup, account_id, name));
}

Result<Page<ThingGroup>> SqliteRegistryTx::ListThingGroups(std::string_view account_id,
                                                           const registry::ThingGroupFilter& filter,
                                                           const PageRequest& page) {
  return NamePage<ThingGroup>(
      conn_, kGroupAttributes,
      Sql(kGroupColumns,
          "WHERE account_id = ?1 AND (?2 IS NULL OR name > ?2) AND "
          "(?4 IS NULL OR parent_name = ?4) AND substr(name, 1, length(?5)) = ?5 "
          "ORDER BY name LIMIT ?3"),
      account_id, page, ReadGroup,
      [&](Statement& stmt) { stmt.Bind(4, filter.parent_name).Bind(5, filter.name_prefix); });
}

Result<std::vector<ThingGroup>> SqliteRegistryTx::ListChildThingGroups(
    std::string_view account_id, std::string_view parent_name) {
  return WithAttributes(
      conn_, kGroupAttributes,
      SelectAll<ThingGroup>(
          conn_, Sql(kGroupColumns, "WHERE account_id = ?1 AND parent_name = ?2 ORDER BY name"),
          ReadGroup, account_id, parent_name));
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
  BindAll(*stmt, account_id, group_name, thing_name);
  if (auto r = stmt->Run(); !r) {
    return Fail(r.error());
  }
  return stmt->Changes() > 0;
}

Result<bool> SqliteRegistryTx::RemoveThingFromGroup(std::string_view account_id,
                                                    std::string_view group_name,
                                                    std::string_view thing_name) {
  return DeleteWhere(conn_,
                     "DELETE FROM thing_group_members WHERE account_id = ?1 AND group_name = ?2 "
                     "AND thing_name = ?3",
                     account_id, group_name, thing_name);
}

Result<std::vector<std::string>> SqliteRegistryTx::ListThingsInGroup(std::string_view account_id,
                                                                     std::string_view group_name) {
  return SelectAll<std::string>(conn_,
                                "SELECT thing_name FROM thing_group_members WHERE account_id = ?1 "
                                "AND group_name = ?2 ORDER BY thing_name",
                                ReadName, account_id, group_name);
}

Result<std::vector<std::string>> SqliteRegistryTx::ListGroupsForThing(std::string_view account_id,
                                                                      std::string_view thing_name) {
  return SelectAll<std::string>(conn_,
                                "SELECT group_name FROM thing_group_members WHERE account_id = ?1 "
                                "AND thing_name = ?2 ORDER BY group_name",
                                ReadName, account_id, thing_name);
}

}  // namespace fg::store
