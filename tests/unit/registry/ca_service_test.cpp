#include "registry/ca_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/hex.h"
#include "pki/authority.h"
#include "registry_fixture.h"

namespace fg::registry::testing {
namespace {

class CaServiceTest : public RegistryFixture {
 protected:
  RegisterCaRequest Ca1Request(std::string verification = "verification-ca1") {
    RegisterCaRequest r;
    r.ca_certificate_pem = ReadFixture("ca1.pem");
    r.verification_certificate_pem = ReadFixture(verification + ".pem");
    return r;
  }
};

TEST_F(CaServiceTest, RegistrationCodeIsCreatedOnceAndReplacedAfterDelete) {
  Run([](RegistryTx& tx) { return tx.DeleteRegistrationCode(kAccountA).map([](bool) {}); });
  auto first = cas_->GetRegistrationCode(kAccountA);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->size(), 64u);
  EXPECT_TRUE(IsHex(*first, 64));
  EXPECT_EQ(cas_->GetRegistrationCode(kAccountA).value(), *first);
  EXPECT_NE(cas_->GetRegistrationCode(kAccountB).value(), *first);
  ASSERT_TRUE(cas_->DeleteRegistrationCode(kAccountA).has_value());
  EXPECT_EQ(cas_->DeleteRegistrationCode(kAccountA).error().code, ErrorCode::kNotFound);
  EXPECT_NE(cas_->GetRegistrationCode(kAccountA).value(), *first);
  EXPECT_EQ(cas_->GetRegistrationCode("999999999999").error().code, ErrorCode::kNotFound);
}

TEST_F(CaServiceTest, RegisterAcceptsAndRefuses) {
  struct Case {
    const char* name;
    RegisterCaRequest request;
    std::optional<ErrorCode> expected;
  };
  RegisterCaRequest device_as_ca = Ca1Request();
  device_as_ca.ca_certificate_pem = ReadFixture("device-rsa-1.pem");
  RegisterCaRequest no_verification = Ca1Request();
  no_verification.verification_certificate_pem.reset();
  RegisterCaRequest sni_auto;
  sni_auto.ca_certificate_pem = ReadFixture("ca2.pem");
  sni_auto.mode = CertificateMode::kSniOnly;
  sni_auto.allow_auto_registration = true;
  RegisterCaRequest garbage = Ca1Request();
  garbage.ca_certificate_pem = "not a certificate";
  RegisterCaRequest bad_verification = Ca1Request();
  bad_verification.verification_certificate_pem = "junk";
  RegisterCaRequest bad_template = Ca1Request();
  bad_template.registration_config.template_name = "bad name!";
  const std::vector<Case> cases = {
      {"wrong CN", Ca1Request("verification-ca1-wrong-cn"), ErrorCode::kRegistrationCodeValidation},
      {"signed by another key", Ca1Request("verification-ca1-rogue-key"),
       ErrorCode::kCertificateValidation},
      {"not a CA", device_as_ca, ErrorCode::kCertificateValidation},
      {"no verification in DEFAULT mode", no_verification, ErrorCode::kInvalidArgument},
      {"auto-registration in SNI_ONLY mode", sni_auto, ErrorCode::kInvalidArgument},
      {"garbage", garbage, ErrorCode::kCertificateValidation},
      {"garbage verification", bad_verification, ErrorCode::kCertificateValidation},
      {"bad template name", bad_template, ErrorCode::kInvalidArgument},
      {"good", Ca1Request(), std::nullopt},
      {"same CA twice", Ca1Request(), ErrorCode::kAlreadyExists},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = cas_->Register(kAccountA, c.request);
    if (c.expected) {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code, *c.expected) << r.error().ToString();
    } else {
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      EXPECT_EQ(r->certificate_id, FixtureFingerprint("ca1"));
      EXPECT_EQ(r->status, CaCertificateStatus::kInactive);
      EXPECT_EQ(r->auto_registration, AutoRegistrationStatus::kDisable);
      EXPECT_EQ(r->mode, CertificateMode::kDefault);
    }
  }
  auto again = cas_->Register(kAccountA, Ca1Request());
  EXPECT_EQ(again.error().resource_arn,
            "arn:aws:iot:us-east-1:111111111111:cacert/" + FixtureFingerprint("ca1"));
}

