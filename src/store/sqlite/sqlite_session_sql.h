#pragma once

// The SQL text behind SqliteStore::ListSessionRows, exposed so that a test can check its
// query plan (a range scan of sessions_by_certificate with no sort) against the real text.
// Parameters: ?1 account_id, ?2 window_end ms, ?3 window_start ms, ?4 limit, and with a cursor
// ?5 certificate_id, ?6 connect ms, ?7 session_id.

#include <string>

namespace fg::store {

std::string SessionListSql(bool after_cursor);

}  // namespace fg::store
