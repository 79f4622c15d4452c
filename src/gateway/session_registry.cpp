#include "gateway/session_registry.h"

#include <algorithm>
#include <utility>

namespace fg::gateway {

SessionRegistry::Added SessionRegistry::Add(SessionInfo info, std::shared_ptr<SessionSink> sink,
                                            TimePoint at) {
  Added added;
  added.handle = next_handle_++;
  AccountIndex& index = accounts_[info.account_id];
  auto [it, fresh] = index.clients.try_emplace(info.client_id);
  ClientHistory& history = it->second;
  if (fresh) {
    history.version_number = 0;
  } else if (history.live) {
    added.taken_over = history.live;
    ++history.version_number;
  } else if (at - history.offline_since > kVersionMemory) {
    history.version_number = 0;
  } else {
    ++history.version_number;
  }
  history.live = added.handle;
  added.version_number = history.version_number;
  index.by_certificate[info.certificate_id].insert(added.handle);
  sessions_.emplace(added.handle,
                    LiveSession{std::move(info), std::move(sink), added.version_number, {}});
  return added;
}

LiveSession* SessionRegistry::Find(SessionHandle handle) {
  auto it = sessions_.find(handle);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::optional<LiveSession> SessionRegistry::Remove(SessionHandle handle, TimePoint at) {
  auto it = sessions_.find(handle);
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  LiveSession session = std::move(it->second);
  sessions_.erase(it);
  auto account = accounts_.find(session.info.account_id);
  if (account != accounts_.end()) {
    AccountIndex& index = account->second;
    if (auto client = index.clients.find(session.info.client_id);
        client != index.clients.end() && client->second.live == handle) {
      client->second.live.reset();
      client->second.offline_since = at;
    }
    if (auto cert = index.by_certificate.find(session.info.certificate_id);
        cert != index.by_certificate.end()) {
      cert->second.erase(handle);
      if (cert->second.empty()) {
        index.by_certificate.erase(cert);
      }
    }
  }
  return session;
}

std::vector<SessionHandle> SessionRegistry::ByCertificate(std::string_view account_id,
                                                          std::string_view certificate_id) const {
  std::vector<SessionHandle> out;
  auto account = accounts_.find(std::string(account_id));
  if (account == accounts_.end()) {
    return out;
  }
  auto cert = account->second.by_certificate.find(std::string(certificate_id));
  if (cert != account->second.by_certificate.end()) {
    out.assign(cert->second.begin(), cert->second.end());
    std::sort(out.begin(), out.end());
  }
  return out;
}

std::vector<SessionHandle> SessionRegistry::ByCa(std::string_view account_id,
                                                 std::string_view ca_id) const {
  // Linear: CA status changes are rare and this keeps no second index.
  std::vector<SessionHandle> out;
  for (const auto& [handle, session] : sessions_) {
    if (session.info.account_id == account_id && session.info.ca_certificate_id == ca_id) {
      out.push_back(handle);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool SessionRegistry::ClientIdLive(std::string_view account_id, std::string_view client_id) const {
  auto account = accounts_.find(std::string(account_id));
  if (account == accounts_.end()) {
    return false;
  }
  auto client = account->second.clients.find(std::string(client_id));
  return client != account->second.clients.end() && client->second.live.has_value();
}

void SessionRegistry::Prune(TimePoint now) {
  for (auto account = accounts_.begin(); account != accounts_.end();) {
    auto& clients = account->second.clients;
    std::erase_if(clients, [&](const auto& entry) {
      return !entry.second.live && now - entry.second.offline_since > kVersionMemory;
    });
    if (clients.empty() && account->second.by_certificate.empty()) {
      account = accounts_.erase(account);
    } else {
      ++account;
    }
  }
}

}  // namespace fg::gateway
