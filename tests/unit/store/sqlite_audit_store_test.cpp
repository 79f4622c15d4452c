// SqliteStore as an audit::AuditStore: the audit's contract suite on SQLite in memory and on
// disk (so the fake and the real store cannot drift), plus what only the real store has: every
// value survives a reopen, the 90-day retention, rollback across tables, a registry and an
// audit transaction refusing to nest, corrupt JSON columns, the query plans of the finding
// list, and a schema-2 file gaining the audit tables.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/audit_finding_record.h"
#include "raw_sqlite.h"
#include "store/sqlite/sqlite_finding_sql.h"
#include "store/sqlite/sqlite_store.h"
#include "temp_dir.h"
#include "unit/audit/audit_store_contract.h"

namespace fg::store::testing {
namespace {

using audit::AuditConfiguration;
using audit::AuditFindingRecord;
using audit::AuditMitigationTask;
using audit::AuditSuppression;
using audit::AuditTask;
using audit::AuditTx;
using audit::MitigationAction;
using audit::MitigationExecution;
using audit::ScheduledAudit;
using audit::testing::AuditStoreContract;
using audit::testing::AuditStoreFactory;

constexpr char kAcct[] = "111111111111";
constexpr char kCheck[] = "DEVICE_CERTIFICATE_SHARED_CHECK";
constexpr auto kDay = std::chrono::hours(24);

// Keeps the temporary directory exactly as long as the store that lives in it.
class OnDiskAuditStore final : public audit::AuditStore {
 public:
  static std::unique_ptr<audit::AuditStore> Create() {
    auto dir = std::make_unique<TempDir>();
    if (!dir->ok()) {
      return nullptr;
    }
    auto store = SqliteStore::Open((dir->path() / "audit.db").string());
    if (!store) {
      ADD_FAILURE() << store.error().ToString();
      return nullptr;
    }
    return std::unique_ptr<audit::AuditStore>(
        new OnDiskAuditStore(std::move(dir), std::move(*store)));
  }
  Result<void> Transact(const TxFn& fn) override { return store_->Transact(fn); }

