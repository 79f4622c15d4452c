#pragma once

// Things, their principals (certificates attached to them) and the ListThings filter.

#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "registry/enums.h"

namespace fg::registry {

using Attributes = std::map<std::string, std::string>;

struct Thing {
  std::string account_id;
  std::string name;
  std::string id;  // uuid, fixed at creation
  std::string type_name;
  Attributes attributes;
  int64_t version = 1;  // 1 at creation, +1 on every update
  TimePoint created;

  bool operator==(const Thing&) const = default;
};

// A certificate attached to a thing. `certificate_id` names a certificate registered in the
// same account.
struct ThingPrincipal {
  std::string account_id;
  std::string thing_name;
  std::string certificate_id;
  ThingPrincipalType type = ThingPrincipalType::kNonExclusiveThing;
  TimePoint attached;

  bool operator==(const ThingPrincipal&) const = default;
};

// ListThings filters; unset members do not filter. `attribute_value` requires `attribute_name`.
struct ThingFilter {
  std::optional<std::string> attribute_name;
  std::optional<std::string> attribute_value;
  bool use_prefix_attribute_value = false;
  std::optional<std::string> type_name;
};

}  // namespace fg::registry
