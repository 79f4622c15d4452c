// AWS IoT Device Defender findings: ListAuditFindings, DescribeAuditFinding (reference §2
// "Device Defender audit") and ListRelatedResourcesForAuditFinding (botocore model). The
// finding's wire shape is AWS's exactly (audit_wire.h, audit-semantics.md §2).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/audit_wire.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "audit/audit_finding_record.h"
#include "audit/finding_service.h"

namespace fg::api {
namespace {

constexpr char kFindingId[] = "findingId";

Result<HttpResponse> ListAuditFindings(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  audit::ListFindingsRequest request;
  auto task_id = OptShapedString(*body, "taskId", Shape::kAuditTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  request.task_id = *task_id;
  auto check = body->OptString("checkName");
  if (!check) {
    return Fail(check.error());
  }
  request.check_name = *check;
  auto resource = ReadOptResourceIdentifier(*body, "resourceIdentifier");
  if (!resource) {
    return Fail(resource.error());
  }
  request.resource = *resource;
  auto start = body->OptTimestamp("startTime");
  if (!start) {
    return Fail(start.error());
  }
  request.start = *start;
  auto end = body->OptTimestamp("endTime");
  if (!end) {
    return Fail(end.error());
  }
  request.end = *end;
  auto suppressed = body->OptBool("listSuppressedFindings");
  if (!suppressed) {
    return Fail(suppressed.error());
  }
  request.list_suppressed = *suppressed;

  std::optional<std::string> resource_key;
  if (request.resource) {
    auto key = audit::ResourceKey(*request.resource);
    if (!key) {
      return Fail(key.error());
    }
    resource_key = *key;
  }
  auto time_value = [](const std::optional<TimePoint>& t) {
    return t ? std::optional<std::string>(std::to_string(ToEpochMillis(*t))) : std::nullopt;
  };
  auto bool_value = [](const std::optional<bool>& b) {
    return b ? std::optional<std::string>(*b ? "true" : "false") : std::nullopt;
  };
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add("taskId", request.task_id)
      .Add("checkName", request.check_name)
      .Add("resourceIdentifier", resource_key)
      .Add("startTime", time_value(request.start))
      .Add("endTime", time_value(request.end))
      .Add("listSuppressedFindings", bool_value(request.list_suppressed));
  auto page = ReadBodyNextTokenPage(*body, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto findings = s.findings->List(ctx.account_id(), request, *page);
  if (!findings) {
    return Fail(findings.error());
  }
  boost::json::array list;
  for (const audit::AuditFindingRecord& record : findings->items) {
    list.push_back(AuditFindingJson(record));
  }
  boost::json::object out;
  out["findings"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, findings->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> DescribeAuditFinding(const AuditServices& s, const RequestContext& ctx) {
  auto finding_id = ShapedLabel(ctx, kFindingId, Shape::kFindingId);
  if (!finding_id) {
    return Fail(finding_id.error());
  }
  auto record = s.findings->Describe(ctx.account_id(), *finding_id);
  if (!record) {
    return Fail(record.error());
  }
  boost::json::object out;
  // The service already caps the related resources at 10, as AWS does.
  out["finding"] = AuditFindingJson(*record);
  return JsonResponse(out);
}

Result<HttpResponse> ListRelatedResourcesForAuditFinding(const AuditServices& s,
                                                         const RequestContext& ctx) {
  auto finding_id = OptShapedQuery(ctx, kFindingId, Shape::kFindingId);
  if (!finding_id) {
    return Fail(finding_id.error());
  }
  if (!finding_id->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'findingId'");
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kFindingId, std::string_view(**finding_id));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto related = s.findings->ListRelatedResources(ctx.account_id(), **finding_id, *page);
  if (!related) {
    return Fail(related.error());
  }
  boost::json::array list;
  for (const audit::AuditResource& resource : related->items) {
    list.push_back(AuditResourceJson(resource));
  }
  boost::json::object out;
  out["relatedResources"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, related->next_cursor);
  return JsonResponse(out);
}

constexpr AuditRoute kFindingRoutes[] = {
    {"POST", "/audit/findings", "ListAuditFindings", ListAuditFindings},
    {"GET", "/audit/findings/{findingId}", "DescribeAuditFinding", DescribeAuditFinding},
    {"GET", "/audit/relatedResources", "ListRelatedResourcesForAuditFinding",
     ListRelatedResourcesForAuditFinding},
};

}  // namespace

Result<void> AddAuditFindingRoutes(Router& router, const AuditServices& services) {
  if (services.findings == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddAuditFindingRoutes needs findings and page_tokens");
  }
  return AddAuditRouteTable(router, services, kFindingRoutes);
}

}  // namespace fg::api
