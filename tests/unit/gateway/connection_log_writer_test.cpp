#include "gateway/connection_log_writer.h"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "gateway/session_record.h"
#include "unit/gateway/fake_connection_log_store.h"
#include "unit/pki/pki_fixtures.h"

namespace fg::gateway::testing {
namespace {

using std::chrono::milliseconds;

registry::SessionRecord Session(const std::string& id, TimePoint at) {
  registry::SessionRecord s;
  s.session_id = id;
  s.account_id = "111111111111";
  s.certificate_id = std::string(64, 'c');
  s.client_id = "client-" + id;
  s.source_ip = "198.51.100.1";
  s.source_port = 1234;
  s.mqtt_version = 5;
  s.keep_alive_s = 60;
  s.connect_time = at;
  s.last_packet_time = at;
  return s;
}

registry::RefusedConnection Refused(const std::string& id, TimePoint at) {
  registry::RefusedConnection r;
  r.id = id;
  r.time = at;
  r.reason = "CERTIFICATE_REVOKED";
  return r;
}

// Waits (bounded) for a condition another thread makes true.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 5000; ++i) {
    if (pred()) {
      return true;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return pred();
}

class ConnectionLogWriterTest : public ::testing::Test {
 protected:
  ConnectionLogWriterTest() : clock_(pki::testing::kReferenceTime) {
    options_.node_id = "node-1";
    options_.max_queue = 4;
    options_.max_queue_critical = 8;
    options_.max_pending_activity = 2;
    options_.max_batch = 3;
    options_.linger = milliseconds(1);
    options_.retry_delay = milliseconds(1);
  }

  // RunOnce until nothing is pending.
  static void Drain(ConnectionLogWriter& writer) {
    for (int i = 0; i < 100 && writer.pending() > 0; ++i) {
      ASSERT_TRUE(writer.RunOnce().has_value());
    }
    ASSERT_EQ(writer.pending(), 0u);
  }

