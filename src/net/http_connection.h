#pragma once

// One accepted HTTP connection (net-internal; only http_server.cpp includes this). The Beast
// state lives in http_connection.cpp, so this header carries Asio types but no Beast types.

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "net/http_server.h"

namespace fg::net {

// Everything a connection needs from its server. Owned by the server, which outlives every
// connection (it joins the I/O threads before destroying this).
struct HttpConnectionConfig {
  const HttpHandler* handler = nullptr;
  boost::asio::thread_pool* handler_pool = nullptr;
  boost::asio::ssl::context* tls = nullptr;  // nullptr: plain HTTP
  size_t body_limit = 0;
  size_t header_limit = 0;
  std::chrono::milliseconds header_deadline{0};
  std::chrono::milliseconds request_deadline{0};
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds write_deadline{0};
};

class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  // Asks the connection to end: at once when it is waiting for a request, after the response
  // when a handler is running. Safe from any thread.
  virtual void Close() = 0;
};

// Takes ownership of `socket` (whose executor must be a strand) and starts serving it. The
// returned connection keeps itself alive while it has work; the caller may keep a weak_ptr.
std::shared_ptr<HttpConnection> StartHttpConnection(boost::asio::ip::tcp::socket socket,
                                                    const HttpConnectionConfig& config);

}  // namespace fg::net
