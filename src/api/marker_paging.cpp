#include "api/marker_paging.h"

#include "api/validation.h"

namespace fg::api {

Result<MarkerPaging> MarkerPaging::Read(const RequestContext& ctx, const PageTokenCodec& codec,
                                        std::string_view filters) {
  auto page_size = ctx.QueryInt("pageSize");
  if (!page_size) {
    return Fail(page_size.error());
  }
  auto size = ResolvePageSize("pageSize", *page_size);
  if (!size) {
    return Fail(size.error());
  }
  // Wire name isAscendingOrder, model member ascendingOrder (reference §2).
  auto ascending = ctx.QueryBool("isAscendingOrder");
  if (!ascending) {
    return Fail(ascending.error());
  }
  auto marker = ctx.QueryString("marker");
  if (!marker) {
    return Fail(marker.error());
  }

  registry::PageRequest page;
  page.page_size = *size;
  // AWS lists certificates newest first unless asked otherwise.
  page.order = ascending->value_or(false) ? registry::SortOrder::kAscending
                                          : registry::SortOrder::kDescending;
  std::string scope = ctx.account_id() + "/" + ctx.operation() + "/" +
                      (page.order == registry::SortOrder::kAscending ? "asc" : "desc") + "/" +
                      std::string(filters);
  if (*marker) {
    if (auto ok = Validate(Shape::kMarker, "marker", **marker); !ok) {
      return Fail(ok.error());
    }
    auto cursor = codec.Decode(scope, **marker, "marker");
    if (!cursor) {
      return Fail(cursor.error());
    }
    page.cursor = std::move(*cursor);
  }
  return MarkerPaging(codec, std::move(scope), std::move(page));
}

void MarkerPaging::SetNextMarker(boost::json::object& out, std::string_view next_cursor) const {
  if (!next_cursor.empty()) {
    out["nextMarker"] = codec_->Encode(scope_, next_cursor);
  }
}

}  // namespace fg::api
