// DescribeEndpoint (reference §2.1): the account's device-facing host names. The gateway picks
// the account from the SNI host name, so these names are how a device reaches its account.

#include <optional>
#include <string>

#include "api/iot_route_table.h"
#include "api/iot_routes.h"
#include "api/json_body.h"
#include "api/validation.h"
#include "registry/account_service.h"

namespace fg::api {
namespace {

// The host name of `endpoint_type` for the account with `prefix`, or nullopt for a type AWS
// does not document.
std::optional<std::string> EndpointHost(std::string_view endpoint_type, std::string_view prefix,
                                        std::string_view region, std::string_view domain) {
  std::string suffix = ".iot." + std::string(region) + "." + std::string(domain);
  std::string host(prefix);
  if (endpoint_type == "iot:Data-ATS") {
    return host + "-ats" + suffix;
  }
  if (endpoint_type == "iot:Data") {
    return host + suffix;
  }
  if (endpoint_type == "iot:CredentialProvider") {
    return host + ".credentials" + suffix;
  }
  if (endpoint_type == "iot:Jobs") {
    return host + ".jobs" + suffix;
  }
  return std::nullopt;
}

Result<HttpResponse> DescribeEndpoint(const IotServices& s, const RequestContext& ctx) {
  auto type = ctx.QueryString("endpointType");
  if (!type) {
    return Fail(type.error());
  }
  // Absent means iot:Data-ATS: the gateway's SNI routing is built around the ATS names (AWS
  // itself still defaults to the legacy iot:Data name).
  std::string endpoint_type = type->value_or("iot:Data-ATS");
  if (auto ok = Validate(Shape::kEndpointType, "endpointType", endpoint_type); !ok) {
    return Fail(ok.error());
  }
  auto account = s.accounts->Describe(ctx.account_id());
  if (!account) {
    return Fail(account.error());
  }
  auto host = EndpointHost(endpoint_type, account->endpoint_prefix, s.region, s.domain);
  if (!host) {
    return Fail(ErrorCode::kInvalidArgument,
                "Invalid endpointType: must be iot:Data, iot:Data-ATS, iot:CredentialProvider "
                "or iot:Jobs");
  }
  boost::json::object out;
  out["endpointAddress"] = std::move(*host);
  return JsonResponse(out);
}

constexpr IotRoute kRoutes[] = {
    {"GET", "/endpoint", "DescribeEndpoint", DescribeEndpoint},
};

}  // namespace

Result<void> AddEndpointRoutes(Router& router, const IotServices& services) {
  return AddIotRoutes(router, services, kRoutes);
}

}  // namespace fg::api
