#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "mqtt/codec_error.h"

namespace fg::mqtt {

// Bounds-checked big-endian reader over one packet's bytes (MQTT 5 §1.5 data representation).
// Every read fails with kMalformedPacket when the data runs out; nothing throws. The reader
// borrows `data`, which must outlive it.
class WireReader {
 public:
  explicit WireReader(std::span<const std::uint8_t> data) : data_(data) {}

  CodecResult<std::uint8_t> ReadByte();
  CodecResult<std::uint16_t> ReadU16();
  CodecResult<std::uint32_t> ReadU32();
  CodecResult<std::uint32_t> ReadVarInt();
  // A UTF-8 Encoded String, validated with IsValidMqttUtf8 (kMalformedPacket if invalid).
  CodecResult<std::string> ReadUtf8();
  // Binary Data: two-byte length then bytes, unchecked.
  CodecResult<std::string> ReadBinary();
  // Splits off the next `n` bytes as their own reader (for a property block).
  CodecResult<WireReader> ReadSub(std::size_t n);
  // Everything that is left (a PUBLISH payload, a will payload's remainder).
  std::string ReadRest();

  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

}  // namespace fg::mqtt
