#include "mqtt/session_state.h"

namespace fg::mqtt {

std::size_t SessionState::PayloadBytes() const {
  std::size_t bytes = 0;
  for (const ApplicationMessage& m : pending) {
    bytes += m.payload.size();
  }
  for (const PublishPacket& p : unacknowledged) {
    bytes += p.payload.size();
  }
  return bytes;
}

}  // namespace fg::mqtt
