// AWS IoT Device Defender audit suppressions: CreateAuditSuppression, DescribeAuditSuppression,
// ListAuditSuppressions, DeleteAuditSuppression (reference §2 "Mitigation actions &
// suppressions") and UpdateAuditSuppression (botocore model). All are POST or PATCH with the
// key (checkName, resourceIdentifier) in the JSON body.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/audit_wire.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "audit/suppression_service.h"

namespace fg::api {
namespace {

constexpr char kCheckName[] = "checkName";
constexpr char kResource[] = "resourceIdentifier";

boost::json::object SuppressionJson(const audit::AuditSuppression& s) {
  boost::json::object out;
  out[kCheckName] = s.check_name;
  out[kResource] = ResourceIdentifierJson(s.resource);
  if (s.expiration) {
    out["expirationDate"] = EpochSecondsValue(*s.expiration);
  }
  out["suppressIndefinitely"] = s.suppress_indefinitely;
  if (!s.description.empty()) {
    out["description"] = s.description;
  }
  return out;
}

// The suppression key every operation but List requires.
struct SuppressionKey {
  std::string check_name;
  audit::ResourceIdentifier resource;
};

Result<SuppressionKey> ReadKey(const JsonReader& body) {
  auto check = body.String(kCheckName);
  if (!check) {
    return Fail(check.error());
  }
  auto resource = ReadResourceIdentifier(body, kResource);
  if (!resource) {
    return Fail(resource.error());
  }
  return SuppressionKey{std::move(*check), std::move(*resource)};
}

Result<HttpResponse> CreateAuditSuppression(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto key = ReadKey(*body);
  if (!key) {
    return Fail(key.error());
  }
  audit::SuppressionSpec spec;
  spec.check_name = std::move(key->check_name);
  spec.resource = std::move(key->resource);
  auto expiration = body->OptTimestamp("expirationDate");
  if (!expiration) {
    return Fail(expiration.error());
  }
  spec.expiration = *expiration;
  auto indefinitely = body->OptBool("suppressIndefinitely");
  if (!indefinitely) {
    return Fail(indefinitely.error());
  }
  spec.suppress_indefinitely = *indefinitely;
  auto description = OptShapedString(*body, "description", Shape::kAuditDescription);
  if (!description) {
    return Fail(description.error());
  }
  spec.description = description->value_or("");
  // Required by the model; the SDKs fill it with a UUID when the caller leaves it out.
  auto token = OptShapedString(*body, "clientRequestToken", Shape::kClientRequestToken);
  if (!token) {
    return Fail(token.error());
  }
  if (!token->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'clientRequestToken'");
  }
  spec.client_request_token = **token;
  if (auto created = s.suppressions->Create(ctx.account_id(), spec); !created) {
    return Fail(created.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DescribeAuditSuppression(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto key = ReadKey(*body);
  if (!key) {
    return Fail(key.error());
  }
  auto found = s.suppressions->Describe(ctx.account_id(), key->check_name, key->resource);
  if (!found) {
    return Fail(found.error());
  }
  return JsonResponse(SuppressionJson(*found));
}

Result<HttpResponse> UpdateAuditSuppression(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto key = ReadKey(*body);
  if (!key) {
    return Fail(key.error());
  }
  audit::SuppressionUpdate update;
  auto expiration = body->OptTimestamp("expirationDate");
  if (!expiration) {
    return Fail(expiration.error());
  }
  update.expiration = *expiration;
  auto indefinitely = body->OptBool("suppressIndefinitely");
  if (!indefinitely) {
    return Fail(indefinitely.error());
  }
  update.suppress_indefinitely = *indefinitely;
  auto description = OptShapedString(*body, "description", Shape::kAuditDescription);
  if (!description) {
    return Fail(description.error());
  }
  update.description = *description;
  auto updated = s.suppressions->Update(ctx.account_id(), key->check_name, key->resource, update);
  if (!updated) {
    return Fail(updated.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DeleteAuditSuppression(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto key = ReadKey(*body);
  if (!key) {
    return Fail(key.error());
  }
  if (auto deleted = s.suppressions->Delete(ctx.account_id(), key->check_name, key->resource);
      !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> ListAuditSuppressions(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto check = body->OptString(kCheckName);
  if (!check) {
    return Fail(check.error());
  }
  auto resource = ReadOptResourceIdentifier(*body, kResource);
  if (!resource) {
    return Fail(resource.error());
  }
  auto ascending = body->OptBool("ascendingOrder");
  if (!ascending) {
    return Fail(ascending.error());
  }
  std::optional<std::string> resource_key;
  if (*resource) {
    auto k = audit::ResourceKey(**resource);
    if (!k) {
      return Fail(k.error());
    }
    resource_key = *k;
  }
  // AWS's default order is ascending (by expiration).
  const bool ascending_order = ascending->value_or(true);
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kCheckName, *check).Add(kResource, resource_key).Add("ascendingOrder", ascending_order);
  auto page = ReadBodyNextTokenPage(*body, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto listed = s.suppressions->List(ctx.account_id(), *check, *resource, ascending_order, *page);
  if (!listed) {
    return Fail(listed.error());
  }
  boost::json::array list;
  for (const audit::AuditSuppression& suppression : listed->items) {
    list.push_back(SuppressionJson(suppression));
  }
  boost::json::object out;
  out["suppressions"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, listed->next_cursor);
  return JsonResponse(out);
}

constexpr AuditRoute kSuppressionRoutes[] = {
    {"POST", "/audit/suppressions/create", "CreateAuditSuppression", CreateAuditSuppression},
    {"POST", "/audit/suppressions/describe", "DescribeAuditSuppression", DescribeAuditSuppression},
    {"PATCH", "/audit/suppressions/update", "UpdateAuditSuppression", UpdateAuditSuppression},
    {"POST", "/audit/suppressions/delete", "DeleteAuditSuppression", DeleteAuditSuppression},
    {"POST", "/audit/suppressions/list", "ListAuditSuppressions", ListAuditSuppressions},
};

}  // namespace

Result<void> AddAuditSuppressionRoutes(Router& router, const AuditServices& services) {
  if (services.suppressions == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddAuditSuppressionRoutes needs suppressions and page_tokens");
  }
  return AddAuditRouteTable(router, services, kSuppressionRoutes);
}

}  // namespace fg::api
