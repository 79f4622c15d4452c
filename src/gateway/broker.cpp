#include "gateway/broker.h"

#include <algorithm>
#include <utility>

#include "gateway/lifecycle_events.h"

namespace fg::gateway {
namespace {

// AWS reserves topics beginning with "$aws/" for its own events and services.
constexpr std::string_view kReservedPrefix = "$aws/";

// Lifecycle and registration events go out at QoS 1 so that QoS 1 subscribers get them
// reliably; a QoS 0 subscription still caps them at 0.
constexpr mqtt::QoS kEventQoS = mqtt::QoS::kAtLeastOnce;

std::string RevocationKey(char kind, std::string_view account_id, std::string_view id) {
  std::string key(1, kind);
  key.append("\n").append(account_id).append("\n").append(id);
  return key;
}

PresenceSession Presence(const LiveSession& session) {
  return PresenceSession{session.info.account_id, session.info.client_id,
                         session.info.session_id, session.info.certificate_id,
                         session.info.source_ip,  session.version_number};
}

}  // namespace

Broker::AccountRouting& Broker::RoutingFor(const std::string& account_id) {
  auto& routing = routing_[account_id];
  if (!routing) {
    routing = std::make_unique<AccountRouting>(options_.max_retained_per_account);
  }
  return *routing;
}

void Broker::RouteLocked(const std::string& account_id, const mqtt::ApplicationMessage& message,
                         std::optional<SessionHandle> from, std::vector<Delivery>& out) {
  AccountRouting& routing = RoutingFor(account_id);
  if (message.retain) {
    if (!routing.retained.Put(message)) {
      ++stats_.retained_refused;
    }
  }
  for (const mqtt::MatchedSubscriber& match : routing.subscriptions.Match(message.topic)) {
    if (from && match.id == *from && match.options.no_local) {
      continue;
    }
    LiveSession* target = sessions_.Find(match.id);
    if (target == nullptr) {
      // A stored persistent session keeps only QoS 1 (AWS: "stores ... new QoS 1 messages").
      if (stored_.Contains(match.id) && message.qos == mqtt::QoS::kAtLeastOnce &&
          match.options.max_qos == mqtt::QoS::kAtLeastOnce) {
        mqtt::ApplicationMessage queued = message;
        queued.retain = match.options.retain_as_published && message.retain;
        QueueForStoredLocked(match.id, std::move(queued));
      }
      continue;
    }
    Delivery delivery{target->sink, message, match.options.max_qos};
    // MQTT-3.3.1-12/-13: forwarded messages carry RETAIN 0 unless Retain As Published.
    delivery.message.retain = match.options.retain_as_published && message.retain;
    out.push_back(std::move(delivery));
    ++stats_.deliveries;
  }
}

void Broker::RouteEventLocked(const AccountMessage& event, std::vector<Delivery>& out) {
  mqtt::ApplicationMessage message;
  message.topic = event.topic;
  message.payload = event.payload;
  message.qos = kEventQoS;
  RouteLocked(event.account_id, message, std::nullopt, out);
}

void Broker::Dispatch(std::vector<Delivery>& deliveries) {
  for (Delivery& d : deliveries) {
    d.sink->Deliver(d.message, d.granted);
  }
}

void Broker::KickAll(const std::vector<std::shared_ptr<SessionSink>>& sinks,
                     mqtt::ServerDisconnectCause cause) {
  for (const auto& sink : sinks) {
    sink->Kick(cause);
  }
}

Attached Broker::Attach(SessionInfo info, std::shared_ptr<SessionSink> sink,
                        const mqtt::SessionEstablished& established) {
  const TimePoint at = established.at;
  std::vector<Delivery> deliveries;
  std::shared_ptr<SessionSink> taken_over;
  std::shared_ptr<SessionSink> revoked_now;
  Attached attached;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string account_id = info.account_id;
    const std::string client_id = info.client_id;
    SessionRegistry::Added added = sessions_.Add(std::move(info), std::move(sink), at);
    const SessionHandle handle = added.handle;
    attached.handle = handle;
    LiveSession& session = *sessions_.Find(handle);
    session.session_expiry_seconds = established.session_expiry_seconds;
    session.version = established.version;
    if (added.taken_over) {
      if (LiveSession* old = sessions_.Find(*added.taken_over); old != nullptr) {
        taken_over = old->sink;
        ++stats_.kicks;
      }
    }
    attached.resumed = ResumeLocked(session, handle, added.taken_over, established);
    // MQTT 5 §3.1.3.2.2: a delayed will is not sent if the client id reconnects first.
    const size_t before = pending_wills_.size();
    std::erase_if(pending_wills_, [&](const PendingWill& w) {
      return w.account_id == account_id && w.client_id == client_id;
    });
    stats_.wills_cancelled += before - pending_wills_.size();
    const LiveSession* live = sessions_.Find(handle);
    if (HasLifecycleEvents(client_id)) {
      RouteEventLocked(ConnectedEvent(Presence(*live), at), deliveries);
    }
    if (RevokedSinceLocked(live->info)) {
      revoked_now = live->sink;
      ++stats_.kicks;
      DiscardSessionsLocked({handle});
    }
  }
  if (taken_over) {
    taken_over->Kick(mqtt::ServerDisconnectCause::kSessionTakenOver);
  }
  Dispatch(deliveries);
  if (revoked_now) {
    revoked_now->Kick(mqtt::ServerDisconnectCause::kNotAuthorized);
  }
  return attached;
}

