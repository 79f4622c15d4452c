// The thing handlers (api/thing_routes.cpp) through the Router over a real registry.

#include <cctype>
#include <cstdio>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "iot_router_fixture.h"

namespace fg::api::testing {
namespace {

class ThingRoutesTest : public IotRouterFixture {
 protected:
  // Every thing name of a ListThings listing, paging with `page_size` until nextToken is absent.
  std::vector<std::string> ListAll(const std::string& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int guard = 0; guard < 100; ++guard) {
      std::string target = "/things?maxResults=" + std::to_string(page_size) + query;
      if (!token.empty()) {
        target += "&nextToken=" + Encoded(token);
      }
      boost::json::value page = Ok("GET", target);
      for (const auto& thing : page.at("things").as_array()) {
        names.emplace_back(thing.at("thingName").as_string());
      }
      const boost::json::value* next = page.as_object().if_contains("nextToken");
      if (next == nullptr) {
        return names;
      }
      token = std::string(next->as_string());
    }
    ADD_FAILURE() << "paging did not end";
    return names;
  }
};

using V = std::vector<std::string>;

TEST_F(ThingRoutesTest, CreateAndDescribe) {
  auto created = Ok("POST", "/things/lamp-1",
                    R"({"thingTypeName":"lamp","attributePayload":{"attributes":{"room":"k1"}}})");
  EXPECT_EQ(created.at("thingName"), "lamp-1");
  EXPECT_EQ(created.at("thingArn"), "arn:aws:iot:us-east-1:111111111111:thing/lamp-1");
  ASSERT_TRUE(created.at("thingId").is_string());

  auto described = Ok("GET", "/things/lamp-1");
  EXPECT_EQ(described.at("thingName"), "lamp-1");
  EXPECT_EQ(described.at("defaultClientId"), "lamp-1");
  EXPECT_EQ(described.at("thingId"), created.at("thingId"));
  EXPECT_EQ(described.at("thingArn"), created.at("thingArn"));
  EXPECT_EQ(described.at("thingTypeName"), "lamp");
  EXPECT_EQ(described.at("attributes"), boost::json::parse(R"({"room":"k1"})"));
  EXPECT_EQ(described.at("version"), 1);
  EXPECT_FALSE(described.as_object().contains("billingGroupName"));

  // A thing without a type has no thingTypeName member, and {} attributes.
  Ok("POST", "/things/bare");
  auto bare = Ok("GET", "/things/bare");
  EXPECT_FALSE(bare.as_object().contains("thingTypeName"));
  EXPECT_EQ(bare.at("attributes"), boost::json::object());
}

TEST_F(ThingRoutesTest, CreateIsIdempotentButRefusesADifferentConfiguration) {
  const std::string body = R"({"attributePayload":{"attributes":{"a":"1"}}})";
  auto first = Ok("POST", "/things/t", body);
  EXPECT_EQ(Ok("POST", "/things/t", body).at("thingId"), first.at("thingId"));
  Reply clash = Call("POST", "/things/t", R"({"attributePayload":{"attributes":{"a":"2"}}})");
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(clash.type, "ResourceAlreadyExistsException");
  EXPECT_EQ(clash.body.at("resourceId"), first.at("thingId"));
  EXPECT_EQ(clash.body.at("resourceArn"), first.at("thingArn"));
}

TEST_F(ThingRoutesTest, UpdateMergesReplacesAndBumpsTheVersion) {
  Ok("POST", "/things/t", R"({"thingTypeName":"x","attributePayload":{"attributes":{"a":"1"}}})");
  Ok("PATCH", "/things/t", R"({"attributePayload":{"attributes":{"b":"2"},"merge":true}})");
  auto merged = Ok("GET", "/things/t");
  EXPECT_EQ(merged.at("attributes"), boost::json::parse(R"({"a":"1","b":"2"})"));
  EXPECT_EQ(merged.at("version"), 2);

  // merge with an empty value removes that attribute.
  Ok("PATCH", "/things/t", R"({"attributePayload":{"attributes":{"a":""},"merge":true}})");
  EXPECT_EQ(Ok("GET", "/things/t").at("attributes"), boost::json::parse(R"({"b":"2"})"));

  // Without merge the attributes are replaced; expectedVersion must match.
  Ok("PATCH", "/things/t",
     R"({"attributePayload":{"attributes":{"c":"3"}},"expectedVersion":3,"removeThingType":true})");
  auto replaced = Ok("GET", "/things/t");
  EXPECT_EQ(replaced.at("attributes"), boost::json::parse(R"({"c":"3"})"));
  EXPECT_FALSE(replaced.as_object().contains("thingTypeName"));
  EXPECT_EQ(replaced.at("version"), 4);

  Reply stale = Call("PATCH", "/things/t", R"({"expectedVersion":1})");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.type, "VersionConflictException");
  EXPECT_EQ(Ok("GET", "/things/t").at("version"), 4);
}

