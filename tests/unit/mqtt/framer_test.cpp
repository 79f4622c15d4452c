#include "mqtt/framer.h"

#include <gtest/gtest.h>

#include "mqtt/encoder.h"
#include "unit/mqtt/wire_test_support.h"

namespace fg::mqtt {
namespace {

using testing::Bytes;

std::vector<Packet> SamplePackets() {
  PublishPacket big =
      testing::MakePublish("big/topic", std::string(20'000, 'z'), QoS::kAtLeastOnce, 77);
  big.properties = {Property::User("k", "v")};
  return {
      testing::MakeConnect(ProtocolVersion::kV5, "dev"),
      testing::MakePublish("a/b", "hello"),
      big,
      PingreqPacket{},
      testing::MakeSubscribe(9, {"a/#", "b/+"}),
      PubackPacket{77, ReasonCode::kSuccess, {}},
      DisconnectPacket{ReasonCode::kDisconnectWithWill, {}},
  };
}

Bytes Stream(const std::vector<Packet>& packets) {
  Bytes out;
  for (const auto& p : packets) {
    EncodeTo(out, p, ProtocolVersion::kV5);
  }
  return out;
}

// Feeds `stream` in chunks of `chunk` bytes and collects every packet.
std::vector<Packet> FeedInChunks(const Bytes& stream, std::size_t chunk) {
  Framer framer(1 << 20);
  framer.set_version(ProtocolVersion::kV5);
  std::vector<Packet> out;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    std::span<const std::uint8_t> in(stream.data() + pos, std::min(chunk, stream.size() - pos));
    while (true) {
      auto r = framer.Next(in);
      EXPECT_TRUE(r.has_value()) << r.error().ToString();
      if (!r || !r->has_value()) {
        break;
      }
      out.push_back(std::move(**r));
    }
    EXPECT_TRUE(in.empty());
  }
  EXPECT_EQ(framer.buffered_bytes(), 0u);
  return out;
}

TEST(FramerTest, OneByteChunksYieldEveryPacket) {
  const auto packets = SamplePackets();
  EXPECT_EQ(FeedInChunks(Stream(packets), 1), packets);
}

TEST(FramerTest, WholeStreamInOneChunkYieldsPacketsOneAtATime) {
  const auto packets = SamplePackets();
  EXPECT_EQ(FeedInChunks(Stream(packets), 1 << 20), packets);
}

TEST(FramerTest, EveryTwoWaySplitOfEachPacketWorks) {
  for (const auto& p : SamplePackets()) {
    const Bytes wire = Encode(p, ProtocolVersion::kV5);
    for (std::size_t cut = 0; cut <= wire.size(); cut += (wire.size() > 300 ? 97u : 1u)) {
      Framer framer(1 << 20);
      framer.set_version(ProtocolVersion::kV5);
      std::span<const std::uint8_t> first(wire.data(), cut);
      auto r1 = framer.Next(first);
      ASSERT_TRUE(r1.has_value());
      if (cut == wire.size()) {
        ASSERT_TRUE(r1->has_value());
        EXPECT_EQ(**r1, p);
        continue;
      }
      EXPECT_FALSE(r1->has_value()) << "cut " << cut;
      EXPECT_EQ(framer.buffered_bytes(), cut);
      std::span<const std::uint8_t> rest(wire.data() + cut, wire.size() - cut);
      auto r2 = framer.Next(rest);
      ASSERT_TRUE(r2.has_value()) << r2.error().ToString();
      ASSERT_TRUE(r2->has_value()) << "cut " << cut;
      EXPECT_EQ(**r2, p);
      EXPECT_TRUE(rest.empty());
    }
  }
}

TEST(FramerTest, ErrorsAreSticky) {
  Framer framer(1000);
  const Bytes bad{0x00, 0x00, 0xC0, 0x00};
  std::span<const std::uint8_t> in(bad);
  ASSERT_FALSE(framer.Next(in).has_value());
  const Bytes good{0xC0, 0x00};
  std::span<const std::uint8_t> again(good);
  auto r = framer.Next(again);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, CodecErrc::kMalformedPacket);
}

TEST(FramerTest, UsesTheNegotiatedVersion) {
  const Bytes disconnect_v5{0xE0, 0x01, 0x04};
  Framer v3(100);
  std::span<const std::uint8_t> in3(disconnect_v5);
  EXPECT_FALSE(v3.Next(in3).has_value());
  Framer v5(100);
  v5.set_version(ProtocolVersion::kV5);
  std::span<const std::uint8_t> in5(disconnect_v5);
  auto r = v5.Next(in5);
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ(std::get<DisconnectPacket>(**r).reason_code, ReasonCode::kDisconnectWithWill);
}

}  // namespace
}  // namespace fg::mqtt
