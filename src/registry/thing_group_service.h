#pragma once

// Static thing groups: a parent hierarchy (at most kMaxDepth levels) and membership. Every
// call names the calling account and sees only its groups and things. Thread-safe if the store
// is; `store` and `clock` must outlive the service.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "registry/page.h"
#include "registry/registry_store.h"
#include "registry/thing_group.h"

namespace fg::registry {

struct ThingGroupConfig {
  std::optional<std::string> parent_name;
  std::string description;  // at most 2028 characters
  Attributes attributes;

  bool operator==(const ThingGroupConfig&) const = default;
};

// AWS UpdateThingGroup (thingGroupProperties). Unset members keep their value.
struct UpdateThingGroupRequest {
  std::optional<std::string> description;
  std::optional<Attributes> attributes;
  // AWS AttributePayload.merge: set the given attributes (an empty value removes one) instead
  // of replacing all of them.
  bool merge = false;
  std::optional<int64_t> expected_version;
};

struct ThingGroupDescription {
  ThingGroup group;
  std::vector<std::string> root_to_parent;  // ancestor names, root first
};

class ThingGroupService {
 public:
  // AWS: a hierarchy is at most 7 levels deep (a root group is level 1).
  static constexpr int kMaxDepth = 7;

  ThingGroupService(RegistryStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // AWS CreateThingGroup: idempotent for the same configuration; kAlreadyExists (id and ARN)
  // for a different one; kNotFound for a missing parent; kLimitExceeded past kMaxDepth;
  // kInvalidArgument for bad names, description or attributes.
  Result<ThingGroup> Create(std::string_view account_id, std::string_view name,
                            const ThingGroupConfig& config);
  Result<ThingGroupDescription> Describe(std::string_view account_id, std::string_view name);
  // AWS UpdateThingGroup: the version increases by one and the updated group is returned.
  // kNotFound if missing; kVersionConflict if `expected_version` is set and differs;
  // kInvalidArgument for a bad description or attributes (checked on the merged result).
  Result<ThingGroup> Update(std::string_view account_id, std::string_view name,
                            const UpdateThingGroupRequest& request);
  // AWS DeleteThingGroup: a missing group is a success; kVersionConflict on a version mismatch;
  // kInvalidArgument while it has child groups (AWS's InvalidRequestException).
  Result<void> Delete(std::string_view account_id, std::string_view name,
                      std::optional<int64_t> expected_version);
  // AWS ListThingGroups. With `recursive`, all descendants of `parent_name` (or every group
  // when no parent is given); otherwise direct children only (or every group).
  Result<Page<ThingGroup>> List(std::string_view account_id,
                                const std::optional<std::string>& parent_name,
                                std::string_view name_prefix, bool recursive,
                                const PageRequest& page);

  // Idempotent; kNotFound for a missing group or thing.
  Result<void> AddThing(std::string_view account_id, std::string_view group_name,
                        std::string_view thing_name);
  Result<void> RemoveThing(std::string_view account_id, std::string_view group_name,
                           std::string_view thing_name);
  // AWS ListThingsInThingGroup; with `recursive`, members of descendant groups too.
  Result<Page<std::string>> ListThings(std::string_view account_id, std::string_view group_name,
                                       bool recursive, const PageRequest& page);
  // AWS ListThingGroupsForThing: the groups the thing is directly a member of.
  Result<Page<std::string>> ListGroupsForThing(std::string_view account_id,
                                               std::string_view thing_name,
                                               const PageRequest& page);

 private:
  RegistryStore& store_;
  const Clock& clock_;
};

}  // namespace fg::registry
