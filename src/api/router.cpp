#include "api/router.h"

#include <exception>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "api/percent_encoding.h"

namespace fg::api {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  // REQUIRES: path starts with '/'; the leading empty segment is dropped.
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return out;
}

HttpResponse WithRequestId(HttpResponse response, std::string_view request_id) {
  response.headers.Set("x-amzn-RequestId", std::string(request_id));
  return response;
}

}  // namespace

Result<void> Router::Add(std::string_view method, std::string_view path_template,
                         std::string operation, Handler handler) {
  if (path_template.empty() || path_template[0] != '/' || method.empty() || !handler) {
    return Fail(ErrorCode::kInvalidArgument,
                "Bad route " + std::string(method) + " " + std::string(path_template));
  }
  Route route;
  route.method = std::string(method);
  route.path_template = std::string(path_template);
  route.operation = std::move(operation);
  route.handler = std::move(handler);
  std::set<std::string, std::less<>> label_names;
  for (std::string_view part : SplitPath(path_template)) {
    Segment segment;
    if (part.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Empty segment in route " + std::string(path_template));
    }
    if (part.front() == '{' || part.back() == '}') {
      if (part.size() < 3 || part.front() != '{' || part.back() != '}' ||
          part.substr(1, part.size() - 2).find_first_of("{}") != std::string_view::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    "Malformed label in route " + std::string(path_template));
      }
      segment.is_label = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
      if (!label_names.insert(segment.text).second) {
        return Fail(ErrorCode::kInvalidArgument,
                    "Label used twice in route " + std::string(path_template));
      }
    } else {
      segment.text = std::string(part);
    }
    route.segments.push_back(std::move(segment));
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.path_template == route.path_template) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Duplicate route " + route.method + " " + route.path_template);
    }
  }
  routes_.push_back(std::move(route));
  return Ok();
}

tl::expected<Router::Match, ApiError> Router::Find(std::string_view method,
                                                   std::string_view raw_path,
                                                   std::string* allow) const {
  if (raw_path.empty() || raw_path[0] != '/') {
    return tl::unexpected(ApiError::From(
        Error{ErrorCode::kInvalidArgument, "The request path must start with '/'", {}, {}}));
  }
  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(raw_path)) {
    std::optional<std::string> decoded = PercentDecode(raw);
    if (!decoded) {
      return tl::unexpected(ApiError::From(Error{
          ErrorCode::kInvalidArgument, "Malformed percent-encoding in the request path", {}, {}}));
    }
    segments.push_back(std::move(*decoded));
  }

  const Route* best = nullptr;
  std::set<std::string> other_methods;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) {
      continue;
    }
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      const Segment& s = route.segments[i];
      matches = s.is_label ? !segments[i].empty() : s.text == segments[i];
    }
    if (!matches) {
      continue;
    }
    if (route.method != method) {
      other_methods.insert(route.method);
      continue;
    }
    if (best == nullptr) {
      best = &route;
      continue;
    }
    for (size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_label != route.segments[i].is_label) {
        if (!route.segments[i].is_label) {
          best = &route;
        }
        break;
      }
    }
  }

  if (best == nullptr) {
    if (other_methods.empty()) {
      return tl::unexpected(
          ApiError::From(ApiFailure::kUnknownOperation, "No operation matches the request path"));
    }
    if (allow != nullptr) {
      allow->clear();
      for (const std::string& m : other_methods) {
        *allow += allow->empty() ? "" : ", ";
        *allow += m;
      }
    }
    return tl::unexpected(ApiError::From(
        ApiFailure::kMethodNotAllowed,
        "No operation matches method " + std::string(method) + " on the request path"));
  }

  Match match;
  match.operation = &best->operation;
  match.handler = &best->handler;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (best->segments[i].is_label) {
      match.labels.emplace(best->segments[i].text, std::move(segments[i]));
    }
  }
  return match;
}

HttpResponse Router::Dispatch(const HttpRequest& request, std::string_view account_id,
                              std::string_view request_id) const {
  std::string allow;
  auto match = Find(request.method, request.RawPath(), &allow);
  if (!match) {
    HttpResponse response = ErrorResponse(match.error(), request_id);
    if (!allow.empty()) {
      response.headers.Add("Allow", allow);
    }
    return response;
  }
  auto query = ParseQueryString(request.RawQuery());
  if (!query) {
    return ErrorResponse(query.error(), request_id);
  }

  // The single try of the REST layer (STYLE.md §5): third-party calls inside handlers may throw,
  // and no exception may reach the transport.
  try {
    RequestContext context(request, std::string(account_id), std::string(request_id),
                           *match->operation, std::move(match->labels), std::move(*query));
    Result<HttpResponse> result = (*match->handler)(context);
    if (!result) {
      if (result.error().code == ErrorCode::kInternal ||
          result.error().code == ErrorCode::kCorrupt) {
        spdlog::error("request {} {}: {}", request_id, *match->operation,
                      result.error().ToString());
      }
      return ErrorResponse(result.error(), request_id);
    }
    return WithRequestId(std::move(*result), request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} {}: exception: {}", request_id, *match->operation, e.what());
  } catch (...) {
    spdlog::error("request {} {}: unknown exception", request_id, *match->operation);
  }
  return ErrorResponse(Error{ErrorCode::kInternal, "exception in handler", {}, {}}, request_id);
}

}  // namespace fg::api
