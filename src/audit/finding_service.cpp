#include "audit/finding_service.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "audit/audit_checks.h"
#include "audit/audit_names.h"

namespace fg::audit {
namespace {

// Related resources are paged by position; a zero-padded position sorts as a name does.
std::string PositionKey(size_t index) {
  std::string digits = std::to_string(index);
  return std::string(10 - std::min<size_t>(10, digits.size()), '0') + digits;
}

}  // namespace

Result<Page<AuditFindingRecord>> FindingService::List(std::string_view account_id,
                                                      const ListFindingsRequest& request,
                                                      const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  FindingQuery query;
  if (request.task_id) {
    if (request.start || request.end) {
      return Fail(ErrorCode::kInvalidArgument,
                  "specify either taskId or startTime and endTime, not both");
    }
    if (auto r = ValidateAuditTaskId(*request.task_id); !r) {
      return Fail(r.error());
    }
    query.task_id = request.task_id;
  }
  if (request.start.has_value() != request.end.has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "startTime and endTime must be given together");
  }
  if (request.start && *request.end < *request.start) {
    return Fail(ErrorCode::kInvalidArgument, "endTime must not be before startTime");
  }
  query.start = request.start;
  query.end = request.end;
  if (request.check_name) {
    auto canonical = CanonicalCheckName(*request.check_name);
    if (!canonical) {
      return Fail(ErrorCode::kInvalidArgument, "unknown audit check name");
    }
    query.check_name = std::string(*canonical);
  }
  if (request.resource) {
    auto key = ResourceKey(*request.resource);
    if (!key) {
      return Fail(key.error());
    }
    query.resource_key = std::move(*key);
  }
  query.suppressed = request.list_suppressed;
  return TransactValue<Page<AuditFindingRecord>>(
      store_, [&](AuditTx& tx) { return tx.ListFindings(account_id, query, page); });
}

Result<AuditFindingRecord> FindingService::Find(std::string_view account_id,
                                                std::string_view finding_id) {
  if (auto r = ValidateFindingId(finding_id); !r) {
    return Fail(r.error());
  }
  return TransactValue<AuditFindingRecord>(store_, [&](AuditTx& tx) -> Result<AuditFindingRecord> {
    auto found = tx.FindFinding(account_id, finding_id);
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(ErrorCode::kNotFound,
                  "audit finding " + std::string(finding_id) + " does not exist");
    }
    return std::move(**found);
  });
}

Result<AuditFindingRecord> FindingService::Describe(std::string_view account_id,
                                                    std::string_view finding_id) {
  auto finding = Find(account_id, finding_id);
  if (finding && finding->finding.related_resources.size() > kMaxDescribedRelatedResources) {
    finding->finding.related_resources.resize(kMaxDescribedRelatedResources);
  }
  return finding;
}

Result<Page<AuditResource>> FindingService::ListRelatedResources(std::string_view account_id,
                                                                 std::string_view finding_id,
                                                                 const PageRequest& page) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto finding = Find(account_id, finding_id);
  if (!finding) {
    return Fail(finding.error());
  }
  std::vector<std::pair<std::string, AuditResource>> keyed;
  auto& related = finding->finding.related_resources;
  keyed.reserve(related.size());
  for (size_t i = 0; i < related.size(); ++i) {
    keyed.emplace_back(PositionKey(i), std::move(related[i]));
  }
  auto paged = registry::PaginateByName(std::move(keyed), page,
                                        [](const auto& entry) { return entry.first; });
  if (!paged) {
    return Fail(paged.error());
  }
  Page<AuditResource> out;
  out.next_cursor = std::move(paged->next_cursor);
  for (auto& entry : paged->items) {
    out.items.push_back(std::move(entry.second));
  }
  return out;
}

}  // namespace fg::audit
