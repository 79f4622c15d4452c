#include "registry/thing_group_service.h"

#include <algorithm>
#include <set>

#include "pki/random.h"
#include "registry/arn.h"
#include "registry/names.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

constexpr size_t kMaxDescription = 2028;

Result<ThingGroup> RequireGroup(RegistryTx& tx, std::string_view account_id,
                                std::string_view name) {
  return Require(tx.FindThingGroup(account_id, name), ErrorCode::kNotFound,
                 "thing group " + std::string(name) + " does not exist");
}

// Ancestor names of `group`, root first. The walk is bounded, so a corrupted cycle cannot
// loop forever.
Result<std::vector<std::string>> Ancestors(RegistryTx& tx, const ThingGroup& group) {
  std::vector<std::string> chain;
  std::optional<std::string> parent = group.parent_name;
  while (parent) {
    if (chain.size() >= static_cast<size_t>(ThingGroupService::kMaxDepth)) {
      return Fail(ErrorCode::kCorrupt, "thing group hierarchy is deeper than allowed");
    }
    auto p = RequireGroup(tx, group.account_id, *parent);
    if (!p) {
      return Fail(p.error());
    }
    chain.push_back(*parent);
    parent = p->parent_name;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// `root` and every descendant, breadth first.
Result<std::vector<ThingGroup>> Subtree(RegistryTx& tx, const ThingGroup& root) {
  std::vector<ThingGroup> out{root};
  for (size_t i = 0; i < out.size(); ++i) {
    auto children = tx.ListChildThingGroups(root.account_id, out[i].name);
    if (!children) {
      return Fail(children.error());
    }
    for (ThingGroup& child : *children) {
      out.push_back(std::move(child));
    }
  }
  return out;
}

}  // namespace

Result<ThingGroup> ThingGroupService::Create(std::string_view account_id, std::string_view name,
                                             const ThingGroupConfig& config) {
  if (auto r = ValidateThingGroupName(name); !r) {
    return Fail(r.error());
  }
  if (config.parent_name) {
    if (auto r = ValidateThingGroupName(*config.parent_name); !r) {
      return Fail(r.error());
    }
  }
  if (config.description.size() > kMaxDescription) {
    return Fail(ErrorCode::kInvalidArgument, "description must be at most 2028 characters");
  }
  if (auto r = ValidateAttributes(config.attributes); !r) {
    return Fail(r.error());
  }
  return TransactValue<ThingGroup>(store_, [&](RegistryTx& tx) -> Result<ThingGroup> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    auto existing = tx.FindThingGroup(account_id, name);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      const ThingGroup& g = **existing;
      if (ThingGroupConfig{g.parent_name, g.description, g.attributes} == config) {
        return g;
      }
      Error error;
      error.code = ErrorCode::kAlreadyExists;
      error.message = "a thing group with this name and a different configuration exists";
      error.resource_id = g.id;
      error.resource_arn = ThingGroupArn(account->region, account->id, name);
      return Fail(std::move(error));
    }
    if (config.parent_name) {
      auto parent = RequireGroup(tx, account_id, *config.parent_name);
      if (!parent) {
        return Fail(parent.error());
      }
      auto ancestors = Ancestors(tx, *parent);
      if (!ancestors) {
        return Fail(ancestors.error());
      }
      // The parent sits at level ancestors+1, the new group one below it.
      if (static_cast<int>(ancestors->size()) + 2 > kMaxDepth) {
        return Fail(ErrorCode::kLimitExceeded, "thing group hierarchies are at most 7 deep");
      }
    }
    ThingGroup group{std::string(account_id),
                     std::string(name),
                     pki::RandomUuid(),
                     config.parent_name,
                     config.description,
                     config.attributes,
                     1,
                     clock_.Now()};
    if (auto r = tx.InsertThingGroup(group); !r) {
      return Fail(r.error());
    }
    return group;
  });
}

Result<ThingGroupDescription> ThingGroupService::Describe(std::string_view account_id,
                                                          std::string_view name) {
  return TransactValue<ThingGroupDescription>(
      store_, [&](RegistryTx& tx) -> Result<ThingGroupDescription> {
        auto group = RequireGroup(tx, account_id, name);
        if (!group) {
          return Fail(group.error());
        }
        auto ancestors = Ancestors(tx, *group);
        if (!ancestors) {
          return Fail(ancestors.error());
        }
        return ThingGroupDescription{std::move(*group), std::move(*ancestors)};
      });
}

Result<ThingGroup> ThingGroupService::Update(std::string_view account_id, std::string_view name,
                                             const UpdateThingGroupRequest& request) {
  if (auto r = ValidateThingGroupName(name); !r) {
    return Fail(r.error());
  }
  return TransactValue<ThingGroup>(store_, [&](RegistryTx& tx) -> Result<ThingGroup> {
    auto group = RequireGroup(tx, account_id, name);
    if (!group) {
      return Fail(group.error());
    }
    if (request.expected_version && *request.expected_version != group->version) {
      return Fail(ErrorCode::kVersionConflict,
                  "expected version " + std::to_string(*request.expected_version) +
                      ", the thing group is at version " + std::to_string(group->version));
    }
    if (request.description) {
      group->description = *request.description;
    }
    if (request.attributes) {
      if (!request.merge) {
        group->attributes = *request.attributes;
      } else {
        for (const auto& [key, value] : *request.attributes) {
          if (value.empty()) {
            group->attributes.erase(key);
          } else {
            group->attributes[key] = value;
          }
        }
      }
    }
    if (group->description.size() > kMaxDescription) {
      return Fail(ErrorCode::kInvalidArgument, "description must be at most 2028 characters");
    }
    // Checked after merging: the 50-attribute limit applies to the result, not to the request.
    if (auto r = ValidateAttributes(group->attributes); !r) {
      return Fail(r.error());
    }
    ++group->version;
    if (auto r = tx.UpdateThingGroup(*group); !r) {
      return Fail(r.error());
    }
    return std::move(*group);
  });
}

