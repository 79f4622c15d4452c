// serve's --config file: the listener limits and deadlines (app/listener_limits.h) and the
// top-level members (app/serve_config.h). Every key is set once to a non-default value and
// read back; every kind of bad value is refused with a message naming the key.

#include "app/listener_limits.h"

#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "app/serve_config.h"

namespace fg::app {
namespace {

using std::chrono::milliseconds;

Result<ListenerLimits> Parse(const std::string& json) {
  return ParseListenerLimits(boost::json::parse(json).as_object(), "limits.json");
}

TEST(ListenerLimitsTest, AnEmptyConfigurationKeepsTheListenersDefaults) {
  auto limits = Parse("{}");
  ASSERT_TRUE(limits.has_value()) << limits.error().ToString();
  const net::MqttListenerOptions mqtt_defaults;
  const net::HttpServerOptions http_defaults;
  EXPECT_EQ(limits->mqtt.handshake_deadline, mqtt_defaults.handshake_deadline);
  EXPECT_EQ(limits->mqtt.limits.max_packet_size, mqtt_defaults.limits.max_packet_size);
  EXPECT_EQ(limits->mqtt.limits.max_payload, mqtt_defaults.limits.max_payload);
  EXPECT_EQ(limits->mqtt.max_outbound_bytes, mqtt_defaults.max_outbound_bytes);
  EXPECT_EQ(limits->http.body_limit, http_defaults.body_limit);
  EXPECT_EQ(limits->http.header_deadline, http_defaults.header_deadline);
  EXPECT_FALSE(limits->mqtt_max_connections.has_value());
  EXPECT_FALSE(limits->http_max_connections.has_value());
}

TEST(ListenerLimitsTest, EveryKeyIsRead) {
  auto limits = Parse(R"({"mqtt": {
      "handshakeDeadline": "1500ms", "connectDeadline": "3s", "refusalDeadline": "0s",
      "writeDeadline": "2m", "maxConnections": 77, "maxPacketSize": 4096, "maxPayload": 1000,
      "maxOutboundBytes": 8192, "maxSubscriptions": 5, "maxTopicFiltersPerSubscribe": 2,
      "maxClientIdLength": 64, "maxTopicLength": 100, "maxTopicSlashes": 3, "maxInflight": 10,
      "maxQueuedMessages": 0, "maxQueuedBytes": 2048, "minKeepAlive": "10s",
      "maxKeepAlive": "1h", "persistentSessionExpiry": "2h"},
    "http": {"maxConnections": 9, "maxBodyBytes": 5000, "maxHeaderBytes": 2048,
      "headerDeadline": "4s", "requestDeadline": "20s", "idleTimeout": "5m",
      "writeDeadline": "250ms"}})");
  ASSERT_TRUE(limits.has_value()) << limits.error().ToString();
  const net::MqttListenerOptions& m = limits->mqtt;
  EXPECT_EQ(m.handshake_deadline, milliseconds(1500));
  EXPECT_EQ(m.limits.connect_timeout, milliseconds(3000));
  EXPECT_EQ(m.refusal_deadline, milliseconds(0));
  EXPECT_EQ(m.write_deadline, milliseconds(120'000));
  EXPECT_EQ(limits->mqtt_max_connections, 77u);
  EXPECT_EQ(m.limits.max_packet_size, 4096u);
  EXPECT_EQ(m.limits.max_payload, 1000u);
  EXPECT_EQ(m.max_outbound_bytes, 8192u);
  EXPECT_EQ(m.limits.max_subscriptions, 5u);
  EXPECT_EQ(m.limits.max_topic_filters_per_subscribe, 2u);
  EXPECT_EQ(m.limits.max_client_id_length, 64u);
  EXPECT_EQ(m.limits.topic.max_length, 100u);
  EXPECT_EQ(m.limits.topic.max_slashes, 3u);
  EXPECT_EQ(m.limits.outbound.max_inflight, 10u);
  EXPECT_EQ(m.limits.outbound.max_queued, 0u);
  EXPECT_EQ(m.limits.outbound.max_queued_bytes, 2048u);
  EXPECT_EQ(m.limits.min_keep_alive_seconds, 10);
  EXPECT_EQ(m.limits.max_keep_alive_seconds, 3600);
  EXPECT_EQ(m.limits.persistent_session_expiry_seconds, 7200u);
  const net::HttpServerOptions& h = limits->http;
  EXPECT_EQ(limits->http_max_connections, 9u);
  EXPECT_EQ(h.body_limit, 5000u);
  EXPECT_EQ(h.header_limit, 2048u);
  EXPECT_EQ(h.header_deadline, milliseconds(4000));
  EXPECT_EQ(h.request_deadline, milliseconds(20'000));
  EXPECT_EQ(h.idle_timeout, milliseconds(300'000));
  EXPECT_EQ(h.write_deadline, milliseconds(250));
  // The documentation's key list is the parser's.
  EXPECT_EQ(ListenerLimitKeys().size(), 26u);
}

TEST(ListenerLimitsTest, APacketSizeAloneCarriesPayloadAndQueueAlong) {
  auto smaller = Parse(R"({"mqtt": {"maxPacketSize": 1024}})");
  ASSERT_TRUE(smaller.has_value()) << smaller.error().ToString();
  EXPECT_EQ(smaller->mqtt.limits.max_payload, 1024u);
  EXPECT_EQ(smaller->mqtt.max_outbound_bytes, net::MqttListenerOptions().max_outbound_bytes);

  auto larger = Parse(R"({"mqtt": {"maxPacketSize": 1048576}})");
  ASSERT_TRUE(larger.has_value()) << larger.error().ToString();
  EXPECT_EQ(larger->mqtt.limits.max_payload, mqtt::Limits().max_payload);
  EXPECT_EQ(larger->mqtt.max_outbound_bytes, 1048576u);
}

TEST(ListenerLimitsTest, EveryKeyAcceptsTheEndsOfItsRangeAndRefusesBeyond) {
  for (const LimitKey& key : ListenerLimitKeys()) {
    const auto dot = key.name.find('.');
    const std::string section = key.name.substr(0, dot);
    const std::string name = key.name.substr(dot + 1);
    const bool duration = !key.max.empty() && (key.max.back() < '0' || key.max.back() > '9');
    auto doc = [&](const std::string& value) {
      const std::string v = duration ? "\"" + value + "\"" : value;
      // The pairs that must agree are set so that each end is judged alone.
      std::string extra;
      if (key.name == "mqtt.maxPayload") {
        extra = R"(, "maxPacketSize": 268435460, "maxOutboundBytes": 1073741824)";
      } else if (key.name == "mqtt.maxOutboundBytes") {
        extra = R"(, "maxPacketSize": 64, "maxPayload": 0)";
      } else if (key.name == "mqtt.maxPacketSize") {
        extra = R"(, "maxOutboundBytes": 1073741824, "maxPayload": 0)";
      } else if (key.name == "mqtt.minKeepAlive") {
        extra = R"(, "maxKeepAlive": "65535s")";
      } else if (key.name == "mqtt.maxKeepAlive") {
        extra = R"(, "minKeepAlive": "1s")";
      }
      return "{\"" + section + "\": {\"" + name + "\": " + v + extra + "}}";
    };
    for (const std::string& end : {key.min, key.max}) {
      auto ok = Parse(doc(end));
      EXPECT_TRUE(ok.has_value()) << key.name << " = " << end << ": " << ok.error().message;
    }
    // One unit beyond each end, in the unit the range is written in.
    auto beyond = [&](const std::string& end, int step) {
      size_t digits = 0;
      while (digits < end.size() && end[digits] >= '0' && end[digits] <= '9') {
        ++digits;
      }
      const long long n = std::stoll(end.substr(0, digits)) + step;
      return std::to_string(n) + end.substr(digits);
    };
    std::vector<std::string> outside = {beyond(key.max, 1)};
    if (key.min != "0" && key.min != "0s" && key.min != "0ms") {
      outside.push_back(beyond(key.min, -1));
    }
    for (const std::string& value : outside) {
      auto refused = Parse(doc(value));
      ASSERT_FALSE(refused.has_value()) << key.name << " = " << value;
      EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
      EXPECT_NE(refused.error().message.find(key.name + " is out of range"), std::string::npos)
          << refused.error().message;
    }
  }
}

TEST(ListenerLimitsTest, BadValuesAreRefusedNamingTheKey) {
  struct Case {
    const char* json;
    const char* message;  // expected in the error
  };
  const Case cases[] = {
      {R"({"mqtt": {"maxPackteSize": 1024}})", "unknown key mqtt.maxPackteSize"},
      {R"({"http": {"handshakeDeadline": "1s"}})", "unknown key http.handshakeDeadline"},
      {R"({"mqtt": []})", "mqtt must be an object"},
      {R"({"http": "fast"})", "http must be an object"},
      {R"({"mqtt": {"maxPacketSize": "1024"}})", "mqtt.maxPacketSize must be an integer"},
      {R"({"mqtt": {"maxPacketSize": 1024.5}})", "mqtt.maxPacketSize must be an integer"},
      {R"({"mqtt": {"maxPacketSize": true}})", "mqtt.maxPacketSize must be an integer"},
      {R"({"mqtt": {"maxPacketSize": -1}})", "mqtt.maxPacketSize is out of range"},
      {R"({"mqtt": {"maxPacketSize": 18446744073709551615}})",
       "mqtt.maxPacketSize is out of range"},
      {R"({"mqtt": {"handshakeDeadline": 10}})", "mqtt.handshakeDeadline must be a duration"},
      {R"({"mqtt": {"handshakeDeadline": "10 s"}})", "mqtt.handshakeDeadline must be a duration"},
      {R"({"mqtt": {"handshakeDeadline": "-1s"}})", "mqtt.handshakeDeadline must be a duration"},
      {R"({"mqtt": {"handshakeDeadline": "ms"}})", "mqtt.handshakeDeadline must be a duration"},
      {R"({"mqtt": {"handshakeDeadline": "99ms"}})", "mqtt.handshakeDeadline is out of range"},
      {R"({"mqtt": {"handshakeDeadline": "99999999999999999999s"}})",
       "mqtt.handshakeDeadline must be a duration"},
      {R"({"http": {"headerDeadline": "11m"}})", "http.headerDeadline is out of range"},
      {R"({"mqtt": {"minKeepAlive": "1500ms"}})", "mqtt.minKeepAlive must be a whole number"},
      {R"({"mqtt": {"minKeepAlive": "60s", "maxKeepAlive": "30s"}})",
       "mqtt.minKeepAlive (60s) must not exceed mqtt.maxKeepAlive (30s)"},
      {R"({"mqtt": {"maxPacketSize": 1024, "maxPayload": 1025}})",
       "mqtt.maxPayload (1025) must not exceed mqtt.maxPacketSize (1024)"},
      {R"({"mqtt": {"maxPacketSize": 1048576, "maxOutboundBytes": 524288}})",
       "mqtt.maxOutboundBytes (524288) must hold one packet"},
      {R"({"mqtt": {"maxConnections": 0}})", "mqtt.maxConnections is out of range"},
      {R"({"http": {"maxHeaderBytes": 100}})", "http.maxHeaderBytes is out of range"},
      {R"({"mqtt": {"maxClientIdLength": 22}})", "mqtt.maxClientIdLength is out of range"},
  };
  for (const Case& c : cases) {
    auto refused = Parse(c.json);
    ASSERT_FALSE(refused.has_value()) << c.json;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << c.json;
    EXPECT_NE(refused.error().message.find(c.message), std::string::npos)
        << c.json << " -> " << refused.error().message;
    EXPECT_EQ(refused.error().message.rfind("limits.json: ", 0), 0u) << refused.error().message;
  }
}

TEST(ServeConfigTest, ReadsAuditSettingsAndLimitsTogether) {
  auto config = ParseServeConfig(
      R"({"auditSettleLag": "90s", "notificationTargets": {"ops": {"mqttTopic": "a/b"}},
          "mqtt": {"maxSubscriptions": 3}, "http": {"maxBodyBytes": 100}})",
      "serve.json");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->audit.settle_lag, milliseconds(90'000));
  EXPECT_EQ(config->audit.targets.size(), 1u);
  EXPECT_EQ(config->limits.mqtt.limits.max_subscriptions, 3u);
  EXPECT_EQ(config->limits.http.body_limit, 100u);
}

TEST(ServeConfigTest, RefusesUnknownMembersAndBadDocuments) {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {"[]", "serve.json: not a JSON object"},
      {"{", "serve.json: not a JSON object"},
      {R"({"mqttt": {}})", "serve.json: unknown key mqttt"},
      {R"({"auditSettleLag": "soon"})", "auditSettleLag must be a duration"},
      {R"({"mqtt": {"maxInflight": 0}})", "mqtt.maxInflight is out of range"},
  };
  for (const Case& c : cases) {
    auto refused = ParseServeConfig(c.json, "serve.json");
    ASSERT_FALSE(refused.has_value()) << c.json;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.error().message.find(c.message), std::string::npos)
        << refused.error().message;
  }
  auto missing = LoadServeConfig("/nonexistent/fleetguard-serve.json");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("cannot open /nonexistent/fleetguard-serve.json"),
            std::string::npos);
}

}  // namespace
}  // namespace fg::app
