// The thing-group handlers (api/thing_group_routes.cpp, thing_group_membership_routes.cpp)
// through the Router over a real registry.

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "iot_router_fixture.h"
#include "unit/pki/pki_fixtures.h"

namespace fg::api::testing {
namespace {

constexpr char kGroupArnPrefix[] = "arn:aws:iot:us-east-1:111111111111:thinggroup/";
constexpr char kThingArnPrefix[] = "arn:aws:iot:us-east-1:111111111111:thing/";

using V = std::vector<std::string>;

// A group ARN of account A as a JSON value, to compare with response members.
boost::json::value GroupArn(std::string_view name) {
  return boost::json::value(std::string(kGroupArnPrefix) + std::string(name));
}

class ThingGroupRoutesTest : public IotRouterFixture {
 protected:
  // root > mid > leaf, plus a second root "other".
  void MakeHierarchy() {
    Ok("POST", "/thing-groups/root",
       R"({"thingGroupProperties":{"thingGroupDescription":"the top",
           "attributePayload":{"attributes":{"site":"x"}}},
           "tags":[{"Key":"team","Value":"a"}]})");
    Ok("POST", "/thing-groups/mid", R"({"parentGroupName":"root"})");
    Ok("POST", "/thing-groups/leaf", R"({"parentGroupName":"mid"})");
    Ok("POST", "/thing-groups/other");
  }

  // Names from a {"thingGroups": [{groupName, groupArn}]} listing, paging until the end.
  V ListGroups(const std::string& path_and_query, int page_size) {
    V names;
    std::string token;
    const char sep = path_and_query.find('?') == std::string::npos ? '?' : '&';
    for (int guard = 0; guard < 100; ++guard) {
      std::string target = path_and_query + sep + "maxResults=" + std::to_string(page_size);
      if (!token.empty()) {
        target += "&nextToken=" + Encoded(token);
      }
      boost::json::value page = Ok("GET", target);
      for (const auto& g : page.at("thingGroups").as_array()) {
        std::string name(g.at("groupName").as_string());
        EXPECT_EQ(g.at("groupArn"), GroupArn(name));
        names.push_back(std::move(name));
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

  V ThingsIn(const std::string& group, bool recursive) {
    V names;
    auto page =
        Ok("GET", "/thing-groups/" + group + "/things?recursive=" + (recursive ? "true" : "false"));
    for (const auto& t : page.at("things").as_array()) {
      names.emplace_back(t.as_string());
    }
    return names;
  }
};

TEST_F(ThingGroupRoutesTest, CreateAndDescribeWithAncestry) {
  auto created = Ok("POST", "/thing-groups/root");
  EXPECT_EQ(created.at("thingGroupName"), "root");
  EXPECT_EQ(created.at("thingGroupArn"), GroupArn("root"));
  ASSERT_TRUE(created.at("thingGroupId").is_string());
  Ok("POST", "/thing-groups/mid", R"({"parentGroupName":"root"})");
  Ok("POST", "/thing-groups/leaf",
     R"({"parentGroupName":"mid","thingGroupProperties":{"thingGroupDescription":"bottom",
         "attributePayload":{"attributes":{"k":"v"}}}})");

  auto leaf = Ok("GET", "/thing-groups/leaf");
  EXPECT_EQ(leaf.at("thingGroupName"), "leaf");
  EXPECT_EQ(leaf.at("thingGroupArn"), GroupArn("leaf"));
  EXPECT_EQ(leaf.at("version"), 1);
  EXPECT_EQ(
      leaf.at("thingGroupProperties"),
      boost::json::parse(
          R"({"thingGroupDescription":"bottom","attributePayload":{"attributes":{"k":"v"}}})"));
  const auto& metadata = leaf.at("thingGroupMetadata");
  EXPECT_EQ(metadata.at("parentGroupName"), "mid");
  EXPECT_EQ(metadata.at("rootToParentThingGroups"),
            boost::json::parse(std::string(R"([{"groupName":"root","groupArn":")") +
                               kGroupArnPrefix + R"(root"},{"groupName":"mid","groupArn":")" +
                               kGroupArnPrefix + R"(mid"}])"));
  EXPECT_EQ(metadata.at("creationDate"), ToEpochMillis(pki::testing::kReferenceTime) / 1000);

  auto root = Ok("GET", "/thing-groups/root");
  EXPECT_EQ(root.at("thingGroupId"), created.at("thingGroupId"));
  EXPECT_FALSE(root.at("thingGroupMetadata").as_object().contains("parentGroupName"));
  EXPECT_FALSE(root.at("thingGroupProperties").as_object().contains("thingGroupDescription"));

