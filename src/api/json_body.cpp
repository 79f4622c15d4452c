#include "api/json_body.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fg::api {
namespace {

// 9999-12-31T23:59:59Z: beyond it the value cannot be a real timestamp and would overflow
// millisecond arithmetic sooner or later.
constexpr double kMaxEpochSeconds = 253402300799.0;

void AppendJson(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        out += boost::json::serialize(boost::json::value(member.key()));
        out.push_back(':');
        AppendJson(member.value(), out);
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        AppendJson(element, out);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::double_: {
      double d = value.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      char buf[400];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::fixed);
      if (ec != std::errc()) {
        out += boost::json::serialize(value);
        return;
      }
      out.append(buf, end);
      return;
    }
    default:
      out += boost::json::serialize(value);
      return;
  }
}

}  // namespace

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) {
    return boost::json::object();
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "The request body is not valid JSON");
  }
  if (!parsed.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "The request body must be a JSON object");
  }
  return std::move(parsed.get_object());
}

JsonReader::JsonReader(const boost::json::object& object, std::string path)
    : object_(&object), path_(std::move(path)) {}

std::string JsonReader::MemberPath(std::string_view name) const {
  std::string out = path_;
  out += name;
  return out;
}

const boost::json::value* JsonReader::Find(std::string_view name) const {
  const boost::json::value* v = object_->if_contains(name);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

Error JsonReader::TypeError(std::string_view name, std::string_view expected) const {
  Error e;
  e.code = ErrorCode::kInvalidArgument;
  e.message = "Member '" + MemberPath(name) + "' must be " + std::string(expected);
  return e;
}

Result<std::optional<std::string>> JsonReader::OptString(std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return Fail(TypeError(name, "a string"));
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::string> JsonReader::String(std::string_view name) const {
  auto value = OptString(name);
  if (!value) {
    return Fail(value.error());
  }
  if (!value->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member '" + MemberPath(name) + "'");
  }
  return std::move(**value);
}

Result<std::optional<bool>> JsonReader::OptBool(std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<bool>();
  }
  if (!v->is_bool()) {
    return Fail(TypeError(name, "a boolean"));
  }
  return std::optional<bool>(v->get_bool());
}

Result<std::optional<int64_t>> JsonReader::OptInt(std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<int64_t>();
  }
  if (v->is_int64()) {
    return std::optional<int64_t>(v->get_int64());
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->get_uint64()));
  }
  if (v->is_double()) {
    double d = v->get_double();
    // 2^63 is exactly representable; anything at or above it does not fit int64.
    if (std::isfinite(d) && std::trunc(d) == d && d >= -9223372036854775808.0 &&
        d < 9223372036854775808.0) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
  }
  return Fail(TypeError(name, "an integer"));
}

Result<std::optional<TimePoint>> JsonReader::OptTimestamp(std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<TimePoint>();
  }
  double seconds = 0;
  if (v->is_int64()) {
    seconds = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    seconds = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    seconds = v->get_double();
  } else {
    return Fail(TypeError(name, "a timestamp in epoch seconds"));
  }
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxEpochSeconds) {
    return Fail(TypeError(name, "a timestamp in epoch seconds between 1970 and 9999"));
  }
  auto millis = static_cast<int64_t>(std::llround(seconds * 1000.0));
  return std::optional<TimePoint>(FromEpochMillis(millis));
}

Result<std::optional<JsonReader>> JsonReader::OptObject(std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<JsonReader>();
  }
  if (!v->is_object()) {
    return Fail(TypeError(name, "an object"));
  }
  return std::optional<JsonReader>(JsonReader(v->get_object(), MemberPath(name) + "."));
}

Result<JsonReader> JsonReader::Object(std::string_view name) const {
  auto value = OptObject(name);
  if (!value) {
    return Fail(value.error());
  }
  if (!value->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member '" + MemberPath(name) + "'");
  }
  return **value;
}

Result<std::optional<std::vector<std::string>>> JsonReader::OptStringList(
    std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<std::vector<std::string>>();
  }
  if (!v->is_array()) {
    return Fail(TypeError(name, "a list of strings"));
  }
  std::vector<std::string> out;
  out.reserve(v->get_array().size());
  for (const boost::json::value& element : v->get_array()) {
    if (!element.is_string()) {
      return Fail(TypeError(name, "a list of strings"));
    }
    out.emplace_back(element.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::vector<std::string>> JsonReader::StringList(std::string_view name) const {
  auto value = OptStringList(name);
  if (!value) {
    return Fail(value.error());
  }
  if (!value->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "Missing required member '" + MemberPath(name) + "'");
  }
  return std::move(**value);
}

Result<std::optional<std::map<std::string, std::string>>> JsonReader::OptStringMap(
    std::string_view name) const {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    return std::optional<std::map<std::string, std::string>>();
  }
  if (!v->is_object()) {
    return Fail(TypeError(name, "a map of strings"));
  }
  std::map<std::string, std::string> out;
  for (const auto& member : v->get_object()) {
    if (!member.value().is_string()) {
      return Fail(TypeError(name, "a map of strings"));
    }
    out.emplace(std::string(member.key()), std::string(member.value().get_string()));
  }
  return std::optional<std::map<std::string, std::string>>(std::move(out));
}

boost::json::value EpochSecondsValue(TimePoint t) {
  int64_t millis = ToEpochMillis(t);
  if (millis % 1000 == 0) {
    return boost::json::value(millis / 1000);
  }
  return boost::json::value(static_cast<double>(millis) / 1000.0);
}

std::string SerializeJson(const boost::json::value& value) {
  std::string out;
  AppendJson(value, out);
  return out;
}

HttpResponse JsonResponse(const boost::json::object& body) {
  HttpResponse response;
  response.status = 200;
  response.headers.Add("Content-Type", "application/json");
  response.body = SerializeJson(boost::json::value(body));
  return response;
}

HttpResponse EmptyJsonResponse() { return JsonResponse(boost::json::object()); }

}  // namespace fg::api
