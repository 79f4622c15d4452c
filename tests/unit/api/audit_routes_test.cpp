// The audit configuration, task, scheduled-audit, finding and suppression handlers through the
// Router over the real audit services (audit_router_fixture.h).

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_checks.h"
#include "audit_router_fixture.h"

namespace fg::api::testing {
namespace {

using audit::testing::CertId;
using audit::testing::kAccount;
using audit::testing::kOtherAccount;
using audit::testing::kT0;

constexpr char kShared[] = "DEVICE_CERTIFICATE_SHARED_CHECK";

class AuditRoutesTest : public AuditRouterFixture {};

std::set<std::string> Keys(const boost::json::value& v) {
  std::set<std::string> keys;
  for (const auto& member : v.as_object()) {
    keys.emplace(member.key());
  }
  return keys;
}

TEST_F(AuditRoutesTest, ConfigurationDescribeUpdateDelete) {
  auto initial = Ok("GET", "/audit/configuration");
  EXPECT_EQ(initial.at("roleArn"), "");
  const auto& checks = initial.at("auditCheckConfigurations").as_object();
  EXPECT_EQ(checks.size(), audit::AllAuditCheckNames().size());
  EXPECT_EQ(checks.at(kShared).at("enabled"), false);

  Ok("PATCH", "/audit/configuration",
     R"({"roleArn":"arn:aws:iam::111111111111:role/audit",)"
     R"("auditNotificationTargetConfigurations":{"SNS":{"targetArn":"ops-webhook",)"
     R"("roleArn":"arn:aws:iam::111111111111:role/audit","enabled":true}},)"
     R"("auditCheckConfigurations":{"DEVICE_CERTIFICATE_SHARED_CHECK":{"enabled":true},)"
     R"("DEVICE_CERTIFICATE_EXPIRING_CHECK":{"enabled":true,)"
     R"("configuration":{"CERT_EXPIRATION_THRESHOLD_IN_DAYS":"60"}}}})");
  auto described = Ok("GET", "/audit/configuration");
  EXPECT_EQ(described.at("roleArn"), "arn:aws:iam::111111111111:role/audit");
  EXPECT_EQ(described.at("auditNotificationTargetConfigurations"),
            boost::json::parse(R"({"SNS":{"targetArn":"ops-webhook",)"
                               R"("roleArn":"arn:aws:iam::111111111111:role/audit",)"
                               R"("enabled":true}})"));
  const auto& enabled = described.at("auditCheckConfigurations");
  EXPECT_EQ(enabled.at(kShared), boost::json::parse(R"({"enabled":true})"));
  EXPECT_EQ(enabled.at("DEVICE_CERTIFICATE_EXPIRING_CHECK").at("configuration"),
            boost::json::parse(R"({"CERT_EXPIRATION_THRESHOLD_IN_DAYS":"60"})"));
  // The other account sees nothing of it.
  EXPECT_EQ(Ok("GET", "/audit/configuration", "", kOtherAccount).at("roleArn"), "");

  Ok("DELETE", "/audit/configuration");
  EXPECT_EQ(Ok("GET", "/audit/configuration").at("auditCheckConfigurations").at(kShared),
            boost::json::parse(R"({"enabled":false})"));
  AuditReply again = Call("DELETE", "/audit/configuration");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.type, "ResourceNotFoundException");
}

TEST_F(AuditRoutesTest, DeleteConfigurationGuardsScheduledAudits) {
  EnableSharedCheckViaApi();
  Ok("POST", "/audit/scheduledaudits/daily",
     R"({"frequency":"DAILY","targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})");
  EXPECT_EQ(Call("DELETE", "/audit/configuration").status, 400);
  EXPECT_EQ(Call("DELETE", "/audit/configuration?deleteScheduledAudits=maybe").status, 400);
  Ok("DELETE", "/audit/configuration?deleteScheduledAudits=true");
  EXPECT_EQ(Call("GET", "/audit/scheduledaudits/daily").status, 404);
}

