#include "connection_log_contract.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

namespace fg::store::testing {
namespace {

using registry::ConnectionLogEvent;
using registry::ConnectionRefused;
using registry::RefusedConnection;
using registry::RefusedQuery;
using registry::SessionActivity;
using registry::SessionClosed;
using registry::SessionCursor;
using registry::SessionOpened;
using registry::SessionQuery;
using registry::SessionRecord;

constexpr char kAcct[] = "111111111111";
constexpr char kOther[] = "222222222222";
constexpr char kNode[] = "node-a";

std::string Uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012d", n);
  return buf;
}

std::string CertId(int n) {
  std::string id = std::to_string(n);
  return std::string(64 - id.size(), 'c') + id;
}

TimePoint Ms(int64_t ms) { return FromEpochMillis(ms); }

SessionRecord MakeSession(int n, int cert, int64_t connect_ms, std::string account = kAcct,
                          std::string node = kNode) {
  SessionRecord s;
  s.session_id = Uuid(n);
  s.account_id = std::move(account);
  s.certificate_id = CertId(cert);
  s.client_id = "client-" + std::to_string(n);
  s.source_ip = "203.0.113." + std::to_string(n % 250);
  s.source_port = static_cast<uint16_t>(40000 + n);
  s.mqtt_version = 4;
  s.keep_alive_s = 60;
  s.connect_time = Ms(connect_ms);
  s.last_packet_time = Ms(connect_ms);
  s.node_id = std::move(node);
  return s;
}

RefusedConnection MakeRefused(int n, int64_t time_ms, std::string account = kAcct) {
  RefusedConnection r;
  r.id = Uuid(100000 + n);
  r.time = Ms(time_ms);
  r.account_id = std::move(account);
  r.certificate_id = CertId(n);
  r.sni = "abc-ats.iot.us-east-1.example.com";
  r.source_ip = "2001:db8::" + std::to_string(n);
  r.source_port = 1234;
  r.reason = "CERTIFICATE_REVOKED";
  r.node_id = kNode;
  return r;
}

SessionClosed Close(int n, int64_t last_packet_ms, int64_t disconnect_ms,
                    std::string reason = "CLIENT_INITIATED_DISCONNECT") {
  return SessionClosed{Uuid(n), Ms(last_packet_ms), Ms(disconnect_ms), std::move(reason)};
}

SessionQuery Window(int64_t start_ms, int64_t end_ms, std::string account = kAcct) {
  SessionQuery q;
  q.account_id = std::move(account);
  q.window_start = Ms(start_ms);
  q.window_end = Ms(end_ms);
  return q;
}

constexpr int64_t kForever = 4'000'000'000'000;

}  // namespace

void ConnectionLogStoreContract::SetUp() {
  auto store = GetParam().open();
  if (IsSkipped()) {
    return;
  }
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  store_ = std::move(*store);
}

void ConnectionLogStoreContract::TearDown() {
  store_.reset();
  if (GetParam().cleanup) {
    GetParam().cleanup();
  }
}

