#pragma once

// The engine's seam over the connection log: a pull iterator that yields one certificate's
// sessions at a time, as a store scanning its sessions ordered by certificate id would. A store
// adapter, the synthetic generator and tests implement it.

#include <optional>
#include <vector>

#include "audit/session_interval.h"
#include "core/result.h"

namespace fg::audit {

class SessionSource {
 public:
  virtual ~SessionSource() = default;

  // The next certificate's sessions, or nullopt once the log is exhausted.
  // REQUIRES: each certificate is yielded in exactly one batch (a certificate split over two
  // batches would be judged as two certificates).
  // Errors (for example kUnavailable from a store) abort the audit check that is reading.
  // Thread-safety: the engine calls Next() from several threads but never concurrently, so an
  // implementation needs no locking of its own.
  virtual Result<std::optional<CertificateSessions>> Next() = 0;
};

// A source over certificates already in memory, yielded in the given order. For tests and for
// small logs.
class InMemorySessionSource final : public SessionSource {
 public:
  explicit InMemorySessionSource(std::vector<CertificateSessions> certificates);
  Result<std::optional<CertificateSessions>> Next() override;

 private:
  std::vector<CertificateSessions> certificates_;
  size_t next_ = 0;
};

}  // namespace fg::audit
