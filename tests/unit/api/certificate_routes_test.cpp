// The device certificate handlers through the Router over a real registry: wire shapes, the
// marker paging contract, status rules as the wire sees them, account isolation, and every
// refused request.

#include <cctype>
#include <functional>
#include <set>
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

class CertificateRoutesTest : public CertificateApiFixture {};

TEST_F(CertificateRoutesTest, CreateKeysAndCertificateReturnsTheModelShape) {
  auto v = OkJson(Call("POST", "/keys-and-certificate?setAsActive=true"));
  const auto& o = v.as_object();
  std::string id(o.at("certificateId").as_string());
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(o.at("certificateArn").as_string(), "arn:aws:iot:us-east-1:111111111111:cert/" + id);
  EXPECT_TRUE(o.at("certificatePem").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_TRUE(o.at("keyPair").at("PublicKey").as_string().starts_with("-----BEGIN PUBLIC KEY"));
  EXPECT_NE(o.at("keyPair").at("PrivateKey").as_string().find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(Status(id), "ACTIVE");
  EXPECT_EQ(Status(CreateCertificate(false)), "INACTIVE");
  EXPECT_EQ(
      Status(OkJson(Call("POST", "/keys-and-certificate")).at("certificateId").as_string().c_str()),
      "INACTIVE");
}

TEST_F(CertificateRoutesTest, DescribeCertificateHasEveryMember) {
  RegisterCa1(kAccountA);
  auto r = Call("POST", "/certificate/register",
                Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}, {"status", "ACTIVE"}}));
  auto reg = OkJson(r);
  const std::string id = FixtureFingerprint("device-rsa-1");
  EXPECT_EQ(reg.at("certificateId").as_string(), id);
  EXPECT_EQ(reg.at("certificateArn").as_string(), "arn:aws:iot:us-east-1:111111111111:cert/" + id);

  auto d = OkJson(Call("GET", "/certificates/" + id)).at("certificateDescription").as_object();
  EXPECT_EQ(d.at("certificateId").as_string(), id);
  EXPECT_EQ(d.at("caCertificateId").as_string(), FixtureFingerprint("ca1"));
  EXPECT_EQ(d.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(d.at("ownedBy").as_string(), kAccountA);
  EXPECT_EQ(d.at("certificateMode").as_string(), "DEFAULT");
  EXPECT_EQ(d.at("customerVersion").as_int64(), 1);
  EXPECT_FALSE(d.at("generationId").as_string().empty());
  // Timestamps are epoch seconds; the registry fixture's clock is 2030-01-01.
  EXPECT_EQ(d.at("creationDate").to_number<int64_t>(), 1893456000);
  EXPECT_EQ(d.at("lastModifiedDate").to_number<int64_t>(), 1893456000);
  // Fixture validity: 2020-01-01 .. 2060-01-01.
  EXPECT_EQ(d.at("validity").at("notBefore").to_number<int64_t>(), 1577836800);
  EXPECT_EQ(d.at("validity").at("notAfter").to_number<int64_t>(), 2840140800);
  EXPECT_TRUE(d.at("certificatePem").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_FALSE(d.contains("previousOwnedBy"));
  EXPECT_FALSE(d.contains("transferData"));

  // Uppercase hex is the same certificate (the model's pattern allows it).
  std::string upper = id;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(OkJson(Call("GET", "/certificates/" + upper))
                .at("certificateDescription")
                .at("certificateId")
                .as_string(),
            id);
}

TEST_F(CertificateRoutesTest, RegisterCertificateDuplicateCarriesResourceIdAndArn) {
  RegisterCa1(kAccountA);
  const std::string body = Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}});
  OkJson(Call("POST", "/certificate/register", body));
  auto r = Call("POST", "/certificate/register", body);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(ErrorType(r), "ResourceAlreadyExistsException");
  auto v = boost::json::parse(r.body);
  const std::string id = FixtureFingerprint("device-rsa-1");
  EXPECT_EQ(v.at("resourceId").as_string(), id);
  EXPECT_EQ(v.at("resourceArn").as_string(), "arn:aws:iot:us-east-1:111111111111:cert/" + id);
}