TEST_F(ThingRoutesTest, ListFiltersAndPagesWithoutDuplicatesOrGaps) {
  V all;
  for (int i = 0; i < 23; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "dev-%02d", i);
    all.emplace_back(name);
    const char* floor = i % 2 == 0 ? "even" : "odd";
    Ok("POST", std::string("/things/") + name,
       std::string(R"({"thingTypeName":")") + (i < 5 ? "sensor" : "lamp") +
           R"(","attributePayload":{"attributes":{"floor":")" + floor + R"(-)" + std::to_string(i) +
           R"("}}})");
  }
  EXPECT_EQ(ListAll("", 250), all);
  EXPECT_EQ(ListAll("", 4), all);
  EXPECT_EQ(ListAll("", 1), all);
  EXPECT_EQ(ListAll("&thingTypeName=sensor", 2),
            (V{"dev-00", "dev-01", "dev-02", "dev-03", "dev-04"}));
  EXPECT_EQ(ListAll("&attributeName=floor&attributeValue=odd-1", 2), (V{"dev-01"}));
  EXPECT_EQ(ListAll("&attributeName=floor&attributeValue=odd-1&usePrefixAttributeValue=true", 2),
            (V{"dev-01", "dev-11", "dev-13", "dev-15", "dev-17", "dev-19"}));

  auto first = Ok("GET", "/things?maxResults=3");
  ASSERT_EQ(first.at("things").as_array().size(), 3u);
  const boost::json::object& thing = first.at("things").as_array()[0].as_object();
  EXPECT_EQ(thing.at("thingArn"), "arn:aws:iot:us-east-1:111111111111:thing/dev-00");
  EXPECT_EQ(thing.at("thingTypeName"), "sensor");
  EXPECT_EQ(thing.at("version"), 1);
  EXPECT_EQ(thing.at("attributes"), boost::json::parse(R"({"floor":"even-0"})"));

  // A token is bound to its listing: another filter or another account refuses it.
  const std::string token = Encoded(std::string(first.at("nextToken").as_string()));
  EXPECT_EQ(Call("GET", "/things?thingTypeName=lamp&nextToken=" + token).type,
            "InvalidRequestException");
  EXPECT_EQ(Call("GET", "/things?nextToken=" + token, "", {}, kAccountB).type,
            "InvalidRequestException");
  EXPECT_EQ(Call("GET", "/thing-groups?nextToken=" + token).type, "InvalidRequestException");
  // An empty nextToken starts again.
  EXPECT_EQ(Ok("GET", "/things?maxResults=1&nextToken=").at("things").as_array()[0].at("thingName"),
            "dev-00");
  // Account B sees none of A's things.
  EXPECT_TRUE(Ok("GET", "/things", "", {}, kAccountB).at("things").as_array().empty());
}

TEST_F(ThingRoutesTest, DeleteHonoursExpectedVersionAndIsIdempotent) {
  Ok("POST", "/things/t");
  Ok("PATCH", "/things/t", R"({"thingTypeName":"x"})");
  Reply stale = Call("DELETE", "/things/t?expectedVersion=1");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.type, "VersionConflictException");
  EXPECT_EQ(Call("DELETE", "/things/t", "", {}, kAccountB).status, 200);  // not B's: a no-op
  Ok("GET", "/things/t");
  Ok("DELETE", "/things/t?expectedVersion=2");
  EXPECT_EQ(Call("GET", "/things/t").type, "ResourceNotFoundException");
  Ok("DELETE", "/things/t");  // AWS: deleting a missing thing succeeds
}

