// FakeAuditStore passes the AuditStore contract, so tests built on it test real store
// behaviour; plus its own fault injection.

#include "unit/audit/fake_audit_store.h"

#include <memory>

#include <gtest/gtest.h>

#include "unit/audit/audit_store_contract.h"

namespace fg::audit::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Fake, AuditStoreContract,
                         ::testing::Values(AuditStoreFactory{
                             "fake", [] { return std::make_unique<FakeAuditStore>(); }}),
                         AuditStoreFactoryName);

TEST(FakeAuditStoreTest, InjectedCommitFailureRollsBack) {
  FakeAuditStore store;
  AuditConfiguration one;
  one.account_id = "111111111111";
  AuditConfiguration two;
  two.account_id = "222222222222";
  store.FailTransaction(2);
  ASSERT_TRUE(store.Transact([&](AuditTx& tx) { return tx.PutConfiguration(one); }));
  auto r = store.Transact([&](AuditTx& tx) { return tx.PutConfiguration(two); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.Snapshot().configs.size(), 1u);
  EXPECT_EQ(store.commits(), 1);
  ASSERT_TRUE(store.Transact([&](AuditTx& tx) { return tx.PutConfiguration(two); }));
  EXPECT_EQ(store.Snapshot().configs.size(), 2u);
}

}  // namespace
}  // namespace fg::audit::testing