TEST_F(CertificateRoutesTest, DeprecatedSetAsActiveAppliesOnlyWithoutStatus) {
  RegisterCa1(kAccountA);
  OkJson(Call("POST", "/certificate/register?setAsActive=true",
              Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}})));
  EXPECT_EQ(Status(FixtureFingerprint("device-rsa-1")), "ACTIVE");
  OkJson(Call("POST", "/certificate/register?setAsActive=true",
              Body({{"certificatePem", ReadFixture("device-rsa-2.pem")}, {"status", "REVOKED"}})));
  EXPECT_EQ(Status(FixtureFingerprint("device-rsa-2")), "REVOKED");
}

TEST_F(CertificateRoutesTest, RegisterWithExplicitCaPem) {
  RegisterCa1(kAccountA);
  OkJson(Call("POST", "/certificate/register",
              Body({{"certificatePem", ReadFixture("device-rsa-3.pem")},
                    {"caCertificatePem", ReadFixture("ca1.pem")}})));
  auto d = OkJson(Call("GET", "/certificates/" + FixtureFingerprint("device-rsa-3")));
  EXPECT_EQ(d.at("certificateDescription").at("caCertificateId").as_string(),
            FixtureFingerprint("ca1"));
}

TEST_F(CertificateRoutesTest, RegisterWithoutCaWorksInTwoAccounts) {
  const std::string body =
      Body({{"certificatePem", ReadFixture("device-selfsigned.pem")}, {"status", "ACTIVE"}});
  const std::string id = FixtureFingerprint("device-selfsigned");
  for (const char* account : {kAccountA, kAccountB}) {
    auto v = OkJson(Call("POST", "/certificate/register-no-ca", body, account));
    EXPECT_EQ(v.at("certificateId").as_string(), id);
    EXPECT_EQ(v.at("certificateArn").as_string(),
              std::string("arn:aws:iot:us-east-1:") + account + ":cert/" + id);
    auto d = OkJson(Call("GET", "/certificates/" + id, "", account));
    EXPECT_EQ(d.at("certificateDescription").at("certificateMode").as_string(), "SNI_ONLY");
    EXPECT_EQ(d.at("certificateDescription").at("ownedBy").as_string(), account);
    EXPECT_FALSE(d.at("certificateDescription").as_object().contains("caCertificateId"));
  }
}

TEST_F(CertificateRoutesTest, CreateCertificateFromCsr) {
  auto v = OkJson(Call("POST", "/certificates?setAsActive=true",
                       Body({{"certificateSigningRequest", ReadFixture("csr-rsa.csr")}})));
  const auto& o = v.as_object();
  EXPECT_FALSE(o.contains("keyPair"));
  EXPECT_TRUE(o.at("certificatePem").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  std::string id(o.at("certificateId").as_string());
  EXPECT_EQ(Status(id), "ACTIVE");
  // Reusing a CSR gives a distinct certificate (reference §2.1).
  auto again = OkJson(Call("POST", "/certificates",
                           Body({{"certificateSigningRequest", ReadFixture("csr-rsa.csr")}})));
  EXPECT_NE(again.at("certificateId").as_string(), id);
}

TEST_F(CertificateRoutesTest, StatusRulesOnTheWire) {
  const std::string id = CreateCertificate(true);
  // An ACTIVE certificate cannot be deleted.
  auto del = Call("DELETE", "/certificates/" + id);
  EXPECT_EQ(del.status, 406);
  EXPECT_EQ(ErrorType(del), "CertificateStateException");
  OkJson(Call("PUT", "/certificates/" + id + "?newStatus=INACTIVE"));
  EXPECT_EQ(Status(id), "INACTIVE");
  OkJson(Call("PUT", "/certificates/" + id + "?newStatus=INACTIVE"));  // idempotent
  OkJson(Call("PUT", "/certificates/" + id + "?newStatus=REVOKED"));
  EXPECT_EQ(Status(id), "REVOKED");
  auto back = Call("PUT", "/certificates/" + id + "?newStatus=ACTIVE");
  EXPECT_EQ(back.status, 406);
  EXPECT_EQ(ErrorType(back), "CertificateStateException");
  OkJson(Call("DELETE", "/certificates/" + id + "?forceDelete=true"));
  auto gone = Call("GET", "/certificates/" + id);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(ErrorType(gone), "ResourceNotFoundException");
}

TEST_F(CertificateRoutesTest, AnotherAccountsCertificateIsInvisible) {
  const std::string id = CreateCertificate(false);
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/certificates/" + id},
           {"PUT", "/certificates/" + id + "?newStatus=ACTIVE"},
           {"DELETE", "/certificates/" + id},
           {"PATCH", "/transfer-certificate/" + id + "?targetAwsAccount=111111111111"}}) {
    auto r = Call(method, target, "", kAccountB);
    EXPECT_EQ(ErrorType(r), "ResourceNotFoundException") << method << " " << target;
  }
  auto list = OkJson(Call("GET", "/certificates", "", kAccountB));
  EXPECT_TRUE(list.at("certificates").as_array().empty());
  EXPECT_EQ(Status(id), "INACTIVE");
}

