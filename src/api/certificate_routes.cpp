// Device certificate operations of the AWS IoT control plane (reference §2, "Certificates &
// CA"): issuing, registration, describe, lists, status and delete. The transfer operations
// are in certificate_transfer_routes.cpp.

#include <optional>
#include <string>

#include "api/certificate_transfer_routes.h"
#include "api/certificate_wire.h"
#include "api/iot_route_table.h"
#include "api/iot_routes.h"
#include "api/json_body.h"
#include "api/marker_paging.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/certificate_service.h"
#include "registry/enums.h"

namespace fg::api {
namespace {

using registry::CertificateStatus;

// The identity part of CreateKeysAndCertificate / CreateCertificateFromCsr / Register*.
boost::json::object IdentityJson(const IotServices& s, const registry::CertificateRecord& r) {
  boost::json::object out;
  out["certificateArn"] = registry::CertificateArn(s.region, r.account_id, r.certificate_id);
  out["certificateId"] = r.certificate_id;
  return out;
}

Result<bool> SetAsActive(const RequestContext& ctx) {
  auto set = ctx.QueryBool("setAsActive");
  if (!set) {
    return Fail(set.error());
  }
  return set->value_or(false);
}

// A required CertificatePem body member (1..65536 characters).
Result<std::string> PemMember(const JsonReader& body, std::string_view name) {
  auto pem = body.String(name);
  if (!pem) {
    return Fail(pem.error());
  }
  if (auto ok = Validate(Shape::kCertificatePem, name, *pem); !ok) {
    return Fail(ok.error());
  }
  return pem;
}

// The optional body member `status` of RegisterCertificate(WithoutCA).
Result<std::optional<CertificateStatus>> StatusMember(const JsonReader& body) {
  auto raw = body.OptString("status");
  if (!raw) {
    return Fail(raw.error());
  }
  if (!*raw) {
    return std::optional<CertificateStatus>();
  }
  auto status = ParseEnumMember("status", **raw, registry::ParseCertificateStatus);
  if (!status) {
    return Fail(status.error());
  }
  return std::optional<CertificateStatus>(*status);
}

Result<HttpResponse> CreateKeysAndCertificate(const IotServices& s, const RequestContext& ctx) {
  auto set_as_active = SetAsActive(ctx);
  if (!set_as_active) {
    return Fail(set_as_active.error());
  }
  auto created = s.certificates->CreateKeysAndCertificate(ctx.account_id(), *set_as_active);
  if (!created) {
    return Fail(created.error());
  }
  boost::json::object out = IdentityJson(s, created->record);
  out["certificatePem"] = created->record.pem;
  boost::json::object key_pair;
  key_pair["PublicKey"] = created->public_key_pem;
  key_pair["PrivateKey"] = created->private_key_pem;
  out["keyPair"] = std::move(key_pair);
  return JsonResponse(out);
}

Result<HttpResponse> CreateCertificateFromCsr(const IotServices& s, const RequestContext& ctx) {
  auto set_as_active = SetAsActive(ctx);
  if (!set_as_active) {
    return Fail(set_as_active.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto csr = body->String("certificateSigningRequest");
  if (!csr) {
    return Fail(csr.error());
  }
  if (auto ok = Validate(Shape::kCertificateSigningRequest, "certificateSigningRequest", *csr);
      !ok) {
    return Fail(ok.error());
  }
  auto created = s.certificates->CreateCertificateFromCsr(ctx.account_id(), *csr, *set_as_active);
  if (!created) {
    return Fail(created.error());
  }
  boost::json::object out = IdentityJson(s, created->record);
  out["certificatePem"] = created->record.pem;
  return JsonResponse(out);
}

Result<HttpResponse> RegisterCertificate(const IotServices& s, const RequestContext& ctx) {
  auto set_as_active = ctx.QueryBool("setAsActive");
  if (!set_as_active) {
    return Fail(set_as_active.error());
  }
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto pem = PemMember(*body, "certificatePem");
  if (!pem) {
    return Fail(pem.error());
  }
  registry::RegisterCertificateRequest request;
  request.certificate_pem = std::move(*pem);
  auto ca_pem = body->OptString("caCertificatePem");
  if (!ca_pem) {
    return Fail(ca_pem.error());
  }
  if (*ca_pem) {
    if (auto ok = Validate(Shape::kCertificatePem, "caCertificatePem", **ca_pem); !ok) {
      return Fail(ok.error());
    }
    request.ca_certificate_pem = std::move(**ca_pem);
  }
  auto status = StatusMember(*body);
  if (!status) {
    return Fail(status.error());
  }
  request.status = *status;
  // The deprecated setAsActive applies only when the body names no status.
  if (!request.status && set_as_active->value_or(false)) {
    request.status = CertificateStatus::kActive;
  }
  auto record = s.certificates->RegisterCertificate(ctx.account_id(), request);
  if (!record) {
    return Fail(record.error());
  }
  return JsonResponse(IdentityJson(s, *record));
}

Result<HttpResponse> RegisterCertificateWithoutCa(const IotServices& s, const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto pem = PemMember(*body, "certificatePem");
  if (!pem) {
    return Fail(pem.error());
  }
  auto status = StatusMember(*body);
  if (!status) {
    return Fail(status.error());
  }
  auto record = s.certificates->RegisterCertificateWithoutCa(ctx.account_id(), *pem, *status);
  if (!record) {
    return Fail(record.error());
  }
  return JsonResponse(IdentityJson(s, *record));
}

Result<HttpResponse> DescribeCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto record = s.certificates->Describe(ctx.account_id(), *id);
  if (!record) {
    return Fail(record.error());
  }
  boost::json::object out;
  out["certificateDescription"] = CertificateDescriptionJson(*record, s.region);
  return JsonResponse(out);
}

HttpResponse CertificatePage(const IotServices& s, const MarkerPaging& paging,
                             const registry::Page<registry::CertificateRecord>& page) {
  boost::json::array certificates;
  certificates.reserve(page.items.size());
  for (const auto& record : page.items) {
    certificates.push_back(CertificateSummaryJson(record, s.region));
  }
  boost::json::object out;
  out["certificates"] = std::move(certificates);
  paging.SetNextMarker(out, page.next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> ListCertificates(const IotServices& s, const RequestContext& ctx) {
  auto paging = MarkerPaging::Read(ctx, *s.page_tokens, "");
  if (!paging) {
    return Fail(paging.error());
  }
  auto page = s.certificates->List(ctx.account_id(), paging->page());
  if (!page) {
    return Fail(page.error());
  }
  return CertificatePage(s, *paging, *page);
}

Result<HttpResponse> ListCertificatesByCa(const IotServices& s, const RequestContext& ctx) {
  auto ca_id = CertificateIdLabel(ctx, "caCertificateId");
  if (!ca_id) {
    return Fail(ca_id.error());
  }
  auto paging = MarkerPaging::Read(ctx, *s.page_tokens, *ca_id);
  if (!paging) {
    return Fail(paging.error());
  }
  auto page = s.certificates->ListByCa(ctx.account_id(), *ca_id, paging->page());
  if (!page) {
    return Fail(page.error());
  }
  return CertificatePage(s, *paging, *page);
}

Result<HttpResponse> UpdateCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto new_status = QueryEnum(ctx, "newStatus", registry::ParseCertificateStatus);
  if (!new_status) {
    return Fail(new_status.error());
  }
  if (!*new_status) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required query parameter 'newStatus'");
  }
  if (auto ok = s.certificates->UpdateStatus(ctx.account_id(), *id, **new_status); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DeleteCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "certificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto force = ctx.QueryBool("forceDelete");
  if (!force) {
    return Fail(force.error());
  }
  if (auto ok = s.certificates->Delete(ctx.account_id(), *id, force->value_or(false)); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

constexpr IotRoute kRoutes[] = {
    {"POST", "/keys-and-certificate", "CreateKeysAndCertificate", CreateKeysAndCertificate},
    {"POST", "/certificates", "CreateCertificateFromCsr", CreateCertificateFromCsr},
    {"POST", "/certificate/register", "RegisterCertificate", RegisterCertificate},
    {"POST", "/certificate/register-no-ca", "RegisterCertificateWithoutCA",
     RegisterCertificateWithoutCa},
    {"GET", "/certificates/{certificateId}", "DescribeCertificate", DescribeCertificate},
    {"GET", "/certificates", "ListCertificates", ListCertificates},
    {"GET", "/certificates-by-ca/{caCertificateId}", "ListCertificatesByCA", ListCertificatesByCa},
    {"PUT", "/certificates/{certificateId}", "UpdateCertificate", UpdateCertificate},
    {"DELETE", "/certificates/{certificateId}", "DeleteCertificate", DeleteCertificate},
};

}  // namespace

Result<void> AddCertificateRoutes(Router& router, const IotServices& services) {
  if (auto added = AddIotRoutes(router, services, kRoutes); !added) {
    return added;
  }
  return AddCertificateTransferRoutes(router, services);
}

}  // namespace fg::api
