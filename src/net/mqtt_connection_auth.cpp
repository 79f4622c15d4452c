#include <algorithm>
#include <chrono>
#include <exception>
#include <span>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "gateway/auth_decision.h"
#include "gateway/lifecycle_events.h"
#include "mqtt/reason_code.h"
#include "net/mqtt_connection_impl.h"
#include "net/mqtt_refusal.h"
#include "net/mqtt_tls.h"
#include "net/tls_channel.h"
#include "pki/crypto_error.h"
#include "pki/random.h"

namespace fg::net::detail {

namespace asio = boost::asio;

void Connection::Begin() {
  boost::system::error_code ec;
  tcp::endpoint peer = socket_.remote_endpoint(ec);
  if (ec) {
    Abort();
    return;
  }
  asio::ip::address address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  peer_ip_ = address.to_string();
  peer_port_ = peer.port();
  // The handshake and CONNECT are small request/response exchanges: Nagle would delay them
  // by up to 40 ms each (measured with mosquitto, dataplane.md §4).
  socket_.set_option(tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);
  if (ec) {
    Abort();
    return;
  }
  ERR_clear_error();
  ssl_.reset(SSL_new(config_.tls));
  if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) {
    spdlog::error("mqtt connection: cannot create the TLS session: {}", pki::LastCryptoError());
    Abort();
    return;
  }
  SSL_set_accept_state(ssl_.get());
  phase_deadline_ = std::chrono::steady_clock::now() + config_.handshake_deadline;
  Handshake();
  ArmTimer();
}

// ---- TLS handshake and authentication ------------------------------------------------------

void Connection::Handshake() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_.get());
  if (rc == 1) {
    OnHandshakeDone();
    return;
  }
  const int err = SSL_get_error(ssl_.get(), rc);
  if (err == SSL_ERROR_WANT_READ) {
    WaitFor(Purpose::kHandshake, tcp::socket::wait_read);
    return;
  }
  if (err == SSL_ERROR_WANT_WRITE) {
    WaitFor(Purpose::kHandshake, tcp::socket::wait_write);
    return;
  }
  ++config_.counters->handshakes_failed;
  if (HandshakeFailedForMissingCertificate()) {
    // The one refusal OpenSSL makes itself; logged like the authenticator's.
    gateway::Refusal refusal;
    refusal.reason = gateway::RefusalReason::kNoClientCertificate;
    gateway::ConnectionAttempt attempt = Attempt();
    if (const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name)) {
      attempt.server_name = name;
    }
    config_.log->ConnectionRefused(gateway::MakeRefusedRecord(attempt, refusal, config_.node_id));
  }
  ERR_clear_error();
  Abort();
}

gateway::ConnectionAttempt Connection::Attempt() const {
  gateway::ConnectionAttempt attempt;
  attempt.server_name = sni_;
  attempt.require_mqtt_alpn = config_.require_alpn;
  attempt.peer_ip = peer_ip_;
  attempt.peer_port = peer_port_;
  attempt.now = config_.clock->Now();
  return attempt;
}

void Connection::OnHandshakeDone() {
  state_ = State::kAuthenticating;
  // The CONNECT deadline (from acceptance) bounds authentication too.
  phase_deadline_ =
      std::chrono::steady_clock::now() +
      std::max(std::chrono::milliseconds(0),
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   accepted_at_ + config_.bridge.limits->connect_timeout - config_.clock->Now()));
  ArmTimer();
  TlsPeer peer = InspectPeer(*ssl_);
  sni_ = std::move(peer.server_name);
  gateway::ConnectionAttempt attempt = Attempt();
  // Parsed once here; the attempt carries it to the worker pool on a cache miss.
  if (peer.leaf != nullptr) {
    attempt.leaf = pki::Certificate::FromReceived(*peer.leaf, peer.leaf_der);
  }
  attempt.alpn = std::move(peer.alpn);
  // Read before authenticating, so that a status change in between is still caught at
  // Attach (gateway/broker.h).
  epoch_ = config_.broker->RevocationEpoch();
  if (auto decision = config_.authenticator->TryAuthenticateCached(attempt)) {
    OnDecision(std::move(*decision));
    return;
  }
  // A cache miss reads the store, which may block: never on an I/O thread (STYLE.md §7).
  asio::post(*config_.auth_pool, [self = shared_from_this(), attempt = std::move(attempt)] {
    gateway::AuthDecision decision;
    try {
      decision = self->config_.authenticator->Authenticate(attempt);
    } catch (const std::exception& e) {
      spdlog::error("authentication failed: {}", e.what());
      decision.outcome =
          gateway::Refusal{gateway::RefusalReason::kRegistryUnavailable, e.what(), "", ""};
    }
    asio::post(self->socket_.get_executor(), [self, decision = std::move(decision)]() mutable {
      self->Guarded([&] { self->OnDecision(std::move(decision)); });
    });
  });
}

