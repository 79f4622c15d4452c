// Target: mqtt::ReplayBytes, which drives the whole device-facing MQTT stack sans-I/O: bare
// Framers in both layouts (decode and re-encode), and an authenticated Session fed the bytes in
// chunks (CONNECT handling and version switch, keep-alive and CONNECT deadlines, SUBSCRIBE /
// UNSUBSCRIBE limits, PUBLISH and the QoS 1 outbound window, DISCONNECT, connection loss).
//
// Invariant: after the connection loss at the end of every replay the session is closed.

#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/fuzz_check.h"
#include "mqtt/replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fg::mqtt::ReplayStats stats =
      fg::mqtt::ReplayBytes(std::span<const std::uint8_t>(data, size));
  FG_FUZZ_CHECK(stats.session_closed, "a lost connection always ends the session");
  return 0;
}
