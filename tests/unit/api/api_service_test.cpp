#include "api/api_service.h"

#include <regex>
#include <set>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "core/time_format.h"

namespace fg::api {
namespace {

constexpr char kAmzDate[] = "20261122T020944Z";

// Two accounts with their own keys: the service must hand each handler the account of the key
// that signed, and nothing else.
class ApiServiceTest : public ::testing::Test {
 protected:
  ApiServiceTest() : clock_(*ParseAmzDate(kAmzDate)), service_(MakeService()) {}

  ApiService MakeService() {
    Router router;
    EXPECT_TRUE(router.Add("GET", "/whoami", "WhoAmI",
                           [](const RequestContext& ctx) -> Result<HttpResponse> {
                             boost::json::object o;
                             o["account"] = ctx.account_id();
                             o["requestId"] = ctx.request_id();
                             return JsonResponse(o);
                           }));
    SigV4Verifier verifier(
        [](std::string_view akid) -> Result<AccessKeySecret> {
          if (akid == "AKIDA") {
            return AccessKeySecret{"111111111111", "secret-a"};
          }
          if (akid == "AKIDB") {
            return AccessKeySecret{"222222222222", "secret-b"};
          }
          if (akid == "AKIDTHROW") {
            throw std::runtime_error("store exploded");
          }
          return Fail(ErrorCode::kNotFound, "unknown");
        },
        "us-east-1", clock_);
    return ApiService(std::move(verifier), std::move(router));
  }

  HttpRequest Signed(std::string target, std::string akid, std::string secret) {
    HttpRequest r;
    r.method = "GET";
    r.target = std::move(target);
    r.headers.Add("Host", "localhost:1");
    SigningParams params{std::move(akid), std::move(secret), "us-east-1", "iot", clock_.Now(), {}};
    EXPECT_TRUE(SignRequest(r, params));
    return r;
  }

  ManualClock clock_;
  ApiService service_;
};

TEST_F(ApiServiceTest, CallerAccountComesFromTheKey) {
  auto a = boost::json::parse(service_.Handle(Signed("/whoami", "AKIDA", "secret-a")).body);
  auto b = boost::json::parse(service_.Handle(Signed("/whoami", "AKIDB", "secret-b")).body);
  EXPECT_EQ(a.at("account"), "111111111111");
  EXPECT_EQ(b.at("account"), "222222222222");
}

TEST_F(ApiServiceTest, EveryResponseHasAFreshUuidRequestId) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::vector<HttpResponse> responses = {
      service_.Handle(Signed("/whoami", "AKIDA", "secret-a")),     // success
      service_.Handle(Signed("/nope", "AKIDA", "secret-a")),       // unknown operation
      service_.Handle(Signed("/whoami", "AKIDA", "secret-b")),     // bad signature
      service_.Handle(HttpRequest{"GET", "/whoami", {}, "", ""}),  // no auth
  };
  for (const HttpResponse& r : responses) {
    std::string id(r.headers.Get("x-amzn-RequestId").value_or(""));
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), responses.size());
  auto body = boost::json::parse(responses[0].body);
  EXPECT_EQ(body.at("requestId").as_string(), *responses[0].headers.Get("x-amzn-RequestId"));
}

TEST_F(ApiServiceTest, AuthenticatesBeforeRouting) {
  HttpResponse r = service_.Handle(HttpRequest{"GET", "/nope", {}, "", ""});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers.Get("x-amzn-ErrorType").value_or(""), "MissingAuthenticationTokenException");
}

TEST_F(ApiServiceTest, WrongAccountsSecretIsInvalidSignature) {
  HttpResponse r = service_.Handle(Signed("/whoami", "AKIDA", "secret-b"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers.Get("x-amzn-ErrorType").value_or(""), "InvalidSignatureException");
}

TEST_F(ApiServiceTest, ThrowingKeyLookupIsInternalFailure) {
  HttpResponse r = service_.Handle(Signed("/whoami", "AKIDTHROW", "x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("exploded"), std::string::npos);
}

}  // namespace
}  // namespace fg::api
