// CA certificate operations of the AWS IoT control plane (reference §2, "Certificates & CA"):
// registration codes, RegisterCACertificate, describe, list, update and delete.

#include <optional>
#include <string>

#include "api/certificate_wire.h"
#include "api/iot_route_table.h"
#include "api/iot_routes.h"
#include "api/json_body.h"
#include "api/marker_paging.h"
#include "api/validation.h"
#include "registry/arn.h"
#include "registry/ca_service.h"
#include "registry/enums.h"

namespace fg::api {
namespace {

// An optional CertificatePem body member; nullopt when absent.
Result<std::optional<std::string>> OptPemMember(const JsonReader& body, std::string_view name) {
  auto pem = body.OptString(name);
  if (!pem) {
    return Fail(pem.error());
  }
  if (*pem) {
    if (auto ok = Validate(Shape::kCertificatePem, name, **pem); !ok) {
      return Fail(ok.error());
    }
  }
  return pem;
}

// TagList: [{"Key": TagKey, "Value": TagValue}, ...]. Checked against the model so that a
// script that works against AWS works here; fleetguard keeps no tags (nothing reads them).
Result<void> ValidateTags(const JsonReader& body) {
  const boost::json::value* tags = body.object().if_contains("tags");
  if (tags == nullptr || tags->is_null()) {
    return Ok();
  }
  if (!tags->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "Member 'tags' must be a list");
  }
  const boost::json::array& list = tags->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "tags[" + std::to_string(i) + "]";
    if (!list[i].is_object()) {
      return Fail(ErrorCode::kInvalidArgument, "Member '" + path + "' must be an object");
    }
    JsonReader tag(list[i].get_object(), path + ".");
    auto key = tag.String("Key");
    if (!key) {
      return Fail(key.error());
    }
    if (auto ok = Validate(Shape::kTagKey, tag.MemberPath("Key"), *key); !ok) {
      return ok;
    }
    auto value = tag.OptString("Value");
    if (!value) {
      return Fail(value.error());
    }
    if (*value) {
      if (auto ok = Validate(Shape::kTagValue, tag.MemberPath("Value"), **value); !ok) {
        return ok;
      }
    }
  }
  return Ok();
}

Result<HttpResponse> RegisterCaCertificate(const IotServices& s, const RequestContext& ctx) {
  registry::RegisterCaRequest request;
  auto set_as_active = ctx.QueryBool("setAsActive");
  if (!set_as_active) {
    return Fail(set_as_active.error());
  }
  request.set_as_active = set_as_active->value_or(false);
  auto allow_auto = ctx.QueryBool("allowAutoRegistration");
  if (!allow_auto) {
    return Fail(allow_auto.error());
  }
  request.allow_auto_registration = allow_auto->value_or(false);

  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto ca_pem = body->String("caCertificate");
  if (!ca_pem) {
    return Fail(ca_pem.error());
  }
  if (auto ok = Validate(Shape::kCertificatePem, "caCertificate", *ca_pem); !ok) {
    return Fail(ok.error());
  }
  request.ca_certificate_pem = std::move(*ca_pem);
  auto verification = OptPemMember(*body, "verificationCertificate");
  if (!verification) {
    return Fail(verification.error());
  }
  request.verification_certificate_pem = std::move(*verification);
  auto config = ReadRegistrationConfig(*body);
  if (!config) {
    return Fail(config.error());
  }
  request.registration_config = config->value_or(registry::RegistrationConfig{});
  if (auto ok = ValidateTags(*body); !ok) {
    return Fail(ok.error());
  }
  auto mode = body->OptString("certificateMode");
  if (!mode) {
    return Fail(mode.error());
  }
  if (*mode) {
    auto parsed = ParseEnumMember("certificateMode", **mode, registry::ParseCertificateMode);
    if (!parsed) {
      return Fail(parsed.error());
    }
    request.mode = *parsed;
  }

  auto record = s.ca_certificates->Register(ctx.account_id(), request);
  if (!record) {
    return Fail(record.error());
  }
  boost::json::object out;
  out["certificateArn"] =
      registry::CaCertificateArn(s.region, record->account_id, record->certificate_id);
  out["certificateId"] = record->certificate_id;
  return JsonResponse(out);
}

