#pragma once

// nextToken / maxResults paging for the registry's list operations (reference §1.5): the
// querystring members in, the registry's PageRequest out, and the registry's next cursor back
// out as an opaque nextToken.
//
// A token is bound to a PageScope: the caller's account, the operation and every filter that
// shapes the listing, so a token from one listing is refused by every other one
// (InvalidRequestException), including the same operation with other filters or another account.
//
// Pure functions over their arguments; safe from any thread.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/json_body.h"
#include "api/pagination.h"
#include "api/request_context.h"
#include "core/result.h"
#include "registry/page.h"

namespace fg::api {

// Builds the scope string. Values are length-prefixed, so no choice of filter values can make two
// different listings share a scope.
class PageScope {
 public:
  PageScope(std::string_view account_id, std::string_view operation);

  PageScope& Add(std::string_view name, const std::optional<std::string>& value);
  PageScope& Add(std::string_view name, std::string_view value);
  PageScope& Add(std::string_view name, bool value);

  const std::string& str() const { return scope_; }

 private:
  std::string scope_;
};

// Reads `nextToken` (an absent or empty token starts from the beginning) and `maxResults`
// (1..250, default 25) from the querystring. kInvalidArgument naming the member for a repeated
// parameter, a maxResults out of range, or a token not issued by `codec` for `scope`.
Result<registry::PageRequest> ReadNextTokenPage(const RequestContext& ctx,
                                                const PageTokenCodec& codec,
                                                const PageScope& scope);

// The same members from a JSON body (ListAuditFindings, ListAuditSuppressions).
Result<registry::PageRequest> ReadBodyNextTokenPage(const JsonReader& body,
                                                    const PageTokenCodec& codec,
                                                    const PageScope& scope);

// Sets out["nextToken"] when `next_cursor` is non-empty; leaves it absent on the last page, which
// is what ends botocore's paginator.
void PutNextToken(boost::json::object& out, const PageTokenCodec& codec, const PageScope& scope,
                  std::string_view next_cursor);

// {member: [name, ...], nextToken?}: the output of a listing of plain names
// (ListThingPrincipals, ListPrincipalThings, ListThingsInThingGroup).
boost::json::object NamePageJson(std::string_view member, const registry::Page<std::string>& page,
                                 const PageTokenCodec& codec, const PageScope& scope);

}  // namespace fg::api