TEST_F(ThingRoutesTest, PrincipalsAttachListAndDetach) {
  const std::string cert = RegisterCertificate("device-rsa-1", kAccountA);
  const std::string other = RegisterCertificate("device-ec-1", kAccountA);
  Ok("POST", "/things/t1");
  Ok("POST", "/things/t2");
  Ok("POST", "/things/t3");
  Ok("PUT", "/things/t1/principals", "", {{"x-amzn-principal", cert}});
  Ok("PUT", "/things/t2/principals?thingPrincipalType=NON_EXCLUSIVE_THING", "",
     {{"x-amzn-principal", cert}});
  // Attaching by bare certificate id works too.
  Ok("PUT", "/things/t1/principals", "", {{"x-amzn-principal", other.substr(other.find('/') + 1)}});

  auto principals = Ok("GET", "/things/t1/principals");
  std::set<std::string> got;
  for (const auto& p : principals.at("principals").as_array()) {
    got.emplace(p.as_string());
  }
  EXPECT_EQ(got, (std::set<std::string>{cert, other}));
  EXPECT_FALSE(principals.as_object().contains("nextToken"));

  auto page1 = Ok("GET", "/principals/things?maxResults=1", "", {{"x-amzn-principal", cert}});
  EXPECT_EQ(page1.at("things"), boost::json::parse(R"(["t1"])"));
  auto page2 = Ok("GET",
                  "/principals/things?maxResults=1&nextToken=" +
                      Encoded(std::string(page1.at("nextToken").as_string())),
                  "", {{"x-amzn-principal", cert}});
  EXPECT_EQ(page2.at("things"), boost::json::parse(R"(["t2"])"));
  EXPECT_FALSE(page2.as_object().contains("nextToken"));

  // EXCLUSIVE_THING refuses a certificate already attached elsewhere (the registry's choice:
  // InvalidRequestException).
  Reply exclusive = Call("PUT", "/things/t3/principals?thingPrincipalType=EXCLUSIVE_THING", "",
                         {{"x-amzn-principal", cert}});
  EXPECT_EQ(exclusive.status, 400);
  EXPECT_EQ(exclusive.type, "InvalidRequestException");

  Ok("DELETE", "/things/t2/principals", "", {{"x-amzn-principal", cert}});
  EXPECT_EQ(Ok("GET", "/principals/things", "", {{"x-amzn-principal", cert}}).at("things"),
            boost::json::parse(R"(["t1"])"));
  EXPECT_EQ(Call("DELETE", "/things/t2/principals", "", {{"x-amzn-principal", cert}}).type,
            "ResourceNotFoundException");
}

struct Refusal {
  const char* what;
  const char* method;
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int status;
  const char* type;
  const char* message_part;  // the member the message must name
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const Refusal& c, std::ostream* os) { *os << c.what; }

class ThingRefusalTest : public ThingRoutesTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(ThingRefusalTest, IsRefusedWithTheModelsError) {
  Ok("POST", "/things/t");
  Ok("POST", "/things/in-b", "", {}, kAccountB);
  const Refusal& c = GetParam();
  HttpRequest request;
  request.method = c.method;
  request.target = c.target;
  request.body = c.body;
  for (const auto& [name, value] : c.headers) {
    request.headers.Add(name, value);
  }
  HttpResponse response = router_.Dispatch(request, kAccountA, "req");
  EXPECT_EQ(response.status, c.status) << response.body;
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType").value_or(""), c.type) << response.body;
  EXPECT_NE(response.body.find(c.message_part), std::string::npos) << response.body;
  // Nothing was created or changed by a refused request.
  EXPECT_EQ(Ok("GET", "/things/t").at("version"), 1);
  EXPECT_EQ(Ok("GET", "/things").at("things").as_array().size(), 1u);
}

const std::string kUnknownCert(64, 'a');
const std::string kCertArnOfB = "arn:aws:iot:us-east-1:222222222222:cert/" + std::string(64, 'b');
const std::string kLongName(129, 'n');

