#include "gateway/session_record.h"

namespace fg::gateway {

registry::SessionRecord MakeSessionRecord(const SessionInfo& info,
                                          const mqtt::SessionEstablished& established) {
  registry::SessionRecord record;
  record.session_id = info.session_id;
  record.account_id = info.account_id;
  record.certificate_id = info.certificate_id;
  record.client_id = established.client_id;
  record.source_ip = info.source_ip;
  record.source_port = info.source_port;
  // The protocol level byte: 4 for 3.1.1, 5 for 5.0.
  record.mqtt_version = static_cast<int>(established.version);
  record.keep_alive_s = established.keep_alive_seconds;
  record.connect_time = established.at;
  record.last_packet_time = established.at;
  return record;
}

}  // namespace fg::gateway
