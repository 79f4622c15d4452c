#include "mqtt/framer.h"

#include <algorithm>
#include <string>

#include "mqtt/decoder.h"
#include "mqtt/variable_byte_integer.h"

namespace fg::mqtt {

CodecResult<std::optional<Packet>> Framer::Fail(CodecError error) {
  error_ = std::make_unique<CodecError>(std::move(error));
  header_len_ = 0;
  have_length_ = false;
  std::vector<std::uint8_t>().swap(body_);
  return tl::unexpected(*error_);
}

CodecResult<std::optional<Packet>> Framer::Finish(std::span<const std::uint8_t> body) {
  auto packet = DecodePacket(header_[0], body, version_);
  header_len_ = 0;
  have_length_ = false;
  remaining_length_ = 0;
  if (!packet) {
    return Fail(std::move(packet.error()));
  }
  return std::optional<Packet>(std::move(*packet));
}

CodecResult<std::optional<Packet>> Framer::Next(std::span<const std::uint8_t>& input) {
  if (error_) {
    return tl::unexpected(*error_);
  }
  while (!have_length_) {
    if (input.empty()) {
      return std::optional<Packet>();
    }
    header_[header_len_++] = input.front();
    input = input.subspan(1);
    if (header_len_ == 1) {
      continue;
    }
    // ParseVarInt fails on a 4th continuation byte, so header_ never overflows.
    auto length = ParseVarInt(std::span<const std::uint8_t>(header_.data() + 1, header_len_ - 1u));
    if (!length) {
      return Fail(std::move(length.error()));
    }
    if (!length->complete) {
      continue;
    }
    const std::size_t total = header_len_ + std::size_t{length->value};
    if (total > max_packet_size_) {
      return Fail(CodecError{CodecErrc::kPacketTooLarge, "packet of " + std::to_string(total) +
                                                             " bytes exceeds the limit of " +
                                                             std::to_string(max_packet_size_)});
    }
    remaining_length_ = length->value;
    have_length_ = true;
  }
  if (body_.empty() && input.size() >= remaining_length_) {
    const auto body = input.first(remaining_length_);
    input = input.subspan(remaining_length_);
    return Finish(body);
  }
  const std::size_t take = std::min<std::size_t>(remaining_length_ - body_.size(), input.size());
  body_.insert(body_.end(), input.begin(), input.begin() + static_cast<std::ptrdiff_t>(take));
  input = input.subspan(take);
  if (body_.size() < remaining_length_) {
    return std::optional<Packet>();
  }
  std::vector<std::uint8_t> body;
  body.swap(body_);  // releases the buffer whatever the outcome
  return Finish(body);
}

}  // namespace fg::mqtt
