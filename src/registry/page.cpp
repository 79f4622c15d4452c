#include "registry/page.h"

#include <charconv>

namespace fg::registry {
namespace {

constexpr std::string_view kTimePrefix = "t.";
constexpr std::string_view kNamePrefix = "n.";

tl::unexpected<Error> BadCursor() {
  return Fail(ErrorCode::kInvalidArgument, "invalid pagination token");
}

}  // namespace

Result<void> ValidatePageRequest(const PageRequest& request) {
  if (request.page_size < kMinPageSize || request.page_size > kMaxPageSize) {
    return Fail(ErrorCode::kInvalidArgument, "page size must be between 1 and 250");
  }
  if (request.cursor.size() > kMaxCursorLength) {
    return BadCursor();
  }
  return Ok();
}

std::string EncodeTimeCursor(TimePoint created, std::string_view id) {
  std::string out(kTimePrefix);
  out += std::to_string(ToEpochMillis(created));
  out += '.';
  out += id;
  return out;
}

Result<std::optional<TimeKey>> DecodeTimeCursor(std::string_view cursor) {
  if (cursor.empty()) {
    return std::optional<TimeKey>();
  }
  if (!cursor.starts_with(kTimePrefix)) {
    return BadCursor();
  }
  cursor.remove_prefix(kTimePrefix.size());
  const size_t dot = cursor.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == cursor.size()) {
    return BadCursor();
  }
  TimeKey key;
  const char* first = cursor.data();
  const char* last = cursor.data() + dot;
  auto [ptr, ec] = std::from_chars(first, last, key.millis);
  if (ec != std::errc() || ptr != last) {
    return BadCursor();
  }
  key.id = std::string(cursor.substr(dot + 1));
  return std::optional<TimeKey>(std::move(key));
}

std::string EncodeNameCursor(std::string_view name) {
  std::string out(kNamePrefix);
  out += name;
  return out;
}

Result<std::optional<std::string>> DecodeNameCursor(std::string_view cursor) {
  if (cursor.empty()) {
    return std::optional<std::string>();
  }
  if (!cursor.starts_with(kNamePrefix) || cursor.size() == kNamePrefix.size()) {
    return BadCursor();
  }
  return std::optional<std::string>(std::string(cursor.substr(kNamePrefix.size())));
}

}  // namespace fg::registry
