#pragma once

// The storage seam of the registry. Services (the only place rules live) run every
// read-check-write sequence inside one RegistryStore::Transact call, so two concurrent
// requests can never both pass a check that only one of them may pass. Implementations:
// store/sqlite (SqliteStore) and, later, PostgreSQL; tests/unit/store holds the contract
// suite that every implementation must pass.
//
// Conventions for every RegistryTx method:
// - Find* returns nullopt when the row does not exist; an Error means the store failed
//   (kUnavailable, kCorrupt, kInternal), never "not found".
// - Insert* returns kAlreadyExists when the key is taken (and for an endpoint prefix already
//   in use); Update* returns kNotFound when the row is missing; Delete* returns whether a row
//   was deleted.
// - Insert/Update of a row that references a missing parent (an account, a thing, a group, a
//   certificate, a CA certificate) returns kNotFound; Delete* of a row that others still
//   reference (a CA with certificates, a certificate attached to a thing, a group with
//   children) returns kDeleteConflict. Deleting a thing removes its principal attachments and
//   group memberships; deleting a thing group removes its memberships.
// - Store implementations hold no rules: they do not check statuses, limits or ownership.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/account.h"
#include "registry/ca_certificate_record.h"
#include "registry/certificate_record.h"
#include "registry/page.h"
#include "registry/thing.h"
#include "registry/thing_group.h"

namespace fg::registry {

// One open transaction. Valid only inside the RegistryStore::Transact callback that received
// it; not thread-safe (it is used by the one thread running that callback).
class RegistryTx {
 public:
  virtual ~RegistryTx() = default;

  // Accounts, ordered by id.
  virtual Result<void> InsertAccount(const Account& account) = 0;
  virtual Result<std::optional<Account>> FindAccount(std::string_view account_id) = 0;
  virtual Result<std::optional<Account>> FindAccountByEndpointPrefix(std::string_view prefix) = 0;
  virtual Result<Page<Account>> ListAccounts(const PageRequest& page) = 0;

  // Access keys.
  virtual Result<void> InsertAccessKey(const AccessKey& key) = 0;
  virtual Result<void> UpdateAccessKey(const AccessKey& key) = 0;
  virtual Result<std::optional<AccessKey>> FindAccessKey(std::string_view access_key_id) = 0;
  virtual Result<std::vector<AccessKey>> ListAccessKeys(std::string_view account_id) = 0;

  // CA registration codes: at most one per account; Put replaces.
  virtual Result<void> PutRegistrationCode(std::string_view account_id, std::string_view code) = 0;
  virtual Result<std::optional<std::string>> FindRegistrationCode(std::string_view account_id) = 0;
  virtual Result<bool> DeleteRegistrationCode(std::string_view account_id) = 0;

  // Device certificates, keyed by (account_id, certificate_id); lists are in (creation date,
  // certificate id) order.
  virtual Result<void> InsertCertificate(const CertificateRecord& cert) = 0;
  virtual Result<void> UpdateCertificate(const CertificateRecord& cert) = 0;
  virtual Result<bool> DeleteCertificate(std::string_view account_id,
                                         std::string_view certificate_id) = 0;
  virtual Result<std::optional<CertificateRecord>> FindCertificate(
      std::string_view account_id, std::string_view certificate_id) = 0;
  // Every account's registration of this certificate, ordered by account id.
  virtual Result<std::vector<CertificateRecord>> FindCertificateInAllAccounts(
      std::string_view certificate_id) = 0;
  virtual Result<Page<CertificateRecord>> ListCertificates(std::string_view account_id,
                                                           const PageRequest& page) = 0;
  virtual Result<Page<CertificateRecord>> ListCertificatesByCa(std::string_view account_id,
                                                               std::string_view ca_certificate_id,
                                                               const PageRequest& page) = 0;
  virtual Result<int64_t> CountCertificatesByCa(std::string_view account_id,
                                                std::string_view ca_certificate_id) = 0;

