#include "api/validation.h"

#include <string>

#include <gtest/gtest.h>

namespace fg::api {
namespace {

struct Case {
  Shape shape;
  std::string value;
  bool ok;
};

class ValidationTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidationTest, EnforcesLengthAndPattern) {
  Result<void> result = Validate(GetParam().shape, "member", GetParam().value);
  EXPECT_EQ(result.has_value(), GetParam().ok) << "value: " << GetParam().value;
  if (!result) {
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(result.error().message.find("'member'"), std::string::npos);
  }
}

const std::string kHex64(64, 'a');

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidationTest,
    ::testing::Values(
        Case{Shape::kCertificateId, kHex64, true},
        Case{Shape::kCertificateId, std::string(64, 'F'), true},
        Case{Shape::kCertificateId, "0x" + std::string(62, 'a'), true},
        Case{Shape::kCertificateId, std::string(63, 'a'), false},
        Case{Shape::kCertificateId, std::string(65, 'a'), false},
        Case{Shape::kCertificateId, std::string(63, 'a') + "g", false},
        Case{Shape::kCertificateId, "", false}, Case{Shape::kThingName, "x:y_z-1", true},
        Case{Shape::kThingName, std::string(128, 't'), true},
        Case{Shape::kThingName, std::string(129, 't'), false}, Case{Shape::kThingName, "", false},
        Case{Shape::kThingName, "a b", false}, Case{Shape::kThingName, "a/b", false},
        Case{Shape::kThingName, "caf\xc3\xa9", false}, Case{Shape::kThingGroupName, "g.1", false},
        Case{Shape::kPolicyName, "p+=,.@-_1", true}, Case{Shape::kPolicyName, "p/1", false},
        Case{Shape::kAuditTaskId, std::string(40, 'a'), true},
        Case{Shape::kAuditTaskId, std::string(41, 'a'), false},
        Case{Shape::kAuditTaskId, "a_b", false}, Case{Shape::kMarker, "QUJD", true},
        Case{Shape::kMarker, "QUI=", true}, Case{Shape::kMarker, "QQ==", true},
        Case{Shape::kMarker, "a+/b", true}, Case{Shape::kMarker, "QQ===", false},
        Case{Shape::kMarker, "QQ=A", false}, Case{Shape::kMarker, "Q-_A", false},
        Case{Shape::kMarker, "==", false}, Case{Shape::kMarker, std::string(1025, 'A'), false},
        Case{Shape::kClientRequestToken, "0f7c-4a_b", true},
        Case{Shape::kClientRequestToken, std::string(65, 'a'), false},
        Case{Shape::kClientRequestToken, "a.b", false}, Case{Shape::kAttributeValue, "", true},
        Case{Shape::kAttributeValue, "v=[1]", true}, Case{Shape::kAttributeValue, "v 1", false},
        Case{Shape::kDayOfMonth, "1", true}, Case{Shape::kDayOfMonth, "31", true},
        Case{Shape::kDayOfMonth, "LAST", true}, Case{Shape::kDayOfMonth, "0", false},
        Case{Shape::kDayOfMonth, "32", false}, Case{Shape::kDayOfMonth, "01", false},
        Case{Shape::kDayOfMonth, "last", false}, Case{Shape::kAwsAccountId, "123456789012", true},
        Case{Shape::kAwsAccountId, "12345678901", false},
        Case{Shape::kAwsAccountId, "12345678901a", false},
        Case{Shape::kMessage, std::string(128, 'm'), true},
        Case{Shape::kMessage, std::string(129, 'm'), false},
        // Lengths count characters (UTF-16 units), not bytes: 128 'é' are 256 bytes.
        Case{Shape::kMessage, Repeat("\xc3\xa9", 128), true},
        Case{Shape::kMessage, Repeat("\xc3\xa9", 129), false}, Case{Shape::kMessage, "\xc3", false},
        Case{Shape::kMessage, "\xed\xa0\x80", false}, Case{Shape::kMessage, "\xc0\xaf", false},
        Case{Shape::kAuditDescription, "Plain text ok!", true},
        Case{Shape::kAuditDescription, "tab\there", false},
        Case{Shape::kRoleArn, "arn:aws:iam::1:role/x", true},
        Case{Shape::kRoleArn, "arn:aws:iam::1:r", false},
        Case{Shape::kTemplateName, std::string(36, 'a'), true},
        Case{Shape::kTemplateName, std::string(37, 'a'), false},
        Case{Shape::kTagKey, "env:stage/1 =+-@", true}, Case{Shape::kTagKey, "caf\xc3\xa9", true},
        Case{Shape::kTagKey, "a*b", false}, Case{Shape::kCertificatePem, "", false},
        Case{Shape::kCertificatePem, std::string(65536, 'p'), true},
        Case{Shape::kCertificatePem, std::string(65537, 'p'), false},
        Case{Shape::kCertificateSigningRequest, std::string(4097, 'c'), false},
        Case{Shape::kRegistrationCode, kHex64, true}));

TEST(ValidationTest, PageSizeRange) {
  EXPECT_TRUE(ValidatePageSize("pageSize", 1));
  EXPECT_TRUE(ValidatePageSize("pageSize", 250));
  EXPECT_FALSE(ValidatePageSize("pageSize", 0));
  EXPECT_FALSE(ValidatePageSize("pageSize", 251));
  EXPECT_FALSE(ValidatePageSize("pageSize", -1));
}

TEST(ValidationTest, EnumsAreCaseSensitive) {
  EXPECT_TRUE(ValidateEnum("newStatus", "ACTIVE", {"ACTIVE", "INACTIVE"}));
  auto bad = ValidateEnum("newStatus", "active", {"ACTIVE", "INACTIVE"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("[ACTIVE, INACTIVE]"), std::string::npos);
}

TEST(ValidationTest, ListSize) {
  EXPECT_TRUE(ValidateListSize("findingIds", 25, 1, 25));
  EXPECT_FALSE(ValidateListSize("findingIds", 26, 1, 25));
  EXPECT_FALSE(ValidateListSize("findingIds", 0, 1, 25));
}

TEST(ValidationTest, Utf16Length) {
  EXPECT_EQ(Utf16Length("abc"), 3);
  EXPECT_EQ(Utf16Length("\xc3\xa9"), 1);
  EXPECT_EQ(Utf16Length("\xf0\x9f\x98\x80"), 2);   // U+1F600 is a surrogate pair
  EXPECT_EQ(Utf16Length("\xf4\x90\x80\x80"), -1);  // past U+10FFFF
}

}  // namespace
}  // namespace fg::api
