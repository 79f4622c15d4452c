#include "mqtt/codec_error.h"

namespace fg::mqtt {

ReasonCode CodecError::reason() const {
  switch (code) {
    case CodecErrc::kMalformedPacket:
      return ReasonCode::kMalformedPacket;
    case CodecErrc::kProtocolError:
      return ReasonCode::kProtocolError;
    case CodecErrc::kPacketTooLarge:
      return ReasonCode::kPacketTooLarge;
    case CodecErrc::kUnsupportedProtocolVersion:
      return ReasonCode::kUnsupportedProtocolVersion;
  }
  return ReasonCode::kUnspecifiedError;
}

std::string CodecError::ToString() const {
  std::string out(ReasonCodeName(reason()));
  out += ": ";
  out += message;
  return out;
}

}  // namespace fg::mqtt
