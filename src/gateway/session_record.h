#pragma once

// The connection-log row of a session that just got its CONNACK, from what the connection
// knows (SessionInfo) and what the MQTT session established. Pure; thread-safe.

#include <string_view>

#include "gateway/session_registry.h"
#include "mqtt/session_actions.h"
#include "registry/connection_log.h"

namespace fg::gateway {

// connect_time and last_packet_time are established.at; the client id is the established one
// (possibly server-assigned); node_id is left for ConnectionLogWriter to stamp.
registry::SessionRecord MakeSessionRecord(const SessionInfo& info,
                                          const mqtt::SessionEstablished& established);

}  // namespace fg::gateway
