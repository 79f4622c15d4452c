#pragma once

// Reading rest-json request bodies into typed values, and writing response bodies.
//
// Every reader returns kInvalidArgument (InvalidRequestException on the wire) with a message that
// names the member, for a missing required member or a member of the wrong type; it never throws.
// A member whose value is JSON null counts as absent, as botocore omits None and other SDKs send
// null. Timestamps are epoch seconds as a JSON integer or float (reference §1.1, §1.2).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/http_types.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::api {

// Parses a request body. An empty body is an empty object (clients send no body when the input
// has no body members). kInvalidArgument if it is not JSON or not a JSON object.
Result<boost::json::object> ParseJsonObject(std::string_view body);

// Typed, validated access to the members of one JSON object. Holds a reference: `object` must
// outlive the reader. `path` ("registrationConfig.") prefixes member names in messages.
class JsonReader {
 public:
  explicit JsonReader(const boost::json::object& object, std::string path = "");

  Result<std::optional<std::string>> OptString(std::string_view name) const;
  Result<std::string> String(std::string_view name) const;
  Result<std::optional<bool>> OptBool(std::string_view name) const;
  // A JSON integer, or a float with an integral value, that fits int64.
  Result<std::optional<int64_t>> OptInt(std::string_view name) const;
  // Epoch seconds (integer or float, ms precision kept) between 1970 and 9999.
  Result<std::optional<TimePoint>> OptTimestamp(std::string_view name) const;
  Result<std::optional<JsonReader>> OptObject(std::string_view name) const;
  Result<JsonReader> Object(std::string_view name) const;
  Result<std::optional<std::vector<std::string>>> OptStringList(std::string_view name) const;
  Result<std::vector<std::string>> StringList(std::string_view name) const;
  Result<std::optional<std::map<std::string, std::string>>> OptStringMap(
      std::string_view name) const;

  const boost::json::object& object() const { return *object_; }
  // "registrationConfig.templateName" for messages.
  std::string MemberPath(std::string_view name) const;

 private:
  // The member, or nullptr when absent or null.
  const boost::json::value* Find(std::string_view name) const;
  Error TypeError(std::string_view name, std::string_view expected) const;

  const boost::json::object* object_;
  std::string path_;
};

// The optional structure member `name` of `body`, read by `read(const JsonReader&) ->
// Result<T>`: nullopt when absent, the reader's error (naming the nested member) when it fails.
template <typename T, typename ReadFn>
Result<std::optional<T>> ReadOptStruct(const JsonReader& body, std::string_view name, ReadFn read) {
  auto member = body.OptObject(name);
  if (!member) {
    return Fail(member.error());
  }
  if (!member->has_value()) {
    return std::optional<T>();
  }
  Result<T> value = read(**member);
  if (!value) {
    return Fail(value.error());
  }
  return std::optional<T>(std::move(*value));
}

// A timestamp as AWS writes it: epoch seconds, an integer when the time is a whole second,
// otherwise a number with a millisecond fraction (1541022751.983).
boost::json::value EpochSecondsValue(TimePoint t);

// Like boost::json::serialize, but floats are written in plain decimal ("1541022751.983", not
// "1.541022751983E9") for the benefit of clients and people reading responses.
std::string SerializeJson(const boost::json::value& value);

// 200 with `Content-Type: application/json` and `body` serialised with SerializeJson.
HttpResponse JsonResponse(const boost::json::object& body);

// 200 with body "{}", for operations whose output has no members (botocore accepts "" or "{}").
HttpResponse EmptyJsonResponse();

}  // namespace fg::api
