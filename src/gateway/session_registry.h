#pragma once

// Who is connected: the live sessions of every account, by client id (for takeover) and by
// certificate (for disconnecting a certificate that left ACTIVE), plus the per-client-id
// versionNumber of AWS's lifecycle events. Bookkeeping only: it decides takeovers but calls
// no sink; the Broker acts on what it returns.
//
// Not thread-safe: the Broker owns one and guards it with its mutex.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "gateway/session_sink.h"
#include "mqtt/subscription_table.h"

namespace fg::gateway {

// The broker's id for a live session; also its SubscriberId in the subscription tables.
using SessionHandle = mqtt::SubscriberId;

// What the connection knows once CONNACK was sent.
struct SessionInfo {
  std::string account_id;
  std::string certificate_id;
  std::optional<std::string> ca_certificate_id;
  std::string client_id;
  std::string session_id;  // UUID: sessionIdentifier and the connection-log key
  std::string source_ip;
  uint16_t source_port = 0;
  // Broker::RevocationEpoch(), read before the connection was authenticated: a status change
  // between authentication and Attach is then still caught.
  uint64_t revocation_epoch = 0;
};

struct LiveSession {
  SessionInfo info;
  std::shared_ptr<SessionSink> sink;
  int64_t version_number = 0;
  // Subscribed filters: for cleanup at detach, and for handing a persistent session over.
  std::unordered_map<std::string, mqtt::SubscriptionOptions> filters;
  // From the CONNECT (mqtt::SessionEstablished): 0 for a clean session.
  uint32_t session_expiry_seconds = 0;
  mqtt::ProtocolVersion version = mqtt::ProtocolVersion::kV311;
};

class SessionRegistry {
 public:
  // AWS resets versionNumber after about an hour offline.
  static constexpr std::chrono::hours kVersionMemory{1};

  struct Added {
    SessionHandle handle = 0;
    int64_t version_number = 0;
    // The older live session with the same client id in the account, now no longer the
    // holder of the client id; the caller kicks it (it stays registered until Remove).
    std::optional<SessionHandle> taken_over;
  };

  Added Add(SessionInfo info, std::shared_ptr<SessionSink> sink, TimePoint at);

  // nullptr if unknown (never added, or removed).
  LiveSession* Find(SessionHandle handle);

  // Removes the session; nullopt if unknown. If it still held its client id, the client id
  // becomes free and its version is remembered as of `at`.
  std::optional<LiveSession> Remove(SessionHandle handle, TimePoint at);

  // Live sessions of the certificate / of certificates verified against the CA, in the account.
  std::vector<SessionHandle> ByCertificate(std::string_view account_id,
                                           std::string_view certificate_id) const;
  std::vector<SessionHandle> ByCa(std::string_view account_id, std::string_view ca_id) const;

  // True if a live session holds `client_id` in the account.
  bool ClientIdLive(std::string_view account_id, std::string_view client_id) const;

  // Forgets versions of client ids offline longer than kVersionMemory.
  void Prune(TimePoint now);

  size_t size() const { return sessions_.size(); }

 private:
  struct ClientHistory {
    int64_t version_number = 0;
    std::optional<SessionHandle> live;  // the session holding the client id
    TimePoint offline_since;            // meaningful when !live
  };
  struct AccountIndex {
    std::unordered_map<std::string, ClientHistory> clients;
    std::unordered_map<std::string, std::unordered_set<SessionHandle>> by_certificate;
  };

  SessionHandle next_handle_ = 1;
  std::unordered_map<SessionHandle, LiveSession> sessions_;
  std::unordered_map<std::string, AccountIndex> accounts_;
};

}  // namespace fg::gateway
