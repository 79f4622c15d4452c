#pragma once

// The gateway's in-memory view of the registry for authentication, so that the TLS hot path
// does not hit the database: endpoint prefix -> account, certificate id -> its registrations
// in every account, (account, CA id) -> CA, and (account, issuer) -> CAs for just-in-time
// registration; and which certificates' chains already verified against which CA, so that a
// reconnect skips the signature check.
//
// Filled from the RegistryStore on a miss; invalidated by the registry's StatusEvents (a
// certificate's entry when its status changes or it is registered or deleted, an account's CA
// entries when a CA's status or auto-registration setting changes or it is registered or
// deleted); bounded by LRU
// eviction; and aged out after a TTL, because some registry changes publish no event here
// (another node's writes, a store changed under the services): positive entries live
// `positive_ttl`, "not found" entries `negative_ttl`. A load that
// raced with an invalidation is returned to its caller but not cached.
//
// Thread-safe. Lookups in FetchMode::kCachedOnly never block (one mutex, held briefly, no I/O).
// FetchMode::kLoadOnMiss may run a store transaction: call it from the worker pool, never from
// an I/O thread. `store`, `events` and `clock` must outlive the cache.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "gateway/lru_map.h"
#include "pki/certificate.h"
#include "registry/account.h"
#include "registry/ca_certificate_record.h"
#include "registry/enums.h"
#include "registry/registry_store.h"
#include "registry/status_events.h"

namespace fg::gateway {

// What authentication needs of one registration (not the PEM, to keep entries small).
struct CertificateRegistration {
  std::string account_id;
  registry::CertificateStatus status = registry::CertificateStatus::kInactive;
  registry::CertificateMode mode = registry::CertificateMode::kDefault;
  std::optional<std::string> ca_certificate_id;
  TimePoint creation_date;

  bool operator==(const CertificateRegistration&) const = default;
};

// A certificate's registrations in every account, ordered by account id; empty if none.
using Registrations = std::vector<CertificateRegistration>;

// A registered CA with its parsed certificate (for chain verification).
struct CachedCa {
  registry::CaCertificateRecord record;
  pki::Certificate cert;
};

enum class FetchMode : uint8_t {
  kLoadOnMiss,  // read the store on a miss (blocking)
  kCachedOnly,  // report a miss instead
};

// nullopt: not cached (kCachedOnly only). Otherwise the value, or the store's error.
template <typename T>
using Lookup = std::optional<Result<T>>;

struct IdentityCacheOptions {
  size_t max_accounts = 10'000;
  size_t max_certificates = 200'000;
  size_t max_cas = 10'000;  // for each of the two CA maps
  std::chrono::milliseconds positive_ttl{std::chrono::minutes(5)};
  std::chrono::milliseconds negative_ttl{std::chrono::seconds(5)};
};

struct IdentityCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;       // includes kCachedOnly misses
  uint64_t store_reads = 0;  // transactions run on misses
  uint64_t invalidations = 0;
  uint64_t verified_chain_hits = 0;  // signature checks skipped by ChainVerified
};

class IdentityCache {
 public:
  // Subscribes to `events` until destruction.
  IdentityCache(registry::RegistryStore& store, registry::StatusEventPublisher& events,
                const Clock& clock, IdentityCacheOptions options = {});
  ~IdentityCache();
  IdentityCache(const IdentityCache&) = delete;
  IdentityCache& operator=(const IdentityCache&) = delete;

  // The account whose endpoint prefix is `prefix` (lowercase); nullptr if none.
  Lookup<std::shared_ptr<const registry::Account>> AccountByPrefix(std::string_view prefix,
                                                                   FetchMode mode);
  // Never nullptr; an empty vector if the certificate is registered nowhere.
  Lookup<std::shared_ptr<const Registrations>> RegistrationsOf(std::string_view certificate_id,
                                                               FetchMode mode);
  // nullptr if the account has no such CA. kCorrupt if the stored PEM does not parse.
  Lookup<std::shared_ptr<const CachedCa>> Ca(std::string_view account_id,
                                             std::string_view ca_certificate_id, FetchMode mode);
  // The account's CAs whose subject is `subject` (candidates to have signed a certificate with
  // that issuer); never nullptr.
  Lookup<std::shared_ptr<const std::vector<CachedCa>>> CasBySubject(std::string_view account_id,
                                                                    std::string_view subject,
                                                                    FetchMode mode);

  // True if RememberVerifiedChain recorded that the certificate `certificate_id` verifies against
  // the CA `ca_certificate_id` and `at` lies in the window it gave. Never blocks. Both ids are
  // hashes of the DER, so the answer is a fact about those two certificates; it is still dropped
  // with every status event of the certificate (including registration and deletion) and with
  // every CA status event (all entries: CA events are rare, and each device then pays one
  // verification again).
  bool ChainVerified(std::string_view certificate_id, std::string_view ca_certificate_id,
                     TimePoint at);
  // Records a successful pki::VerifyChain of the certificate against the CA, good from
  // `valid_from` to `valid_until` (the overlap of both certificates' validity periods).
  void RememberVerifiedChain(std::string_view certificate_id, std::string_view ca_certificate_id,
                             TimePoint valid_from, TimePoint valid_until);

  // What the StatusEvent subscription does; public for callers that learn of changes another
  // way (another node's notification channel).
  void OnStatusEvent(const registry::StatusEvent& event);
  // Drops the certificate's entry (after the gateway itself registered it, for JITR).
  void InvalidateCertificate(std::string_view certificate_id);
  void Clear();

  IdentityCacheStats stats() const;

 private:
  template <typename V>
  struct Entry {
    V value;
    TimePoint expires;
  };

  template <typename V, typename LoadFn, typename NegativeFn>
  Lookup<V> GetOrLoad(LruMap<Entry<V>>& map, const std::string& key, FetchMode mode, LoadFn&& load,
                      NegativeFn&& is_negative);

  registry::RegistryStore& store_;
  registry::StatusEventPublisher& events_;
  const Clock& clock_;
  const IdentityCacheOptions options_;
  registry::StatusEventPublisher::SubscriptionId subscription_ = 0;

  mutable std::mutex mu_;
  // Bumped by every invalidation; a load that started under an older epoch is not cached.
  uint64_t epoch_ = 0;                                                 // guarded by mu_
  LruMap<Entry<std::shared_ptr<const registry::Account>>> accounts_;   // guarded by mu_
  LruMap<Entry<std::shared_ptr<const Registrations>>> registrations_;  // guarded by mu_
  // Key "<account>/<ca id>".
  LruMap<Entry<std::shared_ptr<const CachedCa>>> cas_;  // guarded by mu_
  // Key "<account>\n<subject>".
  LruMap<Entry<std::shared_ptr<const std::vector<CachedCa>>>> cas_by_subject_;  // guarded by mu_
  struct VerifiedChain {
    std::string ca_certificate_id;
    TimePoint valid_from;
    TimePoint valid_until;
  };
  // Key: the certificate id.
  LruMap<VerifiedChain> verified_chains_;  // guarded by mu_
  IdentityCacheStats stats_;               // guarded by mu_
};

}  // namespace fg::gateway
