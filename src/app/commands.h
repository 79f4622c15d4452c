#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace fg::app {

struct InitOptions {
  std::string data_dir;
  std::string region = "us-east-1";
  std::string domain = "fleetguard.local";
};

// What `init` and `account create` print: the credentials and endpoints of one account.
struct AccountSummary {
  std::string account_id;
  std::string region;
  std::string access_key_id;
  std::string secret_access_key;
  std::string data_endpoint;
  std::string root_ca_file;
};
std::string ToJson(const AccountSummary& summary);

// `fleetguard init`: creates the data directory's store, CAs, server certificate and a first
// account. Returns nullopt-like kAlreadyExists when the directory is already initialised (and
// then changes nothing). On failure every file it created is removed again.
Result<AccountSummary> RunInit(const InitOptions& options, const Clock& clock);

// `fleetguard account create`.
Result<AccountSummary> RunAccountCreate(const std::string& data_dir, const std::string& name,
                                        const Clock& clock);

struct ServeOptions {
  std::string data_dir;
  std::string api_listen = "127.0.0.1:8443";
  std::string mqtt_listen = "0.0.0.0:8883";
  // The 443-style device listener (ALPN x-amzn-mqtt-ca required); empty: not started.
  std::string mqtt_alpn_listen;
  // HTTPS on the control plane: with api_tls, the data directory's server certificate
  // (pki/server.pem, valid for iot.<region>.<domain> and localhost) unless files are given.
  bool api_tls = false;
  std::string api_tls_cert;
  std::string api_tls_key;
  // JSON: audit settings and listener limits (app/serve_config.h); empty: defaults.
  std::string config_file;
  // --audit-settle-lag: how long the connection log settles before an audit reads it; unset
  // takes auditSettleLag from the configuration, else AWS's 2 hours.
  std::optional<std::chrono::milliseconds> audit_settle_lag;
};

// `fleetguard serve`: runs until SIGINT or SIGTERM. Prints one JSON line with the bound
// addresses on stdout once listening.
Result<void> RunServe(const ServeOptions& options);

}  // namespace fg::app
