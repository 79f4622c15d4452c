#include "api/sigv4.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace fg::api {
namespace {

constexpr char kAkid[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAccount[] = "123456789012";
constexpr char kAmzDate[] = "20261122T020944Z";

// Golden vector 1 of reference §1.4, captured from boto3 1.43.11.
HttpRequest GoldenPost() {
  HttpRequest r;
  r.method = "POST";
  r.target =
      "/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Acert%2Fabc"
      "?recursive=true&pageSize=5";
  r.headers.Add("Host", "127.0.0.1:18448");
  r.headers.Add("X-Amz-Date", kAmzDate);
  r.headers.Add("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, "
                "SignedHeaders=host;x-amz-date, "
                "Signature=44b0845bd6be1413a058a378698d0c568d731759000fcfa568c4d9fb29399b6c");
  return r;
}

// Golden vector 2: PUT with a JSON body and content-type signed.
HttpRequest GoldenPut() {
  HttpRequest r;
  r.method = "PUT";
  r.target = "/cacertificate/" + std::string(64, 'b') + "?newStatus=INACTIVE";
  r.headers.Add("Host", "127.0.0.1:18448");
  r.headers.Add("X-Amz-Date", kAmzDate);
  r.headers.Add("Content-Type", "application/json");
  r.headers.Add("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, "
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=97f54fd544d0ff8f9cf555008b0f820a36786770d39a9a99360bc90c53ff274b");
  r.body = R"({"removeAutoRegistration": true})";
  return r;
}

std::string ReplaceIn(std::string s, std::string_view from, std::string_view to);

class SigV4Test : public ::testing::Test {
 protected:
  SigV4Test()
      : clock_(*ParseAmzDate(kAmzDate)),
        verifier_(
            [this](std::string_view akid) -> Result<AccessKeySecret> {
              ++lookups_;
              if (akid == kAkid) {
                return AccessKeySecret{kAccount, kSecret};
              }
              if (akid == "AKIDBROKENSTORE") {
                return Fail(ErrorCode::kUnavailable, "store down");
              }
              return Fail(ErrorCode::kNotFound, "no such key");
            },
            "us-east-1", clock_) {}

  ManualClock clock_;
  SigV4Verifier verifier_;
  int lookups_ = 0;
};

TEST_F(SigV4Test, GoldenCanonicalRequest) {
  HttpRequest r = GoldenPost();
  std::vector<std::string> names = {"host", "x-amz-date"};
  auto canonical = CanonicalRequest(r, names);
  ASSERT_TRUE(canonical);
  EXPECT_EQ(
      *canonical,
      "POST\n"
      "/attached-policies/arn%253Aaws%253Aiot%253Aus-east-1%253A123456789012%253Acert%252Fabc\n"
      "pageSize=5&recursive=true\n"
      "host:127.0.0.1:18448\n"
      "x-amz-date:20261122T020944Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(SigV4Test, GoldenVectorWithoutBodyVerifies) {
  auto caller = verifier_.Verify(GoldenPost());
  ASSERT_TRUE(caller) << caller.error().type << ": " << caller.error().message;
  EXPECT_EQ(caller->account_id, kAccount);
  EXPECT_EQ(caller->access_key_id, kAkid);
}

TEST_F(SigV4Test, GoldenVectorWithBodyVerifies) {
  auto caller = verifier_.Verify(GoldenPut());
  ASSERT_TRUE(caller) << caller.error().type << ": " << caller.error().message;
  EXPECT_EQ(caller->account_id, kAccount);
}

TEST_F(SigV4Test, SignerReproducesGoldenVectors) {
  HttpRequest r = GoldenPut();
  std::string expected(*r.headers.Get("Authorization"));
  r.headers.Remove("Authorization");
  SigningParams params{kAkid,           kSecret, "us-east-1", "iot", *ParseAmzDate(kAmzDate),
                       {"content-type"}};
  ASSERT_TRUE(SignRequest(r, params));
  EXPECT_EQ(*r.headers.Get("Authorization"), expected);
}

TEST_F(SigV4Test, ExecuteApiServiceIsAccepted) {
  HttpRequest r = GoldenPost();
  r.headers.Remove("Authorization");
  SigningParams params{kAkid, kSecret, "us-east-1", "execute-api", clock_.Now(), {}};
  ASSERT_TRUE(SignRequest(r, params));
  EXPECT_TRUE(verifier_.Verify(r));
}

TEST_F(SigV4Test, HttpDateHeaderMayStandInForAmzDate) {
  HttpRequest r = GoldenPut();
  r.headers.Remove("Authorization");
  r.headers.Remove("X-Amz-Date");
  SigningParams params{kAkid, kSecret, "us-east-1", "iot", clock_.Now(), {"content-type"}, true};
  ASSERT_TRUE(SignRequest(r, params));
  EXPECT_EQ(r.headers.Get("Date").value_or(""), "Sun, 22 Nov 2026 02:09:44 GMT");
  EXPECT_NE(r.headers.Get("Authorization")->find("SignedHeaders=content-type;date;host,"),
            std::string::npos);
  ASSERT_TRUE(verifier_.Verify(r));

  HttpRequest tampered = r;
  tampered.headers.Set("Date", "Sun, 22 Nov 2026 02:09:45 GMT");
  auto refused = verifier_.Verify(tampered);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "InvalidSignatureException");

  HttpRequest unsigned_date = r;
  unsigned_date.headers.Set("Authorization",
                            ReplaceIn(std::string(*r.headers.Get("Authorization")),
                                      "content-type;date;host", "content-type;host"));
  refused = verifier_.Verify(unsigned_date);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "IncompleteSignatureException");

  HttpRequest stale = r;
  clock_.Advance(std::chrono::minutes(16));
  refused = verifier_.Verify(stale);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "InvalidSignatureException");
}

TEST_F(SigV4Test, SkewWithinFifteenMinutesIsAccepted) {
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_TRUE(verifier_.Verify(GoldenPost()));
  clock_.Advance(-std::chrono::minutes(30));
  EXPECT_TRUE(verifier_.Verify(GoldenPost()));
}

struct NegativeCase {
  std::string name;
  std::function<void(HttpRequest&, ManualClock&)> mutate;
  std::string expected_type;
};

std::string ReplaceIn(std::string s, std::string_view from, std::string_view to) {
  size_t pos = s.find(from);
  if (pos != std::string::npos) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

void EditAuthorization(HttpRequest& r, std::string_view from, std::string_view to) {
  r.headers.Set("Authorization", ReplaceIn(std::string(*r.headers.Get("Authorization")), from, to));
}

// Re-signs `r` with correct mechanics but the given parameters.
void Resign(HttpRequest& r, std::string secret, std::string region, std::string service,
            std::vector<std::string> extra = {"content-type"}) {
  r.headers.Remove("Authorization");
  SigningParams params{kAkid,
                       std::move(secret),
                       std::move(region),
                       std::move(service),
                       *ParseAmzDate(kAmzDate),
                       std::move(extra)};
  ASSERT_TRUE(SignRequest(r, params));
}

class SigV4NegativeTest : public SigV4Test, public ::testing::WithParamInterface<NegativeCase> {};

TEST_P(SigV4NegativeTest, IsRefusedWithAwsCode) {
  HttpRequest r = GoldenPut();
  GetParam().mutate(r, clock_);
  auto caller = verifier_.Verify(r);
  ASSERT_FALSE(caller);
  EXPECT_EQ(caller.error().type, GetParam().expected_type) << caller.error().message;
  EXPECT_EQ(caller.error().status, 403);
  // The message must never disclose what the server computed.
  EXPECT_EQ(caller.error().message.find("97f54fd5"), std::string::npos);
  EXPECT_EQ(caller.error().message.find("PUT\n"), std::string::npos);
  EXPECT_EQ(caller.error().message.find("AWS4-HMAC-SHA256\n"), std::string::npos);
}

const char kInvalid[] = "InvalidSignatureException";
const char kIncomplete[] = "IncompleteSignatureException";
const char kUnrecognized[] = "UnrecognizedClientException";

INSTANTIATE_TEST_SUITE_P(
    Table, SigV4NegativeTest,
    ::testing::Values(
        NegativeCase{"WrongSecret",
                     [](HttpRequest& r, ManualClock&) {
                       Resign(r, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ", "us-east-1", "iot");
                     },
                     kInvalid},
        NegativeCase{
            "TamperedBody",
            [](HttpRequest& r, ManualClock&) { r.body = R"({"removeAutoRegistration": false})"; },
            kInvalid},
        NegativeCase{
            "TamperedPath",
            [](HttpRequest& r, ManualClock&) { r.target = ReplaceIn(r.target, "bbbb", "bbbc"); },
            kInvalid},
        NegativeCase{"TamperedQueryValue",
                     [](HttpRequest& r, ManualClock&) {
                       r.target = ReplaceIn(r.target, "INACTIVE", "ACTIVE");
                     },
                     kInvalid},
        NegativeCase{"AddedQueryParameter",
                     [](HttpRequest& r, ManualClock&) { r.target += "&x=1"; }, kInvalid},
        NegativeCase{"DuplicatedQueryParameter",
                     [](HttpRequest& r, ManualClock&) { r.target += "&newStatus=INACTIVE"; },
                     kInvalid},
        NegativeCase{
            "TamperedSignedHeader",
            [](HttpRequest& r, ManualClock&) { r.headers.Set("Content-Type", "text/plain"); },
            kInvalid},
        NegativeCase{
            "RepeatedSignedHeader",
            [](HttpRequest& r, ManualClock&) { r.headers.Add("Content-Type", "application/json"); },
            kInvalid},
        NegativeCase{"TamperedHost",
                     [](HttpRequest& r, ManualClock&) { r.headers.Set("Host", "127.0.0.1:18449"); },
                     kInvalid},
        NegativeCase{"TamperedSignature",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "Signature=97f5", "Signature=97f6");
                     },
                     kInvalid},
        NegativeCase{"UppercaseSignature",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "Signature=97f54fd544d0ff8f9cf",
                                         "Signature=97F54FD544D0FF8F9CF");
                     },
                     kInvalid},
        NegativeCase{"HostNotSigned",
                     [](HttpRequest& r, ManualClock&) {
                       Resign(r, kSecret, "us-east-1", "iot", {"content-type"});
                       EditAuthorization(r, "content-type;host;x-amz-date",
                                         "content-type;x-amz-date");
                     },
                     kIncomplete},
        NegativeCase{"DateNotSigned",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "content-type;host;x-amz-date", "content-type;host");
                     },
                     kIncomplete},
        NegativeCase{"SkewSixteenMinutesLate",
                     [](HttpRequest&, ManualClock& c) { c.Advance(std::chrono::minutes(16)); },
                     kInvalid},
        NegativeCase{"SkewSixteenMinutesEarly",
                     [](HttpRequest&, ManualClock& c) { c.Advance(-std::chrono::minutes(16)); },
                     kInvalid},
        NegativeCase{"WrongRegion",
                     [](HttpRequest& r, ManualClock&) { Resign(r, kSecret, "eu-west-1", "iot"); },
                     kInvalid},
        NegativeCase{"WrongService",
                     [](HttpRequest& r, ManualClock&) { Resign(r, kSecret, "us-east-1", "s3"); },
                     kInvalid},
        NegativeCase{
            "ScopeDayDiffersFromDate",
            [](HttpRequest& r, ManualClock&) { EditAuthorization(r, "/20261122/", "/20261121/"); },
            kInvalid},
        NegativeCase{"BadTerminator",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "/aws4_request", "/aws4_requesx");
                     },
                     kInvalid},
        NegativeCase{"UnknownAccessKey",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "Credential=AKIDEXAMPLE/", "Credential=AKIDOTHER/");
                     },
                     kUnrecognized},
        NegativeCase{"SecurityTokenPresent",
                     [](HttpRequest& r, ManualClock&) {
                       r.headers.Add("X-Amz-Security-Token", "FwoGZXIvYXdzE");
                     },
                     kUnrecognized},
        NegativeCase{"MissingAuthorization",
                     [](HttpRequest& r, ManualClock&) { r.headers.Remove("Authorization"); },
                     "MissingAuthenticationTokenException"},
        NegativeCase{"TwoAuthorizationHeaders",
                     [](HttpRequest& r, ManualClock&) {
                       r.headers.Add("Authorization", std::string(*r.headers.Get("Authorization")));
                     },
                     kIncomplete},
        NegativeCase{"SigV2Header",
                     [](HttpRequest& r, ManualClock&) {
                       r.headers.Set("Authorization",
                                     "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=");
                     },
                     kIncomplete},
        NegativeCase{"UnsupportedAlgorithm",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");
                     },
                     kIncomplete},
        NegativeCase{"AlgorithmOnly",
                     [](HttpRequest& r, ManualClock&) {
                       r.headers.Set("Authorization", "AWS4-HMAC-SHA256");
                     },
                     kIncomplete},
        NegativeCase{"MissingSignatureParameter",
                     [](HttpRequest& r, ManualClock&) {
                       std::string a(*r.headers.Get("Authorization"));
                       r.headers.Set("Authorization", a.substr(0, a.find(", Signature=")));
                     },
                     kIncomplete},
        NegativeCase{"DuplicateCredentialParameter",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(
                           r, ", SignedHeaders",
                           ", Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, "
                           "SignedHeaders");
                     },
                     kIncomplete},
        NegativeCase{"UnknownParameter",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, ", SignedHeaders", ", Foo=bar, SignedHeaders");
                     },
                     kIncomplete},
        NegativeCase{"ShortCredential",
                     [](HttpRequest& r, ManualClock&) {
                       EditAuthorization(r, "/us-east-1/iot/aws4_request", "/us-east-1/iot");
                     },
                     kIncomplete},
        NegativeCase{
            "EmptySignedHeaderName",
            [](HttpRequest& r,
               ManualClock&) { EditAuthorization(r, "content-type;host", "content-type;;host"); },
            kIncomplete},
        NegativeCase{
            "UppercaseSignedHeaderName",
            [](HttpRequest& r,
               ManualClock&) { EditAuthorization(r, "content-type;host", "Content-Type;host"); },
            kIncomplete},
        NegativeCase{"ShortSignature",
                     [](HttpRequest& r,
                        ManualClock&) { EditAuthorization(r, "Signature=97f5", "Signature="); },
                     kIncomplete},
        NegativeCase{"MissingAmzDate",
                     [](HttpRequest& r, ManualClock&) { r.headers.Remove("X-Amz-Date"); },
                     kIncomplete},
        NegativeCase{"MalformedAmzDate",
                     [](HttpRequest& r,
                        ManualClock&) { r.headers.Set("X-Amz-Date", "2026-11-22T02:09:44Z"); },
                     kIncomplete},
        NegativeCase{"SignedHeaderAbsent",
                     [](HttpRequest& r, ManualClock&) { r.headers.Remove("Content-Type"); },
                     kInvalid}),
    [](const ::testing::TestParamInfo<NegativeCase>& param_info) { return param_info.param.name; });

