#include "api/certificate_transfer_routes.h"

#include <string>

#include "api/certificate_wire.h"
#include "api/iot_route_table.h"
#include "api/json_body.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/certificate_service.h"

namespace fg::api {
namespace {

// An optional Message body member (at most 128 characters); "" when absent.
Result<std::string> MessageMember(const RequestContext& ctx, std::string_view name) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto text = body->OptString(name);
  if (!text) {
    return Fail(text.error());
  }
  if (!*text) {
    return std::string();
  }
  if (auto ok = Validate(Shape::kMessage, name, **text); !ok) {
    return Fail(ok.error());
  }
  return std::move(**text);
}

Result<HttpResponse> TransferCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto target = ctx.QueryString("targetAwsAccount");
  if (!target) {
    return Fail(target.error());
  }
  if (!*target) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required query parameter 'targetAwsAccount'");
  }
  if (auto ok = Validate(Shape::kAwsAccountId, "targetAwsAccount", **target); !ok) {
    return Fail(ok.error());
  }
  auto message = MessageMember(ctx, "transferMessage");
  if (!message) {
    return Fail(message.error());
  }
  auto record = s.certificates->Transfer(ctx.account_id(), *id, **target, *message);
  if (!record) {
    return Fail(record.error());
  }
  boost::json::object out;
  out["transferredCertificateArn"] =
      registry::CertificateArn(s.region, record->account_id, record->certificate_id);
  return JsonResponse(out);
}

Result<HttpResponse> AcceptCertificateTransfer(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto set_as_active = ctx.QueryBool("setAsActive");
  if (!set_as_active) {
    return Fail(set_as_active.error());
  }
  if (auto ok =
          s.certificates->AcceptTransfer(ctx.account_id(), *id, set_as_active->value_or(false));
      !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> RejectCertificateTransfer(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto reason = MessageMember(ctx, "rejectReason");
  if (!reason) {
    return Fail(reason.error());
  }
  if (auto ok = s.certificates->RejectTransfer(ctx.account_id(), *id, *reason); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> CancelCertificateTransfer(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  if (auto ok = s.certificates->CancelTransfer(ctx.account_id(), *id); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

constexpr IotRoute kRoutes[] = {
    {"PATCH", "/transfer-certificate/{certificateId}", "TransferCertificate", TransferCertificate},
    {"PATCH", "/accept-certificate-transfer/{certificateId}", "AcceptCertificateTransfer",
     AcceptCertificateTransfer},
    {"PATCH", "/reject-certificate-transfer/{certificateId}", "RejectCertificateTransfer",
     RejectCertificateTransfer},
    {"PATCH", "/cancel-certificate-transfer/{certificateId}", "CancelCertificateTransfer",
     CancelCertificateTransfer},
};

}  // namespace

Result<void> AddCertificateTransferRoutes(Router& router, const IotServices& services) {
  return AddIotRoutes(router, services, kRoutes);
}

}  // namespace fg::api
