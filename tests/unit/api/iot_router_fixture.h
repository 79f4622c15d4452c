#pragma once

// The thing and thing-group handlers on a real Router over a real registry (SqliteStore in
// memory, from RegistryFixture: accounts A and B in us-east-1, one in eu-west-1), called the
// way ApiService calls them after SigV4 has named the account.

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "api/iot_routes.h"
#include "api/pagination.h"
#include "api/percent_encoding.h"
#include "api/router.h"
#include "registry/arn.h"
#include "registry/thing_group_service.h"
#include "registry/thing_service.h"
#include "unit/registry/registry_fixture.h"

namespace fg::api::testing {

using registry::testing::kAccountA;
using registry::testing::kAccountB;

inline constexpr char kRegion[] = "us-east-1";

struct Reply {
  int status = 0;
  std::string type;  // x-amzn-ErrorType, "" on success
  boost::json::value body;

  std::string message() const {
    const boost::json::object* o = body.if_object();
    const boost::json::value* m = o == nullptr ? nullptr : o->if_contains("message");
    return m != nullptr && m->is_string() ? std::string(m->get_string()) : std::string();
  }
};

class IotRouterFixture : public registry::testing::RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    things_ = std::make_unique<registry::ThingService>(*store_, clock_);
    groups_ = std::make_unique<registry::ThingGroupService>(*store_, clock_);
    IotServices services;
    services.certificates = certs_.get();
    services.ca_certificates = cas_.get();
    services.things = things_.get();
    services.thing_groups = groups_.get();
    services.region = kRegion;
    services.domain = "example.test";
    services.page_tokens = &tokens_;
    auto things = AddThingRoutes(router_, services);
    ASSERT_TRUE(things.has_value()) << things.error().ToString();
    auto groups = AddThingGroupRoutes(router_, services);
    ASSERT_TRUE(groups.has_value()) << groups.error().ToString();
  }

  Reply Call(std::string method, std::string target, std::string body = "",
             std::initializer_list<std::pair<std::string, std::string>> headers = {},
             std::string account = kAccountA) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    for (const auto& [name, value] : headers) {
      request.headers.Add(name, value);
    }
    HttpResponse response = router_.Dispatch(request, account, "req");
    Reply reply;
    reply.status = response.status;
    reply.type = std::string(response.headers.Get("x-amzn-ErrorType").value_or(""));
    boost::system::error_code ec;
    reply.body = boost::json::parse(response.body, ec);
    EXPECT_FALSE(ec) << "response body is not JSON: " << response.body;
    return reply;
  }

  // Calls that must succeed; the reply body.
  boost::json::value Ok(std::string method, std::string target, std::string body = "",
                        std::initializer_list<std::pair<std::string, std::string>> headers = {},
                        std::string account = kAccountA) {
    Reply r = Call(method, target, std::move(body), headers, std::move(account));
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.type << " " << r.message();
    return r.body;
  }

  // A fixture device certificate registered without a CA in `account`; its ARN.
  std::string RegisterCertificate(const std::string& fixture, const std::string& account) {
    auto cert = certs_->RegisterCertificateWithoutCa(
        account, registry::testing::ReadFixture(fixture + ".pem"),
        registry::CertificateStatus::kActive);
    EXPECT_TRUE(cert.has_value()) << cert.error().ToString();
    return cert ? registry::CertificateArn(kRegion, account, cert->certificate_id) : "";
  }

  static std::string Encoded(std::string_view s) { return PercentEncode(s); }

  PageTokenCodec tokens_{std::string(32, 'k')};
  std::unique_ptr<registry::ThingService> things_;
  std::unique_ptr<registry::ThingGroupService> groups_;
  Router router_;
};

}  // namespace fg::api::testing
