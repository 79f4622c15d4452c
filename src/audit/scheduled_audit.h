#pragma once

// A scheduled audit (AWS CreateScheduledAudit / DescribeScheduledAudit) as stored. Value type;
// rules live in ScheduledAuditService, run times in audit_schedule.h.

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_enums.h"
#include "core/clock.h"

namespace fg::audit {

struct ScheduledAudit {
  std::string account_id;
  std::string name;  // 1..128 of [a-zA-Z0-9_-]; the key within the account
  AuditFrequency frequency = AuditFrequency::kDaily;
  // Set iff the frequency is WEEKLY or BIWEEKLY.
  std::optional<DayOfWeek> day_of_week;
  // Set iff the frequency is MONTHLY: "1".."31" or "LAST", exactly as AWS's DayOfMonth.
  std::optional<std::string> day_of_month;
  std::vector<std::string> target_check_names;  // current check names, sorted, unique
  TimePoint created;
  TimePoint last_modified;
  // Start time of the last task this schedule started; nullopt before its first run. The
  // scheduler writes it in the same transaction that inserts the task, so that a restart
  // neither skips nor repeats a run.
  std::optional<TimePoint> last_start;
  friend bool operator==(const ScheduledAudit&, const ScheduledAudit&) = default;
};

}  // namespace fg::audit
