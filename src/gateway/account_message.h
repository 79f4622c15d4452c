#pragma once

// A message the gateway itself publishes into one account's topic space (lifecycle events,
// just-in-time registration events). Routed only to that account's subscribers.

#include <string>

namespace fg::gateway {

struct AccountMessage {
  std::string account_id;
  std::string topic;
  std::string payload;  // JSON

  bool operator==(const AccountMessage&) const = default;
};

}  // namespace fg::gateway
