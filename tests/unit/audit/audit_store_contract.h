#pragma once

// The contract every AuditStore implementation must pass (audit_store.h), as a parameterised
// gtest suite. Include this header in exactly one test file of a binary and instantiate it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, AuditStoreContract,
//       ::testing::Values(fg::audit::testing::AuditStoreFactory{
//           "sqlite_memory", [] { return MakeSqliteAuditStore(":memory:"); }}),
//       fg::audit::testing::AuditStoreFactoryName);
//
// FakeAuditStore runs it in fake_audit_store_test.cpp, so the fake cannot drift from the real
// stores. Every test starts from an empty store.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_store.h"
#include "audit/audit_task.h"

namespace fg::audit::testing {

struct AuditStoreFactory {
  std::string name;
  std::function<std::unique_ptr<AuditStore>()> make;
};

// Names the instantiated tests after the factory (pass as INSTANTIATE_TEST_SUITE_P's 4th
// argument).
inline std::string AuditStoreFactoryName(const ::testing::TestParamInfo<AuditStoreFactory>& info) {
  return info.param.name;
}

class AuditStoreContract : public ::testing::TestWithParam<AuditStoreFactory> {
 protected:
  static constexpr char kA[] = "111111111111";
  static constexpr char kB[] = "222222222222";
  static constexpr char kCheck[] = "DEVICE_CERTIFICATE_SHARED_CHECK";

  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }

  // Runs `fn` in a transaction that must commit.
  template <typename Fn>
  void Tx(Fn&& fn) {
    auto r = store_->Transact([&](AuditTx& tx) -> Result<void> {
      fn(tx);
      return Ok();
    });
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  template <typename T, typename Fn>
  T Value(Fn&& fn) {
    auto r = TransactValue<T>(*store_, std::forward<Fn>(fn));
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.value_or(T{});
  }

  static TimePoint Ms(int64_t ms) { return FromEpochMillis(1893456000000 + ms); }

  static AuditTask Task(std::string account, std::string id, int64_t start_ms,
                        AuditTaskType type = AuditTaskType::kOnDemand,
                        AuditTaskStatus status = AuditTaskStatus::kCompleted) {
    AuditTask t = NewAuditTask(account, std::move(id), type, Ms(start_ms), {kCheck});
    t.status = status;
    return t;
  }

  static AuditFindingRecord Finding(std::string account, std::string task, std::string id,
                                    int64_t time_ms, char cert, bool suppressed = false) {
    AuditFindingRecord f;
    f.account_id = std::move(account);
    f.task_id = std::move(task);
    f.finding_id = std::move(id);
    f.task_start_time = Ms(0);
    f.finding_time = Ms(time_ms);
    f.is_suppressed = suppressed;
    f.finding.check_name = kCheck;
    f.finding.non_compliant_resource.identifier.device_certificate_id = std::string(64, cert);
    f.finding.reason_for_non_compliance_code = "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
    AuditResource related;
    related.type = ResourceType::kClientId;
    related.identifier.client_id = "dev-1";
    related.additional_info["CONNECTION_TIME"] = "1";
    f.finding.related_resources = {related, related};
    return f;
  }

  static AuditMitigationTask MitigationTask(std::string account, std::string id, std::string token,
                                            int64_t start_ms) {
    AuditMitigationTask t;
    t.account_id = std::move(account);
    t.task_id = std::move(id);
    t.client_request_token = std::move(token);
    t.status = MitigationTaskStatus::kCompleted;
    t.start_time = Ms(start_ms);
    t.target.audit_task_id = "t1";
    t.actions_mapping[kCheck] = {"deactivate"};
    return t;
  }

  template <typename T, typename Fn, typename IdFn>
  std::vector<std::string> AllPages(int page_size, Fn list, IdFn id) {
    std::vector<std::string> ids;
    PageRequest page{page_size, ""};
    for (int guard = 0; guard < 100; ++guard) {
      auto listed = TransactValue<Page<T>>(*store_, [&](AuditTx& tx) { return list(tx, page); });
      EXPECT_TRUE(listed.has_value()) << listed.error().ToString();
      if (!listed) {
        break;
      }
      EXPECT_LE(listed->items.size(), static_cast<size_t>(page_size));
      for (const T& item : listed->items) {
        ids.push_back(id(item));
      }
      if (listed->next_cursor.empty()) {
        break;
      }
      page.cursor = listed->next_cursor;
    }
    return ids;
  }

  std::unique_ptr<AuditStore> store_;
};

TEST_P(AuditStoreContract, FailedCallbackKeepsNothingAndNestedTransactIsInternal) {
  auto r = store_->Transact([](AuditTx& tx) -> Result<void> {
    AuditConfiguration c;
    c.account_id = kA;
    if (auto put = tx.PutConfiguration(c); !put) {
      return put;
    }
    return Fail(ErrorCode::kInvalidArgument, "rule says no");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Value<std::optional<AuditConfiguration>>([](AuditTx& tx) {
                 return tx.FindConfiguration(kA);
               }).has_value());
  Result<void> inner = Ok();
  Tx([&](AuditTx&) { inner = store_->Transact([](AuditTx&) { return Ok(); }); });
  ASSERT_FALSE(inner.has_value());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
}

TEST_P(AuditStoreContract, ConfigurationPutFindDeletePerAccount) {
  AuditConfiguration c;
  c.account_id = kA;
  c.role_arn = "arn:aws:iam::111111111111:role/audit";
  c.checks[kCheck] = AuditCheckConfig{true, {}};
  c.checks["DEVICE_CERTIFICATE_AGE_CHECK"] =
      AuditCheckConfig{false, {{"CERT_AGE_THRESHOLD_IN_DAYS", "60"}}};
  c.notification_targets["SNS"] = AuditNotificationTarget{"ops", "arn:role", true};
  Tx([&](AuditTx& tx) { ASSERT_TRUE(tx.PutConfiguration(c).has_value()); });
  auto found = Value<std::optional<AuditConfiguration>>(
      [](AuditTx& tx) { return tx.FindConfiguration(kA); });
  EXPECT_EQ(found, c);
  c.role_arn = "arn:aws:iam::111111111111:role/other";
  Tx([&](AuditTx& tx) { ASSERT_TRUE(tx.PutConfiguration(c).has_value()); });
  Tx([&](AuditTx& tx) {
    EXPECT_EQ(tx.FindConfiguration(kA).value(), c);
    EXPECT_FALSE(tx.FindConfiguration(kB).value().has_value());
    EXPECT_TRUE(tx.DeleteConfiguration(kA).value());
    EXPECT_FALSE(tx.DeleteConfiguration(kA).value());
  });
}

TEST_P(AuditStoreContract, ScheduledAudits) {
  auto make = [](std::string account, std::string name) {
    ScheduledAudit a;
    a.account_id = std::move(account);
    a.name = std::move(name);
    a.frequency = AuditFrequency::kMonthly;
    a.day_of_month = "LAST";
    a.target_check_names = {kCheck};
    a.created = Ms(1);
    a.last_modified = Ms(2);
    return a;
  };
  Tx([&](AuditTx& tx) {
    for (const char* name : {"c", "a", "b"}) {
      ASSERT_TRUE(tx.InsertScheduledAudit(make(kA, name)).has_value());
    }
    ASSERT_TRUE(tx.InsertScheduledAudit(make(kB, "a")).has_value());
    EXPECT_EQ(tx.InsertScheduledAudit(make(kA, "a")).error().code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.UpdateScheduledAudit(make(kA, "zz")).error().code, ErrorCode::kNotFound);
    ScheduledAudit started = make(kA, "b");
    started.frequency = AuditFrequency::kWeekly;
    started.day_of_week = DayOfWeek::kSat;
    started.day_of_month.reset();
    started.last_start = Ms(123);
    ASSERT_TRUE(tx.UpdateScheduledAudit(started).has_value());
    EXPECT_EQ(tx.FindScheduledAudit(kA, "b").value(), started);
  });
  auto names = AllPages<ScheduledAudit>(
      2, [&](AuditTx& tx, const PageRequest& p) { return tx.ListScheduledAudits(kA, p); },
      [](const ScheduledAudit& a) { return a.name; });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
  Tx([&](AuditTx& tx) {
    EXPECT_EQ(tx.ListAllScheduledAudits(kA).value().size(), 3u);
    auto all = tx.ListScheduledAuditsOfAllAccounts().value();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[3].account_id, kB);
    EXPECT_EQ(all[0].name, "a");
    EXPECT_TRUE(tx.DeleteScheduledAudit(kA, "a").value());
    EXPECT_FALSE(tx.DeleteScheduledAudit(kA, "a").value());
    EXPECT_FALSE(tx.FindScheduledAudit(kA, "a").value().has_value());
  });
}

TEST_P(AuditStoreContract, AuditTasksRoundTripFilterCountAndPage) {
  AuditTask full = Task(kA, "t1", 10, AuditTaskType::kScheduled, AuditTaskStatus::kInProgress);
  full.scheduled_audit_name = "daily";
  full.previous_start = Ms(-86400000);
  full.window = AuditWindow{Ms(-5), Ms(5)};
  full.end_time = Ms(11);
  full.checks[kCheck] =
      AuditCheckDetails{AuditCheckRunStatus::kFailed, false, 7, 2, 1, "INTERNAL_FAILURE", "boom"};
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertAuditTask(full).has_value());
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "t2", 20)).has_value());
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "t3", 20)).has_value());
    ASSERT_TRUE(tx.InsertAuditTask(
                      Task(kA, "t4", 30, AuditTaskType::kOnDemand, AuditTaskStatus::kInProgress))
                    .has_value());
    ASSERT_TRUE(tx.InsertAuditTask(
                      Task(kB, "t5", 5, AuditTaskType::kOnDemand, AuditTaskStatus::kInProgress))
                    .has_value());
    EXPECT_EQ(tx.InsertAuditTask(Task(kA, "t1", 1)).error().code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.UpdateAuditTask(Task(kA, "nope", 1)).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(tx.FindAuditTask(kA, "t1").value(), full);
    EXPECT_FALSE(tx.FindAuditTask(kB, "t1").value().has_value());
    EXPECT_EQ(
        tx.CountAuditTasks(kA, AuditTaskType::kOnDemand, AuditTaskStatus::kInProgress).value(), 1);
    auto running = tx.ListAuditTasksByStatus(AuditTaskStatus::kInProgress).value();
    ASSERT_EQ(running.size(), 3u);
    EXPECT_EQ(running[0].task_id, "t5");  // (start_time, id) across accounts
    EXPECT_EQ(running[1].task_id, "t1");
    EXPECT_EQ(running[2].task_id, "t4");
  });
  const AuditTaskQuery all{Ms(10), Ms(30), std::nullopt, std::nullopt};
  auto ids = AllPages<AuditTask>(
      1, [&](AuditTx& tx, const PageRequest& p) { return tx.ListAuditTasks(kA, all, p); },
      [](const AuditTask& t) { return t.task_id; });
  EXPECT_EQ(ids, (std::vector<std::string>{"t1", "t2", "t3", "t4"}));
  const AuditTaskQuery narrow{Ms(11), Ms(29), AuditTaskType::kOnDemand,
                              AuditTaskStatus::kCompleted};
  EXPECT_EQ(Value<Page<AuditTask>>([&](AuditTx& tx) {
              return tx.ListAuditTasks(kA, narrow, {});
            }).items.size(),
            2u);
  const AuditTaskQuery scheduled{Ms(0), Ms(100), AuditTaskType::kScheduled, std::nullopt};
  EXPECT_EQ(Value<Page<AuditTask>>([&](AuditTx& tx) {
              return tx.ListAuditTasks(kA, scheduled, {});
            }).items.size(),
            1u);
  auto bad = TransactValue<Page<AuditTask>>(*store_, [&](AuditTx& tx) {
    return tx.ListAuditTasks(kA, all, {25, "not-a-cursor"});
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(AuditStoreContract, FindingsNeedTheirTaskAndFilterAndPage) {
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "t1", 0)).has_value());
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "t2", 0)).has_value());
    EXPECT_EQ(tx.InsertFinding(Finding(kA, "missing", "f0", 0, 'a')).error().code,
              ErrorCode::kNotFound);
    ASSERT_TRUE(tx.InsertFinding(Finding(kA, "t1", "f1", 100, 'a')).has_value());
    ASSERT_TRUE(tx.InsertFinding(Finding(kA, "t1", "f2", 100, 'b', true)).has_value());
    ASSERT_TRUE(tx.InsertFinding(Finding(kA, "t2", "f3", 200, 'a')).has_value());
    EXPECT_EQ(tx.InsertFinding(Finding(kA, "t2", "f3", 200, 'a')).error().code,
              ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.FindFinding(kA, "f1").value(), Finding(kA, "t1", "f1", 100, 'a'));
    EXPECT_FALSE(tx.FindFinding(kB, "f1").value().has_value());
  });
  auto list = [&](FindingQuery q) {
    return AllPages<AuditFindingRecord>(
        1, [&](AuditTx& tx, const PageRequest& p) { return tx.ListFindings(kA, q, p); },
        [](const AuditFindingRecord& f) { return f.finding_id; });
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{"f1", "f2", "f3"}));
  FindingQuery by_task;
  by_task.task_id = "t1";
  EXPECT_EQ(list(by_task), (V{"f1", "f2"}));
  FindingQuery by_time;
  by_time.start = Ms(101);
  EXPECT_EQ(list(by_time), (V{"f3"}));
  by_time.start = Ms(100);
  by_time.end = Ms(100);
  EXPECT_EQ(list(by_time), (V{"f1", "f2"}));
  FindingQuery by_resource;
  by_resource.resource_key = "deviceCertificateId:" + std::string(64, 'a');
  EXPECT_EQ(list(by_resource), (V{"f1", "f3"}));
  FindingQuery suppressed;
  suppressed.suppressed = true;
  EXPECT_EQ(list(suppressed), (V{"f2"}));
  FindingQuery other_check;
  other_check.check_name = "CONFLICTING_CLIENT_IDS_CHECK";
  EXPECT_EQ(list(other_check), V{});
}

