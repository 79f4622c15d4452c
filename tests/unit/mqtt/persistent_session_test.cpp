// The Session's side of persistent sessions (AWS IoT Core "MQTT persistent sessions"): the
// expiry it settles on, the CONNACK that waits for OnResume, what it hands out when it ends,
// and what it does with a stored session handed back.

#include <gtest/gtest.h>

#include "core/clock.h"
#include "mqtt/encoder.h"
#include "mqtt/session.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using testing::Bytes;

constexpr auto kV3 = ProtocolVersion::kV311;
constexpr auto kV5 = ProtocolVersion::kV5;

template <typename T>
std::vector<T> All(const Actions& actions) {
  std::vector<T> out;
  for (const Action& a : actions) {
    if (const T* t = std::get_if<T>(&a)) {
      out.push_back(*t);
    }
  }
  return out;
}

std::vector<Packet> Sent(const Actions& actions, ProtocolVersion version) {
  Bytes wire;
  for (const auto& s : All<SendBytes>(actions)) {
    wire.insert(wire.end(), s.bytes.begin(), s.bytes.end());
  }
  Framer framer(1 << 20);
  framer.set_version(version);
  std::span<const std::uint8_t> in(wire);
  std::vector<Packet> out;
  while (true) {
    auto r = framer.Next(in);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (!r || !r->has_value()) {
      break;
    }
    out.push_back(std::move(**r));
  }
  return out;
}

ApplicationMessage Message(std::string topic, std::string payload, QoS qos = QoS::kAtLeastOnce) {
  return ApplicationMessage{std::move(topic), std::move(payload), qos, false, {}};
}

class PersistentSessionTest : public ::testing::Test {
 protected:
  // Connects "device-1" and, for Clean Start 0, resumes with `stored`.
  Actions Connect(ProtocolVersion version, bool clean_start,
                  std::optional<std::uint32_t> expiry = std::nullopt,
                  std::optional<SessionState> stored = std::nullopt) {
    session_ = std::make_unique<Session>(limits_, clock_.Now());
    session_->OnAuthenticated("cert-id", "s1");
    ConnectPacket c = testing::MakeConnect(version, "device-1");
    c.clean_start = clean_start;
    if (expiry) {
      c.properties.push_back(Property::Number(PropertyId::kSessionExpiryInterval, *expiry));
    }
    version_ = version;
    Actions a = Feed(c);
    if (!clean_start) {
      EXPECT_EQ(session_->state(), Session::State::kResuming);
      EXPECT_TRUE(All<SendBytes>(a).empty()) << "CONNACK before OnResume";
      Actions resumed = session_->OnResume(std::move(stored), clock_.Now());
      a.insert(a.end(), resumed.begin(), resumed.end());
    }
    EXPECT_EQ(session_->state(), Session::State::kConnected);
    return a;
  }

  Actions Feed(const Packet& packet) {
    return session_->OnBytes(Encode(packet, version_), clock_.Now());
  }

  static DisconnectRecord Record(const Actions& a) {
    auto records = All<DisconnectRecord>(a);
    EXPECT_EQ(records.size(), 1u);
    return records.empty() ? DisconnectRecord{} : records.front();
  }

  static ConnackPacket Connack(const Actions& a, ProtocolVersion version) {
    auto sent = Sent(a, version);
    EXPECT_FALSE(sent.empty());
    return sent.empty() ? ConnackPacket{} : std::get<ConnackPacket>(sent.front());
  }