 private:
  OnDiskAuditStore(std::unique_ptr<TempDir> dir, std::unique_ptr<SqliteStore> store)
      : dir_(std::move(dir)), store_(std::move(store)) {}
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<SqliteStore> store_;  // declared last: closed before the directory goes
};

std::unique_ptr<audit::AuditStore> OpenMemory() {
  auto store = SqliteStore::Open(":memory:");
  if (!store) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditStoreContract,
                         ::testing::Values(AuditStoreFactory{"memory", OpenMemory},
                                           AuditStoreFactory{"disk", OnDiskAuditStore::Create}),
                         audit::testing::AuditStoreFactoryName);

TimePoint Ms(int64_t ms) { return FromEpochMillis(1893456000000 + ms); }

// One of everything, with every optional member set and every composite non-empty.
AuditConfiguration FullConfiguration() {
  AuditConfiguration c;
  c.account_id = kAcct;
  c.role_arn = "arn:aws:iam::111111111111:role/audit";
  c.notification_targets["SNS"] = {"ops", "arn:aws:iam::111111111111:role/notify", true};
  c.checks[kCheck] = {true, {}};
  c.checks["DEVICE_CERTIFICATE_AGE_CHECK"] = {false, {{"CERT_AGE_THRESHOLD_IN_DAYS", "60"}}};
  return c;
}

ScheduledAudit FullSchedule() {
  ScheduledAudit a;
  a.account_id = kAcct;
  a.name = "weekly";
  a.frequency = audit::AuditFrequency::kBiweekly;
  a.day_of_week = audit::DayOfWeek::kWed;
  a.target_check_names = {"CA_CERTIFICATE_EXPIRING_CHECK", kCheck};
  a.created = Ms(1);
  a.last_modified = Ms(2);
  a.last_start = Ms(3);
  return a;
}

AuditTask FullTask(std::string id, TimePoint start,
                   audit::AuditTaskStatus status = audit::AuditTaskStatus::kCompleted) {
  AuditTask t = audit::NewAuditTask(kAcct, std::move(id), audit::AuditTaskType::kScheduled, start,
                                    {kCheck, "LOGGING_DISABLED_CHECK"});
  t.status = status;
  t.end_time = start + std::chrono::milliseconds(7);
  t.scheduled_audit_name = "weekly";
  t.previous_start = start - kDay;
  t.window = audit::AuditWindow{start - kDay, start};
  t.checks[kCheck] = {audit::AuditCheckRunStatus::kCompletedNonCompliant, false, 10, 3, 1, "", ""};
  t.checks["LOGGING_DISABLED_CHECK"] = {
      audit::AuditCheckRunStatus::kFailed, std::nullopt, 0, 0, 0, "INTERNAL_FAILURE", "boom"};
  return t;
}

AuditFindingRecord FullFinding(std::string task, std::string id, TimePoint at) {
  AuditFindingRecord f;
  f.account_id = kAcct;
  f.finding_id = std::move(id);
  f.task_id = std::move(task);
  f.task_start_time = at - std::chrono::milliseconds(5);
  f.finding_time = at;
  f.is_suppressed = true;
  f.finding.check_name = kCheck;
  f.finding.severity = audit::AuditSeverity::kMedium;
  f.finding.non_compliant_resource.type = audit::ResourceType::kDeviceCertificate;
  f.finding.non_compliant_resource.identifier.device_certificate_id = std::string(64, 'a');
  f.finding.non_compliant_resource.additional_info["MAX_CONCURRENT_DEVICES"] = "2";
  audit::AuditResource client;
  client.type = audit::ResourceType::kClientId;
  client.identifier.client_id = "dev \"1\"\n";  // JSON escaping round-trips
  client.additional_info = {{"CONNECTION_TIME", "1"}, {"SOURCE_IP", "10.0.0.1"}};
  f.finding.related_resources = {client, client};
  f.finding.reason_for_non_compliance = "Certificate shared by one or more devices.";
  f.finding.reason_for_non_compliance_code = "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
  return f;
}

AuditSuppression FullSuppression() {
  AuditSuppression s;
  s.account_id = kAcct;
  s.check_name = kCheck;
  s.resource.client_id = "dev-9";
  s.resource_key = "clientId:dev-9";
  s.expiration = Ms(99);
  s.description = "known clone lab";
  s.client_request_token = "tok-s";
  return s;
}

// One action per params member.
std::vector<MitigationAction> AllActions() {
  std::vector<audit::MitigationActionParams> params(6);
  params[0].update_device_certificate = audit::UpdateDeviceCertificateParams{"DEACTIVATE"};
  params[1].update_ca_certificate = audit::UpdateCaCertificateParams{"DEACTIVATE"};
  params[2].add_things_to_thing_group = audit::AddThingsToThingGroupParams{{"q1", "q2"}, false};
  params[3].replace_default_policy_version = audit::ReplaceDefaultPolicyVersionParams{"BLANK"};
  params[4].enable_iot_logging = audit::EnableIotLoggingParams{"arn:role/log", "DEBUG"};
  params[5].publish_finding_to_sns = audit::PublishFindingToSnsParams{"ops"};
  std::vector<MitigationAction> out;
  for (size_t i = 0; i < params.size(); ++i) {
    MitigationAction a;
    a.account_id = kAcct;
    a.name = "action-" + std::to_string(i);
    a.id = "id-" + std::to_string(i);
    a.type = audit::ActionTypeOf(params[i]).value();
    a.role_arn = "arn:aws:iam::111111111111:role/mitigate";
    a.params = params[i];
    a.created = Ms(static_cast<int64_t>(i));
    a.last_modified = Ms(static_cast<int64_t>(i) + 100);
    out.push_back(a);
  }
  return out;
}

AuditMitigationTask FullMitigationTask(std::string id, std::string token, TimePoint start,
                                       audit::MitigationTaskStatus status) {
  AuditMitigationTask t;
  t.account_id = kAcct;
  t.task_id = std::move(id);
  t.client_request_token = std::move(token);
  t.status = status;
  t.start_time = start;
  t.end_time = start + std::chrono::milliseconds(9);
  t.target.finding_ids = {"f-2", "f-1", "f-3"};  // order kept
  t.target.reason_code_filter[kCheck] = {"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"};
  t.actions_mapping[kCheck] = {"action-0", "action-5"};
  t.actions_definition = AllActions();
  t.statistics[kCheck] = {5, 1, 2, 1, 1};
  return t;
}

MitigationExecution FullExecution(std::string task, std::string finding, int index) {
  return MitigationExecution{kAcct,
                             std::move(task),
                             std::move(finding),
                             "action-0",
                             "id-0",
                             index,
                             audit::MitigationExecutionStatus::kFailed,
                             Ms(1),
                             Ms(2),
                             "NotFound",
                             "gone"};
}

// Rows in `table` of the file at `path`, read past the store.
int64_t RawCount(const std::string& path, const std::string& table) {
  SqliteDbPtr db = RawOpen(path);
  if (db == nullptr) {
    return -1;
  }
  sqlite3_stmt* raw = nullptr;
  const std::string sql = "SELECT count(*) FROM " + table;
  const int rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr);
  SqliteStmtPtr stmt(raw);
  if (rc != SQLITE_OK || sqlite3_step(stmt.get()) != SQLITE_ROW) {
    ADD_FAILURE() << sqlite3_errmsg(db.get());
    return -1;
  }
  return sqlite3_column_int64(stmt.get(), 0);
}

// Writes one of every row kind; stops at the first error.
Result<void> WriteEverythingInto(AuditTx& tx) {
  for (const Result<void>& r :
       {tx.PutConfiguration(FullConfiguration()), tx.InsertScheduledAudit(FullSchedule()),
        tx.InsertAuditTask(FullTask("t1", Ms(1000))),
        tx.InsertFinding(FullFinding("t1", "f1", Ms(1001))),
        tx.InsertSuppression(FullSuppression())}) {
    if (!r) {
      return r;
    }
  }
  for (const MitigationAction& a : AllActions()) {
    if (auto r = tx.InsertMitigationAction(a); !r) {
      return r;
    }
  }
  if (auto r = tx.InsertMitigationTask(
          FullMitigationTask("m1", "tok-1", Ms(2000), audit::MitigationTaskStatus::kInProgress));
      !r) {
    return r;
  }
  return tx.PutExecution(FullExecution("m1", "f1", 0));
}

class SqliteAuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  std::string DbPath() const { return (dir_.path() / "fleetguard.db").string(); }
  std::unique_ptr<SqliteStore> Open() {
    auto store = SqliteStore::Open(DbPath());
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }

