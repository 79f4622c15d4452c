#include "mqtt/wire_reader.h"

#include "mqtt/utf8.h"
#include "mqtt/variable_byte_integer.h"

namespace fg::mqtt {

CodecResult<std::uint8_t> WireReader::ReadByte() {
  if (remaining() < 1) {
    return Malformed("packet truncated: expected a byte");
  }
  return data_[pos_++];
}

CodecResult<std::uint16_t> WireReader::ReadU16() {
  if (remaining() < 2) {
    return Malformed("packet truncated: expected a two-byte integer");
  }
  const auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

CodecResult<std::uint32_t> WireReader::ReadU32() {
  if (remaining() < 4) {
    return Malformed("packet truncated: expected a four-byte integer");
  }
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v = (v << 8) | data_[pos_ + i];
  }
  pos_ += 4;
  return v;
}

CodecResult<std::uint32_t> WireReader::ReadVarInt() {
  auto parsed = ParseVarInt(data_.subspan(pos_));
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  if (!parsed->complete) {
    return Malformed("packet truncated inside a variable byte integer");
  }
  pos_ += parsed->length;
  return parsed->value;
}

CodecResult<std::string> WireReader::ReadBinary() {
  auto len = ReadU16();
  if (!len) {
    return tl::unexpected(len.error());
  }
  if (remaining() < *len) {
    return Malformed("packet truncated: string or binary field longer than the packet");
  }
  const auto* begin = data_.data() + pos_;
  pos_ += *len;
  return std::string(reinterpret_cast<const char*>(begin), *len);
}

CodecResult<std::string> WireReader::ReadUtf8() {
  auto s = ReadBinary();
  if (s && !IsValidMqttUtf8(*s)) {
    return Malformed("string is not well-formed UTF-8 or contains U+0000");
  }
  return s;
}

CodecResult<WireReader> WireReader::ReadSub(std::size_t n) {
  if (remaining() < n) {
    return Malformed("property length runs past the end of the packet");
  }
  WireReader sub(data_.subspan(pos_, n));
  pos_ += n;
  return sub;
}

std::string WireReader::ReadRest() {
  const auto* begin = data_.data() + pos_;
  const std::size_t n = remaining();
  pos_ = data_.size();
  return std::string(reinterpret_cast<const char*>(begin), n);
}

}  // namespace fg::mqtt
