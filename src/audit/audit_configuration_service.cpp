#include "audit/audit_configuration_service.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "audit/audit_checks.h"
#include "audit/audit_names.h"

namespace fg::audit {
namespace {

constexpr std::string_view kCertAgeThreshold = "CERT_AGE_THRESHOLD_IN_DAYS";
constexpr std::string_view kCertExpirationThreshold = "CERT_EXPIRATION_THRESHOLD_IN_DAYS";
// AWS's documented range for both thresholds, in days.
constexpr int kMinThresholdDays = 30;
constexpr int kMaxThresholdDays = 3652;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

Result<std::string> Canonical(std::string_view name) {
  auto canonical = CanonicalCheckName(name);
  if (!canonical) {
    return Invalid("unknown audit check name '" + std::string(name.substr(0, 128)) + "'");
  }
  return std::string(*canonical);
}

Result<void> ValidateCheckConfiguration(const std::string& check, const AuditCheckConfig& cfg) {
  for (const auto& [key, value] : cfg.configuration) {
    const bool allowed =
        (key == kCertAgeThreshold && check == "DEVICE_CERTIFICATE_AGE_CHECK") ||
        (key == kCertExpirationThreshold && check == "DEVICE_CERTIFICATE_EXPIRING_CHECK");
    if (!allowed) {
      return Invalid("configuration '" + key.substr(0, 64) + "' does not apply to " + check);
    }
    int days = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), days);
    if (ec != std::errc() || ptr != value.data() + value.size() || days < kMinThresholdDays ||
        days > kMaxThresholdDays) {
      return Invalid(key + " must be a whole number of days from 30 to 3652");
    }
  }
  return Ok();
}

Result<void> ValidateTarget(const std::string& type, const AuditNotificationTarget& target,
                            const NotificationPublisher& targets) {
  if (type != kSnsNotificationType) {
    return Invalid("notification target type must be SNS");
  }
  if (target.target_arn.size() > 2048) {
    return Invalid("targetArn must be at most 2048 characters");
  }
  if (!target.role_arn.empty()) {
    if (auto r = ValidateRoleArn("roleArn", target.role_arn); !r) {
      return r;
    }
  }
  if (target.enabled) {
    if (target.target_arn.empty()) {
      return Invalid("an enabled notification target needs a targetArn");
    }
    if (!targets.HasTarget(target.target_arn)) {
      return Invalid("targetArn names no notification target configured in fleetguard");
    }
  }
  return Ok();
}

AuditConfiguration WithAllChecks(AuditConfiguration config) {
  for (std::string_view name : AllAuditCheckNames()) {
    config.checks.try_emplace(std::string(name));
  }
  return config;
}

}  // namespace

Result<AuditConfiguration> AuditConfigurationService::Describe(std::string_view account_id) {
  return TransactValue<AuditConfiguration>(store_, [&](AuditTx& tx) -> Result<AuditConfiguration> {
    auto stored = tx.FindConfiguration(account_id);
    if (!stored) {
      return Fail(stored.error());
    }
    AuditConfiguration config;
    if (*stored) {
      config = std::move(**stored);
    } else {
      config.account_id = std::string(account_id);
    }
    return WithAllChecks(std::move(config));
  });
}

Result<void> AuditConfigurationService::Update(std::string_view account_id,
                                               const AuditConfigurationUpdate& update) {
  if (update.role_arn) {
    if (auto r = ValidateRoleArn("roleArn", *update.role_arn); !r) {
      return r;
    }
  }
  for (const auto& [type, target] : update.notification_targets) {
    if (auto r = ValidateTarget(type, target, targets_); !r) {
      return r;
    }
  }
  std::map<std::string, AuditCheckConfig> checks;
  for (const auto& [name, cfg] : update.checks) {
    auto canonical = Canonical(name);
    if (!canonical) {
      return Fail(canonical.error());
    }
    if (auto r = ValidateCheckConfiguration(*canonical, cfg); !r) {
      return r;
    }
    checks[*canonical] = cfg;
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto stored = tx.FindConfiguration(account_id);
    if (!stored) {
      return Fail(stored.error());
    }
    const bool first = !stored->has_value();
    AuditConfiguration config;
    if (first) {
      config.account_id = std::string(account_id);
    } else {
      config = std::move(**stored);
    }
    if (update.role_arn) {
      config.role_arn = *update.role_arn;
    }
    for (const auto& [type, target] : update.notification_targets) {
      config.notification_targets[type] = target;
    }
    for (const auto& [name, cfg] : checks) {
      config.checks[name] = cfg;
    }
    if (first && config.role_arn.empty()) {
      return Invalid("the first audit configuration must include a roleArn");
    }
    const bool any_enabled = std::any_of(config.checks.begin(), config.checks.end(),
                                         [](const auto& entry) { return entry.second.enabled; });
    if (first && !any_enabled) {
      return Invalid("the first audit configuration must enable at least one check");
    }
    // AWS: a check that a scheduled audit targets cannot be disabled.
    auto schedules = tx.ListAllScheduledAudits(account_id);
    if (!schedules) {
      return Fail(schedules.error());
    }
    for (const ScheduledAudit& schedule : *schedules) {
      for (const std::string& check : schedule.target_check_names) {
        if (!config.IsEnabled(check)) {
          return Invalid("check " + check + " cannot be disabled: scheduled audit " +
                         schedule.name + " uses it");
        }
      }
    }
    return tx.PutConfiguration(config);
  });
}

Result<void> AuditConfigurationService::Delete(std::string_view account_id,
                                               bool delete_scheduled_audits) {
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto stored = tx.FindConfiguration(account_id);
    if (!stored) {
      return Fail(stored.error());
    }
    if (!*stored) {
      return Fail(ErrorCode::kNotFound, "the account has no audit configuration");
    }
    auto schedules = tx.ListAllScheduledAudits(account_id);
    if (!schedules) {
      return Fail(schedules.error());
    }
    if (!schedules->empty() && !delete_scheduled_audits) {
      return Invalid("the account has scheduled audits; set deleteScheduledAudits to delete them");
    }
    for (const ScheduledAudit& schedule : *schedules) {
      auto deleted = tx.DeleteScheduledAudit(account_id, schedule.name);
      if (!deleted) {
        return Fail(deleted.error());
      }
    }
    auto deleted = tx.DeleteConfiguration(account_id);
    if (!deleted) {
      return Fail(deleted.error());
    }
    return Ok();
  });
}

Result<std::vector<std::string>> ResolveEnabledChecks(
    const std::optional<AuditConfiguration>& config, const std::vector<std::string>& names) {
  if (names.empty()) {
    return Invalid("targetCheckNames must name at least one check");
  }
  std::set<std::string> out;
  for (const std::string& name : names) {
    auto canonical = Canonical(name);
    if (!canonical) {
      return Fail(canonical.error());
    }
    if (!config || !config->IsEnabled(*canonical)) {
      return Invalid("check " + *canonical + " is not enabled in the account audit configuration");
    }
    out.insert(std::move(*canonical));
  }
  return std::vector<std::string>(out.begin(), out.end());
}

}  // namespace fg::audit
