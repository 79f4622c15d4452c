#include "api/request_context.h"

#include <charconv>

#include "core/time_format.h"

namespace fg::api {

RequestContext::RequestContext(const HttpRequest& request, std::string account_id,
                               std::string request_id, std::string operation, PathLabels labels,
                               QueryParams query)
    : request_(&request),
      account_id_(std::move(account_id)),
      request_id_(std::move(request_id)),
      operation_(std::move(operation)),
      labels_(std::move(labels)),
      query_(std::move(query)) {}

std::string_view RequestContext::Label(std::string_view name) const {
  auto it = labels_.find(name);
  return it == labels_.end() ? std::string_view() : std::string_view(it->second);
}

Result<std::optional<std::string>> RequestContext::QueryString(std::string_view name) const {
  auto [first, last] = query_.equal_range(name);
  if (first == last) {
    return std::optional<std::string>();
  }
  // A scalar member sent twice is ambiguous; picking one would let a signed request be
  // reinterpreted, so refuse it.
  if (std::next(first) != last) {
    return Fail(ErrorCode::kInvalidArgument,
                "Query parameter '" + std::string(name) + "' must not be repeated");
  }
  return std::optional<std::string>(first->second);
}

Result<std::optional<bool>> RequestContext::QueryBool(std::string_view name) const {
  auto raw = QueryString(name);
  if (!raw || !raw->has_value()) {
    return raw ? Result<std::optional<bool>>(std::nullopt) : Fail(raw.error());
  }
  if (**raw == "true") {
    return std::optional<bool>(true);
  }
  if (**raw == "false") {
    return std::optional<bool>(false);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "Query parameter '" + std::string(name) + "' must be true or false");
}

Result<std::optional<int64_t>> RequestContext::QueryInt(std::string_view name) const {
  auto raw = QueryString(name);
  if (!raw || !raw->has_value()) {
    return raw ? Result<std::optional<int64_t>>(std::nullopt) : Fail(raw.error());
  }
  const std::string& text = **raw;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Query parameter '" + std::string(name) + "' must be an integer");
  }
  return std::optional<int64_t>(value);
}

Result<std::optional<TimePoint>> RequestContext::QueryTimestamp(std::string_view name) const {
  auto raw = QueryString(name);
  if (!raw || !raw->has_value()) {
    return raw ? Result<std::optional<TimePoint>>(std::nullopt) : Fail(raw.error());
  }
  std::optional<TimePoint> t = ParseIso8601(**raw);
  if (!t) {
    return Fail(ErrorCode::kInvalidArgument,
                "Query parameter '" + std::string(name) +
                    "' must be an ISO 8601 UTC timestamp such as 2024-01-01T00:00:00Z");
  }
  return std::optional<TimePoint>(*t);
}

Result<JsonReader> RequestContext::Body() const {
  if (!body_) {
    body_.emplace(ParseJsonObject(request_->body));
  }
  if (!*body_) {
    return Fail(body_->error());
  }
  return JsonReader(**body_);
}

}  // namespace fg::api
