#include "gateway/lifecycle_events.h"

#include <gtest/gtest.h>

namespace fg::gateway {
namespace {

PresenceSession Session(std::string client_id) {
  return PresenceSession{
      "111111111111",       std::move(client_id), "8f3c2a1e-5b6d-4c7e-9f80-112233445566",
      std::string(64, 'a'), "203.0.113.9",        3};
}

const TimePoint kAt = FromEpochMillis(1893456000123);

TEST(LifecycleEventsTest, ConnectedPayloadHasAwsFieldsInOrder) {
  AccountMessage m = ConnectedEvent(Session("sensor-1"), kAt);
  EXPECT_EQ(m.account_id, "111111111111");
  EXPECT_EQ(m.topic, "$aws/events/presence/connected/sensor-1");
  EXPECT_EQ(m.payload,
            R"({"clientId":"sensor-1","timestamp":1893456000123,"eventType":"connected",)"
            R"("sessionIdentifier":"8f3c2a1e-5b6d-4c7e-9f80-112233445566",)"
            R"("principalIdentifier":")" +
                std::string(64, 'a') + R"(","ipAddress":"203.0.113.9","versionNumber":3})");
}

TEST(LifecycleEventsTest, DisconnectedPayloadHasReasonAndNoAddress) {
  AccountMessage m = DisconnectedEvent(Session("sensor-1"), kAt, false,
                                       mqtt::DisconnectReason::kDuplicateClientId);
  EXPECT_EQ(m.topic, "$aws/events/presence/disconnected/sensor-1");
  EXPECT_EQ(m.payload,
            R"({"clientId":"sensor-1","timestamp":1893456000123,"eventType":"disconnected",)"
            R"("sessionIdentifier":"8f3c2a1e-5b6d-4c7e-9f80-112233445566",)"
            R"("principalIdentifier":")" +
                std::string(64, 'a') +
                R"(","clientInitiatedDisconnect":false,"disconnectReason":"DUPLICATE_CLIENTID",)"
                R"("versionNumber":3})");
}

TEST(LifecycleEventsTest, ConnectFailedPayload) {
  AccountMessage m = ConnectFailedEvent(Session("sensor-1"), kAt);
  EXPECT_EQ(m.topic, "$aws/events/presence/connect_failed/sensor-1");
  EXPECT_EQ(m.payload,
            R"({"clientId":"sensor-1","timestamp":1893456000123,"eventType":"connect_failed",)"
            R"("connectFailureReason":"AUTHORIZATION_FAILED","principalIdentifier":")" +
                std::string(64, 'a') +
                R"(","sessionIdentifier":"8f3c2a1e-5b6d-4c7e-9f80-112233445566",)"
                R"("ipAddress":"203.0.113.9"})");
}

TEST(LifecycleEventsTest, ClientIdIsEscapedInJson) {
  AccountMessage m = ConnectedEvent(Session("a\"b\\c\n"), kAt);
  EXPECT_NE(m.payload.find(R"("clientId":"a\"b\\c\n")"), std::string::npos) << m.payload;
}

TEST(LifecycleEventsTest, WildcardClientIdsGetNoEvents) {
  EXPECT_TRUE(HasLifecycleEvents("sensor/1"));
  EXPECT_FALSE(HasLifecycleEvents("sensor+1"));
  EXPECT_FALSE(HasLifecycleEvents("sensor#1"));
}

}  // namespace
}  // namespace fg::gateway
