#include "audit/shared_certificate_check.h"

#include <algorithm>
#include <functional>

namespace fg::audit {
namespace {

// Most certificates have one or two client ids; a linear scan beats hashing until about here.
constexpr size_t kLinearKeyLimit = 16;

// A session that the broker still holds open has no end of its own; it runs to the window's end.
int64_t EffectiveEnd(const SessionInterval& s, int64_t window_end) {
  if (!s.disconnect_ms.has_value()) {
    return window_end;
  }
  return std::min(s.last_packet_ms, *s.disconnect_ms);
}

}  // namespace

Result<void> ValidateSharedCheckOptions(const SharedCheckOptions& options) {
  if (options.tolerance.count() < 0) {
    return Fail(ErrorCode::kInvalidArgument, "shared-certificate tolerance must not be negative");
  }
  if (options.tolerance > kMaxSharedTolerance) {
    return Fail(ErrorCode::kInvalidArgument,
                "shared-certificate tolerance must not exceed 24 hours");
  }
  return Ok();
}

SharedCertificateEvaluator::SharedCertificateEvaluator(const AuditWindow& window,
                                                       const SharedCheckOptions& options)
    : window_(window), options_(options), tolerance_ms_(options.tolerance.count()) {}

uint32_t SharedCertificateEvaluator::InternKey(std::string_view key) {
  if (keys_.size() <= kLinearKeyLimit) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key) {
        return static_cast<uint32_t>(i);
      }
    }
    if (keys_.size() == kLinearKeyLimit) {
      for (size_t i = 0; i < keys_.size(); ++i) {
        key_index_.emplace(keys_[i], static_cast<uint32_t>(i));
      }
    }
  } else if (auto it = key_index_.find(key); it != key_index_.end()) {
    return it->second;
  }
  const auto id = static_cast<uint32_t>(keys_.size());
  keys_.push_back(key);
  if (keys_.size() > kLinearKeyLimit) {
    key_index_.emplace(key, id);
  }
  return id;
}

std::optional<SharedCertificateVerdict> SharedCertificateEvaluator::Evaluate(
    const CertificateSessions& certificate) {
  const int64_t window_start = window_.start_ms();
  const int64_t window_end = window_.end_ms();
  intervals_.clear();
  keys_.clear();
  key_index_.clear();
  for (size_t i = 0; i < certificate.sessions.size(); ++i) {
    const SessionInterval& s = certificate.sessions[i];
    const int64_t start = std::max(s.connect_ms, window_start);
    const int64_t end = std::min(EffectiveEnd(s, window_end), window_end);
    if (start >= end) {
      continue;
    }
    intervals_.push_back(Interval{start, end,
                                  InternKey(DeviceKey(s.client_id, options_.device_key_rule)),
                                  static_cast<uint32_t>(i)});
  }
  if (keys_.size() < 2) {
    return std::nullopt;
  }
  std::sort(intervals_.begin(), intervals_.end(), [](const Interval& a, const Interval& b) {
    return a.start != b.start ? a.start < b.start : a.index < b.index;
  });
  if (!SweepForConcurrency()) {
    return std::nullopt;
  }
  MeasureOverlaps();

  SharedCertificateVerdict verdict;
  verdict.certificate_id = certificate.certificate_id;
  verdict.max_concurrent_devices = max_distinct_;
  for (size_t i = 0; i < intervals_.size(); ++i) {
    if (participant_[i] != 0) {
      verdict.participants.push_back(
          SharedSessionEvidence{certificate.sessions[intervals_[i].index], overlap_ms_[i]});
    }
  }
  std::sort(verdict.participants.begin(), verdict.participants.end(),
            [](const SharedSessionEvidence& a, const SharedSessionEvidence& b) {
              if (a.session.connect_ms != b.session.connect_ms) {
                return a.session.connect_ms > b.session.connect_ms;
              }
              return a.session.session_id < b.session.session_id;
            });
  return verdict;
}

