// The CA certificate and registration-code handlers, and DescribeEndpoint, through the Router
// over a real registry.

#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "api/percent_encoding.h"
#include "unit/api/certificate_api_fixture.h"

namespace fg::api::testing {
namespace {

using pki::testing::FixtureFingerprint;
using pki::testing::ReadFixture;
using registry::testing::kFixtureCode;

class CaRoutesTest : public CertificateApiFixture {
 protected:
  HttpResponse RegisterCa(const std::string& query, boost::json::object body) {
    if (!body.contains("caCertificate")) {
      body["caCertificate"] = ReadFixture("ca1.pem");
    }
    return Call("POST", "/cacertificate" + query, boost::json::serialize(body));
  }
  boost::json::object Ca1Body() {
    boost::json::object body;
    body["caCertificate"] = ReadFixture("ca1.pem");
    body["verificationCertificate"] = ReadFixture("verification-ca1.pem");
    return body;
  }
  boost::json::value DescribeCa(const std::string& id) {
    return OkJson(Call("GET", "/cacertificate/" + id));
  }
};

TEST_F(CaRoutesTest, RegistrationCodeIsStableUntilDeleted) {
  auto code = OkJson(Call("GET", "/registrationcode")).at("registrationCode").as_string();
  EXPECT_EQ(code, kFixtureCode);
  EXPECT_EQ(OkJson(Call("GET", "/registrationcode")).at("registrationCode").as_string(), code);
  OkJson(Call("DELETE", "/registrationcode"));
  auto again = Call("DELETE", "/registrationcode");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(ErrorType(again), "ResourceNotFoundException");
  auto fresh = OkJson(Call("GET", "/registrationcode")).at("registrationCode").as_string();
  EXPECT_NE(fresh, code);
  EXPECT_EQ(fresh.size(), 64u);
  // A registration code is per account.
  OkJson(Call("DELETE", "/registrationcode", "", kAccountB));
  EXPECT_EQ(OkJson(Call("GET", "/registrationcode")).at("registrationCode").as_string(), fresh);
}

TEST_F(CaRoutesTest, RegisterDescribeUpdateDelete) {
  boost::json::object body = Ca1Body();
  boost::json::object config;
  config["templateBody"] = "{\"Resources\":{}}";
  config["roleArn"] = "arn:aws:iam::111111111111:role/JITP";
  config["templateName"] = "jitp-1";
  body["registrationConfig"] = config;
  boost::json::array tags;
  tags.push_back(boost::json::object{{"Key", "team"}, {"Value", "fleet"}});
  body["tags"] = tags;
  auto reg = OkJson(RegisterCa("?setAsActive=true&allowAutoRegistration=true", body));
  const std::string id = FixtureFingerprint("ca1");
  EXPECT_EQ(reg.at("certificateId").as_string(), id);
  EXPECT_EQ(reg.at("certificateArn").as_string(),
            "arn:aws:iot:us-east-1:111111111111:cacert/" + id);

  auto d = DescribeCa(id);
  const auto& desc = d.at("certificateDescription").as_object();
  EXPECT_EQ(desc.at("certificateArn").as_string(), reg.at("certificateArn").as_string());
  EXPECT_EQ(desc.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(desc.at("autoRegistrationStatus").as_string(), "ENABLE");
  EXPECT_EQ(desc.at("certificateMode").as_string(), "DEFAULT");
  EXPECT_EQ(desc.at("ownedBy").as_string(), kAccountA);
  EXPECT_EQ(desc.at("customerVersion").as_int64(), 1);
  EXPECT_EQ(desc.at("creationDate").to_number<int64_t>(), 1893456000);
  EXPECT_TRUE(desc.at("validity").as_object().contains("notAfter"));
  EXPECT_TRUE(desc.at("certificatePem").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_EQ(d.at("registrationConfig").as_object(), config);

  // Same CA again: ResourceAlreadyExists with the id.
  auto dup = RegisterCa("", Ca1Body());
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(boost::json::parse(dup.body).at("resourceId").as_string(), id);

  // A device certificate under the CA keeps it from being deleted.
  OkJson(Call("POST", "/certificate/register",
              Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}})));
  auto active = Call("DELETE", "/cacertificate/" + id);
  EXPECT_EQ(active.status, 406);
  EXPECT_EQ(ErrorType(active), "CertificateStateException");

