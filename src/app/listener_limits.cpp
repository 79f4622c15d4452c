#include "app/listener_limits.h"

#include <charconv>
#include <cstdint>
#include <set>

#include "core/time_format.h"

namespace fg::app {
namespace {

using std::chrono::milliseconds;

enum class Kind { kCount, kDuration, kWholeSeconds };

struct KeySpec {
  std::string_view section;
  std::string_view name;
  Kind kind;
  int64_t min;  // a count, or milliseconds
  int64_t max;
  void (*set)(ListenerLimits&, int64_t);
};

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;
constexpr int64_t kGiB = 1024 * kMiB;
// 1 + 4 + 268,435,455: a fixed header with the largest variable byte integer (MQTT 5 §1.5.5).
constexpr int64_t kMqttMaxPacket = 268'435'460;
// Client ids of 1..23 bytes must be accepted by every server (MQTT-3.1.3-5).
constexpr int64_t kMqttMinClientId = 23;
// Deadlines below this cut off honest clients on a busy machine; above it an attacker holds
// resources for long. Both ends are generous: the ranges only stop typos and unit mix-ups.
constexpr int64_t kMinDeadline = 100;
constexpr int64_t kMaxConnectionsCap = 10'000'000;

milliseconds Ms(int64_t v) { return milliseconds(v); }
size_t Size(int64_t v) { return static_cast<size_t>(v); }

// The order here is the order of docs/security.md's table.
constexpr KeySpec kKeys[] = {
    {"mqtt", "handshakeDeadline", Kind::kDuration, kMinDeadline, 10 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.mqtt.handshake_deadline = Ms(v); }},
    {"mqtt", "connectDeadline", Kind::kDuration, kMinDeadline, 10 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.connect_timeout = Ms(v); }},
    {"mqtt", "refusalDeadline", Kind::kDuration, 0, kMinute,
     [](ListenerLimits& l, int64_t v) { l.mqtt.refusal_deadline = Ms(v); }},
    {"mqtt", "writeDeadline", Kind::kDuration, kMinDeadline, 10 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.mqtt.write_deadline = Ms(v); }},
    {"mqtt", "maxConnections", Kind::kCount, 1, kMaxConnectionsCap,
     [](ListenerLimits& l, int64_t v) { l.mqtt_max_connections = Size(v); }},
    {"mqtt", "maxPacketSize", Kind::kCount, 64, kMqttMaxPacket,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.max_packet_size = Size(v); }},
    {"mqtt", "maxPayload", Kind::kCount, 0, kMqttMaxPacket,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.max_payload = Size(v); }},
    {"mqtt", "maxOutboundBytes", Kind::kCount, 1 * kKiB, 1 * kGiB,
     [](ListenerLimits& l, int64_t v) { l.mqtt.max_outbound_bytes = Size(v); }},
    {"mqtt", "maxSubscriptions", Kind::kCount, 1, 100'000,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.max_subscriptions = Size(v); }},
    {"mqtt", "maxTopicFiltersPerSubscribe", Kind::kCount, 1, 1000,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.max_topic_filters_per_subscribe = Size(v); }},
    {"mqtt", "maxClientIdLength", Kind::kCount, kMqttMinClientId, 65535,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.max_client_id_length = Size(v); }},
    {"mqtt", "maxTopicLength", Kind::kCount, 1, 65535,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.topic.max_length = Size(v); }},
    {"mqtt", "maxTopicSlashes", Kind::kCount, 0, 1000,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.topic.max_slashes = Size(v); }},
    {"mqtt", "maxInflight", Kind::kCount, 1, 65535,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.outbound.max_inflight = Size(v); }},
    {"mqtt", "maxQueuedMessages", Kind::kCount, 0, 1'000'000,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.outbound.max_queued = Size(v); }},
    {"mqtt", "maxQueuedBytes", Kind::kCount, 0, 1 * kGiB,
     [](ListenerLimits& l, int64_t v) { l.mqtt.limits.outbound.max_queued_bytes = Size(v); }},
    // Keep-alive travels as a 16-bit count of seconds (MQTT 5 §3.1.2.10).
    {"mqtt", "minKeepAlive", Kind::kWholeSeconds, 1 * kSecond, 65535 * kSecond,
     [](ListenerLimits& l, int64_t v) {
       l.mqtt.limits.min_keep_alive_seconds = static_cast<uint16_t>(v / kSecond);
     }},
    {"mqtt", "maxKeepAlive", Kind::kWholeSeconds, 1 * kSecond, 65535 * kSecond,
     [](ListenerLimits& l, int64_t v) {
       l.mqtt.limits.max_keep_alive_seconds = static_cast<uint16_t>(v / kSecond);
     }},
    // AWS: 1 hour by default, adjustable up to 7 days; 0 turns persistent sessions off.
    {"mqtt", "persistentSessionExpiry", Kind::kWholeSeconds, 0, 7 * 24 * 60 * kMinute,
     [](ListenerLimits& l, int64_t v) {
       l.mqtt.limits.persistent_session_expiry_seconds = static_cast<uint32_t>(v / kSecond);
     }},
    {"http", "maxConnections", Kind::kCount, 1, kMaxConnectionsCap,
     [](ListenerLimits& l, int64_t v) { l.http_max_connections = Size(v); }},
    {"http", "maxBodyBytes", Kind::kCount, 1, 64 * kMiB,
     [](ListenerLimits& l, int64_t v) { l.http.body_limit = Size(v); }},
    // Below 1 KiB the AWS CLI's own signed headers no longer fit.
    {"http", "maxHeaderBytes", Kind::kCount, 1 * kKiB, 1 * kMiB,
     [](ListenerLimits& l, int64_t v) { l.http.header_limit = Size(v); }},
    {"http", "headerDeadline", Kind::kDuration, kMinDeadline, 10 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.http.header_deadline = Ms(v); }},
    {"http", "requestDeadline", Kind::kDuration, kMinDeadline, 60 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.http.request_deadline = Ms(v); }},
    {"http", "idleTimeout", Kind::kDuration, kMinDeadline, 60 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.http.idle_timeout = Ms(v); }},
    {"http", "writeDeadline", Kind::kDuration, kMinDeadline, 10 * kMinute,
     [](ListenerLimits& l, int64_t v) { l.http.write_deadline = Ms(v); }},
};

