#pragma once

// One device connection's MQTT side, between its mqtt::Session and the gateway (sans-I/O: no
// sockets, no Asio, so it is unit-tested with a real Broker and ConnectionLogWriter). The TLS
// connection hands it bytes, time and broker callbacks; it returns the bytes to write and
// whether to close, and carries out every other Session action itself:
//   SessionEstablished -> Broker::Attach, then ConnectionLogWriter::SessionOpened, then (Clean
//                         Start 0) mqtt::Session::OnResume with the session Attach resumed
//   DeliverMessage / SubscribeRequest / UnsubscribeRequest / PublishWill -> the Broker method
//   DisconnectRecord   -> established: Broker::Detach and SessionClosed; otherwise a refused
//                         connection (CONNECT refused or never sent) in the connection log
// It also reports the last packet time to the connection log at most once per
// `activity_interval` while the session is live.
//
// Not thread-safe: owned by one connection and used on its strand only. `deps` (and what it
// points to) must outlive the bridge.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "gateway/session_registry.h"
#include "gateway/session_sink.h"
#include "mqtt/limits.h"
#include "mqtt/session.h"

namespace fg::net {

struct MqttBridgeDeps {
  gateway::Broker* broker = nullptr;
  gateway::ConnectionLogWriter* log = nullptr;
  const mqtt::Limits* limits = nullptr;
  std::chrono::milliseconds activity_interval{30'000};
};

// What the transport must do after an input: write `bytes`, then close if `close`.
struct BridgeOutput {
  std::vector<std::uint8_t> bytes;
  bool close = false;
};

class MqttBridge {
 public:
  // `accepted_at` starts the CONNECT deadline (mqtt::Limits::connect_timeout).
  MqttBridge(const MqttBridgeDeps& deps, TimePoint accepted_at);
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  // The authenticator accepted the device. `info` is complete except client_id (filled at
  // CONNACK); `sni` goes into a refused-connection record if the CONNECT is refused. `sink` is
  // handed to the broker at CONNACK (held weakly here, since the sink usually owns the bridge).
  // REQUIRES: called once, before OnBytes.
  void Authenticated(gateway::SessionInfo info, std::string sni,
                     std::weak_ptr<gateway::SessionSink> sink);

  BridgeOutput OnBytes(std::span<const std::uint8_t> chunk, TimePoint now);
  BridgeOutput OnTick(TimePoint now);
  BridgeOutput OnConnectionLost(TimePoint now);
  BridgeOutput OnServerDisconnect(mqtt::ServerDisconnectCause cause, TimePoint now);
  BridgeOutput Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted, TimePoint now);

  // When OnTick must next be called (the session's deadline, or the next activity report);
  // nullopt once closed.
  std::optional<TimePoint> NextDeadline() const;

  bool established() const { return handle_ != 0; }
  bool closed() const { return session_.state() == mqtt::Session::State::kClosed; }
  const mqtt::Session& session() const { return session_; }
  const gateway::SessionInfo& info() const { return info_; }

 private:
  BridgeOutput Execute(mqtt::Actions actions, TimePoint now);
  void ExecuteInto(mqtt::Actions actions, TimePoint now, BridgeOutput& out);
  // Returns the persistent session Attach resumed, for OnResume.
  std::optional<mqtt::SessionState> Established(const mqtt::SessionEstablished& established);
  void Ended(const mqtt::DisconnectRecord& record);
  void MaybeReportActivity(TimePoint now);

  const MqttBridgeDeps& deps_;
  mqtt::Session session_;
  gateway::SessionInfo info_;
  std::string sni_;
  std::weak_ptr<gateway::SessionSink> sink_;
  gateway::SessionHandle handle_ = 0;  // 0 until attached, and again after detach
  bool was_established_ = false;
  TimePoint last_packet_;
  TimePoint last_reported_;
};

}  // namespace fg::net
