#pragma once

// In-process notification of certificate and CA status changes, registrations and deletions.
// The gateway subscribes to drop live sessions of a certificate that stopped being ACTIVE (or
// whose CA did); caches subscribe to invalidate. Services publish only after the transaction
// that made the change has committed, never from inside it.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fg::registry {

enum class StatusEventKind { kCertificate, kCaCertificate };

struct StatusEvent {
  StatusEventKind kind = StatusEventKind::kCertificate;
  std::string account_id;
  std::string certificate_id;  // the device certificate's or the CA certificate's id
  // AWS wire names (CertificateStatus or CACertificateStatus). A registration (RegisterCertificate,
  // CreateKeysAndCertificate, RegisterCACertificate, ...) has an empty old_status; a deletion an
  // empty new_status. A transfer is status changes in both accounts. A CA whose auto-registration
  // setting changed publishes an event with old_status == new_status.
  std::string old_status;
  std::string new_status;

  bool operator==(const StatusEvent&) const = default;
};

// Thread-safe. Handlers run synchronously on the publishing thread (a service call, so never
// an I/O thread) and must be quick: post work elsewhere rather than block. A handler may call
// Subscribe or Unsubscribe, including for itself. Once Unsubscribe returns, the handler is not
// running on another thread and will not be called again.
class StatusEventPublisher {
 public:
  using Handler = std::function<void(const StatusEvent&)>;
  using SubscriptionId = uint64_t;

  SubscriptionId Subscribe(Handler handler);
  // Unknown ids are ignored.
  void Unsubscribe(SubscriptionId id);
  void Publish(const StatusEvent& event) const;

 private:
  struct Subscriber {
    SubscriptionId id = 0;
    Handler handler;
    // Held while the handler runs; recursive so that a handler may unsubscribe itself.
    std::recursive_mutex running;
    bool active = true;  // guarded by running
  };

  mutable std::mutex mu_;
  SubscriptionId next_id_ = 1;                            // guarded by mu_
  std::vector<std::shared_ptr<Subscriber>> subscribers_;  // guarded by mu_
};

}  // namespace fg::registry
