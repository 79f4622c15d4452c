#pragma once

// The persistent sessions of clients that are not connected, on this node and in memory (they
// do not survive a restart of fleetguard, while AWS's do). Bookkeeping only: it stores,
// queues, expires and hands back SessionState; the Broker keeps each session's subscriptions
// in the account's SubscriptionTable under the session's id and acts on what this returns.
//
// Bounds (AWS IoT Core message-broker quotas where AWS has one):
//  - at most max_sessions stored sessions on the node (AWS has no such quota; memory needs
//    one): Put refuses beyond it.
//  - per session at most max_messages_per_session queued messages and max_bytes_per_session
//    payload bytes, counting the unacknowledged ones it was stored with;
//  - per account at most queued_per_second_per_account messages queued per rate window
//    ("Queued messages per second per account", 500), the window restarted by
//    NewRateWindow() once a second.
//  Beyond a bound the new message is dropped and the queued ones keep their order, as AWS
//  does ("messages that exceed the limit will be dropped"; it never replaces older queued
//  messages with newer ones).
//
// Not thread-safe: the Broker owns one and guards it with its mutex.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "gateway/session_registry.h"
#include "mqtt/message.h"
#include "mqtt/session_state.h"

namespace fg::gateway {

struct StoredSessionLimits {
  size_t max_sessions = 100'000;
  size_t max_messages_per_session = 1'000;
  size_t max_bytes_per_session = 1024 * 1024;
  size_t queued_per_second_per_account = 500;
};

struct StoredSession {
  // The handle of the connection that left it; its subscriber id in the account's table.
  SessionHandle id = 0;
  std::string account_id;
  std::string client_id;
  std::string certificate_id;  // of that last connection
  std::optional<std::string> ca_certificate_id;
  mqtt::SessionState state;
  TimePoint expires_at;
};

enum class QueueOutcome : uint8_t {
  kQueued,
  kSessionFull,  // max_messages_per_session or max_bytes_per_session reached
  kAccountRate,  // queued_per_second_per_account reached in this window
};

class StoredSessions {
 public:
  explicit StoredSessions(const StoredSessionLimits& limits) : limits_(limits) {}

  // Stores `session`; false (and nothing stored) at max_sessions.
  // REQUIRES: nothing stored under its id or its (account, client id).
  bool Put(StoredSession session);

  // Removes and returns the session of `client_id` in the account, expired or not.
  std::optional<StoredSession> Take(std::string_view account_id, std::string_view client_id);

  // Removes and returns a session by id.
  std::optional<StoredSession> TakeById(SessionHandle id);

  bool Contains(SessionHandle id) const { return sessions_.count(id) != 0; }

  // Queues a QoS 1 message for the stored session `id` (see the bounds above).
  // REQUIRES: Contains(id).
  QueueOutcome Enqueue(SessionHandle id, mqtt::ApplicationMessage message);

  // Removes and returns the sessions whose expires_at is at or before `now`.
  std::vector<StoredSession> TakeExpired(TimePoint now);

  // Removes and returns the sessions last held by the certificate / by certificates verified
  // against the CA, in the account.
  std::vector<StoredSession> TakeByCertificate(std::string_view account_id,
                                               std::string_view certificate_id);
  std::vector<StoredSession> TakeByCa(std::string_view account_id, std::string_view ca_id);

  // Starts a new per-account rate window.
  void NewRateWindow() { queued_in_window_.clear(); }

  size_t size() const { return sessions_.size(); }

 private:
  struct Entry {
    StoredSession session;
    size_t bytes = 0;     // payload bytes of state.unacknowledged and state.pending
    size_t messages = 0;  // state.unacknowledged.size() + state.pending.size()
    std::multimap<TimePoint, SessionHandle>::iterator expiry;
  };

  static std::string Key(std::string_view account_id, std::string_view client_id);
  StoredSession Erase(std::unordered_map<SessionHandle, Entry>::iterator it);
  template <typename Pred>
  std::vector<StoredSession> TakeIf(Pred pred);

  const StoredSessionLimits limits_;
  std::unordered_map<SessionHandle, Entry> sessions_;
  std::unordered_map<std::string, SessionHandle> by_client_;  // Key(account, client id)
  std::multimap<TimePoint, SessionHandle> by_expiry_;
  std::unordered_map<std::string, size_t> queued_in_window_;  // by account
};

}  // namespace fg::gateway
