#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "mqtt/message.h"

namespace fg::mqtt {

// Retained messages: at most one per topic (MQTT 5 §3.3.1.3). In memory; durability, if
// wanted, belongs to the broker layer that owns this. Not thread-safe (one owner strand).
class RetainedStore {
 public:
  // `max_messages` bounds memory against a client retaining on unbounded distinct topics.
  explicit RetainedStore(std::size_t max_messages = 100'000) : max_messages_(max_messages) {}

  // Stores `message` under its topic, replacing any previous one. An empty payload deletes the
  // topic's retained message instead (MQTT-3.3.1-10/-11). Fails with kLimitExceeded when a new
  // topic would exceed max_messages (replacing and deleting always succeed).
  Result<void> Put(ApplicationMessage message);

  // Retained messages whose topic matches `filter` (a valid Topic Filter), in topic order, for
  // delivery on a new subscription (MQTT-3.3.1-9). Linear in the number of retained messages.
  std::vector<ApplicationMessage> Match(std::string_view filter) const;

  std::size_t size() const { return messages_.size(); }

 private:
  std::size_t max_messages_;
  std::map<std::string, ApplicationMessage, std::less<>> messages_;
};

}  // namespace fg::mqtt
