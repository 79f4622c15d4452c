#include "store/sqlite/sqlite_schema.h"

#include <span>
#include <string>

namespace fg::store {
namespace {

struct Migration {
  int64_t version;
  const char* sql;
};

// Append only: a released migration is never edited, because databases in the field have
// already applied it. Timestamps are integer epoch milliseconds.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  endpoint_prefix TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  sealed_secret BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  enabled INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_keys_by_account ON access_keys(account_id);

CREATE TABLE registration_codes (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  code TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE ca_certificates (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  certificate_id TEXT NOT NULL,
  pem TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  auto_registration TEXT NOT NULL,
  mode TEXT NOT NULL,
  owned_by TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  customer_version INTEGER NOT NULL,
  generation_id TEXT NOT NULL,
  not_before_ms INTEGER NOT NULL,
  not_after_ms INTEGER NOT NULL,
  template_body TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  template_name TEXT NOT NULL,
  PRIMARY KEY (account_id, certificate_id)
) WITHOUT ROWID;
CREATE INDEX ca_certificates_by_id ON ca_certificates(certificate_id);
CREATE INDEX ca_certificates_by_subject ON ca_certificates(account_id, subject);
CREATE INDEX ca_certificates_by_created
  ON ca_certificates(account_id, created_ms, certificate_id);

CREATE TABLE certificates (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  certificate_id TEXT NOT NULL,
  pem TEXT NOT NULL,
  status TEXT NOT NULL,
  mode TEXT NOT NULL,
  ca_certificate_id TEXT,
  owned_by TEXT NOT NULL,
  previous_owned_by TEXT,
  created_ms INTEGER NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  customer_version INTEGER NOT NULL,
  generation_id TEXT NOT NULL,
  not_before_ms INTEGER NOT NULL,
  not_after_ms INTEGER NOT NULL,
  transfer_target TEXT,
  transfer_message TEXT,
  reject_reason TEXT,
  transfer_ms INTEGER,
  accept_ms INTEGER,
  reject_ms INTEGER,
  PRIMARY KEY (account_id, certificate_id),
  FOREIGN KEY (account_id, ca_certificate_id)
    REFERENCES ca_certificates(account_id, certificate_id)
) WITHOUT ROWID;
CREATE INDEX certificates_by_id ON certificates(certificate_id);
CREATE INDEX certificates_by_created ON certificates(account_id, created_ms, certificate_id);
CREATE INDEX certificates_by_ca
  ON certificates(account_id, ca_certificate_id, created_ms, certificate_id);

CREATE TABLE things (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  type_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE thing_attributes (
  account_id TEXT NOT NULL,
  thing_name TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (account_id, thing_name, name),
  FOREIGN KEY (account_id, thing_name) REFERENCES things(account_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX thing_attributes_by_value ON thing_attributes(account_id, name, value);

CREATE TABLE thing_principals (
  account_id TEXT NOT NULL,
  thing_name TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  type TEXT NOT NULL,
  attached_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, thing_name, certificate_id),
  FOREIGN KEY (account_id, thing_name) REFERENCES things(account_id, name) ON DELETE CASCADE,
  FOREIGN KEY (account_id, certificate_id) REFERENCES certificates(account_id, certificate_id)
) WITHOUT ROWID;
CREATE INDEX thing_principals_by_certificate ON thing_principals(account_id, certificate_id);

CREATE TABLE thing_groups (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_name TEXT,
  description TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, name),
  FOREIGN KEY (account_id, parent_name) REFERENCES thing_groups(account_id, name)
) WITHOUT ROWID;
CREATE INDEX thing_groups_by_parent ON thing_groups(account_id, parent_name);

CREATE TABLE thing_group_attributes (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (account_id, group_name, name),
  FOREIGN KEY (account_id, group_name) REFERENCES thing_groups(account_id, name)
    ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE thing_group_members (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  thing_name TEXT NOT NULL,
  PRIMARY KEY (account_id, group_name, thing_name),
  FOREIGN KEY (account_id, group_name) REFERENCES thing_groups(account_id, name)
    ON DELETE CASCADE,
  FOREIGN KEY (account_id, thing_name) REFERENCES things(account_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX thing_group_members_by_thing ON thing_group_members(account_id, thing_name);
)sql"},
    // The connection log (registry/connection_log.h). `seq` aliases the rowid: a compact,
    // never-reused integer that the audit uses as SessionInterval::session_id beside the UUID.
    // No foreign keys: the log outlives the certificates and accounts it mentions.
    {2, R"sql(
CREATE TABLE sessions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  mqtt_version INTEGER NOT NULL,
  keep_alive_s INTEGER NOT NULL,
  connect_ms INTEGER NOT NULL,
  last_packet_ms INTEGER NOT NULL,
  disconnect_ms INTEGER,
  disconnect_reason TEXT NOT NULL,
  node_id TEXT NOT NULL
);
CREATE INDEX sessions_by_certificate
  ON sessions(account_id, certificate_id, connect_ms, session_id);
CREATE INDEX sessions_open_by_node ON sessions(node_id) WHERE disconnect_ms IS NULL;

CREATE TABLE refused_connections (
  id TEXT PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  sni TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  reason TEXT NOT NULL,
  node_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX refused_by_account_time ON refused_connections(account_id, time_ms, id);

CREATE TABLE node_heartbeats (
  node_id TEXT PRIMARY KEY,
  last_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // The audit state (audit/audit_store.h). Everything a list, filter, count, purge or
    // uniqueness check reads is a column with an index behind it; composite values that are only
    // ever read back whole (maps, statistics, the finding body, action params) are JSON text.
    // A mitigation task's target finding ids are rows, because ListMitigationTasks filters on them.
    {3, R"sql(
CREATE TABLE audit_configurations (
  account_id TEXT PRIMARY KEY,
  role_arn TEXT NOT NULL,
  notification_targets TEXT NOT NULL,
  checks TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE scheduled_audits (
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  frequency TEXT NOT NULL,
  day_of_week TEXT,
  day_of_month TEXT,
  target_check_names TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  last_start_ms INTEGER,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE audit_tasks (
  account_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER,
  scheduled_audit_name TEXT,
  previous_start_ms INTEGER,
  window_start_ms INTEGER,
  window_end_ms INTEGER,
  checks TEXT NOT NULL,
  PRIMARY KEY (account_id, task_id)
) WITHOUT ROWID;
CREATE INDEX audit_tasks_by_start ON audit_tasks(account_id, start_ms, task_id);
CREATE INDEX audit_tasks_by_status ON audit_tasks(status, start_ms, task_id);

CREATE TABLE audit_findings (
  account_id TEXT NOT NULL,
  finding_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  task_start_ms INTEGER NOT NULL,
  finding_ms INTEGER NOT NULL,
  check_name TEXT NOT NULL,
  resource_key TEXT,
  is_suppressed INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (account_id, finding_id),
  FOREIGN KEY (account_id, task_id) REFERENCES audit_tasks(account_id, task_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX audit_findings_by_time ON audit_findings(account_id, finding_ms, finding_id);
CREATE INDEX audit_findings_by_task
  ON audit_findings(account_id, task_id, finding_ms, finding_id);
CREATE INDEX audit_findings_by_resource
  ON audit_findings(account_id, resource_key, finding_ms, finding_id);
CREATE INDEX audit_findings_by_check
  ON audit_findings(account_id, check_name, finding_ms, finding_id);
CREATE INDEX audit_findings_for_purge ON audit_findings(finding_ms);

CREATE TABLE audit_suppressions (
  account_id TEXT NOT NULL,
  check_name TEXT NOT NULL,
  resource_key TEXT NOT NULL,
  device_certificate_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  expiration_ms INTEGER,
  suppress_indefinitely INTEGER NOT NULL,
  description TEXT NOT NULL,
  client_request_token TEXT NOT NULL,
  PRIMARY KEY (account_id, check_name, resource_key)
) WITHOUT ROWID;
CREATE INDEX audit_suppressions_by_resource
  ON audit_suppressions(account_id, resource_key, check_name);

CREATE TABLE mitigation_actions (
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  params TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;
CREATE INDEX mitigation_actions_by_type ON mitigation_actions(account_id, type, name);

CREATE TABLE mitigation_tasks (
  account_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  client_request_token TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER,
  audit_task_id TEXT,
  reason_code_filter TEXT NOT NULL,
  actions_mapping TEXT NOT NULL,
  actions_definition TEXT NOT NULL,
  statistics TEXT NOT NULL,
  PRIMARY KEY (account_id, task_id),
  UNIQUE (account_id, client_request_token)
) WITHOUT ROWID;
CREATE INDEX mitigation_tasks_by_start ON mitigation_tasks(account_id, start_ms, task_id);
CREATE INDEX mitigation_tasks_by_status ON mitigation_tasks(status, start_ms, task_id);
CREATE INDEX mitigation_tasks_by_audit_task
  ON mitigation_tasks(account_id, audit_task_id, start_ms, task_id);

CREATE TABLE mitigation_task_findings (
  account_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  finding_id TEXT NOT NULL,
  PRIMARY KEY (account_id, task_id, position),
  FOREIGN KEY (account_id, task_id) REFERENCES mitigation_tasks(account_id, task_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX mitigation_task_findings_by_finding
  ON mitigation_task_findings(account_id, finding_id, task_id);

CREATE TABLE mitigation_executions (
  account_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  finding_id TEXT NOT NULL,
  action_index INTEGER NOT NULL,
  action_name TEXT NOT NULL,
  action_id TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER,
  end_ms INTEGER,
  error_code TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (account_id, task_id, finding_id, action_index),
  FOREIGN KEY (account_id, task_id) REFERENCES mitigation_tasks(account_id, task_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX mitigation_executions_by_finding
  ON mitigation_executions(account_id, finding_id, task_id);
)sql"},
};

Result<int64_t> CurrentVersion(SqliteConnection& conn) {
  return conn.QueryInt("SELECT version FROM schema_version");
}

// Distinguishes "empty, new file" from "someone else's database" before anything is written.
Result<void> CheckIdentity(SqliteConnection& conn) {
  // The first read of a non-database file fails here with SQLITE_NOTADB.
  auto app_id = conn.QueryInt("PRAGMA application_id");
  if (!app_id) {
    return Fail(app_id.error());
  }
  if (*app_id == kFleetguardApplicationId) {
    return Ok();
  }
  if (*app_id != 0) {
    return Fail(ErrorCode::kCorrupt, "not a fleetguard database (foreign application id)");
  }
  auto tables = conn.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!tables) {
    return Fail(tables.error());
  }
  if (*tables != 0) {
    return Fail(ErrorCode::kCorrupt, "not a fleetguard database (it holds other tables)");
  }
  return Ok();
}

Result<void> Initialize(SqliteConnection& conn) {
  if (auto r = conn.Exec("BEGIN IMMEDIATE"); !r) {
    return r;
  }
  auto result = [&]() -> Result<void> {
    // The pragma takes no parameters; the value is a compile-time constant.
    const std::string set_id =
        "PRAGMA application_id = " + std::to_string(kFleetguardApplicationId);
    if (auto r = conn.Exec(set_id.c_str()); !r) {
      return r;
    }
    if (auto r = conn.Exec(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
            "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)");
        !r) {
      return r;
    }
    return Ok();
  }();
  if (!result) {
    (void)conn.Exec("ROLLBACK");
    return result;
  }
  return conn.Exec("COMMIT");
}

Result<void> Apply(SqliteConnection& conn, const Migration& migration) {
  if (auto r = conn.Exec("BEGIN IMMEDIATE"); !r) {
    return r;
  }
  auto result = [&]() -> Result<void> {
    // Another process may have migrated while this one waited for the write lock.
    auto current = CurrentVersion(conn);
    if (!current) {
      return Fail(current.error());
    }
    if (*current >= migration.version) {
      return Ok();
    }
    if (auto r = conn.Exec(migration.sql); !r) {
      return r;
    }
    auto stmt = conn.Prepare("UPDATE schema_version SET version = ?1");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, migration.version);
    return stmt->Run();
  }();
  if (!result) {
    (void)conn.Exec("ROLLBACK");
    return result;
  }
  return conn.Exec("COMMIT");
}

}  // namespace

int64_t LatestSchemaVersion() { return std::span(kMigrations).back().version; }

Result<void> MigrateSchema(SqliteConnection& conn) {
  if (auto r = CheckIdentity(conn); !r) {
    return r;
  }
  if (auto r = Initialize(conn); !r) {
    return r;
  }
  auto current = CurrentVersion(conn);
  if (!current) {
    return Fail(current.error());
  }
  if (*current > LatestSchemaVersion()) {
    return Fail(ErrorCode::kCorrupt, "database schema version " + std::to_string(*current) +
                                         " is newer than this build supports (" +
                                         std::to_string(LatestSchemaVersion()) + ")");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version > *current) {
      if (auto r = Apply(conn, migration); !r) {
        return r;
      }
    }
  }
  return Ok();
}

}  // namespace fg::store