namespace {

// Shorthands that fail the test on a store error.
void Append(registry::ConnectionLogStore& store, std::vector<ConnectionLogEvent> events) {
  auto r = store.AppendBatch(events);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
}

std::vector<SessionRecord> List(registry::ConnectionLogStore& store, const SessionQuery& q) {
  auto r = store.ListSessions(q);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r ? *r : std::vector<SessionRecord>{};
}

std::vector<SessionRecord> All(registry::ConnectionLogStore& store,
                               const std::string& account = kAcct) {
  SessionQuery q = Window(-kForever, kForever, account);
  q.limit = 100000;
  return List(store, q);
}

std::optional<SessionRecord> Find(registry::ConnectionLogStore& store, int n) {
  for (SessionRecord& s : All(store)) {
    if (s.session_id == Uuid(n)) {
      return s;
    }
  }
  return std::nullopt;
}

std::vector<std::string> Ids(const std::vector<SessionRecord>& sessions) {
  std::vector<std::string> ids;
  for (const SessionRecord& s : sessions) {
    ids.push_back(s.session_id);
  }
  return ids;
}

TEST_P(ConnectionLogStoreContract, OpenedSessionRoundTripsEveryField) {
  SessionRecord s = MakeSession(1, 1, 1'700'000'000'123);
  s.client_id = "dev-\xc3\xa9-#2 'quoted' \"x\"";
  s.source_ip = "2001:db8::1";
  s.source_port = 65535;
  s.mqtt_version = 5;
  s.keep_alive_s = 1200;
  s.last_packet_time = Ms(1'700'000'000'999);
  Append(*store_, {SessionOpened{s}});
  EXPECT_EQ(All(*store_), std::vector<SessionRecord>{s});
}

TEST_P(ConnectionLogStoreContract, EmptyStoreListsNothing) {
  EXPECT_TRUE(All(*store_).empty());
  auto refused = store_->ListRefused(RefusedQuery{kAcct, Ms(-kForever), Ms(kForever), 0});
  ASSERT_TRUE(refused.has_value());
  EXPECT_TRUE(refused->empty());
  Append(*store_, {});
  EXPECT_TRUE(All(*store_).empty());
}

TEST_P(ConnectionLogStoreContract, SecondOpenOfTheSameSessionIdIsIgnored) {
  SessionRecord first = MakeSession(1, 1, 1000);
  SessionRecord second = MakeSession(1, 2, 5000);
  second.client_id = "other";
  Append(*store_, {SessionOpened{first}});
  Append(*store_, {SessionOpened{second}});
  EXPECT_EQ(All(*store_), std::vector<SessionRecord>{first});
}

TEST_P(ConnectionLogStoreContract, ActivityRaisesLastPacketAndNeverLowersIt) {
  Append(*store_, {SessionOpened{MakeSession(1, 1, 1000)}});
  Append(*store_, {SessionActivity{Uuid(1), Ms(3000)}});
  EXPECT_EQ(Find(*store_, 1)->last_packet_time, Ms(3000));
  Append(*store_, {SessionActivity{Uuid(1), Ms(2000)}});
  EXPECT_EQ(Find(*store_, 1)->last_packet_time, Ms(3000));
  Append(*store_, {SessionActivity{Uuid(99), Ms(5000)}});
  EXPECT_EQ(All(*store_).size(), 1u);
}

TEST_P(ConnectionLogStoreContract, CloseKeepsTheFirstCloseAndRaisesLastPacket) {
  Append(*store_, {SessionOpened{MakeSession(1, 1, 1000)}, SessionActivity{Uuid(1), Ms(4000)}});
  Append(*store_, {Close(1, 3000, 5000)});
  auto s = Find(*store_, 1);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->last_packet_time, Ms(4000));
  EXPECT_EQ(s->disconnect_time, Ms(5000));
  EXPECT_EQ(s->disconnect_reason, "CLIENT_INITIATED_DISCONNECT");

  // A later close (e.g. another node noticing) does not overwrite, but its packet time counts.
  Append(*store_, {Close(1, 6000, 7000, "DUPLICATE_CLIENTID")});
  s = Find(*store_, 1);
  EXPECT_EQ(s->last_packet_time, Ms(6000));
  EXPECT_EQ(s->disconnect_time, Ms(5000));
  EXPECT_EQ(s->disconnect_reason, "CLIENT_INITIATED_DISCONNECT");

  Append(*store_, {Close(42, 1, 2)});
  EXPECT_EQ(All(*store_).size(), 1u);
}

TEST_P(ConnectionLogStoreContract, EventsOfOneBatchApplyInOrder) {
  Append(*store_, {SessionOpened{MakeSession(1, 1, 1000)}, SessionActivity{Uuid(1), Ms(1500)},
                   Close(1, 1700, 1800, "CONNECTION_LOST"), SessionActivity{Uuid(1), Ms(1600)}});
  auto s = Find(*store_, 1);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->last_packet_time, Ms(1700));
  EXPECT_EQ(s->disconnect_time, Ms(1800));
  EXPECT_EQ(s->disconnect_reason, "CONNECTION_LOST");
}

