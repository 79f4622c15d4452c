// The mitigation action and audit mitigation actions task handlers through the Router over the
// real audit services (audit_router_fixture.h); the executor runs between calls as the audit
// thread would.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit_router_fixture.h"

namespace fg::api::testing {
namespace {

using audit::testing::CertId;
using audit::testing::kAccount;
using audit::testing::kOtherAccount;

constexpr char kRole[] = "arn:aws:iam::111111111111:role/mitigate";

class MitigationRoutesTest : public AuditRouterFixture {
 protected:
  void CreateAction(const std::string& name, const std::string& params) {
    Ok("POST", "/mitigationactions/actions/" + name,
       R"({"roleArn":")" + std::string(kRole) + R"(","actionParams":)" + params + "}");
  }

  // A completed audit with one finding (certificate a) and the finding's id.
  std::pair<std::string, std::string> AuditWithOneFinding() {
    EnableSharedCheckViaApi();
    LogOneClone();
    const std::string task_id = StartAndRunAudit();
    auto listed = Ok("POST", "/audit/findings", R"({"taskId":")" + task_id + R"("})");
    EXPECT_EQ(listed.at("findings").as_array().size(), 1u);
    return {task_id, std::string(listed.at("findings").at(0).at("findingId").as_string())};
  }
};

TEST_F(MitigationRoutesTest, ActionLifeCycle) {
  auto created = Ok("POST", "/mitigationactions/actions/deactivate",
                    R"({"roleArn":")" + std::string(kRole) +
                        R"(","actionParams":{"updateDeviceCertificateParams":)"
                        R"({"action":"DEACTIVATE"}}})");
  const std::string arn = "arn:aws:iot:us-east-1:111111111111:mitigationaction/deactivate";
  EXPECT_EQ(created.at("actionArn"), JsonString(arn));
  const std::string id(created.at("actionId").as_string());

  auto described = Ok("GET", "/mitigationactions/actions/deactivate");
  EXPECT_EQ(described.at("actionName"), "deactivate");
  EXPECT_EQ(described.at("actionType"), "UPDATE_DEVICE_CERTIFICATE");
  EXPECT_EQ(described.at("actionArn"), JsonString(arn));
  EXPECT_EQ(described.at("actionId"), JsonString(id));
  EXPECT_EQ(described.at("roleArn"), kRole);
  EXPECT_EQ(described.at("actionParams"),
            boost::json::parse(R"({"updateDeviceCertificateParams":{"action":"DEACTIVATE"}})"));
  EXPECT_TRUE(described.at("creationDate").is_number());
  EXPECT_TRUE(described.at("lastModifiedDate").is_number());

  AuditReply taken = Call("POST", "/mitigationactions/actions/deactivate",
                          R"({"roleArn":")" + std::string(kRole) +
                              R"(","actionParams":{"updateDeviceCertificateParams":)"
                              R"({"action":"DEACTIVATE"}}})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.type, "ResourceAlreadyExistsException");
  EXPECT_EQ(taken.body.at("resourceId"), JsonString(id));
  EXPECT_EQ(taken.body.at("resourceArn"), JsonString(arn));

  CreateAction("notify", R"({"publishFindingToSnsParams":{"topicArn":"ops-webhook"}})");
  CreateAction("quarantine", R"({"addThingsToThingGroupParams":{"thingGroupNames":["q1","q2"],)"
                             R"("overrideDynamicGroups":true}})");
  EXPECT_EQ(Ok("GET", "/mitigationactions/actions/quarantine").at("actionParams"),
            boost::json::parse(R"({"addThingsToThingGroupParams":{"thingGroupNames":["q1","q2"],)"
                               R"("overrideDynamicGroups":true}})"));
  auto all = Ok("GET", "/mitigationactions/actions");
  ASSERT_EQ(all.at("actionIdentifiers").as_array().size(), 3u);
  EXPECT_EQ(all.at("actionIdentifiers").at(0).at("actionName"), "deactivate");
  auto sns = Ok("GET", "/mitigationactions/actions?actionType=PUBLISH_FINDING_TO_SNS");
  ASSERT_EQ(sns.at("actionIdentifiers").as_array().size(), 1u);
  EXPECT_EQ(sns.at("actionIdentifiers").at(0).at("actionName"), "notify");
  EXPECT_TRUE(Ok("GET", "/mitigationactions/actions", "", kOtherAccount)
                  .at("actionIdentifiers")
                  .as_array()
                  .empty());

