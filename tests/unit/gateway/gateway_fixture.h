#pragma once

// A real registry for gateway tests: SqliteStore in memory, a ManualClock at the PKI fixtures'
// reference time (2030-01-01), the registry services, and the gateway's cache and
// authenticator on top. Accounts A and B share us-east-1; Eu is in eu-west-1.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "gateway/authenticator.h"
#include "gateway/identity_cache.h"
#include "pki/authority.h"
#include "registry/ca_service.h"
#include "registry/certificate_service.h"
#include "registry/status_events.h"
#include "store/sqlite/sqlite_store.h"
#include "unit/pki/pki_fixtures.h"

namespace fg::gateway::testing {

using pki::testing::FixtureFingerprint;
using pki::testing::LoadCert;
using pki::testing::ReadFixture;

inline constexpr char kAccountA[] = "111111111111";
inline constexpr char kAccountB[] = "222222222222";
inline constexpr char kAccountEu[] = "333333333333";
inline constexpr char kHostA[] = "aaaaaaaaaaaaaa-ats.iot.us-east-1.amazonaws.com";
inline constexpr char kHostB[] = "bbbbbbbbbbbbbb-ats.iot.us-east-1.amazonaws.com";
inline constexpr char kFixtureCode[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class GatewayFixture : public ::testing::Test {
 protected:
  GatewayFixture() : clock_(pki::testing::kReferenceTime) {}

  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = std::move(*store);
    auto issuer =
        pki::CertificateAuthority::Load(ReadFixture("root-ca.pem"), ReadFixture("root-ca.key"));
    ASSERT_TRUE(issuer.has_value()) << issuer.error().ToString();
    issuer_ = std::make_unique<pki::CertificateAuthority>(std::move(*issuer));
    certs_ = std::make_unique<registry::CertificateService>(*store_, events_, clock_, *issuer_);
    cas_ = std::make_unique<registry::CaService>(*store_, events_, clock_);
    Run([](registry::RegistryTx& tx) -> Result<void> {
      for (const auto& [id, region, prefix] :
           {std::tuple{kAccountA, "us-east-1", "aaaaaaaaaaaaaa"},
            std::tuple{kAccountB, "us-east-1", "bbbbbbbbbbbbbb"},
            std::tuple{kAccountEu, "eu-west-1", "cccccccccccccc"}}) {
        if (auto r =
                tx.InsertAccount(registry::Account{id, "test", region, prefix, FromEpochMillis(0)});
            !r) {
          return r;
        }
        if (auto r = tx.PutRegistrationCode(id, kFixtureCode); !r) {
          return r;
        }
      }
      return Ok();
    });
    cache_ = std::make_unique<IdentityCache>(*store_, events_, clock_, cache_options_);
    auth_ = std::make_unique<Authenticator>(*cache_, *store_);
  }

  void Run(const registry::RegistryStore::TxFn& fn) {
    auto r = store_->Transact(fn);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // Fixture CA 1 (RSA, DEFAULT mode) in `account`.
  void RegisterCa1(const std::string& account, bool auto_registration = false) {
    registry::RegisterCaRequest request;
    request.ca_certificate_pem = ReadFixture("ca1.pem");
    request.verification_certificate_pem = ReadFixture("verification-ca1.pem");
    request.set_as_active = true;
    request.allow_auto_registration = auto_registration;
    auto r = cas_->Register(account, request);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // Fixture CA 2 (EC) in SNI_ONLY mode.
  void RegisterCa2SniOnly(const std::string& account) {
    registry::RegisterCaRequest request;
    request.ca_certificate_pem = ReadFixture("ca2.pem");
    request.mode = registry::CertificateMode::kSniOnly;
    request.set_as_active = true;
    auto r = cas_->Register(account, request);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // Registers "<name>.pem" with its CA (found by the registry).
  void RegisterWithCa(const std::string& account, const std::string& name,
                      registry::CertificateStatus status) {
    registry::RegisterCertificateRequest request;
    request.certificate_pem = ReadFixture(name + ".pem");
    request.status = status;
    auto r = certs_->RegisterCertificate(account, request);
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().ToString();
  }

  void RegisterWithoutCa(const std::string& account, const std::string& name,
                         registry::CertificateStatus status) {
    auto r = certs_->RegisterCertificateWithoutCa(account, ReadFixture(name + ".pem"), status);
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().ToString();
  }

  // Writes a registration straight into the store, for states the services (rightly) refuse
  // to create: certificates the signature policy rejects, or a wrong CA link.
  void InsertRaw(const std::string& account, const std::string& name,
                 std::optional<std::string> ca_id) {
    const pki::Certificate cert = LoadCert(name);
    registry::CertificateRecord r;
    r.account_id = account;
    r.certificate_id = cert.Id();
    r.pem = cert.Pem();
    r.status = registry::CertificateStatus::kActive;
    r.mode = registry::CertificateMode::kDefault;
    r.ca_certificate_id = std::move(ca_id);
    r.owned_by = account;
    r.creation_date = clock_.Now();
    r.last_modified_date = clock_.Now();
    r.generation_id = "00000000-0000-4000-8000-000000000000";
    r.not_before = cert.NotBefore();
    r.not_after = cert.NotAfter();
    Run([&](registry::RegistryTx& tx) { return tx.InsertCertificate(r); });
  }

  ConnectionAttempt Attempt(const std::string& name, std::string sni) const {
    ConnectionAttempt a;
    a.server_name = std::move(sni);
    if (!name.empty()) {
      a.leaf = Result<pki::Certificate>(LoadCert(name));
    }
    a.peer_ip = "198.51.100.7";
    a.peer_port = 50123;
    a.now = clock_.Now();
    return a;
  }

  // What the TLS listener hands over when OpenSSL parsed `x509` from the bytes `sent`.
  ConnectionAttempt AttemptWithLeaf(X509& x509, std::string_view sent, std::string sni) const {
    ConnectionAttempt a = Attempt("", std::move(sni));
    a.leaf = pki::Certificate::FromReceived(x509, sent);
    return a;
  }

  IdentityCacheOptions cache_options_;
  ManualClock clock_;
  registry::StatusEventPublisher events_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pki::CertificateAuthority> issuer_;
  std::unique_ptr<registry::CertificateService> certs_;
  std::unique_ptr<registry::CaService> cas_;
  std::unique_ptr<IdentityCache> cache_;
  std::unique_ptr<Authenticator> auth_;
};

}  // namespace fg::gateway::testing
