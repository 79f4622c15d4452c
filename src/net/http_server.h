#pragma once

// The HTTP/1.1 listener of the control plane (plain HTTP, or HTTPS when a certificate is given).
// It turns each request into an api::HttpRequest, runs the handler on a small thread pool (never on
// an I/O thread, since handlers reach the store and may block), and writes the handler's
// api::HttpResponse back on the connection's strand. Keep-alive is supported.
//
// Limits, each answered in AWS style and followed by closing the connection: a body over
// `body_limit` gets 413, a header section over `header_limit` gets 431, unparsable HTTP gets 400.
// A client that does not finish its header within `header_deadline`, or its whole request within
// `request_deadline` (both measured from the request's first byte), or stays silent for
// `idle_timeout` between requests, is disconnected.
//
// Threading: one io_context run by `io_threads` threads; a strand per connection. Create(),
// Start() and Stop() are to be called from one controlling thread. The handler is called
// concurrently from up to `handler_threads` threads and must be thread-safe; it should not throw
// (if it does, the client gets a 500).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_types.h"
#include "core/result.h"

namespace fg::net {

using HttpHandler = std::function<api::HttpResponse(const api::HttpRequest&)>;

struct HttpServerOptions {
  // "host:port" with a literal IPv4/IPv6 address ("127.0.0.1:0", "[::1]:8443") or "localhost".
  // Port 0 picks a free port; see LocalPort().
  std::string listen_address = "127.0.0.1:0";
  // PEM certificate chain and private key. Both empty: plain HTTP. Both set: HTTPS (TLS >= 1.2).
  std::string tls_cert_file;
  std::string tls_key_file;
  HttpHandler handler;
  int io_threads = 2;
  int handler_threads = 2;
  size_t max_connections = 1024;
  size_t body_limit = 1024 * 1024;
  size_t header_limit = 8 * 1024;
  std::chrono::milliseconds header_deadline{10'000};
  std::chrono::milliseconds request_deadline{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_deadline{30'000};
};

class HttpServer {
 public:
  // Validates the options, loads the TLS certificate and key, and binds and listens, so that a
  // busy port or a bad key fails here. Errors: kInvalidArgument (bad options, address, or TLS
  // files), kUnavailable (bind or listen failed).
  static Result<std::unique_ptr<HttpServer>> Create(HttpServerOptions options);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Calls Stop().
  ~HttpServer();

  // Starts the I/O and handler threads and begins accepting. Call at most once.
  void Start();

  // Graceful stop: stops accepting, closes idle connections, lets requests whose handler is
  // running finish and get their response (bounded by write_deadline), then joins all threads.
  // Blocks until done. Idempotent. REQUIRES: not called from the handler (it waits for handlers).
  void Stop();

  // The bound port (the chosen one when the address asked for port 0).
  uint16_t LocalPort() const;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::net
