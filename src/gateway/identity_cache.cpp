#include "gateway/identity_cache.h"

#include <utility>

#include "registry/transact.h"

namespace fg::gateway {
namespace {

std::string CaKey(std::string_view account_id, std::string_view ca_id) {
  std::string key(account_id);
  key.push_back('/');
  key.append(ca_id);
  return key;
}

// Account ids are digits, so "<account>\n" cannot be a prefix of another account's keys.
std::string SubjectKeyPrefix(std::string_view account_id) {
  std::string key(account_id);
  key.push_back('\n');
  return key;
}

Result<CachedCa> ParseCa(registry::CaCertificateRecord record) {
  auto cert = pki::Certificate::FromPem(record.pem);
  if (!cert) {
    return Fail(ErrorCode::kCorrupt,
                "stored CA certificate " + record.certificate_id + " does not parse");
  }
  // The PEM is not needed once parsed; dropping it keeps entries small.
  record.pem.clear();
  return CachedCa{std::move(record), std::move(*cert)};
}

}  // namespace

IdentityCache::IdentityCache(registry::RegistryStore& store, registry::StatusEventPublisher& events,
                             const Clock& clock, IdentityCacheOptions options)
    : store_(store),
      events_(events),
      clock_(clock),
      options_(options),
      accounts_(options.max_accounts),
      registrations_(options.max_certificates),
      cas_(options.max_cas),
      cas_by_subject_(options.max_cas),
      verified_chains_(options.max_certificates) {
  subscription_ =
      events_.Subscribe([this](const registry::StatusEvent& event) { OnStatusEvent(event); });
}

IdentityCache::~IdentityCache() { events_.Unsubscribe(subscription_); }

template <typename V, typename LoadFn, typename NegativeFn>
Lookup<V> IdentityCache::GetOrLoad(LruMap<Entry<V>>& map, const std::string& key, FetchMode mode,
                                   LoadFn&& load, NegativeFn&& is_negative) {
  uint64_t epoch = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Entry<V>* entry = map.Find(key); entry != nullptr) {
      if (clock_.Now() <= entry->expires) {
        ++stats_.hits;
        return Result<V>(entry->value);
      }
      map.Erase(key);
    }
    ++stats_.misses;
    if (mode == FetchMode::kCachedOnly) {
      return std::nullopt;
    }
    ++stats_.store_reads;
    epoch = epoch_;
  }
  // The store read runs outside mu_ so that cached lookups on I/O threads never wait for it.
  Result<V> loaded = load();
  if (!loaded) {
    return loaded;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (epoch == epoch_) {
    const auto ttl = is_negative(*loaded) ? options_.negative_ttl : options_.positive_ttl;
    map.Put(key, Entry<V>{*loaded, clock_.Now() + ttl});
  }
  return loaded;
}

Lookup<std::shared_ptr<const registry::Account>> IdentityCache::AccountByPrefix(
    std::string_view prefix, FetchMode mode) {
  using V = std::shared_ptr<const registry::Account>;
  return GetOrLoad<V>(
      accounts_, std::string(prefix), mode,
      [&]() -> Result<V> {
        auto found = registry::TransactValue<std::optional<registry::Account>>(
            store_,
            [&](registry::RegistryTx& tx) { return tx.FindAccountByEndpointPrefix(prefix); });
        if (!found) {
          return Fail(found.error());
        }
        if (!*found) {
          return V();
        }
        return std::make_shared<const registry::Account>(std::move(**found));
      },
      [](const V& v) { return v == nullptr; });
}

Lookup<std::shared_ptr<const Registrations>> IdentityCache::RegistrationsOf(
    std::string_view certificate_id, FetchMode mode) {
  using V = std::shared_ptr<const Registrations>;
  return GetOrLoad<V>(
      registrations_, std::string(certificate_id), mode,
      [&]() -> Result<V> {
        auto records = registry::TransactValue<std::vector<registry::CertificateRecord>>(
            store_, [&](registry::RegistryTx& tx) {
              return tx.FindCertificateInAllAccounts(certificate_id);
            });
        if (!records) {
          return Fail(records.error());
        }
        Registrations out;
        out.reserve(records->size());
        for (registry::CertificateRecord& r : *records) {
          out.push_back(CertificateRegistration{std::move(r.account_id), r.status, r.mode,
                                                std::move(r.ca_certificate_id), r.creation_date});
        }
        return std::make_shared<const Registrations>(std::move(out));
      },
      [](const V& v) { return v->empty(); });
}

