#include "gateway/connection_log_writer.h"

#include <algorithm>
#include <utility>

namespace fg::gateway {

ConnectionLogWriter::ConnectionLogWriter(registry::ConnectionLogStore& store, const Clock& clock,
                                         ConnectionLogWriterOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

void ConnectionLogWriter::EnqueueCritical(std::unique_lock<std::mutex>& lock,
                                          registry::ConnectionLogEvent event) {
  if (!finished_ && queue_.size() >= options_.max_queue_critical) {
    ++stats_.producer_waits;
    space_cv_.wait(lock, [&] { return finished_ || queue_.size() < options_.max_queue_critical; });
  }
  if (finished_) {
    ++stats_.lost;
    return;
  }
  queue_.push_back(std::move(event));
  // A full batch is written at once; smaller ones wait for the linger timeout, which saves a
  // wake-up per event.
  if (queue_.size() >= options_.max_batch) {
    work_cv_.notify_one();
  }
}

void ConnectionLogWriter::SessionOpened(registry::SessionRecord record) {
  record.node_id = options_.node_id;
  std::unique_lock<std::mutex> lock(mu_);
  EnqueueCritical(lock, registry::SessionOpened{std::move(record)});
}

void ConnectionLogWriter::SessionActivity(std::string_view session_id, TimePoint last_packet_time) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) {
    ++stats_.lost;
    return;
  }
  if (auto it = activity_.find(std::string(session_id)); it != activity_.end()) {
    it->second = std::max(it->second, last_packet_time);
    return;
  }
  if (activity_.size() >= options_.max_pending_activity) {
    ++stats_.dropped_activity;
    return;
  }
  activity_.emplace(std::string(session_id), last_packet_time);
}

void ConnectionLogWriter::SessionClosed(std::string session_id, TimePoint last_packet_time,
                                        TimePoint disconnect_time, std::string disconnect_reason) {
  std::unique_lock<std::mutex> lock(mu_);
  // The close carries the last packet time, so a pending update for the session is redundant.
  if (auto it = activity_.find(session_id); it != activity_.end()) {
    last_packet_time = std::max(last_packet_time, it->second);
    activity_.erase(it);
  }
  EnqueueCritical(lock, registry::SessionClosed{std::move(session_id), last_packet_time,
                                                disconnect_time, std::move(disconnect_reason)});
}

void ConnectionLogWriter::ConnectionRefused(registry::RefusedConnection record) {
  record.node_id = options_.node_id;
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) {
    ++stats_.lost;
    return;
  }
  if (queue_.size() >= options_.max_queue) {
    ++stats_.dropped_refused;
    return;
  }
  queue_.push_back(registry::ConnectionRefused{std::move(record)});
  if (queue_.size() >= options_.max_batch) {
    work_cv_.notify_one();
  }
}

size_t ConnectionLogWriter::PendingLocked() const {
  return queue_.size() + activity_.size() + in_flight_.size() + writing_;
}

size_t ConnectionLogWriter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return PendingLocked();
}

ConnectionLogWriterStats ConnectionLogWriter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void ConnectionLogWriter::TakeBatchLocked() {
  size_t room = options_.max_batch;
  const size_t queued_before = queue_.size();
  while (room > 0 && !queue_.empty()) {
    in_flight_.push_back(std::move(queue_.front()));
    queue_.pop_front();
    --room;
  }
  // Activity updates only fill the room the queue left, i.e. they go after every queued
  // record, so a session's open is always written before (or with) its first update.
  for (auto it = activity_.begin(); room > 0 && it != activity_.end(); --room) {
    in_flight_.push_back(registry::SessionActivity{it->first, it->second});
    it = activity_.erase(it);
  }
  if (queue_.size() < queued_before) {
    space_cv_.notify_all();
  }
}

Result<void> ConnectionLogWriter::MaybeHeartbeat() {
  const TimePoint now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (last_heartbeat_ && now - *last_heartbeat_ < options_.heartbeat_interval) {
      return Ok();
    }
  }
  auto r = store_.Heartbeat(options_.node_id, now);
  std::lock_guard<std::mutex> lock(mu_);
  if (!r) {
    ++stats_.store_failures;
    return r;
  }
  last_heartbeat_ = now;
  ++stats_.heartbeats;
  return Ok();
}

Result<size_t> ConnectionLogWriter::RunOnce() {
  // A failed heartbeat is counted and retried next round; it must not hold back the records.
  (void)MaybeHeartbeat();
  std::vector<registry::ConnectionLogEvent> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (in_flight_.empty()) {
      TakeBatchLocked();
    }
    batch = std::exchange(in_flight_, {});
    writing_ = batch.size();
  }
  if (batch.empty()) {
    return size_t{0};
  }
  auto r = store_.AppendBatch(batch);
  std::lock_guard<std::mutex> lock(mu_);
  writing_ = 0;
  if (!r) {
    ++stats_.store_failures;
    in_flight_ = std::move(batch);
    return Fail(r.error());
  }
  stats_.written += batch.size();
  ++stats_.batches;
  return batch.size();
}

void ConnectionLogWriter::Run() {
  int final_failures = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!stop_requested_ && in_flight_.empty() && queue_.size() < options_.max_batch) {
      work_cv_.wait_for(lock, options_.linger,
                        [&] { return stop_requested_ || queue_.size() >= options_.max_batch; });
    }
    lock.unlock();
    Result<size_t> written = RunOnce();
    lock.lock();
    if (!written) {
      if (stop_requested_ && ++final_failures >= options_.final_attempts) {
        stats_.lost += PendingLocked();
        queue_.clear();
        activity_.clear();
        in_flight_.clear();
        break;
      }
      work_cv_.wait_for(lock, options_.retry_delay);
      continue;
    }
    if (stop_requested_ && PendingLocked() == 0) {
      break;
    }
  }
  finished_ = true;
  space_cv_.notify_all();
}

void ConnectionLogWriter::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_requested_ = true;
  work_cv_.notify_all();
}

}  // namespace fg::gateway
