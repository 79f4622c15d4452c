// AWS IoT Device Defender account audit configuration: DescribeAccountAuditConfiguration,
// UpdateAccountAuditConfiguration, DeleteAccountAuditConfiguration (reference §2 "Device
// Defender audit"; DeleteAccountAuditConfiguration from the botocore model).

#include <boost/json/object.hpp>

#include "api/audit_routes.h"
#include "api/audit_wire.h"
#include "api/json_body.h"
#include "api/request_members.h"
#include "api/validation.h"
#include "audit/audit_configuration_service.h"

namespace fg::api {
namespace {

// TargetArn: ..2048 (reference §5, AuditNotificationTarget).
constexpr size_t kMaxTargetArnLength = 2048;

boost::json::object ConfigurationJson(const audit::AuditConfiguration& config) {
  boost::json::object out;
  out["roleArn"] = config.role_arn;
  boost::json::object targets;
  for (const auto& [type, target] : config.notification_targets) {
    boost::json::object t;
    t["targetArn"] = target.target_arn;
    if (!target.role_arn.empty()) {
      t["roleArn"] = target.role_arn;
    }
    t["enabled"] = target.enabled;
    targets[type] = std::move(t);
  }
  out["auditNotificationTargetConfigurations"] = std::move(targets);
  boost::json::object checks;
  for (const auto& [name, check] : config.checks) {
    boost::json::object c;
    c["enabled"] = check.enabled;
    if (!check.configuration.empty()) {
      boost::json::object custom;
      for (const auto& [key, value] : check.configuration) {
        custom[key] = value;
      }
      c["configuration"] = std::move(custom);
    }
    checks[name] = std::move(c);
  }
  out["auditCheckConfigurations"] = std::move(checks);
  return out;
}

// AuditNotificationTarget {targetArn ..2048, roleArn 20..2048, enabled}.
Result<audit::AuditNotificationTarget> ReadTarget(const JsonReader& r) {
  audit::AuditNotificationTarget target;
  auto arn = r.OptString("targetArn");
  if (!arn) {
    return Fail(arn.error());
  }
  if (arn->has_value()) {
    if ((*arn)->size() > kMaxTargetArnLength) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Member '" + r.MemberPath("targetArn") + "' must be at most 2048 characters");
    }
    target.target_arn = **arn;
  }
  auto role = OptShapedString(r, "roleArn", Shape::kRoleArn);
  if (!role) {
    return Fail(role.error());
  }
  target.role_arn = role->value_or("");
  auto enabled = r.OptBool("enabled");
  if (!enabled) {
    return Fail(enabled.error());
  }
  target.enabled = enabled->value_or(false);
  return target;
}

// AuditCheckConfiguration {enabled, configuration: map<ConfigName, ConfigValue 1..64>}.
Result<audit::AuditCheckConfig> ReadCheck(const JsonReader& r) {
  audit::AuditCheckConfig check;
  auto enabled = r.OptBool("enabled");
  if (!enabled) {
    return Fail(enabled.error());
  }
  check.enabled = enabled->value_or(false);
  auto custom = r.OptStringMap("configuration");
  if (!custom) {
    return Fail(custom.error());
  }
  if (custom->has_value()) {
    for (const auto& [key, value] : **custom) {
      if (auto ok = Validate(Shape::kConfigValue, r.MemberPath("configuration"), value); !ok) {
        return Fail(ok.error());
      }
    }
    check.configuration = std::move(**custom);
  }
  return check;
}

Result<HttpResponse> DescribeAccountAuditConfiguration(const AuditServices& s,
                                                       const RequestContext& ctx) {
  auto config = s.configuration->Describe(ctx.account_id());
  if (!config) {
    return Fail(config.error());
  }
  return JsonResponse(ConfigurationJson(*config));
}

Result<HttpResponse> UpdateAccountAuditConfiguration(const AuditServices& s,
                                                     const RequestContext& ctx) {
  auto body = ctx.Body();
  if (!body) {
    return Fail(body.error());
  }
  audit::AuditConfigurationUpdate update;
  auto role = OptShapedString(*body, "roleArn", Shape::kRoleArn);
  if (!role) {
    return Fail(role.error());
  }
  update.role_arn = *role;
  auto targets = ReadObjectMap(*body, "auditNotificationTargetConfigurations");
  if (!targets) {
    return Fail(targets.error());
  }
  if (targets->has_value()) {
    for (const auto& [type, reader] : **targets) {
      auto target = ReadTarget(reader);
      if (!target) {
        return Fail(target.error());
      }
      update.notification_targets.emplace(type, std::move(*target));
    }
  }
  auto checks = ReadObjectMap(*body, "auditCheckConfigurations");
  if (!checks) {
    return Fail(checks.error());
  }
  if (checks->has_value()) {
    for (const auto& [name, reader] : **checks) {
      auto check = ReadCheck(reader);
      if (!check) {
        return Fail(check.error());
      }
      update.checks.emplace(name, std::move(*check));
    }
  }
  if (auto updated = s.configuration->Update(ctx.account_id(), update); !updated) {
    return Fail(updated.error());
  }
  return EmptyJsonResponse();
}

Result<HttpResponse> DeleteAccountAuditConfiguration(const AuditServices& s,
                                                     const RequestContext& ctx) {
  auto delete_scheduled = ctx.QueryBool("deleteScheduledAudits");
  if (!delete_scheduled) {
    return Fail(delete_scheduled.error());
  }
  if (auto deleted = s.configuration->Delete(ctx.account_id(), delete_scheduled->value_or(false));
      !deleted) {
    return Fail(deleted.error());
  }
  return EmptyJsonResponse();
}

constexpr AuditRoute kConfigurationRoutes[] = {
    {"GET", "/audit/configuration", "DescribeAccountAuditConfiguration",
     DescribeAccountAuditConfiguration},
    {"PATCH", "/audit/configuration", "UpdateAccountAuditConfiguration",
     UpdateAccountAuditConfiguration},
    {"DELETE", "/audit/configuration", "DeleteAccountAuditConfiguration",
     DeleteAccountAuditConfiguration},
};

}  // namespace

Result<void> AddAuditConfigurationRoutes(Router& router, const AuditServices& services) {
  if (services.configuration == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "AddAuditConfigurationRoutes needs configuration");
  }
  return AddAuditRouteTable(router, services, kConfigurationRoutes);
}

}  // namespace fg::api
