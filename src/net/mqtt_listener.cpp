#include "net/mqtt_listener.h"

#include <charconv>
#include <mutex>
#include <optional>
#include <signal.h>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "net/listen_address.h"
#include "net/mqtt_connection.h"
#include "net/mqtt_tls.h"

namespace fg::net {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;

struct MqttListener::Impl {
  Impl(MqttListenerOptions opts, MqttGateway gw)
      : options(std::move(opts)),
        gateway(gw),
        io_threads(static_cast<size_t>(options.io_threads)),
        auth_pool(static_cast<size_t>(options.auth_threads)),
        acceptor(asio::make_strand(ioc)),
        retry_timer(acceptor.get_executor()),
        tick_timer(asio::make_strand(ioc)) {}

  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void Tick();

  // Declaration order matters for destruction (reverse): the io_context, whose destruction
  // frees the last connection objects, goes before the config, the registry and the TLS
  // context they use.
  MqttListenerOptions options;
  MqttGateway gateway;
  pki::SslCtxPtr tls;
  MqttConnectionCounters counters;
  MqttConnectionConfig config;
  std::mutex mu;
  std::unordered_map<uint64_t, std::weak_ptr<MqttConnection>> connections;  // guarded by mu
  bool accepting = true;                                                    // guarded by mu
  uint64_t next_id = 1;                                                     // guarded by mu
  uint64_t accepted = 0;                                                    // guarded by mu
  uint64_t over_limit = 0;                                                  // guarded by mu
  asio::io_context ioc;
  asio::thread_pool io_threads;
  asio::thread_pool auth_pool;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  asio::steady_timer tick_timer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

namespace {

Result<void> Validate(const MqttListenerOptions& o, const MqttGateway& g) {
  if (g.authenticator == nullptr || g.broker == nullptr || g.log == nullptr || g.clock == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "MqttListener needs every gateway piece");
  }
  if (o.io_threads < 1 || o.auth_threads < 1 || o.max_connections < 1 ||
      o.max_outbound_bytes < o.limits.max_packet_size || o.handshake_deadline.count() <= 0 ||
      o.write_deadline.count() <= 0 || o.refusal_deadline.count() < 0 ||
      o.activity_interval.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "MqttListener limits must be positive (and the outbound queue hold one packet)");
  }
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "MqttListener needs a certificate and a key file");
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<MqttListener>> MqttListener::Create(MqttListenerOptions options,
                                                           MqttGateway gateway) {
  if (auto valid = Validate(options, gateway); !valid) {
    return Fail(valid.error());
  }
  auto endpoint = ParseListenAddress(options.listen_address);
  if (!endpoint) {
    return Fail(endpoint.error());
  }
  auto tls = MakeMqttServerContext(options.tls_cert_file, options.tls_key_file);
  if (!tls) {
    return Fail(tls.error());
  }

  // OpenSSL writes to the socket with write(2), not send(MSG_NOSIGNAL): a device that vanished
  // would otherwise kill the process with SIGPIPE. EPIPE is handled as a lost connection.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }

  auto impl = std::make_unique<Impl>(std::move(options), gateway);
  Impl* raw = impl.get();
  impl->tls = std::move(*tls);
  const MqttListenerOptions& o = impl->options;
  MqttConnectionConfig& c = impl->config;
  c.tls = impl->tls.get();
  c.auth_pool = &impl->auth_pool;
  c.authenticator = gateway.authenticator;
  c.broker = gateway.broker;
  c.log = gateway.log;
  c.clock = gateway.clock;
  c.node_id = o.node_id;
  c.bridge = MqttBridgeDeps{gateway.broker, gateway.log, &o.limits, o.activity_interval};
  c.require_alpn = o.require_alpn;
  c.handshake_deadline = o.handshake_deadline;
  c.write_deadline = o.write_deadline;
  c.refusal_deadline = o.refusal_deadline;
  c.max_outbound_bytes = o.max_outbound_bytes;
  c.take_over_record_layer = o.take_over_record_layer;
  c.counters = &impl->counters;
  c.on_destroyed = [raw](uint64_t id) {
    std::lock_guard<std::mutex> lock(raw->mu);
    raw->connections.erase(id);
  };

  auto port = Listen(impl->acceptor, *endpoint, o.listen_address);
  if (!port) {
    return Fail(port.error());
  }
  impl->port = *port;
  return std::unique_ptr<MqttListener>(new MqttListener(std::move(impl)));
}

MqttListener::MqttListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MqttListener::~MqttListener() { Stop(); }

uint16_t MqttListener::LocalPort() const { return impl_->port; }

MqttListenerStats MqttListener::stats() const {
  MqttListenerStats s;
  s.handshakes_failed = impl_->counters.handshakes_failed.load();
  s.refused = impl_->counters.refused.load();
  s.authenticated = impl_->counters.established.load();
  s.overflow_closes = impl_->counters.overflow_closes.load();
  s.record_layer_handoffs = impl_->counters.record_layer_handoffs.load();
  s.record_layer_fallbacks = impl_->counters.record_layer_fallbacks.load();
  std::lock_guard<std::mutex> lock(impl_->mu);
  s.accepted = impl_->accepted;
  s.over_limit = impl_->over_limit;
  s.live = impl_->connections.size();
  return s;
}

void MqttListener::Start() {
  if (impl_->started || impl_->stopped) {
    return;
  }
  impl_->started = true;
  impl_->work.emplace(impl_->ioc.get_executor());
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->Accept(); });
  asio::post(impl_->tick_timer.get_executor(), [impl = impl_.get()] { impl->Tick(); });
  for (int i = 0; i < impl_->options.io_threads; ++i) {
    asio::post(impl_->io_threads, [impl = impl_.get()] { impl->ioc.run(); });
  }
}

