#include "mqtt/session.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "mqtt/encoder.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
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

// Decodes everything the server sent, as a client of `version` would.
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
  EXPECT_TRUE(in.empty());
  return out;
}

class SessionTest : public ::testing::Test {
 protected:
  void Start() {
    session_ = std::make_unique<Session>(limits_, clock_.Now());
    session_->OnAuthenticated("cert-id", "s1");
  }

  Actions Feed(const Packet& packet, ProtocolVersion version) {
    return session_->OnBytes(Encode(packet, version), clock_.Now());
  }

  // Starts a session and connects it with `connect`; expects success.
  Actions Connect(ConnectPacket connect) {
    Start();
    const ProtocolVersion v = connect.version;
    Actions a = Feed(connect, v);
    EXPECT_EQ(session_->state(), Session::State::kConnected);
    return a;
  }

  Actions Connect(ProtocolVersion v, std::uint16_t keep_alive = 60, bool with_will = false) {
    ConnectPacket c = testing::MakeConnect(v, "device-1", keep_alive);
    if (with_will) {
      c.will = Will{"status/device-1", "offline", QoS::kAtLeastOnce, false, {}};
    }
    return Connect(c);
  }

  static DisconnectRecord Record(const Actions& a) {
    auto records = All<DisconnectRecord>(a);
    EXPECT_EQ(records.size(), 1u);
    EXPECT_FALSE(a.empty());
    if (!a.empty()) {
      EXPECT_TRUE(std::holds_alternative<CloseConnection>(a.back()));
    }
    return records.empty() ? DisconnectRecord{} : records.front();
  }