// Calls `call(marker)` from an empty marker until no nextMarker comes back; returns the ids in
// order and checks that only the last page is short.
std::vector<std::string> PageAll(const std::function<HttpResponse(const std::string&)>& call,
                                 size_t page_size, int* pages) {
  std::vector<std::string> ids;
  std::string marker;
  *pages = 0;
  do {
    HttpResponse r = call(marker);
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = boost::json::parse(r.body).as_object();
    const auto& items = v.at("certificates").as_array();
    EXPECT_LE(items.size(), page_size);
    for (const auto& item : items) {
      ids.emplace_back(item.at("certificateId").as_string());
    }
    ++*pages;
    marker = v.contains("nextMarker") ? std::string(v.at("nextMarker").as_string()) : "";
    if (!marker.empty()) {
      EXPECT_EQ(items.size(), page_size) << "short page before the end";
    }
  } while (!marker.empty() && *pages < 100);
  return ids;
}

TEST_F(CertificateRoutesTest, ListCertificatesPagesWithoutGapsOrDuplicates) {
  std::vector<std::string> created;
  for (int i = 0; i < 23; ++i) {
    created.push_back(CreateCertificate(i % 2 == 0));
    // Every third certificate shares its creation time with the previous one.
    if (i % 3 != 0) {
      clock_.Advance(std::chrono::seconds(1));
    }
  }
  CreateCertificate(true, kAccountB);  // never listed for account A

  int pages = 0;
  auto ascending = PageAll(
      [&](const std::string& marker) {
        std::string target = "/certificates?pageSize=7&isAscendingOrder=true";
        if (!marker.empty()) {
          target += "&marker=" + PercentEncode(marker);
        }
        return Call("GET", target);
      },
      7, &pages);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(ascending.size(), created.size());
  EXPECT_EQ(std::set<std::string>(ascending.begin(), ascending.end()),
            std::set<std::string>(created.begin(), created.end()));

  auto descending = PageAll(
      [&](const std::string& marker) {
        std::string target = "/certificates?pageSize=5";
        if (!marker.empty()) {
          target += "&marker=" + PercentEncode(marker);
        }
        return Call("GET", target);
      },
      5, &pages);
  EXPECT_EQ(pages, 5);
  // Newest first by default: the exact reverse of the ascending order.
  EXPECT_EQ(descending, std::vector<std::string>(ascending.rbegin(), ascending.rend()));

  // The default page size is 25, so one page holds all 23.
  auto all = OkJson(Call("GET", "/certificates"));
  EXPECT_EQ(all.at("certificates").as_array().size(), 23u);
  EXPECT_FALSE(all.as_object().contains("nextMarker"));
  const auto& first = all.at("certificates").as_array().front().as_object();
  for (const char* member :
       {"certificateArn", "certificateId", "status", "certificateMode", "creationDate"}) {
    EXPECT_TRUE(first.contains(member)) << member;
  }
}

