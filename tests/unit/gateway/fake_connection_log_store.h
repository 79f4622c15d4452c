#pragma once

// An in-memory ConnectionLogStore that follows the contract in registry/connection_log.h, with
// failure injection. The SQLite and PostgreSQL stores must behave the same way.

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "registry/connection_log.h"

namespace fg::gateway::testing {

// The query order: (certificate id, connect time, session id).
inline auto Key(const registry::SessionRecord& s) {
  return std::tie(s.certificate_id, s.connect_time, s.session_id);
}

class FakeConnectionLogStore final : public registry::ConnectionLogStore {
 public:
  Result<void> AppendBatch(std::span<const registry::ConnectionLogEvent> events) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++append_calls_;
    if (fail_next_ > 0) {
      --fail_next_;
      return Fail(ErrorCode::kUnavailable, "injected failure");
    }
    batch_sizes_.push_back(events.size());
    for (const registry::ConnectionLogEvent& e : events) {
      std::visit([this](const auto& event) { Apply(event); }, e);
      applied_.push_back(e);
    }
    return Ok();
  }

  Result<void> Heartbeat(std::string_view node_id, TimePoint at) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_next_ > 0) {
      --fail_next_;
      return Fail(ErrorCode::kUnavailable, "injected failure");
    }
    auto& stored = heartbeats_[std::string(node_id)];
    stored = std::max(stored, at);
    ++heartbeat_calls_;
    return Ok();
  }

  Result<int64_t> CloseOrphanedSessions(std::string_view node_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t closed = 0;
    auto heartbeat = heartbeats_.find(std::string(node_id));
    for (auto& [id, s] : sessions_) {
      if (s.node_id != node_id || s.disconnect_time) {
        continue;
      }
      TimePoint at = heartbeat != heartbeats_.end() ? heartbeat->second : s.last_packet_time;
      s.disconnect_time = std::max(at, s.last_packet_time);
      s.disconnect_reason = "CONNECTION_LOST";
      ++closed;
    }
    return closed;
  }

  Result<std::vector<registry::SessionRecord>> ListSessions(
      const registry::SessionQuery& q) override {
    if (q.window_end < q.window_start) {
      return Fail(ErrorCode::kInvalidArgument, "window_end before window_start");
    }
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<registry::SessionRecord> out;
    for (const auto& [id, s] : sessions_) {
      if (s.account_id == q.account_id && s.connect_time <= q.window_end &&
          (!s.disconnect_time || *s.disconnect_time >= q.window_start) &&
          (!q.after || Key(s) > std::tie(q.after->certificate_id, q.after->connect_time,
                                         q.after->session_id))) {
        out.push_back(s);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return Key(a) < Key(b); });
    const size_t limit = q.limit == 0 ? 1000 : q.limit;
    if (out.size() > limit) {
      out.resize(limit);
    }
    return out;
  }

  Result<std::vector<registry::RefusedConnection>> ListRefused(
      const registry::RefusedQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<registry::RefusedConnection> out;
    for (const auto& [id, r] : refused_) {
      if (r.account_id == q.account_id && r.time >= q.window_start && r.time <= q.window_end) {
        out.push_back(r);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.time, a.id) < std::tie(b.time, b.id);
    });
    const size_t limit = q.limit == 0 ? 1000 : q.limit;
    if (out.size() > limit) {
      out.resize(limit);
    }
    return out;
  }

  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = n;
  }
  std::vector<registry::ConnectionLogEvent> applied() const {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_;
  }
  std::vector<size_t> batch_sizes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return batch_sizes_;
  }
  std::map<std::string, registry::SessionRecord> sessions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_;
  }
  size_t refused_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_.size();
  }
  int heartbeat_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return heartbeat_calls_;
  }

 private:
  void Apply(const registry::SessionOpened& e) {
    sessions_.try_emplace(e.session.session_id, e.session);
  }
  void Apply(const registry::SessionActivity& e) {
    if (auto it = sessions_.find(e.session_id); it != sessions_.end()) {
      it->second.last_packet_time = std::max(it->second.last_packet_time, e.last_packet_time);
    }
  }
  void Apply(const registry::SessionClosed& e) {
    auto it = sessions_.find(e.session_id);
    if (it == sessions_.end()) {
      return;
    }
    it->second.last_packet_time = std::max(it->second.last_packet_time, e.last_packet_time);
    if (!it->second.disconnect_time) {
      it->second.disconnect_time = e.disconnect_time;
      it->second.disconnect_reason = e.disconnect_reason;
    }
  }
  void Apply(const registry::ConnectionRefused& e) {
    refused_.try_emplace(e.refused.id, e.refused);
  }

  mutable std::mutex mu_;
  int fail_next_ = 0;
  int append_calls_ = 0;
  int heartbeat_calls_ = 0;
  std::vector<size_t> batch_sizes_;
  std::vector<registry::ConnectionLogEvent> applied_;
  std::map<std::string, registry::SessionRecord> sessions_;
  std::map<std::string, registry::RefusedConnection> refused_;
  std::map<std::string, TimePoint> heartbeats_;
};

}  // namespace fg::gateway::testing