  // Runs `fn` in an audit transaction that must commit.
  static void Commit(SqliteStore& store, const std::function<Result<void>(AuditTx&)>& fn) {
    auto r = store.Transact(audit::AuditStore::TxFn(fn));
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
  }

  static void WriteEverything(SqliteStore& store) { Commit(store, WriteEverythingInto); }

  TempDir dir_;
};

TEST_F(SqliteAuditStoreTest, EveryValueSurvivesAReopen) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    WriteEverything(*store);
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Commit(*store, [](AuditTx& tx) -> Result<void> {
    EXPECT_EQ(tx.FindConfiguration(kAcct).value(), FullConfiguration());
    EXPECT_EQ(tx.FindScheduledAudit(kAcct, "weekly").value(), FullSchedule());
    EXPECT_EQ(tx.FindAuditTask(kAcct, "t1").value(), FullTask("t1", Ms(1000)));
    EXPECT_EQ(tx.FindFinding(kAcct, "f1").value(), FullFinding("t1", "f1", Ms(1001)));
    const AuditSuppression s = FullSuppression();
    EXPECT_EQ(tx.FindSuppression(kAcct, s.check_name, s.resource_key).value(), s);
    for (const MitigationAction& a : AllActions()) {
      EXPECT_EQ(tx.FindMitigationAction(kAcct, a.name).value(), a) << a.name;
    }
    const auto m1 =
        FullMitigationTask("m1", "tok-1", Ms(2000), audit::MitigationTaskStatus::kInProgress);
    EXPECT_EQ(tx.FindMitigationTask(kAcct, "m1").value(), m1);
    EXPECT_EQ(tx.FindMitigationTaskByToken(kAcct, "tok-1").value(), m1);
    EXPECT_EQ(tx.ListExecutions(kAcct, "m1", std::nullopt).value(),
              std::vector<MitigationExecution>{FullExecution("m1", "f1", 0)});
    return Ok();
  });
}

