// Target: mqtt::SubscriptionTable (Add, Match, Remove), differentially against mqtt::TopicMatches.
//
// Input: lines. A line starting with '>' is a topic to publish to; any other line is a topic
// filter to subscribe with. The n-th filter belongs to subscriber n % 4 with QoS (n / 4) % 2, so
// subscribers overlap (MQTT 5 §4.8.1). Lines that are not valid filters / topic names are skipped,
// as the session refuses them before they reach the table.
//
// Invariants: Match(topic) returns, ordered by id and once each, exactly the subscribers that
// have a filter for which TopicMatches is true, with the highest QoS among those filters; after
// every filter is removed the table is empty.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "mqtt/subscription_table.h"
#include "mqtt/topic.h"

namespace fg::mqtt {
namespace {

using FilterKey = std::pair<std::string, SubscriberId>;

void CheckTable(std::string_view input) {
  SubscriptionTable table;
  std::map<FilterKey, QoS> model;  // the table as a flat list: (filter, id) -> latest QoS
  std::vector<std::string_view> topics;
  std::size_t n = 0;
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (!line.empty() && line.front() == '>') {
      if (IsValidTopicName(line.substr(1))) {
        topics.push_back(line.substr(1));
      }
      continue;
    }
    if (!IsValidTopicFilter(line)) {
      continue;
    }
    const SubscriberId id = n % 4;
    const QoS qos = (n / 4) % 2 == 0 ? QoS::kAtMostOnce : QoS::kAtLeastOnce;
    ++n;
    const bool added = table.Add(line, id, SubscriptionOptions{qos, false, false});
    const bool model_added = model.insert_or_assign(FilterKey(line, id), qos).second;
    FG_FUZZ_CHECK(added == model_added, "Add reports a new subscription exactly once");
    FG_FUZZ_CHECK(table.size() == model.size(), "size counts (filter, subscriber) pairs");
  }

  for (std::string_view topic : topics) {
    std::map<SubscriberId, QoS> expected;
    for (const auto& [key, qos] : model) {
      if (TopicMatches(key.first, topic)) {
        auto [it, inserted] = expected.emplace(key.second, qos);
        if (!inserted && qos > it->second) {
          it->second = qos;
        }
      }
    }
    const std::vector<MatchedSubscriber> matched = table.Match(topic);
    FG_FUZZ_CHECK(matched.size() == expected.size(), "the trie and TopicMatches agree");
    auto want = expected.begin();
    for (const MatchedSubscriber& got : matched) {
      FG_FUZZ_CHECK(got.id == want->first, "same subscribers, ordered by id");
      FG_FUZZ_CHECK(got.options.max_qos == want->second, "the highest QoS wins");
      ++want;
    }
  }

  for (const auto& [key, qos] : model) {
    FG_FUZZ_CHECK(table.Remove(key.first, key.second), "every subscription can be removed");
  }
  FG_FUZZ_CHECK(table.size() == 0, "nothing is left after removing everything");
  for (std::string_view topic : topics) {
    FG_FUZZ_CHECK(table.Match(topic).empty(), "an empty table matches nothing");
  }
}

}  // namespace
}  // namespace fg::mqtt

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::mqtt::CheckTable(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
