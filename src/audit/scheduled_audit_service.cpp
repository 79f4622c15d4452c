#include "audit/scheduled_audit_service.h"

#include <utility>

#include "audit/audit_configuration_service.h"
#include "audit/audit_names.h"
#include "audit/audit_schedule.h"

namespace fg::audit {
namespace {

Result<ScheduledAudit> RequireSchedule(AuditTx& tx, std::string_view account_id,
                                       std::string_view name) {
  auto found = tx.FindScheduledAudit(account_id, name);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(ErrorCode::kNotFound, "scheduled audit " + std::string(name) + " does not exist");
  }
  return std::move(**found);
}

}  // namespace

Result<ScheduledAudit> ScheduledAuditService::Create(std::string_view account_id,
                                                     std::string_view name,
                                                     const ScheduledAuditSpec& spec) {
  if (auto r = ValidateScheduledAuditName(name); !r) {
    return Fail(r.error());
  }
  if (auto r = ValidateScheduleDays(spec.frequency, spec.day_of_week, spec.day_of_month); !r) {
    return Fail(r.error());
  }
  return TransactValue<ScheduledAudit>(store_, [&](AuditTx& tx) -> Result<ScheduledAudit> {
    auto existing = tx.FindScheduledAudit(account_id, name);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      Error e;
      e.code = ErrorCode::kAlreadyExists;
      e.message = "scheduled audit " + std::string(name) + " already exists";
      e.resource_id = std::string(name);
      return Fail(std::move(e));
    }
    auto all = tx.ListAllScheduledAudits(account_id);
    if (!all) {
      return Fail(all.error());
    }
    if (all->size() >= static_cast<size_t>(kMaxScheduledAudits)) {
      return Fail(ErrorCode::kLimitExceeded, "an account may have at most 5 scheduled audits");
    }
    auto config = tx.FindConfiguration(account_id);
    if (!config) {
      return Fail(config.error());
    }
    auto checks = ResolveEnabledChecks(*config, spec.target_check_names);
    if (!checks) {
      return Fail(checks.error());
    }
    ScheduledAudit audit;
    audit.account_id = std::string(account_id);
    audit.name = std::string(name);
    audit.frequency = spec.frequency;
    audit.day_of_week = spec.day_of_week;
    audit.day_of_month = spec.day_of_month;
    audit.target_check_names = std::move(*checks);
    audit.created = clock_.Now();
    audit.last_modified = audit.created;
    if (auto r = tx.InsertScheduledAudit(audit); !r) {
      return Fail(r.error());
    }
    return audit;
  });
}

Result<ScheduledAudit> ScheduledAuditService::Describe(std::string_view account_id,
                                                       std::string_view name) {
  if (auto r = ValidateScheduledAuditName(name); !r) {
    return Fail(r.error());
  }
  return TransactValue<ScheduledAudit>(
      store_, [&](AuditTx& tx) { return RequireSchedule(tx, account_id, name); });
}

Result<Page<ScheduledAudit>> ScheduledAuditService::List(std::string_view account_id,
                                                         const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  return TransactValue<Page<ScheduledAudit>>(
      store_, [&](AuditTx& tx) { return tx.ListScheduledAudits(account_id, page); });
}

Result<ScheduledAudit> ScheduledAuditService::Update(std::string_view account_id,
                                                     std::string_view name,
                                                     const ScheduledAuditUpdate& update) {
  if (auto r = ValidateScheduledAuditName(name); !r) {
    return Fail(r.error());
  }
  return TransactValue<ScheduledAudit>(store_, [&](AuditTx& tx) -> Result<ScheduledAudit> {
    auto audit = RequireSchedule(tx, account_id, name);
    if (!audit) {
      return Fail(audit.error());
    }
    if (update.frequency) {
      audit->frequency = *update.frequency;
      const bool weekly = audit->frequency == AuditFrequency::kWeekly ||
                          audit->frequency == AuditFrequency::kBiweekly;
      if (!weekly) {
        audit->day_of_week.reset();
      }
      if (audit->frequency != AuditFrequency::kMonthly) {
        audit->day_of_month.reset();
      }
    }
    if (update.day_of_week) {
      audit->day_of_week = update.day_of_week;
    }
    if (update.day_of_month) {
      audit->day_of_month = update.day_of_month;
    }
    if (auto r = ValidateScheduleDays(audit->frequency, audit->day_of_week, audit->day_of_month);
        !r) {
      return Fail(r.error());
    }
    if (update.target_check_names) {
      auto config = tx.FindConfiguration(account_id);
      if (!config) {
        return Fail(config.error());
      }
      auto checks = ResolveEnabledChecks(*config, *update.target_check_names);
      if (!checks) {
        return Fail(checks.error());
      }
      audit->target_check_names = std::move(*checks);
    }
    audit->last_modified = clock_.Now();
    if (auto r = tx.UpdateScheduledAudit(*audit); !r) {
      return Fail(r.error());
    }
    return std::move(*audit);
  });
}

Result<void> ScheduledAuditService::Delete(std::string_view account_id, std::string_view name) {
  if (auto r = ValidateScheduledAuditName(name); !r) {
    return r;
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto deleted = tx.DeleteScheduledAudit(account_id, name);
    if (!deleted) {
      return Fail(deleted.error());
    }
    if (!*deleted) {
      return Fail(ErrorCode::kNotFound, "scheduled audit " + std::string(name) + " does not exist");
    }
    return Ok();
  });
}

}  // namespace fg::audit
