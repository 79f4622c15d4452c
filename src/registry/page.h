#pragma once

// Keyset pagination shared by every list call and every store. A cursor is an opaque string
// (the API layer base64-encodes it); it names the last item of the previous page, so items
// added or removed between pages cause neither duplicates nor gaps among the others.
//
// Two orders exist: by (creation time, id) for certificates and CA certificates, and by name
// for accounts-by-id, things and thing groups.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace fg::registry {

inline constexpr int kMinPageSize = 1;
inline constexpr int kMaxPageSize = 250;
inline constexpr int kDefaultPageSize = 25;
inline constexpr size_t kMaxCursorLength = 512;

// The direction of a (creation time, id) list: AWS isAscendingOrder. Name-ordered lists are
// always ascending and ignore it. A cursor is only meaningful in the order that produced it.
enum class SortOrder { kAscending, kDescending };

struct PageRequest {
  int page_size = kDefaultPageSize;
  std::string cursor;  // empty: first page
  SortOrder order = SortOrder::kAscending;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty when there are no more items
};

// kInvalidArgument unless 1 <= page_size <= 250 and the cursor is at most 512 characters.
Result<void> ValidatePageRequest(const PageRequest& request);

// Position in the (creation time, id) order.
struct TimeKey {
  int64_t millis = 0;
  std::string id;
};

std::string EncodeTimeCursor(TimePoint created, std::string_view id);
// nullopt for an empty cursor; kInvalidArgument for one that EncodeTimeCursor did not make.
Result<std::optional<TimeKey>> DecodeTimeCursor(std::string_view cursor);

// Name-ordered cursors are the last name itself, prefixed so that a time cursor is not
// mistaken for one.
std::string EncodeNameCursor(std::string_view name);
Result<std::optional<std::string>> DecodeNameCursor(std::string_view cursor);

// Pages through `sorted` (ascending by `key(item)`, keys unique) in memory, for small lists
// that a store returns whole (principals, group members).
template <typename T, typename KeyFn>
Result<Page<T>> PaginateByName(std::vector<T> sorted, const PageRequest& request, KeyFn key) {
  auto valid = ValidatePageRequest(request);
  if (!valid) {
    return Fail(valid.error());
  }
  auto after = DecodeNameCursor(request.cursor);
  if (!after) {
    return Fail(after.error());
  }
  auto it = sorted.begin();
  if (after->has_value()) {
    it = std::upper_bound(sorted.begin(), sorted.end(), **after,
                          [&](const std::string& k, const T& item) { return k < key(item); });
  }
  Page<T> page;
  const auto size = static_cast<size_t>(request.page_size);
  for (; it != sorted.end() && page.items.size() < size; ++it) {
    page.items.push_back(std::move(*it));
  }
  if (it != sorted.end()) {
    page.next_cursor = EncodeNameCursor(key(page.items.back()));
  }
  return page;
}

}  // namespace fg::registry
