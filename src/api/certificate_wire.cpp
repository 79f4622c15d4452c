#include "api/certificate_wire.h"

#include "api/validation.h"
#include "registry/arn.h"
#include "registry/enums.h"

namespace fg::api {
namespace {

boost::json::object ValidityJson(TimePoint not_before, TimePoint not_after) {
  boost::json::object validity;
  validity["notBefore"] = EpochSecondsValue(not_before);
  validity["notAfter"] = EpochSecondsValue(not_after);
  return validity;
}

boost::json::object TransferDataJson(const registry::TransferData& transfer) {
  boost::json::object out;
  if (!transfer.transfer_message.empty()) {
    out["transferMessage"] = transfer.transfer_message;
  }
  if (!transfer.reject_reason.empty()) {
    out["rejectReason"] = transfer.reject_reason;
  }
  if (transfer.transfer_date) {
    out["transferDate"] = EpochSecondsValue(*transfer.transfer_date);
  }
  if (transfer.accept_date) {
    out["acceptDate"] = EpochSecondsValue(*transfer.accept_date);
  }
  if (transfer.reject_date) {
    out["rejectDate"] = EpochSecondsValue(*transfer.reject_date);
  }
  return out;
}

// An optional string member of registrationConfig checked against its shape.
Result<std::string> ConfigMember(const JsonReader& config, std::string_view name, Shape shape) {
  auto value = config.OptString(name);
  if (!value) {
    return Fail(value.error());
  }
  if (!*value) {
    return std::string();
  }
  if (auto ok = Validate(shape, config.MemberPath(name), **value); !ok) {
    return Fail(ok.error());
  }
  return std::move(**value);
}

}  // namespace

Result<std::string> CertificateIdLabel(const RequestContext& ctx, std::string_view label) {
  std::string id(ctx.Label(label));
  if (auto ok = Validate(Shape::kCertificateId, label, id); !ok) {
    return Fail(ok.error());
  }
  return id;
}

Result<std::optional<registry::RegistrationConfig>> ReadRegistrationConfig(const JsonReader& body) {
  auto config = body.OptObject("registrationConfig");
  if (!config) {
    return Fail(config.error());
  }
  if (!*config) {
    return std::optional<registry::RegistrationConfig>();
  }
  registry::RegistrationConfig out;
  auto template_body = ConfigMember(**config, "templateBody", Shape::kTemplateBody);
  auto role_arn = ConfigMember(**config, "roleArn", Shape::kRoleArn);
  auto template_name = ConfigMember(**config, "templateName", Shape::kTemplateName);
  for (const auto* member : {&template_body, &role_arn, &template_name}) {
    if (!*member) {
      return Fail(member->error());
    }
  }
  out.template_body = std::move(*template_body);
  out.role_arn = std::move(*role_arn);
  out.template_name = std::move(*template_name);
  return std::optional<registry::RegistrationConfig>(std::move(out));
}

boost::json::object CertificateDescriptionJson(const registry::CertificateRecord& record,
                                               std::string_view region) {
  boost::json::object out;
  out["certificateArn"] =
      registry::CertificateArn(region, record.account_id, record.certificate_id);
  out["certificateId"] = record.certificate_id;
  if (record.ca_certificate_id) {
    out["caCertificateId"] = *record.ca_certificate_id;
  }
  out["status"] = registry::ToString(record.status);
  out["certificatePem"] = record.pem;
  out["ownedBy"] = record.owned_by;
  if (record.previous_owned_by) {
    out["previousOwnedBy"] = *record.previous_owned_by;
  }
  out["creationDate"] = EpochSecondsValue(record.creation_date);
  out["lastModifiedDate"] = EpochSecondsValue(record.last_modified_date);
  out["customerVersion"] = record.customer_version;
  if (record.transfer) {
    out["transferData"] = TransferDataJson(*record.transfer);
  }
  out["generationId"] = record.generation_id;
  out["validity"] = ValidityJson(record.not_before, record.not_after);
  out["certificateMode"] = registry::ToString(record.mode);
  return out;
}

boost::json::object CertificateSummaryJson(const registry::CertificateRecord& record,
                                           std::string_view region) {
  boost::json::object out;
  out["certificateArn"] =
      registry::CertificateArn(region, record.account_id, record.certificate_id);
  out["certificateId"] = record.certificate_id;
  out["status"] = registry::ToString(record.status);
  out["certificateMode"] = registry::ToString(record.mode);
  out["creationDate"] = EpochSecondsValue(record.creation_date);
  return out;
}

boost::json::object CaCertificateDescriptionJson(const registry::CaCertificateRecord& record,
                                                 std::string_view region) {
  boost::json::object out;
  out["certificateArn"] =
      registry::CaCertificateArn(region, record.account_id, record.certificate_id);
  out["certificateId"] = record.certificate_id;
  out["status"] = registry::ToString(record.status);
  out["certificatePem"] = record.pem;
  out["ownedBy"] = record.owned_by;
  out["creationDate"] = EpochSecondsValue(record.creation_date);
  out["autoRegistrationStatus"] = registry::ToString(record.auto_registration);
  out["lastModifiedDate"] = EpochSecondsValue(record.last_modified_date);
  out["customerVersion"] = record.customer_version;
  out["generationId"] = record.generation_id;
  out["validity"] = ValidityJson(record.not_before, record.not_after);
  out["certificateMode"] = registry::ToString(record.mode);
  return out;
}

boost::json::object CaCertificateSummaryJson(const registry::CaCertificateRecord& record,
                                             std::string_view region) {
  boost::json::object out;
  out["certificateArn"] =
      registry::CaCertificateArn(region, record.account_id, record.certificate_id);
  out["certificateId"] = record.certificate_id;
  out["status"] = registry::ToString(record.status);
  out["creationDate"] = EpochSecondsValue(record.creation_date);
  return out;
}

std::optional<boost::json::object> RegistrationConfigJson(
    const registry::RegistrationConfig& config) {
  if (config == registry::RegistrationConfig{}) {
    return std::nullopt;
  }
  boost::json::object out;
  if (!config.template_body.empty()) {
    out["templateBody"] = config.template_body;
  }
  if (!config.role_arn.empty()) {
    out["roleArn"] = config.role_arn;
  }
  if (!config.template_name.empty()) {
    out["templateName"] = config.template_name;
  }
  return out;
}

}  // namespace fg::api
