#include "registry/account_service.h"

#include <gtest/gtest.h>

#include "pki/secret_box.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::registry {
namespace {

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.has_value());
    store_ = std::move(*store);
    auto box = pki::SecretBox::FromKey(std::string(32, 'k'));
    ASSERT_TRUE(box.has_value());
    box_ = std::make_unique<pki::SecretBox>(*box);
    accounts_ = std::make_unique<AccountService>(*store_, *box_, clock_);
  }

  ManualClock clock_{FromEpochSeconds(1893456000)};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pki::SecretBox> box_;
  std::unique_ptr<AccountService> accounts_;
};

bool AllOf(const std::string& s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string::npos;
}

TEST_F(AccountServiceTest, CreateAccountHandsOutWellFormedIdentifiers) {
  auto created = accounts_->CreateAccount("acme", "us-east-1");
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  const Account& a = created->account;
  EXPECT_EQ(a.id.size(), 12u);
  EXPECT_TRUE(AllOf(a.id, "0123456789"));
  EXPECT_EQ(a.endpoint_prefix.size(), 14u);
  EXPECT_TRUE(AllOf(a.endpoint_prefix, "abcdefghijklmnopqrstuvwxyz0123456789"));
  EXPECT_EQ(a.region, "us-east-1");
  EXPECT_EQ(a.created, clock_.Now());
  EXPECT_EQ(created->access_key_id.size(), 20u);
  EXPECT_TRUE(created->access_key_id.starts_with("AKIA"));
  EXPECT_TRUE(AllOf(created->access_key_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
  EXPECT_EQ(created->secret_access_key.size(), 40u);

  EXPECT_EQ(accounts_->Describe(a.id).value(), a);
  EXPECT_EQ(accounts_->FindByEndpointPrefix(a.endpoint_prefix).value(), a);
  EXPECT_EQ(accounts_->List(PageRequest{}).value().items.size(), 1u);
}

TEST_F(AccountServiceTest, SecretIsSealedAtRestAndOpenedForLookup) {
  auto created = accounts_->CreateAccount("acme", "eu-west-1");
  ASSERT_TRUE(created.has_value());
  auto stored = store_->Transact([&](RegistryTx& tx) -> Result<void> {
    auto key = tx.FindAccessKey(created->access_key_id);
    EXPECT_TRUE(key && *key);
    if (key && *key) {
      EXPECT_EQ((*key)->sealed_secret.find(created->secret_access_key), std::string::npos);
    }
    return Ok();
  });
  ASSERT_TRUE(stored.has_value());
  auto found = accounts_->LookupAccessKey(created->access_key_id);
  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  EXPECT_EQ(found->secret_access_key, created->secret_access_key);
  EXPECT_EQ(found->account, created->account);

  auto second = accounts_->CreateAccessKey(created->account.id);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->access_key_id, created->access_key_id);
  EXPECT_EQ(accounts_->LookupAccessKey(second->access_key_id)->secret_access_key,
            second->secret_access_key);
}

TEST_F(AccountServiceTest, RefusesBadInputAndUnknownKeys) {
  struct Case {
    std::string name;
    std::string region;
  };
  for (const Case& c : {Case{"", "us-east-1"}, Case{std::string(129, 'n'), "us-east-1"},
                        Case{"x", ""}, Case{"x", "US-EAST-1"}, Case{"x", "us east"}}) {
    auto r = accounts_->CreateAccount(c.name, c.region);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(accounts_->LookupAccessKey("AKIAUNKNOWNUNKNOWN00").error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(accounts_->LookupAccessKey("").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(accounts_->CreateAccessKey("999999999999").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->Describe("999999999999").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->FindByEndpointPrefix("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(AccountServiceTest, DisabledKeyIsUnauthenticated) {
  auto created = accounts_->CreateAccount("acme", "us-east-1");
  ASSERT_TRUE(created.has_value());
  auto r = store_->Transact([&](RegistryTx& tx) -> Result<void> {
    auto key = tx.FindAccessKey(created->access_key_id);
    if (!key || !*key) {
      return Fail(ErrorCode::kInternal, "missing key");
    }
    (*key)->enabled = false;
    return tx.UpdateAccessKey(**key);
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(accounts_->LookupAccessKey(created->access_key_id).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, TamperedSecretIsCorruptNotAccepted) {
  auto created = accounts_->CreateAccount("acme", "us-east-1");
  ASSERT_TRUE(created.has_value());
  auto r = store_->Transact([&](RegistryTx& tx) -> Result<void> {
    auto key = tx.FindAccessKey(created->access_key_id);
    if (!key || !*key) {
      return Fail(ErrorCode::kInternal, "missing key");
    }
    (*key)->sealed_secret.back() ^= 1;
    return tx.UpdateAccessKey(**key);
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(accounts_->LookupAccessKey(created->access_key_id).error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace fg::registry
