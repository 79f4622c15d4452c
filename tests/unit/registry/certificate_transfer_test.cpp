#include <gtest/gtest.h>

#include "registry/certificate_service.h"
#include "registry_fixture.h"

namespace fg::registry::testing {
namespace {

class CertificateTransferTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    RegisterCa1(kAccountA);
    auto cert = RegisterDevice(kAccountA, "device-rsa-1", CertificateStatus::kInactive);
    ASSERT_TRUE(cert.has_value()) << cert.error().ToString();
    id_ = cert->certificate_id;
    recorder_->Take();
  }

  ErrorCode CodeOf(const Result<void>& r) { return r ? ErrorCode::kInternal : r.error().code; }

  std::string id_;
};

TEST_F(CertificateTransferTest, AcceptMovesTheCertificateToTheTarget) {
  auto transferred = certs_->Transfer(kAccountA, id_, kAccountB, "here you go");
  ASSERT_TRUE(transferred.has_value()) << transferred.error().ToString();
  EXPECT_EQ(transferred->status, CertificateStatus::kPendingTransfer);
  EXPECT_EQ(certs_->Describe(kAccountA, id_)->transfer->transfer_message, "here you go");
  EXPECT_EQ(recorder_->Take(), (std::vector<StatusEvent>{{StatusEventKind::kCertificate, kAccountA,
                                                          id_, "INACTIVE", "PENDING_TRANSFER"}}));
  // Nobody may change the status or delete it meanwhile.
  EXPECT_EQ(CodeOf(certs_->UpdateStatus(kAccountA, id_, CertificateStatus::kActive)),
            ErrorCode::kCertificateState);
  EXPECT_EQ(CodeOf(certs_->Delete(kAccountA, id_, false)), ErrorCode::kCertificateState);
  // Only the target may accept.
  EXPECT_EQ(CodeOf(certs_->AcceptTransfer(kAccountEu, id_, true)), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(certs_->AcceptTransfer(kAccountA, id_, true)), ErrorCode::kNotFound);

  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(certs_->AcceptTransfer(kAccountB, id_, /*set_as_active=*/true).has_value());
  EXPECT_EQ(certs_->Describe(kAccountA, id_).error().code, ErrorCode::kNotFound);
  auto moved = certs_->Describe(kAccountB, id_);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->status, CertificateStatus::kActive);
  EXPECT_EQ(moved->owned_by, kAccountB);
  EXPECT_EQ(moved->previous_owned_by, std::optional<std::string>(kAccountA));
  EXPECT_EQ(moved->transfer->accept_date, clock_.Now());
  // CA 1 is not registered in B, so the CA link does not follow.
  EXPECT_FALSE(moved->ca_certificate_id.has_value());
  EXPECT_EQ(recorder_->Take(), (std::vector<StatusEvent>{{StatusEventKind::kCertificate, kAccountB,
                                                          id_, "PENDING_TRANSFER", "ACTIVE"}}));

  // Every further transfer call on the completed transfer.
  EXPECT_EQ(CodeOf(certs_->AcceptTransfer(kAccountB, id_, true)),
            ErrorCode::kTransferAlreadyCompleted);
  EXPECT_EQ(CodeOf(certs_->RejectTransfer(kAccountB, id_, "no")),
            ErrorCode::kTransferAlreadyCompleted);
  EXPECT_EQ(CodeOf(certs_->CancelTransfer(kAccountA, id_)), ErrorCode::kTransferAlreadyCompleted);
  // CA 1 now has no certificates in A and may be deleted once inactive.
  UpdateCaRequest deactivate;
  deactivate.new_status = CaCertificateStatus::kInactive;
  ASSERT_TRUE(cas_->Update(kAccountA, FixtureFingerprint("ca1"), deactivate).has_value());
  EXPECT_TRUE(cas_->Delete(kAccountA, FixtureFingerprint("ca1")).has_value());
}

TEST_F(CertificateTransferTest, AcceptKeepsTheCaLinkWhenTheTargetHasTheCa) {
  RegisterCa1(kAccountEu);
  ASSERT_TRUE(certs_->Transfer(kAccountA, id_, kAccountEu, "").has_value());
  ASSERT_TRUE(certs_->AcceptTransfer(kAccountEu, id_, /*set_as_active=*/false).has_value());
  auto moved = certs_->Describe(kAccountEu, id_);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->status, CertificateStatus::kInactive);
  EXPECT_EQ(moved->ca_certificate_id, std::optional<std::string>(FixtureFingerprint("ca1")));
}

