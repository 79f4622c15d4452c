#pragma once

// A size-bounded map that evicts the least recently used entry, for the gateway's caches.
// Not thread-safe: the owner guards it with its own mutex.

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace fg::gateway {

template <typename V>
class LruMap {
 public:
  // REQUIRES: capacity >= 1.
  explicit LruMap(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The value for `key`, marked most recently used; nullptr if absent. The pointer is valid
  // until the next non-const call.
  V* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      return nullptr;
    }
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Inserts or replaces; evicts the least recently used entry when over capacity.
  void Put(const std::string& key, V value) {
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    if (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  bool Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      return false;
    }
    order_.erase(it->second);
    index_.erase(it);
    return true;
  }

  // Removes every entry whose key starts with `prefix`; linear in the size.
  size_t EraseWithPrefix(std::string_view prefix) {
    size_t erased = 0;
    for (auto it = order_.begin(); it != order_.end();) {
      if (std::string_view(it->first).substr(0, prefix.size()) == prefix) {
        index_.erase(it->first);
        it = order_.erase(it);
        ++erased;
      } else {
        ++it;
      }
    }
    return erased;
  }

  void Clear() {
    index_.clear();
    order_.clear();
  }

  size_t size() const { return index_.size(); }

 private:
  using Entry = std::pair<std::string, V>;
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace fg::gateway
