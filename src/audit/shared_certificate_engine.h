#pragma once

// Runs DEVICE_CERTIFICATE_SHARED_CHECK over a whole connection log: pulls one certificate at a
// time from a SessionSource and evaluates certificates in parallel on a fixed number of workers.
// Memory is bounded by (workers x the largest certificate's sessions) plus the findings; it does
// not grow with the log.

#include <cstdint>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/audit_window.h"
#include "audit/session_source.h"
#include "audit/shared_certificate_check.h"
#include "core/result.h"

namespace fg::audit {

// A bound that no two-core or many-core host needs to exceed; more threads only contend on the
// source.
inline constexpr unsigned kMaxAuditWorkers = 64;

struct SharedCheckReport {
  // One finding per non-compliant certificate, ordered by ascending certificate id, so that the
  // result does not depend on the number of workers or on scheduling.
  std::vector<AuditFinding> findings;
  // Certificates the source yielded (AWS's totalResourcesCount for this check).
  uint64_t certificates_checked = 0;
  uint64_t sessions_checked = 0;
};

// Runs the check. With worker_count == 1 everything runs on the calling thread; otherwise the
// calling thread and worker_count - 1 threads started here pull from `source`, serialised by a
// mutex, and evaluate outside it. Blocks until the source is exhausted or fails.
// Errors: kInvalidArgument for invalid options or a worker_count outside [1, kMaxAuditWorkers];
// the source's first error, after which no further certificate is pulled.
Result<SharedCheckReport> RunSharedCertificateCheck(SessionSource& source,
                                                    const AuditWindow& window,
                                                    const SharedCheckOptions& options,
                                                    unsigned worker_count);

}  // namespace fg::audit