  Limits limits_;
  ManualClock clock_{FromEpochSeconds(1'700'000'000)};
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, ConnectV311GetsConnackAndEstablishes) {
  Actions a = Connect(kV3);
  auto sent = Sent(a, kV3);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<ConnackPacket>(sent[0]).reason_code, ReasonCode::kSuccess);
  auto est = All<SessionEstablished>(a);
  ASSERT_EQ(est.size(), 1u);
  EXPECT_EQ(est[0].client_id, "device-1");
  EXPECT_EQ(est[0].version, kV3);
  EXPECT_EQ(est[0].keep_alive_seconds, 60);
  EXPECT_TRUE(est[0].clean_start);
  EXPECT_EQ(est[0].at, clock_.Now());
}

TEST_F(SessionTest, KeepAliveIsClampedAndAnnouncedInV5) {
  struct Case {
    std::uint16_t requested;
    std::uint16_t used;
  };
  for (const Case c : {Case{0, 1200}, Case{1, 30}, Case{29, 30}, Case{30, 30}, Case{600, 600},
                       Case{1200, 1200}, Case{1201, 1200}, Case{65535, 1200}}) {
    EXPECT_EQ(ClampKeepAlive(c.requested, limits_), c.used) << c.requested;
    Actions a = Connect(kV5, c.requested);
    auto connack = std::get<ConnackPacket>(Sent(a, kV5).at(0));
    const Property* ska = FindProperty(connack.properties, PropertyId::kServerKeepAlive);
    if (c.used == c.requested) {
      EXPECT_EQ(ska, nullptr) << c.requested;
    } else {
      ASSERT_NE(ska, nullptr) << c.requested;
      EXPECT_EQ(ska->number, c.used);
    }
    EXPECT_EQ(session_->keep_alive_seconds(), c.used);
  }
}

TEST_F(SessionTest, V5ConnackAdvertisesWhatIsNotSupported) {
  auto connack = std::get<ConnackPacket>(Sent(Connect(kV5), kV5).at(0));
  EXPECT_EQ(FindProperty(connack.properties, PropertyId::kMaximumQos)->number, 1u);
  EXPECT_EQ(FindProperty(connack.properties, PropertyId::kReceiveMaximum)->number, 100u);
  EXPECT_EQ(FindProperty(connack.properties, PropertyId::kSharedSubscriptionAvailable)->number, 0u);
  EXPECT_EQ(FindProperty(connack.properties, PropertyId::kMaximumPacketSize)->number,
            limits_.max_packet_size);
}

TEST_F(SessionTest, ClientIdRules) {
  struct Case {
    const char* name;
    ProtocolVersion version;
    std::string client_id;
    bool clean_start;
    bool accepted;
    Bytes v311_reply;  // checked for 3.1.1 refusals
  };
  const std::vector<Case> cases = {
      {"128_bytes", kV3, std::string(128, 'a'), true, true, {}},
      {"129_bytes_v311", kV3, std::string(129, 'a'), true, false, {0x20, 0x02, 0x00, 0x02}},
      {"129_bytes_v5", kV5, std::string(129, 'a'), true, false, {}},
      {"dollar_v311", kV3, "$aws-thing", true, false, {0x20, 0x02, 0x00, 0x02}},
      {"dollar_v5", kV5, "$x", true, false, {}},
      {"empty_clean_v311", kV3, "", true, true, {}},
      {"empty_persistent_v311", kV3, "", false, false, {0x20, 0x02, 0x00, 0x02}},
      {"empty_v5", kV5, "", false, true, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Start();
    ConnectPacket connect = testing::MakeConnect(c.version, c.client_id);
    connect.clean_start = c.clean_start;
    Actions a = Feed(connect, c.version);
    if (!All<SessionEstablished>(a).empty() && !c.clean_start) {
      Actions resumed = session_->OnResume(std::nullopt, clock_.Now());
      a.insert(a.end(), resumed.begin(), resumed.end());
    }
    auto connack = std::get<ConnackPacket>(Sent(a, c.version).at(0));
    if (c.accepted) {
      EXPECT_EQ(connack.reason_code, ReasonCode::kSuccess);
      if (c.client_id.empty()) {
        EXPECT_EQ(session_->client_id(), "$fg-s1");
        EXPECT_TRUE(All<SessionEstablished>(a).at(0).client_id_assigned);
        if (c.version == kV5) {
          EXPECT_EQ(FindProperty(connack.properties, PropertyId::kAssignedClientIdentifier)->value,
                    "$fg-s1");
        }
      }
      continue;
    }
    EXPECT_EQ(connack.reason_code, ReasonCode::kClientIdentifierNotValid);
    if (c.version == kV3) {
      EXPECT_EQ(All<SendBytes>(a).at(0).bytes, c.v311_reply);
    }
    const auto rec = Record(a);
    EXPECT_FALSE(rec.established);
    EXPECT_EQ(rec.reason, DisconnectReason::kClientError);
    EXPECT_TRUE(All<SessionEstablished>(a).empty());
  }
}

TEST_F(SessionTest, UnsupportedVersionGetsV311Connack01) {
  Start();
  Bytes connect = Encode(testing::MakeConnect(kV3, "c"), kV3);
  connect[8] = 3;  // protocol level byte
  Actions a = session_->OnBytes(connect, clock_.Now());
  EXPECT_EQ(All<SendBytes>(a).at(0).bytes, (Bytes{0x20, 0x02, 0x00, 0x01}));
  EXPECT_EQ(Record(a).reason, DisconnectReason::kClientError);
}

TEST_F(SessionTest, FirstPacketMustBeConnect) {
  Start();
  Actions a = Feed(PingreqPacket{}, kV3);
  EXPECT_TRUE(All<SendBytes>(a).empty());
  EXPECT_EQ(Record(a).reason, DisconnectReason::kClientError);
  EXPECT_EQ(session_->state(), Session::State::kClosed);
  EXPECT_TRUE(Feed(PingreqPacket{}, kV3).empty());  // closed sessions ignore input
}

TEST_F(SessionTest, BytesBeforeAuthenticationAreRefused) {
  session_ = std::make_unique<Session>(limits_, clock_.Now());
  Actions a = session_->OnBytes(Encode(testing::MakeConnect(kV3, "c"), kV3), clock_.Now());
  EXPECT_TRUE(All<SendBytes>(a).empty());
  EXPECT_EQ(Record(a).reason, DisconnectReason::kAuthError);
}

TEST_F(SessionTest, ConnectDeadline) {
  Start();
  EXPECT_EQ(session_->NextDeadline(), clock_.Now() + limits_.connect_timeout);
  clock_.Advance(limits_.connect_timeout - milliseconds(1));
  EXPECT_TRUE(session_->OnTick(clock_.Now()).empty());
  clock_.Advance(milliseconds(1));
  Actions a = session_->OnTick(clock_.Now());
  const auto rec = Record(a);
  EXPECT_EQ(rec.reason, DisconnectReason::kClientError);
  EXPECT_FALSE(rec.established);
  EXPECT_EQ(session_->NextDeadline(), std::nullopt);
}

TEST_F(SessionTest, SecondConnectIsAProtocolErrorAndSendsTheWill) {
  Connect(kV5, 60, /*with_will=*/true);
  Actions a = Feed(testing::MakeConnect(kV5, "device-1"), kV5);
  auto sent = Sent(a, kV5);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<DisconnectPacket>(sent[0]).reason_code, ReasonCode::kProtocolError);
  const auto rec = Record(a);
  EXPECT_EQ(rec.reason, DisconnectReason::kClientError);
  EXPECT_TRUE(rec.will_sent);
  auto wills = All<PublishWill>(a);
  ASSERT_EQ(wills.size(), 1u);
  EXPECT_EQ(wills[0].message.topic, "status/device-1");
  EXPECT_EQ(wills[0].message.payload, "offline");
}

TEST_F(SessionTest, PublishQos0AndQos1) {
  Connect(kV3);
  Actions a0 = Feed(testing::MakePublish("dt/a", "x"), kV3);
  ASSERT_EQ(All<DeliverMessage>(a0).size(), 1u);
  EXPECT_EQ(All<DeliverMessage>(a0)[0].message,
            (ApplicationMessage{"dt/a", "x", QoS::kAtMostOnce, false, {}}));
  EXPECT_TRUE(All<SendBytes>(a0).empty());

  PublishPacket q1 = testing::MakePublish("dt/b", "y", QoS::kAtLeastOnce, 42);
  q1.retain = true;
  Actions a1 = Feed(q1, kV3);
  ASSERT_EQ(All<DeliverMessage>(a1).size(), 1u);
  EXPECT_TRUE(All<DeliverMessage>(a1)[0].message.retain);
  auto sent = Sent(a1, kV3);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<PubackPacket>(sent[0]).packet_id, 42);
}

