#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "mqtt/packet.h"

namespace fg::mqtt {

// Opaque id the broker assigns to a subscriber (a session). Never 0 is not required.
using SubscriberId = std::uint64_t;

struct SubscriptionOptions {
  QoS max_qos = QoS::kAtMostOnce;
  bool no_local = false;             // v5: do not deliver the subscriber's own messages
  bool retain_as_published = false;  // v5: keep the RETAIN flag on forwarded messages

  bool operator==(const SubscriptionOptions&) const = default;
};

struct MatchedSubscriber {
  SubscriberId id = 0;
  SubscriptionOptions options;

  bool operator==(const MatchedSubscriber&) const = default;
};

// Topic filter -> subscribers, as a trie with one node per topic level, so a lookup costs
// O(levels x matching branches) rather than O(subscriptions). Levels are ≤ 8 under the AWS
// slash limit, so recursion depth is small.
//
// Not thread-safe: the broker owns one table and touches it from a single strand (or under
// its own mutex). Filters must be valid (IsValidTopicFilter); the session checks before it
// asks the broker to subscribe.
class SubscriptionTable {
 public:
  SubscriptionTable();
  ~SubscriptionTable();
  SubscriptionTable(const SubscriptionTable&) = delete;
  SubscriptionTable& operator=(const SubscriptionTable&) = delete;

  // Adds `id` under `filter`, or replaces its options if already there (MQTT-3.8.4-3).
  // Returns true if the subscription is new.
  bool Add(std::string_view filter, SubscriberId id, SubscriptionOptions options);

  // Removes `id` from `filter`; returns false if it was not subscribed. Empty branches are
  // pruned, so memory follows the live subscriptions.
  bool Remove(std::string_view filter, SubscriberId id);

  // Every subscriber with at least one filter matching `topic` (a valid Topic Name), once each,
  // with the options of its highest-QoS matching filter (MQTT 5 §4.8.1 overlapping
  // subscriptions), ordered by id. Follows MQTT-4.7.2-1 for topics starting with '$'.
  std::vector<MatchedSubscriber> Match(std::string_view topic) const;

  // Number of (filter, subscriber) pairs.
  std::size_t size() const { return size_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::size_t size_ = 0;
};

}  // namespace fg::mqtt
