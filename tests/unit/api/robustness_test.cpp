// Untrusted input never crashes or throws: mutated requests through the whole front door
// (SigV4, routing, query and body parsing) always produce a well-formed AWS error or success.
// A deterministic seed keeps it reproducible; the fuzz targets go further.

#include <random>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "api/api_service.h"
#include "api/validation.h"
#include "core/time_format.h"

namespace fg::api {
namespace {

std::string Mutate(std::string s, std::mt19937& rng) {
  static const std::string kAlphabet = std::string("%/?=&;,: {}[]\"\\\r\n\t") +
                                       std::string(1, '\0') +
                                       "\xff"
                                       "\xc3"
                                       "aZ09+-_.~";
  std::uniform_int_distribution<int> op(0, 3);
  std::uniform_int_distribution<size_t> alpha(0, kAlphabet.size() - 1);
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (op(rng)) {
      case 0:
        s.insert(pos, 1, kAlphabet[alpha(rng)]);
        break;
      case 1:
        if (pos < s.size()) {
          s.erase(pos, 1 + rng() % 8);
        }
        break;
      case 2:
        if (pos < s.size()) {
          s[pos] = kAlphabet[alpha(rng)];
        }
        break;
      default:
        s.insert(pos, s.substr(0, rng() % 16));
        break;
    }
  }
  return s;
}

TEST(RobustnessTest, MutatedRequestsAlwaysGetWellFormedResponses) {
  ManualClock clock(*ParseAmzDate("20261122T020944Z"));
  Router router;
  ASSERT_TRUE(router.Add(
      "POST", "/things/{thingName}", "CreateThing",
      [](const RequestContext& ctx) -> Result<HttpResponse> {
        if (auto ok = Validate(Shape::kThingName, "thingName", ctx.Label("thingName")); !ok) {
          return Fail(ok.error());
        }
        auto body = ctx.Body();
        if (!body) {
          return Fail(body.error());
        }
        auto type = body->OptString("thingTypeName");
        auto attrs = body->OptObject("attributePayload");
        auto page = ctx.QueryInt("maxResults");
        if (!type || !attrs || !page) {
          return Fail(ErrorCode::kInvalidArgument, "bad");
        }
        return EmptyJsonResponse();
      }));
  SigV4Verifier verifier(
      [](std::string_view akid) -> Result<AccessKeySecret> {
        if (akid == "AKIDEXAMPLE") {
          return AccessKeySecret{"123456789012", "secret"};
        }
        return Fail(ErrorCode::kNotFound, "unknown");
      },
      "us-east-1", clock);
  ApiService service(std::move(verifier), std::move(router));

  HttpRequest base;
  base.method = "POST";
  base.target = "/things/thing%3A1?maxResults=5&x=a%20b";
  base.headers.Add("Host", "127.0.0.1:1");
  base.headers.Add("Content-Type", "application/json");
  base.body = R"({"thingTypeName":"t","attributePayload":{"attributes":{"k":"v"}}})";
  SigningParams params{"AKIDEXAMPLE", "secret", "us-east-1", "iot", clock.Now(), {"content-type"}};
  ASSERT_TRUE(SignRequest(base, params));
  ASSERT_EQ(service.Handle(base).status, 200);

  std::mt19937 rng(20261122);
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    HttpRequest r = base;
    switch (i % 4) {
      case 0:
        r.target = Mutate(r.target, rng);
        break;
      case 1:
        r.body = Mutate(r.body, rng);
        break;
      case 2:
        r.headers.Set("Authorization",
                      Mutate(std::string(*base.headers.Get("Authorization")), rng));
        break;
      default:
        r.headers.Set("X-Amz-Date", Mutate(std::string(*base.headers.Get("X-Amz-Date")), rng));
        break;
    }
    HttpResponse response = service.Handle(r);
    ASSERT_TRUE(response.headers.Get("x-amzn-RequestId").has_value());
    if (response.status == 200) {
      ++ok;
      continue;
    }
    ASSERT_GE(response.status, 400);
    ASSERT_LT(response.status, 500) << r.target << " / " << r.body;
    auto body = boost::json::parse(response.body);
    ASSERT_EQ(body.at("__type").as_string(), *response.headers.Get("x-amzn-ErrorType"));
  }
  // Mutations of signed parts must essentially never verify.
  EXPECT_LT(ok, 30);
}

}  // namespace
}  // namespace fg::api
