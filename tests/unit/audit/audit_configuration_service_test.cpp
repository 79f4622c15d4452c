// AuditConfigurationService: AWS's rules for Describe/Update/DeleteAccountAuditConfiguration.

#include "audit/audit_configuration_service.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_checks.h"
#include "unit/audit/audit_fixture.h"

namespace fg::audit::testing {
namespace {

using ConfigurationTest = AuditFixture;

TEST_F(ConfigurationTest, NeverConfiguredListsEveryCheckDisabled) {
  auto config = config_.Describe(kAccount);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->role_arn, "");
  EXPECT_EQ(config->checks.size(), 17u);
  for (const auto& [name, check] : config->checks) {
    EXPECT_FALSE(check.enabled) << name;
  }
}

TEST_F(ConfigurationTest, UpdateMergesAndDescribeShowsIt) {
  EnableChecks();
  AuditConfigurationUpdate second;
  second.checks["DEVICE_CERTIFICATE_EXPIRING_CHECK"].enabled = true;
  second.checks["DEVICE_CERTIFICATE_EXPIRING_CHECK"]
      .configuration["CERT_EXPIRATION_THRESHOLD_IN_DAYS"] = "60";
  second.notification_targets["SNS"] = {kTarget, kRoleArn, true};
  ASSERT_TRUE(config_.Update(kAccount, second).has_value());

  auto config = config_.Describe(kAccount);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->role_arn, kRoleArn);
  EXPECT_TRUE(config->IsEnabled(kShared));  // kept from the first update
  EXPECT_TRUE(config->IsEnabled("DEVICE_CERTIFICATE_EXPIRING_CHECK"));
  EXPECT_EQ(config->checks["DEVICE_CERTIFICATE_EXPIRING_CHECK"]
                .configuration["CERT_EXPIRATION_THRESHOLD_IN_DAYS"],
            "60");
  EXPECT_EQ(config->notification_targets["SNS"].target_arn, kTarget);
  // Another account sees none of it.
  EXPECT_FALSE(config_.Describe(kOtherAccount)->IsEnabled(kShared));
}

TEST_F(ConfigurationTest, LegacyNameIsStoredUnderTheCurrentName) {
  AuditConfigurationUpdate update;
  update.role_arn = kRoleArn;
  update.checks["REVOKED_DEVICE_CERT_CHECK"].enabled = true;
  ASSERT_TRUE(config_.Update(kAccount, update).has_value());
  auto config = config_.Describe(kAccount);
  EXPECT_TRUE(config->IsEnabled("REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK"));
  EXPECT_FALSE(config->checks.contains("REVOKED_DEVICE_CERT_CHECK"));
}

struct BadUpdate {
  const char* name;
  AuditConfigurationUpdate update;
};

AuditConfigurationUpdate Valid() {
  AuditConfigurationUpdate u;
  u.role_arn = kRoleArn;
  u.checks[kShared].enabled = true;
  return u;
}

