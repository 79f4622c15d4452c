// AWS IoT Device Defender audit mitigation actions tasks: StartAuditMitigationActionsTask,
// DescribeAuditMitigationActionsTask, ListAuditMitigationActionsTasks,
// ListAuditMitigationActionsExecutions, CancelAuditMitigationActionsTask (reference §2
// "Mitigation actions & suppressions"). MitigationExecutor runs the tasks on the audit thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_error.h"
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
#include "audit/mitigation_task_service.h"

namespace fg::api {
namespace {

constexpr char kTaskId[] = "taskId";
constexpr char kFindingId[] = "findingId";
// StartAuditMitigationActionsTask answers a taken task id or token with this modeled error
// (400), not with ResourceAlreadyExistsException (reference §4, TAE).
constexpr char kTaskAlreadyExists[] = "TaskAlreadyExistsException";

boost::json::object StringListMapJson(const std::map<std::string, std::vector<std::string>>& m) {
  boost::json::object out;
  for (const auto& [key, values] : m) {
    boost::json::array list;
    for (const std::string& v : values) {
      list.emplace_back(v);
    }
    out[key] = std::move(list);
  }
  return out;
}

boost::json::object TargetJson(const audit::MitigationTaskTarget& target) {
  boost::json::object out;
  if (target.audit_task_id) {
    out["auditTaskId"] = *target.audit_task_id;
  }
  if (!target.finding_ids.empty()) {
    boost::json::array ids;
    for (const std::string& id : target.finding_ids) {
      ids.emplace_back(id);
    }
    out["findingIds"] = std::move(ids);
  }
  if (!target.reason_code_filter.empty()) {
    out["auditCheckToReasonCodeFilter"] = StringListMapJson(target.reason_code_filter);
  }
  return out;
}

boost::json::object StatisticsJson(const audit::MitigationCheckStatistics& s) {
  boost::json::object out;
  out["totalFindingsCount"] = s.total_findings;
  out["failedFindingsCount"] = s.failed_findings;
  out["succeededFindingsCount"] = s.succeeded_findings;
  out["skippedFindingsCount"] = s.skipped_findings;
  out["canceledFindingsCount"] = s.canceled_findings;
  return out;
}

Result<audit::MitigationTaskTarget> ReadTarget(const JsonReader& body) {
  auto reader = body.Object("target");
  if (!reader) {
    return Fail(reader.error());
  }
  audit::MitigationTaskTarget target;
  auto audit_task_id = OptShapedString(*reader, "auditTaskId", Shape::kAuditTaskId);
  if (!audit_task_id) {
    return Fail(audit_task_id.error());
  }
  target.audit_task_id = *audit_task_id;
  auto finding_ids = reader->OptStringList("findingIds");
  if (!finding_ids) {
    return Fail(finding_ids.error());
  }
  if (finding_ids->has_value()) {
    for (const std::string& id : **finding_ids) {
      if (auto ok = Validate(Shape::kFindingId, reader->MemberPath("findingIds"), id); !ok) {
        return Fail(ok.error());
      }
    }
    target.finding_ids = std::move(**finding_ids);
  }
  auto filter = ReadStringListMap(*reader, "auditCheckToReasonCodeFilter");
  if (!filter) {
    return Fail(filter.error());
  }
  if (filter->has_value()) {
    target.reason_code_filter = std::move(**filter);
  }
  return target;
}

Result<HttpResponse> StartAuditMitigationActionsTask(const AuditServices& s,
                                                     const RequestContext& ctx) {
  auto task_id = ShapedLabel(ctx, kTaskId, Shape::kMitigationActionsTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  audit::StartMitigationTaskRequest request;
  request.task_id = *task_id;
  auto target = ReadTarget(*body);
  if (!target) {
    return Fail(target.error());
  }
  request.target = std::move(*target);
  auto mapping = ReadStringListMap(*body, "auditCheckToActionsMapping");
  if (!mapping) {
    return Fail(mapping.error());
  }
  if (!mapping->has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Missing required member 'auditCheckToActionsMapping'");
  }
  request.actions_mapping = std::move(**mapping);
  auto token = OptShapedString(*body, "clientRequestToken", Shape::kClientRequestToken);
  if (!token) {
    return Fail(token.error());
  }
  if (!token->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'clientRequestToken'");
  }
  request.client_request_token = **token;
  auto started = s.mitigation_tasks->Start(ctx.account_id(), request);
  if (!started) {
    if (started.error().code == ErrorCode::kAlreadyExists) {
      return ErrorResponse(ApiError{400, kTaskAlreadyExists, started.error().message, "", ""},
                           ctx.request_id());
    }
    return Fail(started.error());
  }
  if (s.wake) {
    s.wake();
  }
  boost::json::object out;
  out[kTaskId] = *started;
  return JsonResponse(out);
}

Result<HttpResponse> DescribeAuditMitigationActionsTask(const AuditServices& s,
                                                        const RequestContext& ctx) {
  auto task_id = ShapedLabel(ctx, kTaskId, Shape::kMitigationActionsTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  auto task = s.mitigation_tasks->Describe(ctx.account_id(), *task_id);
  if (!task) {
    return Fail(task.error());
  }
  boost::json::object out;
  out["taskStatus"] = audit::ToString(task->status);
  out["startTime"] = EpochSecondsValue(task->start_time);
  if (task->end_time) {
    out["endTime"] = EpochSecondsValue(*task->end_time);
  }
  boost::json::object statistics;
  for (const auto& [check, stats] : task->statistics) {
    statistics[check] = StatisticsJson(stats);
  }
  out["taskStatistics"] = std::move(statistics);
  out["target"] = TargetJson(task->target);
  out["auditCheckToActionsMapping"] = StringListMapJson(task->actions_mapping);
  boost::json::array definitions;
  for (const audit::MitigationAction& action : task->actions_definition) {
    boost::json::object d;
    d["name"] = action.name;
    d["id"] = action.id;
    d["roleArn"] = action.role_arn;
    d["actionParams"] = MitigationActionParamsJson(action.params);
    definitions.push_back(std::move(d));
  }
  out["actionsDefinition"] = std::move(definitions);
  return JsonResponse(out);
}

Result<HttpResponse> ListAuditMitigationActionsTasks(const AuditServices& s,
                                                     const RequestContext& ctx) {
  auto start = RequiredQueryTimestamp(ctx, "startTime");
  if (!start) {
    return Fail(start.error());
  }
  auto end = RequiredQueryTimestamp(ctx, "endTime");
  if (!end) {
    return Fail(end.error());
  }
  auto audit_task_id = OptShapedQuery(ctx, "auditTaskId", Shape::kAuditTaskId);
  if (!audit_task_id) {
    return Fail(audit_task_id.error());
  }
  auto finding_id = OptShapedQuery(ctx, kFindingId, Shape::kFindingId);
  if (!finding_id) {
    return Fail(finding_id.error());
  }
  auto status = QueryEnum(ctx, "taskStatus", audit::ParseMitigationTaskStatus);
  if (!status) {
    return Fail(status.error());
  }
  audit::MitigationTaskQuery query{*start, *end, *audit_task_id, *finding_id, *status};
  PageScope scope(ctx.account_id(), ctx.operation());
  const std::string start_ms = std::to_string(ToEpochMillis(*start));
  const std::string end_ms = std::to_string(ToEpochMillis(*end));
  scope.Add("startTime", std::string_view(start_ms))
      .Add("endTime", std::string_view(end_ms))
      .Add("auditTaskId", *audit_task_id)
      .Add(kFindingId, *finding_id)
      .Add("taskStatus", EnumScopeValue(*status));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto tasks = s.mitigation_tasks->List(ctx.account_id(), query, *page);
  if (!tasks) {
    return Fail(tasks.error());
  }
  boost::json::array list;
  for (const audit::AuditMitigationTask& task : tasks->items) {
    boost::json::object item;
    item[kTaskId] = task.task_id;
    item["startTime"] = EpochSecondsValue(task.start_time);
    item["taskStatus"] = audit::ToString(task.status);
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["tasks"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, tasks->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> ListAuditMitigationActionsExecutions(const AuditServices& s,
                                                          const RequestContext& ctx) {
  auto task_id = OptShapedQuery(ctx, kTaskId, Shape::kMitigationActionsTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  auto finding_id = OptShapedQuery(ctx, kFindingId, Shape::kFindingId);
  if (!finding_id) {
    return Fail(finding_id.error());
  }
  if (!task_id->has_value() || !finding_id->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("Missing required member '") +
                                                 (task_id->has_value() ? kFindingId : kTaskId) +
                                                 "'");
  }
  auto status = QueryEnum(ctx, "actionStatus", audit::ParseMitigationExecutionStatus);
  if (!status) {
    return Fail(status.error());
  }
  PageScope scope(ctx.account_id(), ctx.operation());
  scope.Add(kTaskId, *task_id)
      .Add(kFindingId, *finding_id)
      .Add("actionStatus", EnumScopeValue(*status));
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto executions =
      s.mitigation_tasks->ListExecutions(ctx.account_id(), **task_id, **finding_id, *status, *page);
  if (!executions) {
    return Fail(executions.error());
  }
  boost::json::array list;
  for (const audit::MitigationExecution& e : executions->items) {
    boost::json::object item;
    item[kTaskId] = e.task_id;
    item[kFindingId] = e.finding_id;
    item["actionName"] = e.action_name;
    item["actionId"] = e.action_id;
    item["status"] = audit::ToString(e.status);
    if (e.start_time) {
      item["startTime"] = EpochSecondsValue(*e.start_time);
    }
    if (e.end_time) {
      item["endTime"] = EpochSecondsValue(*e.end_time);
    }
    if (!e.error_code.empty()) {
      item["errorCode"] = e.error_code;
    }
    if (!e.message.empty()) {
      item["message"] = e.message;
    }
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["actionsExecutions"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, executions->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> CancelAuditMitigationActionsTask(const AuditServices& s,
                                                      const RequestContext& ctx) {
  auto task_id = ShapedLabel(ctx, kTaskId, Shape::kMitigationActionsTaskId);
  if (!task_id) {
    return Fail(task_id.error());
  }
  if (auto canceled = s.mitigation_tasks->Cancel(ctx.account_id(), *task_id); !canceled) {
    return Fail(canceled.error());
  }
  return EmptyJsonResponse();
}

constexpr AuditRoute kMitigationTaskRoutes[] = {
    {"POST", "/audit/mitigationactions/tasks/{taskId}", "StartAuditMitigationActionsTask",
     StartAuditMitigationActionsTask},
    {"GET", "/audit/mitigationactions/tasks/{taskId}", "DescribeAuditMitigationActionsTask",
     DescribeAuditMitigationActionsTask},
    {"GET", "/audit/mitigationactions/tasks", "ListAuditMitigationActionsTasks",
     ListAuditMitigationActionsTasks},
    {"GET", "/audit/mitigationactions/executions", "ListAuditMitigationActionsExecutions",
     ListAuditMitigationActionsExecutions},
    {"PUT", "/audit/mitigationactions/tasks/{taskId}/cancel", "CancelAuditMitigationActionsTask",
     CancelAuditMitigationActionsTask},
};

}  // namespace

Result<void> AddMitigationTaskRoutes(Router& router, const AuditServices& services) {
  if (services.mitigation_tasks == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddMitigationTaskRoutes needs mitigation_tasks and page_tokens");
  }
  return AddAuditRouteTable(router, services, kMitigationTaskRoutes);
}

}  // namespace fg::api
