// MqttBridge without sockets: a real mqtt::Session, Broker and ConnectionLogWriter (over the
// in-memory ConnectionLogStore), a ManualClock, and a sink that records what the broker posts.

#include "net/mqtt_bridge.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "unit/gateway/fake_connection_log_store.h"

namespace fg::net {
namespace {

using V = mqtt::ProtocolVersion;

class RecordingSink final : public gateway::SessionSink {
 public:
  void Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) override {
    std::lock_guard<std::mutex> lock(mu_);
    delivered.push_back({message, granted});
  }
  void Kick(mqtt::ServerDisconnectCause cause) override {
    std::lock_guard<std::mutex> lock(mu_);
    kicks.push_back(cause);
  }
  std::vector<std::pair<mqtt::ApplicationMessage, mqtt::QoS>> delivered;
  std::vector<mqtt::ServerDisconnectCause> kicks;

 private:
  std::mutex mu_;
};

class MqttBridgeTest : public ::testing::Test {
 protected:
  MqttBridgeTest()
      : clock_(FromEpochSeconds(1893456000)),
        writer_(store_, clock_, gateway::ConnectionLogWriterOptions{.node_id = "n1"}) {
    deps_ = MqttBridgeDeps{&broker_, &writer_, &limits_, std::chrono::seconds(30)};
  }

  struct Device {
    std::unique_ptr<MqttBridge> bridge;
    std::shared_ptr<RecordingSink> sink;
    V version;
  };

  Device Authenticated(const std::string& certificate_id, V version = V::kV311) {
    Device d{std::make_unique<MqttBridge>(deps_, clock_.Now()), std::make_shared<RecordingSink>(),
             version};
    gateway::SessionInfo info;
    info.account_id = "111111111111";
    info.certificate_id = certificate_id;
    info.session_id = "session-" + certificate_id;
    info.source_ip = "192.0.2.1";
    info.source_port = 4242;
    d.bridge->Authenticated(info, "host.example", d.sink);
    return d;
  }

  BridgeOutput Send(Device& d, const mqtt::Packet& packet) {
    return d.bridge->OnBytes(mqtt::Encode(packet, d.version), clock_.Now());
  }

  BridgeOutput Connect(Device& d, const std::string& client_id) {
    mqtt::ConnectPacket connect;
    connect.version = d.version;
    connect.client_id = client_id;
    connect.keep_alive = 60;
    return Send(d, connect);
  }

  static std::vector<mqtt::Packet> Decode(const BridgeOutput& out, V version) {
    mqtt::Framer framer(1 << 20);
    framer.set_version(version);
    std::span<const uint8_t> in(out.bytes);
    std::vector<mqtt::Packet> packets;
    while (true) {
      auto next = framer.Next(in);
      EXPECT_TRUE(next.has_value());
      if (!next || !next->has_value()) {
        break;
      }
      packets.push_back(std::move(**next));
    }
    return packets;
  }

  void Drain() {
    while (writer_.pending() > 0) {
      ASSERT_TRUE(writer_.RunOnce().has_value());
    }
  }

