#pragma once

// Message routing between the live MQTT sessions of this node, one topic space per account:
// accounts never see each other's messages, retained messages or events.
//
// The net layer drives it from the actions its mqtt::Session returns:
//   SessionEstablished -> Attach      DeliverMessage  -> Publish
//   SubscribeRequest   -> Subscribe   UnsubscribeRequest -> Unsubscribe
//   PublishWill        -> PublishWill DisconnectRecord (established) -> Detach
// and the broker calls back into connections only through their SessionSink.
//
// Behaviour (AWS IoT Core):
//  - Takeover: Attach with a client id already live in the account kicks the older session
//    (SessionSink::Kick(kSessionTakenOver): DUPLICATE_CLIENTID, MQTT 5 reason 0x8E); its
//    connection then publishes its will and detaches as usual.
//  - Lifecycle events on $aws/events/presence/{connected,disconnected}/<clientId> (QoS 1, never
//    retained) to the account's subscribers, with a versionNumber per client id shared by a
//    session's connect and disconnect events (lifecycle_events.h).
//  - Clients cannot publish into $aws/ (AWS reserves it): such messages are dropped and counted.
//  - Wills: published when the connection says so; a v5 Will Delay Interval defers it to
//    Tick(), and it is dropped if the client id is connected again by then.
//  - DisconnectCertificate / DisconnectCa / OnStatusEvent kick every live session of a
//    certificate that left ACTIVE (or whose CA did) with kNotAuthorized (AUTH_ERROR, 0x87).
//    A connection authenticated before such an event but attached after it is kicked at
//    Attach: read RevocationEpoch() before authenticating and pass it in SessionInfo.
//  - Persistent sessions (AWS "MQTT persistent sessions"), per (account, client id), on this
//    node and in memory (StoredSessions; lost on restart, unlike AWS's):
//    * A session with a non-zero expiry that ends (Detach with DisconnectRecord::persisted)
//      is stored: its subscriptions stay in the account's table, and QoS 1 messages that
//      match them are queued (bounded, see StoredSessionLimits; QoS 0 ones are not kept).
//    * Attach with Clean Start 0 resumes the stored session of the same client id in the same
//      account if it has not expired and was made with the same MQTT version (AWS does not
//      resume across versions); Attached::resumed goes to mqtt::Session::OnResume. Clean
//      Start 1, another version or an expired session discards it.
//    * Takeover of a live persistent session with Clean Start 0 hands it over: the
//      subscriptions move to the new session at once, and the messages the old connection had
//      not got acknowledged reach the new one, as new deliveries, when the old one detaches.
//    * A session whose certificate (or CA) leaves ACTIVE is discarded, live or stored: its
//      queued messages do not wait for whichever certificate next uses the client id. (AWS
//      does not document this case; fleetguard chooses not to keep them.)
//    * Stored sessions expire expiry_seconds after their connection ended; Tick() drops them.
//
// Thread-safe: one mutex guards all state. Sinks are called after the mutex is released, on
// the calling thread, so a sink may be called concurrently from several threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "gateway/account_message.h"
#include "gateway/session_registry.h"
#include "gateway/session_sink.h"
#include "gateway/stored_sessions.h"
#include "mqtt/retained_store.h"
#include "mqtt/session.h"
#include "mqtt/session_actions.h"
#include "mqtt/subscription_table.h"
#include "registry/status_events.h"

namespace fg::gateway {

struct BrokerOptions {
  size_t max_retained_per_account = 10'000;
  StoredSessionLimits persistence;
};

struct BrokerStats {
  uint64_t deliveries = 0;              // (message, subscriber) pairs handed to sinks
  uint64_t reserved_topic_dropped = 0;  // client publishes into $aws/
  uint64_t retained_refused = 0;        // over max_retained_per_account
  uint64_t wills_published = 0;
  uint64_t wills_cancelled = 0;  // delayed wills dropped because the client came back
  uint64_t kicks = 0;
  uint64_t sessions_stored = 0;      // persistent sessions kept at disconnect
  uint64_t sessions_not_stored = 0;  // refused at StoredSessionLimits::max_sessions
  uint64_t sessions_resumed = 0;     // from storage or by takeover
  uint64_t sessions_expired = 0;
  uint64_t sessions_discarded = 0;  // Clean Start 1, other version, certificate left ACTIVE
  uint64_t stored_messages_queued = 0;
  uint64_t stored_messages_dropped = 0;  // over a StoredSessionLimits bound
};

// What Attach returns: the session's handle and, when it resumed a persistent session, the
// state to pass to mqtt::Session::OnResume (nullopt: no session present).
struct Attached {
  SessionHandle handle = 0;
  std::optional<mqtt::SessionState> resumed;
};

class Broker {
 public:
  explicit Broker(BrokerOptions options = {}) : options_(options), stored_(options_.persistence) {}
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // A session's CONNECT was accepted (`established`; info.client_id must equal its client
  // id). The broker keeps `sink` until Detach. Resumes or discards a persistent session of the
  // client id as described above.
  Attached Attach(SessionInfo info, std::shared_ptr<SessionSink> sink,
                  const mqtt::SessionEstablished& established);

  // The session's DeliverMessage. Unknown handles (already detached) are ignored.
  void Publish(SessionHandle from, const mqtt::ApplicationMessage& message);

  // The session's SubscribeRequest: records the subscription and delivers matching retained
  // messages to the session per retain_handling (MQTT 5 §3.8.3.1).
  void Subscribe(SessionHandle handle, const mqtt::SubscribeRequest& request);
  void Unsubscribe(SessionHandle handle, const mqtt::UnsubscribeRequest& request);

  // The session's PublishWill (call before Detach, as the session emits them in that order).
  void PublishWill(SessionHandle handle, const mqtt::PublishWill& will, TimePoint now);

