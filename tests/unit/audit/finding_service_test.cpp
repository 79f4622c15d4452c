// FindingService and SuppressionService: ListAuditFindings filters, DescribeAuditFinding's cap,
// related-resource paging, and the suppression rules.

#include "audit/finding_service.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/suppression_service.h"
#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using std::chrono::hours;
using FindingServiceTest = AuditFixture;

ResourceIdentifier Cert(char c) {
  ResourceIdentifier id;
  id.device_certificate_id = CertId(c);
  return id;
}

TEST_F(FindingServiceTest, ListByTaskCheckResourceAndSuppression) {
  EnableChecks();
  LogOneClone();
  const AuditTask first = RunOnDemand();
  SuppressionSpec spec{kShared, Cert('a'), std::nullopt, true, "lab device", "token-1"};
  ASSERT_TRUE(suppressions_.Create(kAccount, spec).has_value());
  clock_.Advance(hours(1));
  const AuditTask second = RunOnDemand();

  ListFindingsRequest by_task;
  by_task.task_id = first.task_id;
  auto listed = findings_.List(kAccount, by_task, {});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_FALSE(listed->items[0].is_suppressed);

  ListFindingsRequest all;
  EXPECT_EQ(findings_.List(kAccount, all, {})->items.size(), 2u);
  ListFindingsRequest suppressed_only;
  suppressed_only.list_suppressed = true;
  auto suppressed = findings_.List(kAccount, suppressed_only, {});
  ASSERT_EQ(suppressed->items.size(), 1u);
  EXPECT_EQ(suppressed->items[0].task_id, second.task_id);
  ListFindingsRequest unsuppressed;
  unsuppressed.list_suppressed = false;
  EXPECT_EQ(findings_.List(kAccount, unsuppressed, {})->items[0].task_id, first.task_id);

  ListFindingsRequest by_time;
  by_time.start = kT0 + hours(1);
  by_time.end = kT0 + hours(2);
  auto timed = findings_.List(kAccount, by_time, {});
  ASSERT_EQ(timed->items.size(), 1u);
  EXPECT_EQ(timed->items[0].task_id, second.task_id);

  ListFindingsRequest by_resource;
  by_resource.resource = Cert('a');
  EXPECT_EQ(findings_.List(kAccount, by_resource, {})->items.size(), 2u);
  by_resource.resource = Cert('b');
  EXPECT_TRUE(findings_.List(kAccount, by_resource, {})->items.empty());

  ListFindingsRequest by_check;
  by_check.check_name = "CONFLICTING_CLIENT_IDS_CHECK";
  EXPECT_TRUE(findings_.List(kAccount, by_check, {})->items.empty());
  by_check.check_name = kShared;
  EXPECT_EQ(findings_.List(kAccount, by_check, {1, ""})->items.size(), 1u);
  EXPECT_TRUE(findings_.List(kOtherAccount, all, {})->items.empty());
}