  // CA certificates, keyed by (account_id, certificate_id).
  virtual Result<void> InsertCaCertificate(const CaCertificateRecord& ca) = 0;
  virtual Result<void> UpdateCaCertificate(const CaCertificateRecord& ca) = 0;
  virtual Result<bool> DeleteCaCertificate(std::string_view account_id,
                                           std::string_view certificate_id) = 0;
  virtual Result<std::optional<CaCertificateRecord>> FindCaCertificate(
      std::string_view account_id, std::string_view certificate_id) = 0;
  virtual Result<std::vector<CaCertificateRecord>> FindCaCertificateInAllAccounts(
      std::string_view certificate_id) = 0;
  // The account's CAs whose subject equals `subject` exactly, in (creation date, id) order.
  virtual Result<std::vector<CaCertificateRecord>> FindCaCertificatesBySubject(
      std::string_view account_id, std::string_view subject) = 0;
  virtual Result<Page<CaCertificateRecord>> ListCaCertificates(std::string_view account_id,
                                                               const PageRequest& page) = 0;

  // Things, keyed by (account_id, name); lists are in name order.
  virtual Result<void> InsertThing(const Thing& thing) = 0;
  virtual Result<void> UpdateThing(const Thing& thing) = 0;
  virtual Result<bool> DeleteThing(std::string_view account_id, std::string_view name) = 0;
  virtual Result<std::optional<Thing>> FindThing(std::string_view account_id,
                                                 std::string_view name) = 0;
  virtual Result<Page<Thing>> ListThings(std::string_view account_id, const ThingFilter& filter,
                                         const PageRequest& page) = 0;

  // Principal attachments, keyed by (account_id, thing_name, certificate_id). Upsert replaces
  // the type of an existing attachment.
  virtual Result<void> UpsertThingPrincipal(const ThingPrincipal& principal) = 0;
  virtual Result<bool> DeleteThingPrincipal(std::string_view account_id,
                                            std::string_view thing_name,
                                            std::string_view certificate_id) = 0;
  // Ordered by certificate id.
  virtual Result<std::vector<ThingPrincipal>> ListThingPrincipals(std::string_view account_id,
                                                                  std::string_view thing_name) = 0;
  // Ordered by thing name.
  virtual Result<std::vector<ThingPrincipal>> ListPrincipalThings(
      std::string_view account_id, std::string_view certificate_id) = 0;

  // Thing groups, keyed by (account_id, name); lists are in name order.
  virtual Result<void> InsertThingGroup(const ThingGroup& group) = 0;
  virtual Result<void> UpdateThingGroup(const ThingGroup& group) = 0;
  virtual Result<bool> DeleteThingGroup(std::string_view account_id, std::string_view name) = 0;
  virtual Result<std::optional<ThingGroup>> FindThingGroup(std::string_view account_id,
                                                           std::string_view name) = 0;
  virtual Result<Page<ThingGroup>> ListThingGroups(std::string_view account_id,
                                                   const ThingGroupFilter& filter,
                                                   const PageRequest& page) = 0;
  // Direct children of `parent_name`, in name order.
  virtual Result<std::vector<ThingGroup>> ListChildThingGroups(std::string_view account_id,
                                                               std::string_view parent_name) = 0;

  // Group membership. Add returns false if the thing already was a member; Remove returns
  // false if it was not.
  virtual Result<bool> AddThingToGroup(std::string_view account_id, std::string_view group_name,
                                       std::string_view thing_name) = 0;
  virtual Result<bool> RemoveThingFromGroup(std::string_view account_id,
                                            std::string_view group_name,
                                            std::string_view thing_name) = 0;
  // Direct members, in name order.
  virtual Result<std::vector<std::string>> ListThingsInGroup(std::string_view account_id,
                                                             std::string_view group_name) = 0;
  // Groups the thing is directly a member of, in name order.
  virtual Result<std::vector<std::string>> ListGroupsForThing(std::string_view account_id,
                                                              std::string_view thing_name) = 0;
};

class RegistryStore {
 public:
  using TxFn = std::function<Result<void>(RegistryTx&)>;

  virtual ~RegistryStore() = default;

  // Runs `fn` in one serializable transaction and commits iff `fn` returns a value; the error
  // of `fn`, or of the commit, is returned unchanged. Once Transact returns a value, the
  // changes are durable. `fn` must not call Transact (that returns kInternal) and must not
  // keep the RegistryTx. Thread-safe: concurrent callers are serialized.
  virtual Result<void> Transact(const TxFn& fn) = 0;
};

}  // namespace fg::registry