TEST_F(SigV4Test, KeyStoreFailureIsServiceUnavailable) {
  HttpRequest r = GoldenPost();
  EditAuthorization(r, "Credential=AKIDEXAMPLE/", "Credential=AKIDBROKENSTORE/");
  auto caller = verifier_.Verify(r);
  ASSERT_FALSE(caller);
  EXPECT_EQ(caller.error().status, 503);
  EXPECT_EQ(caller.error().type, "ServiceUnavailableException");
}

TEST_F(SigV4Test, MalformedRequestsNeverReachTheKeyStore) {
  HttpRequest r = GoldenPost();
  EditAuthorization(r, "/us-east-1/", "/eu-west-1/");
  ASSERT_FALSE(verifier_.Verify(r));
  EXPECT_EQ(lookups_, 0);
}

TEST(SigV4CanonicalTest, QueryIsDecodedReencodedAndSorted) {
  auto q = CanonicalQuery("b=2&a=x%20y&a=%2Fz&c&sp=a+b&t=%7E");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, "a=%2Fz&a=x%20y&b=2&c=&sp=a%2Bb&t=~");
}

TEST(SigV4CanonicalTest, UriIsEncodedAgainWithoutDecoding) {
  EXPECT_EQ(CanonicalUri("/things/x%3Ay_z-1"), "/things/x%253Ay_z-1");
  EXPECT_EQ(CanonicalUri("/a~b/c d"), "/a~b/c%20d");
  EXPECT_EQ(CanonicalUri(""), "/");
}

TEST(SigV4CanonicalTest, MalformedQueryEncodingIsAnError) { EXPECT_FALSE(CanonicalQuery("a=%zz")); }

}  // namespace
}  // namespace fg::api
