#include "audit/suppression_service.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "audit/audit_checks.h"
#include "audit/audit_names.h"

namespace fg::audit {
namespace {

struct SuppressionKey {
  std::string check_name;
  std::string resource_key;
};

Result<SuppressionKey> MakeKey(std::string_view check_name, const ResourceIdentifier& resource) {
  auto canonical = CanonicalCheckName(check_name);
  if (!canonical) {
    return Fail(ErrorCode::kInvalidArgument, "unknown audit check name");
  }
  auto key = ResourceKey(resource);
  if (!key) {
    return Fail(key.error());
  }
  return SuppressionKey{std::string(*canonical), std::move(*key)};
}

// The suppression's validity as a whole, after create or update.
// An expiration already stored may have passed since; only a new one must be in the future.
Result<void> ValidateSuppression(const AuditSuppression& s, std::optional<TimePoint> now) {
  if (s.suppress_indefinitely == s.expiration.has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "specify either expirationDate or suppressIndefinitely, exactly one");
  }
  if (now && s.expiration && *s.expiration <= *now) {
    return Fail(ErrorCode::kInvalidArgument, "expirationDate must be in the future");
  }
  return ValidateAuditDescription(s.description);
}

Result<AuditSuppression> Require(AuditTx& tx, std::string_view account_id,
                                 const SuppressionKey& key) {
  auto found = tx.FindSuppression(account_id, key.check_name, key.resource_key);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(ErrorCode::kNotFound,
                "no suppression for " + key.check_name + " and that resource");
  }
  return std::move(**found);
}

// A sort key whose ascending string order is the listing order: a fixed-width expiration
// (inverted when descending), then check and resource.
std::string ListKey(const AuditSuppression& s, bool ascending) {
  constexpr int64_t kIndefinite = std::numeric_limits<int64_t>::max();
  int64_t expiry = s.suppress_indefinitely || !s.expiration
                       ? kIndefinite
                       : std::max<int64_t>(0, ToEpochMillis(*s.expiration));
  if (!ascending) {
    expiry = kIndefinite - expiry;
  }
  std::string digits = std::to_string(expiry);
  std::string key(19 - std::min<size_t>(19, digits.size()), '0');
  key += digits;
  key += '|';
  key += s.check_name;
  key += '|';
  key += s.resource_key;
  return key;
}

}  // namespace

Result<AuditSuppression> SuppressionService::Create(std::string_view account_id,
                                                    const SuppressionSpec& spec) {
  auto key = MakeKey(spec.check_name, spec.resource);
  if (!key) {
    return Fail(key.error());
  }
  if (auto r = ValidateClientRequestToken(spec.client_request_token); !r) {
    return Fail(r.error());
  }
  AuditSuppression s;
  s.account_id = std::string(account_id);
  s.check_name = key->check_name;
  s.resource = spec.resource;
  s.resource_key = key->resource_key;
  s.expiration = spec.expiration;
  s.suppress_indefinitely = spec.suppress_indefinitely.value_or(false);
  s.description = spec.description;
  s.client_request_token = spec.client_request_token;
  if (auto r = ValidateSuppression(s, clock_.Now()); !r) {
    return Fail(r.error());
  }
  return TransactValue<AuditSuppression>(store_, [&](AuditTx& tx) -> Result<AuditSuppression> {
    auto existing = tx.FindSuppression(account_id, s.check_name, s.resource_key);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      if ((*existing)->client_request_token == s.client_request_token) {
        return std::move(**existing);
      }
      return Fail(ErrorCode::kAlreadyExists,
                  "a suppression for " + s.check_name + " and that resource already exists");
    }
    if (auto r = tx.InsertSuppression(s); !r) {
      return Fail(r.error());
    }
    return s;
  });
}

Result<AuditSuppression> SuppressionService::Describe(std::string_view account_id,
                                                      std::string_view check_name,
                                                      const ResourceIdentifier& resource) {
  auto key = MakeKey(check_name, resource);
  if (!key) {
    return Fail(key.error());
  }
  return TransactValue<AuditSuppression>(
      store_, [&](AuditTx& tx) { return Require(tx, account_id, *key); });
}

Result<AuditSuppression> SuppressionService::Update(std::string_view account_id,
                                                    std::string_view check_name,
                                                    const ResourceIdentifier& resource,
                                                    const SuppressionUpdate& update) {
  auto key = MakeKey(check_name, resource);
  if (!key) {
    return Fail(key.error());
  }
  const TimePoint now = clock_.Now();
  return TransactValue<AuditSuppression>(store_, [&](AuditTx& tx) -> Result<AuditSuppression> {
    auto s = Require(tx, account_id, *key);
    if (!s) {
      return Fail(s.error());
    }
    if (update.expiration && update.suppress_indefinitely.value_or(false)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "specify either expirationDate or suppressIndefinitely, not both");
    }
    if (update.expiration) {
      s->expiration = update.expiration;
      s->suppress_indefinitely = false;
    }
    if (update.suppress_indefinitely) {
      s->suppress_indefinitely = *update.suppress_indefinitely;
      if (s->suppress_indefinitely) {
        s->expiration.reset();
      }
    }
    if (update.description) {
      s->description = *update.description;
    }
    if (auto r = ValidateSuppression(*s, update.expiration ? std::optional(now) : std::nullopt);
        !r) {
      return Fail(r.error());
    }
    if (auto r = tx.UpdateSuppression(*s); !r) {
      return Fail(r.error());
    }
    return std::move(*s);
  });
}

Result<void> SuppressionService::Delete(std::string_view account_id, std::string_view check_name,
                                        const ResourceIdentifier& resource) {
  auto key = MakeKey(check_name, resource);
  if (!key) {
    return Fail(key.error());
  }
  return store_.Transact([&](AuditTx& tx) -> Result<void> {
    auto deleted = tx.DeleteSuppression(account_id, key->check_name, key->resource_key);
    if (!deleted) {
      return Fail(deleted.error());
    }
    return Ok();
  });
}

Result<Page<AuditSuppression>> SuppressionService::List(
    std::string_view account_id, const std::optional<std::string>& check_name,
    const std::optional<ResourceIdentifier>& resource, bool ascending_order,
    const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  std::optional<std::string> check;
  if (check_name) {
    auto canonical = CanonicalCheckName(*check_name);
    if (!canonical) {
      return Fail(ErrorCode::kInvalidArgument, "unknown audit check name");
    }
    check = std::string(*canonical);
  }
  std::optional<std::string> resource_key;
  if (resource) {
    auto key = ResourceKey(*resource);
    if (!key) {
      return Fail(key.error());
    }
    resource_key = std::move(*key);
  }
  auto all = TransactValue<std::vector<AuditSuppression>>(
      store_, [&](AuditTx& tx) { return tx.ListSuppressions(account_id, check, resource_key); });
  if (!all) {
    return Fail(all.error());
  }
  // An account's suppressions are operator-made and few, so they are ordered in memory.
  std::vector<std::pair<std::string, AuditSuppression>> keyed;
  keyed.reserve(all->size());
  for (AuditSuppression& s : *all) {
    std::string k = ListKey(s, ascending_order);
    keyed.emplace_back(std::move(k), std::move(s));
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto paged = registry::PaginateByName(std::move(keyed), page,
                                        [](const auto& entry) { return entry.first; });
  if (!paged) {
    return Fail(paged.error());
  }
  Page<AuditSuppression> out;
  out.next_cursor = std::move(paged->next_cursor);
  for (auto& entry : paged->items) {
    out.items.push_back(std::move(entry.second));
  }
  return out;
}

}  // namespace fg::audit
