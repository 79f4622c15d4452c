#include "connect_load.h"

#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <poll.h>
#include <string_view>
#include <sys/resource.h>
#include <thread>
#include <variant>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "mqtt/reason_code.h"
#include "pki/crypto_error.h"

namespace fg::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// CONNACK is 4 bytes in 3.1.1 and a few dozen in 5.0; anything larger is not a CONNACK.
constexpr size_t kMaxConnackSize = 512;

double CpuMillisOfThisProcess() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

std::string Hex2(unsigned value) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  return {'0', 'x', kDigits[(value >> 4) & 0xF], kDigits[value & 0xF]};
}

// One device's attempt and, once it succeeded, its idle connection. Lives on its own strand.
struct Link {
  Link(asio::io_context& ioc, asio::ssl::context& ctx, size_t slot)
      : stream(asio::make_strand(ioc), ctx), timer(stream.get_executor()), index(slot) {}

  asio::ssl::stream<tcp::socket> stream;
  asio::steady_timer timer;
  const size_t index;
  SteadyTime started;
  const char* stage = "connect";
  bool finished = false;
  std::vector<uint8_t> connect_bytes;
  std::array<uint8_t, 128> read_buffer{};
  mqtt::Framer framer{kMaxConnackSize};
};

}  // namespace

struct ConnectLoad::Impl {
  Impl(ConnectLoadOptions o, const std::vector<DeviceIdentity>& ids)
      : options(std::move(o)),
        identities(ids),
        ssl_context(asio::ssl::context::tls_client),
        deadline(asio::make_strand(ioc)),
        latencies_ms(ids.size(), std::numeric_limits<double>::quiet_NaN()),
        connack_times(ids.size()),
        links(ids.size()) {}

  Result<void> Configure();
  ConnectReport Run();

  void Launch();
  void Start(const std::shared_ptr<Link>& link);
  void OnConnected(const std::shared_ptr<Link>& link);
  void ReadConnack(const std::shared_ptr<Link>& link);
  void OnBytes(const std::shared_ptr<Link>& link, size_t n);
  void Succeed(const std::shared_ptr<Link>& link);
  void FailLink(const std::shared_ptr<Link>& link, const std::string& reason);
  void Finish(const std::shared_ptr<Link>& link);
  void AbortAll();
  void RecordFailure(const std::string& key);

  const ConnectLoadOptions options;
  const std::vector<DeviceIdentity>& identities;
  asio::io_context ioc;
  asio::ssl::context ssl_context;
  tcp::endpoint endpoint;
  asio::steady_timer deadline;  // on its own strand

  std::atomic<size_t> next{0};
  std::atomic<size_t> outstanding{0};
  std::atomic<bool> stopping{false};
  std::atomic<bool> first_started{false};
  SteadyTime first_start;

  // Element i is written only by link i's handlers; read after the threads are joined.
  std::vector<double> latencies_ms;
  std::vector<SteadyTime> connack_times;

  std::mutex mutex;  // guards links (the slots) and failures
  std::vector<std::shared_ptr<Link>> links;
  std::map<std::string, size_t> failures;
};

Result<void> ConnectLoad::Impl::Configure() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "host is not a literal IP address: " + options.host);
  }
  endpoint = tcp::endpoint(address, options.port);
  SSL_CTX* ctx = ssl_context.native_handle();
  int max_version = 0;
  if (options.tls_version == "1.2") {
    max_version = TLS1_2_VERSION;
  } else if (options.tls_version == "1.3") {
    max_version = TLS1_3_VERSION;
  } else if (!options.tls_version.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "TLS version must be 1.2 or 1.3");
  }
  const int min_version = max_version == TLS1_3_VERSION ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1 ||
      (max_version != 0 && SSL_CTX_set_max_proto_version(ctx, max_version) != 1)) {
    return Fail(ErrorCode::kInternal, "cannot pin the TLS version: " + pki::LastCryptoError());
  }
  // Every connection is a full handshake, as for a fleet reconnecting after a gateway restart.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!options.ca_file.empty()) {
    ssl_context.load_verify_file(options.ca_file, ec);
    if (ec) {
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot load CA file " + options.ca_file + ": " + ec.message());
    }
    ssl_context.set_verify_mode(asio::ssl::verify_peer, ec);
  }
  return Ok();
}

void ConnectLoad::Impl::RecordFailure(const std::string& key) {
  std::lock_guard lock(mutex);
  ++failures[key];
}

