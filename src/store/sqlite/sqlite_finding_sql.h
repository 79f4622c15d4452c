#pragma once

// The query behind SqliteAuditTx::ListFindings, exposed so that a test can check the plan of
// each filter combination against the real text (an index range in (finding_ms, finding_id)
// order, no sort), as sqlite_session_sql.h does for the connection log.

#include <string_view>

#include "audit/audit_store.h"
#include "core/result.h"
#include "store/sqlite/sqlite_sql_builder.h"

namespace fg::store {

// The page query for `q` in the account: the set filters only, the keyset condition of the
// cursor, ascending (finding_ms, finding_id), page_size + 1 rows. kInvalidArgument for a bad
// page request or cursor.
Result<SqlBuilder> FindingListQuery(std::string_view account_id, const audit::FindingQuery& q,
                                    const audit::PageRequest& page);

}  // namespace fg::store
