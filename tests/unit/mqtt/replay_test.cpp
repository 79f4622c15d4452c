#include "mqtt/replay.h"

#include <random>

#include <gtest/gtest.h>

#include "mqtt/encoder.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using testing::Bytes;

// A valid client conversation to mutate, so random inputs get past CONNECT often enough to
// reach the connected-state handlers.
Bytes Conversation(ProtocolVersion v) {
  Bytes out;
  ConnectPacket c = testing::MakeConnect(v, "fuzz", 30);
  c.will = Will{"w", "x", QoS::kAtLeastOnce, false, {}};
  EncodeTo(out, c, v);
  EncodeTo(out, testing::MakeSubscribe(1, {"a/+", "#"}), v);
  EncodeTo(out, testing::MakePublish("a/b", "hello", QoS::kAtLeastOnce, 2), v);
  EncodeTo(out, PingreqPacket{}, v);
  EncodeTo(out, PubackPacket{1, ReasonCode::kSuccess, {}}, v);
  EncodeTo(out, UnsubscribePacket{3, {}, {"a/+"}}, v);
  EncodeTo(out, DisconnectPacket{}, v);
  return out;
}

TEST(ReplayTest, ValidConversationRunsToTheEnd) {
  for (ProtocolVersion v : {ProtocolVersion::kV311, ProtocolVersion::kV5}) {
    const Bytes input = Conversation(v);
    const ReplayStats stats = ReplayBytes(input);
    EXPECT_GE(stats.packets_decoded, 7u);
    EXPECT_GT(stats.actions, 8u);
    EXPECT_TRUE(stats.session_closed);
  }
}

TEST(ReplayTest, ThousandsOfPseudoRandomInputsNeverCrash) {
  std::mt19937 rng(20240601);  // fixed seed: failures reproduce
  std::uniform_int_distribution<int> byte(0, 255);
  const Bytes seeds[] = {Conversation(ProtocolVersion::kV311), Conversation(ProtocolVersion::kV5)};
  std::size_t decoded = 0;
  for (int i = 0; i < 4000; ++i) {
    Bytes input;
    if (i % 2 == 0) {
      // Random bytes of random length.
      input.resize(std::uniform_int_distribution<std::size_t>(0, 300)(rng));
      for (auto& b : input) {
        b = static_cast<std::uint8_t>(byte(rng));
      }
    } else {
      // A valid conversation with a few bytes flipped, truncated, or extended.
      input = seeds[static_cast<std::size_t>(i / 2) % 2];
      const int flips = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int f = 0; f < flips; ++f) {
        input[std::uniform_int_distribution<std::size_t>(0, input.size() - 1)(rng)] =
            static_cast<std::uint8_t>(byte(rng));
      }
      input.resize(std::uniform_int_distribution<std::size_t>(1, input.size() + 8)(rng));
    }
    const ReplayStats stats = ReplayBytes(input);
    EXPECT_TRUE(stats.session_closed);
    decoded += stats.packets_decoded;
  }
  EXPECT_GT(decoded, 2000u);  // the mutated inputs really reach the packet parsers
}

}  // namespace
}  // namespace fg::mqtt
