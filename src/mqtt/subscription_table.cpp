#include "mqtt/subscription_table.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace fg::mqtt {

struct SubscriptionTable::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::vector<MatchedSubscriber> subscribers;  // filters that end at this node

  bool Empty() const { return children.empty() && subscribers.empty(); }
};

namespace {

// Splits "a/b//c" into {"a","b","","c"}; views into `s`.
std::vector<std::string_view> Levels(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

SubscriptionTable::SubscriptionTable() : root_(std::make_unique<Node>()) {}
SubscriptionTable::~SubscriptionTable() = default;

bool SubscriptionTable::Add(std::string_view filter, SubscriberId id, SubscriptionOptions options) {
  Node* node = root_.get();
  for (std::string_view level : Levels(filter)) {
    auto it = node->children.find(level);
    if (it == node->children.end()) {
      it = node->children.emplace(std::string(level), std::make_unique<Node>()).first;
    }
    node = it->second.get();
  }
  for (MatchedSubscriber& s : node->subscribers) {
    if (s.id == id) {
      s.options = options;
      return false;
    }
  }
  node->subscribers.push_back({id, options});
  ++size_;
  return true;
}

bool SubscriptionTable::Remove(std::string_view filter, SubscriberId id) {
  const std::vector<std::string_view> levels = Levels(filter);
  std::vector<Node*> path{root_.get()};
  for (std::string_view level : levels) {
    auto it = path.back()->children.find(level);
    if (it == path.back()->children.end()) {
      return false;
    }
    path.push_back(it->second.get());
  }
  auto& subs = path.back()->subscribers;
  auto it = std::find_if(subs.begin(), subs.end(), [&](const auto& s) { return s.id == id; });
  if (it == subs.end()) {
    return false;
  }
  subs.erase(it);
  --size_;
  for (std::size_t i = levels.size(); i > 0 && path[i]->Empty(); --i) {
    auto child = path[i - 1]->children.find(levels[i - 1]);
    path[i - 1]->children.erase(child);
  }
  return true;
}

namespace {

using Collect = std::vector<MatchedSubscriber>;

template <typename NodeT>
void Append(const NodeT& node, Collect& out) {
  out.insert(out.end(), node.subscribers.begin(), node.subscribers.end());
}

template <typename NodeT>
void Walk(const NodeT& node, const std::vector<std::string_view>& levels, std::size_t i,
          bool dollar_topic, Collect& out) {
  // MQTT-4.7.2-1: wildcards in the first level do not match a topic starting with '$'.
  const bool wildcards_allowed = !(i == 0 && dollar_topic);
  if (wildcards_allowed) {
    if (auto hash = node.children.find("#"); hash != node.children.end()) {
      Append(*hash->second, out);  // "a/#" matches "a/..." and also "a" itself (§4.7.1.2)
    }
  }
  if (i == levels.size()) {
    Append(node, out);
    return;
  }
  if (wildcards_allowed) {
    if (auto plus = node.children.find("+"); plus != node.children.end()) {
      Walk(*plus->second, levels, i + 1, dollar_topic, out);
    }
  }
  if (auto exact = node.children.find(levels[i]); exact != node.children.end()) {
    Walk(*exact->second, levels, i + 1, dollar_topic, out);
  }
}

}  // namespace

std::vector<MatchedSubscriber> SubscriptionTable::Match(std::string_view topic) const {
  Collect out;
  const auto levels = Levels(topic);
  // The literal levels "+" and "#" cannot occur in a valid topic name, so the exact-match
  // branch never follows a wildcard node by accident.
  Walk(*root_, levels, 0, !topic.empty() && topic.front() == '$', out);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.id != b.id ? a.id < b.id : a.options.max_qos > b.options.max_qos;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.id == b.id; }),
            out.end());
  return out;
}

}  // namespace fg::mqtt