TEST_F(SessionTest, Qos2PublishIsRefused) {
  for (ProtocolVersion v : {kV3, kV5}) {
    Connect(v, 60, true);
    Actions a = Feed(testing::MakePublish("a", "x", QoS::kExactlyOnce, 1), v);
    EXPECT_TRUE(All<DeliverMessage>(a).empty());
    auto sent = Sent(a, v);
    if (v == kV5) {
      ASSERT_EQ(sent.size(), 1u);
      EXPECT_EQ(std::get<DisconnectPacket>(sent[0]).reason_code, ReasonCode::kQosNotSupported);
    } else {
      EXPECT_TRUE(sent.empty());  // 3.1.1 has no server DISCONNECT
    }
    EXPECT_EQ(Record(a).reason, DisconnectReason::kClientError);
    EXPECT_TRUE(Record(a).will_sent);
  }
}

TEST_F(SessionTest, WillWithQos2IsRefusedAtConnect) {
  Start();
  ConnectPacket c = testing::MakeConnect(kV5, "d");
  c.will = Will{"w", "x", QoS::kExactlyOnce, false, {}};
  Actions a = Feed(c, kV5);
  EXPECT_EQ(std::get<ConnackPacket>(Sent(a, kV5).at(0)).reason_code, ReasonCode::kQosNotSupported);
  Start();
  c.version = kV3;
  a = Feed(c, kV3);
  EXPECT_TRUE(All<SendBytes>(a).empty());  // no 3.1.1 code: close without CONNACK
  EXPECT_FALSE(Record(a).will_sent);
}