void MqttListener::Impl::Tick() {
  gateway.broker->Tick(gateway.clock->Now());
  tick_timer.expires_after(std::chrono::seconds(1));
  tick_timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) {
      Tick();
    }
  });
}

void MqttListener::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](boost::system::error_code ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void MqttListener::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
    return;
  }
  if (ec) {
    // Typically EMFILE: back off briefly instead of spinning on the error.
    spdlog::warn("mqtt accept failed: {}", ec.message());
    retry_timer.expires_after(std::chrono::milliseconds(100));
    retry_timer.async_wait([this](boost::system::error_code wec) {
      if (!wec) {
        Accept();
      }
    });
    return;
  }
  // Released only after the lock: a peer that closed at once can finish on another I/O thread
  // before StartMqttConnection returns, and then this is the last reference, whose destructor
  // takes `mu` (on_destroyed). Dropped under the lock, it deadlocked the accepting thread.
  std::shared_ptr<MqttConnection> new_connection;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!accepting) {
      return;
    }
    ++accepted;
    if (connections.size() >= options.max_connections) {
      ++over_limit;
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      const uint64_t id = next_id++;
      // Registered before it starts, so that its destructor's erase always finds it.
      connections.emplace(id, std::weak_ptr<MqttConnection>());
      new_connection = StartMqttConnection(std::move(socket), config, id);
      connections[id] = new_connection;
    }
  }
  new_connection.reset();
  Accept();
}

void MqttListener::Stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  if (!impl_->started) {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    return;
  }
  std::vector<std::shared_ptr<MqttConnection>> live;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->accepting = false;
    for (const auto& [id, weak] : impl_->connections) {
      if (auto c = weak.lock()) {
        live.push_back(std::move(c));
      }
    }
  }
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry_timer.cancel();
  });
  asio::post(impl_->tick_timer.get_executor(), [impl = impl_.get()] { impl->tick_timer.cancel(); });
  for (const auto& c : live) {
    c->Close();
  }
  live.clear();
  // Authentications in progress post their results to connections that are closed by now;
  // those then end, and run() returns once the work guard is gone.
  impl_->auth_pool.join();
  // A connection that was still authenticating when Close ran got its decision afterwards;
  // close everything once more now that no decision is outstanding.
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (const auto& [id, weak] : impl_->connections) {
      if (auto c = weak.lock()) {
        live.push_back(std::move(c));
      }
    }
  }
  for (const auto& c : live) {
    c->Close();
  }
  live.clear();
  impl_->work.reset();
  impl_->io_threads.join();
}

}  // namespace fg::net
