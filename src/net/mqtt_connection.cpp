#include "net/mqtt_connection.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <span>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "net/mqtt_connection_impl.h"
#include "net/tls_channel.h"

namespace fg::net {
namespace detail {
namespace {

// Reads per turn before yielding the strand's thread to other connections.
constexpr int kReadsPerTurn = 8;
// Lower bound for re-arming the session timer, so that a clock that does not move (a test's
// ManualClock) cannot make it spin.
constexpr std::chrono::milliseconds kMinTimer{5};

}  // namespace

namespace asio = boost::asio;

void Connection::Start() {
  asio::post(socket_.get_executor(),
             [self = shared_from_this()] { self->Guarded([&] { self->Begin(); }); });
}

void Connection::Close() {
  asio::post(socket_.get_executor(),
             [self = shared_from_this()] { self->Guarded([&] { self->Shutdown(); }); });
}

void Connection::Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), message, granted] {
    self->Guarded([&] {
      if (self->state_ == State::kSession) {
        self->Apply(self->bridge_->Deliver(message, granted, self->config_.clock->Now()));
      }
    });
  });
}

void Connection::Kick(mqtt::ServerDisconnectCause cause) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), cause] {
    self->Guarded([&] {
      if (self->state_ == State::kSession) {
        self->Apply(self->bridge_->OnServerDisconnect(cause, self->config_.clock->Now()));
      }
    });
  });
}

// ---- Reading ----------------------------------------------------------------------------

void Connection::ReadSome() {
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

void Connection::OnPlaintext(std::span<const uint8_t> chunk) {
  if (state_ == State::kRefusing) {
    OnRefusedBytes(chunk);
    return;
  }
  Apply(bridge_->OnBytes(chunk, config_.clock->Now()));
}

// The peer closed or the transport failed: nothing more can be written.
void Connection::TransportEnded() { Abort(); }

// ---- Writing ----------------------------------------------------------------------------

// Carries out what the bridge returned. Outbound-queue overflow policy: a client that does
// not read while max_outbound_bytes are waiting for it is disconnected as CONNECTION_LOST (the
// QoS 1 window is bounded by the session; this bounds QoS 0 too).
void Connection::Apply(BridgeOutput out) {
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

void Connection::Flush() {
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

void Connection::WaitFor(Purpose purpose, tcp::socket::wait_type type) {
  bool& waiting = waiting_[static_cast<size_t>(purpose)];
  if (waiting) {
    return;
  }
  waiting = true;
  socket_.async_wait(type, [self = shared_from_this(), purpose](boost::system::error_code ec) {
    self->Guarded([&] { self->OnReady(purpose, ec); });
  });
}

void Connection::OnReady(Purpose purpose, boost::system::error_code ec) {
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
void Connection::ArmTimer() {
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

void Connection::OnTimer() {
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
void Connection::Shutdown() {
  if (state_ == State::kSession && !bridge_->closed()) {
    stopping_ = true;  // one write attempt for the DISCONNECT, no waiting
    Apply(bridge_->OnServerDisconnect(mqtt::ServerDisconnectCause::kServerShuttingDown,
                                      config_.clock->Now()));
  }
  Abort();
}

// After the last bytes were written: close_notify (one non-blocking attempt; the peer's
// answer is not awaited, RFC 8446 §6.1 allows it), then close.
void Connection::GracefulClose() {
  if (state_ == State::kClosed) {
    return;
  }
  channel_->CloseNotify();
  Abort();
}

// Closes at once. Idempotent. Pending waits complete with operation_aborted and find kClosed.
// A session still open ends as CONNECTION_LOST (will, detach, log record); its bytes have
// nowhere to go.
void Connection::Abort() {
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

}  // namespace detail

std::shared_ptr<MqttConnection> StartMqttConnection(boost::asio::ip::tcp::socket socket,
                                                    const MqttConnectionConfig& config,
                                                    uint64_t id) {
  auto connection = std::make_shared<detail::Connection>(std::move(socket), config, id);
  connection->Start();
  return connection;
}

}  // namespace fg::net