  ManualClock clock_;
  FakeConnectionLogStore store_;
  ConnectionLogWriterOptions options_;
};

TEST_F(ConnectionLogWriterTest, WritesInOrderedBatchesAndStampsTheNode) {
  ConnectionLogWriter writer(store_, clock_, options_);
  const TimePoint t = clock_.Now();
  writer.SessionOpened(Session("s1", t));
  writer.SessionActivity("s1", t + milliseconds(10));
  writer.SessionOpened(Session("s2", t));
  writer.ConnectionRefused(Refused("r1", t));
  writer.SessionClosed("s2", t + milliseconds(5), t + milliseconds(20), "CONNECTION_LOST");
  EXPECT_EQ(writer.pending(), 5u);
  Drain(writer);
  EXPECT_EQ(store_.batch_sizes(), (std::vector<size_t>{3, 2}));

  // The activity update goes after every queued record.
  auto applied = store_.applied();
  ASSERT_EQ(applied.size(), 5u);
  EXPECT_TRUE(std::holds_alternative<registry::SessionActivity>(applied.back()));

  auto sessions = store_.sessions();
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions["s1"].node_id, "node-1");
  EXPECT_EQ(sessions["s1"].last_packet_time, t + milliseconds(10));
  EXPECT_FALSE(sessions["s1"].disconnect_time.has_value());
  EXPECT_EQ(sessions["s2"].disconnect_time, t + milliseconds(20));
  EXPECT_EQ(sessions["s2"].disconnect_reason, "CONNECTION_LOST");
  EXPECT_EQ(store_.refused_count(), 1u);
  EXPECT_EQ(writer.stats().written, 5u);
  EXPECT_EQ(writer.stats().batches, 2u);
}

TEST_F(ConnectionLogWriterTest, ActivityIsCoalescedAndBounded) {
  ConnectionLogWriter writer(store_, clock_, options_);
  const TimePoint t = clock_.Now();
  for (const char* id : {"a", "b"}) {
    writer.SessionOpened(Session(id, t));
  }
  Drain(writer);
  writer.SessionActivity("a", t + milliseconds(3));
  writer.SessionActivity("a", t + milliseconds(9));
  writer.SessionActivity("a", t + milliseconds(4));  // older: never lowers
  writer.SessionActivity("b", t + milliseconds(1));
  writer.SessionActivity("c", t + milliseconds(1));  // third distinct session: over the bound
  EXPECT_EQ(writer.pending(), 2u);
  EXPECT_EQ(writer.stats().dropped_activity, 1u);
  Drain(writer);
  EXPECT_EQ(store_.sessions()["a"].last_packet_time, t + milliseconds(9));

  // A close absorbs a pending update for its session.
  writer.SessionActivity("b", t + milliseconds(50));
  writer.SessionClosed("b", t + milliseconds(2), t + milliseconds(60), "MQTT_KEEP_ALIVE_TIMEOUT");
  EXPECT_EQ(writer.pending(), 1u);
  Drain(writer);
  EXPECT_EQ(store_.sessions()["b"].last_packet_time, t + milliseconds(50));
}

TEST_F(ConnectionLogWriterTest, OverflowDropsRefusalsButNeverSessionRecords) {
  ConnectionLogWriter writer(store_, clock_, options_);
  const TimePoint t = clock_.Now();
  for (int i = 0; i < 6; ++i) {
    writer.ConnectionRefused(Refused("r" + std::to_string(i), t));
  }
  EXPECT_EQ(writer.stats().dropped_refused, 2u);  // max_queue = 4
  // Session records use the room up to max_queue_critical = 8 ...
  for (int i = 0; i < 4; ++i) {
    writer.SessionOpened(Session("s" + std::to_string(i), t));
  }
  writer.ConnectionRefused(Refused("r-late", t));
  EXPECT_EQ(writer.stats().dropped_refused, 3u);
  EXPECT_EQ(writer.stats().producer_waits, 0u);
  // ... and then wait for the writer instead of being dropped.
  auto blocked = std::async(std::launch::async, [&] {
    writer.SessionClosed("s0", t, t + milliseconds(1), "CLIENT_INITIATED_DISCONNECT");
  });
  ASSERT_TRUE(Eventually([&] { return writer.stats().producer_waits == 1; }));
  EXPECT_EQ(blocked.wait_for(milliseconds(0)), std::future_status::timeout);
  ASSERT_TRUE(writer.RunOnce().has_value());
  blocked.get();
  Drain(writer);
  auto sessions = store_.sessions();
  EXPECT_EQ(sessions.size(), 4u);
  EXPECT_TRUE(sessions["s0"].disconnect_time.has_value());
  EXPECT_EQ(store_.refused_count(), 4u);
  EXPECT_EQ(writer.stats().lost, 0u);
}

TEST_F(ConnectionLogWriterTest, FailedBatchIsRetriedUnchanged) {
  ConnectionLogWriter writer(store_, clock_, options_);
  writer.SessionOpened(Session("s1", clock_.Now()));
  writer.SessionOpened(Session("s2", clock_.Now()));
  ASSERT_TRUE(writer.RunOnce().has_value());  // first call: heartbeat, then the batch
  writer.SessionOpened(Session("s3", clock_.Now()));
  store_.FailNext(2);
  EXPECT_FALSE(writer.RunOnce().has_value());
  EXPECT_FALSE(writer.RunOnce().has_value());
  EXPECT_EQ(writer.pending(), 1u);
  ASSERT_EQ(writer.RunOnce().value(), 1u);
  EXPECT_EQ(store_.sessions().size(), 3u);
  EXPECT_EQ(writer.stats().store_failures, 2u);
}

TEST_F(ConnectionLogWriterTest, HeartbeatFollowsTheInjectedClock) {
  options_.heartbeat_interval = std::chrono::seconds(10);
  ConnectionLogWriter writer(store_, clock_, options_);
  ASSERT_TRUE(writer.RunOnce().has_value());
  ASSERT_TRUE(writer.RunOnce().has_value());
  EXPECT_EQ(store_.heartbeat_calls(), 1);
  clock_.Advance(std::chrono::seconds(10));
  ASSERT_TRUE(writer.RunOnce().has_value());
  EXPECT_EQ(store_.heartbeat_calls(), 2);
  EXPECT_EQ(writer.stats().heartbeats, 2u);
}

TEST_F(ConnectionLogWriterTest, RunWritesEverythingBeforeStopReturns) {
  options_.max_queue_critical = 64;
  options_.max_batch = 16;
  ConnectionLogWriter writer(store_, clock_, options_);
  auto run = std::async(std::launch::async, [&] { writer.Run(); });
  constexpr int kPerProducer = 500;
  auto produce = [&](const std::string& prefix) {
    for (int i = 0; i < kPerProducer; ++i) {
      const std::string id = prefix + std::to_string(i);
      writer.SessionOpened(Session(id, clock_.Now()));
      writer.SessionActivity(id, clock_.Now() + milliseconds(1));
      writer.SessionClosed(id, clock_.Now(), clock_.Now() + milliseconds(2), "CONNECTION_LOST");
    }
  };
  auto p1 = std::async(std::launch::async, produce, "a");
  auto p2 = std::async(std::launch::async, produce, "b");
  p1.get();
  p2.get();
  writer.Stop();
  run.get();
  auto sessions = store_.sessions();
  ASSERT_EQ(sessions.size(), 2u * kPerProducer);
  for (const auto& [id, s] : sessions) {
    ASSERT_TRUE(s.disconnect_time.has_value()) << id;
  }
  EXPECT_EQ(writer.stats().lost, 0u);
  EXPECT_EQ(writer.pending(), 0u);
  // After Run returned nothing blocks and nothing is silently kept.
  writer.SessionOpened(Session("late", clock_.Now()));
  EXPECT_EQ(writer.stats().lost, 1u);
}

TEST_F(ConnectionLogWriterTest, StopGivesUpOnADeadStoreAndCountsTheLoss) {
  options_.final_attempts = 2;
  ConnectionLogWriter writer(store_, clock_, options_);
  writer.SessionOpened(Session("s1", clock_.Now()));
  writer.SessionOpened(Session("s2", clock_.Now()));
  store_.FailNext(1'000'000);
  writer.Stop();
  writer.Run();  // returns: Stop was requested and the store keeps failing
  EXPECT_EQ(writer.stats().lost, 2u);
  EXPECT_TRUE(store_.sessions().empty());
}

TEST(FakeConnectionLogStoreTest, FollowsTheContract) {
  FakeConnectionLogStore store;
  const TimePoint t0 = pki::testing::kReferenceTime;
  auto s = [&](const std::string& id, const std::string& cert, int64_t connect_s) {
    registry::SessionRecord r = Session(id, t0 + std::chrono::seconds(connect_s));
    r.certificate_id = cert;
    r.node_id = "node-1";
    return r;
  };
  std::vector<registry::ConnectionLogEvent> batch = {
      registry::SessionOpened{s("s3", "b", 5)},
      registry::SessionOpened{s("s1", "a", 10)},
      registry::SessionOpened{s("s2", "a", 0)},
      registry::SessionClosed{"s2", t0 + std::chrono::seconds(1), t0 + std::chrono::seconds(2),
                              "CLIENT_INITIATED_DISCONNECT"},
      registry::SessionActivity{"s1", t0 + std::chrono::seconds(30)},
  };
  ASSERT_TRUE(store.AppendBatch(batch).has_value());
  ASSERT_TRUE(store.AppendBatch(batch).has_value());  // idempotent
  EXPECT_EQ(store.sessions().size(), 3u);

  registry::SessionQuery q{"111111111111", t0, t0 + std::chrono::seconds(100), std::nullopt, 2};
  auto page1 = store.ListSessions(q);
  ASSERT_TRUE(page1.has_value());
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].session_id, "s2");  // (certificate, connect time) order
  EXPECT_EQ((*page1)[1].session_id, "s1");
  q.after = registry::SessionCursor{(*page1)[1].certificate_id, (*page1)[1].connect_time,
                                    (*page1)[1].session_id};
  auto page2 = store.ListSessions(q);
  ASSERT_TRUE(page2.has_value());
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_EQ((*page2)[0].session_id, "s3");
  // s2 ended before this window starts and s1 connected after it ends.
  auto late = store.ListSessions({"111111111111", t0 + std::chrono::seconds(3),
                                  t0 + std::chrono::seconds(6), std::nullopt, 0});
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->size(), 1u);

  ASSERT_TRUE(store.Heartbeat("node-1", t0 + std::chrono::seconds(20)).has_value());
  EXPECT_EQ(store.CloseOrphanedSessions("node-1").value(), 2);
  auto sessions = store.sessions();
  EXPECT_EQ(sessions["s3"].disconnect_time, t0 + std::chrono::seconds(20));
  // Never before the last packet.
  EXPECT_EQ(sessions["s1"].disconnect_time, t0 + std::chrono::seconds(30));
  EXPECT_EQ(sessions["s1"].disconnect_reason, "CONNECTION_LOST");
  EXPECT_EQ(store.CloseOrphanedSessions("node-1").value(), 0);
}