TEST_F(SqliteAuditStoreTest, UpdateReplacesTargetFindingIds) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  WriteEverything(*store);
  auto m1 = FullMitigationTask("m1", "tok-1", Ms(2000), audit::MitigationTaskStatus::kInProgress);
  m1.target.finding_ids = {"f-9"};
  m1.status = audit::MitigationTaskStatus::kCompleted;
  Commit(*store, [&](AuditTx& tx) -> Result<void> {
    if (auto r = tx.UpdateMitigationTask(m1); !r) {
      return r;
    }
    EXPECT_EQ(tx.FindMitigationTask(kAcct, "m1").value(), m1);
    audit::MitigationTaskQuery q{Ms(0), Ms(5000), {}, std::string("f-1"), {}};
    EXPECT_TRUE(tx.ListMitigationTasks(kAcct, q, {}).value().items.empty());
    q.finding_id = "f-9";
    EXPECT_EQ(tx.ListMitigationTasks(kAcct, q, {}).value().items.size(), 1u);
    return Ok();
  });
}

// kFindingRetention (90 days) applied the way the scheduler does: PurgeBefore(now - 90 days).
TEST_F(SqliteAuditStoreTest, RetentionKeepsNinetyDays) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const TimePoint now = Ms(0) + 400 * kDay;
  const TimePoint old = now - 91 * kDay;
  const TimePoint edge = now - audit::kFindingRetention;
  Commit(*store, [&](AuditTx& tx) -> Result<void> {
    using S = audit::AuditTaskStatus;
    using M = audit::MitigationTaskStatus;
    for (const Result<void>& r : {
             tx.InsertAuditTask(FullTask("t-old", old)),
             tx.InsertAuditTask(FullTask("t-edge", edge)),
             tx.InsertAuditTask(FullTask("t-running", old, S::kInProgress)),
             tx.InsertFinding(FullFinding("t-old", "f-old", old)),
             tx.InsertFinding(FullFinding("t-edge", "f-edge", edge)),
             tx.InsertFinding(FullFinding("t-running", "f-running-old", old)),
             tx.InsertFinding(FullFinding("t-running", "f-running-new", now - kDay)),
             tx.InsertMitigationTask(FullMitigationTask("m-old", "tok-1", old, M::kCompleted)),
             tx.InsertMitigationTask(FullMitigationTask("m-running", "tok-2", old, M::kInProgress)),
             tx.PutExecution(FullExecution("m-old", "f-old", 0)),
             tx.PutExecution(FullExecution("m-old", "f-old", 1)),
             tx.PutExecution(FullExecution("m-running", "f-old", 0)),
         }) {
      if (!r) {
        return r;
      }
    }
    return Ok();
  });
  Commit(*store, [&](AuditTx& tx) -> Result<void> {
    EXPECT_EQ(tx.PurgeBefore(now - audit::kFindingRetention).value(),
              (audit::PurgeCounts{1, 2, 1, 2}));
    EXPECT_EQ(tx.PurgeBefore(now - audit::kFindingRetention).value(), audit::PurgeCounts{});
    EXPECT_FALSE(tx.FindAuditTask(kAcct, "t-old").value().has_value());
    EXPECT_TRUE(tx.FindAuditTask(kAcct, "t-edge").value().has_value());
    EXPECT_TRUE(tx.FindAuditTask(kAcct, "t-running").value().has_value());
    EXPECT_TRUE(tx.FindFinding(kAcct, "f-edge").value().has_value());
    EXPECT_TRUE(tx.FindFinding(kAcct, "f-running-new").value().has_value());
    EXPECT_FALSE(tx.FindFinding(kAcct, "f-running-old").value().has_value());
    EXPECT_FALSE(tx.FindMitigationTask(kAcct, "m-old").value().has_value());
    EXPECT_EQ(tx.ListExecutions(kAcct, "m-running", std::nullopt).value().size(), 1u);
    return Ok();
  });
  store.reset();
  // The purged task's target finding ids went with it; the running task's stayed.
  EXPECT_EQ(RawCount(DbPath(), "mitigation_task_findings"), 3);
}

