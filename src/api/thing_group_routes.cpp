// AWS IoT static thing-group operations: CreateThingGroup, DescribeThingGroup, UpdateThingGroup,
// ListThingGroups, DeleteThingGroup and ListThingGroupsForThing (reference §2; UpdateThingGroup
// and ListThingGroupsForThing from the botocore model). Membership changes are in
// thing_group_membership_routes.cpp.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/attribute_payload.h"
#include "api/iot_route_table.h"
#include "api/iot_routes.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/thing_group_membership_routes.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/thing_group_service.h"

namespace fg::api {
namespace {

constexpr char kThingGroupName[] = "thingGroupName";

std::string ArnOf(const IotServices& s, const RequestContext& ctx, std::string_view name) {
  return registry::ThingGroupArn(s.region, ctx.account_id(), name);
}

// The model's GroupNameAndArn.
boost::json::object NameAndArn(const IotServices& s, const RequestContext& ctx,
                               std::string_view name) {
  boost::json::object out;
  out["groupName"] = name;
  out["groupArn"] = ArnOf(s, ctx, name);
  return out;
}

// fleetguard keeps no tags, but a malformed TagList is still refused as AWS refuses it.
Result<void> ValidateTags(const JsonReader& body) {
  const boost::json::value* tags = body.object().if_contains("tags");
  if (tags == nullptr || tags->is_null()) {
    return Ok();
  }
  if (!tags->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "Member 'tags' must be a list of tags");
  }
  size_t index = 0;
  for (const boost::json::value& tag : tags->get_array()) {
    const std::string path = "tags[" + std::to_string(index++) + "]";
    if (!tag.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, "Member '" + path + "' must be an object");
    }
    JsonReader reader(tag.get_object(), path + ".");
    auto key = reader.String("Key");
    if (!key) {
      return Fail(key.error());
    }
    if (auto ok = Validate(Shape::kTagKey, reader.MemberPath("Key"), *key); !ok) {
      return ok;
    }
    auto value = OptShapedString(reader, "Value", Shape::kTagValue);
    if (!value) {
      return Fail(value.error());
    }
  }
  return Ok();
}

// thingGroupProperties: the description (if present) and the attribute payload (if present).
struct GroupProperties {
  std::optional<std::string> description;
  std::optional<AttributePayload> payload;
};

Result<GroupProperties> ReadProperties(const JsonReader& properties) {
  GroupProperties out;
  auto description =
      OptShapedString(properties, "thingGroupDescription", Shape::kThingGroupDescription);
  if (!description) {
    return Fail(description.error());
  }
  out.description = std::move(*description);
  auto payload = ReadAttributePayload(properties, "attributePayload");
  if (!payload) {
    return Fail(payload.error());
  }
  out.payload = std::move(*payload);
  return out;
}

Result<HttpResponse> CreateThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingGroupName, Shape::kThingGroupName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto parent = OptShapedString(*body, "parentGroupName", Shape::kThingGroupName);
  if (!parent) {
    return Fail(parent.error());
  }
  registry::ThingGroupConfig config;
  config.parent_name = *parent;
  auto properties = body->OptObject("thingGroupProperties");
  if (!properties) {
    return Fail(properties.error());
  }
  if (properties->has_value()) {
    auto read = ReadProperties(**properties);
    if (!read) {
      return Fail(read.error());
    }
    config.description = read->description.value_or("");
    if (read->payload && read->payload->attributes) {
      config.attributes = *read->payload->attributes;
    }
  }
  if (auto tags = ValidateTags(*body); !tags) {
    return Fail(tags.error());
  }
  auto group = s.thing_groups->Create(ctx.account_id(), *name, config);
  if (!group) {
    return Fail(group.error());
  }
  boost::json::object out;
  out["thingGroupName"] = group->name;
  out["thingGroupArn"] = ArnOf(s, ctx, group->name);
  out["thingGroupId"] = group->id;
  return JsonResponse(out);
}

Result<HttpResponse> DescribeThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingGroupName, Shape::kThingGroupName);
  if (!name) {
    return Fail(name.error());
  }
  auto described = s.thing_groups->Describe(ctx.account_id(), *name);
  if (!described) {
    return Fail(described.error());
  }
  const registry::ThingGroup& group = described->group;
  boost::json::object properties;
  if (!group.description.empty()) {
    properties["thingGroupDescription"] = group.description;
  }
  boost::json::object payload;
  payload["attributes"] = AttributesJson(group.attributes);
  properties["attributePayload"] = std::move(payload);

  boost::json::object metadata;
  if (group.parent_name) {
    metadata["parentGroupName"] = *group.parent_name;
    boost::json::array ancestors;
    for (const std::string& ancestor : described->root_to_parent) {
      ancestors.push_back(NameAndArn(s, ctx, ancestor));
    }
    metadata["rootToParentThingGroups"] = std::move(ancestors);
  }
  metadata["creationDate"] = EpochSecondsValue(group.created);

  boost::json::object out;
  out["thingGroupName"] = group.name;
  out["thingGroupId"] = group.id;
  out["thingGroupArn"] = ArnOf(s, ctx, group.name);
  out["version"] = group.version;
  out["thingGroupProperties"] = std::move(properties);
  out["thingGroupMetadata"] = std::move(metadata);
  return JsonResponse(out);
}

