#include "device_identities.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pki/key.h"

namespace fg::bench {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot read " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<DeviceIdentity> LoadOne(const fs::path& cert_path, const fs::path& key_path) {
  auto cert_pem = ReadFile(cert_path);
  if (!cert_pem) {
    return Fail(cert_pem.error());
  }
  auto key_pem = ReadFile(key_path);
  if (!key_pem) {
    return Fail(key_pem.error());
  }
  auto cert = pki::Certificate::FromPem(*cert_pem);
  if (!cert) {
    return Fail(ErrorCode::kInvalidArgument, cert_path.string() + ": " + cert.error().message);
  }
  auto key = pki::ParsePrivateKeyPem(*key_pem);
  if (!key) {
    return Fail(ErrorCode::kInvalidArgument, key_path.string() + ": " + key.error().message);
  }
  const EVP_PKEY* cert_key = X509_get0_pubkey(cert->Raw());
  if (cert_key == nullptr || !pki::SamePublicKey(*cert_key, **key)) {
    return Fail(ErrorCode::kInvalidArgument,
                key_path.string() + " is not the key of " + cert_path.string());
  }
  return DeviceIdentity{cert_path.stem().string(), std::move(*cert), std::move(*key)};
}

}  // namespace

Result<std::vector<DeviceIdentity>> LoadDeviceIdentities(const std::string& dir, size_t limit) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return Fail(ErrorCode::kNotFound, "cannot list " + dir + ": " + ec.message());
  }
  std::vector<fs::path> certs;
  for (const fs::directory_entry& entry : it) {
    const fs::path& p = entry.path();
    if (p.extension() == ".pem" && fs::exists(fs::path(p).replace_extension(".key"), ec)) {
      certs.push_back(p);
    }
  }
  std::sort(certs.begin(), certs.end());
  if (certs.size() < limit) {
    return Fail(ErrorCode::kNotFound, dir + " holds " + std::to_string(certs.size()) +
                                          " certificate/key pairs; " + std::to_string(limit) +
                                          " were asked for");
  }
  certs.resize(limit);
  std::vector<DeviceIdentity> identities;
  identities.reserve(limit);
  for (const fs::path& cert_path : certs) {
    auto identity = LoadOne(cert_path, fs::path(cert_path).replace_extension(".key"));
    if (!identity) {
      return Fail(identity.error());
    }
    identities.push_back(std::move(*identity));
  }
  return identities;
}

}  // namespace fg::bench
