#include "audit/audit_schedule.h"

#include <charconv>

namespace fg::audit {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::string_view kLast = "LAST";

TimePoint Slot(sys_days day, std::chrono::milliseconds time_of_day) {
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()) +
                   time_of_day);
}

sys_days DayOf(TimePoint t) { return std::chrono::floor<days>(t); }

TimePoint NextDaily(TimePoint after, std::chrono::milliseconds tod) {
  sys_days day = DayOf(after);
  while (Slot(day, tod) <= after) {
    day += days(1);
  }
  return Slot(day, tod);
}

TimePoint NextWeekday(TimePoint after, DayOfWeek dow, std::chrono::milliseconds tod) {
  const std::chrono::weekday wanted(static_cast<unsigned>(dow));
  sys_days day = DayOf(after);
  while (std::chrono::weekday(day) != wanted || Slot(day, tod) <= after) {
    day += days(1);
  }
  return Slot(day, tod);
}

TimePoint NextMonthly(TimePoint after, int day_of_month, std::chrono::milliseconds tod) {
  const std::chrono::year_month_day ymd(DayOf(after));
  std::chrono::year_month month = ymd.year() / ymd.month();
  // The slot of this month may already have passed; next month's cannot have.
  for (int i = 0; i < 2; ++i, month += std::chrono::months(1)) {
    const std::chrono::year_month_day_last last(month.year(), month.month() / std::chrono::last);
    const unsigned last_day = static_cast<unsigned>(last.day());
    const unsigned wanted =
        day_of_month == 0 ? last_day : std::min(static_cast<unsigned>(day_of_month), last_day);
    const TimePoint slot =
        Slot(sys_days(month.year() / month.month() / std::chrono::day(wanted)), tod);
    if (slot > after) {
      return slot;
    }
  }
  // Unreachable for 0 <= tod < 24 h: next month's slot is always later than `after`.
  return NextDaily(after, tod);
}

}  // namespace

Result<int> ParseDayOfMonth(std::string_view day_of_month) {
  if (day_of_month == kLast) {
    return 0;
  }
  int day = 0;
  auto [ptr, ec] =
      std::from_chars(day_of_month.data(), day_of_month.data() + day_of_month.size(), day);
  // The model's pattern has no leading zeros and no sign.
  if (ec != std::errc() || ptr != day_of_month.data() + day_of_month.size() ||
      day_of_month.starts_with('0') || day < 1 || day > 31) {
    return Fail(ErrorCode::kInvalidArgument, "dayOfMonth must be 1 to 31 or LAST");
  }
  return day;
}

Result<void> ValidateScheduleDays(AuditFrequency frequency, const std::optional<DayOfWeek>& dow,
                                  const std::optional<std::string>& day_of_month) {
  const bool weekly =
      frequency == AuditFrequency::kWeekly || frequency == AuditFrequency::kBiweekly;
  const bool monthly = frequency == AuditFrequency::kMonthly;
  if (weekly && !dow) {
    return Fail(ErrorCode::kInvalidArgument, "dayOfWeek is required for WEEKLY and BIWEEKLY");
  }
  if (!weekly && dow) {
    return Fail(ErrorCode::kInvalidArgument, "dayOfWeek applies only to WEEKLY and BIWEEKLY");
  }
  if (monthly && !day_of_month) {
    return Fail(ErrorCode::kInvalidArgument, "dayOfMonth is required for MONTHLY");
  }
  if (!monthly && day_of_month) {
    return Fail(ErrorCode::kInvalidArgument, "dayOfMonth applies only to MONTHLY");
  }
  if (day_of_month) {
    auto day = ParseDayOfMonth(*day_of_month);
    if (!day) {
      return Fail(day.error());
    }
  }
  return Ok();
}

TimePoint NextSlotAfter(const ScheduledAudit& schedule, TimePoint after,
                        std::chrono::milliseconds time_of_day) {
  switch (schedule.frequency) {
    case AuditFrequency::kDaily:
      return NextDaily(after, time_of_day);
    case AuditFrequency::kWeekly:
    case AuditFrequency::kBiweekly:
      return NextWeekday(after, schedule.day_of_week.value_or(DayOfWeek::kSun), time_of_day);
    case AuditFrequency::kMonthly: {
      auto day = ParseDayOfMonth(schedule.day_of_month.value_or(std::string(kLast)));
      return NextMonthly(after, day.value_or(0), time_of_day);
    }
  }
  return NextDaily(after, time_of_day);
}

TimePoint NextScheduledRun(const ScheduledAudit& schedule, std::chrono::milliseconds time_of_day) {
  if (!schedule.last_start) {
    return NextSlotAfter(schedule, schedule.created, time_of_day);
  }
  if (schedule.frequency == AuditFrequency::kBiweekly) {
    return NextSlotAfter(schedule, *schedule.last_start + days(7), time_of_day);
  }
  return NextSlotAfter(schedule, *schedule.last_start, time_of_day);
}

}  // namespace fg::audit