  auto updated = Ok("PATCH", "/mitigationactions/actions/quarantine",
                    R"({"actionParams":{"addThingsToThingGroupParams":)"
                    R"({"thingGroupNames":["q3"]}}})");
  EXPECT_EQ(updated.at("actionArn"),
            "arn:aws:iot:us-east-1:111111111111:mitigationaction/quarantine");
  EXPECT_EQ(Ok("GET", "/mitigationactions/actions/quarantine").at("actionParams"),
            boost::json::parse(R"({"addThingsToThingGroupParams":{"thingGroupNames":["q3"]}})"));
  // The type is fixed at creation.
  EXPECT_EQ(Call("PATCH", "/mitigationactions/actions/quarantine",
                 R"({"actionParams":{"publishFindingToSnsParams":{"topicArn":"ops-webhook"}}})")
                .status,
            400);

  Ok("DELETE", "/mitigationactions/actions/quarantine");
  Ok("DELETE", "/mitigationactions/actions/quarantine");  // AWS: no ResourceNotFound here
  EXPECT_EQ(Call("GET", "/mitigationactions/actions/quarantine").status, 404);
}

TEST_F(MitigationRoutesTest, TaskDeactivatesAndPublishesAndIsIdempotentPerToken) {
  auto [audit_task, finding_id] = AuditWithOneFinding();
  CreateAction("deactivate", R"({"updateDeviceCertificateParams":{"action":"DEACTIVATE"}})");
  CreateAction("notify", R"({"publishFindingToSnsParams":{"topicArn":"ops-webhook"}})");
  const std::string body = R"({"target":{"auditTaskId":")" + audit_task +
                           R"("},"auditCheckToActionsMapping":)"
                           R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["deactivate","notify"]},)"
                           R"("clientRequestToken":"req-1"})";
  const int wakes_before = wakes_;
  EXPECT_EQ(Ok("POST", "/audit/mitigationactions/tasks/mt-1", body).at("taskId"), "mt-1");
  EXPECT_EQ(wakes_, wakes_before + 1);
  // The same id and token again: the same task.
  EXPECT_EQ(Ok("POST", "/audit/mitigationactions/tasks/mt-1", body).at("taskId"), "mt-1");
  // The same id with another token, or the token for another id: TaskAlreadyExists (400).
  std::string other_token = body;
  other_token.replace(other_token.find("req-1"), 5, "req-2");
  AuditReply clash = Call("POST", "/audit/mitigationactions/tasks/mt-1", other_token);
  EXPECT_EQ(clash.status, 400);
  EXPECT_EQ(clash.type, "TaskAlreadyExistsException");
  EXPECT_EQ(Call("POST", "/audit/mitigationactions/tasks/mt-2", body).type,
            "TaskAlreadyExistsException");

  auto ran = executor_.RunPending();
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(*ran, 1);
  ASSERT_EQ(updater_.calls.size(), 1u);
  EXPECT_EQ(updater_.calls[0].second, CertId('a'));
  ASSERT_EQ(publisher_.findings.size(), 1u);
  EXPECT_EQ(publisher_.findings[0].second.finding.finding_id, finding_id);

  auto task = Ok("GET", "/audit/mitigationactions/tasks/mt-1");
  EXPECT_EQ(task.at("taskStatus"), "COMPLETED");
  EXPECT_TRUE(task.at("startTime").is_number());
  EXPECT_TRUE(task.at("endTime").is_number());
  EXPECT_EQ(task.at("taskStatistics"),
            boost::json::parse(R"({"DEVICE_CERTIFICATE_SHARED_CHECK":{"totalFindingsCount":1,)"
                               R"("failedFindingsCount":0,"succeededFindingsCount":1,)"
                               R"("skippedFindingsCount":0,"canceledFindingsCount":0}})"));
  EXPECT_EQ(task.at("target"), boost::json::value({{"auditTaskId", audit_task}}));
  EXPECT_EQ(task.at("auditCheckToActionsMapping"),
            boost::json::parse(R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["deactivate","notify"]})"));
  ASSERT_EQ(task.at("actionsDefinition").as_array().size(), 2u);
  EXPECT_EQ(task.at("actionsDefinition").at(0).at("name"), "deactivate");
  EXPECT_EQ(task.at("actionsDefinition").at(0).at("roleArn"), kRole);

  auto executions =
      Ok("GET", "/audit/mitigationactions/executions?taskId=mt-1&findingId=" + finding_id);
  const auto& list = executions.at("actionsExecutions").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("actionName"), "deactivate");
  EXPECT_EQ(list[0].at("status"), "COMPLETED");
  EXPECT_EQ(list[0].at("findingId"), JsonString(finding_id));
  EXPECT_EQ(list[1].at("actionName"), "notify");
  EXPECT_TRUE(Ok("GET", "/audit/mitigationactions/executions?taskId=mt-1&findingId=" + finding_id +
                            "&actionStatus=FAILED")
                  .at("actionsExecutions")
                  .as_array()
                  .empty());

  auto tasks = Ok("GET",
                  "/audit/mitigationactions/tasks?startTime=2029-12-31T00:00:00Z"
                  "&endTime=2030-01-02T00:00:00Z&auditTaskId=" +
                      audit_task);
  ASSERT_EQ(tasks.at("tasks").as_array().size(), 1u);
  EXPECT_EQ(tasks.at("tasks").at(0).at("taskId"), "mt-1");
  EXPECT_EQ(tasks.at("tasks").at(0).at("taskStatus"), "COMPLETED");
  AuditReply cancel = Call("PUT", "/audit/mitigationactions/tasks/mt-1/cancel");
  EXPECT_EQ(cancel.status, 400);
  EXPECT_EQ(Call("GET", "/audit/mitigationactions/tasks/mt-1", "", kOtherAccount).status, 404);
}