TEST_P(AuditStoreContract, PurgeDropsOldFinishedWorkOnly) {
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "old", 0)).has_value());
    ASSERT_TRUE(tx.InsertAuditTask(Task(kA, "old-running", 0, AuditTaskType::kOnDemand,
                                        AuditTaskStatus::kInProgress))
                    .has_value());
    ASSERT_TRUE(tx.InsertAuditTask(Task(kB, "new", 1000)).has_value());
    ASSERT_TRUE(tx.InsertFinding(Finding(kA, "old", "f-old", 2000, 'a')).has_value());
    ASSERT_TRUE(tx.InsertFinding(Finding(kA, "old-running", "f-early", 5, 'a')).has_value());
    ASSERT_TRUE(tx.InsertFinding(Finding(kB, "new", "f-new", 1000, 'a')).has_value());
    ASSERT_TRUE(tx.InsertMitigationTask(MitigationTask(kA, "m-old", "t1", 0)).has_value());
    ASSERT_TRUE(tx.InsertMitigationTask(MitigationTask(kA, "m-new", "t2", 1000)).has_value());
    MitigationExecution e;
    e.account_id = kA;
    e.task_id = "m-old";
    e.finding_id = "f-old";
    ASSERT_TRUE(tx.PutExecution(e).has_value());
  });
  auto counts = Value<PurgeCounts>([](AuditTx& tx) { return tx.PurgeBefore(Ms(500)); });
  EXPECT_EQ(counts.audit_tasks, 1);
  EXPECT_EQ(counts.findings, 2);  // f-old with its task, f-early by its own time
  EXPECT_EQ(counts.mitigation_tasks, 1);
  EXPECT_EQ(counts.executions, 1);
  Tx([&](AuditTx& tx) {
    EXPECT_FALSE(tx.FindAuditTask(kA, "old").value().has_value());
    EXPECT_TRUE(tx.FindAuditTask(kA, "old-running").value().has_value());
    EXPECT_TRUE(tx.FindFinding(kB, "f-new").value().has_value());
    EXPECT_FALSE(tx.FindFinding(kA, "f-early").value().has_value());
    EXPECT_FALSE(tx.FindMitigationTask(kA, "m-old").value().has_value());
    EXPECT_TRUE(tx.FindMitigationTask(kA, "m-new").value().has_value());
  });
}

