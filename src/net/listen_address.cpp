#include "net/listen_address.h"

#include <charconv>
#include <string>

namespace fg::net {

Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "listen address '" + std::string(text) + "' must be host:port");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return Fail(ErrorCode::kInvalidArgument,
                "bad port in listen address '" + std::string(text) + "'");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") {
    host = "127.0.0.1";
  }
  boost::system::error_code aec;
  auto address = boost::asio::ip::make_address(std::string(host), aec);
  if (aec) {
    return Fail(ErrorCode::kInvalidArgument,
                "listen address host must be an IP address: '" + std::string(text) + "'");
  }
  return boost::asio::ip::tcp::endpoint(address, static_cast<uint16_t>(port));
}

Result<uint16_t> Listen(boost::asio::ip::tcp::acceptor& acceptor,
                        const boost::asio::ip::tcp::endpoint& endpoint,
                        std::string_view listen_address) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "cannot listen on " + std::string(listen_address) + ": " + ec.message());
  }
  const uint16_t port = acceptor.local_endpoint(ec).port();
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "cannot read the bound port of " +
                                             std::string(listen_address) + ": " + ec.message());
  }
  return port;
}

}  // namespace fg::net
