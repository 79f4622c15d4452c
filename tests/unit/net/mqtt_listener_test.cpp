// The device listener end to end over real TLS on 127.0.0.1:0: a real registry (SQLite in
// memory), the real authenticator, broker and connection-log writer (over the in-memory store
// that follows the ConnectionLogStore contract), and a blocking OpenSSL client.

#include "net/mqtt_listener.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <netinet/in.h>
#include <ostream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "unit/gateway/fake_connection_log_store.h"
#include "unit/gateway/gateway_fixture.h"
#include "unit/net/mqtt_test_client.h"

namespace fg::net {
namespace {

using gateway::testing::kAccountA;
using gateway::testing::kAccountB;
using gateway::testing::kHostA;
using gateway::testing::kHostB;
using registry::CertificateStatus;
using testing::ClientOptions;
using testing::MqttTestClient;
using testing::PkiFixture;
using V = mqtt::ProtocolVersion;

class MqttListenerTest : public gateway::testing::GatewayFixture {
 protected:
  void SetUp() override {
    GatewayFixture::SetUp();
    writer_ = std::make_unique<gateway::ConnectionLogWriter>(
        log_store_, clock_, gateway::ConnectionLogWriterOptions{.node_id = "node-1"});
    status_subscription_ = events_.Subscribe(
        [this](const registry::StatusEvent& event) { broker_.OnStatusEvent(event); });
    RegisterCa1(kAccountA);
    RegisterWithCa(kAccountA, "device-rsa-1", CertificateStatus::kActive);
    RegisterWithCa(kAccountA, "device-rsa-2", CertificateStatus::kActive);
  }

  void TearDown() override {
    listener_.reset();
    events_.Unsubscribe(status_subscription_);
  }

  void StartListener(MqttListenerOptions options = DefaultOptions()) {
    auto listener = MqttListener::Create(
        std::move(options), MqttGateway{auth_.get(), &broker_, writer_.get(), &clock_});
    ASSERT_TRUE(listener.has_value()) << listener.error().ToString();
    listener_ = std::move(*listener);
    listener_->Start();
  }

  static MqttListenerOptions DefaultOptions() {
    MqttListenerOptions options;
    // A fixture identity serves as the server certificate; the test client does not verify it.
    options.tls_cert_file = PkiFixture("device-rsa-3.pem");
    options.tls_key_file = PkiFixture("device-rsa-3.key");
    options.node_id = "node-1";
    options.handshake_deadline = std::chrono::milliseconds(2000);
    options.refusal_deadline = std::chrono::milliseconds(2000);
    return options;
  }

  std::unique_ptr<MqttTestClient> Client(const std::string& identity, std::string sni = kHostA,
                                         V version = V::kV311, std::string alpn = "") {
    ClientOptions options;
    options.identity = identity;
    options.sni = std::move(sni);
    options.version = version;
    options.alpn = std::move(alpn);
    return std::make_unique<MqttTestClient>(listener_->LocalPort(), options);
  }

  // Connects and expects CONNACK success.
  std::unique_ptr<MqttTestClient> Connected(const std::string& identity,
                                            const std::string& client_id, V version = V::kV311) {
    auto client = Client(identity, kHostA, version);
    EXPECT_TRUE(client->handshake_ok());
    EXPECT_TRUE(client->Connect(client_id));
    auto connack = client->ReadAs<mqtt::ConnackPacket>();
    EXPECT_TRUE(connack.has_value());
    if (connack) {
      EXPECT_EQ(connack->reason_code, mqtt::ReasonCode::kSuccess);
    }
    return client;
  }

  // Writes what the writer has queued into the store.
  void DrainLog() {
    for (int i = 0; i < 100 && writer_->pending() > 0; ++i) {
      ASSERT_TRUE(writer_->RunOnce().has_value());
    }
  }

