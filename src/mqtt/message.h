#pragma once

#include <string>

#include "mqtt/packet.h"

namespace fg::mqtt {

// An application message as the broker layer routes it, independent of the connection and
// protocol version it arrived on (so a 3.1.1 publisher reaches a 5.0 subscriber). `properties`
// holds the v5 PUBLISH properties to forward (empty from 3.1.1 publishers).
struct ApplicationMessage {
  std::string topic;
  std::string payload;
  QoS qos = QoS::kAtMostOnce;
  bool retain = false;
  Properties properties;

  bool operator==(const ApplicationMessage&) const = default;
};

}  // namespace fg::mqtt