TEST_F(ConfigurationTest, InvalidUpdatesAreRejectedAndStoreNothing) {
  std::vector<BadUpdate> cases;
  {
    auto u = Valid();
    u.role_arn.reset();
    cases.push_back({"first update without roleArn", u});
  }
  {
    auto u = Valid();
    u.checks[kShared].enabled = false;
    cases.push_back({"first update enables nothing", u});
  }
  {
    auto u = Valid();
    u.role_arn = "short";
    cases.push_back({"role ARN too short", u});
  }
  {
    auto u = Valid();
    u.checks["NOT_A_CHECK"].enabled = true;
    cases.push_back({"unknown check", u});
  }
  {
    auto u = Valid();
    u.checks[kShared].configuration["CERT_AGE_THRESHOLD_IN_DAYS"] = "60";
    cases.push_back({"configuration of another check", u});
  }
  {
    auto u = Valid();
    u.checks["DEVICE_CERTIFICATE_AGE_CHECK"].configuration["CERT_AGE_THRESHOLD_IN_DAYS"] = "29";
    cases.push_back({"threshold below 30 days", u});
  }
  {
    auto u = Valid();
    u.checks["DEVICE_CERTIFICATE_AGE_CHECK"].configuration["CERT_AGE_THRESHOLD_IN_DAYS"] = "3653";
    cases.push_back({"threshold above 3652 days", u});
  }
  {
    auto u = Valid();
    u.checks["DEVICE_CERTIFICATE_AGE_CHECK"].configuration["CERT_AGE_THRESHOLD_IN_DAYS"] = "1e3";
    cases.push_back({"threshold not a number", u});
  }
  {
    auto u = Valid();
    u.notification_targets["EMAIL"] = {kTarget, kRoleArn, true};
    cases.push_back({"notification type other than SNS", u});
  }
  {
    auto u = Valid();
    u.notification_targets["SNS"] = {"no-such-target", kRoleArn, true};
    cases.push_back({"unknown notification target", u});
  }
  {
    auto u = Valid();
    u.notification_targets["SNS"] = {"", kRoleArn, true};
    cases.push_back({"enabled target without ARN", u});
  }
  for (const auto& c : cases) {
    auto r = config_.Update(kAccount, c.update);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_FALSE(store_.Snapshot().configs.contains(kAccount)) << c.name;
  }
}

TEST_F(ConfigurationTest, DisabledNotificationTargetNeedNotExist) {
  auto u = Valid();
  u.notification_targets["SNS"] = {"not-configured-yet", kRoleArn, false};
  EXPECT_TRUE(config_.Update(kAccount, u).has_value());
}

TEST_F(ConfigurationTest, CheckUsedByAScheduledAuditCannotBeDisabled) {
  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "daily", {AuditFrequency::kDaily, {}, {}, {kShared}}));
  AuditConfigurationUpdate off;
  off.checks[kShared].enabled = false;
  auto r = config_.Update(kAccount, off);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(config_.Describe(kAccount)->IsEnabled(kShared));
  ASSERT_TRUE(schedules_.Delete(kAccount, "daily").has_value());
  EXPECT_TRUE(config_.Update(kAccount, off).has_value());
  EXPECT_FALSE(config_.Describe(kAccount)->IsEnabled(kShared));
}

TEST_F(ConfigurationTest, DeleteRestoresDefaultsAndGuardsScheduledAudits) {
  auto missing = config_.Delete(kAccount, false);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  EnableChecks();
  ASSERT_TRUE(schedules_.Create(kAccount, "daily", {AuditFrequency::kDaily, {}, {}, {kShared}}));
  auto guarded = config_.Delete(kAccount, false);
  ASSERT_FALSE(guarded.has_value());
  EXPECT_EQ(guarded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(config_.Describe(kAccount)->IsEnabled(kShared));

  ASSERT_TRUE(config_.Delete(kAccount, true).has_value());
  EXPECT_FALSE(config_.Describe(kAccount)->IsEnabled(kShared));
  EXPECT_TRUE(store_.Snapshot().schedules.empty());
}

TEST(ResolveEnabledChecksTest, Table) {
  AuditConfiguration config;
  config.checks[kShared].enabled = true;
  config.checks["LOGGING_DISABLED_CHECK"].enabled = false;
  auto ok = ResolveEnabledChecks(config, {kShared, kShared});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, std::vector<std::string>{kShared});
  for (const std::vector<std::string>& bad : {std::vector<std::string>{},
                                              {"LOGGING_DISABLED_CHECK"},
                                              {"CA_CERTIFICATE_EXPIRING_CHECK"},
                                              {"NOPE"},
                                              {kShared, "NOPE"}}) {
    auto r = ResolveEnabledChecks(config, bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ResolveEnabledChecks(std::nullopt, {kShared}).has_value());
}

}  // namespace
}  // namespace fg::audit::testing
