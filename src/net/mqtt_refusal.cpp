#include "net/mqtt_refusal.h"

#include <variant>

#include "mqtt/encoder.h"
#include "mqtt/packet.h"

namespace fg::net {

RefusalResponder::Outcome RefusalResponder::OnBytes(std::span<const std::uint8_t> chunk) {
  auto next = framer_.Next(chunk);
  if (!next) {
    return Outcome::kClose;
  }
  if (!next->has_value()) {
    return Outcome::kNeedMore;
  }
  const auto* connect = std::get_if<mqtt::ConnectPacket>(&**next);
  if (connect == nullptr) {
    // MQTT-3.1.0-1: the first packet must be CONNECT; there is nothing to answer.
    return Outcome::kClose;
  }
  client_id_ = connect->client_id;
  mqtt::ConnackPacket connack;
  // For 3.1.1 the encoder maps 0x87 to 0x05 "not authorized" and 0x88 to 0x03 (§3.2.2.3).
  connack.reason_code = code_;
  connack_ = mqtt::Encode(connack, connect->version);
  return Outcome::kConnack;
}

}  // namespace fg::net
