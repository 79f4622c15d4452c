#pragma once

// Marker pagination for the certificate lists (ListCertificates, ListCertificatesByCA,
// ListCACertificates; reference §1.5): `pageSize` (1..250, default 25), `marker` (an opaque
// token from a previous `nextMarker`) and `isAscendingOrder` in the querystring.
//
// The marker wraps the registry's keyset cursor with the process's PageTokenCodec, bound to the
// account, the operation, the order and `filters`, so a marker from another account, listing or
// order is refused (InvalidRequestException) instead of being misread.
//
// A MarkerPaging refers to the codec, which must outlive it. Not thread-safe; one per request.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/pagination.h"
#include "api/request_context.h"
#include "core/result.h"
#include "registry/page.h"

namespace fg::api {

class MarkerPaging {
 public:
  // Reads the paging members of the request. `filters` names whatever else selects the rows
  // (the CA id of ListCertificatesByCA), "" for none. Results are newest first unless
  // isAscendingOrder=true. kInvalidArgument naming the member for a bad pageSize, marker or
  // isAscendingOrder.
  static Result<MarkerPaging> Read(const RequestContext& ctx, const PageTokenCodec& codec,
                                   std::string_view filters);

  const registry::PageRequest& page() const { return page_; }

  // Sets `nextMarker` in `out` when `next_cursor` (the registry's) is not empty; otherwise the
  // member is omitted, which ends the client's paging.
  void SetNextMarker(boost::json::object& out, std::string_view next_cursor) const;

 private:
  MarkerPaging(const PageTokenCodec& codec, std::string scope, registry::PageRequest page)
      : codec_(&codec), scope_(std::move(scope)), page_(std::move(page)) {}

  const PageTokenCodec* codec_;
  std::string scope_;
  registry::PageRequest page_;
};

}  // namespace fg::api
