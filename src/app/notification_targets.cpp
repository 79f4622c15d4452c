#include "app/notification_targets.h"

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "api/audit_wire.h"
#include "api/json_body.h"
#include "core/time_format.h"
#include "mqtt/topic.h"

namespace fg::app {
namespace {

constexpr std::string_view kSnsArnPrefix = "arn:aws:sns:";
// SNS topic names: 1..256 of [A-Za-z0-9_-].
constexpr size_t kMaxTargetName = 256;

tl::unexpected<Error> Invalid(std::string_view source, const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, std::string(source) + ": " + message);
}

bool IsTargetName(std::string_view name) {
  if (name.empty() || name.size() > kMaxTargetName) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

Result<NotificationTarget> ParseTarget(std::string_view source, const std::string& name,
                                       const boost::json::value& value) {
  if (!IsTargetName(name)) {
    return Invalid(source, "notification target name '" + name +
                               "' must be 1..256 characters of A-Z a-z 0-9 _ -");
  }
  const boost::json::object* o = value.if_object();
  if (o == nullptr) {
    return Invalid(source, "notification target '" + name + "' must be an object");
  }
  NotificationTarget target;
  target.name = name;
  if (const boost::json::value* w = o->if_contains("webhook"); w != nullptr) {
    if (!w->is_string()) {
      return Invalid(source, "notificationTargets." + name + ".webhook must be a string");
    }
    auto url = ParseWebhookUrl(w->get_string());
    if (!url) {
      return Invalid(source, url.error().message);
    }
    target.webhook = std::move(*url);
  }
  if (const boost::json::value* t = o->if_contains("mqttTopic"); t != nullptr) {
    if (!t->is_string() || !mqtt::IsValidTopicName(t->get_string())) {
      return Invalid(source, "notificationTargets." + name +
                                 ".mqttTopic must be an MQTT topic name without wildcards");
    }
    target.mqtt_topic = std::string(t->get_string());
  }
  if (!target.webhook && target.mqtt_topic.empty()) {
    return Invalid(source, "notification target '" + name + "' needs a webhook or an mqttTopic");
  }
  return target;
}

}  // namespace

Result<AuditSettings> ParseAuditSettings(std::string_view json, std::string_view source) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return Invalid(source, "not a JSON object");
  }
  const boost::json::object& o = doc.get_object();
  AuditSettings settings;
  if (const boost::json::value* lag = o.if_contains("auditSettleLag"); lag != nullptr) {
    std::optional<std::chrono::milliseconds> parsed;
    if (lag->is_string()) {
      parsed = ParseDuration(lag->get_string());
    }
    if (!parsed) {
      return Invalid(source, "auditSettleLag must be a duration such as \"0s\", \"90s\" or \"2h\"");
    }
    settings.settle_lag = *parsed;
  }
  if (const boost::json::value* targets = o.if_contains("notificationTargets");
      targets != nullptr) {
    if (!targets->is_object()) {
      return Invalid(source, "notificationTargets must be an object");
    }
    for (const auto& member : targets->get_object()) {
      auto target = ParseTarget(source, std::string(member.key()), member.value());
      if (!target) {
        return Fail(target.error());
      }
      settings.targets.emplace(target->name, std::move(*target));
    }
  }
  return settings;
}

Result<AuditSettings> LoadAuditSettings(const std::filesystem::path& file) {
  std::error_code exists_error;
  if (!std::filesystem::exists(file, exists_error)) {
    return AuditSettings{};
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return Fail(ErrorCode::kUnavailable, "cannot read " + file.string());
  }
  return ParseAuditSettings(text.str(), file.string());
}

AuditSettings MergeAuditSettings(AuditSettings base, const AuditSettings& over) {
  if (over.settle_lag) {
    base.settle_lag = over.settle_lag;
  }
  for (const auto& [name, target] : over.targets) {
    base.targets.insert_or_assign(name, target);
  }
  return base;
}

std::optional<std::string> NotificationTargetName(std::string_view target_arn) {
  if (target_arn.starts_with(kSnsArnPrefix)) {
    // arn:aws:sns:<region>:<account>:<name>
    std::string_view rest = target_arn.substr(kSnsArnPrefix.size());
    for (int i = 0; i < 2; ++i) {
      size_t colon = rest.find(':');
      if (colon == std::string_view::npos) {
        return std::nullopt;
      }
      rest.remove_prefix(colon + 1);
    }
    return std::string(rest);
  }
  if (target_arn.starts_with("arn:")) {
    return std::nullopt;
  }
  return std::string(target_arn);
}

bool TargetNotificationPublisher::HasTarget(std::string_view target_arn) const {
  auto name = NotificationTargetName(target_arn);
  return name && targets_.contains(*name);
}

Result<void> TargetNotificationPublisher::PublishFinding(
    std::string_view target_arn, const audit::FindingNotification& notification) {
  return Deliver(target_arn, notification.finding.account_id,
                 api::SerializeJson(api::FindingNotificationJson(notification)));
}

Result<void> TargetNotificationPublisher::PublishAuditCompletion(
    std::string_view target_arn, const audit::AuditCompletionNotification& notification) {
  return Deliver(target_arn, notification.account_id,
                 api::SerializeJson(api::AuditCompletionJson(notification)));
}

Result<void> TargetNotificationPublisher::Deliver(std::string_view target_arn,
                                                  const std::string& account_id,
                                                  const std::string& json) {
  auto name = NotificationTargetName(target_arn);
  auto it = name ? targets_.find(*name) : targets_.end();
  if (it == targets_.end()) {
    return Fail(ErrorCode::kNotFound,
                "no notification target '" + std::string(target_arn) + "' is configured");
  }
  const NotificationTarget& target = it->second;
  // MQTT first: it cannot fail, and a webhook failure must not keep the broker copy from going
  // out.
  if (!target.mqtt_topic.empty() && mqtt_) {
    mqtt_(account_id, target.mqtt_topic, json);
  }
  if (target.webhook && webhook_) {
    return webhook_(*target.webhook, json);
  }
  return Ok();
}

}  // namespace fg::app
