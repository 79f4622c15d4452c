// Notification targets (app/notification_targets.h): the configuration keys, the target names
// of ARNs, and delivery to recording webhook and MQTT functions.

#include "app/notification_targets.h"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fg::app {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TEST(AuditSettingsTest, ReadsTheSettleLagAndTargets) {
  auto settings = ParseAuditSettings(
      R"({"auditSettleLag":"90s","other":{"ignored":true},"notificationTargets":{)"
      R"("ops":{"webhook":"http://127.0.0.1:8080/a/b?c=d","mqttTopic":"fleetguard/audit"},)"
      R"("hook-only":{"webhook":"http://[::1]/"},"mqtt_only":{"mqttTopic":"x"}}})",
      "test.json");
  ASSERT_TRUE(settings.has_value()) << settings.error().ToString();
  EXPECT_EQ(settings->settle_lag, milliseconds(90000));
  ASSERT_EQ(settings->targets.size(), 3u);
  const NotificationTarget& ops = settings->targets.at("ops");
  ASSERT_TRUE(ops.webhook.has_value());
  EXPECT_EQ(ops.webhook->host, "127.0.0.1");
  EXPECT_EQ(ops.webhook->port, 8080);
  EXPECT_EQ(ops.webhook->target, "/a/b?c=d");
  EXPECT_EQ(ops.mqtt_topic, "fleetguard/audit");
  EXPECT_EQ(settings->targets.at("hook-only").webhook->host, "::1");
  EXPECT_EQ(settings->targets.at("hook-only").webhook->port, 80);
  EXPECT_FALSE(settings->targets.at("mqtt_only").webhook.has_value());

  auto empty = ParseAuditSettings("{}", "empty.json");
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->settle_lag.has_value());
  EXPECT_TRUE(empty->targets.empty());
}

TEST(AuditSettingsTest, RefusesBadDocuments) {
  const char* cases[] = {
      "",
      "[]",
      "{",
      R"({"auditSettleLag":"5x"})",
      R"({"auditSettleLag":90})",
      R"({"auditSettleLag":"-1s"})",
      R"({"notificationTargets":[]})",
      R"({"notificationTargets":{"a.b":{"mqttTopic":"t"}}})",
      R"({"notificationTargets":{"":{"mqttTopic":"t"}}})",
      R"({"notificationTargets":{"a":"http://x/"}})",
      R"({"notificationTargets":{"a":{}}})",
      R"({"notificationTargets":{"a":{"webhook":"https://example.com/"}}})",
      R"({"notificationTargets":{"a":{"webhook":"ftp://example.com/"}}})",
      R"({"notificationTargets":{"a":{"webhook":"http://u:p@example.com/"}}})",
      R"({"notificationTargets":{"a":{"webhook":"http://example.com:0/"}}})",
      R"({"notificationTargets":{"a":{"webhook":"not a url"}}})",
      R"({"notificationTargets":{"a":{"webhook":7}}})",
      R"({"notificationTargets":{"a":{"mqttTopic":"a/+/b"}}})",
      R"({"notificationTargets":{"a":{"mqttTopic":""}}})",
      R"({"notificationTargets":{"a":{"mqttTopic":1}}})",
  };
  for (const char* doc : cases) {
    auto parsed = ParseAuditSettings(doc, "cfg.json");
    ASSERT_FALSE(parsed.has_value()) << doc;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << doc;
    EXPECT_EQ(parsed.error().message.rfind("cfg.json: ", 0), 0u) << parsed.error().message;
  }
}

TEST(AuditSettingsTest, LaterSettingsWinAndAMissingFileIsEmpty) {
  auto base =
      ParseAuditSettings(R"({"auditSettleLag":"2h","notificationTargets":{"a":{"mqttTopic":"one"},)"
                         R"("b":{"mqttTopic":"b"}}})",
                         "base");
  auto over = ParseAuditSettings(R"({"notificationTargets":{"a":{"mqttTopic":"two"}}})", "over");
  ASSERT_TRUE(base.has_value() && over.has_value());
  AuditSettings merged = MergeAuditSettings(*base, *over);
  EXPECT_EQ(merged.settle_lag, milliseconds(hours(2)));
  EXPECT_EQ(merged.targets.at("a").mqtt_topic, "two");
  EXPECT_EQ(merged.targets.at("b").mqtt_topic, "b");

  auto missing = LoadAuditSettings(std::filesystem::path(FG_SOURCE_DIR) / "no-such-audit.json");
  ASSERT_TRUE(missing.has_value());
  EXPECT_TRUE(missing->targets.empty());
}

TEST(NotificationTargetNameTest, SnsArnsAndBareNames) {
  EXPECT_EQ(NotificationTargetName("arn:aws:sns:us-east-1:111111111111:ops"), "ops");
  EXPECT_EQ(NotificationTargetName("ops"), "ops");
  EXPECT_EQ(NotificationTargetName("arn:aws:sns:us-east-1"), std::nullopt);
  EXPECT_EQ(NotificationTargetName("arn:aws:iot:us-east-1:111111111111:thing/x"), std::nullopt);
}