Result<void> ThingGroupService::Delete(std::string_view account_id, std::string_view name,
                                       std::optional<int64_t> expected_version) {
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto group = tx.FindThingGroup(account_id, name);
    if (!group) {
      return Fail(group.error());
    }
    if (!*group) {
      return Ok();
    }
    if (expected_version && *expected_version != (*group)->version) {
      return Fail(ErrorCode::kVersionConflict,
                  "the thing group is at version " + std::to_string((*group)->version));
    }
    auto children = tx.ListChildThingGroups(account_id, name);
    if (!children) {
      return Fail(children.error());
    }
    if (!children->empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot delete thing group " + std::string(name) + " while it has children");
    }
    auto deleted = tx.DeleteThingGroup(account_id, name);
    if (!deleted) {
      return Fail(deleted.error());
    }
    return Ok();
  });
}

Result<Page<ThingGroup>> ThingGroupService::List(std::string_view account_id,
                                                 const std::optional<std::string>& parent_name,
                                                 std::string_view name_prefix, bool recursive,
                                                 const PageRequest& page) {
  return TransactValue<Page<ThingGroup>>(store_, [&](RegistryTx& tx) -> Result<Page<ThingGroup>> {
    if (!recursive || !parent_name) {
      ThingGroupFilter filter{recursive ? std::nullopt : parent_name, std::string(name_prefix)};
      return tx.ListThingGroups(account_id, filter, page);
    }
    auto root = RequireGroup(tx, account_id, *parent_name);
    if (!root) {
      return Fail(root.error());
    }
    auto subtree = Subtree(tx, *root);
    if (!subtree) {
      return Fail(subtree.error());
    }
    std::vector<ThingGroup> descendants;
    for (size_t i = 1; i < subtree->size(); ++i) {
      if ((*subtree)[i].name.starts_with(name_prefix)) {
        descendants.push_back(std::move((*subtree)[i]));
      }
    }
    std::sort(descendants.begin(), descendants.end(),
              [](const ThingGroup& a, const ThingGroup& b) { return a.name < b.name; });
    return PaginateByName(std::move(descendants), page, [](const ThingGroup& g) { return g.name; });
  });
}

Result<void> ThingGroupService::AddThing(std::string_view account_id, std::string_view group_name,
                                         std::string_view thing_name) {
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    if (auto g = RequireGroup(tx, account_id, group_name); !g) {
      return Fail(g.error());
    }
    if (auto t = Require(tx.FindThing(account_id, thing_name), ErrorCode::kNotFound,
                         "thing " + std::string(thing_name) + " does not exist");
        !t) {
      return Fail(t.error());
    }
    auto added = tx.AddThingToGroup(account_id, group_name, thing_name);
    if (!added) {
      return Fail(added.error());
    }
    return Ok();
  });
}

Result<void> ThingGroupService::RemoveThing(std::string_view account_id,
                                            std::string_view group_name,
                                            std::string_view thing_name) {
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    if (auto g = RequireGroup(tx, account_id, group_name); !g) {
      return Fail(g.error());
    }
    if (auto t = Require(tx.FindThing(account_id, thing_name), ErrorCode::kNotFound,
                         "thing " + std::string(thing_name) + " does not exist");
        !t) {
      return Fail(t.error());
    }
    auto removed = tx.RemoveThingFromGroup(account_id, group_name, thing_name);
    if (!removed) {
      return Fail(removed.error());
    }
    return Ok();
  });
}

Result<Page<std::string>> ThingGroupService::ListThings(std::string_view account_id,
                                                        std::string_view group_name, bool recursive,
                                                        const PageRequest& page) {
  return TransactValue<Page<std::string>>(store_, [&](RegistryTx& tx) -> Result<Page<std::string>> {
    auto root = RequireGroup(tx, account_id, group_name);
    if (!root) {
      return Fail(root.error());
    }
    std::vector<ThingGroup> groups{*root};
    if (recursive) {
      auto subtree = Subtree(tx, *root);
      if (!subtree) {
        return Fail(subtree.error());
      }
      groups = std::move(*subtree);
    }
    std::set<std::string> names;
    for (const ThingGroup& g : groups) {
      auto members = tx.ListThingsInGroup(account_id, g.name);
      if (!members) {
        return Fail(members.error());
      }
      names.insert(members->begin(), members->end());
    }
    return PaginateByName(std::vector<std::string>(names.begin(), names.end()), page,
                          [](const std::string& n) { return n; });
  });
}

Result<Page<std::string>> ThingGroupService::ListGroupsForThing(std::string_view account_id,
                                                                std::string_view thing_name,
                                                                const PageRequest& page) {
  return TransactValue<Page<std::string>>(store_, [&](RegistryTx& tx) -> Result<Page<std::string>> {
    if (auto t = Require(tx.FindThing(account_id, thing_name), ErrorCode::kNotFound,
                         "thing " + std::string(thing_name) + " does not exist");
        !t) {
      return Fail(t.error());
    }
    auto groups = tx.ListGroupsForThing(account_id, thing_name);
    if (!groups) {
      return Fail(groups.error());
    }
    return PaginateByName(std::move(*groups), page, [](const std::string& n) { return n; });
  });
}

}  // namespace fg::registry
