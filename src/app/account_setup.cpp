#include "app/account_setup.h"

#include <boost/json.hpp>

#include "pki/secret_box.h"
#include "registry/account_service.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::app {

std::string DataEndpoint(std::string_view endpoint_prefix, const InstallationSettings& settings) {
  return std::string(endpoint_prefix) + "-ats.iot." + settings.region + "." + settings.domain;
}

std::string ToJson(const AccountSummary& s) {
  boost::json::object o;
  o["accountId"] = s.account_id;
  o["region"] = s.region;
  o["accessKeyId"] = s.access_key_id;
  o["secretAccessKey"] = s.secret_access_key;
  o["dataEndpoint"] = s.data_endpoint;
  o["rootCaFile"] = s.root_ca_file;
  return boost::json::serialize(o);
}

Result<AccountSummary> CreateAccountInStore(const DataDir& dir,
                                            const std::filesystem::path& database,
                                            const InstallationSettings& settings,
                                            std::string_view name, const Clock& clock) {
  auto key = ReadFile(dir.SecretKeyFile());
  if (!key) {
    return Fail(key.error());
  }
  auto box = pki::SecretBox::FromKey(*key);
  if (!box) {
    return Fail(ErrorCode::kCorrupt,
                dir.SecretKeyFile().string() + " is corrupt: " + box.error().message);
  }
  auto store = store::SqliteStore::Open(database.string());
  if (!store) {
    return Fail(store.error());
  }
  registry::AccountService accounts(**store, *box, clock);
  auto created = accounts.CreateAccount(name, settings.region);
  if (!created) {
    return Fail(created.error());
  }
  std::error_code ec;
  return AccountSummary{created->account.id,
                        created->account.region,
                        created->access_key_id,
                        created->secret_access_key,
                        DataEndpoint(created->account.endpoint_prefix, settings),
                        std::filesystem::absolute(dir.RootCaCert(), ec).string()};
}

Result<AccountSummary> RunAccountCreate(const std::string& data_dir, const std::string& name,
                                        const Clock& clock) {
  DataDir dir{std::filesystem::path(data_dir)};
  if (auto ready = dir.RequireInitialised(); !ready) {
    return Fail(ready.error());
  }
  auto settings = dir.LoadSettings();
  if (!settings) {
    return Fail(settings.error());
  }
  return CreateAccountInStore(dir, dir.Database(), *settings, name, clock);
}

}  // namespace fg::app