TEST_P(AuditStoreContract, Suppressions) {
  auto make = [](std::string check, char cert) {
    AuditSuppression s;
    s.account_id = kA;
    s.check_name = std::move(check);
    s.resource.device_certificate_id = std::string(64, cert);
    s.resource_key = "deviceCertificateId:" + s.resource.device_certificate_id;
    s.expiration = Ms(99);
    s.description = "why";
    s.client_request_token = "tok";
    return s;
  };
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertSuppression(make(kCheck, 'b')).has_value());
    ASSERT_TRUE(tx.InsertSuppression(make(kCheck, 'a')).has_value());
    ASSERT_TRUE(tx.InsertSuppression(make("LOGGING_DISABLED_CHECK", 'a')).has_value());
    EXPECT_EQ(tx.InsertSuppression(make(kCheck, 'a')).error().code, ErrorCode::kAlreadyExists);
    AuditSuppression forever = make(kCheck, 'a');
    forever.expiration.reset();
    forever.suppress_indefinitely = true;
    ASSERT_TRUE(tx.UpdateSuppression(forever).has_value());
    EXPECT_EQ(tx.FindSuppression(kA, kCheck, forever.resource_key).value(), forever);
    EXPECT_EQ(tx.UpdateSuppression(make(kCheck, 'z')).error().code, ErrorCode::kNotFound);
    auto all = tx.ListSuppressions(kA, std::nullopt, std::nullopt).value();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].resource_key, forever.resource_key);  // (check, key) order
    EXPECT_EQ(all[1].resource.device_certificate_id, std::string(64, 'b'));
    EXPECT_EQ(all[2].check_name, "LOGGING_DISABLED_CHECK");
    EXPECT_EQ(tx.ListSuppressions(kA, std::string(kCheck), std::nullopt).value().size(), 2u);
    EXPECT_EQ(tx.ListSuppressions(kA, std::nullopt, forever.resource_key).value().size(), 2u);
    EXPECT_TRUE(tx.ListSuppressions(kB, std::nullopt, std::nullopt).value().empty());
    EXPECT_TRUE(tx.DeleteSuppression(kA, kCheck, forever.resource_key).value());
    EXPECT_FALSE(tx.DeleteSuppression(kA, kCheck, forever.resource_key).value());
  });
}

