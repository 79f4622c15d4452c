#include "audit/audit_enums.h"

#include <array>
#include <string>
#include <utility>

namespace fg::audit {
namespace {

// One table per enum, indexed by the enumerator's value, so that ToString and Parse cannot
// disagree.
template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<AuditTaskStatus, 4> kTaskStatus{{
    {AuditTaskStatus::kInProgress, "IN_PROGRESS"},
    {AuditTaskStatus::kCompleted, "COMPLETED"},
    {AuditTaskStatus::kFailed, "FAILED"},
    {AuditTaskStatus::kCanceled, "CANCELED"},
}};
constexpr NameTable<AuditTaskType, 2> kTaskType{{
    {AuditTaskType::kOnDemand, "ON_DEMAND_AUDIT_TASK"},
    {AuditTaskType::kScheduled, "SCHEDULED_AUDIT_TASK"},
}};
constexpr NameTable<AuditCheckRunStatus, 6> kCheckRunStatus{{
    {AuditCheckRunStatus::kInProgress, "IN_PROGRESS"},
    {AuditCheckRunStatus::kWaitingForDataCollection, "WAITING_FOR_DATA_COLLECTION"},
    {AuditCheckRunStatus::kCanceled, "CANCELED"},
    {AuditCheckRunStatus::kCompletedCompliant, "COMPLETED_COMPLIANT"},
    {AuditCheckRunStatus::kCompletedNonCompliant, "COMPLETED_NON_COMPLIANT"},
    {AuditCheckRunStatus::kFailed, "FAILED"},
}};
constexpr NameTable<AuditFrequency, 4> kFrequency{{
    {AuditFrequency::kDaily, "DAILY"},
    {AuditFrequency::kWeekly, "WEEKLY"},
    {AuditFrequency::kBiweekly, "BIWEEKLY"},
    {AuditFrequency::kMonthly, "MONTHLY"},
}};
constexpr NameTable<DayOfWeek, 7> kDayOfWeek{{
    {DayOfWeek::kSun, "SUN"},
    {DayOfWeek::kMon, "MON"},
    {DayOfWeek::kTue, "TUE"},
    {DayOfWeek::kWed, "WED"},
    {DayOfWeek::kThu, "THU"},
    {DayOfWeek::kFri, "FRI"},
    {DayOfWeek::kSat, "SAT"},
}};
constexpr NameTable<MitigationActionType, 6> kActionType{{
    {MitigationActionType::kUpdateDeviceCertificate, "UPDATE_DEVICE_CERTIFICATE"},
    {MitigationActionType::kUpdateCaCertificate, "UPDATE_CA_CERTIFICATE"},
    {MitigationActionType::kAddThingsToThingGroup, "ADD_THINGS_TO_THING_GROUP"},
    {MitigationActionType::kReplaceDefaultPolicyVersion, "REPLACE_DEFAULT_POLICY_VERSION"},
    {MitigationActionType::kEnableIotLogging, "ENABLE_IOT_LOGGING"},
    {MitigationActionType::kPublishFindingToSns, "PUBLISH_FINDING_TO_SNS"},
}};
constexpr NameTable<MitigationTaskStatus, 4> kMitigationTaskStatus{{
    {MitigationTaskStatus::kInProgress, "IN_PROGRESS"},
    {MitigationTaskStatus::kCompleted, "COMPLETED"},
    {MitigationTaskStatus::kFailed, "FAILED"},
    {MitigationTaskStatus::kCanceled, "CANCELED"},
}};
constexpr NameTable<MitigationExecutionStatus, 6> kExecutionStatus{{
    {MitigationExecutionStatus::kInProgress, "IN_PROGRESS"},
    {MitigationExecutionStatus::kCompleted, "COMPLETED"},
    {MitigationExecutionStatus::kFailed, "FAILED"},
    {MitigationExecutionStatus::kCanceled, "CANCELED"},
    {MitigationExecutionStatus::kSkipped, "SKIPPED"},
    {MitigationExecutionStatus::kPending, "PENDING"},
}};

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) {
      return name;
    }
  }
  return "UNKNOWN";
}

template <typename E, size_t N>
Result<E> ParseName(const NameTable<E, N>& table, std::string_view what, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) {
      return value;
    }
  }
  std::string message = "invalid ";
  message += what;
  message += " '";
  // Echo only a short prefix of untrusted input.
  message += s.substr(0, 64);
  message += "'";
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::string_view ToString(AuditTaskStatus v) { return NameOf(kTaskStatus, v); }
std::string_view ToString(AuditTaskType v) { return NameOf(kTaskType, v); }
std::string_view ToString(AuditCheckRunStatus v) { return NameOf(kCheckRunStatus, v); }
std::string_view ToString(AuditFrequency v) { return NameOf(kFrequency, v); }
std::string_view ToString(DayOfWeek v) { return NameOf(kDayOfWeek, v); }
std::string_view ToString(MitigationActionType v) { return NameOf(kActionType, v); }
std::string_view ToString(MitigationTaskStatus v) { return NameOf(kMitigationTaskStatus, v); }
std::string_view ToString(MitigationExecutionStatus v) { return NameOf(kExecutionStatus, v); }

Result<AuditTaskStatus> ParseAuditTaskStatus(std::string_view s) {
  return ParseName(kTaskStatus, "taskStatus", s);
}
Result<AuditTaskType> ParseAuditTaskType(std::string_view s) {
  return ParseName(kTaskType, "taskType", s);
}
Result<AuditCheckRunStatus> ParseAuditCheckRunStatus(std::string_view s) {
  return ParseName(kCheckRunStatus, "checkRunStatus", s);
}
Result<AuditFrequency> ParseAuditFrequency(std::string_view s) {
  return ParseName(kFrequency, "frequency", s);
}
Result<DayOfWeek> ParseDayOfWeek(std::string_view s) {
  return ParseName(kDayOfWeek, "dayOfWeek", s);
}
Result<MitigationActionType> ParseMitigationActionType(std::string_view s) {
  return ParseName(kActionType, "actionType", s);
}
Result<MitigationTaskStatus> ParseMitigationTaskStatus(std::string_view s) {
  return ParseName(kMitigationTaskStatus, "taskStatus", s);
}
Result<MitigationExecutionStatus> ParseMitigationExecutionStatus(std::string_view s) {
  return ParseName(kExecutionStatus, "actionStatus", s);
}

}  // namespace fg::audit
