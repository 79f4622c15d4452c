#include "api/token_paging.h"

namespace fg::api {
namespace {

constexpr char kNextToken[] = "nextToken";
constexpr char kMaxResults[] = "maxResults";

void AppendField(std::string& scope, std::string_view name, std::string_view tagged_value) {
  scope.push_back('/');
  scope += name;
  scope.push_back('=');
  scope += std::to_string(tagged_value.size());
  scope.push_back(':');
  scope += tagged_value;
}

}  // namespace

PageScope::PageScope(std::string_view account_id, std::string_view operation) {
  scope_ += account_id;
  scope_.push_back('/');
  scope_ += operation;
}

PageScope& PageScope::Add(std::string_view name, const std::optional<std::string>& value) {
  // "-" versus "+value": an absent filter and an empty one list different things
  // (ListThingGroups with and without parentGroup), so they must not share tokens.
  AppendField(scope_, name, value ? "+" + *value : std::string("-"));
  return *this;
}

PageScope& PageScope::Add(std::string_view name, std::string_view value) {
  AppendField(scope_, name, "+" + std::string(value));
  return *this;
}

PageScope& PageScope::Add(std::string_view name, bool value) {
  AppendField(scope_, name, value ? "true" : "false");
  return *this;
}

Result<registry::PageRequest> ReadNextTokenPage(const RequestContext& ctx,
                                                const PageTokenCodec& codec,
                                                const PageScope& scope) {
  auto max_results = ctx.QueryInt(kMaxResults);
  if (!max_results) {
    return Fail(max_results.error());
  }
  auto size = ResolvePageSize(kMaxResults, *max_results);
  if (!size) {
    return Fail(size.error());
  }
  auto token = ctx.QueryString(kNextToken);
  if (!token) {
    return Fail(token.error());
  }
  registry::PageRequest page;
  page.page_size = *size;
  if (token->has_value() && !(*token)->empty()) {
    auto cursor = codec.Decode(scope.str(), **token, kNextToken);
    if (!cursor) {
      return Fail(cursor.error());
    }
    page.cursor = std::move(*cursor);
  }
  return page;
}

void PutNextToken(boost::json::object& out, const PageTokenCodec& codec, const PageScope& scope,
                  std::string_view next_cursor) {
  if (!next_cursor.empty()) {
    out[kNextToken] = codec.Encode(scope.str(), next_cursor);
  }
}

}  // namespace fg::api
