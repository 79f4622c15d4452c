#pragma once

// Shared by the fg_mqtt tests: decode a whole buffer through the real framer, and build a few
// valid client packets to mutate.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "mqtt/encoder.h"
#include "mqtt/framer.h"

namespace fg::mqtt::testing {

using Bytes = std::vector<std::uint8_t>;

// Decodes exactly one packet occupying all of `bytes`. Fails the calling test (via the
// returned error) if bytes remain or the packet is incomplete.
inline CodecResult<Packet> DecodeOne(const Bytes& bytes, ProtocolVersion version,
                                     std::size_t max_packet_size = 1 << 20) {
  Framer framer(max_packet_size);
  framer.set_version(version);
  std::span<const std::uint8_t> in(bytes);
  auto r = framer.Next(in);
  if (!r) {
    return tl::unexpected(r.error());
  }
  if (!r->has_value()) {
    return tl::unexpected(CodecError{CodecErrc::kMalformedPacket, "incomplete (test)"});
  }
  if (!in.empty()) {
    return tl::unexpected(CodecError{CodecErrc::kMalformedPacket, "trailing bytes (test)"});
  }
  return std::move(**r);
}

inline ConnectPacket MakeConnect(ProtocolVersion version, std::string client_id,
                                 std::uint16_t keep_alive = 60) {
  ConnectPacket c;
  c.version = version;
  c.client_id = std::move(client_id);
  c.keep_alive = keep_alive;
  return c;
}

inline PublishPacket MakePublish(std::string topic, std::string payload, QoS qos = QoS::kAtMostOnce,
                                 std::uint16_t packet_id = 0) {
  PublishPacket p;
  p.topic = std::move(topic);
  p.payload = std::move(payload);
  p.qos = qos;
  p.packet_id = packet_id;
  return p;
}

inline SubscribePacket MakeSubscribe(std::uint16_t packet_id, std::vector<std::string> filters,
                                     QoS qos = QoS::kAtLeastOnce) {
  SubscribePacket s;
  s.packet_id = packet_id;
  for (auto& f : filters) {
    Subscription sub;
    sub.filter = std::move(f);
    sub.max_qos = qos;
    s.subscriptions.push_back(std::move(sub));
  }
  return s;
}

}  // namespace fg::mqtt::testing
