#include "api/json_body.h"

#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fg::api {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(JsonBodyTest, EmptyBodyIsEmptyObject) {
  auto parsed = ParseJsonObject("");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
}

TEST(JsonBodyTest, RejectsNonObjectsAndGarbage) {
  for (const char* body : {"[]", "1", "\"s\"", "null", "{", "{\"a\":}", "{} x", "\xff"}) {
    auto parsed = ParseJsonObject(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(JsonBodyTest, RejectsDeepNestingWithoutCrashing) {
  std::string deep(100000, '[');
  EXPECT_FALSE(ParseJsonObject("{\"a\":" + deep));
}

TEST(JsonBodyTest, ReadsTypedMembers) {
  auto o = Obj(R"({"s":"x","b":true,"i":5,"f":5.0,"t":1541022751.983,"ti":1541022751,
                   "o":{"n":"in"},"l":["a","b"],"m":{"k":"v"},"nul":null})");
  JsonReader r(o);
  EXPECT_EQ(*r.String("s"), "x");
  EXPECT_EQ(**r.OptBool("b"), true);
  EXPECT_EQ(**r.OptInt("i"), 5);
  EXPECT_EQ(**r.OptInt("f"), 5);
  EXPECT_EQ(ToEpochMillis(**r.OptTimestamp("t")), 1541022751983);
  EXPECT_EQ(ToEpochMillis(**r.OptTimestamp("ti")), 1541022751000);
  auto inner = r.Object("o");
  ASSERT_TRUE(inner);
  EXPECT_EQ(*inner->String("n"), "in");
  EXPECT_EQ(r.StringList("l")->size(), 2u);
  EXPECT_EQ(r.OptStringMap("m")->value().at("k"), "v");
  // null and absent are the same: optional members are empty, required ones are missing.
  EXPECT_FALSE(r.OptString("nul")->has_value());
  EXPECT_FALSE(r.OptString("absent")->has_value());
  EXPECT_FALSE(r.String("nul"));
}

struct TypeCase {
  std::string body;
  std::string expected_substring;
};

class JsonTypeErrorTest : public ::testing::TestWithParam<TypeCase> {};

TEST_P(JsonTypeErrorTest, ClearMessageNamingTheMember) {
  auto o = Obj(GetParam().body);
  JsonReader r(o);
  Error error;
  if (auto v = r.String("s"); !v) {
    error = v.error();
  } else if (auto b = r.OptBool("b"); !b) {
    error = b.error();
  } else if (auto i = r.OptInt("i"); !i) {
    error = i.error();
  } else if (auto t = r.OptTimestamp("t"); !t) {
    error = t.error();
  } else if (auto l = r.OptStringList("l"); !l) {
    error = l.error();
  } else if (auto m = r.OptStringMap("m"); !m) {
    error = m.error();
  } else if (auto c = r.Object("cfg"); !c) {
    error = c.error();
  } else if (auto n = c->String("name"); !n) {
    error = n.error();
  } else {
    FAIL() << "no error for " << GetParam().body;
  }
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find(GetParam().expected_substring), std::string::npos) << error.message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, JsonTypeErrorTest,
    ::testing::Values(TypeCase{R"({})", "Missing required member 's'"},
                      TypeCase{R"({"s":1})", "'s' must be a string"},
                      TypeCase{R"({"s":"x","b":"true"})", "'b' must be a boolean"},
                      TypeCase{R"({"s":"x","i":"5"})", "'i' must be an integer"},
                      TypeCase{R"({"s":"x","i":5.5})", "'i' must be an integer"},
                      TypeCase{R"({"s":"x","i":1e30})", "'i' must be an integer"},
                      TypeCase{R"({"s":"x","i":18446744073709551615})", "'i' must be an integer"},
                      TypeCase{R"({"s":"x","t":"2024-01-01T00:00:00Z"})",
                               "'t' must be a timestamp"},
                      TypeCase{R"({"s":"x","t":-1})", "'t' must be a timestamp"},
                      TypeCase{R"({"s":"x","t":1e300})", "'t' must be a timestamp"},
                      TypeCase{R"({"s":"x","l":"a"})", "'l' must be a list"},
                      TypeCase{R"({"s":"x","l":["a",1]})", "'l' must be a list"},
                      TypeCase{R"({"s":"x","m":{"k":1}})", "'m' must be a map"},
                      TypeCase{R"({"s":"x"})", "Missing required member 'cfg'"},
                      TypeCase{R"({"s":"x","cfg":[]})", "'cfg' must be an object"},
                      TypeCase{R"({"s":"x","cfg":{}})", "Missing required member 'cfg.name'"}));

TEST(JsonBodyTest, TimestampsAreWrittenAsEpochSeconds) {
  EXPECT_EQ(SerializeJson(EpochSecondsValue(FromEpochMillis(1541022751983))), "1541022751.983");
  EXPECT_EQ(SerializeJson(EpochSecondsValue(FromEpochMillis(1541022751000))), "1541022751");
  EXPECT_EQ(SerializeJson(EpochSecondsValue(FromEpochMillis(1541022751500))), "1541022751.5");
}

TEST(JsonBodyTest, SerializeJsonKeepsStructureAndEscapes) {
  boost::json::object o;
  o["a\"b"] = "x\ny";
  o["n"] = nullptr;
  o["l"] = boost::json::array{1, 2.25, true};
  std::string text = SerializeJson(o);
  EXPECT_EQ(text, R"({"a\"b":"x\ny","n":null,"l":[1,2.25,true]})");
  EXPECT_EQ(boost::json::parse(text), boost::json::value(o));
}

TEST(JsonBodyTest, JsonResponseSetsContentType) {
  boost::json::object o;
  o["certificateId"] = "abc";
  HttpResponse r = JsonResponse(o);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type").value_or(""), "application/json");
  EXPECT_EQ(r.body, R"({"certificateId":"abc"})");
}

TEST(JsonBodyTest, EmptyJsonResponseIsAnEmptyObject) {
  HttpResponse r = EmptyJsonResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
}

}  // namespace
}  // namespace fg::api
