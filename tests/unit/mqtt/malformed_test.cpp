#include <gtest/gtest.h>

#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using testing::Bytes;
using testing::DecodeOne;

constexpr auto kV3 = ProtocolVersion::kV311;
constexpr auto kV5 = ProtocolVersion::kV5;
constexpr auto kMalformed = CodecErrc::kMalformedPacket;
constexpr auto kProtocol = CodecErrc::kProtocolError;
constexpr auto kVersion = CodecErrc::kUnsupportedProtocolVersion;

// Prefixes `body` with a fixed header: `first` and a one-byte remaining length.
Bytes Packet1(std::uint8_t first, Bytes body) {
  Bytes out{first, static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

Bytes Str(std::string_view s) {
  Bytes out{static_cast<std::uint8_t>(s.size() >> 8), static_cast<std::uint8_t>(s.size())};
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// CONNECT with the given protocol name, level and connect flags, keep-alive 60, client id "c",
// then `tail` (v5 callers put the property block in `props`).
Bytes Connect(std::string_view name, std::uint8_t level, std::uint8_t flags, Bytes props,
              Bytes tail) {
  return Packet1(0x10, Cat({Str(name), {level, flags, 0, 60}, props, Str("c"), tail}));
}

struct MalformedCase {
  const char* name;
  ProtocolVersion version;
  Bytes bytes;
  CodecErrc expected;
};

std::vector<MalformedCase> Cases() {
  return {
      // Fixed header and remaining length.
      {"vbi_5_bytes", kV3, {0xC0, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, kMalformed},
      {"vbi_non_minimal", kV3, {0xC0, 0x80, 0x00}, kMalformed},
      {"type_0_reserved", kV3, {0x00, 0x00}, kMalformed},
      {"type_15_in_v311", kV3, {0xF0, 0x00}, kMalformed},
      {"pingreq_flags", kV3, {0xC1, 0x00}, kMalformed},
      {"pingreq_body", kV3, {0xC0, 0x01, 0x00}, kMalformed},
      {"pingresp_flags", kV5, {0xD8, 0x00}, kMalformed},
      {"puback_flags", kV3, {0x42, 0x02, 0x00, 0x01}, kMalformed},
      {"disconnect_v311_body", kV3, {0xE0, 0x01, 0x00}, kMalformed},
      {"pubrec_qos2_flow", kV3, {0x50, 0x02, 0x00, 0x01}, kProtocol},
      {"pubrel_qos2_flow", kV5, {0x62, 0x02, 0x00, 0x01}, kProtocol},
      // CONNECT.
      {"connect_flags_nibble", kV3, {0x11, 0x02, 0x00, 0x00}, kMalformed},
      {"connect_wrong_name", kV3, Connect("MQTX", 4, 0x02, {}, {}), kMalformed},
      {"connect_lowercase_name", kV3, Connect("mqtt", 4, 0x02, {}, {}), kMalformed},
      {"connect_mqtt31", kV3, Connect("MQIsdp", 3, 0x02, {}, {}), kVersion},
      {"connect_level_3", kV3, Connect("MQTT", 3, 0x02, {}, {}), kVersion},
      {"connect_level_6", kV3, Connect("MQTT", 6, 0x02, {}, {}), kVersion},
      {"connect_reserved_flag", kV3, Connect("MQTT", 4, 0x03, {}, {}), kMalformed},
      {"connect_will_qos3", kV3, Connect("MQTT", 4, 0x1E, {}, Cat({Str("w"), Str("x")})),
       kMalformed},
      {"connect_will_qos_no_will", kV3, Connect("MQTT", 4, 0x0A, {}, {}), kMalformed},
      {"connect_will_retain_no_will", kV3, Connect("MQTT", 4, 0x22, {}, {}), kMalformed},
      {"connect_password_no_user", kV3, Connect("MQTT", 4, 0x42, {}, Str("pw")), kMalformed},
      {"connect_trailing", kV3, Connect("MQTT", 4, 0x02, {}, {0x00}), kMalformed},
      {"connect_truncated_user", kV3, Connect("MQTT", 4, 0x82, {}, {0x00, 0x05, 'a'}), kMalformed},
      {"connect_will_wildcard", kV3, Connect("MQTT", 4, 0x06, {}, Cat({Str("a/#"), Str("x")})),
       kProtocol},
      {"connect_client_id_nul", kV3,
       Packet1(0x10, Cat({Str("MQTT"), {4, 0x02, 0, 60}, Str(std::string_view("a\0b", 3))})),
       kMalformed},
      {"connect_v5_dup_property", kV5,
       Connect("MQTT", 5, 0x02, {10, 0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2}, {}), kProtocol},
      {"connect_v5_topic_alias_not_allowed", kV5, Connect("MQTT", 5, 0x02, {3, 0x23, 0, 1}, {}),
       kMalformed},
      {"connect_v5_unknown_property", kV5, Connect("MQTT", 5, 0x02, {2, 0x7F, 0}, {}), kMalformed},
      {"connect_v5_receive_max_0", kV5, Connect("MQTT", 5, 0x02, {3, 0x21, 0, 0}, {}), kProtocol},
      {"connect_v5_problem_info_2", kV5, Connect("MQTT", 5, 0x02, {2, 0x17, 2}, {}), kProtocol},
      {"connect_v5_props_past_end", kV5, Connect("MQTT", 5, 0x02, {40, 0x17, 1}, {}), kMalformed},
      {"connect_v5_user_prop_bad_utf8", kV5,
       Connect("MQTT", 5, 0x02, Cat({{8, 0x26}, Str("k"), {0, 2, 0xC3, 0x28}}), {}), kMalformed},
      // PUBLISH.
      {"publish_qos3", kV3, Packet1(0x36, Cat({Str("a"), {0, 1}})), kMalformed},
      {"publish_qos0_dup", kV3, Packet1(0x38, Str("a")), kMalformed},
      {"publish_packet_id_0", kV3, Packet1(0x32, Cat({Str("a"), {0, 0}})), kMalformed},
      {"publish_hash_in_topic", kV3, Packet1(0x30, Str("a/#")), kProtocol},
      {"publish_plus_in_topic", kV5, Packet1(0x30, Cat({Str("a/+/b"), {0}})), kProtocol},
      {"publish_bad_utf8", kV3, Packet1(0x30, {0, 2, 0xC3, 0x28}), kMalformed},
      {"publish_nul", kV3, Packet1(0x30, {0, 2, 'a', 0x00}), kMalformed},
      {"publish_surrogate", kV3, Packet1(0x30, {0, 3, 0xED, 0xA0, 0x80}), kMalformed},
      {"publish_overlong", kV3, Packet1(0x30, {0, 2, 0xC0, 0xAF}), kMalformed},
      {"publish_above_10ffff", kV3, Packet1(0x30, {0, 4, 0xF4, 0x90, 0x80, 0x80}), kMalformed},
      {"publish_topic_past_end", kV3, Packet1(0x30, {0, 9, 'a'}), kMalformed},
      {"publish_empty_topic_v311", kV3, Packet1(0x30, Str("")), kProtocol},
      {"publish_empty_topic_v5_no_alias", kV5, Packet1(0x30, Cat({Str(""), {0}})), kProtocol},
      {"publish_v5_topic_alias_0", kV5, Packet1(0x30, Cat({Str("a"), {3, 0x23, 0, 0}})), kProtocol},
      {"publish_v5_session_expiry_not_allowed", kV5,
       Packet1(0x30, Cat({Str("a"), {5, 0x11, 0, 0, 0, 1}})), kMalformed},
      {"publish_v5_format_indicator_2", kV5, Packet1(0x30, Cat({Str("a"), {2, 0x01, 2}})),
       kProtocol},
      // SUBSCRIBE / UNSUBSCRIBE.
      {"subscribe_flags_0", kV3, Packet1(0x80, Cat({{0, 1}, Str("a"), {1}})), kMalformed},
      {"subscribe_packet_id_0", kV3, Packet1(0x82, Cat({{0, 0}, Str("a"), {1}})), kMalformed},
      {"subscribe_empty", kV3, Packet1(0x82, {0, 1}), kProtocol},
      {"subscribe_qos3", kV3, Packet1(0x82, Cat({{0, 1}, Str("a"), {3}})), kMalformed},
      {"subscribe_v311_option_bits", kV3, Packet1(0x82, Cat({{0, 1}, Str("a"), {0x04}})),
       kMalformed},
      {"subscribe_missing_options", kV3, Packet1(0x82, Cat({{0, 1}, Str("a")})), kMalformed},
      {"subscribe_v5_reserved_bits", kV5, Packet1(0x82, Cat({{0, 1, 0}, Str("a"), {0x40}})),
       kMalformed},
      {"subscribe_v5_retain_handling_3", kV5, Packet1(0x82, Cat({{0, 1, 0}, Str("a"), {0x30}})),
       kProtocol},
      {"subscribe_v5_two_sub_ids", kV5,
       Packet1(0x82, Cat({{0, 1, 4, 0x0B, 1, 0x0B, 2}, Str("a"), {1}})), kProtocol},
      {"subscribe_v5_sub_id_0", kV5, Packet1(0x82, Cat({{0, 1, 2, 0x0B, 0}, Str("a"), {1}})),
       kProtocol},
      {"unsubscribe_flags_0", kV3, Packet1(0xA0, Cat({{0, 1}, Str("a")})), kMalformed},
      {"unsubscribe_empty", kV5, Packet1(0xA2, {0, 1, 0}), kProtocol},
      // DISCONNECT / AUTH (v5).
      {"disconnect_v5_unknown_reason", kV5, {0xE0, 0x01, 0x05}, kProtocol},
      {"disconnect_v5_flags", kV5, {0xE2, 0x00}, kMalformed},
      {"disconnect_v5_trailing", kV5, {0xE0, 0x03, 0x00, 0x00, 0x00}, kMalformed},
      {"auth_v5_bad_reason", kV5, {0xF0, 0x01, 0x01}, kProtocol},
  };
}

TEST(MalformedPacketTest, EachIsRefusedWithItsTypedError) {
  for (const auto& c : Cases()) {
    auto r = DecodeOne(c.bytes, c.version);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, c.expected) << c.name << ": " << r.error().ToString();
    EXPECT_FALSE(r.error().message.empty()) << c.name;
  }
}

TEST(MalformedPacketTest, OversizeIsRefusedFromTheLengthAlone) {
  Framer framer(100);
  // PUBLISH announcing 16,383 bytes; none of the body is sent.
  const Bytes header{0x30, 0xFF, 0x7F};
  std::span<const std::uint8_t> in(header);
  auto r = framer.Next(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, CodecErrc::kPacketTooLarge);
  EXPECT_EQ(r.error().reason(), ReasonCode::kPacketTooLarge);
  EXPECT_EQ(framer.buffered_bytes(), 0u);
}

TEST(MalformedPacketTest, LimitCountsTheWholePacket) {
  const Bytes wire = Encode(testing::MakePublish("t", std::string(95, 'x')), kV3);
  ASSERT_EQ(wire.size(), 100u);
  EXPECT_TRUE(DecodeOne(wire, kV3, 100).has_value());
  auto r = DecodeOne(wire, kV3, 99);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, CodecErrc::kPacketTooLarge);
}

// Cutting a valid CONNECT/SUBSCRIBE body short (with the remaining length fixed up to match)
// must fail cleanly at every length; other packets may legitimately stay valid when cut
// (a PUBLISH payload), so for them the test only demands no crash.
TEST(MalformedPacketTest, TruncatedBodiesFailCleanlyAtEveryByte) {
  ConnectPacket connect = testing::MakeConnect(kV5, "device");
  connect.will = Will{"w/t",
                      "bye",
                      QoS::kAtLeastOnce,
                      false,
                      {Property::Number(PropertyId::kWillDelayInterval, 1)}};
  connect.username = "u";
  connect.password = "p";
  connect.properties = {Property::User("a", "b")};
  const std::vector<std::pair<Packet, bool>> packets = {
      {connect, true},
      {testing::MakeSubscribe(1, {"a/b"}), true},
      {testing::MakePublish("a/b", "payload", QoS::kAtLeastOnce, 1), false},
      {UnsubscribePacket{2, {}, {"x"}}, false},
  };
  for (const auto& [packet, must_fail] : packets) {
    const Bytes wire = Encode(packet, kV5);
    const std::size_t header = 2;  // all are short enough for a one-byte remaining length
    const std::span<const std::uint8_t> body(wire.data() + header, wire.size() - header);
    for (std::size_t len = 0; len < body.size(); ++len) {
      auto r = DecodePacket(wire[0], body.first(len), kV5);
      if (must_fail) {
        EXPECT_FALSE(r.has_value()) << PacketTypeName(TypeOf(packet)) << " cut at " << len;
      }
    }
  }
}

}  // namespace
}  // namespace fg::mqtt