TEST_F(AuditRoutesTest, OnDemandAuditFindsTheCloneInAwsShape) {
  EnableSharedCheckViaApi();
  LogOneClone();
  const std::string task_id = StartAndRunAudit();
  EXPECT_EQ(wakes_, 1);

  auto task = Ok("GET", "/audit/tasks/" + task_id);
  EXPECT_EQ(task.at("taskStatus"), "COMPLETED");
  EXPECT_EQ(task.at("taskType"), "ON_DEMAND_AUDIT_TASK");
  EXPECT_EQ(task.at("taskStartTime"), ToEpochMillis(kT0) / 1000);
  EXPECT_EQ(task.at("taskStatistics"),
            boost::json::parse(R"({"totalChecks":1,"inProgressChecks":0,)"
                               R"("waitingForDataCollectionChecks":0,"compliantChecks":0,)"
                               R"("nonCompliantChecks":1,"failedChecks":0,"canceledChecks":0})"));
  const auto& details = task.at("auditDetails").at(kShared);
  EXPECT_EQ(details.at("checkRunStatus"), "COMPLETED_NON_COMPLIANT");
  EXPECT_EQ(details.at("checkCompliant"), false);
  EXPECT_EQ(details.at("nonCompliantResourcesCount"), 1);
  EXPECT_EQ(details.at("suppressedNonCompliantResourcesCount"), 0);
  EXPECT_EQ(details.at("totalResourcesCount"), 2);

  auto listed = Ok("POST", "/audit/findings", R"({"taskId":")" + task_id + R"("})");
  ASSERT_EQ(listed.at("findings").as_array().size(), 1u);
  EXPECT_FALSE(listed.as_object().contains("nextToken"));
  const boost::json::value& f = listed.at("findings").at(0);
  EXPECT_EQ(Keys(f), (std::set<std::string>{"findingId", "taskId", "checkName", "taskStartTime",
                                            "findingTime", "severity", "nonCompliantResource",
                                            "relatedResources", "reasonForNonCompliance",
                                            "reasonForNonComplianceCode", "isSuppressed"}));
  EXPECT_EQ(f.at("taskId"), JsonString(task_id));
  EXPECT_EQ(f.at("checkName"), kShared);
  EXPECT_EQ(f.at("severity"), "CRITICAL");
  EXPECT_EQ(f.at("reasonForNonCompliance"), "Certificate shared by one or more devices.");
  EXPECT_EQ(f.at("reasonForNonComplianceCode"), "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES");
  EXPECT_EQ(f.at("isSuppressed"), false);
  const auto& resource = f.at("nonCompliantResource");
  EXPECT_EQ(resource.at("resourceType"), "DEVICE_CERTIFICATE");
  EXPECT_EQ(resource.at("resourceIdentifier"),
            boost::json::value({{"deviceCertificateId", CertId('a')}}));
  EXPECT_EQ(resource.at("additionalInfo").at("MAX_CONCURRENT_DEVICES"), "2");
  // One CLIENT_ID entry per session, newest first; epoch-ms strings; no DISCONNECTION_TIME
  // while open.
  const auto& related = f.at("relatedResources").as_array();
  ASSERT_EQ(related.size(), 2u);
  EXPECT_EQ(related[0].at("resourceType"), "CLIENT_ID");
  EXPECT_EQ(related[0].at("resourceIdentifier"), boost::json::value({{"clientId", "dev-2"}}));
  EXPECT_EQ(related[0].at("additionalInfo").at("CONNECTION_TIME"),
            JsonString(std::to_string(ToEpochMillis(kT0 - std::chrono::hours(4)))));
  EXPECT_FALSE(related[0].at("additionalInfo").as_object().contains("DISCONNECTION_TIME"));
  EXPECT_EQ(related[1].at("resourceIdentifier"), boost::json::value({{"clientId", "dev-1"}}));
  EXPECT_EQ(related[1].at("additionalInfo").at("DISCONNECTION_TIME"),
            JsonString(std::to_string(ToEpochMillis(kT0 - std::chrono::hours(3)))));

  const std::string finding_id(f.at("findingId").as_string());
  EXPECT_EQ(Ok("GET", "/audit/findings/" + finding_id).at("finding"), f);
  // Another account cannot see it.
  EXPECT_EQ(Call("GET", "/audit/findings/" + finding_id, "", kOtherAccount).status, 404);

  // Related resources page by page.
  auto first = Ok("GET", "/audit/relatedResources?findingId=" + finding_id + "&maxResults=1");
  ASSERT_EQ(first.at("relatedResources").as_array().size(), 1u);
  EXPECT_EQ(first.at("relatedResources").at(0), related[0]);
  const std::string token(first.at("nextToken").as_string());
  auto second = Ok("GET", "/audit/relatedResources?findingId=" + finding_id +
                              "&maxResults=1&nextToken=" + Encoded(token));
  EXPECT_EQ(second.at("relatedResources").at(0), related[1]);
  EXPECT_FALSE(second.as_object().contains("nextToken"));
  // The token is bound to its finding.
  EXPECT_EQ(
      Call("GET", "/audit/relatedResources?findingId=other&nextToken=" + Encoded(token)).status,
      400);

  // By resource and by time range; not both a task and a time range.
  auto by_resource =
      Ok("POST", "/audit/findings",
         R"({"resourceIdentifier":{"deviceCertificateId":")" + CertId('a') + R"("}})");
  EXPECT_EQ(by_resource.at("findings").as_array().size(), 1u);
  auto by_other = Ok("POST", "/audit/findings",
                     R"({"resourceIdentifier":{"deviceCertificateId":")" + CertId('b') + R"("}})");
  EXPECT_TRUE(by_other.at("findings").as_array().empty());
  const std::string range = std::to_string(ToEpochMillis(kT0) / 1000);
  auto by_time =
      Ok("POST", "/audit/findings", R"({"startTime":)" + range + R"(,"endTime":)" + range + "}");
  EXPECT_EQ(by_time.at("findings").as_array().size(), 1u);
  EXPECT_EQ(Call("POST", "/audit/findings",
                 R"({"taskId":")" + task_id + R"(","startTime":1,"endTime":2})")
                .status,
            400);
}

