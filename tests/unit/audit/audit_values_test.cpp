// Enums, the check catalogue, identifier rules and ResourceKey: the pure parts of the audit
// domain.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_arn.h"
#include "audit/audit_checks.h"
#include "audit/audit_enums.h"
#include "audit/audit_finding_record.h"
#include "audit/audit_names.h"
#include "audit/audit_task.h"
#include "audit/id_generator.h"
#include "audit/mitigation_action.h"

namespace fg::audit {
namespace {

TEST(AuditEnumsTest, EveryWireNameRoundTrips) {
  for (auto v : {AuditTaskStatus::kInProgress, AuditTaskStatus::kCompleted,
                 AuditTaskStatus::kFailed, AuditTaskStatus::kCanceled}) {
    EXPECT_EQ(ParseAuditTaskStatus(ToString(v)).value(), v);
  }
  for (auto v : {AuditTaskType::kOnDemand, AuditTaskType::kScheduled}) {
    EXPECT_EQ(ParseAuditTaskType(ToString(v)).value(), v);
  }
  for (int i = 0; i < 6; ++i) {
    auto v = static_cast<AuditCheckRunStatus>(i);
    EXPECT_EQ(ParseAuditCheckRunStatus(ToString(v)).value(), v);
    auto e = static_cast<MitigationExecutionStatus>(i);
    EXPECT_EQ(ParseMitigationExecutionStatus(ToString(e)).value(), e);
    auto a = static_cast<MitigationActionType>(i);
    EXPECT_EQ(ParseMitigationActionType(ToString(a)).value(), a);
  }
  for (int i = 0; i < 7; ++i) {
    auto v = static_cast<DayOfWeek>(i);
    EXPECT_EQ(ParseDayOfWeek(ToString(v)).value(), v);
  }
  for (int i = 0; i < 4; ++i) {
    auto v = static_cast<AuditFrequency>(i);
    EXPECT_EQ(ParseAuditFrequency(ToString(v)).value(), v);
    auto m = static_cast<MitigationTaskStatus>(i);
    EXPECT_EQ(ParseMitigationTaskStatus(ToString(m)).value(), m);
  }
}

TEST(AuditEnumsTest, ExactAwsSpellings) {
  EXPECT_EQ(ToString(AuditTaskType::kOnDemand), "ON_DEMAND_AUDIT_TASK");
  EXPECT_EQ(ToString(AuditTaskType::kScheduled), "SCHEDULED_AUDIT_TASK");
  EXPECT_EQ(ToString(AuditCheckRunStatus::kCompletedNonCompliant), "COMPLETED_NON_COMPLIANT");
  EXPECT_EQ(ToString(MitigationActionType::kPublishFindingToSns), "PUBLISH_FINDING_TO_SNS");
  EXPECT_EQ(ToString(DayOfWeek::kSun), "SUN");
  EXPECT_EQ(ToString(AuditFrequency::kBiweekly), "BIWEEKLY");
}

TEST(AuditEnumsTest, ParsingIsExactAndCaseSensitive) {
  for (const char* bad : {"", "daily", "Daily", "DAILY ", "HOURLY"}) {
    auto r = ParseAuditFrequency(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  // The doc typo of the action type is not the API's name.
  EXPECT_FALSE(ParseMitigationActionType("PUBLISH_FINDINGS_TO_SNS").has_value());
  EXPECT_FALSE(ParseDayOfWeek("MONDAY").has_value());
}

// Each parser names the request member, as the API's error messages always have.
TEST(AuditEnumsTest, UnknownNameMessages) {
  auto as_int = [](auto r) -> Result<int> {
    if (!r) {
      return Fail(r.error());
    }
    return static_cast<int>(*r);
  };
  const std::pair<Result<int>, std::string_view> cases[] = {
      {as_int(ParseAuditTaskStatus("x")), "invalid taskStatus 'x'"},
      {as_int(ParseAuditTaskType("x")), "invalid taskType 'x'"},
      {as_int(ParseAuditCheckRunStatus("x")), "invalid checkRunStatus 'x'"},
      {as_int(ParseAuditFrequency("x")), "invalid frequency 'x'"},
      {as_int(ParseDayOfWeek("x")), "invalid dayOfWeek 'x'"},
      {as_int(ParseMitigationActionType("x")), "invalid actionType 'x'"},
      {as_int(ParseMitigationTaskStatus("x")), "invalid taskStatus 'x'"},
      {as_int(ParseMitigationExecutionStatus("x")), "invalid actionStatus 'x'"},
  };
  for (const auto& [result, message] : cases) {
    ASSERT_FALSE(result.has_value()) << message;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message, message);
  }
}

TEST(AuditChecksTest, SeventeenSortedCurrentNames) {
  auto names = AllAuditCheckNames();
  EXPECT_EQ(names.size(), 17u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (std::string_view name : names) {
    EXPECT_EQ(CanonicalCheckName(name), name);
    EXPECT_FALSE(CheckReasonCodes(name).empty()) << name;
  }
}

TEST(AuditChecksTest, LegacyNamesMapToCurrentOnes) {
  EXPECT_EQ(CanonicalCheckName("REVOKED_CA_CERT_CHECK"),
            "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK");
  EXPECT_EQ(CanonicalCheckName("DEVICE_CERT_APPROACHING_EXPIRATION_CHECK"),
            "DEVICE_CERTIFICATE_EXPIRING_CHECK");
  EXPECT_EQ(CanonicalCheckName("IOT_POLICY_UNRESTRICTED_CHECK"),
            "IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
  for (const char* bad : {"", "device_certificate_shared_check", "SHARED_CHECK", "X"}) {
    EXPECT_FALSE(CanonicalCheckName(bad).has_value()) << bad;
  }
}

TEST(AuditChecksTest, OnlyTheSharedCheckIsSupported) {
  for (std::string_view name : AllAuditCheckNames()) {
    EXPECT_EQ(IsSupportedCheck(name), name == kDeviceCertificateSharedCheck) << name;
  }
  ASSERT_EQ(CheckReasonCodes(kDeviceCertificateSharedCheck).size(), 1u);
  EXPECT_EQ(CheckReasonCodes(kDeviceCertificateSharedCheck)[0], kCertificateSharedReasonCode);
}

struct ActionCase {
  MitigationActionType type;
  const char* check;
  bool allowed;
};

TEST(AuditChecksTest, AwsTableOfActionsPerCheck) {
  const std::vector<ActionCase> cases = {
      {MitigationActionType::kUpdateDeviceCertificate, "DEVICE_CERTIFICATE_SHARED_CHECK", true},
      {MitigationActionType::kAddThingsToThingGroup, "DEVICE_CERTIFICATE_SHARED_CHECK", true},
      {MitigationActionType::kPublishFindingToSns, "DEVICE_CERTIFICATE_SHARED_CHECK", true},
      {MitigationActionType::kUpdateCaCertificate, "DEVICE_CERTIFICATE_SHARED_CHECK", false},
      {MitigationActionType::kEnableIotLogging, "DEVICE_CERTIFICATE_SHARED_CHECK", false},
      {MitigationActionType::kUpdateCaCertificate, "CA_CERTIFICATE_EXPIRING_CHECK", true},
      {MitigationActionType::kUpdateDeviceCertificate, "CA_CERTIFICATE_EXPIRING_CHECK", false},
      {MitigationActionType::kReplaceDefaultPolicyVersion, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
       true},
      {MitigationActionType::kEnableIotLogging, "LOGGING_DISABLED_CHECK", true},
      {MitigationActionType::kUpdateDeviceCertificate, "CONFLICTING_CLIENT_IDS_CHECK", false},
      {MitigationActionType::kPublishFindingToSns, "CONFLICTING_CLIENT_IDS_CHECK", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsActionAllowedForCheck(c.type, c.check), c.allowed)
        << ToString(c.type) << " on " << c.check;
  }
}

struct KeyCase {
  std::string cert;
  std::string client;
  std::string want;  // empty: kInvalidArgument
};

TEST(ResourceKeyTest, Table) {
  const std::string hex(64, 'a');
  const std::vector<KeyCase> cases = {
      {hex, "", "deviceCertificateId:" + hex},
      {std::string(64, 'A'), "", "deviceCertificateId:" + hex},
      {"0x" + hex, "", "deviceCertificateId:" + hex},
      {"", "thing-1", "clientId:thing-1"},
      {"", "", ""},
      {hex, "thing-1", ""},
      {std::string(63, 'a'), "", ""},
      {std::string(64, 'g'), "", ""},
      {"", std::string(129, 'c'), ""},
  };
  for (const auto& c : cases) {
    ResourceIdentifier id;
    id.device_certificate_id = c.cert;
    id.client_id = c.client;
    auto key = ResourceKey(id);
    if (c.want.empty()) {
      ASSERT_FALSE(key.has_value()) << c.cert << "/" << c.client;
      EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    } else {
      ASSERT_TRUE(key.has_value()) << key.error().ToString();
      EXPECT_EQ(*key, c.want);
    }
  }
}

struct NameCase {
  Result<void> (*validate)(std::string_view);
  std::string input;
  bool ok;
};

TEST(AuditNamesTest, Table) {
  const std::vector<NameCase> cases = {
      {ValidateScheduledAuditName, "daily_audit-1", true},
      {ValidateScheduledAuditName, "", false},
      {ValidateScheduledAuditName, std::string(128, 'a'), true},
      {ValidateScheduledAuditName, std::string(129, 'a'), false},
      {ValidateScheduledAuditName, "a b", false},
      {ValidateScheduledAuditName, "a:b", false},
      {ValidateMitigationActionName, "deactivate_cert", true},
      {ValidateMitigationActionName, "", false},
      {ValidateMitigationTaskId, "task_1-a", true},
      {ValidateMitigationTaskId, "task/1", false},
      {ValidateAuditTaskId, std::string(32, 'f'), true},
      {ValidateAuditTaskId, std::string(41, 'f'), false},
      {ValidateAuditTaskId, "a_b", false},
      {ValidateFindingId, "00000000-0000-4000-8000-000000000001", true},
      {ValidateFindingId, "a.b", false},
      {ValidateClientRequestToken, std::string(64, 't'), true},
      {ValidateClientRequestToken, std::string(65, 't'), false},
      {ValidateClientRequestToken, "", false},
      {ValidateAuditDescription, "ok, a description.", true},
      {ValidateAuditDescription, std::string(1001, 'd'), false},
      {ValidateAuditDescription, "tab\there", false},
  };
  for (const auto& c : cases) {
    auto r = c.validate(c.input);
    EXPECT_EQ(r.has_value(), c.ok) << "'" << c.input << "'";
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
  EXPECT_TRUE(ValidateRoleArn("roleArn", std::string(20, 'r')).has_value());
  EXPECT_FALSE(ValidateRoleArn("roleArn", std::string(19, 'r')).has_value());
  EXPECT_FALSE(ValidateRoleArn("roleArn", std::string(2049, 'r')).has_value());
}

TEST(MitigationActionParamsTest, ExactlyOneMemberDecidesTheType) {
  MitigationActionParams none;
  EXPECT_FALSE(ActionTypeOf(none).has_value());
  MitigationActionParams one;
  one.add_things_to_thing_group = AddThingsToThingGroupParams{{"g"}, std::nullopt};
  EXPECT_EQ(ActionTypeOf(one).value(), MitigationActionType::kAddThingsToThingGroup);
  MitigationActionParams two = one;
  two.publish_finding_to_sns = PublishFindingToSnsParams{"t"};
  EXPECT_FALSE(ActionTypeOf(two).has_value());
}

TEST(AuditTaskTest, StatisticsCountEveryRunStatus) {
  AuditTask task;
  task.checks["A"].run_status = AuditCheckRunStatus::kCompletedCompliant;
  task.checks["B"].run_status = AuditCheckRunStatus::kCompletedNonCompliant;
  task.checks["C"].run_status = AuditCheckRunStatus::kFailed;
  task.checks["D"].run_status = AuditCheckRunStatus::kCanceled;
  task.checks["E"].run_status = AuditCheckRunStatus::kInProgress;
  task.checks["F"].run_status = AuditCheckRunStatus::kWaitingForDataCollection;
  const AuditTaskStatistics want{6, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(ComputeTaskStatistics(task), want);
}

TEST(AuditArnTest, Formats) {
  EXPECT_EQ(ScheduledAuditArn("us-east-1", "111111111111", "daily"),
            "arn:aws:iot:us-east-1:111111111111:scheduledaudit/daily");
  EXPECT_EQ(MitigationActionArn("eu-west-1", "111111111111", "deact"),
            "arn:aws:iot:eu-west-1:111111111111:mitigationaction/deact");
}

TEST(RandomIdGeneratorTest, AwsShapedAndDistinct) {
  RandomIdGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string task = ids.NewAuditTaskId();
    EXPECT_EQ(task.size(), 32u);
    EXPECT_TRUE(ValidateAuditTaskId(task).has_value());
    EXPECT_TRUE(std::all_of(task.begin(), task.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }));
    const std::string uuid = ids.NewUuid();
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4');
    EXPECT_TRUE(ValidateFindingId(uuid).has_value());
    EXPECT_TRUE(seen.insert(task).second);
    EXPECT_TRUE(seen.insert(uuid).second);
  }
}

}  // namespace
}  // namespace fg::audit
