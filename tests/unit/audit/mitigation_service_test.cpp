// MitigationActionService and MitigationTaskService: the rules of the mitigation API.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/mitigation_action_service.h"
#include "audit/mitigation_task_service.h"
#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using MitigationActionServiceTest = AuditFixture;

TEST_F(MitigationActionServiceTest, CreateDescribeListUpdateDelete) {
  auto created = actions_.Create(kAccount, "deactivate", kRoleArn, Deactivate());
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  EXPECT_EQ(created->type, MitigationActionType::kUpdateDeviceCertificate);
  EXPECT_EQ(created->id.size(), 36u);
  EXPECT_EQ(created->created, kT0);
  ASSERT_TRUE(actions_.Create(kAccount, "notify", kRoleArn, Publish()).has_value());
  ASSERT_TRUE(actions_.Create(kAccount, "quarantine", kRoleArn, Quarantine()).has_value());

  EXPECT_EQ(*actions_.Describe(kAccount, "deactivate"), *created);
  auto publishers = actions_.List(kAccount, MitigationActionType::kPublishFindingToSns, {});
  ASSERT_EQ(publishers->items.size(), 1u);
  EXPECT_EQ(publishers->items[0].name, "notify");
  auto page1 = actions_.List(kAccount, std::nullopt, {2, ""});
  ASSERT_EQ(page1->items.size(), 2u);
  auto page2 = actions_.List(kAccount, std::nullopt, {2, page1->next_cursor});
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].name, "quarantine");

  clock_.Advance(hours(1));
  MitigationActionParams two_groups = Quarantine();
  two_groups.add_things_to_thing_group->thing_group_names.push_back("review");
  auto updated = actions_.Update(kAccount, "quarantine", std::nullopt, two_groups);
  ASSERT_TRUE(updated.has_value()) << updated.error().ToString();
  EXPECT_EQ(updated->params, two_groups);
  EXPECT_EQ(updated->last_modified, kT0 + hours(1));
  auto retype = actions_.Update(kAccount, "quarantine", std::nullopt, Deactivate());
  ASSERT_FALSE(retype.has_value());
  EXPECT_EQ(retype.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(actions_.Update(kAccount, "missing", std::string(kRoleArn), std::nullopt).error().code,
            ErrorCode::kNotFound);

  ASSERT_TRUE(actions_.Delete(kAccount, "quarantine").has_value());
  EXPECT_EQ(actions_.Describe(kAccount, "quarantine").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(actions_.Delete(kAccount, "quarantine").has_value());
  EXPECT_EQ(actions_.Describe(kOtherAccount, "deactivate").error().code, ErrorCode::kNotFound);
}

TEST_F(MitigationActionServiceTest, DuplicateNameReturnsTheExistingId) {
  auto created = actions_.Create(kAccount, "deactivate", kRoleArn, Deactivate());
  ASSERT_TRUE(created.has_value());
  auto dup = actions_.Create(kAccount, "deactivate", kRoleArn, Publish());
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().resource_id, created->id);
}