  // Idempotent for the same configuration; a different one is a conflict naming the group.
  EXPECT_EQ(Ok("POST", "/thing-groups/mid", R"({"parentGroupName":"root"})").at("thingGroupArn"),
            GroupArn("mid"));
  Reply clash = Call("POST", "/thing-groups/mid");
  EXPECT_EQ(clash.type, "ResourceAlreadyExistsException");
  EXPECT_EQ(clash.body.at("resourceArn"), GroupArn("mid"));
}

TEST_F(ThingGroupRoutesTest, UpdateReturnsTheNewVersion) {
  MakeHierarchy();
  auto updated = Ok("PATCH", "/thing-groups/root",
                    R"({"thingGroupProperties":{"attributePayload":{
                        "attributes":{"floor":"2"},"merge":true}},"expectedVersion":1})");
  EXPECT_EQ(updated, boost::json::parse(R"({"version":2})"));
  auto root = Ok("GET", "/thing-groups/root");
  EXPECT_EQ(root.at("version"), 2);
  EXPECT_EQ(root.at("thingGroupProperties"),
            boost::json::parse(R"({"thingGroupDescription":"the top",
                "attributePayload":{"attributes":{"floor":"2","site":"x"}}})"));
  Ok("PATCH", "/thing-groups/root",
     R"({"thingGroupProperties":{"thingGroupDescription":"new",
         "attributePayload":{"attributes":{"only":"1"}}}})");
  root = Ok("GET", "/thing-groups/root");
  EXPECT_EQ(root.at("thingGroupProperties"), boost::json::parse(R"({"thingGroupDescription":"new",
                "attributePayload":{"attributes":{"only":"1"}}})"));
  Reply stale =
      Call("PATCH", "/thing-groups/root", R"({"thingGroupProperties":{},"expectedVersion":2})");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.type, "VersionConflictException");
}

TEST_F(ThingGroupRoutesTest, ListDirectRecursivePrefixAndPaged) {
  MakeHierarchy();
  EXPECT_EQ(ListGroups("/thing-groups", 250), (V{"leaf", "mid", "other", "root"}));
  EXPECT_EQ(ListGroups("/thing-groups", 1), (V{"leaf", "mid", "other", "root"}));
  EXPECT_EQ(ListGroups("/thing-groups?parentGroup=root", 1), (V{"mid"}));
  EXPECT_EQ(ListGroups("/thing-groups?parentGroup=root&recursive=true", 1), (V{"leaf", "mid"}));
  EXPECT_EQ(ListGroups("/thing-groups?namePrefixFilter=m", 1), (V{"mid"}));
  EXPECT_EQ(ListGroups("/thing-groups?parentGroup=root&recursive=true&namePrefixFilter=l", 5),
            (V{"leaf"}));
  // A token of the unfiltered listing is refused by a filtered one.
  auto first = Ok("GET", "/thing-groups?maxResults=1");
  const std::string token = Encoded(std::string(first.at("nextToken").as_string()));
  EXPECT_EQ(Call("GET", "/thing-groups?recursive=true&nextToken=" + token).type,
            "InvalidRequestException");
  EXPECT_EQ(Call("GET", "/thing-groups?namePrefixFilter=r&nextToken=" + token).type,
            "InvalidRequestException");
  // recursive=false is the default, so it continues the same listing.
  EXPECT_EQ(Ok("GET", "/thing-groups?recursive=false&maxResults=1&nextToken=" + token)
                .at("thingGroups")
                .as_array()[0]
                .at("groupName"),
            "mid");
  EXPECT_TRUE(Ok("GET", "/thing-groups", "", {}, kAccountB).at("thingGroups").as_array().empty());
}

