#pragma once

// "host:port" as the listeners take it: a literal IPv4 or IPv6 address ("[::1]:8883") or
// "localhost" (meaning 127.0.0.1), and a port (0 = any free port). Names other than localhost are
// refused: resolving would block, and a name with several addresses makes the bind ambiguous.
// Internal to net/ (it names an Asio type).

#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "core/result.h"

namespace fg::net {

// kInvalidArgument, naming the input, for anything else.
Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(std::string_view text);

// Opens `acceptor` on `endpoint` (SO_REUSEADDR), binds and listens; returns the bound port (the
// chosen one for port 0). kUnavailable naming `listen_address` when any step fails.
Result<uint16_t> Listen(boost::asio::ip::tcp::acceptor& acceptor,
                        const boost::asio::ip::tcp::endpoint& endpoint,
                        std::string_view listen_address);

}  // namespace fg::net
