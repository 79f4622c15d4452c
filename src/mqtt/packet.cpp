#include "mqtt/packet.h"

namespace fg::mqtt {

std::string_view PacketTypeName(PacketType type) {
  switch (type) {
    case PacketType::kConnect:
      return "CONNECT";
    case PacketType::kConnack:
      return "CONNACK";
    case PacketType::kPublish:
      return "PUBLISH";
    case PacketType::kPuback:
      return "PUBACK";
    case PacketType::kPubrec:
      return "PUBREC";
    case PacketType::kPubrel:
      return "PUBREL";
    case PacketType::kPubcomp:
      return "PUBCOMP";
    case PacketType::kSubscribe:
      return "SUBSCRIBE";
    case PacketType::kSuback:
      return "SUBACK";
    case PacketType::kUnsubscribe:
      return "UNSUBSCRIBE";
    case PacketType::kUnsuback:
      return "UNSUBACK";
    case PacketType::kPingreq:
      return "PINGREQ";
    case PacketType::kPingresp:
      return "PINGRESP";
    case PacketType::kDisconnect:
      return "DISCONNECT";
    case PacketType::kAuth:
      return "AUTH";
  }
  return "RESERVED";
}

PacketType TypeOf(const Packet& packet) {
  // The variant's alternatives are listed in wire order minus PUBREC/PUBREL/PUBCOMP.
  static constexpr PacketType kTypes[] = {
      PacketType::kConnect,     PacketType::kConnack,    PacketType::kPublish,
      PacketType::kPuback,      PacketType::kSubscribe,  PacketType::kSuback,
      PacketType::kUnsubscribe, PacketType::kUnsuback,   PacketType::kPingreq,
      PacketType::kPingresp,    PacketType::kDisconnect, PacketType::kAuth,
  };
  return kTypes[packet.index()];
}

}  // namespace fg::mqtt
