#include "api/api_error.h"

#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fg::api {
namespace {

struct Row {
  ErrorCode code;
  int status;
  std::string type;
};

class ErrorTableTest : public ::testing::TestWithParam<Row> {};

// Every ErrorCode, with the model's status (reference §4).
TEST_P(ErrorTableTest, MapsToModelShape) {
  Error e;
  e.code = GetParam().code;
  e.message = "m";
  HttpResponse response = ErrorResponse(e, "rid");
  EXPECT_EQ(response.status, GetParam().status);
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType").value_or(""), GetParam().type);
  EXPECT_EQ(response.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(response.headers.Get("x-amzn-RequestId").value_or(""), "rid");
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("__type").as_string(), GetParam().type);
  EXPECT_TRUE(body.contains("message"));
  EXPECT_FALSE(body.contains("resourceId"));
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, ErrorTableTest,
    ::testing::Values(
        Row{ErrorCode::kInvalidArgument, 400, "InvalidRequestException"},
        Row{ErrorCode::kNotFound, 404, "ResourceNotFoundException"},
        Row{ErrorCode::kAlreadyExists, 409, "ResourceAlreadyExistsException"},
        Row{ErrorCode::kCertificateValidation, 400, "CertificateValidationException"},
        Row{ErrorCode::kCertificateState, 406, "CertificateStateException"},
        Row{ErrorCode::kCertificateConflict, 409, "CertificateConflictException"},
        Row{ErrorCode::kDeleteConflict, 409, "DeleteConflictException"},
        Row{ErrorCode::kTransferConflict, 409, "TransferConflictException"},
        Row{ErrorCode::kTransferAlreadyCompleted, 410, "TransferAlreadyCompletedException"},
        Row{ErrorCode::kVersionConflict, 409, "VersionConflictException"},
        Row{ErrorCode::kRegistrationCodeValidation, 400, "RegistrationCodeValidationException"},
        Row{ErrorCode::kLimitExceeded, 410, "LimitExceededException"},
        Row{ErrorCode::kUnauthenticated, 401, "UnauthorizedException"},
        Row{ErrorCode::kForbidden, 401, "UnauthorizedException"},
        Row{ErrorCode::kUnavailable, 503, "ServiceUnavailableException"},
        Row{ErrorCode::kCorrupt, 500, "InternalFailureException"},
        Row{ErrorCode::kInternal, 500, "InternalFailureException"}));

TEST(ApiErrorTest, AlreadyExistsCarriesResourceIdAndArn) {
  Error e{ErrorCode::kAlreadyExists, "The certificate is already registered", "abc",
          "arn:aws:iot:us-east-1:123456789012:cert/abc"};
  auto body = boost::json::parse(ErrorResponse(e, "rid").body).as_object();
  EXPECT_EQ(body.at("message"), "The certificate is already registered");
  EXPECT_EQ(body.at("resourceId"), "abc");
  EXPECT_EQ(body.at("resourceArn"), "arn:aws:iot:us-east-1:123456789012:cert/abc");
}

TEST(ApiErrorTest, InternalDetailIsNotSentToTheClient) {
  Error e{ErrorCode::kInternal, "sqlite: disk I/O error at /var/lib/fleetguard/db", {}, {}};
  HttpResponse response = ErrorResponse(e, "rid");
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  Error c{ErrorCode::kCorrupt, "row 17 checksum", {}, {}};
  EXPECT_EQ(ErrorResponse(c, "rid").body.find("row 17"), std::string::npos);
}

TEST(ApiErrorTest, ResourceIdIsOnlyForAlreadyExists) {
  Error e{ErrorCode::kNotFound, "missing", "abc", "arn"};
  auto body = boost::json::parse(ErrorResponse(e, "rid").body).as_object();
  EXPECT_FALSE(body.contains("resourceId"));
}

TEST(ApiErrorTest, AuthFailuresAre403) {
  for (ApiFailure f : {ApiFailure::kMissingAuthenticationToken, ApiFailure::kIncompleteSignature,
                       ApiFailure::kInvalidSignature, ApiFailure::kUnrecognizedClient}) {
    EXPECT_EQ(WireCodeFor(f).status, 403);
  }
  EXPECT_EQ(WireCodeFor(ApiFailure::kUnknownOperation).status, 404);
  EXPECT_EQ(WireCodeFor(ApiFailure::kPayloadTooLarge).status, 413);
}

TEST(ApiErrorTest, HeaderHasNoNamespacePrefix) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    std::string_view type = WireCodeFor(static_cast<ErrorCode>(c)).type;
    EXPECT_EQ(type.find('#'), std::string_view::npos);
    EXPECT_EQ(type.find(':'), std::string_view::npos);
  }
}

}  // namespace
}  // namespace fg::api