constexpr const char* kAuditTables[] = {
    "audit_configurations", "scheduled_audits",         "audit_tasks",
    "audit_findings",       "audit_suppressions",       "mitigation_actions",
    "mitigation_tasks",     "mitigation_task_findings", "mitigation_executions"};

TEST_F(SqliteAuditStoreTest, AFailedCallbackKeepsNothingInAnyTable) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto r = store->Transact([](AuditTx& tx) -> Result<void> {
    WriteEverythingInto(tx);
    return Fail(ErrorCode::kLimitExceeded, "rule says no");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  store.reset();
  for (const char* table : kAuditTables) {
    EXPECT_EQ(RawCount(DbPath(), table), 0) << table;
  }
}

TEST_F(SqliteAuditStoreTest, RegistryAndAuditTransactionsDoNotNest) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Result<void> inner = Ok();
  auto outer = store->Transact([&](registry::RegistryTx&) -> Result<void> {
    inner = store->Transact([](AuditTx&) -> Result<void> { return Ok(); });
    return Ok();
  });
  ASSERT_TRUE(outer.has_value());
  ASSERT_FALSE(inner.has_value());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
  inner = Ok();
  outer = store->Transact([&](AuditTx&) -> Result<void> {
    inner = store->Transact([](registry::RegistryTx&) -> Result<void> { return Ok(); });
    return Ok();
  });
  ASSERT_TRUE(outer.has_value());
  ASSERT_FALSE(inner.has_value());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
}

