#pragma once

// The audit handlers (api/audit_routes.h) on a real Router over the real audit services, the
// way ApiService calls them after SigV4 has named the account. The services run on the audit
// domain's test fixture (FakeAuditStore, ManualClock at 2030-01-01Z, recording publisher,
// certificate updater and group adder, in-memory connection log), so a test can run the audit
// runner and the mitigation executor between two API calls, as the audit thread would.

#include <initializer_list>
#include <string>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "api/audit_routes.h"
#include "api/pagination.h"
#include "api/percent_encoding.h"
#include "api/router.h"
#include "unit/audit/audit_fixture.h"

namespace fg::api::testing {

inline constexpr char kAuditRegion[] = "us-east-1";

struct AuditReply {
  int status = 0;
  std::string type;  // x-amzn-ErrorType, "" on success
  boost::json::value body;

  std::string message() const {
    const boost::json::object* o = body.if_object();
    const boost::json::value* m = o == nullptr ? nullptr : o->if_contains("message");
    return m != nullptr && m->is_string() ? std::string(m->get_string()) : std::string();
  }
};

// A JSON string value, for comparing members with std::string values.
inline boost::json::value JsonString(std::string_view s) { return boost::json::string(s); }

class AuditRouterFixture : public audit::testing::AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    AuditServices services;
    services.configuration = &config_;
    services.tasks = &tasks_;
    services.scheduled_audits = &schedules_;
    services.findings = &findings_;
    services.suppressions = &suppressions_;
    services.mitigation_actions = &actions_;
    services.mitigation_tasks = &mitigations_;
    services.region = kAuditRegion;
    services.page_tokens = &tokens_;
    services.wake = [this] { ++wakes_; };
    auto added = AddAuditRoutes(router_, services);
    ASSERT_TRUE(added.has_value()) << added.error().ToString();
  }

  AuditReply Call(std::string method, std::string target, std::string body = "",
                  std::string account = audit::testing::kAccount) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    HttpResponse response = router_.Dispatch(request, account, "req");
    AuditReply reply;
    reply.status = response.status;
    reply.type = std::string(response.headers.Get("x-amzn-ErrorType").value_or(""));
    boost::system::error_code ec;
    reply.body = boost::json::parse(response.body, ec);
    EXPECT_FALSE(ec) << "response body is not JSON: " << response.body;
    return reply;
  }

  // Calls that must succeed; the reply body.
  boost::json::value Ok(std::string method, std::string target, std::string body = "",
                        std::string account = audit::testing::kAccount) {
    AuditReply r = Call(method, target, std::move(body), std::move(account));
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.type << " " << r.message();
    return r.body;
  }

  // Enables DEVICE_CERTIFICATE_SHARED_CHECK through UpdateAccountAuditConfiguration.
  void EnableSharedCheckViaApi() {
    Ok("PATCH", "/audit/configuration",
       R"({"roleArn":"arn:aws:iam::111111111111:role/audit",)"
       R"("auditCheckConfigurations":{"DEVICE_CERTIFICATE_SHARED_CHECK":{"enabled":true}}})");
  }

  // Starts an on-demand SHARED audit through the API and runs it as the audit thread would.
  std::string StartAndRunAudit() {
    auto started =
        Ok("POST", "/audit/tasks", R"({"targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})");
    std::string task_id(started.at("taskId").as_string());
    auto ran = runner_->RunPending();
    EXPECT_TRUE(ran.has_value()) << ran.error().ToString();
    return task_id;
  }

  static std::string Encoded(std::string_view s) { return PercentEncode(s); }

  PageTokenCodec tokens_{std::string(32, 'k')};
  Router router_;
  int wakes_ = 0;
};

}  // namespace fg::api::testing
