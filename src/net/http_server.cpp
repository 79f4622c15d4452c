#include "net/http_server.h"

#include <charconv>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "net/http_connection.h"
#include "net/listen_address.h"

namespace fg::net {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions opts)
      : options(std::move(opts)),
        io_threads(static_cast<size_t>(options.io_threads)),
        handler_pool(static_cast<size_t>(options.handler_threads)),
        acceptor(asio::make_strand(ioc)),
        retry_timer(acceptor.get_executor()) {}

  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);

  // Declaration order is destruction order in reverse: the config and options outlive the
  // io_context, whose destruction frees the last connection objects.
  HttpServerOptions options;
  std::optional<asio::ssl::context> tls;
  HttpConnectionConfig config;
  asio::io_context ioc;
  asio::thread_pool io_threads;
  asio::thread_pool handler_pool;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;

  std::mutex mu;
  std::vector<std::weak_ptr<HttpConnection>> connections;  // guarded by mu
  bool accepting = true;                                   // guarded by mu
};

namespace {

Result<void> LoadTls(asio::ssl::context& ctx, const HttpServerOptions& options) {
  boost::system::error_code ec;
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use,
                  ec);
  if (ec || SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
    return Fail(ErrorCode::kInternal, "cannot configure the TLS context");
  }
  ctx.use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load TLS certificate chain " + options.tls_cert_file + ": " + ec.message());
  }
  ctx.use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load TLS private key " + options.tls_key_file + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return Fail(ErrorCode::kInvalidArgument, "TLS private key does not match the certificate");
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options) {
  if (!options.handler) {
    return Fail(ErrorCode::kInvalidArgument, "HttpServer needs a handler");
  }
  if (options.io_threads < 1 || options.handler_threads < 1 || options.max_connections < 1 ||
      options.body_limit < 1 || options.header_limit < 64 || options.header_limit > UINT32_MAX) {
    return Fail(ErrorCode::kInvalidArgument, "HttpServer limits must be positive");
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "TLS needs both a certificate file and a key file, or neither");
  }
  auto endpoint = ParseListenAddress(options.listen_address);
  if (!endpoint) {
    return Fail(endpoint.error());
  }

  auto impl = std::make_unique<Impl>(std::move(options));
  const HttpServerOptions& o = impl->options;
  if (!o.tls_cert_file.empty()) {
    impl->tls.emplace(asio::ssl::context::tls_server);
    if (auto ok = LoadTls(*impl->tls, o); !ok) {
      return Fail(ok.error());
    }
  }
  impl->config = HttpConnectionConfig{
      &impl->options.handler, &impl->handler_pool, impl->tls ? &*impl->tls : nullptr,
      o.body_limit,           o.header_limit,      o.header_deadline,
      o.request_deadline,     o.idle_timeout,      o.write_deadline};

  auto port = Listen(impl->acceptor, *endpoint, o.listen_address);
  if (!port) {
    return Fail(port.error());
  }
  impl->port = *port;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::LocalPort() const { return impl_->port; }

void HttpServer::Start() {
  if (impl_->started || impl_->stopped) {
    return;
  }
  impl_->started = true;
  impl_->work.emplace(impl_->ioc.get_executor());
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->Accept(); });
  for (int i = 0; i < impl_->options.io_threads; ++i) {
    asio::post(impl_->io_threads, [impl = impl_.get()] { impl->ioc.run(); });
  }
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](boost::system::error_code ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void HttpServer::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
    return;
  }
  if (ec) {
    // Typically EMFILE: back off briefly instead of spinning on the error.
    spdlog::warn("http accept failed: {}", ec.message());
    retry_timer.expires_after(std::chrono::milliseconds(100));
    retry_timer.async_wait([this](boost::system::error_code wec) {
      if (!wec) {
        Accept();
      }
    });
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    std::erase_if(connections, [](const std::weak_ptr<HttpConnection>& c) { return c.expired(); });
    if (!accepting) {
      return;
    }
    if (connections.size() >= options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      connections.push_back(StartHttpConnection(std::move(socket), config));
    }
  }
  Accept();
}

void HttpServer::Stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  if (!impl_->started) {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    return;
  }
  std::vector<std::shared_ptr<HttpConnection>> live;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->accepting = false;
    for (const auto& weak : impl_->connections) {
      if (auto c = weak.lock()) {
        live.push_back(std::move(c));
      }
    }
    impl_->connections.clear();
  }
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry_timer.cancel();
  });
  for (const auto& c : live) {
    c->Close();
  }
  live.clear();
  // Running handlers finish and post their responses; the I/O threads write them, then every
  // connection has ended and run() returns once the work guard is gone.
  impl_->handler_pool.join();
  impl_->work.reset();
  impl_->io_threads.join();
}

}  // namespace fg::net
