// AWS IoT Device Defender mitigation actions: CreateMitigationAction, DescribeMitigationAction,
// ListMitigationActions, DeleteMitigationAction (reference §2 "Mitigation actions &
// suppressions") and UpdateMitigationAction (botocore model).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/audit_wire.h"
#include "api/certificate_wire.h"
#include "api/json_body.h"
#include "api/mitigation_params_wire.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "audit/audit_arn.h"
#include "audit/audit_enums.h"
#include "audit/mitigation_action_service.h"

namespace fg::api {
namespace {

constexpr char kActionName[] = "actionName";
constexpr char kActionParams[] = "actionParams";

std::string ArnOf(const AuditServices& s, const RequestContext& ctx, std::string_view name) {
  return audit::MitigationActionArn(s.region, ctx.account_id(), name);
}

boost::json::object ArnAndIdJson(const AuditServices& s, const RequestContext& ctx,
                                 const audit::MitigationAction& action) {
  boost::json::object out;
  out["actionArn"] = ArnOf(s, ctx, action.name);
  out["actionId"] = action.id;
  return out;
}

Result<HttpResponse> CreateMitigationAction(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kActionName, Shape::kMitigationActionName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto role = body->String("roleArn");
  if (!role) {
    return Fail(role.error());
  }
  if (auto ok = Validate(Shape::kRoleArn, "roleArn", *role); !ok) {
    return Fail(ok.error());
  }
  auto params = ReadOptMitigationActionParams(*body, kActionParams);
  if (!params) {
    return Fail(params.error());
  }
  if (!params->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'actionParams'");
  }
  auto created = s.mitigation_actions->Create(ctx.account_id(), *name, *role, **params);
  if (!created) {
    Error error = created.error();
    if (error.code == ErrorCode::kAlreadyExists && error.resource_arn.empty()) {
      error.resource_arn = ArnOf(s, ctx, *name);
    }
    return Fail(std::move(error));
  }
  return JsonResponse(ArnAndIdJson(s, ctx, *created));
}

Result<HttpResponse> DescribeMitigationAction(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kActionName, Shape::kMitigationActionName);
  if (!name) {
    return Fail(name.error());
  }
  auto action = s.mitigation_actions->Describe(ctx.account_id(), *name);
  if (!action) {
    return Fail(action.error());
  }
  boost::json::object out = ArnAndIdJson(s, ctx, *action);
  out[kActionName] = action->name;
  out["actionType"] = audit::ToString(action->type);
  out["roleArn"] = action->role_arn;
  out[kActionParams] = MitigationActionParamsJson(action->params);
  out["creationDate"] = EpochSecondsValue(action->created);
  out["lastModifiedDate"] = EpochSecondsValue(action->last_modified);
  return JsonResponse(out);
}

Result<HttpResponse> ListMitigationActions(const AuditServices& s, const RequestContext& ctx) {
  auto type = QueryEnum(ctx, "actionType", audit::ParseMitigationActionType);
  if (!type) {
    return Fail(type.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add("actionType", EnumScopeValue(*type));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto actions = s.mitigation_actions->List(ctx.account_id(), *type, *page);
  if (!actions) {
    return Fail(actions.error());
  }
  boost::json::array list;
  for (const audit::MitigationAction& action : actions->items) {
    boost::json::object item;
    item[kActionName] = action.name;
    item["actionArn"] = ArnOf(s, ctx, action.name);
    item["creationDate"] = EpochSecondsValue(action.created);
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["actionIdentifiers"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, actions->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> UpdateMitigationAction(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kActionName, Shape::kMitigationActionName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto role = OptShapedString(*body, "roleArn", Shape::kRoleArn);
  if (!role) {
    return Fail(role.error());
  }
  auto params = ReadOptMitigationActionParams(*body, kActionParams);
  if (!params) {
    return Fail(params.error());
  }
  auto updated = s.mitigation_actions->Update(ctx.account_id(), *name, *role, *params);
  if (!updated) {
    return Fail(updated.error());
  }
  return JsonResponse(ArnAndIdJson(s, ctx, *updated));
}

Result<HttpResponse> DeleteMitigationAction(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kActionName, Shape::kMitigationActionName);
  if (!name) {
    return Fail(name.error());
  }
  if (auto deleted = s.mitigation_actions->Delete(ctx.account_id(), *name); !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

constexpr AuditRoute kActionRoutes[] = {
    {"POST", "/mitigationactions/actions/{actionName}", "CreateMitigationAction",
     CreateMitigationAction},
    {"GET", "/mitigationactions/actions/{actionName}", "DescribeMitigationAction",
     DescribeMitigationAction},
    {"GET", "/mitigationactions/actions", "ListMitigationActions", ListMitigationActions},
    {"PATCH", "/mitigationactions/actions/{actionName}", "UpdateMitigationAction",
     UpdateMitigationAction},
    {"DELETE", "/mitigationactions/actions/{actionName}", "DeleteMitigationAction",
     DeleteMitigationAction},
};

}  // namespace

Result<void> AddMitigationActionRoutes(Router& router, const AuditServices& services) {
  if (services.mitigation_actions == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddMitigationActionRoutes needs mitigation_actions and page_tokens");
  }
  return AddAuditRouteTable(router, services, kActionRoutes);
}

}  // namespace fg::api
