#include "api/request_members.h"

namespace fg::api {

Result<std::string> ShapedLabel(const RequestContext& ctx, std::string_view name, Shape shape) {
  std::string value(ctx.Label(name));
  if (auto ok = Validate(shape, name, value); !ok) {
    return Fail(ok.error());
  }
  return value;
}

Result<std::optional<std::string>> OptShapedQuery(const RequestContext& ctx, std::string_view name,
                                                  Shape shape) {
  auto value = ctx.QueryString(name);
  if (!value) {
    return Fail(value.error());
  }
  if (value->has_value()) {
    if (auto ok = Validate(shape, name, **value); !ok) {
      return Fail(ok.error());
    }
  }
  return value;
}

Result<std::optional<std::string>> OptShapedString(const JsonReader& body, std::string_view name,
                                                   Shape shape) {
  auto value = body.OptString(name);
  if (!value) {
    return Fail(value.error());
  }
  if (value->has_value()) {
    if (auto ok = Validate(shape, body.MemberPath(name), **value); !ok) {
      return Fail(ok.error());
    }
  }
  return value;
}

Result<std::string> RequiredHeader(const RequestContext& ctx, std::string_view header,
                                   std::string_view member, size_t max_length) {
  const std::string where = "'" + std::string(member) + "' (header " + std::string(header) + ")";
  // Two values would be ambiguous, and the one we ignored would still have been signed.
  if (ctx.headers().Count(header) > 1) {
    return Fail(ErrorCode::kInvalidArgument, "Member " + where + " must not be repeated");
  }
  std::optional<std::string_view> value = ctx.headers().Get(header);
  if (!value || value->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member " + where);
  }
  if (value->size() > max_length) {
    return Fail(ErrorCode::kInvalidArgument, "Member " + where + " must be at most " +
                                                 std::to_string(max_length) + " characters");
  }
  return std::string(*value);
}

}  // namespace fg::api
