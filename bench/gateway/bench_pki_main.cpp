// fg_bench_pki: the throwaway PKI of the gateway benchmark, made in-process with fleetguard's pki
// library (2,000 identities take about a second, against minutes of `openssl` invocations).
//
//   fg_bench_pki --dir DIR --devices N [--verification-cn CODE]
//
// DIR/ca.pem + ca.key      a P-256 test CA, created on the first call and reused afterwards
// DIR/devices/device-NNNNN.pem + .key
//                          N P-256 client certificates (CN = file stem) signed by it; existing
//                          ones are kept, so a second call only adds what is missing
// DIR/verification.pem     with --verification-cn: the certificate RegisterCACertificate asks
//                          for (CN = the account's registration code), signed by the CA
//
// Every certificate is valid from an hour ago for 30 days. Keys are written unencrypted and
// mode 0600: this PKI exists only for the benchmark run.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/clock.h"
#include "core/result.h"
#include "pki/authority.h"
#include "pki/key.h"
#include "pki/random.h"

namespace fg::bench {
namespace {

namespace fs = std::filesystem;

Result<void> WriteFile(const fs::path& path, const std::string& text, bool secret) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return Fail(ErrorCode::kUnavailable, "cannot write " + path.string());
  }
  if (secret) {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
  }
  return Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot read " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<pki::CertificateAuthority> LoadOrCreateCa(const fs::path& dir, TimePoint now) {
  const fs::path cert = dir / "ca.pem";
  const fs::path key = dir / "ca.key";
  if (fs::exists(cert) && fs::exists(key)) {
    auto cert_pem = ReadFile(cert);
    auto key_pem = ReadFile(key);
    if (!cert_pem || !key_pem) {
      return Fail(ErrorCode::kNotFound, "cannot read the CA in " + dir.string());
    }
    return pki::CertificateAuthority::Load(*cert_pem, *key_pem);
  }
  auto ca = pki::CertificateAuthority::Generate(
      "fleetguard bench CA " + pki::RandomHex(4), now - std::chrono::hours(1),
      now + std::chrono::hours(24 * 30), pki::KeyAlgorithm::kEcP256);
  if (!ca) {
    return Fail(ca.error());
  }
  if (auto w = WriteFile(key, ca->PrivateKeyPem(), true); !w) {
    return Fail(w.error());
  }
  if (auto w = WriteFile(cert, ca->Cert().Pem(), false); !w) {
    return Fail(w.error());
  }
  return ca;
}

// A fresh P-256 key and a client certificate for it; writes <base>.pem and <base>.key.
Result<void> IssueIdentity(const pki::CertificateAuthority& ca, const fs::path& base,
                           const std::string& common_name, TimePoint now) {
  auto keys = pki::GenerateEcKeyPair();
  if (!keys) {
    return Fail(keys.error());
  }
  pki::CertificateAuthority::IssueOptions options;
  options.common_name = common_name;
  options.not_before = now - std::chrono::hours(1);
  options.not_after = now + std::chrono::hours(24 * 30);
  options.client_auth = true;
  auto cert = ca.Issue(keys->public_key_pem, options);
  if (!cert) {
    return Fail(cert.error());
  }
  // The key first: a .pem without its .key is ignored by the load generator.
  if (auto w = WriteFile(fs::path(base).replace_extension(".key"), keys->private_key_pem, true);
      !w) {
    return w;
  }
  return WriteFile(fs::path(base).replace_extension(".pem"), cert->Pem(), false);
}

Result<void> Run(const fs::path& dir, int devices, const std::string& verification_cn) {
  std::error_code ec;
  fs::create_directories(dir / "devices", ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "cannot create " + dir.string() + ": " + ec.message());
  }
  const TimePoint now = SystemClock::Instance().Now();
  auto ca = LoadOrCreateCa(dir, now);
  if (!ca) {
    return Fail(ca.error());
  }
  int created = 0;
  for (int i = 0; i < devices; ++i) {
    const std::string name = fmt::format("device-{:05}", i);
    const fs::path base = dir / "devices" / name;
    if (fs::exists(fs::path(base).replace_extension(".pem"))) {
      continue;
    }
    if (auto issued = IssueIdentity(*ca, base, name, now); !issued) {
      return issued;
    }
    ++created;
  }
  if (!verification_cn.empty()) {
    if (auto issued = IssueIdentity(*ca, dir / "verification", verification_cn, now); !issued) {
      return issued;
    }
  }
  std::cerr << fmt::format("fg_bench_pki: {} new device certificates in {}\n", created,
                           (dir / "devices").string());
  return Ok();
}

}  // namespace
}  // namespace fg::bench

int main(int argc, char** argv) {
  std::string dir;
  int devices = 0;
  std::string verification_cn;
  CLI::App app{"fg_bench_pki: test CA and device certificates for the gateway benchmark"};
  app.add_option("--dir", dir, "output directory")->required();
  app.add_option("--devices", devices, "device certificates to have")
      ->check(CLI::Range(0, 100'000));
  app.add_option("--verification-cn", verification_cn,
                 "also write verification.pem with this CN (the registration code)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (auto done = fg::bench::Run(dir, devices, verification_cn); !done) {
    std::cerr << "fg_bench_pki: " << done.error().message << "\n";
    return 1;
  }
  return 0;
}