class PublisherTest : public ::testing::Test {
 protected:
  PublisherTest() : publisher_(Targets(), Webhook(), Mqtt()) {}

  static std::map<std::string, NotificationTarget> Targets() {
    auto settings = ParseAuditSettings(
        R"({"notificationTargets":{"ops":{"webhook":"http://127.0.0.1:9/hook","mqttTopic":"t/ops"},)"
        R"("hook":{"webhook":"http://127.0.0.1:9/other"}}})",
        "t");
    EXPECT_TRUE(settings.has_value());
    return settings->targets;
  }
  TargetNotificationPublisher::WebhookFn Webhook() {
    return [this](const WebhookUrl& url, std::string_view json) -> Result<void> {
      std::lock_guard<std::mutex> lock(mu_);
      posts_.emplace_back(url.target, std::string(json));
      if (fail_webhook_) {
        return Fail(ErrorCode::kUnavailable, "webhook down");
      }
      return Ok();
    };
  }
  TargetNotificationPublisher::MqttFn Mqtt() {
    return [this](const std::string& account, const std::string& topic, const std::string& json) {
      std::lock_guard<std::mutex> lock(mu_);
      published_.push_back({account, topic, json});
    };
  }

  static audit::FindingNotification Finding() {
    audit::FindingNotification n;
    n.finding.account_id = "111111111111";
    n.finding.finding_id = "f-1";
    n.finding.task_id = "t-1";
    n.finding.finding.check_name = "DEVICE_CERTIFICATE_SHARED_CHECK";
    n.finding.finding.non_compliant_resource.identifier.device_certificate_id =
        std::string(64, 'a');
    for (int i = 0; i < 12; ++i) {
      audit::AuditResource r;
      r.type = audit::ResourceType::kClientId;
      r.identifier.client_id = "dev-" + std::to_string(i);
      n.finding.finding.related_resources.push_back(r);
    }
    n.mitigation_task_id = "mt-1";
    n.action_name = "notify";
    return n;
  }

  std::mutex mu_;
  bool fail_webhook_ = false;
  std::vector<std::pair<std::string, std::string>> posts_;
  std::vector<std::vector<std::string>> published_;
  TargetNotificationPublisher publisher_;
};

TEST_F(PublisherTest, KnowsItsTargetsByArnOrName) {
  EXPECT_TRUE(publisher_.HasTarget("ops"));
  EXPECT_TRUE(publisher_.HasTarget("arn:aws:sns:eu-west-1:222222222222:hook"));
  EXPECT_FALSE(publisher_.HasTarget("arn:aws:sns:eu-west-1:222222222222:nobody"));
  EXPECT_FALSE(publisher_.HasTarget("arn:aws:iot:eu-west-1:222222222222:ops"));
  auto unknown = publisher_.PublishFinding("nobody", Finding());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(posts_.empty());
  EXPECT_TRUE(published_.empty());
}

TEST_F(PublisherTest, DeliversTheWholeFindingToBothDeliveries) {
  ASSERT_TRUE(publisher_.PublishFinding("arn:aws:sns:us-east-1:111111111111:ops", Finding()));
  ASSERT_EQ(posts_.size(), 1u);
  EXPECT_EQ(posts_[0].first, "/hook");
  auto doc = boost::json::parse(posts_[0].second);
  EXPECT_EQ(doc.at("finding").at("findingId"), "f-1");
  EXPECT_EQ(doc.at("finding").at("relatedResources").as_array().size(), 12u);
  EXPECT_EQ(doc.at("mitigationActionsTaskId"), "mt-1");
  EXPECT_EQ(doc.at("actionName"), "notify");
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0], (std::vector<std::string>{"111111111111", "t/ops", posts_[0].second}));
}

TEST_F(PublisherTest, AWebhookFailureIsReportedAfterTheMqttCopyWentOut) {
  fail_webhook_ = true;
  audit::AuditCompletionNotification n;
  n.account_id = "111111111111";
  n.task_id = "t-9";
  n.task_start_time = FromEpochMillis(1893456000123);
  n.total_checks = 1;
  n.audit_details.push_back({"DEVICE_CERTIFICATE_SHARED_CHECK",
                             audit::AuditCheckRunStatus::kCompletedNonCompliant, 1, 0, 5, "", ""});
  auto r = publisher_.PublishAuditCompletion("ops", n);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  ASSERT_EQ(published_.size(), 1u);
  auto doc = boost::json::parse(published_[0][2]);
  EXPECT_EQ(doc.at("taskId"), "t-9");
  EXPECT_EQ(doc.at("taskStatus"), "COMPLETED");
  EXPECT_EQ(doc.at("taskType"), "ON_DEMAND_AUDIT_TASK");
  // The notification schema has epoch milliseconds as an integer here.
  EXPECT_EQ(doc.at("taskStartTime"), 1893456000123);
  EXPECT_EQ(doc.at("auditDetails").at(0).at("checkRunStatus"), "COMPLETED_NON_COMPLIANT");
  EXPECT_EQ(doc.at("auditDetails").at(0).at("totalResourcesCount"), 5);
  EXPECT_FALSE(doc.as_object().contains("scheduledAuditName"));
}

}  // namespace
}  // namespace fg::app
