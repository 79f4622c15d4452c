#pragma once

// The same DEVICE_CERTIFICATE_SHARED_CHECK as one SQL query with window functions over an
// in-memory SQLite table, as the baseline the engine is measured against. Bench-only code.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_window.h"
#include "audit/session_interval.h"
#include "core/result.h"

struct sqlite3;

namespace fg::audit::bench {

class SqliteSharedCheck {
 public:
  // Opens an in-memory database with the sessions table.
  static Result<std::unique_ptr<SqliteSharedCheck>> Create();
  ~SqliteSharedCheck();
  SqliteSharedCheck(const SqliteSharedCheck&) = delete;
  SqliteSharedCheck& operator=(const SqliteSharedCheck&) = delete;

  // Inserts one certificate's sessions; `certificate` is its dense integer key.
  Result<void> Insert(int64_t certificate, const CertificateSessions& sessions);
  Result<void> Begin();
  Result<void> Commit();

  // Runs the check (device key = client id) and returns certificate -> MAX_CONCURRENT_DEVICES for
  // every non-compliant certificate.
  Result<std::map<int64_t, int>> Run(const AuditWindow& window, int64_t tolerance_ms);

  static const char* Query();

 private:
  explicit SqliteSharedCheck(sqlite3* db);
  Result<void> Exec(const char* sql);

  sqlite3* db_;  // owned; closed in the destructor
  struct Statement;
  std::unique_ptr<Statement> insert_;
};

}  // namespace fg::audit::bench
