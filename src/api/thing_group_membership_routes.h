#pragma once

// Thing-group membership operations: AddThingToThingGroup, RemoveThingFromThingGroup and
// ListThingsInThingGroup. Part of AddThingGroupRoutes (iot_routes.h), which calls this; kept
// apart because resolving "by name or by ARN" is its own concern.
//
// A thing or group may be named by name or by ARN. An ARN must be a thing / thinggroup ARN
// (else InvalidRequestException); one of another account or region names nothing the caller can
// see (ResourceNotFoundException). Name and ARN together must agree.

#include "api/iot_routes.h"
#include "api/router.h"
#include "core/result.h"

namespace fg::api {

// REQUIRES: services.thing_groups and services.page_tokens are set (AddThingGroupRoutes checks).
Result<void> AddThingGroupMembershipRoutes(Router& router, const IotServices& services);

}  // namespace fg::api
