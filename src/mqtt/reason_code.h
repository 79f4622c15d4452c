#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fg::mqtt {

// MQTT 5.0 reason codes (MQTT 5 §2.4). The session speaks these for both protocol versions;
// the encoder maps them to MQTT 3.1.1 return codes where 3.1.1 has one (V311ConnectReturnCode).
// Any byte value is representable, so a decoded packet can carry a code we do not name.
enum class ReasonCode : std::uint8_t {
  kSuccess = 0x00,  // also Normal disconnection and Granted QoS 0
  kGrantedQos1 = 0x01,
  kGrantedQos2 = 0x02,
  kDisconnectWithWill = 0x04,
  kNoMatchingSubscribers = 0x10,
  kNoSubscriptionExisted = 0x11,
  kContinueAuthentication = 0x18,
  kReAuthenticate = 0x19,
  kUnspecifiedError = 0x80,
  kMalformedPacket = 0x81,
  kProtocolError = 0x82,
  kImplementationSpecificError = 0x83,
  kUnsupportedProtocolVersion = 0x84,
  kClientIdentifierNotValid = 0x85,
  kBadUserNameOrPassword = 0x86,
  kNotAuthorized = 0x87,
  kServerUnavailable = 0x88,
  kServerBusy = 0x89,
  kBanned = 0x8A,
  kServerShuttingDown = 0x8B,
  kBadAuthenticationMethod = 0x8C,
  kKeepAliveTimeout = 0x8D,
  kSessionTakenOver = 0x8E,
  kTopicFilterInvalid = 0x8F,
  kTopicNameInvalid = 0x90,
  kPacketIdentifierInUse = 0x91,
  kPacketIdentifierNotFound = 0x92,
  kReceiveMaximumExceeded = 0x93,
  kTopicAliasInvalid = 0x94,
  kPacketTooLarge = 0x95,
  kMessageRateTooHigh = 0x96,
  kQuotaExceeded = 0x97,
  kAdministrativeAction = 0x98,
  kPayloadFormatInvalid = 0x99,
  kRetainNotSupported = 0x9A,
  kQosNotSupported = 0x9B,
  kUseAnotherServer = 0x9C,
  kServerMoved = 0x9D,
  kSharedSubscriptionsNotSupported = 0x9E,
  kConnectionRateExceeded = 0x9F,
  kMaximumConnectTime = 0xA0,
  kSubscriptionIdentifiersNotSupported = 0xA1,
  kWildcardSubscriptionsNotSupported = 0xA2,
};

// True for codes >= 0x80 (MQTT 5 §2.4: "Reason Codes ... 0x80 or greater indicate failure").
inline bool IsFailure(ReasonCode code) { return static_cast<std::uint8_t>(code) >= 0x80; }

// "SessionTakenOver" for logs; "0x.." for codes without a name here.
std::string_view ReasonCodeName(ReasonCode code);

// The MQTT 3.1.1 CONNACK return code (§3.2.2.3) for a v5 CONNACK reason code, or nullopt if 3.1.1
// has none (the session then closes without CONNACK, which 3.1.1 allows for protocol errors).
std::optional<std::uint8_t> V311ConnectReturnCode(ReasonCode code);

// The v5 reason code for a 3.1.1 return code 0..5, or nullopt for reserved values (6..255).
std::optional<ReasonCode> FromV311ConnectReturnCode(std::uint8_t code);

// True if `code` may appear in a DISCONNECT packet (MQTT 5 §3.14.2.1).
bool IsDisconnectReasonCode(ReasonCode code);

}  // namespace fg::mqtt