TEST_F(MitigationActionServiceTest, CreateRejects) {
  struct Case {
    const char* name;
    std::string action_name;
    std::string role;
    MitigationActionParams params;
  };
  std::vector<Case> cases;
  cases.push_back({"bad name", "a/b", kRoleArn, Deactivate()});
  cases.push_back({"short role", "a", "arn:short", Deactivate()});
  cases.push_back({"no params", "a", kRoleArn, MitigationActionParams{}});
  {
    auto p = Deactivate();
    p.publish_finding_to_sns = PublishFindingToSnsParams{kTarget};
    cases.push_back({"two params", "a", kRoleArn, p});
  }
  {
    MitigationActionParams p;
    p.update_device_certificate = UpdateDeviceCertificateParams{"REVOKE"};
    cases.push_back({"certificate action other than DEACTIVATE", "a", kRoleArn, p});
  }
  cases.push_back({"unknown notification target", "a", kRoleArn, Publish("nowhere")});
  cases.push_back({"topic too long", "a", kRoleArn, Publish(std::string(351, 't'))});
  {
    auto p = Quarantine();
    p.add_things_to_thing_group->thing_group_names.clear();
    cases.push_back({"no groups", "a", kRoleArn, p});
  }
  {
    auto p = Quarantine();
    p.add_things_to_thing_group->thing_group_names.assign(11, "g");
    cases.push_back({"eleven groups", "a", kRoleArn, p});
  }
  {
    auto p = Quarantine();
    p.add_things_to_thing_group->thing_group_names = {"g", "g"};
    cases.push_back({"repeated group", "a", kRoleArn, p});
  }
  {
    auto p = Quarantine();
    p.add_things_to_thing_group->thing_group_names = {"bad group"};
    cases.push_back({"bad group name", "a", kRoleArn, p});
  }
  {
    MitigationActionParams p;
    p.update_ca_certificate = UpdateCaCertificateParams{"DEACTIVATE"};
    cases.push_back({"CA action not supported", "a", kRoleArn, p});
  }
  {
    MitigationActionParams p;
    p.enable_iot_logging = EnableIotLoggingParams{kRoleArn, "INFO"};
    cases.push_back({"logging action not supported", "a", kRoleArn, p});
  }
  for (const auto& c : cases) {
    auto r = actions_.Create(kAccount, c.action_name, c.role, c.params);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
  EXPECT_TRUE(store_.Snapshot().actions.empty());
}

class MitigationTaskServiceTest : public AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    EnableChecks();
    LogOneClone();
    audit_ = RunOnDemand();
    ASSERT_TRUE(actions_.Create(kAccount, "deactivate", kRoleArn, Deactivate()).has_value());
    ASSERT_TRUE(actions_.Create(kAccount, "notify", kRoleArn, Publish()).has_value());
  }

  StartMitigationTaskRequest Request(std::string id, std::string token) {
    StartMitigationTaskRequest r;
    r.task_id = std::move(id);
    r.target.audit_task_id = audit_.task_id;
    r.actions_mapping[kShared] = {"deactivate", "notify"};
    r.client_request_token = std::move(token);
    return r;
  }

  AuditTask audit_;
};

TEST_F(MitigationTaskServiceTest, StartDescribeAndIdempotentRetry) {
  auto id = mitigations_.Start(kAccount, Request("mt-1", "tok-1"));
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
  EXPECT_EQ(*id, "mt-1");
  auto task = mitigations_.Describe(kAccount, "mt-1");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->status, MitigationTaskStatus::kInProgress);
  EXPECT_EQ(task->start_time, kT0);
  ASSERT_EQ(task->actions_definition.size(), 2u);
  EXPECT_EQ(task->actions_definition[0].name, "deactivate");
  // The same request again is a retry, not a second task.
  EXPECT_EQ(mitigations_.Start(kAccount, Request("mt-1", "tok-1")).value(), "mt-1");
  EXPECT_EQ(store_.Snapshot().mitigation_tasks.size(), 1u);
}

