#include <gtest/gtest.h>

#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/variable_byte_integer.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using testing::Bytes;
using testing::DecodeOne;

struct RoundTripCase {
  const char* name;
  ProtocolVersion version;
  Packet packet;
};

std::vector<RoundTripCase> V311Cases() {
  constexpr auto v = ProtocolVersion::kV311;
  ConnectPacket full = testing::MakeConnect(v, "device-0001", 300);
  full.clean_start = false;
  full.will = Will{"dt/device-0001/status", std::string("gone\0x", 6), QoS::kAtLeastOnce, true, {}};
  full.username = "user";
  full.password = std::string("\x00\xff pw", 5);
  PublishPacket q1 = testing::MakePublish("a/b", "hello", QoS::kAtLeastOnce, 7);
  q1.dup = true;
  q1.retain = true;
  SubscribePacket sub = testing::MakeSubscribe(3, {"a/+/c", "#"}, QoS::kAtMostOnce);
  sub.subscriptions[1].max_qos = QoS::kExactlyOnce;
  return {
      {"connect_minimal", v, testing::MakeConnect(v, "c")},
      {"connect_empty_client_id", v, testing::MakeConnect(v, "")},
      {"connect_full", v, full},
      {"connack_ok", v, ConnackPacket{true, ReasonCode::kSuccess, {}}},
      {"connack_id_rejected", v, ConnackPacket{false, ReasonCode::kClientIdentifierNotValid, {}}},
      {"publish_qos0", v, testing::MakePublish("a", "")},
      {"publish_qos1", v, q1},
      {"publish_binary_payload", v, testing::MakePublish("t", std::string(300, '\0'))},
      {"puback", v, PubackPacket{65535, ReasonCode::kSuccess, {}}},
      {"subscribe", v, sub},
      {"suback", v, SubackPacket{3, {}, {ReasonCode::kGrantedQos1, ReasonCode::kUnspecifiedError}}},
      {"unsubscribe", v, UnsubscribePacket{4, {}, {"a/b", "c"}}},
      {"unsuback", v, UnsubackPacket{4, {}, {}}},
      {"pingreq", v, PingreqPacket{}},
      {"pingresp", v, PingrespPacket{}},
      {"disconnect", v, DisconnectPacket{}},
  };
}

std::vector<RoundTripCase> V5Cases() {
  constexpr auto v = ProtocolVersion::kV5;
  ConnectPacket full = testing::MakeConnect(v, "device-0002", 0);
  full.properties = {Property::Number(PropertyId::kSessionExpiryInterval, 3600),
                     Property::Number(PropertyId::kReceiveMaximum, 20),
                     Property::Number(PropertyId::kMaximumPacketSize, 1 << 16),
                     Property::User("k", "v"), Property::User("k", "v2")};
  Will will{"will/topic", "bye", QoS::kAtLeastOnce, false, {}};
  will.properties = {Property::Number(PropertyId::kWillDelayInterval, 5),
                     Property::Number(PropertyId::kPayloadFormatIndicator, 1),
                     Property::String(PropertyId::kContentType, "text/plain")};
  full.will = will;
  full.password = "secret";  // v5 allows a password without a user name
  PublishPacket pub = testing::MakePublish("a/b", "x", QoS::kAtLeastOnce, 9);
  pub.properties = {Property::Number(PropertyId::kMessageExpiryInterval, 10),
                    Property::String(PropertyId::kResponseTopic, "reply/here"),
                    Property::String(PropertyId::kCorrelationData, std::string("\x01\x00", 2)),
                    Property::Number(PropertyId::kSubscriptionIdentifier, 268'435'455),
                    Property::Number(PropertyId::kSubscriptionIdentifier, 1)};
  PublishPacket alias = testing::MakePublish("", "y");
  alias.properties = {Property::Number(PropertyId::kTopicAlias, 3)};
  SubscribePacket sub = testing::MakeSubscribe(11, {"x/#", "$aws/things/+/shadow"});
  sub.subscriptions[0].no_local = true;
  sub.subscriptions[0].retain_as_published = true;
  sub.subscriptions[1].retain_handling = 2;
  sub.properties = {Property::Number(PropertyId::kSubscriptionIdentifier, 42)};
  ConnackPacket connack{false,
                        ReasonCode::kSuccess,
                        {Property::Number(PropertyId::kServerKeepAlive, 1200),
                         Property::Number(PropertyId::kMaximumQos, 1),
                         Property::String(PropertyId::kAssignedClientIdentifier, "$gen-1")}};
  return {
      {"connect_minimal", v, testing::MakeConnect(v, "c")},
      {"connect_full", v, full},
      {"connack", v, connack},
      {"connack_refused", v, ConnackPacket{false, ReasonCode::kQosNotSupported, {}}},
      {"publish_props", v, pub},
      {"publish_topic_alias", v, alias},
      {"puback_short", v, PubackPacket{1, ReasonCode::kSuccess, {}}},
      {"puback_code", v, PubackPacket{2, ReasonCode::kNoMatchingSubscribers, {}}},
      {"puback_props", v,
       PubackPacket{3, ReasonCode::kSuccess, {Property::String(PropertyId::kReasonString, "ok")}}},
      {"subscribe", v, sub},
      {"suback", v,
       SubackPacket{11, {}, {ReasonCode::kGrantedQos1, ReasonCode::kTopicFilterInvalid}}},
      {"unsubscribe", v, UnsubscribePacket{5, {Property::User("a", "b")}, {"x/#"}}},
      {"unsuback", v,
       UnsubackPacket{5, {}, {ReasonCode::kSuccess, ReasonCode::kNoSubscriptionExisted}}},
      {"pingreq", v, PingreqPacket{}},
      {"pingresp", v, PingrespPacket{}},
      {"disconnect_normal", v, DisconnectPacket{}},
      {"disconnect_with_will", v, DisconnectPacket{ReasonCode::kDisconnectWithWill, {}}},
      {"disconnect_props", v,
       DisconnectPacket{ReasonCode::kSessionTakenOver,
                        {Property::String(PropertyId::kReasonString, "taken over")}}},
      {"auth", v,
       AuthPacket{ReasonCode::kContinueAuthentication,
                  {Property::String(PropertyId::kAuthenticationMethod, "x")}}},
  };
}

