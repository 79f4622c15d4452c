#pragma once

// A deterministic generator of a realistic connection log with a planted truth, for tests (a few
// hundred devices) and benchmarks (millions of devices, streamed: nothing is materialised).
//
// Each device has its own certificate and connects about `sessions_per_day` times a day under
// client id "dev-<n>", with sessions of minutes to hours, clean disconnects, lost connections and
// keep-alive timeouts (whose broker-side disconnect comes 1.5 x keep-alive after the last packet),
// from one day before the window to its end; its last session may still be open. A few devices
// get a role (DeviceRole) that plants a clone or a tricky non-clone around tau. A device's
// sessions depend only on (seed, device index), so any device can be regenerated on its own and
// sources over disjoint ranges can run in parallel.

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/device_key.h"
#include "audit/session_interval.h"
#include "audit/session_source.h"
#include "core/clock.h"

namespace fg::audit::synthetic {

enum class DeviceRole {
  kNormal,
  // Positive: a second device ("-clone") overlaps the owner for minutes, twice.
  kClone,
  // Positive, three devices at once: MAX_CONCURRENT_DEVICES 3.
  kCloneTriple,
  // Positive: a second client id overlaps the owner's last packet by exactly tau + 1 ms.
  kJustOverTolerance,
  // Positive: owner and clone are both still connected at the window's end (open sessions).
  kCloneOpenAtEnd,
  // Negative: a clone that overlapped the owner only before the window started.
  kCloneBeforeWindow,
  // Negative: overlaps of exactly tau and of tau - 1 ms with a second client id.
  kAtTolerance,
  // Negative: a second client id starts exactly at the owner's last packet and ends exactly at
  // the owner's next connect.
  kTouching,
  // Negative: the device went silent and reconnected 5 s later under a new client id; the broker
  // closed the dead session 90 s after its last packet, well into the new one.
  kQuickReconnect,
  // Negative: the same client id overlaps itself by 4 minutes (takeover across skewed nodes).
  kTakeover,
  // Greengrass-style `dev-<n>#2` beside `dev-<n>`: positive under DeviceKeyRule::kClientId,
  // negative under kStripHashNumberSuffix.
  kGreengrass,
};

inline constexpr int kDeviceRoleCount = 11;

std::string_view DeviceRoleName(DeviceRole role);

struct SyntheticLogOptions {
  uint64_t seed = 1;
  uint64_t device_count = 1000;
  // The audit window the planted cases are placed around; at least 3 days long.
  TimePoint window_start = FromEpochMillis(1'700'000'000'000);
  TimePoint window_end = FromEpochMillis(1'700'000'000'000 + 31LL * 24 * 3600 * 1000);
  double sessions_per_day = 5.0;
  // The check's tolerance, which the at/over-tolerance cases are planted around.
  int64_t tolerance_ms = 2000;
  // Share of devices per special role, in parts per ten thousand (the rest are kNormal). Indexed
  // by DeviceRole; the kNormal entry is ignored.
  uint32_t role_per_10k[kDeviceRoleCount] = {0, 20, 5, 10, 5, 10, 10, 10, 100, 50, 10};
};

class SyntheticLog {
 public:
  // REQUIRES: window_end - window_start >= 3 days, sessions_per_day > 0, tolerance_ms >= 1, and the
  // role shares sum to at most 10000. Violations are programming errors in a test or benchmark.
  explicit SyntheticLog(SyntheticLogOptions options);

  const SyntheticLogOptions& options() const { return options_; }
  uint64_t device_count() const { return options_.device_count; }

  DeviceRole Role(uint64_t device) const;
  // 64 lowercase hex characters, unique per (seed, device).
  std::string CertificateId(uint64_t device) const;
  // All sessions of the device's certificate (the owner's and any clone's), ordered by connect.
  CertificateSessions Certificate(uint64_t device) const;
  // The planted truth: MAX_CONCURRENT_DEVICES the check must report for this device's
  // certificate, or 0 if it must report nothing.
  int ExpectedMaxDevices(uint64_t device, DeviceKeyRule rule) const;

 private:
  SyntheticLogOptions options_;
};

// Yields the certificates of devices [first, end) of `log`, generating each on demand.
// `log` must outlive the source.
class SyntheticLogSource final : public SessionSource {
 public:
  SyntheticLogSource(const SyntheticLog& log, uint64_t first, uint64_t end);
  explicit SyntheticLogSource(const SyntheticLog& log)
      : SyntheticLogSource(log, 0, log.device_count()) {}
  Result<std::optional<CertificateSessions>> Next() override;

 private:
  const SyntheticLog& log_;
  uint64_t next_;
  uint64_t end_;
};

}  // namespace fg::audit::synthetic
