// The registry adapters of the audit's mitigation seams (app/audit_adapters.h) over a real
// registry (SqliteStore in memory, RegistryFixture).

#include "app/audit_adapters.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "registry/arn.h"
#include "registry/thing_group_service.h"
#include "registry/thing_service.h"
#include "unit/registry/registry_fixture.h"

namespace fg::app {
namespace {

using registry::CertificateStatus;
using registry::testing::kAccountA;
using registry::testing::kAccountB;
using registry::testing::ReadFixture;

class AuditAdaptersTest : public registry::testing::RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    things_ = std::make_unique<registry::ThingService>(*store_, clock_);
    groups_ = std::make_unique<registry::ThingGroupService>(*store_, clock_);
    auto cert = certs_->RegisterCertificateWithoutCa(kAccountA, ReadFixture("device-ec-1.pem"),
                                                     CertificateStatus::kActive);
    ASSERT_TRUE(cert.has_value()) << cert.error().ToString();
    cert_id_ = cert->certificate_id;
  }

  CertificateStatus StatusOf(const std::string& account, const std::string& id) {
    auto record = certs_->Describe(account, id);
    EXPECT_TRUE(record.has_value()) << record.error().ToString();
    return record ? record->status : CertificateStatus::kActive;
  }

  void Thing(const std::string& name, bool attach) {
    ASSERT_TRUE(things_->Create(kAccountA, name, {}).has_value());
    if (attach) {
      auto attached = things_->AttachPrincipal(
          kAccountA, name, registry::CertificateArn("us-east-1", kAccountA, cert_id_),
          registry::ThingPrincipalType::kNonExclusiveThing);
      ASSERT_TRUE(attached.has_value()) << attached.error().ToString();
    }
  }

  std::vector<std::string> Members(const std::string& group) {
    auto page = groups_->ListThings(kAccountA, group, false, registry::PageRequest{250, ""});
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    return page ? page->items : std::vector<std::string>{};
  }

  std::unique_ptr<registry::ThingService> things_;
  std::unique_ptr<registry::ThingGroupService> groups_;
  std::string cert_id_;
};

TEST_F(AuditAdaptersTest, DeactivateGoesThroughTheRegistryAndIsIdempotent) {
  RegistryCertificateUpdater updater(*certs_);
  recorder_->Take();
  ASSERT_TRUE(updater.DeactivateCertificate(kAccountA, cert_id_).has_value());
  EXPECT_EQ(StatusOf(kAccountA, cert_id_), CertificateStatus::kInactive);
  // The status event is what makes the gateway drop the live sessions.
  EXPECT_EQ(recorder_->Take().size(), 1u);
  ASSERT_TRUE(updater.DeactivateCertificate(kAccountA, cert_id_).has_value());

  auto elsewhere = updater.DeactivateCertificate(kAccountB, cert_id_);
  ASSERT_FALSE(elsewhere.has_value());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id_, CertificateStatus::kRevoked));
  auto revoked = updater.DeactivateCertificate(kAccountA, cert_id_);
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error().code, ErrorCode::kCertificateState);
}

TEST_F(AuditAdaptersTest, AddsEveryAttachedThingToEveryGroup) {
  Thing("lamp-1", true);
  Thing("lamp-2", true);
  Thing("bystander", false);
  ASSERT_TRUE(groups_->Create(kAccountA, "quarantine", {}).has_value());
  ASSERT_TRUE(groups_->Create(kAccountA, "review", {}).has_value());
  RegistryThingGroupAdder adder(*things_, *groups_, "us-east-1");
  ASSERT_TRUE(adder.AddThingsOfCertificate(kAccountA, cert_id_, {"quarantine", "review"}, true));
  EXPECT_EQ(Members("quarantine"), (std::vector<std::string>{"lamp-1", "lamp-2"}));
  EXPECT_EQ(Members("review"), (std::vector<std::string>{"lamp-1", "lamp-2"}));
  // Again: idempotent.
  ASSERT_TRUE(adder.AddThingsOfCertificate(kAccountA, cert_id_, {"quarantine"}, false));
  EXPECT_EQ(Members("quarantine").size(), 2u);
}

TEST_F(AuditAdaptersTest, AMissingGroupMovesNothing) {
  Thing("lamp-1", true);
  ASSERT_TRUE(groups_->Create(kAccountA, "quarantine", {}).has_value());
  RegistryThingGroupAdder adder(*things_, *groups_, "us-east-1");
  auto r = adder.AddThingsOfCertificate(kAccountA, cert_id_, {"quarantine", "typo"}, false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Members("quarantine").empty());
  // A certificate without things is a success; one the account does not have is kNotFound.
  auto lonely = certs_->RegisterCertificateWithoutCa(kAccountA, ReadFixture("device-ec-2.pem"),
                                                     CertificateStatus::kActive);
  ASSERT_TRUE(lonely.has_value()) << lonely.error().ToString();
  EXPECT_TRUE(adder.AddThingsOfCertificate(kAccountA, lonely->certificate_id, {"quarantine"}, false)
                  .has_value());
  EXPECT_TRUE(Members("quarantine").empty());
  auto elsewhere = adder.AddThingsOfCertificate(kAccountB, cert_id_, {"quarantine"}, false);
  ASSERT_FALSE(elsewhere.has_value());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fg::app
