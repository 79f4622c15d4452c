#pragma once

// The AWS IoT control-plane operations, registered on a Router. Each area lives in its own
// .cpp (certificate_routes.cpp, ca_routes.cpp, endpoint_routes.cpp, thing_routes.cpp,
// thing_group_routes.cpp). Handlers parse and validate the wire request (every max and pattern
// of the model, reference §2.2), call one registry service, and map the result; they hold no
// business rules. The composition root (app/wiring.cpp) calls the Add*Routes functions.

#include <string>

#include "api/router.h"
#include "core/result.h"

namespace fg::registry {
class AccountService;
class CaService;
class CertificateService;
class ThingGroupService;
class ThingService;
}  // namespace fg::registry

namespace fg::api {

class PageTokenCodec;

// The services the handlers call. Not owned; every pointer must outlive the Router.
struct IotServices {
  registry::AccountService* accounts = nullptr;
  registry::CertificateService* certificates = nullptr;
  registry::CaService* ca_certificates = nullptr;
  registry::ThingService* things = nullptr;
  registry::ThingGroupService* thing_groups = nullptr;
  // Installation settings: ARNs carry the region; DescribeEndpoint names hosts under the domain
  // (<prefix>-ats.iot.<region>.<domain>).
  std::string region;
  std::string domain;
  // The process's one page-token codec (marker / nextToken), shared by every list handler.
  PageTokenCodec* page_tokens = nullptr;
};

// Each returns kInvalidArgument only for a programming error in a route template.
Result<void> AddCertificateRoutes(Router& router, const IotServices& services);
Result<void> AddCaRoutes(Router& router, const IotServices& services);
Result<void> AddEndpointRoutes(Router& router, const IotServices& services);
Result<void> AddThingRoutes(Router& router, const IotServices& services);
Result<void> AddThingGroupRoutes(Router& router, const IotServices& services);

}  // namespace fg::api