TEST_F(SessionTest, PublishLimits) {
  struct Case {
    const char* name;
    PublishPacket publish;
    ReasonCode code;
  };
  PublishPacket alias = testing::MakePublish("a", "x");
  alias.properties = {Property::Number(PropertyId::kTopicAlias, 1)};
  const std::vector<Case> cases = {
      {"payload_over_128k", testing::MakePublish("a", std::string(128 * 1024 + 1, 'p')),
       ReasonCode::kPacketTooLarge},
      {"packet_over_max", testing::MakePublish("a", std::string(limits_.max_packet_size, 'p')),
       ReasonCode::kPacketTooLarge},
      {"eight_slashes", testing::MakePublish("a/b/c/d/e/f/g/h/i", "x"),
       ReasonCode::kTopicNameInvalid},
      {"topic_257_bytes", testing::MakePublish(std::string(257, 't'), "x"),
       ReasonCode::kTopicNameInvalid},
      {"topic_alias", alias, ReasonCode::kTopicAliasInvalid},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Connect(kV5);
    Actions a = Feed(c.publish, kV5);
    EXPECT_TRUE(All<DeliverMessage>(a).empty());
    EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code, c.code);
    EXPECT_EQ(Record(a).reason, DisconnectReason::kClientError);
  }
  // Exactly at the limits is fine.
  Connect(kV5);
  Actions ok = Feed(
      testing::MakePublish("a/b/c/d/e/f/g/" + std::string(242, 't'), std::string(128 * 1024, 'p')),
      kV5);
  EXPECT_EQ(All<DeliverMessage>(ok).size(), 1u);
}

TEST_F(SessionTest, SubscribeGrantsAtMostQos1AndRejectsBadFilters) {
  for (ProtocolVersion v : {kV3, kV5}) {
    Connect(v);
    Actions a = Feed(
        testing::MakeSubscribe(7, {"a/b", "c/#", "a/#/b", "$share/g/x", "s+"}, QoS::kExactlyOnce),
        v);
    auto requests = All<SubscribeRequest>(a);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].filter, "a/b");
    EXPECT_EQ(requests[0].options.max_qos, QoS::kAtLeastOnce);
    EXPECT_EQ(requests[1].filter, "c/#");
    auto suback = std::get<SubackPacket>(Sent(a, v).at(0));
    EXPECT_EQ(suback.packet_id, 7);
    if (v == kV5) {
      EXPECT_EQ(
          suback.reason_codes,
          (std::vector<ReasonCode>{
              ReasonCode::kGrantedQos1, ReasonCode::kGrantedQos1, ReasonCode::kTopicFilterInvalid,
              ReasonCode::kSharedSubscriptionsNotSupported, ReasonCode::kTopicFilterInvalid}));
    } else {
      EXPECT_EQ(
          suback.reason_codes,
          (std::vector<ReasonCode>{ReasonCode::kGrantedQos1, ReasonCode::kGrantedQos1,
                                   ReasonCode::kUnspecifiedError, ReasonCode::kUnspecifiedError,
                                   ReasonCode::kUnspecifiedError}));
    }
    EXPECT_EQ(session_->subscriptions().size(), 2u);
  }
}

