// SqliteStore as a ConnectionLogStore: the shared contract (also run against the gateway's
// in-memory fake, so the fake cannot drift), plus what only SQLite has: all-or-none batches,
// crash recovery from the file, row ids, and the query plan.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "connection_log_contract.h"
#include "raw_sqlite.h"
#include "store/sqlite/sqlite_session_sql.h"
#include "store/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/gateway/fake_connection_log_store.h"

namespace fg::store::testing {
namespace {

using registry::ConnectionLogEvent;
using registry::ConnectionRefused;
using registry::RefusedConnection;
using registry::SessionOpened;
using registry::SessionQuery;
using registry::SessionRecord;

std::unique_ptr<TempDir>& CurrentDir() {
  static std::unique_ptr<TempDir> dir;
  return dir;
}

Result<std::unique_ptr<registry::ConnectionLogStore>> OpenMemory() {
  auto store = SqliteStore::Open(":memory:");
  if (!store) {
    return Fail(store.error());
  }
  return std::unique_ptr<registry::ConnectionLogStore>(std::move(*store));
}

Result<std::unique_ptr<registry::ConnectionLogStore>> OpenOnDisk() {
  CurrentDir() = std::make_unique<TempDir>();
  if (!CurrentDir()->ok()) {
    return Fail(ErrorCode::kUnavailable, "mkdtemp failed");
  }
  auto store = SqliteStore::Open((CurrentDir()->path() / "log.db").string());
  if (!store) {
    return Fail(store.error());
  }
  return std::unique_ptr<registry::ConnectionLogStore>(std::move(*store));
}

Result<std::unique_ptr<registry::ConnectionLogStore>> OpenFake() {
  return std::unique_ptr<registry::ConnectionLogStore>(
      std::make_unique<gateway::testing::FakeConnectionLogStore>());
}

INSTANTIATE_TEST_SUITE_P(All, ConnectionLogStoreContract,
                         ::testing::Values(LogStoreFactory{"SqliteMemory", OpenMemory, {}},
                                           LogStoreFactory{"SqliteDisk", OpenOnDisk,
                                                           [] { CurrentDir().reset(); }},
                                           LogStoreFactory{"Fake", OpenFake, {}}),
                         [](const ::testing::TestParamInfo<LogStoreFactory>& param_info) {
                           return param_info.param.name;
                         });

std::string Uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012d", n);
  return buf;
}

SessionRecord MakeSession(int n, int64_t connect_ms, const std::string& node = "node-a") {
  SessionRecord s;
  s.session_id = Uuid(n);
  s.account_id = "111111111111";
  s.certificate_id = std::string(63, 'd') + std::to_string(n % 10);
  s.client_id = "dev-" + std::to_string(n);
  s.source_ip = "198.51.100.9";
  s.source_port = 5000;
  s.connect_time = FromEpochMillis(connect_ms);
  s.last_packet_time = FromEpochMillis(connect_ms + 10);
  s.node_id = node;
  return s;
}

SessionQuery Everything() {
  SessionQuery q;
  q.account_id = "111111111111";
  q.window_start = FromEpochMillis(0);
  q.window_end = FromEpochMillis(4'000'000'000'000);
  q.limit = 100000;
  return q;
}

class SqliteConnectionLogTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  std::string DbPath() const { return (dir_.path() / "fleetguard.db").string(); }
  std::unique_ptr<SqliteStore> Open() {
    auto store = SqliteStore::Open(DbPath());
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }

  TempDir dir_;
};

TEST_F(SqliteConnectionLogTest, AFailingEventRollsBackTheWholeBatch) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
  }
  // A trigger stands in for any mid-batch failure (disk full, I/O error).
  RawExec(DbPath(),
          "CREATE TRIGGER fail_refusal BEFORE INSERT ON refused_connections "
          "WHEN NEW.reason = 'BOOM' BEGIN SELECT RAISE(ABORT, 'injected'); END");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  RefusedConnection boom;
  boom.id = Uuid(900);
  boom.reason = "BOOM";
  boom.account_id = "111111111111";
  const std::vector<ConnectionLogEvent> bad = {SessionOpened{MakeSession(1, 100)},
                                               ConnectionRefused{boom}};
  EXPECT_FALSE(store->AppendBatch(bad).has_value());
  auto after_failure = store->ListSessions(Everything());
  ASSERT_TRUE(after_failure.has_value());
  EXPECT_TRUE(after_failure->empty());

  // The store is usable afterwards and a good retry commits.
  const std::vector<ConnectionLogEvent> good = {SessionOpened{MakeSession(1, 100)}};
  ASSERT_TRUE(store->AppendBatch(good).has_value());
  EXPECT_EQ(store->ListSessions(Everything())->size(), 1u);
}