TEST_P(ConnectionLogStoreContract, RetriedBatchLeavesTheSameRows) {
  std::vector<ConnectionLogEvent> batch = {SessionOpened{MakeSession(1, 1, 1000)},
                                           SessionOpened{MakeSession(2, 1, 1100)},
                                           SessionActivity{Uuid(1), Ms(1500)}, Close(2, 1900, 2000),
                                           ConnectionRefused{MakeRefused(1, 1200)}};
  Append(*store_, batch);
  const auto sessions = All(*store_);
  auto refused = store_->ListRefused(RefusedQuery{kAcct, Ms(0), Ms(kForever), 0});
  ASSERT_TRUE(refused.has_value());
  Append(*store_, batch);
  Append(*store_, batch);
  EXPECT_EQ(All(*store_), sessions);
  auto again = store_->ListRefused(RefusedQuery{kAcct, Ms(0), Ms(kForever), 0});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *refused);
  EXPECT_EQ(again->size(), 1u);
  EXPECT_EQ(sessions.size(), 2u);
}

TEST_P(ConnectionLogStoreContract, CloseOrphanedSessionsUsesTheNodesHeartbeat) {
  SessionRecord quiet = MakeSession(1, 1, 1000);
  SessionRecord busy = MakeSession(2, 2, 1000);
  busy.last_packet_time = Ms(9000);  // after the last heartbeat: never close before it
  SessionRecord closed = MakeSession(3, 3, 1000);
  SessionRecord elsewhere = MakeSession(4, 4, 1000, kAcct, "node-b");
  Append(*store_, {SessionOpened{quiet}, SessionOpened{busy}, SessionOpened{closed},
                   SessionOpened{elsewhere}, Close(3, 1100, 1200)});
  ASSERT_TRUE(store_->Heartbeat(kNode, Ms(5000)).has_value());
  ASSERT_TRUE(store_->Heartbeat(kNode, Ms(4000)).has_value());  // never lowers
  ASSERT_TRUE(store_->Heartbeat("node-b", Ms(8000)).has_value());

  auto count = store_->CloseOrphanedSessions(kNode);
  ASSERT_TRUE(count.has_value()) << count.error().ToString();
  EXPECT_EQ(*count, 2);

  EXPECT_EQ(Find(*store_, 1)->disconnect_time, Ms(5000));
  EXPECT_EQ(Find(*store_, 1)->disconnect_reason, "CONNECTION_LOST");
  EXPECT_EQ(Find(*store_, 1)->last_packet_time, Ms(1000));
  EXPECT_EQ(Find(*store_, 2)->disconnect_time, Ms(9000));
  EXPECT_EQ(Find(*store_, 2)->disconnect_reason, "CONNECTION_LOST");
  EXPECT_EQ(Find(*store_, 3)->disconnect_time, Ms(1200));
  EXPECT_EQ(Find(*store_, 3)->disconnect_reason, "CLIENT_INITIATED_DISCONNECT");
  EXPECT_FALSE(Find(*store_, 4)->disconnect_time.has_value());

  auto again = store_->CloseOrphanedSessions(kNode);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);
}

TEST_P(ConnectionLogStoreContract, CloseOrphanedSessionsWithoutHeartbeatEndsAtLastPacket) {
  SessionRecord s = MakeSession(1, 1, 1000);
  s.last_packet_time = Ms(2500);
  Append(*store_, {SessionOpened{s}});
  auto count = store_->CloseOrphanedSessions(kNode);
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 1);
  EXPECT_EQ(Find(*store_, 1)->disconnect_time, Ms(2500));
  auto none = store_->CloseOrphanedSessions("unknown-node");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, 0);
}

