#include "mqtt/reason_code.h"

#include <array>
#include <utility>

namespace fg::mqtt {
namespace {

constexpr std::array<std::pair<ReasonCode, std::string_view>, 43> kNames = {{
    {ReasonCode::kSuccess, "Success"},
    {ReasonCode::kGrantedQos1, "GrantedQos1"},
    {ReasonCode::kGrantedQos2, "GrantedQos2"},
    {ReasonCode::kDisconnectWithWill, "DisconnectWithWill"},
    {ReasonCode::kNoMatchingSubscribers, "NoMatchingSubscribers"},
    {ReasonCode::kNoSubscriptionExisted, "NoSubscriptionExisted"},
    {ReasonCode::kContinueAuthentication, "ContinueAuthentication"},
    {ReasonCode::kReAuthenticate, "ReAuthenticate"},
    {ReasonCode::kUnspecifiedError, "UnspecifiedError"},
    {ReasonCode::kMalformedPacket, "MalformedPacket"},
    {ReasonCode::kProtocolError, "ProtocolError"},
    {ReasonCode::kImplementationSpecificError, "ImplementationSpecificError"},
    {ReasonCode::kUnsupportedProtocolVersion, "UnsupportedProtocolVersion"},
    {ReasonCode::kClientIdentifierNotValid, "ClientIdentifierNotValid"},
    {ReasonCode::kBadUserNameOrPassword, "BadUserNameOrPassword"},
    {ReasonCode::kNotAuthorized, "NotAuthorized"},
    {ReasonCode::kServerUnavailable, "ServerUnavailable"},
    {ReasonCode::kServerBusy, "ServerBusy"},
    {ReasonCode::kBanned, "Banned"},
    {ReasonCode::kServerShuttingDown, "ServerShuttingDown"},
    {ReasonCode::kBadAuthenticationMethod, "BadAuthenticationMethod"},
    {ReasonCode::kKeepAliveTimeout, "KeepAliveTimeout"},
    {ReasonCode::kSessionTakenOver, "SessionTakenOver"},
    {ReasonCode::kTopicFilterInvalid, "TopicFilterInvalid"},
    {ReasonCode::kTopicNameInvalid, "TopicNameInvalid"},
    {ReasonCode::kPacketIdentifierInUse, "PacketIdentifierInUse"},
    {ReasonCode::kPacketIdentifierNotFound, "PacketIdentifierNotFound"},
    {ReasonCode::kReceiveMaximumExceeded, "ReceiveMaximumExceeded"},
    {ReasonCode::kTopicAliasInvalid, "TopicAliasInvalid"},
    {ReasonCode::kPacketTooLarge, "PacketTooLarge"},
    {ReasonCode::kMessageRateTooHigh, "MessageRateTooHigh"},
    {ReasonCode::kQuotaExceeded, "QuotaExceeded"},
    {ReasonCode::kAdministrativeAction, "AdministrativeAction"},
    {ReasonCode::kPayloadFormatInvalid, "PayloadFormatInvalid"},
    {ReasonCode::kRetainNotSupported, "RetainNotSupported"},
    {ReasonCode::kQosNotSupported, "QosNotSupported"},
    {ReasonCode::kUseAnotherServer, "UseAnotherServer"},
    {ReasonCode::kServerMoved, "ServerMoved"},
    {ReasonCode::kSharedSubscriptionsNotSupported, "SharedSubscriptionsNotSupported"},
    {ReasonCode::kConnectionRateExceeded, "ConnectionRateExceeded"},
    {ReasonCode::kMaximumConnectTime, "MaximumConnectTime"},
    {ReasonCode::kSubscriptionIdentifiersNotSupported, "SubscriptionIdentifiersNotSupported"},
    {ReasonCode::kWildcardSubscriptionsNotSupported, "WildcardSubscriptionsNotSupported"},
}};

// MQTT 5 §3.14.2.1, table 3-10.
constexpr std::array<ReasonCode, 29> kDisconnectCodes = {
    ReasonCode::kSuccess,
    ReasonCode::kDisconnectWithWill,
    ReasonCode::kUnspecifiedError,
    ReasonCode::kMalformedPacket,
    ReasonCode::kProtocolError,
    ReasonCode::kImplementationSpecificError,
    ReasonCode::kNotAuthorized,
    ReasonCode::kServerBusy,
    ReasonCode::kServerShuttingDown,
    ReasonCode::kKeepAliveTimeout,
    ReasonCode::kSessionTakenOver,
    ReasonCode::kTopicFilterInvalid,
    ReasonCode::kTopicNameInvalid,
    ReasonCode::kReceiveMaximumExceeded,
    ReasonCode::kTopicAliasInvalid,
    ReasonCode::kPacketTooLarge,
    ReasonCode::kMessageRateTooHigh,
    ReasonCode::kQuotaExceeded,
    ReasonCode::kAdministrativeAction,
    ReasonCode::kPayloadFormatInvalid,
    ReasonCode::kRetainNotSupported,
    ReasonCode::kQosNotSupported,
    ReasonCode::kUseAnotherServer,
    ReasonCode::kServerMoved,
    ReasonCode::kSharedSubscriptionsNotSupported,
    ReasonCode::kConnectionRateExceeded,
    ReasonCode::kMaximumConnectTime,
    ReasonCode::kSubscriptionIdentifiersNotSupported,
    ReasonCode::kWildcardSubscriptionsNotSupported,
};

}  // namespace

std::string_view ReasonCodeName(ReasonCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) {
      return name;
    }
  }
  return "Unknown";
}

std::optional<std::uint8_t> V311ConnectReturnCode(ReasonCode code) {
  // MQTT 3.1.1 §3.2.2.3, table 3.1, paired with the nearest MQTT 5 code.
  switch (code) {
    case ReasonCode::kSuccess:
      return 0;
    case ReasonCode::kUnsupportedProtocolVersion:
      return 1;
    case ReasonCode::kClientIdentifierNotValid:
      return 2;
    case ReasonCode::kServerUnavailable:
    case ReasonCode::kServerBusy:
    case ReasonCode::kServerShuttingDown:
      return 3;
    case ReasonCode::kBadUserNameOrPassword:
      return 4;
    case ReasonCode::kNotAuthorized:
    case ReasonCode::kBanned:
      return 5;
    default:
      return std::nullopt;
  }
}

std::optional<ReasonCode> FromV311ConnectReturnCode(std::uint8_t code) {
  switch (code) {
    case 0:
      return ReasonCode::kSuccess;
    case 1:
      return ReasonCode::kUnsupportedProtocolVersion;
    case 2:
      return ReasonCode::kClientIdentifierNotValid;
    case 3:
      return ReasonCode::kServerUnavailable;
    case 4:
      return ReasonCode::kBadUserNameOrPassword;
    case 5:
      return ReasonCode::kNotAuthorized;
    default:
      return std::nullopt;
  }
}

bool IsDisconnectReasonCode(ReasonCode code) {
  for (ReasonCode c : kDisconnectCodes) {
    if (c == code) {
      return true;
    }
  }
  return false;
}

}  // namespace fg::mqtt