bool Broker::RevokedSinceLocked(const SessionInfo& info) const {
  if (info.revocation_epoch < forgotten_through_) {
    return true;
  }
  auto newer = [&](const std::string& key) {
    auto it = revoked_.find(key);
    return it != revoked_.end() && it->second.epoch > info.revocation_epoch;
  };
  return newer(RevocationKey('c', info.account_id, info.certificate_id)) ||
         (info.ca_certificate_id &&
          newer(RevocationKey('a', info.account_id, *info.ca_certificate_id)));
}

uint64_t Broker::RevocationEpoch() const {
  std::lock_guard<std::mutex> lock(mu_);
  return revocation_epoch_;
}

void Broker::Publish(SessionHandle from, const mqtt::ApplicationMessage& message) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const LiveSession* session = sessions_.Find(from);
    if (session == nullptr) {
      return;
    }
    if (message.topic.starts_with(kReservedPrefix)) {
      ++stats_.reserved_topic_dropped;
      return;
    }
    RouteLocked(session->info.account_id, message, from, deliveries);
  }
  Dispatch(deliveries);
}

void Broker::Subscribe(SessionHandle handle, const mqtt::SubscribeRequest& request) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    LiveSession* session = sessions_.Find(handle);
    if (session == nullptr) {
      return;
    }
    AccountRouting& routing = RoutingFor(session->info.account_id);
    const bool is_new = routing.subscriptions.Add(request.filter, handle, request.options);
    session->filters[request.filter] = request.options;
    // retain_handling 0: send retained; 1: only for a new subscription; 2: never.
    const bool send_retained =
        request.retain_handling == 0 || (request.retain_handling == 1 && is_new);
    if (send_retained) {
      for (mqtt::ApplicationMessage& retained : routing.retained.Match(request.filter)) {
        deliveries.push_back(Delivery{session->sink, std::move(retained), request.options.max_qos});
        ++stats_.deliveries;
      }
    }
  }
  Dispatch(deliveries);
}

void Broker::Unsubscribe(SessionHandle handle, const mqtt::UnsubscribeRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  LiveSession* session = sessions_.Find(handle);
  if (session == nullptr) {
    return;
  }
  RoutingFor(session->info.account_id).subscriptions.Remove(request.filter, handle);
  session->filters.erase(request.filter);
}

void Broker::PublishWill(SessionHandle handle, const mqtt::PublishWill& will, TimePoint now) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const LiveSession* session = sessions_.Find(handle);
    if (session == nullptr) {
      return;
    }
    if (will.message.topic.starts_with(kReservedPrefix)) {
      ++stats_.reserved_topic_dropped;
      return;
    }
    if (will.delay_seconds > 0) {
      pending_wills_.push_back(PendingWill{session->info.account_id, session->info.client_id,
                                           will.message,
                                           now + std::chrono::seconds(will.delay_seconds)});
      return;
    }
    ++stats_.wills_published;
    RouteLocked(session->info.account_id, will.message, std::nullopt, deliveries);
  }
  Dispatch(deliveries);
}

void Broker::Detach(SessionHandle handle, const mqtt::DisconnectRecord& record) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<LiveSession> session = sessions_.Remove(handle, record.at);
    if (!session) {
      return;
    }
    DetachPersistentLocked(*session, handle, record, deliveries);
    if (HasLifecycleEvents(session->info.client_id)) {
      RouteEventLocked(
          DisconnectedEvent(Presence(*session), record.at, record.client_initiated, record.reason),
          deliveries);
    }
  }
  Dispatch(deliveries);
}

void Broker::PublishEvent(const AccountMessage& event) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    RouteEventLocked(event, deliveries);
  }
  Dispatch(deliveries);
}