  // Polls `done` (after draining the log) for up to two seconds.
  template <typename Pred>
  bool Eventually(Pred done) {
    for (int i = 0; i < 200; ++i) {
      DrainLog();
      if (done()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::vector<registry::RefusedConnection> Refused(const std::string& account) {
    registry::RefusedQuery q;
    q.account_id = account;
    q.window_start = FromEpochMillis(0);
    q.window_end = clock_.Now() + std::chrono::hours(1);
    auto rows = log_store_.ListRefused(q);
    EXPECT_TRUE(rows.has_value());
    return rows ? *rows : std::vector<registry::RefusedConnection>{};
  }

  gateway::Broker broker_;
  gateway::testing::FakeConnectionLogStore log_store_;
  std::unique_ptr<gateway::ConnectionLogWriter> writer_;
  registry::StatusEventPublisher::SubscriptionId status_subscription_ = 0;
  std::unique_ptr<MqttListener> listener_;
};

TEST_F(MqttListenerTest, RegisteredDeviceConnectsAndItsSessionIsLogged) {
  StartListener();
  {
    auto client = Connected("device-rsa-1", "thermostat-1");
    ASSERT_TRUE(client->Send(mqtt::DisconnectPacket{}));
    EXPECT_TRUE(client->WaitClosed());
  }
  ASSERT_TRUE(Eventually([&] {
    auto s = log_store_.sessions();
    return s.size() == 1 && s.begin()->second.disconnect_time.has_value();
  }));
  const registry::SessionRecord row = log_store_.sessions().begin()->second;
  EXPECT_EQ(row.account_id, kAccountA);
  EXPECT_EQ(row.certificate_id, gateway::testing::FixtureFingerprint("device-rsa-1"));
  EXPECT_EQ(row.client_id, "thermostat-1");
  EXPECT_EQ(row.source_ip, "127.0.0.1");
  EXPECT_NE(row.source_port, 0);
  EXPECT_EQ(row.mqtt_version, 4);
  EXPECT_EQ(row.keep_alive_s, 60);
  EXPECT_EQ(row.node_id, "node-1");
  EXPECT_EQ(row.disconnect_reason, "CLIENT_INITIATED_DISCONNECT");
  EXPECT_EQ(listener_->stats().authenticated, 1u);
}

TEST_F(MqttListenerTest, DevicesPublishAndSubscribeToEachOther) {
  StartListener();
  auto sub = Connected("device-rsa-1", "sub", V::kV5);
  auto pub = Connected("device-rsa-2", "pub");
  mqtt::SubscribePacket subscribe;
  subscribe.packet_id = 7;
  subscribe.subscriptions.push_back(mqtt::Subscription{"dt/+/temp", mqtt::QoS::kAtLeastOnce});
  ASSERT_TRUE(sub->Send(subscribe));
  auto suback = sub->ReadAs<mqtt::SubackPacket>();
  ASSERT_TRUE(suback.has_value());
  EXPECT_EQ(suback->reason_codes, std::vector{mqtt::ReasonCode::kGrantedQos1});

  mqtt::PublishPacket publish;
  publish.topic = "dt/kitchen/temp";
  publish.qos = mqtt::QoS::kAtLeastOnce;
  publish.packet_id = 3;
  publish.payload = R"({"t":21.5})";
  ASSERT_TRUE(pub->Send(publish));
  auto puback = pub->ReadAs<mqtt::PubackPacket>();
  ASSERT_TRUE(puback.has_value());
  EXPECT_EQ(puback->packet_id, 3);

  auto received = sub->ReadAs<mqtt::PublishPacket>();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->topic, "dt/kitchen/temp");
  EXPECT_EQ(received->payload, R"({"t":21.5})");
  EXPECT_EQ(received->qos, mqtt::QoS::kAtLeastOnce);
}

// Both record layers carry the same traffic: fleetguard's own (the default, after the SSL is
// freed) and OpenSSL's (when the hand-off is off, or impossible for a connection). 60 KiB
// payloads take several TLS records each way.
TEST_F(MqttListenerTest, LargePublishesCrossEitherRecordLayer) {
  for (bool take_over : {true, false}) {
    SCOPED_TRACE(take_over ? "fleetguard's record layer" : "OpenSSL's record layer");
    MqttListenerOptions options = DefaultOptions();
    options.take_over_record_layer = take_over;
    StartListener(std::move(options));
    const std::string suffix = take_over ? "-own" : "-openssl";
    auto sub = Connected("device-rsa-1", "sub" + suffix, V::kV5);
    auto pub = Connected("device-rsa-2", "pub" + suffix);
    mqtt::SubscribePacket subscribe;
    subscribe.packet_id = 1;
    subscribe.subscriptions.push_back(mqtt::Subscription{"big/#", mqtt::QoS::kAtLeastOnce});
    ASSERT_TRUE(sub->Send(subscribe));
    ASSERT_TRUE(sub->ReadAs<mqtt::SubackPacket>().has_value());
    for (uint16_t i = 1; i <= 3; ++i) {
      mqtt::PublishPacket publish;
      publish.topic = "big/blob";
      publish.qos = mqtt::QoS::kAtLeastOnce;
      publish.packet_id = i;
      publish.payload.assign(60 * 1024, static_cast<char>('a' + i));
      ASSERT_TRUE(pub->Send(publish));
      auto puback = pub->ReadAs<mqtt::PubackPacket>();
      ASSERT_TRUE(puback.has_value());
      EXPECT_EQ(puback->packet_id, i);
      auto received = sub->ReadAs<mqtt::PublishPacket>();
      ASSERT_TRUE(received.has_value());
      EXPECT_EQ(received->payload, publish.payload);
    }
    const MqttListenerStats stats = listener_->stats();
    EXPECT_EQ(stats.record_layer_handoffs, take_over ? 2u : 0u);
    EXPECT_EQ(stats.record_layer_fallbacks, 0u);
    ASSERT_TRUE(pub->Send(mqtt::DisconnectPacket{}));
    EXPECT_TRUE(pub->WaitClosed());
  }
}

struct RefusalCase {
  std::string name;
  std::string identity;
  std::string sni;
  V version;
  std::string account;  // where the refusal is logged
  std::string reason;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class MqttListenerRefusalTest : public MqttListenerTest,
                                public ::testing::WithParamInterface<RefusalCase> {};

TEST_P(MqttListenerRefusalTest, RefusedWithNotAuthorizedAndLogged) {
  const RefusalCase& c = GetParam();
  RegisterWithCa(kAccountA, "device-rsa-3", CertificateStatus::kInactive);
  InsertRaw(kAccountA, "device-sha1", std::nullopt);
  InsertRaw(kAccountA, "device-expired", std::nullopt);
  StartListener();
  auto client = Client(c.identity, c.sni, c.version);
  ASSERT_TRUE(client->handshake_ok());
  ASSERT_TRUE(client->Connect("refused-device"));
  auto connack = client->ReadAs<mqtt::ConnackPacket>();
  ASSERT_TRUE(connack.has_value());
  // The decoder maps 3.1.1's 0x05 to 0x87, so both versions read the same here; the raw
  // 3.1.1 byte is checked in mqtt_refusal_test.
  EXPECT_EQ(connack->reason_code, mqtt::ReasonCode::kNotAuthorized);
  EXPECT_TRUE(client->WaitClosed());
  ASSERT_TRUE(Eventually([&] { return !Refused(c.account).empty(); }));
  const auto rows = Refused(c.account);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, c.reason);
  EXPECT_EQ(rows[0].sni, c.sni);
  EXPECT_EQ(rows[0].certificate_id, gateway::testing::FixtureFingerprint(c.identity));
  EXPECT_EQ(rows[0].source_ip, "127.0.0.1");
  EXPECT_EQ(rows[0].node_id, "node-1");
  EXPECT_TRUE(log_store_.sessions().empty());
  EXPECT_EQ(listener_->stats().refused, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MqttListenerRefusalTest,
    ::testing::Values(
        RefusalCase{"Unregistered", "device-rogue", kHostA, V::kV311, kAccountA,
                    "CERTIFICATE_NOT_REGISTERED"},
        RefusalCase{"UnregisteredV5", "device-rogue", kHostA, V::kV5, kAccountA,
                    "CERTIFICATE_NOT_REGISTERED"},
        RefusalCase{"Inactive", "device-rsa-3", kHostA, V::kV311, kAccountA,
                    "CERTIFICATE_INACTIVE"},
        RefusalCase{"OtherAccountsSni", "device-rsa-1", kHostB, V::kV5, kAccountB,
                    "CERTIFICATE_NOT_REGISTERED"},
        // Judged before any account is chosen, so logged without one.
        RefusalCase{"Sha1", "device-sha1", kHostA, V::kV311, "", "UNSUPPORTED_SIGNATURE_ALGORITHM"},
        RefusalCase{"Expired", "device-expired", kHostA, V::kV311, "", "CERTIFICATE_EXPIRED"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST_F(MqttListenerTest, RefusesAClientWithoutCertificateAtTheHandshake) {
  StartListener();
  auto client = Client("", kHostA);
  // In TLS 1.3 the client finishes first; the server's alert arrives on the next read.
  if (client->handshake_ok()) {
    client->Connect("no-cert");
    EXPECT_FALSE(client->Read().has_value());
    EXPECT_TRUE(client->WaitClosed());
  }
  ASSERT_TRUE(Eventually([&] { return !Refused("").empty(); }));
  const auto rows = Refused("");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "NO_CLIENT_CERTIFICATE");
  EXPECT_EQ(rows[0].sni, kHostA);
  EXPECT_EQ(rows[0].certificate_id, "");
  EXPECT_EQ(listener_->stats().handshakes_failed, 1u);
}

TEST_F(MqttListenerTest, RevokingACertificateDropsItsLiveSessionAtOnce) {
  StartListener();
  auto client = Connected("device-rsa-1", "doomed", V::kV5);
  auto other = Connected("device-rsa-2", "bystander", V::kV5);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(certs_
                  ->UpdateStatus(kAccountA, gateway::testing::FixtureFingerprint("device-rsa-1"),
                                 CertificateStatus::kRevoked)
                  .has_value());
  auto disconnect = client->ReadAs<mqtt::DisconnectPacket>();
  ASSERT_TRUE(disconnect.has_value());
  EXPECT_EQ(disconnect->reason_code, mqtt::ReasonCode::kNotAuthorized);
  EXPECT_TRUE(client->WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  // The other certificate's session is untouched.
  ASSERT_TRUE(other->Send(mqtt::PingreqPacket{}));
  EXPECT_TRUE(other->ReadAs<mqtt::PingrespPacket>().has_value());
  ASSERT_TRUE(Eventually([&] {
    for (const auto& [id, s] : log_store_.sessions()) {
      if (s.client_id == "doomed") {
        return s.disconnect_reason == "AUTH_ERROR";
      }
    }
    return false;
  }));
  // And it cannot come back.
  auto again = Client("device-rsa-1");
  ASSERT_TRUE(again->Connect("doomed"));
  auto connack = again->ReadAs<mqtt::ConnackPacket>();
  ASSERT_TRUE(connack.has_value());
  EXPECT_EQ(connack->reason_code, mqtt::ReasonCode::kNotAuthorized);
}

TEST_F(MqttListenerTest, SameClientIdTakesOverTheOlderConnection) {
  StartListener();
  auto first = Connected("device-rsa-1", "twin", V::kV5);
  auto second = Connected("device-rsa-2", "twin", V::kV5);
  auto disconnect = first->ReadAs<mqtt::DisconnectPacket>();
  ASSERT_TRUE(disconnect.has_value());
  EXPECT_EQ(disconnect->reason_code, mqtt::ReasonCode::kSessionTakenOver);
  EXPECT_TRUE(first->WaitClosed());
  ASSERT_TRUE(second->Send(mqtt::PingreqPacket{}));
  EXPECT_TRUE(second->ReadAs<mqtt::PingrespPacket>().has_value());
  ASSERT_TRUE(Eventually([&] {
    for (const auto& [id, s] : log_store_.sessions()) {
      if (s.certificate_id == gateway::testing::FixtureFingerprint("device-rsa-1")) {
        return s.disconnect_reason == "DUPLICATE_CLIENTID";
      }
    }
    return false;
  }));
}

TEST_F(MqttListenerTest, AlpnListenerRequiresTheMqttProtocolId) {
  MqttListenerOptions options = DefaultOptions();
  options.require_alpn = true;
  StartListener(std::move(options));
  auto without = Client("device-rsa-1", kHostA, V::kV311);
  ASSERT_TRUE(without->Connect("no-alpn"));
  auto refused = without->ReadAs<mqtt::ConnackPacket>();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->reason_code, mqtt::ReasonCode::kNotAuthorized);

  auto with = Client("device-rsa-1", kHostA, V::kV311, "x-amzn-mqtt-ca");
  ASSERT_TRUE(with->Connect("alpn"));
  auto accepted = with->ReadAs<mqtt::ConnackPacket>();
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->reason_code, mqtt::ReasonCode::kSuccess);
}

TEST_F(MqttListenerTest, ClosesAConnectionThatNeverSendsConnect) {
  MqttListenerOptions options = DefaultOptions();
  options.limits.connect_timeout = std::chrono::milliseconds(300);
  StartListener(std::move(options));
  auto client = Client("device-rsa-1");
  ASSERT_TRUE(client->handshake_ok());
  // Once authenticated, the session's deadline is on the injected clock: move it past the
  // CONNECT deadline.
  ASSERT_TRUE(Eventually([&] { return listener_->stats().authenticated == 1; }));
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(client->WaitClosed());
  ASSERT_TRUE(Eventually([&] { return !Refused(kAccountA).empty(); }));
  EXPECT_TRUE(log_store_.sessions().empty());
}

TEST_F(MqttListenerTest, ClosesAConnectionThatNeverFinishesTheHandshake) {
  MqttListenerOptions options = DefaultOptions();
  options.handshake_deadline = std::chrono::milliseconds(200);
  StartListener(std::move(options));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(listener_->LocalPort());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const auto started = std::chrono::steady_clock::now();
  char byte = 0;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0);  // EOF, not the 3 s receive timeout
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ::close(fd);
}

TEST_F(MqttListenerTest, ConnectionsOverTheLimitAreClosedAtAccept) {
  MqttListenerOptions options = DefaultOptions();
  options.max_connections = 1;
  StartListener(std::move(options));
  auto first = Connected("device-rsa-1", "first");
  auto second = Client("device-rsa-2");
  EXPECT_FALSE(second->handshake_ok());
  EXPECT_EQ(listener_->stats().over_limit, 1u);
  ASSERT_TRUE(first->Send(mqtt::PingreqPacket{}));
  EXPECT_TRUE(first->ReadAs<mqtt::PingrespPacket>().has_value());
}

// Regression: a connection that ended before its first handler ran (the peer connected and
// closed at once: port scanners, load-balancer health checks, a flood's backlog after EMFILE)
// was destroyed inside OnAccept while the listener's mutex was held; its destructor takes that
// mutex, so the accepting I/O thread deadlocked and nothing was accepted again.
TEST_F(MqttListenerTest, PeersThatCloseAtOnceDoNotStopTheAcceptLoop) {
  StartListener();
  constexpr int kPeers = 1000;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(listener_->LocalPort());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < kPeers; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    if (i % 2 == 0) {
      linger reset{1, 0};  // RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    }
    ::close(fd);
  }
  auto client = Client("device-rsa-1");
  if (!client->handshake_ok()) {
    // The accepting thread is stuck on the listener's mutex, so TearDown's Stop() would block
    // forever: fail and end the binary rather than hang the test run.
    ADD_FAILURE() << "no handshake after " << kPeers << " peers closed at once: accept loop dead";
    std::_Exit(1);
  }
  ASSERT_TRUE(client->Connect("after-the-scan"));
  auto connack = client->ReadAs<mqtt::ConnackPacket>();
  ASSERT_TRUE(connack.has_value());
  EXPECT_EQ(connack->reason_code, mqtt::ReasonCode::kSuccess);
  EXPECT_GE(listener_->stats().accepted, static_cast<uint64_t>(kPeers) + 1);
}

TEST_F(MqttListenerTest, StopEndsLiveSessionsAsServerShutdown) {
  StartListener();
  auto client = Connected("device-rsa-1", "until-stop", V::kV5);
  listener_->Stop();
  auto disconnect = client->ReadAs<mqtt::DisconnectPacket>();
  ASSERT_TRUE(disconnect.has_value());
  EXPECT_EQ(disconnect->reason_code, mqtt::ReasonCode::kServerShuttingDown);
  DrainLog();
  auto sessions = log_store_.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions.begin()->second.disconnect_reason, "SERVER_INITIATED_DISCONNECT");
  EXPECT_EQ(listener_->stats().live, 0u);
}

TEST(MqttListenerCreateTest, RejectsBadOptions) {
  gateway::Broker broker;
  MqttListenerOptions options;
  options.tls_cert_file = PkiFixture("device-rsa-3.pem");
  options.tls_key_file = PkiFixture("device-rsa-3.key");
  auto missing = MqttListener::Create(options, MqttGateway{});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::net
