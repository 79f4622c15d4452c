#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_audit_tx.h"
#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_schema.h"

namespace fg::store {
namespace {

// Rolls back unless committed, so a failing or throwing callback never leaves the connection
// inside a transaction.
class TxGuard {
 public:
  explicit TxGuard(SqliteConnection& conn) : conn_(conn) {}
  ~TxGuard() {
    if (!done_) {
      // A failed ROLLBACK means SQLite already rolled back (e.g. after an I/O error).
      (void)conn_.Exec("ROLLBACK");
    }
  }
  TxGuard(const TxGuard&) = delete;
  TxGuard& operator=(const TxGuard&) = delete;

  Result<void> Commit() {
    auto r = conn_.Exec("COMMIT");
    done_ = r.has_value();
    return r;
  }

 private:
  SqliteConnection& conn_;
  bool done_ = false;
};

class OwnerMark {
 public:
  explicit OwnerMark(std::atomic<std::thread::id>& owner) : owner_(owner) {
    owner_.store(std::this_thread::get_id());
  }
  ~OwnerMark() { owner_.store(std::thread::id()); }
  OwnerMark(const OwnerMark&) = delete;
  OwnerMark& operator=(const OwnerMark&) = delete;

 private:
  std::atomic<std::thread::id>& owner_;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto conn = SqliteConnection::Open(path);
  if (!conn) {
    return Fail(conn.error());
  }
  if (auto r = MigrateSchema(**conn); !r) {
    return Fail(r.error());
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*conn)));
}

Result<void> SqliteStore::Transact(const registry::RegistryStore::TxFn& fn) {
  return InTransaction([&](SqliteConnection& conn) -> Result<void> {
    SqliteRegistryTx tx(conn);
    return fn(tx);
  });
}

Result<void> SqliteStore::Transact(const audit::AuditStore::TxFn& fn) {
  return InTransaction([&](SqliteConnection& conn) -> Result<void> {
    SqliteAuditTx tx(conn);
    return fn(tx);
  });
}

Result<void> SqliteStore::InTransaction(const ConnFn& fn) {
  if (owner_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "nested call into SqliteStore inside a transaction");
  }
  std::lock_guard<std::mutex> lock(mu_);
  OwnerMark mark(owner_);
  if (auto r = conn_->Exec("BEGIN IMMEDIATE"); !r) {
    return r;
  }
  TxGuard guard(*conn_);
  if (auto r = fn(*conn_); !r) {
    return r;
  }
  return guard.Commit();
}

Result<void> SqliteStore::Locked(const ConnFn& fn) {
  if (owner_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "nested call into SqliteStore inside a transaction");
  }
  std::lock_guard<std::mutex> lock(mu_);
  OwnerMark mark(owner_);
  return fn(*conn_);
}

}  // namespace fg::store
