// Next-run computation of scheduled audits, across month ends and leap years.

#include "audit/audit_schedule.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace fg::audit {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TimePoint Iso(const char* s) {
  auto t = ParseIso8601(s);
  EXPECT_TRUE(t.has_value()) << s;
  return t.value_or(TimePoint());
}

ScheduledAudit Schedule(AuditFrequency f, std::optional<DayOfWeek> dow = std::nullopt,
                        std::optional<std::string> dom = std::nullopt) {
  ScheduledAudit a;
  a.frequency = f;
  a.day_of_week = dow;
  a.day_of_month = std::move(dom);
  return a;
}

struct SlotCase {
  const char* name;
  ScheduledAudit schedule;
  const char* after;
  milliseconds time_of_day;
  const char* want;
};

TEST(AuditScheduleTest, NextSlotAfter) {
  using F = AuditFrequency;
  const std::vector<SlotCase> cases = {
      {"daily is strictly after", Schedule(F::kDaily), "2030-01-01T00:00:00Z", hours(0),
       "2030-01-02T00:00:00Z"},
      {"daily mid-day", Schedule(F::kDaily), "2030-01-01T12:00:00Z", hours(0),
       "2030-01-02T00:00:00Z"},
      {"daily time of day later today", Schedule(F::kDaily), "2030-01-01T01:00:00Z", hours(3),
       "2030-01-01T03:00:00Z"},
      {"daily across the year end", Schedule(F::kDaily), "2030-12-31T23:59:59.999Z", hours(0),
       "2031-01-01T00:00:00Z"},
      {"weekly monday from a tuesday", Schedule(F::kWeekly, DayOfWeek::kMon),
       "2030-01-01T00:00:00Z", hours(0), "2030-01-07T00:00:00Z"},
      {"weekly same weekday is a week later", Schedule(F::kWeekly, DayOfWeek::kTue),
       "2030-01-01T00:00:00Z", hours(0), "2030-01-08T00:00:00Z"},
      {"weekly same weekday before the time of day", Schedule(F::kWeekly, DayOfWeek::kTue),
       "2030-01-01T00:00:00Z", hours(6), "2030-01-01T06:00:00Z"},
      {"weekly across the year end", Schedule(F::kWeekly, DayOfWeek::kWed), "2030-12-30T10:00:00Z",
       hours(0), "2031-01-01T00:00:00Z"},
      {"monthly 31 falls back to feb 28", Schedule(F::kMonthly, std::nullopt, "31"),
       "2030-01-31T00:00:00Z", hours(0), "2030-02-28T00:00:00Z"},
      {"monthly 31 back to the 31st in march", Schedule(F::kMonthly, std::nullopt, "31"),
       "2030-02-28T00:00:00Z", hours(0), "2030-03-31T00:00:00Z"},
      {"monthly 31 in a 30-day month", Schedule(F::kMonthly, std::nullopt, "31"),
       "2030-04-01T00:00:00Z", hours(0), "2030-04-30T00:00:00Z"},
      {"monthly 30 in a leap february", Schedule(F::kMonthly, std::nullopt, "30"),
       "2028-01-31T00:00:00Z", hours(0), "2028-02-29T00:00:00Z"},
      {"monthly 29 in a common february", Schedule(F::kMonthly, std::nullopt, "29"),
       "2030-01-29T00:00:00Z", hours(0), "2030-02-28T00:00:00Z"},
      {"monthly 29 in a leap february", Schedule(F::kMonthly, std::nullopt, "29"),
       "2032-01-29T00:00:00Z", hours(0), "2032-02-29T00:00:00Z"},
      {"monthly LAST leap year", Schedule(F::kMonthly, std::nullopt, "LAST"),
       "2028-02-01T00:00:00Z", hours(0), "2028-02-29T00:00:00Z"},
      {"monthly LAST century is not leap", Schedule(F::kMonthly, std::nullopt, "LAST"),
       "2100-02-01T00:00:00Z", hours(0), "2100-02-28T00:00:00Z"},
      {"monthly LAST 400-year is leap", Schedule(F::kMonthly, std::nullopt, "LAST"),
       "2000-02-01T00:00:00Z", hours(0), "2000-02-29T00:00:00Z"},
      {"monthly LAST right after jan's slot", Schedule(F::kMonthly, std::nullopt, "LAST"),
       "2030-01-31T00:00:00Z", hours(0), "2030-02-28T00:00:00Z"},
      {"monthly 1 across the year end", Schedule(F::kMonthly, std::nullopt, "1"),
       "2030-12-15T00:00:00Z", hours(0), "2031-01-01T00:00:00Z"},
      {"monthly later this month", Schedule(F::kMonthly, std::nullopt, "15"),
       "2030-01-14T23:00:00Z", hours(0), "2030-01-15T00:00:00Z"},
      {"monthly slot today but time of day passed", Schedule(F::kMonthly, std::nullopt, "15"),
       "2030-01-15T05:00:00Z", hours(4), "2030-02-15T04:00:00Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatIso8601(NextSlotAfter(c.schedule, Iso(c.after), c.time_of_day)), c.want)
        << c.name;
  }
}

struct RunCase {
  const char* name;
  ScheduledAudit schedule;
  const char* created;
  const char* last_start;  // nullptr: never ran
  const char* want;
};

TEST(AuditScheduleTest, NextScheduledRunFromCreationAndLastStart) {
  using F = AuditFrequency;
  const std::vector<RunCase> cases = {
      {"first daily run after creation", Schedule(F::kDaily), "2030-01-01T10:00:00Z", nullptr,
       "2030-01-02T00:00:00Z"},
      {"daily after a run", Schedule(F::kDaily), "2029-12-01T10:00:00Z", "2030-01-02T00:00:01Z",
       "2030-01-03T00:00:00Z"},
      {"weekly after a run", Schedule(F::kWeekly, DayOfWeek::kMon), "2029-12-01T00:00:00Z",
       "2030-01-07T00:00:00Z", "2030-01-14T00:00:00Z"},
      {"biweekly first run", Schedule(F::kBiweekly, DayOfWeek::kMon), "2030-01-01T00:00:00Z",
       nullptr, "2030-01-07T00:00:00Z"},
      {"biweekly skips a week", Schedule(F::kBiweekly, DayOfWeek::kMon), "2030-01-01T00:00:00Z",
       "2030-01-07T00:00:00Z", "2030-01-21T00:00:00Z"},
      {"biweekly after a late start keeps its weekday", Schedule(F::kBiweekly, DayOfWeek::kMon),
       "2030-01-01T00:00:00Z", "2030-01-08T05:00:00Z", "2030-01-21T00:00:00Z"},
      {"monthly after the fallback day", Schedule(F::kMonthly, std::nullopt, "31"),
       "2030-01-01T00:00:00Z", "2030-02-28T00:00:00Z", "2030-03-31T00:00:00Z"},
  };
  for (const auto& c : cases) {
    ScheduledAudit s = c.schedule;
    s.created = Iso(c.created);
    if (c.last_start != nullptr) {
      s.last_start = Iso(c.last_start);
    }
    EXPECT_EQ(FormatIso8601(NextScheduledRun(s, hours(0))), c.want) << c.name;
  }
}

struct DaysCase {
  AuditFrequency frequency;
  std::optional<DayOfWeek> dow;
  std::optional<std::string> dom;
  bool ok;
};

TEST(AuditScheduleTest, DaysMustMatchTheFrequency) {
  using F = AuditFrequency;
  const std::vector<DaysCase> cases = {
      {F::kDaily, std::nullopt, std::nullopt, true},
      {F::kDaily, DayOfWeek::kMon, std::nullopt, false},
      {F::kDaily, std::nullopt, "1", false},
      {F::kWeekly, DayOfWeek::kMon, std::nullopt, true},
      {F::kWeekly, std::nullopt, std::nullopt, false},
      {F::kBiweekly, std::nullopt, std::nullopt, false},
      {F::kBiweekly, DayOfWeek::kFri, "3", false},
      {F::kMonthly, std::nullopt, std::nullopt, false},
      {F::kMonthly, std::nullopt, "LAST", true},
      {F::kMonthly, std::nullopt, "31", true},
      {F::kMonthly, std::nullopt, "1", true},
      {F::kMonthly, std::nullopt, "0", false},
      {F::kMonthly, std::nullopt, "32", false},
      {F::kMonthly, std::nullopt, "01", false},
      {F::kMonthly, std::nullopt, "last", false},
      {F::kMonthly, std::nullopt, "", false},
      {F::kMonthly, std::nullopt, "-1", false},
      {F::kMonthly, std::nullopt, "1x", false},
      {F::kMonthly, DayOfWeek::kMon, "1", false},
  };
  for (const auto& c : cases) {
    auto r = ValidateScheduleDays(c.frequency, c.dow, c.dom);
    EXPECT_EQ(r.has_value(), c.ok) << ToString(c.frequency) << " " << c.dom.value_or("-");
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace fg::audit
