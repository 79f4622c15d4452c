// `fleetguard init`: creates a data directory from nothing, or does nothing at all.
//
// The order matters for crash safety: key material and settings are written first (each file
// atomically), the database is built under a temporary name and renamed into place last. A
// directory without fleetguard.db is therefore "not initialised" whatever else it holds, and a
// second init after a crash simply starts over. On an error every file this run created is
// removed, so a failed init leaves the directory as it found it.

#include <filesystem>
#include <regex>
#include <sys/stat.h>
#include <vector>

#include "app/account_setup.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "core/time_format.h"
#include "pki/authority.h"
#include "pki/key.h"
#include "pki/random.h"
#include "pki/secret_box.h"

namespace fg::app {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::hours kCaLifetime{24 * 365 * 30};

Result<void> ValidateOptions(const InitOptions& o) {
  static const std::regex kRegion("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$");
  static const std::regex kDomain(
      "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  if (!std::regex_match(o.region, kRegion)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--region '" + o.region + "' is not a region name like us-east-1");
  }
  if (o.domain.size() > 200 || !std::regex_match(o.domain, kDomain)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--domain '" + o.domain + "' is not a lowercase DNS name like fleetguard.local");
  }
  return Ok();
}

// Remembers what this run created, and removes it unless Commit() is called.
class CreatedFiles {
 public:
  ~CreatedFiles() {
    if (committed_) {
      return;
    }
    std::error_code ec;
    for (auto it = paths_.rbegin(); it != paths_.rend(); ++it) {
      fs::remove_all(*it, ec);
    }
  }
  void Add(fs::path p) { paths_.push_back(std::move(p)); }
  void Commit() { committed_ = true; }

 private:
  std::vector<fs::path> paths_;
  bool committed_ = false;
};

Result<void> WritePem(CreatedFiles& created, const fs::path& path, std::string_view pem,
                      unsigned mode) {
  created.Add(path);
  return WriteFileAtomic(path, pem, mode);
}

// Creates the three CAs/certificates of an installation. The server certificate covers every
// account's device endpoint (*.iot.<region>.<domain>), the control-plane host and localhost.
Result<void> CreatePki(const DataDir& dir, const InitOptions& o, const Clock& clock,
                       CreatedFiles& created) {
  std::error_code ec;
  if (!fs::exists(dir.PkiDir(), ec)) {
    created.Add(dir.PkiDir());
    if (!fs::create_directory(dir.PkiDir(), ec)) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot create " + dir.PkiDir().string() + ": " + ec.message());
    }
    // Readable by all: devices and tools need root-ca.pem; each key file is 0600 itself.
    fs::permissions(dir.PkiDir(),
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    ec);
  }
  TimePoint now = clock.Now();
  TimePoint not_before = now - std::chrono::hours(1);
  auto root =
      pki::CertificateAuthority::Generate("fleetguard Root CA", not_before, now + kCaLifetime);
  if (!root) {
    return Fail(root.error());
  }
  auto device_ca = pki::CertificateAuthority::Generate("fleetguard Device Issuing CA", not_before,
                                                       now + kCaLifetime);
  if (!device_ca) {
    return Fail(device_ca.error());
  }
  auto server_key = pki::GenerateEcKeyPair();
  if (!server_key) {
    return Fail(server_key.error());
  }
  pki::CertificateAuthority::IssueOptions server_opts;
  server_opts.common_name = "*.iot." + o.region + "." + o.domain;
  server_opts.dns_names = {"*.iot." + o.region + "." + o.domain, "iot." + o.region + "." + o.domain,
                           "localhost"};
  server_opts.not_before = not_before;
  server_opts.not_after = now + kCaLifetime - std::chrono::hours(24);
  server_opts.server_auth = true;
  server_opts.client_auth = false;
  auto server_cert = root->Issue(server_key->public_key_pem, server_opts);
  if (!server_cert) {
    return Fail(server_cert.error());
  }
  for (auto r : {WritePem(created, dir.RootCaKey(), root->PrivateKeyPem(), 0600),
                 WritePem(created, dir.RootCaCert(), root->Cert().Pem(), 0644),
                 WritePem(created, dir.DeviceCaKey(), device_ca->PrivateKeyPem(), 0600),
                 WritePem(created, dir.DeviceCaCert(), device_ca->Cert().Pem(), 0644),
                 WritePem(created, dir.ServerKey(), server_key->private_key_pem, 0600),
                 WritePem(created, dir.ServerCert(), server_cert->Pem(), 0644)}) {
    if (!r) {
      return r;
    }
  }
  return Ok();
}

std::string SettingsJson(const InstallationSettings& s) {
  return "{\"region\":\"" + s.region + "\",\"domain\":\"" + s.domain + "\",\"nodeId\":\"" +
         s.node_id + "\"}\n";
}

}  // namespace

Result<AccountSummary> RunInit(const InitOptions& options, const Clock& clock) {
  if (auto valid = ValidateOptions(options); !valid) {
    return Fail(valid.error());
  }
  DataDir dir{fs::path(options.data_dir)};
  if (dir.IsInitialised()) {
    return Fail(ErrorCode::kAlreadyExists,
                dir.Root().string() + " is already initialised; nothing changed");
  }
  CreatedFiles created;
  std::error_code ec;
  if (!fs::exists(dir.Root(), ec)) {
    created.Add(dir.Root());
    if (!fs::create_directories(dir.Root(), ec)) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot create data directory " + dir.Root().string() + ": " + ec.message());
    }
  } else if (!fs::is_directory(dir.Root(), ec)) {
    return Fail(ErrorCode::kInvalidArgument, dir.Root().string() + " is not a directory");
  }

  if (auto pki = CreatePki(dir, options, clock, created); !pki) {
    return Fail(pki.error());
  }
  InstallationSettings settings{options.region, options.domain, "node-" + pki::RandomHex(4)};
  created.Add(dir.SettingsFile());
  if (auto w = WriteFileAtomic(dir.SettingsFile(), SettingsJson(settings)); !w) {
    return Fail(w.error());
  }
  created.Add(dir.SecretKeyFile());
  if (auto w = WriteFileAtomic(dir.SecretKeyFile(), pki::SecretBox::NewKey(), 0600); !w) {
    return Fail(w.error());
  }

  fs::path partial = dir.Database();
  partial += ".partial";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(partial.string() + suffix, ec);
  }
  created.Add(partial);
  auto summary = CreateAccountInStore(dir, partial, settings, "default", clock);
  if (!summary) {
    return Fail(summary.error());
  }
  fs::rename(partial, dir.Database(), ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "cannot move the new database into place: " + ec.message());
  }
  created.Commit();
  return summary;
}

}  // namespace fg::app