Result<HttpResponse> UpdateThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingGroupName, Shape::kThingGroupName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto properties = body->Object("thingGroupProperties");
  if (!properties) {
    return Fail(properties.error());
  }
  auto read = ReadProperties(*properties);
  if (!read) {
    return Fail(read.error());
  }
  auto expected_version = body->OptInt("expectedVersion");
  if (!expected_version) {
    return Fail(expected_version.error());
  }
  registry::UpdateThingGroupRequest request;
  request.description = std::move(read->description);
  if (read->payload) {
    request.attributes = std::move(read->payload->attributes);
    request.merge = read->payload->merge;
  }
  request.expected_version = *expected_version;
  auto updated = s.thing_groups->Update(ctx.account_id(), *name, request);
  if (!updated) {
    return Fail(updated.error());
  }
  boost::json::object out;
  out["version"] = updated->version;
  return JsonResponse(out);
}

Result<HttpResponse> ListThingGroups(const IotServices& s, const RequestContext& ctx) {
  auto parent = OptShapedQuery(ctx, "parentGroup", Shape::kThingGroupName);
  if (!parent) {
    return Fail(parent.error());
  }
  auto prefix = OptShapedQuery(ctx, "namePrefixFilter", Shape::kThingGroupName);
  if (!prefix) {
    return Fail(prefix.error());
  }
  auto recursive = ctx.QueryBool("recursive");
  if (!recursive) {
    return Fail(recursive.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add("parentGroup", *parent)
      .Add("namePrefixFilter", *prefix)
      .Add("recursive", recursive->value_or(false));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto groups = s.thing_groups->List(ctx.account_id(), *parent, prefix->value_or(""),
                                     recursive->value_or(false), *page);
  if (!groups) {
    return Fail(groups.error());
  }
  boost::json::array list;
  for (const registry::ThingGroup& group : groups->items) {
    list.push_back(NameAndArn(s, ctx, group.name));
  }
  boost::json::object out;
  out["thingGroups"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, groups->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> DeleteThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingGroupName, Shape::kThingGroupName);
  if (!name) {
    return Fail(name.error());
  }
  auto expected_version = ctx.QueryInt("expectedVersion");
  if (!expected_version) {
    return Fail(expected_version.error());
  }
  if (auto deleted = s.thing_groups->Delete(ctx.account_id(), *name, *expected_version); !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> ListThingGroupsForThing(const IotServices& s, const RequestContext& ctx) {
  auto thing = ShapedLabel(ctx, "thingName", Shape::kThingName);
  if (!thing) {
    return Fail(thing.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add("thingName", std::string_view(*thing));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto groups = s.thing_groups->ListGroupsForThing(ctx.account_id(), *thing, *page);
  if (!groups) {
    return Fail(groups.error());
  }
  boost::json::array list;
  for (const std::string& group : groups->items) {
    list.push_back(NameAndArn(s, ctx, group));
  }
  boost::json::object out;
  out["thingGroups"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, groups->next_cursor);
  return JsonResponse(out);
}

constexpr IotRoute kGroupRoutes[] = {
    {"POST", "/thing-groups/{thingGroupName}", "CreateThingGroup", CreateThingGroup},
    {"GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup", DescribeThingGroup},
    {"PATCH", "/thing-groups/{thingGroupName}", "UpdateThingGroup", UpdateThingGroup},
    {"GET", "/thing-groups", "ListThingGroups", ListThingGroups},
    {"DELETE", "/thing-groups/{thingGroupName}", "DeleteThingGroup", DeleteThingGroup},
    {"GET", "/things/{thingName}/thing-groups", "ListThingGroupsForThing", ListThingGroupsForThing},
};

}  // namespace

Result<void> AddThingGroupRoutes(Router& router, const IotServices& services) {
  if (services.thing_groups == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddThingGroupRoutes needs thing_groups and page_tokens");
  }
  if (auto added = AddIotRoutes(router, services, kGroupRoutes); !added) {
    return added;
  }
  return AddThingGroupMembershipRoutes(router, services);
}

}  // namespace fg::api
