// SqliteStore as registry::ConnectionLogStore: sessions, refused connections, node heartbeats.

#include <limits>
#include <string>
#include <variant>

#include "store/sqlite/sqlite_row_ops.h"
#include "store/sqlite/sqlite_session_sql.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::store {
namespace {

using registry::ConnectionRefused;
using registry::RefusedConnection;
using registry::SessionActivity;
using registry::SessionClosed;
using registry::SessionOpened;
using registry::SessionRecord;

constexpr size_t kDefaultLimit = 1000;
constexpr char kConnectionLost[] = "CONNECTION_LOST";

constexpr char kSessionColumns[] =
    "SELECT seq, session_id, account_id, certificate_id, client_id, source_ip, source_port, "
    "mqtt_version, keep_alive_s, connect_ms, last_packet_ms, disconnect_ms, disconnect_reason, "
    "node_id FROM sessions ";

// Both forms scan sessions_by_certificate from (account_id[, cursor]) in index order, so
// neither sorts; the window bounds are filters on the rows the scan visits. The cursor form
// compares a row value, which SQLite turns into the range start (EXPLAIN QUERY PLAN is checked
// in the tests).
constexpr char kSessionsFirstPage[] =
    "WHERE account_id = ?1 AND connect_ms <= ?2 AND (disconnect_ms IS NULL OR disconnect_ms >= ?3) "
    "ORDER BY certificate_id, connect_ms, session_id LIMIT ?4";
constexpr char kSessionsAfter[] =
    "WHERE account_id = ?1 AND connect_ms <= ?2 AND (disconnect_ms IS NULL OR disconnect_ms >= ?3) "
    "AND (certificate_id, connect_ms, session_id) > (?5, ?6, ?7) "
    "ORDER BY certificate_id, connect_ms, session_id LIMIT ?4";

// SQLite reads a negative LIMIT as "no limit", so a size_t beyond int64 is clamped, not cast.
int64_t EffectiveLimit(size_t limit) {
  if (limit == 0) {
    return static_cast<int64_t>(kDefaultLimit);
  }
  if (limit > static_cast<size_t>(std::numeric_limits<int64_t>::max())) {
    return std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(limit);
}

// A stored integer outside the range of its C++ field means the file was altered outside
// fleetguard.
template <typename T>
Result<T> Narrow(int64_t value, std::string_view column) {
  if (value < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      value > static_cast<int64_t>(std::numeric_limits<T>::max())) {
    return Fail(ErrorCode::kCorrupt,
                "stored " + std::string(column) + " is out of range: " + std::to_string(value));
  }
  return static_cast<T>(value);
}

Result<SessionRow> ReadSessionRow(const Statement& s) {
  SessionRow row;
  row.row_id = s.Int(0);
  SessionRecord& r = row.session;
  r.session_id = s.Text(1);
  r.account_id = s.Text(2);
  r.certificate_id = s.Text(3);
  r.client_id = s.Text(4);
  r.source_ip = s.Text(5);
  auto port = Narrow<uint16_t>(s.Int(6), "sessions.source_port");
  auto version = Narrow<int>(s.Int(7), "sessions.mqtt_version");
  auto keep_alive = Narrow<int>(s.Int(8), "sessions.keep_alive_s");
  if (!port || !version || !keep_alive) {
    return Fail(!port ? port.error() : !version ? version.error() : keep_alive.error());
  }
  r.source_port = *port;
  r.mqtt_version = *version;
  r.keep_alive_s = *keep_alive;
  r.connect_time = FromEpochMillis(s.Int(9));
  r.last_packet_time = FromEpochMillis(s.Int(10));
  if (auto disconnect = s.OptionalInt(11)) {
    r.disconnect_time = FromEpochMillis(*disconnect);
  }
  r.disconnect_reason = s.Text(12);
  r.node_id = s.Text(13);
  return row;
}

Result<RefusedConnection> ReadRefused(const Statement& s) {
  RefusedConnection r;
  r.id = s.Text(0);
  r.time = FromEpochMillis(s.Int(1));
  r.account_id = s.Text(2);
  r.certificate_id = s.Text(3);
  r.sni = s.Text(4);
  r.source_ip = s.Text(5);
  auto port = Narrow<uint16_t>(s.Int(6), "refused_connections.source_port");
  if (!port) {
    return Fail(port.error());
  }
  r.source_port = *port;
  r.reason = s.Text(7);
  r.node_id = s.Text(8);
  return r;
}

// Each event is written so that applying it twice leaves the row as applying it once
// (connection_log.h): inserts ignore an existing key, max() never lowers a time, and a close
// only fills a disconnect that is still NULL.
Result<void> Apply(SqliteConnection& conn, const SessionOpened& e) {
  auto stmt = conn.Prepare(
      "INSERT INTO sessions (session_id, account_id, certificate_id, client_id, source_ip, "
      "source_port, mqtt_version, keep_alive_s, connect_ms, last_packet_ms, disconnect_ms, "
      "disconnect_reason, node_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT (session_id) DO NOTHING");
  if (!stmt) {
    return Fail(stmt.error());
  }
  const SessionRecord& r = e.session;
  std::optional<int64_t> disconnect_ms;
  if (r.disconnect_time) {
    disconnect_ms = ToEpochMillis(*r.disconnect_time);
  }
  stmt->Bind(1, r.session_id)
      .Bind(2, r.account_id)
      .Bind(3, r.certificate_id)
      .Bind(4, r.client_id)
      .Bind(5, r.source_ip)
      .Bind(6, int64_t{r.source_port})
      .Bind(7, int64_t{r.mqtt_version})
      .Bind(8, int64_t{r.keep_alive_s})
      .Bind(9, ToEpochMillis(r.connect_time))
      .Bind(10, ToEpochMillis(r.last_packet_time))
      .Bind(11, disconnect_ms)
      .Bind(12, r.disconnect_reason)
      .Bind(13, r.node_id);
  return stmt->Run();
}

Result<void> Apply(SqliteConnection& conn, const SessionActivity& e) {
  auto stmt = conn.Prepare(
      "UPDATE sessions SET last_packet_ms = max(last_packet_ms, ?2) WHERE session_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, e.session_id).Bind(2, ToEpochMillis(e.last_packet_time));
  return stmt->Run();
}

Result<void> Apply(SqliteConnection& conn, const SessionClosed& e) {
  // Every right-hand side reads the row as it was before this UPDATE, so the CASE sees the
  // old disconnect_ms.
  auto stmt = conn.Prepare(
      "UPDATE sessions SET last_packet_ms = max(last_packet_ms, ?2), "
      "disconnect_ms = coalesce(disconnect_ms, ?3), "
      "disconnect_reason = CASE WHEN disconnect_ms IS NULL THEN ?4 ELSE disconnect_reason END "
      "WHERE session_id = ?1");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, e.session_id)
      .Bind(2, ToEpochMillis(e.last_packet_time))
      .Bind(3, ToEpochMillis(e.disconnect_time))
      .Bind(4, e.disconnect_reason);
  return stmt->Run();
}

Result<void> Apply(SqliteConnection& conn, const ConnectionRefused& e) {
  auto stmt = conn.Prepare(
      "INSERT INTO refused_connections (id, time_ms, account_id, certificate_id, sni, source_ip, "
      "source_port, reason, node_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      "ON CONFLICT (id) DO NOTHING");
  if (!stmt) {
    return Fail(stmt.error());
  }
  const RefusedConnection& r = e.refused;
  stmt->Bind(1, r.id)
      .Bind(2, ToEpochMillis(r.time))
      .Bind(3, r.account_id)
      .Bind(4, r.certificate_id)
      .Bind(5, r.sni)
      .Bind(6, r.source_ip)
      .Bind(7, int64_t{r.source_port})
      .Bind(8, r.reason)
      .Bind(9, r.node_id);
  return stmt->Run();
}

}  // namespace

std::string SessionListSql(bool after_cursor) {
  std::string sql = kSessionColumns;
  sql += after_cursor ? kSessionsAfter : kSessionsFirstPage;
  return sql;
}

Result<void> SqliteStore::AppendBatch(std::span<const registry::ConnectionLogEvent> events) {
  if (events.empty()) {
    return Ok();
  }
  return InTransaction([&](SqliteConnection& conn) -> Result<void> {
    for (const registry::ConnectionLogEvent& event : events) {
      auto r = std::visit([&](const auto& e) { return Apply(conn, e); }, event);
      if (!r) {
        return r;
      }
    }
    return Ok();
  });
}

Result<void> SqliteStore::Heartbeat(std::string_view node_id, TimePoint at) {
  return InTransaction([&](SqliteConnection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "INSERT INTO node_heartbeats (node_id, last_ms) VALUES (?1, ?2) "
        "ON CONFLICT (node_id) DO UPDATE SET last_ms = max(last_ms, excluded.last_ms)");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, node_id).Bind(2, ToEpochMillis(at));
    return stmt->Run();
  });
}

