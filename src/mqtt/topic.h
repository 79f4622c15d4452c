#pragma once

#include <cstddef>
#include <string_view>

namespace fg::mqtt {

// Topic names and filters (MQTT 5 §4.7, 3.1.1 §4.7). All functions are pure and assume the
// string already passed UTF-8 validation (the decoder does that).

// AWS IoT Core's extra limits on top of the spec (quotas page: "Topic size 256 bytes",
// "Maximum number of slashes in topic and topic filter 7").
struct TopicLimits {
  std::size_t max_length = 256;
  std::size_t max_slashes = 7;
};

// A Topic Name as PUBLISH and wills carry it: at least one character, no '+' or '#'
// (MQTT-4.7.3-1, MQTT-3.3.2-2). Spec rules only; see WithinTopicLimits for AWS's.
bool IsValidTopicName(std::string_view topic);

// A Topic Filter: at least one character; '#' only as the whole last level; '+' only as a
// whole level (MQTT-4.7.1-1/-2/-3).
bool IsValidTopicFilter(std::string_view filter);

// True if `topic_or_filter` fits the configured length and slash-count limits.
bool WithinTopicLimits(std::string_view topic_or_filter, const TopicLimits& limits);

// True if `topic` (a valid Topic Name) matches `filter` (a valid Topic Filter). '+' matches
// exactly one level (possibly empty), '#' the parent level and any number of children, and
// a topic starting with '$' is never matched by a filter starting with '+' or '#'
// (MQTT-4.7.2-1), so "#" does not see "$SYS/x" or "$aws/events/...".
bool TopicMatches(std::string_view filter, std::string_view topic);

// True if `filter` contains '+' or '#'.
bool HasWildcard(std::string_view filter);

}  // namespace fg::mqtt