TEST_F(SqliteConnectionLogTest, OrphanedSessionsOfADroppedStoreCloseAtTheHeartbeat) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    const std::vector<ConnectionLogEvent> events = {SessionOpened{MakeSession(1, 1000)},
                                                    SessionOpened{MakeSession(2, 2000)},
                                                    SessionOpened{MakeSession(3, 2500, "node-b")}};
    ASSERT_TRUE(store->AppendBatch(events).has_value());
    ASSERT_TRUE(store->Heartbeat("node-a", FromEpochMillis(60'000)).has_value());
    // Dropped without closing the sessions, as a killed process would leave them.
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto closed = store->CloseOrphanedSessions("node-a");
  ASSERT_TRUE(closed.has_value()) << closed.error().ToString();
  EXPECT_EQ(*closed, 2);
  auto sessions = store->ListSessions(Everything());
  ASSERT_TRUE(sessions.has_value());
  ASSERT_EQ(sessions->size(), 3u);
  for (const SessionRecord& s : *sessions) {
    if (s.node_id == "node-a") {
      EXPECT_EQ(s.disconnect_time, FromEpochMillis(60'000)) << s.session_id;
      EXPECT_EQ(s.disconnect_reason, "CONNECTION_LOST");
    } else {
      EXPECT_FALSE(s.disconnect_time.has_value());
    }
  }
}

TEST_F(SqliteConnectionLogTest, AcknowledgedBatchesSurviveAProcessThatDiesWithoutCleanup) {
  // The child writes and then _exit()s: no destructor runs, the WAL is never checkpointed and
  // the connection is never closed, as after kill -9.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = SqliteStore::Open(DbPath());
    if (!store) {
      _exit(2);
    }
    const std::vector<ConnectionLogEvent> events = {SessionOpened{MakeSession(1, 1000)}};
    if (!(*store)->AppendBatch(events) || !(*store)->Heartbeat("node-a", FromEpochMillis(7000))) {
      _exit(3);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto closed = store->CloseOrphanedSessions("node-a");
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(*closed, 1);
  auto sessions = store->ListSessions(Everything());
  ASSERT_TRUE(sessions.has_value());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ(sessions->front().disconnect_time, FromEpochMillis(7000));
  EXPECT_EQ(sessions->front().disconnect_reason, "CONNECTION_LOST");
}

TEST_F(SqliteConnectionLogTest, RowIdsArePositiveUniqueAndStableAcrossReopen) {
  std::vector<int64_t> ids;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    std::vector<ConnectionLogEvent> events;
    for (int n = 1; n <= 20; ++n) {
      events.push_back(SessionOpened{MakeSession(n, 1000 - n)});
    }
    ASSERT_TRUE(store->AppendBatch(events).has_value());
    // A retried open neither duplicates the row nor burns a new id for it.
    ASSERT_TRUE(store->AppendBatch(events).has_value());
    auto rows = store->ListSessionRows(Everything());
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 20u);
    for (const SessionRow& row : *rows) {
      EXPECT_GT(row.row_id, 0);
      auto found = store->FindSessionRowId(row.session.session_id);
      ASSERT_TRUE(found.has_value());
      EXPECT_EQ(*found, row.row_id);
      ids.push_back(row.row_id);
    }
    auto missing = store->FindSessionRowId(Uuid(999));
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->has_value());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());

  auto store = Open();
  ASSERT_NE(store, nullptr);
  for (int n = 1; n <= 20; ++n) {
    auto found = store->FindSessionRowId(Uuid(n));
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->has_value());
    EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), **found));
  }
  const std::vector<ConnectionLogEvent> more = {SessionOpened{MakeSession(21, 5)}};
  ASSERT_TRUE(store->AppendBatch(more).has_value());
  EXPECT_GT(**store->FindSessionRowId(Uuid(21)), ids.back());
}

TEST_F(SqliteConnectionLogTest, ARegistryOnlyDatabaseGainsTheConnectionLogOnOpen) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto r = store->Transact([](registry::RegistryTx& tx) -> Result<void> {
      return tx.InsertAccount(registry::Account{"111111111111", "acme", "us-east-1",
                                                "abcdefghij0123", FromEpochMillis(1)});
    });
    ASSERT_TRUE(r.has_value());
  }
  // Back to what a build with only migration 1 left behind: every later table goes.
  RawExec(DbPath(),
          "DROP TABLE sessions; DROP TABLE refused_connections; DROP TABLE node_heartbeats; "
          "DROP TABLE mitigation_executions; DROP TABLE mitigation_task_findings; "
          "DROP TABLE mitigation_tasks; DROP TABLE mitigation_actions; "
          "DROP TABLE audit_suppressions; DROP TABLE audit_findings; DROP TABLE audit_tasks; "
          "DROP TABLE scheduled_audits; DROP TABLE audit_configurations; "
          "UPDATE schema_version SET version = 1");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<ConnectionLogEvent> events = {SessionOpened{MakeSession(1, 100)}};
  ASSERT_TRUE(store->AppendBatch(events).has_value());
  EXPECT_EQ(store->ListSessions(Everything())->size(), 1u);
  bool account_kept = false;
  auto r = store->Transact([&](registry::RegistryTx& tx) -> Result<void> {
    auto account = tx.FindAccount("111111111111");
    account_kept = account && account->has_value();
    return Ok();
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(account_kept);
}

// Both forms of the session query must walk sessions_by_certificate from the account (and the
// cursor) onwards, without a full scan or a sort, whatever the log's size.
TEST_F(SqliteConnectionLogTest, SessionQueryIsAnIndexRangeScanWithoutSort) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
  }
  SqliteDbPtr db = RawOpen(DbPath());
  ASSERT_NE(db, nullptr);
  for (bool after : {false, true}) {
    const std::string plan = QueryPlan(db.get(), SessionListSql(after));
    EXPECT_NE(plan.find("SEARCH sessions USING INDEX sessions_by_certificate (account_id=?"),
              std::string::npos)
        << plan;
    if (after) {
      EXPECT_NE(plan.find("(certificate_id,connect_ms,session_id)>(?,?,?)"), std::string::npos)
          << plan;
    }
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  }
}

}  // namespace
}  // namespace fg::store::testing
