#include "mqtt/retained_store.h"

#include "mqtt/topic.h"

namespace fg::mqtt {

Result<void> RetainedStore::Put(ApplicationMessage message) {
  if (message.payload.empty()) {
    messages_.erase(message.topic);
    return Ok();
  }
  auto it = messages_.find(message.topic);
  if (it != messages_.end()) {
    it->second = std::move(message);
    return Ok();
  }
  if (messages_.size() >= max_messages_) {
    return Fail(ErrorCode::kLimitExceeded,
                "retained message limit of " + std::to_string(max_messages_) + " reached");
  }
  std::string topic = message.topic;
  messages_.emplace(std::move(topic), std::move(message));
  return Ok();
}

std::vector<ApplicationMessage> RetainedStore::Match(std::string_view filter) const {
  std::vector<ApplicationMessage> out;
  if (!HasWildcard(filter)) {
    if (auto it = messages_.find(filter); it != messages_.end()) {
      out.push_back(it->second);
    }
    return out;
  }
  for (const auto& [topic, message] : messages_) {
    if (TopicMatches(filter, topic)) {
      out.push_back(message);
    }
  }
  return out;
}

}  // namespace fg::mqtt
