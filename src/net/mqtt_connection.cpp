#include "net/mqtt_connection.h"

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "gateway/auth_decision.h"
#include "gateway/lifecycle_events.h"
#include "mqtt/reason_code.h"
#include "net/mqtt_refusal.h"
#include "net/mqtt_tls.h"
#include "net/tls_channel.h"
#include "pki/crypto_error.h"
#include "pki/openssl_ptr.h"
#include "pki/random.h"

namespace fg::net {
namespace {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// Reads per turn before yielding the strand's thread to other connections.
constexpr int kReadsPerTurn = 8;
// Lower bound for re-arming the session timer, so that a clock that does not move (a test's
// ManualClock) cannot make it spin.
constexpr std::chrono::milliseconds kMinTimer{5};

class Connection final : public MqttConnection,
                         public gateway::SessionSink,
                         public std::enable_shared_from_this<Connection> {
 public:
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

  void Start() {
    asio::post(socket_.get_executor(),
               [self = shared_from_this()] { self->Guarded([&] { self->Begin(); }); });
  }

  void Close() override {
    asio::post(socket_.get_executor(),
               [self = shared_from_this()] { self->Guarded([&] { self->Shutdown(); }); });
  }

  void Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) override {
    asio::post(socket_.get_executor(), [self = shared_from_this(), message, granted] {
      self->Guarded([&] {
        if (self->state_ == State::kSession) {
          self->Apply(self->bridge_->Deliver(message, granted, self->config_.clock->Now()));
        }
      });
    });
  }

  void Kick(mqtt::ServerDisconnectCause cause) override {
    asio::post(socket_.get_executor(), [self = shared_from_this(), cause] {
      self->Guarded([&] {
        if (self->state_ == State::kSession) {
          self->Apply(self->bridge_->OnServerDisconnect(cause, self->config_.clock->Now()));
        }
      });
    });
  }

 private:
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

  void Begin() {
    boost::system::error_code ec;
    tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (ec) {
      Abort();
      return;
    }
    asio::ip::address address = peer.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    peer_ip_ = address.to_string();
    peer_port_ = peer.port();
    // The handshake and CONNECT are small request/response exchanges: Nagle would delay them
    // by up to 40 ms each (measured with mosquitto, dataplane.md §4).
    socket_.set_option(tcp::no_delay(true), ec);
    socket_.non_blocking(true, ec);
    if (ec) {
      Abort();
      return;
    }
    ERR_clear_error();
    ssl_.reset(SSL_new(config_.tls));
    if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) {
      spdlog::error("mqtt connection: cannot create the TLS session: {}", pki::LastCryptoError());
      Abort();
      return;
    }
    SSL_set_accept_state(ssl_.get());
    phase_deadline_ = std::chrono::steady_clock::now() + config_.handshake_deadline;
    Handshake();
    ArmTimer();
  }

  // ---- TLS handshake and authentication ------------------------------------------------------

