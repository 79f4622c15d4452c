#pragma once

// One accepted device connection (net-internal; only mqtt_listener.cpp includes this): TLS over
// the socket, then authentication, then the MQTT session through an MqttBridge. This header
// carries Asio types; the async operations live in mqtt_connection.cpp and
// mqtt_connection_auth.cpp only (the class is in net/mqtt_connection_impl.h).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <openssl/ssl.h>

#include "core/clock.h"
#include "gateway/authenticator.h"
#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "net/mqtt_bridge.h"

namespace fg::net {

// Counters shared by a listener's connections.
struct MqttConnectionCounters {
  std::atomic<uint64_t> handshakes_failed{0};
  std::atomic<uint64_t> refused{0};      // authenticator said no
  std::atomic<uint64_t> established{0};  // authenticated (the MQTT session may still fail)
  std::atomic<uint64_t> overflow_closes{0};
  std::atomic<uint64_t> record_layer_handoffs{0};   // fleetguard's record layer took over
  std::atomic<uint64_t> record_layer_fallbacks{0};  // OpenSSL kept it (net/tls_handoff.h)
};

// Everything a connection needs from its listener, which outlives every connection (it joins
// the I/O threads and destroys the io_context before this).
struct MqttConnectionConfig {
  SSL_CTX* tls = nullptr;
  boost::asio::thread_pool* auth_pool = nullptr;
  gateway::Authenticator* authenticator = nullptr;
  gateway::Broker* broker = nullptr;
  gateway::ConnectionLogWriter* log = nullptr;
  const Clock* clock = nullptr;
  std::string node_id;
  MqttBridgeDeps bridge;
  bool require_alpn = false;
  std::chrono::milliseconds handshake_deadline{0};
  std::chrono::milliseconds write_deadline{0};
  std::chrono::milliseconds refusal_deadline{0};
  size_t max_outbound_bytes = 0;
  // After the handshake, run the TLS record layer ourselves and free the SSL where possible.
  bool take_over_record_layer = true;
  MqttConnectionCounters* counters = nullptr;
  // Called from the connection's destructor with its id (any thread).
  std::function<void(uint64_t)> on_destroyed;
};

class MqttConnection {
 public:
  virtual ~MqttConnection() = default;
  // Ends the connection: a live session gets the server-shutdown disconnect (v5 0x8B), its will
  // and its log record; anything earlier is just closed. Safe from any thread.
  virtual void Close() = 0;
};

// Takes ownership of `socket` (whose executor must be a strand) and starts the TLS handshake.
// `accepted_at` starts the CONNECT deadline. The connection keeps itself alive while it has
// work; the caller may keep a weak_ptr.
std::shared_ptr<MqttConnection> StartMqttConnection(boost::asio::ip::tcp::socket socket,
                                                    const MqttConnectionConfig& config,
                                                    uint64_t id);

}  // namespace fg::net
