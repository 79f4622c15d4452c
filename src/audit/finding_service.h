#pragma once

// AWS ListAuditFindings / DescribeAuditFinding / ListRelatedResourcesForAuditFinding. Every
// call names the calling account and sees only its findings. Thread-safe if the store is.

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_finding_record.h"
#include "audit/audit_store.h"
#include "core/result.h"

namespace fg::audit {

// ListAuditFindings' filters. `task_id` and the time range exclude each other (AWS: "either
// taskId or startTime and endTime, never both"); with neither, every retained finding is
// listed. `list_suppressed` unset lists both kinds (AWS's default).
struct ListFindingsRequest {
  std::optional<std::string> task_id;
  std::optional<TimePoint> start;
  std::optional<TimePoint> end;
  std::optional<std::string> check_name;
  std::optional<ResourceIdentifier> resource;
  std::optional<bool> list_suppressed;
};

class FindingService {
 public:
  // AWS: DescribeAuditFinding returns at most 10 related resources; the rest are reached with
  // ListRelatedResourcesForAuditFinding.
  static constexpr size_t kMaxDescribedRelatedResources = 10;

  explicit FindingService(AuditStore& store) : store_(store) {}

  // Ordered by (finding time, finding id). kInvalidArgument for a task id together with a time
  // range, only one of startTime/endTime, endTime before startTime, an unknown check name, a
  // malformed task id or resource identifier, or a bad page request.
  Result<Page<AuditFindingRecord>> List(std::string_view account_id,
                                        const ListFindingsRequest& request,
                                        const PageRequest& page);

  // The finding with at most 10 related resources. kInvalidArgument for a malformed id;
  // kNotFound if there is no such finding (or it was purged after 90 days).
  Result<AuditFindingRecord> Describe(std::string_view account_id, std::string_view finding_id);

  // Every related resource of the finding, in the finding's order (newest session first).
  // Errors as Describe, plus kInvalidArgument for a bad page request or cursor.
  Result<Page<AuditResource>> ListRelatedResources(std::string_view account_id,
                                                   std::string_view finding_id,
                                                   const PageRequest& page);

 private:
  Result<AuditFindingRecord> Find(std::string_view account_id, std::string_view finding_id);

  AuditStore& store_;
};

}  // namespace fg::audit