INSTANTIATE_TEST_SUITE_P(
    Cases, ThingRefusalTest,
    ::testing::Values(
        Refusal{"space in name",
                "POST",
                "/things/bad%20name",
                "",
                {},
                400,
                "InvalidRequestException",
                "thingName"},
        Refusal{"name over 128",
                "POST",
                "/things/" + kLongName,
                "",
                {},
                400,
                "InvalidRequestException",
                "thingName"},
        Refusal{"describe bad name",
                "GET",
                "/things/a%2Fb",
                "",
                {},
                400,
                "InvalidRequestException",
                "thingName"},
        Refusal{
            "body not JSON", "POST", "/things/n", "{", {}, 400, "InvalidRequestException", "JSON"},
        Refusal{"bad type name",
                "POST",
                "/things/n",
                R"({"thingTypeName":"a b"})",
                {},
                400,
                "InvalidRequestException",
                "thingTypeName"},
        Refusal{"type name not a string",
                "POST",
                "/things/n",
                R"({"thingTypeName":5})",
                {},
                400,
                "InvalidRequestException",
                "thingTypeName"},
        Refusal{"payload not an object",
                "POST",
                "/things/n",
                R"({"attributePayload":[]})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload"},
        Refusal{"bad attribute name",
                "POST",
                "/things/n",
                R"({"attributePayload":{"attributes":{"a b":"1"}}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.attributes"},
        Refusal{"empty attribute name",
                "POST",
                "/things/n",
                R"({"attributePayload":{"attributes":{"":"1"}}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.attributes"},
        Refusal{"bad attribute value",
                "POST",
                "/things/n",
                R"({"attributePayload":{"attributes":{"a":"x y"}}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.attributes.a"},
        Refusal{"attribute value over 800",
                "POST",
                "/things/n",
                R"({"attributePayload":{"attributes":{"a":")" + std::string(801, 'v') + R"("}}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.attributes.a"},
        Refusal{"attribute not a string",
                "POST",
                "/things/n",
                R"({"attributePayload":{"attributes":{"a":1}}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.attributes"},
        Refusal{"merge not a boolean",
                "PATCH",
                "/things/t",
                R"({"attributePayload":{"attributes":{},"merge":"yes"}})",
                {},
                400,
                "InvalidRequestException",
                "attributePayload.merge"},
        Refusal{"billing group malformed",
                "POST",
                "/things/n",
                R"({"billingGroupName":"a b"})",
                {},
                400,
                "InvalidRequestException",
                "billingGroupName"},
        Refusal{"billing group unknown",
                "POST",
                "/things/n",
                R"({"billingGroupName":"bg"})",
                {},
                404,
                "ResourceNotFoundException",
                "bg"},
        Refusal{"update missing thing",
                "PATCH",
                "/things/nope",
                "{}",
                {},
                404,
                "ResourceNotFoundException",
                "nope"},
        Refusal{"update other account's thing",
                "PATCH",
                "/things/in-b",
                "{}",
                {},
                404,
                "ResourceNotFoundException",
                "in-b"},
        Refusal{"describe other account's thing",
                "GET",
                "/things/in-b",
                "",
                {},
                404,
                "ResourceNotFoundException",
                "in-b"},
        Refusal{"expectedVersion not a number",
                "PATCH",
                "/things/t",
                R"({"expectedVersion":"1"})",
                {},
                400,
                "InvalidRequestException",
                "expectedVersion"},
        Refusal{"type and removeThingType",
                "PATCH",
                "/things/t",
                R"({"thingTypeName":"x","removeThingType":true})",
                {},
                400,
                "InvalidRequestException",
                "removeThingType"},
        Refusal{"maxResults 0",
                "GET",
                "/things?maxResults=0",
                "",
                {},
                400,
                "InvalidRequestException",
                "maxResults"},
        Refusal{"maxResults 251",
                "GET",
                "/things?maxResults=251",
                "",
                {},
                400,
                "InvalidRequestException",
                "maxResults"},
        Refusal{"maxResults text",
                "GET",
                "/things?maxResults=ten",
                "",
                {},
                400,
                "InvalidRequestException",
                "maxResults"},
        Refusal{"forged nextToken",
                "GET",
                "/things?nextToken=AAAA",
                "",
                {},
                400,
                "InvalidRequestException",
                "nextToken"},
        Refusal{"repeated nextToken",
                "GET",
                "/things?nextToken=a&nextToken=b",
                "",
                {},
                400,
                "InvalidRequestException",
                "nextToken"},
        Refusal{"attributeValue alone",
                "GET",
                "/things?attributeValue=x",
                "",
                {},
                400,
                "InvalidRequestException",
                "attributeName"},
        Refusal{"bad attributeName",
                "GET",
                "/things?attributeName=a%20b",
                "",
                {},
                400,
                "InvalidRequestException",
                "attributeName"},
        Refusal{"empty attributeName",
                "GET",
                "/things?attributeName=",
                "",
                {},
                400,
                "InvalidRequestException",
                "attributeName"},
        Refusal{"bad attributeValue",
                "GET",
                "/things?attributeName=a&attributeValue=%20",
                "",
                {},
                400,
                "InvalidRequestException",
                "attributeValue"},
        Refusal{"bad thingTypeName filter",
                "GET",
                "/things?thingTypeName=a%20b",
                "",
                {},
                400,
                "InvalidRequestException",
                "thingTypeName"},
        Refusal{"usePrefixAttributeValue not boolean",
                "GET",
                "/things?usePrefixAttributeValue=yes",
                "",
                {},
                400,
                "InvalidRequestException",
                "usePrefixAttributeValue"},
        Refusal{"delete expectedVersion text",
                "DELETE",
                "/things/t?expectedVersion=x",
                "",
                {},
                400,
                "InvalidRequestException",
                "expectedVersion"},
        Refusal{"delete bad name",
                "DELETE",
                "/things/a%20b",
                "",
                {},
                400,
                "InvalidRequestException",
                "thingName"},
        Refusal{"attach without principal",
                "PUT",
                "/things/t/principals",
                "",
                {},
                400,
                "InvalidRequestException",
                "principal"},
        Refusal{"attach repeated principal",
                "PUT",
                "/things/t/principals",
                "",
                {{"x-amzn-principal", kUnknownCert}, {"x-amzn-principal", kUnknownCert}},
                400,
                "InvalidRequestException",
                "principal"},
        Refusal{"attach oversized principal",
                "PUT",
                "/things/t/principals",
                "",
                {{"x-amzn-principal", std::string(3000, 'a')}},
                400,
                "InvalidRequestException",
                "principal"},
        Refusal{"attach garbage principal",
                "PUT",
                "/things/t/principals",
                "",
                {{"x-amzn-principal", "not-a-cert"}},
                400,
                "InvalidRequestException",
                "cert"},
        Refusal{"attach bad principal type",
                "PUT",
                "/things/t/principals?thingPrincipalType=EXCLUSIVE",
                "",
                {{"x-amzn-principal", kUnknownCert}},
                400,
                "InvalidRequestException",
                "thingPrincipalType"},
        Refusal{"attach unknown certificate",
                "PUT",
                "/things/t/principals",
                "",
                {{"x-amzn-principal", kUnknownCert}},
                404,
                "ResourceNotFoundException",
                "certificate"},
        Refusal{"attach to missing thing",
                "PUT",
                "/things/nope/principals",
                "",
                {{"x-amzn-principal", kUnknownCert}},
                404,
                "ResourceNotFoundException",
                "nope"},
        Refusal{"attach another account's certificate",
                "PUT",
                "/things/t/principals",
                "",
                {{"x-amzn-principal", kCertArnOfB}},
                400,
                "InvalidRequestException",
                "account"},
        Refusal{"detach without principal",
                "DELETE",
                "/things/t/principals",
                "",
                {},
                400,
                "InvalidRequestException",
                "principal"},
        Refusal{"list principals of missing thing",
                "GET",
                "/things/nope/principals",
                "",
                {},
                404,
                "ResourceNotFoundException",
                "nope"},
        Refusal{"list principals maxResults 0",
                "GET",
                "/things/t/principals?maxResults=0",
                "",
                {},
                400,
                "InvalidRequestException",
                "maxResults"},
        Refusal{"principal things without principal",
                "GET",
                "/principals/things",
                "",
                {},
                400,
                "InvalidRequestException",
                "principal"},
        Refusal{"principal things unknown certificate",
                "GET",
                "/principals/things",
                "",
                {{"x-amzn-principal", kUnknownCert}},
                404,
                "ResourceNotFoundException",
                "certificate"}),
    [](const ::testing::TestParamInfo<Refusal>& param_info) {
      std::string name;
      for (const char* p = param_info.param.what; *p != '\0'; ++p) {
        name.push_back(std::isalnum(static_cast<unsigned char>(*p)) != 0 ? *p : '_');
      }
      return name;
    });

}  // namespace
}  // namespace fg::api::testing