void Connection::OnDecision(gateway::AuthDecision decision) {
  if (state_ != State::kAuthenticating) {
    return;  // closed meanwhile (deadline or listener stop)
  }
  StartDataPhase();
  for (const gateway::AccountMessage& event : decision.events) {
    config_.broker->PublishEvent(event);
  }
  if (!decision.accepted()) {
    Refuse(decision.refusal());
    return;
  }
  ++config_.counters->established;
  const gateway::Identity& identity = decision.identity();
  gateway::SessionInfo info;
  info.account_id = identity.account_id;
  info.certificate_id = identity.certificate_id;
  info.ca_certificate_id = identity.ca_certificate_id;
  info.session_id = pki::RandomUuid();
  info.source_ip = peer_ip_;
  info.source_port = peer_port_;
  info.revocation_epoch = epoch_;
  bridge_.emplace(config_.bridge, accepted_at_);
  bridge_->Authenticated(std::move(info), sni_, weak_from_this());
  state_ = State::kSession;
  phase_deadline_.reset();
  ReadSome();
  ArmTimer();
}

void Connection::Refuse(const gateway::Refusal& refusal) {
  ++config_.counters->refused;
  config_.log->ConnectionRefused(gateway::MakeRefusedRecord(Attempt(), refusal, config_.node_id));
  refused_account_ = refusal.account_id;
  refused_certificate_ = refusal.certificate_id;
  state_ = State::kRefusing;
  // Wait briefly for the CONNECT the client is probably sending, to answer it properly.
  refusal_.emplace(config_.bridge.limits->max_packet_size,
                   refusal.reason == gateway::RefusalReason::kRegistryUnavailable
                       ? mqtt::ReasonCode::kServerUnavailable
                       : mqtt::ReasonCode::kNotAuthorized);
  phase_deadline_ = std::chrono::steady_clock::now() + config_.refusal_deadline;
  ReadSome();
  ArmTimer();
}

void Connection::OnRefusedBytes(std::span<const uint8_t> chunk) {
  switch (refusal_->OnBytes(chunk)) {
    case RefusalResponder::Outcome::kNeedMore:
      return;
    case RefusalResponder::Outcome::kClose:
      Abort();
      return;
    case RefusalResponder::Outcome::kConnack:
      break;
  }
  const std::string& client_id = refusal_->client_id();
  if (!refused_account_.empty() && !client_id.empty() && gateway::HasLifecycleEvents(client_id)) {
    gateway::PresenceSession presence;
    presence.account_id = refused_account_;
    presence.client_id = client_id;
    presence.session_id = pki::RandomUuid();
    presence.principal_id = refused_certificate_;
    presence.source_ip = peer_ip_;
    config_.broker->PublishEvent(gateway::ConnectFailedEvent(presence, config_.clock->Now()));
  }
  BridgeOutput out;
  out.bytes = refusal_->connack();
  out.close = true;
  Apply(std::move(out));
}

// The SSL lives through authentication, so whatever the authenticator borrowed from it stays
// valid; from here on the connection reads and writes through a TlsChannel, which frees the
// SSL when fleetguard's record layer takes over (net/tls_channel.h).
void Connection::StartDataPhase() {
  std::string fallback_reason;
  channel_ = MakeTlsChannel(std::move(ssl_), socket_.native_handle(),
                            config_.take_over_record_layer, &fallback_reason);
  if (channel_->own_record_layer()) {
    ++config_.counters->record_layer_handoffs;
  } else if (config_.take_over_record_layer) {
    ++config_.counters->record_layer_fallbacks;
    spdlog::debug("mqtt connection {}: OpenSSL keeps the record layer: {}", peer_ip_,
                  fallback_reason);
  }
}

}  // namespace fg::net::detail
