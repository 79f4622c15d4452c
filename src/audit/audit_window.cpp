#include "audit/audit_window.h"

#include <algorithm>
#include <string>

namespace fg::audit {
namespace {

Result<AuditWindow> MakeWindow(TimePoint start, TimePoint end) {
  if (end < start) {
    return Fail(ErrorCode::kInvalidArgument,
                "audit window would end (" + std::to_string(ToEpochMillis(end)) +
                    ") before it starts (" + std::to_string(ToEpochMillis(start)) +
                    "); the settle lag is too large");
  }
  return AuditWindow{start, end};
}

Result<void> CheckLag(std::chrono::milliseconds settle_lag) {
  if (settle_lag.count() < 0) {
    return Fail(ErrorCode::kInvalidArgument, "audit settle lag must not be negative");
  }
  // A lag beyond the lookback can only produce an empty or inverted window.
  if (settle_lag > kAuditLookback) {
    return Fail(ErrorCode::kInvalidArgument, "audit settle lag must not exceed 31 days");
  }
  return Ok();
}

}  // namespace

Result<AuditWindow> OnDemandWindow(TimePoint task_start, TimePoint check_run,
                                   std::chrono::milliseconds settle_lag) {
  if (auto lag_ok = CheckLag(settle_lag); !lag_ok) {
    return Fail(lag_ok.error());
  }
  if (check_run < task_start) {
    return Fail(ErrorCode::kInvalidArgument, "audit check cannot run before its task started");
  }
  return MakeWindow(task_start - kAuditLookback, check_run - settle_lag);
}

Result<AuditWindow> ScheduledWindow(std::optional<TimePoint> previous_start, TimePoint this_start,
                                    std::chrono::milliseconds settle_lag) {
  if (auto lag_ok = CheckLag(settle_lag); !lag_ok) {
    return Fail(lag_ok.error());
  }
  const TimePoint lookback_start = this_start - kAuditLookback;
  if (!previous_start.has_value()) {
    return MakeWindow(lookback_start, this_start - settle_lag);
  }
  if (*previous_start > this_start) {
    return Fail(ErrorCode::kInvalidArgument,
                "previous scheduled audit start is after this audit's start");
  }
  return MakeWindow(std::max(*previous_start - settle_lag, lookback_start),
                    this_start - settle_lag);
}

}  // namespace fg::audit
