#include "mqtt/topic.h"

#include <algorithm>

namespace fg::mqtt {

bool IsValidTopicName(std::string_view topic) { return !topic.empty() && !HasWildcard(topic); }

bool IsValidTopicFilter(std::string_view filter) {
  if (filter.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < filter.size(); ++i) {
    const char c = filter[i];
    if (c != '+' && c != '#') {
      continue;
    }
    const bool starts_level = i == 0 || filter[i - 1] == '/';
    const bool ends_level = i + 1 == filter.size() || filter[i + 1] == '/';
    if (!starts_level || !ends_level) {
      return false;
    }
    if (c == '#' && i + 1 != filter.size()) {
      return false;
    }
  }
  return true;
}

bool WithinTopicLimits(std::string_view topic_or_filter, const TopicLimits& limits) {
  if (topic_or_filter.size() > limits.max_length) {
    return false;
  }
  const auto slashes =
      static_cast<std::size_t>(std::count(topic_or_filter.begin(), topic_or_filter.end(), '/'));
  return slashes <= limits.max_slashes;
}

bool HasWildcard(std::string_view filter) {
  return filter.find_first_of("+#") != std::string_view::npos;
}

bool TopicMatches(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#')) {
    return false;
  }
  std::size_t f = 0;
  std::size_t t = 0;
  while (true) {
    const std::size_t f_end = std::min(filter.find('/', f), filter.size());
    const std::string_view f_level = filter.substr(f, f_end - f);
    if (f_level == "#") {
      return true;  // matches this level and everything below, including "a/#" vs "a"
    }
    if (t > topic.size()) {
      // The topic ran out of levels; only a trailing "/#" could still match, handled above.
      return false;
    }
    const std::size_t t_end = std::min(topic.find('/', t), topic.size());
    const std::string_view t_level = topic.substr(t, t_end - t);
    if (f_level != "+" && f_level != t_level) {
      return false;
    }
    const bool f_last = f_end == filter.size();
    const bool t_last = t_end == topic.size();
    if (f_last && t_last) {
      return true;
    }
    if (f_last) {
      return false;
    }
    f = f_end + 1;
    t = t_last ? topic.size() + 1 : t_end + 1;
  }
}

}  // namespace fg::mqtt