TEST_F(CertificateRoutesTest, MarkersAreBoundToAccountOrderAndListing) {
  for (int i = 0; i < 3; ++i) {
    CreateCertificate(false);
    CreateCertificate(false, kAccountB);
    clock_.Advance(std::chrono::seconds(1));
  }
  RegisterCa1(kAccountA);
  auto first = OkJson(Call("GET", "/certificates?pageSize=1"));
  std::string marker(first.at("nextMarker").as_string());
  const std::string m = PercentEncode(marker);
  EXPECT_EQ(Call("GET", "/certificates?pageSize=1&marker=" + m).status, 200);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"/certificates?pageSize=1&marker=" + m, kAccountB},
      {"/certificates?pageSize=1&isAscendingOrder=true&marker=" + m, kAccountA},
      {"/certificates-by-ca/" + FixtureFingerprint("ca1") + "?marker=" + m, kAccountA},
      {"/cacertificates?marker=" + m, kAccountA},
  };
  for (const auto& [target, account] : refused) {
    auto r = Call("GET", target, "", account);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(ErrorType(r), "InvalidRequestException") << target;
    EXPECT_NE(r.body.find("marker"), std::string::npos) << r.body;
  }
}

TEST_F(CertificateRoutesTest, ListCertificatesByCa) {
  RegisterCa1(kAccountA);
  for (const char* name : {"device-rsa-1", "device-rsa-2", "device-rsa-3"}) {
    OkJson(Call("POST", "/certificate/register",
                Body({{"certificatePem", ReadFixture(name + std::string(".pem"))}})));
    clock_.Advance(std::chrono::seconds(1));
  }
  CreateCertificate(true);  // issued by fleetguard, no CA
  int pages = 0;
  auto ids = PageAll(
      [&](const std::string& marker) {
        std::string target = "/certificates-by-ca/" + FixtureFingerprint("ca1") +
                             "?pageSize=2&isAscendingOrder=true";
        if (!marker.empty()) {
          target += "&marker=" + PercentEncode(marker);
        }
        return Call("GET", target);
      },
      2, &pages);
  EXPECT_EQ(ids, (std::vector<std::string>{FixtureFingerprint("device-rsa-1"),
                                           FixtureFingerprint("device-rsa-2"),
                                           FixtureFingerprint("device-rsa-3")}));
  EXPECT_EQ(pages, 2);
}

struct Refused {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  int status;
  std::string type;
  std::string message_mentions;  // "" to skip
};

void PrintTo(const Refused& r, std::ostream* os) { *os << r.name; }

class CertificateRefusedTest : public CertificateApiFixture,
                               public ::testing::WithParamInterface<Refused> {};

const std::string kUnknownId(64, 'a');
const std::string kIre = "InvalidRequestException";