  boost::json::object update;
  update["removeAutoRegistration"] = true;
  update["registrationConfig"] = boost::json::object{{"templateName", "jitp-2"}};
  OkJson(
      Call("PUT", "/cacertificate/" + id + "?newStatus=INACTIVE", boost::json::serialize(update)));
  auto after = DescribeCa(id);
  EXPECT_EQ(after.at("certificateDescription").at("status").as_string(), "INACTIVE");
  EXPECT_EQ(after.at("certificateDescription").at("autoRegistrationStatus").as_string(), "DISABLE");
  EXPECT_EQ(after.at("registrationConfig").at("templateName").as_string(), "jitp-2");
  EXPECT_EQ(after.at("certificateDescription").at("customerVersion").as_int64(), 2);
  OkJson(Call("PUT", "/cacertificate/" + id + "?newAutoRegistrationStatus=ENABLE"));
  EXPECT_EQ(DescribeCa(id).at("certificateDescription").at("autoRegistrationStatus").as_string(),
            "ENABLE");

  EXPECT_EQ(Call("DELETE", "/cacertificate/" + id).status, 406);  // still has a device cert
  OkJson(Call("DELETE", "/certificates/" + FixtureFingerprint("device-rsa-1")));
  OkJson(Call("DELETE", "/cacertificate/" + id));
  EXPECT_EQ(ErrorType(Call("GET", "/cacertificate/" + id)), "ResourceNotFoundException");
}

TEST_F(CaRoutesTest, SniOnlyWithoutVerificationCertificate) {
  boost::json::object body;
  body["caCertificate"] = ReadFixture("ca2.pem");
  body["certificateMode"] = "SNI_ONLY";
  OkJson(RegisterCa("?setAsActive=true", body));
  auto d = DescribeCa(FixtureFingerprint("ca2"));
  EXPECT_EQ(d.at("certificateDescription").at("certificateMode").as_string(), "SNI_ONLY");
  EXPECT_FALSE(d.as_object().contains("registrationConfig"));
}

TEST_F(CaRoutesTest, ListCaCertificatesPagesAndFiltersByTemplate) {
  boost::json::object one = Ca1Body();
  one["registrationConfig"] = boost::json::object{{"templateName", "t1"}};
  OkJson(RegisterCa("", one));
  clock_.Advance(std::chrono::seconds(1));
  boost::json::object two;
  two["caCertificate"] = ReadFixture("ca2.pem");
  two["certificateMode"] = "SNI_ONLY";
  OkJson(RegisterCa("", two));

  auto page1 = OkJson(Call("GET", "/cacertificates?pageSize=1&isAscendingOrder=true"));
  ASSERT_EQ(page1.at("certificates").as_array().size(), 1u);
  const auto& item = page1.at("certificates").as_array()[0].as_object();
  EXPECT_EQ(item.at("certificateId").as_string(), FixtureFingerprint("ca1"));
  for (const char* member : {"certificateArn", "status", "creationDate"}) {
    EXPECT_TRUE(item.contains(member)) << member;
  }
  std::string marker = PercentEncode(std::string(page1.at("nextMarker").as_string()));
  auto page2 =
      OkJson(Call("GET", "/cacertificates?pageSize=1&isAscendingOrder=true&marker=" + marker));
  ASSERT_EQ(page2.at("certificates").as_array().size(), 1u);
  EXPECT_EQ(page2.at("certificates").as_array()[0].at("certificateId").as_string(),
            FixtureFingerprint("ca2"));
  EXPECT_FALSE(page2.as_object().contains("nextMarker"));

  auto newest = OkJson(Call("GET", "/cacertificates"));
  EXPECT_EQ(newest.at("certificates").as_array()[0].at("certificateId").as_string(),
            FixtureFingerprint("ca2"));

  auto filtered = OkJson(Call("GET", "/cacertificates?templateName=t1&pageSize=1"));
  ASSERT_EQ(filtered.at("certificates").as_array().size(), 1u);
  EXPECT_EQ(filtered.at("certificates").as_array()[0].at("certificateId").as_string(),
            FixtureFingerprint("ca1"));
  EXPECT_FALSE(filtered.as_object().contains("nextMarker"));
  EXPECT_TRUE(
      OkJson(Call("GET", "/cacertificates?templateName=t2")).at("certificates").as_array().empty());
  EXPECT_TRUE(
      OkJson(Call("GET", "/cacertificates", "", kAccountB)).at("certificates").as_array().empty());
}

TEST_F(CaRoutesTest, AnotherAccountsCaIsInvisible) {
  OkJson(RegisterCa("", Ca1Body()));
  const std::string id = FixtureFingerprint("ca1");
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/cacertificate/" + id},
           {"PUT", "/cacertificate/" + id + "?newStatus=ACTIVE"},
           {"DELETE", "/cacertificate/" + id}}) {
    EXPECT_EQ(ErrorType(Call(method, target, "", kAccountB)), "ResourceNotFoundException")
        << method << " " << target;
  }
}