TEST_F(MitigationTaskServiceTest, DuplicateIdOrTokenIsTaskAlreadyExists) {
  ASSERT_TRUE(mitigations_.Start(kAccount, Request("mt-1", "tok-1")).has_value());
  auto same_id = mitigations_.Start(kAccount, Request("mt-1", "tok-2"));
  ASSERT_FALSE(same_id.has_value());
  EXPECT_EQ(same_id.error().code, ErrorCode::kAlreadyExists);
  auto same_token = mitigations_.Start(kAccount, Request("mt-2", "tok-1"));
  ASSERT_FALSE(same_token.has_value());
  EXPECT_EQ(same_token.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(MitigationTaskServiceTest, StartRejects) {
  auto finding_id = FindingsOf(audit_.task_id).at(0).finding_id;
  struct Case {
    const char* name;
    StartMitigationTaskRequest request;
    ErrorCode code;
  };
  std::vector<Case> cases;
  auto base = [&] { return Request("mt-x", "tok-x"); };
  {
    auto r = base();
    r.task_id = "bad id";
    cases.push_back({"bad task id", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.client_request_token = std::string(65, 't');
    cases.push_back({"token too long", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.finding_ids = {finding_id};
    cases.push_back({"both audit task and findings", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.audit_task_id.reset();
    cases.push_back({"neither audit task nor findings", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.audit_task_id.reset();
    r.target.finding_ids.assign(26, finding_id);
    cases.push_back({"26 findings", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.audit_task_id.reset();
    r.target.finding_ids = {finding_id};
    r.target.reason_code_filter[kShared] = {std::string(kCertificateSharedReasonCode)};
    cases.push_back({"filter without audit task", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.reason_code_filter[kShared] = {"NOT_A_REASON"};
    cases.push_back({"unknown reason code", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.target.reason_code_filter["CONFLICTING_CLIENT_IDS_CHECK"] = {
        "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS"};
    cases.push_back({"filter on an unmapped check", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping.clear();
    cases.push_back({"empty mapping", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping[kShared] = {"a", "b", "c", "d", "e", "f"};
    cases.push_back({"six actions", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping[kShared] = {"notify", "notify"};
    cases.push_back({"repeated action", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping["NOPE"] = {"notify"};
    cases.push_back({"unknown check", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping.clear();
    r.actions_mapping["CONFLICTING_CLIENT_IDS_CHECK"] = {"deactivate"};
    cases.push_back({"action not allowed for the check", r, ErrorCode::kInvalidArgument});
  }
  {
    auto r = base();
    r.actions_mapping[kShared] = {"missing-action"};
    cases.push_back({"missing action", r, ErrorCode::kNotFound});
  }
  {
    auto r = base();
    r.target.audit_task_id = std::string(32, 'f');
    cases.push_back({"missing audit task", r, ErrorCode::kNotFound});
  }
  {
    auto r = base();
    r.target.audit_task_id.reset();
    r.target.finding_ids = {"00000000-0000-4000-8000-999999999999"};
    cases.push_back({"missing finding", r, ErrorCode::kNotFound});
  }
  {
    auto running = tasks_.StartOnDemand(kAccount, {kShared});
    ASSERT_TRUE(running.has_value());
    auto r = base();
    r.target.audit_task_id = *running;
    cases.push_back({"audit task still in progress", r, ErrorCode::kInvalidArgument});
  }
  for (const auto& c : cases) {
    auto r = mitigations_.Start(kAccount, c.request);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  }
  EXPECT_TRUE(store_.Snapshot().mitigation_tasks.empty());
}

TEST_F(MitigationTaskServiceTest, AtMostTenInProgress) {
  for (int i = 0; i < MitigationTaskService::kMaxInProgressTasks; ++i) {
    auto id = "mt-" + std::to_string(i);
    ASSERT_TRUE(mitigations_.Start(kAccount, Request(id, "tok-" + id)).has_value()) << i;
  }
  auto eleventh = mitigations_.Start(kAccount, Request("mt-10", "tok-10"));
  ASSERT_FALSE(eleventh.has_value());
  EXPECT_EQ(eleventh.error().code, ErrorCode::kLimitExceeded);
  ASSERT_TRUE(mitigations_.Cancel(kAccount, "mt-0").has_value());
  EXPECT_TRUE(mitigations_.Start(kAccount, Request("mt-10", "tok-10")).has_value());
}

TEST_F(MitigationTaskServiceTest, CancelAndListFilters) {
  ASSERT_TRUE(mitigations_.Start(kAccount, Request("mt-1", "tok-1")).has_value());
  clock_.Advance(hours(1));
  auto finding_id = FindingsOf(audit_.task_id).at(0).finding_id;
  auto by_findings = Request("mt-2", "tok-2");
  by_findings.target.audit_task_id.reset();
  by_findings.target.finding_ids = {finding_id};
  ASSERT_TRUE(mitigations_.Start(kAccount, by_findings).has_value());

  ASSERT_TRUE(mitigations_.Cancel(kAccount, "mt-1").has_value());
  EXPECT_EQ(mitigations_.Describe(kAccount, "mt-1")->status, MitigationTaskStatus::kCanceled);
  EXPECT_EQ(mitigations_.Cancel(kAccount, "mt-1").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(mitigations_.Cancel(kAccount, "mt-9").error().code, ErrorCode::kNotFound);

  MitigationTaskQuery all{kT0, kT0 + hours(2), {}, {}, {}};
  EXPECT_EQ(mitigations_.List(kAccount, all, {})->items.size(), 2u);
  MitigationTaskQuery by_audit = all;
  by_audit.audit_task_id = audit_.task_id;
  ASSERT_EQ(mitigations_.List(kAccount, by_audit, {})->items.size(), 1u);
  MitigationTaskQuery by_finding = all;
  by_finding.finding_id = finding_id;
  auto listed = mitigations_.List(kAccount, by_finding, {});
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].task_id, "mt-2");
  MitigationTaskQuery canceled = all;
  canceled.status = MitigationTaskStatus::kCanceled;
  EXPECT_EQ(mitigations_.List(kAccount, canceled, {})->items.at(0).task_id, "mt-1");
  MitigationTaskQuery early{kT0 + hours(1), kT0 + hours(2), {}, {}, {}};
  EXPECT_EQ(mitigations_.List(kAccount, early, {})->items.size(), 1u);
  MitigationTaskQuery backwards{kT0 + hours(2), kT0, {}, {}, {}};
  EXPECT_EQ(mitigations_.List(kAccount, backwards, {}).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::audit::testing
