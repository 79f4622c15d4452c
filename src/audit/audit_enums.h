#pragma once

// The audit domain's enumerations and their AWS wire names (botocore iot 2015-05-28,
// aws-iot-api.md section 3). ToString returns the exact wire name; Parse* accepts exactly the
// wire name (case-sensitive, as AWS does) and returns kInvalidArgument naming the rejected value.

#include <string_view>

#include "core/result.h"

namespace fg::audit {

enum class AuditTaskStatus { kInProgress, kCompleted, kFailed, kCanceled };

enum class AuditTaskType { kOnDemand, kScheduled };

enum class AuditCheckRunStatus {
  kInProgress,
  kWaitingForDataCollection,
  kCanceled,
  kCompletedCompliant,
  kCompletedNonCompliant,
  kFailed,
};

enum class AuditFrequency { kDaily, kWeekly, kBiweekly, kMonthly };

// Numbered as std::chrono::weekday::c_encoding() (Sunday = 0).
enum class DayOfWeek { kSun, kMon, kTue, kWed, kThu, kFri, kSat };

enum class MitigationActionType {
  kUpdateDeviceCertificate,
  kUpdateCaCertificate,
  kAddThingsToThingGroup,
  kReplaceDefaultPolicyVersion,
  kEnableIotLogging,
  kPublishFindingToSns,
};

// AuditMitigationActionsTaskStatus.
enum class MitigationTaskStatus { kInProgress, kCompleted, kFailed, kCanceled };

// AuditMitigationActionsExecutionStatus: one per (finding, action) of a mitigation task.
enum class MitigationExecutionStatus {
  kInProgress,
  kCompleted,
  kFailed,
  kCanceled,
  kSkipped,
  kPending,
};

std::string_view ToString(AuditTaskStatus v);
std::string_view ToString(AuditTaskType v);
std::string_view ToString(AuditCheckRunStatus v);
std::string_view ToString(AuditFrequency v);
std::string_view ToString(DayOfWeek v);
std::string_view ToString(MitigationActionType v);
std::string_view ToString(MitigationTaskStatus v);
std::string_view ToString(MitigationExecutionStatus v);

Result<AuditTaskStatus> ParseAuditTaskStatus(std::string_view s);
Result<AuditTaskType> ParseAuditTaskType(std::string_view s);
Result<AuditCheckRunStatus> ParseAuditCheckRunStatus(std::string_view s);
Result<AuditFrequency> ParseAuditFrequency(std::string_view s);
Result<DayOfWeek> ParseDayOfWeek(std::string_view s);
Result<MitigationActionType> ParseMitigationActionType(std::string_view s);
Result<MitigationTaskStatus> ParseMitigationTaskStatus(std::string_view s);
Result<MitigationExecutionStatus> ParseMitigationExecutionStatus(std::string_view s);

}  // namespace fg::audit
