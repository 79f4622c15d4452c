#include "net/mqtt_bridge.h"

#include <utility>
#include <variant>

#include "gateway/session_record.h"
#include "mqtt/disconnect_reason.h"
#include "pki/random.h"

namespace fg::net {

MqttBridge::MqttBridge(const MqttBridgeDeps& deps, TimePoint accepted_at)
    : deps_(deps),
      session_(*deps.limits, accepted_at),
      last_packet_(accepted_at),
      last_reported_(accepted_at) {}

void MqttBridge::Authenticated(gateway::SessionInfo info, std::string sni,
                               std::weak_ptr<gateway::SessionSink> sink) {
  info_ = std::move(info);
  sni_ = std::move(sni);
  sink_ = std::move(sink);
  session_.OnAuthenticated(info_.certificate_id, info_.session_id);
}

BridgeOutput MqttBridge::OnBytes(std::span<const std::uint8_t> chunk, TimePoint now) {
  last_packet_ = now;
  BridgeOutput out = Execute(session_.OnBytes(chunk, now), now);
  MaybeReportActivity(now);
  return out;
}

BridgeOutput MqttBridge::OnTick(TimePoint now) {
  BridgeOutput out = Execute(session_.OnTick(now), now);
  MaybeReportActivity(now);
  return out;
}

BridgeOutput MqttBridge::OnConnectionLost(TimePoint now) {
  return Execute(session_.OnConnectionLost(now), now);
}

BridgeOutput MqttBridge::OnServerDisconnect(mqtt::ServerDisconnectCause cause, TimePoint now) {
  return Execute(session_.OnServerDisconnect(cause, now), now);
}

BridgeOutput MqttBridge::Deliver(const mqtt::ApplicationMessage& message, mqtt::QoS granted,
                                 TimePoint now) {
  return Execute(session_.Deliver(message, granted, now), now);
}

std::optional<TimePoint> MqttBridge::NextDeadline() const {
  std::optional<TimePoint> deadline = session_.NextDeadline();
  if (deadline && established() && last_packet_ > last_reported_) {
    const TimePoint report = last_reported_ + deps_.activity_interval;
    if (report < *deadline) {
      deadline = report;
    }
  }
  return deadline;
}

void MqttBridge::MaybeReportActivity(TimePoint now) {
  // Coalesced here as well as in the writer: an active device would otherwise enqueue an
  // update for every packet.
  if (!established() || last_packet_ <= last_reported_ ||
      now - last_reported_ < deps_.activity_interval) {
    return;
  }
  deps_.log->SessionActivity(info_.session_id, last_packet_);
  last_reported_ = last_packet_;
}

BridgeOutput MqttBridge::Execute(mqtt::Actions actions, TimePoint now) {
  BridgeOutput out;
  ExecuteInto(std::move(actions), now, out);
  return out;
}

void MqttBridge::ExecuteInto(mqtt::Actions actions, TimePoint now, BridgeOutput& out) {
  for (mqtt::Action& action : actions) {
    if (auto* send = std::get_if<mqtt::SendBytes>(&action)) {
      out.bytes.insert(out.bytes.end(), send->bytes.begin(), send->bytes.end());
    } else if (std::holds_alternative<mqtt::CloseConnection>(action)) {
      out.close = true;
    } else if (auto* established = std::get_if<mqtt::SessionEstablished>(&action)) {
      // With Clean Start 0 the CONNACK (and any stored messages) come out of OnResume, in
      // place, before whatever the session returned after this action.
      std::optional<mqtt::SessionState> resumed = Established(*established);
      if (!established->clean_start) {
        ExecuteInto(session_.OnResume(std::move(resumed), now), now, out);
      }
    } else if (auto* deliver = std::get_if<mqtt::DeliverMessage>(&action)) {
      deps_.broker->Publish(handle_, deliver->message);
    } else if (auto* subscribe = std::get_if<mqtt::SubscribeRequest>(&action)) {
      deps_.broker->Subscribe(handle_, *subscribe);
    } else if (auto* unsubscribe = std::get_if<mqtt::UnsubscribeRequest>(&action)) {
      deps_.broker->Unsubscribe(handle_, *unsubscribe);
    } else if (auto* will = std::get_if<mqtt::PublishWill>(&action)) {
      deps_.broker->PublishWill(handle_, *will, now);
    } else if (auto* record = std::get_if<mqtt::DisconnectRecord>(&action)) {
      Ended(*record);
    }
  }
}

std::optional<mqtt::SessionState> MqttBridge::Established(
    const mqtt::SessionEstablished& established) {
  info_.client_id = established.client_id;
  // The broker may kick at once (a status change since authentication, or a takeover race);
  // the kick arrives through the sink like any other.
  gateway::Attached attached = deps_.broker->Attach(info_, sink_.lock(), established);
  handle_ = attached.handle;
  was_established_ = true;
  last_packet_ = established.at;
  last_reported_ = established.at;
  deps_.log->SessionOpened(gateway::MakeSessionRecord(info_, established));
  return std::move(attached.resumed);
}

void MqttBridge::Ended(const mqtt::DisconnectRecord& record) {
  const std::string reason(mqtt::DisconnectReasonName(record.reason));
  if (record.established && was_established_) {
    deps_.broker->Detach(handle_, record);
    handle_ = 0;
    deps_.log->SessionClosed(info_.session_id, last_packet_, record.at, reason);
    return;
  }
  // Authenticated at the TLS layer but no MQTT session came of it (CONNECT refused, malformed
  // or never sent): a refused connection, so that the log still shows the certificate's use.
  registry::RefusedConnection refused;
  refused.id = pki::RandomUuid();
  refused.time = record.at;
  refused.account_id = info_.account_id;
  refused.certificate_id = info_.certificate_id;
  refused.sni = sni_;
  refused.source_ip = info_.source_ip;
  refused.source_port = info_.source_port;
  refused.reason = reason;
  deps_.log->ConnectionRefused(std::move(refused));
}

}  // namespace fg::net
