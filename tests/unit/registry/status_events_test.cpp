#include "registry/status_events.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace fg::registry {
namespace {

const StatusEvent kEvent{StatusEventKind::kCertificate, "111111111111", "abc", "ACTIVE",
                         "INACTIVE"};

TEST(StatusEventPublisherTest, DeliversToSubscribersUntilUnsubscribed) {
  StatusEventPublisher publisher;
  std::vector<StatusEvent> a;
  std::vector<StatusEvent> b;
  auto id_a = publisher.Subscribe([&](const StatusEvent& e) { a.push_back(e); });
  publisher.Subscribe([&](const StatusEvent& e) { b.push_back(e); });
  publisher.Publish(kEvent);
  publisher.Unsubscribe(id_a);
  publisher.Unsubscribe(12345);  // unknown: ignored
  publisher.Publish(kEvent);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], kEvent);
}

TEST(StatusEventPublisherTest, HandlerMayUnsubscribeItself) {
  StatusEventPublisher publisher;
  int calls = 0;
  StatusEventPublisher::SubscriptionId id = 0;
  id = publisher.Subscribe([&](const StatusEvent&) {
    ++calls;
    publisher.Unsubscribe(id);
  });
  publisher.Publish(kEvent);
  publisher.Publish(kEvent);
  EXPECT_EQ(calls, 1);
}

TEST(StatusEventPublisherTest, NoCallAfterUnsubscribeReturns) {
  StatusEventPublisher publisher;
  std::atomic<bool> stop{false};
  std::atomic<bool> unsubscribed{false};
  std::atomic<int> late_calls{0};
  auto id = publisher.Subscribe([&](const StatusEvent&) {
    if (unsubscribed.load()) {
      ++late_calls;
    }
  });
  std::thread publisher_thread([&] {
    while (!stop.load()) {
      publisher.Publish(kEvent);
    }
  });
  std::this_thread::yield();
  publisher.Unsubscribe(id);
  unsubscribed.store(true);
  for (int i = 0; i < 1000; ++i) {
    std::this_thread::yield();
  }
  stop.store(true);
  publisher_thread.join();
  EXPECT_EQ(late_calls.load(), 0);
}

}  // namespace
}  // namespace fg::registry
