#pragma once

// RegistryTx over one SqliteConnection inside an open transaction (SqliteStore::Transact
// creates it after BEGIN IMMEDIATE). The methods are split by table family across
// sqlite_account_rows.cpp, sqlite_certificate_rows.cpp, sqlite_thing_rows.cpp and
// sqlite_thing_group_rows.cpp.
// Not thread-safe; lives only for one Transact callback.

#include "registry/registry_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace fg::store {

class SqliteRegistryTx final : public registry::RegistryTx {
 public:
  explicit SqliteRegistryTx(SqliteConnection& conn) : conn_(conn) {}

  Result<void> InsertAccount(const registry::Account& account) override;
  Result<std::optional<registry::Account>> FindAccount(std::string_view account_id) override;
  Result<std::optional<registry::Account>> FindAccountByEndpointPrefix(
      std::string_view prefix) override;
  Result<registry::Page<registry::Account>> ListAccounts(
      const registry::PageRequest& page) override;

  Result<void> InsertAccessKey(const registry::AccessKey& key) override;
  Result<void> UpdateAccessKey(const registry::AccessKey& key) override;
  Result<std::optional<registry::AccessKey>> FindAccessKey(std::string_view access_key_id) override;
  Result<std::vector<registry::AccessKey>> ListAccessKeys(std::string_view account_id) override;

  Result<void> PutRegistrationCode(std::string_view account_id, std::string_view code) override;
  Result<std::optional<std::string>> FindRegistrationCode(std::string_view account_id) override;
  Result<bool> DeleteRegistrationCode(std::string_view account_id) override;

  Result<void> InsertCertificate(const registry::CertificateRecord& cert) override;
  Result<void> UpdateCertificate(const registry::CertificateRecord& cert) override;
  Result<bool> DeleteCertificate(std::string_view account_id,
                                 std::string_view certificate_id) override;
  Result<std::optional<registry::CertificateRecord>> FindCertificate(
      std::string_view account_id, std::string_view certificate_id) override;
  Result<std::vector<registry::CertificateRecord>> FindCertificateInAllAccounts(
      std::string_view certificate_id) override;
  Result<registry::Page<registry::CertificateRecord>> ListCertificates(
      std::string_view account_id, const registry::PageRequest& page) override;
  Result<registry::Page<registry::CertificateRecord>> ListCertificatesByCa(
      std::string_view account_id, std::string_view ca_certificate_id,
      const registry::PageRequest& page) override;
  Result<int64_t> CountCertificatesByCa(std::string_view account_id,
                                        std::string_view ca_certificate_id) override;

  Result<void> InsertCaCertificate(const registry::CaCertificateRecord& ca) override;
  Result<void> UpdateCaCertificate(const registry::CaCertificateRecord& ca) override;
  Result<bool> DeleteCaCertificate(std::string_view account_id,
                                   std::string_view certificate_id) override;
  Result<std::optional<registry::CaCertificateRecord>> FindCaCertificate(
      std::string_view account_id, std::string_view certificate_id) override;
  Result<std::vector<registry::CaCertificateRecord>> FindCaCertificateInAllAccounts(
      std::string_view certificate_id) override;
  Result<std::vector<registry::CaCertificateRecord>> FindCaCertificatesBySubject(
      std::string_view account_id, std::string_view subject) override;
  Result<registry::Page<registry::CaCertificateRecord>> ListCaCertificates(
      std::string_view account_id, const registry::PageRequest& page) override;

  Result<void> InsertThing(const registry::Thing& thing) override;
  Result<void> UpdateThing(const registry::Thing& thing) override;
  Result<bool> DeleteThing(std::string_view account_id, std::string_view name) override;
  Result<std::optional<registry::Thing>> FindThing(std::string_view account_id,
                                                   std::string_view name) override;
  Result<registry::Page<registry::Thing>> ListThings(std::string_view account_id,
                                                     const registry::ThingFilter& filter,
                                                     const registry::PageRequest& page) override;

  Result<void> UpsertThingPrincipal(const registry::ThingPrincipal& principal) override;
  Result<bool> DeleteThingPrincipal(std::string_view account_id, std::string_view thing_name,
                                    std::string_view certificate_id) override;
  Result<std::vector<registry::ThingPrincipal>> ListThingPrincipals(
      std::string_view account_id, std::string_view thing_name) override;
  Result<std::vector<registry::ThingPrincipal>> ListPrincipalThings(
      std::string_view account_id, std::string_view certificate_id) override;

  Result<void> InsertThingGroup(const registry::ThingGroup& group) override;
  Result<void> UpdateThingGroup(const registry::ThingGroup& group) override;
  Result<bool> DeleteThingGroup(std::string_view account_id, std::string_view name) override;
  Result<std::optional<registry::ThingGroup>> FindThingGroup(std::string_view account_id,
                                                             std::string_view name) override;
  Result<registry::Page<registry::ThingGroup>> ListThingGroups(
      std::string_view account_id, const registry::ThingGroupFilter& filter,
      const registry::PageRequest& page) override;
  Result<std::vector<registry::ThingGroup>> ListChildThingGroups(
      std::string_view account_id, std::string_view parent_name) override;

  Result<bool> AddThingToGroup(std::string_view account_id, std::string_view group_name,
                               std::string_view thing_name) override;
  Result<bool> RemoveThingFromGroup(std::string_view account_id, std::string_view group_name,
                                    std::string_view thing_name) override;
  Result<std::vector<std::string>> ListThingsInGroup(std::string_view account_id,
                                                     std::string_view group_name) override;
  Result<std::vector<std::string>> ListGroupsForThing(std::string_view account_id,
                                                      std::string_view thing_name) override;

 private:
  SqliteConnection& conn_;
};

}  // namespace fg::store