TEST(SessionRecordTest, BuiltFromTheConnectionAndTheEstablishedSession) {
  SessionInfo info;
  info.account_id = "111111111111";
  info.certificate_id = std::string(64, 'c');
  info.session_id = "5d1c7e2a-0b7f-4c1e-8a3e-9f0d1c2b3a4d";
  info.source_ip = "2001:db8::7";
  info.source_port = 443;
  mqtt::SessionEstablished established;
  established.client_id = "$fg-assigned";
  established.client_id_assigned = true;
  established.version = mqtt::ProtocolVersion::kV5;
  established.keep_alive_seconds = 1200;
  established.at = pki::testing::kReferenceTime;
  registry::SessionRecord r = MakeSessionRecord(info, established);
  EXPECT_EQ(r.session_id, info.session_id);
  EXPECT_EQ(r.account_id, info.account_id);
  EXPECT_EQ(r.certificate_id, info.certificate_id);
  EXPECT_EQ(r.client_id, "$fg-assigned");
  EXPECT_EQ(r.source_ip, "2001:db8::7");
  EXPECT_EQ(r.source_port, 443);
  EXPECT_EQ(r.mqtt_version, 5);
  EXPECT_EQ(r.keep_alive_s, 1200);
  EXPECT_EQ(r.connect_time, established.at);
  EXPECT_EQ(r.last_packet_time, established.at);
  EXPECT_FALSE(r.disconnect_time.has_value());
}

}  // namespace
}  // namespace fg::gateway::testing