  void Handshake() {
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl_.get());
    if (rc == 1) {
      OnHandshakeDone();
      return;
    }
    const int err = SSL_get_error(ssl_.get(), rc);
    if (err == SSL_ERROR_WANT_READ) {
      WaitFor(Purpose::kHandshake, tcp::socket::wait_read);
      return;
    }
    if (err == SSL_ERROR_WANT_WRITE) {
      WaitFor(Purpose::kHandshake, tcp::socket::wait_write);
      return;
    }
    ++config_.counters->handshakes_failed;
    if (HandshakeFailedForMissingCertificate()) {
      // The one refusal OpenSSL makes itself; logged like the authenticator's.
      gateway::Refusal refusal;
      refusal.reason = gateway::RefusalReason::kNoClientCertificate;
      gateway::ConnectionAttempt attempt = Attempt();
      if (const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name)) {
        attempt.server_name = name;
      }
      config_.log->ConnectionRefused(gateway::MakeRefusedRecord(attempt, refusal, config_.node_id));
    }
    ERR_clear_error();
    Abort();
  }

  gateway::ConnectionAttempt Attempt() const {
    gateway::ConnectionAttempt attempt;
    attempt.server_name = sni_;
    attempt.require_mqtt_alpn = config_.require_alpn;
    attempt.peer_ip = peer_ip_;
    attempt.peer_port = peer_port_;
    attempt.now = config_.clock->Now();
    return attempt;
  }

  void OnHandshakeDone() {
    state_ = State::kAuthenticating;
    // The CONNECT deadline (from acceptance) bounds authentication too.
    phase_deadline_ =
        std::chrono::steady_clock::now() +
        std::max(std::chrono::milliseconds(0),
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     accepted_at_ + config_.bridge.limits->connect_timeout - config_.clock->Now()));
    ArmTimer();
    TlsPeer peer = InspectPeer(*ssl_);
    sni_ = std::move(peer.server_name);
    gateway::ConnectionAttempt attempt = Attempt();
    // Parsed once here; the attempt carries it to the worker pool on a cache miss.
    if (peer.leaf != nullptr) {
      attempt.leaf = pki::Certificate::FromReceived(*peer.leaf, peer.leaf_der);
    }
    attempt.alpn = std::move(peer.alpn);
    // Read before authenticating, so that a status change in between is still caught at
    // Attach (gateway/broker.h).
    epoch_ = config_.broker->RevocationEpoch();
    if (auto decision = config_.authenticator->TryAuthenticateCached(attempt)) {
      OnDecision(std::move(*decision));
      return;
    }
    // A cache miss reads the store, which may block: never on an I/O thread (STYLE.md §7).
    asio::post(*config_.auth_pool, [self = shared_from_this(), attempt = std::move(attempt)] {
      gateway::AuthDecision decision;
      try {
        decision = self->config_.authenticator->Authenticate(attempt);
      } catch (const std::exception& e) {
        spdlog::error("authentication failed: {}", e.what());
        decision.outcome =
            gateway::Refusal{gateway::RefusalReason::kRegistryUnavailable, e.what(), "", ""};
      }
      asio::post(self->socket_.get_executor(), [self, decision = std::move(decision)]() mutable {
        self->Guarded([&] { self->OnDecision(std::move(decision)); });
      });
    });
  }

  void OnDecision(gateway::AuthDecision decision) {
    if (state_ != State::kAuthenticating) {
      return;  // closed meanwhile (deadline or listener stop)
    }
    StartDataPhase();
    for (const gateway::AccountMessage& event : decision.events) {
      config_.broker->PublishEvent(event);
    }
    if (!decision.accepted()) {
      Refuse(decision.refusal());
      return;
    }
    ++config_.counters->established;
    const gateway::Identity& identity = decision.identity();
    gateway::SessionInfo info;
    info.account_id = identity.account_id;
    info.certificate_id = identity.certificate_id;
    info.ca_certificate_id = identity.ca_certificate_id;
    info.session_id = pki::RandomUuid();
    info.source_ip = peer_ip_;
    info.source_port = peer_port_;
    info.revocation_epoch = epoch_;
    bridge_.emplace(config_.bridge, accepted_at_);
    bridge_->Authenticated(std::move(info), sni_, weak_from_this());
    state_ = State::kSession;
    phase_deadline_.reset();
    ReadSome();
    ArmTimer();
  }

  void Refuse(const gateway::Refusal& refusal) {
    ++config_.counters->refused;
    config_.log->ConnectionRefused(gateway::MakeRefusedRecord(Attempt(), refusal, config_.node_id));
    refused_account_ = refusal.account_id;
    refused_certificate_ = refusal.certificate_id;
    state_ = State::kRefusing;
    // Wait briefly for the CONNECT the client is probably sending, to answer it properly.
    refusal_.emplace(config_.bridge.limits->max_packet_size,
                     refusal.reason == gateway::RefusalReason::kRegistryUnavailable
                         ? mqtt::ReasonCode::kServerUnavailable
                         : mqtt::ReasonCode::kNotAuthorized);
    phase_deadline_ = std::chrono::steady_clock::now() + config_.refusal_deadline;
    ReadSome();
    ArmTimer();
  }

  void OnRefusedBytes(std::span<const uint8_t> chunk) {
    switch (refusal_->OnBytes(chunk)) {
      case RefusalResponder::Outcome::kNeedMore:
        return;
      case RefusalResponder::Outcome::kClose:
        Abort();
        return;
      case RefusalResponder::Outcome::kConnack:
        break;
    }
    const std::string& client_id = refusal_->client_id();
    if (!refused_account_.empty() && !client_id.empty() && gateway::HasLifecycleEvents(client_id)) {
      gateway::PresenceSession presence;
      presence.account_id = refused_account_;
      presence.client_id = client_id;
      presence.session_id = pki::RandomUuid();
      presence.principal_id = refused_certificate_;
      presence.source_ip = peer_ip_;
      config_.broker->PublishEvent(gateway::ConnectFailedEvent(presence, config_.clock->Now()));
    }
    BridgeOutput out;
    out.bytes = refusal_->connack();
    out.close = true;
    Apply(std::move(out));
  }

  // The SSL lives through authentication, so whatever the authenticator borrowed from it stays
  // valid; from here on the connection reads and writes through a TlsChannel, which frees the
  // SSL when fleetguard's record layer takes over (net/tls_channel.h).
  void StartDataPhase() {
    std::string fallback_reason;
    channel_ = MakeTlsChannel(std::move(ssl_), socket_.native_handle(),
                              config_.take_over_record_layer, &fallback_reason);
    if (channel_->own_record_layer()) {
      ++config_.counters->record_layer_handoffs;
    } else if (config_.take_over_record_layer) {
      ++config_.counters->record_layer_fallbacks;
      spdlog::debug("mqtt connection {}: OpenSSL keeps the record layer: {}", peer_ip_,
                    fallback_reason);
    }
  }

  // ---- Reading ----------------------------------------------------------------------------

  void ReadSome() {
    if (waiting_[static_cast<size_t>(Purpose::kRead)] || close_after_flush_ ||
        (state_ != State::kSession && state_ != State::kRefusing)) {
      return;
    }
    for (int i = 0; i < kReadsPerTurn; ++i) {
      TlsChannel::ReadResult read = channel_->Read();
      if (!read.plaintext.empty()) {
        // Even when the read also ended the transport: data before a close_notify counts.
        OnPlaintext(read.plaintext);
        if (state_ == State::kClosed) {
          return;
        }
      }
      switch (read.io) {
        case TlsChannel::Io::kDone:
          break;
        case TlsChannel::Io::kWantRead:
          WaitFor(Purpose::kRead, tcp::socket::wait_read);
          return;
        case TlsChannel::Io::kWantWrite:
          WaitFor(Purpose::kRead, tcp::socket::wait_write);
          return;
        case TlsChannel::Io::kEnded:
          TransportEnded();
          return;
      }
      if (channel_->queued_bytes() > 0) {
        Flush();  // a KeyUpdate answer the channel could not write at once
      }
      if (close_after_flush_ || (state_ != State::kSession && state_ != State::kRefusing)) {
        return;
      }
    }
    // More may be buffered: continue after the other connections on this thread had a turn.
    asio::post(socket_.get_executor(),
               [self = shared_from_this()] { self->Guarded([&] { self->ReadSome(); }); });
  }

  void OnPlaintext(std::span<const uint8_t> chunk) {
    if (state_ == State::kRefusing) {
      OnRefusedBytes(chunk);
      return;
    }
    Apply(bridge_->OnBytes(chunk, config_.clock->Now()));
  }

  // The peer closed or the transport failed: nothing more can be written.
  void TransportEnded() { Abort(); }

  // ---- Writing ----------------------------------------------------------------------------

  // Carries out what the bridge returned. Outbound-queue overflow policy: a client that does
  // not read while max_outbound_bytes are waiting for it is disconnected as CONNECTION_LOST (the
  // QoS 1 window is bounded by the session; this bounds QoS 0 too).
  void Apply(BridgeOutput out) {
    if (state_ == State::kClosed) {
      return;
    }
    if (!out.bytes.empty()) {
      if (channel_->queued_bytes() + out.bytes.size() > config_.max_outbound_bytes) {
        ++config_.counters->overflow_closes;
        spdlog::warn("mqtt connection {}: outbound queue full, disconnecting", peer_ip_);
        TransportEnded();
        return;
      }
      if (!channel_->Queue(out.bytes)) {
        TransportEnded();
        return;
      }
    }
    if (out.close) {
      close_after_flush_ = true;
    }
    Flush();
  }

  void Flush() {
    if (state_ == State::kClosed || waiting_[static_cast<size_t>(Purpose::kWrite)]) {
      return;
    }
    // Everything written releases the channel's buffer, so an idle connection holds none.
    const TlsChannel::Io io = channel_->Flush();
    if ((io == TlsChannel::Io::kWantWrite || io == TlsChannel::Io::kWantRead) && !stopping_) {
      if (!write_deadline_) {
        write_deadline_ = std::chrono::steady_clock::now() + config_.write_deadline;
        ArmTimer();
      }
      WaitFor(Purpose::kWrite,
              io == TlsChannel::Io::kWantWrite ? tcp::socket::wait_write : tcp::socket::wait_read);
      return;
    }
    if (io != TlsChannel::Io::kDone) {
      TransportEnded();
      return;
    }
    if (write_deadline_) {
      write_deadline_.reset();
      ArmTimer();
    }
    if (close_after_flush_) {
      GracefulClose();
    }
  }

  // ---- Waiting, deadlines, closing ----------------------------------------------------------

  void WaitFor(Purpose purpose, tcp::socket::wait_type type) {
    bool& waiting = waiting_[static_cast<size_t>(purpose)];
    if (waiting) {
      return;
    }
    waiting = true;
    socket_.async_wait(type, [self = shared_from_this(), purpose](boost::system::error_code ec) {
      self->Guarded([&] { self->OnReady(purpose, ec); });
    });
  }

  void OnReady(Purpose purpose, boost::system::error_code ec) {
    waiting_[static_cast<size_t>(purpose)] = false;
    if (state_ == State::kClosed) {
      return;
    }
    if (ec) {
      TransportEnded();
      return;
    }
    switch (purpose) {
      case Purpose::kHandshake:
        Handshake();
        break;
      case Purpose::kRead:
        ReadSome();
        break;
      case Purpose::kWrite:
        Flush();
        break;
    }
  }

  // One timer per connection, armed for the earliest of: the phase deadline (handshake,
  // authentication, refusal), the write deadline, and the session's own deadline.
  void ArmTimer() {
    if (state_ == State::kClosed) {
      return;
    }
    const SteadyTime now = std::chrono::steady_clock::now();
    std::optional<SteadyTime> due = phase_deadline_;
    auto earliest = [&](SteadyTime t) {
      if (!due || t < *due) {
        due = t;
      }
    };
    if (write_deadline_) {
      earliest(*write_deadline_);
    }
    if (state_ == State::kSession) {
      if (auto session_due = bridge_->NextDeadline()) {
        earliest(now + std::max(kMinTimer, std::chrono::duration_cast<std::chrono::milliseconds>(
                                               *session_due - config_.clock->Now())));
      }
    }
    if (!due) {
      return;
    }
    // An earlier wait already pending is left alone: when it fires, OnTimer re-arms. This
    // keeps the busy path (every read moves the keep-alive deadline) free of timer churn.
    if (timer_armed_ && timer_.expiry() <= *due) {
      return;
    }
    timer_.expires_at(*due);
    timer_armed_ = true;
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) {
        return;  // re-armed or cancelled
      }
      self->Guarded([&] { self->OnTimer(); });
    });
  }

  void OnTimer() {
    const SteadyTime now = std::chrono::steady_clock::now();
    if (state_ == State::kClosed || now < timer_.expiry()) {
      return;  // a stale completion of a timer since re-armed
    }
    timer_armed_ = false;
    if (write_deadline_ && now >= *write_deadline_) {
      TransportEnded();
      return;
    }
    if (phase_deadline_ && now >= *phase_deadline_) {
      if (state_ == State::kHandshake) {
        ++config_.counters->handshakes_failed;
      }
      Abort();
      return;
    }
    if (state_ == State::kSession) {
      Apply(bridge_->OnTick(config_.clock->Now()));
    }
    ArmTimer();
  }

  // The listener is stopping.
  void Shutdown() {
    if (state_ == State::kSession && !bridge_->closed()) {
      stopping_ = true;  // one write attempt for the DISCONNECT, no waiting
      Apply(bridge_->OnServerDisconnect(mqtt::ServerDisconnectCause::kServerShuttingDown,
                                        config_.clock->Now()));
    }
    Abort();
  }

  // After the last bytes were written: close_notify (one non-blocking attempt; the peer's
  // answer is not awaited, RFC 8446 §6.1 allows it), then close.
  void GracefulClose() {
    if (state_ == State::kClosed) {
      return;
    }
    channel_->CloseNotify();
    Abort();
  }

  // Closes at once. Idempotent. Pending waits complete with operation_aborted and find kClosed.
  // A session still open ends as CONNECTION_LOST (will, detach, log record); its bytes have
  // nowhere to go.
  void Abort() {
    if (state_ == State::kClosed) {
      return;
    }
    state_ = State::kClosed;
    if (bridge_ && !bridge_->closed()) {
      try {
        bridge_->OnConnectionLost(config_.clock->Now());
      } catch (const std::exception& e) {
        spdlog::error("mqtt connection {}: ending the session: {}", peer_ip_, e.what());
      }
    }
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    channel_.reset();
    ssl_.reset();
    refusal_.reset();
  }

  const MqttConnectionConfig& config_;
  const uint64_t id_;
  tcp::socket socket_;
  asio::steady_timer timer_;
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

}  // namespace

std::shared_ptr<MqttConnection> StartMqttConnection(tcp::socket socket,
                                                    const MqttConnectionConfig& config,
                                                    uint64_t id) {
  auto connection = std::make_shared<Connection>(std::move(socket), config, id);
  connection->Start();
  return connection;
}

}  // namespace fg::net
