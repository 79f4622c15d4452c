#pragma once

// fleetguard's SQLite schema and its versioned migrations.
//
// The schema grows only by appending migrations to the ordered list in sqlite_schema.cpp
// (1: registry, 2: connection log, 3: audit). Each migration runs in its own BEGIN IMMEDIATE
// transaction together with the bump of schema_version, so a crash
// leaves the database at the previous or the next version, never in between.

#include "core/result.h"
#include "store/sqlite/sqlite_connection.h"

namespace fg::store {

// 'FGRD': written to PRAGMA application_id so that a foreign SQLite file is recognised.
inline constexpr int64_t kFleetguardApplicationId = 0x46475244;

// The version the newest migration produces.
int64_t LatestSchemaVersion();

// Checks that `conn` is an empty database or a fleetguard one, then applies every migration
// newer than its schema_version. kCorrupt for a file that is not a SQLite database, a SQLite
// database of another application, or a schema newer than this build knows.
Result<void> MigrateSchema(SqliteConnection& conn);

}  // namespace fg::store
