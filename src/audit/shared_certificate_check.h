#pragma once

// DEVICE_CERTIFICATE_SHARED_CHECK for one certificate: a pure function from that certificate's
// sessions, the audit window and the options to a verdict. No store, no clock, no threads; the
// engine (shared_certificate_engine.h) runs it across certificates.
//
// Definition (audit-semantics.md section 6). A session's effective interval is
//   [connect_ms, effective end)   where effective end = min(last_packet_ms, disconnect_ms), or
//                                 +infinity while the session is open,
// clipped to the window. Two sessions of the certificate are concurrent iff their device keys
// (device_key.h) differ and their clipped intervals overlap by more than the tolerance tau:
//   min(end_a, end_b) - max(start_a, start_b) > tau.
// Touching intervals (end == start) and an overlap of exactly tau are not concurrent. A
// certificate is non-compliant iff it has a concurrent pair. The participants are all sessions
// in some concurrent pair.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/audit_window.h"
#include "audit/device_key.h"
#include "audit/session_interval.h"
#include "core/result.h"

namespace fg::audit {

// Twice a generous inter-node clock skew for NTP-synced brokers.
inline constexpr std::chrono::milliseconds kDefaultSharedTolerance = std::chrono::seconds(2);
// Beyond a day, a tolerance no longer describes clock skew; it hides clones.
inline constexpr std::chrono::milliseconds kMaxSharedTolerance = std::chrono::hours(24);

struct SharedCheckOptions {
  std::chrono::milliseconds tolerance = kDefaultSharedTolerance;
  DeviceKeyRule device_key_rule = DeviceKeyRule::kClientId;
};

// kInvalidArgument if the tolerance is negative or above kMaxSharedTolerance.
Result<void> ValidateSharedCheckOptions(const SharedCheckOptions& options);

struct SharedSessionEvidence {
  SessionInterval session;
  // Total time inside the window during which this session and at least one session of another
  // device were both live (effective intervals, unshrunk). Always > tau for a participant.
  int64_t overlap_ms = 0;
};

struct SharedCertificateVerdict {
  std::string certificate_id;
  // The largest number of distinct devices whose sessions pairwise overlapped by more than tau
  // at one instant: an estimate of how many devices, at least, share the certificate. >= 2.
  int max_concurrent_devices = 0;
  // Every participating session, newest connect first (ties: ascending session_id).
  std::vector<SharedSessionEvidence> participants;
};

// Evaluates certificates one at a time, reusing its buffers between calls, so that a worker
// allocates little per certificate. Not thread-safe: use one per thread.
class SharedCertificateEvaluator {
 public:
  // REQUIRES: ValidateSharedCheckOptions(options) succeeded.
  SharedCertificateEvaluator(const AuditWindow& window, const SharedCheckOptions& options);

  // The verdict for `certificate`, or nullopt if it is compliant in the window. Sessions may come
  // in any order. Malformed sessions (last packet before connect, disconnect before connect)
  // have an empty interval and simply cannot be concurrent; they never cause an error.
  std::optional<SharedCertificateVerdict> Evaluate(const CertificateSessions& certificate);

 private:
  struct Interval {
    int64_t start;  // clipped to the window
    int64_t end;    // clipped to the window; unshrunk
    uint32_t key;
    uint32_t index;  // into the certificate's sessions
  };

  uint32_t InternKey(std::string_view key);
  bool SweepForConcurrency();
  void MeasureOverlaps();

  AuditWindow window_;
  SharedCheckOptions options_;
  int64_t tolerance_ms_;

  std::vector<Interval> intervals_;
  std::vector<std::string_view> keys_;
  std::unordered_map<std::string_view, uint32_t> key_index_;
  std::vector<uint32_t> key_count_;
  std::vector<std::pair<int64_t, uint32_t>> active_heap_;
  std::vector<uint32_t> unmarked_active_;
  std::vector<char> is_active_;
  std::vector<char> participant_;
  std::vector<int64_t> overlap_ms_;
  int max_distinct_ = 0;
};

// One-shot convenience over SharedCertificateEvaluator.
// REQUIRES: ValidateSharedCheckOptions(options) succeeded.
std::optional<SharedCertificateVerdict> EvaluateSharedCertificate(
    const CertificateSessions& certificate, const AuditWindow& window,
    const SharedCheckOptions& options);

// The verdict in AWS's finding shape: nonCompliantResource DEVICE_CERTIFICATE with
// MAX_CONCURRENT_DEVICES; one CLIENT_ID related resource per participant, in the verdict's order,
// with CONNECTION_TIME, DISCONNECTION_TIME (only once closed), SOURCE_IP and DISCONNECT_REASON
// (only when known) and OVERLAP_MS. Times are the session's real times, even outside the window.
AuditFinding ToAuditFinding(const SharedCertificateVerdict& verdict);

}  // namespace fg::audit
