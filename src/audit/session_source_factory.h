#pragma once

// How the audit runner gets the connection log of one account for one window. The app
// implements it over registry::ConnectionLogStore::ListSessions (an adapter that groups rows by
// certificate); tests return an InMemorySessionSource.

#include <memory>
#include <string_view>

#include "audit/audit_window.h"
#include "audit/session_source.h"
#include "core/result.h"

namespace fg::audit {

class SessionSourceFactory {
 public:
  virtual ~SessionSourceFactory() = default;

  // A source over the account's sessions that overlap `window` (it may yield more; the check
  // clips to the window). Errors (kUnavailable, ...) fail the check that asked. Called from the
  // audit thread; the returned source is used by that one audit.
  virtual Result<std::unique_ptr<SessionSource>> Open(std::string_view account_id,
                                                      const AuditWindow& window) = 0;
};

}  // namespace fg::audit
