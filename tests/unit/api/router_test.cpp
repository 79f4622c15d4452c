#include "api/router.h"

#include <stdexcept>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fg::api {
namespace {

// Echoes the operation and labels, so a test sees exactly what the handler saw.
Handler Echo() {
  return [](const RequestContext& ctx) -> Result<HttpResponse> {
    boost::json::object body;
    body["operation"] = ctx.operation();
    body["account"] = ctx.account_id();
    boost::json::object labels;
    for (const auto& [name, value] : ctx.labels()) {
      labels[name] = value;
    }
    body["labels"] = labels;
    return JsonResponse(body);
  };
}

Router MakeRouter() {
  Router r;
  EXPECT_TRUE(r.Add("GET", "/certificates/{certificateId}", "DescribeCertificate", Echo()));
  EXPECT_TRUE(r.Add("PUT", "/certificates/{certificateId}", "UpdateCertificate", Echo()));
  EXPECT_TRUE(r.Add("DELETE", "/certificates/{certificateId}", "DeleteCertificate", Echo()));
  EXPECT_TRUE(r.Add("GET", "/certificates", "ListCertificates", Echo()));
  EXPECT_TRUE(r.Add("POST", "/attached-policies/{target}", "ListAttachedPolicies", Echo()));
  EXPECT_TRUE(r.Add("PATCH", "/thing-groups/{thingGroupName}", "UpdateThingGroup", Echo()));
  EXPECT_TRUE(r.Add("GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup", Echo()));
  EXPECT_TRUE(r.Add("PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup", Echo()));
  EXPECT_TRUE(r.Add("GET", "/things/{thingName}/principals", "ListThingPrincipals", Echo()));
  return r;
}

boost::json::value Call(const Router& router, std::string method, std::string target,
                        int expected_status = 200) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  HttpResponse response = router.Dispatch(request, "123456789012", "req-1");
  EXPECT_EQ(response.status, expected_status) << response.body;
  EXPECT_EQ(response.headers.Get("x-amzn-RequestId").value_or(""), "req-1");
  return boost::json::parse(response.body);
}

TEST(RouterTest, RoutesByMethodAndTemplate) {
  Router r = MakeRouter();
  EXPECT_EQ(Call(r, "GET", "/certificates/abc").at("operation"), "DescribeCertificate");
  EXPECT_EQ(Call(r, "PUT", "/certificates/abc?newStatus=ACTIVE").at("operation"),
            "UpdateCertificate");
  EXPECT_EQ(Call(r, "DELETE", "/certificates/abc").at("operation"), "DeleteCertificate");
  EXPECT_EQ(Call(r, "GET", "/certificates").at("operation"), "ListCertificates");
  EXPECT_EQ(Call(r, "GET", "/things/t1/principals").at("labels").at("thingName"), "t1");
}

TEST(RouterTest, SplitsBeforeDecodingSoEncodedSlashStaysInTheLabel) {
  Router r = MakeRouter();
  auto body =
      Call(r, "POST", "/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Acert%2Fabc");
  EXPECT_EQ(body.at("labels").at("target"), "arn:aws:iot:us-east-1:123456789012:cert/abc");
  EXPECT_EQ(Call(r, "GET", "/things/x%3Ay_z-1/principals").at("labels").at("thingName"), "x:y_z-1");
}

TEST(RouterTest, LiteralSegmentBeatsLabel) {
  Router r = MakeRouter();
  EXPECT_EQ(Call(r, "PUT", "/thing-groups/addThingToThingGroup").at("operation"),
            "AddThingToThingGroup");
  EXPECT_EQ(Call(r, "GET", "/thing-groups/addThingToThingGroup").at("operation"),
            "DescribeThingGroup");
  EXPECT_EQ(Call(r, "PATCH", "/thing-groups/g1").at("operation"), "UpdateThingGroup");
}

struct MissCase {
  std::string method;
  std::string target;
  int status;
  std::string type;
};

class RouterMissTest : public ::testing::TestWithParam<MissCase> {};

TEST_P(RouterMissTest, AnswersInAwsStyle) {
  Router r = MakeRouter();
  HttpRequest request;
  request.method = GetParam().method;
  request.target = GetParam().target;
  HttpResponse response = r.Dispatch(request, "123456789012", "req-2");
  EXPECT_EQ(response.status, GetParam().status);
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType").value_or(""), GetParam().type);
  EXPECT_EQ(response.headers.Get("x-amzn-RequestId").value_or(""), "req-2");
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("__type").as_string(), GetParam().type);
  EXPECT_FALSE(body.at("message").as_string().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, RouterMissTest,
    ::testing::Values(MissCase{"GET", "/nope", 404, "UnknownOperationException"},
                      MissCase{"GET", "/certificates/a/b", 404, "UnknownOperationException"},
                      MissCase{"GET", "/certificates/", 404, "UnknownOperationException"},
                      MissCase{"GET", "/things//principals", 404, "UnknownOperationException"},
                      MissCase{"GET", "/", 404, "UnknownOperationException"},
                      MissCase{"POST", "/certificates/abc", 405, "UnknownOperationException"},
                      MissCase{"get", "/certificates", 405, "UnknownOperationException"},
                      MissCase{"GET", "/certificates/a%zz", 400, "InvalidRequestException"},
                      MissCase{"GET", "/certificates/a%2", 400, "InvalidRequestException"},
                      MissCase{"GET", "certificates", 400, "InvalidRequestException"},
                      MissCase{"GET", "*", 400, "InvalidRequestException"},
                      MissCase{"GET", "/certificates?a=%zz", 400, "InvalidRequestException"}));