void ConnectLoad::Impl::Launch() {
  if (stopping.load()) {
    return;
  }
  const size_t index = next.fetch_add(1);
  if (index >= identities.size()) {
    return;
  }
  outstanding.fetch_add(1);
  auto link = std::make_shared<Link>(ioc, ssl_context, index);
  {
    std::lock_guard lock(mutex);
    links[index] = link;
  }
  asio::post(link->stream.get_executor(), [this, link] { Start(link); });
}

void ConnectLoad::Impl::Start(const std::shared_ptr<Link>& link) {
  const DeviceIdentity& identity = identities[link->index];
  SSL* ssl = link->stream.native_handle();
  // SSL_set_tlsext_host_name is a macro over SSL_ctrl with a C cast; call SSL_ctrl directly.
  const bool sni_ok = options.server_name.empty() ||
                      (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                const_cast<char*>(options.server_name.c_str())) == 1 &&
                       SSL_set1_host(ssl, options.server_name.c_str()) == 1);
  if (SSL_use_certificate(ssl, identity.cert.Raw()) != 1 ||
      SSL_use_PrivateKey(ssl, identity.key.get()) != 1 || !sni_ok) {
    FailLink(link, "setup: " + pki::LastCryptoError());
    return;
  }
  mqtt::ConnectPacket connect;
  connect.version = options.version;
  connect.clean_start = true;
  connect.keep_alive = options.keep_alive_seconds;
  connect.client_id = options.client_id_prefix + identity.name;
  link->connect_bytes = mqtt::Encode(connect, options.version);
  link->framer.set_version(options.version);

  link->started = std::chrono::steady_clock::now();
  if (!first_started.exchange(true)) {
    first_start = link->started;
  }
  link->timer.expires_after(options.attempt_timeout);
  link->timer.async_wait([this, link](boost::system::error_code ec) {
    if (!ec && !link->finished) {
      FailLink(link, std::string("timeout: in ") + link->stage);
    }
  });
  link->stream.next_layer().async_connect(endpoint, [this, link](boost::system::error_code ec) {
    if (link->finished) {
      return;
    }
    if (ec) {
      FailLink(link, "connect: " + ec.message());
      return;
    }
    OnConnected(link);
  });
}

void ConnectLoad::Impl::OnConnected(const std::shared_ptr<Link>& link) {
  boost::system::error_code ec;
  // Without TCP_NODELAY the CONNECT after a TLS 1.3 handshake waits for a delayed ACK.
  link->stream.next_layer().set_option(tcp::no_delay(true), ec);
  link->stage = "handshake";
  link->stream.async_handshake(
      asio::ssl::stream_base::client, [this, link](boost::system::error_code hec) {
        if (link->finished) {
          return;
        }
        if (hec) {
          FailLink(link, "handshake: " + hec.message());
          return;
        }
        link->stage = "connect packet";
        asio::async_write(link->stream, asio::buffer(link->connect_bytes),
                          [this, link](boost::system::error_code wec, size_t) {
                            if (link->finished) {
                              return;
                            }
                            if (wec) {
                              FailLink(link, "write: " + wec.message());
                              return;
                            }
                            link->stage = "connack";
                            ReadConnack(link);
                          });
      });
}

void ConnectLoad::Impl::ReadConnack(const std::shared_ptr<Link>& link) {
  link->stream.async_read_some(asio::buffer(link->read_buffer),
                               [this, link](boost::system::error_code ec, size_t n) {
                                 if (link->finished) {
                                   return;
                                 }
                                 if (ec) {
                                   FailLink(link, "connack: " + ec.message());
                                   return;
                                 }
                                 OnBytes(link, n);
                               });
}

void ConnectLoad::Impl::OnBytes(const std::shared_ptr<Link>& link, size_t n) {
  std::span<const uint8_t> input(link->read_buffer.data(), n);
  auto packet = link->framer.Next(input);
  if (!packet) {
    FailLink(link, "connack: undecodable reply");
    return;
  }
  if (!packet->has_value()) {
    ReadConnack(link);
    return;
  }
  const auto* connack = std::get_if<mqtt::ConnackPacket>(&**packet);
  if (connack == nullptr) {
    FailLink(link, "connack: another packet came first");
    return;
  }
  if (connack->reason_code != mqtt::ReasonCode::kSuccess) {
    // Reported as it was on the wire: the 3.1.1 return code, or the v5 reason code.
    unsigned wire = static_cast<unsigned>(connack->reason_code);
    if (options.version == mqtt::ProtocolVersion::kV311) {
      wire = mqtt::V311ConnectReturnCode(connack->reason_code).value_or(wire);
    }
    FailLink(link, "connack: refused " + Hex2(wire) + " (" +
                       std::string(mqtt::ReasonCodeName(connack->reason_code)) + ")");
    return;
  }
  Succeed(link);
}