TEST_F(AuditRoutesTest, ListAndCancelAuditTasks) {
  EnableSharedCheckViaApi();
  auto a =
      Ok("POST", "/audit/tasks", R"({"targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})");
  auto b =
      Ok("POST", "/audit/tasks", R"({"targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})");
  const std::string window = "startTime=2029-12-31T00:00:00Z&endTime=2030-01-02T00:00:00Z";
  auto listed = Ok("GET", "/audit/tasks?" + window);
  ASSERT_EQ(listed.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(Keys(listed.at("tasks").at(0)),
            (std::set<std::string>{"taskId", "taskStatus", "taskType"}));

  Ok("PUT", "/audit/tasks/" + std::string(a.at("taskId").as_string()) + "/cancel");
  auto canceled = Ok("GET", "/audit/tasks?" + window + "&taskStatus=CANCELED");
  ASSERT_EQ(canceled.at("tasks").as_array().size(), 1u);
  EXPECT_EQ(canceled.at("tasks").at(0).at("taskId"), a.at("taskId"));
  // Canceling twice: not IN_PROGRESS any more.
  AuditReply twice =
      Call("PUT", "/audit/tasks/" + std::string(a.at("taskId").as_string()) + "/cancel");
  EXPECT_EQ(twice.status, 400);
  EXPECT_EQ(twice.type, "InvalidRequestException");

  // Paging with a token bound to the filters.
  auto page1 = Ok("GET", "/audit/tasks?" + window + "&maxResults=1");
  ASSERT_EQ(page1.at("tasks").as_array().size(), 1u);
  const std::string token(page1.at("nextToken").as_string());
  auto page2 = Ok("GET", "/audit/tasks?" + window + "&maxResults=1&nextToken=" + Encoded(token));
  ASSERT_EQ(page2.at("tasks").as_array().size(), 1u);
  EXPECT_NE(page2.at("tasks").at(0).at("taskId"), page1.at("tasks").at(0).at("taskId"));
  EXPECT_EQ(Call("GET", "/audit/tasks?" + window +
                            "&taskType=ON_DEMAND_AUDIT_TASK&nextToken=" + Encoded(token))
                .status,
            400);
  (void)b;
}

