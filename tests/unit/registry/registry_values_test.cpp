// Enums, ARNs, pagination cursors and name validation.

#include <gtest/gtest.h>

#include "registry/arn.h"
#include "registry/enums.h"
#include "registry/names.h"
#include "registry/page.h"

namespace fg::registry {
namespace {

TEST(EnumsTest, WireNamesRoundTrip) {
  for (auto s : {CertificateStatus::kActive, CertificateStatus::kInactive,
                 CertificateStatus::kRevoked, CertificateStatus::kPendingTransfer,
                 CertificateStatus::kRegisterInactive, CertificateStatus::kPendingActivation}) {
    EXPECT_EQ(ParseCertificateStatus(ToString(s)).value(), s);
  }
  EXPECT_EQ(ToString(CertificateStatus::kPendingTransfer), "PENDING_TRANSFER");
  EXPECT_EQ(ToString(CertificateMode::kSniOnly), "SNI_ONLY");
  EXPECT_EQ(ToString(ThingPrincipalType::kExclusiveThing), "EXCLUSIVE_THING");
  EXPECT_EQ(ParseCaCertificateStatus("INACTIVE").value(), CaCertificateStatus::kInactive);
  EXPECT_EQ(ParseAutoRegistrationStatus("ENABLE").value(), AutoRegistrationStatus::kEnable);
  EXPECT_EQ(ParseCertificateMode("DEFAULT").value(), CertificateMode::kDefault);
  EXPECT_EQ(ParseThingPrincipalType("NON_EXCLUSIVE_THING").value(),
            ThingPrincipalType::kNonExclusiveThing);
}

TEST(EnumsTest, ParseRefusesAnythingElse) {
  using std::string_view_literals::operator""sv;
  for (std::string_view bad :
       {""sv, "active"sv, "ACTIVE "sv, "REGISTER_INACTIVE\0x"sv, "DELETED"sv}) {
    auto r = ParseCertificateStatus(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ParseCaCertificateStatus("REVOKED").has_value());
  EXPECT_FALSE(ParseCertificateMode("sni_only").has_value());
  // Long input is not echoed in full.
  EXPECT_LT(ParseThingPrincipalType(std::string(5000, 'x')).error().message.size(), 200u);
}

// Each parser names its value the way the API's error messages always have.
TEST(EnumsTest, UnknownNameMessages) {
  auto as_int = [](auto r) -> Result<int> {
    if (!r) {
      return Fail(r.error());
    }
    return static_cast<int>(*r);
  };
  const std::pair<Result<int>, std::string_view> cases[] = {
      {as_int(ParseCertificateStatus("x")), "invalid certificate status 'x'"},
      {as_int(ParseCaCertificateStatus("x")), "invalid CA certificate status 'x'"},
      {as_int(ParseAutoRegistrationStatus("x")), "invalid auto-registration status 'x'"},
      {as_int(ParseCertificateMode("x")), "invalid certificate mode 'x'"},
      {as_int(ParseThingPrincipalType("x")), "invalid thing principal type 'x'"},
  };
  for (const auto& [result, message] : cases) {
    ASSERT_FALSE(result.has_value()) << message;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message, message);
  }
}

TEST(ArnTest, BuildsAndParses) {
  EXPECT_EQ(CertificateArn("us-east-1", "123456789012", "abc"),
            "arn:aws:iot:us-east-1:123456789012:cert/abc");
  EXPECT_EQ(ThingGroupArn("eu-west-1", "1", "g"), "arn:aws:iot:eu-west-1:1:thinggroup/g");
  auto parsed = ParseIotArn("arn:aws:iot:us-east-1:123456789012:cert/abc");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->region, "us-east-1");
  EXPECT_EQ(parsed->account_id, "123456789012");
  EXPECT_EQ(parsed->resource_type, "cert");
  EXPECT_EQ(parsed->resource_id, "abc");
  for (std::string_view bad :
       {"", "arn:aws:iot:", "arn:aws:iot:r:a:cert", "arn:aws:iot:r:a:cert/", "arn:aws:s3:r:a:x/y",
        "arn:aws:iot::a:cert/x", "arn:aws:iot:r::cert/x", "arn:aws:iot:r:a:/x"}) {
    EXPECT_FALSE(ParseIotArn(bad).has_value()) << bad;
  }
}

TEST(PageTest, CursorsRoundTripAndRefuseForgeries) {
  auto t = DecodeTimeCursor(EncodeTimeCursor(FromEpochMillis(1234), "id.with.dots"));
  ASSERT_TRUE(t.has_value() && t->has_value());
  EXPECT_EQ((*t)->millis, 1234);
  EXPECT_EQ((*t)->id, "id.with.dots");
  EXPECT_FALSE(DecodeTimeCursor("").value().has_value());
  for (std::string_view bad :
       {"t.", "t.12", "t.12.", "t..x", "t.1x.y", "n.abc", "x", "t.99999999999999999999999.x"}) {
    EXPECT_EQ(DecodeTimeCursor(bad).error().code, ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(DecodeNameCursor(EncodeNameCursor("thing")).value(), "thing");
  EXPECT_FALSE(DecodeNameCursor("n.").has_value());
  EXPECT_FALSE(DecodeNameCursor("t.1.x").has_value());
}

TEST(PageTest, PaginateByNameInMemory) {
  std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  auto key = [](const std::string& s) { return s; };
  auto p1 = PaginateByName(names, PageRequest{2, ""}, key).value();
  EXPECT_EQ(p1.items, (std::vector<std::string>{"a", "b"}));
  auto p2 = PaginateByName(names, PageRequest{2, p1.next_cursor}, key).value();
  EXPECT_EQ(p2.items, (std::vector<std::string>{"c", "d"}));
  auto p3 = PaginateByName(names, PageRequest{2, p2.next_cursor}, key).value();
  EXPECT_EQ(p3.items, (std::vector<std::string>{"e"}));
  EXPECT_TRUE(p3.next_cursor.empty());
  EXPECT_FALSE(PaginateByName(names, PageRequest{251, ""}, key).has_value());
}

TEST(NamesTest, Validation) {
  EXPECT_TRUE(ValidateAccountId("123456789012").has_value());
  for (std::string_view bad : {"", "12345678901", "1234567890123", "12345678901a"}) {
    EXPECT_FALSE(ValidateAccountId(bad).has_value()) << bad;
  }
  const std::string hex(64, 'A');
  EXPECT_EQ(NormalizeCertificateId(hex).value(), std::string(64, 'a'));
  EXPECT_EQ(NormalizeCertificateId("0x" + hex).value(), std::string(64, 'a'));
  EXPECT_FALSE(NormalizeCertificateId(std::string(63, 'a')).has_value());
  EXPECT_FALSE(NormalizeCertificateId(std::string(64, 'g')).has_value());
  EXPECT_TRUE(ValidateThingName("thing:1_a-b").has_value());
  for (const std::string& bad : {std::string(), std::string(129, 'a'), std::string("a b"),
                                 std::string("a/b"), std::string("é")}) {
    EXPECT_FALSE(ValidateThingName(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ValidateAttributes({{"color", "red"}, {"ver", "1.2[3]"}}).has_value());
  EXPECT_FALSE(ValidateAttributes({{"", "x"}}).has_value());
  EXPECT_FALSE(ValidateAttributes({{"k", "a b"}}).has_value());
  EXPECT_FALSE(ValidateAttributes({{"k", std::string(801, 'v')}}).has_value());
}

}  // namespace
}  // namespace fg::registry
