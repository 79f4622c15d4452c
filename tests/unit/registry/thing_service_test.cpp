#include "registry/thing_service.h"

#include <gtest/gtest.h>

#include "registry/arn.h"
#include "registry_fixture.h"

namespace fg::registry::testing {
namespace {

class ThingServiceTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    things_ = std::make_unique<ThingService>(*store_, clock_);
    for (const char* name : {"device-rsa-1", "device-rsa-2"}) {
      auto cert = certs_->RegisterCertificateWithoutCa(
          kAccountA, ReadFixture(std::string(name) + ".pem"), CertificateStatus::kActive);
      ASSERT_TRUE(cert.has_value()) << cert.error().ToString();
    }
    cert1_ = FixtureFingerprint("device-rsa-1");
    cert2_ = FixtureFingerprint("device-rsa-2");
    for (const char* name : {"t1", "t2", "t3"}) {
      ASSERT_TRUE(things_->Create(kAccountA, name, {}).has_value());
    }
  }

  std::string Arn(const std::string& id) { return CertificateArn("us-east-1", kAccountA, id); }

  std::unique_ptr<ThingService> things_;
  std::string cert1_;
  std::string cert2_;
};

ErrorCode CodeOf(const Result<void>& r) { return r ? ErrorCode::kInternal : r.error().code; }

TEST_F(ThingServiceTest, CreateIsIdempotentForTheSameConfig) {
  const ThingConfig config{"lamp", {{"color", "red"}}};
  auto first = things_->Create(kAccountA, "lamp-1", config);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->id.size(), 36u);
  auto again = things_->Create(kAccountA, "lamp-1", config);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->id, first->id);
  auto different = things_->Create(kAccountA, "lamp-1", ThingConfig{"lamp", {{"color", "blue"}}});
  ASSERT_FALSE(different.has_value());
  EXPECT_EQ(different.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(different.error().resource_id, first->id);
  EXPECT_EQ(different.error().resource_arn, "arn:aws:iot:us-east-1:111111111111:thing/lamp-1");
  // Same name in another account is another thing.
  EXPECT_TRUE(things_->Create(kAccountB, "lamp-1", ThingConfig{"x", {}}).has_value());
  for (const auto& [name, cfg] : {std::pair<std::string, ThingConfig>{"bad name", {}},
                                  {"", {}},
                                  {"ok", ThingConfig{"bad type!", {}}},
                                  {"ok", ThingConfig{"", {{"k", "bad value"}}}}}) {
    EXPECT_EQ(things_->Create(kAccountA, name, cfg).error().code, ErrorCode::kInvalidArgument)
        << name;
  }
}

TEST_F(ThingServiceTest, VersionIncreasesAndExpectedVersionIsChecked) {
  UpdateThingRequest set_attrs;
  set_attrs.attributes = Attributes{{"a", "1"}, {"b", "2"}};
  auto v2 = things_->Update(kAccountA, "t1", set_attrs);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->version, 2);
  UpdateThingRequest merge;
  merge.attributes = Attributes{{"a", ""}, {"c", "3"}};
  merge.merge = true;
  merge.expected_version = 2;
  auto v3 = things_->Update(kAccountA, "t1", merge);
  ASSERT_TRUE(v3.has_value()) << v3.error().ToString();
  EXPECT_EQ(v3->version, 3);
  EXPECT_EQ(v3->attributes, (Attributes{{"b", "2"}, {"c", "3"}}));
  merge.expected_version = 2;
  EXPECT_EQ(things_->Update(kAccountA, "t1", merge).error().code, ErrorCode::kVersionConflict);
  EXPECT_EQ(things_->Describe(kAccountA, "t1")->version, 3);
  EXPECT_EQ(things_->Update(kAccountA, "nope", merge).error().code, ErrorCode::kNotFound);

  EXPECT_EQ(CodeOf(things_->Delete(kAccountA, "t1", 2)), ErrorCode::kVersionConflict);
  EXPECT_TRUE(things_->Delete(kAccountA, "t1", 3).has_value());
  EXPECT_EQ(things_->Describe(kAccountA, "t1").error().code, ErrorCode::kNotFound);
  // Deleting a missing thing succeeds.
  EXPECT_TRUE(things_->Delete(kAccountA, "t1", std::nullopt).has_value());
  EXPECT_TRUE(things_->Delete(kAccountA, "never-existed", 5).has_value());
}

