#pragma once

// A table of AWS IoT operations for one handler area: each row names the method, the path
// template, the operation and a plain function that gets the area's services. AddIotRoutes
// registers every row on a Router, binding a copy of the services.

#include <span>

#include "api/iot_routes.h"
#include "api/router.h"
#include "core/result.h"

namespace fg::api {

using IotHandlerFn = Result<HttpResponse> (*)(const IotServices& services,
                                              const RequestContext& ctx);

struct IotRoute {
  const char* method;
  const char* path_template;
  const char* operation;
  IotHandlerFn handler;
};

// kInvalidArgument if a row's template is malformed or already registered (Router::Add).
Result<void> AddIotRoutes(Router& router, const IotServices& services,
                          std::span<const IotRoute> routes);

}  // namespace fg::api