void ExpectRoundTrip(const RoundTripCase& c) {
  SCOPED_TRACE(c.name);
  const Bytes wire = Encode(c.packet, c.version);
  auto decoded = DecodeOne(wire, c.version);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  EXPECT_EQ(*decoded, c.packet);
  EXPECT_EQ(Encode(*decoded, c.version), wire);
}

TEST(CodecTest, RoundTripsEveryPacketInMqtt311) {
  for (const auto& c : V311Cases()) {
    ExpectRoundTrip(c);
  }
}

TEST(CodecTest, RoundTripsEveryPacketInMqtt5) {
  for (const auto& c : V5Cases()) {
    ExpectRoundTrip(c);
  }
}

TEST(CodecTest, EncodesKnownBytes) {
  // MQTT 3.1.1 §3.12/3.13 and a hand-checked CONNECT.
  EXPECT_EQ(Encode(PingreqPacket{}, ProtocolVersion::kV311), (Bytes{0xC0, 0x00}));
  EXPECT_EQ(Encode(PingrespPacket{}, ProtocolVersion::kV5), (Bytes{0xD0, 0x00}));
  EXPECT_EQ(Encode(ConnackPacket{false, ReasonCode::kNotAuthorized, {}}, ProtocolVersion::kV311),
            (Bytes{0x20, 0x02, 0x00, 0x05}));
  EXPECT_EQ(Encode(testing::MakeConnect(ProtocolVersion::kV311, "a", 10), ProtocolVersion::kV311),
            (Bytes{0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10, 0, 1, 'a'}));
  EXPECT_EQ(Encode(testing::MakeSubscribe(1, {"a"}), ProtocolVersion::kV311),
            (Bytes{0x82, 6, 0, 1, 0, 1, 'a', 1}));
}

TEST(CodecTest, V311MapsV5CodesItCannotCarry) {
  auto suback = Encode(SubackPacket{1, {}, {ReasonCode::kQuotaExceeded}}, ProtocolVersion::kV311);
  EXPECT_EQ(suback.back(), 0x80);
  auto connack =
      Encode(ConnackPacket{false, ReasonCode::kQosNotSupported, {}}, ProtocolVersion::kV311);
  EXPECT_EQ(connack.back(), 0x03);
  EXPECT_EQ(Encode(PubackPacket{5, ReasonCode::kNotAuthorized, {}}, ProtocolVersion::kV311),
            (Bytes{0x40, 0x02, 0x00, 0x05}));
}

TEST(CodecTest, RemainingLengthUsesMinimalMultiByteEncoding) {
  struct Case {
    std::size_t payload;
    std::size_t header_len;
  };
  // Topic "t" (3 bytes) + payload: remaining 127 -> 1 byte, 128 -> 2, 16384 -> 3.
  for (const Case c : {Case{124, 2}, Case{125, 3}, Case{16'380, 3}, Case{16'381, 4}}) {
    auto pub = testing::MakePublish("t", std::string(c.payload, 'p'));
    const Bytes wire = Encode(pub, ProtocolVersion::kV311);
    EXPECT_EQ(wire.size(), c.header_len + 3 + c.payload) << c.payload;
    auto back = DecodeOne(wire, ProtocolVersion::kV311);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(std::get<PublishPacket>(*back).payload.size(), c.payload);
  }
}

TEST(VarIntTest, ParsesBoundariesAndRejectsBadForms) {
  struct Case {
    Bytes bytes;
    bool ok;
    bool complete;
    std::uint32_t value;
  };
  const std::vector<Case> cases = {
      {{0x00}, true, true, 0},
      {{0x7F}, true, true, 127},
      {{0x80, 0x01}, true, true, 128},
      {{0xFF, 0x7F}, true, true, 16'383},
      {{0x80, 0x80, 0x01}, true, true, 16'384},
      {{0xFF, 0xFF, 0xFF, 0x7F}, true, true, kMaxVariableByteInteger},
      {{0x80}, true, false, 0},
      {{0xFF, 0xFF, 0xFF}, true, false, 0},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x01}, false, false, 0},  // 5 bytes
      {{0x80, 0x00}, false, false, 0},                    // non-minimal 0
      {{0x81, 0x80, 0x00}, false, false, 0},              // non-minimal 1
  };
  for (const auto& c : cases) {
    auto r = ParseVarInt(c.bytes);
    ASSERT_EQ(r.has_value(), c.ok) << ::testing::PrintToString(c.bytes);
    if (c.ok) {
      EXPECT_EQ(r->complete, c.complete);
      if (c.complete) {
        EXPECT_EQ(r->value, c.value);
        EXPECT_EQ(r->length, c.bytes.size());
        Bytes again;
        AppendVarInt(again, c.value);
        EXPECT_EQ(again, c.bytes);
      }
    } else {
      EXPECT_EQ(r.error().code, CodecErrc::kMalformedPacket);
    }
  }
}

}  // namespace
}  // namespace fg::mqtt