struct RefusedCa {
  std::string name;
  std::string method;
  std::string target;
  std::string body;  // for POST /cacertificate: merged over a valid CA 1 body
  std::string type;
  std::string message_mentions;
};

void PrintTo(const RefusedCa& r, std::ostream* os) { *os << r.name; }

class CaRefusedTest : public CaRoutesTest, public ::testing::WithParamInterface<RefusedCa> {};

const std::string kIre = "InvalidRequestException";
const std::string kUnknownCa = "/cacertificate/" + std::string(64, 'b');

std::vector<RefusedCa> RefusedCaCases() {
  return {
      {"CaMissing", "POST", "/cacertificate", R"({"caCertificate": null})", kIre, "caCertificate"},
      {"CaTooLong", "POST", "/cacertificate", Body({{"caCertificate", std::string(65537, 'c')}}),
       kIre, "caCertificate"},
      {"VerificationTooLong", "POST", "/cacertificate",
       Body({{"verificationCertificate", std::string(65537, 'v')}}), kIre,
       "verificationCertificate"},
      {"VerificationMissingInDefaultMode", "POST", "/cacertificate",
       R"({"verificationCertificate": null})", kIre, ""},
      {"VerificationWrongCn", "POST", "/cacertificate",
       Body({{"verificationCertificate", ReadFixture("verification-ca1-wrong-cn.pem")}}),
       "RegistrationCodeValidationException", ""},
      {"VerificationRogueKey", "POST", "/cacertificate",
       Body({{"verificationCertificate", ReadFixture("verification-ca1-rogue-key.pem")}}),
       "CertificateValidationException", ""},
      {"NotACa", "POST", "/cacertificate",
       Body({{"caCertificate", ReadFixture("device-rsa-1.pem")}}), "CertificateValidationException",
       ""},
      {"BadMode", "POST", "/cacertificate", R"({"certificateMode": "sni_only"})", kIre,
       "certificateMode"},
      {"AutoRegistrationInSniOnly", "POST", "/cacertificate?allowAutoRegistration=true",
       R"({"certificateMode": "SNI_ONLY"})", kIre, ""},
      {"BadSetAsActive", "POST", "/cacertificate?setAsActive=TRUE", "{}", kIre, "setAsActive"},
      {"BadAllowAuto", "POST", "/cacertificate?allowAutoRegistration=0", "{}", kIre,
       "allowAutoRegistration"},
      {"TemplateNamePattern", "POST", "/cacertificate",
       R"({"registrationConfig": {"templateName": "bad name"}})", kIre,
       "registrationConfig.templateName"},
      {"TemplateNameTooLong", "POST", "/cacertificate",
       Body({{"registrationConfig", boost::json::object{{"templateName", std::string(37, 'n')}}}}),
       kIre, "registrationConfig.templateName"},
      {"RoleArnTooShort", "POST", "/cacertificate",
       R"({"registrationConfig": {"roleArn": "arn:short"}})", kIre, "registrationConfig.roleArn"},
      {"TemplateBodyTooLong", "POST", "/cacertificate",
       Body({{"registrationConfig",
              boost::json::object{{"templateBody", std::string(10241, 'b')}}}}),
       kIre, "registrationConfig.templateBody"},
      {"RegistrationConfigNotObject", "POST", "/cacertificate", R"({"registrationConfig": "x"})",
       kIre, "registrationConfig"},
      {"TagsNotList", "POST", "/cacertificate", R"({"tags": {"Key": "a"}})", kIre, "tags"},
      {"TagWithoutKey", "POST", "/cacertificate", R"({"tags": [{"Value": "v"}]})", kIre,
       "tags[0].Key"},
      {"TagKeyTooLong", "POST", "/cacertificate",
       Body({{"tags", boost::json::array{boost::json::object{{"Key", std::string(129, 'k')}}}}}),
       kIre, "tags[0].Key"},
      {"TagValueTooLong", "POST", "/cacertificate",
       Body({{"tags", boost::json::array{boost::json::object{{"Key", "k"},
                                                             {"Value", std::string(257, 'v')}}}}}),
       kIre, "tags[0].Value"},
      {"DescribeBadId", "GET", "/cacertificate/123", "", kIre, "caCertificateId"},
      {"DescribeUnknown", "GET", kUnknownCa, "", "ResourceNotFoundException", ""},
      {"UpdateUnknown", "PUT", kUnknownCa + "?newStatus=ACTIVE", "", "ResourceNotFoundException",
       ""},
      {"UpdateRegisterInactive", "PUT", kUnknownCa + "?newStatus=REGISTER_INACTIVE", "", kIre,
       "newStatus"},
      {"UpdateBadAuto", "PUT", kUnknownCa + "?newAutoRegistrationStatus=ON", "", kIre,
       "newAutoRegistrationStatus"},
      {"UpdateBadRemove", "PUT", kUnknownCa, R"({"removeAutoRegistration": "yes"})", kIre,
       "removeAutoRegistration"},
      {"DeleteUnknown", "DELETE", kUnknownCa, "", "ResourceNotFoundException", ""},
      {"ListBadTemplate", "GET", "/cacertificates?templateName=a%20b", "", kIre, "templateName"},
      {"ListBadPageSize", "GET", "/cacertificates?pageSize=300", "", kIre, "pageSize"},
      {"EndpointUnknownType", "GET", "/endpoint?endpointType=iot%3AData-Legacy", "", kIre,
       "endpointType"},
      {"EndpointTypeTooLong", "GET", "/endpoint?endpointType=" + std::string(129, 'e'), "", kIre,
       "endpointType"},
  };
}