Lookup<std::shared_ptr<const CachedCa>> IdentityCache::Ca(std::string_view account_id,
                                                          std::string_view ca_certificate_id,
                                                          FetchMode mode) {
  using V = std::shared_ptr<const CachedCa>;
  return GetOrLoad<V>(
      cas_, CaKey(account_id, ca_certificate_id), mode,
      [&]() -> Result<V> {
        auto found = registry::TransactValue<std::optional<registry::CaCertificateRecord>>(
            store_, [&](registry::RegistryTx& tx) {
              return tx.FindCaCertificate(account_id, ca_certificate_id);
            });
        if (!found) {
          return Fail(found.error());
        }
        if (!*found) {
          return V();
        }
        auto ca = ParseCa(std::move(**found));
        if (!ca) {
          return Fail(ca.error());
        }
        return std::make_shared<const CachedCa>(std::move(*ca));
      },
      [](const V& v) { return v == nullptr; });
}

Lookup<std::shared_ptr<const std::vector<CachedCa>>> IdentityCache::CasBySubject(
    std::string_view account_id, std::string_view subject, FetchMode mode) {
  using V = std::shared_ptr<const std::vector<CachedCa>>;
  return GetOrLoad<V>(
      cas_by_subject_, SubjectKeyPrefix(account_id).append(subject), mode,
      [&]() -> Result<V> {
        auto records = registry::TransactValue<std::vector<registry::CaCertificateRecord>>(
            store_, [&](registry::RegistryTx& tx) {
              return tx.FindCaCertificatesBySubject(account_id, subject);
            });
        if (!records) {
          return Fail(records.error());
        }
        std::vector<CachedCa> out;
        for (registry::CaCertificateRecord& record : *records) {
          auto ca = ParseCa(std::move(record));
          if (!ca) {
            return Fail(ca.error());
          }
          out.push_back(std::move(*ca));
        }
        return std::make_shared<const std::vector<CachedCa>>(std::move(out));
      },
      [](const V& v) { return v->empty(); });
}

bool IdentityCache::ChainVerified(std::string_view certificate_id,
                                  std::string_view ca_certificate_id, TimePoint at) {
  std::lock_guard<std::mutex> lock(mu_);
  const VerifiedChain* entry = verified_chains_.Find(std::string(certificate_id));
  if (entry == nullptr || entry->ca_certificate_id != ca_certificate_id || at < entry->valid_from ||
      at > entry->valid_until) {
    return false;
  }
  ++stats_.verified_chain_hits;
  return true;
}

void IdentityCache::RememberVerifiedChain(std::string_view certificate_id,
                                          std::string_view ca_certificate_id, TimePoint valid_from,
                                          TimePoint valid_until) {
  // No epoch check as for the other maps: a verification racing with an invalidation is still
  // true of the two certificates, and status is judged on every connect regardless.
  std::lock_guard<std::mutex> lock(mu_);
  verified_chains_.Put(std::string(certificate_id),
                       VerifiedChain{std::string(ca_certificate_id), valid_from, valid_until});
}

void IdentityCache::OnStatusEvent(const registry::StatusEvent& event) {
  std::lock_guard<std::mutex> lock(mu_);
  ++epoch_;
  ++stats_.invalidations;
  switch (event.kind) {
    case registry::StatusEventKind::kCertificate:
      registrations_.Erase(event.certificate_id);
      verified_chains_.Erase(event.certificate_id);
      break;
    case registry::StatusEventKind::kCaCertificate:
      cas_.Erase(CaKey(event.account_id, event.certificate_id));
      cas_by_subject_.EraseWithPrefix(SubjectKeyPrefix(event.account_id));
      verified_chains_.Clear();
      break;
  }
}

void IdentityCache::InvalidateCertificate(std::string_view certificate_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++epoch_;
  ++stats_.invalidations;
  registrations_.Erase(std::string(certificate_id));
  verified_chains_.Erase(std::string(certificate_id));
}

void IdentityCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  ++epoch_;
  ++stats_.invalidations;
  accounts_.Clear();
  registrations_.Clear();
  cas_.Clear();
  cas_by_subject_.Clear();
  verified_chains_.Clear();
}

IdentityCacheStats IdentityCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace fg::gateway
