#include "app/serve_config.h"

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace fg::app {
namespace {

constexpr std::string_view kMembers[] = {"auditSettleLag", "notificationTargets", "mqtt", "http"};

}  // namespace

Result<ServeConfig> ParseServeConfig(std::string_view json, std::string_view source) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, std::string(source) + ": not a JSON object");
  }
  const boost::json::object& o = doc.get_object();
  for (const auto& member : o) {
    bool known = false;
    for (std::string_view name : kMembers) {
      known = known || member.key() == name;
    }
    if (!known) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(source) + ": unknown key " + std::string(member.key()) +
                      " (known: auditSettleLag, notificationTargets, mqtt, http)");
    }
  }
  ServeConfig config;
  auto audit = ParseAuditSettings(json, source);
  if (!audit) {
    return Fail(audit.error());
  }
  config.audit = std::move(*audit);
  auto limits = ParseListenerLimits(o, source);
  if (!limits) {
    return Fail(limits.error());
  }
  config.limits = std::move(*limits);
  return config;
}

Result<ServeConfig> LoadServeConfig(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) {
    return Fail(ErrorCode::kInvalidArgument, "--config: cannot open " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kInvalidArgument, "--config: cannot read " + file.string());
  }
  return ParseServeConfig(text.str(), file.string());
}

}  // namespace fg::app