TEST_F(ThingGroupRoutesTest, MembershipByNameAndByArn) {
  MakeHierarchy();
  for (const char* t : {"t1", "t2", "t3"}) {
    Ok("POST", std::string("/things/") + t);
  }
  Ok("PUT", "/thing-groups/addThingToThingGroup", R"({"thingGroupName":"root","thingName":"t1"})");
  Ok("PUT", "/thing-groups/addThingToThingGroup",
     std::string(R"({"thingGroupArn":")") + kGroupArnPrefix + R"(leaf","thingArn":")" +
         kThingArnPrefix + R"(t2","overrideDynamicGroups":false})");
  Ok("PUT", "/thing-groups/addThingToThingGroup",
     std::string(R"({"thingGroupName":"mid","thingGroupArn":")") + kGroupArnPrefix +
         R"(mid","thingName":"t3"})");
  Ok("PUT", "/thing-groups/addThingToThingGroup", R"({"thingGroupName":"leaf","thingName":"t1"})");

  EXPECT_EQ(ThingsIn("root", false), (V{"t1"}));
  EXPECT_EQ(ThingsIn("root", true), (V{"t1", "t2", "t3"}));
  EXPECT_EQ(ThingsIn("leaf", false), (V{"t1", "t2"}));
  auto page = Ok("GET", "/thing-groups/root/things?recursive=true&maxResults=2");
  EXPECT_EQ(page.at("things").as_array().size(), 2u);
  auto rest = Ok("GET", "/thing-groups/root/things?recursive=true&maxResults=2&nextToken=" +
                            Encoded(std::string(page.at("nextToken").as_string())));
  EXPECT_EQ(rest.at("things"), boost::json::parse(R"(["t3"])"));
  // The token is bound to the recursive listing of root.
  EXPECT_EQ(Call("GET", "/thing-groups/leaf/things?recursive=true&maxResults=2&nextToken=" +
                            Encoded(std::string(page.at("nextToken").as_string())))
                .type,
            "InvalidRequestException");

  auto groups = Ok("GET", "/things/t1/thing-groups");
  EXPECT_EQ(groups.at("thingGroups"),
            boost::json::parse(std::string(R"([{"groupName":"leaf","groupArn":")") +
                               kGroupArnPrefix + R"(leaf"},{"groupName":"root","groupArn":")" +
                               kGroupArnPrefix + R"(root"}])"));
  auto first = Ok("GET", "/things/t1/thing-groups?maxResults=1");
  EXPECT_EQ(first.at("thingGroups").as_array().size(), 1u);
  ASSERT_TRUE(first.as_object().contains("nextToken"));

  Ok("PUT", "/thing-groups/removeThingFromThingGroup",
     std::string(R"({"thingGroupArn":")") + kGroupArnPrefix + R"(leaf","thingName":"t1"})");
  EXPECT_EQ(ThingsIn("leaf", false), (V{"t2"}));
  Ok("PUT", "/thing-groups/removeThingFromThingGroup",
     R"({"thingGroupName":"root","thingName":"t1"})");
  EXPECT_TRUE(Ok("GET", "/things/t1/thing-groups").at("thingGroups").as_array().empty());
}

TEST_F(ThingGroupRoutesTest, DeleteRefusedWhileItHasChildren) {
  MakeHierarchy();
  Reply parent = Call("DELETE", "/thing-groups/mid");
  EXPECT_EQ(parent.status, 400);
  EXPECT_EQ(parent.type, "InvalidRequestException");
  EXPECT_EQ(Call("DELETE", "/thing-groups/leaf?expectedVersion=5").type,
            "VersionConflictException");
  Ok("DELETE", "/thing-groups/leaf?expectedVersion=1");
  Ok("DELETE", "/thing-groups/mid");
  EXPECT_EQ(Call("GET", "/thing-groups/mid").type, "ResourceNotFoundException");
  Ok("DELETE", "/thing-groups/mid");  // a missing group: success, as AWS answers
  // Another account's delete does not touch A's group.
  Ok("DELETE", "/thing-groups/root", "", {}, kAccountB);
  Ok("GET", "/thing-groups/root");
}

struct GroupRefusal {
  const char* what;
  const char* method;
  std::string target;
  std::string body;
  int status;
  const char* type;
  const char* message_part;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const GroupRefusal& c, std::ostream* os) { *os << c.what; }

class ThingGroupRefusalTest : public ThingGroupRoutesTest,
                              public ::testing::WithParamInterface<GroupRefusal> {};

TEST_P(ThingGroupRefusalTest, IsRefusedWithTheModelsError) {
  MakeHierarchy();
  Ok("POST", "/things/t1");
  Ok("POST", "/thing-groups/b-group", "", {}, kAccountB);
  Ok("POST", "/things/b-thing", "", {}, kAccountB);
  const GroupRefusal& c = GetParam();
  Reply r = Call(c.method, c.target, c.body);
  EXPECT_EQ(r.status, c.status) << r.message();
  EXPECT_EQ(r.type, c.type) << r.message();
  EXPECT_NE(r.message().find(c.message_part), std::string::npos) << r.message();
  // Nothing changed.
  EXPECT_EQ(ListGroups("/thing-groups", 250), (V{"leaf", "mid", "other", "root"}));
  EXPECT_EQ(Ok("GET", "/thing-groups/root").at("version"), 1);
  EXPECT_TRUE(Ok("GET", "/things/t1/thing-groups").at("thingGroups").as_array().empty());
}

