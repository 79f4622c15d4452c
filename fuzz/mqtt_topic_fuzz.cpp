// Target: mqtt::IsValidTopicName, mqtt::IsValidTopicFilter, mqtt::WithinTopicLimits,
// mqtt::HasWildcard and mqtt::TopicMatches.
//
// Input: "<filter>\0<topic>" (no NUL: the whole input is both). UTF-8 validity is the decoder's
// job, so the functions are called on any bytes, as they would be by a careless caller.
//
// Invariants (MQTT 5 §4.7):
//  - a valid topic name is also a valid filter, without wildcards, and matches itself;
//  - "#" matches every valid topic name not starting with '$' (MQTT-4.7.2-1), and never one that
//    does;
//  - a filter without wildcards matches exactly the identical topic.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "mqtt/topic.h"

namespace fg::mqtt {
namespace {

void CheckTopics(std::string_view input) {
  const std::size_t nul = input.find('\0');
  const std::string_view filter = input.substr(0, nul);
  const std::string_view topic = nul == std::string_view::npos ? input : input.substr(nul + 1);

  const bool filter_ok = IsValidTopicFilter(filter);
  const bool topic_ok = IsValidTopicName(topic);
  (void)WithinTopicLimits(filter, TopicLimits{});
  (void)WithinTopicLimits(topic, TopicLimits{16, 2});

  if (topic_ok) {
    FG_FUZZ_CHECK(IsValidTopicFilter(topic), "a topic name is a filter");
    FG_FUZZ_CHECK(!HasWildcard(topic), "a topic name has no wildcard");
    FG_FUZZ_CHECK(TopicMatches(topic, topic), "a topic matches itself as a filter");
    FG_FUZZ_CHECK(TopicMatches("#", topic) == (topic.front() != '$'),
                  "'#' matches everything except $-topics");
  }
  if (filter_ok && topic_ok) {
    const bool matches = TopicMatches(filter, topic);
    if (!HasWildcard(filter)) {
      FG_FUZZ_CHECK(matches == (filter == topic), "a literal filter matches only itself");
    }
  }
}

}  // namespace
}  // namespace fg::mqtt

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::mqtt::CheckTopics(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
