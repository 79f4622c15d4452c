#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "mqtt/message.h"
#include "mqtt/packet.h"

namespace fg::mqtt {

struct OutboundLimits {
  std::size_t max_inflight = 100;             // unacknowledged QoS 1 PUBLISHes (AWS: 100)
  std::size_t max_queued = 100;               // QoS 1 messages waiting for a free slot
  std::size_t max_queued_bytes = 512 * 1024;  // payload bytes waiting, whatever the count
};

enum class DeliveryOutcome : std::uint8_t {
  kSend,     // `packet` is ready to go on the wire now
  kQueued,   // QoS 1, window full: kept, released by a later PUBACK
  kDropped,  // QoS 0 with the window full, or QoS 1 with the queue full
};

struct Delivery {
  DeliveryOutcome outcome = DeliveryOutcome::kDropped;
  std::optional<PublishPacket> packet;  // set iff outcome == kSend
};

// The server side of delivering messages to one subscriber: QoS 1 packet ids and the in-flight
// window, so that a subscriber that stops acknowledging cannot make the server's memory grow.
//
// Policy (written down because it loses messages on purpose):
//  - QoS 1 goes out while fewer than max_inflight are unacknowledged; beyond that it waits in
//    a FIFO of at most max_queued messages / max_queued_bytes payload bytes, and a message
//    that does not fit is dropped (newest dropped, the older ones keep their order).
//  - QoS 0 goes out immediately unless the window is full, in which case the subscriber is
//    not keeping up and the message is dropped (QoS 0 promises nothing).
//  - Nothing is resent on the same connection (MQTT-4.4.0-1 allows resending only on
//    reconnect). For a clean session in flight means just "an id"; a persistent session
//    (set_keep_unacknowledged) also keeps each unacknowledged PUBLISH so that TakeState can
//    hand it to the next connection.
// Not thread-safe; owned by its Session.
class OutboundWindow {
 public:
  explicit OutboundWindow(const OutboundLimits& limits) : limits_(&limits) {}

  // Offers `message` at `qos` (already the minimum of the message's and the subscription's).
  Delivery Offer(ApplicationMessage message, QoS qos);

  // The subscriber acknowledged `packet_id`. Frees its slot and returns queued messages now
  // allowed out, as PUBLISH packets in order. Unknown ids are ignored (and counted): MQTT 5
  // §4.13 lets the receiver ignore them, and AWS does.
  std::vector<PublishPacket> OnPuback(std::uint16_t packet_id);

  // Keep the content of in-flight PUBLISHes for TakeState (persistent sessions only: a clean
  // session would pay for copies it never resends).
  void set_keep_unacknowledged(bool keep) { keep_unacknowledged_ = keep; }

  // Moves out the unacknowledged PUBLISHes (in send order; empty unless kept) and the queued
  // messages, leaving the window empty.
  std::pair<std::vector<PublishPacket>, std::vector<ApplicationMessage>> TakeState();

  // A resumed session's messages: `unacknowledged` go out again first, with DUP set and their
  // original packet ids (MQTT-4.4.0-1), then `pending` as new PUBLISHes, as far as the window
  // allows; the rest waits in the queue, which may exceed max_queued here (the stored session
  // was bounded by its own limits). Unacknowledged ones beyond the window (the client's
  // Receive Maximum may have shrunk) lose their id and wait at the front of the queue.
  // REQUIRES: nothing in flight or queued yet.
  std::vector<PublishPacket> Restore(std::vector<PublishPacket> unacknowledged,
                                     std::vector<ApplicationMessage> pending);

  // Caps the window below max_inflight, from the client's v5 Receive Maximum (§3.1.2.11.3).
  void set_receive_maximum(std::uint16_t n) { receive_maximum_ = n; }

  std::size_t inflight() const { return inflight_.size(); }
  std::size_t queued() const { return queue_.size(); }
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t unknown_acks() const { return unknown_acks_; }

 private:
  std::size_t Window() const;
  PublishPacket Assign(ApplicationMessage message);
  std::uint16_t NextPacketId();

  const OutboundLimits* limits_;  // not owned; outlives this window
  std::uint16_t receive_maximum_ = 65535;
  std::uint16_t last_id_ = 0;
  bool keep_unacknowledged_ = false;
  std::vector<std::uint16_t> inflight_;    // at most max_inflight ids; linear scans are cheap
  std::vector<PublishPacket> unacked_;     // parallel to inflight_ when keep_unacknowledged_
  std::vector<ApplicationMessage> queue_;  // empty (no allocation) for a healthy subscriber
  std::size_t queued_bytes_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t unknown_acks_ = 0;
};

}  // namespace fg::mqtt