TEST_F(SessionTest, SubscriptionQuotas) {
  Connect(kV5);
  for (int i = 0; i < 50; ++i) {
    Actions a = Feed(testing::MakeSubscribe(1, {"t/" + std::to_string(i)}), kV5);
    ASSERT_EQ(std::get<SubackPacket>(Sent(a, kV5).at(0)).reason_codes.at(0),
              ReasonCode::kGrantedQos1);
  }
  Actions over = Feed(testing::MakeSubscribe(2, {"t/50", "t/0"}), kV5);
  auto codes = std::get<SubackPacket>(Sent(over, kV5).at(0)).reason_codes;
  EXPECT_EQ(codes, (std::vector<ReasonCode>{ReasonCode::kQuotaExceeded, ReasonCode::kGrantedQos1}));
  ASSERT_EQ(All<SubscribeRequest>(over).size(), 1u);
  EXPECT_TRUE(All<SubscribeRequest>(over)[0].existed);  // re-subscribing replaces
  EXPECT_EQ(session_->subscriptions().size(), 50u);

  Connect(kV5);
  std::vector<std::string> nine;
  for (int i = 0; i < 9; ++i) {
    nine.push_back("f/" + std::to_string(i));
  }
  Actions a = Feed(testing::MakeSubscribe(3, nine), kV5);
  EXPECT_EQ(std::get<SubackPacket>(Sent(a, kV5).at(0)).reason_codes,
            std::vector<ReasonCode>(9, ReasonCode::kQuotaExceeded));
  EXPECT_TRUE(All<SubscribeRequest>(a).empty());
}

TEST_F(SessionTest, Unsubscribe) {
  Connect(kV5);
  Feed(testing::MakeSubscribe(1, {"a/+"}), kV5);
  Actions a = Feed(UnsubscribePacket{2, {}, {"a/+", "nope"}}, kV5);
  ASSERT_EQ(All<UnsubscribeRequest>(a).size(), 1u);
  EXPECT_EQ(All<UnsubscribeRequest>(a)[0].filter, "a/+");
  EXPECT_EQ(std::get<UnsubackPacket>(Sent(a, kV5).at(0)).reason_codes,
            (std::vector<ReasonCode>{ReasonCode::kSuccess, ReasonCode::kNoSubscriptionExisted}));
  EXPECT_TRUE(session_->subscriptions().empty());
}

TEST_F(SessionTest, PingreqGetsPingresp) {
  Connect(kV3);
  auto sent = Sent(Feed(PingreqPacket{}, kV3), kV3);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<PingrespPacket>(sent[0]));
}

TEST_F(SessionTest, KeepAliveTimeoutAtExactlyOneAndAHalfTimes) {
  Connect(kV5, 60, true);
  // A packet at 50 s restarts the 90 s window.
  clock_.Advance(seconds(50));
  Feed(PingreqPacket{}, kV5);
  EXPECT_EQ(session_->NextDeadline(), clock_.Now() + seconds(90));
  clock_.Advance(seconds(90) - milliseconds(1));
  EXPECT_TRUE(session_->OnTick(clock_.Now()).empty());
  clock_.Advance(milliseconds(1));
  Actions a = session_->OnTick(clock_.Now());
  EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code,
            ReasonCode::kKeepAliveTimeout);
  const auto rec = Record(a);
  EXPECT_EQ(rec.reason, DisconnectReason::kMqttKeepAliveTimeout);
  EXPECT_TRUE(rec.will_sent);
  EXPECT_TRUE(rec.established);
  EXPECT_EQ(rec.at, clock_.Now());
}

TEST_F(SessionTest, LateBytesAfterTheDeadlineStillTimeOut) {
  Connect(kV3, 30);
  clock_.Advance(seconds(45));
  Actions a = Feed(PingreqPacket{}, kV3);
  EXPECT_EQ(Record(a).reason, DisconnectReason::kMqttKeepAliveTimeout);
  EXPECT_TRUE(All<SendBytes>(a).empty());
}

TEST_F(SessionTest, DisconnectDiscardsTheWillUnlessAskedFor) {
  Connect(kV5, 60, true);
  Actions normal = Feed(DisconnectPacket{}, kV5);
  EXPECT_TRUE(All<PublishWill>(normal).empty());
  EXPECT_EQ(Record(normal).reason, DisconnectReason::kClientInitiatedDisconnect);
  EXPECT_TRUE(Record(normal).client_initiated);
  EXPECT_TRUE(All<SendBytes>(normal).empty());

  Connect(kV5, 60, true);
  Actions with_will = Feed(DisconnectPacket{ReasonCode::kDisconnectWithWill, {}}, kV5);
  EXPECT_EQ(All<PublishWill>(with_will).size(), 1u);
  EXPECT_TRUE(Record(with_will).will_sent);

  Connect(kV3, 60, true);
  EXPECT_TRUE(All<PublishWill>(Feed(DisconnectPacket{}, kV3)).empty());
}

