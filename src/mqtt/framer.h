#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "mqtt/codec_error.h"
#include "mqtt/packet.h"

namespace fg::mqtt {

// Incremental MQTT framer: takes the byte stream in chunks split anywhere and yields whole
// decoded packets. Sans-I/O; not thread-safe (one per connection, used on its strand).
//
// Memory: nothing is allocated up front. A packet that arrives whole inside one chunk is
// decoded in place; only a packet split across chunks is copied, into a buffer that grows
// with the bytes actually received (never by the announced length) and is released once the
// packet completes, so an idle connection holds no buffer.
//
// The size limit applies to the whole packet (fixed header + remaining length, as MQTT 5
// Maximum Packet Size, §3.1.2.11.4) and is checked as soon as the remaining length is known,
// before any of the body is buffered.
//
// Errors are sticky: after one, every call returns the same error.
class Framer {
 public:
  explicit Framer(std::size_t max_packet_size) : max_packet_size_(max_packet_size) {}

  // Layout for every packet after CONNECT. Starts as 3.1.1.
  void set_version(ProtocolVersion version) { version_ = version; }
  ProtocolVersion version() const { return version_; }

  // Consumes bytes from the front of `input` (advancing it) up to the end of the next whole
  // packet. Returns the packet; or nullopt once `input` is exhausted without completing one
  // (the partial packet is kept); or the decode error (kPacketTooLarge, kMalformedPacket, ...).
  CodecResult<std::optional<Packet>> Next(std::span<const std::uint8_t>& input);

  // Bytes of an incomplete packet currently held (header and body).
  std::size_t buffered_bytes() const { return header_len_ + body_.size(); }

 private:
  CodecResult<std::optional<Packet>> Fail(CodecError error);
  CodecResult<std::optional<Packet>> Finish(std::span<const std::uint8_t> body);

  std::size_t max_packet_size_;
  ProtocolVersion version_ = ProtocolVersion::kV311;
  std::array<std::uint8_t, 5> header_{};  // type byte + at most 4 length bytes
  std::uint8_t header_len_ = 0;
  bool have_length_ = false;
  std::uint32_t remaining_length_ = 0;
  std::vector<std::uint8_t> body_;
  std::unique_ptr<CodecError> error_;  // set once; a pointer keeps the healthy framer small
};

}  // namespace fg::mqtt