Result<int64_t> SqliteStore::CloseOrphanedSessions(std::string_view node_id) {
  int64_t closed = 0;
  auto r = InTransaction([&](SqliteConnection& conn) -> Result<void> {
    // Without a heartbeat the session ends at its last packet; with one, at the heartbeat,
    // but never before the last packet (a heartbeat can lag behind the writer's batches).
    auto stmt = conn.Prepare(
        "UPDATE sessions SET disconnect_ms = max(last_packet_ms, coalesce("
        "(SELECT last_ms FROM node_heartbeats WHERE node_id = ?1), last_packet_ms)), "
        "disconnect_reason = ?2 WHERE node_id = ?1 AND disconnect_ms IS NULL");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, node_id).Bind(2, kConnectionLost);
    if (auto run = stmt->Run(); !run) {
      return run;
    }
    closed = stmt->Changes();
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return closed;
}

Result<std::vector<SessionRow>> SqliteStore::ListSessionRows(const registry::SessionQuery& query) {
  if (query.window_end < query.window_start) {
    return Fail(ErrorCode::kInvalidArgument, "session query: window_end before window_start");
  }
  std::vector<SessionRow> out;
  auto r = Locked([&](SqliteConnection& conn) -> Result<void> {
    auto stmt = conn.Prepare(SessionListSql(query.after.has_value()));
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, query.account_id)
        .Bind(2, ToEpochMillis(query.window_end))
        .Bind(3, ToEpochMillis(query.window_start))
        .Bind(4, EffectiveLimit(query.limit));
    if (query.after) {
      stmt->Bind(5, query.after->certificate_id)
          .Bind(6, ToEpochMillis(query.after->connect_time))
          .Bind(7, query.after->session_id);
    }
    auto rows = ReadAll<SessionRow>(*stmt, ReadSessionRow);
    if (!rows) {
      return Fail(rows.error());
    }
    out = std::move(*rows);
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return out;
}

Result<std::vector<SessionRecord>> SqliteStore::ListSessions(const registry::SessionQuery& query) {
  auto rows = ListSessionRows(query);
  if (!rows) {
    return Fail(rows.error());
  }
  std::vector<SessionRecord> out;
  out.reserve(rows->size());
  for (SessionRow& row : *rows) {
    out.push_back(std::move(row.session));
  }
  return out;
}

Result<std::optional<int64_t>> SqliteStore::FindSessionRowId(std::string_view session_id) {
  std::optional<int64_t> out;
  auto r = Locked([&](SqliteConnection& conn) -> Result<void> {
    auto stmt = conn.Prepare("SELECT seq FROM sessions WHERE session_id = ?1");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, session_id);
    auto row =
        ReadOne<int64_t>(*stmt, [](const Statement& s) -> Result<int64_t> { return s.Int(0); });
    if (!row) {
      return Fail(row.error());
    }
    out = *row;
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return out;
}

Result<std::vector<RefusedConnection>> SqliteStore::ListRefused(
    const registry::RefusedQuery& query) {
  std::vector<RefusedConnection> out;
  auto r = Locked([&](SqliteConnection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "SELECT id, time_ms, account_id, certificate_id, sni, source_ip, source_port, reason, "
        "node_id FROM refused_connections WHERE account_id = ?1 AND time_ms >= ?2 AND "
        "time_ms <= ?3 ORDER BY time_ms, id LIMIT ?4");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, query.account_id)
        .Bind(2, ToEpochMillis(query.window_start))
        .Bind(3, ToEpochMillis(query.window_end))
        .Bind(4, EffectiveLimit(query.limit));
    auto rows = ReadAll<RefusedConnection>(*stmt, ReadRefused);
    if (!rows) {
      return Fail(rows.error());
    }
    out = std::move(*rows);
    return Ok();
  });
  if (!r) {
    return Fail(r.error());
  }
  return out;
}

}  // namespace fg::store