const std::string kArnB = "arn:aws:iot:us-east-1:222222222222:thinggroup/b-group";
const std::string kArnOtherRegion = "arn:aws:iot:eu-west-1:111111111111:thinggroup/root";

INSTANTIATE_TEST_SUITE_P(
    Cases, ThingGroupRefusalTest,
    ::testing::Values(
        GroupRefusal{"space in name", "POST", "/thing-groups/a%20b", "", 400,
                     "InvalidRequestException", "thingGroupName"},
        GroupRefusal{"name over 128", "POST", "/thing-groups/" + std::string(129, 'g'), "", 400,
                     "InvalidRequestException", "thingGroupName"},
        GroupRefusal{"bad parent name", "POST", "/thing-groups/n", R"({"parentGroupName":"a/b"})",
                     400, "InvalidRequestException", "parentGroupName"},
        GroupRefusal{"missing parent", "POST", "/thing-groups/n", R"({"parentGroupName":"nope"})",
                     404, "ResourceNotFoundException", "nope"},
        GroupRefusal{"other account's parent", "POST", "/thing-groups/n",
                     R"({"parentGroupName":"b-group"})", 404, "ResourceNotFoundException",
                     "b-group"},
        GroupRefusal{"description with a control character", "POST", "/thing-groups/n",
                     R"({"thingGroupProperties":{"thingGroupDescription":"a\nb"}})", 400,
                     "InvalidRequestException", "thingGroupProperties.thingGroupDescription"},
        GroupRefusal{"description over 2028", "POST", "/thing-groups/n",
                     R"({"thingGroupProperties":{"thingGroupDescription":")" +
                         std::string(2029, 'd') + R"("}})",
                     400, "InvalidRequestException", "thingGroupProperties.thingGroupDescription"},
        GroupRefusal{"properties not an object", "POST", "/thing-groups/n",
                     R"({"thingGroupProperties":"x"})", 400, "InvalidRequestException",
                     "thingGroupProperties"},
        GroupRefusal{"bad attribute", "POST", "/thing-groups/n",
                     R"({"thingGroupProperties":{"attributePayload":{"attributes":{"a":"b c"}}}})",
                     400, "InvalidRequestException",
                     "thingGroupProperties.attributePayload.attributes.a"},
        GroupRefusal{"tags not a list", "POST", "/thing-groups/n", R"({"tags":{}})", 400,
                     "InvalidRequestException", "tags"},
        GroupRefusal{"tag without Key", "POST", "/thing-groups/n", R"({"tags":[{"Value":"v"}]})",
                     400, "InvalidRequestException", "tags[0].Key"},
        GroupRefusal{"tag value over 256", "POST", "/thing-groups/n",
                     R"({"tags":[{"Key":"k","Value":")" + std::string(257, 'v') + R"("}]})", 400,
                     "InvalidRequestException", "tags[0].Value"},
        GroupRefusal{"describe missing", "GET", "/thing-groups/nope", "", 404,
                     "ResourceNotFoundException", "nope"},
        GroupRefusal{"describe other account's group", "GET", "/thing-groups/b-group", "", 404,
                     "ResourceNotFoundException", "b-group"},
        GroupRefusal{"update without properties", "PATCH", "/thing-groups/root", "{}", 400,
                     "InvalidRequestException", "thingGroupProperties"},
        GroupRefusal{"update missing group", "PATCH", "/thing-groups/nope",
                     R"({"thingGroupProperties":{}})", 404, "ResourceNotFoundException", "nope"},
        GroupRefusal{"update expectedVersion text", "PATCH", "/thing-groups/root",
                     R"({"thingGroupProperties":{},"expectedVersion":"1"})", 400,
                     "InvalidRequestException", "expectedVersion"},
        GroupRefusal{"update bad description", "PATCH", "/thing-groups/root",
                     R"({"thingGroupProperties":{"thingGroupDescription":"\u0001"}})", 400,
                     "InvalidRequestException", "thingGroupDescription"},
        GroupRefusal{"list bad parentGroup", "GET", "/thing-groups?parentGroup=a%20b", "", 400,
                     "InvalidRequestException", "parentGroup"},
        GroupRefusal{"list bad namePrefixFilter", "GET", "/thing-groups?namePrefixFilter=a%2Fb", "",
                     400, "InvalidRequestException", "namePrefixFilter"},
        GroupRefusal{"list recursive not boolean", "GET", "/thing-groups?recursive=1", "", 400,
                     "InvalidRequestException", "recursive"},
        GroupRefusal{"list maxResults 251", "GET", "/thing-groups?maxResults=251", "", 400,
                     "InvalidRequestException", "maxResults"},
        GroupRefusal{"list recursive under missing parent", "GET",
                     "/thing-groups?parentGroup=nope&recursive=true", "", 404,
                     "ResourceNotFoundException", "nope"},
        GroupRefusal{"delete expectedVersion text", "DELETE",
                     "/thing-groups/leaf?expectedVersion=v", "", 400, "InvalidRequestException",
                     "expectedVersion"},
        GroupRefusal{"add without group", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingName":"t1"})", 400, "InvalidRequestException", "thingGroupName"},
        GroupRefusal{"add without thing", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"root"})", 400, "InvalidRequestException", "thingName"},
        GroupRefusal{"add bad group name", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"a b","thingName":"t1"})", 400, "InvalidRequestException",
                     "thingGroupName"},
        GroupRefusal{"add thing ARN as group ARN", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupArn":"arn:aws:iot:us-east-1:111111111111:thing/t1",
                         "thingName":"t1"})",
                     400, "InvalidRequestException", "thingGroupArn"},
        GroupRefusal{"add malformed ARN", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupArn":"root","thingName":"t1"})", 400, "InvalidRequestException",
                     "thingGroupArn"},
        GroupRefusal{"add ARN with a bad name", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupArn":"arn:aws:iot:us-east-1:111111111111:thinggroup/a b",
                         "thingName":"t1"})",
                     400, "InvalidRequestException", "thingGroupArn"},
        GroupRefusal{"add other account's group ARN", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupArn":")" + kArnB + R"(","thingName":"t1"})", 404,
                     "ResourceNotFoundException", "b-group"},
        GroupRefusal{"add other region's group ARN", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupArn":")" + kArnOtherRegion + R"(","thingName":"t1"})", 404,
                     "ResourceNotFoundException", "root"},
        GroupRefusal{"add name and ARN disagree", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"mid","thingGroupArn":")" + std::string(kGroupArnPrefix) +
                         R"(root","thingName":"t1"})",
                     400, "InvalidRequestException", "thingGroupArn"},
        GroupRefusal{"add other account's thing", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"root","thingName":"b-thing"})", 404,
                     "ResourceNotFoundException", "b-thing"},
        GroupRefusal{"add to other account's group", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"b-group","thingName":"t1"})", 404,
                     "ResourceNotFoundException", "b-group"},
        GroupRefusal{"add overrideDynamicGroups text", "PUT", "/thing-groups/addThingToThingGroup",
                     R"({"thingGroupName":"root","thingName":"t1","overrideDynamicGroups":"no"})",
                     400, "InvalidRequestException", "overrideDynamicGroups"},
        GroupRefusal{"remove bad thing ARN", "PUT", "/thing-groups/removeThingFromThingGroup",
                     R"({"thingGroupName":"root","thingArn":"arn:aws:iot:x"})", 400,
                     "InvalidRequestException", "thingArn"},
        GroupRefusal{"remove from missing group", "PUT", "/thing-groups/removeThingFromThingGroup",
                     R"({"thingGroupName":"nope","thingName":"t1"})", 404,
                     "ResourceNotFoundException", "nope"},
        GroupRefusal{"things of missing group", "GET", "/thing-groups/nope/things", "", 404,
                     "ResourceNotFoundException", "nope"},
        GroupRefusal{"things recursive not boolean", "GET", "/thing-groups/root/things?recursive=y",
                     "", 400, "InvalidRequestException", "recursive"},
        GroupRefusal{"groups of missing thing", "GET", "/things/nope/thing-groups", "", 404,
                     "ResourceNotFoundException", "nope"},
        GroupRefusal{"groups of bad thing name", "GET", "/things/a%20b/thing-groups", "", 400,
                     "InvalidRequestException", "thingName"},
        GroupRefusal{"groups of other account's thing", "GET", "/things/b-thing/thing-groups", "",
                     404, "ResourceNotFoundException", "b-thing"}),
    [](const ::testing::TestParamInfo<GroupRefusal>& param_info) {
      std::string name;
      for (const char* p = param_info.param.what; *p != '\0'; ++p) {
        name.push_back(std::isalnum(static_cast<unsigned char>(*p)) != 0 ? *p : '_');
      }
      return name;
    });

}  // namespace
}  // namespace fg::api::testing