  ManualClock clock_;
  mqtt::Limits limits_;
  gateway::Broker broker_;
  gateway::testing::FakeConnectionLogStore store_;
  gateway::ConnectionLogWriter writer_;
  MqttBridgeDeps deps_;
};

TEST_F(MqttBridgeTest, ConnectAttachesAndLogsDisconnectDetachesAndCloses) {
  Device d = Authenticated("cert-1");
  BridgeOutput out = Connect(d, "dev-1");
  auto packets = Decode(out, d.version);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(std::get<mqtt::ConnackPacket>(packets[0]).reason_code, mqtt::ReasonCode::kSuccess);
  EXPECT_FALSE(out.close);
  EXPECT_TRUE(d.bridge->established());
  EXPECT_EQ(broker_.session_count(), 1u);

  clock_.Advance(std::chrono::seconds(5));
  out = Send(d, mqtt::DisconnectPacket{});
  EXPECT_TRUE(out.close);
  EXPECT_TRUE(d.bridge->closed());
  EXPECT_EQ(broker_.session_count(), 0u);
  Drain();
  auto sessions = store_.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  const registry::SessionRecord& row = sessions.begin()->second;
  EXPECT_EQ(row.session_id, "session-cert-1");
  EXPECT_EQ(row.client_id, "dev-1");
  EXPECT_EQ(row.source_ip, "192.0.2.1");
  EXPECT_EQ(row.source_port, 4242);
  EXPECT_EQ(row.node_id, "n1");
  EXPECT_EQ(row.disconnect_reason, "CLIENT_INITIATED_DISCONNECT");
  EXPECT_EQ(row.disconnect_time, clock_.Now());
  EXPECT_EQ(row.last_packet_time, clock_.Now());
}

// Clean Session 0: the bridge hands what Attach resumed to the session, so the CONNACK says
// Session Present and the queued message follows it in the same output.
TEST_F(MqttBridgeTest, PersistentSessionResumesThroughTheBroker) {
  auto connect_persistent = [&](Device& d) {
    mqtt::ConnectPacket connect;
    connect.version = d.version;
    connect.client_id = "dev-1";
    connect.keep_alive = 60;
    connect.clean_start = false;
    return Decode(Send(d, connect), d.version);
  };
  Device first = Authenticated("cert-1");
  auto packets = connect_persistent(first);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_FALSE(std::get<mqtt::ConnackPacket>(packets[0]).session_present);
  mqtt::SubscribePacket subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back(mqtt::Subscription{"cmd/#", mqtt::QoS::kAtLeastOnce});
  Send(first, subscribe);
  Send(first, mqtt::DisconnectPacket{});
  EXPECT_EQ(broker_.stored_session_count(), 1u);

  Device publisher = Authenticated("cert-2");
  Connect(publisher, "publisher");
  mqtt::PublishPacket publish;
  publish.topic = "cmd/reboot";
  publish.payload = "now";
  publish.qos = mqtt::QoS::kAtLeastOnce;
  publish.packet_id = 7;
  Send(publisher, publish);

  Device second = Authenticated("cert-1");
  packets = connect_persistent(second);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_TRUE(std::get<mqtt::ConnackPacket>(packets[0]).session_present);
  EXPECT_EQ(std::get<mqtt::PublishPacket>(packets[1]).payload, "now");
}

TEST_F(MqttBridgeTest, RefusedConnectIsLoggedAsARefusedConnection) {
  Device d = Authenticated("cert-1", V::kV5);
  BridgeOutput out = Connect(d, "$reserved");
  auto packets = Decode(out, d.version);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(std::get<mqtt::ConnackPacket>(packets[0]).reason_code,
            mqtt::ReasonCode::kClientIdentifierNotValid);
  EXPECT_TRUE(out.close);
  EXPECT_FALSE(d.bridge->established());
  EXPECT_EQ(broker_.session_count(), 0u);
  Drain();
  EXPECT_TRUE(store_.sessions().empty());
  registry::RefusedQuery q;
  q.account_id = "111111111111";
  q.window_start = FromEpochMillis(0);
  q.window_end = clock_.Now();
  auto refused = store_.ListRefused(q);
  ASSERT_TRUE(refused.has_value());
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ((*refused)[0].certificate_id, "cert-1");
  EXPECT_EQ((*refused)[0].sni, "host.example");
  EXPECT_EQ((*refused)[0].reason, "CLIENT_ERROR");
}

TEST_F(MqttBridgeTest, MessagesReachTheOtherDevicesSink) {
  Device sub = Authenticated("cert-1");
  Device pub = Authenticated("cert-2");
  Connect(sub, "sub");
  Connect(pub, "pub");
  mqtt::SubscribePacket subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back(mqtt::Subscription{"a/#", mqtt::QoS::kAtMostOnce});
  Send(sub, subscribe);
  mqtt::PublishPacket publish;
  publish.topic = "a/b";
  publish.payload = "hi";
  Send(pub, publish);
  ASSERT_EQ(sub.sink->delivered.size(), 1u);
  EXPECT_EQ(sub.sink->delivered[0].first.topic, "a/b");
  // What the connection does when the post arrives on its strand:
  BridgeOutput out = sub.bridge->Deliver(sub.sink->delivered[0].first,
                                         sub.sink->delivered[0].second, clock_.Now());
  auto packets = Decode(out, sub.version);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(std::get<mqtt::PublishPacket>(packets[0]).payload, "hi");
}

TEST_F(MqttBridgeTest, ConnectionLostEndsTheSessionWithItsWill) {
  Device sub = Authenticated("cert-1");
  Device dying = Authenticated("cert-2");
  Connect(sub, "sub");
  mqtt::SubscribePacket subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back(mqtt::Subscription{"will/#", mqtt::QoS::kAtMostOnce});
  Send(sub, subscribe);
  mqtt::ConnectPacket connect;
  connect.client_id = "dying";
  connect.keep_alive = 60;
  connect.will = mqtt::Will{};
  connect.will->topic = "will/dying";
  connect.will->payload = "gone";
  Send(dying, connect);
  BridgeOutput out = dying.bridge->OnConnectionLost(clock_.Now());
  EXPECT_TRUE(out.close);
  ASSERT_EQ(sub.sink->delivered.size(), 1u);
  EXPECT_EQ(sub.sink->delivered[0].first.payload, "gone");
  Drain();
  bool found = false;
  for (const auto& [id, row] : store_.sessions()) {
    if (row.client_id == "dying") {
      found = true;
      EXPECT_EQ(row.disconnect_reason, "CONNECTION_LOST");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(MqttBridgeTest, ServerDisconnectSendsTheV5ReasonAndLogsIt) {
  Device d = Authenticated("cert-1", V::kV5);
  Connect(d, "kicked");
  BridgeOutput out =
      d.bridge->OnServerDisconnect(mqtt::ServerDisconnectCause::kNotAuthorized, clock_.Now());
  auto packets = Decode(out, d.version);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(std::get<mqtt::DisconnectPacket>(packets[0]).reason_code,
            mqtt::ReasonCode::kNotAuthorized);
  EXPECT_TRUE(out.close);
  Drain();
  EXPECT_EQ(store_.sessions().begin()->second.disconnect_reason, "AUTH_ERROR");
}

TEST_F(MqttBridgeTest, ReportsActivityAtMostOncePerInterval) {
  Device d = Authenticated("cert-1");
  Connect(d, "chatty");
  Drain();
  const TimePoint connected = clock_.Now();
  clock_.Advance(std::chrono::seconds(10));
  Send(d, mqtt::PingreqPacket{});
  Drain();
  EXPECT_EQ(store_.sessions().begin()->second.last_packet_time, connected);
  // The next report is due 30 s after the last one, and the bridge asks to be ticked then.
  ASSERT_TRUE(d.bridge->NextDeadline().has_value());
  EXPECT_EQ(*d.bridge->NextDeadline(), connected + std::chrono::seconds(30));
  clock_.Advance(std::chrono::seconds(20));
  d.bridge->OnTick(clock_.Now());
  Drain();
  EXPECT_EQ(store_.sessions().begin()->second.last_packet_time,
            connected + std::chrono::seconds(10));
}

TEST_F(MqttBridgeTest, TakeoverKicksTheOlderSinkWithSessionTakenOver) {
  Device first = Authenticated("cert-1");
  Device second = Authenticated("cert-2");
  Connect(first, "same");
  Connect(second, "same");
  ASSERT_EQ(first.sink->kicks.size(), 1u);
  EXPECT_EQ(first.sink->kicks[0], mqtt::ServerDisconnectCause::kSessionTakenOver);
  EXPECT_TRUE(second.sink->kicks.empty());
}

}  // namespace
}  // namespace fg::net
