#include "app/descriptor_budget.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/resource.h>

namespace fg::app {
namespace {

// Linux caps RLIMIT_NOFILE at fs.nr_open whatever the hard limit says (setrlimit fails with
// EPERM above it).
uint64_t NrOpen() {
  std::ifstream in("/proc/sys/fs/nr_open");
  uint64_t n = 0;
  if (in >> n && n > 0) {
    return n;
  }
  return 1024 * 1024;  // the kernel's default
}

}  // namespace

Result<DescriptorLimit> RaiseDescriptorLimit() {
  rlimit current{};
  if (getrlimit(RLIMIT_NOFILE, &current) != 0) {
    return Fail(ErrorCode::kUnavailable,
                std::string("getrlimit(RLIMIT_NOFILE) failed: ") + std::strerror(errno));
  }
  DescriptorLimit limit;
  limit.before = current.rlim_cur;
  limit.hard = current.rlim_max;
  rlim_t target = current.rlim_max;
  if (target == RLIM_INFINITY) {
    target = static_cast<rlim_t>(NrOpen());
  }
  if (current.rlim_cur != RLIM_INFINITY && current.rlim_cur < target) {
    rlimit raised = current;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return Fail(ErrorCode::kUnavailable, "setrlimit(RLIMIT_NOFILE, " + std::to_string(target) +
                                               ") failed: " + std::strerror(errno));
    }
    limit.now = target;
  } else {
    limit.now = current.rlim_cur;
  }
  return limit;
}

ConnectionBudget FitConnections(uint64_t nofile, size_t mqtt_listeners) {
  const uint64_t usable = nofile > kReservedDescriptors ? nofile - kReservedDescriptors : 0;
  ConnectionBudget budget;
  budget.http = static_cast<size_t>(
      std::clamp<uint64_t>(usable / 8, 1, static_cast<uint64_t>(kDefaultHttpConnections)));
  const uint64_t rest = usable > budget.http ? usable - budget.http : 0;
  budget.mqtt_per_listener =
      static_cast<size_t>(std::max<uint64_t>(1, rest / std::max<size_t>(1, mqtt_listeners)));
  return budget;
}

}  // namespace fg::app