TEST_F(CaServiceTest, RegistrationNeedsTheAccountsOwnCode) {
  Run([](RegistryTx& tx) { return tx.PutRegistrationCode(kAccountA, std::string(64, 'f')); });
  EXPECT_EQ(cas_->Register(kAccountA, Ca1Request()).error().code,
            ErrorCode::kRegistrationCodeValidation);
  Run([](RegistryTx& tx) { return tx.DeleteRegistrationCode(kAccountA).map([](bool) {}); });
  EXPECT_EQ(cas_->Register(kAccountA, Ca1Request()).error().code,
            ErrorCode::kRegistrationCodeValidation);
}

TEST_F(CaServiceTest, DefaultModeIsOneAccountPerRegion) {
  ASSERT_TRUE(cas_->Register(kAccountA, Ca1Request()).has_value());
  auto same_region = cas_->Register(kAccountB, Ca1Request());
  ASSERT_FALSE(same_region.has_value());
  EXPECT_EQ(same_region.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(same_region.error().resource_id, FixtureFingerprint("ca1"));
  EXPECT_TRUE(same_region.error().resource_arn.empty());
  EXPECT_TRUE(cas_->Register(kAccountEu, Ca1Request()).has_value());
  RegisterCaRequest sni = Ca1Request();
  sni.mode = CertificateMode::kSniOnly;
  sni.verification_certificate_pem.reset();
  auto sni_registered = cas_->Register(kAccountB, sni);
  ASSERT_TRUE(sni_registered.has_value()) << sni_registered.error().ToString();
  EXPECT_EQ(sni_registered->mode, CertificateMode::kSniOnly);
}

TEST_F(CaServiceTest, AtMostTenCasShareASubject) {
  for (int i = 0; i < 11; ++i) {
    auto ca = pki::CertificateAuthority::Generate("Same Subject", FromEpochSeconds(1577836800),
                                                  FromEpochSeconds(2524608000),
                                                  pki::KeyAlgorithm::kEcP256);
    ASSERT_TRUE(ca.has_value());
    RegisterCaRequest request;
    request.ca_certificate_pem = ca->Cert().Pem();
    request.mode = CertificateMode::kSniOnly;
    auto r = cas_->Register(kAccountA, request);
    if (i < 10) {
      ASSERT_TRUE(r.has_value()) << i << ": " << r.error().ToString();
    } else {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
    }
  }
}

TEST_F(CaServiceTest, ListFiltersByTemplateNameAndPagesInEitherOrder) {
  // Seven SNI_ONLY CAs; the even ones name template "t", the odd ones "u", and more than a
  // store page's worth of filtering is not needed to see the cursor carried across.
  std::vector<std::string> with_t;
  for (int i = 0; i < 7; ++i) {
    auto ca = pki::CertificateAuthority::Generate(
        "CA " + std::to_string(i), FromEpochSeconds(1577836800), FromEpochSeconds(2524608000),
        pki::KeyAlgorithm::kEcP256);
    ASSERT_TRUE(ca.has_value());
    RegisterCaRequest request;
    request.ca_certificate_pem = ca->Cert().Pem();
    request.mode = CertificateMode::kSniOnly;
    request.registration_config.template_name = i % 2 == 0 ? "t" : "u";
    auto r = cas_->Register(kAccountA, request);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    if (i % 2 == 0) {
      with_t.push_back(r->certificate_id);
    }
    clock_.Advance(std::chrono::seconds(1));
  }
  for (SortOrder order : {SortOrder::kAscending, SortOrder::kDescending}) {
    std::vector<std::string> seen;
    PageRequest page{3, "", order};
    int pages = 0;
    do {
      auto r = cas_->List(kAccountA, page, "t");
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      for (const auto& ca : r->items) {
        EXPECT_EQ(ca.registration_config.template_name, "t");
        seen.push_back(ca.certificate_id);
      }
      page.cursor = r->next_cursor;
      ++pages;
    } while (!page.cursor.empty() && pages < 10);
    // Four matches in pages of 3: the second page is the last and says so.
    EXPECT_EQ(pages, 2);
    std::vector<std::string> want = with_t;
    if (order == SortOrder::kDescending) {
      std::reverse(want.begin(), want.end());
    }
    EXPECT_EQ(seen, want);
  }
  auto exact = cas_->List(kAccountA, PageRequest{4, ""}, "t");
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->items.size(), 4u);
  EXPECT_TRUE(exact->next_cursor.empty());
  auto none = cas_->List(kAccountA, PageRequest{4, ""}, "v");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->items.empty());
  auto all = cas_->List(kAccountA, PageRequest{250, ""});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->items.size(), 7u);
  EXPECT_FALSE(cas_->List(kAccountA, PageRequest{0, ""}, "t").has_value());
}

