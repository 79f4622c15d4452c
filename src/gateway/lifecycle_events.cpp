#include "gateway/lifecycle_events.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fg::gateway {
namespace {

constexpr std::string_view kPresenceTopic = "$aws/events/presence/";
constexpr std::string_view kRegisteredTopic = "$aws/events/certificates/registered/";

std::string Topic(std::string_view prefix, std::string_view event_type,
                  std::string_view client_id) {
  std::string topic(prefix);
  topic.append(event_type).append("/").append(client_id);
  return topic;
}

// Boost.JSON escapes every string value, so client ids (untrusted, though UTF-8 validated by
// the MQTT decoder) cannot break out of their field.
boost::json::object PresenceFields(const PresenceSession& session, TimePoint at,
                                   std::string_view event_type) {
  boost::json::object o;
  o["clientId"] = session.client_id;
  o["timestamp"] = ToEpochMillis(at);
  o["eventType"] = event_type;
  o["sessionIdentifier"] = session.session_id;
  o["principalIdentifier"] = session.principal_id;
  return o;
}

}  // namespace

bool HasLifecycleEvents(std::string_view client_id) {
  return client_id.find_first_of("+#") == std::string_view::npos;
}

AccountMessage ConnectedEvent(const PresenceSession& session, TimePoint at) {
  boost::json::object o = PresenceFields(session, at, "connected");
  o["ipAddress"] = session.source_ip;
  o["versionNumber"] = session.version_number;
  return AccountMessage{session.account_id, Topic(kPresenceTopic, "connected", session.client_id),
                        boost::json::serialize(o)};
}

AccountMessage DisconnectedEvent(const PresenceSession& session, TimePoint at,
                                 bool client_initiated, mqtt::DisconnectReason reason) {
  boost::json::object o = PresenceFields(session, at, "disconnected");
  o["clientInitiatedDisconnect"] = client_initiated;
  o["disconnectReason"] = mqtt::DisconnectReasonName(reason);
  o["versionNumber"] = session.version_number;
  return AccountMessage{session.account_id,
                        Topic(kPresenceTopic, "disconnected", session.client_id),
                        boost::json::serialize(o)};
}

AccountMessage ConnectFailedEvent(const PresenceSession& session, TimePoint at) {
  boost::json::object o;
  o["clientId"] = session.client_id;
  o["timestamp"] = ToEpochMillis(at);
  o["eventType"] = "connect_failed";
  o["connectFailureReason"] = "AUTHORIZATION_FAILED";
  o["principalIdentifier"] = session.principal_id;
  o["sessionIdentifier"] = session.session_id;
  o["ipAddress"] = session.source_ip;
  return AccountMessage{session.account_id,
                        Topic(kPresenceTopic, "connect_failed", session.client_id),
                        boost::json::serialize(o)};
}

AccountMessage CertificateRegisteredEvent(std::string_view account_id,
                                          std::string_view certificate_id,
                                          std::string_view ca_certificate_id,
                                          TimePoint registered_at, TimePoint at) {
  boost::json::object o;
  o["certificateId"] = certificate_id;
  o["caCertificateId"] = ca_certificate_id;
  o["timestamp"] = ToEpochMillis(at);
  o["certificateStatus"] = "PENDING_ACTIVATION";
  o["awsAccountId"] = account_id;
  o["certificateRegistrationTimestamp"] = std::to_string(ToEpochMillis(registered_at));
  std::string topic(kRegisteredTopic);
  topic.append(ca_certificate_id);
  return AccountMessage{std::string(account_id), std::move(topic), boost::json::serialize(o)};
}

}  // namespace fg::gateway
