#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace fg::mqtt {

struct ReplayStats {
  std::size_t packets_decoded = 0;  // by the bare framers (both versions)
  std::size_t actions = 0;          // emitted by the session
  bool session_closed = false;
};

// Fuzz-style replay: feeds arbitrary `input` to the codec and the session and returns what
// happened. Must never crash, throw or hang on any input; the fuzz target and the
// corpus-replay tests call it, and sanitizer builds check it.
//
// The first byte picks a chunk size (1..16) so that one input also exercises split reads.
// The input goes (a) through a bare Framer in 3.1.1 and in 5.0 layouts, decoding and
// re-encoding every packet it yields, and (b) through an authenticated Session in those
// chunks with the clock advancing 10 ms per chunk, then a tick past every deadline, a
// Deliver, and a connection loss.
ReplayStats ReplayBytes(std::span<const std::uint8_t> input);

}  // namespace fg::mqtt
