// Persistent sessions through the Broker with real mqtt::Sessions (TestConnection): resume and
// Session Present, queueing while away and its bounds, DUP redelivery, expiry on a
// ManualClock, account separation, takeover hand-over, and discarding.

#include <gtest/gtest.h>

#include "gateway/broker.h"
#include "unit/gateway/gateway_fixture.h"
#include "unit/gateway/test_connection.h"

namespace fg::gateway::testing {
namespace {

using mqtt::ProtocolVersion;
using mqtt::QoS;
using std::chrono::seconds;

constexpr char kCertX[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kCertY[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

using Received = std::vector<std::pair<std::string, std::string>>;

class BrokerPersistenceTest : public ::testing::Test {
 protected:
  BrokerPersistenceTest() : clock_(pki::testing::kReferenceTime) {}

  struct Opened {
    std::shared_ptr<TestConnection> connection;
    mqtt::ConnackPacket connack;
    std::vector<mqtt::PublishPacket> publishes;  // sent right after the CONNACK
  };

  // Connects `client_id`; `expiry` is the v5 Session Expiry Interval (ignored for 3.1.1, where
  // Clean Session 0 gets the account period).
  Opened Open(const std::string& account, const std::string& client_id, bool clean_start,
              ProtocolVersion version = ProtocolVersion::kV311,
              std::optional<uint32_t> expiry = std::nullopt, const std::string& cert = kCertX) {
    SessionInfo info;
    info.account_id = account;
    info.certificate_id = cert;
    info.session_id = "session-" + std::to_string(++sessions_opened_);
    info.source_ip = "198.51.100.7";
    auto connection = TestConnection::Create(*broker_, limits_, clock_, info);
    mqtt::ConnectPacket connect;
    connect.version = version;
    connect.client_id = client_id;
    connect.keep_alive = 60;
    connect.clean_start = clean_start;
    if (expiry) {
      connect.properties.push_back(
          mqtt::Property::Number(mqtt::PropertyId::kSessionExpiryInterval, *expiry));
    }
    connection->Connect(connect);
    Opened opened{connection, {}, {}};
    std::vector<mqtt::Packet> packets = connection->TakePackets();
    EXPECT_FALSE(packets.empty());
    if (packets.empty()) {
      return opened;
    }
    opened.connack = std::get<mqtt::ConnackPacket>(packets.front());
    for (size_t i = 1; i < packets.size(); ++i) {
      opened.publishes.push_back(std::get<mqtt::PublishPacket>(packets[i]));
    }
    return opened;
  }

  std::shared_ptr<TestConnection> Publisher() {
    if (!publisher_) {
      publisher_ = Open(kAccountA, "publisher", true).connection;
    }
    return publisher_;
  }

  void PublishQos1(const std::string& topic, const std::string& payload) {
    mqtt::PublishPacket p;
    p.topic = topic;
    p.payload = payload;
    p.qos = QoS::kAtLeastOnce;
    p.packet_id = ++publisher_packet_id_;
    Publisher()->Send(p);
    Publisher()->TakePackets();  // PUBACK
  }

  static void Subscribe(TestConnection& c, const std::string& filter, QoS qos = QoS::kAtLeastOnce) {
    c.Subscribe(filter, qos);
    c.Pump();
    c.TakePackets();
  }

  static Received Payloads(const std::vector<mqtt::PublishPacket>& publishes) {
    Received out;
    for (const auto& p : publishes) {
      out.emplace_back(p.topic, p.payload);
    }
    return out;
  }

  static Received Take(TestConnection& c) {
    c.Pump();
    return Payloads(c.TakePublishes());
  }

  // A device subscribed to "cmd/#" at QoS 1 that went away with DISCONNECT.
  void StoreDevice(const std::string& account = kAccountA,
                   ProtocolVersion version = ProtocolVersion::kV311,
                   std::optional<uint32_t> expiry = std::nullopt) {
    Opened device = Open(account, "device", false, version, expiry);
    EXPECT_FALSE(device.connack.session_present);
    Subscribe(*device.connection, "cmd/#");
    device.connection->Send(mqtt::DisconnectPacket{});
    EXPECT_EQ(broker_->stored_session_count(), 1u);
  }

  ManualClock clock_;
  mqtt::Limits limits_;
  BrokerOptions options_;
  std::unique_ptr<Broker> broker_ = std::make_unique<Broker>(options_);
  std::shared_ptr<TestConnection> publisher_;
  uint16_t publisher_packet_id_ = 0;
  int sessions_opened_ = 0;
};

TEST_F(BrokerPersistenceTest, ResumeRestoresSubscriptionsAndDeliversWhatWasQueued) {
  StoreDevice();
  PublishQos1("cmd/1", "first");
  Publisher()->Publish("cmd/0", "qos 0 is not kept");
  PublishQos1("other/x", "no subscription");
  PublishQos1("cmd/2", "second");

  Opened back = Open(kAccountA, "device", false);
  EXPECT_TRUE(back.connack.session_present);
  EXPECT_EQ(Payloads(back.publishes), (Received{{"cmd/1", "first"}, {"cmd/2", "second"}}));
  for (const auto& p : back.publishes) {
    EXPECT_EQ(p.qos, QoS::kAtLeastOnce);
    EXPECT_FALSE(p.dup);
  }
  // Subscribed again without a SUBSCRIBE.
  PublishQos1("cmd/3", "live");
  EXPECT_EQ(Take(*back.connection), (Received{{"cmd/3", "live"}}));
  EXPECT_EQ(broker_->stored_session_count(), 0u);
  const BrokerStats stats = broker_->stats();
  EXPECT_EQ(stats.sessions_stored, 1u);
  EXPECT_EQ(stats.sessions_resumed, 1u);
  EXPECT_EQ(stats.stored_messages_queued, 2u);
}

TEST_F(BrokerPersistenceTest, SessionPresentOnlyWhenASessionWasResumed) {
  struct Case {
    const char* name;
    bool store_first;
    bool clean_start;
    ProtocolVersion version;
    const char* account;
    bool present;
  };
  const std::vector<Case> cases = {
      {"nothing_stored", false, false, ProtocolVersion::kV311, kAccountA, false},
      {"stored_and_resumed", true, false, ProtocolVersion::kV311, kAccountA, true},
      {"clean_start_discards", true, true, ProtocolVersion::kV311, kAccountA, false},
      {"other_version_is_not_resumed", true, false, ProtocolVersion::kV5, kAccountA, false},
      {"other_account_is_not_resumed", true, false, ProtocolVersion::kV311, kAccountB, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    broker_ = std::make_unique<Broker>(options_);
    publisher_.reset();
    if (c.store_first) {
      StoreDevice();
      PublishQos1("cmd/1", "queued");
    }
    Opened back = Open(c.account, "device", c.clean_start, c.version, 600);
    EXPECT_EQ(back.connack.session_present, c.present);
    EXPECT_EQ(back.publishes.size(), c.present ? 1u : 0u);
    PublishQos1("cmd/2", "after");
    EXPECT_EQ(Take(*back.connection).size(), c.present ? 1u : 0u);
  }
}

TEST_F(BrokerPersistenceTest, StoredSessionOfAnotherAccountStaysForItsOwner) {
  StoreDevice(kAccountA);
  Opened other = Open(kAccountB, "device", false);
  EXPECT_FALSE(other.connack.session_present);
  other.connection->Send(mqtt::DisconnectPacket{});
  EXPECT_EQ(broker_->stored_session_count(), 2u);
  PublishQos1("cmd/1", "for account A");
  EXPECT_EQ(Payloads(Open(kAccountA, "device", false).publishes),
            (Received{{"cmd/1", "for account A"}}));
  EXPECT_TRUE(Open(kAccountB, "device", false).publishes.empty());
}

TEST_F(BrokerPersistenceTest, UnacknowledgedMessagesAreRedeliveredWithDup) {
  Opened device = Open(kAccountA, "device", false);
  Subscribe(*device.connection, "cmd/#");
  PublishQos1("cmd/1", "acked");
  PublishQos1("cmd/2", "not acked");
  device.connection->Pump();
  std::vector<mqtt::PublishPacket> got = device.connection->TakePublishes();
  ASSERT_EQ(got.size(), 2u);
  device.connection->Send(mqtt::PubackPacket{got[0].packet_id, mqtt::ReasonCode::kSuccess, {}});
  device.connection->Lose();

  Opened back = Open(kAccountA, "device", false);
  EXPECT_TRUE(back.connack.session_present);
  ASSERT_EQ(back.publishes.size(), 1u);
  EXPECT_EQ(back.publishes[0].payload, "not acked");
  EXPECT_TRUE(back.publishes[0].dup);
  EXPECT_EQ(back.publishes[0].packet_id, got[1].packet_id);
}

TEST_F(BrokerPersistenceTest, QueueIsBoundedAndKeepsTheOldest) {
  options_.persistence.max_messages_per_session = 3;
  broker_ = std::make_unique<Broker>(options_);
  StoreDevice();
  for (const char* payload : {"m1", "m2", "m3", "m4", "m5"}) {
    PublishQos1("cmd/x", payload);
  }
  EXPECT_EQ(broker_->stats().stored_messages_dropped, 2u);
  EXPECT_EQ(Payloads(Open(kAccountA, "device", false).publishes),
            (Received{{"cmd/x", "m1"}, {"cmd/x", "m2"}, {"cmd/x", "m3"}}));
}

TEST_F(BrokerPersistenceTest, QueueIsBoundedInBytes) {
  options_.persistence.max_bytes_per_session = 10;
  broker_ = std::make_unique<Broker>(options_);
  StoreDevice();
  for (const char* payload : {"123456", "7890", "x"}) {
    PublishQos1("cmd/x", payload);
  }
  EXPECT_EQ(Payloads(Open(kAccountA, "device", false).publishes),
            (Received{{"cmd/x", "123456"}, {"cmd/x", "7890"}}));
}

TEST_F(BrokerPersistenceTest, QueueingIsRateLimitedPerAccount) {
  options_.persistence.queued_per_second_per_account = 2;
  broker_ = std::make_unique<Broker>(options_);
  broker_->Tick(clock_.Now());
  StoreDevice();
  for (const char* payload : {"m1", "m2", "m3"}) {
    PublishQos1("cmd/x", payload);
  }
  EXPECT_EQ(broker_->stats().stored_messages_dropped, 1u);
  clock_.Advance(seconds(1));
  broker_->Tick(clock_.Now());
  PublishQos1("cmd/x", "m4");
  EXPECT_EQ(Payloads(Open(kAccountA, "device", false).publishes),
            (Received{{"cmd/x", "m1"}, {"cmd/x", "m2"}, {"cmd/x", "m4"}}));
}

TEST_F(BrokerPersistenceTest, NodeWideSessionCapRefusesToStore) {
  options_.persistence.max_sessions = 1;
  broker_ = std::make_unique<Broker>(options_);
  StoreDevice();
  Opened second = Open(kAccountA, "device-2", false);
  Subscribe(*second.connection, "cmd/#");
  second.connection->Send(mqtt::DisconnectPacket{});
  EXPECT_EQ(broker_->stored_session_count(), 1u);
  EXPECT_EQ(broker_->stats().sessions_not_stored, 1u);
  EXPECT_FALSE(Open(kAccountA, "device-2", false).connack.session_present);
}

TEST_F(BrokerPersistenceTest, SessionsExpire) {
  struct Case {
    const char* name;
    ProtocolVersion version;
    std::optional<uint32_t> expiry;
    seconds lifetime;
  };
  const std::vector<Case> cases = {
      {"v311_account_period", ProtocolVersion::kV311, std::nullopt, seconds(3600)},
      {"v5_interval", ProtocolVersion::kV5, 60, seconds(60)},
      {"v5_capped_at_the_account_period", ProtocolVersion::kV5, 86400, seconds(3600)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    broker_ = std::make_unique<Broker>(options_);
    publisher_.reset();
    StoreDevice(kAccountA, c.version, c.expiry);
    broker_->Tick(clock_.Now() + c.lifetime - seconds(1));
    EXPECT_EQ(broker_->stored_session_count(), 1u);
    broker_->Tick(clock_.Now() + c.lifetime);
    EXPECT_EQ(broker_->stored_session_count(), 0u);
    EXPECT_EQ(broker_->stats().sessions_expired, 1u);
    PublishQos1("cmd/1", "nobody stores this");
    EXPECT_EQ(broker_->stats().stored_messages_queued, 0u);
    EXPECT_FALSE(Open(kAccountA, "device", false, c.version, c.expiry).connack.session_present);
  }
}

TEST_F(BrokerPersistenceTest, ExpiredButNotYetSweptIsNotResumed) {
  StoreDevice();
  clock_.Advance(seconds(3600));
  EXPECT_FALSE(Open(kAccountA, "device", false).connack.session_present);
  EXPECT_EQ(broker_->stats().sessions_expired, 1u);
}

TEST_F(BrokerPersistenceTest, ZeroExpirySessionEndsWithItsConnection) {
  Opened device = Open(kAccountA, "device", false, ProtocolVersion::kV5, 0);
  Subscribe(*device.connection, "cmd/#");
  device.connection->Send(mqtt::DisconnectPacket{});
  EXPECT_EQ(broker_->stored_session_count(), 0u);
  PublishQos1("cmd/1", "x");
  EXPECT_FALSE(Open(kAccountA, "device", false, ProtocolVersion::kV5, 0).connack.session_present);
}

TEST_F(BrokerPersistenceTest, TakeoverHandsTheLiveSessionOver) {
  Opened old = Open(kAccountA, "device", false);
  Subscribe(*old.connection, "cmd/#");
  PublishQos1("cmd/1", "in flight on the old connection");
  old.connection->Pump();
  ASSERT_EQ(old.connection->TakePublishes().size(), 1u);  // never acknowledged

  Opened taker = Open(kAccountA, "device", false, ProtocolVersion::kV311, std::nullopt, kCertY);
  EXPECT_TRUE(taker.connack.session_present);
  EXPECT_TRUE(taker.publishes.empty());
  EXPECT_EQ(
      old.connection->kicks(),
      (std::vector<mqtt::ServerDisconnectCause>{mqtt::ServerDisconnectCause::kSessionTakenOver}));
  PublishQos1("cmd/2", "after the takeover");
  old.connection->Pump();  // the kick: the old connection ends and detaches
  EXPECT_TRUE(old.connection->closed());
  EXPECT_TRUE(old.connection->TakePublishes().empty());
  EXPECT_EQ(Take(*taker.connection), (Received{{"cmd/2", "after the takeover"},
                                               {"cmd/1", "in flight on the old connection"}}));
  EXPECT_EQ(broker_->stored_session_count(), 0u);
}

TEST_F(BrokerPersistenceTest, TakeoverWithCleanStartDiscardsTheLiveSession) {
  Opened old = Open(kAccountA, "device", false);
  Subscribe(*old.connection, "cmd/#");
  Opened taker = Open(kAccountA, "device", true);
  EXPECT_FALSE(taker.connack.session_present);
  old.connection->Pump();
  EXPECT_TRUE(old.connection->closed());
  EXPECT_EQ(broker_->stored_session_count(), 0u);
  PublishQos1("cmd/1", "x");
  EXPECT_TRUE(Take(*taker.connection).empty());
}

TEST_F(BrokerPersistenceTest, CertificateLeavingActiveDiscardsItsSessions) {
  StoreDevice();  // stored, last held by kCertX
  Opened live = Open(kAccountA, "live", false);
  Subscribe(*live.connection, "cmd/#");
  Opened other = Open(kAccountA, "other-cert", false, ProtocolVersion::kV311, std::nullopt, kCertY);
  other.connection->Send(mqtt::DisconnectPacket{});
  EXPECT_EQ(broker_->stored_session_count(), 2u);

  broker_->DisconnectCertificate(kAccountA, kCertX);
  live.connection->Pump();
  EXPECT_TRUE(live.connection->closed());
  EXPECT_EQ(broker_->stored_session_count(), 1u);  // only kCertY's
  EXPECT_EQ(broker_->stats().sessions_discarded, 2u);
  EXPECT_FALSE(Open(kAccountA, "device", false, ProtocolVersion::kV311, std::nullopt, kCertY)
                   .connack.session_present);
  EXPECT_FALSE(Open(kAccountA, "live", false, ProtocolVersion::kV311, std::nullopt, kCertY)
                   .connack.session_present);
  EXPECT_TRUE(Open(kAccountA, "other-cert", false, ProtocolVersion::kV311, std::nullopt, kCertY)
                  .connack.session_present);
}

TEST_F(BrokerPersistenceTest, AnotherCertificateOfTheAccountMayResume) {
  StoreDevice();
  PublishQos1("cmd/1", "x");
  Opened back = Open(kAccountA, "device", false, ProtocolVersion::kV311, std::nullopt, kCertY);
  EXPECT_TRUE(back.connack.session_present);
  EXPECT_EQ(back.publishes.size(), 1u);
}

}  // namespace
}  // namespace fg::gateway::testing
