#pragma once

// A Router with the certificate, CA and endpoint routes over a real registry (the registry
// fixture: SqliteStore in memory, ManualClock at 2030-01-01, fixture root CA as issuer,
// accounts 111111111111 / 222222222222 in us-east-1). Requests go through Router::Dispatch
// with the caller's account, as ApiService does after SigV4.

#include <memory>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "api/http_types.h"
#include "api/iot_routes.h"
#include "api/pagination.h"
#include "api/router.h"
#include "pki/secret_box.h"
#include "registry/account_service.h"
#include "unit/registry/registry_fixture.h"

namespace fg::api::testing {

using registry::testing::kAccountA;
using registry::testing::kAccountB;

inline constexpr char kRegion[] = "us-east-1";
inline constexpr char kDomain[] = "fleet.example";

// A JSON request body: Body({{"certificatePem", pem}, {"status", "ACTIVE"}}).
inline std::string Body(const boost::json::object& members) {
  return boost::json::serialize(members);
}

class CertificateApiFixture : public registry::testing::RegistryFixture {
 protected:
  CertificateApiFixture() : tokens_(PageTokenCodec::WithRandomKey()) {}

  void SetUp() override {
    RegistryFixture::SetUp();
    auto box = pki::SecretBox::FromKey(pki::SecretBox::NewKey());
    ASSERT_TRUE(box.has_value());
    box_ = std::make_unique<pki::SecretBox>(std::move(*box));
    accounts_ = std::make_unique<registry::AccountService>(*store_, *box_, clock_);
    IotServices services;
    services.accounts = accounts_.get();
    services.certificates = certs_.get();
    services.ca_certificates = cas_.get();
    services.region = kRegion;
    services.domain = kDomain;
    services.page_tokens = &tokens_;
    ASSERT_TRUE(AddCertificateRoutes(router_, services).has_value());
    ASSERT_TRUE(AddCaRoutes(router_, services).has_value());
    ASSERT_TRUE(AddEndpointRoutes(router_, services).has_value());
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& account = kAccountA) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!body.empty()) {
      request.headers.Add("Content-Type", "application/json");
    }
    return router_.Dispatch(request, account, "req-1");
  }

  // The JSON body of a 200 response; fails the test otherwise.
  boost::json::value OkJson(const HttpResponse& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(response.body, ec);
    EXPECT_FALSE(ec) << response.body;
    return v;
  }

  static std::string ErrorType(const HttpResponse& response) {
    return std::string(response.headers.Get("x-amzn-ErrorType").value_or(""));
  }

  // A new issued certificate's id (CreateKeysAndCertificate), ACTIVE or INACTIVE.
  std::string CreateCertificate(bool active, const std::string& account = kAccountA) {
    auto r = Call("POST",
                  std::string("/keys-and-certificate?setAsActive=") + (active ? "true" : "false"),
                  "", account);
    return std::string(OkJson(r).at("certificateId").as_string());
  }

  std::string Status(const std::string& id, const std::string& account = kAccountA) {
    auto v = OkJson(Call("GET", "/certificates/" + id, "", account));
    return std::string(v.at("certificateDescription").at("status").as_string());
  }

  PageTokenCodec tokens_;
  std::unique_ptr<pki::SecretBox> box_;
  std::unique_ptr<registry::AccountService> accounts_;
  Router router_;
};

}  // namespace fg::api::testing