// A file altered outside fleetguard reads as kCorrupt, never as a crash or a half-read value.
TEST_F(SqliteAuditStoreTest, AlteredColumnsReadAsCorrupt) {
  using Read = std::function<Result<void>(AuditTx&)>;
  auto ignore = [](auto r) -> Result<void> {
    if (!r) {
      return Fail(r.error());
    }
    return Ok();
  };
  const Read config = [&](AuditTx& tx) { return ignore(tx.FindConfiguration(kAcct)); };
  const Read schedule = [&](AuditTx& tx) { return ignore(tx.FindScheduledAudit(kAcct, "weekly")); };
  const Read task = [&](AuditTx& tx) { return ignore(tx.FindAuditTask(kAcct, "t1")); };
  const Read finding = [&](AuditTx& tx) { return ignore(tx.FindFinding(kAcct, "f1")); };
  const Read findings = [&](AuditTx& tx) {
    return ignore(tx.ListFindings(kAcct, audit::FindingQuery{}, {}));
  };
  const Read action = [&](AuditTx& tx) {
    return ignore(tx.FindMitigationAction(kAcct, "action-2"));
  };
  const Read mitigation = [&](AuditTx& tx) { return ignore(tx.FindMitigationTask(kAcct, "m1")); };
  const Read executions = [&](AuditTx& tx) {
    return ignore(tx.ListExecutions(kAcct, "m1", std::nullopt));
  };
  const std::string deep = "'" + std::string(200, '[') + std::string(200, ']') + "'";
  const struct {
    const char* name;
    std::string sql;
    Read read;
  } cases[] = {
      {"config not json", "UPDATE audit_configurations SET checks = 'nope'", config},
      {"config enabled not bool",
       R"(UPDATE audit_configurations SET checks = '{"X":{"enabled":1,"configuration":{}}}')",
       config},
      {"targets not object", "UPDATE audit_configurations SET notification_targets = '[]'", config},
      {"schedule checks object", "UPDATE scheduled_audits SET target_check_names = '{}'", schedule},
      {"schedule frequency", "UPDATE scheduled_audits SET frequency = 'HOURLY'", schedule},
      {"schedule day", "UPDATE scheduled_audits SET day_of_week = 'FUNDAY'", schedule},
      {"task status", "UPDATE audit_tasks SET status = 'RUNNING'", task},
      {"task checks array", "UPDATE audit_tasks SET checks = '[]'", task},
      {"task half window", "UPDATE audit_tasks SET window_end_ms = NULL", task},
      {"task run status",
       R"(UPDATE audit_tasks SET checks = json_set(checks, '$.LOGGING_DISABLED_CHECK.runStatus', 'DONE'))",
       task},
      {"finding truncated", "UPDATE audit_findings SET body = substr(body, 1, 40)", finding},
      {"finding severity",
       R"(UPDATE audit_findings SET body = json_set(body, '$.severity', 'BAD'))", finding},
      {"finding resource type",
       R"(UPDATE audit_findings SET body = json_set(body, '$.relatedResources[1].resourceType', 7))",
       findings},
      {"finding deep nesting", "UPDATE audit_findings SET body = " + deep, finding},
      {"action group names",
       R"(UPDATE mitigation_actions SET params = '{"addThingsToThingGroupParams":{"thingGroupNames":[1]}}')",
       action},
      {"action type", "UPDATE mitigation_actions SET type = 'EXPLODE'", action},
      {"statistics string",
       R"(UPDATE mitigation_tasks SET statistics = '{"C":{"totalFindings":"5"}}')", mitigation},
      {"definition empty object", "UPDATE mitigation_tasks SET actions_definition = '[{}]'",
       mitigation},
      {"mapping list of numbers", R"(UPDATE mitigation_tasks SET actions_mapping = '{"C":[1]}')",
       mitigation},
      {"execution index", "UPDATE mitigation_executions SET action_index = 99999999999",
       executions},
      {"execution status", "UPDATE mitigation_executions SET status = 'MAYBE'", executions},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    const std::string path = (dir.path() / "corrupt.db").string();
    {
      auto store = SqliteStore::Open(path);
      ASSERT_TRUE(store.has_value());
      WriteEverything(**store);
      // Before the alteration, the read succeeds.
      ASSERT_TRUE((*store)->Transact(audit::AuditStore::TxFn(c.read)).has_value());
    }
    RawExec(path, c.sql.c_str());
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.has_value());
    auto r = (*store)->Transact(audit::AuditStore::TxFn(c.read));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kCorrupt) << r.error().ToString();
  }
}

// Each finding filter walks an index in (finding_ms, finding_id) order from the account (and
// the cursor) onwards: no full scan and no sort, whatever the table's size.
TEST_F(SqliteAuditStoreTest, FindingListIsAnIndexRangeWithoutSort) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
  }
  SqliteDbPtr db = RawOpen(DbPath());
  ASSERT_NE(db, nullptr);
  const std::string cursor = registry::EncodeTimeCursor(Ms(5), "f5");
  audit::FindingQuery by_task;
  by_task.task_id = "t1";
  audit::FindingQuery by_resource;
  by_resource.resource_key = "clientId:x";
  audit::FindingQuery by_check;
  by_check.check_name = kCheck;
  audit::FindingQuery by_time;
  by_time.start = Ms(1);
  by_time.end = Ms(2);
  const struct {
    const char* name;
    audit::FindingQuery query;
    std::string cursor;
    const char* index;
  } cases[] = {
      {"all", {}, "", "audit_findings_by_time"},
      {"all after cursor", {}, cursor, "audit_findings_by_time"},
      {"task", by_task, "", "audit_findings_by_task"},
      {"task after cursor", by_task, cursor, "audit_findings_by_task"},
      {"resource", by_resource, "", "audit_findings_by_resource"},
      {"check", by_check, cursor, "audit_findings_by_check"},
      {"time", by_time, "", "audit_findings_by_time"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto query = FindingListQuery(kAcct, c.query, {25, c.cursor});
    ASSERT_TRUE(query.has_value());
    const std::string plan = QueryPlan(db.get(), query->sql());
    EXPECT_NE(plan.find(std::string("SEARCH audit_findings USING INDEX ") + c.index),
              std::string::npos)
        << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  }
}

