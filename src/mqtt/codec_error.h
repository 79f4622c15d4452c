#pragma once

#include <cstdint>
#include <string>

#include <tl/expected.hpp>

#include "mqtt/reason_code.h"

namespace fg::mqtt {

// Why bytes from the network were refused. The codec uses its own error type rather than
// fg::Error because the session must answer each kind with a different MQTT reason code;
// AsError() converts for callers that only log or propagate.
enum class CodecErrc : std::uint8_t {
  kMalformedPacket,             // MQTT 5 §1.2 "Malformed Packet": cannot be parsed per spec
  kProtocolError,               // parsed, but breaks a rule of the protocol
  kPacketTooLarge,              // remaining length beyond the configured maximum packet size
  kUnsupportedProtocolVersion,  // CONNECT with a protocol name/level we do not speak
};

struct CodecError {
  CodecErrc code = CodecErrc::kMalformedPacket;
  std::string message;

  // The MQTT 5 reason code a server sends for this error (0x81, 0x82, 0x95, 0x84).
  ReasonCode reason() const;
  // "MalformedPacket: bad remaining length" for logs.
  std::string ToString() const;
};

// Result of decoding untrusted bytes: the value or a typed CodecError. Never throws.
template <typename T>
using CodecResult = tl::expected<T, CodecError>;

inline tl::unexpected<CodecError> Malformed(std::string message) {
  return tl::unexpected<CodecError>(CodecError{CodecErrc::kMalformedPacket, std::move(message)});
}

inline tl::unexpected<CodecError> ProtocolViolation(std::string message) {
  return tl::unexpected<CodecError>(CodecError{CodecErrc::kProtocolError, std::move(message)});
}

}  // namespace fg::mqtt

// Inside a function returning CodecResult<U>: evaluates `expr` (a CodecResult<T>), returns its
// error if it failed, else declares `var` holding the value. Keeps the parsers linear.
#define FG_MQTT_TRY(var, expr)              \
  auto var##_r = (expr);                    \
  if (!var##_r) {                           \
    return tl::unexpected(var##_r.error()); \
  }                                         \
  auto var = std::move(*var##_r)

// As FG_MQTT_TRY for a CodecResult<void>: returns its error if it failed.
#define FG_MQTT_CHECK(expr)                           \
  do {                                                \
    auto fg_mqtt_check_r = (expr);                    \
    if (!fg_mqtt_check_r) {                           \
      return tl::unexpected(fg_mqtt_check_r.error()); \
    }                                                 \
  } while (false)
