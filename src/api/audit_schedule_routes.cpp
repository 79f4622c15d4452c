// AWS IoT Device Defender scheduled audits: CreateScheduledAudit, DescribeScheduledAudit,
// ListScheduledAudits, UpdateScheduledAudit, DeleteScheduledAudit (reference §2 "Device
// Defender audit"). The scheduler (audit/audit_scheduler.h) starts them.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/certificate_wire.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/token_paging.h"
#include "api/validation.h"
#include "audit/audit_arn.h"
#include "audit/audit_enums.h"
#include "audit/scheduled_audit_service.h"

namespace fg::api {
namespace {

constexpr char kName[] = "scheduledAuditName";

std::string ArnOf(const AuditServices& s, const RequestContext& ctx, std::string_view name) {
  return audit::ScheduledAuditArn(s.region, ctx.account_id(), name);
}

// The members ScheduledAuditMetadata and DescribeScheduledAudit share.
boost::json::object ScheduleJson(const AuditServices& s, const RequestContext& ctx,
                                 const audit::ScheduledAudit& a) {
  boost::json::object out;
  out[kName] = a.name;
  out["scheduledAuditArn"] = ArnOf(s, ctx, a.name);
  out["frequency"] = audit::ToString(a.frequency);
  if (a.day_of_month) {
    out["dayOfMonth"] = *a.day_of_month;
  }
  if (a.day_of_week) {
    out["dayOfWeek"] = audit::ToString(*a.day_of_week);
  }
  return out;
}

// The optional enum body member `name`.
template <typename T>
Result<std::optional<T>> BodyEnum(const JsonReader& body, std::string_view name,
                                  Result<T> (*parse)(std::string_view)) {
  auto raw = body.OptString(name);
  if (!raw) {
    return Fail(raw.error());
  }
  if (!raw->has_value()) {
    return std::optional<T>();
  }
  auto parsed = ParseEnumMember(body.MemberPath(name), **raw, parse);
  if (!parsed) {
    return Fail(parsed.error());
  }
  return std::optional<T>(*parsed);
}

// The members CreateScheduledAudit and UpdateScheduledAudit share; all optional here.
struct ScheduleMembers {
  std::optional<audit::AuditFrequency> frequency;
  std::optional<audit::DayOfWeek> day_of_week;
  std::optional<std::string> day_of_month;
  std::optional<std::vector<std::string>> target_check_names;
};

Result<ScheduleMembers> ReadScheduleMembers(const JsonReader& body) {
  ScheduleMembers m;
  auto frequency = BodyEnum(body, "frequency", audit::ParseAuditFrequency);
  if (!frequency) {
    return Fail(frequency.error());
  }
  m.frequency = *frequency;
  auto day_of_week = BodyEnum(body, "dayOfWeek", audit::ParseDayOfWeek);
  if (!day_of_week) {
    return Fail(day_of_week.error());
  }
  m.day_of_week = *day_of_week;
  auto day_of_month = OptShapedString(body, "dayOfMonth", Shape::kDayOfMonth);
  if (!day_of_month) {
    return Fail(day_of_month.error());
  }
  m.day_of_month = *day_of_month;
  auto checks = body.OptStringList("targetCheckNames");
  if (!checks) {
    return Fail(checks.error());
  }
  m.target_check_names = std::move(*checks);
  return m;
}

Result<HttpResponse> CreateScheduledAudit(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kName, Shape::kScheduledAuditName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto members = ReadScheduleMembers(*body);
  if (!members) {
    return Fail(members.error());
  }
  if (!members->frequency) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'frequency'");
  }
  if (!members->target_check_names) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member 'targetCheckNames'");
  }
  audit::ScheduledAuditSpec spec;
  spec.frequency = *members->frequency;
  spec.day_of_week = members->day_of_week;
  spec.day_of_month = members->day_of_month;
  spec.target_check_names = std::move(*members->target_check_names);
  auto created = s.scheduled_audits->Create(ctx.account_id(), *name, spec);
  if (!created) {
    return Fail(created.error());
  }
  boost::json::object out;
  out["scheduledAuditArn"] = ArnOf(s, ctx, created->name);
  return JsonResponse(out);
}

Result<HttpResponse> DescribeScheduledAudit(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kName, Shape::kScheduledAuditName);
  if (!name) {
    return Fail(name.error());
  }
  auto found = s.scheduled_audits->Describe(ctx.account_id(), *name);
  if (!found) {
    return Fail(found.error());
  }
  boost::json::object out = ScheduleJson(s, ctx, *found);
  boost::json::array checks;
  for (const std::string& check : found->target_check_names) {
    checks.emplace_back(check);
  }
  out["targetCheckNames"] = std::move(checks);
  return JsonResponse(out);
}

Result<HttpResponse> ListScheduledAudits(const AuditServices& s, const RequestContext& ctx) {
  PageScope scope(ctx.account_id(), ctx.operation());
  auto page = ReadNextTokenPage(ctx, *s.page_tokens, scope);
  if (!page) {
    return Fail(page.error());
  }
  auto audits = s.scheduled_audits->List(ctx.account_id(), *page);
  if (!audits) {
    return Fail(audits.error());
  }
  boost::json::array list;
  for (const audit::ScheduledAudit& a : audits->items) {
    list.push_back(ScheduleJson(s, ctx, a));
  }
  boost::json::object out;
  out["scheduledAudits"] = std::move(list);
  PutNextToken(out, *s.page_tokens, scope, audits->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> UpdateScheduledAudit(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kName, Shape::kScheduledAuditName);
  if (!name) {
    return Fail(name.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto members = ReadScheduleMembers(*body);
  if (!members) {
    return Fail(members.error());
  }
  audit::ScheduledAuditUpdate update;
  update.frequency = members->frequency;
  update.day_of_week = members->day_of_week;
  update.day_of_month = members->day_of_month;
  update.target_check_names = std::move(members->target_check_names);
  auto updated = s.scheduled_audits->Update(ctx.account_id(), *name, update);
  if (!updated) {
    return Fail(updated.error());
  }
  boost::json::object out;
  out["scheduledAuditArn"] = ArnOf(s, ctx, updated->name);
  return JsonResponse(out);
}

Result<HttpResponse> DeleteScheduledAudit(const AuditServices& s, const RequestContext& ctx) {
  auto name = ShapedLabel(ctx, kName, Shape::kScheduledAuditName);
  if (!name) {
    return Fail(name.error());
  }
  if (auto deleted = s.scheduled_audits->Delete(ctx.account_id(), *name); !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

constexpr AuditRoute kScheduleRoutes[] = {
    {"POST", "/audit/scheduledaudits/{scheduledAuditName}", "CreateScheduledAudit",
     CreateScheduledAudit},
    {"GET", "/audit/scheduledaudits/{scheduledAuditName}", "DescribeScheduledAudit",
     DescribeScheduledAudit},
    {"GET", "/audit/scheduledaudits", "ListScheduledAudits", ListScheduledAudits},
    {"PATCH", "/audit/scheduledaudits/{scheduledAuditName}", "UpdateScheduledAudit",
     UpdateScheduledAudit},
    {"DELETE", "/audit/scheduledaudits/{scheduledAuditName}", "DeleteScheduledAudit",
     DeleteScheduledAudit},
};

}  // namespace

Result<void> AddScheduledAuditRoutes(Router& router, const AuditServices& services) {
  if (services.scheduled_audits == nullptr || services.page_tokens == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "AddScheduledAuditRoutes needs scheduled_audits and page_tokens");
  }
  return AddAuditRouteTable(router, services, kScheduleRoutes);
}

}  // namespace fg::api
