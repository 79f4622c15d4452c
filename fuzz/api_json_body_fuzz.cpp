// Target: api::ParseJsonObject and api::JsonReader (OptString, String, OptBool, OptInt,
// OptTimestamp, OptObject, Object, OptStringList, StringList, OptStringMap), with api::Validate /
// ValidateEnum / ValidateListSize / ResolvePageSize, reading the rest-json body members of real
// operations (reference §2) the way their handlers do; and api::SerializeJson.
//
// Input: a request body. Every operation's reader runs on it.
//
// Invariants: nothing throws (no try here: an escaping exception is a crash); every refusal is
// kInvalidArgument with a message; SerializeJson writes a JSON object that parses again.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "api/json_body.h"
#include "api/pagination.h"
#include "api/validation.h"
#include "fuzz/fuzz_check.h"

namespace fg::api {
namespace {

// Propagates the error of a Result expression; binds `var` to its value.
#define FG_FUZZ_TRY(var, expr) \
  auto var = (expr);           \
  if (!var) {                  \
    return Fail(var.error());  \
  }

Result<void> ValidateIf(Shape shape, std::string_view member,
                        const std::optional<std::string>& value) {
  return value ? Validate(shape, member, *value) : Ok();
}

Result<void> ResourceIdentifier(const JsonReader& r) {
  FG_FUZZ_TRY(cert, r.OptString("deviceCertificateId"));
  FG_FUZZ_TRY(ok, ValidateIf(Shape::kCertificateId, "deviceCertificateId", *cert));
  FG_FUZZ_TRY(ca, r.OptString("caCertificateId"));
  FG_FUZZ_TRY(account, r.OptString("account"));
  FG_FUZZ_TRY(client, r.OptString("clientId"));
  FG_FUZZ_TRY(policy, r.OptObject("policyVersionIdentifier"));
  return Ok();
}

Result<void> RegisterCertificate(const JsonReader& r) {
  FG_FUZZ_TRY(pem, r.String("certificatePem"));
  FG_FUZZ_TRY(pem_ok, Validate(Shape::kCertificatePem, "certificatePem", *pem));
  FG_FUZZ_TRY(ca, r.OptString("caCertificatePem"));
  FG_FUZZ_TRY(status, r.OptString("status"));
  if (*status) {
    FG_FUZZ_TRY(status_ok, ValidateEnum("status", **status,
                                        {"ACTIVE", "INACTIVE", "REVOKED", "PENDING_TRANSFER",
                                         "REGISTER_INACTIVE", "PENDING_ACTIVATION"}));
  }
  return Ok();
}

Result<void> RegistrationConfig(const JsonReader& r) {
  FG_FUZZ_TRY(config, r.OptObject("registrationConfig"));
  if (*config) {
    FG_FUZZ_TRY(body, (*config)->OptString("templateBody"));
    FG_FUZZ_TRY(body_ok, ValidateIf(Shape::kTemplateBody, "templateBody", *body));
    FG_FUZZ_TRY(role, (*config)->OptString("roleArn"));
    FG_FUZZ_TRY(role_ok, ValidateIf(Shape::kRoleArn, "roleArn", *role));
    FG_FUZZ_TRY(name, (*config)->OptString("templateName"));
    FG_FUZZ_TRY(name_ok, ValidateIf(Shape::kTemplateName, "templateName", *name));
  }
  return Ok();
}

Result<void> RegisterCaCertificate(const JsonReader& r) {
  FG_FUZZ_TRY(pem, r.String("caCertificate"));
  FG_FUZZ_TRY(verification, r.OptString("verificationCertificate"));
  FG_FUZZ_TRY(config, RegistrationConfig(r));
  FG_FUZZ_TRY(mode, r.OptString("certificateMode"));
  if (*mode) {
    FG_FUZZ_TRY(mode_ok, ValidateEnum("certificateMode", **mode, {"DEFAULT", "SNI_ONLY"}));
  }
  return Ok();
}

Result<void> UpdateCaCertificate(const JsonReader& r) {
  FG_FUZZ_TRY(config, RegistrationConfig(r));
  FG_FUZZ_TRY(remove, r.OptBool("removeAutoRegistration"));
  return Ok();
}

Result<void> CreateCertificateFromCsr(const JsonReader& r) {
  FG_FUZZ_TRY(csr, r.String("certificateSigningRequest"));
  return Validate(Shape::kCertificateSigningRequest, "certificateSigningRequest", *csr);
}

Result<void> TransferCertificate(const JsonReader& r) {
  FG_FUZZ_TRY(message, r.OptString("transferMessage"));
  FG_FUZZ_TRY(reason, r.OptString("rejectReason"));
  return ValidateIf(Shape::kMessage, "transferMessage", *message);
}

Result<void> AttributePayload(const JsonReader& r) {
  FG_FUZZ_TRY(payload, r.OptObject("attributePayload"));
  if (*payload) {
    FG_FUZZ_TRY(attributes, (*payload)->OptStringMap("attributes"));
    if (*attributes) {
      for (const auto& [name, value] : **attributes) {
        FG_FUZZ_TRY(name_ok, Validate(Shape::kAttributeName, "attributes", name));
        FG_FUZZ_TRY(value_ok, Validate(Shape::kAttributeValue, "attributes", value));
      }
    }
    FG_FUZZ_TRY(merge, (*payload)->OptBool("merge"));
  }
  return Ok();
}

Result<void> CreateThing(const JsonReader& r) {
  FG_FUZZ_TRY(type, r.OptString("thingTypeName"));
  FG_FUZZ_TRY(type_ok, ValidateIf(Shape::kThingTypeName, "thingTypeName", *type));
  FG_FUZZ_TRY(billing, r.OptString("billingGroupName"));
  return AttributePayload(r);
}

Result<void> CreateThingGroup(const JsonReader& r) {
  FG_FUZZ_TRY(parent, r.OptString("parentGroupName"));
  FG_FUZZ_TRY(parent_ok, ValidateIf(Shape::kThingGroupName, "parentGroupName", *parent));
  FG_FUZZ_TRY(properties, r.OptObject("thingGroupProperties"));
  if (*properties) {
    FG_FUZZ_TRY(description, (*properties)->OptString("thingGroupDescription"));
    FG_FUZZ_TRY(description_ok,
                ValidateIf(Shape::kThingGroupDescription, "thingGroupDescription", *description));
    FG_FUZZ_TRY(attributes, AttributePayload(**properties));
  }
  return Ok();
}

Result<void> AddThingToThingGroup(const JsonReader& r) {
  FG_FUZZ_TRY(group, r.OptString("thingGroupName"));
  FG_FUZZ_TRY(group_arn, r.OptString("thingGroupArn"));
  FG_FUZZ_TRY(thing, r.OptString("thingName"));
  FG_FUZZ_TRY(thing_ok, ValidateIf(Shape::kThingName, "thingName", *thing));
  FG_FUZZ_TRY(thing_arn, r.OptString("thingArn"));
  FG_FUZZ_TRY(override_dynamic, r.OptBool("overrideDynamicGroups"));
  return Ok();
}

Result<void> ListAuditFindings(const JsonReader& r) {
  FG_FUZZ_TRY(task, r.OptString("taskId"));
  FG_FUZZ_TRY(task_ok, ValidateIf(Shape::kAuditTaskId, "taskId", *task));
  FG_FUZZ_TRY(check, r.OptString("checkName"));
  FG_FUZZ_TRY(resource, r.OptObject("resourceIdentifier"));
  if (*resource) {
    FG_FUZZ_TRY(resource_ok, ResourceIdentifier(**resource));
  }
  FG_FUZZ_TRY(max_results, r.OptInt("maxResults"));
  FG_FUZZ_TRY(page_size, ResolvePageSize("maxResults", *max_results));
  FG_FUZZ_TRY(token, r.OptString("nextToken"));
  FG_FUZZ_TRY(start, r.OptTimestamp("startTime"));
  FG_FUZZ_TRY(end, r.OptTimestamp("endTime"));
  FG_FUZZ_TRY(suppressed, r.OptBool("listSuppressedFindings"));
  return Ok();
}

Result<void> CreateAuditSuppression(const JsonReader& r) {
  FG_FUZZ_TRY(check, r.String("checkName"));
  FG_FUZZ_TRY(resource, r.Object("resourceIdentifier"));
  FG_FUZZ_TRY(resource_ok, ResourceIdentifier(*resource));
  FG_FUZZ_TRY(expiration, r.OptTimestamp("expirationDate"));
  FG_FUZZ_TRY(indefinitely, r.OptBool("suppressIndefinitely"));
  FG_FUZZ_TRY(description, r.OptString("description"));
  FG_FUZZ_TRY(description_ok, ValidateIf(Shape::kAuditDescription, "description", *description));
  FG_FUZZ_TRY(token, r.String("clientRequestToken"));
  return Validate(Shape::kClientRequestToken, "clientRequestToken", *token);
}

Result<void> StartOnDemandAuditTask(const JsonReader& r) {
  FG_FUZZ_TRY(checks, r.StringList("targetCheckNames"));
  return ValidateListSize("targetCheckNames", checks->size(), 1, 50);
}

Result<void> CreateScheduledAudit(const JsonReader& r) {
  FG_FUZZ_TRY(frequency, r.String("frequency"));
  FG_FUZZ_TRY(frequency_ok,
              ValidateEnum("frequency", *frequency, {"DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY"}));
  FG_FUZZ_TRY(day, r.OptString("dayOfMonth"));
  FG_FUZZ_TRY(day_ok, ValidateIf(Shape::kDayOfMonth, "dayOfMonth", *day));
  FG_FUZZ_TRY(weekday, r.OptString("dayOfWeek"));
  FG_FUZZ_TRY(checks, r.OptStringList("targetCheckNames"));
  return Ok();
}

Result<void> UpdateAccountAuditConfiguration(const JsonReader& r) {
  FG_FUZZ_TRY(role, r.OptString("roleArn"));
  FG_FUZZ_TRY(role_ok, ValidateIf(Shape::kRoleArn, "roleArn", *role));
  FG_FUZZ_TRY(checks, r.OptObject("auditCheckConfigurations"));
  if (*checks) {
    FG_FUZZ_TRY(shared, (*checks)->OptObject("DEVICE_CERTIFICATE_SHARED_CHECK"));
    if (*shared) {
      FG_FUZZ_TRY(enabled, (*shared)->OptBool("enabled"));
    }
  }
  FG_FUZZ_TRY(targets, r.OptObject("auditNotificationTargetConfigurations"));
  return Ok();
}

#undef FG_FUZZ_TRY

using OperationReader = Result<void> (*)(const JsonReader&);

constexpr OperationReader kOperations[] = {
    RegisterCertificate,
    RegisterCaCertificate,
    UpdateCaCertificate,
    CreateCertificateFromCsr,
    TransferCertificate,
    CreateThing,
    CreateThingGroup,
    AddThingToThingGroup,
    ListAuditFindings,
    CreateAuditSuppression,
    StartOnDemandAuditTask,
    CreateScheduledAudit,
    UpdateAccountAuditConfiguration,
};

void CheckBody(std::string_view body) {
  auto object = ParseJsonObject(body);
  if (!object) {
    FG_FUZZ_CHECK(object.error().code == ErrorCode::kInvalidArgument, "bad JSON is a 400");
    return;
  }
  const JsonReader reader(*object);
  for (OperationReader read : kOperations) {
    auto result = read(reader);
    if (!result) {
      FG_FUZZ_CHECK(result.error().code == ErrorCode::kInvalidArgument, "bad members are a 400");
      FG_FUZZ_CHECK(!result.error().message.empty(), "every refusal says why");
    }
  }
  auto again = ParseJsonObject(SerializeJson(*object));
  FG_FUZZ_CHECK(again.has_value(), "SerializeJson writes JSON that parses again");
  FG_FUZZ_CHECK(again->size() == object->size(), "with the same members");
}

}  // namespace
}  // namespace fg::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::api::CheckBody(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