  Limits limits_;
  ManualClock clock_{FromEpochSeconds(1'700'000'000)};
  std::unique_ptr<Session> session_;
  ProtocolVersion version_ = kV3;
};

TEST_F(PersistentSessionTest, ExpiryFromCleanSessionAndSessionExpiryInterval) {
  struct Case {
    const char* name;
    ProtocolVersion version;
    bool clean_start;
    std::optional<std::uint32_t> requested;
    std::uint32_t used;
    std::optional<std::uint32_t> announced;  // v5 CONNACK Session Expiry Interval
  };
  const std::vector<Case> cases = {
      {"v311_clean", kV3, true, std::nullopt, 0, std::nullopt},
      {"v311_persistent_gets_the_account_period", kV3, false, std::nullopt, 3600, std::nullopt},
      {"v5_absent_means_0", kV5, false, std::nullopt, 0, std::nullopt},
      {"v5_zero", kV5, true, 0, 0, std::nullopt},
      {"v5_within_the_cap", kV5, false, 600, 600, std::nullopt},
      {"v5_clean_start_still_persists_after", kV5, true, 600, 600, std::nullopt},
      {"v5_over_the_cap", kV5, false, 7200, 3600, 3600},
      {"v5_never_is_capped", kV5, false, 0xFFFFFFFF, 3600, 3600},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Actions a = Connect(c.version, c.clean_start, c.requested);
    auto established = All<SessionEstablished>(a);
    ASSERT_EQ(established.size(), 1u);
    EXPECT_EQ(established[0].session_expiry_seconds, c.used);
    EXPECT_EQ(established[0].clean_start, c.clean_start);
    EXPECT_EQ(session_->session_expiry_seconds(), c.used);
    const ConnackPacket ack = Connack(a, c.version);
    EXPECT_FALSE(ack.session_present);
    const Property* announced = FindProperty(ack.properties, PropertyId::kSessionExpiryInterval);
    ASSERT_EQ(announced != nullptr, c.announced.has_value());
    if (announced != nullptr) {
      EXPECT_EQ(announced->number, *c.announced);
    }
  }
}

TEST_F(PersistentSessionTest, AccountPeriodZeroTurnsPersistenceOff) {
  limits_.persistent_session_expiry_seconds = 0;
  EXPECT_EQ(All<SessionEstablished>(Connect(kV3, false)).at(0).session_expiry_seconds, 0u);
  EXPECT_FALSE(Record(session_->OnConnectionLost(clock_.Now())).persisted.has_value());
}

TEST_F(PersistentSessionTest, EndingHandsOutSubscriptionsUnacknowledgedAndQueued) {
  limits_.outbound.max_inflight = 2;
  Connect(kV3, false);
  Feed(testing::MakeSubscribe(1, {"a/#"}));
  Feed(testing::MakeSubscribe(2, {"b/+"}, QoS::kAtMostOnce));
  for (const char* payload : {"m1", "m2", "m3"}) {
    session_->Deliver(Message("a/x", payload), QoS::kAtLeastOnce, clock_.Now());
  }
  session_->Deliver(Message("a/x", "qos0", QoS::kAtMostOnce), QoS::kAtLeastOnce, clock_.Now());
  Feed(PubackPacket{1, ReasonCode::kSuccess, {}});  // m1 done; m3 goes out as id 3

  const DisconnectRecord record = Record(session_->OnConnectionLost(clock_.Now()));
  ASSERT_TRUE(record.persisted.has_value());
  const SessionState& state = *record.persisted;
  EXPECT_EQ(state.version, kV3);
  EXPECT_EQ(state.expiry_seconds, 3600u);
  ASSERT_EQ(state.subscriptions.size(), 2u);
  EXPECT_EQ(state.subscriptions[0].first, "a/#");
  EXPECT_EQ(state.subscriptions[1].second.max_qos, QoS::kAtMostOnce);
  ASSERT_EQ(state.unacknowledged.size(), 2u);
  EXPECT_EQ(state.unacknowledged[0].payload, "m2");
  EXPECT_EQ(state.unacknowledged[0].packet_id, 2);
  EXPECT_EQ(state.unacknowledged[1].payload, "m3");
  EXPECT_EQ(state.unacknowledged[1].packet_id, 3);
  EXPECT_TRUE(state.pending.empty());
}

TEST_F(PersistentSessionTest, CleanSessionHandsOutNothing) {
  Connect(kV3, true);
  Feed(testing::MakeSubscribe(1, {"a/#"}));
  session_->Deliver(Message("a/x", "m1"), QoS::kAtLeastOnce, clock_.Now());
  EXPECT_FALSE(Record(session_->OnConnectionLost(clock_.Now())).persisted.has_value());
}

TEST_F(PersistentSessionTest, ResumeSendsConnackThenDupResendsThenStoredMessages) {
  SessionState stored;
  stored.version = kV5;
  stored.expiry_seconds = 600;
  stored.subscriptions.emplace_back("a/#", SubscriptionOptions{QoS::kAtLeastOnce});
  PublishPacket unacked = testing::MakePublish("a/1", "was in flight", QoS::kAtLeastOnce, 41);
  unacked.properties.push_back(Property::String(PropertyId::kContentType, "text/plain"));
  stored.unacknowledged.push_back(unacked);
  stored.pending.push_back(Message("a/2", "queued while away"));

  Actions a = Connect(kV5, false, 600, stored);
  auto sent = Sent(a, kV5);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_TRUE(std::get<ConnackPacket>(sent[0]).session_present);
  const auto& resent = std::get<PublishPacket>(sent[1]);
  EXPECT_TRUE(resent.dup);
  EXPECT_EQ(resent.packet_id, 41);
  EXPECT_EQ(resent.payload, "was in flight");
  EXPECT_EQ(resent.properties, unacked.properties);
  const auto& fresh = std::get<PublishPacket>(sent[2]);
  EXPECT_FALSE(fresh.dup);
  EXPECT_NE(fresh.packet_id, 41);
  EXPECT_EQ(fresh.payload, "queued while away");
  ASSERT_EQ(session_->subscriptions().size(), 1u);
  EXPECT_EQ(session_->subscriptions()[0].first, "a/#");
  EXPECT_EQ(session_->outbound().inflight(), 2u);

  // The restored ids are live: acknowledging them frees the window.
  Feed(PubackPacket{41, ReasonCode::kSuccess, {}});
  Feed(PubackPacket{fresh.packet_id, ReasonCode::kSuccess, {}});
  EXPECT_EQ(session_->outbound().inflight(), 0u);
  EXPECT_EQ(session_->outbound().unknown_acks(), 0u);
}

TEST_F(PersistentSessionTest, ResumeRespectsASmallerWindow) {
  limits_.outbound.max_inflight = 1;
  SessionState stored;
  stored.version = kV3;
  stored.expiry_seconds = 3600;
  stored.unacknowledged.push_back(testing::MakePublish("t", "u1", QoS::kAtLeastOnce, 5));
  stored.unacknowledged.push_back(testing::MakePublish("t", "u2", QoS::kAtLeastOnce, 6));
  stored.pending.push_back(Message("t", "p1"));
  auto sent = Sent(Connect(kV3, false, std::nullopt, stored), kV3);
  ASSERT_EQ(sent.size(), 2u);  // CONNACK + one PUBLISH
  EXPECT_EQ(std::get<PublishPacket>(sent[1]).payload, "u1");
  EXPECT_EQ(session_->outbound().queued(), 2u);
  auto next = Sent(Feed(PubackPacket{5, ReasonCode::kSuccess, {}}), kV3);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(std::get<PublishPacket>(next[0]).payload, "u2");  // order kept, under a new id
}

TEST_F(PersistentSessionTest, StoredSessionOfTheOtherVersionIsNotPresent) {
  SessionState stored;
  stored.version = kV5;
  stored.expiry_seconds = 60;
  stored.subscriptions.emplace_back("a/#", SubscriptionOptions{QoS::kAtLeastOnce});
  Actions a = Connect(kV3, false, std::nullopt, stored);
  EXPECT_FALSE(Connack(a, kV3).session_present);
  EXPECT_TRUE(session_->subscriptions().empty());
}

TEST_F(PersistentSessionTest, BytesBehindTheConnectWaitForTheConnack) {
  session_ = std::make_unique<Session>(limits_, clock_.Now());
  session_->OnAuthenticated("cert-id", "s1");
  ConnectPacket c = testing::MakeConnect(kV3, "device-1");
  c.clean_start = false;
  Bytes wire = Encode(c, kV3);
  const Bytes subscribe = Encode(testing::MakeSubscribe(9, {"x/#"}), kV3);
  wire.insert(wire.end(), subscribe.begin(), subscribe.end());
  Actions a = session_->OnBytes(wire, clock_.Now());
  EXPECT_TRUE(All<SendBytes>(a).empty());
  EXPECT_TRUE(All<SubscribeRequest>(a).empty());
  // Anything else that arrives before OnResume is still answered in order after it.
  EXPECT_TRUE(session_->OnBytes(Encode(PingreqPacket{}, kV3), clock_.Now()).empty());
  Actions resumed = session_->OnResume(std::nullopt, clock_.Now());
  auto sent = Sent(resumed, kV3);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<ConnackPacket>(sent[0]));
  EXPECT_TRUE(std::holds_alternative<SubackPacket>(sent[1]));
  EXPECT_TRUE(std::holds_alternative<PingrespPacket>(sent[2]));
  EXPECT_EQ(All<SubscribeRequest>(resumed).size(), 1u);
  EXPECT_TRUE(session_->OnResume(std::nullopt, clock_.Now()).empty());  // once only
}

TEST_F(PersistentSessionTest, V5DisconnectChangesTheExpiry) {
  struct Case {
    const char* name;
    std::uint32_t at_connect;
    std::uint32_t at_disconnect;
    bool protocol_error;
    std::optional<std::uint32_t> persisted;
  };
  const std::vector<Case> cases = {
      {"shorten", 600, 60, false, 60},
      {"lengthen_capped", 600, 7200, false, 3600},
      {"end_with_the_connection", 600, 0, false, std::nullopt},
      {"zero_to_nonzero_is_a_protocol_error", 0, 60, true, std::nullopt},  // MQTT-3.14.2-2
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Connect(kV5, true, c.at_connect);
    DisconnectPacket d;
    d.properties.push_back(Property::Number(PropertyId::kSessionExpiryInterval, c.at_disconnect));
    Actions a = Feed(d);
    const DisconnectRecord record = Record(a);
    if (c.protocol_error) {
      auto sent = Sent(a, kV5);
      ASSERT_EQ(sent.size(), 1u);
      EXPECT_EQ(std::get<DisconnectPacket>(sent[0]).reason_code, ReasonCode::kProtocolError);
      EXPECT_EQ(record.reason, DisconnectReason::kClientError);
    } else {
      EXPECT_EQ(record.reason, DisconnectReason::kClientInitiatedDisconnect);
    }
    ASSERT_EQ(record.persisted.has_value(), c.persisted.has_value());
    if (record.persisted) {
      EXPECT_EQ(record.persisted->expiry_seconds, *c.persisted);
    }
  }
}

}  // namespace
}  // namespace fg::mqtt