// The window [100, 200]: a session is listed iff it connected by 200 and had not disconnected
// before 100.
struct OverlapCase {
  const char* name;
  int64_t connect_ms;
  std::optional<int64_t> disconnect_ms;
  const char* account;
  bool listed;
};

TEST_P(ConnectionLogStoreContract, ListSessionsReturnsExactlyTheOverlappingSessions) {
  const OverlapCase cases[] = {
      {"inside", 120, 180, kAcct, true},
      {"connects at window end", 200, std::nullopt, kAcct, true},
      {"connects after window end", 201, std::nullopt, kAcct, false},
      {"disconnects at window start", 50, 100, kAcct, true},
      {"disconnects before window start", 50, 99, kAcct, false},
      {"open since before the window", 10, std::nullopt, kAcct, true},
      {"spans the window", 10, 500, kAcct, true},
      {"other account", 120, 180, kOther, false},
  };
  std::vector<ConnectionLogEvent> events;
  int n = 0;
  for (const OverlapCase& c : cases) {
    ++n;
    events.push_back(SessionOpened{MakeSession(n, n, c.connect_ms, c.account)});
    if (c.disconnect_ms) {
      events.push_back(Close(n, c.connect_ms, *c.disconnect_ms));
    }
  }
  Append(*store_, events);
  const std::vector<SessionRecord> listed = List(*store_, Window(100, 200));
  n = 0;
  for (const OverlapCase& c : cases) {
    ++n;
    const bool found = std::any_of(listed.begin(), listed.end(),
                                   [&](const SessionRecord& s) { return s.session_id == Uuid(n); });
    EXPECT_EQ(found, c.listed) << c.name;
  }
}

TEST_P(ConnectionLogStoreContract, ListSessionsRejectsAnInvertedWindow) {
  auto r = store_->ListSessions(Window(200, 100));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->ListSessions(Window(100, 100)).has_value());
}

TEST_P(ConnectionLogStoreContract, ListSessionsOrdersByCertificateConnectAndSessionId) {
  // Inserted out of order; ties on certificate and connect time break on the session id.
  Append(*store_, {SessionOpened{MakeSession(5, 2, 100)}, SessionOpened{MakeSession(4, 1, 300)},
                   SessionOpened{MakeSession(3, 1, 100)}, SessionOpened{MakeSession(2, 1, 100)},
                   SessionOpened{MakeSession(1, 3, 50)}});
  EXPECT_EQ(Ids(All(*store_)),
            (std::vector<std::string>{Uuid(2), Uuid(3), Uuid(4), Uuid(5), Uuid(1)}));
}

TEST_P(ConnectionLogStoreContract, PagingWithTheCursorVisitsEverySessionOnce) {
  std::vector<ConnectionLogEvent> events;
  for (int n = 1; n <= 40; ++n) {
    events.push_back(SessionOpened{MakeSession(n, n % 7, 1000 + (n % 3) * 10)});
  }
  Append(*store_, events);
  const auto all = All(*store_);
  ASSERT_EQ(all.size(), 40u);

  for (size_t limit : {1u, 3u, 7u, 40u, 41u}) {
    SessionQuery q = Window(0, kForever);
    q.limit = limit;
    std::vector<SessionRecord> paged;
    while (true) {
      auto page = List(*store_, q);
      ASSERT_LE(page.size(), limit);
      paged.insert(paged.end(), page.begin(), page.end());
      if (page.size() < limit) {
        break;
      }
      const SessionRecord& last = page.back();
      q.after = SessionCursor{last.certificate_id, last.connect_time, last.session_id};
    }
    EXPECT_EQ(paged, all) << "limit " << limit;
  }
}

