#include "mqtt/properties.h"

#include <array>

#include "mqtt/variable_byte_integer.h"
#include "mqtt/wire_reader.h"
#include "mqtt/wire_writer.h"

namespace fg::mqtt {
namespace {

enum class Kind : std::uint8_t { kByte, kU16, kU32, kVarInt, kUtf8, kBinary, kUtf8Pair };
enum class Check : std::uint8_t { kNone, kBoolean, kNonZero };

constexpr std::uint16_t Bit(PropertyContext c) {
  return static_cast<std::uint16_t>(1u << static_cast<unsigned>(c));
}

constexpr std::uint16_t kConnect = Bit(PropertyContext::kConnect);
constexpr std::uint16_t kConnack = Bit(PropertyContext::kConnack);
constexpr std::uint16_t kPublish = Bit(PropertyContext::kPublish);
constexpr std::uint16_t kWill = Bit(PropertyContext::kWill);
constexpr std::uint16_t kPuback = Bit(PropertyContext::kPuback);
constexpr std::uint16_t kSubscribe = Bit(PropertyContext::kSubscribe);
constexpr std::uint16_t kSuback = Bit(PropertyContext::kSuback);
constexpr std::uint16_t kUnsuback = Bit(PropertyContext::kUnsuback);
constexpr std::uint16_t kDisconnect = Bit(PropertyContext::kDisconnect);
constexpr std::uint16_t kAuth = Bit(PropertyContext::kAuth);
constexpr std::uint16_t kAll = 0x07FF;  // every context, UNSUBSCRIBE included (User Property)

struct Spec {
  PropertyId id;
  Kind kind;
  std::uint16_t contexts;
  Check check;
};

// MQTT 5 §2.2.2.2 table 2-4, plus the value rules of each property's own section.
constexpr std::array<Spec, 27> kSpecs = {{
    {PropertyId::kPayloadFormatIndicator, Kind::kByte, kPublish | kWill, Check::kBoolean},
    {PropertyId::kMessageExpiryInterval, Kind::kU32, kPublish | kWill, Check::kNone},
    {PropertyId::kContentType, Kind::kUtf8, kPublish | kWill, Check::kNone},
    {PropertyId::kResponseTopic, Kind::kUtf8, kPublish | kWill, Check::kNone},
    {PropertyId::kCorrelationData, Kind::kBinary, kPublish | kWill, Check::kNone},
    {PropertyId::kSubscriptionIdentifier, Kind::kVarInt, kPublish | kSubscribe, Check::kNonZero},
    {PropertyId::kSessionExpiryInterval, Kind::kU32, kConnect | kConnack | kDisconnect,
     Check::kNone},
    {PropertyId::kAssignedClientIdentifier, Kind::kUtf8, kConnack, Check::kNone},
    {PropertyId::kServerKeepAlive, Kind::kU16, kConnack, Check::kNone},
    {PropertyId::kAuthenticationMethod, Kind::kUtf8, kConnect | kConnack | kAuth, Check::kNone},
    {PropertyId::kAuthenticationData, Kind::kBinary, kConnect | kConnack | kAuth, Check::kNone},
    {PropertyId::kRequestProblemInformation, Kind::kByte, kConnect, Check::kBoolean},
    {PropertyId::kWillDelayInterval, Kind::kU32, kWill, Check::kNone},
    {PropertyId::kRequestResponseInformation, Kind::kByte, kConnect, Check::kBoolean},
    {PropertyId::kResponseInformation, Kind::kUtf8, kConnack, Check::kNone},
    {PropertyId::kServerReference, Kind::kUtf8, kConnack | kDisconnect, Check::kNone},
    {PropertyId::kReasonString, Kind::kUtf8,
     kConnack | kPuback | kSuback | kUnsuback | kDisconnect | kAuth, Check::kNone},
    {PropertyId::kReceiveMaximum, Kind::kU16, kConnect | kConnack, Check::kNonZero},
    {PropertyId::kTopicAliasMaximum, Kind::kU16, kConnect | kConnack, Check::kNone},
    {PropertyId::kTopicAlias, Kind::kU16, kPublish, Check::kNonZero},
    {PropertyId::kMaximumQos, Kind::kByte, kConnack, Check::kBoolean},
    {PropertyId::kRetainAvailable, Kind::kByte, kConnack, Check::kBoolean},
    {PropertyId::kUserProperty, Kind::kUtf8Pair, kAll, Check::kNone},
    {PropertyId::kMaximumPacketSize, Kind::kU32, kConnect | kConnack, Check::kNonZero},
    {PropertyId::kWildcardSubscriptionAvailable, Kind::kByte, kConnack, Check::kBoolean},
    {PropertyId::kSubscriptionIdentifierAvailable, Kind::kByte, kConnack, Check::kBoolean},
    {PropertyId::kSharedSubscriptionAvailable, Kind::kByte, kConnack, Check::kBoolean},
}};

const Spec* FindSpec(std::uint8_t id) {
  for (const Spec& s : kSpecs) {
    if (static_cast<std::uint8_t>(s.id) == id) {
      return &s;
    }
  }
  return nullptr;
}

bool MayRepeat(PropertyId id, PropertyContext context) {
  // §3.3.2.3.8: several Subscription Identifiers in a PUBLISH; §3.8.2.1.2: only one in SUBSCRIBE.
  return id == PropertyId::kUserProperty ||
         (id == PropertyId::kSubscriptionIdentifier && context == PropertyContext::kPublish);
}

CodecResult<Property> ReadValue(WireReader& r, const Spec& spec) {
  Property p;
  p.id = spec.id;
  CodecResult<void> ok;
  switch (spec.kind) {
    case Kind::kByte:
      ok = r.ReadByte().map([&](std::uint8_t v) { p.number = v; });
      break;
    case Kind::kU16:
      ok = r.ReadU16().map([&](std::uint16_t v) { p.number = v; });
      break;
    case Kind::kU32:
      ok = r.ReadU32().map([&](std::uint32_t v) { p.number = v; });
      break;
    case Kind::kVarInt:
      ok = r.ReadVarInt().map([&](std::uint32_t v) { p.number = v; });
      break;
    case Kind::kUtf8:
      ok = r.ReadUtf8().map([&](std::string v) { p.value = std::move(v); });
      break;
    case Kind::kBinary:
      ok = r.ReadBinary().map([&](std::string v) { p.value = std::move(v); });
      break;
    case Kind::kUtf8Pair:
      ok = r.ReadUtf8()
               .map([&](std::string v) { p.value = std::move(v); })
               .and_then([&] { return r.ReadUtf8(); })
               .map([&](std::string v) { p.value2 = std::move(v); });
      break;
  }
  if (!ok) {
    return tl::unexpected(ok.error());
  }
  if (spec.check == Check::kBoolean && p.number > 1) {
    return ProtocolViolation("property 0x" + std::to_string(static_cast<int>(spec.id)) +
                             " must be 0 or 1");
  }
  if (spec.check == Check::kNonZero && p.number == 0) {
    return ProtocolViolation("property 0x" + std::to_string(static_cast<int>(spec.id)) +
                             " must not be 0");
  }
  return p;
}

std::size_t ValueSize(const Property& p, Kind kind) {
  switch (kind) {
    case Kind::kByte:
      return 1;
    case Kind::kU16:
      return 2;
    case Kind::kU32:
      return 4;
    case Kind::kVarInt:
      return VarIntSize(p.number);
    case Kind::kUtf8:
    case Kind::kBinary:
      return 2 + p.value.size();
    case Kind::kUtf8Pair:
      return 4 + p.value.size() + p.value2.size();
  }
  return 0;
}

std::size_t ContentSize(const Properties& props) {
  std::size_t n = 0;
  for (const Property& p : props) {
    const Spec* spec = FindSpec(static_cast<std::uint8_t>(p.id));
    if (spec != nullptr) {
      n += 1 + ValueSize(p, spec->kind);
    }
  }
  return n;
}

}  // namespace

Property Property::Number(PropertyId id, std::uint32_t number) {
  Property p;
  p.id = id;
  p.number = number;
  return p;
}

Property Property::String(PropertyId id, std::string value) {
  Property p;
  p.id = id;
  p.value = std::move(value);
  return p;
}

Property Property::User(std::string name, std::string value) {
  Property p;
  p.id = PropertyId::kUserProperty;
  p.value = std::move(name);
  p.value2 = std::move(value);
  return p;
}

const Property* FindProperty(const Properties& props, PropertyId id) {
  for (const Property& p : props) {
    if (p.id == id) {
      return &p;
    }
  }
  return nullptr;
}

CodecResult<Properties> DecodeProperties(WireReader& reader, PropertyContext context) {
  auto length = reader.ReadVarInt();
  if (!length) {
    return tl::unexpected(length.error());
  }
  auto block = reader.ReadSub(*length);
  if (!block) {
    return tl::unexpected(block.error());
  }
  Properties props;
  std::uint64_t seen = 0;  // bit per identifier; all identifiers are below 64
  while (!block->empty()) {
    auto id = block->ReadVarInt();
    if (!id) {
      return tl::unexpected(id.error());
    }
    const Spec* spec = *id < 256 ? FindSpec(static_cast<std::uint8_t>(*id)) : nullptr;
    if (spec == nullptr) {
      return Malformed("unknown property identifier " + std::to_string(*id));
    }
    if ((spec->contexts & Bit(context)) == 0) {
      return Malformed("property identifier " + std::to_string(*id) +
                       " is not allowed in this packet");
    }
    const std::uint64_t bit = std::uint64_t{1} << *id;
    if ((seen & bit) != 0 && !MayRepeat(spec->id, context)) {
      return ProtocolViolation("property identifier " + std::to_string(*id) +
                               " included more than once");
    }
    seen |= bit;
    auto p = ReadValue(*block, *spec);
    if (!p) {
      return tl::unexpected(p.error());
    }
    props.push_back(std::move(*p));
  }
  return props;
}

void EncodeProperties(std::vector<std::uint8_t>& out, const Properties& props) {
  AppendVarInt(out, static_cast<std::uint32_t>(ContentSize(props)));
  for (const Property& p : props) {
    const Spec* spec = FindSpec(static_cast<std::uint8_t>(p.id));
    if (spec == nullptr) {
      continue;  // not representable; Property values only come from the enum
    }
    AppendByte(out, static_cast<std::uint8_t>(p.id));
    switch (spec->kind) {
      case Kind::kByte:
        AppendByte(out, static_cast<std::uint8_t>(p.number));
        break;
      case Kind::kU16:
        AppendU16(out, static_cast<std::uint16_t>(p.number));
        break;
      case Kind::kU32:
        AppendU32(out, p.number);
        break;
      case Kind::kVarInt:
        AppendVarInt(out, p.number);
        break;
      case Kind::kUtf8:
      case Kind::kBinary:
        AppendString(out, p.value);
        break;
      case Kind::kUtf8Pair:
        AppendString(out, p.value);
        AppendString(out, p.value2);
        break;
    }
  }
}

std::size_t EncodedPropertiesSize(const Properties& props) {
  const std::size_t content = ContentSize(props);
  return VarIntSize(static_cast<std::uint32_t>(content)) + content;
}

}  // namespace fg::mqtt