void ConnectLoad::Impl::Succeed(const std::shared_ptr<Link>& link) {
  const SteadyTime now = std::chrono::steady_clock::now();
  latencies_ms[link->index] =
      std::chrono::duration<double, std::milli>(now - link->started).count();
  connack_times[link->index] = now;
  // The idle connection keeps nothing it no longer needs.
  link->connect_bytes = {};
  Finish(link);
}

void ConnectLoad::Impl::FailLink(const std::shared_ptr<Link>& link, const std::string& reason) {
  RecordFailure(reason);
  boost::system::error_code ignored;
  link->stream.next_layer().close(ignored);
  Finish(link);
}

void ConnectLoad::Impl::Finish(const std::shared_ptr<Link>& link) {
  link->finished = true;
  link->timer.cancel();
  Launch();
  if (outstanding.fetch_sub(1) == 1) {
    asio::post(deadline.get_executor(), [this] { deadline.cancel(); });
  }
}

// At the end of the run: every attempt still in flight fails, on its own strand.
void ConnectLoad::Impl::AbortAll() {
  stopping.store(true);
  std::vector<std::shared_ptr<Link>> snapshot;
  {
    std::lock_guard lock(mutex);
    snapshot = links;
  }
  for (const auto& link : snapshot) {
    if (link) {
      asio::post(link->stream.get_executor(), [this, link] {
        if (!link->finished) {
          FailLink(link, std::string("timeout: run ended in ") + link->stage);
        }
      });
    }
  }
}

ConnectReport ConnectLoad::Impl::Run() {
  const double cpu_before = CpuMillisOfThisProcess();
  const size_t initial = std::min(options.concurrency, identities.size());
  for (size_t i = 0; i < initial; ++i) {
    Launch();
  }
  deadline.expires_after(options.run_timeout);
  deadline.async_wait([this](boost::system::error_code ec) {
    if (!ec) {
      AbortAll();
    }
  });
  std::vector<std::thread> threads;
  for (int i = 0; i < options.threads; ++i) {
    threads.emplace_back([this] { ioc.run(); });
  }
  for (std::thread& t : threads) {
    t.join();
  }

  ConnectReport report;
  report.client_cpu_ms = CpuMillisOfThisProcess() - cpu_before;
  report.attempted = std::min(next.load(), identities.size());
  report.failures = failures;
  SteadyTime last_connack = first_start;
  for (size_t i = 0; i < latencies_ms.size(); ++i) {
    if (!std::isnan(latencies_ms[i])) {
      report.latencies_ms.push_back(latencies_ms[i]);
      last_connack = std::max(last_connack, connack_times[i]);
    }
  }
  report.established = report.latencies_ms.size();
  report.elapsed_s = std::chrono::duration<double>(last_connack - first_start).count();
  return report;
}

Result<std::unique_ptr<ConnectLoad>> ConnectLoad::Create(
    ConnectLoadOptions options, const std::vector<DeviceIdentity>& identities) {
  if (options.concurrency == 0 || options.threads <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "concurrency and threads must be positive");
  }
  if (identities.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no device identities to connect with");
  }
  auto impl = std::make_unique<Impl>(std::move(options), identities);
  if (auto configured = impl->Configure(); !configured) {
    return Fail(configured.error());
  }
  return std::unique_ptr<ConnectLoad>(new ConnectLoad(std::move(impl)));
}

ConnectLoad::ConnectLoad(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ConnectLoad::~ConnectLoad() {
  // The threads are joined and no handler is pending for an idle link, so closing here is
  // race-free; the io_context then destroys whatever handlers an aborted run left behind.
  for (const auto& link : impl_->links) {
    if (link) {
      boost::system::error_code ignored;
      link->stream.next_layer().close(ignored);
    }
  }
}

ConnectReport ConnectLoad::Run() { return impl_->Run(); }

size_t ConnectLoad::CountDroppedWhileIdle() const {
  std::vector<pollfd> fds;
  for (size_t i = 0; i < impl_->links.size(); ++i) {
    const auto& link = impl_->links[i];
    if (link && !std::isnan(impl_->latencies_ms[i]) && link->stream.next_layer().is_open()) {
      pollfd p{};
      p.fd = link->stream.next_layer().native_handle();
      p.events = POLLIN | POLLRDHUP;
      fds.push_back(p);
    }
  }
  if (fds.empty()) {
    return 0;
  }
  if (poll(fds.data(), fds.size(), 0) < 0) {
    return fds.size();
  }
  size_t dropped = 0;
  for (const pollfd& p : fds) {
    if (p.revents != 0) {
      ++dropped;
    }
  }
  return dropped;
}

}  // namespace fg::bench