// Overlap > tau is the same as the intervals [start, end - tau) intersecting, so each interval's
// end is shrunk by tau and the sweep tests plain half-open intersection: intervals sorted by start,
// a min-heap of the active ones' shrunk ends, an end equal to a start retired first (touching is
// not overlapping). At each start, if a session of another device is active, the new session and
// every active session of another device participate. Once two devices are active at once, every
// active session is already marked, so `unmarked_active_` only ever holds one device's sessions
// and each session is marked at most once: O(n log n) in all.
bool SharedCertificateEvaluator::SweepForConcurrency() {
  const size_t n = intervals_.size();
  participant_.assign(n, 0);
  key_count_.assign(keys_.size(), 0);
  active_heap_.clear();
  unmarked_active_.clear();
  is_active_.assign(n, 0);
  int distinct = 0;
  max_distinct_ = 0;
  bool any = false;
  const auto later_end = std::greater<std::pair<int64_t, uint32_t>>();
  for (uint32_t i = 0; i < n; ++i) {
    const Interval& iv = intervals_[i];
    while (!active_heap_.empty() && active_heap_.front().first <= iv.start) {
      const uint32_t done = active_heap_.front().second;
      std::pop_heap(active_heap_.begin(), active_heap_.end(), later_end);
      active_heap_.pop_back();
      is_active_[done] = 0;
      if (--key_count_[intervals_[done].key] == 0) {
        --distinct;
      }
    }
    if (active_heap_.empty()) {
      unmarked_active_.clear();
    }
    const int64_t shrunk_end = iv.end - tolerance_ms_;
    if (shrunk_end <= iv.start) {
      continue;
    }
    const int others = distinct - (key_count_[iv.key] > 0 ? 1 : 0);
    if (others > 0) {
      any = true;
      participant_[i] = 1;
      for (uint32_t j : unmarked_active_) {
        if (is_active_[j] != 0) {
          participant_[j] = 1;
        }
      }
      unmarked_active_.clear();
    } else {
      unmarked_active_.push_back(i);
    }
    active_heap_.emplace_back(shrunk_end, i);
    std::push_heap(active_heap_.begin(), active_heap_.end(), later_end);
    is_active_[i] = 1;
    if (key_count_[iv.key]++ == 0) {
      ++distinct;
    }
    max_distinct_ = std::max(max_distinct_, distinct);
  }
  return any;
}

// OVERLAP_MS = G(end) - G(start), where G(t) is the time before t during which two or more devices
// were live: while a session is live, "two or more devices" means "another device besides it".
// Only certificates with a finding get here, so the second sort does not cost the common case.
void SharedCertificateEvaluator::MeasureOverlaps() {
  struct Event {
    int64_t time;
    int kind;  // 0 = end, 1 = start: ends first at equal times (half-open intervals)
    uint32_t interval;
  };
  std::vector<Event> events;
  events.reserve(intervals_.size() * 2);
  for (uint32_t i = 0; i < intervals_.size(); ++i) {
    events.push_back(Event{intervals_[i].start, 1, i});
    events.push_back(Event{intervals_[i].end, 0, i});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.time != b.time) {
      return a.time < b.time;
    }
    return a.kind != b.kind ? a.kind < b.kind : a.interval < b.interval;
  });
  key_count_.assign(keys_.size(), 0);
  overlap_ms_.assign(intervals_.size(), 0);
  std::vector<int64_t> g_at_start(intervals_.size(), 0);
  int distinct = 0;
  int64_t g = 0;
  int64_t previous = events.empty() ? 0 : events.front().time;
  for (const Event& ev : events) {
    if (distinct >= 2) {
      g += ev.time - previous;
    }
    previous = ev.time;
    const uint32_t key = intervals_[ev.interval].key;
    if (ev.kind == 1) {
      g_at_start[ev.interval] = g;
      if (key_count_[key]++ == 0) {
        ++distinct;
      }
    } else {
      overlap_ms_[ev.interval] = g - g_at_start[ev.interval];
      if (--key_count_[key] == 0) {
        --distinct;
      }
    }
  }
}

std::optional<SharedCertificateVerdict> EvaluateSharedCertificate(
    const CertificateSessions& certificate, const AuditWindow& window,
    const SharedCheckOptions& options) {
  SharedCertificateEvaluator evaluator(window, options);
  return evaluator.Evaluate(certificate);
}

AuditFinding ToAuditFinding(const SharedCertificateVerdict& verdict) {
  AuditFinding finding;
  finding.check_name = std::string(kDeviceCertificateSharedCheck);
  finding.severity = AuditSeverity::kCritical;
  finding.reason_for_non_compliance = std::string(kCertificateSharedReason);
  finding.reason_for_non_compliance_code = std::string(kCertificateSharedReasonCode);
  finding.non_compliant_resource.type = ResourceType::kDeviceCertificate;
  finding.non_compliant_resource.identifier.device_certificate_id = verdict.certificate_id;
  finding.non_compliant_resource.additional_info.emplace(
      kMaxConcurrentDevicesKey, std::to_string(verdict.max_concurrent_devices));
  finding.related_resources.reserve(verdict.participants.size());
  for (const SharedSessionEvidence& p : verdict.participants) {
    AuditResource r;
    r.type = ResourceType::kClientId;
    r.identifier.client_id = p.session.client_id;
    auto& info = r.additional_info;
    info.emplace(kConnectionTimeKey, std::to_string(p.session.connect_ms));
    if (p.session.disconnect_ms.has_value()) {
      info.emplace(kDisconnectionTimeKey, std::to_string(*p.session.disconnect_ms));
      if (!p.session.disconnect_reason.empty()) {
        info.emplace(kDisconnectReasonKey, p.session.disconnect_reason);
      }
    }
    if (!p.session.source_ip.empty()) {
      info.emplace(kSourceIpKey, p.session.source_ip);
    }
    info.emplace(kOverlapMsKey, std::to_string(p.overlap_ms));
    finding.related_resources.push_back(std::move(r));
  }
  return finding;
}

}  // namespace fg::audit
