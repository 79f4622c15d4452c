#pragma once

// The wire forms shared by the audit handlers and by the notification targets (botocore model,
// reference §5): AuditFinding, RelatedResource, ResourceIdentifier, the audit-completion
// notification, and readers for the request members several audit operations take
// (resourceIdentifier, map members). nextToken/maxResults in a JSON body are in token_paging.h,
// MitigationActionParams in mitigation_params_wire.h.
//
// Pure functions. Readers never throw; every failure is kInvalidArgument
// (InvalidRequestException) with a message naming the member.

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/json_body.h"
#include "api/pagination.h"
#include "api/request_context.h"
#include "api/token_paging.h"
#include "audit/audit_enums.h"
#include "audit/audit_finding_record.h"
#include "audit/notification_publisher.h"
#include "core/result.h"
#include "registry/page.h"

namespace fg::api {

// ResourceIdentifier with only the member that is set.
boost::json::object ResourceIdentifierJson(const audit::ResourceIdentifier& identifier);

// NonCompliantResource / RelatedResource: {resourceType, resourceIdentifier, additionalInfo}.
// additionalInfo is omitted when empty, as AWS omits it.
boost::json::object AuditResourceJson(const audit::AuditResource& resource);

// AWS AuditFinding exactly (audit-semantics.md §2): findingId, taskId, checkName,
// taskStartTime, findingTime (epoch seconds), severity, nonCompliantResource, relatedResources
// (at most `max_related`, in stored order, newest session first), reasonForNonCompliance,
// reasonForNonComplianceCode, isSuppressed.
boost::json::object AuditFindingJson(const audit::AuditFindingRecord& record,
                                     size_t max_related = std::numeric_limits<size_t>::max());

// What a PUBLISH_FINDING_TO_SNS target receives: DescribeAuditFinding's body {"finding": ...}
// with every related resource, plus "mitigationActionsTaskId" and "actionName" naming the
// mitigation that published it.
boost::json::object FindingNotificationJson(const audit::FindingNotification& notification);

// AWS's audit-completion notification (schema arn:aws:iot:::schema:auditnotification/1.0):
// accountId, taskId, taskStatus, taskType, scheduledAuditName?, the five check counts,
// taskStartTime (epoch milliseconds, an integer) and auditDetails [{checkName, checkRunStatus,
// nonCompliantResourcesCount, suppressedNonCompliantResourcesCount, totalResourcesCount,
// errorCode?, message?}].
boost::json::object AuditCompletionJson(const audit::AuditCompletionNotification& notification);

// The ResourceIdentifier member `name` of `body` (required or optional). fleetguard's checks
// produce deviceCertificateId and clientId resources only; exactly one of those must be set
// (deviceCertificateId checked against CertificateId, clientId 1..128 characters). Any other
// ResourceIdentifier member is refused as not supported rather than silently ignored.
Result<audit::ResourceIdentifier> ReadResourceIdentifier(const JsonReader& body,
                                                         std::string_view name);
Result<std::optional<audit::ResourceIdentifier>> ReadOptResourceIdentifier(const JsonReader& body,
                                                                           std::string_view name);

// A map<string, list<string>> member (auditCheckToActionsMapping, auditCheckToReasonCodeFilter);
// nullopt when absent.
Result<std::optional<std::map<std::string, std::vector<std::string>>>> ReadStringListMap(
    const JsonReader& body, std::string_view name);

// A map<string, structure> member: each value as a reader; nullopt when absent. The readers
// refer into `body`'s object, which must outlive them.
Result<std::optional<std::map<std::string, JsonReader>>> ReadObjectMap(const JsonReader& body,
                                                                       std::string_view name);

// A required querystring timestamp (ListAuditTasks, ListAuditMitigationActionsTasks).
Result<TimePoint> RequiredQueryTimestamp(const RequestContext& ctx, std::string_view name);

// An optional audit enum filter as a page-scope value (PageScope::Add).
template <typename E>
std::optional<std::string> EnumScopeValue(const std::optional<E>& value) {
  return value ? std::optional<std::string>(audit::ToString(*value)) : std::nullopt;
}

}  // namespace fg::api