TEST_F(AuditRoutesTest, ScheduledAuditLifeCycle) {
  EnableSharedCheckViaApi();
  auto created = Ok("POST", "/audit/scheduledaudits/weekly-1",
                    R"({"frequency":"WEEKLY","dayOfWeek":"MON",)"
                    R"("targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})");
  const std::string arn = "arn:aws:iot:us-east-1:111111111111:scheduledaudit/weekly-1";
  EXPECT_EQ(created.at("scheduledAuditArn"), JsonString(arn));
  EXPECT_EQ(Ok("GET", "/audit/scheduledaudits/weekly-1"),
            boost::json::parse(R"({"scheduledAuditName":"weekly-1","scheduledAuditArn":")" + arn +
                               R"(","frequency":"WEEKLY","dayOfWeek":"MON",)"
                               R"("targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"));
  AuditReply taken =
      Call("POST", "/audit/scheduledaudits/weekly-1",
           R"({"frequency":"DAILY","targetCheckNames":[")" + std::string(kShared) + R"("]})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.type, "ResourceAlreadyExistsException");

  EXPECT_EQ(Ok("PATCH", "/audit/scheduledaudits/weekly-1",
               R"({"frequency":"MONTHLY","dayOfMonth":"LAST"})")
                .at("scheduledAuditArn"),
            JsonString(arn));
  auto listed = Ok("GET", "/audit/scheduledaudits");
  EXPECT_EQ(listed.at("scheduledAudits"),
            boost::json::parse(R"([{"scheduledAuditName":"weekly-1","scheduledAuditArn":")" + arn +
                               R"(","frequency":"MONTHLY","dayOfMonth":"LAST"}])"));
  Ok("DELETE", "/audit/scheduledaudits/weekly-1");
  EXPECT_EQ(Call("GET", "/audit/scheduledaudits/weekly-1").type, "ResourceNotFoundException");
  EXPECT_EQ(Call("DELETE", "/audit/scheduledaudits/weekly-1").status, 404);
}

TEST_F(AuditRoutesTest, SuppressionFlagsTheNextAuditsFinding) {
  EnableSharedCheckViaApi();
  LogOneClone();
  const std::string key = R"("checkName":"DEVICE_CERTIFICATE_SHARED_CHECK",)"
                          R"("resourceIdentifier":{"deviceCertificateId":")" +
                          CertId('a') + R"("})";
  Ok("POST", "/audit/suppressions/create",
     "{" + key + R"(,"suppressIndefinitely":true,"description":"lab rig",)" +
         R"("clientRequestToken":"tok-1"})");
  // The same token again is idempotent; another token for the same key is a conflict.
  Ok("POST", "/audit/suppressions/create",
     "{" + key + R"(,"suppressIndefinitely":true,"description":"lab rig",)" +
         R"("clientRequestToken":"tok-1"})");
  EXPECT_EQ(Call("POST", "/audit/suppressions/create",
                 "{" + key + R"(,"suppressIndefinitely":true,"clientRequestToken":"tok-2"})")
                .type,
            "ResourceAlreadyExistsException");

  auto described = Ok("POST", "/audit/suppressions/describe", "{" + key + "}");
  EXPECT_EQ(described, boost::json::parse(
                           "{" + key + R"(,"suppressIndefinitely":true,"description":"lab rig"})"));
  const int64_t expiry = ToEpochMillis(kT0) / 1000 + 7 * 24 * 3600;
  Ok("PATCH", "/audit/suppressions/update",
     "{" + key + R"(,"expirationDate":)" + std::to_string(expiry) + "}");
  auto listed = Ok("POST", "/audit/suppressions/list", "{}");
  ASSERT_EQ(listed.at("suppressions").as_array().size(), 1u);
  EXPECT_EQ(listed.at("suppressions").at(0).at("expirationDate"), expiry);
  EXPECT_EQ(listed.at("suppressions").at(0).at("suppressIndefinitely"), false);

  const std::string task_id = StartAndRunAudit();
  auto task = Ok("GET", "/audit/tasks/" + task_id);
  const auto& details = task.at("auditDetails").at(kShared);
  EXPECT_EQ(details.at("checkRunStatus"), "COMPLETED_COMPLIANT");
  EXPECT_EQ(details.at("suppressedNonCompliantResourcesCount"), 1);
  auto suppressed = Ok("POST", "/audit/findings",
                       R"({"taskId":")" + task_id + R"(","listSuppressedFindings":true})");
  ASSERT_EQ(suppressed.at("findings").as_array().size(), 1u);
  EXPECT_EQ(suppressed.at("findings").at(0).at("isSuppressed"), true);
  auto unsuppressed = Ok("POST", "/audit/findings",
                         R"({"taskId":")" + task_id + R"(","listSuppressedFindings":false})");
  EXPECT_TRUE(unsuppressed.at("findings").as_array().empty());

  Ok("POST", "/audit/suppressions/delete", "{" + key + "}");
  EXPECT_EQ(Call("POST", "/audit/suppressions/describe", "{" + key + "}").status, 404);
  EXPECT_TRUE(Ok("POST", "/audit/suppressions/list", "{}").at("suppressions").as_array().empty());
}

