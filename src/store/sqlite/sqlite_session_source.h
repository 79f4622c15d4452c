#pragma once

// The audit engine's view of SqliteStore's connection log: an audit::SessionSource that yields
// one certificate's sessions at a time for one account and window, in certificate-id order, and
// the SessionSourceFactory the audit runner opens it through.
//
// Memory is bounded by one page of rows plus the largest certificate's sessions: the source
// pages through the index sessions_by_certificate with a keyset cursor (ListSessionRows) and
// never loads the whole log. Each page is its own read, so rows written between pages may or
// may not be seen, but no row is yielded twice and a certificate is never split across
// batches: a certificate whose rows straddle pages is held back until its last row is read.
//
// SessionInterval::session_id is the store's row id (SessionRow::row_id), not the UUID.
//
// Lifetime: `store` must outlive every source and factory made from it. Thread-safety: a source
// is used by one audit at a time (SessionSource's contract); the factory may be shared.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_window.h"
#include "audit/session_source.h"
#include "audit/session_source_factory.h"
#include "core/result.h"
#include "registry/connection_log.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::store {

inline constexpr size_t kDefaultSessionPageSize = 500;

class SqliteSessionSource final : public audit::SessionSource {
 public:
  // Sessions of `account_id` overlapping the half-open `window`; an empty window yields none.
  // REQUIRES: page_size > 0.
  SqliteSessionSource(SqliteStore& store, std::string account_id, const audit::AuditWindow& window,
                      size_t page_size = kDefaultSessionPageSize);

  // Errors are the store's (kUnavailable, kCorrupt, kInternal); after one, the source stays
  // failed and returns it again.
  Result<std::optional<audit::CertificateSessions>> Next() override;

  // Pages read so far; lets tests check that the source streams.
  size_t pages_read() const { return pages_read_; }

 private:
  Result<void> FetchPage();

  SqliteStore& store_;
  registry::SessionQuery query_;
  std::vector<SessionRow> page_;
  size_t position_ = 0;
  bool exhausted_ = false;
  std::optional<Error> failed_;
  std::optional<audit::CertificateSessions> current_;
  size_t pages_read_ = 0;
};

class SqliteSessionSourceFactory final : public audit::SessionSourceFactory {
 public:
  explicit SqliteSessionSourceFactory(SqliteStore& store,
                                      size_t page_size = kDefaultSessionPageSize)
      : store_(store), page_size_(page_size) {}

  // Never fails: the first read happens on the source's first Next().
  Result<std::unique_ptr<audit::SessionSource>> Open(std::string_view account_id,
                                                     const audit::AuditWindow& window) override;

 private:
  SqliteStore& store_;
  size_t page_size_;
};

}  // namespace fg::store
