#pragma once

// The embedded SQLite implementation of the store interfaces (registry now; the connection
// log and audit stores will share the same file and connection).
//
// Thread-safety: one connection guarded by a mutex; Transact calls from any thread are
// serialized, and each holds the lock for the whole callback. Keep callbacks short and never
// call Transact from an I/O thread (ARCHITECTURE "Threads"). A dedicated writer thread comes
// with the connection log.
//
// Durability: WAL with synchronous=FULL, so once Transact returns a value the change survives
// kill -9 and power loss.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "registry/registry_store.h"
#include "store/sqlite/sqlite_connection.h"

namespace fg::store {

class SqliteStore final : public registry::RegistryStore {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory database)
  // and migrates it to the latest schema. kCorrupt if the file is not a fleetguard database
  // (garbage, another application's SQLite file, or a newer schema); kUnavailable if it
  // cannot be opened.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  // BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when `fn` fails (or throws).
  Result<void> Transact(const TxFn& fn) override;

 private:
  explicit SqliteStore(std::unique_ptr<SqliteConnection> conn) : conn_(std::move(conn)) {}

  std::mutex mu_;
  std::unique_ptr<SqliteConnection> conn_;  // guarded by mu_
  // The thread inside Transact, to refuse re-entry instead of deadlocking on mu_.
  std::atomic<std::thread::id> owner_{};
};

}  // namespace fg::store