TEST_F(MitigationRoutesTest, FailedActionSkipsTheRestAndCancelStopsATask) {
  auto [audit_task, finding_id] = AuditWithOneFinding();
  CreateAction("deactivate", R"({"updateDeviceCertificateParams":{"action":"DEACTIVATE"}})");
  CreateAction("notify", R"({"publishFindingToSnsParams":{"topicArn":"ops-webhook"}})");
  updater_.failing.insert(CertId('a'));
  Ok("POST", "/audit/mitigationactions/tasks/mt-fail",
     R"({"target":{"findingIds":[")" + finding_id +
         R"("]},"auditCheckToActionsMapping":)"
         R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["deactivate","notify"]},)"
         R"("clientRequestToken":"t-fail"})");
  ASSERT_TRUE(executor_.RunPending().has_value());
  EXPECT_EQ(Ok("GET", "/audit/mitigationactions/tasks/mt-fail").at("taskStatus"), "FAILED");
  auto executions =
      Ok("GET", "/audit/mitigationactions/executions?taskId=mt-fail&findingId=" + finding_id);
  const auto& list = executions.at("actionsExecutions").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("status"), "FAILED");
  EXPECT_FALSE(list[0].at("errorCode").as_string().empty());
  EXPECT_FALSE(list[0].at("message").as_string().empty());
  EXPECT_EQ(list[1].at("status"), "SKIPPED");
  EXPECT_TRUE(publisher_.findings.empty());

  Ok("POST", "/audit/mitigationactions/tasks/mt-cancel",
     R"({"target":{"auditTaskId":")" + audit_task +
         R"("},"auditCheckToActionsMapping":{"DEVICE_CERTIFICATE_SHARED_CHECK":["notify"]},)"
         R"("clientRequestToken":"t-cancel"})");
  Ok("PUT", "/audit/mitigationactions/tasks/mt-cancel/cancel");
  ASSERT_TRUE(executor_.RunPending().has_value());
  EXPECT_EQ(Ok("GET", "/audit/mitigationactions/tasks/mt-cancel").at("taskStatus"), "CANCELED");
  EXPECT_TRUE(publisher_.findings.empty());
}

struct BadRequest {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
  int status = 400;
  const char* type = "InvalidRequestException";
};