std::string FormatValue(Kind kind, int64_t v) {
  if (kind == Kind::kCount) {
    return std::to_string(v);
  }
  if (v % kMinute == 0 && v != 0) {
    return std::to_string(v / kMinute) + "m";
  }
  if (v % kSecond == 0) {
    return std::to_string(v / kSecond) + "s";
  }
  return std::to_string(v) + "ms";
}

// core's ParseDuration plus a millisecond suffix, which deadlines need and audit lags do not.
std::optional<int64_t> ParseMillis(std::string_view text) {
  if (text.size() > 2 && text.ends_with("ms")) {
    std::string_view number = text.substr(0, text.size() - 2);
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size() || value < 0) {
      return std::nullopt;
    }
    return value;
  }
  auto parsed = ParseDuration(text);
  if (!parsed) {
    return std::nullopt;
  }
  return parsed->count();
}

tl::unexpected<Error> Invalid(std::string_view source, const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, std::string(source) + ": " + message);
}

Result<int64_t> ReadValue(std::string_view source, const std::string& key, const KeySpec& spec,
                          const boost::json::value& value) {
  const std::string range =
      FormatValue(spec.kind, spec.min) + ".." + FormatValue(spec.kind, spec.max);
  int64_t v = 0;
  if (spec.kind == Kind::kCount) {
    if (value.is_int64()) {
      v = value.get_int64();
    } else if (value.is_uint64()) {
      return Invalid(source, key + " is out of range " + range);
    } else {
      return Invalid(source, key + " must be an integer in " + range);
    }
  } else {
    std::optional<int64_t> parsed;
    if (value.is_string()) {
      parsed = ParseMillis(value.get_string());
    }
    if (!parsed) {
      return Invalid(source, key + " must be a duration string such as \"500ms\", \"10s\" or " +
                                 "\"2m\", in " + range);
    }
    v = *parsed;
    if (spec.kind == Kind::kWholeSeconds && v % kSecond != 0) {
      return Invalid(source, key + " must be a whole number of seconds, in " + range);
    }
  }
  if (v < spec.min || v > spec.max) {
    return Invalid(source, key + " is out of range " + range);
  }
  return v;
}

}  // namespace

Result<ListenerLimits> ParseListenerLimits(const boost::json::object& config,
                                           std::string_view source) {
  ListenerLimits limits;
  std::set<std::string> given;
  for (std::string_view section : {"mqtt", "http"}) {
    const boost::json::value* members = config.if_contains(section);
    if (members == nullptr) {
      continue;
    }
    if (!members->is_object()) {
      return Invalid(source, std::string(section) + " must be an object");
    }
    for (const auto& member : members->get_object()) {
      const std::string key = std::string(section) + "." + std::string(member.key());
      const KeySpec* spec = nullptr;
      for (const KeySpec& k : kKeys) {
        if (k.section == section && k.name == member.key()) {
          spec = &k;
        }
      }
      if (spec == nullptr) {
        return Invalid(source, "unknown key " + key + " (docs/security.md lists the keys)");
      }
      auto value = ReadValue(source, key, *spec, member.value());
      if (!value) {
        return Fail(value.error());
      }
      spec->set(limits, *value);
      given.insert(key);
    }
  }

  // A smaller packet implies a smaller payload, and a larger one a queue that holds it, unless
  // those keys are given too; given ones must agree.
  mqtt::Limits& m = limits.mqtt.limits;
  if (!given.contains("mqtt.maxPayload")) {
    m.max_payload = std::min(m.max_payload, m.max_packet_size);
  } else if (m.max_payload > m.max_packet_size) {
    return Invalid(source, "mqtt.maxPayload (" + std::to_string(m.max_payload) +
                               ") must not exceed mqtt.maxPacketSize (" +
                               std::to_string(m.max_packet_size) + ")");
  }
  if (!given.contains("mqtt.maxOutboundBytes")) {
    limits.mqtt.max_outbound_bytes = std::max(limits.mqtt.max_outbound_bytes, m.max_packet_size);
  } else if (limits.mqtt.max_outbound_bytes < m.max_packet_size) {
    return Invalid(source, "mqtt.maxOutboundBytes (" +
                               std::to_string(limits.mqtt.max_outbound_bytes) +
                               ") must hold one packet of mqtt.maxPacketSize (" +
                               std::to_string(m.max_packet_size) + ")");
  }
  if (m.min_keep_alive_seconds > m.max_keep_alive_seconds) {
    return Invalid(source, "mqtt.minKeepAlive (" + std::to_string(m.min_keep_alive_seconds) +
                               "s) must not exceed mqtt.maxKeepAlive (" +
                               std::to_string(m.max_keep_alive_seconds) + "s)");
  }
  return limits;
}

std::vector<LimitKey> ListenerLimitKeys() {
  std::vector<LimitKey> keys;
  for (const KeySpec& k : kKeys) {
    keys.push_back(LimitKey{std::string(k.section) + "." + std::string(k.name),
                            FormatValue(k.kind, k.min), FormatValue(k.kind, k.max)});
  }
  return keys;
}

}  // namespace fg::app
