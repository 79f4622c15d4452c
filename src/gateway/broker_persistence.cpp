// Broker's persistent sessions: resuming at Attach, storing at Detach, queueing while the
// client is away, and dropping (the behaviour is listed in broker.h). Split from broker.cpp,
// which routes messages between live sessions.

#include <algorithm>
#include <utility>

#include "gateway/broker.h"

namespace fg::gateway {
namespace {

mqtt::ApplicationMessage ToMessage(mqtt::PublishPacket packet) {
  return mqtt::ApplicationMessage{std::move(packet.topic), std::move(packet.payload), packet.qos,
                                  packet.retain, std::move(packet.properties)};
}

}  // namespace

void Broker::MoveSubscriptionsLocked(
    AccountRouting& routing, SessionHandle from,
    const std::vector<std::pair<std::string, mqtt::SubscriptionOptions>>& subscriptions,
    LiveSession& to, SessionHandle to_handle) {
  for (const auto& [filter, options] : subscriptions) {
    routing.subscriptions.Remove(filter, from);
    routing.subscriptions.Add(filter, to_handle, options);
    to.filters[filter] = options;
  }
}

std::optional<mqtt::SessionState> Broker::ResumeLocked(
    LiveSession& session, SessionHandle handle, std::optional<SessionHandle> taken_over,
    const mqtt::SessionEstablished& established) {
  AccountRouting& routing = RoutingFor(session.info.account_id);
  std::optional<mqtt::SessionState> resumed;
  if (taken_over) {
    LiveSession* old = sessions_.Find(*taken_over);
    const bool hand_over = old != nullptr && !established.clean_start &&
                           old->session_expiry_seconds > 0 && old->version == established.version &&
                           !handovers_.count(*taken_over);
    if (hand_over) {
      mqtt::SessionState state;
      state.version = established.version;
      state.expiry_seconds = established.session_expiry_seconds;
      state.subscriptions.assign(old->filters.begin(), old->filters.end());
      std::sort(state.subscriptions.begin(), state.subscriptions.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      MoveSubscriptionsLocked(routing, *taken_over, state.subscriptions, session, handle);
      old->filters.clear();
      handovers_[*taken_over] = handle;
      ++stats_.sessions_resumed;
      resumed = std::move(state);
    } else if (old != nullptr) {
      if (old->session_expiry_seconds > 0 && !handovers_.count(*taken_over)) {
        ++stats_.sessions_discarded;
      }
      handovers_[*taken_over] = 0;
    }
  }
  std::optional<StoredSession> stored =
      stored_.Take(session.info.account_id, session.info.client_id);
  if (!stored) {
    return resumed;
  }
  const bool expired = stored->expires_at <= established.at;
  if (resumed || established.clean_start || expired ||
      stored->state.version != established.version) {
    // MQTT-3.1.2-4 (Clean Start discards the session); AWS: no resumption across versions.
    ++(expired ? stats_.sessions_expired : stats_.sessions_discarded);
    DropStoredLocked({*stored});
    return resumed;
  }
  MoveSubscriptionsLocked(routing, stored->id, stored->state.subscriptions, session, handle);
  stored->state.expiry_seconds = established.session_expiry_seconds;
  ++stats_.sessions_resumed;
  return std::move(stored->state);
}

void Broker::DetachPersistentLocked(LiveSession& session, SessionHandle handle,
                                    const mqtt::DisconnectRecord& record,
                                    std::vector<Delivery>& out) {
  AccountRouting& routing = RoutingFor(session.info.account_id);
  auto handover = handovers_.find(handle);
  const bool keep = handover == handovers_.end() && record.persisted &&
                    !sessions_.ClientIdLive(session.info.account_id, session.info.client_id);
  if (keep) {
    StoredSession stored{handle,
                         session.info.account_id,
                         session.info.client_id,
                         session.info.certificate_id,
                         session.info.ca_certificate_id,
                         *record.persisted,
                         record.at + std::chrono::seconds(record.persisted->expiry_seconds)};
    if (stored_.Put(std::move(stored))) {
      ++stats_.sessions_stored;
      return;  // its subscriptions stay in the table, now queueing for it
    }
    ++stats_.sessions_not_stored;
  }
  for (const auto& [filter, options] : session.filters) {
    routing.subscriptions.Remove(filter, handle);
  }
  if (handover == handovers_.end()) {
    return;
  }
  const SessionHandle to = handover->second;
  handovers_.erase(handover);
  if (to == 0 || !record.persisted) {
    return;
  }
  // The new connection already has the subscriptions; what the old one had not delivered
  // follows, as new QoS 1 deliveries (possibly duplicates, as QoS 1 allows).
  std::vector<mqtt::ApplicationMessage> messages;
  for (const mqtt::PublishPacket& p : record.persisted->unacknowledged) {
    messages.push_back(ToMessage(p));
  }
  messages.insert(messages.end(), record.persisted->pending.begin(),
                  record.persisted->pending.end());
  LiveSession* target = sessions_.Find(to);
  for (mqtt::ApplicationMessage& message : messages) {
    if (target != nullptr) {
      out.push_back(Delivery{target->sink, std::move(message), mqtt::QoS::kAtLeastOnce});
      ++stats_.deliveries;
    } else if (stored_.Contains(to)) {
      QueueForStoredLocked(to, std::move(message));
    }
  }
}

void Broker::QueueForStoredLocked(SessionHandle id, mqtt::ApplicationMessage message) {
  if (stored_.Enqueue(id, std::move(message)) == QueueOutcome::kQueued) {
    ++stats_.stored_messages_queued;
  } else {
    ++stats_.stored_messages_dropped;
  }
}

void Broker::DropStoredLocked(const std::vector<StoredSession>& sessions) {
  for (const StoredSession& s : sessions) {
    AccountRouting& routing = RoutingFor(s.account_id);
    for (const auto& [filter, options] : s.state.subscriptions) {
      routing.subscriptions.Remove(filter, s.id);
    }
  }
}

void Broker::DiscardSessionsLocked(const std::vector<SessionHandle>& handles) {
  for (SessionHandle handle : handles) {
    const LiveSession* session = sessions_.Find(handle);
    if (session == nullptr) {
      continue;
    }
    auto [it, fresh] = handovers_.try_emplace(handle, 0);
    if (!fresh && it->second == 0) {
      continue;  // already discarded
    }
    it->second = 0;
    if (session->session_expiry_seconds > 0) {
      ++stats_.sessions_discarded;
    }
  }
}

}  // namespace fg::gateway