Result<HttpResponse> GetRegistrationCode(const IotServices& s, const RequestContext& ctx) {
  auto code = s.ca_certificates->GetRegistrationCode(ctx.account_id());
  if (!code) {
    return Fail(code.error());
  }
  boost::json::object out;
  out["registrationCode"] = *code;
  return JsonResponse(out);
}

Result<HttpResponse> DeleteRegistrationCode(const IotServices& s, const RequestContext& ctx) {
  if (auto ok = s.ca_certificates->DeleteRegistrationCode(ctx.account_id()); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DescribeCaCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "caCertificateId");
  if (!id) {
    return Fail(id.error());
  }
  auto record = s.ca_certificates->Describe(ctx.account_id(), *id);
  if (!record) {
    return Fail(record.error());
  }
  boost::json::object out;
  out["certificateDescription"] = CaCertificateDescriptionJson(*record, s.region);
  if (auto config = RegistrationConfigJson(record->registration_config)) {
    out["registrationConfig"] = std::move(*config);
  }
  return JsonResponse(out);
}

Result<HttpResponse> ListCaCertificates(const IotServices& s, const RequestContext& ctx) {
  auto template_name = ctx.QueryString("templateName");
  if (!template_name) {
    return Fail(template_name.error());
  }
  if (*template_name) {
    if (auto ok = Validate(Shape::kTemplateName, "templateName", **template_name); !ok) {
      return Fail(ok.error());
    }
  }
  auto paging = MarkerPaging::Read(ctx, *s.page_tokens, template_name->value_or(""));
  if (!paging) {
    return Fail(paging.error());
  }
  auto page =
      s.ca_certificates->List(ctx.account_id(), paging->page(), template_name->value_or(""));
  if (!page) {
    return Fail(page.error());
  }
  boost::json::array certificates;
  certificates.reserve(page->items.size());
  for (const auto& record : page->items) {
    certificates.push_back(CaCertificateSummaryJson(record, s.region));
  }
  boost::json::object out;
  out["certificates"] = std::move(certificates);
  paging->SetNextMarker(out, page->next_cursor);
  return JsonResponse(out);
}

Result<HttpResponse> UpdateCaCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "caCertificateId");
  if (!id) {
    return Fail(id.error());
  }
  registry::UpdateCaRequest request;
  auto new_status = QueryEnum(ctx, "newStatus", registry::ParseCaCertificateStatus);
  if (!new_status) {
    return Fail(new_status.error());
  }
  request.new_status = *new_status;
  auto new_auto =
      QueryEnum(ctx, "newAutoRegistrationStatus", registry::ParseAutoRegistrationStatus);
  if (!new_auto) {
    return Fail(new_auto.error());
  }
  request.new_auto_registration = *new_auto;
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  auto config = ReadRegistrationConfig(*body);
  if (!config) {
    return Fail(config.error());
  }
  request.registration_config = std::move(*config);
  auto remove = body->OptBool("removeAutoRegistration");
  if (!remove) {
    return Fail(remove.error());
  }
  request.remove_auto_registration = remove->value_or(false);
  if (auto ok = s.ca_certificates->Update(ctx.account_id(), *id, request); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DeleteCaCertificate(const IotServices& s, const RequestContext& ctx) {
  auto id = CertificateIdLabel(ctx, "caCertificateId");
  if (!id) {
    return Fail(id.error());
  }
  if (auto ok = s.ca_certificates->Delete(ctx.account_id(), *id); !ok) {
    return Fail(ok.error());
  }
  return EmptyJsonResponse();
}

constexpr IotRoute kRoutes[] = {
    {"POST", "/cacertificate", "RegisterCACertificate", RegisterCaCertificate},
    {"GET", "/registrationcode", "GetRegistrationCode", GetRegistrationCode},
    {"DELETE", "/registrationcode", "DeleteRegistrationCode", DeleteRegistrationCode},
    {"GET", "/cacertificate/{caCertificateId}", "DescribeCACertificate", DescribeCaCertificate},
    {"GET", "/cacertificates", "ListCACertificates", ListCaCertificates},
    {"PUT", "/cacertificate/{caCertificateId}", "UpdateCACertificate", UpdateCaCertificate},
    {"DELETE", "/cacertificate/{caCertificateId}", "DeleteCACertificate", DeleteCaCertificate},
};

}  // namespace

Result<void> AddCaRoutes(Router& router, const IotServices& services) {
  return AddIotRoutes(router, services, kRoutes);
}

}  // namespace fg::api