TEST_F(MitigationRoutesTest, MalformedRequestsAreRefused) {
  auto [audit_task, finding_id] = AuditWithOneFinding();
  CreateAction("notify", R"({"publishFindingToSnsParams":{"topicArn":"ops-webhook"}})");
  const std::string role = R"("roleArn":")" + std::string(kRole) + R"(")";
  auto start = [&](const std::string& target, const std::string& mapping,
                   const std::string& token = R"(,"clientRequestToken":"t")") {
    return R"({"target":)" + target + R"(,"auditCheckToActionsMapping":)" + mapping + token + "}";
  };
  const std::string shared_notify = R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["notify"]})";
  const std::string by_task = R"({"auditTaskId":")" + audit_task + R"("})";
  const std::vector<BadRequest> cases = {
      {"action name pattern", "POST", "/mitigationactions/actions/a.b",
       "{" + role +
           R"(,"actionParams":{"updateDeviceCertificateParams":{"action":"DEACTIVATE"}}})"},
      {"action without role", "POST", "/mitigationactions/actions/a",
       R"({"actionParams":{"updateDeviceCertificateParams":{"action":"DEACTIVATE"}}})"},
      {"action role too short", "POST", "/mitigationactions/actions/a",
       R"({"roleArn":"arn:x","actionParams":{"updateDeviceCertificateParams":)"
       R"({"action":"DEACTIVATE"}}})"},
      {"action without params", "POST", "/mitigationactions/actions/a", "{" + role + "}"},
      {"action empty params", "POST", "/mitigationactions/actions/a",
       "{" + role + R"(,"actionParams":{}})"},
      {"action two params", "POST", "/mitigationactions/actions/a",
       "{" + role +
           R"(,"actionParams":{"updateDeviceCertificateParams":{"action":"DEACTIVATE"},)"
           R"("publishFindingToSnsParams":{"topicArn":"ops-webhook"}}})"},
      {"action bad certificate action", "POST", "/mitigationactions/actions/a",
       "{" + role + R"(,"actionParams":{"updateDeviceCertificateParams":{"action":"REVOKE"}}})"},
      {"action eleven groups", "POST", "/mitigationactions/actions/a",
       "{" + role +
           R"(,"actionParams":{"addThingsToThingGroupParams":{"thingGroupNames":)"
           R"(["1","2","3","4","5","6","7","8","9","10","11"]}}})"},
      {"action bad group name", "POST", "/mitigationactions/actions/a",
       "{" + role +
           R"(,"actionParams":{"addThingsToThingGroupParams":{"thingGroupNames":["a b"]}}})"},
      {"action topic too long", "POST", "/mitigationactions/actions/a",
       "{" + role + R"(,"actionParams":{"publishFindingToSnsParams":{"topicArn":")" +
           std::string(351, 't') + R"("}}})"},
      {"action unknown topic", "POST", "/mitigationactions/actions/a",
       "{" + role + R"(,"actionParams":{"publishFindingToSnsParams":{"topicArn":"nobody"}}})"},
      {"action params not an object", "POST", "/mitigationactions/actions/a",
       "{" + role + R"(,"actionParams":[]})"},
      {"action unsupported type", "POST", "/mitigationactions/actions/a",
       "{" + role +
           R"(,"actionParams":{"replaceDefaultPolicyVersionParams":)"
           R"({"templateName":"BLANK_POLICY"}}})"},
      {"list bad action type", "GET", "/mitigationactions/actions?actionType=NOPE", ""},
      {"task id pattern", "POST", "/audit/mitigationactions/tasks/a.b",
       start(by_task, shared_notify)},
      {"task without target", "POST", "/audit/mitigationactions/tasks/t",
       R"({"auditCheckToActionsMapping":)" + shared_notify + R"(,"clientRequestToken":"t"})"},
      {"task without mapping", "POST", "/audit/mitigationactions/tasks/t",
       R"({"target":)" + by_task + R"(,"clientRequestToken":"t"})"},
      {"task without token", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, shared_notify, "")},
      {"task bad token", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, shared_notify, R"(,"clientRequestToken":"a b")")},
      {"task target both", "POST", "/audit/mitigationactions/tasks/t",
       start(R"({"auditTaskId":")" + audit_task + R"(","findingIds":[")" + finding_id + R"("]})",
             shared_notify)},
      {"task target neither", "POST", "/audit/mitigationactions/tasks/t",
       start("{}", shared_notify)},
      {"task six actions", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["notify","notify","notify",)"
                      R"("notify","notify","notify"]})")},
      {"task mapping not lists", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, R"({"DEVICE_CERTIFICATE_SHARED_CHECK":"notify"})")},
      {"task unknown check", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, R"({"NOPE":["notify"]})")},
      {"task bad finding id", "POST", "/audit/mitigationactions/tasks/t",
       start(R"({"findingIds":["a.b"]})", shared_notify)},
      {"task unknown action", "POST", "/audit/mitigationactions/tasks/t",
       start(by_task, R"({"DEVICE_CERTIFICATE_SHARED_CHECK":["ghost"]})"), 404,
       "ResourceNotFoundException"},
      {"task unknown audit task", "POST", "/audit/mitigationactions/tasks/t",
       start(R"({"auditTaskId":"ffffffffffffffffffffffffffffffff"})", shared_notify), 404,
       "ResourceNotFoundException"},
      {"executions without finding", "GET", "/audit/mitigationactions/executions?taskId=t", ""},
      {"executions without task", "GET",
       "/audit/mitigationactions/executions?findingId=" + finding_id, ""},
      {"executions bad status", "GET",
       "/audit/mitigationactions/executions?taskId=t&findingId=f&actionStatus=done", ""},
      {"list tasks without times", "GET", "/audit/mitigationactions/tasks", ""},
      {"list tasks bad audit task id", "GET",
       "/audit/mitigationactions/tasks?startTime=2029-12-31T00:00:00Z"
       "&endTime=2030-01-02T00:00:00Z&auditTaskId=a_b",
       ""},
      {"cancel unknown", "PUT", "/audit/mitigationactions/tasks/nope/cancel", "", 404,
       "ResourceNotFoundException"},
  };
  for (const BadRequest& c : cases) {
    AuditReply r = Call(c.method, c.target, c.body);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.type << " " << r.message();
    EXPECT_EQ(r.type, c.type) << c.name;
    EXPECT_FALSE(r.message().empty()) << c.name;
  }
  // None of them started anything.
  EXPECT_EQ(executor_.RunPending().value_or(-1), 0);
  (void)kAccount;
}

}  // namespace
}  // namespace fg::api::testing
