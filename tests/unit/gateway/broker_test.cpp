#include "gateway/broker.h"

#include <gtest/gtest.h>

#include "gateway/lifecycle_events.h"
#include "unit/gateway/gateway_fixture.h"
#include "unit/gateway/test_connection.h"

namespace fg::gateway::testing {
namespace {

using mqtt::ProtocolVersion;
using mqtt::QoS;

constexpr char kCertX[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kCertY[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

mqtt::ConnectPacket MakeConnect(ProtocolVersion version, std::string client_id) {
  mqtt::ConnectPacket c;
  c.version = version;
  c.client_id = std::move(client_id);
  c.keep_alive = 60;
  return c;
}

class BrokerTest : public ::testing::Test {
 protected:
  BrokerTest() : clock_(pki::testing::kReferenceTime) {}

  std::shared_ptr<TestConnection> Open(const std::string& account, const std::string& client_id,
                                       ProtocolVersion version = ProtocolVersion::kV5,
                                       const std::string& cert = kCertX,
                                       std::optional<mqtt::Will> will = std::nullopt,
                                       std::optional<std::string> ca = std::nullopt,
                                       uint32_t session_expiry = 0) {
    SessionInfo info;
    info.account_id = account;
    info.certificate_id = cert;
    info.ca_certificate_id = std::move(ca);
    info.session_id = "session-" + std::to_string(++sessions_opened_);
    info.source_ip = "198.51.100." + std::to_string(sessions_opened_);
    info.source_port = 40000;
    auto connection = TestConnection::Create(broker_, limits_, clock_, info);
    mqtt::ConnectPacket connect = MakeConnect(version, client_id);
    connect.will = std::move(will);
    if (session_expiry > 0) {
      connect.properties.push_back(
          mqtt::Property::Number(mqtt::PropertyId::kSessionExpiryInterval, session_expiry));
    }
    connection->Connect(connect);
    EXPECT_FALSE(connection->closed());
    connection->TakePackets();  // CONNACK
    return connection;
  }

  // Subscribes and discards the SUBACK (and any retained messages).
  static void Subscribe(TestConnection& c, const std::string& filter) {
    c.Subscribe(filter);
    c.Pump();
    c.TakePackets();
  }

  static std::vector<std::pair<std::string, std::string>> Received(TestConnection& c) {
    c.Pump();
    std::vector<std::pair<std::string, std::string>> out;
    for (const mqtt::PublishPacket& p : c.TakePublishes()) {
      out.emplace_back(p.topic, p.payload);
    }
    return out;
  }

  ManualClock clock_;
  mqtt::Limits limits_;
  Broker broker_;
  int sessions_opened_ = 0;
};

TEST_F(BrokerTest, RoutesWithinTheAccountOnly) {
  auto a_sub = Open(kAccountA, "a-sub");
  auto b_sub = Open(kAccountB, "b-sub");
  auto a_pub = Open(kAccountA, "a-pub");
  auto b_pub = Open(kAccountB, "b-pub");
  Subscribe(*a_sub, "telemetry/#");
  Subscribe(*b_sub, "telemetry/#");
  Subscribe(*b_sub, "$aws/events/presence/#");

  a_pub->Publish("telemetry/1", "from A");
  b_pub->Publish("telemetry/1", "from B");
  EXPECT_EQ(Received(*a_sub),
            (std::vector<std::pair<std::string, std::string>>{{"telemetry/1", "from A"}}));
  EXPECT_EQ(Received(*b_sub),
            (std::vector<std::pair<std::string, std::string>>{{"telemetry/1", "from B"}}));

  // Retained messages and lifecycle events stay in their account too.
  a_pub->Publish("telemetry/state", "A retained", /*retain=*/true);
  Received(*a_sub);
  auto b_late = Open(kAccountB, "b-late");
  Subscribe(*b_late, "telemetry/#");
  EXPECT_TRUE(Received(*b_late).empty());
  auto a_late = Open(kAccountA, "a-late");
  a_late->Subscribe("telemetry/#");
  a_late->Pump();
  auto retained = a_late->TakePublishes();
  ASSERT_EQ(retained.size(), 1u);
  EXPECT_EQ(retained[0].payload, "A retained");
  EXPECT_TRUE(retained[0].retain);

  auto events_in_b = Received(*b_sub);
  ASSERT_EQ(events_in_b.size(), 1u);  // only b-late's connected event
  EXPECT_EQ(events_in_b[0].first, "$aws/events/presence/connected/b-late");
}

TEST_F(BrokerTest, SameClientIdInTwoAccountsIsNoTakeover) {
  auto a = Open(kAccountA, "device-1");
  auto b = Open(kAccountB, "device-1");
  a->Pump();
  b->Pump();
  EXPECT_TRUE(a->kicks().empty());
  EXPECT_TRUE(b->kicks().empty());
  EXPECT_EQ(broker_.session_count(), 2u);
}

TEST_F(BrokerTest, TakeoverKicksOlderSessionAndSendsItsWill) {
  auto observer = Open(kAccountA, "observer");
  Subscribe(*observer, "status/#");
  Subscribe(*observer, "$aws/events/presence/+/device-1");

  mqtt::Will will{"status/device-1", "offline", QoS::kAtLeastOnce, false, {}};
  auto old_connection = Open(kAccountA, "device-1", ProtocolVersion::kV5, kCertX, will);
  Received(*observer);  // old connection's connected event
  clock_.Advance(std::chrono::seconds(1));
  auto new_connection = Open(kAccountA, "device-1", ProtocolVersion::kV5, kCertX);

  ASSERT_EQ(old_connection->kicks().size(), 1u);
  EXPECT_EQ(old_connection->kicks()[0], mqtt::ServerDisconnectCause::kSessionTakenOver);
  old_connection->Pump();
  EXPECT_TRUE(old_connection->closed());
  ASSERT_TRUE(old_connection->record().has_value());
  EXPECT_EQ(old_connection->record()->reason, mqtt::DisconnectReason::kDuplicateClientId);
  EXPECT_TRUE(old_connection->record()->will_sent);
  // MQTT 5: DISCONNECT with 0x8E Session taken over.
  auto packets = old_connection->TakePackets();
  ASSERT_FALSE(packets.empty());
  const auto* disconnect = std::get_if<mqtt::DisconnectPacket>(&packets.back());
  ASSERT_NE(disconnect, nullptr);
  EXPECT_EQ(disconnect->reason_code, mqtt::ReasonCode::kSessionTakenOver);

  auto received = Received(*observer);
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].first, "$aws/events/presence/connected/device-1");
  EXPECT_NE(received[0].second.find(R"("versionNumber":1)"), std::string::npos);
  EXPECT_EQ(received[1], (std::pair<std::string, std::string>{"status/device-1", "offline"}));
  EXPECT_EQ(received[2].first, "$aws/events/presence/disconnected/device-1");
  EXPECT_NE(received[2].second.find(R"("disconnectReason":"DUPLICATE_CLIENTID")"),
            std::string::npos);
  EXPECT_NE(received[2].second.find(R"("versionNumber":0)"), std::string::npos);

  // The old session's detach did not release the client id held by the new one.
  EXPECT_TRUE(new_connection->kicks().empty());
  EXPECT_EQ(broker_.session_count(), 2u);
  Subscribe(*new_connection, "cmd/device-1");
  observer->Publish("cmd/device-1", "reboot");
  EXPECT_EQ(Received(*new_connection),
            (std::vector<std::pair<std::string, std::string>>{{"cmd/device-1", "reboot"}}));
}

TEST_F(BrokerTest, LifecycleEventPayloads) {
  auto observer = Open(kAccountA, "observer");
  Subscribe(*observer, "$aws/events/presence/#");
  auto device = Open(kAccountA, "sensor-7", ProtocolVersion::kV311, kCertY);
  const TimePoint connected_at = clock_.Now();
  clock_.Advance(std::chrono::seconds(30));
  device->Send(mqtt::DisconnectPacket{});
  EXPECT_TRUE(device->closed());

  const SessionInfo& info = device->info();
  PresenceSession presence{kAccountA, "sensor-7", info.session_id, kCertY, info.source_ip, 0};
  auto received = Received(*observer);
  ASSERT_EQ(received.size(), 2u);
  AccountMessage connected = ConnectedEvent(presence, connected_at);
  AccountMessage disconnected = DisconnectedEvent(
      presence, clock_.Now(), true, mqtt::DisconnectReason::kClientInitiatedDisconnect);
  EXPECT_EQ(received[0], (std::pair<std::string, std::string>{connected.topic, connected.payload}));
  EXPECT_EQ(received[1],
            (std::pair<std::string, std::string>{disconnected.topic, disconnected.payload}));
  EXPECT_NE(received[0].second.find(R"("ipAddress":")" + info.source_ip + "\""), std::string::npos);
  EXPECT_NE(received[1].second.find(R"("clientInitiatedDisconnect":true)"), std::string::npos);

