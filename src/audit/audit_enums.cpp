#include "audit/audit_enums.h"

#include "core/name_table.h"

namespace fg::audit {
namespace {

constexpr NameTable<AuditTaskStatus, 4> kTaskStatus{
    "taskStatus",
    {{
        {AuditTaskStatus::kInProgress, "IN_PROGRESS"},
        {AuditTaskStatus::kCompleted, "COMPLETED"},
        {AuditTaskStatus::kFailed, "FAILED"},
        {AuditTaskStatus::kCanceled, "CANCELED"},
    }}};
constexpr NameTable<AuditTaskType, 2> kTaskType{
    "taskType",
    {{
        {AuditTaskType::kOnDemand, "ON_DEMAND_AUDIT_TASK"},
        {AuditTaskType::kScheduled, "SCHEDULED_AUDIT_TASK"},
    }}};
constexpr NameTable<AuditCheckRunStatus, 6> kCheckRunStatus{
    "checkRunStatus",
    {{
        {AuditCheckRunStatus::kInProgress, "IN_PROGRESS"},
        {AuditCheckRunStatus::kWaitingForDataCollection, "WAITING_FOR_DATA_COLLECTION"},
        {AuditCheckRunStatus::kCanceled, "CANCELED"},
        {AuditCheckRunStatus::kCompletedCompliant, "COMPLETED_COMPLIANT"},
        {AuditCheckRunStatus::kCompletedNonCompliant, "COMPLETED_NON_COMPLIANT"},
        {AuditCheckRunStatus::kFailed, "FAILED"},
    }}};
constexpr NameTable<AuditFrequency, 4> kFrequency{"frequency",
                                                  {{
                                                      {AuditFrequency::kDaily, "DAILY"},
                                                      {AuditFrequency::kWeekly, "WEEKLY"},
                                                      {AuditFrequency::kBiweekly, "BIWEEKLY"},
                                                      {AuditFrequency::kMonthly, "MONTHLY"},
                                                  }}};
constexpr NameTable<DayOfWeek, 7> kDayOfWeek{"dayOfWeek",
                                             {{
                                                 {DayOfWeek::kSun, "SUN"},
                                                 {DayOfWeek::kMon, "MON"},
                                                 {DayOfWeek::kTue, "TUE"},
                                                 {DayOfWeek::kWed, "WED"},
                                                 {DayOfWeek::kThu, "THU"},
                                                 {DayOfWeek::kFri, "FRI"},
                                                 {DayOfWeek::kSat, "SAT"},
                                             }}};
constexpr NameTable<MitigationActionType, 6> kActionType{
    "actionType",
    {{
        {MitigationActionType::kUpdateDeviceCertificate, "UPDATE_DEVICE_CERTIFICATE"},
        {MitigationActionType::kUpdateCaCertificate, "UPDATE_CA_CERTIFICATE"},
        {MitigationActionType::kAddThingsToThingGroup, "ADD_THINGS_TO_THING_GROUP"},
        {MitigationActionType::kReplaceDefaultPolicyVersion, "REPLACE_DEFAULT_POLICY_VERSION"},
        {MitigationActionType::kEnableIotLogging, "ENABLE_IOT_LOGGING"},
        {MitigationActionType::kPublishFindingToSns, "PUBLISH_FINDING_TO_SNS"},
    }}};
constexpr NameTable<MitigationTaskStatus, 4> kMitigationTaskStatus{
    "taskStatus",
    {{
        {MitigationTaskStatus::kInProgress, "IN_PROGRESS"},
        {MitigationTaskStatus::kCompleted, "COMPLETED"},
        {MitigationTaskStatus::kFailed, "FAILED"},
        {MitigationTaskStatus::kCanceled, "CANCELED"},
    }}};
constexpr NameTable<MitigationExecutionStatus, 6> kExecutionStatus{
    "actionStatus",
    {{
        {MitigationExecutionStatus::kInProgress, "IN_PROGRESS"},
        {MitigationExecutionStatus::kCompleted, "COMPLETED"},
        {MitigationExecutionStatus::kFailed, "FAILED"},
        {MitigationExecutionStatus::kCanceled, "CANCELED"},
        {MitigationExecutionStatus::kSkipped, "SKIPPED"},
        {MitigationExecutionStatus::kPending, "PENDING"},
    }}};

}  // namespace

std::string_view ToString(AuditTaskStatus v) { return kTaskStatus.Name(v); }
std::string_view ToString(AuditTaskType v) { return kTaskType.Name(v); }
std::string_view ToString(AuditCheckRunStatus v) { return kCheckRunStatus.Name(v); }
std::string_view ToString(AuditFrequency v) { return kFrequency.Name(v); }
std::string_view ToString(DayOfWeek v) { return kDayOfWeek.Name(v); }
std::string_view ToString(MitigationActionType v) { return kActionType.Name(v); }
std::string_view ToString(MitigationTaskStatus v) { return kMitigationTaskStatus.Name(v); }
std::string_view ToString(MitigationExecutionStatus v) { return kExecutionStatus.Name(v); }

Result<AuditTaskStatus> ParseAuditTaskStatus(std::string_view s) { return kTaskStatus.Parse(s); }
Result<AuditTaskType> ParseAuditTaskType(std::string_view s) { return kTaskType.Parse(s); }
Result<AuditCheckRunStatus> ParseAuditCheckRunStatus(std::string_view s) {
  return kCheckRunStatus.Parse(s);
}
Result<AuditFrequency> ParseAuditFrequency(std::string_view s) { return kFrequency.Parse(s); }
Result<DayOfWeek> ParseDayOfWeek(std::string_view s) { return kDayOfWeek.Parse(s); }
Result<MitigationActionType> ParseMitigationActionType(std::string_view s) {
  return kActionType.Parse(s);
}
Result<MitigationTaskStatus> ParseMitigationTaskStatus(std::string_view s) {
  return kMitigationTaskStatus.Parse(s);
}
Result<MitigationExecutionStatus> ParseMitigationExecutionStatus(std::string_view s) {
  return kExecutionStatus.Parse(s);
}

}  // namespace fg::audit
