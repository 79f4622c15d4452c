#include "api/audit_routes.h"

namespace fg::api {

Result<void> AddAuditRouteTable(Router& router, const AuditServices& services,
                                std::span<const AuditRoute> routes) {
  for (const AuditRoute& route : routes) {
    AuditHandlerFn fn = route.handler;
    auto added =
        router.Add(route.method, route.path_template, route.operation,
                   [services, fn](const RequestContext& ctx) { return fn(services, ctx); });
    if (!added) {
      return Fail(added.error());
    }
  }
  return Ok();
}

Result<void> AddAuditRoutes(Router& router, const AuditServices& services) {
  for (auto add : {AddAuditConfigurationRoutes, AddAuditTaskRoutes, AddScheduledAuditRoutes,
                   AddAuditFindingRoutes, AddAuditSuppressionRoutes, AddMitigationActionRoutes,
                   AddMitigationTaskRoutes}) {
    if (auto added = add(router, services); !added) {
      return Fail(added.error());
    }
  }
  return Ok();
}

}  // namespace fg::api
