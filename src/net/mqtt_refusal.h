#pragma once

// Answering a device whose certificate the gateway refused (sans-I/O; no sockets). The refusal
// is decided before any MQTT byte is processed, but a client usually sends CONNECT right after
// the handshake; if it does, it gets a CONNACK it can report ("not authorized": 3.1.1 return
// code 0x05, MQTT 5 reason 0x87) before the connection is closed. Nothing else of its traffic is
// processed. Not thread-safe: one per connection.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mqtt/framer.h"
#include "mqtt/reason_code.h"

namespace fg::net {

class RefusalResponder {
 public:
  // `max_packet_size` bounds what is buffered while looking for the CONNECT. `code` is the
  // CONNACK reason (kNotAuthorized; kServerUnavailable when the registry could not be read).
  explicit RefusalResponder(std::size_t max_packet_size,
                            mqtt::ReasonCode code = mqtt::ReasonCode::kNotAuthorized)
      : framer_(max_packet_size), code_(code) {}

  enum class Outcome : std::uint8_t {
    kNeedMore,  // no whole packet yet; read more (within the refusal deadline)
    kConnack,   // a CONNECT arrived: send connack() and close
    kClose,     // anything else (not CONNECT, malformed, too large): close without an answer
  };

  // Bytes read from the refused connection, split anywhere.
  Outcome OnBytes(std::span<const std::uint8_t> chunk);

  // REQUIRES: OnBytes returned kConnack. The encoded CONNACK refusal, in the client's version.
  const std::vector<std::uint8_t>& connack() const { return connack_; }
  // The client id the CONNECT carried (for the connect_failed event); empty before kConnack.
  const std::string& client_id() const { return client_id_; }

 private:
  mqtt::Framer framer_;
  mqtt::ReasonCode code_;
  std::vector<std::uint8_t> connack_;
  std::string client_id_;
};

}  // namespace fg::net
