#pragma once

// Static thing groups with a parent hierarchy.

#include <optional>
#include <string>

#include "core/clock.h"
#include "registry/thing.h"

namespace fg::registry {

struct ThingGroup {
  std::string account_id;
  std::string name;
  std::string id;                          // uuid, fixed at creation
  std::optional<std::string> parent_name;  // a group in the same account
  std::string description;
  Attributes attributes;
  int64_t version = 1;
  TimePoint created;

  bool operator==(const ThingGroup&) const = default;
};

// ListThingGroups filters; unset members do not filter. `parent_name` selects direct children.
struct ThingGroupFilter {
  std::optional<std::string> parent_name;
  std::string name_prefix;
};

}  // namespace fg::registry