TEST_P(AuditStoreContract, MitigationActions) {
  auto make = [](std::string name, MitigationActionParams params) {
    MitigationAction a;
    a.account_id = kA;
    a.name = std::move(name);
    a.id = "id-" + a.name;
    a.type = ActionTypeOf(params).value();
    a.role_arn = "arn:aws:iam::111111111111:role/mitigate";
    a.params = std::move(params);
    a.created = Ms(1);
    a.last_modified = Ms(2);
    return a;
  };
  MitigationActionParams deactivate;
  deactivate.update_device_certificate = UpdateDeviceCertificateParams{"DEACTIVATE"};
  MitigationActionParams groups;
  groups.add_things_to_thing_group = AddThingsToThingGroupParams{{"q1", "q2"}, true};
  MitigationActionParams publish;
  publish.publish_finding_to_sns = PublishFindingToSnsParams{"ops"};
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertMitigationAction(make("c-publish", publish)).has_value());
    ASSERT_TRUE(tx.InsertMitigationAction(make("a-deactivate", deactivate)).has_value());
    ASSERT_TRUE(tx.InsertMitigationAction(make("b-groups", groups)).has_value());
    EXPECT_EQ(tx.InsertMitigationAction(make("b-groups", groups)).error().code,
              ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.FindMitigationAction(kA, "b-groups").value(), make("b-groups", groups));
    EXPECT_EQ(tx.FindMitigationAction(kA, "c-publish").value(), make("c-publish", publish));
    EXPECT_EQ(tx.UpdateMitigationAction(make("nope", publish)).error().code, ErrorCode::kNotFound);
  });
  auto names = AllPages<MitigationAction>(
      2,
      [&](AuditTx& tx, const PageRequest& p) {
        return tx.ListMitigationActions(kA, std::nullopt, p);
      },
      [](const MitigationAction& a) { return a.name; });
  EXPECT_EQ(names, (std::vector<std::string>{"a-deactivate", "b-groups", "c-publish"}));
  auto typed = Value<Page<MitigationAction>>([](AuditTx& tx) {
    return tx.ListMitigationActions(kA, MitigationActionType::kAddThingsToThingGroup, {});
  });
  ASSERT_EQ(typed.items.size(), 1u);
  EXPECT_EQ(typed.items[0].name, "b-groups");
  Tx([&](AuditTx& tx) {
    EXPECT_TRUE(tx.DeleteMitigationAction(kA, "b-groups").value());
    EXPECT_FALSE(tx.DeleteMitigationAction(kA, "b-groups").value());
  });
}

