#pragma once

// Reading one request member from where the model puts it (path label, querystring, header or
// JSON body) and checking it against its model shape (validation.h) in the same step, so that a
// handler cannot read a member and forget its max or pattern.
//
// Every failure is kInvalidArgument (InvalidRequestException) with a message naming the member.
// Pure functions; safe from any thread.

#include <optional>
#include <string>
#include <string_view>

#include "api/json_body.h"
#include "api/request_context.h"
#include "api/validation.h"
#include "core/result.h"

namespace fg::api {

// The path label `name`, checked against `shape`.
Result<std::string> ShapedLabel(const RequestContext& ctx, std::string_view name, Shape shape);

// The querystring member `name` if present, checked against `shape`.
Result<std::optional<std::string>> OptShapedQuery(const RequestContext& ctx, std::string_view name,
                                                  Shape shape);

// The body member `name` if present, checked against `shape`.
Result<std::optional<std::string>> OptShapedString(const JsonReader& body, std::string_view name,
                                                   Shape shape);

// A required header member sent once and non-empty, such as `principal` in
// `x-amzn-principal`; at most `max_length` bytes. `member` names it in messages.
Result<std::string> RequiredHeader(const RequestContext& ctx, std::string_view header,
                                   std::string_view member, size_t max_length);

}  // namespace fg::api
