#include "api/iot_route_table.h"

namespace fg::api {

Result<void> AddIotRoutes(Router& router, const IotServices& services,
                          std::span<const IotRoute> routes) {
  for (const IotRoute& route : routes) {
    IotHandlerFn fn = route.handler;
    auto added =
        router.Add(route.method, route.path_template, route.operation,
                   [services, fn](const RequestContext& ctx) { return fn(services, ctx); });
    if (!added) {
      return Fail(added.error());
    }
  }
  return Ok();
}

}  // namespace fg::api
