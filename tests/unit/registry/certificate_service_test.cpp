#include "registry/certificate_service.h"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pki/verification.h"
#include "registry/arn.h"
#include "registry/transact.h"
#include "registry_fixture.h"

namespace fg::registry::testing {
namespace {

class CertificateServiceTest : public RegistryFixture {};

struct RegisterCase {
  const char* name;
  std::string pem;
  std::optional<std::string> ca_pem;
  std::optional<CertificateStatus> status;
  std::optional<ErrorCode> expected;  // nullopt: accepted
};

TEST_F(CertificateServiceTest, RegisterCertificateAcceptsAndRefuses) {
  RegisterCa1(kAccountA);
  RegisterCa2SniOnly(kAccountA);
  const std::vector<RegisterCase> cases = {
      {"rsa device", ReadFixture("device-rsa-1.pem"), std::nullopt, std::nullopt, std::nullopt},
      {"ec device, SNI_ONLY CA", ReadFixture("device-ec-1.pem"), std::nullopt,
       CertificateStatus::kActive, std::nullopt},
      {"rsa sha384", ReadFixture("device-rsa-sha384.pem"), std::nullopt, std::nullopt,
       std::nullopt},
      {"rsa sha512", ReadFixture("device-rsa-sha512.pem"), std::nullopt, std::nullopt,
       std::nullopt},
      {"ec sha384", ReadFixture("device-ec-sha384.pem"), std::nullopt, std::nullopt, std::nullopt},
      {"ec sha512", ReadFixture("device-ec-sha512.pem"), std::nullopt, std::nullopt, std::nullopt},
      {"given CA", ReadFixture("device-rsa-2.pem"), ReadFixture("ca1.pem"),
       CertificateStatus::kRevoked, std::nullopt},
      {"given CA did not sign it", ReadFixture("device-rsa-3.pem"), ReadFixture("ca2.pem"),
       std::nullopt, ErrorCode::kCertificateValidation},
      {"given CA not registered", ReadFixture("device-rogue.pem"), ReadFixture("rogue-ca.pem"),
       std::nullopt, ErrorCode::kCertificateValidation},
      {"unregistered CA", ReadFixture("device-rogue.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"self-signed", ReadFixture("device-selfsigned.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"sha1", ReadFixture("device-sha1.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"md5", ReadFixture("device-md5.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"expired", ReadFixture("device-expired.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"not yet valid", ReadFixture("device-not-yet-valid.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"two certificates", ReadFixture("two-certs.pem"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", std::nullopt,
       std::nullopt, ErrorCode::kCertificateValidation},
      {"DER instead of PEM", ReadFixture("device-rsa-1.der"), std::nullopt, std::nullopt,
       ErrorCode::kCertificateValidation},
      {"empty", "", std::nullopt, std::nullopt, ErrorCode::kInvalidArgument},
      {"too large", std::string(70000, 'A'), std::nullopt, std::nullopt,
       ErrorCode::kInvalidArgument},
      {"status PENDING_TRANSFER", ReadFixture("device-rsa-3.pem"), std::nullopt,
       CertificateStatus::kPendingTransfer, ErrorCode::kInvalidArgument},
      {"status PENDING_ACTIVATION", ReadFixture("device-rsa-3.pem"), std::nullopt,
       CertificateStatus::kPendingActivation, ErrorCode::kInvalidArgument},
      {"bad CA PEM", ReadFixture("device-rsa-3.pem"), std::string("junk"), std::nullopt,
       ErrorCode::kCertificateValidation},
  };
  for (const RegisterCase& c : cases) {
    SCOPED_TRACE(c.name);
    RegisterCertificateRequest request{c.pem, c.ca_pem, c.status};
    auto r = certs_->RegisterCertificate(kAccountA, request);
    if (!c.expected) {
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      EXPECT_EQ(r->status, c.status.value_or(CertificateStatus::kInactive));
      EXPECT_EQ(r->owned_by, kAccountA);
      EXPECT_TRUE(r->ca_certificate_id.has_value());
      auto parsed = pki::Certificate::FromPem(c.pem);
      ASSERT_TRUE(parsed.has_value());
      EXPECT_EQ(r->certificate_id, parsed->Id());
      EXPECT_EQ(certs_->Describe(kAccountA, r->certificate_id).value(), *r);
    } else {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code, *c.expected) << r.error().ToString();
    }
  }
}

TEST_F(CertificateServiceTest, RegisteredCertificateRecordsCaAndMode) {
  RegisterCa1(kAccountA);
  RegisterCa2SniOnly(kAccountA);
  auto rsa = RegisterDevice(kAccountA, "device-rsa-1");
  ASSERT_TRUE(rsa.has_value()) << rsa.error().ToString();
  EXPECT_EQ(rsa->ca_certificate_id, FixtureFingerprint("ca1"));
  EXPECT_EQ(rsa->mode, CertificateMode::kDefault);
  EXPECT_EQ(rsa->certificate_id, FixtureFingerprint("device-rsa-1"));
  EXPECT_EQ(rsa->creation_date, pki::testing::kReferenceTime);
  auto ec = RegisterDevice(kAccountA, "device-ec-1");
  ASSERT_TRUE(ec.has_value());
  EXPECT_EQ(ec->mode, CertificateMode::kSniOnly);
}

TEST_F(CertificateServiceTest, RegisteringTwiceReturnsIdAndArn) {
  RegisterCa1(kAccountA);
  ASSERT_TRUE(RegisterDevice(kAccountA, "device-rsa-1").has_value());
  for (bool without_ca : {false, true}) {
    auto again = without_ca ? certs_->RegisterCertificateWithoutCa(
                                  kAccountA, ReadFixture("device-rsa-1.pem"), std::nullopt)
                            : RegisterDevice(kAccountA, "device-rsa-1");
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(again.error().resource_id, FixtureFingerprint("device-rsa-1"));
    EXPECT_EQ(again.error().resource_arn,
              "arn:aws:iot:us-east-1:111111111111:cert/" + FixtureFingerprint("device-rsa-1"));
  }
}

TEST_F(CertificateServiceTest, InactiveCaRefusesRegistration) {
  RegisterCa1(kAccountA, /*active=*/false);
  auto r = RegisterDevice(kAccountA, "device-rsa-1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCertificateState);
}

TEST_F(CertificateServiceTest, CaOfAnotherAccountDoesNotVouch) {
  RegisterCa1(kAccountA);
  auto r = RegisterDevice(kAccountB, "device-rsa-1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCertificateValidation);
}

TEST_F(CertificateServiceTest, MultiAccountRegistration) {
  RegisterCa1(kAccountA);
  RegisterCa1(kAccountEu);
  ASSERT_TRUE(RegisterDevice(kAccountA, "device-rsa-1").has_value());
  // DEFAULT mode in a second account is refused...
  auto second_default = RegisterDevice(kAccountEu, "device-rsa-1");
  ASSERT_FALSE(second_default.has_value());
  EXPECT_EQ(second_default.error().code, ErrorCode::kCertificateConflict);
  // ...but SNI_ONLY (without CA) is allowed in any number of accounts.
  for (const char* account : {kAccountB, kAccountEu}) {
    auto sni = certs_->RegisterCertificateWithoutCa(account, ReadFixture("device-rsa-1.pem"),
                                                    CertificateStatus::kActive);
    ASSERT_TRUE(sni.has_value()) << sni.error().ToString();
    EXPECT_EQ(sni->mode, CertificateMode::kSniOnly);
    EXPECT_FALSE(sni->ca_certificate_id.has_value());
  }
  // Without CA, even a self-signed or unregistered-CA certificate is accepted, but the
  // signature policy still applies.
  EXPECT_TRUE(certs_->RegisterCertificateWithoutCa(kAccountA, ReadFixture("device-rogue.pem"),
                                                   std::nullopt));
  auto sha1 =
      certs_->RegisterCertificateWithoutCa(kAccountA, ReadFixture("device-sha1.pem"), std::nullopt);
  ASSERT_FALSE(sha1.has_value());
  EXPECT_EQ(sha1.error().code, ErrorCode::kCertificateValidation);
  auto pending = certs_->RegisterCertificateWithoutCa(kAccountA, ReadFixture("device-rsa-2.pem"),
                                                      CertificateStatus::kRegisterInactive);
  ASSERT_FALSE(pending.has_value());
  EXPECT_EQ(pending.error().code, ErrorCode::kInvalidArgument);
}

// Inserts device-rsa-1 into account A with `status`, bypassing the rules.
void SeedWithStatus(RegistryFixture& f, RegistryStore& store, CertificateStatus status) {
  (void)f;
  auto cert = pki::Certificate::FromPem(ReadFixture("device-rsa-1.pem"));
  ASSERT_TRUE(cert.has_value());
  CertificateRecord record;
  record.account_id = kAccountA;
  record.certificate_id = cert->Id();
  record.pem = cert->Pem();
  record.status = status;
  record.owned_by = kAccountA;
  record.generation_id = "g";
  if (status == CertificateStatus::kPendingTransfer) {
    record.transfer = TransferData{kAccountB, "", "", FromEpochMillis(1), {}, {}};
  }
  auto r = store.Transact([&](RegistryTx& tx) { return tx.InsertCertificate(record); });
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
}

constexpr CertificateStatus kAllStatuses[] = {
    CertificateStatus::kActive,           CertificateStatus::kInactive,
    CertificateStatus::kRevoked,          CertificateStatus::kPendingTransfer,
    CertificateStatus::kRegisterInactive, CertificateStatus::kPendingActivation,
};

std::optional<ErrorCode> ExpectedTransition(CertificateStatus from, CertificateStatus to) {
  if (to != CertificateStatus::kActive && to != CertificateStatus::kInactive &&
      to != CertificateStatus::kRevoked) {
    return ErrorCode::kInvalidArgument;
  }
  if (from == to) {
    return std::nullopt;
  }
  if (from == CertificateStatus::kRevoked || from == CertificateStatus::kPendingTransfer) {
    return ErrorCode::kCertificateState;
  }
  return std::nullopt;
}

TEST_F(CertificateServiceTest, UpdateStatusTransitionTable) {
  const std::string id = FixtureFingerprint("device-rsa-1");
  for (CertificateStatus from : kAllStatuses) {
    for (CertificateStatus to : kAllStatuses) {
      SCOPED_TRACE(std::string(ToString(from)) + " -> " + std::string(ToString(to)));
      Run([&](RegistryTx& tx) -> Result<void> {
        return tx.DeleteCertificate(kAccountA, id).map([](bool) {});
      });
      SeedWithStatus(*this, *store_, from);
      recorder_->Take();
      auto r = certs_->UpdateStatus(kAccountA, id, to);
      const auto expected = ExpectedTransition(from, to);
      const auto now = certs_->Describe(kAccountA, id);
      ASSERT_TRUE(now.has_value());
      if (expected) {
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, *expected) << r.error().ToString();
        EXPECT_EQ(now->status, from);
        EXPECT_TRUE(recorder_->Take().empty());
      } else {
        ASSERT_TRUE(r.has_value()) << r.error().ToString();
        EXPECT_EQ(now->status, to);
        const auto events = recorder_->Take();
        if (from == to) {
          EXPECT_TRUE(events.empty());
          EXPECT_EQ(now->customer_version, 1);
        } else {
          ASSERT_EQ(events.size(), 1u);
          EXPECT_EQ(events[0],
                    (StatusEvent{StatusEventKind::kCertificate, kAccountA, id,
                                 std::string(ToString(from)), std::string(ToString(to))}));
          EXPECT_EQ(now->customer_version, 2);
        }
      }
    }
  }
}

// Caches of "not registered" (the gateway's) must hear of every new registration and deletion,
// after commit, and of nothing that failed.
TEST_F(CertificateServiceTest, RegistrationsAndDeletionsArePublished) {
  RegisterCa1(kAccountA);
  recorder_->Take();
  struct Case {
    const char* name;
    std::function<Result<CertificateRecord>()> create;
  };
  const std::vector<Case> cases = {
      {"RegisterCertificate", [&] { return RegisterDevice(kAccountA, "device-rsa-1"); }},
      {"RegisterCertificateWithoutCA",
       [&] {
         return certs_->RegisterCertificateWithoutCa(kAccountB, ReadFixture("device-ec-1.pem"),
                                                     CertificateStatus::kActive);
       }},
      {"CreateKeysAndCertificate",
       [&]() -> Result<CertificateRecord> {
         auto created = certs_->CreateKeysAndCertificate(kAccountA, false);
         if (!created) {
           return Fail(created.error());
         }
         return created->record;
       }},
      {"CreateCertificateFromCsr",
       [&]() -> Result<CertificateRecord> {
         auto created =
             certs_->CreateCertificateFromCsr(kAccountA, ReadFixture("csr-rsa.csr"), false);
         if (!created) {
           return Fail(created.error());
         }
         return created->record;
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto record = c.create();
    ASSERT_TRUE(record.has_value()) << record.error().ToString();
    const std::string status(ToString(record->status));
    EXPECT_EQ(recorder_->Take(),
              (std::vector<StatusEvent>{{StatusEventKind::kCertificate, record->account_id,
                                         record->certificate_id, "", status}}));
    if (record->status == CertificateStatus::kActive) {
      ASSERT_TRUE(certs_
                      ->UpdateStatus(record->account_id, record->certificate_id,
                                     CertificateStatus::kInactive)
                      .has_value());
      recorder_->Take();
    }
    ASSERT_TRUE(certs_->Delete(record->account_id, record->certificate_id, false).has_value());
    EXPECT_EQ(recorder_->Take(),
              (std::vector<StatusEvent>{{StatusEventKind::kCertificate, record->account_id,
                                         record->certificate_id, "INACTIVE", ""}}));
    // Failures publish nothing.
    EXPECT_FALSE(certs_->Delete(record->account_id, record->certificate_id, false).has_value());
    EXPECT_TRUE(recorder_->Take().empty());
  }
  ASSERT_TRUE(RegisterDevice(kAccountA, "device-rsa-1").has_value());
  recorder_->Take();
  EXPECT_FALSE(RegisterDevice(kAccountA, "device-rsa-1").has_value());
  EXPECT_TRUE(recorder_->Take().empty());
}

TEST_F(CertificateServiceTest, UpdateStatusRefusesUnknownOrForeignCertificates) {
  RegisterCa1(kAccountA);
  auto cert = RegisterDevice(kAccountA, "device-rsa-1");
  ASSERT_TRUE(cert.has_value());
  auto foreign = certs_->UpdateStatus(kAccountB, cert->certificate_id, CertificateStatus::kActive);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(certs_->Describe(kAccountB, cert->certificate_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(certs_->Delete(kAccountB, cert->certificate_id, false).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(certs_->Describe(kAccountA, "xyz").error().code, ErrorCode::kInvalidArgument);
  // Upper case and the "0x" prefix name the same certificate.
  std::string upper = cert->certificate_id;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(certs_->Describe(kAccountA, "0x" + upper).has_value());
  EXPECT_TRUE(certs_->List(kAccountB, PageRequest{}).value().items.empty());
  EXPECT_EQ(certs_->List(kAccountA, PageRequest{}).value().items.size(), 1u);
}

TEST_F(CertificateServiceTest, DeleteGuardsInOrder) {
  const std::string id = FixtureFingerprint("device-rsa-1");
  struct Case {
    CertificateStatus status;
    bool attached;
    std::optional<ErrorCode> expected;
  };
  const Case cases[] = {
      {CertificateStatus::kActive, false, ErrorCode::kCertificateState},
      {CertificateStatus::kActive, true, ErrorCode::kCertificateState},
      {CertificateStatus::kPendingTransfer, false, ErrorCode::kCertificateState},
      {CertificateStatus::kInactive, true, ErrorCode::kDeleteConflict},
      {CertificateStatus::kRevoked, true, ErrorCode::kDeleteConflict},
      {CertificateStatus::kInactive, false, std::nullopt},
      {CertificateStatus::kRevoked, false, std::nullopt},
      {CertificateStatus::kPendingActivation, false, std::nullopt},
  };
  Run([](RegistryTx& tx) {
    return tx.InsertThing(Thing{kAccountA, "t", "id", "", {}, 1, FromEpochMillis(0)});
  });
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.status)) + (c.attached ? " attached" : ""));
    SeedWithStatus(*this, *store_, c.status);
    if (c.attached) {
      Run([&](RegistryTx& tx) {
        return tx.UpsertThingPrincipal(
            {kAccountA, "t", id, ThingPrincipalType::kNonExclusiveThing, FromEpochMillis(0)});
      });
    }
    auto r = certs_->Delete(kAccountA, id, /*force_delete=*/true);
    if (c.expected) {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code, *c.expected) << r.error().ToString();
      Run([&](RegistryTx& tx) -> Result<void> {
        if (auto d = tx.DeleteThingPrincipal(kAccountA, "t", id); !d) {
          return Fail(d.error());
        }
        return tx.DeleteCertificate(kAccountA, id).map([](bool) {});
      });
    } else {
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      EXPECT_EQ(certs_->Describe(kAccountA, id).error().code, ErrorCode::kNotFound);
    }
  }
  EXPECT_EQ(certs_->Delete(kAccountA, id, false).error().code, ErrorCode::kNotFound);
}

TEST_F(CertificateServiceTest, CreateKeysAndCertificateIssuesWithTheServiceCa) {
  for (bool active : {true, false}) {
    auto created = certs_->CreateKeysAndCertificate(kAccountA, active);
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    EXPECT_EQ(created->record.status,
              active ? CertificateStatus::kActive : CertificateStatus::kInactive);
    EXPECT_EQ(created->record.mode, CertificateMode::kDefault);
    EXPECT_FALSE(created->record.ca_certificate_id.has_value());
    EXPECT_NE(created->private_key_pem.find("PRIVATE KEY"), std::string::npos);
    auto cert = pki::Certificate::FromPem(created->record.pem);
    ASSERT_TRUE(cert.has_value());
    EXPECT_EQ(cert->Id(), created->record.certificate_id);
    EXPECT_TRUE(pki::SignedBy(*cert, issuer_->Cert()));
    EXPECT_EQ(created->record.not_after, pki::AwsIotCertificateNotAfter());
  }
  EXPECT_EQ(certs_->List(kAccountA, PageRequest{}).value().items.size(), 2u);
  EXPECT_EQ(certs_->CreateKeysAndCertificate("999999999999", true).error().code,
            ErrorCode::kNotFound);
}

TEST_F(CertificateServiceTest, CreateCertificateFromCsr) {
  auto good = certs_->CreateCertificateFromCsr(kAccountA, ReadFixture("csr-rsa.csr"), true);
  ASSERT_TRUE(good.has_value()) << good.error().ToString();
  EXPECT_EQ(good->record.status, CertificateStatus::kActive);
  EXPECT_TRUE(good->private_key_pem.empty());
  auto again = certs_->CreateCertificateFromCsr(kAccountA, ReadFixture("csr-rsa.csr"), false);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->record.certificate_id, good->record.certificate_id);
  struct Case {
    const char* file;
    ErrorCode expected;
  };
  for (const Case& c : {Case{"csr-broken-signature.csr", ErrorCode::kCertificateValidation},
                        Case{"csr-rsa-1024.csr", ErrorCode::kInvalidArgument},
                        Case{"csr-ec-secp256k1.csr", ErrorCode::kInvalidArgument}}) {
    SCOPED_TRACE(c.file);
    auto r = certs_->CreateCertificateFromCsr(kAccountA, ReadFixture(c.file), true);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.expected) << r.error().ToString();
  }
  EXPECT_FALSE(certs_->CreateCertificateFromCsr(kAccountA, "", true).has_value());
}

TEST_F(CertificateServiceTest, ListPagesByCreationTime) {
  RegisterCa1(kAccountA);
  const char* names[] = {"device-rsa-1", "device-rsa-2", "device-rsa-3", "device-rsa-sha384"};
  for (const char* name : names) {
    ASSERT_TRUE(RegisterDevice(kAccountA, name).has_value());
    clock_.Advance(std::chrono::seconds(1));
  }
  std::vector<std::string> seen;
  PageRequest page{3, ""};
  do {
    auto p = certs_->ListByCa(kAccountA, FixtureFingerprint("ca1"), page);
    ASSERT_TRUE(p.has_value());
    for (const auto& c : p->items) {
      seen.push_back(c.certificate_id);
    }
    page.cursor = p->next_cursor;
  } while (!page.cursor.empty());
  ASSERT_EQ(seen.size(), 4u);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], FixtureFingerprint(names[i]));
  }
  EXPECT_EQ(certs_->List(kAccountA, PageRequest{0, ""}).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::registry::testing
