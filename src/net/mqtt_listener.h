#pragma once

// The device listener: MQTT 3.1.1/5 over mutual TLS (issue 4). Each accepted connection gets its
// own strand and goes through:
//   1. the TLS 1.2/1.3 handshake, within `handshake_deadline`. A client certificate is required
//      (no certificate: the handshake fails and a NO_CLIENT_CERTIFICATE refusal is logged), but
//      its chain is judged by the authenticator, not by OpenSSL (net/mqtt_tls.h);
//   2. authentication (gateway::Authenticator) with the SNI, the chain and the ALPN, before any
//      MQTT byte is processed: from the identity cache on the I/O thread when it can, otherwise
//      on a small worker pool (it may read the store). Its events are published, a refusal is
//      logged, and a refused client that sends CONNECT within `refusal_deadline` gets CONNACK
//      "not authorized" (3.1.1 0x05, v5 0x87) before the connection is closed;
//   3. the MQTT session (mqtt::Session through net::MqttBridge): the broker routes its messages,
//      the connection log gets its record, and its deadlines (CONNECT within
//      limits.connect_timeout of the accept, keep-alive) run on one timer per connection.
// Writes are bounded by `write_deadline` and the outbound queue by `max_outbound_bytes` (a
// client that does not read beyond that is disconnected as CONNECTION_LOST). Above
// `max_connections` live connections, new ones are closed at accept.
//
// The listener also ticks the broker once a second (delayed wills, lifecycle-version pruning).
// Create() sets SIGPIPE to SIG_IGN if it is at its default (OpenSSL writes to the socket with
// write(2); a vanished device must not kill the process).
//
// Threading: `io_threads` threads run the sockets; Create(), Start() and Stop() are called from
// one controlling thread. The gateway pieces must outlive the listener.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "gateway/authenticator.h"
#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "mqtt/limits.h"

namespace fg::net {

struct MqttListenerOptions {
  // "host:port" with a literal IPv4/IPv6 address or "localhost"; port 0 picks a free port.
  std::string listen_address = "127.0.0.1:0";
  // PEM server certificate chain and private key (`fleetguard init`'s pki/server.pem, .key).
  std::string tls_cert_file;
  std::string tls_key_file;
  // A 443-style listener: the client must negotiate ALPN "x-amzn-mqtt-ca".
  bool require_alpn = false;
  // Node id for the connection log's refused-connection rows.
  std::string node_id;
  mqtt::Limits limits;
  int io_threads = 2;
  int auth_threads = 2;
  size_t max_connections = 100'000;
  size_t max_outbound_bytes = 512 * 1024;
  std::chrono::milliseconds handshake_deadline{10'000};
  std::chrono::milliseconds write_deadline{10'000};
  std::chrono::milliseconds refusal_deadline{2'000};
  // Run the TLS record layer in fleetguard after the handshake and free OpenSSL's per-connection
  // state (net/tls_channel.h); false keeps OpenSSL's for every connection.
  bool take_over_record_layer = true;
  // How often a live session's last packet time is written to the connection log.
  std::chrono::milliseconds activity_interval{30'000};
};

// The gateway pieces the listener drives; not owned.
struct MqttGateway {
  gateway::Authenticator* authenticator = nullptr;
  gateway::Broker* broker = nullptr;
  gateway::ConnectionLogWriter* log = nullptr;
  const Clock* clock = nullptr;
};

struct MqttListenerStats {
  uint64_t accepted = 0;
  uint64_t over_limit = 0;  // closed at accept: max_connections reached
  uint64_t handshakes_failed = 0;
  uint64_t refused = 0;  // by the authenticator
  uint64_t authenticated = 0;
  uint64_t overflow_closes = 0;         // outbound queue full
  uint64_t record_layer_handoffs = 0;   // connections whose records fleetguard protects
  uint64_t record_layer_fallbacks = 0;  // connections OpenSSL kept (unsupported suite, ...)
  size_t live = 0;                      // connections now
};

class MqttListener {
 public:
  // Validates the options, loads the server certificate and key, and binds and listens (so a
  // busy port or a bad key fails here). Errors: kInvalidArgument (options, address, TLS files),
  // kUnavailable (bind or listen failed).
  static Result<std::unique_ptr<MqttListener>> Create(MqttListenerOptions options,
                                                      MqttGateway gateway);

  MqttListener(const MqttListener&) = delete;
  MqttListener& operator=(const MqttListener&) = delete;
  // Calls Stop().
  ~MqttListener();

  // Starts the threads and begins accepting. Call at most once.
  void Start();

  // Stops accepting, ends every live session as the server shutting down (v5 DISCONNECT 0x8B,
  // wills, log records), waits for authentications in progress, and joins the threads.
  // Idempotent.
  void Stop();

  // The bound port (the chosen one when the address asked for port 0).
  uint16_t LocalPort() const;

  MqttListenerStats stats() const;

 private:
  struct Impl;
  explicit MqttListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::net
