#include "store/sqlite/sqlite_json_fields.h"

#include <system_error>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace fg::store {

Error JsonFields::Corrupt(std::string_view what) const {
  Error error;
  error.code = ErrorCode::kCorrupt;
  error.message = "stored ";
  error.message += column_;
  error.message += " is invalid: ";
  error.message += what;
  return error;
}

Result<boost::json::object> JsonFields::ParseObject(std::string_view text) const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    return Fail(Corrupt("not JSON (" + ec.message() + ")"));
  }
  if (!v.is_object()) {
    return Fail(Corrupt("not a JSON object"));
  }
  return std::move(v.get_object());
}

Result<boost::json::array> JsonFields::ParseArray(std::string_view text) const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    return Fail(Corrupt("not JSON (" + ec.message() + ")"));
  }
  if (!v.is_array()) {
    return Fail(Corrupt("not a JSON array"));
  }
  return std::move(v.get_array());
}

Result<std::string> JsonFields::String(const boost::json::object& o, std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return Fail(Corrupt("member " + std::string(key) + " is missing or not a string"));
  }
  return std::string(v->get_string());
}

Result<int64_t> JsonFields::Int(const boost::json::object& o, std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) {
    return Fail(Corrupt("member " + std::string(key) + " is missing or not an integer"));
  }
  return v->get_int64();
}

Result<bool> JsonFields::Bool(const boost::json::object& o, std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_bool()) {
    return Fail(Corrupt("member " + std::string(key) + " is missing or not a boolean"));
  }
  return v->get_bool();
}

Result<std::optional<bool>> JsonFields::OptionalBool(const boost::json::object& o,
                                                     std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    return std::optional<bool>();
  }
  if (!v->is_bool()) {
    return Fail(Corrupt("member " + std::string(key) + " is not a boolean"));
  }
  return std::optional<bool>(v->get_bool());
}

Result<const boost::json::object*> JsonFields::Object(const boost::json::object& o,
                                                      std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) {
    return Fail(Corrupt("member " + std::string(key) + " is missing"));
  }
  return AsObject(*v, key);
}

Result<const boost::json::array*> JsonFields::Array(const boost::json::object& o,
                                                    std::string_view key) const {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    return Fail(Corrupt("member " + std::string(key) + " is missing or not an array"));
  }
  return &v->get_array();
}

Result<const boost::json::object*> JsonFields::AsObject(const boost::json::value& v,
                                                        std::string_view what) const {
  if (!v.is_object()) {
    return Fail(Corrupt(std::string(what) + " is not an object"));
  }
  return &v.get_object();
}

Result<std::vector<std::string>> JsonFields::StringList(const boost::json::value& v,
                                                        std::string_view what) const {
  if (!v.is_array()) {
    return Fail(Corrupt(std::string(what) + " is not an array"));
  }
  std::vector<std::string> out;
  for (const boost::json::value& item : v.get_array()) {
    if (!item.is_string()) {
      return Fail(Corrupt(std::string(what) + " holds a non-string"));
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::map<std::string, std::string>> JsonFields::StringMap(const boost::json::value& v,
                                                                 std::string_view what) const {
  if (!v.is_object()) {
    return Fail(Corrupt(std::string(what) + " is not an object"));
  }
  std::map<std::string, std::string> out;
  for (const auto& member : v.get_object()) {
    if (!member.value().is_string()) {
      return Fail(Corrupt(std::string(what) + " holds a non-string"));
    }
    out.emplace(std::string(member.key()), std::string(member.value().get_string()));
  }
  return out;
}

boost::json::array ToJsonList(const std::vector<std::string>& list) {
  boost::json::array out;
  out.reserve(list.size());
  for (const std::string& item : list) {
    out.emplace_back(item);
  }
  return out;
}

boost::json::object ToJsonMap(const std::map<std::string, std::string>& map) {
  boost::json::object out;
  for (const auto& [key, value] : map) {
    out[key] = value;
  }
  return out;
}

std::string SerializeJson(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace fg::store
