#include "sqlite_shared_check.h"

#include <sqlite3.h>

#include "store/sqlite/sqlite_handle.h"

namespace fg::audit::bench {
namespace {

Error SqliteError(sqlite3* db, const char* what) {
  Error e;
  e.code = ErrorCode::kInternal;
  e.message = std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
  return e;
}

// The check as SQL. Every session becomes its clipped interval [c, e) with e already shrunk by
// tau (overlap > tau <=> shrunk intervals intersect); each becomes a +1 event at c and a -1 event
// at e, ends before starts at equal times (half-open). A running sum per (cert, client) tells when
// a client id becomes active or idle; a running sum of those transitions per cert is the number
// of distinct client ids live at once, whose maximum is MAX_CONCURRENT_DEVICES.
constexpr const char* kQuery = R"sql(
WITH s AS (
  SELECT cert, client, max(connect_ms, :ws) AS c,
         min(CASE WHEN disconnect_ms IS NULL THEN :we
                  ELSE min(last_packet_ms, disconnect_ms) END, :we) - :tau AS e
  FROM sessions
),
ev AS (
  SELECT cert, client, c AS t, 1 AS kind FROM s WHERE e > c
  UNION ALL
  SELECT cert, client, e AS t, 0 AS kind FROM s WHERE e > c
),
per_client AS (
  SELECT cert, t, kind,
         sum(CASE kind WHEN 1 THEN 1 ELSE -1 END) OVER (
           PARTITION BY cert, client ORDER BY t, kind ROWS UNBOUNDED PRECEDING) AS n
  FROM ev
),
per_cert AS (
  SELECT cert,
         sum(CASE WHEN kind = 1 AND n = 1 THEN 1 WHEN kind = 0 AND n = 0 THEN -1 ELSE 0 END) OVER (
           PARTITION BY cert ORDER BY t, kind ROWS UNBOUNDED PRECEDING) AS devices
  FROM per_client
)
SELECT cert, max(devices) FROM per_cert GROUP BY cert HAVING max(devices) >= 2
)sql";

}  // namespace

struct SqliteSharedCheck::Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { store::SqliteStmtDeleter()(stmt); }
};

SqliteSharedCheck::SqliteSharedCheck(sqlite3* db) : db_(db) {}

Result<std::unique_ptr<SqliteSharedCheck>> SqliteSharedCheck::Create() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    store::SqliteDbPtr failed(db);  // sqlite3_open hands out a handle even when it fails
    return Fail(SqliteError(db, "sqlite3_open"));
  }
  std::unique_ptr<SqliteSharedCheck> check(new SqliteSharedCheck(db));
  for (const char* sql :
       {"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -4000000",
        "CREATE TABLE sessions (session_id INTEGER, cert INTEGER, client TEXT, source_ip TEXT, "
        "connect_ms INTEGER, last_packet_ms INTEGER, disconnect_ms INTEGER, reason TEXT)"}) {
    if (auto ok = check->Exec(sql); !ok) {
      return Fail(ok.error());
    }
  }
  check->insert_ = std::make_unique<Statement>();
  if (sqlite3_prepare_v2(db, "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1,
                         &check->insert_->stmt, nullptr) != SQLITE_OK) {
    return Fail(SqliteError(db, "prepare insert"));
  }
  return check;
}

SqliteSharedCheck::~SqliteSharedCheck() {
  insert_.reset();
  store::SqliteDbDeleter()(db_);
}

Result<void> SqliteSharedCheck::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail(SqliteError(db_, sql));
  }
  return Ok();
}

Result<void> SqliteSharedCheck::Begin() { return Exec("BEGIN"); }
Result<void> SqliteSharedCheck::Commit() { return Exec("COMMIT"); }

Result<void> SqliteSharedCheck::Insert(int64_t certificate, const CertificateSessions& sessions) {
  sqlite3_stmt* st = insert_->stmt;
  for (const SessionInterval& s : sessions.sessions) {
    bool ok =
        sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(s.session_id)) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, certificate) == SQLITE_OK &&
        sqlite3_bind_text(st, 3, s.client_id.data(), static_cast<int>(s.client_id.size()),
                          SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 4, s.source_ip.data(), static_cast<int>(s.source_ip.size()),
                          SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 5, s.connect_ms) == SQLITE_OK &&
        sqlite3_bind_int64(st, 6, s.last_packet_ms) == SQLITE_OK &&
        (s.disconnect_ms ? sqlite3_bind_int64(st, 7, *s.disconnect_ms)
                         : sqlite3_bind_null(st, 7)) == SQLITE_OK &&
        sqlite3_bind_text(st, 8, s.disconnect_reason.data(),
                          static_cast<int>(s.disconnect_reason.size()), SQLITE_STATIC) == SQLITE_OK;
    ok = ok && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    if (!ok) {
      return Fail(SqliteError(db_, "insert session"));
    }
  }
  return Ok();
}

Result<std::map<int64_t, int>> SqliteSharedCheck::Run(const AuditWindow& window,
                                                      int64_t tolerance_ms) {
  Statement q;
  if (sqlite3_prepare_v2(db_, kQuery, -1, &q.stmt, nullptr) != SQLITE_OK) {
    return Fail(SqliteError(db_, "prepare check"));
  }
  const bool bound = sqlite3_bind_int64(q.stmt, sqlite3_bind_parameter_index(q.stmt, ":ws"),
                                        window.start_ms()) == SQLITE_OK &&
                     sqlite3_bind_int64(q.stmt, sqlite3_bind_parameter_index(q.stmt, ":we"),
                                        window.end_ms()) == SQLITE_OK &&
                     sqlite3_bind_int64(q.stmt, sqlite3_bind_parameter_index(q.stmt, ":tau"),
                                        tolerance_ms) == SQLITE_OK;
  if (!bound) {
    return Fail(SqliteError(db_, "bind check"));
  }
  std::map<int64_t, int> found;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(q.stmt)) == SQLITE_ROW) {
    found[sqlite3_column_int64(q.stmt, 0)] = sqlite3_column_int(q.stmt, 1);
  }
  if (rc != SQLITE_DONE) {
    return Fail(SqliteError(db_, "run check"));
  }
  return found;
}

const char* SqliteSharedCheck::Query() { return kQuery; }

}  // namespace fg::audit::bench
