// AWS IoT thing operations: CreateThing, DescribeThing, UpdateThing, ListThings, DeleteThing,
// AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals, ListPrincipalThings
// (reference §2 "Things & thing groups"; UpdateThing from the botocore model).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/attribute_payload.h"
#include "api/iot_route_table.h"
#include "api/iot_routes.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/enums.h"
#include "registry/thing_service.h"

namespace fg::api {
namespace {

constexpr char kThingName[] = "thingName";
constexpr char kPrincipalHeader[] = "x-amzn-principal";
constexpr char kPrincipal[] = "principal";
// The model gives Principal no max; a certificate ARN is under 200 characters, and this bound
// keeps an oversized header out of the registry's parsing and out of error messages.
constexpr size_t kMaxPrincipalLength = 2048;

std::string ArnOf(const IotServices& s, const RequestContext& ctx, std::string_view name) {
  return registry::ThingArn(s.region, ctx.account_id(), name);
}

// The members CreateThing and UpdateThing share, in the order their errors are reported.
struct ThingInput {
  std::string name;
  JsonReader body;  // refers into the RequestContext's storage
  std::optional<std::string> type;
  std::optional<AttributePayload> payload;
};

Result<ThingInput> ReadThingInput(const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto type = OptShapedString(*body, "thingTypeName", Shape::kThingTypeName);
  if (!type) {
    return Fail(type.error());
  }
  auto payload = ReadAttributePayload(*body, "attributePayload");
  if (!payload) {
    return Fail(payload.error());
  }
  return ThingInput{std::move(*name), std::move(*body), std::move(*type), std::move(*payload)};
}

Result<HttpResponse> CreateThing(const IotServices& s, const RequestContext& ctx) {
  auto input = ReadThingInput(ctx);
  if (!input) {
    return Fail(input.error());
  }
  const auto& [name, body, type, payload] = *input;
  auto billing = OptShapedString(body, "billingGroupName", Shape::kBillingGroupName);
  if (!billing) {
    return Fail(billing.error());
  }
  // fleetguard has no billing groups, so every named one is missing, as AWS answers for an
  // unknown billing group.
  if (billing->has_value()) {
    return Fail(ErrorCode::kNotFound, "Billing group " + **billing + " does not exist");
  }
  registry::ThingConfig config;
  config.type_name = type.value_or("");
  if (payload && payload->attributes) {
    config.attributes = *payload->attributes;
  }
  auto thing = s.things->Create(ctx.account_id(), name, config);
  if (!thing) {
    return Fail(thing.error());
  }
  boost::json::object out;
  out["thingName"] = thing->name;
  out["thingArn"] = ArnOf(s, ctx, thing->name);
  out["thingId"] = thing->id;
  return JsonResponse(out);
}

Result<HttpResponse> DescribeThing(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  auto thing = s.things->Describe(ctx.account_id(), *name);
  if (!thing) {
    return Fail(thing.error());
  }
  boost::json::object out;
  // AWS reports the thing name as the default MQTT client id.
  out["defaultClientId"] = thing->name;
  out["thingName"] = thing->name;
  out["thingId"] = thing->id;
  out["thingArn"] = ArnOf(s, ctx, thing->name);
  if (!thing->type_name.empty()) {
    out["thingTypeName"] = thing->type_name;
  }
  out["attributes"] = AttributesJson(thing->attributes);
  out["version"] = thing->version;
  return JsonResponse(out);
}

Result<HttpResponse> UpdateThing(const IotServices& s, const RequestContext& ctx) {
  auto input = ReadThingInput(ctx);
  if (!input) {
    return Fail(input.error());
  }
  const auto& [name, body, type, payload] = *input;
  auto expected_version = body.OptInt("expectedVersion");
  if (!expected_version) {
    return Fail(expected_version.error());
  }
  auto remove_type = body.OptBool("removeThingType");
  if (!remove_type) {
    return Fail(remove_type.error());
  }
  registry::UpdateThingRequest request;
  request.type_name = type;
  request.remove_thing_type = remove_type->value_or(false);
  if (payload) {
    request.attributes = payload->attributes;
    request.merge = payload->merge;
  }
  request.expected_version = *expected_version;
  auto updated = s.things->Update(ctx.account_id(), name, request);
  if (!updated) {
    return Fail(updated.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> ListThings(const IotServices& s, const RequestContext& ctx) {
  auto attribute_name = OptShapedQuery(ctx, "attributeName", Shape::kAttributeName);
  if (!attribute_name) {
    return Fail(attribute_name.error());
  }
  // AttributeName's pattern has '+': an empty name is no name, and is refused.
  if (attribute_name->has_value() && (*attribute_name)->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "Value at 'attributeName' must not be empty");
  }
  auto attribute_value = OptShapedQuery(ctx, "attributeValue", Shape::kAttributeValue);
  if (!attribute_value) {
    return Fail(attribute_value.error());
  }
  auto type = OptShapedQuery(ctx, "thingTypeName", Shape::kThingTypeName);
  if (!type) {
    return Fail(type.error());
  }
  auto use_prefix = ctx.QueryBool("usePrefixAttributeValue");
  if (!use_prefix) {
    return Fail(use_prefix.error());
  }
  registry::ThingFilter filter;
  filter.attribute_name = *attribute_name;
  filter.attribute_value = *attribute_value;
  filter.type_name = *type;
  filter.use_prefix_attribute_value = use_prefix->value_or(false);
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add("attributeName", filter.attribute_name)
      .Add("attributeValue", filter.attribute_value)
      .Add("thingTypeName", filter.type_name)
      .Add("usePrefixAttributeValue", filter.use_prefix_attribute_value);
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto things = s.things->List(ctx.account_id(), filter, *page);
  if (!things) {
    return Fail(things.error());
  }
  boost::json::array list;
  for (const registry::Thing& thing : things->items) {
    boost::json::object item;
    item["thingName"] = thing.name;
    if (!thing.type_name.empty()) {
      item["thingTypeName"] = thing.type_name;
    }
    item["thingArn"] = ArnOf(s, ctx, thing.name);
    item["attributes"] = AttributesJson(thing.attributes);
    item["version"] = thing.version;
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["things"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, things->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> DeleteThing(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  auto expected_version = ctx.QueryInt("expectedVersion");
  if (!expected_version) {
    return Fail(expected_version.error());
  }
  if (auto deleted = s.things->Delete(ctx.account_id(), *name, *expected_version); !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> AttachThingPrincipal(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  auto principal = RequiredHeader(ctx, kPrincipalHeader, kPrincipal, kMaxPrincipalLength);
  if (!principal) {
    return Fail(principal.error());
  }
  auto type_text = ctx.QueryString("thingPrincipalType");
  if (!type_text) {
    return Fail(type_text.error());
  }
  // AWS's default when the member is absent (and the only behaviour older clients know).
  registry::ThingPrincipalType type = registry::ThingPrincipalType::kNonExclusiveThing;
  if (type_text->has_value()) {
    if (auto ok = ValidateEnum("thingPrincipalType", **type_text,
                               {"EXCLUSIVE_THING", "NON_EXCLUSIVE_THING"});
        !ok) {
      return Fail(ok.error());
    }
    auto parsed = registry::ParseThingPrincipalType(**type_text);
    if (!parsed) {
      return Fail(parsed.error());
    }
    type = *parsed;
  }
  if (auto attached = s.things->AttachPrincipal(ctx.account_id(), *name, *principal, type);
      !attached) {
    return Fail(attached.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DetachThingPrincipal(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  auto principal = RequiredHeader(ctx, kPrincipalHeader, kPrincipal, kMaxPrincipalLength);
  if (!principal) {
    return Fail(principal.error());
  }
  if (auto detached = s.things->DetachPrincipal(ctx.account_id(), *name, *principal); !detached) {
    return Fail(detached.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> ListThingPrincipals(const IotServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kThingName, Shape::kThingName);
  if (!name) {
    return Fail(name.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kThingName, std::string_view(*name));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto principals = s.things->ListThingPrincipals(ctx.account_id(), *name, *page);
  if (!principals) {
    return Fail(principals.error());
  }
  return JsonResponse(NamePageJson("principals", *principals, *s.page_tokens, scope));
}

Result<HttpResponse> ListPrincipalThings(const IotServices& s, const RequestContext& ctx) {
  auto principal = RequiredHeader(ctx, kPrincipalHeader, kPrincipal, kMaxPrincipalLength);
  if (!principal) {
    return Fail(principal.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kPrincipal, std::string_view(*principal));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto things = s.things->ListPrincipalThings(ctx.account_id(), *principal, *page);
  if (!things) {
    return Fail(things.error());
  }
  return JsonResponse(NamePageJson("things", *things, *s.page_tokens, scope));
}

constexpr IotRoute kThingRoutes[] = {
    {"POST", "/things/{thingName}", "CreateThing", CreateThing},
    {"GET", "/things/{thingName}", "DescribeThing", DescribeThing},
    {"PATCH", "/things/{thingName}", "UpdateThing", UpdateThing},
    {"GET", "/things", "ListThings", ListThings},
    {"DELETE", "/things/{thingName}", "DeleteThing", DeleteThing},
    {"PUT", "/things/{thingName}/principals", "AttachThingPrincipal", AttachThingPrincipal},
    {"DELETE", "/things/{thingName}/principals", "DetachThingPrincipal", DetachThingPrincipal},
    {"GET", "/things/{thingName}/principals", "ListThingPrincipals", ListThingPrincipals},
    {"GET", "/principals/things", "ListPrincipalThings", ListPrincipalThings},
};

}  // namespace

Result<void> AddThingRoutes(Router& router, const IotServices& services) {
  if (services.things == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "AddThingRoutes needs things and page_tokens");
  }
  return AddIotRoutes(router, services, kThingRoutes);
}

}  // namespace fg::api
