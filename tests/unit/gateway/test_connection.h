#pragma once

// A connection as the net layer will drive one, minus the socket: it owns a real mqtt::Session,
// feeds it encoded client packets, carries out its actions against the Broker, and implements
// SessionSink by queueing (as a strand post would) until the test calls Pump().

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "gateway/broker.h"
#include "gateway/session_sink.h"
#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "mqtt/limits.h"
#include "mqtt/session.h"

namespace fg::gateway::testing {

class TestConnection final : public SessionSink,
                             public std::enable_shared_from_this<TestConnection> {
 public:
  // `info.client_id` is replaced by what the session establishes.
  static std::shared_ptr<TestConnection> Create(Broker& broker, const mqtt::Limits& limits,
                                                const Clock& clock, SessionInfo info) {
    return std::shared_ptr<TestConnection>(
        new TestConnection(broker, limits, clock, std::move(info)));
  }

  void Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) override {
    std::lock_guard<std::mutex> lock(mu_);
    posted_.emplace_back(Delivered{message, granted});
  }
  void Kick(mqtt::ServerDisconnectCause cause) override {
    std::lock_guard<std::mutex> lock(mu_);
    posted_.emplace_back(cause);
    kicks_.push_back(cause);
  }

  // Runs what the broker posted, in order.
  void Pump() {
    std::vector<Posted> posted;
    {
      std::lock_guard<std::mutex> lock(mu_);
      posted.swap(posted_);
    }
    for (const Posted& p : posted) {
      if (const auto* d = std::get_if<Delivered>(&p)) {
        Execute(session_.Deliver(d->message, d->granted, clock_.Now()));
      } else {
        Execute(
            session_.OnServerDisconnect(std::get<mqtt::ServerDisconnectCause>(p), clock_.Now()));
      }
    }
  }

  void Connect(mqtt::ConnectPacket connect) {
    version_ = connect.version;
    framer_.set_version(version_);
    session_.OnAuthenticated(info_.certificate_id, info_.session_id);
    Send(connect);
  }

  void Send(const mqtt::Packet& packet) {
    Execute(session_.OnBytes(mqtt::Encode(packet, version_), clock_.Now()));
  }

  void Subscribe(const std::string& filter, mqtt::QoS qos = mqtt::QoS::kAtLeastOnce) {
    mqtt::SubscribePacket s;
    s.packet_id = next_packet_id_++;
    s.subscriptions.push_back(mqtt::Subscription{filter, qos, false, false, 0});
    Send(s);
  }

  void Publish(const std::string& topic, const std::string& payload, bool retain = false) {
    mqtt::PublishPacket p;
    p.topic = topic;
    p.payload = payload;
    p.retain = retain;
    Send(p);
  }

  // The transport failed (no DISCONNECT).
  void Lose() { Execute(session_.OnConnectionLost(clock_.Now())); }

  // Every packet the server wrote since the last call.
  std::vector<mqtt::Packet> TakePackets() {
    std::span<const std::uint8_t> in(wire_);
    std::vector<mqtt::Packet> out;
    while (true) {
      auto r = framer_.Next(in);
      EXPECT_TRUE(r.has_value()) << r.error().ToString();
      if (!r || !r->has_value()) {
        break;
      }
      out.push_back(std::move(**r));
    }
    wire_.clear();
    return out;
  }

  // The PUBLISH packets among them.
  std::vector<mqtt::PublishPacket> TakePublishes() {
    std::vector<mqtt::PublishPacket> out;
    for (mqtt::Packet& p : TakePackets()) {
      if (auto* publish = std::get_if<mqtt::PublishPacket>(&p)) {
        out.push_back(std::move(*publish));
      }
    }
    return out;
  }

  const std::vector<mqtt::ServerDisconnectCause>& kicks() const { return kicks_; }
  const std::optional<mqtt::DisconnectRecord>& record() const { return record_; }
  bool closed() const { return closed_; }
  SessionHandle handle() const { return handle_; }
  const SessionInfo& info() const { return info_; }

 private:
  struct Delivered {
    mqtt::ApplicationMessage message;
    mqtt::QoS granted;
  };
  using Posted = std::variant<Delivered, mqtt::ServerDisconnectCause>;

  TestConnection(Broker& broker, const mqtt::Limits& limits, const Clock& clock, SessionInfo info)
      : broker_(broker),
        clock_(clock),
        info_(std::move(info)),
        session_(limits, clock.Now()),
        framer_(1 << 20) {}

  void Execute(mqtt::Actions actions) {
    for (mqtt::Action& action : actions) {
      std::visit([this](auto& a) { On(a); }, action);
    }
  }
  void On(mqtt::SendBytes& a) { wire_.insert(wire_.end(), a.bytes.begin(), a.bytes.end()); }
  void On(mqtt::CloseConnection&) { closed_ = true; }
  void On(mqtt::SessionEstablished& a) {
    info_.client_id = a.client_id;
    Attached attached = broker_.Attach(info_, shared_from_this(), a);
    handle_ = attached.handle;
    if (!a.clean_start) {
      Execute(session_.OnResume(std::move(attached.resumed), clock_.Now()));
    }
  }
  void On(mqtt::DeliverMessage& a) { broker_.Publish(handle_, a.message); }
  void On(mqtt::SubscribeRequest& a) { broker_.Subscribe(handle_, a); }
  void On(mqtt::UnsubscribeRequest& a) { broker_.Unsubscribe(handle_, a); }
  void On(mqtt::PublishWill& a) { broker_.PublishWill(handle_, a, clock_.Now()); }
  void On(mqtt::DisconnectRecord& a) {
    record_ = a;
    if (a.established) {
      broker_.Detach(handle_, a);
    }
  }

  Broker& broker_;
  const Clock& clock_;
  SessionInfo info_;
  mqtt::Session session_;
  mqtt::Framer framer_;
  mqtt::ProtocolVersion version_ = mqtt::ProtocolVersion::kV311;
  std::vector<std::uint8_t> wire_;
  SessionHandle handle_ = 0;
  std::uint16_t next_packet_id_ = 1;
  std::optional<mqtt::DisconnectRecord> record_;
  bool closed_ = false;
  std::vector<mqtt::ServerDisconnectCause> kicks_;
  std::mutex mu_;
  std::vector<Posted> posted_;  // guarded by mu_
};

}  // namespace fg::gateway::testing