std::vector<Refused> RefusedCases() {
  const std::string unknown = "/certificates/" + kUnknownId;
  return {
      {"ShortId", "GET", "/certificates/abc", "", 400, kIre, "certificateId"},
      {"NonHexId", "GET", "/certificates/" + std::string(64, 'g'), "", 400, kIre, "certificateId"},
      {"LongId", "GET", "/certificates/" + std::string(65, 'a'), "", 400, kIre, "certificateId"},
      {"UnknownId", "GET", unknown, "", 404, "ResourceNotFoundException", ""},
      {"UpdateUnknown", "PUT", unknown + "?newStatus=ACTIVE", "", 404, "ResourceNotFoundException",
       ""},
      {"DeleteUnknown", "DELETE", unknown, "", 404, "ResourceNotFoundException", ""},
      {"UpdateWithoutStatus", "PUT", unknown, "", 400, kIre, "newStatus"},
      {"UpdateBadStatus", "PUT", unknown + "?newStatus=active", "", 400, kIre, "newStatus"},
      {"UpdateToPendingTransfer", "PUT", "/certificates/{cert}?newStatus=PENDING_TRANSFER", "", 400,
       kIre, ""},
      {"DeleteBadForce", "DELETE", unknown + "?forceDelete=yes", "", 400, kIre, "forceDelete"},
      {"PageSizeZero", "GET", "/certificates?pageSize=0", "", 400, kIre, "pageSize"},
      {"PageSizeTooBig", "GET", "/certificates?pageSize=251", "", 400, kIre, "pageSize"},
      {"PageSizeNotANumber", "GET", "/certificates?pageSize=ten", "", 400, kIre, "pageSize"},
      {"AscendingNotBool", "GET", "/certificates?isAscendingOrder=1", "", 400, kIre,
       "isAscendingOrder"},
      {"MarkerPattern", "GET", "/certificates?marker=%21%21", "", 400, kIre, "marker"},
      {"MarkerTooLong", "GET", "/certificates?marker=" + std::string(1025, 'A'), "", 400, kIre,
       "marker"},
      {"MarkerForged", "GET", "/certificates?marker=QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", "", 400,
       kIre, "marker"},
      {"ByCaBadId", "GET", "/certificates-by-ca/xyz", "", 400, kIre, "caCertificateId"},
      {"CreateKeysBadBool", "POST", "/keys-and-certificate?setAsActive=yes", "", 400, kIre,
       "setAsActive"},
      {"CsrMissing", "POST", "/certificates", "{}", 400, kIre, "certificateSigningRequest"},
      {"CsrWrongType", "POST", "/certificates", R"({"certificateSigningRequest": 7})", 400, kIre,
       "certificateSigningRequest"},
      {"CsrTooLong", "POST", "/certificates",
       Body({{"certificateSigningRequest", std::string(4097, 'x')}}), 400, kIre,
       "certificateSigningRequest"},
      {"BodyNotJson", "POST", "/certificates", "{not json", 400, kIre, ""},
      {"RegisterPemMissing", "POST", "/certificate/register", "{}", 400, kIre, "certificatePem"},
      {"RegisterPemEmpty", "POST", "/certificate/register", R"({"certificatePem": ""})", 400, kIre,
       "certificatePem"},
      {"RegisterPemTooLong", "POST", "/certificate/register",
       Body({{"certificatePem", std::string(65537, 'x')}}), 400, kIre, "certificatePem"},
      {"RegisterBadStatus", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}, {"status", "ENABLED"}}), 400,
       kIre, "status"},
      {"RegisterPendingTransferStatus", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-rsa-1.pem")}, {"status", "PENDING_TRANSFER"}}),
       400, kIre, "status"},
      {"RegisterCaPemTooLong", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-rsa-1.pem")},
             {"caCertificatePem", std::string(65537, 'x')}}),
       400, kIre, "caCertificatePem"},
      {"RegisterGarbagePem", "POST", "/certificate/register",
       Body({{"certificatePem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}}),
       400, "CertificateValidationException", ""},
      {"RegisterTwoCerts", "POST", "/certificate/register-no-ca",
       Body({{"certificatePem", ReadFixture("two-certs.pem")}}), 400,
       "CertificateValidationException", ""},
      {"RegisterSha1", "POST", "/certificate/register-no-ca",
       Body({{"certificatePem", ReadFixture("device-sha1.pem")}}), 400,
       "CertificateValidationException", ""},
      {"RegisterMd5", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-md5.pem")}}), 400,
       "CertificateValidationException", ""},
      {"RegisterRogueCa", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-rogue.pem")}}), 400,
       "CertificateValidationException", ""},
      {"RegisterExpired", "POST", "/certificate/register",
       Body({{"certificatePem", ReadFixture("device-expired.pem")}}), 400,
       "CertificateValidationException", ""},
      {"RegisterNoCaStatusWrongType", "POST", "/certificate/register-no-ca",
       R"({"certificatePem": "x", "status": true})", 400, kIre, "status"},
      {"CsrBrokenSignature", "POST", "/certificates",
       Body({{"certificateSigningRequest", ReadFixture("csr-broken-signature.csr")}}), 400, "", ""},
      {"CsrSmallKey", "POST", "/certificates",
       Body({{"certificateSigningRequest", ReadFixture("csr-rsa-1024.csr")}}), 400, "", ""},
      {"TransferWithoutTarget", "PATCH", "/transfer-certificate/" + kUnknownId, "", 400, kIre,
       "targetAwsAccount"},
      {"TransferShortTarget", "PATCH",
       "/transfer-certificate/" + kUnknownId + "?targetAwsAccount=12345", "", 400, kIre,
       "targetAwsAccount"},
      {"TransferLettersTarget", "PATCH",
       "/transfer-certificate/" + kUnknownId + "?targetAwsAccount=12345678901x", "", 400, kIre,
       "targetAwsAccount"},
      {"TransferMessageTooLong", "PATCH",
       "/transfer-certificate/" + kUnknownId + "?targetAwsAccount=222222222222",
       Body({{"transferMessage", std::string(129, 'm')}}), 400, kIre, "transferMessage"},
      {"TransferUnknown", "PATCH",
       "/transfer-certificate/" + kUnknownId + "?targetAwsAccount=222222222222", "", 404,
       "ResourceNotFoundException", ""},
      {"AcceptBadBool", "PATCH", "/accept-certificate-transfer/" + kUnknownId + "?setAsActive=no",
       "", 400, kIre, "setAsActive"},
      {"RejectReasonTooLong", "PATCH", "/reject-certificate-transfer/" + kUnknownId,
       Body({{"rejectReason", std::string(129, 'r')}}), 400, kIre, "rejectReason"},
      {"CancelBadId", "PATCH", "/cancel-certificate-transfer/0x12", "", 400, kIre, "certificateId"},
      {"AcceptUnknown", "PATCH", "/accept-certificate-transfer/" + kUnknownId, "", 404,
       "ResourceNotFoundException", ""},
  };
}

TEST_P(CertificateRefusedTest, IsRefusedWithTheModelsError) {
  Refused c = GetParam();
  RegisterCa1(kAccountA);
  const std::string cert = CreateCertificate(false);
  if (auto pos = c.target.find("{cert}"); pos != std::string::npos) {
    c.target.replace(pos, 6, cert);
  }
  HttpResponse r = Call(c.method, c.target, c.body);
  EXPECT_EQ(r.status, c.status) << r.body;
  if (!c.type.empty()) {
    EXPECT_EQ(ErrorType(r), c.type) << r.body;
  }
  if (!c.message_mentions.empty()) {
    EXPECT_NE(r.body.find(c.message_mentions), std::string::npos) << r.body;
  }
  // A refused request changes nothing.
  EXPECT_EQ(Status(cert), "INACTIVE");
}

INSTANTIATE_TEST_SUITE_P(All, CertificateRefusedTest, ::testing::ValuesIn(RefusedCases()),
                         [](const auto& param_info) { return param_info.param.name; });

class CertificateTransferRoutesTest : public CertificateApiFixture {
 protected:
  HttpResponse Transfer(const std::string& id, const std::string& message = "") {
    return Call("PATCH", "/transfer-certificate/" + id + "?targetAwsAccount=222222222222",
                message.empty() ? "" : Body({{"transferMessage", message}}));
  }
};

TEST_F(CertificateTransferRoutesTest, AcceptMovesTheCertificate) {
  const std::string id = CreateCertificate(false);
  auto t = OkJson(Transfer(id, "for you"));
  EXPECT_EQ(t.at("transferredCertificateArn").as_string(),
            "arn:aws:iot:us-east-1:111111111111:cert/" + id);
  auto pending = OkJson(Call("GET", "/certificates/" + id)).at("certificateDescription");
  EXPECT_EQ(pending.at("status").as_string(), "PENDING_TRANSFER");
  EXPECT_EQ(pending.at("transferData").at("transferMessage").as_string(), "for you");
  EXPECT_EQ(pending.at("transferData").at("transferDate").to_number<int64_t>(), 1893456000);

  clock_.Advance(std::chrono::seconds(60));
  OkJson(Call("PATCH", "/accept-certificate-transfer/" + id + "?setAsActive=true", "", kAccountB));
  auto d = OkJson(Call("GET", "/certificates/" + id, "", kAccountB)).at("certificateDescription");
  EXPECT_EQ(d.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(d.at("ownedBy").as_string(), kAccountB);
  EXPECT_EQ(d.at("previousOwnedBy").as_string(), kAccountA);
  EXPECT_EQ(d.at("transferData").at("acceptDate").to_number<int64_t>(), 1893456060);
  EXPECT_EQ(d.at("certificateArn").as_string(), "arn:aws:iot:us-east-1:222222222222:cert/" + id);
  EXPECT_EQ(ErrorType(Call("GET", "/certificates/" + id)), "ResourceNotFoundException");

  auto again = Call("PATCH", "/accept-certificate-transfer/" + id, "", kAccountB);
  EXPECT_EQ(again.status, 410);
  EXPECT_EQ(ErrorType(again), "TransferAlreadyCompletedException");
}

TEST_F(CertificateTransferRoutesTest, RejectReturnsItInactive) {
  const std::string id = CreateCertificate(false);
  OkJson(Transfer(id));
  OkJson(Call("PATCH", "/reject-certificate-transfer/" + id, Body({{"rejectReason", "no thanks"}}),
              kAccountB));
  auto d = OkJson(Call("GET", "/certificates/" + id)).at("certificateDescription");
  EXPECT_EQ(d.at("status").as_string(), "INACTIVE");
  EXPECT_EQ(d.at("transferData").at("rejectReason").as_string(), "no thanks");
  EXPECT_EQ(ErrorType(Call("GET", "/certificates/" + id, "", kAccountB)),
            "ResourceNotFoundException");
  auto cancel = Call("PATCH", "/cancel-certificate-transfer/" + id);
  EXPECT_EQ(ErrorType(cancel), "TransferAlreadyCompletedException");
}

TEST_F(CertificateTransferRoutesTest, CancelBeforeAcceptance) {
  const std::string id = CreateCertificate(false);
  OkJson(Transfer(id));
  OkJson(Call("PATCH", "/cancel-certificate-transfer/" + id));
  EXPECT_EQ(Status(id), "INACTIVE");
  auto accept = Call("PATCH", "/accept-certificate-transfer/" + id, "", kAccountB);
  EXPECT_EQ(accept.status, 404) << accept.body;
}

TEST_F(CertificateTransferRoutesTest, RefusedTransfers) {
  const std::string active = CreateCertificate(true);
  auto r = Transfer(active);
  EXPECT_EQ(r.status, 406);
  EXPECT_EQ(ErrorType(r), "CertificateStateException");
  const std::string inactive = CreateCertificate(false);
  auto unknown_target =
      Call("PATCH", "/transfer-certificate/" + inactive + "?targetAwsAccount=999999999999");
  EXPECT_EQ(ErrorType(unknown_target), "ResourceNotFoundException");
  auto self = Call("PATCH", "/transfer-certificate/" + inactive + "?targetAwsAccount=111111111111");
  EXPECT_EQ(ErrorType(self), kIre);
  // The target cannot cancel, and the source cannot accept.
  OkJson(Transfer(inactive));
  EXPECT_NE(Call("PATCH", "/cancel-certificate-transfer/" + inactive, "", kAccountB).status, 200);
  EXPECT_NE(Call("PATCH", "/accept-certificate-transfer/" + inactive).status, 200);
  EXPECT_EQ(Status(inactive), "PENDING_TRANSFER");
}

}  // namespace
}  // namespace fg::api::testing