  // Reconnecting within the hour increments versionNumber; after it, it starts again at 0.
  auto again = Open(kAccountA, "sensor-7", ProtocolVersion::kV311, kCertY);
  received = Received(*observer);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_NE(received[0].second.find(R"("versionNumber":1)"), std::string::npos);
  again->Send(mqtt::DisconnectPacket{});
  Received(*observer);
  clock_.Advance(std::chrono::hours(2));
  broker_.Tick(clock_.Now());
  Open(kAccountA, "sensor-7", ProtocolVersion::kV311, kCertY);
  received = Received(*observer);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_NE(received[0].second.find(R"("versionNumber":0)"), std::string::npos);
}

TEST_F(BrokerTest, ClientsCannotPublishIntoReservedTopics) {
  auto observer = Open(kAccountA, "observer");
  Subscribe(*observer, "$aws/events/presence/connected/+");
  auto spoofer = Open(kAccountA, "spoofer");
  Received(*observer);
  spoofer->Publish("$aws/events/presence/connected/victim", "{}");
  EXPECT_TRUE(Received(*observer).empty());
  EXPECT_EQ(broker_.stats().reserved_topic_dropped, 1u);
}

TEST_F(BrokerTest, DisconnectCertificateKicksOnlyThatCertificateInThatAccount) {
  auto x1 = Open(kAccountA, "x1", ProtocolVersion::kV5, kCertX);
  auto x2 = Open(kAccountA, "x2", ProtocolVersion::kV311, kCertX);
  auto y = Open(kAccountA, "y", ProtocolVersion::kV5, kCertY);
  auto x_in_b = Open(kAccountB, "x-b", ProtocolVersion::kV5, kCertX);
  auto kicked = broker_.DisconnectCertificate(kAccountA, kCertX);
  EXPECT_EQ(kicked, (std::vector<std::string>{x1->info().session_id, x2->info().session_id}));
  for (const auto& c : {x1, x2}) {
    ASSERT_EQ(c->kicks().size(), 1u);
    EXPECT_EQ(c->kicks()[0], mqtt::ServerDisconnectCause::kNotAuthorized);
    c->Pump();
    EXPECT_TRUE(c->closed());
    EXPECT_EQ(c->record()->reason, mqtt::DisconnectReason::kAuthError);
  }
  EXPECT_TRUE(y->kicks().empty());
  EXPECT_TRUE(x_in_b->kicks().empty());
  EXPECT_EQ(broker_.session_count(), 2u);
}

TEST_F(BrokerTest, DelayedWillIsDroppedWhenTheClientReturns) {
  auto observer = Open(kAccountA, "observer");
  Subscribe(*observer, "status/#");
  mqtt::Will will{"status/d", "gone", QoS::kAtMostOnce, false, {}};
  will.properties.push_back(mqtt::Property::Number(mqtt::PropertyId::kWillDelayInterval, 10));
  // The session outlives the connection, so the will waits its full delay (§3.1.3.2.2).
  auto first = Open(kAccountA, "d", ProtocolVersion::kV5, kCertX, will, std::nullopt, 600);
  first->Send(mqtt::DisconnectPacket{mqtt::ReasonCode::kDisconnectWithWill, {}});
  ASSERT_TRUE(broker_.NextDeadline().has_value());
  EXPECT_EQ(*broker_.NextDeadline(), clock_.Now() + std::chrono::seconds(10));
  broker_.Tick(clock_.Now() + std::chrono::seconds(9));
  EXPECT_TRUE(Received(*observer).empty());
  broker_.Tick(clock_.Now() + std::chrono::seconds(10));
  EXPECT_EQ(Received(*observer),
            (std::vector<std::pair<std::string, std::string>>{{"status/d", "gone"}}));

  auto second = Open(
      kAccountA, "d2", ProtocolVersion::kV5, kCertX,
      [&] {
        mqtt::Will w = will;
        w.topic = "status/d2";
        return w;
      }(),
      std::nullopt, 600);
  second->Send(mqtt::DisconnectPacket{mqtt::ReasonCode::kDisconnectWithWill, {}});
  Open(kAccountA, "d2");
  broker_.Tick(clock_.Now() + std::chrono::seconds(60));
  EXPECT_TRUE(Received(*observer).empty());
  EXPECT_EQ(broker_.stats().wills_cancelled, 1u);
}

// The registry publishes a status event when a certificate leaves ACTIVE; the broker, subscribed
// to it, drops that certificate's live sessions.
class BrokerRegistryTest : public GatewayFixture {};

TEST_F(BrokerRegistryTest, StatusEventDisconnectsLiveSessions) {
  RegisterCa1(kAccountA);
  RegisterCa2SniOnly(kAccountA);
  RegisterWithCa(kAccountA, "device-rsa-1", registry::CertificateStatus::kActive);
  RegisterWithCa(kAccountA, "device-rsa-2", registry::CertificateStatus::kActive);
  RegisterWithCa(kAccountA, "device-ec-2", registry::CertificateStatus::kActive);
  Broker broker;
  auto subscription =
      events_.Subscribe([&](const registry::StatusEvent& e) { broker.OnStatusEvent(e); });
  mqtt::Limits limits;
  std::vector<std::shared_ptr<TestConnection>> connections;
  for (const char* device : {"device-rsa-1", "device-rsa-2", "device-ec-2"}) {
    AuthDecision d = auth_->Authenticate(Attempt(device, kHostA));
    ASSERT_TRUE(d.accepted()) << device;
    SessionInfo info{d.identity().account_id,
                     d.identity().certificate_id,
                     d.identity().ca_certificate_id,
                     "",
                     std::string("s-") + device,
                     "198.51.100.1",
                     1000};
    auto c = TestConnection::Create(broker, limits, clock_, info);
    c->Connect(MakeConnect(ProtocolVersion::kV5, device));
    connections.push_back(c);
  }
  ASSERT_EQ(broker.session_count(), 3u);

  ASSERT_TRUE(certs_
                  ->UpdateStatus(kAccountA, FixtureFingerprint("device-rsa-1"),
                                 registry::CertificateStatus::kRevoked)
                  .has_value());
  ASSERT_EQ(connections[0]->kicks().size(), 1u);
  EXPECT_EQ(connections[0]->kicks()[0], mqtt::ServerDisconnectCause::kNotAuthorized);
  EXPECT_TRUE(connections[1]->kicks().empty());
  connections[0]->Pump();
  EXPECT_EQ(connections[0]->record()->reason, mqtt::DisconnectReason::kAuthError);
  auto packets = connections[0]->TakePackets();
  const auto* disconnect = std::get_if<mqtt::DisconnectPacket>(&packets.back());
  ASSERT_NE(disconnect, nullptr);
  EXPECT_EQ(disconnect->reason_code, mqtt::ReasonCode::kNotAuthorized);

  // Deactivating CA 2 drops the session verified against it, and only that one.
  registry::UpdateCaRequest deactivate;
  deactivate.new_status = registry::CaCertificateStatus::kInactive;
  ASSERT_TRUE(cas_->Update(kAccountA, FixtureFingerprint("ca2"), deactivate).has_value());
  EXPECT_EQ(connections[2]->kicks().size(), 1u);
  EXPECT_TRUE(connections[1]->kicks().empty());

  // Events that end no session: the same certificate registered in another account (with or
  // without ACTIVE), and a CA setting that leaves its status as it was.
  const uint64_t epoch = broker.RevocationEpoch();
  const std::string rsa2 = FixtureFingerprint("device-rsa-2");
  for (const char* status : {"ACTIVE", "INACTIVE"}) {
    events_.Publish({registry::StatusEventKind::kCertificate, kAccountA, rsa2, "", status});
  }
  events_.Publish({registry::StatusEventKind::kCaCertificate, kAccountA, FixtureFingerprint("ca1"),
                   "ACTIVE", "ACTIVE"});
  EXPECT_TRUE(connections[1]->kicks().empty());
  EXPECT_EQ(broker.RevocationEpoch(), epoch);
  // A deletion does (the registry only deletes certificates that left ACTIVE, but the event is
  // what the broker sees).
  events_.Publish({registry::StatusEventKind::kCertificate, kAccountA, rsa2, "INACTIVE", ""});
  EXPECT_EQ(connections[1]->kicks().size(), 1u);
  events_.Unsubscribe(subscription);
}

TEST_F(BrokerRegistryTest, RevocationBetweenAuthenticationAndAttachIsCaught) {
  RegisterCa1(kAccountA);
  RegisterWithCa(kAccountA, "device-rsa-1", registry::CertificateStatus::kActive);
  RegisterWithCa(kAccountA, "device-rsa-2", registry::CertificateStatus::kActive);
  Broker broker;
  auto subscription =
      events_.Subscribe([&](const registry::StatusEvent& e) { broker.OnStatusEvent(e); });
  mqtt::Limits limits;
  // What the net layer does: read the epoch, authenticate, then (later) CONNECT and attach.
  auto connect = [&](const char* device, uint64_t epoch) {
    AuthDecision d = auth_->Authenticate(Attempt(device, kHostA));
    EXPECT_TRUE(d.accepted()) << device;
    SessionInfo info;
    info.account_id = kAccountA;
    info.certificate_id = FixtureFingerprint(device);
    info.ca_certificate_id = FixtureFingerprint("ca1");
    info.session_id = std::string("s-") + device;
    info.revocation_epoch = epoch;
    auto c = TestConnection::Create(broker, limits, clock_, info);
    return std::pair{c, std::move(d)};
  };
  const uint64_t before = broker.RevocationEpoch();
  auto [revoked, d1] = connect("device-rsa-1", before);
  auto [other, d2] = connect("device-rsa-2", before);
  // The certificate leaves ACTIVE after authentication but before CONNECT/CONNACK.
  ASSERT_TRUE(certs_
                  ->UpdateStatus(kAccountA, FixtureFingerprint("device-rsa-1"),
                                 registry::CertificateStatus::kInactive)
                  .has_value());
  EXPECT_GT(broker.RevocationEpoch(), before);
  revoked->Connect(MakeConnect(ProtocolVersion::kV311, "late-1"));
  other->Connect(MakeConnect(ProtocolVersion::kV311, "late-2"));
  ASSERT_EQ(revoked->kicks().size(), 1u);
  EXPECT_EQ(revoked->kicks()[0], mqtt::ServerDisconnectCause::kNotAuthorized);
  EXPECT_TRUE(other->kicks().empty());

  // Reactivated and authenticated afresh: accepted and left alone.
  ASSERT_TRUE(certs_
                  ->UpdateStatus(kAccountA, FixtureFingerprint("device-rsa-1"),
                                 registry::CertificateStatus::kActive)
                  .has_value());
  auto [fresh, d3] = connect("device-rsa-1", broker.RevocationEpoch());
  fresh->Connect(MakeConnect(ProtocolVersion::kV311, "late-3"));
  EXPECT_TRUE(fresh->kicks().empty());

  // Once the revocation is forgotten, an attach with an epoch older than it is refused
  // conservatively.
  broker.Tick(clock_.Now());
  broker.Tick(clock_.Now() + Broker::kRevocationMemory);
  auto [stale, d4] = connect("device-rsa-2", before);
  stale->Connect(MakeConnect(ProtocolVersion::kV311, "late-4"));
  EXPECT_EQ(stale->kicks().size(), 1u);
  events_.Unsubscribe(subscription);
}

}  // namespace
}  // namespace fg::gateway::testing
