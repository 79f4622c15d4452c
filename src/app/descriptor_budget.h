#pragma once

// How many connections `serve` can hold open at once: every connection costs one file
// descriptor, so the listeners' max_connections defaults are fitted to RLIMIT_NOFILE, after it is
// raised to the hard limit, with a reserve for what is not a connection (the SQLite database and
// its WAL, epoll and timer descriptors, webhook deliveries, stdio).

#include <cstddef>
#include <cstdint>

#include "core/result.h"

namespace fg::app {

// Descriptors kept for everything that is not a client connection. An idle node uses about 15.
inline constexpr uint64_t kReservedDescriptors = 128;
// The HTTP listener's default cap (net::HttpServerOptions), and its share of a small budget.
inline constexpr size_t kDefaultHttpConnections = 1024;

struct DescriptorLimit {
  uint64_t before = 0;  // soft limit found at start
  uint64_t now = 0;     // soft limit in force
  uint64_t hard = 0;
};

// Raises the soft RLIMIT_NOFILE to the hard limit (to /proc/sys/fs/nr_open when the hard limit
// is unlimited, since Linux refuses more). Errors: kUnavailable if getrlimit or setrlimit fails;
// the limit is then unchanged and the caller may go on with it. Process-wide: call once, at
// start, from the controlling thread.
Result<DescriptorLimit> RaiseDescriptorLimit();

struct ConnectionBudget {
  size_t mqtt_per_listener = 1;
  size_t http = 1;
};

// Splits `nofile` minus kReservedDescriptors: the HTTP listener gets an eighth of it, at most
// kDefaultHttpConnections (operators are few), and each of `mqtt_listeners` MQTT listeners an
// equal share of the rest. Every share is at least 1, even when the budget is smaller than the
// reserve; then running out of descriptors is handled at accept (a back-off, not a crash).
// REQUIRES: mqtt_listeners >= 1.
ConnectionBudget FitConnections(uint64_t nofile, size_t mqtt_listeners);

}  // namespace fg::app
