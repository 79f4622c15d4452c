#include "net/http_connection.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <spdlog/spdlog.h>

#include "api/api_error.h"
#include "pki/random.h"

namespace fg::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

bool HasCrLfOrNul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Headers the transport owns; a handler's values for them are ignored.
bool IsHopByHop(std::string_view name) {
  return api::EqualsIgnoreCase(name, "Content-Length") ||
         api::EqualsIgnoreCase(name, "Transfer-Encoding") ||
         api::EqualsIgnoreCase(name, "Connection") || api::EqualsIgnoreCase(name, "Keep-Alive");
}

api::HttpResponse HandlerCrashed() {
  Error e;
  e.code = ErrorCode::kInternal;
  return api::ErrorResponse(e, pki::RandomUuid());
}

template <class Stream>
class Connection final : public HttpConnection,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  template <class... StreamArgs>
  Connection(const HttpConnectionConfig& config, StreamArgs&&... stream_args)
      : config_(config), stream_(std::forward<StreamArgs>(stream_args)...) {}

  void Run() {
    boost::system::error_code ec;
    tcp::endpoint peer = Lowest().socket().remote_endpoint(ec);
    if (!ec) {
      peer_ = peer.address().to_string() + ":" + std::to_string(peer.port());
    }
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (std::is_same_v<Stream, TlsStream>) {
        self->Handshake();
      } else {
        self->WaitForRequest();
      }
    });
  }

  void Close() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      // A running handler keeps the connection until its response is written (graceful stop).
      if (!self->busy_) {
        self->CloseSocket();
      }
    });
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Handshake() {
    Lowest().expires_after(config_.header_deadline);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              if (ec) {
                                self->CloseSocket();
                                return;
                              }
                              self->WaitForRequest();
                            });
  }

  // Between requests: wait for the first byte under the idle timeout, so that the header deadline
  // counts from when the client starts sending, not from when it was last served.
  void WaitForRequest() {
    if (closing_) {
      Shutdown();
      return;
    }
    if (buffer_.size() > 0) {
      ReadHeader();
      return;
    }
    Lowest().expires_after(served_ == 0 ? config_.header_deadline : config_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) {
                                self->CloseSocket();
                                return;
                              }
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config_.header_limit));
    parser_->body_limit(config_.body_limit);
    request_started_ = std::chrono::steady_clock::now();
    Lowest().expires_after(config_.header_deadline);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    auto length = parser_->content_length();
    if (length && *length > config_.body_limit) {
      RejectAndClose(api::ApiFailure::kPayloadTooLarge, "The request body is too large");
      return;
    }
    const auto& header = parser_->get();
    auto expect = header.find(http::field::expect);
    if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
      continue_.emplace(http::status::continue_, header.version());
      Lowest().expires_after(config_.write_deadline);
      http::async_write(stream_, *continue_,
                        [self = this->shared_from_this()](beast::error_code wec, size_t) {
                          if (wec) {
                            self->CloseSocket();
                            return;
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_at(request_started_ + config_.request_deadline);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) {
                         self->OnReadError(ec);
                         return;
                       }
                       self->Dispatch();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      RejectAndClose(api::ApiFailure::kPayloadTooLarge, "The request body is too large");
    } else if (ec == http::error::header_limit) {
      RejectAndClose(api::ApiFailure::kHeaderFieldsTooLarge, "The request header is too large");
    } else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message &&
               ec != http::error::need_more && ec != http::error::need_buffer) {
      // A parse error (bad method, target, version, field, chunk...): the bytes are not HTTP.
      RejectAndClose(api::ApiFailure::kMalformedRequest, "The request is not valid HTTP/1.1");
    } else {
      // Timeout (tcp_stream has already closed the socket), peer closed, or cancelled by Stop.
      CloseSocket();
    }
  }

  void Dispatch() {
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    Lowest().expires_never();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    busy_ = true;

    auto request = std::make_shared<api::HttpRequest>();
    request->method = std::string(message.method_string());
    request->target = std::string(message.target());
    for (const auto& field : message) {
      request->headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    request->body = std::move(message.body());
    request->peer_address = peer_;

    // Handlers reach the store and may block: run them on the handler pool, then come back to
    // this connection's strand to write (STYLE.md §7).
    asio::post(*config_.handler_pool, [self = this->shared_from_this(), request] {
      api::HttpResponse response;
      try {
        response = (*self->config_.handler)(*request);
      } catch (const std::exception& e) {
        spdlog::error("http handler threw: {}", e.what());
        response = HandlerCrashed();
      } catch (...) {
        spdlog::error("http handler threw a non-exception");
        response = HandlerCrashed();
      }
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    });
  }

  void RejectAndClose(api::ApiFailure failure, std::string message) {
    keep_alive_ = false;
    busy_ = true;
    parser_.reset();
    Write(api::ErrorResponse(api::ApiError::From(failure, std::move(message)), pki::RandomUuid()));
  }

  void Write(api::HttpResponse response) {
    ++served_;
    auto out = std::make_shared<http::response<http::string_body>>();
    unsigned status = response.status >= 100 && response.status <= 599
                          ? static_cast<unsigned>(response.status)
                          : 500u;
    out->result(status);
    out->version(version_);
    for (const api::HttpHeader& h : response.headers.fields()) {
      // A header value with CR or LF would let a handler's data split the response.
      if (h.name.empty() || IsHopByHop(h.name) || HasCrLfOrNul(h.name) || HasCrLfOrNul(h.value)) {
        continue;
      }
      out->insert(h.name, h.value);
    }
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive_ && !closing_);
    out->prepare_payload();
    Lowest().expires_after(config_.write_deadline);
    http::async_write(stream_, *out,
                      [self = this->shared_from_this(), out](beast::error_code ec, size_t) {
                        self->busy_ = false;
                        if (ec) {
                          self->CloseSocket();
                          return;
                        }
                        if (!out->keep_alive()) {
                          self->Shutdown();
                          return;
                        }
                        self->WaitForRequest();
                      });
  }

  // Orderly end: TLS close_notify (bounded by the write deadline), then a TCP send shutdown.
  void Shutdown() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      Lowest().expires_after(config_.write_deadline);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
    } else {
      boost::system::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      CloseSocket();
    }
  }

  void CloseSocket() {
    boost::system::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  const HttpConnectionConfig& config_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::chrono::steady_clock::time_point request_started_;
  std::string peer_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool busy_ = false;     // a handler is running or a response is being written
  bool closing_ = false;  // Close() was called
  size_t served_ = 0;
};

}  // namespace

std::shared_ptr<HttpConnection> StartHttpConnection(tcp::socket socket,
                                                    const HttpConnectionConfig& config) {
  if (config.tls != nullptr) {
    auto connection =
        std::make_shared<Connection<TlsStream>>(config, std::move(socket), *config.tls);
    connection->Run();
    return connection;
  }
  auto connection = std::make_shared<Connection<PlainStream>>(config, std::move(socket));
  connection->Run();
  return connection;
}

}  // namespace fg::net
