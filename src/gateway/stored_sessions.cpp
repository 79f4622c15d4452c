#include "gateway/stored_sessions.h"

#include <iterator>
#include <utility>

namespace fg::gateway {

std::string StoredSessions::Key(std::string_view account_id, std::string_view client_id) {
  // Account ids are 12 digits, so the separator cannot be part of one.
  std::string key(account_id);
  key.append("\n").append(client_id);
  return key;
}

bool StoredSessions::Put(StoredSession session) {
  if (sessions_.size() >= limits_.max_sessions) {
    return false;
  }
  const SessionHandle id = session.id;
  Entry entry;
  entry.bytes = session.state.PayloadBytes();
  entry.messages = session.state.unacknowledged.size() + session.state.pending.size();
  entry.expiry = by_expiry_.emplace(session.expires_at, id);
  by_client_[Key(session.account_id, session.client_id)] = id;
  entry.session = std::move(session);
  sessions_.emplace(id, std::move(entry));
  return true;
}

StoredSession StoredSessions::Erase(std::unordered_map<SessionHandle, Entry>::iterator it) {
  Entry entry = std::move(it->second);
  sessions_.erase(it);
  by_expiry_.erase(entry.expiry);
  by_client_.erase(Key(entry.session.account_id, entry.session.client_id));
  return std::move(entry.session);
}

std::optional<StoredSession> StoredSessions::Take(std::string_view account_id,
                                                  std::string_view client_id) {
  auto key = by_client_.find(Key(account_id, client_id));
  if (key == by_client_.end()) {
    return std::nullopt;
  }
  return TakeById(key->second);
}

std::optional<StoredSession> StoredSessions::TakeById(SessionHandle id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  return Erase(it);
}

QueueOutcome StoredSessions::Enqueue(SessionHandle id, mqtt::ApplicationMessage message) {
  Entry& entry = sessions_.at(id);
  if (entry.messages >= limits_.max_messages_per_session ||
      entry.bytes + message.payload.size() > limits_.max_bytes_per_session) {
    return QueueOutcome::kSessionFull;
  }
  size_t& queued = queued_in_window_[entry.session.account_id];
  if (queued >= limits_.queued_per_second_per_account) {
    return QueueOutcome::kAccountRate;
  }
  ++queued;
  ++entry.messages;
  entry.bytes += message.payload.size();
  entry.session.state.pending.push_back(std::move(message));
  return QueueOutcome::kQueued;
}

std::vector<StoredSession> StoredSessions::TakeExpired(TimePoint now) {
  std::vector<StoredSession> out;
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    out.push_back(Erase(sessions_.find(by_expiry_.begin()->second)));
  }
  return out;
}

template <typename Pred>
std::vector<StoredSession> StoredSessions::TakeIf(Pred pred) {
  // Linear: certificate and CA status changes are rare, and this keeps no second index.
  std::vector<StoredSession> out;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto next = std::next(it);
    if (pred(it->second.session)) {
      out.push_back(Erase(it));
    }
    it = next;
  }
  return out;
}

std::vector<StoredSession> StoredSessions::TakeByCertificate(std::string_view account_id,
                                                             std::string_view certificate_id) {
  return TakeIf([&](const StoredSession& s) {
    return s.account_id == account_id && s.certificate_id == certificate_id;
  });
}

std::vector<StoredSession> StoredSessions::TakeByCa(std::string_view account_id,
                                                    std::string_view ca_id) {
  return TakeIf([&](const StoredSession& s) {
    return s.account_id == account_id && s.ca_certificate_id == ca_id;
  });
}

}  // namespace fg::gateway