TEST_F(SessionTest, AbnormalCloseSendsTheWillWithItsDelay) {
  ConnectPacket c = testing::MakeConnect(kV5, "d");
  c.properties.push_back(Property::Number(PropertyId::kSessionExpiryInterval, 600));
  c.will = Will{"w/t",
                "gone",
                QoS::kAtLeastOnce,
                true,
                {Property::Number(PropertyId::kWillDelayInterval, 30),
                 Property::String(PropertyId::kContentType, "text/plain")}};
  Connect(c);
  Actions a = session_->OnConnectionLost(clock_.Now());
  EXPECT_TRUE(All<SendBytes>(a).empty());
  auto wills = All<PublishWill>(a);
  ASSERT_EQ(wills.size(), 1u);
  EXPECT_EQ(wills[0].delay_seconds, 30u);
  EXPECT_TRUE(wills[0].message.retain);
  EXPECT_EQ(wills[0].message.properties,
            (Properties{Property::String(PropertyId::kContentType, "text/plain")}));
  EXPECT_EQ(Record(a).reason, DisconnectReason::kConnectionLost);
  EXPECT_TRUE(session_->OnConnectionLost(clock_.Now()).empty());  // only once

  // §3.1.3.2.2: the will goes when the session ends, if that is before the delay.
  for (const std::uint32_t expiry : {0u, 10u}) {
    c.properties = {Property::Number(PropertyId::kSessionExpiryInterval, expiry)};
    Connect(c);
    wills = All<PublishWill>(session_->OnConnectionLost(clock_.Now()));
    ASSERT_EQ(wills.size(), 1u);
    EXPECT_EQ(wills[0].delay_seconds, expiry);
  }
}

TEST_F(SessionTest, TakeoverDisconnectsTheOldSession) {
  Connect(kV5, 60, true);
  Actions a = session_->OnServerDisconnect(ServerDisconnectCause::kSessionTakenOver, clock_.Now());
  EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code,
            ReasonCode::kSessionTakenOver);
  EXPECT_EQ(Record(a).reason, DisconnectReason::kDuplicateClientId);
  EXPECT_EQ(All<PublishWill>(a).size(), 1u);

  Connect(kV3, 60, true);
  a = session_->OnServerDisconnect(ServerDisconnectCause::kSessionTakenOver, clock_.Now());
  EXPECT_TRUE(All<SendBytes>(a).empty());
  EXPECT_EQ(Record(a).reason, DisconnectReason::kDuplicateClientId);
  EXPECT_EQ(All<PublishWill>(a).size(), 1u);
}

TEST_F(SessionTest, ServerDisconnectCauses) {
  struct Case {
    ServerDisconnectCause cause;
    bool prevent_will;
    ReasonCode code;
    DisconnectReason reason;
    bool will;
  };
  for (const Case c : {
           Case{ServerDisconnectCause::kNotAuthorized, false, ReasonCode::kNotAuthorized,
                DisconnectReason::kAuthError, true},
           Case{ServerDisconnectCause::kServerShuttingDown, false, ReasonCode::kServerShuttingDown,
                DisconnectReason::kServerInitiatedDisconnect, true},
           Case{ServerDisconnectCause::kAdministrative, false, ReasonCode::kAdministrativeAction,
                DisconnectReason::kApiInitiatedDisconnect, true},
           Case{ServerDisconnectCause::kAdministrative, true, ReasonCode::kAdministrativeAction,
                DisconnectReason::kApiInitiatedDisconnect, false},
       }) {
    Connect(kV5, 60, true);
    Actions a = session_->OnServerDisconnect(c.cause, clock_.Now(), c.prevent_will);
    EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code, c.code);
    EXPECT_EQ(Record(a).reason, c.reason);
    EXPECT_EQ(Record(a).will_sent, c.will);
  }
}

