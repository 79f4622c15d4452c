#pragma once

#include <cstdint>
#include <string_view>

namespace fg::mqtt {

// Why a session ended, in AWS IoT's vocabulary (lifecycle event `disconnectReason`,
// aws-sdk-cpp Aws::IoT::Model::DisconnectReasonValue). The gateway writes these to the
// connection log and the disconnected event unchanged.
enum class DisconnectReason : std::uint8_t {
  kAuthError,
  kClientInitiatedDisconnect,
  kClientError,
  kConnectionLost,
  kDuplicateClientId,
  kForbiddenAccess,
  kMqttKeepAliveTimeout,
  kServerError,
  kServerInitiatedDisconnect,
  kApiInitiatedDisconnect,
  kThrottled,
  kWebsocketTtlExpiration,
  kCustomauthTtlExpiration,
  kUnknown,
  kNone,
};

// "MQTT_KEEP_ALIVE_TIMEOUT" etc., exactly as AWS spells them.
std::string_view DisconnectReasonName(DisconnectReason reason);

}  // namespace fg::mqtt