TEST_P(CaRefusedTest, IsRefusedWithTheModelsError) {
  const RefusedCa& c = GetParam();
  std::string body = c.body;
  if (c.method == "POST") {
    boost::json::object merged = Ca1Body();
    const boost::json::value extra = boost::json::parse(c.body);
    for (const auto& [k, v] : extra.as_object()) {
      merged[k] = v;
    }
    body = boost::json::serialize(merged);
  }
  HttpResponse r = Call(c.method, c.target, body);
  EXPECT_EQ(ErrorType(r), c.type) << r.body;
  if (!c.message_mentions.empty()) {
    EXPECT_NE(r.body.find(c.message_mentions), std::string::npos) << r.body;
  }
  // Nothing was registered.
  EXPECT_TRUE(OkJson(Call("GET", "/cacertificates")).at("certificates").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(All, CaRefusedTest, ::testing::ValuesIn(RefusedCaCases()),
                         [](const auto& param_info) { return param_info.param.name; });

class EndpointRoutesTest : public CertificateApiFixture {};

TEST_F(EndpointRoutesTest, AccountSpecificHostNames) {
  // The registry fixture gives account A the prefix aaaaaaaaaaaaaa and B bbbbbbbbbbbbbb.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "aaaaaaaaaaaaaa-ats.iot.us-east-1.fleet.example"},
      {"?endpointType=iot%3AData-ATS", "aaaaaaaaaaaaaa-ats.iot.us-east-1.fleet.example"},
      {"?endpointType=iot%3AData", "aaaaaaaaaaaaaa.iot.us-east-1.fleet.example"},
      {"?endpointType=iot%3ACredentialProvider",
       "aaaaaaaaaaaaaa.credentials.iot.us-east-1.fleet.example"},
      {"?endpointType=iot%3AJobs", "aaaaaaaaaaaaaa.jobs.iot.us-east-1.fleet.example"},
  };
  for (const auto& [query, host] : cases) {
    auto v = OkJson(Call("GET", "/endpoint" + query));
    EXPECT_EQ(v.at("endpointAddress").as_string(), host) << query;
  }
  EXPECT_EQ(OkJson(Call("GET", "/endpoint", "", kAccountB)).at("endpointAddress").as_string(),
            "bbbbbbbbbbbbbb-ats.iot.us-east-1.fleet.example");
  // Endpoint types are case-sensitive, as AWS's are.
  EXPECT_EQ(ErrorType(Call("GET", "/endpoint?endpointType=IOT%3ADATA-ATS")), kIre);
}

}  // namespace
}  // namespace fg::api::testing
