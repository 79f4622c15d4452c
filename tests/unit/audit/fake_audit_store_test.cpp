// The fake store must behave like a store, or tests built on it prove nothing: transactions
// commit all or nothing, keys and parents are enforced, lists filter, order and page as
// audit_store.h says.

#include "unit/audit/fake_audit_store.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_task.h"

namespace fg::audit::testing {
namespace {

constexpr char kAccount[] = "111111111111";

AuditTask Task(std::string id, int64_t start_ms) {
  return NewAuditTask(kAccount, std::move(id), AuditTaskType::kOnDemand, FromEpochMillis(start_ms),
                      {"DEVICE_CERTIFICATE_SHARED_CHECK"});
}

TEST(FakeAuditStoreTest, FailedCallbackRollsEverythingBack) {
  FakeAuditStore store;
  auto r = store.Transact([](AuditTx& tx) -> Result<void> {
    if (auto i = tx.InsertAuditTask(Task("t1", 1)); !i) {
      return i;
    }
    return Fail(ErrorCode::kInvalidArgument, "rule says no");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store.Snapshot().tasks.empty());
  EXPECT_EQ(store.commits(), 0);
}

TEST(FakeAuditStoreTest, InjectedCommitFailureRollsBack) {
  FakeAuditStore store;
  store.FailTransaction(2);
  ASSERT_TRUE(store.Transact([](AuditTx& tx) { return tx.InsertAuditTask(Task("t1", 1)); }));
  auto r = store.Transact([](AuditTx& tx) { return tx.InsertAuditTask(Task("t2", 2)); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.Snapshot().tasks.size(), 1u);
  ASSERT_TRUE(store.Transact([](AuditTx& tx) { return tx.InsertAuditTask(Task("t2", 2)); }));
  EXPECT_EQ(store.Snapshot().tasks.size(), 2u);
}

TEST(FakeAuditStoreTest, NestedTransactIsAnInternalError) {
  FakeAuditStore store;
  Result<void> inner = Ok();
  ASSERT_TRUE(store.Transact([&](AuditTx&) -> Result<void> {
    inner = store.Transact([](AuditTx&) { return Ok(); });
    return Ok();
  }));
  ASSERT_FALSE(inner.has_value());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
}

TEST(FakeAuditStoreTest, KeysAndParents) {
  FakeAuditStore store;
  ASSERT_TRUE(store.Transact([](AuditTx& tx) -> Result<void> {
    EXPECT_TRUE(tx.InsertAuditTask(Task("t1", 1)).has_value());
    EXPECT_EQ(tx.InsertAuditTask(Task("t1", 1)).error().code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.UpdateAuditTask(Task("t9", 1)).error().code, ErrorCode::kNotFound);
    AuditFindingRecord orphan;
    orphan.account_id = kAccount;
    orphan.finding_id = "f1";
    orphan.task_id = "t9";
    EXPECT_EQ(tx.InsertFinding(orphan).error().code, ErrorCode::kNotFound);
    MitigationExecution e;
    e.account_id = kAccount;
    e.task_id = "missing";
    EXPECT_EQ(tx.PutExecution(e).error().code, ErrorCode::kNotFound);
    AuditMitigationTask a;
    a.account_id = kAccount;
    a.task_id = "m1";
    a.client_request_token = "tok";
    EXPECT_TRUE(tx.InsertMitigationTask(a).has_value());
    a.task_id = "m2";
    EXPECT_EQ(tx.InsertMitigationTask(a).error().code, ErrorCode::kAlreadyExists);
    return Ok();
  }));
}

TEST(FakeAuditStoreTest, TimeOrderedPagingSurvivesInsertsBetweenPages) {
  FakeAuditStore store;
  ASSERT_TRUE(store.Transact([](AuditTx& tx) -> Result<void> {
    for (int i = 0; i < 5; ++i) {
      if (auto r = tx.InsertAuditTask(Task("t" + std::to_string(i), i * 10)); !r) {
        return r;
      }
    }
    return Ok();
  }));
  const AuditTaskQuery all{FromEpochMillis(0), FromEpochMillis(1000), {}, {}};
  std::vector<std::string> seen;
  PageRequest page{2, ""};
  bool inserted = false;
  do {
    auto listed = TransactValue<Page<AuditTask>>(
        store, [&](AuditTx& tx) { return tx.ListAuditTasks(kAccount, all, page); });
    ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
    for (const auto& t : listed->items) {
      seen.push_back(t.task_id);
    }
    page.cursor = listed->next_cursor;
    if (!inserted) {
      inserted = true;
      // One before the cursor (never seen) and one after it (seen once).
      ASSERT_TRUE(store.Transact([](AuditTx& tx) -> Result<void> {
        if (auto r = tx.InsertAuditTask(Task("early", 5)); !r) {
          return r;
        }
        return tx.InsertAuditTask(Task("late", 45));
      }));
    }
  } while (!page.cursor.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"t0", "t1", "t2", "t3", "t4", "late"}));
}

}  // namespace
}  // namespace fg::audit::testing