TEST_P(AuditStoreContract, MitigationTasksAndExecutions) {
  AuditMitigationTask full = MitigationTask(kA, "m1", "tok-1", 10);
  full.status = MitigationTaskStatus::kInProgress;
  full.end_time = Ms(11);
  full.target.reason_code_filter[kCheck] = {"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"};
  full.statistics[kCheck] = MitigationCheckStatistics{5, 1, 2, 1, 1};
  MitigationAction action;
  action.account_id = kA;
  action.name = "deactivate";
  action.params.update_device_certificate = UpdateDeviceCertificateParams{"DEACTIVATE"};
  full.actions_definition = {action};
  AuditMitigationTask by_ids = MitigationTask(kA, "m2", "tok-2", 20);
  by_ids.target.audit_task_id.reset();
  by_ids.target.finding_ids = {"f-listed"};
  Tx([&](AuditTx& tx) {
    ASSERT_TRUE(tx.InsertMitigationTask(full).has_value());
    ASSERT_TRUE(tx.InsertMitigationTask(by_ids).has_value());
    ASSERT_TRUE(tx.InsertMitigationTask(MitigationTask(kB, "m1", "tok-1", 10)).has_value());
    EXPECT_EQ(tx.InsertMitigationTask(MitigationTask(kA, "m1", "other", 1)).error().code,
              ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.InsertMitigationTask(MitigationTask(kA, "m9", "tok-1", 1)).error().code,
              ErrorCode::kAlreadyExists);
    EXPECT_EQ(tx.FindMitigationTask(kA, "m1").value(), full);
    EXPECT_EQ(tx.FindMitigationTaskByToken(kA, "tok-2").value()->task_id, "m2");
    EXPECT_FALSE(tx.FindMitigationTaskByToken(kA, "tok-9").value().has_value());
    EXPECT_EQ(tx.CountMitigationTasks(kA, MitigationTaskStatus::kInProgress).value(), 1);
    EXPECT_EQ(tx.ListMitigationTasksByStatus(MitigationTaskStatus::kCompleted).value().size(), 2u);

    EXPECT_EQ(
        tx.PutExecution(MitigationExecution{kA, "missing", "f", "a", "id", 0, {}, {}, {}, "", ""})
            .error()
            .code,
        ErrorCode::kNotFound);
    for (const auto& [finding, index] :
         std::vector<std::pair<std::string, int>>{{"f-b", 1}, {"f-b", 0}, {"f-a", 0}}) {
      MitigationExecution e{kA,
                            "m1",
                            finding,
                            "act",
                            "id",
                            index,
                            MitigationExecutionStatus::kPending,
                            std::nullopt,
                            std::nullopt,
                            "",
                            ""};
      ASSERT_TRUE(tx.PutExecution(e).has_value());
    }
    MitigationExecution done{
        kA,    "m1",  "f-b",      "act", "id", 1, MitigationExecutionStatus::kFailed,
        Ms(1), Ms(2), "NotFound", "gone"};
    ASSERT_TRUE(tx.PutExecution(done).has_value());  // replaces
    auto all = tx.ListExecutions(kA, "m1", std::nullopt).value();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].finding_id, "f-a");
    EXPECT_EQ(all[1].action_index, 0);
    EXPECT_EQ(all[2], done);
    EXPECT_EQ(tx.ListExecutions(kA, "m1", std::string("f-b")).value().size(), 2u);
    EXPECT_TRUE(tx.ListExecutions(kB, "m1", std::nullopt).value().empty());
  });
  auto list = [&](MitigationTaskQuery q) {
    return AllPages<AuditMitigationTask>(
        1, [&](AuditTx& tx, const PageRequest& p) { return tx.ListMitigationTasks(kA, q, p); },
        [](const AuditMitigationTask& t) { return t.task_id; });
  };
  using V = std::vector<std::string>;
  const MitigationTaskQuery all{Ms(10), Ms(20), {}, {}, {}};
  EXPECT_EQ(list(all), (V{"m1", "m2"}));
  MitigationTaskQuery q = all;
  q.audit_task_id = "t1";
  EXPECT_EQ(list(q), (V{"m1"}));
  q = all;
  q.finding_id = "f-listed";
  EXPECT_EQ(list(q), (V{"m2"}));
  q.finding_id = "f-a";  // named by an execution only
  EXPECT_EQ(list(q), (V{"m1"}));
  q = all;
  q.status = MitigationTaskStatus::kCompleted;
  EXPECT_EQ(list(q), (V{"m2"}));
  EXPECT_EQ(list({Ms(11), Ms(19), {}, {}, {}}), V{});
}

}  // namespace fg::audit::testing
