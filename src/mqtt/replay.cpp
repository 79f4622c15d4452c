#include "mqtt/replay.h"

#include <algorithm>
#include <variant>

#include "core/clock.h"
#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "mqtt/session.h"

namespace fg::mqtt {
namespace {

std::size_t FramerPass(std::span<const std::uint8_t> input, ProtocolVersion version) {
  Framer framer(1 << 20);
  framer.set_version(version);
  std::size_t decoded = 0;
  while (true) {
    auto next = framer.Next(input);
    if (!next || !next->has_value()) {
      return decoded;
    }
    ++decoded;
    // Whatever the decoder accepts must be encodable without tripping the encoder's asserts.
    (void)Encode(**next, version);
  }
}

// A resumed session with a little of everything, so that resumption is replayed too.
SessionState StoredForReplay(ProtocolVersion version) {
  SessionState state;
  state.version = version;
  state.expiry_seconds = 60;
  state.subscriptions.emplace_back("replay/#", SubscriptionOptions{QoS::kAtLeastOnce});
  PublishPacket unacked;
  unacked.qos = QoS::kAtLeastOnce;
  unacked.topic = "replay/unacked";
  unacked.packet_id = 7;
  state.unacknowledged.push_back(unacked);
  state.pending.push_back(ApplicationMessage{"replay/pending", "p", QoS::kAtLeastOnce, false, {}});
  return state;
}

}  // namespace

ReplayStats ReplayBytes(std::span<const std::uint8_t> input) {
  ReplayStats stats;
  stats.packets_decoded =
      FramerPass(input, ProtocolVersion::kV311) + FramerPass(input, ProtocolVersion::kV5);

  const std::size_t chunk = input.empty() ? 1 : std::size_t{1} + (input[0] % 16u);
  static const Limits kLimits;
  TimePoint now = FromEpochSeconds(1'700'000'000);
  Session session(kLimits, now);
  session.OnAuthenticated("principal", "replay");
  for (std::size_t pos = 0; pos < input.size() && session.state() != Session::State::kClosed;
       pos += chunk) {
    const Actions actions =
        session.OnBytes(input.subspan(pos, std::min(chunk, input.size() - pos)), now);
    stats.actions += actions.size();
    for (const Action& action : actions) {
      const auto* established = std::get_if<SessionEstablished>(&action);
      if (established != nullptr && !established->clean_start) {
        stats.actions += session.OnResume(StoredForReplay(established->version), now).size();
      }
    }
    now += std::chrono::milliseconds(10);
  }
  const ApplicationMessage message{"replay/topic", "x", QoS::kAtLeastOnce, false, {}};
  stats.actions += session.Deliver(message, QoS::kAtLeastOnce, now).size();
  if (auto deadline = session.NextDeadline()) {
    stats.actions += session.OnTick(*deadline).size();
  }
  stats.actions += session.OnConnectionLost(now).size();
  stats.session_closed = session.state() == Session::State::kClosed;
  return stats;
}

}  // namespace fg::mqtt
