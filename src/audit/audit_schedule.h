#pragma once

// When scheduled audits run: pure functions of a schedule, its last start and the time of day
// at which fleetguard starts scheduled audits (AWS: "the start time of each audit is determined
// by the system"; fleetguard uses one configurable UTC time of day, midnight by default).
//
//   DAILY     every day at the time of day.
//   WEEKLY    every dayOfWeek.
//   BIWEEKLY  every other dayOfWeek: the first dayOfWeek slot after the schedule's creation,
//             then the first dayOfWeek slot more than 7 days after the last start.
//   MONTHLY   dayOfMonth "1".."31" or "LAST"; 29..31 fall back to the last day of shorter
//             months (AWS CreateScheduledAudit).
//
// The next run is the first slot strictly after the last start (or, before the first run,
// strictly after the schedule's creation). A scheduler that was down over several slots runs
// the schedule once when it comes back, not once per missed slot.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_enums.h"
#include "audit/scheduled_audit.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// kInvalidArgument unless dayOfWeek is set exactly for WEEKLY and BIWEEKLY and dayOfMonth
// exactly for MONTHLY, and dayOfMonth matches ^([1-9]|[12][0-9]|3[01])$|^LAST$.
Result<void> ValidateScheduleDays(AuditFrequency frequency, const std::optional<DayOfWeek>& dow,
                                  const std::optional<std::string>& day_of_month);

// 1..31, or 0 for "LAST"; kInvalidArgument for anything else.
Result<int> ParseDayOfMonth(std::string_view day_of_month);

// The first slot of `schedule` strictly after `after`.
// REQUIRES: ValidateScheduleDays holds for the schedule; 0 <= time_of_day < 24 h.
TimePoint NextSlotAfter(const ScheduledAudit& schedule, TimePoint after,
                        std::chrono::milliseconds time_of_day);

// When `schedule` runs next, from its last start (or creation), as described above.
// REQUIRES: as NextSlotAfter.
TimePoint NextScheduledRun(const ScheduledAudit& schedule, std::chrono::milliseconds time_of_day);

}  // namespace fg::audit
