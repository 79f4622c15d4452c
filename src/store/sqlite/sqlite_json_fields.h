#pragma once

// Reading and writing the JSON text columns of the audit tables (sqlite_audit_json.h) with
// Boost.JSON, without exceptions. Internal to src/store/sqlite: only the codec .cpp files
// include it, so Boost.JSON stays out of every other header.
//
// A stored document that does not parse, or lacks a member, or has one of the wrong type, means
// the file was altered outside fleetguard: every reader returns kCorrupt naming `column` (the
// table and column, e.g. "audit_findings.body") and the member.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/result.h"

namespace fg::store {

class JsonFields {
 public:
  explicit JsonFields(std::string_view column) : column_(column) {}

  // Whole documents.
  Result<boost::json::object> ParseObject(std::string_view text) const;
  Result<boost::json::array> ParseArray(std::string_view text) const;

  // Members of `o`. Optional* return nullopt when the member is absent or null.
  Result<std::string> String(const boost::json::object& o, std::string_view key) const;
  Result<int64_t> Int(const boost::json::object& o, std::string_view key) const;
  Result<bool> Bool(const boost::json::object& o, std::string_view key) const;
  Result<std::optional<bool>> OptionalBool(const boost::json::object& o,
                                           std::string_view key) const;
  Result<const boost::json::object*> Object(const boost::json::object& o,
                                            std::string_view key) const;
  Result<const boost::json::array*> Array(const boost::json::object& o, std::string_view key) const;

  // Values.
  Result<const boost::json::object*> AsObject(const boost::json::value& v,
                                              std::string_view what) const;
  Result<std::vector<std::string>> StringList(const boost::json::value& v,
                                              std::string_view what) const;
  Result<std::map<std::string, std::string>> StringMap(const boost::json::value& v,
                                                       std::string_view what) const;

  // kCorrupt naming the column and `what`.
  Error Corrupt(std::string_view what) const;

 private:
  std::string_view column_;
};

boost::json::array ToJsonList(const std::vector<std::string>& list);
boost::json::object ToJsonMap(const std::map<std::string, std::string>& map);
std::string SerializeJson(const boost::json::value& value);

}  // namespace fg::store
