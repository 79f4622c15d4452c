#pragma once

// The limits and deadlines of `serve`'s listeners as configuration: the "mqtt" and "http"
// sections of the --config file (docs/security.md section 2 has the table of keys, defaults,
// ranges and reasons):
//
//   {"mqtt": {"handshakeDeadline": "5s", "maxPacketSize": 65536, "maxConnections": 20000},
//    "http": {"headerDeadline": "5s", "maxBodyBytes": 262144}}
//
// Sizes and counts are JSON integers; durations are strings such as "500ms", "10s", "2m". Every
// key is optional and an absent one keeps its default (the defaults of net::MqttListenerOptions,
// mqtt::Limits and net::HttpServerOptions). An unknown key, a value of the wrong type or one
// outside its range fails the whole file with kInvalidArgument and a message that names the key
// ("mqtt.handshakeDeadline"), so that a typo never leaves a limit silently at its default.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "net/http_server.h"
#include "net/mqtt_listener.h"

namespace fg::app {

struct ListenerLimits {
  // Only the limit and deadline fields are set from the configuration; addresses, TLS files and
  // threads are the caller's.
  net::MqttListenerOptions mqtt;
  net::HttpServerOptions http;
  // Given explicitly; when unset, the caller fits max_connections to RLIMIT_NOFILE
  // (app/descriptor_budget.h) and the fields above keep a placeholder.
  std::optional<size_t> mqtt_max_connections;
  std::optional<size_t> http_max_connections;
};

// Reads the "mqtt" and "http" members of `config` (other members are not looked at); `source`
// names the file in messages. Errors: kInvalidArgument as described above, including
// inconsistent pairs (mqtt.maxPayload above mqtt.maxPacketSize, mqtt.maxOutboundBytes below it,
// mqtt.minKeepAlive above mqtt.maxKeepAlive).
Result<ListenerLimits> ParseListenerLimits(const boost::json::object& config,
                                           std::string_view source);

// One configuration key, for documentation and tests: "mqtt.handshakeDeadline" and its range.
struct LimitKey {
  std::string name;  // section.key
  std::string min;   // as written in the file: "100ms", "64"
  std::string max;
};
// Every key ParseListenerLimits accepts, in the order of the documentation.
std::vector<LimitKey> ListenerLimitKeys();

}  // namespace fg::app
