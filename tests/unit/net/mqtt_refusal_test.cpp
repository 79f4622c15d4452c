#include "net/mqtt_refusal.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mqtt/encoder.h"
#include "mqtt/packet.h"

namespace fg::net {
namespace {

using Outcome = RefusalResponder::Outcome;

std::vector<uint8_t> ConnectBytes(mqtt::ProtocolVersion version, const std::string& client_id) {
  mqtt::ConnectPacket connect;
  connect.version = version;
  connect.client_id = client_id;
  connect.keep_alive = 60;
  return mqtt::Encode(connect, version);
}

TEST(RefusalResponderTest, AnswersA311ConnectWithReturnCode5) {
  RefusalResponder responder(1024);
  EXPECT_EQ(responder.OnBytes(ConnectBytes(mqtt::ProtocolVersion::kV311, "dev-1")),
            Outcome::kConnack);
  // MQTT 3.1.1 §3.2: CONNACK, remaining length 2, no session present, 0x05 not authorized.
  EXPECT_EQ(responder.connack(), (std::vector<uint8_t>{0x20, 0x02, 0x00, 0x05}));
  EXPECT_EQ(responder.client_id(), "dev-1");
}

TEST(RefusalResponderTest, AnswersAV5ConnectWithReason0x87) {
  RefusalResponder responder(1024);
  EXPECT_EQ(responder.OnBytes(ConnectBytes(mqtt::ProtocolVersion::kV5, "dev-5")),
            Outcome::kConnack);
  ASSERT_GE(responder.connack().size(), 4u);
  EXPECT_EQ(responder.connack()[0], 0x20);
  EXPECT_EQ(responder.connack()[3], 0x87);
}

TEST(RefusalResponderTest, RegistryOutageAnswersServerUnavailable) {
  RefusalResponder responder(1024, mqtt::ReasonCode::kServerUnavailable);
  EXPECT_EQ(responder.OnBytes(ConnectBytes(mqtt::ProtocolVersion::kV311, "d")), Outcome::kConnack);
  EXPECT_EQ(responder.connack(), (std::vector<uint8_t>{0x20, 0x02, 0x00, 0x03}));
}

TEST(RefusalResponderTest, WaitsForAConnectSplitAcrossReads) {
  RefusalResponder responder(1024);
  std::vector<uint8_t> bytes = ConnectBytes(mqtt::ProtocolVersion::kV311, "split");
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    ASSERT_EQ(responder.OnBytes(std::span<const uint8_t>(&bytes[i], 1)), Outcome::kNeedMore);
  }
  EXPECT_EQ(responder.OnBytes(std::span<const uint8_t>(&bytes.back(), 1)), Outcome::kConnack);
}

struct CloseCase {
  std::string name;
  std::vector<uint8_t> bytes;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const CloseCase& c, std::ostream* os) { *os << c.name; }

class RefusalResponderCloseTest : public ::testing::TestWithParam<CloseCase> {};

TEST_P(RefusalResponderCloseTest, ClosesWithoutAnswer) {
  RefusalResponder responder(64);
  EXPECT_EQ(responder.OnBytes(GetParam().bytes), Outcome::kClose);
  EXPECT_TRUE(responder.connack().empty());
}

INSTANTIATE_TEST_SUITE_P(Cases, RefusalResponderCloseTest,
                         ::testing::Values(
                             // PINGREQ first: MQTT-3.1.0-1 requires CONNECT.
                             CloseCase{"NotConnect", {0xC0, 0x00}},
                             // Reserved packet type 0.
                             CloseCase{"ReservedType", {0x00, 0x00}},
                             // Remaining length beyond the 64-byte limit: refused before buffering.
                             CloseCase{"TooLarge", {0x10, 0xFF, 0x7F}},
                             // CONNECT with a protocol name that is not MQTT.
                             CloseCase{"BadProtocolName",
                                       {0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02,
                                        0x00, 0x3C, 0x00, 0x00}}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace fg::net
