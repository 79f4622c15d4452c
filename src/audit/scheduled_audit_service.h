#pragma once

// AWS CreateScheduledAudit / DescribeScheduledAudit / ListScheduledAudits /
// UpdateScheduledAudit / DeleteScheduledAudit. Every call names the calling account and sees
// only its schedules. Thread-safe if the store is; `store` and `clock` must outlive it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_enums.h"
#include "audit/audit_store.h"
#include "audit/scheduled_audit.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

struct ScheduledAuditSpec {
  AuditFrequency frequency = AuditFrequency::kDaily;
  std::optional<DayOfWeek> day_of_week;
  std::optional<std::string> day_of_month;
  std::vector<std::string> target_check_names;
};

// UpdateScheduledAudit: unset members keep the stored value. When the frequency changes to one
// that has no use for the stored dayOfWeek or dayOfMonth, that day is dropped.
struct ScheduledAuditUpdate {
  std::optional<AuditFrequency> frequency;
  std::optional<DayOfWeek> day_of_week;
  std::optional<std::string> day_of_month;
  std::optional<std::vector<std::string>> target_check_names;
};

class ScheduledAuditService {
 public:
  // AWS quota: 5 scheduled audits per account, not adjustable.
  static constexpr int kMaxScheduledAudits = 5;

  ScheduledAuditService(AuditStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Errors: kInvalidArgument for a bad name, a day that the frequency requires but lacks (or
  // does not use), a bad dayOfMonth, or a target check that is unknown or not enabled;
  // kAlreadyExists for a taken name; kLimitExceeded when the account has 5 already.
  Result<ScheduledAudit> Create(std::string_view account_id, std::string_view name,
                                const ScheduledAuditSpec& spec);
  // kNotFound if there is no such schedule.
  Result<ScheduledAudit> Describe(std::string_view account_id, std::string_view name);
  // In name order.
  Result<Page<ScheduledAudit>> List(std::string_view account_id, const PageRequest& page);
  // kNotFound; otherwise the errors of Create for the merged schedule.
  Result<ScheduledAudit> Update(std::string_view account_id, std::string_view name,
                                const ScheduledAuditUpdate& update);
  // kNotFound if there is no such schedule. Tasks it already started are kept.
  Result<void> Delete(std::string_view account_id, std::string_view name);

 private:
  AuditStore& store_;
  const Clock& clock_;
};

}  // namespace fg::audit
