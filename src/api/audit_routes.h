#pragma once

// The AWS IoT Device Defender audit operations (reference §2 "Device Defender audit" and
// "Mitigation actions & suppressions"; UpdateMitigationAction, UpdateAuditSuppression,
// DeleteAccountAuditConfiguration and ListRelatedResourcesForAuditFinding from the botocore
// model), registered on a Router. Each area lives in its own .cpp (audit_configuration_routes,
// audit_task_routes, audit_schedule_routes, audit_finding_routes, audit_suppression_routes,
// mitigation_action_routes, mitigation_task_routes). As for the registry routes
// (iot_routes.h), handlers parse and validate the wire request, call one audit service and map
// the result; the rules live in src/audit.
//
// Starting an audit task or a mitigation task only records it; the handler then calls
// AuditServices::wake so that the audit thread runs it. No audit ever runs on a request thread.

#include <functional>
#include <span>
#include <string>

#include "api/router.h"
#include "core/result.h"

namespace fg::audit {
class AuditConfigurationService;
class AuditTaskService;
class FindingService;
class MitigationActionService;
class MitigationTaskService;
class ScheduledAuditService;
class SuppressionService;
}  // namespace fg::audit

namespace fg::api {

class PageTokenCodec;

// The services the audit handlers call. Not owned; every pointer must outlive the Router.
struct AuditServices {
  audit::AuditConfigurationService* configuration = nullptr;
  audit::AuditTaskService* tasks = nullptr;
  audit::ScheduledAuditService* scheduled_audits = nullptr;
  audit::FindingService* findings = nullptr;
  audit::SuppressionService* suppressions = nullptr;
  audit::MitigationActionService* mitigation_actions = nullptr;
  audit::MitigationTaskService* mitigation_tasks = nullptr;
  // The installation's region, for scheduled-audit and mitigation-action ARNs.
  std::string region;
  // The process's one page-token codec (IotServices::page_tokens).
  PageTokenCodec* page_tokens = nullptr;
  // Called after a task was recorded (StartOnDemandAuditTask, StartAuditMitigationActionsTask)
  // so that the audit thread picks it up at once (AuditScheduler::Wake). May be empty; must be
  // cheap and must not block.
  std::function<void()> wake;
};

// One row of an audit handler table (as IotRoute is for the registry areas).
using AuditHandlerFn = Result<HttpResponse> (*)(const AuditServices& services,
                                                const RequestContext& ctx);
struct AuditRoute {
  const char* method;
  const char* path_template;
  const char* operation;
  AuditHandlerFn handler;
};

// Registers every row, binding a copy of `services`. kInvalidArgument if a row's template is
// malformed or already registered (Router::Add).
Result<void> AddAuditRouteTable(Router& router, const AuditServices& services,
                                std::span<const AuditRoute> routes);

// Each returns kInvalidArgument when a service it needs is missing or for a programming error
// in a route template.
Result<void> AddAuditConfigurationRoutes(Router& router, const AuditServices& services);
Result<void> AddAuditTaskRoutes(Router& router, const AuditServices& services);
Result<void> AddScheduledAuditRoutes(Router& router, const AuditServices& services);
Result<void> AddAuditFindingRoutes(Router& router, const AuditServices& services);
Result<void> AddAuditSuppressionRoutes(Router& router, const AuditServices& services);
Result<void> AddMitigationActionRoutes(Router& router, const AuditServices& services);
Result<void> AddMitigationTaskRoutes(Router& router, const AuditServices& services);

// All of the above, in that order.
Result<void> AddAuditRoutes(Router& router, const AuditServices& services);

}  // namespace fg::api