TEST_F(CaServiceTest, UpdatePublishesStatusChanges) {
  ASSERT_TRUE(cas_->Register(kAccountA, Ca1Request()).has_value());
  const std::string id = FixtureFingerprint("ca1");
  EXPECT_EQ(
      recorder_->Take(),
      (std::vector<StatusEvent>{{StatusEventKind::kCaCertificate, kAccountA, id, "", "INACTIVE"}}));
  UpdateCaRequest activate;
  activate.new_status = CaCertificateStatus::kActive;
  activate.new_auto_registration = AutoRegistrationStatus::kEnable;
  activate.registration_config = RegistrationConfig{"{}", "arn:aws:iam::1:role/provisioning", "t"};
  ASSERT_TRUE(cas_->Update(kAccountA, id, activate).has_value());
  auto described = cas_->Describe(kAccountA, id);
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->status, CaCertificateStatus::kActive);
  EXPECT_EQ(described->auto_registration, AutoRegistrationStatus::kEnable);
  EXPECT_EQ(described->registration_config.template_name, "t");
  EXPECT_EQ(described->customer_version, 2);
  EXPECT_EQ(recorder_->Take(), (std::vector<StatusEvent>{{StatusEventKind::kCaCertificate,
                                                          kAccountA, id, "INACTIVE", "ACTIVE"}}));
  // Same values again: nothing changes, nothing is published.
  ASSERT_TRUE(cas_->Update(kAccountA, id, activate).has_value());
  EXPECT_TRUE(recorder_->Take().empty());
  UpdateCaRequest remove;
  remove.remove_auto_registration = true;
  ASSERT_TRUE(cas_->Update(kAccountA, id, remove).has_value());
  EXPECT_EQ(cas_->Describe(kAccountA, id)->auto_registration, AutoRegistrationStatus::kDisable);
  // Auto-registration decides just-in-time registration, which the gateway caches.
  EXPECT_EQ(recorder_->Take(), (std::vector<StatusEvent>{{StatusEventKind::kCaCertificate,
                                                          kAccountA, id, "ACTIVE", "ACTIVE"}}));
  UpdateCaRequest contradiction;
  contradiction.remove_auto_registration = true;
  contradiction.new_auto_registration = AutoRegistrationStatus::kEnable;
  EXPECT_EQ(cas_->Update(kAccountA, id, contradiction).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(cas_->Update(kAccountB, id, activate).error().code, ErrorCode::kNotFound);
}

TEST_F(CaServiceTest, SniOnlyCaCannotEnableAutoRegistration) {
  RegisterCa2SniOnly(kAccountA);
  UpdateCaRequest enable;
  enable.new_auto_registration = AutoRegistrationStatus::kEnable;
  EXPECT_EQ(cas_->Update(kAccountA, FixtureFingerprint("ca2"), enable).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(CaServiceTest, DeleteNeedsInactiveAndNoCertificates) {
  RegisterCa1(kAccountA, /*active=*/true);
  const std::string id = FixtureFingerprint("ca1");
  auto device = RegisterDevice(kAccountA, "device-rsa-1");
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(cas_->Delete(kAccountA, id).error().code, ErrorCode::kCertificateState);
  UpdateCaRequest deactivate;
  deactivate.new_status = CaCertificateStatus::kInactive;
  ASSERT_TRUE(cas_->Update(kAccountA, id, deactivate).has_value());
  EXPECT_EQ(cas_->Delete(kAccountA, id).error().code, ErrorCode::kCertificateState);
  ASSERT_TRUE(certs_->Delete(kAccountA, device->certificate_id, false).has_value());
  EXPECT_EQ(cas_->Delete(kAccountB, id).error().code, ErrorCode::kNotFound);
  recorder_->Take();
  ASSERT_TRUE(cas_->Delete(kAccountA, id).has_value());
  EXPECT_EQ(
      recorder_->Take(),
      (std::vector<StatusEvent>{{StatusEventKind::kCaCertificate, kAccountA, id, "INACTIVE", ""}}));
  EXPECT_EQ(cas_->Describe(kAccountA, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(cas_->Delete(kAccountA, "nothex").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::registry::testing
