// SqliteRegistryTx: accounts, access keys and registration codes.

#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {
namespace {

using registry::AccessKey;
using registry::Account;

constexpr std::string_view kAccountColumns =
    "SELECT id, name, region, endpoint_prefix, created_ms FROM accounts ";

Result<Account> ReadAccount(const Statement& s) {
  Account a;
  a.id = s.Text(0);
  a.name = s.Text(1);
  a.region = s.Text(2);
  a.endpoint_prefix = s.Text(3);
  a.created = FromEpochMillis(s.Int(4));
  return a;
}

Result<AccessKey> ReadAccessKey(const Statement& s) {
  AccessKey k;
  k.access_key_id = s.Text(0);
  k.account_id = s.Text(1);
  k.sealed_secret = s.Blob(2);
  k.created = FromEpochMillis(s.Int(3));
  k.enabled = s.Int(4) != 0;
  return k;
}

}  // namespace

Result<void> SqliteRegistryTx::InsertAccount(const Account& account) {
  auto stmt = conn_.Prepare(
      "INSERT INTO accounts (id, name, region, endpoint_prefix, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account.id)
      .Bind(2, account.name)
      .Bind(3, account.region)
      .Bind(4, account.endpoint_prefix)
      .Bind(5, ToEpochMillis(account.created));
  return stmt->Run();
}

Result<std::optional<Account>> SqliteRegistryTx::FindAccount(std::string_view account_id) {
  auto stmt = conn_.Prepare(Sql(kAccountColumns, "WHERE id = ?1"));
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return ReadOne<Account>(*stmt, ReadAccount);
}

Result<std::optional<Account>> SqliteRegistryTx::FindAccountByEndpointPrefix(
    std::string_view prefix) {
  auto stmt = conn_.Prepare(Sql(kAccountColumns, "WHERE endpoint_prefix = ?1"));
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, prefix);
  return ReadOne<Account>(*stmt, ReadAccount);
}

Result<registry::Page<Account>> SqliteRegistryTx::ListAccounts(const registry::PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto after = registry::DecodeNameCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  auto stmt =
      conn_.Prepare(Sql(kAccountColumns, "WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2"));
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, *after).Bind(2, int64_t{page.page_size} + 1);
  auto rows = ReadAll<Account>(*stmt, ReadAccount);
  if (!rows) {
    return Fail(rows.error());
  }
  registry::Page<Account> out;
  out.items = std::move(*rows);
  if (out.items.size() > static_cast<size_t>(page.page_size)) {
    out.items.pop_back();
    out.next_cursor = registry::EncodeNameCursor(out.items.back().id);
  }
  return out;
}

Result<void> SqliteRegistryTx::InsertAccessKey(const AccessKey& key) {
  auto stmt = conn_.Prepare(
      "INSERT INTO access_keys (access_key_id, account_id, sealed_secret, created_ms, enabled) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, key.access_key_id)
      .Bind(2, key.account_id)
      .BindBlob(3, key.sealed_secret)
      .Bind(4, ToEpochMillis(key.created))
      .Bind(5, int64_t{key.enabled ? 1 : 0});
  return stmt->Run();
}

Result<void> SqliteRegistryTx::UpdateAccessKey(const AccessKey& key) {
  auto stmt = conn_.Prepare(
      "UPDATE access_keys SET sealed_secret = ?3, created_ms = ?4, enabled = ?5 "
      "WHERE access_key_id = ?1 AND account_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, key.access_key_id)
      .Bind(2, key.account_id)
      .BindBlob(3, key.sealed_secret)
      .Bind(4, ToEpochMillis(key.created))
      .Bind(5, int64_t{key.enabled ? 1 : 0});
  return RunUpdate(*stmt, "access key");
}

Result<std::optional<AccessKey>> SqliteRegistryTx::FindAccessKey(std::string_view access_key_id) {
  auto stmt = conn_.Prepare(
      "SELECT access_key_id, account_id, sealed_secret, created_ms, enabled FROM access_keys "
      "WHERE access_key_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, access_key_id);
  return ReadOne<AccessKey>(*stmt, ReadAccessKey);
}

Result<std::vector<AccessKey>> SqliteRegistryTx::ListAccessKeys(std::string_view account_id) {
  auto stmt = conn_.Prepare(
      "SELECT access_key_id, account_id, sealed_secret, created_ms, enabled FROM access_keys "
      "WHERE account_id = ?1 ORDER BY access_key_id");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return ReadAll<AccessKey>(*stmt, ReadAccessKey);
}

Result<void> SqliteRegistryTx::PutRegistrationCode(std::string_view account_id,
                                                   std::string_view code) {
  auto stmt = conn_.Prepare(
      "INSERT INTO registration_codes (account_id, code) VALUES (?1, ?2) "
      "ON CONFLICT (account_id) DO UPDATE SET code = excluded.code");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, code);
  return stmt->Run();
}

Result<std::optional<std::string>> SqliteRegistryTx::FindRegistrationCode(
    std::string_view account_id) {
  auto stmt = conn_.Prepare("SELECT code FROM registration_codes WHERE account_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return ReadOne<std::string>(*stmt,
                              [](const Statement& s) -> Result<std::string> { return s.Text(0); });
}

Result<bool> SqliteRegistryTx::DeleteRegistrationCode(std::string_view account_id) {
  auto stmt = conn_.Prepare("DELETE FROM registration_codes WHERE account_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  return RunDelete(*stmt);
}

}  // namespace fg::store
