#pragma once

// Writes the connection log without blocking the I/O threads: producers (connections, on any
// thread) enqueue events in memory; one writer thread takes them in batches and appends each
// batch to the ConnectionLogStore in one transaction. It also writes the node's heartbeat,
// which CloseOrphanedSessions uses after a crash.
//
// Overflow policy (the queue is bounded; the numbers are ConnectionLogWriterOptions):
//  - Session opened / closed records are never dropped: the audit depends on them. They are
//    admitted up to max_queue_critical queued events; beyond that the producer waits until
//    the writer has taken a batch (counted in producer_waits). Refusals cannot use the room
//    between max_queue and max_queue_critical, so a flood of refused handshakes never delays
//    a session record.
//  - Refused connections are dropped (counted in dropped_refused) when max_queue events are
//    queued.
//  - Last-activity updates are coalesced per session (only the latest time is kept) and
//    written after the queued records; a new session's update is dropped (dropped_activity)
//    when max_pending_activity sessions already have one pending. A close carries the last
//    packet time, so a dropped update is corrected at the latest when the session ends.
//  - A failed AppendBatch is retried with the same batch (events are idempotent) after
//    retry_delay, for as long as the writer runs; during Stop it is tried final_attempts more
//    times, then the remaining events are counted in `lost`.
//
// Threading: producers may be called from any thread. Run() is the writer thread's body: the
// owner starts a thread that calls it (the composition root owns threads) and calls Stop(),
// then joins. Run returns once Stop was called and everything queued before it was written.
// Events produced after Run returned are counted in `lost`. RunOnce() is Run's single step,
// for tests and for a caller that drives the writer itself; at most one thread may be in
// Run/RunOnce at a time. `store` and `clock` must outlive the writer.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "registry/connection_log.h"

namespace fg::gateway {

struct ConnectionLogWriterOptions {
  std::string node_id;
  size_t max_queue = 10'000;           // refusals are dropped beyond this
  size_t max_queue_critical = 20'000;  // session open/close producers wait beyond this
  size_t max_pending_activity = 100'000;
  size_t max_batch = 512;  // events per AppendBatch
  // Run waits up to this long for a full batch before writing a partial one.
  std::chrono::milliseconds linger{100};
  // Heartbeats are written when this much time has passed on the injected clock.
  std::chrono::milliseconds heartbeat_interval{10'000};
  std::chrono::milliseconds retry_delay{500};
  int final_attempts = 3;
};

struct ConnectionLogWriterStats {
  uint64_t written = 0;  // events durably appended
  uint64_t batches = 0;
  uint64_t heartbeats = 0;
  uint64_t store_failures = 0;  // failed AppendBatch/Heartbeat calls
  uint64_t dropped_refused = 0;
  uint64_t dropped_activity = 0;
  uint64_t producer_waits = 0;  // open/close producers that had to wait for room
  uint64_t lost = 0;            // given up at Stop, or produced after Run returned
};

class ConnectionLogWriter {
 public:
  ConnectionLogWriter(registry::ConnectionLogStore& store, const Clock& clock,
                      ConnectionLogWriterOptions options);
  ConnectionLogWriter(const ConnectionLogWriter&) = delete;
  ConnectionLogWriter& operator=(const ConnectionLogWriter&) = delete;

  // Producers. `record.node_id` is filled in with the writer's node id.
  void SessionOpened(registry::SessionRecord record);
  void SessionActivity(std::string_view session_id, TimePoint last_packet_time);
  void SessionClosed(std::string session_id, TimePoint last_packet_time, TimePoint disconnect_time,
                     std::string disconnect_reason);
  void ConnectionRefused(registry::RefusedConnection record);

  // The writer thread's body (see above).
  void Run();
  // Asks Run to finish after writing what is queued; returns at once.
  void Stop();

  // One step of Run: a heartbeat if one is due, then at most one batch. Returns the number of
  // events written, or the store's error (the batch is kept for the next call).
  Result<size_t> RunOnce();

  // Events waiting (queued, pending activity and a batch awaiting retry).
  size_t pending() const;
  ConnectionLogWriterStats stats() const;

 private:
  // REQUIRES: mu_ held.
  void EnqueueCritical(std::unique_lock<std::mutex>& lock, registry::ConnectionLogEvent event);
  size_t PendingLocked() const;
  void TakeBatchLocked();
  Result<void> MaybeHeartbeat();

  registry::ConnectionLogStore& store_;
  const Clock& clock_;
  const ConnectionLogWriterOptions options_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // producers -> writer: events, or Stop
  std::condition_variable space_cv_;  // writer -> producers: room in the queue, or Run ended
  std::deque<registry::ConnectionLogEvent> queue_;       // guarded by mu_
  std::unordered_map<std::string, TimePoint> activity_;  // guarded by mu_
  // A batch taken from queue_/activity_ that is not yet written (kept for retry).
  std::vector<registry::ConnectionLogEvent> in_flight_;  // guarded by mu_
  size_t writing_ = 0;           // events being appended right now, outside mu_; guarded by mu_
  bool stop_requested_ = false;  // guarded by mu_
  bool finished_ = false;        // guarded by mu_
  std::optional<TimePoint> last_heartbeat_;  // guarded by mu_
  ConnectionLogWriterStats stats_;           // guarded by mu_
};

}  // namespace fg::gateway
