#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "mqtt/outbound_window.h"
#include "mqtt/topic.h"

namespace fg::mqtt {

// Per-connection limits. Defaults are AWS IoT Core's message-broker quotas
// (docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits). One instance is
// shared by all sessions of a listener and must outlive them.
struct Limits {
  // Whole packet (fixed header included); must leave room for max_payload plus a topic and
  // properties. Advertised to v5 clients as Maximum Packet Size.
  std::size_t max_packet_size = 128 * 1024 + 2048;
  std::size_t max_payload = 128 * 1024;               // "Message size 128 KB"
  std::size_t max_subscriptions = 50;                 // "Subscriptions per connection"
  std::size_t max_topic_filters_per_subscribe = 8;    // "Topic filters per SUBSCRIBE"
  std::size_t max_client_id_length = 128;             // "Client ID size 128 bytes"
  TopicLimits topic;                                  // 256 bytes, 7 slashes
  OutboundLimits outbound;                            // 100 in-flight QoS 1 ("Max unacked")
  std::chrono::milliseconds connect_timeout{10'000};  // TCP/TLS up, CONNECT not yet received
  // Keep-alive clamp ("Keep alive 30..1200 s; 0 or above the maximum becomes the maximum").
  std::uint16_t min_keep_alive_seconds = 30;
  std::uint16_t max_keep_alive_seconds = 1200;
  // AWS's "Persistent session expiry period" quota (default 1 hour, adjustable from 1 hour to
  // 7 days): how long a 3.1.1 Clean Session 0 session outlives its connection, and the cap
  // on an MQTT 5 Session Expiry Interval. 0 turns persistent sessions off.
  std::uint32_t persistent_session_expiry_seconds = 3600;
};

// The keep-alive the server uses for a requested value (AWS rule, see Limits).
std::uint16_t ClampKeepAlive(std::uint16_t requested, const Limits& limits);

}  // namespace fg::mqtt
