#pragma once

// A memo in front of the store's AccessKeyLookup. Every signed request needs its access key, and
// the SQLite store runs each lookup as a BEGIN IMMEDIATE transaction on its one connection, so
// without the memo every API request queues behind every other store call.
//
// Only found keys are kept. An unknown key always reaches the source, so a key that
// `fleetguard account create` adds from another process is accepted at once, and unknown keys
// cannot fill the memo. A kept key is trusted for at most `max_age` (by the injected clock): that
// bounds how long a key disabled or deleted by another process keeps working. Invalidate() drops
// every entry, for changes made in this process. Source errors (kNotFound, kUnavailable, ...)
// are passed on and never kept. At most `capacity` entries; when full, the memo starts over.
//
// The memo holds plaintext secrets, as the verifier's stack does while it checks a signature.
// Thread-safe: any handler thread may call Lookup; the source is called without the lock held.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/sigv4.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::api {

class AccessKeyCache {
 public:
  static constexpr std::chrono::seconds kDefaultMaxAge{60};
  static constexpr size_t kDefaultCapacity = 4096;

  // `clock` must outlive the cache.
  AccessKeyCache(AccessKeyLookup source, const Clock& clock,
                 std::chrono::milliseconds max_age = kDefaultMaxAge,
                 size_t capacity = kDefaultCapacity);

  // The source's answer for `access_key_id`, from the memo when a fresh entry is there.
  Result<AccessKeySecret> Lookup(std::string_view access_key_id);

  // Forgets every key: call after any change to accounts or access keys in this process.
  void Invalidate();

  // A lookup function that calls Lookup; the cache must outlive it.
  AccessKeyLookup AsLookup();

 private:
  struct Entry {
    AccessKeySecret value;
    TimePoint fetched;
  };

  AccessKeyLookup source_;
  const Clock* clock_;
  std::chrono::milliseconds max_age_;
  size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t generation_ = 0;                         // guarded by mu_; counts Invalidate()s
};

}  // namespace fg::api
