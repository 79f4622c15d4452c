#include "mqtt/disconnect_reason.h"

namespace fg::mqtt {

std::string_view DisconnectReasonName(DisconnectReason reason) {
  switch (reason) {
    case DisconnectReason::kAuthError:
      return "AUTH_ERROR";
    case DisconnectReason::kClientInitiatedDisconnect:
      return "CLIENT_INITIATED_DISCONNECT";
    case DisconnectReason::kClientError:
      return "CLIENT_ERROR";
    case DisconnectReason::kConnectionLost:
      return "CONNECTION_LOST";
    case DisconnectReason::kDuplicateClientId:
      return "DUPLICATE_CLIENTID";
    case DisconnectReason::kForbiddenAccess:
      return "FORBIDDEN_ACCESS";
    case DisconnectReason::kMqttKeepAliveTimeout:
      return "MQTT_KEEP_ALIVE_TIMEOUT";
    case DisconnectReason::kServerError:
      return "SERVER_ERROR";
    case DisconnectReason::kServerInitiatedDisconnect:
      return "SERVER_INITIATED_DISCONNECT";
    case DisconnectReason::kApiInitiatedDisconnect:
      return "API_INITIATED_DISCONNECT";
    case DisconnectReason::kThrottled:
      return "THROTTLED";
    case DisconnectReason::kWebsocketTtlExpiration:
      return "WEBSOCKET_TTL_EXPIRATION";
    case DisconnectReason::kCustomauthTtlExpiration:
      return "CUSTOMAUTH_TTL_EXPIRATION";
    case DisconnectReason::kUnknown:
      return "UNKNOWN";
    case DisconnectReason::kNone:
      return "NONE";
  }
  return "UNKNOWN";
}

}  // namespace fg::mqtt