TEST_F(ThingServiceTest, ExclusiveAndNonExclusiveAttachment) {
  using T = ThingPrincipalType;
  struct Step {
    const char* thing;
    std::string principal;
    T type;
    std::optional<ErrorCode> expected;
  };
  const std::vector<Step> steps = {
      {"t1", Arn(cert1_), T::kExclusiveThing, std::nullopt},
      {"t1", Arn(cert1_), T::kExclusiveThing, std::nullopt},  // idempotent
      {"t2", Arn(cert1_), T::kNonExclusiveThing, ErrorCode::kInvalidArgument},
      {"t2", Arn(cert1_), T::kExclusiveThing, ErrorCode::kInvalidArgument},
      {"t1", cert2_, T::kNonExclusiveThing, std::nullopt},  // bare id
      {"t2", Arn(cert2_), T::kNonExclusiveThing, std::nullopt},
      {"t3", Arn(cert2_), T::kExclusiveThing, ErrorCode::kInvalidArgument},
      {"t1", Arn(cert2_), T::kExclusiveThing, ErrorCode::kInvalidArgument},
      {"missing", Arn(cert2_), T::kNonExclusiveThing, ErrorCode::kNotFound},
      {"t3", Arn(std::string(64, 'e')), T::kNonExclusiveThing, ErrorCode::kNotFound},
      {"t3", CertificateArn("us-east-1", kAccountB, cert2_), T::kNonExclusiveThing,
       ErrorCode::kInvalidArgument},
      {"t3", CertificateArn("eu-west-1", kAccountA, cert2_), T::kNonExclusiveThing,
       ErrorCode::kInvalidArgument},
      {"t3", "arn:aws:iot:us-east-1:111111111111:thing/t1", T::kNonExclusiveThing,
       ErrorCode::kInvalidArgument},
      {"t3", "garbage", T::kNonExclusiveThing, ErrorCode::kInvalidArgument},
  };
  for (const Step& s : steps) {
    SCOPED_TRACE(std::string(s.thing) + " " + s.principal);
    auto r = things_->AttachPrincipal(kAccountA, s.thing, s.principal, s.type);
    if (s.expected) {
      EXPECT_EQ(CodeOf(r), *s.expected);
    } else {
      EXPECT_TRUE(r.has_value()) << r.error().ToString();
    }
  }
  EXPECT_EQ(things_->ListThingPrincipals(kAccountA, "t1", PageRequest{}).value().items,
            (std::vector<std::string>{Arn(cert1_), Arn(cert2_)}));
  EXPECT_EQ(things_->ListPrincipalThings(kAccountA, Arn(cert2_), PageRequest{}).value().items,
            (std::vector<std::string>{"t1", "t2"}));
  // Another account sees neither the certificate nor the attachments.
  EXPECT_EQ(things_->ListPrincipalThings(kAccountB, cert2_, PageRequest{}).error().code,
            ErrorCode::kNotFound);
  // Attached certificates cannot be deleted; detaching frees them.
  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert2_, CertificateStatus::kInactive));
  EXPECT_EQ(CodeOf(certs_->Delete(kAccountA, cert2_, false)), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(things_->DetachPrincipal(kAccountA, "t1", Arn(cert2_)).has_value());
  EXPECT_EQ(CodeOf(things_->DetachPrincipal(kAccountA, "t1", Arn(cert2_))), ErrorCode::kNotFound);
  ASSERT_TRUE(things_->Delete(kAccountA, "t2", std::nullopt).has_value());
  EXPECT_TRUE(certs_->Delete(kAccountA, cert2_, false).has_value());
}

TEST_F(ThingServiceTest, PendingTransferCertificateCannotBeAttached) {
  Run([&](RegistryTx& tx) -> Result<void> {
    auto cert = tx.FindCertificate(kAccountA, cert1_);
    if (!cert || !*cert) {
      return Fail(ErrorCode::kInternal, "seed");
    }
    (*cert)->status = CertificateStatus::kPendingTransfer;
    (*cert)->transfer = TransferData{kAccountB, "", "", FromEpochMillis(1), {}, {}};
    return tx.UpdateCertificate(**cert);
  });
  EXPECT_EQ(CodeOf(things_->AttachPrincipal(kAccountA, "t1", cert1_,
                                            ThingPrincipalType::kNonExclusiveThing)),
            ErrorCode::kCertificateState);
}

TEST_F(ThingServiceTest, ListFiltersAndPages) {
  ASSERT_TRUE(things_->Create(kAccountA, "lamp-1", ThingConfig{"lamp", {{"room", "kitchen"}}}));
  ASSERT_TRUE(things_->Create(kAccountA, "lamp-2", ThingConfig{"lamp", {{"room", "kit"}}}));
  ThingFilter by_type;
  by_type.type_name = "lamp";
  EXPECT_EQ(things_->List(kAccountA, by_type, PageRequest{}).value().items.size(), 2u);
  ThingFilter by_value{"room", "kit", false, std::nullopt};
  auto exact = things_->List(kAccountA, by_value, PageRequest{}).value().items;
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].name, "lamp-2");
  by_value.use_prefix_attribute_value = true;
  EXPECT_EQ(things_->List(kAccountA, by_value, PageRequest{}).value().items.size(), 2u);
  ThingFilter value_only{std::nullopt, "kit", false, std::nullopt};
  EXPECT_EQ(things_->List(kAccountA, value_only, PageRequest{}).error().code,
            ErrorCode::kInvalidArgument);
  auto page = things_->List(kAccountA, {}, PageRequest{4, ""}).value();
  EXPECT_EQ(page.items.size(), 4u);
  auto rest = things_->List(kAccountA, {}, PageRequest{4, page.next_cursor}).value();
  EXPECT_EQ(rest.items.size(), 1u);
  EXPECT_TRUE(rest.next_cursor.empty());
  EXPECT_TRUE(things_->List(kAccountB, {}, PageRequest{}).value().items.empty());
}

}  // namespace
}  // namespace fg::registry::testing
