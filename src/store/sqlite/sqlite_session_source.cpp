#include "store/sqlite/sqlite_session_source.h"

#include <chrono>
#include <utility>

namespace fg::store {
namespace {

audit::SessionInterval ToInterval(const SessionRow& row) {
  const registry::SessionRecord& s = row.session;
  audit::SessionInterval out;
  // Row ids come from an INTEGER PRIMARY KEY AUTOINCREMENT and start at 1.
  out.session_id = static_cast<uint64_t>(row.row_id);
  out.client_id = s.client_id;
  out.source_ip = s.source_ip;
  out.connect_ms = ToEpochMillis(s.connect_time);
  out.last_packet_ms = ToEpochMillis(s.last_packet_time);
  if (s.disconnect_time) {
    out.disconnect_ms = ToEpochMillis(*s.disconnect_time);
  }
  out.disconnect_reason = s.disconnect_reason;
  return out;
}

}  // namespace

SqliteSessionSource::SqliteSessionSource(SqliteStore& store, std::string account_id,
                                         const audit::AuditWindow& window, size_t page_size)
    : store_(store) {
  query_.account_id = std::move(account_id);
  query_.window_start = window.start;
  // The store's window is inclusive at both ends and time has millisecond resolution, so
  // [start, end) is [start, end - 1ms]. An empty window would be an inverted query.
  query_.window_end = window.end - std::chrono::milliseconds(1);
  query_.limit = page_size;
  exhausted_ = window.empty();
}

Result<void> SqliteSessionSource::FetchPage() {
  auto rows = store_.ListSessionRows(query_);
  if (!rows) {
    return Fail(rows.error());
  }
  ++pages_read_;
  page_ = std::move(*rows);
  position_ = 0;
  if (page_.size() < query_.limit) {
    exhausted_ = true;
  }
  if (!page_.empty()) {
    const registry::SessionRecord& last = page_.back().session;
    query_.after = registry::SessionCursor{last.certificate_id, last.connect_time, last.session_id};
  }
  return Ok();
}

Result<std::optional<audit::CertificateSessions>> SqliteSessionSource::Next() {
  if (failed_) {
    return Fail(*failed_);
  }
  while (true) {
    if (position_ == page_.size()) {
      if (exhausted_) {
        return std::exchange(current_, std::nullopt);
      }
      if (auto r = FetchPage(); !r) {
        failed_ = r.error();
        return Fail(r.error());
      }
      continue;
    }
    const SessionRow& row = page_[position_];
    if (current_ && current_->certificate_id != row.session.certificate_id) {
      return std::exchange(current_, std::nullopt);
    }
    if (!current_) {
      current_ = audit::CertificateSessions{row.session.certificate_id, {}};
    }
    current_->sessions.push_back(ToInterval(row));
    ++position_;
  }
}

Result<std::unique_ptr<audit::SessionSource>> SqliteSessionSourceFactory::Open(
    std::string_view account_id, const audit::AuditWindow& window) {
  return std::unique_ptr<audit::SessionSource>(
      std::make_unique<SqliteSessionSource>(store_, std::string(account_id), window, page_size_));
}

}  // namespace fg::store
