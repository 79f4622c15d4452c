#pragma once

// Method + path-template routing for the rest-json control plane, and the one place where a
// handler's exceptions and errors become wire responses.
//
// Templates look like "/certificates/{certificateId}". A raw path is split on '/' first and each
// segment is then percent-decoded, because ARNs arrive as one encoded label
// ("arn%3Aaws%3Aiot%3A...%3Acert%2Fabc"; reference §1.1). No label is greedy, and a label never
// matches an empty segment. When several templates match, the one with a literal segment at the
// first position where they differ wins ("/thing-groups/addThingToThingGroup" beats
// "/thing-groups/{thingGroupName}").
//
// Thread-safety: Add() is for start-up; after that, Dispatch() and Find() may run concurrently.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "api/api_error.h"
#include "api/http_types.h"
#include "api/request_context.h"
#include "core/result.h"

namespace fg::api {

// A handler may return a domain Error; the router maps it with the error table. It may throw
// (boost::json::value_to, std::bad_alloc): the router catches everything and answers
// InternalFailureException.
using Handler = std::function<Result<HttpResponse>(const RequestContext&)>;

class Router {
 public:
  // Registers `operation` ("DescribeCertificate") at `method` + `path_template`. kInvalidArgument
  // for a malformed template (not starting with '/', an empty segment, an unclosed or empty
  // "{label}", a label used twice) or an exact duplicate of an existing method + template.
  Result<void> Add(std::string_view method, std::string_view path_template, std::string operation,
                   Handler handler);

  struct Match {
    const std::string* operation = nullptr;
    const Handler* handler = nullptr;
    PathLabels labels;
  };
  // Routing only. Errors: UnknownOperationException 404 (no template matches the path),
  // 405 with the same code when the path matches only under other methods (`allow` lists them),
  // InvalidRequestException 400 for a path that is not "/..." or has malformed percent-encoding.
  tl::expected<Match, ApiError> Find(std::string_view method, std::string_view raw_path,
                                     std::string* allow = nullptr) const;

  // Routes `request` for an authenticated caller and runs the handler. Never throws. The response
  // always carries `x-amzn-RequestId: request_id`.
  HttpResponse Dispatch(const HttpRequest& request, std::string_view account_id,
                        std::string_view request_id) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the label name
    bool is_label = false;
  };
  struct Route {
    std::string method;
    std::string path_template;
    std::string operation;
    std::vector<Segment> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace fg::api
