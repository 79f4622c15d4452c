#include "store/sqlite/sqlite_store.h"

#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "raw_sqlite.h"
#include "registry_store_contract.h"
#include "store/sqlite/sqlite_schema.h"
#include "temp_dir.h"

namespace fg::store::testing {
namespace {

using registry::RegistryTx;

Result<std::unique_ptr<registry::RegistryStore>> OpenMemory() {
  auto store = SqliteStore::Open(":memory:");
  if (!store) {
    return Fail(store.error());
  }
  return std::unique_ptr<registry::RegistryStore>(std::move(*store));
}

// One temp directory per test, created by open and removed by cleanup.
std::unique_ptr<TempDir>& CurrentDir() {
  static std::unique_ptr<TempDir> dir;
  return dir;
}

Result<std::unique_ptr<registry::RegistryStore>> OpenOnDisk() {
  CurrentDir() = std::make_unique<TempDir>();
  if (!CurrentDir()->ok()) {
    return Fail(ErrorCode::kUnavailable, "mkdtemp failed");
  }
  auto store = SqliteStore::Open((CurrentDir()->path() / "registry.db").string());
  if (!store) {
    return Fail(store.error());
  }
  return std::unique_ptr<registry::RegistryStore>(std::move(*store));
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, RegistryStoreContract,
    ::testing::Values(StoreFactory{"memory", OpenMemory, {}},
                      StoreFactory{"disk", OpenOnDisk, [] { CurrentDir().reset(); }}),
    [](const ::testing::TestParamInfo<StoreFactory>& param_info) { return param_info.param.name; });

registry::Account TestAccount() {
  return registry::Account{"123456789012", "acme", "us-east-1", "abcdefghij0123",
                           FromEpochMillis(42)};
}

class SqliteStoreFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  std::string DbPath() const { return (dir_.path() / "registry.db").string(); }

  TempDir dir_;
};

TEST_F(SqliteStoreFileTest, ReopenFindsEverythingCommitted) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    auto r = (*store)->Transact([](RegistryTx& tx) -> Result<void> {
      if (auto a = tx.InsertAccount(TestAccount()); !a) {
        return a;
      }
      return tx.PutRegistrationCode("123456789012", "code");
    });
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    // A failed transaction must not reappear after reopening either.
    auto failed = (*store)->Transact([](RegistryTx& tx) -> Result<void> {
      (void)tx.DeleteRegistrationCode("123456789012");
      return Fail(ErrorCode::kInternal, "abort");
    });
    ASSERT_FALSE(failed.has_value());
  }
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  auto r = (*store)->Transact([](RegistryTx& tx) -> Result<void> {
    auto account = tx.FindAccount("123456789012");
    EXPECT_TRUE(account.has_value() && account->has_value());
    if (account && *account) {
      EXPECT_EQ(**account, TestAccount());
    }
    auto code = tx.FindRegistrationCode("123456789012");
    EXPECT_TRUE(code.has_value() && *code == std::optional<std::string>("code"));
    return Ok();
  });
  ASSERT_TRUE(r.has_value());
}

TEST_F(SqliteStoreFileTest, UsesWalAndMarksTheFileAsFleetguard) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()).has_value());
  auto conn = SqliteConnection::Open(DbPath());
  ASSERT_TRUE(conn.has_value());
  auto mode = (*conn)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.has_value());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
  EXPECT_EQ(*(*conn)->QueryInt("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*(*conn)->QueryInt("PRAGMA application_id"), kFleetguardApplicationId);
  EXPECT_EQ(*(*conn)->QueryInt("SELECT version FROM schema_version"), LatestSchemaVersion());
}

TEST_F(SqliteStoreFileTest, RejectsFilesThatAreNotFleetguardDatabases) {
  struct Case {
    const char* name;
    std::string content;
  };
  const Case cases[] = {
      {"garbage", std::string(8192, 'x')},
      {"truncated header", "SQLite format 3"},
      {"random binary", std::string("\x00\xff\x13\x37garbage\x00\x01", 14)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    {
      std::ofstream out(DbPath(), std::ios::binary | std::ios::trunc);
      out << c.content;
    }
    auto store = SqliteStore::Open(DbPath());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, ErrorCode::kCorrupt) << store.error().ToString();
  }
}

TEST_F(SqliteStoreFileTest, RejectsAnotherApplicationsDatabase) {
  RawExec(DbPath(), "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("not a fleetguard database"), std::string::npos);
}

TEST_F(SqliteStoreFileTest, RejectsAForeignApplicationId) {
  RawExec(DbPath(), "PRAGMA application_id = 12345");
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
}

TEST_F(SqliteStoreFileTest, RejectsASchemaNewerThanThisBuild) {
  ASSERT_TRUE(SqliteStore::Open(DbPath()).has_value());
  RawExec(DbPath(), "UPDATE schema_version SET version = 999");
  auto store = SqliteStore::Open(DbPath());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("999"), std::string::npos);
}

TEST_F(SqliteStoreFileTest, UnopenablePathIsUnavailable) {
  auto store = SqliteStore::Open((dir_.path() / "missing-dir" / "registry.db").string());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

TEST_F(SqliteStoreFileTest, CorruptStoredEnumIsReportedNotTrusted) {
  {
    auto store = SqliteStore::Open(DbPath());
    ASSERT_TRUE(store.has_value());
    auto r = (*store)->Transact([](RegistryTx& tx) -> Result<void> {
      if (auto a = tx.InsertAccount(TestAccount()); !a) {
        return a;
      }
      return tx.InsertThing({"123456789012", "t", "id", "", {}, 1, FromEpochMillis(1)});
    });
    ASSERT_TRUE(r.has_value());
  }
  RawExec(DbPath(), "INSERT INTO thing_principals VALUES ('123456789012', 't', 'c', 'BOGUS', 0)");
  // The foreign key to certificates is not enforced by the raw connection above, so the row
  // exists; reading it must fail cleanly.
  auto store = SqliteStore::Open(DbPath());
  ASSERT_TRUE(store.has_value());
  auto r = (*store)->Transact([](RegistryTx& tx) -> Result<void> {
    auto principals = tx.ListThingPrincipals("123456789012", "t");
    EXPECT_FALSE(principals.has_value());
    if (!principals) {
      EXPECT_EQ(principals.error().code, ErrorCode::kCorrupt);
    }
    return Ok();
  });
  ASSERT_TRUE(r.has_value());
}

}  // namespace
}  // namespace fg::store::testing