TEST_F(SessionTest, OutboundDeliveryRespectsTheWindow) {
  limits_.outbound.max_inflight = 2;
  limits_.outbound.max_queued = 1;
  Connect(kV5);
  const ApplicationMessage m{"t", "x", QoS::kAtLeastOnce, false, {}};
  auto p1 = std::get<PublishPacket>(
      Sent(session_->Deliver(m, QoS::kAtLeastOnce, clock_.Now()), kV5).at(0));
  auto p2 = std::get<PublishPacket>(
      Sent(session_->Deliver(m, QoS::kAtLeastOnce, clock_.Now()), kV5).at(0));
  EXPECT_NE(p1.packet_id, p2.packet_id);
  EXPECT_TRUE(session_->Deliver(m, QoS::kAtLeastOnce, clock_.Now()).empty());  // queued
  EXPECT_TRUE(session_->Deliver(m, QoS::kAtLeastOnce, clock_.Now()).empty());  // dropped
  EXPECT_TRUE(session_->Deliver(m, QoS::kAtMostOnce, clock_.Now()).empty());   // QoS 0 dropped
  EXPECT_EQ(session_->outbound().dropped(), 2u);
  auto released = Sent(Feed(PubackPacket{p1.packet_id, ReasonCode::kSuccess, {}}, kV5), kV5);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(std::get<PublishPacket>(released[0]).qos, QoS::kAtLeastOnce);
  // Granted QoS 0 downgrades a QoS 1 message; QoS 0 needs no window slot accounting.
  Feed(PubackPacket{p2.packet_id, ReasonCode::kSuccess, {}}, kV5);
  auto q0 = std::get<PublishPacket>(
      Sent(session_->Deliver(m, QoS::kAtMostOnce, clock_.Now()), kV5).at(0));
  EXPECT_EQ(q0.qos, QoS::kAtMostOnce);
  EXPECT_EQ(q0.packet_id, 0);
}

TEST_F(SessionTest, EnhancedAuthIsRefused) {
  Start();
  ConnectPacket c = testing::MakeConnect(kV5, "d");
  c.properties = {Property::String(PropertyId::kAuthenticationMethod, "SCRAM-SHA-1")};
  Actions a = Feed(c, kV5);
  EXPECT_EQ(std::get<ConnackPacket>(Sent(a, kV5).at(0)).reason_code,
            ReasonCode::kBadAuthenticationMethod);
  Connect(kV5);
  a = Feed(AuthPacket{ReasonCode::kReAuthenticate, {}}, kV5);
  EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code, ReasonCode::kProtocolError);
}

TEST_F(SessionTest, MalformedPacketAfterConnectDisconnectsWith0x81) {
  Connect(kV5, 60, true);
  Actions a = session_->OnBytes(Bytes{0xC1, 0x00}, clock_.Now());  // PINGREQ with flags
  EXPECT_EQ(std::get<DisconnectPacket>(Sent(a, kV5).at(0)).reason_code,
            ReasonCode::kMalformedPacket);
  EXPECT_TRUE(Record(a).will_sent);
}

}  // namespace
}  // namespace fg::mqtt

namespace fg::mqtt {
namespace {

// The gateway budget is 10 KiB per idle TLS connection including OpenSSL; the MQTT state must
// stay a small fraction of it (no per-session buffers allocated up front).
TEST(SessionFootprintTest, IdleSessionIsSmall) {
  EXPECT_LE(sizeof(Session), 384u);
  Limits limits;
  Session session(limits, FromEpochSeconds(0));
  session.OnAuthenticated("c", "s");
  auto a =
      session.OnBytes(Encode(testing::MakeConnect(ProtocolVersion::kV5, "d"), ProtocolVersion::kV5),
                      FromEpochSeconds(0));
  ASSERT_EQ(session.state(), Session::State::kConnected);
  EXPECT_EQ(session.outbound().inflight(), 0u);
}

}  // namespace
}  // namespace fg::mqtt