TEST_F(SqliteAuditStoreTest, FindingPagesNeitherRepeatNorSkipAcrossWrites) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Commit(*store, [](AuditTx& tx) -> Result<void> {
    if (auto r = tx.InsertAuditTask(FullTask("t1", Ms(0))); !r) {
      return r;
    }
    for (int i = 0; i < 6; ++i) {
      if (auto r = tx.InsertFinding(FullFinding("t1", "f" + std::to_string(i), Ms(10 * i))); !r) {
        return r;
      }
    }
    return Ok();
  });
  std::vector<std::string> seen;
  audit::PageRequest page{2, ""};
  for (int round = 0; round < 10; ++round) {
    auto listed = audit::TransactValue<audit::Page<AuditFindingRecord>>(
        *store, [&](AuditTx& tx) { return tx.ListFindings(kAcct, {}, page); });
    ASSERT_TRUE(listed.has_value());
    for (const auto& f : listed->items) {
      seen.push_back(f.finding_id);
    }
    if (round == 0) {
      // Before the cursor (never shown), after it (shown), and a deletion ahead of it.
      Commit(*store, [](AuditTx& tx) -> Result<void> {
        if (auto r = tx.InsertFinding(FullFinding("t1", "early", Ms(1))); !r) {
          return r;
        }
        return tx.InsertFinding(FullFinding("t1", "late", Ms(35)));
      });
      // The interface deletes findings only by retention; another connection stands in.
      RawExec(DbPath(), "DELETE FROM audit_findings WHERE finding_id = 'f4'");
    }
    if (listed->next_cursor.empty()) {
      break;
    }
    page.cursor = listed->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"f0", "f1", "f2", "f3", "late", "f5"}));
}

// Read-modify-write from several threads loses no update: Transact is serializable.
TEST_F(SqliteAuditStoreTest, ConcurrentTransactionsLoseNoUpdate) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ScheduledAudit counter = FullSchedule();
  counter.last_start = Ms(0);
  Commit(*store, [&](AuditTx& tx) { return tx.InsertScheduledAudit(counter); });
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto r = store->Transact([](AuditTx& tx) -> Result<void> {
          auto found = tx.FindScheduledAudit(kAcct, "weekly");
          if (!found || !*found) {
            return Fail(ErrorCode::kInternal, "counter missing");
          }
          ScheduledAudit next = **found;
          next.last_start = *next.last_start + std::chrono::milliseconds(1);
          return tx.UpdateScheduledAudit(next);
        });
        failures += r.has_value() ? 0 : 1;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  Commit(*store, [](AuditTx& tx) -> Result<void> {
    EXPECT_EQ(tx.FindScheduledAudit(kAcct, "weekly").value()->last_start,
              Ms(kThreads * kIncrements));
    return Ok();
  });
}

TEST_F(SqliteAuditStoreTest, ASchemaTwoDatabaseGainsTheAuditTablesOnOpen) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto r = store->Transact([](registry::RegistryTx& tx) -> Result<void> {
      return tx.InsertAccount(
          registry::Account{kAcct, "acme", "us-east-1", "abcdefghij0123", FromEpochMillis(1)});
    });
    ASSERT_TRUE(r.has_value());
  }
  // Back to what a build with migrations 1 and 2 left behind.
  std::string drop;
  for (const char* table : kAuditTables) {
    drop += std::string("DROP TABLE ") + table + ";";
  }
  drop += "UPDATE schema_version SET version = 2";
  RawExec(DbPath(), drop.c_str());
  auto store = Open();
  ASSERT_NE(store, nullptr);
  WriteEverything(*store);
  bool account_kept = false;
  auto r = store->Transact([&](registry::RegistryTx& tx) -> Result<void> {
    auto account = tx.FindAccount(kAcct);
    account_kept = account && account->has_value();
    return Ok();
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(account_kept);
}

}  // namespace
}  // namespace fg::store::testing