std::vector<std::string> Broker::KickLocked(const std::vector<SessionHandle>& handles,
                                            std::vector<std::shared_ptr<SessionSink>>& sinks) {
  std::vector<std::string> session_ids;
  for (SessionHandle handle : handles) {
    if (const LiveSession* session = sessions_.Find(handle); session != nullptr) {
      sinks.push_back(session->sink);
      session_ids.push_back(session->info.session_id);
      ++stats_.kicks;
    }
  }
  return session_ids;
}

std::vector<std::string> Broker::DisconnectCertificate(std::string_view account_id,
                                                       std::string_view certificate_id,
                                                       mqtt::ServerDisconnectCause cause) {
  std::vector<std::shared_ptr<SessionSink>> sinks;
  std::vector<std::string> session_ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::vector<SessionHandle> handles = sessions_.ByCertificate(account_id, certificate_id);
    session_ids = KickLocked(handles, sinks);
    if (cause == mqtt::ServerDisconnectCause::kNotAuthorized) {
      DiscardSessionsLocked(handles);
      const std::vector<StoredSession> dropped =
          stored_.TakeByCertificate(account_id, certificate_id);
      stats_.sessions_discarded += dropped.size();
      DropStoredLocked(dropped);
    }
  }
  KickAll(sinks, cause);
  return session_ids;
}

std::vector<std::string> Broker::DisconnectCa(std::string_view account_id,
                                              std::string_view ca_certificate_id,
                                              mqtt::ServerDisconnectCause cause) {
  std::vector<std::shared_ptr<SessionSink>> sinks;
  std::vector<std::string> session_ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::vector<SessionHandle> handles = sessions_.ByCa(account_id, ca_certificate_id);
    session_ids = KickLocked(handles, sinks);
    if (cause == mqtt::ServerDisconnectCause::kNotAuthorized) {
      DiscardSessionsLocked(handles);
      const std::vector<StoredSession> dropped = stored_.TakeByCa(account_id, ca_certificate_id);
      stats_.sessions_discarded += dropped.size();
      DropStoredLocked(dropped);
    }
  }
  KickAll(sinks, cause);
  return session_ids;
}

void Broker::OnStatusEvent(const registry::StatusEvent& event) {
  // Sessions exist only for ACTIVE certificates under ACTIVE CAs, so any other new status
  // (or a deletion) ends them; a registration (no old status) has no sessions to end, and an
  // event without a status change (a CA's auto-registration setting) ends none.
  if (event.new_status == "ACTIVE" || event.old_status.empty() ||
      event.old_status == event.new_status) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    const char kind = event.kind == registry::StatusEventKind::kCertificate ? 'c' : 'a';
    revoked_[RevocationKey(kind, event.account_id, event.certificate_id)] =
        Revocation{++revocation_epoch_, std::nullopt};
  }
  switch (event.kind) {
    case registry::StatusEventKind::kCertificate:
      DisconnectCertificate(event.account_id, event.certificate_id);
      break;
    case registry::StatusEventKind::kCaCertificate:
      DisconnectCa(event.account_id, event.certificate_id);
      break;
  }
}

void Broker::Tick(TimePoint now) {
  std::vector<Delivery> deliveries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<PendingWill> due;
    auto split = std::stable_partition(pending_wills_.begin(), pending_wills_.end(),
                                       [&](const PendingWill& w) { return w.due > now; });
    std::move(split, pending_wills_.end(), std::back_inserter(due));
    pending_wills_.erase(split, pending_wills_.end());
    for (const PendingWill& will : due) {
      if (sessions_.ClientIdLive(will.account_id, will.client_id)) {
        ++stats_.wills_cancelled;
        continue;
      }
      ++stats_.wills_published;
      RouteLocked(will.account_id, will.message, std::nullopt, deliveries);
    }
    sessions_.Prune(now);
    if (now - rate_window_start_ >= std::chrono::seconds(1)) {
      stored_.NewRateWindow();
      rate_window_start_ = now;
    }
    const std::vector<StoredSession> expired = stored_.TakeExpired(now);
    stats_.sessions_expired += expired.size();
    DropStoredLocked(expired);
    for (auto it = revoked_.begin(); it != revoked_.end();) {
      Revocation& r = it->second;
      if (!r.noted_at) {
        r.noted_at = now;
      }
      if (now - *r.noted_at < kRevocationMemory) {
        ++it;
        continue;
      }
      forgotten_through_ = std::max(forgotten_through_, r.epoch);
      it = revoked_.erase(it);
    }
  }
  Dispatch(deliveries);
}

std::optional<TimePoint> Broker::NextDeadline() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<TimePoint> next;
  for (const PendingWill& will : pending_wills_) {
    if (!next || will.due < *next) {
      next = will.due;
    }
  }
  return next;
}

size_t Broker::session_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

size_t Broker::stored_session_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stored_.size();
}

BrokerStats Broker::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace fg::gateway