struct BadRequest {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
};

// Every malformed request is InvalidRequestException (400) with a message; none reaches a
// service with bad input, and none crashes.
TEST_F(AuditRoutesTest, MalformedRequestsAreInvalidRequest) {
  EnableSharedCheckViaApi();
  const std::string cert = CertId('a');
  const std::vector<BadRequest> cases = {
      {"task id pattern", "GET", "/audit/tasks/bad_id", ""},
      {"task id too long", "GET", "/audit/tasks/" + std::string(41, 'a'), ""},
      {"list tasks without times", "GET", "/audit/tasks", ""},
      {"list tasks without endTime", "GET", "/audit/tasks?startTime=2030-01-01T00:00:00Z", ""},
      {"list tasks bad status", "GET",
       "/audit/tasks?startTime=2029-12-31T00:00:00Z&endTime=2030-01-01T00:00:00Z&taskStatus=done",
       ""},
      {"list tasks maxResults 0", "GET",
       "/audit/tasks?startTime=2029-12-31T00:00:00Z&endTime=2030-01-01T00:00:00Z&maxResults=0", ""},
      {"list tasks forged token", "GET",
       "/audit/tasks?startTime=2029-12-31T00:00:00Z&endTime=2030-01-01T00:00:00Z&nextToken=AAAA",
       ""},
      {"start without checks", "POST", "/audit/tasks", "{}"},
      {"start with unknown check", "POST", "/audit/tasks", R"({"targetCheckNames":["NOPE"]})"},
      {"start with a disabled check", "POST", "/audit/tasks",
       R"({"targetCheckNames":["LOGGING_DISABLED_CHECK"]})"},
      {"start with checks not a list", "POST", "/audit/tasks", R"({"targetCheckNames":"x"})"},
      {"body not JSON", "POST", "/audit/tasks", "{"},
      {"body not an object", "POST", "/audit/findings", "[]"},
      {"config unknown check", "PATCH", "/audit/configuration",
       R"({"auditCheckConfigurations":{"NOPE":{"enabled":true}}})"},
      {"config check not an object", "PATCH", "/audit/configuration",
       R"({"auditCheckConfigurations":{"DEVICE_CERTIFICATE_SHARED_CHECK":true}})"},
      {"config role too short", "PATCH", "/audit/configuration", R"({"roleArn":"arn:short"})"},
      {"config target not configured", "PATCH", "/audit/configuration",
       R"({"auditNotificationTargetConfigurations":{"SNS":{"targetArn":"nobody","enabled":true}}})"},
      {"config target type", "PATCH", "/audit/configuration",
       R"({"auditNotificationTargetConfigurations":{"EMAIL":{"targetArn":"ops-webhook"}}})"},
      {"findings maxResults 251", "POST", "/audit/findings", R"({"maxResults":251})"},
      {"findings forged token", "POST", "/audit/findings", R"({"nextToken":"AAAA"})"},
      {"findings two identifiers", "POST", "/audit/findings",
       R"({"resourceIdentifier":{"deviceCertificateId":")" + cert + R"(","clientId":"c"}})"},
      {"findings empty identifier", "POST", "/audit/findings", R"({"resourceIdentifier":{}})"},
      {"findings unsupported identifier", "POST", "/audit/findings",
       R"({"resourceIdentifier":{"account":"111111111111"}})"},
      {"findings short certificate id", "POST", "/audit/findings",
       R"({"resourceIdentifier":{"deviceCertificateId":"abc"}})"},
      {"findings only startTime", "POST", "/audit/findings", R"({"startTime":1})"},
      {"finding id pattern", "GET", "/audit/findings/a.b", ""},
      {"related without finding id", "GET", "/audit/relatedResources", ""},
      {"schedule name pattern", "POST", "/audit/scheduledaudits/a.b",
       R"({"frequency":"DAILY","targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"},
      {"schedule without frequency", "POST", "/audit/scheduledaudits/s",
       R"({"targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"},
      {"schedule weekly without day", "POST", "/audit/scheduledaudits/s",
       R"({"frequency":"WEEKLY","targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"},
      {"schedule bad day of month", "POST", "/audit/scheduledaudits/s",
       R"({"frequency":"MONTHLY","dayOfMonth":"32",)"
       R"("targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"},
      {"schedule bad frequency", "POST", "/audit/scheduledaudits/s",
       R"({"frequency":"daily","targetCheckNames":["DEVICE_CERTIFICATE_SHARED_CHECK"]})"},
      {"suppression without token", "POST", "/audit/suppressions/create",
       R"({"checkName":"DEVICE_CERTIFICATE_SHARED_CHECK","resourceIdentifier":)"
       R"({"deviceCertificateId":")" +
           cert + R"("},"suppressIndefinitely":true})"},
      {"suppression bad token", "POST", "/audit/suppressions/create",
       R"({"checkName":"DEVICE_CERTIFICATE_SHARED_CHECK","resourceIdentifier":)"
       R"({"deviceCertificateId":")" +
           cert +
           R"("},"suppressIndefinitely":true,)"
           R"("clientRequestToken":"a b"})"},
      {"suppression description not printable", "POST", "/audit/suppressions/create",
       R"({"checkName":"DEVICE_CERTIFICATE_SHARED_CHECK","resourceIdentifier":)"
       R"({"deviceCertificateId":")" +
           cert +
           R"("},"suppressIndefinitely":true,)"
           R"("description":"a\nb","clientRequestToken":"t"})"},
      {"suppression neither expiry nor indefinite", "POST", "/audit/suppressions/create",
       R"({"checkName":"DEVICE_CERTIFICATE_SHARED_CHECK","resourceIdentifier":)"
       R"({"deviceCertificateId":")" +
           cert + R"("},"clientRequestToken":"t"})"},
      {"suppression without key", "POST", "/audit/suppressions/describe", "{}"},
      {"suppression list ascending not bool", "POST", "/audit/suppressions/list",
       R"({"ascendingOrder":"yes"})"},
  };
  for (const BadRequest& c : cases) {
    AuditReply r = Call(c.method, c.target, c.body);
    EXPECT_EQ(r.status, 400) << c.name << ": " << r.type << " " << r.message();
    EXPECT_EQ(r.type, "InvalidRequestException") << c.name;
    EXPECT_FALSE(r.message().empty()) << c.name;
  }
}

}  // namespace
}  // namespace fg::api::testing
