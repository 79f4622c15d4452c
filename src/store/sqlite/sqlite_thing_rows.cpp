// SqliteRegistryTx: things and their principal attachments.

#include "store/sqlite/sqlite_attribute_rows.h"
#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {
namespace {

using registry::Page;
using registry::PageRequest;
using registry::Thing;
using registry::ThingPrincipal;

constexpr std::string_view kThingColumns =
    "SELECT account_id, name, id, type_name, version, created_ms FROM things ";
constexpr std::string_view kPrincipalColumns =
    "SELECT account_id, thing_name, certificate_id, type, attached_ms FROM thing_principals ";

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

// Binds the things columns in kThingColumns order, as ?1..?6.
void BindThing(Statement& stmt, const Thing& t) {
  BindAll(stmt, t.account_id, t.name, t.id, t.type_name, t.version, ToEpochMillis(t.created));
}

Result<ThingPrincipal> ReadPrincipal(const Statement& s) {
  auto type = StoredEnum(registry::ParseThingPrincipalType(s.Text(3)), "thing principal type");
  if (!type) {
    return Fail(type.error());
  }
  ThingPrincipal p;
  p.account_id = s.Text(0);
  p.thing_name = s.Text(1);
  p.certificate_id = s.Text(2);
  p.type = *type;
  p.attached = FromEpochMillis(s.Int(4));
  return p;
}

}  // namespace

Result<void> SqliteRegistryTx::InsertThing(const Thing& thing) {
  auto stmt = conn_.Prepare(
      "INSERT INTO things (account_id, name, id, type_name, version, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindThing(*stmt, thing);
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
  BindThing(*stmt, thing);
  if (auto r = RunUpdate(*stmt, "thing"); !r) {
    return r;
  }
  return StoreAttributes(conn_, kThingAttributes, thing.account_id, thing.name, thing.attributes);
}

Result<bool> SqliteRegistryTx::DeleteThing(std::string_view account_id, std::string_view name) {
  return DeleteWhere(conn_, "DELETE FROM things WHERE account_id = ?1 AND name = ?2", account_id,
                     name);
}

Result<std::optional<Thing>> SqliteRegistryTx::FindThing(std::string_view account_id,
                                                         std::string_view name) {
  return WithAttributes(
      conn_, kThingAttributes,
      SelectOne<Thing>(conn_, Sql(kThingColumns, "WHERE account_id = ?1 AND name = ?2"), ReadThing,
                       account_id, name));
}

Result<Page<Thing>> SqliteRegistryTx::ListThings(std::string_view account_id,
                                                 const registry::ThingFilter& filter,
                                                 const PageRequest& page) {
  // The prefix match compares a substring rather than using LIKE, so '%' and '_' in a value are
  // literal characters.
  return NamePage<Thing>(
      conn_, kThingAttributes,
      Sql(kThingColumns,
          "WHERE account_id = ?1 AND (?2 IS NULL OR name > ?2) AND (?4 IS NULL OR type_name = ?4) "
          "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM thing_attributes a WHERE "
          "a.account_id = things.account_id AND a.thing_name = things.name AND a.name = ?5 AND "
          "(?6 IS NULL OR (CASE WHEN ?7 THEN substr(a.value, 1, length(?6)) = ?6 "
          "ELSE a.value = ?6 END)))) ORDER BY name LIMIT ?3"),
      account_id, page, ReadThing, [&](Statement& stmt) {
        stmt.Bind(4, filter.type_name)
            .Bind(5, filter.attribute_name)
            .Bind(6, filter.attribute_value)
            .Bind(7, int64_t{filter.use_prefix_attribute_value ? 1 : 0});
      });
}

Result<void> SqliteRegistryTx::UpsertThingPrincipal(const ThingPrincipal& principal) {
  auto stmt = conn_.Prepare(
      "INSERT INTO thing_principals (account_id, thing_name, certificate_id, type, attached_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_id, thing_name, certificate_id) "
      "DO UPDATE SET type = excluded.type");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindAll(*stmt, principal.account_id, principal.thing_name, principal.certificate_id,
          registry::ToString(principal.type), ToEpochMillis(principal.attached));
  return stmt->Run();
}

Result<bool> SqliteRegistryTx::DeleteThingPrincipal(std::string_view account_id,
                                                    std::string_view thing_name,
                                                    std::string_view certificate_id) {
  return DeleteWhere(conn_,
                     "DELETE FROM thing_principals WHERE account_id = ?1 AND thing_name = ?2 AND "
                     "certificate_id = ?3",
                     account_id, thing_name, certificate_id);
}

Result<std::vector<ThingPrincipal>> SqliteRegistryTx::ListThingPrincipals(
    std::string_view account_id, std::string_view thing_name) {
  return SelectAll<ThingPrincipal>(
      conn_,
      Sql(kPrincipalColumns, "WHERE account_id = ?1 AND thing_name = ?2 ORDER BY certificate_id"),
      ReadPrincipal, account_id, thing_name);
}

Result<std::vector<ThingPrincipal>> SqliteRegistryTx::ListPrincipalThings(
    std::string_view account_id, std::string_view certificate_id) {
  return SelectAll<ThingPrincipal>(
      conn_,
      Sql(kPrincipalColumns, "WHERE account_id = ?1 AND certificate_id = ?2 ORDER BY thing_name"),
      ReadPrincipal, account_id, certificate_id);
}

}  // namespace fg::store
