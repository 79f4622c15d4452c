#pragma once

// The embedded SQLite implementation of the store interfaces: the registry, the connection log
// and the audit state share one file and one connection.
//
// Thread-safety: one connection guarded by a mutex; every call from any thread is serialized,
// and a Transact holds the lock for the whole callback. Keep callbacks short and never call the
// store from an I/O thread (ARCHITECTURE "Threads"); the gateway's ConnectionLogWriter thread
// is the connection log's only writer. Calling the store from inside a Transact callback is
// refused with kInternal instead of deadlocking.
//
// Durability: WAL with synchronous=FULL, so once Transact returns a value the change survives
// kill -9 and power loss.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/audit_store.h"
#include "core/result.h"
#include "registry/connection_log.h"
#include "registry/registry_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace fg::store {

// A session row with the store's integer id (the `seq` column) beside the UUID. The audit uses
// row_id as SessionInterval::session_id: registry::SessionRecord has no field for it. Row ids are
// positive, assigned in insertion order and never reused, even after rows are deleted.
struct SessionRow {
  int64_t row_id = 0;
  registry::SessionRecord session;
  bool operator==(const SessionRow&) const = default;
};

class SqliteStore final : public registry::RegistryStore,
                          public registry::ConnectionLogStore,
                          public audit::AuditStore {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory database)
  // and migrates it to the latest schema. kCorrupt if the file is not a fleetguard database
  // (garbage, another application's SQLite file, or a newer schema); kUnavailable if it
  // cannot be opened.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  // BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when `fn` fails (or throws). Both overloads share
  // the lock and the re-entry check, so a registry callback cannot open an audit transaction
  // (or the reverse); both get kInternal instead.
  Result<void> Transact(const registry::RegistryStore::TxFn& fn) override;
  // audit::AuditStore (sqlite_audit_*_rows.cpp, sqlite_mitigation_rows.cpp).
  Result<void> Transact(const audit::AuditStore::TxFn& fn) override;

  // registry::ConnectionLogStore (sqlite_connection_log.cpp). AppendBatch is one BEGIN
  // IMMEDIATE transaction; a failure part-way rolls back every event of the batch.
  Result<void> AppendBatch(std::span<const registry::ConnectionLogEvent> events) override;
  Result<void> Heartbeat(std::string_view node_id, TimePoint at) override;
  Result<int64_t> CloseOrphanedSessions(std::string_view node_id) override;
  Result<std::vector<registry::SessionRecord>> ListSessions(
      const registry::SessionQuery& query) override;
  Result<std::vector<registry::RefusedConnection>> ListRefused(
      const registry::RefusedQuery& query) override;

  // ListSessions with each session's row id: same filter, order, cursor, limit and errors.
  // The query is a range scan of the index sessions_by_certificate.
  Result<std::vector<SessionRow>> ListSessionRows(const registry::SessionQuery& query);
  // The row id of a session UUID; nullopt if the session is unknown.
  Result<std::optional<int64_t>> FindSessionRowId(std::string_view session_id);

 private:
  using ConnFn = std::function<Result<void>(SqliteConnection&)>;

  explicit SqliteStore(std::unique_ptr<SqliteConnection> conn) : conn_(std::move(conn)) {}

  // Runs `fn` under the lock, inside BEGIN IMMEDIATE ... COMMIT (rolled back when `fn` fails
  // or throws). kInternal when called from inside another call on this thread.
  Result<void> InTransaction(const ConnFn& fn);
  // Runs `fn` under the lock without an explicit transaction: for single read statements,
  // which SQLite runs in their own read transaction.
  Result<void> Locked(const ConnFn& fn);

  std::mutex mu_;
  std::unique_ptr<SqliteConnection> conn_;  // guarded by mu_
  // The thread inside Transact, to refuse re-entry instead of deadlocking on mu_.
  std::atomic<std::thread::id> owner_{};
};

}  // namespace fg::store
