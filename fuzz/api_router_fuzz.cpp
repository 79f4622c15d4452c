// Target: api::Router::Find and api::Router::Dispatch on arbitrary methods, paths and query
// strings, over every route of the AWS IoT operations fleetguard serves (reference §2), with a
// handler that reads the path labels, the querystring members and the JSON body through
// api::RequestContext, as real handlers do.
//
// Input: HTTP text (see fuzz/http_text.h): "METHOD /path?query\nHeader: v\n\nbody".
//
// Invariants: a label never matches an empty segment; when Find matches, Dispatch runs the
// handler and answers 200 or 400, never 500 (nothing in the request may make the request
// context throw); when Find does not match, Dispatch answers 400, 404 or 405 without running it;
// every response carries the request id.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_body.h"
#include "api/request_context.h"
#include "api/router.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/http_text.h"

namespace fg::api {
namespace {

struct RouteSpec {
  const char* method;
  const char* path_template;
  const char* operation;
};

// Every operation of reference §2, method and requestUri as botocore sends them.
constexpr RouteSpec kRoutes[] = {
    {"POST", "/keys-and-certificate", "CreateKeysAndCertificate"},
    {"POST", "/certificates", "CreateCertificateFromCsr"},
    {"POST", "/certificate/register", "RegisterCertificate"},
    {"POST", "/certificate/register-no-ca", "RegisterCertificateWithoutCA"},
    {"POST", "/cacertificate", "RegisterCACertificate"},
    {"GET", "/registrationcode", "GetRegistrationCode"},
    {"DELETE", "/registrationcode", "DeleteRegistrationCode"},
    {"GET", "/certificates/{certificateId}", "DescribeCertificate"},
    {"GET", "/cacertificate/{caCertificateId}", "DescribeCACertificate"},
    {"GET", "/certificates", "ListCertificates"},
    {"GET", "/certificates-by-ca/{caCertificateId}", "ListCertificatesByCA"},
    {"GET", "/cacertificates", "ListCACertificates"},
    {"PUT", "/certificates/{certificateId}", "UpdateCertificate"},
    {"PUT", "/cacertificate/{caCertificateId}", "UpdateCACertificate"},
    {"DELETE", "/certificates/{certificateId}", "DeleteCertificate"},
    {"DELETE", "/cacertificate/{caCertificateId}", "DeleteCACertificate"},
    {"PATCH", "/transfer-certificate/{certificateId}", "TransferCertificate"},
    {"PATCH", "/accept-certificate-transfer/{certificateId}", "AcceptCertificateTransfer"},
    {"PATCH", "/reject-certificate-transfer/{certificateId}", "RejectCertificateTransfer"},
    {"PATCH", "/cancel-certificate-transfer/{certificateId}", "CancelCertificateTransfer"},
    {"GET", "/endpoint", "DescribeEndpoint"},
    {"POST", "/things/{thingName}", "CreateThing"},
    {"GET", "/things/{thingName}", "DescribeThing"},
    {"GET", "/things", "ListThings"},
    {"DELETE", "/things/{thingName}", "DeleteThing"},
    {"PUT", "/things/{thingName}/principals", "AttachThingPrincipal"},
    {"DELETE", "/things/{thingName}/principals", "DetachThingPrincipal"},
    {"GET", "/things/{thingName}/principals", "ListThingPrincipals"},
    {"GET", "/principals/things", "ListPrincipalThings"},
    {"POST", "/thing-groups/{thingGroupName}", "CreateThingGroup"},
    {"GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup"},
    {"GET", "/thing-groups", "ListThingGroups"},
    {"PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup"},
    {"PUT", "/thing-groups/removeThingFromThingGroup", "RemoveThingFromThingGroup"},
    {"GET", "/thing-groups/{thingGroupName}/things", "ListThingsInThingGroup"},
    {"DELETE", "/thing-groups/{thingGroupName}", "DeleteThingGroup"},
    {"GET", "/audit/configuration", "DescribeAccountAuditConfiguration"},
    {"PATCH", "/audit/configuration", "UpdateAccountAuditConfiguration"},
    {"POST", "/audit/tasks", "StartOnDemandAuditTask"},
    {"GET", "/audit/tasks/{taskId}", "DescribeAuditTask"},
    {"GET", "/audit/tasks", "ListAuditTasks"},
    {"PUT", "/audit/tasks/{taskId}/cancel", "CancelAuditTask"},
    {"POST", "/audit/scheduledaudits/{scheduledAuditName}", "CreateScheduledAudit"},
    {"GET", "/audit/scheduledaudits/{scheduledAuditName}", "DescribeScheduledAudit"},
    {"GET", "/audit/scheduledaudits", "ListScheduledAudits"},
    {"PATCH", "/audit/scheduledaudits/{scheduledAuditName}", "UpdateScheduledAudit"},
    {"DELETE", "/audit/scheduledaudits/{scheduledAuditName}", "DeleteScheduledAudit"},
    {"POST", "/audit/findings", "ListAuditFindings"},
    {"GET", "/audit/findings/{findingId}", "DescribeAuditFinding"},
    {"POST", "/mitigationactions/actions/{actionName}", "CreateMitigationAction"},
    {"GET", "/mitigationactions/actions/{actionName}", "DescribeMitigationAction"},
    {"GET", "/mitigationactions/actions", "ListMitigationActions"},
    {"DELETE", "/mitigationactions/actions/{actionName}", "DeleteMitigationAction"},
    {"POST", "/audit/mitigationactions/tasks/{taskId}", "StartAuditMitigationActionsTask"},
    {"GET", "/audit/mitigationactions/tasks/{taskId}", "DescribeAuditMitigationActionsTask"},
    {"GET", "/audit/mitigationactions/tasks", "ListAuditMitigationActionsTasks"},
    {"GET", "/audit/mitigationactions/executions", "ListAuditMitigationActionsExecutions"},
    {"PUT", "/audit/mitigationactions/tasks/{taskId}/cancel", "CancelAuditMitigationActionsTask"},
    {"POST", "/audit/suppressions/create", "CreateAuditSuppression"},
    {"POST", "/audit/suppressions/list", "ListAuditSuppressions"},
    {"POST", "/audit/suppressions/delete", "DeleteAuditSuppression"},
    {"POST", "/audit/suppressions/describe", "DescribeAuditSuppression"},
    {"POST", "/policies/{policyName}", "CreatePolicy"},
    {"PUT", "/target-policies/{policyName}", "AttachPolicy"},
    {"POST", "/target-policies/{policyName}", "DetachPolicy"},
    {"POST", "/attached-policies/{target}", "ListAttachedPolicies"},
    {"GET", "/policies/{policyName}", "GetPolicy"},
    {"DELETE", "/policies/{policyName}", "DeletePolicy"},
    {"POST", "/policy-targets/{policyName}", "ListTargetsForPolicy"},
};

int handler_calls = 0;

Result<void> ReadRequest(const RequestContext& ctx) {
  for (const auto& [name, value] : ctx.labels()) {
    FG_FUZZ_CHECK(!value.empty(), "a label never matches an empty segment");
    FG_FUZZ_CHECK(ctx.Label(name) == value, "Label() returns the decoded label");
  }
  auto marker = ctx.QueryString("marker");
  if (!marker) {
    return Fail(marker.error());
  }
  auto active = ctx.QueryBool("setAsActive");
  if (!active) {
    return Fail(active.error());
  }
  auto page_size = ctx.QueryInt("pageSize");
  if (!page_size) {
    return Fail(page_size.error());
  }
  auto start = ctx.QueryTimestamp("startTime");
  if (!start) {
    return Fail(start.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto pem = body->OptString("certificatePem");
  if (!pem) {
    return Fail(pem.error());
  }
  return Ok();
}

Router MakeRouter() {
  Router router;
  for (const RouteSpec& route : kRoutes) {
    auto added = router.Add(route.method, route.path_template, route.operation,
                            [](const RequestContext& ctx) -> Result<HttpResponse> {
                              ++handler_calls;
                              auto read = ReadRequest(ctx);
                              if (!read) {
                                return Fail(read.error());
                              }
                              return EmptyJsonResponse();
                            });
    FG_FUZZ_CHECK(added.has_value(), "every reference route registers");
  }
  return router;
}

void CheckRequest(const HttpRequest& request) {
  static const Router router = MakeRouter();
  std::string allow;
  auto match = router.Find(request.method, request.RawPath(), &allow);
  const int calls_before = handler_calls;
  const HttpResponse response = router.Dispatch(request, "123456789012", "fuzz-request");
  FG_FUZZ_CHECK(response.headers.Get("x-amzn-RequestId") == "fuzz-request",
                "every response carries the request id");
  FG_FUZZ_CHECK(response.status != 500, "nothing in a request makes the handler throw");
  if (match) {
    FG_FUZZ_CHECK(match->operation != nullptr && match->handler != nullptr, "a match is whole");
    FG_FUZZ_CHECK(response.status == 200 || response.status == 400, "routed: 200 or 400");
    FG_FUZZ_CHECK(response.status == 400 || handler_calls == calls_before + 1,
                  "a routed request runs its handler");
  } else {
    FG_FUZZ_CHECK(handler_calls == calls_before, "an unrouted request runs no handler");
    FG_FUZZ_CHECK(response.status == match.error().status, "Dispatch answers what Find found");
    FG_FUZZ_CHECK(response.status == 400 || response.status == 404 || response.status == 405,
                  "unrouted: 400, 404 or 405");
  }
}

}  // namespace
}  // namespace fg::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::api::CheckRequest(
      fg::fuzz::ParseHttpText(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}