TEST_F(CertificateTransferTest, RejectReturnsItToTheSource) {
  ASSERT_TRUE(certs_->Transfer(kAccountA, id_, kAccountB, "").has_value());
  recorder_->Take();
  EXPECT_EQ(CodeOf(certs_->RejectTransfer(kAccountB, id_, std::string(129, 'x'))),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(certs_->RejectTransfer(kAccountB, id_, "not mine").has_value());
  auto back = certs_->Describe(kAccountA, id_);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->status, CertificateStatus::kInactive);
  EXPECT_EQ(back->transfer->reject_reason, "not mine");
  EXPECT_TRUE(back->transfer->reject_date.has_value());
  EXPECT_EQ(recorder_->Take(), (std::vector<StatusEvent>{{StatusEventKind::kCertificate, kAccountA,
                                                          id_, "PENDING_TRANSFER", "INACTIVE"}}));
  EXPECT_EQ(CodeOf(certs_->AcceptTransfer(kAccountB, id_, true)),
            ErrorCode::kTransferAlreadyCompleted);
  EXPECT_EQ(CodeOf(certs_->CancelTransfer(kAccountA, id_)), ErrorCode::kTransferAlreadyCompleted);
  // The source may transfer again afterwards.
  EXPECT_TRUE(certs_->Transfer(kAccountA, id_, kAccountB, "again").has_value());
}

TEST_F(CertificateTransferTest, CancelBeforeAcceptance) {
  ASSERT_TRUE(certs_->Transfer(kAccountA, id_, kAccountB, "").has_value());
  EXPECT_EQ(CodeOf(certs_->CancelTransfer(kAccountB, id_)), ErrorCode::kNotFound);
  ASSERT_TRUE(certs_->CancelTransfer(kAccountA, id_).has_value());
  auto back = certs_->Describe(kAccountA, id_);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->status, CertificateStatus::kInactive);
  EXPECT_FALSE(back->transfer.has_value());
  EXPECT_EQ(CodeOf(certs_->AcceptTransfer(kAccountB, id_, true)), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(certs_->CancelTransfer(kAccountA, id_)), ErrorCode::kInvalidArgument);
}

TEST_F(CertificateTransferTest, TransferRefusals) {
  struct Case {
    const char* name;
    std::function<void()> setup;
    std::string target;
    std::string message;
    ErrorCode expected;
  };
  const std::vector<Case> cases = {
      {"malformed target", [] {}, "12345", "", ErrorCode::kInvalidArgument},
      {"own account", [] {}, kAccountA, "", ErrorCode::kInvalidArgument},
      {"unknown target", [] {}, "999999999999", "", ErrorCode::kNotFound},
      {"message too long", [] {}, kAccountB, std::string(129, 'm'), ErrorCode::kInvalidArgument},
      {"active",
       [&] { ASSERT_TRUE(certs_->UpdateStatus(kAccountA, id_, CertificateStatus::kActive)); },
       kAccountB, "", ErrorCode::kCertificateState},
      {"revoked",
       [&] { ASSERT_TRUE(certs_->UpdateStatus(kAccountA, id_, CertificateStatus::kRevoked)); },
       kAccountB, "", ErrorCode::kCertificateState},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    c.setup();
    auto r = certs_->Transfer(kAccountA, id_, c.target, c.message);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.expected) << r.error().ToString();
  }
}

TEST_F(CertificateTransferTest, AttachedCertificateIsATransferConflict) {
  Run([&](RegistryTx& tx) -> Result<void> {
    if (auto r = tx.InsertThing(Thing{kAccountA, "t", "id", "", {}, 1, FromEpochMillis(0)}); !r) {
      return r;
    }
    return tx.UpsertThingPrincipal(
        {kAccountA, "t", id_, ThingPrincipalType::kExclusiveThing, FromEpochMillis(0)});
  });
  auto r = certs_->Transfer(kAccountA, id_, kAccountB, "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kTransferConflict);
}

TEST_F(CertificateTransferTest, TargetAlreadyHoldingTheCertificateIsATransferConflict) {
  ASSERT_TRUE(certs_->RegisterCertificateWithoutCa(kAccountB, ReadFixture("device-rsa-1.pem"),
                                                   std::nullopt));
  auto r = certs_->Transfer(kAccountA, id_, kAccountB, "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kTransferConflict);
}

TEST_F(CertificateTransferTest, SniOnlyCertificatesAreNotTransferred) {
  auto sni = certs_->RegisterCertificateWithoutCa(kAccountB, ReadFixture("device-rsa-2.pem"),
                                                  std::nullopt);
  ASSERT_TRUE(sni.has_value());
  auto r = certs_->Transfer(kAccountB, sni->certificate_id, kAccountA, "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::registry::testing