TEST_P(ConnectionLogStoreContract, CursorContinuesStrictlyAfterItsPosition) {
  Append(*store_, {SessionOpened{MakeSession(1, 1, 100)}, SessionOpened{MakeSession(2, 1, 100)},
                   SessionOpened{MakeSession(3, 1, 200)}, SessionOpened{MakeSession(4, 2, 50)}});
  SessionQuery q = Window(0, kForever);
  q.after = SessionCursor{CertId(1), Ms(100), Uuid(1)};  // an existing row: excluded
  EXPECT_EQ(Ids(List(*store_, q)), (std::vector<std::string>{Uuid(2), Uuid(3), Uuid(4)}));
  q.after = SessionCursor{CertId(1), Ms(150), "z"};  // between rows
  EXPECT_EQ(Ids(List(*store_, q)), (std::vector<std::string>{Uuid(3), Uuid(4)}));
  q.after = SessionCursor{CertId(2), Ms(50), Uuid(4)};  // the last row
  EXPECT_TRUE(List(*store_, q).empty());
}

TEST_P(ConnectionLogStoreContract, ZeroLimitMeansAThousand) {
  std::vector<ConnectionLogEvent> events;
  for (int n = 1; n <= 1002; ++n) {
    events.push_back(SessionOpened{MakeSession(n, n % 11, n)});
  }
  Append(*store_, events);
  SessionQuery q = Window(0, kForever);
  q.limit = 0;
  EXPECT_EQ(List(*store_, q).size(), 1000u);
  auto refused = store_->ListRefused(RefusedQuery{kAcct, Ms(0), Ms(kForever), 0});
  ASSERT_TRUE(refused.has_value());
  EXPECT_TRUE(refused->empty());
}

TEST_P(ConnectionLogStoreContract, ListRefusedFiltersByAccountAndInclusiveWindowInOrder) {
  RefusedConnection no_account = MakeRefused(7, 150, "");
  no_account.certificate_id.clear();
  no_account.sni.clear();
  Append(*store_, {ConnectionRefused{MakeRefused(1, 200)}, ConnectionRefused{MakeRefused(2, 100)},
                   ConnectionRefused{MakeRefused(3, 99)}, ConnectionRefused{MakeRefused(4, 201)},
                   ConnectionRefused{MakeRefused(5, 150, kOther)},
                   ConnectionRefused{MakeRefused(6, 100)}, ConnectionRefused{no_account}});
  auto r = store_->ListRefused(RefusedQuery{kAcct, Ms(100), Ms(200), 0});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(*r, (std::vector<RefusedConnection>{MakeRefused(2, 100), MakeRefused(6, 100),
                                                MakeRefused(1, 200)}));

  auto limited = store_->ListRefused(RefusedQuery{kAcct, Ms(100), Ms(200), 2});
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->size(), 2u);

  auto anonymous = store_->ListRefused(RefusedQuery{"", Ms(0), Ms(1000), 0});
  ASSERT_TRUE(anonymous.has_value());
  EXPECT_EQ(*anonymous, std::vector<RefusedConnection>{no_account});

  // A retried refusal is not duplicated.
  Append(*store_, {ConnectionRefused{MakeRefused(1, 200)}});
  auto again = store_->ListRefused(RefusedQuery{kAcct, Ms(100), Ms(200), 0});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->size(), 3u);
}

TEST_P(ConnectionLogStoreContract, ConcurrentWritersAndReadersLoseNothing) {
  constexpr int kWriters = 2;
  constexpr int kBatches = 25;
  constexpr int kPerBatch = 4;
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<ConnectionLogEvent> events;
        for (int i = 0; i < kPerBatch; ++i) {
          const int n = (w * kBatches + b) * kPerBatch + i + 1;
          events.push_back(SessionOpened{MakeSession(n, n % 5, n)});
        }
        if (!store_->AppendBatch(events) || !store_->Heartbeat(kNode, Ms(b))) {
          failed = true;
        }
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      if (!store_->ListSessions(Window(0, kForever))) {
        failed = true;
      }
    }
  });
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(All(*store_).size(), static_cast<size_t>(kWriters * kBatches * kPerBatch));
}

}  // namespace
}  // namespace fg::store::testing
