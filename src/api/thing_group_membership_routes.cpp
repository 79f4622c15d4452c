#include "api/thing_group_membership_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/iot_route_table.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/thing_group_service.h"

namespace fg::api {
namespace {

// How a body names one resource: by `name_member` or by `arn_member`.
struct NamedResource {
  std::string_view name_member;  // "thingGroupName"
  std::string_view arn_member;   // "thingGroupArn"
  std::string_view arn_type;     // "thinggroup"
  std::string_view noun;         // "thing group", for messages
  Shape shape;
};

constexpr NamedResource kGroup{"thingGroupName", "thingGroupArn", "thinggroup", "thing group",
                               Shape::kThingGroupName};
constexpr NamedResource kThing{"thingName", "thingArn", "thing", "thing", Shape::kThingName};

// The resource name from its ARN, or an error naming `arn_member`.
Result<std::string> NameFromArn(const IotServices& s, const RequestContext& ctx,
                                const NamedResource& r, const std::string& arn) {
  const std::string member(r.arn_member);
  auto parsed = registry::ParseIotArn(arn);
  if (!parsed || parsed->resource_type != r.arn_type) {
    return Fail(ErrorCode::kInvalidArgument,
                "Value at '" + member + "' is not a " + std::string(r.noun) + " ARN");
  }
  if (auto ok = Validate(r.shape, member, parsed->resource_id); !ok) {
    return Fail(ok.error());
  }
  // Resources of other accounts and regions are invisible to the caller: the same answer as
  // for a missing one, so an ARN cannot be used to probe another account.
  if (parsed->account_id != ctx.account_id() || parsed->region != s.region) {
    return Fail(ErrorCode::kNotFound,
                std::string(r.noun) + " " + parsed->resource_id + " does not exist");
  }
  return std::move(parsed->resource_id);
}

Result<std::string> ResolveName(const IotServices& s, const RequestContext& ctx,
                                const JsonReader& body, const NamedResource& r) {
  auto name = OptShapedString(body, r.name_member, r.shape);
  if (!name) {
    return Fail(name.error());
  }
  auto arn = body.OptString(r.arn_member);
  if (!arn) {
    return Fail(arn.error());
  }
  if (!name->has_value() && !arn->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "One of '" + std::string(r.name_member) + "' or '" +
                                                 std::string(r.arn_member) + "' is required");
  }
  if (!arn->has_value()) {
    return std::move(**name);
  }
  auto from_arn = NameFromArn(s, ctx, r, **arn);
  if (!from_arn) {
    return Fail(from_arn.error());
  }
  if (name->has_value() && **name != *from_arn) {
    return Fail(ErrorCode::kInvalidArgument, "'" + std::string(r.name_member) + "' and '" +
                                                 std::string(r.arn_member) + "' name different " +
                                                 std::string(r.noun) + "s");
  }
  return from_arn;
}

struct Membership {
  std::string group;
  std::string thing;
};

Result<Membership> ReadMembership(const IotServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto group = ResolveName(s, ctx, *body, kGroup);
  if (!group) {
    return Fail(group.error());
  }
  auto thing = ResolveName(s, ctx, *body, kThing);
  if (!thing) {
    return Fail(thing.error());
  }
  // overrideDynamicGroups only matters for dynamic groups, which fleetguard does not have; the
  // member is still type-checked.
  if (auto override = body->OptBool("overrideDynamicGroups"); !override) {
    return Fail(override.error());
  }
  return Membership{std::move(*group), std::move(*thing)};
}

Result<HttpResponse> AddThingToThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto m = ReadMembership(s, ctx);
  if (!m) {
    return Fail(m.error());
  }
  if (auto added = s.thing_groups->AddThing(ctx.account_id(), m->group, m->thing); !added) {
    return Fail(added.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> RemoveThingFromThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto m = ReadMembership(s, ctx);
  if (!m) {
    return Fail(m.error());
  }
  if (auto removed = s.thing_groups->RemoveThing(ctx.account_id(), m->group, m->thing); !removed) {
    return Fail(removed.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> ListThingsInThingGroup(const IotServices& s, const RequestContext& ctx) {
  auto group = ShapedLabel(ctx, kGroup.name_member, kGroup.shape);
  if (!group) {
    return Fail(group.error());
  }
  auto recursive = ctx.QueryBool("recursive");
  if (!recursive) {
    return Fail(recursive.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kGroup.name_member, std::string_view(*group))
      .Add("recursive", recursive->value_or(false));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto things =
      s.thing_groups->ListThings(ctx.account_id(), *group, recursive->value_or(false), *page);
  if (!things) {
    return Fail(things.error());
  }
  return JsonResponse(NamePageJson("things", *things, *s.page_tokens, scope));
}

constexpr IotRoute kMembershipRoutes[] = {
    {"PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup", AddThingToThingGroup},
    {"PUT", "/thing-groups/removeThingFromThingGroup", "RemoveThingFromThingGroup",
     RemoveThingFromThingGroup},
    {"GET", "/thing-groups/{thingGroupName}/things", "ListThingsInThingGroup",
     ListThingsInThingGroup},
};

}  // namespace

Result<void> AddThingGroupMembershipRoutes(Router& router, const IotServices& services) {
  return AddIotRoutes(router, services, kMembershipRoutes);
}

}  // namespace fg::api
