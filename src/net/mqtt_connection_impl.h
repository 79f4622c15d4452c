#pragma once

// The class behind StartMqttConnection (net-internal; only the mqtt_connection*.cpp files include
// this). Its member functions are split by phase: mqtt_connection_auth.cpp holds the TLS
// handshake, authentication and refusal; mqtt_connection.cpp holds session reads and writes,
// socket waits, the timer and the close path. Every member runs on the socket's strand, except
// the constructor, the destructor and the public entry points, which only post to it.

#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "gateway/auth_decision.h"
#include "gateway/session_sink.h"
#include "net/mqtt_bridge.h"
#include "net/mqtt_connection.h"
#include "net/mqtt_refusal.h"
#include "net/tls_channel.h"
#include "pki/openssl_ptr.h"

namespace fg::net::detail {

class Connection final : public MqttConnection,
                         public gateway::SessionSink,
                         public std::enable_shared_from_this<Connection> {
 public:
  using tcp = boost::asio::ip::tcp;

  Connection(tcp::socket socket, const MqttConnectionConfig& config, uint64_t id)
      : config_(config),
        id_(id),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        accepted_at_(config.clock->Now()) {}

  ~Connection() override {
    if (config_.on_destroyed) {
      config_.on_destroyed(id_);
    }
  }

  void Start();
  void Close() override;
  void Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) override;
  void Kick(mqtt::ServerDisconnectCause cause) override;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  enum class State : uint8_t { kHandshake, kAuthenticating, kRefusing, kSession, kClosed };
  // What an outstanding socket wait resumes; at most one wait per purpose.
  enum class Purpose : uint8_t { kHandshake, kRead, kWrite };

  // No exception may leave an Asio handler (STYLE.md §5): it would unwind io_context::run.
  template <typename Fn>
  void Guarded(Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::error("mqtt connection {}: {}", peer_ip_, e.what());
      Abort();
    } catch (...) {
      spdlog::error("mqtt connection {}: unknown exception", peer_ip_);
      Abort();
    }
  }

  // mqtt_connection_auth.cpp
  void Begin();
  void Handshake();
  gateway::ConnectionAttempt Attempt() const;
  void OnHandshakeDone();
  void OnDecision(gateway::AuthDecision decision);
  void Refuse(const gateway::Refusal& refusal);
  void OnRefusedBytes(std::span<const uint8_t> chunk);
  void StartDataPhase();

  // mqtt_connection.cpp
  void ReadSome();
  void OnPlaintext(std::span<const uint8_t> chunk);
  void TransportEnded();
  void Apply(BridgeOutput out);
  void Flush();
  void WaitFor(Purpose purpose, tcp::socket::wait_type type);
  void OnReady(Purpose purpose, boost::system::error_code ec);
  void ArmTimer();
  void OnTimer();
  void Shutdown();
  void GracefulClose();
  void Abort();

  const MqttConnectionConfig& config_;
  const uint64_t id_;
  tcp::socket socket_;
  boost::asio::steady_timer timer_;
  pki::SslPtr ssl_;                      // the handshake's; moved into channel_ after it
  std::unique_ptr<TlsChannel> channel_;  // from authentication's end on
  TimePoint accepted_at_;
  State state_ = State::kHandshake;
  std::array<bool, 3> waiting_{};
  bool timer_armed_ = false;
  bool close_after_flush_ = false;
  bool stopping_ = false;
  std::optional<SteadyTime> phase_deadline_;
  std::optional<SteadyTime> write_deadline_;
  std::string peer_ip_;
  uint16_t peer_port_ = 0;
  std::string sni_;
  uint64_t epoch_ = 0;
  std::optional<MqttBridge> bridge_;
  std::optional<RefusalResponder> refusal_;
  std::string refused_account_;
  std::string refused_certificate_;
};

}  // namespace fg::net::detail