  // The session's DisconnectRecord: frees its client id, publishes the disconnected event,
  // and stores the session if record.persisted (else drops its subscriptions). Unknown
  // handles are ignored.
  void Detach(SessionHandle handle, const mqtt::DisconnectRecord& record);

  // A gateway-originated event (JITR registration, connect_failed) to the account's
  // subscribers.
  void PublishEvent(const AccountMessage& event);

  // Kicks the certificate's live sessions in the account; returns their session ids.
  std::vector<std::string> DisconnectCertificate(
      std::string_view account_id, std::string_view certificate_id,
      mqtt::ServerDisconnectCause cause = mqtt::ServerDisconnectCause::kNotAuthorized);
  // Kicks the live sessions whose certificate was verified against this CA.
  std::vector<std::string> DisconnectCa(
      std::string_view account_id, std::string_view ca_certificate_id,
      mqtt::ServerDisconnectCause cause = mqtt::ServerDisconnectCause::kNotAuthorized);

  // A registry status change: anything leaving ACTIVE disconnects, and is remembered for
  // kRevocationMemory so that Attach catches sessions authenticated before it. Subscribe it to
  // the registry's StatusEventPublisher.
  void OnStatusEvent(const registry::StatusEvent& event);

  // Increases with every status change OnStatusEvent acts on. See SessionInfo.
  uint64_t RevocationEpoch() const;
  // How long (measured by Tick) a status change is remembered; far above any authentication
  // plus CONNECT time. An Attach whose revocation_epoch is older than what was forgotten is
  // treated as revoked.
  static constexpr std::chrono::minutes kRevocationMemory{5};

  // Publishes delayed wills that are due and forgets stale lifecycle versions. Call it at
  // NextDeadline() and, for the pruning, about once a minute.
  void Tick(TimePoint now);
  // The earliest delayed will, if any.
  std::optional<TimePoint> NextDeadline() const;

  size_t session_count() const;
  size_t stored_session_count() const;
  BrokerStats stats() const;

 private:
  struct AccountRouting {
    explicit AccountRouting(size_t max_retained) : retained(max_retained) {}
    mqtt::SubscriptionTable subscriptions;
    mqtt::RetainedStore retained;
  };
  struct Delivery {
    std::shared_ptr<SessionSink> sink;
    mqtt::ApplicationMessage message;
    mqtt::QoS granted = mqtt::QoS::kAtMostOnce;
  };
  struct Revocation {
    uint64_t epoch = 0;
    std::optional<TimePoint> noted_at;  // the first Tick after it
  };
  struct PendingWill {
    std::string account_id;
    std::string client_id;
    mqtt::ApplicationMessage message;
    TimePoint due;
  };

  // REQUIRES: mu_ held.
  AccountRouting& RoutingFor(const std::string& account_id);
  // broker_persistence.cpp: resuming, storing, queueing and dropping persistent sessions.
  std::optional<mqtt::SessionState> ResumeLocked(LiveSession& session, SessionHandle handle,
                                                 std::optional<SessionHandle> taken_over,
                                                 const mqtt::SessionEstablished& established);
  void MoveSubscriptionsLocked(
      AccountRouting& routing, SessionHandle from,
      const std::vector<std::pair<std::string, mqtt::SubscriptionOptions>>& subscriptions,
      LiveSession& to, SessionHandle to_handle);
  // Stores the detached session, or drops its subscriptions (and forwards its messages if it
  // was taken over).
  void DetachPersistentLocked(LiveSession& session, SessionHandle handle,
                              const mqtt::DisconnectRecord& record, std::vector<Delivery>& out);
  void QueueForStoredLocked(SessionHandle id, mqtt::ApplicationMessage message);
  void DropStoredLocked(const std::vector<StoredSession>& sessions);
  void DiscardSessionsLocked(const std::vector<SessionHandle>& handles);
  void RouteLocked(const std::string& account_id, const mqtt::ApplicationMessage& message,
                   std::optional<SessionHandle> from, std::vector<Delivery>& out);
  void RouteEventLocked(const AccountMessage& event, std::vector<Delivery>& out);
  std::vector<std::string> KickLocked(const std::vector<SessionHandle>& handles,
                                      std::vector<std::shared_ptr<SessionSink>>& sinks);
  bool RevokedSinceLocked(const SessionInfo& info) const;
  // Called without mu_.
  static void Dispatch(std::vector<Delivery>& deliveries);
  void KickAll(const std::vector<std::shared_ptr<SessionSink>>& sinks,
               mqtt::ServerDisconnectCause cause);

  const BrokerOptions options_;
  mutable std::mutex mu_;
  SessionRegistry sessions_;                                                  // guarded by mu_
  std::unordered_map<std::string, std::unique_ptr<AccountRouting>> routing_;  // guarded by mu_
  std::vector<PendingWill> pending_wills_;                                    // guarded by mu_
  BrokerStats stats_;                                                         // guarded by mu_
  uint64_t revocation_epoch_ = 0;                                             // guarded by mu_
  uint64_t forgotten_through_ = 0;  // guarded by mu_: pruned epochs are <= this
  // Key "c\n<account>\n<certificate id>" or "a\n<account>\n<CA id>".
  std::unordered_map<std::string, Revocation> revoked_;  // guarded by mu_
  StoredSessions stored_;                                // guarded by mu_
  // Live sessions whose persistent state must not be stored when they detach: mapped to the
  // session that took them over (their messages go there), or to 0 (discard).
  std::unordered_map<SessionHandle, SessionHandle> handovers_;  // guarded by mu_
  TimePoint rate_window_start_;                                 // guarded by mu_
};

}  // namespace fg::gateway
