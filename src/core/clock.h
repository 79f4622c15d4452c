#pragma once

#include <chrono>
#include <mutex>

namespace fg {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// Wall-clock time as fleetguard sees it. Everything that compares against "now" (certificate
// validity, SigV4 skew, keep-alive, audit windows, schedules) takes a Clock so that tests run
// at a fixed, chosen time. Implementations are safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The real system clock, at millisecond resolution.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  // A process-wide instance; it has no state, so sharing it is safe.
  static const SystemClock& Instance();
};

// A clock that moves only when told to. For tests and for replaying a fixed reference time.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override;
  void Set(TimePoint t);
  void Advance(std::chrono::milliseconds d);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

// Milliseconds since the Unix epoch.
inline int64_t ToEpochMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromEpochMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
inline TimePoint FromEpochSeconds(int64_t s) {
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(s)));
}

}  // namespace fg
