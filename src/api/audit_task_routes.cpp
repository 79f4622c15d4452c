// AWS IoT Device Defender audit tasks: StartOnDemandAuditTask, DescribeAuditTask,
// ListAuditTasks, CancelAuditTask (reference §2 "Device Defender audit").

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/audit_wire.h"
#include "api/certificate_wire.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "audit/audit_enums.h"
#include "audit/audit_task_service.h"
#include "registry/page.h"

namespace fg::api {
namespace {

constexpr char kTaskId[] = "taskId";

boost::json::object StatisticsJson(const audit::AuditTaskStatistics& s) {
  boost::json::object out;
  out["totalChecks"] = s.total_checks;
  out["inProgressChecks"] = s.in_progress_checks;
  out["waitingForDataCollectionChecks"] = s.waiting_for_data_collection_checks;
  out["compliantChecks"] = s.compliant_checks;
  out["nonCompliantChecks"] = s.non_compliant_checks;
  out["failedChecks"] = s.failed_checks;
  out["canceledChecks"] = s.canceled_checks;
  return out;
}

boost::json::object CheckDetailsJson(const audit::AuditCheckDetails& d) {
  boost::json::object out;
  out["checkRunStatus"] = audit::ToString(d.run_status);
  if (d.compliant) {
    out["checkCompliant"] = *d.compliant;
  }
  out["totalResourcesCount"] = d.total_resources;
  out["nonCompliantResourcesCount"] = d.non_compliant_resources;
  out["suppressedNonCompliantResourcesCount"] = d.suppressed_non_compliant_resources;
  if (!d.error_code.empty()) {
    out["errorCode"] = d.error_code;
  }
  if (!d.message.empty()) {
    out["message"] = d.message;
  }
  return out;
}

Result<HttpResponse> StartOnDemandAuditTask(const AuditServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto checks = body->StringList("targetCheckNames");
  if (!checks) {
    return Fail(checks.error());
  }
  auto task_id = s.tasks->StartOnDemand(ctx.account_id(), *checks);
  if (!task_id) {
    return Fail(task_id.error());
  }
  if (s.wake) {
    s.wake();
  }
  boost::json::object out;
  out[kTaskId] = *task_id;
  return JsonResponse(out);
}

Result<HttpResponse> DescribeAuditTask(const AuditServices& s, const RequestContext& ctx) {
  auto task_id = ShapedLabel(ctx, kTaskId, Shape::kAuditTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  auto task = s.tasks->Describe(ctx.account_id(), *task_id);
  if (!task) {
    return Fail(task.error());
  }
  boost::json::object out;
  out["taskStatus"] = audit::ToString(task->status);
  out["taskType"] = audit::ToString(task->type);
  out["taskStartTime"] = EpochSecondsValue(task->start_time);
  out["taskStatistics"] = StatisticsJson(audit::ComputeTaskStatistics(*task));
  if (task->scheduled_audit_name) {
    out["scheduledAuditName"] = *task->scheduled_audit_name;
  }
  boost::json::object details;
  for (const auto& [name, check] : task->checks) {
    details[name] = CheckDetailsJson(check);
  }
  out["auditDetails"] = std::move(details);
  return JsonResponse(out);
}

Result<HttpResponse> ListAuditTasks(const AuditServices& s, const RequestContext& ctx) {
  auto start = RequiredQueryTimestamp(ctx, "startTime");
  if (!start) {
    return Fail(start.error());
  }
  auto end = RequiredQueryTimestamp(ctx, "endTime");
  if (!end) {
    return Fail(end.error());
  }
  auto type = QueryEnum(ctx, "taskType", audit::ParseAuditTaskType);
  if (!type) {
    return Fail(type.error());
  }
  auto status = QueryEnum(ctx, "taskStatus", audit::ParseAuditTaskStatus);
  if (!status) {
    return Fail(status.error());
  }
  audit::AuditTaskQuery query{*start, *end, *type, *status};
  PageScope scope(ctx.account_id(), ctx.operation());
  const std::string start_ms = std::to_string(ToEpochMillis(*start));
  const std::string end_ms = std::to_string(ToEpochMillis(*end));
  scope.Add("startTime", std::string_view(start_ms))
      .Add("endTime", std::string_view(end_ms))
      .Add("taskType", EnumScopeValue(*type))
      .Add("taskStatus", EnumScopeValue(*status));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto tasks = s.tasks->List(ctx.account_id(), query, *page);
  if (!tasks) {
    return Fail(tasks.error());
  }
  boost::json::array list;
  for (const audit::AuditTask& task : tasks->items) {
    boost::json::object item;
    item[kTaskId] = task.task_id;
    item["taskStatus"] = audit::ToString(task.status);
    item["taskType"] = audit::ToString(task.type);
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["tasks"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, tasks->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> CancelAuditTask(const AuditServices& s, const RequestContext& ctx) {
  auto task_id = ShapedLabel(ctx, kTaskId, Shape::kAuditTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  if (auto canceled = s.tasks->Cancel(ctx.account_id(), *task_id); !canceled) {
    return Fail(canceled.error());
  }
  return EmptyJsonResponse();
}

constexpr AuditRoute kTaskRoutes[] = {
    {"POST", "/audit/tasks", "StartOnDemandAuditTask", StartOnDemandAuditTask},
    {"GET", "/audit/tasks/{taskId}", "DescribeAuditTask", DescribeAuditTask},
    {"GET", "/audit/tasks", "ListAuditTasks", ListAuditTasks},
    {"PUT", "/audit/tasks/{taskId}/cancel", "CancelAuditTask", CancelAuditTask},
};

}  // namespace

Result<void> AddAuditTaskRoutes(Router& router, const AuditServices& services) {
  if (services.tasks == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "AddAuditTaskRoutes needs tasks and page_tokens");
  }
  return AddAuditRouteTable(router, services, kTaskRoutes);
}

}  // namespace fg::api
