#include "registry/status_events.h"

#include <algorithm>

namespace fg::registry {

StatusEventPublisher::SubscriptionId StatusEventPublisher::Subscribe(Handler handler) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->handler = std::move(handler);
  std::lock_guard<std::mutex> lock(mu_);
  subscriber->id = next_id_++;
  subscribers_.push_back(subscriber);
  return subscriber->id;
}

void StatusEventPublisher::Unsubscribe(SubscriptionId id) {
  std::shared_ptr<Subscriber> removed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [id](const auto& s) { return s->id == id; });
    if (it == subscribers_.end()) {
      return;
    }
    removed = *it;
    subscribers_.erase(it);
  }
  // Waits for a call in progress on another thread, so the caller may destroy what the
  // handler captured as soon as this returns.
  std::lock_guard<std::recursive_mutex> running(removed->running);
  removed->active = false;
}

void StatusEventPublisher::Publish(const StatusEvent& event) const {
  std::vector<std::shared_ptr<Subscriber>> snapshot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    snapshot = subscribers_;
  }
  // Handlers run outside mu_ so that they may subscribe or unsubscribe.
  for (const auto& subscriber : snapshot) {
    std::lock_guard<std::recursive_mutex> running(subscriber->running);
    if (subscriber->active) {
      subscriber->handler(event);
    }
  }
}

}  // namespace fg::registry
