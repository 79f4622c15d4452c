#pragma once

// The load generator of the gateway benchmark: opens one mutual-TLS connection per device
// identity against an MQTT server, `concurrency` attempts in flight at a time, each one
// TCP connect -> TLS handshake (the device's own certificate, SNI, server certificate verified)
// -> CONNECT -> CONNACK. Established connections are kept open and idle (no PINGREQ; the
// CONNECT asks for a long keep-alive) until the ConnectLoad is destroyed, so that the server's
// memory per idle connection can be measured while they exist.
//
// Bounded: every attempt has `attempt_timeout`, the whole run `run_timeout`; attempts still in
// flight at the end of the run are abandoned and counted as failures. Asio and OpenSSL stay
// inside connect_load.cpp (pimpl).
//
// Threading: Create(), Run(), CountDroppedWhileIdle() and the destructor are called from one
// thread; Run() runs the sockets on `threads` threads of its own and joins them before it
// returns. Nothing of the connection runs between two calls.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "device_identities.h"
#include "mqtt/packet.h"

namespace fg::bench {

struct ConnectLoadOptions {
  std::string host = "127.0.0.1";  // literal address; loopback in the benchmark
  uint16_t port = 0;
  // Sent as SNI and checked against the server certificate; empty: neither.
  std::string server_name;
  // PEM trust anchors for the server certificate; empty: the server is not verified.
  std::string ca_file;
  size_t concurrency = 32;
  int threads = 1;
  std::chrono::milliseconds attempt_timeout{10'000};
  std::chrono::milliseconds run_timeout{120'000};
  mqtt::ProtocolVersion version = mqtt::ProtocolVersion::kV311;
  uint16_t keep_alive_seconds = 1200;
  std::string client_id_prefix = "bench-";
  // "1.2" or "1.3" pins the TLS version; "" lets the peers negotiate (1.3 here).
  std::string tls_version;
};

struct ConnectReport {
  size_t attempted = 0;
  size_t established = 0;
  // Failures by "stage: reason" (e.g. "handshake: sslv3 alert bad certificate",
  // "connack: refused 0x05 (NotAuthorized)", "timeout: in handshake"), with counts.
  std::map<std::string, size_t> failures;
  // Latency of every established connection, from the start of the TCP connect to the CONNACK,
  // in milliseconds (unsorted).
  std::vector<double> latencies_ms;
  // From the first TCP connect to the last CONNACK.
  double elapsed_s = 0;
  // This process's CPU time during Run() (user + system), for the client's share of the box.
  double client_cpu_ms = 0;

  double ConnectsPerSecond() const {
    return elapsed_s > 0 ? static_cast<double>(established) / elapsed_s : 0;
  }
};

class ConnectLoad {
 public:
  // Builds the client TLS context (kInvalidArgument: unreadable `ca_file`, a bad TLS version,
  // zero concurrency or threads, an empty identity list). `identities` are not copied and
  // must outlive the ConnectLoad; one connection is made per identity.
  static Result<std::unique_ptr<ConnectLoad>> Create(ConnectLoadOptions options,
                                                     const std::vector<DeviceIdentity>& identities);

  ConnectLoad(const ConnectLoad&) = delete;
  ConnectLoad& operator=(const ConnectLoad&) = delete;
  // Closes every connection (abruptly: TCP close without DISCONNECT).
  ~ConnectLoad();

  // Makes every connection, once. Call at most once.
  ConnectReport Run();

  // How many of the established connections the server has closed or written to since (their
  // socket is readable or hung up), checked without blocking. A server that keeps idle
  // connections open scores 0.
  size_t CountDroppedWhileIdle() const;

 private:
  struct Impl;
  explicit ConnectLoad(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::bench