TEST(RouterTest, MethodNotAllowedListsAllowedMethods) {
  Router r = MakeRouter();
  HttpRequest request;
  request.method = "POST";
  request.target = "/certificates/abc";
  HttpResponse response = r.Dispatch(request, "123456789012", "req");
  EXPECT_EQ(response.headers.Get("Allow").value_or(""), "DELETE, GET, PUT");
}

TEST(RouterTest, HandlerErrorsGoThroughTheErrorTable) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/x/{id}", "X", [](const RequestContext& ctx) -> Result<HttpResponse> {
    Error e;
    e.code = ErrorCode::kAlreadyExists;
    e.message = "exists";
    e.resource_id = std::string(ctx.Label("id"));
    e.resource_arn = "arn:aws:iot:us-east-1:123456789012:cert/" + e.resource_id;
    return Fail(e);
  }));
  HttpRequest request{"GET", "/x/abc", {}, "", ""};
  HttpResponse response = r.Dispatch(request, "123456789012", "req");
  EXPECT_EQ(response.status, 409);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("resourceId"), "abc");
  EXPECT_EQ(body.at("resourceArn"), "arn:aws:iot:us-east-1:123456789012:cert/abc");
}

TEST(RouterTest, ExceptionsBecomeInternalFailureWithoutDetail) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/throw", "Throw", [](const RequestContext&) -> Result<HttpResponse> {
    throw std::runtime_error("secret detail");
  }));
  ASSERT_TRUE(r.Add("GET", "/json", "Json", [](const RequestContext&) -> Result<HttpResponse> {
    boost::json::value v = boost::json::parse("[]");
    (void)v.at("missing");  // throws std::invalid_argument / system_error
    return HttpResponse{};
  }));
  ASSERT_TRUE(
      r.Add("GET", "/int", "Int", [](const RequestContext&) -> Result<HttpResponse> { throw 42; }));
  for (const char* target : {"/throw", "/json", "/int"}) {
    HttpRequest request{"GET", target, {}, "", ""};
    HttpResponse response = r.Dispatch(request, "123456789012", "req");
    EXPECT_EQ(response.status, 500) << target;
    EXPECT_EQ(response.headers.Get("x-amzn-ErrorType").value_or(""), "InternalFailureException");
    EXPECT_EQ(response.body.find("secret"), std::string::npos);
  }
}

TEST(RouterTest, ContextParsesQueryAndBody) {
  Router r;
  ASSERT_TRUE(r.Add("POST", "/q", "Q", [](const RequestContext& ctx) -> Result<HttpResponse> {
    auto page = ctx.QueryInt("pageSize");
    auto asc = ctx.QueryBool("isAscendingOrder");
    auto when = ctx.QueryTimestamp("startTime");
    auto marker = ctx.QueryString("marker");
    if (!page || !asc || !when || !marker) {
      return Fail(ErrorCode::kInvalidArgument, "bad query");
    }
    auto body = ctx.Body();
    if (!body) {
      return Fail(body.error());
    }
    auto name = body->String("name");
    if (!name) {
      return Fail(name.error());
    }
    boost::json::object out;
    out["page"] = **page;
    out["asc"] = **asc;
    out["when"] = ToEpochMillis(**when);
    out["marker"] = **marker;
    out["name"] = *name;
    return JsonResponse(out);
  }));
  HttpRequest request{
      "POST",
      "/q?pageSize=5&isAscendingOrder=true&startTime=2024-02-01T12%3A30%3A00.500000Z"
      "&marker=ab%2Bc%2F%3D",
      {},
      R"({"name":"n1"})",
      ""};
  HttpResponse response = r.Dispatch(request, "123456789012", "req");
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("page"), 5);
  EXPECT_EQ(body.at("asc"), true);
  EXPECT_EQ(body.at("when"), 1706790600500);
  EXPECT_EQ(body.at("marker"), "ab+c/=");
  EXPECT_EQ(body.at("name"), "n1");
}

struct QueryCase {
  std::string query;
  bool ok;
};

class QueryAccessorTest : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryAccessorTest, StrictScalarParsing) {
  HttpRequest request{"GET", "/", {}, "", ""};
  auto params = ParseQueryString(GetParam().query);
  ASSERT_TRUE(params);
  RequestContext ctx(request, "a", "r", "op", {}, *params);
  bool ok = ctx.QueryInt("n").has_value() && ctx.QueryBool("b").has_value() &&
            ctx.QueryTimestamp("t").has_value();
  EXPECT_EQ(ok, GetParam().ok) << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Table, QueryAccessorTest,
    ::testing::Values(QueryCase{"n=5&b=false&t=2024-01-01T00:00:00Z", true}, QueryCase{"", true},
                      QueryCase{"n=-7", true}, QueryCase{"n=5x", false}, QueryCase{"n=", false},
                      QueryCase{"n=99999999999999999999", false}, QueryCase{"n=1&n=2", false},
                      QueryCase{"b=TRUE", false}, QueryCase{"b=1", false},
                      QueryCase{"t=2024-01-01", false}, QueryCase{"t=1704067200", false}));

TEST(RouterTest, RejectsBadTemplates) {
  Router r;
  EXPECT_FALSE(r.Add("GET", "no-slash", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a//b", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a/{}", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a/{x", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a/{x}/{x}", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a", "A", Handler()));
  EXPECT_TRUE(r.Add("GET", "/a/{x}", "A", Echo()));
  EXPECT_FALSE(r.Add("GET", "/a/{x}", "B", Echo()));
}

}  // namespace
}  // namespace fg::api
