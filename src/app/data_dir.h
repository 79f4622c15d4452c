#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace fg::app {

// Settings fixed at `fleetguard init` and shared by every account of this installation.
struct InstallationSettings {
  std::string region;   // e.g. "us-east-1"
  std::string domain;   // device endpoints are <prefix>-ats.iot.<region>.<domain>
  std::string node_id;  // names this node in the connection log
};

// The layout of a fleetguard data directory. The database file is written last by `init`, so
// its presence is what "initialised" means; everything else is recreated if it is missing.
//
//   fleetguard.db        SQLite store (registry, connection log, audit state)
//   fleetguard.json      InstallationSettings
//   secret.key           AES-256-GCM key that seals access-key secrets in the database (0600)
//   pki/device-ca.pem    CA that signs the certificates fleetguard issues (+ .key, 0600)
//   pki/root-ca.pem      CA devices trust for the server certificate (the AmazonRootCA1 analogue)
//   pki/server.pem       server certificate for *.iot.<region>.<domain> (+ .key, 0600)
class DataDir {
 public:
  explicit DataDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& Root() const { return root_; }
  std::filesystem::path Database() const { return root_ / "fleetguard.db"; }
  std::filesystem::path SettingsFile() const { return root_ / "fleetguard.json"; }
  std::filesystem::path SecretKeyFile() const { return root_ / "secret.key"; }
  std::filesystem::path PkiDir() const { return root_ / "pki"; }
  std::filesystem::path DeviceCaCert() const { return PkiDir() / "device-ca.pem"; }
  std::filesystem::path DeviceCaKey() const { return PkiDir() / "device-ca.key"; }
  std::filesystem::path RootCaCert() const { return PkiDir() / "root-ca.pem"; }
  std::filesystem::path RootCaKey() const { return PkiDir() / "root-ca.key"; }
  std::filesystem::path ServerCert() const { return PkiDir() / "server.pem"; }
  std::filesystem::path ServerKey() const { return PkiDir() / "server.key"; }

  bool IsInitialised() const;

  // kNotFound with "... is not initialised; run `fleetguard init`" when it is not.
  Result<void> RequireInitialised() const;

  Result<InstallationSettings> LoadSettings() const;

 private:
  std::filesystem::path root_;
};

// Reads a whole file; kNotFound / kUnavailable with the path in the message.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Writes `contents` to `path` atomically and durably: a temporary file in the same directory,
// fsync, rename, fsync of the directory. `mode` applies from creation, so a private key is never
// readable by others, not even briefly.
Result<void> WriteFileAtomic(const std::filesystem::path& path, std::string_view contents,
                             unsigned mode = 0644);

}  // namespace fg::app
