#include "api/token_paging.h"

#include <boost/json/array.hpp>

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

// Both member sources come here, so query and body paging cannot drift apart.
Result<registry::PageRequest> PageRequestOf(const Result<std::optional<int64_t>>& max_results,
                                            const Result<std::optional<std::string>>& token,
                                            const PageTokenCodec& codec, const PageScope& scope) {
  if (!max_results) {
    return Fail(max_results.error());
  }
  auto size = ResolvePageSize(kMaxResults, *max_results);
  if (!size) {
    return Fail(size.error());
  }
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
  return PageRequestOf(ctx.QueryInt(kMaxResults), ctx.QueryString(kNextToken), codec, scope);
}

Result<registry::PageRequest> ReadBodyNextTokenPage(const JsonReader& body,
                                                    const PageTokenCodec& codec,
                                                    const PageScope& scope) {
  return PageRequestOf(body.OptInt(kMaxResults), body.OptString(kNextToken), codec, scope);
}

void PutNextToken(boost::json::object& out, const PageTokenCodec& codec, const PageScope& scope,
                  std::string_view next_cursor) {
  if (!next_cursor.empty()) {
    out[kNextToken] = codec.Encode(scope.str(), next_cursor);
  }
}

boost::json::object NamePageJson(std::string_view member, const registry::Page<std::string>& page,
                                 const PageTokenCodec& codec, const PageScope& scope) {
  boost::json::array names;
  for (const std::string& name : page.items) {
    names.emplace_back(name);
  }
  boost::json::object out;
  out[member] = std::move(names);
  PutNextToken(out, codec, scope, page.next_cursor);
  return out;
}

}  // namespace fg::api
