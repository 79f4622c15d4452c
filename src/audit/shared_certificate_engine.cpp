#include "audit/shared_certificate_engine.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace fg::audit {
namespace {

// State shared by the workers of one run. Only the source and the first error are shared; each
// worker keeps its own findings and counters, merged after all have joined.
class SharedRun {
 public:
  explicit SharedRun(SessionSource& source) : source_(source) {}

  // The next certificate, or nullopt when the source is exhausted or any worker saw an error.
  std::optional<CertificateSessions> Pull() {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.has_value() || exhausted_) {
      return std::nullopt;
    }
    auto next = source_.Next();
    if (!next) {
      error_ = std::move(next.error());
      return std::nullopt;
    }
    if (!next->has_value()) {
      exhausted_ = true;
      return std::nullopt;
    }
    return std::move(*next);
  }

  std::optional<Error> TakeError() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(error_);
  }

 private:
  std::mutex mu_;
  SessionSource& source_;       // guarded by mu_
  std::optional<Error> error_;  // guarded by mu_
  bool exhausted_ = false;      // guarded by mu_
};

struct WorkerOutput {
  std::vector<AuditFinding> findings;
  uint64_t certificates = 0;
  uint64_t sessions = 0;
};

void RunWorker(SharedRun& run, const AuditWindow& window, const SharedCheckOptions& options,
               WorkerOutput& out) {
  SharedCertificateEvaluator evaluator(window, options);
  while (std::optional<CertificateSessions> certificate = run.Pull()) {
    ++out.certificates;
    out.sessions += certificate->sessions.size();
    if (auto verdict = evaluator.Evaluate(*certificate)) {
      out.findings.push_back(ToAuditFinding(*verdict));
    }
  }
}

}  // namespace

Result<SharedCheckReport> RunSharedCertificateCheck(SessionSource& source,
                                                    const AuditWindow& window,
                                                    const SharedCheckOptions& options,
                                                    unsigned worker_count) {
  if (auto valid = ValidateSharedCheckOptions(options); !valid) {
    return Fail(valid.error());
  }
  if (worker_count < 1 || worker_count > kMaxAuditWorkers) {
    return Fail(ErrorCode::kInvalidArgument,
                "audit worker count must be between 1 and " + std::to_string(kMaxAuditWorkers));
  }
  SharedRun run(source);
  std::vector<WorkerOutput> outputs(worker_count);
  {
    std::vector<std::jthread> threads;
    threads.reserve(worker_count - 1);
    for (unsigned w = 1; w < worker_count; ++w) {
      // If the system refuses another thread, the workers already started (and this thread)
      // still drain the source; fewer threads only make the check slower.
      try {
        threads.emplace_back(
            [&run, &window, &options, &out = outputs[w]] { RunWorker(run, window, options, out); });
      } catch (const std::system_error&) {
        break;
      }
    }
    RunWorker(run, window, options, outputs[0]);
  }  // joins the workers
  if (std::optional<Error> error = run.TakeError()) {
    return Fail(std::move(*error));
  }
  SharedCheckReport report;
  for (WorkerOutput& out : outputs) {
    report.certificates_checked += out.certificates;
    report.sessions_checked += out.sessions;
    std::move(out.findings.begin(), out.findings.end(), std::back_inserter(report.findings));
  }
  std::sort(report.findings.begin(), report.findings.end(),
            [](const AuditFinding& a, const AuditFinding& b) {
              return a.non_compliant_resource.identifier.device_certificate_id <
                     b.non_compliant_resource.identifier.device_certificate_id;
            });
  return report;
}

}  // namespace fg::audit
