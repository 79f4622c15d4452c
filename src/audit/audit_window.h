#pragma once

// The time window an audit check looks at, as pure functions of the task's times, following
// AWS IoT Device Defender's DEVICE_CERTIFICATE_SHARED_CHECK (audit-semantics.md section 6):
//
//   on-demand:  [task_start - 31 days, check_run - L)
//   scheduled:  [previous_start - L,   this_start - L)
//               first run (no previous start): [this_start - 31 days, this_start - L)
//
// L is the settle lag: how long the connection log needs before it is complete (ingest delay
// plus the broker's 1.5 x keep-alive to notice dead sessions). AWS uses 2 hours; fleetguard
// writes its log in real time, so 0 is allowed.

#include <chrono>
#include <optional>

#include "core/clock.h"
#include "core/result.h"

namespace fg::audit {

// The connection log is kept (and AWS looks back) 31 days.
inline constexpr std::chrono::milliseconds kAuditLookback = std::chrono::hours(24 * 31);
inline constexpr std::chrono::milliseconds kDefaultSettleLag = std::chrono::hours(2);

// A half-open interval [start, end). It may be empty (start == end); then nothing is in it.
struct AuditWindow {
  TimePoint start;
  TimePoint end;

  int64_t start_ms() const { return ToEpochMillis(start); }
  int64_t end_ms() const { return ToEpochMillis(end); }
  bool empty() const { return end <= start; }
  friend bool operator==(const AuditWindow&, const AuditWindow&) = default;
};

// Window of an on-demand audit task started at `task_start` whose check runs at `check_run`.
// Errors (kInvalidArgument): negative `settle_lag`; `check_run` before `task_start`; a lag so
// large that the window would end before it starts.
Result<AuditWindow> OnDemandWindow(TimePoint task_start, TimePoint check_run,
                                   std::chrono::milliseconds settle_lag);

// Window of a scheduled audit starting at `this_start`, whose previous run started at
// `previous_start` (nullopt for the first run). The start never reaches further back than the
// 31-day lookback, so a schedule that was paused for months does not audit data the log no
// longer holds. Errors (kInvalidArgument): negative `settle_lag`; `previous_start` after
// `this_start`; a lag so large that the window would end before it starts.
Result<AuditWindow> ScheduledWindow(std::optional<TimePoint> previous_start, TimePoint this_start,
                                    std::chrono::milliseconds settle_lag);

}  // namespace fg::audit
