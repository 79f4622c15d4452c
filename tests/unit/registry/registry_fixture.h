#pragma once

// A real registry for service tests: SqliteStore in memory, a ManualClock at the PKI fixtures'
// reference time (2030-01-01), the fixture root CA as fleetguard's issuing CA, two accounts in
// us-east-1 and one in eu-west-1, and a recorder of status events.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "pki/authority.h"
#include "registry/ca_service.h"
#include "registry/certificate_service.h"
#include "registry/registry_store.h"
#include "registry/status_events.h"
#include "store/sqlite/sqlite_store.h"
#include "unit/pki/pki_fixtures.h"

namespace fg::registry::testing {

using pki::testing::FixtureFingerprint;
using pki::testing::ReadFixture;

inline constexpr char kAccountA[] = "111111111111";
inline constexpr char kAccountB[] = "222222222222";
inline constexpr char kAccountEu[] = "333333333333";
// The CN of the fixture verification certificates.
inline constexpr char kFixtureCode[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class RecordingSubscriber {
 public:
  explicit RecordingSubscriber(StatusEventPublisher& publisher) : publisher_(publisher) {
    id_ = publisher_.Subscribe([this](const StatusEvent& e) {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(e);
    });
  }
  ~RecordingSubscriber() { publisher_.Unsubscribe(id_); }
  RecordingSubscriber(const RecordingSubscriber&) = delete;
  RecordingSubscriber& operator=(const RecordingSubscriber&) = delete;

  std::vector<StatusEvent> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(events_, {});
  }

 private:
  StatusEventPublisher& publisher_;
  StatusEventPublisher::SubscriptionId id_ = 0;
  std::mutex mu_;
  std::vector<StatusEvent> events_;
};

class RegistryFixture : public ::testing::Test {
 protected:
  RegistryFixture() : clock_(pki::testing::kReferenceTime) {}

  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = std::move(*store);
    auto issuer =
        pki::CertificateAuthority::Load(ReadFixture("root-ca.pem"), ReadFixture("root-ca.key"));
    ASSERT_TRUE(issuer.has_value()) << issuer.error().ToString();
    issuer_ = std::make_unique<pki::CertificateAuthority>(std::move(*issuer));
    certs_ = std::make_unique<CertificateService>(*store_, events_, clock_, *issuer_);
    cas_ = std::make_unique<CaService>(*store_, events_, clock_);
    recorder_ = std::make_unique<RecordingSubscriber>(events_);
    Run([](RegistryTx& tx) -> Result<void> {
      for (const auto& [id, region, prefix] :
           {std::tuple{kAccountA, "us-east-1", "aaaaaaaaaaaaaa"},
            std::tuple{kAccountB, "us-east-1", "bbbbbbbbbbbbbb"},
            std::tuple{kAccountEu, "eu-west-1", "cccccccccccccc"}}) {
        if (auto r = tx.InsertAccount(Account{id, "test", region, prefix, FromEpochMillis(0)});
            !r) {
          return r;
        }
        if (auto r = tx.PutRegistrationCode(id, kFixtureCode); !r) {
          return r;
        }
      }
      return Ok();
    });
  }

  void Run(const RegistryStore::TxFn& fn) {
    auto r = store_->Transact(fn);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // Registers fixture CA 1 (RSA, DEFAULT mode, with its verification certificate) in `account`.
  void RegisterCa1(const std::string& account, bool active = true) {
    RegisterCaRequest request;
    request.ca_certificate_pem = ReadFixture("ca1.pem");
    request.verification_certificate_pem = ReadFixture("verification-ca1.pem");
    request.set_as_active = active;
    auto r = cas_->Register(account, request);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  // Fixture CA 2 (EC) has no verification certificate; register it in SNI_ONLY mode.
  void RegisterCa2SniOnly(const std::string& account) {
    RegisterCaRequest request;
    request.ca_certificate_pem = ReadFixture("ca2.pem");
    request.mode = CertificateMode::kSniOnly;
    request.set_as_active = true;
    auto r = cas_->Register(account, request);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  Result<CertificateRecord> RegisterDevice(
      const std::string& account, const std::string& name,
      std::optional<CertificateStatus> status = CertificateStatus::kInactive) {
    RegisterCertificateRequest request;
    request.certificate_pem = ReadFixture(name + ".pem");
    request.status = status;
    return certs_->RegisterCertificate(account, request);
  }

  ManualClock clock_;
  StatusEventPublisher events_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pki::CertificateAuthority> issuer_;
  std::unique_ptr<CertificateService> certs_;
  std::unique_ptr<CaService> cas_;
  std::unique_ptr<RecordingSubscriber> recorder_;
};

}  // namespace fg::registry::testing
