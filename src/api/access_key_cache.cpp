#include "api/access_key_cache.h"

#include <utility>

namespace fg::api {

AccessKeyCache::AccessKeyCache(AccessKeyLookup source, const Clock& clock,
                               std::chrono::milliseconds max_age, size_t capacity)
    : source_(std::move(source)), clock_(&clock), max_age_(max_age), capacity_(capacity) {}

Result<AccessKeySecret> AccessKeyCache::Lookup(std::string_view access_key_id) {
  const TimePoint now = clock_->Now();
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;
    auto it = entries_.find(std::string(access_key_id));
    // A clock that went backwards also makes an entry stale, so a key is never trusted for
    // longer than max_age of real time.
    if (it != entries_.end() && now >= it->second.fetched && now - it->second.fetched < max_age_) {
      return it->second.value;
    }
  }
  // Outside the lock: the source is a store transaction, and other keys must not wait for it.
  Result<AccessKeySecret> found = source_(access_key_id);
  if (!found) {
    return found;
  }
  std::lock_guard<std::mutex> lock(mu_);
  // An Invalidate() while the source was answering may have been for this very key.
  if (generation != generation_) {
    return found;
  }
  if (entries_.size() >= capacity_) {
    entries_.clear();
  }
  entries_.insert_or_assign(std::string(access_key_id), Entry{*found, now});
  return found;
}

void AccessKeyCache::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  ++generation_;
}

AccessKeyLookup AccessKeyCache::AsLookup() {
  return [this](std::string_view access_key_id) { return Lookup(access_key_id); };
}

}  // namespace fg::api
