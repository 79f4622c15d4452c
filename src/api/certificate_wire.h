#pragma once

// The wire forms shared by the certificate and CA handlers (botocore model, reference §5):
// response shapes (CertificateDescription, Certificate, CACertificateDescription, CACertificate,
// RegistrationConfig) and readers for the request members both areas take (certificate id
// labels, enum members, RegistrationConfig).
//
// Pure functions. Readers never throw; every failure is kInvalidArgument
// (InvalidRequestException) with a message naming the member.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/json_body.h"
#include "api/request_context.h"
#include "core/result.h"
#include "registry/ca_certificate_record.h"
#include "registry/certificate_record.h"

namespace fg::api {

// The path label `label` checked against the model's CertificateId shape (64 characters of
// (0x)?[a-fA-F0-9]+). The registry canonicalises the accepted forms.
Result<std::string> CertificateIdLabel(const RequestContext& ctx, std::string_view label);

// `value` of enum member `member` parsed with `parse` (a registry::Parse* function). The
// registry's error is re-worded to name the member.
template <typename T>
Result<T> ParseEnumMember(std::string_view member, std::string_view value,
                          Result<T> (*parse)(std::string_view)) {
  auto parsed = parse(value);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                "Invalid value for '" + std::string(member) + "': " + parsed.error().message);
  }
  return parsed;
}

// The optional querystring enum `name`; nullopt when absent.
template <typename T>
Result<std::optional<T>> QueryEnum(const RequestContext& ctx, std::string_view name,
                                   Result<T> (*parse)(std::string_view)) {
  auto raw = ctx.QueryString(name);
  if (!raw) {
    return Fail(raw.error());
  }
  if (!*raw) {
    return std::optional<T>();
  }
  auto parsed = ParseEnumMember(name, **raw, parse);
  if (!parsed) {
    return Fail(parsed.error());
  }
  return std::optional<T>(*parsed);
}

// The optional body member `registrationConfig` (templateBody 0..10240, roleArn 20..2048,
// templateName 1..36 of [0-9A-Za-z_-]); nullopt when absent.
Result<std::optional<registry::RegistrationConfig>> ReadRegistrationConfig(const JsonReader& body);

// Response shapes. `region` is the installation's, for the ARNs. Absent optional members are
// omitted; timestamps are epoch seconds.
boost::json::object CertificateDescriptionJson(const registry::CertificateRecord& record,
                                               std::string_view region);
boost::json::object CertificateSummaryJson(const registry::CertificateRecord& record,
                                           std::string_view region);
boost::json::object CaCertificateDescriptionJson(const registry::CaCertificateRecord& record,
                                                 std::string_view region);
boost::json::object CaCertificateSummaryJson(const registry::CaCertificateRecord& record,
                                             std::string_view region);
// nullopt when every member is empty (no template configured).
std::optional<boost::json::object> RegistrationConfigJson(
    const registry::RegistrationConfig& config);

}  // namespace fg::api