TEST_F(FindingServiceTest, ListRejectsTaskTogetherWithTimeRangeAndOtherNonsense) {
  struct Case {
    const char* name;
    ListFindingsRequest request;
  };
  std::vector<Case> cases;
  {
    ListFindingsRequest r;
    r.task_id = std::string(32, 'a');
    r.start = kT0;
    r.end = kT0 + hours(1);
    cases.push_back({"task and time range", r});
  }
  {
    ListFindingsRequest r;
    r.start = kT0;
    cases.push_back({"start without end", r});
  }
  {
    ListFindingsRequest r;
    r.start = kT0 + hours(1);
    r.end = kT0;
    cases.push_back({"end before start", r});
  }
  {
    ListFindingsRequest r;
    r.check_name = "NOPE";
    cases.push_back({"unknown check", r});
  }
  {
    ListFindingsRequest r;
    r.task_id = "bad_task";
    cases.push_back({"malformed task id", r});
  }
  {
    ListFindingsRequest r;
    r.resource = ResourceIdentifier{};
    cases.push_back({"empty resource identifier", r});
  }
  for (const auto& c : cases) {
    auto r = findings_.List(kAccount, c.request, {});
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

TEST_F(FindingServiceTest, DescribeCapsRelatedResourcesAtTenAndListPagesThemAll) {
  EnableChecks();
  // Twelve devices on one certificate at once: twelve participating sessions.
  CertificateSessions cert{CertId('c'), {}};
  for (int i = 0; i < 12; ++i) {
    cert.sessions.push_back(Session(static_cast<uint64_t>(i + 1), "dev-" + std::to_string(i),
                                    At(-hours(10) + std::chrono::minutes(i)), std::nullopt));
  }
  sessions_.log[kAccount] = {cert};
  const AuditTask task = RunOnDemand();
  auto findings = FindingsOf(task.task_id);
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_EQ(findings[0].finding.related_resources.size(), 12u);

  auto described = findings_.Describe(kAccount, findings[0].finding_id);
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->finding.related_resources.size(), 10u);

  std::vector<AuditResource> all;
  PageRequest page{5, ""};
  do {
    auto listed = findings_.ListRelatedResources(kAccount, findings[0].finding_id, page);
    ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
    all.insert(all.end(), listed->items.begin(), listed->items.end());
    page.cursor = listed->next_cursor;
  } while (!page.cursor.empty());
  EXPECT_EQ(all, findings[0].finding.related_resources);

  EXPECT_EQ(findings_.Describe(kAccount, "00000000-0000-4000-8000-999999999999").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(findings_.Describe(kOtherAccount, findings[0].finding_id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(findings_.Describe(kAccount, "bad id").error().code, ErrorCode::kInvalidArgument);
}

using SuppressionServiceTest = AuditFixture;

TEST_F(SuppressionServiceTest, CreateIsIdempotentPerToken) {
  SuppressionSpec spec{kShared, Cert('a'), kT0 + hours(24), std::nullopt, "one day", "tok"};
  auto created = suppressions_.Create(kAccount, spec);
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  EXPECT_TRUE(suppressions_.Create(kAccount, spec).has_value());
  spec.client_request_token = "other";
  auto dup = suppressions_.Create(kAccount, spec);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  // Legacy-free key: uppercase and 0x forms name the same resource.
  ResourceIdentifier upper;
  upper.device_certificate_id = "0x" + std::string(64, 'A');
  auto described = suppressions_.Describe(kAccount, kShared, upper);
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->description, "one day");
}

TEST_F(SuppressionServiceTest, CreateRejects) {
  struct Case {
    const char* name;
    SuppressionSpec spec;
  };
  const std::vector<Case> cases = {
      {"neither expiry nor indefinite", {kShared, Cert('a'), std::nullopt, std::nullopt, "", "t"}},
      {"indefinite false and no expiry", {kShared, Cert('a'), std::nullopt, false, "", "t"}},
      {"both expiry and indefinite", {kShared, Cert('a'), kT0 + hours(1), true, "", "t"}},
      {"expiry in the past", {kShared, Cert('a'), kT0 - hours(1), std::nullopt, "", "t"}},
      {"expiry now", {kShared, Cert('a'), kT0, std::nullopt, "", "t"}},
      {"unknown check", {"NOPE", Cert('a'), std::nullopt, true, "", "t"}},
      {"bad certificate id", {kShared, ResourceIdentifier{"abc", ""}, std::nullopt, true, "", "t"}},
      {"description too long",
       {kShared, Cert('a'), std::nullopt, true, std::string(1001, 'x'), "t"}},
      {"bad token", {kShared, Cert('a'), std::nullopt, true, "", "bad token"}},
      {"empty token", {kShared, Cert('a'), std::nullopt, true, "", ""}},
  };
  for (const auto& c : cases) {
    auto r = suppressions_.Create(kAccount, c.spec);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
  EXPECT_TRUE(store_.Snapshot().suppressions.empty());
}

TEST_F(SuppressionServiceTest, UpdateDescribeDelete) {
  SuppressionSpec spec{kShared, Cert('a'), kT0 + hours(24), std::nullopt, "one day", "tok"};
  ASSERT_TRUE(suppressions_.Create(kAccount, spec).has_value());
  SuppressionUpdate forever;
  forever.suppress_indefinitely = true;
  auto updated = suppressions_.Update(kAccount, kShared, Cert('a'), forever);
  ASSERT_TRUE(updated.has_value());
  EXPECT_TRUE(updated->suppress_indefinitely);
  EXPECT_FALSE(updated->expiration.has_value());

  SuppressionUpdate both;
  both.suppress_indefinitely = true;
  both.expiration = kT0 + hours(2);
  EXPECT_EQ(suppressions_.Update(kAccount, kShared, Cert('a'), both).error().code,
            ErrorCode::kInvalidArgument);
  SuppressionUpdate past;
  past.expiration = kT0 - hours(2);
  EXPECT_EQ(suppressions_.Update(kAccount, kShared, Cert('a'), past).error().code,
            ErrorCode::kInvalidArgument);
  SuppressionUpdate week;
  week.expiration = kT0 + hours(24 * 7);
  auto expiring = suppressions_.Update(kAccount, kShared, Cert('a'), week);
  ASSERT_TRUE(expiring.has_value());
  EXPECT_FALSE(expiring->suppress_indefinitely);
  // Once the expiry has passed, a description-only update still works.
  clock_.Advance(hours(24 * 8));
  SuppressionUpdate text;
  text.description = "renamed";
  EXPECT_TRUE(suppressions_.Update(kAccount, kShared, Cert('a'), text).has_value());
  EXPECT_EQ(suppressions_.Update(kAccount, kShared, Cert('b'), text).error().code,
            ErrorCode::kNotFound);

  ASSERT_TRUE(suppressions_.Delete(kAccount, kShared, Cert('a')).has_value());
  EXPECT_EQ(suppressions_.Describe(kAccount, kShared, Cert('a')).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(suppressions_.Delete(kAccount, kShared, Cert('a')).has_value());
}

TEST_F(SuppressionServiceTest, ListOrdersByExpirationBothWays) {
  ASSERT_TRUE(suppressions_.Create(kAccount,
                                   {kShared, Cert('a'), kT0 + hours(48), std::nullopt, "", "t1"}));
  ASSERT_TRUE(suppressions_.Create(kAccount, {kShared, Cert('b'), std::nullopt, true, "", "t2"}));
  ASSERT_TRUE(suppressions_.Create(kAccount,
                                   {kShared, Cert('c'), kT0 + hours(24), std::nullopt, "", "t3"}));
  ASSERT_TRUE(suppressions_.Create(
      kAccount, {"CONFLICTING_CLIENT_IDS_CHECK", ResourceIdentifier{"", "dev-1"}, std::nullopt,
                 true, "", "t4"}));

  auto order = [&](bool ascending, std::optional<std::string> check) {
    std::vector<std::string> keys;
    PageRequest page{1, ""};
    do {
      auto listed = suppressions_.List(kAccount, check, std::nullopt, ascending, page);
      EXPECT_TRUE(listed.has_value());
      for (const auto& s : listed->items) {
        keys.push_back(s.resource_key.substr(s.resource_key.size() - 1));
      }
      page.cursor = listed->next_cursor;
    } while (!page.cursor.empty());
    return keys;
  };
  EXPECT_EQ(order(true, kShared), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(order(false, kShared), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(order(true, std::nullopt).size(), 4u);
  auto by_resource = suppressions_.List(kAccount, std::nullopt, Cert('a'), true, {});
  ASSERT_EQ(by_resource->items.size(), 1u);
  EXPECT_TRUE(
      suppressions_.List(kOtherAccount, std::nullopt, std::nullopt, true, {})->items.empty());
}

}  // namespace
}  // namespace fg::audit::testing
